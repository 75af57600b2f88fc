package sqldb

import (
	"context"
	"testing"
	"time"

	"xiezuo"
)

// TestPipelinedCanceled cancels a submission while it waits for its lock, on PostgreSQL: it
// answers the context's error, stores nothing, and leaves no connection in a transaction or
// holding a lock, so the same submission afterwards is stored.
func TestPipelinedCanceled(t *testing.T) {
	db := openTestPostgres(t)
	point, _, _ := reportKeys(t, db)
	tickingNow(db, time.Date(2021, 7, 1, 1, 0, 0, 0, time.UTC))
	u := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
	ctx := WithActor(t.Context(), Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit})
	in := ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "一"}, District: "门头沟区", Year: 2021}
	k := Idem{UserID: u.ID, Key: "k-cancel", RequestHash: "h"}

	hold := func(sql string, args ...any) func() {
		t.Helper()
		tx, err := db.db.BeginTx(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(t.Context(), sql, args...); err != nil {
			t.Fatal(err)
		}
		return func() { tx.Rollback() }
	}
	try := func(name string) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		if _, _, err := db.SubmitReportOnce(c, in, k); err == nil {
			t.Errorf("%s: SubmitReportOnce = nil, want the context's error", name)
		}
	}
	// The first round trip waits for the unit's new-report lock.
	release := hold(`SELECT pg_advisory_xact_lock($1)`, lockID(submitLockKey(in)))
	try("waiting for the lock")
	release()

	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND (state LIKE 'idle in transaction%' OR wait_event_type = 'Lock' OR (state = 'active' AND pid <> pg_backend_pid()))`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections idle in a transaction or still at work", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := countRows(t, db, "reports"); got != 0 {
		t.Errorf("reports after canceled submissions = %d, want 0", got)
	}
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for i := range 8 { // every connection of the pool
		rc, _, err := db.SubmitReportOnce(c, in, k)
		if err != nil || rc.Version != 1 {
			t.Fatalf("SubmitReportOnce after the cancels (%d) = %+v, %v", i, rc, err)
		}
	}
}

// TestPipelinedCanceledAnswersWhatIsStored cancels a submission while its insert waits (for a
// key another transaction is inserting), and lets the wait end as the context ends: the
// short way sends the commit with the insert, so PostgreSQL may commit after the caller gave
// up. The answer must say what is stored: an error only when no report was stored, the
// receipt of the stored report otherwise (the general way, which sends its commit only once
// the insert answered, never commits after an error).
func TestPipelinedCanceledAnswersWhatIsStored(t *testing.T) {
	db := openTestPostgres(t)
	point, task, project := reportKeys(t, db)
	tickingNow(db, time.Date(2021, 7, 1, 1, 0, 0, 0, time.UTC))
	u := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
	ctx := WithActor(t.Context(), Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit})
	for i, duty := range []xiezuo.DutyKey{point, task, project} {
		in := ReportWrite{Duty: duty, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "一"}, District: "门头沟区", Year: 2021}
		k := Idem{UserID: u.ID, Key: "k-" + duty.String(), RequestHash: "h"}
		before := countRows(t, db, "reports")
		tx, err := db.db.BeginTx(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(t.Context(), `INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at) VALUES ($1, $2, 'x', 201, '{}', now())`, u.ID, k.Key); err != nil {
			t.Fatal(err)
		}
		c, cancel := context.WithTimeout(ctx, time.Duration(200+100*i)*time.Millisecond)
		stop := context.AfterFunc(c, func() { tx.Rollback() }) // the wait ends as the caller gives up
		rc, _, err := db.SubmitReportOnce(c, in, k)
		cancel()
		stop()
		tx.Rollback()
		settle(t, db)
		stored := countRows(t, db, "reports") - before
		switch {
		case err != nil && stored != 0:
			t.Errorf("%s: SubmitReportOnce = %v, yet %d report stored", duty, err, stored)
		case err == nil && (stored != 1 || rc.ID == 0):
			t.Errorf("%s: SubmitReportOnce = %+v, nil with %d reports stored", duty, rc, stored)
		}
		if v, err := db.VerifyAudit(t.Context(), AuditMark{}); err != nil || !v.OK() {
			t.Errorf("VerifyAudit = %+v, %v", v, err)
		}
	}
}

// settle waits until no other connection to the test database works, waits or idles in a
// transaction.
func settle(t *testing.T, db *DB) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
			AND pid <> pg_backend_pid() AND (state LIKE 'idle in transaction%' OR state = 'active')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still at work", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
