package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// planData is the base of every page that shows the chosen plan.
type planData struct {
	base
	Plan    *xiezuo.Plan
	version int64
	facts   string         // the facts beside the plan a page uses (membership, assignments), for the cache key
	groups  *xiezuo.Groups // those facts, once a page asked for them (Server.groups)
}

// currentPlan loads the plan the request chose. Without any plan it renders a page that says so
// and returns nil.
func (s *Server) currentPlan(w http.ResponseWriter, r *http.Request, nav, title string) *planData {
	d := &planData{base: s.baseFor(r, nav)}
	d.Title = title
	if d.User != nil && !d.User.ReadsPlans() {
		// Administrators, and accounts whose roles wait for approval, read no plan.
		if r.Method != http.MethodGet {
			s.errorPage(w, r, http.StatusForbidden, "您的账号没有查看或修改计划的角色")
			return nil
		}
		d.Title = "没有可查看的计划"
		if nav == "home" { // the administrators' landing page: their menu, and why no plan
			d.Title = "首页"
		}
		s.render(w, r, http.StatusOK, "noplan", d)
		return nil
	}
	if d.Year == 0 {
		d.Title = "还没有计划"
		s.render(w, r, http.StatusOK, "noplan", d)
		return nil
	}
	p, v, err := s.plans.getVersion(r.Context(), d.District, d.Year)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	d.Plan, d.version = p, v
	return d
}

// link is the query of a link that keeps the chosen plan and adds a page's filter values.
func (d planData) link(filter url.Values) string {
	q := url.Values{"year": {strconv.Itoa(d.Year)}, "district": {d.District}}
	for k, v := range filter {
		q[k] = v
	}
	return "?" + q.Encode()
}

