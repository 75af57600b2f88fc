package sqldb

import (
	"sync"
	"testing"
	"time"

	"xiezuo"
)

// TestSubmitReportOnce checks the Idempotency-Key rule on both databases: eight concurrent
// requests with one key and one body store one report and all get its receipt; the key with
// another body is refused and stores nothing; another key, or the same key of another user,
// is another request.
func TestSubmitReportOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		point, _, _ := reportKeys(t, db)
		u := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
		v := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng2", Name: "张财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
		ctx := WithActor(t.Context(), Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit})
		in := ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "已拨付资金。"}}
		k := Idem{UserID: u.ID, Key: "7f9c2ba4-e88f-11ee-a1b2-0242ac120002", RequestHash: "hash-1"}

		const n = 8
		var wg sync.WaitGroup
		receipts := make([]ReportReceipt, n)
		replays := make([]bool, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				receipts[i], replays[i], errs[i] = db.SubmitReportOnce(ctx, in, k)
			}()
		}
		wg.Wait()
		first := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("SubmitReportOnce #%d = %v", i, errs[i])
			}
			if receipts[i] != receipts[0] {
				t.Errorf("SubmitReportOnce #%d = %+v, want the first answer %+v", i, receipts[i], receipts[0])
			}
			if !replays[i] {
				first++
			}
		}
		if first != 1 || receipts[0].Version != 1 || receipts[0].State != xiezuo.ReportSubmitted {
			t.Errorf("%d requests stored a report (want 1); receipt %+v", first, receipts[0])
		}
		if got := countRows(t, db, "reports"); got != 1 {
			t.Errorf("reports stored = %d, want 1", got)
		}

		other := in
		other.Values.Text = "已拨付资金，另有追加。"
		if _, _, err := db.SubmitReportOnce(ctx, other, Idem{UserID: u.ID, Key: k.Key, RequestHash: "hash-2"}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("SubmitReportOnce(same key, other body) = %v, want ECONFLICT", err)
		}
		if _, _, err := db.SubmitReportOnce(ctx, in, Idem{UserID: u.ID, Key: "含中文", RequestHash: "hash-1"}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SubmitReportOnce(key with Chinese) = %v, want EINVALID", err)
		}
		if got := countRows(t, db, "reports"); got != 1 {
			t.Errorf("reports stored after refusals = %d, want 1", got)
		}
		// A refused first request stores no key: the client may correct it and send it again.
		bad := in
		bad.Unit = "某某公司"
		if _, _, err := db.SubmitReportOnce(ctx, bad, Idem{UserID: u.ID, Key: "k-bad", RequestHash: "hash-3"}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SubmitReportOnce(bad unit) = %v, want EINVALID", err)
		}
		// One report per unit, duty and month: the retries below report for other units.
		in2, in3 := in, in
		in2.Unit, in3.Unit = "区科技和信息化局", "区商务局"
		if rc, replayed, err := db.SubmitReportOnce(ctx, in2, Idem{UserID: u.ID, Key: "k-bad", RequestHash: "hash-1"}); err != nil || replayed || rc.ID == receipts[0].ID {
			t.Errorf("SubmitReportOnce(key of a refused request) = %+v, %v, %v; want a new report", rc, replayed, err)
		}
		if rc, replayed, err := db.SubmitReportOnce(ctx, in3, Idem{UserID: v.ID, Key: k.Key, RequestHash: "hash-1"}); err != nil || replayed || rc.ID == receipts[0].ID {
			t.Errorf("SubmitReportOnce(another user's same key) = %+v, %v, %v; want a new report", rc, replayed, err)
		}
		if got := countRows(t, db, "idempotency_keys"); got != 3 {
			t.Errorf("idempotency keys stored = %d, want 3", got)
		}
		if got := countRows(t, db, "reports"); got != 3 {
			t.Errorf("reports stored = %d, want 3", got)
		}
	})
}

// TestPruneIdemKeys: keys older than the cut are deleted, newer ones kept, and what the old
// key created stays.
func TestPruneIdemKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		point, task, _ := reportKeys(t, db)
		u := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
		ctx := WithActor(t.Context(), Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit})
		old := time.Date(2021, 6, 1, 2, 0, 0, 0, time.UTC)
		db.now = func() time.Time { return old }
		if _, _, err := db.SubmitReportOnce(ctx, ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "六月"}}, Idem{UserID: u.ID, Key: "old", RequestHash: "h1"}); err != nil {
			t.Fatal(err)
		}
		db.now = func() time.Time { return old.AddDate(0, 2, 0) }
		if _, _, err := db.SubmitReportOnce(ctx, ReportWrite{Duty: task, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "八月"}}, Idem{UserID: u.ID, Key: "new", RequestHash: "h2"}); err != nil {
			t.Fatal(err)
		}
		n, err := db.PruneIdemKeys(t.Context(), db.Now().Add(-IdemKeep))
		if err != nil || n != 1 {
			t.Fatalf("PruneIdemKeys = %d, %v; want 1", n, err)
		}
		if got := countRows(t, db, "idempotency_keys"); got != 1 {
			t.Errorf("keys after pruning = %d, want 1", got)
		}
		if got := countRows(t, db, "reports"); got != 2 {
			t.Errorf("reports after pruning = %d, want 2", got)
		}
		if _, found, err := db.IdemAnswered(t.Context(), Idem{UserID: u.ID, Key: "new", RequestHash: "h2"}); err != nil || !found {
			t.Errorf("the newer key was not kept: %v, %v", found, err)
		}
	})
}
