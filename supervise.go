package xiezuo

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Supervision (督查督办): when each duty falls due, its light on a day, the rates of reports
// made, a user's to-do list and a month's calendar. Every function here takes an as-of instant
// and reads only the facts dated at or before it (report versions, reviews, closures), so any
// past day can be shown as it was.

// cst is the time of the district's offices: a due date ends at midnight there.
var cst = time.FixedZone("CST", 8*3600)

// DayOf is the calendar date of t in China, where due dates are counted.
func DayOf(t time.Time) Date { return DateOf(t.In(cst)) }

// EndOfDay is the last instant of day d in China: "as of 31 August" is this instant of that day,
// when every fact of the day is in.
func EndOfDay(d Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, cst).Add(-time.Nanosecond)
}

// Defaults of the office's cadence.
const (
	DefaultReportDay    = 25 // units report to the office by the 25th of each month
	DefaultCooperateDay = 15 // cooperating units report to their lead unit by the 15th
)

// Cadence is the office's reporting cadence (报送频次) for its district: units report monthly to
// the office by ReportDay; cooperating units report to their lead unit by CooperateDay, earlier,
// so that the lead unit can gather and cite them; a due date within WarnDays turns the light
// yellow.
type Cadence struct {
	ReportDay    int `json:"report_day"`
	CooperateDay int `json:"cooperate_day"`
	WarnDays     int `json:"warn_days"`
}

// DefaultCadence is the cadence until the office sets one.
func DefaultCadence() Cadence {
	return Cadence{ReportDay: DefaultReportDay, CooperateDay: DefaultCooperateDay, WarnDays: WarnDays}
}

// Validate checks the cadence: report days fall in 1..28 (every month has them), the
// cooperating day before the lead unit's, the warning 0..30 days ahead.
func (c Cadence) Validate() error {
	var msgs []string
	if c.ReportDay < 1 || c.ReportDay > 28 {
		msgs = append(msgs, fmt.Sprintf("牵头单位报送日“%d”应为每月 1 到 28 日", c.ReportDay))
	}
	if c.CooperateDay < 1 || c.CooperateDay > 28 {
		msgs = append(msgs, fmt.Sprintf("配合单位报送日“%d”应为每月 1 到 28 日", c.CooperateDay))
	} else if c.ReportDay >= 1 && c.ReportDay <= 28 && c.CooperateDay >= c.ReportDay {
		msgs = append(msgs, fmt.Sprintf("配合单位报送日（每月 %d 日）应早于牵头单位报送日（每月 %d 日），牵头单位才能汇总", c.CooperateDay, c.ReportDay))
	}
	if c.WarnDays < 0 || c.WarnDays > 30 {
		msgs = append(msgs, fmt.Sprintf("提前提醒天数“%d”应为 0 到 30", c.WarnDays))
	}
	if len(msgs) > 0 {
		return Errorf(EINVALID, "%s", strings.Join(msgs, "；"))
	}
	return nil
}

// ParseCadence reads the cadence as the office's form types it (whole numbers), checked.
func ParseCadence(reportDay, cooperateDay, warnDays string) (Cadence, error) {
	var c Cadence
	var msgs []string
	for _, f := range []struct {
		label, s string
		v        *int
	}{{"牵头单位报送日", reportDay, &c.ReportDay}, {"配合单位报送日", cooperateDay, &c.CooperateDay}, {"提前提醒天数", warnDays, &c.WarnDays}} {
		n, err := strconv.Atoi(strings.TrimSpace(f.s))
		if err != nil {
			msgs = append(msgs, fmt.Sprintf("%s“%s”不是整数", f.label, strings.TrimSpace(f.s)))
			continue
		}
		*f.v = n
	}
	if len(msgs) > 0 {
		return Cadence{}, Errorf(EINVALID, "%s", strings.Join(msgs, "；"))
	}
	return c, c.Validate()
}

// MarshalText stores the cadence as JSON (the setting's value).
func (c Cadence) MarshalText() ([]byte, error) {
	type plain Cadence
	return json.Marshal(plain(c))
}

// UnmarshalText reads a stored cadence; what it does not say keeps the default.
func (c *Cadence) UnmarshalText(b []byte) error {
	type plain Cadence
	p := plain(DefaultCadence())
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("read cadence: %w", err)
	}
	*c = Cadence(p)
	return nil
}

// String says the cadence in words, as the office's page shows it.
func (c Cadence) String() string {
	return fmt.Sprintf("牵头单位每月 %d 日前向办公室报送，配合单位每月 %d 日前向牵头单位报送，到期前 %d 天提醒", c.ReportDay, c.CooperateDay, c.WarnDays)
}

// PlanDuties lists what supervision follows in a stored plan: its work points, tasks and
// projects, in that order, each in plan order, as FindDuty describes them.
func PlanDuties(p *Plan) []PlanDuty {
	ds := make([]PlanDuty, 0, len(p.Points)+len(p.Tasks)+len(p.Projects))
	// FindDuty over a plan of the one part keeps this linear; the slices share the plan's
	// elements, so the duties point into p.
	for i := range p.Points {
		d, _ := FindDuty(&Plan{Points: p.Points[i : i+1]}, DutyKey{DutyPoint, p.Points[i].ID})
		ds = append(ds, d)
	}
	for i := range p.Tasks {
		d, _ := FindDuty(&Plan{Tasks: p.Tasks[i : i+1]}, DutyKey{DutyTask, p.Tasks[i].ID})
		ds = append(ds, d)
	}
	for i := range p.Projects {
		d, _ := FindDuty(&Plan{Projects: p.Projects[i : i+1]}, DutyKey{DutyProject, p.Projects[i].ID})
		ds = append(ds, d)
	}
	return ds
}

// Region is a project duty's partner region; "" for a work point or a task.
func (d PlanDuty) Region() string {
	if d.Project == nil {
		return ""
	}
	return d.Project.Region
}

// UnitPart is a unit answering for a duty, with its role.
type UnitPart struct {
	Unit string
	Role DutyRole
}

