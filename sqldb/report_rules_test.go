package sqldb

import (
	"testing"
	"time"

	"xiezuo"
)

// TestReportRulesInStorage checks the rules storage enforces under the duty's lock: one report
// per unit, duty and month (F10), nobody reviews its own version (F8), only sent reports are
// cited (F9), a cadre's work-point report is its own (F1/F2), and a closed duty takes no
// report but its waiting report may still be reviewed (F4).
func TestReportRulesInStorage(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		useTestAuditKey(t, db)
		point, task, _ := reportKeys(t, db)
		tickingNow(db, time.Date(2021, 9, 1, 1, 0, 0, 0, time.UTC))
		caizheng := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		kexin := WithActor(t.Context(), Actor{Username: "kexin", Unit: "区科技和信息化局"})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		office2 := WithActor(t.Context(), Actor{Username: "office2", Unit: "领导小组办公室"})
		vals := xiezuo.ReportValues{Text: "已拨付。"}

		// R14: pages name writers by name and unit.
		u := xiezuo.User{Username: "caizheng", Name: "蔡会计", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}, PasswordAt: time.Now()}
		if err := db.CreateUser(t.Context(), &u, testHash); err != nil {
			t.Fatal(err)
		}
		if got, err := db.Writers(t.Context(), []string{"caizheng", "caizheng", "nobody"}); err != nil || len(got) != 1 || got["caizheng"] != "蔡会计（区财政局）" {
			t.Errorf("Writers = %v, %v; want caizheng → 蔡会计（区财政局） only", got, err)
		}

		// F10: a second new report of the same unit in the same month is refused.
		a, err := db.SubmitReport(caizheng, ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportDraft, Values: vals})
		if err != nil {
			t.Fatalf("SubmitReport = %v", err)
		}
		_, err = db.SubmitReport(caizheng, ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: vals})
		if xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("SubmitReport(second new report this month) = %v, want ECONFLICT", err)
		}
		// F9: a draft is not citable, even when sent to the citing unit.
		coop, err := db.SubmitReport(kexin, ReportWrite{Duty: point, Unit: "区科技和信息化局", ToUnit: "区财政局", State: xiezuo.ReportDraft, Values: vals})
		if err != nil {
			t.Fatalf("SubmitReport(cooperating draft) = %v", err)
		}
		if _, err := db.SubmitReport(caizheng, ReportWrite{Duty: point, Unit: "区财政局", ReportID: a.ID, State: xiezuo.ReportSubmitted, Values: vals, Cites: []int64{coop.ID}}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SubmitReport(cite of a draft) = %v, want EINVALID", err)
		}
		if _, err := db.SubmitReport(caizheng, ReportWrite{Duty: point, Unit: "区财政局", ReportID: a.ID, State: xiezuo.ReportSubmitted, Values: vals}); err != nil {
			t.Fatalf("SubmitReport(continue) = %v", err)
		}
		// F4: closed, a new version is refused; the waiting one may still be reviewed.
		if err := db.CloseDuty(office, point, true, ""); err != nil {
			t.Fatalf("CloseDuty = %v", err)
		}
		if _, err := db.SubmitReport(kexin, ReportWrite{Duty: point, Unit: "区科技和信息化局", ReportID: coop.ID, ToUnit: "区财政局", State: xiezuo.ReportSubmitted, Values: vals}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || xiezuo.ErrorMessage(err) != "该事项已销号，如需继续报送请办公室先重新打开" {
			t.Errorf("SubmitReport(closed duty) = %v, want ECONFLICT 已销号", err)
		}
		if _, err := db.ReviewReport(office, a.ID, 2, xiezuo.DecisionAccept, ""); err != nil {
			t.Errorf("ReviewReport(submitted before closing) = %v", err)
		}

		// F8: the office's own report is reviewed by someone else.
		own, err := db.SubmitReport(office, ReportWrite{Duty: task, Unit: "领导小组办公室", State: xiezuo.ReportSubmitted, Values: vals})
		if err != nil {
			t.Fatalf("SubmitReport(office) = %v", err)
		}
		if _, err := db.ReviewReport(office, own.ID, 1, xiezuo.DecisionAccept, ""); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("ReviewReport(own version) = %v, want EFORBIDDEN", err)
		}
		if _, err := db.ReviewReport(office2, own.ID, 1, xiezuo.DecisionAccept, ""); err != nil {
			t.Errorf("ReviewReport(by another) = %v", err)
		}
		// After acceptance, a new report of the same month is allowed.
		if _, err := db.SubmitReport(office, ReportWrite{Duty: task, Unit: "领导小组办公室", State: xiezuo.ReportDraft, Values: vals}); err != nil {
			t.Errorf("SubmitReport(after acceptance) = %v", err)
		}

		// Cadres share 前方挂职干部: each writer's reports are its own.
		lasa := WithActor(t.Context(), Actor{Username: "lasa", Unit: xiezuo.CadreUnit})
		wuchuan := WithActor(t.Context(), Actor{Username: "wuchuan", Unit: xiezuo.CadreUnit})
		c1, err := db.SubmitReport(lasa, ReportWrite{Duty: task, Unit: xiezuo.CadreUnit, Writer: "lasa", State: xiezuo.ReportDraft, Values: vals})
		if err != nil {
			t.Fatalf("SubmitReport(lasa) = %v", err)
		}
		if c1.By != "lasa" {
			t.Errorf("Report.By = %q, want lasa", c1.By)
		}
		if _, err := db.SubmitReport(wuchuan, ReportWrite{Duty: task, Unit: xiezuo.CadreUnit, Writer: "wuchuan", State: xiezuo.ReportDraft, Values: vals}); err != nil {
			t.Errorf("SubmitReport(another cadre's own report) = %v", err)
		}
		if _, err := db.SubmitReport(wuchuan, ReportWrite{Duty: task, Unit: xiezuo.CadreUnit, Writer: "wuchuan", ReportID: c1.ID, State: xiezuo.ReportDraft, Values: vals}); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("SubmitReport(continue another cadre's report) = %v, want EFORBIDDEN", err)
		}
	})
}

