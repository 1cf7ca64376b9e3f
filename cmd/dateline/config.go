package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// Config is the effective configuration of one run. It is built in one
// place, loadConfig: defaults, then config.yaml, then DATELINE_* variables,
// then flags.
type Config struct {
	Addr      string `yaml:"addr"`
	DataDir   string `yaml:"data_dir"`
	BaseURL   string `yaml:"base_url"`
	TimeZone  string `yaml:"time_zone"`
	SiteName  string `yaml:"site_name"`
	Language  string `yaml:"language"`
	LogFormat string `yaml:"log_format"`
	LogLevel  string `yaml:"log_level"`

	// Token signing (see keys.go). Never logged.
	SigningKey     string   `yaml:"signing_key"`
	SigningKeyFile string   `yaml:"signing_key_file"`
	OldSigningKeys []string `yaml:"old_signing_keys"`
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies
	// whose X-Forwarded-For is believed; empty trusts none.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// WebhooksAllowPrivate lets webhooks target private, loopback and
	// link-local addresses (local development and tests only).
	WebhooksAllowPrivate bool `yaml:"webhooks_allow_private"`
	// badEnv names an environment variable whose value could not be parsed.
	badEnv string
}

func defaultConfig() Config {
	return Config{
		Addr:      "localhost:8080",
		DataDir:   "./data",
		BaseURL:   "http://localhost:8080",
		TimeZone:  "UTC",
		SiteName:  "Dateline",
		Language:  "en",
		LogFormat: "text",
		LogLevel:  "info",
	}
}

// envKeys maps environment variables to config fields.
var envKeys = []struct {
	name string
	set  func(*Config, string)
}{
	{"DATELINE_ADDR", func(c *Config, v string) { c.Addr = v }},
	{"DATELINE_DATA_DIR", func(c *Config, v string) { c.DataDir = v }},
	{"DATELINE_BASE_URL", func(c *Config, v string) { c.BaseURL = v }},
	{"DATELINE_TIME_ZONE", func(c *Config, v string) { c.TimeZone = v }},
	{"DATELINE_SITE_NAME", func(c *Config, v string) { c.SiteName = v }},
	{"DATELINE_LANGUAGE", func(c *Config, v string) { c.Language = v }},
	{"DATELINE_LOG_FORMAT", func(c *Config, v string) { c.LogFormat = v }},
	{"DATELINE_LOG_LEVEL", func(c *Config, v string) { c.LogLevel = v }},
	{"DATELINE_SIGNING_KEY_FILE", func(c *Config, v string) { c.SigningKeyFile, c.SigningKey = v, "" }},
	{"DATELINE_SIGNING_KEY", func(c *Config, v string) { c.SigningKey = v }},
	{"DATELINE_TRUSTED_PROXIES", func(c *Config, v string) { c.TrustedProxies = splitList(v) }},
	{"DATELINE_WEBHOOKS_ALLOW_PRIVATE", func(c *Config, v string) {
		b, err := strconv.ParseBool(v)
		if err != nil {
			c.badEnv = "DATELINE_WEBHOOKS_ALLOW_PRIVATE (webhooks_allow_private) must be true or false"
		}
		c.WebhooksAllowPrivate = b
	}},
}

// commonFlags are the flags every subcommand that opens the data takes.
type commonFlags struct {
	config string
	addr   string
	data   string
}

func (f *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "path to config.yaml (default: ./config.yaml if it exists; env DATELINE_CONFIG)")
	fs.StringVar(&f.addr, "addr", "", "listen address, e.g. localhost:8080")
	fs.StringVar(&f.data, "data", "", "data directory for the database and media")
}

// loadConfig builds the effective config: defaults < file < env < flags.
// A missing file is fine only when none was named explicitly.
func loadConfig(flags commonFlags, getenv func(string) string) (Config, error) {
	cfg := defaultConfig()
	path, explicit := flags.config, flags.config != ""
	if !explicit {
		if p := getenv("DATELINE_CONFIG"); p != "" {
			path, explicit = p, true
		} else {
			path = "config.yaml"
		}
	}
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		var doc map[string]any
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return cfg, fmt.Errorf("config %s: %s", path, oneLine(err))
		}
		if len(doc) == 0 {
			break // empty or only comments: the defaults stand
		}
		if err := yaml.UnmarshalWithOptions(b, &cfg, yaml.DisallowUnknownField()); err != nil {
			return cfg, fmt.Errorf("config %s: %s", path, oneLine(err))
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
	default:
		return cfg, fmt.Errorf("config: %w", err)
	}
	for _, k := range envKeys {
		if v := getenv(k.name); v != "" {
			k.set(&cfg, v)
		}
	}
	if flags.addr != "" {
		cfg.Addr = flags.addr
	}
	if flags.data != "" {
		cfg.DataDir = flags.data
	}
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	if c.badEnv != "" {
		return errors.New("config: " + c.badEnv)
	}
	if c.Addr == "" {
		return errors.New("config: addr must not be empty")
	}
	if c.DataDir == "" {
		return errors.New("config: data_dir must not be empty")
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: base_url %q must be an absolute http or https URL", c.BaseURL)
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" || c.TimeZone == "Local" {
		return fmt.Errorf("config: time_zone %q is not an IANA time zone name", c.TimeZone)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("config: log_format %q must be text or json", c.LogFormat)
	}
	if _, err := c.logLevel(); err != nil {
		return err
	}
	return c.validateAccounts()
}

func (c Config) logLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("config: log_level %q must be debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

// location returns the newsroom zone; validate has checked it.
func (c Config) location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// oneLine squeezes a multi-line error (the YAML parser points at the source)
// into one line for the CLI.
func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return string(bytes.TrimSpace([]byte(s)))
}
