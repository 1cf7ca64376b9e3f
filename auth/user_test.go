package auth

import "testing"

func TestRolesAreOrdered(t *testing.T) {
	tests := []struct {
		r, min Role
		want   bool
	}{
		{RoleContributor, RoleContributor, true},
		{RoleContributor, RoleAuthor, false},
		{RoleAuthor, RoleContributor, true},
		{RoleEditor, RoleAuthor, true},
		{RoleEditor, RoleAdmin, false},
		{RoleAdmin, RoleEditor, true},
		{Role("owner"), RoleContributor, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.r)+" at least "+string(tt.min), func(t *testing.T) {
			if got := tt.r.AtLeast(tt.min); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
