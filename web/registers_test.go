package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/sqldb"
)

// registerFixture stores a meeting of the office and returns its entry id.
func registerFixture(t *testing.T, e *env) int64 {
	t.Helper()
	spec, _ := xiezuo.RegisterSpecOf(xiezuo.RegMeeting)
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	entry, probs := xiezuo.CheckEntry(spec, plan, map[string]string{"kind": "联席会议", "date": "2021-06-30", "title": "东西部协作联席会议",
		"chair": "张三（区长）", "region": "武川县", "unit": "领导小组办公室"}, xiezuo.Date{Year: 2021, Month: 8, Day: 28})
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	out, err := e.db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{entry})
	if err != nil {
		t.Fatal(err)
	}
	return out[0].Entry
}

var entryLocation = regexp.MustCompile(`^/registers/[a-z-]+/(\d+)\?`)

// postEntry posts a register's form and returns the entry it redirected to (0 when it did not).
func postEntry(t *testing.T, c *client, kind string, form url.Values) (int64, response) {
	t.Helper()
	resp := c.post("/registers/"+kind, form)
	m := entryLocation.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		return 0, resp
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id, resp
}

// TestRegisterForms: the office records a meeting and a purchase through the forms and sees them
// in the lists with their sums; a blank amount is not reported, never 0.
func TestRegisterForms(t *testing.T) {
	e := newEnv(t) // today is 2021-08-28
	c := e.signIn("office")
	form := c.get("/registers/meetings/new")
	if form.StatusCode != http.StatusOK || !strings.Contains(form.body, `type="date" name="date"`) || !strings.Contains(form.body, "会议类型") {
		t.Fatalf("GET form = %d: %s", form.StatusCode, excerpt(form.body))
	}
	id, resp := postEntry(t, c, "meetings", url.Values{"kind": {"联席会议"}, "date": {"2021-06-30"}, "title": {"东西部协作联席会议"},
		"chair": {"张三（区长）"}, "region": {"内蒙古武川县"}, "unit": {"领导小组办公室"}})
	if id == 0 {
		t.Fatalf("POST meeting = %d %s: %s", resp.StatusCode, resp.Header.Get("Location"), excerpt(resp.body))
	}
	page := c.get(resp.Header.Get("Location"))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, "东西部协作联席会议") || !strings.Contains(page.body, "王办公（领导小组办公室）") {
		t.Errorf("entry page = %d: %s", page.StatusCode, excerpt(page.body))
	}
	list := c.get("/registers/meetings?from=2021-01-01&to=2021-12-31")
	if !strings.Contains(list.body, "东西部协作联席会议") || !strings.Contains(list.body, "共 1 条") {
		t.Errorf("meeting list: %s", excerpt(list.body))
	}
	for _, p := range []url.Values{
		{"unit": {"区财政局"}, "period": {"2021-H1"}, "food_total": {"100"}, "welfare_total": {"20.5"}, "via_832": {"30"}, "via_direct": {"8"}},
		{"unit": {"区教委"}, "period": {"2021-06"}, "food_total": {"10"}, "via_832": {"2.25"}},
	} {
		if id, resp := postEntry(t, c, "purchases", p); id == 0 {
			t.Fatalf("POST purchase = %d: %s", resp.StatusCode, excerpt(resp.body))
		}
	}
	list = c.get("/registers/purchases")
	for _, want := range []string{"共 2 条", "食堂食材采购总额", "110万元", "工会福利采购总额", "20.5万元（未报 1 条）", "采购协作地区产品", "40.25万元",
		"未报（2 条均未填写）", "2021年上半年", "区教委"} {
		if !strings.Contains(list.body, want) {
			t.Errorf("purchase list lacks %q: %s", want, excerpt(list.body))
		}
	}
	if strings.Contains(list.body, "0万元（未报 2 条）") {
		t.Errorf("a sum of nothing reported is shown as 0")
	}
	idx := c.get("/registers")
	if !strings.Contains(idx.body, "消费帮扶采购") || !regexp.MustCompile(`消费帮扶采购</a> <span class="count">2 条`).MatchString(idx.body) {
		t.Errorf("index: %s", excerpt(idx.body))
	}
}

