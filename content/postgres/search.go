package postgres

import (
	"context"
	"fmt"
	"html"
	"strings"

	"dateline/content"
)

// Search on PostgreSQL: every write that changes a story's text or whether
// readers see it sets articles.search in its own transaction (syncSearch):
// the weighted tsvector of headline (A), standfirst (B) and body text (C)
// while the story is public, NULL otherwise, so the GIN index holds public
// stories only. A query (content.ParseQuery) becomes a tsquery of its
// phrases (words joined by <->, a trailing * a :* prefix), all of which
// must match; hits rank by ts_rank_cd, then newest first, and carry a
// ts_headline snippet with the matched words in <mark>.
//
// The text search configuration follows the newsroom's language
// (Options.Language: "en" english, "ru" russian, and so on), or simple
// where the server has none for it (textConfig).

const snippetWords = 24

// rankScale turns ts_rank_cd's float into the integer content.Match.Rank
// carries (and a search cursor with it).
const rankScale = 1_000_000

// languageConfigs maps BCP 47 primary language subtags to the text search
// configurations PostgreSQL ships.
var languageConfigs = map[string]string{
	"ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
	"es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
	"hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
	"ne": "nepali", "nl": "dutch", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese",
	"ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}

// textConfig returns the text search configuration for language (default
// English) that the server has, or "simple".
func (db *DB) textConfig(ctx context.Context, language string) (string, error) {
	tag := strings.ToLower(language)
	if tag == "" {
		tag = "en"
	}
	primary, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	want, ok := languageConfigs[primary]
	if !ok {
		return "simple", nil
	}
	var exists bool
	if err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = $1)", want).Scan(&exists); err != nil {
		return "", fmt.Errorf("read text search configurations: %w", mapErr(err))
	}
	if !exists {
		return "simple", nil
	}
	return want, nil
}

