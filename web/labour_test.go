package web

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/division"
	"xiezuo/sqldb"
	"xiezuo/vault"
)

// The labour pages through HTTP over a real SQLite: lists imported through the upload, preview
// and confirmation pages, then read, exported, revealed and placed as each role may.

// labourIDNumber is a valid 18-character ID number of a person born on birth (YYYYMMDD) in
// the division area, with sequence seq (3 digits): its check character by GB 11643.
func labourIDNumber(area, birth string, seq int) string {
	body := fmt.Sprintf("%s%s%03d", area, birth, seq%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// labourVillage is the first village of the first town of a county in the division register.
func labourVillage(t testing.TB, county string) string {
	t.Helper()
	towns := division.Children(division.Code(county))
	if len(towns) == 0 {
		t.Fatalf("division register has no towns under %s", county)
	}
	villages := division.Children(towns[0].Code)
	if len(villages) == 0 {
		t.Fatalf("division register has no villages under %s", towns[0].Code)
	}
	return string(villages[0].Code)
}

// labourPerson is a row of a test list of workers.
type labourTestPerson struct {
	Name, ID, Phone, Home, Poor, Skills, Employer, Place, Post, Income, Since string
}

// workersCSV writes a workers' list as an office keeps it (its own wording of the headers).
func workersCSV(people []labourTestPerson) []byte {
	var b strings.Builder
	b.WriteString("序号,姓名,身份证号码,联系电话,户籍地,是否脱贫户,技能,务工单位,务工地点,从事工种,月收入,务工开始时间\n")
	for i, p := range people {
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", i+1, p.Name, p.ID, p.Phone, p.Home, p.Poor, p.Skills, p.Employer, p.Place, p.Post, p.Income, p.Since)
	}
	return []byte(b.String())
}

// jobsCSV writes a jobs' list.
func jobsCSV(rows [][]string) []byte {
	var b strings.Builder
	b.WriteString("企业名称,统一社会信用代码,招聘岗位,招聘人数,工作地点,薪资待遇,技能要求,到岗时间,截止日期,联系人,联系电话\n")
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return []byte(b.String())
}

var (
	previewToken  = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)
	previewCols   = regexp.MustCompile(`name="columns" value="(\d+)"`)
	previewHeader = regexp.MustCompile(`name="header_rows" value="(\d+)"`)
	previewSelect = regexp.MustCompile(`(?s)<select name="col_(\d+)"[^>]*>(.*?)</select>`)
	selectedOpt   = regexp.MustCompile(`<option value="([a-z_]*)" selected>`)
	importPath    = regexp.MustCompile(`^/labour/imports/(\d+)`)
)

// labourImport uploads a list through the pages, confirms the proposed mapping with the mode
// (refuse or skip), waits for the import to end and returns its id and result page.
func labourImport(t testing.TB, c *client, list, name string, data []byte, mode string) (int64, response) {
	t.Helper()
	id, loc := labourConfirm(t, c, list, name, data, mode)
	for range 600 {
		page := c.get(loc)
		if page.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d: %s", loc, page.StatusCode, excerpt(page.body))
		}
		if !strings.Contains(page.body, `http-equiv="refresh"`) {
			return id, page
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("import %s still running", name)
	return 0, response{}
}

// labourConfirm uploads a list and confirms it, and returns the import's id and page without
// waiting for it.
func labourConfirm(t testing.TB, c *client, list, name string, data []byte, mode string) (int64, string) {
	t.Helper()
	up := c.postMultipart("/labour/"+list+"/import"+plan2021, "file", name, data)
	if up.StatusCode != http.StatusOK {
		t.Fatalf("upload %s = %d: %s", name, up.StatusCode, excerpt(up.body))
	}
	tok := previewToken.FindStringSubmatch(up.body)
	cols := previewCols.FindStringSubmatch(up.body)
	hdr := previewHeader.FindStringSubmatch(up.body)
	if tok == nil || cols == nil || hdr == nil {
		t.Fatalf("upload %s: no preview form: %s", name, excerpt(up.body))
	}
	form := url.Values{"token": {tok[1]}, "columns": {cols[1]}, "header_rows": {hdr[1]}, "mode": {mode}}
	for _, m := range previewSelect.FindAllStringSubmatch(up.body, -1) {
		v := ""
		if s := selectedOpt.FindStringSubmatch(m[2]); s != nil {
			v = s[1]
		}
		form.Set("col_"+m[1], v)
	}
	resp := c.post("/labour/"+list+"/confirm"+plan2021, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm %s = %d: %s", name, resp.StatusCode, excerpt(resp.body))
	}
	loc := resp.Header.Get("Location")
	m := importPath.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("confirm %s sends to %s, want /labour/imports/{id}", name, loc)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id, loc
}

// labourFixture is a district with two workers (one of 内蒙古武川县, one of 神农架林区) and a
// job, imported by the office.
type labourFixture struct {
	wuchuan, shennong labourTestPerson
	wuchuanID         int64 // person ids
	shennongID        int64
}

func newLabourFixture(t *testing.T, e *env) labourFixture {
	t.Helper()
	f := labourFixture{
		wuchuan: labourTestPerson{Name: "张三丰", ID: labourIDNumber("150125", "19900307", 12), Phone: "13912345678", Home: labourVillage(t, "150125"),
			Poor: "是", Skills: "电工", Employer: "北京城建集团有限责任公司", Place: "110109", Post: "电工", Income: "6000", Since: "2021-03-01"},
		shennong: labourTestPerson{Name: "李四光", ID: labourIDNumber("429021", "19850612", 34), Phone: "13887654321", Home: labourVillage(t, "429021"),
			Poor: "否", Skills: "焊工", Employer: "北京住总集团有限责任公司", Place: "110105", Post: "焊工", Income: "7000", Since: "2021-04-01"},
	}
	office := e.signIn("office")
	_, page := labourImport(t, office, "workers", "在京务工人员.csv", workersCSV([]labourTestPerson{f.wuchuan, f.shennong}), "refuse")
	if !strings.Contains(page.body, "新增 2") {
		t.Fatalf("workers import: %s", excerpt(page.body))
	}
	ctx := t.Context()
	rows, err := e.db.LabourPeople(ctx, sqldb.LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers, Page: 1, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows.Rows {
		switch r.Name {
		case f.wuchuan.Name:
			f.wuchuanID = r.PersonID
		case f.shennong.Name:
			f.shennongID = r.PersonID
		}
	}
	if f.wuchuanID == 0 || f.shennongID == 0 {
		t.Fatalf("imported people not found: %+v", rows.Rows)
	}
	return f
}

// TestLabourPagesByRole: who reads what, masked how, and who is refused, with the words.
func TestLabourPagesByRole(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	wu, sn := strconv.FormatInt(f.wuchuanID, 10), strconv.FormatInt(f.shennongID, 10)
	plain := []string{f.wuchuan.ID, f.shennong.ID, f.wuchuan.Phone, f.shennong.Phone}
	noPlain := func(who, what, body string) {
		t.Helper()
		for _, p := range plain {
			if strings.Contains(body, p) {
				t.Errorf("%s: %s shows the plain value %s…", who, what, p[:4])
			}
		}
	}
	list := "/labour/workers" + plan2021

	// The office: both people, names whole, numbers masked; may reveal (audited) and export whole.
	office := e.signIn("office")
	page := office.get(list)
	if page.StatusCode != 200 || !strings.Contains(page.body, f.wuchuan.Name) || !strings.Contains(page.body, f.shennong.Name) {
		t.Fatalf("office list = %d: %s", page.StatusCode, excerpt(page.body))
	}
	noPlain("office", "the list", page.body)
	if !strings.Contains(page.body, vault.MaskID(f.wuchuan.ID)) {
		t.Errorf("office list lacks the masked ID %s", vault.MaskID(f.wuchuan.ID))
	}
	rev := office.post("/labour/people/"+wu+"/reveal"+plan2021, url.Values{"field": {"id_number"}})
	if rev.StatusCode != 200 || !strings.Contains(rev.body, f.wuchuan.ID) {
		t.Errorf("office reveal = %d, want 200 with the ID: %s", rev.StatusCode, excerpt(rev.body))
	}
	audit, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditLabourReveal})
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) == 0 {
		t.Errorf("a reveal left no %s audit entry", sqldb.AuditLabourReveal)
	}
	for _, a := range audit {
		if strings.Contains(a.Detail+a.ObjectLabel, f.wuchuan.ID) {
			t.Errorf("the reveal's audit entry holds the plain ID")
		}
	}
	masked := office.get("/labour/workers" + plan2021 + "&format=xlsx")
	if masked.StatusCode != 200 {
		t.Fatalf("masked export = %d", masked.StatusCode)
	}
	noPlain("office", "the masked export", labourXLSXText(t, masked.body))
	if !strings.Contains(labourXLSXText(t, masked.body), f.wuchuan.Name) {
		t.Errorf("office's masked export lacks the name %s", f.wuchuan.Name)
	}
	full := office.post("/labour/workers/export"+plan2021, url.Values{"full": {"1"}})
	if full.StatusCode != 200 || !strings.Contains(labourXLSXText(t, full.body), f.wuchuan.ID) {
		t.Errorf("office's full export = %d, want the plain ID in it", full.StatusCode)
	}

	// The leader reads masked, names too; no reveal, no unmasked export, no import.
	leader := e.signIn("leader")
	page = leader.get(list)
	if page.StatusCode != 200 || strings.Contains(page.body, f.wuchuan.Name) || !strings.Contains(page.body, "张*") {
		t.Errorf("leader list = %d, want names masked (张*): %s", page.StatusCode, excerpt(page.body))
	}
	noPlain("leader", "the list", page.body)
	if r := leader.post("/labour/people/"+wu+"/reveal"+plan2021, url.Values{"field": {"id_number"}}); r.StatusCode != 403 || !strings.Contains(r.body, "区领导") {
		t.Errorf("leader reveal = %d, want 403 with the words: %s", r.StatusCode, excerpt(r.body))
	}
	if r := leader.post("/labour/workers/export"+plan2021, url.Values{"full": {"1"}}); r.StatusCode != 403 {
		t.Errorf("leader full export = %d, want 403", r.StatusCode)
	}
	if r := leader.get("/labour/workers/import" + plan2021); r.StatusCode != 403 {
		t.Errorf("leader import page = %d, want 403", r.StatusCode)
	}
	if r := leader.get("/labour/people/" + wu + plan2021); r.StatusCode != 200 || strings.Contains(r.body, f.wuchuan.Name) {
		t.Errorf("leader person page = %d, want 200 with the name masked", r.StatusCode)
	} else {
		noPlain("leader", "the person page", r.body)
	}

	// The city office: every district, masked; no reveal.
	city := e.signIn("city")
	page = city.get(list)
	if page.StatusCode != 200 || strings.Contains(page.body, f.wuchuan.Name) {
		t.Errorf("city list = %d, want 200 with names masked: %s", page.StatusCode, excerpt(page.body))
	}
	noPlain("city", "the list", page.body)
	if r := city.post("/labour/people/"+wu+"/reveal"+plan2021, url.Values{"field": {"phone"}}); r.StatusCode != 403 {
		t.Errorf("city reveal = %d, want 403", r.StatusCode)
	}
	if r := city.get("/labour/workers" + plan2021 + "&format=xlsx"); r.StatusCode != 200 {
		t.Errorf("city masked export = %d", r.StatusCode)
	} else {
		noPlain("city", "the masked export", labourXLSXText(t, r.body))
	}

	// The cadre of 内蒙古武川县: its region's people only.
	cadre := e.signIn("wuchuan")
	page = cadre.get(list)
	if page.StatusCode != 200 || !strings.Contains(page.body, f.wuchuan.Name) || strings.Contains(page.body, f.shennong.Name) {
		t.Errorf("cadre list = %d, want 张三丰 and not 李四光: %s", page.StatusCode, excerpt(page.body))
	}
	if r := cadre.get("/labour/people/" + sn + plan2021); r.StatusCode != 404 {
		t.Errorf("cadre opens a person of another region = %d, want 404", r.StatusCode)
	}
	if r := cadre.get("/labour/people/" + wu + plan2021); r.StatusCode != 200 {
		t.Errorf("cadre opens a person of its region = %d, want 200", r.StatusCode)
	}

	// The lead unit of the labour work team works the lists; another unit is refused, with why.
	renshe := e.signIn("renshe")
	if r := renshe.get("/labour" + plan2021); r.StatusCode != 200 {
		t.Errorf("区人力社保局 /labour = %d, want 200", r.StatusCode)
	}
	caizheng := e.signIn("caizheng")
	for _, p := range []string{"/labour", "/labour/workers", "/labour/people/" + wu, "/labour/match"} {
		if r := caizheng.get(p + plan2021); r.StatusCode != 403 || !strings.Contains(r.body, "劳务协作清单由") {
			t.Errorf("区财政局 GET %s = %d, want 403 with the words: %s", p, r.StatusCode, excerpt(r.body))
		}
	}
	if r := caizheng.post("/labour/people/"+wu+"/placements"+plan2021, url.Values{"employer": {"x"}}); r.StatusCode != 403 {
		t.Errorf("区财政局 records a placement = %d, want 403", r.StatusCode)
	}
	// Administrators do not reach the lists at all.
	if r := e.signIn("sysadmin").get("/labour" + plan2021); r.StatusCode != 403 {
		t.Errorf("sysadmin /labour = %d, want 403", r.StatusCode)
	}
}