// DutyUnits lists the units that answer for the duty with their roles (UnitRole): the units it
// names, the leading group's members for 各成员单位, the units the office named for 相关成员单位,
// in the plan's order. Collective names the groups do not resolve (各镇街) stand for no unit.
func DutyUnits(d PlanDuty, g Groups) []UnitPart {
	var parts []UnitPart
	add := func(u string) {
		if u == "" || slices.ContainsFunc(parts, func(p UnitPart) bool { return p.Unit == u }) {
			return
		}
		if d.Key.Kind == DutyProject {
			parts = append(parts, UnitPart{u, DutyLead})
			return
		}
		if r := UnitRole(d.Units, d.Ref, u, g); r != DutyNone {
			parts = append(parts, UnitPart{u, r})
		}
	}
	for _, r := range d.Units {
		switch {
		case r.Unit == GroupAllMembers:
			for _, u := range g.Members {
				add(u)
			}
		case r.Unit == GroupRelatedMembers:
			for _, u := range g.Assigned[d.Ref] {
				add(u)
			}
		case !IsGroupName(r.Unit):
			add(r.Unit)
		}
	}
	return parts
}

// Schedule is when a plan's duties fall due: the plan's year, the day its reporting starts
// (the notice's date, or 1 January when the plan has none) and the office's cadence.
type Schedule struct {
	Year    int
	From    Date
	Cadence Cadence
}

// NewSchedule is the schedule of plan p under cadence c.
func NewSchedule(p *Plan, c Cadence) Schedule {
	s := Schedule{Year: p.Year, From: p.IssuedOn, Cadence: c}
	if s.From.IsZero() || s.From.Year < p.Year {
		s.From = Date{p.Year, time.January, 1}
	}
	return s
}

// DutyDue lists a duty's due dates, earliest first, for a unit reporting to toUnit ("" for the
// office, else its lead unit):
//   - a task with a dated deadline is due on its dates (two for 6月底前、12月底前);
//   - a task with an open deadline (持续推进) and every work point are due monthly on the
//     cadence's day, from the plan's issue month (or January) to December, none before the
//     plan was issued;
//   - a project is due monthly too, until its planned finish month (at least once: a project
//     that finished before the plan came out still reports once).
//
// A cooperating unit reporting to its lead unit is due on the cooperating day instead: each
// month's, and for a dated deadline the cooperating day of its month (of the month before when
// the deadline comes earlier in the month).
func DutyDue(d PlanDuty, s Schedule, toUnit string) []Date {
	day := s.Cadence.ReportDay
	if toUnit != "" {
		day = s.Cadence.CooperateDay
	}
	if day < 1 || day > 28 {
		day = DefaultReportDay
	}
	var due []Date
	if d.Key.Kind == DutyTask && !d.Deadline.Open() {
		for _, dl := range d.Deadline.Dates {
			if toUnit != "" {
				m := dl.Month
				if dl.Day < day {
					m--
				}
				dl = NewDate(dl.Year, m, day)
			}
			due = append(due, dl)
		}
		sort.Slice(due, func(i, j int) bool { return DaysBetween(due[j], due[i]) < 0 })
		return slices.Compact(due)
	}
	if s.Year == 0 {
		return nil
	}
	start := YearMonth{s.Year, 1}
	if s.From.Year == s.Year {
		start.Month = int(s.From.Month)
	}
	end := YearMonth{s.Year, 12}
	if d.Project != nil && !d.Project.Period.Finish.IsZero() {
		end = d.Project.Period.Finish
	}
	for ym := start; ym.Year <= s.Year+1; ym = ym.AddMonths(1) {
		if end.Before(ym) && len(due) > 0 {
			break
		}
		if dd := NewDate(ym.Year, time.Month(ym.Month), day); DaysBetween(s.From, dd) >= 0 {
			due = append(due, dd)
		}
	}
	return due
}

// Track is one duty, or one unit's part of it, as supervision follows it: when it falls due,
// the reports that answer it (to the office for the duty; the unit's own for its part) and the
// office's closures of the duty.
type Track struct {
	Due      []Date
	Reports  []Report
	Closures []Closure
}

// DueOutcome is what became of one due date as of a day.
type DueOutcome int

// Outcomes of a due date.
const (
	DuePending DueOutcome = iota // not passed, and not yet answered in its period
	DueOnTime                    // a report was submitted in its period (after the due date before, on or before it)
	DueLate                      // none in its period, one after it and before the next due date passed
	DueMissed                    // passed with no report
	DueClosed                    // the duty was closed (销号) by then: nothing was due
)

// Text is the outcome in words.
func (o DueOutcome) Text() string {
	return [...]string{"待报送", "按时报送", "逾期补报", "逾期未报", "已销号"}[o]
}

// DueCheck is one due date and what became of it.
type DueCheck struct {
	Date     Date
	Passed   bool // the day had ended before the as-of instant (as of the due day itself it has not)
	Outcome  DueOutcome
	Accepted bool      // a report answering it was accepted by then
	Answer   *Report   // the report that answered it, if any
	At       time.Time // when that report was submitted
}

// submission is a submitted version of a report.
type submission struct {
	at time.Time
	r  *Report
}

func submissionsAt(rs []Report, asOf time.Time) []submission {
	var subs []submission
	for i := range rs {
		for _, v := range rs[i].Versions {
			if v.State == ReportSubmitted && !v.At.After(asOf) {
				subs = append(subs, submission{v.At, &rs[i]})
			}
		}
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].at.Before(subs[j].at) })
	return subs
}

