package content

import "testing"

func TestStaleVersionSaysWhoInWords(t *testing.T) {
	tests := []struct {
		name string
		e    StaleVersion
		want string
	}{
		{"a known user", StaleVersion{Edited: 2, Current: 3, SavedBy: "u1", SavedByName: "Ann Lee", Editor: "u2"},
			"Ann Lee saved version 3 while you were editing version 2"},
		{"the same user", StaleVersion{Edited: 2, Current: 4, SavedBy: "u1", SavedByName: "Ann Lee", Editor: "u1"},
			"you, in another tab or window, saved version 4 while you were editing version 2"},
		{"an unknown saver", StaleVersion{Edited: 1, Current: 2, Editor: "u1"},
			"someone else saved version 2 while you were editing version 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Error(); got != tt.want {
				t.Errorf("%q, want %q", got, tt.want)
			}
			if ErrorCode(&tt.e) != ECONFLICT {
				t.Errorf("code %q", ErrorCode(&tt.e))
			}
		})
	}
}
