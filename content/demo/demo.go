// Package demo seeds an empty newsroom with The Harbour Gazette, a
// fictional paper in the fictional coastal city of Port Ellis: stories in
// every workflow status, tags, related links of every kind and generated
// photos. `dateline serve --demo` loads it into an empty data directory.
//
// Everything is fictional: the city, its people and its news. Given the
// same seeding time, the stories and photos are the same every time.
package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"dateline/content"
)

// Zone is the newsroom's time zone. Publication times are chosen in it, and
// stories filed at home leave their dateline zone empty so that the store's
// default applies, which should be this zone.
const Zone = "Europe/Lisbon"

// Store is what seeding needs.
type Store interface {
	Import(ctx context.Context, items []content.Import, by string) ([]string, error)
	// CreateMedia records a photo in the media library and queues its
	// renditions.
	CreateMedia(ctx context.Context, m content.Media) (content.Media, error)
}

// Summary says what Seed stored.
type Summary struct {
	Published, Scheduled, Drafts, InReview, Unpublished int
	Tags                                                []string // every tag name, sorted
}

// Seed fills an empty newsroom: it writes generated photos into mediaDir
// (created if missing) and imports the demo stories relative to now.
//
// Photos are PNG files served as /media/<name>.png, each in the media
// library (so its renditions are queued, and made by the server's
// rendition workers or "dateline media renditions"). Published stories
// appeared over the 20 days before now; scheduled ones are due 2 hours and
// 1 day after now. The stories are imported in two batches, because
// in-house related links need the ids of the stories they point to: if the
// second batch fails, the first stays stored. Seed does not check that the
// newsroom is empty; seeding twice stores every story twice.
func Seed(ctx context.Context, store Store, mediaDir string, now time.Time) (Summary, error) {
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		return Summary{}, fmt.Errorf("demo: newsroom zone: %w", err)
	}
	all := stories()
	if err := check(all); err != nil {
		return Summary{}, err
	}
	if err := writePhotos(ctx, store, mediaDir, all); err != nil {
		return Summary{}, err
	}
	ids := make(map[string]string, len(all))
	for n, batch := range batches(all) {
		items := make([]content.Import, len(batch))
		for i, s := range batch {
			items[i] = s.item(now, loc, ids)
		}
		got, err := store.Import(ctx, items, "")
		if err != nil {
			return Summary{}, fmt.Errorf("demo: import batch %d: %w", n+1, err)
		}
		if len(got) != len(batch) {
			return Summary{}, fmt.Errorf("demo: import batch %d: stored %d stories of %d", n+1, len(got), len(batch))
		}
		for i, s := range batch {
			ids[s.key] = got[i]
		}
	}
	return summarize(all), nil
}

// batches splits the stories into those without in-house links, imported
// first, and those with, imported second.
func batches(all []story) [2][]story {
	var b [2][]story
	for _, s := range all {
		if s.linksInHouse() {
			b[1] = append(b[1], s)
		} else {
			b[0] = append(b[0], s)
		}
	}
	return b
}

// check refuses story data that cannot be seeded: duplicate or malformed
// keys, and in-house links to stories that are unknown or imported in the
// same batch.
func check(all []story) error {
	byKey := make(map[string]story, len(all))
	var errs []error
	for _, s := range all {
		if !validKey(s.key) {
			errs = append(errs, fmt.Errorf("story key %q: use lowercase letters, digits and hyphens", s.key))
		}
		if _, dup := byKey[s.key]; dup {
			errs = append(errs, fmt.Errorf("story key %q is used twice", s.key))
		}
		byKey[s.key] = s
		switch s.status() {
		case content.StatusPublished, content.StatusUnpublished:
			if s.on.daysAgo < 1 {
				errs = append(errs, fmt.Errorf("story %q: a published story appeared at least a day ago", s.key))
			}
		case content.StatusScheduled:
			if s.due <= 0 {
				errs = append(errs, fmt.Errorf("story %q: a scheduled story is due after the seeding", s.key))
			}
		}
	}
	for _, s := range all {
		for _, l := range s.links {
			if l.to == "" {
				continue
			}
			target, ok := byKey[l.to]
			switch {
			case !ok:
				errs = append(errs, fmt.Errorf("story %q links to unknown story %q", s.key, l.to))
			case target.linksInHouse():
				errs = append(errs, fmt.Errorf("story %q links to %q, which has in-house links itself", s.key, l.to))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("demo: story data: %w", errors.Join(errs...))
	}
	return nil
}

func validKey(k string) bool {
	if k == "" || k[0] == '-' || k[len(k)-1] == '-' {
		return false
	}
	for _, r := range k {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// writePhotos paints every photo of every story into mediaDir and records
// it in the media library, with the photo's caption, credit and alt text
// as its defaults.
func writePhotos(ctx context.Context, store Store, mediaDir string, all []story) error {
	if err := os.MkdirAll(mediaDir, 0o755); err != nil {
		return fmt.Errorf("demo: media directory: %w", err)
	}
	for i, s := range all {
		for n, p := range s.photos {
			if err := ctx.Err(); err != nil {
				return err
			}
			b, err := photoPNG(p.scene, p.light, uint64(i)*16+uint64(n)+1)
			if err != nil {
				return fmt.Errorf("demo: photo %s: %w", s.photoName(n), err)
			}
			if err := os.WriteFile(filepath.Join(mediaDir, s.photoName(n)), b, 0o644); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			m := content.Media{ID: s.photoID(n), FileName: s.photoName(n), ContentType: "image/png", Width: photoWidth, Height: photoHeight,
				Size: int64(len(b)), Caption: p.caption, Credit: p.credit, Alt: p.alt}
			if _, err := store.CreateMedia(ctx, m); err != nil {
				return fmt.Errorf("demo: photo %s: %w", s.photoName(n), err)
			}
		}
	}
	return nil
}

func summarize(all []story) Summary {
	var sum Summary
	for _, s := range all {
		switch s.status() {
		case content.StatusPublished:
			sum.Published++
		case content.StatusScheduled:
			sum.Scheduled++
		case content.StatusDraft:
			sum.Drafts++
		case content.StatusInReview:
			sum.InReview++
		case content.StatusUnpublished:
			sum.Unpublished++
		}
		sum.Tags = append(sum.Tags, s.tags...)
	}
	slices.Sort(sum.Tags)
	sum.Tags = slices.Compact(sum.Tags)
	return sum
}
