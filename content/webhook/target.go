package webhook

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// Lookup resolves a host name to its addresses.
type Lookup func(ctx context.Context, host string) ([]netip.Addr, error)

// ResolveHost is the Lookup of the system resolver.
func ResolveHost(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// CheckTarget judges a webhook URL as the delivery dialer will (see
// Dialer), so that a target no delivery could reach is refused when the
// hook is made rather than on every delivery. With allowPrivate it accepts
// every URL. Otherwise a host that is an IP address is judged as it is;
// "localhost" and names under ".localhost" are loopback; any other name is
// resolved with lookup and refused when every address it has would be
// refused. A name that does not resolve now is accepted (it may resolve
// later, and the dialer judges every attempt), and so is a URL that does
// not parse (validation reports it). The error wraps ErrPrivateTarget and
// names the address.
func CheckTarget(ctx context.Context, rawURL string, allowPrivate bool, lookup Lookup) error {
	if allowPrivate {
		return nil
	}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Hostname() == "" {
		return nil
	}
	host := strings.TrimSuffix(u.Hostname(), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		if !publicAddr(ip) {
			return fmt.Errorf("%w: %s", ErrPrivateTarget, ip)
		}
		return nil
	}
	if l := strings.ToLower(host); l == "localhost" || strings.HasSuffix(l, ".localhost") {
		return fmt.Errorf("%w: %s is loopback", ErrPrivateTarget, host)
	}
	addrs, err := lookup(ctx, host)
	if err != nil || len(addrs) == 0 {
		return nil
	}
	for _, ip := range addrs {
		if publicAddr(ip) {
			return nil
		}
	}
	return fmt.Errorf("%w: %s resolves to %s", ErrPrivateTarget, host, addrs[0])
}
