package xiezuo

// CityScoreRow is one district's scorecard of a year in a city's summary (全市考核): its lights in
// each assessment dimension and in all, and the gaps that most threaten it.
type CityScoreRow struct {
	District string
	Dims     []LightCounts    // in the order of Dimensions
	All      LightCounts      //
	Gaps     []IndicatorScore // red then yellow, furthest from target first (ScoreGaps), at most CityGaps
}

// CityGaps is how many gaps a district's row of the city's summary names.
const CityGaps = 3

// CitySummary lays out the scorecards of several districts (each of one plan year, measured by
// dimension) as a city office reads them: a row per card in the order given, and the city's
// total (its Gaps empty). An indicator counts once per district, under its own dimension; a
// dimension a set does not use counts nothing.
func CitySummary(cards []Scorecard) (rows []CityScoreRow, total CityScoreRow) {
	total = CityScoreRow{District: "合计", Dims: make([]LightCounts, len(Dimensions))}
	for _, c := range cards {
		row := CityScoreRow{District: c.District, Dims: make([]LightCounts, len(Dimensions))}
		seen := map[string]bool{}
		for _, g := range c.Groups {
			for _, r := range g.Rows {
				if seen[r.Indicator.Code] {
					continue
				}
				seen[r.Indicator.Code] = true
				row.All.AddRow(r)
				total.All.AddRow(r)
				for i, d := range Dimensions {
					if r.Indicator.Dimension == d {
						row.Dims[i].AddRow(r)
						total.Dims[i].AddRow(r)
					}
				}
			}
		}
		gaps := ScoreGaps(c)
		row.Gaps = gaps[:min(len(gaps), CityGaps)]
		rows = append(rows, row)
	}
	return rows, total
}
