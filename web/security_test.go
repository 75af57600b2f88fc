package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/otp"
	"xiezuo/sqldb"
)

func TestSignInAndLockout(t *testing.T) {
	e := newEnv(t)
	c := e.anonymous()
	if r := c.get("/"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/signin") {
		t.Fatalf("GET / signed out = %d %s, want a redirect to /signin", r.StatusCode, r.Header.Get("Location"))
	}
	for i := 1; i < 5; i++ {
		r := c.signInForm("caizheng", "Wrong#password1")
		if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "用户名或密码错误") {
			t.Fatalf("wrong password #%d = %d %s", i, r.StatusCode, excerpt(r.body))
		}
	}
	r := c.signInForm("caizheng", "Wrong#password1")
	if a, _ := e.db.AccountByUsername(t.Context(), "caizheng"); r.StatusCode != http.StatusUnauthorized || !a.Locked(*e.clock) {
		t.Fatalf("5th wrong password = %d %s, want the account locked", r.StatusCode, excerpt(r.body))
	}
	// The same answer as a wrong password: a locked account does not confirm a guess.
	if r := c.signInForm("caizheng", testPassword); r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "如已锁定") {
		t.Fatalf("right password while locked = %d %s", r.StatusCode, excerpt(r.body))
	}
	*e.clock = e.clock.Add(31 * time.Minute)
	if r := c.signInForm("caizheng", testPassword); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("right password after the lock = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := c.get("/"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "我的职责") {
		t.Errorf("home after sign-in = %d", r.StatusCode)
	}
	// Unknown names get the same answer as wrong passwords.
	if r := e.anonymous().signInForm("nobody", "x"); r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "用户名或密码错误") {
		t.Errorf("unknown user = %d %s", r.StatusCode, excerpt(r.body))
	}
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditSignIn, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var failures, successes int
	for _, en := range entries {
		switch en.Outcome {
		case sqldb.AuditFailure:
			failures++
		case sqldb.AuditSuccess:
			successes++
		}
	}
	if failures < 7 || successes < 1 {
		t.Errorf("audit holds %d failed and %d successful sign-ins, want ≥ 7 and ≥ 1", failures, successes)
	}
}

func TestIdleTimeoutAndCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	if r := c.post("/units/"+url.PathEscape("领导小组办公室")+"/contact", url.Values{"csrf": {"forged"}, "name": {"张三"}, "phone": {"13812341234"}}); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "CSRF") {
		t.Errorf("POST with a wrong CSRF token = %d %s", r.StatusCode, excerpt(r.body))
	}
	*e.clock = e.clock.Add(31 * time.Minute)
	r := c.get("/plan")
	if r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "/signin") {
		t.Fatalf("GET after 31 idle minutes = %d %s, want a redirect to sign in", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.get(r.Header.Get("Location")); !strings.Contains(r.body, "长时间未操作") {
		t.Errorf("sign-in page after the timeout does not say why: %s", excerpt(r.body))
	}
}

func TestMustChangePassword(t *testing.T) {
	e := newEnv(t)
	u := e.users["leader"]
	if err := e.db.SetPassword(t.Context(), u.ID, testHash, true, *e.clock); err != nil {
		t.Fatal(err)
	}
	c := e.anonymous()
	r := c.signInForm("leader", testPassword)
	if loc := r.Header.Get("Location"); loc != "/password" {
		t.Fatalf("sign in with an initial password → %q, want /password", loc)
	}
	if r := c.get("/plan"); r.Header.Get("Location") != "/password" {
		t.Errorf("GET /plan before changing = %d %s, want /password", r.StatusCode, r.Header.Get("Location"))
	}
	page := c.get("/password")
	c.csrf = regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	if r := c.post("/password", url.Values{"old": {testPassword}, "new": {"short"}, "confirm": {"short"}}); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "至少") {
		t.Errorf("weak new password = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := c.post("/password", url.Values{"old": {testPassword}, "new": {"Xinmima#2021a"}, "confirm": {"Xinmima#2021a"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := c.get("/plan"); r.StatusCode != http.StatusOK {
		t.Errorf("GET /plan after changing = %d", r.StatusCode)
	}
}

func TestSecondFactor(t *testing.T) {
	e := newEnv(t)
	if err := e.db.SetSetting(t.Context(), setMFARoles, xiezuo.RoleOffice); err != nil {
		t.Fatal(err)
	}
	c := e.anonymous()
	r := c.signInForm("office", testPassword)
	if loc := r.Header.Get("Location"); loc != "/account/factor" {
		t.Fatalf("office signs in with a factor required but none enrolled → %q, want /account/factor", loc)
	}
	page := c.get("/account/factor")
	if !strings.Contains(page.body, "data:image/png;base64,") {
		t.Errorf("enrolment page shows no QR code")
	}
	c.csrf = regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	sealedText := regexp.MustCompile(`name="sealed" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	sealed, _ := base64.RawURLEncoding.DecodeString(sealedText)
	secret, err := e.sealer.Open(sealed, enrolField(e.users["office"]))
	if err != nil {
		t.Fatal(err)
	}
	if r := c.post("/account/factor", url.Values{"sealed": {sealedText}, "code": {"000000"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("enrol with a wrong code = %d", r.StatusCode)
	}
	code := otp.Code(secret, *e.clock)
	if r := c.post("/account/factor", url.Values{"sealed": {sealedText}, "code": {code}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrol = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := c.get("/plan"); r.StatusCode != http.StatusOK {
		t.Fatalf("GET /plan after enrolling = %d", r.StatusCode)
	}
	// Next sign-in asks for a code, and a code is good once only.
	*e.clock = e.clock.Add(time.Minute)
	c2 := e.anonymous()
	if loc := c2.signInForm("office", testPassword).Header.Get("Location"); loc != "/signin/factor" {
		t.Fatalf("second sign-in → %q, want /signin/factor", loc)
	}
	page = c2.get("/signin/factor")
	c2.csrf = regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	if r := c2.get("/plan"); r.Header.Get("Location") != "/signin/factor" {
		t.Errorf("GET /plan before the code = %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c2.post("/signin/factor", url.Values{"code": {code}}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("reusing the enrolment code = %d, want 401", r.StatusCode)
	}
	code = otp.Code(secret, *e.clock)
	if r := c2.post("/signin/factor", url.Values{"code": {code}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("right code = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := c2.get("/plan"); r.StatusCode != http.StatusOK {
		t.Errorf("GET /plan after the code = %d", r.StatusCode)
	}
}

// TestUnitEditsOnlyItsOwn: a unit sees another unit's page without the form, and its POST is
// refused; the phone is masked for the unit, shown whole to the office on request, audited.
func TestUnitEditsOnlyItsOwn(t *testing.T) {
	e := newEnv(t)
	cz := e.signIn("caizheng")
	other := "/units/" + url.PathEscape("区教委") + "?year=2021&district=" + url.QueryEscape("门头沟区")
	if page := cz.get(other); page.StatusCode != http.StatusOK || strings.Contains(page.body, "保存联系人") {
		t.Errorf("another unit's page = %d, shows the edit form: %v", page.StatusCode, strings.Contains(page.body, "保存联系人"))
	}
	if r := cz.post("/units/"+url.PathEscape("区教委")+"/contact?year=2021", url.Values{"name": {"张三"}, "phone": {"13812341234"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST another unit's contact = %d, want 403", r.StatusCode)
	}
	own := "/units/" + url.PathEscape("区财政局")
	if page := cz.get(own + "?year=2021"); !strings.Contains(page.body, "保存联系人") {
		t.Errorf("own unit page lacks the edit form")
	}
	if r := cz.post(own+"/contact?year=2021", url.Values{"name": {"张三"}, "phone": {"138 1234 1234"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST own contact = %d %s", r.StatusCode, excerpt(r.body))
	}
	page := cz.get(own + "?year=2021")
	if !strings.Contains(page.body, "138****1234") || strings.Contains(page.body, "13812341234") {
		t.Errorf("unit page does not mask the phone")
	}
	if r := cz.post(own+"/contact/reveal?year=2021", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("a unit reveals a phone = %d, want 403", r.StatusCode)
	}
	office := e.signIn("office")
	if r := office.post(own+"/contact/reveal?year=2021", nil); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "13812341234") {
		t.Errorf("office reveal = %d, full phone shown: %v", r.StatusCode, strings.Contains(r.body, "13812341234"))
	}
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditReveal})
	if err != nil {
		t.Fatal(err)
	}
	var ok, refused int
	for _, en := range entries {
		if en.Outcome == sqldb.AuditSuccess && en.Username == "office" {
			ok++
		}
		if en.Outcome == sqldb.AuditFailure && en.Username == "caizheng" {
			refused++
		}
	}
	if ok != 1 || refused != 1 {
		t.Errorf("audit of reveals: %d by office, %d refused for caizheng; want 1 and 1", ok, refused)
	}
	// Nothing in the database holds the phone in clear.
	for _, en := range entries {
		if strings.Contains(en.After+en.Before+en.Detail, "13812341234") {
			t.Errorf("audit entry %d holds the phone in clear", en.Seq)
		}
	}
}

func TestSignInFormToken(t *testing.T) {
	e := newEnv(t)
	c := e.anonymous()
	r := c.post("/signin", url.Values{"username": {"office"}, "password": {testPassword}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "已过期") {
		t.Errorf("sign-in without the form's token = %d %s, want 400", r.StatusCode, excerpt(r.body))
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(func() time.Time { return now })
	for i := range 10 {
		if !l.allow("k", 10, 10*time.Second) {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	if l.allow("k", 10, 10*time.Second) {
		t.Error("11th attempt within the window allowed")
	}
	if !l.allow("other", 10, 10*time.Second) {
		t.Error("another key refused")
	}
	now = now.Add(11 * time.Second)
	if !l.allow("k", 10, 10*time.Second) {
		t.Error("attempt after the window refused")
	}
}

// TestAPIToken: a token made on the page reads the API as its user; revoked, it reads nothing;
// errors have the API's shape.
func TestAPIToken(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("caizheng")
	page := c.post("/account/tokens", url.Values{"name": {"统计平台同步"}})
	m := regexp.MustCompile(`<code>(xz_[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("token page shows no new token: %s", excerpt(page.body))
	}
	token := m[1]
	api := func(path string) response {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return e.anonymous().do(req)
	}
	r := api("/api/v1/me")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"username":"caizheng"`) {
		t.Fatalf("GET /api/v1/me with the token = %d %s", r.StatusCode, r.body)
	}
	r = api("/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/projects?region=" + url.QueryEscape("神农架林区"))
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"total":2`) || !strings.Contains(r.body, `"district_fund_yuan":220000`) {
		t.Errorf("projects of 神农架林区 = %d %s", r.StatusCode, r.body[:min(len(r.body), 300)])
	}
	r = api("/api/v1/plans/" + url.PathEscape("门头沟区") + "/2030")
	if r.StatusCode != http.StatusNotFound || !strings.Contains(r.body, `"error":{"code":"not_found"`) {
		t.Errorf("missing plan = %d %s", r.StatusCode, r.body)
	}
	tokens, err := e.db.APITokens(t.Context(), e.users["caizheng"].ID)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens = %v, %v", tokens, err)
	}
	if r := c.post("/account/tokens/"+strconv.FormatInt(tokens[0].ID, 10)+"/revoke", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke = %d", r.StatusCode)
	}
	if r := api("/api/v1/me"); r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, `"code":"unauthorized"`) {
		t.Errorf("revoked token = %d %s", r.StatusCode, r.body)
	}
	var doc map[string]any
	if r := e.anonymous().get("/api/openapi.json"); r.StatusCode != http.StatusOK || json.Unmarshal([]byte(r.body), &doc) != nil || doc["openapi"] != "3.0.3" {
		t.Errorf("openapi.json = %d", r.StatusCode)
	}
}

