package xiezuo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRenamedProjects(t *testing.T) {
	base := func(region, name string) Project {
		return Project{Region: region, Category: "产业合作类", CategoryNumber: 1, Number: 1, Name: name,
			Nature: "新建", Content: "建设大棚", TotalInvestment: Known(1000000), DistrictFund: Known(500000),
			FundUse: "设施", Villages: Known(2), People: Known(30), Employed: Known(5),
			Implementer: "农业局", Managers: "张三", Benefit: "增收", LeadUnit: "区农业农村局", LeadUnitWritten: "区农业农村局"}
	}
	edit := func(p Project, f func(*Project)) Project { f(&p); return p }
	a, b := base("武川县", "甲项目"), base("武川县", "乙项目")
	b.Number = 2
	c := base("神农架林区", "丙项目")
	tests := []struct {
		name     string
		old, new []Project
		want     map[int]int
	}{
		{"same names: nothing renamed", []Project{a, b}, []Project{a, b}, nil},
		{"renamed in place", []Project{a, b}, []Project{a, edit(b, func(p *Project) { p.Name = "乙项目（二期）" })}, map[int]int{1: 1}},
		{"renamed with a few columns changed", []Project{a}, []Project{edit(a, func(p *Project) {
			p.Name, p.DistrictFund, p.Managers = "甲项目改", Known(600000), "李四"
		})}, map[int]int{0: 0}},
		{"renamed and most columns changed: another project", []Project{a}, []Project{edit(a, func(p *Project) {
			p.Name, p.Content, p.TotalInvestment, p.DistrictFund, p.FundUse, p.People, p.Employed, p.Implementer = "新项目", "修路", Known(1), Known(1), "路", Known(1), Known(1), "交通局"
		})}, nil},
		{"another row of the region: not the same project", []Project{a, b}, []Project{edit(b, func(p *Project) { p.Name = "丁项目" }), a}, nil},
		{"another region at the same row", []Project{a, c}, []Project{a, edit(c, func(p *Project) { p.Region, p.Name = "武川县", "戊项目" })}, nil},
		{"row position counts within the region", []Project{c, a, b}, []Project{a, c, edit(b, func(p *Project) { p.Name = "乙项目改" })}, map[int]int{2: 2}},
		{"a project removed: the next one is not its rename", []Project{a, b}, []Project{edit(b, func(p *Project) { p.Number = 1 })}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RenamedProjects(tt.old, tt.new)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("RenamedProjects() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffRename(t *testing.T) {
	p := Project{Region: "武川县", Name: "甲项目", Nature: "新建", Content: "大棚"}
	q := p
	q.Name = "甲项目（一期）"
	got := Diff(&Plan{Projects: []Project{p}}, &Plan{Projects: []Project{q}})
	var found *Change
	for i := range got {
		if got[i].Entity == EntityProject {
			found = &got[i]
		}
	}
	if found == nil || found.Kind != ChangeChanged || found.OldKey != "武川县/甲项目" || found.Key != "武川县/甲项目（一期）" {
		t.Fatalf("Diff(rename) = %+v, want one change of 武川县/甲项目 to 甲项目（一期）", got)
	}
	if note, want := found.RenameNote(), "项目“甲项目”改名为“甲项目（一期）”，联系人等关联信息保留"; note != want {
		t.Errorf("RenameNote() = %q, want %q", note, want)
	}
}
