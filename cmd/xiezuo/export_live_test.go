package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo/sample"
	"xiezuo/xlsx"
)

// TestExportProjectsLive exports the project table with its live columns: xiezuo check still
// reads the plan's figures from it, and the live columns say every project is planned as of the
// day asked for (nothing was recorded).
func TestExportProjectsLive(t *testing.T) {
	plan := writeFile(t, "2021-mentougou-plan.md", sample.Plan2021)
	_, checkOut, _ := xz(t, "check", "--json", plan)
	forEachDB(t, func(t *testing.T, dsn string) {
		if code, _, errs := xz(t, "import", "--db", dsn, plan); code != exitOK {
			t.Fatalf("import: %s", errs)
		}
		out := filepath.Join(t.TempDir(), "项目计划表（动态）.xlsx")
		code, msg, errs := xz(t, "export", "projects", "--db", dsn, "--year", "2021", "--district", "门头沟区", "--live", "--as-of", "2021-09-30", "-o", out)
		if code != exitOK {
			t.Fatalf("export --live = exit %d: %s", code, errs)
		}
		if !strings.Contains(msg, "动态列截至 2021-09-30") {
			t.Errorf("export --live said %q", msg)
		}
		code, back, errs := xz(t, "check", "--json", out)
		if code != exitOK {
			t.Fatalf("check of the live export = exit %d: %s\n%s", code, errs, back)
		}
		want, got := decode(t, checkOut), decode(t, back)
		if diff := cmp.Diff(want.Totals, got.Totals); diff != "" {
			t.Errorf("live export totals read back (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want.Regions, got.Regions); diff != "" {
			t.Errorf("live export read back (-want +got):\n%s", diff)
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatalf("open the live export: %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows(xlsx.ProjectsSheet)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(xlsx.LiveHeader, rows[2][len(xlsx.ProjectsHeader):]); diff != "" {
			t.Errorf("live header (-want +got):\n%s", diff)
		}
		planned := 0
		for _, r := range rows[3:] {
			if len(r) > 15 && r[15] == "计划" {
				planned++
			}
		}
		if planned != 16 {
			t.Errorf("live export has %d projects 计划, want 16", planned)
		}
	})
	for _, args := range [][]string{
		{"--as-of", "2021-09-30"},           // without --live
		{"--live", "--as-of", "2021-9-30"},  // not a date
		{"--live", "--as-of", "2999-01-01"}, // after today
	} {
		a := append([]string{"export", "projects", "--db", filepath.Join(t.TempDir(), "x.db"), "--year", "2021", "--district", "门头沟区", "-o", filepath.Join(t.TempDir(), "a.xlsx")}, args...)
		if code, _, errs := xz(t, a...); code != exitUsage || !strings.Contains(errs, "--as-of") {
			t.Errorf("export %v = exit %d: %s, want usage naming --as-of", args, code, errs)
		}
	}
}
