package xiezuo

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// st is a step of kind k on day on (YYYY-MM-DD), with its reason.
func st(k StepKind, on, reason string) ProjectStep {
	return ProjectStep{Kind: k, On: day(on), Reason: reason}
}

func TestStatusAt(t *testing.T) {
	walk := []ProjectStep{
		st(StepStart, "2021-05-10", ""),
		st(StepAdjust, "2021-06-01", "扩建"),
		st(StepSuspend, "2021-07-01", "汛期"),
		st(StepResume, "2021-08-01", ""),
		st(StepComplete, "2021-09-01", ""),
		st(StepAccept, "2021-09-10", ""),
		st(StepHandover, "2021-09-11", ""),
		st(StepAftercare, "2021-09-12", ""),
		st(StepEvaluate, "2021-12-01", ""),
	}
	cancelled := []ProjectStep{st(StepSuspend, "2021-06-01", "土地"), st(StepCancel, "2021-07-01", "土地未落实"), st(StepStart, "2021-08-01", "")}
	tests := []struct {
		name  string
		steps []ProjectStep
		on    string
		want  ProjectStatus
	}{
		{"no steps", nil, "2021-09-15", StatusPlanned},
		{"before the first step", walk, "2021-05-09", StatusPlanned},
		{"started that day", walk, "2021-05-10", StatusStarted},
		{"adjustment changes nothing", walk, "2021-06-15", StatusStarted},
		{"suspended", walk, "2021-07-15", StatusSuspended},
		{"resumed where it was", walk, "2021-08-01", StatusStarted},
		{"completed", walk, "2021-09-01", StatusCompleted},
		{"accepted", walk, "2021-09-10", StatusAccepted},
		{"handed over", walk, "2021-09-11", StatusHandedOver},
		{"aftercare", walk, "2021-11-30", StatusAftercare},
		{"evaluated", walk, "2021-12-31", StatusEvaluated},
		{"suspended before it started, resumed planned", []ProjectStep{st(StepSuspend, "2021-06-01", "x"), st(StepResume, "2021-06-05", "")}, "2021-06-05", StatusPlanned},
		{"cancel is final", cancelled, "2021-09-15", StatusCancelled},
		{"suspended then cancelled, as of the suspension", cancelled, "2021-06-30", StatusSuspended},
	}
	for _, tt := range tests {
		if got := StatusAt(tt.steps, day(tt.on)); got != tt.want {
			t.Errorf("%s: StatusAt(%s) = %s, want %s", tt.name, tt.on, got, tt.want)
		}
	}
}

