package demo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/demo"
	"dateline/content/sqlite"
)

// seedTime is the frozen "now" of the seeded newsrooms. The 20 days before
// it span the change to summer time in the newsroom zone.
var seedTime = time.Date(2026, 4, 5, 10, 30, 0, 0, time.UTC)

// seeded opens a real, migrated database file in a temporary directory
// with its clock frozen at now, seeds it into a media directory that does
// not exist yet, and returns the database, the summary and that directory.
func seeded(tb testing.TB, now time.Time) (*sqlite.DB, demo.Summary, string) {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "d.db"), sqlite.Options{Zone: "Europe/Lisbon", Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	media := filepath.Join(dir, "data", "media")
	sum, err := demo.Seed(ctx, db, media, now)
	if err != nil {
		tb.Fatalf("seed: %v", err)
	}
	return db, sum, media
}

func TestSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, sum, media := seeded(t, seedTime)
	all, err := db.Articles(ctx, content.ArticleFilter{Limit: content.MaxLimit, Full: true})
	if err != nil {
		t.Fatalf("list every story: %v", err)
	}
	byStatus := map[content.Status][]*content.Article{}
	byID := map[string]*content.Article{}
	for _, a := range all {
		byStatus[a.Status] = append(byStatus[a.Status], a)
		byID[a.ID] = a
	}
	published := byStatus[content.StatusPublished]

	t.Run("the summary counts the stories of every status", func(t *testing.T) {
		want := map[content.Status]int{
			content.StatusPublished:   29,
			content.StatusScheduled:   2,
			content.StatusDraft:       3,
			content.StatusInReview:    1,
			content.StatusUnpublished: 1,
		}
		got := map[content.Status]int{
			content.StatusPublished:   sum.Published,
			content.StatusScheduled:   sum.Scheduled,
			content.StatusDraft:       sum.Drafts,
			content.StatusInReview:    sum.InReview,
			content.StatusUnpublished: sum.Unpublished,
		}
		for _, s := range content.Statuses {
			if got[s] != want[s] {
				t.Errorf("summary has %d %s stories, want %d", got[s], s, want[s])
			}
			if n := len(byStatus[s]); n != want[s] {
				t.Errorf("database has %d %s stories, want %d", n, s, want[s])
			}
		}
	})

	t.Run("the newsroom has at least 30 stories and 8 tags", func(t *testing.T) {
		if len(all) < 30 {
			t.Errorf("%d stories, want at least 30", len(all))
		}
		tags, err := db.Tags(ctx, content.TagFilter{})
		if err != nil {
			t.Fatalf("tags: %v", err)
		}
		if len(tags) < 8 {
			t.Errorf("%d tags, want at least 8", len(tags))
		}
		var names []string
		for _, tg := range tags {
			names = append(names, tg.Name)
		}
		slices.Sort(names)
		if !slices.Equal(names, sum.Tags) {
			t.Errorf("database tags %q, summary tags %q", names, sum.Tags)
		}
	})

	t.Run("every published story has photos with a credit and alt text", func(t *testing.T) {
		for _, a := range append(slices.Clone(published), byStatus[content.StatusScheduled]...) {
			if len(a.Photos) == 0 || len(a.Photos) > 3 {
				t.Errorf("%q has %d photos, want 1 to 3", a.Headline, len(a.Photos))
			}
			for i, p := range a.Photos {
				if p.Credit == "" || p.Alt == "" || p.Caption == "" {
					t.Errorf("%q photo %d: credit %q alt %q caption %q", a.Headline, i, p.Credit, p.Alt, p.Caption)
				}
			}
		}
	})

	t.Run("published stories have the fields a reader sees", func(t *testing.T) {
		for _, a := range published {
			if a.Standfirst == "" || a.Byline == "" || a.Dateline.Place == "" || len(a.Tags) == 0 || len(a.Tags) > 2 {
				t.Errorf("%q: standfirst %q byline %q place %q tags %v", a.Headline, a.Standfirst, a.Byline, a.Dateline.Place, a.Edit.Tags)
			}
			if a.Dateline.Place != strings.ToUpper(a.Dateline.Place) {
				t.Errorf("%q: dateline place %q is not in capitals", a.Headline, a.Dateline.Place)
			}
			if strings.Contains(a.Body, content.PageBreak) {
				continue // the long read runs longer
			}
			if n := len(strings.Fields(a.Body)); n < 150 || n > 400 {
				t.Errorf("%q: body has %d words, want 150 to 400", a.Headline, n)
			}
		}
	})

	t.Run("most stories are filed at home and a few from other zones", func(t *testing.T) {
		zones := map[string]int{}
		for _, a := range published {
			zones[a.Dateline.TimeZone]++
		}
		if zones[demo.Zone] < len(published)*3/4 {
			t.Errorf("zones %v: want most stories in %s", zones, demo.Zone)
		}
		if len(zones) < 3 {
			t.Errorf("zones %v: want stories from at least two other zones", zones)
		}
	})

	t.Run("three published stories are featured", func(t *testing.T) {
		n := 0
		for _, a := range published {
			if a.Featured {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%d featured stories, want 3", n)
		}
	})

	t.Run("published stories appeared over the previous 20 days", func(t *testing.T) {
		loc, err := time.LoadLocation(demo.Zone)
		if err != nil {
			t.Fatal(err)
		}
		instants := map[time.Time]int{}
		days := map[string]int{}
		for _, a := range append(slices.Clone(published), byStatus[content.StatusUnpublished]...) {
			at := a.PublishedAt
			if at == nil || !at.Before(seedTime) || at.Before(seedTime.AddDate(0, 0, -21)) {
				t.Errorf("%q published at %v, want within the 21 days before %v", a.Headline, at, seedTime)
				continue
			}
			instants[*at]++
			days[at.In(loc).Format(time.DateOnly)]++
		}
		if !slices.ContainsFunc(slices.Collect(maps.Values(instants)), func(n int) bool { return n >= 2 }) {
			t.Error("no two stories share a publication instant")
		}
		if !slices.ContainsFunc(slices.Collect(maps.Values(days)), func(n int) bool { return n >= 3 }) {
			t.Errorf("no day has three stories: %v", days)
		}
		if len(days) < 15 {
			t.Errorf("stories appeared on %d days, want them spread out", len(days))
		}
	})

	t.Run("scheduled stories are due in 2 hours and in a day", func(t *testing.T) {
		var due []time.Time
		for _, a := range byStatus[content.StatusScheduled] {
			if a.PublishAt == nil || a.PublishedAt != nil {
				t.Errorf("%q: publish_at %v published_at %v", a.Headline, a.PublishAt, a.PublishedAt)
				continue
			}
			due = append(due, *a.PublishAt)
		}
		slices.SortFunc(due, time.Time.Compare)
		want := []time.Time{seedTime.Add(2 * time.Hour), seedTime.Add(24 * time.Hour)}
		if !slices.EqualFunc(due, want, time.Time.Equal) {
			t.Errorf("due at %v, want %v", due, want)
		}
	})

	t.Run("the long read has three pages", func(t *testing.T) {
		var long []*content.Article
		for _, a := range all {
			if strings.Contains(a.Body, content.PageBreak) {
				long = append(long, a)
			}
		}
		if len(long) != 1 {
			t.Fatalf("%d stories have page breaks, want 1", len(long))
		}
		a := long[0]
		markers := 0
		for _, line := range strings.Split(a.Body, "\n") {
			if strings.TrimSpace(line) == content.PageBreak {
				markers++
			}
		}
		if markers != 2 || strings.Count(a.Body, content.PageBreak) != 2 {
			t.Errorf("%q: %d page breaks on their own line, want 2 (and no others)", a.Headline, markers)
		}
		if a.Status != content.StatusPublished || !a.Featured {
			t.Errorf("%q is %s, featured %v; want a published, featured story", a.Headline, a.Status, a.Featured)
		}
	})

	t.Run("related links of every kind exist and in-house ones resolve", func(t *testing.T) {
		kinds := map[content.LinkKind]int{}
		for _, a := range all {
			for _, l := range a.Links {
				kinds[l.Kind]++
				switch {
				case l.Kind == content.LinkRelated && byID[l.ArticleID] == nil:
					t.Errorf("%q: related link %q points at no story", a.Headline, l.Title)
				case l.Kind == content.LinkRelated && l.Title != byID[l.ArticleID].Headline:
					t.Errorf("%q: related link %q is titled unlike its story %q", a.Headline, l.Title, byID[l.ArticleID].Headline)
				case l.Kind != content.LinkRelated && !strings.HasPrefix(l.URL, "https://www.example.com/") && !strings.HasPrefix(l.URL, "https://partner.example.org/"):
					t.Errorf("%q: link %q goes to %q, want an example domain", a.Headline, l.Title, l.URL)
				}
			}
		}
		for _, k := range []content.LinkKind{content.LinkRelated, content.LinkOtherMedia, content.LinkPartner} {
			if kinds[k] == 0 {
				t.Errorf("no %s links: %v", k, kinds)
			}
		}
	})

	t.Run("photos are PNG files of the declared size", func(t *testing.T) {
		seen := 0
		for _, a := range all {
			for _, p := range a.Photos {
				name, ok := strings.CutPrefix(p.URL, "/media/")
				if !ok || !strings.HasSuffix(name, ".png") || strings.Contains(name, "/") {
					t.Errorf("%q: photo URL %q, want /media/<name>.png", a.Headline, p.URL)
					continue
				}
				b, err := os.ReadFile(filepath.Join(media, name))
				if err != nil {
					t.Errorf("%q: %v", a.Headline, err)
					continue
				}
				if len(b) >= 100_000 {
					t.Errorf("%s is %d bytes, want well under 100 KB", name, len(b))
				}
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if s := img.Bounds().Size(); s.X != p.Width || s.Y != p.Height || p.Width == 0 {
					t.Errorf("%s is %v, declared %dx%d", name, s, p.Width, p.Height)
				}
				seen++
			}
		}
		files, err := os.ReadDir(media)
		if err != nil {
			t.Fatal(err)
		}
		if seen == 0 || len(files) != seen {
			t.Errorf("%d photos in stories, %d files in the media directory", seen, len(files))
		}
	})

	t.Run("the published list shows only published stories", func(t *testing.T) {
		list, err := db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != sum.Published {
			t.Errorf("%d published stories listed, want %d", len(list), sum.Published)
		}
		for _, a := range list {
			if a.Status != content.StatusPublished {
				t.Errorf("%q is %s", a.Headline, a.Status)
			}
			if strings.Contains(strings.ToLower(a.Headline), "embargoed") {
				t.Errorf("the embargoed draft %q is listed", a.Headline)
			}
		}
		embargoed := slices.ContainsFunc(byStatus[content.StatusDraft], func(a *content.Article) bool {
			return strings.Contains(a.Headline, "Embargoed")
		})
		if !embargoed {
			t.Error("no draft has \"Embargoed\" in its headline")
		}
	})

	t.Run("a published story carries a correction for the public log", func(t *testing.T) {
		log, err := db.Corrections(ctx, content.CorrectionFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 1 || !strings.Contains(log[0].Text, "six to three") || log[0].ArticleSlug != "harbour-board-rejects-a-second-cruise-berth" {
			t.Fatalf("corrections log: %+v", log)
		}
		for _, a := range published {
			if a.Slug == log[0].ArticleSlug && (len(a.Corrections) != 1 || !a.Corrections[0].At.After(*a.PublishedAt)) {
				t.Errorf("the corrected story: %+v", a.Corrections)
			}
		}
	})
	t.Run("paging through published stories visits each once", func(t *testing.T) {
		seen := map[string]bool{}
		f := content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: 4}
		for range 20 {
			page, err := db.Articles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, a := range page {
				if seen[a.ID] {
					t.Errorf("%q listed twice", a.Headline)
				}
				seen[a.ID] = true
			}
			last := page[len(page)-1]
			f.After = &content.Cursor{Time: *last.PublishedAt, ID: last.ID}
		}
		if len(seen) != sum.Published {
			t.Errorf("paging visited %d stories, want %d", len(seen), sum.Published)
		}
	})
}

