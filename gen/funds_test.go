package gen

import (
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
)

// TestFundTxsPassTheRules: on a generated plan with its projects' steps as WriteLife plans
// them, every entry passes CheckFundTx in the order given, none is dated after today or before
// the plan's issue, no allocation stands above the district fund, a project not started has
// nothing paid or spent, and a started one nothing before its start.
func TestFundTxsPassTheRules(t *testing.T) {
	p := Plan(Options{Seed: 3, District: "门头沟区", Year: 2021, Projects: 40})
	for i := range p.Projects {
		p.Projects[i].ID = int64(i + 1)
	}
	today := xiezuo.Date{Year: 2021, Month: 9, Day: 15}
	r := rand.New(rand.NewPCG(1, 2))
	steps := map[int64][]xiezuo.ProjectStep{}
	for i, pr := range p.Projects {
		for _, s := range lifeOf(i, len(p.Projects), pr, p.Year, r) {
			steps[pr.ID] = append(steps[pr.ID], s.step)
		}
	}
	txs := FundTxsBySteps(p, steps, today, 20, 7)
	if len(txs) < 10*40 {
		t.Fatalf("FundTxs made %d entries, want at least %d", len(txs), 10*40)
	}
	ledgers := map[int64][]xiezuo.FundTx{}
	for i, tx := range txs {
		tx.ID = int64(i + 1)
		if err := xiezuo.CheckFundTx(ledgers[tx.ProjectID], tx, today); err != nil {
			t.Fatalf("entry %d %+v: CheckFundTx = %v", i, tx, err)
		}
		if xiezuo.DaysBetween(p.IssuedOn, tx.On) < 0 {
			t.Errorf("entry %d %+v is dated before the plan's issue %s", i, tx, p.IssuedOn)
		}
		ledgers[tx.ProjectID] = append(ledgers[tx.ProjectID], tx)
	}
	for _, pr := range p.Projects {
		ss := steps[pr.ID]
		got := xiezuo.FundsAt(ledgers[pr.ID], today).FundFigures
		if fund := xiezuo.AdjustedProject(pr, ss, today).DistrictFund; got.Allocated != fund.V {
			t.Errorf("project %d: allocated %d, want its district fund %d", pr.ID, got.Allocated, fund.V)
		}
		start, started := firstStep(ss, xiezuo.StepStart, today)
		if !started && (got.Disbursed != 0 || got.Spent != 0) {
			t.Errorf("project %d not started has %+v", pr.ID, got)
		}
		for _, tx := range ledgers[pr.ID] {
			if tx.Kind != xiezuo.FundAllocation && xiezuo.DaysBetween(start.On, tx.On) < 0 {
				t.Errorf("project %d: %s on %s before its start %s", pr.ID, tx.Kind, tx.On, start.On)
			}
		}
	}
	if got := FundTxsBySteps(p, steps, addDays(p.IssuedOn, -1), 20, 7); got != nil {
		t.Errorf("FundTxsBySteps before the plan's issue made %d entries", len(got))
	}
	// Without steps (the benchmarks' ledgers), every project is paid and spends from the
	// plan's issue on, within the same rules.
	all := FundTxs(p, today, 20, 7)
	ledgers = map[int64][]xiezuo.FundTx{}
	for i, tx := range all {
		tx.ID = int64(i + 1)
		if err := xiezuo.CheckFundTx(ledgers[tx.ProjectID], tx, today); err != nil {
			t.Fatalf("FundTxs entry %d %+v: CheckFundTx = %v", i, tx, err)
		}
		ledgers[tx.ProjectID] = append(ledgers[tx.ProjectID], tx)
	}
	for _, pr := range p.Projects {
		if got := xiezuo.FundsAt(ledgers[pr.ID], today); got.Allocated != pr.DistrictFund.V || got.Disbursed == 0 || got.Spent == 0 {
			t.Errorf("FundTxs: project %d has %+v, want its district fund %d allocated, some of it paid and spent", pr.ID, got.FundFigures, pr.DistrictFund.V)
		}
	}
	if len(all) < 18*40 {
		t.Errorf("FundTxs made %d entries, want about 20 a project", len(all))
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
	if _, err := WriteLife(t.Context(), db, Life{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: demoUsers}); err != nil {
		t.Fatal(err)
	}
	st, err := WriteFunds(t.Context(), db, FundsDemo{District: "门头沟区", Year: 2021, Today: today, Seed: 1, By: "office"})
	if err != nil || st.Reversals != 1 || st.Transactions < 14*6 {
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
