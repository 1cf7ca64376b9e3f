package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// The conventions every command follows, checked by cli_test.go:
//
//   - "dateline -h", "--help" and "help" list the commands;
//     "dateline CMD -h" prints the flags of CMD (and only those) and exits 0;
//   - an unknown flag, a bad flag value, a missing or an extra argument
//     prints one line (the error and a hint at -h) and exits 2;
//   - a command checks everything it was given before it creates, opens or
//     changes anything.

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

// parseFlags parses args with fs. Asked for help (-h), it prints fs.Usage to
// fs.Output() and returns flag.ErrHelp; any other mistake prints nothing and
// returns a one-line usage error that names the command and points at -h.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return err
	default:
		name := commandName(fs)
		return usageErrorf("%s: %v; run \"dateline %s -h\" for its flags", name, err, name)
	}
}

// noArgs refuses positional arguments left after the flags.
func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return usageErrorf("%s takes no arguments, got %q", commandName(fs), fs.Arg(0))
	}
	return nil
}

// commandName is the command a flag set belongs to ("serve", "user add").
func commandName(fs *flag.FlagSet) string {
	return strings.TrimPrefix(fs.Name(), "dateline ")
}

// runVersion implements "dateline version".
func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "dateline", version)
	return nil
}
