package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// fundHeaders are the columns of the funds rollup workbook: the group, then its projects and
// money in 万元 and its rates, then each source's allocated, disbursed and spent.
func fundHeaders() []any {
	h := []any{"项目分组", "项目数（个）", "计划区级帮扶资金（万元）", "累计下达（万元）", "累计拨付（万元）", "累计支出（万元）", "拨付率", "支出率"}
	for _, s := range xiezuo.FundSources {
		h = append(h, s.Text()+"下达（万元）", s.Text()+"拨付（万元）", s.Text()+"支出（万元）")
	}
	return h
}

// WriteFundTable writes the funds rollup (资金拨付使用情况) as one sheet under title: a row for
// the 合计, each year (over several plans), each region and each of its categories, with
// amounts in 万元 as numbers and rates as percentages (blank when unknown); then a sheet of the
// projects.
func WriteFundTable(w io.Writer, title string, t xiezuo.FundTable) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "资金拨付使用情况"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	wan := func(fen int64) float64 { return float64(fen) / xiezuo.FenPerWan }
	rate := func(r xiezuo.Ratio) any {
		if bp := r.BasisPoints(); bp.Valid {
			return float64(bp.V) / 10000
		}
		return ""
	}
	percent, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	row := 1
	put := func(cells []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return f.SetSheetRow(sheet, cell, &cells)
	}
	if err := put([]any{title}); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", bold); err != nil {
		return err
	}
	if err := put(fundHeaders()); err != nil {
		return err
	}
	group := func(g xiezuo.FundGroup) error {
		planned := any("")
		if n := g.Planned.Num(); n.Valid {
			planned = wan(n.V)
		}
		cells := []any{g.Label(), g.Projects, planned, wan(g.Allocated), wan(g.Disbursed), wan(g.Spent), rate(g.DisbursementRate()), rate(g.SpendingRate())}
		for _, s := range g.Sources {
			cells = append(cells, wan(s.Allocated), wan(s.Disbursed), wan(s.Spent))
		}
		return put(cells)
	}
	if err := group(t.Total); err != nil {
		return err
	}
	for _, d := range t.Districts {
		if err := group(d); err != nil {
			return err
		}
	}
	for _, y := range t.Years {
		if err := group(y); err != nil {
			return err
		}
	}
	for _, reg := range t.Regions {
		if err := group(reg.FundGroup); err != nil {
			return err
		}
		for _, c := range reg.Categories {
			if err := group(c); err != nil {
				return err
			}
		}
	}
	last := row - 1
	if err := f.SetCellStyle(sheet, "G3", fmt.Sprintf("H%d", max(last, 3)), percent); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 30); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "T", 14); err != nil {
		return err
	}

	const projects = "项目明细"
	if _, err := f.NewSheet(projects); err != nil {
		return err
	}
	row = 1
	put = func(cells []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return f.SetSheetRow(projects, cell, &cells)
	}
	if err := put([]any{"年度", "协作地区", "项目类别", "序号", "项目名称", "计划区级帮扶资金（万元）", "累计下达（万元）", "累计拨付（万元）", "累计支出（万元）", "拨付率", "支出率"}); err != nil {
		return err
	}
	for _, pr := range t.Rows {
		p := pr.Project
		planned := any("")
		if p.DistrictFund.Valid {
			planned = wan(p.DistrictFund.V)
		}
		if err := put([]any{pr.Year, p.Region, p.Category, p.Number, p.Name, planned, wan(pr.Allocated), wan(pr.Disbursed), wan(pr.Spent),
			rate(pr.DisbursementRate()), rate(pr.SpendingRate())}); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(projects, "J2", fmt.Sprintf("K%d", max(row-1, 2)), percent); err != nil {
		return err
	}
	if err := f.SetColWidth(projects, "E", "E", 40); err != nil {
		return err
	}
	return f.Write(w)
}
