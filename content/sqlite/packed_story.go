package sqlite

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"sync"
)

// The stored JSON of a whole story carries a story of more than one page
// twice: body_html, and the same HTML again split into pages. It is stored
// with the pages' HTML left out and the offsets where each page ends in the
// body_html string (packStory), and read back by copying (unpackStory).
// What packStory makes is stored fast-packed (packFast, packed.go). JSON escapes character by character, so the pages'
// escaped strings, one after the other, are the escaped body_html whenever
// the pages make up the HTML; any other document is stored as it is.
//
// A packed story starts with storyMagic, then as uvarints: the offset in
// the rest where the pages array stood, the offset and length of the
// escaped body_html string, the number of pages and the end offset of each
// page in that string; then the document without its pages array.

// storyMagic starts a packed story; a JSON document starts with '{'.
const storyMagic = 0x01

// The JSON around a story's HTML and pages, as content/shape writes it.
const (
	bodyKey  = `"body_html":"`
	pagesKey = `,"pages":[`
	pageHead = `{"number":`
	pageHTML = `,"html":"`
)

// packStory returns full packed, or full itself when it has no pages that
// make up its body_html.
func packStory(full []byte) []byte {
	h := bytes.Index(full, []byte(bodyKey))
	if h < 0 {
		return full
	}
	h += len(bodyKey)
	hEnd := stringEnd(full, h)
	if hEnd < 0 {
		return full
	}
	body := full[h:hEnd]
	p := bytes.Index(full[hEnd:], []byte(pagesKey))
	if p < 0 {
		return full
	}
	p += hEnd
	at := p + len(pagesKey)
	var ends []int
	sum := 0
	for n := 1; ; n++ {
		head := pageHead + strconv.Itoa(n) + pageHTML
		if !bytes.HasPrefix(full[at:], []byte(head)) {
			return full
		}
		at += len(head)
		end := stringEnd(full, at)
		if end < 0 || !bytes.HasPrefix(full[end:], []byte(`"}`)) {
			return full
		}
		page := full[at:end]
		if !bytes.HasPrefix(body[sum:], page) {
			return full
		}
		sum += len(page)
		ends = append(ends, sum)
		at = end + 2
		if bytes.HasPrefix(full[at:], []byte("]")) {
			at++
			break
		}
		if !bytes.HasPrefix(full[at:], []byte(",")) {
			return full
		}
		at++
	}
	if sum != len(body) {
		return full
	}
	out := make([]byte, 0, len(full)-(at-p)+binary.MaxVarintLen64*(4+len(ends)))
	out = append(out, storyMagic)
	out = binary.AppendUvarint(out, uint64(p))
	out = binary.AppendUvarint(out, uint64(h))
	out = binary.AppendUvarint(out, uint64(len(body)))
	out = binary.AppendUvarint(out, uint64(len(ends)))
	for _, e := range ends {
		out = binary.AppendUvarint(out, uint64(e))
	}
	out = append(out, full[:p]...)
	out = append(out, full[at:]...)
	if got, err := unpackStory(out); err != nil || !bytes.Equal(got, full) {
		return full // not expected; never store what does not read back
	}
	return out
}

// unpackStory returns the stored JSON of a whole story as it was rendered:
// stored is packStory's output, as it is or fast-packed (packed.go).
// The result never shares memory with stored, so stored may be the
// driver's memory of a row (sql.RawBytes).
func unpackStory(stored []byte) ([]byte, error) { return appendStory(nil, stored) }

// appendStory is unpackStory appending the story to dst.
func appendStory(dst, stored []byte) ([]byte, error) {
	if len(stored) == 0 || stored[0] != s2Magic {
		return expandStory(dst, stored)
	}
	// The decoded document is read only while the story is copied out of
	// it, so it is decoded into a buffer that serves the next read too.
	buf := storyScratch.Get().(*[]byte)
	doc, err := unpackInto(*buf, stored)
	if err != nil {
		storyScratch.Put(buf)
		return nil, fmt.Errorf("unpack stored story: %w", err)
	}
	out, err := expandStory(dst, doc)
	if cap(doc) <= maxScratch {
		*buf = doc[:0]
		storyScratch.Put(buf)
	}
	return out, err
}

// storyScratch holds the buffers unpackStory decodes into; a buffer that
// grew past maxScratch (a story far longer than most) is not kept.
var storyScratch = sync.Pool{New: func() any { return new([]byte) }}

const maxScratch = 256 << 10

// expandStory appends to dst the story of a decoded stored document: a
// packed story with its pages put back, any other document copied as it
// is. It keeps nothing of stored.
func expandStory(dst, stored []byte) ([]byte, error) {
	if len(stored) == 0 || stored[0] != storyMagic {
		return append(dst, stored...), nil
	}
	rest := stored[1:]
	next := func() (int, error) {
		v, n := binary.Uvarint(rest)
		if n <= 0 || v > uint64(len(stored)) {
			return 0, fmt.Errorf("unpack stored story: malformed header")
		}
		rest = rest[n:]
		return int(v), nil
	}
	var head [4]int
	for i := range head {
		v, err := next()
		if err != nil {
			return nil, err
		}
		head[i] = v
	}
	p, h, hLen, n := head[0], head[1], head[2], head[3]
	ends := make([]int, n)
	for i := range ends {
		v, err := next()
		if err != nil {
			return nil, err
		}
		ends[i] = v
	}
	doc := rest
	if p > len(doc) || h+hLen > p {
		return nil, fmt.Errorf("unpack stored story: offsets outside the document")
	}
	body := doc[h : h+hLen]
	out := slices.Grow(dst, len(doc)+hLen+n*32+len(pagesKey)+1)
	out = append(out, doc[:p]...)
	out = append(out, pagesKey...)
	start := 0
	for i, e := range ends {
		if e < start || e > hLen {
			return nil, fmt.Errorf("unpack stored story: page offsets outside body_html")
		}
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, pageHead...)
		out = strconv.AppendInt(out, int64(i+1), 10)
		out = append(out, pageHTML...)
		out = append(out, body[start:e]...)
		out = append(out, `"}`...)
		start = e
	}
	out = append(out, ']')
	out = append(out, doc[p:]...)
	return out, nil
}

// stringEnd returns the index of the quote that ends the JSON string whose
// contents start at from, or -1.
func stringEnd(b []byte, from int) int {
	for i := from; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++ // the escaped character
		case '"':
			return i
		}
	}
	return -1
}
