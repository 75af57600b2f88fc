package gen

import (
	"os"
	"strconv"
	"testing"

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
	if err := WriteLabourXLSX(path, g); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Size() == 0 {
		t.Fatalf("the list was not written: %v", err)
	}
}
