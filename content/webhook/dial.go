package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrPrivateTarget is returned when a webhook target resolves to an address
// that is not on the public internet and private targets are not allowed.
var ErrPrivateTarget = errors.New("webhook target is a private, loopback or link-local address")

// Dialer returns a dialer that checks every address it connects to after
// name resolution, so a hostname that resolves to (or is rebound to) a
// private address is refused with ErrPrivateTarget (see publicAddr for what
// counts as private). allowPrivate turns the check off for local
// development and tests.
func Dialer(allowPrivate bool, timeout time.Duration) *net.Dialer {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if allowPrivate {
		return d
	}
	d.Control = func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrPrivateTarget, address)
		}
		if !publicAddr(ap.Addr()) {
			return fmt.Errorf("%w: %s", ErrPrivateTarget, ap.Addr())
		}
		return nil
	}
	return d
}

// NewClient returns the HTTP client deliveries use: the checking dialer, no
// proxy (a proxy would dial for us, past the check), the whole request
// bounded by timeout, and redirects not followed (a 3xx is a failed
// attempt).
func NewClient(allowPrivate bool, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           Dialer(allowPrivate, timeout).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          20,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
