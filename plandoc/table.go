package plandoc

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"xiezuo"
)

// row is one row of a table from any source: a text line, a CSV record or a worksheet row.
type row struct {
	pos   xiezuo.Pos
	cells []string
	// merged is, for a cell continuing a cell merged down (srcLine.merged), that cell's text.
	merged []string
}

// mergedText is the text of the cell merged down into column i, or "".
func (r row) mergedText(i int) string {
	if i < 0 || i >= len(r.merged) {
		return ""
	}
	return r.merged[i]
}

func (r row) cell(i int) string {
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

func (r row) empty() bool {
	for _, c := range r.cells {
		if c != "" {
			return false
		}
	}
	return true
}

// nonEmpty counts the filled cells.
func (r row) nonEmpty() int {
	n := 0
	for _, c := range r.cells {
		if c != "" {
			n++
		}
	}
	return n
}

const (
	tableNone = iota
	tableTasks
	tableProjects
	tableNotes // 序号 | 说明: notes on filling in the tables, not data
	tableTeams // 序号 | 专班名称 | 牵头单位 | 成员单位
)

// tables reads rows that may hold the task list, the project table, or both one after the
// other; a header row says which table the rows below it belong to. It stops with the
// context's error when the read is cancelled.
func (p *parser) tables(rows []row) error {
	for k, r := range rows {
		if k%checkEvery == checkEvery-1 {
			if err := p.budget.ctx.Err(); err != nil {
				return err
			}
		}
		for i := range r.cells {
			r.cells[i] = strings.TrimSpace(r.cells[i])
		}
		if r.empty() {
			continue
		}
		if !mayBeHeader(r) {
			// most rows: skip the header tests below
		} else if cols, ok := taskHeader(r); ok {
			if p.tasks.cols != nil && p.curTable == tableTasks && sameCols(p.tasks.cols, cols) {
				continue // the header repeated after a page break
			}
			p.flushTask()
			p.tasks.cols, p.curTable = cols, tableTasks
			continue
		}
		if !mayBeHeader(r) {
		} else if cols, unit, ok := projectHeader(r); ok {
			p.flushTask()
			if unit != "" {
				p.setMoneyUnit(unit, r.pos)
			}
			if p.projects.cols != nil && p.curTable == tableProjects {
				p.projects.pendingHeader = true
				continue
			}
			p.projects.cols, p.curTable = cols, tableProjects
			p.projects.pendingHeader = true
			p.projects.headerLen = len(r.cells)
			continue
		}
		if kind, cols, ok := otherHeader(r); ok {
			// A header of a table that is neither the task list nor the project table ends the
			// table before it: its rows must not be read with that table's columns.
			p.flushTask()
			p.curTable = kind
			p.teamCols = cols
			continue
		}
		if r.nonEmpty() == 1 && p.heading(firstFilled(r), r.pos) {
			continue // a title or unit row
		}
		switch p.curTable {
		case tableNotes:
		case tableTeams:
			p.teamRow(r)
		case tableTasks:
			p.taskRow(r)
		case tableProjects:
			if p.projects.pendingHeader && p.projects.subHeader(r) {
				continue
			}
			p.projects.pendingHeader = false
			p.projectRow(r)
		default:
			if r.nonEmpty() == 1 {
				continue
			}
			if !p.warnedNoHeader {
				p.warnedNoHeader = true
				p.errorf(r.pos, "表格没有可识别的表头：任务清单的表头应含“工作事项、任务类别、任务内容、责任部门、完成时限”，项目计划表的表头应含“项目名称、项目总投资、区级帮扶资金”等列")
			}
		}
	}
	return nil
}

// headerWords are headings of tables that are neither the task list nor the project table;
// a row of short cells, one of them such a heading, is the header of such a table.
var headerWords = map[string]int{
	"序号": tableNone, "编号": tableNone, "名称": tableNone, "项目名称": tableNone, "内容": tableNone, "单位": tableNone,
	"说明": tableNotes, "备注": tableNotes, "填表说明": tableNotes, "注释": tableNotes, "说明事项": tableNotes,
	"专班名称": tableTeams, "工作专班": tableTeams, "专班": tableTeams,
}

// otherHeader tells whether a row is the header of a table the reader does not take as tasks
// or projects, and of which kind: notes (ignored), work teams (read; their columns returned),
// or unknown (its rows are refused).
func otherHeader(r row) (int, map[string]int, bool) {
	kind, found := tableNone, false
	for _, c := range r.cells {
		if k, ok := headerWords[c]; ok {
			found = true
			kind = max(kind, k)
		}
	}
	if !found || r.nonEmpty() < 2 {
		return tableNone, nil, false
	}
	for _, c := range r.cells {
		if c == "" {
			continue
		}
		if utf8.RuneCountInString(c) > 16 || reCountSuffix.MatchString(c) {
			return tableNone, nil, false
		}
		if _, ok := xiezuo.ParseDecimal(numberText(c), 100); ok {
			return tableNone, nil, false // figures: a data row
		}
	}
	if kind != tableTeams {
		return kind, nil, true
	}
	cols := map[string]int{}
	for i, c := range r.cells {
		switch key := squeeze(c); {
		case key == "序号" || key == "编号":
			cols[colSeq] = i
		case headerWords[key] == tableTeams:
			cols["专班"] = i
		case strings.HasPrefix(key, "牵头"):
			cols["牵头"] = i
		}
	}
	if _, ok := cols["牵头"]; !ok {
		return tableNone, nil, true
	}
	return tableTeams, cols, true
}

// teamRow reads a work team from a table of teams: 1 | 产业合作专班 | 区农业农村局 | 区商务局、….
// Members are not leads and are not kept as such.
func (p *parser) teamRow(r row) {
	name := r.cell(p.teamCols["专班"])
	if name == "" {
		return
	}
	n := len(p.plan.Teams) + 1
	if i, ok := p.teamCols[colSeq]; ok {
		if v, ok := projectNumber(r.cell(i)); ok {
			n = v
		}
	}
	p.addTeam(n, name, "", r.cell(p.teamCols["牵头"]), r.pos)
}

// mayBeHeader is a cheap test that rules out most data rows before the header tests: a header
// of either table has a cell naming the content or the project.
func mayBeHeader(r row) bool {
	for _, c := range r.cells {
		if len(c) < 64 && (strings.Contains(c, "内容") || strings.Contains(c, "名称") || strings.Contains(c, "任务") || strings.Contains(c, "名 称")) {
			return true
		}
	}
	return false
}

func firstFilled(r row) string {
	for _, c := range r.cells {
		if c != "" {
			return c
		}
	}
	return ""
}

func sameCols(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// headerKey normalises a header cell: no spaces, no unit in brackets.
func headerKey(s string) (key, unit string) {
	s = squeeze(s)
	if m := reHeaderUnit.FindStringSubmatch(s); m != nil {
		unit = m[1]
		s = strings.Replace(s, m[0], "", 1)
	}
	return s, unit
}

var reHeaderUnit = regexp.MustCompile(`[（(]\s*(万元|元)\s*[)）]`)

// Columns of the task list.
const (
	colWorkItem = "工作事项"
	colCategory = "任务类别"
	colContent  = "任务内容"
	colUnits    = "责任部门"
	colDeadline = "完成时限"
	colSeq      = "序号"
	colCoop     = "配合单位"
)

var taskHeaderWords = []struct {
	col   string
	words []string
}{
	{colWorkItem, []string{"工作事项", "工作领域", "重点工作", "工作类别"}},
	{colCategory, []string{"任务类别", "任务类型", "类别"}},
	{colContent, []string{"任务内容", "工作内容", "具体任务", "工作任务"}},
	{colUnits, []string{"责任部门", "责任单位", "牵头单位", "牵头部门", "责任单位（部门）", "牵头单位（部门）"}},
	{colCoop, []string{"配合单位", "配合部门", "协办单位", "参与单位"}},
	{colDeadline, []string{"完成时限", "完成时间", "时限要求", "时间节点"}},
	{colSeq, []string{"序号"}},
}

func taskHeader(r row) (map[string]int, bool) {
	cols := map[string]int{}
	for i, c := range r.cells {
		key, _ := headerKey(c)
		for _, h := range taskHeaderWords {
			if _, done := cols[h.col]; done {
				continue
			}
			for _, w := range h.words {
				if key == w {
					cols[h.col] = i
				}
			}
		}
	}
	_, hasItem := cols[colWorkItem]
	_, hasContent := cols[colContent]
	_, hasDeadline := cols[colDeadline]
	if hasContent && (hasItem || hasDeadline) {
		return cols, true
	}
	return nil, false
}

// taskState is the reader's place in the task list.
type taskState struct {
	cols     map[string]int
	cur      *xiezuo.Task
	content  strings.Builder // the content of cur, with the rows that continue it
	workItem string
	category string
}

func (p *parser) flushTask() {
	t := p.tasks.cur
	if t == nil {
		return
	}
	p.tasks.cur = nil
	t.Content = p.tasks.content.String()
	p.tasks.content.Reset()
	t.Requirements = splitRequirements(t.Content)
	p.plan.Tasks = append(p.plan.Tasks, *t)
}

func (p *parser) taskRow(r row) {
	c := p.tasks.cols
	get := func(col string) string {
		i, ok := c[col]
		if !ok {
			return ""
		}
		return r.cell(i)
	}
	item, cat, content, units, deadline := get(colWorkItem), get(colCategory), get(colContent), get(colUnits), get(colDeadline)
	if coop := get(colCoop); coop != "" {
		// A 配合单位 column beside the lead units: both kept, with their roles stated.
		if units != "" {
			units = "牵头单位：" + units + "；"
		}
		units += "配合单位：" + coop
	} else if _, ok := c[colCoop]; ok && units != "" {
		units = "牵头单位：" + units
	}
	if item == "" && cat == "" && units == "" && deadline == "" {
		if content == "" {
			return
		}
		// A row that only continues the content of the row above (a page break in the cell).
		if p.tasks.cur == nil {
			p.errorf(r.pos, "这一行只有任务内容，但上面没有可接续的任务")
			return
		}
		joinContent(&p.tasks.content, content)
		return
	}
	p.flushTask()
	if item == "" {
		item = p.tasks.workItem
		if item == "" {
			p.errorf(r.pos, "“工作事项”为空，上面也没有可沿用的工作事项")
		}
	}
	if item != p.tasks.workItem {
		p.tasks.category = ""
	}
	p.tasks.workItem = item
	if cat == "" {
		cat = p.tasks.category
	}
	p.tasks.category = cat
	if _, hasCat := c[colCategory]; hasCat && cat == "" {
		p.errorf(r.pos, "“任务类别”为空")
	}
	if content == "" {
		p.errorf(r.pos, "“任务内容”为空：每项任务都要写明内容")
	}
	t := &xiezuo.Task{Number: len(p.plan.Tasks) + 1, WorkItem: item, Category: cat, Pos: r.pos}
	p.tasks.content.WriteString(content)
	if units == "" {
		p.warnf(r.pos, "任务“%s／%s”没有写明责任部门", item, cat)
	} else {
		t.Units, t.UnitsOpen = p.responsibilities(units, r.pos)
	}
	d, ok := xiezuo.ParseDeadline(deadline, p.yearOr())
	if !ok {
		p.errorf(r.pos, "完成时限“%s”不是真实的日期（月份应在 1–12 之间，日应在该月天数之内）", deadline)
	}
	if deadline == "" {
		p.warnf(r.pos, "任务“%s／%s”没有写明完成时限", item, cat)
	}
	t.Deadline = d
	p.tasks.cur = t
}

func (p *parser) yearOr() int {
	if p.plan.Year != 0 {
		return p.plan.Year
	}
	return 2000
}

// joinContent appends a row that continues a task's content: a new numbered requirement after
// a space, anything else mended like a paragraph split by a page break.
func joinContent(b *strings.Builder, next string) {
	if b.Len() > 0 && reReqStart.MatchString(next) {
		b.WriteString(" ")
		b.WriteString(next)
		return
	}
	appendBroken(b, next)
}

var (
	reReqStart = regexp.MustCompile(`^\s*(?:\d{1,2}\s*[.、]|[（(]\d{1,2}[)）])`)
	reReqMark  = regexp.MustCompile(`(?:^|[\s。；;！!])(?:(\d{1,2})\s*[.、]|[（(](\d{1,2})[)）])\s*`)
)

// splitRequirements cuts a task's content into its numbered requirements (1. … 2. … or (1)…(2)…).
// The numbers must follow one another, so 30% or 2020年 inside a requirement is not a cut.
// Content without numbering is one requirement.
func splitRequirements(content string) []xiezuo.Requirement {
	content = strings.TrimSpace(content)
	if content == "" {
		return nil
	}
	marks := reReqMark.FindAllStringSubmatchIndex(content, -1)
	type cut struct{ start, textStart, n int }
	var cuts []cut
	want := 1
	for _, m := range marks {
		numStr := ""
		if m[2] >= 0 {
			numStr = content[m[2]:m[3]]
		} else {
			numStr = content[m[4]:m[5]]
		}
		n, _ := strconv.Atoi(numStr)
		if n != want {
			continue
		}
		if want == 1 && strings.TrimSpace(content[:m[0]]) != "" {
			break // numbering that does not start the content is prose
		}
		cuts = append(cuts, cut{m[0], m[1], n})
		want++
	}
	if len(cuts) < 2 {
		if len(cuts) == 1 {
			return []xiezuo.Requirement{{Number: 1, Text: strings.TrimSpace(content[cuts[0].textStart:])}}
		}
		return []xiezuo.Requirement{{Number: 1, Text: content}}
	}
	var reqs []xiezuo.Requirement
	for i, c := range cuts {
		end := len(content)
		if i+1 < len(cuts) {
			end = cuts[i+1].start
		}
		text := strings.TrimSpace(content[c.textStart:end])
		text = strings.TrimRight(text, " ")
		reqs = append(reqs, xiezuo.Requirement{Number: c.n, Text: text})
	}
	// A mark that matched on the sentence end (。) took that full stop: put it back.
	for i := range reqs {
		if i+1 < len(cuts) && cuts[i+1].start < cuts[i+1].textStart {
			sep := content[cuts[i+1].start:]
			r, _ := utf8.DecodeRuneInString(sep)
			if strings.ContainsRune("。；;！!", r) {
				reqs[i].Text += string(r)
			}
		}
	}
	return reqs
}
