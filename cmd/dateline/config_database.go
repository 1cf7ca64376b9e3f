package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// DatabaseConfig says which database a run opens. It is embedded in
// Config, so its keys sit at the top level of config.yaml.
type DatabaseConfig struct {
	// Database is empty for the SQLite file dateline.db in the data
	// directory (the default), or a postgres:// (postgresql://) URL of a
	// PostgreSQL database that several instances can share. It may hold
	// a password: it is never logged or printed whole.
	Database string `yaml:"database"`
	// DatabaseFile names a file holding the URL (a secret mounted by the
	// orchestrator); it is read when Database is empty.
	DatabaseFile string `yaml:"database_file"`
}

// databaseEnvKeys maps environment variables to DatabaseConfig's fields.
var databaseEnvKeys = []struct {
	name string
	set  func(*Config, string)
}{
	{"DATELINE_DATABASE_URL_FILE", func(c *Config, v string) { c.DatabaseFile, c.Database = v, "" }},
	{"DATELINE_DATABASE_URL", func(c *Config, v string) { c.Database = v }},
}

// readDatabaseURL replaces an empty database by the contents of
// database_file, if one is named.
func (c *Config) readDatabaseURL() error {
	if strings.TrimSpace(c.Database) != "" || c.DatabaseFile == "" {
		return nil
	}
	b, err := os.ReadFile(c.DatabaseFile)
	if err != nil {
		return fmt.Errorf("config: database_file: %w", err)
	}
	c.Database = strings.TrimSpace(string(b))
	if c.Database == "" {
		return fmt.Errorf("config: database_file %s is empty", c.DatabaseFile)
	}
	return nil
}

// onPostgres reports whether the run's database is PostgreSQL.
func (c Config) onPostgres() bool { return strings.TrimSpace(c.Database) != "" }

// validateDatabase checks database: empty, or a postgres:// URL with a
// host. Its messages never repeat the URL, which may hold a password.
func (c Config) validateDatabase() error {
	d := strings.TrimSpace(c.Database)
	if d == "" {
		return nil
	}
	u, err := url.Parse(d)
	if err != nil {
		return fmt.Errorf("config: database is not a valid URL; it must be empty (SQLite in the data directory) or postgres://user:password@host:5432/dbname")
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return fmt.Errorf("config: database must be empty (SQLite in the data directory) or a postgres:// or postgresql:// URL, not %s://", u.Scheme)
	}
	if u.Host == "" && u.Query().Get("host") == "" {
		return fmt.Errorf("config: database URL %s names no host", redactURL(d))
	}
	return nil
}

// redactURL returns the database URL with its password replaced, for
// printing; a password in the query (password=) is replaced too.
func redactURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return redactedSecret
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return strings.Replace(u.String(), "xxxxx", redactedSecret, -1)
}

// databasePassword is the password in the database URL, or "": what no
// message may contain.
func (c Config) databasePassword() string {
	u, err := url.Parse(strings.TrimSpace(c.Database))
	if err != nil {
		return ""
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			return p
		}
	}
	return u.Query().Get("password")
}

// redacted returns d with the password of the URL replaced, for printing.
func (d DatabaseConfig) redacted() DatabaseConfig {
	if d.Database != "" {
		d.Database = redactURL(d.Database)
	}
	return d
}
