package xiezuo

import (
	"slices"
	"testing"
)

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
		{"office edits any unit of its district", office.CanEditUnit("门头沟区", "区教委"), true},
		{"office edits a unit of another district", office.CanEditUnit("东城区", "区教委"), false},
		{"office edits a project of another district", office.CanEditProject("东城区", wuchuan), false},
		{"leader edits a unit", leader.CanEditUnit("门头沟区", "区政府办公室"), false},
		{"unit edits the project it leads", unit.CanEditProject("门头沟区", wuchuan), true},
		{"unit edits a project it does not lead", unit.CanEditProject("门头沟区", other), false},
		{"unit edits its namesake's project in another district", unit.CanEditProject("怀柔区", wuchuan), false},
		{"cadre edits its region's project", cadre.CanEditProject("门头沟区", wuchuan), true},
		{"cadre edits another region's project", cadre.CanEditProject("门头沟区", other), false},
		{"leader edits a project", leader.CanEditProject("门头沟区", wuchuan), false},
		{"office sees personal data", office.CanSeePersonalData("门头沟区"), true},
		{"office sees personal data of another district", office.CanSeePersonalData("东城区"), false},
		{"unit sees personal data", unit.CanSeePersonalData("门头沟区"), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestDistricts(t *testing.T) {
	office := &User{District: "门头沟区", Roles: []string{RoleOffice}}
	city := &User{District: "北京市", Roles: []string{RoleCityOffice}}
	unit := &User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}
	secadmin := &User{District: "门头沟区", Roles: []string{RoleSecAdmin}}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"office writes its district", office.CanWriteDistrict("门头沟区"), true},
		{"office writes another district", office.CanWriteDistrict("东城区"), false},
		{"office writes no district", office.CanWriteDistrict(""), false},
		{"office reads its district", office.CanReadDistrict("门头沟区"), true},
		{"office reads another district", office.CanReadDistrict("东城区"), false},
		{"unit reads another district", unit.CanReadDistrict("东城区"), false},
		{"city office reads any district", city.CanReadDistrict("东城区") && city.CanReadDistrict("门头沟区"), true},
		{"city office writes a district", city.CanWriteDistrict("东城区") || city.CanWriteDistrict("北京市"), false},
		{"city office edits a unit", city.CanEditUnit("东城区", "区财政局"), false},
		{"city office edits a project", city.CanEditProject("东城区", &Project{Region: "内蒙古武川县"}), false},
		{"city office sees personal data", city.CanSeePersonalData("东城区"), false},
		{"city office imports", city.CheckImport("东城区") == nil, false},
		{"city office in its own city still writes nothing", (&User{District: "东城区", Roles: []string{RoleCityOffice}}).CanWriteDistrict("东城区"), false},
		{"office imports its district", office.CheckImport("门头沟区") == nil, true},
		{"office imports another district", office.CheckImport("东城区") == nil, false},
		{"unit imports", unit.CheckImport("门头沟区") == nil, false},
		{"security administrator sees personal data", secadmin.CanSeePersonalData("东城区") || secadmin.CanSeePersonalData("门头沟区"), false},
		{"account without a role reads its district", (&User{District: "门头沟区"}).CanReadDistrict("门头沟区"), false},
		{"security administrator reads a plan", secadmin.CanReadDistrict("门头沟区"), false},
		{"unit reset waits", unit.ResetNeedsApproval(false), false},
		{"unit reset with a grant waiting waits", unit.ResetNeedsApproval(true), true},
		{"office reset waits", office.ResetNeedsApproval(false), true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if got, want := city.DistrictRefusal("东城区", "联系人"), "市级办公室只能查看各区的计划，不能修改或查看各区的联系人"; got != want {
		t.Errorf("city.DistrictRefusal = %q, want %q", got, want)
	}
	if got, want := office.DistrictRefusal("东城区", "联系人"), "只能修改或查看本区（门头沟区）的联系人，不能修改或查看东城区的"; got != want {
		t.Errorf("office.DistrictRefusal = %q, want %q", got, want)
	}
	if err := office.CheckImport("东城区"); ErrorMessage(err) != "只能导入本区（门头沟区）的计划，此文件是东城区的计划" || ErrorCode(err) != EFORBIDDEN {
		t.Errorf("CheckImport(东城区) = %v, want the reason, EFORBIDDEN", err)
	}
}

