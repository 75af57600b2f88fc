package xiezuo

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func watchProject(id int64, region, category string, start, finish YearMonth, fund int64) Project {
	return Project{ID: id, Region: region, Category: category, Name: "项目" + string(rune('A'-1+id)),
		DistrictFund: Known(fund), TotalInvestment: Known(fund), Period: Period{Start: start, Finish: finish}}
}

func d21(m time.Month, d int) Date { return Date{2021, m, d} }

// watchPlan has four industrial projects (one of them cancelled below) and two others.
func watchPlan() *Plan {
	ym := func(m int) YearMonth { return YearMonth{2021, m} }
	return &Plan{Year: 2021, District: "门头沟区", Projects: []Project{
		watchProject(1, "内蒙古武川县", "产业合作类", ym(4), ym(6), 30*FenPerWan),
		watchProject(2, "内蒙古武川县", "产业合作类", ym(6), ym(10), 50*FenPerWan),
		watchProject(3, "内蒙古武川县", "产业发展类", ym(9), ym(12), 20*FenPerWan),
		watchProject(4, "内蒙古武川县", "消费帮扶类", ym(6), ym(8), 30*FenPerWan),
		watchProject(5, "神农架林区", "产业合作类", ym(8), ym(11), 22*FenPerWan),
		watchProject(6, "神农架林区", "劳务协作类", YearMonth{}, YearMonth{}, 48*FenPerWan),
	}}
}

func watchFacts() WatchFacts {
	return WatchFacts{
		Status: map[int64]ProjectStatus{1: StatusCompleted, 2: StatusSuspended, 4: StatusStarted, 5: StatusCancelled},
		// 2 started, then was suspended: it started all the same.
		StartedOn: map[int64]Date{1: d21(4, 20), 2: d21(6, 10), 4: d21(7, 2)},
	}
}

type lightOf struct {
	ID    int64
	Color string
	Days  int
	Text  string
}

func lightsOf(ps []ProjectWatch) []lightOf {
	var ls []lightOf
	for _, p := range ps {
		ls = append(ls, lightOf{p.ID, p.Light.Color.String(), p.Light.Days, p.Text})
	}
	return ls
}

