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
	match := func(p xiezuo.Project) bool {
		return (region == "" || p.Region == region) && (cat == "" || p.Category == cat) && (lead == "" || p.LeadUnit == lead) && (nature == "" || p.Nature == nature)
	}
	filtered := region != "" || cat != "" || lead != "" || nature != ""
	if wantsXLSX(r) {
		var shown []xiezuo.Project
		for _, p := range pd.Plan.Projects {
			if match(p) {
				shown = append(shown, p)
			}
		}
		// The download is the official 附件3 workbook, which xiezuo check reads back; filtered,
		// its subtotals are computed from the rows kept.
		out := &xiezuo.Plan{Year: pd.Plan.Year, District: pd.Plan.District, Projects: shown, Regions: pd.Plan.Regions}
		// A stated subtotal holds for a group shown whole, as on the page.
		count := func(ps []xiezuo.Project, st xiezuo.Subtotal) int {
			n := 0
			for _, p := range ps {
				if (st.Level == xiezuo.LevelTotal || p.Region == st.Region) && (st.Level != xiezuo.LevelCategory || p.Category == st.Category && p.CategoryNumber == st.CategoryNumber) {
					n++
				}
			}
			return n
		}
		for _, st := range pd.Plan.Subtotals {
			if n := count(shown, st); n > 0 && n == count(pd.Plan.Projects, st) {
				out.Subtotals = append(out.Subtotals, st)
			}
		}
		var buf bytes.Buffer
		if err := xlsx.WriteProjects(&buf, out); err != nil {
			s.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(fmt.Sprintf("%d年%s支援合作项目计划表.xlsx", pd.Year, pd.District)))
		w.Write(buf.Bytes())
		return
	}
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
			if match(p) {
				shown = append(shown, p)
			}
		}
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
		// rowsFigure is a group's villages from its rows alone: exact when at most one row counts
		// any (then the largest is the distinct count), otherwise the least it can be.
		rowsFigure := func(rows []xiezuo.Project) villages {
			var vmax, vsum int64
			for _, p := range rows {
				vmax = max(vmax, p.Villages.V)
				vsum += p.Villages.V
			}
			return villages{vmax, vmax == vsum}
		}
		subtotal := func(label, class string, rows []xiezuo.Project, v villages) tableRow {
			var ti, df, people, employed int64
			for _, p := range rows {
				ti += p.TotalInvestment.V
				df += p.DistrictFund.V
				people += p.People.V
				employed += p.Employed.V
			}
			cells := []cell{textCell(fmt.Sprintf("%s（%d个）", label, len(rows))), textCell(""), textCell(""), textCell(""),
				numCell(xiezuo.FormatWan(ti)), numCell(xiezuo.FormatWan(df)), textCell(""), numCell(v.String()), numCell(strconv.FormatInt(people, 10)), numCell(strconv.FormatInt(employed, 10))}
			for len(cells) < len(projectColumns) {
				cells = append(cells, textCell(""))
			}
			return tableRow{Class: class, Cells: cells}
		}
		var regionRows []tableRow
		var regionFigures []villages
		for i := 0; i < len(shown); {
			reg := shown[i].Region
			j := i
			for j < len(shown) && shown[j].Region == reg {
				j++
			}
			group := shown[i:j]
			var inner []tableRow
			regionV := rowsFigure(group)
			var only *villages // the figure of the group's one category, when it has one
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
					cv := rowsFigure(group[k:m])
					if st := stated(xiezuo.LevelCategory, reg, c, n); st.Valid && m-k == all(func(p xiezuo.Project) bool { return p.Region == reg && p.Category == c && p.CategoryNumber == n }) {
						cv = villages{st.V, true}
					}
					// A category's distinct count is a lower bound for its region.
					regionV.v = max(regionV.v, cv.v)
					if k == 0 && m == len(group) {
						only = &cv
					}
					inner = append(inner, subtotal(label, "subtotal", group[k:m], cv))
				}
				for _, p := range group[k:m] {
					inner = append(inner, tableRow{Cells: []cell{
						numCell(strconv.Itoa(p.Number)), textCell(p.Name), textCell(p.Nature), textCell(p.Content),
						numCell(wanOf(p.TotalInvestment)), numCell(wanOf(p.DistrictFund)), textCell(p.FundUse),
						numCell(countOf(p.Villages)), numCell(countOf(p.People)), numCell(countOf(p.Employed)),
						textCell(p.Implementer), textCell(p.Managers), textCell(p.Period.Text), textCell(p.Benefit),
						{Tags: []tag{{Text: nonEmpty(p.LeadUnitWritten, p.LeadUnit), Href: unitHref(pd, p.LeadUnit)}}},
					}})
				}
				k = m
			}
			switch st := stated(xiezuo.LevelRegion, reg, "", 0); {
			case st.Valid && len(group) == all(func(p xiezuo.Project) bool { return p.Region == reg }):
				regionV = villages{st.V, true}
			case only != nil:
				regionV = *only // the rows shown are exactly one category
			}
			regionFigures = append(regionFigures, regionV)
			regionRows = append(regionRows, subtotal(reg, "subtotal", group, regionV))
			regionRows = append(regionRows, inner...)
			i = j
		}
		if len(shown) > 0 {
			// Regions share no village: the total is the sum of the region figures, exact when
			// each of them is, and otherwise at least that sum.
			total := villages{exact: true}
			for _, v := range regionFigures {
				total.v += v.v
				total.exact = total.exact && v.exact
			}
			if !filtered {
				for _, st := range pd.Plan.Subtotals {
					if st.Level == xiezuo.LevelTotal && st.Villages.Valid {
						total = villages{st.Villages.V, true}
					}
				}
			}
			d.Table.Rows = append(d.Table.Rows, subtotal("合计", "total", shown, total))
		}
		d.Table.Rows = append(d.Table.Rows, regionRows...)
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

// villages is a group's beneficiary villages: exact, or the least it can be (shown with ≥).
type villages struct {
	v     int64
	exact bool
}

func (v villages) String() string {
	if v.exact {
		return strconv.FormatInt(v.v, 10)
	}
	return "≥" + strconv.FormatInt(v.v, 10)
}
