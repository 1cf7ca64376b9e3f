package transfer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The WordPress eXtended RSS file that Tools → Export writes (WXR 1.1 and
// 1.2): an RSS 2.0 <channel> with the site's authors, terms and then one
// <item> per post, page, attachment, menu item… Elements are matched by
// local name, so both versions' namespaces read the same.

type wxrAuthor struct {
	Login       string `xml:"author_login"`
	Email       string `xml:"author_email"`
	DisplayName string `xml:"author_display_name"`
	FirstName   string `xml:"author_first_name"`
	LastName    string `xml:"author_last_name"`
}

type wxrNSText struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

type wxrCategory struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

type wxrMeta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

type wxrItem struct {
	Title           string        `xml:"title"`
	Link            string        `xml:"link"`
	Creator         string        `xml:"creator"`
	Encoded         []wxrNSText   `xml:"encoded"` // content:encoded and excerpt:encoded
	PostID          string        `xml:"post_id"`
	PostDate        string        `xml:"post_date"`
	PostDateGMT     string        `xml:"post_date_gmt"`
	PostModified    string        `xml:"post_modified"`
	PostModifiedGMT string        `xml:"post_modified_gmt"`
	PostName        string        `xml:"post_name"`
	Status          string        `xml:"status"`
	PostParent      string        `xml:"post_parent"`
	PostType        string        `xml:"post_type"`
	PostPassword    string        `xml:"post_password"`
	IsSticky        string        `xml:"is_sticky"`
	AttachmentURL   string        `xml:"attachment_url"`
	Categories      []wxrCategory `xml:"category"`
	Meta            []wxrMeta     `xml:"postmeta"`
	Comments        []struct{}    `xml:"comment"`
}

// content returns the item's content:encoded and excerpt:encoded.
func (it *wxrItem) content() (body, excerpt string) {
	for _, e := range it.Encoded {
		if strings.Contains(e.XMLName.Space, "excerpt") {
			excerpt = e.Text
		} else {
			body = e.Text
		}
	}
	return body, excerpt
}

func (it *wxrItem) meta(key string) string {
	for _, m := range it.Meta {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

func (it *wxrItem) metas(key string) []string {
	var out []string
	for _, m := range it.Meta {
		if m.Key == key {
			out = append(out, m.Value)
		}
	}
	return out
}

// wxrSite is what the first pass learns: the site's address, its authors
// and its attachments, which posts refer to by id from anywhere in the file.
type wxrSite struct {
	baseURL     string
	authors     map[string]wxrAuthor
	attachments map[string]wxrAttachment
}

type wxrAttachment struct {
	URL, Caption, Alt, Credit, Title string
}

// ReadWXR reads a WordPress export. It makes two passes over the file:
// the first gathers the site, its authors and its attachments, the second
// maps posts (and pages with Options.IncludePages) to stories. Elements of
// other types are skipped and counted. A DOCTYPE (and so any entity
// declaration: WordPress never writes one) is refused before anything is
// read; so is a file that is not an RSS document of a WordPress export.
func ReadWXR(open Opener, opt Options) ReadFunc {
	return func(ctx context.Context, emit func(Element) error) error {
		site := &wxrSite{authors: map[string]wxrAuthor{}, attachments: map[string]wxrAttachment{}}
		err := scanWXR(ctx, open, opt, site.header, func(where string, it *wxrItem) error {
			if it.PostType == "attachment" {
				site.attachments[strings.TrimSpace(it.PostID)] = attachmentOf(it)
			}
			return nil
		}, nil)
		if err != nil {
			return err
		}
		if site.baseURL == "" {
			return &FormatError{Format: "wxr", Why: "no <wp:base_site_url>: not a WordPress export"}
		}
		source := "wxr:" + site.baseURL
		return scanWXR(ctx, open, opt, nil, func(where string, it *wxrItem) error {
			return emit(mapWXRItem(site, source, where, it, opt))
		}, func(where string, err error) error {
			return emit(Element{Source: source, Where: where, Err: err})
		})
	}
}

// wxrScan is one pass over a WXR file.
type wxrScan struct {
	d     *xml.Decoder
	lines int // lines before the decoder's input, after a resync
}

// header reads a channel element that is not an item into site, or
// skips it.
func (site *wxrSite) header(d *xml.Decoder, t xml.StartElement) error {
	switch t.Name.Local {
	case "base_site_url", "base_blog_url":
		var u string
		if err := d.DecodeElement(&u, &t); err != nil {
			return err
		}
		if t.Name.Local == "base_site_url" || site.baseURL == "" {
			site.baseURL = strings.TrimRight(strings.TrimSpace(u), "/")
		}
		return nil
	case "author":
		var a wxrAuthor
		if err := d.DecodeElement(&a, &t); err != nil {
			return err
		}
		site.authors[strings.TrimSpace(a.Login)] = a
		return nil
	}
	return d.Skip()
}

// budget fails reads once more than limit bytes were read since reset, so
// one huge element cannot take the memory.
type budget struct {
	r     *bufio.Reader
	used  int64
	limit int64
}

var errOverBudget = errors.New("element too large")

func (b *budget) Read(p []byte) (int, error) {
	if b.limit > 0 && b.used >= b.limit {
		return 0, errOverBudget
	}
	if b.limit > 0 && int64(len(p)) > b.limit-b.used {
		p = p[:b.limit-b.used]
	}
	n, err := b.r.Read(p)
	b.used += int64(n)
	return n, err
}

// scanWXR makes one pass: header (if set) sees channel elements, item every
// <item> decoded, bad (if set) every item that could not be read; without
// bad, such items are passed over silently.
func scanWXR(ctx context.Context, open Opener, opt Options, header func(*xml.Decoder, xml.StartElement) error,
	item func(where string, it *wxrItem) error, bad func(where string, err error) error) error {
	f, err := open()
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	bud := &budget{r: br}
	x := &wxrScan{d: newWXRDecoder(bud)}
	var root xml.StartElement
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		bud.used, bud.limit = 0, 0
		tok, err := x.d.Token()
		if errors.Is(err, io.EOF) {
			if root.Name.Local == "" {
				return &FormatError{Format: "wxr", Why: "the file is empty"}
			}
			return nil
		}
		if err != nil {
			return &FormatError{Format: "wxr", Where: x.where(n), Why: xmlWhy(err)}
		}
		switch t := tok.(type) {
		case xml.Directive:
			return &FormatError{Format: "wxr", Where: x.where(n),
				Why: "the file declares a DOCTYPE or entities, which WordPress exports never do; refused"}
		case xml.StartElement:
			if root.Name.Local == "" {
				if t.Name.Local != "rss" {
					return &FormatError{Format: "wxr", Why: fmt.Sprintf("the document is <%s>, not the <rss> of a WordPress export", t.Name.Local)}
				}
				root = t.Copy()
				continue
			}
			if t.Name.Local == "channel" {
				continue
			}
			if t.Name.Local != "item" {
				skip := x.d.Skip
				if header != nil {
					skip = func() error { return header(x.d, t) }
				}
				bud.limit = opt.maxElement()
				err := skip()
				bud.limit = 0
				if err != nil {
					return &FormatError{Format: "wxr", Where: x.where(n), Why: xmlWhy(err)}
				}
				continue
			}
			n++
			line := x.line()
			where := fmt.Sprintf("item %d (line %d)", n, line)
			var it wxrItem
			bud.limit = opt.maxElement()
			err := x.d.DecodeElement(&it, &t)
			bud.limit = 0
			switch {
			case errors.Is(err, errOverBudget):
				if bad != nil {
					if err := bad(where, fmt.Errorf("the item is larger than %d MiB; skipped", opt.maxElement()>>20)); err != nil {
						return err
					}
				}
				if err := x.resync(br, bud, root); err != nil {
					return err
				}
				continue
			case err != nil:
				return &FormatError{Format: "wxr", Where: where, Why: xmlWhy(err)}
			}
			if id := strings.TrimSpace(it.PostID); id != "" {
				where = fmt.Sprintf("item %d (line %d, post %s)", n, line, id)
			}
			if err := item(where, &it); err != nil {
				return err
			}
		}
	}
}

func newWXRDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = true
	d.Entity = nil // only the five predefined entities; a DOCTYPE is refused anyway
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "utf8") {
			return input, nil
		}
		return nil, fmt.Errorf("the file is in %s; WordPress exports are UTF-8", charset)
	}
	return d
}

