package xiezuo

import (
	"fmt"
	"math/big"
	"slices"
	"time"
)

// Money of a project is dated transactions (资金台账), never totals typed in: an allocation
// (下达), a disbursement (拨付) or an expenditure (支出), by funding source, dated no later than
// today; a correction is a reversing entry that names the entry it reverses, never an edit.
// Every cumulative amount and rate (拨付率, 支出率) is computed from the transactions as of a
// date, per project, category, region and year, through the one rollup at the root.

// FundKind is what a transaction records.
type FundKind string

// Transaction kinds (the API's "kind").
const (
	FundAllocation   FundKind = "allocation"   // 下达
	FundDisbursement FundKind = "disbursement" // 拨付
	FundExpenditure  FundKind = "expenditure"  // 支出
)

// FundSource is where money comes from (the API's "source").
type FundSource string

// Funding sources.
const (
	SourceDistrict   FundSource = "district"   // 区级帮扶资金
	SourceSocial     FundSource = "social"     // 社会帮扶资金
	SourceIntegrated FundSource = "integrated" // 整合资金
	SourceSelf       FundSource = "self"       // 自筹
)

// FundTx is one transaction of a project's money.
type FundTx struct {
	ID        int64
	ProjectID int64
	Kind      FundKind
	Source    FundSource
	Amount    int64 // fen; negative only in a reversal, which is the exact opposite of the entry it reverses
	On        Date  // the day of the transaction (never after today)
	Reverses  int64 // the id of the entry this one reverses; 0 for none
	Note      string
	By        string
	At        time.Time
}

// FundKinds are the transaction kinds in the order pages list them.
var FundKinds = []FundKind{FundAllocation, FundDisbursement, FundExpenditure}

// FundSources are the funding sources in the order pages and workbooks list them; FundTotals
// keeps its figures per source in this order.
var FundSources = []FundSource{SourceDistrict, SourceSocial, SourceIntegrated, SourceSelf}

// Text is the kind as a clerk reads it: 下达, 拨付 or 支出.
func (k FundKind) Text() string {
	switch k {
	case FundAllocation:
		return "下达"
	case FundDisbursement:
		return "拨付"
	case FundExpenditure:
		return "支出"
	}
	return string(k)
}

// Valid reports whether k is one of FundKinds.
func (k FundKind) Valid() bool {
	return k == FundAllocation || k == FundDisbursement || k == FundExpenditure
}

// Text is the source as a clerk reads it.
func (s FundSource) Text() string {
	switch s {
	case SourceDistrict:
		return "区级帮扶资金"
	case SourceSocial:
		return "社会帮扶资金"
	case SourceIntegrated:
		return "整合资金"
	case SourceSelf:
		return "自筹"
	}
	return string(s)
}

// index is s's place in FundSources, or -1.
func (s FundSource) index() int {
	switch s {
	case SourceDistrict:
		return 0
	case SourceSocial:
		return 1
	case SourceIntegrated:
		return 2
	case SourceSelf:
		return 3
	}
	return -1
}

// Valid reports whether s is one of FundSources.
func (s FundSource) Valid() bool { return s.index() >= 0 }

