package auth_test

import (
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
)

func TestCheckNewUserNamesEveryFieldWithoutADatabase(t *testing.T) {
	err := auth.CheckNewUser(auth.User{Email: "not an address", Name: " ", Role: "king"})
	var fields []string
	for _, f := range content.ErrorFields(err) {
		fields = append(fields, f.Field)
	}
	if strings.Join(fields, ",") != "email,name,role" {
		t.Errorf("fields %v (%v), want email, name, role", fields, err)
	}
	if err := auth.CheckNewUser(auth.User{Email: "ann@harbour.example", Name: "Ann Lee", Role: auth.RoleAuthor}); err != nil {
		t.Errorf("a good user: %v", err)
	}
}

func TestCheckTextRefusesControlAndBidiCharacters(t *testing.T) {
	tests := []struct {
		name, s   string
		multiline bool
		want      string
	}{
		{"plain text passes", "Ann Lee", false, ""},
		{"a newline passes where several lines may be", "Line one\nline two", true, ""},
		{"a newline is refused in one line", "Ann\nLee", false, "control characters"},
		{"a bidi override is refused", "Ann \u202ELee", true, "bidirectional"},
		{"invalid UTF-8 is refused", "Ann \xff", false, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p content.Problems
			auth.CheckText(&p, "name", tt.s, tt.multiline)
			err := p.Err()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(content.ErrorMessage(err)+fmtFields(err), tt.want)) {
				t.Errorf("CheckText(%q) = %v, want %q", tt.s, err, tt.want)
			}
		})
	}
}

func fmtFields(err error) string {
	var b strings.Builder
	for _, f := range content.ErrorFields(err) {
		b.WriteString(f.Field + " " + f.Message + ";")
	}
	return b.String()
}
