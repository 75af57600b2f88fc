package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// The rules the office watches over a plan's projects (重点监测: xiezuo.Watch) on their page
// /watch, with the projects behind each red or yellow light, as of ?as_of=; the same lights,
// small, on the home page of the office, the leaders and the city office; and the project
// table's workbook with its live columns (/projects?format=xlsx&live=1&as_of=).

// watchData is the page of the watched rules.
type watchData struct {
	planData
	AsOf     string // the day shown, YYYY-MM-DD
	Today    string
	Past     bool
	StartBy  string // the industrial projects' start day that applies
	WarnDays int    // days before a start or finish deadline a project turns yellow
	Rules    []watchRuleView
	// LiveXLSX is the project table with its live columns as of the day shown.
	LiveXLSX string
	// CanSet: the user may change the industrial projects' start day (the plan's office).
	CanSet bool
}

// watchRuleView is one rule as the page shows it.
type watchRuleView struct {
	xiezuo.WatchRule
	Light dutyLightView
	Due   []watchProjectView // the projects behind a red or yellow light, red first
	All   []watchProjectView
	Funds []watchFundView
}

type watchProjectView struct {
	xiezuo.ProjectWatch
	Light  dutyLightView
	Href   string
	Status string
}

type watchFundView struct {
	xiezuo.FundCompare
	Light      dutyLightView
	This, Last string // 万元, or empty when unknown
}

// ruleLight is a rule's light as the pages show it, in the rule's words.
func ruleLight(r xiezuo.WatchRule) dutyLightView {
	v := watchLight(r.Light, r.LightText())
	v.Word = r.LightWord()
	return v
}

// watchLight is a light as the supervision pages show it, with its text.
func watchLight(l xiezuo.Light, text string) dutyLightView {
	return dutyLightView{Name: l.Color.String(), Class: dutyLightClasses[l.Color], Word: l.Color.Word(), Text: text}
}

// watchRules reads the facts of pd's plan as of day and applies the rules: each project's
// status and start day, the office's industrial start day as it stood at the end of that day,
// and last year's plan when it is stored.
func (s *Server) watchRules(r *http.Request, pd *planData, day xiezuo.Date) ([]xiezuo.WatchRule, xiezuo.Date, error) {
	ctx := r.Context()
	facts, err := s.db.PlanWatchFacts(ctx, pd.District, pd.Year, day)
	if err != nil {
		return nil, xiezuo.Date{}, err
	}
	by, err := s.db.IndustrialStartBy(ctx, pd.District, pd.Year, xiezuo.EndOfDay(day))
	if err != nil {
		return nil, xiezuo.Date{}, err
	}
	last, _, err := s.plans.getVersion(ctx, pd.District, pd.Year-1)
	if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
		last, err = nil, nil // never compared with 0: the rule says there is no plan
	}
	if err != nil {
		return nil, xiezuo.Date{}, err
	}
	return xiezuo.Watch(pd.Plan, last, facts, by, day), by, nil
}

// watchDay decodes ?as_of= (not after today) as the supervision pages do; today without one.
func (s *Server) watchDay(r *http.Request) (day xiezuo.Date, past bool, err error) {
	today := xiezuo.DayOf(s.today())
	f, err := xiezuo.ParseSuperviseFilter(pick(r, "as_of"), today)
	if err != nil {
		return xiezuo.Date{}, false, err
	}
	if f.AsOf.IsZero() || f.AsOf == today {
		return today, false, nil
	}
	return f.AsOf, true, nil
}

