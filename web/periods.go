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

// Reporting periods and the freeze (封存): the office's page of the year's periods, where it
// freezes one after its snapshot and unfreezes it with a reason, and decides the units'
// requests for exceptions; a unit's form asking for one on a duty. The rules are the root's
// (freeze.go); storage refuses writes into frozen months (sqldb.checkWritable).

// periodRow is one period of the year as the page shows it.
type periodRow struct {
	Key, Text   string
	Kind        xiezuo.PeriodKind
	Started     bool   // the period has begun: it may be frozen
	Frozen      bool   // frozen itself
	LockedBy    string // frozen through a longer period holding it
	At, By      string
	Note        string
	Reports     int
	Versions    int
	Reviews     int
	SHA         string
	Intact      bool   // the period's data as of the page's date is the snapshot's
	Unfrozen    string // when it was last unfrozen, and why
	CanFreeze   bool
	CanUnfreeze bool
}

// exceptionRow is a unit's request for an exception as the office's list shows it.
type exceptionRow struct {
	ID          int64
	Duty        string
	DutyID      string
	Unit        string
	Period      string
	Report      int64
	Reason      string
	RequestedBy string
	RequestedAt string
	State       xiezuo.ExceptionState
	StateText   string
	Answer      string
	DecidedBy   string
	DecidedAt   string
	Uses        int  // writes made under it
	Own         bool // asked by the user viewing: someone else decides it (xiezuo.CheckExceptionDecider)
}

// periodsData is the office's page of periods and exceptions.
type periodsData struct {
	planData
	AsOf       string
	Today      string
	Periods    []periodRow
	Exceptions []exceptionRow
	Pending    int
	CanEdit    bool
}

// exceptionRowOf is x as lists show it at t.
func exceptionRowOf(x xiezuo.FreezeException, t time.Time) exceptionRow {
	st := x.StateAt(t)
	row := exceptionRow{ID: x.ID, Duty: x.DutyTitle, DutyID: x.Duty.String(), Unit: x.Unit, Period: x.PeriodLabel,
		Report: x.ReportID, Reason: x.Reason, RequestedBy: x.RequestedBy, RequestedAt: fmtTime(x.RequestedAt),
		State: st, StateText: st.Text()}
	if x.Decided && !x.DecidedAt.After(t) {
		row.Answer, row.DecidedBy, row.DecidedAt = x.Answer, x.DecidedBy, fmtTime(x.DecidedAt)
	}
	row.Uses = x.UsesAt(t)
	return row
}

