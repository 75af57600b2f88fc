package labourio

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// The preview (Top) clones every cell; a cell pointing at a long shared string (up to
// maxSharedStrings = 128 MB uncompressed) is copied whole per cell: 20 rows × 200 cells of one
// 128 MB string is 500 GB from an upload of about a hundred kilobytes. Here 4 rows × 8 cells of
// 16 MB.
func TestAtkTopSharedStringAmplify(t *testing.T) {
	long := strings.Repeat("A", 16<<20)
	row := `<row>` + strings.Repeat(`<c t="s"><v>0</v></c>`, 8) + `</row>`
	p := writeXLSX(t, `<worksheet><sheetData>`+strings.Repeat(row, 4)+`</sheetData></worksheet>`, `<sst><si><t>`+long+`</t></si></sst>`)
	st, _ := os.Stat(p)
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	top, err := Top(p, 20)
	runtime.ReadMemStats(&b)
	if err != nil {
		t.Fatal(err)
	}
	grew := (b.TotalAlloc - a.TotalAlloc) >> 20
	if grew > 64 || len(top[0][0]) > MaxCellBytes {
		t.Errorf("a %d KB file: preview allocated %d MB, cell of %d bytes", st.Size()>>10, grew, len(top[0][0]))
	}
}
