package xiezuo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProjectsCovered(t *testing.T) {
	pr := func(region, name string) Project { return Project{Region: region, Name: name} }
	total := Subtotal{Level: LevelTotal, Label: "合计"}
	region := func(r string) Subtotal { return Subtotal{Level: LevelRegion, Region: r, Label: r} }
	stored := &Plan{
		Projects:  []Project{pr("武川县", "甲"), pr("武川县", "乙"), pr("神农架林区", "丙")},
		Subtotals: []Subtotal{total, region("武川县"), region("神农架林区")},
	}
	tests := []struct {
		name     string
		doc, old *Plan
		want     TableCoverage
	}{
		{"no project table", &Plan{Points: []WorkPoint{{Number: 1}}}, stored, CoversNoProjects},
		{"first import", &Plan{Projects: []Project{pr("武川县", "甲")}}, nil, CoversAllProjects},
		{"nothing stored yet", &Plan{Projects: []Project{pr("武川县", "甲")}}, &Plan{Points: []WorkPoint{{Number: 1}}}, CoversAllProjects},
		{"whole table: 合计 and every region", &Plan{Projects: []Project{pr("武川县", "甲"), pr("神农架林区", "丙")},
			Subtotals: []Subtotal{total, region("武川县"), region("神农架林区")}}, stored, CoversAllProjects},
		{"filtered to one region: no 合计", &Plan{Projects: []Project{pr("神农架林区", "丙")},
			Subtotals: []Subtotal{region("神农架林区")}}, stored, CoversSomeProjects},
		{"filtered to some regions: 合计 but a region missing", &Plan{Projects: []Project{pr("武川县", "甲")},
			Subtotals: []Subtotal{total, region("武川县")}}, stored, CoversSomeProjects},
		{"the whole plan as issued, without a 合计 row", &Plan{Points: []WorkPoint{{Number: 1}}, Projects: []Project{pr("武川县", "甲")},
			Subtotals: []Subtotal{region("武川县")}}, stored, CoversAllProjects},
		{"rows without any subtotal (a CSV extract)", &Plan{Projects: []Project{pr("武川县", "甲"), pr("神农架林区", "丙")}}, stored, CoversSomeProjects},
		{"a stored region with a subtotal and no project", &Plan{Projects: []Project{pr("武川县", "甲")}, Subtotals: []Subtotal{total}},
			&Plan{Projects: []Project{pr("武川县", "甲")}, Subtotals: []Subtotal{total, region("武川县"), region("神农架林区")}}, CoversSomeProjects},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProjectsCovered(tt.doc, tt.old); got != tt.want {
				t.Errorf("ProjectsCovered() = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestKeepMissingPartsFiltered: a download filtered to 神农架林区, edited and imported back,
// updates and adds its rows and keeps every other project and subtotal.
func TestKeepMissingPartsFiltered(t *testing.T) {
	pr := func(region, name, managers string) Project {
		return Project{Region: region, Name: name, Managers: managers}
	}
	total := Subtotal{Level: LevelTotal, Label: "合计", Count: Known(3)}
	wuchuan := Subtotal{Level: LevelRegion, Region: "武川县", Label: "武川县", Count: Known(2)}
	snj := Subtotal{Level: LevelRegion, Region: "神农架林区", Label: "神农架林区", Count: Known(1)}
	old := &Plan{
		Points:    []WorkPoint{{Number: 1, Title: "要点"}},
		Projects:  []Project{pr("武川县", "甲", ""), pr("神农架林区", "丙", ""), pr("武川县", "乙", "")},
		Subtotals: []Subtotal{total, wuchuan, snj},
		Regions:   []PartnerRegion{{Name: "武川县", Relation: RelationEastWest}, {Name: "神农架林区", Relation: RelationWaterDiversion}},
	}
	snj2 := snj
	snj2.Count = Known(2)
	doc := &Plan{
		Projects:  []Project{pr("神农架林区", "丙", "王五"), pr("神农架林区", "丁", "")},
		Subtotals: []Subtotal{snj2},
		Regions:   []PartnerRegion{{Name: "神农架林区"}},
	}
	doc.KeepMissingParts(old)
	want := &Plan{
		Points:    old.Points,
		Projects:  []Project{pr("武川县", "甲", ""), pr("神农架林区", "丙", "王五"), pr("神农架林区", "丁", ""), pr("武川县", "乙", "")},
		Subtotals: []Subtotal{total, wuchuan, snj},
		Regions:   old.Regions,
	}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("KeepMissingParts(filtered) mismatch (-want +got):\n%s", diff)
	}
	for _, c := range Diff(old, doc) {
		if c.Kind == ChangeRemoved {
			t.Errorf("Diff after a filtered import removes %s「%s」, want nothing removed", c.Entity, c.Key)
		}
	}
}
