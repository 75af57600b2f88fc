package xiezuo

import (
	"slices"
	"time"
)

// Roles of a user. Several roles per user are allowed. The three administrators are kept
// apart (三员分立): the system administrator manages accounts, the security administrator sets
// the security policy, the audit administrator reads the audit log; none of them can erase it.
const (
	RoleOffice   = "office"   // 办公室: imports the plan, assigns, reviews, presses, publishes
	RoleUnit     = "unit"     // 成员单位: its own duties
	RoleTeamLead = "teamlead" // 专班牵头部门: its team's units and quotas
	RoleCadre    = "cadre"    // 前方挂职干部: the projects of its partner regions
	RoleLeader   = "leader"   // 区领导: reads, edits nothing
	RoleSysAdmin = "sysadmin" // 系统管理员: accounts
	RoleSecAdmin = "secadmin" // 安全管理员: security policy
	RoleAuditor  = "auditor"  // 审计管理员: the audit log
)

// Roles lists every role in the order pages show them.
var Roles = []string{RoleOffice, RoleUnit, RoleTeamLead, RoleCadre, RoleLeader, RoleSysAdmin, RoleSecAdmin, RoleAuditor}

// RoleNames are the roles' names on screen.
var RoleNames = map[string]string{
	RoleOffice:   "办公室",
	RoleUnit:     "成员单位",
	RoleTeamLead: "专班牵头部门",
	RoleCadre:    "前方挂职干部",
	RoleLeader:   "区领导",
	RoleSysAdmin: "系统管理员",
	RoleSecAdmin: "安全管理员",
	RoleAuditor:  "审计管理员",
}

// User is an account. Every user belongs to a unit of a district.
type User struct {
	ID          int64
	Username    string // sign-in name
	Name        string // person's name
	District    string
	Unit        string // canonical unit name
	Roles       []string
	Regions     []string // partner regions of a cadre
	Phone       string   // personal data: sealed at rest, masked on screen
	Disabled    bool
	MustChange  bool // the password was set by an administrator: change it at next sign-in
	TOTPEnabled bool
	CreatedAt   time.Time
	PasswordAt  time.Time // when the password was last set
	LastSignIn  time.Time
}

// Has reports whether the user holds a role.
func (u *User) Has(role string) bool { return slices.Contains(u.Roles, role) }

// HasAny reports whether the user holds any of the roles.
func (u *User) HasAny(roles ...string) bool {
	for _, r := range roles {
		if u.Has(r) {
			return true
		}
	}
	return false
}

// CanSeePersonalData reports whether the user may see personal fields (ID numbers, phones)
// unmasked, each reveal being audited: the office and the security administrator.
func (u *User) CanSeePersonalData() bool { return u.HasAny(RoleOffice, RoleSecAdmin) }

// CanEditPlan reports whether the user may import and change the plan: the office only.
func (u *User) CanEditPlan() bool { return u.Has(RoleOffice) }

// CanEditProject reports whether the user may edit a project's follow-up facts: the office, the
// project's lead unit, and the cadres of its region, in the user's own district (the plan's
// district is district). Leaders and administrators edit nothing.
func (u *User) CanEditProject(district string, p *Project) bool {
	switch {
	case u.Has(RoleOffice):
		return true
	case u.District != district:
		return false
	case u.Has(RoleUnit) && p.LeadUnit != "" && p.LeadUnit == u.Unit:
		return true
	case u.Has(RoleCadre) && slices.Contains(u.Regions, p.Region):
		return true
	}
	return false
}

// CanEditUnit reports whether the user may edit a unit's own details (its contact): the office
// and the unit itself, in its own district (区财政局 of one district is not another's).
func (u *User) CanEditUnit(district, unit string) bool {
	return u.Has(RoleOffice) || (u.HasAny(RoleUnit, RoleTeamLead) && u.Unit == unit && u.District == district)
}

// CanManageUsers reports whether the user may create, change and unlock accounts.
func (u *User) CanManageUsers() bool { return u.Has(RoleSysAdmin) }

// CanSetPolicy reports whether the user may change the security policy.
func (u *User) CanSetPolicy() bool { return u.Has(RoleSecAdmin) }

// CanReadAudit reports whether the user may search the audit log: the audit administrator and
// the office.
func (u *User) CanReadAudit() bool { return u.HasAny(RoleAuditor, RoleOffice) }
