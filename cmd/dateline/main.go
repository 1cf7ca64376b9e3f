// Command dateline runs the Dateline newsroom CMS: the server (serve), schema
// migrations (migrate), accounts (user) and version information (version).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gin-gonic/gin"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	gin.SetMode(gin.ReleaseMode)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, os.Stdin)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "dateline:", err)
		}
		os.Exit(exitCode(err))
	}
}

const usage = `Usage: dateline <command> [flags]

Commands:
  serve     run the server (the default command)
  migrate   apply pending database migrations and exit
  backup    write a consistent backup (.tar.gz) while the server runs
  restore   restore a backup into an empty data directory
  copy      copy the newsroom from SQLite into an empty PostgreSQL database
  import    import stories from WordPress (wxr), Ghost or a Dateline export (ndjson)
  export    write every story, tag and author as NDJSON
  config    print the effective configuration (secrets redacted)
  media     make the renditions of the media library's photos (media renditions)
  user      add a user (user add) or set a password (user passwd)
  version   print the version

Run "dateline <command> -h" for the flags of a command.
`

// run is the whole program: it parses args, reads the config and runs one
// subcommand until it ends or ctx is cancelled. stdin, if given, is where
// commands read secrets (a password for "user"); main passes os.Stdin.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, stdin ...io.Reader) error {
	cmd := "serve"
	if len(args) > 0 && (isHelp(args[0]) || (len(args[0]) > 0 && args[0][0] != '-')) {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, args, getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, args, getenv, stdout, stderr)
	case "copy":
		return runCopy(ctx, args, getenv, stdout, stderr)
	case "config":
		return runConfig(ctx, args, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, args, getenv, stdout, stderr)
	case "export":
		return runExport(ctx, args, getenv, stdout, stderr)
	case "media":
		return runMedia(ctx, args, getenv, stdout, stderr)
	case "user":
		var in io.Reader
		if len(stdin) > 0 {
			in = stdin[0]
		}
		return runUser(ctx, args, getenv, in, stdout, stderr)
	case "version":
		return runVersion(args, stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 0 {
			return usageErrorf("help takes no arguments; for a command's flags run \"dateline %s -h\"", args[0])
		}
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return usageErrorf("unknown command %q (run \"dateline --help\" for the commands)", cmd)
	}
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dateline "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
