package xiezuo

import (
	"fmt"
	"strings"
	"time"
)

// The rules the office watches over a plan's projects (issue 9): industrial projects all started
// by a day of the year, each project started in its planned start month, the completion rate,
// and this year's district fund against last year's (不低于上一年度). Each rule gives a light as
// the supervised duties do (light.go), and the projects behind it, as of any date. A project's
// status as of the date is an input (WatchFacts), derived elsewhere from its dated steps.

// SettingIndustrialStartBy is the plan setting (plan_settings) holding the day, YYYY-MM-DD, by
// which every industrial project of the plan must have started.
const SettingIndustrialStartBy = "industrial_start_by"

// StartWarnDays is how many days before a start deadline (the industrial projects' day, the
// end of a project's planned start month) a project not started turns yellow: a project needs
// weeks, not days, to be got going, so the warning comes a month ahead.
const StartWarnDays = 30

// DefaultIndustrialStartBy is the day industrial projects must have started by when the office
// set none: 30 September of the plan's year, as the 2021 task list asks.
func DefaultIndustrialStartBy(year int) Date { return Date{year, time.September, 30} }

// ParseIndustrialStartBy reads the office's day for a plan of year: YYYY-MM-DD within the plan's
// year or the next (a plan may let projects start into the next spring).
func ParseIndustrialStartBy(s string, year int) (Date, error) {
	d, err := ParseDate(strings.TrimSpace(s))
	if err != nil {
		return Date{}, Errorf(EINVALID, "产业项目开工截止日“%s”无效，应写作 %d-09-30", s, year)
	}
	if d.Year != year && d.Year != year+1 {
		return Date{}, Errorf(EINVALID, "产业项目开工截止日 %s 不在 %d 年计划的年度内（应在 %d 年或 %d 年）", d, year, year, year+1)
	}
	return d, nil
}

// IsIndustrial reports whether a project category is industrial: plans write 产业合作类,
// 产业发展类, 产业帮扶 … as each year chooses, and every one of them names 产业.
func IsIndustrial(category string) bool { return strings.Contains(category, "产业") }

// WatchFacts is what the rules need of a plan's projects as of a date, by project id: each
// project's status (a project without an entry is planned), and the day of its first start
// step (zero when it has not started by then).
type WatchFacts struct {
	Status    map[int64]ProjectStatus
	StartedOn map[int64]Date
}

// statusOf is the project's status in the facts; planned when nothing is known.
func (f WatchFacts) statusOf(id int64) ProjectStatus {
	if s, ok := f.Status[id]; ok && s != "" {
		return s
	}
	return StatusPlanned
}

// Started reports whether the project had started: a start step, or a status only a started
// project reaches. A suspended project started when a start step says so.
func (f WatchFacts) Started(id int64) bool {
	if !f.StartedOn[id].IsZero() {
		return true
	}
	switch f.statusOf(id) {
	case StatusStarted, StatusCompleted, StatusAccepted, StatusHandedOver, StatusAftercare, StatusEvaluated:
		return true
	}
	return false
}

// Completed reports whether the project was completed (完工) or further along its life.
func (f WatchFacts) Completed(id int64) bool {
	switch f.statusOf(id) {
	case StatusCompleted, StatusAccepted, StatusHandedOver, StatusAftercare, StatusEvaluated:
		return true
	}
	return false
}

// Cancelled reports whether the project was cancelled: the rules leave it out and say so.
func (f WatchFacts) Cancelled(id int64) bool { return f.statusOf(id) == StatusCancelled }

// LightText is the rule's light in words: the days left for the industrial projects not
// started yet while the light is green, otherwise how many projects are red and yellow.
func (r WatchRule) LightText() string {
	if r.ID == WatchIndustrialStart && r.Light.Color == LightGreen && r.Light.Days > 0 {
		return r.Light.Text()
	}
	red, yellow := 0, 0
	for _, p := range r.Projects {
		switch p.Light.Color {
		case LightRed:
			red++
		case LightYellow:
			yellow++
		}
	}
	var parts []string
	if red > 0 {
		parts = append(parts, fmt.Sprintf("逾期 %d 个", red))
	}
	if yellow > 0 {
		parts = append(parts, fmt.Sprintf("临期 %d 个", yellow))
	}
	return strings.Join(parts, "，")
}

