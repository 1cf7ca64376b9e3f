package transfer

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"dateline/content"
)

func TestReadGhostMapsTheExport(t *testing.T) {
	els, err := readAll(t, ReadGhost(openFile("testdata/ghost.json"), Options{SiteURL: "https://post.example.org/"}))
	if err != nil {
		t.Fatal(err)
	}
	lex := storyByID(t, els, "6541aa000000000000000001")
	t.Run("a Lexical post keeps its structure and cards", func(t *testing.T) {
		h := content.Render(lex.Edit.Body).HTML
		for _, w := range []string{"The council voted <strong>seven to two</strong>",
			`<a href="https://council.example.org/harbour-plan"><em>harbour plan</em></a>`,
			">What it costs</h2>", "<ol>\n<li>Dredging</li>", "<blockquote>", "It pays for itself",
			`<img src="https://post.example.org/content/images/2023/11/pier.jpg" alt="The old pier"`, "The old pier in <em>October</em>",
			`<a href="https://www.youtube.com/watch?v=xyz789">Council meeting</a>`, "Raw <strong>HTML</strong> card.",
			"A <em>markdown</em> card.", "x &lt; y &amp;&amp; y &gt; z"} {
			if !strings.Contains(h, w) {
				t.Errorf("body HTML lacks %q\n%s", w, h)
			}
		}
		if strings.Contains(h, "ignored when lexical") {
			t.Error("the HTML was used although Lexical is present")
		}
	})
	t.Run("the primary tag comes first and internal tags are left out", func(t *testing.T) {
		if got := strings.Join(lex.Edit.Tags, ","); got != "Council,Harbour" {
			t.Errorf("tags = %s", got)
		}
	})
	t.Run("authors come in their order and make the byline", func(t *testing.T) {
		if len(lex.Authors) != 2 || lex.Authors[0].Name != "Ana Lima" || lex.Authors[1].Slug != "tom" || lex.Edit.Byline != "Ana Lima and Tom Reyes" {
			t.Errorf("authors %+v byline %q", lex.Authors, lex.Edit.Byline)
		}
	})
	t.Run("the feature image, excerpt, dates and meta fields carry over", func(t *testing.T) {
		want := content.Photo{URL: "https://post.example.org/content/images/2023/11/council.jpg", Caption: "The vote on Tuesday", Alt: "Councillors voting"}
		if len(lex.Edit.Photos) != 1 || !reflect.DeepEqual(lex.Edit.Photos[0], want) {
			t.Errorf("photos = %+v, want %+v", lex.Edit.Photos, want)
		}
		if lex.Edit.Standfirst != "Seven councillors voted for it." || lex.Edit.SEO.MetaTitle != "Harbour plan approved" ||
			lex.Edit.SEO.CanonicalURL != "https://council.example.org/news/harbour" || !lex.Edit.Featured {
			t.Errorf("edit = %+v", lex.Edit)
		}
		if !lex.PublishedAt.Equal(time.Date(2023, 11, 1, 10, 0, 0, 0, time.UTC)) || !lex.UpdatedAt.Equal(time.Date(2023, 11, 2, 9, 30, 0, 0, time.UTC)) {
			t.Errorf("published %v updated %v", lex.PublishedAt, lex.UpdatedAt)
		}
		if lex.Status != content.StatusDraft || !lex.HeldForCredit {
			t.Errorf("status %s held %v: Ghost has no photo credit, so the story waits for one", lex.Status, lex.HeldForCredit)
		}
	})
	t.Run("an HTML post converts its HTML", func(t *testing.T) {
		s := storyByID(t, els, "6541aa000000000000000002")
		if h := content.Render(s.Edit.Body).HTML; !strings.Contains(h, "<strong>Saturdays</strong>") || !strings.Contains(h, "<li>On the quay</li>") {
			t.Errorf("body HTML = %s", h)
		}
	})
	t.Run("a mobiledoc draft without HTML keeps its markdown", func(t *testing.T) {
		s := storyByID(t, els, "6541aa000000000000000004")
		if s.Edit.Body != "Fares rise by **5%**." || s.Status != content.StatusDraft {
			t.Errorf("body %q status %s", s.Edit.Body, s.Status)
		}
	})
	t.Run("statuses and visibility map to the workflow", func(t *testing.T) {
		if s := storyByID(t, els, "6541aa000000000000000005"); s.Status != content.StatusScheduled || s.PublishAt == nil {
			t.Errorf("scheduled post: %s %v", s.Status, s.PublishAt)
		}
		if s := storyByID(t, els, "6541aa000000000000000003"); s.Status != content.StatusDraft {
			t.Errorf("paid post: %s, want a draft", s.Status)
		}
	})
	t.Run("pages are skipped and a bad date is a problem", func(t *testing.T) {
		var skipped, bad []string
		for _, el := range els {
			if el.Skipped != "" {
				skipped = append(skipped, el.Skipped)
			}
			if el.Err != nil {
				bad = append(bad, el.Where+": "+el.Err.Error())
			}
		}
		if strings.Join(skipped, ";") != "a page (--pages imports them)" {
			t.Errorf("skipped = %v", skipped)
		}
		if len(bad) != 1 || !strings.Contains(bad[0], "post 6541aa000000000000000007") || !strings.Contains(bad[0], "created_at") {
			t.Errorf("problems = %v", bad)
		}
	})
}

func TestReadGhostRefusesWhatIsNoGhostExport(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"an empty file", "", "empty"},
		{"an array", "[]", "not a JSON object"},
		{"an object without data", `{"db":[{"meta":{}}]}`, "no data object"},
		{"a truncated file", `{"db":[{"data":{"posts":[{"id":"1"`, "ends too early"},
		{"a table that is no array", `{"data":{"posts":{}}}`, "is not an array"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := readAll(t, ReadGhost(openString(tc.file), Options{}))
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want a format error saying %q", err, tc.want)
			}
		})
	}
}

func FuzzReadGhost(f *testing.F) {
	f.Add(`{"db":[{"data":{"posts":[{"id":"1","title":"t","status":"published","published_at":"2023-01-01T00:00:00Z","html":"<p>x</p>"}]}}]}`)
	f.Add(`{"data":{"posts":[{"id":"1","lexical":"{\"root\":{\"children\":[{\"type\":\"list\"}]}}","status":"draft"}]}}`)
	f.Fuzz(func(t *testing.T, file string) {
		err := ReadGhost(openString(file), Options{MaxElement: 1 << 20})(t.Context(), func(el Element) error { return nil })
		var fe *FormatError
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("error %v is not a format error", err)
		}
	})
}

func TestReadGhostRefusesARowOverTheBound(t *testing.T) {
	file := `{"db":[{"data":{"posts":[{"id":"1","title":"t","status":"draft","html":"` + strings.Repeat("x", 1<<20) + `"}]}}]}`
	_, err := readAll(t, ReadGhost(openString(file), Options{MaxElement: 64 << 10}))
	var fe *FormatError
	if !errors.As(err, &fe) || !strings.Contains(fe.Why, "larger than") || fe.Where != "posts[0]" {
		t.Errorf("error = %v, want a format error naming posts[0] as too large", err)
	}
}
