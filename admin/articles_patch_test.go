package admin_test

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dateline/auth"
	"dateline/content"
)

// editable is the whole editable state of a story as GET shows it.
type editable struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	content.Edit
}

func TestAPartialPutIsRefusedNamingWhatItLeftOut(t *testing.T) {
	e := newEnv(t)
	ed := e.role[auth.RoleEditor]
	a := e.create(t, ed, storyEdit("Quay reopens"))
	w := e.do(t, ed, "PUT", "/articles/"+a.ID, `{"version": 1, "headline": "Quay reopens on Monday"}`)
	p := wantProblem(t, w, http.StatusBadRequest, "standfirst")
	var named []string
	for _, f := range p.Errors {
		named = append(named, f.Field)
		if !strings.Contains(f.Message, "PATCH") {
			t.Errorf("%s: %q does not point at PATCH", f.Field, f.Message)
		}
	}
	want := []string{"slug", "standfirst", "dateline", "body", "byline", "author_ids", "photos", "related_links", "tags", "seo", "featured"}
	if !slices.Equal(named, want) {
		t.Errorf("missing fields named %v, want %v", named, want)
	}
	got := decode[editable](t, e.do(t, ed, "GET", "/articles/"+a.ID, nil))
	if got.Version != 1 || got.Headline != "Quay reopens" || got.Body == "" || len(got.Photos) != 1 || len(got.Links) != 1 || len(got.Tags) != 1 {
		t.Errorf("the refused PUT changed the story: %+v", got)
	}

	t.Run("a PUT with every field saves, empty values included", func(t *testing.T) {
		full := save(1, content.Edit{Headline: "Quay reopens on Monday"})
		w := e.do(t, ed, "PUT", "/articles/"+a.ID, full)
		if w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		got := decode[editable](t, w)
		if got.Headline != "Quay reopens on Monday" || got.Body != "" || len(got.Photos) != 0 {
			t.Errorf("a full PUT replaces everything: %+v", got)
		}
	})
}

func TestPatchChangesOnlyTheFieldsItNames(t *testing.T) {
	e := newEnv(t)
	ed := e.role[auth.RoleEditor]
	orig := storyEdit("Ferry timetable changes")
	orig.SEO = content.SEO{MetaTitle: "Ferries", MetaDescription: "New times"}
	orig.Byline = "By Ann Lee"
	tests := []struct {
		name  string
		patch string
		want  func(content.Edit) content.Edit
	}{
		{"a headline alone keeps everything else", `{"version": 1, "headline": "Ferry timetable changes on Monday"}`,
			func(x content.Edit) content.Edit { x.Headline = "Ferry timetable changes on Monday"; return x }},
		{"null empties a field", `{"version": 1, "standfirst": null, "byline": null}`,
			func(x content.Edit) content.Edit { x.Standfirst, x.Byline = "", ""; return x }},
		{"an object merges field by field", `{"version": 1, "seo": {"meta_title": "Ferry times"}, "dateline": {"place": "BERGEN"}}`,
			func(x content.Edit) content.Edit {
				x.SEO.MetaTitle, x.Dateline.Place = "Ferry times", "BERGEN"
				return x
			}},
		{"an array is replaced whole", `{"version": 1, "tags": ["Transport", "Harbour"], "photos": []}`,
			func(x content.Edit) content.Edit {
				x.Tags, x.Photos = []string{"Transport", "Harbour"}, []content.Photo{}
				return x
			}},
		{"a boolean can be set", `{"version": 1, "featured": true}`,
			func(x content.Edit) content.Edit { x.Featured = true; return x }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.create(t, ed, orig)
			before := decode[editable](t, e.do(t, ed, "GET", "/articles/"+a.ID, nil))
			w := e.do(t, ed, "PATCH", "/articles/"+a.ID, tt.patch)
			if w.Code != http.StatusOK {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			got := decode[editable](t, w)
			want := tt.want(before.Edit)
			if got.Version != 2 {
				t.Errorf("version %d, want 2", got.Version)
			}
			if len(want.Photos) == 0 {
				want.Photos, got.Photos = nil, nil
			}
			if !reflect.DeepEqual(got.Edit, want) {
				t.Errorf("after the patch\n%+v\nwant\n%+v", got.Edit, want)
			}
		})
	}

	a := e.create(t, ed, orig)
	bad := []struct {
		name, body string
		status     int
		field      string
	}{
		{"a patch without a version is refused", `{"headline": "x"}`, http.StatusBadRequest, "version"},
		{"a field of the wrong type is refused", `{"version": 1, "tags": "Transport"}`, http.StatusBadRequest, "tags"},
		{"an unknown field is refused", `{"version": 1, "headlin": "x"}`, http.StatusBadRequest, "headlin"},
		{"an unknown nested field is refused", `{"version": 1, "seo": {"title": "x"}}`, http.StatusBadRequest, "title"},
		{"a patch that breaks a rule is refused naming the field", `{"version": 1, "headline": null}`, http.StatusBadRequest, "headline"},
		{"a stale version is a conflict", `{"version": 7, "headline": "x"}`, http.StatusConflict, ""},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			p := wantProblem(t, e.do(t, ed, "PATCH", "/articles/"+a.ID, tt.body), tt.status, tt.field)
			if tt.status == http.StatusConflict && (p.Current == nil || p.Current.Version != 1) {
				t.Errorf("a conflict carries the current story: %+v", p.Current)
			}
		})
	}
	if got := decode[editable](t, e.do(t, ed, "GET", "/articles/"+a.ID, nil)); got.Version != 1 || got.Headline != orig.Headline {
		t.Errorf("a refused patch changed the story: %+v", got)
	}
	t.Run("a contributor cannot patch someone else's story", func(t *testing.T) {
		wantProblem(t, e.do(t, e.role[auth.RoleContributor], "PATCH", "/articles/"+a.ID, `{"version": 1, "headline": "x"}`), http.StatusForbidden, "")
	})
}
