package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"dateline/content"
)

func TestParseStat(t *testing.T) {
	for _, tt := range []struct {
		name, stat string
		want       time.Duration
		ok         bool
	}{
		{"user and system ticks add up", "4242 (dateline) S 1 4242 4242 0 -1 4194560 900 0 0 0 150 25 0 0 20 0 8 0", 1750 * time.Millisecond, true},
		{"a command name with spaces and parentheses is skipped", "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0", 70 * time.Millisecond, true},
		{"a truncated line is refused", "7 (x) R 1 7", 0, false},
		{"no command name is refused", "garbage", 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseStat(tt.stat)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %s %v, want %s %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCPUTimeOfThisProcess(t *testing.T) {
	d, ok := cpuTime(pidSelf())
	if !ok {
		t.Skip("no /proc on this system")
	}
	// Spin until the kernel has counted a few ticks more (a busy machine
	// may give this process little of the wall time).
	after := d
	for end := time.Now().Add(10 * time.Second); after < d+30*time.Millisecond && time.Now().Before(end); {
		for t0 := time.Now(); time.Since(t0) < 10*time.Millisecond; {
		}
		after, _ = cpuTime(pidSelf())
	}
	if after < d+30*time.Millisecond {
		t.Errorf("CPU time grew from %s to %s in 10 s of spinning", d, after)
	}
}

func TestParseVariants(t *testing.T) {
	for _, tt := range []struct {
		name, spec string
		want       []variant
		err        string
	}{
		{"default runs the configuration as it is", "default", []variant{{name: "default"}}, ""},
		{"layers switch off by name and settings pass through", "default,no-response-cache,no-item-cache+DATELINE_CACHE_MEMORY_MB=16,no-tag-lists",
			[]variant{{name: "default"}, {name: "no-response-cache", env: []string{"DATELINE_CACHE_MEMORY_MB=0"}},
				{name: "no-item-cache+DATELINE_CACHE_MEMORY_MB=16", env: []string{"DATELINE_ITEM_CACHE_MB=0", "DATELINE_CACHE_MEMORY_MB=16"}},
				{name: "no-tag-lists", env: []string{"DATELINE_TAG_LISTS=false"}}}, ""},
		{"another build runs by its path", "bin=/tmp/old/dateline+no-response-cache", []variant{{name: "bin=/tmp/old/dateline+no-response-cache",
			env: []string{"DATELINE_CACHE_MEMORY_MB=0"}, bin: "/tmp/old/dateline"}}, ""},
		{"a build without a path is refused", "bin=", nil, "bin="},
		{"an unknown layer is refused", "no-cdn", nil, "no-cdn"},
		{"a setting outside the server's environment is refused", "PATH=/x", nil, "PATH=/x"},
		{"the same variant twice is refused", "default,default", nil, "twice"},
		{"no variant is refused", " , ", nil, "none"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseVariants(tt.spec)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one naming %q", err, tt.err)
				}
				return
			}
			if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v (%v), want %v", got, err, tt.want)
			}
		})
	}
}

func TestSelectScenarios(t *testing.T) {
	var all []scenario
	for _, id := range scenarioIDs() {
		all = append(all, scenario{id: id})
	}
	ids := func(ss []scenario) string {
		var out []string
		for _, s := range ss {
			out = append(out, s.id)
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct{ name, spec, want, err string }{
		{"all keeps every scenario", "all", strings.Join(scenarioIDs(), ","), ""},
		{"a prefix selects a family, in the table's order", "304,story", "story-warm,story-1000,story-cold,304", ""},
		{"an exact id selects one", "search-phrase", "search-phrase", ""},
		{"an unknown name is refused", "stories", "", "stories"},
		{"a prefix must end at a dash", "sto", "", "sto"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := selectScenarios(all, tt.spec)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one naming %q", err, tt.err)
				}
				return
			}
			if err != nil || ids(got) != tt.want {
				t.Errorf("got %s (%v), want %s", ids(got), err, tt.want)
			}
		})
	}
}

