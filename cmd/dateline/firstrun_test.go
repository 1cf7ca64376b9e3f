package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/content/sqlite"
	"dateline/content/sqlite/sqlitetest"
)

func TestBaseURLFollowsTheListenAddressUnlessSet(t *testing.T) {
	dir := t.TempDir()
	withBase := filepath.Join(dir, "with-base.yaml")
	if err := writeFile(withBase, []byte("base_url: \"https://news.example.org\"\n")); err != nil {
		t.Fatal(err)
	}
	without := filepath.Join(dir, "without.yaml")
	if err := writeFile(without, []byte("site_name: X\n")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		flags commonFlags
		env   map[string]string
		want  string
	}{
		{"the default address gives the default URL", commonFlags{config: without}, nil, "http://localhost:8080"},
		{"--addr moves the URL with it", commonFlags{config: without, addr: "127.0.0.1:18500"}, nil, "http://127.0.0.1:18500"},
		{"DATELINE_ADDR moves it too", commonFlags{config: without}, map[string]string{"DATELINE_ADDR": "localhost:9000"}, "http://localhost:9000"},
		{"a wildcard host becomes localhost", commonFlags{config: without, addr: ":8081"}, nil, "http://localhost:8081"},
		{"0.0.0.0 becomes localhost", commonFlags{config: without, addr: "0.0.0.0:8082"}, nil, "http://localhost:8082"},
		{"an IPv6 host keeps its brackets", commonFlags{config: without, addr: "[::1]:8083"}, nil, "http://[::1]:8083"},
		{"base_url in the file is used as given", commonFlags{config: withBase, addr: "127.0.0.1:18500"}, nil, "https://news.example.org"},
		{"DATELINE_BASE_URL is used as given", commonFlags{config: without, addr: "127.0.0.1:18500"}, map[string]string{"DATELINE_BASE_URL": "https://env.example.org"}, "https://env.example.org"},
		{"--base-url beats the file and the environment", commonFlags{config: withBase, baseURL: "https://flag.example.org"},
			map[string]string{"DATELINE_BASE_URL": "https://env.example.org"}, "https://flag.example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(tt.flags, envOf(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.BaseURL != tt.want {
				t.Errorf("base_url %q, want %q", cfg.BaseURL, tt.want)
			}
		})
	}
	t.Run("an address without a port is refused naming addr", func(t *testing.T) {
		_, err := loadConfig(commonFlags{config: without, addr: "localhost"}, envOf(nil))
		if err == nil || !strings.Contains(err.Error(), `addr "localhost" must be host:port`) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestBaseURLMissesTheListener(t *testing.T) {
	bound := func(s string) net.Addr { a, _ := net.ResolveTCPAddr("tcp", s); return a }
	tests := []struct {
		name          string
		base, addr    string
		bound         string
		want          bool
		whyNotWarning string
	}{
		{"localhost on another port misses", "http://localhost:8080", "127.0.0.1:18500", "127.0.0.1:18500", true, ""},
		{"the same host on another port misses", "http://127.0.0.1:8080", "127.0.0.1:0", "127.0.0.1:41000", true, ""},
		{"localhost on the bound port reaches it", "http://localhost:18500", "127.0.0.1:18500", "127.0.0.1:18500", false, ""},
		{"localhost reaches a wildcard listener on its port", "http://localhost:8080", ":8080", "[::]:8080", false, ""},
		{"a URL without a port means 80", "http://localhost", "localhost:8080", "127.0.0.1:8080", true, ""},
		{"localhost misses a listener on one other interface", "http://localhost:8080", "10.0.0.5:8080", "10.0.0.5:8080", true, ""},
		{"a public name is never judged", "https://news.example.org", "127.0.0.1:8080", "127.0.0.1:8080", false, "a proxy fronts the server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := baseURLMisses(tt.base, tt.addr, bound(tt.bound)); got != tt.want {
				t.Errorf("baseURLMisses(%q, %q, %s) = %v, want %v %s", tt.base, tt.addr, tt.bound, got, tt.want, tt.whyNotWarning)
			}
		})
	}
}

