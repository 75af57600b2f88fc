package xiezuo

import "time"

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
}

// StatusWord is the task's light in the words of supervision: 正常, 临期, 逾期未报, 已销号, or
// 无报送日期 for a task that has no due date at all.
func (t TaskProgress) StatusWord() string {
	switch t.State.Light.Color {
	case LightGreen:
		return "正常"
	case LightYellow:
		return "临期"
	case LightRed:
		return "逾期未报"
	case LightDone:
		return "已销号"
	}
	return "无报送日期"
}

// ReviewWord is the office's decision on the latest report: 待审核, 已通过, 已退回; "" when
// nothing was reported.
func (t TaskProgress) ReviewWord() string {
	if t.Last == nil {
		return ""
	}
	if t.Last.State == ReportSubmitted {
		return "待审核"
	}
	return t.Last.State.Text()
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
