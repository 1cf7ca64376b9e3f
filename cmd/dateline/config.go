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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"dateline/auth"
	"dateline/content/delivery"
)

// Config is the effective configuration of one run. It is built in one
// place, loadConfig: defaults, then config.yaml, then DATELINE_* variables,
// then flags.
type Config struct {
	Addr     string `yaml:"addr"`
	DataDir  string `yaml:"data_dir"`
	BaseURL  string `yaml:"base_url"`
	TimeZone string `yaml:"time_zone"`
	// Clock is how the admin app shows times: "24h" (18:46, the default)
	// or "12h" (6:46 PM). Time fields take 24-hour ISO times either way.
	Clock     string `yaml:"clock"`
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
	// ArticleURL is a story's public page with {slug}, for feeds and
	// sitemaps; empty means the story's API URL.
	ArticleURL string `yaml:"article_url"`
	// PreviewURL is the newsroom's own preview page with {token}, e.g.
	// "https://www.example.org/preview?token={token}"; preview links
	// redirect there with a token for GET /api/v1/preview/{token}. Empty:
	// they show the server's preview page.
	PreviewURL string `yaml:"preview_url"`
	// badEnv names an environment variable whose value could not be parsed.
	badEnv string
	// baseURLFromAddr says that no base_url was set, so BaseURL follows the
	// listen address (baseurl.go).
	baseURLFromAddr bool

	// The database: SQLite in the data directory or a PostgreSQL URL
	// (config_database.go).
	DatabaseConfig `yaml:",inline"`
	// Metrics exposure and request-log sampling (config_ops.go).
	OpsConfig `yaml:",inline"`
	// Renditions and image decoding (config_photos.go).
	PhotosConfig `yaml:",inline"`
	// The Trash (config_settings.go).
	TrashConfig `yaml:",inline"`
	// sources says where each key's value came from (config_settings.go).
	sources configSources
	// HTTP server timeouts (Go durations such as 30s).
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	ReadTimeout       time.Duration `yaml:"read_timeout"`
	WriteTimeout      time.Duration `yaml:"write_timeout"`
	IdleTimeout       time.Duration `yaml:"idle_timeout"`
	ShutdownTimeout   time.Duration `yaml:"shutdown_timeout"`

	// HTTP caching of the delivery API: Cache-Control max-age and
	// stale-while-revalidate in seconds, and the in-memory response cache
	// in MiB (0 turns it off).
	CacheMaxAge               int `yaml:"cache_max_age"`
	CacheStaleWhileRevalidate int `yaml:"cache_stale_while_revalidate"`
	CacheMemoryMB             int `yaml:"cache_memory_mb"`
	// ItemCacheMB is the memory, in MiB, for stored list items kept in
	// memory by the delivery API (0 keeps none).
	ItemCacheMB int `yaml:"item_cache_mb"`
	// TagLists keeps, beside the item cache, each tag's published stories
	// in memory (false: pages by tag walk the tag index).
	TagLists bool `yaml:"tag_lists"`

	// Revisions (config_revisions.go): autosaves of one user within the
	// window share a revision; a save prunes its story's revisions beyond
	// the newest RevisionsKeep that are older than RevisionsKeepDays.
	RevisionsAutosaveWindow time.Duration `yaml:"revisions_autosave_window"`
	RevisionsKeep           int           `yaml:"revisions_keep"`
	RevisionsKeepDays       int           `yaml:"revisions_keep_days"`
	// PasswordHashMemoryMB bounds the memory, in MiB, of password hashes
	// and checks running at once (each uses 19 MiB); see accounts_config.go.
	PasswordHashMemoryMB int `yaml:"password_hash_memory_mb"`
	// PreviewTTL is how long a draft preview link works (a Go duration,
	// at most 24h); see accounts_config.go.
	PreviewTTL time.Duration `yaml:"preview_ttl"`
}

