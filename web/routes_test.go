package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
)

// wantAccess is who may use each route, written out: a route added, or its rule changed, without
// changing this list fails TestRouteTable.
var wantAccess = map[string]access{
	"GET /healthz":                                 accessPublic,
	"GET /readyz":                                  accessAnonymous,
	"GET /metrics":                                 accessOps,
	"GET /signin":                                  accessPublic,
	"POST /signin":                                 accessPublic,
	"POST /signout":                                accessPending,
	"GET /signin/factor":                           accessPending,
	"POST /signin/factor":                          accessPending,
	"GET /password":                                accessPending,
	"POST /password":                               accessPending,
	"GET /account/factor":                          accessPending,
	"POST /account/factor":                         accessPending,
	"GET /account/tokens":                          accessSignedIn,
	"POST /account/tokens":                         accessSignedIn,
	"POST /account/tokens/{id}/revoke":             accessSignedIn,
	"GET /{$}":                                     accessSignedIn,
	"GET /plan":                                    accessSignedIn,
	"GET /plan/coverage":                           accessSignedIn,
	"GET /teams":                                   accessSignedIn,
	"GET /teams/{name}":                            accessSignedIn,
	"GET /group/members":                           accessSignedIn,
	"POST /group/members":                          accessOffice,
	"POST /duties/assign":                          accessOffice,
	"POST /plan/coverage/link":                     accessOffice,
	"GET /units":                                   accessSignedIn,
	"GET /units/{name}":                            accessSignedIn,
	"POST /units/{name}/contact":                   accessSignedIn,
	"POST /units/{name}/contact/reveal":            accessSignedIn,
	"GET /regions":                                 accessSignedIn,
	"GET /regions/{name}":                          accessSignedIn,
	"POST /regions/{name}/contact":                 accessSignedIn,
	"GET /tasks":                                   accessSignedIn,
	"GET /projects":                                accessSignedIn,
	"GET /projects/{id}":                           accessSignedIn,
	"POST /projects/{id}/transactions":             accessSignedIn,
	"GET /funds":                                   accessSignedIn,
	"GET /funds/city":                              accessCityFunds,
	"GET /scorecard/city":                          accessCityFunds,
	"GET /api/v1/projects/{id}/transactions":       accessSignedIn,
	"POST /api/v1/projects/{id}/transactions":      accessSignedIn,
	"POST /projects/{id}/villages":                 accessSignedIn,
	"POST /projects/{id}/villages/remove":          accessSignedIn,
	"POST /projects/{id}/results":                  accessSignedIn,
	"POST /projects/{id}/assets":                   accessSignedIn,
	"GET /regions/{name}/results":                  accessSignedIn,
	"GET /assets":                                  accessSignedIn,
	"POST /projects/{id}/steps":                    accessSignedIn,
	"GET /projects/{id}/evidence/{file}":           accessSignedIn,
	"GET /cadre":                                   accessCadre,
	"GET /search":                                  accessSignedIn,
	"GET /reminders":                               accessSignedIn,
	"POST /reminders/read":                         accessSignedIn,
	"GET /reminders/settings":                      accessOffice,
	"GET /reminders/smtp":                          accessSysAdmin,
	"POST /reminders/settings/unit":                accessOffice,
	"POST /reminders/settings/smtp":                accessSysAdmin,
	"GET /reminders/deliveries":                    accessOffice,
	"POST /reminders/deliveries/{id}/retry":        accessOffice,
	"GET /supervision":                             accessSupervise,
	"GET /supervision/tasks.xlsx":                  accessWatch,
	"GET /watch":                                   accessWatch,
	"GET /dashboard":                               accessDashboard,
	"GET /drafts":                                  accessOffice,
	"POST /drafts":                                 accessOffice,
	"POST /watch/settings":                         accessOffice,
	"POST /supervision/cadence":                    accessOffice,
	"GET /todo":                                    accessSignedIn,
	"GET /calendar":                                accessSignedIn,
	"GET /evidence/{id}":                           accessSignedIn,
	"GET /import":                                  accessOffice,
	"POST /import":                                 accessOffice,
	"POST /import/confirm":                         accessOffice,
	"GET /admin/users":                             accessSysAdmin,
	"POST /admin/users":                            accessSysAdmin,
	"POST /admin/users/{id}":                       accessSysAdmin,
	"POST /admin/users/{id}/unlock":                accessSysAdmin,
	"POST /admin/users/{id}/password":              accessSysAdmin,
	"GET /admin/requests":                          accessAccounts,
	"GET /admin/requests/{id}":                     accessAccounts,
	"POST /admin/requests/{id}/approve":            accessSecAdmin,
	"POST /admin/requests/{id}/reject":             accessSecAdmin,
	"POST /admin/requests/{id}/half":               accessSysAdmin,
	"GET /admin/security":                          accessSecAdmin,
	"POST /admin/security":                         accessSecAdmin,
	"GET /admin/tokens":                            accessSecAdmin,
	"POST /admin/tokens/{id}/revoke":               accessSecAdmin,
	"GET /admin/audit":                             accessAudit,
	"POST /admin/audit/verify":                     accessAudit,
	"GET /api/openapi.json":                        accessPublic,
	"GET /api/":                                    accessPublic,
	"GET /api/v1/plans":                            accessSignedIn,
	"GET /api/v1/plans/{district}/{year}":          accessSignedIn,
	"GET /api/v1/plans/{district}/{year}/projects": accessSignedIn,
	"GET /api/v1/plans/{district}/{year}/tasks":    accessSignedIn,
	"GET /api/v1/plans/{district}/{year}/points":   accessSignedIn,
	"GET /api/v1/plans/{district}/{year}/duties":   accessSignedIn,
	"GET /api/v1/me":                               accessSignedIn,
	"GET /duties/{id}":                             accessSignedIn,
	"POST /duties/{id}/reports":                    accessSignedIn,
	"POST /duties/{id}/close":                      accessOffice,
	"POST /reports/{id}/review":                    accessSignedIn,
	"GET /duties/{id}/exception":                   accessSignedIn,
	"POST /duties/{id}/exception":                  accessSignedIn,
	"GET /periods":                                 accessOffice,
	"POST /periods/freeze":                         accessOffice,
	"POST /periods/unfreeze":                       accessOffice,
	"POST /exceptions/{id}/grant":                  accessOffice,
	"POST /exceptions/{id}/refuse":                 accessOffice,
	"POST /api/v1/duties/{id}/reports":             accessSignedIn,
	"GET /api/v1/duties/{id}/reports":              accessSignedIn,
	"GET /api/v1/reports/{id}":                     accessSignedIn,
	"POST /api/v1/reports/{id}/review":             accessSignedIn,
	"POST /api/v1/duties/{id}/close":               accessOffice,
	"GET /notices":                                 accessSignedIn,
	"GET /notices/new":                             accessOffice,
	"POST /notices/new":                            accessOffice,
	"POST /notices/rule":                           accessOffice,
	"GET /notices/{id}":                            accessSignedIn,
	"POST /notices/{id}/sign":                      accessSignedIn,
	"POST /notices/{id}/answer":                    accessSignedIn,
	"POST /notices/{id}/return":                    accessOffice,
	"POST /notices/{id}/finish":                    accessOffice,
	"POST /notices/{id}/close":                     accessOffice,
	"GET /api/v1/plans/{district}/{year}/notices":  accessSignedIn,
	"POST /api/v1/reports/{id}/evidence":           accessSignedIn,
	"GET /api/v1/evidence/{id}":                    accessSignedIn,
	"GET /api/v1/plans/{district}/{year}/assets":   accessSignedIn,
	"POST /api/v1/projects/{id}/assets":            accessSignedIn,
	"GET /publication":                             accessOffice,
	"POST /publication":                            accessOffice,
	"POST /publication/phone":                      accessOffice,
	"GET /public/{$}":                              accessAnonymous,
	"GET /public/{district}/{year}":                accessAnonymous,
	"GET /public/{district}/{year}/{id}":           accessAnonymous,
	"GET /api/v1/projects/{id}/steps":              accessSignedIn,
	"POST /api/v1/projects/{id}/steps":             accessSignedIn,
	"GET /api/v1/projects/{id}/evidence/{file}":    accessSignedIn,
	"GET /registers":                               accessSignedIn,
	"GET /registers/{kind}":                        accessSignedIn,
	"GET /registers/{kind}/new":                    accessSignedIn,
	"POST /registers/{kind}":                       accessSignedIn,
	"GET /registers/{kind}/import":                 accessSignedIn,
	"GET /registers/{kind}/template.xlsx":          accessSignedIn,
	"POST /registers/{kind}/import":                accessSignedIn,
	"GET /registers/{kind}/{entry}":                accessSignedIn,
	"POST /registers/{kind}/{entry}/correct":       accessSignedIn,
	"POST /registers/{kind}/{entry}/withdraw":      accessSignedIn,
	"GET /api/v1/registers/{kind}":                 accessSignedIn,
	"GET /api/v1/registers/{kind}/{id}":            accessSignedIn,
	"POST /api/v1/registers/{kind}":                accessSignedIn,

	// The scorecard and the indicator editor.
	"GET /scorecard":                                accessSignedIn,
	"GET /scorecard/{code}":                         accessSignedIn,
	"GET /api/v1/plans/{district}/{year}/scorecard": accessSignedIn,
	"GET /indicators":                               accessOffice,
	"GET /indicators/new":                           accessOffice,
	"POST /indicators":                              accessOffice,
	"POST /indicators/copy":                         accessOffice,
	"GET /indicators/{code}/edit":                   accessOffice,
	"POST /indicators/{code}":                       accessOffice,
	"POST /indicators/{code}/withdraw":              accessOffice,

	// Labour cooperation: whoever may read some district's lists; each handler asks
	// xiezuo.LabourRefusal of the district and plan (labourExpect below).
	"GET /labour":                         accessLabour,
	"GET /labour/match":                   accessLabour,
	"POST /labour/match":                  accessLabour,
	"POST /labour/matches/{id}/confirm":   accessLabour,
	"GET /labour/imports/{id}":            accessLabour,
	"GET /labour/imports/{id}/bad.xlsx":   accessLabour,
	"GET /labour/people/{id}":             accessLabour,
	"POST /labour/people/{id}/reveal":     accessLabour,
	"POST /labour/people/{id}/placements": accessLabour,
	"GET /labour/{list}":                  accessLabour,
	"POST /labour/{list}/export":          accessLabour,
	"GET /labour/{list}/{page}":           accessLabour,
	"POST /labour/{list}/import":          accessLabour,
	"POST /labour/{list}/confirm":         accessLabour,

	// The tables upper platforms ask for: the office only (leaders, units, the city office: 403).
	"GET /layouts":             accessOffice,
	"POST /layouts/upload":     accessOffice,
	"GET /layouts/new":         accessOffice,
	"POST /layouts":            accessOffice,
	"GET /layouts/{id}":        accessOffice,
	"GET /layouts/{id}/export": accessOffice,
}

