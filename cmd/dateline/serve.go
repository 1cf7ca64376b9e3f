package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/prometheus/client_golang/prometheus"

	"dateline/admin"
	"dateline/auth"
	"dateline/content/photo"
	"dateline/content/rendition"
	"dateline/content/schedule"
	"dateline/content/webhook"
)

// app is everything one server run holds.
type app struct {
	cfg Config
	db  Store
	log *slog.Logger
	// lines, if set, writes the request log in log's format (newLogger);
	// without it the request log goes through log.
	lines *requestLines
	// metrics is the server's Prometheus registry; background workers
	// register their collectors into it before newRouter runs. newRouter
	// creates it when nil.
	metrics *prometheus.Registry

	keys []auth.Key // token signing keys, current first (keys.go)
	// clock, if set, replaces time.Now for tokens and login throttling;
	// tests freeze it.
	clock func() time.Time

	sched      *schedule.Scheduler // set by newBackground
	hooks      *webhook.Dispatcher // set by newBackground
	renditions *rendition.Worker   // set by newBackground
	// images bounds the memory of image decoding, shared by uploads and
	// the rendition workers.
	images *photo.Budget

	// media, if set, replaces the data directory's media/ for uploads;
	// tests put failing and recording file systems there.
	media admin.MediaFiles
}

// mediaFiles is where uploads are written: media/ in the data directory.
func (a *app) mediaFiles() admin.MediaFiles {
	if a.media != nil {
		return a.media
	}
	return admin.MediaDir(filepath.Join(a.cfg.DataDir, "media"))
}

// spoolDir is where uploads are read into before they are checked: tmp/ in
// the data directory, never served.
func (a *app) spoolDir() string { return filepath.Join(a.cfg.DataDir, "tmp") }

// openApp reads the config, prepares the data directory and opens (and
// migrates) the database.
func openApp(ctx context.Context, flags commonFlags, getenv func(string) string, stderr io.Writer) (*app, error) {
	cfg, err := loadConfig(flags, getenv)
	if err != nil {
		return nil, err
	}
	return openAppWith(ctx, cfg, stderr)
}

// openAppWith is openApp with the config already loaded.
func openAppWith(ctx context.Context, cfg Config, stderr io.Writer) (*app, error) {
	log, lines := newLogger(cfg, stderr)
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(cfg.DataDir, "media"), 0o750); err != nil {
		db.Close()
		return nil, fmt.Errorf("data directory: %w", err)
	}
	a := &app{cfg: cfg, db: db, log: log, lines: lines, metrics: newMetricsRegistry(db), images: photo.NewBudget(cfg.imageBudget())}
	return a, nil
}

