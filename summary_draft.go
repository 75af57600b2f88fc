package xiezuo

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"xiezuo/chart"
	"xiezuo/gongwen"
)

// The drafts the office writes from the data (issue 11): the half-year or annual work summary
// (工作总结) and the self-assessment (考核自评). Each is a gongwen.Document built here from
// typed facts the caller loads (sqldb.DB.DraftFacts); the web page lets the office edit its
// paragraphs and keeps each save as a version, and the command writes it as Word or PDF. Every
// figure is taken from the rule of its own page: Score (the scorecard), FundsAt and RollupFunds
// (资金), StatusAt (项目全周期), Supervise (督查督办), RollupRegister (工作台账), FundsByMonth
// (驾驶舱).

// DraftKind is which draft: the work summary or the self-assessment.
type DraftKind string

// Draft kinds.
const (
	DraftSummary    DraftKind = "summary"
	DraftAssessment DraftKind = "assessment"
)

// DraftPeriod is the period a work summary covers: the first half year or the whole year. A
// self-assessment is of the year.
type DraftPeriod string

// Draft periods.
const (
	DraftH1   DraftPeriod = "h1"
	DraftYear DraftPeriod = "year"
)

// ParseDraftKind reads a draft's kind as URLs and the command write it.
func ParseDraftKind(s string) (DraftKind, error) {
	switch k := DraftKind(s); k {
	case DraftSummary, DraftAssessment:
		return k, nil
	}
	return "", Errorf(EINVALID, "材料类型“%s”不对：应为 summary（工作总结）或 assessment（考核自评）", s)
}

// ParseDraftPeriod reads a period: h1 (上半年) or year (全年); "" is the year.
func ParseDraftPeriod(s string) (DraftPeriod, error) {
	switch p := DraftPeriod(s); p {
	case DraftH1, DraftYear:
		return p, nil
	case "":
		return DraftYear, nil
	}
	return "", Errorf(EINVALID, "总结期间“%s”不对：应为 h1（上半年）或 year（全年）", s)
}

// Name is the kind in words.
func (k DraftKind) Name() string {
	if k == DraftAssessment {
		return "考核自评"
	}
	return "工作总结"
}

// Name is the period in words: 上半年, 全年.
func (p DraftPeriod) Name() string {
	if p == DraftH1 {
		return "上半年"
	}
	return "全年"
}

// End is the last day the period covers in year: 30 June or 31 December.
func (p DraftPeriod) End(year int) Date {
	if p == DraftH1 {
		return NewDate(year, time.June, 30)
	}
	return NewDate(year, time.December, 31)
}

// DraftDay is the day a draft is written as of: the day asked (zero: the period's end), never
// after today. A day before the plan's year is refused.
func DraftDay(year int, p DraftPeriod, asked, today Date) (Date, error) {
	d := asked
	if d.IsZero() {
		d = p.End(year)
	}
	if DaysBetween(today, d) > 0 {
		if !asked.IsZero() {
			return d, Errorf(EINVALID, "截至日期 %s 晚于今天（%s），只能截至今天及以前", d, today)
		}
		d = today
	}
	if d.Year < year {
		return d, Errorf(EINVALID, "截至日期 %s 早于%d年，没有可总结的数据", d, year)
	}
	return d, nil
}

// DraftFacts is what the drafts are built from: a plan year's facts as they stood at the end
// of a day (ScoreData, loaded as of that moment) with the indicators then in force, and the
// supervision's facts (reports, closures, groups, cadence) and the office's coverage links.
type DraftFacts struct {
	Score     ScoreData
	Set       []Indicator
	Reports   []Report
	Closures  []Closure
	Groups    Groups
	Cadence   Cadence
	Overrides []CoverageOverride
}

// DraftChineseDate writes a day as documents date themselves: 2021年6月30日.
func DraftChineseDate(d Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

// OrdinalClauses writes items as numbered clauses of one sentence: 一是……；二是……。
func OrdinalClauses(items []string) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(ChineseNumeral(i+1) + "是" + strings.TrimRight(it, "。；，"))
	}
	if b.Len() > 0 {
		b.WriteString("。")
	}
	return b.String()
}

