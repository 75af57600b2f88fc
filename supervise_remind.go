package xiezuo

import (
	"fmt"
	"slices"
	"strconv"
)

// BoardReminders lists what the daily reminders tell the units on the board's day, from the
// lights (DutyLight: one rule for the pages, the API and the reminders): each unit's part of a
// duty that is red (Due: the date it missed), yellow (Due: the next date; ReminderDue when that
// is the board's day), and each report whose reviewer has returned it (to its unit). A duty
// closed (销号), reported on for its period, green or open asks for nothing, so a task done in
// time is never reminded as overdue. Leads are the duty's lead units and the lead units of the
// work teams that answer for it. A project red or yellow is also told to the cadres of its region
// (Region, no Unit), who answer for it as the office follows it (Board.Mine). reports are the
// plan's reports.
func BoardReminders(b *Board, reports []Report) []Reminder {
	day := DayOf(b.AsOf)
	var out []Reminder
	for _, st := range b.Parts {
		kind, due, ok := lightReminder(st.State)
		if !ok {
			continue
		}
		out = append(out, Reminder{Kind: kind, District: b.District, Unit: st.Unit, Duty: st.Duty.Key, Title: reminderTitle(st.Duty),
			Text: reminderDueText(kind, st, b.Cadence, due, day), Due: due, Leads: b.leadsOf(st)})
	}
	// A cadre answers for its region's projects as the office follows them (Board.Mine): the
	// project red or yellow reaches the region's cadres (Region), whoever else is reminded of it.
	for _, st := range b.Duties {
		if st.Duty.Key.Kind != DutyProject || st.Duty.Region() == "" {
			continue
		}
		kind, due, ok := lightReminder(st.State)
		if !ok {
			continue
		}
		out = append(out, Reminder{Kind: kind, District: b.District, Region: st.Duty.Region(), Duty: st.Duty.Key, Title: reminderTitle(st.Duty),
			Text: reminderDueText(kind, st, b.Cadence, due, day), Due: due})
	}
	// Only a unit's latest report on a duty waits to be reported again (ToRedo, as on the to-do
	// list): a returned report that a newer one replaced is not reminded of.
	for _, i := range ToRedo(reports, b.AsOf, nil) {
		r := &reports[i]
		if b.closed(r.Duty) {
			continue // a closed duty takes no report: nothing to report again
		}
		ref, _ := refOf(r, b.AsOf, false)
		st := b.statusFor(r.Duty, r.Unit)
		out = append(out, Reminder{Kind: ReminderReturned, District: b.District, Unit: r.Unit, Duty: r.Duty, Title: reminderTitle(st.Duty),
			Text: fmt.Sprintf("报告第%d版已被退回，请按审核意见修改后重新报送", ref.Version), Leads: b.leadsOf(st)})
	}
	return out
}

// lightReminder is what a light asks a reminder for: red the date missed, yellow the next date
// (due when that is today); nothing for any other light.
func lightReminder(s DutyState) (kind ReminderKind, due Date, ok bool) {
	switch s.Light.Color {
	case LightRed:
		return ReminderRed, s.Missed, true
	case LightYellow:
		if s.Light.Days == 0 {
			return ReminderDue, s.Next, true
		}
		return ReminderYellow, s.Next, true
	}
	return "", Date{}, false
}

// reminderTitle names a duty in a reminder: its title, and a project's region.
func reminderTitle(d PlanDuty) string {
	if r := d.Region(); r != "" {
		return "项目：" + d.Title + "（" + r + "）"
	}
	return d.Title
}

// reminderDueText says what a due, yellow or red reminder asks, with the deadline the due date comes from.
func reminderDueText(kind ReminderKind, st DutyStatus, c Cadence, due, day Date) string {
	from := "按月报送（每月 " + strconv.Itoa(c.ReportDay) + " 日前）"
	if st.ToUnit != "" {
		from = "按月向" + st.ToUnit + "报送（每月 " + strconv.Itoa(c.CooperateDay) + " 日前）"
	}
	if st.Duty.Key.Kind == DutyTask && !st.Duty.Deadline.Open() {
		from = "完成时限“" + st.Duty.Deadline.Text + "”"
		if st.ToUnit != "" {
			from += "，配合单位向" + st.ToUnit + "报送"
		}
	}
	switch kind {
	case ReminderDue:
		return fmt.Sprintf("%s，今天（%s）到期，请按时报送进展", from, due)
	case ReminderYellow:
		return fmt.Sprintf("%s，%s 到期，还有 %d 天，请抓紧推进并报送进展", from, due, DaysBetween(day, due))
	}
	return fmt.Sprintf("%s，应于 %s 前报送，已逾期 %d 天，请尽快报送进展", from, due, DaysBetween(due, day))
}

// leadsOf are the lead units of a duty and of the work teams that answer for it.
func (b *Board) leadsOf(st DutyStatus) []string {
	leads := slices.Clone(st.Leads)
	for i, t := range b.Teams {
		if slices.Contains(st.Teams, t) {
			for _, u := range b.teamLeads[i] {
				if !slices.Contains(leads, u) {
					leads = append(leads, u)
				}
			}
		}
	}
	return leads
}
