package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestRegisterTeamLeadTeams: a team lead (区人力社保局, 劳务协作专班) is offered only its team and
// may not fill another team's quota: the form keeps what was typed and says why (422); the
// office picks any team (browser review finding 5).
func TestRegisterTeamLeadTeams(t *testing.T) {
	e := newEnv(t)
	rs := e.signIn("renshe")
	form := rs.get("/registers/articles/new")
	if !strings.Contains(form.body, `<option>劳务协作专班</option>`) || strings.Contains(form.body, `<option>教育帮扶专班</option>`) {
		t.Errorf("the team lead's team select: %s", excerpt(form.body))
	}
	article := url.Values{"kind": {"典型案例"}, "title": {"劳务协作典型案例"}, "team": {"教育帮扶专班"}, "date": {"2021-08-01"}}
	id, resp := postEntry(t, rs, "articles", article)
	if id != 0 || resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "区人力社保局牵头的是劳务协作专班") ||
		!strings.Contains(resp.body, `value="劳务协作典型案例"`) {
		t.Errorf("team lead records for another team = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	article.Set("team", "劳务协作专班")
	if id, resp := postEntry(t, rs, "articles", article); id == 0 {
		t.Errorf("team lead records for its team = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	head := []any{"类型", "标题", "工作专班", "报送日期"}
	imp := rs.postMultipart("/registers/articles/import", "file", "a.xlsx", workbookOf(t, [][]any{head, {"典型案例", "案例", "教育帮扶专班", "2021-08-01"}}))
	if imp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(imp.body, "第2行：这条“信息和典型案例”记录的工作专班是教育帮扶专班：区人力社保局牵头的是劳务协作专班") {
		t.Errorf("import: team lead records for another team = %d: %s", imp.StatusCode, excerpt(imp.body))
	}
	office := e.signIn("office")
	article.Set("team", "教育帮扶专班")
	article.Set("unit", "区教委")
	article.Del("csrf") // renshe's, set by its posts
	if id, resp := postEntry(t, office, "articles", article); id == 0 {
		t.Errorf("office records for any team = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	api := tokenOf(t, e, "renshe").call("POST", "/api/v1/registers/articles",
		`{"values":{"kind":"典型案例","title":"案例","team":"教育帮扶专班","date":"2021-08-01"}}`)
	if api.StatusCode != http.StatusForbidden || !strings.Contains(api.body, "牵头的是劳务协作专班") {
		t.Errorf("API: team lead records for another team = %d: %s", api.StatusCode, api.body)
	}
}

// TestRegisterCadreRegion: the cadre's forms ask its region (required, only its regions) and fix
// its unit; a meeting without a region comes back in the form with a sentence that reads
// (422), not a 403 page losing what was typed (browser review findings 7 and 17).
func TestRegisterCadreRegion(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("wuchuan")
	for _, kind := range []string{"meetings", "trainings", "visits"} {
		form := c.get("/registers/" + kind + "/new")
		if !strings.Contains(form.body, `<select id="f-region" name="region" required><option value="">请选择</option><option>内蒙古武川县</option></select>`) {
			t.Errorf("%s: the cadre's region select: %s", kind, excerpt(form.body))
		}
		if !strings.Contains(form.body, `<select id="f-unit" name="unit" required><option selected>前方挂职干部</option></select>`) {
			t.Errorf("%s: the cadre's unit is not fixed: %s", kind, excerpt(form.body))
		}
	}
	meeting := url.Values{"kind": {"联席会议"}, "date": {"2021-08-20"}, "title": {"前方联席会议"}, "chair": {"陈干部"}, "unit": {"前方挂职干部"}}
	id, resp := postEntry(t, c, "meetings", meeting)
	if id != 0 || resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "这条“会议”记录没有填写“协作地区”") ||
		!strings.Contains(resp.body, `value="前方联席会议"`) {
		t.Errorf("cadre's meeting without a region = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	meeting.Set("region", "神农架林区")
	if _, resp := postEntry(t, c, "meetings", meeting); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.body, "这条“会议”记录的协作地区是神农架林区，您负责的地区是内蒙古武川县") {
		t.Errorf("cadre's meeting of another region = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	meeting.Set("region", "内蒙古武川县")
	meeting.Set("unit", "区教委")
	if _, resp := postEntry(t, c, "meetings", meeting); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "承办单位应为前方挂职干部") {
		t.Errorf("cadre's meeting for another unit = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	meeting.Set("unit", "前方挂职干部")
	if id, resp := postEntry(t, c, "meetings", meeting); id == 0 {
		t.Errorf("cadre's meeting = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
}

// TestRegisterOfficeUnits: the office chooses any unit on every form; a unit's user its own
// (browser review finding 17).
func TestRegisterOfficeUnits(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	for _, kind := range []string{"purchases", "meetings", "articles"} {
		form := office.get("/registers/" + kind + "/new")
		if !strings.Contains(form.body, `<option>区财政局</option>`) || !strings.Contains(form.body, `<option>区教委</option>`) {
			t.Errorf("%s: the office's unit select lacks units: %s", kind, excerpt(form.body))
		}
	}
	cz := e.signIn("caizheng")
	if form := cz.get("/registers/purchases/new"); !strings.Contains(form.body, `<select id="f-unit" name="unit" required><option selected>区财政局</option></select>`) {
		t.Errorf("the unit's purchase form: %s", excerpt(form.body))
	}
}

// TestRegisterWithdrawReason: a withdrawal without a reason comes back with the message under
// 撤销原因 in the open withdrawal panel (browser review finding 19).
func TestRegisterWithdrawReason(t *testing.T) {
	e := newEnv(t)
	id := registerFixture(t, e)
	office := e.signIn("office")
	path := "/registers/meetings/" + strconv.FormatInt(id, 10)
	resp := office.post(path+"/withdraw", url.Values{"reason": {" "}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("withdrawal without a reason = %d", resp.StatusCode)
	}
	if !strings.Contains(resp.body, `<details class="noprint" id="withdraw" open>`) || strings.Contains(resp.body, `id="correct" open`) {
		t.Errorf("the withdrawal panel is not the one open: %s", excerpt(resp.body))
	}
	i := strings.Index(resp.body, `id="withdraw"`)
	if i < 0 || !strings.Contains(resp.body[i:], "请填写撤销的原因") {
		t.Errorf("the message is not under 撤销原因: %s", excerpt(resp.body))
	}
}

// workbookOf writes rows into a workbook's first sheet.
func workbookOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRegisterImportEntryNumbers: a row naming its 编号 corrects that entry (with the reason
// typed on the form, or 工作簿导入更正), is passed over unchanged, and a 编号 of another
// register, an unknown one or a withdrawn entry is the row's error (browser review finding 4).
func TestRegisterImportEntryNumbers(t *testing.T) {
	e := newEnv(t)
	id := registerFixture(t, e) // 东西部协作联席会议, 2021-06-30
	c := e.signIn("office")
	visit := url.Values{"direction": {"赴协作地区"}, "level": {"其他"}, "leaders": {"王五"}, "region": {"内蒙古武川县"}, "from": {"2021-07-01"}, "to": {"2021-07-03"}, "unit": {"领导小组办公室"}}
	visitID, _ := postEntry(t, c, "visits", visit)
	gone, _ := postEntry(t, c, "meetings", url.Values{"kind": {"专班会议"}, "date": {"2021-07-01"}, "title": {"撤销的会议"}, "chair": {"李四"}, "unit": {"领导小组办公室"}})
	if r := c.post("/registers/meetings/"+strconv.FormatInt(gone, 10)+"/withdraw", url.Values{"reason": {"重复"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw = %d", r.StatusCode)
	}
	head := []any{"会议类型", "会议日期", "会议名称", "主持人", "协作地区", "承办单位", "编号"}
	row := func(title string, entry any) []any {
		return []any{"联席会议", "2021-06-30", title, "张三（区长）", "内蒙古武川县", "领导小组办公室", entry}
	}
	bad := workbookOf(t, [][]any{head, row("东西部协作联席会议", visitID), row("x", 9999), row("x", gone), row("x", "十二"), row("东西部协作联席会议", id), row("y", id)})
	resp := c.postMultipart("/registers/meetings/import", "file", "bad.xlsx", bad)
	for _, want := range []string{"第2行“编号”：" + strconv.FormatInt(visitID, 10) + " 不是本区“会议”台账的记录", "第3行“编号”：9999 不是本区“会议”台账的记录",
		"第4行“编号”：第 " + strconv.FormatInt(gone, 10) + " 号记录已撤销", "第5行“编号”：十二 不是记录编号", "第7行“编号”：第 " + strconv.FormatInt(id, 10) + " 号记录在第6行已经出现"} {
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, want) {
			t.Errorf("import lacks %q (%d): %s", want, resp.StatusCode, excerpt(resp.body))
		}
	}
	good := workbookOf(t, [][]any{head, row("东西部协作联席会议（更正）", id), row("新的联席会议", "")})
	resp = c.postMultipartFields("/registers/meetings/import", map[string]string{"reason": "名称按纪要更正"}, "file", "good.xlsx", good)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(c.get(resp.Header.Get("Location")).body, "新增 1 条、更正 1 条、未变 0 条") {
		t.Fatalf("import = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	page := c.get("/registers/meetings/" + strconv.FormatInt(id, 10))
	if !strings.Contains(page.body, "东西部协作联席会议（更正）") || !strings.Contains(page.body, "名称按纪要更正") {
		t.Errorf("the entry after its import: %s", excerpt(page.body))
	}
	resp = c.postMultipart("/registers/meetings/import", "file", "again.xlsx", workbookOf(t, [][]any{head, row("东西部协作联席会议", id)}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	if page := c.get("/registers/meetings/" + strconv.FormatInt(id, 10)); !strings.Contains(page.body, "工作簿导入更正") {
		t.Errorf("a correction without a typed reason: %s", excerpt(page.body))
	}
}

// TestRegisterPurchaseOnePerPeriod: a second purchase of 区财政局 in 2021-08 is refused naming
// the first, from the form (422, what was typed kept), the API (409) and a workbook (browser
// review finding 4).
func TestRegisterPurchaseOnePerPeriod(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	p := url.Values{"unit": {"区财政局"}, "period": {"2021-08"}, "food_total": {"10"}}
	first, resp := postEntry(t, c, "purchases", p)
	if first == 0 {
		t.Fatalf("first purchase = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	want := "已登记为第 " + strconv.FormatInt(first, 10) + " 号记录"
	p.Set("food_total", "12")
	p.Del("csrf")
	if id, resp := postEntry(t, c, "purchases", p); id != 0 || resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, want) ||
		!strings.Contains(resp.body, `value="12"`) {
		t.Errorf("second purchase from the form = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	api := tokenOf(t, e, "office").call("POST", "/api/v1/registers/purchases", `{"values":{"unit":"区财政局","period":"2021-08","food_total":"50000"}}`)
	if api.StatusCode != http.StatusConflict || !strings.Contains(api.body, want) {
		t.Errorf("second purchase from the API = %d: %s", api.StatusCode, api.body)
	}
	head := []any{"采购单位", "统计期间", "食堂食材采购总额（万元）"}
	resp = c.postMultipart("/registers/purchases/import", "file", "p.xlsx", workbookOf(t, [][]any{head, {"区财政局", "2021-08", "3"}, {"区教委", "2021-08", "1"}, {"区教委", "2021-08", "2"}}))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "第2行：区财政局 2021年8月的“消费帮扶采购”"+want) ||
		!strings.Contains(resp.body, "第4行：区教委 2021年8月的“消费帮扶采购”已登记为第") {
		t.Errorf("second purchase from a workbook = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
}

// postMultipartFields posts a file with other fields of a form.
func (c *client) postMultipartFields(path string, fields map[string]string, field, name string, data []byte) response {
	var buf bytes.Buffer
	boundary := "xiezuoboundary"
	buf.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + c.csrf + "\r\n")
	for k, v := range fields {
		buf.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n")
	}
	buf.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
	buf.Write(data)
	buf.WriteString("\r\n--" + boundary + "--\r\n")
	req, _ := http.NewRequest(http.MethodPost, c.e.ts.URL+path, &buf)
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	return c.do(req)
}

// TestRegisterImportSerials: a numeric cell is an Excel date serial, a text cell's digits are
// refused with a message (browser review finding 16).
func TestRegisterImportSerials(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	head := []any{"会议类型", "会议日期", "会议名称", "主持人", "承办单位"}
	resp := c.postMultipart("/registers/meetings/import", "file", "m.xlsx", workbookOf(t, [][]any{head, {"专班会议", "44440", "文本数字", "张三", "区财政局"}}))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "第2行“会议日期”：44440 是一串数字，不是日期") {
		t.Errorf("digits in a text cell = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	resp = c.postMultipart("/registers/meetings/import", "file", "m.xlsx", workbookOf(t, [][]any{head, {"专班会议", 44400, "数值日期", "张三", "区财政局"}}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a numeric date cell = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	if list := c.get("/registers/meetings"); !strings.Contains(list.body, "2021-07-23") {
		t.Errorf("the serial's day is not listed: %s", excerpt(list.body))
	}
}

// TestRegisterListOrder: a list is ordered by the entry's date, newest first, whatever the
// order of recording (browser review finding 16).
func TestRegisterListOrder(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	for _, m := range []struct{ date, title string }{{"2021-08-20", "八月会议"}, {"2021-08-25", "九月会议"}, {"2021-07-01", "七月会议"}} {
		if id, r := postEntry(t, c, "meetings", url.Values{"kind": {"专班会议"}, "date": {m.date}, "title": {m.title}, "chair": {"张三"}, "unit": {"区财政局"}}); id == 0 {
			t.Fatalf("POST = %d: %s", r.StatusCode, excerpt(r.body))
		}
	}
	list := c.get("/registers/meetings")
	i, j, k := strings.Index(list.body, "九月会议"), strings.Index(list.body, "八月会议"), strings.Index(list.body, "七月会议")
	if i < 0 || !(i < j && j < k) || !strings.Contains(list.body, "按会议日期排列，最新的在前") {
		t.Errorf("list order %d %d %d: %s", i, j, k, excerpt(list.body))
	}
	rows := readBack(t, []byte(c.get("/registers/meetings?format=xlsx").body))
	if len(rows) != 4 || rows[1][2] != "九月会议" || rows[3][2] != "七月会议" {
		t.Errorf("workbook order: %q", rows)
	}
}

// TestRegisterTemplateDropdowns: the template's choice, unit, region and team columns offer
// their lists from a hidden sheet (browser review finding 21).
func TestRegisterTemplateDropdowns(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	tpl := c.get("/registers/articles/template.xlsx?year=2021")
	f, err := excelize.OpenReader(strings.NewReader(tpl.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "信息和典型案例" || sheets[1] != "选项" {
		t.Fatalf("sheets = %v", sheets)
	}
	if visible, _ := f.GetSheetVisible("选项"); visible {
		t.Errorf("the options sheet is visible")
	}
	dvs, _ := f.GetDataValidations("信息和典型案例")
	byCol := map[string]string{}
	for _, dv := range dvs {
		byCol[dv.Sqref[:1]] = dv.Formula1
	}
	// 类型 (A, a choice), 工作专班 (C), 采用情况 (E), 涉及协作地区 (G), 报送单位 (H)
	for _, col := range []string{"A", "C", "E", "G", "H"} {
		if !strings.Contains(byCol[col], "选项") {
			t.Errorf("column %s has no dropdown: %v", col, byCol)
		}
	}
	cols, _ := f.GetCols("选项")
	all := fmt.Sprint(cols)
	for _, want := range []string{"典型案例", "教育帮扶专班", "内蒙古武川县", "区财政局"} {
		if !strings.Contains(all, want) {
			t.Errorf("the options lack %s: %s", want, all)
		}
	}
	// The template still imports: its hints are passed over.
	if r := c.postMultipart("/registers/articles/import", "file", "t.xlsx", []byte(tpl.body)); !strings.Contains(r.body, "文件中没有数据行") {
		t.Errorf("the template imported = %d: %s", r.StatusCode, excerpt(r.body))
	}
}
