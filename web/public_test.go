package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/sqldb"
)

var publicPlanPath = "/public/" + url.PathEscape("门头沟区") + "/2021"

// publishSome has the office publish the first two projects of each of the first two regions
// through the form, and returns the published projects and one left unpublished.
func publishSome(t *testing.T, e *env) (published []xiezuo.Project, unpublished xiezuo.Project) {
	t.Helper()
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	regions := map[string]int{}
	for _, p := range plan.Projects {
		if regions[p.Region] < 2 && len(regions) <= 2 {
			if _, ok := regions[p.Region]; ok || len(regions) < 2 {
				regions[p.Region]++
				published = append(published, p)
				continue
			}
		}
		if unpublished.ID == 0 {
			unpublished = p
		}
	}
	form := url.Values{"district": {"门头沟区"}, "year": {"2021"}, "action": {"publish"}}
	for _, p := range published {
		form.Add("project", strconv.FormatInt(p.ID, 10))
	}
	office := e.signIn("office")
	if r := office.post("/publication", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /publication = %d: %s", r.StatusCode, r.body)
	}
	return published, unpublished
}

func publicGet(t *testing.T, e *env, path string, headers ...string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.anonymous().do(req)
}

// TestPublicPages: the office publishes and withdraws; anyone reads the published projects
// without signing in, never an unpublished or withdrawn one; answers are cached with an ETag.
func TestPublicPages(t *testing.T) {
	e := newEnv(t)
	published, unpublished := publishSome(t, e)
	if len(published) != 4 || unpublished.ID == 0 {
		t.Fatalf("publishSome = %d published, unpublished %d; want 4 and one", len(published), unpublished.ID)
	}

	idx := publicGet(t, e, "/public/")
	if idx.StatusCode != 200 || !strings.Contains(idx.body, "2021年 门头沟区") || !strings.Contains(idx.body, "公示项目 4 个") {
		t.Errorf("GET /public/ = %d, want the 2021 plan with 4 projects:\n%s", idx.StatusCode, idx.body)
	}
	if strings.Contains(idx.body, "<script") || len(idx.Header.Values("Set-Cookie")) > 0 {
		t.Errorf("GET /public/ has a script or sets a cookie")
	}
	page := publicGet(t, e, publicPlanPath)
	if page.StatusCode != 200 {
		t.Fatalf("GET %s = %d: %s", publicPlanPath, page.StatusCode, page.body)
	}
	for _, p := range published {
		if !strings.Contains(page.body, p.Name) {
			t.Errorf("plan notice lacks published project %q", p.Name)
		}
	}
	if strings.Contains(page.body, ">"+unpublished.Name+"<") {
		t.Errorf("plan notice shows unpublished project %q", unpublished.Name)
	}
	for _, want := range []string{"万元", "公示项目", "监督举报电话", "实施单位", "受益人口"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("plan notice lacks %q", want)
		}
	}
	if cc := page.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
		t.Errorf("Cache-Control = %q, want public with a max-age", cc)
	}
	projectPath := func(p xiezuo.Project) string { return publicPlanPath + "/" + strconv.FormatInt(p.ID, 10) }
	if r := publicGet(t, e, projectPath(published[0])); r.StatusCode != 200 || !strings.Contains(r.body, published[0].Name) {
		t.Errorf("GET published project = %d", r.StatusCode)
	}
	if r := publicGet(t, e, projectPath(unpublished)); r.StatusCode != 404 || strings.Contains(r.body, unpublished.Name) {
		t.Errorf("GET unpublished project = %d, want 404 without its name", r.StatusCode)
	}
	if r := publicGet(t, e, "/public/"+url.PathEscape("延庆区")+"/2021"); r.StatusCode != 404 {
		t.Errorf("GET a plan that does not exist = %d, want 404", r.StatusCode)
	}
	if r := publicGet(t, e, publicPlanPath+"?as_of=2099-01-01"); r.StatusCode != 400 {
		t.Errorf("GET as of a future day = %d, want 400", r.StatusCode)
	}

	// ETag and gzip.
	etag := page.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if r := publicGet(t, e, publicPlanPath, "If-None-Match", etag); r.StatusCode != http.StatusNotModified || r.body != "" {
		t.Errorf("GET with If-None-Match = %d %q, want 304 and no body", r.StatusCode, r.body)
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+publicPlanPath, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	gz, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip answer: %v, Content-Encoding %q", err, resp.Header.Get("Content-Encoding"))
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != page.body || resp.Header.Get("ETag") != etag {
		t.Errorf("gzip answer differs from the plain one")
	}

	// A signed-in reader gets the same bytes and no session is touched.
	if r := e.signIn("caizheng").get(publicPlanPath); r.body != page.body {
		t.Errorf("signed-in reader sees another public page")
	}

	// Only the office publishes.
	for _, name := range []string{"caizheng", "leader", "wuchuan"} {
		r := e.signIn(name).post("/publication", url.Values{"district": {"门头沟区"}, "year": {"2021"}, "action": {"publish"}, "project": {strconv.FormatInt(unpublished.ID, 10)}})
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST /publication = %d, want 403", name, r.StatusCode)
		}
	}

	// The office's project page shows the state and the button; withdrawing is seen at once.
	office := e.signIn("office")
	pp := office.get("/projects/" + strconv.FormatInt(published[0].ID, 10))
	if !strings.Contains(pp.body, "公示中") || !strings.Contains(pp.body, "撤回公示") || !strings.Contains(pp.body, "2021-08-28 10:00") {
		t.Errorf("project page lacks the publication state, date and the withdraw button")
	}
	if up := e.signIn("caizheng").get("/projects/" + strconv.FormatInt(published[0].ID, 10)); strings.Contains(up.body, "撤回公示") {
		t.Errorf("a unit's project page offers to withdraw")
	}
	*e.clock = e.clock.Add(24 * time.Hour)
	office = e.signIn("office")
	r := office.post("/publication", url.Values{"district": {"门头沟区"}, "year": {"2021"}, "action": {"withdraw"},
		"project": {strconv.FormatInt(published[0].ID, 10)}, "back": {"/projects/" + strconv.FormatInt(published[0].ID, 10)}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/projects/") {
		t.Fatalf("withdraw = %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	after := publicGet(t, e, publicPlanPath)
	if strings.Contains(after.body, published[0].Name) || !strings.Contains(after.body, published[1].Name) {
		t.Errorf("after withdrawing, the plan notice still shows %q (or lost the others)", published[0].Name)
	}
	if r := publicGet(t, e, publicPlanPath, "If-None-Match", etag); r.StatusCode != 200 {
		t.Errorf("old ETag after withdrawing = %d, want 200", r.StatusCode)
	}
	if r := publicGet(t, e, projectPath(published[0])); r.StatusCode != 404 {
		t.Errorf("withdrawn project page = %d, want 404", r.StatusCode)
	}
	// As of the day before, it was published.
	if r := publicGet(t, e, projectPath(published[0])+"?as_of=2021-08-28"); r.StatusCode != 200 {
		t.Errorf("withdrawn project as of the day it was published = %d, want 200", r.StatusCode)
	}
	if r := publicGet(t, e, publicPlanPath+"?as_of=2021-08-27"); strings.Contains(r.body, published[1].Name) {
		t.Errorf("plan notice as of the day before publishing shows %q", published[1].Name)
	}
	pp = office.get("/projects/" + strconv.FormatInt(published[0].ID, 10))
	if !strings.Contains(pp.body, "已撤回") || !strings.Contains(pp.body, "2021-08-29 10:00") || !strings.Contains(pp.body, "公示此项目") {
		t.Errorf("project page after withdrawing lacks 已撤回, its date or the publish button")
	}
	again := office.post("/publication", url.Values{"district": {"门头沟区"}, "year": {"2021"}, "action": {"withdraw"}, "project": {strconv.FormatInt(published[0].ID, 10)}})
	if loc := again.Header.Get("Location"); !strings.Contains(loc, url.QueryEscape("无需撤回")) {
		t.Errorf("withdrawing again = %s, want the reason", loc)
	}

	// A whole region at once.
	r = office.post("/publication", url.Values{"district": {"门头沟区"}, "year": {"2021"}, "action": {"publish"}, "region": {unpublished.Region}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish a region = %d: %s", r.StatusCode, r.body)
	}
	if !strings.Contains(publicGet(t, e, publicPlanPath).body, unpublished.Name) {
		t.Errorf("after publishing its region, %q is not shown", unpublished.Name)
	}

	// The complaint phone.
	if r := office.post("/publication/phone", url.Values{"district": {"门头沟区"}, "year": {"2021"}, "phone": {"找王主任"}}); !strings.Contains(r.Header.Get("Location"), "kind=error") {
		t.Errorf("a bad phone = %s, want an error", r.Header.Get("Location"))
	}
	office.post("/publication/phone", url.Values{"district": {"门头沟区"}, "year": {"2021"}, "phone": {"010-69842345"}})
	if !strings.Contains(publicGet(t, e, publicPlanPath).body, "010-69842345") {
		t.Errorf("plan notice lacks the complaint phone just set")
	}
	if op := office.get("/publication" + plan2021); op.StatusCode != 200 || !strings.Contains(op.body, "010-69842345") || !strings.Contains(op.body, "2021-08-29 10:00") {
		t.Errorf("GET /publication = %d, want the phone and the withdrawn project", op.StatusCode)
	}
}

// TestPublicXLSX: the download is a workbook with the page's rows.
func TestPublicXLSX(t *testing.T) {
	e := newEnv(t)
	published, unpublished := publishSome(t, e)
	r := publicGet(t, e, publicPlanPath+"?format=xlsx")
	if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("GET xlsx = %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	text := workbookText(t, []byte(r.body))
	for _, p := range published {
		if !strings.Contains(text, p.Name) {
			t.Errorf("workbook lacks %q", p.Name)
		}
	}
	for _, want := range []string{"区级帮扶资金（万元）", "受益人口（人）", "实施单位", "监督举报电话"} {
		if !strings.Contains(text, want) {
			t.Errorf("workbook lacks %q", want)
		}
	}
	if strings.Contains(text, "\t"+unpublished.Name+"\t") {
		t.Errorf("workbook has unpublished %q", unpublished.Name)
	}
}

// workbookText is every cell of every sheet, tab-separated.
func workbookText(t *testing.T, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer f.Close()
	var sb strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			sb.WriteString("\t" + strings.Join(row, "\t") + "\t\n")
		}
	}
	return sb.String()
}

// TestPublicNoPersonalData stores users' phones, contacts of units and projects with phones,
// and a project whose texts hold a phone and an ID number, publishes everything, and searches
// every public page and the workbook for them: none may appear.
func TestPublicNoPersonalData(t *testing.T) {
	e := newEnv(t)
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	plan, err := e.db.LoadPlan(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"13912345678", "139 1234 5678", "11010519491231002X", "110105491231002"}
	// Users with phones.
	for i, name := range []string{"office", "caizheng", "wuchuan"} {
		u := *e.users[name]
		u.Phone = "1391234" + strconv.Itoa(1000+i)
		secrets = append(secrets, u.Phone)
		if _, err := e.db.UpdateUser(ctx, &u); err != nil {
			t.Fatalf("UpdateUser(%s) = %v", name, err)
		}
	}
	// Contacts of projects and units.
	for i, p := range plan.Projects[:3] {
		phone := "1357654" + strconv.Itoa(3210+i)
		name := []string{"赵联系", "钱联系", "孙联系"}[i]
		secrets = append(secrets, phone, name)
		if err := e.db.SaveContact(ctx, sqldb.Contact{District: "门头沟区", Subject: sqldb.ProjectSubject(p.ID), Label: p.Name, Name: name, Phone: phone}); err != nil {
			t.Fatalf("SaveContact(project) = %v", err)
		}
	}
	for _, u := range plan.Units {
		if u.Name == "区财政局" {
			secrets = append(secrets, "13698765432", "李财务")
			if err := e.db.SaveContact(ctx, sqldb.Contact{District: "门头沟区", Subject: sqldb.UnitSubject(u.ID), Label: u.Name, Name: "李财务", Phone: "13698765432"}); err != nil {
				t.Fatalf("SaveContact(unit) = %v", err)
			}
		}
	}
	// Persons in charge (项目负责人) and the users' names.
	for _, p := range plan.Projects {
		for _, m := range strings.FieldsFunc(p.Managers, func(r rune) bool { return strings.ContainsRune("、，, ；;\n", r) }) {
			if len([]rune(m)) >= 2 && !strings.Contains(p.Implementer+p.Content+p.Name+p.Benefit+p.FundUse, m) {
				secrets = append(secrets, m)
			}
		}
	}
	for _, u := range testUsers {
		secrets = append(secrets, u.Name)
	}
	// A project whose texts carry personal numbers by mistake: stored by a re-import.
	p0 := plan.Projects[0]
	changed := *plan
	changed.Projects = append([]xiezuo.Project(nil), plan.Projects...)
	changed.Projects[0].Content = p0.Content + "（联系人 13912345678，身份证 11010519491231002X；经办人 １３９１２３４５６７８，身份证 110105 19491231 002X）"
	secrets = append(secrets, "１３９１２３４５６７８", "１２３４５６７８", "19491231", "002X")
	changed.Projects[0].Implementer = p0.Implementer + " 139 1234 5678"
	changed.Projects[0].Benefit = "旧证号 110105491231002"
	changed.Source.SHA256 = ""
	if _, err := e.db.ImportPlan(ctx, &changed, []byte("changed")); err != nil {
		t.Fatalf("re-import with personal numbers: %v", err)
	}
	e.srv.plans.forget()

	office := e.signIn("office")
	if r := office.post("/publication", url.Values{"district": {"门头沟区"}, "year": {"2021"}, "action": {"publish"}, "all": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish all = %d: %s", r.StatusCode, r.body)
	}
	office.post("/publication/phone", url.Values{"district": {"门头沟区"}, "year": {"2021"}, "phone": {"010-69842345"}})

	pages := map[string]string{}
	for _, path := range []string{"/public/", publicPlanPath} {
		pages[path] = publicGet(t, e, path).body
	}
	for _, p := range plan.Projects {
		path := publicPlanPath + "/" + strconv.FormatInt(p.ID, 10)
		r := publicGet(t, e, path)
		if r.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, r.StatusCode)
		}
		pages[path] = r.body
	}
	xl := publicGet(t, e, publicPlanPath+"?format=xlsx")
	pages["xlsx"] = workbookText(t, []byte(xl.body))
	if !strings.Contains(pages[publicPlanPath], "［号码已隐去］") {
		t.Errorf("the numbers typed into the project's texts were not struck out")
	}
	for where, body := range pages {
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("%s shows personal data %q", where, s)
			}
		}
	}
}

