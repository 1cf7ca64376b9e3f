package main

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// listen binds addr for setting (the config key) and says in one line what
// went wrong: a taken address names the setting to change, other errors
// drop the operation and address that the net package repeats
// ("listen tcp 127.0.0.1:8080: bind: …").
func listen(setting, flagName, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	if errors.Is(err, syscall.EADDRINUSE) {
		how := setting
		if flagName != "" {
			how = flagName + " or " + setting
		}
		return nil, fmt.Errorf("cannot listen on %s (%s): another program already uses it; choose another address with %s", addr, setting, how)
	}
	var op *net.OpError
	if errors.As(err, &op) {
		err = op.Err
	}
	return nil, fmt.Errorf("cannot listen on %s (%s): %w", addr, setting, err)
}
