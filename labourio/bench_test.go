package labourio

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"xiezuo"
	"xiezuo/gen"
)

// discard is a sink that stores nothing.
type discard struct{ n int }

func (d *discard) Add(context.Context, int, xiezuo.LabourRecord) (string, error) {
	d.n++
	return "", nil
}
func (d *discard) Progress(int, int) {}

// benchRows is the size of the benchmark's workbook: XIEZUO_BENCH_ROWS, default a million.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("XIEZUO_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkLabourRead reads and checks a workbook of workers (a million rows by default) into
// a sink that discards them: the reader's and the row check's share of an import. It reports
// the rows a second and the heap in use at the end (flat whatever the size).
func BenchmarkLabourRead(b *testing.B) {
	n := benchRows()
	g := gen.LabourGen{List: xiezuo.ListWorkers, Rows: n, Seed: 11}
	// XIEZUO_BENCH_XLSX keeps the workbook between runs (written when missing), so that a run
	// measures the import alone (its memory too: /usr/bin/time -v).
	path := os.Getenv("XIEZUO_BENCH_XLSX")
	if path == "" {
		path = filepath.Join(b.TempDir(), "workers.xlsx")
	}
	own := false // the workbook is this benchmark's own (seed 11, no planted errors)
	if _, err := os.Stat(path); err != nil {
		if err := gen.WriteLabourXLSX(path, g); err != nil {
			b.Fatal(err)
		}
		own = true
	}
	top, err := Top(path, 20)
	if err != nil {
		b.Fatal(err)
	}
	m, _ := xiezuo.ProposeLabourMapping(xiezuo.ListWorkers, top)
	place, regionOf := Places(gen.LabourRegions())
	check := xiezuo.LabourCheck{Today: xiezuo.Date{Year: 2021, Month: 6, Day: 30}, Regions: gen.LabourRegions(), Place: place, RegionOf: regionOf}
	b.ReportAllocs()
	b.ResetTimer()
	var (
		peak uint64
		bad  int
	)
	for i := 0; i < b.N; i++ {
		sink := &discard{}
		res, err := Import(context.Background(), path, xiezuo.ListWorkers, m, check, sink)
		if err != nil {
			b.Fatal(err)
		}
		// A workbook kept from another run (another seed, planted errors) is read as it is:
		// its bad rows are counted, not failed on.
		if sink.n+res.Bad != n || own && res.Bad != 0 {
			b.Fatalf("read %d good rows of %d, %d bad: %+v", sink.n, n, res.Bad, res.Errors[:min(3, len(res.Errors))])
		}
		bad = res.Bad
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "heapMB")
	b.ReportMetric(float64(bad), "badrows")
}

// BenchmarkSharedStrings reads a shared strings table of XIEZUO_BENCH_SST strings (three
// million by default, as many as the unique texts of a million rows saved by Excel) and
// reports the memory the table holds once read: its text in memory and its offsets (the rest
// of its text is in its file).
func BenchmarkSharedStrings(b *testing.B) {
	n := 3_000_000
	if v, err := strconv.Atoi(os.Getenv("XIEZUO_BENCH_SST")); err == nil && v > 0 {
		n = v
	}
	var sst bytes.Buffer
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&sst, `<si><t>张%d</t></si>`, i)
		case 1:
			fmt.Fprintf(&sst, `<si><t>1101011990%08d</t></si>`, i)
		default:
			fmt.Fprintf(&sst, `<si><r><t>内蒙古自治区</t></r><r><rPr><b/></rPr><t>武川县%d</t></r></si>`, i)
		}
	}
	sst.WriteString(`</sst>`)
	p := filepath.Join(b.TempDir(), "sst.zip")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("xl/sharedStrings.xml")
	w.Write(sst.Bytes())
	zw.Close()
	if err := os.WriteFile(p, zb.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	sst.Reset()
	z, err := zip.OpenReader(p)
	if err != nil {
		b.Fatal(err)
	}
	defer z.Close()
	b.ReportAllocs()
	var held int
	for b.Loop() {
		t, err := readSharedStrings(z.File[0], b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		if t.len() != n {
			b.Fatalf("read %d strings, want %d", t.len(), n)
		}
		held = cap(t.text) + 4*cap(t.ends)
		t.close()
	}
	b.ReportMetric(float64(held)/(1<<20), "tableMB")
}

// BenchmarkSheetScan reads the rows of XIEZUO_BENCH_SCAN (a workbook) with the sheet scanner
// alone: no row check, no batches.
func BenchmarkSheetScan(b *testing.B) {
	path := os.Getenv("XIEZUO_BENCH_SCAN")
	if path == "" {
		b.Skip("XIEZUO_BENCH_SCAN names no workbook")
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := openSheet(path, "")
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, _, err := s.next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		s.close()
	}
}

// BenchmarkCheckLabourRow checks generated rows of workers (XIEZUO_BENCH_ROWS, at most 100,000
// kept in memory and checked in turn), places resolved as an import resolves them: the row
// check's share of an import, without the file.
func BenchmarkCheckLabourRow(b *testing.B) {
	n := min(benchRows(), 100_000)
	g := gen.LabourGen{List: xiezuo.ListWorkers, Rows: n, Seed: 11}
	top := [][]string{{g.Title()}, g.Header()}
	var rows [][]string
	if err := g.Each(func(_ int, cells []string) error {
		rows = append(rows, cells)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	m, _ := xiezuo.ProposeLabourMapping(xiezuo.ListWorkers, top)
	place, regionOf := Places(gen.LabourRegions())
	check := xiezuo.LabourCheck{Today: xiezuo.Date{Year: 2021, Month: 6, Day: 30}, Regions: gen.LabourRegions(), Place: place, RegionOf: regionOf}
	b.ReportAllocs()
	i, bad := 0, 0
	for b.Loop() {
		if _, problems := xiezuo.CheckLabourRow(xiezuo.ListWorkers, m, rows[i], check); len(problems) > 0 {
			bad++
		}
		i = (i + 1) % len(rows)
	}
	if bad > 0 {
		b.Fatalf("%d bad rows of generated good rows", bad)
	}
}
