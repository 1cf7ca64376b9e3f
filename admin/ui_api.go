package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// EditorAPI serves the small endpoints the editor needs beside the story
// API: the live preview and newsroom-time resolution. Preview links are
// PreviewLinks' (previews.go).
type EditorAPI struct {
	Articles ArticleStore
	Zone     *time.Location
	api      *API
}

type renderBody struct {
	Body string `json:"body"`
}

type renderJSON struct {
	HTML           string   `json:"html"`
	Pages          []string `json:"pages"`
	WordCount      int      `json:"word_count"`
	ReadingMinutes int      `json:"reading_minutes"`
}

// handleRender serves POST /render: markdown through the same pipeline as
// published stories, so the preview shows exactly the published HTML.
func (e *EditorAPI) handleRender(c *gin.Context) {
	var b renderBody
	if err := decodeJSON(c, &b); err != nil {
		e.api.problem(c, err)
		return
	}
	if err := content.CheckBody(b.Body); err != nil {
		e.api.problem(c, err)
		return
	}
	r := content.Render(b.Body)
	if r.Pages == nil {
		r.Pages = []string{}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, renderJSON{HTML: r.HTML, Pages: r.Pages, WordCount: r.WordCount, ReadingMinutes: r.ReadingMinutes})
}

type localTimeJSON struct {
	At        string   `json:"at"`  // RFC 3339 with the zone's offset
	UTC       string   `json:"utc"` // RFC 3339 in UTC
	Zone      string   `json:"zone"`
	Ambiguous bool     `json:"ambiguous"`
	Choices   []string `json:"choices,omitempty"`
	Warning   string   `json:"warning,omitempty"`
}

// handleLocalTime serves GET /localtime?value=2026-03-29T09:30: a newsroom
// wall-clock time as an instant. Times the clocks skip are refused; times
// they show twice resolve to the earlier one with a warning.
func (e *EditorAPI) handleLocalTime(c *gin.Context) {
	lt, err := content.ResolveLocal("value", strings.TrimSpace(c.Query("value")), e.Zone)
	if err != nil {
		e.api.problem(c, err)
		return
	}
	out := localTimeJSON{At: lt.At.In(e.Zone).Format(time.RFC3339), UTC: lt.At.UTC().Format(time.RFC3339), Zone: e.Zone.String(), Ambiguous: lt.Ambiguous}
	if lt.Ambiguous {
		for _, ch := range lt.Choices {
			out.Choices = append(out.Choices, ch.In(e.Zone).Format(time.RFC3339))
		}
		out.Warning = "this time happens twice when the clocks go back; the first one (" + out.Choices[0] + ") is used"
	}
	c.JSON(http.StatusOK, out)
}
