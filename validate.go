package xiezuo

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validate normalises an account in place (the sign-in name in lower case, the unit by its
// canonical name, roles in order without repeats, a phone as 11 digits) and checks it: the one
// rule of what an account needs, called by the web form, the command and storage. The error,
// EINVALID, says what is wrong in words a clerk understands.
func (u *User) Validate() error {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.Name = strings.TrimSpace(u.Name)
	u.District = strings.TrimSpace(u.District)
	u.Unit = NormalizeUnitName(u.Unit)
	n := utf8.RuneCountInString(u.Username)
	switch {
	case HasControl(u.Name) || HasControl(u.District) || HasControl(u.Unit) || HasControl(u.Phone) || slices.ContainsFunc(u.Regions, HasControl):
		return Errorf(EINVALID, "姓名、单位、区县、片区或手机号含有不可见的控制字符，请删除后重新填写")
	case n < 2 || n > 64:
		return Errorf(EINVALID, "登录名应为 2 到 64 个字符")
	case strings.IndexFunc(u.Username, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return Errorf(EINVALID, "登录名不能含空格")
	case u.Name == "":
		return Errorf(EINVALID, "请填写姓名")
	case u.District == "":
		return Errorf(EINVALID, "请填写所属区县，如 门头沟区")
	case u.Unit == "":
		return Errorf(EINVALID, "请填写所属单位")
	case len(u.Roles) == 0:
		return Errorf(EINVALID, "请至少选择一个角色")
	}
	unit, err := CatalogueUnit(u.Unit)
	if err != nil {
		return err
	}
	u.Unit = unit
	var roles []string
	for _, r := range u.Roles {
		r = strings.TrimSpace(r)
		if !slices.Contains(Roles, r) {
			return Errorf(EINVALID, "未知角色「%s」，应为 %s 之一", r, strings.Join(Roles, "、"))
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	slices.SortFunc(roles, func(a, b string) int { return slices.Index(Roles, a) - slices.Index(Roles, b) })
	u.Roles = roles
	if err := CheckRoles(roles, u.District); err != nil {
		return err
	}
	var regions []string
	for _, r := range u.Regions {
		if r = strings.TrimSpace(r); r != "" && !slices.Contains(regions, r) {
			regions = append(regions, r)
		}
	}
	u.Regions = regions
	if u.Has(RoleCadre) && len(u.Regions) == 0 {
		return Errorf(EINVALID, "前方挂职干部须填写联系的协作地区，如 内蒙古武川县")
	}
	if u.Phone = strings.TrimSpace(u.Phone); u.Phone != "" {
		p, ok := NormalizePhone(u.Phone)
		if !ok {
			return Errorf(EINVALID, "手机号格式不正确，应为 11 位数字，如 13812341234")
		}
		u.Phone = p
	}
	return nil
}

// CatalogueUnit is the canonical name of a unit an account can belong to, written by its name
// or an alias; a name the catalogue does not know, or a collective name, is EINVALID with the
// near names the catalogue has.
func CatalogueUnit(written string) (string, error) {
	u, ok := LookupUnit(written)
	switch {
	case ok && u.Kind != KindGroup:
		return u.Name, nil
	case ok:
		return "", Errorf(EINVALID, "“%s”是统称，不是一个单位：请从单位目录中选择具体单位", u.Name)
	}
	if near := NearUnits(written); len(near) > 0 {
		return "", Errorf(EINVALID, "单位目录中没有“%s”，是否指：%s？", u.Name, strings.Join(near, "、"))
	}
	return "", Errorf(EINVALID, "单位目录中没有“%s”：请从单位目录中选择", u.Name)
}

// NearUnits lists up to five catalogue units whose names or aliases share the most characters
// with written, nearest first: the suggestions for a name the catalogue does not know.
func NearUnits(written string) []string {
	w := []rune(NormalizeUnitName(written))
	type scored struct {
		name  string
		score int
	}
	var found []scored
	for _, c := range catalogue {
		if c.kind == KindGroup {
			continue
		}
		best := 0
		for _, n := range c.names {
			common := 0
			for _, r := range w {
				if r != '区' && strings.ContainsRune(n, r) {
					common++
				}
			}
			if strings.Contains(n, string(w)) {
				common += len(w)
			}
			best = max(best, common)
		}
		if best*2 >= len(w) && best > 0 {
			found = append(found, scored{c.names[0], best})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int { return b.score - a.score })
	var names []string
	for _, f := range found[:min(len(found), 5)] {
		names = append(names, f.name)
	}
	return names
}

// Contact is a contact person of a unit or a project: a name and a mobile phone.
type Contact struct {
	Name  string
	Phone string
}

// Validate normalises a contact in place (the phone as 11 digits) and checks it: the one rule
// for the form and storage.
func (c *Contact) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	if HasControl(c.Name) || HasControl(c.Phone) {
		return Errorf(EINVALID, "联系人姓名或手机号含有不可见的控制字符，请删除后重新填写")
	}
	if n := utf8.RuneCountInString(c.Name); n == 0 || n > 20 {
		return Errorf(EINVALID, "联系人姓名应为 1 到 20 个字")
	}
	p, ok := NormalizePhone(c.Phone)
	if !ok {
		// The number typed is not repeated: the message travels in a link.
		return Errorf(EINVALID, "手机号格式不正确，应为 11 位数字，如 13812341234")
	}
	c.Phone = p
	return nil
}

// NormalizePhone returns a mainland mobile number as 11 digits, and whether it is one: spaces
// and hyphens are removed and a +86 or 0086 country prefix dropped, and what is left must
// match ^1[3-9]\d{9}$.
func NormalizePhone(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t', '\u3000':
			return -1
		}
		return r
	}, s)
	if t, ok := strings.CutPrefix(s, "+86"); ok {
		s = t
	} else if t, ok := strings.CutPrefix(s, "0086"); ok {
		s = t
	}
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return "", false
	}
	return s, true
}

// Label is how pages and listings name a user: 王办公（领导小组办公室，办公室）, and a cadre by its
// partner regions, 陈干部（前方挂职干部，内蒙古武川县）.
func (u *User) Label() string {
	detail := ""
	if u.Has(RoleCadre) && len(u.Regions) > 0 {
		detail = strings.Join(u.Regions, "、")
	} else {
		var names []string
		for _, r := range u.Roles {
			names = append(names, RoleNames[r])
		}
		detail = strings.Join(names, "、")
	}
	if detail == "" || detail == u.Unit {
		return u.Name + "（" + u.Unit + "）"
	}
	return u.Name + "（" + u.Unit + "，" + detail + "）"
}

// HasControl reports whether s holds a control character other than tab, newline and carriage
// return: a C0 character (NUL among them, which PostgreSQL cannot store in text) or DEL, or a
// bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), which makes a
// text show in another order than it reads (a 反馈 that looks like 已办结 but says otherwise).
// None belongs in what a person types.
func HasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
	})
}

// ErrControl is the refusal of a form or query value that holds a control character.
func ErrControl() error {
	return Errorf(EINVALID, "提交的内容含有不可见的控制字符（如 NUL），请删除后重新填写；如为复制粘贴所致，请手工输入")
}
