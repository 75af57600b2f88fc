package xiezuo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

func TestParseDutyKey(t *testing.T) {
	for _, c := range []struct {
		in   string
		want xiezuo.DutyKey
		bad  bool
	}{
		{in: "point-12", want: xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: 12}},
		{in: "task-3", want: xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: 3}},
		{in: "project-45", want: xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: 45}},
		{in: "task-0", bad: true},
		{in: "task--3", bad: true},
		{in: "team-3", bad: true},
		{in: "task3", bad: true},
		{in: "", bad: true},
		{in: "task-99999999999999999999", bad: true},
	} {
		got, err := xiezuo.ParseDutyKey(c.in)
		if c.bad {
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID {
				t.Errorf("ParseDutyKey(%q) = %v, %v; want EINVALID", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want || got.String() != c.in {
			t.Errorf("ParseDutyKey(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if got := xiezuo.DutyPoint.APIKind(); got != "work_point" {
		t.Errorf("DutyPoint.APIKind() = %q, want work_point", got)
	}
}

func TestCheckReport(t *testing.T) {
	specs := []xiezuo.FigureSpec{{Key: "r1", Label: "召开会议", Unit: "次"}, {Key: "r2", Label: "金额", Unit: "万元"}, {Key: "r4", Label: "开工率", Unit: "%"}}
	pct := func(n int) *int { return &n }
	for _, c := range []struct {
		name string
		in   xiezuo.ReportInput
		want xiezuo.ReportValues
		err  string // part of the message when refused
	}{
		{name: "text only", in: xiezuo.ReportInput{Text: " 已召开 "}, want: xiezuo.ReportValues{Text: "已召开"}},
		{name: "percent and figures", in: xiezuo.ReportInput{Text: "x", Percent: "60%", Figures: map[string]string{"r1": "2", "r2": "12.5"}},
			want: xiezuo.ReportValues{Text: "x", Percent: pct(60), Figures: []xiezuo.Figure{{Key: "r1", Value: 2}, {Key: "r2", Value: 12_500_000}}}},
		{name: "blank figure is not reported", in: xiezuo.ReportInput{Text: "x", Figures: map[string]string{"r1": " "}}, want: xiezuo.ReportValues{Text: "x"}},
		{name: "zero is a figure", in: xiezuo.ReportInput{Text: "x", Percent: "0", Figures: map[string]string{"r1": "0"}},
			want: xiezuo.ReportValues{Text: "x", Percent: pct(0), Figures: []xiezuo.Figure{{Key: "r1", Value: 0}}}},
		{name: "empty text", in: xiezuo.ReportInput{Text: "  "}, err: "请填写进展情况"},
		{name: "percent 140", in: xiezuo.ReportInput{Text: "x", Percent: "140"}, err: "形象进度 140% 超出范围"},
		{name: "percent not a number", in: xiezuo.ReportInput{Text: "x", Percent: "六十"}, err: "形象进度“六十”不是整数"},
		{name: "figure not a number", in: xiezuo.ReportInput{Text: "x", Figures: map[string]string{"r1": "abc"}}, err: "召开会议“abc”不是整数"},
		{name: "money too large (A-F13)", in: xiezuo.ReportInput{Text: "x", Figures: map[string]string{"r2": "92233720368547.75"}}, err: "金额“92233720368547.75”数值过大"},
		{name: "count too large (A-F13)", in: xiezuo.ReportInput{Text: "x", Figures: map[string]string{"r1": "99999999999999"}}, err: "召开会议“99999999999999”数值过大"},
		{name: "count with decimals", in: xiezuo.ReportInput{Text: "x", Figures: map[string]string{"r1": "1.5"}}, err: "召开会议“1.5”不是整数"},
		{name: "negative", in: xiezuo.ReportInput{Text: "x", Figures: map[string]string{"r2": "-1"}}, err: "金额不能为负数"},
		{name: "rate over 100", in: xiezuo.ReportInput{Text: "x", Figures: map[string]string{"r4": "101"}}, err: "开工率 101% 超出范围"},
		{name: "unknown figure", in: xiezuo.ReportInput{Text: "x", Figures: map[string]string{"r9": "1"}}, err: "本事项没有指标“r9”"},
		{name: "control character", in: xiezuo.ReportInput{Text: "a\x00b"}, err: "控制字符"},
		{name: "too long", in: xiezuo.ReportInput{Text: strings.Repeat("字", xiezuo.MaxReportText+1)}, err: "最多 5000 字"},
		{name: "all problems at once", in: xiezuo.ReportInput{Percent: "140", Figures: map[string]string{"r1": "abc"}}, err: "请填写进展情况；形象进度 140% 超出范围，应为 0 到 100；召开会议“abc”不是整数"},
	} {
		got, err := xiezuo.CheckReport(c.in, specs)
		if c.err != "" {
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), c.err) {
				t.Errorf("%s: CheckReport = %v, want EINVALID with %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: CheckReport: %v", c.name, err)
			continue
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s: CheckReport (-want +got):\n%s", c.name, d)
		}
	}
}

func TestReportStateAt(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2021, 9, d, 10, 0, 0, 0, time.UTC) }
	r := xiezuo.Report{
		Versions: []xiezuo.ReportVersion{
			{Version: 1, State: xiezuo.ReportDraft, At: day(1)},
			{Version: 2, State: xiezuo.ReportSubmitted, At: day(2)},
			{Version: 3, State: xiezuo.ReportSubmitted, At: day(5)},
		},
		Reviews: []xiezuo.Review{
			{Version: 2, Decision: xiezuo.DecisionReturn, At: day(3)},
			{Version: 3, Decision: xiezuo.DecisionAccept, At: day(6)},
		},
	}
	for _, c := range []struct {
		at        time.Time
		state     xiezuo.ReportState
		version   int
		ok        bool
		submitted time.Time
	}{
		{at: day(1).Add(-time.Hour)},
		{at: day(1), state: xiezuo.ReportDraft, version: 1, ok: true},
		{at: day(2), state: xiezuo.ReportSubmitted, version: 2, ok: true, submitted: day(2)},
		{at: day(4), state: xiezuo.ReportReturned, version: 2, ok: true, submitted: day(2)},
		{at: day(5), state: xiezuo.ReportSubmitted, version: 3, ok: true, submitted: day(5)},
		{at: day(30), state: xiezuo.ReportAccepted, version: 3, ok: true, submitted: day(5)},
	} {
		s, v, ok := r.StateAt(c.at)
		if s != c.state || v != c.version || ok != c.ok {
			t.Errorf("StateAt(%v) = %q, %d, %v; want %q, %d, %v", c.at, s, v, ok, c.state, c.version, c.ok)
		}
		if got := r.SubmittedAt(c.at); !got.Equal(c.submitted) {
			t.Errorf("SubmittedAt(%v) = %v, want %v", c.at, got, c.submitted)
		}
	}
}

func TestClosedAt(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2021, 11, d, 0, 0, 0, 0, time.UTC) }
	cs := []xiezuo.Closure{{Closed: false, At: day(20)}, {Closed: true, At: day(10)}}
	for _, c := range []struct {
		at   time.Time
		want bool
	}{{day(9), false}, {day(10), true}, {day(19), true}, {day(20), false}} {
		if got := xiezuo.ClosedAt(cs, c.at); got != c.want {
			t.Errorf("ClosedAt(%v) = %v, want %v", c.at, got, c.want)
		}
	}
}

