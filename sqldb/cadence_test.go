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
