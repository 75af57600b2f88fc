package xiezuo

import (
	"testing"
	"time"
)

// TestDutyLightDueDay: a due date passes only after its day has ended, so the view as of a day
// (the end of that day) shows what the live page showed that day: yellow 今天到期 on the due
// day itself, red from the next day; a period already reported says so and names the next due
// date; a returned report (the unit's latest) still counts for the light but says it waits to be
// reported again.
func TestDutyLightDueDay(t *testing.T) {
	due := []Date{day("2021-08-15"), day("2021-09-15"), day("2021-10-15")}
	r := func(events ...string) []Report { return []Report{report(1, "区财政局", "", events...)} }
	tests := []struct {
		name    string
		reports []Report
		asOf    string
		want    LightColor
		text    string
	}{
		{"9月15日上午（实时）：今天到期", r("2021-08-10 10:00"), "2021-09-15 10:00", LightYellow, "今天到期（9月15日）"},
		{"查看 9月15日（当日结束）：仍是今天到期", r("2021-08-10 10:00"), "2021-09-15", LightYellow, "今天到期（9月15日）"},
		{"9月16日：逾期", r("2021-08-10 10:00"), "2021-09-16", LightRed, "逾期未报（应于 9月15日 前报送）"},
		{"9月9日已报，9月15日上午：本期已报", r("2021-08-10 10:00", "2021-09-09 10:00"), "2021-09-15 10:00", LightGreen, "本期已报（下次 10月15日）"},
		{"9月9日已报，查看 9月15日：本期已报", r("2021-08-10 10:00", "2021-09-09 10:00"), "2021-09-15", LightGreen, "本期已报（下次 10月15日）"},
		{"9月9日已报，9月10日：本期已报", r("2021-08-10 10:00", "2021-09-09 10:00"), "2021-09-10", LightGreen, "本期已报（下次 10月15日）"},
		{"9月16日：下次 10月15日", r("2021-08-10 10:00", "2021-09-09 10:00"), "2021-09-16", LightGreen, "正常（下次 10月15日）"},
		{"最后一期已报", r("2021-10-09 10:00"), "2021-10-10", LightGreen, "本期已报（10月15日 为最后一期）"},
		{"本期报告被退回：已报待重报", []Report{report(1, "区财政局", "", "2021-08-10 10:00", "2021-09-09 10:00", "return@2021-09-10 09:00")}, "2021-09-10", LightGreen, "已报（被退回，待重报；下次 10月15日）"},
		{"退回后重报：本期已报", []Report{report(1, "区财政局", "", "2021-09-09 10:00", "return@2021-09-10 09:00", "2021-09-11 09:00")}, "2021-09-12", LightGreen, "本期已报（下次 10月15日）"},
		{"8月报告被退回、9月另报新报告：不再待重报", []Report{report(1, "区财政局", "", "2021-08-10 10:00", "return@2021-08-12 09:00"), report(2, "区财政局", "", "2021-09-09 10:00")}, "2021-09-12", LightGreen, "本期已报（下次 10月15日）"},
		{"8月报告被退回，9月1日：已报待重报", []Report{report(1, "区财政局", "", "2021-08-10 10:00", "return@2021-08-12 09:00")}, "2021-09-01", LightGreen, "已报（被退回，待重报；下次 9月15日）"},
	}
	for _, tt := range tests {
		got := DutyLight(Track{Due: due, Reports: tt.reports}, at(tt.asOf), 3)
		if got.Light.Color != tt.want || got.Text() != tt.text {
			t.Errorf("DutyLight(%s) = %v %q, want %v %q", tt.name, got.Light.Color, got.Text(), tt.want, tt.text)
		}
	}
}

// TestToRedo: only a unit's latest report on a duty waits to be reported again; the reminders
// follow the same rule as the to-do list.
func TestToRedo(t *testing.T) {
	aug := report(1, "区财政局", "", "2021-08-10 10:00", "return@2021-08-12 09:00")
	sep := report(2, "区财政局", "", "2021-09-09 10:00")
	other := report(3, "区人力社保局", "", "2021-08-10 10:00", "return@2021-08-12 09:00")
	tests := []struct {
		name string
		rs   []Report
		asOf string
		want []int64
	}{
		{"被退回，未重报", []Report{aug, other}, "2021-09-01", []int64{1, 3}},
		{"另报新报告后：旧报告不再待重报", []Report{aug, sep, other}, "2021-09-10", []int64{3}},
		{"查看新报告之前的日子：仍待重报", []Report{sep, aug}, "2021-09-01", []int64{1}},
	}
	for _, tt := range tests {
		var got []int64
		for _, i := range ToRedo(tt.rs, at(tt.asOf), nil) {
			got = append(got, tt.rs[i].ID)
		}
		if len(got) != len(tt.want) || (len(got) > 0 && !equalIDs(got, tt.want)) {
			t.Errorf("ToRedo(%s) = %v, want %v", tt.name, got, tt.want)
		}
		b := &Board{District: "和林格尔县", AsOf: at(tt.asOf)}
		n := 0
		for _, rm := range BoardReminders(b, tt.rs) {
			if rm.Kind == ReminderReturned {
				n++
			}
		}
		if n != len(tt.want) {
			t.Errorf("BoardReminders(%s): %d returned reminders, want %d", tt.name, n, len(tt.want))
		}
	}
	_ = time.Time{}
}

func equalIDs(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}
