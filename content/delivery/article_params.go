package delivery

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"dateline/content"
	"dateline/content/shape"
)

// articleQuery is what GET /articles/{slug} is asked for: format, "json"
// (the default) or "ninjs", and for JSON the body representations besides
// body_html (formats, e.g. "text,pages").
type articleQuery struct {
	format  string
	formats shape.Formats
}

// stored reports whether the answer is the default shape, the one stored
// at write time.
func (q articleQuery) stored() bool { return q.format == "json" && q.formats == shape.Formats{} }

// encode is the query string that asks for q again ("" for the default).
func (q articleQuery) encode() string {
	v := url.Values{}
	if q.format != "json" {
		v.Set("format", q.format)
	}
	if f := q.formats.Query(); f != "" {
		v.Set("formats", f)
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + strings.ReplaceAll(v.Encode(), "%2C", ",")
}

// articleParams reads the parameters GET /articles/{slug} takes: format
// and formats. Unknown parameters and values are validation errors naming
// the parameter.
func articleParams(c *gin.Context) (articleQuery, error) {
	var p content.Problems
	q := c.Request.URL.Query()
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if k != "format" && k != "formats" {
			p.Add(k, "is not a parameter of this endpoint")
		}
	}
	out := articleQuery{format: "json"}
	if vs, ok := q["format"]; ok {
		out.format = vs[0]
		if len(vs) > 1 || (out.format != "json" && out.format != "ninjs") {
			p.Add("format", "must be json or ninjs")
		}
	}
	if vs, ok := q["formats"]; ok {
		f, err := shape.ParseFormats(vs[0])
		switch {
		case len(vs) > 1:
			p.Add("formats", "give it once, as a comma-separated list, e.g. formats=text,pages")
		case err != nil:
			p.Add("formats", "%s", err.Error())
		case out.format == "ninjs":
			p.Add("formats", "applies to format=json only")
		}
		out.formats = f
	}
	if err := p.Err(); err != nil {
		return articleQuery{}, &content.Error{Code: content.EINVALID, Message: "invalid parameter", Fields: p}
	}
	return out, nil
}
