package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// The templates of upper platforms (xiezuo.PlatformLayout): ReadLayoutTemplate shows the office
// a template's first rows and proposes where its header and data rows are; FillLayoutTemplate
// writes the rows into a copy of it, keeping its header rows, styles and merged cells.

// Bounds of a template, beside xiezuo.MaxLayoutTemplate (its size as uploaded): a template is a
// header and a few rows, not a data workbook.
const (
	maxTemplateParts    = 200
	maxTemplateUnzipped = 16 << 20
	maxTemplatePart     = 4 << 20
	maxTemplateSheets   = 30
	templateRowsShown   = xiezuo.MaxLayoutRow + 5
	maxTemplateCellText = 200
)

// TemplateInfo is what the office sees of a template to map it.
type TemplateInfo struct {
	Sheets []string
	Sheet  string
	Rows   [][]string // the first rows of the sheet as shown (a merged range's text in its first cell only)
	MaxCol int
	// Proposed (or, when asked for, given) rows: 1-based; TotalRow 0 when none reads 合计.
	HeaderFirst, HeaderLast, DataRow, TotalRow int
	Columns                                    []xiezuo.LayoutColumn // one per column, Field proposed
	Title                                      map[string]string     // the cells above the header: ref → text
	Merges                                     []Merge               // the merged ranges that start in the rows shown
}

// Merge is a merged range of a template: its first cell and how many rows and columns it spans.
type Merge struct{ Row, Col, Rows, Cols int }

// checkTemplate refuses a workbook that is not a small, plain .xlsx before excelize opens it.
func checkTemplate(data []byte) error {
	if len(data) > xiezuo.MaxLayoutTemplate {
		return xiezuo.Errorf(xiezuo.ETOOLARGE, "模板文件太大（%.1f MB），最多 %d MB", float64(len(data))/(1<<20), xiezuo.MaxLayoutTemplate>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return xiezuo.Errorf(xiezuo.EINVALID, "模板不是 .xlsx 工作簿（请在 Excel 或 WPS 中另存为 .xlsx 后上传）")
	}
	if len(zr.File) > maxTemplateParts {
		return xiezuo.Errorf(xiezuo.EINVALID, "模板工作簿含有 %d 个部件，最多 %d 个：请只保留要填写的表格", len(zr.File), maxTemplateParts)
	}
	var total uint64
	hasBook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > maxTemplatePart && !strings.HasPrefix(f.Name, "xl/media/") {
			return xiezuo.Errorf(xiezuo.EINVALID, "模板工作簿的部件 %s 解压后太大（%d MB），模板只需表头和几行", f.Name, f.UncompressedSize64>>20)
		}
		hasBook = hasBook || f.Name == "xl/workbook.xml"
	}
	if total > maxTemplateUnzipped {
		return xiezuo.Errorf(xiezuo.EINVALID, "模板工作簿解压后太大（%d MB），最多 %d MB", total>>20, maxTemplateUnzipped>>20)
	}
	if !hasBook {
		return xiezuo.Errorf(xiezuo.EINVALID, "模板不是 .xlsx 工作簿（请在 Excel 或 WPS 中另存为 .xlsx 后上传）")
	}
	return nil
}

func openTemplate(data []byte) (*excelize.File, error) {
	if err := checkTemplate(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxTemplateUnzipped, UnzipXMLSizeLimit: maxTemplatePart})
	if err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取模板工作簿（%s）：请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传", "文件已损坏或不是 .xlsx")
	}
	if n := len(f.GetSheetList()); n > maxTemplateSheets {
		f.Close()
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "模板有 %d 个工作表，最多 %d 个", n, maxTemplateSheets)
	}
	return f, nil
}

