package admin

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// A save comes in two shapes:
//
//   - PUT /articles/:id replaces the whole editable state. It must name
//     every editable field (editableFields); one left out is a 400 that
//     names each missing field, never a save that blanks it.
//   - PATCH /articles/:id changes only the fields it names, as a JSON merge
//     patch (RFC 7396) over the story's current editable state: a field
//     that is absent stays as it is, null empties it, objects (dateline,
//     seo) merge field by field, arrays (photos, related_links, tags,
//     author_ids) are replaced whole.
//
// Both need "version" (a stale one is the same 409) and take the optional
// "correction" and "autosave".

// editableFields returns the JSON names of content.Edit's fields, in their
// order: what a PUT must send.
func editableFields() []string {
	t := reflect.TypeFor[content.Edit]()
	names := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
}

// saveKeys are the fields of a save beside the editable state.
var saveKeys = map[string]bool{"version": true, "correction": true, "autosave": true, "update": true}

// readJSONBody reads the request body, at most MaxJSONBody bytes.
func readJSONBody(c *gin.Context) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxJSONBody))
	if err != nil {
		return nil, jsonError(err)
	}
	return body, nil
}

// missingFields returns the validation error for a PUT body (decoded
// already, so a JSON object with known keys) that leaves out editable
// fields, or nil.
func missingFields(body []byte) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		return jsonError(err)
	}
	var p content.Problems
	for _, name := range editableFields() {
		if _, ok := keys[name]; !ok {
			p.Add(name, "is missing: a PUT replaces the whole story, so send every editable field (or change only some with PATCH)")
		}
	}
	return p.Err()
}

// handleArticlePatch serves PATCH /articles/:id: a save of the fields the
// body names, merged over the current editable state. Conflicts and locks
// answer as for PUT.
func (api *API) handleArticlePatch(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		api.problem(c, err)
		return
	}
	body, err := readJSONBody(c)
	if err != nil {
		api.problem(c, err)
		return
	}
	var patch updateBody // checks the keys, types and nesting of the patch
	if err := decodeBytes(body, &patch); err != nil {
		api.problem(c, err)
		return
	}
	if patch.Version == nil {
		api.problem(c, invalid("version", "is required: send the version your edit is based on"))
		return
	}
	a, ok := api.storyByID(c, id, content.ActEdit)
	if !ok {
		return
	}
	if !api.mayUpdate(c, a, patch.Update) {
		return
	}
	cur, ok := api.editable(c, a) // a live story's working copy, if any
	if !ok {
		return
	}
	edit, err := mergeEdit(cur.Edit, body)
	if err != nil {
		api.problem(c, err)
		return
	}
	api.save(c, a, content.Save{Version: *patch.Version, Edit: edit, Correction: patch.Correction, By: user(c).ID,
		Statuses: []content.Status{a.Status}, Autosave: patch.Autosave, Update: patch.Update})
}

// mergeEdit applies the merge patch in body (a JSON object whose editable
// fields are a patch; version, correction and autosave are left out) to
// cur and returns the result.
func mergeEdit(cur content.Edit, body []byte) (content.Edit, error) {
	base, err := json.Marshal(cur)
	if err != nil {
		return content.Edit{}, err
	}
	var doc, patch map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		return content.Edit{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&patch); err != nil {
		return content.Edit{}, jsonError(err)
	}
	for k := range saveKeys {
		delete(patch, k)
	}
	merged, err := json.Marshal(mergePatch(doc, patch))
	if err != nil {
		return content.Edit{}, err
	}
	var out content.Edit
	if err := decodeBytes(merged, &out); err != nil {
		return content.Edit{}, err
	}
	return out, nil
}

// mergePatch applies an RFC 7396 merge patch to target: null removes a
// member, an object merges into an object member, anything else replaces
// the member.
func mergePatch(target any, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}
