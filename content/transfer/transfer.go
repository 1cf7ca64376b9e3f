// Package transfer moves newsrooms in and out of Dateline: it reads
// WordPress (WXR), Ghost and Dateline (NDJSON) export files into
// content.ImportedStory values, drives their import into a store in
// batches with a report, and writes Dateline's own NDJSON export. Readers
// stream: memory stays bounded by the largest element, not the file.
package transfer

import (
	"context"
	"fmt"
	"io"

	"dateline/content"
)

// Opener opens the file being imported from its start. Readers that need
// two passes (attachments and tags come anywhere in an export) call it
// twice.
type Opener func() (io.ReadCloser, error)

// Element is one thing a reader found in a file: a story to import, or an
// element it leaves out (Skipped) or could not read (Err).
type Element struct {
	// Source names where the file's stories come from ("wxr:" and the
	// site's address, "ghost", "dateline"); source ids are unique in it.
	Source string
	Where  string                 // where in the file: "item 3 (line 120, post 17)"
	Story  *content.ImportedStory // nil when the element is no story to import
	Tag    *content.Tag           // a tag with its description (Dateline exports)
	// Skipped says why an element that is not a story was left out ("a
	// page", "an attachment", "in the trash"); counted, not a problem.
	Skipped string
	Err     error    // what is wrong with the element; it is not imported
	Notes   []string // what the mapping left out of the story
}

// ReadFunc reads a file and hands every element to emit, in file order;
// an error from emit stops it and is returned. Its own error means the file
// as a whole could not be read on (not XML, not JSON, a refused DOCTYPE).
type ReadFunc func(ctx context.Context, emit func(Element) error) error

// Options tune the readers.
type Options struct {
	// Zone is the newsroom's time zone, for dates a file gives without an
	// offset (a WordPress draft's local date).
	Zone string
	// IncludePages imports WordPress and Ghost pages as stories too.
	IncludePages bool
	// SiteURL is the old site's address, for Ghost's __GHOST_URL__
	// placeholder and relative addresses in Ghost posts.
	SiteURL string
	// MaxElement bounds the bytes of one element (a post with its
	// content); a larger one is skipped with a problem. Default 32 MiB.
	MaxElement int64
}

func (o Options) maxElement() int64 {
	if o.MaxElement <= 0 {
		return 32 << 20
	}
	return o.MaxElement
}

// FormatError is the error of a file that cannot be read on.
type FormatError struct {
	Format string // wxr, ghost, ndjson
	Where  string
	Why    string
}

func (e *FormatError) Error() string {
	if e.Where == "" {
		return fmt.Sprintf("%s: %s", e.Format, e.Why)
	}
	return fmt.Sprintf("%s: %s: %s", e.Format, e.Where, e.Why)
}
