package sqldb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"xiezuo/sqldb/sqldbtest"
)

// writeDeferred writes n entries the way the busiest writes do on PostgreSQL (appendAuditPending), each in
// a transaction of its own; with wake false the sealer is not woken, as when the process dies
// right after its commit.
func writeDeferred(t *testing.T, db *DB, from, n int, wake bool) {
	t.Helper()
	ctx := WithActor(t.Context(), Actor{UserID: 3, Username: "caizheng", Unit: "区财政局", IP: "127.0.0.1"})
	for i := from; i < from+n; i++ {
		tx, err := db.begin(ctx, "report")
		if err != nil {
			t.Fatal(err)
		}
		e := entryFor(ctx, "report.submit", "report", fmt.Sprint(i), fmt.Sprintf("进展 %d", i))
		e.After = fmt.Sprintf(`{"percent":%d}`, i%101)
		if err := db.appendAuditPending(ctx, tx, e); err != nil {
			t.Fatalf("appendAuditPending = %v", err)
		}
		if wake {
			err = db.commitAudited(tx)
		} else {
			err = tx.Commit()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// countWhere counts with query; one that reads audit_log first seals the entries waiting, as
// every reader of the log does (on PostgreSQL every write leaves its entry waiting).
func countWhere(t *testing.T, db *DB, query string, args ...any) int {
	t.Helper()
	if strings.Contains(query, "audit_log") {
		mustSeal(t, db)
	}
	var n int
	if err := db.db.QueryRowContext(t.Context(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s = %v", query, err)
	}
	return n
}

// TestAuditDeferredSealed: entries written concurrently without the log's lock end up in the
// chain, numbered without gaps, in the order of their writes with the entries appended
// directly between them, and the chain verifies.
func TestAuditDeferredSealed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		appendFive(t, db)
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() { writeDeferred(t, db, w*100, 40, true) })
		}
		wg.Wait()
		mustAppend(t, db, AuditEntry{Action: "test.after"}) // chained after what waits before itself
		if n := countWhere(t, db, `SELECT COUNT(*) FROM audit_pending`); n != 0 {
			t.Errorf("%d entries still wait after a seal", n)
		}
		mustVerify(t, db, 5+320+1, 0)
		var action string
		if err := db.db.QueryRowContext(t.Context(), `SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&action); err != nil || action != "test.after" {
			t.Errorf("last entry = %q, %v; want test.after, appended after the waiting ones", action, err)
		}
		want := 320 // written with appendAuditPending
		if db.dialect.deferAudit {
			want += 5 + 1 // every write's entry waits on PostgreSQL
		}
		if n := countWhere(t, db, `SELECT COUNT(*) FROM audit_log WHERE ref IS NOT NULL`); n != want {
			t.Errorf("%d sealed entries carry their ref, want %d", n, want)
		}
	})
}

// TestAuditDeferredCrash: a process that dies between a write and its seal loses nothing:
// the next start (or verify) chains what it left.
func TestAuditDeferredCrash(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.haltSealer() // entries stay waiting until the test seals them
		appendFive(t, db)
		writeDeferred(t, db, 0, 30, false)
		if n := countWhere(t, db, `SELECT COUNT(*) FROM audit_pending`); n != 30 {
			t.Fatalf("%d entries wait, want 30", n)
		}
		// Killed: the connections go, the sealer never runs.
		dsn := db.dsn
		db.db.Close()
		again, err := Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { again.Close() })
		useTestAuditKey(t, again)
		mustVerify(t, again, 35, 0)
		if n := countWhere(t, again, `SELECT COUNT(*) FROM audit_pending`); n != 0 {
			t.Errorf("%d entries still wait after verify", n)
		}
	})
}

// TestAuditDeferredTamper: a waiting entry cannot be changed nor dropped; one inserted or
// replayed by somebody without the key is never sealed and fails verify, while honest ones
// after it are still sealed; a sealed one changed or removed behind the triggers' back
// breaks the chain like any entry.
func TestAuditDeferredTamper(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.haltSealer() // entries stay waiting until the test seals them
		ctx := t.Context()
		appendFive(t, db)
		writeDeferred(t, db, 0, 3, false)
		for _, q := range []string{
			`UPDATE audit_pending SET detail = 'x'`,
			`DELETE FROM audit_pending`,
		} {
			if _, err := db.db.ExecContext(ctx, q); err == nil {
				t.Errorf("%s: no error, want refused", q)
			}
		}
		if n := countWhere(t, db, `SELECT COUNT(*) FROM audit_pending`); n != 3 {
			t.Fatalf("%d entries wait after the refused changes, want 3", n)
		}
		mustVerify(t, db, 8, 0)

		// Forged: a row written without the key.
		forge := `INSERT INTO audit_pending (ref, at, user_id, username, unit, ip, action, object_type,
			object_id, object_label, before_json, after_json, outcome, detail, mac)
			VALUES ($1, $2, 1, 'office', '领导小组办公室', '', 'report.review', 'report', '9', '', '', '', 'success', '', $3)`
		if _, err := db.db.ExecContext(ctx, forge, "forged-ref", db.now().UTC(), strings.Repeat("ab", 32)); err != nil {
			t.Fatal(err)
		}
		writeDeferred(t, db, 10, 2, false) // honest ones after it
		v, err := db.VerifyAudit(ctx, AuditMark{})
		if err != nil {
			t.Fatal(err)
		}
		if v.OK() || !strings.Contains(v.Problem, "被伪造") || v.Pending != 1 {
			t.Errorf("VerifyAudit with a forged waiting entry = %+v, want it reported as forged, 1 pending", v)
		}
		if n := countWhere(t, db, `SELECT COUNT(*) FROM audit_log`); n != 10 {
			t.Errorf("audit_log has %d entries, want 10: the honest ones sealed, not the forged one", n)
		}
		if _, err := db.db.ExecContext(ctx, `DELETE FROM audit_pending WHERE ref = 'forged-ref'`); err == nil {
			t.Errorf("deleting the forged waiting entry: no error, want refused (it stays to be reported)")
		}

	})
}

// TestAuditDeferredReplay: a waiting entry replayed after its seal (the unique ref of
// audit_pending no longer holds it) is never sealed twice, and verify reports it.
func TestAuditDeferredReplay(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.haltSealer() // entries stay waiting until the test seals them
		ctx := t.Context()
		appendFive(t, db)
		writeDeferred(t, db, 0, 2, false)
		mustVerify(t, db, 7, 0)
		var ref string
		var e AuditEntry
		if err := db.db.QueryRowContext(ctx, `SELECT ref, at, user_id, username, unit, ip, action, object_type, object_id,
			object_label, before_json, after_json, outcome, detail FROM audit_log WHERE ref IS NOT NULL ORDER BY seq LIMIT 1`).Scan(
			&ref, &e.At, &e.UserID, &e.Username, &e.Unit, &e.IP, &e.Action, &e.ObjectType, &e.ObjectID,
			&e.ObjectLabel, &e.Before, &e.After, &e.Outcome, &e.Detail); err != nil {
			t.Fatal(err)
		}
		e.At = e.At.UTC()
		if _, err := db.db.ExecContext(ctx, `INSERT INTO audit_pending (ref, at, user_id, username, unit, ip, action,
			object_type, object_id, object_label, before_json, after_json, outcome, detail, mac)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			ref, e.At, e.UserID, e.Username, e.Unit, e.IP, e.Action, e.ObjectType, e.ObjectID, e.ObjectLabel,
			e.Before, e.After, e.Outcome, e.Detail, e.pendingMAC(testAuditKey, ref)); err != nil {
			t.Fatal(err)
		}
		mustAppend(t, db, AuditEntry{Action: "test.after"})
		v, err := db.VerifyAudit(ctx, AuditMark{})
		if err != nil {
			t.Fatal(err)
		}
		if v.OK() || !strings.Contains(v.Problem, "被重放") || v.Checked != 8 {
			t.Errorf("VerifyAudit with a replayed waiting entry = %+v, want 8 checked and the replay reported", v)
		}
		if n := countWhere(t, db, `SELECT COUNT(*) FROM audit_log WHERE ref = $1`, ref); n != 1 {
			t.Errorf("the replayed entry is in the log %d times, want 1", n)
		}
	})
}

