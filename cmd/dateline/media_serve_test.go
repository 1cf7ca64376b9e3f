package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMediaFilesAreServedImmutableButNeverHiddenOnes(t *testing.T) {
	a, h := newTestApp(t)
	dir := filepath.Join(a.cfg.DataDir, "media")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"3f9a0c-640x360.webp": "RIFF", ".upload-123456": "<html>half an upload"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name, path string
		status     int
	}{
		{"a rendition is served as immutable", "/media/3f9a0c-640x360.webp", http.StatusOK},
		{"a file being written is not served", "/media/.upload-123456", http.StatusNotFound},
		{"the directory is not listed", "/media/", http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
			if rec.Code != tc.status {
				t.Fatalf("%d, want %d", rec.Code, tc.status)
			}
			if tc.status == http.StatusOK && (rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" ||
				rec.Header().Get("X-Content-Type-Options") != "nosniff") {
				t.Errorf("headers %v", rec.Header())
			}
		})
	}
}

func TestAStartingServerRemovesOldUploadsLeftInTheSpool(t *testing.T) {
	a, _ := newTestApp(t)
	if err := os.MkdirAll(a.spoolDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	old, fresh := filepath.Join(a.spoolDir(), "upload-111"), filepath.Join(a.spoolDir(), "upload-222")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("half an upload"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * spoolMaxAge)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	a.cleanSpool()
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("an upload left two hours ago stayed: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("an upload in progress was removed: %v", err)
	}
}
