package xiezuo

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// TaskProgress is a task of the task list (附件2) with its progress as of a board's day, as the
// office hands the list upward (the task table with its status columns): the task's light as
// the office follows it, its latest report to the office with the office's decision on it, and
// what the latest report the office accepted says.
type TaskProgress struct {
	Task  *Task
	State DutyState
	// Last is the latest report submitted to the office by then, nil when none; its State is
	// the office's decision on it by then (ReportSubmitted: not reviewed yet).
	Last *ReportRef
	// Accepted is the text of the latest version of a report to the office that the office
	// accepted by then, and AcceptedAt when it accepted it; "" and zero when none.
	Accepted   string
	AcceptedAt time.Time
	// Redo are the units whose latest report to the office was returned and waits to be
	// reported again by then (ToRedo, the rule of State.Returned), in the order they reported.
	Redo []string
}

// StatusWord is the task's state in the words of the task list page (/tasks) and of every
// page showing a duty's light: DutyState.Text, e.g. 正常（下次 10月15日）, 10 天后到期（9月25日）,
// 逾期未报（应于 8月31日 前报送）, 已报（被退回，待重报）, 已按期报送，待销号, 已销号, 无报送日期.
// One rule, one place: the workbook never words a state its own way.
func (t TaskProgress) StatusWord() string {
	return t.State.Text()
}

// ReviewWord is the office's decision on the latest report (待审核, 已通过, 已退回), and the
// reports that wait to be reported again as the status says (已报（被退回，待重报）): 「已退回，待重报」
// when the latest is the one returned, else the units named after the latest's decision, e.g.
// 「待审核；区政府办公室的报告被退回，待重报」. "" when nothing was reported.
func (t TaskProgress) ReviewWord() string {
	if t.Last == nil {
		return ""
	}
	var word string
	others := t.Redo
	switch t.Last.State {
	case ReportSubmitted:
		word = "待审核"
	case ReportReturned:
		word = "已退回"
		if slices.Contains(t.Redo, t.Last.Unit) {
			word = "已退回，待重报"
			others = slices.DeleteFunc(slices.Clone(t.Redo), func(u string) bool { return u == t.Last.Unit })
		}
	default:
		word = t.Last.State.Text()
	}
	if len(others) == 0 {
		return word
	}
	return word + "；" + unitList(others, 3) + "的报告被退回，待重报"
}

// unitList names units 、-separated, the first n of them and then 等 N 个单位 when there are
// more.
func unitList(units []string, n int) string {
	if len(units) <= n {
		return strings.Join(units, "、")
	}
	return fmt.Sprintf("%s等 %d 个单位", strings.Join(units[:n], "、"), len(units))
}

// TasksProgress lists the tasks of board b's plan in plan order with their progress as of b's
// day; reports are the reports b was laid out from (those of other duties and those dated
// after b's day are ignored). One rule for the workbook, the page and the command.
func TasksProgress(b *Board, reports []Report) []TaskProgress {
	var out []TaskProgress
	for _, st := range b.Duties {
		if st.Duty.Key.Kind != DutyTask || st.Duty.Task == nil {
			continue
		}
		tp := TaskProgress{Task: st.Duty.Task, State: st.State, Last: st.Last}
		tp.Accepted, tp.AcceptedAt = LastAccepted(reports, st.Duty.Key, b.AsOf)
		var toOffice []Report
		for _, r := range reports {
			if r.Duty == st.Duty.Key && r.ToUnit == "" {
				toOffice = append(toOffice, r)
			}
		}
		if c := st.State.Light.Color; c == LightGreen || c == LightYellow {
			for _, i := range ToRedo(toOffice, b.AsOf, nil) {
				if !slices.Contains(tp.Redo, toOffice[i].Unit) {
					tp.Redo = append(tp.Redo, toOffice[i].Unit)
				}
			}
		}
		out = append(out, tp)
	}
	return out
}

// LastAccepted is the text of the latest accepted version among the reports to the office on
// duty k (ToUnit ""), as of asOf, and when it was accepted: the one accepted last, whichever
// report it belongs to. "" and zero when none was accepted by then.
func LastAccepted(reports []Report, k DutyKey, asOf time.Time) (string, time.Time) {
	var text string
	var when time.Time
	for i := range reports {
		r := &reports[i]
		if r.Duty != k || r.ToUnit != "" {
			continue
		}
		for _, rv := range r.Reviews {
			if rv.Decision != DecisionAccept || rv.At.After(asOf) || rv.At.Before(when) {
				continue
			}
			for _, v := range r.Versions {
				if v.Version == rv.Version && v.State == ReportSubmitted && !v.At.After(rv.At) {
					text, when = v.Values.Text, rv.At
				}
			}
		}
	}
	return text, when
}