// TestDistrictRefusal: the refusal says the real reason: another district, the city office's
// reading only, an administrator's role, an account without a district or without a plan role,
// a role of the right district that may not write.
func TestDistrictRefusal(t *testing.T) {
	mtg := func(roles ...string) *User {
		return &User{District: "门头沟区", Unit: "领导小组办公室", Roles: roles}
	}
	for _, tt := range []struct {
		name string
		u    *User
		d    string
		want string
	}{
		{"office of another district", mtg(RoleOffice), "东城区", "只能修改或查看本区（门头沟区）的联系人，不能修改或查看东城区的"},
		{"city office", &User{District: "北京市", Roles: []string{RoleCityOffice}}, "东城区", "市级办公室只能查看各区的计划，不能修改或查看各区的联系人"},
		{"system administrator", mtg(RoleSysAdmin), "门头沟区", "系统管理员不查看计划和督查事项（三员分立），不能修改或查看联系人"},
		{"security administrator", mtg(RoleSecAdmin), "门头沟区", "安全管理员不查看计划和督查事项（三员分立），不能修改或查看联系人"},
		{"auditor", mtg(RoleAuditor), "门头沟区", "审计管理员不查看计划和督查事项（三员分立），不能修改或查看联系人"},
		{"sysadmin and auditor", mtg(RoleSysAdmin, RoleAuditor), "门头沟区", "系统管理员、审计管理员不查看计划和督查事项（三员分立），不能修改或查看联系人"},
		{"no role yet", mtg(), "门头沟区", "您的账号还没有查看计划的角色（角色申请可能在等待安全管理员批准），不能修改或查看联系人"},
		{"no district", &User{Unit: "区财政局", Roles: []string{RoleUnit}}, "门头沟区", "您的账号没有所属区县，不能修改或查看联系人；请联系系统管理员设置所属区县"},
		{"leader of the district", mtg(RoleLeader), "门头沟区", "区领导只查看本区（门头沟区）的计划和督查情况，不能修改联系人"},
		{"unit of the district", mtg(RoleUnit), "门头沟区", "只有本区（门头沟区）领导小组办公室可以修改联系人"},
	} {
		if got := tt.u.DistrictRefusal(tt.d, "联系人"); got != tt.want {
			t.Errorf("%s: DistrictRefusal = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestGrantNow(t *testing.T) {
	tests := []struct {
		held, wanted, now []string
		pending           bool
	}{
		{nil, []string{RoleUnit}, []string{RoleUnit}, false},
		{nil, []string{RoleOffice}, nil, true},
		{[]string{RoleUnit}, []string{RoleUnit, RoleOffice}, []string{RoleUnit}, true},
		{[]string{RoleOffice}, []string{RoleOffice, RoleUnit}, []string{RoleOffice, RoleUnit}, false},
		{[]string{RoleOffice, RoleUnit}, []string{RoleUnit}, []string{RoleUnit}, false},
		{[]string{RoleAuditor}, []string{RoleSysAdmin}, nil, true},
		{[]string{RoleUnit}, []string{RoleCadre}, []string{RoleCadre}, false},
	}
	for _, tt := range tests {
		now, pending := GrantNow(tt.held, tt.wanted)
		if !slices.Equal(now, tt.now) || pending != tt.pending {
			t.Errorf("GrantNow(%v, %v) = %v, %v, want %v, %v", tt.held, tt.wanted, now, pending, tt.now, tt.pending)
		}
	}
}

func TestRemovalWaits(t *testing.T) {
	tests := []struct {
		held            []string
		wasDisabled     bool
		wanted          []string
		disabled        bool
		drops, disables bool
	}{
		{[]string{RoleAuditor}, false, []string{RoleUnit}, false, true, false},
		{[]string{RoleSecAdmin}, false, []string{RoleSecAdmin}, true, false, true},
		{[]string{RoleSecAdmin}, false, []string{RoleAuditor}, true, true, true},
		{[]string{RoleAuditor}, false, []string{RoleAuditor}, false, false, false},
		{[]string{RoleAuditor}, true, []string{RoleAuditor}, true, false, false}, // stays disabled
		{[]string{RoleSecAdmin}, true, []string{RoleUnit}, true, true, false},    // a role dropped, even disabled
		{[]string{RoleSysAdmin}, false, []string{RoleUnit}, true, false, false},  // the system administrator's own: not guarded
		{[]string{RoleOffice}, false, []string{RoleUnit}, true, false, false},    // unprivileged change
		{[]string{RoleUnit}, false, []string{RoleAuditor}, false, false, false},  // a grant: GrantNow's
	}
	for _, tt := range tests {
		drops, disables := RemovalWaits(tt.held, tt.wasDisabled, tt.wanted, tt.disabled)
		if drops != tt.drops || disables != tt.disables {
			t.Errorf("RemovalWaits(%v, %v, %v, %v) = %v, %v, want %v, %v", tt.held, tt.wasDisabled, tt.wanted, tt.disabled, drops, disables, tt.drops, tt.disables)
		}
	}
}

func TestCheckRoles(t *testing.T) {
	tests := []struct {
		roles    []string
		district string
		ok       bool
	}{
		{[]string{RoleOffice}, "门头沟区", true},
		{[]string{RoleOffice}, "", false},
		{[]string{RoleOffice}, "未设置", false},
		{[]string{RoleCityOffice}, "北京市", true},
		{[]string{RoleOffice, RoleCityOffice}, "门头沟区", false},
		{[]string{RoleSysAdmin, RoleOffice}, "门头沟区", false},
		{[]string{RoleSysAdmin}, "未设置", true},
		{[]string{RoleUnit, RoleTeamLead}, "门头沟区", true},
	}
	for _, tt := range tests {
		if err := CheckRoles(tt.roles, tt.district); (err == nil) != tt.ok {
			t.Errorf("CheckRoles(%v, %q) = %v, want ok = %v", tt.roles, tt.district, err, tt.ok)
		}
	}
}

func TestAuditDistrict(t *testing.T) {
	tests := []struct {
		name     string
		u        User
		district string
		all      bool
	}{
		{"auditor reads all", User{District: "门头沟区", Roles: []string{RoleAuditor}}, "", true},
		{"office reads its district", User{District: "门头沟区", Roles: []string{RoleOffice}}, "门头沟区", false},
		{"office and auditor reads all", User{District: "门头沟区", Roles: []string{RoleOffice, RoleAuditor}}, "", true},
	}
	for _, tt := range tests {
		d, all := tt.u.AuditDistrict()
		if d != tt.district || all != tt.all {
			t.Errorf("%s: AuditDistrict() = %q, %v; want %q, %v", tt.name, d, all, tt.district, tt.all)
		}
	}
}
