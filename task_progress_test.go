package xiezuo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTasksProgress is the table of the task list's status columns as of a day: the light in
// words, the latest report to the office and the office's decision, the latest accepted text.
func TestTasksProgress(t *testing.T) {
	task := func(id int64, due string) Task {
		return Task{ID: id, Number: int(id), WorkItem: "组织领导", Category: "事项", Deadline: Deadline{Text: due, Dates: []Date{day(due)}}}
	}
	p := &Plan{Year: 2021, District: "门头沟区", IssuedOn: day("2021-06-01"), Tasks: []Task{
		task(1, "2021-10-31"), task(2, "2021-06-30"), task(3, "2021-09-02"), task(4, "2021-10-31"), task(5, "2021-10-31"), task(6, "2021-10-31"),
		task(7, "2021-10-31"), task(8, "2021-06-30"), task(9, "2021-10-31"),
	}}
	key := func(id int64) DutyKey { return DutyKey{DutyTask, id} }
	version := func(n int, text, when string) ReportVersion {
		return ReportVersion{Version: n, State: ReportSubmitted, Values: ReportValues{Text: text}, At: at(when)}
	}
	review := func(n int, d Decision, when string) Review { return Review{Version: n, Decision: d, At: at(when)} }
	reports := []Report{
		// Task 1: accepted in July, a second report in August not reviewed yet.
		{ID: 1, Duty: key(1), Unit: "区财政局", Versions: []ReportVersion{version(1, "七月已完成部署。", "2021-07-10 10:00")},
			Reviews: []Review{review(1, DecisionAccept, "2021-07-12 09:00")}},
		{ID: 2, Duty: key(1), Unit: "区财政局", Versions: []ReportVersion{version(1, "八月继续推进。", "2021-08-01 10:00")}},
		// Task 4: version 1 returned, version 2 accepted; closed on 20 August.
		{ID: 3, Duty: key(4), Unit: "区商务局", Versions: []ReportVersion{version(1, "初稿。", "2021-07-01 10:00"), version(2, "已完成采购 30%。", "2021-07-05 10:00")},
			Reviews: []Review{review(1, DecisionReturn, "2021-07-02 10:00"), review(2, DecisionAccept, "2021-07-06 10:00")}},
		// Task 5: returned; and accepted only after the day shown.
		{ID: 4, Duty: key(5), Unit: "区教委", Versions: []ReportVersion{version(1, "已结对 3 所学校。", "2021-08-02 10:00")},
			Reviews: []Review{review(1, DecisionReturn, "2021-08-03 10:00")}},
		{ID: 5, Duty: key(5), Unit: "区教委", Versions: []ReportVersion{version(1, "已结对 5 所学校。", "2021-08-30 10:00")},
			Reviews: []Review{review(1, DecisionAccept, "2021-09-01 10:00")}},
		// Task 6: a cooperating unit's report to its lead unit, accepted by it: not the office's.
		{ID: 6, Duty: key(6), Unit: "区国资委", ToUnit: "区商务局", Versions: []ReportVersion{version(1, "配合完成。", "2021-07-20 10:00")},
			Reviews: []Review{review(1, DecisionAccept, "2021-07-21 10:00")}},
		// Task 7: 区政府办公室's report returned and not reported again; 区财政局's later report waits
		// for review. The status says a report waits to be redone, and the review says whose.
		{ID: 7, Duty: key(7), Unit: "区政府办公室", Versions: []ReportVersion{version(1, "已部署。", "2021-07-30 10:00")},
			Reviews: []Review{review(1, DecisionReturn, "2021-08-02 10:00")}},
		{ID: 8, Duty: key(7), Unit: "区财政局", Versions: []ReportVersion{version(1, "已拨付。", "2021-08-20 10:00")}},
		// Task 8: due at the end of June, reported in June and accepted: waits for 销号.
		{ID: 9, Duty: key(8), Unit: "区委组织部", Versions: []ReportVersion{version(1, "已整改。", "2021-06-20 10:00")},
			Reviews: []Review{review(1, DecisionAccept, "2021-06-22 10:00")}},
		// Task 9: the latest report is the one returned.
		{ID: 10, Duty: key(9), Unit: "区民政局", Versions: []ReportVersion{version(1, "草拟中。", "2021-08-10 10:00")},
			Reviews: []Review{review(1, DecisionReturn, "2021-08-11 10:00")}},
	}
	closures := []Closure{{Duty: key(4), Closed: true, At: at("2021-08-20 10:00")}}
	b := Supervise(p, Groups{}, DefaultCadence(), reports, closures, at("2021-08-31"))
	var got []string
	for _, tp := range TasksProgress(&b, reports) {
		last := ""
		if tp.Last != nil {
			last = DayOf(tp.Last.SubmittedAt).String()
		}
		got = append(got, tp.StatusWord()+"|"+last+"|"+tp.ReviewWord()+"|"+tp.Accepted)
	}
	want := []string{
		"本期已报（10月31日 为最后一期）|2021-08-01|待审核|七月已完成部署。",
		"逾期未报（应于 6月30日 前报送）|||",
		"2 天后到期（9月2日）|||",
		"已销号|2021-07-05|已通过|已完成采购 30%。",
		"本期已报（10月31日 为最后一期）|2021-08-30|待审核|",
		"正常（下次 10月31日）|||",
		"已报（被退回，待重报）|2021-08-20|待审核；区政府办公室的报告被退回，待重报|",
		"已按期报送，待销号|2021-06-20|已通过|已整改。",
		"已报（被退回，待重报）|2021-08-10|已退回，待重报|",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TasksProgress as of 2021-08-31 (-want +got):\n%s", diff)
	}
	// A day later task 5's report is accepted.
	b = Supervise(p, Groups{}, DefaultCadence(), reports, closures, at("2021-09-01"))
	if tp := TasksProgress(&b, reports)[4]; tp.ReviewWord() != "已通过" || tp.Accepted != "已结对 5 所学校。" || DayOf(tp.AcceptedAt) != day("2021-09-01") {
		t.Errorf("TasksProgress as of 2021-09-01, task 5 = %s %q %v, want 已通过 and the text accepted that day", tp.ReviewWord(), tp.Accepted, tp.AcceptedAt)
	}
}
