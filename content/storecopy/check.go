package storecopy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"dateline/content/postgres"
	"dateline/content/sqlite"
)

// Report is what a copy copied and what its check found.
type Report struct {
	Tables []TableReport
	Events EventsReport
	Public PublicReport
}

// TableReport is one copied table: its rows on each side and their
// checksums (see checksum).
type TableReport struct {
	Name                 string
	Source, Target       int64
	SourceSum, TargetSum string
}

// OK reports whether both sides hold the same rows.
func (t TableReport) OK() bool { return t.Source == t.Target && t.SourceSum == t.TargetSum }

// EventsReport is the outbox: how many events, the last id copied, and
// the id PostgreSQL hands the next event (Want is what it must be: one
// past the last id SQLite ever handed out).
type EventsReport struct {
	Count      int64
	First      int64
	Last       int64
	Next, Want int64
}

// OK reports whether new events follow the copied ones.
func (e EventsReport) OK() bool { return e.Next == e.Want }

// PublicReport compares the public JSON of the published stories:
// PostgreSQL renders every one from the copied rows, and each is compared
// byte for byte, whole story and list item, with what SQLite stored for it
// under the same render key. Unmatched counts stories the source stored no
// JSON for under that key (it was rendered under another configuration,
// or not yet), which are not compared; Differ names the stories whose
// JSON differs or that one side lacks.
type PublicReport struct {
	Stories   int
	Same      int
	Unmatched int
	Differ    []string
	Sum       string // SHA-256 over every story's JSON, in id order
}

// OK reports whether the check found no difference.
func (r Report) OK() bool {
	for _, t := range r.Tables {
		if !t.OK() {
			return false
		}
	}
	return r.Events.OK() && len(r.Public.Differ) == 0
}

// Write prints the report: a line per table, then the outbox and the
// public JSON.
func (r Report) Write(w io.Writer) {
	if len(r.Tables) == 0 {
		return
	}
	fmt.Fprintf(w, "%-20s %8s %10s  %s\n", "table", "SQLite", "PostgreSQL", "checksum")
	for _, t := range r.Tables {
		state := "same"
		if !t.OK() {
			state = "DIFFERS: SQLite " + short(t.SourceSum)
		}
		fmt.Fprintf(w, "%-20s %8d %10d  %s %s\n", t.Name, t.Source, t.Target, short(t.TargetSum), state)
	}
	e := r.Events
	if e.Count > 0 {
		fmt.Fprintf(w, "events: %d, ids %d to %d; ", e.Count, e.First, e.Last)
	} else {
		fmt.Fprint(w, "events: none; ")
	}
	if e.OK() {
		fmt.Fprintf(w, "the next event id is %d\n", e.Next)
	} else {
		fmt.Fprintf(w, "the next event id is %d, NOT %d\n", e.Next, e.Want)
	}
	p := r.Public
	fmt.Fprintf(w, "public JSON: %d published stories rendered, %d identical to SQLite's", p.Stories, p.Same)
	if p.Unmatched > 0 {
		fmt.Fprintf(w, ", %d not compared (SQLite stored them under another configuration: run the copy with the server's config)", p.Unmatched)
	}
	if len(p.Differ) > 0 {
		fmt.Fprintf(w, ", %d DIFFER (%s)", len(p.Differ), strings.Join(p.Differ, ", "))
	}
	fmt.Fprintf(w, "; checksum %s\n", short(p.Sum))
}

func short(sum string) string {
	if len(sum) > 16 {
		return sum[:16]
	}
	return sum
}

// checkEvents reads the outbox on both sides: ids and types are in the
// events table's checksum; this checks that the next id follows the last
// one SQLite handed out (seq, or the largest id if larger).
func checkEvents(ctx context.Context, src *sqlite.Snapshot, l *postgres.Loader, seq int64) (EventsReport, error) {
	var e EventsReport
	err := src.Rows(ctx, "events", func(cols []string, vals []any) error {
		id, _ := vals[slices.Index(cols, "id")].(int64)
		if e.Count == 0 || id < e.First {
			e.First = id
		}
		e.Last = max(e.Last, id)
		e.Count++
		return nil
	})
	if err != nil {
		return e, err
	}
	e.Want = max(e.Last, seq) + 1
	e.Next, err = l.NextID(ctx, "events", "id")
	return e, err
}

