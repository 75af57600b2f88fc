package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
)

// A project's life after the plan (项目全周期) on the project page, the cadres' phone page and
// the API: the status now or as of ?as_of=, each step with who, when and its files, the
// adjustments with the plan's figures beside the adjusted ones, and the form of the next step
// for those who may record it (xiezuo.StepsFor, StepWriteRefusal: an adjustment is the
// office's). The rules are the root's
// (lifecycle.go); storage asks them again under the project's lock (sqldb.AddProjectStep).

// stepInput is a step as a form or the API sends it: every value a string, amounts in the
// unit of the sender (万元 on the pages, 元 in the API).
type stepInput struct {
	Kind, Date, Note, Reason, Document, NewTotal, NewFund, NewContent string
}

// step reads in as a step of project id, amounts written in unit (xiezuo.FenPerWan or
// FenPerYuan, named by unitName); EINVALID names the value it cannot read.
func (in stepInput) step(id, unit int64, unitName string) (xiezuo.ProjectStep, error) {
	out := xiezuo.ProjectStep{ProjectID: id, Note: strings.TrimSpace(in.Note), Reason: strings.TrimSpace(in.Reason),
		Document: strings.TrimSpace(in.Document), NewContent: strings.TrimSpace(in.NewContent)}
	for _, v := range []string{in.Kind, in.Date, in.Note, in.Reason, in.Document, in.NewTotal, in.NewFund, in.NewContent} {
		if xiezuo.HasControl(v) {
			return out, xiezuo.ErrControl()
		}
	}
	k, err := xiezuo.ParseStepKind(in.Kind)
	if err != nil {
		return out, err
	}
	out.Kind = k
	if d := strings.TrimSpace(in.Date); d != "" {
		if out.On, err = xiezuo.ParseDate(d); err != nil {
			return out, xiezuo.Errorf(xiezuo.EINVALID, "日期“%s”无效，应如 2021-09-15", d)
		}
	}
	for _, f := range []struct {
		name, text string
		to         *xiezuo.Num
	}{{"调整后总投资", in.NewTotal, &out.NewTotalInvestment}, {"调整后区级帮扶资金", in.NewFund, &out.NewDistrictFund}} {
		t := strings.TrimSpace(f.text)
		if t == "" {
			continue
		}
		v, ok := xiezuo.ParseDecimal(t, unit)
		if !ok {
			return out, xiezuo.Errorf(xiezuo.EINVALID, "%s“%s”不是金额，应为以%s为单位的数字，如 %s", f.name, t, unitName, map[int64]string{xiezuo.FenPerWan: "350.5", xiezuo.FenPerYuan: "3505000.00"}[unit])
		}
		*f.to = xiezuo.Known(v)
	}
	return out, nil
}

// lifeView is the project page's section of the project's life.
type lifeView struct {
	ProjectID   int64
	Year        int
	District    string
	CSRF        string
	AsOf        string // the day shown (?as_of=); "" for today
	Today       string
	Status      string
	StatusText  string
	Since       string // the day of the step that led to the status
	Steps       []stepView
	Adjusted    bool // an adjustment changed the figures by the day shown
	Planned     figuresView
	Now         figuresView
	Adjustments []stepView
	Form        *stepForm
	CannotEdit  string // why the user has no form, when it reads the page as of today
}

// figuresView is a project's figures as the page shows them.
type figuresView struct {
	Total, Fund, Content string
}

// stepView is one step as the page shows it.
type stepView struct {
	ID                     int64
	Kind, KindText         string
	On                     string
	Note, Reason, Document string
	NewTotal, NewFund      string // 万元; "" unchanged
	NewContent             string
	By, At                 string
	Files                  []stepFileView
}

// stepFileView is a file of a step, served by the project's evidence route.
type stepFileView struct {
	evidenceView
	URL string
}

// stepForm is the form of the next step: what it offers and, after a refusal, what was typed.
type stepForm struct {
	Action       string
	CSRF         string
	Accept       string // the file input's accept: photos on the cadres' page, documents too on the project page
	From         string // "cadre" when sent from the cadres' page
	Kinds        []kindOption
	Kind, Date   string
	Note, Reason string
	Document     string
	Total, Fund  string // 万元
	Content      string
	Error        string
	EvidenceHint string
	Adjust       bool // an adjustment is among the next steps
}

