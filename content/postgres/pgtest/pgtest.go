// Package pgtest gives tests a fresh, empty PostgreSQL database each.
//
// When DATELINE_TEST_POSTGRES is set (a postgres:// URL of a server where
// the tests may create and drop databases), the databases are made there
// and dropped when their test ends. Otherwise the first test that asks
// starts one throwaway cluster for the whole test binary: initdb and
// pg_ctl on a temporary directory, listening on a free loopback port,
// stopped and removed by Main when the binary's tests end. The binaries
// come from `pg_config --bindir` or /usr/lib/postgresql/*/bin (Debian's
// postgresql package). Run as root, the cluster runs as the postgres
// system user, since PostgreSQL refuses to run as root.
//
// Without a server and without the binaries the tests skip with a clear
// message, except under CI=true, where they fail: CI must run them.
//
// A test binary's cluster is per process by nature, so this package keeps
// it in package state; nothing here is for production code. StartCluster
// also serves tools that want a PostgreSQL of their own (the load
// benchmark), with their settings and a directory they may keep.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the URL of a server to use instead of
// a throwaway cluster.
const EnvURL = "DATELINE_TEST_POSTGRES"

// server is the test binary's server: a URL of its maintenance database
// and, for a throwaway cluster, how to stop it.
type server struct {
	url   string // postgres:// URL of a database to connect to for CREATE DATABASE
	skip  string // why there is no server (tests skip or, under CI, fail)
	fail  error  // the server could not be started
	stop  func() // stops and removes a throwaway cluster; nil for DATELINE_TEST_POSTGRES
	run   string // a random tag of this binary's run, for database names
	dbs   atomic.Int64
	mu    sync.Mutex
	tmpls map[string]*template

	adminMu sync.Mutex
	admin   *pgx.Conn // to the maintenance database; nil until exec needs it
}

// template is a database prepared once and copied for each test that
// asks for it.
type template struct {
	name string
	err  error
}

var (
	once sync.Once
	srv  *server
)

// Main runs the tests of m and stops the throwaway cluster, if one was
// started, when they end. It returns the exit code for os.Exit:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if srv != nil {
		srv.close()
	}
	return code
}

// Open returns the URL of a new, empty database for t, dropped (on a
// server from DATELINE_TEST_POSTGRES) when t ends. Without a server it
// skips t, or fails it under CI=true.
func Open(t testing.TB) string {
	t.Helper()
	s := get(t)
	return s.create(t, "")
}

// Prepared returns the URL of a new database for t that is a copy of a
// template made once per test binary and key by prepare, which gets the
// template's URL (e.g. to apply migrations) and must close every
// connection it opened before it returns. A failed prepare fails every
// test that asks for key.
func Prepared(t testing.TB, key string, prepare func(ctx context.Context, url string) error) string {
	t.Helper()
	s := get(t)
	s.mu.Lock()
	tp, ok := s.tmpls[key]
	if !ok {
		tp = &template{name: fmt.Sprintf("tpl_%s_%d", s.run, len(s.tmpls))}
		s.tmpls[key] = tp
		tp.err = s.exec(fmt.Sprintf("CREATE DATABASE %s", tp.name))
		if tp.err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			tp.err = prepare(ctx, s.dbURL(tp.name))
			cancel()
		}
	}
	s.mu.Unlock()
	if tp.err != nil {
		t.Fatalf("prepare the template database %q: %v", key, tp.err)
	}
	return s.create(t, tp.name)
}

// get returns the test binary's server, starting it on first use.
func get(t testing.TB) *server {
	t.Helper()
	once.Do(func() { srv = start() })
	switch {
	case srv.fail != nil:
		t.Fatalf("PostgreSQL for the tests: %v", srv.fail)
	case srv.skip != "":
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s, and CI=true: the PostgreSQL tests must run in CI (.ci/run installs Debian's postgresql)", srv.skip)
		}
		t.Skipf("%s: PostgreSQL tests skipped (install Debian's postgresql, or set %s to a server's URL)", srv.skip, EnvURL)
	}
	return srv
}

// create makes a new database for t, from template when it is not "".
func (s *server) create(t testing.TB, template string) string {
	t.Helper()
	name := fmt.Sprintf("t_%s_%d", s.run, s.dbs.Add(1))
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	if err := s.exec(stmt); err != nil {
		t.Fatalf("create a test database: %v", err)
	}
	if s.stop == nil { // a shared server: leave nothing behind
		t.Cleanup(func() {
			if err := s.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
				t.Errorf("drop the test database %s: %v", name, err)
			}
		})
	}
	return s.dbURL(name)
}

// exec runs one statement on the server's maintenance database, through
// one connection kept for the test binary (made again when it broke).
func (s *server) exec(stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s.adminMu.Lock()
	defer s.adminMu.Unlock()
	if s.admin == nil || s.admin.IsClosed() {
		c, err := pgx.Connect(ctx, s.url)
		if err != nil {
			return err
		}
		s.admin = c
	}
	if _, err := s.admin.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

// dbURL is the server's URL with its database replaced by name.
func (s *server) dbURL(name string) string {
	u, err := url.Parse(s.url)
	if err != nil { // s.url was connected to already, so it parses
		return s.url
	}
	u.Path = "/" + name
	return u.String()
}

// close drops the templates of a shared server or stops the cluster.
func (s *server) close() {
	if s.url == "" {
		return
	}
	if s.stop == nil {
		for _, tp := range s.tmpls {
			s.exec("DROP DATABASE IF EXISTS " + tp.name + " WITH (FORCE)")
		}
	}
	if s.admin != nil {
		s.admin.Close(context.Background())
	}
	if s.stop != nil {
		s.stop()
	}
}

// start finds or starts the server.
func start() *server {
	s := &server{run: strconv.FormatInt(time.Now().UnixNano()%1e9, 36) + strconv.Itoa(os.Getpid()), tmpls: map[string]*template{}}
	if u := os.Getenv(EnvURL); u != "" {
		s.url = u
		if err := s.exec("SELECT 1"); err != nil {
			s.fail = fmt.Errorf("%s=%s does not answer: %w", EnvURL, u, err)
		}
		return s
	}
	bin := BinDir()
	if bin == "" {
		s.skip = "no PostgreSQL server: " + EnvURL + " is not set and initdb is not installed"
		return s
	}
	u, stop, err := startCluster(bin)
	if err != nil {
		s.fail = fmt.Errorf("start a throwaway cluster with %s: %w", bin, err)
		return s
	}
	s.url, s.stop = u, stop
	return s
}

// BinDir returns the directory of initdb and pg_ctl, or "": the one
// `pg_config --bindir` names, the newest /usr/lib/postgresql/*/bin, or
// the one of initdb on the PATH.
func BinDir() string {
	var dirs []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	debian, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(debian) - 1; i >= 0; i-- { // the newest version first
		dirs = append(dirs, debian[i])
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, d := range dirs {
		if isFile(filepath.Join(d, "initdb")) && isFile(filepath.Join(d, "pg_ctl")) {
			return d
		}
	}
	return ""
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
