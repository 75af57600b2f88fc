package sqldb

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/sqldb/sqldbtest"
)

func mustAppend(t *testing.T, db *DB, e AuditEntry) {
	t.Helper()
	if err := db.AppendAudit(t.Context(), e); err != nil {
		t.Fatalf("AppendAudit(%s) = %v", e.Action, err)
	}
	mustSeal(t, db)
}

// mustSeal chains the entries waiting: on PostgreSQL every write leaves its entry waiting for
// the sealer, and tests that read audit_log themselves want it chained.
func mustSeal(t *testing.T, db *DB) {
	t.Helper()
	if err := db.sealPending(t.Context()); err != nil {
		t.Fatalf("sealPending = %v", err)
	}
}

func mustVerify(t *testing.T, db *DB, wantChecked int, wantBad int64) {
	t.Helper()
	mustVerifyHead(t, db, AuditMark{}, wantChecked, wantBad)
}

func mustVerifyHead(t *testing.T, db *DB, head AuditMark, wantChecked int, wantBad int64) {
	t.Helper()
	v, err := db.VerifyAudit(t.Context(), head)
	if err != nil {
		t.Fatalf("VerifyAudit = %v", err)
	}
	if v.Checked != wantChecked || v.FirstBad != wantBad {
		t.Errorf("VerifyAudit(%v) = %d checked, first bad %d (%s); want %d, %d", head, v.Checked, v.FirstBad, v.Problem, wantChecked, wantBad)
	}
}

