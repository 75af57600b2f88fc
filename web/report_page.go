package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// The duty page (/duties/{id}): a work point, task or project with its reports, their full
// history (every version and review, who and when), the report form for a unit that answers
// for it, the review buttons for whoever the report went to, and 销号 for the office. Its rules
// are the root's: xiezuo.ReportRole, xiezuo.ReportRoute, xiezuo.CheckReport,
// xiezuo.CanReadReport, User.CanReview and User.CanClose.

// dutyPageData is the duty page.
type dutyPageData struct {
	base
	Key      string
	Noun     string // 工作要点, 任务 or 项目
	Duty     xiezuo.PlanDuty
	Units    []dutyUnitView
	Deadline string   // as the plan writes it
	Due      []string // the duty's due dates (to the office), under the office's cadence
	MyDue    string   // a cooperating unit's own due dates, to the lead unit
	Light    lightView
	AsOf     string // the day the page shows the duty as of (?as_of=); "" for today
	Today    string
	Closed   bool
	Closures []closureView
	Reports  []reportView
	Hidden   int    // reports on the duty the user may not read
	MyRole   string // how the user's unit answers for the duty: 牵头, 配合, 各成员单位, or ""
	Form     *reportFormView
	Waiting  string // why there is no form: the unit's last version awaits review
	CanClose bool
	PlanQ    string // the query that chooses the duty's plan on other pages
	// EvidenceHint says what files the form takes (evidence_page.go).
	EvidenceHint string
	// Earlier is the unit's open report of an earlier month, which the form (a new report of
	// this month) does not continue unless asked (?continue=); EarlierText names it.
	Earlier     int64
	EarlierText string
	// Refused is a refusal of a report the page then offers no form for (the duty was closed).
	Refused string
}

type dutyUnitView struct {
	Name string
	Lead bool
}

type closureView struct {
	At, By, Text, Reason string
}

// reportView is one report with its history, oldest first.
type reportView struct {
	ID         int64
	Unit, To   string
	State      string
	StateClass string
	History    []historyView
	Review     int  // the version the user may review now; 0 when none
	NoReturn   bool // the duty is closed: the review offers 通过 only (xiezuo.ClosedReview)
}

// historyView is one dated fact of a report: a version or a review.
type historyView struct {
	At, By, What, Class string
	Text                string
	Percent             string
	Figures             []figureView
	Cites               []int64
	Comment             string
	Version             int            // the version this entry is (0 for a review)
	Files               []evidenceView // the files sent with the version (evidence_page.go)
}

type figureView struct {
	Label, Value, Unit string
}

// reportFormView is the report form: a new report, or a new version of the unit's draft or
// returned report, with what was typed when it comes back with an error.
type reportFormView struct {
	ReportID  int64
	Continues string // 继续修改第n版… for a new version; 新报告（本月） for a new report
	Returned  string // the reviewer's comment when the form continues a returned report
	Text      string
	Percent   string
	Figures   []figureInputView
	To        string // where it goes: 办公室 or the lead unit
	Cites     []citeView
	Error     string
	Keep      []keepView // the files of the version it continues, to send again with it (evidence_page.go)
}

type figureInputView struct {
	Name, Label, Unit, Value, Target string
}

type citeView struct {
	ID      int64
	Unit    string
	Summary string
	Checked bool
}

// stateClasses colour a report's state.
var stateClasses = map[xiezuo.ReportState]string{
	xiezuo.ReportDraft: "muted", xiezuo.ReportSubmitted: "light-yellow", xiezuo.ReportAccepted: "light-green", xiezuo.ReportReturned: "light-red",
}

