package xiezuo_test

import (
	"slices"
	"testing"
	"time"

	"xiezuo"
)

// stored gives the 2021 plan the ids storage would: work points 1…, tasks 101…, projects 201….
func stored(t *testing.T) *xiezuo.Plan {
	p := plan2021(t)
	for i := range p.Points {
		p.Points[i].ID = int64(1 + i)
	}
	for i := range p.Tasks {
		p.Tasks[i].ID = int64(101 + i)
	}
	for i := range p.Projects {
		p.Projects[i].ID = int64(201 + i)
	}
	return p
}

var cst = time.FixedZone("CST", 8*3600)

func when(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

func sent(id int64, key xiezuo.DutyKey, unit, toUnit string, times ...string) xiezuo.Report {
	r := xiezuo.Report{ID: id, Duty: key, Unit: unit, ToUnit: toUnit}
	for i, s := range times {
		r.Versions = append(r.Versions, xiezuo.ReportVersion{Version: i + 1, State: xiezuo.ReportSubmitted, By: unit, At: when(s)})
	}
	return r
}

// TestSupervise2021 lays out the 2021 plan's supervision as of 31 August with a few reports:
// 区财政局 reports monthly on work point 3 it leads, 区人力社保局 cooperates on it and reports to
// 区财政局 in August only, nobody reports on task 2 (8月底前), the office closed task 5 in July.
func TestSupervise2021(t *testing.T) {
	p := stored(t)
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	point3 := xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: 3}
	task2 := xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: 102}
	task5 := xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: 105}
	task7 := xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: 107}
	reports := []xiezuo.Report{
		sent(1, point3, "区财政局", "", "2021-06-24 10:00", "2021-07-23 10:00", "2021-08-20 10:00"),
		sent(2, point3, "区人力社保局", "区财政局", "2021-08-10 10:00"),
		sent(3, task7, "区人力社保局", "", "2021-07-05 10:00"),
	}
	reports[2].Reviews = []xiezuo.Review{{Version: 1, Decision: xiezuo.DecisionReturn, Comment: "请补充人数", By: "office", At: when("2021-07-06 10:00")}}
	closures := []xiezuo.Closure{{Duty: task5, Closed: true, Reason: "已整改", By: "office", At: when("2021-07-10 10:00")}}
	// 1 September: task 2 (8月底前) passed its date the day before; on 31 August itself it was
	// still due today (yellow), not red (TestDutyLightDueDay).
	asOf := xiezuo.EndOfDay(xiezuo.Date{Year: 2021, Month: 9, Day: 1})
	b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), reports, closures, asOf)

	var points, tasks, projects int
	for _, s := range b.Duties {
		switch s.Duty.Key.Kind {
		case xiezuo.DutyPoint:
			points++
		case xiezuo.DutyTask:
			tasks++
		case xiezuo.DutyProject:
			projects++
		}
	}
	if points != 19 || tasks != 17 || projects != 16 {
		t.Fatalf("Supervise(2021) duties = %d points, %d tasks, %d projects, want 19, 17, 16", points, tasks, projects)
	}
	light := func(k xiezuo.DutyKey) xiezuo.LightColor {
		s, ok := b.Duty(k)
		if !ok {
			t.Fatalf("Board.Duty(%v) not found", k)
		}
		return s.State.Light.Color
	}
	for _, tt := range []struct {
		key  xiezuo.DutyKey
		want xiezuo.LightColor
	}{
		{point3, xiezuo.LightGreen},
		{xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: 1}, xiezuo.LightRed}, // monthly, nothing reported
		{task2, xiezuo.LightRed},                                         // 8月底前, nothing reported
		{task5, xiezuo.LightDone},                                        // 6月底前, closed in July
		{task7, xiezuo.LightGreen},                                       // 10月底前, reported in July (returned: still reported)
	} {
		if got := light(tt.key); got != tt.want {
			t.Errorf("light of %v as of 2021-09-01 = %v, want %v", tt.key, got, tt.want)
		}
	}
	if s, _ := b.Duty(xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: 112}); len(s.Due) != 7 || s.State.Light.Color != xiezuo.LightRed {
		t.Errorf("task 12 (按选派和培训计划完成) due %v light %v, want monthly from June and red", s.Due, s.State.Light.Color)
	}
	if s, _ := b.Duty(point3); s.Tally != (xiezuo.Tally{Expected: 3, Made: 3, OnTime: 3}) || s.Last == nil || s.Last.ID != 1 {
		t.Errorf("point 3 tally %+v last %+v, want 3 on time, report 1", s.Tally, s.Last)
	}

	// 区人力社保局's part of point 3: cooperating, due on the 15th to 区财政局; July missed, and
	// answered late by the report of 10 August, which is on time for August.
	i := slices.IndexFunc(b.Parts, func(s xiezuo.DutyStatus) bool { return s.Duty.Key == point3 && s.Unit == "区人力社保局" })
	if i < 0 {
		t.Fatal("no part of 区人力社保局 in point 3")
	}
	part := b.Parts[i]
	if part.Role != xiezuo.DutyCooperate || part.ToUnit != "区财政局" || part.Due[0] != (xiezuo.Date{Year: 2021, Month: 7, Day: 15}) ||
		part.Tally != (xiezuo.Tally{Expected: 2, Made: 2, OnTime: 1}) || part.State.Light.Color != xiezuo.LightGreen {
		t.Errorf("区人力社保局 part of point 3 = role %v to %q due %v tally %+v light %v", part.Role, part.ToUnit, part.Due, part.Tally, part.State.Light.Color)
	}

	// Rates: the year's is the sum of the duties', each unit's of its parts.
	rt := b.Rates()
	var sum xiezuo.Tally
	for _, s := range b.Duties {
		sum.Add(s.Tally)
	}
	if rt.Year != sum || rt.Year.Expected != rt.Year.Made+rt.Year.Overdue {
		t.Errorf("Rates().Year = %+v, want %+v", rt.Year, sum)
	}
	if len(rt.Teams) != 10 || len(rt.Regions) != 3 {
		t.Errorf("Rates() has %d teams and %d regions, want 10 and 3", len(rt.Teams), len(rt.Regions))
	}
	for _, r := range rt.Units {
		if r.Name == "区财政局" && r.OnTime < 3 {
			t.Errorf("Rates() of 区财政局 = %+v, want its 3 reports on point 3 on time", r.Tally)
		}
	}

	// The red list: point 1 and task 2 among them, never the closed task 5.
	red := b.Red()
	if !slices.ContainsFunc(red, func(s xiezuo.DutyStatus) bool { return s.Duty.Key == task2 }) ||
		slices.ContainsFunc(red, func(s xiezuo.DutyStatus) bool { return s.Duty.Key == task5 || s.Duty.Key == point3 }) {
		t.Errorf("Red() lists the wrong duties")
	}

	// The filter: 区财政局's duties as the office follows them.
	f := xiezuo.SuperviseFilter{Unit: "区财政局"}
	for _, s := range f.Filter(b.Duties) {
		if !slices.ContainsFunc(s.Units, func(p xiezuo.UnitPart) bool { return p.Unit == "区财政局" }) {
			t.Errorf("filter unit=区财政局 keeps %s", s.Duty.Title)
		}
	}
	if n := len((xiezuo.SuperviseFilter{Light: "done"}).Filter(b.Duties)); n != 1 {
		t.Errorf("filter light=done keeps %d duties, want 1 (task 5)", n)
	}
	if n := len((xiezuo.SuperviseFilter{Region: "神农架林区"}).Filter(b.Duties)); n != 2 {
		t.Errorf("filter region=神农架林区 keeps %d duties, want its 2 projects", n)
	}

	// To-do lists: 区财政局 reviews 区人力社保局's report; 区人力社保局 resubmits its returned one.
	caizheng := &xiezuo.User{Username: "caizheng", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}}
	renshe := &xiezuo.User{Username: "renshe", District: "门头沟区", Unit: "区人力社保局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}}
	office := &xiezuo.User{Username: "office", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}}
	p.District = "门头沟区"
	kinds := func(items []xiezuo.ToDoItem) map[xiezuo.ToDoKind][]string {
		m := map[xiezuo.ToDoKind][]string{}
		for _, it := range items {
			m[it.Kind] = append(m[it.Kind], it.Status.Duty.Key.String())
		}
		return m
	}
	cz := kinds(xiezuo.ToDo(caizheng, &b, reports))
	if !slices.Contains(cz[xiezuo.ToDoReview], "point-3") || slices.Contains(cz[xiezuo.ToDoRed], "point-3") || len(cz[xiezuo.ToDoPress]) != 0 {
		t.Errorf("ToDo(区财政局) = %v, want point-3 to review, not red, nothing to press", cz)
	}
	rs := kinds(xiezuo.ToDo(renshe, &b, reports))
	if !slices.Contains(rs[xiezuo.ToDoReturned], "task-107") || len(rs[xiezuo.ToDoReview]) != 0 {
		t.Errorf("ToDo(区人力社保局) = %v, want task-107 returned, nothing to review", rs)
	}
	// R5: a returned report that a newer report of the unit on the duty superseded leaves the
	// to-do list; only the unit's latest report there waits to be reported again.
	var task107 xiezuo.DutyKey
	for _, r := range reports {
		if r.Unit == "区人力社保局" && r.Duty.Kind == xiezuo.DutyTask && r.Duty.ID == 107 {
			task107 = r.Duty
		}
	}
	newer := xiezuo.Report{ID: 9999, Duty: task107, Unit: "区人力社保局", Versions: []xiezuo.ReportVersion{
		{Version: 1, State: xiezuo.ReportDraft, By: "renshe", At: b.AsOf.Add(-time.Hour)}}}
	for _, tc := range []struct {
		name    string
		reports []xiezuo.Report
		want    bool
	}{
		{"the returned report is the unit's latest", reports, true},
		{"a newer report superseded it", append(slices.Clone(reports), newer), false},
		{"another unit's newer report does not", append(slices.Clone(reports), xiezuo.Report{ID: 9999, Duty: task107, Unit: "区财政局", Versions: newer.Versions}), true},
	} {
		got := slices.Contains(kinds(xiezuo.ToDo(renshe, &b, tc.reports))[xiezuo.ToDoReturned], "task-107")
		if got != tc.want {
			t.Errorf("%s: task-107 returned in ToDo(区人力社保局) = %v, want %v", tc.name, got, tc.want)
		}
	}
	var toReview []int64
	for _, it := range xiezuo.ToDo(office, &b, reports) {
		if it.Kind == xiezuo.ToDoReview {
			toReview = append(toReview, it.Report.ID)
		}
	}
	if of := kinds(xiezuo.ToDo(office, &b, reports)); !slices.Contains(of[xiezuo.ToDoPress], "task-102") || !slices.Equal(toReview, []int64{1}) {
		t.Errorf("ToDo(office) = %v reviews %v, want task-102 to press and only 区财政局's report to the office (1) to review", of, toReview)
	}
	items := xiezuo.ToDo(caizheng, &b, reports)
	for i := 1; i < len(items); i++ {
		if items[i-1].Kind == xiezuo.ToDoDue && items[i].Kind == xiezuo.ToDoRed {
			t.Errorf("ToDo lists a due item before a red one")
		}
	}

	// Mine: a unit its parts only, the office every duty, a cadre its region's projects (and its unit's parts).
	for _, s := range b.Mine(caizheng) {
		if s.Unit != "区财政局" {
			t.Errorf("Mine(区财政局) has %s of %q", s.Duty.Title, s.Unit)
		}
	}
	if n := len(b.Mine(office)); n != 52 {
		t.Errorf("Mine(office) = %d duties, want 52", n)
	}
	cadre := &xiezuo.User{District: "门头沟区", Unit: "前方挂职干部", Roles: []string{xiezuo.RoleCadre}, Regions: []string{"内蒙古武川县"}}
	var cadreProjects int
	for _, s := range b.Mine(cadre) {
		if s.Duty.Key.Kind == xiezuo.DutyProject {
			cadreProjects++
			if s.Duty.Region() != "内蒙古武川县" {
				t.Errorf("Mine(cadre of 武川县) has a project of %s", s.Duty.Region())
			}
		}
	}
	if cadreProjects != 10 {
		t.Errorf("Mine(cadre of 武川县) = %d projects, want its 10 (beside the work points and tasks naming 前方挂职干部)", cadreProjects)
	}

	// As of an earlier day the same facts give other lights: on 20 June nothing had passed.
	early := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), reports, closures, xiezuo.EndOfDay(xiezuo.Date{Year: 2021, Month: 6, Day: 20}))
	for _, s := range early.Duties {
		if c := s.State.Light.Color; c == xiezuo.LightRed || c == xiezuo.LightDone {
			t.Errorf("as of 2021-06-20 %s is %v", s.Duty.Title, c)
		}
	}
	cal := xiezuo.MonthCalendar(xiezuo.YearMonth{Year: 2021, Month: 9}, b.Mine(caizheng), asOf)
	n := 0
	for _, w := range cal.Weeks {
		for _, d := range w {
			if d.Date == (xiezuo.Date{Year: 2021, Month: 9, Day: 25}) {
				n = len(d.Items)
			}
		}
	}
	if n == 0 {
		t.Errorf("MonthCalendar(2021-09) of 区财政局 has nothing on 25 September")
	}
}