// TestCadreEditsOnlyItsRegions: the cadre of 内蒙古武川县 sets a contact of a project there, is
// refused in 神农架林区; a leader edits nothing; the phone shows masked.
func TestCadreEditsOnlyItsRegions(t *testing.T) {
	e := newEnv(t)
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	wuchuan := "/regions/" + url.PathEscape("内蒙古武川县")
	shennongjia := "/regions/" + url.PathEscape("神农架林区")
	cadre := e.signIn("wuchuan")
	if page := cadre.get(wuchuan + q); !strings.Contains(page.body, `name="project" value="武川县稳定就业补贴项目"`) {
		t.Errorf("the cadre's own region shows no edit form")
	}
	if page := cadre.get(shennongjia + q); strings.Contains(page.body, `name="project"`) {
		t.Errorf("another region shows the cadre an edit form")
	}
	r := cadre.post(wuchuan+"/contact"+q, url.Values{"project": {"武川县稳定就业补贴项目"}, "name": {"赵志文"}, "phone": {"13912345678"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cadre saves a contact in its region = %d %s", r.StatusCode, excerpt(r.body))
	}
	if page := cadre.get(wuchuan + q); !strings.Contains(page.body, "赵志文 139****5678") || strings.Contains(page.body, "13912345678") {
		t.Errorf("the contact is not shown masked on the region page")
	}
	if r := cadre.post(shennongjia+"/contact"+q, url.Values{"project": {"神农架林区生态资源管护岗项目"}, "name": {"某"}, "phone": {"13912345678"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("cadre edits another region's project = %d, want 403", r.StatusCode)
	}
	leader := e.signIn("leader")
	if r := leader.post(wuchuan+"/contact"+q, url.Values{"project": {"武川县稳定就业补贴项目"}, "name": {"某"}, "phone": {"13912345678"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("leader edits a project = %d, want 403", r.StatusCode)
	}
	// A unit leads only its own projects: 区人力社保局 leads the jobs project, not the school one.
	renshe := e.signIn("renshe")
	if r := renshe.post(wuchuan+"/contact"+q, url.Values{"project": {"武川县脱贫家庭学生资助项目"}, "name": {"某"}, "phone": {"13912345678"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a unit edits a project it does not lead = %d, want 403", r.StatusCode)
	}
	if r := renshe.post(wuchuan+"/contact"+q, url.Values{"project": {"武川县稳定就业补贴项目"}, "name": {"刘某"}, "phone": {"13912345678"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a unit edits the project it leads = %d", r.StatusCode)
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/plan?year=2021", "/plan?year=2021"},
		{"/units/区财政局", "/units/区财政局"},
		{"", ""},
		{"//evil.com", ""},
		{"/\t/evil.com", ""},
		{"/\\evil.com", ""},
		{"/\n/evil.com", ""},
		{"https://evil.com/", ""},
		{"evil.com", ""},
		{"/%2F%2Fevil.com", "/%2F%2Fevil.com"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFactorCannotBeSkipped: with a factor enrolled, the password alone reaches neither the
// pages, nor a new enrolment, nor a password change.
func TestFactorCannotBeSkipped(t *testing.T) {
	e := newEnv(t)
	u := e.users["caizheng"]
	secret := []byte("12345678901234567890")
	if err := e.db.SetTOTP(t.Context(), u.ID, secret); err != nil {
		t.Fatal(err)
	}
	c := e.anonymous()
	if loc := c.signInForm("caizheng", testPassword).Header.Get("Location"); loc != "/signin/factor" {
		t.Fatalf("sign-in → %q, want /signin/factor", loc)
	}
	page := c.get("/signin/factor")
	c.csrf = regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	if r := c.get("/account/factor"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/signin/factor" {
		t.Errorf("GET /account/factor owing the factor = %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.post("/account/factor", url.Values{"sealed": {"x"}, "code": {"123456"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /account/factor owing the factor = %d, want 403", r.StatusCode)
	}
	if r := c.post("/password", url.Values{"old": {testPassword}, "new": {"Xinmima#2021a"}, "confirm": {"Xinmima#2021a"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /password owing the factor = %d, want 403", r.StatusCode)
	}
	if r := c.get("/plan"); r.Header.Get("Location") != "/signin/factor" {
		t.Errorf("GET /plan owing the factor = %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	got, _, err := e.db.TOTPSecret(t.Context(), u.ID)
	if err != nil || string(got) != string(secret) {
		t.Errorf("the enrolled secret changed: %q, %v", got, err)
	}
}

// TestPasswordChangeEndsOtherSessions: changing the password signs out the account's other
// browsers, not this one.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	e := newEnv(t)
	one, two := e.signIn("leader"), e.signIn("leader")
	if r := one.post("/password", url.Values{"old": {testPassword}, "new": {"Xinmima#2021a"}, "confirm": {"Xinmima#2021a"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := one.get("/plan"); r.StatusCode != http.StatusOK {
		t.Errorf("the browser that changed the password: GET /plan = %d", r.StatusCode)
	}
	if r := two.get("/plan"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the other browser: GET /plan = %d, want a redirect to sign in", r.StatusCode)
	}
}

func TestUploadTooLarge(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	r := c.postMultipart("/import", "file", "big.md", bytes.Repeat([]byte("一"), maxUpload/3+1000))
	if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "超过 16 MB") {
		t.Errorf("upload over the limit = %d %s", r.StatusCode, excerpt(r.body))
	}
	if strings.Contains(r.body, "Request Entity Too Large") || !strings.Contains(r.body, `href="/import"`) {
		t.Errorf("upload over the limit: page in English or without the way back to the import page: %s", excerpt(r.body))
	}
}

// TestDisabledUsersTokenIsRefused: a disabled user's API token gets 401, not a server error.
func TestDisabledUsersTokenIsRefused(t *testing.T) {
	e := newEnv(t)
	u := e.users["caizheng"]
	token := "xz_test-token-0123456789abcdef0123456789"
	if _, err := e.db.CreateAPIToken(t.Context(), u.ID, "测试", apiTokenHash(token), *e.clock, e.clock.AddDate(0, 0, 90)); err != nil {
		t.Fatal(err)
	}
	u.Disabled = true
	if _, err := e.db.UpdateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if r := e.anonymous().do(req); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("disabled user's token = %d %s, want 401", r.StatusCode, r.body)
	}
}

// TestAdminRolesStandAlone: an administrator's account holds that role alone; a blank phone in
// the edit form keeps the phone.
func TestAdminRolesStandAlone(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("sysadmin")
	self := strconv.FormatInt(e.users["sysadmin"].ID, 10)
	r := c.post("/admin/users/"+self, url.Values{"name": {"孙系统"}, "district": {"门头沟区"}, "unit": {"领导小组办公室"}, "role": {"sysadmin", "office"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "三员分立") {
		t.Errorf("sysadmin takes the office role = %d %s", r.StatusCode, excerpt(r.body))
	}
	leader := e.users["leader"]
	leader.Phone = "13812345678"
	if _, err := e.db.UpdateUser(t.Context(), leader); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(leader.ID, 10)
	if r := c.post("/admin/users/"+id, url.Values{"name": {"周区长"}, "district": {"门头沟区"}, "unit": {"区政府办公室"}, "role": {"leader"}, "phone": {""}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save leader = %d %s", r.StatusCode, excerpt(r.body))
	}
	got, err := e.db.UserByID(t.Context(), leader.ID)
	if err != nil || got.Phone != "13812345678" {
		t.Errorf("phone after saving with a blank phone = %q, %v; want it kept", got.Phone, err)
	}
}

func TestSweep(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("leader")
	*e.clock = e.clock.Add(45 * time.Minute)
	if err := e.srv.Sweep(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.db.SessionByHash(t.Context(), hashToken(c.sessionToken())); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
		t.Errorf("idle session after the sweep: %v, want it gone", err)
	}
}

// TestFlashCannotBeForged: a message in a link from elsewhere is not shown; the application's
// own messages are.
func TestFlashCannotBeForged(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("caizheng")
	if r := c.get("/?msg=" + url.QueryEscape("系统升级，请拨打 400-000-0000 核实账号") + "&kind=error"); strings.Contains(r.body, "400-000-0000") {
		t.Errorf("a forged message is shown")
	}
	if r := c.get("/?" + e.srv.flash(nil, "密码已修改", "ok")); !strings.Contains(r.body, "密码已修改") {
		t.Errorf("a signed message is not shown")
	}
}

// TestFactorKeepsTheAskedPage: the page asked for before signing in opens after the code.
func TestFactorKeepsTheAskedPage(t *testing.T) {
	e := newEnv(t)
	secret := []byte("12345678901234567890")
	if err := e.db.SetTOTP(t.Context(), e.users["caizheng"].ID, secret); err != nil {
		t.Fatal(err)
	}
	c := e.anonymous()
	want := "/tasks?year=2021"
	page := c.get("/signin?next=" + url.QueryEscape(want))
	pre := regexp.MustCompile(`name="pre" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	r := c.post("/signin", url.Values{"username": {"caizheng"}, "password": {testPassword}, "pre": {pre}, "next": {want}})
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, "/signin/factor?next=") {
		t.Fatalf("sign-in → %q, want the factor page carrying next", loc)
	}
	page = c.get(loc)
	c.csrf = regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	next := regexp.MustCompile(`name="next" value="([^"]*)"`).FindStringSubmatch(page.body)[1]
	r = c.post("/signin/factor", url.Values{"code": {otp.Code(secret, *e.clock)}, "next": {strings.ReplaceAll(next, "&amp;", "&")}})
	if got := r.Header.Get("Location"); got != want {
		t.Errorf("after the code → %q, want %q", got, want)
	}
}

// TestClientIPTrustsOnlyConfiguredProxies: X-Real-IP and X-Forwarded-For name the client only
// when the peer is a configured proxy; from anyone else, loopback included, they are ignored.
func TestClientIPTrustsOnlyConfiguredProxies(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name    string
		trusted []netip.Prefix
		peer    string
		header  map[string]string
		want    string
	}{
		{"loopback, no proxy configured", nil, "127.0.0.1:5000", map[string]string{"X-Real-IP": "203.0.113.9"}, "127.0.0.1"},
		{"loopback forwarded-for, no proxy", nil, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.9"}, "127.0.0.1"},
		{"peer outside the proxies", proxies, "192.0.2.1:5000", map[string]string{"X-Real-IP": "203.0.113.9"}, "192.0.2.1"},
		{"configured proxy, real ip", proxies, "10.1.2.3:5000", map[string]string{"X-Real-IP": "203.0.113.9"}, "203.0.113.9"},
		{"configured proxy, forwarded-for", proxies, "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "198.51.100.1, 203.0.113.9, 10.4.4.4"}, "203.0.113.9"},
		{"configured proxy, garbage", proxies, "10.1.2.3:5000", map[string]string{"X-Real-IP": "not-an-ip"}, "10.1.2.3"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tt.peer
		for k, v := range tt.header {
			r.Header.Set(k, v)
		}
		s := &Server{cfg: Config{TrustedProxies: tt.trusted}}
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("%s: clientIP = %q, want %q", tt.name, got, tt.want)
		}
	}
	// Through the server: a sign-in from loopback with X-Real-IP is audited with the peer.
	e := newEnv(t)
	c := e.anonymous()
	page := c.get("/signin")
	pre := regexp.MustCompile(`name="pre" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/signin", strings.NewReader(url.Values{"username": {"nobody"}, "password": {"x"}, "pre": {pre}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Real-IP", "203.0.113.9")
	c.do(req)
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditSignIn, Limit: 10})
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit of the sign-in: %v, %v", entries, err)
	}
	if ip := entries[0].IP; ip != "127.0.0.1" {
		t.Errorf("audited address = %q, want the peer 127.0.0.1 (X-Real-IP from an untrusted peer ignored)", ip)
	}
}

// TestLockoutRace: 29 wrong passwords sent together and the right one among them. The right
// password may sign in only before the account locks; once it is locked, it refuses the right
// password until the lock ends, and no session is made.
func TestLockoutRace(t *testing.T) {
	e := newEnv(t)
	// Each attempt from an address of its own, so that the rate limits let them all through.
	e.srv.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	u := e.users["caizheng"]
	c := e.anonymous()
	page := c.get("/signin")
	pre := regexp.MustCompile(`name="pre" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	attempt := func(i int, pw string) response {
		req, _ := http.NewRequest(http.MethodPost, e.ts.URL+"/signin", strings.NewReader(url.Values{"username": {"caizheng"}, "password": {pw}, "pre": {pre}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Real-IP", "192.0.2."+strconv.Itoa(i+1))
		return c.do(req)
	}
	var wg sync.WaitGroup
	results := make([]response, 30)
	for i := range 29 {
		wg.Go(func() { results[i] = attempt(i, "Wrong#password"+strconv.Itoa(i)) })
	}
	// The right one goes once the wrong ones are under way.
	for range 1000 {
		a, err := e.db.AccountByUsername(t.Context(), "caizheng")
		if err != nil {
			t.Fatal(err)
		}
		if a.FailedCount > 0 || a.Locked(*e.clock) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	wg.Go(func() { results[29] = attempt(29, testPassword) })
	wg.Wait()
	a, err := e.db.AccountByUsername(t.Context(), "caizheng")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Locked(*e.clock) {
		t.Errorf("after 29 wrong passwords the account is not locked: %+v", a)
	}
	// The audit log, in order: a success may come only before the first lock.
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditSignIn, Username: "caizheng", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	locked := false
	successes := 0
	for i := len(entries) - 1; i >= 0; i-- {
		en := entries[i]
		if strings.Contains(en.Detail, "锁定至") {
			locked = true
		}
		if en.Outcome == sqldb.AuditSuccess {
			successes++
			if locked {
				t.Errorf("sign-in succeeded after the account locked: %+v", en)
			}
		}
	}
	n, err := e.db.DeleteUserSessions(t.Context(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != successes || (results[29].StatusCode == http.StatusSeeOther) != (successes == 1) {
		t.Errorf("sessions made = %d, successful sign-ins audited = %d, right password answered %d", n, successes, results[29].StatusCode)
	}
	if r := e.anonymous().signInForm("caizheng", testPassword); r.StatusCode == http.StatusSeeOther {
		t.Errorf("right password after the race, while locked = %d %s, want refused", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestFactorGuessesLock: a guesser who knows the password and alternates it with wrong codes
// locks the account after the policy's number of wrong codes.
func TestFactorGuessesLock(t *testing.T) {
	e := newEnv(t)
	u := e.users["caizheng"]
	secret := []byte("12345678901234567890")
	if err := e.db.SetTOTP(t.Context(), u.ID, secret); err != nil {
		t.Fatal(err)
	}
	wrong := "000000"
	if otp.Code(secret, *e.clock) == wrong {
		wrong = "111111"
	}
	max := defaultPolicy.MaxFailures
	for i := 1; i <= max; i++ {
		c := e.anonymous()
		if r := c.signInForm("caizheng", testPassword); r.Header.Get("Location") != "/signin/factor" {
			t.Fatalf("round %d: right password = %d %s %s, want /signin/factor", i, r.StatusCode, r.Header.Get("Location"), excerpt(r.body))
		}
		page := c.get("/signin/factor")
		c.csrf = regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
		c.post("/signin/factor", url.Values{"code": {wrong}})
		a, err := e.db.AccountByUsername(t.Context(), "caizheng")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := a.Locked(*e.clock), i == max; got != want {
			t.Fatalf("after %d wrong codes locked = %v, want %v", i, got, want)
		}
	}
	c := e.anonymous()
	if r := c.signInForm("caizheng", testPassword); r.StatusCode == http.StatusSeeOther {
		t.Errorf("right password after %d wrong codes = %d %s, want refused", max, r.StatusCode, r.Header.Get("Location"))
	}
}

// TestSignInAnswersAlike: an unknown name, a wrong password, a disabled account and a locked
// one (even with the right password) get the same answer, after one password hash each; the
// audit log keeps the true reason of each.
func TestSignInAnswersAlike(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	leader := e.users["leader"]
	leader.Disabled = true
	if _, err := e.db.UpdateUser(ctx, leader); err != nil {
		t.Fatal(err)
	}
	for range defaultPolicy.MaxFailures {
		e.anonymous().signInForm("renshe", "Wrong#password1")
	}
	if a, _ := e.db.AccountByUsername(ctx, "renshe"); !a.Locked(*e.clock) {
		t.Fatalf("renshe not locked after %d wrong passwords", defaultPolicy.MaxFailures)
	}
	normal := regexp.MustCompile(`name="(pre|username)" value="[^"]*"`)
	tests := []struct {
		name, username, password, reason string
	}{
		{"unknown name", "nobody", "Wrong#password1", "用户名不存在"},
		{"wrong password", "caizheng", "Wrong#password1", "密码错误"},
		{"disabled, wrong password", "leader", "Wrong#password1", "停用"},
		{"locked, wrong password", "renshe", "Wrong#password1", "锁定"},
		{"locked, right password", "renshe", testPassword, "锁定"},
	}
	var first response
	for i, tt := range tests {
		before := e.srv.hashes.checked.Load()
		r := e.anonymous().signInForm(tt.username, tt.password)
		if n := e.srv.hashes.checked.Load() - before; n != 1 {
			t.Errorf("%s: %d password hashes, want 1", tt.name, n)
		}
		r.body = normal.ReplaceAllString(r.body, `name="$1" value=""`)
		if i == 0 {
			first = r
			if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "用户名或密码错误") {
				t.Errorf("%s = %d %s", tt.name, r.StatusCode, excerpt(r.body))
			}
		} else if r.StatusCode != first.StatusCode || r.body != first.body {
			t.Errorf("%s = %d, %s; want the answer to %s: %d, %s", tt.name, r.StatusCode, excerpt(r.body), tests[0].name, first.StatusCode, excerpt(first.body))
		}
		entries, _, err := e.db.SearchAudit(ctx, sqldb.AuditFilter{Action: sqldb.AuditSignIn, Limit: 1})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit: %v, %v", entries, err)
		}
		if en := entries[0]; en.Outcome != sqldb.AuditFailure || en.ObjectLabel != tt.username || !strings.Contains(en.Detail, tt.reason) {
			t.Errorf("%s: audited %s %s %q, want a failure of %s saying %s", tt.name, en.Outcome, en.ObjectLabel, en.Detail, tt.username, tt.reason)
		}
	}
	// The right password names a disabled account.
	if r := e.anonymous().signInForm("leader", testPassword); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "账号已停用") {
		t.Errorf("disabled account, right password = %d %s, want it named", r.StatusCode, excerpt(r.body))
	}
}

// TestAPITokenLimits: a token ends at its expiry date, is refused while its account is locked,
// does not outlive a password change, and the security administrator lists every token and
// revokes one, audited.
func TestAPITokenLimits(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("caizheng")
	mint := func(name, days string) string {
		t.Helper()
		page := c.post("/account/tokens", url.Values{"name": {name}, "days": {days}})
		m := regexp.MustCompile(`<code>(xz_[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("token page shows no new token: %d %s", page.StatusCode, excerpt(page.body))
		}
		return m[1]
	}
	api := func(token string) response {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return e.anonymous().do(req)
	}
	if r := c.post("/account/tokens", url.Values{"name": {"太久"}, "days": {"400"}}); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "365") {
		t.Errorf("token for 400 days = %d %s, want refused naming the bound", r.StatusCode, excerpt(r.body))
	}
	short, long := mint("一天", "1"), mint("默认", "")
	if r := api(short); r.StatusCode != http.StatusOK {
		t.Fatalf("new token = %d %s", r.StatusCode, r.body)
	}
	*e.clock = e.clock.Add(25 * time.Hour)
	if r := api(short); r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, "过期") {
		t.Errorf("token a day old made for one day = %d %s, want 401 saying it expired", r.StatusCode, r.body)
	}
	if r := api(long); r.StatusCode != http.StatusOK {
		t.Errorf("default token after a day = %d %s", r.StatusCode, r.body)
	}
	*e.clock = e.clock.Add(90 * 24 * time.Hour)
	if r := api(long); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("default token after 91 days = %d %s, want 401", r.StatusCode, r.body)
	}

	// Locked: refused until unlocked.
	c = e.signIn("caizheng")
	token := mint("锁定测试", "30")
	for range defaultPolicy.MaxFailures {
		e.anonymous().signInForm("caizheng", "Wrong#password1")
	}
	if r := api(token); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("token of a locked account = %d %s, want 401", r.StatusCode, r.body)
	}
	if err := e.db.Unlock(t.Context(), e.users["caizheng"].ID); err != nil {
		t.Fatal(err)
	}
	if r := api(token); r.StatusCode != http.StatusOK {
		t.Errorf("token after unlock = %d %s", r.StatusCode, r.body)
	}
	// A password change revokes the tokens made before it.
	if err := e.db.SetPassword(t.Context(), e.users["caizheng"].ID, testHash, false, *e.clock); err != nil {
		t.Fatal(err)
	}
	if r := api(token); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("token after a password change = %d %s, want 401", r.StatusCode, r.body)
	}

	// The security administrator sees every token and revokes one.
	c = e.signIn("caizheng")
	token = mint("统计平台同步", "")
	sec := e.signIn("secadmin")
	page := sec.get("/admin/tokens")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, "统计平台同步") || !strings.Contains(page.body, "caizheng") {
		t.Fatalf("GET /admin/tokens = %d %s", page.StatusCode, excerpt(page.body))
	}
	tokens, err := e.db.APITokens(t.Context(), e.users["caizheng"].ID)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens = %v, %v", tokens, err)
	}
	if r := sec.post("/admin/tokens/"+strconv.FormatInt(tokens[0].ID, 10)+"/revoke", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke by the security administrator = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := api(token); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("token revoked by the security administrator = %d", r.StatusCode)
	}
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditAPITokenRevoke, Limit: 1})
	if err != nil || len(entries) != 1 || entries[0].Username != "secadmin" || entries[0].ObjectLabel != "统计平台同步" {
		t.Errorf("audit of the revocation = %+v, %v, want one by secadmin", entries, err)
	}
}
