package xiezuo

// KeepMissingParts fills the parts of p that its document did not contain at all (no work
// points, no work teams, no task list, no project table) from old, the plan as stored: a
// workbook with only the project table replaces the projects and keeps the work points. A
// project table that covers only some rows of the stored one (see ProjectsCovered) updates
// and adds those rows and keeps the others: it deletes nothing.
func (p *Plan) KeepMissingParts(old *Plan) {
	if old == nil {
		return
	}
	// What the document covers, before the parts it lacks are filled in.
	covered := ProjectsCovered(p, old)
	if len(p.Points) == 0 && len(p.Sections) == 0 {
		p.Sections, p.Points = old.Sections, old.Points
		if p.Title == "" {
			p.Title = old.Title
		}
		if p.Office == "" {
			p.Office = old.Office
		}
		if p.IssuedOn.IsZero() {
			p.IssuedOn = old.IssuedOn
		}
		if p.Notice == "" {
			p.Notice = old.Notice
		}
	}
	if len(p.Teams) == 0 {
		p.Teams = old.Teams
	}
	if len(p.Tasks) == 0 {
		p.Tasks = old.Tasks
	}
	switch covered {
	case CoversNoProjects:
		p.Projects, p.Subtotals, p.Regions = old.Projects, old.Subtotals, old.Regions
	case CoversSomeProjects:
		p.mergeProjects(old)
	}
	// Units named by the parts kept must stay known.
	have := map[string]bool{}
	for _, u := range p.Units {
		have[u.Name] = true
	}
	for _, u := range old.Units {
		if !have[u.Name] {
			p.Units = append(p.Units, u)
		}
	}
	// Relations the new document does not state are kept from the stored plan.
	rel := map[string]string{}
	for _, r := range old.Regions {
		rel[r.Name] = r.Relation
	}
	for i, r := range p.Regions {
		if r.Relation == "" {
			p.Regions[i].Relation = rel[r.Name]
		}
	}
}

// TableCoverage says how much of a plan's project table (附件3) a document covers.
type TableCoverage int

// Coverages of a document's project table.
const (
	// CoversNoProjects: no project table at all; the stored one is kept.
	CoversNoProjects TableCoverage = iota
	// CoversSomeProjects: some rows, such as a download filtered to one region or one
	// category; they update and add to the stored table, and delete nothing.
	CoversSomeProjects
	// CoversAllProjects: the whole table; what it leaves out is deleted (once confirmed).
	CoversAllProjects
)

// ProjectsCovered tells how much of the stored project table (old; nil when none is stored)
// the project table of doc covers. The whole plan as issued (a document with work points, work
// teams or the task list beside its 附件3) covers the whole table, as does a first import. A
// document of the project table alone covers the whole table when it states the table's grand
// total (a 合计 row) and names every region the stored table has. Any other project rows cover
// only themselves: a filtered download of the web's project page has no 合计 row when it keeps
// one region, and lacks the regions its filter left out otherwise. (A download that kept every
// region and cut within them would pass for whole; its deletions are still shown apart, in
// red, and confirmed apart.)
func ProjectsCovered(doc, old *Plan) TableCoverage {
	if len(doc.Projects) == 0 && len(doc.Subtotals) == 0 {
		return CoversNoProjects
	}
	if old == nil || len(old.Projects) == 0 && len(old.Subtotals) == 0 {
		return CoversAllProjects
	}
	if len(doc.Points) > 0 || len(doc.Sections) > 0 || len(doc.Teams) > 0 || len(doc.Tasks) > 0 {
		return CoversAllProjects
	}
	total := false
	regions := map[string]bool{}
	for _, s := range doc.Subtotals {
		if s.Level == LevelTotal {
			total = true
		}
		regions[s.Region] = true
	}
	for _, x := range doc.Projects {
		regions[x.Region] = true
	}
	if !total {
		return CoversSomeProjects
	}
	for _, x := range old.Projects {
		if !regions[x.Region] {
			return CoversSomeProjects
		}
	}
	for _, s := range old.Subtotals {
		if s.Level != LevelTotal && !regions[s.Region] {
			return CoversSomeProjects
		}
	}
	return CoversAllProjects
}

// mergeProjects lays the rows of p's partial project table over old's table: a row of p with
// the key of a stored row replaces it in place; a new row goes after the last stored row of
// its region (or at the end); stored rows p does not name stay. Subtotals stay as stored (the
// rows of a cut group are no evidence of the group's stated figures) but for groups that are
// new; regions likewise.
func (p *Plan) mergeProjects(old *Plan) {
	newKeys := Keys(p.Projects)
	byKey := make(map[string]int, len(newKeys))
	for i, k := range newKeys {
		byKey[k] = i
	}
	used := make([]bool, len(p.Projects))
	projects := make([]Project, 0, len(old.Projects)+len(p.Projects))
	for j, k := range Keys(old.Projects) {
		if i, ok := byKey[k]; ok {
			projects = append(projects, p.Projects[i])
			used[i] = true
			continue
		}
		projects = append(projects, old.Projects[j])
	}
	for i, x := range p.Projects {
		if used[i] {
			continue
		}
		at := len(projects)
		for j := len(projects) - 1; j >= 0; j-- {
			if projects[j].Region == x.Region {
				at = j + 1
				break
			}
		}
		projects = append(projects[:at], append([]Project{x}, projects[at:]...)...)
	}
	subtotals := append([]Subtotal(nil), old.Subtotals...)
	have := map[string]bool{}
	for _, k := range Keys(old.Subtotals) {
		have[k] = true
	}
	for i, k := range Keys(p.Subtotals) {
		if !have[k] && p.Subtotals[i].Level != LevelTotal {
			subtotals = append(subtotals, p.Subtotals[i])
		}
	}
	regions := append([]PartnerRegion(nil), old.Regions...)
	known := map[string]bool{}
	for _, r := range old.Regions {
		known[r.Name] = true
	}
	for _, r := range p.Regions {
		if !known[r.Name] {
			regions = append(regions, r)
			known[r.Name] = true
		}
	}
	p.Projects, p.Subtotals, p.Regions = projects, subtotals, regions
}
