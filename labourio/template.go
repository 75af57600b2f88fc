package labourio

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// templateRows is how many rows below the header the template formats (ID and phone columns
// as text).
const templateRows = 2000

// TemplateFields are the fields a template writes: the list's fields with the home in one
// column (户籍地), not split into county, town and village.
func TemplateFields(l xiezuo.LabourList) []xiezuo.LabourField {
	var out []xiezuo.LabourField
	for _, f := range xiezuo.LabourFields(l) {
		switch f.Key {
		case xiezuo.LFHomeCounty, xiezuo.LFHomeTown, xiezuo.LFHomeVillage:
			continue
		}
		out = append(out, f)
	}
	return out
}

// Template writes the template workbook of list l: a title row, the header row of the list's
// fields and a hint row of what each column takes (in parentheses, which the mapping reads as
// part of the header); the ID number and phone columns are formatted as text, so that Excel
// keeps every digit.
func Template(l xiezuo.LabourList) ([]byte, error) {
	fields := TemplateFields(l)
	if fields == nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "没有“%s”这个清单", string(l))
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := l.Short()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}})
	hint, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "808080", Size: 9}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	last, _ := excelize.ColumnNumberToName(len(fields))
	f.SetCellValue(sheet, "A1", l.Title())
	f.MergeCell(sheet, "A1", last+"1")
	f.SetCellStyle(sheet, "A1", last+"1", title)
	for i, fd := range fields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetCellValue(sheet, col+"2", fd.Label)
		f.SetCellStyle(sheet, col+"2", col+"2", head)
		var h []string
		if fd.Required {
			h = append(h, "必填")
		}
		if fd.Unit != "" {
			h = append(h, "单位："+fd.Unit)
		}
		if fd.Help != "" {
			h = append(h, fd.Help)
		}
		if len(h) == 0 {
			h = append(h, "选填")
		}
		f.SetCellValue(sheet, col+"3", "（"+strings.Join(h, "；")+"）")
		f.SetCellStyle(sheet, col+"3", col+"3", hint)
		f.SetColWidth(sheet, col, col, 16)
		if fd.Key == xiezuo.LFIDNumber || fd.Key == xiezuo.LFPhone || fd.Key == xiezuo.LFContactPhone || fd.Key == xiezuo.LFCreditCode || fd.Key == xiezuo.LFEmployerCode {
			f.SetColWidth(sheet, col, col, 22)
			f.SetCellStyle(sheet, fmt.Sprintf("%s4", col), fmt.Sprintf("%s%d", col, templateRows+3), text)
		}
	}
	f.SetRowHeight(sheet, 3, 48)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	return buf.Bytes(), nil
}
