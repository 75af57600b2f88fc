package xiezuo

import (
	"strings"
	"testing"
)

// TestUserValidate is the table of what an account needs: the same rule for the web form, the
// command and storage.
func TestUserValidate(t *testing.T) {
	ok := User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}
	tests := []struct {
		name   string
		change func(u *User)
		want   string // part of the message; "" when valid
	}{
		{"valid", func(u *User) {}, ""},
		{"alias", func(u *User) { u.Unit = "区人社局" }, ""},
		{"short username", func(u *User) { u.Username = "a" }, "登录名"},
		{"space in username", func(u *User) { u.Username = "cai zheng" }, "空格"},
		{"no name", func(u *User) { u.Name = " " }, "姓名"},
		{"no district", func(u *User) { u.District = "" }, "区县"},
		{"no unit", func(u *User) { u.Unit = "" }, "单位"},
		{"unknown unit", func(u *User) { u.Unit = "区财政" }, "区财政局"},
		{"group as unit", func(u *User) { u.Unit = "各镇街" }, "单位目录"},
		{"no role", func(u *User) { u.Roles = nil }, "角色"},
		{"unknown role", func(u *User) { u.Roles = []string{"boss"} }, "未知角色"},
		{"cadre without region", func(u *User) { u.Unit, u.Roles = "前方挂职干部", []string{RoleCadre} }, "协作地区"},
		{"cadre with region", func(u *User) {
			u.Unit, u.Roles, u.Regions = "前方挂职干部", []string{RoleCadre}, []string{"内蒙古武川县"}
		}, ""},
		{"admin with another role", func(u *User) { u.Roles = []string{RoleSysAdmin, RoleUnit} }, "三员分立"},
		{"city office", func(u *User) {
			u.District, u.Unit, u.Roles = "北京市", "市支援合作办", []string{RoleCityOffice}
		}, ""},
		{"bad phone", func(u *User) { u.Phone = "12345" }, "手机号"},
	}
	for _, tt := range tests {
		u := ok
		u.Roles = append([]string(nil), ok.Roles...)
		tt.change(&u)
		err := u.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: Validate() = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(ErrorMessage(err), tt.want) || ErrorCode(err) != EINVALID):
			t.Errorf("%s: Validate() = %v, want EINVALID with %q", tt.name, err, tt.want)
		}
	}
	u := ok
	u.Unit, u.Username = " 区人社局 ", " CaiZheng "
	if err := u.Validate(); err != nil || u.Unit != "区人力社保局" || u.Username != "caizheng" {
		t.Errorf("Validate() = %v, unit %q username %q; want canonical 区人力社保局 and caizheng", err, u.Unit, u.Username)
	}
}

// TestContactValidate is the table of what a contact person needs.
func TestContactValidate(t *testing.T) {
	tests := []struct {
		c    Contact
		want string
	}{
		{Contact{Name: "张三", Phone: "138 1234 1234"}, ""},
		{Contact{Name: "", Phone: "13812341234"}, "姓名"},
		{Contact{Name: strings.Repeat("张", 21), Phone: "13812341234"}, "姓名"},
		{Contact{Name: "张三", Phone: "010-1234"}, "手机号"},
	}
	for _, tt := range tests {
		c := tt.c
		err := c.Validate()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(ErrorMessage(err), tt.want)) {
			t.Errorf("%+v.Validate() = %v, want %q", tt.c, err, tt.want)
		}
	}
	c := Contact{Name: " 张三 ", Phone: "+86 138-1234-1234"}
	if err := c.Validate(); err != nil || c.Phone != "13812341234" || c.Name != "张三" {
		t.Errorf("Validate() = %v, %+v; want normalised", err, c)
	}
}

// TestNearUnits checks the names suggested for a unit the catalogue does not know.
func TestNearUnits(t *testing.T) {
	if got := NearUnits("区财政"); len(got) == 0 || got[0] != "区财政局" {
		t.Errorf("NearUnits(区财政) = %v, want 区财政局 first", got)
	}
}

// TestUserLabel checks how a user is named: a cadre by its regions, not its role again.
func TestUserLabel(t *testing.T) {
	tests := []struct {
		u    User
		want string
	}{
		{User{Name: "陈干部", Unit: "前方挂职干部", Roles: []string{RoleCadre}, Regions: []string{"内蒙古武川县"}}, "陈干部（前方挂职干部，内蒙古武川县）"},
		{User{Name: "陈干部", Unit: "前方挂职干部", Roles: []string{RoleCadre}}, "陈干部（前方挂职干部）"},
		{User{Name: "王办公", Unit: "领导小组办公室", Roles: []string{RoleOffice}}, "王办公（领导小组办公室，办公室）"},
		{User{Name: "刘人社", Unit: "区人力社保局", Roles: []string{RoleUnit, RoleTeamLead}}, "刘人社（区人力社保局，成员单位、专班牵头部门）"},
	}
	for _, tt := range tests {
		if got := tt.u.Label(); got != tt.want {
			t.Errorf("Label() = %q, want %q", got, tt.want)
		}
	}
}

func TestHasControl(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", false},
		{"张三", false},
		{"第一行\r\n第二行\t制表", false},
		{"zhang\x00san", true},
		{"\x01", true},
		{"a\x1fb", true},
		{"a\x7fb", true},
		{"全角　空格", false},
		{"右\u202e到左", true},       // RIGHT-TO-LEFT OVERRIDE: shows text reversed
		{"\u202a嵌入", true},        // LEFT-TO-RIGHT EMBEDDING
		{"弹出\u202c", true},        // POP DIRECTIONAL FORMATTING
		{"隔离\u2066x\u2069", true}, // LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE
		{"\u2067", true},
		{"\u2068", true},
		{"破折号——与“引号”、《书名》", false},
		{"\u200e标记", false}, // LEFT-TO-RIGHT MARK only marks, overrides nothing
	}
	for _, tt := range tests {
		if got := HasControl(tt.s); got != tt.want {
			t.Errorf("HasControl(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	for _, u := range []User{
		{Username: "zhangsan", Name: "张\x00三", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleUnit}},
		{Username: "zhangsan", Name: "张三", District: "门头沟区\x00", Unit: "领导小组办公室", Roles: []string{RoleUnit}},
		{Username: "zhang\x00san", Name: "张三", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleUnit}},
	} {
		if err := u.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("Validate(%q, %q, %q) = %v, want %s", u.Username, u.Name, u.District, err, EINVALID)
		}
	}
	c := Contact{Name: "张\x00三", Phone: "13812341234"}
	if err := c.Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("Contact.Validate(NUL in name) = %v, want %s", err, EINVALID)
	}
}
