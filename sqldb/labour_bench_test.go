package sqldb

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
)

// Benchmarks of the labour lists at a city's scale. They build their lists only under -bench
// (benchmarks never run otherwise); XIEZUO_LABOUR_ROWS makes the list smaller or larger than a
// million rows. Run one at a time, once:
//
//	go test -run '^$' -bench 'LabourImport1M' -benchtime 1x ./sqldb

func labourBenchRows(b *testing.B) int {
	if s := os.Getenv("XIEZUO_LABOUR_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("XIEZUO_LABOUR_ROWS=%q: want a positive number", s)
		}
		return n
	}
	return 1_000_000
}

// peakRSS is the process's peak resident set (VmHWM) in MiB; 0 when /proc does not say.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// benchImport imports n generated workers into district, generated one at a time.
func benchImport(b *testing.B, db *DB, district string, n int) LabourImportResult {
	ctx := labourCtx(b)
	imp, err := db.BeginLabourImport(ctx, LabourImportOptions{District: district, List: xiezuo.ListWorkers, FileName: "bench.xlsx"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		p := genPerson(i)
		if prob, err := imp.Add(ctx, i+2, xiezuo.LabourRecord{Person: &p}); err != nil || prob != "" {
			b.Fatalf("Add(row %d) = %q, %v", i+2, prob, err)
		}
		imp.Progress(i+1, n)
	}
	res, err := imp.Finish(ctx, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	if res.Added != n {
		b.Fatalf("import = %+v, want %d added", res, n)
	}
	return res
}

func forEachBenchDB(b *testing.B, f func(b *testing.B, db *DB)) {
	b.Run("sqlite", func(b *testing.B) {
		db := openTestSQLite(b)
		db.SetSealer(testSealer(b))
		f(b, db)
	})
	b.Run("postgres", func(b *testing.B) {
		db := openTestPostgres(b)
		db.SetSealer(testSealer(b))
		f(b, db)
	})
}

// BenchmarkLabourImport1M imports a workers' list of a million rows into an empty database
// (each iteration a district of its own), reporting rows a second and the process's peak RSS.
func BenchmarkLabourImport1M(b *testing.B) {
	n := labourBenchRows(b)
	forEachBenchDB(b, func(b *testing.B, db *DB) {
		var total time.Duration
		for i := 0; i < b.N; i++ {
			start := time.Now()
			benchImport(b, db, "区"+strconv.Itoa(i), n)
			total += time.Since(start)
		}
		b.ReportMetric(float64(n*b.N)/total.Seconds(), "rows/s")
		b.ReportMetric(peakRSS(), "peak-RSS-MiB")
	})
}

// BenchmarkLabourPeoplePage reads a masked page of 50 of a million-person list, with filters
// and the counts.
func BenchmarkLabourPeoplePage(b *testing.B) {
	n := labourBenchRows(b)
	forEachBenchDB(b, func(b *testing.B, db *DB) {
		benchImport(b, db, "门头沟区", n)
		if db.dialect.name == "postgres" {
			if _, err := db.db.ExecContext(b.Context(), `ANALYZE`); err != nil {
				b.Fatal(err)
			}
		}
		ctx := labourCtx(b)
		deep := 100 // a deep page of one region's 50-person pages; less in a short run
		if n < 100_000 {
			deep = 1
		}
		filters := []struct {
			name string
			f    LabourFilter
		}{
			{"none", LabourFilter{}},
			{"region+poor", LabourFilter{Region: "贵州三穗县", Poor: xiezuo.PoorLifted}},
			{"town+status", LabourFilter{Town: "150125101", Status: LabourAtWork}},
			{"scope", LabourFilter{Regions: []string{"内蒙古武川县", "贵州从江县"}}},
			{"skill", LabourFilter{Skill: "电工"}},
			{"region+skill", LabourFilter{Region: "贵州三穗县", Skill: "厨师"}},
			{"name", LabourFilter{Q: "王工1"}},
			{"id", LabourFilter{Q: genPerson(n / 2).IDNumber}},
			{"page100", LabourFilter{Region: "贵州三穗县", Page: deep}},
		}
		for _, tc := range filters {
			b.Run(tc.name, func(b *testing.B) {
				f := tc.f
				f.District, f.List = "门头沟区", xiezuo.ListWorkers
				for b.Loop() {
					page, err := db.LabourPeople(ctx, f)
					if err != nil {
						b.Fatal(err)
					}
					if len(page.Rows) == 0 {
						b.Fatalf("LabourPeople(%s) found nobody", tc.name)
					}
				}
			})
		}
	})
}
