package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Loading a newsroom moved from another store (content/storecopy): rows
// go into the tables as they are, ids, times, hashes and all, in one
// transaction, and what this store derives from them (the search
// documents, the stored public JSON, the identity sequences) is made
// before it commits.

// Column is a column of a table of the database: its name and its
// PostgreSQL type as information_schema names it ("text", "bigint",
// "timestamp with time zone", "jsonb", ...).
type Column struct {
	Name, Type string
}

// Loader is the transaction Load hands its fn.
type Loader struct {
	db *DB
	tx *wtx
}

// Load runs fn in one transaction and commits when fn returns nil: a
// failed or refused load leaves the database as it was. It first removes
// the outbox cursors the migrations seed, so that fn copies the cursors
// of the newsroom it moves. It is not retried on a conflict: nothing else
// should be writing to a database being loaded.
func (db *DB) Load(ctx context.Context, fn func(l *Loader) error) error {
	return db.tryTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM outbox_cursors WHERE event_id = 0"); err != nil {
			return fmt.Errorf("clear the outbox cursors: %w", mapErr(err))
		}
		if err := fn(&Loader{db: db, tx: tx}); err != nil {
			return err
		}
		// The stored public JSON made in the transaction is the newsroom's
		// as it was, not a change readers saw: the copied outbox holds its
		// events. The generation moves to the last of them.
		tx.public = nil
		return tx.QueryRow(ctx, "SELECT COALESCE(max(id), 0) FROM events").Scan(&tx.last)
	})
}

// Tables returns the names of the database's tables, sorted.
func (l *Loader) Tables(ctx context.Context) ([]string, error) {
	rows, err := l.tx.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", mapErr(err))
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", mapErr(err))
	}
	return names, nil
}

// Columns returns the columns of table in their order.
func (l *Loader) Columns(ctx context.Context, table string) ([]Column, error) {
	rows, err := l.tx.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, mapErr(err))
	}
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Column, error) {
		var c Column
		err := r.Scan(&c.Name, &c.Type)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, mapErr(err))
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("the database has no table %s", table)
	}
	return cols, nil
}

// Count returns the number of rows of table.
func (l *Loader) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := l.tx.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, mapErr(err))
	}
	return n, nil
}

// Insert appends rows (values in the order of cols, in the Go types pgx
// encodes for the columns' types) to table with COPY; values of identity
// columns are taken as given.
func (l *Loader) Insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := l.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy into %s: %w", table, mapErr(err))
	}
	return nil
}

// Rows calls fn with every row of table's cols as pgx decodes them, in no
// particular order; jsonb values come as their text.
func (l *Loader) Rows(ctx context.Context, table string, cols []Column, fn func(vals []any) error) error {
	list := ""
	for i, c := range cols {
		if i > 0 {
			list += ", "
		}
		list += pgx.Identifier{c.Name}.Sanitize()
		if c.Type == "jsonb" {
			list += "::text"
		}
	}
	rows, err := l.tx.Query(ctx, "SELECT "+list+" FROM "+pgx.Identifier{table}.Sanitize())
	if err != nil {
		return fmt.Errorf("read %s: %w", table, mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return fmt.Errorf("read %s: %w", table, err)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", table, mapErr(err))
	}
	return nil
}

// Derive makes what the store derives from the loaded rows: every
// identity sequence continues after the largest id of its column, or after
// floors[table] where that is larger (ids handed out and since removed are
// not handed out again); every public story gets its search document and,
// with a renderer, its stored public JSON.
func (l *Loader) Derive(ctx context.Context, floors map[string]int64) error {
	rows, err := l.tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name`)
	if err != nil {
		return fmt.Errorf("list identity columns: %w", mapErr(err))
	}
	idents, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var c [2]string
		err := r.Scan(&c[0], &c[1])
		return c, err
	})
	if err != nil {
		return fmt.Errorf("list identity columns: %w", mapErr(err))
	}
	for _, c := range idents {
		table, col := pgx.Identifier{c[0]}.Sanitize(), pgx.Identifier{c[1]}.Sanitize()
		var top int64
		if err := l.tx.QueryRow(ctx, "SELECT COALESCE(max("+col+"), 0) FROM "+table).Scan(&top); err != nil {
			return fmt.Errorf("largest id of %s: %w", c[0], mapErr(err))
		}
		top = max(top, floors[c[0]])
		if top == 0 {
			continue
		}
		if _, err := l.tx.Exec(ctx, "SELECT setval(pg_get_serial_sequence($1, $2), $3, true)", c[0], c[1], top); err != nil {
			return fmt.Errorf("continue the ids of %s after %d: %w", c[0], top, mapErr(err))
		}
	}
	if _, err := l.tx.Exec(ctx, `UPDATE articles a SET search = `+searchDocument+` WHERE `+public("a"), l.db.tsConfig); err != nil {
		return fmt.Errorf("index the stories for search: %w", mapErr(err))
	}
	ids, err := storyIDs(ctx, l.tx, `SELECT a.id FROM articles a WHERE `+public("a")+` ORDER BY a.id`)
	if err != nil {
		return err
	}
	return l.db.refreshPublic(ctx, l.tx, ids)
}

// NextID returns the id the identity column col of table hands out next.
func (l *Loader) NextID(ctx context.Context, table, col string) (int64, error) {
	var seq string
	if err := l.tx.QueryRow(ctx, "SELECT pg_get_serial_sequence($1, $2)", table, col).Scan(&seq); err != nil {
		return 0, fmt.Errorf("the sequence of %s.%s: %w", table, col, mapErr(err))
	}
	var last int64
	var called bool
	if err := l.tx.QueryRow(ctx, "SELECT last_value, is_called FROM "+seq).Scan(&last, &called); err != nil {
		return 0, fmt.Errorf("the sequence of %s.%s: %w", table, col, mapErr(err))
	}
	if called {
		return last + 1, nil
	}
	return last, nil
}

// RenderKey is the render key the stored public JSON Derive makes is
// stored under; "" without a renderer.
func (l *Loader) RenderKey() string { return l.db.renderKey }
