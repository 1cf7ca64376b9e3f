package admin

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
	"dateline/content/shape"
	"dateline/static"
)

// The preview page: what GET /preview/<code> shows, read from the document
// stored with the link's grant, which is the delivery API's whole-story
// shape (content/shape.Story) of the previewed revision. The page shows
// what a reader's page would: dateline, headline, standfirst, byline, lead
// photo with caption and credit, the body page by page, the other photos,
// related links by kind, tags and corrections. It reads nothing else, so
// it cannot drift from the JSON a frontend gets.

// linkKinds are the related link kinds in the order the page shows them,
// with their headings.
var linkKinds = []struct{ kind, label string }{
	{string(content.LinkRelated), "Related"},
	{string(content.LinkOtherMedia), "In other media"},
	{string(content.LinkPartner), "Partner news"},
}

// previewView is what the preview template gets.
type previewView struct {
	Title   string
	Site    string
	Story   shape.Story
	When    string // the story's local time, as a reader would read it
	Expires string // the link's expiry in the newsroom's zone
	Lead    *photoView
	Photos  []photoView // the others, in order
	Pages   []pageView
	Links   []linkGroup
}

type photoView struct {
	shape.Photo
	Srcset string // the WebP renditions of the whole photo
	Class  string // lead-photo or photo
}

type pageView struct {
	Number, Of int
	HTML       template.HTML // sanitized by the publishing pipeline when the link was made
}

type linkGroup struct {
	Kind, Label string
	Links       []shape.RelatedLink
}

// parsePreviewPage parses the preview page's template; like NewUI it
// panics on a template that does not parse, a defect of the build.
func parsePreviewPage(assets *static.Assets) *template.Template {
	return template.Must(template.New("preview").Funcs(template.FuncMap{"asset": assets.URL}).
		ParseFS(templateFiles, "templates/preview.html"))
}

// handlePage serves GET /preview/:code, to anyone holding the link: the
// previewed revision as a page, or, with FrontendURL set, a redirect to the
// newsroom's own preview page with a signed token for the delivery API
// (valid as long as the link). A code that is unknown, revoked or expired
// gets the same 404 page, whatever the reason. Nothing here is cached or
// indexed, and the page sends no referrer, so its address does not leak
// to the sites it links to.
func (p *PreviewLinks) handlePage(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	g, doc, err := p.Grants.PreviewByCode(c.Request.Context(), c.Param("code"))
	if content.ErrorCode(err) == content.EUNAUTHORIZED {
		p.pageProblem(c, http.StatusNotFound, "This preview link does not work: it has expired or was revoked, or it was copied incompletely. Ask the newsroom for a new one.")
		return
	}
	if err != nil {
		p.api.Log.ErrorContext(c.Request.Context(), "preview page", "err", err)
		p.pageProblem(c, http.StatusInternalServerError, "The preview could not be shown. Please reload the page in a moment.")
		return
	}
	if p.FrontendURL != "" {
		tok, err := p.Tokens.IssuePreview(g.ID, g.ArticleID, g.Version, g.ExpiresAt.Sub(p.Now()))
		if err != nil { // the grant expired between the read and now
			p.pageProblem(c, http.StatusNotFound, "This preview link has expired. Ask the newsroom for a new one.")
			return
		}
		c.Redirect(http.StatusSeeOther, strings.ReplaceAll(p.FrontendURL, "{token}", url.QueryEscape(tok)))
		return
	}
	var s shape.Story
	if err := json.Unmarshal(doc, &s); err != nil {
		p.api.Log.ErrorContext(c.Request.Context(), "preview page: stored document", "grant", g.ID, "err", err)
		p.pageProblem(c, http.StatusInternalServerError, "The preview could not be shown.")
		return
	}
	p.writePage(c, http.StatusOK, "preview", p.view(rebased(s, strings.TrimRight(p.BaseURL, "/"), requestOrigin(c, p.BaseURL)), g))
}

