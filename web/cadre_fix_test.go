package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// TestExceptionCadreScope is N3 and N4 on the pages: cadres share 前方挂职干部, but the form
// asking for an exception lists only the cadre's own reports (not another cadre's draft), a
// cadre may not name another cadre's report, and its duty-wide exception opens only its own.
func TestExceptionCadreScope(t *testing.T) {
	e := newEnv(t)
	addUser(t, e, xiezuo.User{Username: "lasa", Name: "拉萨干部", Unit: xiezuo.CadreUnit, Roles: []string{xiezuo.RoleCadre}, Regions: []string{"西藏拉萨堆龙德庆区"}})
	task7 := dutyOf(t, e, xiezuo.DutyTask, 7) // names 前方挂职干部
	*e.clock = time.Date(2021, 7, 20, 10, 0, 0, 0, shanghai)
	w := sqldb.WithFactTime(sqldb.WithActor(t.Context(), sqldb.Actor{Username: "wuchuan", Unit: xiezuo.CadreUnit}), *e.clock)
	theirs, err := e.db.SubmitReport(w, sqldb.ReportWrite{Duty: task7, Unit: xiezuo.CadreUnit, Writer: "wuchuan", State: xiezuo.ReportDraft,
		Values: xiezuo.ReportValues{Text: "WUCHUAN-DRAFT-PRIVATE"}})
	if err != nil {
		t.Fatal(err)
	}
	l := sqldb.WithFactTime(sqldb.WithActor(t.Context(), sqldb.Actor{Username: "lasa", Unit: xiezuo.CadreUnit}), *e.clock)
	own, err := e.db.SubmitReport(l, sqldb.ReportWrite{Duty: task7, Unit: xiezuo.CadreUnit, Writer: "lasa", State: xiezuo.ReportDraft,
		Values: xiezuo.ReportValues{Text: "LASA-OWN 招聘一场。"}})
	if err != nil {
		t.Fatal(err)
	}
	mine := strconv.FormatInt(own.ID, 10)
	lasaAPI := tokenOf(t, e, "lasa")
	*e.clock = time.Date(2021, 8, 2, 9, 0, 0, 0, shanghai)
	office := e.signIn("office")
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	if resp := office.post("/periods/freeze"+q, url.Values{"period": {"2021-07"}, "note": {"7月快照"}, "confirm": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("freeze = %d", resp.StatusCode)
	}

	lasa := e.signIn("lasa")
	exc := "/duties/" + task7.String() + "/exception"
	page := lasa.get(exc)
	if page.StatusCode != http.StatusOK || strings.Contains(page.body, "WUCHUAN-DRAFT-PRIVATE") || !strings.Contains(page.body, "LASA-OWN") {
		t.Errorf("lasa's exception form = %d, want its own report and not wuchuan's draft:\n%s", page.StatusCode, excerpt(page.body))
	}
	id := strconv.FormatInt(theirs.ID, 10)
	resp := lasa.post(exc, url.Values{"report": {id}, "reason": {"代为更正"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "没有本单位在该事项上的第 "+id+" 号报告") {
		t.Errorf("lasa names wuchuan's report = %d, want 422:\n%s", resp.StatusCode, excerpt(resp.body))
	}
	if xs, _ := e.db.FreezeExceptions(t.Context(), "门头沟区", 2021); len(xs) != 0 {
		t.Fatalf("a refused request stored %+v", xs)
	}
	resp = lasa.post(exc, url.Values{"report": {"0"}, "period": {"2021-07"}, "reason": {"补充7月数据"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("exception request = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	xs, _ := e.db.FreezeExceptions(t.Context(), "门头沟区", 2021)
	if len(xs) != 1 {
		t.Fatalf("exceptions = %+v, want one", xs)
	}
	if resp := office.post("/exceptions/"+strconv.FormatInt(xs[0].ID, 10)+"/grant"+q, url.Values{"reason": {"同意"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant = %d", resp.StatusCode)
	}
	*e.clock = time.Date(2021, 8, 3, 9, 0, 0, 0, shanghai)
	path := "/api/v1/duties/" + task7.String() + "/reports"
	r := tokenOf(t, e, "wuchuan").call("POST", path, `{"text": "武川改。", "report_id": `+id+`}`)
	if r.StatusCode != http.StatusConflict {
		t.Errorf("wuchuan's version under lasa's exception = %d %s, want 409", r.StatusCode, r.body)
	}
	if r := lasaAPI.call("POST", path, `{"text": "拉萨改。", "report_id": `+mine+`}`); r.StatusCode != http.StatusCreated {
		t.Errorf("lasa's own version under its exception = %d %s, want 201", r.StatusCode, r.body)
	}
}

// TestClosedDutyAPI is N6 and N8 on the API: a closed duty takes no file on its waiting report
// (the same 已销号 message as a report) and the office cannot return that report (accepting it
// stays allowed); closing needs no reason in the OpenAPI text, which says what each path's id
// is; a report_id of 982.0 is said to want an integer.
func TestClosedDutyAPI(t *testing.T) {
	e := newEnv(t)
	task13 := dutyOf(t, e, xiezuo.DutyTask, 13)
	caizheng, office := tokenOf(t, e, "caizheng"), tokenOf(t, e, "office")
	path := "/api/v1/duties/" + task13.String() + "/reports"
	if r := caizheng.call("POST", path, `{"text": "已拨付。", "report_id": 982.0}`); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "应为整数") {
		t.Errorf("report_id 982.0 = %d %s, want 422 应为整数", r.StatusCode, r.body)
	}
	id := idOf(t, caizheng.call("POST", path, `{"text": "已拨付。"}`))
	if r := office.call("POST", "/api/v1/duties/"+task13.String()+"/close", `{}`); r.StatusCode != http.StatusOK {
		t.Fatalf("close = %d %s", r.StatusCode, r.body)
	}
	files, _ := e.db.DutyEvidence(t.Context(), task13)
	r := e.signIn("caizheng").postFiles("/api/v1/reports/"+id+"/evidence", []upload{{"x.pdf", []byte("%PDF-1.4\n%%EOF\n")}}, nil)
	if code, msg := apiErrorOf(t, r); r.StatusCode != http.StatusConflict || msg != xiezuo.ErrorMessage(xiezuo.ClosedRefusal()) {
		t.Errorf("evidence on a closed duty = %d %s %q, want 409 已销号", r.StatusCode, code, msg)
	}
	if now, _ := e.db.DutyEvidence(t.Context(), task13); len(now) != len(files) {
		t.Errorf("evidence after the refusal = %d files, want %d", len(now), len(files))
	}
	if page := e.signIn("office").get("/duties/" + task13.String()); !strings.Contains(page.body, `value="accept"`) || strings.Contains(page.body, `value="return"`) {
		t.Errorf("the duty page of a closed duty offers a return (or no acceptance):\n%s", excerpt(page.body))
	}
	r = office.call("POST", "/api/v1/reports/"+id+"/review", `{"decision": "return", "comment": "请补充"}`)
	if _, msg := apiErrorOf(t, r); r.StatusCode != http.StatusConflict || !strings.Contains(msg, "已销号") {
		t.Errorf("return on a closed duty = %d %q, want 409 已销号", r.StatusCode, msg)
	}
	if r := office.call("POST", "/api/v1/reports/"+id+"/review", `{"decision": "accept"}`); r.StatusCode != http.StatusOK {
		t.Errorf("accept on a closed duty = %d %s, want 200", r.StatusCode, r.body)
	}

	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name, Description string
			}
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Required []string
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(e.anonymous().get("/api/openapi.json").body), &doc); err != nil {
		t.Fatal(err)
	}
	if req := doc.Paths["/api/v1/duties/{id}/close"]["post"].RequestBody.Content["application/json"].Schema.Required; slices.Contains(req, "reason") {
		t.Errorf("close requires %v, want reason optional (only reopening needs one)", req)
	}
	for p, want := range map[string]string{"/api/v1/duties/{id}/reports": "事项编号", "/api/v1/reports/{id}": "报告编号"} {
		for _, m := range doc.Paths[p] {
			for _, prm := range m.Parameters {
				if prm.Name == "id" && (!strings.Contains(prm.Description, want) || strings.Contains(prm.Description, "或")) {
					t.Errorf("%s: id is %q, want only %s", p, prm.Description, want)
				}
			}
		}
	}
}

// TestDutiesLastReportReadable is N5 on the API: the duties a cadre follows show as their
// latest report only one it may read — not another cadre's report on a task naming
// 前方挂职干部 (404 to it), while its own shows.
func TestDutiesLastReportReadable(t *testing.T) {
	e := newEnv(t)
	addUser(t, e, xiezuo.User{Username: "lasa", Name: "拉萨干部", Unit: xiezuo.CadreUnit, Roles: []string{xiezuo.RoleCadre}, Regions: []string{"西藏拉萨堆龙德庆区"}})
	task7 := dutyOf(t, e, xiezuo.DutyTask, 7)
	lasa, wuchuan := tokenOf(t, e, "lasa"), tokenOf(t, e, "wuchuan")
	theirs := idOf(t, lasa.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "拉萨招聘一场。"}`))
	if r := wuchuan.call("GET", "/api/v1/reports/"+theirs, ""); r.StatusCode != http.StatusNotFound {
		t.Fatalf("wuchuan reads lasa's report = %d, want 404", r.StatusCode)
	}
	list := "/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/duties"
	lastOf := func(c apiClient) *apiLastReport {
		t.Helper()
		r := c.call("GET", list, "")
		var out struct{ Duties []apiDuty }
		if err := json.Unmarshal([]byte(r.body), &out); r.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("duties = %d %v %s", r.StatusCode, err, excerpt(r.body))
		}
		for _, d := range out.Duties {
			if d.ID == task7.String() {
				return d.LastReport
			}
		}
		t.Fatalf("%s not among the duties", task7)
		return nil
	}
	if l := lastOf(wuchuan); l != nil {
		t.Errorf("wuchuan's %s last_report = %+v, want null (lasa's report is not its to read)", task7, *l)
	}
	mine := idOf(t, wuchuan.call("POST", "/api/v1/duties/"+task7.String()+"/reports", `{"text": "武川招聘两场。"}`))
	if l := lastOf(wuchuan); l == nil || strconv.FormatInt(l.ID, 10) != mine {
		t.Errorf("wuchuan's %s last_report = %+v, want its own %s", task7, l, mine)
	}
}