// ensureSearch makes the search documents follow db.tsConfig: when they
// were built with another configuration (the newsroom's language
// changed), it rebuilds every public story's in one transaction, under
// the migration lock, so instances starting at once rebuild once.
func (db *DB) ensureSearch(ctx context.Context) error {
	return db.withTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return fmt.Errorf("lock the search index: %w", mapErr(err))
		}
		var built string
		if err := tx.QueryRow(ctx, "SELECT config FROM search_config WHERE id = 1").Scan(&built); err != nil {
			return fmt.Errorf("read the search configuration: %w", mapErr(err))
		}
		if built == db.tsConfig {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE articles a SET search = `+searchDocument+` WHERE `+public("a"), db.tsConfig); err != nil {
			return fmt.Errorf("rebuild the search index for %s: %w", db.tsConfig, mapErr(err))
		}
		if _, err := tx.Exec(ctx, "UPDATE search_config SET config = $1 WHERE id = 1", db.tsConfig); err != nil {
			return fmt.Errorf("record the search configuration: %w", mapErr(err))
		}
		return nil
	})
}

// searchDocument is the search document of story a under the text search
// configuration $1.
var searchDocument = `setweight(to_tsvector($1::regconfig, ` + untagged("a.headline") + `), 'A') ||
	setweight(to_tsvector($1::regconfig, ` + untagged("a.standfirst") + `), 'B') ||
	setweight(to_tsvector($1::regconfig, ` + untagged("a.body_text") + `), 'C')`

// untagged is the SQL of text expr as the text search parser is to read
// it: every "<" followed by untagSep, so that the parser, which takes
// "<b>" for an HTML tag and drops it, reads the words of text such as a
// story quoting code ("<script>") as words, as content/sqlite's index
// does. untagSep is a separator to the parser and is removed from
// snippets.
func untagged(expr string) string { return "replace(" + expr + ", '<', '<' || chr(1))" }

const untagSep = "\x01"

// syncSearch sets the search document of story id as the story stands in
// tx: its weighted text while readers see it, NULL otherwise.
func (db *DB) syncSearch(ctx context.Context, tx *wtx, id string) error {
	if _, err := tx.Exec(ctx, `UPDATE articles a SET search = CASE WHEN `+public("a")+` THEN `+searchDocument+` END
		WHERE a.id = $2`, db.tsConfig, id); err != nil {
		return fmt.Errorf("index article %s for search: %w", id, mapErr(err))
	}
	return nil
}

// tsQuery returns the to_tsquery text of phrases: words are letters and
// digits only (content.ParseQuery), each quoted, so nothing in them is
// syntax.
func tsQuery(phrases []content.Phrase) string {
	parts := make([]string, 0, len(phrases))
	for _, p := range phrases {
		words := make([]string, len(p.Words))
		for i, w := range p.Words {
			words[i] = "'" + strings.ReplaceAll(w, "'", "") + "'"
		}
		if p.Prefix {
			words[len(words)-1] += ":*"
		}
		parts = append(parts, "("+strings.Join(words, " <-> ")+")")
	}
	return strings.Join(parts, " & ")
}

// Snippet markers: ts_headline marks matches with them, the text is then
// escaped, and they become <mark> elements.
const (
	markStart = "\x02"
	markStop  = "\x03"
)

// search returns the published stories matching f.Query (and f's other
// fields), in search order: rank, then published_at and id, higher first.
// A cursor must carry the rank of the hit it follows.
func (db *DB) search(ctx context.Context, q querier, f content.ArticleFilter) ([]*content.Article, error) {
	if f.After != nil && f.After.Rank == nil {
		return nil, &content.Error{Code: content.EINVALID, Message: "invalid cursor",
			Fields: []content.FieldError{{Field: "cursor", Message: "belongs to a list that is not a search"}}}
	}
	phrases, err := content.ParseQuery(f.Query)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = content.DefaultLimit
	}
	f.Statuses = []content.Status{content.StatusPublished}
	f.Deleted = false
	var p params
	cfg := p.add(db.tsConfig)
	tq := "to_tsquery(" + cfg + "::regconfig, " + p.add(tsQuery(phrases)) + ")"
	rank := "(ts_rank_cd(a.search, " + tq + ") * " + fmt.Sprint(rankScale) + ")::bigint"
	cond := append(articleConditions(f, &p), "a.search @@ "+tq)
	if len(f.Tags) > 0 {
		cond = append(cond, "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags tg ON tg.id = at.tag_id WHERE tg.slug = ANY("+p.add(f.Tags)+"))")
	}
	if f.After != nil {
		cond = append(cond, "("+rank+", a.published_at, a.id) < ("+p.add(*f.After.Rank)+", "+p.add(f.After.Time.UTC())+", "+p.add(f.After.ID)+")")
	}
	cols := summaryColumns
	if f.Full {
		cols += fullColumns
	}
	opts := fmt.Sprintf("StartSel=%s, StopSel=%s, MaxWords=%d, MinWords=%d, MaxFragments=1, FragmentDelimiter=\" … \"",
		markStart, markStop, snippetWords, snippetWords/2)
	query := "SELECT " + cols + ", " + rank + ", ts_headline(" + cfg + "::regconfig, " + untagged("a.headline || ' ' || a.standfirst || ' ' || a.body_text") + ", " + tq + ", " + p.add(opts) + ")" +
		" FROM articles a WHERE " + strings.Join(cond, " AND ") +
		" ORDER BY 23 DESC, a.published_at DESC, a.id DESC LIMIT " + p.add(limit)
	if f.Full {
		query = strings.Replace(query, "ORDER BY 23", "ORDER BY 27", 1)
	}
	rows, err := q.Query(ctx, query, p...)
	if err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	defer rows.Close()
	var as []*content.Article
	for rows.Next() {
		m := &content.Match{}
		var snippet string
		a, err := scanArticle(rows, f.Full, &m.Rank, &snippet)
		if err != nil {
			return nil, err
		}
		m.Snippet = strings.NewReplacer(markStart, "<mark>", markStop, "</mark>").Replace(html.EscapeString(strings.ReplaceAll(snippet, untagSep, "")))
		a.Match = m
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search articles: %w", mapErr(err))
	}
	rows.Close()
	if err := loadRelations(ctx, q, as, f.Full); err != nil {
		return nil, err
	}
	return as, nil
}
