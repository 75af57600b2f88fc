package xiezuo

import (
	"testing"
)

// TestNoticeToDo is the table of what the open notices ask of each user: the unit signs, answers
// and answers again; the team's lead unit presses a late unit; the office finishes and closes;
// the leaders see those listed for them; nobody sees another unit's notice to sign.
func TestNoticeToDo(t *testing.T) {
	unit := &User{Username: "caizheng", District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}
	other := &User{Username: "kexin", District: "门头沟区", Unit: "区科信局", Roles: []string{RoleUnit}}
	lead := &User{Username: "renshe", District: "门头沟区", Unit: "区人力社保局", Roles: []string{RoleUnit, RoleTeamLead}}
	office := &User{Username: "office", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleOffice}}
	leader := &User{Username: "leader", District: "门头沟区", Unit: "区政府", Roles: []string{RoleLeader}}
	elsewhere := &User{Username: "x", District: "延庆区", Unit: "区财政局", Roles: []string{RoleUnit}}
	team := WorkTeam{Name: "劳务协作专班", Leads: []string{"区人力社保局"}}
	day := NewDate(2021, 9, 15)
	view := func(st NoticeState, esc EscalationLevel) NoticeView {
		return NoticeView{Notice: &Notice{ID: 1, District: "门头沟区", Unit: "区财政局", ReplyBy: NewDate(2021, 9, 10)}, State: st, Escalation: esc, Team: team}
	}
	tests := []struct {
		name string
		v    NoticeView
		u    *User
		want NoticeToDoKind // "" when not listed
		late int
	}{
		{"下发：承办单位待签收", view(NoticeStateIssued, EscalationNone), unit, NoticeToSign, 5},
		{"签收后：承办单位待反馈", view(NoticeStateSigned, EscalationNone), unit, NoticeToAnswer, 5},
		{"退回补充：承办单位再反馈", view(NoticeStateReturned, EscalationNone), unit, NoticeToReanswer, 5},
		{"已反馈：承办单位无待办", view(NoticeStateAnswered, EscalationNone), unit, "", 0},
		{"已反馈：办公室待办结", view(NoticeStateAnswered, EscalationNone), office, NoticeToFinish, 0},
		{"已办结：办公室待销号", view(NoticeStateDone, EscalationNone), office, NoticeToClose, 0},
		{"已销号：办公室无待办", view(NoticeStateClosed, EscalationNone), office, "", 0},
		{"待签收：办公室无待办", view(NoticeStateIssued, EscalationTeam), office, "", 0},
		{"别的单位看不到", view(NoticeStateIssued, EscalationNone), other, "", 0},
		{"别的区的同名单位看不到", view(NoticeStateIssued, EscalationNone), elsewhere, "", 0},
		{"逾期升级：专班牵头单位督促", view(NoticeStateSigned, EscalationTeam), lead, NoticeToPress, 5},
		{"未升级：专班牵头单位无待办", view(NoticeStateSigned, EscalationNone), lead, "", 0},
		{"列入领导关注：区领导", view(NoticeStateIssued, EscalationLeaders), leader, NoticeForLeaders, 5},
		{"仅升级到专班：区领导无待办", view(NoticeStateIssued, EscalationTeam), leader, "", 0},
	}
	for _, tt := range tests {
		got := NoticeToDo([]NoticeView{tt.v}, tt.u, day)
		switch {
		case tt.want == "" && len(got) != 0:
			t.Errorf("NoticeToDo(%s) = %v, want nothing", tt.name, got[0].Kind)
		case tt.want != "" && (len(got) != 1 || got[0].Kind != tt.want || got[0].Late != tt.late):
			t.Errorf("NoticeToDo(%s) = %+v, want %s late %d", tt.name, got, tt.want, tt.late)
		}
	}
	// Sorted by kind, then the earliest reply deadline first.
	a, b, c := view(NoticeStateSigned, EscalationNone), view(NoticeStateIssued, EscalationNone), view(NoticeStateSigned, EscalationNone)
	c.Notice.ReplyBy, c.Notice.ID = NewDate(2021, 9, 1), 3
	a.Notice.ID, b.Notice.ID = 1, 2
	var ids []int64
	for _, it := range NoticeToDo([]NoticeView{a, b, c}, unit, day) {
		ids = append(ids, it.View.Notice.ID)
	}
	if len(ids) != 3 || ids[0] != 2 || ids[1] != 3 || ids[2] != 1 {
		t.Errorf("NoticeToDo order = %v, want [2 3 1]", ids)
	}
}
