package xiezuo_test

import (
	"slices"
	"strings"
	"testing"

	"xiezuo"
)

// TestMineIsReportRole2021: what a user follows as its own (Board.Mine: the to-do list, the
// calendar, the API's duties, the home page) is exactly what ReportRole lets it report on: a
// cadre of 武川县 gets the work points and tasks naming 前方挂职干部 as that unit's parts and its
// region's projects, a unit its parts, and nobody anything else.
func TestMineIsReportRole2021(t *testing.T) {
	p := stored(t)
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), nil, nil, when("2021-09-15 10:00"))
	users := map[string]*xiezuo.User{
		"cadre":    {District: "门头沟区", Unit: "前方挂职干部", Roles: []string{xiezuo.RoleCadre}, Regions: []string{"内蒙古武川县"}},
		"caizheng": {District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}},
		"renshe":   {District: "门头沟区", Unit: "区人力社保局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}},
		"kexin":    {District: "门头沟区", Unit: "区科技和信息化局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}},
	}
	for name, u := range users {
		var want []xiezuo.DutyKey
		for _, d := range xiezuo.PlanDuties(p) {
			if xiezuo.ReportRole(p, d.Key, u, g) != xiezuo.DutyNone {
				want = append(want, d.Key)
			}
		}
		var got []xiezuo.DutyKey
		kinds := map[xiezuo.DutyKind]int{}
		for _, s := range b.Mine(u) {
			got = append(got, s.Duty.Key)
			kinds[s.Duty.Key.Kind]++
			if s.Role != xiezuo.ReportRole(p, s.Duty.Key, u, g) {
				t.Errorf("Mine(%s) gives %s role %v, want ReportRole's %v", name, s.Duty.Title, s.Role, xiezuo.ReportRole(p, s.Duty.Key, u, g))
			}
			if s.Duty.Key.Kind != xiezuo.DutyProject && s.Unit != u.Unit {
				t.Errorf("Mine(%s) gives %s as %q's, want its unit's own part", name, s.Duty.Title, s.Unit)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Mine(%s) = %v, want what ReportRole allows %v", name, got, want)
		}
		if name == "cadre" && (kinds[xiezuo.DutyPoint] == 0 || kinds[xiezuo.DutyTask] == 0 || kinds[xiezuo.DutyProject] != 10) {
			t.Errorf("Mine(cadre) = %v by kind, want work points, tasks and the 10 projects of 武川县", kinds)
		}
	}
}

// TestCadreProjectRole: a cadre answers for its region's project as the region's cadre, and says
// so, not as a member unit of the leading group.
func TestCadreProjectRole(t *testing.T) {
	p := stored(t)
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	cadre := &xiezuo.User{District: "门头沟区", Unit: "前方挂职干部", Roles: []string{xiezuo.RoleCadre}, Regions: []string{"内蒙古武川县"}}
	var key xiezuo.DutyKey
	for _, pr := range p.Projects {
		if pr.Region == "内蒙古武川县" {
			key = xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: pr.ID}
			break
		}
	}
	r := xiezuo.ReportRole(p, key, cadre, g)
	if r != xiezuo.DutyRegion || r.String() != "前方挂职干部（项目所在地区）" || xiezuo.ReportRoute(r, []string{"区农业农村局"}) != "" {
		t.Errorf("ReportRole(cadre, %s) = %v %q, want DutyRegion 前方挂职干部（项目所在地区）, reporting to the office", key, r, r.String())
	}
}

