package web

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/xlsx"
)

// postFields sends a multipart form with fields and one file, with the session's CSRF token.
func (c *client) postFields(path string, fields map[string]string, field, name string, data []byte) response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var (
	reFormInput  = regexp.MustCompile(`<input type="(?:hidden|text|number)" name="([^"]+)"[^>]*?value="([^"]*)"`)
	reFormSelect = regexp.MustCompile(`(?s)<select name="([^"]+)"[^>]*>(.*?)</select>`)
	reSelected   = regexp.MustCompile(`<option(?: value="([^"]*)")? selected>([^<]*)<`)
)

// formOf reads the fields of the form with id as a browser would submit it unchanged: inputs'
// values and each select's selected option ("" when none is).
func formOf(t *testing.T, body, id string) url.Values {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("page has no form #%s", id)
	}
	form := body[i:]
	form = form[:strings.Index(form, "</form>")]
	v := url.Values{}
	for _, m := range reFormInput.FindAllStringSubmatch(form, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range reFormSelect.FindAllStringSubmatch(form, -1) {
		val := ""
		if s := reSelected.FindStringSubmatch(m[2]); s != nil {
			val = s[1]
			if !strings.Contains(s[0], "value=") {
				val = s[2]
			}
		}
		v.Set(m[1], html.UnescapeString(val))
	}
	return v
}