// TestClosedDutyWrites is N6 in storage: once a duty is closed (销号) no file is added to its
// waiting report and the office does not return it (the unit could not resubmit); accepting
// it stays allowed. Refusals store nothing.
func TestClosedDutyWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		useTestAuditKey(t, db)
		_, task, _ := reportKeys(t, db)
		tickingNow(db, time.Date(2021, 9, 1, 1, 0, 0, 0, time.UTC))
		caizheng := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		r, err := db.SubmitReport(caizheng, ReportWrite{Duty: task, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "已拨付。"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CloseDuty(office, task, true, ""); err != nil {
			t.Fatal(err)
		}
		evidence, reviews := countRows(t, db, "report_evidence"), countRows(t, db, "report_reviews")
		limits := xiezuo.EvidenceLimits{File: 20 << 20, Report: 20 << 20, Files: 4}
		if _, err := db.AttachEvidence(caizheng, r.ID, []xiezuo.Evidence{file("a.jpg", 1, 4)}, limits); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT ||
			xiezuo.ErrorMessage(err) != xiezuo.ErrorMessage(xiezuo.ClosedRefusal()) {
			t.Errorf("AttachEvidence(closed duty) = %v, want the 已销号 ECONFLICT", err)
		}
		if _, err := db.ReviewReport(office, r.ID, 1, xiezuo.DecisionReturn, "请补充"); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("ReviewReport(return on a closed duty) = %v, want ECONFLICT", err)
		}
		if e, v := countRows(t, db, "report_evidence"), countRows(t, db, "report_reviews"); e != evidence || v != reviews {
			t.Errorf("refused writes stored evidence %d→%d, reviews %d→%d", evidence, e, reviews, v)
		}
		if _, err := db.ReviewReport(office, r.ID, 1, xiezuo.DecisionAccept, ""); err != nil {
			t.Errorf("ReviewReport(accept on a closed duty) = %v", err)
		}
	})
}
