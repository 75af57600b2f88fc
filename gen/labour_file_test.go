package gen

import (
	"archive/zip"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// TestWriteLabourBenchFile writes the workers' list the import benchmark reads
// (bench/labour-import.sh): XIEZUO_LABOUR_FILE names the .xlsx, XIEZUO_LABOUR_ROWS its rows.
// Without XIEZUO_LABOUR_FILE it writes a small list into a temporary folder and reads its
// header back, so that the script's path cannot rot.
func TestWriteLabourBenchFile(t *testing.T) {
	path := os.Getenv("XIEZUO_LABOUR_FILE")
	rows := 200
	if path == "" {
		path = t.TempDir() + "/workers.xlsx"
	} else if n, err := strconv.Atoi(os.Getenv("XIEZUO_LABOUR_ROWS")); err == nil && n > 0 {
		rows = n
	}
	g := LabourGen{List: xiezuo.ListWorkers, Rows: rows, Seed: 7, Today: xiezuo.Date{Year: 2021, Month: 9, Day: 15}}
	write := WriteLabourXLSX
	if os.Getenv("XIEZUO_LABOUR_SHARED") != "" { // as Excel saves it: bench/labour-import.sh --shared
		write = WriteLabourXLSXShared
	}
	if err := write(path, g); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Size() == 0 {
		t.Fatalf("the list was not written: %v", err)
	}
}

// The shared-strings workbook reads back, through excelize, as the rows the generator made,
// its table holding each distinct text once.
func TestWriteLabourXLSXShared(t *testing.T) {
	g := LabourGen{List: xiezuo.ListWorkers, Rows: 300, Seed: 7, Today: xiezuo.Date{Year: 2021, Month: 9, Day: 15}}
	path := t.TempDir() + "/workers.xlsx"
	if err := WriteLabourXLSXShared(path, g); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != g.Rows+LabourHeaderRows || rows[0][0] != g.Title() {
		t.Fatalf("read %d rows, first %q; want %d rows under the title", len(rows), rows[0], g.Rows+LabourHeaderRows)
	}
	at := g.plantAt()
	for i := range g.Rows {
		want := g.Row(i)
		for len(want) > 0 && want[len(want)-1] == "" {
			want = want[:len(want)-1]
		}
		if at[i] == PlantExcel {
			want[idColumn] = "5.22624199001012E+17"
		}
		if got := rows[i+LabourHeaderRows]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("row %d = %q, want %q", i+LabourHeaderRows+1, got, want)
		}
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	shared := false
	for _, zf := range z.File {
		shared = shared || zf.Name == "xl/sharedStrings.xml" && zf.UncompressedSize64 > 0
	}
	if !shared {
		t.Error("the workbook has no shared strings table")
	}
}
