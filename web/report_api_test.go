package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/gen"
)

// apiClient calls the API with a user's token, as a script would.
type apiClient struct {
	e     *env
	token string
}

// tokenOf makes an API token of a test user straight in the database.
func tokenOf(t *testing.T, e *env, username string) apiClient {
	t.Helper()
	tok := "xz_test_" + username + "_token_0123456789abcdef"
	if _, err := e.db.CreateAPIToken(t.Context(), e.users[username].ID, "test", apiTokenHash(tok), *e.clock, e.clock.AddDate(0, 0, 30)); err != nil {
		t.Fatal(err)
	}
	return apiClient{e, tok}
}

// call sends a request with a JSON body (none when body is "") and the headers given in pairs.
func (c apiClient) call(method, path, body string, headers ...string) response {
	c.e.t.Helper()
	req, _ := http.NewRequest(method, c.e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.e.anonymous().do(req)
}

// countTable counts the rows of a table of the test database.
func countTable(t *testing.T, e *env, table string) int {
	t.Helper()
	rs, err := e.db.PlanReports(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	switch table {
	case "reports":
		return len(rs)
	case "versions":
		n := 0
		for _, r := range rs {
			n += len(r.Versions)
		}
		return n
	case "reviews":
		n := 0
		for _, r := range rs {
			n += len(r.Reviews)
		}
		return n
	}
	t.Fatalf("countTable(%s)", table)
	return 0
}

// apiErrorOf decodes an error answer.
func apiErrorOf(t *testing.T, r response) (code, msg string) {
	t.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Fatalf("error answer %d is not JSON: %s", r.StatusCode, r.body)
	}
	return e.Error.Code, e.Error.Message
}

// TestAPIReportSubmit: a unit's token submits a report on its duty; the same Idempotency-Key
// and body answer the first result and store nothing; another body with the key is refused;
// bad values are 422 with a message naming the field, and store nothing.
func TestAPIReportSubmit(t *testing.T) {
	e := newEnv(t)
	caizheng := tokenOf(t, e, "caizheng")
	duty := dutyOf(t, e, xiezuo.DutyTask, 13)
	path := "/api/v1/duties/" + duty.String() + "/reports"

	r := caizheng.call("POST", path, `{"text": "已下达帮扶资金 1200 万元。", "percent": 60, "figures": {}}`, "Idempotency-Key", "k-1")
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s = %d %s, want 201", path, r.StatusCode, r.body)
	}
	var rc struct {
		ID      int64  `json:"id"`
		State   string `json:"state"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal([]byte(r.body), &rc); err != nil || rc.ID == 0 || rc.State != "submitted" || rc.Version != 1 {
		t.Fatalf("POST %s = %s, want id, state submitted, version 1", path, r.body)
	}
	// The same key and body (spaced otherwise) again: the first answer, 200, nothing new.
	again := caizheng.call("POST", path, `{"figures":{},"percent":60,"text":"已下达帮扶资金 1200 万元。"}`, "Idempotency-Key", "k-1")
	if again.StatusCode != http.StatusOK || again.body != r.body {
		t.Errorf("replay = %d %s, want 200 %s", again.StatusCode, again.body, r.body)
	}
	if n := countTable(t, e, "reports"); n != 1 {
		t.Errorf("reports after the replay = %d, want 1", n)
	}
	other := caizheng.call("POST", path, `{"text": "另一份报告。"}`, "Idempotency-Key", "k-1")
	if code, msg := apiErrorOf(t, other); other.StatusCode != http.StatusConflict || code != xiezuo.ECONFLICT || !strings.Contains(msg, "Idempotency-Key") {
		t.Errorf("same key, other body = %d %s, want 409", other.StatusCode, other.body)
	}
	// One report per unit, duty and month (A-F10): a second new report while the first waits is
	// refused, saying which report to continue.
	if r := caizheng.call("POST", path, `{"text": "第二份报告。"}`); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "report_id="+strconv.FormatInt(rc.ID, 10)) {
		t.Errorf("second new report this month = %d %s, want 409 naming report %d", r.StatusCode, r.body, rc.ID)
	}

	// The report as stored, with its versions.
	got := caizheng.call("GET", "/api/v1/reports/"+strconv.FormatInt(rc.ID, 10), "")
	var rep apiReport
	if err := json.Unmarshal([]byte(got.body), &rep); err != nil || got.StatusCode != http.StatusOK {
		t.Fatalf("GET report = %d %s", got.StatusCode, got.body)
	}
	if rep.State != "submitted" || rep.Unit != "区财政局" || rep.ToUnit != nil || len(rep.Versions) != 1 ||
		rep.Versions[0].Text != "已下达帮扶资金 1200 万元。" || rep.Versions[0].Percent == nil || *rep.Versions[0].Percent != 60 || rep.SubmittedAt == nil {
		t.Errorf("GET report = %s", got.body)
	}

	// Bad values: 422 naming the field; nothing stored.
	before := countTable(t, e, "versions")
	bad := []struct {
		name, body string
		status     int
		want       string
	}{
		{"percent 140", `{"text": "x", "percent": 140}`, 422, "形象进度 140% 超出范围"},
		{"percent as text", `{"text": "x", "percent": "六十"}`, 422, "形象进度“六十”不是整数"},
		{"percent true", `{"text": "x", "percent": true}`, 422, "percent（形象进度）"},
		{"figure abc", `{"text": "x", "figures": {"r1": "abc"}}`, 422, "金额（第1项要求）“abc”不是数字"},
		{"figure object", `{"text": "x", "figures": {"r1": {}}}`, 422, "figures.r1 应为数字"},
		{"empty text", `{"text": "  "}`, 422, "请填写进展情况"},
		{"unknown figure", `{"text": "x", "figures": {"r9": 3}}`, 422, "本事项没有指标“r9”"},
		{"text not a string", `{"text": 5}`, 422, "字段 text 的类型不对"},
		{"unknown field", `{"text": "x", "percnt": 5}`, 400, "不认识的字段"},
		{"not JSON", `text=x`, 400, "不是有效的 JSON"},
		{"key with spaces", `{"text": "x"}`, 400, "Idempotency-Key"},
		{"a report of another duty", `{"text": "x", "report_id": 999999}`, 404, "没有编号为 999999 的报告"},
	}
	for _, c := range bad {
		headers := []string{}
		if c.name == "key with spaces" {
			headers = []string{"Idempotency-Key", "a key"}
		}
		r := caizheng.call("POST", path, c.body, headers...)
		if _, msg := apiErrorOf(t, r); r.StatusCode != c.status || !strings.Contains(msg, c.want) {
			t.Errorf("%s: POST = %d %s, want %d with %q", c.name, r.StatusCode, r.body, c.status, c.want)
		}
	}
	if after := countTable(t, e, "versions"); after != before {
		t.Errorf("refused requests stored %d versions", after-before)
	}
	// Once the office accepted it, the unit may begin another report this month.
	if r := tokenOf(t, e, "office").call("POST", "/api/v1/reports/"+strconv.FormatInt(rc.ID, 10)+"/review", `{"decision": "accept"}`); r.StatusCode != http.StatusOK {
		t.Fatalf("office accepts = %d %s", r.StatusCode, r.body)
	}
	// Figures as numbers and numeric strings come back in their units.
	r = caizheng.call("POST", path, `{"text": "资金到位。", "figures": {"r1": 1200.5, "r2": "30", "r4": null}}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("POST with figures = %d %s", r.StatusCode, r.body)
	}
	json.Unmarshal([]byte(r.body), &rc)
	got = caizheng.call("GET", "/api/v1/reports/"+strconv.FormatInt(rc.ID, 10), "")
	if !strings.Contains(got.body, `"figures":{"r1":1200.5,"r2":30}`) {
		t.Errorf("GET report with figures = %s, want r1 1200.5 and r2 30 (万元), r4 not reported", got.body)
	}
}

