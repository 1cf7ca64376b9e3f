package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestTheMetricsTokenIsReadFromItsFileAndNeverPrinted(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "metrics.token")
	if err := writeFile(tokenFile, []byte("  "+testMetricsToken+"\n")); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.token")
	if err := writeFile(empty, []byte("\n")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want string // the token, or a word of the error
		err  bool
	}{
		{"the token from its file, trimmed", map[string]string{"DATELINE_METRICS_TOKEN_FILE": tokenFile}, testMetricsToken, false},
		{"the token from the environment", map[string]string{"DATELINE_METRICS_TOKEN": testMetricsToken}, testMetricsToken, false},
		{"a missing token file is refused", map[string]string{"DATELINE_METRICS_TOKEN_FILE": filepath.Join(dir, "nope")}, "metrics_token_file", true},
		{"an empty token file is refused", map[string]string{"DATELINE_METRICS_TOKEN_FILE": empty}, "metrics_token_file", true},
		{"a short token is refused", map[string]string{"DATELINE_METRICS_TOKEN": "short"}, "metrics_token", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(commonFlags{config: writeTemp(t, t.TempDir())}, envOf(tt.env))
			if tt.err {
				if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err = %v, want one line naming %s", err, tt.want)
				}
				return
			}
			if err != nil || cfg.MetricsToken != tt.want {
				t.Fatalf("token %q, err %v", cfg.MetricsToken, err)
			}
			var out bytes.Buffer
			env := envOf(tt.env)
			if err := run(context.Background(), []string{"config", "--config", writeTemp(t, t.TempDir())}, env, &out, io.Discard); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out.String(), testMetricsToken) || !strings.Contains(out.String(), "metrics_token: '[redacted]'") &&
				!strings.Contains(out.String(), `metrics_token: "[redacted]"`) {
				t.Errorf("dateline config shows the token or does not say it is set:\n%s", out.String())
			}
		})
	}
}
