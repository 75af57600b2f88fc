package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/chart"
)

// The leaders' dashboard (领导驾驶舱, GET /dashboard): six panels of the chosen plan as of
// ?as_of= — money by region, money month by month, duties by light, purchases against the 30 %
// share, employment, and the scorecard's gaps — each a chart drawn on the server (package
// chart) with its figures and its table. Every figure comes from the rule of its own page
// (xiezuo.RollupFunds, FundsByMonth, Supervise through the board the supervision page uses,
// PurchaseShares, EmploymentByRegion, Score and ScoreGaps); the page only lays them out. It is
// built per request: it reads the facts of a day, which change with every entry.

// dashboardData is the dashboard page.
type dashboardData struct {
	planData
	AsOf, Today string
	Past        bool
	Panels      []dashPanel
}

// dashPanel is one panel: a heading saying what and as of when, key figures with their units,
// the chart and its table (or the list of gaps), and a link to the page behind it.
type dashPanel struct {
	ID       string
	Heading  string
	Figures  []dashFigure
	SVG      template.HTML
	Table    chart.Table
	Empty    string   // shown instead of a chart when there is nothing to draw
	Notes    []string // what the chart leaves out, in words (the units that did not report)
	Gaps     []dashGap
	Link     string
	LinkText string
}

// dashFigure is a key figure: 拨付率 63.2%, 逾期 3 项; on the home page, linked to its page.
type dashFigure struct {
	Label, Value, Unit string
	Class              string
	Href               string // the page behind the figure, or none
}

// dashGap is an indicator that threatens the assessment, linked to its scorecard page.
type dashGap struct {
	Code, Name, Group string
	Value, Target     string // with units; 未报送 when nothing was reported
	Missing           string
	Light             dutyLightView
	Href              string
}

// svg is a chart's bytes for a template: the chart package escapes every text.
func svg(b []byte) template.HTML { return template.HTML(b) }

// pctOr is a rate as a percentage, or none when it is unknown (nothing below the line).
func pctOr(r xiezuo.Ratio, none string) string {
	if !r.Valid() {
		return none
	}
	return r.Percent()
}

// wan2 writes fen as 万元 rounded to two decimals (to 100 元), as the panels' figures and bars
// show money; their tables keep the exact amounts.
func wan2(fen int64) string {
	const step = xiezuo.FenPerWan / 100
	r := fen / step * step
	if rem := fen % step; rem*2 >= step {
		r += step
	} else if rem*2 <= -step {
		r -= step
	}
	return xiezuo.FormatWan(r)
}

// wanValue is an amount of fen as a chart value in 万元, written to two decimals.
func wanValue(fen int64) chart.Value { return chart.OfText(float64(fen)/1e6, wan2(fen)) }

// chartWidth is the width of the panels' charts: about their size on a 1366 px screen, so that
// their text is drawn near its own size.
const chartWidth = 440

