package labourio

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/gen"
)

// A sheet of blank <row/> elements past Excel's last row is refused, not read for hours: every
// row element counts, blank or not.
func TestScannerBlankRowsBounded(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`<worksheet><sheetData>`)
	sb.WriteString(strings.Repeat(`<row/>`, MaxSheetRow+1))
	sb.WriteString(`</sheetData></worksheet>`)
	p := writeXLSX(t, sb.String(), "")
	m := xiezuo.LabourMapping{HeaderRows: 1, Headers: []string{"姓名", "身份证号"}, Columns: []string{xiezuo.LFName, xiezuo.LFIDNumber}}
	_, err := Import(context.Background(), p, xiezuo.ListWorkers, m, checkFor(t), &collect{})
	if err == nil || !strings.Contains(err.Error(), "工作表过大") {
		t.Errorf("Import of %d blank rows: %v, want 工作表过大", MaxSheetRow+1, err)
	}
}

// Rows must go upwards: a row numbered again or back is refused (excelize's iterator misreads
// it), and so is a cell left of the one before it in its row.
func TestScannerOrder(t *testing.T) {
	for name, sheet := range map[string]string{
		"row again":  `<worksheet><sheetData><row r="2"/><row r="2"/></sheetData></worksheet>`,
		"row back":   `<worksheet><sheetData><row r="5"/><row r="3"/></sheetData></worksheet>`,
		"cell back":  `<worksheet><sheetData><row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row></sheetData></worksheet>`,
		"bad ref":    `<worksheet><sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData></worksheet>`,
		"row zero":   `<worksheet><sheetData><row r="0"/></sheetData></worksheet>`,
		"unclosed":   `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData></worksheet>`,
		"cut":        `<worksheet><sheetData><row r="1"><c r="A1"><v>1`,
		"no sst":     `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
		"dup attr":   `<worksheet><sheetData><row r="1"><c r="A1" r="B1"><v>1</v></c></row></sheetData></worksheet>`,
		"doctype":    `<!DOCTYPE x [<!ENTITY a "b">]><worksheet><sheetData></sheetData></worksheet>`,
		"bad name":   `<worksheet><sheetData><row r="1"><1c/></row></sheetData></worksheet>`,
		"cell outer": `<worksheet><sheetData><c r="A1"><v>1</v></c></sheetData></worksheet>`,
	} {
		s, err := openSheet(writeXLSX(t, sheet, ""), "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if rows, err := readRows(s); err == nil {
			t.Errorf("%s: read %v, want a refusal", name, rows)
		}
	}
}

// A cell's text past MaxCellBytes is cut at a rune's start, entities and CDATA included.
func TestScannerCutsLongCells(t *testing.T) {
	long := strings.Repeat("中", MaxCellBytes) // 3 bytes each
	for name, body := range map[string]string{
		"inline": `<c r="A1" t="inlineStr"><is><t>` + long + `</t></is></c>`,
		"entity": `<c r="A1"><v>` + strings.Repeat("&#x4E2D;", MaxCellBytes) + `</v></c>`,
		"cdata":  `<c r="A1" t="inlineStr"><is><t><![CDATA[` + long + `]]></t></is></c>`,
		"shared": `<c r="A1" t="s"><v>0</v></c>`,
	} {
		p := writeXLSX(t, `<worksheet><sheetData><row r="1">`+body+`</row></sheetData></worksheet>`, `<sst><si><t>`+long+`</t></si></sst>`)
		rows, err := scanAll(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := rows[1][0]
		if len(c) > MaxCellBytes || len(c) < MaxCellBytes-2 || strings.Trim(c, "中") != "" {
			t.Errorf("%s: cell of %d bytes (%q…)", name, len(c), c[:min(len(c), 12)])
		}
	}
}

// BenchmarkSheetScanner scans a generated workbook of 20,000 workers: the scanner's share of an
// import, per row.
func BenchmarkSheetScanner(b *testing.B) {
	p := filepath.Join(b.TempDir(), "w.xlsx")
	if err := gen.WriteLabourXLSX(p, gen.LabourGen{List: xiezuo.ListWorkers, Rows: 20_000, Seed: 5}); err != nil {
		b.Fatal(err)
	}
	rows := 0
	for b.Loop() {
		s, err := openSheet(p, "")
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, _, err := s.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		s.close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows)/1000, "µs/row")
}

// A sheet as Excel writes it (prefixed attributes of other namespaces on rows, xml:space on
// texts, a BOM-less declaration, spans and styles) is read, not refused.
func TestScannerReadsExcelsOwn(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">` +
		`<dimension ref="A1:B2"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="13.5" x14ac:dyDescent="0.15"/>` +
		`<sheetData><row r="1" spans="1:2" x14ac:dyDescent="0.15"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve"> 甲 </t></is></c></row>` +
		`<row r="2" spans="1:2" ht="14.25" customHeight="1" x14ac:dyDescent="0.15"><c r="A2" s="2"><v>522624199001011234</v></c><c r="B2" t="str"><f>A2&amp;""</f><v>522624199001011234</v></c></row></sheetData>` +
		`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
	rows, err := scanAll(writeXLSX(t, sheet, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>姓名</t><phoneticPr fontId="1" type="noConversion"/></si></sst>`))
	if err != nil {
		t.Fatal(err)
	}
	want := "map[1:[姓名  甲 ] 2:[522624199001011234 522624199001011234]]"
	if fmt.Sprint(rows) != want {
		t.Errorf("read %v, want %s", rows, want)
	}
}