// fakeStore records the batches it is given, hands out ids in order and,
// when failOn is set, fails on that call.
type fakeStore struct {
	batches [][]content.Import
	failOn  int
	err     error
}

func (s *fakeStore) CreateMedia(_ context.Context, m content.Media) (content.Media, error) {
	return m, nil
}

func (s *fakeStore) Import(_ context.Context, items []content.Import, _ string) ([]string, error) {
	s.batches = append(s.batches, items)
	n := len(s.batches)
	if n == s.failOn {
		return nil, s.err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = fmt.Sprintf("batch%d-%s", n, it.Edit.Headline)
	}
	return ids, nil
}

func TestSeedImportsTwoBatchesLinkedInOrder(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk full")
	store := &fakeStore{failOn: 2, err: boom}
	_, err := demo.Seed(context.Background(), store, t.TempDir(), seedTime)
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want it to wrap the store's error", err)
	}
	if len(store.batches) != 2 {
		t.Fatalf("%d import batches, want 2", len(store.batches))
	}
	for _, it := range store.batches[0] {
		for _, l := range it.Edit.Links {
			if l.ArticleID != "" {
				t.Errorf("first batch: %q links in-house to %q", it.Edit.Headline, l.ArticleID)
			}
		}
	}
	for _, it := range store.batches[1] {
		for _, l := range it.Edit.Links {
			if l.Kind == content.LinkRelated && !strings.HasPrefix(l.ArticleID, "batch1-") {
				t.Errorf("second batch: %q links to %q, want a first-batch id", it.Edit.Headline, l.ArticleID)
			}
		}
	}
}

func TestSeedStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	store := &fakeStore{}
	_, err := demo.Seed(ctx, store, t.TempDir(), seedTime)
	if !errors.Is(err, context.Canceled) || len(store.batches) != 0 {
		t.Errorf("err = %v after %d imports, want context.Canceled before any", err, len(store.batches))
	}
}
