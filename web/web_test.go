package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/otp"
	"xiezuo/password"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
	"xiezuo/sqldb/sqldbtest"
	"xiezuo/vault"
)

// testPassword is the password of every test account.
const testPassword = "Ceshi#2021pw"

// testUsers are one account per role in the 2021 plan's units.
var testUsers = []xiezuo.User{
	{Username: "office", Name: "王办公", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}},
	{Username: "caizheng", Name: "李财政", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}},
	{Username: "renshe", Name: "刘人社", Unit: "区人力社保局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}},
	{Username: "wuchuan", Name: "陈干部", Unit: "前方挂职干部", Roles: []string{xiezuo.RoleCadre}, Regions: []string{"内蒙古武川县"}},
	{Username: "leader", Name: "周区长", Unit: "区政府办公室", Roles: []string{xiezuo.RoleLeader}},
	{Username: "sysadmin", Name: "孙系统", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleSysAdmin}},
	{Username: "secadmin", Name: "吴安全", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleSecAdmin}},
	{Username: "auditor", Name: "郑审计", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleAuditor}},
	{Username: "city", Name: "何市级", District: "北京市", Unit: "市支援合作办", Roles: []string{xiezuo.RoleCityOffice}},
}

// env is a running application over a real SQLite file with the 2021 plan and the test users.
type env struct {
	t      testing.TB
	srv    *Server
	ts     *httptest.Server
	db     *sqldb.DB
	users  map[string]*xiezuo.User
	sealer *vault.SM4
	clock  *time.Time
	dir    string // the folder of the SQLite file (xiezuo.db) and the key file

	// With XIEZUO_TEST_INSTANCES=3 (instances_test.go): every instance, each over its own
	// handle of one PostgreSQL database, and its own server; srv, db and ts's handler are the
	// first, ts.URL is the load balancer's.
	servers  []*Server
	dbs      []*sqldb.DB
	backends []*httptest.Server
	direct   []string // each instance's own URL, not the balancer's (client.at)
}

var testHash = func() string {
	h, err := password.Hash(testPassword)
	if err != nil {
		panic(err)
	}
	return h
}()

func newEnv(t *testing.T) *env { return newEnvTB(t) }

func newEnvTB(t testing.TB) *env {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	n := testInstances()
	dsn := filepath.Join(dir, "xiezuo.db")
	if n > 1 {
		dsn = sqldbtest.PostgresURL(t)
	}
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	keys, err := vault.CreateKeyFile(filepath.Join(dir, "xiezuo.key"))
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := vault.NewSM4(keys)
	if err != nil {
		t.Fatal(err)
	}
	db.SetSealer(sealer)
	if err := db.UseAuditKey(ctx, keys.Audit); err != nil {
		t.Fatal(err)
	}
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v %v", err, res.Errors)
	}
	if _, err := db.ImportPlan(ctx, res.Plan, sample.Plan2021); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, users: map[string]*xiezuo.User{}, sealer: sealer, dir: dir}
	now := time.Date(2021, 8, 28, 10, 0, 0, 0, shanghai)
	e.clock = &now
	for _, tu := range testUsers {
		u := tu
		if u.District == "" {
			u.District = "门头沟区"
		}
		u.PasswordAt = now
		if err := db.CreateUser(ctx, &u, testHash); err != nil {
			t.Fatal(err)
		}
		e.users[u.Username] = &u
	}
	if err := db.SetSetting(ctx, setMFARoles, ""); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := NewServer(Config{Now: func() time.Time { return *e.clock }, EvidenceDir: filepath.Join(dir, "evidence"), WebhookHosts: []string{"127.0.0.1"}}, db, sealer, otp.TOTP{}, log)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)
	if n > 1 {
		e.startInstances(n, dsn, keys, log)
	}
	return e
}

// client is a browser: a cookie jar that does not follow redirects, so tests see them.
type client struct {
	e    *env
	http *http.Client
	csrf string
	base string // the server's URL when not e.ts.URL: one instance behind the balancer (at)
}

// url is the address of path on the client's server.
func (c *client) url(path string) string {
	if c.base != "" {
		return c.base + path
	}
	return c.e.ts.URL + path
}

func (e *env) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signInForm posts the sign-in form as a browser does: with the token of the page it got.
func (c *client) signInForm(username, pw string) response {
	c.e.t.Helper()
	page := c.get("/signin")
	m := regexp.MustCompile(`name="pre" value="([^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		c.e.t.Fatalf("sign-in page has no form token")
	}
	return c.post("/signin", url.Values{"username": {username}, "password": {pw}, "pre": {m[1]}})
}

// signIn signs a user in through the sign-in form.
func (e *env) signIn(username string) *client {
	e.t.Helper()
	c := e.anonymous()
	resp := c.signInForm(username, testPassword)
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in %s = %d: %s", username, resp.StatusCode, resp.body)
	}
	page := c.get("/")
	if m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body); m != nil {
		c.csrf = m[1]
	}
	return c
}

type response struct {
	*http.Response
	body string
}

func (c *client) do(req *http.Request) response {
	c.e.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp, string(b)}
}

func (c *client) get(path string) response {
	req, _ := http.NewRequest(http.MethodGet, c.url(path), nil)
	return c.do(req)
}

// post sends a form, with the session's CSRF token unless the form has one.
func (c *client) post(path string, form url.Values) response {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok && c.csrf != "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) postMultipart(path, field, name string, data []byte) response {
	var buf bytes.Buffer
	boundary := "xiezuoboundary"
	buf.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + c.csrf + "\r\n")
	buf.WriteString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
	buf.Write(data)
	buf.WriteString("\r\n--" + boundary + "--\r\n")
	req, _ := http.NewRequest(http.MethodPost, c.url(path), &buf)
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	return c.do(req)
}

// sessionToken is the client's session cookie.
func (c *client) sessionToken() string {
	u, _ := url.Parse(c.e.ts.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	return ""
}
