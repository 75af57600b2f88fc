package xiezuo

import (
	"strings"
	"testing"
)

func TestLastAdminRefusal(t *testing.T) {
	sec, aud := []string{RoleSecAdmin}, []string{RoleAuditor}
	none := map[string]int{}
	both := map[string]int{RoleSecAdmin: 1, RoleAuditor: 1}
	for _, c := range []struct {
		name        string
		held        []string
		wasDisabled bool
		now         []string
		disabled    bool
		others      map[string]int
		want        string // part of the refusal; "" when allowed
	}{
		{"disable the only secadmin", sec, false, sec, true, none, "唯一启用的安全管理员账号，不能停用该账号"},
		{"drop the only auditor", aud, false, []string{RoleUnit}, false, none, "不能取消其审计管理员角色"},
		{"drop the only auditor, no role left", aud, false, nil, false, none, "审计管理员"},
		{"disable a secadmin with another", sec, false, sec, true, both, ""},
		{"drop an auditor with another", aud, false, nil, false, both, ""},
		{"edit the only secadmin", sec, false, sec, false, none, ""},
		{"disable an already disabled secadmin", sec, true, sec, true, none, ""},
		{"disable a system administrator", []string{RoleSysAdmin}, false, []string{RoleSysAdmin}, true, none, ""},
		{"drop auditor, another secadmin only", aud, false, nil, false, map[string]int{RoleSecAdmin: 2}, "审计管理员"},
	} {
		got := LastAdminRefusal(c.held, c.wasDisabled, c.now, c.disabled, c.others)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: LastAdminRefusal = %q, want %q", c.name, got, c.want)
		}
	}
}
