package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheDatabaseComesFromConfigEnvironmentAFileOrTheFlag(t *testing.T) {
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "database_url")
	if err := writeFile(urlFile, []byte("postgres://news:from-file@db.internal:5432/news\n")); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "config.yaml")
	if err := writeFile(cfgFile, []byte("database: postgres://news:from-yaml@db.internal/news\n")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		env   map[string]string
		flags commonFlags
		want  string
	}{
		{"no setting is SQLite in the data directory", nil, commonFlags{}, ""},
		{"config.yaml names a URL", map[string]string{"DATELINE_CONFIG": cfgFile}, commonFlags{}, "postgres://news:from-yaml@db.internal/news"},
		{"the environment overrides the file", map[string]string{"DATELINE_CONFIG": cfgFile, "DATELINE_DATABASE_URL": "postgresql://news:from-env@db2/news"}, commonFlags{}, "postgresql://news:from-env@db2/news"},
		{"a URL file is read", map[string]string{"DATELINE_DATABASE_URL_FILE": urlFile}, commonFlags{}, "postgres://news:from-file@db.internal:5432/news"},
		{"the flag overrides the environment", map[string]string{"DATELINE_DATABASE_URL": "postgres://a@b/c"}, commonFlags{database: "postgres://flag@db3/news"}, "postgres://flag@db3/news"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			flags := tc.flags
			flags.data = dir
			cfg, err := loadConfig(flags, envOf(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Database != tc.want {
				t.Errorf("database %q, want %q", cfg.Database, tc.want)
			}
		})
	}
}

func TestTheConfigCommandPrintsTheDatabaseURLWithoutItsPassword(t *testing.T) {
	var out bytes.Buffer
	env := envOf(map[string]string{"DATELINE_DATABASE_URL": "postgres://news:pa55-secret@db.internal:5432/news?sslmode=require"})
	if err := run(context.Background(), []string{"config", "--data", t.TempDir()}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "pa55-secret") {
		t.Fatalf("the password was printed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "postgres://news:[redacted]@db.internal:5432/news?sslmode=require") {
		t.Errorf("the database is not shown redacted:\n%s", out.String())
	}
}

// A database that cannot be opened ends the command with one line that
// says why, without the password, and a failure exit code.
func TestABadOrUnreachableDatabaseIsOneLineWithoutThePassword(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now
	cfgFile := filepath.Join(t.TempDir(), "config.yaml")
	if err := writeFile(cfgFile, []byte("metrics_addr: \"\"\n")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, url, want string
	}{
		{"another scheme", "mysql://news:s3cret-pw@db/news", "postgres://"},
		{"no URL at all", "news:s3cret-pw@db", "postgres://"},
		{"no host", "postgres://news:s3cret-pw@/news", "names no host"},
		{"a server that does not answer", "postgres://news:s3cret-pw@" + closed + "/news", "postgres://news:[redacted]@" + closed + "/news"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, cmd := range []string{"migrate", "serve"} {
				var out, errOut bytes.Buffer
				args := []string{cmd, "--config", cfgFile, "--data", t.TempDir(), "--database", tc.url}
				if cmd == "serve" {
					args = append(args, "--addr", "127.0.0.1:0")
				}
				err := run(context.Background(), args, envOf(nil), &out, &errOut)
				if exitCode(err) != exitFailure {
					t.Fatalf("%s: exit %d (%v), want %d", cmd, exitCode(err), err, exitFailure)
				}
				msg := err.Error()
				all := msg + out.String() + errOut.String()
				if strings.Contains(all, "s3cret-pw") {
					t.Fatalf("%s: the password was shown: %s\n%s%s", cmd, msg, out.String(), errOut.String())
				}
				if strings.Contains(msg, "\n") || !strings.Contains(msg, tc.want) {
					t.Errorf("%s: %q, want one line with %q", cmd, msg, tc.want)
				}
			}
		})
	}
}

func TestBackupAndRestoreOnPostgresSayWhatToDoInstead(t *testing.T) {
	dir := t.TempDir()
	for _, cmd := range []string{"backup", "restore"} {
		err := run(context.Background(), []string{cmd, "--data", dir, "--database", "postgres://news:s3cret-pw@db.internal/news", filepath.Join(dir, "b.tar.gz")},
			envOf(nil), io.Discard, io.Discard)
		if exitCode(err) != exitFailure {
			t.Fatalf("%s: exit %d (%v)", cmd, exitCode(err), err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "pg_") || !strings.Contains(msg, "media") || strings.Contains(msg, "s3cret") || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q, want one line pointing at pg_dump/pg_restore and the media directory", cmd, msg)
		}
	}
}
