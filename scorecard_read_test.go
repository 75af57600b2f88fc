package xiezuo

import (
	"net/url"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCanReadWholeScorecard(t *testing.T) {
	for _, tc := range []struct {
		roles []string
		want  bool
	}{
		{[]string{RoleOffice}, true},
		{[]string{RoleLeader}, true},
		{[]string{RoleTeamLead, RoleUnit}, true},
		{[]string{RoleCityOffice}, true},
		{[]string{RoleUnit}, false},
		{[]string{RoleCadre}, false},
		{[]string{RoleAuditor}, false},
		{nil, false},
	} {
		u := &User{Roles: tc.roles, Unit: "区财政局"}
		if got := u.CanReadWholeScorecard(); got != tc.want {
			t.Errorf("User{Roles: %v}.CanReadWholeScorecard() = %v, want %v", tc.roles, got, tc.want)
		}
		f := ScorecardFilter{By: ByTeam}.For(u)
		if want := map[bool]ScoreBy{true: ByTeam, false: ByUnit}[tc.want]; f.By != want {
			t.Errorf("ScorecardFilter{By: team}.For(%v).By = %q, want %q", tc.roles, f.By, want)
		}
	}
}

func TestScorecardFor(t *testing.T) {
	fin := Indicator{Code: "a", Units: []string{"区财政局", "区教委"}}
	edu := Indicator{Code: "b", Units: []string{"区教委"}}
	perUnit := Indicator{Code: "c", Per: "unit"} // every unit measured, none named
	byDim := Scorecard{By: ByDimension, Groups: []ScoreGroup{
		{Name: "组织领导", Rows: []IndicatorScore{
			{Indicator: fin, Parts: []IndicatorScore{{Group: "区财政局"}, {Group: "区教委"}}},
			{Indicator: edu},
		}},
		{Name: "信息宣传", Rows: []IndicatorScore{{Indicator: edu}, {Indicator: perUnit, Parts: []IndicatorScore{{Group: "区教委"}, {Group: "区财政局"}}}}},
	}}
	unit := &User{Roles: []string{RoleUnit}, Unit: "区财政局"}
	got := byDim.For(unit)
	want := Scorecard{By: ByDimension, Groups: []ScoreGroup{
		{Name: "组织领导", Rows: []IndicatorScore{{Indicator: fin, Parts: []IndicatorScore{{Group: "区财政局"}}}}},
		{Name: "信息宣传", Rows: []IndicatorScore{{Indicator: perUnit, Parts: []IndicatorScore{{Group: "区财政局"}}}}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scorecard.For(unit) (-want +got):\n%s", diff)
	}
	byUnit := Scorecard{By: ByUnit, Groups: []ScoreGroup{{Name: "区教委"}, {Name: "区财政局", Rows: []IndicatorScore{{Indicator: fin, Group: "区财政局"}}}}}
	if got := byUnit.For(unit); len(got.Groups) != 1 || got.Groups[0].Name != "区财政局" {
		t.Errorf("Scorecard{by unit}.For(区财政局) = %+v, want its group only", got.Groups)
	}
	office := &User{Roles: []string{RoleOffice}}
	if diff := cmp.Diff(byDim, byDim.For(office)); diff != "" {
		t.Errorf("Scorecard.For(office) changed the card:\n%s", diff)
	}
}

func TestParseScorecardFilter(t *testing.T) {
	today := Date{2021, 8, 28}
	for _, tc := range []struct {
		q       string
		want    ScorecardFilter
		wantErr string
	}{
		{"", ScorecardFilter{By: ByDimension}, ""},
		{"by=team&as_of=2021-06-30", ScorecardFilter{By: ByTeam, AsOf: Date{2021, 6, 30}}, ""},
		{"by=region&as_of=2021-08-28", ScorecardFilter{By: ByRegion, AsOf: today}, ""},
		{"by=town", ScorecardFilter{}, "分组（参数 by）“town”无效，应为按考核维度（dimension）、按工作专班（team）、按单位（unit）或按协作地区（region）"},
		{"as_of=2021-13-01", ScorecardFilter{}, "查看日期（参数 as_of）“2021-13-01”不是日期，应写作 2021-08-31"},
		{"as_of=2021-09-01", ScorecardFilter{}, "查看日期（参数 as_of）2021-09-01 晚于今天（2021-08-28），只能查看今天及以前"},
	} {
		q, _ := url.ParseQuery(tc.q)
		got, err := ParseScorecardFilter(q, today)
		if ErrorMessage(err) != tc.wantErr && !(err == nil && tc.wantErr == "") {
			t.Errorf("ParseScorecardFilter(%q) error = %v, want %q", tc.q, err, tc.wantErr)
			continue
		}
		if tc.wantErr != "" {
			if ErrorCode(err) != EINVALID {
				t.Errorf("ParseScorecardFilter(%q) code = %q, want %q", tc.q, ErrorCode(err), EINVALID)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("ParseScorecardFilter(%q) = %+v, want %+v", tc.q, got, tc.want)
		}
		back, _ := ParseScorecardFilter(got.Values(), today)
		if back != got {
			t.Errorf("ParseScorecardFilter(%q).Values() reads back as %+v", tc.q, back)
		}
	}
}

func TestScoreTexts(t *testing.T) {
	six := 6.0
	m := func(v float64) Measure { return Measure{V: v, Valid: true} }
	thirty := 30.0
	articles := Indicator{Unit: "篇", Compare: ">=", Target: &six, Per: "team"}
	for _, tc := range []struct {
		name                 string
		s                    IndicatorScore
		value, target, trend string
	}{
		// A Per indicator's district row counts groups (4 of 7 met); its target is each
		// group's, in the indicator's unit (not the count of groups).
		{"per team, district row", IndicatorScore{Indicator: articles, Value: m(4), Target: m(7), Trend: m(2),
			Parts: []IndicatorScore{{Group: "产业协作专班", Target: m(6)}}}, "4 / 7 个工作专班达标", "每个工作专班不少于 6 篇", "↑（30 天前 2 个达标）"},
		{"per unit, district row, percent", IndicatorScore{Indicator: Indicator{Unit: "%", Compare: ">=", Target: &thirty, Per: "unit"}, Value: m(4), Target: m(7)},
			"4 / 7 个单位达标", "每个单位不少于 30%", "30 天前未报送"},
		{"per region, no region", IndicatorScore{Indicator: Indicator{Unit: "次", Target: &six, Per: "region"}, Value: m(0)}, "没有可考核的协作地区", "每个协作地区不少于 6 次", "30 天前未报送"},
		{"a team's part", IndicatorScore{Indicator: articles, Group: "产业协作专班", Value: m(6), Target: m(6), Trend: m(6)}, "6 篇", "不少于 6 篇", "→（30 天前 6 篇）"},
		{"unknown", IndicatorScore{Indicator: Indicator{Unit: "次"}}, "未报送", "未设目标", "30 天前未报送"},
		{"prior", IndicatorScore{Indicator: Indicator{Unit: "万元", TargetPrior: true}, Value: m(1100.5), Target: m(1200), Trend: m(1300)}, "1100.5 万元", "不低于上年（1200 万元）", "↓（30 天前 1300 万元）"},
		{"prior unknown", IndicatorScore{Indicator: Indicator{Unit: "万元", TargetPrior: true}, Value: m(0)}, "0 万元", "不低于上年（上年未报送）", "30 天前未报送"},
		{"at most, percent", IndicatorScore{Indicator: Indicator{Unit: "%", Compare: "<="}, Value: m(33.333), Target: m(30)}, "33.33%", "不超过 30%", "30 天前未报送"},
	} {
		if got := tc.s.ValueText(); got != tc.value {
			t.Errorf("%s: ValueText() = %q, want %q", tc.name, got, tc.value)
		}
		if got := tc.s.TargetText(); got != tc.target {
			t.Errorf("%s: TargetText() = %q, want %q", tc.name, got, tc.target)
		}
		if got := tc.s.TrendText(); got != tc.trend {
			t.Errorf("%s: TrendText() = %q, want %q", tc.name, got, tc.trend)
		}
	}
	var n LightCounts
	for _, l := range []ScoreLight{ScoreGreen, ScoreGreen, ScoreRed, ScoreYellow, ScoreGrey, ""} {
		n.Add(l)
	}
	if got, want := n.String(), "达标 2、未达标 1、未到期 1、未报送 2"; got != want {
		t.Errorf("LightCounts.String() = %q, want %q", got, want)
	}
	// A row reported without a target is 未设目标, not 未报送.
	var rows LightCounts
	rows.AddRow(IndicatorScore{Light: ScoreGrey, Value: m(3)})
	rows.AddRow(IndicatorScore{Light: ScoreGrey})
	rows.AddRow(IndicatorScore{Light: ScoreGreen, Value: m(3), Target: m(1)})
	if got, want := rows.String(), "达标 1、未达标 0、未到期 0、未报送 1、未设目标 1"; got != want || rows.Total() != 3 {
		t.Errorf("LightCounts.AddRow: %q (total %d), want %q (3)", got, rows.Total(), want)
	}
	if got := (Measure{V: 28.000000000000004, Valid: true}).Rounded(4); got.V != 28 {
		t.Errorf("Rounded(4) = %v, want 28", got.V)
	}
	in := Indicator{Category: "组织领导", WorkItem: "研究部署", Clause: 2, Due: "2021-06-30"}
	if got, want := in.ClauseText(), "组织领导 / 研究部署（第 2 项）"; got != want {
		t.Errorf("ClauseText() = %q, want %q", got, want)
	}
	if got, want := in.PeriodText(2021), "2021-01-01 至 2021-06-30"; got != want {
		t.Errorf("PeriodText(2021) = %q, want %q", got, want)
	}
}

// A unit reading a Per indicator's district row (the page /scorecard/{code}, a card by
// dimension) must not read the other units' evidence nor their missing texts: the row keeps
// only what the unit's own part holds.
func TestScorecardForPerRowOwnEvidence(t *testing.T) {
	in := Indicator{Code: "c", Per: PerUnit, Units: []string{"区财政局", "区教委"}}
	fin := IndicatorScore{Group: "区财政局", Missing: []string{"区财政局：信息 1 / 6 篇"},
		Evidence: []EvidenceRef{{Kind: "articles", ID: 1, Title: "财政局的信息"}}}
	edu := IndicatorScore{Group: "区教委", Missing: []string{"区教委：信息 0 / 6 篇"},
		Evidence: []EvidenceRef{{Kind: "articles", ID: 2, Title: "<script>教委内部信息</script>"}}, EvidenceMore: 3}
	card := Scorecard{By: ByDimension, Groups: []ScoreGroup{{Name: "信息宣传", Rows: []IndicatorScore{{
		Indicator: in, Parts: []IndicatorScore{fin, edu},
		Missing:  append(slices.Clone(fin.Missing), edu.Missing...),
		Evidence: append(slices.Clone(fin.Evidence), edu.Evidence...), EvidenceMore: 3,
	}}}}}
	got := card.For(&User{Roles: []string{RoleUnit}, Unit: "区财政局"})
	if len(got.Groups) != 1 || len(got.Groups[0].Rows) != 1 {
		t.Fatalf("Scorecard.For(区财政局) = %+v, want the row", got.Groups)
	}
	row := got.Groups[0].Rows[0]
	if diff := cmp.Diff(fin.Evidence, row.Evidence); diff != "" || row.EvidenceMore != 0 {
		t.Errorf("Scorecard.For(区财政局): evidence (-want +got):\n%s; more %d, want 0", diff, row.EvidenceMore)
	}
	if diff := cmp.Diff(fin.Missing, row.Missing); diff != "" {
		t.Errorf("Scorecard.For(区财政局): missing (-want +got):\n%s", diff)
	}
	if whole := card.For(&User{Roles: []string{RoleOffice}}); len(whole.Groups[0].Rows[0].Evidence) != 2 {
		t.Errorf("Scorecard.For(office) dropped evidence: %+v", whole.Groups[0].Rows[0].Evidence)
	}
}
