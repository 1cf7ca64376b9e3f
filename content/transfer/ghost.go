package transfer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The JSON file Ghost's Settings → Labs → Export writes (Ghost 4 and 5, and
// the same layout from earlier versions): {"db":[{"meta":{…},"data":{…}}]}
// whose data holds arrays of table rows: posts, tags, users and the join
// tables posts_tags, posts_authors and posts_meta.

type ghostPost struct {
	ID            string          `json:"id"`
	Title         string          `json:"title"`
	Slug          string          `json:"slug"`
	Lexical       *string         `json:"lexical"`
	Mobiledoc     *string         `json:"mobiledoc"`
	HTML          *string         `json:"html"`
	FeatureImage  *string         `json:"feature_image"`
	Featured      json.RawMessage `json:"featured"` // 0/1 or false/true
	Type          string          `json:"type"`     // post, page (Ghost 1–3: page true)
	Page          json.RawMessage `json:"page"`
	Status        string          `json:"status"`
	Visibility    string          `json:"visibility"`
	CreatedAt     json.RawMessage `json:"created_at"`
	UpdatedAt     json.RawMessage `json:"updated_at"`
	PublishedAt   json.RawMessage `json:"published_at"`
	CustomExcerpt *string         `json:"custom_excerpt"`
	CanonicalURL  *string         `json:"canonical_url"`
	AuthorID      string          `json:"author_id"` // Ghost 1–3
	// Ghost 1–3 keep these on the post; later versions in posts_meta.
	MetaTitle       *string `json:"meta_title"`
	MetaDescription *string `json:"meta_description"`
	CodeinjHead     *string `json:"codeinjection_head"`
	CodeinjFoot     *string `json:"codeinjection_foot"`
}

type ghostMeta struct {
	PostID              string  `json:"post_id"`
	MetaTitle           *string `json:"meta_title"`
	MetaDescription     *string `json:"meta_description"`
	FeatureImageAlt     *string `json:"feature_image_alt"`
	FeatureImageCaption *string `json:"feature_image_caption"`
	OGTitle             *string `json:"og_title"`
	TwitterTitle        *string `json:"twitter_title"`
}

type ghostTag struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Slug       string `json:"slug"`
	Visibility string `json:"visibility"`
}

type ghostUser struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Slug  string  `json:"slug"`
	Email string  `json:"email"`
	Bio   *string `json:"bio"`
}

type ghostJoin struct {
	PostID    string `json:"post_id"`
	TagID     string `json:"tag_id"`
	AuthorID  string `json:"author_id"`
	SortOrder int    `json:"sort_order"`
}

// ghostSite is what the first pass gathers: everything but the posts.
type ghostSite struct {
	tags    map[string]ghostTag
	users   map[string]ghostUser
	meta    map[string]ghostMeta
	postTag map[string][]ghostJoin // by post id
	postBy  map[string][]ghostJoin
}

