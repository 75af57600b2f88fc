package xiezuo

import (
	"strings"
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
	for key, want := range map[DutyKey]string{{DutyPoint, 11}: "工作要点第3条", {DutyTask, 22}: "任务第2项", {DutyProject, 31}: "项目“车间”"} {
		if d, _ := FindDuty(p, key); d.Number() != want {
			t.Errorf("FindDuty(%s).Number() = %q, want %q (R14)", key, d.Number(), want)
		}
	}
	if d, _ := FindDuty(p, DutyKey{DutyTask, 22}); d.Title != "任务第2项 组织领导" || len(d.Figures) != 1 || d.Figures[0].Unit != "次" {
		t.Errorf("FindDuty(task 22) = %q with figures %v", d.Title, d.Figures)
	}
}

// TestCanReadReport checks who may read a report: the office, leaders and city office; a team
// lead only on its teams' duties; the reporting unit and the unit it went to; a cadre only its
// regions' project reports and its own other reports; nobody else.
func TestCanReadReport(t *testing.T) {
	p, g := rulesPlan()
	p.Teams = []WorkTeam{{Name: "资金专班", Leads: []string{"区财政局"}}}
	r := &Report{Duty: DutyKey{DutyPoint, 11}, Unit: "区科技和信息化局", ToUnit: "区财政局"}
	user := func(unit string, roles ...string) *User {
		return &User{District: "门头沟区", Unit: unit, Username: "u", Roles: roles}
	}
	lasa := &User{District: "门头沟区", Unit: CadreUnit, Username: "lasa", Roles: []string{RoleCadre}, Regions: []string{"西藏拉萨堆龙德庆区"}}
	wuchuan := &User{District: "门头沟区", Unit: CadreUnit, Username: "wuchuan", Roles: []string{RoleCadre}, Regions: []string{"内蒙古武川县"}}
	project := &Report{Duty: DutyKey{DutyProject, 31}, Unit: CadreUnit, By: "wuchuan2"}
	cadreTask := &Report{Duty: DutyKey{DutyTask, 22}, Unit: CadreUnit, By: "lasa"}
	taskReport := &Report{Duty: DutyKey{DutyTask, 21}, Unit: "区商务局"}
	disabled := user("区财政局", RoleUnit)
	disabled.Disabled = true
	tests := []struct {
		name string
		u    *User
		r    *Report
		want bool
	}{
		{"office", user("领导小组办公室", RoleOffice), r, true},
		{"leader", user("区政府办公室", RoleLeader), r, true},
		{"city office of another district (F16)", &User{District: "北京市", Unit: "市支援合作办", Roles: []string{RoleCityOffice}}, r, true},
		{"team lead on a duty its team does not lead", user("区财政局", RoleTeamLead), taskReport, false},
		{"team lead on a duty of another team (F3)", user("区人力社保局", RoleUnit, RoleTeamLead), r, false},
		{"team lead whose team leads the point (F3)", user("区财政局", RoleTeamLead), &Report{Duty: DutyKey{DutyPoint, 11}, Unit: "区商务局"}, true},
		{"reporting unit", user("区科技和信息化局", RoleUnit), r, true},
		{"unit it went to", user("区财政局", RoleUnit), r, true},
		{"another unit", user("区商务局", RoleUnit), r, false},
		{"auditor", user("区财政局", RoleAuditor), r, false},
		{"office of another district", &User{District: "延庆区", Unit: "领导小组办公室", Roles: []string{RoleOffice}}, r, false},
		{"disabled", disabled, r, false},
		{"nobody", nil, r, false},
		{"cadre of the project's region", wuchuan, project, true},
		{"cadre of another region on a project (F2)", lasa, project, false},
		{"cadre on its own task report", lasa, cadreTask, true},
		{"cadre on another cadre's task report (F2)", wuchuan, cadreTask, false},
	}
	for _, tt := range tests {
		if got := CanReadReport(tt.u, p, g, tt.r); got != tt.want {
			t.Errorf("%s: CanReadReport = %v, want %v", tt.name, got, tt.want)
		}
	}
	point := DutyKey{DutyPoint, 11}
	for _, tt := range []struct {
		name string
		u    *User
		key  DutyKey
		role DutyRole
		want bool
	}{
		{"a unit without the duty", user("区商务局", RoleUnit), point, DutyNone, false},
		{"a cooperating unit", user("区科技和信息化局", RoleUnit), point, DutyCooperate, true},
		{"a team lead on its team's duty", user("区财政局", RoleTeamLead), point, DutyNone, true},
		{"a team lead on another duty (F3)", user("区人力社保局", RoleTeamLead), point, DutyNone, false},
		{"the city office (F16)", &User{District: "北京市", Roles: []string{RoleCityOffice}}, point, DutyNone, true},
	} {
		if got := CanListReports(tt.u, p, g, tt.key, tt.role); got != tt.want {
			t.Errorf("CanListReports(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestVisibleReport checks that a draft is the reporting unit's: others see the versions sent,
// and nothing of a report never sent (F9).
func TestVisibleReport(t *testing.T) {
	p, g := rulesPlan()
	at := func(d int) time.Time { return time.Date(2021, 9, d, 10, 0, 0, 0, time.UTC) }
	r := &Report{Duty: DutyKey{DutyPoint, 11}, Unit: "区财政局", Versions: []ReportVersion{
		{Version: 1, State: ReportSubmitted, At: at(1)}, {Version: 2, State: ReportDraft, At: at(3)}},
		Reviews: []Review{{Version: 1, Decision: DecisionReturn, At: at(2)}}}
	office := &User{District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleOffice}}
	unit := &User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}
	got, ok := VisibleReport(office, p, g, r)
	if st, v, _ := got.StateAt(at(9)); !ok || len(got.Versions) != 1 || st != ReportReturned || v != 1 {
		t.Errorf("office sees %d versions, state %s v%d; want the returned version 1 only", len(got.Versions), st, v)
	}
	if got, ok := VisibleReport(unit, p, g, r); !ok || len(got.Versions) != 2 {
		t.Errorf("the reporting unit sees %d versions, want both", len(got.Versions))
	}
	draft := &Report{Duty: r.Duty, Unit: "区财政局", Versions: r.Versions[1:]}
	if _, ok := VisibleReport(office, p, g, draft); ok {
		t.Errorf("office sees a report never sent")
	}
}

// TestNewReportRefusal checks one report per unit, duty and month (F10, R6).
func TestNewReportRefusal(t *testing.T) {
	aug := time.Date(2021, 8, 20, 10, 0, 0, 0, Beijing)
	sep := time.Date(2021, 9, 2, 10, 0, 0, 0, Beijing)
	for _, tc := range []struct {
		name   string
		latest int64
		begun  time.Time
		state  ReportState
		now    time.Time
		code   string
	}{
		{"no report yet", 0, time.Time{}, "", sep, ""},
		{"a draft of this month", 7, sep, ReportDraft, sep.Add(time.Hour), ECONFLICT},
		{"returned this month", 7, sep, ReportReturned, sep.Add(time.Hour), ECONFLICT},
		{"waiting this month", 7, sep, ReportSubmitted, sep.Add(time.Hour), ECONFLICT},
		{"accepted this month", 7, sep, ReportAccepted, sep.Add(time.Hour), ""},
		{"returned in August, now September (R6)", 7, aug, ReportReturned, sep, ""},
		{"begun on the last evening of August in Beijing", 7, time.Date(2021, 8, 31, 23, 0, 0, 0, Beijing), ReportDraft, sep, ""},
	} {
		err := NewReportRefusal(tc.latest, tc.begun, tc.state, tc.now)
		if ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want code %q", tc.name, err, tc.code)
		}
		if err != nil && !strings.Contains(ErrorMessage(err), "报告 7") {
			t.Errorf("%s: %q does not say which report to continue", tc.name, ErrorMessage(err))
		}
	}
}

// TestSelfReview checks that nobody reviews what it wrote (F8).
func TestSelfReview(t *testing.T) {
	if ErrorCode(SelfReview("office", "office")) != EFORBIDDEN || SelfReview("caizheng", "office") != nil {
		t.Errorf("SelfReview: the author may not review, someone else may")
	}
}

// TestClosedReview: on a closed (销号) duty the office may still accept a waiting report, but
// not return it — the unit could not send a new version, and the report would stay returned
// for good (N6).
func TestClosedReview(t *testing.T) {
	if err := ClosedReview(DecisionAccept); err != nil {
		t.Errorf("ClosedReview(accept) = %v, want nil", err)
	}
	err := ClosedReview(DecisionReturn)
	if ErrorCode(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), "已销号") {
		t.Errorf("ClosedReview(return) = %v, want ECONFLICT saying 已销号", err)
	}
}

