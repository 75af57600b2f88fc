package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
)

// TestGroupCommit: writes given to the group committer at once are each stored or not as
// their own function says: a failing or panicking one rolls back alone, the others are all
// stored, and each caller hears its own outcome.
func TestGroupCommit(t *testing.T) {
	db := openTestSQLite(t)
	ctx := t.Context()
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE group_writes (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	errBad := errors.New("refused")
	const n = 300
	results := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			results[i] = db.inGroup(ctx, func(ctx context.Context, tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO group_writes (n) VALUES ($1)`, i); err != nil {
					return err
				}
				switch {
				case i%7 == 3:
					return errBad
				case i%31 == 5:
					panic("bad write")
				}
				return nil
			})
		})
	}
	wg.Wait()
	stored := map[int]bool{}
	err := each(ctx, db.db, `SELECT n FROM group_writes`, nil, func(rows *sql.Rows) error {
		var v int
		err := rows.Scan(&v)
		stored[v] = true
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range results {
		failing := i%7 == 3 || i%31 == 5
		switch {
		case failing && err == nil:
			t.Errorf("write %d: no error, want its own failure", i)
		case !failing && err != nil:
			t.Errorf("write %d = %v, want stored", i, err)
		case failing == stored[i]:
			t.Errorf("write %d: stored %v, want %v", i, stored[i], !failing)
		}
	}
}

// TestGroupCommitCancelled: a caller whose context has ended before its turn is told so and
// nothing of its write is stored; the others are not held up.
func TestGroupCommitCancelled(t *testing.T) {
	db := openTestSQLite(t)
	ctx := t.Context()
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE group_writes (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	write := func(i int) func(context.Context, *sql.Tx) error {
		return func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO group_writes (n) VALUES ($1)`, i)
			return err
		}
	}
	if err := db.inGroup(gone, write(1)); !errors.Is(err, context.Canceled) {
		t.Errorf("inGroup(cancelled) = %v, want context.Canceled", err)
	}
	if err := db.inGroup(ctx, write(2)); err != nil {
		t.Errorf("inGroup after a cancelled one = %v", err)
	}
	var got string
	if err := db.db.QueryRowContext(ctx, `SELECT group_concat(n) FROM group_writes`).Scan(&got); err != nil || got != "2" {
		t.Errorf("stored %q, %v; want only 2", got, err)
	}
	db.Close()
	if err := db.inGroup(ctx, write(3)); err == nil {
		t.Errorf("inGroup after Close: no error")
	}
}
