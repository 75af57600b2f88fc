package sqldb

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"xiezuo"
)

// fundsFixture stores the test plan and returns a context of the office writing on
// 2021-09-15 (Beijing) and the ids of the plan's first two projects.
func fundsFixture(t *testing.T, db *DB) (ctx context.Context, p1, p2 int64) {
	t.Helper()
	mustImport(t, db, testPlan("门头沟区", 2021, []byte("funds")), []byte("funds"))
	p := mustLoad(t, db, "门头沟区", 2021)
	if len(p.Projects) < 2 {
		t.Fatalf("the test plan has %d projects, want 2 or more", len(p.Projects))
	}
	c := WithActor(t.Context(), Actor{UserID: 1, Username: "office", Unit: "领导小组办公室"})
	c = WithFactTime(c, time.Date(2021, 9, 15, 2, 0, 0, 0, time.UTC))
	return c, p.Projects[0].ID, p.Projects[1].ID
}

func TestAddFundTx(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, p1, p2 := fundsFixture(t, db)
		on := func(s string) xiezuo.Date { d, _ := xiezuo.ParseDate(s); return d }
		add := func(project int64, k xiezuo.FundKind, yuan int64, date string, reverses int64) (xiezuo.FundTx, error) {
			return db.AddFundTx(ctx, xiezuo.FundTx{ProjectID: project, Kind: k, Source: xiezuo.SourceDistrict,
				Amount: yuan * xiezuo.FenPerYuan, On: on(date), Reverses: reverses, Note: "测试"})
		}
		alloc, err := add(p1, xiezuo.FundAllocation, 1000, "2021-06-30", 0)
		if err != nil {
			t.Fatalf("AddFundTx(allocation) = %v", err)
		}
		if alloc.ID == 0 || alloc.By != "office" || !alloc.At.Equal(time.Date(2021, 9, 15, 2, 0, 0, 0, time.UTC)) || alloc.On != on("2021-06-30") {
			t.Errorf("AddFundTx(allocation) = %+v", alloc)
		}
		disb, err := add(p1, xiezuo.FundDisbursement, 600, "2021-07-15", 0)
		if err != nil {
			t.Fatalf("AddFundTx(disbursement) = %v", err)
		}
		if _, err := add(p2, xiezuo.FundAllocation, 50, "2021-09-15", 0); err != nil {
			t.Fatalf("AddFundTx(allocation of project 2, today) = %v", err)
		}
		refusals := []struct {
			name    string
			err     func() error
			code    string
			message string
		}{
			{"over the allocation", func() error { _, err := add(p1, xiezuo.FundDisbursement, 401, "2021-09-01", 0); return err }, xiezuo.EINVALID, "超过累计下达"},
			{"backdated spending", func() error { _, err := add(p1, xiezuo.FundExpenditure, 1, "2021-07-01", 0); return err }, xiezuo.EINVALID, "超过累计拨付"},
			{"tomorrow", func() error { _, err := add(p1, xiezuo.FundAllocation, 1, "2021-09-16", 0); return err }, xiezuo.EINVALID, "晚于今天（2021-09-15）"},
			{"another project's entry", func() error { _, err := add(p2, xiezuo.FundDisbursement, -600, "2021-09-01", disb.ID); return err }, xiezuo.EINVALID, "没有编号为"},
			{"no such project", func() error { _, err := add(999999, xiezuo.FundAllocation, 1, "2021-09-01", 0); return err }, xiezuo.ENOTFOUND, "没有编号为 999999 的项目"},
		}
		before, _ := db.FundTxs(ctx, p1)
		for _, r := range refusals {
			err := r.err()
			if xiezuo.ErrorCode(err) != r.code || !strings.Contains(xiezuo.ErrorMessage(err), r.message) {
				t.Errorf("%s: AddFundTx = %v, want %s containing %q", r.name, err, r.code, r.message)
			}
		}
		if after, _ := db.FundTxs(ctx, p1); len(after) != len(before) {
			t.Errorf("refused writes stored %d entries", len(after)-len(before))
		}
		rev, err := add(p1, xiezuo.FundDisbursement, -600, "2021-08-01", disb.ID)
		if err != nil || rev.Reverses != disb.ID || rev.Amount != -60000 {
			t.Fatalf("AddFundTx(reversal) = %+v, %v", rev, err)
		}
		if _, err := add(p1, xiezuo.FundDisbursement, -600, "2021-08-02", disb.ID); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("AddFundTx(second reversal) = %v, want ECONFLICT", err)
		}
		got, err := db.FundTxs(ctx, p1)
		if err != nil || len(got) != 3 || got[0].ID != alloc.ID || got[1].ID != disb.ID || got[2].ID != rev.ID || got[2].Reverses != disb.ID {
			t.Errorf("FundTxs(p1) = %+v, %v; want allocation, disbursement, reversal", got, err)
		}
		if _, err := db.FundTxs(ctx, 999999); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("FundTxs(999999) = %v, want ENOTFOUND", err)
		}
		all, err := db.PlanFundTxs(ctx, "门头沟区", 2021)
		if err != nil || len(all) != 2 || len(all[p1]) != 3 || len(all[p2]) != 1 {
			t.Errorf("PlanFundTxs = %d projects (%d, %d entries), %v; want 2 (3, 1)", len(all), len(all[p1]), len(all[p2]), err)
		}
		if tot := xiezuo.FundsAt(all[p1], on("2021-07-31")); tot.Allocated != 100000 || tot.Disbursed != 60000 {
			t.Errorf("FundsAt(p1, 07-31) = %+v", tot)
		}
		if tot := xiezuo.FundsAt(all[p1], xiezuo.Date{}); tot.Disbursed != 0 {
			t.Errorf("FundsAt(p1) disbursed %d after the reversal, want 0", tot.Disbursed)
		}
		// The sums give what the ledger gives, as of any date.
		for _, d := range []string{"2021-06-29", "2021-06-30", "2021-07-15", "2021-07-31", "2021-08-01", "2021-09-15"} {
			sums, err := db.PlanFundSums(ctx, "门头沟区", 2021, on(d))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []int64{p1, p2} {
				if got, want := xiezuo.FundsAt(sums[p], on(d)), xiezuo.FundsAt(all[p], on(d)); got != want {
					t.Errorf("PlanFundSums as of %s, project %d = %+v, want %+v", d, p, got, want)
				}
			}
		}
		entries, _, err := db.SearchAudit(ctx, AuditFilter{ObjectType: "fund_transaction"})
		if err != nil || len(entries) != 4 {
			t.Fatalf("audit entries of fund transactions = %d, %v; want 4", len(entries), err)
		}
		var reversals int
		for _, e := range entries {
			if e.Action == AuditFundReverse {
				reversals++
			}
		}
		if reversals != 1 {
			t.Errorf("reversal audit entries = %d, want 1", reversals)
		}
	})
}

func TestAddFundTxOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, p1, _ := fundsFixture(t, db)
		in := xiezuo.FundTx{ProjectID: p1, Kind: xiezuo.FundAllocation, Source: xiezuo.SourceSocial, Amount: 1234, On: xiezuo.Date{Year: 2021, Month: 7, Day: 1}}
		u := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
		k := Idem{UserID: u.ID, Key: "k-1", RequestHash: "h1"}
		first, replayed, err := db.AddFundTxOnce(ctx, in, k)
		if err != nil || replayed {
			t.Fatalf("AddFundTxOnce = %+v, %v, %v", first, replayed, err)
		}
		again, replayed, err := db.AddFundTxOnce(ctx, in, k)
		if err != nil || !replayed || again.ID != first.ID || !again.At.Equal(first.At) || again.On != first.On {
			t.Errorf("AddFundTxOnce again = %+v, %v, %v; want the first %+v replayed", again, replayed, err, first)
		}
		var stored xiezuo.FundTx
		if found, err := db.IdemStored(ctx, k, &stored); err != nil || !found || stored.ID != first.ID {
			t.Errorf("IdemStored = %v, %v, %+v", found, err, stored)
		}
		k.RequestHash = "h2"
		if _, _, err := db.AddFundTxOnce(ctx, in, k); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("AddFundTxOnce(other body) = %v, want ECONFLICT", err)
		}
		if txs, _ := db.FundTxs(ctx, p1); len(txs) != 1 {
			t.Errorf("stored %d entries, want 1", len(txs))
		}
	})
}

// TestAddFundTxRace: two disbursements at once that each fit but not together; the project's
// lock makes the second see the first, so one is refused.
func TestAddFundTxRace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, p1, _ := fundsFixture(t, db)
		on := xiezuo.Date{Year: 2021, Month: 7, Day: 1}
		if _, err := db.AddFundTx(ctx, xiezuo.FundTx{ProjectID: p1, Kind: xiezuo.FundAllocation, Source: xiezuo.SourceDistrict, Amount: 100, On: on}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = db.AddFundTx(ctx, xiezuo.FundTx{ProjectID: p1, Kind: xiezuo.FundDisbursement, Source: xiezuo.SourceDistrict, Amount: 60, On: on})
			})
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Errorf("two disbursements of 60 against 100: errors %v and %v, want exactly one refused", errs[0], errs[1])
		}
	})
}

func TestImportFundTxs(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, p1, p2 := fundsFixture(t, db)
		on := xiezuo.Date{Year: 2021, Month: 7, Day: 1}
		good := []xiezuo.FundTx{
			{ProjectID: p1, Kind: xiezuo.FundAllocation, Source: xiezuo.SourceDistrict, Amount: 100, On: on},
			{ProjectID: p2, Kind: xiezuo.FundAllocation, Source: xiezuo.SourceDistrict, Amount: 50, On: on},
			{ProjectID: p1, Kind: xiezuo.FundDisbursement, Source: xiezuo.SourceDistrict, Amount: 100, On: on},
		}
		if n, err := db.ImportFundTxs(ctx, good, "测试"); err != nil || n != 3 {
			t.Fatalf("ImportFundTxs = %d, %v", n, err)
		}
		// The second entry breaks the ceiling against the stored ledger: none is stored.
		bad := []xiezuo.FundTx{
			{ProjectID: p2, Kind: xiezuo.FundDisbursement, Source: xiezuo.SourceDistrict, Amount: 50, On: on},
			{ProjectID: p1, Kind: xiezuo.FundDisbursement, Source: xiezuo.SourceDistrict, Amount: 1, On: on},
		}
		if _, err := db.ImportFundTxs(ctx, bad, "测试"); xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(err.Error(), "第 2 笔") {
			t.Errorf("ImportFundTxs(bad) = %v, want EINVALID naming the 2nd", err)
		}
		all, _ := db.PlanFundTxs(ctx, "门头沟区", 2021)
		if len(all[p1]) != 2 || len(all[p2]) != 1 {
			t.Errorf("after a refused batch: %d and %d entries, want 2 and 1", len(all[p1]), len(all[p2]))
		}
	})
}
