package labourio

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/gen"
)

// A shared strings table past sharedInMemory is read from a file of the temporary folder: the
// rows read are those of the table in memory and those excelize reads, and the file is gone
// once the scanner is closed and once Import and Top return.
func TestSharedStringsSpilled(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "shared.xlsx")
	g := gen.LabourGen{List: xiezuo.ListWorkers, Rows: 400, Seed: 7, Plant: true, Today: xiezuo.Date{Year: 2021, Month: 6, Day: 30}}
	if err := gen.WriteLabourXLSXShared(p, g); err != nil {
		t.Fatal(err)
	}

	inMemory, err := scanAll(p)
	if err != nil {
		t.Fatal(err)
	}
	want, err := excelizeAll(p, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, inMemory); d != "" {
		t.Fatalf("in memory: scanner (+) and excelize (-) differ:\n%s", d)
	}
	if len(want) != g.Rows+gen.LabourHeaderRows {
		t.Fatalf("excelize read %d rows, want %d", len(want), g.Rows+gen.LabourHeaderRows)
	}
	memTop, err := Top(p, 20)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := xiezuo.ProposeLabourMapping(g.List, memTop)
	memSink := &collect{}
	memRes, err := Import(context.Background(), p, g.List, m, checkFor(t), memSink)
	if err != nil {
		t.Fatal(err)
	}

	// The header and the first rows' strings in memory, the rest in the file.
	defer func(n int) { sharedInMemory = n }(sharedInMemory)
	sharedInMemory = 1 << 10
	tmp := t.TempDir()
	s, err := openSheet(p, tmp)
	if err != nil {
		t.Fatal(err)
	}
	if s.sst.file == nil || len(s.sst.text) == 0 || len(s.sst.text) > sharedInMemory {
		t.Fatalf("openSheet kept %d bytes in memory (file %v), want at most %d and the rest in a file", len(s.sst.text), s.sst.file != nil, sharedInMemory)
	}
	if names := dirNames(t, tmp); len(names) != 1 {
		t.Fatalf("temporary folder holds %q while reading, want the shared strings' file", names)
	}
	spilled, err := readRows(s) // closes s
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, spilled); d != "" {
		t.Errorf("spilled: scanner (+) and excelize (-) differ:\n%s", d)
	}
	if names := dirNames(t, tmp); len(names) != 0 {
		t.Errorf("temporary folder holds %q after close, want nothing", names)
	}

	// Import and Top make their temporary folder in TMPDIR.
	sys := t.TempDir()
	t.Setenv("TMPDIR", sys)
	top, err := Top(p, 20)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(memTop, top); d != "" {
		t.Errorf("Top spilled (+) and in memory (-) differ:\n%s", d)
	}
	if names := dirNames(t, sys); len(names) != 0 {
		t.Errorf("TMPDIR holds %q after Top, want nothing", names)
	}
	sink := &collect{}
	res, err := Import(context.Background(), p, g.List, m, checkFor(t), sink)
	if err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, sys); len(names) != 0 {
		t.Errorf("TMPDIR holds %q after Import, want nothing", names)
	}
	if res.Rows != memRes.Rows || res.Bad != memRes.Bad || !slices.Equal(sink.rows, memSink.rows) || !cmp.Equal(sink.people, memSink.people) {
		t.Errorf("Import spilled read %d rows (%d bad, %d stored), in memory %d (%d bad, %d stored)", res.Rows, res.Bad, len(sink.rows), memRes.Rows, memRes.Bad, len(memSink.rows))
	}
	if d := cmp.Diff(memRes.Errors, res.Errors); d != "" {
		t.Errorf("Import's bad rows spilled (+) and in memory (-) differ:\n%s", d)
	}
	if memRes.Bad == 0 || len(memSink.rows) == 0 {
		t.Errorf("Import in memory: %d bad rows, %d stored: want some of each", memRes.Bad, len(memSink.rows))
	}
}

// dirNames lists a folder's entries.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// longRows is a reader of rows of MaxColumns cells of MaxCellBytes each.
type longRows struct{ n, rows int }

func (l *longRows) next() (int, []string, error) {
	if l.n == l.rows {
		return 0, nil, io.EOF
	}
	l.n++
	cells := make([]string, MaxColumns)
	for i := range cells {
		cells[i] = strings.Repeat("x", MaxCellBytes)
	}
	return l.n, cells, nil
}
func (l *longRows) total() int   { return l.rows }
func (l *longRows) close() error { return nil }

// A batch holds about batchBytes of cells however long the rows: cells read from the shared
// strings' file are strings of their own.
func TestReadBatchesBoundsBytes(t *testing.T) {
	out := make(chan rowBatch, 4)
	go readBatches(context.Background(), &longRows{rows: 100}, out)
	rows := 0
	for b := range out {
		if b.err != nil {
			t.Fatal(b.err)
		}
		size := 0
		for _, cells := range b.cells {
			for _, c := range cells {
				size += len(c)
			}
		}
		if size > 8<<20 {
			t.Errorf("a batch of %d rows holds %d MB, want at most 8", len(b.rows), size>>20)
		}
		rows += len(b.rows)
	}
	if rows != 100 {
		t.Errorf("read %d rows in batches, want 100", rows)
	}
}
