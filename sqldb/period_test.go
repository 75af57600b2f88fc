package sqldb

import (
	"context"
	"hash/fnv"
	"testing"
	"time"

	"xiezuo"
)

// bjTime is a time in Beijing.
func bjTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, xiezuo.Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

// rawReport stores a report with one submitted version, begun at at, on the plan's first task,
// as a unit would, outside any rule: the freeze tests need reports before the reports' own
// methods are at hand, and count what the snapshot sees.
func rawReport(t *testing.T, db *DB, planID, taskID int64, at time.Time, text string) int64 {
	t.Helper()
	ctx := t.Context()
	var unit, id int64
	if err := db.db.QueryRowContext(ctx, `SELECT id FROM units WHERE name = '区财政局'`).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	if err := db.db.QueryRowContext(ctx, `INSERT INTO reports (plan_id, task_id, unit_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		planID, taskID, unit, "caizheng", at.UTC()).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO report_versions (report_id, version, state, text, by_user, at) VALUES ($1, 1, 'submitted', $2, 'caizheng', $3)`,
		id, text, at.UTC()); err != nil {
		t.Fatal(err)
	}
	return id
}

// tryWrite runs checkWritable for a write now on report in its own transaction, as the
// reports' methods do, and commits when it passes.
func tryWrite(ctx context.Context, db *DB, planID int64, duty xiezuo.DutyKey, report int64) error {
	tx, err := db.begin(ctx, "test write")
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.checkWritable(ctx, tx, planID, duty, report, db.factTime(ctx)); err != nil {
		return err
	}
	return tx.Commit()
}

