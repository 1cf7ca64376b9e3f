package content

import "strings"

func Slugify(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
func ValidSlug(s string) bool          { return s != "" && Slugify(s) == s }
func NormalizeTagName(s string) string { return strings.Join(strings.Fields(s), " ") }
func UniqueSlug(base string, taken func(string) bool) string {
	if !taken(base) {
		return base
	}
	for i := 2; ; i++ {
		c := base + "-" + itoa(i)
		if !taken(c) {
			return c
		}
	}
}
func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i%10))) }

const PageBreak = "<!-- pagebreak -->"

func Render(body string) Rendered {
	return Rendered{HTML: "<p>" + body + "</p>", Text: body, Pages: []string{"<p>" + body + "</p>"}, WordCount: len(strings.Fields(body)), ReadingMinutes: 1}
}
