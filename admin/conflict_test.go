package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"dateline/auth"
)

func TestAConflictNamesWhoSavedTheNewerVersion(t *testing.T) {
	e := newEnv(t)
	ed, au := e.role[auth.RoleEditor], e.role[auth.RoleAuthor]
	a := e.create(t, au, storyEdit("Harbour wall vote"))
	if w := e.do(t, ed, "PUT", "/articles/"+a.ID, save(1, storyEdit("Harbour wall vote on Tuesday"))); w.Code != http.StatusOK {
		t.Fatalf("first save: %d %s", w.Code, w.Body)
	}
	type saver struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		You  bool   `json:"you"`
	}
	tests := []struct {
		name   string
		by     auth.User
		detail string
		want   saver
	}{
		{"someone else's newer save is named", au, "Edda Editor saved version 2 at ", saver{ed.ID, "Edda Editor", false}},
		{"your own newer save is another tab of yours", ed, "you, in another tab or window, saved version 2 at ", saver{ed.ID, "Edda Editor", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(t, tt.by, "PUT", "/articles/"+a.ID, save(1, storyEdit("A stale edit")))
			p := wantProblem(t, w, http.StatusConflict, "")
			if !strings.HasPrefix(p.Detail, tt.detail) || !strings.HasSuffix(p.Detail, " UTC while you were editing version 1") {
				t.Errorf("detail %q, want it to start %q and name the version edited", p.Detail, tt.detail)
			}
			got := decode[struct {
				SavedBy *saver `json:"saved_by"`
			}](t, w)
			if got.SavedBy == nil || *got.SavedBy != tt.want {
				t.Errorf("saved_by %+v, want %+v", got.SavedBy, tt.want)
			}
			if p.Current == nil || p.Current.Version != 2 {
				t.Errorf("the conflict carries the current story: %+v", p.Current)
			}
		})
	}
}
