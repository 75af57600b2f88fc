package plandoc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"xiezuo"
)

// FuzzWorkbook feeds the plan's workbook readers (.xlsx and .csv) damaged files. They must
// never panic; a file refused is refused with the package's EINVALID in Chinese; every
// problem of a file read names a row at least 1 in valid UTF-8, and its figures agree.
// bench/fuzz.sh runs it for minutes.
func FuzzWorkbook(f *testing.F) {
	for _, pattern := range []string{"testdata/layouts/*.csv", "testdata/layouts/*.xlsx"} {
		files, _ := filepath.Glob(pattern)
		for i, name := range files {
			if i >= 3 {
				break // a few are enough: the mutator works on small inputs
			}
			if data, err := os.ReadFile(name); err == nil {
				f.Add(data, strings.HasSuffix(name, ".csv"))
			}
		}
	}
	f.Add([]byte("序号,项目名称,总投资（万元）\n1,甲,12.5\n合计,,12.5\n"), true)
	f.Add([]byte("\xef\xbb\xbf\"a\"\"b\",\"\n\"\r\n,,,"), true)
	f.Add([]byte("PK\x03\x04"), false)
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		name := "fuzz.xlsx"
		if csv {
			name = "fuzz.csv"
		}
		r, err := Parse(name, data)
		if err != nil {
			msg := xiezuo.ErrorMessage(err)
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || strings.IndexFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) < 0 {
				t.Errorf("Parse(%s) = %v, want EINVALID in Chinese", name, err)
			}
			return
		}
		for _, p := range append(r.Errors, r.Warnings...) {
			if p.Line < 1 || !utf8.ValidString(p.Message) {
				t.Errorf("Parse(%s): problem at row %d: %q", name, p.Line, p.Message)
			}
		}
		s := r.Summary()
		n := 0
		for _, reg := range s.Regions {
			n += reg.Projects
		}
		if n != s.Projects {
			t.Errorf("Parse(%s): regions hold %d projects, summary says %d", name, n, s.Projects)
		}
	})
}