func TestIndustrialStart(t *testing.T) {
	by := DefaultIndustrialStartBy(2021)
	tests := []struct {
		name   string
		asOf   Date
		by     Date
		facts  WatchFacts
		light  Light
		value  string
		note   string
		lights []lightOf
	}{
		{"well before", d21(8, 1), by, watchFacts(), Light{LightGreen, 60}, "按期开工 2/3 个（66.7%）", "已取消 1 个，不计入", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "green", 60, "未开工，还有 60 天开工截止（2021-09-30）"}}},
		{"within the month before", d21(9, 20), by, watchFacts(), Light{LightYellow, 10}, "按期开工 2/3 个（66.7%）", "已取消 1 个，不计入", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "yellow", 10, "未开工，10 天后开工截止（2021-09-30）"}}},
		{"on the day", by, by, watchFacts(), Light{LightYellow, 0}, "按期开工 2/3 个（66.7%）", "已取消 1 个，不计入", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "yellow", 0, "未开工，今天开工截止"}}},
		{"after the day", d21(10, 1), by, watchFacts(), Light{Color: LightRed}, "按期开工 2/3 个（66.7%）", "已取消 1 个，不计入", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "red", 0, "未开工，已过开工截止日 2021-09-30"}}},
		{"the office's later day", d21(10, 1), d21(10, 31), watchFacts(), Light{LightYellow, 30}, "按期开工 2/3 个（66.7%）", "已取消 1 个，不计入", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "yellow", 30, "未开工，30 天后开工截止（2021-10-31）"}}},
		{"all started, status only", d21(10, 1), by, WatchFacts{Status: map[int64]ProjectStatus{1: StatusStarted, 2: StatusAccepted, 3: StatusStarted, 5: StatusEvaluated}},
			Light{Color: LightGreen}, "按期开工 4/4 个（100.0%）", "", []lightOf{
				{1, "green", 0, "已开工"}, {2, "green", 0, "已开工"}, {3, "green", 0, "已开工"}, {5, "green", 0, "已开工"}}},
		{"started after the office's earlier day", d21(8, 1), d21(6, 1), watchFacts(), Light{Color: LightRed}, "按期开工 1/3 个（33.3%），逾期开工 1 个", "已取消 1 个，不计入", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "red", 0, "逾期开工：开工于 2021-06-10，晚于开工截止日 2021-06-01"},
			{3, "red", 0, "未开工，已过开工截止日 2021-06-01"}}},
		{"started on the day itself is on time", d21(8, 1), d21(6, 10), watchFacts(), Light{Color: LightRed}, "按期开工 2/3 个（66.7%）", "已取消 1 个，不计入", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "red", 0, "未开工，已过开工截止日 2021-06-10"}}},
		{"nothing known: all planned", d21(10, 1), by, WatchFacts{}, Light{Color: LightRed}, "按期开工 0/4 个（0.0%）", "", []lightOf{
			{1, "red", 0, "未开工，已过开工截止日 2021-09-30"}, {2, "red", 0, "未开工，已过开工截止日 2021-09-30"},
			{3, "red", 0, "未开工，已过开工截止日 2021-09-30"}, {5, "red", 0, "未开工，已过开工截止日 2021-09-30"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := IndustrialStart(watchPlan(), tt.facts, tt.by, tt.asOf)
			if r.Light != tt.light || r.Value != tt.value || r.Note != tt.note {
				t.Errorf("IndustrialStart() = %v %q %q, want %v %q %q", r.Light, r.Value, r.Note, tt.light, tt.value, tt.note)
			}
			if diff := cmp.Diff(tt.lights, lightsOf(r.Projects)); diff != "" {
				t.Errorf("IndustrialStart() projects (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIndustrialStartNone(t *testing.T) {
	p := &Plan{Year: 2021, Projects: []Project{watchProject(1, "神农架林区", "劳务协作类", YearMonth{}, YearMonth{}, 1)}}
	r := IndustrialStart(p, WatchFacts{}, DefaultIndustrialStartBy(2021), d21(10, 1))
	if r.Light.Color != LightOpen || r.Value != "本年计划没有产业类项目" {
		t.Errorf("IndustrialStart(no industrial project) = %v %q, want open 本年计划没有产业类项目", r.Light, r.Value)
	}
}

func TestIsIndustrial(t *testing.T) {
	for in, want := range map[string]bool{"产业合作类": true, "产业发展类": true, "产业帮扶": true, "消费帮扶类": false, "劳务协作类": false, "": false} {
		if got := IsIndustrial(in); got != want {
			t.Errorf("IsIndustrial(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseIndustrialStartBy(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		err  string
	}{
		{"2021-10-31", d21(10, 31), ""},
		{" 2022-03-31 ", Date{2022, 3, 31}, ""},
		{"2020-12-31", Date{}, "产业项目开工截止日 2020-12-31 不在 2021 年计划的年度内（应在 2021 年或 2022 年）"},
		{"9月30日", Date{}, "产业项目开工截止日“9月30日”无效，应写作 2021-09-30"},
	}
	for _, tt := range tests {
		got, err := ParseIndustrialStartBy(tt.in, 2021)
		if got != tt.want || ErrorMessage(err) != tt.err && !(err == nil && tt.err == "") {
			t.Errorf("ParseIndustrialStartBy(%q) = %v, %q, want %v, %q", tt.in, got, ErrorMessage(err), tt.want, tt.err)
		}
	}
}

func TestStartMonths(t *testing.T) {
	tests := []struct {
		name   string
		asOf   Date
		light  Light
		value  string
		lights []lightOf
	}{
		{"June", d21(6, 15), Light{LightYellow, 15}, "过了计划开工月份仍未开工 0 个", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "green", 107, "未开工，计划 2021年9月 开工"}, {4, "yellow", 15, "未开工，计划 2021年6月 开工，还有 15 天"},
			{6, "open", 0, "未开工，计划未写开工月份"}}},
		{"the month's last day", d21(6, 30), Light{LightYellow, 0}, "过了计划开工月份仍未开工 0 个", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "green", 92, "未开工，计划 2021年9月 开工"}, {4, "yellow", 0, "未开工，计划 2021年6月 开工，今天是该月最后一天"},
			{6, "open", 0, "未开工，计划未写开工月份"}}},
		{"July: 4 started late, 3 not due", d21(7, 2), Light{Color: LightGreen}, "过了计划开工月份仍未开工 0 个", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "green", 90, "未开工，计划 2021年9月 开工"}, {4, "green", 0, "已开工（2021-07-02）"},
			{6, "open", 0, "未开工，计划未写开工月份"}}},
		{"October", d21(10, 1), Light{Color: LightRed}, "过了计划开工月份仍未开工 1 个", []lightOf{
			{1, "green", 0, "已开工（2021-04-20）"}, {2, "green", 0, "已开工（2021-06-10）"},
			{3, "red", 0, "未开工，计划 2021年9月 开工，已过"}, {4, "green", 0, "已开工（2021-07-02）"},
			{6, "open", 0, "未开工，计划未写开工月份"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := watchFacts()
			if tt.asOf.Month < 7 {
				delete(f.Status, 4)
				delete(f.StartedOn, 4)
			}
			r := StartMonths(watchPlan(), f, tt.asOf)
			if r.Light != tt.light || r.Value != tt.value || r.Note != "已取消 1 个，不计入" {
				t.Errorf("StartMonths() = %v %q %q, want %v %q 已取消 1 个，不计入", r.Light, r.Value, r.Note, tt.light, tt.value)
			}
			if diff := cmp.Diff(tt.lights, lightsOf(r.Projects)); diff != "" {
				t.Errorf("StartMonths() projects (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompletion(t *testing.T) {
	r := Completion(watchPlan(), watchFacts(), d21(9, 1))
	want := []lightOf{
		{1, "green", 0, "已完工"}, {2, "green", 60, "暂停，计划 2021年10月 竣工"},
		{3, "green", 121, "计划，计划 2021年12月 竣工"}, {4, "red", 0, "已开工，计划 2021年8月 竣工，已过"},
		{6, "open", 0, "计划，计划未写竣工月份"},
	}
	if r.Light.Color != LightRed || r.Value != "已完工 1/5 个（20.0%）" || r.Note != "已取消 1 个，不计入" {
		t.Errorf("Completion() = %v %q %q, want red 已完工 1/5 个（20.0%%） 已取消 1 个，不计入", r.Light, r.Value, r.Note)
	}
	if diff := cmp.Diff(want, lightsOf(r.Projects)); diff != "" {
		t.Errorf("Completion() projects (-want +got):\n%s", diff)
	}
	if got := lightsOf(r.Due()); len(got) != 1 || got[0].ID != 4 {
		t.Errorf("Completion().Due() = %v, want project 4 only", got)
	}
}

func TestFundAgainstLastYear(t *testing.T) {
	last := &Plan{Year: 2020, Projects: []Project{
		watchProject(11, "内蒙古武川县", "产业合作类", YearMonth{}, YearMonth{}, 120*FenPerWan),
		watchProject(12, "神农架林区", "产业合作类", YearMonth{}, YearMonth{}, 80*FenPerWan),
		watchProject(13, "河北省张家口市", "产业合作类", YearMonth{}, YearMonth{}, 40*FenPerWan),
	}}
	type row struct {
		Region, Light, Text string
	}
	rows := func(r WatchRule) []row {
		var rs []row
		for _, f := range r.Funds {
			rs = append(rs, row{f.Region, f.Light.Color.String(), f.Text})
		}
		return rs
	}
	tests := []struct {
		name  string
		last  *Plan
		light LightColor
		note  string
		rows  []row
	}{
		// The value says it; the note does not say it again.
		{"no last plan", nil, LightOpen, "", []row{
			{"内蒙古武川县", "open", NoLastPlan}, {"神农架林区", "open", NoLastPlan}, {"合计", "open", NoLastPlan}}},
		// 2021: 武川 130 (> 120), 神农架 70 (< 80), total 200 (< 240).
		{"less than last year", last, LightRed, "", []row{
			{"内蒙古武川县", "green", "比上年多 10 万元"}, {"神农架林区", "red", "比上年少 10 万元"},
			{"河北省张家口市", "open", "本年计划无此地区（上年 40 万元）"}, {"合计", "red", "比上年少 40 万元"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := FundAgainstLastYear(watchPlan(), tt.last)
			if r.Light.Color != tt.light || r.Note != tt.note || tt.last == nil && r.Value != NoLastPlan {
				t.Errorf("FundAgainstLastYear() = %v %q, want %v %q", r.Light.Color, r.Note, tt.light, tt.note)
			}
			if diff := cmp.Diff(tt.rows, rows(r)); diff != "" {
				t.Errorf("FundAgainstLastYear() funds (-want +got):\n%s", diff)
			}
		})
	}
	// A region lower though the total grows is still red; a region new this year is not compared.
	grown := &Plan{Year: 2020, Projects: []Project{
		watchProject(11, "内蒙古武川县", "产业合作类", YearMonth{}, YearMonth{}, 100*FenPerWan),
		watchProject(12, "神农架林区", "产业合作类", YearMonth{}, YearMonth{}, 80*FenPerWan),
	}}
	r := FundAgainstLastYear(watchPlan(), grown)
	if r.Light.Color != LightRed || r.Value != "比上年多 20 万元" {
		t.Errorf("FundAgainstLastYear(a region lower) = %v %q, want red 比上年多 20 万元", r.Light.Color, r.Value)
	}
	blank := watchPlan()
	blank.Projects[5].DistrictFund = Num{}
	blank.Projects = blank.Projects[5:]
	r = FundAgainstLastYear(blank, grown)
	if got := rows(r); got[0] != (row{"神农架林区", "open", "本年金额未填，无法比较"}) {
		t.Errorf("FundAgainstLastYear(blank fund) = %v, want 神农架林区 open 本年金额未填，无法比较", got)
	}
	newRegion := &Plan{Year: 2020, Projects: grown.Projects[1:]}
	if got := rows(FundAgainstLastYear(watchPlan(), newRegion)); got[0] != (row{"内蒙古武川县", "open", "上年计划无此地区，无法比较"}) {
		t.Errorf("FundAgainstLastYear(new region) = %v, want 内蒙古武川县 open 上年计划无此地区，无法比较", got)
	}
}

func TestDisbursementRate(t *testing.T) {
	for _, tt := range []struct {
		l    LiveFigures
		rate float64
		ok   bool
	}{
		{LiveFigures{Allocated: 0, Disbursed: 0}, 0, false},
		{LiveFigures{Allocated: 100, Disbursed: 25}, 0.25, true},
		{LiveFigures{Allocated: 100, Disbursed: 0}, 0, true},
	} {
		if rate, ok := tt.l.DisbursementRate(); rate != tt.rate || ok != tt.ok {
			t.Errorf("%+v.DisbursementRate() = %v, %v, want %v, %v", tt.l, rate, ok, tt.rate, tt.ok)
		}
	}
}

func TestWatchRuleWords(t *testing.T) {
	red, yellow, green := ProjectWatch{Light: Light{Color: LightRed}}, ProjectWatch{Light: Light{Color: LightYellow, Days: 3}}, ProjectWatch{Light: Light{Color: LightGreen}}
	for _, tt := range []struct {
		name       string
		r          WatchRule
		word, text string
	}{
		{"industrial, green with days left", WatchRule{ID: WatchIndustrialStart, Light: Light{LightGreen, 12}, Projects: []ProjectWatch{green}}, "正常", "还有 12 天"},
		{"industrial, all started", WatchRule{ID: WatchIndustrialStart, Light: Light{Color: LightGreen}, Projects: []ProjectWatch{green}}, "正常", ""},
		{"start months, red and yellow", WatchRule{ID: WatchStartMonth, Light: Light{Color: LightRed}, Projects: []ProjectWatch{red, red, yellow, green}}, "逾期", "逾期 2 个，临期 1 个"},
		{"no industrial project", WatchRule{ID: WatchIndustrialStart, Light: Light{Color: LightOpen}}, "不适用", ""},
		{"fund without last year", WatchRule{ID: WatchDistrictFund, Light: Light{Color: LightOpen}}, "无法比较", ""},
	} {
		if w, x := tt.r.LightWord(), tt.r.LightText(); w != tt.word || x != tt.text {
			t.Errorf("%s: LightWord, LightText = %q, %q; want %q, %q", tt.name, w, x, tt.word, tt.text)
		}
	}
	if w := (FundCompare{Light: Light{Color: LightOpen}}).LightWord(); w != "无法比较" {
		t.Errorf("FundCompare open = %q, want 无法比较", w)
	}
	if w := (FundCompare{Light: Light{Color: LightRed}}).LightWord(); w != "低于上年" {
		t.Errorf("FundCompare red = %q, want 低于上年", w)
	}
	if w := (WatchRule{ID: WatchDistrictFund, Light: Light{Color: LightGreen}}).LightWord(); w != "不低于上年" {
		t.Errorf("fund rule green = %q, want 不低于上年", w)
	}
}
