package xiezuo

// A project keeps its identity across imports by its natural key, region and name (see Keys).
// A re-import that renames a project would lose it, and what is attached to it (its contact,
// later its reports), were it not for the rule below: the import can tell it is the same
// project when it stands at the same row of the same region and most of its other columns are
// unchanged.

// RenamedProjects pairs the projects of new that match no project of old by natural key with
// the project of old, also unmatched, they rename: the same region, the same row position
// within the region (the 1st, 2nd, … project of that region in each list) and at least two
// thirds of the other compared columns equal (see SameProjectRenamed). It returns new's index
// → old's index.
func RenamedProjects(old, new []Project) map[int]int {
	oldKeys, newKeys := Keys(old), Keys(new)
	inNew := make(map[string]bool, len(new))
	for _, k := range newKeys {
		inNew[k] = true
	}
	inOld := make(map[string]bool, len(old))
	for _, k := range oldKeys {
		inOld[k] = true
	}
	// Unmatched old projects by region and row position within the region.
	type slot struct {
		region string
		row    int
	}
	free := map[slot]int{}
	rows := map[string]int{}
	for j, p := range old {
		rows[p.Region]++
		if !inNew[oldKeys[j]] {
			free[slot{p.Region, rows[p.Region]}] = j
		}
	}
	var out map[int]int
	clear(rows)
	for i, p := range new {
		rows[p.Region]++
		if inOld[newKeys[i]] {
			continue
		}
		s := slot{p.Region, rows[p.Region]}
		j, ok := free[s]
		if !ok || !SameProjectRenamed(old[j], p) {
			continue
		}
		delete(free, s)
		if out == nil {
			out = map[int]int{}
		}
		out[i] = j
	}
	return out
}

// SameProjectRenamed tells whether b, standing where a stood, is a renamed: the same region and
// at least two thirds of the columns Diff compares, other than the name, equal.
func SameProjectRenamed(a, b Project) bool {
	if a.Region != b.Region {
		return false
	}
	fa, fb := projectFields(a), projectFields(b)
	same := 0
	for i := range fa {
		if fa[i].value == fb[i].value {
			same++
		}
	}
	return 3*same >= 2*len(fa)
}

// WithoutIDs returns a copy of p whose facts carry no stored id: the plan as its documents
// state it, to compare with one read from a document.
func (p *Plan) WithoutIDs() *Plan {
	if p == nil {
		return nil
	}
	c := *p
	units := func(rs []Responsibility) []Responsibility {
		return clearIDs(rs, func(r *Responsibility) { r.UnitID = 0 })
	}
	c.Points = clearIDs(p.Points, func(x *WorkPoint) { x.ID, x.Units = 0, units(x.Units) })
	c.Teams = clearIDs(p.Teams, func(x *WorkTeam) { x.ID = 0 })
	c.Tasks = clearIDs(p.Tasks, func(x *Task) { x.ID, x.Units = 0, units(x.Units) })
	c.Projects = clearIDs(p.Projects, func(x *Project) { x.ID, x.RegionID, x.LeadUnitID = 0, 0, 0 })
	c.Regions = clearIDs(p.Regions, func(x *PartnerRegion) { x.ID = 0 })
	c.Units = clearIDs(p.Units, func(x *Unit) { x.ID = 0 })
	return &c
}

func clearIDs[T any](s []T, zero func(*T)) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	copy(out, s)
	for i := range out {
		zero(&out[i])
	}
	return out
}