// dashboardPage shows the dashboard of the chosen plan as of ?as_of= (not after today).
func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "dashboard", "领导驾驶舱")
	if pd == nil {
		return
	}
	day, past, err := s.watchDay(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	at := s.today()
	if past {
		at = xiezuo.EndOfDay(day)
	}
	d := dashboardData{planData: *pd, AsOf: day.String(), Today: xiezuo.DayOf(s.today()).String(), Past: past}
	d.Title = "领导驾驶舱"
	// The money of the day (sums as of the day, for the rollup) and the dated ledger (for the
	// months: sums dated the day would put every month's money at the day).
	sums, err := s.reader(r.Context()).PlanFundSums(r.Context(), pd.District, pd.Year, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ledger, err := s.reader(r.Context()).PlanFundTxs(r.Context(), pd.District, pd.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Panels = append(d.Panels, fundsPanel(pd, sums, day), monthsPanel(pd, ledger, day))
	for _, build := range []func(*http.Request, *planData, xiezuo.Date, time.Time) (dashPanel, error){
		s.dashDuties, s.dashPurchases, s.dashJobs, s.dashGaps,
	} {
		p, err := build(r, pd, day, at)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Panels = append(d.Panels, p)
	}
	s.render(w, r, http.StatusOK, "dashboard", d)
}

// asOfText is the heading's date: 截至 2021年9月15日.
func asOfText(day xiezuo.Date) string {
	return fmt.Sprintf("截至%d年%d月%d日", day.Year, int(day.Month), day.Day)
}

// dayQuery is the as-of day of links to the pages behind the panels.
func dayQuery(day xiezuo.Date, past bool) url.Values {
	q := url.Values{}
	if past {
		q.Set("as_of", day.String())
	}
	return q
}

// fundsPanel is the money by partner region (and category, in the table): the plan's district
// fund against what was allocated and disbursed as of day, from the funds rollup of the plan's
// transactions (sqldb's PlanFundSums).
func fundsPanel(pd *planData, txs map[int64][]xiezuo.FundTx, day xiezuo.Date) dashPanel {
	t := xiezuo.RollupFunds(pd.Plan, xiezuo.ProjectFilter{}, txs, day)
	p := dashPanel{ID: "funds", Heading: "各协作地区资金（" + asOfText(day) + "，万元）",
		Link: "/funds" + pd.link(url.Values{"as_of": {day.String()}}), LinkText: "资金拨付使用情况"}
	tot := t.Total
	p.Figures = []dashFigure{
		{Label: "计划", Value: wan2(tot.Planned.V), Unit: "万元"},
		{Label: "已下达", Value: wan2(tot.Allocated), Unit: "万元"},
		{Label: "已拨付", Value: wan2(tot.Disbursed), Unit: "万元"},
		{Label: "拨付率", Value: pctOr(tot.DisbursementRate(), "—（未下达）")},
	}
	b := chart.Bars{Title: p.Heading, Unit: "万元", Horizontal: true, Column: "协作地区", Width: chartWidth,
		Series: []chart.Series{{Name: "计划区级帮扶资金"}, {Name: "累计下达"}, {Name: "累计拨付"}}}
	p.Table = chart.Table{Caption: p.Heading, Columns: []string{"协作地区／项目类别", "计划区级帮扶资金（万元）", "累计下达（万元）", "累计拨付（万元）", "拨付率"}}
	row := func(label string, g xiezuo.FundGroup) []string {
		planned := ""
		if n := g.Planned.Num(); n.Valid {
			planned = xiezuo.FormatWan(n.V)
		}
		return []string{label, planned, xiezuo.FormatWan(g.Allocated), xiezuo.FormatWan(g.Disbursed), pctOr(g.DisbursementRate(), "—")}
	}
	for _, reg := range t.Regions {
		b.Categories = append(b.Categories, reg.Region)
		planned := chart.Value{}
		if n := reg.Planned.Num(); n.Valid {
			planned = wanValue(n.V)
		}
		b.Series[0].Values = append(b.Series[0].Values, planned)
		b.Series[1].Values = append(b.Series[1].Values, wanValue(reg.Allocated))
		b.Series[2].Values = append(b.Series[2].Values, wanValue(reg.Disbursed))
		p.Table.Rows = append(p.Table.Rows, row(reg.FundGroup.Label(), reg.FundGroup))
		for _, c := range reg.Categories {
			p.Table.Rows = append(p.Table.Rows, row("　"+c.Label(), c))
		}
	}
	p.Table.Rows = append(p.Table.Rows, row(tot.Label(), tot))
	if len(t.Regions) == 0 {
		p.Empty = "计划中没有项目。"
		return p
	}
	p.SVG = svg(b.SVG())
	return p
}

// monthsPanel is the money of the year month by month: cumulative allocated, disbursed and
// spent at each month's end, to the as-of day, from the plan's dated transactions (sqldb's
// PlanFundTxs, never PlanFundSums, whose entries are all dated the as-of day).
func monthsPanel(pd *planData, txs map[int64][]xiezuo.FundTx, day xiezuo.Date) dashPanel {
	months := xiezuo.FundsByMonth(txs, pd.Year, day)
	p := dashPanel{ID: "months", Heading: fmt.Sprintf("%d年资金累计下达、拨付、支出（%s，万元）", pd.Year, asOfText(day)),
		Link: "/funds" + pd.link(url.Values{"as_of": {day.String()}}), LinkText: "资金台账"}
	l := chart.Line{Title: p.Heading, Unit: "万元", Column: "月份", Width: chartWidth, PlotHeight: 130,
		Series: []chart.Series{{Name: "累计下达"}, {Name: "累计拨付"}, {Name: "累计支出"}}}
	p.Table = chart.Table{Caption: p.Heading, Columns: []string{"截至", "累计下达（万元）", "累计拨付（万元）", "累计支出（万元）", "拨付率"}}
	for m := time.January; m <= time.December; m++ {
		l.Points = append(l.Points, strconv.Itoa(int(m))+"月")
		if int(m) > len(months) {
			for i := range l.Series {
				l.Series[i].Values = append(l.Series[i].Values, chart.Value{})
			}
			continue
		}
		mf := months[m-1]
		l.Series[0].Values = append(l.Series[0].Values, wanValue(mf.Allocated))
		l.Series[1].Values = append(l.Series[1].Values, wanValue(mf.Disbursed))
		l.Series[2].Values = append(l.Series[2].Values, wanValue(mf.Spent))
		p.Table.Rows = append(p.Table.Rows, []string{mf.Day.String(), xiezuo.FormatWan(mf.Allocated), xiezuo.FormatWan(mf.Disbursed), xiezuo.FormatWan(mf.Spent), pctOr(mf.DisbursementRate(), "—")})
	}
	if len(months) == 0 {
		p.Empty = fmt.Sprintf("%s早于%d年。", asOfText(day), pd.Year)
		return p
	}
	last := months[len(months)-1]
	p.Figures = []dashFigure{
		{Label: "累计拨付", Value: wan2(last.Disbursed), Unit: "万元"},
		{Label: "累计支出", Value: wan2(last.Spent), Unit: "万元"},
		{Label: "支出率", Value: pctOr(last.SpendingRate(), "—（未拨付）")},
	}
	p.SVG = svg(l.SVG())
	return p
}

// lightColors are the charts' colours of the duties' lights, told also by their words.
var lightColors = map[xiezuo.LightColor]string{
	xiezuo.LightRed: chart.Red, xiezuo.LightYellow: chart.Yellow, xiezuo.LightGreen: chart.Green,
	xiezuo.LightOpen: chart.Grey, xiezuo.LightDone: chart.Blue,
}

// dashDuties is the duties by light and kind, from the board the supervision page shows for the
// same day and user.
func (s *Server) dashDuties(r *http.Request, pd *planData, day xiezuo.Date, at time.Time) (dashPanel, error) {
	f := xiezuo.SuperviseFilter{}
	if day != xiezuo.DayOf(s.today()) {
		f.AsOf = day
	}
	b, _, err := s.boardAt(r, pd.Plan, pd.version, f)
	if err != nil {
		return dashPanel{}, err
	}
	duties := b.Supervised(pd.User)
	p := dashPanel{ID: "duties", Heading: "工作事项进度（" + asOfText(day) + "，项）",
		Link: "/supervision" + pd.link(dayQuery(day, f.AsOf != xiezuo.Date{})), LinkText: "督查督办"}
	order := []xiezuo.LightColor{xiezuo.LightRed, xiezuo.LightYellow, xiezuo.LightGreen, xiezuo.LightOpen, xiezuo.LightDone}
	kinds := []xiezuo.DutyKind{xiezuo.DutyPoint, xiezuo.DutyTask, xiezuo.DutyProject}
	counts := map[xiezuo.DutyKind]map[xiezuo.LightColor]int{}
	total := map[xiezuo.LightColor]int{}
	for _, st := range duties {
		k := st.Duty.Key.Kind
		if counts[k] == nil {
			counts[k] = map[xiezuo.LightColor]int{}
		}
		counts[k][st.State.Light.Color]++
		total[st.State.Light.Color]++
	}
	bars := chart.Bars{Title: p.Heading, Unit: "项", Horizontal: true, Stacked: true, Column: "事项", Width: chartWidth}
	for _, c := range order {
		bars.Series = append(bars.Series, chart.Series{Name: c.Word(), Color: lightColors[c]})
	}
	p.Table = chart.Table{Caption: p.Heading, Columns: []string{"事项"}}
	for _, c := range order {
		p.Table.Columns = append(p.Table.Columns, c.Word()+"（项）")
	}
	p.Table.Columns = append(p.Table.Columns, "合计（项）")
	for _, k := range kinds {
		n := 0
		row := []string{k.Noun()}
		for i, c := range order {
			bars.Series[i].Values = append(bars.Series[i].Values, chart.Of(float64(counts[k][c])))
			row = append(row, strconv.Itoa(counts[k][c]))
			n += counts[k][c]
		}
		bars.Categories = append(bars.Categories, k.Noun())
		p.Table.Rows = append(p.Table.Rows, append(row, strconv.Itoa(n)))
	}
	sum := []string{"合计"}
	for _, c := range order {
		sum = append(sum, strconv.Itoa(total[c]))
	}
	p.Table.Rows = append(p.Table.Rows, append(sum, strconv.Itoa(len(duties))))
	p.Figures = []dashFigure{
		{Label: "逾期", Value: strconv.Itoa(total[xiezuo.LightRed]), Unit: "项", Class: "light-red"},
		{Label: "临期", Value: strconv.Itoa(total[xiezuo.LightYellow]), Unit: "项", Class: "light-yellow"},
		{Label: "共", Value: strconv.Itoa(len(duties)), Unit: "项"},
	}
	if len(duties) == 0 {
		p.Empty = "没有工作事项。"
		return p, nil
	}
	p.SVG = svg(bars.SVG())
	return p, nil
}

// purchaseUnits are the units asked to report their purchases as the year's indicators stood
// at at: the responsible units of its per-unit purchase indicator (the scorecard's 各单位采购),
// else the leading group's member units (xiezuo.PurchaseUnits).
func (s *Server) purchaseUnits(r *http.Request, pd *planData, at time.Time) ([]string, error) {
	g, err := s.groups(r, pd)
	if err != nil {
		return nil, err
	}
	set, err := s.reader(r.Context()).IndicatorSet(r.Context(), pd.District, pd.Year, at)
	if err != nil {
		return nil, err
	}
	return xiezuo.PurchaseUnits(set, g.Members), nil
}

// purchaseShares reads the purchase register as it stood at at and lays out each unit's share.
func (s *Server) purchaseShares(r *http.Request, pd *planData, at time.Time) ([]xiezuo.PurchaseShare, xiezuo.PurchaseShare, error) {
	rows, err := s.reader(r.Context()).RegisterRows(r.Context(), pd.District, at, xiezuo.RegPurchase)
	if err != nil {
		return nil, xiezuo.PurchaseShare{}, err
	}
	units, err := s.purchaseUnits(r, pd, at)
	if err != nil {
		return nil, xiezuo.PurchaseShare{}, err
	}
	shares, total := xiezuo.PurchaseShares(xiezuo.EntriesAt(rows, at), pd.Year, units)
	return shares, total, nil
}

// shareValue is a share as a chart value in per cent.
func shareValue(r xiezuo.Ratio) chart.Value {
	bp := r.BasisPoints()
	if !bp.Valid {
		return chart.Value{}
	}
	return chart.OfText(float64(bp.V)/100, strings.TrimSuffix(r.Percent(), "%"))
}

// dashPurchases is each purchasing unit's share of partner-region products against the 30 %
// line; units that did not report are named, never drawn as 0 %.
func (s *Server) dashPurchases(r *http.Request, pd *planData, day xiezuo.Date, at time.Time) (dashPanel, error) {
	shares, total, err := s.purchaseShares(r, pd, at)
	if err != nil {
		return dashPanel{}, err
	}
	p := dashPanel{ID: "purchases", Heading: fmt.Sprintf("消费帮扶采购占比（%d年，%s，%%）", pd.Year, asOfText(day)),
		Link: "/registers/purchases" + pd.q(), LinkText: "消费帮扶采购台账"}
	if !s.canUse(pd.User, "GET /registers/{kind}") {
		p.Link = ""
	}
	b := chart.Bars{Title: p.Heading, Unit: "%", Horizontal: true, Column: "采购单位", Width: chartWidth,
		Series: []chart.Series{{Name: "协作地区产品占比"}},
		Ref:    &chart.Ref{Value: float64(xiezuo.PurchaseShareTarget) / 100, Label: "30% 要求"}}
	p.Table = chart.Table{Caption: p.Heading, Columns: []string{"采购单位", "统计期间", "采购总额（万元）", "其中协作地区产品（万元）", "占比", "是否达到30%"}}
	amount := func(n xiezuo.Num) string {
		if !n.Valid {
			return chart.Unknown
		}
		return xiezuo.FormatWan(n.V)
	}
	var missing []string
	met, known := 0, 0
	for _, sh := range shares {
		share := sh.Share()
		verdict := "未报送"
		switch {
		case !sh.Reported:
			missing = append(missing, sh.Unit)
			p.Table.Rows = append(p.Table.Rows, []string{sh.Unit, "", chart.Unknown, chart.Unknown, chart.Unknown, verdict})
			continue
		case !share.Valid():
			verdict = "无法计算（总额或协作地区产品未报送）"
		case sh.Met():
			verdict = "达到"
			met++
			known++
		default:
			verdict = "未达到"
			known++
		}
		b.Categories = append(b.Categories, sh.Unit)
		b.Series[0].Values = append(b.Series[0].Values, shareValue(share))
		pct := share.Percent()
		if !share.Valid() {
			pct = chart.Unknown
		}
		p.Table.Rows = append(p.Table.Rows, []string{sh.Unit, strings.Join(sh.Periods, "、"), amount(sh.Base), amount(sh.Partner), pct, verdict})
	}
	totalShare := total.Share()
	p.Table.Rows = append(p.Table.Rows, []string{"合计（占比可计算的单位）", "", amount(total.Base), amount(total.Partner), pctOr(totalShare, chart.Unknown), ""})
	p.Figures = []dashFigure{
		{Label: "总体占比", Value: pctOr(totalShare, chart.Unknown)},
		{Label: "达到30%", Value: fmt.Sprintf("%d / %d", met, known), Unit: "个单位"},
		{Label: "未报送", Value: strconv.Itoa(len(missing)), Unit: "个单位"},
	}
	if len(missing) > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("未报送（%d 个）：%s", len(missing), strings.Join(missing, "、")))
	}
	if len(b.Categories) == 0 {
		p.Empty = "暂无单位报送消费帮扶采购。"
		return p, nil
	}
	p.SVG = svg(b.SVG())
	return p, nil
}

