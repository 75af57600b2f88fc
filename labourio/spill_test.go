package labourio

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
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

// withParts writes a workbook made by excelize whose sheet1.xml and sharedStrings.xml are
// replaced by sheet and sst.
func withParts(t *testing.T, sheet, sst string) string {
	t.Helper()
	base := withSheet(t, sheet)
	zr, err := zip.OpenReader(base)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := filepath.Join(t.TempDir(), "parts.xlsx")
	of, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(of)
	for _, e := range zr.File {
		w, _ := zw.Create(e.Name)
		if e.Name == "xl/sharedStrings.xml" {
			io.WriteString(w, sst)
			continue
		}
		rc, _ := e.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	of.Close()
	return out
}

// Rich text, phonetic runs, _xHHHH_ escapes, entities, empty and over-long strings read from
// the shared strings' file as from memory and as excelize reads them.
func TestSharedStringsSpilledRich(t *testing.T) {
	kinds := []string{
		`<t>甲%d</t>`,
		`<r><t>王</t></r><r><rPr><b/></rPr><t>五%d</t></r>`,
		`<t>前%d</t><r><t>后</t></r>`,
		`<t>a_x000D_b_x005F_x%d</t>`,
		`<t>` + strings.Repeat("字", MaxCellBytes/3+100) + `%d</t>`,
		`<t/>`,
		`<t>姓名%d</t><rPh sb="0" eb="2"><t>xingming</t></rPh><phoneticPr fontId="1"/>`,
		`<t>&amp;&lt;&#x4E2D;%d</t>`,
		`<t xml:space="preserve">  空格 %d </t>`,
	}
	var sst, sheet strings.Builder
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	sheet.WriteString(ns)
	const rows = 60
	for r := 0; r < rows; r++ {
		fmt.Fprintf(&sheet, `<row r="%d">`, r+1)
		for k, kind := range kinds {
			sst.WriteString(`<si>` + strings.ReplaceAll(kind, "%d", fmt.Sprint(r)) + `</si>`)
			fmt.Fprintf(&sheet, `<c r="%s%d" t="s"><v>%d</v></c>`, string(rune('A'+k)), r+1, r*len(kinds)+k)
		}
		// A string of the first rows (in memory) and one of the rows before (in the file).
		fmt.Fprintf(&sheet, `<c r="K%d" t="s"><v>1</v></c><c r="L%d" t="s"><v>%d</v></c></row>`, r+1, r+1, max(r-1, 0)*len(kinds)+4)
	}
	sst.WriteString(`</sst>`)
	sheet.WriteString(`</sheetData></worksheet>`)
	p := withParts(t, sheet.String(), sst.String())

	want, err := excelizeAll(p, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != rows {
		t.Fatalf("excelize read %d rows, want %d", len(want), rows)
	}
	inMemory, err := scanAll(p)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, inMemory); d != "" {
		t.Fatalf("in memory: scanner (+) and excelize (-) differ:\n%s", d)
	}
	defer func(n int) { sharedInMemory = n }(sharedInMemory)
	sharedInMemory = 4 << 10
	s, err := openSheet(p, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if s.sst.file == nil {
		t.Fatal("openSheet kept the table in memory, want most of it in a file")
	}
	spilled, err := readRows(s)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, spilled); d != "" {
		t.Errorf("spilled: scanner (+) and excelize (-) differ:\n%s", d)
	}
}

// A failure to read the shared strings' file is an internal error with a message for the user.
func TestSharedStringsFileError(t *testing.T) {
	defer func(n int) { sharedInMemory = n }(sharedInMemory)
	sharedInMemory = 0
	p := writeXLSX(t, ns+`<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`, `<sst><si><t>甲</t></si></sst>`)
	s, err := openSheet(p, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	s.sst.file.Close() // as a failing disk would
	_, _, err = s.next()
	if !errors.Is(err, errSpill) || xiezuo.ErrorCode(err) != xiezuo.EINTERNAL || xiezuo.ErrorMessage(err) != "读取工作簿失败：临时文件无法读写" {
		t.Errorf("next() with the file closed = %v (%s), want errSpill", err, xiezuo.ErrorCode(err))
	}
}