// pick is the request's query with the given parameters only: the filter of a page that has
// no filter type of its own yet.
func pick(r *http.Request, keys ...string) url.Values {
	all, q := r.URL.Query(), url.Values{}
	for _, k := range keys {
		if v := all.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// cachedContent serves a page whose content depends only on the plan's version, the page's
// filter values, the facts beside the plan it uses (membership, assignments) and the day
// (deadline lights), not on who reads it: the content is rendered once and kept in the fragment
// cache under those; build makes the page's data when it is not there. ok is false when build
// answered the request itself (a download). filter must hold every value the content depends
// on: a page's filter type gives them (xiezuo.ProjectFilter.Values).
func (s *Server) cachedContent(w http.ResponseWriter, r *http.Request, pd *planData, page string, filter url.Values, build func() (any, bool)) {
	q := filter
	key := strings.Join([]string{page, r.URL.Path, pd.District, strconv.Itoa(pd.Year), strconv.FormatInt(pd.version, 10), pd.facts, q.Encode(), s.today().Format(time.DateOnly)}, "\x00")
	if c, ok := s.frag.get(key); ok {
		b := pd.base
		b.Title = c.title
		s.renderParts(w, r, page, b, nil, c.gz)
		return
	}
	data, ok := build()
	if !ok {
		return
	}
	title, body, err := s.renderContent(page, data)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.frag.put(key, cachedPage{title, gzipBytes(body)})
	b := pd.base
	b.Title = title
	s.renderParts(w, r, page, b, body, nil)
}

// q is the query string that keeps the chosen plan.
func (d planData) q() string {
	return "?" + url.Values{"year": {strconv.Itoa(d.Year)}, "district": {d.District}}.Encode()
}

// Q is q for templates.
func (d planData) Q() string { return d.q() }

func unitHref(d *planData, name string) string { return "/units/" + url.PathEscape(name) + d.q() }

func regionHref(d *planData, name string) string { return "/regions/" + url.PathEscape(name) + d.q() }

// unitTags shows responsible units in order, the lead ones marked.
func unitTags(d *planData, rs []xiezuo.Responsibility, open bool) []tag {
	var tags []tag
	for _, r := range rs {
		t := tag{Text: r.Unit, Href: unitHref(d, r.Unit)}
		if r.Unit == xiezuo.GroupAllMembers {
			t.Href = "/group/members" + d.q() // the units it means
		}
		if r.Role == xiezuo.RoleLead {
			t.Class = "lead"
		}
		tags = append(tags, t)
	}
	if len(rs) == 0 {
		tags = append(tags, tag{Text: "未写明责任单位", Class: "missing"})
	}
	if open {
		tags = append(tags, tag{Text: "等"})
	}
	return tags
}

// dutyTags are the tags of a duty's responsible units (unitTags), followed, where the duty is
// given to 领导小组相关成员单位 and the office has named its units, by those units: what the
// page says is who has the duty now. Only a page that asked for the groups (Server.groups,
// which keys its cache on them) shows them.
func dutyTags(d *planData, rs []xiezuo.Responsibility, open bool, ref xiezuo.DutyRef) []tag {
	tags := unitTags(d, rs, open)
	if d.groups == nil || !slices.ContainsFunc(rs, func(r xiezuo.Responsibility) bool { return r.Unit == xiezuo.GroupRelatedMembers }) {
		return tags
	}
	if units := d.groups.Assigned[ref]; len(units) > 0 {
		tags = append(tags, tag{Text: "已交办："})
		for _, u := range units {
			tags = append(tags, tag{Text: u, Href: unitHref(d, u)})
		}
	}
	return tags
}

// lightRank orders lights on a unit's home page: red, yellow, then the others.
func lightRank(st xiezuo.DutyState) int {
	switch st.Light.Color {
	case xiezuo.LightRed:
		return 0
	case xiezuo.LightYellow:
		return 1
	}
	return 2
}

func (s *Server) today() time.Time { return s.cfg.Now().In(shanghai) }

// homeData is the home page: a unit's duties, or the office's overview of the year.
type homeData struct {
	planData
	Summary      xiezuo.Summary
	Duties       bool // show "my duties"
	Points       []dutyPointLight
	Tasks        []dutyTask
	Projects     []dutyProject
	Regions      []string
	Teams        []xiezuo.WorkTeam  // teams the user's unit leads
	TeamArticles []registerTeamView // their articles and typical cases of the year (registers.go)
	Upcoming     []dutyRow          // the board's red duties, then its yellow ones: every kind
	Uncovered    int                // duties nobody has yet: no responsible unit, or waiting to be assigned
	Unassigned   int                // of them, those given to 相关成员单位 and not yet assigned (待交办)
	ToAssign     []assignView       // the office's duties given to 相关成员单位 and not yet assigned (待交办)
	Assigned     []assignView       // and those assigned
	Catalogue    []string
	Notices      []noticeToDoRow // the supervision notices that ask something of the user today (xiezuo.NoticeToDo)
	Watch        *watchHome      // the watched rules' lights for those who read them (web/watch.go)
	Dash         *dashHome       // the key figures of the dashboard for those who read it (web/dashboard.go)
}

type dutyTask struct {
	Task  xiezuo.Task
	Role  xiezuo.DutyRole
	Light lightView
}

// dutyPointLight is a work point the user answers for, with its light and its duty page.
type dutyPointLight struct {
	Point xiezuo.WorkPoint
	Role  xiezuo.DutyRole
	Light lightView
	Href  string
}

// dutyProject is a project the user answers for, with its light and its duty page.
type dutyProject struct {
	Project xiezuo.Project
	Light   lightView
	Href    string
}

// assignView is a duty given to 相关成员单位: waiting for the office to name its units, or
// assigned (who named which units, and when).
type assignView struct {
	Ref    xiezuo.DutyRef
	What   string // 工作要点 or 任务
	Title  string
	Latest xiezuo.Assignment
	Draft  string // the units typed last time, when they were refused
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "home", "首页")
	if pd == nil {
		return
	}
	fig := s.derived.get(pd.Plan)
	d := homeData{planData: *pd, Summary: fig.summary}
	u := d.User
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
	if d.Notices, err = s.noticeToDo(r, pd, s.cfg.Now()); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Duties = u.HasAny(xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre) && !u.Has(xiezuo.RoleOffice)
	d.Title = "首页"
	if d.Duties {
		d.Title = "我的职责"
		// The duties the user reports on (xiezuo.Board.Mine: what ReportRole allows), as the to-do
		// list, the calendar and the API give them, each with its light.
		// Red first, then yellow, then the rest, in each list (work points, tasks, projects)
		// alike: what asks for attention comes first, in the plan's order within a colour.
		mine := slices.Clone(board.Mine(u))
		slices.SortStableFunc(mine, func(a, b xiezuo.DutyStatus) int { return lightRank(a.State) - lightRank(b.State) })
		for _, st := range mine {
			l, href := stateView(st.State), dutyHref(pd, st.Duty.Key)
			switch st.Duty.Key.Kind {
			case xiezuo.DutyPoint:
				if i := slices.IndexFunc(pd.Plan.Points, func(p xiezuo.WorkPoint) bool { return p.ID == st.Duty.Key.ID }); i >= 0 {
					d.Points = append(d.Points, dutyPointLight{pd.Plan.Points[i], st.Role, l, href})
				}
			case xiezuo.DutyTask:
				d.Tasks = append(d.Tasks, dutyTask{*st.Duty.Task, st.Role, l})
			case xiezuo.DutyProject:
				d.Projects = append(d.Projects, dutyProject{*st.Duty.Project, l, href})
			}
		}
		d.Regions = u.Regions
		d.Teams = xiezuo.UnitDuties(pd.Plan, u.Unit, g).Teams
		var names []string
		for _, t := range d.Teams {
			names = append(names, t.Name)
		}
		if d.TeamArticles, err = s.teamArticles(r, pd, names); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if u.Has(xiezuo.RoleOffice) && u.CanWriteDistrict(pd.District) {
		d.Catalogue = xiezuo.CatalogueUnits()
		for _, ref := range xiezuo.RelatedDuties(pd.Plan) {
			v := assignView{Ref: ref, Latest: g.Latest[ref]}
			if q := r.URL.Query(); q.Get("draft") == fmt.Sprintf("%s-%d", ref.Kind, ref.Number) {
				v.Draft = q.Get("units")
			}
			if ref.Kind == xiezuo.DutyPoint {
				v.What = "工作要点"
				for _, p := range pd.Plan.Points {
					if p.Number == ref.Number {
						v.Title = fmt.Sprintf("%d. %s", p.Number, p.Title)
					}
				}
			} else {
				v.What = "任务"
				for _, t := range pd.Plan.Tasks {
					if t.Number == ref.Number {
						v.Title = t.WorkItem + "／" + t.Category
					}
				}
			}
			if len(v.Latest.Units) == 0 {
				d.ToAssign = append(d.ToAssign, v)
			} else {
				d.Assigned = append(d.Assigned, v)
			}
		}
	}
	// The duties that ask for attention today, as the supervision page shows them: the red ones
	// (the longest overdue first), then the yellow ones (the soonest due first); work points,
	// tasks and projects alike. Only what is not done turns red.
	for _, st := range board.Red() {
		d.Upcoming = append(d.Upcoming, rowOf(pd, st))
	}
	var yellow []xiezuo.DutyStatus
	for _, st := range board.Duties {
		if st.State.Light.Color == xiezuo.LightYellow {
			yellow = append(yellow, st)
		}
	}
	sort.SliceStable(yellow, func(i, j int) bool { return yellow[i].State.Light.Days < yellow[j].State.Light.Days })
	for _, st := range yellow {
		d.Upcoming = append(d.Upcoming, rowOf(pd, st))
	}
	// Duties without a responsible unit, and those given to 相关成员单位 the office has not yet
	// named units for: both are duties nobody has yet.
	d.Unassigned = len(xiezuo.ToAssign(pd.Plan, g))
	d.Uncovered = fig.gaps + d.Unassigned
	if d.Watch, err = s.homeWatch(r, pd); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Dash, err = s.homeDashboard(r, pd, board); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", d)
}

type sectionView struct {
	Section xiezuo.Section
	Points  []pointView
}

type pointView struct {
	Point xiezuo.WorkPoint
	Units []tag
}

type planPageData struct {
	planData
	Sections []sectionView
}

func (s *Server) planPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "plan", "工作要点")
	if pd == nil {
		return
	}
	if wantsXLSX(r) {
		// The workbook keeps the document's words: the units named by the office are on the page.
		d := buildPlanPage(pd)
		t := table{Title: d.Title, Columns: []column{{Header: "部分"}, {Header: "序号", Num: true}, {Header: "工作要点"}, {Header: "责任单位"}, {Header: "出处"}}}
		for _, sec := range d.Sections {
			for _, p := range sec.Points {
				t.Rows = append(t.Rows, tableRow{Cells: []cell{textCell(sec.Section.Heading()), numCell(strconv.Itoa(p.Point.Number)), textCell(p.Point.Text), {Tags: p.Units}, textCell(where(p.Point.Pos))}})
			}
		}
		s.writeXLSX(w, r, t, d.Title)
		return
	}
	if _, err := s.groups(r, pd); err != nil {
		s.fail(w, r, err)
		return
	}
	s.cachedContent(w, r, pd, "plan", nil, func() (any, bool) { return buildPlanPage(pd), true })
}

