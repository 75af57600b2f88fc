package xiezuo

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCanDashboard(t *testing.T) {
	for _, tc := range []struct {
		roles []string
		want  bool
	}{
		{[]string{RoleOffice}, true},
		{[]string{RoleLeader}, true},
		{[]string{RoleCityOffice}, true},
		{[]string{RoleUnit}, false},
		{[]string{RoleTeamLead}, false},
		{[]string{RoleCadre}, false},
		{[]string{RoleSysAdmin}, false},
		{[]string{RoleSecAdmin}, false},
		{[]string{RoleAuditor}, false},
		{[]string{RoleUnit, RoleLeader}, true},
		{nil, false},
	} {
		u := &User{Roles: tc.roles}
		if got := u.CanDashboard(); got != tc.want {
			t.Errorf("CanDashboard(%v) = %v, want %v", tc.roles, got, tc.want)
		}
	}
}

func purchase(unit, period string, vals map[string]string) RegisterEntry {
	v := map[string]string{"unit": unit, "period": period}
	for k, x := range vals {
		v[k] = x
	}
	return RegisterEntry{Kind: RegPurchase, Unit: unit, Values: v}
}

func TestPurchaseShares(t *testing.T) {
	entries := []RegisterEntry{
		// 区财政局: two months adding up, 40 %.
		purchase("区财政局", "2021-06", map[string]string{"food_total": "600000", "welfare_total": "400000", "via_832": "300000"}),
		purchase("区财政局", "2021-07", map[string]string{"food_total": "1000000", "via_direct": "500000"}),
		// 区教委: a half year replaces its months; the year replaces everything.
		purchase("区教委", "2021-03", map[string]string{"food_total": "999", "via_832": "999"}),
		purchase("区教委", "2021-H1", map[string]string{"food_total": "1000000", "via_832": "100000"}),
		purchase("区卫健委", "2021-02", map[string]string{"food_total": "5", "via_832": "5"}),
		purchase("区卫健委", "2021-H1", map[string]string{"food_total": "5", "via_832": "5"}),
		purchase("区卫健委", "2021", map[string]string{"food_total": "2000000", "welfare_total": "0", "via_counter": "700000", "via_other": "0"}),
		// A base without partner purchases reported: unknown share, not 0 %.
		purchase("区民政局", "2021-05", map[string]string{"food_total": "100"}),
		// Another year's report, another register's entry: ignored.
		purchase("区财政局", "2020", map[string]string{"food_total": "1", "via_832": "1"}),
		{Kind: RegDonation, Unit: "区财政局", Values: map[string]string{"money": "5"}},
		// A unit not asked to report but reporting: listed after those asked.
		purchase("区国资委", "2021-H2", map[string]string{"food_total": "100", "via_832": "20"}),
	}
	got, total := PurchaseShares(entries, 2021, []string{"区财政局", "区教委", "区卫健委", "区民政局", "区水务局"})
	type row struct {
		Unit     string
		Reported bool
		Periods  []string
		Base     Num
		Partner  Num
		Share    string
		Met      bool
	}
	var rows []row
	for _, s := range got {
		rows = append(rows, row{s.Unit, s.Reported, s.Periods, s.Base, s.Partner, s.Share().Percent(), s.Met()})
	}
	want := []row{
		{"区财政局", true, []string{"2021-06", "2021-07"}, Known(2000000), Known(800000), Ratio{800000, 2000000}.Percent(), true},
		{"区教委", true, []string{"2021-H1"}, Known(1000000), Known(100000), Ratio{1, 10}.Percent(), false},
		{"区卫健委", true, []string{"2021"}, Known(2000000), Known(700000), Ratio{7, 20}.Percent(), true},
		{"区民政局", true, []string{"2021-05"}, Known(100), Num{}, Ratio{}.Percent(), false},
		{"区水务局", false, nil, Num{}, Num{}, Ratio{}.Percent(), false},
		{"区国资委", true, []string{"2021-H2"}, Known(100), Known(20), Ratio{1, 5}.Percent(), false},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("PurchaseShares (-want +got):\n%s", diff)
	}
	if total.Base != Known(5000100) || total.Partner != Known(1600020) {
		t.Errorf("total = %v / %v, want 5000100 / 1600020 (units with a known share)", total.Base, total.Partner)
	}
	if s := (PurchaseShare{Base: Known(0), Partner: Known(0)}).Share(); s.Valid() {
		t.Errorf("share over a base of 0 is %v, want unknown", s)
	}
	if !(PurchaseShare{Base: Known(10), Partner: Known(3)}).Met() {
		t.Errorf("exactly 30 %% is not met")
	}
}

