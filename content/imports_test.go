package content

import (
	"testing"
	"time"
)

func TestDecideReimport(t *testing.T) {
	cases := []struct {
		name   string
		mark   *ImportMark
		update bool
		want   ImportAction
	}{
		{"a story never imported is created", nil, false, ImportCreated},
		{"a story imported with the same state is unchanged", &ImportMark{Fingerprint: "f", Version: 1, CurrentVersion: 1}, false, ImportUnchanged},
		{"a story changed at the source and untouched here is updated", &ImportMark{Fingerprint: "old", Version: 1, CurrentVersion: 1}, false, ImportUpdated},
		{"a story edited here since is kept", &ImportMark{Fingerprint: "old", Version: 1, CurrentVersion: 3}, false, ImportKept},
		{"a story edited here since is updated when asked to", &ImportMark{Fingerprint: "old", Version: 1, CurrentVersion: 3}, true, ImportUpdated},
		{"a story deleted here stays deleted", &ImportMark{Fingerprint: "old", Deleted: true}, true, ImportKept},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := DecideReimport(tc.mark, "f", tc.update)
			if got != tc.want {
				t.Errorf("DecideReimport = %s (%s), want %s", got, reason, tc.want)
			}
			if (got == ImportKept) != (reason != "") {
				t.Errorf("reason %q for %s: a kept story says why, others do not", reason, got)
			}
		})
	}
}

func TestHoldForCredit(t *testing.T) {
	pub := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC)
	credited := Photo{URL: "https://img.example.org/a.jpg", Credit: "© A", Alt: "a"}
	cases := []struct {
		name     string
		status   Status
		photo    Photo
		want     Status
		wantHeld bool
	}{
		{"a published story with a credited photo stays published", StatusPublished, credited, StatusPublished, false},
		{"a published story with an uncredited photo becomes a draft", StatusPublished, Photo{URL: credited.URL, Alt: "a"}, StatusDraft, true},
		{"a scheduled story without alt text becomes a draft", StatusScheduled, Photo{URL: credited.URL, Credit: "© A"}, StatusDraft, true},
		{"a draft with an uncredited photo is simply a draft", StatusDraft, Photo{URL: credited.URL}, StatusDraft, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &ImportedStory{Import: Import{Edit: Edit{Photos: []Photo{tc.photo}}, Status: tc.status, PublishedAt: &pub, PublishAt: &pub}}
			s.HoldForCredit()
			if s.Status != tc.want || s.HeldForCredit != tc.wantHeld {
				t.Errorf("status %s held %v, want %s %v", s.Status, s.HeldForCredit, tc.want, tc.wantHeld)
			}
			if s.PublishedAt == nil {
				t.Error("published_at was dropped: a held story keeps its original date")
			}
		})
	}
}

func TestFingerprintChangesWithTheStory(t *testing.T) {
	a := &ImportedStory{SourceID: "1", Import: Import{Edit: Edit{Headline: "A"}}}
	b := &ImportedStory{SourceID: "1", Import: Import{Edit: Edit{Headline: "A"}}}
	if a.Fingerprint() != b.Fingerprint() {
		t.Fatal("equal stories have different fingerprints")
	}
	b.Edit.Body = "changed"
	if a.Fingerprint() == b.Fingerprint() {
		t.Error("a changed body kept the fingerprint")
	}
}