// noSpaces drops the spaces a figure's text has around its number (「不少于 2 次」 →
// 「不少于2次」): Chinese prose has none.
func noSpaces(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", "")
}

// PlaceholderMark marks the text the office still has to write.
const PlaceholderMark = "【待办公室填写】"

// DraftPlaceholders counts the places in doc (paragraphs, headings and table cells) still
// marked 【待办公室填写】: the page warns before a download while any remain.
func DraftPlaceholders(doc gongwen.Document) int {
	n := 0
	for _, b := range doc.Blocks {
		n += strings.Count(b.Text, PlaceholderMark)
		if b.Table != nil {
			for _, row := range b.Table.Rows {
				for _, c := range row {
					n += strings.Count(c, PlaceholderMark)
				}
			}
		}
	}
	return n
}

// NextStepsPlaceholder is the paragraph 「下一步工作打算」 starts with: the office writes it.
const NextStepsPlaceholder = "【待办公室填写】请在此写明下半年（或下一年度）的工作打算：重点任务、时间安排和责任单位。此段为占位文字，导出前请替换。"

// ShortReport shortens a report's text for the summary: whitespace folded, at most max
// characters, cut at the end of a sentence when one ends in the last third, else with "……".
func ShortReport(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max]
	for i := len(r) - 1; i >= max*2/3; i-- {
		if r[i] == '。' || r[i] == '；' || r[i] == '！' {
			return string(r[:i+1])
		}
	}
	return strings.TrimRight(string(r), "，、；： ") + "……"
}

// registerTopics relates registers to work points by the words of the point's text: a point
// that speaks of meetings is followed by the meetings' count.
var registerTopics = []struct {
	kind  RegisterKind
	words []string
}{
	{RegMeeting, []string{"会议", "联席会", "研究部署"}},
	{RegVisit, []string{"调研", "互访", "考察", "对接"}},
	{RegAgreement, []string{"协议"}},
	{RegPolicy, []string{"政策", "文件"}},
	{RegPairing, []string{"结对"}},
	{RegPersonnel, []string{"干部", "人才", "挂职"}},
	{RegTraining, []string{"培训"}},
	{RegArticle, []string{"信息", "典型案例", "宣传"}},
	{RegMedia, []string{"媒体", "宣传", "报道"}},
	{RegPurchase, []string{"消费帮扶", "采购"}},
	{RegDonation, []string{"捐赠", "社会帮扶", "社会力量"}},
	{RegFirm, []string{"企业", "投资"}},
	{RegPark, []string{"产业园", "车间"}},
	{RegDemoVillage, []string{"示范村", "乡村振兴"}},
	{RegProblem, []string{"整改"}},
}

// RegisterFigures is a register's figures over the entries dated from from to to: its count
// and sums (RollupRegister), in words: 「会议 3 次」 style, as 「培训：4 条，培训人数 120人…」.
func RegisterFigures(kind RegisterKind, entries []RegisterEntry, from, to Date) (RegisterRollup, bool) {
	spec, ok := RegisterSpecOf(kind)
	if !ok {
		return RegisterRollup{}, false
	}
	var in []RegisterEntry
	for _, e := range entries {
		if e.Kind == kind && DaysBetween(from, e.On) >= 0 && DaysBetween(e.On, to) >= 0 {
			in = append(in, e)
		}
	}
	return RollupRegister(spec, in), true
}

// registerText is a register's figures in a sentence: 会议 3 条（参会人数 45人）.
func registerText(kind RegisterKind, r RegisterRollup) string {
	spec, _ := RegisterSpecOf(kind)
	s := fmt.Sprintf("%s %d 条", spec.Title, r.Count)
	var sums []string
	for _, x := range r.Sums {
		if x.Reported > 0 {
			sums = append(sums, x.Label+" "+x.Text())
		}
	}
	if len(sums) > 3 {
		sums = sums[:3]
	}
	if len(sums) > 0 {
		s += "（" + strings.Join(sums, "，") + "）"
	}
	return s
}

