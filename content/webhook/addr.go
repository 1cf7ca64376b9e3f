package webhook

import "net/netip"

// publicAddr reports whether ip may be dialled as a webhook target: a
// globally reachable unicast address, and for the IPv6 forms that carry an
// IPv4 address the gateway or tunnel will deliver to (IPv4-mapped, SIIT,
// NAT64 well-known prefix, 6to4, Teredo), an embedded IPv4 address that is
// itself public. IPv4 is public unless it lies in one of notPublicV4; IPv6
// is public unless it is loopback, unspecified, link-local, multicast, in
// one of notPublicV6 or embeds an IPv4 address that is not public.
func publicAddr(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	ip = ip.Unmap() // ::ffff:a.b.c.d is a.b.c.d
	if ip.Is4() {
		return publicV4(ip)
	}
	if !ip.IsGlobalUnicast() { // loopback, unspecified, link-local, multicast
		return false
	}
	for _, p := range notPublicV6 {
		if p.Contains(ip) {
			return false
		}
	}
	for _, v4 := range embeddedV4(ip) {
		if !publicV4(v4) {
			return false
		}
	}
	return true
}

// publicV4 reports whether an IPv4 address is in none of notPublicV4.
func publicV4(ip netip.Addr) bool {
	for _, p := range notPublicV4 {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// notPublicV4 are the IPv4 blocks of the IANA special-purpose registry that
// are not globally reachable (RFC 6890 and later).
var notPublicV4 = prefixes(
	"0.0.0.0/8",       // "this network", unspecified
	"10.0.0.0/8",      // private
	"100.64.0.0/10",   // carrier-grade NAT
	"127.0.0.0/8",     // loopback
	"169.254.0.0/16",  // link-local (cloud metadata lives here)
	"172.16.0.0/12",   // private
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // documentation
	"192.88.99.0/24",  // 6to4 relay anycast (deprecated)
	"192.168.0.0/16",  // private
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // documentation
	"203.0.113.0/24",  // documentation
	"224.0.0.0/4",     // multicast
	"240.0.0.0/4",     // reserved, broadcast
)

// notPublicV6 are the IPv6 blocks refused besides loopback, unspecified,
// link-local and multicast: whole blocks that are never a public target,
// whatever they embed.
var notPublicV6 = prefixes(
	"::/96",          // IPv4-compatible ::a.b.c.d (deprecated, RFC 4291)
	"64:ff9b:1::/48", // local-use NAT64 (RFC 8215): the mapping is the network's own
	"100::/64",       // discard-only
	"2001:2::/48",    // benchmarking
	"2001:10::/28",   // ORCHID (deprecated)
	"2001:20::/28",   // ORCHIDv2
	"2001:db8::/32",  // documentation
	"3fff::/20",      // documentation (RFC 9637)
	"fc00::/7",       // unique local
	"fec0::/10",      // site-local (deprecated)
)

// The IPv6 blocks whose addresses carry an IPv4 address.
var (
	siit   = netip.MustParsePrefix("::ffff:0:0:0/96") // IPv4-translated (RFC 2765)
	nat64  = netip.MustParsePrefix("64:ff9b::/96")    // NAT64 well-known prefix (RFC 6052)
	sixTo4 = netip.MustParsePrefix("2002::/16")       // 6to4 (RFC 3056)
	teredo = netip.MustParsePrefix("2001::/32")       // Teredo (RFC 4380)
)

// embeddedV4 returns the IPv4 addresses an IPv6 address carries: the last
// 32 bits of SIIT and NAT64 addresses, bits 16–47 of 6to4 ones, and the
// server (bits 32–63) and the client (the last 32 bits, inverted) of Teredo
// ones. Other addresses carry none.
func embeddedV4(ip netip.Addr) []netip.Addr {
	b := ip.As16()
	switch {
	case siit.Contains(ip), nat64.Contains(ip):
		return []netip.Addr{netip.AddrFrom4([4]byte(b[12:16]))}
	case sixTo4.Contains(ip):
		return []netip.Addr{netip.AddrFrom4([4]byte(b[2:6]))}
	case teredo.Contains(ip):
		client := [4]byte{^b[12], ^b[13], ^b[14], ^b[15]}
		return []netip.Addr{netip.AddrFrom4([4]byte(b[4:8])), netip.AddrFrom4(client)}
	}
	return nil
}

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}
