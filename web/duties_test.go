package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/sqldb"
)

// section returns the part of a page from the heading h2 to the next heading.
func section(body, h2 string) string {
	i := strings.Index(body, "<h2>"+h2)
	if i < 0 {
		return ""
	}
	rest := body[i+len(h2):]
	if j := strings.Index(rest, "<h2>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// TestGroupDutiesReachMembers checks that duties given to 领导小组各成员单位 reach every member
// unit's home page, and that 单位 does not list the group as a unit.
func TestGroupDutiesReachMembers(t *testing.T) {
	e := newEnv(t)
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office"})
	if err := e.db.SetGroupMembers(ctx, "门头沟区", xiezuo.CatalogueMembers()); err != nil {
		t.Fatal(err)
	}
	home := e.signIn("caizheng").get("/").body
	for _, want := range []string{"倾斜支持", "工作创新", `<li value="1">`, `<li value="15">`} {
		if !strings.Contains(home, want) {
			t.Errorf("区财政局's home page lacks %s", want)
		}
	}
	units := e.signIn("office").get("/units").body
	if strings.Contains(units, ">领导小组各成员单位<") || strings.Contains(units, ">领导小组相关成员单位<") {
		t.Errorf("/units lists a group as a unit")
	}
}

// TestAssignRelatedMembers checks that a duty given to 领导小组相关成员单位 waits on the office's
// list 待交办 until the office names units, and then reaches them.
func TestAssignRelatedMembers(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	todo := section(office.get("/").body, "待交办")
	if !strings.Contains(todo, "健全完善组织体系和工作机制") || !strings.Contains(todo, "调研对接") {
		t.Fatalf("office's 待交办 lacks point 2 or task 调研对接:\n%s", todo)
	}
	if strings.Contains(e.signIn("caizheng").get("/").body, "健全完善组织体系和工作机制") {
		t.Fatalf("区财政局 has point 2 before it is assigned")
	}
	resp := office.post("/duties/assign", url.Values{"kind": {"point"}, "number": {"2"}, "units": {"区财政局"}, "year": {"2021"}, "district": {"门头沟区"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /duties/assign = %d: %s", resp.StatusCode, resp.body)
	}
	if !strings.Contains(e.signIn("caizheng").get("/").body, "健全完善组织体系和工作机制") {
		t.Errorf("区财政局 lacks point 2 once assigned")
	}
	home := office.get("/").body
	if strings.Contains(section(home, "待交办"), "健全完善组织体系和工作机制") {
		t.Errorf("point 2 is still 待交办 once assigned")
	}
	if done := section(home, "已交办"); !strings.Contains(done, "健全完善组织体系和工作机制") || !strings.Contains(done, "区财政局") || !strings.Contains(done, "office 于") {
		t.Errorf("office's 已交办 does not say who assigned point 2 to 区财政局, and when:\n%s", done)
	}
	resp = office.post("/duties/assign", url.Values{"kind": {"point"}, "number": {"2"}, "units": {"区财政局"}, "year": {"2021"}, "district": {"延庆区"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("assigning in another district = %d, want 403", resp.StatusCode)
	}
	resp = office.post("/duties/assign", url.Values{"kind": {"point"}, "number": {"2"}, "units": {"区财政"}, "year": {"2021"}, "district": {"门头沟区"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(office.get(resp.Header.Get("Location")).body, "单位目录") {
		t.Errorf("assigning an unknown unit = %d, want the list back with a refusal naming the catalogue", resp.StatusCode)
	}
	// The assignment attaches to the stored point by id: a number the plan does not have is refused.
	resp = office.post("/duties/assign", url.Values{"kind": {"point"}, "number": {"99"}, "units": {"区财政局"}, "year": {"2021"}, "district": {"门头沟区"}})
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(resp.body, "没有工作要点第99条") {
		t.Errorf("assigning point 99 = %d, want 404 saying the plan has no point 99:\n%s", resp.StatusCode, resp.body)
	}
}

// TestGroupMembersPage checks that the office edits its leading group's members on a page.
func TestGroupMembersPage(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	unitRow := func() string {
		body := office.get("/units").body
		i := strings.Index(body, ">区财政局</a>")
		if i < 0 {
			t.Fatalf("/units lacks 区财政局")
		}
		return body[i : i+strings.Index(body[i:], "</tr>")]
	}
	before := unitRow() // cached now
	resp := office.post("/group/members", url.Values{"units": {"区财政局\n区商务局"}, "year": {"2021"}, "district": {"门头沟区"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /group/members = %d: %s", resp.StatusCode, resp.body)
	}
	page := office.get("/group/members").body
	if !strings.Contains(page, "区财政局") || !strings.Contains(page, "区商务局") {
		t.Errorf("/group/members does not show the members")
	}
	if !strings.Contains(e.signIn("caizheng").get("/").body, "倾斜支持") {
		t.Errorf("a member unit lacks 倾斜支持")
	}
	if after := unitRow(); after == before {
		t.Errorf("/units shows 区财政局's counts from before it joined the leading group: %s", after)
	}
}

// TestTeamPage checks that a team lead's home page links its team to a page of the team.
func TestTeamPage(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("renshe")
	href := "/teams/" + url.PathEscape("劳务协作专班")
	if home := c.get("/").body; !strings.Contains(strings.ToLower(home), strings.ToLower(`href="`+href)) { // the template writes lower-case escapes
		t.Fatalf("team lead's home page does not link its team")
	}
	resp := c.get(href + "?year=2021&district=" + url.QueryEscape("门头沟区"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", href, resp.StatusCode)
	}
	for _, want := range []string{"区人力社保局", "就业帮扶", "light-green"} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("team page lacks %s", want)
		}
	}
	if resp := c.get("/teams/" + url.PathEscape("无此专班")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET an unknown team = %d, want 404", resp.StatusCode)
	}
}

// TestPlanSectionNumbers checks that the plan page numbers its sections as the document does.
func TestPlanSectionNumbers(t *testing.T) {
	e := newEnv(t)
	body := e.signIn("office").get("/plan").body
	for _, want := range []string{"<h2>一、持续提高政治站位", "<h2>二、"} {
		if !strings.Contains(body, want) {
			t.Errorf("/plan lacks %s", want)
		}
	}
}

// TestCoverageLinks checks that the coverage page says how each link was made, and that the
// office corrects a link.
func TestCoverageLinks(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	body := office.get("/plan/coverage").body
	if !strings.Contains(body, "要点标题写明") || !strings.Contains(body, "字面相同") {
		t.Errorf("coverage page does not say how links were made")
	}
	row := func(body string, n string) string {
		i := strings.Index(body, `id="cov-`+n+`"`)
		if i < 0 {
			return ""
		}
		rest := body[i:]
		if j := strings.Index(rest, "</tr>"); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	if strings.Contains(row(body, "1"), "／干部人才</strong>") {
		t.Errorf("point 1 is linked to 干部人才")
	}
	resp := office.post("/plan/coverage/link", url.Values{"point": {"1"}, "task": {"1"}, "linked": {"1"}, "year": {"2021"}, "district": {"门头沟区"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /plan/coverage/link = %d: %s", resp.StatusCode, resp.body)
	}
	if r := row(office.get("/plan/coverage").body, "1"); !strings.Contains(r, "／研究部署</strong>") || !strings.Contains(r, "办公室设定") {
		t.Errorf("point 1 lacks the office's link to 研究部署:\n%s", r)
	}
	resp = office.post("/plan/coverage/link", url.Values{"point": {"1"}, "task": {"999"}, "linked": {"1"}, "year": {"2021"}, "district": {"门头沟区"}})
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(resp.body, "没有任务第999项") {
		t.Errorf("linking task 999 = %d, want 404 saying the plan has no task 999:\n%s", resp.StatusCode, resp.body)
	}
	if n := countAudit(t, e, sqldb.AuditCoverage); n != 1 {
		t.Errorf("%d audit entries for the link, want 1", n)
	}
}

func countAudit(t *testing.T, e *env, action string) int {
	t.Helper()
	es, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestUserFormUnit checks that the account form takes units from the catalogue: an alias is
// stored by its canonical name, a unit in no catalogue is refused with the near names.
func TestUserFormUnit(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	if page := sys.get("/admin/users").body; !strings.Contains(page, `<datalist id="units"`) || !strings.Contains(page, `value="区财政局"`) {
		t.Errorf("the account form offers no units from the catalogue")
	}
	r := sys.post("/admin/users", url.Values{"username": {"cz2"}, "name": {"李财政"}, "district": {"门头沟区"}, "unit": {"区财政"}, "role": {"unit"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "区财政局") {
		t.Errorf("creating a user of 区财政 = %d, want 400 naming 区财政局", r.StatusCode)
	}
	r = sys.post("/admin/users", url.Values{"username": {"rs2"}, "name": {"刘人社"}, "district": {"门头沟区"}, "unit": {"区人社局"}, "role": {"unit"}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("creating a user of 区人社局 = %d: %s", r.StatusCode, excerpt(r.body))
	}
	if u, err := e.db.UserByUsername(t.Context(), "rs2"); err != nil || u.Unit != "区人力社保局" {
		t.Errorf("user rs2 = %v, %v; want unit 区人力社保局", u, err)
	}
}

// TestPendingDutiesCounted: duties given to 相关成员单位 and not yet assigned count among the
// duties nobody has, on every reader's home page and on the coverage page.
func TestPendingDutiesCounted(t *testing.T) {
	e := newEnv(t)
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	for _, name := range []string{"office", "leader"} {
		c := e.signIn(name)
		if body := c.get("/" + q).body; !strings.Contains(body, "其中待交办") {
			t.Errorf("%s's home page does not count the duties waiting to be assigned", name)
		}
		if body := c.get("/plan/coverage" + q).body; !strings.Contains(body, "尚待办公室") {
			t.Errorf("%s's coverage page says nothing of the duties waiting to be assigned", name)
		}
	}
}

// TestAssignRefusedKeepsInput: a unit not in the catalogue typed at 交办 brings the office back
// to its list with the reason and what it typed, not to an error page that loses it.
func TestAssignRefusedKeepsInput(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	refs := xiezuo.RelatedDuties(plan)
	if len(refs) == 0 {
		t.Fatal("the 2021 plan has no duty given to 相关成员单位")
	}
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	r := c.post("/duties/assign"+q, url.Values{"kind": {string(refs[0].Kind)}, "number": {strconv.Itoa(refs[0].Number)}, "units": {"区财政"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign to 区财政 = %d %s, want a redirect back to the list", r.StatusCode, excerpt(r.body))
	}
	page := c.get(r.Header.Get("Location"))
	if !strings.Contains(page.body, "区财政局") || !strings.Contains(page.body, `value="区财政"`) {
		t.Errorf("the list after a refused 交办 lacks the reason or the typed units: %s", excerpt(page.body))
	}
}

// TestAssignedUnitsShown: once the office names the units of a duty given to 相关成员单位, the
// plan and coverage pages say who has it, for every reader, and the cached pages change.
func TestAssignedUnitsShown(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	leader := e.signIn("leader")
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	for _, p := range []string{"/plan", "/plan/coverage"} {
		if body := leader.get(p + q).body; strings.Contains(body, "已交办") {
			t.Fatalf("%s says 已交办 before anything was assigned", p)
		}
	}
	r := office.post("/duties/assign"+q, url.Values{"kind": {"point"}, "number": {"2"}, "units": {"区审计局"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign point 2 = %d %s", r.StatusCode, excerpt(r.body))
	}
	for _, p := range []string{"/plan", "/plan/coverage"} {
		if body := leader.get(p + q).body; !strings.Contains(body, "已交办") || !strings.Contains(body, "区审计局") {
			t.Errorf("%s does not show the units point 2 was assigned to", p)
		}
	}
}

// TestGroupMemberLinks: every unit /group/members links to has its page — the catalogue's
// members, most of them named in the plan only as 各成员单位 — with its duties through the
// leading group and their lights, by name; a unit answering for nothing still has none.
func TestGroupMemberLinks(t *testing.T) {
	e := newEnv(t)
	if err := e.db.SetGroupMembers(sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office"}), "门头沟区", xiezuo.CatalogueMembers()); err != nil {
		t.Fatal(err)
	}
	office := e.signIn("office")
	body := office.get("/group/members").body
	links := regexp.MustCompile(`href="(/units/[^"?]+)[^"]*"`).FindAllStringSubmatch(body, -1)
	if len(links) < 30 {
		t.Fatalf("/group/members links %d units, want the catalogue's members", len(links))
	}
	for _, l := range links {
		name, _ := url.PathUnescape(strings.TrimPrefix(l[1], "/units/"))
		resp := office.get(l[1] + "?year=2021&district=" + url.QueryEscape("门头沟区"))
		text := noticeText(resp.body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(text, name) || !strings.Contains(text, "各成员单位") || !strings.Contains(text, "应报 ") {
			t.Errorf("GET %s = %d, want its page with its duties through the leading group:\n%s", l[1], resp.StatusCode, head(text))
		}
	}
	if resp := office.get("/units/" + url.PathEscape("区交通局") + "?year=2021&district=" + url.QueryEscape("门头沟区")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /units/区交通局 (answers for nothing) = %d, want 404", resp.StatusCode)
	}
}

// TestUnitContactNamesWriter: the unit page says who updated its contact by name and unit,
// not by sign-in name.
func TestUnitContactNamesWriter(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	page := "/units/" + url.PathEscape("区财政局") + q
	if resp := office.post("/units/"+url.PathEscape("区财政局")+"/contact"+q, url.Values{"name": {"张三"}, "phone": {"13800000000"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST contact = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	if text := noticeText(office.get(page).body); !strings.Contains(text, "（王办公（领导小组办公室） 于") || strings.Contains(text, "office 于") {
		t.Errorf("unit page names the contact's writer by sign-in name:\n%s", head(text))
	}
}
