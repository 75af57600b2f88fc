package xiezuo

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// rulesPlan is a stored plan (its duties have ids): point 11 led by 区财政局 with 区科技和信息化局
// cooperating, point 12 given to 相关成员单位 led, task 21 to every member unit, task 22 led by
// the office, project 31 led by 区农业农村局 in 内蒙古武川县.
func rulesPlan() (*Plan, Groups) {
	p := &Plan{
		District: "门头沟区",
		Points: []WorkPoint{
			{ID: 11, Number: 3, Title: "资金", Units: []Responsibility{resp("区财政局", RoleLead), resp("区科技和信息化局", RoleCooperating)}},
			{ID: 12, Number: 4, Title: "交办", Units: []Responsibility{resp(GroupRelatedMembers, RoleLead)}},
		},
		Tasks: []Task{
			{ID: 21, Number: 1, WorkItem: "倾斜支持", Units: []Responsibility{resp(GroupAllMembers, RoleLead)}},
			{ID: 22, Number: 2, WorkItem: "组织领导", Units: []Responsibility{resp("领导小组办公室", RoleLead), resp("区财政局", RoleCooperating), resp("前方挂职干部", RoleCooperating)},
				Requirements: []Requirement{{Number: 1, Text: "每半年召开一次以上会议。"}}},
		},
		Projects: []Project{{ID: 31, Name: "车间", Region: "内蒙古武川县", LeadUnit: "区农业农村局"}},
	}
	g := NewGroups([]string{"区财政局", "区商务局"}, []Assignment{
		{Duty: DutyRef{DutyPoint, 4}, Units: []string{"区商务局"}, At: time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)},
	})
	return p, g
}

// TestReportRole checks who may report on a duty, and in which role.
func TestReportRole(t *testing.T) {
	p, g := rulesPlan()
	user := func(unit string, roles ...string) *User {
		return &User{District: "门头沟区", Unit: unit, Roles: roles}
	}
	point, related := DutyKey{DutyPoint, 11}, DutyKey{DutyPoint, 12}
	members, office := DutyKey{DutyTask, 21}, DutyKey{DutyTask, 22}
	project := DutyKey{DutyProject, 31}
	cadre := user("前方挂职干部", RoleCadre)
	cadre.Regions = []string{"内蒙古武川县"}
	otherCadre := user("前方挂职干部", RoleCadre)
	otherCadre.Regions = []string{"神农架林区"}
	disabled := user("区财政局", RoleUnit)
	disabled.Disabled = true
	elsewhere := user("区财政局", RoleUnit)
	elsewhere.District = "延庆区"
	tests := []struct {
		name string
		key  DutyKey
		u    *User
		want DutyRole
	}{
		{"lead unit", point, user("区财政局", RoleUnit), DutyLead},
		{"cooperating unit", point, user("区科技和信息化局", RoleUnit, RoleTeamLead), DutyCooperate},
		{"unit not named", point, user("区商务局", RoleUnit), DutyNone},
		{"leader of the named unit's name", point, user("区财政局", RoleLeader), DutyNone},
		{"disabled account", point, disabled, DutyNone},
		{"another district", point, elsewhere, DutyNone},
		{"nobody", point, nil, DutyNone},
		{"assigned unit", related, user("区商务局", RoleUnit), DutyLead},
		{"not assigned", related, user("区财政局", RoleUnit), DutyNone},
		{"member unit", members, user("区财政局", RoleUnit), DutyMember},
		{"not a member", members, user("区民政局", RoleUnit), DutyNone},
		{"office's own duty", office, user("领导小组办公室", RoleOffice), DutyLead},
		{"project lead unit", project, user("区农业农村局", RoleUnit), DutyLead},
		{"cadre of the region", project, cadre, DutyRegion},
		{"cadre of another region", project, otherCadre, DutyNone},
		{"cadre on a point that does not name the cadres", point, cadre, DutyNone},
		{"cadre on a task that names the cadres", office, cadre, DutyCooperate},
		{"office on a project", project, user("领导小组办公室", RoleOffice), DutyNone},
		{"no such duty", DutyKey{DutyTask, 99}, user("区财政局", RoleUnit), DutyNone},
		{"kind and id of another duty", DutyKey{DutyProject, 11}, user("区财政局", RoleUnit), DutyNone},
	}
	for _, tt := range tests {
		if got := ReportRole(p, tt.key, tt.u, g); got != tt.want {
			t.Errorf("ReportRole(%s, %s) = %v, want %v", tt.key, tt.name, got, tt.want)
		}
	}
}

