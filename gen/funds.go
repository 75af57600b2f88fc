package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// Money of a stored plan's projects, for demonstrations and benchmarks, consistent with their
// steps (WriteLife): each project's district fund (区级帮扶资金) as its plan row gives it, or as
// an adjustment changed it, allocated in one or two parts from the plan's issue on and never
// above it; a project that has started is then paid (拨付) and spends (支出) in steps from its
// start on, until it is suspended or cancelled, never more than allocated or paid. A project
// not started has its money allocated and nothing else. Every entry is dated in the plan's
// year, none after today.

// planStart is the first day the plan's money may move: the day the plan was issued, or 1
// January of its year when the plan does not say.
func planStart(p *xiezuo.Plan) xiezuo.Date {
	if !p.IssuedOn.IsZero() && p.IssuedOn.Year == p.Year {
		return p.IssuedOn
	}
	return xiezuo.NewDate(p.Year, 1, 1)
}

// fundCeiling is the most that may ever be allocated to project pr with its steps dated by d:
// the least of its plan's district fund and of the fund as each adjustment left it, so that no
// allocation stands above the fund of any day; 0 when the plan gives none.
func fundCeiling(pr xiezuo.Project, steps []xiezuo.ProjectStep, d xiezuo.Date) int64 {
	if !pr.DistrictFund.Valid || pr.DistrictFund.V <= 0 {
		return 0
	}
	least := pr.DistrictFund.V
	for _, s := range steps {
		if s.Kind != xiezuo.StepAdjust || xiezuo.DaysBetween(s.On, d) < 0 {
			continue
		}
		if f := xiezuo.AdjustedProject(pr, steps, s.On).DistrictFund; f.Valid {
			least = min(least, f.V)
		}
	}
	return max(least, 0)
}

// FundTxs makes about perProject transactions (at least 3) for each project of p (stored, with
// ids) as FundTxsBySteps does when every project started on the day the plan was issued: for
// ledgers without steps, such as the benchmarks' (bench/funds_bench_test.go). The demo's money
// follows the stored steps (WriteFunds).
func FundTxs(p *xiezuo.Plan, today xiezuo.Date, perProject int, seed int64) []xiezuo.FundTx {
	steps := map[int64][]xiezuo.ProjectStep{}
	for _, pr := range p.Projects {
		steps[pr.ID] = []xiezuo.ProjectStep{{ProjectID: pr.ID, Kind: xiezuo.StepStart, On: planStart(p)}}
	}
	return FundTxsBySteps(p, steps, today, perProject, seed)
}

// FundTxsBySteps makes up to perProject transactions (at least 3) for each project of p
// (stored, with ids) from its steps (by project id, as sqldb.PlanSteps reads them), dated from
// the plan's issue (planStart) to today or 20 December, whichever comes first; none when today
// is before the plan's issue. The district fund (fundCeiling) is allocated whole, in two parts when there
// is room; disbursements and expenditures follow only for a project with a start step, dated
// from that step on and no later than its suspension or cancellation. They pass
// xiezuo.CheckFundTx in the order given.
func FundTxsBySteps(p *xiezuo.Plan, steps map[int64][]xiezuo.ProjectStep, today xiezuo.Date, perProject int, seed int64) []xiezuo.FundTx {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(p.Year)))
	first := planStart(p)
	last := xiezuo.NewDate(p.Year, 12, 20)
	if xiezuo.DaysBetween(today, last) > 0 {
		last = today
	}
	if xiezuo.DaysBetween(first, last) < 0 {
		return nil
	}
	perProject = max(perProject, 3)
	var out []xiezuo.FundTx
	for _, pr := range p.Projects {
		ss := xiezuo.StepsBy(steps[pr.ID], last)
		fund := fundCeiling(pr, ss, last)
		if fund <= 0 {
			continue
		}
		tx := func(kind xiezuo.FundKind, amount int64, on xiezuo.Date) xiezuo.FundTx {
			return xiezuo.FundTx{ProjectID: pr.ID, Kind: kind, Source: xiezuo.SourceDistrict, Amount: amount, On: on}
		}
		// The allocation: in two parts three to five weeks apart when both fall by the last
		// day, else whole.
		var txs []xiezuo.FundTx
		a1 := addDays(first, r.IntN(8))
		if xiezuo.DaysBetween(a1, last) < 0 {
			a1 = last
		}
		if a2 := addDays(a1, 21+r.IntN(15)); perProject >= 4 && xiezuo.DaysBetween(a2, last) >= 0 {
			part := fund * int64(50+r.IntN(30)) / 100
			txs = append(txs, tx(xiezuo.FundAllocation, part, a1), tx(xiezuo.FundAllocation, fund-part, a2))
		} else {
			txs = append(txs, tx(xiezuo.FundAllocation, fund, a1))
		}
		// Payments and spending, after the start (or the first allocation, when the project
		// started before the plan was issued) up to the suspension or cancellation or the
		// last day, on days spread evenly over that span.
		start, started := firstStep(ss, xiezuo.StepStart, last)
		if !started {
			out = append(out, txs...)
			continue
		}
		from, to := laterOf(start.On, a1), last
		for _, k := range []xiezuo.StepKind{xiezuo.StepSuspend, xiezuo.StepCancel} {
			if s, ok := firstStep(ss, k, last); ok && xiezuo.DaysBetween(s.On, to) > 0 {
				to = s.On
			}
		}
		m := perProject - len(txs)
		span := xiezuo.DaysBetween(from, to) + 1
		var f xiezuo.FundFigures
		for j := 0; j < m && span > 0; j++ {
			on := addDays(from, (j+1)*(span-1)/m)
			allocated := int64(0)
			for _, t := range txs {
				if t.Kind == xiezuo.FundAllocation && xiezuo.DaysBetween(t.On, on) >= 0 {
					allocated += t.Amount
				}
			}
			switch {
			case j%2 == 0 && allocated > f.Disbursed:
				left := (m - j + 1) / 2 // disbursements still to come, this one with them
				amount := max(1, (allocated-f.Disbursed)*int64(40+r.IntN(50))/100/int64(left))
				f.Disbursed += amount
				txs = append(txs, tx(xiezuo.FundDisbursement, amount, on))
			case j%2 == 1 && f.Disbursed > f.Spent:
				amount := max(1, (f.Disbursed-f.Spent)*int64(50+r.IntN(50))/100)
				f.Spent += amount
				txs = append(txs, tx(xiezuo.FundExpenditure, amount, on))
			}
		}
		// In date order, so that no payment comes before the allocation it draws on.
		slices.SortStableFunc(txs, func(a, b xiezuo.FundTx) int { return -xiezuo.DaysBetween(a.On, b.On) })
		out = append(out, txs...)
	}
	return out
}

