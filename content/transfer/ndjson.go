package transfer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"dateline/content"
)

// Dateline's own export is NDJSON: one JSON object per line, each with a
// "type". The first line is the header; author and tag lines come before
// the stories that use them.
//
//	{"type":"dateline","version":1,"exported_at":"…"}
//	{"type":"author","id":"…","slug":"…","name":"…","bio":"…","email":"…"}
//	{"type":"tag","slug":"…","name":"…","description":"…"}
//	{"type":"story","id":"…", …the admin API's story…, "revisions":[…]}
//	{"type":"end","stories":N,"tags":N,"authors":N}
//
// The end line tells a complete export from one cut short (a broken pipe
// or download): a file with a header and no end line gets a problem.
// A story line holds what the admin API shows of a story (its editable
// state, authors, status, times and corrections) without what Dateline
// derives again (HTML, word counts) and, optionally, its revisions.

// NDJSONVersion is the version of the export format this binary writes and
// reads.
const NDJSONVersion = 1

type ndjsonLine struct {
	Type string `json:"type"`
}

type ndjsonHeader struct {
	Type       string    `json:"type"`
	Version    int       `json:"version"`
	ExportedAt time.Time `json:"exported_at"`
}

type ndjsonAuthor struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	Bio   string `json:"bio"`
	Email string `json:"email,omitempty"`
}

type ndjsonEnd struct {
	Type    string `json:"type"`
	Stories int    `json:"stories"`
	Tags    int    `json:"tags"`
	Authors int    `json:"authors"`
}

