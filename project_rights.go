package xiezuo

import "strings"

// Who may write a project's follow-up facts (项目全周期、资金台账). A project's steps and money
// are written by the office, the project's lead unit and the cadres of its region
// (User.CanEditProject), except two acts that belong to the office: allocating money (下达,
// and so reversing an allocation, which is an allocation) and adjusting a project's money or
// content (调整, approved with a 批复文号). Handlers ask these rules before they store anything,
// and pages offer only what they allow.

// ProjectStepRefusal says why u may not record a step of project p of district d, in words a
// clerk understands (EFORBIDDEN), or nil when it may (User.CanEditProject: the office, the
// project's lead unit and the cadres of its region, in their own district). Whether u may
// record a given kind of step is StepWriteRefusal's.
func ProjectStepRefusal(u *User, d string, p *Project) error {
	return projectWriteRefusal(u, d, p, "进展")
}

// projectWriteRefusal says why u may not write project p's facts of the kind what (进展, 资金)
// in district d, or nil when it may (User.CanEditProject).
func projectWriteRefusal(u *User, d string, p *Project, what string) error {
	switch {
	case u.CanEditProject(d, p):
		return nil
	case !u.CanWriteDistrict(d) || (u.Has(RoleLeader) && !u.HasAny(RoleOffice, RoleUnit, RoleCadre)):
		return Errorf(EFORBIDDEN, "%s", u.DistrictRefusal(d, "项目"+what))
	case u.Has(RoleCadre) && !u.Has(RoleUnit) && !u.Has(RoleOffice):
		regions := strings.Join(u.Regions, "、")
		if regions == "" {
			regions = "（未绑定地区）"
		}
		return Errorf(EFORBIDDEN, "项目“%s”在%s，您负责的地区是%s：只能登记本地区项目的%s", p.Name, p.Region, regions, what)
	}
	lead := p.LeadUnit
	if lead == "" {
		lead = "（未写明）"
	}
	return Errorf(EFORBIDDEN, "项目“%s”的%s由办公室、牵头单位%s和%s的前方挂职干部登记，您的账号不能登记", p.Name, what, lead, p.Region)
}

// StepWriteRefusal says why u may not record a step of kind k of project p of district d
// (EFORBIDDEN), or nil when it may: ProjectStepRefusal, and an adjustment (调整) is the
// office's, since it is approved with a 批复文号. An unknown kind is left to StepRefusal.
func StepWriteRefusal(u *User, d string, p *Project, k StepKind) error {
	if err := ProjectStepRefusal(u, d, p); err != nil {
		return err
	}
	if k == StepAdjust && !u.Has(RoleOffice) {
		return Errorf(EFORBIDDEN, "调整项目资金或建设内容须经批复（批复文号），由办公室登记：项目“%s”的调整请报领导小组办公室；您可以登记开工、完工等进展", p.Name)
	}
	return nil
}

// StepsFor are the steps that may follow a project in status s (NextSteps) that u may record
// on project p of district d, in NextSteps' order: what the step form offers u.
func StepsFor(u *User, d string, p *Project, s ProjectStatus) []StepKind {
	var out []StepKind
	for _, k := range NextSteps(s) {
		if StepWriteRefusal(u, d, p, k) == nil {
			out = append(out, k)
		}
	}
	return out
}

// FundWriteRefusal says why u may not record a transaction of kind k of project p of district
// d (EFORBIDDEN), or nil when it may: a disbursement or expenditure, and their reversals, by
// User.CanEditProject; an allocation (下达) by the office only, and so its reversal, which
// takes the kind of the entry it reverses (CheckFundTx). An unknown kind is left to CheckFundTx.
func FundWriteRefusal(u *User, d string, p *Project, k FundKind) error {
	if err := projectWriteRefusal(u, d, p, "资金"); err != nil {
		return err
	}
	if k == FundAllocation && !u.Has(RoleOffice) {
		return Errorf(EFORBIDDEN, "资金下达由办公室登记：项目“%s”的下达（及下达记录的冲销）请报领导小组办公室；您可以登记拨付和支出", p.Name)
	}
	return nil
}

// FundKindsFor are the transaction kinds u may record on project p of district d, in the
// order of FundKinds: what the ledger's form offers u.
func FundKindsFor(u *User, d string, p *Project) []FundKind {
	var out []FundKind
	for _, k := range FundKinds {
		if FundWriteRefusal(u, d, p, k) == nil {
			out = append(out, k)
		}
	}
	return out
}
