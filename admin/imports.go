package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/auth"
	"dateline/content"
	"dateline/content/transfer"
)

// ImportOptions configure the import endpoint.
type ImportOptions struct {
	// PhotoClient fetches photos for imports that ask for it: give it the
	// SSRF-safe client of webhooks (webhook.NewClient). Nil refuses them.
	PhotoClient *http.Client
	// SpoolDir holds an uploaded export while it is imported: the data
	// directory, which has room for the newsroom (/tmp may be memory).
	SpoolDir string
	// Zone is the newsroom's IANA time zone, for dates a file gives in
	// local time only (a WordPress draft's); default UTC.
	Zone string
}

// NewWithImports is NewWithMedia with the import endpoint configured.
func NewWithImports(store Store, files MediaFiles, log *slog.Logger, imp ImportOptions) *API {
	return NewWithOptions(store, files, log, Options{Imports: imp})
}

// MaxImport limits the file an import request may send; the server's
// general body limit does not apply to POST /imports.
const MaxImport int64 = 4 << 30

// ImportTimeout bounds an import request, upload and import together, in
// place of the server's read and write timeouts.
const ImportTimeout = 2 * time.Hour

// importReaders are the formats of POST /imports, by the format parameter.
var importReaders = map[string]func(transfer.Opener, transfer.Options) transfer.ReadFunc{
	"wxr":    transfer.ReadWXR,
	"ghost":  transfer.ReadGhost,
	"ndjson": transfer.ReadNDJSON,
}

// importParams are the query parameters POST /imports accepts.
var importParams = map[string]bool{"format": true, "dry_run": true, "update": true, "pages": true, "site": true, "source": true, "fetch_photos": true}

// importLine is one line of the streamed answer of POST /imports: progress
// (the counts so far) after every batch, then one report with every
// problem (or one error when the file could not be read on; what was
// imported before it stays).
type importLine struct {
	Type   string           `json:"type"` // progress, report, error
	Report *transfer.Report `json:"report,omitempty"`
	Error  *Problem         `json:"error,omitempty"`
}

// handleImport serves POST /imports?format=wxr|ghost|ndjson for admins:
// the body is the export file (any content type), which is kept in a
// temporary file for the import's two passes and removed afterwards.
// Parameters: dry_run, update, pages and fetch_photos (true or false), site
// (the old site's address) and source (a source name instead of the
// file's own).
// Bad parameters and refused callers get a problem before anything is
// read. Then the answer is 200 with NDJSON: a "progress" line after every
// batch and a final "report" line with every problem (element, what, why),
// or an "error" line with a problem when the file as a whole could not be
// read on. Photos stay external addresses unless fetch_photos, which
// downloads them with PhotoClient into the media library.
func (api *API) handleImport(c *gin.Context) {
	if !user(c).Role.AtLeast(auth.RoleAdmin) {
		api.problem(c, forbid("only admins can import"))
		return
	}
	q := c.Request.URL.Query()
	var p content.Problems
	for k := range q {
		if !importParams[k] {
			p.Add(k, "is not a parameter of an import")
		}
	}
	read, ok := importReaders[q.Get("format")]
	if !ok {
		p.Add("format", "must be wxr, ghost or ndjson")
	}
	flag := func(name string) bool {
		v := q.Get(name)
		if v == "" {
			return false
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			p.Add(name, "must be true or false")
		}
		return b
	}
	opt := transfer.RunOptions{ImportOptions: content.ImportOptions{
		Source: q.Get("source"), DryRun: flag("dry_run"), Update: flag("update"), By: user(c).ID}}
	if flag("fetch_photos") && !opt.DryRun {
		if api.PhotoClient == nil {
			p.Add("fetch_photos", "this server does not fetch photos")
		} else {
			opt.Photos = &transfer.Fetcher{Client: api.PhotoClient, Media: api, MaxBytes: MaxUpload, By: user(c).ID}
		}
	}
	ropt := transfer.Options{Zone: api.importZone, IncludePages: flag("pages"), SiteURL: q.Get("site")}
	if err := p.Err(); err != nil {
		api.problem(c, err)
		return
	}
	// An export file takes longer to send, and an import to run, than the
	// server's read and write timeouts allow other requests.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Now().Add(ImportTimeout))
	_ = rc.SetWriteDeadline(time.Now().Add(ImportTimeout))
	path, err := api.spoolImport(c)
	if err != nil {
		api.problem(c, err)
		return
	}
	defer os.Remove(path)

	c.Header("Content-Type", "application/x-ndjson")
	c.Status(http.StatusOK)
	enc := json.NewEncoder(c.Writer)
	write := func(l importLine) {
		if err := enc.Encode(l); err == nil {
			c.Writer.Flush()
		}
	}
	opt.Progress = func(r *transfer.Report) {
		// Counts only: the lists come once, with the final report.
		p := *r
		p.Problems, p.KeptWhy, p.NeedsCredit = nil, nil, nil
		write(importLine{Type: "progress", Report: &p})
	}
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	start := time.Now()
	rep, err := transfer.Run(c.Request.Context(), api.Imports, read(open, ropt), opt)
	if err != nil {
		pr := importProblem(err)
		if pr.Status == http.StatusInternalServerError {
			api.Log.ErrorContext(c.Request.Context(), "import failed", "err", err)
		}
		write(importLine{Type: "error", Report: rep, Error: &pr})
		return
	}
	api.Log.Info("import", "source", rep.Source, "dry_run", rep.DryRun, "created", rep.Created, "updated", rep.Updated,
		"failed", rep.Failed, "took", time.Since(start).Round(time.Millisecond))
	write(importLine{Type: "report", Report: rep})
}

// spoolImport copies the request body, at most MaxImport bytes, to a temporary
// file in SpoolDir and returns its path.
func (api *API) spoolImport(c *gin.Context) (string, error) {
	f, err := os.CreateTemp(api.SpoolDir, ".dateline-import-*")
	if err != nil {
		return "", fmt.Errorf("spool import: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(c.Request.Body, MaxImport+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		os.Remove(f.Name())
		return "", fmt.Errorf("spool import: %w", err)
	case n > MaxImport:
		os.Remove(f.Name())
		return "", tooLarge(MaxImport)
	case n == 0:
		os.Remove(f.Name())
		return "", invalid("body", "send the export file as the request body")
	}
	return f.Name(), nil
}

// importProblem is the problem of an import that stopped once its answer
// had begun (so writeProblem cannot answer it): a file that cannot be read
// on is invalid (400); a full disk 503; anything else by statusOf.
func importProblem(err error) Problem {
	code, detail := content.ErrorCode(err), content.ErrorMessage(err)
	var fe *transfer.FormatError
	switch {
	case errors.As(err, &fe):
		code, detail = content.EINVALID, fe.Error()
	case code == content.EINTERNAL && content.DiskFull(err):
		code, detail = content.EUNAVAILABLE, content.MsgDiskFull
	}
	status := statusOf(code)
	return Problem{Type: "https://dateline.dev/problems/" + code, Title: statusTitle(status), Status: status,
		Detail: detail, Code: code, Errors: content.ErrorFields(err)}
}
