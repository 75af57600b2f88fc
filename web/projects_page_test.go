package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/plandoc"
)

// totalRow reads the figures of a project page's 合计 row: 项目总投资, 区级帮扶资金, 受益脱贫村,
// 受益脱贫人口, 吸纳脱贫人口.
func totalRow(t *testing.T, body string) []string {
	t.Helper()
	m := regexp.MustCompile(`<tr class="total"><td colspan="2" class="label">合计（\d+个）</td>((?:<td[^>]*>[^<]*</td>){5})`).FindStringSubmatch(body)
	if m == nil {
		return nil
	}
	var out []string
	for _, c := range regexp.MustCompile(`<td[^>]*>([^<]*)</td>`).FindAllStringSubmatch(m[1], -1) {
		out = append(out, c[1])
	}
	return out
}

// TestRollupAgrees: for every filter of the project table, over the 2021 plan and a generated
// plan, the page's 合计 row, the API's totals, the 附件3 workbook read back by the checker (with
// no error), and the summary of a region give the same figures as xiezuo.Rollup.
func TestRollupAgrees(t *testing.T) {
	e := newEnv(t)
	generated := gen.Plan(gen.Options{Seed: 7, District: "门头沟区", Year: 2022, Regions: 4, Projects: 30, Points: 3, Tasks: 3, Teams: 2})
	doc := gen.Markdown(generated)
	res, err := plandoc.Parse(gen.FileName(generated, ".md"), doc)
	if err != nil || !res.OK() {
		t.Fatalf("parse generated plan: %v %v", err, res.Errors)
	}
	if _, err := e.db.ImportPlan(t.Context(), res.Plan, doc); err != nil {
		t.Fatal(err)
	}
	c := e.signIn("office")
	for _, year := range []int{2021, 2022} {
		plan, err := e.db.LoadPlan(t.Context(), "门头沟区", year)
		if err != nil {
			t.Fatal(err)
		}
		all := xiezuo.Rollup(plan, xiezuo.ProjectFilter{})
		filters := []xiezuo.ProjectFilter{{}}
		for _, v := range all.Options.Regions {
			filters = append(filters, xiezuo.ProjectFilter{Region: v})
		}
		for _, v := range all.Options.Categories {
			filters = append(filters, xiezuo.ProjectFilter{Category: v})
		}
		for _, v := range all.Options.LeadUnits {
			filters = append(filters, xiezuo.ProjectFilter{LeadUnit: v})
		}
		for _, v := range all.Options.Natures {
			filters = append(filters, xiezuo.ProjectFilter{Nature: v}, xiezuo.ProjectFilter{Region: all.Options.Regions[0], Nature: v})
		}
		sum := xiezuo.Summarize(plan)
		for _, f := range filters {
			tb := xiezuo.Rollup(plan, f)
			if tb.Rows() == 0 {
				continue
			}
			g := tb.Total
			v := g.Villages()
			name := strconv.Itoa(year) + " " + f.Values().Encode()
			q := "year=" + strconv.Itoa(year) + "&district=" + url.QueryEscape("门头沟区") + "&" + f.Values().Encode()

			want := []string{xiezuo.FormatWan(g.Computed.TotalInvestment.V), xiezuo.FormatWan(g.Computed.DistrictFund.V), v.String(),
				strconv.FormatInt(g.Computed.People.V, 10), strconv.FormatInt(g.Computed.Employed.V, 10)}
			if got := totalRow(t, c.get("/projects?"+q).body); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: page 合计 = %v, want %v", name, got, want)
			}

			r := c.get("/api/v1/plans/" + url.PathEscape("门头沟区") + "/" + strconv.Itoa(year) + "/projects?" + f.Values().Encode())
			var api struct {
				Total  int       `json:"total"`
				Totals apiTotals `json:"totals"`
			}
			if err := json.Unmarshal([]byte(r.body), &api); err != nil {
				t.Fatalf("%s: API answer %d %s: %v", name, r.StatusCode, excerpt(r.body), err)
			}
			at := api.Totals
			if api.Total != tb.Rows() || at.TotalInvestmentYuan.V != g.Computed.TotalInvestment.V || at.DistrictFundYuan.V != g.Computed.DistrictFund.V ||
				at.Villages != v.Min || at.People != g.Computed.People.V || at.Employed != g.Computed.Employed.V || (at.VillagesMax == nil) != v.Open || at.VillagesMax != nil && *at.VillagesMax != v.Max {
				t.Errorf("%s: API = %d projects %+v, want %d projects, villages %v", name, api.Total, at, tb.Rows(), v)
			}

			r = c.get("/projects?" + q + "&format=xlsx")
			back, err := plandoc.Parse("download.xlsx", []byte(r.body))
			if err != nil || !back.OK() {
				t.Errorf("%s: the checker refuses the download: %v %v", name, err, back.Errors)
				continue
			}
			bs := xiezuo.Summarize(back.Plan)
			if bs.Year != year || bs.District != "门头沟区" || bs.Projects != tb.Rows() || bs.Totals.TotalInvestmentYuan.V != g.Computed.TotalInvestment.V ||
				bs.Totals.DistrictFundYuan.V != g.Computed.DistrictFund.V || bs.Totals.BeneficiaryVillages != v.Min ||
				bs.Totals.BeneficiaryPeople != g.Computed.People.V || bs.Totals.EmployedPeople != g.Computed.Employed.V {
				t.Errorf("%s: workbook read back = %d %s %d projects %+v, want villages %v", name, bs.Year, bs.District, bs.Projects, bs.Totals, v)
			}

			if f.IsZero() {
				st := sum.Totals
				if st.TotalInvestmentYuan.V != g.Computed.TotalInvestment.V || st.BeneficiaryVillages != v.Min || st.BeneficiaryPeople != g.Computed.People.V {
					t.Errorf("%d: Summarize totals = %+v, want villages %v", year, st, v)
				}
			}
			if f.Region != "" && f.Nature == "" {
				for _, rs := range sum.Regions {
					if rs.Name == f.Region && (rs.Projects != tb.Rows() || rs.DistrictFundYuan.V != g.Computed.DistrictFund.V || rs.BeneficiaryVillages != v.Min || rs.EmployedPeople != g.Computed.Employed.V) {
						t.Errorf("%s: Summarize region = %+v, want villages %v", name, rs, v)
					}
				}
			}
		}
	}
}

