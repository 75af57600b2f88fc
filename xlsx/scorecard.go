package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// scorecardHeaders are the columns of a scorecard sheet after its group's column (a sheet by
// dimension has the dimension only).
var scorecardHeaders = []any{"指标", "目标", "完成值", "单位", "状态", "趋势", "尚缺", "佐证"}

// evidenceHeaders are the columns of the sheet 佐证.
var evidenceHeaders = []any{"指标编号", "指标", "分组", "佐证类别", "佐证", "日期", "编号", "链接"}

// WriteScorecard writes scorecards of one plan year and day as a workbook: one sheet per card
// (a grouping: 按考核维度, 按工作专班 …), each under the title naming the year, the district and
// the day, a row per indicator and group and, folded under it, a row per part of a Per
// indicator (a Per indicator's row counts its groups: 完成值 the groups that met their target,
// 单位 个, 目标 each group's target in words); a value nothing was reported for reads 未报送,
// never 0; figures are rounded to 2 decimals as the page shows them; 佐证 counts the facts a
// row cites and names the first. The sheet 佐证 lists the
// evidence of every row of the first card, with the link given by href (the path of its page;
// "" for none).
func WriteScorecard(w io.Writer, href func(xiezuo.EvidenceRef) string, cards ...xiezuo.Scorecard) error {
	if len(cards) == 0 {
		return fmt.Errorf("write scorecard: no scorecard")
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, c := range cards {
		sheet := c.By.Name()
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		if err := writeScoreSheet(f, sheet, c, bold); err != nil {
			return fmt.Errorf("write scorecard %s: %w", sheet, err)
		}
	}
	const ev = "佐证"
	if _, err := f.NewSheet(ev); err != nil {
		return err
	}
	row := 1
	put := func(cells []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return f.SetSheetRow(ev, cell, &cells)
	}
	if err := put([]any{cards[0].Title() + " 佐证材料"}); err != nil {
		return err
	}
	if err := put(evidenceHeaders); err != nil {
		return err
	}
	for _, g := range cards[0].Groups {
		for _, r := range g.Rows {
			for _, e := range r.Evidence {
				link := ""
				if href != nil {
					link = href(e)
				}
				if err := put([]any{r.Indicator.Code, r.Indicator.Name, r.Group, e.KindName(), e.Title, e.On, e.ID, link}); err != nil {
					return err
				}
			}
		}
	}
	if err := f.SetCellStyle(ev, "A1", "H2", bold); err != nil {
		return err
	}
	f.SetColWidth(ev, "B", "B", 36)
	f.SetColWidth(ev, "E", "E", 40)
	return f.Write(w)
}

// evidenceWords is a row's evidence in a cell: how many facts it cites and the first one
// (3 条：区委常委会研究东西部协作 等), "" when none.
func evidenceWords(s xiezuo.IndicatorScore) string {
	n := len(s.Evidence) + s.EvidenceMore
	if n == 0 {
		return ""
	}
	w := fmt.Sprintf("%d 条：%s", n, s.Evidence[0].Title)
	if n > 1 {
		w += " 等（见“佐证”表）"
	}
	return w
}

func writeScoreSheet(f *excelize.File, sheet string, c xiezuo.Scorecard, bold int) error {
	row := 1
	put := func(cells []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return f.SetSheetRow(sheet, cell, &cells)
	}
	if err := put([]any{c.Title()}); err != nil {
		return err
	}
	head := []any{"维度"}
	if c.By != xiezuo.ByDimension {
		head = []any{c.By.Heading(), "维度"}
	}
	if err := put(append(head, scorecardHeaders...)); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(head)+len(scorecardHeaders), 2)
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}
	line := func(group string, s xiezuo.IndicatorScore, name string) []any {
		var value any = "未报送"
		if v := s.Value.Rounded(2); v.Valid {
			value = v.V
		}
		cells := []any{group}
		if c.By != xiezuo.ByDimension {
			cells = append(cells, s.Indicator.Dimension)
		}
		missing := ""
		for i, m := range s.Missing {
			if i > 0 {
				missing += "；"
			}
			missing += m
		}
		trend := s.TrendText()
		return append(cells, name, s.TargetText(), value, s.Unit(), s.LightWord(), trend, missing, evidenceWords(s))
	}
	for _, g := range c.Groups {
		for _, r := range g.Rows {
			if err := put(line(g.Name, r, r.Indicator.Name)); err != nil {
				return err
			}
			for _, p := range r.PartRows() {
				if err := put(line(g.Name, p, "　"+r.Indicator.Name+"（"+p.Group+"）")); err != nil {
					return err
				}
			}
		}
	}
	if len(c.Groups) == 0 {
		if err := put([]any{"（没有考核指标）"}); err != nil {
			return err
		}
	}
	name := 'B'
	if c.By != xiezuo.ByDimension {
		name = 'C'
	}
	f.SetColWidth(sheet, "A", "A", 18)
	f.SetColWidth(sheet, string(name), string(name), 40)
	return nil
}