// wipeAuditLog deletes every entry of a log whose triggers are dropped, under the audit log's
// lock as every writer of the log takes it: without it the background sealer could read the
// old head, then chain an entry written after the delete to it (seq 6 after an empty log).
func wipeAuditLog(t *testing.T, db *DB) {
	t.Helper()
	tx, err := db.begin(t.Context(), auditLockKey)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(t.Context(), `DELETE FROM audit_log`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// appendFive appends entries 1 to 5 of a log.
func appendFive(t *testing.T, db *DB) {
	t.Helper()
	ctx := WithActor(t.Context(), Actor{UserID: 7, Username: "office1", Unit: "领导小组办公室", IP: "10.0.0.7"})
	for i := 1; i <= 5; i++ {
		err := db.AppendAudit(ctx, AuditEntry{
			Action: AuditReveal, ObjectType: "person", ObjectID: fmt.Sprint(i), ObjectLabel: fmt.Sprintf("张%d", i),
			After: fmt.Sprintf(`{"field":"phone","n":%d}`, i), Detail: "查看完整手机号码",
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	mustSeal(t, db)
}

// dropTriggers does what a superuser of the database can: remove the guards of the log.
func dropTriggers(t *testing.T, db *DB) {
	t.Helper()
	on := ""
	if db.dialect.name == "postgres" {
		on = " ON audit_log"
	}
	for _, tr := range []string{"audit_log_no_update", "audit_log_keep_180_days"} {
		if _, err := db.db.ExecContext(t.Context(), "DROP TRIGGER "+tr+on); err != nil {
			t.Fatalf("DROP TRIGGER %s = %v", tr, err)
		}
	}
}

func TestAuditAppendAndSearch(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		now := fixedNow(db)
		mustVerify(t, db, 0, 0)
		appendFive(t, db)
		mustAppend(t, db, AuditEntry{Username: "lisi", Unit: "区财政局", Action: AuditSignIn, ObjectType: "user", ObjectID: "9", Outcome: AuditFailure, Detail: "未知登录名"})
		mustAppend(t, db, AuditEntry{Action: "system.start"})
		mustVerify(t, db, 7, 0)

		entries, total, err := db.SearchAudit(t.Context(), AuditFilter{Username: "office1", Limit: 2, Offset: 1})
		if err != nil {
			t.Fatal(err)
		}
		if total != 5 || len(entries) != 2 || entries[0].Seq != 4 || entries[1].Seq != 3 {
			t.Fatalf("SearchAudit(office1, page 2) = %d of %d: %+v; want seq 4 and 3 of 5", len(entries), total, entries)
		}
		e := entries[0]
		e.Hash, e.PrevHash = "", ""
		want := AuditEntry{
			Seq: 4, At: now.Truncate(time.Microsecond), UserID: 7, Username: "office1", Unit: "领导小组办公室", IP: "10.0.0.7",
			Action: AuditReveal, ObjectType: "person", ObjectID: "4", ObjectLabel: "张4", After: `{"field":"phone","n":4}`,
			Outcome: AuditSuccess, Detail: "查看完整手机号码", Chain: "hmac-sm3",
		}
		if diff := cmp.Diff(want, e); diff != "" {
			t.Errorf("SearchAudit entry (-want +got):\n%s", diff)
		}
		if entries[0].PrevHash != entries[1].Hash || len(entries[0].Hash) != 64 {
			t.Errorf("entry 4 prev hash %s, entry 3 hash %s: not chained", entries[0].PrevHash, entries[1].Hash)
		}
		for _, tt := range []struct {
			f    AuditFilter
			want int
		}{
			{AuditFilter{}, 7},
			{AuditFilter{Unit: "区财政局"}, 1},
			{AuditFilter{Username: "system"}, 1},
			{AuditFilter{ObjectType: "person", ObjectID: "2"}, 1},
			{AuditFilter{Action: AuditSignIn}, 1},
			{AuditFilter{From: now.Add(-time.Hour), To: now.Add(time.Hour)}, 7},
			{AuditFilter{From: now.Add(time.Second)}, 0},
			{AuditFilter{To: now}, 0},
		} {
			if _, total, err := db.SearchAudit(t.Context(), tt.f); err != nil || total != tt.want {
				t.Errorf("SearchAudit(%+v) total = %d, %v; want %d", tt.f, total, err, tt.want)
			}
		}
		for _, bad := range []AuditEntry{{}, {Action: "x", After: "{not json"}} {
			if err := db.AppendAudit(t.Context(), bad); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
				t.Errorf("AppendAudit(%+v) = %v, want %s", bad, err, xiezuo.EINVALID)
			}
		}
	})
}

func TestActorFrom(t *testing.T) {
	if a := ActorFrom(t.Context()); a != (Actor{Username: "system"}) {
		t.Errorf("ActorFrom(no actor) = %+v, want system", a)
	}
	want := Actor{UserID: 3, Username: "zhang", Unit: "区财政局", IP: "::1"}
	if a := ActorFrom(WithActor(t.Context(), want)); a != want {
		t.Errorf("ActorFrom(WithActor(%+v)) = %+v", want, a)
	}
}

// TestAuditAppendOnly: the database itself refuses to change an entry or delete a young one.
func TestAuditAppendOnly(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		appendFive(t, db)
		for _, q := range []string{
			`UPDATE audit_log SET after_json = '{}' WHERE seq = 3`,
			`UPDATE audit_log SET hash = prev_hash`,
			`DELETE FROM audit_log WHERE seq = 5`,
			`DELETE FROM audit_log`,
		} {
			if _, err := db.db.ExecContext(ctx, q); err == nil {
				t.Errorf("%s succeeded, want it refused", q)
			}
		}
		if db.dialect.name == "postgres" {
			if _, err := db.db.ExecContext(ctx, `TRUNCATE audit_log`); err == nil {
				t.Errorf("TRUNCATE audit_log succeeded, want it refused")
			}
		}
		mustVerify(t, db, 5, 0)
		// An entry older than 180 days may be deleted.
		db.now = func() time.Time { return time.Now().AddDate(0, 0, -200) }
		mustAppend(t, db, AuditEntry{Action: "old"})
		if _, err := db.db.ExecContext(ctx, `DELETE FROM audit_log WHERE seq = 6`); err != nil {
			t.Errorf("DELETE of an entry 200 days old = %v, want it allowed", err)
		}
	})
}