// TestDutyStateTextToday: a duty due today says so, not "0 天后到期".
func TestDutyStateTextToday(t *testing.T) {
	for _, tc := range []struct {
		s    xiezuo.DutyState
		want string
	}{
		{xiezuo.DutyState{Light: xiezuo.Light{Color: xiezuo.LightYellow, Days: 0}, Next: xiezuo.Date{Year: 2021, Month: 9, Day: 15}}, "今天到期（9月15日）"},
		{xiezuo.DutyState{Light: xiezuo.Light{Color: xiezuo.LightYellow, Days: 3}, Next: xiezuo.Date{Year: 2021, Month: 9, Day: 18}}, "3 天后到期（9月18日）"},
	} {
		if got := tc.s.Text(); got != tc.want {
			t.Errorf("DutyState%+v.Text() = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestRatesOf2021: the rates of the duties a user follows count those duties only: a team
// lead's per region and per unit add up within its team's duties, and every team it leads (the
// office: every team of the plan, 统计工作专班 too, whose lead unit leads no duty) is listed,
// with zero when it has nothing due.
func TestRatesOf2021(t *testing.T) {
	p := stored(t)
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), nil, nil, when("2021-09-15 10:00"))
	kexin := &xiezuo.User{District: "门头沟区", Unit: "区科技和信息化局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}}
	mine := b.Supervised(kexin)
	rt := b.RatesOf(kexin, xiezuo.SuperviseFilter{})
	var year xiezuo.Tally
	for _, s := range mine {
		year.Add(s.Tally)
	}
	if rt.Year != year {
		t.Errorf("RatesOf(kexin).Year = %+v, want the listed duties' %+v", rt.Year, year)
	}
	var regions xiezuo.Tally
	for _, r := range rt.Regions {
		regions.Add(r.Tally)
	}
	var projects xiezuo.Tally
	for _, s := range mine {
		if s.Duty.Key.Kind == xiezuo.DutyProject {
			projects.Add(s.Tally)
		}
	}
	if regions != projects {
		t.Errorf("RatesOf(kexin) regions add up to %+v, want the listed projects' %+v", regions, projects)
	}
	for _, u := range rt.Units {
		var own xiezuo.Tally
		for _, s := range b.Parts {
			if s.Unit == u.Name && slices.ContainsFunc(mine, func(m xiezuo.DutyStatus) bool { return m.Duty.Key == s.Duty.Key }) {
				own.Add(s.Tally)
			}
		}
		if own != u.Tally {
			t.Errorf("RatesOf(kexin) unit %s = %+v, want its parts of the listed duties %+v", u.Name, u.Tally, own)
		}
	}
	var teams []string
	for _, r := range rt.Teams {
		teams = append(teams, r.Name)
	}
	if want := b.TeamsLedBy("区科技和信息化局"); !slices.Equal(teams, want) {
		t.Errorf("RatesOf(kexin) teams = %v, want the teams it leads %v", teams, want)
	}
	office := &xiezuo.User{District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}}
	teams = nil
	for _, r := range b.RatesOf(office, xiezuo.SuperviseFilter{}).Teams {
		teams = append(teams, r.Name)
	}
	if !slices.Equal(teams, b.Teams) || !slices.Contains(teams, "统计工作专班") {
		t.Errorf("RatesOf(office) teams = %v, want every team of the plan %v", teams, b.Teams)
	}
	if got := b.SupervisedTeams(office); !slices.Equal(got, b.Teams) {
		t.Errorf("SupervisedTeams(office) = %v, want %v", got, b.Teams)
	}
}

// TestCadreReminders2021: the daily reminders follow Board.Mine for a cadre too: a red project of
// 武川县 reaches the cadre bound to 武川县 in the application (beside its lead unit's own
// reminder), not a cadre of another region; it has no unit channel of its own. The work points
// naming 前方挂职干部 are reminded to that unit's part as any unit's.
func TestCadreReminders2021(t *testing.T) {
	p := stored(t)
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), nil, nil, when("2021-09-15 10:00"))
	rs := xiezuo.BoardReminders(&b, nil)
	wuchuan := xiezuo.User{ID: 1, Username: "wuchuan", District: "门头沟区", Unit: "前方挂职干部", Roles: []string{xiezuo.RoleCadre}, Regions: []string{"内蒙古武川县"}}
	other := xiezuo.User{ID: 2, Username: "other", District: "门头沟区", Unit: "前方挂职干部", Roles: []string{xiezuo.RoleCadre}, Regions: []string{"湖北省神农架林区"}}
	got := map[string][]xiezuo.DutyKey{}
	for _, ur := range xiezuo.ReminderRecipients(rs, []xiezuo.User{wuchuan, other}) {
		got[ur.Username] = append(got[ur.Username], ur.Reminder.Duty)
	}
	want := map[string][]xiezuo.DutyKey{}
	for _, u := range []xiezuo.User{wuchuan, other} {
		for _, s := range b.Mine(&u) {
			if c := s.State.Light.Color; c == xiezuo.LightRed || c == xiezuo.LightYellow {
				want[u.Username] = append(want[u.Username], s.Duty.Key)
			}
		}
	}
	for _, name := range []string{"wuchuan", "other"} {
		slices.SortFunc(got[name], func(a, b xiezuo.DutyKey) int { return strings.Compare(a.String(), b.String()) })
		slices.SortFunc(want[name], func(a, b xiezuo.DutyKey) int { return strings.Compare(a.String(), b.String()) })
		if !slices.Equal(got[name], want[name]) {
			t.Errorf("cadre %s is reminded of %v, its red and yellow duties are %v", name, got[name], want[name])
		}
	}
	if !slices.ContainsFunc(got["wuchuan"], func(k xiezuo.DutyKey) bool { return k.Kind == xiezuo.DutyProject }) {
		t.Errorf("the cadre of 武川县 is reminded of no project")
	}
	for _, d := range xiezuo.UnitDigests(rs, map[string][]string{"门头沟区": {"领导小组办公室"}}) {
		if d.Unit == "" {
			t.Errorf("a digest for no unit: %v", d.Reminders)
		}
	}
}

