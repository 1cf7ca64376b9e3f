package content_test

import (
	"strings"
	"testing"
	"time"

	"dateline/content"
)

func TestAnImportKeepsCorrectionsOnlyOfAPublishedStoryAfterItsPublication(t *testing.T) {
	published := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	later := published.Add(26 * time.Hour)
	for _, tt := range []struct {
		name   string
		status content.Status
		at     *time.Time
		fix    content.Correction
		ok     bool
	}{
		{"a published story keeps a correction made after publication", content.StatusPublished, &published, content.Correction{At: later, Text: "The vote was six to three."}, true},
		{"a withdrawn story keeps one too", content.StatusUnpublished, &published, content.Correction{At: later, Text: "A name was misspelt."}, true},
		{"a correction at the moment of publication is kept", content.StatusPublished, &published, content.Correction{At: published, Text: "Fixed."}, true},
		{"a draft has no corrections", content.StatusDraft, nil, content.Correction{At: later, Text: "Too early."}, false},
		{"a correction before publication is refused", content.StatusPublished, &published, content.Correction{At: published.Add(-time.Minute), Text: "Before."}, false},
		{"a blank correction is refused", content.StatusPublished, &published, content.Correction{At: later, Text: "  "}, false},
		{"an overlong correction is refused", content.StatusPublished, &published, content.Correction{At: later, Text: strings.Repeat("x", content.MaxCorrection+1)}, false},
		{"a correction with a control character is refused", content.StatusPublished, &published, content.Correction{At: later, Text: "bad\x00byte"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			it := content.Import{Status: tt.status, PublishedAt: tt.at, Corrections: []content.Correction{tt.fix}}
			err := it.Validate()
			if tt.ok != (err == nil) {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
			if err != nil {
				if fs := content.ErrorFields(err); len(fs) == 0 || fs[0].Field != "corrections" {
					t.Errorf("fields %+v, want corrections named", fs)
				}
			}
		})
	}
}
