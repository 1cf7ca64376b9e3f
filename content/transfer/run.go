package transfer

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"dateline/content"
)

// Store is what an import writes to; content/sqlite.DB is one.
type Store interface {
	// ImportStories stores a batch; see sqlite.DB.ImportStories.
	ImportStories(ctx context.Context, stories []*content.ImportedStory, opt content.ImportOptions) ([]content.ImportResult, error)
	// ImportTag creates the tag if no tag has its slug; with opt.Update it
	// sets an existing one's name and description. It returns what it did.
	ImportTag(ctx context.Context, t content.Tag, opt content.ImportOptions) (content.ImportAction, error)
}

// PhotoFetcher brings a story's photo into the newsroom's media (an
// opt-in of imports); it returns the photo as it should be stored.
type PhotoFetcher interface {
	FetchPhoto(ctx context.Context, p content.Photo) (content.Photo, error)
}

// RunOptions say how Run imports.
type RunOptions struct {
	content.ImportOptions // Source, when set, overrides the file's own
	// BatchSize is how many stories go into one transaction; default 200.
	BatchSize int
	// Photos, if set, fetches every photo given by URL before its story
	// is stored; a photo that cannot be fetched stays an external URL and
	// the story gets a note.
	Photos PhotoFetcher
	// Progress, if set, is called after every batch with the report so far.
	Progress func(*Report)
}

