package xiezuo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A supervision notice (督办单) is the office pressing one unit on one duty: what to do (督办事项),
// what is asked (办理要求) and by when to answer (反馈时限). Its life is a list of dated steps,
// never overwritten; its state at any moment, and whether it has escalated, are derived from
// them, so every list can be shown as of a past day.

// NoticeStep is what one step of a notice's life records.
type NoticeStep string

// Steps of a notice.
const (
	NoticeIssued    NoticeStep = "issued"    // 下发: the office issues it to the unit
	NoticeSigned    NoticeStep = "signed"    // 签收: the unit acknowledges it
	NoticeAnswered  NoticeStep = "answered"  // 反馈: the unit answers, text required
	NoticeReturned  NoticeStep = "returned"  // 退回补充: the office sends the answer back
	NoticeDone      NoticeStep = "done"      // 办结: the office accepts the answer
	NoticeClosed    NoticeStep = "closed"    // 销号: the office closes it
	NoticeEscalated NoticeStep = "escalated" // 升级: a message about it went to the team lead or the leaders
)

// NoticeSteps lists the steps in the order of a notice's life, as pages and storage check them.
var NoticeSteps = []NoticeStep{NoticeIssued, NoticeSigned, NoticeAnswered, NoticeReturned, NoticeDone, NoticeClosed, NoticeEscalated}

// Verb is the step in words, as timelines show it.
func (s NoticeStep) Verb() string {
	switch s {
	case NoticeIssued:
		return "下发"
	case NoticeSigned:
		return "签收"
	case NoticeAnswered:
		return "反馈"
	case NoticeReturned:
		return "退回补充"
	case NoticeDone:
		return "办结"
	case NoticeClosed:
		return "销号"
	case NoticeEscalated:
		return "升级提醒"
	}
	return string(s)
}

// NoticeState is where a notice stands: the state its latest step (escalation aside) leaves it in.
type NoticeState string

// Notice states, one per step that changes the state.
const (
	NoticeStateIssued   NoticeState = "issued"   // 待签收
	NoticeStateSigned   NoticeState = "signed"   // 办理中: signed, not answered
	NoticeStateAnswered NoticeState = "answered" // 已反馈: waiting for the office
	NoticeStateReturned NoticeState = "returned" // 退回补充: the unit must answer again
	NoticeStateDone     NoticeState = "done"     // 已办结
	NoticeStateClosed   NoticeState = "closed"   // 已销号
)

// NoticeStates lists the states in the order of a notice's life, for filters.
var NoticeStates = []NoticeState{NoticeStateIssued, NoticeStateSigned, NoticeStateAnswered, NoticeStateReturned, NoticeStateDone, NoticeStateClosed}

// Text is the state in words.
func (s NoticeState) Text() string {
	switch s {
	case NoticeStateIssued:
		return "待签收"
	case NoticeStateSigned:
		return "办理中"
	case NoticeStateAnswered:
		return "已反馈"
	case NoticeStateReturned:
		return "退回补充"
	case NoticeStateDone:
		return "已办结"
	case NoticeStateClosed:
		return "已销号"
	}
	return string(s)
}

// Open reports whether the notice still asks something of someone: not done and not closed.
func (s NoticeState) Open() bool { return s != "" && s != NoticeStateDone && s != NoticeStateClosed }

// Unanswered reports whether the unit owes an answer in this state: issued, signed, or
// answered and sent back.
func (s NoticeState) Unanswered() bool {
	return s == NoticeStateIssued || s == NoticeStateSigned || s == NoticeStateReturned
}

// NoticeEvent is one dated step of a notice: who did it and when, and its text (the signer's
// name for 签收, the answer for 反馈, the office's comment for the others; for an escalation,
// to whom it went).
type NoticeEvent struct {
	Step NoticeStep
	Text string
	By   string // username
	Unit string // the actor's unit
	At   time.Time
}

// Notice is a supervision notice with its steps, oldest first.
type Notice struct {
	ID          int64
	District    string
	Year        int
	Number      int // within the district and year: 门督〔2021〕12号
	Duty        DutyKey
	Unit        string // the unit it is issued to (承办单位)
	Subject     string // 督办事项
	Requirement string // 办理要求
	ReplyBy     Date   // 反馈时限: the last day to answer
	Signer      string // 签发人: who signed it for the office
	Steps       []NoticeEvent
}

