package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/admin"
	"dateline/content"
	"dateline/content/transfer"
	"dateline/content/webhook"
)

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{200, 40, 40, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFetchPhotoStoresItThroughTheUploadChecks(t *testing.T) {
	pic := pngBytes(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/quay.png":
			w.Write(pic)
		case "/page.html":
			w.Write([]byte("<html>not an image</html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	db := openDB(t)
	media := admin.New(db, filepath.Join(t.TempDir(), "media"), nil)
	in := content.Photo{URL: srv.URL + "/quay.png", Caption: "The quay", Credit: "© Mara Hale", Alt: "Boats"}
	t.Run("a photo on a public server is stored as media", func(t *testing.T) {
		f := &transfer.Fetcher{Client: webhook.NewClient(true, 5*time.Second), Media: media, MaxBytes: admin.MaxUpload}
		got, err := f.FetchPhoto(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if got.MediaID == "" || !strings.HasPrefix(got.URL, "/media/") || got.Width != 40 || got.Height != 30 || got.Credit != in.Credit || got.Alt != in.Alt {
			t.Errorf("photo = %+v", got)
		}
		m, err := db.MediaItem(context.Background(), got.MediaID)
		if err != nil || m.Credit != in.Credit {
			t.Errorf("media = %+v (%v)", m, err)
		}
	})
	cases := []struct {
		name   string
		client *http.Client
		url    string
		max    int64
		want   string
	}{
		{"a loopback address is refused by the webhooks' dialer", webhook.NewClient(false, 5*time.Second), srv.URL + "/quay.png", admin.MaxUpload, "private"},
		{"a page that is not an image is refused by the upload checks", webhook.NewClient(true, 5*time.Second), srv.URL + "/page.html", admin.MaxUpload, "JPEG, PNG, WebP and GIF"},
		{"a missing photo says what the server answered", webhook.NewClient(true, 5*time.Second), srv.URL + "/gone.png", admin.MaxUpload, "404"},
		{"a photo over the size limit is refused", webhook.NewClient(true, 5*time.Second), srv.URL + "/quay.png", 10, "larger than 10 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &transfer.Fetcher{Client: tc.client, Media: media, MaxBytes: tc.max}
			p := in
			p.URL = tc.url
			got, err := f.FetchPhoto(context.Background(), p)
			if err == nil || !strings.Contains(err.Error(), tc.want) || got.URL != tc.url {
				t.Errorf("photo %+v, error %v; want the URL kept and an error saying %q", got, err, tc.want)
			}
			if tc.want == "private" && !errors.Is(err, webhook.ErrPrivateTarget) {
				t.Errorf("error %v is not webhook.ErrPrivateTarget", err)
			}
		})
	}
}

// fakeFetcher stores photos whose URL ends in .jpg and fails the others.
type fakeFetcher struct{}

func (fakeFetcher) FetchPhoto(_ context.Context, p content.Photo) (content.Photo, error) {
	if !strings.HasSuffix(p.URL, "quay.jpg") {
		return p, errors.New("unreachable")
	}
	p.MediaID, p.URL = "0190f3a2-7b1c-7def-8a00-0000000000aa", "/media/quay.jpg"
	return p, nil
}

func TestRunFetchesPhotosAndKeepsTheAddressWhenItCannot(t *testing.T) {
	db := openDB(t)
	rep, err := transfer.Run(context.Background(), db, transfer.ReadWXR(fileOpener("testdata/wordpress.xml"), transfer.Options{}),
		transfer.RunOptions{Photos: fakeFetcher{}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Notes["a photo that could not be fetched stays an external address"] != 1 {
		t.Errorf("notes = %v", rep.Notes)
	}
	as, _ := db.Articles(context.Background(), content.ArticleFilter{Limit: 100})
	urls := map[string]string{}
	for _, a := range as {
		if len(a.Photos) > 0 {
			urls[a.Slug] = a.Photos[0].URL
		}
	}
	if urls["harbour-reopens"] != "/media/quay.jpg" || !strings.HasPrefix(urls["shtorm"], "https://gazette.example.org/") {
		t.Errorf("photo URLs = %v", urls)
	}
}
