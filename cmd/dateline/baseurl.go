package main

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// base_url is the public URL in every link the server prints or serves
// (setup links, the admin app's address, media, feeds, sitemaps, preview
// links) and the issuer of its tokens. Set (config.yaml, DATELINE_BASE_URL,
// --base-url), it is used as given: behind a reverse proxy it is the
// proxy's URL. Unset, it follows the listen address: http:// and addr, with
// "localhost" for a wildcard host and, once serve has bound it, the port it
// actually got (so --addr 127.0.0.1:0 prints links that work).

// checkAddr refuses a listen address that is not host:port.
func checkAddr(addr string) error {
	if addr == "" {
		return fmt.Errorf("config: addr must not be empty")
	}
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return fmt.Errorf("config: addr %q must be host:port, e.g. localhost:8080", addr)
	}
	return nil
}

// baseURLFor returns the base URL that follows the listen address addr:
// http:// plus addr, with "localhost" for an empty or wildcard host.
func baseURLFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr // validate refuses it
	}
	if host == "" || unspecifiedHost(host) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// followListener sets BaseURL from the address serve bound, when no
// base_url was set: the port is the bound one (a requested port 0 becomes
// the real port), the host is the one asked for.
func (c *Config) followListener(bound net.Addr) {
	if !c.baseURLFromAddr {
		return
	}
	host, _, _ := net.SplitHostPort(c.Addr)
	_, port, err := net.SplitHostPort(bound.String())
	if err != nil {
		return
	}
	c.BaseURL = baseURLFor(net.JoinHostPort(host, port))
}

// baseURLMisses reports whether an explicitly set base URL points at this
// machine but not at the listener serve bound (addr as configured, bound as
// bound): then every printed link would open another server, or none.
// A base URL with another host name (a proxy, a public name) is never
// judged: there is nothing to compare it with.
func baseURLMisses(baseURL, addr string, bound net.Addr) bool {
	u, err := url.Parse(baseURL)
	if err != nil {
		return false
	}
	bport := u.Port()
	if bport == "" {
		bport = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	lhost, _, _ := net.SplitHostPort(addr)
	_, lport, err := net.SplitHostPort(bound.String())
	if err != nil {
		return false
	}
	bhost := u.Hostname()
	switch {
	case strings.EqualFold(bhost, lhost) || sameIP(bhost, lhost):
		return bport != lport
	case loopbackHost(bhost):
		// A loopback URL reaches a listener on every interface or on
		// loopback; not one on a particular other address.
		if lhost == "" || unspecifiedHost(lhost) || loopbackHost(lhost) {
			return bport != lport
		}
		return true
	default:
		return false
	}
}

func loopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") || strings.HasSuffix(strings.ToLower(h), ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.Unmap().IsLoopback()
}

func unspecifiedHost(h string) bool {
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.IsUnspecified()
}

func sameIP(a, b string) bool {
	x, err1 := netip.ParseAddr(a)
	y, err2 := netip.ParseAddr(b)
	return err1 == nil && err2 == nil && x.Unmap() == y.Unmap()
}
