// Package xlsx writes the plan's tables as workbooks laid out as the office's own documents.
package xlsx

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// ProjectsSheet is the name of the sheet WriteProjects writes.
const ProjectsSheet = "项目计划表"

// ProjectsHeader is the header row of the project table (附件3), in column order.
var ProjectsHeader = []string{
	"序号", "项目名称", "建设性质", "建设规模和建设内容", "项目总投资", "区级帮扶资金", "帮扶资金主要用途",
	"受益脱贫村", "受益脱贫人口", "吸纳脱贫人口", "项目实施单位", "项目负责人", "开工竣工时间", "项目效益",
	"项目牵头单位",
}

// Columns of the project table, 1-based as excelize counts them.
const (
	colNumber = iota + 1
	colName
	colNature
	colContent
	colTotalInvestment
	colDistrictFund
	colFundUse
	colVillages
	colPeople
	colEmployed
	colImplementer
	colManagers
	colPeriod
	colBenefit
	colLeadUnit
	numCols = colLeadUnit
)

// Live columns, after the 15 of 附件3 (WriteProjectTableLive).
const (
	colStatus = numCols + 1 + iota
	colStarted
	colDisbursed
	colRate
	numLiveCols = colRate
)

// LiveHeader is the header of the live columns, in column order after ProjectsHeader. No
// heading begins with one of 附件3's, so that xiezuo check reads the 15 columns as ever.
var LiveHeader = []string{"项目状态", "开工日期", "已拨付资金", "拨付率"}

// liveWidths are the live columns' widths.
var liveWidths = [numLiveCols - numCols]float64{8, 10, 11, 7}

// Live are the optional live columns of the project table: each project's status, the day it
// started, the money disbursed (拨付) and the disbursement rate (拨付率: disbursed over
// allocated) as of a day; a group's row sums its projects' money.
type Live struct {
	AsOf     xiezuo.Date
	Projects map[int64]xiezuo.LiveFigures // by project id; a project without an entry is planned, with no money
}

// colWidths are in Excel's character units. They add up to a table that fits the width of an
// A4 landscape page at about 70 %, the scale offices print 附件3 at.
var colWidths = [numCols]float64{5, 16, 6, 30, 9, 9, 24, 7, 7, 7, 13, 13, 11, 30, 11}

const (
	headerRows = 3  // title, unit, header: repeated on every printed page
	lineHeight = 13 // points per line of 10 pt 宋体
	fontFamily = "宋体"
	maxDecimal = 6 // 万元 with fen precision: 1 fen = 0.000001 万元
)

// WriteProjectsFile writes the project table to path. It writes a temporary file in the same
// folder and renames it, so that path holds either the whole workbook or what it held before.
func WriteProjectsFile(path string, p *xiezuo.Plan) error {
	return writeFile(path, func(w io.Writer) error { return WriteProjects(w, p) })
}

// WriteProjectsLiveFile writes the whole project table of p with the live columns
// (WriteProjectTableLive) to path, as WriteProjectsFile writes it.
func WriteProjectsLiveFile(path string, p *xiezuo.Plan, live Live) error {
	return writeFile(path, func(w io.Writer) error {
		return WriteProjectTableLive(w, p, xiezuo.Rollup(p, xiezuo.ProjectFilter{}), live)
	})
}