// rolesOf is who each access rule lets in, written out rather than computed by the code under
// test; "" is someone not signed in.
var rolesOf = map[access][]string{
	accessPublic:    {"", xiezuo.RoleOffice, xiezuo.RoleCityOffice, xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre, xiezuo.RoleLeader, xiezuo.RoleSysAdmin, xiezuo.RoleSecAdmin, xiezuo.RoleAuditor},
	accessPending:   {xiezuo.RoleOffice, xiezuo.RoleCityOffice, xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre, xiezuo.RoleLeader, xiezuo.RoleSysAdmin, xiezuo.RoleSecAdmin, xiezuo.RoleAuditor},
	accessSignedIn:  {xiezuo.RoleOffice, xiezuo.RoleCityOffice, xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre, xiezuo.RoleLeader, xiezuo.RoleSysAdmin, xiezuo.RoleSecAdmin, xiezuo.RoleAuditor},
	accessOffice:    {xiezuo.RoleOffice},
	accessSysAdmin:  {xiezuo.RoleSysAdmin},
	accessSecAdmin:  {xiezuo.RoleSecAdmin},
	accessAudit:     {xiezuo.RoleAuditor, xiezuo.RoleOffice},
	accessAccounts:  {xiezuo.RoleSysAdmin, xiezuo.RoleSecAdmin},
	accessSupervise: {xiezuo.RoleOffice, xiezuo.RoleLeader, xiezuo.RoleTeamLead, xiezuo.RoleCityOffice},
	accessWatch:     {xiezuo.RoleOffice, xiezuo.RoleLeader, xiezuo.RoleCityOffice},
	accessAnonymous: {"", xiezuo.RoleOffice, xiezuo.RoleCityOffice, xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre, xiezuo.RoleLeader, xiezuo.RoleSysAdmin, xiezuo.RoleSecAdmin, xiezuo.RoleAuditor},
	accessCadre:     {xiezuo.RoleCadre},
	accessCityFunds: {xiezuo.RoleOffice, xiezuo.RoleCityOffice},
	accessDashboard: {xiezuo.RoleOffice, xiezuo.RoleLeader, xiezuo.RoleCityOffice},
	// The handler answers the loopback address whoever asks (the tests' clients are on it).
	accessOps:    {"", xiezuo.RoleOffice, xiezuo.RoleCityOffice, xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre, xiezuo.RoleLeader, xiezuo.RoleSysAdmin, xiezuo.RoleSecAdmin, xiezuo.RoleAuditor},
	accessLabour: {xiezuo.RoleOffice, xiezuo.RoleCityOffice, xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre, xiezuo.RoleLeader},
}

