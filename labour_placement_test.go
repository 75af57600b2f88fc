package xiezuo_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

func pday(s string) xiezuo.Date {
	d, err := xiezuo.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPlacementKind(t *testing.T) {
	for _, tc := range []struct{ home, place, want string }{
		{"150125", "110109", xiezuo.PlaceBeijing},          // 武川县 → 门头沟区
		{"150125203201", "110109001", xiezuo.PlaceBeijing}, // village and town codes
		{"", "110105", xiezuo.PlaceBeijing},                // Beijing whatever the home
		{"110105", "110109", xiezuo.PlaceBeijing},          // a Beijing home working in Beijing
		{"150125", "150102", xiezuo.PlaceLocal},            // 呼和浩特 in the home province
		{"150125", "120101", xiezuo.PlaceOutside},          // 天津
		{"522624", "440305", xiezuo.PlaceOutside},          // an abolished county's code still reads its province
		{"", "150102", ""},                                 // home unknown, not Beijing
		{"150125", "", ""},                                 // place unknown
		{"15", "1", ""},
		{"ab0125", "150102", ""},
		{"000000", "150102", ""},
	} {
		if got := xiezuo.PlacementKind(tc.home, tc.place); got != tc.want {
			t.Errorf("PlacementKind(%q, %q) = %q, want %q", tc.home, tc.place, got, tc.want)
		}
	}
}

func TestPlacementStableAt(t *testing.T) {
	for _, tc := range []struct {
		name       string
		start, end string
		withdrawn  bool
		at         string
		months     int
		stable     bool
	}{
		{"three calendar months from the 31st", "2021-05-31", "", false, "2021-08-31", 3, true},
		{"a day short", "2021-05-31", "", false, "2021-08-30", 2, false},
		{"from the 30th of November to February's end", "2021-11-30", "", false, "2022-02-28", 3, true},
		{"from the 30th of November, a day short", "2021-11-30", "", false, "2022-02-27", 2, false},
		{"from the first", "2021-06-01", "", false, "2021-09-01", 3, true},
		{"not begun", "2021-09-01", "", false, "2021-08-31", 0, false},
		{"begun today", "2021-09-01", "", false, "2021-09-01", 0, false},
		{"ended before three months: never stable", "2021-05-01", "2021-07-31", false, "2021-12-31", 2, false},
		{"ended on the third month's day", "2021-05-01", "2021-08-01", false, "2021-12-31", 3, true},
		{"stable then ended", "2021-01-15", "2021-06-30", false, "2021-12-31", 5, true},
		{"the end in the future does not shorten", "2021-01-15", "2022-06-30", false, "2021-04-15", 3, true},
		{"withdrawn", "2021-01-01", "", true, "2021-12-31", 0, false},
		{"no start", "", "", false, "2021-12-31", 0, false},
		{"a year", "2020-12-31", "", false, "2021-12-31", 12, true},
	} {
		p := xiezuo.Placement{Withdrawn: tc.withdrawn}
		if tc.start != "" {
			p.Start = pday(tc.start)
		}
		if tc.end != "" {
			p.End = pday(tc.end)
		}
		if got := p.MonthsAt(pday(tc.at)); got != tc.months {
			t.Errorf("%s: MonthsAt(%s) = %d, want %d", tc.name, tc.at, got, tc.months)
		}
		if got := p.StableAt(pday(tc.at)); got != tc.stable {
			t.Errorf("%s: StableAt(%s) = %v, want %v", tc.name, tc.at, got, tc.stable)
		}
	}
}

func TestPlacementAtWork(t *testing.T) {
	p := xiezuo.Placement{Start: pday("2021-03-01"), End: pday("2021-06-30")}
	for _, tc := range []struct {
		at   string
		want bool
	}{{"2021-02-28", false}, {"2021-03-01", true}, {"2021-06-30", true}, {"2021-07-01", false}} {
		if got := p.AtWork(pday(tc.at)); got != tc.want {
			t.Errorf("AtWork(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
}

func TestCurrentPlacements(t *testing.T) {
	rec := func(s string) time.Time { // recorded at noon Beijing time
		d := pday(s)
		return time.Date(d.Year, d.Month, d.Day, 4, 0, 0, 0, time.UTC)
	}
	all := []xiezuo.Placement{
		{ID: 1, PersonID: 10, Employer: "甲公司", Start: pday("2021-03-01"), RecordedAt: rec("2021-03-02")},
		{ID: 2, PersonID: 11, Employer: "乙公司", Start: pday("2021-04-01"), RecordedAt: rec("2021-04-02")},
		// A correction of 1, then its end: the chain 1 → 3 → 5.
		{ID: 3, PersonID: 10, Employer: "甲公司（更正）", Start: pday("2021-03-01"), Supersedes: 1, RecordedAt: rec("2021-05-01")},
		// 2 withdrawn.
		{ID: 4, PersonID: 11, Employer: "乙公司", Start: pday("2021-04-01"), Supersedes: 2, Withdrawn: true, RecordedAt: rec("2021-06-01")},
		{ID: 5, PersonID: 10, Employer: "甲公司（更正）", Start: pday("2021-03-01"), End: pday("2021-07-31"), Supersedes: 3, RecordedAt: rec("2021-08-01")},
		// A new placement of person 10, a chain of its own.
		{ID: 6, PersonID: 10, Employer: "丙公司", Start: pday("2021-08-15"), RecordedAt: rec("2021-08-16")},
	}
	ids := func(ps []xiezuo.Placement) []int64 {
		out := []int64{}
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	for _, tc := range []struct {
		at   string
		want []int64
	}{
		{"2021-03-01", []int64{}},
		{"2021-03-02", []int64{1}},
		{"2021-04-30", []int64{1, 2}},
		{"2021-05-01", []int64{3, 2}},
		{"2021-06-01", []int64{3}}, // the withdrawn chain is not current
		{"2021-08-01", []int64{5}},
		{"2021-12-31", []int64{5, 6}},
	} {
		got := ids(xiezuo.CurrentPlacements(all, pday(tc.at)))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("CurrentPlacements(%s) ids (-want +got):\n%s", tc.at, diff)
		}
	}
	// Recorded late in the evening Beijing time (16:30 UTC is 00:30 the next day there).
	late := []xiezuo.Placement{{ID: 1, Start: pday("2021-03-01"), RecordedAt: time.Date(2021, 3, 1, 16, 30, 0, 0, time.UTC)}}
	if got := xiezuo.CurrentPlacements(late, pday("2021-03-01")); len(got) != 0 {
		t.Errorf("CurrentPlacements: a row recorded on 2 March Beijing time counts on 1 March")
	}
	if got := xiezuo.CurrentPlacements(late, pday("2021-03-02")); len(got) != 1 {
		t.Errorf("CurrentPlacements: a row recorded on 2 March does not count that day")
	}
	// Two corrections of the same row (a branch): the latest recorded wins; rows without ids
	// are chains of their own.
	branch := []xiezuo.Placement{
		{ID: 1, Start: pday("2021-03-01"), RecordedAt: rec("2021-03-01")},
		{ID: 2, Supersedes: 1, Start: pday("2021-03-02"), RecordedAt: rec("2021-03-05")},
		{ID: 3, Supersedes: 1, Start: pday("2021-03-03"), RecordedAt: rec("2021-03-04")},
		{Start: pday("2021-05-01")},
		{Start: pday("2021-06-01")},
	}
	got := xiezuo.CurrentPlacements(branch, pday("2021-12-31"))
	if len(got) != 3 || got[0].ID != 2 || got[1].Start != pday("2021-05-01") || got[2].Start != pday("2021-06-01") {
		t.Errorf("CurrentPlacements(branch) = %+v, want 2 and the two rows without ids", got)
	}
	if got := xiezuo.PlacementsAt(all, time.Time{}); len(got) != 2 {
		t.Errorf("PlacementsAt(all, zero) = %d placements, want 2 (5 and 6)", len(got))
	}
}
