package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"time"

	"dateline/admin"
	"dateline/content"
	"dateline/content/transfer"
	"dateline/content/webhook"
)

const importUsage = `Usage: dateline import [flags] FORMAT FILE

Imports the stories of FILE into the newsroom. FORMAT is one of
  wxr      a WordPress export (Tools → Export → All content or Posts)
  ghost    a Ghost export (Settings → Labs → Export your content)
  ndjson   a Dateline export (dateline export)

Stories keep their publication and update dates. Running the same import
again resumes it: stories already imported are unchanged, those changed at
the source are updated, and those edited in Dateline since are kept unless
--update. A story whose photo lacks a credit or alt text comes in as a
draft that keeps its date, listed as needing a credit.

Flags:
`

// formats are the readers of "dateline import", by FORMAT.
var formats = map[string]func(transfer.Opener, transfer.Options) transfer.ReadFunc{
	"wxr":    transfer.ReadWXR,
	"ghost":  transfer.ReadGhost,
	"ndjson": transfer.ReadNDJSON,
}

// runImport implements "dateline import FORMAT FILE": it prints progress
// to stderr and the report to stdout, and fails (exit 1) when any element
// was not imported or the file could not be read.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var flags commonFlags
	fs := newFlagSet("import", stderr)
	flags.register(fs)
	dry := fs.Bool("dry-run", false, "check everything and report what would be done; write nothing")
	update := fs.Bool("update", false, "also overwrite stories edited in Dateline since an earlier import")
	pages := fs.Bool("pages", false, "import WordPress and Ghost pages as stories too")
	source := fs.String("source", "", "name the source instead of the file's own (e.g. two exports of one site)")
	fetch := fs.Bool("fetch-photos", false, "download photos given by URL into the media library (off: they stay external https URLs)")
	site := fs.String("site", "", "the old site's address, e.g. https://blog.example.org (Ghost exports write __GHOST_URL__ in its place)")
	reportFile := fs.String("report", "", "also write the whole report as JSON to this file")
	batch := fs.Int("batch", 200, "stories per transaction")
	fs.Usage = func() {
		fmt.Fprint(stderr, importUsage)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageErrorf("import: name a format and a file, e.g. dateline import wxr wordpress.xml")
	}
	format, path := fs.Arg(0), fs.Arg(1)
	reader, ok := formats[format]
	if !ok {
		return usageErrorf("import: unknown format %q; use wxr, ghost or ndjson", format)
	}
	if *batch < 1 || *batch > 10000 {
		return usageErrorf("import: --batch must be between 1 and 10000")
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	a, err := openApp(ctx, flags, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	opt := transfer.RunOptions{
		ImportOptions: content.ImportOptions{Source: *source, Update: *update, DryRun: *dry},
		BatchSize:     *batch,
		Progress:      progressPrinter(stderr),
	}
	if *fetch && !*dry {
		opt.Photos = a.photoFetcher("")
	}
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	read := reader(open, transfer.Options{Zone: a.cfg.TimeZone, IncludePages: *pages, SiteURL: *site})
	rep, runErr := transfer.Run(ctx, a.db, read, opt)
	printReport(stdout, rep)
	if *reportFile != "" {
		if err := writeReportFile(*reportFile, rep); err != nil {
			return err
		}
	}
	if runErr != nil {
		return fmt.Errorf("import: %w (what was imported before stays; run the same command again to resume)", runErr)
	}
	if rep.Failed > 0 {
		return fmt.Errorf("import: %d element(s) of %s were not imported; see the problems above", rep.Failed, path)
	}
	return nil
}

// photoFetcher downloads photos for imports through the SSRF-safe client
// of webhooks and stores them through the upload checks.
func (a *app) photoFetcher(by string) *transfer.Fetcher {
	media := admin.NewWithMedia(a.db, a.mediaFiles(), a.log)
	return &transfer.Fetcher{Client: a.photoClient(), Media: media, MaxBytes: admin.MaxUpload, By: by}
}

// photoClient is the client imports fetch photos with: the webhooks'
// SSRF-safe client (private, loopback and link-local addresses refused at
// dial time unless webhooks_allow_private, no proxy, no redirects).
func (a *app) photoClient() *http.Client {
	return webhook.NewClient(a.cfg.WebhooksAllowPrivate, 30*time.Second)
}

// progressPrinter prints a line to w at most every two seconds.
func progressPrinter(w io.Writer) func(*transfer.Report) {
	var last time.Time
	return func(r *transfer.Report) {
		if time.Since(last) < 2*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "import: %d read, %d created, %d updated, %d unchanged, %d kept, %d failed\n",
			r.Read, r.Created, r.Updated, r.Unchanged, r.Kept, r.Failed)
	}
}

// printReport writes the report for people: the summary, then every
// problem, kept story and story needing a credit, then the counts of
// skipped elements and of what the mapping left out.
func printReport(w io.Writer, r *transfer.Report) {
	fmt.Fprintln(w, r.Summary())
	for _, p := range r.Problems {
		fmt.Fprintln(w, "  problem:", p.String())
	}
	for _, k := range r.KeptWhy {
		fmt.Fprintln(w, "  kept:", k.String())
	}
	for _, where := range r.NeedsCredit {
		fmt.Fprintln(w, "  needs a photo credit or alt text (imported as a draft):", where)
	}
	for _, k := range r.SkippedKinds() {
		fmt.Fprintf(w, "  skipped %d: %s\n", r.Skipped[k], k)
	}
	for _, k := range r.NoteKinds() {
		fmt.Fprintf(w, "  note (%d stories): %s\n", r.Notes[k], k)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Tags)) {
		fmt.Fprintf(w, "  tags %s: %d\n", k, r.Tags[k])
	}
}

func writeReportFile(path string, r *transfer.Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("import: report: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("import: report: %w", err)
	}
	return nil
}