func writeFile(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteProjects writes the project table of p (附件3) to w as a workbook with one sheet,
// ProjectsSheet: the title, the unit, the header, then a 合计 row when there is more than one
// region, and for each region its subtotal row, and for each category its subtotal row followed
// by its projects, numbered from 1 in each region.
//
// Subtotal figures are those of xiezuo.Rollup: the ones the plan states (p.Subtotals), and
// otherwise computed (money and people summed; beneficiary villages, which are distinct counts,
// the least the subtotal can be). Unknown figures are left blank, never written as 0.
// Money is written in 万元 as exact numbers.
func WriteProjects(w io.Writer, p *xiezuo.Plan) error {
	return WriteProjectTable(w, p, xiezuo.Rollup(p, xiezuo.ProjectFilter{}))
}

// WriteProjectTable writes the project table of p as the filter of pt shows it (pt is
// xiezuo.Rollup of p), laid out as WriteProjects lays out the whole table. Groups the filter
// cuts have computed figures only; the download reads back with xiezuo check.
func WriteProjectTable(w io.Writer, p *xiezuo.Plan, pt xiezuo.ProjectTable) error {
	return writeProjectTable(w, p, pt, nil)
}

// WriteProjectTableLive writes the project table as WriteProjectTable does, with the live
// columns (LiveHeader) after the 15 of 附件3, as of live.AsOf: 项目状态, 开工日期, 已拨付资金
// (万元) and 拨付率 (blank when nothing was allocated: unknown, never 0). The unit row names the
// day. The 15 columns keep their values, so xiezuo check still reads the plan's figures.
func WriteProjectTableLive(w io.Writer, p *xiezuo.Plan, pt xiezuo.ProjectTable, live Live) error {
	return writeProjectTable(w, p, pt, &live)
}

func writeProjectTable(w io.Writer, p *xiezuo.Plan, pt xiezuo.ProjectTable, live *Live) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", ProjectsSheet); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	widths := colWidths[:]
	if live != nil {
		widths = append(slices.Clone(widths), liveWidths[:]...)
	}
	if err := setupPage(f, title(p)); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(ProjectsSheet)
	if err != nil {
		return fmt.Errorf("stream sheet: %w", err)
	}
	// The stream writer puts each column it is given before those it has, and writes them in
	// that order; Excel wants them in ascending order, so give them from the last.
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return fmt.Errorf("set column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      headerRows,
		TopLeftCell: "A4",
		ActivePane:  "bottomLeft",
	}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	t := &tableWriter{sw: sw, st: st, live: live, widths: widths}
	t.writeHead(title(p))
	t.writeBody(&pt)
	if len(t.ranges) > 0 {
		t.put([]any{excelize.Cell{StyleID: t.st.unit, Value: "注：受益脱贫村为不重复计算的村数，不能逐行相加；空白的小计栏只能确定范围（" +
			strings.Join(t.ranges, "；") + "）。"}}, 20)
		t.merge(1, len(t.widths))
	}
	if t.err != nil {
		return t.err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush sheet: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

func title(p *xiezuo.Plan) string {
	if p.Year == 0 {
		return p.District + "支援合作项目计划表"
	}
	return fmt.Sprintf("%d年%s支援合作项目计划表", p.Year, p.District)
}

// setupPage prints the table on A4 landscape, one page wide, with the title, unit and header
// rows on every page and the page number in the footer. It must run before the stream writer
// starts: the stream writer copies these settings from the sheet when it is created.
func setupPage(f *excelize.File, title string) error {
	a4, landscape, one, zero, yes := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(ProjectsSheet, &excelize.PageLayoutOptions{
		Size:        &a4,
		Orientation: &landscape,
		FitToWidth:  &one,
		FitToHeight: &zero,
	}); err != nil {
		return fmt.Errorf("set page layout: %w", err)
	}
	if err := f.SetSheetProps(ProjectsSheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return fmt.Errorf("set fit to page: %w", err)
	}
	side, topBottom, headFoot := 0.4, 0.6, 0.3
	if err := f.SetPageMargins(ProjectsSheet, &excelize.PageLayoutMarginsOptions{
		Left: &side, Right: &side, Top: &topBottom, Bottom: &topBottom,
		Header: &headFoot, Footer: &headFoot, Horizontally: &yes,
	}); err != nil {
		return fmt.Errorf("set page margins: %w", err)
	}
	if err := f.SetHeaderFooter(ProjectsSheet, &excelize.HeaderFooterOptions{
		OddFooter: "&C第 &P 页，共 &N 页",
	}); err != nil {
		return fmt.Errorf("set footer: %w", err)
	}
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$1:$%d", ProjectsSheet, headerRows),
		Scope:    ProjectsSheet,
	}); err != nil {
		return fmt.Errorf("set print titles: %w", err)
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "xiezuo"}); err != nil {
		return fmt.Errorf("set document properties: %w", err)
	}
	return nil
}

