package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"dateline/auth"
	"dateline/content"
)

func TestBrowserEveryTimeIsInTheNewsroomsZoneAnd24HourWhateverTheBrowsersZone(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSiteWith(t, func(c *Config) { c.TimeZone = "Asia/Tokyo" })
	edda := addUser(t, a, "edda@example.org", auth.RoleEditor)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	art := draftBy(t, a, edda, "Night market opens", "Stalls until late.")
	// 18:05 in Tokyo two days ahead: 09:05 UTC, 04:05 AM in New York.
	d := time.Now().In(tokyo).AddDate(0, 0, 2)
	due := time.Date(d.Year(), d.Month(), d.Day(), 18, 5, 0, 0, tokyo)
	art, err = a.db.ChangeStatus(ctx, art.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &due})
	if err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, base)
	b.zone("America/New_York", "en-US")
	b.login("edda@example.org")
	if got := eval[string](b, `Intl.DateTimeFormat().resolvedOptions().timeZone`); got != "America/New_York" {
		t.Fatalf("the browser's zone is %q, want the emulated America/New_York", got)
	}
	noAMPM := func(where, s string) {
		t.Helper()
		if strings.Contains(s, "AM") || strings.Contains(s, "PM") {
			t.Errorf("%s shows a 12-hour time: %q", where, s)
		}
	}

	// The story list: newsroom time with UTC beside the scheduled time.
	b.open("/admin", "table.list")
	row := b.text(".scheduled-at")
	if want := due.Format("2 Jan 2006 15:04") + " · " + due.UTC().Format("2006-01-02 15:04") + " UTC"; row != want {
		t.Errorf("the list shows the schedule as %q, want %q", row, want)
	}

	// The editor: the schedule field in ISO form, newsroom time, UTC beside.
	b.open("/admin/articles/"+art.ID, "#publish-at")
	b.wait("the edit lock", `window.dateline.editor.locked`)
	if typ := eval[string](b, `document.querySelector("#publish-at").type`); typ != "text" {
		t.Errorf("the schedule field is an %q input, which shows the browser's date format", typ)
	}
	if got, want := b.value("#publish-at"), due.Format("2006-01-02 15:04"); got != want {
		t.Errorf("the schedule field shows %q, want %q", got, want)
	}
	if got, want := b.text("#publish-utc"), due.UTC().Format("2006-01-02 15:04"); !strings.Contains(got, want) || !strings.Contains(got, "UTC") {
		t.Errorf("beside the schedule field: %q, want %s UTC", got, want)
	}
	status := b.text("#save-status")
	if want := "Last saved " + clockIn(tokyo, art.UpdatedAt); status != want {
		t.Errorf("the editor says %q, want %q", status, want)
	}

	// A time typed in ISO form resolves in the newsroom's zone.
	b.setField("#publish-at", due.Format("2006-01-02")+" 07:30")
	b.waitText("#publish-utc", time.Date(due.Year(), due.Month(), due.Day(), 7, 30, 0, 0, tokyo).UTC().Format("2006-01-02 15:04"))

	// "Saved 18:46", in the newsroom's zone, not the browser's.
	b.setField("#headline", "Night market opens on the quay")
	b.saveKeys()
	b.waitText("#save-status", "Saved ")
	saved := b.text("#save-status")
	now := time.Now()
	if saved != "Saved "+now.In(tokyo).Format("15:04") && saved != "Saved "+now.Add(-time.Minute).In(tokyo).Format("15:04") {
		t.Errorf("after saving the editor says %q, want Saved %s (Tokyo)", saved, now.In(tokyo).Format("15:04"))
	}
	noAMPM("the save status", saved)
	b.screenshot("editor-clock.png")
}

// clockIn is a time as the editor's status line shows it in zone loc:
// "18:46" today there, else "2 Dec 2026 18:46".
func clockIn(loc *time.Location, t time.Time) string {
	now := time.Now().In(loc)
	t = t.In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("2 Jan 2006 15:04")
}

func TestBrowserA12HourNewsroomClockShowsTimesWithAMAndPM(t *testing.T) {
	chromiumPath(t)
	a, base := newBrowserSiteWith(t, func(c *Config) { c.TimeZone = "Asia/Tokyo"; c.Clock = "12h" })
	edda := addUser(t, a, "edda@example.org", auth.RoleEditor)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	art := draftBy(t, a, edda, "Night market opens", "Stalls until late.")
	d := time.Now().In(tokyo).AddDate(0, 0, 2)
	due := time.Date(d.Year(), d.Month(), d.Day(), 18, 5, 0, 0, tokyo)
	if _, err := a.db.ChangeStatus(context.Background(), art.ID, content.StatusChange{From: []content.Status{content.StatusDraft}, To: content.StatusScheduled, PublishAt: &due}); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, base)
	b.zone("Europe/Berlin", "de-DE")
	b.login("edda@example.org")
	b.open("/admin", "table.list")
	if got, want := b.text(".scheduled-at"), due.Format("2 Jan 2006")+" 6:05 PM · "+due.UTC().Format("2006-01-02 15:04")+" UTC"; got != want {
		t.Errorf("the list shows %q, want %q", got, want)
	}
	b.open("/admin/articles/"+art.ID, "#publish-at")
	b.wait("the edit lock", `window.dateline.editor.locked`)
	if got, want := b.value("#publish-at"), due.Format("2006-01-02 15:04"); got != want {
		t.Errorf("the schedule field shows %q, want the 24-hour ISO %q", got, want)
	}
	b.setField("#headline", "Night market opens on the quay")
	b.saveKeys()
	b.waitText("#save-status", "Saved ")
	now := time.Now()
	saved := b.text("#save-status")
	if saved != "Saved "+now.In(tokyo).Format("3:04 PM") && saved != "Saved "+now.Add(-time.Minute).In(tokyo).Format("3:04 PM") {
		t.Errorf("after saving the editor says %q, want Saved %s", saved, now.In(tokyo).Format("3:04 PM"))
	}
}
