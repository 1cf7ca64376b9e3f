package transfer

import (
	"encoding/json"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"time"

	"dateline/content"
)

// ghostStatus maps a Ghost post status; ok is false for what is not
// imported.
func ghostStatus(s string) (content.Status, string, bool) {
	switch s {
	case "published":
		return content.StatusPublished, "", true
	case "scheduled":
		return content.StatusScheduled, "", true
	case "draft":
		return content.StatusDraft, "", true
	case "sent":
		return content.StatusDraft, "a post only sent by email becomes a draft", true
	}
	return "", "", false
}

// mapGhostPost maps one post row.
func mapGhostPost(site *ghostSite, where string, p *ghostPost, opt Options) Element {
	el := Element{Source: "ghost", Where: where}
	isPage := p.Type == "page" || string(p.Page) == "true" || string(p.Page) == "1"
	if isPage && !opt.IncludePages {
		el.Skipped = "a page (--pages imports them)"
		return el
	}
	status, note, ok := ghostStatus(p.Status)
	if !ok {
		el.Skipped = fmt.Sprintf("a post with status %q", p.Status)
		return el
	}
	if note != "" {
		el.Notes = append(el.Notes, note)
	}
	if v := p.Visibility; v != "" && v != "public" {
		status = content.StatusDraft
		el.Notes = append(el.Notes, "a members-only or paid post becomes a draft: Dateline stories are public")
	}
	if p.ID == "" {
		el.Err = fmt.Errorf("id: missing")
		return el
	}
	created, err := ghostTime(p.CreatedAt)
	if err != nil {
		el.Err = fmt.Errorf("created_at: %w", err)
		return el
	}
	updated, err := ghostTime(p.UpdatedAt)
	if err != nil {
		el.Err = fmt.Errorf("updated_at: %w", err)
		return el
	}
	published, err := ghostTime(p.PublishedAt)
	if err != nil {
		el.Err = fmt.Errorf("published_at: %w", err)
		return el
	}
	meta := site.meta[p.ID]
	body, notes := ghostBody(p, opt.SiteURL)
	el.Notes = append(el.Notes, notes...)
	e := content.Edit{
		Slug:       content.Slugify(p.Slug),
		Headline:   plainText(p.Title),
		Standfirst: clip(plainText(ghostString(p.CustomExcerpt)), content.MaxStandfirst, &el.Notes, "the excerpt"),
		Body:       body,
		Featured:   string(p.Featured) == "true" || string(p.Featured) == "1",
		SEO: content.SEO{
			MetaTitle:       clip(plainText(firstOf(ghostString(meta.MetaTitle), ghostString(p.MetaTitle))), content.MaxMetaTitle, &el.Notes, "the SEO title"),
			MetaDescription: clip(plainText(firstOf(ghostString(meta.MetaDescription), ghostString(p.MetaDescription))), content.MaxMetaDescription, &el.Notes, "the meta description"),
			CanonicalURL:    ghostURL(ghostString(p.CanonicalURL), opt.SiteURL),
		},
	}
	if e.Headline == "" {
		e.Headline = "Untitled (Ghost post " + p.ID + ")"
		el.Notes = append(el.Notes, "a post without a title gets one")
	}
	if ghostString(meta.OGTitle) != "" || ghostString(meta.TwitterTitle) != "" {
		el.Notes = append(el.Notes, "Open Graph and Twitter card fields are not imported")
	}
	if ghostString(p.CodeinjHead) != "" || ghostString(p.CodeinjFoot) != "" {
		el.Notes = append(el.Notes, "code injection is not imported")
	}
	joins := site.postTag[p.ID]
	sort.SliceStable(joins, func(i, j int) bool { return joins[i].SortOrder < joins[j].SortOrder })
	for _, j := range joins { // the primary tag is the first
		t, ok := site.tags[j.TagID]
		if !ok {
			continue
		}
		if strings.HasPrefix(t.Name, "#") || t.Visibility == "internal" {
			el.Notes = append(el.Notes, "internal tags (#…) are not imported")
			continue
		}
		e.Tags = append(e.Tags, t.Name)
	}
	if len(e.Tags) > content.MaxTags {
		e.Tags = e.Tags[:content.MaxTags]
		el.Notes = append(el.Notes, fmt.Sprintf("tags beyond the first %d are left out", content.MaxTags))
	}
	if img := ghostString(p.FeatureImage); img != "" {
		u := ghostURL(img, opt.SiteURL)
		if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			ph := wxrAttachment{URL: u, Caption: plainText(ghostString(meta.FeatureImageCaption)), Alt: plainText(ghostString(meta.FeatureImageAlt))}
			e.Photos = append(e.Photos, ph.photo(&el.Notes))
		} else {
			el.Notes = append(el.Notes, "a feature image on the old site's own address is left out without --site")
		}
	}
	s := &content.ImportedStory{SourceID: p.ID, Import: content.Import{Edit: e, Status: status}}
	bys := site.postBy[p.ID]
	sort.SliceStable(bys, func(i, j int) bool { return bys[i].SortOrder < bys[j].SortOrder })
	if len(bys) == 0 && p.AuthorID != "" {
		bys = []ghostJoin{{AuthorID: p.AuthorID}}
	}
	var names []string
	for _, j := range bys {
		u, ok := site.users[j.AuthorID]
		if !ok {
			continue
		}
		s.Authors = append(s.Authors, content.ImportAuthor{Key: u.ID, Email: strings.TrimSpace(u.Email), Name: strings.TrimSpace(u.Name),
			Slug: u.Slug, Bio: ghostString(u.Bio)})
		names = append(names, strings.TrimSpace(u.Name))
	}
	if len(s.Authors) > content.MaxAuthors {
		s.Authors = s.Authors[:content.MaxAuthors]
		el.Notes = append(el.Notes, fmt.Sprintf("authors beyond the first %d are left out", content.MaxAuthors))
	}
	s.Edit.Byline = clip(joinNames(names), content.MaxByline, &el.Notes, "the byline")
	switch status {
	case content.StatusPublished:
		s.PublishedAt = published
		if published == nil {
			el.Err = fmt.Errorf("published_at: a published post needs its date")
			return el
		}
	case content.StatusScheduled:
		s.PublishAt = published
	}
	s.CreatedAt = created
	s.UpdatedAt = updated
	if s.PublishedAt != nil && (s.UpdatedAt == nil || s.UpdatedAt.Before(*s.PublishedAt)) {
		s.UpdatedAt = s.PublishedAt
	}
	if s.CreatedAt != nil && s.UpdatedAt != nil && s.UpdatedAt.Before(*s.CreatedAt) {
		s.CreatedAt = s.UpdatedAt
	}
	s.HoldForCredit()
	el.Story = s
	return el
}

