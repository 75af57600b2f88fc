package xiezuo

import (
	"slices"
	"strconv"
)

// PlanDuty is one duty of a plan as the report page and the API show it: what it is, who answers
// for it, when it is due and the figures its report asks for.
type PlanDuty struct {
	Key      DutyKey
	Ref      DutyRef // the number of a work point or a task (zero for a project)
	Title    string  // 工作要点第3条 持续帮扶资金项目投入水平; 任务第1项 组织领导（研究部署）; the project's name
	Text     string  // the work point's text, the task's content, the project's content
	Units    []Responsibility
	Deadline Deadline // a task's; the zero value (open) for a work point or a project
	Figures  []FigureSpec
	Project  *Project // the project, for a project duty
	Task     *Task    // the task, for a task duty
}

// FindDuty finds the duty key names in p; ok is false when p has none.
func FindDuty(p *Plan, key DutyKey) (d PlanDuty, ok bool) {
	d.Key = key
	switch key.Kind {
	case DutyPoint:
		for i := range p.Points {
			if wp := &p.Points[i]; wp.ID == key.ID {
				d.Ref = DutyRef{DutyPoint, wp.Number}
				d.Title = "工作要点第" + strconv.Itoa(wp.Number) + "条 " + wp.Title
				d.Text, d.Units = wp.Text, wp.Units
				return d, true
			}
		}
	case DutyTask:
		for i := range p.Tasks {
			if t := &p.Tasks[i]; t.ID == key.ID {
				d.Ref = DutyRef{DutyTask, t.Number}
				d.Title = "任务第" + strconv.Itoa(t.Number) + "项 " + t.WorkItem
				if t.Category != "" {
					d.Title += "（" + t.Category + "）"
				}
				d.Text, d.Units, d.Deadline, d.Task = t.Content, t.Units, t.Deadline, t
				d.Figures = RequirementFigures(*t)
				return d, true
			}
		}
	case DutyProject:
		for i := range p.Projects {
			if pr := &p.Projects[i]; pr.ID == key.ID {
				d.Title, d.Text, d.Project = pr.Name, pr.Content, pr
				if pr.LeadUnit != "" {
					d.Units = []Responsibility{{Unit: pr.LeadUnit, Written: pr.LeadUnitWritten, Role: RoleLead}}
				}
				d.Figures = ProjectFigures(*pr)
				return d, true
			}
		}
	}
	return PlanDuty{}, false
}

// Leads lists the units that lead the duty: those named 牵头, and the units the office
// assigned when the lead is 领导小组相关成员单位. A duty led by 各成员单位 has no single lead
// unit (each member reports for its part, to the office).
func (d PlanDuty) Leads(g Groups) []string {
	var leads []string
	for _, r := range d.Units {
		if r.Role != RoleLead {
			continue
		}
		switch {
		case r.Unit == GroupRelatedMembers:
			leads = append(leads, g.Assigned[d.Ref]...)
		case IsGroupName(r.Unit):
		default:
			leads = append(leads, r.Unit)
		}
	}
	return leads
}

// ReportRole says how u answers for the duty key of plan p when it reports on it: for a work
// point or a task, the role of u's unit (UnitRole); for a project, DutyLead for its lead unit and
// DutyRegion for a cadre bound to the project's region (reporting its part to the office).
// Anything else is DutyNone: u may not report on the duty, nor read its reports as a unit. Only
// the roles that report (成员单位, 专班牵头部门, 办公室 for what the office itself answers for,
// 前方挂职干部 where the plan names them and for their regions' projects) of the plan's
// district answer for anything.
func ReportRole(p *Plan, key DutyKey, u *User, g Groups) DutyRole {
	if u == nil || p == nil || u.Disabled || u.District != p.District {
		return DutyNone
	}
	d, ok := FindDuty(p, key)
	if !ok {
		return DutyNone
	}
	unitRole := u.HasAny(RoleUnit, RoleTeamLead, RoleOffice)
	if key.Kind == DutyProject {
		switch {
		case unitRole && d.Project.LeadUnit != "" && d.Project.LeadUnit == u.Unit:
			return DutyLead
		case u.Has(RoleCadre) && slices.Contains(u.Regions, d.Project.Region):
			return DutyRegion
		}
		return DutyNone
	}
	if !unitRole && !u.Has(RoleCadre) {
		return DutyNone
	}
	return UnitRole(d.Units, d.Ref, u.Unit, g)
}

// CanReadReport reports whether u may read report r of a duty in district: the office and the
// leaders and team leads of the district, the reporting unit, and the unit it was sent to.
func CanReadReport(u *User, district string, r *Report) bool {
	if u == nil || u.Disabled || u.District != district {
		return false
	}
	switch {
	case u.HasAny(RoleOffice, RoleLeader, RoleTeamLead):
		return true
	case !u.HasAny(RoleUnit, RoleCadre):
		return false
	}
	return u.Unit != "" && (r.Unit == u.Unit || r.ToUnit == u.Unit)
}

// CanListReports reports whether u may list the reports on a duty in district where u's unit has
// role: the readers of every report (office, leaders, team leads) and a unit that answers for
// the duty, which then sees only the reports it may read (CanReadReport).
func CanListReports(u *User, district string, role DutyRole) bool {
	if u == nil || u.Disabled || u.District != district {
		return false
	}
	return u.HasAny(RoleOffice, RoleLeader, RoleTeamLead) || role != DutyNone
}

// FormatFigure writes a stored figure as it is typed: money in 万元 (stored in fen), anything
// else as an integer in its unit.
func FormatFigure(spec FigureSpec, v int64) string {
	if spec.Money() {
		return FormatWan(v)
	}
	return strconv.FormatInt(v, 10)
}
