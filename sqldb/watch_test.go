package sqldb

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// watchStep and watchTx write the rows of project_steps and fund_transactions the lifecycle
// and money helpers' writers will: the watched rules only read them.
func watchStep(t *testing.T, db *DB, project int64, kind xiezuo.StepKind, on string) {
	t.Helper()
	if _, err := db.db.ExecContext(t.Context(), `INSERT INTO project_steps
		(project_id, kind, on_date, note, reason, document, by_user, at) VALUES ($1, $2, $3, '', '', '', 'office', $4)`,
		project, kind, on, time.Now().UTC()); err != nil {
		t.Fatalf("insert step: %v", err)
	}
}

func watchTx(t *testing.T, db *DB, project int64, kind xiezuo.FundKind, amount int64, on string) {
	t.Helper()
	if _, err := db.db.ExecContext(t.Context(), `INSERT INTO fund_transactions
		(project_id, kind, source, amount, on_date, note, by_user, at) VALUES ($1, $2, 'district', $3, $4, '', 'office', $5)`,
		project, kind, amount, on, time.Now().UTC()); err != nil {
		t.Fatalf("insert transaction: %v", err)
	}
}

func TestPlanWatchFacts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		mustImport(t, db, testPlan("门头沟区", 2021, []byte("plan")), []byte("plan"))
		p := mustLoad(t, db, "门头沟区", 2021)
		a, b, c := p.Projects[0].ID, p.Projects[1].ID, p.Projects[2].ID
		watchStep(t, db, a, xiezuo.StepStart, "2021-05-10")
		watchStep(t, db, a, xiezuo.StepAdjust, "2021-06-01")
		watchStep(t, db, a, xiezuo.StepSuspend, "2021-07-01")
		watchStep(t, db, a, xiezuo.StepResume, "2021-08-01")
		watchStep(t, db, a, xiezuo.StepComplete, "2021-10-01")
		watchStep(t, db, b, xiezuo.StepCancel, "2021-06-15")
		watchStep(t, db, b, xiezuo.StepStart, "2021-06-20") // after cancelling: nothing follows
		watchTx(t, db, a, xiezuo.FundAllocation, 300_000_00, "2021-05-01")
		watchTx(t, db, a, xiezuo.FundDisbursement, 100_000_00, "2021-06-01")
		watchTx(t, db, a, xiezuo.FundDisbursement, 50_000_00, "2021-08-01")
		watchTx(t, db, a, xiezuo.FundExpenditure, 20_000_00, "2021-06-01")
		watchTx(t, db, c, xiezuo.FundDisbursement, 10_000_00, "2021-06-01")
		tests := []struct {
			asOf string
			want map[int64]xiezuo.LiveFigures
		}{
			{"2021-05-01", map[int64]xiezuo.LiveFigures{a: {Status: xiezuo.StatusPlanned, Allocated: 300_000_00}}},
			{"2021-07-15", map[int64]xiezuo.LiveFigures{
				a: {Status: xiezuo.StatusSuspended, StartedOn: xiezuo.Date{Year: 2021, Month: 5, Day: 10}, Allocated: 300_000_00, Disbursed: 100_000_00},
				b: {Status: xiezuo.StatusCancelled},
				c: {Status: xiezuo.StatusPlanned, Disbursed: 10_000_00},
			}},
			{"2021-10-01", map[int64]xiezuo.LiveFigures{
				a: {Status: xiezuo.StatusCompleted, StartedOn: xiezuo.Date{Year: 2021, Month: 5, Day: 10}, Allocated: 300_000_00, Disbursed: 150_000_00},
				b: {Status: xiezuo.StatusCancelled},
				c: {Status: xiezuo.StatusPlanned, Disbursed: 10_000_00},
			}},
		}
		for _, tt := range tests {
			d, _ := xiezuo.ParseDate(tt.asOf)
			got, err := db.PlanLiveFigures(t.Context(), "门头沟区", 2021, d)
			if err != nil {
				t.Fatalf("PlanLiveFigures(%s) = %v", tt.asOf, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("PlanLiveFigures(%s) (-want +got):\n%s", tt.asOf, diff)
			}
		}
		// Another year's plan reads none of these.
		got, err := db.PlanLiveFigures(t.Context(), "门头沟区", 2022, xiezuo.Date{Year: 2022, Month: 12, Day: 31})
		if err != nil || len(got) != 0 {
			t.Errorf("PlanLiveFigures(2022) = %v, %v, want nothing", got, err)
		}
	})
}

func TestIndustrialStartBy(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		mustImport(t, db, testPlan("门头沟区", 2021, []byte("plan")), []byte("plan"))
		set := func(value string, at time.Time) {
			if _, err := db.db.ExecContext(t.Context(), `INSERT INTO plan_settings (plan_id, name, value, by_user, at)
				SELECT id, $1, $2, 'office', $3 FROM plans WHERE district = '门头沟区' AND year = 2021`,
				xiezuo.SettingIndustrialStartBy, value, at); err != nil {
				t.Fatalf("insert setting: %v", err)
			}
		}
		june := time.Date(2021, 6, 1, 8, 0, 0, 0, time.UTC)
		set("2021-10-31", june)
		set("not a date", june.AddDate(0, 1, 0))
		set("2021-11-15", june.AddDate(0, 2, 0))
		for _, tt := range []struct {
			at   time.Time
			want xiezuo.Date
		}{
			{june.Add(-time.Hour), xiezuo.Date{Year: 2021, Month: 9, Day: 30}},
			{june, xiezuo.Date{Year: 2021, Month: 10, Day: 31}},
			{june.AddDate(0, 1, 1), xiezuo.Date{Year: 2021, Month: 10, Day: 31}}, // a broken value is passed over
			{june.AddDate(0, 3, 0), xiezuo.Date{Year: 2021, Month: 11, Day: 15}},
		} {
			got, err := db.IndustrialStartBy(t.Context(), "门头沟区", 2021, tt.at)
			if err != nil || got != tt.want {
				t.Errorf("IndustrialStartBy(at %v) = %v, %v, want %v", tt.at, got, err, tt.want)
			}
		}
		got, err := db.IndustrialStartBy(t.Context(), "门头沟区", 2022, june)
		if err != nil || got != (xiezuo.Date{Year: 2022, Month: 9, Day: 30}) {
			t.Errorf("IndustrialStartBy(no plan) = %v, %v, want 2022-09-30", got, err)
		}
	})
}
