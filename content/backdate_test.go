package content

import (
	"testing"
	"time"
)

func TestPublishingAsOfAPastTime(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	past := time.Date(2016, 9, 8, 5, 43, 0, 0, time.UTC)
	future := now.Add(time.Hour)
	tr := func(act Action) Transition {
		for _, tr := range Transitions() {
			if tr.Action == act {
				return tr
			}
		}
		t.Fatalf("no transition %s", act)
		return Transition{}
	}
	draft := &Article{ID: "a", Status: StatusDraft, Version: 1}
	once := &Article{ID: "b", Status: StatusUnpublished, Version: 1, PublishedAt: &past}
	cases := []struct {
		name  string
		act   Action
		a     *Article
		asOf  time.Time
		code  string
		field string
	}{
		{"a draft is published as of 2016", ActPublish, draft, past, "", ""},
		{"a future time is refused: that is a schedule", ActPublish, draft, future, EINVALID, "published_at"},
		{"a step that does not publish takes no publication time", ActSubmit, draft, past, EINVALID, "published_at"},
		{"a story published before keeps its first publication", ActRepublish, once, past, ECONFLICT, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ch, err := tr(tc.act).Plan(tc.a, Step{PublishedAt: &tc.asOf}, "edda", now)
			if ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Fatalf("Plan error %v, want code %q", err, tc.code)
			}
			if tc.field != "" && (len(ErrorFields(err)) == 0 || ErrorFields(err)[0].Field != tc.field) {
				t.Errorf("fields %+v, want %s", ErrorFields(err), tc.field)
			}
			if err != nil {
				return
			}
			ch.At = now
			plan, err := PlanChange(Stored{Status: tc.a.Status, Published: tc.a.PublishedAt != nil}, Edit{}, ch)
			if err != nil || plan.PublishedAsOf == nil || !plan.PublishedAsOf.Equal(past) || plan.By != "edda" || plan.Event != EventPublished {
				t.Errorf("plan %+v (%v), want a publication dated %v by edda", plan, err, past)
			}
		})
	}
	t.Run("the store's own check refuses a story already published", func(t *testing.T) {
		ch := StatusChange{From: []Status{StatusUnpublished}, To: StatusPublished, PublishedAt: &past, At: now}
		if _, err := PlanChange(Stored{Status: StatusUnpublished, Published: true}, Edit{}, ch); ErrorCode(err) != ECONFLICT {
			t.Errorf("PlanChange error %v, want a conflict", err)
		}
	})
	t.Run("only editors and admins may backdate", func(t *testing.T) {
		for role, ok := range map[Role]bool{RoleContributor: false, RoleAuthor: false, RoleEditor: true, RoleAdmin: true} {
			if err := Permit(role, ActBackdate, true, StatusDraft); (err == nil) != ok {
				t.Errorf("%s: Permit = %v", role, err)
			}
		}
	})
}