// TestSupervised2021 checks who follows which duties on the supervision pages.
func TestSupervised2021(t *testing.T) {
	p := stored(t)
	b := xiezuo.Supervise(p, xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil), xiezuo.DefaultCadence(), nil, nil, when("2021-09-15 10:00"))
	leader := &xiezuo.User{Roles: []string{xiezuo.RoleLeader}}
	if n := len(b.Supervised(leader)); n != 52 || !leader.CanSupervise() {
		t.Errorf("Supervised(leader) = %d duties, want all 52", n)
	}
	renshe := &xiezuo.User{Unit: "区人力社保局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}}
	got := b.Supervised(renshe)
	if len(got) == 0 || !slices.Equal(b.TeamsLedBy("区人力社保局"), []string{"劳务协作专班"}) {
		t.Fatalf("Supervised(劳务协作专班 lead) = %d duties, teams %v", len(got), b.TeamsLedBy("区人力社保局"))
	}
	for _, s := range got {
		if !slices.Contains(s.Teams, "劳务协作专班") {
			t.Errorf("Supervised(劳务协作专班 lead) has %s of teams %v", s.Duty.Title, s.Teams)
		}
	}
	unit := &xiezuo.User{Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}}
	if n := len(b.Supervised(unit)); n != 0 || unit.CanSupervise() {
		t.Errorf("Supervised(unit) = %d duties, want none", n)
	}
}

