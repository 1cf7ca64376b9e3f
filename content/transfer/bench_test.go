package transfer_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/content/shape"
	"dateline/content/transfer"
)

// writeWXR writes a WordPress export of n published posts (about 600 words
// each, two categories and two tags of 30, one of 20 authors, a featured
// image with a credit every other post) to path, streaming.
func writeWXR(tb testing.TB, path string, n int) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://bench.example.org</wp:base_site_url>
`)
	for a := range 20 {
		fmt.Fprintf(w, "<wp:author><wp:author_login>writer%d</wp:author_login><wp:author_email>writer%d@bench.example.org</wp:author_email><wp:author_display_name><![CDATA[Writer %d]]></wp:author_display_name></wp:author>\n", a, a, a)
	}
	words := strings.Fields("the harbour council voted on a plan to dredge the channel and build a new pier before winter storms arrive while fishermen asked for")
	var para strings.Builder
	for i := range 100 {
		para.WriteString(words[i%len(words)] + " ")
	}
	body := strings.Repeat("<!-- wp:paragraph -->\n<p>"+para.String()+"</p>\n<!-- /wp:paragraph -->\n\n", 6) +
		`<!-- wp:heading --><h2>More</h2><!-- /wp:heading --><!-- wp:list --><ul><li>one</li><li>two</li></ul><!-- /wp:list -->`
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i) * 47 * time.Minute).Format("2006-01-02 15:04:05")
		fmt.Fprintf(w, `<item><title><![CDATA[Story number %d from the harbour]]></title><dc:creator>writer%d</dc:creator>
<content:encoded><![CDATA[%s]]></content:encoded><excerpt:encoded><![CDATA[Standfirst of story %d.]]></excerpt:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date_gmt>%s</wp:post_date_gmt><wp:post_name>story-%d</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="c%d"><![CDATA[Category %d]]></category><category domain="post_tag" nicename="t%d"><![CDATA[Topic %d]]></category><category domain="post_tag" nicename="t%d"><![CDATA[Topic %d]]></category>
`, i, i%20, body, i, i+1, at, i, i%30, i%30, (i+7)%30, (i+7)%30, (i+13)%30, (i+13)%30)
		if i%2 == 0 {
			fmt.Fprintf(w, "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>%d</wp:meta_value></wp:postmeta>\n", 1_000_000+i)
		}
		fmt.Fprint(w, "</item>\n")
		if i%2 == 0 {
			fmt.Fprintf(w, `<item><title>photo %d</title><excerpt:encoded><![CDATA[Caption %d]]></excerpt:encoded><wp:post_id>%d</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://bench.example.org/wp-content/uploads/%d.jpg</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>Alt %d</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_metadata</wp:meta_key><wp:meta_value><![CDATA[a:1:{s:10:"image_meta";a:1:{s:6:"credit";s:%d:"%s";}}]]></wp:meta_value></wp:postmeta></item>
`, i, i, 1_000_000+i, i, i, len("Bench/Agency "+strconv.Itoa(i)), "Bench/Agency "+strconv.Itoa(i))
		}
	}
	fmt.Fprint(w, "</channel></rss>\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return st.Size()
}

// peakRSS returns the process's peak resident memory in MiB (VmHWM), or 0
// where /proc does not tell.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkImportWXR10k imports 10,000 WordPress posts into a new SQLite
// newsroom (the target: under two minutes on two cores) and reports the
// seconds, stories per second and the process's peak RSS.
//
//	go test ./content/transfer -run XXX -bench ImportWXR10k -benchtime 1x
func BenchmarkImportWXR10k(b *testing.B) {
	const n = 10_000
	dir := b.TempDir()
	file := filepath.Join(dir, "export.xml")
	size := writeWXR(b, file, n)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		// As the server and the CLI do: published stories get their
		// public JSON in the import's transactions.
		db := openDBWith(b, shape.New(shape.Options{BaseURL: "https://news.example.org"}))
		b.StartTimer()
		start := time.Now()
		rep, err := transfer.Run(context.Background(), db, transfer.ReadWXR(fileOpener(file), transfer.Options{Zone: "UTC"}), transfer.RunOptions{})
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		if rep.Created != n || rep.Failed != 0 {
			b.Fatalf("%s %v", rep.Summary(), rep.Problems)
		}
		b.ReportMetric(took.Seconds(), "s/import")
		b.ReportMetric(float64(n)/took.Seconds(), "stories/s")
	}
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
}

// wxrStream is an export of endless copies of one post, generated as it is
// read: a file of any size that is never held whole.
type wxrStream struct {
	r     io.Reader
	left  int
	post  []byte
	count int
}

func (s *wxrStream) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		if n > 0 || err != io.EOF {
			return n, err
		}
		switch {
		case s.left > 0:
			s.left--
			s.count++
			s.r = bytes.NewReader(bytes.Replace(s.post, []byte("@ID@"), []byte(strconv.Itoa(s.count)), -1))
		case s.left == 0:
			s.left = -1
			s.r = strings.NewReader("</channel></rss>\n")
		default:
			return 0, io.EOF
		}
	}
}

// BenchmarkReadWXRStream1GiB reads a generated 1 GiB export through both
// passes and reports the peak RSS, which stays that of one post, not of
// the file.
//
//	DATELINE_BENCH_LARGE=1 go test ./content/transfer -run XXX -bench ReadWXRStream1GiB -benchtime 1x -timeout 30m
func BenchmarkReadWXRStream1GiB(b *testing.B) {
	if os.Getenv("DATELINE_BENCH_LARGE") == "" {
		b.Skip("reads 1 GiB twice (minutes): set DATELINE_BENCH_LARGE=1 to run it")
	}
	post := []byte(`<item><title>Post @ID@</title><content:encoded><![CDATA[` + strings.Repeat("<p>Some text of the story. </p>", 300) +
		`]]></content:encoded><wp:post_id>@ID@</wp:post_id><wp:post_date_gmt>2016-09-08 05:43:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
`)
	copies := (1 << 30) / len(post)
	open := func() (io.ReadCloser, error) {
		head := `<?xml version="1.0" encoding="UTF-8"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:base_site_url>https://big.example.org</wp:base_site_url>`
		return io.NopCloser(&wxrStream{r: strings.NewReader(head), left: copies, post: post}), nil
	}
	for range b.N {
		stories := 0
		err := transfer.ReadWXR(open, transfer.Options{})(context.Background(), func(el transfer.Element) error {
			if el.Story != nil {
				stories++
			}
			return nil
		})
		if err != nil || stories != copies {
			b.Fatalf("read %d of %d stories: %v", stories, copies, err)
		}
	}
	b.ReportMetric(float64(copies), "stories")
	b.ReportMetric(peakRSS(), "peak-RSS-MiB")
}