// Code is the notice's number as the printed 督办单 writes it: the district's first character,
// 督, the year in 〔〕 and the number, e.g. 门督〔2021〕12号.
func (n *Notice) Code() string { return NoticeCode(n.District, n.Year, n.Number) }

// NoticeCode writes a notice's number, e.g. 门督〔2021〕12号.
func NoticeCode(district string, year, number int) string {
	r, _ := utf8.DecodeRuneInString(district)
	prefix := ""
	if r != utf8.RuneError {
		prefix = string(r)
	}
	return fmt.Sprintf("%s督〔%d〕%d号", prefix, year, number)
}

// IssuedAt is when the notice was issued (its first step).
func (n *Notice) IssuedAt() time.Time {
	if len(n.Steps) == 0 {
		return time.Time{}
	}
	return n.Steps[0].At
}

// StateAt is the notice's state at t (see NoticeStateAt).
func (n *Notice) StateAt(t time.Time) (NoticeState, bool) { return NoticeStateAt(n.Steps, t) }

// NoticeStateAt is the state the steps at or before t leave a notice in, steps being in the
// order they were stored; ok is false when the notice was not issued yet at t. Escalation steps
// record messages sent and change no state.
func NoticeStateAt(steps []NoticeEvent, t time.Time) (state NoticeState, ok bool) {
	for _, e := range steps {
		if e.At.After(t) {
			break
		}
		if s, changes := stepState[e.Step]; changes {
			state, ok = s, true
		}
	}
	return state, ok
}

// stepState is the state each step leaves a notice in.
var stepState = map[NoticeStep]NoticeState{
	NoticeIssued: NoticeStateIssued, NoticeSigned: NoticeStateSigned, NoticeAnswered: NoticeStateAnswered,
	NoticeReturned: NoticeStateReturned, NoticeDone: NoticeStateDone, NoticeClosed: NoticeStateClosed,
}

// NextNoticeStep checks that step may follow a notice in state from: 签收 a notice to sign; 反馈
// one signed or sent back (an issued one must be signed first); 退回补充 or 办结 an answer;
// 销号 one done; an escalation while it is unanswered. The error, ECONFLICT, says why in words.
func NextNoticeStep(from NoticeState, step NoticeStep) error {
	allowed := map[NoticeStep][]NoticeState{
		NoticeSigned:    {NoticeStateIssued},
		NoticeAnswered:  {NoticeStateSigned, NoticeStateReturned},
		NoticeReturned:  {NoticeStateAnswered},
		NoticeDone:      {NoticeStateAnswered},
		NoticeClosed:    {NoticeStateDone},
		NoticeEscalated: {NoticeStateIssued, NoticeStateSigned, NoticeStateReturned},
	}[step]
	if slices.Contains(allowed, from) {
		return nil
	}
	switch {
	case step == NoticeIssued:
		return Errorf(ECONFLICT, "督办单已经下发")
	case from == NoticeStateClosed:
		return Errorf(ECONFLICT, "督办单已销号，不能再%s", step.Verb())
	case from == NoticeStateDone && step != NoticeClosed:
		return Errorf(ECONFLICT, "督办单已办结，不能再%s", step.Verb())
	case step == NoticeSigned:
		return Errorf(ECONFLICT, "督办单已签收，不必重复签收")
	case step == NoticeAnswered && from == NoticeStateIssued:
		return Errorf(ECONFLICT, "请先签收督办单，再反馈办理情况")
	case step == NoticeAnswered:
		return Errorf(ECONFLICT, "办理情况已反馈，等待办公室审核；如被退回可再次反馈")
	case step == NoticeClosed:
		return Errorf(ECONFLICT, "督办单须先办结，才能销号（当前：%s）", from.Text())
	case step == NoticeEscalated:
		return Errorf(ECONFLICT, "督办单已反馈，不再升级（当前：%s）", from.Text())
	}
	return Errorf(ECONFLICT, "承办单位尚未反馈办理情况，不能%s（当前：%s）", step.Verb(), from.Text())
}

