package web

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
)

// dutiesPath is the API's list of the caller's duties in the 2021 plan of 门头沟区.
var dutiesPath = "/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/duties"

// apiByKind counts the API's duties by kind.
func apiByKind(ds []map[string]any) map[string]int {
	m := map[string]int{}
	for _, d := range ds {
		m[d["kind"].(string)]++
	}
	return m
}

var homeCounts = regexp.MustCompile(`牵头或参与的工作要点 (\d+) 条，任务 (\d+) 项，项目 (\d+) 个`)

// TestOwnDutiesAgree (R8): the home page, the to-do list, the calendar's duties and the API give
// a user the same duties, those ReportRole lets it report on: the cadre of 武川县 gets the work
// points and tasks naming 前方挂职干部 beside its region's projects.
func TestOwnDutiesAgree(t *testing.T) {
	e := newEnv(t)
	for _, name := range []string{"wuchuan", "caizheng", "renshe"} {
		c := e.signIn(name)
		api := apiDutiesOf(t, c.get(dutiesPath))
		kinds := apiByKind(api)
		m := homeCounts.FindStringSubmatch(c.get("/").body)
		if m == nil {
			t.Fatalf("%s's home page has no count of its duties", name)
		}
		home := map[string]int{}
		home["work_point"], _ = strconv.Atoi(m[1])
		home["task"], _ = strconv.Atoi(m[2])
		home["project"], _ = strconv.Atoi(m[3])
		for k, n := range home {
			if kinds[k] != n {
				t.Errorf("%s: home counts %d %s, the API gives %d", name, n, k, kinds[k])
			}
		}
		if want := "本单位的事项（" + strconv.Itoa(len(api)) + "）"; !strings.Contains(c.get("/todo").body, want) {
			t.Errorf("%s: /todo does not list the API's %d duties (%q)", name, len(api), want)
		}
		if name == "wuchuan" && (kinds["work_point"] == 0 || kinds["task"] == 0 || kinds["project"] != 10) {
			t.Errorf("cadre's duties = %v, want work points and tasks naming 前方挂职干部 and its region's 10 projects", kinds)
		}
	}
	// The cadre on its region's project: its role there is the region's cadre, not 各成员单位.
	p := e.stored()
	var project xiezuo.DutyKey
	for _, pr := range p.Projects {
		if pr.Region == "内蒙古武川县" {
			project = keyOf(xiezuo.DutyProject, pr.ID)
			break
		}
	}
	body := e.signIn("wuchuan").get("/duties/" + project.String()).body
	if !strings.Contains(body, "本单位：前方挂职干部（项目所在地区）") || strings.Contains(body, "本单位：各成员单位") {
		t.Errorf("cadre's project page gives its role as %q", regexp.MustCompile(`本单位：[^<]*`).FindString(body))
	}
	todo := e.signIn("wuchuan").get("/todo").body
	if i := strings.Index(todo, `id="mine-`+project.String()+`"`); i < 0 || !strings.Contains(todo[i:i+strings.Index(todo[i:], "</tr>")], "前方挂职干部（项目所在地区）") {
		t.Errorf("cadre's to-do does not give its role on its region's project %s", project)
	}
}

