package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// TestTwoServersOnOneDatabaseServeEachOthersWrites runs two real `dateline
// serve` processes on one data directory, with their default caches. A
// story edited, withdrawn and published through the first is served so by
// the second within one second, although the second had the story in its
// response and item caches.
func TestTwoServersOnOneDatabaseServeEachOthersWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two servers")
	}
	dir := t.TempDir()
	bin := buildDateline(t, dir)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("log_level: warn\nmetrics_addr: \"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	writer := startProcess(t, bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg)
	reader := startProcess(t, bin, "serve", "--addr", "127.0.0.1:0", "--data", data, "--config", cfg)

	m := regexp.MustCompile(`(?m)^\s+admin\s+(\S+)\s+(\S+)$`).FindStringSubmatch(writer.output())
	if m == nil {
		t.Fatalf("no demo admin login in the output:\n%s", writer.output())
	}
	var session struct {
		AccessToken string `json:"access_token"`
	}
	httpJSON(t, "POST", writer.url+"/api/admin/v1/auth/login", "", fmt.Sprintf(`{"email":%q,"password":%q}`, m[1], m[2]), http.StatusOK, &session)
	token := session.AccessToken

	var list struct {
		Articles []struct{ ID, Slug, Headline string } `json:"articles"`
	}
	httpJSON(t, "GET", reader.url+"/api/v1/articles?limit=2", "", "", http.StatusOK, &list)
	if len(list.Articles) < 2 {
		t.Fatalf("the demo has %d published stories", len(list.Articles))
	}
	story, other := list.Articles[0], list.Articles[1]
	storyURL := reader.url + "/api/v1/articles/" + story.Slug
	for range 3 { // into the reader's response and item caches
		httpJSON(t, "GET", storyURL, "", "", http.StatusOK, nil)
		httpJSON(t, "GET", reader.url+"/api/v1/articles?limit=2", "", "", http.StatusOK, nil)
	}

	// waitFor polls the reader until ok holds and reports how long it took
	// after the write that the writer acknowledged at since.
	waitFor := func(what string, since time.Time, ok func() bool) {
		t.Helper()
		for !ok() {
			if time.Since(since) > time.Second {
				t.Fatalf("the second server did not serve %s within 1s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Logf("%s: served by the second server %v after the first acknowledged it", what, time.Since(since).Round(time.Millisecond))
	}
	headline := func(url string) string {
		var a struct{ Headline string }
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Sprint(resp.StatusCode)
		}
		json.NewDecoder(resp.Body).Decode(&a)
		return a.Headline
	}

	t.Run("an edit is served by the other server within a second", func(t *testing.T) {
		var cur map[string]any
		httpJSON(t, "GET", writer.url+"/api/admin/v1/articles/"+story.ID, token, "", http.StatusOK, &cur)
		edit := map[string]any{"version": cur["version"]}
		for _, k := range []string{"slug", "headline", "standfirst", "dateline", "body", "byline", "author_ids", "photos", "related_links", "tags", "seo", "featured"} {
			edit[k] = cur[k]
		}
		edit["headline"] = story.Headline + " (updated)"
		edit["update"] = true // the story is live: save and publish in one step
		body, _ := json.Marshal(edit)
		httpJSON(t, "PUT", writer.url+"/api/admin/v1/articles/"+story.ID, token, string(body), http.StatusOK, nil)
		saved := time.Now()
		waitFor("the new headline", saved, func() bool { return headline(storyURL) == story.Headline+" (updated)" })
		var after struct {
			Articles []struct{ Headline string } `json:"articles"`
		}
		httpJSON(t, "GET", reader.url+"/api/v1/articles?limit=2", "", "", http.StatusOK, &after)
		if after.Articles[0].Headline != story.Headline+" (updated)" {
			t.Errorf("the list still shows %q", after.Articles[0].Headline)
		}
	})
	t.Run("a withdrawal is served by the other server within a second", func(t *testing.T) {
		url := reader.url + "/api/v1/articles/" + other.Slug
		if got := headline(url); got != other.Headline {
			t.Fatalf("before: %q", got)
		}
		httpJSON(t, "POST", writer.url+"/api/admin/v1/articles/"+other.ID+"/withdraw", token, "", http.StatusOK, nil)
		waitFor("the withdrawal", time.Now(), func() bool { return headline(url) == "404" })
	})
	t.Run("a tag's new description is served by the other server within a second", func(t *testing.T) {
		var tags struct {
			Tags []struct{ Slug, Description string } `json:"tags"`
		}
		httpJSON(t, "GET", reader.url+"/api/v1/tags", "", "", http.StatusOK, &tags)
		if len(tags.Tags) == 0 {
			t.Fatal("the demo has no public tag")
		}
		tagURL := reader.url + "/api/v1/tags/" + tags.Tags[0].Slug
		description := func() string {
			var tag struct{ Description string }
			httpJSON(t, "GET", tagURL, "", "", http.StatusOK, &tag)
			return tag.Description
		}
		description() // into the reader's response cache
		httpJSON(t, "PATCH", writer.url+"/api/admin/v1/tags/"+tags.Tags[0].Slug, token, `{"description":"Described by the other server."}`, http.StatusOK, nil)
		waitFor("the tag's description", time.Now(), func() bool { return description() == "Described by the other server." })
	})
	t.Run("a republication is served by the other server within a second", func(t *testing.T) {
		httpJSON(t, "POST", writer.url+"/api/admin/v1/articles/"+other.ID+"/republish", token, "", http.StatusOK, nil)
		waitFor("the republished story", time.Now(), func() bool { return headline(reader.url+"/api/v1/articles/"+other.Slug) == other.Headline })
	})
}