// Problem is one element of the file that was not imported, or one story
// the store refused.
type Problem struct {
	Where    string `json:"where"`               // "item 3 (line 120, post 17)"
	SourceID string `json:"source_id,omitempty"` // the story's id in the file, when known
	What     string `json:"what"`                // the field or element at fault
	Why      string `json:"why"`
	seq      int    // the element's place in the file, for the order of the report
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s: %s", p.Where, p.What, p.Why) }

// Report says what an import did (or, dry, would do).
type Report struct {
	Source  string `json:"source"`
	DryRun  bool   `json:"dry_run"`
	Read    int    `json:"read"` // elements read
	Created int    `json:"created"`
	Updated int    `json:"updated"`
	// Unchanged stories an earlier import already brought as they are.
	Unchanged int `json:"unchanged"`
	// Kept stories edited (or deleted) in Dateline since an earlier import.
	Kept   int `json:"kept"`
	Failed int `json:"failed"` // elements with a problem, not imported
	// Tags counts the tag lines of a Dateline export by what was done.
	Tags map[string]int `json:"tags"`
	// Skipped counts the elements that are not stories, by why.
	Skipped map[string]int `json:"skipped"`
	// NeedsCredit lists the stories imported as drafts because a photo
	// lacks a credit or alt text (content.ImportedStory.HoldForCredit).
	NeedsCredit []string `json:"needs_credit"`
	// Notes counts what the mappings left out, by what, over all stories.
	Notes    map[string]int `json:"notes"`
	Problems []Problem      `json:"problems"`
	// KeptWhy lists the stories kept and why, as problems are listed.
	KeptWhy []Problem `json:"kept_stories"`
}

// Summary is the report in one line.
func (r *Report) Summary() string {
	verb := "imported"
	if r.DryRun {
		verb = "would import"
	}
	skipped := 0
	for _, n := range r.Skipped {
		skipped += n
	}
	return fmt.Sprintf("%s %s: %d created, %d updated, %d unchanged, %d kept, %d failed, %d skipped, %d need a photo credit",
		verb, r.Source, r.Created, r.Updated, r.Unchanged, r.Kept, r.Failed, skipped, len(r.NeedsCredit))
}

// SkippedKinds returns the kinds of skipped elements in order.
func (r *Report) SkippedKinds() []string { return sortedKeys(r.Skipped) }

// NoteKinds returns the kinds of notes in order.
func (r *Report) NoteKinds() []string { return sortedKeys(r.Notes) }

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Run reads a file with read and imports its stories into store in
// batches. Elements the reader could not map and stories the store
// refused are problems in the report, and the rest goes on; the error is
// for the run as a whole (the file cannot be read on, the database failed,
// ctx was cancelled), and then the batches stored so far stay: running the
// same import again resumes, since stories already imported are unchanged.
func Run(ctx context.Context, store Store, read ReadFunc, opt RunOptions) (*Report, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 200
	}
	rep := &Report{Source: opt.Source, DryRun: opt.DryRun, Skipped: map[string]int{}, Notes: map[string]int{}, Tags: map[string]int{},
		Problems: []Problem{}, NeedsCredit: []string{}, KeptWhy: []Problem{}}
	var batch []*content.ImportedStory
	var wheres []string
	var seqs []int
	seen := map[string]string{} // source id → where, within this file
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		iopt := opt.ImportOptions
		iopt.Source = rep.Source
		results, err := store.ImportStories(ctx, batch, iopt)
		if err != nil {
			return fmt.Errorf("import %s: %w", wheres[0], err)
		}
		for i, r := range results {
			rep.count(r, wheres[i], seqs[i])
		}
		batch, wheres, seqs = batch[:0], wheres[:0], seqs[:0]
		if opt.Progress != nil {
			opt.Progress(rep)
		}
		return nil
	}
	err := read(ctx, func(el Element) error {
		rep.Read++
		if rep.Source == "" {
			rep.Source = el.Source
		}
		for _, n := range el.Notes {
			rep.Notes[n]++
		}
		switch {
		case el.Err != nil:
			rep.problem(el.Where, "", el.Err, rep.Read)
			return nil
		case el.Skipped != "":
			rep.Skipped[el.Skipped]++
			return nil
		case el.Tag != nil:
			iopt := opt.ImportOptions
			iopt.Source = rep.Source
			act, err := store.ImportTag(ctx, *el.Tag, iopt)
			switch {
			case content.ErrorCode(err) == content.EINVALID:
				rep.problem(el.Where, "", err, rep.Read)
			case err != nil:
				return fmt.Errorf("import %s: %w", el.Where, err)
			default:
				rep.Tags[string(act)]++
			}
			return nil
		case el.Story == nil:
			return nil
		}
		if first, dup := seen[el.Story.SourceID]; dup {
			rep.problem(el.Where, el.Story.SourceID, fmt.Errorf("id: the file has this story twice; the first is at %s", first), rep.Read)
			return nil
		}
		seen[el.Story.SourceID] = el.Where
		if opt.Photos != nil {
			fetchPhotos(ctx, opt.Photos, el.Story, rep)
		}
		batch = append(batch, el.Story)
		wheres = append(wheres, el.Where)
		seqs = append(seqs, rep.Read)
		if len(batch) >= opt.BatchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	sort.SliceStable(rep.Problems, func(i, j int) bool { return rep.Problems[i].seq < rep.Problems[j].seq })
	return rep, err
}

// fetchPhotos brings the story's external photos into the media library;
// a failure leaves the URL and is noted.
func fetchPhotos(ctx context.Context, f PhotoFetcher, s *content.ImportedStory, rep *Report) {
	for i, p := range s.Edit.Photos {
		if p.MediaID != "" || !strings.HasPrefix(p.URL, "https://") {
			continue
		}
		got, err := f.FetchPhoto(ctx, p)
		if err != nil {
			rep.Notes["a photo that could not be fetched stays an external address"]++
			continue
		}
		s.Edit.Photos[i] = got
	}
}

// count adds one store result to the report.
func (r *Report) count(res content.ImportResult, where string, seq int) {
	switch res.Action {
	case content.ImportCreated:
		r.Created++
	case content.ImportUpdated:
		r.Updated++
	case content.ImportUnchanged:
		r.Unchanged++
	case content.ImportKept:
		r.Kept++
		r.KeptWhy = append(r.KeptWhy, Problem{Where: where, SourceID: res.SourceID, What: "story", Why: res.Reason})
	case content.ImportFailed:
		r.problem(where, res.SourceID, res.Err, seq)
		return
	}
	if res.NeedsCredit {
		r.NeedsCredit = append(r.NeedsCredit, where)
	}
}

// problem records a failed element: one problem per field at fault.
func (r *Report) problem(where, sourceID string, err error, seq int) {
	r.Failed++
	fields := content.ErrorFields(err)
	if len(fields) == 0 {
		what, why := "element", err.Error()
		if f, rest, ok := strings.Cut(why, ": "); ok && !strings.Contains(f, " ") {
			what, why = f, rest
		}
		r.Problems = append(r.Problems, Problem{Where: where, SourceID: sourceID, What: what, Why: why, seq: seq})
		return
	}
	for _, f := range fields {
		r.Problems = append(r.Problems, Problem{Where: where, SourceID: sourceID, What: f.Field, Why: f.Message, seq: seq})
	}
}
