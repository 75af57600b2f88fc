package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// wan is an amount in 万元 written as the document writes it, in fen.
func wan(t testing.TB, s string) xiezuo.Num {
	t.Helper()
	v, ok := xiezuo.ParseDecimal(s, xiezuo.FenPerWan)
	if !ok {
		t.Fatalf("ParseDecimal(%q) failed", s)
	}
	return xiezuo.Known(v)
}

func n(v int64) xiezuo.Num { return xiezuo.Known(v) }

// testPlan has two regions, the first with two categories, five projects, one project whose
// employed people are unknown, and stated region subtotals whose villages are fewer than the sum
// of their projects' (the same village benefits from several projects).
func testPlan(t testing.TB) *xiezuo.Plan {
	const wc, dl = "内蒙古武川县", "西藏拉萨堆龙德庆区"
	return &xiezuo.Plan{
		Year:     2021,
		District: "门头沟区",
		Projects: []xiezuo.Project{
			{
				Region: wc, Category: "产业合作类", CategoryNumber: 1, Number: 1,
				Name: "武川县乡村振兴加工车间援建项目", Nature: "新建",
				Content:         "扶持农村专业合作社和小型加工车间3个。\n（1）石磨莜面加工车间；（2）包装箱车间。",
				TotalInvestment: wan(t, "281.7"), DistrictFund: wan(t, "30"),
				FundUse:  "购置面粉加工设备",
				Villages: n(1), People: n(30), Employed: n(30),
				Implementer: "大青山乡人民政府", Managers: "刘建业（书记）",
				Period:  xiezuo.Period{Text: "2021年6月-2021年9月", Start: xiezuo.YearMonth{Year: 2021, Month: 6}, Finish: xiezuo.YearMonth{Year: 2021, Month: 9}},
				Benefit: "每年带动10名脱贫人口务工", LeadUnit: "区科技和信息化局", LeadUnitWritten: "区科信局",
			},
			{
				Region: wc, Category: "产业合作类", CategoryNumber: 1, Number: 2,
				Name: "西乌兰不浪镇红山子村养殖产业扶持项目", Nature: "续建",
				Content:         "补贴合作社养殖产业",
				TotalInvestment: wan(t, "30"), DistrictFund: wan(t, "20"),
				FundUse:  "肉牛采购",
				Villages: n(1), People: n(67), // employed people not reported
				Implementer: "西乌兰不浪镇人民政府", Managers: "13800138000",
				Period:  xiezuo.Period{Start: xiezuo.YearMonth{Year: 2021, Month: 6}, Finish: xiezuo.YearMonth{Year: 2021, Month: 10}},
				Benefit: "扩大生产规模", LeadUnit: "区农业农村局",
			},
			{
				Region: wc, Category: "残疾人帮扶", CategoryNumber: 4, Number: 3,
				Name: "武川县脱贫残疾人帮扶专岗项目", Nature: "续建",
				Content:         "设置帮扶专岗30个",
				TotalInvestment: wan(t, "10.8"), DistrictFund: wan(t, "10.8"),
				FundUse:  "岗位补贴",
				Villages: n(5), People: n(30), Employed: n(30),
				Implementer: "武川县残联", Managers: "杨玺",
				Period:  xiezuo.Period{Text: "2021年6月-2021年12月"},
				Benefit: "人均增收3600元", LeadUnit: "区残联", LeadUnitWritten: "区残联",
			},
			{
				Region: dl, Category: "产业合作类", CategoryNumber: 1, Number: 1,
				Name: "堆龙德庆区乌骨羊扩大养殖项目", Nature: "新建",
				Content:         "购置200个乌骨羊胚胎",
				TotalInvestment: wan(t, "30"), DistrictFund: wan(t, "30"),
				FundUse:  "购买胚胎",
				Villages: n(1), People: n(97), Employed: n(2),
				Implementer: "堆龙德庆区马镇人民政府", Managers: "多吉旺堆（镇长）",
				Period:  xiezuo.Period{Text: "2021年6月-2021年12月"},
				Benefit: "为27户分红", LeadUnit: "区科技和信息化局", LeadUnitWritten: "区科信局",
			},
			{
				Region: dl, Category: "产业合作类", CategoryNumber: 1, Number: 2,
				Name: "堆龙德庆区高山芦笋、羊肚菌种植项目", Nature: "新建",
				Content:         "6栋高山芦笋大棚、20栋羊肚菌大棚",
				TotalInvestment: wan(t, "60.000001"), DistrictFund: wan(t, "60"),
				FundUse:  "种苗、肥料",
				Villages: n(1), People: n(900), Employed: n(15),
				Implementer: "堆龙德庆区马镇人民政府", Managers: "多吉旺堆（镇长）",
				Period:  xiezuo.Period{Text: "2021年6月-2021年12月"},
				Benefit: "带动15名农牧民务工", LeadUnit: "区科技和信息化局", LeadUnitWritten: "区科信局",
			},
		},
		Subtotals: []xiezuo.Subtotal{
			{
				Level: xiezuo.LevelRegion, Region: wc, Label: "内蒙古武川县（3个）", Count: n(3),
				TotalInvestment: wan(t, "322.5"), DistrictFund: wan(t, "60.8"),
				Villages: n(5), People: n(127), // employed left blank in the document
			},
			{
				Level: xiezuo.LevelCategory, Region: wc, Category: "残疾人帮扶", CategoryNumber: 4,
				Label: "4. 残疾人帮扶（1个）", Count: n(1),
				TotalInvestment: wan(t, "10.8"), DistrictFund: wan(t, "10.8"),
				Villages: n(5), People: n(30), Employed: n(30),
			},
			{
				Level: xiezuo.LevelRegion, Region: dl, Label: "西藏拉萨堆龙德庆区（2个）", Count: n(2),
				TotalInvestment: wan(t, "90.000001"), DistrictFund: wan(t, "90"),
				Villages: n(1), People: n(997), Employed: n(17),
			},
		},
	}
}