// TestAPIReportOtherUnit: a unit's token can neither report on nor read another unit's duty,
// nor read a report between other units; nothing is stored.
func TestAPIReportOtherUnit(t *testing.T) {
	e := newEnv(t)
	caizheng, renshe, wuchuan := tokenOf(t, e, "caizheng"), tokenOf(t, e, "renshe"), tokenOf(t, e, "wuchuan")
	task7 := dutyOf(t, e, xiezuo.DutyTask, 7) // 就业帮扶: 区人力社保局 leads, 前方挂职干部 cooperate
	r := renshe.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "新增就业 300 人。"}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("renshe POST on task 7 = %d %s", r.StatusCode, r.body)
	}
	var rc struct{ ID int64 }
	json.Unmarshal([]byte(r.body), &rc)
	before := countTable(t, e, "versions")
	for _, c := range []struct {
		name, method, path, body string
	}{
		{"report on another unit's duty", "POST", "/api/v1/duties/" + task7.String() + "/reports", `{"text": "代报。"}`},
		{"list another unit's duty", "GET", "/api/v1/duties/" + task7.String() + "/reports", ""},
		{"read another unit's report", "GET", "/api/v1/reports/" + strconv.FormatInt(rc.ID, 10), ""},
		{"new version of another unit's report", "POST", "/api/v1/duties/" + task7.String() + "/reports", `{"text": "改写。", "report_id": ` + strconv.FormatInt(rc.ID, 10) + `}`},
		{"review as a unit", "POST", "/api/v1/reports/" + strconv.FormatInt(rc.ID, 10) + "/review", `{"decision": "accept"}`},
		{"close as a unit", "POST", "/api/v1/duties/" + task7.String() + "/close", `{}`},
	} {
		r := caizheng.call(c.method, c.path, c.body)
		want := http.StatusForbidden
		if strings.HasPrefix(c.path, "/api/v1/reports/") {
			want = http.StatusNotFound // a report one may not read is not found (A-F15), to read or to review
		}
		if r.StatusCode != want {
			t.Errorf("caizheng: %s = %d %s, want %d", c.name, r.StatusCode, r.body, want)
		}
	}
	if r := caizheng.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "代报。"}`); !strings.Contains(r.body, "这不是本单位的事项") {
		t.Errorf("refusal says %s, want 这不是本单位的事项", r.body)
	}
	if after := countTable(t, e, "versions"); after != before {
		t.Errorf("refused requests stored %d versions", after-before)
	}
	// The cadre, named on task 7, reports to the lead unit; the lead unit reads it, the office
	// reads it but does not review it.
	r = wuchuan.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "武川县组织专场招聘两场。"}`)
	var coop struct{ ID int64 }
	if json.Unmarshal([]byte(r.body), &coop); r.StatusCode != http.StatusCreated {
		t.Fatalf("wuchuan POST on task 7 = %d %s", r.StatusCode, r.body)
	}
	got := renshe.call("GET", "/api/v1/reports/"+strconv.FormatInt(coop.ID, 10), "")
	if got.StatusCode != http.StatusOK || !strings.Contains(got.body, `"to_unit":"区人力社保局"`) {
		t.Errorf("lead unit GET the cadre's report = %d %s", got.StatusCode, got.body)
	}
	list := renshe.call("GET", "/api/v1/duties/"+task7.String()+"/reports", "")
	var l struct{ Reports []apiReport }
	if json.Unmarshal([]byte(list.body), &l); len(l.Reports) != 2 {
		t.Errorf("lead unit's list of task 7 = %s, want both reports", list.body)
	}
	office := tokenOf(t, e, "office")
	if r := office.call("POST", "/api/v1/reports/"+strconv.FormatInt(coop.ID, 10)+"/review", `{"decision": "accept"}`); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "由区人力社保局审核") {
		t.Errorf("office reviews a report sent to the lead unit = %d %s, want 403", r.StatusCode, r.body)
	}
	// The lead unit reviews it through the API as on its page (User.CanReview): returned with a
	// comment, the state answers returned.
	if r := renshe.call("POST", "/api/v1/reports/"+strconv.FormatInt(coop.ID, 10)+"/review", `{"decision": "return", "comment": "请补充招聘人数。"}`); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"state":"returned"`) {
		t.Errorf("lead unit returns the cadre's report through the API = %d %s, want 200 returned", r.StatusCode, r.body)
	}
	r = wuchuan.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "武川县组织专场招聘两场，招聘 120 人。", "report_id": `+strconv.FormatInt(coop.ID, 10)+`}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("wuchuan resubmits = %d %s", r.StatusCode, r.body)
	}
	// The lead unit's report cites it: a new report once its first was accepted (one a month).
	if r := office.call("POST", "/api/v1/reports/"+strconv.FormatInt(rc.ID, 10)+"/review", `{"decision": "accept"}`); r.StatusCode != http.StatusOK {
		t.Fatalf("office accepts renshe's report = %d %s", r.StatusCode, r.body)
	}
	r = renshe.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "汇总前方工作组进展。", "cites": [`+strconv.FormatInt(coop.ID, 10)+`]}`)
	if r.StatusCode != http.StatusCreated {
		t.Errorf("lead unit's report citing the cadre's = %d %s", r.StatusCode, r.body)
	}
}

