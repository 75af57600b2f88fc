package gen

import (
	"path/filepath"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
)

// TestWritePublic: the demo's notice publishes all but each region's last project on 1 July,
// withdraws the first on 1 August and sets the complaint phone; nothing after today.
func TestWritePublic(t *testing.T) {
	for _, tc := range []struct {
		today                time.Time
		published, withdrawn int
	}{
		{time.Date(2021, 9, 15, 12, 0, 0, 0, xiezuo.Beijing), 12, 1}, // 16 projects in 3 regions: 13 published, 1 withdrawn
		{time.Date(2021, 7, 15, 12, 0, 0, 0, xiezuo.Beijing), 13, 0},
		{time.Date(2021, 6, 15, 12, 0, 0, 0, xiezuo.Beijing), 0, 0},
	} {
		db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "xiezuo.db"))
		if err != nil {
			t.Fatal(err)
		}
		useTestAuditKey(t, db)
		res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
		if err != nil || !res.OK() {
			t.Fatalf("parse sample: %v", err)
		}
		if _, err := db.ImportPlan(t.Context(), res.Plan, sample.Plan2021); err != nil {
			t.Fatal(err)
		}
		got, err := WritePublic(t.Context(), db, "门头沟区", 2021, tc.today)
		if err != nil {
			t.Fatalf("WritePublic(%v) = %v", tc.today, err)
		}
		if got.Published != tc.published || got.Withdrawn != tc.withdrawn {
			t.Errorf("WritePublic(%v) = %+v, want %d published, %d withdrawn", tc.today, got, tc.published, tc.withdrawn)
		}
		plans, err := db.PublishedPlans(t.Context(), tc.today)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range plans {
			n += p.Projects
		}
		if n != tc.published {
			t.Errorf("PublishedPlans(%v) count %d, want %d", tc.today, n, tc.published)
		}
		phone, ok, _ := db.PlanSetting(t.Context(), "门头沟区", 2021, xiezuo.SettingComplaintPhone)
		if want := tc.published > 0; ok != want || (ok && phone != DemoComplaintPhone) {
			t.Errorf("complaint phone = %q, %v; want set %v", phone, ok, want)
		}
		db.Close()
	}
}
