package sqldb

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/sqldb/sqldbtest"
)

// forEachDB runs f on a fresh SQLite file and on a fresh PostgreSQL database. Without a
// reachable PostgreSQL the second half is skipped, or fails when CI is set.
func forEachDB(t *testing.T, f func(t *testing.T, db *DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, openTestSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, openTestPostgres(t)) })
}

func openTestSQLite(t testing.TB) *DB {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "data", "xiezuo.db"))
	if err != nil {
		t.Fatalf("Open(sqlite) = %v", err)
	}
	t.Cleanup(func() { db.Close() })
	useTestAuditKey(t, db)
	return db
}

// openTestPostgres creates a database of its own for the test, and drops it afterwards.
func openTestPostgres(t testing.TB) *DB {
	t.Helper()
	db, err := Open(t.Context(), sqldbtest.PostgresURL(t))
	if err != nil {
		t.Fatalf("Open(postgres) = %v", err)
	}
	t.Cleanup(func() { db.Close() })
	useTestAuditKey(t, db)
	return db
}

// testAuditKey is the audit key of the tests' databases.
var testAuditKey = []byte("xiezuo test audit key, 32 bytes!")

func useTestAuditKey(t testing.TB, db *DB) {
	t.Helper()
	if err := db.UseAuditKey(t.Context(), testAuditKey); err != nil {
		t.Fatalf("UseAuditKey = %v", err)
	}
}

func TestMigrationsMatch(t *testing.T) {
	names := func(dir string) []string {
		files, err := fs.Glob(migrations, path.Join("migrations", dir, "*.sql"))
		if err != nil {
			t.Fatal(err)
		}
		var base []string
		for _, f := range files {
			base = append(base, path.Base(f))
		}
		return base
	}
	sqliteNames, postgresNames := names("sqlite"), names("postgres")
	if len(sqliteNames) == 0 {
		t.Fatal("no migrations in migrations/sqlite")
	}
	if diff := cmp.Diff(sqliteNames, postgresNames); diff != "" {
		t.Errorf("migrations/sqlite and migrations/postgres differ (-sqlite +postgres):\n%s", diff)
	}
	for _, n := range sqliteNames {
		if len(n) < 6 || strings.Trim(n[:4], "0123456789") != "" || n[4] != '_' {
			t.Errorf("migration %s: name is not NNNN_name.sql", n)
		}
	}
}

func TestOpenAgain(t *testing.T) {
	file := filepath.Join(t.TempDir(), "x.db")
	for range 2 {
		db, err := Open(t.Context(), file)
		if err != nil {
			t.Fatalf("Open(%q) = %v", file, err)
		}
		var n int
		if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		files, _ := fs.Glob(migrations, "migrations/sqlite/*.sql")
		if n != len(files) {
			t.Errorf("schema_migrations has %d rows, want %d", n, len(files))
		}
		db.Close()
	}
}

func TestOpenSQLitePragmas(t *testing.T) {
	db := openTestSQLite(t)
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000"} {
		var got string
		if err := db.db.QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}

func TestTranslate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		const insert = `INSERT INTO units (district, name, kind, known) VALUES ($1, $2, $3, $4)`
		if _, err := db.db.ExecContext(ctx, insert, "门头沟区", "区财政局", "department", true); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name    string
			args    []any
			code    string
			message string
		}{
			{"unique", []any{"门头沟区", "区财政局", "department", true}, xiezuo.ECONFLICT, "保存失败：该区已有同名单位"},
			{"check", []any{"门头沟区", "区统计局", "ministry", true}, xiezuo.EINVALID, "保存失败：单位类别不正确"},
			{"not null", []any{"门头沟区", nil, "department", true}, xiezuo.EINVALID, "保存失败：单位不符合要求"},
		}
		for _, tt := range tests {
			_, err := db.db.ExecContext(ctx, insert, tt.args...)
			got := translate(err)
			if code := xiezuo.ErrorCode(got); code != tt.code {
				t.Errorf("%s: ErrorCode(translate(%v)) = %q, want %q", tt.name, err, code, tt.code)
			}
			if msg := xiezuo.ErrorMessage(got); !strings.HasPrefix(msg, tt.message) {
				t.Errorf("%s: ErrorMessage(translate(%v)) = %q, want prefix %q", tt.name, err, msg, tt.message)
			}
			if !errors.Is(got, err) {
				t.Errorf("%s: translate(%v) lost the driver error", tt.name, err)
			}
		}
	})
}

// TestSQLiteFileOwnerOnly: the database and its -wal and -shm files are readable by their
// owner only, whatever the umask, and a file left readable by others is narrowed on open.
func TestSQLiteFileOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	file := filepath.Join(dir, "data", "xiezuo.db")
	db, err := Open(t.Context(), file)
	if err != nil {
		t.Fatal(err)
	}
	useTestAuditKey(t, db)
	if err := db.SetSetting(t.Context(), "probe", "1"); err != nil { // a write makes the -wal file
		t.Fatal(err)
	}
	for _, name := range []string{file, file + "-wal", file + "-shm"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != 0o600 {
			t.Errorf("mode of %s = %04o, want 0600", filepath.Base(name), got)
		}
	}
	if info, err := os.Stat(filepath.Dir(file)); err != nil || info.Mode().Perm()&0o077 != 0 {
		t.Errorf("folder of the database: mode %v, err %v; want no access for group and others", info.Mode().Perm(), err)
	}
	db.Close()

	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(t.Context(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Errorf("mode after reopening a 0644 file = %04o, want 0600", info.Mode().Perm())
	}
}
