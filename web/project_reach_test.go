package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// reachProjects are two projects of 内蒙古武川县 in the test plan.
func reachProjects(t *testing.T, e *env) (a, b xiezuo.Project) {
	t.Helper()
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	var ps []xiezuo.Project
	for _, p := range plan.Projects {
		if p.Region == "内蒙古武川县" {
			ps = append(ps, p)
		}
	}
	if len(ps) < 2 {
		t.Fatalf("the test plan has %d projects in 内蒙古武川县", len(ps))
	}
	return ps[2], ps[3] // 西乌兰不浪镇红山子村养殖产业扶持项目, 得胜沟乡大路耗村标准化养殖场项目
}

func reachPath(p xiezuo.Project, sub string) string {
	return "/projects/" + strconv.FormatInt(p.ID, 10) + sub + "?year=2021&district=" + url.QueryEscape("门头沟区")
}

// TestProjectVillagesForm: the cadre of 内蒙古武川县 names villages of a project: a name the
// register has is stored with its code; a misspelt one is not stored but offered the nearest
// names, of which one is chosen; another is kept as written; one is removed. The region's
// results count the same village under two projects once.
func TestProjectVillagesForm(t *testing.T) {
	e := newEnv(t)
	a, b := reachProjects(t, e)
	c := e.signIn("wuchuan")
	post := func(p xiezuo.Project, sub string, form url.Values) response {
		t.Helper()
		r := c.post(reachPath(p, sub), form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s %v = %d: %s", sub, form, r.StatusCode, excerpt(r.body))
		}
		return r
	}
	post(a, "/villages", url.Values{"name": {"西乌兰不浪镇红山子村"}})
	r := post(a, "/villages", url.Values{"name": {"红山字村"}})
	loc := r.Header.Get("Location")
	if !strings.Contains(loc, "village=") {
		t.Fatalf("a name the register lacks redirects to %s, want the page asking with village=", loc)
	}
	facts, _ := e.db.ProjectVillages(t.Context(), a.ID)
	if len(facts) != 1 {
		t.Fatalf("after a misspelt name the project has %d facts, want 1 (nothing stored)", len(facts))
	}
	ask := c.get(loc)
	if !strings.Contains(ask.body, "区划库中没有“红山字村”") || !strings.Contains(ask.body, `name="code" value="150125102207"`) || !strings.Contains(ask.body, "按原文“红山字村”保留") {
		t.Fatalf("the page asking about 红山字村 does not offer 红山子 and keeping it: %s", excerpt(ask.body))
	}
	post(a, "/villages", url.Values{"code": {"150125101205"}}) // a choice: 根根渠
	post(a, "/villages", url.Values{"name": {"新建移民村"}, "keep": {"1"}})
	post(a, "/villages/remove", url.Values{"code": {"150125101205"}, "name": {"根根渠村民委员会"}})
	post(b, "/villages", url.Values{"name": {"红山子村"}})
	page := c.get(reachPath(a, ""))
	for _, want := range []string{"红山子村民委员会", "西乌兰不浪镇", "新建移民村", "区划库中没有，按原文保留", "受益村（2 个）"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("project page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "根根渠村民委员会") {
		t.Errorf("project page still shows the removed 根根渠")
	}
	// Adding a village twice is refused with a message, nothing stored.
	r = post(a, "/villages", url.Values{"name": {"红山子"}})
	if back := c.get(r.Header.Get("Location")); !strings.Contains(back.body, "已登记受益村“红山子村民委员会”") {
		t.Errorf("adding 红山子 twice does not say it is there: %s", excerpt(back.body))
	}
	facts, _ = e.db.ProjectVillages(t.Context(), a.ID)
	if len(facts) != 4 {
		t.Errorf("project a has %d village facts, want 4", len(facts))
	}
	// As of a day before anything was named, the page shows none.
	if old := c.get(reachPath(a, "") + "&as_of=2021-08-01"); !strings.Contains(old.body, "尚未登记受益村") {
		t.Errorf("project page as of 2021-08-01 shows villages")
	}
	// The region: 红山子 under a and b, 新建移民村 under a: 2 distinct where a sum would say 3.
	reg := c.get("/regions/" + url.PathEscape("内蒙古武川县") + "/results?year=2021&district=" + url.QueryEscape("门头沟区"))
	if reg.StatusCode != http.StatusOK {
		t.Fatalf("region results = %d: %s", reg.StatusCode, excerpt(reg.body))
	}
	if !strings.Contains(reg.body, `data-label="受益村（个）">53／≥2</td>`) {
		t.Errorf("region results total villages: want planned 53 and actual at least 2 (others silent): %s", excerpt(reg.body))
	}
}

// TestProjectResultsForm: a figure reported is shown against the plan's; a bad one is refused.
func TestProjectResultsForm(t *testing.T) {
	e := newEnv(t)
	a, _ := reachProjects(t, e)
	c := e.signIn("office")
	r := c.post(reachPath(a, "/results"), url.Values{"kind": {"poor_employed"}, "value": {"12"}, "on": {"2021-08-20"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST result = %d: %s", r.StatusCode, excerpt(r.body))
	}
	r = c.post(reachPath(a, "/results"), url.Values{"kind": {"people"}, "value": {"5"}, "on": {"2021-08-29"}})
	if back := c.get(r.Header.Get("Location")); !strings.Contains(back.body, "晚于今天") {
		t.Errorf("a result dated tomorrow is not refused: %s", excerpt(back.body))
	}
	rs, _ := e.db.ProjectResults(t.Context(), a.ID)
	if len(rs) != 1 {
		t.Fatalf("stored results = %d, want 1", len(rs))
	}
	page := c.get(reachPath(a, ""))
	planned := a.Employed.V
	want := `<td class="num" data-label="计划">` + strconv.FormatInt(planned, 10) + ` 人</td><td class="num" data-label="实际">12 人`
	if !strings.Contains(page.body, want) {
		t.Errorf("project page lacks employed planned against actual %q", want)
	}
	if !strings.Contains(page.body, `data-label="实际"><span class="muted">未报</span>`) {
		t.Errorf("a figure never reported is not shown as 未报")
	}
	// Who reported is named as every list names people: 姓名（单位）.
	if !strings.Contains(page.body, `data-label="登记人">王办公（领导小组办公室）</td>`) {
		t.Errorf("the results list does not name who reported as 王办公（领导小组办公室）")
	}
}

// TestProjectAssets: assets registered through the API and the form, corrected, listed on the
// register page by region, kind and owner as of a day, and downloaded as a workbook.
func TestProjectAssets(t *testing.T) {
	e := newEnv(t)
	a, b := reachProjects(t, e)
	api := tokenOf(t, e, "office")
	body := `{"kind": "经营性资产", "name": "肉牛养殖圈舍", "value_yuan": "100000.50", "quantity": 2, "unit": "座", "owner": "红山子村集体经济合作社", "handover_on": "2021-08-10", "upkeep": "合作社负责管护"}`
	r := api.call(http.MethodPost, "/api/v1/projects/"+strconv.FormatInt(a.ID, 10)+"/assets", body)
	if r.StatusCode != http.StatusCreated || !strings.Contains(r.body, `"value_yuan":100000.5`) || !strings.Contains(r.body, `"supersedes":null`) {
		t.Fatalf("POST asset = %d %s", r.StatusCode, r.body)
	}
	for _, bad := range []string{
		strings.Replace(body, `"owner": "红山子村集体经济合作社"`, `"owner": ""`, 1),
		strings.Replace(body, `"value_yuan": "100000.50"`, `"value_yuan": "1.234"`, 1),
		strings.Replace(body, `"2021-08-10"`, `"2021-09-01"`, 1),
	} {
		if r := api.call(http.MethodPost, "/api/v1/projects/"+strconv.FormatInt(a.ID, 10)+"/assets", bad); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("POST bad asset = %d %s, want 422", r.StatusCode, r.body)
		}
	}
	*e.clock = e.clock.AddDate(0, 0, 13) // 2021-09-10
	c := e.signIn("office")
	form := url.Values{"kind": {"公益性资产"}, "name": {"标准化养殖场"}, "value_yuan": {"500000"}, "quantity": {"1"}, "unit": {"座"},
		"owner": {"大路耗村委会"}, "handover_on": {"2021-09-05"}, "upkeep": {"村委会管护"}}
	if r := c.post(reachPath(b, "/assets"), form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST asset form = %d %s", r.StatusCode, excerpt(r.body))
	}
	as, _ := e.db.PlanAssets(t.Context(), "门头沟区", 2021)
	if len(as) != 2 {
		t.Fatalf("stored assets = %d, want 2", len(as))
	}
	form.Set("value_yuan", "480000")
	form.Set("supersedes", strconv.FormatInt(as[1].ID, 10))
	if r := c.post(reachPath(b, "/assets"), form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST correction = %d %s", r.StatusCode, excerpt(r.body))
	}
	list := func(q string) string {
		t.Helper()
		r := c.get("/assets?year=2021&district=" + url.QueryEscape("门头沟区") + q)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET /assets%s = %d %s", q, r.StatusCode, excerpt(r.body))
		}
		return r.body
	}
	all := list("")
	if !strings.Contains(all, "共 2 项") || !strings.Contains(all, "480000") || strings.Contains(all, ">500000<") {
		t.Errorf("asset register: want 2 assets with the corrected value only: %s", excerpt(all))
	}
	if got := list("&kind=" + url.QueryEscape("公益性资产")); !strings.Contains(got, "共 1 项") {
		t.Errorf("filtered by kind: want 1 asset")
	}
	if got := list("&owner=" + url.QueryEscape("合作社")); !strings.Contains(got, "肉牛养殖圈舍") || strings.Contains(got, "标准化养殖场") {
		t.Errorf("filtered by owner 合作社: want 肉牛养殖圈舍 only")
	}
	if got := list("&as_of=2021-08-29"); !strings.Contains(got, "共 1 项") || !strings.Contains(got, "肉牛养殖圈舍") {
		t.Errorf("as of 2021-08-29 (before the second asset): want 1 asset")
	}
	if got := list("&as_of=2021-08-27"); !strings.Contains(got, "共 0 项") {
		t.Errorf("as of 2021-08-27 (before anything was recorded): want none")
	}
	r = c.get("/assets?year=2021&district=" + url.QueryEscape("门头沟区") + "&format=xlsx&region=" + url.QueryEscape("内蒙古武川县"))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("xlsx = %d", r.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 5 || !strings.HasPrefix(rows[0][0], "2021年门头沟区支援合作帮扶资产台账（内蒙古武川县）") {
		t.Fatalf("workbook rows %v: want the title naming year and district, the header, 2 assets and the total", rows)
	}
	if !slices.Equal(rows[1][:5], []string{"协作地区", "项目名称", "资产类别", "资产名称", "资产价值（元）"}) {
		t.Errorf("workbook header = %v", rows[1])
	}
	if rows[2][3] != "肉牛养殖圈舍" || rows[2][4] != "100000.5" || rows[3][4] != "480000" {
		t.Errorf("workbook rows = %v %v", rows[2], rows[3])
	}
	ar := api.call(http.MethodGet, "/api/v1/plans/"+url.PathEscape("门头沟区")+"/2021/assets?kind="+url.QueryEscape("公益性资产"), "")
	if ar.StatusCode != http.StatusOK || !strings.Contains(ar.body, `"value_yuan":480000`) || strings.Count(ar.body, `"id"`) != 1 {
		t.Errorf("GET assets API = %d %s", ar.StatusCode, ar.body)
	}
}

// TestProjectReachRefused: a cadre of another region may write none of a project's facts: 403,
// nothing stored; a leader neither.
func TestProjectReachRefused(t *testing.T) {
	e := newEnv(t)
	a, _ := reachProjects(t, e)
	other := &xiezuo.User{Username: "duilong", Name: "扎西", District: "门头沟区", Unit: "前方挂职干部", Roles: []string{xiezuo.RoleCadre}, Regions: []string{"西藏拉萨堆龙德庆区"}}
	if err := e.db.CreateUser(t.Context(), other, testHash); err != nil {
		t.Fatal(err)
	}
	e.users["duilong"] = other
	for _, who := range []string{"duilong", "leader"} {
		c := e.signIn(who)
		for sub, form := range map[string]url.Values{
			"/villages": {"name": {"红山子村"}},
			"/results":  {"kind": {"people"}, "value": {"5"}, "on": {"2021-08-20"}},
			"/assets": {"kind": {"公益性资产"}, "name": {"卫生室"}, "value_yuan": {"1000"}, "quantity": {"1"}, "unit": {"间"},
				"owner": {"村委会"}, "handover_on": {"2021-08-20"}, "upkeep": {"村委会"}},
		} {
			if r := c.post(reachPath(a, sub), form); r.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s as %s = %d, want 403", sub, who, r.StatusCode)
			}
		}
		if page := c.get(reachPath(a, "")); strings.Contains(page.body, "登记受益村</summary>") {
			t.Errorf("project page offers %s the village form", who)
		}
	}
	api := tokenOf(t, e, "duilong")
	r := api.call(http.MethodPost, "/api/v1/projects/"+strconv.FormatInt(a.ID, 10)+"/assets", `{"kind": "公益性资产"}`)
	if code, _ := apiErrorOf(t, r); r.StatusCode != http.StatusForbidden || code != xiezuo.EFORBIDDEN {
		t.Errorf("API POST asset as another region's cadre = %d %s, want 403", r.StatusCode, r.body)
	}
	vs, _ := e.db.ProjectVillages(t.Context(), a.ID)
	rs, _ := e.db.ProjectResults(t.Context(), a.ID)
	as, _ := e.db.ProjectAssets(t.Context(), a.ID)
	if len(vs)+len(rs)+len(as) != 0 {
		t.Errorf("after refusals the project has %d villages, %d results, %d assets; want none", len(vs), len(rs), len(as))
	}
}