// TestLabourPlacementForm: a placement refused with the messages beside its fields and what was
// typed (422), then recorded; the placements' figure on /labour changes.
func TestLabourPlacementForm(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	office := e.signIn("office")
	path := "/labour/people/" + strconv.FormatInt(f.wuchuanID, 10) + "/placements" + plan2021
	bad := office.post(path, url.Values{"employer": {""}, "post": {"电工"}, "place": {"北京"}, "start": {"2021-02-30"}, "credit_code": {"91350100M000100Y44"}, "pay": {"六千"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad placement = %d, want 422: %s", bad.StatusCode, excerpt(bad.body))
	}
	for _, want := range []string{"请填写就业单位", "行政区划代码", "“2021-02-30”不是日期", "统一社会信用代码应为", "月工资请填写元数", `value="六千"`, `value="电工"`} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("422 page lacks %q", want)
		}
	}
	if p := office.get("/labour" + plan2021); !strings.Contains(p.body, "转移就业 <strong>0</strong> 人") {
		t.Errorf("/labour before any placement: %s", excerpt(p.body))
	}
	good := office.post(path, url.Values{"employer": {"北京城建集团有限责任公司"}, "post": {"电工"}, "place": {"110109"}, "start": {"2021-05-01"}, "pay": {"6000"}})
	if good.StatusCode != http.StatusSeeOther {
		t.Fatalf("placement = %d, want 303: %s", good.StatusCode, excerpt(good.body))
	}
	p := office.get("/labour" + plan2021)
	if !strings.Contains(p.body, "转移就业 <strong>1</strong> 人，其中脱贫劳动力 <strong>1</strong> 人") {
		t.Errorf("/labour after a placement of a poor labourer: %s", labourFigures(p.body))
	}
	person := office.get("/labour/people/" + strconv.FormatInt(f.wuchuanID, 10) + plan2021)
	if !strings.Contains(person.body, "北京城建集团有限责任公司") || !strings.Contains(person.body, "2021-05-01") {
		t.Errorf("person page lacks the placement")
	}
	// The leader may not record one.
	if r := e.signIn("leader").post(path, url.Values{"employer": {"x"}}); r.StatusCode != 403 {
		t.Errorf("leader records a placement = %d, want 403", r.StatusCode)
	}
}

