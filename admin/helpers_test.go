package admin_test

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/admin"
	"dateline/auth"
	"dateline/auth/authgin"
	"dateline/content"
	"dateline/content/sqlite"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	m.Run()
}

// env is a router built like production around a real SQLite file, with a
// test-only authentication middleware and one user per role.
type env struct {
	db       *sqlite.DB
	h        http.Handler
	mediaDir string
	users    map[string]auth.User // by id
	role     map[auth.Role]auth.User
	other    auth.User    // an author who owns the "other" stories
	offset   atomic.Int64 // store clock offset, nanoseconds
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvWith(tb, admin.Photos{})
}

// newEnvWith is newEnv with uploads processed as photos says.
func newEnvWith(tb testing.TB, photos admin.Photos) *env {
	tb.Helper()
	dir := tb.TempDir()
	path := filepath.Join(dir, "dateline.db")
	e := &env{mediaDir: filepath.Join(dir, "media"), users: map[string]auth.User{}, role: map[auth.Role]auth.User{}}
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{Zone: "Europe/Moscow",
		Now: func() time.Time { return time.Now().Add(time.Duration(e.offset.Load())) }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	e.db = db

	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000&_foreign_keys=1")
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	add := func(name string, role auth.Role) auth.User {
		u := auth.User{ID: fmt.Sprintf("0190a000-0000-7000-8000-%012d", len(e.users)+1), Name: name, Role: role, Active: true,
			Slug: content.Slugify(name), Email: content.Slugify(name) + "@example.org"}
		now := time.Now().UTC().Format(sqlite.TimeLayout)
		if _, err := raw.Exec(`INSERT INTO users (id, email, name, slug, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Email, u.Name, u.Slug, string(u.Role), now, now); err != nil {
			tb.Fatal(err)
		}
		e.users[u.ID] = u
		return u
	}
	e.role[auth.RoleContributor] = add("Cora Contributor", auth.RoleContributor)
	e.role[auth.RoleAuthor] = add("Arto Author", auth.RoleAuthor)
	e.role[auth.RoleEditor] = add("Edda Editor", auth.RoleEditor)
	e.role[auth.RoleAdmin] = add("Adam Admin", auth.RoleAdmin)
	e.other = add("Olga Other", auth.RoleAuthor)

	photos.Spool = cmp.Or(photos.Spool, filepath.Join(dir, "spool"))
	api := admin.NewWithPhotos(db, admin.MediaDir(e.mediaDir), photos, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r := gin.New()
	g := r.Group("/api/admin/v1", func(c *gin.Context) {
		if u, ok := e.users[c.GetHeader("X-Test-User")]; ok {
			authgin.WithUser(c, u)
		}
	})
	api.Routes(g)
	e.h = r
	return e
}

// advance moves the store's clock.
func (e *env) advance(d time.Duration) { e.offset.Add(int64(d)) }

// do sends a request as user u (the zero User sends none) and returns the
// recorder. body may be nil, a string or a value to encode as JSON.
func (e *env) do(tb testing.TB, u auth.User, method, path string, body any) *httptest.ResponseRecorder {
	tb.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		r = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, "/api/admin/v1"+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if u.ID != "" {
		req.Header.Set("X-Test-User", u.ID)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}

// problem is the part of a problem body tests look at.
type problem struct {
	Status  int                  `json:"status"`
	Code    string               `json:"code"`
	Detail  string               `json:"detail"`
	Errors  []content.FieldError `json:"errors"`
	Current *article             `json:"current"`
	Lock    *content.EditLock    `json:"lock"`
}

// article is the part of an admin story body tests look at.
type article struct {
	ID          string          `json:"id"`
	Slug        string          `json:"slug"`
	Headline    string          `json:"headline"`
	Body        string          `json:"body"`
	Status      content.Status  `json:"status"`
	Version     int             `json:"version"`
	CreatedBy   string          `json:"created_by"`
	PublishAt   *time.Time      `json:"publish_at"`
	PublishedAt *time.Time      `json:"published_at"`
	Photos      []content.Photo `json:"photos"`
	Tags        []string        `json:"tags"`
	Corrections []struct {
		Text string `json:"text"`
	} `json:"corrections"`
	Lock *content.EditLock `json:"lock"`
}

func decode[T any](tb testing.TB, w *httptest.ResponseRecorder) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		tb.Fatalf("decode %T from %q: %v", v, w.Body.String(), err)
	}
	return v
}

// wantProblem checks a problem answer's status, type and field at fault
// (field "" skips that check) and returns it.
func wantProblem(tb testing.TB, w *httptest.ResponseRecorder, status int, field string) problem {
	tb.Helper()
	if w.Code != status {
		tb.Fatalf("status = %d, want %d; body %s", w.Code, status, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		tb.Errorf("content type = %q, want application/problem+json", ct)
	}
	p := decode[problem](tb, w)
	if p.Status != status || p.Code == "" {
		tb.Errorf("problem = %+v, want status %d and a code", p, status)
	}
	if field != "" {
		found := false
		for _, f := range p.Errors {
			found = found || f.Field == field
		}
		if !found {
			tb.Errorf("fields at fault = %+v, want %q among them", p.Errors, field)
		}
	}
	return p
}

// storyEdit is a story ready to publish: a credited photo and related links.
func storyEdit(headline string) content.Edit {
	return content.Edit{
		Headline:   headline,
		Standfirst: "Lead of " + headline,
		Dateline:   content.Dateline{Place: "MOSCOW"},
		Body:       "First paragraph of " + headline + ".",
		Photos:     []content.Photo{{URL: "https://images.example.org/a.jpg", Caption: "A square", Credit: "© Jane Roe/Agency", Alt: "An empty square"}},
		Links:      []content.RelatedLink{{Kind: content.LinkOtherMedia, Title: "Elsewhere", URL: "https://news.example.com/x"}},
		Tags:       []string{"Politics"},
	}
}

// create stores a draft as user u through the API.
func (e *env) create(tb testing.TB, u auth.User, ed content.Edit) article {
	tb.Helper()
	w := e.do(tb, u, "POST", "/articles", ed)
	if w.Code != http.StatusCreated {
		tb.Fatalf("create: %d %s", w.Code, w.Body.String())
	}
	return decode[article](tb, w)
}

// save is the body of PUT /articles/:id.
func save(version int, ed content.Edit) map[string]any {
	b, _ := json.Marshal(ed)
	m := map[string]any{}
	json.Unmarshal(b, &m)
	m["version"] = version
	return m
}