// dayKey orders dates: 2021-09-15 → 20210915; the zero Date is before every date.
func dayKey(d Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// Ratio is an exact rate, N/D: 拨付率 is disbursed over allocated, 支出率 spent over disbursed.
// A rate with nothing below the line (D = 0) is unknown, never a division by zero.
type Ratio struct{ N, D int64 }

// Valid reports whether the rate is known (its denominator is not zero).
func (r Ratio) Valid() bool { return r.D != 0 }

// BasisPoints is the rate in ten-thousandths, rounded half away from zero: 1/3 → 3333;
// unknown when D is 0.
func (r Ratio) BasisPoints() Num {
	if r.D == 0 {
		return Num{}
	}
	n, d := r.N, r.D
	if d < 0 {
		n, d = -n, -d
	}
	if n > -maxExactRatio && n < maxExactRatio && d < maxExactRatio*10000 {
		q := n * 10000
		if q >= 0 {
			return Known((q + d/2) / d)
		}
		return Known(-((-q + d/2) / d))
	}
	// A numerator whose n·10000 leaves int64 (sums of registers far beyond any real figure):
	// the same rounding in big integers.
	q := new(big.Int).Mul(big.NewInt(n), big.NewInt(10000))
	neg := q.Sign() < 0
	q.Abs(q)
	q.Add(q, big.NewInt(d/2))
	q.Quo(q, big.NewInt(d))
	if neg {
		q.Neg(q)
	}
	if !q.IsInt64() {
		return Num{}
	}
	return Known(q.Int64())
}

// maxExactRatio bounds the numerators (and maxExactRatio·10000 the denominators) for which
// n·10000 + d/2 stays within int64: 10^14 fen (10^12 元).
const maxExactRatio = 100_000_000_000_000

// AtLeast reports whether the rate is known and at least bp basis points (exactly, for any
// numerator and denominator: n·10000 ≥ bp·d).
func (r Ratio) AtLeast(bp int64) bool {
	if r.D == 0 {
		return false
	}
	n, d := big.NewInt(r.N), big.NewInt(r.D)
	if r.D < 0 {
		n.Neg(n)
		d.Neg(d)
	}
	return n.Mul(n, big.NewInt(10000)).Cmp(d.Mul(d, big.NewInt(bp))) >= 0
}

// Percent writes the rate as a percentage with two decimals, 85.33%; "" when unknown.
func (r Ratio) Percent() string {
	bp := r.BasisPoints()
	if !bp.Valid {
		return ""
	}
	return formatScaled(bp.V, 100) + "%"
}

// Fraction writes the rate as a decimal fraction with up to four decimals (0.8533, 1); "" when
// unknown. The API's rates are these numbers.
func (r Ratio) Fraction() string {
	bp := r.BasisPoints()
	if !bp.Valid {
		return ""
	}
	return formatScaled(bp.V, 10000)
}

// MarshalJSON writes the rate as Fraction, or null when unknown.
func (r Ratio) MarshalJSON() ([]byte, error) {
	if !r.Valid() {
		return []byte("null"), nil
	}
	return []byte(r.Fraction()), nil
}

// FundFigures are cumulative amounts in fen: allocated (下达), disbursed (拨付), spent (支出).
type FundFigures struct {
	Allocated, Disbursed, Spent int64
}

// DisbursementRate is 拨付率: disbursed over allocated; unknown when nothing was allocated.
func (f FundFigures) DisbursementRate() Ratio { return Ratio{f.Disbursed, f.Allocated} }

// SpendingRate is 支出率: spent over disbursed; unknown when nothing was disbursed.
func (f FundFigures) SpendingRate() Ratio { return Ratio{f.Spent, f.Disbursed} }

// IsZero reports whether nothing was allocated, disbursed or spent.
func (f FundFigures) IsZero() bool { return f == FundFigures{} }

func (f *FundFigures) add(k FundKind, amount int64) {
	switch k {
	case FundAllocation:
		f.Allocated += amount
	case FundDisbursement:
		f.Disbursed += amount
	case FundExpenditure:
		f.Spent += amount
	}
}

func (f *FundFigures) addAll(o FundFigures) {
	f.Allocated += o.Allocated
	f.Disbursed += o.Disbursed
	f.Spent += o.Spent
}

// FundTotals are cumulative amounts as of a date, in total and per source.
type FundTotals struct {
	FundFigures                // every source together
	Sources     [4]FundFigures // per source, in the order of FundSources
}

// Source is the figures of one source.
func (t FundTotals) Source(s FundSource) FundFigures {
	if i := s.index(); i >= 0 {
		return t.Sources[i]
	}
	return FundFigures{}
}

// Add counts one transaction.
func (t *FundTotals) Add(tx FundTx) {
	i := tx.Source.index()
	if i < 0 || !tx.Kind.Valid() {
		return
	}
	t.FundFigures.add(tx.Kind, tx.Amount)
	t.Sources[i].add(tx.Kind, tx.Amount)
}

func (t *FundTotals) addAll(o FundTotals) {
	t.FundFigures.addAll(o.FundFigures)
	for i := range t.Sources {
		t.Sources[i].addAll(o.Sources[i])
	}
}

// FundsAt sums the transactions dated on or before d (every one for the zero Date): a
// reversal counts on its own date, so a total as of a day before the correction is the one
// shown on that day.
func FundsAt(txs []FundTx, d Date) FundTotals {
	var t FundTotals
	limit := dayKey(d)
	for _, tx := range txs {
		if d.IsZero() || dayKey(tx.On) <= limit {
			t.Add(tx)
		}
	}
	return t
}

// FundTxsBy are the transactions dated on or before d (all of them for the zero Date), in
// their order: the ledger as it stood on d, whose sums are FundsAt(txs, d).
func FundTxsBy(txs []FundTx, d Date) []FundTx {
	if d.IsZero() {
		return txs
	}
	var out []FundTx
	for _, tx := range txs {
		if dayKey(tx.On) <= dayKey(d) {
			out = append(out, tx)
		}
	}
	return out
}

// MaxFundYuan bounds one transaction: 100 亿元 is far beyond any project of the plan, and keeps
// every sum far from overflowing.
const MaxFundYuan = 10_000_000_000

// CheckFundTx checks a new transaction t of a project against the project's stored ones
// (existing, in any order) on the day today. It refuses, with a message for the clerk: an
// unknown kind or source, no date or a date after today, an amount of zero or above
// MaxFundYuan, a negative amount that reverses nothing; a reversal of an entry the project does
// not have, of a reversal, of an entry reversed already, one dated before the entry, or one that
// is not its exact opposite (same kind and source, negated amount); and any entry after which,
// on its date or any later date of the project's ledger, a source would have disbursed more
// than was allocated to it, or spent more than was disbursed (a backdated entry must not break
// a later state; a refused reversal is named by the entry it reverses, 冲销第N号记录). A second
// reversal of one entry is ECONFLICT; the rest are EINVALID.
func CheckFundTx(existing []FundTx, t FundTx, today Date) error {
	if !t.Kind.Valid() {
		return Errorf(EINVALID, "资金类别“%s”无效，应为下达（allocation）、拨付（disbursement）或支出（expenditure）", t.Kind)
	}
	if !t.Source.Valid() {
		return Errorf(EINVALID, "资金来源“%s”无效，应为区级帮扶资金（district）、社会帮扶资金（social）、整合资金（integrated）或自筹（self）", t.Source)
	}
	what := t.Source.Text() + t.Kind.Text()
	switch {
	case t.On.IsZero():
		return Errorf(EINVALID, "%s请填写日期", what)
	case !today.IsZero() && dayKey(t.On) > dayKey(today):
		return Errorf(EINVALID, "%s的日期 %s 晚于今天（%s）：只能登记已经发生的资金往来", what, t.On, today)
	case t.Amount == 0:
		return Errorf(EINVALID, "%s的金额不能为 0", what)
	case t.Amount > MaxFundYuan*FenPerYuan || t.Amount < -MaxFundYuan*FenPerYuan:
		return Errorf(EINVALID, "%s的金额 %s 元超过上限（%d 亿元），请核对", what, FormatYuan(t.Amount), MaxFundYuan/100_000_000)
	case t.Reverses == 0 && t.Amount < 0:
		return Errorf(EINVALID, "%s的金额 %s 元为负数：记错的记录请冲销（选择被冲销的记录），不要登记负数", what, FormatYuan(t.Amount))
	}
	if t.Reverses != 0 {
		var orig *FundTx
		for i := range existing {
			if existing[i].ID == t.Reverses {
				orig = &existing[i]
			}
		}
		if orig == nil || orig.ProjectID != t.ProjectID {
			return Errorf(EINVALID, "本项目没有编号为 %d 的资金记录，无法冲销", t.Reverses)
		}
		if orig.Reverses != 0 {
			return Errorf(EINVALID, "记录 %d 本身是对记录 %d 的冲销，不能再冲销；如需恢复，请重新登记", orig.ID, orig.Reverses)
		}
		for _, e := range existing {
			if e.Reverses == orig.ID {
				return Errorf(ECONFLICT, "记录 %d 已于 %s 被记录 %d 冲销，不能再冲销", orig.ID, e.On, e.ID)
			}
		}
		if t.Kind != orig.Kind || t.Source != orig.Source || t.Amount != -orig.Amount {
			return Errorf(EINVALID, "冲销记录应与记录 %d 完全相反（%s%s %s 元，冲销为 %s 元），实为%s%s %s 元",
				orig.ID, orig.Source.Text(), orig.Kind.Text(), FormatYuan(orig.Amount), FormatYuan(-orig.Amount),
				t.Source.Text(), t.Kind.Text(), FormatYuan(t.Amount))
		}
		if dayKey(t.On) < dayKey(orig.On) {
			return Errorf(EINVALID, "冲销日期 %s 早于被冲销记录 %d 的日期 %s", t.On, orig.ID, orig.On)
		}
	}
	return checkCeilings(existing, t)
}

// checkCeilings refuses t when, with it, the ledger of t's source would at t's date or a later
// one disburse more than was allocated or spend more than was disbursed.
func checkCeilings(existing []FundTx, t FundTx) error {
	from := dayKey(t.On)
	// The source's figures as of each date of its ledger: sums of the entries up to that date.
	var before FundFigures
	var later []FundTx
	for _, e := range existing {
		if e.Source != t.Source {
			continue
		}
		if dayKey(e.On) < from {
			before.add(e.Kind, e.Amount)
		} else {
			later = append(later, e)
		}
	}
	later = append(later, t)
	// Dates from t's on, in order; the figures at each are the sums through it.
	sortTxsByDay(later)
	f := before
	for i := 0; i < len(later); {
		j := i
		for j < len(later) && dayKey(later[j].On) == dayKey(later[i].On) {
			f.add(later[j].Kind, later[j].Amount)
			j++
		}
		on := later[i].On
		// What t is, as the message begins: 区级帮扶资金拨付 300000 元, or for a reversal the
		// entry it takes back, 冲销第 1 号记录（区级帮扶资金下达 480000 元）; and what to do.
		what := fmt.Sprintf("%s%s %s 元", t.Source.Text(), t.Kind.Text(), FormatYuan(abs64(t.Amount)))
		fixAlloc, fixDisb := "请先由领导小组办公室登记下达，或核对金额和日期", "请先登记拨付，或核对金额和日期"
		if t.Reverses != 0 {
			what = fmt.Sprintf("冲销第 %d 号记录（%s）", t.Reverses, what)
			fixAlloc, fixDisb = "请先冲销相应的拨付，或核对冲销日期", "请先冲销相应的支出，或核对冲销日期"
		}
		switch {
		case f.Disbursed > f.Allocated:
			return Errorf(EINVALID, "%s后，截至 %s 累计拨付 %s 万元将超过累计下达 %s 万元：%s",
				what, on, FormatWan(f.Disbursed), FormatWan(f.Allocated), fixAlloc)
		case f.Spent > f.Disbursed:
			return Errorf(EINVALID, "%s后，截至 %s 累计支出 %s 万元将超过累计拨付 %s 万元：%s",
				what, on, FormatWan(f.Spent), FormatWan(f.Disbursed), fixDisb)
		}
		i = j
	}
	return nil
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// sortTxsByDay orders transactions by date, keeping the order of each day's.
func sortTxsByDay(txs []FundTx) {
	slices.SortStableFunc(txs, func(a, b FundTx) int { return dayKey(a.On) - dayKey(b.On) })
}

// Levels of the rows of a rollup of several plans.
const (
	LevelYear     Level = "year"     // a year's row
	LevelDistrict Level = "district" // a district's row, when the plans are of several districts (a city's)
)

// FundGroup is a row of the funds rollup: the 合计, a year, a region or a category, with the
// projects the filter keeps in it, the district fund their plan rows give (区级帮扶资金, the
// plan's figure, for comparison), and the cumulative amounts of their transactions as of the
// rollup's date.
type FundGroup struct {
	Level          Level
	Year           int    // a year row's year
	District       string // a district row's district
	Region         string
	Category       string
	CategoryNumber int
	Projects       int
	Planned        Sum // 区级帮扶资金 of the plan rows, fen
	FundTotals
}

// Label names the row as the table writes it: 合计（16个）, 2021年（16个）, 内蒙古武川县（5个）,
// 1. 产业合作类（3个）.
func (g FundGroup) Label() string {
	name := "合计"
	switch g.Level {
	case LevelYear:
		name = fmt.Sprintf("%d年", g.Year)
	case LevelDistrict:
		name = g.District
	case LevelRegion:
		name = g.Region
	case LevelCategory:
		name = g.Category
		if name == "" {
			name = "未分类"
		}
		if g.CategoryNumber != 0 {
			name = fmt.Sprintf("%d. %s", g.CategoryNumber, name)
		}
	}
	return fmt.Sprintf("%s（%d个）", name, g.Projects)
}

func (g *FundGroup) addProject(p *Project, t FundTotals) {
	g.Projects++
	g.Planned.add(p.DistrictFund)
	g.addAll(t)
}

// FundRegion is a region's row with its categories, in plan order.
type FundRegion struct {
	FundGroup
	Categories []FundGroup
}

// FundRow is one project the filter keeps, with its amounts as of the rollup's date.
type FundRow struct {
	Year     int
	District string
	Project  *Project // in its plan
	FundTotals
}

// FundTable is the funds rollup (资金拨付使用情况) as of a date: the projects a filter keeps,
// grouped as the project table groups them (合计, region, category, in the order the plans first
// list them) and, over several plans, by year and, over several districts' plans, by district.
type FundTable struct {
	Filter    ProjectFilter
	AsOf      Date // the zero Date: every transaction
	Total     FundGroup
	Districts []FundGroup // one per district, in the order its plans first come, when the plans are of several
	Years     []FundGroup // one per year, in the order its plans first come, when there are several plans
	Regions   []FundRegion
	Rows      []FundRow // the projects kept, in plan order
}

// RollupFunds lays out the funds of plan's projects the filter keeps as of d, from txs, each
// project's transactions by its stored id (a project without any has nothing allocated).
// Amounts are sums of FundsAt; rates are computed from the sums of each row, never averaged.
func RollupFunds(plan *Plan, f ProjectFilter, txs map[int64][]FundTx, d Date) FundTable {
	return RollupFundsYears([]*Plan{plan}, f, txs, d)
}

// RollupFundsYears is RollupFunds over several plans (a district's years, or a city's
// districts and years): the regions and categories gather the projects of every plan, Years has
// a row per year and, when the plans are of several districts, Districts a row per district.
func RollupFundsYears(plans []*Plan, f ProjectFilter, txs map[int64][]FundTx, d Date) FundTable {
	return rollupFunds(plans, f, d, func(p *Project) FundTotals { return FundsAt(txs[p.ID], d) })
}

// RollupFundTotals is RollupFundsYears from each project's totals as of d, summed already (the
// ledger a server keeps in memory sums a city's entries in one pass, sqldb.FundTotalsAt), by
// stored project id; a project missing from totals has nothing. Given the FundsAt of each
// project's entries it is RollupFundsYears: the groups, totals and rates are the same rule.
func RollupFundTotals(plans []*Plan, f ProjectFilter, totals map[int64]FundTotals, d Date) FundTable {
	return rollupFunds(plans, f, d, func(p *Project) FundTotals { return totals[p.ID] })
}

// rollupFunds lays out plans' projects the filter keeps, each with totalsOf its project.
func rollupFunds(plans []*Plan, f ProjectFilter, d Date, totalsOf func(*Project) FundTotals) FundTable {
	t := FundTable{Filter: f, AsOf: d, Total: FundGroup{Level: LevelTotal}}
	regionIndex := map[string]int{}
	type catAt struct{ region, cat int }
	catIndex := map[groupKey]catAt{}
	yearIndex, districtIndex := map[int]int{}, map[string]int{}
	several := len(plans) > 1
	for _, plan := range plans {
		if several {
			if _, ok := yearIndex[plan.Year]; !ok {
				yearIndex[plan.Year] = len(t.Years)
				t.Years = append(t.Years, FundGroup{Level: LevelYear, Year: plan.Year})
			}
			if _, ok := districtIndex[plan.District]; !ok {
				districtIndex[plan.District] = len(t.Districts)
				t.Districts = append(t.Districts, FundGroup{Level: LevelDistrict, District: plan.District})
			}
		}
		groups := make([]*FundGroup, 1, 5) // 合计, year, district, then a project's region and category
		groups[0] = &t.Total
		if several {
			groups = append(groups, &t.Years[yearIndex[plan.Year]], &t.Districts[districtIndex[plan.District]])
		}
		for i := range plan.Projects {
			p := &plan.Projects[i]
			if !f.Match(*p) {
				continue
			}
			ri, ok := regionIndex[p.Region]
			if !ok {
				ri = len(t.Regions)
				regionIndex[p.Region] = ri
				t.Regions = append(t.Regions, FundRegion{FundGroup: FundGroup{Level: LevelRegion, Region: p.Region}})
			}
			reg := &t.Regions[ri]
			ck := keyOf(LevelCategory, p.Region, p.Category, p.CategoryNumber)
			at, ok := catIndex[ck]
			if !ok {
				at = catAt{ri, len(reg.Categories)}
				catIndex[ck] = at
				reg.Categories = append(reg.Categories, FundGroup{Level: LevelCategory, Region: p.Region, Category: p.Category, CategoryNumber: p.CategoryNumber})
			}
			ft := totalsOf(p)
			t.Rows = append(t.Rows, FundRow{Year: plan.Year, District: plan.District, Project: p, FundTotals: ft})
			for _, g := range append(groups, &reg.FundGroup, &reg.Categories[at.cat]) {
				g.addProject(p, ft)
			}
		}
	}
	if len(t.Districts) < 2 {
		t.Districts = nil // one district's plans: its row would repeat the 合计
	}
	return t
}
