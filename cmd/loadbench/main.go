// Command loadbench measures the delivery API under load against a
// baseline, in one run on this machine (DESIGN.md §9): it seeds a temporary
// data directory with 10,000 published stories over 30 tags, builds and
// starts the real server and a minimal Gin server that answers with a fixed
// JSON body of the same size, drives each over loopback with the same
// connections and duration, and prints requests per second, p50, p99, the
// ratio to the baseline, the CPU time the server spent per request and
// its peak resident memory. Before the load it reports the database's size
// and bytes per revision, then has a few editors autosave drafts and
// reports what their revisions cost.
//
// -scenarios runs a subset; -variants starts one server per configuration
// (e.g. with a cache layer switched off) on the same data and measures
// them in turns within each scenario, so that layers are compared in one
// run; -data keeps the seeded corpus for the next run.
//
// -db postgres seeds the same corpus into PostgreSQL and runs the servers
// on it (DESIGN.md §10): the database at -postgres (default
// $DATELINE_LOADBENCH_POSTGRES; seeded once, reused when it holds stories),
// or else a PostgreSQL cluster of the benchmark's own (initdb and pg_ctl
// through pgtest.StartCluster, PostgreSQL's default settings), kept in
// DATA/postgres with -data and started again by later runs. -instances N
// (1 to 3) starts N dateline serve processes of each variant on the one
// database; the load's connections are dialled to them in turn, and each
// stays with its instance, as a CDN's keep-alive pool to several origins
// does; the baseline stays one process. SQLite works with several
// instances too (they follow each other's writes through the file).
//
// The save scenario ("save") has -writers editors autosave drafts of the
// editing phase, each their own, through the admin API as the editor does
// (PUT /api/admin/v1/articles/:id with the whole editable state, the
// version of the last save and autosave: true, authenticated by an API
// key), one save after the other, and reports saves per second, p50, p99,
// the servers' CPU per save and errors (anything but 200, a version
// conflict included): on the first instance alone and, with several, on
// all of them, in alternating turns. It is in -scenarios all on PostgreSQL
// or with several instances; on the default (SQLite, one instance) it runs
// only when named, so that the default output stays as it was. -conns 256
// checks that many connections for errors.
//
//	go run ./cmd/loadbench [-conns 32] [-duration 5s] [-stories 10000] [-editors 20] [-autosaves 240]
//	go run ./cmd/loadbench -data /tmp/lb -scenarios story,list -variants default,no-response-cache,no-item-cache
//	go run ./cmd/loadbench -db postgres -instances 3 -data /tmp/lb-pg [-postgres postgres://user@host/db] [-writers 8]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"dateline/content/sqlite"
)

type options struct {
	stories, tags, conns, batch int
	rounds                      int
	duration, warmup            time.Duration
	keep                        bool
	data                        string // seeded data directory to use; "": a new one
	pin                         bool   // servers on CPU 0, the load on the others
	scenarios                   string // -scenarios
	variants                    []variant
	editors, autosaves          int
	revisions                   sqlite.RevisionPolicy
	db                          string // -db: sqlite or postgres
	postgres                    string // -postgres: URL of the database; "": a cluster of the benchmark's own
	instances                   int    // dateline serve processes per variant, on one database
	writers                     int    // editors of the save scenario
}

