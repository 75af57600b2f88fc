package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"xiezuo"
	"xiezuo/sqldb"
)

// Supervision notices (督办单): the office issues one on a duty to a unit, the unit signs for it
// and answers, the office finishes and closes it. The rules are at the root (notice.go); these
// handlers decode, ask them and the storage, and fill the pages.

// noticeRule is district's escalation rule, as its office set it (one indexed read).
func (s *Server) noticeRule(ctx context.Context, district string) (xiezuo.EscalationRule, error) {
	return s.db.NoticeRule(ctx, district)
}

// asOf reads ?as_of=YYYY-MM-DD as the end of that day in Beijing, or now without it. A date
// after today is refused: the lists show facts, not forecasts.
func (s *Server) asOf(r *http.Request) (t time.Time, day string, err error) {
	now := s.cfg.Now()
	v := strings.TrimSpace(r.URL.Query().Get("as_of"))
	if v == "" {
		return now, "", nil
	}
	d, perr := xiezuo.ParseDate(v)
	if perr != nil {
		return time.Time{}, "", xiezuo.Errorf(xiezuo.EINVALID, "查看日期“%s”不是有效日期，应如 2021-08-31", v)
	}
	end := time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 999_999_000, shanghai)
	if xiezuo.DaysBetween(xiezuo.DateOf(now.In(shanghai)), d) > 0 {
		return time.Time{}, "", xiezuo.Errorf(xiezuo.EINVALID, "查看日期 %s 晚于今天（%s）", d, xiezuo.DateOf(now.In(shanghai)))
	}
	return end, d.String(), nil
}

// noticeRow is a notice as lists show it.
type noticeRow struct {
	ID         int64
	Code       string
	Duty       string
	DutyID     string
	Unit       string
	Subject    string
	ReplyBy    string
	IssuedAt   string
	State      string
	StateText  string
	Escalation string
	EscClass   string
	Team       string
	CanSign    bool
	CanAnswer  bool
}

// noticeRowOf fills a row from a view at t for u.
func noticeRowOf(v xiezuo.NoticeView, ds []xiezuo.NoticeDuty, u *xiezuo.User) noticeRow {
	n := v.Notice
	row := noticeRow{ID: n.ID, Code: n.Code(), DutyID: n.Duty.String(), Unit: n.Unit, Subject: n.Subject,
		ReplyBy: n.ReplyBy.String(), IssuedAt: fmtTime(n.IssuedAt()), State: string(v.State), StateText: v.State.Text(),
		Escalation: v.EscalationText(), Team: v.Team.Name}
	if d, ok := xiezuo.FindNoticeDuty(ds, n.Duty); ok {
		row.Duty = d.Title
	} else {
		row.Duty = n.Duty.String()
	}
	switch v.Escalation {
	case xiezuo.EscalationLeaders:
		row.EscClass = "light-red"
	case xiezuo.EscalationTeam:
		row.EscClass = "light-yellow"
	}
	if u.CanSignNotice(n) {
		row.CanSign = v.State == xiezuo.NoticeStateIssued
		row.CanAnswer = v.State == xiezuo.NoticeStateSigned || v.State == xiezuo.NoticeStateReturned
	}
	return row
}

// noticeCount is one choice of a filter with how many notices it holds.
type noticeCount struct {
	Value, Text string
	Count       int
}

// noticesData is the list of notices: the office's (all, with filters and counts), a unit's (its
// own, with 签收 and 反馈), a team lead's (its team's), a leader's (领导关注 first).
type noticesData struct {
	planData
	AsOf       string // the date asked for, "" for now
	Today      string
	State      string
	UnitF      string
	Escalated  string
	States     []noticeCount
	Units      []string
	Rows       []noticeRow
	Leaders    []noticeRow // listed for the leaders (领导关注)
	Total      int         // notices the user may see
	Open       int
	Late       int // escalated at all
	CanIssue   bool
	IsLeader   bool
	IsOffice   bool
	IsCity     bool // the city office: reads the chosen district's notices, none of its own
	Team       bool // some notices shown are on the duties of a team the user's unit leads
	LeaderDays int  // the district's K: days from the team lead's turn to the leaders'
}

// noticeTableData is a table of notices and the page it is on (for its plan's query and CSRF).
type noticeTableData struct {
	Rows []noticeRow
	Page *noticesData
}

