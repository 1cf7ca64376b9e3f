package transfer

import (
	"html"
	"regexp"
	"strings"
)

// WordPress post content is HTML with WordPress's own conventions on top:
// the classic editor leaves paragraphs as blank lines (WordPress adds the
// <p> when it shows the post), shortcodes such as [caption] and [embed]
// stand for markup, and the block editor wraps blocks in <!-- wp:… -->
// comments around ordinary HTML.

var (
	captionCode = regexp.MustCompile(`(?s)\[caption([^\]]*)\](.*?)\[/caption\]`)
	captionImg  = regexp.MustCompile(`(?s)^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$`)
	captionAttr = regexp.MustCompile(`caption="([^"]*)"`)
	embedCode   = regexp.MustCompile(`(?s)\[embed[^\]]*\](.*?)\[/embed\]`)
	mediaCode   = regexp.MustCompile(`\[(audio|video)\b([^\]]*)\](?:(?s:.*?)\[/(?:audio|video)\])?`)
	srcAttr     = regexp.MustCompile(`\b(?:src|mp3|mp4|m4a|ogg|wav|webm)="([^"]+)"`)
	galleryCode = regexp.MustCompile(`\[(gallery|playlist)\b[^\]]*\]`)
	blankLines  = regexp.MustCompile(`\n[ \t]*\n`)
	blockStart  = regexp.MustCompile(`(?i)^<(p|div|h[1-6]|ul|ol|li|blockquote|figure|table|pre|hr|iframe|section|article|dl|address|!--)\b`)
	openBlock   = regexp.MustCompile(`(?i)<(pre|ul|ol|table|blockquote)\b`)
	closeBlock  = regexp.MustCompile(`(?i)</(pre|ul|ol|table|blockquote)>`)
)

// WordPressToMarkdown converts the content of a WordPress post (classic or
// block editor) to markdown: [caption] becomes an image with its caption,
// [embed], [audio] and [video] links to what they play, paragraphs the
// classic editor left as blank lines become paragraphs, and the rest goes
// through HTMLToMarkdown. Galleries and playlists are dropped, with a note.
func WordPressToMarkdown(body, base string) (string, []string) {
	var notes []string
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = captionCode.ReplaceAllStringFunc(body, func(m string) string {
		sub := captionCode.FindStringSubmatch(m)
		img, text := sub[2], ""
		if p := captionImg.FindStringSubmatch(sub[2]); p != nil {
			img, text = p[1], strings.TrimSpace(p[2])
		}
		if text == "" {
			if a := captionAttr.FindStringSubmatch(sub[1]); a != nil {
				text = html.UnescapeString(a[1])
			}
		}
		return "<figure>" + img + "<figcaption>" + text + "</figcaption></figure>"
	})
	body = embedCode.ReplaceAllStringFunc(body, func(m string) string {
		u := html.EscapeString(strings.TrimSpace(embedCode.FindStringSubmatch(m)[1]))
		return `<p><a href="` + u + `">` + u + `</a></p>`
	})
	body = mediaCode.ReplaceAllStringFunc(body, func(m string) string {
		s := srcAttr.FindStringSubmatch(m)
		if s == nil {
			notes = append(notes, "[audio] and [video] without a file are dropped")
			return ""
		}
		return `<p><a href="` + s[1] + `">` + s[1] + `</a></p>`
	})
	if galleryCode.MatchString(body) {
		notes = append(notes, "[gallery] and [playlist] shortcodes are dropped")
		body = galleryCode.ReplaceAllString(body, "")
	}
	if !strings.Contains(body, "<!-- wp:") {
		body = autoParagraphs(body)
	}
	md, more := HTMLToMarkdown(body, base)
	return md, append(notes, more...)
}

// autoParagraphs does what WordPress does when it shows classic-editor
// content: text runs separated by blank lines become paragraphs and single
// newlines in them line breaks. Runs that are block markup, and everything
// inside <pre>, lists, tables and quotes, stay as they are.
func autoParagraphs(body string) string {
	chunks := blankLines.Split(body, -1)
	depth := 0
	for i, c := range chunks {
		t := strings.TrimSpace(c)
		if depth == 0 && t != "" && !blockStart.MatchString(t) {
			chunks[i] = "<p>" + strings.ReplaceAll(t, "\n", "<br>\n") + "</p>"
		}
		depth += len(openBlock.FindAllString(c, -1)) - len(closeBlock.FindAllString(c, -1))
		if depth < 0 {
			depth = 0
		}
	}
	return strings.Join(chunks, "\n\n")
}
