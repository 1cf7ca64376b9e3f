package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"dateline/auth"
	"dateline/content"
	"dateline/content/sqlite"
)

// writer is one editor of the save scenario: an API key of the author of
// a draft of the editing phase, and that draft as it last saved it.
type writer struct {
	key, id string
	version int
	edit    content.Edit
	base    string // the body before the scenario's changes
	saves   int
}

// prepareWriters gives n editors of the editing phase's drafts an API
// key each (a new one on every run) and reads the drafts, each from a
// different author. Fewer than n drafts is an error.
func prepareWriters(ctx context.Context, d database, n int) ([]*writer, error) {
	db, _, err := d.open(ctx, time.Now, sqlite.RevisionPolicy{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	drafts, err := db.Articles(ctx, content.ArticleFilter{Statuses: []content.Status{content.StatusDraft}, Limit: content.MaxLimit})
	if err != nil {
		return nil, err
	}
	var ws []*writer
	authors := map[string]bool{}
	for _, a := range drafts {
		if len(ws) == n {
			break
		}
		if a.CreatedBy == "" || authors[a.CreatedBy] {
			continue
		}
		authors[a.CreatedBy] = true
		key, prefix, hash := auth.NewAPIKey()
		if _, err := db.CreateAPIKey(ctx, auth.APIKey{UserID: a.CreatedBy, Name: "loadbench save scenario", Prefix: prefix, Hash: hash}); err != nil {
			return nil, fmt.Errorf("API key of the author of draft %s: %w", a.ID, err)
		}
		ws = append(ws, &writer{key: key, id: a.ID, version: a.Version, edit: a.Edit, base: a.Body})
	}
	if len(ws) < n {
		return nil, fmt.Errorf("the save scenario needs %d drafts of different editors and the database has %d: seed a new -data with -editors %d or more", n, len(ws), n)
	}
	return ws, nil
}

// saveBody is the admin API's PUT /api/admin/v1/articles/:id as the
// editor's autosave sends it: the whole editable state, the version it is
// based on, and autosave.
type saveBody struct {
	Version  int  `json:"version"`
	Autosave bool `json:"autosave"`
	content.Edit
}

// saveAnswer is what the benchmark reads of the answer: the new version,
// or on a conflict the current one.
type saveAnswer struct {
	Version int `json:"version"`
	Current *struct {
		Version int `json:"version"`
	} `json:"current"`
}

// driveSaves has each writer autosave its draft through t, one save after
// the other on a connection of its own, for d: each save changes the
// last word of the body and names the version of the writer's last save,
// as the editor does. A save is an error unless it answers 200; after a
// conflict (409) the writer goes on from the current version. A save under
// way when d ends is waited for, not cancelled: cancelled, it might be
// stored without the writer learning its version.
func driveSaves(ctx context.Context, t target, ws []*writer, d time.Duration) result {
	tr := t.transport(len(ws))
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	end := time.Now().Add(d)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		out    = result{status: map[int]int{}}
		vocab  = makeVocab(200)
		start  = time.Now()
		errors int
	)
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			st := map[int]int{}
			errs := 0
			for ctx.Err() == nil && time.Now().Before(end) {
				w.saves++
				w.edit.Body = w.base + vocab[w.saves%len(vocab)] + "\n"
				b, _ := json.Marshal(saveBody{Version: w.version, Autosave: true, Edit: w.edit})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPut, t.url+"/api/admin/v1/articles/"+w.id, bytes.NewReader(b))
				req.Header.Set("Authorization", "Bearer "+w.key)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errs++
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					errs++
					continue
				}
				lat = append(lat, time.Since(t0))
				st[resp.StatusCode]++
				var a saveAnswer
				json.Unmarshal(body, &a)
				switch {
				case resp.StatusCode == http.StatusOK && a.Version > 0:
					w.version = a.Version
				case resp.StatusCode == http.StatusConflict && a.Current != nil:
					w.version = a.Current.Version
					errs++
				default:
					errs++
				}
			}
			mu.Lock()
			out.lat = append(out.lat, lat...)
			for k, v := range st {
				out.status[k] += v
			}
			errors += errs
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	out.requests, out.errors = len(out.lat), errors
	slices.Sort(out.lat)
	out.rps = float64(out.requests) / out.elapsed.Seconds()
	if len(out.lat) > 0 {
		out.p50 = out.lat[len(out.lat)/2]
		out.p99 = out.lat[len(out.lat)*99/100]
	}
	return out
}

// measureSaves drives the save scenario as driveSaves does and adds the
// CPU time of procs meanwhile.
func measureSaves(ctx context.Context, procs []proc, t target, ws []*writer, d time.Duration) result {
	var before time.Duration
	ok := true
	for _, p := range procs {
		c, okp := cpuTime(p.pid)
		before, ok = before+c, ok && okp
	}
	r := driveSaves(ctx, t, ws, d)
	var after time.Duration
	for _, p := range procs {
		c, okp := cpuTime(p.pid)
		after, ok = after+c, ok && okp
	}
	r.cpu = after - before
	if !ok {
		r.cpu = -1
	}
	return r
}

// writeRow is the save scenario's measure for a variant on some of its
// instances.
type writeRow struct {
	variant   string
	instances int
	writers   int
	got       result
}

// printWrites prints one row per variant and number of instances.
func printWrites(w io.Writer, rows []writeRow, variants bool) {
	vh, vs := "", ""
	if variants {
		vh, vs = " server |", "---|"
	}
	fmt.Fprintf(w, "| saves (autosave by PUT with the version check) |%s instances | editors | saves/s | p50 ms | p99 ms | CPU µs/save | errors | statuses |\n", vh)
	fmt.Fprintf(w, "|---|%s---:|---:|---:|---:|---:|---:|---:|---|\n", vs)
	for _, r := range rows {
		v := ""
		if variants {
			v = " " + r.variant + " |"
		}
		fmt.Fprintf(w, "| each editor on a draft of their own |%s %d | %d | %.0f | %s | %s | %s | %d | %v |\n",
			v, r.instances, r.writers, r.got.rps, ms(r.got.p50), ms(r.got.p99), cpuPerRequest(r.got), r.got.errors, r.got.status)
	}
	fmt.Fprintln(w)
}
