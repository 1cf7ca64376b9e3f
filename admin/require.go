package admin

import (
	"fmt"
	"log/slog"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
)

// hookMaxBody is the largest request body the webhook endpoints read.
const hookMaxBody = 64 << 10

// requireRole lets a request through only when an authenticated user of at
// least role is on it: 401 without a user, 403 with too low a role. It
// does not authenticate; the authentication middleware runs before it.
func requireRole(role auth.Role, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, ok := authgin.UserFrom(c)
		if !ok {
			writeProblem(c, log, content.Errorf(content.EUNAUTHORIZED, "log in first"), nil)
			return
		}
		if !u.Role.AtLeast(role) {
			writeProblem(c, log, content.Errorf(content.EFORBIDDEN, "only an %s or above may do this", role), nil)
			return
		}
		c.Next()
	}
}

// queryLimit parses an optional limit query parameter.
func queryLimit(c *gin.Context, def, maxLimit int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || n < 1 || n > maxLimit || fmt.Sprint(n) != v {
		var p content.Problems
		p.Add("limit", "must be a whole number between 1 and %d", maxLimit)
		return 0, p.Err()
	}
	return n, nil
}