// LatestAccepted is the latest accepted report of each duty as of at (the report whose accepted
// version was submitted last), with that version, by duty.
func LatestAccepted(reports []Report, at time.Time) map[DutyKey]AcceptedReport {
	out := map[DutyKey]AcceptedReport{}
	for i := range reports {
		r := &reports[i]
		st, v, ok := r.StateAt(at)
		if !ok || st != ReportAccepted {
			continue
		}
		var ver ReportVersion
		for _, x := range r.Versions {
			if x.Version == v {
				ver = x
			}
		}
		if prev, ok := out[r.Duty]; ok && !ver.At.After(prev.Version.At) {
			continue
		}
		out[r.Duty] = AcceptedReport{Report: r, Version: ver}
	}
	return out
}

// AcceptedReport is a report and its accepted version.
type AcceptedReport struct {
	Report  *Report
	Version ReportVersion
}

// figuresText writes a report's figures with their labels and units from the duty's specs.
func figuresText(fs []Figure, specs []FigureSpec) string {
	var parts []string
	for _, f := range fs {
		i := slices.IndexFunc(specs, func(s FigureSpec) bool { return s.Key == f.Key })
		if i < 0 {
			continue
		}
		sp := specs[i]
		v := strconv.FormatInt(f.Value, 10)
		if sp.Money() {
			v = DraftWan(f.Value)
		}
		parts = append(parts, sp.Label+" "+v+sp.Unit)
	}
	return strings.Join(parts, "，")
}

// StageCounts counts a plan's projects by status as of d (StatusAt of their steps), in the
// order of the statuses, per partner region and in all.
type StageCounts struct {
	Statuses []ProjectStatus
	Regions  []string
	ByRegion map[string]map[ProjectStatus]int
	Total    map[ProjectStatus]int
}

// draftStatuses are the stages the summary counts, in the order of a project's life.
var draftStatuses = []ProjectStatus{StatusPlanned, StatusStarted, StatusCompleted, StatusAccepted,
	StatusHandedOver, StatusAftercare, StatusEvaluated, StatusSuspended, StatusCancelled}

// CountStages counts the plan's projects by status as of d.
func CountStages(p *Plan, steps map[int64][]ProjectStep, d Date) StageCounts {
	c := StageCounts{Statuses: draftStatuses, ByRegion: map[string]map[ProjectStatus]int{}, Total: map[ProjectStatus]int{}}
	for _, r := range p.Regions {
		c.Regions = append(c.Regions, r.Name)
		c.ByRegion[r.Name] = map[ProjectStatus]int{}
	}
	for _, pr := range p.Projects {
		st := StatusAt(steps[pr.ID], d)
		if c.ByRegion[pr.Region] == nil {
			c.Regions = append(c.Regions, pr.Region)
			c.ByRegion[pr.Region] = map[ProjectStatus]int{}
		}
		c.ByRegion[pr.Region][st]++
		c.Total[st]++
	}
	return c
}

// Started counts the projects that have started by then (every status past 计划 but 取消).
func (c StageCounts) Started(m map[ProjectStatus]int) int {
	n := 0
	for st, k := range m {
		if st != StatusPlanned && st != StatusCancelled {
			n += k
		}
	}
	return n
}

// stagesText says the counts in words: 已开工 5 个、已完工 2 个 (only the stages with projects).
func (c StageCounts) stagesText(m map[ProjectStatus]int) string {
	var parts []string
	for _, st := range c.Statuses {
		if m[st] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 个", st.Text(), m[st]))
		}
	}
	if len(parts) == 0 {
		return "没有项目"
	}
	return strings.Join(parts, "、")
}

// SummaryTitle is the work summary's title: 门头沟区2021年上半年支援合作工作总结.
func SummaryTitle(district string, year int, p DraftPeriod) string {
	if p == DraftH1 {
		return fmt.Sprintf("%s%d年上半年支援合作工作总结", district, year)
	}
	return fmt.Sprintf("%s%d年支援合作工作总结", district, year)
}