// villagesValue is a figure that may be a range (at least n) as a chart value.
func villagesValue(v xiezuo.Villages) chart.Value {
	if !v.Known {
		return chart.Value{}
	}
	return chart.OfText(float64(v.Min), v.String())
}

// sumValue is a register's sum as a chart value, unknown when no entry gave it.
func sumValue(s xiezuo.Sum) chart.Value {
	n := s.Num()
	if !n.Valid {
		return chart.Value{}
	}
	return chart.OfText(float64(n.V), strconv.FormatInt(n.V, 10))
}

// dashJobs is the employment of poor people by region: a chart of the plan's figure against the
// projects' results; the jobs the registers report for parks, workshops and firms are key
// figures (when some region reported them) and columns of the table.
func (s *Server) dashJobs(r *http.Request, pd *planData, day xiezuo.Date, at time.Time) (dashPanel, error) {
	results, err := s.reader(r.Context()).PlanResults(r.Context(), pd.District, pd.Year)
	if err != nil {
		return dashPanel{}, err
	}
	rows, err := s.reader(r.Context()).RegisterRows(r.Context(), pd.District, at, xiezuo.RegPark, xiezuo.RegFirm)
	if err != nil {
		return dashPanel{}, err
	}
	jobs := xiezuo.EmploymentByRegion(pd.Plan, results, xiezuo.EntriesAt(rows, at), day)
	p := dashPanel{ID: "jobs", Heading: "吸纳脱贫人口就业（" + asOfText(day) + "，人）",
		Link: "/regions" + pd.q(), LinkText: "各协作地区成效"}
	b := chart.Bars{Title: p.Heading, Unit: "人", Horizontal: true, Column: "协作地区", Width: chartWidth,
		Series: []chart.Series{{Name: "计划吸纳脱贫人口"}, {Name: "项目实际带动"}, {Name: "园区车间吸纳脱贫人口"}, {Name: "引导企业吸纳就业"}}}
	var planned, actual []xiezuo.Villages
	for _, j := range jobs {
		b.Categories = append(b.Categories, j.Region)
		for i, v := range []chart.Value{villagesValue(j.Planned), villagesValue(j.Actual), sumValue(j.ParkPoor), sumValue(j.FirmJobs)} {
			b.Series[i].Values = append(b.Series[i].Values, v)
		}
		planned = append(planned, j.Planned)
		actual = append(actual, j.Actual)
	}
	p.Table = b.Table()
	// The chart compares the plan with the projects' results; the registers' jobs (another
	// measure, reported by few regions) are key figures and columns of the table.
	b.Series = b.Series[:2]
	var parks, firms xiezuo.Sum
	for _, j := range jobs {
		for _, x := range []struct{ to, from *xiezuo.Sum }{{&parks, &j.ParkPoor}, {&firms, &j.FirmJobs}} {
			x.to.V += x.from.V
			x.to.Given += x.from.Given
			x.to.Blank += x.from.Blank
		}
	}
	sum := func(vs []xiezuo.Villages) string {
		var min int64
		known, open := false, false
		for _, v := range vs {
			if v.Known {
				known = true
				min += v.Min
			}
			open = open || v.Open || !v.Known
		}
		if !known {
			return chart.Unknown
		}
		if open {
			return "≥" + strconv.FormatInt(min, 10)
		}
		return strconv.FormatInt(min, 10)
	}
	p.Figures = []dashFigure{
		{Label: "计划", Value: sum(planned), Unit: "人"},
		{Label: "项目实际带动", Value: sum(actual), Unit: "人"},
	}
	for _, f := range []struct {
		label string
		sum   xiezuo.Sum
	}{{"园区车间吸纳脱贫人口", parks}, {"引导企业吸纳就业", firms}} {
		if n := f.sum.Num(); n.Valid {
			p.Figures = append(p.Figures, dashFigure{Label: f.label, Value: strconv.FormatInt(n.V, 10), Unit: "人"})
		}
	}
	for i := range p.Figures {
		if p.Figures[i].Value == chart.Unknown {
			p.Figures[i].Unit = ""
		}
	}
	if len(jobs) == 0 {
		p.Empty = "计划中没有协作地区。"
		return p, nil
	}
	p.SVG = svg(b.SVG())
	return p, nil
}

