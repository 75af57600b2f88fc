package xiezuo

import (
	"slices"
	"sort"
)

// NoticeToDoKind is why a supervision notice (督办单) is on a user's to-do list.
type NoticeToDoKind string

// Notice to-do kinds, in the order a list shows them.
const (
	NoticeToSign     NoticeToDoKind = "sign"     // the unit: issued to it, not yet signed for (待签收)
	NoticeToReanswer NoticeToDoKind = "reanswer" // the unit: its answer was sent back (退回补充)
	NoticeToAnswer   NoticeToDoKind = "answer"   // the unit: signed for, not yet answered (签收后待反馈)
	NoticeToPress    NoticeToDoKind = "press"    // a work team's lead unit: the unit is late, press it (待督促)
	NoticeToFinish   NoticeToDoKind = "finish"   // the office: answered, to finish (办结) or send back
	NoticeToClose    NoticeToDoKind = "close"    // the office: finished, to close (销号)
	NoticeForLeaders NoticeToDoKind = "leaders"  // the leaders: unanswered long after its deadline (领导关注)
)

var noticeToDoRank = map[NoticeToDoKind]int{NoticeToSign: 0, NoticeToReanswer: 1, NoticeToAnswer: 2, NoticeToPress: 3,
	NoticeToFinish: 4, NoticeToClose: 5, NoticeForLeaders: 6}

// Text is the kind in words.
func (k NoticeToDoKind) Text() string {
	switch k {
	case NoticeToSign:
		return "督办单待签收"
	case NoticeToReanswer:
		return "督办单退回补充"
	case NoticeToAnswer:
		return "督办单待反馈"
	case NoticeToPress:
		return "督办单待督促"
	case NoticeToFinish:
		return "督办单待办结"
	case NoticeToClose:
		return "督办单待销号"
	case NoticeForLeaders:
		return "领导关注"
	}
	return string(k)
}

// NoticeToDoItem is a notice on a user's to-do list: why, and the notice as seen on the day.
type NoticeToDoItem struct {
	Kind NoticeToDoKind
	View NoticeView
	Late int // days past the reply deadline (反馈时限) on the day; 0 when not past or none
}

// NoticeToDo is what the notices ask of u on day, from views taken at the end of it
// (ViewNotices): a unit (CanSignNotice) signs for the notices issued to it, answers those it
// signed for and answers again those sent back; a work team's lead unit presses the unit of a
// notice escalated to its team (NoticeEscalatesTo), still unanswered; the office (CanIssueNotice)
// finishes the answered ones (办结, or sends them back) and closes the finished ones (销号); a
// leader of the district sees those listed for the leaders (领导关注). Each notice is listed
// once, for its first reason in that order; the list is sorted by kind, then the longest late
// (the earliest reply deadline) first. One rule for the to-do page, the home page and their
// counts.
func NoticeToDo(views []NoticeView, u *User, day Date) []NoticeToDoItem {
	var out []NoticeToDoItem
	for _, v := range views {
		n := v.Notice
		var kind NoticeToDoKind
		switch {
		case u.CanSignNotice(n) && v.State == NoticeStateIssued:
			kind = NoticeToSign
		case u.CanSignNotice(n) && v.State == NoticeStateReturned:
			kind = NoticeToReanswer
		case u.CanSignNotice(n) && v.State == NoticeStateSigned:
			kind = NoticeToAnswer
		case v.State.Unanswered() && v.Escalation >= EscalationTeam && u.HasAny(RoleUnit, RoleTeamLead) &&
			u.CanWriteDistrict(n.District) && slices.Contains(v.Team.Leads, u.Unit) && u.Unit != n.Unit:
			kind = NoticeToPress
		case u.CanIssueNotice(n.District) && v.State == NoticeStateAnswered:
			kind = NoticeToFinish
		case u.CanIssueNotice(n.District) && v.State == NoticeStateDone:
			kind = NoticeToClose
		case u.Has(RoleLeader) && u.District == n.District && v.State.Unanswered() && v.Escalation == EscalationLeaders:
			kind = NoticeForLeaders
		default:
			continue
		}
		it := NoticeToDoItem{Kind: kind, View: v}
		if !n.ReplyBy.IsZero() && v.State.Unanswered() {
			it.Late = max(0, DaysBetween(n.ReplyBy, day))
		}
		out = append(out, it)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := noticeToDoRank[out[i].Kind], noticeToDoRank[out[j].Kind]; a != b {
			return a < b
		}
		return DaysBetween(out[j].View.Notice.ReplyBy, out[i].View.Notice.ReplyBy) < 0
	})
	return out
}
