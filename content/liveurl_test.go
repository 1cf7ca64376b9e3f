package content

import "testing"

func TestLiveURL(t *testing.T) {
	cases := []struct{ name, pattern, base, slug, want string }{
		{"the newsroom's own story page", "https://www.example.org/news/{slug}", "https://cms.example.org", "pier-closes", "https://www.example.org/news/pier-closes"},
		{"the delivery API without a story page", "", "https://cms.example.org/", "pier-closes", "https://cms.example.org/api/v1/articles/pier-closes"},
		{"a slug is escaped as a path segment", "", "http://localhost:8080", "a b", "http://localhost:8080/api/v1/articles/a%20b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := LiveURL(tc.pattern, tc.base, tc.slug); got != tc.want {
				t.Errorf("LiveURL = %q, want %q", got, tc.want)
			}
		})
	}
}