// line returns the current line in the file.
func (x *wxrScan) line() int {
	l, _ := x.d.InputPos()
	return x.lines + l
}

func (x *wxrScan) where(n int) string {
	return fmt.Sprintf("line %d (after item %d)", x.line(), n)
}

// resync skips the rest of an item that was too large and continues with
// a new decoder after its </item>, declaring the root's namespaces again.
func (x *wxrScan) resync(br *bufio.Reader, bud *budget, root xml.StartElement) error {
	lines := x.line()
	end := []byte("</item>")
	var tail []byte
	for {
		chunk, err := br.ReadSlice('>')
		lines += bytes.Count(chunk, []byte("\n"))
		tail = append(tail, chunk...)
		if len(tail) > len(end) {
			tail = tail[len(tail)-len(end):]
		}
		if bytes.HasSuffix(tail, end) {
			break
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return &FormatError{Format: "wxr", Why: "the file ends inside an item"}
		}
	}
	var pre strings.Builder
	pre.WriteString("<rss")
	for _, a := range root.Attr {
		if a.Name.Space == "xmlns" {
			fmt.Fprintf(&pre, ` xmlns:%s="%s"`, a.Name.Local, xmlAttr(a.Value))
		} else if a.Name.Space == "" && a.Name.Local == "xmlns" {
			fmt.Fprintf(&pre, ` xmlns="%s"`, xmlAttr(a.Value))
		}
	}
	pre.WriteString("><channel>")
	bud.used, bud.limit = 0, 0
	x.d = newWXRDecoder(io.MultiReader(strings.NewReader(pre.String()), bud))
	x.lines = lines - 1
	_, _ = x.d.Token() // <rss>
	_, _ = x.d.Token() // <channel>
	return nil
}

func xmlAttr(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// xmlWhy words an XML error for the report.
func xmlWhy(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Msg, "entity") {
			return "undefined entity (" + se.Msg + "): entity declarations are not read"
		}
		return "malformed XML: " + se.Msg
	}
	return err.Error()
}
