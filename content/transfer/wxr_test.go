package transfer

import (
	"context"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"dateline/content"
)

func openFile(path string) Opener {
	return func() (io.ReadCloser, error) { return os.Open(path) }
}

func openString(s string) Opener {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
}

// readAll runs read and returns its elements by where they are.
func readAll(t *testing.T, read ReadFunc) ([]Element, error) {
	t.Helper()
	var els []Element
	err := read(context.Background(), func(el Element) error {
		els = append(els, el)
		return nil
	})
	return els, err
}

func storyByID(t *testing.T, els []Element, id string) *content.ImportedStory {
	t.Helper()
	for _, el := range els {
		if el.Story != nil && el.Story.SourceID == id {
			return el.Story
		}
	}
	t.Fatalf("no story %s among %d elements", id, len(els))
	return nil
}

func TestReadWXRMapsTheExport(t *testing.T) {
	els, err := readAll(t, ReadWXR(openFile("testdata/wordpress.xml"), Options{Zone: "Europe/London"}))
	if err != nil {
		t.Fatal(err)
	}
	if els[0].Source != "wxr:https://gazette.example.org" {
		t.Errorf("source = %q", els[0].Source)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	post := storyByID(t, els, "101")
	t.Run("a published post keeps its GMT dates, slug, excerpt and sticky flag", func(t *testing.T) {
		if post.Status != content.StatusPublished || !post.PublishedAt.Equal(at("2016-09-08T05:43:00Z")) || !post.UpdatedAt.Equal(at("2016-09-09T09:00:00Z")) {
			t.Errorf("status %s published %v updated %v", post.Status, post.PublishedAt, post.UpdatedAt)
		}
		if post.Edit.Slug != "harbour-reopens" || post.Edit.Standfirst != "Ferries run again after two days of closure." || !post.Edit.Featured {
			t.Errorf("slug %q standfirst %q featured %v", post.Edit.Slug, post.Edit.Standfirst, post.Edit.Featured)
		}
		if post.Edit.SEO.MetaDescription != "The harbour is open again." {
			t.Errorf("meta description = %q", post.Edit.SEO.MetaDescription)
		}
	})
	t.Run("categories and tags become tags, without Uncategorized", func(t *testing.T) {
		if got := strings.Join(post.Edit.Tags, ","); got != "Harbour,Storms" {
			t.Errorf("tags = %s", got)
		}
		if got := strings.Join(storyByID(t, els, "102").Edit.Tags, ","); got != "Storms" {
			t.Errorf("tags of 102 = %s", got)
		}
	})
	t.Run("the author becomes a credit and the byline", func(t *testing.T) {
		if len(post.Authors) != 1 || post.Authors[0] != (content.ImportAuthor{Key: "mhale", Email: "mara.hale@gazette.example.org", Name: "Mara Hale"}) {
			t.Errorf("authors = %+v", post.Authors)
		}
		if post.Edit.Byline != "Mara Hale" {
			t.Errorf("byline = %q", post.Edit.Byline)
		}
	})
	t.Run("the featured image comes from an attachment later in the file, with caption, alt and credit", func(t *testing.T) {
		want := content.Photo{URL: "https://gazette.example.org/wp-content/uploads/2016/09/quay.jpg", Caption: "The quay at dawn",
			Credit: "Mara Hale/Gazette ©", Alt: "The quay at dawn, boats moored"}
		if len(post.Edit.Photos) != 1 || !reflect.DeepEqual(post.Edit.Photos[0], want) {
			t.Errorf("photos = %+v, want %+v", post.Edit.Photos, want)
		}
	})
	t.Run("old slugs become redirects", func(t *testing.T) {
		if got := strings.Join(post.OldSlugs, ","); got != "harbour-closed" {
			t.Errorf("old slugs = %s", got)
		}
	})
	t.Run("block editor content keeps its structure", func(t *testing.T) {
		html := content.Render(post.Edit.Body).HTML
		for _, w := range []string{
			`<a href="https://gazette.example.org/2016/09/07/storm-warning/">a day after the warning</a>`,
			">What reopens first</h2>", "<li>The ferry terminal</li>", "<blockquote>", "We lost two moorings",
			`<img src="https://gazette.example.org/wp-content/uploads/2016/09/quay.jpg" alt="The quay at dawn"`,
			"<em>The quay at dawn on Thursday</em>",
			`<a href="https://www.youtube.com/watch?v=abc123">`,
			"<code>a[b[0]]&gt;c</code>",
		} {
			if !strings.Contains(html, w) {
				t.Errorf("body HTML lacks %q\n%s", w, html)
			}
		}
		if strings.Contains(post.Edit.Body, "wp:") {
			t.Errorf("block comments survived:\n%s", post.Edit.Body)
		}
	})
	classic := storyByID(t, els, "102")
	t.Run("classic content gets its paragraphs, caption and pages", func(t *testing.T) {
		r := content.Render(classic.Edit.Body)
		for _, w := range []string{"<p>A storm warning was issued on Wednesday.<br>\nThe coastguard", "<em>Waves over the pier on Wednesday</em>",
			`alt="Waves over the pier"`, "<strong>Update:</strong>"} {
			if !strings.Contains(r.HTML, w) {
				t.Errorf("body HTML lacks %q\n%s", w, r.HTML)
			}
		}
		if len(r.Pages) != 2 {
			t.Errorf("%d pages, want 2 (the nextpage marker)", len(r.Pages))
		}
		if strings.Contains(r.HTML, "gallery") {
			t.Errorf("the gallery shortcode survived: %s", r.HTML)
		}
	})
	t.Run("a non-ASCII slug is transliterated and the author named by display name", func(t *testing.T) {
		if classic.Edit.Slug != "shtorm" || classic.Edit.Headline != "Классический редактор: шторм" {
			t.Errorf("slug %q headline %q", classic.Edit.Slug, classic.Edit.Headline)
		}
		if classic.Authors[0].Name != "Иван Волков" || classic.Authors[0].Email != "" {
			t.Errorf("author = %+v", classic.Authors[0])
		}
	})
	t.Run("a photo without a credit holds a published post back as a draft", func(t *testing.T) {
		if classic.Status != content.StatusDraft || !classic.HeldForCredit || classic.PublishedAt == nil {
			t.Errorf("status %s held %v published %v", classic.Status, classic.HeldForCredit, classic.PublishedAt)
		}
		if classic.Edit.Photos[0].URL != "https://gazette.example.org/wp-content/uploads/2016/09/waves.jpg" {
			t.Errorf("photo URL = %q, want https", classic.Edit.Photos[0].URL)
		}
	})
	t.Run("statuses map to the workflow", func(t *testing.T) {
		for id, want := range map[string]content.Status{"103": content.StatusDraft, "104": content.StatusInReview,
			"105": content.StatusScheduled, "106": content.StatusDraft} {
			if got := storyByID(t, els, id).Status; got != want {
				t.Errorf("post %s: status %s, want %s", id, got, want)
			}
		}
		if s := storyByID(t, els, "105"); s.PublishAt == nil || !s.PublishAt.Equal(at("2027-06-01T06:00:00Z")) {
			t.Errorf("scheduled post publish_at = %v", s.PublishAt)
		}
		if s := storyByID(t, els, "103"); s.CreatedAt == nil || !s.CreatedAt.Equal(at("2026-10-30T09:15:00Z")) {
			t.Errorf("draft without a GMT date: created %v, want its local date in the newsroom zone", s.CreatedAt)
		}
	})
	t.Run("trash, pages, menu items and attachments are skipped and a broken date is a problem", func(t *testing.T) {
		skipped := map[string]int{}
		var bad []Element
		for _, el := range els {
			if el.Skipped != "" {
				skipped[el.Skipped]++
			}
			if el.Err != nil {
				bad = append(bad, el)
			}
		}
		if skipped["a post in the trash"] != 1 || skipped["a page (--pages imports them)"] != 1 ||
			skipped["an item of type nav_menu_item"] != 1 || skipped["an item of type attachment"] != 2 {
			t.Errorf("skipped = %v", skipped)
		}
		if len(bad) != 1 || !strings.Contains(bad[0].Where, "post 108") || !strings.Contains(bad[0].Err.Error(), "wp:post_date_gmt") {
			t.Errorf("problems = %+v, want the broken date of post 108", bad)
		}
	})
}

func TestReadWXRReadsVersion1Point1(t *testing.T) {
	b, err := os.ReadFile("testdata/wordpress.xml")
	if err != nil {
		t.Fatal(err)
	}
	old := strings.ReplaceAll(string(b), "http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/")
	els, err := readAll(t, ReadWXR(openString(old), Options{}))
	if err != nil {
		t.Fatal(err)
	}
	s := storyByID(t, els, "101")
	if s.Edit.Standfirst != "Ferries run again after two days of closure." || !strings.Contains(s.Edit.Body, "What reopens first") {
		t.Errorf("WXR 1.1: standfirst %q body %.80q", s.Edit.Standfirst, s.Edit.Body)
	}
}