// TestAuditTamper removes the guards as a superuser could, then changes or deletes entries:
// VerifyAudit names the first entry touched.
func TestAuditTamper(t *testing.T) {
	tests := []struct {
		name    string
		queries []string
		checked int
		bad     int64
	}{
		{"after changed", []string{`UPDATE audit_log SET after_json = '{"field":"phone","n":33}' WHERE seq = 3`}, 3, 3},
		{"actor changed", []string{`UPDATE audit_log SET username = 'someone' WHERE seq = 2`}, 2, 2},
		{"time changed", []string{`UPDATE audit_log SET at = $1 WHERE seq = 4`}, 4, 4},
		{"middle deleted", []string{`DELETE FROM audit_log WHERE seq = 3`}, 3, 4},
		{"first deleted", []string{`DELETE FROM audit_log WHERE seq = 1`}, 1, 2},
		{"renumbered", []string{`DELETE FROM audit_log WHERE seq = 3`, `UPDATE audit_log SET seq = 3 WHERE seq = 4`, `UPDATE audit_log SET seq = 4 WHERE seq = 5`}, 3, 3},
		{"rehashed without its successor", []string{`UPDATE audit_log SET detail = 'x', hash = $1 WHERE seq = 2`}, 3, 3},
	}
	forEachDB(t, func(t *testing.T, db *DB) {
		dropTriggers(t, db)
		for _, tt := range tests {
			t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
				wipeAuditLog(t, db)
				appendFive(t, db)
				mustVerify(t, db, 5, 0)
				for _, q := range tt.queries {
					var args []any
					switch {
					case strings.Contains(q, "at = $1"):
						args = append(args, time.Now().UTC().Add(-time.Hour))
					case strings.Contains(q, "hash = $1"):
						entries, _, err := db.SearchAudit(t.Context(), AuditFilter{ObjectID: "2"})
						if err != nil || len(entries) != 1 {
							t.Fatalf("SearchAudit(entry 2) = %v, %v", entries, err)
						}
						e := entries[0]
						e.Detail = "x"
						args = append(args, e.digest(testAuditKey))
					}
					if _, err := db.db.ExecContext(t.Context(), q, args...); err != nil {
						t.Fatalf("%s = %v", q, err)
					}
				}
				mustVerify(t, db, tt.checked, tt.bad)
			})
		}
	})
}