func defaultConfig() Config {
	return Config{
		Addr:         "localhost:8080",
		DataDir:      "./data",
		TimeZone:     "UTC",
		Clock:        "24h",
		SiteName:     "Dateline",
		Language:     "en",
		LogFormat:    "text",
		LogLevel:     "info",
		OpsConfig:    defaultOpsConfig(),
		PhotosConfig: defaultPhotosConfig(),
		TrashConfig:  defaultTrashConfig(),

		ReadHeaderTimeout:         5 * time.Second,
		ReadTimeout:               30 * time.Second,
		WriteTimeout:              60 * time.Second,
		IdleTimeout:               120 * time.Second,
		ShutdownTimeout:           10 * time.Second,
		CacheMaxAge:               30,
		CacheStaleWhileRevalidate: 60,
		CacheMemoryMB:             4,
		ItemCacheMB:               12,
		TagLists:                  true,
		RevisionsAutosaveWindow:   10 * time.Minute,
		RevisionsKeep:             100,
		RevisionsKeepDays:         30,
		PasswordHashMemoryMB:      auth.DefaultHashMemoryMiB,
		PreviewTTL:                defaultPreviewTTL,
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
	{"DATELINE_CLOCK", func(c *Config, v string) { c.Clock = v }},
	{"DATELINE_SITE_NAME", func(c *Config, v string) { c.SiteName = v }},
	{"DATELINE_LANGUAGE", func(c *Config, v string) { c.Language = v }},
	{"DATELINE_LOG_FORMAT", func(c *Config, v string) { c.LogFormat = v }},
	{"DATELINE_LOG_LEVEL", func(c *Config, v string) { c.LogLevel = v }},
	{"DATELINE_CACHE_MAX_AGE", func(c *Config, v string) { c.CacheMaxAge = envInt(v) }},
	{"DATELINE_CACHE_STALE_WHILE_REVALIDATE", func(c *Config, v string) { c.CacheStaleWhileRevalidate = envInt(v) }},
	{"DATELINE_CACHE_MEMORY_MB", func(c *Config, v string) { c.CacheMemoryMB = envInt(v) }},
	{"DATELINE_ITEM_CACHE_MB", func(c *Config, v string) { c.ItemCacheMB = envInt(v) }},
	{"DATELINE_PASSWORD_HASH_MEMORY_MB", func(c *Config, v string) { c.PasswordHashMemoryMB = envInt(v) }},
	{"DATELINE_PREVIEW_TTL", func(c *Config, v string) { c.PreviewTTL = envDuration(v) }},
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
	{"DATELINE_TAG_LISTS", func(c *Config, v string) {
		b, err := strconv.ParseBool(v)
		if err != nil {
			c.badEnv = "DATELINE_TAG_LISTS (tag_lists) must be true or false"
		}
		c.TagLists = b
	}},
	{"DATELINE_ARTICLE_URL", func(c *Config, v string) { c.ArticleURL = v }},
	{"DATELINE_PREVIEW_URL", func(c *Config, v string) { c.PreviewURL = v }},
	{"DATELINE_READ_HEADER_TIMEOUT", func(c *Config, v string) { c.ReadHeaderTimeout = envDuration(v) }},
	{"DATELINE_READ_TIMEOUT", func(c *Config, v string) { c.ReadTimeout = envDuration(v) }},
	{"DATELINE_WRITE_TIMEOUT", func(c *Config, v string) { c.WriteTimeout = envDuration(v) }},
	{"DATELINE_IDLE_TIMEOUT", func(c *Config, v string) { c.IdleTimeout = envDuration(v) }},
	{"DATELINE_SHUTDOWN_TIMEOUT", func(c *Config, v string) { c.ShutdownTimeout = envDuration(v) }},
	{"DATELINE_REVISIONS_AUTOSAVE_WINDOW", func(c *Config, v string) { c.RevisionsAutosaveWindow = envDuration(v) }},
	{"DATELINE_REVISIONS_KEEP", func(c *Config, v string) { c.RevisionsKeep = envInt(v) }},
	{"DATELINE_REVISIONS_KEEP_DAYS", func(c *Config, v string) { c.RevisionsKeepDays = envInt(v) }},
}

// durationKeys are the config keys holding Go durations; their values are
// checked by name before decoding so that errors name the key.
var durationKeys = []string{"read_header_timeout", "read_timeout", "write_timeout", "idle_timeout", "shutdown_timeout",
	"revisions_autosave_window", "preview_ttl"}

// envDuration parses a duration from the environment; an invalid one
// becomes -1, which validate reports by key.
func envDuration(v string) time.Duration {
	d, err := time.ParseDuration(v)
	if err != nil {
		return -1
	}
	return d
}

// redactedSecret replaces a set secret in printed config.
const redactedSecret = "[redacted]"

// redacted returns c with every secret replaced, for printing.
func (c Config) redacted() Config {
	if c.SigningKey != "" {
		c.SigningKey = redactedSecret
	}
	if len(c.OldSigningKeys) > 0 {
		old := make([]string, len(c.OldSigningKeys))
		for i := range old {
			old[i] = redactedSecret
		}
		c.OldSigningKeys = old
	}
	c.OpsConfig = c.OpsConfig.redacted()
	c.DatabaseConfig = c.DatabaseConfig.redacted()
	return c
}

// LogValue keeps secrets out of logs should a Config ever be logged.
func (c Config) LogValue() slog.Value {
	r := c.redacted()
	return slog.GroupValue(slog.String("addr", r.Addr), slog.String("data_dir", r.DataDir),
		slog.String("base_url", r.BaseURL), slog.String("signing_key", r.SigningKey))
}

// commonFlags are the flags of the commands that read the config: --config
// and --data for all of them (register), --addr and --base-url only for
// those that listen or show the config (registerListen).
type commonFlags struct {
	config   string
	addr     string
	data     string
	database string
	baseURL  string
}

func (f *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "path to config.yaml (default: ./config.yaml if it exists; env DATELINE_CONFIG)")
	fs.StringVar(&f.data, "data", "", "data directory for the database and media")
	fs.StringVar(&f.database, "database", "", "PostgreSQL URL postgres://user:password@host/db (default: SQLite in the data directory; env DATELINE_DATABASE_URL)")
}