// ghostBody converts a post's body: Lexical (Ghost 5) when present, else
// the markdown cards of mobiledoc (Ghost 1–4) when there is no HTML, else
// the HTML Ghost rendered.
func ghostBody(p *ghostPost, site string) (string, []string) {
	if lex := ghostString(p.Lexical); lex != "" {
		h, notes, err := lexicalHTML(lex)
		if err == nil {
			md, more := HTMLToMarkdown(ghostURLs(h, site), site)
			return md, append(notes, more...)
		}
		if ghostString(p.HTML) == "" {
			return "", []string{"a Lexical body that could not be read is left out: " + err.Error()}
		}
	}
	if h := ghostString(p.HTML); h != "" {
		return HTMLToMarkdown(ghostURLs(h, site), site)
	}
	if mob := ghostString(p.Mobiledoc); mob != "" {
		return mobiledocMarkdown(mob)
	}
	return "", nil
}

// mobiledocMarkdown joins the markdown cards of a mobiledoc document.
func mobiledocMarkdown(src string) (string, []string) {
	var doc struct {
		Cards [][]json.RawMessage `json:"cards"`
	}
	if err := json.Unmarshal([]byte(src), &doc); err != nil {
		return "", []string{"a mobiledoc body without HTML that could not be read is left out"}
	}
	var parts, notes []string
	for _, c := range doc.Cards {
		var name string
		if len(c) < 2 || json.Unmarshal(c[0], &name) != nil {
			continue
		}
		var payload struct {
			Markdown string `json:"markdown"`
		}
		if (name == "markdown" || name == "card-markdown") && json.Unmarshal(c[1], &payload) == nil {
			parts = append(parts, payload.Markdown)
		} else {
			notes = append(notes, "mobiledoc cards other than markdown are left out where the export has no HTML")
		}
	}
	return strings.Join(parts, "\n\n"), notes
}

// ghostTime reads a Ghost date: an RFC 3339 string (Ghost 4–5), a
// "2006-01-02 15:04:05" UTC string or milliseconds since 1970 (older
// exports); nil for null or missing.
func ghostTime(raw json.RawMessage) (*time.Time, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return nil, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		t := time.UnixMilli(ms).UTC()
		return &t, nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err != nil {
		return nil, fmt.Errorf("%s is not a date", s)
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, str); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, fmt.Errorf("%q is not a date like 2023-11-01T10:00:00.000Z", str)
}

// ghostURL replaces Ghost's __GHOST_URL__ placeholder with the site's
// address; without one, such an address stays relative.
func ghostURL(u, site string) string {
	if rest, ok := strings.CutPrefix(u, "__GHOST_URL__"); ok {
		return strings.TrimRight(site, "/") + rest
	}
	return u
}

// ghostURLs replaces every __GHOST_URL__ of an HTML body.
func ghostURLs(h, site string) string {
	return strings.ReplaceAll(h, "__GHOST_URL__", strings.TrimRight(site, "/"))
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// joinNames writes "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// escapeHTML escapes text for the HTML lexicalHTML writes.
func escapeHTML(s string) string { return html.EscapeString(s) }