// dutyPage shows a duty with its reports.
func (s *Server) dutyPage(w http.ResponseWriter, r *http.Request) {
	dc, err := s.loadDuty(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderDuty(w, r, dc, http.StatusOK, nil)
}

// renderDuty renders the duty page; form, when not nil, is the report form as typed (with its
// error) instead of the one the page would offer.
func (s *Server) renderDuty(w http.ResponseWriter, r *http.Request, dc dutyContext, status int, form *reportFormView) {
	u := currentUser(r)
	reps, err := s.db.DutyReports(r.Context(), dc.Key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	closures, err := s.db.PlanClosures(r.Context(), dc.District, dc.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cadence, err := s.db.Cadence(r.Context(), dc.District)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// As of a past day the page shows the facts dated by then, and no form: the past is read.
	// A day after today is refused as on the other lists (s.asOf): they show facts, not forecasts.
	asOf, day, err := s.asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	past := day != ""
	if past {
		reps = reportsAsOf(reps, asOf)
	}
	d := dutyPageData{base: s.baseFor(r, navOf(dc.Key.Kind)), Key: dc.Key.String(), Noun: dc.Key.Kind.Noun(), Duty: dc.Duty,
		Deadline: dc.Duty.Deadline.Text, MyRole: dc.Role.String(), CanClose: u.CanClose(dc.District) && !past,
		Today: xiezuo.DayOf(s.cfg.Now()).String(),
		PlanQ: "?" + url.Values{"year": {strconv.Itoa(dc.Year)}, "district": {dc.District}}.Encode()}
	if past {
		d.AsOf = day
	}
	d.Title = dc.Duty.Title
	// The page answers a refused POST at /duties/{id}/reports too: the district and year
	// switcher and the script's address (history.replaceState) are the duty page's own.
	d.Path = "/duties/" + dc.Key.String()
	for _, res := range dc.Duty.Units {
		d.Units = append(d.Units, dutyUnitView{res.Unit, res.Role == xiezuo.RoleLead})
	}
	schedule := xiezuo.NewSchedule(dc.Plan, cadence)
	due := xiezuo.DutyDue(dc.Duty, schedule, "")
	for _, dt := range due {
		d.Due = append(d.Due, dt.String())
	}
	if to := xiezuo.ReportRoute(dc.Role, dc.Duty.Leads(dc.Groups)); to != "" {
		var mine []string
		for _, dt := range xiezuo.DutyDue(dc.Duty, schedule, to) {
			mine = append(mine, dt.String())
		}
		d.MyDue = "本单位作为配合单位，应于 " + strings.Join(mine, "、") + " 前向" + to + "报送"
	}
	var mine []xiezuo.Closure
	for _, c := range closures {
		if c.Duty == dc.Key && !c.At.After(asOf) {
			mine = append(mine, c)
			text := "销号"
			if !c.Closed {
				text = "重新打开"
			}
			d.Closures = append(d.Closures, closureView{fmtTime(c.At), c.By, text, c.Reason})
		}
	}
	d.Closed = xiezuo.ClosedAt(mine, asOf)
	var toOffice []xiezuo.Report
	for _, rep := range reps {
		if rep.ToUnit == "" {
			toOffice = append(toOffice, rep)
		}
	}
	st := xiezuo.DutyLight(xiezuo.Track{Due: due, Reports: toOffice, Closures: mine}, asOf, cadence.WarnDays)
	d.Light = lightView{dutyLightClasses[st.Light.Color], st.Text()}
	var last *xiezuo.Report  // the user's unit's latest report on the duty
	var seen []xiezuo.Report // the reports as the user sees them
	for i := range reps {
		vis, ok := xiezuo.VisibleReport(u, dc.Plan, dc.Groups, &reps[i])
		if !ok {
			d.Hidden++
			continue
		}
		rep := &vis
		seen = append(seen, vis)
		rv := s.reportViewOf(rep, dc, u, past)
		rv.NoReturn = d.Closed // a closed duty's report is accepted or waits for the reopening (xiezuo.ClosedReview)
		d.Reports = append(d.Reports, rv)
		if xiezuo.OwnReport(dc.Plan, u, rep) && dc.Role != xiezuo.DutyNone {
			last = rep
		}
	}
	// One report per unit, duty and month (xiezuo.NewReportRefusal): the form continues this
	// month's open report; a report of an earlier month that is open may be continued on
	// request (?continue=), and the form otherwise begins this month's.
	var open *xiezuo.Report // the report the form continues; nil for a new one
	if last != nil {
		state, v, _ := last.StateAt(latest)
		newAllowed := xiezuo.NewReportRefusal(last.ID, last.Versions[0].At, state, s.cfg.Now()) == nil
		switch {
		case state == xiezuo.ReportSubmitted && !newAllowed:
			d.Waiting = "本单位的报告第" + strconv.Itoa(v) + "版已报送，等待审核；审核后可以继续报送。"
		case state == xiezuo.ReportDraft || state == xiezuo.ReportReturned:
			if !newAllowed || r.URL.Query().Get("continue") == strconv.FormatInt(last.ID, 10) {
				open = last
			} else {
				d.Earlier = last.ID
				d.EarlierText = "本单位上月的报告 " + strconv.FormatInt(last.ID, 10) + "（" + state.Text() + "）"
			}
		}
	}
	if past {
		d.Waiting = ""
	}
	if err := s.nameWriters(r, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.dutyEvidence(r, dc, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	if dc.Role != xiezuo.DutyNone && !d.Closed && !past && (d.Waiting == "" || form != nil) {
		if form == nil {
			form = s.newReportForm(dc, open)
			if err := s.keepOptions(r, form, dc, open); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if form.ReportID != 0 && form.Returned == "" {
			for i := range seen {
				if seen[i].ID == form.ReportID && xiezuo.OwnReport(dc.Plan, u, &seen[i]) {
					form.Returned = returnComment(&seen[i])
				}
			}
		}
		d.Form = form
		d.Form.Cites = citeOptions(seen, dc, u, d.Form.Cites)
		d.Waiting = ""
	} else if form != nil && form.Error != "" {
		d.Refused = form.Error // refused where the page offers no form (a closed duty): said all the same
	}
	s.render(w, r, status, "duty", d)
}

// nameWriters shows the writers of the page's facts by name and unit (R14): the facts keep
// sign-in names, looked up here in one query for the page.
func (s *Server) nameWriters(r *http.Request, d *dutyPageData) error {
	var names []string
	for _, rv := range d.Reports {
		for _, h := range rv.History {
			names = append(names, h.By)
		}
	}
	for _, c := range d.Closures {
		names = append(names, c.By)
	}
	labels, err := s.db.Writers(r.Context(), names)
	if err != nil {
		return err
	}
	for i := range d.Reports {
		for j := range d.Reports[i].History {
			if l, ok := labels[d.Reports[i].History[j].By]; ok {
				d.Reports[i].History[j].By = l
			}
		}
	}
	for i := range d.Closures {
		if l, ok := labels[d.Closures[i].By]; ok {
			d.Closures[i].By = l
		}
	}
	return nil
}

// reportsAsOf is what was known of reps at t: the versions and reviews dated by then, and
// only the reports that existed.
func reportsAsOf(reps []xiezuo.Report, t time.Time) []xiezuo.Report {
	var out []xiezuo.Report
	for _, rep := range reps {
		var vs []xiezuo.ReportVersion
		for _, v := range rep.Versions {
			if !v.At.After(t) {
				vs = append(vs, v)
			}
		}
		if len(vs) == 0 {
			continue
		}
		var rvs []xiezuo.Review
		for _, rv := range rep.Reviews {
			if !rv.At.After(t) {
				rvs = append(rvs, rv)
			}
		}
		rep.Versions, rep.Reviews = vs, rvs
		out = append(out, rep)
	}
	return out
}

// navOf is the menu entry a duty's page belongs to.
func navOf(k xiezuo.DutyKind) string {
	switch k {
	case xiezuo.DutyTask:
		return "tasks"
	case xiezuo.DutyProject:
		return "projects"
	}
	return "plan"
}

// reportViewOf is a report's history as the page shows it.
// As of a past day (past) it offers no review: the past is read, not acted on. Nobody is offered
// the review of a version it wrote (xiezuo.SelfReview).
func (s *Server) reportViewOf(rep *xiezuo.Report, dc dutyContext, u *xiezuo.User, past bool) reportView {
	state, v, _ := rep.StateAt(latest)
	rv := reportView{ID: rep.ID, Unit: rep.Unit, To: rep.ToUnit, State: state.Text(), StateClass: stateClasses[state]}
	if rv.To == "" {
		rv.To = "办公室"
	}
	if state == xiezuo.ReportSubmitted && u.CanReview(dc.District, rep.ToUnit) && !past &&
		xiezuo.SelfReview(rep.Versions[len(rep.Versions)-1].By, u.Username) == nil {
		rv.Review = v
	}
	reviews := rep.Reviews
	for _, ver := range rep.Versions {
		h := historyView{At: fmtTime(ver.At), By: ver.By, Text: ver.Values.Text, Cites: ver.Cites, Class: stateClasses[ver.State], Version: ver.Version}
		h.What = "第" + strconv.Itoa(ver.Version) + "版 " + map[xiezuo.ReportState]string{xiezuo.ReportDraft: "保存草稿", xiezuo.ReportSubmitted: "报送"}[ver.State]
		if ver.Values.Percent != nil {
			h.Percent = strconv.Itoa(*ver.Values.Percent) + "%"
		}
		for _, f := range ver.Values.Figures {
			fv := figureView{Label: f.Key, Value: strconv.FormatInt(f.Value, 10)}
			for _, spec := range dc.Duty.Figures {
				if spec.Key == f.Key {
					fv = figureView{spec.Label, xiezuo.FormatFigure(spec, f.Value), spec.Unit}
				}
			}
			h.Figures = append(h.Figures, fv)
		}
		rv.History = append(rv.History, h)
		for len(reviews) > 0 && reviews[0].Version == ver.Version {
			rw := reviews[0]
			reviews = reviews[1:]
			what, class := "审核通过", "light-green"
			if rw.Decision == xiezuo.DecisionReturn {
				what, class = "退回", "light-red"
			}
			rv.History = append(rv.History, historyView{At: fmtTime(rw.At), By: rw.By, What: "第" + strconv.Itoa(rw.Version) + "版 " + what, Class: class, Comment: rw.Comment})
		}
	}
	return rv
}

// newReportForm is the form a unit fills: a new version of open (its draft or returned
// report, prefilled with its latest version) or a new report.
func (s *Server) newReportForm(dc dutyContext, open *xiezuo.Report) *reportFormView {
	f := &reportFormView{To: "办公室"}
	if to := xiezuo.ReportRoute(dc.Role, dc.Duty.Leads(dc.Groups)); to != "" {
		f.To = to
	}
	values := map[string]string{}
	if open != nil {
		last := open.Versions[len(open.Versions)-1]
		state, _, _ := open.StateAt(latest)
		f.ReportID = open.ID
		f.Continues = "继续修改第" + strconv.Itoa(last.Version) + "版（" + state.Text() + "），保存为第" + strconv.Itoa(last.Version+1) + "版（报告 " + strconv.FormatInt(open.ID, 10) + "）"
		f.Returned = returnComment(open)
		f.Text = last.Values.Text
		if last.Values.Percent != nil {
			f.Percent = strconv.Itoa(*last.Values.Percent)
		}
		for _, fig := range last.Values.Figures {
			for _, spec := range dc.Duty.Figures {
				if spec.Key == fig.Key {
					values[fig.Key] = xiezuo.FormatFigure(spec, fig.Value)
				}
			}
		}
		for _, c := range last.Cites {
			f.Cites = append(f.Cites, citeView{ID: c, Checked: true})
		}
	}
	if open == nil {
		f.Continues = "新报告（本月）"
	}
	f.Figures = figureInputs(dc.Duty.Figures, values)
	return f
}

// returnComment is the reviewer's comment on rep's latest version when it was returned.
func returnComment(rep *xiezuo.Report) string {
	if state, v, _ := rep.StateAt(latest); state == xiezuo.ReportReturned {
		for _, rv := range rep.Reviews {
			if rv.Version == v && rv.Decision == xiezuo.DecisionReturn {
				return rv.Comment
			}
		}
	}
	return ""
}

// figureInputs are the form's inputs of specs with the values typed.
func figureInputs(specs []xiezuo.FigureSpec, values map[string]string) []figureInputView {
	var out []figureInputView
	for _, spec := range specs {
		in := figureInputView{Name: "fig." + spec.Key, Label: spec.Label, Unit: spec.Unit, Value: values[spec.Key]}
		if spec.Target.Valid {
			in.Target = xiezuo.FormatFigure(spec, spec.Target.V)
		}
		out = append(out, in)
	}
	return out
}

// citeOptions lists the reports a lead unit's report may gather: those on the duty sent to the
// user's unit and not drafts, checked when checked lists them.
func citeOptions(reps []xiezuo.Report, dc dutyContext, u *xiezuo.User, checked []citeView) []citeView {
	var out []citeView
	for _, rep := range reps {
		if rep.ToUnit == "" || rep.ToUnit != u.Unit {
			continue
		}
		state, v, _ := rep.StateAt(latest)
		if state == xiezuo.ReportDraft {
			continue
		}
		text := rep.Versions[v-1].Values.Text
		if rs := []rune(text); len(rs) > 40 {
			text = string(rs[:40]) + "…"
		}
		c := citeView{ID: rep.ID, Unit: rep.Unit, Summary: "第" + strconv.Itoa(v) + "版（" + state.Text() + "）" + text}
		for _, ch := range checked {
			if ch.ID == rep.ID && ch.Checked {
				c.Checked = true
			}
		}
		out = append(out, c)
	}
	return out
}

// dutyURL is the duty page's path, with a message when msg is set.
func (s *Server) dutyURL(key xiezuo.DutyKey, msg, kind string) string {
	p := "/duties/" + key.String()
	if msg != "" {
		p += "?" + s.flash(nil, msg, kind)
	}
	return p
}

// dutyReportSave stores a version of a report from the form: 保存草稿 or 报送. Bad input shows
// the page again with the message and what was typed, and stores nothing.
func (s *Server) dutyReportSave(w http.ResponseWriter, r *http.Request) {
	dc, err := s.loadDuty(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if dc.Role == xiezuo.DutyNone {
		s.fail(w, r, s.notOurs(r, dc))
		return
	}
	u := currentUser(r)
	state := xiezuo.ReportSubmitted
	if r.FormValue("action") == "draft" {
		state = xiezuo.ReportDraft
	}
	in := xiezuo.ReportInput{Text: r.FormValue("text"), Percent: r.FormValue("percent"), Figures: map[string]string{}}
	typed := map[string]string{}
	for _, spec := range dc.Duty.Figures {
		v := r.FormValue("fig." + spec.Key)
		in.Figures[spec.Key], typed[spec.Key] = v, v
	}
	form := &reportFormView{Text: in.Text, Percent: in.Percent, Figures: figureInputs(dc.Duty.Figures, typed), To: "办公室", Continues: "新报告（本月）"}
	if to := xiezuo.ReportRoute(dc.Role, dc.Duty.Leads(dc.Groups)); to != "" {
		form.To = to
	}
	var cites []int64
	for _, c := range r.Form["cite"] {
		if id, err := strconv.ParseInt(c, 10, 64); err == nil {
			cites = append(cites, id)
			form.Cites = append(form.Cites, citeView{ID: id, Checked: true})
		}
	}
	if id := r.FormValue("report_id"); id != "" {
		n, perr := strconv.ParseInt(id, 10, 64)
		if perr != nil || n <= 0 {
			s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "报告编号“%s”无效", id))
			return
		}
		form.ReportID = n
		form.Continues = "继续修改：报告 " + id
	}
	kept, err := s.keptEvidence(r, dc, form)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vals, err := xiezuo.CheckReport(in, dc.Duty.Figures)
	var files []xiezuo.Evidence
	if err == nil {
		files, err = s.keepEvidence(r, kept)
		files = append(kept, files...)
	}
	if err == nil {
		_, _, err = s.db.SubmitReportOnce(r.Context(), sqldb.ReportWrite{Duty: dc.Key, Unit: u.Unit, ToUnit: xiezuo.ReportRoute(dc.Role, dc.Duty.Leads(dc.Groups)),
			ReportID: form.ReportID, Writer: writerOf(u, dc.Key), State: state, Values: vals, Cites: cites, Evidence: files,
			District: dc.District, Year: dc.Year}, sqldb.Idem{})
	}
	switch code := xiezuo.ErrorCode(err); {
	case err == nil:
	case code == xiezuo.EINVALID || code == xiezuo.ECONFLICT || code == xiezuo.ETOOLARGE:
		form.Error = xiezuo.ErrorMessage(err)
		if hasEvidence(r) {
			form.Error += "（未保存任何内容，请重新选择文件）"
		}
		status := http.StatusUnprocessableEntity
		switch code {
		case xiezuo.ECONFLICT:
			status = http.StatusConflict
		case xiezuo.ETOOLARGE:
			status = http.StatusRequestEntityTooLarge
		}
		s.renderDuty(w, r, dc, status, form)
		return
	default:
		s.fail(w, r, err)
		return
	}
	msg := "已报送给" + form.To + "，等待审核"
	if state == xiezuo.ReportDraft {
		msg = "草稿已保存，尚未报送"
	}
	http.Redirect(w, r, s.dutyURL(dc.Key, msg, "ok"), http.StatusSeeOther)
}

// reportReview records a decision from the page: the office on what is sent to it, a lead unit
// on what its cooperating units send it.
func (s *Server) reportReview(w http.ResponseWriter, r *http.Request) {
	rep, dc, err := s.readableReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !currentUser(r).CanReview(dc.District, rep.ToUnit) {
		s.fail(w, r, reviewRefusal(rep))
		return
	}
	version, err := strconv.Atoi(r.FormValue("version"))
	if err != nil {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "缺少要审核的版本"))
		return
	}
	d := xiezuo.Decision(r.FormValue("decision"))
	_, err = s.db.ReviewReport(r.Context(), rep.ID, version, d, r.FormValue("comment"))
	switch code := xiezuo.ErrorCode(err); {
	case err == nil:
	case code == xiezuo.EINVALID || code == xiezuo.ECONFLICT:
		http.Redirect(w, r, s.dutyURL(dc.Key, xiezuo.ErrorMessage(err), "error")+"#report-"+strconv.FormatInt(rep.ID, 10), http.StatusSeeOther)
		return
	default:
		s.fail(w, r, err)
		return
	}
	msg := rep.Unit + "的报告已通过"
	if d == xiezuo.DecisionReturn {
		msg = rep.Unit + "的报告已退回，意见已告知该单位"
	}
	http.Redirect(w, r, s.dutyURL(dc.Key, msg, "ok")+"#report-"+strconv.FormatInt(rep.ID, 10), http.StatusSeeOther)
}

// dutyClose closes a duty (销号) or reopens it with a reason: the office of its district.
func (s *Server) dutyClose(w http.ResponseWriter, r *http.Request) {
	dc, err := s.loadDuty(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !currentUser(r).CanClose(dc.District) {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EFORBIDDEN, "只有本区办公室可以销号"))
		return
	}
	closed := r.FormValue("closed") != "0"
	err = s.db.CloseDuty(r.Context(), dc.Key, closed, r.FormValue("reason"))
	switch code := xiezuo.ErrorCode(err); {
	case err == nil:
	case code == xiezuo.EINVALID || code == xiezuo.ECONFLICT:
		http.Redirect(w, r, s.dutyURL(dc.Key, xiezuo.ErrorMessage(err), "error"), http.StatusSeeOther)
		return
	default:
		s.fail(w, r, err)
		return
	}
	msg := "已销号"
	if !closed {
		msg = "已重新打开，理由已记录"
	}
	http.Redirect(w, r, s.dutyURL(dc.Key, strings.TrimSpace(dc.Duty.Title)+msg, "ok"), http.StatusSeeOther)
}
