package sqldb

import (
	"testing"
	"time"

	"xiezuo"
)

// TestPublish checks that publishing and withdrawing are dated rows with their audit entry,
// derived as of any moment, that a refusal writes nothing, and that the public version moves
// with every fact a notice shows.
func TestPublish(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office"})
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		p, err := db.LoadPlan(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Projects) < 2 {
			t.Fatalf("test plan has %d projects, want 2 or more", len(p.Projects))
		}
		a, b := p.Projects[0].ID, p.Projects[1].ID
		day1 := time.Date(2021, 7, 1, 9, 0, 0, 0, xiezuo.Beijing)
		day2 := time.Date(2021, 8, 1, 9, 0, 0, 0, xiezuo.Beijing)
		v0, err := db.PublicVersion(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		audits := countWhere(t, db, `SELECT COUNT(*) FROM audit_log`)

		if n, err := db.Publish(WithFactTime(ctx, day1), "门头沟区", 2021, []int64{a, b}, true); err != nil || n != 2 {
			t.Fatalf("Publish(a, b) = %d, %v; want 2, nil", n, err)
		}
		if n, err := db.Publish(WithFactTime(ctx, day2), "门头沟区", 2021, []int64{a}, false); err != nil || n != 1 {
			t.Fatalf("Publish(a, withdraw) = %d, %v; want 1, nil", n, err)
		}
		// Refusals write nothing.
		if _, err := db.Publish(ctx, "门头沟区", 2021, []int64{b}, true); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("Publish(b again) = %v, want ECONFLICT", err)
		}
		if _, err := db.Publish(ctx, "门头沟区", 2021, []int64{a, 999999}, true); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("Publish(unknown project) = %v, want ENOTFOUND", err)
		}
		if _, err := db.Publish(ctx, "门头沟区", 2021, nil, true); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("Publish(none) = %v, want EINVALID", err)
		}
		if _, err := db.Publish(ctx, "延庆区", 2021, []int64{a}, true); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("Publish(other district) = %v, want ENOTFOUND", err)
		}
		if got := countWhere(t, db, `SELECT COUNT(*) FROM project_publications`); got != 3 {
			t.Errorf("project_publications rows = %d, want 3", got)
		}
		if got := countWhere(t, db, `SELECT COUNT(*) FROM audit_log WHERE action IN ($1, $2)`, AuditPublish, AuditWithdraw); got != 2 {
			t.Errorf("publication audit entries = %d, want 2 (one a write)", got)
		}
		if got := countWhere(t, db, `SELECT COUNT(*) FROM audit_log`); got != audits+2 {
			t.Errorf("audit entries = %d, want %d", got, audits+2)
		}

		pubs, err := db.Publications(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		if xiezuo.PublishedAt(pubs[a], day2) || !xiezuo.PublishedAt(pubs[a], day2.Add(-time.Hour)) || !xiezuo.PublishedAt(pubs[b], day2) {
			t.Errorf("Publications = %+v: want a published from day 1 to day 2, b from day 1", pubs)
		}
		if pubs[a][0].By != "office" || !pubs[a][0].At.Equal(day1) {
			t.Errorf("publication = %+v, want by office at %v", pubs[a][0], day1)
		}
		for _, tc := range []struct {
			at   time.Time
			want int
		}{{day1.Add(-time.Minute), 0}, {day1, 2}, {day2, 1}} {
			plans, err := db.PublishedPlans(ctx, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, pl := range plans {
				if pl.District == "门头沟区" && pl.Year == 2021 {
					got = pl.Projects
				}
			}
			if got != tc.want {
				t.Errorf("PublishedPlans(%v) = %+v, want %d projects of 门头沟区 2021", tc.at, plans, tc.want)
			}
		}

		v1, err := db.PublicVersion(ctx, "门头沟区", 2021)
		if err != nil || v1 == v0 {
			t.Errorf("PublicVersion after publishing = %q, %v; want a change from %q", v1, err, v0)
		}
		now := time.Now().UTC()
		if _, err := db.db.ExecContext(ctx, `INSERT INTO project_villages (project_id, code, name, removed, by_user, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			b, "110109101201", "东村", false, "office", now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.ExecContext(ctx, `INSERT INTO fund_transactions (project_id, kind, source, amount, on_date, note, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			b, "disbursement", "district", int64(12_345_00), xiezuo.Date{Year: 2021, Month: 7, Day: 2}, "", "office", now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.ExecContext(ctx, `INSERT INTO fund_transactions (project_id, kind, source, amount, on_date, note, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			b, "allocation", "district", int64(99_000_00), xiezuo.Date{Year: 2021, Month: 7, Day: 1}, "", "office", now); err != nil {
			t.Fatal(err)
		}
		v2, _ := db.PublicVersion(ctx, "门头沟区", 2021)
		if v2 == v1 {
			t.Errorf("PublicVersion after a village and money = %q, want a change", v2)
		}
		villages, txs, err := db.PublicFacts(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		if len(villages) != 1 || villages[0].Name != "东村" || villages[0].ProjectID != b {
			t.Errorf("PublicFacts villages = %+v, want 东村 of b", villages)
		}
		if len(txs) != 1 || txs[0].Amount != 12_345_00 || txs[0].On != (xiezuo.Date{Year: 2021, Month: 7, Day: 2}) {
			t.Errorf("PublicFacts disbursements = %+v, want the one disbursement", txs)
		}
	})
}

// TestPlanSettings checks that plan settings are dated rows, the latest applying, checked and
// audited, and read as of a moment.
func TestPlanSettings(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office"})
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		name := xiezuo.SettingComplaintPhone
		if v, ok, err := db.PlanSetting(ctx, "门头沟区", 2021, name); err != nil || ok || v != "" {
			t.Errorf("PlanSetting(unset) = %q, %v, %v; want unset", v, ok, err)
		}
		day1 := time.Date(2021, 7, 1, 9, 0, 0, 0, xiezuo.Beijing)
		day2 := time.Date(2021, 8, 1, 9, 0, 0, 0, xiezuo.Beijing)
		if err := db.SetPlanSetting(WithFactTime(ctx, day1), "门头沟区", 2021, name, "010-69842345"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPlanSetting(WithFactTime(ctx, day2), "门头沟区", 2021, name, "010-69840000"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPlanSetting(ctx, "门头沟区", 2021, name, "010-69840000"); err != nil { // the same: nothing
			t.Fatal(err)
		}
		if err := db.SetPlanSetting(ctx, "门头沟区", 2021, name, "找王主任"); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SetPlanSetting(not a phone) = %v, want EINVALID", err)
		}
		if err := db.SetPlanSetting(ctx, "延庆区", 2021, name, "12345"); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("SetPlanSetting(no plan) = %v, want ENOTFOUND", err)
		}
		if got := countWhere(t, db, `SELECT COUNT(*) FROM plan_settings`); got != 2 {
			t.Errorf("plan_settings rows = %d, want 2", got)
		}
		if got := countWhere(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = $1`, AuditPlanSetting); got != 2 {
			t.Errorf("plan setting audit entries = %d, want 2", got)
		}
		if v, ok, _ := db.PlanSetting(ctx, "门头沟区", 2021, name); !ok || v != "010-69840000" {
			t.Errorf("PlanSetting = %q, %v; want the latest", v, ok)
		}
		if v, ok, _ := db.PlanSettingAt(ctx, "门头沟区", 2021, name, day2.Add(-time.Hour)); !ok || v != "010-69842345" {
			t.Errorf("PlanSettingAt(before day 2) = %q, %v; want the first", v, ok)
		}
		if _, ok, _ := db.PlanSettingAt(ctx, "门头沟区", 2021, name, day1.Add(-time.Hour)); ok {
			t.Errorf("PlanSettingAt(before day 1) set, want unset")
		}
	})
}
