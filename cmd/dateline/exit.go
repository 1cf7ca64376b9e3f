package main

import (
	"errors"
	"flag"
	"fmt"
)

// Exit codes of the dateline command.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed (missing file, bad config, damaged backup, …)
	exitUsage   = 2 // the command was called wrongly (unknown flag, missing argument)
)

// usageError marks a mistake in how a command was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode returns the process exit code for the error run returned.
func exitCode(err error) int {
	var u usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp): // -h printed the flags
		return exitOK
	case errors.As(err, &u):
		return exitUsage
	default:
		return exitFailure
	}
}