// TestAuditDeferredSealedTamper: once sealed, a waiting entry is an entry of the chain: one
// changed, dropped or two swapped behind the triggers' back are found.
func TestAuditDeferredSealedTamper(t *testing.T) {
	for _, tc := range []struct {
		name string
		sql  []string
		bad  int64
	}{
		{"changed", []string{`UPDATE audit_log SET after_json = '{"percent":100}' WHERE seq = 7`}, 7},
		{"dropped", []string{`DELETE FROM audit_log WHERE seq = 7`}, 8},
		{"reordered", []string{
			`UPDATE audit_log SET seq = 100 WHERE seq = 7`,
			`UPDATE audit_log SET seq = 7 WHERE seq = 8`,
			`UPDATE audit_log SET seq = 8 WHERE seq = 100`}, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachDB(t, func(t *testing.T, db *DB) {
				appendFive(t, db)
				writeDeferred(t, db, 0, 4, true)
				mustVerify(t, db, 9, 0)
				dropTriggers(t, db)
				for _, q := range tc.sql {
					if _, err := db.db.ExecContext(t.Context(), q); err != nil {
						t.Fatalf("%s = %v", q, err)
					}
				}
				v, err := db.VerifyAudit(t.Context(), AuditMark{})
				if err != nil {
					t.Fatal(err)
				}
				if v.FirstBad != tc.bad {
					t.Errorf("VerifyAudit after the entry was %s = first bad %d (%s), want %d", tc.name, v.FirstBad, v.Problem, tc.bad)
				}
			})
		})
	}
}

