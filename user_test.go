package xiezuo

import "testing"

func TestPermissions(t *testing.T) {
	unit := &User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}
	cadre := &User{District: "门头沟区", Unit: "前方挂职干部", Roles: []string{RoleCadre}, Regions: []string{"内蒙古武川县"}}
	office := &User{District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleOffice}}
	leader := &User{District: "门头沟区", Unit: "区政府办公室", Roles: []string{RoleLeader}}
	wuchuan := &Project{Region: "内蒙古武川县", LeadUnit: "区财政局"}
	other := &Project{Region: "神农架林区", LeadUnit: "区人力社保局"}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"unit edits its own contact", unit.CanEditUnit("门头沟区", "区财政局"), true},
		{"unit edits another unit", unit.CanEditUnit("门头沟区", "区教委"), false},
		{"unit edits its namesake in another district", unit.CanEditUnit("怀柔区", "区财政局"), false},
		{"office edits any unit", office.CanEditUnit("怀柔区", "区教委"), true},
		{"leader edits a unit", leader.CanEditUnit("门头沟区", "区政府办公室"), false},
		{"unit edits the project it leads", unit.CanEditProject("门头沟区", wuchuan), true},
		{"unit edits a project it does not lead", unit.CanEditProject("门头沟区", other), false},
		{"unit edits its namesake's project in another district", unit.CanEditProject("怀柔区", wuchuan), false},
		{"cadre edits its region's project", cadre.CanEditProject("门头沟区", wuchuan), true},
		{"cadre edits another region's project", cadre.CanEditProject("门头沟区", other), false},
		{"leader edits a project", leader.CanEditProject("门头沟区", wuchuan), false},
		{"office sees personal data", office.CanSeePersonalData(), true},
		{"unit sees personal data", unit.CanSeePersonalData(), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