// LightWord is the rule's light in a word: the fund rule's as its comparison says it
// (FundCompare.LightWord); a rule without a date (open) 不适用, where a duty would say 无期限.
func (r WatchRule) LightWord() string {
	if r.ID == WatchDistrictFund {
		return FundCompare{Light: r.Light}.LightWord()
	}
	if r.Light.Color == LightOpen {
		return "不适用"
	}
	return r.Light.Color.Word()
}

// LightWord is a fund comparison's light in a word: 低于上年, 不低于上年, or 无法比较 when a
// figure is unknown (a duty's 逾期 or 正常 would say something else).
func (c FundCompare) LightWord() string {
	switch c.Light.Color {
	case LightRed:
		return "低于上年"
	case LightGreen:
		return "不低于上年"
	}
	return "无法比较"
}

// StatusWord is a project status in words, as pages and workbooks show it: ProjectStatus.Text,
// with a project that has no status yet (no step) read as planned.
func StatusWord(s ProjectStatus) string {
	if s == "" {
		s = StatusPlanned
	}
	return s.Text()
}

// Watch rule ids, as pages link to them and the API would name them.
const (
	WatchIndustrialStart = "industrial_start"
	WatchStartMonth      = "start_month"
	WatchCompletion      = "completion"
	WatchDistrictFund    = "district_fund"
)

// WatchRule is one rule as of a date: its light and value, and what lies behind them.
type WatchRule struct {
	ID     string
	Name   string
	Target string // the rule in words, e.g. 产业合作类项目 2021-09-30 前全部开工
	Light  Light
	Value  string // e.g. 已开工 3/4 个（75.0%）
	Note   string // what is left out and why, e.g. 已取消 1 个，不计入
	// Projects are the projects the rule counts, each with its own light, in plan order.
	Projects []ProjectWatch
	// Funds are the regions and the total of the fund rule.
	Funds []FundCompare
}

// Due lists the projects behind a yellow or red light, red first.
func (r WatchRule) Due() []ProjectWatch {
	var red, yellow []ProjectWatch
	for _, p := range r.Projects {
		switch p.Light.Color {
		case LightRed:
			red = append(red, p)
		case LightYellow:
			yellow = append(yellow, p)
		}
	}
	return append(red, yellow...)
}

// ProjectWatch is one project under a rule: its status, its light and the light in words.
type ProjectWatch struct {
	ID        int64
	Region    string
	Category  string
	Name      string
	Status    ProjectStatus
	StartedOn Date
	Light     Light
	Text      string // e.g. 已开工（2021-06-15）, 还有 12 天开工截止, 已过开工截止日 2021-09-30
}

// Watch is every rule over plan p as of day asOf: the industrial projects started by startBy,
// the start months, the completion rate, and the district fund against last year's plan (nil
// when not stored).
func Watch(p, last *Plan, facts WatchFacts, startBy, asOf Date) []WatchRule {
	return []WatchRule{
		IndustrialStart(p, facts, startBy, asOf),
		StartMonths(p, facts, asOf),
		Completion(p, facts, asOf),
		FundAgainstLastYear(p, last),
	}
}

func projectWatch(p Project, facts WatchFacts) ProjectWatch {
	return ProjectWatch{ID: p.ID, Region: p.Region, Category: p.Category, Name: p.Name,
		Status: facts.statusOf(p.ID), StartedOn: facts.StartedOn[p.ID]}
}

// startedText says a project started, with its day when known.
func startedText(w ProjectWatch) string {
	if w.StartedOn.IsZero() {
		return "已开工"
	}
	return "已开工（" + w.StartedOn.String() + "）"
}

// worst is the light of a rule from its projects' lights: red when any is red, yellow when any
// is yellow (the soonest due), green when every one is green, open when none has a date.
func worst(ps []ProjectWatch) Light {
	l := Light{Color: LightOpen}
	for _, p := range ps {
		c := p.Light
		switch {
		case c.Color == LightRed:
			return Light{Color: LightRed}
		case c.Color == LightYellow && (l.Color != LightYellow || c.Days < l.Days):
			l = c
		case c.Color == LightGreen && l.Color == LightOpen:
			l = Light{Color: LightGreen}
		}
	}
	return l
}

