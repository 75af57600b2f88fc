package xiezuo

// Problem is an error or warning found in a document, at its line (or sheet and row).
type Problem struct {
	Line    int    `json:"line"`
	Sheet   string `json:"sheet,omitempty"`
	Message string `json:"message"`
}

// Summary is the object `xiezuo check --json` and `xiezuo summary --json` print.
type Summary struct {
	File       string          `json:"file"`
	Year       int             `json:"year"`
	District   string          `json:"district"`
	WorkPoints int             `json:"work_points"`
	WorkTeams  int             `json:"work_teams"`
	Tasks      int             `json:"tasks"`
	Projects   int             `json:"projects"`
	Totals     Totals          `json:"totals"`
	Regions    []RegionSummary `json:"regions"`
	Errors     []Problem       `json:"errors"`
	Warnings   []Problem       `json:"warnings"`
	// ErrorsOmitted and WarningsOmitted count the problems found beyond those listed (the
	// reader lists at most 200 of each).
	ErrorsOmitted   int `json:"errors_omitted,omitempty"`
	WarningsOmitted int `json:"warnings_omitted,omitempty"`
}

// Totals are the figures of the whole project table.
type Totals struct {
	TotalInvestmentYuan Yuan  `json:"total_investment_yuan"`
	DistrictFundYuan    Yuan  `json:"district_fund_yuan"`
	BeneficiaryVillages int64 `json:"beneficiary_villages"`
	BeneficiaryPeople   int64 `json:"beneficiary_people"`
	EmployedPeople      int64 `json:"employed_people"`
}

// Recognised tells whether the document was recognised as a plan at all: a year, a district or
// any of its parts. A summary of nothing ("0年：工作要点 0 条…") says nothing a clerk can use;
// only its errors are shown.
func (s Summary) Recognised() bool {
	return s.Year != 0 || s.District != "" || s.WorkPoints+s.WorkTeams+s.Tasks+s.Projects > 0
}

// RegionSummary is one partner region's line of the summary.
type RegionSummary struct {
	Name                string `json:"name"`
	Projects            int    `json:"projects"`
	TotalInvestmentYuan Yuan   `json:"total_investment_yuan"`
	DistrictFundYuan    Yuan   `json:"district_fund_yuan"`
	BeneficiaryVillages int64  `json:"beneficiary_villages"`
	BeneficiaryPeople   int64  `json:"beneficiary_people"`
	EmployedPeople      int64  `json:"employed_people"`
}

// Summarize computes the summary of a plan. Money, people and employed people are sums of the
// project rows (unknown counts as nothing reported). Villages are distinct counts: a region's
// figure is the one its subtotal row states, or, without one, the largest of its projects and
// category rows (the least it can be); the plan's is the total row's, or the sum over regions, which share no village.
func Summarize(p *Plan) Summary {
	s := Summary{
		File:       p.Source.Name,
		Year:       p.Year,
		District:   p.District,
		WorkPoints: len(p.Points),
		WorkTeams:  len(p.Teams),
		Tasks:      len(p.Tasks),
		Projects:   len(p.Projects),
		Regions:    []RegionSummary{},
		Errors:     []Problem{},
		Warnings:   []Problem{},
	}
	index := map[string]int{}
	var ti, df int64
	for _, pr := range p.Projects {
		i, ok := index[pr.Region]
		if !ok {
			i = len(s.Regions)
			index[pr.Region] = i
			s.Regions = append(s.Regions, RegionSummary{Name: pr.Region})
		}
		r := &s.Regions[i]
		r.Projects++
		r.TotalInvestmentYuan = Yuan(addNum(Num(r.TotalInvestmentYuan), pr.TotalInvestment))
		r.DistrictFundYuan = Yuan(addNum(Num(r.DistrictFundYuan), pr.DistrictFund))
		r.BeneficiaryPeople += pr.People.V
		r.EmployedPeople += pr.Employed.V
		if pr.Villages.V > r.BeneficiaryVillages {
			r.BeneficiaryVillages = pr.Villages.V
		}
		ti += pr.TotalInvestment.V
		df += pr.DistrictFund.V
		s.Totals.BeneficiaryPeople += pr.People.V
		s.Totals.EmployedPeople += pr.Employed.V
	}
	s.Totals.TotalInvestmentYuan = Yuan(Known(ti))
	s.Totals.DistrictFundYuan = Yuan(Known(df))
	var totalVillages Num
	stated := map[string]bool{}
	for _, st := range p.Subtotals {
		i, ok := index[st.Region]
		switch {
		case st.Level == LevelTotal:
			totalVillages = st.Villages
		case !ok || !st.Villages.Valid:
		case st.Level == LevelRegion:
			s.Regions[i].BeneficiaryVillages = st.Villages.V
			stated[st.Region] = true
		case st.Level == LevelCategory && !stated[st.Region] && st.Villages.V > s.Regions[i].BeneficiaryVillages:
			// A category's distinct count is also a lower bound for its region.
			s.Regions[i].BeneficiaryVillages = st.Villages.V
		}
	}
	for i := range s.Regions {
		r := &s.Regions[i]
		if !r.TotalInvestmentYuan.Valid {
			r.TotalInvestmentYuan = Yuan(Known(0))
		}
		if !r.DistrictFundYuan.Valid {
			r.DistrictFundYuan = Yuan(Known(0))
		}
		s.Totals.BeneficiaryVillages += r.BeneficiaryVillages
	}
	if totalVillages.Valid {
		s.Totals.BeneficiaryVillages = totalVillages.V
	}
	return s
}

func addNum(a, b Num) Num {
	if !b.Valid {
		return a
	}
	return Known(a.V + b.V)
}
