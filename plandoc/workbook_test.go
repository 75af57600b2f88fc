package plandoc

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"xiezuo"
	"xiezuo/sample"
	"xiezuo/xlsx"
)

var header15 = strings.Split(strings.TrimSuffix(projectHead, "\n"), "\t")

// officeWorkbook builds a project table laid out as offices do: a merged title row, a unit
// row, the header, merged region and category rows, numbers as numbers, a second sheet of notes.
func officeWorkbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	f.SetSheetName(sh, "项目表")
	sh = "项目表"
	set := func(r int, vals []any) {
		for c, v := range vals {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r)
			if err := f.SetCellValue(sh, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	set(1, []any{"2025年昌平区支援合作项目计划表"})
	f.MergeCell(sh, "A1", "O1")
	set(2, []any{"(单位:万元)"})
	f.MergeCell(sh, "A2", "O2")
	h := make([]any, len(header15))
	for i, s := range header15 {
		h[i] = s
	}
	h[4] = "项目总投资\n（万元）"
	set(3, h)
	for i, r := range rows {
		set(4+i, r)
		if s, ok := r[0].(string); ok && strings.Contains(s, "个") {
			a, _ := excelize.CoordinatesToCellName(1, 4+i)
			d, _ := excelize.CoordinatesToCellName(4, 4+i)
			f.MergeCell(sh, a, d)
		}
	}
	f.NewSheet("说明")
	f.SetCellValue("说明", "A1", "本表由区支援合作办汇总")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWorkbook(t *testing.T) {
	rows := [][]any{
		{"新疆和田县（2个）", nil, nil, nil, 130.5, 100.25, nil, 3, 500, 60},
		{"1.产业合作类（2个）", nil, nil, nil, 130.5, 100.25, nil, 3, 500, 60},
		{1, "和田县红枣加工项目", "新建", "加工车间1座", 100, 80, "设备", 2, 300, 40, "和田县某乡人民政府", "艾某", "2025年5月-2025年10月", "带动就业", "区科信局"},
		{2, "和田县核桃种植项目", "续建", "种植500亩", 30.5, 20.25, "种苗", 1, 200, 20, "和田县某乡人民政府", "买某", "2025.3-2025.11", "增收", "区农业农村局"},
	}
	r, err := Parse("2025年昌平区项目表.xlsx", officeWorkbook(t, rows))
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("errors = %v", r.Errors)
	}
	s := r.Summary()
	if s.Year != 2025 || s.District != "昌平区" || s.Projects != 2 {
		t.Fatalf("summary = %d %s %d, want 2025 昌平区 2", s.Year, s.District, s.Projects)
	}
	want := []xiezuo.RegionSummary{{Name: "新疆和田县", Projects: 2, TotalInvestmentYuan: yuan(1305000), DistrictFundYuan: yuan(1002500), BeneficiaryVillages: 3, BeneficiaryPeople: 500, EmployedPeople: 60}}
	if diff := cmp.Diff(want, s.Regions); diff != "" {
		t.Errorf("regions (-want +got):\n%s", diff)
	}
	if p := r.Plan.Projects[1]; p.Pos != (xiezuo.Pos{Sheet: "项目表", Line: 7}) || p.LeadUnit != "区农业农村局" {
		t.Errorf("second project at %+v lead %s, want 项目表 row 7", p.Pos, p.LeadUnit)
	}
}

func TestWorkbookErrorsNameSheetAndRow(t *testing.T) {
	rows := [][]any{
		{"新疆和田县（2个）", nil, nil, nil, 130.5, 100.25, nil, 3, 500, 60},
		{1, "和田县红枣加工项目", "新建", "加工车间1座", 100, 80, "设备", 2, 300, 40, "某乡", "艾某", "2025年5月-2025年13月", "带动就业", "区科信局"},
		{2, "和田县核桃种植项目", "续建", "种植500亩", 30.5, 20.25, "种苗", "一个", 200, 20, "某乡", "买某", "2025.3-2025.11", "增收", "区农业农村局"},
	}
	r, err := Parse("plan.xlsx", officeWorkbook(t, rows))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range r.Errors {
		got = append(got, fmt.Sprintf("%s:%d", e.Sheet, e.Line))
	}
	want := []string{"项目表:5", "项目表:6"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors at (-want +got):\n%s\n%v", diff, r.Errors)
	}
}

func TestWorkbookTaskListWithMergedCells(t *testing.T) {
	f := excelize.NewFile()
	sh := "Sheet1"
	vals := [][]string{
		{"2025年昌平区支援合作工作任务清单"},
		{"工作事项", "任务类别", "任务内容", "责任部门", "完成时限"},
		{"组织领导", "研究部署", "1. 甲。 2. 乙。", "区委办公室", "10月底前"},
		{"", "调研对接", "调研。", "区政府办公室", ""},
	}
	for r, row := range vals {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue(sh, cell, v)
		}
	}
	f.MergeCell(sh, "A3", "A4") // the work item spans both tasks
	f.MergeCell(sh, "E3", "E4") // so does the deadline
	var buf bytes.Buffer
	f.Write(&buf)
	r, err := Parse("tasks.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || len(r.Plan.Tasks) != 2 {
		t.Fatalf("tasks = %d, errors %v", len(r.Plan.Tasks), r.Errors)
	}
	if tk := r.Plan.Tasks[1]; tk.WorkItem != "组织领导" || tk.Deadline.Text != "10月底前" {
		t.Errorf("second task = %q %q, want the merged work item and deadline", tk.WorkItem, tk.Deadline.Text)
	}
}

