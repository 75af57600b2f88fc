package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"xiezuo"
)

// The indicator editor (考核指标): the office's page of a plan year's indicators (sqldb's
// IndicatorSet), where it edits a target or any field of an indicator, adds one for the year,
// withdraws one, or starts a year without indicators from the nearest earlier year's set. Each
// change is a dated version with its reason and its audit entry (storage), so the scorecard
// changes at once, without a deploy. The form is read by xiezuo.IndicatorForm.Apply and checked
// by xiezuo.Indicator.Check; a refusal comes back beside its field with what was typed (422).

// Audit actions of the indicator editor, as the route table and the audit page name them.
const (
	auditIndicatorSave     = "indicator.save"
	auditIndicatorWithdraw = "indicator.withdraw"
	auditIndicatorCopy     = "indicator.copy"
)

// indicatorCopyYears is how many years back the editor looks for a set to start a year from.
const indicatorCopyYears = 10

// indicatorsData is the page /indicators.
type indicatorsData struct {
	planData
	Groups   []indicatorGroup
	Count    int
	CopyFrom int // the nearest earlier year with indicators, offered when this year has none
}

// indicatorGroup is a dimension with its indicators.
type indicatorGroup struct {
	Dimension string
	Items     []indicatorItem
}

// indicatorItem is an indicator as the list shows it.
type indicatorItem struct {
	xiezuo.Indicator
	TargetText, Per, Units, Edit string
}

// indicatorTarget is a target as the editor's list says it.
func indicatorTarget(in xiezuo.Indicator) string {
	if in.TargetPrior {
		if in.Target != nil {
			return "不低于上年（上年未录入时按 " + xiezuo.MeasureText(xiezuo.Measure{V: *in.Target, Valid: true}, in.Unit) + "）"
		}
		return "不低于上年"
	}
	s := xiezuo.IndicatorScore{Indicator: in, Group: "-"} // "-": no 每个… before the number
	if in.Target != nil {
		s.Target = xiezuo.Measure{V: *in.Target, Valid: true}
	}
	return s.TargetText()
}

// indicatorsView is the editor's list of set, in dimension order (Dimensions, then any other).
func indicatorsView(pd *planData, set []xiezuo.Indicator) indicatorsData {
	d := indicatorsData{planData: *pd, Count: len(set)}
	d.Title = "考核指标"
	order := slices.Clone(xiezuo.Dimensions)
	for _, in := range set {
		if !slices.Contains(order, in.Dimension) {
			order = append(order, in.Dimension)
		}
	}
	for _, dim := range order {
		g := indicatorGroup{Dimension: dim}
		for _, in := range set {
			if in.Dimension != dim {
				continue
			}
			units := "—"
			if len(in.Units) > 0 {
				units = strings.Join(in.Units, "、")
			}
			g.Items = append(g.Items, indicatorItem{Indicator: in, TargetText: indicatorTarget(in), Per: in.PerText(),
				Units: units, Edit: "/indicators/" + url.PathEscape(in.Code) + "/edit" + pd.q()})
		}
		if len(g.Items) > 0 {
			d.Groups = append(d.Groups, g)
		}
	}
	return d
}

// indicatorSetNow is the year's set as it stands now.
func (s *Server) indicatorSetNow(r *http.Request, district string, year int) ([]xiezuo.Indicator, error) {
	return s.db.IndicatorSet(r.Context(), district, year, s.cfg.Now())
}

// indicatorsPage lists the year's indicators, and offers the nearest earlier year's set when
// the year has none.
func (s *Server) indicatorsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "indicators", "考核指标")
	if pd == nil {
		return
	}
	set, err := s.indicatorSetNow(r, pd.District, pd.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := indicatorsView(pd, set)
	if len(set) == 0 {
		if d.CopyFrom, err = s.indicatorCopyFrom(r, pd.District, pd.Year); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "indicators", d)
}

// indicatorCopyFrom is the nearest year before year that has indicators; 0 when none has.
func (s *Server) indicatorCopyFrom(r *http.Request, district string, year int) (int, error) {
	for y := year - 1; y >= year-indicatorCopyYears; y-- {
		set, err := s.indicatorSetNow(r, district, y)
		if err != nil {
			return 0, err
		}
		if len(set) > 0 {
			return y, nil
		}
	}
	return 0, nil
}