// NoticeInput is a notice as the office's form or the API sends it, before it is checked.
type NoticeInput struct {
	Duty        string // the duty's id, e.g. task-3
	Unit        string
	Subject     string
	Requirement string
	ReplyBy     string // YYYY-MM-DD
	Signer      string
}

// Lengths of a notice's texts, in characters.
const (
	MaxNoticeSubject     = 200
	MaxNoticeRequirement = 2000
	MaxNoticeAnswer      = 5000
	MaxNoticeSigner      = 50
)

// NoticeReplyGrace is how far past the end of the plan's year a reply deadline may be: one
// month, for the year-end summary and the assessment that follow it. A later date belongs to
// next year's plan.
const NoticeReplyGrace = 1 // month

// NoticeDuty is a duty of a plan as a notice names it: its title and the units that answer for
// it, any of whom a notice may be issued to.
type NoticeDuty struct {
	Key   DutyKey
	Title string
	Units []string // the units that answer for it, leads first
}

// NoticeDuties lists every duty of p a notice can be issued on, work points, then tasks, then
// projects, in document order, with the units answering for each (group names resolved by g;
// collective names such as 各镇街 that g cannot resolve left out).
func NoticeDuties(p *Plan, g Groups) []NoticeDuty {
	var ds []NoticeDuty
	units := func(rs []Responsibility, ref DutyRef) []string {
		var lead, other []string
		for _, r := range rs {
			names := []string{r.Unit}
			switch r.Unit {
			case GroupAllMembers:
				names = g.Members
			case GroupRelatedMembers:
				names = g.Assigned[ref]
			}
			for _, n := range names {
				if slices.Contains(lead, n) || slices.Contains(other, n) || IsGroupName(n) {
					continue // a collective name (各镇街) is no unit to press: the office names one
				}
				if UnitRole(rs, ref, n, g) == DutyLead {
					lead = append(lead, n)
				} else {
					other = append(other, n)
				}
			}
		}
		return append(lead, other...)
	}
	// The titles are PlanDuty's, as every other page names a duty (任务第13项 助推乡村振兴（资金项目）);
	// a project is named as reminders name it.
	for _, d := range PlanDuties(p) {
		switch d.Key.Kind {
		case DutyProject:
			var us []string
			if d.Project.LeadUnit != "" {
				us = []string{d.Project.LeadUnit}
			}
			ds = append(ds, NoticeDuty{d.Key, "项目：" + d.Title, us})
		default:
			ds = append(ds, NoticeDuty{d.Key, d.Title, units(d.Units, d.Ref)})
		}
	}
	return ds
}

// FindNoticeDuty returns the duty of ds named by k.
func FindNoticeDuty(ds []NoticeDuty, k DutyKey) (NoticeDuty, bool) {
	i := slices.IndexFunc(ds, func(d NoticeDuty) bool { return d.Key == k })
	if i < 0 {
		return NoticeDuty{}, false
	}
	return ds[i], true
}