// TestLayouts walks a city platform's template through the office's pages: upload, the proposed
// mapping (header rows, data row, 合计 row, a field per column, the title cells), refusals that
// name the problem, a saved version, the export for the 2021 plan with a generated year of
// money and steps — read back with excelize and compared with the database's figures — and a
// second version beside the first. Leaders, units and the city office are refused.
func TestLayouts(t *testing.T) {
	e := newEnv(t)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	dashYear(t, e, today)
	tmpl, err := xlsx.ExampleLayoutTemplate()
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"leader", "caizheng", "city", "renshe", "wuchuan", "sysadmin"} {
		c := e.signIn(who)
		if r := c.get("/layouts"); r.StatusCode != http.StatusForbidden {
			t.Errorf("GET /layouts as %s = %d, want 403", who, r.StatusCode)
		}
		if r := c.postFields("/layouts/upload", map[string]string{"name": "x", "kind": "projects"}, "file", "t.xlsx", tmpl); r.StatusCode != http.StatusForbidden {
			t.Errorf("POST /layouts/upload as %s = %d, want 403", who, r.StatusCode)
		}
	}
	office := e.signIn("office")
	if r := office.get("/layouts" + plan2021); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "还没有登记任何上级平台的报表格式") {
		t.Fatalf("GET /layouts = %d:\n%s", r.StatusCode, excerpt(r.body))
	}
	// Refusals on upload.
	for _, bad := range []struct {
		file   string
		data   []byte
		status int
		want   string
	}{
		{"模板.docx", tmpl, http.StatusBadRequest, "不是 .xlsx 工作簿"},
		{"坏的.xlsx", []byte("not a zip"), http.StatusBadRequest, "模板“坏的.xlsx”无法使用"},
		{"大的.xlsx", make([]byte, xiezuo.MaxLayoutTemplate+1), http.StatusRequestEntityTooLarge, "模板文件超过 2 MB"},
	} {
		if r := office.postFields("/layouts/upload", map[string]string{"name": "市级东西部协作项目表", "kind": "projects"}, "file", bad.file, bad.data); r.StatusCode != bad.status || !strings.Contains(r.body, bad.want) {
			t.Errorf("upload %s = %d, want %d naming %q:\n%s", bad.file, r.StatusCode, bad.status, bad.want, excerpt(r.body))
		}
	}
	r := office.postFields("/layouts/upload", map[string]string{"name": "市级东西部协作项目表", "kind": "projects"}, "file", "2021年东西部协作项目进展情况表.xlsx", tmpl)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/layouts/new?") {
		t.Fatalf("upload = %d %s:\n%s", r.StatusCode, r.Header.Get("Location"), excerpt(r.body))
	}
	page := office.get(r.Header.Get("Location"))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("mapping page = %d:\n%s", page.StatusCode, excerpt(page.body))
	}
	form := formOf(t, page.body, "layout-map")
	want := map[string]string{"name": "市级东西部协作项目表", "kind": "projects", "sheet": "项目进展", "header_first": "3", "header_last": "4", "data_row": "5", "total_row": "6",
		"col_1": "serial", "col_2": "region", "col_3": "name", "col_7": "fund", "col_11": "status", "col_12": "disbursed", "col_13": "rate", "col_15": "",
		"cell_A2": "reporter", "cell_L2": "reported_on", "cell_A1": ""}
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("mapping page proposes %s = %q, want %q", k, form.Get(k), v)
		}
	}
	for _, role := range []string{`class="role-表头"`, `class="role-数据"`, `class="role-合计"`, `class="role-标题"`} {
		if !strings.Contains(page.body, role) {
			t.Errorf("the preview does not mark %s", role)
		}
	}
	// Refusals on save, the office's choices kept.
	for _, bad := range []struct {
		change map[string]string
		want   string
	}{
		{map[string]string{"col_15": "fund"}, "“区级资金”对应了两列：第G列和第O列"},
		{map[string]string{"data_row": "0"}, "没有数据行"},
		{map[string]string{"name": ""}, "请为格式起一个名称"},
		{map[string]string{"col_3": "work_item"}, "不能用于项目"},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		for k, v := range bad.change {
			f.Set(k, v)
		}
		f.Set("action", "save")
		r := office.post("/layouts", f)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(r.body), bad.want) {
			t.Errorf("save with %v = %d, want 400 naming %q:\n%s", bad.change, r.StatusCode, bad.want, excerpt(r.body))
		}
	}
	form.Set("action", "save")
	r = office.post("/layouts", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d:\n%s", r.StatusCode, excerpt(r.body))
	}
	loc := r.Header.Get("Location")
	id := regexp.MustCompile(`^/layouts/(\d+)\?`).FindStringSubmatch(loc)
	if id == nil {
		t.Fatalf("save redirects to %q", loc)
	}
	if p := office.get(loc); p.StatusCode != http.StatusOK || !strings.Contains(p.body, "已保存报表格式“市级东西部协作项目表”第1版") {
		t.Errorf("layout page = %d:\n%s", p.StatusCode, excerpt(p.body))
	}
	// The upload is gone once saved.
	if p := office.get(r.Header.Get("Location")); p.StatusCode != http.StatusOK {
		t.Errorf("GET %s = %d", loc, p.StatusCode)
	}

	// The export for 2021 as of 15 September, read back and compared with the database.
	exp := office.get("/layouts/" + id[1] + "/export?year=2021&as_of=2021-09-15")
	if exp.StatusCode != http.StatusOK || !strings.Contains(exp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export = %d %s:\n%s", exp.StatusCode, exp.Header.Get("Content-Type"), excerpt(exp.body))
	}
	if cd := exp.Header.Get("Content-Disposition"); !strings.Contains(cd, url.PathEscape("市级东西部协作项目表（门头沟区2021年，截至2021-09-15）.xlsx")) {
		t.Errorf("Content-Disposition = %q", cd)
	}
	f, err := excelize.OpenReader(strings.NewReader(exp.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	live, err := e.db.PlanLiveFigures(t.Context(), "门头沟区", 2021, xiezuo.Date{Year: 2021, Month: 9, Day: 15})
	if err != nil {
		t.Fatal(err)
	}
	get := func(col, row int) string {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		v, _ := f.GetCellValue("项目进展", cell, excelize.Options{RawCellValue: true})
		return v
	}
	var fund, disbursed int64
	started := 0
	for i, pr := range xiezuo.Rollup(plan, xiezuo.ProjectFilter{}).Total.Projects {
		row := 5 + i
		lv := live[pr.ID]
		status := lv.Status
		if status == "" {
			status = xiezuo.StatusPlanned
		}
		if status != xiezuo.StatusPlanned {
			started++
		}
		got := []string{get(1, row), get(2, row), get(3, row), get(7, row), get(11, row), get(12, row)}
		wantRow := []string{strconv.Itoa(i + 1), pr.Region, pr.Name, xiezuo.FormatWan(pr.DistrictFund.V), status.Text(), xiezuo.FormatWan(lv.Disbursed)}
		if fmt.Sprint(got) != fmt.Sprint(wantRow) {
			t.Errorf("row %d = %q, want %q", row, got, wantRow)
		}
		fund += pr.DistrictFund.V
		disbursed += lv.Disbursed
	}
	if started == 0 || disbursed == 0 {
		t.Errorf("the generated year has %d projects started and %d fen disbursed: the test compares nothing live", started, disbursed)
	}
	t.Logf("exported %d projects, %d of them started, %s 万元 of %s disbursed", len(plan.Projects), started, xiezuo.FormatWan(disbursed), xiezuo.FormatWan(fund))
	total := 5 + len(plan.Projects)
	if get(1, total) != "合计" || get(7, total) != "560.5" || get(7, total) != xiezuo.FormatWan(fund) || get(12, total) != xiezuo.FormatWan(disbursed) {
		t.Errorf("合计 row %d = %q %q %q, want 合计, %s, %s", total, get(1, total), get(7, total), get(12, total), xiezuo.FormatWan(fund), xiezuo.FormatWan(disbursed))
	}
	if a2 := get(1, 2); a2 != "填报单位（盖章）：门头沟区扶贫协作和支援合作工作领导小组办公室" { // the plan's office, as the drafts sign
		t.Errorf("A2 = %q", a2)
	}
	if l2 := get(12, 2); l2 != "填报日期：2021年9月15日" {
		t.Errorf("L2 = %q", l2)
	}

	// Bad exports are refused in words.
	for _, bad := range []struct {
		query  string
		status int
		want   string
	}{
		{"year=abc", http.StatusBadRequest, "请选择要填报的年度"},
		{"year=2021&as_of=2021-13-01", http.StatusBadRequest, "不是有效日期"},
		{"year=2021&as_of=2021-12-01", http.StatusBadRequest, "晚于今天"},
		{"year=2020", http.StatusNotFound, "2020"},
	} {
		r := office.get("/layouts/" + id[1] + "/export?" + bad.query)
		if r.StatusCode != bad.status || !strings.Contains(r.body, bad.want) {
			t.Errorf("export ?%s = %d, want %d naming %q:\n%s", bad.query, r.StatusCode, bad.status, bad.want, excerpt(r.body))
		}
	}
	// Another district's office neither sees nor exports the layout.
	other := xiezuo.User{Username: "yanqing", Name: "赵办公", District: "延庆区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}, PasswordAt: *e.clock}
	if err := e.db.CreateUser(t.Context(), &other, testHash); err != nil {
		t.Fatal(err)
	}
	yq := e.signIn("yanqing")
	for _, path := range []string{"/layouts/" + id[1], "/layouts/" + id[1] + "/export?year=2021", "/layouts/new?from=" + id[1]} {
		if r := yq.get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s as another district's office = %d, want 404", path, r.StatusCode)
		}
	}
	if r := yq.get("/layouts"); r.StatusCode != http.StatusOK || strings.Contains(r.body, `id="layouts"`) || !strings.Contains(r.body, "还没有登记任何上级平台的报表格式") {
		t.Errorf("another district's office lists this district's layouts (%d)", r.StatusCode)
	}
	if r := office.get("/layouts/99999"); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET /layouts/99999 = %d", r.StatusCode)
	}

	// A second version from the stored one: the first stays.
	p2 := office.get("/layouts/new?from=" + id[1])
	if p2.StatusCode != http.StatusOK {
		t.Fatalf("GET /layouts/new?from= = %d:\n%s", p2.StatusCode, excerpt(p2.body))
	}
	form2 := formOf(t, p2.body, "layout-map")
	if form2.Get("col_7") != "fund" || form2.Get("from") != id[1] || form2.Get("name") != "市级东西部协作项目表" {
		t.Errorf("a new version starts from the stored mapping: %v", form2)
	}
	form2.Set("col_15", "lead")
	form2.Set("action", "save")
	r = office.post("/layouts", form2)
	if r.StatusCode != http.StatusSeeOther || !strings.Contains(office.get(r.Header.Get("Location")).body, "第2版") {
		t.Fatalf("save version 2 = %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	list := office.get("/layouts" + plan2021)
	if !strings.Contains(list.body, "第2版") || strings.Contains(list.body, "第1版") {
		t.Errorf("the list shows the latest version only:\n%s", excerpt(list.body))
	}
	if v1 := office.get("/layouts/" + id[1]); v1.StatusCode != http.StatusOK || !strings.Contains(v1.body, "第1版") {
		t.Errorf("version 1 is kept: %d", v1.StatusCode)
	}
}

// simpleTemplate is a workbook with a title row, one header row, a data row with borders and,
// when total is set, a 合计 row under it.
func simpleTemplate(t *testing.T, title string, headers []string, total bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellValue("Sheet1", "A1", title)
	for i, h := range headers {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellValue("Sheet1", cell, h)
	}
	style, _ := f.NewStyle(&excelize.Style{Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
	last, _ := excelize.CoordinatesToCellName(len(headers), 3)
	f.SetCellStyle("Sheet1", "A3", last, style)
	if total {
		f.SetCellValue("Sheet1", "A4", "合计")
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// saveLayout uploads a template of kind, saves the proposed mapping and returns the layout's id.
func saveLayout(t *testing.T, c *client, name, kind string, data []byte) string {
	t.Helper()
	r := c.postFields("/layouts/upload", map[string]string{"name": name, "kind": kind}, "file", name+".xlsx", data)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload %s = %d:\n%s", name, r.StatusCode, excerpt(r.body))
	}
	form := formOf(t, c.get(r.Header.Get("Location")).body, "layout-map")
	form.Set("action", "save")
	r = c.post("/layouts", form)
	id := regexp.MustCompile(`^/layouts/(\d+)\?`).FindStringSubmatch(r.Header.Get("Location"))
	if r.StatusCode != http.StatusSeeOther || id == nil {
		t.Fatalf("save %s = %d %v:\n%s", name, r.StatusCode, form, excerpt(r.body))
	}
	return id[1]
}

// TestLayoutsTasksAndRegions exports a task layout (a row per task with its state as of the
// day, as the supervision board has it) and a region layout (a row per partner region with its
// projects' money and a 合计 row), and compares them with the plan and the database.
func TestLayoutsTasksAndRegions(t *testing.T) {
	e := newEnv(t)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	dashYear(t, e, today)
	office := e.signIn("office")
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	asOf := xiezuo.Date{Year: 2021, Month: 8, Day: 31}

	tasks := saveLayout(t, office, "国家平台任务进展", "tasks", simpleTemplate(t, "任务进展", []string{"序号", "工作事项", "任务类别", "责任单位", "完成时限", "完成情况"}, false))
	r := office.get("/layouts/" + tasks + "/export?year=2021&as_of=" + asOf.String())
	if r.StatusCode != http.StatusOK {
		t.Fatalf("export tasks = %d:\n%s", r.StatusCode, excerpt(r.body))
	}
	f, err := excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Sheet1")
	f.Close()
	req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(t.Context())
	_, version, err := e.srv.plans.getVersion(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	board, _, err := e.srv.boardAt(req, plan, version, xiezuo.SuperviseFilter{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2+len(plan.Tasks) {
		t.Fatalf("task export has %d rows, want the title, the header and %d tasks", len(rows), len(plan.Tasks))
	}
	states := map[string]bool{}
	for i, task := range plan.Tasks {
		st, _ := board.Duty(xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: task.ID})
		got := rows[2+i]
		if len(got) < 6 || got[0] != strconv.Itoa(i+1) || got[1] != task.WorkItem || got[2] != task.Category || got[4] != task.Deadline.Text || got[5] != st.State.Text() {
			t.Errorf("task row %d = %q, want %d %s %s … %s", 3+i, got, i+1, task.WorkItem, task.Category, st.State.Text())
		}
		states[st.State.Text()] = true
	}
	if len(states) < 2 {
		t.Errorf("every task reads the same state %v: the generated year compares nothing", states)
	}

	regions := saveLayout(t, office, "市级资金拨付表", "regions", simpleTemplate(t, "资金拨付", []string{"协作地区", "项目个数", "财政援助资金（万元）", "已拨付（万元）", "拨付率"}, true))
	r = office.get("/layouts/" + regions + "/export?year=2021&as_of=" + asOf.String())
	if r.StatusCode != http.StatusOK {
		t.Fatalf("export regions = %d:\n%s", r.StatusCode, excerpt(r.body))
	}
	f, err = excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ = f.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	live, err := e.db.PlanLiveFigures(t.Context(), "门头沟区", 2021, asOf)
	if err != nil {
		t.Fatal(err)
	}
	table := xiezuo.Rollup(plan, xiezuo.ProjectFilter{})
	if len(rows) != 3+len(table.Regions) {
		t.Fatalf("region export has %d rows, want title, header, %d regions and 合计", len(rows), len(table.Regions))
	}
	var all int64
	for i, g := range table.Regions {
		var fund, paid int64
		for _, pr := range g.Projects {
			fund += pr.DistrictFund.V
			paid += live[pr.ID].Disbursed
		}
		all += paid
		got := rows[2+i]
		want := []string{g.Region, strconv.Itoa(len(g.Projects)), xiezuo.FormatWan(fund), xiezuo.FormatWan(paid)}
		if len(got) < 4 || fmt.Sprint(got[:4]) != fmt.Sprint(want) {
			t.Errorf("region row %d = %q, want %q", 3+i, got, want)
		}
	}
	totalRow := rows[2+len(table.Regions)]
	if len(totalRow) < 4 || totalRow[0] != "合计" || totalRow[1] != strconv.Itoa(len(plan.Projects)) || totalRow[2] != "560.5" || totalRow[3] != xiezuo.FormatWan(all) {
		t.Errorf("合计 row = %q, want 合计 %d 560.5 %s", totalRow, len(plan.Projects), xiezuo.FormatWan(all))
	}
}
