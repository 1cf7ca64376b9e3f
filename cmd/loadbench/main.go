// Command loadbench measures the delivery API under load against a
// baseline, in one run on this machine (DESIGN.md §9): it seeds a temporary
// data directory with 10,000 published stories over 30 tags, builds and
// starts the real server and a minimal Gin server that answers with a fixed
// JSON body of the same size, drives each over loopback with the same
// connections and duration, and prints requests per second, p50, p99, the
// ratio to the baseline and the server's peak resident memory. Before the
// load it reports the database's size and bytes per revision, then has a
// few editors autosave drafts and reports what their revisions cost.
//
//	go run ./cmd/loadbench [-conns 32] [-duration 5s] [-stories 10000] [-editors 20] [-autosaves 240]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"dateline/content"
	"dateline/content/sqlite"
)

type options struct {
	stories, tags, conns, batch int
	rounds                      int
	duration, warmup            time.Duration
	keep                        bool
	editors, autosaves          int
	revisions                   sqlite.RevisionPolicy
}

func main() {
	var opt options
	fs := flag.NewFlagSet("loadbench", flag.ExitOnError)
	fs.IntVar(&opt.stories, "stories", 10_000, "published stories to seed")
	fs.IntVar(&opt.tags, "tags", 30, "tags the stories are spread over")
	fs.IntVar(&opt.conns, "conns", 32, "concurrent keep-alive connections")
	fs.IntVar(&opt.batch, "batch", 500, "stories per import transaction")
	fs.IntVar(&opt.rounds, "rounds", 5, "turns the server and the baseline take within each run")
	fs.DurationVar(&opt.duration, "duration", 5*time.Second, "length of each measured run")
	fs.DurationVar(&opt.warmup, "warmup", time.Second, "unmeasured load before each run")
	fs.BoolVar(&opt.keep, "keep", false, "keep the temporary directory (data, binary, server log)")
	fs.IntVar(&opt.editors, "editors", 20, "drafts autosaved before the load, one editor each")
	fs.IntVar(&opt.autosaves, "autosaves", 240, "autosaves per draft, 2.5 s apart on a simulated clock (240: ten minutes)")
	// The revision defaults are dateline serve's (revisions_* in config.yaml).
	fs.DurationVar(&opt.revisions.AutosaveWindow, "autosave-window", 10*time.Minute, "revisions_autosave_window: autosaves of one run share a revision (0: each keeps one)")
	fs.IntVar(&opt.revisions.Keep, "revisions-keep", 100, "revisions_keep: revisions a story keeps beyond revisions_keep_days (0: all)")
	keepDays := fs.Int("revisions-keep-days", 30, "revisions_keep_days")
	baseline := fs.String("serve-baseline", "", "internal: serve the baseline on this address")
	fs.Parse(os.Args[1:])
	opt.revisions.KeepFor = time.Duration(*keepDays) * 24 * time.Hour

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if *baseline != "" {
		err = serveBaseline(ctx, *baseline)
	} else {
		err = run(ctx, opt, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, opt options, out io.Writer) error {
	began := time.Now()
	tmp, err := os.MkdirTemp("", "dateline-loadbench-")
	if err != nil {
		return err
	}
	if opt.keep {
		fmt.Fprintln(out, "temporary directory:", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	data := filepath.Join(tmp, "data")
	if err := os.MkdirAll(filepath.Join(data, "media"), 0o750); err != nil {
		return err
	}

	t0 := time.Now()
	c, err := seed(ctx, filepath.Join(data, "dateline.db"), opt.stories, opt.tags, opt.batch)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(out, "seeded %d published stories over %d tags in %s\n", len(c.slugs), len(c.tags), time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	ed, err := edit(ctx, filepath.Join(data, "dateline.db"), c, opt.editors, opt.autosaves, opt.revisions)
	if err != nil {
		return fmt.Errorf("edit: %w", err)
	}
	printStorage(out, ed.before, len(c.slugs))
	if opt.editors > 0 {
		printEditing(out, ed)
		fmt.Fprintf(out, "edited in %s\n", time.Since(t0).Round(time.Millisecond))
	}

	t0 = time.Now()
	bin := filepath.Join(tmp, "dateline")
	if err := buildServer(ctx, bin); err != nil {
		return err
	}
	fmt.Fprintf(out, "built the server in %s\n", time.Since(t0).Round(time.Millisecond))

	addr, err := freeAddr()
	if err != nil {
		return err
	}
	cfg := filepath.Join(tmp, "config.yaml")
	if err := os.WriteFile(cfg, []byte("base_url: \"http://"+addr+"\"\nlog_level: info\nlog_format: text\n"), 0o600); err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(tmp, "server.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	srv := exec.CommandContext(ctx, bin, "serve", "--config", cfg, "--data", data, "--addr", addr)
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	defer stopProcess(srv)

	baseAddr, err := freeAddr()
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	base := exec.CommandContext(ctx, self, "-serve-baseline", baseAddr)
	base.Stderr = os.Stderr
	if err := base.Start(); err != nil {
		return fmt.Errorf("start baseline: %w", err)
	}
	defer stopProcess(base)
	server, baselineURL := "http://"+addr, "http://"+baseAddr
	if err := waitUp(ctx, server+"/healthz"); err != nil {
		return fmt.Errorf("server: %w (log: %s)", err, logFile.Name())
	}
	if err := waitUp(ctx, baselineURL+"/b"); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}

	scenarios, err := makeScenarios(ctx, server, c)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "load: %d connections, %s per run in %d alternating turns with the baseline, loopback, GOMAXPROCS of each process = %d CPUs\n\n", opt.conns, opt.duration, opt.rounds, numCPU())
	var rows []row
	for _, s := range scenarios {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		size, err := meanSize(ctx, server, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		if s.warm {
			drive(ctx, server, s.reqs, opt.conns, opt.warmup, s.status)
		}
		if err := setBaselineSize(ctx, baselineURL, size); err != nil {
			return err
		}
		drive(ctx, baselineURL, []request{{path: "/b"}}, opt.conns, opt.warmup/2, 200)
		// The server and the baseline take turns in short slices, so that
		// other load on the machine falls on both alike.
		var gots, refs []result
		slice := opt.duration / time.Duration(opt.rounds)
		for range opt.rounds {
			gots = append(gots, drive(ctx, server, s.reqs, opt.conns, slice, s.status))
			refs = append(refs, drive(ctx, baselineURL, []request{{path: "/b"}}, opt.conns, slice, 200))
		}
		rows = append(rows, row{s: s, size: size, got: merge(gots), ref: merge(refs)})
	}
	hwm, rss := memory(srv.Process.Pid)
	printTable(out, rows, hwm, rss)
	fmt.Fprintf(out, "\ntotal time %s\n", time.Since(began).Round(time.Second))
	return nil
}

// scenario is one measured load: a rotating set of requests and the status
// each must answer with.
type scenario struct {
	name   string
	reqs   []request
	status int
	warm   bool
	target float64 // minimum ratio to the baseline
	p99    bool    // p99 must stay under 10 ms
}

func makeScenarios(ctx context.Context, server string, c *corpus) ([]scenario, error) {
	r := rand.New(rand.NewPCG(3, 4))
	var tagWarm, tagCold, slugWarm, slugCold, search []request
	for _, t := range c.tags {
		tagWarm = append(tagWarm, request{path: "/api/v1/articles?tag=" + t + "&limit=20"})
	}
	for i := range 3000 {
		at := c.times[r.IntN(len(c.times))]
		cur := content.Cursor{Time: at, ID: ""}.Encode()
		tagCold = append(tagCold, request{path: fmt.Sprintf("/api/v1/articles?tag=%s&limit=20&cursor=%s", c.tags[i%len(c.tags)], cur)})
	}
	for i := range 30 {
		slugWarm = append(slugWarm, request{path: "/api/v1/articles/" + c.slugs[i*len(c.slugs)/30]})
	}
	for _, i := range r.Perm(len(c.slugs)) {
		slugCold = append(slugCold, request{path: "/api/v1/articles/" + c.slugs[i]})
	}
	seen := map[string]bool{}
	for tries := 0; len(search) < 2000 && tries < 100_000; tries++ {
		var q string
		switch len(search) % 4 {
		case 0, 1: // a specific word (a name, a place, a subject)
			q = c.vocab[500+r.IntN(5000)]
		case 2: // two words
			q = c.vocab[100+r.IntN(1000)] + " " + c.vocab[100+r.IntN(1000)]
		default: // a prefix of a specific word
			w := c.vocab[1000+r.IntN(4000)]
			q = w[:len(w)-1] + "*"
		}
		if seen[q] {
			continue
		}
		seen[q] = true
		search = append(search, request{path: "/api/v1/articles?limit=20&q=" + url.QueryEscape(q)})
	}
	var conditional []request
	for _, rq := range append(append([]request{}, tagWarm...), slugWarm...) {
		etag, err := etagOf(ctx, server+rq.path)
		if err != nil {
			return nil, err
		}
		conditional = append(conditional, request{path: rq.path, ifNoneMatch: etag})
	}
	return []scenario{
		{name: "list by tag, warm (30 queries)", reqs: tagWarm, status: 200, warm: true, target: 0.9, p99: true},
		{name: "list by tag, cold (3,000 pages)", reqs: tagCold, status: 200, target: 0.3},
		{name: "story by slug, warm (30 stories)", reqs: slugWarm, status: 200, warm: true, target: 0.9, p99: true},
		{name: "story by slug, cold (10,000)", reqs: slugCold, status: 200, target: 0.3},
		{name: "search q=, 2,000 distinct queries", reqs: search, status: 200, target: 0.1},
		{name: "304 revalidation (60 URLs)", reqs: conditional, status: http.StatusNotModified, warm: true, target: 0.9},
	}, nil
}

func etagOf(ctx context.Context, u string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
		return "", fmt.Errorf("GET %s: %d, ETag %q", u, resp.StatusCode, resp.Header.Get("ETag"))
	}
	return resp.Header.Get("ETag"), nil
}

// meanSize is the mean body size of the scenario's responses, from a
// sample of up to 200 of them.
func meanSize(ctx context.Context, server string, s scenario) (int, error) {
	if s.status == http.StatusNotModified {
		return 0, nil
	}
	var total, n int
	step := max(1, len(s.reqs)/200)
	for i := 0; i < len(s.reqs); i += step {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, server+s.reqs[i].path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != s.status {
			return 0, fmt.Errorf("GET %s: status %d: %.200s", s.reqs[i].path, resp.StatusCode, b)
		}
		total += len(b)
		n++
	}
	return total / n, nil
}

func setBaselineSize(ctx context.Context, base string, n int) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/size?n=%d", base, n), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("baseline size: %d", resp.StatusCode)
	}
	return nil
}

// buildServer builds ./cmd/dateline of this module into bin.
func buildServer(ctx context.Context, bin string) error {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/dateline")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build the server: %w", err)
	}
	return nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitUp(ctx context.Context, u string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("not up after 30 s")
}

func stopProcess(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}