// TestAPIReportReview: the office returns a report with a comment, the unit submits a new
// version, the office accepts it and closes the duty.
func TestAPIReportReview(t *testing.T) {
	e := newEnv(t)
	caizheng, office := tokenOf(t, e, "caizheng"), tokenOf(t, e, "office")
	duty := dutyOf(t, e, xiezuo.DutyTask, 13)
	r := caizheng.call("POST", "/api/v1/duties/"+duty.String()+"/reports", `{"text": "资金已下达。"}`)
	var rc struct{ ID int64 }
	json.Unmarshal([]byte(r.body), &rc)
	review := "/api/v1/reports/" + strconv.FormatInt(rc.ID, 10) + "/review"
	if r := office.call("POST", review, `{"decision": "return"}`); r.StatusCode != 422 || !strings.Contains(r.body, "退回报告须填写意见") {
		t.Errorf("return without comment = %d %s, want 422", r.StatusCode, r.body)
	}
	if r := office.call("POST", review, `{"decision": "maybe"}`); r.StatusCode != 422 || !strings.Contains(r.body, "decision") {
		t.Errorf("decision maybe = %d %s, want 422", r.StatusCode, r.body)
	}
	if n := countTable(t, e, "reviews"); n != 0 {
		t.Errorf("refused reviews stored %d", n)
	}
	if r := office.call("POST", review, `{"decision": "return", "comment": "请写明下达的文号和金额。"}`); r.StatusCode != 200 || !strings.Contains(r.body, `"state":"returned"`) {
		t.Fatalf("return = %d %s", r.StatusCode, r.body)
	}
	if r := office.call("POST", review, `{"decision": "accept"}`); r.StatusCode != http.StatusConflict {
		t.Errorf("review of a returned version = %d %s, want 409", r.StatusCode, r.body)
	}
	r = caizheng.call("POST", "/api/v1/duties/"+duty.String()+"/reports", `{"text": "门财〔2021〕12号下达 1200 万元。", "report_id": `+strconv.FormatInt(rc.ID, 10)+`}`)
	if r.StatusCode != http.StatusCreated || !strings.Contains(r.body, `"version":2`) {
		t.Fatalf("resubmit = %d %s, want version 2", r.StatusCode, r.body)
	}
	if r := office.call("POST", review, `{"decision": "accept", "version": 1}`); r.StatusCode != http.StatusConflict {
		t.Errorf("review of an old version = %d %s, want 409", r.StatusCode, r.body)
	}
	if r := office.call("POST", review, `{"decision": "accept"}`); r.StatusCode != 200 || !strings.Contains(r.body, `"state":"accepted"`) {
		t.Fatalf("accept = %d %s", r.StatusCode, r.body)
	}
	closeURL := "/api/v1/duties/" + duty.String() + "/close"
	if r := office.call("POST", closeURL, `{}`); r.StatusCode != 200 || !strings.Contains(r.body, `"closed":true`) {
		t.Errorf("close = %d %s", r.StatusCode, r.body)
	}
	if r := office.call("POST", closeURL, `{"closed": false}`); r.StatusCode != 422 || !strings.Contains(r.body, "理由") {
		t.Errorf("reopen without reason = %d %s, want 422", r.StatusCode, r.body)
	}
	got := caizheng.call("GET", "/api/v1/reports/"+strconv.FormatInt(rc.ID, 10), "")
	var rep apiReport
	json.Unmarshal([]byte(got.body), &rep)
	if rep.State != "accepted" || len(rep.Versions) != 2 || len(rep.Reviews) != 2 || rep.Reviews[0].Comment != "请写明下达的文号和金额。" || rep.Reviews[0].By != "office" {
		t.Errorf("history = %s", got.body)
	}
}

