package web

import (
	"testing"

	"xiezuo"
	"xiezuo/sqldb"
)

// dutyOf is the key of the 2021 plan's task or work point number n as newEnv stores it.
func dutyOf(t *testing.T, e *env, kind xiezuo.DutyKind, n int) xiezuo.DutyKey {
	t.Helper()
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	switch kind {
	case xiezuo.DutyTask:
		for _, x := range p.Tasks {
			if x.Number == n {
				return xiezuo.DutyKey{Kind: kind, ID: x.ID}
			}
		}
	case xiezuo.DutyPoint:
		for _, x := range p.Points {
			if x.Number == n {
				return xiezuo.DutyKey{Kind: kind, ID: x.ID}
			}
		}
	}
	t.Fatalf("the 2021 plan has no %s %d", kind, n)
	return xiezuo.DutyKey{}
}

// reportFixture stores caizheng's report on task 13 (资金项目, led by 区财政局), submitted to
// the office, and returns the duty and the report.
func reportFixture(t *testing.T, e *env) (xiezuo.DutyKey, xiezuo.Report) {
	t.Helper()
	key := dutyOf(t, e, xiezuo.DutyTask, 13)
	u := e.users["caizheng"]
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit})
	rep, err := e.db.SubmitReport(ctx, sqldb.ReportWrite{Duty: key, Unit: u.Unit, State: xiezuo.ReportSubmitted,
		Values: xiezuo.ReportValues{Text: "已下达帮扶资金。"}})
	if err != nil {
		t.Fatalf("SubmitReport(fixture) = %v", err)
	}
	return key, rep
}