// Table is rows as the page's table template takes them.
func (d *noticesData) Table(rows []noticeRow) noticeTableData { return noticeTableData{rows, d} }

// visibleNotices loads the notices of the chosen plan and their views at t that u may see.
func (s *Server) visibleNotices(r *http.Request, pd *planData, t time.Time) ([]xiezuo.NoticeView, []xiezuo.NoticeDuty, error) {
	g, err := s.groups(r, pd)
	if err != nil {
		return nil, nil, err
	}
	ns, err := s.db.PlanNotices(r.Context(), pd.District, pd.Year)
	if err != nil {
		return nil, nil, err
	}
	rule, err := s.noticeRule(r.Context(), pd.District)
	if err != nil {
		return nil, nil, err
	}
	var vs []xiezuo.NoticeView
	for _, v := range xiezuo.ViewNotices(pd.Plan, g, ns, t, rule) {
		if pd.User.CanSeeNotice(v) {
			vs = append(vs, v)
		}
	}
	return vs, xiezuo.NoticeDuties(pd.Plan, g), nil
}

// noticesPage lists the notices the user may see, as of ?as_of=, cut by ?state=, ?unit= and
// ?escalated= (team or leaders).
func (s *Server) noticesPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "notices", "督办单")
	if pd == nil {
		return
	}
	t, day, err := s.asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := noticesData{planData: *pd, AsOf: day, Today: xiezuo.DateOf(s.today()).String(), State: q.Get("state"), UnitF: q.Get("unit"),
		Escalated: q.Get("escalated"), CanIssue: pd.User.CanIssueNotice(pd.District), IsLeader: pd.User.Has(xiezuo.RoleLeader),
		IsOffice: pd.User.Has(xiezuo.RoleOffice), IsCity: pd.User.Has(xiezuo.RoleCityOffice)}
	f, err := xiezuo.ParseNoticeFilter(d.State, d.UnitF, d.Escalated)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vs, ds, err := s.visibleNotices(r, pd, t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rule, err := s.noticeRule(r.Context(), pd.District)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.LeaderDays = rule.LeaderDays
	counts := map[xiezuo.NoticeState]int{}
	for _, v := range vs {
		counts[v.State]++
		if v.State.Open() {
			d.Open++
		}
		if v.Escalation >= xiezuo.EscalationTeam {
			d.Late++
		}
		if v.Notice.Unit != pd.User.Unit {
			d.Team = true
		}
		if !slices.Contains(d.Units, v.Notice.Unit) {
			d.Units = append(d.Units, v.Notice.Unit)
		}
		row := noticeRowOf(v, ds, pd.User)
		if v.Escalation == xiezuo.EscalationLeaders {
			d.Leaders = append(d.Leaders, row)
		}
		if f.Match(v) {
			d.Rows = append(d.Rows, row)
		}
	}
	slices.Sort(d.Units)
	d.Total = len(vs)
	for _, st := range xiezuo.NoticeStates {
		d.States = append(d.States, noticeCount{string(st), st.Text(), counts[st]})
	}
	if day != "" {
		d.Title = "督办单（截至 " + day + "）"
	}
	s.render(w, r, http.StatusOK, "notices", &d)
}

// noticeRuleSave sets the district's escalation rule: after how many days a notice escalated to
// the team lead and still unanswered is listed for the leaders.
func (s *Server) noticeRuleSave(w http.ResponseWriter, r *http.Request) {
	district, year, ok := s.writeTarget(w, r, sqldb.AuditSettingSet, "setting")
	if !ok {
		return
	}
	rule, err := xiezuo.ParseEscalationRule(r.FormValue("leader_days"))
	if err == nil {
		err = s.db.SetNoticeRule(r.Context(), district, rule)
	}
	q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}}
	if xiezuo.ErrorCode(err) == xiezuo.EINVALID {
		http.Redirect(w, r, "/notices?"+s.flash(q, xiezuo.ErrorMessage(err), "error"), http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notices?"+s.flash(q, "升级规则已保存：逾期次日升级至专班牵头单位，再过 "+strconv.Itoa(rule.LeaderDays)+" 天仍未反馈的列入领导关注", "ok"), http.StatusSeeOther)
}

// noticeNewData is the office's form that issues a notice.
type noticeNewData struct {
	planData
	Duties  []xiezuo.NoticeDuty
	Duty    *xiezuo.NoticeDuty // the duty chosen, nil before
	In      xiezuo.NoticeInput
	Error   string
	Today   string
	Latest  string
	OpenNow int // notices already open on the duty
	// LeaderDays is the district's K, which the form states.
	LeaderDays int
}

// noticeNewPage shows the form: first the duty (?duty=task-3, as the supervision list and the
// duty page link it), then the unit, the texts and the reply deadline.
func (s *Server) noticeNewPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "notices", "下发督办单")
	if pd == nil {
		return
	}
	today := xiezuo.DateOf(s.today())
	in := xiezuo.NoticeInput{Duty: r.URL.Query().Get("duty"), Signer: pd.User.Name,
		ReplyBy: xiezuo.NewDate(today.Year, today.Month, today.Day+7).String()}
	s.renderNoticeForm(w, r, pd, http.StatusOK, in, "")
}

