package sqldb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// ledgerFixture stores two districts' plans of two years and, for every project, a ledger of
// allocations, disbursements, expenditures and reversals that xiezuo.CheckFundTx accepts.
func ledgerFixture(t *testing.T, db *DB) (context.Context, []*xiezuo.Plan) {
	t.Helper()
	ctx := WithActor(t.Context(), Actor{UserID: 1, Username: "office", Unit: "领导小组办公室"})
	ctx = WithFactTime(ctx, time.Date(2023, 1, 10, 2, 0, 0, 0, time.UTC))
	var plans []*xiezuo.Plan
	rng := rand.New(rand.NewPCG(9, 9))
	for _, district := range []string{"门头沟区", "房山区"} {
		for _, year := range []int{2021, 2022} {
			content := []byte(fmt.Sprintf("ledger %s %d", district, year))
			mustImport(t, db, testPlan(district, year, content), content)
			p := mustLoad(t, db, district, year)
			plans = append(plans, p)
			var txs []xiezuo.FundTx
			for _, pr := range p.Projects {
				for _, src := range []xiezuo.FundSource{xiezuo.SourceDistrict, xiezuo.SourceSocial} {
					day := func(m, d int) xiezuo.Date { return xiezuo.Date{Year: year, Month: time.Month(m), Day: d} }
					alloc := int64(1000+rng.IntN(9000)) * 100
					txs = append(txs, xiezuo.FundTx{ProjectID: pr.ID, Kind: xiezuo.FundAllocation, Source: src, Amount: alloc, On: day(3, 1+rng.IntN(28))},
						xiezuo.FundTx{ProjectID: pr.ID, Kind: xiezuo.FundDisbursement, Source: src, Amount: alloc / 2, On: day(6, 1+rng.IntN(28))},
						xiezuo.FundTx{ProjectID: pr.ID, Kind: xiezuo.FundExpenditure, Source: src, Amount: alloc / 4, On: day(9, 1+rng.IntN(28))})
				}
			}
			if _, err := db.ImportFundTxs(ctx, txs, "ledger test"); err != nil {
				t.Fatalf("ImportFundTxs(%s %d) = %v", district, year, err)
			}
			// A reversal of the first expenditure, on a later day.
			all, err := db.FundTxs(ctx, p.Projects[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			e := all[len(all)-1]
			if _, err := db.AddFundTx(ctx, xiezuo.FundTx{ProjectID: e.ProjectID, Kind: e.Kind, Source: e.Source, Amount: -e.Amount,
				On: xiezuo.Date{Year: year, Month: 11, Day: 2}, Reverses: e.ID, Note: "冲销"}); err != nil {
				t.Fatalf("AddFundTx(reversal) = %v", err)
			}
		}
	}
	return ctx, plans
}

// wantTotals is FundTotalsAt computed the long way: every project's entries through FundsAt.
func wantTotals(t *testing.T, ctx context.Context, db *DB, plans []*xiezuo.Plan, d xiezuo.Date) map[int64]xiezuo.FundTotals {
	t.Helper()
	out := map[int64]xiezuo.FundTotals{}
	for _, p := range plans {
		m, err := db.PlanFundTxs(ctx, p.District, p.Year)
		if err != nil {
			t.Fatal(err)
		}
		for id, list := range m {
			var kept []xiezuo.FundTx
			for _, tx := range list {
				if d.IsZero() || dayOf(tx.On) <= dayOf(d) {
					kept = append(kept, tx)
				}
			}
			if len(kept) > 0 {
				out[id] = xiezuo.FundsAt(list, d)
			}
		}
	}
	return out
}

// TestFundLedger checks that the copy in memory gives what the database gives: FundTotalsAt
// against each project's FundsAt, each plan's PlanFundSums (SQL) against the copy, as of
// several dates; that new entries reach it without a whole load, and that a deleted project's
// rows leave it (a whole load).
func TestFundLedger(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, plans := ledgerFixture(t, db)
		dates := []xiezuo.Date{{}, {Year: 2021, Month: 6, Day: 30}, {Year: 2022, Month: 9, Day: 1}, {Year: 2022, Month: 11, Day: 2}}
		// PlanFundSums in SQL, before the copy is loaded.
		type planAt struct {
			district string
			year     int
			d        xiezuo.Date
		}
		sqlSums := map[planAt]map[int64][]xiezuo.FundTx{}
		for _, p := range plans {
			for _, d := range dates {
				m, err := db.PlanFundSums(ctx, p.District, p.Year, d)
				if err != nil {
					t.Fatal(err)
				}
				sqlSums[planAt{p.District, p.Year, d}] = m
			}
		}
		for _, d := range dates {
			got, err := db.FundTotalsAt(ctx, d)
			if err != nil {
				t.Fatalf("FundTotalsAt(%s) = %v", d, err)
			}
			if diff := cmp.Diff(wantTotals(t, ctx, db, plans, d), got); diff != "" {
				t.Errorf("FundTotalsAt(%s) (-FundsAt +ledger):\n%s", d, diff)
			}
		}
		if n := db.ledger.loads.Load(); n != 1 {
			t.Errorf("the ledger was loaded whole %d times, want 1", n)
		}
		// The grouped sums of each plan in SQL give, through FundsAt, what the copy gives.
		for _, d := range dates {
			fromCopy, err := db.FundTotalsAt(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			for k, sums := range sqlSums {
				if k.d != d {
					continue
				}
				for id, list := range sums {
					if got, want := fromCopy[id], xiezuo.FundsAt(list, d); got != want {
						t.Errorf("project %d as of %s: ledger %+v, PlanFundSums %+v", id, d, got, want)
					}
				}
			}
		}
		// A new entry reaches the copy by the rows above its highest id.
		p := plans[0].Projects[1]
		if _, err := db.AddFundTx(ctx, xiezuo.FundTx{ProjectID: p.ID, Kind: xiezuo.FundAllocation, Source: xiezuo.SourceSelf, Amount: 12345, On: xiezuo.Date{Year: 2023, Month: 1, Day: 9}, Note: "新"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FundTotalsAt(ctx, xiezuo.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if got[p.ID].Source(xiezuo.SourceSelf).Allocated != 12345 || db.ledger.loads.Load() != 1 {
			t.Errorf("after a new entry: 自筹 of project %d = %+v, whole loads %d; want 12345 allocated, 1 load", p.ID, got[p.ID].Source(xiezuo.SourceSelf), db.ledger.loads.Load())
		}
		if diff := cmp.Diff(wantTotals(t, ctx, db, plans, xiezuo.Date{}), got); diff != "" {
			t.Errorf("FundTotalsAt after a new entry (-FundsAt +ledger):\n%s", diff)
		}
		// A project deleted with its rows, as a re-import that drops it does.
		gone := plans[1].Projects[0].ID
		if _, err := db.writer.ExecContext(ctx, `DELETE FROM projects WHERE id = $1`, gone); err != nil {
			t.Fatal(err)
		}
		got, err = db.FundTotalsAt(ctx, xiezuo.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got[gone]; ok || db.ledger.loads.Load() != 2 {
			t.Errorf("after deleting project %d: still in the ledger %v, whole loads %d; want gone, 2 loads", gone, ok, db.ledger.loads.Load())
		}
		if diff := cmp.Diff(wantTotals(t, ctx, db, plans, xiezuo.Date{}), got); diff != "" {
			t.Errorf("FundTotalsAt after a deletion (-FundsAt +ledger):\n%s", diff)
		}
	})
}

// TestFundLedgerOutOfOrder commits, on PostgreSQL, a row whose id is below the highest the copy
// already holds (two transactions, the later id committed first): the copy sees it on the next
// use.
func TestFundLedgerOutOfOrder(t *testing.T) {
	db := openTestPostgres(t)
	ctx, plans := ledgerFixture(t, db)
	project := plans[0].Projects[0].ID
	if _, err := db.FundTotalsAt(ctx, xiezuo.Date{}); err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO fund_transactions (project_id, kind, source, amount, on_date, note, by_user, at)
		VALUES ($1, 'allocation', 'integrated', $2, $3, '', 'test', $4) RETURNING id`
	on := xiezuo.Date{Year: 2022, Month: 12, Day: 1}
	first, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback()
	var id1, id2 int64
	if err := first.QueryRowContext(ctx, insert, project, 100, on, time.Now().UTC()).Scan(&id1); err != nil {
		t.Fatal(err)
	}
	second, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Rollback()
	if err := second.QueryRowContext(ctx, insert, project, 20000, on, time.Now().UTC()).Scan(&id2); err != nil {
		t.Fatal(err)
	}
	if id2 <= id1 {
		t.Fatalf("ids %d then %d, want increasing", id1, id2)
	}
	if err := second.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := db.FundTotalsAt(ctx, xiezuo.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if a := got[project].Source(xiezuo.SourceIntegrated).Allocated; a != 20000 {
		t.Errorf("after the later id committed: 整合资金 allocated %d, want 20000", a)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	loads := db.ledger.loads.Load()
	got, err = db.FundTotalsAt(ctx, xiezuo.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if a := got[project].Source(xiezuo.SourceIntegrated).Allocated; a != 20100 || db.ledger.loads.Load() != loads+1 {
		t.Errorf("after the earlier id committed: 整合资金 allocated %d, whole loads %d; want 20100 and a whole load (was %d)", a, db.ledger.loads.Load(), loads)
	}
	if diff := cmp.Diff(wantTotals(t, ctx, db, plans, xiezuo.Date{}), got); diff != "" {
		t.Errorf("FundTotalsAt (-FundsAt +ledger):\n%s", diff)
	}
}