// TestFreezePeriod checks the freeze: a dated row with its snapshot, refused twice, unfrozen
// only with a reason; a write into a frozen month is refused unless an exception granted by
// the office allows it, once; and the snapshot of a frozen period never changes.
func TestFreezePeriod(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		var planID, taskID int64
		if err := db.db.QueryRowContext(ctx, `SELECT p.id, t.id FROM plans p JOIN tasks t ON t.plan_id = p.id ORDER BY t.seq LIMIT 1`).Scan(&planID, &taskID); err != nil {
			t.Fatal(err)
		}
		duty := xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: taskID}
		jun, h1 := xiezuo.MonthPeriod(2021, 6), xiezuo.ReportPeriod{Kind: xiezuo.PeriodHalf, Year: 2021, N: 1}
		r1 := rawReport(t, db, planID, taskID, bjTime("2021-06-20 10:00"), "6月进展")
		r5 := rawReport(t, db, planID, taskID, bjTime("2021-05-20 10:00"), "5月进展")

		clock := bjTime("2021-07-05 09:00")
		db.SetClock(func() time.Time { return clock })
		if _, err := db.FreezePeriod(ctx, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 8), ""); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("FreezePeriod(August, on 5 July) = %v, want EINVALID", err)
		}
		f, err := db.FreezePeriod(ctx, "门头沟区", 2021, jun, "上半年考核快照")
		if err != nil {
			t.Fatalf("FreezePeriod(June) = %v", err)
		}
		if f.Snapshot.Reports != 1 || f.Snapshot.Versions != 1 || f.Snapshot.Reviews != 0 || len(f.Snapshot.SHA256) != 64 {
			t.Errorf("FreezePeriod(June).Snapshot = %+v, want 1 report, 1 version, 0 reviews", f.Snapshot)
		}
		if _, err := db.FreezePeriod(ctx, "门头沟区", 2021, jun, ""); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("FreezePeriod(June) again = %v, want ECONFLICT", err)
		}
		if _, err := db.FreezePeriod(ctx, "延庆区", 2021, jun, ""); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("FreezePeriod(延庆区) = %v, want ENOTFOUND", err)
		}

		// A new version of the June report is refused, with the message the unit reads; May's
		// and a new July report are not frozen.
		err = tryWrite(ctx, db, planID, duty, r1)
		if xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || err.Error() != "2021年6月已封存，如需修改请申请例外" {
			t.Errorf("checkWritable(June report) = %v, want 2021年6月已封存，如需修改请申请例外", err)
		}
		if err := tryWrite(ctx, db, planID, duty, r5); err != nil {
			t.Errorf("checkWritable(May report) = %v, want nil", err)
		}
		if err := tryWrite(ctx, db, planID, duty, 0); err != nil {
			t.Errorf("checkWritable(closure in July) = %v, want nil", err)
		}

		// The exception: asked by the unit, granted by the office, opening the report for a time.
		unitCtx := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		req := ExceptionRequest{District: "门头沟区", Year: 2021, Duty: duty, ReportID: r1, Period: jun, Unit: "区财政局", Reason: "6月培训人数填错"}
		bad := req
		bad.Reason = " "
		if _, err := db.RequestException(unitCtx, bad); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("RequestException(no reason) = %v, want EINVALID", err)
		}
		bad = req
		bad.Period = xiezuo.MonthPeriod(2021, 5)
		if _, err := db.RequestException(unitCtx, bad); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("RequestException(May, not frozen) = %v, want ECONFLICT", err)
		}
		bad = req
		bad.Unit = "区商务局"
		if _, err := db.RequestException(unitCtx, bad); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("RequestException(another unit's report) = %v, want ENOTFOUND", err)
		}
		id, err := db.RequestException(unitCtx, req)
		if err != nil {
			t.Fatalf("RequestException = %v", err)
		}
		if err := tryWrite(ctx, db, planID, duty, r1); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("checkWritable(pending exception) = %v, want ECONFLICT", err)
		}
		if err := db.GrantException(ctx, "门头沟区", id, ""); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("GrantException(no reason) = %v, want EINVALID", err)
		}
		clock = bjTime("2021-07-06 09:00")
		if err := db.GrantException(ctx, "门头沟区", id, "同意更正"); err != nil {
			t.Fatalf("GrantException = %v", err)
		}
		if err := db.RefuseException(ctx, "门头沟区", id, "改主意"); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("RefuseException(decided) = %v, want ECONFLICT", err)
		}
		clock = bjTime("2021-07-06 10:00")
		if err := tryWrite(ctx, db, planID, duty, r1); err != nil {
			t.Errorf("checkWritable(granted exception) = %v, want nil", err)
		}
		clock = bjTime("2021-07-06 11:00")
		if err := tryWrite(ctx, db, planID, duty, r1); err != nil {
			t.Errorf("checkWritable(granted exception, second write) = %v, want nil", err)
		}
		xs, err := db.FreezeExceptions(ctx, "门头沟区", 2021)
		if err != nil || len(xs) != 1 {
			t.Fatalf("FreezeExceptions = %v, %v, want one", xs, err)
		}
		if st := xs[0].StateAt(clock); st != xiezuo.ExceptionGranted || xs[0].UsesAt(clock) != 2 || xs[0].Answer != "同意更正" || xs[0].DutyTitle == "" {
			t.Errorf("FreezeExceptions[0] = %+v, state %s, want granted and used twice", xs[0], st)
		}
		if st := xs[0].StateAt(bjTime("2021-07-06 09:30")); st != xiezuo.ExceptionGranted {
			t.Errorf("exception as of 09:30 = %s, want granted", st)
		}

		// Unfreezing needs a reason; the half year still locks June once frozen.
		if _, err := db.UnfreezePeriod(ctx, "门头沟区", 2021, jun, ""); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("UnfreezePeriod(no reason) = %v, want EINVALID", err)
		}
		if _, err := db.UnfreezePeriod(ctx, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 5), "无"); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("UnfreezePeriod(May, not frozen) = %v, want ECONFLICT", err)
		}
		clock = bjTime("2021-07-07 09:00")
		if _, err := db.UnfreezePeriod(ctx, "门头沟区", 2021, jun, "补报6月数据"); err != nil {
			t.Fatalf("UnfreezePeriod = %v", err)
		}
		if err := tryWrite(ctx, db, planID, duty, r1); err != nil {
			t.Errorf("checkWritable(after unfreeze) = %v, want nil", err)
		}
		clock = bjTime("2021-07-20 09:00")
		fh, err := db.FreezePeriod(ctx, "门头沟区", 2021, h1, "")
		if err != nil {
			t.Fatalf("FreezePeriod(H1) = %v", err)
		}
		if fh.Snapshot.Reports != 2 || fh.Snapshot.Versions != 2 {
			t.Errorf("FreezePeriod(H1).Snapshot = %+v, want 2 reports, 2 versions", fh.Snapshot)
		}
		if err := tryWrite(ctx, db, planID, duty, r1); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("checkWritable(June under the frozen half year) = %v, want ECONFLICT", err)
		}
		fs, err := db.Freezes(ctx, "门头沟区", 2021)
		if err != nil || len(fs) != 3 {
			t.Fatalf("Freezes = %v, %v, want 3 rows", fs, err)
		}
		if _, ok := xiezuo.Frozen(fs, jun, bjTime("2021-07-06 12:00")); !ok {
			t.Errorf("Frozen(June, as of 6 July) = false, want true")
		}
		if _, ok := xiezuo.Frozen(fs, jun, bjTime("2021-07-10 12:00")); ok {
			t.Errorf("Frozen(June, as of 10 July) = true, want false")
		}

		// The snapshot of the frozen half year does not move when July's data comes in, and
		// as of the freeze it is the stored one.
		rawReport(t, db, planID, taskID, bjTime("2021-07-20 10:00"), "7月进展")
		for _, at := range []time.Time{fh.At, bjTime("2021-08-01 00:00")} {
			s, err := db.PeriodSnapshot(ctx, "门头沟区", 2021, h1, at)
			if err != nil || s != fh.Snapshot {
				t.Errorf("PeriodSnapshot(H1, %v) = %+v, %v, want %+v", at, s, err, fh.Snapshot)
			}
		}
		// A write made into June under the exception changed June's data: the snapshot of June
		// taken then is not June's first one, which is what the freeze row proves.
		if s, _ := db.PeriodSnapshot(ctx, "门头沟区", 2021, jun, f.At); s != f.Snapshot {
			t.Errorf("PeriodSnapshot(June, at its freeze) = %+v, want %+v", s, f.Snapshot)
		}

		// Every step audited.
		entries, _, err := db.SearchAudit(ctx, AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range entries {
			count[e.Action]++
		}
		if count[AuditPeriodFreeze] != 2 || count[AuditPeriodUnfreeze] != 1 || count[AuditExceptionRequest] != 1 || count[AuditExceptionDecide] != 1 {
			t.Errorf("audit actions = %v, want 2 freezes, 1 unfreeze, 1 request, 1 decision", count)
		}
	})
}