func main() {
	opt, baseline, err := parseFlags(os.Args[1:], os.Getenv, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2) // the flag package has said why
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err == nil && baseline != "" {
		err = serveBaseline(ctx, baseline)
	} else if err == nil {
		err = run(ctx, opt, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

// errUsage is a command line the flag package refused (and explained on
// the usage output).
var errUsage = errors.New("usage")

// parseFlags parses the command line args, with getenv for the defaults
// the environment gives, printing usage and flag errors to usage. It
// returns the options, or the address of -serve-baseline (the baseline
// server's own process), or flag.ErrHelp, errUsage or an error saying
// which option is wrong.
func parseFlags(args []string, getenv func(string) string, usage io.Writer) (options, string, error) {
	var opt options
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.IntVar(&opt.stories, "stories", 10_000, "published stories to seed")
	fs.IntVar(&opt.tags, "tags", 30, "tags the stories are spread over")
	fs.IntVar(&opt.conns, "conns", 32, "concurrent keep-alive connections")
	fs.IntVar(&opt.batch, "batch", 500, "stories per import transaction")
	fs.IntVar(&opt.rounds, "rounds", 5, "turns the servers and the baseline take within each run")
	fs.DurationVar(&opt.duration, "duration", 5*time.Second, "length of each measured run, per server")
	fs.DurationVar(&opt.warmup, "warmup", time.Second, "unmeasured load before each run")
	fs.BoolVar(&opt.keep, "keep", false, "keep the temporary directory (data, binary, server logs)")
	fs.StringVar(&opt.data, "data", "", "data directory: seeded (and edited) on first use, reused as it is by later runs with the same -stories and -tags")
	fs.BoolVar(&opt.pin, "pin", false, "run the servers and the baseline on CPU 0 and the load generator on the other CPUs (taskset), as a side-by-side measurement of peers does")
	fs.StringVar(&opt.scenarios, "scenarios", "all", "comma-separated scenarios to run, by id or id prefix (\"search\": every search): "+strings.Join(scenarioIDs(), ", "))
	variants := fs.String("variants", "default", "comma-separated server configurations measured side by side in one run, each "+
		"\"default\" or a +-joined list of no-<layer> (layers: "+strings.Join(layerNames(), ", ")+") and KEY=VALUE settings of the server's environment, "+
		"e.g. default,no-response-cache,DATELINE_CACHE_MEMORY_MB=32; bin=PATH runs another build of dateline (an older commit) instead")
	fs.IntVar(&opt.editors, "editors", 20, "drafts autosaved before the load, one editor each")
	fs.IntVar(&opt.autosaves, "autosaves", 240, "autosaves per draft, 2.5 s apart on a simulated clock (240: ten minutes)")
	// The revision defaults are dateline serve's (revisions_* in config.yaml).
	fs.DurationVar(&opt.revisions.AutosaveWindow, "autosave-window", 10*time.Minute, "revisions_autosave_window: autosaves of one run share a revision (0: each keeps one)")
	fs.IntVar(&opt.revisions.Keep, "revisions-keep", 100, "revisions_keep: revisions a story keeps beyond revisions_keep_days (0: all)")
	keepDays := fs.Int("revisions-keep-days", 30, "revisions_keep_days")
	fs.StringVar(&opt.db, "db", "sqlite", "the servers' database: sqlite (dateline.db in the data directory) or postgres (-postgres, or a PostgreSQL 15 cluster of the benchmark's own, kept in DATA/postgres with -data)")
	fs.StringVar(&opt.postgres, "postgres", getenv(EnvPostgres), "with -db postgres: URL of the database to seed (once: a database holding stories is reused) and serve from; default $"+EnvPostgres+", else a cluster of the benchmark's own")
	fs.IntVar(&opt.instances, "instances", 1, "dateline serve processes of each server variant on the one database (1–3); the load's connections go to them in turn, each staying with its instance; the baseline stays one process")
	fs.IntVar(&opt.writers, "writers", 8, "editors of the save scenario, each autosaving a draft of the editing phase of their own")
	baseline := fs.String("serve-baseline", "", "internal: serve the baseline on this address")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return opt, "", err
		}
		return opt, "", errUsage
	}
	opt.revisions.KeepFor = time.Duration(*keepDays) * 24 * time.Hour
	if *baseline != "" {
		return opt, *baseline, nil
	}
	var err error
	if opt.variants, err = parseVariants(*variants); err != nil {
		return opt, "", err
	}
	return opt, "", checkOptions(opt)
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
	data := opt.data
	if data == "" {
		data = filepath.Join(tmp, "data")
	}
	if err := os.MkdirAll(filepath.Join(data, "media"), 0o750); err != nil {
		return err
	}
	db, describe, stopDB, err := openDatabase(opt.db, opt.postgres, data, opt.data != "")
	if err != nil {
		return err
	}
	defer stopDB()
	reuse, err := db.seeded(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "load on this machine before the run: %s\n", loadAverage())
	if describe != "" {
		fmt.Fprintf(out, "database: %s\n", describe)
	}

	t0 := time.Now()
	c, err := seed(ctx, db, opt.stories, opt.tags, opt.batch, reuse)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if reuse {
		where := data
		if db.postgres != "" {
			where = "the PostgreSQL database"
		}
		fmt.Fprintf(out, "reused %s: %d published stories over %d tags\n", where, len(c.slugs), len(c.tags))
	} else {
		fmt.Fprintf(out, "seeded %d published stories over %d tags in %s\n", len(c.slugs), len(c.tags), time.Since(t0).Round(time.Millisecond))
		t0 = time.Now()
		ed, err := edit(ctx, db, c, opt.editors, opt.autosaves, opt.revisions)
		if err != nil {
			return fmt.Errorf("edit: %w", err)
		}
		if ed.measured {
			printStorage(out, ed.before, len(c.slugs))
		}
		if opt.editors > 0 {
			printEditing(out, ed)
			fmt.Fprintf(out, "edited in %s\n", time.Since(t0).Round(time.Millisecond))
		}
	}

	all := makeScenarios(c)
	if (opt.scenarios == "all" || opt.scenarios == "") && !opt.saveInAll() {
		all = slices.DeleteFunc(all, func(s scenario) bool { return s.write })
	}
	scenarios, err := selectScenarios(all, opt.scenarios)
	if err != nil {
		return err
	}
	var writers []*writer
	if slices.ContainsFunc(scenarios, func(s scenario) bool { return s.write }) {
		if writers, err = prepareWriters(ctx, db, opt.writers); err != nil {
			return fmt.Errorf("save scenario: %w", err)
		}
	}

	t0 = time.Now()
	bin := filepath.Join(tmp, "dateline")
	if err := buildServer(ctx, bin); err != nil {
		return err
	}
	fmt.Fprintf(out, "built the server in %s\n", time.Since(t0).Round(time.Millisecond))

	if opt.pin {
		if err := pinSelf(); err != nil {
			return err
		}
	}
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	// One at a time: the first renders the stored public JSON of a new
	// corpus before it serves, and the others find it rendered (they
	// share one base URL, and so one render key).
	for i, v := range opt.variants {
		s := &server{v: v}
		servers = append(servers, s)
		for k := range opt.instances {
			in, err := startInstance(ctx, bin, tmp, data, db, i, k, v, opt.pin)
			if err != nil {
				return err
			}
			s.insts = append(s.insts, in)
			if err := waitUp(ctx, in.url()+"/healthz", in.exited); err != nil {
				return fmt.Errorf("server %s: %w (log: %s)", s.name(k), err, in.log.Name())
			}
		}
	}
	baseAddr, err := freeAddr()
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	base := exec.CommandContext(ctx, self, "-serve-baseline", baseAddr)
	if opt.pin {
		base = exec.CommandContext(ctx, "taskset", "-c", "0", self, "-serve-baseline", baseAddr)
	}
	base.Stderr = os.Stderr
	base.SysProcAttr = diesWithUs()
	if err := base.Start(); err != nil {
		return fmt.Errorf("start baseline: %w", err)
	}
	defer stopProcess(base)
	baselineURL := "http://" + baseAddr
	if err := waitUp(ctx, baselineURL+"/b", nil); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}

	// After the first server rendered the stored public JSON: what the
	// corpus takes on disk as served.
	var disk int64
	if db.sqlite != "" {
		disk = diskBytes(db.sqlite)
	}
	if err := addETags(scenarios, etagFrom(ctx, servers[0].url())); err != nil {
		return err
	}
	cpus := fmt.Sprintf("GOMAXPROCS of each process = %d CPUs", numCPU())
	if opt.pin {
		cpus = "servers and baseline pinned to CPU 0 (GOMAXPROCS 1), the load generator to the others"
	}
	fmt.Fprintf(out, "load: %d connections, %s per run in %d alternating turns with the baseline, loopback, %s\n", opt.conns, opt.duration, opt.rounds, cpus)
	if opt.instances > 1 {
		fmt.Fprintf(out, "servers: %d instances of each on one %s database, the connections to them in turn (each staying with its instance); the baseline is one process\n", opt.instances, db.name())
	} else if db.postgres != "" {
		fmt.Fprintf(out, "servers: on PostgreSQL\n")
	}
	fmt.Fprintln(out)
	var rows []row
	var writes []writeRow
	for _, sc := range scenarios {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if sc.write {
			writes = append(writes, measureWrites(ctx, servers, writers, opt)...)
			continue
		}
		size, err := meanSize(ctx, servers[0].url(), sc)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		if sc.warm {
			for _, s := range servers {
				drive(ctx, s.target(), sc.reqs, opt.conns, opt.warmup, sc.status)
			}
		}
		if err := setBaselineSize(ctx, baselineURL, size); err != nil {
			return err
		}
		drive(ctx, single(baselineURL), []request{{path: "/b"}}, opt.conns, opt.warmup/2, 200)
		// The servers and the baseline take turns in short slices, so that
		// other load on the machine falls on all of them alike.
		gots := make([][]result, len(servers))
		var refs []result
		slice := opt.duration / time.Duration(opt.rounds)
		for range opt.rounds {
			for i, s := range servers {
				gots[i] = append(gots[i], measure(ctx, s.procs(), s.target(), sc.reqs, opt.conns, slice, sc.status))
			}
			refs = append(refs, measure(ctx, []proc{{pid: base.Process.Pid}}, single(baselineURL), []request{{path: "/b"}}, opt.conns, slice, 200))
		}
		ref := merge(refs)
		for i, s := range servers {
			rows = append(rows, row{s: sc, variant: s.v.name, size: size, got: merge(gots[i]), ref: ref})
		}
	}
	var mems []memoryRow
	for _, s := range servers {
		for k, in := range s.insts {
			name := "server"
			if len(servers) > 1 {
				name = "server " + s.v.name
			}
			if len(s.insts) > 1 {
				name += fmt.Sprintf(" (instance %d)", k+1)
			}
			hwm, rss := memory(in.cmd.Process.Pid)
			mems = append(mems, memoryRow{name: name, hwm: hwm, rss: rss})
		}
	}
	if len(rows) > 0 {
		printTable(out, rows, mems, len(servers) > 1)
	}
	if len(writes) > 0 {
		if len(rows) > 0 {
			fmt.Fprintln(out)
		}
		printWrites(out, writes, len(servers) > 1)
		if len(rows) == 0 {
			printMemory(out, mems)
		}
	}
	if db.sqlite != "" {
		fmt.Fprintf(out, "disk: database and WAL of the served corpus %s, %s per story\n", size(disk), per(disk, int64(len(c.slugs))))
	}
	fmt.Fprintf(out, "load on this machine after the run: %s\n", loadAverage())
	fmt.Fprintf(out, "\ntotal time %s\n", time.Since(began).Round(time.Second))
	return nil
}

