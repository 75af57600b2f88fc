package gen

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// A half year of supervision facts on a stored plan, for demonstrations and benchmarks: the
// monthly reports of the units on their duties from June to the day given (most on time, some
// late, some missing), the office's reviews (most accepted, some returned and resubmitted, some
// returned and waiting), a few cooperating units' reports to their lead unit, closures (销号) of
// tasks whose deadline has passed, the half year frozen after its summary with one exception
// asked, and supervision notices in every state. Everything goes through the storage methods the
// pages call, each fact dated in the past (sqldb.WithFactTime, or the notices' own dates) and in
// the order of its dates, so that every light and rate can be shown as of any day of it.

// HalfYear says what to generate.
type HalfYear struct {
	District string
	Year     int
	// Today is the day the facts stop at: none is dated after it.
	Today time.Time
	// Seed makes the facts: the same seed on the same plan gives the same facts.
	Seed int64
	// Users names who writes for a unit (its username), e.g. 区财政局 → caizheng; the office's
	// user is the one of 领导小组办公室. A unit without one writes under its own name.
	Users map[string]string
}

// HalfYearStats counts what WriteHalfYear stored.
type HalfYearStats struct {
	Reports, Versions, Reviews, Returned, Closures, Notices, Freezes, Exceptions int
}

// OfficeUnit is the unit of the office that reviews, closes and presses.
const OfficeUnit = "领导小组办公室"

// CadreUnit is the unit cadres report under.
const CadreUnit = "前方挂职干部"

// step is one fact of the half year: its time, and the write that stores it.
type step struct {
	at    time.Time
	seq   int // creation order: ties in time keep it
	story *story
	write func(ctx context.Context) error
}

// story is the life of one monthly report: later steps need the report's id.
type story struct {
	report   int64
	version  int
	dropped  bool      // a step could not be dated in the past: the rest is not written
	accepted time.Time // when its last planned review accepts it; zero when none does
}

// halfYear holds the generator's state.
type halfYear struct {
	closed map[xiezuo.DutyKey]bool // the duties closed so far, as the steps are written
	o      HalfYear
	c      xiezuo.Cadence // the district's reporting cadence: most reports come before its days
	db     *sqldb.DB
	r      *rand.Rand
	p      *xiezuo.Plan
	g      xiezuo.Groups
	today  time.Time
	steps  []*step
	stats  HalfYearStats
	freeze time.Time // when the first half year is frozen
	// forced marks, per demo unit, the outcomes already forced on one of its duties (forcedFor).
	forced map[string]int
	// june is a June report of each unit, for the exception asked after the freeze.
	june map[string]*story
}