// TestFrozenReports checks the freeze through the reports' own methods: a new version and a
// review of a report of a frozen month, and a closure in a frozen month, are refused and store
// nothing; with a granted exception the write is stored and the exception used; the views as
// of a date inside the frozen period, and its snapshot, do not change.
func TestFrozenReports(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		_, task, _ := reportKeys(t, db)
		clock := bjTime("2021-06-10 09:00")
		db.SetClock(func() time.Time { return clock })
		caizheng := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		w := ReportWrite{Duty: task, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "6月已召开联席会议。"}}
		r, err := db.SubmitReport(caizheng, w)
		if err != nil {
			t.Fatalf("SubmitReport = %v", err)
		}
		clock = bjTime("2021-06-12 09:00")
		if _, err := db.ReviewReport(office, r.ID, 1, xiezuo.DecisionReturn, "请补充会议纪要"); err != nil {
			t.Fatalf("ReviewReport = %v", err)
		}
		clock = bjTime("2021-07-02 09:00")
		f, err := db.FreezePeriod(office, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 6), "6月快照")
		if err != nil {
			t.Fatalf("FreezePeriod = %v", err)
		}
		before, _ := db.PlanReports(office, "门头沟区", 2021)
		versions, closures := countRows(t, db, "report_versions"), countRows(t, db, "duty_closures")
		audit := countRows(t, db, "audit_log")

		// Refused: the new version of June's report, and a closure in July is not frozen.
		clock = bjTime("2021-07-03 09:00")
		again := w
		again.ReportID = r.ID
		again.Values.Text = "6月已召开联席会议，附纪要。"
		if _, err := db.SubmitReport(caizheng, again); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || xiezuo.ErrorMessage(err) != "2021年6月已封存，如需修改请申请例外" {
			t.Errorf("SubmitReport(new version of a frozen June report) = %v, want 2021年6月已封存，如需修改请申请例外", err)
		}
		if n := countRows(t, db, "report_versions"); n != versions {
			t.Errorf("report_versions after the refusal = %d, want %d", n, versions)
		}
		if n := countRows(t, db, "audit_log"); n != audit {
			t.Errorf("audit_log after the refusal = %d, want %d", n, audit)
		}
		// A report begun in July is July's, and is stored.
		july, err := db.SubmitReport(caizheng, ReportWrite{Duty: task, Unit: "区财政局", State: xiezuo.ReportDraft, Values: xiezuo.ReportValues{Text: "7月草稿"}})
		if err != nil {
			t.Errorf("SubmitReport(July) = %v, want stored", err)
		}

		// The exception, granted, lets the one version through.
		id, err := db.RequestException(caizheng, ExceptionRequest{District: "门头沟区", Year: 2021, Duty: task, ReportID: r.ID,
			Period: xiezuo.MonthPeriod(2021, 6), Unit: "区财政局", Reason: "补充会议纪要"})
		if err != nil {
			t.Fatalf("RequestException = %v", err)
		}
		if err := db.GrantException(office, "门头沟区", id, "同意补充"); err != nil {
			t.Fatalf("GrantException = %v", err)
		}
		clock = bjTime("2021-07-04 09:00")
		if _, err := db.SubmitReport(caizheng, again); err != nil {
			t.Fatalf("SubmitReport(with the exception) = %v", err)
		}
		// The office's review of the new version is let through too, while the exception lasts.
		clock = bjTime("2021-07-05 09:00")
		if _, err := db.ReviewReport(office, r.ID, 2, xiezuo.DecisionReturn, "纪要请加盖公章"); err != nil {
			t.Errorf("ReviewReport(under the exception) = %v, want stored", err)
		}
		xs, _ := db.FreezeExceptions(office, "门头沟区", 2021)
		if len(xs) != 1 || xs[0].StateAt(clock) != xiezuo.ExceptionGranted || xs[0].UsesAt(clock) != 2 {
			t.Errorf("FreezeExceptions = %+v, want one granted, used twice", xs)
		}
		// Seven days after the grant it has expired: the next version is refused, nothing stored.
		clock = bjTime("2021-07-12 09:00")
		versions = countRows(t, db, "report_versions")
		third := again
		third.Values.Text = "6月已召开联席会议，附盖章纪要。"
		if _, err := db.SubmitReport(caizheng, third); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("SubmitReport(after the exception expired) = %v, want ECONFLICT", err)
		}
		if n := countRows(t, db, "report_versions"); n != versions {
			t.Errorf("report_versions after the refusal = %d, want %d", n, versions)
		}

		// Freezing July too: a closure in July is refused, nothing stored.
		clock = bjTime("2021-08-01 09:00")
		if _, err := db.FreezePeriod(office, "门头沟区", 2021, xiezuo.ReportPeriod{Kind: xiezuo.PeriodYear, Year: 2021}, ""); err != nil {
			t.Fatalf("FreezePeriod(year) = %v", err)
		}
		if err := db.CloseDuty(office, task, true, ""); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("CloseDuty(in a frozen year) = %v, want ECONFLICT", err)
		}
		if n := countRows(t, db, "duty_closures"); n != closures {
			t.Errorf("duty_closures after the refusal = %d, want %d", n, closures)
		}
		if july.ID == 0 {
			t.Fatal("no July report")
		}

		// As of the day of June's freeze, the reports read the same as they did then, and the
		// snapshot at the freeze is the stored one.
		after, _ := db.PlanReports(office, "门头沟区", 2021)
		asOf := f.At
		for i, b := range before {
			st1, v1, _ := b.StateAt(asOf)
			st2, v2, _ := after[i].StateAt(asOf)
			if st1 != st2 || v1 != v2 {
				t.Errorf("report %d as of the freeze = %s v%d, was %s v%d", b.ID, st2, v2, st1, v1)
			}
		}
		if s, err := db.PeriodSnapshot(office, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 6), f.At); err != nil || s != f.Snapshot {
			t.Errorf("PeriodSnapshot(June, at the freeze) = %+v, %v, want %+v", s, err, f.Snapshot)
		}
		if s, _ := db.PeriodSnapshot(office, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 6), clock); s == f.Snapshot {
			t.Errorf("PeriodSnapshot(June, now) = the freeze's, want it to show the version the exception let in")
		}
	})
}

