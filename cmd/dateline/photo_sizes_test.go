package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dateline/auth"
)

// An image uploaded through the admin API and used as a story's photo,
// named by its media id without dimensions, shows in the public API with
// the stored image's dimensions and, in the feeds, with the stored file's
// byte length.
func TestAnUploadedPhotoShowsItsDimensionsAndByteLength(t *testing.T) {
	a, h := newTestApp(t)
	addUser(t, a, "editor@example.org", auth.RoleEditor)
	s := login(t, h, "editor@example.org", testPassword)

	img := image.NewNRGBA(image.Rect(0, 0, 37, 23))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(0, 0, color.NRGBA{R: 255, A: 255})
	var file bytes.Buffer
	if err := png.Encode(&file, img); err != nil {
		t.Fatal(err)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "quay.png")
	fw.Write(file.Bytes())
	mw.WriteField("credit", "© Ann Lee/Agency")
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/api/admin/v1/media", &form)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	var media struct {
		ID       string `json:"id"`
		URL      string `json:"url"`
		FileName string `json:"file_name"`
	}
	decode(t, rec, &media)
	st, err := os.Stat(filepath.Join(a.cfg.DataDir, "media", media.FileName))
	if err != nil {
		t.Fatal(err)
	}

	body := fmt.Sprintf(`{"headline":"Quay at dawn","body":"Text.","photos":[{"media_id":%q,"url":%q,"caption":"The quay","credit":"© Ann Lee/Agency","alt":"An empty quay"}]}`, media.ID, media.URL)
	rec = send(t, h, request{method: "POST", target: "/api/admin/v1/articles", body: body, bearer: s.AccessToken})
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var art struct{ ID, Slug string }
	decode(t, rec, &art)
	if rec := send(t, h, request{method: "POST", target: "/api/admin/v1/articles/" + art.ID + "/publish", bearer: s.AccessToken}); rec.Code != http.StatusOK {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}

	var story struct {
		Photos []struct{ Width, Height int } `json:"photos"`
	}
	decode(t, get(t, h, "/api/v1/articles/"+art.Slug), &story)
	if len(story.Photos) != 1 || story.Photos[0].Width != 37 || story.Photos[0].Height != 23 {
		t.Errorf("photos %+v, want 37×23", story.Photos)
	}
	length := fmt.Sprintf(`length="%d"`, st.Size())
	for _, target := range []string{"/api/v1/feeds/rss.xml", "/api/v1/feeds/atom.xml"} {
		if feed := get(t, h, target).Body.String(); !strings.Contains(feed, length) {
			t.Errorf("%s has no enclosure with %s:\n%s", target, length, feed)
		}
	}
	if n := get(t, h, "/api/v1/articles/"+art.Slug+"?format=ninjs").Body.String(); !strings.Contains(n, fmt.Sprintf(`"sizeinbytes":%d`, st.Size())) ||
		!strings.Contains(n, `"width":37`) {
		t.Errorf("ninjs lacks the rendition's size and dimensions: %s", n)
	}
}
