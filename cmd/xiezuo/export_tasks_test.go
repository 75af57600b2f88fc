package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// TestExportTasks exports the task list with its status columns after a generated half year of
// reports on the 2021 plan: xiezuo check reads it back with the plan's 17 tasks, no error and no
// warning, and the status columns say what the board as of that day says.
func TestExportTasks(t *testing.T) {
	plan := writeFile(t, "2021-mentougou-plan.md", sample.Plan2021)
	want, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	forEachDB(t, func(t *testing.T, dsn string) {
		if code, _, errs := xz(t, "import", "--db", dsn, plan); code != exitOK {
			t.Fatalf("import: %s", errs)
		}
		db := openStore(t, dsn)
		ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
		if err := db.SetGroupMembers(ctx, "门头沟区", xiezuo.CatalogueMembers()); err != nil {
			t.Fatal(err)
		}
		users := map[string]string{"领导小组办公室": "office", "区财政局": "caizheng", "区科技和信息化局": "kexin", "区人力社保局": "renshe", "前方挂职干部": "wuchuan"}
		stats, err := gen.WriteHalfYear(ctx, db, gen.HalfYear{District: "门头沟区", Year: 2021, Today: time.Date(2021, 8, 31, 18, 0, 0, 0, cst), Seed: 1, Users: users})
		if err != nil || stats.Reports == 0 {
			t.Fatalf("WriteHalfYear = %+v, %v", stats, err)
		}
		out := filepath.Join(t.TempDir(), "任务清单（含进展）.xlsx")
		code, msg, errs := xz(t, "export", "tasks", "--db", dsn, "--year", "2021", "--district", "门头沟区", "--as-of", "2021-08-31", "-o", out)
		if code != exitOK || !strings.Contains(msg, "17 项任务，进展截至 2021-08-31") {
			t.Fatalf("export tasks = exit %d: %s%s", code, msg, errs)
		}
		code, back, errs := xz(t, "check", "--json", out)
		got := decode(t, back)
		if code != exitOK || got.Tasks != 17 || len(got.Errors) != 0 || len(got.Warnings) != 0 {
			t.Fatalf("check of the task export = exit %d, %d tasks, errors %v, warnings %v: %s", code, got.Tasks, got.Errors, got.Warnings, errs)
		}
		res, err := plandoc.Parse(out, mustRead(t, out))
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.Plan.Tasks {
			w, g := want.Plan.Tasks[i], res.Plan.Tasks[i]
			if w.WorkItem != g.WorkItem || w.Category != g.Category || w.Content != g.Content || w.Deadline.Text != g.Deadline.Text || !cmp.Equal(unitNames(w.Units), unitNames(g.Units)) {
				t.Errorf("task %d read back = %s/%s %q %v, want %s/%s %q %v", i+1, g.WorkItem, g.Category, g.Deadline.Text, unitNames(g.Units), w.WorkItem, w.Category, w.Deadline.Text, unitNames(w.Units))
			}
		}

		// The status columns are the board's as of the end of 31 August.
		p, err := db.LoadPlan(t.Context(), "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		members, _ := db.GroupMembers(t.Context(), "门头沟区")
		as, _ := db.Assignments(t.Context(), "门头沟区", 2021)
		cadence, _ := db.Cadence(t.Context(), "门头沟区")
		reports, _ := db.PlanReports(t.Context(), "门头沟区", 2021)
		closures, _ := db.PlanClosures(t.Context(), "门头沟区", 2021)
		b := xiezuo.Supervise(p, xiezuo.NewGroups(members, as), cadence, reports, closures, xiezuo.EndOfDay(xiezuo.NewDate(2021, 8, 31)))
		var wantStatus []string
		for _, tp := range xiezuo.TasksProgress(&b, reports) {
			last := ""
			if tp.Last != nil {
				last = xiezuo.DayOf(tp.Last.SubmittedAt).String()
			}
			accepted := []rune(tp.Accepted)
			if len(accepted) > xlsx.ProgressChars {
				accepted = append(accepted[:xlsx.ProgressChars], '…')
			}
			wantStatus = append(wantStatus, strings.Join([]string{tp.StatusWord(), last, tp.ReviewWord(), string(accepted)}, "|"))
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(xlsx.TasksSheet)
		if err != nil {
			t.Fatal(err)
		}
		var gotStatus []string
		for _, r := range rows[3:] {
			r = append(r, make([]string, 9-len(r))...)
			gotStatus = append(gotStatus, strings.Join(r[5:9], "|"))
		}
		if diff := cmp.Diff(wantStatus, gotStatus); diff != "" {
			t.Errorf("status columns (-board +workbook):\n%s", diff)
		}
		// The half year gives every kind of row a clerk hands upward.
		joined := strings.Join(gotStatus, "\n")
		for _, word := range []string{"本期已报", "已销号", "已通过", "待审核", "已退回"} {
			if !strings.Contains(joined, word) {
				t.Errorf("status columns have no %s:\n%s", word, joined)
			}
		}
		if !slices.ContainsFunc(gotStatus, func(s string) bool { return !strings.HasSuffix(s, "|") }) {
			t.Errorf("no task has an accepted report's text in 完成情况:\n%s", joined)
		}
	})
	for _, args := range [][]string{
		{"--as-of", "2021-8-31"},  // not a date
		{"--as-of", "2999-01-01"}, // after today
	} {
		a := append([]string{"export", "tasks", "--db", filepath.Join(t.TempDir(), "x.db"), "--year", "2021", "--district", "门头沟区", "-o", filepath.Join(t.TempDir(), "a.xlsx")}, args...)
		if code, _, errs := xz(t, a...); code != exitUsage || !strings.Contains(errs, "--as-of") {
			t.Errorf("export tasks %v = exit %d: %s, want usage naming --as-of", args, code, errs)
		}
	}
	if code, _, errs := xz(t, "export", "tasks", "--db", filepath.Join(t.TempDir(), "x.db"), "--year", "2021", "-o", "a.xlsx"); code != exitUsage || !strings.Contains(errs, "--district") {
		t.Errorf("export tasks without --district = exit %d: %s", code, errs)
	}
	if code, _, errs := xz(t, "export", "tasks", "--db", filepath.Join(t.TempDir(), "x.db"), "--year", "2021", "--district", "门头沟区", "-o", "a.csv"); code != exitUsage || !strings.Contains(errs, ".xlsx") {
		t.Errorf("export tasks -o a.csv = exit %d: %s", code, errs)
	}
}

func unitNames(rs []xiezuo.Responsibility) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Unit+"/"+string(r.Role))
	}
	return out
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
