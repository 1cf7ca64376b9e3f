package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAccountSettingsAreChecked covers the account keys of the config:
// their defaults and the values refused at start, each naming its key.
func TestAccountSettingsAreChecked(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string // "" accepts; else a word of the error
		check      func(Config) error
	}{
		{"password hashing has a budget of two 19 MiB hashes by default", "", nil, "", func(c Config) error {
			if c.PasswordHashMemoryMB != 38 {
				return fmt.Errorf("password_hash_memory_mb %d", c.PasswordHashMemoryMB)
			}
			return nil
		}},
		{"a budget of one hash is accepted", "password_hash_memory_mb: 19\n", nil, "", nil},
		{"a budget too small for one hash is refused", "password_hash_memory_mb: 18\n", nil, "password_hash_memory_mb", nil},
		{"a huge budget is refused", "password_hash_memory_mb: 100000\n", nil, "password_hash_memory_mb", nil},
		{"a budget from the environment that is no number is refused", "", map[string]string{"DATELINE_PASSWORD_HASH_MEMORY_MB": "lots"}, "password_hash_memory_mb", nil},
		{"a preview link works two hours by default, less than a day", "", nil, "", func(c Config) error {
			if c.PreviewTTL != 2*time.Hour {
				return fmt.Errorf("preview_ttl %s", c.PreviewTTL)
			}
			return nil
		}},
		{"a preview lifetime of a day is accepted", "preview_ttl: 24h\n", nil, "", nil},
		{"a preview lifetime over a day is refused", "preview_ttl: 25h\n", nil, "preview_ttl", nil},
		{"a preview lifetime under a minute is refused", "preview_ttl: 30s\n", nil, "preview_ttl", nil},
		{"a preview lifetime that is no duration is refused", "preview_ttl: soon\n", nil, "preview_ttl", nil},
		{"a preview lifetime from the environment is used", "", map[string]string{"DATELINE_PREVIEW_TTL": "45m"}, "", func(c Config) error {
			if c.PreviewTTL != 45*time.Minute {
				return fmt.Errorf("preview_ttl %s", c.PreviewTTL)
			}
			return nil
		}},
		{"a preview lifetime from the environment that is no duration is refused", "", map[string]string{"DATELINE_PREVIEW_TTL": "1 day"}, "preview_ttl", nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, fmt.Sprintf("c%d.yaml", i))
			if err := writeFile(file, []byte("# test\n"+tt.yaml)); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadConfig(commonFlags{config: file}, envOf(tt.env))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want it to name %s", err, tt.want)
			}
			if tt.check != nil {
				if err := tt.check(cfg); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