// waitTimeout is how long a server may take to start: the first start on
// a new corpus renders its public JSON.
const waitTimeout = 5 * time.Minute

// server is the running dateline serve instances of a variant.
type server struct {
	v     variant
	insts []*instance
}

// instance is one dateline serve process.
type instance struct {
	cmd    *exec.Cmd
	addr   string // host:port it listens on
	log    *os.File
	exited chan struct{} // closed when the process has exited
}

func (in *instance) url() string { return "http://" + in.addr }

// url is the first instance's.
func (s *server) url() string { return s.insts[0].url() }

// name names the variant's instance k in messages.
func (s *server) name(k int) string {
	if len(s.insts) > 1 || k > 0 {
		return fmt.Sprintf("%s (instance %d)", s.v.name, k+1)
	}
	return s.v.name
}

// target is the load's target of the server: its instances in turn.
func (s *server) target() target {
	t := target{url: s.url()}
	if len(s.insts) > 1 {
		for _, in := range s.insts {
			t.addrs = append(t.addrs, in.addr)
		}
	}
	return t
}

// procs are the server's processes and request logs.
func (s *server) procs() []proc {
	var ps []proc
	for _, in := range s.insts {
		ps = append(ps, proc{pid: in.cmd.Process.Pid, log: in.log.Name()})
	}
	return ps
}