// periodsPage shows the year's periods with their state as of ?as_of (today without it), the
// snapshot of each frozen one checked against the data, and the exceptions asked.
func (s *Server) periodsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "periods", "报送期与封存")
	if pd == nil {
		return
	}
	t, day, err := s.asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	fs, err := s.db.Freezes(ctx, pd.District, pd.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	xs, err := s.db.FreezeExceptions(ctx, pd.District, pd.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var names []string
	for _, f := range fs {
		names = append(names, f.By)
	}
	for _, x := range xs {
		names = append(names, x.RequestedBy, x.DecidedBy)
	}
	who, err := s.lookupPeople(r, names...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := periodsData{planData: *pd, AsOf: day, Today: xiezuo.DateOf(s.today()).String(),
		CanEdit: day == "" && pd.User.Has(xiezuo.RoleOffice) && pd.User.CanWriteDistrict(pd.District)}
	if day != "" {
		d.Title = "报送期与封存（截至 " + day + "）"
	}
	for _, p := range xiezuo.YearPeriods(pd.Year) {
		row := periodRow{Key: p.String(), Text: p.Text(), Kind: p.Kind, Started: t.After(p.Start())}
		if f, ok := xiezuo.FreezeAt(fs, p, t); ok {
			if f.Frozen {
				row.Frozen, row.At, row.By, row.Note = true, fmtTime(f.At), who.label(f.By, ""), f.Note
				row.Reports, row.Versions, row.Reviews, row.SHA = f.Snapshot.Reports, f.Snapshot.Versions, f.Snapshot.Reviews, f.Snapshot.SHA256
				now, err := s.db.PeriodSnapshot(ctx, pd.District, pd.Year, p, t)
				if err != nil {
					s.fail(w, r, err)
					return
				}
				row.Intact = now == f.Snapshot
			} else {
				row.Unfrozen = fmtTime(f.At) + " 由 " + who.label(f.By, "") + " 解除：" + f.Note
			}
		}
		if !row.Frozen {
			// Locked whole through a longer period frozen (the half year or the year holding it).
			for _, q := range xiezuo.YearPeriods(pd.Year) {
				if f, ok := xiezuo.FreezeAt(fs, q, t); ok && f.Frozen && q != p && len(q.Months()) > len(p.Months()) && q.Contains(p.Months()[0]) && q.Contains(p.Months()[len(p.Months())-1]) {
					row.LockedBy = q.Text()
					break
				}
			}
		}
		row.CanFreeze = d.CanEdit && !row.Frozen && row.LockedBy == "" && row.Started
		row.CanUnfreeze = d.CanEdit && row.Frozen
		d.Periods = append(d.Periods, row)
	}
	for i := len(xs) - 1; i >= 0; i-- {
		if xs[i].RequestedAt.After(t) {
			continue
		}
		row := exceptionRowOf(xs[i], t)
		row.Own = xiezuo.CheckExceptionDecider(xs[i], pd.User.Username) != nil
		row.RequestedBy = who.label(row.RequestedBy, xs[i].Unit)
		if row.DecidedBy != "" {
			row.DecidedBy = who.label(row.DecidedBy, "")
		}
		if row.State == xiezuo.ExceptionPending {
			d.Pending++
		}
		d.Exceptions = append(d.Exceptions, row)
	}
	s.render(w, r, http.StatusOK, "periods", &d)
}

// toPeriods redirects to the periods page of district's plan of year with a message.
func (s *Server) toPeriods(w http.ResponseWriter, r *http.Request, district string, year int, msg, kind string) {
	q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}}
	http.Redirect(w, r, "/periods?"+s.flash(q, msg, kind)+"#"+r.FormValue("period"), http.StatusSeeOther)
}

// periodFreeze freezes the period the form names, once the office ticked the confirmation.
func (s *Server) periodFreeze(w http.ResponseWriter, r *http.Request) {
	s.periodSet(w, r, true)
}

// periodUnfreeze unfreezes the period the form names, with the reason typed.
func (s *Server) periodUnfreeze(w http.ResponseWriter, r *http.Request) {
	s.periodSet(w, r, false)
}

func (s *Server) periodSet(w http.ResponseWriter, r *http.Request, freeze bool) {
	action := sqldb.AuditPeriodFreeze
	if !freeze {
		action = sqldb.AuditPeriodUnfreeze
	}
	district, year, ok := s.writeTarget(w, r, action, "period")
	if !ok {
		return
	}
	p, err := xiezuo.ParseReportPeriod(r.FormValue("period"), year)
	if err != nil {
		s.toPeriods(w, r, district, year, xiezuo.ErrorMessage(err), "error")
		return
	}
	if freeze && r.FormValue("confirm") != "1" {
		s.toPeriods(w, r, district, year, "未封存：请勾选“确认封存"+p.Text()+"”后再提交", "error")
		return
	}
	var f xiezuo.Freeze
	if freeze {
		f, err = s.db.FreezePeriod(r.Context(), district, year, p, r.FormValue("note"))
	} else {
		f, err = s.db.UnfreezePeriod(r.Context(), district, year, p, r.FormValue("reason"))
	}
	switch xiezuo.ErrorCode(err) {
	case "":
	case xiezuo.EINVALID, xiezuo.ECONFLICT, xiezuo.ENOTFOUND:
		s.toPeriods(w, r, district, year, xiezuo.ErrorMessage(err), "error")
		return
	default:
		s.fail(w, r, err)
		return
	}
	msg := p.Text() + "已解除封存（已记入审计日志）"
	if freeze {
		msg = p.Text() + "已封存：快照含报告 " + strconv.Itoa(f.Snapshot.Reports) + " 份、版本 " + strconv.Itoa(f.Snapshot.Versions) +
			" 个、审核 " + strconv.Itoa(f.Snapshot.Reviews) + " 次，SHA-256 " + f.Snapshot.SHA256[:16] + "…"
	}
	s.toPeriods(w, r, district, year, msg, "ok")
}

