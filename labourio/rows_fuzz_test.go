package labourio

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"xiezuo"
	"xiezuo/gen"
)

// FuzzRows feeds the list readers (.csv and .xlsx, the sheet scanner and excelize's fallback)
// damaged files, read to the end as an import does: never a panic; rows numbered from 1 and
// increasing; cells valid UTF-8; a file refused is EINVALID in Chinese. bench/fuzz.sh runs it
// for minutes.
func FuzzRows(f *testing.F) {
	dir := f.TempDir()
	p := filepath.Join(dir, "w.xlsx")
	if err := gen.WriteLabourXLSX(p, gen.LabourGen{List: xiezuo.ListWorkers, Rows: 3, Seed: 7}); err != nil {
		f.Fatal(err)
	}
	if data, err := os.ReadFile(p); err == nil {
		f.Add(data, false)
	}
	tmpl, _ := Template(xiezuo.ListWilling)
	f.Add(tmpl, false)
	f.Add([]byte("姓名,身份证号,联系电话\n张三,11010519491231002X,13912345678\n\n\"李\"\"四\",'110105194912310021,\n"), true)
	f.Add([]byte("\xef\xbb\xbf\xd0\xd5\xc3\xfb,\xc9\xed\xb7\xdd\n"), true) // GBK, after a BOM
	f.Add([]byte("a\r\nb\rc\n\"unclosed"), true)
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		work := t.TempDir()
		name := filepath.Join(work, "list.xlsx")
		if csv {
			name = filepath.Join(work, "list.csv")
		}
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(work, "tmp")
		os.Mkdir(tmp, 0o700)
		refused := func(err error) {
			msg := xiezuo.ErrorMessage(err)
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || strings.IndexFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) < 0 {
				t.Errorf("reading %s: %v, want EINVALID in Chinese", filepath.Base(name), err)
			}
		}
		r, err := open(name, tmp)
		if err != nil {
			refused(err)
			return
		}
		defer r.close()
		last := 0
		for n := 0; n <= len(data)+1; n++ {
			row, cells, err := r.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				refused(err)
				return
			}
			if row <= last {
				t.Fatalf("row %d after row %d", row, last)
			}
			last = row
			for _, c := range cells {
				if !utf8.ValidString(c) {
					t.Fatalf("row %d: cell %q is not UTF-8", row, c)
				}
			}
		}
		t.Fatalf("more rows than bytes in a %d-byte file", len(data))
	})
}
