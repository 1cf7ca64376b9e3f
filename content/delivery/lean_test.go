package delivery_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/delivery"
)

// leanEnv has a one-page story (one-page) and a two-page one (two-pages).
func leanEnv(t *testing.T, open func(testing.TB, delivery.Options) *testEnv) *testEnv {
	t.Helper()
	env := open(t, delivery.Options{})
	one := withSlug(story("One page", "Harbour"), "one-page")
	one.Body = "Only **one** page."
	two := withSlug(story("Two pages", "Harbour"), "two-pages")
	if _, err := env.db.Import(context.Background(), []content.Import{
		{Edit: one, Status: content.StatusPublished, PublishedAt: at(-time.Hour)},
		{Edit: two, Status: content.StatusPublished, PublishedAt: at(-2 * time.Hour)},
	}, ""); err != nil {
		t.Fatal(err)
	}
	return env
}

func TestAStoryCarriesItsBodyOnceByDefault(t *testing.T) {
	env := leanEnv(t, newEnv)
	for _, tt := range []struct {
		name, target   string
		text, pages    bool
		pageCountShown int
	}{
		{"a one-page story has body_html only", "/api/v1/articles/one-page", false, false, 0},
		{"a story of two pages has its pages too", "/api/v1/articles/two-pages", false, true, 2},
		{"formats=text adds body_text", "/api/v1/articles/one-page?formats=text", true, false, 0},
		{"formats=pages adds the pages of a one-page story", "/api/v1/articles/one-page?formats=pages", false, true, 1},
		{"formats=text,pages adds both", "/api/v1/articles/two-pages?formats=text,pages", true, true, 2},
		{"formats=html is the default shape", "/api/v1/articles/one-page?formats=html", false, false, 0},
		{"blanks around the commas are ignored", "/api/v1/articles/one-page?formats=pages,%20text", true, true, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.get(t, tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			var got map[string]any
			decodeJSON(t, rec.Body.Bytes(), &got)
			if _, ok := got["body_html"].(string); !ok {
				t.Errorf("no body_html: %s", rec.Body)
			}
			if _, ok := got["body_text"]; ok != tt.text {
				t.Errorf("body_text present %v, want %v", ok, tt.text)
			}
			pages, ok := got["pages"].([]any)
			if ok != tt.pages || len(pages) != tt.pageCountShown {
				t.Errorf("pages %v (%d), want %v (%d)", ok, len(pages), tt.pages, tt.pageCountShown)
			}
		})
	}
}

func TestTheStoredStoryIsTheDefaultShape(t *testing.T) {
	stored, built := leanEnv(t, newEnv), leanEnv(t, newBuiltEnv)
	for _, slug := range []string{"one-page", "two-pages"} {
		t.Run(slug+" from stored JSON is what the tables give", func(t *testing.T) {
			b, ok, err := stored.db.PublicBlob(context.Background(), slug, stored.api.RenderKey(), nil)
			if err != nil || !ok {
				t.Fatalf("no stored JSON (%v)", err)
			}
			a, f := stored.get(t, "/api/v1/articles/"+slug), built.get(t, "/api/v1/articles/"+slug)
			// The two databases give the stories different ids: compare
			// which fields each answer has.
			strip := func(body []byte) string {
				var m map[string]any
				decodeJSON(t, body, &m)
				return strings.Join(keys(m), ",")
			}
			if !bytes.Equal(a.Body.Bytes(), b.JSON) {
				t.Errorf("the answer is not the stored JSON")
			}
			if strip(a.Body.Bytes()) != strip(f.Body.Bytes()) {
				t.Errorf("stored fields %s, built %s", strip(a.Body.Bytes()), strip(f.Body.Bytes()))
			}
		})
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestFormatsOutsideTheAllowListAreRefused(t *testing.T) {
	env := leanEnv(t, newEnv)
	for _, tt := range []struct{ name, query string }{
		{"an unknown representation", "formats=text,markdown"},
		{"formats given twice", "formats=text&formats=pages"},
		{"formats with ninjs", "format=ninjs&formats=text"},
	} {
		t.Run(tt.name+" is a 400 naming formats", func(t *testing.T) {
			rec := env.get(t, "/api/v1/articles/one-page?"+tt.query)
			if rec.Code != http.StatusBadRequest || rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			var p struct {
				Errors []content.FieldError `json:"errors"`
			}
			decodeJSON(t, rec.Body.Bytes(), &p)
			if len(p.Errors) != 1 || p.Errors[0].Field != "formats" {
				t.Fatalf("errors %+v", p.Errors)
			}
		})
	}
}

func TestEveryRepresentationHasItsOwnETag(t *testing.T) {
	env := leanEnv(t, newEnv)
	lean := env.get(t, "/api/v1/articles/one-page")
	full := env.get(t, "/api/v1/articles/one-page?formats=text,pages")
	if lean.Header().Get("ETag") == "" || lean.Header().Get("ETag") == full.Header().Get("ETag") {
		t.Fatalf("ETags %q and %q", lean.Header().Get("ETag"), full.Header().Get("ETag"))
	}
	for _, tt := range []struct {
		name, target, etag string
		want               int
	}{
		{"the default shape's ETag revalidates the default shape", "/api/v1/articles/one-page", lean.Header().Get("ETag"), http.StatusNotModified},
		{"a variant's ETag revalidates the variant", "/api/v1/articles/one-page?formats=text,pages", full.Header().Get("ETag"), http.StatusNotModified},
		{"the default shape's ETag does not revalidate a variant", "/api/v1/articles/one-page?formats=text,pages", lean.Header().Get("ETag"), http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := env.getWith(t, tt.target, map[string]string{"If-None-Match": tt.etag})
			if rec.Code != tt.want {
				t.Fatalf("%d, want %d", rec.Code, tt.want)
			}
			if rec.Header().Get("Cache-Control") != lean.Header().Get("Cache-Control") || rec.Header().Get("Cache-Control") == "" {
				t.Errorf("Cache-Control %q, the default shape's %q", rec.Header().Get("Cache-Control"), lean.Header().Get("Cache-Control"))
			}
		})
	}
	t.Run("a cached default shape is not served for a variant, nor the reverse", func(t *testing.T) {
		for range 2 {
			if rec := env.get(t, "/api/v1/articles/one-page"); bytes.Contains(rec.Body.Bytes(), []byte(`"body_text"`)) {
				t.Fatalf("the default shape has body_text: %s", rec.Body)
			}
			if rec := env.get(t, "/api/v1/articles/one-page?formats=text"); !bytes.Contains(rec.Body.Bytes(), []byte(`"body_text"`)) {
				t.Fatalf("the variant has no body_text: %s", rec.Body)
			}
		}
	})
}

func TestAnOldSlugRedirectsWithItsFormats(t *testing.T) {
	env := leanEnv(t, newEnv)
	ctx := context.Background()
	a, err := env.db.Article(ctx, content.ArticleFilter{Slug: new("one-page")})
	if err != nil {
		t.Fatal(err)
	}
	e := a.Edit
	e.Slug = "only-page"
	if _, err := env.db.UpdateArticle(ctx, a.ID, content.Save{Update: true, Version: a.Version, Edit: e}); err != nil {
		t.Fatal(err)
	}
	rec := env.get(t, "/api/v1/articles/one-page?formats=pages,text")
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/api/v1/articles/only-page?formats=text,pages" {
		t.Fatalf("%d Location %q", rec.Code, rec.Header().Get("Location"))
	}
}