// kexinUser adds the team lead of 产业合作专班 and 科技帮扶专班 (区科技和信息化局).
func (e *env) kexinUser() {
	e.t.Helper()
	u := xiezuo.User{Username: "kexin", Name: "赵科信", District: "门头沟区", Unit: "区科技和信息化局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}, PasswordAt: *e.clock}
	if err := e.db.CreateUser(e.t.Context(), &u, testHash); err != nil {
		e.t.Fatal(err)
	}
	e.users[u.Username] = &u
}

var (
	teamSelect  = regexp.MustCompile(`(?s)<select name="team">(.*?)</select>`)
	unitSelect  = regexp.MustCompile(`(?s)<select name="unit">(.*?)</select>`)
	optionText  = regexp.MustCompile(`<option(?: selected)?>([^<]+)</option>`)
	redList     = regexp.MustCompile(`(?s)<ol class="redlist">(.*?)</ol>`)
	dutyLink    = regexp.MustCompile(`href="/duties/((?:point|task|project)-\d+)`)
	rateSection = regexp.MustCompile(`(?s)(?:<h3>([^<]+)</h3>)?<div class="scroll"><table class="data stack rates">(.*?)</table>`)
	rateRow     = regexp.MustCompile(`<td data-label="名称" class="label">([^<]+)</td><td class="num" data-label="应报">(\d+)</td>`)
	totalShown  = regexp.MustCompile(`共 (\d+) 项`)
)

// rateTables reads a supervision page's tables of rates: title ("" for the listed duties' total)
// → row name → reports expected.
func rateTables(body string) map[string]map[string]int {
	out := map[string]map[string]int{}
	i := strings.Index(body, `<h2 id="rates">`)
	if i < 0 {
		return out
	}
	body = body[i:]
	for _, s := range rateSection.FindAllStringSubmatch(body, -1) {
		rows := map[string]int{}
		for _, r := range rateRow.FindAllStringSubmatch(s[2], -1) {
			rows[r[1]], _ = strconv.Atoi(r[2])
		}
		out[s[1]] = rows
	}
	return out
}

// expected is how many of an API duty's due dates had passed on 28 August (the env's today),
// nothing being closed: the reports expected of it.
func expected(d map[string]any) int {
	n := 0
	for _, due := range d["due"].([]any) {
		if due.(string) < "2021-08-28" {
			n++
		}
	}
	return n
}

// TestSupervisionAgreesWithAPI: for the office, a leader, the city office and the team leads of
// 区科技和信息化局 and 区人力社保局, the supervision page lists the duties the API gives the office
// (every one, or the user's teams' ones: ?team=), with the same lights; its red list is exactly
// the red ones listed; its team filter lists the teams the user follows (统计工作专班 too, whose
// lead unit leads no duty); and each breakdown of the rates adds up within the listed duties.
func TestSupervisionAgreesWithAPI(t *testing.T) {
	e := newEnv(t)
	e.kexinUser()
	p := e.stored()
	e.seedReport(keyOf(xiezuo.DutyPoint, p.Points[2].ID), "区财政局", "", "caizheng", at("2021-07-20", "10:00"))
	office := e.signIn("office")
	all := apiDutiesOf(t, office.get(dutiesPath))
	byID := map[string]map[string]any{}
	for _, d := range all {
		byID[d["id"].(string)] = d
	}
	var planTeams []string
	for _, tm := range p.Teams {
		planTeams = append(planTeams, tm.Name)
	}
	teamDuties := func(team string) []string {
		var ids []string
		for _, d := range apiDutiesOf(t, office.get(dutiesPath+"?team="+url.QueryEscape(team))) {
			ids = append(ids, d["id"].(string))
		}
		return ids
	}
	for _, tc := range []struct {
		user  string
		q     string
		teams []string
	}{
		{"office", "", planTeams},
		{"leader", "", planTeams},
		{"city", "?year=2021&district=" + url.QueryEscape("门头沟区"), planTeams},
		{"kexin", "", []string{"产业合作专班", "科技帮扶专班"}},
		{"renshe", "", []string{"劳务协作专班"}},
	} {
		body := e.signIn(tc.user).get("/supervision" + tc.q).body
		lights := lightsOn(body)
		// The duties listed: every one, or those of the user's teams, as the API gives them.
		var want []string
		if tc.user == "kexin" || tc.user == "renshe" {
			for _, tm := range tc.teams {
				for _, id := range teamDuties(tm) {
					if !slices.Contains(want, id) {
						want = append(want, id)
					}
				}
			}
		} else {
			for id := range byID {
				want = append(want, id)
			}
		}
		var got []string
		for id, l := range lights {
			got = append(got, id)
			if byID[id] == nil || byID[id]["light"] != l {
				t.Errorf("%s: %s is %s on the page, %v in the API", tc.user, id, l, byID[id]["light"])
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the page lists %d duties, the API %d", tc.user, len(got), len(want))
		}
		if m := totalShown.FindStringSubmatch(body); m == nil || m[1] != strconv.Itoa(len(got)) {
			t.Errorf("%s: the page says %v, lists %d", tc.user, m, len(got))
		}
		// The red list: exactly the red duties listed.
		var red, wantRed []string
		if m := redList.FindStringSubmatch(body); m != nil {
			for _, l := range dutyLink.FindAllStringSubmatch(m[1], -1) {
				red = append(red, l[1])
			}
		}
		for id, l := range lights {
			if l == "red" {
				wantRed = append(wantRed, id)
			}
		}
		sort.Strings(red)
		sort.Strings(wantRed)
		if !slices.Equal(red, wantRed) {
			t.Errorf("%s: red list %v, red duties listed %v", tc.user, red, wantRed)
		}
		// The team filter: the teams the user follows.
		var teams []string
		if m := teamSelect.FindStringSubmatch(body); m != nil {
			for _, o := range optionText.FindAllStringSubmatch(m[1], -1) {
				teams = append(teams, o[1])
			}
		}
		if !slices.Equal(teams, tc.teams) {
			t.Errorf("%s: team filter %v, want %v", tc.user, teams, tc.teams)
		}
		// The rates add up within the listed duties.
		rates := rateTables(body)
		total, projects := 0, 0
		for _, id := range got {
			total += expected(byID[id])
			if byID[id]["kind"] == "project" {
				projects += expected(byID[id])
			}
		}
		if n := rates[""]["所列事项合计"]; n != total {
			t.Errorf("%s: 所列事项合计 expects %d reports, the listed duties %d", tc.user, n, total)
		}
		regions := 0
		for _, n := range rates["按协作地区（项目）"] {
			regions += n
		}
		if regions != projects {
			t.Errorf("%s: the regions expect %d reports, the listed projects %d", tc.user, regions, projects)
		}
		for _, tm := range tc.teams {
			n, ok := rates["按工作专班"][tm]
			want := 0
			for _, id := range teamDuties(tm) {
				want += expected(byID[id])
			}
			if !ok || n != want {
				t.Errorf("%s: team %s expects %d reports (listed: %v), its duties %d", tc.user, tm, n, ok, want)
			}
		}
		if len(rates["按工作专班"]) != len(tc.teams) {
			t.Errorf("%s: rates of teams %v, want %v", tc.user, rates["按工作专班"], tc.teams)
		}
		var units []string
		if m := unitSelect.FindStringSubmatch(body); m != nil {
			for _, o := range optionText.FindAllStringSubmatch(m[1], -1) {
				units = append(units, o[1])
			}
		}
		for u := range rates["按责任单位"] {
			if !slices.Contains(units, u) {
				t.Errorf("%s: the rates count %s, which answers for none of the listed duties", tc.user, u)
			}
		}
	}
}

var homeDueSection = regexp.MustCompile(`(?s)<h2>临期或逾期未报的事项</h2>(.*?)(?:<h2|</main>|$)`)

// TestHomeShowsBoardLights (R15): the office's and the leader's home list every red and yellow
// duty of the board (work points, tasks and projects) with its light, linked to its page; a
// unit's home links its work points to their duty pages with their lights.
func TestHomeShowsBoardLights(t *testing.T) {
	e := newEnv(t)
	all := apiDutiesOf(t, e.signIn("office").get(dutiesPath))
	var want []string
	for _, d := range all {
		if l := d["light"]; l == "red" || l == "yellow" {
			want = append(want, d["id"].(string))
		}
	}
	sort.Strings(want)
	for _, name := range []string{"office", "leader"} {
		body := e.signIn(name).get("/").body
		m := homeDueSection.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s's home has no list of red and yellow duties", name)
		}
		var got []string
		for _, l := range dutyLink.FindAllStringSubmatch(m[1], -1) {
			got = append(got, l[1])
		}
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s's home lists %d red or yellow duties %v, the board has %d %v", name, len(got), got, len(want), want)
		}
		if !strings.Contains(m[1], "light-red") || !strings.Contains(m[1], "工作要点") {
			t.Errorf("%s's home list shows no red light or no work point", name)
		}
	}
	body := e.signIn("caizheng").get("/").body
	i := strings.Index(body, "<h2>工作要点</h2>")
	if i < 0 {
		t.Fatal("caizheng's home has no work points")
	}
	points := body[i:]
	points = points[:strings.Index(points, "<h2>项目</h2>")]
	if strings.Contains(points, "#point-") || !strings.Contains(points, `href="/duties/point-`) || !regexp.MustCompile(`class="[^"]*light-(red|yellow|green)`).MatchString(points) {
		t.Errorf("caizheng's work points do not link to their duty pages with their lights: %s", points)
	}
	// The unit's page says the same of its work points.
	body = e.signIn("office").get("/units/" + url.PathEscape("区财政局")).body
	if i = strings.Index(body, "<h2>工作要点</h2>"); i < 0 {
		t.Fatal("区财政局's page has no work points")
	}
	points = body[i:]
	points = points[:strings.Index(points, "</ol>")]
	if strings.Contains(points, "#point-") || !strings.Contains(points, `href="/duties/point-`) || !regexp.MustCompile(`class="[^"]*light-(red|yellow|green)`).MatchString(points) {
		t.Errorf("区财政局's page: work points not linked to their duty pages with their lights: %s", points)
	}
}
