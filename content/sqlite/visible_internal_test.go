package sqlite

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The statements that may test a story's status for 'published' without
// public: they are about workflow, not about what readers see.
var statusNotVisibility = map[string]int{
	"articles.go":       1, // articleConditions: an editor's list of deleted published stories
	"articles_write.go": 1, // ChangeStatus: the new status of a transition
	"schedule.go":       2, // the scheduler's withdrawals (a deleted story has no unpublish_at)
	"visible.go":        2, // the definition and its comment
}

// A read of what is public that spells the condition out can forget half
// of it (the sitemaps once tested the status alone and listed deleted
// stories): every other mention of the published status in this package
// must go through public.
func TestOnlyPublicSaysWhichStoriesArePublic(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`'published'`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(literal.FindAll(b, -1)); n != statusNotVisibility[f] {
			t.Errorf("%s mentions 'published' %d times, %d allowed: use public(alias) (visible.go) for what readers see", f, n, statusNotVisibility[f])
		}
	}
}
