package gongwen

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCNNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 23: "二十三", 99: "九十九", 100: "100", 0: "0"} {
		if got := cnNumber(n); got != want {
			t.Errorf("cnNumber(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNumberer(t *testing.T) {
	blocks := []Block{
		{Kind: Heading1}, {Kind: Heading2}, {Kind: Heading3}, {Kind: Heading4}, {Kind: Heading4}, {Kind: Heading3},
		{Kind: Heading2}, {Kind: Heading2, Number: "（甲）"}, {Kind: Heading3}, {Kind: Heading1}, {Kind: Heading2}, {Kind: Heading4},
	}
	var got []string
	var n numberer
	for _, b := range blocks {
		got = append(got, n.next(b))
	}
	want := []string{"一、", "（一）", "1.", "（1）", "（2）", "2.", "（二）", "（甲）", "1.", "二、", "（一）", "（1）"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("numbers (-want +got):\n%s", diff)
	}
}

func TestLayoutTableMerges(t *testing.T) {
	l := layoutTable(&Table{
		Header: [][]string{
			{"地区", "资金", "资金", "进度"},
			{"地区", "总投资", "区级", "进度"},
		},
		Rows: [][]string{{"武川县", "1", "2"}, {"a\x00b"}},
	})
	if l.cols != 4 {
		t.Fatalf("cols = %d, want 4", l.cols)
	}
	type c struct {
		Text                 string
		Span, Rows           int
		Covered, Below, Head bool
	}
	var got [][]c
	for _, r := range l.header {
		var row []c
		for _, h := range r {
			row = append(row, c{h.text, h.span, h.rows, h.covered, h.below, h.head})
		}
		got = append(got, row)
	}
	want := [][]c{
		{{"地区", 1, 2, false, false, false}, {"资金", 2, 1, false, false, false}, {"资金", 0, 0, true, false, false}, {"进度", 1, 2, false, false, false}},
		{{"地区", 1, 0, true, true, true}, {"总投资", 1, 1, false, false, false}, {"区级", 1, 1, false, false, false}, {"进度", 1, 0, true, true, true}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([][]string{{"武川县", "1", "2", ""}, {"ab", "", "", ""}}, l.rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if l.size != 14 {
		t.Errorf("size = %v, want 14 (short texts fit in 4号)", l.size)
	}
	wide := layoutTable(&Table{Rows: [][]string{{"一二三四五六七八九十一二三四", "一二三四五六七八九十一二三四", "一二三四五六七八九十"}}})
	if wide.size != 12 {
		t.Errorf("size of a wide table = %v, want 12 (小四)", wide.size)
	}
}

func TestCaption(t *testing.T) {
	for _, c := range []struct{ label, in, want string }{
		{"表", "表1 资金情况", "表1 资金情况"},
		{"表", "资金情况", "表3 资金情况"},
		{"表", "表格说明", "表3 表格说明"},
		{"图", "", "图3"},
	} {
		if got := caption(c.label, 3, c.in); got != c.want {
			t.Errorf("caption(%q, 3, %q) = %q, want %q", c.label, c.in, got, c.want)
		}
	}
}

func TestSignatureIndents(t *testing.T) {
	// The date is four characters from the right; the signature centred over it.
	sig, date := signatureIndents("门头沟区支援合作办", "2021年7月15日")
	if date != 64 {
		t.Errorf("date's right indent = %v, want 64 (four characters)", date)
	}
	if want := 64 + (ems("2021年7月15日")-9)*16/2; sig != want {
		t.Errorf("signature's right indent = %v, want %v", sig, want)
	}
}

func TestArabicDate(t *testing.T) {
	for in, want := range map[string]string{
		"二〇二一年七月十五日":   "2021年7月15日",
		"二〇二一年十二月三十一日": "2021年12月31日",
		"二〇二一年十月二十日":   "2021年10月20日",
		"2021年7月15日":   "2021年7月15日",
		"二〇二一年十三十月一日":  "二〇二一年十三十月一日",
		"":             "",
	} {
		if got := arabicDate(in); got != want {
			t.Errorf("arabicDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLayoutTableWidths: headers of up to four characters get a line of their own width and
// figures are never wrapped, whether the widths are given (the assessment's eight columns) or
// taken from the texts; the long columns share what is left.
func TestLayoutTableWidths(t *testing.T) {
	long := "对照考核要求逐项说明完成情况和佐证材料的出处，内容较长需要折行显示。"
	for _, tc := range []struct {
		name string
		t    Table
	}{
		{"assessment, widths given", Table{
			Header: [][]string{{"序号", "指标", "考核要求", "目标", "完成值", "状态", "差距", "佐证材料"}},
			Rows:   [][]string{{"1", "召开会议", long, "不少于 2 次", "3次", "达标", "", long + long}},
			Widths: []float64{0.8, 2.3, 3.3, 1.8, 1.8, 1.6, 2.2, 4},
		}},
		{"money, from the texts", Table{
			Header:  [][]string{{"协作地区", "计划", "累计下达", "累计拨付", "累计支出", "暂停", "拨付率", "说明"}},
			Rows:    [][]string{{"湖北省神农架林区", "1195.81", "195.81", "339.06", "258.77", "1", "56.3%", long + long}},
			Numeric: []bool{false, true, true, true, true, true, true, false},
		}},
	} {
		l := layoutTable(&tc.t)
		for c, h := range l.header[0] {
			room := l.widths[c]*textW/l.size - 0.6
			if need := min(4, ems(h.text)); room+1e-9 < need {
				t.Errorf("%s: column %d 「%s」 is %.2f characters wide at %gpt, want at least %.1f (one line)", tc.name, c, h.text, room, l.size, need)
			}
			for _, r := range l.rows {
				if l.numeric[c] && room+1e-9 < ems(r[c]) {
					t.Errorf("%s: column %d's figure %q needs %.2f characters, has %.2f (wraps)", tc.name, c, r[c], ems(r[c]), room)
				}
			}
		}
		var sum float64
		for _, w := range l.widths {
			sum += w
		}
		if sum < 0.999 || sum > 1.001 {
			t.Errorf("%s: widths sum to %.4f, want 1", tc.name, sum)
		}
	}
}