// TestBrowserPublicNoScript: the public notice reads the same with JavaScript disabled.
func TestBrowserPublicNoScript(t *testing.T) {
	e := newEnv(t)
	published, _ := publishSome(t, e)
	office := e.signIn("office")
	office.post("/publication/phone", url.Values{"district": {"门头沟区"}, "year": {"2021"}, "phone": {"010-69842345"}})
	b := newBrowser(t, e)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable scripts: %v", err)
	}
	b.phone()
	if status := b.open(publicPlanPath); status != 200 {
		t.Fatalf("open %s = %d", publicPlanPath, status)
	}
	// Scripts are off for the page, not for the test's own evaluation through the protocol.
	text := b.text()
	server := publicGet(t, e, publicPlanPath).body
	for _, want := range []string{published[0].Name, published[3].Name, "监督举报电话：010-69842345", "区级帮扶资金"} {
		if !strings.Contains(text, want) || !strings.Contains(server, strings.TrimPrefix(want, "监督举报电话：")) {
			t.Errorf("without JavaScript the page lacks %q", want)
		}
	}
	b.shot("public-notice")
}

// TestPublicNoticeAdjusted: after the office adjusts a published project's district fund (调整,
// with its approval document), the public notice shows the adjusted figure, at once.
func TestPublicNoticeAdjusted(t *testing.T) {
	e := newEnv(t)
	published, _ := publishSome(t, e)
	p := published[0]
	path := "/public/" + url.PathEscape("门头沟区") + "/2021/" + strconv.FormatInt(p.ID, 10)
	if r := publicGet(t, e, path); r.StatusCode != http.StatusOK || !strings.Contains(r.body, p.Name) {
		t.Fatalf("GET %s = %d before the adjustment", path, r.StatusCode)
	}
	office := e.signIn("office")
	form := url.Values{"kind": {"adjust"}, "date": {"2021-08-01"}, "note": {"追加资金"}, "reason": {"追加建设内容"},
		"document": {"门扶办〔2021〕12号"}, "new_total_wan": {"2000"}, "new_fund_wan": {"1234.56"}}
	if r := office.post("/projects/"+strconv.FormatInt(p.ID, 10)+"/steps?year=2021&district="+url.QueryEscape("门头沟区"), form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("adjustment = %d %s", r.StatusCode, excerpt(r.body))
	}
	if page := office.get("/projects/" + strconv.FormatInt(p.ID, 10) + "?year=2021&district=" + url.QueryEscape("门头沟区")).body; !strings.Contains(page, "区级帮扶资金（调整后；计划") || !strings.Contains(page, ">1234.56 <small>万元") {
		t.Errorf("the project page's figures do not show the adjusted district fund beside the plan's: %s", excerpt(page))
	}
	if r := publicGet(t, e, path); !strings.Contains(r.body, "1234.56") {
		t.Errorf("the public notice after the adjustment does not show 1234.56 万元: %s", excerpt(r.body))
	}
}

// TestPublishBlockAsOf: the project page as of a day before a project was published says it
// was not published then and offers the office no button.
func TestPublishBlockAsOf(t *testing.T) {
	e := newEnv(t)
	published, _ := publishSome(t, e)
	office := e.signIn("office")
	page := "/projects/" + strconv.FormatInt(published[0].ID, 10) + "?year=2021&district=" + url.QueryEscape("门头沟区")
	now := office.get(page).body
	if !strings.Contains(now, "撤回公示") {
		t.Fatalf("today's project page offers no 撤回公示 for a published project")
	}
	past := office.get(page + "&as_of=2021-01-31").body
	if strings.Contains(past, "撤回公示") || strings.Contains(past, `name="action" value="publish"`) {
		t.Errorf("the project page as of 2021-01-31 offers a publication button")
	}
}
