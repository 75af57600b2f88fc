package xlsx

import (
	"bytes"

	"github.com/xuri/excelize/v2"
)

// ExampleLayoutTemplate is a template as a city platform sends one: a title row, a row for
// 填报单位 and 填报日期, two header rows with merged cells (资金规模 over 总投资 and 区级资金, 受益情况
// over three columns, 项目进展 over three), one styled data row (money with two decimals, the rate
// as a percentage), a 合计 row and a note. Tests and the demo map and fill it.
func ExampleLayoutTemplate() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "项目进展"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return nil, err
	}
	set := func(cell string, v any) {
		f.SetCellValue(sh, cell, v)
	}
	merge := func(a, b string) { f.MergeCell(sh, a, b) }
	set("A1", "2021年东西部协作项目进展情况表")
	merge("A1", "O1")
	set("A2", "填报单位（盖章）：")
	merge("A2", "H2")
	set("L2", "填报日期：")
	merge("L2", "O2")
	for _, h := range []struct{ a, b, text string }{
		{"A3", "A4", "序号"}, {"B3", "B4", "县（市、区）"}, {"C3", "C4", "项目名称"}, {"D3", "D4", "项目类别"}, {"E3", "E4", "建设性质"},
		{"F3", "G3", "资金规模（万元）"}, {"H3", "J3", "受益情况"}, {"K3", "M3", "项目进展"}, {"N3", "N4", "实施单位"}, {"O3", "O4", "备注"},
	} {
		set(h.a, h.text)
		merge(h.a, h.b)
	}
	for cell, text := range map[string]string{"F4": "总投资", "G4": "其中：区级资金", "H4": "受益村（个）", "I4": "受益人口（人）", "J4": "带动就业（人）", "K4": "状态", "L4": "已拨付（万元）", "M4": "拨付率"} {
		set(cell, text)
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	head, err := f.NewStyle(&excelize.Style{Border: border, Font: &excelize.Font{Bold: true, Family: "黑体"}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}})
	if err != nil {
		return nil, err
	}
	textStyle, err := f.NewStyle(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	moneyFmt, pctFmt := "0.00", "0.0%"
	moneyStyle, err := f.NewStyle(&excelize.Style{Border: border, CustomNumFmt: &moneyFmt, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	intStyle, err := f.NewStyle(&excelize.Style{Border: border, NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	pctStyle, err := f.NewStyle(&excelize.Style{Border: border, CustomNumFmt: &pctFmt, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: "方正小标宋简体"}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return nil, err
	}
	f.SetCellStyle(sh, "A1", "O1", titleStyle)
	f.SetCellStyle(sh, "A3", "O4", head)
	for _, row := range []string{"5", "6"} {
		f.SetCellStyle(sh, "A"+row, "E"+row, textStyle)
		f.SetCellStyle(sh, "F"+row, "G"+row, moneyStyle)
		f.SetCellStyle(sh, "H"+row, "J"+row, intStyle)
		f.SetCellStyle(sh, "K"+row, "K"+row, textStyle)
		f.SetCellStyle(sh, "L"+row, "L"+row, moneyStyle)
		f.SetCellStyle(sh, "M"+row, "M"+row, pctStyle)
		f.SetCellStyle(sh, "N"+row, "O"+row, textStyle)
	}
	f.SetRowHeight(sh, 5, 30)
	set("A6", "合计")
	merge("A6", "E6")
	set("A7", "填表说明：1. 资金单位为万元；2. 拨付率为已拨付除以已下达。")
	merge("A7", "O7")
	f.SetColWidth(sh, "C", "C", 30)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
