package labourio

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/gen"
)

// readAll reads every row of a reader, with the row numbers, blank cells on the right trimmed.
func readAll(t *testing.T, r rowReader) map[int][]string {
	t.Helper()
	out := map[int][]string{}
	for {
		row, cells, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if c := trimRight(clone(cells)); len(c) > 0 {
			out[row] = c
		}
	}
	r.close()
	return out
}

// The scanner reads what excelize's iterator reads: a streamed workbook with inline strings and a
// numeric cell, a workbook with shared strings, rich text, a formula, entities, gaps and a
// phonetic run.
func TestSheetScannerAgreesWithExcelize(t *testing.T) {
	dir := t.TempDir()
	streamed := filepath.Join(dir, "streamed.xlsx")
	if err := gen.WriteLabourXLSX(streamed, gen.LabourGen{List: xiezuo.ListWorkers, Rows: 50, Seed: 2, Plant: true}); err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "姓名 & <身份证号>")
	f.SetCellStr("Sheet1", "C1", "  前后空格  ")
	f.SetCellInt("Sheet1", "B3", 42)
	f.SetCellFloat("Sheet1", "D3", 522624199001011234, -1, 64)
	f.SetCellFormula("Sheet1", "E3", "B3*2")
	f.SetCellRichText("Sheet1", "A5", []excelize.RichTextRun{{Text: "王"}, {Text: "五", Font: &excelize.Font{Bold: true}}})
	f.SetCellStr("Sheet1", "AB7", "远处")
	f.NewSheet("第二页")
	f.SetCellStr("第二页", "A1", "不读")
	plain := filepath.Join(dir, "plain.xlsx")
	if err := f.SaveAs(plain); err != nil {
		t.Fatal(err)
	}
	tmpl, _ := Template(xiezuo.ListJobs)
	template := filepath.Join(dir, "template.xlsx")
	os.WriteFile(template, tmpl, 0o644)
	for _, p := range []string{streamed, plain, template} {
		s, err := openSheet(p, "")
		if err != nil {
			t.Fatalf("openSheet(%s): %v", filepath.Base(p), err)
		}
		x, err := openXLSX(p, dir)
		if err != nil {
			t.Fatal(err)
		}
		got, want := readAll(t, s), readAll(t, x)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: scanner (+) and excelize (-) differ:\n%s", filepath.Base(p), d)
		}
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{"a&amp;b": "a&b", "&lt;&gt;&quot;&apos;": `<>"'`, "&#x4E2D;&#25991;": "中文", "a\r\nb\rc": "a\nb\nc"} {
		if got, err := unescape([]byte(in)); got != want || err != nil {
			t.Errorf("unescape(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	// encoding/xml (and so excelize) refuses these.
	for _, in := range []string{"&bad;", "x&", "&#0;", "&#xD800;", "&#xFFFE;", "a\x00b", "\xff"} {
		if got, err := unescape([]byte(in)); err == nil {
			t.Errorf("unescape(%q) = %q, want an error", in, got)
		}
	}
}

// The scanner estimates the rows of a streamed sheet, whose dimension says A1, from the bytes read.
func TestSheetScannerTotal(t *testing.T) {
	p := filepath.Join(t.TempDir(), "w.xlsx")
	g := gen.LabourGen{List: xiezuo.ListWorkers, Rows: 5000, Seed: 4}
	if err := gen.WriteLabourXLSX(p, g); err != nil {
		t.Fatal(err)
	}
	s, err := openSheet(p, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	for range 1000 {
		if _, _, err := s.next(); err != nil {
			t.Fatal(err)
		}
	}
	if est := s.total(); est < 3000 || est > 8000 {
		t.Errorf("total() after 1000 of 5002 rows = %d, want about 5000", est)
	}
}
