package xlsx

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// TestWriteScorecard writes a hand-built scorecard by dimension and by team and reads the cells
// back: the title, the Chinese headers, a value nothing was reported for as 未报送 (never 0),
// the parts under their indicator, and the evidence sheet with each fact's link.
func TestWriteScorecard(t *testing.T) {
	m := func(v float64) xiezuo.Measure { return xiezuo.Measure{V: v, Valid: true} }
	one := 1.0
	cases := xiezuo.Indicator{Code: "xxxc-01", Name: "各专班典型案例", Dimension: "信息宣传", Compare: ">=", Target: &one, Unit: "篇", Per: "team"}
	fund := xiezuo.Indicator{Code: "jqxz-02", Name: "区级帮扶资金不低于上年", Dimension: "加强区域协作", TargetPrior: true, Unit: "万元"}
	asOf := xiezuo.Date{Year: 2021, Month: 8, Day: 28}
	byDim := xiezuo.Scorecard{District: "门头沟区", Year: 2021, AsOf: asOf, By: xiezuo.ByDimension, Groups: []xiezuo.ScoreGroup{
		{Name: "加强区域协作", Rows: []xiezuo.IndicatorScore{{Indicator: fund, Value: m(1100.123456), Target: m(1200), Trend: m(900), Light: xiezuo.ScoreRed,
			Evidence: []xiezuo.EvidenceRef{{Kind: "project", ID: 3, Title: "武川县肉牛养殖", On: "2021-04-01"}}}}},
		{Name: "信息宣传", Rows: []xiezuo.IndicatorScore{{Indicator: cases, Value: m(1), Target: m(2), Light: xiezuo.ScoreYellow,
			Missing: []string{"劳务协作专班：典型案例 0 / 1 个"},
			Parts: []xiezuo.IndicatorScore{{Group: "产业协作专班", Value: m(1), Target: m(1), Light: xiezuo.ScoreGreen},
				{Group: "劳务协作专班", Target: m(1), Light: xiezuo.ScoreGrey, Missing: []string{"典型案例 0 / 1 个"}}},
			Evidence: []xiezuo.EvidenceRef{{Kind: "articles", ID: 7, Title: "肉牛养殖带富一方", On: "2021-07-01"}}}}},
	}}
	byTeam := xiezuo.Scorecard{District: "门头沟区", Year: 2021, AsOf: asOf, By: xiezuo.ByTeam, Groups: []xiezuo.ScoreGroup{
		{Name: "劳务协作专班", Rows: []xiezuo.IndicatorScore{{Indicator: cases, Group: "劳务协作专班", Target: m(1), Light: xiezuo.ScoreGrey}}},
	}}
	href := func(e xiezuo.EvidenceRef) string { return "/" + e.Kind + "/" + strconv.FormatInt(e.ID, 10) }
	var buf bytes.Buffer
	if err := WriteScorecard(&buf, href, byDim, byTeam); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"按考核维度", "按工作专班", "佐证"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	rows, _ := f.GetRows("按考核维度")
	want := [][]string{
		{"2021年门头沟区考核指标完成情况（截至 2021-08-28）"},
		{"维度", "指标", "目标", "完成值", "单位", "状态", "趋势", "尚缺", "佐证"},
		// Rounded to 2 decimals; the evidence counted and named.
		{"加强区域协作", "区级帮扶资金不低于上年", "不低于上年（1200 万元）", "1100.12", "万元", "未达标", "↑（30 天前 900 万元）", "", "1 条：武川县肉牛养殖"},
		// A Per indicator's row counts teams (1 of 2, in 个); its target is each team's, in 篇.
		{"信息宣传", "各专班典型案例", "每个工作专班不少于 1 篇", "1", "个", "未达标（未到期）", "30 天前未报送", "劳务协作专班：典型案例 0 / 1 个", "1 条：肉牛养殖带富一方"},
		{"信息宣传", "　各专班典型案例（产业协作专班）", "不少于 1 篇", "1", "篇", "达标", "30 天前未报送"},
		{"信息宣传", "　各专班典型案例（劳务协作专班）", "不少于 1 篇", "未报送", "篇", "未报送", "30 天前未报送", "典型案例 0 / 1 个"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("sheet 按考核维度 (-want +got):\n%s", diff)
	}
	if typ, _ := f.GetCellType("按考核维度", "D3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("完成值 D3 is of type %v, want a number", typ)
	}
	rows, _ = f.GetRows("按工作专班")
	if diff := cmp.Diff([]string{"工作专班", "维度", "指标", "目标", "完成值", "单位", "状态", "趋势", "尚缺", "佐证"}, rows[1]); diff != "" {
		t.Errorf("headers by team (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"劳务协作专班", "信息宣传", "各专班典型案例", "不少于 1 篇", "未报送", "篇", "未报送", "30 天前未报送"}, rows[2]); diff != "" {
		t.Errorf("row by team (-want +got):\n%s", diff)
	}
	rows, _ = f.GetRows("佐证")
	wantEv := [][]string{
		{"2021年门头沟区考核指标完成情况（截至 2021-08-28） 佐证材料"},
		{"指标编号", "指标", "分组", "佐证类别", "佐证", "日期", "编号", "链接"},
		{"jqxz-02", "区级帮扶资金不低于上年", "", "项目", "武川县肉牛养殖", "2021-04-01", "3", "/project/3"},
		{"xxxc-01", "各专班典型案例", "", xiezuo.EvidenceRef{Kind: "articles"}.KindName(), "肉牛养殖带富一方", "2021-07-01", "7", "/articles/7"},
	}
	if diff := cmp.Diff(wantEv, rows); diff != "" {
		t.Errorf("sheet 佐证 (-want +got):\n%s", diff)
	}
}
