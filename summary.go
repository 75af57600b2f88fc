package xiezuo

import (
	"fmt"
	"strings"
)

// Problem is an error or warning found in a document, at its line (or sheet and row).
type Problem struct {
	Line  int    `json:"line"`
	Sheet string `json:"sheet,omitempty"`
	// Where names the place in a Word or PDF document as the clerk sees it (正文第二部分第3段,
	// 附件2 表格第5行); Page is the page the document states it is on. Both are empty for text
	// and workbooks, whose line (and sheet) say it.
	Where   string `json:"where,omitempty"`
	Page    int    `json:"page,omitempty"`
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

// Summarize computes the summary of a plan from its Rollup. Money, people and employed people
// are sums of the project rows (unknown counts as nothing reported). Villages are distinct
// counts: a region's figure is the one its subtotal row states, or, without one, the least it
// can be (the largest of its projects and category rows); the plan's is the total row's, or the
// sum over regions, which share no village.
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
	t := Rollup(p, ProjectFilter{})
	for _, r := range t.Regions {
		s.Regions = append(s.Regions, RegionSummary{
			Name:                r.Region,
			Projects:            len(r.Projects),
			TotalInvestmentYuan: Yuan(Known(r.Computed.TotalInvestment.V)),
			DistrictFundYuan:    Yuan(Known(r.Computed.DistrictFund.V)),
			BeneficiaryVillages: r.Villages().Min,
			BeneficiaryPeople:   r.Computed.People.V,
			EmployedPeople:      r.Computed.Employed.V,
		})
	}
	s.Totals = Totals{
		TotalInvestmentYuan: Yuan(Known(t.Total.Computed.TotalInvestment.V)),
		DistrictFundYuan:    Yuan(Known(t.Total.Computed.DistrictFund.V)),
		BeneficiaryVillages: t.Total.Villages().Min,
		BeneficiaryPeople:   t.Total.Computed.People.V,
		EmployedPeople:      t.Total.Computed.Employed.V,
	}
	return s
}

// Place is where the problem is as a clerk finds it in a Word or PDF document: Where with the
// page added unless Where names it (附件2 表格第5行，第3页; 第3页第2段). Empty for text and
// workbooks, whose line (and sheet) say it.
func (p Problem) Place() string {
	switch {
	case p.Where == "":
		if p.Page > 0 {
			return fmt.Sprintf("第%d页", p.Page)
		}
		return ""
	case p.Page > 0 && !strings.Contains(p.Where, fmt.Sprintf("第%d页", p.Page)):
		return fmt.Sprintf("%s，第%d页", p.Where, p.Page)
	}
	return p.Where
}