// CheckNotice checks a notice the office is issuing on a duty of p (ds its NoticeDuties) on day
// today and returns it ready to store (District, Year, Duty, Unit, texts, ReplyBy, Signer), or an
// EINVALID error naming each field that is wrong. The unit must answer for the duty; the reply
// deadline may not be in the past nor later than NoticeReplyGrace after the plan's year.
func CheckNotice(in NoticeInput, p *Plan, ds []NoticeDuty, today Date) (Notice, error) {
	n := Notice{District: p.District, Year: p.Year}
	var msgs []string
	k, err := ParseDutyKey(strings.TrimSpace(in.Duty))
	var duty NoticeDuty
	switch {
	case strings.TrimSpace(in.Duty) == "":
		msgs = append(msgs, "请选择督办的事项")
	case err != nil:
		msgs = append(msgs, ErrorMessage(err))
	default:
		var ok bool
		if duty, ok = FindNoticeDuty(ds, k); !ok {
			msgs = append(msgs, fmt.Sprintf("%d年%s的计划中没有事项“%s”", p.Year, p.District, k))
		}
		n.Duty = k
	}
	n.Unit = strings.TrimSpace(in.Unit)
	if c, ok := LookupUnit(n.Unit); ok {
		n.Unit = c.Name
	}
	switch {
	case n.Unit == "":
		msgs = append(msgs, "请选择承办单位")
	case !duty.Key.IsZero() && !slices.Contains(duty.Units, n.Unit):
		msgs = append(msgs, fmt.Sprintf("“%s”不是该事项的责任单位，可选：%s", n.Unit, strings.Join(duty.Units, "、")))
	}
	text := func(label, s string, max int, required bool) string {
		s = strings.TrimSpace(s)
		switch c := utf8.RuneCountInString(s); {
		case c == 0 && required:
			msgs = append(msgs, "请填写"+label)
		case c > max:
			msgs = append(msgs, fmt.Sprintf("%s最多 %d 字，现为 %d 字", label, max, c))
		case HasControl(s):
			msgs = append(msgs, label+"含有不可见的控制字符，请重新输入")
		}
		return s
	}
	n.Subject = text("督办事项", in.Subject, MaxNoticeSubject, true)
	n.Requirement = text("办理要求", in.Requirement, MaxNoticeRequirement, true)
	n.Signer = text("签发人", in.Signer, MaxNoticeSigner, true)
	latest := NewDate(p.Year, 12+NoticeReplyGrace+1, 0) // the last day of the grace month
	switch d, err := ParseDate(strings.TrimSpace(in.ReplyBy)); {
	case strings.TrimSpace(in.ReplyBy) == "":
		msgs = append(msgs, "请填写反馈时限")
	case err != nil:
		msgs = append(msgs, fmt.Sprintf("反馈时限“%s”不是有效日期，应如 2021-09-30", in.ReplyBy))
	case DaysBetween(today, d) < 0:
		msgs = append(msgs, fmt.Sprintf("反馈时限 %s 已过（今天是 %s）", d, today))
	case DaysBetween(latest, d) > 0:
		msgs = append(msgs, fmt.Sprintf("反馈时限 %s 太晚：%d年计划的督办单最晚于 %s 反馈", d, p.Year, latest))
	default:
		n.ReplyBy = d
	}
	if len(msgs) > 0 {
		return Notice{}, Errorf(EINVALID, "%s", strings.Join(msgs, "；"))
	}
	return n, nil
}

// CheckNoticeText checks the text of a step: an answer is required (最多 MaxNoticeAnswer 字); a
// comment of the office or a signer's name may be empty. It returns the text trimmed.
func CheckNoticeText(step NoticeStep, s string) (string, error) {
	s = strings.TrimSpace(s)
	label, max := "意见", MaxNoticeAnswer
	switch step {
	case NoticeAnswered:
		label = "办理情况"
	case NoticeReturned:
		label = "退回意见"
	case NoticeSigned:
		label, max = "签收人", MaxNoticeSigner
	}
	switch c := utf8.RuneCountInString(s); {
	case c == 0 && (step == NoticeAnswered || step == NoticeReturned):
		return "", Errorf(EINVALID, "请填写%s", label)
	case c > max:
		return "", Errorf(EINVALID, "%s最多 %d 字，现为 %d 字", label, max, c)
	case HasControl(s):
		return "", Errorf(EINVALID, "%s含有不可见的控制字符，请重新输入", label)
	}
	return s, nil
}

// EscalationLevel is how far an unanswered notice has gone.
type EscalationLevel int

// Escalation levels.
const (
	EscalationNone    EscalationLevel = iota
	EscalationTeam                    // past its reply deadline: the work team's lead unit presses the unit
	EscalationLeaders                 // still unanswered K days later: listed for the leaders (领导关注)
)

// Text is the level in words.
func (l EscalationLevel) Text() string {
	switch l {
	case EscalationTeam:
		return "已升级至专班牵头单位"
	case EscalationLeaders:
		return "领导关注"
	}
	return ""
}

// EscalationRule says when an unanswered notice escalates: the day after its reply deadline to
// the work team's lead unit, and LeaderDays days after that to the leaders.
type EscalationRule struct {
	LeaderDays int
}

