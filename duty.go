package xiezuo

import (
	"slices"
	"time"
)

// DutyRole is how a unit answers for a work point or a task.
type DutyRole int

// Duty roles. DutyNone means the unit does not answer for the duty.
const (
	DutyNone DutyRole = iota
	DutyLead
	DutyCooperate
	// DutyMember: the duty is given to every member unit of the leading group (各成员单位),
	// each answering for its own part; none of them leads it.
	DutyMember
	// DutyRegion: a cadre (前方挂职干部) answers for a project of its partner region, reporting
	// its part to the office beside the project's lead unit.
	DutyRegion
)

// String is the role as pages write it: 牵头, 配合, 各成员单位 or 前方挂职干部（项目所在地区）.
func (r DutyRole) String() string {
	switch r {
	case DutyLead:
		return "牵头"
	case DutyCooperate:
		return "配合"
	case DutyMember:
		return "各成员单位"
	case DutyRegion:
		return "前方挂职干部（项目所在地区）"
	}
	return ""
}

func dutyRoleOf(r Role) DutyRole {
	if r == RoleLead {
		return DutyLead
	}
	return DutyCooperate
}

// Group names the documents use for units given a duty together.
const (
	GroupAllMembers     = "领导小组各成员单位"  // every member unit of the leading group
	GroupRelatedMembers = "领导小组相关成员单位" // the member units the office names
)

// DutyKind says whether a duty is a work point or a task.
type DutyKind string

// Duty kinds.
const (
	DutyPoint DutyKind = "point"
	DutyTask  DutyKind = "task"
)

// DutyRef names one duty of a plan: a work point or a task by its number, as pages show it.
// Storage keeps what is attached to a duty by the duty's id and gives it back under the duty's
// current number, so a re-import that renumbers the duty keeps the attachment.
type DutyRef struct {
	Kind   DutyKind
	Number int
}

// Assignment is the office naming the units that take a duty given to 领导小组相关成员单位. It is
// a dated fact: a later assignment of the same duty replaces the earlier one on the pages, and
// both stay stored.
type Assignment struct {
	Duty  DutyRef
	Units []string
	By    string
	At    time.Time
}

// Groups are the facts that say which units a group name means: the members of the leading
// group (各成员单位) and the office's assignments of duties given to 相关成员单位, the latest
// per duty.
type Groups struct {
	Members  []string
	Assigned map[DutyRef][]string
	Latest   map[DutyRef]Assignment // the assignment in force for each duty: who named the units, and when
}

// NewGroups makes Groups from the member units and the assignments in any order: the latest
// assignment of a duty wins.
func NewGroups(members []string, as []Assignment) Groups {
	g := Groups{Members: members, Assigned: map[DutyRef][]string{}, Latest: map[DutyRef]Assignment{}}
	latest := map[DutyRef]time.Time{}
	for _, a := range as {
		if t, ok := latest[a.Duty]; ok && a.At.Before(t) {
			continue
		}
		latest[a.Duty] = a.At
		g.Assigned[a.Duty] = a.Units
		g.Latest[a.Duty] = a
	}
	return g
}

// UnitRole says how unit answers for the duty ref whose responsible units are rs: named
// itself, or as a member of the leading group when the duty is given to 各成员单位 (配合 beside a
// lead unit; DutyMember when the members themselves are given it: each for its part, none
// leading), or as a unit the office named when it is given to 相关成员单位
// (the role the group has). Named itself wins.
func UnitRole(rs []Responsibility, ref DutyRef, unit string, g Groups) DutyRole {
	if unit == "" {
		return DutyNone
	}
	role := DutyNone
	for _, r := range rs {
		switch {
		case r.Unit == unit:
			return dutyRoleOf(r.Role)
		case role == DutyNone && r.Unit == GroupAllMembers && slices.Contains(g.Members, unit):
			// Every member given the duty to lead: each does its part, none leads the rest.
			role = DutyCooperate
			if r.Role == RoleLead {
				role = DutyMember
			}
		case role == DutyNone && r.Unit == GroupRelatedMembers && slices.Contains(g.Assigned[ref], unit):
			role = dutyRoleOf(r.Role)
		}
	}
	return role
}

// IsGroupName reports whether a responsible unit's name is a collective name rather than a unit
// (领导小组各成员单位, 各镇街, …).
func IsGroupName(name string) bool {
	u, _ := LookupUnit(name)
	return u.Kind == KindGroup
}

// PointDuty is a work point a unit answers for.
type PointDuty struct {
	Point WorkPoint
	Role  DutyRole
}

// TaskDuty is a task a unit answers for.
type TaskDuty struct {
	Task Task
	Role DutyRole
}

// Duties is all a unit answers for in a plan.
type Duties struct {
	Points   []PointDuty
	Tasks    []TaskDuty
	Projects []Project  // projects it leads
	Teams    []WorkTeam // teams it leads
}