// Checks says what became of each of the track's due dates as of asOf. A report answers the due
// date of the period it was submitted in (after the due date before, up to the end of its own
// day), on time. A due date that passed without one is answered late by the first report after
// it, up to the end of the next due date (or up to asOf, for the last): a late report clears the
// red, and its lateness shows in the rates; such a report also answers its own period. A due
// date that passed unanswered before the next one passed stays missed. A due date on which the
// duty was closed was not due.
func Checks(t Track, asOf time.Time) []DueCheck {
	subs := submissionsAt(t.Reports, asOf)
	checks := make([]DueCheck, len(t.Due))
	// first returns the first submission in (after, upTo], day by day in China.
	first := func(after Date, hasAfter bool, upTo time.Time) (submission, bool) {
		for _, s := range subs {
			if hasAfter && !EndOfDay(after).Before(s.at) {
				continue
			}
			if s.at.After(upTo) {
				break
			}
			return s, true
		}
		return submission{}, false
	}
	for i, d := range t.Due {
		c := DueCheck{Date: d, Passed: asOf.After(EndOfDay(d))}
		var prev Date
		if i > 0 {
			prev = t.Due[i-1]
		}
		if ClosedAt(t.Closures, earlier(asOf, EndOfDay(d))) {
			c.Outcome = DueClosed
			checks[i] = c
			continue
		}
		if s, ok := first(prev, i > 0, earlier(asOf, EndOfDay(d))); ok {
			c.Outcome, c.Answer, c.At = DueOnTime, s.r, s.at
		} else if c.Passed {
			upTo := asOf
			if i+1 < len(t.Due) {
				upTo = earlier(asOf, EndOfDay(t.Due[i+1]))
			}
			if s, ok := first(d, true, upTo); ok {
				c.Outcome, c.Answer, c.At = DueLate, s.r, s.at
			} else {
				c.Outcome = DueMissed
			}
		}
		if c.Answer != nil {
			st, _, _ := c.Answer.StateAt(asOf)
			c.Accepted = st == ReportAccepted
		}
		checks[i] = c
	}
	return checks
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// DutyState is the light of a duty, or of a unit's part of it, on a day, with the due date it
// refers to.
type DutyState struct {
	Light  Light // the colour; for yellow and green the days left until Next
	Next   Date  // the next due date not passed; zero when none is left
	Missed Date  // for red: the due date left unanswered
	// Met: Next's period is already answered (a report submitted in it); After is then the due
	// date after Next (zero when Next is the last), the next one the unit has to meet.
	Met   bool
	After Date
	// Returned: the latest report answering the track was returned by the reviewer (ToRedo). It
	// still counts for the light (the unit did report; the red is for what was not done), and
	// the words say it waits to be reported again.
	Returned bool
}

// Text says the state in words, beside its colour.
func (s DutyState) Text() string {
	switch s.Light.Color {
	case LightDone:
		return "已销号"
	case LightOpen:
		return "无报送日期"
	case LightRed:
		return fmt.Sprintf("逾期未报（应于 %d月%d日 前报送）", int(s.Missed.Month), s.Missed.Day)
	case LightYellow:
		if s.Light.Days == 0 {
			return fmt.Sprintf("今天到期（%d月%d日）", int(s.Next.Month), s.Next.Day)
		}
		return fmt.Sprintf("%d 天后到期（%d月%d日）", s.Light.Days, int(s.Next.Month), s.Next.Day)
	}
	if s.Next.IsZero() {
		return "已按期报送，待销号"
	}
	next := s.Next
	if s.Met {
		next = s.After
	}
	if s.Returned {
		if next.IsZero() {
			return "已报（被退回，待重报）"
		}
		return fmt.Sprintf("已报（被退回，待重报；下次 %d月%d日）", int(next.Month), next.Day)
	}
	if s.Met {
		if next.IsZero() {
			return fmt.Sprintf("本期已报（%d月%d日 为最后一期）", int(s.Next.Month), s.Next.Day)
		}
		return fmt.Sprintf("本期已报（下次 %d月%d日）", int(next.Month), next.Day)
	}
	return fmt.Sprintf("正常（下次 %d月%d日）", int(next.Month), next.Day)
}

// DutyLight is the light of a track as of asOf (API names in brackets):
//   - done: the office has closed the duty (销号) by then, whatever came before; a duty closed
//     in November stays done after;
//   - open: it has no due date at all;
//   - red: the latest due date passed (its day ended before asOf: on the due day itself, even
//     as of its last instant, it is still due today, yellow) is unanswered (Checks): no report was
//     submitted in its period, nor after it since; a late report clears the red;
//   - yellow: the next due date is within warnDays (0: its own day) and its period has no
//     submitted report yet;
//   - green: otherwise, including a duty whose every due date is answered and that waits for
//     the office to close it.
//
// Only what is not done turns red: a submitted report counts whether or not the office later
// accepts it (a returned report is on the unit's to-do list instead, and the state says so:
// Returned).
func DutyLight(t Track, asOf time.Time, warnDays int) DutyState {
	return trackState(t, Checks(t, asOf), asOf, warnDays)
}

// trackState is the state of a track from its checks, with whether its latest report waits to
// be reported again.
func trackState(t Track, checks []DueCheck, asOf time.Time, warnDays int) DutyState {
	s := stateOf(checks, ClosedAt(t.Closures, asOf), asOf, warnDays)
	if c := s.Light.Color; c == LightGreen || c == LightYellow {
		s.Returned = len(ToRedo(t.Reports, asOf, nil)) > 0
	}
	return s
}

// ToRedo is the indexes of the reports of rs that wait to be reported again as of asOf (退回待重
// 报): returned by the reviewer, and the latest of their unit on their duty (the highest id with
// a version by asOf). A returned report that a newer report of the unit superseded is done
// with. byWriter says for a report whether its duty's reports are each writer's own (a cadre's
// on a work point or a task, ReportsByWriter): the latest is then the writer's. One rule for the
// to-do list, the lights and the reminders.
func ToRedo(rs []Report, asOf time.Time, byWriter func(*Report) bool) []int {
	type key struct {
		duty       DutyKey
		unit, toBy string
	}
	keyOf := func(r *Report) key {
		k := key{duty: r.Duty, unit: r.Unit}
		if byWriter != nil && byWriter(r) {
			k.toBy = r.By
		}
		return k
	}
	newest := map[key]int64{}
	for i := range rs {
		r := &rs[i]
		if _, ok := refOf(r, asOf, false); ok && r.ID > newest[keyOf(r)] {
			newest[keyOf(r)] = r.ID
		}
	}
	var out []int
	for i := range rs {
		r := &rs[i]
		if newest[keyOf(r)] != r.ID {
			continue
		}
		if ref, ok := refOf(r, asOf, false); ok && ref.State == ReportReturned {
			out = append(out, i)
		}
	}
	return out
}

func stateOf(checks []DueCheck, closed bool, asOf time.Time, warnDays int) DutyState {
	if closed {
		return DutyState{Light: Light{Color: LightDone}}
	}
	if len(checks) == 0 {
		return DutyState{Light: Light{Color: LightOpen}}
	}
	var s DutyState
	for i, c := range checks {
		if c.Passed {
			if c.Outcome == DueMissed && (i+1 == len(checks) || !checks[i+1].Passed) {
				return DutyState{Light: Light{Color: LightRed}, Missed: c.Date}
			}
			continue
		}
		s.Next = c.Date
		s.Met = c.Outcome == DueOnTime
		if s.Met && i+1 < len(checks) {
			s.After = checks[i+1].Date
		}
		s.Light = Light{Color: LightGreen, Days: DaysBetween(DayOf(asOf), c.Date)}
		if c.Outcome == DuePending && s.Light.Days <= warnDays {
			s.Light.Color = LightYellow
		}
		return s
	}
	return DutyState{Light: Light{Color: LightGreen}}
}

// Tally counts a track's due dates whose day has ended: reports expected, made (on time or
// late), made on time, accepted, and overdue (expected, none made: Expected = Made + Overdue). A
// due date on which the duty was closed is not expected.
type Tally struct {
	Expected, Made, OnTime, Accepted, Overdue int
}

// TallyOf counts the checks (Checks) that passed.
func TallyOf(checks []DueCheck) Tally {
	var t Tally
	for _, c := range checks {
		if !c.Passed || c.Outcome == DueClosed {
			continue
		}
		t.Expected++
		switch c.Outcome {
		case DueOnTime:
			t.Made++
			t.OnTime++
		case DueLate:
			t.Made++
		default:
			t.Overdue++
		}
		if c.Accepted {
			t.Accepted++
		}
	}
	return t
}

// Add adds o to t.
func (t *Tally) Add(o Tally) {
	t.Expected += o.Expected
	t.Made += o.Made
	t.OnTime += o.OnTime
	t.Accepted += o.Accepted
	t.Overdue += o.Overdue
}

// Percent is n out of the reports expected, as pages write it (83%), or — when none was
// expected yet.
func (t Tally) Percent(n int) string {
	if t.Expected == 0 {
		return "—"
	}
	return strconv.Itoa((n*1000/t.Expected+5)/10) + "%"
}

// ReportRef is a report as a list shows it: who, its state and when.
type ReportRef struct {
	ID          int64
	Unit        string
	ToUnit      string
	State       ReportState
	Version     int
	At          time.Time // its latest version at the as-of instant
	SubmittedAt time.Time // when that state's version was submitted; zero for a draft
}

// refOf is a report as its reader sees it at asOf: the unit sees its latest version, draft
// or not; the reviewer (sentOnly) its latest submitted version and the decision on it. ok is
// false when there is nothing to see yet.
func refOf(r *Report, asOf time.Time, sentOnly bool) (ReportRef, bool) {
	ref := ReportRef{ID: r.ID, Unit: r.Unit, ToUnit: r.ToUnit}
	found := false
	for _, v := range r.Versions {
		if v.At.After(asOf) {
			break
		}
		if sentOnly && v.State != ReportSubmitted {
			continue
		}
		ref.State, ref.Version, ref.At, found = v.State, v.Version, v.At, true
		ref.SubmittedAt = time.Time{}
		if v.State == ReportSubmitted {
			ref.SubmittedAt = v.At
		}
	}
	if !found || ref.State != ReportSubmitted {
		return ref, found
	}
	for _, rv := range r.Reviews {
		if rv.Version == ref.Version && !rv.At.After(asOf) && !rv.At.Before(ref.At) {
			ref.State = ReportAccepted
			if rv.Decision == DecisionReturn {
				ref.State = ReportReturned
			}
		}
	}
	return ref, true
}

// lastRef is the report of rs with the latest version at asOf, as refOf sees it.
func lastRef(rs []Report, asOf time.Time, sentOnly bool) *ReportRef {
	var last *ReportRef
	for i := range rs {
		ref, ok := refOf(&rs[i], asOf, sentOnly)
		if ok && (last == nil || !ref.At.Before(last.At)) {
			last = &ref
		}
	}
	return last
}

// DutyStatus is one duty as the office follows it (Unit ""), or one unit's part of it, on a day.
type DutyStatus struct {
	Duty   PlanDuty
	Unit   string   // the unit whose part this is; "" for the duty as the office follows it
	Role   DutyRole // the unit's role in the duty
	ToUnit string   // where the part's reports go: "" for the office, else the lead unit
	Units  []UnitPart
	Leads  []string
	Teams  []string // the work teams one of whose lead units leads the duty
	Due    []Date
	Checks []DueCheck
	State  DutyState
	Tally  Tally
	Last   *ReportRef // the latest report: to the office for the duty, the unit's own for a part
}

// Board is a plan's supervision as of a day: every duty as the office follows it and every
// unit's part of each.
type Board struct {
	District string
	Year     int
	AsOf     time.Time
	Cadence  Cadence
	Duties   []DutyStatus
	Parts    []DutyStatus
	Teams    []string // the plan's work teams, in plan order
	Regions  []string // the plan's partner regions, in plan order

	teamLeads [][]string // each team's lead units, as Teams
	plan      *Plan      // the plan laid out, and the groups it was laid out with: who answers for what (ReportRole)
	groups    Groups
	// What the statuses were laid out from, to lay out a cadre's own part (Mine).
	byDuty   map[DutyKey][]Report
	closedBy map[DutyKey][]Closure
	sched    Schedule
}

// Supervise lays out the supervision of stored plan p as of asOf: each duty's due dates (under
// cadence c), light, tally and latest report from the reports and the office's closures given
// (any order, any duty; those dated after asOf are ignored), and the same for each unit's part.
// The duty as the office follows it counts the reports sent to the office by any of its units;
// a unit's part counts that unit's own reports, and a cooperating unit's part is due on the
// cooperating day when it reports to a lead unit.
func Supervise(p *Plan, g Groups, c Cadence, reports []Report, closures []Closure, asOf time.Time) Board {
	b := Board{District: p.District, Year: p.Year, AsOf: asOf, Cadence: c, plan: p, groups: g}
	for _, t := range p.Teams {
		b.Teams = append(b.Teams, t.Name)
		b.teamLeads = append(b.teamLeads, t.Leads)
	}
	for _, r := range p.Regions {
		b.Regions = append(b.Regions, r.Name)
	}
	byDuty := map[DutyKey][]Report{}
	for _, r := range reports {
		byDuty[r.Duty] = append(byDuty[r.Duty], r)
	}
	closedBy := map[DutyKey][]Closure{}
	for _, cl := range closures {
		closedBy[cl.Duty] = append(closedBy[cl.Duty], cl)
	}
	b.byDuty, b.closedBy, b.sched = byDuty, closedBy, NewSchedule(p, c)
	status := b.status
	for _, d := range PlanDuties(p) {
		parts := DutyUnits(d, g)
		leads := d.Leads(g)
		var teams []string
		for _, t := range p.Teams {
			if slices.ContainsFunc(t.Leads, func(u string) bool { return slices.Contains(leads, u) }) {
				teams = append(teams, t.Name)
			}
		}
		rs := byDuty[d.Key]
		var toOffice []Report
		for _, r := range rs {
			if r.ToUnit == "" {
				toOffice = append(toOffice, r)
			}
		}
		b.Duties = append(b.Duties, status(d, parts, leads, teams, "", DutyNone, "", toOffice))
		for _, part := range parts {
			var own []Report
			for _, r := range rs {
				if r.Unit == part.Unit {
					own = append(own, r)
				}
			}
			b.Parts = append(b.Parts, status(d, parts, leads, teams, part.Unit, part.Role, ReportRoute(part.Role, leads), own))
		}
	}
	return b
}

// status lays out duty d from reports rs: as the office follows it (unit ""), or unit's part.
func (b *Board) status(d PlanDuty, parts []UnitPart, leads, teams []string, unit string, role DutyRole, toUnit string, rs []Report) DutyStatus {
	t := Track{Due: DutyDue(d, b.sched, toUnit), Reports: rs, Closures: b.closedBy[d.Key]}
	checks := Checks(t, b.AsOf)
	return DutyStatus{Duty: d, Unit: unit, Role: role, ToUnit: toUnit, Units: parts, Leads: leads, Teams: teams,
		Due: t.Due, Checks: checks, State: trackState(t, checks, b.AsOf, b.Cadence.WarnDays),
		Tally: TallyOf(checks), Last: lastRef(rs, b.AsOf, unit == "")}
}

// ownStatus is s (unit u's part of a duty, or the duty as the office follows it) as u follows
// it (N5): a cadre's part of a work point or task is laid out from the reports it began
// (ReportsByWriter), not from every cadre's under 前方挂职干部; and the latest report shown is
// one u may read (CanReadReport), or none — a region's project as its cadre follows it keeps
// the office's light, which counts every unit's report, but not another unit's report as its
// latest.
func (b *Board) ownStatus(u *User, s DutyStatus) DutyStatus {
	if b.byDuty == nil {
		return s
	}
	if s.Unit != "" && ReportsByWriter(u, s.Duty.Key) {
		var own []Report
		for _, r := range b.byDuty[s.Duty.Key] {
			if r.Unit == s.Unit && r.By == u.Username {
				own = append(own, r)
			}
		}
		return b.status(s.Duty, s.Units, s.Leads, s.Teams, s.Unit, s.Role, s.ToUnit, own)
	}
	if s.Last == nil {
		return s
	}
	var readable []Report
	for _, r := range b.byDuty[s.Duty.Key] {
		if (s.Unit == "" && r.ToUnit == "" || s.Unit != "" && r.Unit == s.Unit) && CanReadReport(u, b.plan, b.groups, &r) {
			readable = append(readable, r)
		}
	}
	s.Last = lastRef(readable, b.AsOf, s.Unit == "")
	return s
}

// Duty finds the duty as the office follows it.
func (b *Board) Duty(k DutyKey) (DutyStatus, bool) {
	for _, s := range b.Duties {
		if s.Duty.Key == k {
			return s, true
		}
	}
	return DutyStatus{}, false
}

// UnitParts lists a unit's parts, in plan order.
func (b *Board) UnitParts(unit string) []DutyStatus {
	var out []DutyStatus
	for _, s := range b.Parts {
		if s.Unit == unit {
			out = append(out, s)
		}
	}
	return out
}

// Mine lists what u follows: for those who read the whole district's plan (the office, the
// leaders, the city office) every duty as the office follows it; for anyone else exactly the
// duties ReportRole lets u report on (one rule for the home page, the to-do list, the calendar
// and the API), each as u's unit's own part where it has one (a unit's work points, tasks and
// projects it leads; a cadre's work points and tasks naming 前方挂职干部), else as the office
// follows it with u's role (a cadre's region's projects, reported to the office beside the lead
// unit).
func (b *Board) Mine(u *User) []DutyStatus {
	if u.HasAny(RoleOffice, RoleLeader, RoleCityOffice) {
		return b.Duties
	}
	var out []DutyStatus
	for _, s := range b.Duties {
		role := ReportRole(b.plan, s.Duty.Key, u, b.groups)
		if role == DutyNone {
			continue
		}
		if i := slices.IndexFunc(b.Parts, func(p DutyStatus) bool { return p.Duty.Key == s.Duty.Key && p.Unit == u.Unit }); i >= 0 {
			out = append(out, b.ownStatus(u, b.Parts[i]))
			continue
		}
		s.Role = role
		out = append(out, b.ownStatus(u, s))
	}
	return out
}

// Red lists the duties the office follows that are red, the longest overdue first: the red
// list leaders read first.
func (b *Board) Red() []DutyStatus {
	var out []DutyStatus
	for _, s := range b.Duties {
		if s.State.Light.Color == LightRed {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return DaysBetween(out[j].State.Missed, out[i].State.Missed) < 0 })
	return out
}

// Rate is the tally of a unit, a work team or a partner region.
type Rate struct {
	Name string
	Tally
}

// Rates are a board's tallies: the year's (every duty as the office follows it), each unit's
// (its own parts: to the office when it leads, to its lead unit when it cooperates), each work
// team's (the duties its lead units lead) and each partner region's (its projects).
type Rates struct {
	Year    Tally
	Units   []Rate
	Teams   []Rate
	Regions []Rate
}

// Rates counts the board's tallies over every duty, units in the order they first answer for a
// duty, every work team and partner region of the plan listed (with zero when nothing is due).
func (b *Board) Rates() Rates {
	return b.tally(b.Duties, b.Teams, b.Regions, "")
}

// RatesOf counts the tallies of the duties u follows on the supervision pages (Supervised) that
// the filter keeps, so that each breakdown stays within the duties listed: the year's is their
// sum; the work teams are those u follows (SupervisedTeams; only the chosen one under a team
// filter), each listed even with nothing due; the regions those of the listed projects; the
// units' their parts of the listed duties (only the chosen unit's under a unit filter).
func (b *Board) RatesOf(u *User, f SuperviseFilter) Rates {
	teams := b.SupervisedTeams(u)
	if f.Team != "" {
		teams = slices.DeleteFunc(slices.Clone(teams), func(t string) bool { return t != f.Team })
	}
	return b.tally(f.Filter(b.Supervised(u)), teams, nil, f.Unit)
}

// tally adds up the duties' tallies, listing teams and regions first (in that order, with zero)
// and only those teams; unit "" counts every unit's parts of the duties, else that unit's.
func (b *Board) tally(duties []DutyStatus, teams, regions []string, unit string) Rates {
	var rt Rates
	add := func(list *[]Rate, name string, t Tally) {
		for i := range *list {
			if (*list)[i].Name == name {
				(*list)[i].Add(t)
				return
			}
		}
		*list = append(*list, Rate{name, t})
	}
	for _, name := range teams {
		add(&rt.Teams, name, Tally{})
	}
	for _, name := range regions {
		add(&rt.Regions, name, Tally{})
	}
	keys := map[DutyKey]bool{}
	for _, s := range duties {
		keys[s.Duty.Key] = true
		rt.Year.Add(s.Tally)
		for _, t := range s.Teams {
			if slices.Contains(teams, t) {
				add(&rt.Teams, t, s.Tally)
			}
		}
		if s.Duty.Region() != "" {
			add(&rt.Regions, s.Duty.Region(), s.Tally)
		}
	}
	for _, s := range b.Parts {
		if keys[s.Duty.Key] && (unit == "" || s.Unit == unit) {
			add(&rt.Units, s.Unit, s.Tally)
		}
	}
	return rt
}

// SuperviseFilter chooses duties on the supervision pages and in the API: by unit (one of the
// units answering for it; a unit's own parts), work team, partner region, light, and the day
// they are seen as of. The zero filter keeps every duty, seen as of now.
type SuperviseFilter struct {
	Unit   string // canonical unit name
	Team   string
	Region string
	Light  string // a LightColor as the API writes it
	AsOf   Date   // zero: now
}

// superviseFilterFields are the filter's text parameters in the order Values writes them,
// with the names a clerk sees in messages.
var superviseFilterFields = []struct {
	key, label string
	field      func(*SuperviseFilter) *string
}{
	{"unit", "责任单位", func(f *SuperviseFilter) *string { return &f.Unit }},
	{"team", "工作专班", func(f *SuperviseFilter) *string { return &f.Team }},
	{"region", "协作地区", func(f *SuperviseFilter) *string { return &f.Region }},
	{"light", "状态", func(f *SuperviseFilter) *string { return &f.Light }},
}

// ParseSuperviseFilter reads a filter from a query: unit, team, region, light (green, yellow,
// red, open or done) and as_of (YYYY-MM-DD, not after today). Bad values are refused with a
// message for the user; an empty value is no filter.
func ParseSuperviseFilter(q url.Values, today Date) (SuperviseFilter, error) {
	var f SuperviseFilter
	for _, fl := range append(superviseFilterFields, struct {
		key, label string
		field      func(*SuperviseFilter) *string
	}{"as_of", "查看日期", nil}) {
		v, err := oneValue(q, fl.key, fl.label)
		if err != nil || v == "" {
			if err != nil {
				return SuperviseFilter{}, err
			}
			continue
		}
		if fl.field != nil {
			*fl.field(&f) = v
			continue
		}
		d, err := ParseDate(v)
		if err != nil {
			return SuperviseFilter{}, Errorf(EINVALID, "查看日期“%s”无效，应写作 2021-08-31", v)
		}
		if !today.IsZero() && DaysBetween(today, d) > 0 {
			return SuperviseFilter{}, Errorf(EINVALID, "查看日期 %s 晚于今天（%s），只能查看今天及以前", d, today)
		}
		f.AsOf = d
	}
	if f.Light != "" {
		if _, ok := ParseLightColor(f.Light); !ok {
			return SuperviseFilter{}, Errorf(EINVALID, "状态“%s”无效，应为 green（正常）、yellow（临期）、red（逾期）、open（无期限）或 done（已销号）", f.Light)
		}
	}
	if u, ok := LookupUnit(f.Unit); ok && f.Unit != "" {
		f.Unit = u.Name // 区科信局 is 区科技和信息化局
	}
	return f, nil
}

// oneValue is a query parameter given once (or the same each time), checked like every filter
// value: not too long, no control characters.
func oneValue(q url.Values, key, label string) (string, error) {
	var got string
	for _, v := range q[key] {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
		case got == "":
			got = v
		case v != got:
			return "", Errorf(EINVALID, "筛选条件“%s”只能选一个，实为“%s”和“%s”", label, got, v)
		}
	}
	if !utf8.ValidString(got) || strings.ContainsFunc(got, unicode.IsControl) {
		return "", Errorf(EINVALID, "筛选条件“%s”含有无法识别的字符", label)
	}
	if n := utf8.RuneCountInString(got); n > maxFilterChars {
		return "", Errorf(EINVALID, "筛选条件“%s”太长（%d 个字），最多 %d 个字", label, n, maxFilterChars)
	}
	return got, nil
}