// ReadLayoutTemplate reads a template's sheet (the first when sheet is ""), and proposes where its
// header rows, first data row and 合计 row are, and a field for each column. Non-zero
// headerFirst, headerLast and dataRow are the office's corrections and are kept.
func ReadLayoutTemplate(data []byte, kind xiezuo.LayoutKind, sheet string, headerFirst, headerLast, dataRow int) (TemplateInfo, error) {
	var ti TemplateInfo
	f, err := openTemplate(data)
	if err != nil {
		return ti, err
	}
	defer f.Close()
	ti.Sheets = f.GetSheetList()
	if sheet == "" && len(ti.Sheets) > 0 {
		sheet = ti.Sheets[f.GetActiveSheetIndex()%len(ti.Sheets)]
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return ti, xiezuo.Errorf(xiezuo.EINVALID, "模板中没有工作表“%s”", sheet)
	}
	ti.Sheet = sheet
	rows, err := f.Rows(sheet)
	if err != nil {
		return ti, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”", sheet)
	}
	for len(ti.Rows) < templateRowsShown && rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return ti, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”第%d行", sheet, len(ti.Rows)+1)
		}
		if len(cols) > xiezuo.MaxLayoutColumns {
			cols = trimRight(cols)
			if len(cols) > xiezuo.MaxLayoutColumns {
				rows.Close()
				return ti, xiezuo.Errorf(xiezuo.EINVALID, "工作表“%s”第%d行有 %d 列，最多 %d 列", sheet, len(ti.Rows)+1, len(cols), xiezuo.MaxLayoutColumns)
			}
		}
		for i, c := range cols {
			if utf8.RuneCountInString(c) > maxTemplateCellText {
				cols[i] = string([]rune(c)[:maxTemplateCellText]) + "…"
			}
		}
		ti.Rows = append(ti.Rows, cols)
		ti.MaxCol = max(ti.MaxCol, len(trimRight(cols)))
	}
	rows.Close()
	if ti.MaxCol == 0 {
		return ti, xiezuo.Errorf(xiezuo.EINVALID, "工作表“%s”的前 %d 行是空的：请上传带表头的模板", sheet, templateRowsShown)
	}
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		return ti, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”的合并单元格", sheet)
	}
	grid := filledGrid(ti.Rows, ti.MaxCol, merges)
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 == nil && err2 == nil && r1 <= len(ti.Rows) && c1 <= ti.MaxCol {
			ti.Merges = append(ti.Merges, Merge{Row: r1, Col: c1, Rows: min(r2, len(ti.Rows)) - r1 + 1, Cols: min(c2, ti.MaxCol) - c1 + 1})
		}
	}
	ti.HeaderFirst, ti.HeaderLast, ti.DataRow, ti.TotalRow = proposeRows(ti.Rows, grid, ti.MaxCol)
	if headerFirst > 0 {
		ti.HeaderFirst = headerFirst
	}
	if headerLast > 0 {
		ti.HeaderLast = headerLast
	}
	if dataRow > 0 {
		ti.DataRow = dataRow
		if ti.TotalRow == dataRow {
			ti.TotalRow = 0
		}
	}
	var headers []string
	for c := 1; c <= ti.MaxCol; c++ {
		var parts []string
		for r := ti.HeaderFirst; r >= 1 && r <= ti.HeaderLast && r <= len(grid); r++ {
			if v := strings.TrimSpace(grid[r-1][c-1]); v != "" && (len(parts) == 0 || parts[len(parts)-1] != v) {
				parts = append(parts, v)
			}
		}
		headers = append(headers, strings.Join(parts, "\n"))
	}
	fields := xiezuo.ProposeMapping(kind, headers)
	for c := 1; c <= ti.MaxCol; c++ {
		col := xiezuo.LayoutColumn{Col: c, Header: headers[c-1], Field: fields[c-1]}
		if ti.DataRow > 0 {
			col.TextFormat = textFormat(f, sheet, cellName(c, ti.DataRow))
		}
		ti.Columns = append(ti.Columns, col)
	}
	ti.Title = map[string]string{}
	for r := 1; r < ti.HeaderFirst && r <= len(ti.Rows); r++ {
		for c, v := range ti.Rows[r-1] {
			if strings.TrimSpace(v) != "" {
				ti.Title[cellName(c+1, r)] = v
			}
		}
	}
	return ti, nil
}

