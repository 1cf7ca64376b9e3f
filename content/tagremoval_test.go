package content

import "testing"

func TestPlanTagRemoval(t *testing.T) {
	cases := []struct {
		name, slug, into string
		field            string // "" means accepted
	}{
		{"a plain delete removes the tag from its stories", "elections", "", ""},
		{"a delete may move the stories to another tag", "elections", "politics", ""},
		{"the stories cannot move to the tag being deleted", "elections", "elections", "reassign_to"},
		{"the tag to move to must be a slug", "elections", "Not a slug!", "reassign_to"},
		{"the tag must be a slug", "Bad Slug", "", "slug"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := PlanTagRemoval(tc.slug, tc.into)
			if tc.field == "" {
				if err != nil || r.Slug != tc.slug || r.ReassignTo != tc.into {
					t.Errorf("PlanTagRemoval = %+v, %v", r, err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 || ErrorFields(err)[0].Field != tc.field {
				t.Errorf("PlanTagRemoval error %v, want one naming %s", err, tc.field)
			}
		})
	}
}