// TestAuditConcurrent appends from 4 goroutines, on PostgreSQL over 4 connections: one chain,
// no gap, no fork.
func TestAuditConcurrent(t *testing.T) {
	const workers, each = 4, 25
	run := func(t *testing.T, dbs []*DB) {
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				ctx := WithActor(t.Context(), Actor{UserID: int64(w + 1), Username: fmt.Sprintf("worker%d", w)})
				for i := range each {
					if err := dbs[w].AppendAudit(ctx, AuditEntry{Action: "test.append", ObjectID: fmt.Sprint(i)}); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("AppendAudit(concurrently) = %v", err)
		}
		mustVerify(t, dbs[0], workers*each, 0)
		var n, maxSeq int64
		if err := dbs[0].db.QueryRowContext(t.Context(), `SELECT COUNT(*), MAX(seq) FROM audit_log`).Scan(&n, &maxSeq); err != nil {
			t.Fatal(err)
		}
		if n != workers*each || maxSeq != workers*each {
			t.Errorf("audit log has %d entries up to seq %d, want %d", n, maxSeq, workers*each)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		db := openTestSQLite(t)
		run(t, []*DB{db, db, db, db})
	})
	t.Run("postgres", func(t *testing.T) {
		// Four handles of one connection each, as four instances of the server would be.
		url := sqldbtest.PostgresURL(t)
		var dbs []*DB
		for range workers {
			db, err := Open(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			useTestAuditKey(t, db)
			db.db.SetMaxOpenConns(1)
			t.Cleanup(func() { db.Close() })
			dbs = append(dbs, db)
		}
		run(t, dbs)
	})
}

// TestImportPlanAudited: one entry per import that changes something, in the import's own
// transaction.
func TestImportPlanAudited(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{UserID: 7, Username: "office1", Unit: "领导小组办公室", IP: "10.0.0.7"})
		content := []byte("plan")
		changes, err := db.ImportPlan(ctx, testPlan("门头沟区", 2021, content), content)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportPlan(ctx, testPlan("门头沟区", 2021, content), content); err != nil {
			t.Fatal(err)
		}
		entries, total, err := db.SearchAudit(t.Context(), AuditFilter{})
		if err != nil || total != 1 {
			t.Fatalf("audit after importing twice: %d entries, %v; want 1", total, err)
		}
		e := entries[0]
		if e.Action != AuditPlanImport || e.ObjectType != "plan" || e.ObjectLabel != "2021年门头沟区" || e.Username != "office1" || e.IP != "10.0.0.7" {
			t.Errorf("audit of the import = %+v", e)
		}
		var got []string
		if err := json.Unmarshal([]byte(e.After), &got); err != nil {
			t.Fatalf("after = %s: %v", e.After, err)
		}
		var want []string
		for _, c := range changes {
			want = append(want, c.String())
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("audit after (-want +got):\n%s", diff)
		}

		// A failed import leaves no entry.
		next := []byte("plan 2022")
		p := testPlan("门头沟区", 2022, next)
		p.Units = append(p.Units, xiezuo.Unit{Name: "区科学技术协会", Kind: xiezuo.KindSocial, Aliases: []string{"区科信局"}})
		if _, err := db.ImportPlan(ctx, p, next); err == nil {
			t.Fatal("ImportPlan(alias conflict) succeeded")
		}
		// A change whose entry cannot be written is not stored either.
		block := []string{`CREATE TRIGGER audit_log_block BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'blocked'); END`}
		if db.dialect.name == "postgres" {
			// There the entry waits in audit_pending, written in the change's transaction.
			block = []string{
				`CREATE FUNCTION audit_log_block() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'blocked'; END; $$`,
				`CREATE TRIGGER audit_log_block BEFORE INSERT ON audit_pending FOR EACH ROW EXECUTE FUNCTION audit_log_block()`,
			}
		}
		for _, q := range block {
			if _, err := db.db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		changed := testPlan("门头沟区", 2021, content)
		changed.Title = "另一个标题"
		if _, err := db.ImportPlan(ctx, changed, content); err == nil {
			t.Fatal("ImportPlan with the audit log refusing entries succeeded")
		}
		if _, err := db.db.ExecContext(ctx, `DROP TRIGGER audit_log_block`+map[bool]string{true: " ON audit_pending"}[db.dialect.name == "postgres"]); err != nil {
			t.Fatal(err)
		}
		if p := mustLoad(t, db, "门头沟区", 2021); p.Title == "另一个标题" {
			t.Errorf("the plan changed though its audit entry was refused")
		}
		if _, total, _ := db.SearchAudit(t.Context(), AuditFilter{}); total != 1 {
			t.Errorf("audit after failed imports: %d entries, want 1", total)
		}
		mustVerify(t, db, 1, 0)
	})
}

func TestPruneAudit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		db.now = func() time.Time { return time.Now().AddDate(0, 0, -200) }
		for range 3 {
			mustAppend(t, db, AuditEntry{Action: "old"})
		}
		db.now = time.Now
		for range 2 {
			mustAppend(t, db, AuditEntry{Action: "new"})
		}
		for _, days := range []int{0, 10, 179} {
			before := time.Now().AddDate(0, 0, -days)
			if _, err := db.PruneAudit(ctx, before); xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "至少保存 180 天") {
				t.Errorf("PruneAudit(%d days ago) = %v, want %s 至少保存 180 天", days, err, xiezuo.EINVALID)
			}
		}
		n, err := db.PruneAudit(ctx, time.Now().AddDate(0, 0, -190))
		if err != nil || n != 3 {
			t.Fatalf("PruneAudit(190 days ago) = %d, %v, want 3", n, err)
		}
		if diff := cmp.Diff([]string{"new", "new", AuditPrune}, auditActions(t, db)); diff != "" {
			t.Errorf("audit actions after pruning (-want +got):\n%s", diff)
		}
		mustVerify(t, db, 3, 0)
		if n, err := db.PruneAudit(ctx, time.Now().AddDate(0, 0, -190)); err != nil || n != 0 {
			t.Errorf("PruneAudit(again) = %d, %v, want 0", n, err)
		}
		// Deleting the first entry left, its anchor gone, is seen.
		dropTriggers(t, db)
		if _, err := db.db.ExecContext(ctx, `DELETE FROM audit_log WHERE seq = 4`); err != nil {
			t.Fatal(err)
		}
		mustVerify(t, db, 1, 5)
	})
}