// indicatorFormData is the editor of one indicator (or a new one).
type indicatorFormData struct {
	planData
	New        bool
	Code       string
	In         xiezuo.IndicatorForm
	Errors     map[string]string // by form field: what is wrong with what was typed
	Error      string            // a refusal that names no field
	Action     string
	Withdraw   string
	Dimensions []string
	Pers       []struct{ Key, Label string }
	Missings   []struct{ Key, Label string }
	Units      []string // the plan's units, offered to the units' field
}

// indicatorForm is the editor's page data for in, typed as f.
func (s *Server) indicatorForm(pd *planData, isNew bool, code string, f xiezuo.IndicatorForm) indicatorFormData {
	d := indicatorFormData{planData: *pd, New: isNew, Code: code, In: f, Dimensions: xiezuo.Dimensions,
		Pers: xiezuo.IndicatorPers, Missings: xiezuo.IndicatorMissingRules}
	if isNew {
		d.Title = "新增考核指标"
		d.Action = "/indicators" + pd.q()
	} else {
		d.Title = "修改考核指标：" + f.Name
		d.Action = "/indicators/" + url.PathEscape(code) + pd.q()
		d.Withdraw = "/indicators/" + url.PathEscape(code) + "/withdraw" + pd.q()
	}
	if pd.Plan != nil {
		for _, u := range pd.Plan.Units {
			d.Units = append(d.Units, u.Name)
		}
	}
	return d
}

// findIndicator is the indicator of code in the year's set now.
func (s *Server) findIndicator(r *http.Request, pd *planData, code string) (xiezuo.Indicator, error) {
	set, err := s.indicatorSetNow(r, pd.District, pd.Year)
	if err != nil {
		return xiezuo.Indicator{}, err
	}
	for _, in := range set {
		if in.Code == code {
			return in, nil
		}
	}
	return xiezuo.Indicator{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年没有编号为“%s”的考核指标", pd.Year, code)
}

// indicatorEditPage is the form of one indicator as it stands.
func (s *Server) indicatorEditPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "indicators", "考核指标")
	if pd == nil {
		return
	}
	in, err := s.findIndicator(r, pd, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "indicator_form", s.indicatorForm(pd, false, in.Code, xiezuo.FormOf(in)))
}

// indicatorNewPage is the form of a new indicator for the year.
func (s *Server) indicatorNewPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "indicators", "考核指标")
	if pd == nil {
		return
	}
	f := xiezuo.IndicatorForm{Compare: ">=", Dimension: r.URL.Query().Get("dimension"), Due: strconv.Itoa(pd.Year) + "-10-31"}
	s.render(w, r, http.StatusOK, "indicator_form", s.indicatorForm(pd, true, "", f))
}

// readIndicatorForm is the form as posted.
func readIndicatorForm(r *http.Request) xiezuo.IndicatorForm {
	v := r.PostFormValue
	return xiezuo.IndicatorForm{Code: v("code"), Name: v("name"), Dimension: v("dimension"), Requirement: v("requirement"),
		Formula: v("formula"), Compare: v("compare"), Target: v("target"), TargetPrior: v("target_prior") != "",
		Unit: v("unit"), From: v("from"), Due: v("due"), Per: v("per"), Units: v("units"), Missing: v("missing"),
		Evidence: v("evidence"), Reason: v("reason")}
}

// indicatorSave saves an edited indicator (POST /indicators/{code}).
func (s *Server) indicatorSave(w http.ResponseWriter, r *http.Request) {
	s.indicatorWrite(w, r, r.PathValue("code"))
}

// indicatorAdd adds an indicator for the year (POST /indicators).
func (s *Server) indicatorAdd(w http.ResponseWriter, r *http.Request) {
	s.indicatorWrite(w, r, "")
}

