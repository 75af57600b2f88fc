package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/password"
	"xiezuo/sqldb"
)

// knownPasswords returns those of shown that are the user's password now.
func knownPasswords(t *testing.T, e *env, id int64, shown []string) []string {
	t.Helper()
	hash, err := e.db.PasswordHash(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var known []string
	for _, pw := range shown {
		if password.Verify(hash, pw) {
			known = append(known, pw)
		}
	}
	return known
}

// TestRaceEditsAndResetsTakeNoPrivilege: the system administrator sends at once 20 edits of
// 区领导's account keeping its role, 1 edit dropping it to 成员单位 and 20 password resets.
// The role dropped comes back only through the security administrator's approval, and no
// password shown by a reset is the password of the account once it is privileged again.
func TestRaceEditsAndResetsTakeNoPrivilege(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	leader := e.users["leader"]
	path := "/admin/users/" + strconv.FormatInt(leader.ID, 10)
	form := func(role string) url.Values {
		return url.Values{"name": {leader.Name}, "district": {"门头沟区"}, "unit": {leader.Unit}, "role": {role}}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		shown []string
	)
	for i := range 41 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch {
			case i == 20:
				sys.post(path, form(xiezuo.RoleUnit))
			case i%2 == 0:
				sys.post(path, form(xiezuo.RoleLeader))
			default:
				r := sys.post(path+"/password", nil)
				mu.Lock()
				shown = append(shown, shownSecrets(r.body)...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	got, err := e.db.UserByID(t.Context(), leader.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Privileged() {
		t.Fatalf("after the race 区领导's account holds %v with no approval; want the role dropped", got.Roles)
	}
	// A grant filed by a stale edit is approved: the account's password is then new, under
	// dual control, and none shown to the system administrator.
	pending, err := e.db.AccountRequests(t.Context(), sqldb.RequestFilter{UserID: leader.ID, Pending: true})
	if err != nil {
		t.Fatal(err)
	}
	sec := e.signIn("secadmin")
	for _, q := range pending {
		approve(t, sec, q.ID)
	}
	got, _ = e.db.UserByID(t.Context(), leader.ID)
	if !got.Privileged() {
		return
	}
	if known := knownPasswords(t, e, leader.ID, shown); len(known) > 0 {
		t.Errorf("the system administrator knows the password %q of privileged account %v", known, got.Roles)
	}
}

// TestRaceResetsDuringApproval: the system administrator asks 成员单位 caizheng be given the
// office role, and resets its password over and over while the security administrator
// approves. No reset shown to the system administrator is the password of the new privileged
// account.
func TestRaceResetsDuringApproval(t *testing.T) {
	e := newEnv(t)
	sys := e.signIn("sysadmin")
	sec := e.signIn("secadmin")
	cz := e.users["caizheng"]
	path := "/admin/users/" + strconv.FormatInt(cz.ID, 10)
	r := sys.post(path, url.Values{"name": {cz.Name}, "district": {"门头沟区"}, "unit": {cz.Unit}, "role": {"unit", "office"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("request the office role = %d %s", r.StatusCode, excerpt(r.body))
	}
	id := pendingRequest(t, e, "caizheng")
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		shown []string
	)
	var approved atomic.Bool
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Resets go on until the approval is made, and a few after it.
			for after := 0; after < 3; {
				r := sys.post(path+"/password", nil)
				mu.Lock()
				shown = append(shown, shownSecrets(r.body)...)
				mu.Unlock()
				if approved.Load() {
					after++
				}
			}
		}()
	}
	approve(t, sec, id)
	approved.Store(true)
	wg.Wait()
	got, err := e.db.UserByID(t.Context(), cz.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got.Roles, xiezuo.RoleOffice) {
		t.Fatalf("after approval caizheng holds %v, want the office role", got.Roles)
	}
	if known := knownPasswords(t, e, cz.ID, shown); len(known) > 0 {
		t.Errorf("the system administrator knows the password %q of the new office account", known)
	}
}

// TestPasswordPageCountsWrongOldPasswords: wrong old passwords on the password page count
// toward the sign-in lock; once locked, even the right old password is refused, and so is
// signing in.
func TestPasswordPageCountsWrongOldPasswords(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("caizheng")
	page := c.get("/password")
	c.csrf = regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)[1]
	change := func(old string) response {
		return c.post("/password", url.Values{"old": {old}, "new": {"Xinmima#2021a"}, "confirm": {"Xinmima#2021a"}})
	}
	for i := range defaultPolicy.MaxFailures {
		if r := change(fmt.Sprintf("Wrong#password%d", i)); r.StatusCode == http.StatusSeeOther {
			t.Fatalf("wrong old password %d accepted", i)
		}
	}
	if r := change(testPassword); r.StatusCode == http.StatusSeeOther || !strings.Contains(r.body, "锁定") {
		t.Errorf("right old password after %d wrong ones = %d %s, want refused: locked", defaultPolicy.MaxFailures, r.StatusCode, excerpt(r.body))
	}
	if a, _ := e.db.AccountByUsername(t.Context(), "caizheng"); !a.Locked(*e.clock) {
		t.Errorf("account not locked after %d wrong old passwords", defaultPolicy.MaxFailures)
	}
	if r := e.anonymous().signInForm("caizheng", testPassword); r.StatusCode == http.StatusSeeOther {
		t.Errorf("sign-in with the right password after the lock = %d, want refused", r.StatusCode)
	}
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditUserPassword, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	failures := 0
	for _, en := range entries {
		if en.Outcome == sqldb.AuditFailure {
			failures++
		}
	}
	if failures != defaultPolicy.MaxFailures+1 {
		t.Errorf("audited %d refused password changes, want %d", failures, defaultPolicy.MaxFailures+1)
	}
}

// TestControlCharactersRefused: a NUL (or another control character) in a form or query value
// is refused with 400 and a Chinese message, at sign-in (audited) as on any page or the API.
func TestControlCharactersRefused(t *testing.T) {
	e := newEnv(t)
	anon := e.anonymous()
	if r := anon.signInForm("cai\x00zheng", testPassword); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "控制字符") {
		t.Errorf("sign-in name with NUL = %d %s, want 400 控制字符", r.StatusCode, excerpt(r.body))
	}
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditSignIn, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(entries, func(en sqldb.AuditEntry) bool { return strings.Contains(en.Detail, "控制字符") }) {
		t.Errorf("sign-in refused for a NUL not audited")
	}
	c := e.signIn("caizheng")
	if r := c.post("/account/tokens", url.Values{"name": {"脚本\x00"}, "days": {"30"}}); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "控制字符") {
		t.Errorf("token name with NUL = %d %s, want 400", r.StatusCode, excerpt(r.body))
	}
	sys := e.signIn("sysadmin")
	cz := e.users["caizheng"]
	if r := sys.post("/admin/users/"+strconv.FormatInt(cz.ID, 10), url.Values{"name": {"蔡\x01财政"}, "district": {"门头沟区"}, "unit": {cz.Unit}, "role": {"unit"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("person's name with a control character = %d %s, want 400", r.StatusCode, excerpt(r.body))
	}
	if r := c.get("/api/v1/me?x=%00"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "控制字符") {
		t.Errorf("query value with NUL = %d %s, want 400", r.StatusCode, excerpt(r.body))
	}
	if r := c.post("/account/tokens", url.Values{"name": {"第一行\r\n第二行\t"}, "days": {"30"}}); r.StatusCode == http.StatusBadRequest && strings.Contains(r.body, "控制字符") {
		t.Errorf("tab and newlines refused as control characters")
	}
}

// TestSignInLimitPerNameIsPerMinute: 10 sign-in attempts a minute per address and name, as
// docs/security.md says; the 11th is refused until the minute is over, on the limiter's clock.
func TestSignInLimitPerNameIsPerMinute(t *testing.T) {
	e := newEnv(t)
	now := time.Date(2021, 8, 28, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	e.srv.limit = newLimiter(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	c := e.anonymous()
	for i := range 10 {
		if r := c.signInForm("nobody", "Wrong#password1"); r.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("attempt %d refused as too frequent", i+1)
		}
	}
	for _, after := range []time.Duration{0, 15 * time.Second, 30 * time.Second} {
		advance(after)
		if r := c.signInForm("nobody", "Wrong#password1"); r.StatusCode != http.StatusTooManyRequests {
			t.Errorf("11th attempt within the minute = %d, want 429", r.StatusCode)
		}
	}
	advance(20 * time.Second)
	if r := c.signInForm("nobody", "Wrong#password1"); r.StatusCode == http.StatusTooManyRequests {
		t.Errorf("attempt after the minute = %d, want let through", r.StatusCode)
	}
}