// TestRegisterBadInput: bad values come back with the messages beside the fields and what was
// typed, and nothing is stored.
func TestRegisterBadInput(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	id, resp := postEntry(t, c, "meetings", url.Values{"kind": {"联席会议"}, "date": {"2021-13-01"}, "chair": {"张三"}, "unit": {"领导小组办公室"}, "minutes": {"纪要第3号"}})
	if id != 0 || resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("POST bad meeting = %d", resp.StatusCode)
	}
	for _, want := range []string{"“会议日期”：2021-13-01 不是日期", "“会议名称”必须填写", `value="2021-13-01"`, "纪要第3号", `<span class="problem" role="alert">`} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("bad meeting page lacks %q", want)
		}
	}
	rows, _ := e.db.RegisterRows(t.Context(), "门头沟区", e.clock.AddDate(1, 0, 0))
	if len(rows) != 0 {
		t.Errorf("stored %d rows", len(rows))
	}
}

// TestRegisterRights: a unit records its own entries only; leaders and the city office read.
func TestRegisterRights(t *testing.T) {
	e := newEnv(t)
	cz := e.signIn("caizheng")
	meeting := url.Values{"kind": {"专班会议"}, "date": {"2021-07-01"}, "title": {"专班会议"}, "chair": {"李四"}}
	other := url.Values{"unit": {"区教委"}}
	for k, v := range meeting {
		other[k] = v
	}
	if _, resp := postEntry(t, cz, "meetings", other); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "区财政局只能登记和修改本单位的记录") {
		t.Errorf("unit records for another unit = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	id, resp := postEntry(t, cz, "meetings", meeting) // the form fixes its own unit
	if id == 0 {
		t.Fatalf("unit records its own = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	form := cz.get("/registers/meetings/new")
	if !strings.Contains(form.body, `<select id="f-unit" name="unit" required><option selected>区财政局</option></select>`) {
		t.Errorf("the unit's form does not fix its unit: %s", excerpt(form.body))
	}
	for _, name := range []string{"leader", "city"} {
		c := e.signIn(name)
		if r := c.get("/registers/meetings/" + strconv.FormatInt(id, 10)); r.StatusCode != http.StatusOK || strings.Contains(r.body, "更正这条记录") {
			t.Errorf("%s reads the entry = %d, or is offered to correct it", name, r.StatusCode)
		}
		if _, r := postEntry(t, c, "meetings", meeting); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s records = %d, want 403", name, r.StatusCode)
		}
	}
	// Correction and withdrawal by the unit: a reason is asked; the history names who and why.
	path := "/registers/meetings/" + strconv.FormatInt(id, 10)
	corrected := url.Values{"title": {"劳务协作专班会议"}, "reason": {}}
	for k, v := range meeting {
		if k != "title" {
			corrected[k] = v
		}
	}
	corrected.Set("unit", "区财政局")
	if r := cz.post(path+"/correct", corrected); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请填写更正的原因") {
		t.Errorf("correction without a reason = %d", r.StatusCode)
	}
	corrected.Set("reason", "会议名称写错")
	if r := cz.post(path+"/correct", corrected); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("correction = %d: %s", r.StatusCode, excerpt(r.body))
	}
	page := cz.get(path)
	if !strings.Contains(page.body, "劳务协作专班会议") || !strings.Contains(page.body, "会议名称写错") || !strings.Contains(page.body, "李财政（区财政局）") {
		t.Errorf("entry after correction: %s", excerpt(page.body))
	}
	if old := cz.get(path + "?as_of=2021-08-28"); !strings.Contains(old.body, "劳务协作专班会议") {
		t.Errorf("as of today the corrected entry is not shown")
	}
	if r := cz.post(path+"/withdraw", url.Values{"reason": {"重复登记"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdrawal = %d: %s", r.StatusCode, excerpt(r.body))
	}
	if list := cz.get("/registers/meetings"); !strings.Contains(list.body, "共 0 条") {
		t.Errorf("a withdrawn entry is listed")
	}
	if r := cz.post(path+"/withdraw", url.Values{"reason": {"再撤销"}}); r.StatusCode != http.StatusConflict {
		t.Errorf("second withdrawal = %d, want 409", r.StatusCode)
	}
}

// readBack reads a workbook's first sheet as rows of cells.
func readBack(t *testing.T, data []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestRegisterWorkbookRoundTrip: the download has Chinese headers and amounts in 万元, and imports
// back to the same entries.
func TestRegisterWorkbookRoundTrip(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	for _, p := range []url.Values{
		{"donor": {"某某公司"}, "donor_kind": {"企业"}, "region": {"内蒙古武川县"}, "date": {"2021-05-01"}, "money": {"12.345678"}, "goods_note": {"米、面"}, "unit": {"区工商联"}},
		{"donor": {"张三"}, "donor_kind": {"个人"}, "region": {"神农架林区"}, "date": {"2021/6/1"}, "goods": {"0"}, "unit": {"区民政局"}},
	} {
		if id, r := postEntry(t, c, "donations", p); id == 0 {
			t.Fatalf("POST donation = %d: %s", r.StatusCode, excerpt(r.body))
		}
	}
	down := c.get("/registers/donations?format=xlsx")
	if down.StatusCode != http.StatusOK {
		t.Fatalf("download = %d", down.StatusCode)
	}
	// Amounts are numbers Excel can sum, not text.
	if wb, err := excelize.OpenReader(strings.NewReader(down.body)); err != nil {
		t.Fatal(err)
	} else {
		if typ, _ := wb.GetCellType(wb.GetSheetName(0), "E3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("捐款 cell E3 is of type %v, want a number", typ)
		}
		if v, _ := wb.GetCellValue(wb.GetSheetName(0), "E3", excelize.Options{RawCellValue: true}); v != "12.345678" {
			t.Errorf("捐款 cell E3 = %q, want 12.345678", v)
		}
		wb.Close()
	}
	rows := readBack(t, []byte(down.body))
	if len(rows) != 3 || rows[0][0] != "捐赠方" || rows[0][4] != "捐款（万元）" || rows[2][4] != "12.345678" || rows[2][3] != "2021-05-01" { // newest first
		t.Fatalf("workbook rows = %q", rows)
	}
	imp := c.postMultipart("/registers/donations/import", "file", "donations.xlsx", []byte(down.body))
	if imp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import = %d: %s", imp.StatusCode, excerpt(imp.body))
	}
	// The export's rows name their 编号: imported back they are the same entries, unchanged.
	if list := c.get(imp.Header.Get("Location")); !strings.Contains(list.body, "新增 0 条、更正 0 条、未变 2 条") || !strings.Contains(list.body, "共 2 条") {
		t.Errorf("list after import: %s", excerpt(list.body))
	}
	stored, err := e.db.RegisterRows(t.Context(), "门头沟区", e.clock.AddDate(1, 0, 0), xiezuo.RegDonation)
	if err != nil || len(stored) != 2 {
		t.Fatalf("stored %d rows (%v)", len(stored), err)
	}
	// Without the 编号 column the rows are new entries, the same values.
	f, _ := excelize.OpenReader(strings.NewReader(down.body))
	sheet := f.GetSheetList()[0]
	cols, _ := f.GetCols(sheet)
	last, _ := excelize.ColumnNumberToName(len(cols))
	f.RemoveCol(sheet, last)
	var buf bytes.Buffer
	f.Write(&buf)
	if imp := c.postMultipart("/registers/donations/import", "file", "new.xlsx", buf.Bytes()); imp.StatusCode != http.StatusSeeOther ||
		!strings.Contains(c.get(imp.Header.Get("Location")).body, "新增 2 条、更正 0 条、未变 0 条") {
		t.Fatalf("import without 编号 = %d: %s", imp.StatusCode, excerpt(imp.body))
	}
	stored, _ = e.db.RegisterRows(t.Context(), "门头沟区", e.clock.AddDate(1, 0, 0), xiezuo.RegDonation)
	for i := 0; i < 2 && len(stored) == 4; i++ { // the workbook lists the newest first
		if diff := cmp.Diff(stored[i].Values, stored[3-i].Values); diff != "" {
			t.Errorf("entry %d imported back (-exported +imported):\n%s", i, diff)
		}
	}
	// The template: the header and its hints, which an import passes over.
	tpl := c.get("/registers/donations/template.xlsx")
	rows = readBack(t, []byte(tpl.body))
	if len(rows) != 2 || rows[0][1] != "捐赠方类型" || !strings.Contains(rows[1][1], "可选：企业、社会组织、个人、机关事业单位") {
		t.Errorf("template rows = %q", rows)
	}
}

// TestRegisterImportBadRows: a workbook with bad rows is refused whole, each row named.
func TestRegisterImportBadRows(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	f := excelize.NewFile()
	rows := [][]any{
		{"会议类型", "会议日期", "会议名称", "主持人", "协作地区", "承办单位"},
		{"联席会议", "2021-06-30", "好的会议", "张三", "武川县", "区财政局"},
		{"联席会议", "2021-13-01", "坏日期", "张三", "武川县", "区财政局"},
		{"座谈会", 44377, "坏类型", "张三", "河北省", "区财政局"},
		{"专班会议", "2021-07-01", "", "张三", "", "区财务局"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	resp := c.postMultipart("/registers/meetings/import", "file", "bad.xlsx", buf.Bytes())
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("import = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	for _, want := range []string{"第3行“会议日期”：2021-13-01 不是日期", "第4行“会议类型”：“座谈会”不是可选项", "第4行“协作地区”：“河北省”不是2021年计划的协作地区",
		"第5行“会议名称”必须填写", "第5行“承办单位”：单位目录中没有“区财务局”，是否指：区财政局", "整个文件未导入"} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("import page lacks %q: %s", want, excerpt(resp.body))
		}
	}
	if strings.Contains(resp.body, "第2行") {
		t.Errorf("the good row is named")
	}
	stored, _ := e.db.RegisterRows(t.Context(), "门头沟区", e.clock.AddDate(1, 0, 0))
	if len(stored) != 0 {
		t.Errorf("stored %d rows of a refused file", len(stored))
	}
	// A unit's workbook naming another unit is refused the same way.
	cz := e.signIn("caizheng")
	rows = rows[:2]
	rows[1][5] = "区教委"
	f = excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	buf.Reset()
	f.Write(&buf)
	if r := cz.postMultipart("/registers/meetings/import", "file", "other.xlsx", buf.Bytes()); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "第2行：这条“会议”记录的承办单位是区教委") {
		t.Errorf("unit imports another unit's = %d: %s", r.StatusCode, excerpt(r.body))
	}
}

// TestRegisterAPI: 201 with amounts typed in 元, 422 naming the field, 403 for a unit or role
// that may not, an Idempotency-Key replayed.
func TestRegisterAPI(t *testing.T) {
	e := newEnv(t)
	office, cz, leader := tokenOf(t, e, "office"), tokenOf(t, e, "caizheng"), tokenOf(t, e, "leader")
	body := `{"values":{"donor":"某某公司","donor_kind":"企业","region":"武川县","date":"2021-05-01","money":"123456.78","unit":"区工商联"}}`
	r := office.call("POST", "/api/v1/registers/donations", body, "Idempotency-Key", "don-1")
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("POST = %d %s", r.StatusCode, r.body)
	}
	var got apiRegisterEntry
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || got.ID == 0 || got.Values["money"] != "123456.78" || got.Region != "内蒙古武川县" ||
		got.Date != "2021-05-01" || got.Unit != "区工商联" || got.RecordedBy != "office" {
		t.Fatalf("POST answered %s (%v)", r.body, err)
	}
	if again := office.call("POST", "/api/v1/registers/donations", body, "Idempotency-Key", "don-1"); again.StatusCode != http.StatusOK || !strings.Contains(again.body, `"id":`+strconv.FormatInt(got.ID, 10)) {
		t.Errorf("replay = %d %s", again.StatusCode, again.body)
	}
	if again := office.call("POST", "/api/v1/registers/donations", strings.Replace(body, "某某", "另一", 1), "Idempotency-Key", "don-1"); again.StatusCode != http.StatusConflict {
		t.Errorf("another body with the key = %d", again.StatusCode)
	}
	tests := []struct {
		name       string
		c          apiClient
		body       string
		status     int
		field, msg string
	}{
		{"bad date", office, `{"values":{"donor":"甲","donor_kind":"企业","region":"武川县","date":"2021-13-01","unit":"区工商联"}}`, 422, "date", "“捐赠日期”：2021-13-01 不是日期"},
		{"amount in wan", office, `{"values":{"donor":"甲","donor_kind":"企业","region":"武川县","date":"2021-05-01","money":"1.234","unit":"区工商联"}}`, 422, "money", "以元为单位"},
		{"negative amount", office, `{"values":{"donor":"甲","donor_kind":"企业","region":"武川县","date":"2021-05-01","goods":"-3","unit":"区工商联"}}`, 422, "goods", "“捐物折价”：-3 不能为负数"},
		{"unknown field", office, `{"values":{"colour":"红"}}`, 422, "colour", "没有“colour”这一项"},
		{"another unit", cz, `{"values":{"donor":"甲","donor_kind":"企业","region":"武川县","date":"2021-05-01","unit":"区工商联"}}`, 403, "", "区财政局只能登记和修改本单位的记录"},
		{"leader", leader, `{"values":{}}`, 403, "", "区领导只查看"},
		{"own unit", cz, `{"values":{"donor":"甲","donor_kind":"企业","region":"武川县","date":"2021-05-01"}}`, 201, "", `"unit":"区财政局"`},
	}
	for _, tt := range tests {
		r := tt.c.call("POST", "/api/v1/registers/donations", tt.body)
		if r.StatusCode != tt.status || !strings.Contains(r.body, tt.msg) || (tt.field != "" && !strings.Contains(r.body, `"field":"`+tt.field+`"`)) {
			t.Errorf("%s: POST = %d %s, want %d with %q field %q", tt.name, r.StatusCode, r.body, tt.status, tt.msg, tt.field)
		}
	}
	list := leader.call("GET", "/api/v1/registers/donations?unit=区工商联", "")
	var l struct{ Entries []apiRegisterEntry }
	if err := json.Unmarshal([]byte(list.body), &l); err != nil || len(l.Entries) != 1 || l.Entries[0].Values["money"] != "123456.78" {
		t.Errorf("GET list = %d %s", list.StatusCode, list.body)
	}
	one := leader.call("GET", "/api/v1/registers/donations/"+strconv.FormatInt(got.ID, 10), "")
	if one.StatusCode != http.StatusOK || !strings.Contains(one.body, `"donor":"某某公司"`) {
		t.Errorf("GET one = %d %s", one.StatusCode, one.body)
	}
}

