package xiezuo

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseProjectFilter(t *testing.T) {
	tests := []struct {
		query   string
		want    ProjectFilter
		wantErr string
	}{
		{"", ProjectFilter{}, ""},
		{"region=神农架林区&category=产业合作类&lead=区农业农村局&nature=新建", ProjectFilter{"神农架林区", "产业合作类", "区农业农村局", "新建"}, ""},
		{"lead_unit=区农业农村局", ProjectFilter{LeadUnit: "区农业农村局"}, ""},
		{"lead=区农业局", ProjectFilter{LeadUnit: "区农业农村局"}, ""},
		{"lead=区农业农村局&lead_unit=区农业农村局", ProjectFilter{LeadUnit: "区农业农村局"}, ""},
		{"region=+神农架林区+&nature=", ProjectFilter{Region: "神农架林区"}, ""},
		{"year=2021&district=门头沟区&msg=x", ProjectFilter{}, ""},
		{"region=神农架林区&region=内蒙古武川县", ProjectFilter{}, "“协作地区”只能选一个"},
		{"lead=区农业农村局&lead_unit=区人力社保局", ProjectFilter{}, "“项目牵头单位”只能选一个"},
		{"category=%01", ProjectFilter{}, "无法识别的字符"},
		{"nature=%FF", ProjectFilter{}, "无法识别的字符"},
		{"region=" + strings.Repeat("区", 201), ProjectFilter{}, "太长"},
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseProjectFilter(q)
		if tt.wantErr != "" {
			if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseProjectFilter(%q) error = %v, want %q", tt.query, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseProjectFilter(%q) = %+v, %v, want %+v", tt.query, got, err, tt.want)
		}
		// Values reads back to the same filter, under the canonical names only.
		back, err := ParseProjectFilter(got.Values())
		if err != nil || back != got || got.Values().Has("lead_unit") {
			t.Errorf("ParseProjectFilter(%q).Values() = %v reads back %+v, %v", tt.query, got.Values(), back, err)
		}
	}
}

// TestProjectFilterValuesDistinct: filters that differ have different Values, the cache key
// of their pages.
func TestProjectFilterValuesDistinct(t *testing.T) {
	fs := []ProjectFilter{{}, {Region: "a"}, {Category: "a"}, {LeadUnit: "a"}, {Nature: "a"}, {Region: "a", Nature: "b"}, {Region: "b", Nature: "a"}, {Region: "a&nature=b"}}
	seen := map[string]ProjectFilter{}
	for _, f := range fs {
		k := f.Values().Encode()
		if o, ok := seen[k]; ok {
			t.Errorf("%+v and %+v share the Values %q", f, o, k)
		}
		seen[k] = f
	}
}

func TestCombineVillages(t *testing.T) {
	n := func(v int64) Villages { return ExactVillages(v) }
	blank := RowVillages(Num{})
	tests := []struct {
		name     string
		parts    []Villages
		disjoint bool
		want     Villages
		shown    string
	}{
		{"none", nil, false, Villages{}, ""},
		{"one row", []Villages{n(3)}, false, n(3), "3"},
		{"rows that may share villages", []Villages{n(3), n(5)}, false, Villages{Min: 5, Max: 8, Known: true}, "5–8"},
		{"one row counts villages", []Villages{n(0), n(5)}, false, n(5), "5"},
		{"a blank row", []Villages{n(3), blank}, false, Villages{Min: 3, Max: 3, Open: true, Known: true}, "≥3"},
		{"all blank", []Villages{blank}, false, Villages{Open: true}, ""},
		{"regions share none", []Villages{n(3), {Min: 5, Max: 8, Known: true}}, true, Villages{Min: 8, Max: 11, Known: true}, "8–11"},
	}
	for _, tt := range tests {
		got := CombineVillages(tt.parts, tt.disjoint)
		if got != tt.want || got.String() != tt.shown {
			t.Errorf("CombineVillages(%s) = %+v %q, want %+v %q", tt.name, got, got.String(), tt.want, tt.shown)
		}
	}
	for _, tt := range []struct {
		v               Villages
		stated          int64
		tooFew, tooMany bool
	}{
		{Villages{Min: 5, Max: 8, Known: true}, 4, true, false},
		{Villages{Min: 5, Max: 8, Known: true}, 5, false, false},
		{Villages{Min: 5, Max: 8, Known: true}, 8, false, false},
		{Villages{Min: 5, Max: 8, Known: true}, 9, false, true},
		{Villages{Min: 5, Max: 5, Open: true, Known: true}, 9, false, false},
	} {
		if few, many := tt.v.Admits(tt.stated); few != tt.tooFew || many != tt.tooMany {
			t.Errorf("%+v.Admits(%d) = %v, %v, want %v, %v", tt.v, tt.stated, few, many, tt.tooFew, tt.tooMany)
		}
	}
}