func trimRight(cols []string) []string {
	for len(cols) > 0 && strings.TrimSpace(cols[len(cols)-1]) == "" {
		cols = cols[:len(cols)-1]
	}
	return cols
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// filledGrid is the rows with each merged range's text copied into every cell it covers.
func filledGrid(rows [][]string, maxCol int, merges []excelize.MergeCell) [][]string {
	grid := make([][]string, len(rows))
	for r := range rows {
		grid[r] = make([]string, maxCol)
		copy(grid[r], rows[r])
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 > len(rows) {
			continue
		}
		v := m.GetCellValue()
		for r := r1; r <= min(r2, len(rows)); r++ {
			for c := c1; c <= min(c2, maxCol); c++ {
				grid[r-1][c-1] = v
			}
		}
	}
	return grid
}

var (
	reNumber = regexp.MustCompile(`^[-+]?[0-9,]+(\.[0-9]+)?%?$`)
	reTotal  = regexp.MustCompile(`^\s*(合\s*计|总\s*计)`)
)

// proposeRows finds the header: its first row is the first with three cells or more (the
// title rows above have one or two); it runs down while rows hold only words, no number, no 合计;
// a row of column numbers (1 2 3 …) under it is skipped; the first data row follows. A row that
// reads 合计 just above or below the first data row is the 合计 row.
func proposeRows(rows, grid [][]string, maxCol int) (first, last, data, total int) {
	filled := func(r []string) (n int, nums int, hasTotal bool) {
		for _, v := range r {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			n++
			if reNumber.MatchString(v) {
				nums++
			}
			if reTotal.MatchString(v) {
				hasTotal = true
			}
		}
		return
	}
	for i, r := range rows {
		if n, _, _ := filled(r); n >= min(3, maxCol) {
			first = i + 1
			break
		}
	}
	if first == 0 {
		return 1, 1, 2, 0
	}
	last = first
	for i := first; i < len(grid); i++ {
		n, nums, tot := filled(grid[i])
		if n == 0 || nums > 0 || tot {
			break
		}
		last = i + 1
	}
	data = last + 1
	if data <= len(rows) {
		if n, nums, _ := filled(rows[data-1]); n >= 3 && nums == n {
			data++ // the row of column numbers
		}
	}
	for _, r := range []int{data, data + 1, data + 2} {
		if r <= len(rows) {
			if _, _, tot := filled(rows[r-1]); tot {
				total = r
				break
			}
		}
	}
	if total == data {
		data++ // 合计 first, the rows under it
	}
	return first, last, data, total
}

// textFormat reports whether a cell is formatted as text (number format 49, or "@").
func textFormat(f *excelize.File, sheet, cell string) bool {
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil || id == 0 {
		return false
	}
	st, err := f.GetStyle(id)
	if err != nil || st == nil {
		return false
	}
	return st.NumFmt == 49 || (st.CustomNumFmt != nil && *st.CustomNumFmt == "@")
}

// FillLayoutTemplate writes a filled layout into a copy of its template: the header rows, the
// styles and the merged cells stay; the rows go from the first data row down, each cell with
// the style the first data row's cell has (money and rates in a column left General — Excel's
// format 0 or LibreOffice's and WPS's own General — are shown as 0.00 万元 and 0.00%, their
// values exact: numberStyle); rows below the first data row (a 合计 row, notes) move down under them; the 合计
// row gets the sums; the title cells say the reporting unit and the dates, each field a cell
// names.
func FillLayoutTemplate(w io.Writer, l xiezuo.PlatformLayout, fill xiezuo.LayoutFill) error {
	f, err := openTemplate(l.Template)
	if err != nil {
		return err
	}
	defer f.Close()
	sheet := l.Sheet
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return xiezuo.Errorf(xiezuo.EINVALID, "模板中没有工作表“%s”", sheet)
	}
	styles := map[int]int{}
	nums := map[int]int{}
	for _, c := range l.Columns {
		id, err := f.GetCellStyle(sheet, cellName(c.Col, l.DataRow))
		if err != nil {
			return fmt.Errorf("style of %s: %w", cellName(c.Col, l.DataRow), err)
		}
		styles[c.Col] = id
		if fd, _ := xiezuo.LookupLayoutField(c.Field); fd.Type == xiezuo.FieldTypeRate || fd.Type == xiezuo.FieldTypeMoney {
			nums[c.Col] = numberStyle(f, id, fd.Type)
		}
	}
	height, _ := f.GetRowHeight(sheet, l.DataRow)
	n := len(fill.Rows)
	total := l.TotalRow
	if n > 1 {
		if err := f.InsertRows(sheet, l.DataRow+1, n-1); err != nil {
			return fmt.Errorf("insert rows: %w", err)
		}
		if total > l.DataRow {
			total += n - 1
		}
	}
	for k, vals := range fill.Rows {
		r := l.DataRow + k
		if k > 0 && height > 0 {
			if err := f.SetRowHeight(sheet, r, height); err != nil {
				return err
			}
		}
		for i, c := range l.Columns {
			if err := writeLayoutCell(f, sheet, c.Col, r, vals[i], styles[c.Col], nums[c.Col]); err != nil {
				return err
			}
		}
	}
	if total > 0 {
		for i, c := range l.Columns {
			if v := fill.Total[i]; !v.Blank() {
				style, _ := f.GetCellStyle(sheet, cellName(c.Col, total))
				if err := writeLayoutCell(f, sheet, c.Col, total, v, style, numberStyle(f, style, v.Type)); err != nil {
					return err
				}
			}
		}
	}
	for ref, text := range fill.Cells {
		if err := f.SetCellStr(sheet, ref, text); err != nil {
			return xiezuo.Errorf(xiezuo.EINVALID, "无法写入单元格 %s", ref)
		}
	}
	f.SetActiveSheet(max(0, indexOf(f.GetSheetList(), sheet)))
	return f.Write(w)
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func writeLayoutCell(f *excelize.File, sheet string, col, row int, v xiezuo.LayoutValue, style, numStyle int) error {
	cell := cellName(col, row)
	// A formula the template left in the cell (=SUM(F5:F5)) would not cover the rows written.
	if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
		if err := f.SetCellFormula(sheet, cell, ""); err != nil {
			return err
		}
	}
	var err error
	switch {
	case v.IsNum:
		err = f.SetCellFloat(sheet, cell, v.Num, -1, 64)
	case v.Text != "":
		err = f.SetCellStr(sheet, cell, v.Text)
	default:
		err = f.SetCellValue(sheet, cell, nil)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", cell, err)
	}
	if v.IsNum && numStyle != 0 {
		style = numStyle
	}
	return f.SetCellStyle(sheet, cell, cell, style)
}

