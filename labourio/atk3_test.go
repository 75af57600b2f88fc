package labourio

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"

	"xiezuo"
)

// Bad rows whose cells all point at one long shared string: a file of a few kilobytes makes
// Import copy every cell of every bad row (clone in addBad), MaxBadKept × MaxColumns × the
// cell's length — 100 000 × 200 × 4 KB = 80 GB at the bounds, more through the scanner, which
// does not apply MaxCellBytes at all. Here 40 rows × 200 cells × 64 KB.
func TestAtkBadRowsAmplify(t *testing.T) {
	long := strings.Repeat("甲", 64<<10/3)
	var sb strings.Builder
	sb.WriteString(`<worksheet><sheetData>`)
	sb.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>身份证号</t></is></c></row>`)
	row := `<row>` + strings.Repeat(`<c t="s"><v>0</v></c>`, 200) + `</row>`
	for i := 0; i < 40; i++ {
		sb.WriteString(row)
	}
	sb.WriteString(`</sheetData></worksheet>`)
	p := writeXLSX(t, sb.String(), `<sst><si><t>`+long+`</t></si></sst>`)
	st, _ := os.Stat(p)
	m := xiezuo.LabourMapping{HeaderRows: 1, Headers: []string{"姓名", "身份证号"}, Columns: []string{xiezuo.LFName, xiezuo.LFIDNumber}}
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	res, err := Import(context.Background(), p, xiezuo.ListWorkers, m, checkFor(t), &collect{})
	runtime.ReadMemStats(&b)
	if err != nil {
		t.Fatal(err)
	}
	grew := (b.TotalAlloc - a.TotalAlloc) >> 20
	t.Logf("file %d KB, bad rows %d, bad workbook %d KB, allocated %d MB", st.Size()>>10, res.Bad, len(res.BadWorkbook)>>10, grew)
	if grew > 256 {
		t.Errorf("a %d KB file made Import allocate %d MB", st.Size()>>10, grew)
	}
}