// Values is the filter as a query (for links, and the cache keys of what it shows).
func (f SuperviseFilter) Values() url.Values {
	q := url.Values{}
	for _, fl := range superviseFilterFields {
		if v := *fl.field(&f); v != "" {
			q.Set(fl.key, v)
		}
	}
	if !f.AsOf.IsZero() {
		q.Set("as_of", f.AsOf.String())
	}
	return q
}

// IsZero reports whether the filter keeps every duty, as of now.
func (f SuperviseFilter) IsZero() bool { return f == SuperviseFilter{} }

// At is the instant the filter shows: the end of its as-of day, or now.
func (f SuperviseFilter) At(now time.Time) time.Time {
	if f.AsOf.IsZero() {
		return now
	}
	return EndOfDay(f.AsOf)
}

// Match reports whether the filter keeps a duty (or a unit's part: then the unit must be the
// part's own).
func (f SuperviseFilter) Match(s DutyStatus) bool {
	if f.Unit != "" {
		if s.Unit != "" && s.Unit != f.Unit {
			return false
		}
		if s.Unit == "" && !slices.ContainsFunc(s.Units, func(p UnitPart) bool { return p.Unit == f.Unit }) {
			return false
		}
	}
	return (f.Team == "" || slices.Contains(s.Teams, f.Team)) &&
		(f.Region == "" || s.Duty.Region() == f.Region) &&
		(f.Light == "" || s.State.Light.Color.String() == f.Light)
}