// TestAuditDeferredInstances: four instances over one PostgreSQL write entries that wait and
// entries appended directly, at once, each with its own sealer: the log ends whole, every
// entry chained once, numbered without gaps.
func TestAuditDeferredInstances(t *testing.T) {
	url := sqldbtest.PostgresURL(t)
	var dbs []*DB
	for range 4 {
		db, err := Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		useTestAuditKey(t, db)
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() { writeDeferred(t, db, i*1000, 60, true) })
		wg.Go(func() {
			for j := range 10 {
				mustAppend(t, db, AuditEntry{Action: "test.direct", ObjectID: fmt.Sprint(i*100 + j)})
			}
		})
	}
	wg.Wait()
	mustVerify(t, dbs[0], 4*60+4*10, 0)
	// On PostgreSQL the direct appends wait too.
	if n := countWhere(t, dbs[0], `SELECT COUNT(*) FROM audit_log WHERE ref IS NOT NULL`); n != 280 {
		t.Errorf("%d entries sealed from audit_pending, want 280", n)
	}
}

// TestAuditDeferredForgedFlood: more forged waiting entries than a seal reads (sealMaxBatches
// × sealBatch) neither keep the sealer at the same place for ever nor hold back the honest
// entries written after them: these are sealed, and verify reports the forged ones. The
// context's timeout turns a regression into a failure instead of a hang.
func TestAuditDeferredForgedFlood(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.haltSealer() // entries stay waiting until the test seals them
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		appendFive(t, db)
		forged := sealMaxBatches*sealBatch + 104
		tx, err := db.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		for i := range forged {
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_pending (ref, at, user_id, username, unit, ip, action,
				object_type, object_id, object_label, before_json, after_json, outcome, detail, mac)
				VALUES ($1, $2, 1, 'office', '领导小组办公室', '', 'report.review', 'report', '9', '', '', '', 'success', '', $3)`,
				fmt.Sprintf("forged-%d", i), db.now().UTC(), strings.Repeat("ab", 32)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		writeDeferred(t, db, 10, 3, false) // honest ones behind the forged
		if err := db.sealPending(ctx); err != nil {
			t.Fatalf("sealPending with %d forged entries waiting = %v", forged, err)
		}
		v, err := db.VerifyAudit(ctx, AuditMark{})
		if err != nil {
			t.Fatalf("VerifyAudit with %d forged entries waiting = %v", forged, err)
		}
		if v.OK() || !strings.Contains(v.Problem, "被伪造") || v.Pending != forged || v.Checked != 8 {
			t.Errorf("VerifyAudit = %+v; want 8 checked, the %d forged entries waiting reported", v, forged)
		}
		if seq, _, err := db.AuditHead(ctx); err != nil || seq != 8 {
			t.Errorf("AuditHead = %d, %v; want 8: the honest entries behind the forged ones sealed", seq, err)
		}
	})
}

// TestUseAuditKeyBesideSealer: an instance starting while another's sealer chains the log's
// first entries takes the log as young, never as emptied. Its two reads (the log empty, then
// nothing waiting) once fell on either side of the sealer's transaction, and the instance
// refused to start: found by the browser tests through three instances.
func TestUseAuditKeyBesideSealer(t *testing.T) {
	url := sqldbtest.PostgresURL(t)
	open := func() *DB {
		db, err := Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	useTestAuditKey(t, a)
	dropTriggers(t, a)
	emptied, starts := 0, 0
	for i := range 100 {
		// A fresh database again: no account, nothing logged or waiting.
		wipeAuditLog(t, a)
		for _, q := range []string{`DELETE FROM audit_pending`, `DELETE FROM users`} {
			if _, err := a.db.ExecContext(t.Context(), q); err != nil {
				t.Fatalf("%s = %v", q, err)
			}
		}
		// b starts again and again while a writes, and its sealer (and b's) chain the entry.
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				starts++
				if err := b.UseAuditKey(t.Context(), testAuditKey); errors.Is(err, ErrAuditEmptied) {
					emptied++
				} else if err != nil {
					t.Errorf("UseAuditKey = %v", err)
					return
				}
			}
		}()
		mustCreateUser(t, a, testUser(fmt.Sprintf("office%d", i), "office")) // its entry waits; a's sealer is woken
		time.Sleep(time.Millisecond)
		mustSeal(t, a)
		close(stop)
		<-done
	}
	if emptied > 0 {
		t.Errorf("UseAuditKey beside a sealing instance: %d of %d starts refused as an emptied log", emptied, starts)
	}
}
