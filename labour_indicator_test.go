package xiezuo_test

import (
	"strings"
	"testing"
	"time"

	"xiezuo"
)

// labourRow is the row of code in a scorecard.
func labourRow(t *testing.T, card xiezuo.Scorecard, code string) xiezuo.IndicatorScore {
	t.Helper()
	for _, r := range card.Rows() {
		if r.Indicator.Code == code {
			return r
		}
	}
	t.Fatalf("no row %s", code)
	return xiezuo.IndicatorScore{}
}

// TestPlacementsChangeIndicators: recording a placement changes the labour indicators; a
// correction, an end and a withdrawal change them as they should, as of the day asked.
func TestPlacementsChangeIndicators(t *testing.T) {
	d := fixture2021(t)
	region := d.Plan.Regions[0].Name
	d.Placements = nil
	set := xiezuo.ShippedIndicators(2021)
	values := func(d xiezuo.ScoreData, asOf string) string {
		card := xiezuo.Score(set, d, pday(asOf), xiezuo.ByDimension)
		var out []string
		for _, c := range []string{"gg-07", "gg-08", "gg-09", "gg-10"} {
			out = append(out, labourRow(t, card, c).Value.String())
		}
		return strings.Join(out, " ")
	}
	if got := values(d, "2021-12-31"); got != "0 0 0 0" {
		t.Fatalf("no placement: %s, want 0 0 0 0", got)
	}
	poor := xiezuo.Placement{ID: 1, PersonID: 1, Employer: "北京某物业公司", PlaceCode: "110109", Start: pday("2021-06-01"),
		Poor: xiezuo.PoorLifted, HomeCode: "150125", Region: region, Source: xiezuo.PlacementFromMatch, Name: "张*"}
	d.Placements = []xiezuo.Placement{poor}
	for _, tc := range []struct{ asOf, want string }{
		{"2021-05-31", "0 0 0 0"}, // not begun
		{"2021-06-01", "1 1 0 0"},
		{"2021-08-31", "1 1 0 0"}, // two months and 30 days
		{"2021-09-01", "1 1 0 1"}, // stable
		{"2021-12-31", "1 1 0 1"},
	} {
		if got := values(d, tc.asOf); got != tc.want {
			t.Errorf("one poor placement in Beijing as of %s: %s, want %s", tc.asOf, got, tc.want)
		}
	}
	// A correction moves it to the home province (就地就近); an end before three months makes it
	// never stable; a withdrawal takes it out.
	corr := poor
	corr.ID, corr.Supersedes, corr.PlaceCode = 2, 1, "150102"
	d.Placements = []xiezuo.Placement{poor, corr}
	if got := values(d, "2021-12-31"); got != "1 1 1 1" {
		t.Errorf("corrected to the home province: %s, want 1 1 1 1", got)
	}
	end := corr
	end.ID, end.Supersedes, end.End = 3, 2, pday("2021-08-15")
	d.Placements = []xiezuo.Placement{poor, corr, end}
	if got := values(d, "2021-12-31"); got != "1 1 1 0" {
		t.Errorf("ended before three months: %s, want 1 1 1 0", got)
	}
	wd := end
	wd.ID, wd.Supersedes, wd.Withdrawn = 4, 3, true
	d.Placements = []xiezuo.Placement{poor, corr, end, wd}
	if got := values(d, "2021-12-31"); got != "0 0 0 0" {
		t.Errorf("withdrawn: %s, want 0 0 0 0", got)
	}
	// A placement of 2020 that went on into 2021 counts in 2021; one that ended in 2020 does not.
	old := xiezuo.Placement{ID: 10, PersonID: 2, Employer: "甲", PlaceCode: "110109", Start: pday("2020-10-01"), HomeCode: "150125", Region: region}
	gone := xiezuo.Placement{ID: 11, PersonID: 3, Employer: "乙", PlaceCode: "110109", Start: pday("2020-03-01"), End: pday("2020-12-31"), HomeCode: "150125", Region: region}
	d.Placements = []xiezuo.Placement{old, gone}
	if got := values(d, "2021-01-15"); got != "1 0 0 1" {
		t.Errorf("a placement from 2020 still at work: %s, want 1 0 0 1", got)
	}

	// The evidence names the placement by the masked name, employer and start, and the person.
	d.Placements = []xiezuo.Placement{poor}
	card := xiezuo.Score(set, d, pday("2021-12-31"), xiezuo.ByDimension)
	r := labourRow(t, card, "gg-07")
	if len(r.Evidence) != 1 || r.Evidence[0] != (xiezuo.EvidenceRef{Kind: "placement", ID: 1, Title: "张* · 北京某物业公司 · 2021-06-01", On: "2021-06-01", Person: 1}) {
		t.Errorf("gg-07 evidence = %+v", r.Evidence)
	}
	if r.Evidence[0].KindName() != "就业" {
		t.Errorf("KindName = %q, want 就业", r.Evidence[0].KindName())
	}
	items := xiezuo.DescribeEvidence(d, r.Evidence[0], nil)
	if len(items) != 1 || !strings.Contains(items[0].Text, "就业单位：北京某物业公司") || !strings.Contains(items[0].Text, "姓名：张*") {
		t.Errorf("DescribeEvidence(placement) = %+v", items)
	}

	// By region: the district-wide labour indicators show the region's value.
	byRegion := xiezuo.Score(set, d, pday("2021-12-31"), xiezuo.ByRegion)
	found := false
	for _, g := range byRegion.Groups {
		for _, row := range g.Rows {
			if row.Indicator.Code == "gg-07" {
				want := "0"
				if g.Name == region {
					want, found = "1", true
				}
				if row.Value.String() != want {
					t.Errorf("gg-07 in %s = %s, want %s", g.Name, row.Value, want)
				}
			}
		}
	}
	if !found {
		t.Errorf("gg-07 not in the scorecard of %s", region)
	}
}

