package plandoc

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// problem is an expected error: its line and a part of its message.
type problem struct {
	line int
	has  string
}

// TestPlantedErrors reads documents with errors planted on purpose and checks that every one
// is found at its line, with a message that says what is wrong, and nothing else is reported.
func TestPlantedErrors(t *testing.T) {
	tests := []struct {
		file string
		want []problem
	}{
		{"2022-huairou-errors.md", []problem{
			{48, "完成时限“13月底前”不是真实的日期"},
			{53, "年份为 2021 年，与第3行的 2022 年不一致"},
			{59, "“合计（4个）”的区级帮扶资金为 200 万元，但其下 4 个项目之和为 250 万元"},
			{60, "“内蒙古太仆寺旗（3个）”的区级帮扶资金为 150 万元，但其下 3 个项目之和为 200 万元"},
			{61, "“1.产业合作类（2个）”的区级帮扶资金为 100 万元，但其下 2 个项目之和为 150 万元"},
			{62, "区级帮扶资金 110 万元 大于项目总投资 100 万元"},
			{63, "月份 13 不在 1–12 之间"},
			{64, "写明 2 个项目，其下实际列出 1 个"},
			{65, "“受益脱贫人口”不能为负数，实为“-200”"},
			{66, "受益脱贫村为 25 个，多于其下项目之和 2 个"},
			{68, "“项目总投资”应为金额数字（单位：万元），实为“约50”"},
		}},
		{"2023-yanqing-errors.txt", []problem{
			{6, "区县为“密云区”，与第1行的“延庆区”不一致"},
			{9, "前面没有地区行"},
			{10, "区级帮扶资金为 1200000 元，但其下 3 个项目之和为 1200100 元"},
			{10, "受益脱贫村为 2 个，少于其下单个项目的最大值 3 个"},
			{11, "竣工月份早于开工月份"},
			{12, "只有 11 列，表头有 15 列"},
			{13, "“受益脱贫村”应为整数，实为“1.5”"},
			{13, "区级帮扶资金 100 元 大于项目总投资 0 元"},
			{13, "开工竣工时间“2023年”无法识别"},
			{14, "无法识别这一行"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := parseFile(t, filepath.Join("testdata", "bad", tt.file))
			if r.OK() {
				t.Fatalf("Parse(%s).OK() = true, want false", tt.file)
			}
			checkProblems(t, tt.file, r, tt.want)
		})
	}
}

// checkProblems compares the errors found with the ones wanted, in order.
func checkProblems(t *testing.T, name string, r *Result, want []problem) {
	t.Helper()
	var got, wantS []string
	for i, e := range r.Errors {
		if i < len(want) && e.Line == want[i].line && strings.Contains(e.Message, want[i].has) {
			got = append(got, fmt.Sprintf("%d: …%s…", want[i].line, want[i].has))
			continue
		}
		got = append(got, fmt.Sprintf("%d: %s", e.Line, e.Message))
	}
	for _, w := range want {
		wantS = append(wantS, fmt.Sprintf("%d: …%s…", w.line, w.has))
	}
	if diff := cmp.Diff(wantS, got); diff != "" {
		t.Errorf("Parse(%s) errors (-want +got):\n%s", name, diff)
	}
}