func (s *Server) renderNoticeForm(w http.ResponseWriter, r *http.Request, pd *planData, status int, in xiezuo.NoticeInput, msg string) {
	if !pd.User.CanIssueNotice(pd.District) {
		s.errorPage(w, r, http.StatusForbidden, pd.User.DistrictRefusal(pd.District, "督办单"))
		return
	}
	g, err := s.groups(r, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rule, err := s.noticeRule(r.Context(), pd.District)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := xiezuo.DateOf(s.today())
	d := noticeNewData{planData: *pd, LeaderDays: rule.LeaderDays, Duties: xiezuo.NoticeDuties(pd.Plan, g), In: in, Error: msg, Today: today.String(),
		Latest: xiezuo.NewDate(pd.Year, 12+xiezuo.NoticeReplyGrace+1, 0).String()}
	if k, err := xiezuo.ParseDutyKey(in.Duty); err == nil {
		if duty, ok := xiezuo.FindNoticeDuty(d.Duties, k); ok {
			d.Duty = &duty
			ns, err := s.db.PlanNotices(r.Context(), pd.District, pd.Year)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			d.OpenNow = xiezuo.OpenNotices(ns, s.cfg.Now())[k]
		} else if msg == "" {
			d.Error = "计划中没有事项“" + in.Duty + "”，请重新选择"
		}
	} else if in.Duty != "" && msg == "" {
		d.Error = xiezuo.ErrorMessage(err)
	}
	s.render(w, r, status, "notice_new", d)
}

// noticeIssue issues a notice: checked by the root's CheckNotice, refused whole with the form
// shown again and every wrong field named.
func (s *Server) noticeIssue(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "notices", "下发督办单")
	if pd == nil {
		return
	}
	if !pd.User.CanIssueNotice(pd.District) {
		s.audit(r.Context(), sqldb.AuditNoticeIssue, "notice", pd.District, pd.District, "failure", "无权下发督办单")
		s.errorPage(w, r, http.StatusForbidden, pd.User.DistrictRefusal(pd.District, "督办单"))
		return
	}
	in := xiezuo.NoticeInput{Duty: r.FormValue("duty"), Unit: r.FormValue("unit"), Subject: r.FormValue("subject"),
		Requirement: r.FormValue("requirement"), ReplyBy: r.FormValue("reply_by"), Signer: r.FormValue("signer")}
	g, err := s.groups(r, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := xiezuo.CheckNotice(in, pd.Plan, xiezuo.NoticeDuties(pd.Plan, g), xiezuo.DateOf(s.today()))
	if err == nil {
		n, err = s.db.IssueNotice(r.Context(), n, s.cfg.Now())
	}
	if xiezuo.ErrorCode(err) == xiezuo.EINVALID || xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
		s.renderNoticeForm(w, r, pd, http.StatusUnprocessableEntity, in, xiezuo.ErrorMessage(err))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.toNotice(w, r, n, "督办单 "+n.Code()+" 已下发给"+n.Unit, "ok")
}

// toNotice redirects to the page of n with a message.
func (s *Server) toNotice(w http.ResponseWriter, r *http.Request, n xiezuo.Notice, msg, kind string) {
	q := url.Values{"year": {strconv.Itoa(n.Year)}, "district": {n.District}}
	http.Redirect(w, r, "/notices/"+strconv.FormatInt(n.ID, 10)+"?"+s.flash(q, msg, kind), http.StatusSeeOther)
}

// noticeData is one notice's page: its fields, its timeline and what the user may do next.
type noticeData struct {
	planData
	N          *xiezuo.Notice
	Row        noticeRow
	AsOf       string
	Timeline   []noticeStepRow
	Answer     string // the latest answer at the date shown
	AnswerAt   string
	SignedBy   string
	SignedAt   string
	IssuedAt   string
	IssuedBy   string
	Office     string // the plan's office: 督办单位
	CanSign    bool
	CanAnswer  bool
	CanReturn  bool
	CanFinish  bool
	CanClose   bool
	UserName   string
	TeamLeads  []string
	LeaderDays int
	Stages     []escalationStageRow // the rule's stages beside what was sent, while unanswered or once any was sent
	// The texts as the printed 督办单 shows them: cut to fit its one page.
	PrintSubject, PrintRequirement, PrintAnswer, PrintSigner, PrintSignedBy string
}

// What the printed 督办单's boxes hold: at 12 pt a line of the form holds about 33 characters
// (30 counted, for punctuation that will not start a line); the 督办事项 box 3 lines, 办理要求 6
// and 办理情况 9 and the date of the answer (notice-print.css gives them that height),
// and a name one line of its narrow cell. Whatever is longer is cut with a note.
const (
	printPerLine     = 30
	printSubject     = 3
	printRequirement = 6
	printAnswer      = 9
	printName        = 10 // characters: the name cells are narrow
)

// clip cuts s to what lines lines of perLine characters hold, its own line breaks counted,
// keeping the last line for a note that says where the rest is.
func clip(s string, lines int) string {
	total := utf8.RuneCountInString(s)
	used := 0
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		n := utf8.RuneCountInString(p)
		need := max(1, (n+printPerLine-1)/printPerLine)
		if used+need <= lines && (i == len(parts)-1 || used+need < lines) {
			used += need
			continue
		}
		room := max(0, lines-1-used) * printPerLine
		cut := []rune(p)[:min(n, room)]
		head := strings.Join(append(parts[:i:i], string(cut)), "\n")
		return strings.TrimRight(head, "\n") + "……（全文共 " + strconv.Itoa(total) + " 字，见系统中的督办单）"
	}
	return s
}

