package delivery_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"dateline/content"
	"dateline/content/delivery"
)

type changeEntry struct {
	Type, ID, Slug string
}

// changesAfter returns the changes feed from cursor on ("" for the start)
// and the cursor to continue from.
func (env *testEnv) changesAfter(t *testing.T, cursor string) ([]changeEntry, string) {
	t.Helper()
	target := "/api/v1/changes?limit=1000"
	if cursor != "" {
		target += "&cursor=" + cursor
	}
	rec := env.get(t, target)
	if rec.Code != 200 {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	var out struct {
		Changes []changeEntry
		Meta    struct {
			NextCursor string `json:"next_cursor"`
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out.Changes, out.Meta.NextCursor
}

func TestTagChangesShowInTheChangesFeed(t *testing.T) {
	env := newEnv(t, delivery.Options{})
	s := env.seed(t)
	ctx := context.Background()
	_, cursor := env.changesAfter(t, "")
	updated := func(t *testing.T, slugs ...string) {
		t.Helper()
		var changes []changeEntry
		changes, cursor = env.changesAfter(t, cursor)
		var got []string
		for _, c := range changes {
			if c.Type != content.EventUpdated {
				t.Errorf("change %+v, want %s", c, content.EventUpdated)
			}
			got = append(got, c.Slug)
		}
		slices.Sort(got)
		slices.Sort(slugs)
		if !slices.Equal(got, slugs) {
			t.Errorf("updated stories %v, want %v", got, slugs)
		}
	}
	name := func(n string) *string { return &n }

	t.Run("a rename lists every published story with the tag once, no hidden one", func(t *testing.T) {
		if _, err := env.db.UpdateTag(ctx, "harbour", content.TagEdit{Name: name("Port")}); err != nil {
			t.Fatal(err)
		}
		updated(t, s.nasty, s.weather, s.old)
	})
	t.Run("a merge lists the published stories of the merged tag", func(t *testing.T) {
		if _, err := env.db.MergeTags(ctx, "weather", "port"); err != nil {
			t.Fatal(err)
		}
		updated(t, s.weather)
	})
	t.Run("a delete lists the published stories that lose the tag", func(t *testing.T) {
		if err := env.db.DeleteTag(ctx, "port"); err != nil {
			t.Fatal(err)
		}
		updated(t, s.nasty, s.weather, s.old)
	})
	t.Run("changes to a tag only hidden stories carry list nothing", func(t *testing.T) {
		if _, err := env.db.UpdateTag(ctx, "secret", content.TagEdit{Name: name("Classified")}); err != nil {
			t.Fatal(err)
		}
		if err := env.db.DeleteTag(ctx, "classified"); err != nil {
			t.Fatal(err)
		}
		updated(t)
	})
}
