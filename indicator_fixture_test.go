package xiezuo_test

import (
	"fmt"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

// fixture2021 is the 2021 plan (projects numbered 1…16) with a generated year of registers
// through 2021-12-31 (seed 2021), its projects' steps and results, and money by the steps.
func fixture2021(t testing.TB) xiezuo.ScoreData {
	t.Helper()
	r, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !r.OK() {
		t.Fatalf("parse 2021 plan: %v", err)
	}
	p := r.Plan
	for i := range p.Projects {
		p.Projects[i].ID = int64(i + 1)
	}
	end := xiezuo.NewDate(2021, 12, 31)
	entries := gen.RegisterYear(p, end, 2021)
	for i := range entries {
		entries[i].ID, entries[i].Entry = int64(i+1), int64(i+1)
	}
	steps := gen.StepsYear(p, end)
	funds := map[int64][]xiezuo.FundTx{}
	for i, tx := range gen.FundTxsBySteps(p, steps, end, 4, 2021) {
		tx.ID = int64(i + 1)
		funds[tx.ProjectID] = append(funds[tx.ProjectID], tx)
	}
	return xiezuo.ScoreData{Plan: p, Entries: entries, Steps: steps, Funds: funds, Results: gen.ResultsYear(p, steps),
		Placements: placements2021(p.Regions[0].Name)}
}

// placements2021 are a few placements of people of region (武川县, 150125): as of 2021-12-31
// four people at work in the year (one of them twice), two of them poor, two local, three
// stable; a withdrawn placement and one of 2020 do not count.
func placements2021(region string) []xiezuo.Placement {
	d := func(s string) xiezuo.Date { return pday(s) }
	pl := func(id, person int64, poor, place, start, end string) xiezuo.Placement {
		p := xiezuo.Placement{ID: id, District: "门头沟区", PersonID: person, Employer: fmt.Sprintf("用工单位%d", id), PlaceCode: place,
			Start: d(start), Poor: poor, HomeCode: "150125", Region: region, Source: xiezuo.PlacementRecorded, Name: "张*"}
		if end != "" {
			p.End = d(end)
		}
		return p
	}
	withdrawn := pl(6, 4, "", "110109", "2021-05-01", "")
	withdrawn.Supersedes, withdrawn.Withdrawn = 5, true
	corrected := pl(9, 6, xiezuo.PoorLifted, "150121", "2021-02-01", "")
	corrected.Supersedes = 8
	return []xiezuo.Placement{
		pl(1, 1, xiezuo.PoorLifted, "110109", "2021-03-01", ""),
		pl(2, 2, xiezuo.PoorWatched, "150102", "2021-11-15", ""),
		pl(3, 3, "", "120101", "2021-04-01", "2021-05-20"),
		pl(4, 3, "", "110105", "2021-06-01", ""),
		pl(5, 4, "", "110109", "2021-05-01", ""),
		withdrawn,
		pl(7, 5, xiezuo.PoorLifted, "110109", "2020-06-01", "2020-12-31"),
		pl(8, 6, xiezuo.PoorLifted, "110105", "2021-02-01", ""),
		corrected,
	}
}

// TestScoreFixture2021 fixes the value, target and light of every shipped indicator on the
// fixture as of 2021-12-31, scored by dimension.
func TestScoreFixture2021(t *testing.T) {
	d := fixture2021(t)
	card := xiezuo.Score(xiezuo.ShippedIndicators(2021), d, xiezuo.NewDate(2021, 12, 31), xiezuo.ByDimension)
	want := map[string]string{
		"zzld-01": "1 / 1 green",
		"zzld-02": "1 / 1 green",
		"zzld-03": "2 / 1 green",
		"zzld-04": "1 / 1 green",
		"zzld-05": "2 / 3 red",
		"zzld-06": "1 / 1 green",
		"zzld-07": "2 / 1 green",
		"zzld-08": "1 / 1 green",
		"zzld-09": "2 / 1 green",
		"zzld-10": "1 / 1 green",
		"zzld-11": "1 / 1 green",
		"zzld-12": "1 / 1 green",
		"zzld-13": "1 / 1 green",
		"zzld-14": "1 / 1 green",
		"zzld-15": "1 / 1 green",
		"zzld-16": "0 / 1 red",
		"zzld-17": "100 / 100 green",
		"zzld-18": "1 / 0 red",
		"gg-01":   "93 / — grey",
		"gg-02":   "99.63 / 100 red",
		"gg-07":   "4 / — grey",
		"gg-08":   "2 / — grey",
		"gg-09":   "2 / — grey",
		"gg-10":   "3 / — grey",
		"gg-05":   "30.32 / 30 green",
		"gg-06":   "4 / 7 red",
		"qy-01":   "1 / 1 green",
		"qy-02":   "2 / 1 green",
		"qy-03":   "3 / 1 green",
		"qy-04":   "86 / — grey",
		"zx-01":   "2 / 1 green",
		"zx-02":   "3 / 1 green",
		"zx-03":   "881 / — grey",
		"zx-04":   "560.5 / — grey",
		"zx-05":   "64 / — grey",
		"zx-06":   "1 / 3 red",
		"zx-07":   "87.5 / 100 red",
		"zx-08":   "93.75 / — grey",
		"zx-09":   "2 / 1 green",
		"cx-01":   "2 / 1 green",
		"cx-02":   "5 / 1 green",
		"xx-01":   "8 / 10 red",
		"xx-02":   "7 / 10 red",
		"xx-03":   "1 / 1 green",
		"xx-04":   "0 / 1 yellow",
		"xx-05":   "4 / 1 green",
	}
	rows := card.Rows()
	if len(rows) != len(want) {
		t.Errorf("Score: %d rows, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		got := fmt.Sprintf("%s / %s %s", r.Value, r.Target, r.Light)
		if got != want[r.Indicator.Code] {
			t.Errorf("%s (%s) = %s, want %s", r.Indicator.Code, r.Indicator.Name, got, want[r.Indicator.Code])
		}
	}
	var dims []string
	for _, g := range card.Groups {
		dims = append(dims, g.Name)
	}
	if fmt.Sprint(dims) != fmt.Sprint(xiezuo.Dimensions) {
		t.Errorf("groups %v, want %v", dims, xiezuo.Dimensions)
	}
}

// TestShippedCoversTaskList2021: every quantified requirement of the 2021 task list (and the
// work points' measurable promises) has its indicator, linked to its task.
func TestShippedCoversTaskList2021(t *testing.T) {
	p := plan2021(t)
	set := xiezuo.ShippedIndicators(2021)
	for _, tc := range []struct{ category, formula, due string }{
		{"研究部署", "区委书记或区长研究部署会", "2021-06-30"},
		{"研究部署", "区委书记或区长研究部署会", "2021-10-31"},
		{"研究部署", "分管区领导协调推进会", "2021-06-30"},
		{"研究部署", "分管区领导协调推进会", "2021-10-31"},
		{"调研对接", "level = \"区委书记或区长\"", "2021-08-31"},
		{"调研对接", "联席会议", "2021-08-31"},
		{"调研对接", "grassroots", ""},
		{"政策文件", "policies", "2021-10-31"},
		{"结对帮扶", "结对帮扶协议", ""},
		{"结对帮扶", "内蒙古武川县", ""},
		{"结对帮扶", "\"镇街\"", ""}, {"结对帮扶", "村（社区）", ""}, {"结对帮扶", "\"学校\"", ""},
		{"结对帮扶", "\"医院\"", ""}, {"结对帮扶", "\"企业\"", ""}, {"结对帮扶", "\"社会组织\"", ""},
		{"问题整改", "on_time", ""},
		{"资金项目", "started = \"是\"", "2021-09-30"},
		{"资金项目", "finished_on_time", ""},
		{"资金项目", "projects.fund", ""},
		{"资金项目", "donations.total", ""},
		{"消费帮扶", "purchases.partner", ""},
		{"共建产业园", "共建产业园区", ""},
		{"共建产业园", "帮扶车间", ""},
		{"引导企业", "firms", ""},
		{"干部人才", "党政干部", ""},
		{"干部人才", "kind != \"党政干部\"", ""},
		{"干部人才", "trainings", ""},
		{"打造乡村振兴示范村", "demo-villages", ""},
		{"就业帮扶", "poor_employed", ""},
		{"就业帮扶", "distinct(placements.person)", ""},
		{"就业帮扶", "placements.person where poor = \"是\"", ""},
		{"就业帮扶", "placements.person where local = \"是\"", ""},
		{"就业帮扶", "placements.person where stable = \"是\"", ""},
		{"信息报送", "典型案例", ""},
		{"信息报送", "\"信息\"", ""},
		{"信息报送", "半年工作总结", ""},
		{"信息报送", "年度工作总结", ""},
		{"媒体宣传", "media", ""},
		{"工作创新", "kind = \"典型案例\" and adopted in", ""},
		{"工作创新", "donations.donor", ""},
	} {
		found := false
		for _, in := range set {
			if in.Category == tc.category && strings.Contains(in.Formula, tc.formula) && (tc.due == "" || in.Due == tc.due) {
				found = true
				hasTask := false
				for _, task := range p.Tasks {
					hasTask = hasTask || task.Category == in.Category && task.WorkItem == in.WorkItem
				}
				if !hasTask {
					t.Errorf("%s names task %s/%s, not in the plan", in.Code, in.WorkItem, in.Category)
				}
			}
		}
		if !found {
			t.Errorf("no indicator of %s counting %s due %s", tc.category, tc.formula, tc.due)
		}
	}
	for _, in := range set {
		if in.Requirement == "" || in.Evidence == "" {
			t.Errorf("%s without requirement or evidence text", in.Code)
		}
	}
}

// BenchmarkScoreFixture2021 scores the shipped set on the fixture, by dimension.
func BenchmarkScoreFixture2021(b *testing.B) {
	d := fixture2021(b)
	set := xiezuo.ShippedIndicators(2021)
	b.ReportAllocs()
	for range b.N {
		xiezuo.Score(set, d, xiezuo.NewDate(2021, 12, 31), xiezuo.ByDimension)
	}
}