// clipName cuts a name to what the narrow 签发人 and 签收人 cells hold on one line.
func clipName(s string) string {
	r := []rune(s)
	if len(r) <= printName {
		return s
	}
	return string(r[:printName-1]) + "…"
}

// escalationStageRow is one stage of a late notice's escalation (xiezuo.NoticeEscalationStages):
// the day it was due, what it does, to whom, and when its message was sent ("" if not yet).
type escalationStageRow struct {
	Due, Action, To, Sent string
}

// noticeStepRow is one step of the timeline.
type noticeStepRow struct {
	Verb, Text, By, Unit, At string
}

// loadNoticeView reads notice id and its view at t, refusing (403) a user who may not see it.
func (s *Server) loadNoticeView(w http.ResponseWriter, r *http.Request, t time.Time) (*noticeData, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "督办单编号“%s”无效", r.PathValue("id")))
		return nil, false
	}
	n, err := s.db.Notice(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	u := currentUser(r)
	if !u.CanReadDistrict(n.District) {
		s.errorPage(w, r, http.StatusForbidden, "只能查看本区（"+u.District+"）的督办单")
		return nil, false
	}
	p, _, err := s.plans.getVersion(r.Context(), n.District, n.Year)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	f, err := s.facts.get(r.Context(), s.db, n.District, n.Year)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	rule, err := s.noticeRule(r.Context(), n.District)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	vs := xiezuo.ViewNotices(p, f.groups, []xiezuo.Notice{n}, s.cfg.Now(), rule)
	if len(vs) == 0 || !u.CanSeeNotice(vs[0]) {
		s.errorPage(w, r, http.StatusForbidden, "只能查看下发给本单位的督办单")
		return nil, false
	}
	d := &noticeData{planData: planData{base: s.baseFor(r, "notices"), Plan: p}, N: &n, UserName: u.Name, Office: p.Office}
	d.District, d.Year = n.District, n.Year
	if d.Office == "" {
		d.Office = n.District + "扶贫协作和支援合作工作领导小组办公室"
	}
	v := xiezuo.ViewNotices(p, f.groups, []xiezuo.Notice{n}, t, rule)
	if len(v) == 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "督办单 %s 于 %s 下发，查看日期早于下发", n.Code(), fmtTime(n.IssuedAt())))
		return nil, false
	}
	d.Row = noticeRowOf(v[0], xiezuo.NoticeDuties(p, f.groups), u)
	d.TeamLeads = v[0].Team.Leads
	d.LeaderDays = rule.LeaderDays
	stages := xiezuo.NoticeEscalationStages(v[0], rule, t)
	show := v[0].State.Unanswered()
	for _, st := range stages {
		show = show || !st.Sent.IsZero()
	}
	for _, st := range stages {
		if !show {
			break
		}
		row := escalationStageRow{Due: fmt.Sprintf("%d月%d日", st.Due.Month, st.Due.Day), Action: st.Action(), To: st.To}
		if !st.Sent.IsZero() {
			row.Sent = fmtTime(st.Sent)
		}
		d.Stages = append(d.Stages, row)
	}
	d.Title = "督办单 " + n.Code()
	return d, true
}

