package sqlite

/*
#include <stdint.h>
#include <string.h>

// The few SQLite C API calls the ranking function needs, declared here
// rather than through sqlite3.h: the SQLite library is the one
// github.com/mattn/go-sqlite3 compiles into the binary, whose API symbols
// are global.
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_context sqlite3_context;
typedef struct sqlite3_value sqlite3_value;
typedef struct sqlite3_api_routines sqlite3_api_routines;
extern int sqlite3_create_function(sqlite3 *db, const char *name, int nArg, int flags, void *app,
	void (*xFunc)(sqlite3_context *, int, sqlite3_value **),
	void (*xStep)(sqlite3_context *, int, sqlite3_value **),
	void (*xFinal)(sqlite3_context *));
extern const void *sqlite3_value_blob(sqlite3_value *v);
extern int sqlite3_value_bytes(sqlite3_value *v);
extern void sqlite3_result_int64(sqlite3_context *ctx, long long n);
extern int sqlite3_auto_extension(void (*entry)(void));
extern int sqlite3_db_config(sqlite3 *db, int op, ...);

#define DATELINE_SQLITE_UTF8 1
#define DATELINE_SQLITE_DETERMINISTIC 0x000000800
#define DATELINE_SQLITE_DBCONFIG_ENABLE_QPSG 1007

// Column weights and per-column caps of the rank: headline, standfirst,
// body (see the Go comment on rank.go).
static const int64_t rank_weight[3] = {60, 12, 2};
static const int64_t rank_cap[3] = {2, 3, 10};

// dateline_rank(matchinfo(t, 'pcy')): the blob is native-endian uint32s,
// phrase count, column count, then per phrase and column the hits in this
// row. A blob too short for what it claims, or claiming more phrases or
// columns than any query has (which also keeps the size arithmetic far
// from overflow), ranks 0.
static void dateline_rank(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
	const unsigned char *mi = sqlite3_value_blob(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	if (mi == 0 || n < 8) {
		sqlite3_result_int64(ctx, 0);
		return;
	}
	uint32_t head[2];
	memcpy(head, mi, 8);
	uint64_t phrases = head[0], cols = head[1];
	if (phrases > 4096 || cols > 64 || (uint64_t)n < 4 * (2 + phrases * cols)) {
		sqlite3_result_int64(ctx, 0);
		return;
	}
	int64_t score = 0;
	for (uint64_t p = 0; p < phrases; p++) {
		for (uint64_t c = 0; c < cols && c < 3; c++) {
			uint32_t hits;
			memcpy(&hits, mi + 4 * (2 + c + p * cols), 4);
			score += rank_weight[c] * (hits < rank_cap[c] ? (int64_t)hits : rank_cap[c]);
		}
	}
	sqlite3_result_int64(ctx, score);
}

// dateline_connection sets up every connection: the query planner
// stability guarantee on (see registerFunctions), then dateline_rank.
static int dateline_connection(sqlite3 *db, const char **err, const sqlite3_api_routines *api) {
	int rc = sqlite3_db_config(db, DATELINE_SQLITE_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
	if (rc != 0) {
		return rc;
	}
	return sqlite3_create_function(db, "dateline_rank", 1, DATELINE_SQLITE_UTF8 | DATELINE_SQLITE_DETERMINISTIC,
		0, dateline_rank, 0, 0);
}

static int dateline_register(void) {
	return sqlite3_auto_extension((void (*)(void))dateline_connection);
}
*/
import "C"

import (
	"database/sql"
	"fmt"
	"sync"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// Search ranking: FTS4 has no bm25, so dateline_rank(matchinfo(t, 'pcy'))
// scores a hit from the hit counts of each phrase in each column of the row
// alone: column weight × hits, with hits capped per column (headline 60 ×
// at most 2, standfirst 12 × at most 3, body 2 × at most 10). Global
// statistics are left out on purpose: a story's rank then depends only on
// its own text and the query, so the keyset (rank, published_at, id) is a
// fixed order and search pages never repeat or skip a story while others
// are published. The weights make any headline hit of a phrase outrank any
// hits of it elsewhere (60 > 3×12 + 10×2).
//
// The function is written in C because SQLite calls it once for every
// matching story of every search: through the driver's Go callbacks that
// cost about a microsecond per call, more than the full-text match itself.
//
// registerFunctions makes every SQLite connection the process opens from
// now on have dateline_rank and the query planner stability guarantee
// (an automatic extension is process-wide, so it is registered once), and
// registers the database/sql driver driverName, whose connections also
// have dateline_terms (searchTerms: written in Go, so added by the driver
// to each of its connections).
//
// The stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) makes a
// statement's plan independent of the values bound to it. Without it the
// planner lets a bound value shape the plan of a join or an ORDER BY with
// a "column = ?" term, and marks the statement to be prepared again when
// that value changes; the driver clears the bindings of every statement it
// takes from its cache, so such a statement was compiled again on every
// run (7 of the 13 µs of reading a stored story by slug). The reads lose
// nothing by it: the partial indexes they use match literals in their SQL
// (public, visible.go), never bound values, and no LIKE of theirs has a
// pattern an index could use. TestReadsCompileTheirStatementsOnce checks
// the delivery API's reads.
var registerFunctions = sync.OnceValue(func() error {
	if rc := C.dateline_register(); rc != 0 {
		return fmt.Errorf("register SQL functions: sqlite error %d", int(rc))
	}
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		return c.RegisterFunc("dateline_terms", searchTerms, true)
	}})
	return nil
})

// DriverName is the database/sql driver name under which a Dateline
// database must be opened by anything that writes to it besides DB (tests
// that set up states no store method writes): its connections have the
// SQL functions the schema's triggers and views call.
func DriverName() (string, error) {
	if err := registerFunctions(); err != nil {
		return "", err
	}
	return driverName, nil
}
