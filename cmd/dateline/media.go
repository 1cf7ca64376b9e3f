package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

const mediaUsage = `Usage:
  dateline media renditions [--all] [flags]

"media renditions" makes the renditions of every photo in the media library
whose renditions are missing or were made under other settings
(rendition_widths, rendition_crops, the qualities), demo photos included,
and waits until they are made. With --all it makes every photo's again.
It can run while the server runs. Stopped (Ctrl-C), it leaves what is done
and picks up the rest when run again.
`

// runMedia runs "dateline media renditions".
func runMedia(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "renditions" {
		fmt.Fprint(stderr, mediaUsage)
		return usageErrorf(`media: say "renditions"`)
	}
	var flags commonFlags
	fs := newFlagSet("media renditions", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, mediaUsage) }
	flags.register(fs)
	all := fs.Bool("all", false, "make the renditions of every photo again, also of those that are up to date")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	a, err := openApp(ctx, flags, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	w := a.newRenditions()
	queued, err := a.db.QueueRenditions(ctx, w.Key(), *all)
	if err != nil {
		return err
	}
	pending, err := a.db.RenditionJobs(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Renditions: %d photos queued now, %d in the queue.\n", queued, pending)
	start := time.Now()
	made := 0
	for {
		n, err := w.RunOnce(ctx)
		made += n
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stdout, "Renditions: stopped after %d photos; run again to make the rest.\n", made)
			return err
		}
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	left, err := a.db.RenditionJobs(ctx)
	if err != nil {
		return err
	}
	failed, err := a.db.RenditionFailures(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Renditions: made for %d photos in %s.", made, time.Since(start).Round(time.Second))
	if left > 0 {
		fmt.Fprintf(stdout, " %d are still queued (being made by a running server, or waiting to be retried).", left)
	}
	fmt.Fprintln(stdout)
	if failed > 0 {
		return fmt.Errorf("media renditions: %d photos have no renditions, their originals could not be read; the media page says why", failed)
	}
	return nil
}
