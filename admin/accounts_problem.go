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

// acctDecode reads the request body (at most acctMaxBody bytes) as one JSON
// object into v with decodeStrict's rules; an empty body is an error unless
// optional is true (then v stays as it is).
func acctDecode(c *gin.Context, v any, optional bool) error {
	return decodeBody(c, v, acctMaxBody, optional)
}