// SummaryDraft drafts the work summary of f's plan as of day d (the caller loaded f as of the end
// of d): an opening with the main figures; per section of the plan (一、二、…) and per work
// point ((一)(二)…), the latest accepted report of each of its duties (the point and the tasks
// that carry it out, Coverage) shortened, with its unit and figures, the indicators of those
// tasks as the scorecard measures them, the registers it speaks of, and for points about money
// or projects the money and the projects by stage; then the tables and charts of money and
// projects, 存在的问题 (red duties, indicators not met) and 下一步工作打算 (a placeholder the office
// writes).
func SummaryDraft(f DraftFacts, p DraftPeriod, d Date) gongwen.Document {
	plan := f.Score.Plan
	at := EndOfDay(d)
	if !f.Score.At.IsZero() && f.Score.At.Before(at) {
		at = f.Score.At
	}
	card := Score(f.Set, f.Score, d, ByDimension)
	board := Supervise(plan, f.Groups, f.Cadence, f.Reports, f.Closures, at)
	cov, _, _ := Coverage(plan, f.Overrides)
	accepted := LatestAccepted(f.Reports, at)
	duties := map[DutyKey]PlanDuty{}
	for _, du := range PlanDuties(plan) {
		duties[du.Key] = du
	}
	from := NewDate(plan.Year, time.January, 1)
	ft := RollupFunds(plan, ProjectFilter{}, f.Score.Funds, d)
	totals := ft.Total.FundFigures
	stages := CountStages(plan, f.Score.Steps, d)
	rows := card.Rows()

	doc := gongwen.Document{
		Title:     SummaryTitle(plan.District, plan.Year, p),
		Mark:      "草稿",
		Signature: signatureOf(plan),
		Date:      DraftChineseDate(d),
	}
	add := func(k gongwen.BlockKind, text string) {
		doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: k, Text: text})
	}
	nAccepted := len(accepted)
	counts := card.Counts()
	add(gongwen.Paragraph, fmt.Sprintf("%s，按照《%s》部署，区支援合作各成员单位共报送并经审核通过进展报告涉及%d项工作事项；"+
		"帮扶资金累计下达%s万元、拨付%s万元、支出%s万元；项目计划表%d个项目中已开工（含已完工）%d个；"+
		"考核指标%d项中达标%d项。现将有关情况总结如下。",
		"截至"+DraftChineseDate(d), planTitle(plan), nAccepted,
		DraftWan(totals.Allocated), DraftWan(totals.Disbursed), DraftWan(totals.Spent),
		len(plan.Projects), stages.Started(stages.Total), counts.Total(), counts.Green))

	saidSentences := map[string]bool{}
	saidIndicators := map[string]bool{}
	saidRegisters := map[RegisterKind]bool{}
	saidMoney := false
	sections := plan.Sections
	if len(sections) == 0 {
		sections = []Section{{Title: "工作进展"}}
	}
	for _, sec := range sections {
		add(gongwen.Heading1, sec.Title)
		for _, pc := range cov {
			if len(plan.Sections) > 0 && pc.Point.Section != sec.Number {
				continue
			}
			add(gongwen.Heading2, pc.Point.Title)
			keys := []DutyKey{{DutyPoint, pc.Point.ID}}
			var tasks []Task
			for _, l := range pc.Tasks {
				keys = append(keys, DutyKey{DutyTask, l.Task.ID})
				tasks = append(tasks, l.Task)
			}
			// One short quote per point: the newest accepted report among its duties, its
			// sentences said before (the same canned sentence under many units) left out.
			var quote *AcceptedReport
			for _, k := range keys {
				if a, ok := accepted[k]; ok && (quote == nil || a.Version.At.After(quote.Version.At)) {
					a := a
					if freshSentences(ShortReport(a.Version.Values.Text, 160), saidSentences, false) != "" {
						quote = &a
					}
				}
			}
			var para []string
			if quote != nil {
				para = append(para, quote.Report.Unit+"报告："+freshSentences(ShortReport(quote.Version.Values.Text, 160), saidSentences, true))
			}
			var inds []string
			for _, r := range rows {
				if saidIndicators[r.Indicator.Code] {
					continue
				}
				if slices.ContainsFunc(tasks, func(t Task) bool {
					return t.WorkItem == r.Indicator.WorkItem && t.Category == r.Indicator.Category
				}) {
					saidIndicators[r.Indicator.Code] = true
					inds = append(inds, IndicatorProse(r))
				}
			}
			if len(inds) > 0 {
				para = append(para, "考核指标方面，"+strings.Join(inds, "；")+"。")
			}
			var regs []string
			lead := pointLead(pc.Point)
			for _, t := range registerTopics {
				if !containsAny(lead, t.words) || saidRegisters[t.kind] {
					continue
				}
				if r, ok := RegisterFigures(t.kind, f.Score.Entries, from, d); ok && r.Count > 0 {
					saidRegisters[t.kind] = true
					regs = append(regs, noSpaces(registerText(t.kind, r)))
				}
			}
			if len(regs) > 0 {
				para = append(para, "工作台账登记"+strings.Join(regs, "；")+"。")
			}
			if !saidMoney && containsAny(pc.Point.Title, []string{"资金", "项目", "产业"}) {
				saidMoney = true
				para = append(para, fmt.Sprintf("资金和项目方面，帮扶资金累计下达%s万元、拨付%s万元、支出%s万元，拨付率%s；项目%d个，%s。",
					DraftWan(totals.Allocated), DraftWan(totals.Disbursed), DraftWan(totals.Spent),
					percentOr(totals.DisbursementRate()), len(plan.Projects), noSpaces(stages.stagesText(stages.Total))))
			}
			if len(para) == 0 {
				para = append(para, "截至"+DraftChineseDate(d)+"，本项工作尚无审核通过的进展报告。")
			}
			add(gongwen.Paragraph, strings.Join(para, ""))
		}
	}

	// Money and projects: the tables and charts.
	add(gongwen.Heading1, "资金和项目情况")
	doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: gongwen.TableBlock, Table: FundsTable(ft, d)})
	doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: gongwen.TableBlock, Table: StagesTable(stages, plan.Year, d)})
	if len(ft.Regions) > 0 {
		doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: gongwen.ChartBlock, Bars: FundsBars(ft, d)})
	}
	if months := FundsByMonth(f.Score.Funds, plan.Year, d); len(months) > 0 {
		doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: gongwen.ChartBlock, Line: FundsLine(months, plan.Year, d)})
	}

	// Problems: red duties and indicators not met or not reported, at most maxProblems clauses.
	add(gongwen.Heading1, "存在的问题")
	add(gongwen.Paragraph, summaryProblems(board, card, DraftChineseDate(d)))
	add(gongwen.Heading1, "下一步工作打算")
	add(gongwen.Paragraph, NextStepsPlaceholder)
	return doc
}

