package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/otp"
	"xiezuo/remind"
	"xiezuo/sqldb"
	"xiezuo/vault"
)

// Several instances behind a load balancer (issue 13, item 1). With XIEZUO_TEST_INSTANCES=3,
// newEnv runs three Servers, each over its own sqldb.DB handle (its own pools, caches and
// sealer) of one fresh PostgreSQL database and one evidence folder, behind a real HAProxy
// started on a free loopback port in round-robin: every request of a test (a browser's
// included) may reach any instance, the next one another. Without PostgreSQL the variable
// cannot apply (SQLite is one machine's file): the tests skip, or fail under CI, as every
// PostgreSQL test does.

// testInstances is the number of instances XIEZUO_TEST_INSTANCES asks for; 1 when unset.
func testInstances() int {
	n, err := strconv.Atoi(os.Getenv("XIEZUO_TEST_INSTANCES"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// startInstances adds n-1 instances beside e's first, over their own handles of dsn, and puts a
// load balancer in front of all n: e.ts.URL becomes the balancer's address.
func (e *env) startInstances(n int, dsn string, keys vault.Keys, log *slog.Logger) {
	t := e.t
	t.Helper()
	ctx := t.Context()
	e.servers, e.dbs, e.backends = []*Server{e.srv}, []*sqldb.DB{e.db}, []*httptest.Server{e.ts}
	for i := 1; i < n; i++ {
		db, err := sqldb.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		sealer, err := vault.NewSM4(keys)
		if err != nil {
			t.Fatal(err)
		}
		db.SetSealer(sealer)
		if err := db.UseAuditKey(ctx, keys.Audit); err != nil {
			t.Fatal(err)
		}
		srv, err := NewServer(e.srv.cfg, db, sealer, otp.TOTP{}, log)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		e.servers, e.dbs, e.backends = append(e.servers, srv), append(e.dbs, db), append(e.backends, ts)
	}
	var addrs []string
	for _, b := range e.backends {
		addrs = append(addrs, b.Listener.Addr().String())
		e.direct = append(e.direct, "http://"+b.Listener.Addr().String())
	}
	// The first backend's listener stays e.ts's (Close closes it); only its URL changes, so the
	// instances' own addresses are kept apart (direct) for at.
	e.ts.URL = startBalancer(t, addrs)
}

// haproxyConfig is the balancer's configuration for the tests: round-robin over backends, each
// checked on /readyz, the client's address passed on in X-Forwarded-For.
func haproxyConfig(listen string, backends []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `global
	maxconn 512
defaults
	mode http
	option forwardfor
	option http-server-close
	timeout connect 5s
	timeout client 120s
	timeout server 120s
	timeout http-request 60s
frontend xiezuo
	bind %s
	default_backend instances
backend instances
	balance roundrobin
	option httpchk GET /readyz
`, listen)
	for i, a := range backends {
		fmt.Fprintf(&b, "\tserver x%d %s check inter 2s\n", i+1, a)
	}
	return b.String()
}

// freeLoopbackAddr finds a port free on 127.0.0.1 (the kernel's choice, released for the
// balancer to take).
func freeLoopbackAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// startBalancer runs HAProxy (Debian's haproxy) in the foreground in front of backends until the
// test ends, and returns its URL once it answers.
func startBalancer(t testing.TB, backends []string) string {
	t.Helper()
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		if _, err := os.Stat("/usr/sbin/haproxy"); err != nil {
			t.Fatal("XIEZUO_TEST_INSTANCES needs HAProxy: apt-get install haproxy")
		}
		bin = "/usr/sbin/haproxy"
	}
	dir := t.TempDir()
	for attempt := 0; ; attempt++ {
		listen := freeLoopbackAddr(t)
		cfg := filepath.Join(dir, "haproxy.cfg")
		if err := os.WriteFile(cfg, []byte(haproxyConfig(listen, backends)), 0o600); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		cmd := exec.Command(bin, "-db", "-f", cfg)
		cmd.Stdout, cmd.Stderr = &out, &out
		// Killed with the test binary too (a panic, a timeout), when no Cleanup runs.
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		stop := func() {
			cmd.Process.Kill()
			<-exited
		}
		url := "http://" + listen
		if balancerAnswers(url, exited) {
			t.Cleanup(stop)
			return url
		}
		stop()
		if attempt == 2 {
			t.Fatalf("haproxy did not start on %s: %s", listen, out.String())
		}
	}
}

// balancerAnswers waits until the balancer at url serves /healthz, or its process exits.
func balancerAnswers(url string, exited <-chan struct{}) bool {
	c := &http.Client{Timeout: 2 * time.Second}
	for range 100 {
		select {
		case <-exited:
			return false
		default:
		}
		if resp, err := c.Get(url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// newInstancesEnv is newEnv with several instances behind the balancer; the test is skipped
// unless XIEZUO_TEST_INSTANCES asks for more than one (.ci/run runs them with 3).
func newInstancesEnv(t *testing.T) *env {
	t.Helper()
	if testInstances() < 2 {
		t.Skip("set XIEZUO_TEST_INSTANCES=3 (PostgreSQL and HAProxy) to run the instances behind a load balancer")
	}
	return newEnvTB(t)
}

// at is the same browser (cookies, CSRF token) talking to instance i directly.
func (c *client) at(i int) *client {
	d := *c
	d.base = c.e.direct[i]
	return &d
}

// TestInstancesBalancerSpreads checks the harness itself: requests through the balancer reach
// every instance (round-robin), so that the other tests run across them.
func TestInstancesBalancerSpreads(t *testing.T) {
	e := newInstancesEnv(t)
	c := e.signIn("office")
	before := make([]int64, len(e.servers))
	for i, s := range e.servers {
		before[i] = s.requestsServed()
	}
	for range 3 * len(e.servers) {
		if r := c.get("/"); r.StatusCode != http.StatusOK {
			t.Fatalf("GET / through the balancer = %d", r.StatusCode)
		}
	}
	for i, s := range e.servers {
		if n := s.requestsServed() - before[i]; n == 0 {
			t.Errorf("instance %d served none of %d requests through the balancer", i, 3*len(e.servers))
		}
	}
}

// TestInstancesSessionAnywhere: a session started on one instance works on every other, for
// pages and for a form's POST with its CSRF token; a sign-out on one is refused on the others
// once their copy is older than sessionTTL.
func TestInstancesSessionAnywhere(t *testing.T) {
	e := newInstancesEnv(t)
	first := e.anonymous().at(0)
	if r := first.signInForm("office", testPassword); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in on instance 0 = %d: %s", r.StatusCode, r.body)
	}
	if m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(first.get("/").body); m != nil {
		first.csrf = m[1]
	}
	token := first.sessionToken()
	for i := range e.backends {
		if r := first.at(i).get("/"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "王办公") {
			t.Errorf("GET / on instance %d with instance 0's session = %d, want 200 showing 王办公", i, r.StatusCode)
		}
	}
	last := first.at(len(e.backends) - 1)
	r := last.post("/group/members", url.Values{"units": {"区财政局\n区商务局"}, "year": {"2021"}, "district": {"门头沟区"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /group/members on the last instance with instance 0's session and CSRF token = %d: %s", r.StatusCode, excerpt(r.body))
	}
	// Signed out on instance 1: the others' copies of the session expire within sessionTTL.
	if r := first.at(1).post("/signout", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /signout on instance 1 = %d", r.StatusCode)
	}
	time.Sleep(sessionTTL + 100*time.Millisecond)
	for i, b := range e.backends {
		req, _ := http.NewRequest(http.MethodGet, b.URL+"/", nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin") {
			t.Errorf("instance %d, %v after the sign-out: GET / = %d to %q, want a redirect to /signin", i, sessionTTL, resp.StatusCode, loc)
		}
	}
}

// TestInstancesLockout: wrong passwords sent to the instances in turn lock the account after the
// policy's number, counted in the database (each instance's own limiter saw fewer); the right
// password is then refused on every instance.
func TestInstancesLockout(t *testing.T) {
	e := newInstancesEnv(t)
	for i := range 5 {
		c := e.anonymous().at(i % len(e.backends))
		if r := c.signInForm("caizheng", "Wrong#password1"); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password #%d on instance %d = %d", i+1, i%len(e.backends), r.StatusCode)
		}
	}
	if a, err := e.db.AccountByUsername(t.Context(), "caizheng"); err != nil || !a.Locked(*e.clock) {
		t.Fatalf("after 5 wrong passwords spread over %d instances the account is not locked (%v)", len(e.backends), err)
	}
	for i := range e.backends {
		c := e.anonymous().at(i)
		r := c.signInForm("caizheng", testPassword)
		if r.StatusCode != http.StatusUnauthorized || c.sessionToken() != "" {
			t.Errorf("right password while locked, on instance %d = %d, want 401 and no session", i, r.StatusCode)
		}
	}
}

// TestInstancesDailyJobOnce: the daily reminder job started on three instances at once (each
// over its own database handle) stores the day once; the reminders are those of one run.
func TestInstancesDailyJobOnce(t *testing.T) {
	e := newInstancesEnv(t)
	ctx := t.Context()
	day := xiezuo.Date{Year: 2021, Month: 10, Day: 25} // tasks due at the end of October are yellow
	now := time.Date(2021, 10, 25, 9, 0, 0, 0, shanghai)
	results := make([]sqldb.RunResult, len(e.dbs))
	errs := make([]error, len(e.dbs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, db := range e.dbs {
		job := &remind.Job{DB: db, Source: remind.PlanSource(db, 7), Now: func() time.Time { return now },
			Instance: fmt.Sprintf("instance-%d", i), Log: slog.New(slog.DiscardHandler)}
		wg.Go(func() {
			<-start
			results[i], errs[i] = job.RunDay(ctx, day)
		})
	}
	close(start)
	wg.Wait()
	stored, inApp := 0, 0
	for i, r := range results {
		if errs[i] != nil {
			t.Errorf("instance %d: RunDay = %v", i, errs[i])
		}
		if r.Stored {
			stored++
			inApp = r.InApp
		}
	}
	if stored != 1 {
		t.Fatalf("the day was stored by %d instances, want 1: %+v", stored, results)
	}
	if inApp == 0 {
		t.Fatalf("the run stored no reminder on %s: the test shows nothing", day)
	}
	got := 0
	for _, u := range e.users {
		rs, err := e.db.UserReminders(ctx, u.ID, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		got += len(rs)
	}
	if got != inApp {
		t.Errorf("people hold %d reminders, want the one run's %d", got, inApp)
	}
	if ran, err := e.dbs[2].JobRan(ctx, sqldb.JobRemind, day); err != nil || !ran {
		t.Errorf("JobRan on instance 2 = %v, %v; want true", ran, err)
	}
}

// TestInstancesChangeSeen: the office's change of the leading group's members on one instance
// is seen on another at once by the browser that made it (markFresh), and by any other within
// factsTTL, the bound of that instance's copy of the facts (and so of the rendered /units page,
// keyed on them).
func TestInstancesChangeSeen(t *testing.T) {
	e := newInstancesEnv(t)
	office := e.signIn("office")
	unitRow := func(c *client) string {
		body := c.get("/units").body
		i := strings.Index(body, ">区财政局</a>")
		if i < 0 {
			t.Fatalf("/units lacks 区财政局")
		}
		return body[i : i+strings.Index(body[i:], "</tr>")]
	}
	// Another office session, that changes nothing: it sees the change within the bound.
	other := e.signIn("office")
	time.Sleep(wroteFor * time.Second) // its sign-in (a POST) no longer counts as a change
	ob := other.at(1)
	before := unitRow(ob) // instance 1 keeps the facts and the page now
	if r := office.at(0).post("/group/members", url.Values{"units": {"区财政局\n区商务局"}, "year": {"2021"}, "district": {"门头沟区"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /group/members on instance 0 = %d: %s", r.StatusCode, excerpt(r.body))
	}
	// The browser that made the change sees it at once on every instance (markFresh).
	if after := unitRow(office.at(1)); after == before {
		t.Errorf("instance 1, right after this browser's change on instance 0, shows it 区财政局's row from before the change: %s", after)
	}
	if after := unitRow(office.at(0)); after == before {
		t.Fatalf("instance 0 shows 区财政局's row from before its own change: %s", after)
	}
	time.Sleep(max(factsTTL, versionTTL) + 100*time.Millisecond)
	if after := unitRow(ob); after == before {
		t.Errorf("instance 1, %v after instance 0's change, still shows 区财政局's row from before it: %s", factsTTL, after)
	}
	if page := ob.get("/group/members").body; !strings.Contains(page, "区商务局") {
		t.Errorf("/group/members on instance 1 lacks the member added on instance 0")
	}
}

// TestInstancesEvidence: a file uploaded through one instance downloads through every other
// (one shared evidence folder), byte for byte.
func TestInstancesEvidence(t *testing.T) {
	e := newInstancesEnv(t)
	id, _ := unitReport(t, e, "caizheng")
	c := e.signIn("caizheng")
	photo := photoWithEXIF(t, "2021:09:10 14:32:00")
	resp := c.at(0).postFiles(fmt.Sprintf("/api/v1/reports/%d/evidence", id), []upload{{"现场.jpg", photo}}, nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST evidence on instance 0 = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	var got evidenceAnswer
	if err := json.Unmarshal([]byte(resp.body), &got); err != nil || len(got.Evidence) != 1 {
		t.Fatalf("answer %s: %v", resp.body, err)
	}
	for i := range e.backends {
		if r := c.at(i).get(fmt.Sprintf("/evidence/%d", got.Evidence[0].ID)); r.StatusCode != http.StatusOK || r.body != string(photo) {
			t.Errorf("GET /evidence/%d on instance %d = %d with %d bytes, want 200 with the %d bytes sent through instance 0",
				got.Evidence[0].ID, i, r.StatusCode, len(r.body), len(photo))
		}
	}
}

// requestsServed is how many requests the instance has answered (its /metrics counts).
func (s *Server) requestsServed() int64 {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	var n int64
	for _, h := range s.ops.reqs {
		for _, c := range h.counts {
			n += int64(c)
		}
	}
	return n
}

// TestInstancesOwedStepSeen: a step a session owes (the second factor at sign-in) taken on one
// instance is seen at once on another that served the session while it owed it: instances keep
// no copy of a session that owes a step (before, the other instance sent the browser back to
// the code page for up to sessionTTL).
func TestInstancesOwedStepSeen(t *testing.T) {
	e := newInstancesEnv(t)
	u := e.users["caizheng"]
	secret := []byte("12345678901234567890")
	if err := e.db.SetTOTP(t.Context(), u.ID, secret); err != nil {
		t.Fatal(err)
	}
	c := e.anonymous().at(0)
	if loc := c.signInForm("caizheng", testPassword).Header.Get("Location"); loc != "/signin/factor" {
		t.Fatalf("sign-in on instance 0 → %q, want /signin/factor", loc)
	}
	page := c.at(1).get("/signin/factor") // instance 1 reads the session while it owes the code
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("GET /signin/factor on instance 1 = %d without a form token", page.StatusCode)
	}
	c.csrf = m[1]
	if r := c.at(2).post("/signin/factor", url.Values{"code": {otp.Code(secret, *e.clock)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /signin/factor on instance 2 = %d: %s", r.StatusCode, excerpt(r.body))
	}
	if r := c.at(1).get("/plan"); r.StatusCode != http.StatusOK {
		t.Errorf("GET /plan on instance 1 right after the code was given on instance 2 = %d to %q, want 200", r.StatusCode, r.Header.Get("Location"))
	}
}