func (s *server) stop() {
	for _, in := range s.insts {
		in.stop()
		in.log.Close()
	}
}

// startInstance starts bin on the data directory and database db with
// variant v's environment, as instance k of variant i, logging to a file
// of its own in tmp.
func startInstance(ctx context.Context, bin, tmp, data string, db database, i, k int, v variant, pin bool) (*instance, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(tmp, fmt.Sprintf("config-%d.yaml", i))
	if err := os.WriteFile(cfg, []byte("base_url: \"http://loadbench.example\"\nlog_level: info\nlog_format: text\nmetrics_addr: \"\"\n"), 0o600); err != nil {
		return nil, err
	}
	name := fmt.Sprintf("server-%d.log", i)
	if k > 0 {
		name = fmt.Sprintf("server-%d-%d.log", i, k+1)
	}
	log, err := os.Create(filepath.Join(tmp, name))
	if err != nil {
		return nil, err
	}
	if v.bin != "" {
		bin = v.bin
	}
	args := []string{bin, "serve", "--config", cfg, "--data", data, "--addr", addr}
	if pin {
		args = append([]string{"taskset", "-c", "0"}, args...) // taskset execs the server: one process, one pid
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(append(os.Environ(), db.env()...), v.env...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = diesWithUs()
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start server %s: %w", v.name, err)
	}
	in := &instance{cmd: cmd, addr: addr, log: log, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(in.exited) }()
	return in, nil
}

// stop sends the instance SIGTERM and waits for it to exit, killing it
// after 5 s.
func (in *instance) stop() {
	in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.exited:
	case <-time.After(5 * time.Second):
		in.cmd.Process.Kill()
		<-in.exited
	}
}