// ReadGhost reads a Ghost export in two passes: the first gathers tags,
// users and the join tables, the second maps posts (and pages with
// Options.IncludePages). Options.SiteURL stands in for Ghost's
// __GHOST_URL__ placeholder and resolves relative addresses.
func ReadGhost(open Opener, opt Options) ReadFunc {
	return func(ctx context.Context, emit func(Element) error) error {
		site := &ghostSite{tags: map[string]ghostTag{}, users: map[string]ghostUser{}, meta: map[string]ghostMeta{},
			postTag: map[string][]ghostJoin{}, postBy: map[string][]ghostJoin{}}
		err := scanGhost(ctx, open, opt, func(table string, n int, raw json.RawMessage) error {
			var err error
			switch table {
			case "tags":
				var t ghostTag
				if err = json.Unmarshal(raw, &t); err == nil {
					site.tags[t.ID] = t
				}
			case "users":
				var u ghostUser
				if err = json.Unmarshal(raw, &u); err == nil {
					site.users[u.ID] = u
				}
			case "posts_meta":
				var m ghostMeta
				if err = json.Unmarshal(raw, &m); err == nil {
					site.meta[m.PostID] = m
				}
			case "posts_tags", "posts_authors":
				var j ghostJoin
				if err = json.Unmarshal(raw, &j); err == nil && table == "posts_tags" {
					site.postTag[j.PostID] = append(site.postTag[j.PostID], j)
				} else if err == nil {
					site.postBy[j.PostID] = append(site.postBy[j.PostID], j)
				}
			}
			if err != nil {
				return &FormatError{Format: "ghost", Where: fmt.Sprintf("%s[%d]", table, n), Why: jsonWhy(err)}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return scanGhost(ctx, open, opt, func(table string, n int, raw json.RawMessage) error {
			if table != "posts" {
				return nil
			}
			where := fmt.Sprintf("posts[%d]", n)
			var p ghostPost
			if err := json.Unmarshal(raw, &p); err != nil {
				return emit(Element{Source: "ghost", Where: where, Err: fmt.Errorf("json: %s", jsonWhy(err))})
			}
			if p.ID != "" {
				where = fmt.Sprintf("posts[%d] (post %s)", n, p.ID)
			}
			return emit(mapGhostPost(site, where, &p, opt))
		})
	}
}

// ghostTables are the arrays of data a reader looks at; others are passed
// over token by token.
var ghostTables = map[string]bool{"posts": true, "tags": true, "users": true, "posts_tags": true, "posts_authors": true, "posts_meta": true}

// scanGhost walks the export and calls row for every row of the tables it
// knows, each row decoded on its own, so memory is bounded by the largest
// row (at most Options.MaxElement bytes).
func scanGhost(ctx context.Context, open Opener, opt Options, row func(table string, n int, raw json.RawMessage) error) error {
	f, err := open()
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	bud := &budget{r: bufio.NewReaderSize(f, 64<<10)}
	d := json.NewDecoder(bud)
	fail := func(where string, err error) error {
		if errors.Is(err, errOverBudget) {
			return &FormatError{Format: "ghost", Where: where, Why: fmt.Sprintf("a row is larger than %d MiB", opt.maxElement()>>20)}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return &FormatError{Format: "ghost", Where: where, Why: "the file ends too early"}
		}
		return &FormatError{Format: "ghost", Where: where, Why: "malformed JSON: " + jsonWhy(err)}
	}
	tok, err := d.Token()
	if errors.Is(err, io.EOF) {
		return &FormatError{Format: "ghost", Why: "the file is empty"}
	}
	if err != nil || tok != json.Delim('{') {
		return &FormatError{Format: "ghost", Why: "not a Ghost export: the file is not a JSON object"}
	}
	found := false
	// The data object is at .db[0].data (Ghost's export) or at .data.
	var walk func(depth int) error
	walk = func(depth int) error {
		for d.More() {
			if err := ctx.Err(); err != nil {
				return err
			}
			keyTok, err := d.Token()
			if err != nil {
				return fail("", err)
			}
			key, _ := keyTok.(string)
			switch {
			case key == "db" && depth == 0:
				if t, err := d.Token(); err != nil || t != json.Delim('[') {
					return &FormatError{Format: "ghost", Where: "db", Why: "is not an array"}
				}
				if d.More() {
					if t, err := d.Token(); err != nil || t != json.Delim('{') {
						return &FormatError{Format: "ghost", Where: "db[0]", Why: "is not an object"}
					}
					if err := walk(1); err != nil {
						return err
					}
					if _, err := d.Token(); err != nil { // }
						return fail("db[0]", err)
					}
				}
				for d.More() {
					if err := skipValue(d); err != nil {
						return fail("db", err)
					}
				}
				if _, err := d.Token(); err != nil { // ]
					return fail("db", err)
				}
			case key == "data" && depth <= 1:
				found = true
				if t, err := d.Token(); err != nil || t != json.Delim('{') {
					return &FormatError{Format: "ghost", Where: "data", Why: "is not an object"}
				}
				if err := readTables(ctx, d, bud, opt, row, fail); err != nil {
					return err
				}
			default:
				if err := skipValue(d); err != nil {
					return fail(key, err)
				}
			}
		}
		return nil
	}
	if err := walk(0); err != nil {
		return err
	}
	if !found {
		return &FormatError{Format: "ghost", Why: "not a Ghost export: no data object"}
	}
	return nil
}

// readTables reads the members of the data object up to its closing brace.
func readTables(ctx context.Context, d *json.Decoder, bud *budget, opt Options,
	row func(table string, n int, raw json.RawMessage) error, fail func(string, error) error) error {
	for d.More() {
		keyTok, err := d.Token()
		if err != nil {
			return fail("data", err)
		}
		table, _ := keyTok.(string)
		if !ghostTables[table] {
			if err := skipValue(d); err != nil {
				return fail("data."+table, err)
			}
			continue
		}
		if t, err := d.Token(); err != nil || t != json.Delim('[') {
			return &FormatError{Format: "ghost", Where: "data." + table, Why: "is not an array"}
		}
		for n := 0; d.More(); n++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			var raw json.RawMessage
			bud.used, bud.limit = 0, opt.maxElement()
			err := d.Decode(&raw)
			bud.limit = 0
			if err != nil {
				return fail(fmt.Sprintf("%s[%d]", table, n), err)
			}
			if err := row(table, n, raw); err != nil {
				return err
			}
		}
		if _, err := d.Token(); err != nil { // ]
			return fail("data."+table, err)
		}
	}
	_, err := d.Token() // }
	if err != nil {
		return fail("data", err)
	}
	return nil
}

// skipValue reads past the next JSON value token by token, without
// holding it.
func skipValue(d *json.Decoder) error {
	depth := 0
	for {
		t, err := d.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// ghostString returns *s trimmed, or "".
func ghostString(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}