func TestVersionRefusal(t *testing.T) {
	task3 := DutyKey{Kind: DutyTask, ID: 3}
	task4 := DutyKey{Kind: DutyTask, ID: 4}
	for _, c := range []struct {
		name             string
		duty             DutyKey
		unit, writer, by string
		state            ReportState
		code, message    string
	}{
		{name: "returned, own", duty: task3, unit: "区财政局", state: ReportReturned},
		{name: "draft, own", duty: task3, unit: "区财政局", state: ReportDraft},
		{name: "other duty", duty: task4, unit: "区财政局", state: ReportReturned, code: EINVALID, message: "不是该事项的报告"},
		{name: "other unit", duty: task3, unit: "区民政局", state: ReportReturned, code: EFORBIDDEN, message: "是区财政局的报告"},
		{name: "other cadre", duty: task3, unit: "区财政局", writer: "lasa", by: "wuchuan", state: ReportDraft, code: EFORBIDDEN, message: "其他挂职干部"},
		{name: "cadre's own", duty: task3, unit: "区财政局", writer: "wuchuan", by: "wuchuan", state: ReportDraft},
		{name: "accepted", duty: task3, unit: "区财政局", state: ReportAccepted, code: ECONFLICT, message: "已通过审核"},
		{name: "waiting for review", duty: task3, unit: "区财政局", state: ReportSubmitted, code: ECONFLICT, message: "等待审核"},
	} {
		err := VersionRefusal(7, c.duty, task3, c.unit, "区财政局", c.writer, c.by, c.state)
		if ErrorCode(err) != c.code || (c.message != "" && !strings.Contains(ErrorMessage(err), c.message)) {
			t.Errorf("%s: VersionRefusal = %v, want code %q with %q", c.name, err, c.code, c.message)
		}
	}
}

