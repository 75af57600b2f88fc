package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo/sqldb"
)

// The audit page's action filter finds an action by the words other pages use for it.
func TestActionCodesSynonyms(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"重置密码", []string{"user.password"}},
		{"设置密码", []string{"user.password"}},
		{"查看完整手机号", []string{"personal.reveal"}},
		{"解锁", []string{"user.unlock"}},
		{"解除锁定", []string{"user.unlock"}},
		{"登录", []string{"auth.signin"}},
	} {
		if diff := cmp.Diff(tt.want, actionCodes(tt.in)); diff != "" {
			t.Errorf("actionCodes(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// Roles and settings are shown by their names, never by their codes.
func TestAuditRowNames(t *testing.T) {
	for _, tt := range []struct {
		e           sqldb.AuditEntry
		label       string
		wantChanges []string
	}{
		{sqldb.AuditEntry{Action: "user.add", ObjectLabel: "张三（zs）", After: `{"username":"zs","roles":["unit","teamlead"]}`},
			"张三（zs）", []string{"登录名：zs", "角色：成员单位、专班牵头部门"}},
		{sqldb.AuditEntry{Action: "user.update", ObjectLabel: "张三（zs）", Before: `{"roles":null}`, After: `{"roles":["office"]}`},
			"张三（zs）", []string{"角色：— → 办公室"}},
		{sqldb.AuditEntry{Action: "user.update", Before: `{"roles":["unit"]}`, After: `{"roles":["cityoffice"]}`},
			"", []string{"角色：成员单位 → 市级办公室"}},
		{sqldb.AuditEntry{Action: "setting.set", ObjectID: "policy.mfa_roles", ObjectLabel: "policy.mfa_roles", Before: `""`, After: `"sysadmin,secadmin,auditor"`},
			"须用动态口令登录的角色", []string{"取值：（无） → 系统管理员、安全管理员、审计管理员"}},
		{sqldb.AuditEntry{Action: "setting.set", ObjectID: "policy.max_failures", ObjectLabel: "policy.max_failures", After: `"6"`},
			"锁定前允许连续输错次数", []string{"取值：6"}},
	} {
		got := auditRowFor(tt.e)
		if got.ObjectLabel != tt.label {
			t.Errorf("auditRowFor(%s).ObjectLabel = %q, want %q", tt.e.After, got.ObjectLabel, tt.label)
		}
		if diff := cmp.Diff(tt.wantChanges, got.Changes); diff != "" {
			t.Errorf("auditRowFor(%s).Changes (-want +got):\n%s", tt.e.After, diff)
		}
	}
}

// Saving the security policy writes, and audits, only the values that changed.
func TestSecuritySaveOnlyChanged(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("secadmin")
	form := url.Values{
		"policy.max_failures": {"5"}, "policy.lock_minutes": {"30"}, "policy.password_max_age_days": {"90"},
		"policy.idle_minutes": {"30"},
	}
	count := func() int {
		_, n, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditSettingSet, Username: "secadmin"})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if r := c.post("/admin/security", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /admin/security = %d: %s", r.StatusCode, r.body)
	}
	if n := count(); n != 0 {
		t.Errorf("saving the policy unchanged wrote %d setting.set entries, want 0", n)
	}
	form.Set("policy.max_failures", "6")
	form["mfa"] = []string{"auditor", "sysadmin"}
	c.post("/admin/security", form)
	if n := count(); n != 2 {
		t.Errorf("saving two changed values wrote %d setting.set entries, want 2", n)
	}
	form["mfa"] = []string{"sysadmin", "auditor"}
	c.post("/admin/security", form)
	if n := count(); n != 2 {
		t.Errorf("saving again unchanged (roles in another order) wrote %d more entries", n-2)
	}
}

// A refused write or reveal in another district names the district asked.
func TestRefusedCrossDistrictNamesDistrict(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	q := "?district=" + url.QueryEscape("东城区")
	c.post("/units/"+url.PathEscape("区财政局")+"/contact"+q, url.Values{"name": {"张三"}, "phone": {"13800000000"}})
	c.post("/units/"+url.PathEscape("区财政局")+"/contact/reveal"+q, nil)
	c.post("/regions/"+url.PathEscape("内蒙古武川县")+"/contact"+q, url.Values{"name": {"张三"}, "phone": {"13800000000"}})
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Username: "office", Actions: []string{sqldb.AuditContact, sqldb.AuditReveal}})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Fatalf("refusals audited: %d, want 3: %+v", len(entries), entries)
	}
	for _, x := range entries {
		if x.Outcome != sqldb.AuditFailure || !strings.Contains(x.ObjectLabel, "东城区") || !strings.Contains(x.Detail, "东城区") {
			t.Errorf("refused %s entry: object %q, detail %q; want both to name 东城区", x.Action, x.ObjectLabel, x.Detail)
		}
	}
}
