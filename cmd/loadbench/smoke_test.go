package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"dateline/content/postgres/pgtest"
)

// TestMain also serves as the baseline's process: run starts its own
// executable (here the test binary) with -serve-baseline.
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == "-serve-baseline" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		if err := serveBaseline(ctx, os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	os.Exit(pgtest.Main(m))
}

// tinyRun is a run of the benchmark small enough for a test: a hundred
// stories, short turns, few connections.
func tinyRun(scenarios string) options {
	opt, _, err := parseFlags([]string{"-stories", "120", "-batch", "60", "-conns", "4", "-rounds", "1", "-duration", "300ms", "-warmup", "100ms",
		"-editors", "3", "-autosaves", "2", "-writers", "2", "-scenarios", scenarios}, func(string) string { return "" }, os.Stderr)
	if err != nil {
		panic(err)
	}
	return opt
}

// runTiny runs opt and returns what it printed.
func runTiny(t *testing.T, opt options) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and starts dateline serve")
	}
	var out strings.Builder
	if err := run(t.Context(), opt, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	return out.String()
}

// checkTables checks that the output has a row for each of names in its
// tables and that no row counted an error.
func checkTables(t *testing.T, out string, names ...string) {
	t.Helper()
	for _, n := range names {
		if !strings.Contains(out, "| "+n) {
			t.Errorf("no row %q in\n%s", n, out)
		}
	}
	if strings.Contains(out, "errors; statuses") {
		t.Errorf("a read scenario had errors:\n%s", out)
	}
	for line := range strings.Lines(out) {
		if f := strings.Split(line, " | "); strings.HasPrefix(line, "| each editor") && (len(f) < 9 || f[7] != "0" || f[3] == "0") {
			t.Errorf("the save scenario had errors or no saves: %s", line)
		}
	}
}

func TestSmokeOnSQLite(t *testing.T) {
	opt := tinyRun("list-warm,story-cold,304")
	out := runTiny(t, opt)
	checkTables(t, out, "list by tag, 30 tags rotating", "story by slug, cold (120)", "304 revalidation")
	if strings.Contains(out, "saves/s") || strings.Contains(out, "instance") {
		t.Errorf("the default run on SQLite changed its output:\n%s", out)
	}
}

func TestSmokeOnPostgreSQLWithTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts dateline serve")
	}
	opt := tinyRun("list-warm,story-cold,304,save")
	opt.db, opt.postgres, opt.instances = "postgres", pgtest.Open(t), 2
	start := time.Now()
	out := runTiny(t, opt)
	checkTables(t, out, "list by tag, 30 tags rotating", "story by slug, cold (120)", "304 revalidation", "each editor on a draft of their own | 1 |", "each editor on a draft of their own | 2 |")
	for _, want := range []string{"server (instance 1) resident memory", "server (instance 2) resident memory", "2 instances of each on one PostgreSQL database"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	t.Logf("ran in %s", time.Since(start).Round(time.Second))
}
