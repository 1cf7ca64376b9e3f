package admin

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// ScheduleHealthSource reports the schedule's health (the scheduler does).
type ScheduleHealthSource interface {
	Health(ctx context.Context) (content.ScheduleHealth, error)
}

// Schedule serves the schedule health endpoint. Editors and admins may use
// it.
type Schedule struct {
	Source ScheduleHealthSource
	Log    *slog.Logger
}

func (h *Schedule) handleHealth(c *gin.Context) {
	health, err := h.Source.Health(c.Request.Context())
	if err != nil {
		writeProblem(c, h.Log, err, nil)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, health)
}
