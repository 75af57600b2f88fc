package xiezuo

import (
	"slices"
	"time"
)

// The leaders' dashboard (领导驾驶舱): the figures it draws that no other page computes — each
// purchasing unit's share of partner-region products against the 30 % requirement, the money
// of a year month by month, and the jobs the registers report by region. The money by region
// and category, the duties' lights and the scorecard are the rules of their own pages
// (RollupFunds, Supervise, Score), which the dashboard asks as those pages do.

// CanDashboard reports whether u reads the leaders' dashboard: the office, the district's
// leaders and the city office.
func (u *User) CanDashboard() bool { return u.HasAny(RoleOffice, RoleLeader, RoleCityOffice) }

// PurchaseShareTarget is the share of partner-region products the 2021 task list asks of each
// budget unit's canteen and union-welfare purchases (30 %), in basis points.
const PurchaseShareTarget = 3000

// PurchaseShare is one purchasing unit's purchases of a plan year as reported by a date.
type PurchaseShare struct {
	Unit     string
	Reported bool     // the unit reported some purchase of the year
	Periods  []string // the periods counted, as the register writes them (2021-H1, 2021-07 …)
	Base     Num      // its total food and union-welfare purchases (the denominator), fen; unknown when not reported
	Partner  Num      // of which partner-region products, fen; unknown when not reported
}

// Share is Partner over Base: unknown when either is unknown or Base is 0.
func (s PurchaseShare) Share() Ratio {
	if !s.Base.Valid || !s.Partner.Valid {
		return Ratio{}
	}
	return Ratio{s.Partner.V, s.Base.V}
}

// Met reports whether the unit's share is known and at least the target.
func (s PurchaseShare) Met() bool {
	return s.Share().AtLeast(PurchaseShareTarget)
}

// PurchaseShares lays out the purchases of plan year year from the purchase register's entries
// as they stood (EntriesAt; entries of other registers are ignored): a row per unit in expected
// (the units asked to report, in that order; a unit that reported nothing is listed, not
// Reported, never as 0 %), then any other unit that reported, in the order first reported.
// A unit's periods are not counted twice: a report of the whole year replaces its half years
// and months, a half year replaces its months; reports of the same period add up. Base and
// Partner are the sums of the register's derived fields (RegisterSpec.Value of base: food plus
// union-welfare purchases; partner: the four channels), unknown when no counted report gave any of their
// parts. The returned total sums the units whose share is known.
func PurchaseShares(entries []RegisterEntry, year int, expected []string) ([]PurchaseShare, PurchaseShare) {
	byUnit := map[string][]RegisterEntry{}
	order := slices.Clone(expected)
	for _, e := range entries {
		if e.Kind != RegPurchase {
			continue
		}
		if _, err := ParseReportPeriod(e.Text("period"), year); err != nil {
			continue
		}
		u := e.Unit
		if u == "" {
			u = e.Text("unit")
		}
		if _, ok := byUnit[u]; !ok && !slices.Contains(order, u) {
			order = append(order, u)
		}
		byUnit[u] = append(byUnit[u], e)
	}
	spec, _ := RegisterSpecOf(RegPurchase)
	total := PurchaseShare{Unit: "合计"}
	var tb, tp Sum
	var out []PurchaseShare
	for _, u := range order {
		s := PurchaseShare{Unit: u}
		es := countedPurchases(byUnit[u], year)
		var base, partner Sum
		for _, e := range es {
			s.Reported = true
			if !slices.Contains(s.Periods, e.Text("period")) {
				s.Periods = append(s.Periods, e.Text("period"))
			}
			if n := spec.Value(e, "base"); n.Valid {
				base.add(n)
			}
			if n := spec.Value(e, "partner"); n.Valid {
				partner.add(n)
			}
		}
		s.Base, s.Partner = base.Num(), partner.Num()
		if s.Share().Valid() {
			tb.add(s.Base)
			tp.add(s.Partner)
			total.Reported = true
		}
		out = append(out, s)
	}
	total.Base, total.Partner = tb.Num(), tp.Num()
	return out, total
}

// PurchaseUnits are the units asked to report their purchases of a year: the responsible units
// of the year's per-unit indicator over the purchase register (各单位采购协作地区产品比例, gg-06
// in 2021), as the scorecard measures them, when set has one (the first in set order), else
// members (the leading group's member units).
func PurchaseUnits(set []Indicator, members []string) []string {
	for _, in := range set {
		if in.Per != PerUnit || len(in.Units) == 0 {
			continue
		}
		f, err := ParseFormula(in.Formula)
		if err != nil || !slices.Contains(f.Sources, string(RegPurchase)) {
			continue
		}
		return slices.Clone(in.Units)
	}
	return members
}

// countedPurchases keeps the reports of a unit that count for the year: the year's own, else
// the half years' and the months outside them.
func countedPurchases(es []RegisterEntry, year int) []RegisterEntry {
	type rp struct {
		e RegisterEntry
		p ReportPeriod
	}
	var all []rp
	hasYear := false
	halves := map[int]bool{}
	for _, e := range es {
		p, err := ParseReportPeriod(e.Text("period"), year)
		if err != nil {
			continue
		}
		all = append(all, rp{e, p})
		switch p.Kind {
		case PeriodYear:
			hasYear = true
		case PeriodHalf:
			halves[p.N] = true
		}
	}
	var out []RegisterEntry
	for _, x := range all {
		switch {
		case hasYear && x.p.Kind != PeriodYear:
		case x.p.Kind == PeriodMonth && halves[(x.p.N-1)/6+1]:
		default:
			out = append(out, x.e)
		}
	}
	return out
}