// DefaultLeaderDays is the office's default for EscalationRule.LeaderDays: three days, the
// yellow light's default, so that a unit pressed by its team lead has as long to answer as it
// had warning before a deadline.
const DefaultLeaderDays = 3

// DefaultEscalation is the rule when the office set none.
var DefaultEscalation = EscalationRule{LeaderDays: DefaultLeaderDays}

// MaxLeaderDays bounds EscalationRule.LeaderDays: a month, beyond which a notice unanswered
// would reach the leaders only after its matter was overtaken.
const MaxLeaderDays = 30

// ParseEscalationRule reads the office's K (the days after the team lead is told until a notice
// still unanswered is listed for the leaders): a whole number of days from 0 to MaxLeaderDays.
func ParseEscalationRule(s string) (EscalationRule, error) {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(s)
	switch {
	case s == "":
		return EscalationRule{}, Errorf(EINVALID, "请填写升级至领导关注的天数")
	case err != nil:
		return EscalationRule{}, Errorf(EINVALID, "升级天数“%s”不是整数", s)
	case n < 0 || n > MaxLeaderDays:
		return EscalationRule{}, Errorf(EINVALID, "升级天数 %d 超出范围，应为 0 到 %d 天", n, MaxLeaderDays)
	}
	return EscalationRule{LeaderDays: n}, nil
}

// NoticeEscalation is how far n has escalated at t (dates in Beijing time): none while it is
// answered, done or closed, or its reply deadline has not passed; EscalationTeam from the day
// after the deadline; EscalationLeaders from rule.LeaderDays days after that. It is derived from
// the dates, so it is the same whenever it is asked about a given t; an escalation step is only
// the record of a message sent.
func NoticeEscalation(n *Notice, t time.Time, rule EscalationRule) EscalationLevel {
	s, ok := n.StateAt(t)
	if !ok || !s.Unanswered() || n.ReplyBy.IsZero() {
		return EscalationNone
	}
	late := DaysBetween(n.ReplyBy, DateOf(t.In(beijing)))
	switch {
	case late >= 1+rule.LeaderDays:
		return EscalationLeaders
	case late >= 1:
		return EscalationTeam
	}
	return EscalationNone
}

// beijing is the time zone of the office's calendar days.
var beijing = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// NoticeTeam is the work team a notice on duty escalates to: the team whose lead units lead the
// duty (for a project, the team its lead unit leads). ok is false when no team leads it: the
// office then presses the unit itself.
func NoticeTeam(p *Plan, duty DutyKey, g Groups) (team WorkTeam, ok bool) {
	var rs []Responsibility
	var ref DutyRef
	switch duty.Kind {
	case DutyPoint:
		i := slices.IndexFunc(p.Points, func(wp WorkPoint) bool { return wp.ID == duty.ID })
		if i < 0 {
			return WorkTeam{}, false
		}
		rs, ref = p.Points[i].Units, DutyRef{DutyPoint, p.Points[i].Number}
	case DutyTask:
		i := slices.IndexFunc(p.Tasks, func(t Task) bool { return t.ID == duty.ID })
		if i < 0 {
			return WorkTeam{}, false
		}
		rs, ref = p.Tasks[i].Units, DutyRef{DutyTask, p.Tasks[i].Number}
	case DutyProject:
		i := slices.IndexFunc(p.Projects, func(pr Project) bool { return pr.ID == duty.ID })
		if i < 0 || p.Projects[i].LeadUnit == "" {
			return WorkTeam{}, false
		}
		for _, t := range p.Teams {
			if slices.Contains(t.Leads, p.Projects[i].LeadUnit) {
				return t, true
			}
		}
		return WorkTeam{}, false
	}
	for _, t := range p.Teams {
		for _, l := range t.Leads {
			if UnitRole(rs, ref, l, g) == DutyLead {
				return t, true
			}
		}
	}
	return WorkTeam{}, false
}

