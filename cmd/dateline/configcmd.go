package main

import (
	"context"
	"fmt"
	"io"

	"github.com/goccy/go-yaml"
)

// runConfig prints the effective configuration (defaults < config.yaml <
// environment < flags) as YAML, with secrets redacted. It fails like serve
// would on an unknown key or an invalid value.
func runConfig(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var flags commonFlags
	fs := newFlagSet("config", stderr)
	flags.register(fs)
	flags.registerListen(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	cfg, err := loadConfig(flags, getenv)
	if err != nil {
		return err
	}
	b, err := yaml.Marshal(cfg.redacted())
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	fmt.Fprintln(stdout, "# Effective Dateline configuration (defaults < config.yaml < DATELINE_* < flags); secrets redacted.")
	_, err = stdout.Write(b)
	return err
}