// kindOption is a step kind the form offers.
type kindOption struct {
	Value, Text string
	Selected    bool
}

// stepFormOf is the form offering the steps next (those that may follow the project's status
// which the user may record, xiezuo.StepsFor), the first selected unless typed names another;
// the adjustment's fields only when next holds it.
func (s *Server) stepFormOf(action, from, csrf string, next []xiezuo.StepKind, typed *stepForm) *stepForm {
	f := &stepForm{}
	if typed != nil {
		f = typed
	}
	f.Action, f.From, f.CSRF, f.Kinds = action, from, csrf, nil
	f.Accept = "image/*,.pdf,.doc,.docx,.xls,.xlsx"
	l := s.cfg.EvidenceLimits
	f.EvidenceHint = fmt.Sprintf("照片、PDF、Word、Excel，按文件内容识别类型；每个不超过 %s，合计不超过 %s，最多 %d 个", xiezuo.MB(l.File), xiezuo.MB(l.Report), l.Files)
	if from == "cadre" {
		f.Accept = "image/*"
		f.EvidenceHint = fmt.Sprintf("可直接拍照；每张不超过 %s，合计不超过 %s，最多 %d 张", xiezuo.MB(l.File), xiezuo.MB(l.Report), l.Files)
	}
	if f.Kind == "" && len(next) > 0 {
		f.Kind = string(next[0])
	}
	for _, k := range next {
		f.Kinds = append(f.Kinds, kindOption{string(k), k.Text(), string(k) == f.Kind})
		f.Adjust = f.Adjust || k == xiezuo.StepAdjust
	}
	if f.Date == "" {
		f.Date = xiezuo.DayOf(s.cfg.Now()).String()
	}
	return f
}

