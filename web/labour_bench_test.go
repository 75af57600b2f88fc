package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/labourio"
	"xiezuo/sqldb"
)

// BenchmarkLabourListPage serves the masked list of workers of a generated list, signed in as
// the office, through the whole stack (session, plan, LabourRefusal, storage, rendering) over
// a real SQLite file: the first page, filtered pages and a deep page. The list has
// XIEZUO_LABOUR_BENCH_ROWS rows (100,000 by default; 1000000 for the figure).
func BenchmarkLabourListPage(b *testing.B) {
	rows := 100_000
	if n, err := strconv.Atoi(os.Getenv("XIEZUO_LABOUR_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	e := newEnvTB(b)
	ctx := b.Context()
	g := gen.LabourGen{List: xiezuo.ListWorkers, Rows: rows, Seed: 12, Today: xiezuo.Date{Year: 2021, Month: 8, Day: 28}}
	path := filepath.Join(b.TempDir(), "workers.csv")
	if err := gen.WriteLabourCSV(path, g, false); err != nil {
		b.Fatal(err)
	}
	top, err := labourio.Top(path, 20)
	if err != nil {
		b.Fatal(err)
	}
	m, _ := xiezuo.ProposeLabourMapping(xiezuo.ListWorkers, top)
	plan, err := e.db.LoadPlan(ctx, "门头沟区", 2021)
	if err != nil {
		b.Fatal(err)
	}
	check := xiezuo.LabourCheck{Today: g.Today, Regions: plan.Regions}
	check.Place, check.RegionOf = labourio.Places(plan.Regions)
	imp, err := e.db.BeginLabourImport(ctx, sqldb.LabourImportOptions{District: "门头沟区", List: xiezuo.ListWorkers, FileName: "workers.csv", Mapping: m, SkipBad: true})
	if err != nil {
		b.Fatal(err)
	}
	res, err := labourio.Import(ctx, path, xiezuo.ListWorkers, m, check, imp)
	if err != nil {
		b.Fatal(err)
	}
	done, err := imp.Finish(ctx, res.Errors, res.BadWorkbook)
	if err != nil || done.Imported() < rows*9/10 {
		b.Fatalf("import: %d of %d rows, %v", done.Imported(), rows, err)
	}
	c := e.signIn("office")
	for _, bc := range []struct {
		name string
		q    url.Values
	}{
		{"first", url.Values{}},
		{"poor", url.Values{"poor": {xiezuo.PoorLifted}}},
		{"region+poor", url.Values{"region": {"内蒙古武川县"}, "poor": {xiezuo.PoorLifted}}},
		{"skill", url.Values{"skill": {"电工"}}},
		{"page200", url.Values{"page": {"200"}}},
	} {
		q := bc.q
		q.Set("year", "2021")
		q.Set("district", "门头沟区")
		p := "/labour/workers?" + q.Encode()
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if r := c.get(p); r.StatusCode != http.StatusOK {
					b.Fatalf("GET %s = %d", p, r.StatusCode)
				}
			}
		})
	}
}
