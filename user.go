package xiezuo

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Roles of a user. Several roles per user are allowed. The three administrators are kept
// apart (三员分立): the system administrator manages accounts, the security administrator sets
// the security policy, the audit administrator reads the audit log; none of them can erase it.
const (
	RoleOffice     = "office"     // 办公室: imports its district's plan, assigns, reviews, presses, publishes
	RoleCityOffice = "cityoffice" // 市级办公室: reads every district's plans, writes nothing
	RoleUnit       = "unit"       // 成员单位: its own duties
	RoleTeamLead   = "teamlead"   // 专班牵头部门: its team's units and quotas
	RoleCadre      = "cadre"      // 前方挂职干部: the projects of its partner regions
	RoleLeader     = "leader"     // 区领导: reads, edits nothing
	RoleSysAdmin   = "sysadmin"   // 系统管理员: accounts
	RoleSecAdmin   = "secadmin"   // 安全管理员: security policy
	RoleAuditor    = "auditor"    // 审计管理员: the audit log
)

// Roles lists every role in the order pages show them.
var Roles = []string{RoleOffice, RoleCityOffice, RoleUnit, RoleTeamLead, RoleCadre, RoleLeader, RoleSysAdmin, RoleSecAdmin, RoleAuditor}

// RoleNames are the roles' names on screen.
var RoleNames = map[string]string{
	RoleOffice:     "办公室",
	RoleCityOffice: "市级办公室",
	RoleUnit:       "成员单位",
	RoleTeamLead:   "专班牵头部门",
	RoleCadre:      "前方挂职干部",
	RoleLeader:     "区领导",
	RoleSysAdmin:   "系统管理员",
	RoleSecAdmin:   "安全管理员",
	RoleAuditor:    "审计管理员",
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

// PrivilegedRoles are the roles whose grant waits for the security administrator's approval,
// and whose accounts' password resets need it too (三员分立): they reach the whole of a
// district's plan, the accounts, the policy or the audit log.
var PrivilegedRoles = []string{RoleOffice, RoleCityOffice, RoleLeader, RoleSysAdmin, RoleSecAdmin, RoleAuditor}

// IsPrivileged reports whether role is one of PrivilegedRoles.
func IsPrivileged(role string) bool { return slices.Contains(PrivilegedRoles, role) }

// Privileged reports whether the user holds a privileged role.
func (u *User) Privileged() bool { return u.HasAny(PrivilegedRoles...) }

// AdminRoles are the three administrators (三员): an account holding one holds no other role.
var AdminRoles = []string{RoleSysAdmin, RoleSecAdmin, RoleAuditor}

// GrantNow splits a change of roles from held to wanted into what takes effect at once and
// whether the rest waits for approval: dropping a role, or adding an unprivileged one, is
// immediate; adding a privileged role is not. now is wanted less the privileged roles that held
// lacks.
func GrantNow(held, wanted []string) (now []string, pending bool) {
	for _, r := range wanted {
		if IsPrivileged(r) && !slices.Contains(held, r) {
			pending = true
			continue
		}
		now = append(now, r)
	}
	return now, pending
}

// CheckRoles checks a set of roles and the district an account with them needs: an
// administrator's account holds that one role (三员分立); a district's office and the city
// office are bound to a district or city. The message says what is wrong.
func CheckRoles(roles []string, district string) error {
	if len(roles) > 1 && slices.ContainsFunc(roles, func(r string) bool { return slices.Contains(AdminRoles, r) }) {
		return Errorf(EINVALID, "系统管理员、安全管理员、审计管理员的账号只能担任这一个角色，须由不同的人分别担任（三员分立）")
	}
	if slices.Contains(roles, RoleOffice) && slices.Contains(roles, RoleCityOffice) {
		return Errorf(EINVALID, "区办公室与市级办公室不能由同一账号担任")
	}
	if (slices.Contains(roles, RoleOffice) || slices.Contains(roles, RoleCityOffice)) && (district == "" || district == "未设置") {
		return Errorf(EINVALID, "办公室账号须填写所属区县（市级办公室填写所属市）")
	}
	return nil
}

// CanWriteDistrict reports whether the user may write anything of district d, or reveal its
// personal data: only in its own district, and never as the city office, which reads every
// district and writes none.
func (u *User) CanWriteDistrict(d string) bool {
	return d != "" && u.District == d && !u.Has(RoleCityOffice)
}

// PlanRoles are the roles that read a district's plan: an account holding none of them (an
// administrator, or an account whose privileged roles still wait for approval) reads no plan.
var PlanRoles = []string{RoleOffice, RoleCityOffice, RoleUnit, RoleTeamLead, RoleCadre, RoleLeader}

// ReadsPlans reports whether the user holds a role that reads plans.
func (u *User) ReadsPlans() bool { return u.HasAny(PlanRoles...) }

// DistrictRefusal says, in words the page shows, why the user may not change (or read) what
// (联系人, 个人信息, 事项…) of district d, by the first reason that holds: the city office only
// reads; an administrator (系统、安全、审计) reads no plan (三员分立), nor does an account whose
// roles wait for approval; an account without a district has none to act in; any other account
// acts in its own district only; there, a leader only reads, and only the office writes.
func (u *User) DistrictRefusal(d, what string) string {
	var admins []string
	for _, r := range []string{RoleSysAdmin, RoleSecAdmin, RoleAuditor} {
		if u.Has(r) {
			admins = append(admins, RoleNames[r])
		}
	}
	switch {
	case u.Has(RoleCityOffice):
		return "市级办公室只能查看各区的计划，不能修改或查看各区的" + what
	case !u.ReadsPlans() && len(admins) > 0:
		return strings.Join(admins, "、") + "不查看计划和督查事项（三员分立），不能修改或查看" + what
	case !u.ReadsPlans():
		return "您的账号还没有查看计划的角色（角色申请可能在等待安全管理员批准），不能修改或查看" + what
	case u.District == "":
		return "您的账号没有所属区县，不能修改或查看" + what + "；请联系系统管理员设置所属区县"
	case d != u.District:
		return fmt.Sprintf("只能修改或查看本区（%s）的%s，不能修改或查看%s的", u.District, what, d)
	case u.Has(RoleLeader) && !u.Has(RoleOffice):
		return fmt.Sprintf("区领导只查看本区（%s）的计划和督查情况，不能修改%s", d, what)
	}
	return fmt.Sprintf("只有本区（%s）领导小组办公室可以修改%s", d, what)
}

// CanReadDistrict reports whether the user may read district d's plans and pages: its own
// district, or any district for the city office, and only with a role that reads plans.
func (u *User) CanReadDistrict(d string) bool {
	return u.Has(RoleCityOffice) || (d != "" && u.District == d && u.ReadsPlans())
}

// ResetNeedsApproval reports whether resetting the user's password waits for the security
// administrator: a privileged account, or one whose grant of a privileged role waits (its
// password would otherwise be known to the system administrator when the grant takes effect).
func (u *User) ResetNeedsApproval(grantPending bool) bool { return u.Privileged() || grantPending }

// CanSeePersonalData reports whether the user may see personal fields (ID numbers, phones)
// of district d unmasked, each reveal being audited: the office of that district only. The
// administrators read no plan and no one's personal data (三员分立).
func (u *User) CanSeePersonalData(d string) bool {
	return u.Has(RoleOffice) && u.CanWriteDistrict(d)
}

// CanEditPlan reports whether the user may import and change plans at all: the office. Which
// plans it may import is CheckImport's.
func (u *User) CanEditPlan() bool { return u.Has(RoleOffice) }

// CheckImport says whether the user may import a plan of district d: the office of d only. The
// error, EFORBIDDEN, says why in words the page shows.
func (u *User) CheckImport(d string) error {
	switch {
	case !u.Has(RoleOffice):
		return Errorf(EFORBIDDEN, "只有区办公室可以导入计划")
	case !u.CanWriteDistrict(d):
		return Errorf(EFORBIDDEN, "只能导入本区（%s）的计划，此文件是%s的计划", u.District, d)
	}
	return nil
}

// CanEditProject reports whether the user may edit a project's follow-up facts: the office, the
// project's lead unit, and the cadres of its region, all in the user's own district (the plan's
// district is district). Leaders and administrators edit nothing.
func (u *User) CanEditProject(district string, p *Project) bool {
	switch {
	case !u.CanWriteDistrict(district):
		return false
	case u.Has(RoleOffice):
		return true
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
	return u.CanWriteDistrict(district) && (u.Has(RoleOffice) || (u.HasAny(RoleUnit, RoleTeamLead) && u.Unit == unit))
}

// CanManageUsers reports whether the user may create, change and unlock accounts.
func (u *User) CanManageUsers() bool { return u.Has(RoleSysAdmin) }

// CanApproveAccounts reports whether the user may approve or reject grants of privileged roles
// and resets of privileged accounts' passwords: the security administrator (三员分立).
func (u *User) CanApproveAccounts() bool { return u.Has(RoleSecAdmin) }

// CanSetPolicy reports whether the user may change the security policy.
func (u *User) CanSetPolicy() bool { return u.Has(RoleSecAdmin) }

// CanReadAudit reports whether the user may search the audit log: the audit administrator and
// the office.
func (u *User) CanReadAudit() bool { return u.HasAny(RoleAuditor, RoleOffice) }

// AuditDistrict is whose audit entries the user reads: all of them (all true) for the audit
// administrator; for the office only those made by users of its own district, since other
// districts' imports, the administrators' activity and the names typed at failed sign-ins
// (sometimes a mistyped password) are none of its business.
func (u *User) AuditDistrict() (district string, all bool) {
	if u.Has(RoleAuditor) {
		return "", true
	}
	return u.District, false
}

// GuardedRoles are the administrators whose last enabled holder may not be removed: without a
// security administrator nobody approves requests, without an auditor nobody reviews the log.
var GuardedRoles = []string{RoleSecAdmin, RoleAuditor}

// LastAdminRefusal says why a change of an account from (held, wasDisabled) to (now, disabled)
// is refused, "" when it is not: it may not disable the account, or drop a guarded role from
// it, when others[role] (the other enabled accounts holding it) is 0, so that the system
// administrator alone cannot remove the other two administrators (三员分立).
func LastAdminRefusal(held []string, wasDisabled bool, now []string, disabled bool, others map[string]int) string {
	if wasDisabled {
		return ""
	}
	for _, r := range GuardedRoles {
		if !slices.Contains(held, r) || (!disabled && slices.Contains(now, r)) || others[r] > 0 {
			continue
		}
		what := "取消其" + RoleNames[r] + "角色"
		if disabled {
			what = "停用该账号"
		}
		return fmt.Sprintf("这是唯一启用的%s账号，不能%s：否则无人%s。请先设立并启用另一名%s", RoleNames[r], what,
			map[string]string{RoleSecAdmin: "批准账号申请、设置安全策略", RoleAuditor: "审查审计日志"}[r], RoleNames[r])
	}
	return ""
}

// RemovalWaits says which part of a change of an account from (held, wasDisabled) to (wanted,
// disabled) waits for the security administrator's approval (三员分立): dropping a guarded role
// (drops), or disabling an enabled account that holds one (disables). Without it the system
// administrator alone could remove one of several security administrators or auditors.
func RemovalWaits(held []string, wasDisabled bool, wanted []string, disabled bool) (drops, disables bool) {
	for _, r := range GuardedRoles {
		if !slices.Contains(held, r) {
			continue
		}
		if !slices.Contains(wanted, r) {
			drops = true
		}
		if disabled && !wasDisabled {
			disables = true
		}
	}
	return drops, disables
}