// summaryProblems is the summary's 「存在的问题」: duties overdue (red), indicators due and not
// met, indicators not reported and those not yet met, as numbered clauses (一是……；二是……), at
// most maxProblems, the summary's own indicators (报送…工作总结) left out.
func summaryProblems(board Board, card Scorecard, day string) string {
	var items []string
	var red []string
	units := map[string]bool{}
	var unitList []string
	for _, ds := range board.Duties {
		if ds.State.Light.Color == LightRed {
			red = append(red, ds.Duty.Title)
			for _, u := range ds.Leads {
				if !units[u] {
					units[u] = true
					unitList = append(unitList, u)
				}
			}
		}
	}
	if len(red) > 0 {
		items = append(items, fmt.Sprintf("进展报送不及时，%d项工作逾期未报送进展，涉及%s", len(red), namesSome(unitList, 3, "个单位")))
	}
	own := func(s IndicatorScore) bool { return strings.Contains(s.Indicator.Name, "工作总结") }
	var unmet, pending, grey []string
	for _, g := range ScoreGaps(card) {
		if own(g) {
			continue
		}
		if g.Light == ScoreRed {
			unmet = append(unmet, fmt.Sprintf("%s（完成%s，目标%s）", g.Indicator.Name, noSpaces(g.ValueText()), noSpaces(g.TargetText())))
		} else {
			pending = append(pending, g.Indicator.Name)
		}
	}
	for _, r := range card.Rows() {
		if !own(r) && AssessmentLightWord(r) == "未报送" {
			grey = append(grey, r.Indicator.Name)
		}
	}
	if len(unmet) > 0 {
		items = append(items, fmt.Sprintf("%d项考核指标到期未达标：%s", len(unmet), namesSome(unmet, 3, "项")))
	}
	if len(grey) > 0 {
		items = append(items, fmt.Sprintf("%d项考核指标尚未报送完成情况：%s", len(grey), namesSome(grey, 3, "项")))
	}
	if len(pending) > 0 {
		items = append(items, fmt.Sprintf("%d项考核指标未到截止日期、尚未达标，主要是%s，仍需加快推进", len(pending), namesSome(pending, 3, "项")))
	}
	if len(items) > maxProblems {
		items = items[:maxProblems]
	}
	if len(items) == 0 {
		return "截至" + day + "，没有逾期未报送进展的工作事项，也没有到期未达标或未报送的考核指标。"
	}
	return "截至" + day + "，" + OrdinalClauses(items)
}