// FundsDemo says what WriteFunds generates.
type FundsDemo struct {
	District string
	Year     int
	Today    time.Time // none is dated after it
	Seed     int64
	By       string // the username recording them; "" for the system
}

// FundStats counts what WriteFunds stored.
type FundStats struct {
	Transactions, Reversals int
}

// WriteFunds stores the money of district's stored plan of year through the storage method the
// pages call (AddFundTx), each entry recorded on its own day: FundTxs with six entries a
// project (FundTxsBySteps), following the steps stored (WriteLife writes them first), and one correction: a
// project's first expenditure reversed a week later and recorded again at nine tenths of it.
// A plan that has money already is left as it is.
func WriteFunds(ctx context.Context, db *sqldb.DB, o FundsDemo) (FundStats, error) {
	var st FundStats
	p, err := db.LoadPlan(ctx, o.District, o.Year)
	if err != nil {
		return st, err
	}
	have, err := db.PlanFundTxs(ctx, o.District, o.Year)
	if err != nil || len(have) > 0 {
		return st, err
	}
	steps, err := db.PlanSteps(ctx, o.District, o.Year)
	if err != nil {
		return st, err
	}
	today := xiezuo.DateOf(o.Today.In(xiezuo.Beijing))
	if o.By != "" {
		ctx = sqldb.WithActor(ctx, sqldb.Actor{Username: o.By, Unit: "领导小组办公室"})
	}
	at := func(d xiezuo.Date) context.Context {
		return sqldb.WithFactTime(ctx, time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, xiezuo.Beijing))
	}
	var fixed bool
	for _, t := range FundTxsBySteps(p, steps, today, 6, o.Seed) {
		stored, err := db.AddFundTx(at(t.On), t)
		if err != nil {
			return st, fmt.Errorf("资金记录（项目 %d，%s）：%w", t.ProjectID, t.On, err)
		}
		st.Transactions++
		if fixed || t.Kind != xiezuo.FundExpenditure {
			continue
		}
		on := time.Date(t.On.Year, t.On.Month, t.On.Day, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7)
		day := xiezuo.Date{Year: on.Year(), Month: on.Month(), Day: on.Day()}
		if xiezuo.DaysBetween(today, day) > 0 {
			continue
		}
		fixed = true
		rev := xiezuo.FundTx{ProjectID: t.ProjectID, Kind: t.Kind, Source: t.Source, Amount: -stored.Amount, On: day,
			Reverses: stored.ID, Note: "金额录入有误，冲销后重新登记"}
		if _, err := db.AddFundTx(at(day), rev); err != nil {
			return st, fmt.Errorf("冲销资金记录 %d：%w", stored.ID, err)
		}
		again := xiezuo.FundTx{ProjectID: t.ProjectID, Kind: t.Kind, Source: t.Source, Amount: max(1, stored.Amount*9/10), On: day, Note: "更正后的支出"}
		if _, err := db.AddFundTx(at(day), again); err != nil {
			return st, fmt.Errorf("重新登记资金记录：%w", err)
		}
		st.Reversals++
		st.Transactions += 2
	}
	return st, nil
}
