package xiezuo

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func resp(unit string, role Role) Responsibility {
	return Responsibility{Unit: unit, Written: unit, Role: role}
}

// TestUnitRole checks how a unit answers for a duty: named, or through a group name.
func TestUnitRole(t *testing.T) {
	day := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	g := NewGroups([]string{"区财政局", "区商务局"}, []Assignment{
		{Duty: DutyRef{DutyPoint, 2}, Units: []string{"区商务局"}, At: day},
		{Duty: DutyRef{DutyPoint, 2}, Units: []string{"区财政局"}, At: day.Add(time.Hour)},
		{Duty: DutyRef{DutyPoint, 2}, Units: []string{"区民政局"}, At: day.Add(-time.Hour)}, // older: ignored
	})
	all := []Responsibility{resp("领导小组办公室", RoleLead), resp(GroupAllMembers, RoleCooperating)}
	related := []Responsibility{resp("区委组织部", RoleLead), resp(GroupRelatedMembers, RoleCooperating)}
	tests := []struct {
		rs   []Responsibility
		ref  DutyRef
		unit string
		want DutyRole
	}{
		{all, DutyRef{DutyPoint, 1}, "领导小组办公室", DutyLead},
		{all, DutyRef{DutyPoint, 1}, "区财政局", DutyCooperate},
		{all, DutyRef{DutyPoint, 1}, "区民政局", DutyNone}, // not a member
		{all, DutyRef{DutyPoint, 1}, "", DutyNone},
		{related, DutyRef{DutyPoint, 2}, "区财政局", DutyCooperate}, // named by the latest assignment
		{related, DutyRef{DutyPoint, 2}, "区商务局", DutyNone},      // assignment replaced
		{related, DutyRef{DutyPoint, 3}, "区财政局", DutyNone},      // not assigned yet
		{related, DutyRef{DutyPoint, 2}, "区委组织部", DutyLead},
		{[]Responsibility{resp("区财政局", RoleLead), resp(GroupAllMembers, RoleCooperating)}, DutyRef{DutyTask, 1}, "区财政局", DutyLead}, // named wins
	}
	for _, tt := range tests {
		if got := UnitRole(tt.rs, tt.ref, tt.unit, g); got != tt.want {
			t.Errorf("UnitRole(%v, %v, %q) = %v, want %v", tt.rs, tt.ref, tt.unit, got, tt.want)
		}
	}
}

// TestUnitDutiesGroups checks that duties given to the leading group's members reach each member
// unit, and that duties given to 相关成员单位 wait on the office's list until it names units.
func TestUnitDutiesGroups(t *testing.T) {
	p := &Plan{
		Points: []WorkPoint{
			{Number: 1, Units: []Responsibility{resp("领导小组办公室", RoleLead), resp(GroupAllMembers, RoleCooperating)}},
			{Number: 2, Units: []Responsibility{resp("区委组织部", RoleLead), resp(GroupRelatedMembers, RoleCooperating)}},
			{Number: 3, Units: []Responsibility{resp("区商务局", RoleLead)}},
		},
		Tasks: []Task{
			{Number: 1, Category: "倾斜支持", Units: []Responsibility{resp(GroupAllMembers, RoleLead)}},
			{Number: 2, Category: "问题整改", Units: []Responsibility{resp(GroupRelatedMembers, RoleCooperating)}},
		},
		Projects: []Project{{Name: "甲", LeadUnit: "区商务局"}},
		Teams:    []WorkTeam{{Name: "消费帮扶专班", Leads: []string{"区商务局"}}},
	}
	g := NewGroups([]string{"区商务局"}, nil)
	d := UnitDuties(p, "区商务局", g)
	var got []string
	for _, x := range d.Points {
		got = append(got, "point", x.Role.String())
	}
	for _, x := range d.Tasks {
		got = append(got, x.Task.Category, x.Role.String())
	}
	want := []string{"point", "配合", "point", "牵头", "倾斜支持", "各成员单位"} // given to every member: none leads it
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UnitDuties(区商务局) (-want +got):\n%s", diff)
	}
	if len(d.Projects) != 1 || len(d.Teams) != 1 {
		t.Errorf("UnitDuties(区商务局) projects %d teams %d, want 1 and 1", len(d.Projects), len(d.Teams))
	}
	if diff := cmp.Diff([]DutyRef{{DutyPoint, 2}, {DutyTask, 2}}, ToAssign(p, g)); diff != "" {
		t.Errorf("ToAssign before assigning (-want +got):\n%s", diff)
	}
	g = NewGroups(g.Members, []Assignment{{Duty: DutyRef{DutyTask, 2}, Units: []string{"区商务局"}}})
	if diff := cmp.Diff([]DutyRef{{DutyPoint, 2}}, ToAssign(p, g)); diff != "" {
		t.Errorf("ToAssign after assigning task 2 (-want +got):\n%s", diff)
	}
	if d := UnitDuties(p, "区商务局", g); len(d.Tasks) != 2 {
		t.Errorf("UnitDuties(区商务局) after assigning task 2: %d tasks, want 2", len(d.Tasks))
	}
}