func TestFundsByMonth(t *testing.T) {
	d := func(m time.Month, day int) Date { return Date{2021, m, day} }
	txs := map[int64][]FundTx{
		1: {
			{Kind: FundAllocation, Source: SourceDistrict, Amount: 1000, On: d(1, 15)},
			{Kind: FundDisbursement, Source: SourceDistrict, Amount: 400, On: d(3, 31)},
			{Kind: FundDisbursement, Source: SourceDistrict, Amount: 100, On: d(4, 10)},
			{Kind: FundDisbursement, Source: SourceDistrict, Amount: -100, On: d(4, 20), Reverses: 3},
		},
		2: {
			{Kind: FundAllocation, Source: SourceSocial, Amount: 500, On: d(2, 1)},
			{Kind: FundExpenditure, Source: SourceDistrict, Amount: 50, On: d(4, 11)},
		},
	}
	got := FundsByMonth(txs, 2021, d(4, 10))
	want := []MonthFunds{
		{time.January, d(1, 31), FundFigures{1000, 0, 0}},
		{time.February, d(2, 28), FundFigures{1500, 0, 0}},
		{time.March, d(3, 31), FundFigures{1500, 400, 0}},
		{time.April, d(4, 10), FundFigures{1500, 500, 0}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FundsByMonth (-want +got):\n%s", diff)
	}
	if got := FundsByMonth(txs, 2021, Date{2022, 3, 1}); len(got) != 12 || got[11].FundFigures != (FundFigures{1500, 400, 50}) {
		t.Errorf("a later year: %d months, December %v", len(got), got[len(got)-1])
	}
	if got := FundsByMonth(txs, 2021, Date{2020, 12, 31}); got != nil {
		t.Errorf("before the year: %v", got)
	}
}

func TestEmploymentByRegion(t *testing.T) {
	plan := &Plan{District: "门头沟区", Year: 2021, Projects: []Project{
		{ID: 1, Region: "甲县", Name: "a", Employed: Known(10)},
		{ID: 2, Region: "甲县", Name: "b", Employed: Known(5)},
		{ID: 3, Region: "乙县", Name: "c"},
	}}
	day := Date{2021, 8, 31}
	results := map[int64][]ProjectResult{
		1: {{ProjectID: 1, Kind: ResultPoorEmployed, Value: 4, On: Date{2021, 6, 30}}, {ProjectID: 1, Kind: ResultPoorEmployed, Value: 8, On: Date{2021, 9, 30}}},
		2: {{ProjectID: 2, Kind: ResultPoorEmployed, Value: 6, On: Date{2021, 7, 31}}},
	}
	entries := []RegisterEntry{
		{Kind: RegPark, Region: "甲县", Values: map[string]string{"poor_employed": "30"}},
		{Kind: RegPark, Region: "甲县", Values: map[string]string{}}, // not reported: not 0
		{Kind: RegFirm, Region: "乙县", Values: map[string]string{"jobs": "12"}},
		{Kind: RegFirm, Region: "丙县", Values: map[string]string{"jobs": "99"}},
	}
	got := EmploymentByRegion(plan, results, entries, day)
	want := []RegionJobs{
		{Region: "甲县", Planned: ExactVillages(15), Actual: ExactVillages(10), ParkPoor: Sum{V: 30, Given: 1}},
		{Region: "乙县", Planned: Villages{Open: true}, Actual: Villages{Open: true}, FirmJobs: Sum{V: 12, Given: 1}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EmploymentByRegion (-want +got):\n%s", diff)
	}
}

func TestScoreGaps(t *testing.T) {
	ind := func(code, cmp, due string) Indicator { return Indicator{Code: code, Compare: cmp, Due: due} }
	m := func(v float64) Measure { return Measure{V: v, Valid: true} }
	sc := Scorecard{Groups: []ScoreGroup{
		{Name: "组织领导", Rows: []IndicatorScore{
			{Indicator: ind("a", ">=", "2021-12-31"), Light: ScoreYellow, Value: m(1), Target: m(2)},
			{Indicator: ind("b", ">=", "2021-06-30"), Light: ScoreRed, Value: m(5), Target: m(6)},
			{Indicator: ind("c", ">=", "2021-08-31"), Light: ScoreGreen, Value: m(2), Target: m(1)},
		}},
		{Name: "信息宣传", Rows: []IndicatorScore{
			{Indicator: ind("d", ">=", "2021-09-30"), Light: ScoreRed, Target: m(6)}, // nothing reported
			{Indicator: ind("e", "<=", "2021-10-31"), Light: ScoreRed, Value: m(4), Target: m(2)},
			{Indicator: ind("f", ">=", "2021-10-31"), Light: ScoreGrey},
			{Indicator: ind("g", ">=", "2021-07-31"), Light: ScoreYellow, Value: m(1), Target: m(2)},
			{Indicator: ind("b", ">=", "2021-06-30"), Light: ScoreRed, Value: m(5), Target: m(6)}, // again
		}},
	}}
	var got []string
	for _, g := range ScoreGaps(sc) {
		got = append(got, g.Indicator.Code)
	}
	if diff := cmp.Diff([]string{"d", "e", "b", "g", "a"}, got); diff != "" {
		t.Errorf("ScoreGaps (-want +got):\n%s", diff)
	}
	if got := ScoreGaps(Scorecard{}); got != nil {
		t.Errorf("ScoreGaps(empty) = %v", got)
	}
	want := map[ScoreLight]int{ScoreGreen: 1, ScoreYellow: 2, ScoreRed: 3, ScoreGrey: 1}
	if diff := cmp.Diff(want, ScoreCounts(sc)); diff != "" {
		t.Errorf("ScoreCounts (-want +got):\n%s", diff)
	}
}

// TestPurchaseShareLarge: a unit's sums far beyond any real purchase (a thousand rows of
// 100 亿元 each, every one accepted by CheckEntry) give a share of 100 %, met, not a product
// overflowing int64 (N·10000 was negative: 0 of the target, and a share of −8.4 %).
func TestPurchaseShareLarge(t *testing.T) {
	max := "1000000000000" // MaxRegisterWan in fen
	var entries []RegisterEntry
	for range 1000 {
		entries = append(entries, purchase("区财政局", "2021-06", map[string]string{"food_total": max, "via_832": max}))
	}
	got, total := PurchaseShares(entries, 2021, []string{"区财政局"})
	for _, s := range []PurchaseShare{got[0], total} {
		if bp := s.Share().BasisPoints(); !s.Met() || bp != Known(10000) {
			t.Errorf("PurchaseShares(1000 × 100 亿元) %s: met %v, %v basis points; want met, 10000", s.Unit, s.Met(), bp)
		}
	}
	if got := (Ratio{N: 1, D: 3}).BasisPoints(); got != Known(3333) {
		t.Errorf("Ratio{1, 3}.BasisPoints() = %v", got)
	}
	if got := (Ratio{N: -2, D: 3}).BasisPoints(); got != Known(-6667) {
		t.Errorf("Ratio{-2, 3}.BasisPoints() = %v", got)
	}
}

// TestRatioBasisPointsHuge: a rate of sums near the int64 bounds rounds as a small one does.
func TestRatioBasisPointsHuge(t *testing.T) {
	const big = 9_000_000_000_000_000_000
	for _, tc := range []struct {
		r    Ratio
		want int64
	}{
		{Ratio{big, big}, 10000}, {Ratio{big / 3, big}, 3333}, {Ratio{1, big}, 0}, {Ratio{-big, big}, -10000},
		{Ratio{900_000_000_000_000, big}, 1}, {Ratio{big, -big}, -10000},
	} {
		if got := tc.r.BasisPoints(); got != Known(tc.want) {
			t.Errorf("%+v.BasisPoints() = %v, want %d", tc.r, got, tc.want)
		}
	}
	if !(Ratio{3, 10}).AtLeast(3000) || (Ratio{2999, 10000}).AtLeast(3000) || (Ratio{1, 0}).AtLeast(0) || !(Ratio{big, big}).AtLeast(10000) {
		t.Error("Ratio.AtLeast")
	}
}

// TestPurchaseUnits: the units expected to report purchases are the responsible units of the
// year's per-unit purchase indicator (gg-06 in 2021), else the leading group's members.
func TestPurchaseUnits(t *testing.T) {
	members := []string{"区委办公室", "区审计局", "区财政局"}
	set := ShippedIndicators(2021)
	var gg06 []string
	for _, in := range set {
		if in.Code == "gg-06" {
			gg06 = in.Units
		}
	}
	if len(gg06) != 7 {
		t.Fatalf("the 2021 set's gg-06 has %d units, want 7", len(gg06))
	}
	if got := PurchaseUnits(set, members); !slices.Equal(got, gg06) {
		t.Errorf("2021 set: PurchaseUnits = %v, want gg-06's units %v", got, gg06)
	}
	// Without a per-unit purchase indicator (gg-06 withdrawn, or district-wide only): the members.
	var without []Indicator
	for _, in := range set {
		if in.Code != "gg-06" {
			without = append(without, in)
		}
	}
	if got := PurchaseUnits(without, members); !slices.Equal(got, members) {
		t.Errorf("without gg-06: PurchaseUnits = %v, want the members", got)
	}
	if got := PurchaseUnits(nil, members); !slices.Equal(got, members) {
		t.Errorf("empty set: PurchaseUnits = %v, want the members", got)
	}
	// A per-unit indicator over another source is not the purchases'.
	other := []Indicator{{Code: "x", Per: PerUnit, Units: []string{"区教委"}, Formula: `count(meetings)`}}
	if got := PurchaseUnits(other, members); !slices.Equal(got, members) {
		t.Errorf("a per-unit meetings indicator: PurchaseUnits = %v, want the members", got)
	}
}
