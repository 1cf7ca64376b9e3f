package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadmeExamplesRunAsWritten runs the README's shell examples in order,
// the way a newcomer would from a fresh clone, and checks what each one
// documents (readme_blocks_test.go describes the markers). The examples run
// in one working directory holding the repository's config.yaml and
// nothing else, with the dateline binary this test builds first on PATH
// (the README's own build step is the one block it leaves to the reader).
// Variables a block assigns (TOKEN=…, ID=…) are there for the blocks after
// it, as in one terminal session.
//
// The only thing the test changes is the address, so that it can run beside
// anything else on the machine: the serve block runs with
// DATELINE_ADDR=127.0.0.1:0 and DATELINE_METRICS_ADDR=127.0.0.1:0, and
// every later block and expected fragment has localhost:8080 and
// 127.0.0.1:9091 replaced by the addresses that server printed.
func TestReadmeExamplesRunAsWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the README's examples against a demo server")
	}
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed, and CI=true: the README examples must run in CI", tool)
			}
			t.Skipf("%s is not installed: the README examples are not run", tool)
		}
	}
	md, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := parseReadme(string(md))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	binDir, work := filepath.Join(root, "bin"), filepath.Join(root, "work")
	for _, d := range []string{binDir, work} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	buildDateline(t, binDir)
	cfg, err := os.ReadFile(filepath.Join("..", "..", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "config.yaml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	sh := &readmeShell{top: t, dir: work, state: filepath.Join(root, "state.sh"),
		env: []string{"PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + work, "LANG=C.UTF-8", "TZ=UTC",
			"TMPDIR=" + os.TempDir(), "README_STATE=" + filepath.Join(root, "state.sh")}}

	failed := ""
	for _, b := range blocks {
		t.Run(fmt.Sprintf("line %d %s", b.line, firstCommand(b.text)), func(t *testing.T) {
			switch {
			case b.skip != "":
				t.Skipf("not run: %s", b.skip)
			case failed != "":
				t.Skipf("not run: the block at %s failed", failed)
			case b.serve:
				sh.serve(t, b)
			default:
				sh.run(t, b)
			}
			if t.Failed() {
				failed = fmt.Sprintf("line %d", b.line)
			}
		})
	}
	if !sh.served {
		t.Error("no README block is marked readme-test: serve")
	}
}

// readmeShell runs README blocks as one terminal session would.
type readmeShell struct {
	top        *testing.T // the test that runs every block
	dir, state string
	env        []string
	subs       *strings.Replacer // the README's addresses → the test server's
	served     bool
}

// firstCommand is the first line of a block that is not a comment, for the
// sub-test's name.
func firstCommand(text string) string {
	for line := range strings.SplitSeq(text, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			if len(line) > 50 {
				line = line[:50]
			}
			return line
		}
	}
	return ""
}

// command returns bash running script in the session's directory, in a
// process group of its own, so that the test can stop it and everything
// it started.
func (sh *readmeShell) command(ctx context.Context, script string, env ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = sh.dir
	cmd.Env = append(append([]string{}, sh.env...), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd
}

var (
	servingRe = regexp.MustCompile(`Dateline is serving on http://(\S+)/ `)
	metricsRe = regexp.MustCompile(`Metrics: http://(\S+)/metrics`)
)

// serve starts the block in the background, waits until the server says
// where it serves, and stops it (SIGINT to its process group) when the
// whole test ends.
func (sh *readmeShell) serve(t *testing.T, b readmeBlock) {
	cmd := sh.command(context.Background(), b.text, "DATELINE_ADDR=127.0.0.1:0", "DATELINE_METRICS_ADDR=127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut syncBuffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var out syncBuffer
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			out.Write([]byte(sc.Text() + "\n"))
		}
		done <- cmd.Wait()
	}()
	// Cleanup of the parent test: the server serves every later block.
	stop := func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		s := out.String()
		if m := servingRe.FindStringSubmatch(s); m != nil {
			pairs := []string{"localhost:8080", m[1]}
			if mm := metricsRe.FindStringSubmatch(s); mm != nil {
				pairs = append(pairs, "127.0.0.1:9091", mm[1])
			}
			sh.subs, sh.served = strings.NewReplacer(pairs...), true
			t.Logf("the demo server serves on %s:\n%s", m[1], s)
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the serve block stopped: %v\n%s%s", err, s, errOut.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("the serve block did not start serving within 90s:\n%s%s", s, errOut.String())
		}
	}
	for _, w := range b.wants {
		if !strings.Contains(out.String(), w) {
			t.Errorf("the server did not print %q:\n%s", w, out.String())
		}
	}
	sh.top.Cleanup(stop) // the server outlives the sub-test that started it
}

// run runs one block after the variables earlier blocks assigned and
// checks its exit status and output.
func (sh *readmeShell) run(t *testing.T, b readmeBlock) {
	if !sh.served {
		t.Fatal("a block runs before the serve block")
	}
	text := sh.subs.Replace(b.text)
	var save strings.Builder
	save.WriteString(": ; ")
	for _, name := range assignedNames(text) {
		fmt.Fprintf(&save, `if [ -n "${%s+x}" ]; then declare -p %s; fi; `, name, name)
	}
	script := "set -eo pipefail\n" +
		`if [ -f "$README_STATE" ]; then . "$README_STATE"; fi` + "\n" +
		"trap '{ " + save.String() + `} >> "$README_STATE"' EXIT` + "\n" +
		text
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := sh.command(ctx, script).CombinedOutput()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the block ran longer than 60s:\n%s\n--- output:\n%s", text, out)
	}
	if code != b.exit {
		t.Errorf("exit status %d, want %d", code, b.exit)
	}
	for _, w := range b.wants {
		if w = sh.subs.Replace(w); !strings.Contains(string(out), w) {
			t.Errorf("the output lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("block:\n%s\n--- output:\n%s", text, out)
	}
}
