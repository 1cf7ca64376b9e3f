package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/content/sqlite"
)

func TestRevisionConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	if err := writeFile(file, []byte("revisions_autosave_window: \"5m\"\nrevisions_keep: 40\nrevisions_keep_days: 7\n")); err != nil {
		t.Fatal(err)
	}
	t.Run("the defaults fold autosaves for ten minutes and keep a hundred revisions or thirty days", func(t *testing.T) {
		want := sqlite.RevisionPolicy{AutosaveWindow: 10 * time.Minute, Keep: 100, KeepFor: 30 * 24 * time.Hour}
		if got := defaultConfig().revisionPolicy(); got != want {
			t.Errorf("policy %+v, want %+v", got, want)
		}
	})
	t.Run("the file sets the revision keys", func(t *testing.T) {
		cfg, err := loadConfig(commonFlags{config: file}, envOf(nil))
		if err != nil {
			t.Fatal(err)
		}
		want := sqlite.RevisionPolicy{AutosaveWindow: 5 * time.Minute, Keep: 40, KeepFor: 7 * 24 * time.Hour}
		if got := cfg.revisionPolicy(); got != want {
			t.Errorf("policy %+v, want %+v", got, want)
		}
	})
	t.Run("the environment overrides them and zero turns them off", func(t *testing.T) {
		cfg, err := loadConfig(commonFlags{config: file}, envOf(map[string]string{
			"DATELINE_REVISIONS_AUTOSAVE_WINDOW": "0s", "DATELINE_REVISIONS_KEEP": "0", "DATELINE_REVISIONS_KEEP_DAYS": "0"}))
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.revisionPolicy(); got != (sqlite.RevisionPolicy{}) {
			t.Errorf("policy %+v, want the zero policy", got)
		}
	})
	for _, tt := range []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"a window that is not a duration is refused naming the key", "revisions_autosave_window: soon\n", nil, "revisions_autosave_window"},
		{"a negative window is refused naming the key", "", map[string]string{"DATELINE_REVISIONS_AUTOSAVE_WINDOW": "-1m"}, "revisions_autosave_window"},
		{"a window over a day is refused naming the key", "revisions_autosave_window: \"25h\"\n", nil, "revisions_autosave_window"},
		{"a negative count is refused naming the key", "revisions_keep: -1\n", nil, "revisions_keep"},
		{"a word for days is refused naming the key", "", map[string]string{"DATELINE_REVISIONS_KEEP_DAYS": "month"}, "revisions_keep_days"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "config.yaml")
			if err := writeFile(f, []byte(tt.yaml)); err != nil {
				t.Fatal(err)
			}
			_, err := loadConfig(commonFlags{config: f}, envOf(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line naming %s", err, tt.want)
			}
		})
	}
}
