package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"dateline/content"
)

// scenario is one measured load: a rotating set of requests and the status
// each must answer with.
type scenario struct {
	id     string // what -scenarios selects it by
	name   string
	reqs   []request
	status int
	warm   bool
	target float64       // minimum ratio to the baseline
	p99    time.Duration // p99 must stay under this; 0: no bar
	write  bool          // the save scenario: editors' autosaves (writes.go), no requests here
}

// Search scenarios hold this many distinct queries at most, so that a run
// does not send one twice before the response cache has long dropped it.
const searchQueries = 3000

// makeScenarios builds every scenario over the corpus c; the conditional
// requests get their ETags from addETags.
func makeScenarios(c *corpus) []scenario {
	r := rand.New(rand.NewPCG(3, 4))
	var tagWarm, tagCold, slugWarm, slug1000, slugCold []request
	for _, t := range c.tags {
		tagWarm = append(tagWarm, request{path: "/api/v1/articles?tag=" + t + "&limit=20"})
	}
	for i := range 3000 {
		at := c.times[r.IntN(len(c.times))]
		cur := content.Cursor{Time: at, ID: ""}.Encode()
		tagCold = append(tagCold, request{path: fmt.Sprintf("/api/v1/articles?tag=%s&limit=20&cursor=%s", c.tags[i%len(c.tags)], cur)})
	}
	for i := range 30 {
		slugWarm = append(slugWarm, request{path: "/api/v1/articles/" + c.slugs[i*len(c.slugs)/30]})
	}
	perm := r.Perm(len(c.slugs))
	for _, i := range perm[:min(1000, len(perm))] {
		slug1000 = append(slug1000, request{path: "/api/v1/articles/" + c.slugs[i]})
	}
	for _, i := range perm {
		slugCold = append(slugCold, request{path: "/api/v1/articles/" + c.slugs[i]})
	}
	conditional := append(append([]request{}, tagWarm...), slugWarm...)
	q := searches(c, r)
	all := []scenario{
		{id: "list-warm", name: "list by tag, 30 tags rotating", reqs: tagWarm, status: 200, warm: true, target: 0.9, p99: 10 * time.Millisecond},
		{id: "list-cold", name: "list by tag, cold (3,000 pages)", reqs: tagCold, status: 200, target: 0.4},
		{id: "story-warm", name: "story by slug, warm (30 stories)", reqs: slugWarm, status: 200, warm: true, target: 0.9, p99: 10 * time.Millisecond},
		{id: "story-1000", name: fmt.Sprintf("one story, %s rotating", count(len(slug1000))), reqs: slug1000, status: 200, warm: true, target: 0.3, p99: 10 * time.Millisecond},
		{id: "story-cold", name: fmt.Sprintf("story by slug, cold (%s)", count(len(slugCold))), reqs: slugCold, status: 200, target: 0.4},
		{id: "search-mixed", name: "search q=, mixed (" + count(len(q.mixed)) + " queries)", reqs: q.mixed, status: 200, target: 0.1, p99: 50 * time.Millisecond},
		{id: "search-common", name: "search, common word (" + count(len(q.common)) + ")", reqs: q.common, status: 200, target: 0.05, p99: 50 * time.Millisecond},
		{id: "search-rare", name: "search, rare word (" + count(len(q.rare)) + ")", reqs: q.rare, status: 200, target: 0.1, p99: 50 * time.Millisecond},
		{id: "search-phrase", name: "search, phrase (" + count(len(q.phrase)) + ")", reqs: q.phrase, status: 200, target: 0.03, p99: 50 * time.Millisecond},
		{id: "search-prefix", name: "search, prefix (" + count(len(q.prefix)) + ")", reqs: q.prefix, status: 200, target: 0.1, p99: 50 * time.Millisecond},
		{id: "search-and", name: "search, two words (" + count(len(q.and)) + ")", reqs: q.and, status: 200, target: 0.1, p99: 50 * time.Millisecond},
		{id: "304", name: fmt.Sprintf("304 revalidation (%d URLs)", len(conditional)), reqs: conditional, status: http.StatusNotModified, warm: true, target: 0.9},
		{id: "save", name: "save (editors autosaving drafts)", write: true},
	}
	return all
}

// addETags sets the If-None-Match of the conditional scenarios' requests
// to the ETag etag returns for each path.
func addETags(scenarios []scenario, etag func(path string) (string, error)) error {
	for _, sc := range scenarios {
		if sc.status != http.StatusNotModified {
			continue
		}
		for i := range sc.reqs {
			e, err := etag(sc.reqs[i].path)
			if err != nil {
				return err
			}
			sc.reqs[i].ifNoneMatch = e
		}
	}
	return nil
}