// storedJSON is a story's stored public JSON on one side.
type storedJSON struct {
	key, slug, keys string
	full, summary   []byte
	hasSummary      bool
}

// checkPublic compares the public JSON PostgreSQL rendered with the JSON
// SQLite stored.
func checkPublic(ctx context.Context, src *sqlite.Snapshot, l *postgres.Loader) (PublicReport, error) {
	var rep PublicReport
	key := l.RenderKey()
	source := map[string]*storedJSON{}
	err := src.Rows(ctx, "article_public", func(cols []string, vals []any) error {
		s := &storedJSON{}
		s.key, _ = text(vals[slices.Index(cols, "render_key")])
		s.slug, _ = text(vals[slices.Index(cols, "slug")])
		s.keys, _ = text(vals[slices.Index(cols, "surrogate_keys")])
		full, _ := text(vals[slices.Index(cols, "public_json")])
		s.full = []byte(full)
		id, _ := text(vals[slices.Index(cols, "article_id")])
		source[id] = s
		return nil
	})
	if err != nil {
		return rep, err
	}
	err = src.Rows(ctx, "article_public_items", func(cols []string, vals []any) error {
		id, _ := text(vals[slices.Index(cols, "article_id")])
		k, _ := text(vals[slices.Index(cols, "render_key")])
		if s := source[id]; s != nil && s.key == k {
			item, _ := text(vals[slices.Index(cols, "summary_json")])
			s.summary, s.hasSummary = []byte(item), true
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	target := map[string]*storedJSON{}
	err = l.Rows(ctx, "article_public", []postgres.Column{{Name: "article_id", Type: "text"}, {Name: "render_key", Type: "text"},
		{Name: "slug", Type: "text"}, {Name: "surrogate_keys", Type: "text"}, {Name: "public_json", Type: "bytea"}},
		func(vals []any) error {
			s := &storedJSON{}
			s.key, _ = vals[1].(string)
			s.slug, _ = vals[2].(string)
			s.keys, _ = vals[3].(string)
			s.full, _ = vals[4].([]byte)
			target[vals[0].(string)] = s
			return nil
		})
	if err != nil {
		return rep, err
	}
	err = l.Rows(ctx, "article_public_items", []postgres.Column{{Name: "article_id", Type: "text"}, {Name: "summary_json", Type: "bytea"}},
		func(vals []any) error {
			if s := target[vals[0].(string)]; s != nil {
				s.summary, _ = vals[1].([]byte)
				s.hasSummary = true
			}
			return nil
		})
	if err != nil {
		return rep, err
	}
	ids := make([]string, 0, len(target))
	for id := range target {
		ids = append(ids, id)
	}
	for id, s := range source {
		if _, ok := target[id]; !ok && s.key == key {
			rep.Differ = append(rep.Differ, id) // stored by SQLite, not rendered on PostgreSQL
		}
	}
	slices.Sort(ids)
	h := sha256.New()
	for _, id := range ids {
		t := target[id]
		h.Write([]byte(id))
		h.Write(t.full)
		h.Write(t.summary)
		rep.Stories++
		s := source[id]
		switch {
		case s == nil || s.key != key:
			rep.Unmatched++
		case t.key == s.key && t.slug == s.slug && t.keys == s.keys && bytes.Equal(t.full, s.full) &&
			t.hasSummary && s.hasSummary && bytes.Equal(t.summary, s.summary):
			rep.Same++
		default:
			rep.Differ = append(rep.Differ, id)
		}
	}
	slices.Sort(rep.Differ)
	rep.Sum = hex.EncodeToString(h.Sum(nil))
	return rep, nil
}
