package sqldb

import (
	"sync"
	"testing"
	"time"

	"xiezuo"
)

// TestSubmitPipelined checks that the short way of storing a new report on PostgreSQL
// (submitPipelined) keeps every rule of the general way, and that whatever it does not cover
// goes the general way with the same answer. SQLite has no short way: the same calls there
// must give the same answers.
func TestSubmitPipelined(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		point, task, project := reportKeys(t, db)
		tickingNow(db, time.Date(2021, 7, 1, 1, 0, 0, 0, time.UTC))
		u := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
		ctx := WithActor(t.Context(), Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		pg := db.dialect.pipelined
		short := func(want int64) {
			t.Helper()
			if !pg {
				want = 0
			}
			if got := db.pipelinedRuns.Load(); got != want {
				t.Errorf("reports stored the short way = %d, want %d", got, want)
			}
		}
		write := func(duty xiezuo.DutyKey, text string) ReportWrite {
			return ReportWrite{Duty: duty, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: text, Percent: percent(40)},
				District: "门头沟区", Year: 2021}
		}

		// The first report on the plan learns its id (three round trips), the next one
		// takes the plan's freeze lock in its first.
		a, replayed, err := db.SubmitReportOnce(ctx, write(point, "第一份"), Idem{UserID: u.ID, Key: "k-1", RequestHash: "h-1"})
		if err != nil || replayed || a.Version != 1 || a.State != xiezuo.ReportSubmitted {
			t.Fatalf("SubmitReportOnce(point) = %+v, %v, %v", a, replayed, err)
		}
		short(1)
		b, _, err := db.SubmitReportOnce(ctx, write(task, "第二份"), Idem{})
		if err != nil {
			t.Fatalf("SubmitReportOnce(task) = %v", err)
		}
		short(2)
		got, err := db.Report(t.Context(), a.ID)
		if err != nil || len(got.Versions) != 1 || got.Versions[0].Values.Text != "第一份" || got.Versions[0].Values.Percent == nil || *got.Versions[0].Values.Percent != 40 || got.Unit != "区财政局" {
			t.Errorf("Report(%d) = %+v, %v", a.ID, got, err)
		}

		// The same key and body: the first answer, nothing new; another body: refused.
		again, replayed, err := db.SubmitReportOnce(ctx, write(point, "第一份"), Idem{UserID: u.ID, Key: "k-1", RequestHash: "h-1"})
		if err != nil || !replayed || again != a {
			t.Errorf("SubmitReportOnce(same key) = %+v, %v, %v; want %+v replayed", again, replayed, err, a)
		}
		if _, _, err := db.SubmitReportOnce(ctx, write(project, "别的"), Idem{UserID: u.ID, Key: "k-1", RequestHash: "h-2"}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("SubmitReportOnce(same key, other body) = %v, want ECONFLICT", err)
		}
		// A second new report on the duty in the month, while the first is not accepted.
		if _, _, err := db.SubmitReportOnce(ctx, write(point, "又一份"), Idem{}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("second new report in the month = %v, want ECONFLICT", err)
		}
		// A closed duty.
		if err := db.CloseDuty(office, project, true, "已完成"); err != nil {
			t.Fatalf("CloseDuty = %v", err)
		}
		if _, _, err := db.SubmitReportOnce(ctx, write(project, "关闭后"), Idem{}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("report on a closed duty = %v, want ECONFLICT", err)
		}
		// A plan named wrongly goes the general way, and is stored as the duty's plan.
		if err := db.CloseDuty(office, project, false, "重新打开"); err != nil {
			t.Fatalf("CloseDuty(reopen) = %v", err)
		}
		wrong := write(project, "计划写错")
		wrong.District, wrong.Year = "门头沟区", 2020
		db.plans.put(planRef{"门头沟区", 2020}, 999999)
		c, _, err := db.SubmitReportOnce(ctx, wrong, Idem{})
		if err != nil {
			t.Fatalf("SubmitReportOnce(wrong plan) = %v", err)
		}
		short(2)
		if got, err := db.Report(t.Context(), c.ID); err != nil || got.Duty != project {
			t.Errorf("Report(%d) = %+v, %v; want a report on %s", c.ID, got, err, project)
		}

		// A frozen month: refused (the general way weighs exceptions).
		tickingNow(db, time.Date(2021, 8, 5, 1, 0, 0, 0, time.UTC))
		if _, err := db.FreezePeriod(office, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 7), "7月封存"); err != nil {
			t.Fatalf("FreezePeriod(July) = %v", err)
		}
		db.now = func() time.Time { return time.Date(2021, 7, 31, 9, 0, 0, 0, time.UTC) }
		before := countRows(t, db, "reports")
		if _, _, err := db.SubmitReportOnce(ctx, write(task, "封存后补报"), Idem{}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("report into a frozen month = %v, want ECONFLICT", err)
		}
		if got := countRows(t, db, "reports"); got != before {
			t.Errorf("reports after a refusal = %d, want %d", got, before)
		}

		// Eight at once from one unit on one duty in August: one report, seven refusals.
		tickingNow(db, time.Date(2021, 8, 6, 1, 0, 0, 0, time.UTC))
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() { _, _, errs[i] = db.SubmitReportOnce(ctx, write(point, "八月"), Idem{}) })
		}
		wg.Wait()
		stored := 0
		for _, err := range errs {
			switch xiezuo.ErrorCode(err) {
			case "":
				stored++
			case xiezuo.ECONFLICT:
			default:
				t.Errorf("concurrent new report = %v", err)
			}
		}
		if stored != 1 {
			t.Errorf("concurrent new reports on one duty stored %d, want 1", stored)
		}
		_ = b

		v, err := db.VerifyAudit(t.Context(), AuditMark{})
		if err != nil || !v.OK() {
			t.Errorf("VerifyAudit = %+v, %v", v, err)
		}
	})
}