// TestProjectIndex finds projects by stored id whether or not the plan lists them in id order
// (a project added to a region by a later import sits among lower ids).
func TestProjectIndex(t *testing.T) {
	sorted := []Project{{ID: 3}, {ID: 5}, {ID: 9}, {ID: 12}}
	unsorted := []Project{{ID: 3}, {ID: 40}, {ID: 5}, {ID: 9}, {ID: 12}, {ID: 7}}
	tests := []struct {
		name string
		ps   []Project
		id   int64
		want int
		ok   bool
	}{
		{"first", sorted, 3, 0, true},
		{"last", sorted, 12, 3, true},
		{"missing between", sorted, 6, 0, false},
		{"missing past the end", sorted, 13, 0, false},
		{"empty", nil, 1, 0, false},
		{"out of order, high id early", unsorted, 40, 1, true},
		{"out of order, low id late", unsorted, 7, 5, true},
		{"in order part of an unsorted list", unsorted, 9, 3, true},
		{"missing from an unsorted list", unsorted, 8, 0, false},
	}
	for _, tt := range tests {
		i, ok := projectIndex(tt.ps, tt.id)
		if i != tt.want || ok != tt.ok {
			t.Errorf("%s: projectIndex(%d) = %d, %v; want %d, %v", tt.name, tt.id, i, ok, tt.want, tt.ok)
		}
	}
}
