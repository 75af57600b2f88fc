package xlsx

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/gen/hostile"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

func TestReadLayoutTemplate(t *testing.T) {
	data, err := ExampleLayoutTemplate()
	if err != nil {
		t.Fatal(err)
	}
	ti, err := ReadLayoutTemplate(data, xiezuo.LayoutProjects, "", 0, 0, 0)
	if err != nil {
		t.Fatalf("ReadLayoutTemplate() = %v", err)
	}
	if ti.Sheet != "项目进展" || ti.HeaderFirst != 3 || ti.HeaderLast != 4 || ti.DataRow != 5 || ti.TotalRow != 6 || ti.MaxCol != 15 {
		t.Errorf("proposed sheet %q, header %d–%d, data row %d, 合计 row %d, %d columns; want 项目进展, 3–4, 5, 6, 15",
			ti.Sheet, ti.HeaderFirst, ti.HeaderLast, ti.DataRow, ti.TotalRow, ti.MaxCol)
	}
	var got []string
	for _, c := range ti.Columns {
		got = append(got, c.Header+"="+c.Field)
	}
	want := []string{"序号=serial", "县（市、区）=region", "项目名称=name", "项目类别=category", "建设性质=nature",
		"资金规模（万元）\n总投资=total", "资金规模（万元）\n其中：区级资金=fund", "受益情况\n受益村（个）=villages", "受益情况\n受益人口（人）=people",
		"受益情况\n带动就业（人）=employed", "项目进展\n状态=status", "项目进展\n已拨付（万元）=disbursed", "项目进展\n拨付率=rate", "实施单位=implementer", "备注="}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	cells := xiezuo.ProposeCells(ti.Title)
	if diff := cmp.Diff([]xiezuo.LayoutCell{{Ref: "A2", Field: "reporter", Text: "填报单位（盖章）："}, {Ref: "L2", Field: "reported_on", Text: "填报日期："}}, cells); diff != "" {
		t.Errorf("title cells (-want +got):\n%s", diff)
	}
	// The office's corrections are kept.
	ti, err = ReadLayoutTemplate(data, xiezuo.LayoutProjects, "项目进展", 4, 4, 6)
	if err != nil || ti.HeaderFirst != 4 || ti.DataRow != 6 || ti.TotalRow != 0 || ti.Columns[0].Header != "序号" || ti.Columns[5].Header != "总投资" {
		t.Errorf("corrected to 4–4, 6: %d–%d, %d, 合计 %d, headers %q %q (%v)", ti.HeaderFirst, ti.HeaderLast, ti.DataRow, ti.TotalRow, ti.Columns[0].Header, ti.Columns[5].Header, err)
	}
	for _, bad := range []struct {
		name string
		data []byte
		want string
	}{
		{"not a zip", []byte("hello"), "不是 .xlsx 工作簿"},
		{"too large", make([]byte, xiezuo.MaxLayoutTemplate+1), "模板文件太大"},
	} {
		if _, err := ReadLayoutTemplate(bad.data, xiezuo.LayoutProjects, "", 0, 0, 0); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: ReadLayoutTemplate() = %v, want %q", bad.name, err, bad.want)
		}
	}
	if _, err := ReadLayoutTemplate(data, xiezuo.LayoutProjects, "没有的表", 0, 0, 0); err == nil || !strings.Contains(err.Error(), "模板中没有工作表“没有的表”") {
		t.Errorf("unknown sheet: %v", err)
	}
}

