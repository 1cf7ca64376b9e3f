package transfer

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dateline/content"
)

// wxrStatus maps a WordPress post status to a Dateline status; ok is false
// for statuses that are not imported (trash, auto-draft, inherit).
func wxrStatus(s string) (status content.Status, note string, ok bool) {
	switch s {
	case "publish":
		return content.StatusPublished, "", true
	case "future":
		return content.StatusScheduled, "", true
	case "draft":
		return content.StatusDraft, "", true
	case "pending":
		return content.StatusInReview, "", true
	case "private":
		return content.StatusDraft, "a private post becomes a draft: Dateline has no private stories", true
	}
	return "", "", false
}

// mapWXRItem maps one item of the second pass to an element.
func mapWXRItem(site *wxrSite, source, where string, it *wxrItem, opt Options) Element {
	el := Element{Source: source, Where: where}
	switch it.PostType {
	case "post":
	case "page":
		if !opt.IncludePages {
			el.Skipped = "a page (--pages imports them)"
			return el
		}
	case "":
		el.Err = fmt.Errorf("wp:post_type: missing")
		return el
	default:
		el.Skipped = "an item of type " + it.PostType
		return el
	}
	status, note, ok := wxrStatus(strings.TrimSpace(it.Status))
	if !ok {
		if it.Status == "trash" {
			el.Skipped = "a post in the trash"
		} else {
			el.Skipped = fmt.Sprintf("a post with status %q", it.Status)
		}
		return el
	}
	if note != "" {
		el.Notes = append(el.Notes, note)
	}
	if strings.TrimSpace(it.PostPassword) != "" {
		status = content.StatusDraft
		el.Notes = append(el.Notes, "a password-protected post becomes a draft; the password is not imported")
	}
	id := strings.TrimSpace(it.PostID)
	if id == "" {
		el.Err = fmt.Errorf("wp:post_id: missing")
		return el
	}
	loc, err := time.LoadLocation(opt.Zone)
	if err != nil || opt.Zone == "" {
		loc = time.UTC
	}
	date, err := wxrTime(it.PostDateGMT, it.PostDate, loc)
	if err != nil {
		el.Err = fmt.Errorf("wp:post_date_gmt: %w", err)
		return el
	}
	modified, err := wxrTime(it.PostModifiedGMT, it.PostModified, loc)
	if err != nil {
		el.Err = fmt.Errorf("wp:post_modified_gmt: %w", err)
		return el
	}
	body, excerpt := it.content()
	md, notes := WordPressToMarkdown(body, site.baseURL)
	el.Notes = append(el.Notes, notes...)
	e := content.Edit{
		Slug:       wxrSlug(it.PostName),
		Headline:   plainText(it.Title),
		Standfirst: clip(plainText(excerpt), content.MaxStandfirst, &el.Notes, "the excerpt"),
		Body:       md,
		Featured:   strings.TrimSpace(it.IsSticky) == "1",
		SEO: content.SEO{
			MetaTitle:       clip(plainText(it.meta("_yoast_wpseo_title")), content.MaxMetaTitle, &el.Notes, "the SEO title"),
			MetaDescription: clip(plainText(it.meta("_yoast_wpseo_metadesc")), content.MaxMetaDescription, &el.Notes, "the meta description"),
			CanonicalURL:    strings.TrimSpace(it.meta("_yoast_wpseo_canonical")),
		},
	}
	if e.Headline == "" {
		e.Headline = "Untitled (WordPress post " + id + ")"
		el.Notes = append(el.Notes, "a post without a title gets one")
	}
	for _, c := range it.Categories {
		name := plainText(c.Name)
		if c.Domain != "category" && c.Domain != "post_tag" || name == "" {
			continue
		}
		if c.Domain == "category" && strings.EqualFold(c.Nicename, "uncategorized") {
			continue
		}
		e.Tags = append(e.Tags, name)
	}
	if len(e.Tags) > content.MaxTags {
		e.Tags = e.Tags[:content.MaxTags]
		el.Notes = append(el.Notes, fmt.Sprintf("tags beyond the first %d are left out", content.MaxTags))
	}
	if thumb := strings.TrimSpace(it.meta("_thumbnail_id")); thumb != "" {
		if a, ok := site.attachments[thumb]; ok && a.URL != "" {
			e.Photos = append(e.Photos, a.photo(&el.Notes))
		} else {
			el.Notes = append(el.Notes, "the featured image is not in the file")
		}
	}
	s := &content.ImportedStory{SourceID: id, Import: content.Import{Edit: e, Status: status}}
	login := strings.TrimSpace(it.Creator)
	if login != "" {
		a, ok := site.authors[login]
		name := strings.TrimSpace(a.DisplayName)
		if name == "" {
			name = strings.TrimSpace(a.FirstName + " " + a.LastName)
		}
		if name == "" || !ok {
			name = login
		}
		s.Authors = []content.ImportAuthor{{Key: login, Email: strings.TrimSpace(a.Email), Name: name}}
		s.Edit.Byline = clip(name, content.MaxByline, &el.Notes, "the byline")
	}
	switch status {
	case content.StatusPublished:
		s.PublishedAt = date
	case content.StatusScheduled:
		s.PublishAt = date
	}
	if date != nil {
		s.CreatedAt = date
	}
	if modified != nil && date != nil && modified.After(*date) {
		s.UpdatedAt = modified
	} else if date != nil && status == content.StatusPublished {
		s.UpdatedAt = date
	}
	if s.CreatedAt != nil && s.UpdatedAt != nil && s.UpdatedAt.Before(*s.CreatedAt) {
		s.CreatedAt = s.UpdatedAt
	}
	for _, old := range it.metas("_wp_old_slug") {
		if slug := wxrSlug(old); slug != "" && slug != s.Edit.Slug {
			s.OldSlugs = append(s.OldSlugs, slug)
		}
	}
	if link := permalinkSlug(it.Link); link != "" && link != s.Edit.Slug {
		s.OldSlugs = append(s.OldSlugs, link)
	}
	if len(it.Comments) > 0 {
		el.Notes = append(el.Notes, "comments are not imported")
	}
	s.HoldForCredit()
	el.Story = s
	return el
}

