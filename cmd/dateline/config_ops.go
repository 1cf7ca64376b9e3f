package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"dateline/auth"
)

// OpsConfig is the part of Config that says how the server is operated:
// where /metrics is served and how much of the request log is written. It
// is embedded in Config, so its keys sit at the top level of config.yaml.
type OpsConfig struct {
	// MetricsAddr is the listen address of /metrics, loopback by default;
	// empty serves no metrics listener.
	MetricsAddr string `yaml:"metrics_addr"`
	// MetricsToken, if set, also serves /metrics on the main listener to
	// requests that carry it as a bearer token (Authorization: Bearer …);
	// MetricsTokenFile names a file holding it. Without a token /metrics is
	// never served on the main listener. Never logged or printed.
	MetricsToken     string `yaml:"metrics_token"`
	MetricsTokenFile string `yaml:"metrics_token_file"`

	// LogSample writes one in LogSample request lines of successful
	// requests (status below 400) that took less than LogSlow; every other
	// request is always logged. 1 logs every request.
	LogSample int           `yaml:"log_sample"`
	LogSlow   time.Duration `yaml:"log_slow"`
}

// defaultMetricsAddr keeps /metrics on the loopback interface.
const defaultMetricsAddr = "127.0.0.1:9091"

func defaultOpsConfig() OpsConfig {
	return OpsConfig{MetricsAddr: defaultMetricsAddr, LogSample: 1, LogSlow: time.Second}
}

// opsDurationKeys are OpsConfig's keys holding Go durations.
var opsDurationKeys = []string{"log_slow"}

// opsEnvKeys maps environment variables to OpsConfig's fields.
var opsEnvKeys = []struct {
	name string
	set  func(*Config, string)
}{
	{"DATELINE_METRICS_ADDR", func(c *Config, v string) { c.MetricsAddr = v }},
	{"DATELINE_METRICS_TOKEN_FILE", func(c *Config, v string) { c.MetricsTokenFile, c.MetricsToken = v, "" }},
	{"DATELINE_METRICS_TOKEN", func(c *Config, v string) { c.MetricsToken = v }},
	{"DATELINE_LOG_SAMPLE", func(c *Config, v string) { c.LogSample = envInt(v) }},
	{"DATELINE_LOG_SLOW", func(c *Config, v string) { c.LogSlow = envDuration(v) }},
}

// readMetricsToken replaces an empty metrics_token by the contents of
// metrics_token_file, if one is named.
func (c *Config) readMetricsToken() error {
	if strings.TrimSpace(c.MetricsToken) != "" || c.MetricsTokenFile == "" {
		return nil
	}
	b, err := os.ReadFile(c.MetricsTokenFile)
	if err != nil {
		return fmt.Errorf("config: metrics_token_file: %w", err)
	}
	c.MetricsToken = strings.TrimSpace(string(b))
	if c.MetricsToken == "" {
		return fmt.Errorf("config: metrics_token_file %s is empty", c.MetricsTokenFile)
	}
	return nil
}

func (c Config) validateOps() error {
	if c.MetricsAddr != "" && c.MetricsAddr == c.Addr && !strings.HasSuffix(c.Addr, ":0") {
		return fmt.Errorf("config: metrics_addr %q must differ from addr (set metrics_token to serve /metrics on addr too)", c.MetricsAddr)
	}
	if t := strings.TrimSpace(c.MetricsToken); t != "" && len(t) < auth.MinKeyLength {
		return fmt.Errorf("config: metrics_token must have at least %d characters", auth.MinKeyLength)
	}
	if c.LogSample < 1 || c.LogSample > 1_000_000 {
		return fmt.Errorf("config: log_sample must be a whole number between 1 and 1000000")
	}
	if c.LogSlow <= 0 {
		return fmt.Errorf("config: log_slow must be a positive duration such as 1s")
	}
	return nil
}

// redacted returns o with the metrics token replaced, for printing.
func (o OpsConfig) redacted() OpsConfig {
	if o.MetricsToken != "" {
		o.MetricsToken = redactedSecret
	}
	return o
}
