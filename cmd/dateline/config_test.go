package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	if err := writeFile(file, []byte("addr: \"file:1\"\ndata_dir: /from/file\nsite_name: From File\ntime_zone: Asia/Tokyo\n")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		flags    commonFlags
		env      map[string]string
		addr     string
		dataDir  string
		siteName string
	}{
		{"the file overrides the defaults", commonFlags{config: file}, nil, "file:1", "/from/file", "From File"},
		{"the environment overrides the file", commonFlags{config: file}, map[string]string{"DATELINE_ADDR": "env:2", "DATELINE_SITE_NAME": "From Env"}, "env:2", "/from/file", "From Env"},
		{"flags override the environment", commonFlags{config: file, addr: "flag:3", data: "/from/flag"}, map[string]string{"DATELINE_ADDR": "env:2"}, "flag:3", "/from/flag", "From File"},
		{"DATELINE_CONFIG names the file", commonFlags{}, map[string]string{"DATELINE_CONFIG": file}, "file:1", "/from/file", "From File"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(tt.flags, envOf(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Addr != tt.addr || cfg.DataDir != tt.dataDir || cfg.SiteName != tt.siteName {
				t.Errorf("got addr %q data %q site %q", cfg.Addr, cfg.DataDir, cfg.SiteName)
			}
			if cfg.TimeZone != "Asia/Tokyo" {
				t.Errorf("time zone %q lost", cfg.TimeZone)
			}
		})
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"an unknown key", "adress: x\n", nil, "adress"},
		{"a bad time zone", "time_zone: Mars/Base\n", nil, "time_zone"},
		{"a clock that is neither 24h nor 12h", "clock: 25h\n", nil, "clock"},
		{"a relative base URL", "base_url: /news\n", nil, "base_url"},
		{"a bad log format from the environment", "", map[string]string{"DATELINE_LOG_FORMAT": "xml"}, "log_format"},
		{"a wrong type", "addr: [1, 2]\n", nil, "addr"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.Repeat("c", i+1)+".yaml")
			if err := writeFile(file, []byte(tt.yaml)); err != nil {
				t.Fatal(err)
			}
			_, err := loadConfig(commonFlags{config: file}, envOf(tt.env))
			if err == nil || !strings.Contains(strings.ToLower(err.Error()), tt.want) {
				t.Fatalf("err = %v, want it to name %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
	if _, err := loadConfig(commonFlags{config: filepath.Join(dir, "missing.yaml")}, envOf(nil)); err == nil {
		t.Error("a named config file that is missing was accepted")
	}
}

func TestRunCommands(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"version"}, envOf(nil), &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "dateline ") {
		t.Errorf("version: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, envOf(nil), &out, &errOut); err == nil {
		t.Error("an unknown command succeeded")
	}
	out.Reset()
	noFile := envOf(map[string]string{"DATELINE_DATA_DIR": dir})
	if err := run(context.Background(), []string{"migrate", "--config", writeTemp(t, dir)}, noFile, &out, &errOut); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if !strings.Contains(out.String(), "schema version ") {
		t.Errorf("migrate said %q", out.String())
	}
}

func writeTemp(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "cfg.yaml")
	if err := writeFile(p, []byte("log_level: warn\n")); err != nil {
		t.Fatal(err)
	}
	return p
}