// TestAuditSearchDistrict: the district filter selects the entries made by users of that
// district, never the system's or those of a name nobody has (a failed sign-in).
func TestAuditSearchDistrict(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		users := map[string]*xiezuo.User{}
		for _, u := range []xiezuo.User{
			{Username: "mtg", Name: "王一", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}},
			{Username: "dc", Name: "王二", District: "东城区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}},
		} {
			if err := db.CreateUser(t.Context(), &u, testHash); err != nil {
				t.Fatal(err)
			}
			users[u.Username] = &u
		}
		for _, name := range []string{"mtg", "dc"} {
			u := users[name]
			ctx := WithActor(t.Context(), Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit})
			if err := db.AppendAudit(ctx, AuditEntry{Action: AuditReveal, ObjectType: "person", ObjectID: name}); err != nil {
				t.Fatal(err)
			}
		}
		mustAppend(t, db, AuditEntry{Username: "mypassword", Action: AuditSignIn, Outcome: AuditFailure, Detail: "未知登录名"})
		entries, total, err := db.SearchAudit(t.Context(), AuditFilter{District: "门头沟区", Action: AuditReveal})
		if err != nil || total != 1 || entries[0].Username != "mtg" {
			t.Errorf("SearchAudit(门头沟区) = %d entries %+v, %v; want mtg's only", total, entries, err)
		}
		if _, total, _ := db.SearchAudit(t.Context(), AuditFilter{District: "门头沟区", Action: AuditSignIn}); total != 0 {
			t.Errorf("SearchAudit(门头沟区, failed sign-ins) = %d, want 0", total)
		}
		if _, total, _ := db.SearchAudit(t.Context(), AuditFilter{Action: AuditReveal}); total != 2 {
			t.Errorf("SearchAudit(all districts) = %d, want 2", total)
		}
	})
}

// TestAuditVerifyIncremental: a verification after a successful one checks only the entries
// after the head that one recorded, in its keyed entry; a change there, a recorded head
// rewritten, or a head kept outside that no longer matches is still found, and a change before
// it is found by the full verification.
func TestAuditVerifyIncremental(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		appendFive(t, db)
		v, err := db.VerifyAuditIncremental(ctx, AuditMark{})
		if err != nil || !v.OK() || v.Checked != 5 || v.From.Seq != 0 {
			t.Fatalf("VerifyAuditIncremental(first) = %+v, %v; want 5 checked from the start", v, err)
		}
		verified, err := db.AuditVerified(ctx, v, AuditMark{})
		if err != nil || verified.Seq != 6 {
			t.Fatalf("AuditVerified = %v, %v; want entry 6", verified, err)
		}
		for i := range 3 {
			mustAppend(t, db, AuditEntry{Action: "after.verify", ObjectID: fmt.Sprint(i)})
		}
		var mark3 AuditMark
		if err := db.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log WHERE seq = 3`).Scan(&mark3.Seq, &mark3.Hash); err != nil {
			t.Fatal(err)
		}
		v, err = db.VerifyAuditIncremental(ctx, mark3)
		if err != nil || !v.OK() || v.From.Seq != 5 || v.Checked != 4 || v.Head.Seq != 9 {
			t.Fatalf("VerifyAuditIncremental(second) = %+v, %v; want entries 6 to 9 checked from 5", v, err)
		}
		if v, _ := db.VerifyAuditIncremental(ctx, AuditMark{Seq: 3, Hash: genesisHash}); v.FirstBad != 3 {
			t.Errorf("VerifyAuditIncremental(wrong head 3 kept outside) = %+v, want entry 3 reported", v)
		}

		dropTriggers(t, db)
		// Before the head verified: only the full verification reads it again.
		if _, err := db.db.ExecContext(ctx, `UPDATE audit_log SET detail = 'changed' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.VerifyAuditIncremental(ctx, AuditMark{}); !v.OK() || v.From.Seq != 5 {
			t.Errorf("VerifyAuditIncremental(entry 2 changed) = %+v, want OK from 5 (not read)", v)
		}
		mustVerify(t, db, 2, 2)
		// After it: found.
		if _, err := db.db.ExecContext(ctx, `UPDATE audit_log SET detail = 'changed' WHERE seq = 8`); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.VerifyAuditIncremental(ctx, AuditMark{}); v.FirstBad != 8 {
			t.Errorf("VerifyAuditIncremental(entry 8 changed) = %+v, want entry 8 reported", v)
		}
		// The recorded head moved forward without the key, to skip entry 8: the verify entry's
		// own hash no longer matches, and it lies in the part checked.
		if _, err := db.db.ExecContext(ctx, `UPDATE audit_log SET after_json = $1 WHERE seq = 6`,
			`{"checked":5,"head":"8:`+genesisHash+`"}`); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.VerifyAuditIncremental(ctx, AuditMark{}); v.OK() {
			t.Errorf("VerifyAuditIncremental(verify entry rewritten) = %+v, want refused", v)
		}
	})
}