func TestCSV(t *testing.T) {
	csv := "2025年昌平区支援合作项目计划表\n(单位:万元)\n" + strings.Join(header15, ",") + "\n" +
		"新疆和田县（1个）,,,,100,80,,2,300,40,,,,,\n" +
		"1,和田县红枣加工项目,新建,\"加工车间1座,含设备\",100,80,设备,2,300,40,某乡,艾某,2025年5月-2025年10月,带动就业,区科信局\n"
	for _, enc := range []string{"utf-8", "gbk"} {
		data := []byte(csv)
		if enc == "gbk" {
			var err error
			if data, err = simplifiedchinese.GBK.NewEncoder().Bytes(data); err != nil {
				t.Fatal(err)
			}
		}
		r, err := Parse("projects.csv", data)
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK() || len(r.Plan.Projects) != 1 {
			t.Fatalf("%s: projects = %d, errors %v", enc, len(r.Plan.Projects), r.Errors)
		}
		p := r.Plan.Projects[0]
		if p.Content != "加工车间1座,含设备" || p.DistrictFund.V != 80_000_000 || p.Pos.Line != 5 || r.Plan.District != "昌平区" {
			t.Errorf("%s: project = %q %v line %d district %s", enc, p.Content, p.DistrictFund, p.Pos.Line, r.Plan.District)
		}
	}
}

// TestExportReadsBack writes the 2021 project table with the exporter and reads it back: the
// totals must be the same.
func TestExportReadsBack(t *testing.T) {
	orig, err := Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := xlsx.WriteProjects(&buf, orig.Plan); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("export.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !back.OK() {
		t.Fatalf("errors reading the export: %v", back.Errors)
	}
	want, got := orig.Summary(), back.Summary()
	if diff := cmp.Diff(want.Regions, got.Regions); diff != "" {
		t.Errorf("regions after export (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.Totals, got.Totals); diff != "" {
		t.Errorf("totals after export (-want +got):\n%s", diff)
	}
	if got.Projects != 16 || got.Year != 2021 || got.District != "门头沟区" {
		t.Errorf("export read back = %d projects %d %s", got.Projects, got.Year, got.District)
	}
}

func TestUnreadable(t *testing.T) {
	for _, tt := range []struct{ name, data string }{
		{"broken.xlsx", "PK\x03\x04 not really a zip"},
		{"old.xls", "whatever"},
		{"binary.bin", "\x00\x01\x02"},
		{"renamed.md", "PK\x03\x04\x00\x00binary"},
	} {
		if _, err := Parse(tt.name, []byte(tt.data)); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("Parse(%s) error = %v, want an EINVALID error", tt.name, err)
		}
	}
}

// TestWorkbookNotesSheet checks that a sheet of notes (序号 | 说明) beside the project table is
// ignored, and that a two-row header (资金（万元） over 项目总投资 | 区级帮扶资金) is read.
func TestWorkbookNotesSheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	vals := [][]any{
		{"2025年昌平区支援合作项目计划表"},
		{"单位：万元、个、人"},
		{"序号", "项目名称", "建设性质", "资金（万元）", nil, "受益脱贫村", "受益脱贫人口", "吸纳脱贫人口"},
		{nil, nil, nil, "项目总投资", "区级帮扶资金"},
		{"新疆和田县（1个）", nil, nil, 100, 80, 2, 300, 40},
		{1, "和田县红枣加工项目", "新建", 100, 80, 2, 300, 40},
	}
	for r, row := range vals {
		for c, v := range row {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue(sh, cell, v)
		}
	}
	f.MergeCell(sh, "D3", "E3")
	f.NewSheet("填表说明")
	f.SetCellValue("填表说明", "A1", "序号")
	f.SetCellValue("填表说明", "B1", "说明")
	f.SetCellValue("填表说明", "A2", 1)
	f.SetCellValue("填表说明", "B2", "受益脱贫村为不重复计算的村数。")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := Parse("projects.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || len(r.Plan.Projects) != 1 || r.Plan.Projects[0].DistrictFund.V != 80*xiezuo.FenPerWan {
		t.Errorf("Parse(workbook with notes) = %d projects %+v, errors %v, want 1 with fund 80万元", len(r.Plan.Projects), r.Plan.Projects, r.Errors)
	}
}
