package sqldb

import (
	"strings"
	"testing"

	"xiezuo"
)

// TestCadence stores a district's reporting cadence: the default until set, each district its
// own, a bad one refused and nothing written, the change audited.
func TestCadence(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		if c, err := db.Cadence(ctx, "门头沟区"); err != nil || c != xiezuo.DefaultCadence() {
			t.Fatalf("Cadence(unset) = %v, %v, want the default", c, err)
		}
		want := xiezuo.Cadence{ReportDay: 20, CooperateDay: 10, WarnDays: 5}
		if err := db.SetCadence(ctx, "门头沟区", want); err != nil {
			t.Fatal(err)
		}
		if c, err := db.Cadence(ctx, "门头沟区"); err != nil || c != want {
			t.Errorf("Cadence(门头沟区) = %v, %v, want %v", c, err, want)
		}
		if c, _ := db.Cadence(ctx, "房山区"); c != xiezuo.DefaultCadence() {
			t.Errorf("Cadence(房山区) = %v, want the default: each district its own", c)
		}
		err := db.SetCadence(ctx, "门头沟区", xiezuo.Cadence{ReportDay: 31, CooperateDay: 10, WarnDays: 5})
		if xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SetCadence(day 31) = %v, want EINVALID", err)
		}
		if c, _ := db.Cadence(ctx, "门头沟区"); c != want {
			t.Errorf("Cadence after a refused change = %v, want %v unchanged", c, want)
		}
		es, _, err := db.SearchAudit(ctx, AuditFilter{Action: AuditCadence})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range es {
			found = found || (e.ObjectType == "cadence" && e.ObjectID == "门头沟区" && strings.Contains(e.After, `report_day`) && strings.Contains(e.After, `20`))
		}
		if !found {
			t.Errorf("no audit entry of the cadence change among %d setting entries", len(es))
		}
	})
}

// TestSuperviseVersion: the version of the supervision facts moves with a report, a review, a
// closure and the cadence, and not otherwise.
func TestSuperviseVersion(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		v0, err := db.SuperviseVersion(ctx, "门头沟区")
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := db.SuperviseVersion(ctx, "门头沟区"); v != v0 {
			t.Errorf("SuperviseVersion moved with nothing written: %q, %q", v0, v)
		}
		if err := db.SetCadence(ctx, "门头沟区", xiezuo.Cadence{ReportDay: 20, CooperateDay: 10, WarnDays: 3}); err != nil {
			t.Fatal(err)
		}
		v1, _ := db.SuperviseVersion(ctx, "门头沟区")
		if v1 == v0 {
			t.Errorf("SuperviseVersion did not move with the cadence: %q", v1)
		}
		if v, _ := db.SuperviseVersion(ctx, "房山区"); v != v0 {
			t.Errorf("another district's version moved with 门头沟区's cadence: %q, was %q", v, v0)
		}
		point, task, _ := reportKeys(t, db)
		caizheng := WithActor(ctx, Actor{Username: "caizheng", Unit: "区财政局"})
		r, err := db.SubmitReport(caizheng, ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "进展"}})
		if err != nil {
			t.Fatal(err)
		}
		v2, _ := db.SuperviseVersion(ctx, "门头沟区")
		office := WithActor(ctx, Actor{Username: "office", Unit: "领导小组办公室"})
		if _, err := db.ReviewReport(office, r.ID, 1, xiezuo.DecisionAccept, ""); err != nil {
			t.Fatal(err)
		}
		v3, _ := db.SuperviseVersion(ctx, "门头沟区")
		if err := db.CloseDuty(office, task, true, "已完成"); err != nil {
			t.Fatal(err)
		}
		v4, _ := db.SuperviseVersion(ctx, "门头沟区")
		if v2 == v1 || v3 == v2 || v4 == v3 {
			t.Errorf("SuperviseVersion after a report, a review and a closure = %q, %q, %q, %q: each must move", v1, v2, v3, v4)
		}
	})
}
