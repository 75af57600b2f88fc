package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"xiezuo"
	"xiezuo/sqldb/sqldbtest"
)

func TestUnavailable(t *testing.T) {
	pg := func(code string) error { return &pgconn.PgError{Code: code, Message: "m"} }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"read-only standby 25006", pg("25006"), true},
		{"wrapped 25006", fmt.Errorf("store report: %w", pg("25006")), true},
		{"admin shutdown", pg("57P01"), true},
		{"crash shutdown", pg("57P02"), true},
		{"starting up", pg("57P03"), true},
		{"connection closed mid-statement", fmt.Errorf("add fund transaction: %w", pgconn.ErrConnClosed), true},
		{"connection failure 08006", pg("08006"), true},
		{"unique violation", pg("23505"), false},
		{"serialization failure", pg("40001"), false},
		{"syntax error", pg("42601"), false},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"reset", fmt.Errorf("query: %w", syscall.ECONNRESET), true},
		{"bad conn", driver.ErrBadConn, true},
		{"conn done", sql.ErrConnDone, true},
		{"unexpected EOF", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"plain", errors.New("no rows"), false},
		{"no rows", sql.ErrNoRows, false},
		{"cancelled", context.Canceled, false},
		{"domain unavailable", ErrFailover, true},
		{"domain conflict", xiezuo.Errorf(xiezuo.ECONFLICT, "重复"), false},
	}
	for _, tt := range tests {
		if got := Unavailable(tt.err); got != tt.want {
			t.Errorf("Unavailable(%s: %v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestTranslateFailover(t *testing.T) {
	err := translate(fmt.Errorf("submit report: %w", &pgconn.PgError{Code: "25006", Message: "cannot execute INSERT in a read-only transaction"}))
	if got, want := xiezuo.ErrorCode(err), xiezuo.EUNAVAILABLE; got != want {
		t.Errorf("ErrorCode(translate(25006)) = %q, want %q", got, want)
	}
	if got, want := xiezuo.ErrorMessage(err), "数据库正在切换，请稍后重试"; got != want {
		t.Errorf("ErrorMessage(translate(25006)) = %q, want %q", got, want)
	}
	// A constraint failure stays what it was.
	err = translate(&pgconn.PgError{Code: "23505", TableName: "units", ConstraintName: "units_district_name_key"})
	if got, want := xiezuo.ErrorCode(err), xiezuo.ECONFLICT; got != want {
		t.Errorf("ErrorCode(translate(23505)) = %q, want %q", got, want)
	}
}

// TestOpenMissingDatabase: a PostgreSQL address naming a database that does not exist is
// answered in words (create it, or check the name), not with the server's English.
func TestOpenMissingDatabase(t *testing.T) {
	u, err := url.Parse(sqldbtest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/xiezuo_no_such_database"
	_, err = Open(t.Context(), u.String())
	if xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND || !strings.Contains(xiezuo.ErrorMessage(err), "没有连接地址所指的数据库") {
		t.Errorf("Open of a missing database = %v (%q), want ENOTFOUND in words", err, xiezuo.ErrorMessage(err))
	}
}