type ndjsonTag struct {
	Type        string `json:"type"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// ndjsonStory is a story line: the admin API's story shape.
type ndjsonStory struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	content.Edit
	Status      content.Status       `json:"status"`
	Authors     []content.Author     `json:"authors"`
	PublishAt   *time.Time           `json:"publish_at"`
	UnpublishAt *time.Time           `json:"unpublish_at"`
	PublishedAt *time.Time           `json:"published_at"`
	UpdatedAt   time.Time            `json:"updated_at"`
	CreatedAt   time.Time            `json:"created_at"`
	Corrections []content.Correction `json:"corrections"`
	Revisions   []content.Revision   `json:"revisions,omitempty"`
}

// ReadNDJSON reads a Dateline export. Every line is decoded strictly
// (unknown fields and trailing data are problems of that line); a line
// longer than Options.MaxElement is skipped with a problem. Story ids are
// the source ids (source "dateline") and are kept where free, as are author
// ids and slugs, so that an export imported into an empty newsroom serves
// the same public JSON.
func ReadNDJSON(open Opener, opt Options) ReadFunc {
	return func(ctx context.Context, emit func(Element) error) error {
		f, err := open()
		if err != nil {
			return fmt.Errorf("open: %w", err)
		}
		defer f.Close()
		br := bufio.NewReaderSize(f, 64<<10)
		emails := map[string]string{} // author id → email, from author lines
		const source = "dateline"
		var st ndjsonState
		for n := 1; ; n++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			line, tooLong, err := readLine(br, opt.maxElement())
			if errors.Is(err, io.EOF) && len(line) == 0 && !tooLong {
				if n == 1 {
					return &FormatError{Format: "ndjson", Why: "the file is empty"}
				}
				if st.header && !st.end {
					return emit(Element{Source: source, Where: fmt.Sprintf("line %d", n),
						Err: errors.New("end: the export ends without its end line: it was cut short, and what it held after the last line read is missing")})
				}
				return nil
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read line %d: %w", n, err)
			}
			where := fmt.Sprintf("line %d", n)
			if tooLong {
				if err := emit(Element{Source: source, Where: where, Err: fmt.Errorf("the line is longer than %d MiB; skipped", opt.maxElement()>>20)}); err != nil {
					return err
				}
				continue
			}
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			el, err := ndjsonElement(line, n, emails, &st)
			if err != nil {
				return err
			}
			el.Source, el.Where = source, where
			if el.Story != nil {
				el.Where = fmt.Sprintf("line %d (story %s)", n, el.Story.SourceID)
			}
			if err := emit(el); err != nil {
				return err
			}
		}
	}
}

// readLine reads one line without its newline; tooLong says the line was
// over limit bytes and was passed over.
func readLine(br *bufio.Reader, limit int64) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if int64(len(line)+len(chunk)) > limit {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, err
	}
}

// ndjsonState is what a read has seen of the export's frame.
type ndjsonState struct {
	header, end bool
	stories     int // story lines read
}

// ndjsonElement decodes one line. The error is for the file as a whole: a
// header of another format version.
func ndjsonElement(line []byte, n int, emails map[string]string, st *ndjsonState) (Element, error) {
	var head ndjsonLine
	if err := json.Unmarshal(line, &head); err != nil {
		return Element{Err: fmt.Errorf("json: %s", jsonWhy(err))}, nil
	}
	switch head.Type {
	case "dateline":
		var h ndjsonHeader
		if err := strictJSON(line, &h); err != nil {
			return Element{Err: err}, nil
		}
		if h.Version != NDJSONVersion {
			return Element{}, &FormatError{Format: "ndjson", Where: fmt.Sprintf("line %d", n),
				Why: fmt.Sprintf("the export is of format version %d; this Dateline reads version %d", h.Version, NDJSONVersion)}
		}
		st.header = true
		return Element{Skipped: "the header"}, nil
	case "end":
		var e ndjsonEnd
		if err := strictJSON(line, &e); err != nil {
			return Element{Err: err}, nil
		}
		st.end = true
		if e.Stories != st.stories {
			return Element{Err: fmt.Errorf("end: the export says it holds %d stories, the file has %d lines of stories", e.Stories, st.stories)}, nil
		}
		return Element{Skipped: "the end line"}, nil
	case "author":
		var a ndjsonAuthor
		if err := strictJSON(line, &a); err != nil {
			return Element{Err: err}, nil
		}
		emails[a.ID] = a.Email
		return Element{Skipped: "an author line (authors come in with their stories)"}, nil
	case "tag":
		var t ndjsonTag
		if err := strictJSON(line, &t); err != nil {
			return Element{Err: err}, nil
		}
		return Element{Tag: &content.Tag{Slug: t.Slug, Name: t.Name, Description: t.Description}}, nil
	case "story":
		st.stories++
		var s ndjsonStory
		if err := strictJSON(line, &s); err != nil {
			return Element{Err: err}, nil
		}
		return Element{Story: s.imported(emails)}, nil
	case "":
		return Element{Err: errors.New("type: missing")}, nil
	}
	return Element{Err: fmt.Errorf("type: %q is not a line of a Dateline export", head.Type)}, nil
}

func (s *ndjsonStory) imported(emails map[string]string) *content.ImportedStory {
	out := &content.ImportedStory{
		SourceID: s.ID,
		ID:       s.ID,
		Import: content.Import{Edit: s.Edit, Status: s.Status, PublishAt: s.PublishAt, UnpublishAt: s.UnpublishAt,
			PublishedAt: s.PublishedAt, Corrections: s.Corrections},
	}
	if !s.CreatedAt.IsZero() {
		out.CreatedAt = &s.CreatedAt
	}
	if !s.UpdatedAt.IsZero() {
		out.UpdatedAt = &s.UpdatedAt
	}
	out.Edit.AuthorIDs = nil
	for _, a := range s.Authors {
		out.Authors = append(out.Authors, content.ImportAuthor{Key: a.ID, ID: a.ID, Slug: a.Slug, Name: a.Name, Bio: a.Bio, Email: emails[a.ID]})
	}
	if len(s.Revisions) > 0 {
		// Oldest first, and only those before the story's own state (the
		// newest revision).
		revs := append([]content.Revision(nil), s.Revisions...)
		sort.Slice(revs, func(i, j int) bool { return revs[i].Version < revs[j].Version })
		out.Revisions = revs[:len(revs)-1]
	}
	out.HoldForCredit()
	return out
}

// strictJSON decodes one line into v, refusing unknown fields and
// trailing data.
func strictJSON(line []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("json: %s", jsonWhy(err))
	}
	if d.More() {
		return errors.New("json: data after the object")
	}
	return nil
}

// jsonWhy words a JSON error for the report.
func jsonWhy(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s must be a %s", te.Field, te.Type)
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return f + " is not a field of this line"
	}
	return strings.TrimPrefix(msg, "json: ")
}
