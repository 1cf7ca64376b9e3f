package delivery

import (
	"encoding/json"
	"io"

	"dateline/content/shape"
)

// The public JSON shapes of stories and list items are content/shape's;
// these are the shapes of the other endpoints.

type tagJSON struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	ArticleCount int    `json:"article_count"`
}

type authorJSON struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Bio          string `json:"bio"`
	ArticleCount int    `json:"article_count"`
}

// correctionEntry is one entry of the corrections log: the correction and
// the published story it corrects.
type correctionEntry struct {
	shape.Correction
	ArticleSlug string `json:"article_slug"`
	Headline    string `json:"headline"`
}

// encodeJSON writes v without HTML escaping (bodies carry HTML on purpose;
// the content type is JSON).
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// RenderKey is the render key of the shapes this API serves: stored JSON
// made under another is not served.
func (api *API) RenderKey() string { return api.shapes.Key() }
