package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"xiezuo"
)

type dutyPoint struct {
	Point   xiezuo.WorkPoint
	Role    xiezuo.DutyRole
	Light   lightView // the unit's part's light today
	Href    string    // its duty page
	Reports string    // the unit's reports on it (partReports)
}

// unitTask is a task on a unit's page: its light and the unit's reports on it.
type unitTask struct {
	dutyTask
	Href    string
	Reports string
}

// partReports says the unit's reports on duty k as its part on board b counts them: how many
// were due by today, made and on time, and the latest with its state.
func partReports(b *xiezuo.Board, k xiezuo.DutyKey, unit string) string {
	i := slices.IndexFunc(b.Parts, func(p xiezuo.DutyStatus) bool { return p.Duty.Key == k && p.Unit == unit })
	if i < 0 {
		return "无需报送"
	}
	p := b.Parts[i]
	text := fmt.Sprintf("应报 %d 次，已报 %d 次，按时 %d 次", p.Tally.Expected, p.Tally.Made, p.Tally.OnTime)
	if p.Last != nil {
		text += "；最近 " + fmtTime(p.Last.At) + " " + p.Last.State.Text()
	}
	return text
}

type unitPageData struct {
	planData
	Unit     xiezuo.Unit
	Points   []dutyPoint
	Tasks    []unitTask
	Projects []xiezuo.Project
	Teams    []xiezuo.WorkTeam
	Contact  contactView
	CanEdit  bool
}

// unitPage gathers all that concerns a unit: the work points and tasks it answers for, the
// projects it leads, the teams it leads, and its contact.
func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) { s.showUnit(w, r, false) }

// showUnit writes the unit page, its contact's phone in full when reveal (the caller checked
// and audits it).
func (s *Server) showUnit(w http.ResponseWriter, r *http.Request, reveal bool) {
	pd := s.currentPlan(w, r, "units", "单位")
	if pd == nil {
		return
	}
	name := r.PathValue("name")
	d := unitPageData{planData: *pd}
	g, err := s.groups(r, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A unit the plan names, or one answering for something in it through the leading group or
	// the office's assignments (xiezuo.FindPlanUnit).
	u, found := xiezuo.FindPlanUnit(pd.Plan, g, name)
	if !found {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年%s的计划中没有单位“%s”，它也不是领导小组成员单位或交办单位", d.Year, d.District, name))
		return
	}
	d.Unit = u
	name = d.Unit.Name
	d.Title = name
	board, err := s.todayBoard(r, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	duties := xiezuo.UnitDuties(pd.Plan, name, g)
	for _, p := range duties.Points {
		k := xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: p.Point.ID}
		_, l := partLight(board, k, name)
		d.Points = append(d.Points, dutyPoint{p.Point, p.Role, l, dutyHref(pd, k), partReports(board, k, name)})
	}
	for _, t := range duties.Tasks {
		k := xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: t.Task.ID}
		_, l := taskLight(board, t.Task, name)
		d.Tasks = append(d.Tasks, unitTask{dutyTask{t.Task, t.Role, l}, dutyHref(pd, k), partReports(board, k, name)})
	}
	d.Projects, d.Teams = duties.Projects, duties.Teams
	d.CanEdit = d.User.CanEditUnit(d.District, name)
	c, err := s.contact(r, d.District, name, reveal)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Contact = c
	s.render(w, r, http.StatusOK, "unit", d)
}

type regionPageData struct {
	planData
	Region   xiezuo.PartnerRegion
	Summary  xiezuo.RegionSummary
	Projects []projectRow
	Total    xiezuo.RegionGroup // the 合计 row of its projects, from xiezuo.Rollup
	Links    []string           // each project's page, in the order of Projects
	Points   []xiezuo.WorkPoint
	Cadres   []*xiezuo.User
}

