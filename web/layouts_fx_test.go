package web

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// TestLayoutsAsAClerkReadsThem: a city template made in LibreOffice or WPS (its data row
// General, 填报单位 and 填报日期 in one cell), saved twice by the office, then exported for the
// 2021 plan with a generated year of money. The pages name who saved each version as 姓名（单位）,
// never the sign-in name; the export's title cell names the plan's office and the day, and its
// money and rates are numbers shown as 0.00 and 0.00%.
func TestLayoutsAsAClerkReadsThem(t *testing.T) {
	e := newEnv(t)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	dashYear(t, e, today)

	f := excelize.NewFile()
	const sh = "Sheet1"
	f.SetCellValue(sh, "A1", "2021年东西部协作项目资金拨付情况表")
	f.SetCellValue(sh, "A2", "填报单位（盖章）：                    填报日期：    年   月   日")
	for i, h := range []string{"序号", "项目名称", "区级资金（万元）", "已下达（万元）", "已拨付（万元）", "拨付率"} {
		c, _ := excelize.CoordinatesToCellName(i+1, 3)
		f.SetCellValue(sh, c, h)
	}
	general := "General"
	st, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &general})
	f.SetCellStyle(sh, "A4", "F4", st)
	var tpl bytes.Buffer
	if err := f.Write(&tpl); err != nil {
		t.Fatal(err)
	}
	f.Close()
	info, err := xlsx.ReadLayoutTemplate(tpl.Bytes(), xiezuo.LayoutProjects, "", 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	u := e.users["office"]
	ctx := sqldb.WithFactTime(sqldb.WithActor(t.Context(), sqldb.Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit}), today)
	var l xiezuo.PlatformLayout
	for range 2 {
		l = xiezuo.PlatformLayout{District: "门头沟区", Name: "资金拨付情况表", Kind: xiezuo.LayoutProjects, FileName: "资金拨付情况表.xlsx", Template: tpl.Bytes(),
			Sheet: info.Sheet, HeaderFirst: info.HeaderFirst, HeaderLast: info.HeaderLast, DataRow: info.DataRow, Columns: info.Columns, Cells: xiezuo.ProposeCells(info.Title)}
		if err := e.db.SaveLayout(ctx, &l); err != nil {
			t.Fatalf("SaveLayout = %v", err)
		}
	}
	office := e.signIn("office")
	id := strconv.FormatInt(l.ID, 10)
	for _, path := range []string{"/layouts", "/layouts/" + id} {
		page := office.get(path)
		if page.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, page.StatusCode)
		}
		body := page.body[strings.Index(page.body, "<main"):]
		if !strings.Contains(body, "王办公（领导小组办公室）") || regexp.MustCompile(`\d{2}:\d{2} office\b`).MatchString(body) {
			t.Errorf("GET %s does not name who saved the layout as 王办公（领导小组办公室）:\n%s", path, excerpt(body))
		}
	}
	if one := office.get("/layouts/" + id); !strings.Contains(one.body, "填报单位、填报日期") {
		t.Errorf("the layout's page does not say A2 is filled with 填报单位 and 填报日期:\n%s", excerpt(one.body))
	}

	r := office.get("/layouts/" + id + "/export?year=2021&as_of=2021-09-15")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("export = %d:\n%s", r.StatusCode, excerpt(r.body))
	}
	out, err := excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	shown := func(cell string) string { v, _ := out.GetCellValue(sh, cell); return v }
	if got, want := shown("A2"), "填报单位（盖章）：门头沟区扶贫协作和支援合作工作领导小组办公室    填报日期：2021年9月15日"; got != want {
		t.Errorf("A2 = %q, want %q", got, want)
	}
	money := regexp.MustCompile(`^\d+\.\d{2}$`)
	rate := regexp.MustCompile(`^\d+\.\d{2}%$`)
	rates := 0
	for row := 4; shown("A"+strconv.Itoa(row)) != ""; row++ {
		n := strconv.Itoa(row)
		if v := shown("C" + n); !money.MatchString(v) {
			t.Errorf("C%s (区级资金) is shown as %q, want 0.00 万元", n, v)
		}
		for _, c := range []string{"D", "E"} {
			if v := shown(c + n); v != "" && !money.MatchString(v) {
				t.Errorf("%s%s is shown as %q, want 0.00 万元", c, n, v)
			}
		}
		if v := shown("F" + n); v != "" {
			rates++
			if !rate.MatchString(v) {
				t.Errorf("F%s (拨付率) is shown as %q, want 0.00%%", n, v)
			}
		}
	}
	if rates == 0 {
		t.Errorf("no project has a 拨付率: the generated year gave no money to compare")
	}
}
