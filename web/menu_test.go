package web

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// readerMenu is the menu of every account that may read the plan; superviseMenu of those who
// also follow the district's duties (the supervision page).
var (
	readerMenu    = []string{"home", "todo", "calendar", "scorecard", "plan", "tasks", "projects", "funds", "teams", "units", "regions", "assets", "registers", "search", "notices"}
	superviseMenu = withLabour([]string{"home", "todo", "calendar", "supervision", "scorecard", "plan", "tasks", "projects", "funds", "teams", "units", "regions", "assets", "registers", "search", "notices"})
	// watchMenu is the menu of those who also read the watched rules (the office, the leaders and
	// the city office), not team leads.
	watchMenu = withLabour([]string{"home", "todo", "calendar", "supervision", "watch", "dashboard", "scorecard", "plan", "tasks", "projects", "funds", "teams", "units", "regions", "assets", "registers", "search", "notices"})
)

// planPages are the menu entries whose pages show a plan: an account that reads no plan (the
// administrators, 三员分立) is not shown them, though their routes are open to it.
var planPages = []string{"todo", "calendar", "supervision", "watch", "dashboard", "scorecard", "indicators", "plan", "tasks", "projects", "funds", "teams", "units", "regions", "assets", "registers", "labour", "search", "notices", "periods", "publication", "import", "drafts", "layouts"}

// wantMenu is the menu each test account sees, written out rather than computed by the code
// under test.
var wantMenu = map[string][]string{
	"office":   append(withDrafts(withCityScore(withIndicators(withCityFunds(watchMenu)))), "periods", "publication", "import", "layouts", "audit"),
	"caizheng": readerMenu,
	"renshe":   superviseMenu,
	"wuchuan":  {"home", "cadre", "todo", "calendar", "scorecard", "plan", "tasks", "projects", "funds", "teams", "units", "regions", "assets", "registers", "labour", "search", "notices"},
	"leader":   watchMenu,
	"sysadmin": {"home", "users", "requests", "smtp"},
	"secadmin": {"home", "requests", "security", "tokens"},
	"auditor":  {"home", "audit"},
	"city":     withCityScore(withCityFunds(watchMenu)),
}

// withLabour is menu with 劳务协作 after 工作台账: of those who may read the labour lists
// (xiezuo.LabourRefusal: the office, the leaders, the city office, the cadres and the lead units
// of the labour work team, 区人力社保局 in 2021), not of other units.
func withLabour(menu []string) []string {
	i := slices.Index(menu, "registers") + 1
	return slices.Insert(slices.Clone(menu), i, "labour")
}

// withIndicators is menu with 考核指标 after 考核: the office's.
func withIndicators(menu []string) []string {
	i := slices.Index(menu, "scorecard") + 1
	return slices.Insert(slices.Clone(menu), i, "indicators")
}

// withCityScore is menu with 全市考核 after 考核 and 考核指标: the offices' (the city's and a
// district's).
func withCityScore(menu []string) []string {
	i := slices.Index(menu, "scorecard") + 1
	if menu[i] == "indicators" {
		i++
	}
	return slices.Insert(slices.Clone(menu), i, "cityscore")
}

// withDrafts is menu with 总结与自评 after 全市考核: the office's.
func withDrafts(menu []string) []string {
	i := slices.Index(menu, "cityscore") + 1
	return slices.Insert(slices.Clone(menu), i, "drafts")
}

// withCityFunds is menu with 全市资金 after 资金: the offices' (the city's and a district's).
func withCityFunds(menu []string) []string {
	i := slices.Index(menu, "funds") + 1
	return slices.Insert(slices.Clone(menu), i, "cityfunds")
}

// TestMenuFromRoutes checks that every menu entry opens a route of the route table, that each
// role is shown exactly the entries whose route it may use, and, through the pages, that every
// link of the menu each test account is shown opens for it.
func TestMenuFromRoutes(t *testing.T) {
	e := newEnv(t)
	for _, m := range menu {
		if _, ok := e.srv.access[m.route]; !ok {
			t.Errorf("menu entry %q opens %q, which is not a route", m.key, m.route)
		}
	}
	if got := e.srv.menuFor(nil, 2021, "门头沟区"); got != nil {
		t.Errorf("menuFor(nil) = %v, want no menu", got)
	}
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	// Every role alone: the menu is the entries whose route the role may use (劳务协作: whom
	// xiezuo.LabourRefusal lets read, a unit's role alone naming no unit of the labour team).
	for _, role := range xiezuo.Roles {
		u := &xiezuo.User{Username: "x", District: "门头沟区", Roles: []string{role}}
		got := map[string]bool{}
		for _, it := range e.srv.menuFor(u, 2021, "门头沟区") {
			got[it.Key] = true
		}
		for _, m := range menu {
			readsNoPlan := role == xiezuo.RoleSysAdmin || role == xiezuo.RoleSecAdmin || role == xiezuo.RoleAuditor
			want := slices.Contains(rolesOf[wantAccess[m.route]], role) && !(readsNoPlan && slices.Contains(planPages, m.key))
			if m.key == "labour" {
				want = want && xiezuo.LabourRefusal(u, "门头沟区", plan, xiezuo.LabourRead) == ""
			}
			if got[m.key] != want {
				t.Errorf("menu of role %s shows %q = %v, want %v (route %q)", role, m.key, got[m.key], want, m.route)
			}
		}
	}
	// Every test account, through its home page: the links shown, and each of them opens.
	nav := regexp.MustCompile(`(?s)<nav aria-label="主菜单">(.*?)</nav>`)
	link := regexp.MustCompile(`<a href="([^"]*)"`)
	for _, tu := range testUsers {
		c := e.signIn(tu.Username)
		var keys []string
		for _, it := range e.srv.menuFor(e.users[tu.Username], 2021, "门头沟区") {
			keys = append(keys, it.Key)
		}
		if diff := cmp.Diff(wantMenu[tu.Username], keys); diff != "" {
			t.Errorf("menu of %s (-want +got):\n%s", tu.Username, diff)
		}
		home := c.get("/")
		m := nav.FindStringSubmatch(home.body)
		if m == nil {
			t.Errorf("home page of %s has no menu", tu.Username)
			continue
		}
		links := link.FindAllStringSubmatch(m[1], -1)
		if len(links) != len(wantMenu[tu.Username]) {
			t.Errorf("home page of %s shows %d menu links, want %d", tu.Username, len(links), len(wantMenu[tu.Username]))
		}
		for _, l := range links {
			href := html.UnescapeString(l[1])
			if resp := c.get(href); resp.StatusCode != http.StatusOK {
				t.Errorf("menu link %s of %s = %d, want 200: %s", href, tu.Username, resp.StatusCode, excerpt(resp.body))
			} else if strings.Contains(resp.body, "没有权限") {
				t.Errorf("menu link %s of %s says it is refused", href, tu.Username)
			} else if strings.Contains(resp.body, "没有可查看的计划") || strings.Contains(href, "year=0") {
				t.Errorf("menu link %s of %s leads to no plan", href, tu.Username)
			}
		}
	}
}