// styles holds the style IDs of the table's cells. Project rows and subtotal rows (bold) have
// the same kinds of cells.
type styles struct {
	title, unit, header int
	body, sub           rowStyles
}

type rowStyles struct {
	text    int // wrapped, left-aligned text
	center  int // short text, centred
	count   int // whole numbers
	percent int // a rate, 0.0%
	// money by number of decimals: Excel has no format that shows "up to 6 decimals" without
	// leaving a trailing point on whole numbers ("30."), so each exact decimal gets its own.
	money [maxDecimal + 1]int
}

func newStyles(f *excelize.File) (*styles, error) {
	var err error
	add := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		if err != nil {
			err = fmt.Errorf("new style: %w", err)
		}
		return id
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1},
		{Type: "bottom", Color: "000000", Style: 1},
	}
	st := &styles{
		title: add(&excelize.Style{
			Font:      &excelize.Font{Family: fontFamily, Size: 18, Bold: true},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
			NumFmt:    49,
		}),
		unit: add(&excelize.Style{
			Font:      &excelize.Font{Family: fontFamily, Size: 11},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"},
			NumFmt:    49,
		}),
		header: add(&excelize.Style{
			Font:      &excelize.Font{Family: fontFamily, Size: 10, Bold: true},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Border:    border,
			NumFmt:    49,
		}),
	}
	for i, rs := range []*rowStyles{&st.body, &st.sub} {
		font := &excelize.Font{Family: fontFamily, Size: 10, Bold: i == 1}
		cell := func(h string, numFmt int, custom string) int {
			s := &excelize.Style{
				Font:      font,
				Alignment: &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: true},
				Border:    border,
				NumFmt:    numFmt,
			}
			if custom != "" {
				s.CustomNumFmt = &custom
			}
			return add(s)
		}
		rs.text = cell("left", 49, "")
		rs.center = cell("center", 49, "")
		rs.count = cell("center", 1, "")
		rs.percent = cell("center", 0, "0.0%")
		for d := range rs.money {
			code := "0"
			if d > 0 {
				code += "." + strings.Repeat("0", d)
			}
			rs.money[d] = cell("center", 0, code)
		}
	}
	return st, err
}

// figures are the numeric columns of a row.
type figures struct {
	totalInvestment, districtFund, villages, people, employed xiezuo.Num
}

func projectFigures(pr *xiezuo.Project) figures {
	return figures{pr.TotalInvestment, pr.DistrictFund, pr.Villages, pr.People, pr.Employed}
}

// groupFigures are a group's figures as xiezuo.Rollup gives them: stated where the plan
// states them for the group shown whole, computed elsewhere. Beneficiary villages known only as
// a range (distinct counts of a group the filter cuts) are left blank, never written as if the
// least were the figure; the range goes in the table's note. (A group the plan states, shown
// whole, has its stated figure; a filtered one, or one the plan does not state, may not.)
func (t *tableWriter) groupFigures(g xiezuo.ProjectGroup) figures {
	var f figures
	f.totalInvestment, f.districtFund, f.villages, f.people, f.employed = g.Figure()
	if v := g.Villages(); v.Known && !v.Exact() {
		f.villages = xiezuo.Num{}
		label := g.Label()
		if g.Level == xiezuo.LevelCategory {
			label = g.Region + " " + label
		}
		t.ranges = append(t.ranges, label+" "+v.String()+" 个")
	}
	return f
}

// tableWriter writes rows one after another and keeps the first error.
type tableWriter struct {
	sw  *excelize.StreamWriter
	st  *styles
	row int
	err error
	buf []any
	// ranges are the groups whose beneficiary villages are known only as a range, as the
	// note below the table gives them.
	ranges []string
	live   *Live     // the live columns, or nil
	widths []float64 // every column's width
}