func TestNextSteps(t *testing.T) {
	tests := []struct {
		in   ProjectStatus
		want []StepKind
	}{
		{StatusPlanned, []StepKind{StepStart, StepCancel, StepAdjust}},
		{StatusStarted, []StepKind{StepComplete, StepSuspend, StepCancel, StepAdjust}},
		{StatusCompleted, []StepKind{StepAccept, StepAdjust}},
		{StatusAccepted, []StepKind{StepHandover, StepAdjust}},
		{StatusHandedOver, []StepKind{StepAftercare}},
		{StatusAftercare, []StepKind{StepEvaluate}},
		{StatusEvaluated, nil},
		{StatusSuspended, []StepKind{StepResume, StepCancel}},
		{StatusCancelled, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, NextSteps(tt.in)); diff != "" {
			t.Errorf("NextSteps(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestStepRefusal(t *testing.T) {
	today := day("2021-09-15")
	started := []ProjectStep{st(StepStart, "2021-05-10", "")}
	suspended := append(started, st(StepSuspend, "2021-07-01", "汛期停工"))
	cancelled := []ProjectStep{st(StepCancel, "2021-06-01", "选址调整")}
	completed := append(slices.Clip(started), st(StepComplete, "2021-07-10", ""))
	adjust := func(f func(*ProjectStep)) ProjectStep {
		s := ProjectStep{Kind: StepAdjust, On: day("2021-08-01"), Reason: "增加大棚", Document: "门协办〔2021〕5号", NewTotalInvestment: Known(400 * FenPerWan)}
		f(&s)
		return s
	}
	tests := []struct {
		name  string
		steps []ProjectStep
		next  ProjectStep
		want  string // a part of the message; "" for no refusal
	}{
		{"start", nil, st(StepStart, "2021-05-10", ""), ""},
		{"start today", nil, st(StepStart, "2021-09-15", ""), ""},
		{"complete after start", started, st(StepComplete, "2021-09-01", ""), ""},
		{"complete on the start's day", started, st(StepComplete, "2021-05-10", ""), ""},
		{"unknown kind", nil, ProjectStep{Kind: "finish", On: day("2021-05-10")}, "步骤“finish”无效"},
		{"no date", nil, ProjectStep{Kind: StepStart}, "请填写开工的日期"},
		{"complete before start", nil, st(StepComplete, "2021-05-10", ""), "项目目前尚未开工，不能登记完工；可登记的下一步：开工、取消、调整"},
		{"start twice", started, st(StepStart, "2021-06-10", ""), "项目目前为“已开工”，不能登记开工"},
		{"future date", nil, st(StepStart, "2021-09-16", ""), "开工日期 2021-09-16 晚于今天（2021-09-15）"},
		{"before the previous step", started, st(StepComplete, "2021-05-09", ""), "完工日期 2021-05-09 早于上一步骤（开工，2021-05-10）"},
		{"after cancel", cancelled, st(StepStart, "2021-07-01", ""), "项目已于 2021-06-01 取消（选址调整），不能再登记开工"},
		{"cancel twice", cancelled, st(StepCancel, "2021-07-01", "再次"), "不能再登记取消"},
		{"complete while suspended", suspended, st(StepComplete, "2021-08-01", ""), "项目已于 2021-07-01 暂停（汛期停工），只能登记恢复或取消，不能登记完工"},
		{"adjust while suspended", suspended, adjust(func(*ProjectStep) {}), "只能登记恢复或取消"},
		{"resume", suspended, st(StepResume, "2021-08-01", ""), ""},
		{"cancel a suspended project", suspended, st(StepCancel, "2021-08-01", "资金未到位"), ""},
		{"resume a running project", started, st(StepResume, "2021-08-01", ""), "不能登记恢复"},
		{"suspend without reason", started, st(StepSuspend, "2021-08-01", " "), "暂停项目须写明原因"},
		{"cancel without reason", started, st(StepCancel, "2021-08-01", ""), "取消项目须写明原因"},
		{"suspend before the start", nil, st(StepSuspend, "2021-08-01", "土地未落实"), "项目目前尚未开工，不能登记暂停"},
		{"cancel before the start", nil, st(StepCancel, "2021-08-01", "土地未落实"), ""},
		{"suspend after completion", completed, st(StepSuspend, "2021-08-01", "待验收"), "项目目前为“已完工”，不能登记暂停；可登记的下一步：竣工验收、调整"},
		{"cancel after completion", completed, st(StepCancel, "2021-08-01", "不再验收"), "项目目前为“已完工”，不能登记取消"},
		{"suspend after acceptance", append(slices.Clip(completed), st(StepAccept, "2021-07-20", "")), st(StepSuspend, "2021-08-01", "待移交"), "不能登记暂停"},
		{"cancel a project suspended after its start", suspended, st(StepCancel, "2021-08-01", "资金未到位"), ""},
		{"adjust", started, adjust(func(*ProjectStep) {}), ""},
		{"adjust the content only", started, adjust(func(s *ProjectStep) { s.NewTotalInvestment = Num{}; s.NewContent = "新建大棚 20 座" }), ""},
		{"adjust without reason", started, adjust(func(s *ProjectStep) { s.Reason = "" }), "调整项目须写明调整原因"},
		{"adjust without document", started, adjust(func(s *ProjectStep) { s.Document = " " }), "须填写批复文号"},
		{"adjust without change", started, adjust(func(s *ProjectStep) { s.NewTotalInvestment = Num{} }), "调整没有任何变化"},
		{"adjust to a negative amount", started, adjust(func(s *ProjectStep) { s.NewDistrictFund = Known(-1) }), "不能为负数"},
		{"adjust an evaluated project", []ProjectStep{st(StepStart, "2021-01-01", ""), st(StepComplete, "2021-02-01", ""), st(StepAccept, "2021-03-01", ""),
			st(StepHandover, "2021-04-01", ""), st(StepAftercare, "2021-05-01", ""), st(StepEvaluate, "2021-06-01", "")}, adjust(func(*ProjectStep) {}), "不能登记调整；可登记的下一步：无"},
		{"figures on a start", nil, ProjectStep{Kind: StepStart, On: day("2021-05-10"), NewDistrictFund: Known(1)}, "只有“调整”步骤可以填写"},
		{"control character", nil, ProjectStep{Kind: StepStart, On: day("2021-05-10"), Note: "开工\x00"}, "控制字符"},
		{"bidi override in the document", started, adjust(func(s *ProjectStep) { s.Document = "门协办\u202e5号" }), "控制字符"},
		{"note too long", nil, ProjectStep{Kind: StepStart, On: day("2021-05-10"), Note: strings.Repeat("字", MaxStepNote+1)}, "说明最长 2000 个字，现为 2001 个字"},
		{"document too long", started, adjust(func(s *ProjectStep) { s.Document = strings.Repeat("号", MaxStepDocument+1) }), "批复文号最长 100 个字"},
	}
	for _, tt := range tests {
		err := StepRefusal(tt.steps, tt.next, today)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: StepRefusal = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: StepRefusal = %v, want %q", tt.name, err, tt.want)
		case err != nil && ErrorCode(err) != EINVALID && ErrorCode(err) != ECONFLICT:
			t.Errorf("%s: StepRefusal code = %s, want invalid or conflict", tt.name, ErrorCode(err))
		}
	}
}

func TestAdjustedProject(t *testing.T) {
	p := Project{Name: "大棚", TotalInvestment: Known(300 * FenPerWan), DistrictFund: Known(200 * FenPerWan), Content: "新建大棚 10 座"}
	steps := []ProjectStep{
		st(StepStart, "2021-05-10", ""),
		{Kind: StepAdjust, On: day("2021-06-01"), NewTotalInvestment: Known(350 * FenPerWan)},
		{Kind: StepAdjust, On: day("2021-08-01"), NewDistrictFund: Known(250 * FenPerWan), NewContent: "新建大棚 12 座"},
	}
	tests := []struct {
		on          string
		total, fund int64
		content     string
	}{
		{"2021-05-31", 300, 200, "新建大棚 10 座"},
		{"2021-06-01", 350, 200, "新建大棚 10 座"},
		{"2021-09-15", 350, 250, "新建大棚 12 座"},
	}
	for _, tt := range tests {
		got := AdjustedProject(p, steps, day(tt.on))
		if got.TotalInvestment != Known(tt.total*FenPerWan) || got.DistrictFund != Known(tt.fund*FenPerWan) || got.Content != tt.content {
			t.Errorf("AdjustedProject(%s) = %v %v %q, want %d %d %q", tt.on, got.TotalInvestment, got.DistrictFund, got.Content, tt.total, tt.fund, tt.content)
		}
	}
	if p.TotalInvestment != Known(300*FenPerWan) {
		t.Errorf("AdjustedProject changed the plan's project: %v", p.TotalInvestment)
	}
}

func TestAdjustRefusal(t *testing.T) {
	p := Project{TotalInvestment: Known(300 * FenPerWan), DistrictFund: Known(200 * FenPerWan), Content: "新建大棚 10 座"}
	steps := []ProjectStep{{Kind: StepAdjust, On: day("2021-06-01"), NewTotalInvestment: Known(350 * FenPerWan)}}
	tests := []struct {
		name string
		next ProjectStep
		want string
	}{
		{"same as adjusted", ProjectStep{Kind: StepAdjust, On: day("2021-07-01"), NewTotalInvestment: Known(350 * FenPerWan)}, "调整没有任何变化"},
		{"same content", ProjectStep{Kind: StepAdjust, On: day("2021-07-01"), NewContent: " 新建大棚 10 座 "}, "调整没有任何变化"},
		{"back to the plan's figure", ProjectStep{Kind: StepAdjust, On: day("2021-07-01"), NewTotalInvestment: Known(300 * FenPerWan)}, ""},
		{"fund over the investment", ProjectStep{Kind: StepAdjust, On: day("2021-07-01"), NewDistrictFund: Known(360 * FenPerWan)}, "调整后区级帮扶资金（360万元）超过项目总投资（350万元）"},
		{"not an adjustment", ProjectStep{Kind: StepStart, On: day("2021-07-01")}, ""},
	}
	for _, tt := range tests {
		err := AdjustRefusal(p, steps, tt.next)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: AdjustRefusal = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: AdjustRefusal = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestStepTexts(t *testing.T) {
	for _, k := range StepKinds {
		if k.Text() == string(k) {
			t.Errorf("StepKind(%s).Text() has no Chinese name", k)
		}
		if got, err := ParseStepKind(string(k)); err != nil || got != k {
			t.Errorf("ParseStepKind(%s) = %v, %v", k, got, err)
		}
	}
	for _, s := range []ProjectStatus{StatusPlanned, StatusStarted, StatusCompleted, StatusAccepted, StatusHandedOver, StatusAftercare, StatusEvaluated, StatusSuspended, StatusCancelled} {
		if s.Text() == string(s) {
			t.Errorf("ProjectStatus(%s).Text() has no Chinese name", s)
		}
	}
}