// TestPlacementsTrendAsRecorded: the trend (30 days before) reads the placements as they were
// recorded by then, when the data carries its rows.
func TestPlacementsTrendAsRecorded(t *testing.T) {
	d := fixture2021(t)
	d.Rows = d.Entries
	d.At = xiezuo.ScoreAt(pday("2021-12-31"))
	rec := func(s string) time.Time { return xiezuo.ScoreAt(pday(s)).Add(-time.Hour) }
	d.Placements = []xiezuo.Placement{
		{ID: 1, PersonID: 1, Employer: "甲", PlaceCode: "110109", Start: pday("2021-03-01"), RecordedAt: rec("2021-03-02")},
		// Recorded late (after the trend day) for a start in March.
		{ID: 2, PersonID: 2, Employer: "乙", PlaceCode: "110109", Start: pday("2021-03-01"), RecordedAt: rec("2021-12-20")},
	}
	card := xiezuo.Score(xiezuo.ShippedIndicators(2021), d, pday("2021-12-31"), xiezuo.ByDimension)
	r := labourRow(t, card, "gg-07")
	if r.Value.String() != "2" || r.Trend.String() != "1" {
		t.Errorf("gg-07 = %s (trend %s), want 2 (trend 1)", r.Value, r.Trend)
	}
}

func TestPlacementFormulas(t *testing.T) {
	for _, ok := range []string{
		`count(placements)`,
		`count(placements where kind = "赴京就业" and poor = "是")`,
		`sum(placements.months where stable = "是")`,
		`distinct(placements.region where start >= "2021-06-01")`,
		`count(placements where source = "match" and end <= today)`,
	} {
		if _, err := xiezuo.ParseFormula(ok); err != nil {
			t.Errorf("ParseFormula(%q) = %v", ok, err)
		}
	}
	for _, tc := range []struct{ formula, want string }{
		{`count(placements where kind = "赴京")`, "就业类型没有“赴京”这个选项"},
		{`count(placements where poor = "脱贫人口")`, "脱贫劳动力没有“脱贫人口”这个选项"},
		{`sum(placements.kind)`, "不是数字"},
		{`count(placement)`, "placements（劳务协作就业）"},
	} {
		_, err := xiezuo.ParseFormula(tc.formula)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseFormula(%q) = %v, want an error saying %q", tc.formula, err, tc.want)
		}
	}
}
