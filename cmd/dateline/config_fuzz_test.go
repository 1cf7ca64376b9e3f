package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadConfig feeds arbitrary bytes to loadConfig as config.yaml: it
// must never panic; an accepted config is valid; a refused one gives a
// one-line error.
func FuzzLoadConfig(f *testing.F) {
	for _, s := range []string{
		"",
		"# only a comment\n",
		"addr: \"localhost:8080\"\ndata_dir: ./data\ntime_zone: Europe/Lisbon\n",
		"adress: x\n",
		"time_zone: Mars/Base\n",
		"base_url: /news\n",
		"addr: [1, 2]\n",
		"read_timeout: 30s\nidle_timeout: 30\n",
		"signing_key: {a: b}\n",
		"metrics_addr: \"localhost:8080\"\n",
		"- a\n- b\n",
		"a: &x [*x]\n",
		"log_level: debug\nlog_format: json\n",
		"\t: \x00\n",
	} {
		f.Add([]byte(s))
	}
	file := filepath.Join(f.TempDir(), "config.yaml")
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := writeFile(file, b); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadConfig(commonFlags{config: file}, envOf(nil))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error for %q: %q", b, err)
			}
			return
		}
		if err := cfg.validate(); err != nil {
			t.Fatalf("accepted an invalid config from %q: %v", b, err)
		}
	})
}
