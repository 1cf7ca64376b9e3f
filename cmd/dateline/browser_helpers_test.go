package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's chromium against the production router
// on a loopback port, with a temporary data directory and the scheduler
// running. Without chromium they skip, except in CI (CI=true), where a
// missing browser is a failure.

// browserCSP is the Content-Security-Policy the test server sends with
// every admin page: the admin app must work under it, so a page that needs
// an inline script, an inline style or eval fails its test.
const browserCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data: blob:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// chromiumPath returns the chromium binary, or skips the test (fails it
// when CI=true) if there is none.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not installed, and CI=true: the browser tests must run in CI (.ci/run installs Debian's chromium)")
	}
	t.Skip("chromium not installed: browser tests skipped (install Debian's chromium to run them)")
	return ""
}

// newBrowserSite starts the production router with the scheduler on a
// random loopback port; base_url is the server's own URL.
func newBrowserSite(t *testing.T) (*app, string) {
	t.Helper()
	return newBrowserSiteWith(t, nil)
}

// newBrowserSiteWith is newBrowserSite with the config changed by configure
// (nil changes nothing) before the background work and the router are made.
func newBrowserSiteWith(t *testing.T, configure func(*Config)) (*app, string) {
	t.Helper()
	a, _ := newTestApp(t)
	if configure != nil {
		configure(&a.cfg)
	}
	a.newBackground()
	srv := httptest.NewUnstartedServer(nil)
	a.cfg.BaseURL = "http://" + srv.Listener.Addr().String()
	router := newRouter(a)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/admin") {
			w.Header().Set("Content-Security-Policy", browserCSP)
		}
		router.ServeHTTP(w, r)
	})
	srv.Start()
	t.Cleanup(srv.Close)
	stop := a.runBackground(context.Background())
	t.Cleanup(stop)
	return a, srv.URL
}

// browser is one chromium with its own profile and cookie jar, driven
// for test t.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	log  *pageLog
}

// pageLog collects what the pages of one browser reported.
type pageLog struct {
	mu       sync.Mutex
	problems []string // uncaught exceptions and CSP violations
	dialogs  []string // confirm() texts, each accepted
}

// in returns the same browser driven for the subtest t.
func (b *browser) in(t *testing.T) *browser {
	return &browser{t: t, ctx: b.ctx, base: b.base, log: b.log}
}

// newBrowser launches a headless chromium for base. It is closed, and its
// page problems reported as test errors, when the test ends.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 45*time.Second)
	b := &browser{t: t, ctx: ctx, base: base, log: &pageLog{}}
	stop := func() {
		cancelTimeout()
		cancelBrowser()
		cancelAlloc()
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			b.problem(fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber, msg))
		case *cdplog.EventEntryAdded:
			// A failed request (a 409 the page shows, say) is the app's
			// business; a CSP violation or a script error is a defect.
			if e := ev.Entry; e.Level == cdplog.EntryLevelError && e.Source != cdplog.EntrySourceNetwork {
				b.problem(string(e.Source) + ": " + e.Text + " " + e.URL)
			}
		case *page.EventJavascriptDialogOpening:
			b.log.mu.Lock()
			b.log.dialogs = append(b.log.dialogs, ev.Message)
			b.log.mu.Unlock()
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	})
	if err != nil {
		stop()
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() {
		stop()
		b.log.mu.Lock()
		defer b.log.mu.Unlock()
		for _, p := range b.log.problems {
			t.Errorf("the page reported a problem: %s", p)
		}
	})
	return b
}

func (b *browser) problem(s string) {
	b.log.mu.Lock()
	b.log.problems = append(b.log.problems, s)
	b.log.mu.Unlock()
}

// confirmed returns the texts of the confirmations accepted so far.
func (b *browser) confirmed() []string {
	b.log.mu.Lock()
	defer b.log.mu.Unlock()
	return append([]string(nil), b.log.dialogs...)
}

// do runs steps and fails the test on an error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to path and waits for sel to be visible.
func (b *browser) open(path, sel string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// login signs in through the login page and waits for the story list.
func (b *browser) login(email string) {
	b.t.Helper()
	b.open("/admin/login", "#email")
	b.do("log in as "+email,
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#login-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#logout")),
	)
}

// eval evaluates a JavaScript expression, awaiting a promise.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// text returns the text content of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel))
}

// exists reports whether an element matches sel.
func (b *browser) exists(sel string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

// visible reports whether an element matches sel and is shown.
func (b *browser) visible(sel string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.offsetParent !== null && !e.hidden; })()`, sel))
}

// wait polls a JavaScript expression until it is true, for up to 10 s.
// Errors while the page navigates count as not yet.
func (b *browser) wait(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!!(`+expr+`)`))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(20 * time.Millisecond)
	}
	b.t.Fatalf("waiting for %s (%s): not true after 10 s (last error: %v)", what, expr, last)
}

// waitText waits until the element sel contains want.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	b.wait(fmt.Sprintf("%s to say %q", sel, want),
		fmt.Sprintf(`((document.querySelector(%q) || {}).textContent || "").includes(%q)`, sel, want))
}

// typeInto types s into the field sel, as a person would.
func (b *browser) typeInto(sel, s string) {
	b.t.Helper()
	b.do("type into "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), s))
}

// setField replaces the value of sel and fires input and change events,
// like a paste: for long text and for selects and date pickers.
func (b *browser) setField(sel, value string) {
	b.t.Helper()
	ok := eval[bool](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) return false; e.value = %q;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, sel, value))
	if !ok {
		b.t.Fatalf("no field %s", sel)
	}
}

// click clicks the element sel once it is visible.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.do("click "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// saveKeys presses Ctrl+S in the page.
func (b *browser) saveKeys() {
	b.t.Helper()
	b.do("press Ctrl+S", chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
}

// value returns the value of the form field sel.
func (b *browser) value(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("read %s: %v", sel, err)
	}
	return v
}

// path returns the page's location path.
func (b *browser) path() string {
	b.t.Helper()
	return eval[string](b, `location.pathname`)
}

// screenshot saves a full-page PNG of the current page as name under the
// artifacts directory and logs where it is.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	dir := artifactsDir(b.t)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", p)
}

// artifactsDir is $DATELINE_ARTIFACTS (created if needed) or a temporary
// directory of the test.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DATELINE_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writePNG writes a small PNG photo to a temporary file and returns its path.
func writePNG(t *testing.T, name string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 40))
	for x := range 64 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{R: uint8(40 + x*2), G: uint8(90 + y*3), B: 160, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// upload puts file into the file input sel, as if chosen in the dialog.
func (b *browser) upload(sel, file string) {
	b.t.Helper()
	b.do("upload "+file, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{file}))
}
