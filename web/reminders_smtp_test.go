package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/sqldb"
)

// TestRemindSMTPSysAdminOnly: the SMTP server is the whole server's, set by the system
// administrator only: an office (of another district or of the district) is refused with 403
// and nothing stored; the office reads whether mail is configured, without the user name and
// without the form; the system administrator changing the host without typing the password
// again is refused (422) and nothing stored, and with it typed the change is stored.
func TestRemindSMTPSysAdminOnly(t *testing.T) {
	e := newEnv(t)
	dc := xiezuo.User{Username: "dcoffice", Name: "东办公", District: "东城区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}}
	if err := e.db.CreateUser(t.Context(), &dc, testHash); err != nil {
		t.Fatal(err)
	}
	sys := e.signIn("sysadmin")
	if resp := sys.get("/reminders/smtp"); resp.StatusCode != http.StatusOK || !strings.Contains(resp.body, `action="/reminders/settings/smtp"`) || strings.Contains(resp.body, "各单位的提醒渠道") {
		t.Fatalf("sysadmin GET /reminders/smtp = %d, want the SMTP form only: %s", resp.StatusCode, excerpt(resp.body))
	}
	first := url.Values{"host": {"smtp.mtg.gov.cn"}, "port": {"587"}, "from": {"xiezuo@mtg.gov.cn"}, "username": {"xz-user"}, "password": {"pw-sys-1"}}
	if resp := sys.post("/reminders/settings/smtp", first); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sysadmin POST smtp = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	count := func() int { // the settings stored so far: each has its audit entry, in its transaction
		entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Actions: []string{sqldb.AuditReminderSMTP}})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := e.db.SMTP(t.Context()); len(entries) == 1 && (got.Host != "smtp.mtg.gov.cn" || got.Port != 587) {
			t.Errorf("SMTP = %+v, want the first settings kept", got)
		}
		return len(entries)
	}
	attack := url.Values{"host": {"127.0.0.1"}, "port": {"2525"}, "from": {"xiezuo@mtg.gov.cn"}, "username": {"xz-user"}}
	for _, who := range []string{"dcoffice", "office"} {
		if resp := e.signIn(who).post("/reminders/settings/smtp", clone(attack)); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST smtp = %d, want 403", who, resp.StatusCode)
		}
	}
	if n := count(); n != 1 {
		t.Errorf("smtp_settings rows = %d after the offices' posts, want 1", n)
	}
	resp := sys.post("/reminders/settings/smtp", clone(attack))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "须重新输入密码") || !strings.Contains(resp.body, `id="smtp-error"`) {
		t.Errorf("sysadmin changing the host without the password = %d, want 422 with the reason: %s", resp.StatusCode, excerpt(resp.body))
	}
	if n := count(); n != 1 {
		t.Errorf("smtp_settings rows = %d after the refusal, want 1", n)
	}
	attack.Set("password", "pw-sys-2")
	if resp := sys.post("/reminders/settings/smtp", clone(attack)); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sysadmin changing the host with the password = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	if got, _ := e.db.SMTP(t.Context()); got.Host != "127.0.0.1" || got.Port != 2525 {
		t.Errorf("SMTP = %+v, want the sysadmin's change", got)
	}
	if resp := e.signIn("office").get("/reminders/smtp"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("office GET /reminders/smtp = %d, want 403", resp.StatusCode)
	}
	page := e.signIn("office").get("/reminders/settings").body
	if !strings.Contains(page, "已设置") || strings.Contains(page, "xz-user") || strings.Contains(page, `action="/reminders/settings/smtp"`) || strings.Contains(page, "pw-sys") {
		t.Errorf("office's settings page: want mail shown as configured, read-only, without the user name: %s", excerpt(page))
	}
	// The audit keeps the sysadmin's changes, readable as before (without the password).
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Actions: []string{sqldb.AuditReminderSMTP}})
	if err != nil || len(entries) != 2 || entries[0].Username != "sysadmin" || strings.Contains(entries[0].After, "pw-sys") {
		t.Errorf("audit of SMTP = %+v, %v; want two entries by sysadmin without the password", entries, err)
	}
}

// TestRemindRobotURLMasked: a robot's address is shown masked in the settings (list and form),
// its key never in the page; the form sent back with the masked address keeps the stored one.
func TestRemindRobotURLMasked(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	key := "wk-9c9c9c-secret"
	form := url.Values{"unit": {"区财政局"}, "enabled": {"1"}, "wecom": {"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key}}
	if resp := office.post("/reminders/settings/unit", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST unit = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	page := office.get("/reminders/settings?unit=" + url.QueryEscape("区财政局")).body
	masked := "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
	if strings.Contains(page, key) || !strings.Contains(page, `value="`+masked+`"`) {
		t.Errorf("settings page shows the robot's key or not its masked address: %s", excerpt(page))
	}
	form.Set("wecom", masked)
	form.Set("emails", "cz@mtg.gov.cn")
	if resp := office.post("/reminders/settings/unit", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST unit with the masked address = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	cs, err := e.db.ReminderChannels(t.Context(), "门头沟区")
	if err != nil || len(cs) != 1 || cs[0].WeCom != masked || len(cs[0].Emails) != 1 {
		t.Errorf("channels = %+v, %v; want the robot kept and the address added", cs, err)
	}
}