// TestProjectFilterSplitsCache: the page and the API key their cache on the filter's values, so
// a filter value (here lead_unit, the API's older name of lead) never gets a page cached for
// another.
func TestProjectFilterSplitsCache(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	base := "/projects?year=2021&district=" + url.QueryEscape("门头沟区")
	api := "/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/projects"
	for _, units := range [][2]string{{"区农业农村局", "区人力社保局"}, {"区人力社保局", "区农业农村局"}} {
		for _, u := range units {
			body := c.get(base + "&lead_unit=" + url.QueryEscape(u)).body
			for _, other := range units {
				shown := strings.Contains(body, `">`+other+`</a></td></tr>`)
				if shown != (other == u) {
					t.Errorf("page with lead_unit=%s shows %s's projects: %v", u, other, shown)
				}
			}
			var got struct {
				Projects []apiProject `json:"projects"`
			}
			if err := json.Unmarshal([]byte(c.get(api+"?lead_unit="+url.QueryEscape(u)).body), &got); err != nil {
				t.Fatal(err)
			}
			for _, p := range got.Projects {
				if p.LeadUnit != u {
					t.Errorf("API with lead_unit=%s lists a project of %s", u, p.LeadUnit)
				}
			}
		}
	}
	// The page and the API take the same names.
	page, apiBody := c.get(base+"&lead="+url.QueryEscape("区农业农村局")).body, c.get(api+"?lead="+url.QueryEscape("区农业农村局")).body
	if strings.Contains(page, `">区人力社保局</a></td></tr>`) || strings.Contains(apiBody, `"lead_unit":"区人力社保局"`) {
		t.Errorf("lead=区农业农村局 shows other units' projects")
	}
}

// TestProjectFilterRefused: a bad filter value is refused with a message for the user, on the
// page and in the API, never a 500.
func TestProjectFilterRefused(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	q := "region=" + url.QueryEscape("神农架林区") + "&region=" + url.QueryEscape("内蒙古武川县")
	r := c.get("/projects?year=2021&district=" + url.QueryEscape("门头沟区") + "&" + q)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "只能选一个") {
		t.Errorf("page with two regions = %d %s", r.StatusCode, excerpt(r.body))
	}
	r = c.get("/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/projects?" + q)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, `"code":"invalid"`) {
		t.Errorf("API with two regions = %d %s", r.StatusCode, excerpt(r.body))
	}
}

// TestProjectPage: the table shows figures and short columns, each name a link to the project's
// own page with the long texts; the print view keeps the 15 columns of 附件3.
func TestProjectPage(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("leader")
	base := "/projects?year=2021&district=" + url.QueryEscape("门头沟区")
	body := c.get(base).body
	if strings.Contains(body, "帮扶资金主要用途") || strings.Contains(body, "<th>项目效益</th>") {
		t.Errorf("the project table shows its long columns")
	}
	links := regexp.MustCompile(`<a href="(/projects/\d+\?[^"]+)">([^<]+)</a>`).FindAllStringSubmatch(body, -1)
	if len(links) != 16 {
		t.Fatalf("project table has %d project links, want 16", len(links))
	}
	for _, l := range links[:3] {
		href := strings.ReplaceAll(l[1], "&amp;", "&")
		r := c.get(href)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, l[2]) || !strings.Contains(r.body, "项目效益") || !strings.Contains(r.body, "帮扶资金主要用途") {
			t.Errorf("GET %s = %d %s", href, r.StatusCode, excerpt(r.body))
		}
	}
	print := c.get(base + "&view=print").body
	for _, h := range []string{"帮扶资金主要用途", "项目效益", "建设规模和建设内容", "项目实施单位"} {
		if !strings.Contains(print, "<th>"+h) {
			t.Errorf("print view lacks the column %s", h)
		}
	}
	if !strings.Contains(body, "view=print") {
		t.Errorf("the table has no link to its print view")
	}
	for _, bad := range []string{"/projects/0", "/projects/abc", "/projects/99999"} {
		if r := c.get(bad + "?year=2021&district=" + url.QueryEscape("门头沟区")); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", bad, r.StatusCode)
		}
	}
}