// serveFor runs "dateline serve" with args and env and returns its address
// once it serves, what it printed, and stop, which shuts it down and waits
// (so that its log is flushed); the test's end stops it too.
func serveFor(t *testing.T, env map[string]string, args ...string) (base string, stdout, stderr *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), envOf(env), stdout, stderr) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				t.Error("serve did not shut down")
			}
		})
	}
	t.Cleanup(stop)
	re := regexp.MustCompile(`serving on (http://[0-9.:]+)/`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], stdout, stderr, stop
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v\n%s%s", err, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start:\n%s%s", stdout.String(), stderr.String())
	return "", nil, nil, nil
}

func quietConfig(t *testing.T, extra string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := writeFile(p, []byte("log_level: warn\nmetrics_addr: \"127.0.0.1:0\"\n"+extra)); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTwoServersPrintLinksToThemselves(t *testing.T) {
	setup := regexp.MustCompile(`(http://\S+)/admin/setup\?token=\S+`)
	admin := regexp.MustCompile(`Admin app: (http://\S+)/admin`)
	var links []string
	for i := range 2 {
		env := map[string]string{"DATELINE_CONFIG": quietConfig(t, "")}
		base, out, _, _ := serveFor(t, env, "--addr", "127.0.0.1:0", "--data", t.TempDir())
		m, a := setup.FindStringSubmatch(out.String()), admin.FindStringSubmatch(out.String())
		if m == nil || a == nil {
			t.Fatalf("server %d printed no setup link or admin link:\n%s", i, out.String())
		}
		if m[1] != base || a[1] != base {
			t.Errorf("server %d serves on %s but its links say %s and %s", i, base, m[1], a[1])
		}
		res, err := http.Get(m[0])
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("server %d: its setup link %s answers %d", i, m[0], res.StatusCode)
		}
		links = append(links, m[0])
	}
	if links[0] == links[1] {
		t.Errorf("both servers printed %s", links[0])
	}
}

func TestServeWarnsWhenBaseURLMissesTheListener(t *testing.T) {
	t.Run("an explicit base_url on another port is warned about", func(t *testing.T) {
		env := map[string]string{"DATELINE_CONFIG": quietConfig(t, "base_url: \"http://localhost:8080\"\n")}
		_, out, errOut, stop := serveFor(t, env, "--addr", "127.0.0.1:0", "--data", t.TempDir())
		stop()
		if !strings.Contains(errOut.String(), "base_url does not point at this server") {
			t.Errorf("no warning; stderr:\n%s", errOut.String())
		}
		if !strings.Contains(out.String(), "http://localhost:8080/admin/setup?token=") {
			t.Errorf("an explicit base_url is still used as given:\n%s", out.String())
		}
	})
	t.Run("--base-url that matches is not warned about", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		env := map[string]string{"DATELINE_CONFIG": quietConfig(t, "base_url: \"http://localhost:8080\"\n")}
		_, out, errOut, stop := serveFor(t, env, "--addr", addr, "--base-url", "http://"+addr, "--data", t.TempDir())
		stop()
		if strings.Contains(errOut.String(), "base_url") {
			t.Errorf("warned although the links reach the server:\n%s", errOut.String())
		}
		if !strings.Contains(out.String(), "http://"+addr+"/admin/setup?token=") {
			t.Errorf("--base-url is not in the links:\n%s", out.String())
		}
	})
}

