package xiezuo

import (
	"slices"
	"sort"
	"strconv"
	"time"
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

// Number is the duty's number as the plan writes it: 工作要点第3条, 任务第13项, or for a project
// 项目“name”. Pages show it; the key (point-3…) stays in URLs.
func (d PlanDuty) Number() string {
	switch {
	case d.Key.Kind == DutyProject && d.Project != nil:
		return "项目“" + d.Project.Name + "”"
	case d.Ref.Kind == DutyPoint:
		return "工作要点第" + strconv.Itoa(d.Ref.Number) + "条"
	case d.Ref.Kind == DutyTask:
		return "任务第" + strconv.Itoa(d.Ref.Number) + "项"
	}
	return d.Key.String()
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
		if i, ok := projectIndex(p.Projects, key.ID); ok {
			pr := &p.Projects[i]
			d.Title, d.Text, d.Project = pr.Name, pr.Content, pr
			if pr.LeadUnit != "" {
				d.Units = []Responsibility{{Unit: pr.LeadUnit, Written: pr.LeadUnitWritten, Role: RoleLead}}
			}
			d.Figures = ProjectFigures(*pr)
			return d, true
		}
	}
	return PlanDuty{}, false
}

// ProjectIndex is the index in p.Projects of the project with stored id; ok is false when p
// has none (projectIndex).
func (p *Plan) ProjectIndex(id int64) (i int, ok bool) { return projectIndex(p.Projects, id) }