// projectLife lays out the section of project p of the plan pd shows, as of ?as_of= (no form
// then), with typed as the form after a refusal.
func (s *Server) projectLife(r *http.Request, pd *planData, p xiezuo.Project, typed *stepForm) (*lifeView, error) {
	asOf, day, err := s.asOf(r)
	if err != nil {
		return nil, err
	}
	all, err := s.db.ProjectSteps(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	on := xiezuo.DayOf(asOf)
	steps := xiezuo.StepsBy(all, on)
	v := &lifeView{ProjectID: p.ID, Year: pd.Year, District: pd.District, CSRF: pd.CSRF, AsOf: day, Today: xiezuo.DayOf(s.cfg.Now()).String()}
	status := xiezuo.StatusAt(steps, on)
	v.Status, v.StatusText = string(status), status.Text()
	names := []string{}
	for _, st := range steps {
		names = append(names, st.By)
	}
	who, err := s.lookupPeople(r, names...)
	if err != nil {
		return nil, err
	}
	for _, st := range steps {
		sv := stepViewOf(st, who)
		v.Steps = append(v.Steps, sv)
		if st.Kind == xiezuo.StepAdjust {
			v.Adjustments = append(v.Adjustments, sv)
		}
		if st.Kind != xiezuo.StepAdjust {
			v.Since = st.On.String()
		}
	}
	adj := xiezuo.AdjustedProject(p, steps, on)
	v.Planned = figuresView{wanOf(p.TotalInvestment), wanOf(p.DistrictFund), p.Content}
	v.Now = figuresView{wanOf(adj.TotalInvestment), wanOf(adj.DistrictFund), adj.Content}
	v.Adjusted = len(v.Adjustments) > 0
	if day != "" {
		return v, nil
	}
	if err := xiezuo.ProjectStepRefusal(pd.User, pd.District, &p); err != nil {
		v.CannotEdit = xiezuo.ErrorMessage(err)
		return v, nil
	}
	if next := xiezuo.StepsFor(pd.User, pd.District, &p, status); len(next) > 0 {
		v.Form = s.stepFormOf("/projects/"+strconv.FormatInt(p.ID, 10)+"/steps"+pd.q(), "", pd.CSRF, next, typed)
	}
	return v, nil
}

func stepViewOf(st xiezuo.ProjectStep, who people) stepView {
	sv := stepView{ID: st.ID, Kind: string(st.Kind), KindText: st.Kind.Text(), On: st.On.String(), Note: st.Note,
		Reason: st.Reason, Document: st.Document, NewTotal: wanOf(st.NewTotalInvestment), NewFund: wanOf(st.NewDistrictFund),
		NewContent: st.NewContent, By: who.label(st.By, ""), At: fmtTime(st.At)}
	for _, e := range st.Evidence {
		sv.Files = append(sv.Files, stepFileView{evidenceViewOf(e), "/projects/" + strconv.FormatInt(st.ProjectID, 10) + "/evidence/" + strconv.FormatInt(e.ID, 10)})
	}
	return sv
}

// formStep is the step the page's form sends, and the form as typed.
func formStep(r *http.Request, id int64) (xiezuo.ProjectStep, *stepForm, error) {
	typed := &stepForm{Kind: r.FormValue("kind"), Date: r.FormValue("date"), Note: r.FormValue("note"), Reason: r.FormValue("reason"),
		Document: r.FormValue("document"), Total: r.FormValue("new_total_wan"), Fund: r.FormValue("new_fund_wan"), Content: r.FormValue("new_content")}
	st, err := stepInput{typed.Kind, typed.Date, typed.Note, typed.Reason, typed.Document, typed.Total, typed.Fund, typed.Content}.step(id, xiezuo.FenPerWan, "万元")
	return st, typed, err
}

// projectStepSave records the next step of project {id} from the project page's form or the
// cadres' page (from=cadre), with its files through the evidence store. A refusal shows the
// page again with the message and what was typed, and stores nothing; a user who may not
// record the project's steps, or this kind of step (an adjustment but for the office), gets 403.
func (s *Server) projectStepSave(w http.ResponseWriter, r *http.Request) {
	from := r.FormValue("from")
	pd := s.currentPlan(w, r, "projects", "项目")
	if pd == nil {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	i, found := pd.Plan.ProjectIndex(id)
	if !found {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年%s的计划中没有编号为“%s”的项目", pd.Year, pd.District, r.PathValue("id")))
		return
	}
	p := pd.Plan.Projects[i]
	if err := xiezuo.StepWriteRefusal(pd.User, pd.District, &p, xiezuo.StepKind(strings.TrimSpace(r.FormValue("kind")))); err != nil {
		s.fail(w, r, err)
		return
	}
	st, typed, err := formStep(r, id)
	if err == nil {
		st.Evidence, err = s.keepEvidence(r, nil)
	}
	if err == nil {
		st, _, err = s.db.AddProjectStepOnce(r.Context(), st, s.cfg.EvidenceLimits, sqldb.Idem{})
		s.pub.forget() // this instance's public notice shows it at once (public.go)
	}
	code := xiezuo.ErrorCode(err)
	switch {
	case err == nil:
	case code == xiezuo.EINVALID || code == xiezuo.ECONFLICT || code == xiezuo.ETOOLARGE:
		typed.Error = xiezuo.ErrorMessage(err)
		if hasEvidence(r) {
			typed.Error += "（未保存任何内容，请重新选择文件）"
		}
		status := map[string]int{xiezuo.EINVALID: http.StatusUnprocessableEntity, xiezuo.ECONFLICT: http.StatusConflict,
			xiezuo.ETOOLARGE: http.StatusRequestEntityTooLarge}[code]
		if from == "cadre" {
			s.renderCadre(w, r, pd, status, id, typed)
			return
		}
		s.renderProject(w, r, pd, p, status, typed)
		return
	default:
		s.fail(w, r, err)
		return
	}
	msg := fmt.Sprintf("已登记“%s”%s（%s）", p.Name, st.Kind.Text(), st.On)
	if from == "cadre" {
		http.Redirect(w, r, "/cadre?"+s.planFlash(pd, msg)+"#project-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/projects/"+strconv.FormatInt(id, 10)+"?"+s.planFlash(pd, msg)+"#life", http.StatusSeeOther)
}

// planFlash is the query that keeps pd's plan and carries the signed message msg.
func (s *Server) planFlash(pd *planData, msg string) string {
	return s.flash(url.Values{"year": {strconv.Itoa(pd.Year)}, "district": {pd.District}}, msg, "ok")
}

// stepEvidenceFile serves a file of a project's step to those who read the project's district
// (its page shows the file); anyone else, and a file of another project, is not found.
func (s *Server) stepEvidenceFile(w http.ResponseWriter, r *http.Request) {
	notFound := xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个文件，或您无权查看")
	pid, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	fid, err2 := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err1 != nil || err2 != nil {
		s.fail(w, r, notFound)
		return
	}
	e, owner, err := s.db.StepEvidenceFile(r.Context(), fid)
	if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND || (err == nil && owner != pid) {
		s.fail(w, r, notFound)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	district, _, err := s.db.DutyPlan(r.Context(), xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: pid})
	if err != nil || !currentUser(r).CanReadDistrict(district) {
		s.fail(w, r, notFound)
		return
	}
	s.serveEvidence(w, r, e)
}

// apiStep is a step as the API answers it.
type apiStep struct {
	ID                 int64         `json:"id"`
	ProjectID          int64         `json:"project_id"`
	Kind               string        `json:"kind"`
	KindText           string        `json:"kind_text"`
	Date               string        `json:"date"`
	Note               string        `json:"note"`
	Reason             string        `json:"reason"`
	Document           string        `json:"document"`
	NewTotalInvestment *string       `json:"new_total_investment_yuan"` // decimal string; null unchanged
	NewDistrictFund    *string       `json:"new_district_fund_yuan"`
	NewContent         *string       `json:"new_content"`
	Evidence           []apiEvidence `json:"evidence"`
	By                 string        `json:"by"`
	At                 string        `json:"at"`
}

func apiStepOf(st xiezuo.ProjectStep) apiStep {
	a := apiStep{ID: st.ID, ProjectID: st.ProjectID, Kind: string(st.Kind), KindText: st.Kind.Text(), Date: st.On.String(),
		Note: st.Note, Reason: st.Reason, Document: st.Document, By: st.By, At: apiTime(st.At), Evidence: toAPIEvidence(st.Evidence)}
	yuan := func(n xiezuo.Num) *string {
		if !n.Valid {
			return nil
		}
		v := xiezuo.FormatYuan(n.V)
		return &v
	}
	a.NewTotalInvestment, a.NewDistrictFund = yuan(st.NewTotalInvestment), yuan(st.NewDistrictFund)
	if st.NewContent != "" {
		a.NewContent = &st.NewContent
	}
	for i := range a.Evidence {
		a.Evidence[i].URL = "/api/v1/projects/" + strconv.FormatInt(st.ProjectID, 10) + "/evidence/" + strconv.FormatInt(st.Evidence[i].ID, 10)
	}
	return a
}

// apiStepInput is the body of POST /api/v1/projects/{id}/steps.
type apiStepInput struct {
	Kind       string `json:"kind"`
	Date       string `json:"date"`
	Note       string `json:"note,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Document   string `json:"document,omitempty"`
	NewTotal   string `json:"new_total_investment_yuan,omitempty"` // decimal string, 元
	NewFund    string `json:"new_district_fund_yuan,omitempty"`
	NewContent string `json:"new_content,omitempty"`
}

// apiStepsAnswer is the answer of GET /api/v1/projects/{id}/steps.
type apiStepsAnswer struct {
	ProjectID  int64     `json:"project_id"`
	AsOf       string    `json:"as_of"`
	Status     string    `json:"status"`
	StatusText string    `json:"status_text"`
	Planned    apiFigure `json:"planned"`  // the plan's figures
	Adjusted   apiFigure `json:"adjusted"` // as the adjustments dated by as_of left them
	Steps      []apiStep `json:"steps"`
}

// apiFigure is a project's money and content.
type apiFigure struct {
	TotalInvestment *string `json:"total_investment_yuan"`
	DistrictFund    *string `json:"district_fund_yuan"`
	Content         string  `json:"content"`
}

func apiFigureOf(p xiezuo.Project) apiFigure {
	yuan := func(n xiezuo.Num) *string {
		if !n.Valid {
			return nil
		}
		v := xiezuo.FormatYuan(n.V)
		return &v
	}
	return apiFigure{yuan(p.TotalInvestment), yuan(p.DistrictFund), p.Content}
}

// apiProject finds project {id} of the API's path with its plan, for a caller who reads its
// district; another district's project is 403 with the reason.
func (s *Server) apiProject(r *http.Request) (xiezuo.Project, string, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return xiezuo.Project{}, "", xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为“%s”的项目", r.PathValue("id"))
	}
	district, year, err := s.db.DutyPlan(r.Context(), xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: id})
	if err != nil {
		return xiezuo.Project{}, "", err
	}
	if u := currentUser(r); !u.CanReadDistrict(district) {
		return xiezuo.Project{}, "", xiezuo.Errorf(xiezuo.EFORBIDDEN, "%s", u.DistrictRefusal(district, "项目"))
	}
	p, _, err := s.plans.getVersion(r.Context(), district, year)
	if err != nil {
		return xiezuo.Project{}, "", err
	}
	i := slices.IndexFunc(p.Projects, func(q xiezuo.Project) bool { return q.ID == id })
	if i < 0 {
		return xiezuo.Project{}, "", xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的项目", id)
	}
	return p.Projects[i], district, nil
}

// apiProjectSteps answers a project's status and steps as of ?as_of= (default today), with
// the plan's figures and the adjusted ones.
func (s *Server) apiProjectSteps(w http.ResponseWriter, r *http.Request) {
	p, _, err := s.apiProject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	asOf, _, err := s.asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := s.db.ProjectSteps(r.Context(), p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	on := xiezuo.DayOf(asOf)
	steps := xiezuo.StepsBy(all, on)
	status := xiezuo.StatusAt(steps, on)
	out := apiStepsAnswer{ProjectID: p.ID, AsOf: on.String(), Status: string(status), StatusText: status.Text(),
		Planned: apiFigureOf(p), Adjusted: apiFigureOf(xiezuo.AdjustedProject(p, steps, on)), Steps: []apiStep{}}
	for _, st := range steps {
		out.Steps = append(out.Steps, apiStepOf(st))
	}
	writeJSON(w, http.StatusOK, out)
}

// apiProjectStepCreate records the next step of project {id}: 201 with the step; the same
// Idempotency-Key and body again 200 with the first answer; 403 for a caller who may not
// record the project's steps, or this kind (an adjustment but for the office); 422 naming
// what is wrong (a step out of order, a future date…).
func (s *Server) apiProjectStepCreate(w http.ResponseWriter, r *http.Request) {
	p, district, err := s.apiProject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	if err := xiezuo.ProjectStepRefusal(u, district, &p); err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiStepInput
	if !s.decodeJSON(w, r, &in) {
		return
	}
	if err := xiezuo.StepWriteRefusal(u, district, &p, xiezuo.StepKind(strings.TrimSpace(in.Kind))); err != nil {
		s.fail(w, r, err)
		return
	}
	idem := sqldb.Idem{UserID: u.ID, Key: r.Header.Get("Idempotency-Key"), RequestHash: requestHash(r, in)}
	if err := sqldb.CheckIdemKey(idem.Key); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := stepInput{in.Kind, in.Date, in.Note, in.Reason, in.Document, in.NewTotal, in.NewFund, in.NewContent}.step(p.ID, xiezuo.FenPerYuan, "元")
	if err != nil {
		// A used key is answered whatever the body, as for reports.
		if prev, found, ierr := s.db.StepIdemAnswered(r.Context(), idem); ierr != nil || found {
			if ierr != nil {
				s.fail(w, r, ierr)
				return
			}
			writeJSON(w, http.StatusOK, apiStepOf(prev))
			return
		}
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	}
	st, replayed, err := s.db.AddProjectStepOnce(r.Context(), st, s.cfg.EvidenceLimits, idem)
	s.pub.forget() // this instance's public notice shows it at once (public.go)
	switch code := xiezuo.ErrorCode(err); {
	case err == nil:
	case code == xiezuo.EINVALID:
		writeJSONError(w, http.StatusUnprocessableEntity, code, xiezuo.ErrorMessage(err))
		return
	default:
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, apiStepOf(st))
}

// The cadres' page (前方填报): a cadre seconded to a partner region reports from a phone on the
// projects of its regions only — a step (开工, 完工 …) with photos taken on the spot, the
// money paid once the money ledger's form route exists, and the results' figures (成效数据,
// posted to the project page's route, which sends the cadre back here). Another region's
// project is refused (403) where the fact is written, whatever the form sent.

// cadreData is the cadres' page.
type cadreData struct {
	planData
	Regions  []string
	Projects []cadreProject
	// PayRoute is the money ledger's page route of a disbursement when it exists (the money
	// helper's POST /projects/{id}/transactions): the page then offers its form.
	PayRoute bool
	Today    string // the application's today: the forms' default date and latest
}

// cadreProject is one project of the cadre's regions.
type cadreProject struct {
	ID                 int64
	Name, Region, Href string
	Status, StatusText string
	Last               string // the latest step, e.g. 开工 2021-05-10
	Total, Fund        string // 万元, as adjusted
	Form               *stepForm
	PayAction          string
	ResultAction       string // the project's results route (POST /projects/{id}/results)
	ResultKinds        []xiezuo.ResultKind
	Today              string
	CSRF               string
}

// cadrePage lists the projects of the cadre's regions with their status and a phone-width
// form for each.
func (s *Server) cadrePage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "cadre", "前方填报")
	if pd == nil {
		return
	}
	s.renderCadre(w, r, pd, http.StatusOK, 0, nil)
}

// renderCadre shows the cadres' page with status; typed is the form of project failed as
// typed after a refusal.
func (s *Server) renderCadre(w http.ResponseWriter, r *http.Request, pd *planData, status int, failed int64, typed *stepForm) {
	u := pd.User
	today := xiezuo.DateOf(s.today())
	d := cadreData{planData: *pd, Regions: u.Regions, Today: today.String(),
		PayRoute: s.canUse(u, "POST /projects/{id}/transactions")}
	d.Title = "前方填报"
	d.Path = "/cadre"
	steps, err := s.db.PlanSteps(r.Context(), pd.District, pd.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range pd.Plan.Projects {
		if !slices.Contains(u.Regions, p.Region) {
			continue
		}
		ps := steps[p.ID]
		st := xiezuo.StatusAt(ps, today)
		adj := xiezuo.AdjustedProject(p, ps, today)
		id := strconv.FormatInt(p.ID, 10)
		cp := cadreProject{ID: p.ID, Name: p.Name, Region: p.Region, Href: projectHref(pd, p.ID), Status: string(st), StatusText: st.Text(),
			Total: wanOf(adj.TotalInvestment), Fund: wanOf(adj.DistrictFund), Today: d.Today, CSRF: pd.CSRF}
		if n := len(ps); n > 0 {
			cp.Last = ps[n-1].Kind.Text() + " " + ps[n-1].On.String()
		}
		if xiezuo.ProjectStepRefusal(u, pd.District, &p) == nil {
			var t *stepForm
			if p.ID == failed {
				t = typed
			}
			if next := xiezuo.StepsFor(u, pd.District, &p, st); len(next) > 0 || t != nil {
				cp.Form = s.stepFormOf("/projects/"+id+"/steps"+pd.q(), "cadre", pd.CSRF, next, t)
			}
			if d.PayRoute && xiezuo.FundWriteRefusal(u, pd.District, &p, xiezuo.FundDisbursement) == nil {
				cp.PayAction = "/projects/" + id + "/transactions" + pd.q()
			}
			cp.ResultAction, cp.ResultKinds = "/projects/"+id+"/results"+pd.q(), xiezuo.ResultKinds
		}
		d.Projects = append(d.Projects, cp)
	}
	s.render(w, r, status, "cadre", d)
}