// buildPlanPage arranges the work points in their sections.
func buildPlanPage(pd *planData) planPageData {
	d := planPageData{planData: *pd}
	d.Title = pd.Plan.Title
	if d.Title == "" {
		d.Title = fmt.Sprintf("%d年%s工作要点", d.Year, d.District)
	}
	bySection := map[int]int{}
	for _, sec := range pd.Plan.Sections {
		bySection[sec.Number] = len(d.Sections)
		d.Sections = append(d.Sections, sectionView{Section: sec})
	}
	for _, p := range pd.Plan.Points {
		i, ok := bySection[p.Section]
		if !ok {
			bySection[p.Section] = len(d.Sections)
			i = len(d.Sections)
			d.Sections = append(d.Sections, sectionView{})
		}
		d.Sections[i].Points = append(d.Sections[i].Points, pointView{p, dutyTags(pd, p.Units, p.UnitsOpen, xiezuo.DutyRef{Kind: xiezuo.DutyPoint, Number: p.Number})})
	}
	return d
}

type coverageRow struct {
	Point   xiezuo.WorkPoint
	Units   []tag
	Tasks   []coverageTask
	Missing bool
}

type coverageTask struct {
	Task  xiezuo.Task
	Units []tag
	How   xiezuo.LinkHow
}