// NoticeEscalatesTo is the work team whose lead units press a late notice on duty issued to
// unit: NoticeTeam's team with unit itself taken out of its lead units, since a unit does not
// press itself (门督 to 区科技和信息化局 on a duty of 产业合作专班, which it co-leads, goes to the
// team's other lead units). ok is false when no other lead unit remains, or no team leads the
// duty: the office then presses the unit itself, and the leaders after it.
func NoticeEscalatesTo(p *Plan, duty DutyKey, unit string, g Groups) (team WorkTeam, ok bool) {
	team, ok = NoticeTeam(p, duty, g)
	if !ok {
		return WorkTeam{}, false
	}
	var others []string
	for _, l := range team.Leads {
		if l != unit {
			others = append(others, l)
		}
	}
	if len(others) == 0 {
		return WorkTeam{}, false
	}
	team.Leads = others
	return team, true
}

// NoticeView is a notice as lists show it at a moment: its state, how far it escalated, and the
// work team it escalates to.
type NoticeView struct {
	Notice     *Notice
	State      NoticeState
	Escalation EscalationLevel
	Team       WorkTeam // NoticeEscalatesTo: zero when no other unit leads the duty's team: the office presses the unit itself
}

// EscalationText is how far the notice escalated, in words, naming the office when no work
// team's lead unit (other than the unit itself) presses it.
func (v NoticeView) EscalationText() string {
	if v.Escalation == EscalationTeam && len(v.Team.Leads) == 0 {
		return "已升级至领导小组办公室"
	}
	return v.Escalation.Text()
}

// ViewNotices gives each notice issued at or before t its view at t, in the order given; the team
// is the one it escalates to (NoticeEscalatesTo).
func ViewNotices(p *Plan, g Groups, ns []Notice, t time.Time, rule EscalationRule) []NoticeView {
	var vs []NoticeView
	type dutyUnit struct {
		duty DutyKey
		unit string
	}
	teams := map[dutyUnit]WorkTeam{}
	for i := range ns {
		n := &ns[i]
		s, ok := n.StateAt(t)
		if !ok {
			continue
		}
		team, seen := teams[dutyUnit{n.Duty, n.Unit}]
		if !seen {
			team, _ = NoticeEscalatesTo(p, n.Duty, n.Unit, g)
			teams[dutyUnit{n.Duty, n.Unit}] = team
		}
		vs = append(vs, NoticeView{Notice: n, State: s, Escalation: NoticeEscalation(n, t, rule), Team: team})
	}
	return vs
}

// NoticesToPress lists the notices someone must be told about on day, from views taken at the
// end of that day: the unanswered ones whose reply deadline is that day (the unit, a last
// call) or has passed (escalated: the unit, the team's lead units, and from EscalationLeaders
// the leaders). The daily reminders ask it; an escalation message sent is recorded with
// sqldb's EscalateNotice.
func NoticesToPress(vs []NoticeView, day Date) []NoticeView {
	var out []NoticeView
	for _, v := range vs {
		if v.State.Unanswered() && !v.Notice.ReplyBy.IsZero() && DaysBetween(v.Notice.ReplyBy, day) >= 0 {
			out = append(out, v)
		}
	}
	return out
}

// NoticeReminders turns the notices to press on day (NoticesToPress over views taken at the end
// of day) into the day's reminders: one whose reply deadline is today is a ReminderDue to the
// unit; one escalated to the team (or the office) a ReminderNoticeUnanswered, which also reaches
// the team's lead units (the view's Team, never the unit itself) and the office; one listed for
// the leaders a ReminderNoticeEscalated, which reaches the district's leaders too. Due is the
// reply deadline; the title names the notice and its duty (ds gives the duty's title).
func NoticeReminders(vs []NoticeView, ds []NoticeDuty, day Date) []Reminder {
	var out []Reminder
	for _, v := range NoticesToPress(vs, day) {
		n := v.Notice
		title := "督办单" + n.Code() + "：" + n.Subject
		if d, ok := FindNoticeDuty(ds, n.Duty); ok {
			title += "（" + d.Title + "）"
		}
		late := DaysBetween(n.ReplyBy, day)
		r := Reminder{District: n.District, Unit: n.Unit, Duty: n.Duty, Title: title, Due: n.ReplyBy, Leads: slices.Clone(v.Team.Leads)}
		switch v.Escalation {
		case EscalationLeaders:
			r.Kind = ReminderNoticeEscalated
			r.Text = fmt.Sprintf("反馈时限 %s，已逾期 %d 天未反馈，已列入领导关注，请%s立即反馈办理情况", n.ReplyBy, late, n.Unit)
		case EscalationTeam:
			r.Kind = ReminderNoticeUnanswered
			r.Text = fmt.Sprintf("反馈时限 %s，已逾期 %d 天未反馈，%s，请%s尽快反馈办理情况", n.ReplyBy, late, v.EscalationText(), n.Unit)
		default:
			r.Kind = ReminderDue
			r.Text = fmt.Sprintf("反馈时限为今天（%s），请签收并反馈办理情况", n.ReplyBy)
		}
		out = append(out, r)
	}
	return out
}

