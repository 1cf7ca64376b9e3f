package authgin

import (
	"github.com/gin-gonic/gin"

	"dateline/auth"
)

const userKey = "dateline.user"

// WithUser puts u on the request context of c; the authentication
// middleware calls it once it has verified who is asking.
func WithUser(c *gin.Context, u auth.User) { c.Set(userKey, u) }

// UserFrom returns the authenticated user of the request, if any.
func UserFrom(c *gin.Context) (auth.User, bool) {
	v, ok := c.Get(userKey)
	if !ok {
		return auth.User{}, false
	}
	u, ok := v.(auth.User)
	return u, ok && u.ID != ""
}