// share writes n of total with its percentage, e.g. 3/4 个（75.0%）.
func share(n, total int) string {
	if total == 0 {
		return "0/0 个"
	}
	return fmt.Sprintf("%d/%d 个（%.1f%%）", n, total, float64(n)*100/float64(total))
}

func cancelledNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("已取消 %d 个，不计入", n)
}

// IndustrialStart is the rule that every industrial project (IsIndustrial) has started by
// startBy: a project started by then is green, one started after it red (逾期开工); one not
// started is green before the last StartWarnDays, yellow within them, red after startBy.
// Cancelled projects are left out. The rule's value is the share started on time.
func IndustrialStart(p *Plan, facts WatchFacts, startBy, asOf Date) WatchRule {
	r := WatchRule{ID: WatchIndustrialStart, Name: "产业项目开工",
		Target: fmt.Sprintf("产业类项目 %s 前全部开工", startBy)}
	started, onTime, cancelled := 0, 0, 0
	for _, pr := range p.Projects {
		if !IsIndustrial(pr.Category) {
			continue
		}
		if facts.Cancelled(pr.ID) {
			cancelled++
			continue
		}
		w := projectWatch(pr, facts)
		if facts.Started(pr.ID) {
			started++
			if on := facts.StartedOn[pr.ID]; !on.IsZero() && DaysBetween(startBy, on) > 0 {
				w.Light, w.Text = Light{Color: LightRed}, "逾期开工：开工于 "+on.String()+"，晚于开工截止日 "+startBy.String()
			} else {
				onTime++
				w.Light, w.Text = Light{Color: LightGreen}, startedText(w)
			}
		} else {
			w.Light = DeadlineLight(Deadline{Dates: []Date{startBy}}, asOf, StartWarnDays)
			w.Text = startText(w.Light, startBy)
		}
		r.Projects = append(r.Projects, w)
	}
	r.Note = cancelledNote(cancelled)
	if len(r.Projects) == 0 {
		r.Light, r.Value = Light{Color: LightOpen}, "本年计划没有产业类项目"
		return r
	}
	r.Light = worst(r.Projects)
	if r.Light.Color == LightGreen && started < len(r.Projects) {
		r.Light.Days = DaysBetween(asOf, startBy)
	}
	r.Value = "按期开工 " + share(onTime, len(r.Projects))
	if late := started - onTime; late > 0 {
		r.Value += fmt.Sprintf("，逾期开工 %d 个", late)
	}
	return r
}

// startText is a not-started project's light against its start deadline, in words.
func startText(l Light, by Date) string {
	switch l.Color {
	case LightRed:
		return "未开工，已过开工截止日 " + by.String()
	case LightYellow:
		if l.Days == 0 {
			return "未开工，今天开工截止"
		}
		return fmt.Sprintf("未开工，%d 天后开工截止（%s）", l.Days, by)
	}
	return fmt.Sprintf("未开工，还有 %d 天开工截止（%s）", l.Days, by)
}

// lastOfMonth is the last day of a month.
func lastOfMonth(ym YearMonth) Date { return NewDate(ym.Year, time.Month(ym.Month)+1, 0) }

