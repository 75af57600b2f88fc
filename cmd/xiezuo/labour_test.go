package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sqldb/sqldbtest"
)

// TestLabourImport: a list with planted errors is refused whole (exit 1, every bad row named by
// its row and reason); with --skip-bad the good rows are stored (exit 0) and the bad rows
// written to a workbook; importing it again stores nothing twice; the SQLite file holds no
// plain ID number.
func TestLabourImport(t *testing.T) {
	g := gen.LabourGen{List: xiezuo.ListWilling, Rows: 60, Seed: 21, Plant: true}
	dir := t.TempDir()
	file := filepath.Join(dir, "willing.xlsx")
	if err := gen.WriteLabourXLSX(file, g); err != nil {
		t.Fatal(err)
	}
	planted := g.Planted()
	var ids []string
	for i := 0; i < g.Rows; i++ {
		ids = append(ids, g.Row(i)[2])
	}
	sqlitePath := filepath.Join(t.TempDir(), "data", "xiezuo.db")
	dsns := map[string]string{"sqlite": sqlitePath, "postgres": sqldbtest.PostgresURL(t)}
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			dsn := dsns[engine]
			if code, _, errs := xz(t, "sample", "--db", dsn); code != exitOK {
				t.Fatalf("sample = exit %d: %s", code, errs)
			}
			base := []string{"labour", "import", "--db", dsn, "--district", "门头沟区", "--list", "willing", "--json"}
			code, out, errs := xz(t, append(base, file)...)
			if code != exitError {
				t.Fatalf("import without --skip-bad = exit %d, want 1:\n%s%s", code, out, errs)
			}
			if !strings.Contains(errs, "已读 60 行（100%）") {
				t.Errorf("no progress on stderr:\n%s", errs)
			}
			var res labourImportJSON
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("--json output: %v\n%s", err, out)
			}
			if res.Rows != g.Rows || res.Imported != 0 {
				t.Errorf("refused import: rows %d, imported %d, want %d, 0", res.Rows, res.Imported, g.Rows)
			}
			checkPlanted(t, res.Errors, planted)

			bad := filepath.Join(t.TempDir(), "bad.xlsx")
			code, out, errs = xz(t, append(base, "--skip-bad", "--bad-rows", bad, file)...)
			if code != exitOK {
				t.Fatalf("import --skip-bad = exit %d:\n%s%s", code, out, errs)
			}
			res = labourImportJSON{}
			json.Unmarshal([]byte(out), &res)
			if want := g.Rows - len(planted); res.Imported != want {
				t.Errorf("import --skip-bad: imported %d, want %d", res.Imported, want)
			}
			checkPlanted(t, res.Errors, planted)
			wb, err := os.ReadFile(bad)
			if err != nil {
				t.Fatalf("bad rows' workbook: %v", err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(wb))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows(f.GetSheetList()[0])
			if len(rows) != len(planted)+1 {
				t.Errorf("bad rows' workbook: %d rows, want %d", len(rows), len(planted)+1)
			}
			f.Close()

			// Again: nothing added.
			code, out, _ = xz(t, append(base, "--skip-bad", file)...)
			res = labourImportJSON{}
			json.Unmarshal([]byte(out), &res)
			if code != exitOK || res.Imported != g.Rows-len(planted) {
				t.Errorf("second import = exit %d, %+v", code, res)
			}
			// The Chinese summary and a bad list name.
			code, out, _ = xz(t, "labour", "import", "--db", dsn, "--district", "门头沟区", "--list", "willing", "--skip-bad", file)
			if code != exitOK || !strings.Contains(out, "导入") || !strings.Contains(out, "第5行") {
				t.Errorf("import (text) = exit %d:\n%s", code, out)
			}
			// The same people on another district's workers list: one person each, nothing refused.
			workers := gen.LabourGen{List: xiezuo.ListWorkers, Rows: g.Rows, Seed: g.Seed}
			wfile := filepath.Join(t.TempDir(), "workers.csv")
			if err := gen.WriteLabourCSV(wfile, workers, true); err != nil {
				t.Fatal(err)
			}
			code, out, errs = xz(t, "labour", "import", "--db", dsn, "--district", "延庆区", "--list", "workers", "--json", wfile)
			res = labourImportJSON{}
			json.Unmarshal([]byte(out), &res)
			if code != exitOK || res.Imported != workers.Rows || len(res.Errors) != 0 {
				t.Errorf("workers of 延庆区 = exit %d, %+v\n%s", code, res, errs)
			}
			if code, _, _ := xz(t, "labour", "import", "--db", dsn, "--district", "门头沟区", "--list", "people", file); code != exitUsage {
				t.Errorf("import --list people = exit %d, want 2", code)
			}
		})
	}
	// No plain ID number in the SQLite files.
	files, _ := filepath.Glob(sqlitePath + "*")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if len(id) == 18 && bytes.Contains(b, []byte(id)) {
				t.Errorf("%s holds the plain ID number of a test row", filepath.Base(p))
				break
			}
		}
	}
}

func checkPlanted(t *testing.T, errs []xiezuo.LabourRowError, planted []gen.LabourPlanted) {
	t.Helper()
	var rows []int
	for _, e := range errs {
		if len(rows) == 0 || rows[len(rows)-1] != e.Row {
			rows = append(rows, e.Row)
		}
	}
	var want []int
	for _, p := range planted {
		want = append(want, p.Row)
		i := slices.IndexFunc(errs, func(e xiezuo.LabourRowError) bool { return e.Row == p.Row })
		if i < 0 || !strings.Contains(errs[i].Message, p.Reason) {
			t.Errorf("planted %s at row %d: %+v, want a reason with %q", p.Kind, p.Row, errs, p.Reason)
		}
	}
	if !slices.Equal(rows, want) {
		t.Errorf("bad rows %v, want %v (nothing else refused)", rows, want)
	}
}

func TestLabourImportUsage(t *testing.T) {
	dir := t.TempDir()
	noHeader := filepath.Join(dir, "x.csv")
	os.WriteFile(noHeader, []byte("a,b\n1,2\n"), 0o644)
	for _, args := range [][]string{
		{"labour"},
		{"labour", "import", "--list", "workers", noHeader},
		{"labour", "import", "--district", "门头沟区", "--list", "workers", noHeader},
		{"labour", "import", "--district", "门头沟区", "--list", "workers", filepath.Join(dir, "x.doc")},
	} {
		if code, _, _ := xz(t, args...); code != exitUsage {
			t.Errorf("xiezuo %s = exit %d, want 2", strings.Join(args, " "), code)
		}
	}
}
