package sqldb

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestKeptStatementsAttack uses kept statements the ways database/sql may: the same query
// again while its rows are open, after a constraint failure, after rows closed early, with
// text arguments of other lengths, scripts of several statements, canceled contexts, a
// schema changed by another connection, and many goroutines at once.
func TestKeptStatementsAttack(t *testing.T) {
	ctx := t.Context()
	file := filepath.Join(t.TempDir(), "k.db")
	db := openSQLitePool(file + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	defer db.Close()
	db.SetMaxOpenConns(2)
	script := `CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, s TEXT NOT NULL UNIQUE); CREATE TABLE IF NOT EXISTS u (n INTEGER)`
	for range 2 {
		if _, err := db.ExecContext(ctx, script); err != nil {
			t.Fatalf("script: %v", err)
		}
	}
	ins := `INSERT INTO t (s) VALUES ($1)`
	for _, s := range []string{"一", strings.Repeat("长", 500), "b"} {
		if _, err := db.ExecContext(ctx, ins, s); err != nil {
			t.Fatalf("insert %q: %v", head(s), err)
		}
	}
	if _, err := db.ExecContext(ctx, ins, "b"); err == nil {
		t.Fatalf("duplicate insert = nil, want a constraint failure")
	}
	if _, err := db.ExecContext(ctx, ins, "c"); err != nil {
		t.Fatalf("insert after a failure: %v", err)
	}
	sel := `SELECT s FROM t WHERE s <> $1 ORDER BY id`
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := tx.QueryContext(ctx, sel, "x")
	if err != nil {
		t.Fatal(err)
	}
	var outer, inner []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		outer = append(outer, head(s))
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+sel+`)`, s).Scan(&n); err != nil {
			t.Fatal(err)
		}
		r2, err := tx.QueryContext(ctx, sel, s)
		if err != nil {
			t.Fatal(err)
		}
		for r2.Next() {
			var s2 string
			r2.Scan(&s2)
			inner = append(inner, head(s2))
		}
		r2.Close()
		if _, err := tx.ExecContext(ctx, `INSERT INTO u (n) VALUES ($1)`, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if err := tx.Commit(); err != nil {
		t.Fatalf("commit: %v", err)
	}
	if len(outer) != 4 || len(inner) != 12 {
		t.Errorf("outer %v inner %v", outer, inner)
	}
	// Rows closed early, then the query again with a long argument, then a short one.
	for _, arg := range []string{"x", strings.Repeat("长", 500), "一"} {
		r, err := db.QueryContext(ctx, sel, arg)
		if err != nil {
			t.Fatal(err)
		}
		r.Next()
		r.Close()
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+sel+`)`, arg).Scan(&n); err != nil || n != 3 && arg != "x" || arg == "x" && n != 4 {
			t.Errorf("count without %q = %d, %v", head(arg), n, err)
		}
	}
	// Canceled while it runs, then the same statement.
	c, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	_, err = db.ExecContext(c, `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 100000000) SELECT COUNT(*) FROM r`)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Logf("long query canceled: %v", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM t`).Scan(&n); err != nil || n != 4 {
		t.Errorf("count after a cancel = %d, %v", n, err)
	}
	// Another connection changes the schema; kept statements see it.
	other := openSQLitePool(file)
	defer other.Close()
	if _, err := other.ExecContext(ctx, `ALTER TABLE t ADD COLUMN z INTEGER NOT NULL DEFAULT 7`); err != nil {
		t.Fatal(err)
	}
	r, err := db.QueryContext(ctx, `SELECT * FROM t WHERE s <> $1 ORDER BY id`, "x")
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := r.Columns()
	r.Close()
	if len(cols) != 3 {
		t.Errorf("columns after ALTER = %v", cols)
	}
	// Many goroutines at once.
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				var s string
				if err := db.QueryRowContext(ctx, `SELECT s FROM t WHERE id = $1`, 1+(g+i)%4).Scan(&s); err != nil {
					errs <- err
					return
				}
				if _, err := db.ExecContext(ctx, `INSERT INTO u (n) VALUES ($1)`, i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent: %v", err)
	}
}

func head(s string) string { return string([]rune(s)[:1]) }
