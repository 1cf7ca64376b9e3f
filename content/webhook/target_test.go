package webhook_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"dateline/content/webhook"
)

func TestCheckTargetRefusesWhatDeliveryWouldRefuse(t *testing.T) {
	names := map[string][]netip.Addr{
		"hooks.example.org":    {netip.MustParseAddr("93.184.216.34")},
		"intranet.example.org": {netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("192.168.0.9")},
		"mixed.example.org":    {netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("93.184.216.34")},
	}
	lookup := func(_ context.Context, host string) ([]netip.Addr, error) {
		if a, ok := names[host]; ok {
			return a, nil
		}
		return nil, errors.New("no such host")
	}
	tests := []struct {
		name    string
		url     string
		private bool
		refused bool
	}{
		{"a public address is accepted", "https://93.184.216.34/hook", false, false},
		{"a public name is accepted", "https://hooks.example.org/in", false, false},
		{"a loopback address is refused", "http://127.0.0.1:9000/in", false, true},
		{"an IPv6 loopback address is refused", "http://[::1]:9000/in", false, true},
		{"a private address is refused", "http://192.168.1.20/in", false, true},
		{"a link-local address is refused", "http://169.254.169.254/latest/meta-data", false, true},
		{"an IPv4-mapped private address is refused", "http://[::ffff:10.0.0.1]/in", false, true},
		{"localhost is refused", "http://localhost:8080/in", false, true},
		{"a name under .localhost is refused", "http://hooks.localhost/in", false, true},
		{"a name with only private addresses is refused", "https://intranet.example.org/in", false, true},
		{"a name with a public address is accepted, as the dialer would reach it", "https://mixed.example.org/in", false, false},
		{"a name that does not resolve yet is accepted", "https://new.example.org/in", false, false},
		{"with private targets allowed, loopback is accepted", "http://127.0.0.1:9000/in", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.CheckTarget(context.Background(), tt.url, tt.private, lookup)
			if tt.refused != (err != nil) {
				t.Fatalf("CheckTarget(%q) = %v, want refused %v", tt.url, err, tt.refused)
			}
			if err != nil && !errors.Is(err, webhook.ErrPrivateTarget) {
				t.Errorf("err %v does not wrap ErrPrivateTarget", err)
			}
		})
	}
}

// TestCheckTargetAgreesWithTheDialer holds the create-time check to the
// dial-time one: every address the dialer refuses is refused at create
// time, and every one it dials is accepted.
func TestCheckTargetAgreesWithTheDialer(t *testing.T) {
	for _, s := range []string{"127.0.0.1", "10.0.0.1", "172.16.5.4", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1",
		"64:ff9b::a00:1", "2002:a00:1::", "93.184.216.34", "2606:4700::1111", "8.8.8.8"} {
		ip := netip.MustParseAddr(s)
		err := webhook.CheckTarget(context.Background(), "http://"+netip.AddrPortFrom(ip, 80).String()+"/", false, nil)
		dialErr := webhook.Dialer(false, 0).Control("tcp", netip.AddrPortFrom(ip, 80).String(), nil)
		if (err == nil) != (dialErr == nil) {
			t.Errorf("%s: create-time check %v, dialer %v", s, err, dialErr)
		}
	}
}
