package xiezuo

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// bj is a moment in Beijing time.
func bj(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, beijing) }

func noticeWith(steps ...NoticeStep) *Notice {
	n := &Notice{District: "门头沟区", Year: 2021, Unit: "区财政局", ReplyBy: NewDate(2021, 9, 10)}
	for i, s := range steps {
		n.Steps = append(n.Steps, NoticeEvent{Step: s, At: bj(2021, 9, 1+i, 10)})
	}
	return n
}

func TestNoticeStateAt(t *testing.T) {
	n := noticeWith(NoticeIssued, NoticeSigned, NoticeEscalated, NoticeAnswered, NoticeReturned, NoticeAnswered, NoticeDone, NoticeClosed)
	for _, tt := range []struct {
		at     time.Time
		want   NoticeState
		wantOK bool
	}{
		{bj(2021, 8, 31, 10), "", false},
		{bj(2021, 9, 1, 10), NoticeStateIssued, true},
		{bj(2021, 9, 2, 9), NoticeStateIssued, true},
		{bj(2021, 9, 2, 10), NoticeStateSigned, true},
		{bj(2021, 9, 3, 12), NoticeStateSigned, true}, // an escalation changes no state
		{bj(2021, 9, 4, 10), NoticeStateAnswered, true},
		{bj(2021, 9, 5, 10), NoticeStateReturned, true},
		{bj(2021, 9, 6, 10), NoticeStateAnswered, true},
		{bj(2021, 9, 7, 10), NoticeStateDone, true},
		{bj(2021, 9, 8, 10), NoticeStateClosed, true},
		{bj(2022, 1, 1, 0), NoticeStateClosed, true},
	} {
		got, ok := NoticeStateAt(n.Steps, tt.at)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("NoticeStateAt(%s) = %q %v, want %q %v", tt.at, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestNextNoticeStep(t *testing.T) {
	for _, tt := range []struct {
		from    NoticeState
		step    NoticeStep
		wantErr string // "" when allowed
	}{
		{NoticeStateIssued, NoticeSigned, ""},
		{NoticeStateIssued, NoticeAnswered, "请先签收"},
		{NoticeStateIssued, NoticeDone, "尚未反馈"},
		{NoticeStateIssued, NoticeClosed, "须先办结"},
		{NoticeStateIssued, NoticeEscalated, ""},
		{NoticeStateSigned, NoticeSigned, "不必重复签收"},
		{NoticeStateSigned, NoticeAnswered, ""},
		{NoticeStateSigned, NoticeReturned, "尚未反馈"},
		{NoticeStateSigned, NoticeEscalated, ""},
		{NoticeStateAnswered, NoticeAnswered, "等待办公室审核"},
		{NoticeStateAnswered, NoticeReturned, ""},
		{NoticeStateAnswered, NoticeDone, ""},
		{NoticeStateAnswered, NoticeClosed, "须先办结"},
		{NoticeStateAnswered, NoticeEscalated, "不再升级"},
		{NoticeStateReturned, NoticeAnswered, ""},
		{NoticeStateReturned, NoticeDone, "尚未反馈"},
		{NoticeStateReturned, NoticeEscalated, ""},
		{NoticeStateDone, NoticeClosed, ""},
		{NoticeStateDone, NoticeReturned, "已办结"},
		{NoticeStateDone, NoticeAnswered, "已办结"},
		{NoticeStateClosed, NoticeClosed, "已销号"},
		{NoticeStateClosed, NoticeSigned, "已销号"},
		{NoticeStateSigned, NoticeIssued, "已经下发"},
	} {
		err := NextNoticeStep(tt.from, tt.step)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("NextNoticeStep(%s, %s) = %v, want nil", tt.from, tt.step, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || ErrorCode(err) != ECONFLICT):
			t.Errorf("NextNoticeStep(%s, %s) = %v, want ECONFLICT containing %q", tt.from, tt.step, err, tt.wantErr)
		}
	}
}

func TestNoticeEscalation(t *testing.T) {
	rule := DefaultEscalation // the day after 9-10 to the team, from 9-14 to the leaders
	for _, tt := range []struct {
		name  string
		n     *Notice
		at    time.Time
		want  EscalationLevel
		wantS NoticeState
	}{
		{"before issue", noticeWith(NoticeIssued), bj(2021, 8, 30, 10), EscalationNone, ""},
		{"deadline day", noticeWith(NoticeIssued), bj(2021, 9, 10, 23), EscalationNone, NoticeStateIssued},
		{"day after, not signed", noticeWith(NoticeIssued), bj(2021, 9, 11, 0), EscalationTeam, NoticeStateIssued},
		{"day after, signed", noticeWith(NoticeIssued, NoticeSigned), bj(2021, 9, 11, 9), EscalationTeam, NoticeStateSigned},
		{"K-1 days more", noticeWith(NoticeIssued, NoticeSigned), bj(2021, 9, 13, 23), EscalationTeam, NoticeStateSigned},
		{"K days more", noticeWith(NoticeIssued, NoticeSigned), bj(2021, 9, 14, 0), EscalationLeaders, NoticeStateSigned},
		{"answered in time", noticeWith(NoticeIssued, NoticeSigned, NoticeAnswered), bj(2021, 9, 20, 10), EscalationNone, NoticeStateAnswered},
		{"answered, sent back, late again", noticeWith(NoticeIssued, NoticeSigned, NoticeAnswered, NoticeReturned), bj(2021, 9, 20, 10), EscalationLeaders, NoticeStateReturned},
		{"done", noticeWith(NoticeIssued, NoticeSigned, NoticeAnswered, NoticeDone), bj(2021, 12, 1, 10), EscalationNone, NoticeStateDone},
		// As of a past date the escalation is what it was then.
		{"late answer, as of before it", lateAnswer(), bj(2021, 9, 15, 10), EscalationLeaders, NoticeStateSigned},
		{"late answer, as of after it", lateAnswer(), bj(2021, 9, 21, 10), EscalationNone, NoticeStateAnswered},
		// A UTC time late on the deadline day is already the next day in Beijing.
		{"UTC evening", noticeWith(NoticeIssued), time.Date(2021, 9, 10, 17, 0, 0, 0, time.UTC), EscalationTeam, NoticeStateIssued},
	} {
		if got := NoticeEscalation(tt.n, tt.at, rule); got != tt.want {
			t.Errorf("%s: NoticeEscalation(%s) = %d, want %d", tt.name, tt.at, got, tt.want)
		}
		if got, _ := tt.n.StateAt(tt.at); got != tt.wantS {
			t.Errorf("%s: StateAt(%s) = %q, want %q", tt.name, tt.at, got, tt.wantS)
		}
	}
	if got := NoticeEscalation(noticeWith(NoticeIssued), bj(2021, 9, 12, 10), EscalationRule{LeaderDays: 0}); got != EscalationLeaders {
		t.Errorf("NoticeEscalation with LeaderDays 0 the day after = %d, want leaders", got)
	}
}

func lateAnswer() *Notice {
	n := noticeWith(NoticeIssued, NoticeSigned)
	n.Steps = append(n.Steps, NoticeEvent{Step: NoticeAnswered, Text: "已完成", At: bj(2021, 9, 20, 10)})
	return n
}

func TestNoticeCode(t *testing.T) {
	for _, tt := range []struct {
		district     string
		year, number int
		want         string
	}{
		{"门头沟区", 2021, 12, "门督〔2021〕12号"},
		{"房山区", 2022, 1, "房督〔2022〕1号"},
		{"", 2021, 3, "督〔2021〕3号"},
	} {
		if got := NoticeCode(tt.district, tt.year, tt.number); got != tt.want {
			t.Errorf("NoticeCode(%q, %d, %d) = %q, want %q", tt.district, tt.year, tt.number, got, tt.want)
		}
	}
}

// testNoticePlan is a small plan: a work point led by 区人力社保局 with 区财政局 cooperating, a task
// of 区财政局 alone, a task of every member, a project led by 区农业农村局, and a project led by
// nobody's team; two teams.
func testNoticePlan() *Plan {
	return &Plan{
		District: "门头沟区", Year: 2021,
		Points: []WorkPoint{{ID: 11, Number: 1, Title: "劳务协作", Units: []Responsibility{{Unit: "区人力社保局", Role: RoleLead}, {Unit: "区财政局", Role: RoleCooperating}}}},
		Tasks: []Task{
			{ID: 21, Number: 1, WorkItem: "资金投入", Units: []Responsibility{{Unit: "区财政局", Role: RoleLead}}},
			{ID: 22, Number: 2, WorkItem: "信息报送", Units: []Responsibility{{Unit: GroupAllMembers, Role: RoleLead}, {Unit: "各镇街", Role: RoleCooperating}}},
		},
		Projects: []Project{{ID: 31, Name: "蔬菜大棚", LeadUnit: "区农业农村局"}, {ID: 32, Name: "道路", LeadUnit: "区交通局"}},
		Teams: []WorkTeam{
			{ID: 1, Name: "劳务协作专班", Leads: []string{"区人力社保局"}},
			{ID: 2, Name: "产业合作专班", Leads: []string{"区农业农村局", "区财政局"}},
		},
	}
}

func TestNoticeTeam(t *testing.T) {
	p := testNoticePlan()
	g := NewGroups([]string{"区教委", "区商务局"}, nil)
	for _, tt := range []struct {
		duty   DutyKey
		want   string
		wantOK bool
	}{
		{DutyKey{DutyPoint, 11}, "劳务协作专班", true},
		{DutyKey{DutyTask, 21}, "产业合作专班", true}, // 区财政局 leads it and leads 产业合作专班
		{DutyKey{DutyTask, 22}, "", false},      // every member does its part: no team leads it
		{DutyKey{DutyProject, 31}, "产业合作专班", true},
		{DutyKey{DutyProject, 32}, "", false}, // its lead unit leads no team: the office presses
		{DutyKey{DutyTask, 99}, "", false},
	} {
		got, ok := NoticeTeam(p, tt.duty, g)
		if got.Name != tt.want || ok != tt.wantOK {
			t.Errorf("NoticeTeam(%s) = %q %v, want %q %v", tt.duty, got.Name, ok, tt.want, tt.wantOK)
		}
	}
}

func TestNoticeEscalatesTo(t *testing.T) {
	p := testNoticePlan()
	g := NewGroups([]string{"区教委", "区商务局"}, nil)
	for _, tt := range []struct {
		name      string
		duty      DutyKey
		unit      string
		wantTeam  string
		wantLeads []string
		wantText  string
	}{
		{"a cooperating unit: the team's lead presses it", DutyKey{DutyPoint, 11}, "区财政局", "劳务协作专班", []string{"区人力社保局"}, "已升级至专班牵头单位"},
		{"the team's only lead unit: the office, not itself", DutyKey{DutyPoint, 11}, "区人力社保局", "", nil, "已升级至领导小组办公室"},
		{"one of two lead units: the other one", DutyKey{DutyTask, 21}, "区财政局", "产业合作专班", []string{"区农业农村局"}, "已升级至专班牵头单位"},
		{"a project's lead unit, one of two team leads: the other one", DutyKey{DutyProject, 31}, "区农业农村局", "产业合作专班", []string{"区财政局"}, "已升级至专班牵头单位"},
		{"no team leads it: the office", DutyKey{DutyTask, 22}, "区教委", "", nil, "已升级至领导小组办公室"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			team, ok := NoticeEscalatesTo(p, tt.duty, tt.unit, g)
			if team.Name != tt.wantTeam || ok != (tt.wantTeam != "") || !slices.Equal(team.Leads, tt.wantLeads) {
				t.Errorf("NoticeEscalatesTo(%s, %s) = %q %v %v, want %q %v", tt.duty, tt.unit, team.Name, team.Leads, ok, tt.wantTeam, tt.wantLeads)
			}
			if got := (NoticeView{Escalation: EscalationTeam, Team: team}).EscalationText(); got != tt.wantText {
				t.Errorf("EscalationText = %q, want %q", got, tt.wantText)
			}
			n := Notice{District: "门头沟区", Year: 2021, Duty: tt.duty, Unit: tt.unit, ReplyBy: NewDate(2021, 9, 1),
				Steps: []NoticeEvent{{Step: NoticeIssued, At: bj(2021, 8, 20, 9)}}}
			vs := ViewNotices(p, g, []Notice{n}, bj(2021, 9, 3, 9), DefaultEscalation)
			if len(vs) != 1 || slices.Contains(vs[0].Team.Leads, tt.unit) {
				t.Errorf("ViewNotices team of a notice to %s = %+v: escalates to the unit itself", tt.unit, vs)
			}
		})
	}
	// The leaders' step does not change: still 领导关注.
	if got := (NoticeView{Escalation: EscalationLeaders}).EscalationText(); got != "领导关注" {
		t.Errorf("EscalationText(leaders) = %q", got)
	}
}

func TestCheckNotice(t *testing.T) {
	p := testNoticePlan()
	g := NewGroups([]string{"区教委", "区商务局"}, nil)
	ds := NoticeDuties(p, g)
	if diff := cmp.Diff([]string{"区人力社保局", "区财政局"}, ds[0].Units); diff != "" {
		t.Errorf("NoticeDuties point 1 units (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"区教委", "区商务局"}, ds[2].Units); diff != "" {
		t.Errorf("NoticeDuties task 2 (各成员单位) units (-want +got):\n%s", diff)
	}
	// One naming: a notice names its duty as every other page does (PlanDuty.Title), a project
	// as reminders do.
	for _, d := range ds {
		pd, ok := FindDuty(p, d.Key)
		want := pd.Title
		if d.Key.Kind == DutyProject {
			want = "项目：" + pd.Title
		}
		if !ok || d.Title != want {
			t.Errorf("NoticeDuties %s title = %q, want %q", d.Key, d.Title, want)
		}
	}
	today := NewDate(2021, 9, 1)
	good := NoticeInput{Duty: "task-21", Unit: "区财政局", Subject: "资金拨付滞后", Requirement: "9月10日前报送拨付进度", ReplyBy: "2021-09-10", Signer: "张主任"}
	n, err := CheckNotice(good, p, ds, today)
	if err != nil {
		t.Fatalf("CheckNotice(good) = %v", err)
	}
	want := Notice{District: "门头沟区", Year: 2021, Duty: DutyKey{DutyTask, 21}, Unit: "区财政局", Subject: "资金拨付滞后",
		Requirement: "9月10日前报送拨付进度", ReplyBy: NewDate(2021, 9, 10), Signer: "张主任"}
	if diff := cmp.Diff(want, n); diff != "" {
		t.Errorf("CheckNotice(good) (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		name string
		edit func(*NoticeInput)
		want []string
	}{
		{"today is fine", func(in *NoticeInput) { in.ReplyBy = "2021-09-01" }, nil},
		{"grace month end", func(in *NoticeInput) { in.ReplyBy = "2022-01-31" }, nil},
		{"alias of the unit", func(in *NoticeInput) { in.Duty, in.Unit = "point-11", "区人力资源和社会保障局" }, nil},
		{"past", func(in *NoticeInput) { in.ReplyBy = "2021-08-31" }, []string{"反馈时限 2021-08-31 已过"}},
		{"too late", func(in *NoticeInput) { in.ReplyBy = "2022-02-01" }, []string{"太晚", "2022-01-31"}},
		{"not a date", func(in *NoticeInput) { in.ReplyBy = "9月10日" }, []string{"反馈时限“9月10日”不是有效日期"}},
		{"no date", func(in *NoticeInput) { in.ReplyBy = " " }, []string{"请填写反馈时限"}},
		{"bad duty id", func(in *NoticeInput) { in.Duty = "task-x" }, []string{"事项编号“task-x”无效"}},
		{"no duty", func(in *NoticeInput) { in.Duty = "" }, []string{"请选择督办的事项"}},
		{"duty of another plan", func(in *NoticeInput) { in.Duty = "task-99" }, []string{"计划中没有事项“task-99”"}},
		{"unit not responsible", func(in *NoticeInput) { in.Unit = "区教委" }, []string{"“区教委”不是该事项的责任单位，可选：区财政局"}},
		{"no unit", func(in *NoticeInput) { in.Unit = "" }, []string{"请选择承办单位"}},
		{"no texts", func(in *NoticeInput) { in.Subject, in.Requirement, in.Signer = "", "", "" },
			[]string{"请填写督办事项", "请填写办理要求", "请填写签发人"}},
		{"long subject", func(in *NoticeInput) { in.Subject = strings.Repeat("督", MaxNoticeSubject+1) }, []string{"督办事项最多 200 字，现为 201 字"}},
		{"control", func(in *NoticeInput) { in.Requirement = "a\x00b" }, []string{"办理要求含有不可见的控制字符"}},
	} {
		in := good
		tt.edit(&in)
		_, err := CheckNotice(in, p, ds, today)
		if tt.want == nil {
			if err != nil {
				t.Errorf("%s: CheckNotice = %v, want nil", tt.name, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID {
			t.Errorf("%s: CheckNotice = %v, want EINVALID", tt.name, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: CheckNotice = %q, want it to say %q", tt.name, err, w)
			}
		}
	}
}

func TestCheckNoticeText(t *testing.T) {
	for _, tt := range []struct {
		step    NoticeStep
		in      string
		want    string
		wantErr string
	}{
		{NoticeAnswered, "  已拨付 80%  ", "已拨付 80%", ""},
		{NoticeAnswered, " ", "", "请填写办理情况"},
		{NoticeReturned, "", "", "请填写退回意见"},
		{NoticeDone, "", "", ""},
		{NoticeSigned, "李财政", "李财政", ""},
		{NoticeSigned, strings.Repeat("李", 51), "", "签收人最多 50 字"},
		{NoticeAnswered, strings.Repeat("好", MaxNoticeAnswer+1), "", "最多 5000 字"},
		{NoticeClosed, "x\x07", "", "控制字符"},
	} {
		got, err := CheckNoticeText(tt.step, tt.in)
		if got != tt.want || (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("CheckNoticeText(%s, %q) = %q, %v; want %q, %q", tt.step, tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestOpenNotices(t *testing.T) {
	a := *noticeWith(NoticeIssued, NoticeSigned)
	a.Duty = DutyKey{DutyTask, 1}
	b := *noticeWith(NoticeIssued, NoticeSigned, NoticeAnswered, NoticeDone)
	b.Duty = DutyKey{DutyTask, 1}
	c := *noticeWith(NoticeIssued)
	c.Duty = DutyKey{DutyPoint, 2}
	ns := []Notice{a, b, c}
	for _, tt := range []struct {
		at   time.Time
		want map[DutyKey]int
	}{
		{bj(2021, 8, 1, 0), map[DutyKey]int{}},
		{bj(2021, 9, 3, 12), map[DutyKey]int{{DutyTask, 1}: 2, {DutyPoint, 2}: 1}},
		{bj(2021, 9, 5, 12), map[DutyKey]int{{DutyTask, 1}: 1, {DutyPoint, 2}: 1}},
	} {
		if diff := cmp.Diff(tt.want, OpenNotices(ns, tt.at)); diff != "" {
			t.Errorf("OpenNotices(%s) (-want +got):\n%s", tt.at, diff)
		}
	}
}

func TestNoticeRights(t *testing.T) {
	p := testNoticePlan()
	g := NewGroups(nil, nil)
	n := noticeWith(NoticeIssued)
	n.Duty = DutyKey{DutyTask, 21} // team 产业合作专班: 区农业农村局, 区财政局
	n.Unit = "区财政局"
	v := ViewNotices(p, g, []Notice{*n}, bj(2021, 9, 20, 10), DefaultEscalation)[0]
	if v.Team.Name != "产业合作专班" || v.Escalation != EscalationLeaders {
		t.Fatalf("ViewNotices = team %q escalation %d", v.Team.Name, v.Escalation)
	}
	users := map[string]*User{
		"office":     {District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleOffice}},
		"otheroff":   {District: "房山区", Unit: "领导小组办公室", Roles: []string{RoleOffice}},
		"city":       {District: "北京市", Roles: []string{RoleCityOffice}},
		"caizheng":   {District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}},
		"nongye":     {District: "门头沟区", Unit: "区农业农村局", Roles: []string{RoleUnit, RoleTeamLead}},
		"jiaowei":    {District: "门头沟区", Unit: "区教委", Roles: []string{RoleUnit}},
		"leader":     {District: "门头沟区", Unit: "区政府办公室", Roles: []string{RoleLeader}},
		"sysadmin":   {District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleSysAdmin}},
		"otherfinan": {District: "房山区", Unit: "区财政局", Roles: []string{RoleUnit}},
	}
	for _, tt := range []struct {
		user             string
		issue, sign, see bool
	}{
		{"office", true, false, true},
		{"otheroff", false, false, false},
		{"city", false, false, true},
		{"caizheng", false, true, true},
		{"nongye", false, false, true}, // leads the team the notice escalates to
		{"jiaowei", false, false, false},
		{"leader", false, false, true},
		{"sysadmin", false, false, false},
		{"otherfinan", false, false, false},
	} {
		u := users[tt.user]
		if got := u.CanIssueNotice("门头沟区"); got != tt.issue {
			t.Errorf("%s.CanIssueNotice = %v, want %v", tt.user, got, tt.issue)
		}
		if got := u.CanSignNotice(n); got != tt.sign {
			t.Errorf("%s.CanSignNotice = %v, want %v", tt.user, got, tt.sign)
		}
		if got := u.CanSeeNotice(v); got != tt.see {
			t.Errorf("%s.CanSeeNotice = %v, want %v", tt.user, got, tt.see)
		}
	}
	f := NoticeFilter{Escalated: EscalationLeaders}
	if !f.Match(v) || (NoticeFilter{State: NoticeStateSigned}).Match(v) || !(NoticeFilter{Unit: "区财政局"}).Match(v) {
		t.Errorf("NoticeFilter.Match(%+v) wrong", v)
	}
}

func TestParseEscalationRule(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    int
		wantErr string
	}{
		{"3", 3, ""},
		{" 0 ", 0, ""},
		{"30", 30, ""},
		{"31", 0, "升级天数 31 超出范围，应为 0 到 30 天"},
		{"-1", 0, "超出范围"},
		{"三", 0, "升级天数“三”不是整数"},
		{"", 0, "请填写升级至领导关注的天数"},
	} {
		got, err := ParseEscalationRule(tt.in)
		if got.LeaderDays != tt.want || (tt.wantErr == "") != (err == nil) || (err != nil && (!strings.Contains(err.Error(), tt.wantErr) || ErrorCode(err) != EINVALID)) {
			t.Errorf("ParseEscalationRule(%q) = %d, %v; want %d, %q", tt.in, got.LeaderDays, err, tt.want, tt.wantErr)
		}
	}
}

func TestNoticesToPress(t *testing.T) {
	p := testNoticePlan()
	mk := func(replyBy Date, steps ...NoticeStep) Notice {
		n := *noticeWith(steps...)
		n.Duty, n.ReplyBy = DutyKey{DutyTask, 21}, replyBy
		return n
	}
	ns := []Notice{
		mk(NewDate(2021, 9, 10), NoticeIssued),                                              // due today
		mk(NewDate(2021, 9, 8), NoticeIssued, NoticeSigned),                                 // two days late: the team
		mk(NewDate(2021, 9, 2), NoticeIssued, NoticeSigned),                                 // eight days late: the leaders
		mk(NewDate(2021, 9, 11), NoticeIssued),                                              // due tomorrow
		mk(NewDate(2021, 9, 2), NoticeIssued, NoticeSigned, NoticeAnswered),                 // answered
		mk(NewDate(2021, 9, 2), NoticeIssued, NoticeSigned, NoticeAnswered, NoticeReturned), // sent back, late
	}
	for i := range ns {
		ns[i].ID = int64(i + 1)
	}
	day := NewDate(2021, 9, 10)
	vs := ViewNotices(p, NewGroups(nil, nil), ns, bj(2021, 9, 10, 23), DefaultEscalation)
	var got []string
	for _, v := range NoticesToPress(vs, day) {
		got = append(got, fmt.Sprintf("%d:%s:%s", v.Notice.ID, v.State, v.Escalation.Text()))
	}
	want := []string{"1:issued:", "2:signed:已升级至专班牵头单位", "3:signed:领导关注", "6:returned:领导关注"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NoticesToPress (-want +got):\n%s", diff)
	}
}

func TestParseNoticeFilter(t *testing.T) {
	for _, tt := range []struct {
		state, unit, escalated string
		want                   NoticeFilter
		wantErr                string
	}{
		{"", "", "", NoticeFilter{}, ""},
		{"signed", " 区财政局 ", "team", NoticeFilter{State: NoticeStateSigned, Unit: "区财政局", Escalated: EscalationTeam}, ""},
		{"", "", "leaders", NoticeFilter{Escalated: EscalationLeaders}, ""},
		{"open", "", "", NoticeFilter{}, "状态筛选“open”无效"},
		{"", "", "yes", NoticeFilter{}, "升级筛选“yes”无效"},
	} {
		got, err := ParseNoticeFilter(tt.state, tt.unit, tt.escalated)
		if tt.wantErr != "" {
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.wantErr) {
				t.Errorf("ParseNoticeFilter(%q, %q, %q) = %v, want %q", tt.state, tt.unit, tt.escalated, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseNoticeFilter(%q, %q, %q) = %+v, %v; want %+v", tt.state, tt.unit, tt.escalated, got, err, tt.want)
		}
	}
}

func TestNoticeReminders(t *testing.T) {
	p := testNoticePlan()
	g := NewGroups(nil, nil)
	mk := func(duty DutyKey, unit string, replyBy Date, steps ...NoticeStep) Notice {
		n := *noticeWith(steps...)
		n.District, n.Year, n.Number, n.Subject = "门头沟区", 2021, 1, "进度滞后"
		n.Duty, n.Unit, n.ReplyBy = duty, unit, replyBy
		return n
	}
	ns := []Notice{
		mk(DutyKey{DutyTask, 21}, "区财政局", NewDate(2021, 9, 10), NoticeIssued),                              // due today: the unit
		mk(DutyKey{DutyPoint, 11}, "区财政局", NewDate(2021, 9, 8), NoticeIssued, NoticeSigned),                // the team's lead presses
		mk(DutyKey{DutyPoint, 11}, "区人力社保局", NewDate(2021, 9, 8), NoticeIssued),                            // the team's only lead: the office
		mk(DutyKey{DutyTask, 21}, "区财政局", NewDate(2021, 9, 2), NoticeIssued, NoticeSigned),                 // the leaders
		mk(DutyKey{DutyTask, 21}, "区财政局", NewDate(2021, 9, 2), NoticeIssued, NoticeSigned, NoticeAnswered), // answered: nobody
	}
	day := NewDate(2021, 9, 10)
	vs := ViewNotices(p, g, ns, EndOfDay(day), DefaultEscalation)
	rs := NoticeReminders(vs, NoticeDuties(p, g), day)
	var got []string
	for _, r := range rs {
		got = append(got, fmt.Sprintf("%s %s %s %v", r.Kind, r.Unit, r.Due, r.Leads))
	}
	want := []string{
		"due 区财政局 2021-09-10 [区农业农村局]",
		"notice_unanswered 区财政局 2021-09-08 [区人力社保局]",
		"notice_unanswered 区人力社保局 2021-09-08 []",
		"notice_escalated 区财政局 2021-09-02 [区农业农村局]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("NoticeReminders (-want +got):\n%s", diff)
	}
	if !strings.Contains(rs[0].Title, "门督〔2021〕1号") || !strings.Contains(rs[0].Title, "任务第1项 资金投入") {
		t.Errorf("title = %q, want the notice's code and its duty", rs[0].Title)
	}
	leader := User{District: "门头沟区", Unit: "区政府办公室", Roles: []string{RoleLeader}}
	office := User{District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleOffice}}
	lead := User{District: "门头沟区", Unit: "区人力社保局", Roles: []string{RoleUnit}}
	for i, tt := range []struct{ leader, office, lead bool }{
		{false, false, false}, {false, true, true}, {false, true, true}, {true, true, false},
	} {
		if got := ReminderReaches(rs[i], &leader); got != tt.leader {
			t.Errorf("reminder %d reaches the leader = %v", i, got)
		}
		if got := ReminderReaches(rs[i], &office); got != tt.office {
			t.Errorf("reminder %d reaches the office = %v", i, got)
		}
		if got := ReminderReaches(rs[i], &lead); got != tt.lead {
			t.Errorf("reminder %d reaches 区人力社保局 = %v", i, got)
		}
	}
	for i, want := range []string{"", "劳务协作专班牵头单位：区人力社保局", "领导小组办公室", "区领导（领导关注）"} {
		if got := NoticeEscalationTo(vs[i]); got != want {
			t.Errorf("NoticeEscalationTo(%d) = %q, want %q", i, got, want)
		}
	}
}

// TestNoticeEscalationStages: a notice replying by 9-20 (K = 3) escalates to the team's lead
// units on 9-21 and to the leaders on 9-24; each stage shows when its message was recorded as
// sent, and the messages still to record are every stage reached and not recorded, in order —
// a notice first pressed when already listed for the leaders records the team's stage too.
func TestNoticeEscalationStages(t *testing.T) {
	team := WorkTeam{Name: "消费帮扶专班", Leads: []string{"区商务局"}}
	issued := NoticeEvent{Step: NoticeIssued, At: bj(2021, 9, 10, 9)}
	n := &Notice{District: "门头沟区", Year: 2021, Number: 7, Unit: "区财政局", ReplyBy: NewDate(2021, 9, 20), Steps: []NoticeEvent{issued}}
	rule := EscalationRule{LeaderDays: 3}
	v := NoticeView{Notice: n, State: NoticeStateIssued, Escalation: EscalationLeaders, Team: team}
	got := NoticeEscalationStages(v, rule, bj(2021, 9, 30, 9))
	want := []EscalationStage{
		{Level: EscalationTeam, Due: NewDate(2021, 9, 21), To: "消费帮扶专班牵头单位：区商务局"},
		{Level: EscalationLeaders, Due: NewDate(2021, 9, 24), To: "区领导（领导关注）"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NoticeEscalationStages, nothing sent (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"消费帮扶专班牵头单位：区商务局", "区领导（领导关注）"}, NoticeEscalationsToRecord(v)); diff != "" {
		t.Errorf("NoticeEscalationsToRecord, first pressed at the leaders' stage (-want +got):\n%s", diff)
	}
	if got[0].Action() != "升级至专班牵头单位" || got[1].Action() != "列入领导关注" {
		t.Errorf("stage actions %q, %q", got[0].Action(), got[1].Action())
	}
	// Only the team's stage reached: only it to record.
	v.Escalation = EscalationTeam
	if diff := cmp.Diff([]string{"消费帮扶专班牵头单位：区商务局"}, NoticeEscalationsToRecord(v)); diff != "" {
		t.Errorf("NoticeEscalationsToRecord at the team's stage (-want +got):\n%s", diff)
	}
	// The team's stage sent on 9-21: recorded, dated then; the leaders' stage still to record.
	n.Steps = append(n.Steps, NoticeEvent{Step: NoticeEscalated, Text: "消费帮扶专班牵头单位：区商务局", At: bj(2021, 9, 21, 8)})
	if got := NoticeEscalationsToRecord(v); len(got) != 0 {
		t.Errorf("NoticeEscalationsToRecord after the team's stage was recorded = %q", got)
	}
	v.Escalation = EscalationLeaders
	if diff := cmp.Diff([]string{"区领导（领导关注）"}, NoticeEscalationsToRecord(v)); diff != "" {
		t.Errorf("NoticeEscalationsToRecord at the leaders' stage (-want +got):\n%s", diff)
	}
	n.Steps = append(n.Steps, NoticeEvent{Step: NoticeEscalated, Text: "区领导（领导关注）", At: bj(2021, 9, 24, 8)})
	if got := NoticeEscalationsToRecord(v); len(got) != 0 {
		t.Errorf("NoticeEscalationsToRecord after both were recorded = %q", got)
	}
	got = NoticeEscalationStages(v, rule, bj(2021, 9, 22, 9)) // as of 9-22: the leaders' not yet sent
	if !got[0].Sent.Equal(bj(2021, 9, 21, 8)) || !got[1].Sent.IsZero() {
		t.Errorf("stages as of 9-22 sent %v, %v; want 9-21 08:00 and none", got[0].Sent, got[1].Sent)
	}
	// No work team: the office presses the unit.
	v.Team = WorkTeam{}
	if got := NoticeEscalationStages(v, rule, bj(2021, 9, 30, 9)); got[0].To != "领导小组办公室" || got[0].Action() != "升级至领导小组办公室" {
		t.Errorf("stage without a team goes to %q (%s), want 领导小组办公室", got[0].To, got[0].Action())
	}
	// A notice answered in time records nothing.
	v.Escalation = EscalationNone
	if got := NoticeEscalationsToRecord(v); len(got) != 0 {
		t.Errorf("NoticeEscalationsToRecord, not escalated = %q", got)
	}
}