// TestRegisterTeamBlock: the team page and a team lead's home page count the team's articles and
// typical cases and link to the form prefilled with the team.
func TestRegisterTeamBlock(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("renshe") // 区人力社保局 leads 劳务协作专班
	team := c.get("/teams/" + url.PathEscape("劳务协作专班"))
	if !strings.Contains(team.body, "信息 0 篇、典型案例 0 个") {
		t.Fatalf("team page: %s", excerpt(team.body))
	}
	newHref := "/registers/articles/new?district=" + url.QueryEscape("门头沟区") + "&amp;team=" + url.QueryEscape("劳务协作专班")
	if !strings.Contains(team.body, newHref) {
		t.Errorf("team page has no link %s", newHref)
	}
	form := c.get("/registers/articles/new?team=劳务协作&kind=典型案例")
	if !strings.Contains(form.body, "<option selected>劳务协作专班</option>") || !strings.Contains(form.body, "<option selected>典型案例</option>") {
		t.Errorf("the form is not prefilled: %s", excerpt(form.body))
	}
	if id, r := postEntry(t, c, "articles", url.Values{"kind": {"典型案例"}, "title": {"劳务协作典型案例"}, "team": {"劳务协作专班"}, "date": {"2021-07-15"}}); id == 0 {
		t.Fatalf("POST article = %d: %s", r.StatusCode, excerpt(r.body))
	}
	if home := c.get("/"); !strings.Contains(home.body, "信息 0 篇、典型案例 1 个") {
		t.Errorf("home page of the team lead lacks the count: %s", excerpt(home.body))
	}
}

