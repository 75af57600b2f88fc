package xlsx

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// TasksSheet is the name of the sheet WriteTasks writes.
const TasksSheet = "任务清单"

// TasksHeader is the header of the task list (附件2) as the 2021 plan lays it out.
var TasksHeader = []string{"工作事项", "任务类别", "任务内容", "责任部门", "完成时限"}

// TaskStatusHeader is the header of the status columns after TasksHeader. None is a heading the
// task list's reader takes, so xiezuo check reads the plan's columns and ignores these.
var TaskStatusHeader = []string{"进展状态", "最近报送", "审核", "完成情况"}

// taskWidths are the columns' widths in Excel's character units: the plan's five, then the
// status columns; they fit an A4 landscape page at about 75 %.
var taskWidths = []float64{12, 12, 44, 26, 11, 15, 11, 16, 32}

// ProgressChars is how many characters of the last accepted report the 完成情况 column keeps;
// a longer text is cut there and ends with “…”.
const ProgressChars = 150

// TaskTable is the progress the status columns show: each task's (xiezuo.TasksProgress, in any
// order) as of AsOf. A task without an entry has blank status columns.
type TaskTable struct {
	AsOf     xiezuo.Date
	Progress []xiezuo.TaskProgress
}

// WriteTasksFile writes the task list with its status columns (WriteTasks) to path, as
// WriteProjectsFile writes: path holds either the whole workbook or what it held before.
func WriteTasksFile(path string, p *xiezuo.Plan, t TaskTable) error {
	return writeFile(path, func(w io.Writer) error { return WriteTasks(w, p, t) })
}

