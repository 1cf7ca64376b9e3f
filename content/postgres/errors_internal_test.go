package postgres

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"dateline/content"
)

func TestServerErrorsBecomeContentErrorsInOnePlace(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		code  string
		retry bool
	}{
		{"a unique violation is a conflict", &pgconn.PgError{Code: "23505"}, content.ECONFLICT, false},
		{"a deadlock victim is unavailable and runs again", &pgconn.PgError{Code: "40P01"}, content.EUNAVAILABLE, true},
		{"a serialization failure is unavailable and runs again", &pgconn.PgError{Code: "40001"}, content.EUNAVAILABLE, true},
		{"too many connections is unavailable", &pgconn.PgError{Code: "53300"}, content.EUNAVAILABLE, false},
		{"a server shutting down is unavailable", &pgconn.PgError{Code: "57P01"}, content.EUNAVAILABLE, false},
		{"a full disk is unavailable", &pgconn.PgError{Code: "53100"}, content.EUNAVAILABLE, false},
		{"a syntax error stays an internal error", &pgconn.PgError{Code: "42601"}, content.EINTERNAL, false},
		{"a content error passes unchanged", content.Errorf(content.ENOTFOUND, "no such story"), content.ENOTFOUND, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mapErr(fmt.Errorf("wrapped: %w", tt.err))
			if got := content.ErrorCode(err); got != tt.code {
				t.Errorf("code %q, want %q (%v)", got, tt.code, err)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("%v no longer wraps %v", err, tt.err)
			}
			if got := retryable(err); got != tt.retry {
				t.Errorf("retryable = %v, want %v", got, tt.retry)
			}
		})
	}
	if mapErr(nil) != nil {
		t.Error("mapErr(nil) is not nil")
	}
}