func (t *tableWriter) writeHead(title string) {
	n := len(t.widths)
	t.put([]any{excelize.Cell{StyleID: t.st.title, Value: title}}, 36)
	t.merge(1, n)
	unit := "(单位:万元)"
	if t.live != nil {
		unit = "(单位:万元；项目状态、开工日期、已拨付资金、拨付率截至 " + t.live.AsOf.String() + ")"
	}
	t.put([]any{excelize.Cell{StyleID: t.st.unit, Value: unit}}, 20)
	t.merge(1, n)
	cells := make([]any, n)
	for i, h := range ProjectsHeader {
		cells[i] = excelize.Cell{StyleID: t.st.header, Value: h}
	}
	if t.live != nil {
		for i, h := range LiveHeader {
			cells[numCols+i] = excelize.Cell{StyleID: t.st.header, Value: h}
		}
	}
	t.put(cells, 40)
}

func (t *tableWriter) writeBody(pt *xiezuo.ProjectTable) {
	if len(pt.Regions) > 1 {
		t.subtotal(pt.Total.Label(), t.groupFigures(pt.Total), pt.Total.Projects)
	}
	for _, r := range pt.Regions {
		t.subtotal(r.Label(), t.groupFigures(r.ProjectGroup), r.Projects)
		number := 0
		for _, c := range r.Categories {
			if c.HasRow() {
				t.subtotal(c.Label(), t.groupFigures(c), c.Projects)
			}
			for i := range c.Projects {
				// The plan's own 序号, so that a filtered download read back renumbers nothing.
				number++
				n := c.Projects[i].Number
				if n == 0 {
					n = number
				}
				t.project(n, &c.Projects[i])
			}
		}
	}
}

// subtotal writes a 合计, region or category row: the label merged across A:D, then the figures.
func (t *tableWriter) subtotal(label string, f figures, projects []xiezuo.Project) {
	s := &t.st.sub
	cells := t.cells(s)
	cells[colNumber-1] = excelize.Cell{StyleID: s.text, Value: label}
	t.figures(cells, s, f)
	if t.live != nil {
		var sum xiezuo.LiveFigures
		for _, pr := range projects {
			l := t.live.Projects[pr.ID]
			sum.Allocated += l.Allocated
			sum.Disbursed += l.Disbursed
		}
		t.money(cells, s, colDisbursed, xiezuo.Known(sum.Disbursed))
		t.rate(cells, s, sum)
	}
	t.put(cells, 0)
	t.merge(colNumber, colContent)
}

func (t *tableWriter) project(number int, pr *xiezuo.Project) {
	s := &t.st.body
	cells := t.cells(s)
	text := func(col, style int, v string) {
		if v != "" {
			cells[col-1] = excelize.Cell{StyleID: style, Value: v}
		}
	}
	cells[colNumber-1] = excelize.Cell{StyleID: s.count, Value: number}
	text(colName, s.text, pr.Name)
	text(colNature, s.center, pr.Nature)
	text(colContent, s.text, pr.Content)
	text(colFundUse, s.text, pr.FundUse)
	text(colImplementer, s.text, pr.Implementer)
	text(colManagers, s.text, pr.Managers)
	text(colPeriod, s.center, periodText(pr.Period))
	text(colBenefit, s.text, pr.Benefit)
	lead := pr.LeadUnitWritten
	if lead == "" {
		lead = pr.LeadUnit
	}
	text(colLeadUnit, s.center, lead)
	t.figures(cells, s, projectFigures(pr))
	if t.live != nil {
		l := t.live.Projects[pr.ID]
		text(colStatus, s.center, xiezuo.StatusWord(l.Status))
		text(colStarted, s.center, l.StartedOn.String())
		t.money(cells, s, colDisbursed, xiezuo.Known(l.Disbursed))
		t.rate(cells, s, l)
	}
	t.put(cells, rowHeight(cells))
}

// cells returns the row's cells, each empty but bordered.
func (t *tableWriter) cells(s *rowStyles) []any {
	if t.buf == nil {
		t.buf = make([]any, len(t.widths))
	}
	for i := range t.buf {
		t.buf[i] = excelize.Cell{StyleID: s.text}
	}
	return t.buf
}