// WriteTasks writes the task list of p (附件2) as the office hands it upward: one sheet,
// TasksSheet, with the title, a line naming the day of the status, the header, and a row per
// task in plan order with the plan's five columns as the plan writes them (a work item written
// once and merged down over its tasks, the responsible units as written, 等 kept) and the
// status columns: 进展状态 (TaskProgress.StatusWord: the words of the task list page, in the
// light's colour), 最近报送 (the day of the latest report to the office), 审核 (the office's
// decision on it and the reports waiting to be redone: TaskProgress.ReviewWord) and 完成情况
// (the last accepted report's text, cut at ProgressChars). The title says it is 附件2 with its
// progress as of AsOf, and the line under it what the status means (TasksNote).
func WriteTasks(w io.Writer, p *xiezuo.Plan, t TaskTable) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", TasksSheet); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	lights, err := lightStyles(f)
	if err != nil {
		return err
	}
	title := tasksTitle(p)
	if err := setupTaskPage(f, title); err != nil {
		return err
	}
	n := len(taskWidths)
	last, _ := excelize.ColumnNumberToName(n)
	for i, wd := range taskWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(TasksSheet, col, col, wd); err != nil {
			return fmt.Errorf("set column width: %w", err)
		}
	}
	tw := &taskWriter{f: f}
	tw.row(36, excelize.Cell{StyleID: st.title, Value: title + "（附件2）及进展（截至" + xiezuo.DraftChineseDate(t.AsOf) + "）"})
	tw.merge("A1", last+"1")
	note, err := noteStyle(f)
	if err != nil {
		return err
	}
	tw.row(float64(3*lineHeight+6), excelize.Cell{StyleID: note, Value: TasksNote(len(p.Tasks), t)})
	tw.merge("A2", last+"2")
	head := make([]any, 0, n)
	for _, h := range append(append([]string{}, TasksHeader...), TaskStatusHeader...) {
		head = append(head, excelize.Cell{StyleID: st.header, Value: h})
	}
	tw.row(30, head...)
	byID := make(map[int64]xiezuo.TaskProgress, len(t.Progress))
	for _, tp := range t.Progress {
		if tp.Task != nil {
			byID[tp.Task.ID] = tp
		}
	}
	s := &st.body
	itemStart, item := 0, ""
	closeItem := func() {
		if itemStart > 0 && tw.n > itemStart {
			tw.merge(fmt.Sprintf("A%d", itemStart), fmt.Sprintf("A%d", tw.n))
		}
	}
	for i := range p.Tasks {
		tk := &p.Tasks[i]
		cells := make([]any, n)
		for j := range cells {
			cells[j] = excelize.Cell{StyleID: s.text}
		}
		if tk.WorkItem != item || itemStart == 0 {
			closeItem()
			item, itemStart = tk.WorkItem, tw.n+1
			cells[0] = excelize.Cell{StyleID: s.center, Value: tk.WorkItem}
		} else {
			cells[0] = excelize.Cell{StyleID: s.center}
		}
		cells[1] = excelize.Cell{StyleID: s.center, Value: tk.Category}
		cells[2] = excelize.Cell{StyleID: s.text, Value: tk.Content}
		cells[3] = excelize.Cell{StyleID: s.text, Value: unitsText(tk.Units, tk.UnitsOpen)}
		cells[4] = excelize.Cell{StyleID: s.center, Value: tk.Deadline.Text}
		if tp, ok := byID[tk.ID]; ok {
			cells[5] = excelize.Cell{StyleID: lights[tp.State.Light.Color], Value: tp.StatusWord()}
			if tp.Last != nil {
				cells[6] = excelize.Cell{StyleID: s.center, Value: xiezuo.DayOf(tp.Last.SubmittedAt).String()}
			}
			cells[7] = excelize.Cell{StyleID: s.center, Value: tp.ReviewWord()}
			cells[8] = excelize.Cell{StyleID: s.text, Value: shorten(tp.Accepted, ProgressChars)}
		}
		tw.row(taskRowHeight(cells), cells...)
	}
	closeItem()
	if tw.err != nil {
		return tw.err
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// TasksNote is the line under the title: what the workbook covers (附件2's tasks, as of which
// day), what 进展状态 says and how many tasks are in each state, and why the supervision page
// counts differently (it also follows work points and projects), so that the workbook never
// seems to contradict the pages.
func TasksNote(tasks int, t TaskTable) string {
	var red, yellow, redo, done int
	for _, tp := range t.Progress {
		switch tp.State.Light.Color {
		case xiezuo.LightRed:
			red++
		case xiezuo.LightYellow:
			yellow++
		case xiezuo.LightDone:
			done++
		}
		if len(tp.Redo) > 0 {
			redo++
		}
	}
	return fmt.Sprintf("本表为附件2 任务清单的 %d 项任务，进展截至 %s。"+
		"「进展状态」与平台「任务清单」页相同，按每项任务向办公室报送的日期计："+
		"逾期未报 %d 项，即将到期尚未报送（临期）%d 项，报告被退回待重报 %d 项，已销号 %d 项。"+
		"「最近报送」「审核」是最近一份报送办公室的报告及办公室的意见，「完成情况」摘自办公室最近通过的报告。"+
		"「督查督办」页的逾期、临期个数还包括工作要点和项目，与本表只计任务不同。",
		tasks, xiezuo.DraftChineseDate(t.AsOf), red, yellow, redo, done)
}

// noteStyle is the style of the line under the title: 9 pt, wrapped, left-aligned.
func noteStyle(f *excelize.File) (int, error) {
	id, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Family: fontFamily, Size: 9},
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true},
	})
	if err != nil {
		return 0, fmt.Errorf("new style: %w", err)
	}
	return id, nil
}

// tasksTitle is the title of the task list as plans write it.
func tasksTitle(p *xiezuo.Plan) string {
	if p.Year == 0 {
		return p.District + "支援合作工作任务清单"
	}
	return fmt.Sprintf("%d年%s支援合作工作任务清单", p.Year, p.District)
}

// unitsText writes responsible units as the plan wrote them: 区委办公室、区政府办公室等. Roles
// the plan stated are kept the way the reader takes them back: the leads marked （牵头）, the
// others after them cooperating.
func unitsText(rs []xiezuo.Responsibility, open bool) string {
	stated := false
	for _, r := range rs {
		stated = stated || r.Stated
	}
	names := make([]string, 0, len(rs))
	for _, r := range rs {
		name := r.Written
		if name == "" {
			name = r.Unit
		}
		if stated && r.Role == xiezuo.RoleLead {
			name += "（牵头）"
		}
		names = append(names, name)
	}
	s := strings.Join(names, "、")
	if open && s != "" {
		s += "等"
	}
	return s
}