// namesSome joins the first n names with 「、」 and says how many there are beyond them:
// 「甲、乙、丙等5个单位」.
func namesSome(names []string, n int, measure string) string {
	if len(names) <= n {
		return strings.Join(names, "、")
	}
	return strings.Join(names[:n], "、") + fmt.Sprintf("等%d%s", len(names), measure)
}

// IndicatorProse is an indicator in the words of a summary: 「选派党政挂职干部2人，目标不少于1人，
// 已达标」; one without a target or not reported says so in words.
func IndicatorProse(r IndicatorScore) string {
	switch AssessmentLightWord(r) {
	case "未设目标":
		return r.Indicator.Name + noSpaces(r.ValueText()) + "（未设目标）"
	case "未报送":
		return r.Indicator.Name + "尚未报送"
	case "达标":
		return r.Indicator.Name + noSpaces(r.ValueText()) + "，目标" + noSpaces(r.TargetText()) + "，已达标"
	case "未达标":
		return r.Indicator.Name + noSpaces(r.ValueText()) + "，目标" + noSpaces(r.TargetText()) + "，到期未达标"
	}
	return r.Indicator.Name + noSpaces(r.ValueText()) + "，目标" + noSpaces(r.TargetText()) + "，尚未到期"
}

// monthHead is a report's leading 「6月进展：」, dropped from quotes.
var monthHead = regexp.MustCompile(`^\s*\d{1,2}月(份)?(工作)?进展[：:]\s*`)

// freshSentences is text without its leading month head and without the sentences in said (the
// draft's earlier quotes); mark adds its sentences to said.
func freshSentences(text string, said map[string]bool, mark bool) string {
	text = monthHead.ReplaceAllString(text, "")
	var out strings.Builder
	for _, s := range strings.SplitAfter(text, "。") {
		key := strings.TrimSpace(s)
		// A summary speaks of the half year, not of a month, and not of the report's own
		// corrections (已核实更正：…, 已按要求补充：…): those are the unit's answer to a review.
		if strings.HasPrefix(key, "已核实更正") {
			continue // about the report's own figures, not the work
		}
		key = strings.TrimPrefix(resubmitRemark.ReplaceAllString(key, ""), "本月")
		if key == "" || said[key] {
			continue
		}
		if mark {
			said[key] = true
		}
		out.WriteString(key)
	}
	return out.String()
}

// resubmitRemark opens a report's answer to the office's review (已按要求补充：…): the summary
// keeps what follows it. A correction of the report's own figures (已核实更正：…) is left out.
var resubmitRemark = regexp.MustCompile(`^(?:已按要求补充|已按审核意见补充|根据审核意见|按审核意见)[:：，,]?`)

