package web

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"syscall"
	"testing"
	"xiezuo/sqldb"

	"github.com/jackc/pgx/v5/pgconn"

	"xiezuo"
)

// TestFailoverError: a request that fails while PostgreSQL changes its primary answers 503
// with 数据库正在切换，请稍后重试, never a generic 500; other failures keep their status.
func TestFailoverError(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		status  int
		message string
	}{
		{"standby refuses a write", fmt.Errorf("submit: %w", &pgconn.PgError{Code: "25006"}), http.StatusServiceUnavailable, "数据库正在切换，请稍后重试"},
		{"server shut down", &pgconn.PgError{Code: "57P01"}, http.StatusServiceUnavailable, "数据库正在切换，请稍后重试"},
		{"connection closed mid-statement", fmt.Errorf("add fund transaction: %w", pgconn.ErrConnClosed), http.StatusServiceUnavailable, "数据库正在切换，请稍后重试"},
		{"evidence disk full", fmt.Errorf("store evidence: %w", &os.PathError{Op: "write", Path: "/srv/e", Err: syscall.ENOSPC}), http.StatusServiceUnavailable, sqldb.DiskFullMessage},
		{"other failure", errors.New("boom"), http.StatusInternalServerError, "系统内部错误，请联系管理员"},
		{"domain conflict", xiezuo.Errorf(xiezuo.ECONFLICT, "重复"), http.StatusConflict, "重复"},
	}
	for _, tt := range tests {
		err := failoverError(tt.err)
		if got := statusOf(err); got != tt.status {
			t.Errorf("statusOf(failoverError(%s)) = %d, want %d", tt.name, got, tt.status)
		}
		if got := xiezuo.ErrorMessage(err); got != tt.message {
			t.Errorf("ErrorMessage(failoverError(%s)) = %q, want %q", tt.name, got, tt.message)
		}
	}
	if got := codeOf(http.StatusServiceUnavailable); got != xiezuo.EUNAVAILABLE {
		t.Errorf("codeOf(503) = %q, want %q", got, xiezuo.EUNAVAILABLE)
	}
}
