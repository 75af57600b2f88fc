package labourio

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeXLSX writes a minimal workbook whose first sheet's XML is sheet.
func writeXLSX(t *testing.T, sheet string, sst string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "a.xlsx")
	f, _ := os.Create(p)
	z := zip.NewWriter(f)
	w, _ := z.Create("xl/worksheets/sheet1.xml")
	w.Write([]byte(sheet))
	if sst != "" {
		w, _ = z.Create("xl/sharedStrings.xml")
		w.Write([]byte(sst))
	}
	z.Close()
	f.Close()
	return p
}

// A sheet whose one row says r="50000000" is refused (Excel stops at 1,048,576); one whose row
// is r="1000000" must not make the preview allocate a million rows.
func TestAtkTopFarRow(t *testing.T) {
	p := writeXLSX(t, `<worksheet><sheetData><row r="50000000"><c r="A50000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`, "")
	if _, err := Top(p, 20); err == nil || !strings.Contains(err.Error(), "工作表过大") {
		t.Errorf("Top of a row beyond 1048576: %v, want 工作表过大", err)
	}
	p = writeXLSX(t, `<worksheet><sheetData><row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`, "")
	var ms0, ms1 runtimeMem
	ms0.read()
	top, err := Top(p, 20)
	ms1.read()
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 20 || (ms1.total-ms0.total)>>20 > 16 {
		t.Errorf("Top(_, 20) returned %d rows; heap grew %d MB", len(top), (ms1.total-ms0.total)>>20)
	}
}

// The scanner keeps every cell whole: MaxCellBytes (enforced by bound on the excelize and CSV
// paths) is not applied, so one cell of a zip bomb is held whole in memory (and copied for the
// bad rows' workbook).
func TestAtkScannerCellBound(t *testing.T) {
	big := make([]byte, 20<<20)
	for i := range big {
		big[i] = 'A'
	}
	p := writeXLSX(t, `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`+string(big)+`</t></is></c></row></sheetData></worksheet>`, "")
	st, _ := os.Stat(p)
	t.Logf("file %d bytes", st.Size())
	s, err := openSheet(p, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	_, cells, err := s.next()
	if err != nil {
		t.Fatal(err)
	}
	if len(cells[0]) > MaxCellBytes {
		t.Errorf("cell of %d bytes kept, want at most MaxCellBytes=%d", len(cells[0]), MaxCellBytes)
	}
}
