package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCacheConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	if err := writeFile(file, []byte("cache_max_age: 120\ncache_stale_while_revalidate: 600\ncache_memory_mb: 8\n")); err != nil {
		t.Fatal(err)
	}
	t.Run("the file sets the caching keys", func(t *testing.T) {
		cfg, err := loadConfig(commonFlags{config: file}, envOf(nil))
		if err != nil {
			t.Fatal(err)
		}
		c := cfg.caching()
		if c.MaxAge != 2*time.Minute || c.StaleWhileRevalidate != 10*time.Minute || c.MaxBytes != 8<<20 {
			t.Errorf("caching %+v", c)
		}
	})
	t.Run("the environment overrides them", func(t *testing.T) {
		cfg, err := loadConfig(commonFlags{config: file}, envOf(map[string]string{"DATELINE_CACHE_MAX_AGE": "5", "DATELINE_CACHE_MEMORY_MB": "0"}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.CacheMaxAge != 5 || cfg.CacheStaleWhileRevalidate != 600 || cfg.CacheMemoryMB != 0 {
			t.Errorf("config %+v", cfg)
		}
	})
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"a word is refused naming the key", map[string]string{"DATELINE_CACHE_STALE_WHILE_REVALIDATE": "soon"}, "cache_stale_while_revalidate"},
		{"a negative age is refused naming the key", map[string]string{"DATELINE_CACHE_MAX_AGE": "-1"}, "cache_max_age"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(commonFlags{config: file}, envOf(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to name %s", err, tt.want)
			}
		})
	}
}

func TestTagListsConfig(t *testing.T) {
	off := filepath.Join(t.TempDir(), "config.yaml")
	if err := writeFile(off, []byte("tag_lists: false\n")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		file string
		env  map[string]string
		want bool
	}{
		{"tag lists are on by default", "", nil, true},
		{"the file turns them off", off, nil, false},
		{"the environment turns them back on", off, map[string]string{"DATELINE_TAG_LISTS": "true"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(commonFlags{config: tt.file}, envOf(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.TagLists != tt.want {
				t.Errorf("tag_lists %v, want %v", cfg.TagLists, tt.want)
			}
		})
	}
	t.Run("a value that is not a boolean is refused naming the key", func(t *testing.T) {
		_, err := loadConfig(commonFlags{config: off}, envOf(map[string]string{"DATELINE_TAG_LISTS": "sometimes"}))
		if err == nil || !strings.Contains(err.Error(), "tag_lists") {
			t.Fatalf("err = %v", err)
		}
	})
}
