package content

import (
	"net/url"
	"strings"
)

// LiveURL returns where readers find the published story with slug: the
// newsroom's story page pattern (config article_url, with {slug}) when
// there is one, else the story in the delivery API under baseURL.
func LiveURL(pattern, baseURL, slug string) string {
	if pattern != "" {
		return strings.ReplaceAll(pattern, "{slug}", url.PathEscape(slug))
	}
	return strings.TrimSuffix(baseURL, "/") + "/api/v1/articles/" + url.PathEscape(slug)
}
