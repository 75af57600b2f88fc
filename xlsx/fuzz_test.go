package xlsx

import (
	"strings"
	"testing"
	"unicode"

	"xiezuo"
)

// FuzzReadLayoutTemplate feeds the reader of a platform's layout template (an office uploads
// it) damaged workbooks and odd corrections: never a panic; a refusal is EINVALID in Chinese;
// a template read keeps its rows and columns within the bounds, and its proposed rows inside
// the sheet. bench/fuzz.sh runs it for minutes.
func FuzzReadLayoutTemplate(f *testing.F) {
	if data, err := ExampleLayoutTemplate(); err == nil {
		f.Add(data, "", 0, 0, 0)
		f.Add(data, "Sheet9", 3, 2, 1)
	}
	f.Add([]byte("PK\x03\x04"), "", 1, 1, 2)
	f.Fuzz(func(t *testing.T, data []byte, sheet string, headerFirst, headerLast, dataRow int) {
		ti, err := ReadLayoutTemplate(data, xiezuo.LayoutProjects, sheet, headerFirst, headerLast, dataRow)
		if err != nil {
			msg := xiezuo.ErrorMessage(err)
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || strings.IndexFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) < 0 {
				t.Errorf("ReadLayoutTemplate = %v, want EINVALID in Chinese", err)
			}
			return
		}
		if len(ti.Rows) > templateRowsShown || ti.MaxCol > xiezuo.MaxLayoutColumns || len(ti.Columns) > xiezuo.MaxLayoutColumns {
			t.Errorf("ReadLayoutTemplate: %d rows, %d columns (%d), beyond the bounds", len(ti.Rows), ti.MaxCol, len(ti.Columns))
		}
	})
}