// indicatorWrite reads the form over the stored indicator of code ("" for a new one), checks
// it and saves it; a refusal renders the form again with what was typed, the error beside its
// field, 422.
func (s *Server) indicatorWrite(w http.ResponseWriter, r *http.Request, code string) {
	district, year, ok := s.writeTarget(w, r, auditIndicatorSave, "indicator")
	if !ok {
		return
	}
	pd := s.currentPlan(w, r, "indicators", "考核指标")
	if pd == nil {
		return
	}
	var base xiezuo.Indicator
	if code != "" {
		var err error
		if base, err = s.findIndicator(r, pd, code); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	f := readIndicatorForm(r)
	in, errs := f.Apply(base, year)
	if errs == nil && code == "" {
		if _, err := s.findIndicator(r, pd, in.Code); err == nil {
			errs = map[string]string{"code": "“编号”：" + in.Code + " 已有，请换一个编号，或修改原指标"}
		}
	}
	var err error
	if errs == nil {
		if err = in.Check(pd.Plan); err == nil {
			err = s.db.SaveIndicator(r.Context(), district, year, in, f.Reason)
		}
	}
	if errs != nil || xiezuo.ErrorCode(err) == xiezuo.EINVALID {
		d := s.indicatorForm(pd, code == "", code, f)
		d.Errors = errs
		if err != nil {
			msg := xiezuo.ErrorMessage(err)
			if key := xiezuo.IndicatorFieldOf(msg); key != "" {
				d.Errors = map[string]string{key: msg}
			} else {
				d.Error = msg
			}
		}
		if d.Error == "" {
			d.Error = "未保存：请按各栏提示修改后再保存。"
		}
		s.render(w, r, http.StatusUnprocessableEntity, "indicator_form", d)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := "已修改考核指标“" + in.Name + "”"
	if code == "" {
		done = "已新增考核指标“" + in.Name + "”"
	}
	s.indicatorsBack(w, r, district, year, done)
}

// indicatorsBack redirects to the year's indicators with a message.
func (s *Server) indicatorsBack(w http.ResponseWriter, r *http.Request, district string, year int, msg string) {
	q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}}
	http.Redirect(w, r, "/indicators?"+s.flash(q, msg, "ok"), http.StatusSeeOther)
}

// indicatorWithdraw removes an indicator from the year's set, with its reason.
func (s *Server) indicatorWithdraw(w http.ResponseWriter, r *http.Request) {
	district, year, ok := s.writeTarget(w, r, auditIndicatorWithdraw, "indicator")
	if !ok {
		return
	}
	pd := s.currentPlan(w, r, "indicators", "考核指标")
	if pd == nil {
		return
	}
	in, err := s.findIndicator(r, pd, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reason := r.PostFormValue("reason")
	if strings.TrimSpace(reason) == "" {
		d := s.indicatorForm(pd, false, in.Code, xiezuo.FormOf(in))
		d.Errors = map[string]string{"withdraw_reason": "“撤销理由”：必须填写（记入审计日志）"}
		d.Error = "未撤销：请写明撤销理由。"
		s.render(w, r, http.StatusUnprocessableEntity, "indicator_form", d)
		return
	}
	if err := s.db.WithdrawIndicator(r.Context(), district, year, in.Code, reason); err != nil {
		s.fail(w, r, err)
		return
	}
	s.indicatorsBack(w, r, district, year, "已撤销考核指标“"+in.Name+"”")
}

// indicatorCopy starts a year without indicators from the nearest earlier year's set.
func (s *Server) indicatorCopy(w http.ResponseWriter, r *http.Request) {
	district, year, ok := s.writeTarget(w, r, auditIndicatorCopy, "indicator")
	if !ok {
		return
	}
	from, err := strconv.Atoi(r.PostFormValue("from"))
	if err != nil || from >= year || from < year-indicatorCopyYears {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "沿用的年度“%s”无效，应为 %d 年以前的年度", r.PostFormValue("from"), year))
		return
	}
	n, err := s.db.CopyIndicators(r.Context(), district, from, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.indicatorsBack(w, r, district, year, "已以 "+strconv.Itoa(from)+" 年指标为基础建立 "+strconv.Itoa(year)+" 年考核指标 "+strconv.Itoa(n)+" 项（截止日期顺延到本年），请逐项核对目标")
}