// pointLead is what a work point is about: its title and its first sentence.
func pointLead(p WorkPoint) string {
	first, _, _ := strings.Cut(p.Text, "。")
	return p.Title + first
}

// listSome joins the first n items with 「；」 and says how many there are in all beyond them:
// 「a；b；c 等 35 项」.
func listSome(items []string, n int, measure string) string {
	if len(items) <= n {
		return strings.Join(items, "；")
	}
	return strings.Join(items[:n], "；") + fmt.Sprintf("等%d%s", len(items), measure)
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(s, w) })
}

// percentOr is a rate as a percentage, or —（未下达） when unknown.
func percentOr(r Ratio) string {
	if !r.Valid() {
		return "—"
	}
	return r.Percent()
}

// planTitle is the plan's title as a document cites it.
func planTitle(p *Plan) string {
	if p.Title != "" {
		return p.Title
	}
	return fmt.Sprintf("%d年%s支援合作工作要点", p.Year, p.District)
}

// signatureOf is the office that signs the drafts.
func signatureOf(p *Plan) string {
	return OfficeName(p)
}

// FundsTable is the money of each partner region as of d: the plan's district fund and what was
// allocated, disbursed and spent (万元, exact), from RollupFunds, with the 合计 row.
func FundsTable(t FundTable, d Date) *gongwen.Table {
	tb := &gongwen.Table{
		Caption: fmt.Sprintf("各协作地区帮扶资金情况（截至%s，单位：万元）", DraftChineseDate(d)),
		Header:  [][]string{{"协作地区", "计划区级帮扶资金", "累计下达", "累计拨付", "累计支出", "拨付率"}},
		Numeric: []bool{false, true, true, true, true, true},
		Widths:  []float64{3, 2, 2, 2, 2, 1.5},
		Total:   map[int]bool{},
		Notes:   DraftWanNote,
	}
	row := func(label string, g FundGroup) []string {
		planned := ""
		if n := g.Planned.Num(); n.Valid {
			planned = DraftWan(n.V)
		}
		return []string{label, planned, DraftWan(g.Allocated), DraftWan(g.Disbursed), DraftWan(g.Spent), percentOr(g.DisbursementRate())}
	}
	for _, r := range t.Regions {
		tb.Rows = append(tb.Rows, row(r.Region, r.FundGroup))
	}
	tb.Total[len(tb.Rows)] = true
	tb.Rows = append(tb.Rows, row("合计", t.Total))
	return tb
}

// StagesTable is the projects of each partner region by stage as of d (个).
func StagesTable(c StageCounts, year int, d Date) *gongwen.Table {
	var used []ProjectStatus
	for _, st := range c.Statuses {
		if c.Total[st] > 0 || st == StatusPlanned || st == StatusStarted || st == StatusCompleted {
			used = append(used, st)
		}
	}
	head := []string{"协作地区", "项目数"}
	num := []bool{false, true}
	for _, st := range used {
		head = append(head, st.Text())
		num = append(num, true)
	}
	tb := &gongwen.Table{
		Caption: fmt.Sprintf("%d年各协作地区项目进展情况（截至%s，单位：个）", year, DraftChineseDate(d)),
		Header:  [][]string{head},
		Numeric: num,
		Total:   map[int]bool{},
	}
	row := func(label string, m map[ProjectStatus]int) []string {
		n := 0
		for _, k := range m {
			n += k
		}
		r := []string{label, strconv.Itoa(n)}
		for _, st := range used {
			r = append(r, strconv.Itoa(m[st]))
		}
		return r
	}
	for _, reg := range c.Regions {
		tb.Rows = append(tb.Rows, row(reg, c.ByRegion[reg]))
	}
	tb.Total[len(tb.Rows)] = true
	tb.Rows = append(tb.Rows, row("合计", c.Total))
	tb.Notes = "注：项目状态按项目全周期登记的开工、完工、验收等步骤计算。"
	return tb
}

