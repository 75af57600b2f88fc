package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"xiezuo"
)

// projectColumns are the columns of 附件3, with their units in the header.
var projectColumns = []column{
	{Header: "序号", Num: true}, {Header: "项目名称"}, {Header: "建设性质"}, {Header: "建设规模和建设内容"},
	{Header: "项目总投资", Unit: "万元", Num: true}, {Header: "区级帮扶资金", Unit: "万元", Num: true}, {Header: "帮扶资金主要用途"},
	{Header: "受益脱贫村", Unit: "个", Num: true}, {Header: "受益脱贫人口", Unit: "人", Num: true}, {Header: "吸纳脱贫人口", Unit: "人", Num: true},
	{Header: "项目实施单位"}, {Header: "项目负责人"}, {Header: "开工竣工时间"}, {Header: "项目效益"}, {Header: "项目牵头单位"},
}

// projectsPage is the project table laid out like 附件3: regions and categories with their
// subtotals, filterable by region, category, lead unit and nature. Subtotals are computed from
// the rows shown, so they always agree with the filter; villages are distinct counts, so a group
// shown whole keeps the figure its document states, and a group cut by the filter shows the
// least it can be (≥ the largest row).
func (s *Server) projectsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "projects", "项目计划表")
	if pd == nil {
		return
	}
	q := r.URL.Query()
	region, cat, lead, nature := q.Get("region"), q.Get("category"), q.Get("lead"), q.Get("nature")
	s.showTable(w, r, pd, func() tableData {
		d := tableData{planData: *pd}
		d.Table = table{Title: "项目计划表", Columns: projectColumns}
		var regions, cats, leads, natures []string
		var shown []xiezuo.Project
		for _, p := range pd.Plan.Projects {
			regions = appendUnique(regions, p.Region)
			cats = appendUnique(cats, p.Category)
			leads = appendUnique(leads, p.LeadUnit)
			natures = appendUnique(natures, p.Nature)
			if region != "" && p.Region != region || cat != "" && p.Category != cat || lead != "" && p.LeadUnit != lead || nature != "" && p.Nature != nature {
				continue
			}
			shown = append(shown, p)
		}
		filtered := region != "" || cat != "" || lead != "" || nature != ""
		stated := func(level xiezuo.Level, reg, category string, n int) xiezuo.Num {
			for _, st := range pd.Plan.Subtotals {
				if st.Level == level && st.Region == reg && st.Category == category && st.CategoryNumber == n {
					return st.Villages
				}
			}
			return xiezuo.Num{}
		}
		all := func(match func(xiezuo.Project) bool) int {
			n := 0
			for _, p := range pd.Plan.Projects {
				if match(p) {
					n++
				}
			}
			return n
		}
		subtotal := func(label, class string, rows []xiezuo.Project, whole bool, villages xiezuo.Num) tableRow {
			var ti, df, people, employed, vmax, vsum int64
			for _, p := range rows {
				ti += p.TotalInvestment.V
				df += p.DistrictFund.V
				people += p.People.V
				employed += p.Employed.V
				vmax = max(vmax, p.Villages.V)
				vsum += p.Villages.V
			}
			v := strconv.FormatInt(vmax, 10)
			switch {
			case whole && villages.Valid:
				v = strconv.FormatInt(villages.V, 10)
			case len(rows) > 1 && vmax != vsum:
				v = "≥" + v
			}
			cells := []cell{textCell(fmt.Sprintf("%s（%d个）", label, len(rows))), textCell(""), textCell(""), textCell(""),
				numCell(xiezuo.FormatWan(ti)), numCell(xiezuo.FormatWan(df)), textCell(""), numCell(v), numCell(strconv.FormatInt(people, 10)), numCell(strconv.FormatInt(employed, 10))}
			for len(cells) < len(projectColumns) {
				cells = append(cells, textCell(""))
			}
			return tableRow{Class: class, Cells: cells}
		}
		if len(shown) > 0 {
			var totalVillages xiezuo.Num
			for _, st := range pd.Plan.Subtotals {
				if st.Level == xiezuo.LevelTotal {
					totalVillages = st.Villages
				}
			}
			if !totalVillages.Valid && !filtered {
				totalVillages = xiezuo.Known(xiezuo.Summarize(pd.Plan).Totals.BeneficiaryVillages)
			}
			d.Table.Rows = append(d.Table.Rows, subtotal("合计", "total", shown, !filtered, totalVillages))
		}
		for i := 0; i < len(shown); {
			reg := shown[i].Region
			j := i
			for j < len(shown) && shown[j].Region == reg {
				j++
			}
			group := shown[i:j]
			whole := len(group) == all(func(p xiezuo.Project) bool { return p.Region == reg })
			d.Table.Rows = append(d.Table.Rows, subtotal(reg, "subtotal", group, whole, stated(xiezuo.LevelRegion, reg, "", 0)))
			for k := 0; k < len(group); {
				c, n := group[k].Category, group[k].CategoryNumber
				m := k
				for m < len(group) && group[m].Category == c && group[m].CategoryNumber == n {
					m++
				}
				if c != "" {
					label := c
					if n > 0 {
						label = fmt.Sprintf("%d. %s", n, c)
					}
					cwhole := m-k == all(func(p xiezuo.Project) bool { return p.Region == reg && p.Category == c && p.CategoryNumber == n })
					d.Table.Rows = append(d.Table.Rows, subtotal(label, "subtotal", group[k:m], cwhole, stated(xiezuo.LevelCategory, reg, c, n)))
				}
				for _, p := range group[k:m] {
					d.Table.Rows = append(d.Table.Rows, tableRow{Cells: []cell{
						numCell(strconv.Itoa(p.Number)), textCell(p.Name), textCell(p.Nature), textCell(p.Content),
						numCell(wanOf(p.TotalInvestment)), numCell(wanOf(p.DistrictFund)), textCell(p.FundUse),
						numCell(countOf(p.Villages)), numCell(countOf(p.People)), numCell(countOf(p.Employed)),
						textCell(p.Implementer), textCell(p.Managers), textCell(p.Period.Text), textCell(p.Benefit),
						{Tags: []tag{{Text: nonEmpty(p.LeadUnitWritten, p.LeadUnit), Href: unitHref(pd, p.LeadUnit)}}},
					}})
				}
				k = m
			}
			i = j
		}
		if filtered {
			d.Table.Note = "按筛选条件统计：受益脱贫村是不重复的村数，分组被筛选拆开时显示为“≥”其中最大的项目数。"
		}
		d.Filters = []filter{
			{"region", "协作地区", region, options(regions)},
			{"category", "项目类别", cat, options(cats)},
			{"lead", "项目牵头单位", lead, options(leads)},
			{"nature", "建设性质", nature, options(natures)},
		}
		d.Count = len(shown)
		return d
	})
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
