package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/sqldb"
)

// A cadre imports the people of its own regions only: a row of another region's person is a
// bad row that says why, and the stored person is not changed.
func TestLabourCadreImportScope(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	cadre := e.signIn("wuchuan")
	changed := f.shennong
	changed.Phone = "13900000000"
	_, page := labourImport(t, cadre, "workers", "武川县在京务工人员.csv", workersCSV([]labourTestPerson{f.wuchuan, changed}), "refuse")
	if !strings.Contains(page.body, "不在您负责的协作地区（内蒙古武川县）") {
		t.Fatalf("cadre's import of another region's person: %s", excerpt(page.body))
	}
	rows, err := e.db.LabourPeople(t.Context(), sqldb.LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers, Q: f.shennong.Phone})
	if err != nil || rows.Total != 1 {
		t.Fatalf("the other region's person by the old phone: %d, %v; want still found", rows.Total, err)
	}
	// The cadre's matching run proposes jobs to its own region's people only: both people are
	// on the willing list and fit the job; the office's run would propose it to both.
	office := e.signIn("office")
	labourImport(t, office, "willing", "有意愿外出务工人员.csv", willingCSV([][]string{
		{f.wuchuan.Name, f.wuchuan.ID, f.wuchuan.Phone, f.wuchuan.Home, "是", "电工", "北京", "电工", "5000", "2021-08-01"},
		{f.shennong.Name, f.shennong.ID, f.shennong.Phone, f.shennong.Home, "否", "电工", "北京", "电工", "5000", "2021-08-01"},
	}), "refuse")
	labourImport(t, office, "jobs", "岗位.csv", jobsCSV([][]string{
		{"北京城建集团有限责任公司", "91350100M000100Y43", "电工", "5", "110114", "6000-8000", "电工", "2021-08-01", "2021-12-31", "刘经理", "13800000001"},
	}), "refuse")
	resp := cadre.post("/labour/match"+plan2021, url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cadre's matching run = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	mine, err := e.db.LabourMatches(t.Context(), "门头沟区", "", f.wuchuanID, 10)
	if err != nil || len(mine) == 0 {
		t.Fatalf("the cadre's run proposed nothing to its own region's person: %d, %v", len(mine), err)
	}
	other, err := e.db.LabourMatches(t.Context(), "门头沟区", "", f.shennongID, 10)
	if err != nil || len(other) != 0 {
		t.Errorf("the cadre's run proposed to another region's person: %d, %v", len(other), err)
	}
}

// On the embedded database a page import stops at maxEmbeddedImportRows, storing nothing, with
// words that say how to import a larger list.
func TestLabourEmbeddedImportCap(t *testing.T) {
	e := newEnv(t)
	defer func(n int) { maxEmbeddedImportRows = n }(maxEmbeddedImportRows)
	maxEmbeddedImportRows = 1
	office := e.signIn("office")
	p := labourTestPerson{Name: "王五", ID: labourIDNumber("150125", "19910101", 5), Phone: "13712345678", Home: labourVillage(t, "150125"), Poor: "否"}
	q := p
	q.Name, q.ID = "赵六", labourIDNumber("150125", "19920202", 6)
	_, page := labourImport(t, office, "workers", "大清单.csv", workersCSV([]labourTestPerson{p, q}), "skip")
	if !strings.Contains(page.body, "网页上一次最多导入 1 行") {
		t.Fatalf("import beyond the cap: %s", excerpt(page.body))
	}
	rows, err := e.db.LabourPeople(t.Context(), sqldb.LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers})
	if err != nil || rows.Total != 0 {
		t.Errorf("rows stored by a capped import: %d, %v", rows.Total, err)
	}
}

// A second confirmation while an import runs is answered at once (409, the preview kept), not
// left waiting for the writer the running import holds.
func TestLabourImportBusy(t *testing.T) {
	e := newEnv(t)
	e.srv.labour <- struct{}{} // an import under way
	defer func() { <-e.srv.labour }()
	office := e.signIn("office")
	p := labourTestPerson{Name: "王五", ID: labourIDNumber("150125", "19910101", 5), Phone: "13712345678", Home: labourVillage(t, "150125"), Poor: "否"}
	up := office.postMultipart("/labour/workers/import"+plan2021, "file", "清单.csv", workersCSV([]labourTestPerson{p}))
	tok := previewToken.FindStringSubmatch(up.body)
	cols := previewCols.FindStringSubmatch(up.body)
	hdr := previewHeader.FindStringSubmatch(up.body)
	if tok == nil || cols == nil || hdr == nil {
		t.Fatalf("no preview: %s", excerpt(up.body))
	}
	form := url.Values{"token": {tok[1]}, "columns": {cols[1]}, "header_rows": {hdr[1]}, "mode": {"skip"}}
	for _, m := range previewSelect.FindAllStringSubmatch(up.body, -1) {
		if s := selectedOpt.FindStringSubmatch(m[2]); s != nil {
			form.Set("col_"+m[1], s[1])
		}
	}
	resp := office.post("/labour/workers/confirm"+plan2021, form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(resp.body, "另一份清单正在导入") {
		t.Fatalf("confirm while another import runs = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
}