// money writes an amount in 万元 as an exact number; nothing when it is unknown.
func (t *tableWriter) money(cells []any, s *rowStyles, col int, v xiezuo.Num) {
	if !v.Valid {
		return
	}
	wan := xiezuo.FormatWan(v.V)
	x, err := strconv.ParseFloat(wan, 64)
	if err != nil && t.err == nil {
		t.err = fmt.Errorf("money %s: %w", wan, err)
	}
	d := 0
	if _, frac, ok := strings.Cut(wan, "."); ok {
		d = min(len(frac), maxDecimal)
	}
	cells[col-1] = excelize.Cell{StyleID: s.money[d], Value: x}
}

// rate writes the disbursement rate as a percentage with one decimal; blank when nothing was
// allocated.
func (t *tableWriter) rate(cells []any, s *rowStyles, l xiezuo.LiveFigures) {
	if r, ok := l.DisbursementRate(); ok {
		cells[colRate-1] = excelize.Cell{StyleID: s.percent, Value: r}
	}
}

func (t *tableWriter) figures(cells []any, s *rowStyles, f figures) {
	money := func(col int, v xiezuo.Num) { t.money(cells, s, col, v) }
	count := func(col int, v xiezuo.Num) {
		if v.Valid {
			cells[col-1] = excelize.Cell{StyleID: s.count, Value: v.V}
		} else {
			cells[col-1] = excelize.Cell{StyleID: s.count}
		}
	}
	cells[colTotalInvestment-1] = excelize.Cell{StyleID: s.money[0]}
	cells[colDistrictFund-1] = excelize.Cell{StyleID: s.money[0]}
	money(colTotalInvestment, f.totalInvestment)
	money(colDistrictFund, f.districtFund)
	count(colVillages, f.villages)
	count(colPeople, f.people)
	count(colEmployed, f.employed)
}

func (t *tableWriter) put(cells []any, height float64) {
	if t.err != nil {
		return
	}
	t.row++
	cell, _ := excelize.CoordinatesToCellName(1, t.row)
	if err := t.sw.SetRow(cell, cells, excelize.RowOpts{Height: height}); err != nil {
		t.err = fmt.Errorf("write row %d: %w", t.row, err)
	}
}

// merge merges columns from..to of the row just written.
func (t *tableWriter) merge(from, to int) {
	if t.err != nil {
		return
	}
	a, _ := excelize.CoordinatesToCellName(from, t.row)
	b, _ := excelize.CoordinatesToCellName(to, t.row)
	if err := t.sw.MergeCell(a, b); err != nil {
		t.err = fmt.Errorf("merge %s:%s: %w", a, b, err)
	}
}

// periodText writes a project's 开工竣工时间 as the plan wrote it, or as offices write it.
func periodText(p xiezuo.Period) string {
	if p.Text != "" {
		return p.Text
	}
	ym := func(m xiezuo.YearMonth) string { return fmt.Sprintf("%d年%d月", m.Year, m.Month) }
	switch {
	case p.Start.IsZero() && p.Finish.IsZero():
		return ""
	case p.Finish.IsZero():
		return ym(p.Start)
	case p.Start.IsZero():
		return ym(p.Finish)
	}
	return ym(p.Start) + "-" + ym(p.Finish)
}

// rowHeight estimates the height in points a project row needs to show its wrapped text:
// Excel does not size rows to wrapped text when it opens a file, so a row left at the default
// height would show one line of each cell.
func rowHeight(cells []any) float64 {
	lines := 1
	for i, c := range cells {
		s, ok := c.(excelize.Cell).Value.(string)
		if !ok || s == "" {
			continue
		}
		lines = max(lines, textLines(s, widthOf(i)))
	}
	return min(float64(lines*lineHeight+4), excelize.MaxRowHeight)
}

// widthOf is the width of column i (0-based), a live one too.
func widthOf(i int) float64 {
	if i < numCols {
		return colWidths[i]
	}
	return liveWidths[i-numCols]
}

// textLines counts the lines s takes in a column width characters wide, a CJK character
// taking the width of two digits.
func textLines(s string, width float64) int {
	usable := max(int(width)-1, 1)
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		w := 0
		for len(line) > 0 {
			r, size := utf8.DecodeRuneInString(line)
			line = line[size:]
			if r >= 0x1100 {
				w += 2
			} else {
				w++
			}
		}
		n += max(1, int(math.Ceil(float64(w)/float64(usable))))
	}
	return n
}