// TestExceptionBinding is the attack A-F5 and A-F5b in storage: an exception opens only the
// reports of the unit that asked (a duty-wide request its reports on the duty, a named report
// that report), for every write that checks the freeze (a new version, evidence, the office's
// review of a version written under it); a request must name a period frozen as a whole and
// holding the named report; nobody decides their own request.
func TestExceptionBinding(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		_, task, _ := reportKeys(t, db)
		clock := bjTime("2021-06-10 09:00")
		db.SetClock(func() time.Time { return clock })
		caizheng := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		renshe := WithActor(t.Context(), Actor{Username: "renshe", Unit: "区人力社保局"})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		draft := func(ctx context.Context, unit string, id int64, text string, st xiezuo.ReportState) (xiezuo.Report, error) {
			return db.SubmitReport(ctx, ReportWrite{Duty: task, ReportID: id, Unit: unit, State: st, Values: xiezuo.ReportValues{Text: text}})
		}
		mine, err := draft(caizheng, "区财政局", 0, "6月草稿", xiezuo.ReportDraft)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := draft(renshe, "区人力社保局", 0, "6月培训草稿", xiezuo.ReportDraft)
		if err != nil {
			t.Fatal(err)
		}
		clock = bjTime("2021-07-26 09:00")
		if _, err := db.FreezePeriod(office, "门头沟区", 2021, xiezuo.ReportPeriod{Kind: xiezuo.PeriodHalf, Year: 2021, N: 1}, "上半年"); err != nil {
			t.Fatal(err)
		}

		// A-F5b: the year is only half frozen; a named June report is not in May.
		clock = bjTime("2021-07-27 09:00")
		req := ExceptionRequest{District: "门头沟区", Year: 2021, Duty: task, Unit: "区财政局", Reason: "补充6月数据",
			Period: xiezuo.ReportPeriod{Kind: xiezuo.PeriodYear, Year: 2021}}
		if _, err := db.RequestException(caizheng, req); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT ||
			xiezuo.ErrorMessage(err) != "2021年全年未整体封存（已封存的：2021年1月至6月），请选择已封存的月份或半年" {
			t.Errorf("RequestException(the whole year) = %v, want ECONFLICT naming what is frozen", err)
		}
		named := req
		named.ReportID, named.Period = mine.ID, xiezuo.MonthPeriod(2021, 5)
		if _, err := db.RequestException(caizheng, named); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("RequestException(June report, May) = %v, want EINVALID", err)
		}
		if n := countRows(t, db, "freeze_exceptions"); n != 0 {
			t.Fatalf("refused requests stored %d rows", n)
		}

		// 区财政局 asks duty-wide for June; it cannot grant its own request.
		req.Period = xiezuo.MonthPeriod(2021, 6)
		id, err := db.RequestException(caizheng, req)
		if err != nil {
			t.Fatalf("RequestException = %v", err)
		}
		if err := db.GrantException(caizheng, "门头沟区", id, "自己批"); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("GrantException(by the requester) = %v, want EFORBIDDEN", err)
		}
		if n := countRows(t, db, "freeze_exception_decisions"); n != 0 {
			t.Fatalf("a refused decision stored %d rows", n)
		}
		if err := db.GrantException(office, "门头沟区", id, "同意"); err != nil {
			t.Fatalf("GrantException = %v", err)
		}

		// A-F5: 区人力社保局 gains nothing from it: no new version, no evidence, nothing stored.
		clock = bjTime("2021-07-28 09:00")
		versions, evidence, uses := countRows(t, db, "report_versions"), countRows(t, db, "report_evidence"), countRows(t, db, "freeze_exception_uses")
		if _, err := draft(renshe, "区人力社保局", theirs.ID, "6月培训 45 人", xiezuo.ReportSubmitted); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("SubmitReport(another unit's June report under 区财政局's exception) = %v, want ECONFLICT", err)
		}
		limits := xiezuo.EvidenceLimits{File: 20 << 20, Report: 20 << 20, Files: 4}
		if _, err := db.AttachEvidence(renshe, theirs.ID, []xiezuo.Evidence{file("a.jpg", 1, 4)}, limits); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("AttachEvidence(another unit's June report) = %v, want ECONFLICT", err)
		}
		if v, e, u := countRows(t, db, "report_versions"), countRows(t, db, "report_evidence"), countRows(t, db, "freeze_exception_uses"); v != versions || e != evidence || u != uses {
			t.Errorf("refused writes stored versions %d→%d, evidence %d→%d, uses %d→%d", versions, v, evidence, e, uses, u)
		}
		// 区财政局's own report is open: evidence, a submitted version, the office's review.
		if _, err := db.AttachEvidence(caizheng, mine.ID, []xiezuo.Evidence{file("b.jpg", 1, 5)}, limits); err != nil {
			t.Errorf("AttachEvidence(own June report) = %v", err)
		}
		if _, err := draft(caizheng, "区财政局", mine.ID, "6月已下达资金", xiezuo.ReportSubmitted); err != nil {
			t.Errorf("SubmitReport(own June report) = %v", err)
		}
		if _, err := db.ReviewReport(office, mine.ID, 2, xiezuo.DecisionAccept, ""); err != nil {
			t.Errorf("ReviewReport(the version written under the exception) = %v", err)
		}
		if n := countRows(t, db, "freeze_exception_uses"); n != uses+3 {
			t.Errorf("freeze_exception_uses = %d, want %d", n, uses+3)
		}
	})
}

