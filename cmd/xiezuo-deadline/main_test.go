package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"xiezuo/sqldb/sqldbtest"
)

// TestShort runs the program briefly against a server it builds and starts, on SQLite and on
// PostgreSQL: generated plans are stored, each unit's report on each of its duties is answered
// 201 (a second one would be refused: the run fails on any other answer), the server is killed twice during submissions and
// started again, every answered report is stored exactly once and the audit log verifies.
// It asserts correctness, never speed.
func TestShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts xiezuo")
	}
	bin := t.TempDir() + "/xiezuo"
	if out, err := runGo("build", "-o", bin, "xiezuo/cmd/xiezuo"); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, tc := range []struct{ name, db string }{
		{"sqlite", ""},
		{"postgres", postgresServer(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"-short", "-bin", bin}
			if tc.db != "" {
				args = append(args, "-db", tc.db)
			}
			var out bytes.Buffer
			if err := run(t.Context(), args, &out); err != nil {
				t.Fatalf("xiezuo-deadline %s: %v\n%s", strings.Join(args, " "), err, out.String())
			}
			for _, want := range []string{"answered 201, 0 errors", "reports/raw", "kill 2:", "file flood: 40 accounts", "every uploaded file stored exactly once", "every answered report stored exactly once", "each unit reported once on each of its duties", "哈希链完整"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("xiezuo-deadline output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}

// postgresServer is the PostgreSQL server the tests use (sqldbtest's), checked reachable.
func postgresServer(t *testing.T) string {
	t.Helper()
	sqldbtest.PostgresURL(t) // skips, or fails under CI, when the server is unreachable
	if dsn := os.Getenv("XIEZUO_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return sqldbtest.DefaultPostgres
}

func runGo(args ...string) ([]byte, error) {
	return exec.Command("go", args...).CombinedOutput()
}
