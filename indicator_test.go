package xiezuo_test

import (
	"strings"
	"testing"
	"time"

	"xiezuo"
)

// TestParseFormulaErrors: a formula's error names its position in characters and what would
// be right.
func TestParseFormulaErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`count(meeting)`, "公式第7个字符：没有“meeting”这个台账，可用：meetings（会议）、visits（调研互访）"},
		{`count(meetings where kind = "联席")`, "公式第29个字符：会议类型没有“联席”这个选项"},
		{`sum(meetings.title)`, "公式第14个字符：“title”（会议名称）不是数字，不能求和"},
		{`sum(trainings.people)`, "公式第15个字符：培训没有“people”这个字段，可用："},
		{`count(meetings`, "公式第15个字符：这里应为“)”，却是公式的结尾"},
		{`count(meetings) +`, "公式第18个字符：这里应为数字"},
		{`avg(meetings)`, "公式第1个字符：没有“avg”这个函数"},
		{`count(meetings where date >= "2021-13-01")`, "公式第30个字符：“2021-13-01”不是日期"},
		{`count(meetings.kind)`, "count 数的是记录条数"},
		{`count(meetings) 3`, "公式第17个字符：多余的“3”"},
		{`count(meetings where kind "x")`, "公式第27个字符：这里应为比较符号"},
		{`"abc`, "公式第1个字符：引号没有结束"},
		{``, "公式不能为空"},
	} {
		_, err := xiezuo.ParseFormula(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseFormula(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
	for _, ok := range []string{
		`count(demo-villages) + 2 * (sum(purchases.partner) - 1) / 3`,
		`share(count(projects where started = "是"), count(projects))`,
		`distinct(donations.donor where donor_kind in ("企业", "个人") or money > 1.5)`,
		`count(problems where deadline < today and status = "整改中")`,
		`count(meetings where (kind = "联席会议" or kind = "专班会议") and unit = "区教委")`,
	} {
		if _, err := xiezuo.ParseFormula(ok); err != nil {
			t.Errorf("ParseFormula(%q) = %v", ok, err)
		}
	}
}

// TestShippedIndicators2021: every shipped indicator passes its checks against the 2021 plan,
// codes are unique.
func TestShippedIndicators2021(t *testing.T) {
	p := plan2021(t)
	set := xiezuo.ShippedIndicators(2021)
	if len(set) < 40 {
		t.Fatalf("ShippedIndicators(2021): %d indicators", len(set))
	}
	seen := map[string]bool{}
	for _, in := range set {
		if seen[in.Code] {
			t.Errorf("code %s twice", in.Code)
		}
		seen[in.Code] = true
		if err := in.Check(p); err != nil {
			t.Errorf("%s.Check = %v", in.Code, err)
		}
	}
	if xiezuo.ShippedIndicators(2022) != nil {
		t.Errorf("ShippedIndicators(2022) not nil")
	}
}

// FuzzParseFormula: no text makes the parser panic; a formula that parses evaluates without
// panicking over empty data.
func FuzzParseFormula(f *testing.F) {
	for _, s := range []string{`count(meetings)`, `share(sum(purchases.partner), sum(purchases.base))`,
		`count(problems where deadline < today and (status = "整改中" or on_time = "否"))`, `（1+2）*3/0`, `count(demo-villages)-1`,
		`distinct(donations.donor where donor_kind in (“企业”, "个人"))`, `sum(firms.jobs where jobs >= -1.5)`} {
		f.Add(s)
	}
	d := xiezuo.ScoreData{Plan: &xiezuo.Plan{Year: 2021}}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := xiezuo.ParseFormula(s); err != nil {
			return
		}
		in := xiezuo.Indicator{Code: "f", Name: "f", Dimension: "组织领导", Formula: s, Compare: ">=", Unit: "个", Due: "2021-12-31", Missing: "zero"}
		xiezuo.Score([]xiezuo.Indicator{in}, d, xiezuo.NewDate(2021, 12, 31), xiezuo.ByDimension)
	})
}

// TestParseFormulaBounds: the rule refuses, quickly and in words, a formula too long, nested
// too deep or with a number too large (512 KB of parentheses parsed for 6 s; the editor's form
// caps the text at 1000 characters, but 500 parentheses deep passed and any writer of versions
// other than the form had no bound).
func TestParseFormulaBounds(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("(", n) + "1" + strings.Repeat(")", n) }
	for _, tc := range []struct{ name, in, want string }{
		{"long", strings.Repeat("count(meetings) + ", 6000) + "1", "公式太长"},
		{"parentheses 100 KB", deep(50_000), "公式太长"},
		{"parentheses", deep(40), "嵌套太深"},
		{"minus", strings.Repeat("-", 40) + "1", "嵌套太深"},
		{"condition", `count(meetings where ` + strings.Repeat("(", 40) + `kind = "联席会议"` + strings.Repeat(")", 40) + `)`, "嵌套太深"},
		{"share", strings.Repeat("share(1, ", 40) + "1" + strings.Repeat(")", 40), "嵌套太深"},
		{"number", "1" + strings.Repeat("0", 300), "数字太大"},
	} {
		start := time.Now()
		_, err := xiezuo.ParseFormula(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseFormula(%s) = %v, want %q", tc.name, err, tc.want)
		}
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Errorf("ParseFormula(%s) took %v", tc.name, d)
		}
	}
	if _, err := xiezuo.ParseFormula(deep(10) + " + share(count(meetings), 2)"); err != nil {
		t.Errorf("ParseFormula(10 parentheses) = %v", err)
	}
}

// TestScoreNonFinite: a formula whose arithmetic leaves the floats (1e12 multiplied 30 times,
// Inf − Inf) measures nothing rather than +Inf or NaN (NaN passed no light rule, printed as NaN
// and broke the workbook).
func TestScoreNonFinite(t *testing.T) {
	big := strings.TrimSuffix(strings.Repeat("1000000000000*", 30), "*")
	d := xiezuo.ScoreData{Plan: scorePlan()}
	for _, f := range []string{big, "(" + big + ") - (" + big + ")", "share(" + big + ", 1)"} {
		in := ind(f, target(1), "2021-12-31")
		if err := in.Check(d.Plan); err != nil {
			t.Fatalf("Check(%.40s…) = %v", f, err)
		}
		r := scoreRow(in, d, day(8, 31))
		if r.Value.Valid || r.Trend.Valid {
			t.Errorf("Score(%.40s…) = %v (trend %v), want unknown", f, r.Value, r.Trend)
		}
	}
}