// scenarioIDs lists the ids -scenarios accepts.
func scenarioIDs() []string {
	return []string{"list-warm", "list-cold", "story-warm", "story-1000", "story-cold",
		"search-mixed", "search-common", "search-rare", "search-phrase", "search-prefix", "search-and", "304", "save"}
}

// selectScenarios keeps the scenarios spec names: a comma-separated list of
// ids or id prefixes ("search" selects every search scenario); "" or "all"
// keeps every one. A name that selects none is an error.
func selectScenarios(all []scenario, spec string) ([]scenario, error) {
	if spec == "" || spec == "all" {
		return all, nil
	}
	keep := map[string]bool{}
	for _, name := range strings.Split(spec, ",") {
		name = strings.TrimSpace(name)
		found := false
		for _, s := range all {
			if s.id == name || strings.HasPrefix(s.id, name+"-") {
				keep[s.id], found = true, true
			}
		}
		if !found {
			return nil, fmt.Errorf("-scenarios: no scenario %q (known: %s)", name, strings.Join(scenarioIDs(), ", "))
		}
	}
	var out []scenario
	for _, s := range all {
		if keep[s.id] {
			out = append(out, s)
		}
	}
	return out, nil
}

// queries are the search scenarios' requests.
type queries struct {
	mixed, common, rare, phrase, prefix, and []request
}

// searches builds thousands of distinct queries of each kind from the
// corpus's document frequencies:
//   - common: one word found in at least 20% of the stories, with page sizes
//     from 10 to 30 (so that each word makes many distinct requests);
//   - rare: one word found in 1 to 0.5% of the stories (at least 2);
//   - phrase: two words that follow each other in a story, quoted;
//   - prefix: all but the last letter of a word found in 1% to 10% of the
//     stories, then *;
//   - and: two words each found in 2% to 30% of the stories;
//   - mixed: the load benchmark's first search scenario (specific words,
//     word pairs, prefixes), kept for comparison with earlier runs.
func searches(c *corpus, r *rand.Rand) queries {
	n := len(c.slugs)
	var common, rare, prefixable, andable []string
	for i, w := range c.vocab {
		df := c.df[i]
		switch {
		case df*5 >= n:
			common = append(common, w)
		case df >= 1 && df <= max(2, n/200):
			rare = append(rare, w)
		}
		if df*100 >= n && df*10 <= n {
			prefixable = append(prefixable, w)
		}
		if df*50 >= n && df*10 <= 3*n {
			andable = append(andable, w)
		}
	}
	search := func(q string, limit int) request {
		return request{path: fmt.Sprintf("/api/v1/articles?limit=%d&q=%s", limit, url.QueryEscape(q))}
	}
	var out queries
	for limit := 10; limit <= 30 && len(out.common) < searchQueries; limit++ {
		for _, w := range common {
			out.common = append(out.common, search(w, limit))
		}
	}
	distinct := func(gen func() string) []request {
		seen := map[string]bool{}
		var rs []request
		for tries := 0; len(rs) < searchQueries && tries < 20*searchQueries; tries++ {
			if q := gen(); q != "" && !seen[q] {
				seen[q] = true
				rs = append(rs, search(q, 20))
			}
		}
		return rs
	}
	pick := func(ws []string) string {
		if len(ws) == 0 {
			return ""
		}
		return ws[r.IntN(len(ws))]
	}
	out.rare = distinct(func() string { return pick(rare) })
	out.phrase = distinct(func() string { return `"` + pick(c.phrases) + `"` })
	out.prefix = distinct(func() string {
		w := pick(prefixable)
		if len(w) < 4 {
			return ""
		}
		return w[:len(w)-1] + "*"
	})
	out.and = distinct(func() string {
		a, b := pick(andable), pick(andable)
		if a == b {
			return ""
		}
		return a + " " + b
	})
	i := 0
	out.mixed = distinct(func() string {
		i++
		switch i % 4 {
		case 0, 1: // a specific word (a name, a place, a subject)
			return c.vocab[500+r.IntN(5000)]
		case 2: // two words
			return c.vocab[100+r.IntN(1000)] + " " + c.vocab[100+r.IntN(1000)]
		default: // a prefix of a specific word
			w := c.vocab[1000+r.IntN(4000)]
			return w[:len(w)-1] + "*"
		}
	})
	out.mixed = out.mixed[:min(len(out.mixed), 2000)]
	return out
}

// count formats n with a thousands separator.
func count(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d,%03d", n/1000, n%1000)
}

// etagFrom returns the ETag of GET server+path.
func etagFrom(ctx context.Context, server string) func(string) (string, error) {
	return func(path string) (string, error) { return etagOf(ctx, server+path) }
}
