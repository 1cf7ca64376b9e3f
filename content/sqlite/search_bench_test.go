package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"dateline/content"
)

// searchCorpus is the 10,000-story newsroom the search benchmarks query,
// generated as cmd/loadbench seeds its corpus (600-word bodies of
// Zipf-distributed words over a 20,000-word vocabulary, photos, links,
// tags) and built once per run in a temporary directory, with the queries
// picked from what it holds.
type searchCorpus struct {
	db                            *DB
	common, rare, phrase, prefix  string
	and                           string
	commonDocs, rareDocs, phrDocs int
	built                         time.Duration
	size                          int64  // bytes of the database file
	dir                           string // the temporary directory
	err                           error
}

var benchCorpus = sync.OnceValue(func() *searchCorpus {
	c := &searchCorpus{}
	dir, err := os.MkdirTemp("", "dateline-search-bench-")
	if err != nil {
		c.err = err
		return c
	}
	c.dir = dir
	c.err = c.build(filepath.Join(dir, "dateline.db"))
	return c
})

// TestMain removes the search benchmarks' corpus, if a benchmark built it.
func TestMain(m *testing.M) {
	code := m.Run()
	if c := benchCorpusBuilt(); c != nil {
		if c.db != nil {
			c.db.Close()
		}
		os.RemoveAll(c.dir)
	}
	os.Exit(code)
}

// benchCorpusBuilt returns the corpus if a benchmark asked for it.
func benchCorpusBuilt() *searchCorpus {
	if !corpusAsked.Load() {
		return nil
	}
	return benchCorpus()
}

var corpusAsked atomic.Bool

func (c *searchCorpus) build(path string) error {
	ctx := context.Background()
	start := time.Now()
	db, err := Open(ctx, path, Options{Zone: "Europe/Lisbon"})
	if err != nil {
		return err
	}
	c.db = db
	vocab := benchVocab(20_000)
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	df := map[string]int{}      // stories holding a word
	bigrams := map[string]int{} // stories holding two frequent words side by side
	const n = 10_000
	at0 := time.Date(2025, 1, 1, 6, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		var items []content.Import
		for i := done; i < n && i < done+500; i++ {
			seen := map[string]bool{}
			prev := -1
			sentence := func(words int) string {
				ws := make([]string, words)
				for k := range ws {
					w := int(zipf.Uint64())
					ws[k] = vocab[w]
					seen[vocab[w]] = true
					if prev >= 0 && prev < 60 && w < 60 && prev != w {
						seen[vocab[prev]+" "+vocab[w]] = true
					}
					prev = w
				}
				prev = -1
				s := strings.Join(ws, " ")
				return strings.ToUpper(s[:1]) + s[1:] + "."
			}
			var body strings.Builder
			for p := range 6 {
				for range 10 {
					body.WriteString(sentence(10))
					body.WriteByte(' ')
				}
				body.WriteString("\n\n")
				if p == 3 {
					body.WriteString(content.PageBreak + "\n\n")
				}
			}
			at := at0.Add(time.Duration(i) * 37 * time.Minute)
			headline := strings.TrimSuffix(sentence(8), ".")
			items = append(items, content.Import{Status: content.StatusPublished, PublishedAt: &at, Edit: content.Edit{
				Headline: headline, Standfirst: sentence(25), Dateline: content.Dateline{Place: "LISBON"},
				Body: body.String(), Byline: "By Staff Reporter",
				Photos: []content.Photo{{URL: fmt.Sprintf("/media/photo-%d.jpg", i), Caption: sentence(8), Credit: "© Staff/Harbour Gazette", Alt: sentence(5), Width: 1600, Height: 900}},
				Links:  []content.RelatedLink{{Kind: content.LinkOtherMedia, Title: sentence(6), URL: fmt.Sprintf("https://other.example.com/story/%d", i)}},
				Tags:   []string{fmt.Sprintf("topic-%02d", i%30), fmt.Sprintf("topic-%02d", (i*7+3)%30)},
			}})
			for w := range seen {
				if strings.Contains(w, " ") {
					bigrams[w]++
				} else {
					df[w]++
				}
			}
		}
		if _, err := db.Import(ctx, items, ""); err != nil {
			return err
		}
		done += len(items)
	}
	c.built = time.Since(start)
	if st, err := os.Stat(path); err == nil {
		c.size = st.Size()
	}
	// The common word is held by 20-30% of the stories, the rare word by
	// fewer than 50; the phrase is the most frequent pair of frequent
	// words held by at most 20%; the prefix cuts a word of the load
	// benchmark's prefix range; the AND query pairs two words of its
	// two-word range.
	for _, w := range vocab {
		if d := df[w]; d >= n/5 && d <= 3*n/10 && c.common == "" {
			c.common, c.commonDocs = w, d
		}
	}
	for _, w := range vocab[4000:] {
		if d := df[w]; d >= 20 && d < 50 {
			c.rare, c.rareDocs = w, d
			break
		}
	}
	var pairs []string
	for p, d := range bigrams {
		if d <= n/5 {
			pairs = append(pairs, p)
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if bigrams[pairs[i]] != bigrams[pairs[j]] {
			return bigrams[pairs[i]] > bigrams[pairs[j]]
		}
		return pairs[i] < pairs[j]
	})
	c.phrase, c.phrDocs = `"`+pairs[0]+`"`, bigrams[pairs[0]]
	c.prefix = vocab[1500][:len(vocab[1500])-1] + "*"
	c.and = vocab[150] + " " + vocab[700]
	if c.common == "" || c.rare == "" {
		return fmt.Errorf("corpus lacks a common or rare word")
	}
	return nil
}

