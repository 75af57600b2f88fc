package gen

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
)

// demoUsers are the units the demo accounts write for.
var demoUsers = map[string]string{
	"领导小组办公室": "office", "区财政局": "caizheng", "区科技和信息化局": "kexin", "区人力社保局": "renshe", "前方挂职干部": "wuchuan",
}

// halfYearDB stores the 2021 plan with the catalogue's leading group in a fresh SQLite file and
// writes a half year up to today with seed.
func halfYearDB(t *testing.T, seed int64, today time.Time) (*sqldb.DB, HalfYearStats) {
	t.Helper()
	db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "xiezuo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	useTestAuditKey(t, db)
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "test"})
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v", err)
	}
	if _, err := db.ImportPlan(ctx, res.Plan, sample.Plan2021); err != nil {
		t.Fatal(err)
	}
	if err := db.SetGroupMembers(ctx, "门头沟区", xiezuo.CatalogueMembers()); err != nil {
		t.Fatal(err)
	}
	stats, err := WriteHalfYear(ctx, db, HalfYear{District: "门头沟区", Year: 2021, Today: today, Seed: seed, Users: demoUsers})
	if err != nil {
		t.Fatalf("WriteHalfYear = %v", err)
	}
	return db, stats
}

// facts reads back what the half year stored.
func facts(t *testing.T, db *sqldb.DB) ([]xiezuo.Report, []xiezuo.Closure, []xiezuo.Notice, []xiezuo.Freeze, []xiezuo.FreezeException) {
	t.Helper()
	ctx := t.Context()
	rs, err := db.PlanReports(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := db.PlanClosures(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := db.PlanNotices(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := db.Freezes(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	xs, err := db.FreezeExceptions(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	return rs, cs, ns, fs, xs
}

// TestHalfYear checks the generated half year: the same seed gives the same facts, another seed
// others; no fact is dated after today; the reports are a realistic mix (on time, late,
// missing; accepted, returned and resubmitted, returned and waiting, waiting for review); tasks
// past their deadline are closed; the first half year is frozen with one exception asked; the
// notices are in every state; and each demo unit has a returned report to resubmit, the
// finance bureau a notice to sign.
func TestHalfYear(t *testing.T) {
	today := time.Date(2021, 9, 15, 11, 0, 0, 0, xiezuo.Beijing)
	db1, s1 := halfYearDB(t, 1, today)
	db2, s2 := halfYearDB(t, 1, today)
	if s1 != s2 {
		t.Errorf("WriteHalfYear(seed 1) twice = %+v and %+v", s1, s2)
	}
	r1, c1, n1, f1, x1 := facts(t, db1)
	r2, c2, n2, f2, x2 := facts(t, db2)
	if diff := cmp.Diff([]any{r1, c1, n1, f1, x1}, []any{r2, c2, n2, f2, x2}); diff != "" {
		t.Errorf("WriteHalfYear(seed 1) twice differ (-first +second):\n%s", diff)
	}
	_, s3 := halfYearDB(t, 2, today)
	if s3 == s1 {
		t.Errorf("WriteHalfYear(seed 2) = %+v, the same as seed 1", s3)
	}
	t.Logf("half year (seed 1): %+v", s1)
	if s1.Reports < 100 || s1.Closures == 0 || s1.Returned == 0 || s1.Notices != 6 || s1.Freezes != 1 || s1.Exceptions != 1 {
		t.Errorf("WriteHalfYear stats = %+v, want ≥ 100 reports, closures, returns, 6 notices, 1 freeze, 1 exception", s1)
	}
	if len(r1) != s1.Reports || len(c1) != s1.Closures || len(n1) != s1.Notices {
		t.Errorf("stored %d reports, %d closures, %d notices; stats say %+v", len(r1), len(c1), len(n1), s1)
	}

	// Nothing after today, nothing before the plan's June.
	june := time.Date(2021, 6, 1, 0, 0, 0, 0, xiezuo.Beijing)
	check := func(what string, at time.Time) {
		if at.After(today) || at.Before(june) {
			t.Errorf("%s dated %v, outside [2021-06-01, today]", what, at)
		}
	}
	states := map[xiezuo.ReportState]int{}
	returnedBy := map[string]int{}
	late := 0
	for _, r := range r1 {
		for _, v := range r.Versions {
			check("report version", v.At)
		}
		for _, rv := range r.Reviews {
			check("review", rv.At)
		}
		st, _, _ := r.StateAt(today)
		states[st]++
		if st == xiezuo.ReportReturned {
			returnedBy[r.Unit]++
		}
		if first := r.Versions[0].At.In(xiezuo.Beijing); first.Day() > xiezuo.DefaultReportDay {
			late++
		}
	}
	for _, c := range c1 {
		check("closure", c.At)
	}
	noticeStates := map[xiezuo.NoticeState]int{}
	for _, n := range n1 {
		for _, s := range n.Steps {
			check("notice step", s.At)
		}
		st, _ := n.StateAt(today)
		noticeStates[st]++
		if st == xiezuo.NoticeStateIssued && n.Unit != "区财政局" {
			t.Errorf("the notice waiting to be signed is %s's, want 区财政局's (the demo's caizheng)", n.Unit)
		}
	}
	for _, st := range []xiezuo.ReportState{xiezuo.ReportAccepted, xiezuo.ReportReturned, xiezuo.ReportSubmitted} {
		if states[st] == 0 {
			t.Errorf("no report %s as of today; states %v", st, states)
		}
	}
	if late == 0 {
		t.Errorf("no report sent after the %dth", xiezuo.DefaultReportDay)
	}
	for _, st := range xiezuo.NoticeStates {
		if noticeStates[st] == 0 {
			t.Errorf("no notice %s as of today; states %v", st, noticeStates)
		}
	}
	for _, u := range []string{"区财政局", "区科技和信息化局", "区人力社保局", "前方挂职干部"} {
		if returnedBy[u] == 0 {
			t.Errorf("%s has no returned report to resubmit", u)
		}
	}
	if len(f1) != 1 || f1[0].Period.String() != "2021-H1" || !f1[0].Frozen || f1[0].Snapshot.Reports == 0 {
		t.Errorf("freezes = %+v, want 2021-H1 frozen with its June reports", f1)
	}
	if len(x1) != 1 || x1[0].StateAt(today) != xiezuo.ExceptionPending {
		t.Errorf("exceptions = %+v, want one pending", x1)
	}
	// The frozen half year still reads as it was frozen.
	if s, err := db1.PeriodSnapshot(t.Context(), "门头沟区", 2021, f1[0].Period, today); err != nil || s != f1[0].Snapshot {
		t.Errorf("PeriodSnapshot(H1, today) = %+v, %v, want the freeze's %+v", s, err, f1[0].Snapshot)
	}

	// The lights as the office sees them on the board: the duties green, red and done; yellow
	// on the parts due today (cooperating units by the 15th). A duty of the 2021 plan is never
	// yellow on 15 September under the default cadence (its next due day, the 25th or a 10月底前
	// deadline, is more than 3 days away), nor open (every duty has a due date).
	p, err := db1.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	members, _ := db1.GroupMembers(t.Context(), "门头沟区")
	b := xiezuo.Supervise(p, xiezuo.NewGroups(members, nil), xiezuo.DefaultCadence(), r1, c1, today)
	duties, parts := map[xiezuo.LightColor]int{}, map[xiezuo.LightColor]int{}
	for _, d := range b.Duties {
		duties[d.State.Light.Color]++
	}
	redLed := map[string]bool{}
	for _, d := range b.Parts {
		parts[d.State.Light.Color]++
		if d.State.Light.Color == xiezuo.LightRed && d.Role == xiezuo.DutyLead {
			redLed[d.Unit] = true
		}
	}
	t.Logf("lights on 15 September: duties %v, parts %v", duties, parts)
	for _, c := range []xiezuo.LightColor{xiezuo.LightGreen, xiezuo.LightRed, xiezuo.LightDone} {
		if duties[c] == 0 {
			t.Errorf("no duty %v on the office's board; lights %v", c, duties)
		}
	}
	if parts[xiezuo.LightYellow] == 0 {
		t.Errorf("no unit's part yellow; lights %v", parts)
	}
	for _, u := range []string{"区财政局", "区科技和信息化局", "区人力社保局"} {
		if !redLed[u] {
			t.Errorf("%s leads no red duty on 15 September", u)
		}
	}
}
