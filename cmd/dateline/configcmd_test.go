package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

func TestTheSigningKeyComesFromConfigEnvironmentOrAFile(t *testing.T) {
	dir := t.TempDir()
	fromYAML, fromEnv, fromFile := strings.Repeat("y", 40), strings.Repeat("e", 40), strings.Repeat("f", 40)
	keyFile := filepath.Join(dir, "signing.key")
	if err := writeFile(keyFile, []byte(fromFile+"\n")); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "config.yaml")
	if err := writeFile(cfgFile, []byte("signing_key: "+fromYAML+"\n")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"a key in config.yaml is used", nil, fromYAML},
		{"the environment overrides config.yaml", map[string]string{"DATELINE_SIGNING_KEY": fromEnv}, fromEnv},
		{"a _FILE variable reads the key from that file without the newline", map[string]string{"DATELINE_SIGNING_KEY_FILE": keyFile}, fromFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"DATELINE_DATA_DIR": dir}
			for k, v := range tt.env {
				env[k] = v
			}
			cfg, err := loadConfig(commonFlags{config: cfgFile}, envOf(env))
			if err != nil {
				t.Fatal(err)
			}
			keys, err := signingKeys(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if string(keys[0].Secret) != tt.want {
				t.Errorf("signing key %q, want %q", keys[0].Secret, tt.want)
			}
		})
	}
}

func TestConfigCommandPrintsTheEffectiveConfigWithSecretsRedacted(t *testing.T) {
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "config.yaml")
	if err := writeFile(cfgFile, []byte("site_name: From File\nread_timeout: 45s\nsigning_key: very-secret-key-0123456789abcdef0123456789\nold_signing_keys: [older-secret-key-0123456789abcdef0123456789]\n")); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env := envOf(map[string]string{"DATELINE_CONFIG": cfgFile, "DATELINE_ADDR": "127.0.0.1:9999"})
	if err := run(context.Background(), []string{"config", "--data", "/srv/dateline"}, env, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "very-secret-key") || strings.Contains(out.String(), "older-secret-key") {
		t.Fatalf("the secret was printed:\n%s", out.String())
	}
	var got Config
	if err := yaml.UnmarshalWithOptions(out.Bytes(), &got, yaml.DisallowUnknownField()); err != nil {
		t.Fatalf("the output is not config YAML: %v\n%s", err, out.String())
	}
	want := defaultConfig()
	want.SiteName, want.ReadTimeout, want.Addr, want.DataDir, want.SigningKey = "From File", 45*time.Second, "127.0.0.1:9999", "/srv/dateline", redactedSecret
	want.BaseURL = "http://127.0.0.1:9999" // no base_url: it follows addr
	want.OldSigningKeys = []string{redactedSecret}
	if len(got.TrustedProxies) == 0 {
		got.TrustedProxies = nil // printed as [], read back empty
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("printed config\n%+v\nwant\n%+v", got, want)
	}
	out.Reset()
	if err := run(context.Background(), []string{"config", "--config", cfgFile, "extra"}, envOf(nil), &out, io.Discard); exitCode(err) != exitUsage {
		t.Errorf("an extra argument: %v", err)
	}
}

func TestConfigDurationsAndMetricsAddrAreChecked(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"a duration that is not one", "read_timeout: soon\n", nil, "read_timeout"},
		{"a bare number is not a duration", "idle_timeout: 30\n", nil, "idle_timeout"},
		{"a negative duration", "write_timeout: -5s\n", nil, "write_timeout"},
		{"a bad duration from the environment", "", map[string]string{"DATELINE_SHUTDOWN_TIMEOUT": "forever"}, "shutdown_timeout"},
		{"metrics on the main address", "addr: \"127.0.0.1:8080\"\nmetrics_addr: \"127.0.0.1:8080\"\n", nil, "metrics_addr"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.Repeat("d", i+1)+".yaml")
			if err := writeFile(file, []byte(tt.yaml)); err != nil {
				t.Fatal(err)
			}
			_, err := loadConfig(commonFlags{config: file}, envOf(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line naming %s", err, tt.want)
			}
		})
	}
}

func TestServeRefusesADatabaseFromANewerDateline(t *testing.T) {
	dir := t.TempDir()
	makeNewerDatabase(t, filepath.Join(dir, "dateline.db"))
	env := envOf(map[string]string{"DATELINE_CONFIG": writeTemp(t, t.TempDir()), "DATELINE_METRICS_ADDR": "127.0.0.1:0"})
	for _, cmd := range []string{"serve", "migrate"} {
		args := []string{cmd, "--data", dir}
		if cmd == "serve" {
			args = append(args, "--addr", "127.0.0.1:0")
		}
		err := run(context.Background(), args, env, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "schema is version 9999") || !strings.Contains(err.Error(), "newer Dateline") {
			t.Errorf("%s over a newer database: %v", cmd, err)
		}
	}
}
