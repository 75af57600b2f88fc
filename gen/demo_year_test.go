package gen

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
)

// demoYear is what the demo's writers stored on the 2021 plan, read back.
type demoYear struct {
	plan    *xiezuo.Plan
	steps   map[int64][]xiezuo.ProjectStep
	txs     map[int64][]xiezuo.FundTx
	results map[int64][]xiezuo.ProjectResult
	assets  []xiezuo.Asset
	pubs    map[int64][]xiezuo.Publication
}

// writeDemoYear writes the demo's year on the 2021 plan up to today in the order serve --demo
// writes it (steps, money, villages/results/assets, public notice; the half year of reports
// touches none of these facts) and reads it back.
func writeDemoYear(t *testing.T, today time.Time) demoYear {
	t.Helper()
	db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "xiezuo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	useTestAuditKey(t, db)
	db.SetClock(func() time.Time { return today })
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "test"})
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v", err)
	}
	if _, err := db.ImportPlan(ctx, res.Plan, sample.Plan2021); err != nil {
		t.Fatal(err)
	}
	const d, y = "门头沟区", 2021
	if _, err := WriteLife(ctx, db, Life{District: d, Year: y, Today: today, Seed: 1, Users: demoUsers}); err != nil {
		t.Fatalf("WriteLife = %v", err)
	}
	if _, err := WriteFunds(ctx, db, FundsDemo{District: d, Year: y, Today: today, Seed: 1, By: "office"}); err != nil {
		t.Fatalf("WriteFunds = %v", err)
	}
	if _, err := WriteReach(ctx, db, Reach{District: d, Year: y, Today: today, Seed: 1, Users: demoUsers}); err != nil {
		t.Fatalf("WriteReach = %v", err)
	}
	if _, err := WritePublic(ctx, db, d, y, today); err != nil {
		t.Fatalf("WritePublic = %v", err)
	}
	var out demoYear
	if out.plan, err = db.LoadPlan(ctx, d, y); err != nil {
		t.Fatal(err)
	}
	if out.steps, err = db.PlanSteps(ctx, d, y); err != nil {
		t.Fatal(err)
	}
	if out.txs, err = db.PlanFundTxs(ctx, d, y); err != nil {
		t.Fatal(err)
	}
	if out.results, err = db.PlanResults(ctx, d, y); err != nil {
		t.Fatal(err)
	}
	if out.assets, err = db.PlanAssets(ctx, d, y); err != nil {
		t.Fatal(err)
	}
	if out.pubs, err = db.Publications(ctx, d, y); err != nil {
		t.Fatal(err)
	}
	return out
}

// startOf is the day a project's first start step is dated, and whether it has one.
func startOf(steps []xiezuo.ProjectStep) (xiezuo.Date, bool) {
	for _, s := range steps {
		if s.Kind == xiezuo.StepStart {
			return s.On, true
		}
	}
	return xiezuo.Date{}, false
}

// stepDays are a project's steps as kind@day, for failure messages.
func stepDays(steps []xiezuo.ProjectStep) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = string(s.Kind) + "@" + s.On.String()
	}
	return out
}

// completedOrLater are the statuses of a project whose works are finished.
var completedOrLater = []xiezuo.ProjectStatus{xiezuo.StatusCompleted, xiezuo.StatusAccepted,
	xiezuo.StatusHandedOver, xiezuo.StatusAftercare, xiezuo.StatusEvaluated}

// TestDemoYearHangsTogether writes the demo's year as serve --demo does on 15 September 2021
// (and, for the rules alone, on a day of July and on the year's last day) and checks that every generated fact passes its root rule (StepRefusal, AdjustRefusal,
// CheckFundTx, CheckResult, CheckAsset) and that the facts agree with each other, each check
// naming the flaw the browser review of issue 9 found:
//   - no money paid or spent on a project not started, nor before its start step;
//   - no allocation above the project's district fund as adjusted by then, nor before the plan's issue;
//   - an asset owner named with its committee suffix once;
//   - no asset from a project that builds or buys nothing (student aid, subsidies, posts, training);
//   - no asset handed over before the project's completion, nor of a project not completed by then;
//   - no asset without its project's 资产移交 step on the asset's handover day, after a 竣工验收
//     step (the smoke review of serve --demo: an asset handed over on a project with no
//     handover step, still offered 资产移交 as its next step, and assets of projects only 已完工).
//
// Results are dated after the project's start, the public notice publishes only projects
// started or planned that day, and the year keeps one reversal, one suspended and one adjusted
// project among a mix of statuses, with one handed over.
func TestDemoYearHangsTogether(t *testing.T) {
	for _, today := range []time.Time{
		time.Date(2021, 9, 15, 10, 0, 0, 0, xiezuo.Beijing),
		time.Date(2021, 7, 10, 10, 0, 0, 0, xiezuo.Beijing),
		time.Date(2021, 12, 31, 10, 0, 0, 0, xiezuo.Beijing),
	} {
		t.Run(today.Format("2006-01-02"), func(t *testing.T) {
			checkDemoYear(t, writeDemoYear(t, today), xiezuo.DayOf(today), today.Month() == 9)
		})
	}
}