// TestFillLayoutTemplate fills the example template with the 2021 plan and live figures and
// reads the workbook back: the header rows and merged cells are the template's, one row per
// project with the data row's styles, the 合计 row (moved under the rows) has the plan's totals,
// the note stays under it, and the title cells name the unit and the day.
func TestFillLayoutTemplate(t *testing.T) {
	data, err := ExampleLayoutTemplate()
	if err != nil {
		t.Fatal(err)
	}
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v", err)
	}
	p := res.Plan
	asOf := liveOf(p)
	ti, err := ReadLayoutTemplate(data, xiezuo.LayoutProjects, "", 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	l := xiezuo.PlatformLayout{Name: "市级东西部协作项目表", Kind: xiezuo.LayoutProjects, Template: data, Sheet: ti.Sheet,
		HeaderFirst: ti.HeaderFirst, HeaderLast: ti.HeaderLast, DataRow: ti.DataRow, TotalRow: ti.TotalRow,
		Columns: ti.Columns, Cells: xiezuo.ProposeCells(ti.Title)}
	if err := l.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	fill := xiezuo.FillLayout(l, xiezuo.LayoutData{Plan: p, Live: testLive, Reporter: "门头沟区扶贫协作和支援合作工作领导小组办公室", AsOf: asOf, Today: asOf})
	var buf bytes.Buffer
	if err := FillLayoutTemplate(&buf, l, fill); err != nil {
		t.Fatalf("FillLayoutTemplate() = %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "项目进展"
	get := func(cell string) string {
		v, err := f.GetCellValue(sh, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get("A1") != "2021年东西部协作项目进展情况表" || get("F3") != "资金规模（万元）" || get("G4") != "其中：区级资金" {
		t.Errorf("header rows changed: %q %q %q", get("A1"), get("F3"), get("G4"))
	}
	if got := get("A2"); got != "填报单位（盖章）：门头沟区扶贫协作和支援合作工作领导小组办公室" {
		t.Errorf("A2 = %q", got)
	}
	if got := get("L2"); got != "填报日期：2021年9月30日" {
		t.Errorf("L2 = %q", got)
	}
	merges, _ := f.GetMergeCells(sh)
	var ranges []string
	for _, m := range merges {
		ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	n := len(p.Projects)
	totalRow := 5 + n
	for _, want := range []string{"A1:O1", "A3:A4", "F3:G3", "H3:J3", "K3:M3", "A2:H2", cellName(1, totalRow) + ":" + cellName(5, totalRow), cellName(1, totalRow+1) + ":" + cellName(15, totalRow+1)} {
		if !slices.Contains(ranges, want) {
			t.Errorf("merged ranges %v lack %s", ranges, want)
		}
	}
	var fund int64
	for i, pr := range p.Projects {
		r := 5 + i
		if got := get(cellName(1, r)); got != strconv.Itoa(i+1) {
			t.Errorf("row %d 序号 = %q, want %d", r, got, i+1)
		}
		if get(cellName(2, r)) != pr.Region || get(cellName(3, r)) != pr.Name || get(cellName(4, r)) != pr.Category {
			t.Errorf("row %d = %q %q %q, want %s %s %s", r, get(cellName(2, r)), get(cellName(3, r)), get(cellName(4, r)), pr.Region, pr.Name, pr.Category)
		}
		if got, want := get(cellName(7, r)), xiezuo.FormatWan(pr.DistrictFund.V); got != want {
			t.Errorf("row %d 区级资金 = %q, want %s 万元", r, got, want)
		}
		fund += pr.DistrictFund.V
		lv, ok := testLive[pr.ID]
		wantStatus := "计划"
		if ok {
			wantStatus = lv.Status.Text()
		}
		if got := get(cellName(11, r)); got != wantStatus {
			t.Errorf("row %d 状态 = %q, want %q", r, got, wantStatus)
		}
		// Every row has the first data row's style.
		for _, col := range []int{1, 7, 9, 13} {
			s5, _ := f.GetCellStyle(sh, cellName(col, 5))
			sr, _ := f.GetCellStyle(sh, cellName(col, r))
			if s5 != sr {
				t.Errorf("%s has style %d, the data row's %s %d", cellName(col, r), sr, cellName(col, 5), s5)
			}
		}
	}
	if got := get(cellName(13, 5)); got != "0.4" {
		t.Errorf("拨付率 of project 1 = %q, want 0.4 (12 of 30 万元)", got)
	}
	if got := get(cellName(13, 6)); got != "" {
		t.Errorf("拨付率 of project 2 (nothing allocated) = %q, want blank", got)
	}
	if got, _ := f.GetCellValue(sh, cellName(13, 5)); got != "40.0%" {
		t.Errorf("拨付率 shown as %q, want 40.0%% (the template's format)", got)
	}
	if got, _ := f.GetCellValue(sh, cellName(7, 5)); !strings.Contains(got, ".") {
		t.Errorf("区级资金 shown as %q, want the template's two decimals", got)
	}
	if get(cellName(1, totalRow)) != "合计" {
		t.Errorf("row %d = %q, want the 合计 row moved under the rows", totalRow, get(cellName(1, totalRow)))
	}
	if got, want := get(cellName(7, totalRow)), xiezuo.FormatWan(fund); got != want || want != "560.5" {
		t.Errorf("合计 区级资金 = %q, want %s (560.5)", got, want)
	}
	if got := get(cellName(1, totalRow+1)); !strings.HasPrefix(got, "填表说明") {
		t.Errorf("row %d = %q, want the note kept under the 合计 row", totalRow+1, got)
	}
	if got := get(cellName(12, totalRow)); got != "15.5" { // 12 + 3.5 万元 disbursed
		t.Errorf("合计 已拨付 = %q, want 15.5", got)
	}
}

// TestReadLayoutTemplateHostile: templates built to exhaust memory are refused from the zip's
// directory, before excelize inflates anything, with a message a clerk reads.
func TestReadLayoutTemplateHostile(t *testing.T) {
	bomb, err := hostile.ZipBomb(1 << 30)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := hostile.ManyRows(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []hostile.Doc{bomb, rows} {
		start := time.Now()
		_, err := ReadLayoutTemplate(doc.Data, xiezuo.LayoutProjects, "", 0, 0, 0)
		if err == nil || xiezuo.ErrorCode(err) != xiezuo.EINVALID && xiezuo.ErrorCode(err) != xiezuo.ETOOLARGE || !strings.Contains(err.Error(), "太大") {
			t.Errorf("%s (%d KB): ReadLayoutTemplate() = %v, want it refused as too large", doc.Name, len(doc.Data)>>10, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s took %v to refuse", doc.Name, d)
		}
		l := xiezuo.PlatformLayout{Template: doc.Data, Sheet: "Sheet1", DataRow: 2, Columns: []xiezuo.LayoutColumn{{Col: 1, Field: "name"}}}
		if err := FillLayoutTemplate(io.Discard, l, xiezuo.LayoutFill{}); err == nil || !strings.Contains(err.Error(), "太大") {
			t.Errorf("%s: FillLayoutTemplate() = %v, want it refused", doc.Name, err)
		}
	}
}

// generalTemplate is a city template as a clerk makes it in LibreOffice or WPS: a title, one
// cell for 填报单位 and 填报日期 together, one header row, and a data row whose cells have
// borders and the General number format written as LibreOffice writes it (a format of its own
// whose code is General), not Excel's format 0.
func generalTemplate(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	f.SetCellValue(sh, "A1", "2021年东西部协作项目资金拨付情况表")
	f.SetCellValue(sh, "A2", "填报单位（盖章）：                    填报日期：    年   月   日")
	for i, h := range []string{"序号", "项目名称", "区级资金（万元）", "已下达（万元）", "已拨付（万元）", "拨付率"} {
		f.SetCellValue(sh, cellName(i+1, 3), h)
	}
	general := "General"
	st, err := f.NewStyle(&excelize.Style{CustomNumFmt: &general, Border: []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellStyle(sh, "A4", "F4", st)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFillLayoutTemplateGeneral: in a template whose data row is General, the money is written
// exact and shown with two decimals, the rate is a number shown as a percentage with two
// decimals (not 0.712055), and a title cell naming 填报单位 and 填报日期 gets both.
func TestFillLayoutTemplateGeneral(t *testing.T) {
	data := generalTemplate(t)
	ti, err := ReadLayoutTemplate(data, xiezuo.LayoutProjects, "", 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	l := xiezuo.PlatformLayout{Name: "资金拨付情况表", Kind: xiezuo.LayoutProjects, Template: data, Sheet: ti.Sheet,
		HeaderFirst: ti.HeaderFirst, HeaderLast: ti.HeaderLast, DataRow: ti.DataRow, Columns: ti.Columns, Cells: xiezuo.ProposeCells(ti.Title)}
	if err := l.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	var fields []string
	for _, c := range l.Columns {
		fields = append(fields, c.Field)
	}
	if diff := cmp.Diff([]string{"serial", "name", "fund", "allocated", "disbursed", "rate"}, fields); diff != "" {
		t.Fatalf("proposed fields (-want +got):\n%s", diff)
	}
	p := &xiezuo.Plan{Year: 2021, District: "门头沟区", Office: "门头沟区扶贫协作和支援合作工作领导小组办公室", Projects: []xiezuo.Project{
		{ID: 1, Name: "甲", DistrictFund: xiezuo.Num{V: 21_361_650, Valid: true}},
		{ID: 2, Name: "乙", DistrictFund: xiezuo.Num{V: 59_612_896, Valid: true}},
	}}
	live := map[int64]xiezuo.LiveFigures{
		1: {Allocated: 30_000_000, Disbursed: 21_361_650}, // 71.2055 %
		2: {Allocated: 59_612_896, Disbursed: 42_447_600}, // 71.2054… %
	}
	day := xiezuo.NewDate(2021, 9, 15)
	fill := xiezuo.FillLayout(l, xiezuo.LayoutData{Plan: p, Live: live, Reporter: xiezuo.OfficeName(p), AsOf: day, Today: day})
	var buf bytes.Buffer
	if err := FillLayoutTemplate(&buf, l, fill); err != nil {
		t.Fatalf("FillLayoutTemplate() = %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	shown := func(cell string) string { v, _ := f.GetCellValue(l.Sheet, cell); return v }
	raw := func(cell string) string {
		v, _ := f.GetCellValue(l.Sheet, cell, excelize.Options{RawCellValue: true})
		return v
	}
	if got, want := shown("A2"), "填报单位（盖章）：门头沟区扶贫协作和支援合作工作领导小组办公室    填报日期：2021年9月15日"; got != want {
		t.Errorf("A2 = %q, want %q", got, want)
	}
	tests := []struct{ cell, raw, shown string }{
		{"C4", "21.36165", "21.36"},
		{"C5", "59.612896", "59.61"},
		{"E4", "21.36165", "21.36"},
		{"F4", "0.712055", "71.21%"},
		{"F5", "0.71205", "71.21%"},
	}
	for _, tt := range tests {
		if got := raw(tt.cell); !strings.HasPrefix(got, tt.raw) {
			t.Errorf("%s holds %q, want the exact value %s…", tt.cell, got, tt.raw)
		}
		if got := shown(tt.cell); got != tt.shown {
			t.Errorf("%s is shown as %q, want %q", tt.cell, got, tt.shown)
		}
	}
	// The style keeps the template's borders.
	id, _ := f.GetCellStyle(l.Sheet, "F4")
	if st, _ := f.GetStyle(id); st == nil || len(st.Border) != 2 || st.CustomNumFmt == nil || *st.CustomNumFmt != "0.00%" {
		t.Errorf("F4's style = %+v, want the template's borders and 0.00%%", st)
	}
}