// TestDeadlineLight is the table of a deadline's lights.
func TestDeadlineLight(t *testing.T) {
	d := func(s string) Date { x, _ := ParseDate(s); return x }
	today := d("2021-06-20")
	tests := []struct {
		dl   Deadline
		want Light
		text string
	}{
		{Deadline{Text: "持续推进"}, Light{LightOpen, 0}, "按计划推进"},
		{Deadline{Dates: []Date{d("2021-06-30")}}, Light{LightGreen, 10}, "还有 10 天"},
		{Deadline{Dates: []Date{d("2021-06-27")}}, Light{LightYellow, 7}, "7 天后到期"},
		{Deadline{Dates: []Date{d("2021-06-20")}}, Light{LightYellow, 0}, "今天到期"},
		{Deadline{Dates: []Date{d("2021-06-19")}}, Light{LightRed, 0}, "已过期"},
		{Deadline{Dates: []Date{d("2021-06-01"), d("2021-12-31")}}, Light{LightGreen, 194}, "还有 194 天"},
	}
	for _, tt := range tests {
		got := DeadlineLight(tt.dl, today, 7)
		if got != tt.want || got.Text() != tt.text {
			t.Errorf("DeadlineLight(%v) = %v %q, want %v %q", tt.dl, got, got.Text(), tt.want, tt.text)
		}
	}
}

// TestCoverage is the table of how tasks link to work points.
func TestCoverage(t *testing.T) {
	p := &Plan{
		Points: []WorkPoint{
			{Number: 1, Title: "深入学习贯彻新精神", Text: "深入学习贯彻新精神。引导干部人才学懂弄通。", Units: []Responsibility{resp("甲", RoleLead)}},
			{Number: 2, Title: "健全工作机制", Text: "健全工作机制。健全完善组织领导机制。", Units: []Responsibility{resp("甲", RoleLead)}},
			{Number: 3, Title: "做好干部人才交流", Text: "做好干部人才交流。"},
			{Number: 4, Title: "加强消费协作", Text: "加强消费协作。做好消费帮扶。", Units: []Responsibility{resp("甲", RoleLead)}},
		},
		Tasks: []Task{
			{Number: 1, WorkItem: "组织领导", Category: "研究部署", Units: []Responsibility{resp("甲", RoleLead)}},
			{Number: 2, WorkItem: "助推乡村振兴", Category: "干部人才", Units: []Responsibility{resp("甲", RoleLead)}},
			{Number: 3, WorkItem: "消费协作", Category: "消费帮扶", Units: []Responsibility{resp("甲", RoleLead)}},
			{Number: 4, WorkItem: "其他", Category: "无关"},
		},
	}
	type link struct {
		Point, Task int
		How         LinkHow
	}
	flat := func(rows []PointCoverage) []link {
		var ls []link
		for _, r := range rows {
			for _, l := range r.Tasks {
				ls = append(ls, link{r.Point.Number, l.Task.Number, l.How})
			}
		}
		return ls
	}
	rows, orphans, gaps := Coverage(p, nil)
	want := []link{{2, 1, LinkWords}, {3, 2, LinkNamed}, {4, 3, LinkWords}}
	if diff := cmp.Diff(want, flat(rows)); diff != "" {
		t.Errorf("Coverage links (-want +got):\n%s", diff)
	}
	if len(orphans) != 1 || orphans[0].Number != 4 || gaps != 2 {
		t.Errorf("Coverage orphans %v gaps %d, want task 4 and 2 gaps", orphans, gaps)
	}
	day := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	rows, orphans, _ = Coverage(p, []CoverageOverride{
		{Point: 4, Task: 3, Linked: false, At: day},
		{Point: 1, Task: 3, Linked: true, At: day},
		{Point: 1, Task: 4, Linked: true, At: day},
		{Point: 1, Task: 4, Linked: false, At: day.Add(-time.Hour)}, // older: ignored
	})
	want = []link{{1, 3, LinkOffice}, {1, 4, LinkOffice}, {2, 1, LinkWords}, {3, 2, LinkNamed}}
	if diff := cmp.Diff(want, flat(rows)); diff != "" {
		t.Errorf("Coverage links with overrides (-want +got):\n%s", diff)
	}
	if len(orphans) != 0 {
		t.Errorf("Coverage orphans with overrides = %v, want none", orphans)
	}
}

// TestTeamDuties checks a team's duties: those its lead units lead, with the other units named.
func TestTeamDuties(t *testing.T) {
	p := &Plan{
		Points: []WorkPoint{
			{Number: 1, Units: []Responsibility{resp("区人力社保局", RoleLead), resp("前方挂职干部", RoleCooperating), resp(GroupAllMembers, RoleCooperating)}},
			{Number: 2, Units: []Responsibility{resp("区商务局", RoleLead), resp("区人力社保局", RoleCooperating)}},
		},
		Tasks: []Task{
			{Number: 1, Category: "就业帮扶", Units: []Responsibility{resp("区人力社保局", RoleLead), resp("区财政局", RoleCooperating)}},
			// Given to every member unit: the team's lead unit is one of them but does not lead it,
			// so it is not the team's and does not make every member unit a team member.
			{Number: 2, Category: "倾斜支持", Units: []Responsibility{resp(GroupAllMembers, RoleLead)}},
		},
	}
	v := TeamDuties(p, WorkTeam{Name: "劳务协作专班", Leads: []string{"区人力社保局"}}, NewGroups([]string{"区民政局", "区人力社保局", "区审计局"}, nil))
	if len(v.Points) != 1 || v.Points[0].Number != 1 || len(v.Tasks) != 1 {
		t.Errorf("TeamDuties points %v tasks %v, want point 1 and task 1", v.Points, v.Tasks)
	}
	if diff := cmp.Diff([]string{"前方挂职干部", "区民政局", "区审计局", "区财政局"}, v.Members); diff != "" {
		t.Errorf("TeamDuties members (-want +got):\n%s", diff)
	}
}