// labourExpect is who may use a labour route, by the rule of xiezuo.LabourRefusal for the
// 2021 plan of 门头沟区; ok is false for a route that is not a labour route.
func labourExpect(pattern string, u *xiezuo.User, p *xiezuo.Plan) (allowed, ok bool) {
	if !strings.HasPrefix(pattern, "GET /labour") && !strings.HasPrefix(pattern, "POST /labour") {
		return false, false
	}
	a := xiezuo.LabourRead
	switch pattern {
	case "GET /labour/{list}/{page}": // filled as /labour/workers/import, the upload form
		a = xiezuo.LabourWrite
	case "POST /labour/match", "POST /labour/matches/{id}/confirm", "GET /labour/imports/{id}/bad.xlsx",
		"POST /labour/people/{id}/placements", "POST /labour/{list}/import", "POST /labour/{list}/confirm":
		a = xiezuo.LabourWrite
	case "POST /labour/people/{id}/reveal":
		a = xiezuo.LabourReveal
	}
	return xiezuo.LabourRefusal(u, "门头沟区", p, a) == "", true
}

// TestRouteTable checks that every route says who may use it, and that it is the rule written
// in wantAccess: a route added without an access rule fails here.
func TestRouteTable(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	for _, rt := range e.srv.routes {
		if rt.access == accessUnset {
			t.Errorf("route %q has no access rule", rt.pattern)
		}
		if want, ok := wantAccess[rt.pattern]; !ok {
			t.Errorf("route %q is not in wantAccess: say who may use it", rt.pattern)
		} else if rt.access != want {
			t.Errorf("route %q has access %d, want %d", rt.pattern, rt.access, want)
		}
		if rt.handler == nil {
			t.Errorf("route %q has no handler", rt.pattern)
		}
		if seen[rt.pattern] {
			t.Errorf("route %q is listed twice", rt.pattern)
		}
		seen[rt.pattern] = true
	}
	for p := range wantAccess {
		if !seen[p] {
			t.Errorf("wantAccess lists %q, which is not a route", p)
		}
	}
}

