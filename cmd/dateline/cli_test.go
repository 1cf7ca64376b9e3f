package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cliRun runs the command line args with a config file of its own and the
// data directory data (DATELINE_DATA_DIR) and returns what it printed, the
// error and the exit code main would use.
func cliRun(t *testing.T, data string, args ...string) (stdout, stderr string, err error, code int) {
	t.Helper()
	env := envOf(map[string]string{"DATELINE_CONFIG": writeTemp(t, t.TempDir()), "DATELINE_DATA_DIR": data,
		"DATELINE_METRICS_ADDR": "127.0.0.1:0"})
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, env, &out, &errOut, strings.NewReader("a long enough password\n"))
	return out.String(), errOut.String(), err, exitCode(err)
}

func TestHelpListsTheCommands(t *testing.T) {
	for _, arg := range []string{"--help", "-h", "help", "-help"} {
		t.Run("dateline "+arg+" lists every command and exits 0", func(t *testing.T) {
			out, _, err, code := cliRun(t, filepath.Join(t.TempDir(), "data"), arg)
			if code != exitOK {
				t.Fatalf("exit %d: %v", code, err)
			}
			for _, cmd := range []string{"serve", "migrate", "backup", "restore", "copy", "config", "user", "version"} {
				if !strings.Contains(out, "\n  "+cmd+" ") {
					t.Errorf("%s is not listed:\n%s", cmd, out)
				}
			}
		})
	}
}

func TestMisuseIsOneLineAndExitTwoCreatingNothing(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in the one line
	}{
		{"an unknown flag of serve", []string{"serve", "--bogus"}, `-bogus; run "dateline serve -h" for its flags`},
		{"an unknown flag of migrate", []string{"migrate", "--bogus"}, `run "dateline migrate -h"`},
		{"an unknown flag of backup", []string{"backup", "--bogus", "x.tar.gz"}, `run "dateline backup -h"`},
		{"an unknown flag of restore", []string{"restore", "--bogus", "x.tar.gz"}, `run "dateline restore -h"`},
		{"an unknown flag of config", []string{"config", "--bogus"}, `run "dateline config -h"`},
		{"an unknown flag of user add", []string{"user", "add", "--bogus"}, `run "dateline user add -h"`},
		{"an unknown flag of version", []string{"version", "--bogus"}, `run "dateline version -h"`},
		{"an unknown flag of import", []string{"import", "--bogus", "wxr", "x.xml"}, `run "dateline import -h"`},
		{"an unknown flag of export", []string{"export", "--bogus"}, `run "dateline export -h"`},
		{"an unknown flag of media renditions", []string{"media", "renditions", "--bogus"}, `run "dateline media renditions -h"`},
		{"an extra argument to media renditions", []string{"media", "renditions", "junk"}, `media renditions takes no arguments`},
		{"import without a file", []string{"import", "wxr"}, "name a format and a file"},
		{"export with two files", []string{"export", "a.ndjson", "b.ndjson"}, "at most one file"},
		{"a flag without its value", []string{"serve", "--addr"}, "flag needs an argument: -addr"},
		{"--addr on backup, which does not listen", []string{"backup", "--addr", "x:1", "x.tar.gz"}, "-addr"},
		{"--addr on migrate", []string{"migrate", "--addr", "x:1"}, "-addr"},
		{"a passwd flag on user add", []string{"user", "add", "--email", "a@b.example", "--generate"}, "-generate"},
		{"an add flag on user passwd", []string{"user", "passwd", "--email", "a@b.example", "--role", "admin"}, "-role"},
		{"user without a subcommand", []string{"user"}, `say "add" or "passwd", not nothing`},
		{"user with an unknown subcommand", []string{"user", "bogus"}, `say "add" or "passwd", not "bogus"`},
		{"user add without --email", []string{"user", "add", "--name", "X", "--role", "author"}, "--email is required"},
		{"an extra argument to version", []string{"version", "junk"}, `version takes no arguments, got "junk"`},
		{"an extra argument to serve", []string{"serve", "junk"}, `serve takes no arguments, got "junk"`},
		{"an extra argument to migrate", []string{"migrate", "junk"}, `migrate takes no arguments`},
		{"an extra argument to config", []string{"config", "junk"}, `config takes no arguments`},
		{"an extra argument to user add", []string{"user", "add", "--email", "a@b.example", "junk"}, `user add takes no arguments`},
		{"backup without a file", []string{"backup"}, "name one file"},
		{"an unknown command", []string{"publish"}, `unknown command "publish"`},
		{"help with an argument", []string{"help", "serve"}, `dateline serve -h`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			out, errOut, err, code := cliRun(t, data, tt.args...)
			if code != exitUsage {
				t.Fatalf("exit %d (%v), want %d", code, err, exitUsage)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, want one line with %q", msg, tt.want)
			}
			if out != "" || errOut != "" {
				t.Errorf("printed more than the one line: stdout %q, stderr %q", out, errOut)
			}
			if _, err := os.Stat(data); err == nil {
				t.Errorf("the data directory was created")
			}
		})
	}
}

func TestEachCommandListsOnlyItsOwnFlags(t *testing.T) {
	tests := []struct {
		args       []string
		want, nots []string
	}{
		{[]string{"serve", "-h"}, []string{"-addr", "-base-url", "-data", "-config", "-demo"}, nil},
		{[]string{"config", "-h"}, []string{"-addr", "-base-url", "-data", "-config"}, []string{"-demo"}},
		{[]string{"migrate", "-h"}, []string{"-data", "-config"}, []string{"-addr", "-base-url", "-demo"}},
		{[]string{"backup", "-h"}, []string{"-data", "-config", "BACKUP.tar.gz"}, []string{"-addr", "-base-url"}},
		{[]string{"restore", "-h"}, []string{"-data", "-config", "BACKUP.tar.gz"}, []string{"-addr", "-base-url"}},
		{[]string{"user", "-h"}, []string{"user add", "user passwd"}, []string{"-addr"}},
		{[]string{"user", "add", "-h"}, []string{"dateline user add", "-role", "-password-stdin", "-data"}, []string{"-addr", "-generate", "user passwd"}},
		{[]string{"user", "passwd", "-h"}, []string{"dateline user passwd", "-generate", "-keep-api-keys"}, []string{"-addr", "-role", "user add"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " ")+" prints its own flags and exits 0", func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			out, errOut, err, code := cliRun(t, data, tt.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %v", code, err)
			}
			help := out + errOut
			for _, w := range tt.want {
				if !strings.Contains(help, w) {
					t.Errorf("%q missing from\n%s", w, help)
				}
			}
			for _, n := range tt.nots {
				if strings.Contains(help, n) {
					t.Errorf("%q is not a flag of this command but is listed:\n%s", n, help)
				}
			}
			if _, err := os.Stat(data); err == nil {
				t.Errorf("the data directory was created")
			}
		})
	}
}
