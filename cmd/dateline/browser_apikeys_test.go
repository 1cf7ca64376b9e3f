package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"dateline/auth"
)

func TestBrowserAnAdminCreatesUsesAndRevokesAnAPIKey(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSite(t)
	addUser(t, a, "ada@example.org", auth.RoleAdmin)
	cora := addUser(t, a, "cora@example.org", auth.RoleContributor)
	_, prefix, hash := auth.NewAPIKey()
	if _, err := a.db.CreateAPIKey(context.Background(), auth.APIKey{UserID: cora.ID, Name: "Cora's notebook", Prefix: prefix, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	publishedStory(t, a, "Harbour reopens")

	b := newBrowser(t, base)
	b.login("ada@example.org")
	b.click(`header nav a[href="/admin/api-keys"]`)
	b.wait("the API keys page", `location.pathname === "/admin/api-keys" && document.querySelector("#key-create") !== null`)
	b.checkLabels("API keys")
	if got := b.text("#key-list tbody"); !strings.Contains(got, "Cora's notebook") || !strings.Contains(got, "cora@example.org") || !strings.Contains(got, prefix) {
		t.Errorf("the admin's list does not show cora's key with its owner: %q", got)
	}

	// An empty name is refused in words, and the field is marked.
	b.click("#key-create button[type=submit]")
	b.waitText("#keys-error", "what the key is for")
	if !eval[bool](b, `document.activeElement.id === "k-name" && document.querySelector("#k-name").getAttribute("aria-invalid") === "true"`) {
		t.Error("the empty name field has neither focus nor aria-invalid")
	}

	// Created from the keyboard: type the name, choose an expiry, press Enter.
	b.setField("#k-expires", "30")
	b.typeInto("#k-name", "Wire import"+kb.Enter)
	b.wait("the new key", `document.querySelector("#k-secret").value.startsWith("dl_")`)
	key := b.value("#k-secret")
	if !b.visible("#key-created") || !strings.Contains(b.text("#key-created"), "You will not see it again") {
		t.Errorf("the new key's notice: %q", b.text("#key-created"))
	}
	b.waitText("#flash", "you will not see it again")
	b.waitText("#key-list tbody tr:first-child", "Wire import")
	if !eval[bool](b, `document.activeElement.id === "k-secret"`) {
		t.Error("the new key is not focused for copying")
	}
	b.checkLabels("API keys with a new key")
	b.click("#k-copy")
	b.wait("the copy hint", `document.querySelector("#k-copy-status").textContent !== ""`)

	// A script uses the key with a plain HTTP client.
	client := &http.Client{Timeout: 10 * time.Second}
	call := func() int {
		t.Helper()
		req, err := http.NewRequest("GET", base+"/api/admin/v1/articles", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := call(); got != http.StatusOK {
		t.Fatalf("the new key gets %d from /api/admin/v1/articles", got)
	}

	// Reloaded, the page shows the key's prefix and last use, never the key.
	b.open("/admin/api-keys", "#key-list")
	row := `tr.key-row[data-name="Wire import"]`
	b.waitText(row, key[:11])
	if html := eval[string](b, `document.documentElement.outerHTML`); strings.Contains(html, key[11:]) {
		t.Error("the reloaded page shows the key")
	}
	if b.visible("#key-created") || b.value("#k-secret") != "" {
		t.Error("the reloaded page still offers the key for copying")
	}
	if got := b.text(row + " td:nth-child(5)"); got == "never" || got == "" {
		t.Errorf("last used = %q after a call", got)
	}

	b.click(row + " .key-revoke")
	b.waitText(row, "Revoked")
	b.waitText("#flash", "revoked")
	if got := b.confirmed(); len(got) != 1 || !strings.Contains(got[0], "Revoke the key “Wire import”") {
		t.Errorf("confirmations: %q", got)
	}
	if b.exists(row + " .key-revoke") {
		t.Error("the revoked key still has a Revoke button")
	}
	if got := call(); got != http.StatusUnauthorized {
		t.Fatalf("the revoked key gets %d", got)
	}
	b.screenshot("api-keys.png")
}
