package plandoc

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got, as indented JSON, with testdata/golden/name; -update rewrites it.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./plandoc -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got); if the change is right, run go test ./plandoc -update:\n%s", name, diff)
	}
}

func parseFile(t *testing.T, path string) *Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Parse(path, data)
	if err != nil {
		t.Fatalf("Parse(%s) error: %v", path, err)
	}
	return r
}

func yuan(v int64) xiezuo.Yuan { return xiezuo.Yuan(xiezuo.Known(v * 100)) }

// TestPlan2021 checks the figures the issue names for the 2021 plan, then the whole reading
// against golden files.
func TestPlan2021(t *testing.T) {
	r, err := Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Summary()
	if len(s.Errors) != 0 || len(s.Warnings) != 0 {
		t.Errorf("Parse(2021 plan) errors = %v, warnings = %v, want none", s.Errors, s.Warnings)
	}
	got := []any{s.Year, s.District, s.WorkPoints, s.WorkTeams, s.Tasks, s.Projects}
	want := []any{2021, "门头沟区", 19, 10, 17, 16}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse(2021 plan) year, district, points, teams, tasks, projects (-want +got):\n%s", diff)
	}
	wantRegions := []xiezuo.RegionSummary{
		{Name: "内蒙古武川县", Projects: 10, TotalInvestmentYuan: yuan(3225000), DistrictFundYuan: yuan(3225000), BeneficiaryVillages: 53, BeneficiaryPeople: 3482, EmployedPeople: 1095},
		{Name: "西藏拉萨堆龙德庆区", Projects: 4, TotalInvestmentYuan: yuan(1680000), DistrictFundYuan: yuan(1680000), BeneficiaryVillages: 25, BeneficiaryPeople: 3312, EmployedPeople: 117},
		{Name: "神农架林区", Projects: 2, TotalInvestmentYuan: yuan(700000), DistrictFundYuan: yuan(700000), BeneficiaryVillages: 67, BeneficiaryPeople: 150, EmployedPeople: 125},
	}
	if diff := cmp.Diff(wantRegions, s.Regions); diff != "" {
		t.Errorf("Parse(2021 plan) regions (-want +got):\n%s", diff)
	}
	wantRel := []xiezuo.PartnerRegion{
		{Name: "内蒙古武川县", Relation: xiezuo.RelationEastWest},
		{Name: "西藏拉萨堆龙德庆区", Relation: xiezuo.RelationPaired},
		{Name: "神农架林区", Relation: xiezuo.RelationWaterDiversion},
	}
	if diff := cmp.Diff(wantRel, r.Plan.Regions); diff != "" {
		t.Errorf("Parse(2021 plan) region relations (-want +got):\n%s", diff)
	}
	golden(t, "2021-mentougou.summary.json", s)
	golden(t, "2021-mentougou.plan.json", r.Plan)
}

// TestOtherDistricts reads plans of other districts and years written with quirks of their
// own, and compares each reading with its golden file.
func TestOtherDistricts(t *testing.T) {
	tests := []struct {
		file     string
		year     int
		district string
		counts   [4]int // points, teams, tasks, projects
		warnings int
	}{
		{"2022-huairou-plan.md", 2022, "怀柔区", [4]int{4, 2, 4, 4}, 0},
		{"2023-yanqing-plan.txt", 2023, "延庆区", [4]int{3, 0, 0, 2}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := parseFile(t, filepath.Join("testdata", tt.file))
			s := r.Summary()
			if len(s.Errors) != 0 {
				t.Errorf("Parse(%s) errors = %v, want none", tt.file, s.Errors)
			}
			if len(s.Warnings) != tt.warnings {
				t.Errorf("Parse(%s) warnings = %v, want %d", tt.file, s.Warnings, tt.warnings)
			}
			got := [4]int{s.WorkPoints, s.WorkTeams, s.Tasks, s.Projects}
			if s.Year != tt.year || s.District != tt.district || got != tt.counts {
				t.Errorf("Parse(%s) = %d %s %v, want %d %s %v", tt.file, s.Year, s.District, got, tt.year, tt.district, tt.counts)
			}
			name := strings.TrimSuffix(tt.file, filepath.Ext(tt.file))
			golden(t, name+".plan.json", r.Plan)
			golden(t, name+".summary.json", s)
		})
	}
}
