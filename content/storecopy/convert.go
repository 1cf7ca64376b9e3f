package storecopy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"dateline/content/postgres"
)

// convert turns a value SQLite stored (nil, int64, float64, string,
// []byte; packed values already unpacked) into the Go value pgx encodes
// for a PostgreSQL column of type typ. SQLite stores instants as text in
// UTC (sqlite.TimeLayout) and an unset one as NULL or, in a few NOT NULL
// columns, as ""; booleans as 0 and 1; JSON as text.
func convert(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "timestamp with time zone":
		s, ok := text(v)
		if !ok {
			return nil, fmt.Errorf("an instant stored as %T", v)
		}
		if s == "" {
			return nil, nil
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("an instant stored as %q: %w", s, err)
		}
		return t.UTC(), nil
	case "boolean":
		n, ok := v.(int64)
		if !ok {
			return nil, fmt.Errorf("a boolean stored as %T", v)
		}
		return n != 0, nil
	case "jsonb":
		s, ok := text(v)
		if !ok || !json.Valid([]byte(s)) {
			return nil, fmt.Errorf("JSON that is not valid")
		}
		return s, nil
	case "bytea":
		switch v := v.(type) {
		case []byte:
			return v, nil
		case string:
			return []byte(v), nil
		}
	case "text":
		s, ok := text(v)
		if !ok {
			return nil, fmt.Errorf("text stored as %T", v)
		}
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("text that is not UTF-8")
		}
		return s, nil
	case "integer", "bigint", "smallint":
		if n, ok := v.(int64); ok {
			return n, nil
		}
	case "double precision", "real":
		switch v := v.(type) {
		case float64:
			return v, nil
		case int64:
			return float64(v), nil
		}
	default:
		return nil, fmt.Errorf("no conversion to the PostgreSQL type %s", typ)
	}
	return nil, fmt.Errorf("a %s stored as %T", typ, v)
}

// text is a TEXT (or BLOB) value as a string.
func text(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	}
	return "", false
}

// checksum sums rows whatever their order: the SHA-256 of the sorted
// SHA-256 digests of the rows' canonical forms (canon).
type checksum struct {
	rows [][sha256.Size]byte
}

// add adds a row of values in the order of cols.
func (c *checksum) add(vals []any, cols []postgres.Column) {
	var b bytes.Buffer
	for i, v := range vals {
		b.WriteString(canon(v, cols[i].Type))
		b.WriteByte(0x1f)
	}
	c.rows = append(c.rows, sha256.Sum256(b.Bytes()))
}

// String is the checksum in hex.
func (c *checksum) String() string {
	slices.SortFunc(c.rows, func(a, b [sha256.Size]byte) int { return bytes.Compare(a[:], b[:]) })
	h := sha256.New()
	for _, r := range c.rows {
		h.Write(r[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// canon is the canonical text of a value as sent to or read from
// PostgreSQL: instants in UTC to the nanosecond, numbers in decimal,
// bytes in hex, JSON with its keys sorted and its insignificant space
// removed (jsonb keeps neither key order nor spacing), NULL apart from
// every value.
func canon(v any, typ string) string {
	switch v := v.(type) {
	case nil:
		return "\x00"
	case time.Time:
		return "t" + v.UTC().Format(time.RFC3339Nano)
	case bool:
		return "b" + strconv.FormatBool(v)
	case int64:
		return "i" + strconv.FormatInt(v, 10)
	case int32:
		return "i" + strconv.FormatInt(int64(v), 10)
	case int16:
		return "i" + strconv.FormatInt(int64(v), 10)
	case float64:
		return "f" + strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		return "f" + strconv.FormatFloat(float64(v), 'g', -1, 32)
	case []byte:
		return "x" + hex.EncodeToString(v)
	case string:
		if typ == "jsonb" {
			return "j" + canonJSON(v)
		}
		return "s" + v
	}
	return fmt.Sprintf("?%T:%v", v, v)
}

// canonJSON is JSON text with sorted keys and no insignificant space;
// text that does not parse is returned as it is.
func canonJSON(s string) string {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return s
	}
	return string(b)
}
