package gen

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
)

// TestWriteLife writes the demo's project steps on the 2021 plan up to 15 September: most
// projects started, several completed, one accepted, one with its asset handed over, one
// suspended with its reason, one adjusted with its reason and 文号, one not started; none dated
// or recorded after the day; every 资产移交 after a 竣工验收, and only on a project that leaves an
// asset; the same seed gives the same steps, and on a later day the same steps and more.
func TestWriteLife(t *testing.T) {
	today := time.Date(2021, 9, 15, 11, 0, 0, 0, xiezuo.Beijing)
	write := func(today time.Time) (*sqldb.DB, LifeStats) {
		db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "xiezuo.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		useTestAuditKey(t, db)
		res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
		if err != nil || !res.OK() {
			t.Fatalf("parse sample: %v", err)
		}
		if _, err := db.ImportPlan(t.Context(), res.Plan, sample.Plan2021); err != nil {
			t.Fatal(err)
		}
		st, err := WriteLife(t.Context(), db, Life{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: demoUsers})
		if err != nil {
			t.Fatalf("WriteLife = %v", err)
		}
		return db, st
	}
	db, st := write(today)
	t.Logf("steps %d, statuses %v", st.Steps, st.Statuses)
	s := st.Statuses
	if n := s[xiezuo.StatusPlanned] + s[xiezuo.StatusStarted] + s[xiezuo.StatusCompleted] + s[xiezuo.StatusAccepted] +
		s[xiezuo.StatusHandedOver] + s[xiezuo.StatusSuspended]; n != 16 {
		t.Errorf("statuses %v count %d projects, want the 16 of the 2021 plan", s, n)
	}
	if s[xiezuo.StatusAccepted] < 1 || s[xiezuo.StatusHandedOver] < 1 || s[xiezuo.StatusSuspended] != 1 || s[xiezuo.StatusCompleted] < 3 ||
		s[xiezuo.StatusPlanned] != 1 || s[xiezuo.StatusStarted]+s[xiezuo.StatusCompleted]+s[xiezuo.StatusAccepted]+s[xiezuo.StatusHandedOver] < 12 {
		t.Errorf("statuses = %v, want most started, several completed, one accepted, one handed over, one suspended, one planned", s)
	}
	p, err := db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	projects := map[int64]xiezuo.Project{}
	for _, pr := range p.Projects {
		projects[pr.ID] = pr
	}
	all, err := db.PlanSteps(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	adjusted, n := 0, 0
	for id, steps := range all {
		accepted := false
		for _, x := range steps {
			n++
			if x.On.String() > "2021-09-15" || xiezuo.DayOf(x.At).String() > "2021-09-15" {
				t.Errorf("step %s dated %s, recorded %v: after the day", x.Kind, x.On, x.At)
			}
			switch x.Kind {
			case xiezuo.StepAdjust:
				if x.Reason != "" && x.Document != "" && (x.NewTotalInvestment.Valid || x.NewContent != "") {
					adjusted++
				}
			case xiezuo.StepSuspend:
				if x.Reason == "" {
					t.Errorf("suspension without reason")
				}
			case xiezuo.StepStart:
				if x.By != "wuchuan" {
					t.Errorf("start recorded by %s, want the cadre", x.By)
				}
			case xiezuo.StepAccept:
				accepted = true
			case xiezuo.StepHandover:
				if _, _, ok := assetKind(projects[id]); !ok || !accepted {
					t.Errorf("project %s: 资产移交 on %s (accepted before: %v), yet it leaves no asset or was not accepted", projects[id].Name, x.On, accepted)
				}
			}
		}
	}
	if adjusted != 1 || n != st.Steps {
		t.Errorf("%d adjustments with reason and 文号 (want 1), %d steps read, %d written", adjusted, n, st.Steps)
	}
	if _, again := write(today); again.Steps != st.Steps {
		t.Errorf("the same seed wrote %d steps, then %d", st.Steps, again.Steps)
	}
	// On the year's last day each project has the steps it had on 15 September, on the same days
	// and recorded at the same times, then the later ones.
	later, _ := write(time.Date(2021, 12, 31, 11, 0, 0, 0, xiezuo.Beijing))
	more, err := later.PlanSteps(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s xiezuo.ProjectStep) string {
		return fmt.Sprintf("%s@%s(%s)", s.Kind, s.On, s.At.UTC().Format(time.DateTime))
	}
	for id, steps := range all {
		var got, want []string
		for _, s := range xiezuo.StepsBy(more[id], xiezuo.NewDate(2021, 9, 14)) {
			got = append(got, day(s))
		}
		for _, s := range xiezuo.StepsBy(steps, xiezuo.NewDate(2021, 9, 14)) {
			want = append(want, day(s))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("project %s: steps by 14 September written on 31 December differ from those written on 15 September (-want +got):\n%s", projects[id].Name, diff)
		}
	}
}