type coverageData struct {
	planData
	Rows    []coverageRow
	Orphans []coverageTask // tasks no clause names
	Gaps    int
	// Unassigned counts the duties given to 相关成员单位 that wait for the office to name units.
	Unassigned int
	CanEdit    bool          // the office of the district corrects links
	Tasks      []xiezuo.Task // the tasks it may link
}

// coveragePage shows clause → tasks → units, how each task was linked to its clause, and every
// clause or task left without a unit; the office corrects links. The rule is xiezuo.Coverage.
func (s *Server) coveragePage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "plan", "责任覆盖")
	if pd == nil {
		return
	}
	f, err := s.facts.get(r.Context(), s.db, pd.District, pd.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	overrides := f.overrides
	g, err := s.groups(r, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	build := func() coverageData {
		d := buildCoverage(pd, overrides)
		d.Unassigned = len(xiezuo.ToAssign(pd.Plan, g))
		return d
	}
	if pd.User.Has(xiezuo.RoleOffice) && pd.User.CanWriteDistrict(pd.District) {
		// The office's page carries its forms to correct links: rendered for it alone.
		d := build()
		d.CanEdit, d.Tasks = true, pd.Plan.Tasks
		s.render(w, r, http.StatusOK, "coverage", d)
		return
	}
	// Everyone else reads the same page: rendered once per plan version and facts (pd.facts,
	// which s.groups filled with the corrections' count too).
	s.cachedContent(w, r, pd, "coverage", nil, func() (any, bool) { return build(), true })
}

func buildCoverage(pd *planData, overrides []xiezuo.CoverageOverride) coverageData {
	d := coverageData{planData: *pd}
	d.Title = "责任覆盖：工作要点 → 任务 → 单位"
	rows, orphans, gaps := xiezuo.Coverage(pd.Plan, overrides)
	for _, row := range rows {
		cr := coverageRow{Point: row.Point, Units: dutyTags(pd, row.Point.Units, row.Point.UnitsOpen, xiezuo.DutyRef{Kind: xiezuo.DutyPoint, Number: row.Point.Number}), Missing: row.Missing}
		for _, l := range row.Tasks {
			cr.Tasks = append(cr.Tasks, coverageTask{l.Task, dutyTags(pd, l.Task.Units, l.Task.UnitsOpen, xiezuo.DutyRef{Kind: xiezuo.DutyTask, Number: l.Task.Number}), l.How})
		}
		d.Rows = append(d.Rows, cr)
	}
	for _, t := range orphans {
		d.Orphans = append(d.Orphans, coverageTask{Task: t, Units: dutyTags(pd, t.Units, t.UnitsOpen, xiezuo.DutyRef{Kind: xiezuo.DutyTask, Number: t.Number})})
	}
	d.Gaps = gaps
	return d
}

type tableData struct {
	planData
	Table     table
	XLSX      string
	Filters   []filter
	Count     int
	PrintHref string // a print view with every column, when the table shows fewer
	Print     bool   // this is the print view
	// LiveXLSX downloads the project table with its live columns (status, start, money) as
	// of today (/watch offers other days). Empty on other tables.
	LiveXLSX string
}

// withFormat is a filter's values with format=xlsx, for the download link.
func withFormat(filter url.Values) url.Values {
	q := url.Values{"format": {"xlsx"}}
	for k, v := range filter {
		q[k] = v
	}
	return q
}

// filter is one drop-down of a list page's filter form.
type filter struct {
	Name, Label, Value string
	Options            []option
}

type option struct {
	Value, Label string
}

func options(values []string) []option {
	var o []option
	for _, v := range values {
		o = append(o, option{v, v})
	}
	return o
}

func appendUnique(list []string, v string) []string {
	if v == "" || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// showTable serves a list page: as a workbook for ?format=xlsx, otherwise as a page whose
// content, the same for every reader, comes from the fragment cache when it can.
func (s *Server) showTable(w http.ResponseWriter, r *http.Request, pd *planData, filter url.Values, build func() tableData) {
	if wantsXLSX(r) {
		d := build()
		s.writeXLSX(w, r, d.Table, fmt.Sprintf("%d年%s%s", d.Year, d.District, nonEmpty(d.Table.Official, d.Table.Title)))
		return
	}
	s.cachedContent(w, r, pd, "table", filter, func() (any, bool) {
		d := build()
		d.XLSX = r.URL.Path + pd.link(withFormat(filter))
		d.Title = d.Table.Title
		return d, true
	})
}

func (s *Server) teamsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "teams", "工作专班")
	if pd == nil {
		return
	}
	s.showTable(w, r, pd, nil, func() tableData {
		d := tableData{planData: *pd}
		d.Table = table{Title: "工作专班", Official: "支援合作工作专班", Columns: []column{{Header: "序号", Num: true}, {Header: "工作专班"}, {Header: "牵头部门"}, {Header: "说明"}, {Header: "出处"}}}
		for _, t := range pd.Plan.Teams {
			var tags []tag
			for _, l := range t.Leads {
				tags = append(tags, tag{Text: l, Class: "lead", Href: unitHref(pd, l)})
			}
			d.Table.Rows = append(d.Table.Rows, tableRow{Cells: []cell{numCell(strconv.Itoa(t.Number)), textCell(t.Name), {Tags: tags}, textCell(t.Note), textCell(where(t.Pos))}})
		}
		d.Count = len(pd.Plan.Teams)
		return d
	})
}

