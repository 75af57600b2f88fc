package xiezuo_test

import (
	"slices"
	"testing"

	"xiezuo"
)

// TestScoreByUnitAndTeamKeepsPerIndicators: grouped by unit, a unit that leads a work team
// reads its team's part of a per-team indicator (区教委：典型案例 0 / 1 个), and a unit responsible
// for a per-region indicator reads its district row; grouped by team, a per-region indicator
// whose responsible units include the team's lead reads its district row. Before, both views
// dropped every Per indicator that was not per unit (or per team).
func TestScoreByUnitAndTeamKeepsPerIndicators(t *testing.T) {
	p := scorePlan()
	cases := ind(`count(articles where kind = "典型案例")`, target(1), "2021-10-31", func(in *xiezuo.Indicator) {
		in.Code, in.Per, in.Units = "cases", xiezuo.PerTeam, []string{"领导小组办公室"}
	})
	visits := ind(`count(visits)`, target(1), "2021-08-31", func(in *xiezuo.Indicator) {
		in.Code, in.Per, in.Units = "visits", xiezuo.PerRegion, []string{"领导小组办公室", "区商务局"}
	})
	d := xiezuo.ScoreData{Plan: p, Entries: []xiezuo.RegisterEntry{
		entry(xiezuo.RegArticle, day(3, 1), "区商务局", "", "乙专班", "kind=典型案例"),
		entry(xiezuo.RegVisit, day(4, 1), "领导小组办公室", "甲县", ""),
	}}
	set := []xiezuo.Indicator{cases, visits}
	rowsOf := func(card xiezuo.Scorecard, group string) []string {
		var out []string
		for _, g := range card.Groups {
			if g.Name == group {
				for _, r := range g.Rows {
					out = append(out, r.Indicator.Code+"|"+r.Group+"|"+r.ValueText())
				}
			}
		}
		return out
	}
	byUnit := xiezuo.Score(set, d, day(9, 15), xiezuo.ByUnit)
	for _, c := range []struct {
		unit string
		want []string
	}{
		{"区教委", []string{"cases|甲专班|0 个"}},
		{"区商务局", []string{"cases|乙专班|1 个", "visits||1 / 2 个协作地区达标"}},
		{"领导小组办公室", []string{"cases||1 / 2 个工作专班达标", "visits||1 / 2 个协作地区达标"}},
	} {
		if got := rowsOf(byUnit, c.unit); !slices.Equal(got, c.want) {
			t.Errorf("by unit, %s: %q, want %q", c.unit, got, c.want)
		}
	}
	byTeam := xiezuo.Score(set, d, day(9, 15), xiezuo.ByTeam)
	if got, want := rowsOf(byTeam, "乙专班"), []string{"cases|乙专班|1 个", "visits||1 / 2 个协作地区达标"}; !slices.Equal(got, want) {
		t.Errorf("by team, 乙专班: %q, want %q", got, want)
	}
}