// smallCorpus generates the words of n stories as seed does, without
// importing them, and gives them made-up slugs.
func smallCorpus(t *testing.T, n int) *corpus {
	t.Helper()
	c, err := generate(n, 30, 500, func([]content.Import) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		c.slugs = append(c.slugs, fmt.Sprintf("story-%d", i))
	}
	return c
}

func pidSelf() int { return os.Getpid() }

func TestSearchQueries(t *testing.T) {
	c := smallCorpus(t, 2000)
	q := searches(c, rand.New(rand.NewPCG(1, 1)))
	words := func(rq request) string {
		u, err := url.Parse(rq.path)
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get("q")
	}
	df := map[string]int{}
	for i, w := range c.vocab {
		df[w] = c.df[i]
	}
	for name, rs := range map[string][]request{"common": q.common, "rare": q.rare, "phrase": q.phrase, "prefix": q.prefix, "and": q.and, "mixed": q.mixed} {
		t.Run(name+" queries are thousands and distinct", func(t *testing.T) {
			seen := map[string]bool{}
			for _, rq := range rs {
				if seen[rq.path] {
					t.Fatalf("%s twice", rq.path)
				}
				seen[rq.path] = true
			}
			if len(rs) < 1000 {
				t.Errorf("%d queries", len(rs))
			}
		})
	}
	t.Run("a common word is in at least a fifth of the stories", func(t *testing.T) {
		for _, rq := range q.common {
			if w := words(rq); df[w]*5 < len(c.slugs) {
				t.Fatalf("%q is in %d of %d stories", w, df[w], len(c.slugs))
			}
		}
	})
	t.Run("a rare word is in a few stories", func(t *testing.T) {
		for _, rq := range q.rare {
			if w := words(rq); df[w] < 1 || df[w]*200 > len(c.slugs) {
				t.Fatalf("%q is in %d of %d stories", w, df[w], len(c.slugs))
			}
		}
	})
	t.Run("a phrase is two quoted words", func(t *testing.T) {
		for _, rq := range q.phrase {
			w := words(rq)
			if !strings.HasPrefix(w, `"`) || !strings.HasSuffix(w, `"`) || len(strings.Fields(w)) != 2 {
				t.Fatalf("phrase %q", w)
			}
		}
	})
	t.Run("a prefix ends in a star and two words are two", func(t *testing.T) {
		for _, rq := range q.prefix {
			if w := words(rq); !strings.HasSuffix(w, "*") || len(w) < 4 {
				t.Fatalf("prefix %q", w)
			}
		}
		for _, rq := range q.and {
			if f := strings.Fields(words(rq)); len(f) != 2 || f[0] == f[1] {
				t.Fatalf("two words %q", words(rq))
			}
		}
	})
	t.Run("phrases come from the stories' text", func(t *testing.T) {
		if len(c.phrases) != len(c.slugs) || !slices.ContainsFunc(c.phrases, func(p string) bool { return len(strings.Fields(p)) == 2 }) {
			t.Errorf("%d phrases of %d stories", len(c.phrases), len(c.slugs))
		}
	})
}

func TestParseDurations(t *testing.T) {
	text := `time=2026-12-03T12:00:00.000Z level=INFO msg=request method=GET route=/api/v1/articles/:slug status=200 duration=1.5ms bytes=18213 request_id=a path=/api/v1/articles/x
time=2026-12-03T12:00:00.001Z level=INFO msg="rendered public JSON" stories=3 took=2s
time=2026-12-03T12:00:00.002Z level=INFO msg=request method=GET route=/api/v1/articles status=200 duration=850.5µs bytes=10 request_id=b
time=2026-12-03T12:00:00.003Z level=INFO msg=request method=GET route=/api/v1/articles status=200 duration=12ms`
	got := parseDurations(text)
	want := []time.Duration{1500 * time.Microsecond, 850500 * time.Nanosecond, 12 * time.Millisecond}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