// MonthFunds is the money of a plan's projects cumulated to the end of a month (or to the
// as-of day in its month).
type MonthFunds struct {
	Month time.Month
	Day   Date // the day the sums are as of
	FundFigures
}

// FundsByMonth cumulates the transactions (by project) month by month through year, up to
// asOf: a row per month from January to asOf's month (none when asOf is before the year),
// each as of its last day, the last as of asOf.
func FundsByMonth(txs map[int64][]FundTx, year int, asOf Date) []MonthFunds {
	if asOf.Year < year {
		return nil
	}
	last := time.December
	if asOf.Year == year {
		last = asOf.Month
	}
	var out []MonthFunds
	for m := time.January; m <= last; m++ {
		end := Date{year, m, daysIn(year, m)}
		if asOf.Year == year && m == last {
			end = asOf
		}
		row := MonthFunds{Month: m, Day: end}
		for _, list := range txs {
			row.FundFigures.addAll(FundsAt(list, end).FundFigures)
		}
		out = append(out, row)
	}
	return out
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// RegionJobs is the employment of one partner region: the poor people the plan's projects are
// to employ (吸纳脱贫人口) against those their results report by a day, and the jobs the
// registers report (parks' and workshops' poor people employed, firms' jobs), each unknown when
// nothing was reported.
type RegionJobs struct {
	Region   string
	Planned  Villages // the plan's rows' sum (exact, or at least when rows are blank)
	Actual   Villages // the projects' results: at least, when some project reported nothing
	ParkPoor Sum      // 共建产业园区、帮扶车间：其中脱贫人口
	FirmJobs Sum      // 引导企业投资：吸纳就业
}

// EmploymentByRegion is the employment of each region of the plan, in plan order: planned
// against the projects' results on day d (RegionOutcome's employed line), and the register
// entries (as they stood: EntriesAt) of parks, workshops and firms in the region. Register
// entries of a region the plan does not name are left out.
func EmploymentByRegion(plan *Plan, results map[int64][]ProjectResult, entries []RegisterEntry, d Date) []RegionJobs {
	t := Rollup(plan, ProjectFilter{})
	var out []RegionJobs
	index := map[string]int{}
	for _, g := range t.Regions {
		rj := RegionJobs{Region: g.Region}
		for _, l := range RegionOutcome(g.Projects, nil, results, d, nil) {
			if l.Kind == ResultPoorEmployed {
				rj.Planned, rj.Actual = l.Planned, l.Actual
			}
		}
		index[g.Region] = len(out)
		out = append(out, rj)
	}
	for _, e := range entries {
		i, ok := index[e.Region]
		if !ok {
			continue
		}
		switch e.Kind {
		case RegPark:
			if n := e.Num("poor_employed"); n.Valid {
				out[i].ParkPoor.add(n)
			}
		case RegFirm:
			if n := e.Num("jobs"); n.Valid {
				out[i].FirmJobs.add(n)
			}
		}
	}
	return out
}

// ScoreGaps are the indicators of a scorecard that threaten the assessment, worst first: the
// red ones (due and not met), then the yellow ones (not yet met, due later); within a colour
// the furthest from its target first (value over target for an "at least" indicator, target
// over value for an "at most" one; nothing reported counts as furthest), then the earliest due.
// Each indicator appears once, whatever the grouping of the scorecard.
func ScoreGaps(sc Scorecard) []IndicatorScore {
	seen := map[string]bool{}
	var out []IndicatorScore
	for _, g := range sc.Groups {
		for _, row := range g.Rows {
			if row.Light != ScoreRed && row.Light != ScoreYellow {
				continue
			}
			key := row.Indicator.Code + "\x00" + row.Group
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, row)
		}
	}
	rank := func(l ScoreLight) int {
		if l == ScoreRed {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(out, func(a, b IndicatorScore) int {
		if d := rank(a.Light) - rank(b.Light); d != 0 {
			return d
		}
		if pa, pb := attainment(a), attainment(b); pa != pb {
			if pa < pb {
				return -1
			}
			return 1
		}
		if a.Indicator.Due != b.Indicator.Due {
			if a.Indicator.Due < b.Indicator.Due {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// attainment is how much of its target an indicator reaches: 0 when nothing was reported or
// there is no target to compare with, 1 and above when met.
func attainment(s IndicatorScore) float64 {
	if !s.Value.Valid || !s.Target.Valid {
		return 0
	}
	if s.Indicator.Compare == "<=" {
		if s.Value.V <= 0 {
			return 1
		}
		return s.Target.V / s.Value.V
	}
	if s.Target.V <= 0 {
		return 1
	}
	return s.Value.V / s.Target.V
}

// ScoreCounts counts a scorecard's indicators by light, each indicator once (its district-wide
// row, or its first row when the scorecard is grouped).
func ScoreCounts(sc Scorecard) map[ScoreLight]int {
	seen := map[string]bool{}
	out := map[ScoreLight]int{}
	for _, g := range sc.Groups {
		for _, row := range g.Rows {
			if seen[row.Indicator.Code] {
				continue
			}
			seen[row.Indicator.Code] = true
			out[row.Light]++
		}
	}
	return out
}