// projectIndex finds the project with stored id among ps. A stored plan lists its projects
// in the document's order, which is mostly the order of their ids (rows are stored in that
// order): a binary search finds them in a plan of tens of thousands, and only a project
// placed out of order (added to a region by a later import) is looked for one by one.
func projectIndex(ps []Project, id int64) (int, bool) {
	if i := sort.Search(len(ps), func(i int) bool { return ps[i].ID >= id }); i < len(ps) && ps[i].ID == id {
		return i, true
	}
	for i := range ps {
		if ps[i].ID == id {
			return i, true
		}
	}
	return 0, false
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

// CadreUnit is the unit every 前方挂职干部 belongs to. Cadres share it but not their work: a
// cadre answers for its own regions' projects, and for what the plan names 前方挂职干部 on by
// its own reports (ReportsByWriter).
const CadreUnit = "前方挂职干部"

// cadreOnly reports whether u reports as a cadre (no unit role beside it).
func cadreOnly(u *User) bool {
	return u.Has(RoleCadre) && !u.HasAny(RoleUnit, RoleTeamLead, RoleOffice)
}

// ReportsByWriter reports whether u's reports on duty key belong to their writer rather than
// to u's unit: a cadre's reports on a work point or a task, which the cadres of every region
// write under the one unit 前方挂职干部. A cadre's project report is its region's (the
// project has one region), shared by the cadres of that region.
func ReportsByWriter(u *User, key DutyKey) bool {
	return u != nil && cadreOnly(u) && key.Kind != DutyProject
}

// OwnReport reports whether r is u's own report as a reporting unit: one its unit reported,
// and for a cadre one on a project of its regions, or, on a work point or a task, one it
// began itself. Only its own reports does u see as drafts, continue and add files to.
func OwnReport(p *Plan, u *User, r *Report) bool {
	if u == nil || u.Disabled || p == nil || u.District != p.District || u.Unit == "" || r.Unit != u.Unit ||
		!u.HasAny(RoleUnit, RoleTeamLead, RoleOffice, RoleCadre) {
		return false
	}
	if !cadreOnly(u) {
		return true
	}
	if r.Duty.Kind == DutyProject {
		d, ok := FindDuty(p, r.Duty)
		return ok && slices.Contains(u.Regions, d.Project.Region)
	}
	return r.By == u.Username
}

// teamDuty reports whether key is a duty of a work team u's unit leads: a work point or task
// one of the team's lead units leads (TeamDuties, the duties /supervision shows a team lead).
func teamDuty(p *Plan, g Groups, u *User, key DutyKey) bool {
	if !u.Has(RoleTeamLead) || u.Unit == "" {
		return false
	}
	for _, t := range p.Teams {
		if !slices.Contains(t.Leads, u.Unit) {
			continue
		}
		v := TeamDuties(p, t, g)
		switch key.Kind {
		case DutyPoint:
			if slices.ContainsFunc(v.Points, func(wp WorkPoint) bool { return wp.ID == key.ID }) {
				return true
			}
		case DutyTask:
			if slices.ContainsFunc(v.Tasks, func(t Task) bool { return t.ID == key.ID }) {
				return true
			}
		}
	}
	return false
}

// CanReadReport reports whether u may read report r on a duty of plan p (g resolves its group
// names): the office and the leaders of the district and the city office (which reads every
// district, never writes); a team lead for the duties of its teams; the reporting unit
// (OwnReport: a cadre only its regions' project reports and its own other reports); and the
// unit the report was sent to. What of it u sees is VisibleReport's.
func CanReadReport(u *User, p *Plan, g Groups, r *Report) bool {
	if u == nil || u.Disabled || p == nil {
		return false
	}
	if u.Has(RoleCityOffice) {
		return true
	}
	if u.District != p.District {
		return false
	}
	switch {
	case u.HasAny(RoleOffice, RoleLeader):
		return true
	case OwnReport(p, u, r):
		return true
	case r.ToUnit != "" && r.ToUnit == u.Unit && u.HasAny(RoleUnit, RoleTeamLead, RoleOffice):
		return true
	}
	return teamDuty(p, g, u, r.Duty)
}

// VisibleReport is what u sees of r: all of it for its own report (OwnReport), else only
// what was sent — its draft versions are the reporting unit's business; ok is false when u
// may not read r or nothing of it was sent yet.
func VisibleReport(u *User, p *Plan, g Groups, r *Report) (Report, bool) {
	if !CanReadReport(u, p, g, r) {
		return Report{}, false
	}
	if OwnReport(p, u, r) {
		return *r, true
	}
	out := *r
	out.Versions = nil
	for _, v := range r.Versions {
		if v.State != ReportDraft {
			out.Versions = append(out.Versions, v)
		}
	}
	if len(out.Versions) == 0 {
		return Report{}, false
	}
	return out, true
}

// CanListReports reports whether u may list the reports on duty key of plan p where u's unit
// has role: the readers of every report (office, leaders, the city office), a team lead for its
// teams' duties, and a unit that answers for the duty, which then sees only the reports it may
// read (VisibleReport).
func CanListReports(u *User, p *Plan, g Groups, key DutyKey, role DutyRole) bool {
	if u == nil || u.Disabled || p == nil {
		return false
	}
	if u.Has(RoleCityOffice) {
		return true
	}
	if u.District != p.District {
		return false
	}
	return u.HasAny(RoleOffice, RoleLeader) || role != DutyNone || teamDuty(p, g, u, key)
}

// NewReportRefusal says why a unit may not begin a new report on a duty and which report to
// continue instead: one report per unit, duty and month. latest is the unit's latest report
// on the duty (for a cadre on a work point or task, its own: ReportsByWriter), begun at begun
// and standing in state now; nil error when a new report may begin — there is none, it was
// accepted, or it was begun in an earlier month (a returned August report does not stop the
// September one: it is continued as a new version of itself, if at all).
func NewReportRefusal(latest int64, begun time.Time, state ReportState, now time.Time) error {
	if latest == 0 || state == ReportAccepted || PeriodOf(begun) != PeriodOf(now) {
		return nil
	}
	what := "请在该报告上继续修改并报送（report_id=" + strconv.FormatInt(latest, 10) + "）"
	if state == ReportSubmitted {
		what = "该报告正等待审核，审核后如需补充请在该报告上继续报送（report_id=" + strconv.FormatInt(latest, 10) + "）"
	}
	return Errorf(ECONFLICT, "本单位本月已有关于该事项的报告 %d（%s），每月每个事项只报一份：%s", latest, state.Text(), what)
}

// VersionRefusal says whether unit (and, for a cadre's own reports, writer) may write a new
// version of report id, whose duty, unit, beginner and state now are given: nil when it may —
// the report is its own, on this duty, and stands as a draft or returned; a submitted report
// waits for its review and an accepted one is final.
func VersionRefusal(id int64, duty, reportDuty DutyKey, unit, reportUnit, writer, reportBy string, state ReportState) error {
	switch {
	case reportDuty != duty:
		return Errorf(EINVALID, "报告 %d 不是该事项的报告", id)
	case reportUnit != unit:
		return Errorf(EFORBIDDEN, "报告 %d 是%s的报告，不能由本单位修改", id, reportUnit)
	case writer != "" && reportBy != writer:
		return Errorf(EFORBIDDEN, "报告 %d 是其他挂职干部报送的，不能由您修改", id)
	case state == ReportAccepted:
		return Errorf(ECONFLICT, "报告已通过审核，不能再修改；如有新进展请另行报送")
	case state == ReportSubmitted:
		return Errorf(ECONFLICT, "已报送，等待审核，审核前不能修改")
	}
	return nil
}

// SelfReview refuses a reviewer deciding on a version it wrote itself: someone else reviews.
func SelfReview(author, reviewer string) error {
	if author != "" && author == reviewer {
		return Errorf(EFORBIDDEN, "不能审核自己报送的进展，请由其他人员审核")
	}
	return nil
}

// ClosedRefusal is the answer to a report on a closed (销号) duty.
func ClosedRefusal() error {
	return Errorf(ECONFLICT, "该事项已销号，如需继续报送请办公室先重新打开")
}

// ClosedReview says whether the office may decide d on a waiting report of a closed (销号)
// duty: accepting it is the last word on work already done, but returning it would leave the
// unit unable to send the new version asked for (a closed duty takes none), so a return waits
// for the duty to be reopened (N6).
func ClosedReview(d Decision) error {
	if d == DecisionReturn {
		return Errorf(ECONFLICT, "该事项已销号，不能退回报告（单位无法再报送新版本）；可以采纳，或请先重新打开该事项再退回")
	}
	return nil
}

// FormatFigure writes a stored figure as it is typed: money in 万元 (stored in fen), anything
// else as an integer in its unit.
func FormatFigure(spec FigureSpec, v int64) string {
	if spec.Money() {
		return FormatWan(v)
	}
	return strconv.FormatInt(v, 10)
}