// shorten cuts s after n characters, ending it with “…”.
func shorten(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// lightStyles are the 进展状态 cells' styles: the word in its light's colour, bold, so that the
// column reads at a glance and still by its word alone when printed in black.
func lightStyles(f *excelize.File) (map[xiezuo.LightColor]int, error) {
	colors := map[xiezuo.LightColor]string{
		xiezuo.LightOpen: "595959", xiezuo.LightGreen: "2E7D32", xiezuo.LightYellow: "B26A00",
		xiezuo.LightRed: "C62828", xiezuo.LightDone: "595959",
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	out := map[xiezuo.LightColor]int{}
	for c, rgb := range colors {
		id, err := f.NewStyle(&excelize.Style{
			Font:      &excelize.Font{Family: fontFamily, Size: 10, Bold: true, Color: rgb},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Border:    border,
			NumFmt:    49,
		})
		if err != nil {
			return nil, fmt.Errorf("new style: %w", err)
		}
		out[c] = id
	}
	return out, nil
}

// setupTaskPage prints the task list on A4 landscape, one page wide, with the title, the day
// and the header on every page and the page number in the footer.
func setupTaskPage(f *excelize.File, title string) error {
	a4, landscape, one, zero, yes := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(TasksSheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return fmt.Errorf("set page layout: %w", err)
	}
	if err := f.SetSheetProps(TasksSheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return fmt.Errorf("set fit to page: %w", err)
	}
	side, topBottom, headFoot := 0.4, 0.6, 0.3
	if err := f.SetPageMargins(TasksSheet, &excelize.PageLayoutMarginsOptions{
		Left: &side, Right: &side, Top: &topBottom, Bottom: &topBottom, Header: &headFoot, Footer: &headFoot, Horizontally: &yes,
	}); err != nil {
		return fmt.Errorf("set page margins: %w", err)
	}
	if err := f.SetHeaderFooter(TasksSheet, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"}); err != nil {
		return fmt.Errorf("set footer: %w", err)
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", TasksSheet, headerRows), Scope: TasksSheet}); err != nil {
		return fmt.Errorf("set print titles: %w", err)
	}
	if err := f.SetPanes(TasksSheet, &excelize.Panes{Freeze: true, YSplit: headerRows, TopLeftCell: "A4", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "xiezuo"}); err != nil {
		return fmt.Errorf("set document properties: %w", err)
	}
	return nil
}

// taskWriter writes rows one after another and keeps the first error.
type taskWriter struct {
	f   *excelize.File
	n   int // the last row written
	err error
}

func (t *taskWriter) row(height float64, cells ...any) {
	if t.err != nil {
		return
	}
	t.n++
	for i, c := range cells {
		cell := c.(excelize.Cell)
		ref, _ := excelize.CoordinatesToCellName(i+1, t.n)
		if cell.Value != nil && cell.Value != "" {
			if err := t.f.SetCellValue(TasksSheet, ref, cell.Value); err != nil {
				t.err = fmt.Errorf("write %s: %w", ref, err)
				return
			}
		}
		if err := t.f.SetCellStyle(TasksSheet, ref, ref, cell.StyleID); err != nil {
			t.err = fmt.Errorf("style %s: %w", ref, err)
			return
		}
	}
	if height > 0 {
		if err := t.f.SetRowHeight(TasksSheet, t.n, height); err != nil {
			t.err = fmt.Errorf("row height %d: %w", t.n, err)
		}
	}
}

func (t *taskWriter) merge(from, to string) {
	if t.err != nil {
		return
	}
	if err := t.f.MergeCell(TasksSheet, from, to); err != nil {
		t.err = fmt.Errorf("merge %s:%s: %w", from, to, err)
	}
}

// taskRowHeight is the height in points a task row needs to show its wrapped text.
func taskRowHeight(cells []any) float64 {
	lines := 1
	for i, c := range cells {
		s, ok := c.(excelize.Cell).Value.(string)
		if !ok || s == "" || i >= len(taskWidths) {
			continue
		}
		lines = max(lines, textLines(s, taskWidths[i]))
	}
	return min(float64(lines*lineHeight+4), excelize.MaxRowHeight)
}
