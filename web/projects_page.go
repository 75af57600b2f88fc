package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/xlsx"
)

// projectColumns are the columns of 附件3, with their units in the header: the print view
// (?view=print) shows them all.
var projectColumns = []column{
	{Header: "序号", Num: true}, {Header: "项目名称"}, {Header: "建设性质"}, {Header: "建设规模和建设内容"},
	{Header: "项目总投资", Unit: "万元", Num: true}, {Header: "区级帮扶资金", Unit: "万元", Num: true}, {Header: "帮扶资金主要用途"},
	{Header: "受益脱贫村", Unit: "个", Num: true}, {Header: "受益脱贫人口", Unit: "人", Num: true}, {Header: "吸纳脱贫人口", Unit: "人", Num: true},
	{Header: "项目实施单位"}, {Header: "项目负责人"}, {Header: "开工竣工时间"}, {Header: "项目效益"}, {Header: "项目牵头单位"},
}

// projectShortColumns are the columns the screen shows: the figures and short columns, few
// enough that a phone shows each row as a card with its totals; the long texts are on each
// project's own page.
var projectShortColumns = []column{
	{Header: "序号", Num: true}, {Header: "项目名称"},
	{Header: "项目总投资", Unit: "万元", Num: true}, {Header: "区级帮扶资金", Unit: "万元", Num: true},
	{Header: "受益脱贫村", Unit: "个", Num: true}, {Header: "受益脱贫人口", Unit: "人", Num: true}, {Header: "吸纳脱贫人口", Unit: "人", Num: true},
	{Header: "项目牵头单位"},
}

// projectsPage is the project table: it decodes the filter, asks xiezuo.Rollup, and renders it
// as a page, the full 附件3 layout for print (?view=print), or the 附件3 workbook.
func (s *Server) projectsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "projects", "项目计划表")
	if pd == nil {
		return
	}
	f, err := xiezuo.ParseProjectFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if wantsXLSX(r) && r.URL.Query().Get("live") == "1" {
		s.liveWorkbook(w, r, pd, f) // with the live columns as of ?as_of= (web/watch.go)
		return
	}
	if wantsXLSX(r) {
		s.projectsWorkbook(w, r, pd, f)
		return
	}
	key, print := f.Values(), r.URL.Query().Get("view") == "print"
	if print {
		key.Set("view", "print")
	}
	s.showTable(w, r, pd, key, func() tableData { return projectsTable(pd, xiezuo.Rollup(pd.Plan, f), print) })
}

// projectsFileName names the download: a filtered one says its filter, so that it is never taken
// for the whole table.
func projectsFileName(pd *planData, f xiezuo.ProjectFilter) string {
	name := fmt.Sprintf("%d年%s支援合作项目计划表", pd.Year, pd.District)
	if !f.IsZero() {
		name += "（" + f.String() + "）"
	}
	return name + ".xlsx"
}

// projectsWorkbook sends the official 附件3 workbook, which xiezuo check reads back; filtered,
// groups the filter cuts have figures computed from the rows kept.
func (s *Server) projectsWorkbook(w http.ResponseWriter, r *http.Request, pd *planData, f xiezuo.ProjectFilter) {
	var buf bytes.Buffer
	if err := xlsx.WriteProjectTable(&buf, pd.Plan, xiezuo.Rollup(pd.Plan, f)); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(projectsFileName(pd, f)))
	w.Write(buf.Bytes())
}

// projectsTable lays the rollup out as the page shows it: a 合计 row, then each region's row
// and each category's row above its projects. print keeps every column of 附件3.
func projectsTable(pd *planData, t xiezuo.ProjectTable, print bool) tableData {
	d := tableData{planData: *pd, Count: t.Rows()}
	d.Table = table{Title: "项目计划表", Columns: projectShortColumns}
	if print {
		d.Table.Columns = projectColumns
		d.Print = true
	} else {
		q := t.Filter.Values()
		q.Set("view", "print")
		d.PrintHref = "/projects" + pd.link(q)
		live := t.Filter.Values()
		live.Set("format", "xlsx")
		live.Set("live", "1")
		d.LiveXLSX = "/projects" + pd.link(live)
	}
	group := func(g xiezuo.ProjectGroup, class string) {
		if g.HasRow() {
			d.Table.Rows = append(d.Table.Rows, groupRow(g, class, print))
		}
	}
	if t.Rows() > 0 {
		group(t.Total, "total")
	}
	for _, reg := range t.Regions {
		group(reg.ProjectGroup, "subtotal")
		for _, c := range reg.Categories {
			group(c, "subtotal")
			for _, p := range c.Projects {
				d.Table.Rows = append(d.Table.Rows, projectTableRow(pd, p, p.ID, print))
			}
		}
	}
	if !t.Filter.IsZero() {
		d.Table.Note = "按筛选条件统计：受益脱贫村是不重复的村数，分组被筛选拆开时显示为可能的范围“最少–最多”（“≥”表示有项目未填写）。"
	}
	d.Filters = []filter{
		{"region", "协作地区", t.Filter.Region, options(t.Options.Regions)},
		{"category", "项目类别", t.Filter.Category, options(t.Options.Categories)},
		{"lead", "项目牵头单位", t.Filter.LeadUnit, options(t.Options.LeadUnits)},
		{"nature", "建设性质", t.Filter.Nature, options(t.Options.Natures)},
	}
	return d
}

// projectKey tells one project row from another in a plan: its place in the document.
type projectKey struct {
	pos    xiezuo.Pos
	region string
	number int
	name   string
}