// TestAuditVerifyAfterFailure: once a verification failed (a full one found an entry changed
// before the last successful verification's head), the next incremental one checks every
// entry again and says why, instead of reporting the log intact from that head; a full
// verification's entry records that it was full; and the recorded head entry is itself
// re-hashed when an incremental verification starts from it.
func TestAuditVerifyAfterFailure(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		appendFive(t, db)
		v, err := db.VerifyAudit(ctx, AuditMark{})
		if err != nil || !v.OK() || !v.Full {
			t.Fatalf("VerifyAudit = %+v, %v; want OK and full", v, err)
		}
		if _, err := db.AuditVerified(ctx, v, AuditMark{}); err != nil {
			t.Fatal(err)
		}
		var after, detail string
		if err := db.db.QueryRowContext(ctx, `SELECT after_json, detail FROM audit_log WHERE seq = 6`).Scan(&after, &detail); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(after, `"full":true`) || !strings.Contains(detail, "全部校验") {
			t.Errorf("full verify entry: after %s, detail %s; want \"full\":true and 全部校验", after, detail)
		}
		mustAppend(t, db, AuditEntry{Action: "after.verify"})

		dropTriggers(t, db)
		if _, err := db.db.ExecContext(ctx, `UPDATE audit_log SET detail = 'changed' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		v, err = db.VerifyAudit(ctx, AuditMark{})
		if err != nil || v.FirstBad != 2 {
			t.Fatalf("VerifyAudit(entry 2 changed) = %+v, %v; want entry 2 reported", v, err)
		}
		failed, err := db.AuditVerified(ctx, v, AuditMark{})
		if err != nil {
			t.Fatal(err)
		}
		v, err = db.VerifyAuditIncremental(ctx, AuditMark{})
		if err != nil || v.OK() || v.FirstBad != 2 || v.From.Seq != 0 || !v.Full || v.FailedBefore != failed.Seq {
			t.Errorf("VerifyAuditIncremental after a failed verify = %+v, %v; want every entry checked, entry 2 reported, failed verify %d named", v, err, failed.Seq)
		}
	})
}

// TestAuditVerifyHeadRehashed: the entry an incremental verification starts from is hashed
// again, not only compared with the hash recorded: changed with its hash column left, it is
// reported.
func TestAuditVerifyHeadRehashed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		appendFive(t, db)
		v, err := db.VerifyAuditIncremental(ctx, AuditMark{})
		if err != nil || !v.OK() {
			t.Fatalf("VerifyAuditIncremental = %+v, %v", v, err)
		}
		if _, err := db.AuditVerified(ctx, v, AuditMark{}); err != nil {
			t.Fatal(err)
		}
		mustAppend(t, db, AuditEntry{Action: "after.verify"})
		dropTriggers(t, db)
		if _, err := db.db.ExecContext(ctx, `UPDATE audit_log SET detail = 'changed' WHERE seq = 5`); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.VerifyAuditIncremental(ctx, AuditMark{}); v.FirstBad != 5 {
			t.Errorf("VerifyAuditIncremental(head entry 5 changed, hash kept) = %+v, want entry 5 reported", v)
		}
	})
}