// StartMonths is the rule that each project starts in its planned start month (开工竣工时间):
// started is green; not started is red once its start month has passed, yellow within the
// last StartWarnDays before the month ends, green before; open when the plan gives no start
// month. Cancelled projects are left out.
func StartMonths(p *Plan, facts WatchFacts, asOf Date) WatchRule {
	r := WatchRule{ID: WatchStartMonth, Name: "按计划月份开工", Target: "各项目在计划开工月份内开工"}
	late, cancelled := 0, 0
	for _, pr := range p.Projects {
		if facts.Cancelled(pr.ID) {
			cancelled++
			continue
		}
		w := projectWatch(pr, facts)
		switch {
		case facts.Started(pr.ID):
			w.Light, w.Text = Light{Color: LightGreen}, startedText(w)
		case pr.Period.Start.IsZero():
			w.Light, w.Text = Light{Color: LightOpen}, "未开工，计划未写开工月份"
		default:
			by := lastOfMonth(pr.Period.Start)
			w.Light = DeadlineLight(Deadline{Dates: []Date{by}}, asOf, StartWarnDays)
			month := fmt.Sprintf("%d年%d月", pr.Period.Start.Year, pr.Period.Start.Month)
			switch w.Light.Color {
			case LightRed:
				late++
				w.Text = "未开工，计划 " + month + " 开工，已过"
			case LightYellow:
				w.Text = fmt.Sprintf("未开工，计划 %s 开工，还有 %d 天", month, w.Light.Days)
				if w.Light.Days == 0 {
					w.Text = "未开工，计划 " + month + " 开工，今天是该月最后一天"
				}
			default:
				w.Text = "未开工，计划 " + month + " 开工"
			}
		}
		r.Projects = append(r.Projects, w)
	}
	r.Note = cancelledNote(cancelled)
	r.Light = worst(r.Projects)
	r.Value = fmt.Sprintf("过了计划开工月份仍未开工 %d 个", late)
	return r
}

// Completion is the completion rate: the projects completed (完工) or further along as of asOf
// over all projects, cancelled ones left out and said so. Each project's light follows its
// planned finish month as StartMonths follows the start month: completed is green, red once
// the finish month has passed, yellow within its last StartWarnDays.
func Completion(p *Plan, facts WatchFacts, asOf Date) WatchRule {
	r := WatchRule{ID: WatchCompletion, Name: "项目完工率", Target: "各项目在计划竣工月份内完工"}
	done, cancelled := 0, 0
	for _, pr := range p.Projects {
		if facts.Cancelled(pr.ID) {
			cancelled++
			continue
		}
		w := projectWatch(pr, facts)
		switch {
		case facts.Completed(pr.ID):
			done++
			w.Light, w.Text = Light{Color: LightGreen}, StatusWord(w.Status)
		case pr.Period.Finish.IsZero():
			w.Light, w.Text = Light{Color: LightOpen}, StatusWord(w.Status)+"，计划未写竣工月份"
		default:
			by := lastOfMonth(pr.Period.Finish)
			w.Light = DeadlineLight(Deadline{Dates: []Date{by}}, asOf, StartWarnDays)
			month := fmt.Sprintf("%d年%d月", pr.Period.Finish.Year, pr.Period.Finish.Month)
			switch w.Light.Color {
			case LightRed:
				w.Text = StatusWord(w.Status) + "，计划 " + month + " 竣工，已过"
			case LightYellow:
				w.Text = fmt.Sprintf("%s，计划 %s 竣工，还有 %d 天", StatusWord(w.Status), month, w.Light.Days)
				if w.Light.Days == 0 {
					w.Text = StatusWord(w.Status) + "，计划 " + month + " 竣工，今天是该月最后一天"
				}
			default:
				w.Text = StatusWord(w.Status) + "，计划 " + month + " 竣工"
			}
		}
		r.Projects = append(r.Projects, w)
	}
	r.Note = cancelledNote(cancelled)
	r.Light = worst(r.Projects)
	r.Value = "已完工 " + share(done, len(r.Projects))
	return r
}

// FundCompare is one region's (or the total's) district fund this year against last year's.
type FundCompare struct {
	Region string // "合计" for the total
	This   Num    // fen; unknown when the plan leaves it blank or lacks the region
	Last   Num    // fen; unknown when last year's plan is not stored, lacks the region or leaves it blank
	Light  Light
	Text   string
}

// NoLastPlan is what the fund rule says when last year's plan is not stored: it is never
// compared with 0.
const NoLastPlan = "无上年计划，无法比较"