// exceptionGrant opens what an exception asks for (the asking unit's report, or its reports on
// the duty) for xiezuo.ExceptionValidDays, with the office's reason.
func (s *Server) exceptionGrant(w http.ResponseWriter, r *http.Request) {
	s.exceptionDecide(w, r, true)
}

// exceptionRefuse refuses an exception, with the office's reason.
func (s *Server) exceptionRefuse(w http.ResponseWriter, r *http.Request) {
	s.exceptionDecide(w, r, false)
}

func (s *Server) exceptionDecide(w http.ResponseWriter, r *http.Request, grant bool) {
	district, year, ok := s.writeTarget(w, r, sqldb.AuditExceptionDecide, "exception")
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "例外申请编号“%s”无效", r.PathValue("id")))
		return
	}
	if grant {
		err = s.db.GrantException(r.Context(), district, id, r.FormValue("reason"))
	} else {
		err = s.db.RefuseException(r.Context(), district, id, r.FormValue("reason"))
	}
	switch xiezuo.ErrorCode(err) {
	case "":
	case xiezuo.EINVALID, xiezuo.ECONFLICT, xiezuo.ENOTFOUND, xiezuo.EFORBIDDEN:
		s.toPeriods(w, r, district, year, "第 "+strconv.FormatInt(id, 10)+" 号例外申请："+xiezuo.ErrorMessage(err), "error")
		return
	default:
		s.fail(w, r, err)
		return
	}
	msg := "已拒绝第 " + strconv.FormatInt(id, 10) + " 号例外申请"
	if grant {
		msg = "已准许第 " + strconv.FormatInt(id, 10) + " 号例外申请：" + strconv.Itoa(xiezuo.ExceptionValidDays) + " 天内申请单位可修改所申请的报告（或其在该事项上的报告）"
	}
	s.toPeriods(w, r, district, year, msg, "ok")
}

// exceptionReportOption is one of the unit's reports on the duty the form offers.
type exceptionReportOption struct {
	ID       int64
	Text     string
	Period   string // the month it belongs to
	Frozen   bool
	Selected bool
}

// exceptionNewData is a unit's form asking for an exception on a duty.
type exceptionNewData struct {
	planData
	DutyID    string
	DutyTitle string
	Reports   []exceptionReportOption
	Periods   []xiezuo.ReportPeriod // the months frozen now, for a new report
	Period    string
	Report    string
	Reason    string
	Error     string
	Mine      []exceptionRow
}

// exceptionContext loads the duty of the request and checks that the user's unit answers for
// it: only a unit that may report on a duty asks to change its data.
func (s *Server) exceptionContext(w http.ResponseWriter, r *http.Request) (dutyContext, *planData, bool) {
	dc, err := s.loadDuty(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return dutyContext{}, nil, false
	}
	if dc.Role == xiezuo.DutyNone {
		s.audit(r.Context(), sqldb.AuditExceptionRequest, "exception", dc.Key.String(), dc.Duty.Title, "failure", "不是本单位负责的事项")
		s.errorPage(w, r, http.StatusForbidden, "只有负责“"+dc.Duty.Title+"”的单位可以申请修改其封存期的数据")
		return dutyContext{}, nil, false
	}
	pd := &planData{base: s.baseFor(r, navOf(dc.Key.Kind)), Plan: dc.Plan}
	pd.Title, pd.Year, pd.District = "申请封存期例外", dc.Year, dc.District
	return dc, pd, true
}