// WriteHalfYear stores a half year of supervision facts on district's stored plan of year, up
// to o.Today. Run it once on a plan without reports: running it again adds another half year.
func WriteHalfYear(ctx context.Context, db *sqldb.DB, o HalfYear) (HalfYearStats, error) {
	p, err := db.LoadPlan(ctx, o.District, o.Year)
	if err != nil {
		return HalfYearStats{}, err
	}
	members, err := db.GroupMembers(ctx, o.District)
	if err != nil {
		return HalfYearStats{}, err
	}
	as, err := db.Assignments(ctx, o.District, o.Year)
	if err != nil {
		return HalfYearStats{}, err
	}
	c, err := db.Cadence(ctx, o.District)
	if err != nil {
		return HalfYearStats{}, err
	}
	h := &halfYear{o: o, c: c, db: db, p: p, g: xiezuo.NewGroups(members, as),
		r:      rand.New(rand.NewPCG(uint64(o.Seed), 0x6475626169)), // "dubai"
		today:  o.Today.UTC(),
		forced: map[string]int{}, june: map[string]*story{}, closed: map[xiezuo.DutyKey]bool{}}
	h.freeze = time.Date(o.Year, 7, 26, 10, 0, 0, 0, xiezuo.Beijing)
	h.plan()
	slices.SortStableFunc(h.steps, func(a, b *step) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	for _, s := range h.steps {
		if s.story != nil && s.story.dropped {
			continue
		}
		if err := s.write(sqldb.WithFactTime(ctx, s.at)); err != nil {
			return h.stats, fmt.Errorf("half year, fact of %s: %w", s.at.In(xiezuo.Beijing).Format("2006-01-02 15:04"), err)
		}
	}
	return h.stats, nil
}

// add schedules a write at at of story s (nil for a fact of its own). A step after today is
// not written, nor is any later step of its story.
func (h *halfYear) add(s *story, at time.Time, write func(ctx context.Context) error) bool {
	if at.After(h.today) {
		return false
	}
	h.steps = append(h.steps, &step{at: at.UTC(), seq: len(h.steps), story: s, write: write})
	return true
}

// actor is the context of the user who writes for unit.
func (h *halfYear) actor(ctx context.Context, unit string) context.Context {
	name := h.o.Users[unit]
	if name == "" {
		name = unit
	}
	return sqldb.WithActor(ctx, sqldb.Actor{Username: name, Unit: unit})
}

// writer is the context of the user who writes unit's reports: the unit's user, except for the
// office, whose own reports are written under the office's name so that its demo user, who
// reviews, never reviews what it wrote (nobody reviews its own report).
func (h *halfYear) writer(ctx context.Context, unit string) context.Context {
	if unit == OfficeUnit {
		return sqldb.WithActor(ctx, sqldb.Actor{Username: unit + "（经办）", Unit: unit})
	}
	return h.actor(ctx, unit)
}

// day is a time on day d of month m, in office hours.
func (h *halfYear) day(m time.Month, d int) time.Time {
	return time.Date(h.o.Year, m, d, 9+h.r.IntN(8), h.r.IntN(60), h.r.IntN(60), 0, xiezuo.Beijing)
}

// later is a time between lo and hi days after t, in office hours.
func (h *halfYear) later(t time.Time, lo, hi int) time.Time {
	b := t.In(xiezuo.Beijing).AddDate(0, 0, lo+h.r.IntN(hi-lo+1))
	return time.Date(b.Year(), b.Month(), b.Day(), 9+h.r.IntN(8), h.r.IntN(60), h.r.IntN(60), 0, xiezuo.Beijing)
}

// reporter is a unit that reports on a duty, to whom ("" for the office), and how it answers.
type reporter struct {
	unit, to string
	role     xiezuo.DutyRole
}

// duty is a duty of the plan with the units that report on it: its parts (xiezuo.DutyUnits),
// each to the office or, cooperating, to the first lead unit (xiezuo.ReportRoute), and the
// cadres of 内蒙古武川县 on that region's projects.
type duty struct {
	d    xiezuo.PlanDuty
	from []reporter
}

// duties lists the plan's duties in plan order, each with its reporters.
func (h *halfYear) duties() []duty {
	var out []duty
	for _, d := range xiezuo.PlanDuties(h.p) {
		leads := d.Leads(h.g)
		var from []reporter
		for _, part := range xiezuo.DutyUnits(d, h.g) {
			from = append(from, reporter{unit: part.Unit, to: xiezuo.ReportRoute(part.Role, leads), role: part.Role})
		}
		if d.Project != nil && d.Project.Region == "内蒙古武川县" {
			from = append(from, reporter{unit: CadreUnit, role: xiezuo.DutyRegion})
		}
		out = append(out, duty{d, from})
	}
	return out
}

// outcome is what becomes of one monthly report.
type outcome int

const (
	onTime   outcome = iota // sent before the reporting day
	late                    // sent after it
	missing                 // never sent
	waiting                 // sent, returned, not yet resubmitted (forced for the demo units)
	finished                // sent on time at 100 %, accepted: the duty can be closed
)

// plan schedules every fact of the half year.
func (h *halfYear) plan() {
	last := h.today.In(xiezuo.Beijing).Month()
	if h.today.In(xiezuo.Beijing).Year() > h.o.Year {
		last = time.December
	}
	closedOne := false
	for _, dr := range h.duties() {
		d := dr.d
		dated := d.Task != nil && !d.Deadline.Open()
		// A task whose every deadline has passed is finished in its deadline month by its lead
		// unit, and the office closes the first such one and half of the others.
		var finishMonth time.Month
		closing := false
		if dated {
			end := d.Deadline.Dates[len(d.Deadline.Dates)-1]
			if due := time.Date(end.Year, end.Month, end.Day, 18, 0, 0, 0, xiezuo.Beijing); due.Before(h.today) && end.Year == h.o.Year {
				finishMonth = end.Month
				closing = !closedOne || h.r.IntN(2) == 0
				closedOne = closedOne || closing
			}
		}
		lead := slices.IndexFunc(dr.from, func(r reporter) bool { return r.role == xiezuo.DutyLead })
		for i, rep := range dr.from {
			// A task with dated deadlines is due on its dates only: of its many member and
			// cooperating units, about one in three reports in a month.
			occasional := dated && rep.role != xiezuo.DutyLead
			forcedMissing, forcedWaiting := false, false
			if rep.role == xiezuo.DutyLead || rep.unit == CadreUnit {
				forcedMissing, forcedWaiting = h.forcedFor(rep.unit, dated)
			}
			for m := time.June; m <= last; m++ {
				if i == lead && closing && m > finishMonth {
					break // closed: nothing more to report
				}
				if occasional && h.r.IntN(3) != 0 {
					continue
				}
				out := h.draw()
				switch {
				case i == lead && m == finishMonth:
					out = finished
				case m >= time.August && forcedMissing:
					out = missing
				case m == time.August && forcedWaiting:
					out = waiting
				}
				st := h.report(d, rep, m, out)
				if i == lead && m == finishMonth && closing && st != nil {
					h.closeLater(d, st)
				}
			}
		}
	}
	h.freezeHalf()
	h.notices()
}

// forcedFor gives each demo unit (one with a user) something to do: the first duty due monthly
// that it leads has no report since July (red on 15 September), the next one it leads has
// August's report returned and waiting for a new version.
func (h *halfYear) forcedFor(unit string, dated bool) (missingAug, waitingAug bool) {
	if h.o.Users[unit] == "" || unit == OfficeUnit {
		return false, false
	}
	switch {
	case !dated && h.forced[unit]&1 == 0:
		h.forced[unit] |= 1
		return true, false
	case h.forced[unit]&2 == 0:
		h.forced[unit] |= 2
		return false, true
	}
	return false, false
}

// draw picks the outcome of a monthly report: seven in ten on time, two late, one missing.
func (h *halfYear) draw() outcome {
	switch n := h.r.IntN(100); {
	case n < 70:
		return onTime
	case n < 88:
		return late
	}
	return missing
}

var (
	reportTexts = []string{
		"本月按计划推进，已完成阶段性工作，相关材料已归档。",
		"本月召开专题推进会，对接协作地区需求，落实分工。",
		"本月完成资金拨付手续，项目按进度实施，未发现问题。",
		"本月组织实地调研一次，形成调研报告，问题清单已交相关单位。",
		"本月推进较慢，主要受协作地区雨季施工影响，已制定赶工计划。",
	}
	returnComments = []string{
		"请补充具体数据和佐证材料。",
		"进展描述过于笼统，请说明完成了哪些具体事项。",
		"形象进度与上月报送不一致，请核实后重报。",
	}
	resubmitTexts = []string{
		"已按要求补充：本月召开推进会一次，完成培训两期，附会议纪要和签到表。",
		"已核实更正：形象进度按实际完成工作量计算，附相关凭证。",
	}
)

// values are a report's text, percent and figures for month m.
func (h *halfYear) values(d xiezuo.PlanDuty, m time.Month, text string, full bool) xiezuo.ReportValues {
	v := xiezuo.ReportValues{Text: fmt.Sprintf("%d月进展：%s", int(m), text)}
	pct := min(100, (int(m)-5)*18+h.r.IntN(15))
	if full {
		pct = 100
	}
	if d.Project != nil || d.Task != nil {
		v.Percent = &pct
	}
	for _, f := range d.Figures {
		if h.r.IntN(10) < 4 {
			continue // not reported: a blank, never 0
		}
		n := int64(1 + h.r.IntN(5))
		switch {
		case f.Money():
			n = int64(10+h.r.IntN(190)) * xiezuo.FenPerWan
		case f.Target.Valid && f.Target.V > 0:
			n = f.Target.V * int64(pct) / 100
		case f.Unit == "人":
			n = int64(10 + h.r.IntN(190))
		}
		v.Figures = append(v.Figures, xiezuo.Figure{Key: f.Key, Value: n})
	}
	return v
}

// report schedules the life of rep's report on d for month m and returns its story, or nil
// when none is sent.
func (h *halfYear) report(d xiezuo.PlanDuty, rep reporter, m time.Month, out outcome) *story {
	if out == missing {
		return nil
	}
	st := &story{}
	day := h.c.ReportDay
	if rep.to != "" {
		day = h.c.CooperateDay
	}
	var sent time.Time
	switch out {
	case late:
		// Late, but within its month: a unit reports once a month on a duty, so a report sent
		// in the next month would be that month's (xiezuo.NewReportRefusal).
		left := time.Date(h.o.Year, m+1, 0, 0, 0, 0, 0, xiezuo.Beijing).Day() - day
		sent = h.later(time.Date(h.o.Year, m, day, 18, 0, 0, 0, xiezuo.Beijing), 1, max(1, min(12, left)))
	case finished:
		sent = h.day(m, 1+h.r.IntN(day-1))
	default:
		sent = h.day(m, max(1, day-12)+h.r.IntN(min(12, day-1)))
	}
	if out == waiting {
		sent = h.day(m, 1+h.r.IntN(day-1))
	}
	vals := h.values(d, m, reportTexts[h.r.IntN(len(reportTexts))], out == finished)
	if !h.add(st, sent, func(ctx context.Context) error { return h.submit(ctx, st, d, rep, vals) }) {
		return nil
	}
	if m == time.June && h.june[rep.unit] == nil {
		h.june[rep.unit] = st
	}
	reviewer := OfficeUnit
	if rep.to != "" {
		reviewer = rep.to
	}
	reviewed := h.later(sent, 1, 5)
	returned := out == waiting || (out != finished && h.r.IntN(100) < 18)
	if !returned {
		h.review(st, m, reviewer, reviewed, xiezuo.DecisionAccept, "")
		return st
	}
	if out == waiting {
		// Returned in early September, waiting for the unit.
		reviewed = h.later(time.Date(h.o.Year, time.September, 1, 9, 0, 0, 0, xiezuo.Beijing), 0, 9)
	}
	h.review(st, m, reviewer, reviewed, xiezuo.DecisionReturn, returnComments[h.r.IntN(len(returnComments))])
	if out == waiting || h.r.IntN(10) < 2 {
		return st // left returned: the unit has a report to resubmit
	}
	again := h.later(reviewed, 1, 4)
	fixed := h.values(d, m, resubmitTexts[h.r.IntN(len(resubmitTexts))], false)
	if h.addInPeriod(st, m, again, func(ctx context.Context) error { return h.submit(ctx, st, d, rep, fixed) }) {
		h.review(st, m, reviewer, h.later(again, 1, 3), xiezuo.DecisionAccept, "")
	}
	return st
}

// addInPeriod adds a later step of a report of month m, unless the month is frozen by then (the
// first half year is frozen on 26 July: what was not finished stays as it was).
func (h *halfYear) addInPeriod(st *story, m time.Month, at time.Time, write func(ctx context.Context) error) bool {
	if m <= time.June && !at.Before(h.freeze) {
		return false
	}
	return h.add(st, at, write)
}

func (h *halfYear) review(st *story, m time.Month, reviewer string, at time.Time, d xiezuo.Decision, comment string) {
	added := h.addInPeriod(st, m, at, func(ctx context.Context) error {
		if _, err := h.db.ReviewReport(h.actor(ctx, reviewer), st.report, st.version, d, comment); err != nil {
			return err
		}
		h.stats.Reviews++
		if d == xiezuo.DecisionReturn {
			h.stats.Returned++
		}
		return nil
	})
	if added && d == xiezuo.DecisionAccept {
		st.accepted = at
	}
}

// submit sends a version of st's report.
func (h *halfYear) submit(ctx context.Context, st *story, d xiezuo.PlanDuty, rep reporter, v xiezuo.ReportValues) error {
	if h.closed[d.Key] {
		st.dropped = true // a closed duty takes no report: the other units stop with its lead
		return nil
	}
	r, err := h.db.SubmitReport(h.writer(ctx, rep.unit), sqldb.ReportWrite{Duty: d.Key, Unit: rep.unit, ToUnit: rep.to,
		ReportID: st.report, State: xiezuo.ReportSubmitted, Values: v})
	if err != nil {
		return fmt.Errorf("%s on %s: %w", rep.unit, d.Key, err)
	}
	if st.report == 0 {
		h.stats.Reports++
	}
	st.report, st.version = r.ID, r.Versions[len(r.Versions)-1].Version
	h.stats.Versions++
	return nil
}

// closeLater schedules the office closing d (销号) a few days after its finishing report's
// acceptance.
func (h *halfYear) closeLater(d xiezuo.PlanDuty, st *story) {
	if st.accepted.IsZero() {
		return
	}
	h.add(nil, h.later(st.accepted, 2, 6), func(ctx context.Context) error {
		if err := h.db.CloseDuty(h.actor(ctx, OfficeUnit), d.Key, true, ""); err != nil {
			return err
		}
		h.closed[d.Key] = true
		h.stats.Closures++
		return nil
	})
}

// freezeHalf schedules the office freezing the first half year after its summary, and one
// unit asking for an exception to correct its June report.
func (h *halfYear) freezeHalf() {
	h1 := xiezuo.ReportPeriod{Kind: xiezuo.PeriodHalf, Year: h.o.Year, N: 1}
	if !h.add(nil, h.freeze, func(ctx context.Context) error {
		if _, err := h.db.FreezePeriod(h.actor(ctx, OfficeUnit), h.o.District, h.o.Year, h1, "上半年工作总结和考核快照"); err != nil {
			return err
		}
		h.stats.Freezes++
		return nil
	}) {
		return
	}
	units := make([]string, 0, len(h.june))
	for u := range h.june {
		if h.o.Users[u] != "" && u != OfficeUnit && u != CadreUnit {
			units = append(units, u)
		}
	}
	slices.Sort(units)
	if len(units) == 0 {
		return
	}
	unit := units[0]
	st := h.june[unit]
	h.add(nil, h.later(h.today.AddDate(0, 0, -6), 0, 2), func(ctx context.Context) error {
		r, err := h.db.Report(ctx, st.report)
		if err != nil {
			return err
		}
		if _, err := h.db.RequestException(h.actor(ctx, unit), sqldb.ExceptionRequest{District: h.o.District, Year: h.o.Year,
			Duty: r.Duty, ReportID: st.report, Period: xiezuo.MonthPeriod(h.o.Year, time.June), Unit: unit,
			Reason: "6月报送的培训人数有误，需更正为实际数"}); err != nil {
			return err
		}
		h.stats.Exceptions++
		return nil
	})
}

// notices schedules supervision notices in every state on duties of the demo units (or of the
// first lead units), dated back from today: one waiting to be signed, one signed and overdue
// (escalated), one answered, one returned, one done, one closed.
func (h *halfYear) notices() {
	var targets []struct {
		d    xiezuo.PlanDuty
		unit string
	}
	for _, dr := range h.duties() {
		for _, rep := range dr.from {
			if rep.role != xiezuo.DutyLead || rep.unit == OfficeUnit || rep.unit == CadreUnit {
				continue
			}
			targets = append(targets, struct {
				d    xiezuo.PlanDuty
				unit string
			}{dr.d, rep.unit})
			break
		}
	}
	// Demo units first, so that they have a notice to sign.
	slices.SortStableFunc(targets, func(a, b struct {
		d    xiezuo.PlanDuty
		unit string
	}) int {
		demo := func(u string) int {
			if h.o.Users[u] != "" {
				return 0
			}
			return 1
		}
		return cmp.Compare(demo(a.unit), demo(b.unit))
	})
	if len(targets) == 0 {
		return
	}
	today := h.today.In(xiezuo.Beijing)
	type life struct {
		issued int // days before today
		steps  []xiezuo.NoticeStep
		reply  int // reply deadline, days after issue
	}
	lives := []life{
		{2, nil, 7},
		{25, []xiezuo.NoticeStep{xiezuo.NoticeSigned, xiezuo.NoticeEscalated}, 10},
		{20, []xiezuo.NoticeStep{xiezuo.NoticeSigned, xiezuo.NoticeAnswered}, 10},
		{30, []xiezuo.NoticeStep{xiezuo.NoticeSigned, xiezuo.NoticeAnswered, xiezuo.NoticeReturned}, 10},
		{45, []xiezuo.NoticeStep{xiezuo.NoticeSigned, xiezuo.NoticeAnswered, xiezuo.NoticeDone}, 10},
		{55, []xiezuo.NoticeStep{xiezuo.NoticeSigned, xiezuo.NoticeAnswered, xiezuo.NoticeDone, xiezuo.NoticeClosed}, 10},
	}
	for i, l := range lives {
		tg := targets[i%len(targets)]
		issued := h.later(today.AddDate(0, 0, -l.issued), 0, 0)
		if issued.Year() != h.o.Year {
			continue
		}
		replyBy := xiezuo.DateOf(issued.AddDate(0, 0, l.reply))
		n := xiezuo.Notice{District: h.o.District, Year: h.o.Year, Duty: tg.d.Key, Unit: tg.unit,
			Subject:     "关于" + tg.d.Title + "进展滞后的督办",
			Requirement: "请于反馈时限前报送本事项的进展情况、存在问题和下一步措施，并附佐证材料。",
			ReplyBy:     replyBy, Signer: "王办公"}
		ns := &story{}
		h.add(ns, issued, func(ctx context.Context) error {
			got, err := h.db.IssueNotice(h.actor(ctx, OfficeUnit), n, issued)
			if err != nil {
				return err
			}
			ns.report = got.ID
			h.stats.Notices++
			return nil
		})
		at := issued
		for _, s := range l.steps {
			at = h.later(at, 1, 3)
			if s == xiezuo.NoticeEscalated {
				at = time.Date(replyBy.Year, replyBy.Month, replyBy.Day, 9, 30, 0, 0, xiezuo.Beijing).AddDate(0, 0, 1)
			}
			s, when := s, at
			h.add(ns, when, func(ctx context.Context) error { return h.noticeStep(ctx, ns.report, tg.unit, s, when) })
		}
	}
}

// noticeStep writes one step of notice id, by the unit or the office as the step needs.
func (h *halfYear) noticeStep(ctx context.Context, id int64, unit string, s xiezuo.NoticeStep, at time.Time) error {
	office := h.actor(ctx, OfficeUnit)
	var err error
	switch s {
	case xiezuo.NoticeSigned:
		_, err = h.db.SignNotice(h.actor(ctx, unit), id, unit+"值班人员", at)
	case xiezuo.NoticeAnswered:
		_, err = h.db.AnswerNotice(h.actor(ctx, unit), id, "已召开专题会研究，制定整改措施，本月底前完成并报送佐证材料。", at)
	case xiezuo.NoticeReturned:
		_, err = h.db.ReturnNotice(office, id, "反馈内容不具体，请补充完成时间和责任人。", at)
	case xiezuo.NoticeDone:
		_, err = h.db.FinishNotice(office, id, "反馈属实，予以办结。", at)
	case xiezuo.NoticeClosed:
		_, err = h.db.CloseNotice(office, id, "已完成整改，销号。", at)
	case xiezuo.NoticeEscalated:
		_, err = h.db.EscalateNotice(office, id, "专班牵头单位", at)
	}
	return err
}