// TestRouteRoleMatrix requests every route as every role, and as nobody, and checks that the
// request is let through or refused as the route's access rule says. Refused means 401/403, or a
// redirect to the sign-in page for someone not signed in.
func TestRouteRoleMatrix(t *testing.T) {
	e := newEnv(t)
	target := &xiezuo.User{Username: "target", Name: "钱目标", District: "门头沟区", Unit: "区教委", Roles: []string{xiezuo.RoleUnit}}
	if err := e.db.CreateUser(t.Context(), target, testHash); err != nil {
		t.Fatal(err)
	}
	// A duty and a report on it: task 13, led by 区财政局, whose report went to the office.
	duty, rep := reportFixture(t, e)
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	// A project of 内蒙古武川县 led by 区人力社保局, whose facts its office, lead unit and cadre write.
	reach := plan.Projects[slices.IndexFunc(plan.Projects, func(p xiezuo.Project) bool {
		return p.Region == "内蒙古武川县" && p.LeadUnit == "区人力社保局"
	})]
	fill := func(pattern string) (method, path string) {
		method, path, _ = strings.Cut(pattern, " ")
		path = strings.TrimSuffix(path, "{$}")
		if strings.Contains(path, "/duties/{id}") {
			path = strings.Replace(path, "{id}", duty.String(), 1)
		}
		if strings.Contains(path, "/reports/{id}") {
			path = strings.Replace(path, "{id}", strconv.FormatInt(rep.ID, 10), 1)
		}
		if strings.Contains(path, "/projects/{id}") {
			path = strings.Replace(path, "{id}", strconv.FormatInt(reach.ID, 10), 1)
			path = strings.Replace(path, "{file}", "999999", 1)
		}
		if strings.HasPrefix(path, "/units/") {
			path = strings.Replace(path, "{name}", url.PathEscape("区财政局"), 1)
		}
		if strings.HasPrefix(path, "/teams/") {
			path = strings.Replace(path, "{name}", url.PathEscape("劳务协作专班"), 1)
		}
		path = strings.NewReplacer("{kind}", "meetings", "{entry}", "999999", "{list}", "workers", "{page}", "import").Replace(path)
		path = strings.NewReplacer("{name}", url.PathEscape("内蒙古武川县"), "{id}", strconv.FormatInt(target.ID, 10),
			"{district}", url.PathEscape("门头沟区"), "{year}", "2021").Replace(path)
		return method, path
	}
	// expect is the rule, including the object checks handlers make.
	expect := func(rt route, u *xiezuo.User) bool {
		if u == nil {
			return slices.Contains(rolesOf[wantAccess[rt.pattern]], "")
		}
		if ok, labour := labourExpect(rt.pattern, u, plan); labour {
			return ok
		}
		switch rt.pattern {
		case "POST /units/{name}/contact":
			return u.CanEditUnit("门头沟区", "区财政局")
		case "POST /units/{name}/contact/reveal":
			return u.CanSeePersonalData("门头沟区")
		case "GET /api/v1/plans/{district}/{year}", "GET /api/v1/plans/{district}/{year}/projects",
			"GET /api/v1/plans/{district}/{year}/tasks", "GET /api/v1/plans/{district}/{year}/points",
			"GET /api/v1/plans/{district}/{year}/duties",
			"GET /api/v1/plans/{district}/{year}/notices", "GET /api/v1/plans/{district}/{year}/assets",
			"GET /api/v1/plans/{district}/{year}/scorecard":
			return u.CanReadDistrict("门头沟区")
		case "GET /duties/{id}":
			return u.CanReadDistrict("门头沟区")
		case "POST /duties/{id}/reports", "POST /api/v1/duties/{id}/reports", "GET /duties/{id}/exception", "POST /duties/{id}/exception":
			return xiezuo.ReportRole(plan, duty, u, xiezuo.Groups{}) != xiezuo.DutyNone
		case "GET /api/v1/duties/{id}/reports":
			return u.CanReadDistrict("门头沟区") && xiezuo.CanListReports(u, plan, xiezuo.Groups{}, duty, xiezuo.ReportRole(plan, duty, u, xiezuo.Groups{}))
		case "GET /api/v1/reports/{id}":
			return u.CanReadDistrict("门头沟区") && xiezuo.CanReadReport(u, plan, xiezuo.Groups{}, &rep)
		case "POST /api/v1/reports/{id}/evidence":
			return xiezuo.CanReadReport(u, plan, xiezuo.Groups{}, &rep) && u.CanAttach(plan, xiezuo.Groups{}, &rep, latest) == nil
		case "POST /reports/{id}/review", "POST /api/v1/reports/{id}/review":
			return u.CanReadDistrict("门头沟区") && xiezuo.CanReadReport(u, plan, xiezuo.Groups{}, &rep) && u.CanReview("门头沟区", rep.ToUnit)
		case "GET /api/v1/projects/{id}/transactions":
			return u.CanReadDistrict("门头沟区")
		case "POST /projects/{id}/transactions", "POST /api/v1/projects/{id}/transactions":
			return u.CanEditProject("门头沟区", &reach)
		case "POST /projects/{id}/villages", "POST /projects/{id}/villages/remove", "POST /projects/{id}/results",
			"POST /projects/{id}/assets", "POST /api/v1/projects/{id}/assets":
			return u.CanEditProject("门头沟区", &reach)
		case "POST /projects/{id}/steps", "POST /api/v1/projects/{id}/steps":
			return u.CanEditProject("门头沟区", &reach)
		case "GET /api/v1/projects/{id}/steps":
			return u.CanReadDistrict("门头沟区")
		case "GET /registers/{kind}/new", "POST /registers/{kind}", "GET /registers/{kind}/import", "POST /registers/{kind}/import",
			"POST /registers/{kind}/{entry}/correct", "POST /registers/{kind}/{entry}/withdraw", "POST /api/v1/registers/{kind}":
			return u.CanRecordRegisters("门头沟区")
		case "GET /registers/{kind}/template.xlsx":
			return u.ReadsPlans()
		case "GET /api/v1/registers/{kind}", "GET /api/v1/registers/{kind}/{id}":
			return u.CanReadRegisters("门头沟区")
		case "POST /regions/{name}/contact":
			// The office, the cadre of 内蒙古武川县, and units leading one of its projects.
			return u.Has(xiezuo.RoleOffice) || u.Has(xiezuo.RoleCadre) || (u.Has(xiezuo.RoleUnit) && u.Unit == "区人力社保局")
		}
		for _, role := range u.Roles {
			if slices.Contains(rolesOf[wantAccess[rt.pattern]], role) {
				return true
			}
		}
		return false
	}
	names := append([]string{""}, func() []string {
		var n []string
		for _, u := range testUsers {
			n = append(n, u.Username)
		}
		return n
	}()...)
	clients := map[string]*client{"": e.anonymous()}
	for _, name := range names[1:] {
		clients[name] = e.signIn(name)
	}
	for _, rt := range e.srv.routes {
		for _, name := range names {
			c, u := clients[name], e.users[name]
			if rt.pattern == "POST /signout" && name != "" {
				c = e.signIn(name) // signing out ends the session: use one of its own
			}
			method, path := fill(rt.pattern)
			var resp response
			if method == http.MethodPost {
				resp = c.post(path, url.Values{})
			} else {
				resp = c.get(path)
			}
			loc := resp.Header.Get("Location")
			// A report one may not read is not found, as for no report at all (A-F15).
			hidden := resp.StatusCode == http.StatusNotFound && strings.Contains(rt.pattern, "/reports/{id}")
			refused := hidden || resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized ||
				(resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/signin") && (rt.pattern != "POST /signout" || name == ""))
			if resp.StatusCode >= 500 {
				t.Errorf("%s as %q = %d: %s", rt.pattern, name, resp.StatusCode, excerpt(resp.body))
				continue
			}
			if want := expect(rt, u); refused == want {
				t.Errorf("%s as %q = %d %s, want allowed = %v", rt.pattern, name, resp.StatusCode, loc, want)
			}
		}
	}
}

// excerpt is the part of a page that says what went wrong.
func excerpt(body string) string {
	if i := strings.Index(body, `class="msg`); i >= 0 {
		body = body[i:]
	}
	return body[:min(len(body), 300)]
}
