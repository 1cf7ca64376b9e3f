package sqlite

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/klauspost/compress/s2"

	"dateline/content"
)

// Packed values come in two kinds, by how often they are read.
//
// The large columns of a story that neither search nor the delivery API's
// stored reads read (its markdown body and HTML, revisions' states) are
// zlib streams (compress/zlib at its default level, pack), about 38% of
// their size as text (its fastest level leaves 42%; each save packs a few
// values, so the bytes are worth the 100 µs or so).
//
// The columns read on hot paths, the stored JSON of a whole story (every
// story read that misses the response cache), of its list item (list reads
// that miss the delivery API's item cache) and the plain text of the body (search
// snippets, the search index), are S2 blocks
// (github.com/klauspost/compress/s2, packFast) behind the byte s2Magic:
// about half their size as text, and decoded at a gigabyte a second, some
// microseconds per story, where zlib would cost more than the read itself.
// Stored stories are written with S2's best compression (packFastest),
// slower to write but as fast to read, and small enough that two fit in a
// page (pageSize in db.go), where S2's default leaves most of them a few
// bytes too large.
//
// Values written as text before stay readable as they are and are packed
// when next written: a packed body, HTML or plain text is a BLOB, a text
// one TEXT (unpackText); a packed state starts with 0x78 (zlibMagic) and a
// fast-packed value with s2Magic, which no JSON or plain text does
// (unpack).
//
// A story's pages are stored as the offsets where each ends in body_html
// when its pages, one after the other, are its HTML (always, but for
// footnotes, which each page repeats), instead of a second copy of the
// HTML.

// zlibMagic is the first byte of a zlib stream with a 32 KB window;
// s2Magic starts an S2 block (packFast). Neither starts JSON text, nor text
// that content.Render makes (no control characters).
const (
	zlibMagic = 0x78
	s2Magic   = 0x02
)

var (
	packers = sync.Pool{New: func() any {
		w, err := zlib.NewWriterLevel(io.Discard, flate.DefaultCompression)
		if err != nil {
			panic(err) // the level is valid
		}
		return w
	}}
	unpackers sync.Pool // of io.ReadCloser that are zlib.Resetter
)

// pack compresses b for storage.
func pack(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b)/3 + 64)
	w := packers.Get().(*zlib.Writer)
	w.Reset(&out)
	w.Write(b) // a bytes.Buffer does not fail
	w.Close()
	packers.Put(w)
	return out.Bytes()
}

// packFast compresses b for storage in a column read on hot paths.
func packFast(b []byte) []byte {
	out := make([]byte, 1+s2.MaxEncodedLen(len(b)))
	out[0] = s2Magic
	n := len(s2.EncodeBetter(out[1:], b))
	return out[:1+n]
}

// packFastest is packFast for the stored JSON of a whole story: S2's best
// compression, about a millisecond a story to write (stories are rendered
// when they change, not when they are saved) and as fast to read.
func packFastest(b []byte) []byte {
	out := make([]byte, 1+s2.MaxEncodedLen(len(b)))
	out[0] = s2Magic
	n := len(s2.EncodeBest(out[1:], b))
	return out[:1+n]
}

// unpackInto is unpack decoding a fast-packed value into dst's array when
// it is large enough (a caller reading many values reuses one buffer); the
// result may share memory with dst or with b.
func unpackInto(dst, b []byte) ([]byte, error) {
	if len(b) == 0 || b[0] != s2Magic {
		return unpack(b)
	}
	n, err := s2.DecodedLen(b[1:])
	if err != nil {
		return nil, fmt.Errorf("unpack stored value: %w", err)
	}
	if cap(dst) < n {
		dst = make([]byte, n)
	}
	out, err := s2.Decode(dst[:cap(dst)], b[1:])
	if err != nil {
		return nil, fmt.Errorf("unpack stored value: %w", err)
	}
	return out, nil
}

// unpackCopy is unpack whose result never shares memory with b, so that b
// may be the driver's memory of a row (sql.RawBytes).
func unpackCopy(b []byte) ([]byte, error) {
	if len(b) > 0 && (b[0] == s2Magic || b[0] == zlibMagic) {
		return unpack(b) // decoded into memory of its own
	}
	return bytes.Clone(b), nil
}

// unpack returns the stored value b as it was before pack or packFast; a
// value stored as text is returned as it is.
func unpack(b []byte) ([]byte, error) {
	if len(b) > 0 && b[0] == s2Magic {
		out, err := s2.Decode(nil, b[1:])
		if err != nil {
			return nil, fmt.Errorf("unpack stored value: %w", err)
		}
		return out, nil
	}
	if len(b) == 0 || b[0] != zlibMagic {
		return b, nil
	}
	var r io.ReadCloser
	if pr, ok := unpackers.Get().(io.ReadCloser); ok {
		if err := pr.(zlib.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
			return nil, fmt.Errorf("unpack stored value: %w", err)
		}
		r = pr
	} else {
		var err error
		if r, err = zlib.NewReader(bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("unpack stored value: %w", err)
		}
	}
	out := bytes.NewBuffer(make([]byte, 0, 4*len(b)))
	if _, err := out.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("unpack stored value: %w", err)
	}
	unpackers.Put(r)
	return out.Bytes(), nil
}

// encodePages is the pages column of a story whose HTML is html: the end
// offsets of its pages in html when the pages make up html, else the pages
// as a JSON array of strings.
func encodePages(html string, pages []string) (string, error) {
	ends := make([]byte, 0, 8*len(pages)+2)
	ends = append(ends, '[')
	at := 0
	for i, p := range pages {
		if len(html) < at+len(p) || html[at:at+len(p)] != p {
			b, err := json.Marshal(pages)
			if err != nil {
				return "", fmt.Errorf("encode pages: %w", err)
			}
			return string(b), nil
		}
		at += len(p)
		if i > 0 {
			ends = append(ends, ',')
		}
		ends = strconv.AppendInt(ends, int64(at), 10)
	}
	if at != len(html) {
		b, err := json.Marshal(pages)
		if err != nil {
			return "", fmt.Errorf("encode pages: %w", err)
		}
		return string(b), nil
	}
	return string(append(ends, ']')), nil
}

// decodePages reads the pages column of a story whose HTML is html.
func decodePages(html, stored string) ([]string, error) {
	if len(stored) < 2 || stored[1] == '"' || stored == "[]" {
		var pages []string
		if err := json.Unmarshal([]byte(stored), &pages); err != nil {
			return nil, fmt.Errorf("decode pages: %w", err)
		}
		return pages, nil
	}
	var ends []int
	if err := json.Unmarshal([]byte(stored), &ends); err != nil {
		return nil, fmt.Errorf("decode pages: %w", err)
	}
	pages := make([]string, len(ends))
	at := 0
	for i, end := range ends {
		if end < at || end > len(html) {
			return nil, fmt.Errorf("decode pages: offset %d outside the HTML (%d bytes)", end, len(html))
		}
		pages[i], at = html[at:end], end
	}
	return pages, nil
}

// decodeState decodes a revision's stored state into e.
func decodeState(stored string, e *content.Edit) error {
	b, err := unpack([]byte(stored))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, e)
}

// unpackText returns a stored body or HTML column, scanned into an any: a
// BLOB is packed, TEXT is as it was written.
func unpackText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		b, err := unpack(v)
		return string(b), err
	}
	return "", fmt.Errorf("stored text of type %T", v)
}
