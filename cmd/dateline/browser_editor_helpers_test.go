package main

import (
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// emulateNetworkConditions is the DevTools command that cuts the network
// of the page and flips navigator.onLine with its online and offline
// events (chromium still has it; the generated package lists only its
// per-request successor, which leaves navigator.onLine alone).
var emulateNetworkConditions = cdp.Command[networkConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

type networkConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

// offline cuts the browser's network (every request fails) and tells the
// page it is offline, or, with false, restores both.
func (b *browser) offline(off bool) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		b.t.Fatalf("enable the network domain: %v", err)
	}
	if _, err := chromedp.Call(b.ctx, emulateNetworkConditions, networkConditions{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		b.t.Fatalf("emulate the network: %v", err)
	}
}

// zone makes the browser believe it is in the time zone tz with the
// locale loc (e.g. "America/New_York", "en-US"), as a laptop abroad does.
func (b *browser) zone(tz, loc string) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: tz}); err != nil {
		b.t.Fatalf("override the time zone: %v", err)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: loc}); err != nil {
		b.t.Fatalf("override the locale: %v", err)
	}
}