// checkDemoYear checks the demo's year y as of day; with mix, also that it holds the demo's
// mix of statuses, one reversal, results, assets and publications.
func checkDemoYear(t *testing.T, y demoYear, day xiezuo.Date, mix bool) {
	t.Helper()
	projects := map[int64]xiezuo.Project{}
	for _, pr := range y.plan.Projects {
		projects[pr.ID] = pr
	}

	// Steps: each passes the rules against the steps before it; a realistic mix.
	statuses := map[xiezuo.ProjectStatus]int{}
	adjusted := 0
	for _, pr := range y.plan.Projects {
		ss := y.steps[pr.ID]
		for i, s := range ss {
			if err := xiezuo.StepRefusal(ss[:i], s, day); err != nil {
				t.Errorf("project %d %s: step %s on %s: StepRefusal = %v", pr.ID, pr.Name, s.Kind, s.On, err)
			}
			if err := xiezuo.AdjustRefusal(pr, ss[:i], s); err != nil {
				t.Errorf("project %d %s: step %s on %s: AdjustRefusal = %v", pr.ID, pr.Name, s.Kind, s.On, err)
			}
			if s.Kind == xiezuo.StepAdjust {
				adjusted++
			}
		}
		statuses[xiezuo.StatusAt(ss, day)]++
	}
	if mix && (statuses[xiezuo.StatusSuspended] != 1 || adjusted != 1 || statuses[xiezuo.StatusPlanned] < 1 || statuses[xiezuo.StatusStarted] < 5 ||
		statuses[xiezuo.StatusCompleted]+statuses[xiezuo.StatusAccepted] < 3 || statuses[xiezuo.StatusAccepted] < 1 ||
		statuses[xiezuo.StatusCompleted] < 1 || statuses[xiezuo.StatusHandedOver] < 1) {
		t.Errorf("statuses %v with %d adjusted; want one suspended, one adjusted, several started, completed and accepted, one handed over, one planned", statuses, adjusted)
	}

	// Money.
	reversals, paid := 0, 0
	for id, list := range y.txs {
		pr, ss := projects[id], y.steps[id]
		ledger := slices.Clone(list)
		slices.SortFunc(ledger, func(a, b xiezuo.FundTx) int { return int(a.ID - b.ID) }) // as recorded
		start, started := startOf(ss)
		for i, tx := range ledger {
			if err := xiezuo.CheckFundTx(ledger[:i], tx, day); err != nil {
				t.Errorf("project %d: entry %+v: CheckFundTx = %v", id, tx, err)
			}
			if tx.Reverses != 0 {
				reversals++
			}
			switch tx.Kind {
			case xiezuo.FundAllocation:
				if xiezuo.DaysBetween(y.plan.IssuedOn, tx.On) < 0 {
					t.Errorf("project %d: allocation on %s, before the plan's issue on %s", id, tx.On, y.plan.IssuedOn)
				}
				fund := xiezuo.AdjustedProject(pr, ss, tx.On).DistrictFund
				if got := xiezuo.FundsAt(ledger, tx.On).Allocated; !fund.Valid || got > fund.V {
					t.Errorf("project %d %s: %s 万元 allocated by %s against a district fund of %s 万元", id, pr.Name,
						xiezuo.FormatWan(got), tx.On, xiezuo.FormatWan(fund.V))
				}
			default:
				paid++
				if st := xiezuo.StatusAt(ss, tx.On); !started || xiezuo.DaysBetween(start, tx.On) < 0 || st == xiezuo.StatusPlanned {
					t.Errorf("project %d %s: %s of %s 元 on %s while %s (start %s)", id, pr.Name, tx.Kind, xiezuo.FormatYuan(tx.Amount), tx.On, st.Text(), start)
				}
			}
		}
		f := xiezuo.FundsAt(ledger, day)
		if fund := xiezuo.AdjustedProject(pr, ss, day).DistrictFund; f.Allocated > fund.V {
			t.Errorf("project %d %s: %s 万元 allocated against a district fund of %s 万元", id, pr.Name, xiezuo.FormatWan(f.Allocated), xiezuo.FormatWan(fund.V))
		}
		if xiezuo.StatusAt(ss, day) == xiezuo.StatusPlanned && (f.Disbursed != 0 || f.Spent != 0) {
			t.Errorf("project %d %s is 计划 yet has %s 万元 disbursed, %s 万元 spent", id, pr.Name, xiezuo.FormatWan(f.Disbursed), xiezuo.FormatWan(f.Spent))
		}
	}
	if mix && (reversals != 1 || paid == 0) {
		t.Errorf("%d reversals and %d payments and expenditures; want one reversal among many", reversals, paid)
	}

	// Results: after the start.
	n := 0
	for id, rs := range y.results {
		start, started := startOf(y.steps[id])
		for _, r := range rs {
			n++
			if err := xiezuo.CheckResult(r, day); err != nil {
				t.Errorf("project %d: result %+v: CheckResult = %v", id, r, err)
			}
			if !started || xiezuo.DaysBetween(start, r.On) <= 0 {
				t.Errorf("project %d %s: result %s as of %s, not after its start (%s)", id, projects[id].Name, r.Kind, r.On, start)
			}
		}
	}
	if mix && n == 0 {
		t.Error("no results")
	}

	// Assets.
	for _, a := range y.assets {
		pr, ss := projects[a.ProjectID], y.steps[a.ProjectID]
		if err := xiezuo.CheckAsset(a, day); err != nil {
			t.Errorf("asset %s: CheckAsset = %v", a.Name, err)
		}
		if strings.Count(a.Owner, "委会")+strings.Count(a.Owner, "委员会") > 1 || strings.Contains(a.Owner, "村村") {
			t.Errorf("asset %s: owner %q names its committee twice", a.Name, a.Owner)
		}
		c := pr.Category
		if !(strings.Contains(c, "产业") || strings.Contains(c, "社会事业") || strings.Contains(c, "基础设施") || strings.Contains(c, "示范村")) ||
			strings.Contains(pr.Name, "资助") || strings.Contains(pr.Content, "学习用品") || strings.Contains(pr.Name, "补贴") || strings.Contains(pr.Name, "岗") {
			t.Errorf("asset %s of project %d %s (%s): such a project leaves no fixed asset", a.Name, pr.ID, pr.Name, c)
		}
		done := xiezuo.Date{}
		for _, s := range ss {
			if s.Kind == xiezuo.StepComplete {
				done = s.On
			}
		}
		if st := xiezuo.StatusAt(ss, a.HandoverOn); done.IsZero() || xiezuo.DaysBetween(done, a.HandoverOn) < 0 || !slices.Contains(completedOrLater, st) {
			t.Errorf("asset %s of project %d %s handed over %s while the project is %s (completed %s)", a.Name, pr.ID, pr.Name, a.HandoverOn, st.Text(), done)
		}
		accepted, handed := false, false
		for _, s := range ss {
			switch {
			case s.Kind == xiezuo.StepAccept && xiezuo.DaysBetween(s.On, a.HandoverOn) >= 0:
				accepted = true
			case s.Kind == xiezuo.StepHandover && s.On == a.HandoverOn && accepted:
				handed = true
			}
		}
		if !handed {
			t.Errorf("asset %s of project %d %s handed over %s: the project has no 资产移交 step that day after a 竣工验收 step (steps %v)",
				a.Name, pr.ID, pr.Name, a.HandoverOn, stepDays(ss))
		}
	}
	if mix && len(y.assets) == 0 {
		t.Error("no assets")
	}

	// Public notice: only projects started or planned that day; one withdrawn is fine.
	published := 0
	for id, ps := range y.pubs {
		for _, p := range ps {
			if !p.Published {
				continue
			}
			published++
			if st := xiezuo.StatusAt(y.steps[id], xiezuo.DayOf(p.At)); st == xiezuo.StatusSuspended || st == xiezuo.StatusCancelled {
				t.Errorf("project %d %s published on %s while %s", id, projects[id].Name, xiezuo.DayOf(p.At), st.Text())
			}
		}
	}
	if mix && published == 0 {
		t.Error("nothing published")
	}
}