func (s *Server) unitsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "units", "单位")
	if pd == nil {
		return
	}
	g, err := s.groups(r, pd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showTable(w, r, pd, nil, func() tableData {
		d := tableData{planData: *pd}
		d.Table = table{Title: "单位", Columns: []column{{Header: "单位"}, {Header: "类别"}, {Header: "别称"}, {Header: "牵头工作要点", Unit: "条", Num: true}, {Header: "参与工作要点", Unit: "条", Num: true}, {Header: "任务", Unit: "项", Num: true}, {Header: "牵头项目", Unit: "个", Num: true}}}
		for _, u := range pd.Plan.Units {
			if u.Kind == xiezuo.KindGroup {
				continue // a collective name, not a unit: its duties are on its units' rows
			}
			var lead, coop int
			duties := xiezuo.UnitDuties(pd.Plan, u.Name, g)
			for _, p := range duties.Points {
				switch p.Role {
				case xiezuo.DutyLead:
					lead++
				case xiezuo.DutyCooperate, xiezuo.DutyMember:
					coop++
				}
			}
			tasks, projects := len(duties.Tasks), len(duties.Projects)
			kind := kindNames[u.Kind]
			if !u.Known {
				kind += "（新登记）"
			}
			d.Table.Rows = append(d.Table.Rows, tableRow{Cells: []cell{linkCell(u.Name, unitHref(pd, u.Name)), textCell(kind), textCell(strings.Join(u.Aliases, "、")),
				numCell(strconv.Itoa(lead)), numCell(strconv.Itoa(coop)), numCell(strconv.Itoa(tasks)), numCell(strconv.Itoa(projects))}})
		}
		d.Count = len(d.Table.Rows)
		return d
	})
}

