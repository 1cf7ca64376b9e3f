package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/gin-gonic/gin"

	"dateline/admin"
	"dateline/auth"
	"dateline/content"
	"dateline/content/delivery"
)

// recordingMedia is a real media directory that records every call made on
// it, in order, and can fail one kind of call with an error.
type recordingMedia struct {
	admin.MediaDir
	failOn  string // "write", "sync" or "syncdir"
	failErr error
	// atSyncDir, if set, runs when the directory is synced.
	atSyncDir func()

	mu     sync.Mutex
	events []string
}

func (m *recordingMedia) record(e string) error {
	m.mu.Lock()
	m.events = append(m.events, e)
	m.mu.Unlock()
	if e == m.failOn {
		return &fs.PathError{Op: e, Path: string(m.MediaDir), Err: m.failErr}
	}
	return nil
}

func (m *recordingMedia) CreateTemp() (admin.MediaFile, error) {
	f, err := m.MediaDir.CreateTemp()
	if err != nil {
		return nil, err
	}
	m.record("create")
	return recordingFile{f, m}, nil
}

func (m *recordingMedia) Rename(oldName, newName string) error {
	m.record("rename")
	return m.MediaDir.Rename(oldName, newName)
}

func (m *recordingMedia) SyncDir() error {
	if m.atSyncDir != nil {
		m.atSyncDir()
	}
	if err := m.record("syncdir"); err != nil {
		return err
	}
	return m.MediaDir.SyncDir()
}

type recordingFile struct {
	admin.MediaFile
	m *recordingMedia
}

func (f recordingFile) Write(p []byte) (int, error) {
	if err := f.m.record("write"); err != nil {
		return 0, err
	}
	return f.MediaFile.Write(p)
}

func (f recordingFile) Sync() error {
	if err := f.m.record("sync"); err != nil {
		return err
	}
	return f.MediaFile.Sync()
}

func (f recordingFile) Close() error {
	f.m.record("close")
	return f.MediaFile.Close()
}

// uploadPNG posts a small PNG to the admin API's media endpoint.
func uploadPNG(tb testing.TB, h http.Handler, token string) *httptest.ResponseRecorder {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var pic bytes.Buffer
	if err := png.Encode(&pic, img); err != nil {
		tb.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "photo.png")
	fw.Write(pic.Bytes())
	mw.WriteField("credit", "© Ann Lee/Agency")
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/api/admin/v1/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// mediaApp is the production router over media files m in a fresh data
// directory, and an editor's token.
func mediaApp(t *testing.T, m *recordingMedia) (*app, http.Handler, string) {
	t.Helper()
	a, _ := newTestApp(t)
	m.MediaDir = admin.MediaDir(filepath.Join(a.cfg.DataDir, "media"))
	a.media = m
	h := newRouter(a)
	addUser(t, a, "edda@example.org", auth.RoleEditor)
	return a, h, login(t, h, "edda@example.org", testPassword).AccessToken
}

func mediaRows(t *testing.T, a *app) int {
	t.Helper()
	ms, err := a.db.MediaItems(context.Background(), content.MediaFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func TestAnUploadIsDurableBeforeItsRowCommits(t *testing.T) {
	m := &recordingMedia{}
	rowsAtSyncDir := -1
	a, h, token := mediaApp(t, m)
	m.atSyncDir = func() { rowsAtSyncDir = mediaRows(t, a) }
	rec := uploadPNG(t, h, token)
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	want := []string{"create", "write", "sync", "close", "rename", "syncdir"}
	if !slices.Equal(m.events, want) {
		t.Errorf("file system calls %v, want %v: the file synced before its rename, the directory after it", m.events, want)
	}
	if rowsAtSyncDir != 0 || mediaRows(t, a) != 1 {
		t.Errorf("media rows when the directory was synced: %d, after the upload: %d; want 0 then 1", rowsAtSyncDir, mediaRows(t, a))
	}
	var got struct {
		FileName string `json:"file_name"`
	}
	decode(t, rec, &got)
	if st, err := os.Stat(filepath.Join(string(m.MediaDir), filepath.Base(got.FileName))); err != nil || st.Size() == 0 {
		t.Errorf("the stored file %q: %v", got.FileName, err)
	}
}

func TestAnUploadOnAFullDiskAnswers503AndLeavesNothing(t *testing.T) {
	tests := []struct {
		name, failOn string
		err          error
	}{
		{"no space left while the file is written", "write", syscall.ENOSPC},
		{"the quota exceeded when the file is synced", "sync", syscall.EDQUOT},
		{"no space left when the directory is synced", "syncdir", syscall.ENOSPC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			m := &recordingMedia{failOn: tt.failOn, failErr: tt.err}
			a, h, token := mediaApp(t, m)
			a.log = slog.New(slog.NewJSONHandler(&logs, nil))
			h = newRouter(a)
			rec := uploadPNG(t, h, token)
			body := rec.Body.String()
			if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
				rec.Header().Get("Content-Type") != "application/problem+json" ||
				!strings.Contains(body, `"code":"unavailable"`) || !strings.Contains(body, content.MsgDiskFull) {
				t.Fatalf("upload on a full disk: %d Retry-After %q %s", rec.Code, rec.Header().Get("Retry-After"), body)
			}
			if strings.Contains(body, "no space") || strings.Contains(body, "quota") || strings.Contains(body, ".upload-") {
				t.Errorf("the answer shows internals: %s", body)
			}
			if n := mediaRows(t, a); n != 0 {
				t.Errorf("%d media rows after a failed upload", n)
			}
			left, _ := os.ReadDir(string(m.MediaDir))
			if len(left) != 0 {
				t.Errorf("files left in the media directory: %v", left)
			}
			if !strings.Contains(logs.String(), `"msg":"disk full"`) {
				t.Errorf("the full disk was not logged:\n%s", logs.String())
			}
		})
	}
}

func TestTheDeliveryAPIMapsAFullDiskAndALeftClient(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		cancel   bool
		status   int
		wantBody string
	}{
		{"a full disk is 503 saying so", fmt.Errorf("read: %w", &fs.PathError{Op: "write", Path: "/tmp/etilqs_1", Err: syscall.ENOSPC}),
			false, http.StatusServiceUnavailable, content.MsgDiskFull},
		{"a client that left is 499 and no error", fmt.Errorf("query articles: %w", context.Canceled), true, 499, `"code":"cancelled"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			r := gin.New()
			delivery.Mount(r, delivery.New(failingStore{err: tt.err}, "https://news.example.org", nil, slog.New(slog.NewJSONHandler(&logs, nil))))
			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancel {
				cancel()
			}
			defer cancel()
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/v1/articles", nil))
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Fatalf("%d %s, want %d with %s", rec.Code, rec.Body, tt.status, tt.wantBody)
			}
			if strings.Contains(logs.String(), "delivery request failed") {
				t.Errorf("logged as a server error:\n%s", logs.String())
			}
			if full := strings.Contains(logs.String(), `"msg":"disk full"`); full != (tt.status == http.StatusServiceUnavailable) {
				t.Errorf("disk full logged: %v, want it for the full disk only:\n%s", full, logs.String())
			}
		})
	}
}