// dashGaps is the scorecard's indicators by light, and its red and yellow ones, worst first,
// each linked to its page.
func (s *Server) dashGaps(r *http.Request, pd *planData, day xiezuo.Date, at time.Time) (dashPanel, error) {
	sc, err := s.scorecardOf(r, pd.District, pd.Year, day, xiezuo.ByDimension)
	if err != nil {
		return dashPanel{}, err
	}
	p := gapsPanel(pd, sc, day)
	if s.canUse(pd.User, "GET /scorecard") {
		p.Link, p.LinkText = "/scorecard"+pd.link(dayQuery(day, day != xiezuo.DayOf(s.today()))), "考核指标"
	}
	return p, nil
}

// gapsPanel lays out the panel of a scorecard: a ring of its indicators by light and the list of
// its gaps (xiezuo.ScoreGaps), each linked to /scorecard/{code}.
func gapsPanel(pd *planData, sc xiezuo.Scorecard, day xiezuo.Date) dashPanel {
	p := dashPanel{ID: "gaps", Heading: "考核指标差距（" + asOfText(day) + "）"}
	counts := xiezuo.ScoreCounts(sc)
	n := 0
	for _, c := range counts {
		n += c
	}
	lights := []xiezuo.ScoreLight{xiezuo.ScoreRed, xiezuo.ScoreYellow, xiezuo.ScoreGreen, xiezuo.ScoreGrey}
	colors := map[xiezuo.ScoreLight]string{xiezuo.ScoreRed: chart.Red, xiezuo.ScoreYellow: chart.Yellow, xiezuo.ScoreGreen: chart.Green, xiezuo.ScoreGrey: chart.Grey}
	donut := chart.Donut{Title: p.Heading, Unit: "项", Column: "状态", Center: fmt.Sprintf("%d/%d", counts[xiezuo.ScoreGreen], n), Width: 300}
	for _, l := range lights {
		donut.Parts = append(donut.Parts, chart.Part{Name: l.Word(), Value: chart.Of(float64(counts[l])), Color: colors[l]})
	}
	p.Table = donut.Table()
	p.Figures = []dashFigure{
		{Label: "达标", Value: fmt.Sprintf("%d / %d", counts[xiezuo.ScoreGreen], n), Unit: "项"},
		{Label: "未达标", Value: strconv.Itoa(counts[xiezuo.ScoreRed]), Unit: "项", Class: "light-red"},
	}
	for _, g := range xiezuo.ScoreGaps(sc) {
		in := g.Indicator
		p.Gaps = append(p.Gaps, dashGap{Code: in.Code, Name: in.Name, Group: g.Group,
			Value: g.ValueText(), Target: g.TargetText(),
			Missing: strings.Join(g.Missing, "；"),
			Light:   dutyLightView{Name: string(g.Light), Class: scoreLightClasses[g.Light], Word: g.LightWord()},
			Href:    "/scorecard/" + url.PathEscape(in.Code) + pd.q()})
	}
	if n == 0 {
		p.Empty = "暂无考核指标数据。"
		return p
	}
	p.SVG = svg(donut.SVG())
	return p
}