// labourFigures is the placements' sentence of /labour, for failure messages.
func labourFigures(body string) string {
	if i := strings.Index(body, "转移就业"); i >= 0 {
		return body[i:min(len(body), i+400)]
	}
	return excerpt(body)
}

// xlsxText is every cell of a workbook's sheets, joined.
func labourXLSXText(t testing.TB, body string) string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("read workbook: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}

// TestLabourUploadRefusals: files the import does not take, a mapping that cannot import, a
// token of someone else's upload; and no upload is left in the data folder after an import.
func TestLabourUploadRefusals(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	if r := office.postMultipart("/labour/workers/import"+plan2021, "file", "清单.xls", []byte("x")); r.StatusCode != 400 || !strings.Contains(r.body, "另存为 .xlsx") {
		t.Errorf(".xls upload = %d: %s", r.StatusCode, excerpt(r.body))
	}
	if r := office.postMultipart("/labour/workers/import"+plan2021, "other", "a.csv", []byte("x")); r.StatusCode != 400 || !strings.Contains(r.body, "请选择要导入的清单文件") {
		t.Errorf("upload without the file = %d: %s", r.StatusCode, excerpt(r.body))
	}
	p := labourTestPerson{Name: "张三丰", ID: labourIDNumber("150125", "19900307", 12), Phone: "13912345678", Home: labourVillage(t, "150125"), Poor: "是"}
	up := office.postMultipart("/labour/workers/import"+plan2021, "file", "务工.csv", workersCSV([]labourTestPerson{p}))
	tok := previewToken.FindStringSubmatch(up.body)
	if up.StatusCode != 200 || tok == nil {
		t.Fatalf("upload = %d: %s", up.StatusCode, excerpt(up.body))
	}
	if strings.Contains(up.body, p.ID) || strings.Contains(up.body, p.Phone) {
		t.Errorf("the preview shows the plain ID or phone")
	}
	cols := previewCols.FindStringSubmatch(up.body)[1]
	// Every column ignored: the ID number is required.
	r := office.post("/labour/workers/confirm"+plan2021, url.Values{"token": {tok[1]}, "columns": {cols}, "header_rows": {"1"}, "mode": {"refuse"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, "身份证号") {
		t.Errorf("confirm with no column mapped = %d: %s", r.StatusCode, excerpt(r.body))
	}
	// Another user's confirmation of this upload finds nothing.
	renshe := e.signIn("renshe")
	if r := renshe.post("/labour/workers/confirm"+plan2021, url.Values{"token": {tok[1]}, "columns": {cols}, "mode": {"refuse"}}); r.StatusCode != 404 {
		t.Errorf("another user's confirmation = %d, want 404", r.StatusCode)
	}
	if r := office.post("/labour/workers/confirm"+plan2021, url.Values{"token": {"../../etc/passwd"}, "mode": {"refuse"}}); r.StatusCode != 404 {
		t.Errorf("a forged token = %d, want 404", r.StatusCode)
	}
	id, page := labourImport(t, office, "workers", "务工.csv", workersCSV([]labourTestPerson{p}), "refuse")
	if !strings.Contains(page.body, "新增 1") {
		t.Errorf("import %d: %s", id, excerpt(page.body))
	}
	left, _ := filepath.Glob(filepath.Join(e.srv.labourUploadDir(), "*"))
	for _, f := range left {
		if !strings.HasSuffix(f, ".json") && !strings.Contains(f, tok[1]) {
			t.Errorf("an upload is left after its import: %s", filepath.Base(f))
		}
	}
}

// TestLabourProgressPage: an import under way reloads itself each second, script-free, with its
// bar of rows read of the total; one that ended does not.
func TestLabourProgressPage(t *testing.T) {
	e := newEnv(t)
	d := labourStatusData{Status: sqldb.LabourImportStatus{State: "running", List: xiezuo.ListWorkers, RowsRead: 120000, RowsTotal: 1000000,
		StartedAt: time.Now().Add(-10 * time.Second)}, Running: true, Percent: 12, Rate: 12000}
	_, body, err := e.srv.renderContent("labour_progress", d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<meta http-equiv="refresh" content="1">`, `max="1000000" value="120000"`, "已读 120000 行", "（12%）", "每秒 12000 行"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("running import's page lacks %q:\n%s", want, body)
		}
	}
	d.Running, d.Status.State, d.Status.Added, d.Status.Bad = false, "done", 119999, 1
	d.Errors = []xiezuo.LabourRowError{{Row: 12, Message: "“身份证号”：校验位不符"}}
	_, body, err = e.srv.renderContent("labour_progress", d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"共 120000 行：新增 119999、更新 0、未变 0；错误 1 行", "第 12 行", "校验位不符"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("finished import's page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(string(body), "refresh") || strings.Contains(string(body), "<script") {
		t.Errorf("a finished import's page reloads itself or has a script")
	}
}

// TestLabourFailedImportShown: an import that stopped part way (here rolled back after 3
// rows) is shown as read so far with nothing imported, never as 「共 3 行」 as if the file
// had 3 rows.
func TestLabourFailedImportShown(t *testing.T) {
	e := newEnv(t)
	ctx := sqldb.WithFactTime(sqldb.WithActor(t.Context(), sqldb.Actor{Username: "renshe", Unit: "区人力社保局"}), *e.clock)
	imp, err := e.db.BeginLabourImport(ctx, sqldb.LabourImportOptions{District: "门头沟区", List: xiezuo.ListWilling, FileName: "意愿.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	home := labourVillage(t, "150125")
	for i := range 3 {
		p := xiezuo.LabourPerson{
			IDNumber: labourIDNumber("150125", "19900307", i+1), Name: fmt.Sprintf("张%d", i), Phone: fmt.Sprintf("1391234567%d", i),
			HomeCode: home, Birth: xiezuo.NewDate(1990, time.March, 7), Sex: "男",
		}
		if _, err := imp.Add(ctx, i+2, xiezuo.LabourRecord{Person: &p}); err != nil {
			t.Fatal(err)
		}
	}
	imp.Abort(ctx, "导入中断（服务停止或重启），未写入任何数据，请重新导入")
	// One whose rows read were not recorded (an interrupted SQLite import keeps them in memory).
	none, err := e.db.BeginLabourImport(ctx, sqldb.LabourImportOptions{District: "门头沟区", List: xiezuo.ListWilling, FileName: "意愿2.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	none.Abort(ctx, "导入中断（服务停止或重启），未写入任何数据，请重新导入")
	c := e.signIn("renshe")
	if text := plainText(c.get(fmt.Sprintf("/labour/imports/%d", none.ID)).body); !strings.Contains(text, "中途停止，没有导入任何一行") || strings.Contains(text, "读了") {
		t.Errorf("a failed import with no rows recorded shows:\n%s", text)
	}
	for _, path := range []string{fmt.Sprintf("/labour/imports/%d", imp.ID), "/labour", "/labour/willing/import"} {
		text := plainText(c.get(path).body)
		if !strings.Contains(text, "读了约 3 行后停止，没有导入任何一行") || strings.Contains(text, "共 3 行") {
			t.Errorf("%s shows the failed import as:\n%s", path, text)
		}
	}
}