// UnitDuties gathers the work points and tasks unit answers for, the projects and the work
// teams it leads.
func UnitDuties(p *Plan, unit string, g Groups) Duties {
	var d Duties
	for _, wp := range p.Points {
		if r := UnitRole(wp.Units, DutyRef{DutyPoint, wp.Number}, unit, g); r != DutyNone {
			d.Points = append(d.Points, PointDuty{wp, r})
		}
	}
	for _, t := range p.Tasks {
		if r := UnitRole(t.Units, DutyRef{DutyTask, t.Number}, unit, g); r != DutyNone {
			d.Tasks = append(d.Tasks, TaskDuty{t, r})
		}
	}
	for _, pr := range p.Projects {
		if pr.LeadUnit == unit {
			d.Projects = append(d.Projects, pr)
		}
	}
	for _, t := range p.Teams {
		if slices.Contains(t.Leads, unit) {
			d.Teams = append(d.Teams, t)
		}
	}
	return d
}

// RelatedDuties lists the duties given to 领导小组相关成员单位, work points first, in document
// order: the ones the office assigns to named units.
func RelatedDuties(p *Plan) []DutyRef {
	var refs []DutyRef
	related := func(rs []Responsibility) bool {
		return slices.ContainsFunc(rs, func(r Responsibility) bool { return r.Unit == GroupRelatedMembers })
	}
	for _, wp := range p.Points {
		if related(wp.Units) {
			refs = append(refs, DutyRef{DutyPoint, wp.Number})
		}
	}
	for _, t := range p.Tasks {
		if related(t.Units) {
			refs = append(refs, DutyRef{DutyTask, t.Number})
		}
	}
	return refs
}

// ToAssign lists the duties given to 领导小组相关成员单位 that the office has not yet assigned to
// named units (待交办), work points first, in document order.
func ToAssign(p *Plan, g Groups) []DutyRef {
	var refs []DutyRef
	for _, ref := range RelatedDuties(p) {
		if len(g.Assigned[ref]) == 0 {
			refs = append(refs, ref)
		}
	}
	return refs
}

// CatalogueMembers lists the catalogue's units that belong to the leading group: its
// departments and social organisations (not the office, the cadres or collective names). The
// demo seeds a district's membership from it; the office edits it after.
func CatalogueMembers() []string {
	var names []string
	for _, c := range catalogue {
		if c.kind == KindDepartment || c.kind == KindSocial {
			names = append(names, c.names[0])
		}
	}
	return names
}

// CatalogueUnits lists the canonical names of the catalogue's units that an account can belong
// to (collective names excluded), in catalogue order.
func CatalogueUnits() []string {
	var names []string
	for _, c := range catalogue {
		if c.kind != KindGroup {
			names = append(names, c.names[0])
		}
	}
	return names
}

// TeamView is a work team with what it answers for.
type TeamView struct {
	Team    WorkTeam
	Members []string // the other units named on the duties its lead units lead, in first-seen order
	Points  []WorkPoint
	Tasks   []Task
}

// TeamDuties gathers what a work team answers for: the work points and tasks one of its lead
// units leads, and as its member units the other units named on them (a group name standing
// for the units it means).
func TeamDuties(p *Plan, team WorkTeam, g Groups) TeamView {
	v := TeamView{Team: team}
	add := func(rs []Responsibility, ref DutyRef) bool {
		led := false
		for _, l := range team.Leads {
			if UnitRole(rs, ref, l, g) == DutyLead {
				led = true
			}
		}
		if !led {
			return false
		}
		for _, r := range rs {
			units := []string{r.Unit}
			switch r.Unit {
			case GroupAllMembers:
				units = g.Members
			case GroupRelatedMembers:
				units = g.Assigned[ref]
			}
			for _, u := range units {
				if !slices.Contains(team.Leads, u) && !slices.Contains(v.Members, u) {
					v.Members = append(v.Members, u)
				}
			}
		}
		return true
	}
	for _, wp := range p.Points {
		if add(wp.Units, DutyRef{DutyPoint, wp.Number}) {
			v.Points = append(v.Points, wp)
		}
	}
	for _, t := range p.Tasks {
		if add(t.Units, DutyRef{DutyTask, t.Number}) {
			v.Tasks = append(v.Tasks, t)
		}
	}
	return v
}

// Lead reports whether the role is 牵头.
func (r DutyRole) Lead() bool { return r == DutyLead }

// FindPlanUnit finds the unit name means in plan p, by its name or an alias: a unit the plan
// names, or one that answers for something in it without being named — a member of the
// leading group (a duty of 各成员单位 reaches it) or a unit the office assigned a duty to — by
// the catalogue's name. ok is false for a unit that answers for nothing in the plan, and for a
// group name. Each unit a page links to as answering for something has its page by this rule.
func FindPlanUnit(p *Plan, g Groups, name string) (u Unit, ok bool) {
	for _, u := range p.Units {
		if u.Name == name || slices.Contains(u.Aliases, name) {
			return u, true
		}
	}
	u, _ = LookupUnit(name)
	if u.Name == "" || IsGroupName(u.Name) {
		return Unit{}, false
	}
	answers := slices.Contains(g.Members, u.Name)
	for _, units := range g.Assigned {
		answers = answers || slices.Contains(units, u.Name)
	}
	if !answers {
		return Unit{}, false
	}
	for _, pu := range p.Units { // named in the plan under another of its names
		if pu.Name == u.Name {
			return pu, true
		}
	}
	return u, true
}
