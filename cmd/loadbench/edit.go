package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

// editing is what the editing phase measured: the database before and
// after editors autosaved drafts.
type editing struct {
	editors, autosaves int
	measured           bool // before and after hold the storage (SQLite only)
	before, after      sqlite.StorageStats
	policy             sqlite.RevisionPolicy
}

// edit opens database d with policy and has each of editors
// users write a draft of about 600 words, then change it autosaves times
// 2.5 s apart (the admin editor's autosave delay, on a simulated clock, so
// the policy's window applies as it would in ten minutes of typing), then
// save it by hand. On SQLite it measures the database before and after.
func edit(ctx context.Context, d database, c *corpus, editors, autosaves int, policy sqlite.RevisionPolicy) (editing, error) {
	out := editing{editors: editors, autosaves: autosaves, policy: policy}
	clock := time.Now() // moved by each autosave
	db, stats, err := d.open(ctx, func() time.Time { return clock }, policy)
	if err != nil {
		return out, err
	}
	defer db.Close()
	if stats != nil {
		if out.before, err = stats(ctx); err != nil {
			return out, err
		}
		out.measured = true
	}
	for i := range editors {
		u, err := db.CreateUser(ctx, auth.User{Email: fmt.Sprintf("editor-%02d@loadbench.example", i), Name: fmt.Sprintf("Editor %02d", i), Role: auth.RoleAuthor})
		if err != nil {
			return out, fmt.Errorf("editor %d: %w", i, err)
		}
		by := u.ID
		var body strings.Builder
		for w := range 600 {
			body.WriteString(c.vocab[(i*601+w*7)%len(c.vocab)])
			body.WriteString(" ")
			if w%100 == 99 {
				body.WriteString("\n\n")
			}
		}
		e := content.Edit{Headline: fmt.Sprintf("Draft %d in the making", i), Dateline: content.Dateline{Place: "LISBON"}, Body: body.String()}
		a, err := db.CreateArticle(ctx, e, by)
		if err != nil {
			return out, fmt.Errorf("draft %d: %w", i, err)
		}
		for n := range autosaves + 1 {
			clock = clock.Add(2500 * time.Millisecond)
			e.Body += c.vocab[(i+n)%len(c.vocab)] + " "
			s := content.Save{Version: a.Version, Edit: e, By: by, Autosave: n < autosaves}
			if a, err = db.UpdateArticle(ctx, a.ID, s); err != nil {
				return out, fmt.Errorf("draft %d, save %d: %w", i, n+1, err)
			}
		}
	}
	if stats != nil {
		out.after, err = stats(ctx)
	}
	return out, err
}

// printStorage reports the size of the seeded database and its revisions.
func printStorage(w io.Writer, s sqlite.StorageStats, stories int) {
	fmt.Fprintf(w, "storage after seeding: database %s (%s in use, %s per story); %d revisions, %s of revision state, %s per revision\n",
		size(s.FileBytes), size(s.UsedBytes), size(s.UsedBytes/int64(max(1, stories))), s.Revisions, size(s.RevisionBytes), per(s.RevisionBytes, s.Revisions))
}

// printEditing reports what the editing phase added.
func printEditing(w io.Writer, e editing) {
	saves := int64(e.editors * (e.autosaves + 2)) // create, autosaves, one manual save
	revs := e.after.Revisions - e.before.Revisions
	state := e.after.RevisionBytes - e.before.RevisionBytes
	grew := e.after.UsedBytes - e.before.UsedBytes
	if !e.measured {
		fmt.Fprintf(w, "editing: %d drafts × (%d autosaves 2.5 s apart + 1 manual save), autosave window %s: %d saves\n",
			e.editors, e.autosaves, e.policy.AutosaveWindow, saves)
		return
	}
	fmt.Fprintf(w, "editing: %d drafts × (%d autosaves 2.5 s apart + 1 manual save), autosave window %s: %d saves wrote %d revisions "+
		"(%s of state, %s per revision); the database's pages in use grew by %s, %s per save\n",
		e.editors, e.autosaves, e.policy.AutosaveWindow, saves, revs, size(state), per(state, revs), size(grew), per(grew, saves))
}

// size formats a byte count.
func size(n int64) string {
	switch {
	case n >= 1<<20 || n <= -1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10 || n <= -1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// per formats bytes per item.
func per(bytes, n int64) string {
	if n <= 0 {
		return "n/a"
	}
	return size(bytes / n)
}
