package delivery

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
	"dateline/content/shape"
)

type articleList struct {
	Articles []shape.Summary `json:"articles"`
	Meta     listMeta        `json:"meta"`
}

type listMeta struct {
	Limit      int    `json:"limit"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// listParams are the query parameters GET /articles accepts.
var listParams = map[string]bool{"tag": true, "author": true, "featured": true, "since": true, "until": true, "limit": true, "cursor": true, "q": true}

// handleArticleList serves GET /articles: published stories, newest first,
// or with q the stories matching a full-text search, most relevant first.
func (api *API) handleArticleList(c *gin.Context) {
	f, err := parseListQuery(c.Request.URL.Query())
	if err != nil {
		api.problem(c, err)
		return
	}
	if api.serveStoredList(c, f) {
		return
	}
	limit := f.Limit
	f.Limit++ // one more tells whether there is a next page
	as, err := api.Store.Articles(c.Request.Context(), f)
	if err != nil {
		api.problem(c, err)
		return
	}
	out := articleList{Articles: make([]shape.Summary, 0, min(len(as), limit)), Meta: listMeta{Limit: limit}}
	for i, a := range as {
		if i == limit {
			last := as[limit-1]
			next := content.Cursor{Time: *last.PublishedAt, ID: last.ID}
			if last.Match != nil {
				next.Rank = &last.Match.Rank
			}
			out.Meta.NextCursor = next.Encode()
			break
		}
		s := api.shapes.Summary(a)
		if a.Match != nil {
			s.Snippet = a.Match.Snippet
		}
		out.Articles = append(out.Articles, s)
	}
	surrogateKeys(c, listKeys(f))
	api.writeJSON(c, http.StatusOK, out)
}

// parseListQuery turns the query string into a filter for published
// stories. Unknown parameters and bad values are validation errors that name
// the parameter.
func parseListQuery(q url.Values) (content.ArticleFilter, error) {
	f := content.ArticleFilter{Statuses: publishedOnly, Sort: content.SortPublished, Limit: content.DefaultLimit}
	var p content.Problems
	var unknown []string
	for k := range q {
		if !listParams[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		p.Add(k, "is not a parameter of this endpoint")
	}
	for _, raw := range q["tag"] {
		for _, t := range strings.Split(raw, ",") {
			t = strings.TrimSpace(t)
			if t == "" {
				continue
			}
			if !content.ValidSlug(t) {
				p.Add("tag", "%q is not a tag slug", t)
				continue
			}
			f.Tags = append(f.Tags, t)
		}
	}
	if len(f.Tags) > content.MaxTags {
		p.Add("tag", "at most %d tags", content.MaxTags)
	}
	if v := q.Get("author"); v != "" {
		if !content.ValidSlug(v) {
			p.Add("author", "%q is not an author slug", v)
		}
		f.Author = v
	}
	if v := q.Get("featured"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			p.Add("featured", "must be true or false")
		}
		f.Featured = &b
	}
	for _, name := range []string{"since", "until"} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			p.Add(name, "must be an RFC 3339 time with an offset, e.g. 2026-09-08T08:43:00+03:00")
			continue
		}
		if name == "since" {
			f.Since = &t
		} else {
			f.Until = &t
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || content.CheckLimit(n) != nil {
			p.Add("limit", "must be a whole number between 1 and %d", content.MaxLimit)
		}
		f.Limit = n
	}
	if v := q.Get("q"); v != "" {
		if _, err := content.ParseQuery(v); err != nil {
			p = append(p, content.ErrorFields(err)...)
		}
		f.Query = v
	}
	if v := q.Get("cursor"); v != "" {
		cur, err := content.DecodeCursor(v)
		switch {
		case err != nil:
			p.Add("cursor", "is not a cursor this API issued")
		case (cur.Rank != nil) != (f.Query != ""):
			p.Add("cursor", "belongs to another list: pass next_cursor back with the same parameters")
		}
		f.After = &cur
	}
	return f, p.Err()
}

// handleArticle serves GET /articles/{slug}: the whole published story,
// with the body representations formats asks for (the default shape is
// the stored one). An old slug of a published story answers 301 with the
// current one and the same parameters.
func (api *API) handleArticle(c *gin.Context) {
	ctx := c.Request.Context()
	slug := c.Param("slug")
	aq, err := articleParams(c)
	if err != nil {
		api.problem(c, err)
		return
	}
	if !content.ValidSlug(slug) {
		api.problem(c, content.Errorf(content.ENOTFOUND, "no published story has this slug"))
		return
	}
	if aq.stored() && api.serveStoredArticle(c, slug) {
		return
	}
	a, err := api.Store.Article(ctx, content.ArticleFilter{Slug: &slug, Statuses: publishedOnly})
	if errors.Is(err, content.ErrNotFound) {
		current, rerr := api.Store.RedirectSlug(ctx, slug)
		if rerr == nil {
			c.Header("Cache-Control", "public, max-age=300")
			c.Redirect(http.StatusMovedPermanently, "/api/v1/articles/"+current+aq.encode())
			return
		}
		if !errors.Is(rerr, content.ErrNotFound) {
			api.problem(c, rerr)
			return
		}
		api.problem(c, content.Errorf(content.ENOTFOUND, "no published story has this slug"))
		return
	}
	if err != nil {
		api.problem(c, err)
		return
	}
	surrogateKeys(c, shape.Keys(a)) // ninjs is the same story: one purge covers both
	if aq.format == "ninjs" {
		api.writeJSON(c, http.StatusOK, api.ninjs(a))
		return
	}
	linked, err := api.linkedSlugs(c.Request.Context(), a)
	if err != nil {
		api.problem(c, err)
		return
	}
	api.writeJSON(c, http.StatusOK, api.shapes.Story(a, linked, aq.formats))
}

// linkedSlugs returns the slugs of the published stories a's internal links
// point to.
func (api *API) linkedSlugs(ctx context.Context, a *content.Article) (map[string]string, error) {
	var ids []string
	for _, l := range a.Links {
		if l.ArticleID != "" {
			ids = append(ids, l.ArticleID)
		}
	}
	linked := map[string]string{}
	if len(ids) == 0 {
		return linked, nil
	}
	as, err := api.Store.Articles(ctx, content.ArticleFilter{IDs: ids, Statuses: publishedOnly, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	for _, t := range as {
		linked[t.ID] = t.Slug
	}
	return linked, nil
}

// listKeys are the surrogate keys of a list: every list, and the tags and
// author it is filtered by.
func listKeys(f content.ArticleFilter) []string {
	keys := make([]string, 0, 24)
	keys = append(keys, "articles")
	for _, t := range f.Tags {
		keys = append(keys, "tag:"+t)
	}
	if f.Author != "" {
		keys = append(keys, "author:"+f.Author)
	}
	if f.Query != "" {
		keys = append(keys, "search")
	}
	return keys
}
