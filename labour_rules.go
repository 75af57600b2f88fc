package xiezuo

import (
	"fmt"
	"slices"
	"strings"
)

// Who may do what with the labour lists of a district. One rule, here: storage and pages ask it.

// LabourAction is what a user asks to do with a district's labour lists.
type LabourAction int

const (
	// LabourRead: the lists, counts, a person's page, masked exports.
	LabourRead LabourAction = iota
	// LabourWrite: import a list, run matching, confirm a match, record a placement.
	LabourWrite
	// LabourReveal: see an ID number, a phone or an income unmasked (each reveal audited), and
	// export them unmasked.
	LabourReveal
)

// LabourUnits are the units of plan p that work the labour lists: the lead units of its work
// team for labour cooperation (劳务协作专班, lead 区人力社保局 in 2021).
func LabourUnits(p *Plan) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, t := range p.Teams {
		if strings.Contains(t.Name, "劳务") {
			for _, u := range t.Leads {
				if !slices.Contains(out, u) {
					out = append(out, u)
				}
			}
		}
	}
	return out
}

// LabourRefusal says, in words a page shows, why u may not do a with district d's labour lists
// under plan p (the district's plan of the year, nil when none is stored); "" when u may.
//
//   - read: the office, the leaders, the city office (every district), the district's cadres
//     (the people of their partner regions, LabourRegions) and the users of LabourUnits;
//   - write and reveal: the office, the users of LabourUnits and the cadres (their regions), in
//     their own district only. Leaders and the city office read masked data only.
func LabourRefusal(u *User, d string, p *Plan, a LabourAction) string {
	if u == nil {
		return "请先登录"
	}
	labourUnit := u.HasAny(RoleUnit, RoleTeamLead) && u.Unit != "" && slices.Contains(LabourUnits(p), u.Unit)
	switch a {
	case LabourRead:
		if !u.CanReadDistrict(d) {
			return u.DistrictRefusal(d, "劳务协作清单")
		}
		if u.HasAny(RoleOffice, RoleLeader, RoleCityOffice, RoleCadre) || labourUnit {
			return ""
		}
		return "劳务协作清单由领导小组办公室、劳务协作专班牵头部门、前方挂职干部、区领导和市级办公室查看（区领导和市级办公室看到的个人信息已隐藏）"
	default:
		if u.Has(RoleCityOffice) && !u.Has(RoleOffice) && u.ReadsPlans() {
			return "市级办公室可以查看各区的劳务协作清单（个人信息已隐藏），不能修改，也不能查看完整的身份证号、手机号和收入"
		}
		if !u.CanWriteDistrict(d) || !u.ReadsPlans() {
			return u.DistrictRefusal(d, "劳务协作清单")
		}
		if u.Has(RoleOffice) || labourUnit || u.Has(RoleCadre) {
			return ""
		}
		if u.Has(RoleLeader) {
			return fmt.Sprintf("区领导只查看本区（%s）的劳务协作清单（个人信息已隐藏），不能修改", d)
		}
		if a == LabourReveal {
			return "只有领导小组办公室、劳务协作专班牵头部门和前方挂职干部可以查看完整的身份证号、手机号和收入"
		}
		return "劳务协作清单由领导小组办公室、劳务协作专班牵头部门和前方挂职干部维护"
	}
}

// LabourRegions are the partner regions whose people u sees in the lists: nil for all; a cadre
// who is nothing else sees the people of its own regions (and every job).
func LabourRegions(u *User) []string {
	if u == nil || !u.Has(RoleCadre) || u.HasAny(RoleOffice, RoleUnit, RoleTeamLead, RoleLeader, RoleCityOffice) {
		return nil
	}
	if len(u.Regions) == 0 {
		return []string{}
	}
	return u.Regions
}

// PoorLabel is the word pages and workbooks show for a person's poor flag: the flag itself,
// and 一般农户 for "" (neither 脱贫人口 nor 监测对象), one word wherever the flag is shown.
func PoorLabel(poor string) string {
	if poor == "" {
		return PoorNone
	}
	return poor
}

// PoorNone is the word for a person neither 脱贫人口 nor 监测对象.
const PoorNone = "一般农户"