// TestReportRouteOfDuties checks where each role's report goes: a cooperating unit's to the
// duty's lead unit, everyone else's to the office.
func TestReportRouteOfDuties(t *testing.T) {
	p, g := rulesPlan()
	tests := []struct {
		key  DutyKey
		role DutyRole
		want string
	}{
		{DutyKey{DutyPoint, 11}, DutyCooperate, "区财政局"},
		{DutyKey{DutyPoint, 11}, DutyLead, ""},
		{DutyKey{DutyPoint, 12}, DutyLead, ""},
		{DutyKey{DutyTask, 21}, DutyMember, ""},
		{DutyKey{DutyTask, 22}, DutyCooperate, "领导小组办公室"},
		{DutyKey{DutyProject, 31}, DutyRegion, ""},
	}
	for _, tt := range tests {
		d, ok := FindDuty(p, tt.key)
		if !ok {
			t.Fatalf("FindDuty(%s) not found", tt.key)
		}
		if got := ReportRoute(tt.role, d.Leads(g)); got != tt.want {
			t.Errorf("ReportRoute(%v, leads of %s) = %q, want %q", tt.role, tt.key, got, tt.want)
		}
	}
	if d, _ := FindDuty(p, DutyKey{DutyPoint, 12}); !cmp.Equal(d.Leads(g), []string{"区商务局"}) {
		t.Errorf("Leads(point 4) = %v, want the assigned unit", d.Leads(g))
	}
	if d, _ := FindDuty(p, DutyKey{DutyTask, 22}); d.Title != "任务第2项 组织领导" || len(d.Figures) != 1 || d.Figures[0].Unit != "次" {
		t.Errorf("FindDuty(task 22) = %q with figures %v", d.Title, d.Figures)
	}
}

// TestCanReadReport checks who may read a report: the office, leaders and team leads of its
// district, the reporting unit and the unit it went to; nobody else.
func TestCanReadReport(t *testing.T) {
	r := &Report{Unit: "区科技和信息化局", ToUnit: "区财政局"}
	tests := []struct {
		u    *User
		want bool
	}{
		{&User{District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleOffice}}, true},
		{&User{District: "门头沟区", Unit: "区政府办公室", Roles: []string{RoleLeader}}, true},
		{&User{District: "门头沟区", Unit: "区人力社保局", Roles: []string{RoleUnit, RoleTeamLead}}, true},
		{&User{District: "门头沟区", Unit: "区科技和信息化局", Roles: []string{RoleUnit}}, true},
		{&User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}, true},
		{&User{District: "门头沟区", Unit: "区商务局", Roles: []string{RoleUnit}}, false},
		{&User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleAuditor}}, false},
		{&User{District: "延庆区", Unit: "领导小组办公室", Roles: []string{RoleOffice}}, false},
		{&User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}, Disabled: true}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := CanReadReport(tt.u, "门头沟区", r); got != tt.want {
			t.Errorf("CanReadReport(%+v) = %v, want %v", tt.u, got, tt.want)
		}
	}
	if CanListReports(&User{District: "门头沟区", Unit: "区商务局", Roles: []string{RoleUnit}}, "门头沟区", DutyNone) {
		t.Errorf("CanListReports(a unit without the duty) = true, want false")
	}
	if !CanListReports(&User{District: "门头沟区", Unit: "区商务局", Roles: []string{RoleUnit}}, "门头沟区", DutyCooperate) {
		t.Errorf("CanListReports(a cooperating unit) = false, want true")
	}
}
