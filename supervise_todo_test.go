package xiezuo_test

import (
	"testing"

	"xiezuo"
)

// TestToDoOneRowPerDuty: a duty of the user's unit is listed once, for its most pressing reason:
// a lead unit whose August report was returned and whose September period is still to report
// has one row, 退回待重报, not also 本期待报.
func TestToDoOneRowPerDuty(t *testing.T) {
	p := stored(t)
	p.District = "门头沟区"
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	point3 := xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: 3}
	r := sent(1, point3, "区财政局", "", "2021-06-24 10:00", "2021-07-23 10:00", "2021-08-20 10:00")
	r.Reviews = []xiezuo.Review{{Version: 3, Decision: xiezuo.DecisionReturn, Comment: "请补充", By: "office", At: when("2021-08-21 10:00")}}
	reports := []xiezuo.Report{r}
	b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), reports, nil, xiezuo.EndOfDay(xiezuo.Date{Year: 2021, Month: 9, Day: 1}))
	caizheng := &xiezuo.User{Username: "caizheng", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}}
	var kinds []xiezuo.ToDoKind
	seen := map[xiezuo.DutyKey]int{}
	for _, it := range xiezuo.ToDo(caizheng, &b, reports) {
		if it.Kind == xiezuo.ToDoReview || it.Kind == xiezuo.ToDoPress {
			continue
		}
		seen[it.Status.Duty.Key]++
		if it.Status.Duty.Key == point3 {
			kinds = append(kinds, it.Kind)
		}
	}
	if len(kinds) != 1 || kinds[0] != xiezuo.ToDoReturned {
		t.Errorf("ToDo(区财政局) lists point 3 as %v, want once as returned", kinds)
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("ToDo(区财政局) lists %v %d times", k, n)
		}
	}
}

// TestRatesDutyAndUnit: a duty's tally (and its work team's, region's and year's rates) counts
// any report to the office on it, a region's cadre's on a project included; a unit's counts its
// own reports. A project the cadre reported on time and its lead unit late is on time for the
// team and late for the unit: the supervision page says so beside the rates.
func TestRatesDutyAndUnit(t *testing.T) {
	p := stored(t)
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	b0 := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), nil, nil, when("2021-06-01 10:00"))
	var st xiezuo.DutyStatus
	for _, s := range b0.Duties {
		if s.Duty.Key.Kind == xiezuo.DutyProject && len(s.Leads) > 0 && len(s.Due) > 0 {
			st = s
			break
		}
	}
	if st.Due == nil {
		t.Fatal("no project with a lead unit and a due date")
	}
	due, lead := st.Due[0], st.Leads[0]
	on := func(d xiezuo.Date, hm string) string { return d.String() + " " + hm }
	next := xiezuo.Date{Year: due.Year, Month: due.Month, Day: due.Day + 1}
	reports := []xiezuo.Report{
		sent(1, st.Duty.Key, "前方挂职干部", "", on(due, "09:00")),
		sent(2, st.Duty.Key, lead, "", on(next, "09:00")),
	}
	b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), reports, nil, xiezuo.EndOfDay(next))
	duty, _ := b.Duty(st.Duty.Key)
	var part xiezuo.DutyStatus
	for _, s := range b.UnitParts(lead) {
		if s.Duty.Key == st.Duty.Key {
			part = s
		}
	}
	if duty.Tally != (xiezuo.Tally{Expected: 1, Made: 1, OnTime: 1}) || part.Tally != (xiezuo.Tally{Expected: 1, Made: 1}) {
		t.Errorf("%s: duty tally %+v, %s's part %+v; want the duty on time (the cadre's report), the part late", st.Duty.Title, duty.Tally, lead, part.Tally)
	}
}

// TestToDoClosedNotReturned: a returned report on a duty the office has since closed (销号) is
// not to be reported again: the duty takes no report, so neither the to-do list nor the
// reminders ask for one.
func TestToDoClosedNotReturned(t *testing.T) {
	p := stored(t)
	p.District = "门头沟区"
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	point3 := xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: 3}
	r := sent(1, point3, "区财政局", "", "2021-06-24 10:00", "2021-07-23 10:00", "2021-08-20 10:00")
	r.Reviews = []xiezuo.Review{{Version: 3, Decision: xiezuo.DecisionReturn, Comment: "请补充", By: "office", At: when("2021-08-21 10:00")}}
	reports := []xiezuo.Report{r}
	closed := []xiezuo.Closure{{Duty: point3, Closed: true, By: "office", At: when("2021-08-25 10:00")}}
	b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), reports, closed, xiezuo.EndOfDay(xiezuo.Date{Year: 2021, Month: 9, Day: 1}))
	caizheng := &xiezuo.User{Username: "caizheng", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}}
	for _, it := range xiezuo.ToDo(caizheng, &b, reports) {
		if it.Status.Duty.Key == point3 && it.Kind == xiezuo.ToDoReturned {
			t.Errorf("ToDo(区财政局) lists the closed point 3 as returned, to be reported again")
		}
	}
	for _, rm := range xiezuo.BoardReminders(&b, reports) {
		if rm.Duty == point3 && rm.Kind == xiezuo.ReminderReturned {
			t.Errorf("BoardReminders reminds 区财政局 of its returned report on the closed point 3")
		}
	}
}