// TestSnapshotSeesEvidence: evidence is part of a frozen period's data. A file attached to a
// June report under an exception changes June's snapshot, so the page no longer says the data
// is as it was frozen; as of the freeze the snapshot is still the stored one.
func TestSnapshotSeesEvidence(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		_, task, _ := reportKeys(t, db)
		clock := bjTime("2021-06-10 09:00")
		db.SetClock(func() time.Time { return clock })
		caizheng := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		r, err := db.SubmitReport(caizheng, ReportWrite{Duty: task, Unit: "区财政局", State: xiezuo.ReportDraft, Values: xiezuo.ReportValues{Text: "6月草稿"}})
		if err != nil {
			t.Fatal(err)
		}
		limits := xiezuo.EvidenceLimits{File: 20 << 20, Report: 20 << 20, Files: 4}
		if _, err := db.AttachEvidence(caizheng, r.ID, []xiezuo.Evidence{file("a.jpg", 1, 4)}, limits); err != nil {
			t.Fatal(err)
		}
		clock = bjTime("2021-07-02 09:00")
		jun := xiezuo.MonthPeriod(2021, 6)
		f, err := db.FreezePeriod(office, "门头沟区", 2021, jun, "")
		if err != nil {
			t.Fatal(err)
		}
		id, err := db.RequestException(caizheng, ExceptionRequest{District: "门头沟区", Year: 2021, Duty: task, ReportID: r.ID, Period: jun, Unit: "区财政局", Reason: "补传照片"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.GrantException(office, "门头沟区", id, "同意"); err != nil {
			t.Fatal(err)
		}
		clock = bjTime("2021-07-03 09:00")
		if s, err := db.PeriodSnapshot(office, "门头沟区", 2021, jun, clock); err != nil || s != f.Snapshot {
			t.Fatalf("PeriodSnapshot(June, before the file) = %+v, %v, want the stored %+v", s, err, f.Snapshot)
		}
		if _, err := db.AttachEvidence(caizheng, r.ID, []xiezuo.Evidence{file("b.jpg", 1, 5)}, limits); err != nil {
			t.Fatalf("AttachEvidence(under the exception) = %v", err)
		}
		if s, _ := db.PeriodSnapshot(office, "门头沟区", 2021, jun, clock); s == f.Snapshot {
			t.Errorf("PeriodSnapshot(June, after a file added under the exception) = the freeze's, want it changed")
		}
		if s, _ := db.PeriodSnapshot(office, "门头沟区", 2021, jun, f.At); s != f.Snapshot {
			t.Errorf("PeriodSnapshot(June, at the freeze) = %+v, want %+v", s, f.Snapshot)
		}
	})
}

