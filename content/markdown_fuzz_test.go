package content

import (
	"strings"
	"testing"
)

// FuzzRender checks that no body makes Render panic or emit script, an
// event handler or a javascript: URL, in HTML or in any page.
func FuzzRender(f *testing.F) {
	for _, c := range securityCases() {
		f.Add(c.body)
	}
	for _, c := range pageBreakCases() {
		f.Add(c.body)
	}
	f.Add(longStory(300))
	for _, body := range hostileBodies(2000) {
		f.Add(body)
	}
	f.Add("Claim.[^1]\n\n<!-- pagebreak -->\n\nAgain.[^1][^2]\n\n[^1]: One.[^2]\n[^2]: Two.\n")
	f.Add("| a | b |\n|:-:|--|\n| <b>x</b> | [y](javascript:z) |\n")
	f.Add("- [x] `<script>`\n- [ ] ~~<img src=x onerror=alert(1)>~~\n")

	f.Fuzz(func(t *testing.T, body string) {
		r := Render(body)
		for _, out := range append([]string{r.HTML}, r.Pages...) {
			if strings.Contains(strings.ToLower(out), "<script") {
				t.Fatalf("output has a script element:\n%s", out)
			}
			if problem := unsafeHTML(out); problem != "" {
				t.Fatalf("%s in:\n%s", problem, out)
			}
		}
		if r.WordCount != countWords(r.Text) || (r.WordCount > 0) != (r.ReadingMinutes > 0) {
			t.Fatalf("WordCount %d and ReadingMinutes %d disagree with Text %q", r.WordCount, r.ReadingMinutes, r.Text)
		}
		if (r.HTML == "") != (len(r.Pages) == 0) {
			t.Fatalf("HTML %q but %d pages", r.HTML, len(r.Pages))
		}
	})
}

// FuzzSlugify checks that Slugify returns "" or a valid slug, and returns a
// slug it made unchanged.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{
		"", "   ", "🎉🔥", "Hello World", "Москва", "Αθήνα", "北京欢迎你", "cafe\u0301",
		"Don't panic", "C++ & Go — 2024/25!", "--- a --- b ---", strings.Repeat("newsrooms ", 20),
		strings.Repeat("Щ", 100), "\u0301\u0302", "ﷺ", "Ｆｕｌｌ ﬁne", "\xff\xfe invalid",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slug := Slugify(s)
		if slug == "" {
			return
		}
		if !ValidSlug(slug) || len(slug) > 80 {
			t.Fatalf("Slugify(%q) = %q, not a valid slug of at most 80 characters", s, slug)
		}
		if again := Slugify(slug); again != slug {
			t.Fatalf("Slugify(%q) = %q, but Slugify(%q) = %q", s, slug, slug, again)
		}
	})
}