// Filter lists the statuses the filter keeps.
func (f SuperviseFilter) Filter(ss []DutyStatus) []DutyStatus {
	var out []DutyStatus
	for _, s := range ss {
		if f.Match(s) {
			out = append(out, s)
		}
	}
	return out
}

// ToDoKind is why an item is on a to-do list.
type ToDoKind string

// To-do kinds, in the order a list shows them.
const (
	ToDoRed      ToDoKind = "red"      // a due date passed unanswered: report now
	ToDoReturned ToDoKind = "returned" // the reviewer returned a report: correct and resubmit
	ToDoYellow   ToDoKind = "yellow"   // due within the warning days
	ToDoReview   ToDoKind = "review"   // a report sent to the user's unit (or the office) waits for review
	ToDoPress    ToDoKind = "press"    // the office: a duty is red, press its units (督办)
	ToDoDue      ToDoKind = "due"      // due within a month, not yet reported this period
)

var todoRank = map[ToDoKind]int{ToDoRed: 0, ToDoReturned: 1, ToDoYellow: 2, ToDoReview: 3, ToDoPress: 4, ToDoDue: 5}

// Text is the kind in words.
func (k ToDoKind) Text() string {
	switch k {
	case ToDoRed:
		return "逾期未报"
	case ToDoReturned:
		return "退回待重报"
	case ToDoYellow:
		return "即将到期"
	case ToDoReview:
		return "待审核"
	case ToDoPress:
		return "逾期待督办"
	}
	return "本期待报"
}