// checkOptions checks the options that main's flag parsing cannot.
func checkOptions(opt options) error {
	switch {
	case opt.instances < 1 || opt.instances > 3:
		return fmt.Errorf("-instances: %d is not 1, 2 or 3", opt.instances)
	case !slices.Contains(dbKinds, opt.db):
		return fmt.Errorf("-db: %q is none of %s", opt.db, strings.Join(dbKinds, ", "))
	case opt.postgres != "" && opt.db != "postgres":
		return errors.New("-postgres needs -db postgres")
	case opt.writers < 1:
		return fmt.Errorf("-writers: %d, want at least 1", opt.writers)
	}
	return nil
}

// saveInAll reports whether -scenarios all includes the save scenario:
// on PostgreSQL or with several instances, not on the default (SQLite,
// one instance), whose table stays comparable with earlier runs.
func (opt options) saveInAll() bool { return opt.db != "sqlite" || opt.instances > 1 }

// measureWrites measures the save scenario on every server: on its first
// instance alone and, with several, on all of them, in turns of
// opt.duration/opt.rounds so that other load on the machine falls on
// each alike.
func measureWrites(ctx context.Context, servers []*server, ws []*writer, opt options) []writeRow {
	var rows []writeRow
	slice := opt.duration / time.Duration(opt.rounds)
	for _, s := range servers {
		targets := []target{single(s.url())}
		procs := [][]proc{s.procs()[:1]}
		if len(s.insts) > 1 {
			targets = append(targets, s.target())
			procs = append(procs, s.procs())
		}
		for _, t := range targets {
			driveSaves(ctx, t, ws, opt.warmup/time.Duration(len(targets)))
		}
		gots := make([][]result, len(targets))
		for range opt.rounds {
			for j, t := range targets {
				gots[j] = append(gots[j], measureSaves(ctx, procs[j], t, ws, slice))
			}
		}
		for j := range targets {
			rows = append(rows, writeRow{variant: s.v.name, instances: len(procs[j]), writers: len(ws), got: merge(gots[j])})
		}
	}
	return rows
}