func (f *commonFlags) registerListen(fs *flag.FlagSet) {
	fs.StringVar(&f.addr, "addr", "", "listen address, e.g. localhost:8080")
	fs.StringVar(&f.baseURL, "base-url", "", "public URL of this server for links (default: http:// and the listen address)")
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
		for _, k := range slices.Concat(durationKeys, opsDurationKeys, photosDurationKeys) {
			if v, ok := doc[k]; ok {
				if str, isStr := v.(string); !isStr || envDuration(str) < 0 {
					return cfg, fmt.Errorf("config %s: %s: %v is not a duration such as 30s", path, k, v)
				}
			}
		}
		if err := yaml.UnmarshalWithOptions(b, &cfg, yaml.DisallowUnknownField()); err != nil {
			return cfg, fmt.Errorf("config %s: %s", path, oneLine(err))
		}
		for k := range doc {
			cfg.note(k, "config file "+path)
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
	default:
		return cfg, fmt.Errorf("config: %w", err)
	}
	for _, k := range slices.Concat(envKeys, databaseEnvKeys, opsEnvKeys, photosEnvKeys, trashEnvKeys) {
		if v := getenv(k.name); v != "" {
			k.set(&cfg, v)
			cfg.noteEnv(k.name)
		}
	}
	if err := cfg.readMetricsToken(); err != nil {
		return cfg, err
	}
	if flags.addr != "" {
		cfg.Addr = flags.addr
		cfg.note("addr", "flag --addr")
	}
	if flags.data != "" {
		cfg.DataDir = flags.data
		cfg.note("data_dir", "flag --data")
	}
	if flags.database != "" {
		cfg.Database = flags.database
		cfg.note("database", "flag --database")
	}
	if err := cfg.readDatabaseURL(); err != nil {
		return cfg, err
	}
	if flags.baseURL != "" {
		cfg.BaseURL = flags.baseURL
		cfg.note("base_url", "flag --base-url")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL, cfg.baseURLFromAddr = baseURLFor(cfg.Addr), true
	}
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	if c.badEnv != "" {
		return errors.New("config: " + c.badEnv)
	}
	if err := checkAddr(c.Addr); err != nil {
		return err
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
	if c.Clock != "24h" && c.Clock != "12h" {
		return fmt.Errorf("config: clock %q must be 24h or 12h", c.Clock)
	}
	if err := c.validateArticleURL(); err != nil {
		return err
	}
	if err := c.validatePreviewURL(); err != nil {
		return err
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("config: log_format %q must be text or json", c.LogFormat)
	}
	if _, err := c.logLevel(); err != nil {
		return err
	}
	if err := c.validateCaching(); err != nil {
		return err
	}
	if err := c.validateRevisions(); err != nil {
		return err
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{
		{"read_header_timeout", c.ReadHeaderTimeout}, {"read_timeout", c.ReadTimeout}, {"write_timeout", c.WriteTimeout},
		{"idle_timeout", c.IdleTimeout}, {"shutdown_timeout", c.ShutdownTimeout},
	} {
		if d.v <= 0 {
			return fmt.Errorf("config: %s must be a positive duration such as 30s", d.key)
		}
	}
	if err := c.validateDatabase(); err != nil {
		return err
	}
	if err := c.validateOps(); err != nil {
		return err
	}
	if err := c.validatePhotos(); err != nil {
		return err
	}
	if err := c.validateTrash(); err != nil {
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

// envInt parses a whole number from the environment; anything else becomes
// -1, which validation refuses naming the key.
func envInt(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return -1
	}
	return n
}

func (c Config) validateCaching() error {
	for _, k := range []struct {
		name string
		v    int
		max  int
	}{
		{"cache_max_age", c.CacheMaxAge, 365 * 24 * 3600},
		{"cache_stale_while_revalidate", c.CacheStaleWhileRevalidate, 365 * 24 * 3600},
		{"cache_memory_mb", c.CacheMemoryMB, 64 << 10},
		{"item_cache_mb", c.ItemCacheMB, 4 << 10},
	} {
		if k.v < 0 || k.v > k.max {
			return fmt.Errorf("config: %s must be a whole number between 0 and %d", k.name, k.max)
		}
	}
	return nil
}

// caching returns the delivery API's caching settings.
func (c Config) caching() delivery.Caching {
	return delivery.Caching{
		MaxAge:               time.Duration(c.CacheMaxAge) * time.Second,
		StaleWhileRevalidate: time.Duration(c.CacheStaleWhileRevalidate) * time.Second,
		MaxBytes:             int64(c.CacheMemoryMB) << 20,
	}
}

// validateArticleURL checks article_url: empty, or an absolute http(s) URL
// pattern with {slug}.
func (c Config) validateArticleURL() error {
	if c.ArticleURL == "" {
		return nil
	}
	u, err := url.Parse(strings.ReplaceAll(c.ArticleURL, "{slug}", "x"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(c.ArticleURL, "{slug}") {
		return fmt.Errorf("config: article_url %q must be an absolute http or https URL containing {slug}", c.ArticleURL)
	}
	return nil
}

// validatePreviewURL checks preview_url: empty, or an absolute http(s) URL
// containing {token}.
func (c Config) validatePreviewURL() error {
	if c.PreviewURL == "" {
		return nil
	}
	u, err := url.Parse(strings.ReplaceAll(c.PreviewURL, "{token}", "x"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(c.PreviewURL, "{token}") {
		return fmt.Errorf("config: preview_url %q must be an absolute http or https URL containing {token}, e.g. https://www.example.org/preview?token={token}", c.PreviewURL)
	}
	return nil
}