// ToDoItem is one entry of a user's to-do list.
type ToDoItem struct {
	Kind   ToDoKind
	Status DutyStatus // the duty (the user's part of it, where it has one)
	Date   Date       // the due date concerned; the submission's day for a review
	Report *ReportRef // the report to resubmit or review
}

// dueSoon is how far ahead a to-do list lists what is due.
const dueSoon = 31

// ToDo is u's to-do list on the board's day, the most pressing first: its unit's parts (and a
// cadre's region's projects) that are red, yellow or due within a month and not yet reported
// this period; its unit's reports the reviewer returned; the reports waiting for u's review (a
// lead unit's from its cooperating units, the office's from the units); and for the office the
// duties that are red, to press. reports are the plan's reports (any order).
func ToDo(u *User, b *Board, reports []Report) []ToDoItem {
	var items []ToDoItem
	mine := b.Mine(u)
	if u.HasAny(RoleOffice, RoleLeader, RoleCityOffice) {
		mine = b.UnitParts(u.Unit) // the office's own parts; the duties it presses come below
		if !u.Has(RoleOffice) {
			mine = nil
		}
	}
	today := DayOf(b.AsOf)
	for _, s := range mine {
		switch st := s.State; st.Light.Color {
		case LightRed:
			items = append(items, ToDoItem{Kind: ToDoRed, Status: s, Date: st.Missed})
		case LightYellow:
			items = append(items, ToDoItem{Kind: ToDoYellow, Status: s, Date: st.Next})
		case LightGreen:
			i := slices.IndexFunc(s.Checks, func(c DueCheck) bool { return c.Date == st.Next })
			if i >= 0 && s.Checks[i].Outcome == DuePending && DaysBetween(today, st.Next) <= dueSoon {
				items = append(items, ToDoItem{Kind: ToDoDue, Status: s, Date: st.Next})
			}
		}
	}
	// Only the unit's latest report on a duty waits to be reported again: a returned report
	// that a newer one of the unit superseded is done with (R5). A cadre's reports on a work
	// point or task are its own (ReportsByWriter).
	mineOf := func(r *Report) bool {
		return r.Unit == u.Unit && (!ReportsByWriter(u, r.Duty) || r.By == u.Username)
	}
	var own []Report
	for i := range reports {
		if mineOf(&reports[i]) {
			own = append(own, reports[i])
		}
	}
	for _, i := range ToRedo(own, b.AsOf, func(r *Report) bool { return ReportsByWriter(u, r.Duty) }) {
		r := &own[i]
		if b.closed(r.Duty) {
			continue // a closed duty takes no report: nothing to report again
		}
		ref, _ := refOf(r, b.AsOf, false)
		items = append(items, ToDoItem{Kind: ToDoReturned, Status: b.ownStatus(u, b.statusFor(r.Duty, r.Unit)), Date: DayOf(ref.At), Report: &ref})
	}
	for i := range reports {
		r := &reports[i]
		if u.CanReview(b.District, r.ToUnit) {
			if ref, ok := refOf(r, b.AsOf, true); ok && ref.State == ReportSubmitted {
				items = append(items, ToDoItem{Kind: ToDoReview, Status: b.statusFor(r.Duty, ""), Date: DayOf(ref.SubmittedAt), Report: &ref})
			}
		}
	}
	if u.CanClose(b.District) {
		for _, s := range b.Red() {
			items = append(items, ToDoItem{Kind: ToDoPress, Status: s, Date: s.State.Missed})
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if a, c := todoRank[items[i].Kind], todoRank[items[j].Kind]; a != c {
			return a < c
		}
		return DaysBetween(items[j].Date, items[i].Date) < 0
	})
	// One row per duty of the user's own: its most pressing reason (the list is sorted so), e.g.
	// 退回待重报 and not also 本期待报 for the same duty. Reviews and duties to press concern
	// other units' reports and parts and stay as they are.
	type ownKey struct {
		duty DutyKey
		unit string
	}
	seen := map[ownKey]bool{}
	out := items[:0]
	for _, it := range items {
		if it.Kind != ToDoReview && it.Kind != ToDoPress {
			k := ownKey{it.Status.Duty.Key, it.Status.Unit}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, it)
	}
	return out
}