// TestFreezeWaitsForWriter: a freeze that comes while a report is being written into the
// month waits for it (PostgreSQL, where writers do not hold the whole database as SQLite's
// writer does): the writer checked the freeze under the plan's freeze lock, shared, which the
// freeze takes alone; its snapshot then holds the report, so nothing slips in between.
func TestFreezeWaitsForWriter(t *testing.T) {
	db := openTestPostgres(t)
	useTestAuditKey(t, db)
	_, task, _ := reportKeys(t, db)
	caizheng := WithFactTime(WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"}), bjTime("2021-06-30 23:59"))
	office := WithFactTime(WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"}), bjTime("2021-07-01 00:01"))

	tx, err := db.begin(caizheng, reportLockKey(task))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, _, err := db.submitReport(caizheng, tx, ReportWrite{Duty: task, Unit: "区财政局", State: xiezuo.ReportSubmitted,
		Values: xiezuo.ReportValues{Text: "6月最后一刻的报告"}}); err != nil {
		t.Fatalf("submitReport = %v", err)
	}
	type result struct {
		f   xiezuo.Freeze
		err error
	}
	done := make(chan result, 1)
	go func() {
		f, err := db.FreezePeriod(office, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 6), "6月快照")
		done <- result{f, err}
	}()
	// Wait until the freeze waits on the advisory lock the writer holds shared (this plan's,
	// named by its two halves as pg_locks shows a bigint key).
	var planID int64
	if err := db.db.QueryRowContext(t.Context(), `SELECT plan_id FROM tasks WHERE id = $1`, task.ID).Scan(&planID); err != nil {
		t.Fatal(err)
	}
	h := fnv.New64a()
	h.Write([]byte(freezeLockKey(planID)))
	key := h.Sum64()
	for waiting := 0; waiting == 0; {
		select {
		case r := <-done:
			t.Fatalf("FreezePeriod finished while a writer was in the month: %+v, %v", r.f, r.err)
		default:
		}
		if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
			AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1`, int64(key>>32), int64(key&0xffffffff)).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.f.Snapshot.Reports != 1 || r.f.Snapshot.Versions != 1 {
		t.Errorf("FreezePeriod after the writer = %+v, %v, want a snapshot holding its report", r.f.Snapshot, r.err)
	}
}

// TestExceptionCadreWriter is N4 in storage: cadres share the unit 前方挂职干部, but a cadre's
// exception on a task binds that cadre (xiezuo.ExceptionBindsWriter): it may not name another
// cadre's report, and its duty-wide grant opens only its own reports.
func TestExceptionCadreWriter(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		_, task, _ := reportKeys(t, db)
		clock := bjTime("2021-06-10 09:00")
		db.SetClock(func() time.Time { return clock })
		lasa := WithActor(t.Context(), Actor{Username: "lasa", Unit: xiezuo.CadreUnit})
		wuchuan := WithActor(t.Context(), Actor{Username: "wuchuan", Unit: xiezuo.CadreUnit})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		draft := func(ctx context.Context, writer string, id int64, text string) (xiezuo.Report, error) {
			return db.SubmitReport(ctx, ReportWrite{Duty: task, ReportID: id, Unit: xiezuo.CadreUnit, Writer: writer, State: xiezuo.ReportDraft,
				Values: xiezuo.ReportValues{Text: text}})
		}
		own, err := draft(lasa, "lasa", 0, "拉萨6月草稿")
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := draft(wuchuan, "wuchuan", 0, "武川6月草稿")
		if err != nil {
			t.Fatal(err)
		}
		clock = bjTime("2021-07-26 09:00")
		if _, err := db.FreezePeriod(office, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 6), "6月"); err != nil {
			t.Fatal(err)
		}
		clock = bjTime("2021-07-27 09:00")
		req := ExceptionRequest{District: "门头沟区", Year: 2021, Duty: task, Unit: xiezuo.CadreUnit, Reason: "补充6月数据",
			Period: xiezuo.MonthPeriod(2021, 6)}
		named := req
		named.ReportID = theirs.ID
		if _, err := db.RequestException(lasa, named); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("RequestException(lasa naming wuchuan's report) = %v, want ENOTFOUND", err)
		}
		if n := countRows(t, db, "freeze_exceptions"); n != 0 {
			t.Fatalf("a refused request stored %d rows", n)
		}
		id, err := db.RequestException(lasa, req)
		if err != nil {
			t.Fatalf("RequestException(duty-wide) = %v", err)
		}
		if err := db.GrantException(office, "门头沟区", id, "同意"); err != nil {
			t.Fatalf("GrantException = %v", err)
		}
		clock = bjTime("2021-07-28 09:00")
		if _, err := draft(wuchuan, "wuchuan", theirs.ID, "武川6月改"); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("SubmitReport(wuchuan's June report under lasa's exception) = %v, want ECONFLICT", err)
		}
		if _, err := draft(lasa, "lasa", own.ID, "拉萨6月改"); err != nil {
			t.Errorf("SubmitReport(lasa's own June report) = %v", err)
		}
	})
}
