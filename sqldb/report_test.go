package sqldb

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// tickingNow makes db's clock start at start and move one minute at each reading, so that
// every fact of a test has its own time and StateAt can tell them apart.
func tickingNow(db *DB, start time.Time) {
	now := start
	db.now = func() time.Time {
		now = now.Add(time.Minute)
		return now
	}
}

// countRows counts the rows of table.
func countRows(t *testing.T, db *DB, table string) int {
	t.Helper()
	if table == "audit_log" {
		// On PostgreSQL a write's entry waits for the sealer: chained first, so that the count
		// does not depend on when the sealer ran.
		mustSeal(t, db)
	}
	var n int
	if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// reportKeys returns the keys of the first work point, the first task and the first project
// of the test plan as stored.
func reportKeys(t *testing.T, db *DB) (point, task, project xiezuo.DutyKey) {
	t.Helper()
	content := []byte("v1")
	mustImport(t, db, testPlan("门头沟区", 2021, content), content)
	p := mustLoad(t, db, "门头沟区", 2021)
	return xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: p.Points[0].ID},
		xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: p.Tasks[0].ID},
		xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: p.Projects[0].ID}
}

func percent(n int) *int { return &n }

// TestReportChain walks a report through its life on both databases: a cooperating unit
// reports to the lead unit, which returns it, the unit resubmits, the lead accepts, the lead
// unit's own report cites it; each refusal writes nothing; every step is a dated row and an
// audit entry.
func TestReportChain(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		point, task, project := reportKeys(t, db)
		start := time.Date(2021, 7, 1, 1, 0, 0, 0, time.UTC)
		tickingNow(db, start)
		kexin := WithActor(t.Context(), Actor{Username: "kexin", Unit: "区科技和信息化局"})
		caizheng := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})

		if d, y, err := db.DutyPlan(t.Context(), point); d != "门头沟区" || y != 2021 || err != nil {
			t.Errorf("DutyPlan(%s) = %q, %d, %v; want 门头沟区, 2021", point, d, y, err)
		}
		if _, _, err := db.DutyPlan(t.Context(), xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: 9999}); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("DutyPlan(task-9999) = %v, want ENOTFOUND", err)
		}

		coop := ReportWrite{Duty: point, Unit: "区科技和信息化局", ToUnit: "区财政局", State: xiezuo.ReportSubmitted,
			Values: xiezuo.ReportValues{Text: "已完成调研对接两次。", Percent: percent(40)}}
		a, err := db.SubmitReport(kexin, coop)
		if err != nil {
			t.Fatalf("SubmitReport(cooperating) = %v", err)
		}
		if a.ToUnit != "区财政局" || a.Unit != "区科技和信息化局" || a.Duty != point || len(a.Versions) != 1 || a.Versions[0].Version != 1 || a.Versions[0].By != "kexin" {
			t.Errorf("SubmitReport(cooperating) = %+v", a)
		}
		next := coop
		next.ReportID = a.ID
		if _, err := db.SubmitReport(kexin, next); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("SubmitReport(new version while submitted) = %v, want ECONFLICT", err)
		}
		if _, err := db.ReviewReport(caizheng, a.ID, 1, xiezuo.DecisionReturn, "  "); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("ReviewReport(return without comment) = %v, want EINVALID", err)
		}
		if _, err := db.ReviewReport(caizheng, a.ID, 2, xiezuo.DecisionAccept, ""); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("ReviewReport(version 2, not there) = %v, want ECONFLICT", err)
		}
		if _, err := db.ReviewReport(caizheng, a.ID, 1, "maybe", ""); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("ReviewReport(decision maybe) = %v, want EINVALID", err)
		}
		returned, err := db.ReviewReport(caizheng, a.ID, 1, xiezuo.DecisionReturn, "请补充对接的日期和地点。")
		if err != nil {
			t.Fatalf("ReviewReport(return) = %v", err)
		}
		if s, v, _ := returned.StateAt(start.Add(time.Hour)); s != xiezuo.ReportReturned || v != 1 {
			t.Errorf("after return StateAt = %s v%d, want returned v1", s, v)
		}
		if _, err := db.ReviewReport(caizheng, a.ID, 1, xiezuo.DecisionAccept, ""); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("ReviewReport(twice) = %v, want ECONFLICT", err)
		}
		// Another unit cannot write a version of this report.
		other := next
		other.Unit = "区财政局"
		if _, err := db.SubmitReport(caizheng, other); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("SubmitReport(another unit's report) = %v, want EFORBIDDEN", err)
		}
		// A draft, then the submission; a draft cannot be reviewed.
		draft := next
		draft.State = xiezuo.ReportDraft
		draft.Values.Text = "7月5日在武川县对接一次，"
		if _, err := db.SubmitReport(kexin, draft); err != nil {
			t.Fatalf("SubmitReport(draft) = %v", err)
		}
		if _, err := db.ReviewReport(caizheng, a.ID, 2, xiezuo.DecisionAccept, ""); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("ReviewReport(draft) = %v, want ECONFLICT", err)
		}
		next.Values.Text = "7月5日在武川县、7月9日在门头沟区各对接一次。"
		next.Values.Percent = percent(60)
		if _, err := db.SubmitReport(kexin, next); err != nil {
			t.Fatalf("SubmitReport(resubmit) = %v", err)
		}
		accepted, err := db.ReviewReport(caizheng, a.ID, 3, xiezuo.DecisionAccept, "")
		if err != nil {
			t.Fatalf("ReviewReport(accept) = %v", err)
		}
		if _, err := db.SubmitReport(kexin, next); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("SubmitReport(after accepted) = %v, want ECONFLICT", err)
		}

		// Nothing is overwritten: three versions, two reviews, the state as of each moment.
		if len(accepted.Versions) != 3 || len(accepted.Reviews) != 2 {
			t.Fatalf("report has %d versions, %d reviews; want 3, 2", len(accepted.Versions), len(accepted.Reviews))
		}
		wantStates := []xiezuo.ReportState{xiezuo.ReportSubmitted, xiezuo.ReportReturned, xiezuo.ReportDraft, xiezuo.ReportSubmitted, xiezuo.ReportAccepted}
		times := []time.Time{accepted.Versions[0].At, accepted.Reviews[0].At, accepted.Versions[1].At, accepted.Versions[2].At, accepted.Reviews[1].At}
		for i, at := range times {
			if s, _, ok := accepted.StateAt(at); !ok || s != wantStates[i] {
				t.Errorf("StateAt(step %d) = %s, %v; want %s", i, s, ok, wantStates[i])
			}
		}
		if _, _, ok := accepted.StateAt(start); ok {
			t.Errorf("StateAt(before the report) ok, want not yet")
		}
		if accepted.Reviews[0].Comment != "请补充对接的日期和地点。" || accepted.Reviews[0].By != "caizheng" || accepted.Versions[1].Values.Text != "7月5日在武川县对接一次，" {
			t.Errorf("history = %+v", accepted)
		}

		// The lead unit's report gathers and cites the cooperating unit's; a cite of a report
		// not sent to it is refused.
		lead := ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted,
			Values: xiezuo.ReportValues{Text: "汇总配合单位进展：对接两次。"}, Cites: []int64{a.ID, a.ID}}
		b, err := db.SubmitReport(caizheng, lead)
		if err != nil {
			t.Fatalf("SubmitReport(lead with cites) = %v", err)
		}
		if diff := cmp.Diff([]int64{a.ID}, b.Versions[0].Cites); diff != "" || b.ToUnit != "" {
			t.Errorf("lead report cites (-want +got):\n%s; to %q", diff, b.ToUnit)
		}
		before := countRows(t, db, "report_versions")
		bad := []struct {
			name string
			ctx  context.Context
			in   ReportWrite
			code string
		}{
			{"cite of a report sent to the office", caizheng, ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: lead.Values, Cites: []int64{b.ID}}, xiezuo.EINVALID},
			{"cite of a report sent to another unit", office, ReportWrite{Duty: point, Unit: "领导小组办公室", State: xiezuo.ReportSubmitted, Values: lead.Values, Cites: []int64{a.ID}}, xiezuo.EINVALID},
			{"cite of no report", caizheng, ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: lead.Values, Cites: []int64{9999}}, xiezuo.EINVALID},
			{"percent 140", caizheng, ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "x", Percent: percent(140)}}, xiezuo.EINVALID},
			{"state accepted", caizheng, ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportAccepted, Values: lead.Values}, xiezuo.EINVALID},
			{"no such duty", caizheng, ReportWrite{Duty: xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: 9999}, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: lead.Values}, xiezuo.ENOTFOUND},
			{"unit not of the district", caizheng, ReportWrite{Duty: point, Unit: "某某公司", State: xiezuo.ReportSubmitted, Values: lead.Values}, xiezuo.EINVALID},
			{"report of another duty", caizheng, ReportWrite{Duty: task, ReportID: b.ID, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: lead.Values}, xiezuo.EINVALID},
			{"no such report", caizheng, ReportWrite{Duty: point, ReportID: 9999, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: lead.Values}, xiezuo.ENOTFOUND},
		}
		for _, c := range bad {
			if _, err := db.SubmitReport(c.ctx, c.in); xiezuo.ErrorCode(err) != c.code {
				t.Errorf("SubmitReport(%s) = %v, want %s", c.name, err, c.code)
			}
		}
		if after := countRows(t, db, "report_versions"); after != before {
			t.Errorf("refused reports stored %d versions", after-before)
		}

		// A project's lead unit reports figures; they come back as stored.
		vals := xiezuo.ReportValues{Text: "车间已开工。", Percent: percent(30), Figures: []xiezuo.Figure{{Key: "employed", Value: 12}, {Key: "people", Value: 80}}}
		// The fact carries the application's time when the context gives one (serve --today).
		factAt := time.Date(2021, 9, 15, 2, 0, 0, 0, time.UTC)
		pr, err := db.SubmitReport(WithFactTime(WithActor(t.Context(), Actor{Username: "nongye"}), factAt), ReportWrite{Duty: project, Unit: "区农业农村局", State: xiezuo.ReportDraft, Values: vals})
		if err != nil {
			t.Fatalf("SubmitReport(project) = %v", err)
		}
		if !pr.Versions[0].At.Equal(factAt) {
			t.Errorf("project report at %v, want the fact time %v", pr.Versions[0].At, factAt)
		}
		if diff := cmp.Diff(vals, pr.Versions[0].Values); diff != "" {
			t.Errorf("project report values (-want +got):\n%s", diff)
		}

		// Reading back: by duty, by plan.
		if rs, err := db.DutyReports(t.Context(), point); err != nil || len(rs) != 2 || rs[0].ID != a.ID || rs[1].ID != b.ID {
			t.Errorf("DutyReports(%s) = %d reports, %v; want a and b", point, len(rs), err)
		}
		if rs, err := db.DutyReports(t.Context(), task); err != nil || len(rs) != 0 {
			t.Errorf("DutyReports(%s) = %v, %v; want none", task, rs, err)
		}
		all, err := db.PlanReports(t.Context(), "门头沟区", 2021)
		if err != nil || len(all) != 3 {
			t.Fatalf("PlanReports = %d reports, %v; want 3", len(all), err)
		}
		if diff := cmp.Diff(accepted, all[0]); diff != "" {
			t.Errorf("PlanReports[0] differs from the report read alone (-want +got):\n%s", diff)
		}
		if rs, err := db.PlanReports(t.Context(), "门头沟区", 2022); err != nil || len(rs) != 0 {
			t.Errorf("PlanReports(2022) = %v, %v; want none", rs, err)
		}
		if _, err := db.Report(t.Context(), 9999); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("Report(9999) = %v, want ENOTFOUND", err)
		}

		// Closing: the office closes, cannot close twice, reopens with a reason only.
		if err := db.CloseDuty(office, point, false, "不需要"); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("CloseDuty(reopen an open duty) = %v, want ECONFLICT", err)
		}
		if err := db.CloseDuty(office, point, true, ""); err != nil {
			t.Fatalf("CloseDuty(close) = %v", err)
		}
		if err := db.CloseDuty(office, point, true, ""); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("CloseDuty(close twice) = %v, want ECONFLICT", err)
		}
		if err := db.CloseDuty(office, point, false, " "); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("CloseDuty(reopen without reason) = %v, want EINVALID", err)
		}
		if err := db.CloseDuty(office, point, false, "配合单位补报了新的对接情况"); err != nil {
			t.Fatalf("CloseDuty(reopen) = %v", err)
		}
		if err := db.CloseDuty(office, project, true, ""); err != nil {
			t.Fatalf("CloseDuty(project) = %v", err)
		}
		cs, err := db.PlanClosures(t.Context(), "门头沟区", 2021)
		if err != nil || len(cs) != 3 {
			t.Fatalf("PlanClosures = %v, %v; want 3", cs, err)
		}
		if cs[0].Duty != point || !cs[0].Closed || cs[1].Closed || cs[1].Reason != "配合单位补报了新的对接情况" || cs[2].Duty != project || cs[0].By != "office" {
			t.Errorf("PlanClosures = %+v", cs)
		}
		if !xiezuo.ClosedAt(cs[:2], cs[0].At) || xiezuo.ClosedAt(cs[:2], cs[1].At) {
			t.Errorf("ClosedAt: closed at the closure and open after the reopening expected")
		}

		entries, _, err := db.SearchAudit(t.Context(), AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, e := range entries {
			n[e.Action]++
		}
		if n[AuditReportSave] != 5 || n[AuditReportReview] != 2 || n[AuditDutyClose] != 3 {
			t.Errorf("audit entries %v, want 5 %s, 2 %s, 3 %s", n, AuditReportSave, AuditReportReview, AuditDutyClose)
		}
		if v, err := db.VerifyAudit(t.Context(), AuditMark{}); err != nil || !v.OK() {
			t.Errorf("VerifyAudit = %+v, %v", v, err)
		}
	})
}
