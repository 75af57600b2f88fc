package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/otp"
	"xiezuo/sqldb"
)

// shownSecrets are the passwords or halves a page shows in <code>.
func shownSecrets(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<code[^>]*>([^<]+)</code>`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestPrivilegedGrantWaitsForApproval: the system administrator gives 区财政局's account the
// office role; until the security administrator approves, the account cannot import.
func TestPrivilegedGrantWaitsForApproval(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	cz := e.users["caizheng"]
	r := sys.post("/admin/users/"+strconv.FormatInt(cz.ID, 10), url.Values{"name": {cz.Name}, "district": {"门头沟区"}, "unit": {cz.Unit}, "role": {"unit", "office"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("request the office role = %d %s", r.StatusCode, excerpt(r.body))
	}
	c := e.signIn("caizheng")
	if r := c.get("/import"); r.StatusCode != http.StatusForbidden {
		t.Errorf("GET /import with the office role not yet approved = %d, want 403", r.StatusCode)
	}
	// A new account asked as system administrator holds no role until approved: even with its
	// password, it reaches no administration page.
	r = sys.post("/admin/users", url.Values{"username": {"sys2"}, "name": {"钱系统"}, "district": {"门头沟区"}, "unit": {"领导小组办公室"}, "role": {"sysadmin"}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("create sys2 = %d %s", r.StatusCode, excerpt(r.body))
	}
	sys2, err := e.db.UserByUsername(t.Context(), "sys2")
	if err != nil || len(sys2.Roles) != 0 {
		t.Fatalf("sys2 = %+v, %v; want no role yet", sys2, err)
	}
	if err := e.db.SetPassword(t.Context(), sys2.ID, testHash, false, *e.clock); err != nil {
		t.Fatal(err)
	}
	c2 := e.signIn("sys2")
	for _, p := range []string{"/admin/users", "/admin/requests", "/admin/security", "/admin/audit", "/import"} {
		if r := c2.get(p); r.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s by sys2 before approval = %d, want 403", p, r.StatusCode)
		}
	}
	if r := c2.get("/"); r.StatusCode != http.StatusOK {
		t.Errorf("home of an account with no role = %d", r.StatusCode)
	}
}

// TestPrivilegedResetShowsNoUsablePassword: the system administrator resets the office's
// password; whatever the page shows does not sign in.
func TestPrivilegedResetShowsNoUsablePassword(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	r := sys.post("/admin/users/"+strconv.FormatInt(e.users["office"].ID, 10)+"/password", nil)
	if r.StatusCode >= 400 {
		t.Fatalf("reset = %d %s", r.StatusCode, excerpt(r.body))
	}
	for _, pw := range shownSecrets(r.body) {
		if resp := e.anonymous().signInForm("office", pw); resp.StatusCode == http.StatusSeeOther {
			t.Errorf("the system administrator signs in as the office with %q shown at reset", pw)
		}
	}
	if resp := e.anonymous().signInForm("office", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the office's own password after a reset not yet approved = %d, want it still good", resp.StatusCode)
	}
}

// TestPrivilegedCreateShowsNoUsablePassword: a new auditor account's initial password is not
// shown to the system administrator.
func TestPrivilegedCreateShowsNoUsablePassword(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	r := sys.post("/admin/users", url.Values{"username": {"auditor2"}, "name": {"冯审计"}, "district": {"门头沟区"}, "unit": {"领导小组办公室"}, "role": {"auditor"}})
	if r.StatusCode >= 400 {
		t.Fatalf("create = %d %s", r.StatusCode, excerpt(r.body))
	}
	for _, pw := range shownSecrets(r.body) {
		if resp := e.anonymous().signInForm("auditor2", pw); resp.StatusCode == http.StatusSeeOther {
			t.Errorf("the system administrator signs in as the new auditor with %q", pw)
		}
	}
	if !strings.Contains(r.body, "待安全管理员批准") {
		t.Errorf("create page does not say the account waits for the security administrator")
	}
}

// approve has the security administrator approve request id and returns the page.
func approve(t *testing.T, sec *client, id int64) response {
	t.Helper()
	r := sec.post("/admin/requests/"+strconv.FormatInt(id, 10)+"/approve", url.Values{"reason": {"经研究同意"}})
	if r.StatusCode != http.StatusOK && r.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve request %d = %d %s", id, r.StatusCode, excerpt(r.body))
	}
	return r
}

// pendingRequest is the id of the pending request about username.
func pendingRequest(t *testing.T, e *env, username string) int64 {
	t.Helper()
	list, err := e.db.AccountRequests(t.Context(), sqldb.RequestFilter{Pending: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.Username == username {
			return r.ID
		}
	}
	t.Fatalf("no pending request about %s", username)
	return 0
}

// TestGrantApprovedTakesEffect: the same grant, approved by the security administrator, lets
// the account import; it gets a new password under dual control, as it was not privileged.
func TestGrantApprovedTakesEffect(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	cz := e.users["caizheng"]
	sys.post("/admin/users/"+strconv.FormatInt(cz.ID, 10), url.Values{"name": {cz.Name}, "district": {"门头沟区"}, "unit": {cz.Unit}, "role": {"unit", "office"}})
	id := pendingRequest(t, e, "caizheng")
	sec := e.signIn("secadmin")
	page := sec.get("/admin/requests")
	if !strings.Contains(page.body, "caizheng") || !strings.Contains(page.body, "/admin/requests/"+strconv.FormatInt(id, 10)+"/approve") {
		t.Errorf("the security administrator's page does not offer to approve request %d", id)
	}
	first := shownSecrets(approve(t, sec, id).body)
	if len(first) != 1 {
		t.Fatalf("approval shows %v, want the first half", first)
	}
	second := shownSecrets(sys.post("/admin/requests/"+strconv.FormatInt(id, 10)+"/half", nil).body)
	if len(second) != 1 {
		t.Fatalf("the system administrator's half = %v", second)
	}
	c := e.anonymous()
	if r := c.signInForm("caizheng", first[0]+second[0]); r.Header.Get("Location") != "/password" {
		t.Fatalf("sign in with both halves → %d %q, want /password", r.StatusCode, r.Header.Get("Location"))
	}
	changePassword(t, c, first[0]+second[0])
	if r := c.get("/import"); r.StatusCode != http.StatusOK {
		t.Errorf("GET /import after approval = %d, want 200", r.StatusCode)
	}
}

// changePassword changes a signed-in client's password from old.
func changePassword(t *testing.T, c *client, old string) {
	t.Helper()
	page := c.get("/password")
	c.csrf = regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	if r := c.post("/password", url.Values{"old": {old}, "new": {"Xinmima#2021a"}, "confirm": {"Xinmima#2021a"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password = %d %s", r.StatusCode, excerpt(r.body))
	}
}

// TestNoSelfApproval: a reset of the security administrator's own account cannot be approved
// by it: 403, audited; another security administrator may.
func TestNoSelfApproval(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	sys.post("/admin/users/"+strconv.FormatInt(e.users["secadmin"].ID, 10)+"/password", nil)
	id := pendingRequest(t, e, "secadmin")
	sec := e.signIn("secadmin")
	if r := sec.post("/admin/requests/"+strconv.FormatInt(id, 10)+"/approve", url.Values{"reason": {"自己批"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("the security administrator approves its own reset = %d, want 403", r.StatusCode)
	}
	if n := countRefused(t, e, sqldb.AuditAccountDecide, "secadmin"); n != 1 {
		t.Errorf("audit holds %d refused decisions, want 1", n)
	}
	if r := sys.post("/admin/requests/"+strconv.FormatInt(id, 10)+"/approve", url.Values{"reason": {"代批"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("the system administrator approves = %d, want 403", r.StatusCode)
	}
	if got, _ := e.db.AccountRequestByID(t.Context(), id); !got.Pending() {
		t.Errorf("request %d decided by a refused approval", id)
	}
}

// TestDualControlReset: the full flow for the office with an enrolled second factor: the
// system administrator's reset waits; the security administrator approves and is shown the
// first half; the system administrator the second, once; neither half signs in; both do, the
// second factor is still asked, then the password must be changed.
func TestDualControlReset(t *testing.T) {
	e := newEnv(t)
	office := e.users["office"]
	secret := []byte("12345678901234567890")
	if err := e.db.SetTOTP(t.Context(), office.ID, secret); err != nil {
		t.Fatal(err)
	}
	sys := e.signIn("sysadmin")
	sys.post("/admin/users/"+strconv.FormatInt(office.ID, 10)+"/password", nil)
	id := pendingRequest(t, e, "office")
	sec := e.signIn("secadmin")
	first := shownSecrets(approve(t, sec, id).body)
	if len(first) != 1 {
		t.Fatalf("approval shows %v, want the first half", first)
	}
	if again := sec.get("/admin/requests/" + strconv.FormatInt(id, 10)); len(shownSecrets(again.body)) != 0 {
		t.Errorf("the request's page shows a half again to the security administrator")
	}
	if r := sec.post("/admin/requests/"+strconv.FormatInt(id, 10)+"/half", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("the security administrator takes the second half = %d, want 403", r.StatusCode)
	}
	page := sys.get("/admin/requests/" + strconv.FormatInt(id, 10))
	if !strings.Contains(page.body, "/half") {
		t.Errorf("the request's page offers the system administrator no half")
	}
	second := shownSecrets(sys.post("/admin/requests/"+strconv.FormatInt(id, 10)+"/half", nil).body)
	if len(second) != 1 {
		t.Fatalf("the system administrator's half = %v", second)
	}
	if r := sys.post("/admin/requests/"+strconv.FormatInt(id, 10)+"/half", nil); r.StatusCode != http.StatusNotFound || len(shownSecrets(r.body)) != 0 {
		t.Errorf("the second half shown twice: %d", r.StatusCode)
	}
	for _, half := range []string{first[0], second[0], testPassword} {
		if r := e.anonymous().signInForm("office", half); r.StatusCode == http.StatusSeeOther {
			t.Errorf("sign in with %q alone = %d, want refused", half, r.StatusCode)
		}
	}
	c := e.anonymous()
	if r := c.signInForm("office", first[0]+second[0]); r.Header.Get("Location") != "/signin/factor" {
		t.Fatalf("sign in with both halves → %q, want /signin/factor", r.Header.Get("Location"))
	}
	page = c.get("/signin/factor")
	c.csrf = regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	if r := c.post("/signin/factor", url.Values{"code": {otp.Code(secret, *e.clock)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("code = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := c.get("/import"); r.Header.Get("Location") != "/password" {
		t.Fatalf("GET /import after the code → %d %q, want /password", r.StatusCode, r.Header.Get("Location"))
	}
	changePassword(t, c, first[0]+second[0])
	if r := c.get("/import"); r.StatusCode != http.StatusOK {
		t.Errorf("GET /import after the new password = %d", r.StatusCode)
	}
}

// TestUnprivilegedResetStaysImmediate: a unit's password is reset at once and shown; the unit
// must change it.
func TestUnprivilegedResetStaysImmediate(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	r := sys.post("/admin/users/"+strconv.FormatInt(e.users["caizheng"].ID, 10)+"/password", nil)
	pw := shownSecrets(r.body)
	if len(pw) != 1 {
		t.Fatalf("reset of a unit shows %v, want its password", pw)
	}
	if r := e.anonymous().signInForm("caizheng", pw[0]); r.Header.Get("Location") != "/password" {
		t.Errorf("sign in with the reset password → %q, want /password", r.Header.Get("Location"))
	}
}

// TestPendingAccountPasswordStaysUnknown: while the grant of a privileged role waits, the
// system administrator cannot learn the account's password by resetting it (the reset waits
// for approval too), the account reads no plan, and the approval's new password ends any
// token made meanwhile.
func TestPendingAccountPasswordStaysUnknown(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	r := sys.post("/admin/users", url.Values{"username": {"office2"}, "name": {"褚办公"}, "district": {"门头沟区"}, "unit": {"领导小组办公室"}, "role": {"office"}})
	if r.StatusCode >= 400 {
		t.Fatalf("create office2 = %d %s", r.StatusCode, excerpt(r.body))
	}
	o2, err := e.db.UserByUsername(t.Context(), "office2")
	if err != nil {
		t.Fatal(err)
	}
	if r := sys.get("/admin/users"); !strings.Contains(r.body, "待批准") {
		t.Errorf("users page does not say office2 waits for approval")
	}
	r = sys.post("/admin/users/"+strconv.FormatInt(o2.ID, 10)+"/password", nil)
	if r.StatusCode >= 400 {
		t.Fatalf("reset office2 = %d %s", r.StatusCode, excerpt(r.body))
	}
	shown := shownSecrets(r.body)
	if loc := r.Header.Get("Location"); loc != "" {
		shown = append(shown, shownSecrets(sys.get(loc).body)...)
	}
	for _, pw := range shown {
		if resp := e.anonymous().signInForm("office2", pw); resp.StatusCode == http.StatusSeeOther {
			t.Fatalf("the system administrator signs in as office2, waiting for approval, with %q shown at reset", pw)
		}
	}

	// Even with a password known (set here behind the pages' back), an account whose roles
	// wait reads no plan, and a token it makes dies with the approval's new password.
	if err := e.db.SetPassword(t.Context(), o2.ID, testHash, false, *e.clock); err != nil {
		t.Fatal(err)
	}
	c := e.signIn("office2")
	for _, p := range []string{"/plan", "/projects", "/units", "/api/v1/plans/门头沟区/2021/projects"} {
		if r := c.get(p); r.StatusCode == http.StatusOK && !strings.Contains(r.body, "没有") {
			t.Errorf("GET %s by office2 before approval = %d, want no plan", p, r.StatusCode)
		}
	}
	tok := "xz_test_pending_token_0123456789abcdef"
	if _, err := e.db.CreateAPIToken(t.Context(), o2.ID, "t", apiTokenHash(tok), *e.clock, e.clock.AddDate(0, 0, 30)); err != nil {
		t.Fatal(err)
	}
	approve(t, e.signIn("secadmin"), pendingRequest(t, e, "office2"))
	req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if r := e.anonymous().do(req); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("token made before the approval's new password = %d, want 401", r.StatusCode)
	}
}

// TestSysAdminCannotRemoveTheOtherAdmins: the system administrator alone neither takes the
// only auditor's role away nor disables the only security administrator (三员分立).
func TestSysAdminCannotRemoveTheOtherAdmins(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	aud, sec := e.users["auditor"], e.users["secadmin"]
	r := sys.post("/admin/users/"+strconv.FormatInt(aud.ID, 10), url.Values{"name": {aud.Name}, "district": {aud.District}, "unit": {aud.Unit}, "role": {"unit"}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "唯一启用的审计管理员账号") {
		t.Errorf("drop the only auditor's role = %d %s", r.StatusCode, excerpt(r.body))
	}
	r = sys.post("/admin/users/"+strconv.FormatInt(sec.ID, 10), url.Values{"name": {sec.Name}, "district": {sec.District}, "unit": {sec.Unit}, "role": {"secadmin"}, "disabled": {"on"}})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "唯一启用的安全管理员账号，不能停用该账号") {
		t.Errorf("disable the only security administrator = %d %s", r.StatusCode, excerpt(r.body))
	}
	for _, u := range []*xiezuo.User{aud, sec} {
		got, err := e.db.UserByID(t.Context(), u.ID)
		if err != nil || got.Disabled || len(got.Roles) != 1 || got.Roles[0] != u.Roles[0] {
			t.Errorf("%s after the attack = %+v, %v; want unchanged", u.Username, got, err)
		}
	}
	if c := e.signIn("auditor"); c.get("/admin/audit").StatusCode != http.StatusOK {
		t.Error("the auditor no longer reads the audit log")
	}
}

// TestRemovalOfAnAdminWaits: with a second auditor, the system administrator's removal of the
// auditor role waits for the security administrator (待批准): the auditor still reads the log
// until it is approved.
func TestRemovalOfAnAdminWaits(t *testing.T) {
	e := newEnv(t)
	aud2 := &xiezuo.User{Username: "auditor2", Name: "第二审计", District: "门头沟区", Unit: "区审计局", Roles: []string{xiezuo.RoleAuditor}}
	if err := e.db.CreateUser(t.Context(), aud2, testHash); err != nil {
		t.Fatal(err)
	}
	sys := e.signIn("sysadmin")
	aud := e.users["auditor"]
	r := sys.post("/admin/users/"+strconv.FormatInt(aud.ID, 10), url.Values{"name": {aud.Name}, "district": {aud.District}, "unit": {aud.Unit}, "role": {"unit"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("drop one of two auditors' role = %d %s", r.StatusCode, excerpt(r.body))
	}
	if page := sys.get(r.Header.Get("Location")); !strings.Contains(page.body, "待批准：须由安全管理员批准后生效") || !strings.Contains(page.body, "待批准：取消其安全管理员或审计管理员角色") {
		t.Errorf("the users page after the removal does not say it waits: %s", excerpt(page.body))
	}
	if c := e.signIn("auditor"); c.get("/admin/audit").StatusCode != http.StatusOK {
		t.Error("the auditor no longer reads the audit log before approval")
	}
	if page := e.signIn("secadmin").get("/admin/requests"); !strings.Contains(page.body, "取消安全管理员或审计管理员角色") {
		t.Errorf("the requests page does not show the removal: %s", excerpt(page.body))
	}
	approve(t, e.signIn("secadmin"), pendingRequest(t, e, "auditor"))
	if got, _ := e.db.UserByID(t.Context(), aud.ID); got.Has(xiezuo.RoleAuditor) {
		t.Errorf("roles after approval = %v, want no auditor", got.Roles)
	}
}
