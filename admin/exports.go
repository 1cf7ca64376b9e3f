package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
	"dateline/content/transfer"
)

// handleExport serves GET /export for admins: the newsroom as Dateline
// NDJSON (transfer.Export), streamed as a download; revisions=true adds
// every story's revisions. A bad parameter is a problem; an export that
// fails once streaming has begun ends without its end line, which
// "dateline import ndjson" reports as cut short.
func (api *API) handleExport(c *gin.Context) {
	if !user(c).Role.AtLeast(auth.RoleAdmin) {
		api.problem(c, forbid("only admins can export the newsroom"))
		return
	}
	q := c.Request.URL.Query()
	var p content.Problems
	for k := range q {
		if k != "revisions" {
			p.Add(k, "is not a parameter of an export")
		}
	}
	revisions := false
	if v := q.Get("revisions"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			p.Add("revisions", "must be true or false")
		}
		revisions = b
	}
	if err := p.Err(); err != nil {
		api.problem(c, err)
		return
	}
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(ImportTimeout))
	now := api.now()
	c.Header("Content-Type", "application/x-ndjson")
	c.Header("Content-Disposition", `attachment; filename="dateline-export-`+now.Format("2006-01-02")+`.ndjson"`)
	c.Status(http.StatusOK)
	n, err := transfer.Export(c.Request.Context(), api.Exports, c.Writer, transfer.ExportOptions{Revisions: revisions, Now: now})
	if err != nil {
		api.Log.ErrorContext(c.Request.Context(), "export failed", "stories", n.Stories, "err", err)
		return
	}
	api.Log.Info("export", "stories", n.Stories, "tags", n.Tags, "authors", n.Authors, "revisions", n.Revisions)
}
