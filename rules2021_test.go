package xiezuo_test

import (
	"slices"
	"testing"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

func plan2021(t *testing.T) *xiezuo.Plan {
	t.Helper()
	r, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !r.OK() {
		t.Fatalf("parse 2021 plan: %v %v", err, r.Errors)
	}
	return r.Plan
}

// TestCoverage2021 checks the links of the 2021 plan the office found wrong: point 1 (学习贯彻)
// only mentions 干部人才 in passing, and the 组织领导 tasks 研究部署 and 调研对接 belong to a
// point that names 组织领导.
func TestCoverage2021(t *testing.T) {
	p := plan2021(t)
	rows, orphans, _ := xiezuo.Coverage(p, nil)
	linked := map[string][]int{}
	for _, r := range rows {
		for _, l := range r.Tasks {
			linked[l.Task.Category] = append(linked[l.Task.Category], r.Point.Number)
		}
	}
	if slices.Contains(linked["干部人才"], 1) {
		t.Errorf("Coverage links point 1 to 干部人才 (points %v)", linked["干部人才"])
	}
	if len(linked["干部人才"]) == 0 {
		t.Errorf("Coverage links 干部人才 to no point")
	}
	for _, c := range []string{"研究部署", "调研对接"} {
		if len(linked[c]) == 0 {
			t.Errorf("Coverage leaves %s unmatched", c)
		}
	}
	for _, o := range orphans {
		t.Logf("orphan: %s/%s", o.WorkItem, o.Category)
	}
}

// TestDuties2021 checks that the duties the 2021 plan gives the leading group's members reach
// a member unit: points 1 and 15, and the tasks 倾斜支持 and 工作创新.
func TestDuties2021(t *testing.T) {
	p := plan2021(t)
	d := xiezuo.UnitDuties(p, "区商务局", xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil))
	var points []int
	for _, x := range d.Points {
		points = append(points, x.Point.Number)
	}
	for _, n := range []int{1, 15} {
		if !slices.Contains(points, n) {
			t.Errorf("UnitDuties(区商务局) points = %v, want %d among them", points, n)
		}
	}
	var cats []string
	for _, x := range d.Tasks {
		cats = append(cats, x.Task.Category)
	}
	for _, c := range []string{"倾斜支持", "工作创新"} {
		if !slices.Contains(cats, c) {
			t.Errorf("UnitDuties(区商务局) tasks = %v, want %s among them", cats, c)
		}
	}
}
