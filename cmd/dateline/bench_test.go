package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dateline/content"
)

// benchApp returns the production router over n published stories spread
// over 30 tags, with the response cache on or off.
func benchApp(b testing.TB, n int, cache bool) http.Handler {
	b.Helper()
	a, _ := newTestApp(b)
	a.log, a.lines = newLogger(a.cfg, io.Discard) // as serve logs
	if !cache {
		a.cfg.CacheMemoryMB = 0
	}
	words := strings.Fields("harbour council ferry quay tide market vote port storm fishing school budget")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; done += 500 {
		var items []content.Import
		for i := done; i < min(n, done+500); i++ {
			at := start.Add(time.Duration(i) * 7 * time.Minute)
			var body strings.Builder
			for j := range 600 {
				body.WriteString(words[(i*31+j*j)%len(words)])
				body.WriteByte(' ')
			}
			items = append(items, content.Import{Status: content.StatusPublished, PublishedAt: &at, Edit: content.Edit{
				Headline: fmt.Sprintf("%s story %d", words[i%len(words)], i), Standfirst: "A standfirst.", Body: body.String(),
				Photos: []content.Photo{{URL: "/media/p.png", Caption: "Quay", Credit: "© Staff", Alt: "The quay"}},
				Tags:   []string{fmt.Sprintf("topic %d", i%30), fmt.Sprintf("topic %d", (i+7)%30)}}})
		}
		if _, err := a.db.Import(context.Background(), items, ""); err != nil {
			b.Fatal(err)
		}
	}
	return newRouter(a)
}

func benchGet(b *testing.B, h http.Handler, targets []string, header http.Header, want int) {
	b.Helper()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, targets[i%len(targets)], nil)
		req.Header = header
		i++
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("%s: %d %s", req.URL, rec.Code, rec.Body)
		}
	}
}

func BenchmarkListByTag(b *testing.B) {
	for _, cache := range []bool{true, false} {
		b.Run(fmt.Sprintf("cache=%v", cache), func(b *testing.B) {
			h := benchApp(b, 2000, cache)
			benchGet(b, h, []string{"/api/v1/articles?tag=topic-7&limit=20"}, http.Header{}, 200)
		})
	}
}

func BenchmarkListByTagCold(b *testing.B) {
	h := benchApp(b, 2000, true)
	var targets []string
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		cur := content.Cursor{Time: start.Add(time.Duration(300+i) * 7 * time.Minute)}.Encode()
		targets = append(targets, fmt.Sprintf("/api/v1/articles?tag=topic-%d&limit=20&cursor=%s", i%30, cur))
	}
	benchGet(b, h, targets, http.Header{}, 200)
}

func BenchmarkSearch(b *testing.B) {
	for _, cache := range []bool{true, false} {
		b.Run(fmt.Sprintf("cache=%v", cache), func(b *testing.B) {
			h := benchApp(b, 2000, cache)
			benchGet(b, h, []string{"/api/v1/articles?q=storm+story&limit=20", "/api/v1/articles?q=%22school+story+1%22"}, http.Header{}, 200)
		})
	}
}

func BenchmarkNotModified(b *testing.B) {
	h := benchApp(b, 200, true)
	target := "/api/v1/articles?tag=topic-7&limit=20"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	benchGet(b, h, []string{target}, http.Header{"If-None-Match": {rec.Header().Get("ETag")}}, http.StatusNotModified)
}

func BenchmarkStoryBySlug(b *testing.B) {
	for _, cache := range []bool{true, false} {
		b.Run(fmt.Sprintf("cache=%v", cache), func(b *testing.B) {
			h := benchApp(b, 500, cache)
			benchGet(b, h, []string{"/api/v1/articles/harbour-story-0", "/api/v1/articles/council-story-1"}, http.Header{}, 200)
		})
	}
}
