package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// photo50MP is an 8660×5773 JPEG (50 megapixels) of light, edges and
// grain, about 8 MB at quality 80: what a press camera sends.
func photo50MP(tb testing.TB) []byte {
	tb.Helper()
	const w, h = 8660, 5773
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	seed := uint32(2463534242)
	for y := range h {
		row := m.Y[y*m.YStride : y*m.YStride+w]
		for x := range row {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			v := (x*255/w+y*255/h)/2 + int(seed%13) - 6
			if (x/211+y/173)%4 == 0 {
				v -= 40
			}
			row[x] = uint8(min(max(v, 0), 255))
		}
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = uint8(100+i%50), uint8(140-i%40)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 80}); err != nil {
		tb.Fatal(err)
	}
	if buf.Len() > 10<<20 {
		tb.Fatalf("the test photo is %d bytes, over the upload limit", buf.Len())
	}
	return buf.Bytes()
}

// TestTenParallel50MPUploadsKeepTheServerUnder400MB uploads ten
// 50-megapixel JPEGs at once to a real "dateline serve" process built by
// the test, waits until every upload is answered and one photo's
// renditions are made (so that decoding for uploads and for renditions
// both ran), and asserts that the process's peak resident memory (VmHWM)
// stayed under 400 MB. Every upload must be stored (201): the memory
// budget queues them rather than refusing them, within image_wait.
func TestTenParallel50MPUploadsKeepTheServerUnder400MB(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to read the server's memory")
	}
	const uploads, limitMB = 10, 400
	const email, password = "photo.desk@harbour.example", "a long password for the photo desk"
	srv := startServerProcessWith(t, serverSetup{
		env: []string{"DATELINE_IMAGE_WAIT=3m"},
		prepare: func(bin, data, cfg string) {
			cmd := exec.Command(bin, "user", "add", "--email", email, "--name", "Photo Desk", "--role", "editor",
				"--password-stdin", "--data", data, "--config", cfg)
			cmd.Stdin = strings.NewReader(password + "\n")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("user add: %v\n%s", err, out)
			}
		},
	})
	token := loginProcess(t, srv, email, password)
	pic := photo50MP(t)
	t.Logf("the photo is %d bytes", len(pic))

	client := &http.Client{Timeout: 10 * time.Minute}
	statuses := make([]int, uploads)
	bodies := make([]string, uploads)
	took := make([]time.Duration, uploads)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range uploads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", fmt.Sprintf("press-%d.jpg", i))
			fw.Write(pic)
			mw.WriteField("credit", "© Photo Desk/Gazette")
			mw.Close()
			req, _ := http.NewRequest(http.MethodPost, srv.url+"/api/admin/v1/media", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := client.Do(req)
			if err != nil {
				bodies[i] = err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			statuses[i], bodies[i], took[i] = resp.StatusCode, string(b), time.Since(start)
		}()
	}
	wg.Wait()
	for i := range uploads {
		if statuses[i] != http.StatusCreated {
			t.Errorf("upload %d: %d %s", i, statuses[i], bodies[i])
		}
	}
	t.Logf("all %d uploads answered in %v (%v)", uploads, time.Since(start).Round(time.Millisecond), took)
	deadline := time.Now().Add(5 * time.Minute)
	for made := false; !made && time.Now().Before(deadline); {
		var list struct {
			Media []struct {
				Renditions []json.RawMessage `json:"renditions"`
			} `json:"media"`
		}
		getProcessJSON(t, srv, "/api/admin/v1/media", token, &list)
		for _, m := range list.Media {
			if len(m.Renditions) > 0 {
				t.Logf("a photo has %d renditions after %v", len(m.Renditions), time.Since(start).Round(time.Millisecond))
				made = true
				break
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	peak, now := srv.memoryMB(t)
	t.Logf("%d parallel 50 MP uploads: server peak RSS (VmHWM) %.1f MB, RSS now %.1f MB", uploads, peak, now)
	if peak >= limitMB {
		t.Errorf("peak RSS %.1f MB, want under %d MB", peak, limitMB)
	}
}

// loginProcess logs in to a server process and returns the access token.
func loginProcess(t *testing.T, srv process, email, password string) string {
	t.Helper()
	resp, err := http.Post(srv.url+"/api/admin/v1/auth/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	return s.AccessToken
}

// getProcessJSON reads a JSON answer of a server process into v.
func getProcessJSON(t *testing.T, srv process, path, token string, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
}