var kindNames = map[string]string{
	xiezuo.KindOffice: "办公室", xiezuo.KindDepartment: "部门", xiezuo.KindTown: "镇街", xiezuo.KindCadre: "挂职干部",
	xiezuo.KindPartner: "协作地区单位", xiezuo.KindEnterprise: "企业", xiezuo.KindSocial: "群团和社会组织",
	xiezuo.KindSchool: "学校", xiezuo.KindHospital: "医院", xiezuo.KindGroup: "统称",
}

func (s *Server) regionsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "regions", "协作地区")
	if pd == nil {
		return
	}
	s.showTable(w, r, pd, nil, func() tableData {
		d := tableData{planData: *pd}
		sum := s.derived.get(pd.Plan).summary
		d.Table = table{Title: "协作地区", Columns: []column{{Header: "协作地区"}, {Header: "协作关系"}, {Header: "项目", Unit: "个", Num: true}, {Header: "项目总投资", Unit: "万元", Num: true}, {Header: "区级帮扶资金", Unit: "万元", Num: true}, {Header: "受益脱贫村", Unit: "个", Num: true}, {Header: "受益脱贫人口", Unit: "人", Num: true}, {Header: "吸纳脱贫人口", Unit: "人", Num: true}}}
		rel := map[string]string{}
		for _, reg := range pd.Plan.Regions {
			rel[reg.Name] = reg.Relation
		}
		for _, reg := range sum.Regions {
			relation := rel[reg.Name]
			if relation == "" {
				relation = "（未注明）"
			}
			d.Table.Rows = append(d.Table.Rows, tableRow{Cells: []cell{linkCell(reg.Name, regionHref(pd, reg.Name)), textCell(relation), numCell(strconv.Itoa(reg.Projects)),
				numCell(xiezuo.FormatWan(reg.TotalInvestmentYuan.V)), numCell(xiezuo.FormatWan(reg.DistrictFundYuan.V)), numCell(strconv.FormatInt(reg.BeneficiaryVillages, 10)),
				numCell(strconv.FormatInt(reg.BeneficiaryPeople, 10)), numCell(strconv.FormatInt(reg.EmployedPeople, 10))}})
		}
		t := sum.Totals
		d.Table.Rows = append(d.Table.Rows, tableRow{Class: "total", Cells: []cell{textCell("合计"), textCell(""), numCell(strconv.Itoa(sum.Projects)), numCell(xiezuo.FormatWan(t.TotalInvestmentYuan.V)),
			numCell(xiezuo.FormatWan(t.DistrictFundYuan.V)), numCell(strconv.FormatInt(t.BeneficiaryVillages, 10)), numCell(strconv.FormatInt(t.BeneficiaryPeople, 10)), numCell(strconv.FormatInt(t.EmployedPeople, 10))}})
		d.Count = len(sum.Regions)
		return d
	})
}

