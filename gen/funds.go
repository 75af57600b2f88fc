package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// Money of a stored plan's projects, for demonstrations and benchmarks: each project's district
// fund (区级帮扶资金, as its plan row gives it) allocated in one or two parts, then disbursed and
// spent in steps, never more than allocated or disbursed; a project in four also gets social
// money (社会帮扶资金). Every entry is dated in the plan's year from June on, none after today.

// FundTxs makes about perProject transactions for each project of p (stored, with ids), dated
// from 20 June of the plan's year to today or the year's end, whichever comes first; none when
// today is before 20 June of that year. They pass xiezuo.CheckFundTx in the order given.
func FundTxs(p *xiezuo.Plan, today xiezuo.Date, perProject int, seed int64) []xiezuo.FundTx {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(p.Year)))
	first := time.Date(p.Year, 6, 20, 0, 0, 0, 0, time.UTC)
	last := time.Date(p.Year, 12, 20, 0, 0, 0, 0, time.UTC)
	if t := time.Date(today.Year, today.Month, today.Day, 0, 0, 0, 0, time.UTC); t.Before(last) {
		last = t
	}
	if last.Before(first) {
		return nil
	}
	span := int(last.Sub(first).Hours()/24) + 1
	perProject = max(perProject, 3)
	var out []xiezuo.FundTx
	for _, pr := range p.Projects {
		fund := int64(50 * xiezuo.FenPerWan)
		if pr.DistrictFund.Valid && pr.DistrictFund.V > 0 {
			fund = pr.DistrictFund.V
		}
		n := perProject
		sources := []xiezuo.FundSource{xiezuo.SourceDistrict}
		if r.IntN(4) == 0 && n >= 6 {
			sources = append(sources, xiezuo.SourceSocial)
		}
		// Days in order, one per entry.
		days := make([]int, n)
		for i := range days {
			days[i] = i * span / n
		}
		per := n / len(sources)
		k := 0
		for si, src := range sources {
			m := per
			if si == len(sources)-1 {
				m = n - k
			}
			total := fund
			if src == xiezuo.SourceSocial {
				total = int64(r.IntN(20)+1) * xiezuo.FenPerWan
			}
			var f xiezuo.FundFigures
			add := func(kind xiezuo.FundKind, amount int64) {
				on := first.AddDate(0, 0, days[k])
				out = append(out, xiezuo.FundTx{ProjectID: pr.ID, Kind: kind, Source: src, Amount: amount,
					On: xiezuo.Date{Year: on.Year(), Month: on.Month(), Day: on.Day()}})
				k++
				switch kind {
				case xiezuo.FundAllocation:
					f.Allocated += amount
				case xiezuo.FundDisbursement:
					f.Disbursed += amount
				default:
					f.Spent += amount
				}
			}
			// The allocation, in two parts when there is room.
			if m >= 4 {
				part := total * int64(50+r.IntN(30)) / 100
				add(xiezuo.FundAllocation, part)
				add(xiezuo.FundAllocation, total-part)
				m -= 2
			} else {
				add(xiezuo.FundAllocation, total)
				m--
			}
			// Then disbursements and expenditures in turn, each a share of what is left to it.
			for j := range m {
				left := m - j
				switch {
				case j%2 == 0 && f.Allocated-f.Disbursed > 0:
					room := f.Allocated - f.Disbursed
					add(xiezuo.FundDisbursement, max(1, room*int64(40+r.IntN(50))/100/int64(max(1, left/2))))
				case f.Disbursed-f.Spent > 0:
					room := f.Disbursed - f.Spent
					add(xiezuo.FundExpenditure, max(1, room*int64(50+r.IntN(50))/100))
				default:
					add(xiezuo.FundAllocation, xiezuo.FenPerWan) // a top-up keeps the count
				}
			}
		}
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
// project, and one correction: a project's first expenditure reversed a week later and
// recorded again at nine tenths of it. A plan that has money already is left as it is.
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
	today := xiezuo.DateOf(o.Today.In(xiezuo.Beijing))
	if o.By != "" {
		ctx = sqldb.WithActor(ctx, sqldb.Actor{Username: o.By, Unit: "领导小组办公室"})
	}
	at := func(d xiezuo.Date) context.Context {
		return sqldb.WithFactTime(ctx, time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, xiezuo.Beijing))
	}
	var fixed bool
	for _, t := range FundTxs(p, today, 6, o.Seed) {
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
