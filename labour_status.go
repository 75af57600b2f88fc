package xiezuo

// The statuses of a person's entry in a list and the states of a match: one rule each, here.
// Storage keeps an entry's status in its row (the list pages filter and count by it) and calls
// LabourEntryStatus whenever an import, a match or a placement changes a fact it reads.

// Statuses of a person's entry in a list (labour_entries.status).
const (
	LabourWaiting  = "待匹配" // the willing list: nobody proposed yet
	LabourProposed = "已推荐" // a match waits for its confirmations
	LabourPlaced   = "已就业" // a current placement is open
	LabourAtWork   = "在岗"  // the workers' list: at work as the list says
)

// LabourEntryStatus is the status of a person's entry in list l: 已就业 while a placement of
// theirs is open (OpenPlacement), else 已推荐 while a match of theirs waits (neither declined nor
// placed), else 在岗 on the workers' list and 待匹配 on the others.
func LabourEntryStatus(l LabourList, placed, proposed bool) string {
	switch {
	case placed:
		return LabourPlaced
	case proposed:
		return LabourProposed
	case l == ListWorkers:
		return LabourAtWork
	}
	return LabourWaiting
}

// OpenPlacement reports whether any of a person's placements is open on day d: of each chain
// of corrections the current row (CurrentPlacements), not withdrawn, not ended before d. A
// placement that begins after d is open: the person has been placed.
func OpenPlacement(all []Placement, d Date) bool {
	for _, p := range CurrentPlacements(all, d) {
		if !p.Withdrawn && (p.End.IsZero() || !after(d, p.End)) {
			return true
		}
	}
	return false
}

// States of a match (人岗匹配的推荐), from its events and placements.
const (
	MatchWaiting  = "待确认"
	MatchOffice   = "办公室已确认"
	MatchEmployer = "用工单位已确认"
	MatchBoth     = "双方已确认"
	MatchDeclined = "已放弃"
	MatchPlaced   = "已就业"
)

// Kinds of a match's events.
const (
	MatchEventOffice   = "office"   // the office confirmed
	MatchEventEmployer = "employer" // the employer's contact confirmed
	MatchEventDecline  = "decline"  // the person or the employer declined
)

// MatchState is the state a match's events (their kinds, in any order) and placements make: a
// decline ends it whatever came before; a placement from it makes it 已就业; else the
// confirmations it has.
func MatchState(kinds []string, placed bool) string {
	var office, employer bool
	for _, k := range kinds {
		switch k {
		case MatchEventDecline:
			return MatchDeclined
		case MatchEventOffice:
			office = true
		case MatchEventEmployer:
			employer = true
		}
	}
	switch {
	case placed:
		return MatchPlaced
	case office && employer:
		return MatchBoth
	case office:
		return MatchOffice
	case employer:
		return MatchEmployer
	}
	return MatchWaiting
}