// rebased returns s with the URLs of its photos and in-house links moved
// from the base URL to origin, for a page served under another name than
// the base URL (whose images may not be reachable from there); with origin
// the base URL it returns s as it is.
func rebased(s shape.Story, base, origin string) shape.Story {
	if origin == base || base == "" {
		return s
	}
	move := func(u string) string {
		if rest, ok := strings.CutPrefix(u, base+"/"); ok {
			return origin + "/" + rest
		}
		return u
	}
	photos := make([]shape.Photo, len(s.Photos))
	for i, ph := range s.Photos {
		ph.URL = move(ph.URL)
		rs := make([]shape.Rendition, len(ph.Renditions))
		for j, r := range ph.Renditions {
			r.URL = move(r.URL)
			rs[j] = r
		}
		ph.Renditions = rs
		photos[i] = ph
	}
	s.Photos = photos
	links := make([]shape.RelatedLink, len(s.RelatedLinks))
	for i, l := range s.RelatedLinks {
		if l.Article != "" {
			l.URL = move(l.URL)
		}
		links[i] = l
	}
	s.RelatedLinks = links
	return s
}

// view builds what the page shows of s, previewed through grant g.
func (p *PreviewLinks) view(s shape.Story, g content.PreviewGrant) previewView {
	v := previewView{Title: "Preview: " + s.Headline + " · " + p.SiteName, Site: p.SiteName, Story: s, Expires: p.local(g.ExpiresAt)}
	if t, err := time.Parse(time.RFC3339, s.PublishedAtLocal); err == nil {
		v.When = t.Format("2 January 2006, 15:04") + " " + offsetName(t)
	}
	for i, ph := range s.Photos {
		pv := photoView{Photo: ph, Srcset: srcset(ph), Class: "photo"}
		if i == 0 {
			pv.Class = "lead-photo"
			v.Lead = &pv
			continue
		}
		v.Photos = append(v.Photos, pv)
	}
	if s.Pages != nil && len(*s.Pages) > 0 {
		for _, pg := range *s.Pages {
			v.Pages = append(v.Pages, pageView{Number: pg.Number, Of: len(*s.Pages), HTML: template.HTML(pg.HTML)})
		}
	} else {
		v.Pages = []pageView{{Number: 1, Of: 1, HTML: template.HTML(s.BodyHTML)}}
	}
	for _, k := range linkKinds {
		grp := linkGroup{Kind: k.kind, Label: k.label}
		for _, l := range s.RelatedLinks {
			if l.Kind == k.kind {
				grp.Links = append(grp.Links, l)
			}
		}
		if len(grp.Links) > 0 {
			v.Links = append(v.Links, grp)
		}
	}
	return v
}

// offsetName is t's offset as readers see it beside a time: "UTC",
// "UTC+3", "UTC-3:30".
func offsetName(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := "UTC" + sign + strconv.Itoa(off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += ":" + strconv.Itoa(m/10) + strconv.Itoa(m%10)
	}
	return s
}

// srcset lists the WebP renditions of the whole photo, for the browser to
// pick a width from.
func srcset(ph shape.Photo) string {
	var parts []string
	for _, r := range ph.Renditions {
		if r.Crop == "" && r.ContentType == "image/webp" && r.Width > 0 {
			parts = append(parts, r.URL+" "+strconv.Itoa(r.Width)+"w")
		}
	}
	return strings.Join(parts, ", ")
}

// pageProblem answers with the preview layout's message page.
func (p *PreviewLinks) pageProblem(c *gin.Context, status int, msg string) {
	p.writePage(c, status, "problem", map[string]string{"Title": "Preview not available · " + p.SiteName, "Message": msg})
}

func (p *PreviewLinks) writePage(c *gin.Context, status int, name string, data any) {
	var b bytes.Buffer
	if err := p.page.ExecuteTemplate(&b, name, data); err != nil {
		p.api.Log.ErrorContext(c.Request.Context(), "render preview page", "err", err)
		c.String(http.StatusInternalServerError, "The preview could not be shown.")
		return
	}
	writeHTML(c, status, b.Bytes(), true)
}
