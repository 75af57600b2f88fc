package xiezuo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRollupFundsCity checks the rollup of several districts' plans: a row per district and per
// year (the years of every district together), regions gathered across districts, and that
// RollupFundTotals from each project's FundsAt gives exactly what RollupFundsYears gives.
func TestRollupFundsCity(t *testing.T) {
	mk := func(id int64, region, cat string, n int, fund int64) Project {
		return Project{ID: id, Region: region, Category: cat, CategoryNumber: n, DistrictFund: Known(fund), Nature: "新建"}
	}
	a21 := &Plan{District: "甲区", Year: 2021, Projects: []Project{mk(1, "甲县", "产业", 1, 100), mk(2, "乙县", "就业", 2, 50)}}
	a22 := &Plan{District: "甲区", Year: 2022, Projects: []Project{mk(3, "甲县", "产业", 1, 70)}}
	b21 := &Plan{District: "乙区", Year: 2021, Projects: []Project{mk(4, "丙县", "产业", 1, 80), mk(5, "甲县", "产业", 1, 10)}}
	on := day
	txs := map[int64][]FundTx{
		1: {{Kind: FundAllocation, Source: SourceDistrict, Amount: 100, On: on("2021-06-01")}, {Kind: FundDisbursement, Source: SourceDistrict, Amount: 60, On: on("2021-07-01")}},
		3: {{Kind: FundAllocation, Source: SourceSocial, Amount: 70, On: on("2022-03-01")}, {Kind: FundDisbursement, Source: SourceSocial, Amount: 70, On: on("2022-04-01")}},
		4: {{Kind: FundAllocation, Source: SourceDistrict, Amount: 80, On: on("2021-05-01")}, {Kind: FundDisbursement, Source: SourceDistrict, Amount: 40, On: on("2021-06-01")},
			{Kind: FundExpenditure, Source: SourceDistrict, Amount: 10, On: on("2021-06-02")}, {Kind: FundExpenditure, Source: SourceDistrict, Amount: -10, On: on("2022-01-02"), Reverses: 9}},
		5: {{Kind: FundAllocation, Source: SourceSelf, Amount: 10, On: on("2021-12-31")}},
	}
	plans := []*Plan{a21, a22, b21}
	type row struct {
		Label   string
		Figures FundFigures
	}
	rows := func(gs []FundGroup) []row {
		var out []row
		for _, g := range gs {
			out = append(out, row{g.Label(), g.FundFigures})
		}
		return out
	}
	tests := []struct {
		name            string
		plans           []*Plan
		filter          ProjectFilter
		asOf            string
		total           FundFigures
		districts       []row
		years           []row
		regions         []row
		disbursedRateBP int64
	}{
		{"city, every entry", plans, ProjectFilter{}, "", FundFigures{260, 170, 0},
			[]row{{"甲区（3个）", FundFigures{170, 130, 0}}, {"乙区（2个）", FundFigures{90, 40, 0}}},
			[]row{{"2021年（4个）", FundFigures{190, 100, 0}}, {"2022年（1个）", FundFigures{70, 70, 0}}},
			[]row{{"甲县（3个）", FundFigures{180, 130, 0}}, {"乙县（1个）", FundFigures{}}, {"丙县（1个）", FundFigures{80, 40, 0}}},
			6538},
		{"city as of 2021-12-31: the reversal not yet", plans, ProjectFilter{}, "2021-12-31", FundFigures{190, 100, 10},
			[]row{{"甲区（3个）", FundFigures{100, 60, 0}}, {"乙区（2个）", FundFigures{90, 40, 10}}},
			[]row{{"2021年（4个）", FundFigures{190, 100, 10}}, {"2022年（1个）", FundFigures{}}},
			[]row{{"甲县（3个）", FundFigures{110, 60, 0}}, {"乙县（1个）", FundFigures{}}, {"丙县（1个）", FundFigures{80, 40, 10}}},
			5263},
		{"city, region 甲县", plans, ProjectFilter{Region: "甲县"}, "", FundFigures{180, 130, 0},
			[]row{{"甲区（2个）", FundFigures{170, 130, 0}}, {"乙区（1个）", FundFigures{10, 0, 0}}},
			[]row{{"2021年（2个）", FundFigures{110, 60, 0}}, {"2022年（1个）", FundFigures{70, 70, 0}}},
			[]row{{"甲县（3个）", FundFigures{180, 130, 0}}},
			7222},
		{"one district's years: no district rows", []*Plan{a21, a22}, ProjectFilter{}, "", FundFigures{170, 130, 0},
			nil,
			[]row{{"2021年（2个）", FundFigures{100, 60, 0}}, {"2022年（1个）", FundFigures{70, 70, 0}}},
			[]row{{"甲县（2个）", FundFigures{170, 130, 0}}, {"乙县（1个）", FundFigures{}}},
			7647},
		{"one plan: neither", []*Plan{b21}, ProjectFilter{}, "2021-06-01", FundFigures{80, 40, 0},
			nil, nil,
			[]row{{"丙县（1个）", FundFigures{80, 40, 0}}, {"甲县（1个）", FundFigures{}}},
			5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Date
			if tt.asOf != "" {
				d = on(tt.asOf)
			}
			got := RollupFundsYears(tt.plans, tt.filter, txs, d)
			if got.Total.FundFigures != tt.total {
				t.Errorf("RollupFundsYears.Total = %+v, want %+v", got.Total.FundFigures, tt.total)
			}
			if bp := got.Total.DisbursementRate().BasisPoints(); bp.V != tt.disbursedRateBP {
				t.Errorf("RollupFundsYears.Total 拨付率 = %d bp, want %d", bp.V, tt.disbursedRateBP)
			}
			var regions []FundGroup
			for _, r := range got.Regions {
				regions = append(regions, r.FundGroup)
			}
			if diff := cmp.Diff(tt.districts, rows(got.Districts)); diff != "" {
				t.Errorf("RollupFundsYears.Districts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.years, rows(got.Years)); diff != "" {
				t.Errorf("RollupFundsYears.Years (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.regions, rows(regions)); diff != "" {
				t.Errorf("RollupFundsYears.Regions (-want +got):\n%s", diff)
			}
			// The same from each project's totals, summed beforehand.
			totals := map[int64]FundTotals{}
			for id, list := range txs {
				totals[id] = FundsAt(list, d)
			}
			if diff := cmp.Diff(got, RollupFundTotals(tt.plans, tt.filter, totals, d)); diff != "" {
				t.Errorf("RollupFundTotals differs from RollupFundsYears (-years +totals):\n%s", diff)
			}
		})
	}
}
