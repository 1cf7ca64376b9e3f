package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

// corpus is the generated newsroom: its stories' slugs and publication
// times, the tag slugs, and words for searches.
type corpus struct {
	slugs    []string
	times    []time.Time
	tags     []string
	vocab    []string // most frequent first
	df       []int    // df[i]: stories whose text has vocab[i]
	phrases  []string // two adjacent words of a body sentence, one per story
	start    time.Time
	interval time.Duration
}

// syllables make pronounceable, distinct words.
var syllables = []string{"ka", "ri", "mo", "ten", "la", "vor", "si", "pa", "dun", "el", "qua", "ber", "ni", "sto", "gal", "fe", "ru", "mar", "ti", "os"}

func makeVocab(n int) []string {
	seen := map[string]bool{}
	var out []string
	r := rand.New(rand.NewPCG(7, 7))
	for len(out) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		w := b.String()
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// seed imports n published stories over tags topics into database d: 600-word markdown bodies in paragraphs with Zipf-distributed words,
// a credited lead photo and a second photo, three related links, two or
// three tags; in transactions of batch stories. With reuse, the database
// already holds them (seeded by an earlier run with the same n and tags):
// the stories are generated again, the same ones, to know their words, but
// not imported.
func seed(ctx context.Context, d database, n, tags, batch int, reuse bool) (*corpus, error) {
	db, _, err := d.open(ctx, time.Now, sqlite.RevisionPolicy{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	c, err := generate(n, tags, batch, func(items []content.Import) error {
		if reuse {
			return nil
		}
		_, err := db.Import(ctx, items, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	// Slugs are derived from headlines; read them back in publication order.
	for after := (*content.Cursor)(nil); ; {
		as, err := db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusPublished}, Limit: content.MaxLimit, After: after})
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			c.slugs = append(c.slugs, a.Slug)
		}
		if len(as) < content.MaxLimit {
			break
		}
		last := as[len(as)-1]
		after = &content.Cursor{Time: *last.PublishedAt, ID: last.ID}
	}
	if len(c.slugs) != n {
		return nil, fmt.Errorf("the database holds %d published stories, not %d (seeded with other -stories?)", len(c.slugs), n)
	}
	return c, nil
}

// generate makes the stories seed imports, the same on every call, and
// hands them to each in batches; the corpus it returns has no slugs.
func generate(n, tags, batch int, each func([]content.Import) error) (*corpus, error) {
	c := &corpus{vocab: makeVocab(20_000), start: time.Date(2025, 1, 1, 6, 0, 0, 0, time.UTC), interval: 37 * time.Minute}
	c.df = make([]int, len(c.vocab))
	var inStory map[uint64]bool // the words of the story being generated
	places := []string{"LISBON", "PORTO", "MOSCOW", "OSLO", "VALLETTA", "CORK", "GDANSK", "BARI"}
	for i := range tags {
		c.tags = append(c.tags, fmt.Sprintf("topic-%02d", i))
	}
	r := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(c.vocab)-1))
	word := func() string {
		k := zipf.Uint64()
		if inStory != nil {
			inStory[k] = true
		}
		return c.vocab[k]
	}
	var ws []string // the words of the last sentence
	sentence := func(words int) string {
		ws = make([]string, words)
		for i := range ws {
			ws[i] = word()
		}
		s := strings.Join(ws, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	for done := 0; done < n; {
		items := make([]content.Import, 0, batch)
		for i := done; i < n && i < done+batch; i++ {
			inStory = map[uint64]bool{}
			var body strings.Builder
			for p := range 6 {
				for s := range 10 {
					body.WriteString(sentence(10))
					body.WriteByte(' ')
					if p == 0 && s == 0 {
						c.phrases = append(c.phrases, ws[3]+" "+ws[4])
					}
				}
				body.WriteString("\n\n")
				if p == 3 {
					body.WriteString(content.PageBreak + "\n\n")
				}
			}
			at := c.start.Add(time.Duration(i) * c.interval)
			headline, standfirst := sentence(8), sentence(25)
			// Only the words above are counted: searches match the
			// headline, standfirst and body.
			for k := range inStory {
				c.df[k]++
			}
			inStory = nil
			ts := []string{c.tags[i%tags], c.tags[(i*7+3)%tags]}
			if i%3 == 0 {
				ts = append(ts, c.tags[(i*13+5)%tags])
			}
			items = append(items, content.Import{
				Status:      content.StatusPublished,
				PublishedAt: &at,
				Edit: content.Edit{
					Headline:   strings.TrimSuffix(headline, "."),
					Standfirst: standfirst,
					Dateline:   content.Dateline{Place: places[i%len(places)]},
					Body:       body.String(),
					Byline:     "By Staff Reporter",
					Photos: []content.Photo{
						{URL: fmt.Sprintf("/media/photo-%d.jpg", i), Caption: sentence(8), Credit: "© Staff/Harbour Gazette", Alt: sentence(5), Width: 1600, Height: 900},
						{URL: fmt.Sprintf("https://images.example.org/%d.jpg", i), Caption: sentence(8), Credit: "© Agency", Alt: sentence(5), Width: 1200, Height: 800},
					},
					Links: []content.RelatedLink{
						{Kind: content.LinkOtherMedia, Title: sentence(6), URL: fmt.Sprintf("https://other.example.com/story/%d", i)},
						{Kind: content.LinkPartner, Title: sentence(6), URL: fmt.Sprintf("https://partner.example.net/%d", i)},
						{Kind: content.LinkOtherMedia, Title: sentence(4), URL: "https://wire.example.org/latest"},
					},
					Tags:     ts,
					Featured: i%10 == 0,
					SEO:      content.SEO{MetaDescription: sentence(15)},
				},
			})
			c.times = append(c.times, at)
		}
		if err := each(items); err != nil {
			return nil, fmt.Errorf("import stories %d–%d: %w", done, done+len(items)-1, err)
		}
		done += len(items)
	}
	return c, nil
}
