package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

const wxrHead = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><wp:base_site_url>https://site.example.org</wp:base_site_url>
`

func wxrPost(id int, body string) string {
	return fmt.Sprintf(`<item><title>Post %d</title><content:encoded><![CDATA[%s]]></content:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date_gmt>2016-09-08 05:43:00</wp:post_date_gmt><wp:post_name>post-%d</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
`, id, body, id, id)
}

func TestReadWXRRefusesHostileFiles(t *testing.T) {
	cases := []struct {
		name, file, want string
	}{
		{"entity expansion (billion laughs) is refused", `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><title>&lol2;</title></channel></rss>`, "DOCTYPE"},
		{"an external entity is refused", `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><wp:base_site_url>&xxe;</wp:base_site_url></channel></rss>`, "DOCTYPE"},
		{"an undeclared entity is refused", wxrHead + `<title>&xxe;</title></channel></rss>`, "entity"},
		{"a document that is not RSS is refused", `<?xml version="1.0"?><html><body/></html>`, "not the <rss>"},
		{"an export without its site is refused", `<rss><channel><title>x</title></channel></rss>`, "base_site_url"},
		{"an empty file is refused", ``, "empty"},
		{"a file in another encoding is refused", `<?xml version="1.0" encoding="ISO-8859-1"?><rss/>`, "ISO-8859-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, ReadWXR(openString(tc.file), Options{}))
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want a format error saying %q", err, tc.want)
			}
		})
	}
}

func TestReadWXRSkipsAnItemTooLargeAndReadsOn(t *testing.T) {
	file := wxrHead + wxrPost(1, "<p>one</p>") + wxrPost(2, strings.Repeat("<p>big</p>", 20000)) + wxrPost(3, "<p>three</p>") + "</channel></rss>"
	els, err := readAll(t, ReadWXR(openString(file), Options{MaxElement: 64 << 10}))
	if err != nil {
		t.Fatal(err)
	}
	var ids, bad []string
	for _, el := range els {
		if el.Story != nil {
			ids = append(ids, el.Story.SourceID)
		}
		if el.Err != nil {
			bad = append(bad, el.Where+": "+el.Err.Error())
		}
	}
	if strings.Join(ids, ",") != "1,3" || len(bad) != 1 || !strings.Contains(bad[0], "item 2") {
		t.Errorf("stories %v, problems %v; want 1 and 3 read and item 2 reported too large", ids, bad)
	}
}

func TestReadWXRReportsMalformedXMLWhereItIs(t *testing.T) {
	file := wxrHead + wxrPost(1, "<p>one</p>") + "<item><title>broken</titel></item></channel></rss>"
	els, err := readAll(t, ReadWXR(openString(file), Options{}))
	var fe *FormatError
	if !errors.As(err, &fe) || !strings.Contains(fe.Where, "item 2") {
		t.Errorf("error = %v, want a format error at item 2", err)
	}
	if len(els) != 0 {
		t.Errorf("%d elements before a malformed file was found out; the first pass reads the whole file", len(els))
	}
}

// repeatReader yields head, then body n times, then tail, without holding
// the whole file.
type repeatReader struct {
	parts []string
	body  string
	n     int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.parts) > 0 && r.parts[0] == "" {
		r.parts = r.parts[1:]
	}
	if len(r.parts) == 0 {
		if r.n == 0 {
			return 0, io.EOF
		}
		r.n--
		r.parts = []string{r.body}
		if r.n == 0 {
			r.parts = append(r.parts, "</channel></rss>")
		}
	}
	n := copy(p, r.parts[0])
	r.parts[0] = r.parts[0][n:]
	return n, nil
}

func FuzzReadWXR(f *testing.F) {
	f.Add(wxrPost(1, "<p>x</p>"))
	f.Add(`<item><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:post_id>1</wp:post_id><wp:post_date_gmt>x</wp:post_date_gmt></item>`)
	f.Add(`<item><title><![CDATA[a]]]]><![CDATA[>b]]></title></item>`)
	f.Fuzz(func(t *testing.T, items string) {
		file := wxrHead + items + "</channel></rss>"
		err := ReadWXR(openString(file), Options{MaxElement: 1 << 20})(context.Background(), func(el Element) error {
			if el.Story != nil && el.Story.SourceID == "" {
				t.Fatalf("a story without a source id at %s", el.Where)
			}
			return nil
		})
		var fe *FormatError
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("error %v is not a format error", err)
		}
	})
}
