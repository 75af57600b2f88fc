package xiezuo

// How placements count (转移就业、其中脱贫劳动力、就地就近、稳定就业3个月以上). (Helper C.)

// Placement kinds by where the work is, seen from the person's home.
const (
	PlaceBeijing = "赴京就业"     // in Beijing (province code 11)
	PlaceOutside = "省外就业"     // another province
	PlaceLocal   = "省内就地就近就业" // the home province
)

// PlacementKind says where a placement of a person from homeCode at placeCode is: PlaceBeijing,
// PlaceOutside or PlaceLocal; "" when either code is unknown.
func PlacementKind(homeCode, placeCode string) string {
	return ""
}

// StableMonths is the least months at work that make a placement stable (稳定就业).
const StableMonths = 3

// StableAt reports whether the placement had lasted StableMonths by d: it began at least three
// calendar months before d (or before its end, when it ended first) and was at work for all of it.
func (p Placement) StableAt(d Date) bool {
	return false
}

// CurrentPlacements are the placements as they stood at the end of day d: of each chain of
// corrections the latest recorded by then, withdrawn ones left out.
func CurrentPlacements(all []Placement, d Date) []Placement {
	return nil
}