// newLogger returns the server's logger, writing to w in the configured
// format and level, and the request log's writer of the same lines into
// the same w (requestLines).
func newLogger(cfg Config, w io.Writer) (*slog.Logger, *requestLines) {
	level, _ := cfg.logLevel()
	opts := &slog.HandlerOptions{Level: level}
	shared := &sharedWriter{w: w}
	json := cfg.LogFormat == "json"
	var log *slog.Logger
	if json {
		log = slog.New(slog.NewJSONHandler(shared, opts))
	} else {
		log = slog.New(slog.NewTextHandler(shared, opts))
	}
	return log, &requestLines{log: log, w: shared, json: json}
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var flags commonFlags
	fs := newFlagSet("migrate", stderr)
	flags.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	a, err := openApp(ctx, flags, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
	v, err := a.db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", a.db.Path(), v)
	return nil
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var flags commonFlags
	fs := newFlagSet("serve", stderr)
	flags.register(fs)
	flags.registerListen(fs)
	withDemo := fs.Bool("demo", false, "fill an empty data directory with the demo newsroom")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	cfg, err := loadConfig(flags, getenv)
	if err != nil {
		return err
	}
	// The addresses are bound before anything is created or printed: a
	// taken port fails here, with no database made and no setup link
	// printed. Requests queue in the listen backlog until Serve (after the
	// catch-up below).
	ln, err := listen("addr", "--addr", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	listeners := []net.Listener{ln}
	if cfg.MetricsAddr != "" {
		mln, err := listen("metrics_addr", "", cfg.MetricsAddr)
		if err != nil {
			return err
		}
		defer mln.Close()
		listeners = append(listeners, mln)
	}
	cfg.followListener(ln.Addr())

	logs := newLogBuffer(stderr)
	logCtx, stopLogs := context.WithCancel(context.Background())
	logsDone := make(chan struct{})
	go func() { logs.run(logCtx); close(logsDone) }()
	defer func() { stopLogs(); <-logsDone }()
	a, err := openAppWith(ctx, cfg, logs)
	if err != nil {
		return err
	}
	defer a.db.Close()
	if baseURLMisses(a.cfg.BaseURL, a.cfg.Addr, ln.Addr()) {
		a.log.Warn("base_url does not point at this server: printed and served links will open another address; "+
			"leave base_url unset to follow --addr, or pass --base-url", "base_url", a.cfg.BaseURL, "addr", ln.Addr().String())
	}
	if getenv("GIN_MODE") == "" {
		gin.SetMode(gin.ReleaseMode) // no debug output; GIN_MODE=debug brings it back
	}
	if a.keys, err = signingKeys(a.cfg); err != nil {
		return err
	}
	if *withDemo {
		if err := a.seedDemo(ctx, stdout); err != nil {
			return err
		}
		if err := a.seedDemoUsers(ctx, stdout); err != nil {
			return err
		}
	}
	if err := a.printSetupLink(ctx, stdout); err != nil {
		return err
	}

	a.renderPublic(ctx)
	a.cleanSpool()
	a.newBackground()
	if err := registerCollectors(a.metrics, a.backgroundCollectors()...); err != nil {
		return err
	}
	a.catchUp(ctx) // before serving: no read sees an overdue story missing
	stopBackground := a.runBackground(ctx)
	defer stopBackground()

	srv := &http.Server{
		Handler:           newRouter(a),
		ReadHeaderTimeout: a.cfg.ReadHeaderTimeout,
		ReadTimeout:       a.cfg.ReadTimeout,
		WriteTimeout:      a.cfg.WriteTimeout,
		IdleTimeout:       a.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	servers := []*http.Server{srv}
	if len(listeners) > 1 {
		mln := listeners[1]
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metricsHandler(a.metrics))
		servers = append(servers, &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: a.cfg.ReadHeaderTimeout,
			ReadTimeout:       a.cfg.ReadTimeout,
			WriteTimeout:      a.cfg.WriteTimeout,
			IdleTimeout:       a.cfg.IdleTimeout,
			ErrorLog:          srv.ErrorLog,
		})
		a.log.Info("metrics serving", "addr", mln.Addr().String())
		fmt.Fprintf(stdout, "Metrics: http://%s/metrics\n", mln.Addr())
	}
	a.log.Info("dateline serving", "addr", ln.Addr().String(), "base_url", a.cfg.BaseURL, "data", a.cfg.DataDir, "database", a.db.Path(), "version", version)
	fmt.Fprintf(stdout, "Dateline is serving on http://%s/ (API: http://%s/api/v1/articles)\n", ln.Addr(), ln.Addr())
	fmt.Fprintf(stdout, "Admin app: %s/admin\n", trimSlash(a.cfg.BaseURL))

	errc := make(chan error, len(servers))
	for i, s := range servers {
		go func() { errc <- s.Serve(listeners[i]) }()
	}
	var serveErr error
	select {
	case err := <-errc:
		serveErr = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	stopBackground()
	for _, s := range servers {
		if err := s.Shutdown(shutdownCtx); err != nil && serveErr == nil {
			serveErr = fmt.Errorf("shutdown: %w", err)
		}
	}
	if serveErr != nil {
		return serveErr
	}
	for range servers {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	}
	return nil
}

// trimSlash drops the trailing slashes of a base URL.
func trimSlash(u string) string {
	for len(u) > 0 && u[len(u)-1] == '/' {
		u = u[:len(u)-1]
	}
	return u
}
