package webhook_test

import (
	"errors"
	"testing"
	"time"

	"dateline/content/webhook"
)

// TestAddressesThatReachPrivateIPv4AreRefused checks the dial-time address
// rule on every IPv6 form that carries an IPv4 address, and on the special
// IPv4 and IPv6 blocks that are never public targets.
func TestAddressesThatReachPrivateIPv4AreRefused(t *testing.T) {
	tests := []struct {
		name, addr string
		ok         bool
	}{
		{"a public IPv4 address is dialled", "93.184.216.34:443", true},
		{"a public IPv6 address is dialled", "[2606:4700::1111]:443", true},
		{"NAT64 of a public IPv4 address is dialled", "[64:ff9b::5db8:d822]:443", true},
		{"6to4 of a public IPv4 address is dialled", "[2002:5db8:d822::1]:443", true},
		{"Teredo with a public server and client is dialled", "[2001:0:4136:e378:8000:63bf:a247:ddd7]:443", true},

		{"NAT64 of loopback is refused", "[64:ff9b::127.0.0.1]:80", false},
		{"NAT64 of a private address is refused", "[64:ff9b::10.0.0.1]:80", false},
		{"NAT64 of cloud metadata is refused", "[64:ff9b::a9fe:a9fe]:80", false},
		{"local-use NAT64 is refused whatever it embeds", "[64:ff9b:1::5db8:d822]:80", false},
		{"local-use NAT64 of loopback is refused", "[64:ff9b:1:7f00:0:100::]:80", false},
		{"IPv4-compatible loopback is refused", "[::127.0.0.1]:80", false},
		{"IPv4-compatible private is refused", "[::192.168.1.1]:80", false},
		{"IPv4-compatible public is refused, the form is deprecated", "[::93.184.216.34]:80", false},
		{"IPv4-mapped loopback is refused", "[::ffff:127.0.0.1]:80", false},
		{"IPv4-mapped private is refused", "[::ffff:172.16.0.1]:80", false},
		{"IPv4-mapped CGNAT is refused", "[::ffff:100.64.0.1]:80", false},
		{"IPv4-mapped in hex is refused", "[::ffff:7f00:1]:80", false},
		{"IPv4-translated loopback is refused", "[::ffff:0:127.0.0.1]:80", false},
		{"6to4 of loopback is refused", "[2002:7f00:1::1]:80", false},
		{"6to4 of a private address is refused", "[2002:c0a8:101::1]:80", false},
		{"6to4 of link-local is refused", "[2002:a9fe:a9fe::]:80", false},
		{"Teredo with a loopback client is refused", "[2001:0:4136:e378:8000:63bf:80ff:fffe]:80", false},
		{"Teredo with a private client is refused", "[2001:0:4136:e378:8000:63bf:f5ff:fffe]:80", false},
		{"Teredo with a private server is refused", "[2001:0:a00:1:8000:63bf:a247:ddd7]:80", false},

		{"loopback is refused", "127.0.0.1:80", false},
		{"the rest of 127/8 is refused", "127.1.2.3:80", false},
		{"10/8 is refused", "10.1.2.3:80", false},
		{"172.16/12 is refused", "172.31.255.1:80", false},
		{"192.168/16 is refused", "192.168.1.1:80", false},
		{"link-local is refused", "169.254.169.254:80", false},
		{"CGNAT is refused", "100.64.0.1:80", false},
		{"the unspecified address is refused", "0.0.0.0:80", false},
		{"the rest of 0/8 is refused", "0.1.2.3:80", false},
		{"multicast is refused", "224.0.0.1:80", false},
		{"broadcast is refused", "255.255.255.255:80", false},
		{"reserved 240/4 is refused", "240.0.0.1:80", false},
		{"benchmarking 198.18/15 is refused", "198.18.0.1:80", false},
		{"IETF protocol assignments are refused", "192.0.0.170:80", false},
		{"IPv6 loopback is refused", "[::1]:80", false},
		{"the IPv6 unspecified address is refused", "[::]:80", false},
		{"IPv6 unique local is refused", "[fd00::1]:80", false},
		{"IPv6 link-local is refused", "[fe80::1]:80", false},
		{"IPv6 link-local with a zone is refused", "[fe80::1%eth0]:80", false},
		{"IPv6 site-local is refused", "[fec0::1]:80", false},
		{"IPv6 multicast is refused", "[ff02::1]:80", false},
		{"IPv6 documentation is refused", "[2001:db8::1]:80", false},
		{"IPv6 discard-only is refused", "[100::1]:80", false},
		{"a name instead of an address is refused", "localhost:80", false},
	}
	d := webhook.Dialer(false, time.Second)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := d.Control("tcp", tt.addr, nil)
			if tt.ok {
				if err != nil {
					t.Errorf("dialling %s: %v, want it allowed", tt.addr, err)
				}
				return
			}
			if !errors.Is(err, webhook.ErrPrivateTarget) {
				t.Errorf("dialling %s: err = %v, want ErrPrivateTarget", tt.addr, err)
			}
		})
	}
}