// TestBoardReminders2021: the reminders come from the lights: red for a part whose date passed
// unanswered, yellow and due ahead of a date, returned for a report sent back; nothing for a
// duty closed or reported on.
func TestBoardReminders2021(t *testing.T) {
	p := stored(t)
	p.District = "门头沟区"
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	point3 := xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: 3}
	task5 := xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: 105}
	task7 := xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: 107}
	reports := []xiezuo.Report{
		sent(1, point3, "区财政局", "", "2021-08-20 10:00"),
		sent(2, task7, "区人力社保局", "", "2021-07-05 10:00"),
	}
	reports[1].Reviews = []xiezuo.Review{{Version: 1, Decision: xiezuo.DecisionReturn, Comment: "请补充", By: "office", At: when("2021-07-06 10:00")}}
	closures := []xiezuo.Closure{{Duty: task5, Closed: true, By: "office", At: when("2021-07-10 10:00")}}
	day := func(d int) time.Time { return time.Date(2021, 8, d, 0, 0, 0, 0, cst) }
	kinds := func(asOf time.Time) map[string]xiezuo.ReminderKind {
		b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), reports, closures, asOf)
		m := map[string]xiezuo.ReminderKind{}
		for _, r := range xiezuo.BoardReminders(&b, reports) {
			m[r.Unit+" "+r.Duty.String()] = r.Kind
			if r.District != "门头沟区" || r.Title == "" || r.Text == "" {
				t.Errorf("reminder %+v lacks district, title or text", r)
			}
		}
		return m
	}
	m := kinds(day(28)) // 28 August: task 2 (8月底前) within 3 days; point 3 reported in August
	for _, tt := range []struct {
		key  string
		want xiezuo.ReminderKind
	}{
		{"区委办公室 task-102", xiezuo.ReminderYellow},
		{"区财政局 point-3", ""},                         // reported for August
		{"领导小组办公室 task-105", ""},                     // closed in July
		{"区人力社保局 task-107", xiezuo.ReminderReturned}, // returned, to resubmit
		{"区委组织部 point-4", xiezuo.ReminderRed},        // August missed
		{"区人力社保局 point-3", xiezuo.ReminderRed},       // cooperating, to 区财政局 by the 15th
	} {
		if m[tt.key] != tt.want {
			t.Errorf("28 August: %s = %q, want %q", tt.key, m[tt.key], tt.want)
		}
	}
	if m := kinds(day(31)); m["区委办公室 task-102"] != xiezuo.ReminderDue {
		t.Errorf("31 August: task 2 = %q, want due (today)", m["区委办公室 task-102"])
	}
}