// TestRequirementFigures2021 checks the figures the 2021 task list asks for: 研究部署 asks for
// meetings in both requirements; 资金项目's floor (不低于2020年完成数) is money.
func TestRequirementFigures2021(t *testing.T) {
	p := plan2021(t)
	got := map[string][]string{}
	for _, task := range p.Tasks {
		for _, f := range xiezuo.RequirementFigures(task) {
			got[task.Category] = append(got[task.Category], f.Key+" "+f.Unit)
		}
	}
	for cat, want := range map[string][]string{
		"研究部署": {"r1 次", "r2 次"},
		"资金项目": {"r1 万元", "r2 万元", "r4 %"},
		"调研对接": {"r1a 次", "r1b 次"},
		"信息报送": {"r3a 个", "r3b 篇"},
	} {
		if d := cmp.Diff(want, got[cat]); d != "" {
			t.Errorf("RequirementFigures(%s) (-want +got):\n%s", cat, d)
		}
	}
	if len(got["引导企业"]) != 0 {
		t.Errorf("RequirementFigures(引导企业) = %v, want none: it names no number", got["引导企业"])
	}
}

func TestReportRouteAndReview(t *testing.T) {
	if got := xiezuo.ReportRoute(xiezuo.DutyCooperate, []string{"区财政局", "区发展改革委"}); got != "区财政局" {
		t.Errorf("ReportRoute(cooperate) = %q, want 区财政局", got)
	}
	for _, r := range []xiezuo.DutyRole{xiezuo.DutyLead, xiezuo.DutyMember} {
		if got := xiezuo.ReportRoute(r, []string{"区财政局"}); got != "" {
			t.Errorf("ReportRoute(%v) = %q, want the office", r, got)
		}
	}
	office := &xiezuo.User{District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}}
	unit := &xiezuo.User{District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}}
	other := &xiezuo.User{District: "房山区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}}
	leader := &xiezuo.User{District: "门头沟区", Roles: []string{xiezuo.RoleLeader}}
	for _, c := range []struct {
		u      *xiezuo.User
		toUnit string
		want   bool
	}{
		{office, "", true}, {unit, "", false}, {other, "", false}, {leader, "", false},
		{unit, "区财政局", true}, {unit, "区民政局", false}, {office, "区财政局", false},
	} {
		if got := c.u.CanReview("门头沟区", c.toUnit); got != c.want {
			t.Errorf("%s/%v.CanReview(%q) = %v, want %v", c.u.Unit, c.u.Roles, c.toUnit, got, c.want)
		}
	}
	if !office.CanClose("门头沟区") || unit.CanClose("门头沟区") || other.CanClose("门头沟区") {
		t.Errorf("CanClose: only the district's office may close a duty")
	}
}