// statusFor is unit's part of the duty, or the duty as the office follows it.
func (b *Board) statusFor(k DutyKey, unit string) DutyStatus {
	for _, s := range b.Parts {
		if s.Duty.Key == k && s.Unit == unit && unit != "" {
			return s
		}
	}
	s, _ := b.Duty(k)
	return s
}

// ParseMonth reads a month as YYYY-MM.
func ParseMonth(s string) (YearMonth, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil {
		return YearMonth{}, Errorf(EINVALID, "月份“%s”无效，应写作 2021-09", s)
	}
	return YearMonth{t.Year(), int(t.Month())}, nil
}

// AddMonths is the month n months after ym (before, when n is negative).
func (ym YearMonth) AddMonths(n int) YearMonth {
	m := ym.Year*12 + ym.Month - 1 + n
	return YearMonth{m / 12, m%12 + 1}
}

// CalendarItem is a due date on a calendar: the duty, whose part, and what became of it.
type CalendarItem struct {
	Duty    PlanDuty
	Unit    string // the part's unit; "" for the duty as the office follows it
	Outcome DueOutcome
	Light   LightColor // the duty's light on the board's day
}

// CalendarDay is one day of a month's grid.
type CalendarDay struct {
	Date    Date
	InMonth bool // false for the days of the months before and after that fill its weeks
	Today   bool // the board's day
	Items   []CalendarItem
}