// Number formats of the values a template leaves General: money in 万元 with two decimals (the
// value itself stays exact: 21.36165 is shown 21.36 and sums to the fen), a rate as a
// percentage with two decimals (0.712055 is shown 71.21%).
const (
	moneyFormat = "0.00"
	rateFormat  = "0.00%"
)

// numberStyle is style with the number format of its type (moneyFormat, rateFormat) when the
// template gives it none: General, as Excel writes it (format 0) or as LibreOffice and WPS do (a
// format of their own whose code is General). 0 when the template's own format is kept, or the
// type has none.
func numberStyle(f *excelize.File, style int, t xiezuo.LayoutFieldType) int {
	var fm string
	switch t {
	case xiezuo.FieldTypeMoney:
		fm = moneyFormat
	case xiezuo.FieldTypeRate:
		fm = rateFormat
	default:
		return 0
	}
	st := &excelize.Style{}
	if style != 0 {
		s, err := f.GetStyle(style)
		if err != nil || s == nil {
			return 0
		}
		st = s
	}
	general := st.NumFmt == 0 && (st.CustomNumFmt == nil || strings.EqualFold(strings.TrimSpace(*st.CustomNumFmt), "General"))
	if !general {
		return 0
	}
	st.NumFmt = 0
	st.CustomNumFmt = &fm
	id, err := f.NewStyle(st)
	if err != nil {
		return 0
	}
	return id
}

// LayoutFileName is the name of a filled layout's download: the layout's name, the plan and the day.
func LayoutFileName(l xiezuo.PlatformLayout, district string, year int, asOf xiezuo.Date) string {
	return fmt.Sprintf("%s（%s%d年，截至%s）.xlsx", l.Name, district, year, asOf.String())
}
