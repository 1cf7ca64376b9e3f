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

// ClusterOptions configure StartCluster.
type ClusterOptions struct {
	// Bin is the directory of initdb and pg_ctl; "": BinDir's.
	Bin string
	// Dir is the cluster's directory, kept by Stop: a new one (or an
	// empty one) gets a cluster made by initdb, one that holds a cluster
	// (made by an earlier StartCluster) has it started as it is. "": a new
	// temporary directory that Stop removes. Run as root, the cluster runs
	// as the postgres system user, which must be able to reach Dir.
	Dir string
	// Settings are server settings (name=value) on top of the listen
	// address, the port and the socket directory StartCluster sets, e.g.
	// "fsync=off". None: PostgreSQL's defaults.
	Settings []string
}

// Cluster is a PostgreSQL cluster started by StartCluster: its data in
// Dir/data, its log in Dir/postgres.log, its unix socket in Dir.
type Cluster struct {
	URL string // of its postgres database, over loopback TCP, as the superuser postgres without a password
	Dir string

	bin, data string
	cred      *syscall.Credential
	temporary bool
}

// StartCluster makes (initdb: superuser postgres, trust authentication,
// UTF8, locale C) or reuses the cluster in opt.Dir and starts it with
// pg_ctl on a free loopback port. A server left running in a reused
// directory (by a process that was killed) is stopped first, so that the
// cluster starts with this run's settings.
func StartCluster(opt ClusterOptions) (*Cluster, error) {
	c := &Cluster{bin: opt.Bin, Dir: opt.Dir}
	if c.bin == "" {
		if c.bin = BinDir(); c.bin == "" {
			return nil, errors.New("no PostgreSQL binaries: initdb and pg_ctl are not installed")
		}
	}
	cred, uid, gid, err := runAs()
	if err != nil {
		return nil, err
	}
	c.cred = cred
	if c.Dir == "" {
		if c.Dir, err = os.MkdirTemp("", "dateline-postgres-"); err != nil {
			return nil, err
		}
		c.temporary = true
	} else if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return nil, err
	}
	c.data = filepath.Join(c.Dir, "data")
	fail := func(err error) (*Cluster, error) {
		if c.temporary {
			os.RemoveAll(c.Dir)
		}
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(c.data, "PG_VERSION")); err != nil {
		if err := os.MkdirAll(c.data, 0o700); err != nil {
			return fail(err)
		}
		if cred != nil {
			for _, p := range []string{c.Dir, c.data} {
				if err := os.Chown(p, uid, gid); err != nil {
					return fail(fmt.Errorf("hand %s to the postgres user: %w", p, err))
				}
			}
		}
		if err := c.run("initdb", "-D", c.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
			return fail(err)
		}
	} else if c.run("pg_ctl", "status", "-D", c.data) == nil {
		if err := c.run("pg_ctl", "stop", "-D", c.data, "-m", "fast", "-s"); err != nil {
			return fail(fmt.Errorf("stop the server left running in %s: %w", c.Dir, err))
		}
	}
	port, err := freePort()
	if err != nil {
		return fail(err)
	}
	opts := []string{"-c listen_addresses=127.0.0.1", "-c port=" + strconv.Itoa(port), "-c unix_socket_directories=" + c.Dir}
	for _, s := range opt.Settings {
		opts = append(opts, "-c "+s)
	}
	logFile := filepath.Join(c.Dir, "postgres.log")
	if err := c.run("pg_ctl", "start", "-D", c.data, "-w", "-t", "60", "-s", "-l", logFile, "-o", strings.Join(opts, " ")); err != nil {
		if log, rerr := os.ReadFile(logFile); rerr == nil {
			err = fmt.Errorf("%w\n%s", err, log)
		}
		return fail(err)
	}
	c.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return c, nil
}

// Stop stops the server at once (a reused cluster recovers from its WAL
// when it starts again) and removes a temporary directory.
func (c *Cluster) Stop() {
	c.run("pg_ctl", "stop", "-D", c.data, "-m", "immediate", "-s")
	if c.temporary {
		os.RemoveAll(c.Dir)
	}
}

// run runs a PostgreSQL binary on the cluster, as the postgres user when
// this process runs as root.
func (c *Cluster) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", name, err, out)
	}
	return nil
}

// startCluster makes the test binary's throwaway cluster with the
// binaries in bin, tuned for tests (no fsync, small buffers), in a
// temporary directory that names this process as its owner. It returns
// the URL of its postgres database and a function that stops the cluster
// and removes the directory.
func startCluster(bin string) (string, func(), error) {
	cred, _, _, err := runAs()
	if err != nil {
		return "", nil, err
	}
	reapStale(bin, cred)
	dir, err := os.MkdirTemp("", clusterPrefix)
	if err != nil {
		return "", nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	c, err := StartCluster(ClusterOptions{Bin: bin, Dir: dir, Settings: []string{
		"fsync=off", "synchronous_commit=off", "full_page_writes=off", "shared_buffers=16MB", "max_connections=200",
	}})
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	return c.URL, func() { c.Stop(); os.RemoveAll(dir) }, nil
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

// runAs returns the credential to run the cluster with: none when this
// process does not run as root, the postgres system user's when it does.
func runAs() (*syscall.Credential, int, int, error) {
	if os.Geteuid() != 0 {
		return nil, 0, 0, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, 0, 0, errors.New("this runs as root, which PostgreSQL refuses, and there is no postgres user to run it as")
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err := errors.Join(err1, err2); err != nil {
		return nil, 0, 0, fmt.Errorf("the postgres user: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid, gid, nil
}

// PostgresUser reports whether StartCluster runs the cluster as the
// postgres system user (this process runs as root), who must then be
// able to reach the cluster's directory.
func PostgresUser() bool { return os.Geteuid() == 0 }

// freePort returns a loopback TCP port nobody listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