// watchPage shows each watched rule with its light and value, and the projects behind each red
// or yellow light, as of ?as_of=.
func (s *Server) watchPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "watch", "重点监测")
	if pd == nil {
		return
	}
	day, past, err := s.watchDay(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rules, by, err := s.watchRules(r, pd, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := watchData{planData: *pd, AsOf: day.String(), Today: xiezuo.DayOf(s.today()).String(), Past: past, StartBy: by.String(), WarnDays: xiezuo.StartWarnDays}
	d.Title = "重点监测"
	u := currentUser(r)
	d.CanSet = u.Has(xiezuo.RoleOffice) && u.CanWriteDistrict(pd.District)
	live := url.Values{"format": {"xlsx"}, "live": {"1"}}
	if past {
		live.Set("as_of", day.String())
	}
	d.LiveXLSX = "/projects" + pd.link(live)
	for _, rule := range rules {
		v := watchRuleView{WatchRule: rule, Light: ruleLight(rule)}
		view := func(p xiezuo.ProjectWatch) watchProjectView {
			pv := watchProjectView{ProjectWatch: p, Light: watchLight(p.Light, p.Text), Status: xiezuo.StatusWord(p.Status)}
			if p.ID != 0 {
				pv.Href = projectHref(pd, p.ID)
			}
			return pv
		}
		for _, p := range rule.Due() {
			v.Due = append(v.Due, view(p))
		}
		for _, p := range rule.Projects {
			v.All = append(v.All, view(p))
		}
		for _, f := range rule.Funds {
			fv := watchFundView{FundCompare: f, Light: watchLight(f.Light, f.Text)}
			fv.Light.Word = f.LightWord()
			if f.This.Valid {
				fv.This = xiezuo.FormatWan(f.This.V)
			}
			if f.Last.Valid {
				fv.Last = xiezuo.FormatWan(f.Last.V)
			}
			v.Funds = append(v.Funds, fv)
		}
		d.Rules = append(d.Rules, v)
	}
	s.render(w, r, http.StatusOK, "watch", d)
}

// watchHome is the small block of the watched rules on the home page.
type watchHome struct {
	Href  string
	Rules []watchHomeRule
}

type watchHomeRule struct {
	Name, Value string
	Light       dutyLightView
	Href        string
}

// homeWatch is the block of the watched rules on the home page of those who read them (the
// office, the leaders and the city office: xiezuo.User.CanWatch), as of today; nil for others.
func (s *Server) homeWatch(r *http.Request, pd *planData) (*watchHome, error) {
	if pd.User == nil || !pd.User.CanWatch() {
		return nil, nil
	}
	rules, _, err := s.watchRules(r, pd, xiezuo.DayOf(s.today()))
	if err != nil {
		return nil, err
	}
	h := &watchHome{Href: "/watch" + pd.q()}
	for _, rule := range rules {
		h.Rules = append(h.Rules, watchHomeRule{Name: rule.Name, Value: rule.Value,
			Light: ruleLight(rule), Href: "/watch" + pd.q() + "#" + rule.ID})
	}
	return h, nil
}

// liveWorkbook sends the project table (附件3, filtered as asked) with its live columns as of
// ?as_of= (default today): status, start day, disbursed and disbursement rate.
func (s *Server) liveWorkbook(w http.ResponseWriter, r *http.Request, pd *planData, f xiezuo.ProjectFilter) {
	day, _, err := s.watchDay(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	figures, err := s.db.PlanLiveFigures(r.Context(), pd.District, pd.Year, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := xlsx.WriteProjectTableLive(&buf, pd.Plan, xiezuo.Rollup(pd.Plan, f), xlsx.Live{AsOf: day, Projects: figures}); err != nil {
		s.serverError(w, r, err)
		return
	}
	name := strings.TrimSuffix(projectsFileName(pd, f), ".xlsx") + "（截至" + day.String() + "）.xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Write(buf.Bytes())
}

// watchSettings saves the office's day by which the plan's industrial projects must have
// started (the plan setting xiezuo.SettingIndustrialStartBy): a day of the plan's year,
// checked by xiezuo.ParseIndustrialStartBy, dated and audited by SetPlanSetting.
func (s *Server) watchSettings(w http.ResponseWriter, r *http.Request) {
	district, year, ok := s.writeTarget(w, r, sqldb.AuditPlanSetting, "setting")
	if !ok {
		return
	}
	value := strings.TrimSpace(r.FormValue("industrial_start_by"))
	err := s.db.SetPlanSetting(r.Context(), district, year, xiezuo.SettingIndustrialStartBy, value)
	q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}}
	switch {
	case err == nil:
		http.Redirect(w, r, "/watch?"+s.flash(q, "产业类项目开工截止日已改为 "+value, "ok"), http.StatusSeeOther)
	case xiezuo.ErrorCode(err) == xiezuo.EINVALID:
		http.Redirect(w, r, "/watch?"+s.flash(q, "开工截止日未保存："+xiezuo.ErrorMessage(err), "error"), http.StatusSeeOther)
	default:
		s.fail(w, r, err)
	}
}