func keyOfProject(p xiezuo.Project) projectKey { return projectKey{p.Pos, p.Region, p.Number, p.Name} }

// groupRow is a 合计, region or category row: its label across the first columns, then the
// figures of xiezuo.Rollup (money and people summed over the rows shown, villages exact or a
// range).
func groupRow(g xiezuo.ProjectGroup, class string, print bool) tableRow {
	c := g.Computed
	figures := []cell{numCell(xiezuo.FormatWan(c.TotalInvestment.V)), numCell(xiezuo.FormatWan(c.DistrictFund.V))}
	people := []cell{numCell(g.Villages().String()), numCell(strconv.FormatInt(c.People.V, 10)), numCell(strconv.FormatInt(c.Employed.V, 10))}
	row := tableRow{Class: class, Span: 2, Cells: []cell{textCell(g.Label()), textCell("")}}
	if print {
		row.Span = 4
		row.Cells = append(row.Cells, textCell(""), textCell(""))
		row.Cells = append(append(append(row.Cells, figures...), textCell("")), people...)
		for len(row.Cells) < len(projectColumns) {
			row.Cells = append(row.Cells, textCell(""))
		}
		return row
	}
	row.Cells = append(append(append(row.Cells, figures...), people...), textCell(""))
	return row
}

func projectTableRow(pd *planData, p xiezuo.Project, id int64, print bool) tableRow {
	name := textCell(p.Name)
	if id != 0 {
		name = linkCell(p.Name, projectHref(pd, id))
	}
	lead := cell{Tags: []tag{{Text: nonEmpty(p.LeadUnitWritten, p.LeadUnit), Href: unitHref(pd, p.LeadUnit)}}}
	if !print {
		return tableRow{Cells: []cell{numCell(strconv.Itoa(p.Number)), name,
			numCell(wanOf(p.TotalInvestment)), numCell(wanOf(p.DistrictFund)),
			numCell(countOf(p.Villages)), numCell(countOf(p.People)), numCell(countOf(p.Employed)), lead}}
	}
	return tableRow{Cells: []cell{
		numCell(strconv.Itoa(p.Number)), name, textCell(p.Nature), textCell(p.Content),
		numCell(wanOf(p.TotalInvestment)), numCell(wanOf(p.DistrictFund)), textCell(p.FundUse),
		numCell(countOf(p.Villages)), numCell(countOf(p.People)), numCell(countOf(p.Employed)),
		textCell(p.Implementer), textCell(p.Managers), textCell(p.Period.Text), textCell(p.Benefit), lead,
	}}
}

// projectLinks are the pages of some of the plan's projects, in their order.
func projectLinks(pd *planData, projects []xiezuo.Project) []string {
	links := make([]string, len(projects))
	for i, p := range projects {
		if p.ID != 0 {
			links[i] = projectHref(pd, p.ID)
		}
	}
	return links
}

func projectHref(d *planData, id int64) string {
	return "/projects/" + strconv.FormatInt(id, 10) + d.q()
}

type projectPageData struct {
	planData
	Project xiezuo.Project
	Region  string // link to the region's page
	Lead    string // link to the lead unit's page
	Back    string // link to the table filtered to the project's region
	Contact contactView
	// RegionPage is the region's page, where the contact is kept and edited.
	RegionPage string
	Funds      projectFundsView // the money ledger (funds.go)
	Reach      reachView        // villages, results and assets (project_reach.go)
	Publish    publishBlock     // the public notice of the project (public.go)
	// Life is the project's life after the plan: status, steps, adjustments (project_life.go).
	Life *lifeView
}

// projectPage shows one project with all its columns, the long texts included.
func (s *Server) projectPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "projects", "项目")
	if pd == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为“%s”的项目", r.PathValue("id")))
		return
	}
	i, found := pd.Plan.ProjectIndex(id)
	if !found {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年%s的计划中没有编号为 %d 的项目", pd.Year, pd.District, id))
		return
	}
	s.renderProject(w, r, pd, pd.Plan.Projects[i], http.StatusOK, nil)
}

// renderProject shows project p of the plan pd shows, with status; form is the form of the
// next step as typed when a step was refused (project_life.go), nil otherwise.
func (s *Server) renderProject(w http.ResponseWriter, r *http.Request, pd *planData, p xiezuo.Project, status int, form *stepForm) {
	d := projectPageData{planData: *pd, Project: p, Region: regionHref(pd, p.Region), Lead: unitHref(pd, p.LeadUnit),
		Back: "/projects" + pd.link(xiezuo.ProjectFilter{Region: p.Region}.Values())}
	rows, err := s.projectContacts(r, pd, p.Region, []xiezuo.Project{p})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Contact, d.RegionPage = rows[0].Contact, regionHref(pd, p.Region)
	if d.Funds, err = s.projectFunds(r, pd, &p); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Reach, err = s.projectReach(r, pd, p); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Publish, err = s.publishBlockFor(r, pd, p.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Life, err = s.projectLife(r, pd, p, form); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Title = p.Name
	d.Path = "/projects/" + strconv.FormatInt(p.ID, 10)
	s.render(w, r, status, "project", d)
}

func wanOf(n xiezuo.Num) string {
	if !n.Valid {
		return ""
	}
	return xiezuo.FormatWan(n.V)
}

func countOf(n xiezuo.Num) string {
	if !n.Valid {
		return ""
	}
	return strconv.FormatInt(n.V, 10)
}

func nonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