// NoticeEscalationTo is whom an escalated notice's reminder went to at its present stage, in
// words, as its escalation step records it (sqldb's EscalateNotice): the team's lead units or the
// office, then the leaders; "" when the view has not escalated.
func NoticeEscalationTo(v NoticeView) string { return escalationTo(v.Escalation, v.Team) }

// leadersTo is what the leaders' stage of an escalation records as its addressee.
const leadersTo = "区领导（领导关注）"

// escalationTo is whom a stage's message goes to: the team's lead units (the office when no
// other unit leads the team), or the leaders.
func escalationTo(l EscalationLevel, team WorkTeam) string {
	switch {
	case l == EscalationLeaders:
		return leadersTo
	case l == EscalationTeam && len(team.Leads) > 0:
		return team.Name + "牵头单位：" + strings.Join(team.Leads, "、")
	case l == EscalationTeam:
		return "领导小组办公室"
	}
	return ""
}

// recordedLevel is the stage an escalation step records: the leaders' by its addressee, the
// team's otherwise (whatever the team was called when it was sent).
func recordedLevel(e NoticeEvent) EscalationLevel {
	if e.Text == leadersTo {
		return EscalationLeaders
	}
	return EscalationTeam
}

// EscalationStage is one stage of a late notice's escalation: the day the rule reaches it, whom
// its message goes to, and when the reminders recorded sending it.
type EscalationStage struct {
	Level EscalationLevel
	Due   Date      // the first day an unanswered notice is at this stage
	To    string    // whom its message goes to (NoticeEscalationTo)
	Sent  time.Time // the date of the step recording the message; zero when none was recorded by then
}

// Action is what the stage does, in words: 升级至专班牵头单位 (升级至领导小组办公室 when no
// other unit leads the team) or 列入领导关注.
func (s EscalationStage) Action() string {
	switch {
	case s.Level == EscalationLeaders:
		return "列入领导关注"
	case s.To == "领导小组办公室":
		return "升级至领导小组办公室"
	}
	return "升级至专班牵头单位"
}

// NoticeEscalationStages lists the stages of v's escalation as the rule plans them — the
// team's lead units (or the office) the day after the reply deadline, the leaders
// rule.LeaderDays days after that — each with when its message was sent, by the steps at or
// before t. Pages show them side by side: what was due, what was sent. None without a reply date.
func NoticeEscalationStages(v NoticeView, rule EscalationRule, t time.Time) []EscalationStage {
	n := v.Notice
	if n == nil || n.ReplyBy.IsZero() {
		return nil
	}
	team := NewDate(n.ReplyBy.Year, n.ReplyBy.Month, n.ReplyBy.Day+1)
	stages := []EscalationStage{
		{Level: EscalationTeam, Due: team, To: escalationTo(EscalationTeam, v.Team)},
		{Level: EscalationLeaders, Due: NewDate(team.Year, team.Month, team.Day+rule.LeaderDays), To: leadersTo},
	}
	for _, e := range n.Steps {
		if e.Step != NoticeEscalated || e.At.After(t) {
			continue
		}
		if st := &stages[recordedLevel(e)-EscalationTeam]; st.Sent.IsZero() {
			st.Sent = e.At
		}
	}
	return stages
}

