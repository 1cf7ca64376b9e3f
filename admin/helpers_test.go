package admin_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/admin"
	"dateline/auth"
	"dateline/content"
	"dateline/content/delivery"
	"dateline/content/schedule"
	"dateline/content/sqlite"
	"dateline/static"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	m.Run()
}

// env is the admin app as production builds it (admin.NewHandler) around
// a real SQLite file, with one user per role, each logged in through the
// login endpoint: every request carries a real access token.
type env struct {
	db       *sqlite.DB
	h        http.Handler
	mediaDir string
	role     map[auth.Role]auth.User
	other    auth.User         // an author who owns the "other" stories
	tokens   map[string]string // access token by user id
	offset   atomic.Int64      // store clock offset, nanoseconds
}

// testPassword is every test user's password; cheapArgon2 keeps hashing
// it fast (a login reads the parameters from the stored hash).
const testPassword = "correct horse battery"

var cheapArgon2 = auth.Argon2Params{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvFor(tb, nil)
}

// newEnvWith is newEnv with uploads processed as photos says.
func newEnvWith(tb testing.TB, photos admin.Photos) *env {
	tb.Helper()
	return newEnvFor(tb, func(o *admin.HandlerOptions) { o.Photos = photos })
}

// newEnvFor is newEnv with the handler's options changed by opt (nil
// changes nothing). The options are those of production, except that no
// webhook target is resolved (tests have no DNS) and passwords are hashed
// cheaply.
func newEnvFor(tb testing.TB, opt func(*admin.HandlerOptions)) *env {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	e := &env{mediaDir: filepath.Join(dir, "media"), role: map[auth.Role]auth.User{}, tokens: map[string]string{}}
	db, err := sqlite.Open(ctx, filepath.Join(dir, "dateline.db"), sqlite.Options{Zone: "Europe/Moscow",
		Now: func() time.Time { return time.Now().Add(time.Duration(e.offset.Load())) }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	e.db = db

	key, err := auth.NewKey([]byte("a signing key of the admin tests, long enough"))
	if err != nil {
		tb.Fatal(err)
	}
	tokens, err := auth.NewTokens(auth.TokenOptions{Issuer: "https://news.example.org", Keys: []auth.Key{key}})
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	zone, _ := time.LoadLocation("Europe/Moscow")
	o := admin.HandlerOptions{
		Store:      db,
		Tokens:     tokens,
		Passwords:  auth.NewPasswords(cheapArgon2, 64, time.Second),
		Files:      admin.MediaDir(e.mediaDir),
		Photos:     admin.Photos{Spool: filepath.Join(dir, "spool")},
		Imports:    admin.ImportOptions{SpoolDir: dir, Zone: "Europe/Moscow"},
		Previews:   delivery.NewWithOptions(db, delivery.Options{BaseURL: "https://news.example.org", Zone: zone, Log: log}),
		PreviewTTL: time.Hour,
		BaseURL:    "https://news.example.org",
		Schedule:   schedule.New(db, schedule.Options{Log: log}),
		Assets:     static.New(),
		SiteName:   "The Harbour Gazette",
		Zone:       zone,
		Log:        log,
		StoreNow:   db.Now,
	}
	if opt != nil {
		opt(&o)
		o.Photos.Spool = cmp.Or(o.Photos.Spool, filepath.Join(dir, "spool"))
	}
	r := gin.New()
	admin.NewHandler(r, o)
	e.h = r

	hash, err := cheapArgon2.HashPassword(testPassword)
	if err != nil {
		tb.Fatal(err)
	}
	add := func(name string, role auth.Role) auth.User {
		u, err := db.CreateUser(ctx, auth.User{Name: name, Role: role, Email: content.Slugify(name) + "@example.org", PasswordHash: hash})
		if err != nil {
			tb.Fatal(err)
		}
		e.tokens[u.ID] = e.login(tb, u.Email)
		return u
	}
	e.role[auth.RoleContributor] = add("Cora Contributor", auth.RoleContributor)
	e.role[auth.RoleAuthor] = add("Arto Author", auth.RoleAuthor)
	e.role[auth.RoleEditor] = add("Edda Editor", auth.RoleEditor)
	e.role[auth.RoleAdmin] = add("Adam Admin", auth.RoleAdmin)
	e.other = add("Olga Other", auth.RoleAuthor)
	return e
}

// login signs in through POST /auth/login, from an address of its own so
// that no login meets the per-address throttle, and returns the access
// token.
func (e *env) login(tb testing.TB, email string) string {
	tb.Helper()
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, testPassword)
	req := httptest.NewRequest(http.MethodPost, "/api/admin/v1/auth/login", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = fmt.Sprintf("198.51.100.%d:4000", len(e.tokens)+1)
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		tb.Fatalf("login %s: %d %s", email, w.Code, w.Body)
	}
	s := decode[struct {
		AccessToken string `json:"access_token"`
	}](tb, w)
	return s.AccessToken
}

// authorize makes req a request of user u (the zero User sends no
// credentials) with u's access token.
func (e *env) authorize(tb testing.TB, req *http.Request, u auth.User) {
	tb.Helper()
	if u.ID == "" {
		return
	}
	token, ok := e.tokens[u.ID]
	if !ok {
		tb.Fatalf("user %s %q is not logged in", u.ID, u.Name)
	}
	req.Header.Set("Authorization", "Bearer "+token)
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
	e.authorize(tb, req, u)
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
