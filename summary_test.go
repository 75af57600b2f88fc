package xiezuo

import "testing"

// TestSummarizeVillages checks that villages, distinct counts, are never summed within a region.
func TestSummarizeVillages(t *testing.T) {
	p := &Plan{
		Projects: []Project{
			{Region: "甲县", Category: "产业合作类", Villages: Known(3), People: Known(10), DistrictFund: Known(100)},
			{Region: "甲县", Category: "产业合作类", Villages: Known(3), People: Known(5)},
			{Region: "乙县", Category: "劳务协作类", Villages: Known(2), People: Known(7), DistrictFund: Known(50)},
			{Region: "丙县", Category: "劳务协作类", Villages: Known(1)},
		},
		Subtotals: []Subtotal{
			{Level: LevelRegion, Region: "甲县", Villages: Known(4)},
			{Level: LevelCategory, Region: "乙县", Category: "劳务协作类", Villages: Known(5)},
		},
	}
	s := Summarize(p)
	got := []int64{s.Regions[0].BeneficiaryVillages, s.Regions[1].BeneficiaryVillages, s.Regions[2].BeneficiaryVillages, s.Totals.BeneficiaryVillages}
	want := []int64{4, 5, 1, 10}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Summarize villages = %v, want %v", got, want)
		}
	}
	if s.Regions[0].BeneficiaryPeople != 15 || s.Regions[0].DistrictFundYuan.V != 100 || s.Regions[2].DistrictFundYuan.V != 0 || !s.Regions[2].DistrictFundYuan.Valid {
		t.Errorf("Summarize region figures = %+v", s.Regions)
	}
	p.Subtotals = append(p.Subtotals, Subtotal{Level: LevelTotal, Villages: Known(9)})
	if s := Summarize(p); s.Totals.BeneficiaryVillages != 9 {
		t.Errorf("Summarize total villages = %d, want the total row's 9", s.Totals.BeneficiaryVillages)
	}
}

func TestLookupUnit(t *testing.T) {
	tests := []struct {
		in, name, kind string
		known          bool
	}{
		{"区科信局", "区科技和信息化局", KindDepartment, true},
		{"区科技和信息化局等", "区科技和信息化局", KindDepartment, true},
		{"区人力资源和社会保障局", "区人力社保局", KindDepartment, true},
		{"前方挂职干部", "前方挂职干部", KindCadre, true},
		{"各镇（街道）", "各镇街", KindGroup, true},
		{"区妇联", "区妇联", KindSocial, true},
		{"各街道", "各街道", KindGroup, true},
		{"各乡镇", "各镇街", KindGroup, true},
		{"各街乡", "各街乡", KindGroup, true},
		{"城子街道", "城子街道", KindTown, false},
		{"门头沟区第一中学", "门头沟区第一中学", KindSchool, false},
		{"区医院", "区医院", KindHospital, false},
		{"北京某某集团有限公司", "北京某某集团有限公司", KindEnterprise, false},
	}
	for _, tt := range tests {
		u, known := LookupUnit(tt.in)
		if u.Name != tt.name || u.Kind != tt.kind || known != tt.known {
			t.Errorf("LookupUnit(%q) = %q %q %v, want %q %q %v", tt.in, u.Name, u.Kind, known, tt.name, tt.kind, tt.known)
		}
	}
}

func TestSummaryRecognised(t *testing.T) {
	tests := []struct {
		in   Summary
		want bool
	}{
		{Summary{}, false},
		{Summary{File: "计划.csv", Errors: []Problem{{Line: 1, Message: "没有找到"}}}, false},
		{Summary{Year: 2021}, true},
		{Summary{District: "门头沟区"}, true},
		{Summary{Projects: 1}, true},
		{Summary{Tasks: 1}, true},
		{Summary{WorkPoints: 1}, true},
		{Summary{WorkTeams: 1}, true},
	}
	for _, tt := range tests {
		if got := tt.in.Recognised(); got != tt.want {
			t.Errorf("%+v.Recognised() = %v, want %v", tt.in, got, tt.want)
		}
	}
}