// wxrTime reads a WordPress date: the GMT one ("2016-09-08 05:43:00"), or
// when that is unset ("0000-00-00 00:00:00", a draft) the local one in loc;
// nil when neither is set.
func wxrTime(gmt, local string, loc *time.Location) (*time.Time, error) {
	const layout = "2006-01-02 15:04:05"
	gmt, local = strings.TrimSpace(gmt), strings.TrimSpace(local)
	unset := func(s string) bool { return s == "" || strings.HasPrefix(s, "0000-00-00") }
	switch {
	case !unset(gmt):
		t, err := time.Parse(layout, gmt)
		if err != nil {
			return nil, fmt.Errorf("%q is not a date like 2016-09-08 05:43:00", gmt)
		}
		return &t, nil
	case !unset(local):
		t, err := time.ParseInLocation(layout, local, loc)
		if err != nil {
			return nil, fmt.Errorf("%q is not a date like 2016-09-08 05:43:00", local)
		}
		t = t.UTC()
		return &t, nil
	}
	return nil, nil
}

// wxrSlug turns a WordPress post_name (percent-encoded when it holds other
// scripts) into a Dateline slug.
func wxrSlug(name string) string {
	name = strings.TrimSpace(name)
	if u, err := url.PathUnescape(name); err == nil {
		name = u
	}
	return content.Slugify(name)
}

// permalinkSlug returns the last path segment of a post's permalink as a
// slug, for a redirect from the old address; "" for query-string links.
func permalinkSlug(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.RawQuery != "" {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	return wxrSlug(parts[len(parts)-1])
}

// attachmentOf reads an attachment item: its file, caption (the excerpt),
// alt text and the credit the image's own metadata carries.
func attachmentOf(it *wxrItem) wxrAttachment {
	_, excerpt := it.content()
	meta := it.meta("_wp_attachment_metadata")
	credit := phpString(meta, "credit")
	if credit == "" {
		credit = phpString(meta, "copyright")
	}
	return wxrAttachment{
		URL:     strings.TrimSpace(it.AttachmentURL),
		Caption: plainText(excerpt),
		Alt:     plainText(it.meta("_wp_attachment_image_alt")),
		Credit:  plainText(credit),
		Title:   plainText(it.Title),
	}
}

// photo is the attachment as a story's photo. An http address is taken as
// https, which Dateline requires of external images.
func (a wxrAttachment) photo(notes *[]string) content.Photo {
	u := a.URL
	if strings.HasPrefix(u, "http://") {
		u = "https://" + strings.TrimPrefix(u, "http://")
		*notes = append(*notes, "an http image address is taken as https")
	}
	return content.Photo{URL: u, Caption: clip(a.Caption, content.MaxCaption, notes, "a caption"),
		Credit: clip(a.Credit, content.MaxCredit, notes, "a credit"), Alt: clip(a.Alt, content.MaxAlt, notes, "an alt text")}
}

// phpString finds key in a PHP-serialized array (WordPress's attachment
// metadata) and returns its string value: s:6:"credit";s:9:"Jane Roe";.
func phpString(serialized, key string) string {
	needle := fmt.Sprintf(`s:%d:"%s";s:`, len(key), key)
	i := strings.Index(serialized, needle)
	if i < 0 {
		return ""
	}
	rest := serialized[i+len(needle):]
	colon := strings.IndexByte(rest, ':')
	if colon < 0 {
		return ""
	}
	n, err := strconv.Atoi(rest[:colon])
	rest = rest[colon+1:]
	if err != nil || n < 0 || len(rest) < n+2 || rest[0] != '"' {
		return ""
	}
	return rest[1 : n+1]
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)

// plainText turns a WordPress title or excerpt (which may hold markup and
// entities) into one line of plain text.
func plainText(s string) string {
	s = html.UnescapeString(tagPattern.ReplaceAllString(s, " "))
	return strings.Join(strings.Fields(s), " ")
}

// clip shortens s to at most n characters, noting it.
func clip(s string, n int, notes *[]string, what string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	*notes = append(*notes, what+" is shortened to the length Dateline allows")
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