// NoticeEscalationsToRecord lists, in the order of the stages, whom the reminder of v sends
// messages to that v's steps do not record yet: each stage reached and not recorded. A reminder
// of a notice listed for the leaders reaches the team's lead units (or the office) as well as
// the leaders (NoticeReminders), so a notice first pressed at that stage records both; each
// stage is recorded once.
func NoticeEscalationsToRecord(v NoticeView) []string {
	var recorded [EscalationLeaders + 1]bool
	for _, e := range v.Notice.Steps {
		if e.Step == NoticeEscalated {
			recorded[recordedLevel(e)] = true
		}
	}
	var out []string
	for l := EscalationTeam; l <= v.Escalation; l++ {
		if !recorded[l] {
			out = append(out, escalationTo(l, v.Team))
		}
	}
	return out
}

// OpenNotices counts, per duty, the notices issued at or before t that are not done or closed
// at t: the figure the supervision pages show beside each duty.
func OpenNotices(ns []Notice, t time.Time) map[DutyKey]int {
	open := map[DutyKey]int{}
	for i := range ns {
		if s, ok := ns[i].StateAt(t); ok && s.Open() {
			open[ns[i].Duty]++
		}
	}
	return open
}

// NoticeFilter is what a list of notices is cut by: state, unit, escalation. Empty fields do not
// filter.
type NoticeFilter struct {
	State     NoticeState
	Unit      string
	Escalated EscalationLevel // EscalationTeam: escalated at all; EscalationLeaders: listed for the leaders
}

// ParseNoticeFilter reads a filter as the list page and the API take it: state one of
// NoticeStates, unit a unit's name (an alias is resolved), escalated "team" (escalated at all)
// or "leaders" (listed for the leaders); empty values do not filter. A bad value is an
// EINVALID error that names it.
func ParseNoticeFilter(state, unit, escalated string) (NoticeFilter, error) {
	f := NoticeFilter{State: NoticeState(strings.TrimSpace(state)), Unit: strings.TrimSpace(unit)}
	if c, ok := LookupUnit(f.Unit); ok {
		f.Unit = c.Name
	}
	switch strings.TrimSpace(escalated) {
	case "":
	case "team":
		f.Escalated = EscalationTeam
	case "leaders":
		f.Escalated = EscalationLeaders
	default:
		return NoticeFilter{}, Errorf(EINVALID, "升级筛选“%s”无效，应为 team（已升级）或 leaders（领导关注）", escalated)
	}
	if f.State != "" && !slices.Contains(NoticeStates, f.State) {
		var names []string
		for _, s := range NoticeStates {
			names = append(names, fmt.Sprintf("%s（%s）", s, s.Text()))
		}
		return NoticeFilter{}, Errorf(EINVALID, "状态筛选“%s”无效，应为 %s 之一", state, strings.Join(names, "、"))
	}
	return f, nil
}

// Match reports whether the view passes the filter.
func (f NoticeFilter) Match(v NoticeView) bool {
	return (f.State == "" || v.State == f.State) && (f.Unit == "" || v.Notice.Unit == f.Unit) &&
		v.Escalation >= f.Escalated
}

// CanIssueNotice reports whether u may issue, send back, finish and close notices of district:
// its office.
func (u *User) CanIssueNotice(district string) bool {
	return u.Has(RoleOffice) && u.CanWriteDistrict(district)
}

// CanSignNotice reports whether u may sign for and answer n: a user of the unit it was issued
// to, in its district.
func (u *User) CanSignNotice(n *Notice) bool {
	return u.CanWriteDistrict(n.District) && u.Unit == n.Unit && u.HasAny(RoleUnit, RoleTeamLead, RoleCadre)
}

// CanSeeNotice reports whether u may read the notice of v: the office and the leaders of its
// district, the city office, the unit it is issued to, and the lead units of the work team it
// escalates to (they press the unit once it is late, and answer for the team's duties anyway).
func (u *User) CanSeeNotice(v NoticeView) bool {
	n := v.Notice
	switch {
	case u.Has(RoleCityOffice):
		return true
	case u.District != n.District || !u.ReadsPlans():
		return false
	case u.HasAny(RoleOffice, RoleLeader):
		return true
	case u.CanSignNotice(n):
		return true
	}
	return u.HasAny(RoleTeamLead, RoleUnit) && slices.Contains(v.Team.Leads, u.Unit)
}
