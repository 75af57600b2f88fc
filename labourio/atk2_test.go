package labourio

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// withSheet writes a workbook made by excelize whose sheet1.xml is replaced by sheet.
func withSheet(t *testing.T, sheet string) string {
	t.Helper()
	dir := t.TempDir()
	f := excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "x")
	base := filepath.Join(dir, "base.xlsx")
	if err := f.SaveAs(base); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(base)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := filepath.Join(dir, "x.xlsx")
	of, _ := os.Create(out)
	zw := zip.NewWriter(of)
	for _, e := range zr.File {
		w, _ := zw.Create(e.Name)
		if e.Name == "xl/worksheets/sheet1.xml" {
			io.WriteString(w, sheet)
			continue
		}
		rc, _ := e.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	zw.Close()
	of.Close()
	return out
}

const ns = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

// The scanner and excelize (and Excel) must read a sheet alike; where excelize stops at an XML
// error (it ends the rows silently), the scanner refuses the file.
func TestAtkScannerDisagrees(t *testing.T) {
	cases := map[string]string{
		"comment hides a cell": ns + `<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c><!-- a > <c r="B1" t="inlineStr"><is><t>隐藏</t></is></c> --></row></sheetData></worksheet>`,
		"CDATA":                ns + `<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[张三]]></t></is></c></row></sheetData></worksheet>`,
		"bool":                 ns + `<row r="1"><c r="A1" t="b"><v>1</v></c></row></sheetData></worksheet>`,
		"quoted >":             ns + `<row r="1"><c r="A1" t="inlineStr" x="a>b"><is><t>乙</t></is></c></row></sheetData></worksheet>`,
		"lower-case ref":       ns + `<row r="1"><c r="c1" t="inlineStr"><is><t>丙</t></is></c></row></sheetData></worksheet>`,
		"single-quoted r":      ns + `<row r='1'><c r='B1' t='inlineStr'><is><t>丁</t></is></c></row></sheetData></worksheet>`,
	}
	refused := map[string]string{
		"entity in attr ref": ns + `<row r="1"><c r="A1" t="inlineStr"><is><t>&#0;戊&#xD800;</t></is></c></row></sheetData></worksheet>`,
		"surrogate":          ns + `<row r="1"><c r="A1" t="inlineStr"><is><t>戊&#xD800;</t></is></c></row></sheetData></worksheet>`,
		"unknown entity":     ns + `<row r="1"><c r="A1"><v>&nbsp;</v></c></row></sheetData></worksheet>`,
		"-- in a comment":    ns + `<row r="1"><c r="A1"><v>1</v></c><!-- a -- b --></row></sheetData></worksheet>`,
	}
	for name, sheet := range cases {
		a, err := scanAll(withSheet(t, sheet))
		if err != nil {
			t.Errorf("%s: scanner refused: %v", name, err)
			continue
		}
		b, err := excelizeAll(withSheet(t, sheet), t.TempDir())
		if err != nil {
			t.Errorf("%s: excelize: %v", name, err)
		}
		if fmt.Sprintf("%v", a) != fmt.Sprintf("%v", b) {
			t.Errorf("%s: scanner %v, excelize %v", name, a, b)
		}
	}
	for name, sheet := range refused {
		if a, err := scanAll(withSheet(t, sheet)); err == nil {
			t.Errorf("%s: scanner read %v, want a refusal", name, a)
		} else if !strings.Contains(err.Error(), "无法读取") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// scanAll reads every row of the workbook at p with the scanner.
func scanAll(p string) (map[int][]string, error) {
	s, err := openSheet(p, "")
	if err != nil {
		return nil, err
	}
	return readRows(s)
}

// excelizeAll reads every row of the workbook at p with excelize's iterator.
func excelizeAll(p, tmp string) (map[int][]string, error) {
	x, err := openXLSX(p, tmp)
	if err != nil {
		return nil, err
	}
	return readRows(x)
}

// readRows is readAll with the error returned.
func readRows(r rowReader) (map[int][]string, error) {
	defer r.close()
	out := map[int][]string{}
	for {
		row, cells, err := r.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if c := trimRight(clone(cells)); len(c) > 0 {
			out[row] = c
		}
	}
}