// dashHome is the short performance block of the home page of the office and the leaders: four
// key figures as of today, each card linked to the page behind it (when the user may open it),
// and a link to the dashboard.
type dashHome struct {
	Href    string
	Figures []dashFigure
}

// homeDashboard is the performance block of the home page for those who read the dashboard;
// nil for others. It reuses the home page's board and reads the day's money, purchases and
// scorecard.
func (s *Server) homeDashboard(r *http.Request, pd *planData, board *xiezuo.Board) (*dashHome, error) {
	if pd.User == nil || !pd.User.CanDashboard() || !s.canUse(pd.User, "GET /dashboard") {
		return nil, nil
	}
	day, at := xiezuo.DayOf(s.today()), s.today()
	txs, err := s.reader(r.Context()).PlanFundSums(r.Context(), pd.District, pd.Year, day)
	if err != nil {
		return nil, err
	}
	var money xiezuo.FundFigures
	for _, list := range txs {
		t := xiezuo.FundsAt(list, day)
		money.Allocated += t.Allocated
		money.Disbursed += t.Disbursed
	}
	_, total, err := s.purchaseShares(r, pd, at)
	if err != nil {
		return nil, err
	}
	sc, err := s.scorecardOf(r, pd.District, pd.Year, day, xiezuo.ByDimension)
	if err != nil {
		return nil, err
	}
	counts := xiezuo.ScoreCounts(sc)
	n := 0
	for _, c := range counts {
		n += c
	}
	met := "暂无"
	if n > 0 {
		met = fmt.Sprintf("%d / %d", counts[xiezuo.ScoreGreen], n)
	}
	red := 0
	if board != nil {
		red = len(board.Red())
	}
	h := &dashHome{Href: "/dashboard" + pd.q()}
	h.Figures = []dashFigure{
		{Label: "拨付率", Value: pctOr(money.DisbursementRate(), "—（未下达）"), Href: "/funds"},
		{Label: "逾期事项", Value: strconv.Itoa(red), Unit: "项", Class: "light-red", Href: "/supervision"},
		{Label: "消费帮扶采购占比", Value: pctOr(total.Share(), chart.Unknown), Href: "/registers/purchases"},
		{Label: "考核指标达标", Value: met, Unit: "项", Href: "/scorecard"},
	}
	// Each card opens the page behind its figure, when the user may open it.
	for i, route := range []string{"GET /funds", "GET /supervision", "GET /registers/{kind}", "GET /scorecard"} {
		if s.canUse(pd.User, route) {
			h.Figures[i].Href += pd.q()
		} else {
			h.Figures[i].Href = ""
		}
	}
	return h, nil
}