// TestRegisterRotationWarnings: the personnel list warns of a term ending with no successor.
func TestRegisterRotationWarnings(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	if id, r := postEntry(t, c, "personnel", url.Values{"direction": {"选派到协作地区"}, "name": {"张老师"}, "kind": {"教师"}, "home_unit": {"区教委"},
		"region": {"内蒙古武川县"}, "from": {"2020-09-01"}, "to": {"2021-09-30"}, "unit": {"区委组织部"}}); id == 0 {
		t.Fatalf("POST personnel = %d: %s", r.StatusCode, excerpt(r.body))
	}
	list := c.get("/registers/personnel")
	if !strings.Contains(list.body, "张老师（教师，内蒙古武川县）挂职将于 2021-09-30 期满（还有 33 天），尚无接替人员") {
		t.Errorf("personnel list: %s", excerpt(list.body))
	}
}

// TestRegisterCadreAndHistory: a cadre records entries of its regions only; an entry as of a
// day before it was recorded is not there yet.
func TestRegisterCadreAndHistory(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("wuchuan") // 内蒙古武川县
	visit := url.Values{"direction": {"赴协作地区"}, "level": {"其他"}, "leaders": {"王五"}, "from": {"2021-07-01"}, "to": {"2021-07-03"}, "unit": {"前方挂职干部"}}
	visit.Set("region", "神农架林区")
	if _, r := postEntry(t, c, "visits", visit); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "您负责的地区是内蒙古武川县") {
		t.Errorf("cadre records another region = %d: %s", r.StatusCode, excerpt(r.body))
	}
	visit.Set("region", "内蒙古武川县")
	id, r := postEntry(t, c, "visits", visit)
	if id == 0 {
		t.Fatalf("cadre records its region = %d: %s", r.StatusCode, excerpt(r.body))
	}
	if page := c.get("/registers/visits/" + strconv.FormatInt(id, 10) + "?as_of=2021-08-27"); !strings.Contains(page.body, "2021-08-27 时还没有登记这条记录") {
		t.Errorf("as of the day before: %s", excerpt(page.body))
	}
	if r := c.get("/registers/meetings/" + strconv.FormatInt(id, 10)); r.StatusCode != http.StatusNotFound {
		t.Errorf("the entry under another register = %d, want 404", r.StatusCode)
	}
}

// TestRegisterImportBounds: a workbook of more than 10,000 rows is refused whole.
func TestRegisterImportBounds(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"文件名称", "印发日期", "印发机关", "起草单位"})
	for i := 2; i <= maxRegisterImportRows+2; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{"文件" + strconv.Itoa(i), "2021-06-30", "区政府", "区财政局"})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	r := c.postMultipart("/registers/policies/import", "file", "big.xlsx", buf.Bytes())
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "文件超过 10000 行") {
		t.Errorf("import of %d rows = %d: %s", maxRegisterImportRows+1, r.StatusCode, excerpt(r.body))
	}
	if stored, _ := e.db.RegisterRows(t.Context(), "门头沟区", e.clock.AddDate(1, 0, 0)); len(stored) != 0 {
		t.Errorf("stored %d rows", len(stored))
	}
}
