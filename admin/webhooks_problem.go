package admin

import (
	"fmt"
	"log/slog"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
)

// hookWriteProblem writes err as problem JSON and aborts the request.
func hookWriteProblem(c *gin.Context, log *slog.Logger, err error) {
	writeProblem(c, log, err, nil)
}

// hookRequire lets a request through only when an authenticated user of at
// least role is on it: 401 without a user, 403 with too low a role. It
// does not authenticate; the authentication middleware runs before it.
func hookRequire(role auth.Role, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, ok := authgin.UserFrom(c)
		if !ok {
			hookWriteProblem(c, log, content.Errorf(content.EUNAUTHORIZED, "log in first"))
			return
		}
		if !u.Role.AtLeast(role) {
			hookWriteProblem(c, log, content.Errorf(content.EFORBIDDEN, "only an %s or above may do this", role))
			return
		}
		c.Next()
	}
}

// hookDecode reads one JSON object of at most 64 KiB from the request body
// into v with decodeStrict's rules.
func hookDecode(c *gin.Context, v any) error {
	return decodeBody(c, v, 64<<10, false)
}

// hookLimit parses an optional limit query parameter.
func hookLimit(c *gin.Context, def, maxLimit int) (int, error) {
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