// TestProjectPageShowsContact: a project's own page shows its contact (phone masked) once the
// region's page has recorded it.
func TestProjectPageShowsContact(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	name := firstProject(t, e, "内蒙古武川县")
	if r := office.post("/regions/"+url.PathEscape("内蒙古武川县")+"/contact"+q, url.Values{"project": {name}, "name": {"武联系"}, "phone": {"13812345678"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the project's contact = %d %s", r.StatusCode, excerpt(r.body))
	}
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, p := range plan.Projects {
		if p.Name == name {
			id = p.ID
		}
	}
	body := e.signIn("leader").get("/projects/" + strconv.FormatInt(id, 10) + q).body
	if !strings.Contains(body, "武联系") || !strings.Contains(body, "138****5678") || strings.Contains(body, "13812345678") {
		t.Errorf("project page does not show its contact masked: %s", excerpt(body))
	}
}

// TestFilteredVillages: a region shown whole keeps its stated distinct count, in its row and in
// the total; a region cut by the filter shows the least it can be, never less than a category
// of it shown whole.
func TestFilteredVillages(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	figure := func(body, label string) string {
		m := regexp.MustCompile(`<tr class="(?:total|subtotal)"><td colspan="2" class="label">` + regexp.QuoteMeta(label) + `</td>(?:<td[^>]*>[^<]*</td>){2}<td[^>]*>([^<]*)</td>`).FindStringSubmatch(body)
		if m == nil {
			return "(no row " + label + ")"
		}
		return m[1]
	}
	base := "/projects?year=2021&district=" + url.QueryEscape("门头沟区")
	body := c.get(base + "&region=" + url.QueryEscape("神农架林区")).body
	if got := figure(body, "合计（2个）"); got != "67" {
		t.Errorf("合计 of 神农架林区 alone = %q, want 67", got)
	}
	body = c.get(base + "&lead=" + url.QueryEscape("区科技和信息化局")).body
	if got := figure(body, "西藏拉萨堆龙德庆区（2个）"); got != "2" {
		t.Errorf("西藏 filtered to 区科技和信息化局 = %q, want 2 (its 产业合作类 shown whole states 2)", got)
	}
	if got := figure(body, "内蒙古武川县（1个）"); got != "1" {
		t.Errorf("武川 filtered to one project = %q, want 1", got)
	}
	body = c.get(base).body
	if got := figure(body, "合计（16个）"); got != "145" {
		t.Errorf("unfiltered 合计 = %q, want 145", got)
	}
}

// TestProjectsDownloadReadsBack: the project table's download is the 附件3 workbook that the
// checker reads back with the same totals.
func TestProjectsDownloadReadsBack(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("leader")
	r := c.get("/projects?year=2021&district=" + url.QueryEscape("门头沟区") + "&format=xlsx")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("download = %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	res, err := plandoc.Parse("download.xlsx", []byte(r.body))
	if err != nil || !res.OK() {
		t.Fatalf("check of the download: %v %v", err, res.Errors)
	}
	s := res.Summary()
	if s.Year != 2021 || s.District != "门头沟区" || s.Projects != 16 || s.Totals.DistrictFundYuan.V != 560_500_000 || s.Totals.BeneficiaryVillages != 145 {
		t.Errorf("download read back = %d %s %d projects, fund %v, villages %d", s.Year, s.District, s.Projects, s.Totals.DistrictFundYuan, s.Totals.BeneficiaryVillages)
	}
}

// TestFilteredDownloadKeepsWholeGroups: a filtered workbook keeps the stated villages of the
// groups it shows whole, as the page does; the total of regions cut by a filter is at least the
// sum of theirs.
func TestFilteredDownloadKeepsWholeGroups(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("leader")
	base := "/projects?year=2021&district=" + url.QueryEscape("门头沟区")
	r := c.get(base + "&region=" + url.QueryEscape("内蒙古武川县") + "&format=xlsx")
	res, err := plandoc.Parse("w.xlsx", []byte(r.body))
	if err != nil || !res.OK() {
		t.Fatalf("filtered download: %v %v", err, res.Errors)
	}
	var got int64 = -1
	for _, st := range res.Plan.Subtotals {
		if st.Level == xiezuo.LevelCategory && st.Category == "产业合作类" {
			got = st.Villages.V
		}
	}
	if got != 4 {
		t.Errorf("产业合作类 villages in the filtered workbook = %d, want the stated 4", got)
	}
	body := c.get(base + "&nature=" + url.QueryEscape("新建")).body
	m := regexp.MustCompile(`<td colspan="2" class="label">合计（\d+个）</td>(?:<td[^>]*>[^<]*</td>){2}<td[^>]*>([^<]*)</td>`).FindStringSubmatch(body)
	if m == nil || !strings.HasPrefix(m[1], "145–") {
		t.Errorf("合计 of the 新建 projects = %v, want 145–…", m)
	}
}
