package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
)

// addUser stores a user of the test district (or of district, for the city office) and keeps
// it for signIn and tokenOf.
func addUser(t *testing.T, e *env, u xiezuo.User) {
	t.Helper()
	u.PasswordAt = *e.clock
	if u.District == "" {
		u.District = "门头沟区"
	}
	if err := e.db.CreateUser(t.Context(), &u, testHash); err != nil {
		t.Fatal(err)
	}
	e.users[u.Username] = &u
}

// idOf reads the id of a receipt.
func idOf(t *testing.T, r response) string {
	t.Helper()
	var rc struct{ ID int64 }
	if err := json.Unmarshal([]byte(r.body), &rc); err != nil || rc.ID == 0 {
		t.Fatalf("no receipt in %d %s", r.StatusCode, r.body)
	}
	return strconv.FormatInt(rc.ID, 10)
}

// TestReportScopeCadres: cadres share the unit 前方挂职干部 but not their reports — a cadre
// neither reads nor adds files to another region's project report (A-F1, A-F2), nor reads
// another cadre's report on a task, and each begins its own report of the month.
func TestReportScopeCadres(t *testing.T) {
	e := newEnv(t)
	addUser(t, e, xiezuo.User{Username: "lasa", Name: "拉萨干部", Unit: xiezuo.CadreUnit, Roles: []string{xiezuo.RoleCadre}, Regions: []string{"西藏拉萨堆龙德庆区"}})
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	var project xiezuo.DutyKey
	for _, pr := range p.Projects {
		if pr.Region == "西藏拉萨堆龙德庆区" {
			project = xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: pr.ID}
			break
		}
	}
	lasa, wuchuan := tokenOf(t, e, "lasa"), tokenOf(t, e, "wuchuan")
	r := lasa.call("POST", "/api/v1/duties/"+project.String()+"/reports", `{"text": "拉萨项目开工。"}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("lasa reports on %s = %d %s", project, r.StatusCode, r.body)
	}
	id := idOf(t, r)
	if r := e.signIn("wuchuan").postFiles("/api/v1/reports/"+id+"/evidence", []upload{{"x.pdf", []byte("%PDF-1.4\n%%EOF\n")}}, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("wuchuan adds evidence to lasa's project report = %d %s, want 404", r.StatusCode, excerpt(r.body))
	}
	if r := wuchuan.call("GET", "/api/v1/reports/"+id, ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("wuchuan reads lasa's project report = %d, want 404", r.StatusCode)
	}
	if r := wuchuan.call("GET", "/api/v1/duties/"+project.String()+"/reports", ""); r.StatusCode != http.StatusForbidden {
		t.Errorf("wuchuan lists lasa's project's reports = %d, want 403", r.StatusCode)
	}
	// A-F13: a file part without a name, and a body cut off, are said as such.
	c := e.signIn("lasa")
	if r := c.postFiles("/api/v1/reports/"+id+"/evidence", []upload{{"", []byte("%PDF-1.4\n%%EOF\n")}}, nil); r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "文件名为空") {
		t.Errorf("a file without a name = %d %s, want 文件名为空", r.StatusCode, excerpt(r.body))
	}
	cut := "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + c.csrf + "\r\n--b\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 and then nothing"
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/api/v1/reports/"+id+"/evidence", strings.NewReader(cut))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	if r := c.do(req); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "上传中断或格式不正确") {
		t.Errorf("a cut-off upload = %d %s, want 400 上传中断或格式不正确", r.StatusCode, excerpt(r.body))
	}

	// Task 7 names 前方挂职干部: each cadre reports and reads its own.
	task7 := dutyOf(t, e, xiezuo.DutyTask, 7)
	r = wuchuan.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "武川县招聘两场。"}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("wuchuan reports on task 7 = %d %s", r.StatusCode, r.body)
	}
	w := idOf(t, r)
	if r := lasa.call("GET", "/api/v1/reports/"+w, ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("lasa reads wuchuan's task report = %d, want 404", r.StatusCode)
	}
	if r := lasa.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "拉萨招聘一场。"}`); r.StatusCode != http.StatusCreated {
		t.Errorf("lasa's own report on task 7 beside wuchuan's = %d %s, want 201", r.StatusCode, r.body)
	}
	if r := lasa.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "改写。", "report_id": `+w+`}`); r.StatusCode != http.StatusForbidden {
		t.Errorf("lasa continues wuchuan's report = %d %s, want 403", r.StatusCode, r.body)
	}
}

// TestReportScopeReaders: a team lead reads only its teams' duties (A-F3), the city office reads
// every report (A-F16), a draft is the reporting unit's (A-F9), a closed duty takes no report
// (A-F4), the as-of view offers nothing (R12) and refuses a future day (A-F11).
func TestReportScopeReaders(t *testing.T) {
	e := newEnv(t)
	task13, fixture := reportFixture(t, e)
	fid := strconv.FormatInt(fixture.ID, 10)
	page := "/duties/" + task13.String()
	renshe := tokenOf(t, e, "renshe")
	if r := renshe.call("GET", "/api/v1/reports/"+fid, ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("team lead reads a report of a duty outside its teams = %d, want 404", r.StatusCode)
	}
	if r := tokenOf(t, e, "city").call("GET", "/api/v1/reports/"+fid, ""); r.StatusCode != http.StatusOK {
		t.Errorf("city office reads a report = %d %s, want 200", r.StatusCode, r.body)
	}
	if r := e.signIn("city").get(page); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "已下达帮扶资金。") || strings.Contains(r.body, `name="text"`) {
		t.Errorf("city office's duty page = %d: want the report, no form", r.StatusCode)
	}

	// The office accepts; caizheng saves a draft: only its unit sees it.
	office := tokenOf(t, e, "office")
	if r := office.call("POST", "/api/v1/reports/"+fid+"/review", `{"decision": "accept"}`); r.StatusCode != http.StatusOK {
		t.Fatalf("office accepts = %d %s", r.StatusCode, r.body)
	}
	unit := e.signIn("caizheng")
	if r := unit.post(page+"/reports", url.Values{"action": {"draft"}, "text": {"草稿：尚未核实的数字。"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("draft = %d %s", r.StatusCode, excerpt(r.body))
	}
	reps, _ := e.db.DutyReports(t.Context(), task13)
	draft := strconv.FormatInt(reps[len(reps)-1].ID, 10)
	if r := office.call("GET", "/api/v1/reports/"+draft, ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("office reads a draft = %d, want 404", r.StatusCode)
	}
	if r := office.call("GET", "/api/v1/duties/"+task13.String()+"/reports", ""); strings.Contains(r.body, "草稿：") {
		t.Errorf("office's list shows the draft: %s", r.body)
	}
	if r := e.signIn("office").get(page); strings.Contains(r.body, "草稿：") {
		t.Errorf("office's page shows the draft")
	}
	if r := unit.get(page); !strings.Contains(r.body, "草稿：尚未核实的数字。") {
		t.Errorf("the unit's page does not show its draft")
	}

	// Closed: the page's POST is refused with the reason.
	if r := office.call("POST", "/api/v1/duties/"+task13.String()+"/close", `{}`); r.StatusCode != http.StatusOK {
		t.Fatalf("close = %d %s", r.StatusCode, r.body)
	}
	r := unit.post(page+"/reports", url.Values{"action": {"submit"}, "report_id": {draft}, "text": {"补报。"}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(plainText(r.body), "该事项已销号，如需继续报送请办公室先重新打开") {
		t.Errorf("report on a closed duty = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := tokenOf(t, e, "caizheng").call("POST", "/api/v1/duties/"+task13.String()+"/reports", `{"text": "补报。", "report_id": `+draft+`}`); r.StatusCode != http.StatusConflict {
		t.Errorf("API report on a closed duty = %d %s, want 409", r.StatusCode, r.body)
	}

	// A-F11, R12.
	if r := unit.get(page + "?as_of=2099-01-01"); r.StatusCode != http.StatusBadRequest || !strings.Contains(plainText(r.body), "晚于今天") {
		t.Errorf("as_of in the future = %d, want 400 晚于今天", r.StatusCode)
	}
	task7 := dutyOf(t, e, xiezuo.DutyTask, 7)
	if r := renshe.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "就业 300 人。"}`); r.StatusCode != http.StatusCreated {
		t.Fatalf("renshe reports = %d %s", r.StatusCode, r.body)
	}
	today := xiezuo.DayOf(*e.clock).String()
	oc := e.signIn("office")
	if r := oc.get("/duties/" + task7.String()); !strings.Contains(r.body, `action="/reports/`) {
		t.Errorf("the office is not offered the review today")
	}
	if r := oc.get("/duties/" + task7.String() + "?as_of=" + today); strings.Contains(r.body, `<form class="review"`) || strings.Contains(r.body, "<form class=\"card report-form\"") {
		t.Errorf("the as-of view offers forms")
	}
}

