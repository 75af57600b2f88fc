package gen

import (
	"path/filepath"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
)

// TestFundTxsPassTheRules: every generated entry passes CheckFundTx in the order given, none is
// dated after today, and the district fund allocated is the plan's.
func TestFundTxsPassTheRules(t *testing.T) {
	p := Plan(Options{Seed: 3, District: "门头沟区", Year: 2021, Projects: 40})
	for i := range p.Projects {
		p.Projects[i].ID = int64(i + 1)
	}
	today := xiezuo.Date{Year: 2021, Month: 9, Day: 15}
	txs := FundTxs(p, today, 20, 7)
	if len(txs) < 20*40 {
		t.Fatalf("FundTxs made %d entries, want at least %d", len(txs), 20*40)
	}
	ledgers := map[int64][]xiezuo.FundTx{}
	for i, tx := range txs {
		tx.ID = int64(i + 1)
		if err := xiezuo.CheckFundTx(ledgers[tx.ProjectID], tx, today); err != nil {
			t.Fatalf("entry %d %+v: CheckFundTx = %v", i, tx, err)
		}
		ledgers[tx.ProjectID] = append(ledgers[tx.ProjectID], tx)
	}
	for _, pr := range p.Projects {
		if got := xiezuo.FundsAt(ledgers[pr.ID], today).Source(xiezuo.SourceDistrict).Allocated; pr.DistrictFund.Valid && got < pr.DistrictFund.V {
			t.Errorf("project %d: allocated %d of its district fund %d", pr.ID, got, pr.DistrictFund.V)
		}
	}
	if got := FundTxs(p, xiezuo.Date{Year: 2021, Month: 6, Day: 1}, 20, 7); got != nil {
		t.Errorf("FundTxs before 20 June made %d entries", len(got))
	}
}

func TestWriteFunds(t *testing.T) {
	db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "xiezuo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	useTestAuditKey(t, db)
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v", err)
	}
	if _, err := db.ImportPlan(t.Context(), res.Plan, sample.Plan2021); err != nil {
		t.Fatal(err)
	}
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, xiezuo.Beijing)
	st, err := WriteFunds(t.Context(), db, FundsDemo{District: "门头沟区", Year: 2021, Today: today, Seed: 1, By: "office"})
	if err != nil || st.Reversals != 1 || st.Transactions < 16*6 {
		t.Fatalf("WriteFunds = %+v, %v", st, err)
	}
	txs, err := db.PlanFundTxs(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.LoadPlan(t.Context(), "门头沟区", 2021)
	tab := xiezuo.RollupFunds(p, xiezuo.ProjectFilter{}, txs, xiezuo.DateOf(today))
	var planned int64
	for _, pr := range p.Projects {
		planned += pr.DistrictFund.V
	}
	if got := tab.Total.Source(xiezuo.SourceDistrict).Allocated; got != planned {
		t.Errorf("district fund allocated %d, want the plan's %d", got, planned)
	}
	if tab.Total.Disbursed == 0 || tab.Total.Spent == 0 || tab.Total.Spent > tab.Total.Disbursed {
		t.Errorf("totals = %+v", tab.Total.FundFigures)
	}
	var last xiezuo.Date
	for _, list := range txs {
		for _, tx := range list {
			if xiezuo.DaysBetween(last, tx.On) > 0 {
				last = tx.On
			}
		}
	}
	if xiezuo.DaysBetween(xiezuo.DateOf(today), last) > 0 {
		t.Errorf("an entry is dated %s, after today", last)
	}
	// Again: the plan has money already, nothing more is stored.
	if st, err := WriteFunds(t.Context(), db, FundsDemo{District: "门头沟区", Year: 2021, Today: today, Seed: 1}); err != nil || st.Transactions != 0 {
		t.Errorf("WriteFunds again = %+v, %v", st, err)
	}
}
