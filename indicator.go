package xiezuo

// STUB of the contract of issue 10, replaced by the indicators' helper: the formula language,
// the checks of an indicator, the shipped 2021 set and the scoring.

// ShippedIndicators is the set shipped for a plan year (2021: every quantified requirement of
// the task list); nil for a year without one.
func ShippedIndicators(year int) []Indicator { return nil }

// Check refuses an indicator a scorecard cannot measure, naming the field and the reason in
// words a clerk understands (a formula's error names its position).
func (in Indicator) Check(p *Plan) error { return nil }

// Score measures a set of indicators as of a date, grouped as asked.
func Score(set []Indicator, d ScoreData, asOf Date, by ScoreBy) Scorecard {
	return Scorecard{District: d.Plan.District, Year: d.Plan.Year, AsOf: asOf, By: by}
}

// Word is the light in a word, shown beside its colour.
func (l ScoreLight) Word() string {
	switch l {
	case ScoreGreen:
		return "达标"
	case ScoreYellow:
		return "未达标（未到期）"
	case ScoreRed:
		return "未达标"
	}
	return "未报送"
}