// TestAPIReportDutyImportedLater: the API keeps the district and year of the duties it found
// (dutyPlaces), never of one it did not: a project asked for before its plan was imported is
// 404, and once imported its lead unit reports on it (201) and no other unit does (403).
func TestAPIReportDutyImportedLater(t *testing.T) {
	e := newEnv(t)
	caizheng, renshe := tokenOf(t, e, "caizheng"), tokenOf(t, e, "renshe")
	p2021, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	var next int64
	for _, pr := range p2021.Projects {
		next = max(next, pr.ID)
	}
	next++ // ids are never reused: the first project imported next gets it
	path := "/api/v1/duties/project-" + strconv.FormatInt(next, 10) + "/reports"
	body := `{"text": "项目已开工。", "percent": 10}`
	if r := caizheng.call("POST", path, body, "Idempotency-Key", "later-1"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("POST %s before the import = %d %s, want 404", path, r.StatusCode, r.body)
	}
	p := gen.Plan(gen.Options{Seed: 3, District: "门头沟区", Year: 2022, Regions: 1, Projects: 3})
	for i := range p.Projects {
		p.Projects[i].LeadUnit, p.Projects[i].LeadUnitWritten = "区财政局", "区财政局"
	}
	if err := gen.Store(t.Context(), e.db, p); err != nil {
		t.Fatal(err)
	}
	if r := renshe.call("POST", path, body, "Idempotency-Key", "later-2"); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST %s by another unit = %d %s, want 403", path, r.StatusCode, r.body)
	}
	if r := caizheng.call("POST", path, body, "Idempotency-Key", "later-3"); r.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s after the import = %d %s, want 201", path, r.StatusCode, r.body)
	}
	// Asked again from memory: a second new report in the month is refused, as ever.
	if r := caizheng.call("POST", path, body, "Idempotency-Key", "later-4"); r.StatusCode != http.StatusConflict {
		t.Errorf("second report of the month on %s = %d %s, want 409", path, r.StatusCode, r.body)
	}
}