// wanChart is an amount of fen as a chart value in 万元.
func wanChart(fen int64) chart.Value { return chart.OfText(float64(fen)/1e6, DraftWan(fen)) }

// DraftWanNote is the note under the drafts' tables of money.
const DraftWanNote = "单位：万元，保留两位小数"

// DraftWan writes fen as 万元 with two decimals, rounded half up (away from zero) on the exact
// fen: 339_063_429 fen (3,390,634.29 元) → "339.06", 5_000 fen → "0.01". The drafts state money
// so; the ledger's pages keep the exact figure.
func DraftWan(fen int64) string {
	const cent = FenPerWan / 100 // fen in 0.01 万元
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	n := (fen + cent/2) / cent
	if n == 0 {
		sign = ""
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// FundsBars is the chart of money by partner region (the dashboard's panel): plan, allocated and
// disbursed, 万元.
func FundsBars(t FundTable, d Date) *chart.Bars {
	b := &chart.Bars{Title: fmt.Sprintf("各协作地区资金（截至%s，万元）", DraftChineseDate(d)), Unit: "万元", Horizontal: true,
		Column: "协作地区", Series: []chart.Series{{Name: "计划区级帮扶资金"}, {Name: "累计下达"}, {Name: "累计拨付"}}}
	for _, reg := range t.Regions {
		b.Categories = append(b.Categories, reg.Region)
		planned := chart.Value{}
		if n := reg.Planned.Num(); n.Valid {
			planned = wanChart(n.V)
		}
		b.Series[0].Values = append(b.Series[0].Values, planned)
		b.Series[1].Values = append(b.Series[1].Values, wanChart(reg.Allocated))
		b.Series[2].Values = append(b.Series[2].Values, wanChart(reg.Disbursed))
	}
	return b
}

// FundsLine is the chart of money month by month (the dashboard's panel): cumulative allocated,
// disbursed and spent at each month's end to d.
func FundsLine(months []MonthFunds, year int, d Date) *chart.Line {
	l := &chart.Line{Title: fmt.Sprintf("%d年资金累计下达、拨付、支出（截至%s，万元）", year, DraftChineseDate(d)), Unit: "万元", Column: "月份",
		Series: []chart.Series{{Name: "累计下达"}, {Name: "累计拨付"}, {Name: "累计支出"}}}
	for m := 1; m <= 12; m++ {
		l.Points = append(l.Points, strconv.Itoa(m)+"月")
		if m > len(months) {
			for i := range l.Series {
				l.Series[i].Values = append(l.Series[i].Values, chart.Value{})
			}
			continue
		}
		mf := months[m-1]
		l.Series[0].Values = append(l.Series[0].Values, wanChart(mf.Allocated))
		l.Series[1].Values = append(l.Series[1].Values, wanChart(mf.Disbursed))
		l.Series[2].Values = append(l.Series[2].Values, wanChart(mf.Spent))
	}
	return l
}

// AssessmentCard is the scorecard the self-assessment reads: f's indicators by dimension as of
// day, as the scorecard page shows them for that day.
func AssessmentCard(f DraftFacts, day Date) Scorecard {
	if f.Score.Plan == nil {
		return Scorecard{}
	}
	return Score(f.Set, f.Score, day, ByDimension)
}

// BuildDraft drafts kind from f as of day: the work summary of period, or the self-assessment.
func BuildDraft(f DraftFacts, kind DraftKind, period DraftPeriod, day Date) gongwen.Document {
	if kind == DraftAssessment {
		return AssessmentDraft(AssessmentCard(f, day), signatureOf(f.Score.Plan))
	}
	return SummaryDraft(f, period, day)
}

// DraftFileName is a draft's file name without its extension: the title, and the version when
// it is a saved one (门头沟区2021年上半年支援合作工作总结（第2版）).
func DraftFileName(doc gongwen.Document, version int) string {
	name := cleanFileName(doc.Title)
	if version > 0 {
		name += fmt.Sprintf("（第%d版）", version)
	}
	return name
}
