package delivery

import (
	_ "embed"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
)

// openAPIDocument is the hand-written OpenAPI 3.1 description of every
// public endpoint, served as it is.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns a copy of the embedded OpenAPI document.
func OpenAPI() []byte { return slices.Clone(openAPIDocument) }

// handleOpenAPI serves GET /openapi.json.
func (api *API) handleOpenAPI(c *gin.Context) {
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	surrogateKeys(c, []string{"openapi"})
	api.writeTyped(c, http.StatusOK, jsonType, openAPIDocument)
}