// TestReportPageMonth: one report a month on the page — this month's open report is continued,
// a second new one refused with the report to continue (A-F10); a refused form keeps the page's
// own address for the switcher (R7); the office is not offered its own report's review (A-F8).
func TestReportPageMonth(t *testing.T) {
	e := newEnv(t)
	task13 := dutyOf(t, e, xiezuo.DutyTask, 13)
	page := "/duties/" + task13.String()
	unit := e.signIn("caizheng")
	if r := unit.post(page+"/reports", url.Values{"action": {"draft"}, "text": {"第一份。"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("first report = %d %s", r.StatusCode, excerpt(r.body))
	}
	reps, _ := e.db.DutyReports(t.Context(), task13)
	first := reps[0].ID
	if r := unit.get(page); !strings.Contains(plainText(r.body), "继续修改第1版（草稿）") {
		t.Errorf("the page does not continue this month's draft")
	}
	r := unit.post(page+"/reports", url.Values{"action": {"submit"}, "text": {"第二份。"}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(plainText(r.body), fmt.Sprintf("报告 %d", first)) {
		t.Errorf("a second new report this month = %d %s", r.StatusCode, excerpt(r.body))
	}
	r = unit.post(page+"/reports", url.Values{"action": {"submit"}, "text": {" "}})
	if !strings.Contains(r.body, `<form class="switch" method="get" action="`+page+`"`) || !strings.Contains(r.body, `data-land="`+page+`"`) {
		t.Errorf("a refused form's page does not keep the duty page's address")
	}
	if i, j := strings.Index(r.body, `role="alert"`), strings.Index(r.body, `class="card report-form"`); i < 0 || j < 0 || i > j {
		t.Errorf("the refusal is not above the form")
	}

	// The office's own report is not offered to it for review, nor accepted from it.
	id, key := unitReport(t, e, "office")
	oc := e.signIn("office")
	if r := oc.get("/duties/" + key.String()); strings.Contains(r.body, `action="/reports/`) {
		t.Errorf("the office is offered the review of its own report")
	}
	if r := tokenOf(t, e, "office").call("POST", "/api/v1/reports/"+strconv.FormatInt(id, 10)+"/review", `{"decision": "accept"}`); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "不能审核自己报送的进展") {
		t.Errorf("the office accepts its own report = %d %s, want 403", r.StatusCode, r.body)
	}
}

// TestAPIIdempotencyNormalised: the key is bound to the body as read, not as typed (10 and "10"
// alike), and a used key is answered as such even with a body that would be refused (A-F17).
func TestAPIIdempotencyNormalised(t *testing.T) {
	e := newEnv(t)
	task13 := dutyOf(t, e, xiezuo.DutyTask, 13)
	c := tokenOf(t, e, "caizheng")
	path := "/api/v1/duties/" + task13.String() + "/reports"
	first := c.call("POST", path, `{"text": "x", "percent": 10, "figures": {"r1": 3}}`, "Idempotency-Key", "k-n")
	if first.StatusCode != http.StatusCreated {
		t.Fatalf("first = %d %s", first.StatusCode, first.body)
	}
	if r := c.call("POST", path, `{"percent": "10", "figures": {"r1": "3"}, "text": "x"}`, "Idempotency-Key", "k-n"); r.StatusCode != http.StatusOK || r.body != first.body {
		t.Errorf("same body with strings = %d %s, want 200 %s", r.StatusCode, r.body, first.body)
	}
	if r := c.call("POST", path, `{"text": "", "percent": 140}`, "Idempotency-Key", "k-n"); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "Idempotency-Key") {
		t.Errorf("used key, invalid body = %d %s, want 409", r.StatusCode, r.body)
	}
	// A key whose first request was refused stays free.
	if r := c.call("POST", path, `{"text": ""}`, "Idempotency-Key", "k-fresh"); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("invalid first request = %d %s, want 422", r.StatusCode, r.body)
	}
	if r := c.call("POST", path, `{"text": "y"}`, "Idempotency-Key", "k-fresh"); r.StatusCode == http.StatusOK || bytes.Contains([]byte(r.body), []byte("Idempotency-Key")) {
		t.Errorf("the refused key's next request = %d %s, want it treated as new", r.StatusCode, r.body)
	}
	if doc := apiDocs["POST /api/v1/duties/{id}/reports"].summary; !strings.Contains(doc, "report_id") {
		t.Errorf("the API documentation does not say how to continue a report (R5): %s", doc)
	}
}