// Calendar is a month's grid of due dates, in weeks from Monday to Sunday.
type Calendar struct {
	Month YearMonth
	Weeks [][7]CalendarDay
}

// MonthCalendar lays out the due dates of statuses in month's grid, as of asOf.
func MonthCalendar(month YearMonth, statuses []DutyStatus, asOf time.Time) Calendar {
	c := Calendar{Month: month}
	first := NewDate(month.Year, time.Month(month.Month), 1)
	wd := (int(time.Date(first.Year, first.Month, 1, 0, 0, 0, 0, time.UTC).Weekday()) + 6) % 7 // Monday is 0
	start := NewDate(first.Year, first.Month, 1-wd)
	last := NewDate(month.Year, time.Month(month.Month)+1, 0)
	index := map[Date][2]int{}
	today := DayOf(asOf)
	for d := start; ; {
		var week [7]CalendarDay
		for i := range week {
			week[i] = CalendarDay{Date: d, InMonth: d.Month == first.Month && d.Year == first.Year, Today: d == today}
			index[d] = [2]int{len(c.Weeks), i}
			d = NewDate(d.Year, d.Month, d.Day+1)
		}
		c.Weeks = append(c.Weeks, week)
		if DaysBetween(last, d) > 0 {
			break
		}
	}
	for _, s := range statuses {
		for _, ch := range s.Checks {
			if at, ok := index[ch.Date]; ok {
				day := &c.Weeks[at[0]][at[1]]
				day.Items = append(day.Items, CalendarItem{Duty: s.Duty, Unit: s.Unit, Outcome: ch.Outcome, Light: s.State.Light.Color})
			}
		}
	}
	return c
}

// CanSupervise reports whether u may open the supervision pages (督查督办) of its district: the
// office, the leaders, the team leads (for their teams' duties) and the city office, which reads
// every district.
func (u *User) CanSupervise() bool {
	return u.HasAny(RoleOffice, RoleLeader, RoleTeamLead, RoleCityOffice)
}

// Supervised lists the duties u follows on the supervision pages, as the office follows them:
// every duty for the office, the leaders and the city office; for a team lead the duties of the
// work teams its unit leads; nothing for anyone else.
func (b *Board) Supervised(u *User) []DutyStatus {
	if u.HasAny(RoleOffice, RoleLeader, RoleCityOffice) {
		return b.Duties
	}
	if !u.Has(RoleTeamLead) {
		return nil
	}
	teams := b.TeamsLedBy(u.Unit)
	var out []DutyStatus
	for _, s := range b.Duties {
		if slices.ContainsFunc(s.Teams, func(t string) bool { return slices.Contains(teams, t) }) {
			out = append(out, s)
		}
	}
	return out
}

// SupervisedTeams lists the work teams u follows on the supervision pages, in plan order: every
// team of the plan for the office, the leaders and the city office (a team whose lead units lead
// no duty too: it is listed with nothing due), a team lead's own teams, none for anyone else.
func (b *Board) SupervisedTeams(u *User) []string {
	switch {
	case u.HasAny(RoleOffice, RoleLeader, RoleCityOffice):
		return b.Teams
	case u.Has(RoleTeamLead):
		return b.TeamsLedBy(u.Unit)
	}
	return nil
}

// TeamsLedBy lists the work teams unit leads, in plan order.
func (b *Board) TeamsLedBy(unit string) []string {
	var out []string
	for i, t := range b.Teams {
		if slices.Contains(b.teamLeads[i], unit) {
			out = append(out, t)
		}
	}
	return out
}

// closed reports whether the office has closed duty k (销号) by the board's day.
func (b *Board) closed(k DutyKey) bool { return ClosedAt(b.closedBy[k], b.AsOf) }
