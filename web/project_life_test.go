package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
)

// lifeProject is the first project of region in the test plan as stored.
func lifeProject(t testing.TB, e *env, region string) xiezuo.Project {
	t.Helper()
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range p.Projects {
		if x.Region == region {
			return x
		}
	}
	t.Fatalf("the 2021 plan has no project in %s", region)
	return xiezuo.Project{}
}

// otherRegionProject is a project outside 内蒙古武川县 (wuchuan's region).
func otherRegionProject(t testing.TB, e *env) xiezuo.Project {
	t.Helper()
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range p.Projects {
		if x.Region != "内蒙古武川县" {
			return x
		}
	}
	t.Fatal("the 2021 plan has projects in 内蒙古武川县 only")
	return xiezuo.Project{}
}

func stepsOf(t testing.TB, e *env, id int64) []xiezuo.ProjectStep {
	t.Helper()
	steps, err := e.db.ProjectSteps(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return steps
}

func stepPath(id int64) string {
	return "/projects/" + strconv.FormatInt(id, 10) + "/steps?" + url.Values{"year": {"2021"}, "district": {"门头沟区"}}.Encode()
}

func projectPath(id int64, query string) string {
	return "/projects/" + strconv.FormatInt(id, 10) + "?year=2021&district=" + url.QueryEscape("门头沟区") + query
}

// TestProjectLifePage: the region's cadre records a start with a photo from the project page;
// the page shows the status, the step with its date, who and the photo's capture time; a step
// out of order or dated tomorrow comes back with the message and what was typed, writing
// nothing; another region's cadre and a unit that does not lead the project get 403 and write
// nothing; the office's adjustment shows the plan's figures beside the adjusted ones; as of a
// day before the start the page shows 计划 and no form.
func TestProjectLifePage(t *testing.T) {
	e := newEnv(t) // today is 2021-08-28
	p := lifeProject(t, e, "内蒙古武川县")
	cadre := e.signIn("wuchuan")

	// Out of order: nothing written, the form again with the message and the note typed.
	r := cadre.postFormFiles(stepPath(p.ID), url.Values{"kind": {"complete"}, "date": {"2021-08-01"}, "note": {"主体完工"}}, nil, nil)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "项目目前尚未开工，不能登记完工") || !strings.Contains(r.body, "主体完工") {
		t.Errorf("complete before start = %d, want 422 with the message and the note: %s", r.StatusCode, excerpt(r.body))
	}
	r = cadre.postFormFiles(stepPath(p.ID), url.Values{"kind": {"start"}, "date": {"2021-08-29"}}, nil, nil)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "开工日期 2021-08-29 晚于今天（2021-08-28）") {
		t.Errorf("start tomorrow = %d, want 422: %s", r.StatusCode, excerpt(r.body))
	}
	if n := len(stepsOf(t, e, p.ID)); n != 0 {
		t.Fatalf("refused steps stored %d rows", n)
	}

	// Another region's project, and a unit that does not lead it: 403, nothing written.
	other := otherRegionProject(t, e)
	r = cadre.postFormFiles(stepPath(other.ID), url.Values{"kind": {"start"}, "date": {"2021-08-01"}}, nil, nil)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "您负责的地区是内蒙古武川县") {
		t.Errorf("cadre on %s = %d, want 403 naming the regions: %s", other.Region, r.StatusCode, excerpt(r.body))
	}
	if p.LeadUnit != "区财政局" {
		r = e.signIn("caizheng").postFormFiles(stepPath(p.ID), url.Values{"kind": {"start"}, "date": {"2021-08-01"}}, nil, nil)
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("区财政局 on a project led by %s = %d, want 403", p.LeadUnit, r.StatusCode)
		}
	}
	if n := len(stepsOf(t, e, p.ID)) + len(stepsOf(t, e, other.ID)); n != 0 {
		t.Fatalf("refused steps stored %d rows", n)
	}

	// The start with a photo.
	r = cadre.postFormFiles(stepPath(p.ID), url.Values{"kind": {"start"}, "date": {"2021-08-02"}, "note": {"车间破土动工"}},
		[]upload{{"开工.jpg", photoWithEXIF(t, "2021:08:02 09:15:00")}}, nil)
	if r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "#life") {
		t.Fatalf("start = %d %s, want 303 to the page: %s", r.StatusCode, r.Header.Get("Location"), excerpt(r.body))
	}
	steps := stepsOf(t, e, p.ID)
	if len(steps) != 1 || steps[0].Kind != xiezuo.StepStart || steps[0].By != "wuchuan" || len(steps[0].Evidence) != 1 || steps[0].Evidence[0].MIME != "image/jpeg" {
		t.Fatalf("stored steps = %+v", steps)
	}
	office := e.signIn("office")
	page := office.get(projectPath(p.ID, ""))
	for _, want := range []string{`data-status="started"`, "已开工", "2021-08-02", "陈干部（前方挂职干部）", "车间破土动工", "拍摄时间 2021-08-02 09:15", "登记下一步", `<option value="complete" selected>完工</option>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("project page lacks %q", want)
		}
	}
	file := "/projects/" + strconv.FormatInt(p.ID, 10) + "/evidence/" + strconv.FormatInt(steps[0].Evidence[0].ID, 10)
	if f := office.get(file); f.StatusCode != http.StatusOK || f.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("GET %s = %d %s, want the photo", file, f.StatusCode, f.Header.Get("Content-Type"))
	}
	wrong := "/projects/" + strconv.FormatInt(other.ID, 10) + "/evidence/" + strconv.FormatInt(steps[0].Evidence[0].ID, 10)
	if f := office.get(wrong); f.StatusCode != http.StatusNotFound {
		t.Errorf("GET %s (file of another project) = %d, want 404", wrong, f.StatusCode)
	}

	// The office adjusts: the plan's figures beside the adjusted ones.
	r = office.postFormFiles(stepPath(p.ID), url.Values{"kind": {"adjust"}, "date": {"2021-08-20"}, "reason": {"增建冷库"},
		"document": {"门协办〔2021〕5号"}, "new_total_wan": {"999.5"}}, nil, nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("adjust = %d: %s", r.StatusCode, excerpt(r.body))
	}
	page = office.get(projectPath(p.ID, ""))
	for _, want := range []string{"计划原数", "调整后", "999.5", wanOf(p.TotalInvestment), "门协办〔2021〕5号", "增建冷库"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("project page after the adjustment lacks %q", want)
		}
	}
	// A leader reads the steps and has no form.
	if lp := e.signIn("leader").get(projectPath(p.ID, "")); !strings.Contains(lp.body, "车间破土动工") || strings.Contains(lp.body, "登记下一步") || !strings.Contains(lp.body, "区领导只查看") {
		t.Errorf("leader's project page: want the steps, no form and why")
	}
	// As of the day before the start: 计划, no step, no form.
	past := office.get(projectPath(p.ID, "&as_of=2021-08-01"))
	if !strings.Contains(past.body, `data-status="planned"`) || strings.Contains(past.body, "车间破土动工") || strings.Contains(past.body, "登记下一步") {
		t.Errorf("project page as of 2021-08-01: want 计划 without steps or form: %s", excerpt(past.body))
	}
	if bad := office.get(projectPath(p.ID, "&as_of=2021-09-30")); bad.StatusCode != http.StatusBadRequest {
		t.Errorf("as_of after today = %d, want 400", bad.StatusCode)
	}
}

// TestProjectStepsAPI: POST /api/v1/projects/{id}/steps answers 201, the same key and body 200
// with the same step, another body under the key 409, a step out of order or dated in the
// future 422, another region's cadre 403, each refusal writing nothing; GET answers the status
// and steps as of a date.
func TestProjectStepsAPI(t *testing.T) {
	e := newEnv(t)
	p := lifeProject(t, e, "内蒙古武川县")
	path := "/api/v1/projects/" + strconv.FormatInt(p.ID, 10) + "/steps"
	c, office := tokenOf(t, e, "wuchuan"), tokenOf(t, e, "office")

	for _, tt := range []struct{ name, body, want string }{
		{"out of order", `{"kind":"complete","date":"2021-08-01"}`, "尚未开工"},
		{"future", `{"kind":"start","date":"2021-08-29"}`, "晚于今天"},
		{"bad kind", `{"kind":"begin","date":"2021-08-01"}`, "步骤“begin”无效"},
	} {
		r := c.call("POST", path, tt.body)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: POST = %d %s, want 422 %q", tt.name, r.StatusCode, excerpt(r.body), tt.want)
		}
	}
	for _, tt := range []struct{ name, body, want string }{ // adjustments are the office's
		{"bad amount", `{"kind":"adjust","date":"2021-08-01","reason":"x","document":"y","new_total_investment_yuan":"12.345"}`, "不是金额"},
		{"adjust without document", `{"kind":"adjust","date":"2021-08-01","reason":"x","new_district_fund_yuan":"100"}`, "批复文号"},
	} {
		r := office.call("POST", path, tt.body)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: POST = %d %s, want 422 %q", tt.name, r.StatusCode, excerpt(r.body), tt.want)
		}
	}
	other := otherRegionProject(t, e)
	if r := c.call("POST", "/api/v1/projects/"+strconv.FormatInt(other.ID, 10)+"/steps", `{"kind":"start","date":"2021-08-01"}`); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST on %s = %d, want 403: %s", other.Region, r.StatusCode, excerpt(r.body))
	}
	if n := len(stepsOf(t, e, p.ID)) + len(stepsOf(t, e, other.ID)); n != 0 {
		t.Fatalf("refused requests stored %d steps", n)
	}

	body := `{"kind":"start","date":"2021-08-02","note":"开工"}`
	r := c.call("POST", path, body, "Idempotency-Key", "step-k1")
	var first apiStep
	if r.StatusCode != http.StatusCreated || json.Unmarshal([]byte(r.body), &first) != nil || first.ID == 0 || first.Kind != "start" || first.Date != "2021-08-02" {
		t.Fatalf("POST start = %d %s", r.StatusCode, excerpt(r.body))
	}
	r = c.call("POST", path, body, "Idempotency-Key", "step-k1")
	var again apiStep
	if r.StatusCode != http.StatusOK || json.Unmarshal([]byte(r.body), &again) != nil || again.ID != first.ID {
		t.Errorf("POST start again = %d %s, want 200 with step %d", r.StatusCode, excerpt(r.body), first.ID)
	}
	if r := c.call("POST", path, `{"kind":"complete","date":"2021-08-20"}`, "Idempotency-Key", "step-k1"); r.StatusCode != http.StatusConflict {
		t.Errorf("POST another body under the key = %d, want 409: %s", r.StatusCode, excerpt(r.body))
	}
	if n := len(stepsOf(t, e, p.ID)); n != 1 {
		t.Fatalf("after a replay and a conflict %d steps, want 1", n)
	}
	r = office.call("POST", path, `{"kind":"adjust","date":"2021-08-10","reason":"增建冷库","document":"门协办〔2021〕5号","new_district_fund_yuan":"200000.00"}`)
	if r.StatusCode != http.StatusCreated || !strings.Contains(r.body, `"new_district_fund_yuan":"200000"`) {
		t.Errorf("POST adjust = %d %s", r.StatusCode, excerpt(r.body))
	}

	var got apiStepsAnswer
	r = office.call("GET", path, "")
	if r.StatusCode != http.StatusOK || json.Unmarshal([]byte(r.body), &got) != nil {
		t.Fatalf("GET steps = %d %s", r.StatusCode, excerpt(r.body))
	}
	if got.Status != "started" || len(got.Steps) != 2 || got.Adjusted.DistrictFund == nil || *got.Adjusted.DistrictFund != "200000" ||
		got.Planned.DistrictFund == nil || *got.Planned.DistrictFund != xiezuo.FormatYuan(p.DistrictFund.V) {
		t.Errorf("GET steps = %+v", got)
	}
	r = office.call("GET", path+"?as_of=2021-08-05", "")
	if json.Unmarshal([]byte(r.body), &got) != nil || got.Status != "started" || len(got.Steps) != 1 || *got.Adjusted.DistrictFund != *got.Planned.DistrictFund {
		t.Errorf("GET steps as of 2021-08-05 = %+v", got)
	}
	r = office.call("GET", path+"?as_of=2021-08-01", "")
	if json.Unmarshal([]byte(r.body), &got) != nil || got.Status != "planned" || len(got.Steps) != 0 {
		t.Errorf("GET steps as of 2021-08-01 = %+v", got)
	}
}

// TestCadrePage: the cadre's page lists the projects of its region only, with their status and
// a phone form taking photos; a step sent from it returns to it; a refusal shows it again with
// the message at that project; the page is the cadres' only.
func TestCadrePage(t *testing.T) {
	e := newEnv(t)
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	c := e.signIn("wuchuan")
	page := c.get("/cadre?year=2021&district=" + url.QueryEscape("门头沟区"))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /cadre = %d", page.StatusCode)
	}
	mine := 0
	for _, p := range plan.Projects {
		shown := strings.Contains(page.body, `id="project-`+strconv.FormatInt(p.ID, 10)+`"`)
		if p.Region == "内蒙古武川县" {
			mine++
		}
		if shown != (p.Region == "内蒙古武川县") {
			t.Errorf("/cadre shows %s (%s) = %v", p.Name, p.Region, shown)
		}
	}
	if n := strings.Count(page.body, `accept="image/*" capture="environment"`); n != mine {
		t.Errorf("/cadre has %d photo inputs, want one per project (%d)", n, mine)
	}
	p := lifeProject(t, e, "内蒙古武川县")
	r := c.postFormFiles(stepPath(p.ID), url.Values{"from": {"cadre"}, "kind": {"start"}, "date": {"2021-08-30"}}, nil, nil)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "晚于今天") || !strings.Contains(r.body, "前方填报") {
		t.Errorf("refused step from /cadre = %d, want 422 on the cadres' page: %s", r.StatusCode, excerpt(r.body))
	}
	r = c.postFormFiles(stepPath(p.ID), url.Values{"from": {"cadre"}, "kind": {"start"}, "date": {"2021-08-03"}},
		[]upload{{"现场.jpg", photoWithEXIF(t, "2021:08:03 10:00:00")}}, nil)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/cadre?") {
		t.Fatalf("step from /cadre = %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	page = c.get(r.Header.Get("Location"))
	if !strings.Contains(page.body, "已登记") || !strings.Contains(page.body, `data-status="started"`) {
		t.Errorf("/cadre after the step lacks the message or the status")
	}
	if r := e.signIn("office").get("/cadre"); r.StatusCode != http.StatusForbidden {
		t.Errorf("office GET /cadre = %d, want 403", r.StatusCode)
	}
}

// TestCadreResultsForm: the cadre reports a project's results (成效数据) from the phone page:
// each project has the form, posting to the project's results route and dated today by
// default, as the payment form is; a figure is stored and the cadre comes back to /cadre at
// the project with the message; a bad value or a date after today comes back with its reason
// and stores nothing.
func TestCadreResultsForm(t *testing.T) {
	e := newEnv(t) // today is 2021-08-28
	p := lifeProject(t, e, "内蒙古武川县")
	c := e.signIn("wuchuan")
	page := c.get("/cadre?year=2021&district=" + url.QueryEscape("门头沟区")).body
	action := "/projects/" + strconv.FormatInt(p.ID, 10) + "/results"
	i := strings.Index(page, `action="`+action)
	if i < 0 {
		t.Fatalf("/cadre has no results form for project %d", p.ID)
	}
	form := page[i:]
	form = form[:strings.Index(form, "</form>")]
	for _, want := range []string{`name="from" value="cadre"`, `<option value="jobs">新增就业岗位（个）</option>`, `name="value"`, `name="on" value="2021-08-28" max="2021-08-28"`} {
		if !strings.Contains(form, want) {
			t.Errorf("/cadre results form lacks %q", want)
		}
	}
	pay := page[strings.Index(page, `action="/projects/`+strconv.FormatInt(p.ID, 10)+`/transactions`):]
	if pay = pay[:strings.Index(pay, "</form>")]; !strings.Contains(pay, `name="date" value="2021-08-28" max="2021-08-28"`) {
		t.Errorf("/cadre payment form is not dated today by default")
	}

	post := action + "?year=2021&district=" + url.QueryEscape("门头沟区")
	r := c.post(post, url.Values{"from": {"cadre"}, "kind": {"jobs"}, "value": {"15"}, "on": {"2021-08-20"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/cadre?") || !strings.HasSuffix(loc, "#project-"+strconv.FormatInt(p.ID, 10)) {
		t.Fatalf("result from /cadre = %d, Location %q; want 303 back to /cadre at the project", r.StatusCode, loc)
	}
	if body := c.follow(r).body; !strings.Contains(body, "已登记新增就业岗位 15个（2021-08-20）") {
		t.Errorf("/cadre after the result shows no message: %s", excerpt(body))
	}
	for _, tt := range []struct{ name, value, on, want string }{
		{"not a number", "十五", "2021-08-20", "新增就业岗位应填写整数（个），实为“十五”"},
		{"tomorrow", "15", "2021-08-29", "晚于今天"},
	} {
		r := c.post(post, url.Values{"from": {"cadre"}, "kind": {"jobs"}, "value": {tt.value}, "on": {tt.on}})
		if !strings.HasPrefix(r.Header.Get("Location"), "/cadre?") {
			t.Errorf("%s: refused result from /cadre = %d, Location %q; want back to /cadre", tt.name, r.StatusCode, r.Header.Get("Location"))
			continue
		}
		if body := c.follow(r).body; !strings.Contains(body, tt.want) {
			t.Errorf("%s: /cadre lacks the reason %q: %s", tt.name, tt.want, excerpt(body))
		}
	}
	if rs, err := e.db.ProjectResults(t.Context(), p.ID); err != nil || len(rs) != 1 || rs[0].Value != 15 || rs[0].By != "wuchuan" {
		t.Errorf("stored results = %+v (%v), want the one figure of 15", rs, err)
	}
}
