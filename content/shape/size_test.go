package shape_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"dateline/content"
	"dateline/content/shape"
)

// benchStory is a story like the load benchmark's: a one-page body of
// about 600 words in six paragraphs, a standfirst, a lead photo uploaded
// with its renditions made, an agency photo by URL, three related links and
// three tags.
func benchStory() *content.Article {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("harbour council quay ferry vote night narrow master storm surge coast estuary fog tide crane dock pier budget " +
		"mayor port fishermen lighthouse wind waves ashore timetable agency partner report minister shipping cargo container")
	sentence := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = words[r.IntN(len(words))]
		}
		s := strings.Join(ws, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	var body strings.Builder
	for range 6 {
		for range 10 {
			body.WriteString(sentence(10) + " ")
		}
		body.WriteString("\n\n")
	}
	a := story(body.String())
	a.Standfirst = sentence(25)
	a.Byline = "By Staff Reporter"
	var rs []content.Rendition
	for _, w := range []int{320, 640, 1024, 1600} {
		for _, typ := range []string{"jpeg", "webp"} {
			rs = append(rs, content.Rendition{URL: fmt.Sprintf("/media/r/photo-1-%d.%s", w, typ), ContentType: "image/" + typ, Width: w, Height: w * 9 / 16})
		}
	}
	a.Photos = []content.Photo{
		{URL: "/media/photo-1.jpg", Caption: sentence(8), Credit: "© Staff/Harbour Gazette", Alt: sentence(5), Width: 1600, Height: 900, Renditions: rs},
		{URL: "https://images.example.org/1.jpg", Caption: sentence(8), Credit: "© Agency", Alt: sentence(5), Width: 1200, Height: 800},
	}
	a.Links = []content.RelatedLink{
		{Kind: content.LinkOtherMedia, Title: sentence(6), URL: "https://other.example.com/story/1"},
		{Kind: content.LinkPartner, Title: sentence(6), URL: "https://partner.example.net/1"},
		{Kind: content.LinkOtherMedia, Title: sentence(4), URL: "https://wire.example.org/latest"},
	}
	a.Tags = []content.Tag{{Slug: "topic-01", Name: "Topic 01"}, {Slug: "topic-08", Name: "Topic 08"}, {Slug: "topic-14", Name: "Topic 14"}}
	a.SEO.MetaDescription = sentence(15)
	return a
}

func TestAOnePageStoryIsAtMostHalfTheBytesOfEveryRepresentation(t *testing.T) {
	r := shape.New(shape.Options{BaseURL: "https://news.example.org", Zone: time.UTC})
	a := benchStory()
	if len(a.Pages) != 1 || a.WordCount < 550 {
		t.Fatalf("the story has %d pages and %d words, want one page of about 600", len(a.Pages), a.WordCount)
	}
	size := func(f shape.Formats) int {
		var b strings.Builder
		if err := shape.Encode(&b, r.Story(a, nil, f)); err != nil {
			t.Fatal(err)
		}
		return b.Len()
	}
	stored, err := r.Render(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	lean, every := size(shape.Formats{}), size(shape.Formats{Text: true, Pages: true})
	t.Logf("one-page story of %d words: %d bytes by default, %d with body_text and pages (the shape before version 4): %.0f%%",
		a.WordCount, lean, every, 100*float64(lean)/float64(every))
	if len(stored.Full) != lean {
		t.Errorf("the stored story is %d bytes, the default shape %d", len(stored.Full), lean)
	}
	if 2*lean > every {
		t.Errorf("the default shape is %d bytes, more than half of %d", lean, every)
	}
}