// noticePage shows a notice with its timeline (北京时间) and the forms of the next steps, as of
// ?as_of=; ?view=print is the one-page A4 督办单.
func (s *Server) noticePage(w http.ResponseWriter, r *http.Request) {
	t, day, err := s.asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, ok := s.loadNoticeView(w, r, t)
	if !ok {
		return
	}
	d.AsOf = day
	u := d.User
	var names []string
	for _, e := range d.N.Steps {
		names = append(names, e.By)
	}
	who, err := s.lookupPeople(r, names...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, e := range d.N.Steps {
		if e.At.After(t) {
			break
		}
		by := who.label(e.By, e.Unit)
		d.Timeline = append(d.Timeline, noticeStepRow{e.Step.Verb(), e.Text, by, e.Unit, fmtTime(e.At)})
		switch e.Step {
		case xiezuo.NoticeIssued:
			d.IssuedAt, d.IssuedBy = fmtTime(e.At), by
		case xiezuo.NoticeSigned:
			d.SignedBy, d.SignedAt = e.Text, fmtTime(e.At)
			if d.SignedBy == "" {
				d.SignedBy = by
			}
		case xiezuo.NoticeAnswered:
			d.Answer, d.AnswerAt = e.Text, fmtTime(e.At)
		}
	}
	if day == "" { // the forms act now: only on the notice as it stands
		state := xiezuo.NoticeState(d.Row.State)
		d.CanSign, d.CanAnswer = d.Row.CanSign, d.Row.CanAnswer
		office := u.CanIssueNotice(d.N.District)
		d.CanReturn = office && state == xiezuo.NoticeStateAnswered
		d.CanFinish = d.CanReturn
		d.CanClose = office && state == xiezuo.NoticeStateDone
	}
	if r.URL.Query().Get("view") == "print" {
		// The printed form is one page: long texts are cut there, whole on the page itself.
		d.PrintSubject = clip(d.N.Subject, printSubject)
		d.PrintRequirement = clip(d.N.Requirement, printRequirement)
		d.PrintAnswer = clip(d.Answer, printAnswer)
		d.PrintSigner = clipName(d.N.Signer)
		d.PrintSignedBy = clipName(d.SignedBy)
		s.render(w, r, http.StatusOK, "notice_print", d)
		return
	}
	s.render(w, r, http.StatusOK, "notice", d)
}

// noticeAct runs one step on notice id for a user the root's rule allows (may), with the form's
// text; a refused step comes back to the notice with the reason, nothing written.
func (s *Server) noticeAct(w http.ResponseWriter, r *http.Request, step xiezuo.NoticeStep, may func(*xiezuo.User, *xiezuo.Notice) bool,
	do func(id int64, text string) (xiezuo.Notice, error), done string) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "督办单编号“%s”无效", r.PathValue("id")))
		return
	}
	n, err := s.db.Notice(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	if !may(u, &n) {
		s.audit(r.Context(), sqldb.NoticeAuditAction(step), "notice", strconv.FormatInt(n.ID, 10), n.Code(), "failure", "无权"+step.Verb())
		msg := "只有承办单位“" + n.Unit + "”可以" + step.Verb() + "此督办单"
		if step != xiezuo.NoticeSigned && step != xiezuo.NoticeAnswered {
			msg = "只有" + n.District + "领导小组办公室可以" + step.Verb() + "督办单"
		}
		s.errorPage(w, r, http.StatusForbidden, msg)
		return
	}
	text := r.FormValue("text")
	if step == xiezuo.NoticeSigned && strings.TrimSpace(text) == "" {
		text = u.Name
	}
	got, err := do(id, text)
	switch xiezuo.ErrorCode(err) {
	case "":
		s.toNotice(w, r, got, done, "ok")
	case xiezuo.EINVALID, xiezuo.ECONFLICT:
		s.toNotice(w, r, n, xiezuo.ErrorMessage(err), "error")
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) noticeSign(w http.ResponseWriter, r *http.Request) {
	s.noticeAct(w, r, xiezuo.NoticeSigned, (*xiezuo.User).CanSignNotice, func(id int64, text string) (xiezuo.Notice, error) {
		return s.db.SignNotice(r.Context(), id, text, s.cfg.Now())
	}, "已签收")
}

func (s *Server) noticeAnswer(w http.ResponseWriter, r *http.Request) {
	s.noticeAct(w, r, xiezuo.NoticeAnswered, (*xiezuo.User).CanSignNotice, func(id int64, text string) (xiezuo.Notice, error) {
		return s.db.AnswerNotice(r.Context(), id, text, s.cfg.Now())
	}, "办理情况已反馈，等待办公室审核")
}

// officeOf is the rule of the office's steps: the office of the notice's district.
func officeOf(u *xiezuo.User, n *xiezuo.Notice) bool { return u.CanIssueNotice(n.District) }

func (s *Server) noticeReturn(w http.ResponseWriter, r *http.Request) {
	s.noticeAct(w, r, xiezuo.NoticeReturned, officeOf, func(id int64, text string) (xiezuo.Notice, error) {
		return s.db.ReturnNotice(r.Context(), id, text, s.cfg.Now())
	}, "已退回补充")
}

func (s *Server) noticeFinish(w http.ResponseWriter, r *http.Request) {
	s.noticeAct(w, r, xiezuo.NoticeDone, officeOf, func(id int64, text string) (xiezuo.Notice, error) {
		return s.db.FinishNotice(r.Context(), id, text, s.cfg.Now())
	}, "已办结")
}

func (s *Server) noticeClose(w http.ResponseWriter, r *http.Request) {
	s.noticeAct(w, r, xiezuo.NoticeClosed, officeOf, func(id int64, text string) (xiezuo.Notice, error) {
		return s.db.CloseNotice(r.Context(), id, text, s.cfg.Now())
	}, "已销号")
}

// apiNotice is a notice as the API answers it.
type apiNotice struct {
	ID         int64           `json:"id"`
	Code       string          `json:"code"`
	Duty       string          `json:"duty"`
	Unit       string          `json:"unit"`
	Subject    string          `json:"subject"`
	ReplyBy    string          `json:"reply_by"`
	State      string          `json:"state"`
	Escalation string          `json:"escalation"` // none, team or leaders
	Team       string          `json:"team"`
	Steps      []apiNoticeStep `json:"steps"`
}

// apiNoticeStep is one step of a notice as the API answers it.
type apiNoticeStep struct {
	Step string    `json:"step"`
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

var escalationNames = map[xiezuo.EscalationLevel]string{xiezuo.EscalationNone: "none", xiezuo.EscalationTeam: "team", xiezuo.EscalationLeaders: "leaders"}

// apiNotices lists the notices of a plan the caller may see, as of ?as_of=, cut by ?state=,
// ?unit= and ?escalated= (team or leaders) as the list page is.
func (s *Server) apiNotices(w http.ResponseWriter, r *http.Request) {
	p := s.apiPlan(w, r)
	if p == nil {
		return
	}
	t, _, err := s.asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f, err := xiezuo.ParseNoticeFilter(q.Get("state"), q.Get("unit"), q.Get("escalated"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pd := &planData{base: base{User: currentUser(r), District: p.District, Year: p.Year}, Plan: p}
	vs, _, err := s.visibleNotices(r, pd, t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []apiNotice{}
	for _, v := range vs {
		if !f.Match(v) {
			continue
		}
		n := v.Notice
		a := apiNotice{ID: n.ID, Code: n.Code(), Duty: n.Duty.String(), Unit: n.Unit, Subject: n.Subject, ReplyBy: n.ReplyBy.String(),
			State: string(v.State), Escalation: escalationNames[v.Escalation], Team: v.Team.Name, Steps: []apiNoticeStep{}}
		for _, e := range n.Steps {
			if e.At.After(t) {
				break
			}
			a.Steps = append(a.Steps, apiNoticeStep{string(e.Step), e.Text, e.By, e.At})
		}
		out = append(out, a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"notices": out})
}