// tasksPage is the task list, filterable by unit, work item, category and deadline month.
func (s *Server) tasksPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "tasks", "任务清单")
	if pd == nil {
		return
	}
	q := pick(r, "unit", "item", "category", "month")
	unit, item, cat, month := q.Get("unit"), q.Get("item"), q.Get("category"), q.Get("month")
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
	s.showTable(w, r, pd, q, func() tableData {
		d := tableData{planData: *pd}
		d.Table = table{Title: "任务清单", Official: "支援合作工作任务清单", Columns: []column{{Header: "序号", Num: true}, {Header: "工作事项"}, {Header: "任务类别"}, {Header: "任务内容"}, {Header: "责任部门"}, {Header: "完成时限"}, {Header: "状态"}}}
		var units, items, cats []string
		for _, t := range pd.Plan.Tasks {
			items = appendUnique(items, t.WorkItem)
			cats = appendUnique(cats, t.Category)
			for _, u := range t.Units {
				units = appendUnique(units, u.Unit)
			}
			if unit != "" && xiezuo.UnitRole(t.Units, xiezuo.DutyRef{Kind: xiezuo.DutyTask, Number: t.Number}, unit, g) == xiezuo.DutyNone || item != "" && t.WorkItem != item || cat != "" && t.Category != cat || month != "" && !dueIn(t.Deadline, month) {
				continue
			}
			var content strings.Builder
			for i, req := range t.Requirements {
				if len(t.Requirements) > 1 {
					fmt.Fprintf(&content, "%d. ", req.Number)
				}
				content.WriteString(req.Text)
				if i < len(t.Requirements)-1 {
					content.WriteString("\n")
				}
			}
			_, l := taskLight(board, t, "")
			d.Table.Rows = append(d.Table.Rows, tableRow{Cells: []cell{numCell(strconv.Itoa(t.Number)), textCell(t.WorkItem), textCell(t.Category), textCell(content.String()),
				{Tags: unitTags(pd, t.Units, t.UnitsOpen)}, textCell(t.Deadline.Text), {Text: l.Text, Tags: nil}}})
		}
		var months []option
		for m := 1; m <= 12; m++ {
			months = append(months, option{strconv.Itoa(m), fmt.Sprintf("%d月", m)})
		}
		months = append(months, option{"open", "按计划推进（无固定日期）"})
		d.Filters = []filter{
			{"unit", "责任部门", unit, options(units)},
			{"item", "工作事项", item, options(items)},
			{"category", "任务类别", cat, options(cats)},
			{"month", "完成时限", month, months},
		}
		d.Count = len(d.Table.Rows)
		return d
	})
}

func dueIn(d xiezuo.Deadline, month string) bool {
	if month == "open" {
		return d.Open()
	}
	m, _ := strconv.Atoi(month)
	for _, due := range d.Dates {
		if int(due.Month) == m {
			return true
		}
	}
	return false
}
