package pgtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// startCluster makes a throwaway cluster with the binaries in bin: initdb
// on a temporary directory, then pg_ctl start on a free loopback port,
// tuned for tests (no fsync, small buffers, the unix socket inside the
// directory). It returns the URL of its postgres database and a function
// that stops the cluster and removes the directory.
func startCluster(bin string) (string, func(), error) {
	cred, uid, gid, err := runAs()
	if err != nil {
		return "", nil, err
	}
	reapStale(bin, cred)
	dir, err := os.MkdirTemp("", clusterPrefix)
	if err != nil {
		return "", nil, err
	}
	remove := func() { os.RemoveAll(dir) }
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		remove()
		return "", nil, err
	}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		remove()
		return "", nil, err
	}
	if cred != nil {
		for _, p := range []string{dir, data} {
			if err := os.Chown(p, uid, gid); err != nil {
				remove()
				return "", nil, fmt.Errorf("hand %s to the postgres user: %w", p, err)
			}
		}
	}
	run := func(name string, args ...string) error {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w\n%s", name, err, out)
		}
		return nil
	}
	if err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		remove()
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		remove()
		return "", nil, err
	}
	opts := strings.Join([]string{
		"-c listen_addresses=127.0.0.1",
		"-c port=" + strconv.Itoa(port),
		"-c unix_socket_directories=" + dir,
		"-c fsync=off",
		"-c synchronous_commit=off",
		"-c full_page_writes=off",
		"-c shared_buffers=16MB",
		"-c max_connections=200",
	}, " ")
	if err := run("pg_ctl", "start", "-D", data, "-w", "-t", "60", "-s", "-l", filepath.Join(dir, "postgres.log"), "-o", opts); err != nil {
		if log, rerr := os.ReadFile(filepath.Join(dir, "postgres.log")); rerr == nil {
			err = fmt.Errorf("%w\n%s", err, log)
		}
		remove()
		return "", nil, err
	}
	stop := func() {
		run("pg_ctl", "stop", "-D", data, "-m", "immediate", "-s")
		remove()
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), stop, nil
}

// clusterPrefix names the temporary directories of throwaway clusters;
// ownerFile in each holds the pid of the test binary that started it.
const (
	clusterPrefix = "dateline-pgtest-"
	ownerFile     = "owner.pid"
)

// reapStale stops and removes the clusters of test binaries that died
// without stopping theirs (killed, or timed out): a cluster outlives the
// binary that started it, since pg_ctl detaches the server.
func reapStale(bin string, cred *syscall.Credential) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), clusterPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue // its binary runs still (or it is not ours to judge)
		}
		cmd := exec.Command(filepath.Join(bin, "pg_ctl"), "stop", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-s")
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		cmd.Run()
		os.RemoveAll(dir)
	}
}

// runAs returns the credential to run the cluster with: none when the
// tests do not run as root, the postgres system user's when they do.
func runAs() (*syscall.Credential, int, int, error) {
	if os.Geteuid() != 0 {
		return nil, 0, 0, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, 0, 0, errors.New("the tests run as root, which PostgreSQL refuses, and there is no postgres user to run it as")
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err := errors.Join(err1, err2); err != nil {
		return nil, 0, 0, fmt.Errorf("the postgres user: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid, gid, nil
}

// freePort returns a loopback TCP port nobody listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