// variant is a configuration of the server: settings of its environment.
type variant struct {
	name string
	env  []string // KEY=VALUE
	bin  string   // the server binary; "": the one built from this module
}

// layers maps each cache layer -variants can switch off to the setting
// that does it.
var layers = map[string]string{
	"response-cache": "DATELINE_CACHE_MEMORY_MB=0", // cache_memory_mb: 0
	"item-cache":     "DATELINE_ITEM_CACHE_MB=0",   // item_cache_mb: 0 (no tag lists either)
	"tag-lists":      "DATELINE_TAG_LISTS=false",   // tag_lists: false
}

func layerNames() []string {
	names := make([]string, 0, len(layers))
	for n := range layers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// parseVariants parses -variants.
func parseVariants(spec string) ([]variant, error) {
	var out []variant
	seen := map[string]bool{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		v := variant{name: item}
		if item != "default" {
			for _, tok := range strings.Split(item, "+") {
				switch k, val, isEnv := strings.Cut(tok, "="); {
				case k == "bin" && val != "":
					v.bin = val
				case strings.HasPrefix(tok, "no-") && layers[strings.TrimPrefix(tok, "no-")] != "":
					v.env = append(v.env, layers[strings.TrimPrefix(tok, "no-")])
				case isEnv && (strings.HasPrefix(k, "DATELINE_") || k == "GOGC" || k == "GOMAXPROCS" || k == "GOMEMLIMIT"):
					v.env = append(v.env, tok)
				default:
					return nil, fmt.Errorf("-variants: %q is neither no-<layer> (layers: %s) nor DATELINE_KEY=VALUE (or GOGC, GOMAXPROCS, GOMEMLIMIT) nor bin=PATH", tok, strings.Join(layerNames(), ", "))
				}
			}
		}
		if seen[v.name] {
			return nil, fmt.Errorf("-variants: %q twice", v.name)
		}
		seen[v.name] = true
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, errors.New("-variants: none given")
	}
	return out, nil
}

// pinSelf moves every thread of this process to the CPUs other than 0.
func pinSelf() error {
	if numCPU() < 2 {
		return errors.New("-pin needs at least 2 CPUs")
	}
	out, err := exec.Command("taskset", "-a", "-cp", fmt.Sprintf("1-%d", numCPU()-1), fmt.Sprint(os.Getpid())).CombinedOutput()
	if err != nil {
		return fmt.Errorf("-pin: taskset: %w: %s", err, out)
	}
	return nil
}

// diskBytes is the size of the database file and its WAL.
func diskBytes(path string) int64 {
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return n
}

// loadAverage returns the machine's load averages (1, 5, 15 minutes) from
// /proc/loadavg, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if err != nil || len(f) < 3 {
		return "unknown"
	}
	return "load average " + strings.Join(f[:3], ", ")
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

// waitUp waits until GET u answers 200, for at most waitTimeout; it gives
// up at once when exited (if not nil) is closed: the server exited, e.g.
// refusing a database newer than it.
func waitUp(ctx context.Context, u string, exited <-chan struct{}) error {
	deadline := time.Now().Add(waitTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("exited before it served")
		default:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("not up after %s", waitTimeout)
}

// diesWithUs has a child process sent SIGTERM when this one dies (killed,
// a broken output pipe, a test binary's timeout) before it could stop it.
func diesWithUs() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} }

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
