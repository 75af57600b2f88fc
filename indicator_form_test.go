package xiezuo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIndicatorFormApply(t *testing.T) {
	good := IndicatorForm{Code: "xxxc-01", Name: "典型案例", Dimension: "信息宣传", Formula: `count(articles where kind = "典型案例")`,
		Compare: ">=", Target: "1", Unit: "个", From: "2021-01-01", Due: "2021-10-31", Per: "team", Units: "区教委、区财政局，区教委",
		Missing: "zero", Reason: "按考核细则"}
	one := 1.0
	want := Indicator{Code: "xxxc-01", Name: "典型案例", Dimension: "信息宣传", Formula: `count(articles where kind = "典型案例")`,
		Compare: ">=", Target: &one, Unit: "个", From: "2021-01-01", Due: "2021-10-31", Per: "team", Units: []string{"区教委", "区财政局"}, Missing: "zero"}
	got, errs := good.Apply(Indicator{}, 2021)
	if errs != nil {
		t.Fatalf("Apply(good) errors = %v", errs)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Apply(good) (-want +got):\n%s", diff)
	}
	form := FormOf(got)
	form.Reason = "再存"
	if back, errs := form.Apply(Indicator{}, 2021); errs != nil || !cmp.Equal(back, got) {
		t.Errorf("FormOf(%+v).Apply = %+v, %v; want it back", got, back, errs)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*IndicatorForm)
		field string
		msg   string
	}{
		{"bad date", func(f *IndicatorForm) { f.Due = "2021-13-01" }, "due", "“截止日期”：2021-13-01 不是日期，应写作 2021-10-31"},
		{"other year", func(f *IndicatorForm) { f.From = "2020-12-01" }, "from", "“统计起始日”：2020-12-01 不在 2021 年内"},
		{"from after due", func(f *IndicatorForm) { f.From = "2021-11-01" }, "from", "“统计起始日”：2021-11-01 晚于截止日期 2021-10-31"},
		{"target", func(f *IndicatorForm) { f.Target = "六" }, "target", "“目标值”：“六”不是数字"},
		{"compare", func(f *IndicatorForm) { f.Compare = ">" }, "compare", "“比较方式”：“>”无效，应为 >=（不少于）或 <=（不超过）"},
		{"dimension", func(f *IndicatorForm) { f.Dimension = "宣传" }, "dimension", "“考核维度”：“宣传”不是考核维度，应为 组织领导、巩固拓展脱贫攻坚成果、加强区域协作、助推乡村振兴、创新创优、信息宣传 之一"},
		{"no reason", func(f *IndicatorForm) { f.Reason = " " }, "reason", "“修改理由”：必须填写（记入审计日志）"},
		{"no name", func(f *IndicatorForm) { f.Name = "" }, "name", "“指标名称”：必须填写"},
		{"code", func(f *IndicatorForm) { f.Code = "典型" }, "code", "“编号”：“典型”无效，应为小写字母、数字和连字符，如 zzld-03"},
		{"reserved", func(f *IndicatorForm) { f.Code = "copy" }, "code", "“编号”：“copy”是保留字，请换一个编号"},
		{"per", func(f *IndicatorForm) { f.Per = "town" }, "per", "“考核对象”：“town”无效"},
	} {
		f := good
		tc.edit(&f)
		_, errs := f.Apply(Indicator{}, 2021)
		if errs[tc.field] != tc.msg || len(errs) != 1 {
			t.Errorf("%s: Apply errors = %v, want {%s: %s}", tc.name, errs, tc.field, tc.msg)
		}
		if got := IndicatorFieldOf("第3个字：" + tc.msg); got != tc.field {
			t.Errorf("IndicatorFieldOf(%q) = %q, want %q", tc.msg, got, tc.field)
		}
	}
	for msg, want := range map[string]string{"公式第 7 个字符处：未知的台账 meeting": "formula", "目标须大于 0": "target", "没有说明": ""} {
		if got := IndicatorFieldOf(msg); got != want {
			t.Errorf("IndicatorFieldOf(%q) = %q, want %q", msg, got, want)
		}
	}
	// 不低于上年 with a figure typed: the previous year's figure, used when that year's plan is
	// not stored.
	prior := good
	prior.TargetPrior = true
	if got, errs := prior.Apply(Indicator{}, 2021); errs != nil || !got.TargetPrior || got.Target == nil || *got.Target != 1 {
		t.Errorf("Apply(不低于上年 with 1) = %+v, %v; want both kept", got, errs)
	}
	// The editor's default rule for a value not reported (显示为未报送) is read.
	dflt := good
	dflt.Missing = ""
	if _, errs := dflt.Apply(Indicator{}, 2021); errs != nil {
		t.Errorf("Apply(missing \"\") errors = %v", errs)
	}
	// An edit keeps the code and the task of the stored indicator.
	stored := Indicator{Code: "zzld-01", WorkItem: "研究部署", Clause: 2}
	f := good
	f.Code = "other"
	got, _ = f.Apply(stored, 2021)
	if got.Code != "zzld-01" || got.WorkItem != "研究部署" || got.Clause != 2 {
		t.Errorf("Apply over %+v = %+v, want its code and task kept", stored, got)
	}
}
