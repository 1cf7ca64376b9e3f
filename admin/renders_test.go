package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"dateline/auth"
)

func TestSavesRefuseBodiesTooCostlyToRender(t *testing.T) {
	e := newEnv(t)
	editor := e.role[auth.RoleEditor]
	hostile := strings.Repeat("[a](", 400_000/4)

	ed := storyEdit("Costly body")
	ed.Body = hostile
	p := wantProblem(t, e.do(t, editor, "POST", "/articles", ed), http.StatusBadRequest, "body")
	if !strings.Contains(p.Errors[0].Message, "line 1") {
		t.Errorf("message %q does not name the line", p.Errors[0].Message)
	}

	a := e.create(t, editor, storyEdit("Costly body"))
	ed.Body = strings.Repeat("> ", 1000) + "deep"
	wantProblem(t, e.do(t, editor, "PUT", "/articles/"+a.ID, save(a.Version, ed)), http.StatusBadRequest, "body")
	got := decode[article](t, e.do(t, editor, "GET", "/articles/"+a.ID, nil))
	if got.Version != a.Version || got.Body != a.Body {
		t.Errorf("after a refused save: version %d body %q, want %d %q", got.Version, got.Body, a.Version, a.Body)
	}
}
