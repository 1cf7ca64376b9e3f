package delivery

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/gin-gonic/gin"

	"dateline/content"
	"dateline/content/shape"
)

type correctionList struct {
	Corrections []correctionEntry `json:"corrections"`
	Meta        listMeta          `json:"meta"`
}

// correctionsParams are the query parameters GET /corrections accepts.
var correctionsParams = map[string]bool{"limit": true, "cursor": true}

// handleCorrections serves GET /corrections: the public corrections log,
// the corrections of stories published now, newest first, paged by cursor.
func (api *API) handleCorrections(c *gin.Context) {
	f, err := parseCorrectionsQuery(c.Request.URL.Query())
	if err != nil {
		api.problem(c, err)
		return
	}
	limit := f.Limit
	f.Limit++ // one more tells whether there is a next page
	es, err := api.Store.Corrections(c.Request.Context(), f)
	if err != nil {
		api.problem(c, err)
		return
	}
	out := correctionList{Corrections: make([]correctionEntry, 0, min(len(es), limit)), Meta: listMeta{Limit: limit}}
	for i, e := range es {
		if i == limit {
			out.Meta.NextCursor = es[limit-1].Cursor().Encode()
			break
		}
		out.Corrections = append(out.Corrections, correctionEntry{
			Correction:  shape.Correction{At: e.At.UTC(), Text: e.Text},
			ArticleSlug: e.ArticleSlug,
			Headline:    e.Headline,
		})
	}
	surrogateKeys(c, []string{"corrections"})
	api.writeJSON(c, http.StatusOK, out)
}

// parseCorrectionsQuery turns the query string into a filter of the
// corrections log. Unknown parameters and bad values are validation errors
// that name the parameter.
func parseCorrectionsQuery(q url.Values) (content.CorrectionFilter, error) {
	f := content.CorrectionFilter{Limit: content.DefaultLimit}
	var p content.Problems
	var unknown []string
	for k := range q {
		if !correctionsParams[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		p.Add(k, "is not a parameter of this endpoint")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || content.CheckLimit(n) != nil {
			p.Add("limit", "must be a whole number between 1 and %d", content.MaxLimit)
		}
		f.Limit = n
	}
	if v := q.Get("cursor"); v != "" {
		cur, err := content.DecodeCursor(v)
		if err == nil {
			_, err = content.CorrectionID(cur)
		}
		if err != nil {
			p = append(p, content.ErrorFields(err)...)
		}
		f.After = &cur
	}
	return f, p.Err()
}
