package xiezuo

// KeepMissingParts fills the parts of p that its document did not contain at all (no work
// points, no work teams, no task list, no project table) from old, the plan as stored: a
// workbook with only the project table replaces the projects and keeps the work points.
func (p *Plan) KeepMissingParts(old *Plan) {
	if old == nil {
		return
	}
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
	if len(p.Projects) == 0 && len(p.Subtotals) == 0 {
		p.Projects, p.Subtotals, p.Regions = old.Projects, old.Subtotals, old.Regions
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
