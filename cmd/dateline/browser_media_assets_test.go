package main

import (
	"fmt"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"dateline/auth"
)

// TestBrowserTheLoginPageLoadsWithoutAFailingRequest opens the login page
// in a fresh browser and checks every request it made, the favicon
// included: none fails or answers 4xx/5xx, and the console has no error
// (newBrowser reports those).
func TestBrowserTheLoginPageLoadsWithoutAFailingRequest(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	b := newBrowser(t, base)
	var mu sync.Mutex
	var failed, seen []string
	if err := chromedp.Listen(b.ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventResponseReceived:
			seen = append(seen, fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL))
			if ev.Response.Status >= 400 {
				failed = append(failed, fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL))
			}
		case *network.EventLoadingFailed:
			if !ev.Canceled {
				failed = append(failed, fmt.Sprintf("%s failed: %s", ev.RequestID, ev.ErrorText))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	b.open("/admin/login", "#email")
	// The favicon is fetched after the load; wait for it.
	b.wait("the favicon", `performance.getEntriesByType("resource").some(e => e.name.includes("favicon"))`)
	b.wait("the page to settle", `document.readyState === "complete"`)
	mu.Lock()
	defer mu.Unlock()
	if len(failed) > 0 {
		t.Errorf("the login page made failing requests: %q (all: %q)", failed, seen)
	}
	if len(seen) < 4 {
		t.Errorf("requests seen: %q; want the page, its CSS, its script and the favicon", seen)
	}
	t.Logf("requests: %q", seen)
	failed = nil
	mu.Unlock()

	t.Run("after a login, an expired session is renewed from the login page", func(t *testing.T) {
		b := b.in(t)
		b.login("edda@example.org")
		if _, err := chromedp.Call(b.ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: "dateline_access", URL: base + "/admin"}); err != nil {
			t.Fatal(err)
		}
		b.do("open /admin/tags", chromedp.Navigate(base+"/admin/tags")) // no access cookie: the login page, which renews
		b.wait("the renewed session", `location.pathname === "/admin/tags" && document.querySelector("#logout") !== null`)
	})
	t.Run("after a logout, the login page tries no renewal", func(t *testing.T) {
		b := b.in(t)
		b.click("#logout")
		b.wait("the login page", `location.pathname === "/admin/login" && document.readyState === "complete"`)
		b.open("/admin/login", "#email")
		b.wait("the page to settle", `document.readyState === "complete"`)
		if eval[bool](b, `"renew" in document.querySelector("#login-form").dataset`) {
			t.Error("the login page still offers a renewal after the logout")
		}
	})
	mu.Lock()
	if len(failed) > 0 {
		t.Errorf("failing requests: %q", failed)
	}
}