// exceptionNewPage shows the unit's form: which of its reports on the duty (or a new report),
// which month, and why.
func (s *Server) exceptionNewPage(w http.ResponseWriter, r *http.Request) {
	dc, pd, ok := s.exceptionContext(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	s.renderExceptionForm(w, r, dc, pd, http.StatusOK, q.Get("report"), q.Get("period"), "", "")
}

func (s *Server) renderExceptionForm(w http.ResponseWriter, r *http.Request, dc dutyContext, pd *planData, status int, report, period, reason, msg string) {
	ctx := r.Context()
	u := currentUser(r)
	now := s.cfg.Now()
	fs, err := s.db.Freezes(ctx, dc.District, dc.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reps, err := s.db.DutyReports(ctx, dc.Key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	xs, err := s.db.FreezeExceptions(ctx, dc.District, dc.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := exceptionNewData{planData: *pd, DutyID: dc.Key.String(), DutyTitle: dc.Duty.Title, Period: period, Report: report, Reason: reason, Error: msg}
	for _, rep := range reps {
		// Only the reports u may continue (N3): a cadre's own, not another cadre's draft.
		if !xiezuo.OwnReport(dc.Plan, u, &rep) || len(rep.Versions) == 0 {
			continue
		}
		month := xiezuo.PlanPeriodOf(dc.Year, rep.Versions[0].At)
		_, frozen := xiezuo.Frozen(fs, month, now)
		first := []rune(rep.Versions[len(rep.Versions)-1].Values.Text)
		if len(first) > 30 {
			first = append(first[:30], '…')
		}
		d.Reports = append(d.Reports, exceptionReportOption{ID: rep.ID, Text: string(first), Period: month.Text(), Frozen: frozen,
			Selected: strconv.FormatInt(rep.ID, 10) == report})
	}
	for m := 1; m <= 12; m++ {
		mp := xiezuo.MonthPeriod(dc.Year, time.Month(m))
		if _, ok := xiezuo.Frozen(fs, mp, now); ok {
			d.Periods = append(d.Periods, mp)
		}
	}
	for i := len(xs) - 1; i >= 0; i-- {
		if xs[i].Duty == dc.Key && xs[i].Unit == u.Unit && (!xiezuo.ExceptionBindsWriter(u.Unit, dc.Key) || xs[i].RequestedBy == u.Username) {
			d.Mine = append(d.Mine, exceptionRowOf(xs[i], now))
		}
	}
	s.render(w, r, status, "exception_new", &d)
}

// exceptionRequest stores the unit's request; bad input shows the form again with what was
// typed and the reason, nothing stored.
func (s *Server) exceptionRequest(w http.ResponseWriter, r *http.Request) {
	dc, pd, ok := s.exceptionContext(w, r)
	if !ok {
		return
	}
	u := currentUser(r)
	report, period, reason := strings.TrimSpace(r.FormValue("report")), strings.TrimSpace(r.FormValue("period")), r.FormValue("reason")
	req := sqldb.ExceptionRequest{District: dc.District, Year: dc.Year, Duty: dc.Key, Unit: u.Unit, Reason: reason}
	var err error
	if report != "" && report != "0" {
		if req.ReportID, err = strconv.ParseInt(report, 10, 64); err != nil || req.ReportID <= 0 {
			err = xiezuo.Errorf(xiezuo.EINVALID, "报告编号“%s”无效", report)
		}
	}
	if err == nil && period == "" && req.ReportID != 0 {
		// The month of the report chosen.
		var rep xiezuo.Report
		rep, err = s.db.Report(r.Context(), req.ReportID)
		switch {
		case err == nil && (!xiezuo.OwnReport(dc.Plan, u, &rep) || rep.Duty != dc.Key):
			// Another unit's (or another cadre's) report: said as storage says it, and its
			// month not shown.
			err = xiezuo.Errorf(xiezuo.ENOTFOUND, "没有本单位在该事项上的第 %d 号报告", req.ReportID)
		case err == nil && len(rep.Versions) > 0:
			period = xiezuo.PlanPeriodOf(dc.Year, rep.Versions[0].At).String()
		}
	}
	if err == nil {
		req.Period, err = xiezuo.ParseReportPeriod(period, dc.Year)
		if period == "" {
			err = xiezuo.Errorf(xiezuo.EINVALID, "请选择要修改的报告或封存的月份")
		}
	}
	var id int64
	if err == nil {
		id, err = s.db.RequestException(r.Context(), req)
	}
	switch xiezuo.ErrorCode(err) {
	case "":
	case xiezuo.EINVALID, xiezuo.ECONFLICT, xiezuo.ENOTFOUND:
		s.renderExceptionForm(w, r, dc, pd, http.StatusUnprocessableEntity, report, period, reason, xiezuo.ErrorMessage(err))
		return
	default:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, s.dutyURL(dc.Key, "已提交第 "+strconv.FormatInt(id, 10)+" 号例外申请，等待办公室审批", "ok"), http.StatusSeeOther)
}
