package transfer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"time"

	"dateline/content"
)

// ExportSource is what an export reads; content/sqlite.DB is one.
type ExportSource interface {
	Articles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, error)
	Tags(ctx context.Context, f content.TagFilter) ([]content.Tag, error)
	Revisions(ctx context.Context, id string) ([]content.Revision, error)
	// AuthorEmails returns the email address of every user credited on a
	// story, by user id.
	AuthorEmails(ctx context.Context) (map[string]string, error)
}

// ExportOptions say what an export holds.
type ExportOptions struct {
	Revisions bool      // every story's revisions too
	Now       time.Time // the header's exported_at
}

// ExportCounts says what an export wrote.
type ExportCounts struct {
	Stories, Tags, Authors, Revisions int
}

// exportPage is how many stories one read loads.
const exportPage = 100

// Export writes the newsroom as Dateline NDJSON (see ReadNDJSON): the
// header, every credited author, every tag, then every story that is not
// deleted, in every status, most recently updated first, with its
// revisions if asked; related links to deleted stories are left out. The
// end line comes last, so a reader can tell an export cut short. Photos are written as the references stories hold
// (uploaded ones as /media/ paths: copy the media directory, or a backup,
// along). It reads page by page, so memory stays bounded; stories saved
// while it runs may be written as they were before or after.
func Export(ctx context.Context, src ExportSource, w io.Writer, opt ExportOptions) (ExportCounts, error) {
	var n ExportCounts
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if err := enc.Encode(ndjsonHeader{Type: "dateline", Version: NDJSONVersion, ExportedAt: opt.Now.UTC()}); err != nil {
		return n, fmt.Errorf("write export: %w", err)
	}
	emails, err := src.AuthorEmails(ctx)
	if err != nil {
		return n, err
	}
	authors := map[string]content.Author{}
	live := map[string]bool{}
	var f content.ArticleFilter
	// A first walk gathers the credited authors, whose lines come first,
	// and the stories that are written.
	if err := eachStory(ctx, src, f, func(a *content.Article) error {
		for _, au := range a.Authors {
			authors[au.ID] = au
		}
		live[a.ID] = true
		return nil
	}); err != nil {
		return n, err
	}
	ids := make([]string, 0, len(authors))
	for id := range authors {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		au := authors[id]
		if err := enc.Encode(ndjsonAuthor{Type: "author", ID: au.ID, Slug: au.Slug, Name: au.Name, Bio: au.Bio, Email: emails[au.ID]}); err != nil {
			return n, fmt.Errorf("write export: %w", err)
		}
		n.Authors++
	}
	tags, err := src.Tags(ctx, content.TagFilter{})
	if err != nil {
		return n, err
	}
	for _, t := range tags {
		if err := enc.Encode(ndjsonTag{Type: "tag", Slug: t.Slug, Name: t.Name, Description: t.Description}); err != nil {
			return n, fmt.Errorf("write export: %w", err)
		}
		n.Tags++
	}
	err = eachStory(ctx, src, f, func(a *content.Article) error {
		line := ndjsonStory{Type: "story", ID: a.ID, Edit: a.Edit, Status: a.Status, Authors: a.Authors,
			PublishAt: a.PublishAt, UnpublishAt: a.UnpublishAt, PublishedAt: a.PublishedAt,
			UpdatedAt: a.UpdatedAt, CreatedAt: a.CreatedAt, Corrections: a.Corrections}
		line.Edit.AuthorIDs = nil
		// A link to a deleted story (which readers never see) would point
		// at nothing in the newsroom the export goes to.
		line.Edit.Links = slices.DeleteFunc(slices.Clone(line.Edit.Links), func(l content.RelatedLink) bool {
			return l.ArticleID != "" && !live[l.ArticleID]
		})
		emptyLists(&line.Edit)
		if opt.Revisions {
			revs, err := src.Revisions(ctx, a.ID)
			if err != nil {
				return err
			}
			for i := range revs {
				emptyLists(&revs[i].Edit)
			}
			line.Revisions = revs
			n.Revisions += len(revs)
		}
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
		n.Stories++
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := enc.Encode(ndjsonEnd{Type: "end", Stories: n.Stories, Tags: n.Tags, Authors: n.Authors}); err != nil {
		return n, fmt.Errorf("write export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("write export: %w", err)
	}
	return n, nil
}

// eachStory calls fn for every live story, most recently updated first.
func eachStory(ctx context.Context, src ExportSource, f content.ArticleFilter, fn func(*content.Article) error) error {
	f.Sort, f.Full, f.Limit = content.SortUpdated, true, exportPage
	for {
		as, err := src.Articles(ctx, f)
		if err != nil {
			return fmt.Errorf("read stories: %w", err)
		}
		for _, a := range as {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(as) < exportPage {
			return nil
		}
		last := as[len(as)-1]
		f.After = &content.Cursor{Time: last.UpdatedAt, ID: last.ID}
	}
}

// emptyLists gives the lists of e that are nil an empty value, so that an
// export writes [] for "none" whatever wrote the state.
func emptyLists(e *content.Edit) {
	if e.Photos == nil {
		e.Photos = []content.Photo{}
	}
	if e.Links == nil {
		e.Links = []content.RelatedLink{}
	}
	if e.Tags == nil {
		e.Tags = []string{}
	}
}
