package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
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
		{"password hashing has a budget of four 19 MiB hashes by default", "", nil, "", func(c Config) error {
			if c.PasswordHashMemoryMB != 76 {
				return fmt.Errorf("password_hash_memory_mb %d", c.PasswordHashMemoryMB)
			}
			return nil
		}},
		{"a budget of one hash is accepted", "password_hash_memory_mb: 19\n", nil, "", nil},
		{"a budget too small for one hash is refused", "password_hash_memory_mb: 18\n", nil, "password_hash_memory_mb", nil},
		{"a huge budget is refused", "password_hash_memory_mb: 100000\n", nil, "password_hash_memory_mb", nil},
		{"a budget from the environment that is no number is refused", "", map[string]string{"DATELINE_PASSWORD_HASH_MEMORY_MB": "lots"}, "password_hash_memory_mb", nil},
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