// TestMineCadreLastReport is N5: a cadre follows as its own part of a work point only the
// reports it began (another cadre's report neither lights nor shows as its latest), and on its
// region's project, whose light as the office follows it counts every unit's report, the
// latest report shown is one the cadre may read, or none.
func TestMineCadreLastReport(t *testing.T) {
	p := stored(t)
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	wuchuan := &xiezuo.User{Username: "wuchuan", District: "门头沟区", Unit: xiezuo.CadreUnit, Roles: []string{xiezuo.RoleCadre}, Regions: []string{"内蒙古武川县"}}
	var point, project xiezuo.DutyKey
	var lead string
	for _, d := range xiezuo.PlanDuties(p) {
		if xiezuo.ReportRole(p, d.Key, wuchuan, g) == xiezuo.DutyNone {
			continue
		}
		switch {
		case d.Key.Kind == xiezuo.DutyPoint && point.IsZero():
			point = d.Key
		case d.Key.Kind == xiezuo.DutyProject && project.IsZero() && len(d.Leads(g)) > 0:
			project, lead = d.Key, d.Leads(g)[0]
		}
	}
	if point.IsZero() || project.IsZero() {
		t.Fatal("no work point or project of 武川县's cadre in the plan")
	}
	sent := func(id int64, k xiezuo.DutyKey, unit, by, at string) xiezuo.Report {
		return xiezuo.Report{ID: id, Duty: k, Unit: unit, By: by, Versions: []xiezuo.ReportVersion{{Version: 1, State: xiezuo.ReportSubmitted, By: by, At: when(at),
			Values: xiezuo.ReportValues{Text: "进展"}}}}
	}
	others := []xiezuo.Report{sent(986, point, xiezuo.CadreUnit, "lasa2", "2021-09-10 10:00"), sent(954, project, lead, "nongye", "2021-09-10 10:00")}
	b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), others, nil, when("2021-09-15 10:00"))
	for _, s := range b.Mine(wuchuan) {
		if s.Last != nil && (s.Last.ID == 986 || s.Last.ID == 954) {
			t.Errorf("Mine(wuchuan) shows %s's latest report %d, which it may not read", s.Duty.Key, s.Last.ID)
		}
	}
	own := append(others, sent(990, point, xiezuo.CadreUnit, "wuchuan", "2021-09-05 10:00"))
	b = xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), own, nil, when("2021-09-15 10:00"))
	alone := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), own[2:], nil, when("2021-09-15 10:00"))
	mine, want := b.Mine(wuchuan), alone.Mine(wuchuan)
	for i, s := range mine {
		if s.Duty.Key != point {
			continue
		}
		if s.Last == nil || s.Last.ID != 990 {
			t.Errorf("Mine(wuchuan) on %s: latest %+v, want its own report 990", point, s.Last)
		}
		if s.State != want[i].State || s.Tally != want[i].Tally {
			t.Errorf("Mine(wuchuan) on %s: %+v %+v, want the light of its own reports alone %+v %+v", point, s.State, s.Tally, want[i].State, want[i].Tally)
		}
	}
	// The office follows every report.
	if s, _ := b.Duty(project); s.Last == nil || s.Last.ID != 954 {
		t.Errorf("the office's %s latest = %+v, want 954", project, s.Last)
	}
}
