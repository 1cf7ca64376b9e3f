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

	"dateline/auth"
	"dateline/content/schedule"
	"dateline/content/sqlite"
	"dateline/content/webhook"
)

// app is everything one server run holds.
type app struct {
	cfg Config
	db  *sqlite.DB
	log *slog.Logger

	keys []auth.Key // token signing keys, current first (keys.go)
	// clock, if set, replaces time.Now for tokens and login throttling;
	// tests freeze it.
	clock func() time.Time

	sched *schedule.Scheduler // set by newBackground
	hooks *webhook.Dispatcher // set by newBackground
}

// openApp reads the config, prepares the data directory and opens (and
// migrates) the database.
func openApp(ctx context.Context, flags commonFlags, getenv func(string) string, stderr io.Writer) (*app, error) {
	cfg, err := loadConfig(flags, getenv)
	if err != nil {
		return nil, err
	}
	log := newLogger(cfg, stderr)
	if err := os.MkdirAll(filepath.Join(cfg.DataDir, "media"), 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, "dateline.db"), sqlite.Options{Zone: cfg.TimeZone})
	if err != nil {
		return nil, err
	}
	return &app{cfg: cfg, db: db, log: log}, nil
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	level, _ := cfg.logLevel()
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var flags commonFlags
	fs := newFlagSet("migrate", stderr)
	flags.register(fs)
	if err := fs.Parse(args); err != nil {
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
	withDemo := fs.Bool("demo", false, "fill an empty data directory with the demo newsroom")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := openApp(ctx, flags, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.db.Close()
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

	a.newBackground()
	stopBackground := a.runBackground(ctx)
	defer stopBackground()

	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           newRouter(a),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	a.log.Info("dateline serving", "addr", ln.Addr().String(), "base_url", a.cfg.BaseURL, "data", a.cfg.DataDir, "version", version)
	fmt.Fprintf(stdout, "Dateline is serving on http://%s/ (API: http://%s/api/v1/articles)\n", ln.Addr(), ln.Addr())
	fmt.Fprintf(stdout, "Admin app: %s/admin\n", trimSlash(a.cfg.BaseURL))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stopBackground()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
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
