package xiezuo

import "time"

// How placements count (转移就业、其中脱贫劳动力、就地就近、稳定就业3个月以上). One rule, here:
// the indicators' source "placements" (indicator_facts.go), the person's page and the lists
// ask these functions and never restate them.

// Placement kinds by where the work is, seen from the person's home.
const (
	PlaceBeijing = "赴京就业"     // in Beijing (province code 11)
	PlaceOutside = "省外就业"     // another province
	PlaceLocal   = "省内就地就近就业" // the home province
)

// PlacementKinds are the kinds in the order pages and formulas list them.
var PlacementKinds = []string{PlaceBeijing, PlaceOutside, PlaceLocal}

// provinceOf is the province of a division code (its first two digits), "" when the code does
// not begin with two digits.
func provinceOf(code string) string {
	if len(code) < 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9' || code[:2] == "00" {
		return ""
	}
	return code[:2]
}

// BeijingProvince is the province code of Beijing.
const BeijingProvince = "11"

// PlacementKind says where a placement of a person from homeCode at placeCode is: PlaceBeijing
// when the place of work is in Beijing (whatever the home), else PlaceLocal in the home's
// province, PlaceOutside in another; "" when the place is unknown, or when it lies outside
// Beijing and the home is unknown. Codes are division codes (6, 9 or 12 digits); only their
// province is read, so a code of an abolished county still counts.
func PlacementKind(homeCode, placeCode string) string {
	place := provinceOf(placeCode)
	switch {
	case place == "":
		return ""
	case place == BeijingProvince:
		return PlaceBeijing
	}
	home := provinceOf(homeCode)
	switch {
	case home == "":
		return ""
	case home == place:
		return PlaceLocal
	}
	return PlaceOutside
}

// StableMonths is the least months at work that make a placement stable (稳定就业).
const StableMonths = 3

// addMonths moves a date by whole calendar months, kept in its month: 2021-05-31 plus three
// months is 2021-08-31, 2021-11-30 plus three months 2022-02-28.
func addMonths(d Date, n int) Date {
	m := NewDate(d.Year, d.Month+time.Month(n), 1)
	last := NewDate(m.Year, m.Month+1, 0).Day
	return Date{m.Year, m.Month, min(d.Day, last)}
}

// MonthsAt is how many whole calendar months the placement had lasted by the end of day d
// (or of its end, when it ended first): started 2021-05-31, 3 on 2021-08-31. 0 when it had
// not begun, has no start or was withdrawn.
func (p Placement) MonthsAt(d Date) int {
	if p.Withdrawn || p.Start.IsZero() || d.IsZero() {
		return 0
	}
	last := d
	if !p.End.IsZero() && after(last, p.End) {
		last = p.End
	}
	if after(p.Start, last) {
		return 0
	}
	n := (last.Year-p.Start.Year)*12 + int(last.Month) - int(p.Start.Month)
	for n > 0 && after(addMonths(p.Start, n), last) {
		n--
	}
	return n
}

// StableAt reports whether the placement had lasted StableMonths by d: it began at least three
// calendar months before d (or before its end, when it ended first) and was at work for all of
// it. One that ended before three months is never stable; a withdrawn one never is.
func (p Placement) StableAt(d Date) bool {
	return p.MonthsAt(d) >= StableMonths
}

// AtWork reports whether the person was at work on the placement on day d: started by d and
// not ended before it.
func (p Placement) AtWork(d Date) bool {
	return !p.Withdrawn && !p.Start.IsZero() && !after(p.Start, d) && (p.End.IsZero() || !after(d, p.End))
}

// CurrentPlacements are the placements as they stood at the end of day d (Asia/Shanghai):
// of each chain of corrections the latest recorded by then, withdrawn ones left out.
func CurrentPlacements(all []Placement, d Date) []Placement {
	return PlacementsAt(all, ScoreAt(d))
}

// PlacementsAt are the placements as they stood at moment at (the zero time: every row
// given): the rows recorded by then (a row without RecordedAt always counts), of each chain —
// a placement and the rows that supersede it, directly or through another — the latest
// recorded (then the highest id), left out when it is a withdrawal. The result keeps the
// order of the chains' first rows in all.
func PlacementsAt(all []Placement, at time.Time) []Placement {
	kept := func(p *Placement) bool {
		return at.IsZero() || p.RecordedAt.IsZero() || !p.RecordedAt.After(at)
	}
	byID := make(map[int64]int, len(all))
	for i := range all {
		if all[i].ID != 0 && kept(&all[i]) {
			byID[all[i].ID] = i
		}
	}
	// root is the key of a row's chain: the id of the first row it reaches by Supersedes (or
	// the superseded id when that row is not given); a row without an id is a chain of its own.
	root := func(i int) int64 {
		p := &all[i]
		if p.ID == 0 && p.Supersedes == 0 {
			return -int64(i) - 1
		}
		key := p.ID
		next := p.Supersedes
		for steps := 0; next != 0 && steps <= len(all); steps++ {
			key = next
			j, ok := byID[next]
			if !ok {
				break
			}
			next = all[j].Supersedes
		}
		return key
	}
	latest := map[int64]int{}
	var order []int64
	for i := range all {
		p := &all[i]
		if !kept(p) {
			continue
		}
		k := root(i)
		j, ok := latest[k]
		if !ok {
			order = append(order, k)
			latest[k] = i
			continue
		}
		q := &all[j]
		if p.RecordedAt.After(q.RecordedAt) || p.RecordedAt.Equal(q.RecordedAt) && p.ID > q.ID {
			latest[k] = i
		}
	}
	out := make([]Placement, 0, len(order))
	for _, k := range order {
		if p := all[latest[k]]; !p.Withdrawn {
			out = append(out, p)
		}
	}
	return out
}

// placementFlag is 是 or 否: whether a placement's poor flag is flag.
func placementFlag(p Placement, flag string) string { return yes(p.Poor == flag) }

// placementKindOf is the kind of a placement (PlacementKind of its home and place).
func placementKindOf(p Placement) string { return PlacementKind(p.HomeCode, p.PlaceCode) }

// placementSources are the values of Placement.Source.
var placementSources = []string{PlacementFromMatch, PlacementRecorded}
