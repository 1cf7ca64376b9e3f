package admin

import (
	"github.com/gin-gonic/gin"
)

// acctMaxBody is the largest request body the account endpoints read.
const acctMaxBody = 1 << 20

// Problem writes err as problem JSON and aborts the request; the
// authentication middleware uses it too.
func (h *Accounts) Problem(c *gin.Context, err error) {
	writeProblem(c, h.Log, err, nil)
}