// benchVocab is cmd/loadbench's vocabulary: pronounceable, distinct words.
func benchVocab(n int) []string {
	syllables := []string{"ka", "ri", "mo", "ten", "la", "vor", "si", "pa", "dun", "el", "qua", "ber", "ni", "sto", "gal", "fe", "ru", "mar", "ti", "os"}
	seen := map[string]bool{}
	var out []string
	r := rand.New(rand.NewPCG(7, 7))
	for len(out) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// BenchmarkSearch10k runs one page (20 hits, with snippets) of each kind
// of query over the 10,000-story corpus: "page" is the search itself (the
// hits in order and their snippets, what the delivery API adds to stored
// list items), "articles" is Articles, which also loads the 21 stories'
// summaries. cpu-ns/op is the process's CPU time per query, which a busy
// machine inflates less than the wall time.
func BenchmarkSearch10k(b *testing.B) {
	corpusAsked.Store(true)
	c := benchCorpus()
	if c.err != nil {
		b.Fatal(c.err)
	}
	b.Logf("corpus built in %v, %d MB; common %q in %d stories, rare %q in %d, phrase %s in %d",
		c.built.Round(time.Millisecond), c.size>>20, c.common, c.commonDocs, c.rare, c.rareDocs, c.phrase, c.phrDocs)
	ctx := context.Background()
	for _, q := range []struct{ name, query string }{
		{"common word", c.common},
		{"rare word", c.rare},
		{"phrase", c.phrase},
		{"prefix", c.prefix},
		{"two-word AND", c.and},
	} {
		f := content.ArticleFilter{Query: q.query, Statuses: []content.Status{content.StatusPublished}, Limit: 21}
		b.Run(q.name+"/page", func(b *testing.B) {
			page := func() {
				hits, err := c.db.searchPage(ctx, c.db.r, f)
				if err != nil || len(hits) == 0 {
					b.Fatalf("%s: %d hits, %v", q.query, len(hits), err)
				}
			}
			page()
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				page()
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
		b.Run(q.name+"/articles", func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if as, err := c.db.Articles(ctx, f); err != nil || len(as) == 0 {
					b.Fatalf("%d hits, %v", len(as), err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the CPU time the process has used, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkSearchRebuild10k rebuilds the search index of the 10,000-story
// corpus as Open does after migration 0017 or a change of language, once
// per run whatever b.N (a rebuild takes seconds), and reports its time.
func BenchmarkSearchRebuild10k(b *testing.B) {
	corpusAsked.Store(true)
	c := benchCorpus()
	if c.err != nil {
		b.Fatal(c.err)
	}
	took, err := rebuildOnce(c)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
	}
	b.ReportMetric(float64(took.Milliseconds()), "ms/rebuild")
}

var rebuildOnce = func() func(*searchCorpus) (time.Duration, error) {
	var (
		once sync.Once
		took time.Duration
		err  error
	)
	return func(c *searchCorpus) (time.Duration, error) {
		once.Do(func() {
			ctx := context.Background()
			if _, err = c.db.w.ExecContext(ctx, `UPDATE search_index SET analyzer = ''`); err != nil {
				return
			}
			start := time.Now()
			var rebuilt bool
			if rebuilt, err = c.db.ensureSearch(ctx, "en"); err == nil && !rebuilt {
				err = fmt.Errorf("the index was not rebuilt")
			}
			took = time.Since(start)
		})
		return took, err
	}
}()
