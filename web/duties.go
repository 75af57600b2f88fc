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

// groups gives what resolves the group names of pd's plan: the leading group's members and the
// office's assignments (kept per instance for factsTTL). It also marks pd's cache key with them,
// so that a cached page that uses them is rebuilt when they change.
func (s *Server) groups(r *http.Request, pd *planData) (xiezuo.Groups, error) {
	f, err := s.facts.get(r.Context(), s.db, pd.District, pd.Year)
	if err != nil {
		return xiezuo.Groups{}, err
	}
	pd.facts += f.key
	pd.groups = &f.groups
	return f.groups, nil
}

// lightView is a duty's light as the plan's pages show it (stateView): a class and words.
type lightView struct {
	Class, Text string
}

// writeTarget is the district and year a write of the office names (in the query or the form),
// refused unless the user may write that district.
func (s *Server) writeTarget(w http.ResponseWriter, r *http.Request, action, objectType string) (district string, year int, ok bool) {
	u := currentUser(r)
	d := s.baseFor(r, "plan")
	district, year = r.FormValue("district"), d.Year
	if district == "" {
		district = d.District
	}
	if y, err := strconv.Atoi(r.FormValue("year")); err == nil {
		year = y
	}
	if !u.Has(xiezuo.RoleOffice) || !u.CanWriteDistrict(district) {
		s.audit(r.Context(), action, objectType, district, district, "failure", "无权修改其他区县")
		s.errorPage(w, r, http.StatusForbidden, u.DistrictRefusal(district, "数据"))
		return "", 0, false
	}
	return district, year, true
}

// backTo redirects to path of the plan of district and year, with a message.
func (s *Server) backTo(w http.ResponseWriter, r *http.Request, path, district string, year int, err error, done string) {
	q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}}
	switch {
	case err == nil:
		s.flash(q, done, "ok")
	case xiezuo.ErrorCode(err) == xiezuo.EINVALID:
		s.errorPage(w, r, http.StatusBadRequest, xiezuo.ErrorMessage(err))
		return
	default:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, path+"?"+q.Encode(), http.StatusSeeOther)
}

// unitList reads units typed one a line or separated by 、，, .
func unitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '、' || r == '，' || r == ',' || r == '；' || r == ';'
	})
	var units []string
	for _, u := range f {
		if u = strings.TrimSpace(u); u != "" {
			units = append(units, u)
		}
	}
	return units
}

// dutyAssign records the office naming the units that take a duty given to 相关成员单位.
func (s *Server) dutyAssign(w http.ResponseWriter, r *http.Request) {
	district, year, ok := s.writeTarget(w, r, sqldb.AuditAssign, "duty")
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.FormValue("number"))
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "请选择要交办的工作要点或任务")
		return
	}
	var units []string
	for _, v := range r.Form["units"] {
		units = append(units, unitList(v)...)
	}
	if len(units) == 0 {
		s.errorPage(w, r, http.StatusBadRequest, "请至少选择一个承办单位")
		return
	}
	ref := xiezuo.DutyRef{Kind: xiezuo.DutyKind(r.FormValue("kind")), Number: n}
	err = s.db.Assign(r.Context(), district, year, ref, units)
	s.facts.forget()
	if xiezuo.ErrorCode(err) == xiezuo.EINVALID {
		// Back to the list with the reason and what was typed, to correct rather than retype.
		q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}, "draft": {fmt.Sprintf("%s-%d", ref.Kind, ref.Number)},
			"units": {strings.Join(r.Form["units"], "、")}}
		s.flash(q, xiezuo.ErrorMessage(err), "error")
		http.Redirect(w, r, "/?"+q.Encode(), http.StatusSeeOther)
		return
	}
	s.backTo(w, r, "/", district, year, err, "已交办")
}

// groupMembersData is the page of the leading group's member units.
type groupMembersData struct {
	planData
	Members   []string
	Catalogue []string
	CanEdit   bool
}

// groupMembersPage shows the member units of the district's leading group: the units a duty
// given to 领导小组各成员单位 reaches.
func (s *Server) groupMembersPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "units", "领导小组成员单位")
	if pd == nil {
		return
	}
	members, err := s.db.GroupMembers(r.Context(), pd.District)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := groupMembersData{planData: *pd, Members: members, Catalogue: xiezuo.CatalogueUnits(), CanEdit: pd.User.Has(xiezuo.RoleOffice) && pd.User.CanWriteDistrict(pd.District)}
	d.Title = pd.District + "领导小组成员单位"
	s.render(w, r, http.StatusOK, "members", d)
}

// groupMembersSave sets the member units of the district's leading group.
func (s *Server) groupMembersSave(w http.ResponseWriter, r *http.Request) {
	district, year, ok := s.writeTarget(w, r, sqldb.AuditMembers, "group")
	if !ok {
		return
	}
	var units []string
	for _, v := range r.Form["units"] {
		units = append(units, unitList(v)...)
	}
	err := s.db.SetGroupMembers(r.Context(), district, units)
	s.facts.forget()
	s.backTo(w, r, "/group/members", district, year, err, "成员单位已保存")
}

// coverageLink records the office saying whether a task belongs to a work point.
func (s *Server) coverageLink(w http.ResponseWriter, r *http.Request) {
	district, year, ok := s.writeTarget(w, r, sqldb.AuditCoverage, "coverage")
	if !ok {
		return
	}
	point, err1 := strconv.Atoi(r.FormValue("point"))
	task, err2 := strconv.Atoi(r.FormValue("task"))
	if err1 != nil || err2 != nil {
		s.errorPage(w, r, http.StatusBadRequest, "请选择工作要点和任务")
		return
	}
	err := s.db.SetCoverageLink(r.Context(), district, year, point, task, r.FormValue("linked") == "1")
	s.facts.forget()
	s.backTo(w, r, "/plan/coverage", district, year, err, "已更正")
}

// teamPageData is a work team's page: its lead units, the units that share their duties, the
// duties with their lights.
type teamPageData struct {
	planData
	Team    xiezuo.WorkTeam
	Members []string
	Points  []xiezuo.WorkPoint
	Tasks   []dutyTask
	// Articles are the team's articles and typical cases of the year, with the links to add them.
	Articles registerTeamView
}

// teamPage shows a work team: the units that lead it, the duties they lead with the other units
// named on them (the team's member units), and each task's light.
func (s *Server) teamPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "teams", "工作专班")
	if pd == nil {
		return
	}
	name := r.PathValue("name")
	i := slices.IndexFunc(pd.Plan.Teams, func(t xiezuo.WorkTeam) bool { return t.Name == name })
	if i < 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年%s的计划中没有工作专班“%s”", pd.Year, pd.District, name))
		return
	}
	g, err := s.groups(r, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	board, err := s.todayBoard(r, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	td := xiezuo.TeamDuties(pd.Plan, pd.Plan.Teams[i], g)
	d := teamPageData{planData: *pd, Team: td.Team, Members: td.Members, Points: td.Points}
	d.Title = name
	arts, err := s.teamArticles(r, pd, []string{name})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Articles = arts[0]
	for _, t := range td.Tasks {
		_, l := taskLight(board, t, "")
		d.Tasks = append(d.Tasks, dutyTask{Task: t, Light: l})
	}
	s.render(w, r, http.StatusOK, "team", d)
}

func teamHref(d *planData, name string) string { return "/teams/" + url.PathEscape(name) + d.q() }
