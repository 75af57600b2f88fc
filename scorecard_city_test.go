package xiezuo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCitySummary(t *testing.T) {
	target := Measure{V: 1, Valid: true}
	row := func(code, dim string, l ScoreLight, v float64) IndicatorScore {
		return IndicatorScore{Indicator: Indicator{Code: code, Dimension: dim, Compare: ">="}, Value: Measure{V: v, Valid: true}, Target: target, Light: l}
	}
	a := Scorecard{District: "门头沟区", Groups: []ScoreGroup{
		{Name: "组织领导", Rows: []IndicatorScore{row("a1", "组织领导", ScoreGreen, 1), row("a2", "组织领导", ScoreRed, 0), row("a3", "组织领导", ScoreYellow, 0.5)}},
		{Name: "信息宣传", Rows: []IndicatorScore{row("x1", "信息宣传", ScoreRed, 0.5), row("x2", "信息宣传", ScoreGrey, 0), row("x3", "信息宣传", ScoreRed, 0.9), row("x4", "信息宣传", ScoreYellow, 0)}},
	}}
	// A card grouped by team repeats an indicator in several groups: it counts once.
	// A grey row with a value but no target is 未设目标, not 未报送.
	a.Groups[1].Rows = append(a.Groups[1].Rows, IndicatorScore{Indicator: Indicator{Code: "x5", Dimension: "信息宣传"}, Value: Measure{V: 3, Valid: true}, Light: ScoreGrey})
	b := Scorecard{District: "房山区", Groups: []ScoreGroup{
		{Name: "教育帮扶专班", Rows: []IndicatorScore{row("x1", "信息宣传", ScoreGreen, 1)}},
		{Name: "健康帮扶专班", Rows: []IndicatorScore{row("x1", "信息宣传", ScoreGreen, 1), row("z9", "不在维度中", ScoreRed, 0)}},
	}}
	empty := Scorecard{District: "延庆区"}
	rows, total := CitySummary([]Scorecard{a, b, empty})
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	dims := func(ls ...LightCounts) []LightCounts {
		out := make([]LightCounts, len(Dimensions))
		copy(out, ls)
		return out
	}
	if diff := cmp.Diff(dims(LightCounts{Green: 1, Red: 1, Yellow: 1}, LightCounts{}, LightCounts{}, LightCounts{}, LightCounts{}, LightCounts{Red: 2, Grey: 1, Yellow: 1, NoTarget: 1}), rows[0].Dims); diff != "" {
		t.Errorf("门头沟区 by dimension (-want +got):\n%s", diff)
	}
	if rows[0].All != (LightCounts{Green: 1, Red: 3, Yellow: 2, Grey: 1, NoTarget: 1}) {
		t.Errorf("门头沟区 in all = %+v", rows[0].All)
	}
	var gaps []string
	for _, g := range rows[0].Gaps {
		gaps = append(gaps, g.Indicator.Code)
	}
	if diff := cmp.Diff([]string{"a2", "x1", "x3"}, gaps); diff != "" { // red first, furthest from target first, at most 3
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	if rows[1].All != (LightCounts{Green: 1, Red: 1}) || rows[1].Dims[5] != (LightCounts{Green: 1}) {
		t.Errorf("房山区 = %+v", rows[1])
	}
	if rows[2].All.Total() != 0 || len(rows[2].Gaps) != 0 {
		t.Errorf("an empty card = %+v", rows[2])
	}
	if total.All != (LightCounts{Green: 2, Red: 4, Yellow: 2, Grey: 1, NoTarget: 1}) || total.Dims[0] != (LightCounts{Green: 1, Red: 1, Yellow: 1}) || total.District != "合计" {
		t.Errorf("total = %+v", total)
	}
}

func TestIndicatorScoreLightWord(t *testing.T) {
	known := Measure{V: 3, Valid: true}
	for _, tc := range []struct {
		s    IndicatorScore
		want string
	}{
		{IndicatorScore{Light: ScoreGrey, Value: known}, "未设目标"},
		{IndicatorScore{Light: ScoreGrey, Target: known}, "未报送"},
		{IndicatorScore{Light: ScoreGrey}, "未报送"},
		{IndicatorScore{Value: known}, "未设目标"},
		{IndicatorScore{Light: ScoreGreen, Value: known}, "达标"},
		{IndicatorScore{Light: ScoreRed, Value: known, Target: known}, "未达标"},
		{IndicatorScore{Light: ScoreYellow, Target: known}, "未达标（未到期）"},
	} {
		if got := tc.s.LightWord(); got != tc.want {
			t.Errorf("%+v.LightWord() = %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestValueTextNothingToMeasure(t *testing.T) {
	pass := IndicatorScore{Indicator: Indicator{Missing: "pass", Unit: "%"}, Light: ScoreGreen}
	if got := pass.ValueText(); got != "无应计记录" || pass.Unreported() {
		t.Errorf("a met indicator with nothing to measure reads %q (unreported %v), want 无应计记录", got, pass.Unreported())
	}
	pass.Light = ScoreGrey
	if got := pass.ValueText(); got != "未报送" || !pass.Unreported() {
		t.Errorf("grey reads %q (unreported %v), want 未报送", got, pass.Unreported())
	}
	pass.Light, pass.Value = ScoreGreen, Measure{V: 100, Valid: true}
	if got := pass.ValueText(); got != "100%" {
		t.Errorf("a value reads %q, want 100%%", got)
	}
}