func TestCommandsCheckBeforeTheyAct(t *testing.T) {
	t.Run("user add with an unknown role creates no data directory", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "data")
		_, _, err, code := cliRun(t, data, "user", "add", "--email", "k@harbour.example", "--name", "K", "--role", "king")
		if code != exitFailure || !strings.Contains(err.Error(), "--role must be one of contributor, author, editor, admin") {
			t.Fatalf("exit %d: %v", code, err)
		}
		if _, err := os.Stat(data); err == nil {
			t.Error("the data directory was created")
		}
	})
	t.Run("user add with a bad email and no name names both flags and creates nothing", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "data")
		_, _, err, code := cliRun(t, data, "user", "add", "--email", "not an address", "--role", "author")
		if code != exitFailure || !strings.Contains(err.Error(), "--email must be a plain address") || !strings.Contains(err.Error(), "--name is required") {
			t.Fatalf("exit %d: %v", code, err)
		}
		if _, err := os.Stat(data); err == nil {
			t.Error("the data directory was created")
		}
	})
	t.Run("user passwd without a database creates none", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "data")
		_, _, err, code := cliRun(t, data, "user", "passwd", "--email", "k@harbour.example")
		if code != exitFailure || !strings.Contains(err.Error(), "no database at") {
			t.Fatalf("exit %d: %v", code, err)
		}
		if _, err := os.Stat(data); err == nil {
			t.Error("the data directory was created")
		}
	})
	t.Run("config fails on a missing signing_key_file", func(t *testing.T) {
		env := envOf(map[string]string{"DATELINE_CONFIG": writeTemp(t, t.TempDir()),
			"DATELINE_SIGNING_KEY_FILE": filepath.Join(t.TempDir(), "missing.key")})
		var out bytes.Buffer
		err := run(context.Background(), []string{"config"}, env, &out, &bytes.Buffer{})
		if exitCode(err) != exitFailure || !strings.Contains(err.Error(), "signing_key_file") || strings.Contains(err.Error(), "\n") {
			t.Fatalf("exit %d: %v", exitCode(err), err)
		}
		if out.Len() > 0 {
			t.Errorf("printed a config anyway:\n%s", out.String())
		}
	})
	t.Run("config fails on a signing_key_file with a short key", func(t *testing.T) {
		short := filepath.Join(t.TempDir(), "short.key")
		if err := writeFile(short, []byte("tooshort\n")); err != nil {
			t.Fatal(err)
		}
		env := envOf(map[string]string{"DATELINE_CONFIG": writeTemp(t, t.TempDir()), "DATELINE_SIGNING_KEY_FILE": short})
		err := run(context.Background(), []string{"config"}, env, &bytes.Buffer{}, &bytes.Buffer{})
		if exitCode(err) != exitFailure || !strings.Contains(err.Error(), "at least 32 characters") {
			t.Fatalf("exit %d: %v", exitCode(err), err)
		}
	})
	t.Run("serve on a taken port prints no setup link and creates nothing", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		data := filepath.Join(t.TempDir(), "data")
		out, _, err, code := cliRun(t, data, "serve", "--addr", ln.Addr().String())
		want := "cannot listen on " + ln.Addr().String() + " (addr): another program already uses it; choose another address with --addr or addr"
		if code != exitFailure || err.Error() != want {
			t.Fatalf("exit %d: %v, want %q", code, err, want)
		}
		if out != "" {
			t.Errorf("printed before failing:\n%s", out)
		}
		if _, err := os.Stat(data); err == nil {
			t.Error("the data directory was created")
		}
	})
	t.Run("backup into a directory that does not exist says so and writes nothing", func(t *testing.T) {
		data := t.TempDir()
		db, err := sqlite.Open(context.Background(), filepath.Join(data, "dateline.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		missing := filepath.Join(t.TempDir(), "backups")
		_, _, err, code := cliRun(t, data, "backup", filepath.Join(missing, "x.tar.gz"))
		want := "backup: the directory " + missing + " does not exist; create it first"
		if code != exitFailure || err.Error() != want {
			t.Fatalf("exit %d: %v, want %q", code, err, want)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("the directory was created")
		}
	})
	for _, cmd := range []string{"migrate", "serve"} {
		t.Run(cmd+" leaves another application's SQLite file alone", func(t *testing.T) {
			data := t.TempDir()
			path := filepath.Join(data, "dateline.db")
			sqlitetest.WriteForeignDatabase(t, path)
			before := fileSum(t, path)
			args := []string{cmd}
			if cmd == "serve" {
				args = append(args, "--addr", "127.0.0.1:0")
			}
			out, _, err, code := cliRun(t, data, args...)
			if code != exitFailure || !strings.Contains(err.Error(), "is not a Dateline database") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("exit %d: %v", code, err)
			}
			if out != "" {
				t.Errorf("printed before failing:\n%s", out)
			}
			if fileSum(t, path) != before {
				t.Error("the file was changed")
			}
			entries, _ := os.ReadDir(data)
			if len(entries) != 1 {
				t.Errorf("the data directory holds %d entries, want only the file", len(entries))
			}
		})
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}
