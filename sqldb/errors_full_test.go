package sqldb

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"xiezuo"
)

// TestTranslateDiskFull: a write refused because the disk is full (SQLite's SQLITE_FULL, here
// from a real file capped by max_page_count as a full disk caps it; PostgreSQL's disk_full)
// reaches the user as EUNAVAILABLE with a Chinese message saying nothing was saved.
func TestTranslateDiskFull(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{`CREATE TABLE t (b BLOB)`, `PRAGMA max_page_count = 8`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var full error
	for i := 0; i < 100 && full == nil; i++ {
		_, full = db.Exec(`INSERT INTO t (b) VALUES (zeroblob(2000))`)
	}
	if full == nil {
		t.Fatal("100 inserts of 2000 bytes into 8 pages of SQLite: no error")
	}
	for _, err := range []error{full, &pgconn.PgError{Code: "53100", Message: "could not extend file: No space left on device"}} {
		got := translate(err)
		if code := xiezuo.ErrorCode(got); code != xiezuo.EUNAVAILABLE {
			t.Errorf("ErrorCode(translate(%v)) = %q, want %q", err, code, xiezuo.EUNAVAILABLE)
		}
		if msg := xiezuo.ErrorMessage(got); msg != DiskFullMessage || !strings.Contains(msg, "磁盘空间已满") {
			t.Errorf("ErrorMessage(translate(%v)) = %q, want %q", err, msg, DiskFullMessage)
		}
		if !errors.Is(got, err) {
			t.Errorf("translate(%v) lost the driver error", err)
		}
	}
}

// TestTranslateRolledBack: when SQLite has rolled a transaction back by itself (it does when a
// statement in it fails on a full disk), the commit finds none; the user is told nothing was
// saved (503), not given a 500. The error here is SQLite's own, from a COMMIT with none open.
func TestTranslateRolledBack(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, none := db.Exec(`COMMIT`)
	if none == nil || !strings.Contains(none.Error(), "no transaction is active") {
		t.Fatalf("COMMIT without a transaction = %v", none)
	}
	got := translate(fmt.Errorf("submit report: %w", none))
	if xiezuo.ErrorCode(got) != xiezuo.EUNAVAILABLE || xiezuo.ErrorMessage(got) != RolledBackMessage {
		t.Errorf("translate(%v) = %q %q, want EUNAVAILABLE with RolledBackMessage", none, xiezuo.ErrorCode(got), xiezuo.ErrorMessage(got))
	}
	if _, other := db.Exec(`SELECT * FROM no_such_table`); xiezuo.ErrorCode(translate(other)) == xiezuo.EUNAVAILABLE {
		t.Errorf("translate(%v) = EUNAVAILABLE; only a transaction gone is", other)
	}
}