// FundAgainstLastYear is the rule that this year's district fund (区级帮扶资金) is no less than
// last year's (不低于上一年度), in total and per partner region, from the two plans' project
// tables (xiezuo.Rollup: the stated subtotal where the plan states one). Green when not less,
// red when less; open, saying why, when a figure is unknown: last is nil (NoLastPlan), a plan
// lacks the region or leaves its fund blank. The rule's light is the total's, red too when
// any region is red.
func FundAgainstLastYear(p, last *Plan) WatchRule {
	r := WatchRule{ID: WatchDistrictFund, Name: "区级帮扶资金不低于上年", Target: "本年区级帮扶资金不低于上一年度（合计及各协作地区）"}
	this := Rollup(p, ProjectFilter{})
	fund := func(g ProjectGroup) Num { _, df, _, _, _ := g.Figure(); return df }
	var prev ProjectTable
	if last != nil {
		prev = Rollup(last, ProjectFilter{})
	}
	lastOf := func(region string) (Num, bool) {
		for _, g := range prev.Regions {
			if g.Region == region {
				return fund(g.ProjectGroup), true
			}
		}
		return Num{}, false
	}
	var lastTotal Num
	if last != nil {
		lastTotal = fund(prev.Total)
	}
	total := compareFund("合计", fund(this.Total), lastTotal, last != nil, true)
	red := false
	for _, g := range this.Regions {
		l, ok := lastOf(g.Region)
		c := compareFund(g.Region, fund(g.ProjectGroup), l, last != nil, ok)
		red = red || c.Light.Color == LightRed
		r.Funds = append(r.Funds, c)
	}
	for _, g := range prev.Regions {
		if !containsRegion(this.Regions, g.Region) {
			c := FundCompare{Region: g.Region, Last: fund(g.ProjectGroup), Light: Light{Color: LightOpen}, Text: "本年计划无此地区"}
			if c.Last.Valid {
				c.Text += "（上年 " + FormatWan(c.Last.V) + " 万元）"
			}
			r.Funds = append(r.Funds, c)
		}
	}
	r.Funds = append(r.Funds, total)
	r.Light = total.Light
	if red && r.Light.Color != LightOpen {
		r.Light = Light{Color: LightRed}
	}
	r.Value = total.Text
	if last == nil && r.Value != NoLastPlan {
		r.Note = NoLastPlan
	}
	return r
}

func containsRegion(gs []RegionGroup, region string) bool {
	for _, g := range gs {
		if g.Region == region {
			return true
		}
	}
	return false
}

// compareFund compares a region's fund with last year's: hasPlan is false when last year's plan
// is not stored, hasRegion when it lacks the region.
func compareFund(region string, this, last Num, hasPlan, hasRegion bool) FundCompare {
	c := FundCompare{Region: region, This: this, Last: last, Light: Light{Color: LightOpen}}
	switch {
	case !hasPlan:
		c.Last, c.Text = Num{}, NoLastPlan
	case !hasRegion:
		c.Text = "上年计划无此地区，无法比较"
	case !this.Valid:
		c.Text = "本年金额未填，无法比较"
	case !last.Valid:
		c.Text = "上年金额未填，无法比较"
	case this.V >= last.V:
		c.Light = Light{Color: LightGreen}
		c.Text = "不低于上年"
		if this.V > last.V {
			c.Text = "比上年多 " + FormatWan(this.V-last.V) + " 万元"
		}
	default:
		c.Light = Light{Color: LightRed}
		c.Text = "比上年少 " + FormatWan(last.V-this.V) + " 万元"
	}
	return c
}

// CanWatch reports whether u reads the rules the office watches: the office, the district's
// leaders and the city office.
func (u *User) CanWatch() bool { return u.HasAny(RoleOffice, RoleLeader, RoleCityOffice) }

// LiveFigures are a project's live columns of the project table as of a day (附件3 with
// live columns): its status, the day it started, and the money allocated (下达) and disbursed
// (拨付) by then, in fen, summed over every source and reversal.
type LiveFigures struct {
	Status    ProjectStatus
	StartedOn Date
	Allocated int64
	Disbursed int64
}

// DisbursementRate is disbursed over allocated, as a fraction; ok is false when nothing was
// allocated (the rate is unknown, never 0 or infinite).
func (l LiveFigures) DisbursementRate() (rate float64, ok bool) {
	r := FundFigures{Allocated: l.Allocated, Disbursed: l.Disbursed}.DisbursementRate()
	if !r.Valid() || l.Allocated < 0 {
		return 0, false
	}
	return float64(r.N) / float64(r.D), true
}
