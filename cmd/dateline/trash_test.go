package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dateline/content"
)

func TestTheSettingsSayWhereEachValueComesFrom(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.yaml")
	if err := writeFile(file, []byte("site_name: The Harbour Gazette\nlanguage: pt\ntrash_days: 7\n")); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(commonFlags{config: file, baseURL: "https://cms.example.org"},
		envOf(map[string]string{"DATELINE_LANGUAGE": "en", "DATELINE_TIME_ZONE": "Europe/Lisbon"}))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, s := range cfg.settings() {
		got[s.Key] = [2]string{s.Value, s.Source}
	}
	for key, want := range map[string][2]string{
		"site_name":   {"The Harbour Gazette", "config file " + file},
		"language":    {"en", "environment DATELINE_LANGUAGE"},
		"time_zone":   {"Europe/Lisbon", "environment DATELINE_TIME_ZONE"},
		"base_url":    {"https://cms.example.org", "flag --base-url"},
		"trash_days":  {"7 days", "config file " + file},
		"article_url": {"", "default"},
		"preview":     {"https://cms.example.org/preview/{code}", "flag --base-url"},
	} {
		if got[key] != want {
			t.Errorf("%s = %q, want %q", key, got[key], want)
		}
	}
	cfg, err = loadConfig(commonFlags{config: file}, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.source("base_url"); !strings.Contains(s, "follows the listen address") {
		t.Errorf("an unset base_url's source: %q", s)
	}
}

func TestTrashDaysIsChecked(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		ok   bool
		days int
	}{
		{"the default keeps deleted stories 30 days", nil, true, 30},
		{"0 turns the automatic purge off", map[string]string{"DATELINE_TRASH_DAYS": "0"}, true, 0},
		{"a negative number is refused", map[string]string{"DATELINE_TRASH_DAYS": "-2"}, false, 0},
		{"a word is refused", map[string]string{"DATELINE_TRASH_DAYS": "month"}, false, 0},
		{"more than ten years is refused", map[string]string{"DATELINE_TRASH_DAYS": "4000"}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.ok {
				cfg, err := loadConfig(commonFlags{}, envOf(tc.env))
				if err != nil || cfg.TrashDays != tc.days {
					t.Errorf("trash_days %d, %v; want %d", cfg.TrashDays, err, tc.days)
				}
				return
			}
			if _, err := loadConfig(commonFlags{}, envOf(tc.env)); err == nil || !strings.Contains(err.Error(), "trash_days") {
				t.Errorf("error %v, want one naming trash_days", err)
			}
		})
	}
}

func TestTheBackgroundPurgeTakesStoriesPastTrashDays(t *testing.T) {
	var offset atomic.Int64
	a, _ := newTestAppClock(t, func() time.Time { return time.Now().Add(time.Duration(offset.Load())) })
	a.cfg.TrashDays = 30
	ctx := context.Background()
	old, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Deleted in the summer"}, "")
	if err != nil {
		t.Fatal(err)
	}
	recent, err := a.db.CreateArticle(ctx, content.Edit{Headline: "Deleted last week"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.DeleteArticle(ctx, old.ID, ""); err != nil {
		t.Fatal(err)
	}
	offset.Store(int64(24 * 24 * time.Hour))
	if err := a.db.DeleteArticle(ctx, recent.ID, ""); err != nil {
		t.Fatal(err)
	}
	if n := a.purgeTrash(ctx); n != 0 {
		t.Fatalf("a purge 24 days after the first deletion took %d stories", n)
	}
	offset.Store(int64(31 * 24 * time.Hour))
	// runTrashPurge purges at once, then every interval, until cancelled.
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.runTrashPurge(runCtx, time.Hour); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		items, err := a.db.Trash(ctx, content.TrashFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 1 && items[0].ID == recent.ID {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Trash after the background purge: %+v", items)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the purge loop did not stop when its context was cancelled")
	}
	a.cfg.TrashDays = 0
	offset.Store(int64(400 * 24 * time.Hour))
	if n := a.purgeTrash(ctx); n != 0 {
		t.Errorf("with trash_days 0 the purge took %d stories", n)
	}
}

func TestUnknownAdminAddressesAnswerTheAdmin404Page(t *testing.T) {
	h := newRouter(fullApp(t))
	for _, target := range []string{"/admin/no-such-page", "/admin/articles/x/y/z", "/admin/webhooks/extra"} {
		rec := send(t, h, request{method: "GET", target: target})
		if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(rec.Body.String(), "Page not found") || strings.Contains(rec.Body.String(), "404 page not found") {
			t.Errorf("%s: %d %q %.200s", target, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	}
	// Other unknown paths keep their answers.
	if rec := send(t, h, request{method: "GET", target: "/api/admin/v1/nope"}); rec.Code != http.StatusNotFound || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("admin API: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}