// rollupPlan has two regions; 甲 has two categories, its 产业 category stated with 4 villages
// (its rows 3 and 2 may share some), the region stated with 6, the total with 9.
func rollupPlan() *Plan {
	pr := func(region, cat string, n int, lead, nature string, fund, villages, people int64) Project {
		return Project{Region: region, Category: cat, CategoryNumber: n, Name: region + cat + lead, LeadUnit: lead, Nature: nature,
			TotalInvestment: Known(fund * 2), DistrictFund: Known(fund), Villages: Known(villages), People: Known(people), Employed: Known(1)}
	}
	return &Plan{
		Projects: []Project{
			pr("甲", "产业", 1, "农业局", "新建", 100, 3, 10),
			pr("甲", "产业", 1, "科信局", "续建", 200, 2, 20),
			pr("甲", "劳务", 2, "人社局", "新建", 300, 1, 30),
			pr("乙", "产业", 1, "农业局", "新建", 400, 3, 40),
		},
		Subtotals: []Subtotal{
			{Level: LevelTotal, Villages: Known(9), DistrictFund: Known(1000)},
			{Level: LevelRegion, Region: "甲", Villages: Known(6), DistrictFund: Known(600)},
			{Level: LevelCategory, Region: "甲", Category: "产业", CategoryNumber: 1, Villages: Known(4), DistrictFund: Known(300)},
		},
	}
}

func TestRollup(t *testing.T) {
	type line struct {
		Label    string
		Fund     int64
		Villages string
		Whole    bool
		Stated   bool
	}
	tests := []struct {
		name   string
		filter ProjectFilter
		want   []line
	}{
		{"whole table: stated figures", ProjectFilter{}, []line{
			{"合计（4个）", 1000, "9", true, true},
			{"甲（3个）", 600, "6", true, true}, {"1. 产业（2个）", 300, "4", true, true}, {"2. 劳务（1个）", 300, "1", true, false},
			{"乙（1个）", 400, "3", true, false}, {"1. 产业（1个）", 400, "3", true, false},
		}},
		{"one region shown whole", ProjectFilter{Region: "甲"}, []line{
			{"合计（3个）", 600, "6", false, false},
			{"甲（3个）", 600, "6", true, true}, {"1. 产业（2个）", 300, "4", true, true}, {"2. 劳务（1个）", 300, "1", true, false},
		}},
		{"a cut category: between its largest row and the sum", ProjectFilter{Nature: "新建"}, []line{
			{"合计（3个）", 800, "6–7", false, false},
			{"甲（2个）", 400, "3–4", false, false}, {"1. 产业（1个）", 100, "3", false, false}, {"2. 劳务（1个）", 300, "1", true, false},
			{"乙（1个）", 400, "3", true, false}, {"1. 产业（1个）", 400, "3", true, false},
		}},
		{"a stated category bounds its cut region from below", ProjectFilter{Category: "产业"}, []line{
			{"合计（3个）", 700, "7", false, false},
			{"甲（2个）", 300, "4", false, false}, {"1. 产业（2个）", 300, "4", true, true},
			{"乙（1个）", 400, "3", true, false}, {"1. 产业（1个）", 400, "3", true, false},
		}},
		{"nothing kept", ProjectFilter{LeadUnit: "无此单位"}, []line{{"合计（0个）", 0, "", false, false}}},
	}
	for _, tt := range tests {
		tb := Rollup(rollupPlan(), tt.filter)
		var got []line
		add := func(g ProjectGroup) {
			got = append(got, line{g.Label(), g.Computed.DistrictFund.V, g.Villages().String(), g.Whole, g.Stated != nil})
		}
		add(tb.Total)
		for _, r := range tb.Regions {
			add(r.ProjectGroup)
			for _, c := range r.Categories {
				add(c)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Rollup(%s) mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestRollupFigure: the printed table writes the stated figures of a group shown whole, the
// computed ones of a group cut, and the least the villages can be.
func TestRollupFigure(t *testing.T) {
	p := rollupPlan()
	p.Subtotals[1].DistrictFund = Known(650) // stated, though its rows sum to 600
	tb := Rollup(p, ProjectFilter{})
	if _, fund, villages, _, _ := tb.Regions[0].Figure(); fund != Known(650) || villages != Known(6) {
		t.Errorf("Figure(甲 whole) = %v, %v, want the stated 650, 6", fund, villages)
	}
	tb = Rollup(p, ProjectFilter{Nature: "新建"})
	if _, fund, villages, _, _ := tb.Regions[0].Figure(); fund != Known(400) || villages != Known(3) {
		t.Errorf("Figure(甲 cut) = %v, %v, want the computed 400, at least 3", fund, villages)
	}
	if g := tb.Group(Subtotal{Level: LevelCategory, Region: "甲", Category: "劳务", CategoryNumber: 2}); len(g.Projects) != 1 {
		t.Errorf("Group(甲 劳务) = %d projects, want 1", len(g.Projects))
	}
	if g := tb.Group(Subtotal{Level: LevelRegion, Region: "丙"}); len(g.Projects) != 0 {
		t.Errorf("Group(丙) = %d projects, want none", len(g.Projects))
	}
}

func TestProjectFilterString(t *testing.T) {
	for _, tt := range []struct {
		f    ProjectFilter
		want string
	}{
		{ProjectFilter{}, ""},
		{ProjectFilter{Region: "神农架林区"}, "协作地区：神农架林区"},
		{ProjectFilter{LeadUnit: "区农业农村局", Nature: "新建"}, "项目牵头单位：区农业农村局，建设性质：新建"},
	} {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.f, got, tt.want)
		}
	}
}