// readSheet returns the sheet's raw cell values, every row padded to the table's width.
func readSheet(t *testing.T, f *excelize.File) [][]string {
	t.Helper()
	rows, err := f.GetRows(ProjectsSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("GetRows(%s) error: %v", ProjectsSheet, err)
	}
	for i, r := range rows {
		rows[i] = append(r, make([]string, numCols-len(r))...)
	}
	return rows
}

func writeAndOpen(t *testing.T, p *xiezuo.Plan) *excelize.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "projects.xlsx")
	if err := WriteProjectsFile(path, p); err != nil {
		t.Fatalf("WriteProjectsFile(%s) error: %v", path, err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("OpenFile(%s) error: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriteProjects(t *testing.T) {
	f := writeAndOpen(t, testPlan(t))

	if got, want := f.GetSheetList(), []string{ProjectsSheet}; !cmp.Equal(got, want) {
		t.Errorf("GetSheetList() = %v, want %v", got, want)
	}
	row := func(cells ...string) []string { return append(cells, make([]string, numCols-len(cells))...) }
	sub := func(label, ti, df, villages, people, employed string) []string {
		return row(label, "", "", "", ti, df, "", villages, people, employed)
	}
	want := [][]string{
		row("2021年门头沟区支援合作项目计划表"),
		row("(单位:万元)"),
		ProjectsHeader,
		sub("合计（5个）", "412.500001", "150.8", "6", "1124", "77"),
		sub("内蒙古武川县（3个）", "322.5", "60.8", "5", "127", "60"),
		sub("1. 产业合作类（2个）", "311.7", "50", "", "97", "30"), // 1 or 2 villages: a range, in the note
		{"1", "武川县乡村振兴加工车间援建项目", "新建", "扶持农村专业合作社和小型加工车间3个。\n（1）石磨莜面加工车间；（2）包装箱车间。",
			"281.7", "30", "购置面粉加工设备", "1", "30", "30", "大青山乡人民政府", "刘建业（书记）", "2021年6月-2021年9月",
			"每年带动10名脱贫人口务工", "区科信局"},
		{"2", "西乌兰不浪镇红山子村养殖产业扶持项目", "续建", "补贴合作社养殖产业",
			"30", "20", "肉牛采购", "1", "67", "", "西乌兰不浪镇人民政府", "13800138000", "2021年6月-2021年10月",
			"扩大生产规模", "区农业农村局"},
		sub("4. 残疾人帮扶（1个）", "10.8", "10.8", "5", "30", "30"),
		{"3", "武川县脱贫残疾人帮扶专岗项目", "续建", "设置帮扶专岗30个",
			"10.8", "10.8", "岗位补贴", "5", "30", "30", "武川县残联", "杨玺", "2021年6月-2021年12月",
			"人均增收3600元", "区残联"},
		sub("西藏拉萨堆龙德庆区（2个）", "90.000001", "90", "1", "997", "17"),
		sub("1. 产业合作类（2个）", "90.000001", "90", "", "997", "17"),
		{"1", "堆龙德庆区乌骨羊扩大养殖项目", "新建", "购置200个乌骨羊胚胎",
			"30", "30", "购买胚胎", "1", "97", "2", "堆龙德庆区马镇人民政府", "多吉旺堆（镇长）", "2021年6月-2021年12月",
			"为27户分红", "区科信局"},
		{"2", "堆龙德庆区高山芦笋、羊肚菌种植项目", "新建", "6栋高山芦笋大棚、20栋羊肚菌大棚",
			"60.000001", "60", "种苗、肥料", "1", "900", "15", "堆龙德庆区马镇人民政府", "多吉旺堆（镇长）", "2021年6月-2021年12月",
			"带动15名农牧民务工", "区科信局"},
		row("注：受益脱贫村为不重复计算的村数，不能逐行相加；空白的小计栏只能确定范围（内蒙古武川县 1. 产业合作类（2个） 1–2 个；西藏拉萨堆龙德庆区 1. 产业合作类（2个） 1–2 个）。"),
	}
	if diff := cmp.Diff(want, readSheet(t, f)); diff != "" {
		t.Errorf("WriteProjects(plan) rows (-want +got):\n%s", diff)
	}

	merges, err := f.GetMergeCells(ProjectsSheet)
	if err != nil {
		t.Fatalf("GetMergeCells() error: %v", err)
	}
	var gotMerges []string
	for _, m := range merges {
		gotMerges = append(gotMerges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	wantMerges := []string{"A1:O1", "A2:O2", "A4:D4", "A5:D5", "A6:D6", "A9:D9", "A11:D11", "A12:D12", "A15:O15"} // A15: the note on villages known as ranges
	if diff := cmp.Diff(wantMerges, gotMerges); diff != "" {
		t.Errorf("GetMergeCells() (-want +got):\n%s", diff)
	}
}

// TestWriteProjectsCellTypes checks that figures are numbers, shown exactly as written (no
// "30." nor "10.800000"), and that text, even text that looks like a number, stays text.
func TestWriteProjectsCellTypes(t *testing.T) {
	f := writeAndOpen(t, testPlan(t))
	tests := []struct {
		cell      string
		number    bool
		formatted string
	}{
		{"A1", false, "2021年门头沟区支援合作项目计划表"},
		{"E4", true, "412.500001"},
		{"E5", true, "322.5"},
		{"F6", true, "50"},
		{"E9", true, "10.8"},
		{"H5", true, "5"},
		{"A7", true, "1"},
		{"B7", false, "武川县乡村振兴加工车间援建项目"},
		{"L8", false, "13800138000"},
		{"J8", false, ""},
		{"G5", false, ""},
		{"E14", true, "60.000001"},
	}
	for _, tt := range tests {
		got, err := f.GetCellValue(ProjectsSheet, tt.cell)
		if err != nil {
			t.Fatalf("GetCellValue(%s) error: %v", tt.cell, err)
		}
		if got != tt.formatted {
			t.Errorf("GetCellValue(%s) = %q, want %q", tt.cell, got, tt.formatted)
		}
		typ, err := f.GetCellType(ProjectsSheet, tt.cell)
		if err != nil {
			t.Fatalf("GetCellType(%s) error: %v", tt.cell, err)
		}
		// Numbers are written without a type attribute, which excelize reads as unset.
		isNumber := typ == excelize.CellTypeUnset && got != ""
		if isNumber != tt.number {
			t.Errorf("GetCellType(%s) = %v, want number %v", tt.cell, typ, tt.number)
		}
		if !tt.number && got != "" && typ != excelize.CellTypeInlineString {
			t.Errorf("GetCellType(%s) = %v, want inline string", tt.cell, typ)
		}
	}
	for _, cell := range []string{"B7", "L8", "A5"} {
		id, err := f.GetCellStyle(ProjectsSheet, cell)
		if err != nil {
			t.Fatalf("GetCellStyle(%s) error: %v", cell, err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatalf("GetStyle(%d) error: %v", id, err)
		}
		if s.NumFmt != 49 {
			t.Errorf("GetStyle(GetCellStyle(%s)).NumFmt = %d, want 49 (text)", cell, s.NumFmt)
		}
	}
}

func TestWriteProjectsPage(t *testing.T) {
	f := writeAndOpen(t, testPlan(t))
	layout, err := f.GetPageLayout(ProjectsSheet)
	if err != nil {
		t.Fatalf("GetPageLayout() error: %v", err)
	}
	got := fmt.Sprintf("size %d %s, fit %d wide %d tall", *layout.Size, *layout.Orientation, *layout.FitToWidth, *layout.FitToHeight)
	if want := "size 9 landscape, fit 1 wide 0 tall"; got != want {
		t.Errorf("GetPageLayout() = %s, want %s", got, want)
	}
	props, err := f.GetSheetProps(ProjectsSheet)
	if err != nil {
		t.Fatalf("GetSheetProps() error: %v", err)
	}
	if props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("GetSheetProps().FitToPage = %v, want true", props.FitToPage)
	}
	var titles []string
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles = append(titles, dn.Scope+" "+dn.RefersTo)
		}
	}
	if diff := cmp.Diff([]string{ProjectsSheet + " '项目计划表'!$1:$3"}, titles); diff != "" {
		t.Errorf("GetDefinedName() print titles (-want +got):\n%s", diff)
	}
	panes, err := f.GetPanes(ProjectsSheet)
	if err != nil {
		t.Fatalf("GetPanes() error: %v", err)
	}
	if !panes.Freeze || panes.YSplit != 3 || panes.TopLeftCell != "A4" {
		t.Errorf("GetPanes() = %+v, want frozen below row 3", panes)
	}
	for col, want := range map[string]float64{"A": 5, "D": 30, "N": 30} {
		got, err := f.GetColWidth(ProjectsSheet, col)
		if err != nil {
			t.Fatalf("GetColWidth(%s) error: %v", col, err)
		}
		if got != want {
			t.Errorf("GetColWidth(%s) = %v, want %v", col, got, want)
		}
	}
	h, err := f.GetRowHeight(ProjectsSheet, 7)
	if err != nil {
		t.Fatalf("GetRowHeight(7) error: %v", err)
	}
	if h < 2*lineHeight {
		t.Errorf("GetRowHeight(7) = %v, want room for the two lines of its content", h)
	}
}

// TestWriteProjectsComputed checks the subtotals of a plan that states none: one region (so no
// 合计 row), villages known only as a range (67–71) left blank with the range in the note below
// the table, unknown figures left blank.
func TestWriteProjectsComputed(t *testing.T) {
	p := &xiezuo.Plan{
		Year:     2021,
		District: "门头沟区",
		Projects: []xiezuo.Project{
			{Region: "神农架林区", Category: "劳务协作类", CategoryNumber: 2, Name: "甲", TotalInvestment: wan(t, "22"), Villages: n(1), People: n(50)},
			{Region: "神农架林区", Category: "劳务协作类", CategoryNumber: 2, Name: "乙", TotalInvestment: wan(t, "48"), Villages: n(67), People: n(100)},
			{Region: "神农架林区", Name: "丙", Villages: n(3)},
		},
	}
	f := writeAndOpen(t, p)
	got := readSheet(t, f)[3:]
	row := func(cells ...string) []string { return append(cells, make([]string, numCols-len(cells))...) }
	want := [][]string{
		row("神农架林区（3个）", "", "", "", "70", "", "", "", "150", ""),
		row("2. 劳务协作类（2个）", "", "", "", "70", "", "", "", "150", ""),
		row("1", "甲", "", "", "22", "", "", "1", "50", ""),
		row("2", "乙", "", "", "48", "", "", "67", "100", ""),
		row("3", "丙", "", "", "", "", "", "3", "", ""),
		row("注：受益脱贫村为不重复计算的村数，不能逐行相加；空白的小计栏只能确定范围（神农架林区（3个） 67–71 个；神农架林区 2. 劳务协作类（2个） 67–68 个）。"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WriteProjects(plan without subtotals) rows (-want +got):\n%s", diff)
	}
}

func TestWriteProjectsEmpty(t *testing.T) {
	f := writeAndOpen(t, &xiezuo.Plan{Year: 2022, District: "门头沟区"})
	got := readSheet(t, f)
	if len(got) != 3 || got[0][0] != "2022年门头沟区支援合作项目计划表" || got[2][0] != "序号" {
		t.Errorf("WriteProjects(empty plan) rows = %q, want title, unit and header only", got)
	}
}

func TestPeriodText(t *testing.T) {
	ym := func(y, m int) xiezuo.YearMonth { return xiezuo.YearMonth{Year: y, Month: m} }
	tests := []struct {
		in   xiezuo.Period
		want string
	}{
		{xiezuo.Period{Text: "2021年6-2021年10月", Start: ym(2021, 6), Finish: ym(2021, 10)}, "2021年6-2021年10月"},
		{xiezuo.Period{Start: ym(2021, 6), Finish: ym(2022, 3)}, "2021年6月-2022年3月"},
		{xiezuo.Period{Start: ym(2021, 6)}, "2021年6月"},
		{xiezuo.Period{}, ""},
	}
	for _, tt := range tests {
		if got := periodText(tt.in); got != tt.want {
			t.Errorf("periodText(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteProjectsFileReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "projects.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteProjectsFile(path, testPlan(t)); err != nil {
		t.Fatalf("WriteProjectsFile(%s) error: %v", path, err)
	}
	if got := dirNames(t, dir); !cmp.Equal(got, []string{"projects.xlsx"}) {
		t.Errorf("WriteProjectsFile(%s) left %q, want only projects.xlsx", path, got)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("WriteProjectsFile(%s) wrote %q…, want a zip", path, b[:min(len(b), 8)])
	}
}

// TestWriteProjectsFileFails checks that a failed write leaves no partial or temporary file.
func TestWriteProjectsFileFails(t *testing.T) {
	dir := t.TempDir()
	// A folder in the way: the workbook is written, but cannot be renamed onto it.
	path := filepath.Join(dir, "projects.xlsx")
	if err := os.MkdirAll(filepath.Join(path, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteProjectsFile(path, testPlan(t)); err == nil {
		t.Errorf("WriteProjectsFile(%s) over a folder = nil, want error", path)
	}
	if got := dirNames(t, dir); !cmp.Equal(got, []string{"projects.xlsx"}) {
		t.Errorf("WriteProjectsFile(%s) left %q, want only the folder", path, got)
	}
	missing := filepath.Join(dir, "no", "such", "folder.xlsx")
	if err := WriteProjectsFile(missing, testPlan(t)); err == nil {
		t.Errorf("WriteProjectsFile(%s) = nil, want error", missing)
	}
}

// TestWriteProjectsColsOrder checks the raw sheet: Excel repairs a sheet whose <col> elements
// are not in ascending order, and excelize's reader does not mind, so read the XML.
func TestWriteProjectsColsOrder(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteProjects(&buf, testPlan(t)); err != nil {
		t.Fatalf("WriteProjects() error: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("zip.NewReader() error: %v", err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatalf("Open(sheet1.xml) error: %v", err)
	}
	defer rc.Close()
	sheet, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, m := range regexp.MustCompile(`<col min="(\d+)"`).FindAllSubmatch(sheet, -1) {
		v, _ := strconv.Atoi(string(m[1]))
		got = append(got, v)
	}
	want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WriteProjects() <col> order (-want +got):\n%s", diff)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func BenchmarkWriteProjects10000(b *testing.B) {
	regions := []string{"内蒙古武川县", "西藏拉萨堆龙德庆区", "神农架林区", "河北省张家口市", "湖北省十堰市"}
	categories := []string{"产业合作类", "消费帮扶类", "劳务协作类", "残疾人帮扶", "社会事业类"}
	content := strings.Repeat("扶持农村专业合作社和小型加工车间，以支持其扩大生产带动村民尤其是脱贫人口增收。", 3)
	benefit := strings.Repeat("资金用于补贴合作社购置加工设备及建设厂房，形成固定资产归属村委会，每年带动10名脱贫人口务工。", 4)
	p := &xiezuo.Plan{Year: 2021, District: "门头沟区"}
	for i := range 10000 {
		r, c := i/2000, i/400%5
		p.Projects = append(p.Projects, xiezuo.Project{
			Region: regions[r], Category: categories[c], CategoryNumber: c + 1, Number: i%2000 + 1,
			Name: fmt.Sprintf("%s第%d号帮扶项目", regions[r], i+1), Nature: "新建", Content: content,
			TotalInvestment: xiezuo.Known(int64(i%97+1) * 108_000), DistrictFund: xiezuo.Known(int64(i%89+1) * 100_000),
			FundUse: "资金主要用于建设厂房及购置加工设备", Villages: xiezuo.Known(int64(i%7 + 1)),
			People: xiezuo.Known(int64(i%300 + 10)), Employed: xiezuo.Num{V: int64(i % 20), Valid: i%10 != 0},
			Implementer: "大青山乡人民政府", Managers: "刘建业（书记）郭建武（乡长）",
			Period:  xiezuo.Period{Start: xiezuo.YearMonth{Year: 2021, Month: 6}, Finish: xiezuo.YearMonth{Year: 2021, Month: 9}},
			Benefit: benefit, LeadUnit: "区农业农村局",
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteProjects(io.Discard, p); err != nil {
			b.Fatalf("WriteProjects() error: %v", err)
		}
	}
}