// regionPage gathers all that concerns a partner region: its figures, its projects, the work
// points that name it, and the cadres bound to it.
func (s *Server) regionPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "regions", "协作地区")
	if pd == nil {
		return
	}
	name := r.PathValue("name")
	d := regionPageData{planData: *pd}
	found := false
	for _, reg := range pd.Plan.Regions {
		if reg.Name == name {
			d.Region, found = reg, true
		}
	}
	if !found {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年%s的计划中没有协作地区“%s”", d.Year, d.District, name))
		return
	}
	d.Title = name
	for _, rs := range xiezuo.Summarize(pd.Plan).Regions {
		if rs.Name == name {
			d.Summary = rs
		}
	}
	t := xiezuo.Rollup(pd.Plan, xiezuo.ProjectFilter{Region: name})
	if len(t.Regions) == 1 {
		d.Total = t.Regions[0]
	}
	rows, err := s.projectContacts(r, pd, name, t.Total.Projects)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Projects = rows
	d.Links = projectLinks(pd, t.Total.Projects)
	short := shortRegion(name)
	for _, p := range pd.Plan.Points {
		if strings.Contains(p.Text, short) {
			d.Points = append(d.Points, p)
		}
	}
	cadres, err := s.cadresOf(r, d.District, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Cadres = cadres
	s.render(w, r, http.StatusOK, "region", d)
}

// shortRegion drops the province and prefecture words prose leaves out: 西藏拉萨堆龙德庆区 →
// 堆龙德庆区.
func shortRegion(name string) string {
	for _, prefix := range []string{"内蒙古自治区", "内蒙古", "西藏自治区", "西藏", "新疆维吾尔自治区", "新疆", "青海省", "青海", "湖北省", "湖北", "河北省", "河北", "河南省", "河南", "拉萨市", "拉萨", "和田地区", "和田", "玉树州", "玉树", "十堰市", "十堰", "南阳市", "南阳"} {
		name = strings.TrimPrefix(name, prefix)
	}
	return name
}

type searchHit struct {
	Kind, Title, Text, Href string
}

type searchData struct {
	planData
	Query string
	Hits  []searchHit
}

// searchPage finds work points, tasks, projects, units and regions whose names or text contain
// the words asked for (Chinese included: every word must appear).
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "search", "搜索")
	if pd == nil {
		return
	}
	d := searchData{planData: *pd, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	words := strings.Fields(d.Query)
	match := func(texts ...string) bool {
		if len(words) == 0 {
			return false
		}
		all := strings.Join(texts, "\n")
		for _, w := range words {
			if !strings.Contains(all, w) {
				return false
			}
		}
		return true
	}
	p := pd.Plan
	for _, u := range p.Units {
		if match(u.Name, strings.Join(u.Aliases, " ")) {
			d.Hits = append(d.Hits, searchHit{"单位", u.Name, strings.Join(u.Aliases, "、"), unitHref(pd, u.Name)})
		}
	}
	for _, reg := range p.Regions {
		if match(reg.Name, reg.Relation) {
			d.Hits = append(d.Hits, searchHit{"协作地区", reg.Name, reg.Relation, regionHref(pd, reg.Name)})
		}
	}
	for _, wp := range p.Points {
		var units []string
		for _, u := range wp.Units {
			units = append(units, u.Unit, u.Written)
		}
		if match(wp.Text, strings.Join(units, " ")) {
			d.Hits = append(d.Hits, searchHit{"工作要点", wp.Title, wp.Text, "/plan" + pd.q() + "#point-" + strconv.Itoa(wp.Number)})
		}
	}
	for _, t := range p.Tasks {
		var units []string
		for _, u := range t.Units {
			units = append(units, u.Unit, u.Written)
		}
		if match(t.WorkItem, t.Category, t.Content, strings.Join(units, " ")) {
			d.Hits = append(d.Hits, searchHit{"任务", t.WorkItem + "／" + t.Category, t.Content, "/tasks" + queryWith(r.URL.Query(), "category", t.Category)})
		}
	}
	for _, pr := range p.Projects {
		if match(pr.Name, pr.Content, pr.Region, pr.Category, pr.Implementer, pr.LeadUnit, pr.LeadUnitWritten, pr.Benefit, pr.FundUse) {
			href := "/projects" + queryWith(r.URL.Query(), "region", pr.Region)
			if pr.ID != 0 {
				href = projectHref(pd, pr.ID)
			}
			d.Hits = append(d.Hits, searchHit{"项目", pr.Name, pr.Region + "　" + pr.Content, href})
		}
	}
	d.Title = "搜索"
	s.render(w, r, http.StatusOK, "search", d)
}
