package web

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
)

// dongcheng is the 2021 plan written as 东城区's: another district's document.
var dongcheng = bytes.ReplaceAll(sample.Plan2021, []byte("门头沟区"), []byte("东城区"))

// withDongcheng stores 东城区's plan beside 门头沟区's.
func withDongcheng(t *testing.T, e *env) {
	t.Helper()
	res, err := plandoc.Parse("dongcheng.md", dongcheng)
	if err != nil || !res.OK() || res.Plan.District != "东城区" {
		t.Fatalf("parse 东城区 plan: %v %v", err, res.Errors)
	}
	if _, err := e.db.ImportPlan(t.Context(), res.Plan, dongcheng); err != nil {
		t.Fatal(err)
	}
}

// countRefused counts the audit entries of action refused for username.
func countRefused(t *testing.T, e *env, action, username string) int {
	t.Helper()
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, en := range entries {
		if en.Outcome == sqldb.AuditFailure && en.Username == username {
			n++
		}
	}
	return n
}

// TestOfficeImportsOnlyItsDistrict: the office of 门头沟区 uploads 东城区's plan; the page refuses
// it before anything is stored, and the confirmation refuses it too.
func TestOfficeImportsOnlyItsDistrict(t *testing.T) {
	e := newEnv(t)
	withDongcheng(t, e)
	before, err := e.db.PlanVersion(t.Context(), "东城区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	c := e.signIn("office")
	r := c.postMultipart("/import", "file", "dongcheng.md", append(dongcheng, []byte("\n补充一行。\n")...))
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "只能导入本区（门头沟区）的计划，此文件是东城区的计划") {
		t.Errorf("office of 门头沟区 uploads 东城区's plan = %d %s, want 403 and the reason", r.StatusCode, excerpt(r.body))
	}
	for _, s := range []string{"完全一致", "确认导入"} {
		if strings.Contains(r.body, s) {
			t.Errorf("the refusal of 东城区's plan also says %q", s)
		}
	}
	// The same file unchanged: refused, never "identical".
	if r := c.postMultipart("/import", "file", "dongcheng.md", dongcheng); r.StatusCode != http.StatusForbidden || strings.Contains(r.body, "完全一致") {
		t.Errorf("office uploads 东城区's stored plan = %d, says identical: %v; want only the refusal", r.StatusCode, strings.Contains(r.body, "完全一致"))
	}
	// An upload stored by other means is refused at confirmation.
	id, err := e.db.SaveUpload(t.Context(), e.users["office"].ID, "dongcheng.md", append(dongcheng, []byte("\n补充一行。\n")...), *e.clock)
	if err != nil {
		t.Fatal(err)
	}
	r = c.post("/import/confirm", url.Values{"upload": {strconv.FormatInt(id, 10)}, "version": {strconv.FormatInt(before, 10)}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "只能导入本区") {
		t.Errorf("confirm 东城区's plan = %d %s, want 403", r.StatusCode, excerpt(r.body))
	}
	if after, err := e.db.PlanVersion(t.Context(), "东城区", 2021); err != nil || after != before {
		t.Errorf("东城区's plan version = %d, %v; want %d unchanged", after, err, before)
	}
	if n := countRefused(t, e, sqldb.AuditPlanImport, "office"); n < 2 {
		t.Errorf("audit holds %d refused imports by office, want 2", n)
	}
	// Its own district still imports.
	own := append(bytes.Clone(sample.Plan2021), []byte("\n补充一行。\n")...)
	if r := c.postMultipart("/import", "file", "mentougou.md", own); r.StatusCode != http.StatusOK {
		t.Errorf("office uploads its own plan = %d %s", r.StatusCode, excerpt(r.body))
	}
}

// TestOfficeEditsContactsOnlyInItsDistrict: the office of 门头沟区 saves and reveals the contacts
// of 东城区's units and projects; each is refused with 403 and audited.
func TestOfficeEditsContactsOnlyInItsDistrict(t *testing.T) {
	e := newEnv(t)
	withDongcheng(t, e)
	ctx := t.Context()
	if err := e.db.SaveContact(ctx, sqldb.Contact{District: "东城区", Subject: sqldb.UnitSubject(dongchengUnit(t, e, "区财政局")), Label: "区财政局", Name: "东联系", Phone: "13900001111"}); err != nil {
		t.Fatal(err)
	}
	c := e.signIn("office")
	dc := "?year=2021&district=" + url.QueryEscape("东城区")
	unit := "/units/" + url.PathEscape("区财政局")
	if r := c.post(unit+"/contact"+dc, url.Values{"name": {"改名"}, "phone": {"13812341234"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("office of 门头沟区 saves 东城区's contact = %d, want 403", r.StatusCode)
	}
	if got, err := e.db.Contact(ctx, "东城区", sqldb.UnitSubject(dongchengUnit(t, e, "区财政局"))); err != nil || got.Name != "东联系" {
		t.Errorf("东城区's contact after the refused save = %+v, %v; want it unchanged", got, err)
	}
	if r := c.post(unit+"/contact/reveal"+dc, nil); r.StatusCode != http.StatusForbidden || strings.Contains(r.body, "13900001111") {
		t.Errorf("office of 门头沟区 reveals 东城区's phone = %d, shown: %v; want 403", r.StatusCode, strings.Contains(r.body, "13900001111"))
	}
	if page := c.get(unit + dc); strings.Contains(page.body, "东联系") || strings.Contains(strings.ReplaceAll(page.body, "没有可查看的东城区的计划", ""), "东城区") {
		t.Errorf("the office of 门头沟区 reads 东城区's unit page")
	}
	region := "/regions/" + url.PathEscape("内蒙古武川县")
	if r := c.post(region+"/contact"+dc, url.Values{"project": {firstProject(t, e, "内蒙古武川县")}, "name": {"改名"}, "phone": {"13812341234"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("office of 门头沟区 saves a 东城区 project's contact = %d, want 403", r.StatusCode)
	}
	if n := countRefused(t, e, sqldb.AuditContact, "office"); n != 2 {
		t.Errorf("audit holds %d refused contact saves by office, want 2", n)
	}
	if n := countRefused(t, e, sqldb.AuditReveal, "office"); n != 1 {
		t.Errorf("audit holds %d refused reveals by office, want 1", n)
	}
	// Its own district still works.
	own := "?year=2021&district=" + url.QueryEscape("门头沟区")
	if r := c.post(unit+"/contact"+own, url.Values{"name": {"门联系"}, "phone": {"13812341234"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("office saves its own district's contact = %d %s", r.StatusCode, excerpt(r.body))
	}
	r := c.post(unit+"/contact/reveal"+own, nil)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "13812341234") {
		t.Errorf("office reveals its own district's phone = %d", r.StatusCode)
	}
	// The revealed page is the unit's page, its duties and all, not an empty one.
	duties := regexp.MustCompile(`牵头或参与工作要点 \d+ 条，任务 \d+ 项，牵头项目 \d+ 个`)
	want := duties.FindString(c.get(unit + own).body)
	if got := duties.FindString(r.body); want == "" || got != want || strings.Contains(got, "要点 0 条，任务 0 项") {
		t.Errorf("unit page after a reveal says %q, want %q as without it", got, want)
	}
}

// firstProject is the name of the first project of region in the 2021 plan.
func firstProject(t *testing.T, e *env, region string) string {
	t.Helper()
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range p.Projects {
		if pr.Region == region {
			return pr.Name
		}
	}
	t.Fatalf("no project in %s", region)
	return ""
}

// TestCityOfficeReadsEveryDistrictWritesNone: the city office chooses either district and reads
// its pages and API; it imports nothing and edits and reveals no contact. A district's office
// does not read another district.
func TestCityOfficeReadsEveryDistrictWritesNone(t *testing.T) {
	e := newEnv(t)
	withDongcheng(t, e)
	if err := e.db.SaveContact(t.Context(), sqldb.Contact{District: "东城区", Subject: sqldb.UnitSubject(dongchengUnit(t, e, "区财政局")), Label: "区财政局", Name: "东联系", Phone: "13900001111"}); err != nil {
		t.Fatal(err)
	}
	city := e.signIn("city")
	for _, d := range []string{"门头沟区", "东城区"} {
		q := "?year=2021&district=" + url.QueryEscape(d)
		for _, p := range []string{"/plan", "/projects", "/units/" + url.PathEscape("区财政局"), "/regions/" + url.PathEscape("内蒙古武川县")} {
			if r := city.get(p + q); r.StatusCode != http.StatusOK || !strings.Contains(r.body, d) {
				t.Errorf("city office GET %s in %s = %d, shows the district: %v", p, d, r.StatusCode, strings.Contains(r.body, d))
			}
		}
		if r := city.get("/api/v1/plans/" + url.PathEscape(d) + "/2021"); r.StatusCode != http.StatusOK {
			t.Errorf("city office API summary of %s = %d", d, r.StatusCode)
		}
		unit := "/units/" + url.PathEscape("区财政局")
		if r := city.post(unit+"/contact"+q, url.Values{"name": {"改名"}, "phone": {"13812341234"}}); r.StatusCode != http.StatusForbidden {
			t.Errorf("city office saves a contact of %s = %d, want 403", d, r.StatusCode)
		}
		if r := city.post(unit+"/contact/reveal"+q, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("city office reveals a phone of %s = %d, want 403", d, r.StatusCode)
		}
		if r := city.post("/regions/"+url.PathEscape("内蒙古武川县")+"/contact"+q, url.Values{"project": {firstProject(t, e, "内蒙古武川县")}, "name": {"改名"}}); r.StatusCode != http.StatusForbidden {
			t.Errorf("city office saves a project contact of %s = %d, want 403", d, r.StatusCode)
		}
	}
	if r := city.get("/import"); r.StatusCode != http.StatusForbidden {
		t.Errorf("city office GET /import = %d, want 403", r.StatusCode)
	}
	if r := city.postMultipart("/import", "file", "dongcheng.md", dongcheng); r.StatusCode != http.StatusForbidden {
		t.Errorf("city office uploads a plan = %d, want 403", r.StatusCode)
	}
	// The office of 门头沟区 asking for 东城区 is shown its own district; the API refuses.
	office := e.signIn("office")
	r := office.get("/plan?year=2021&district=" + url.QueryEscape("东城区"))
	if said := "没有可查看的东城区的计划，显示的是门头沟区的计划"; !strings.Contains(r.body, said) || strings.Contains(strings.ReplaceAll(r.body, said, ""), "东城区") {
		t.Errorf("office of 门头沟区 asking for 东城区: not told, or reads 东城区's plan")
	}
	if r := office.get("/api/v1/plans/" + url.PathEscape("东城区") + "/2021"); r.StatusCode != http.StatusForbidden {
		t.Errorf("office of 门头沟区 reads 东城区 through the API = %d, want 403", r.StatusCode)
	}
}

// dongchengUnit is the id of a unit of 东城区.
func dongchengUnit(t *testing.T, e *env, name string) int64 {
	t.Helper()
	id, err := e.db.UnitID(t.Context(), "东城区", name)
	if err != nil {
		t.Fatalf("UnitID(东城区, %s) = %v", name, err)
	}
	return id
}
