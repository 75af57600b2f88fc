package plandoc

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"xiezuo"
)

var (
	reAttachHeading = regexp.MustCompile(`^附\s*件\s*([0-9]+|[一二三四五六七八九十]+)\s*[:：]?\s*(.*)$`)
	reAttachList    = regexp.MustCompile(`^附\s*件\s*[:：]`)
	reSection       = regexp.MustCompile(`^([一二三四五六七八九十]+)\s*[、.．]\s*(\S.*)$`)
	reNumbered      = regexp.MustCompile(`^(\d{1,3})\s*[.、]\s*(\S.*)$`)
	reParenNumbered = regexp.MustCompile(`^[（(]([一二三四五六七八九十]{1,3})[)）]\s*(\S.*)$`)
	reNoteLine      = regexp.MustCompile(`^(?:注|说明|备注|填表说明)\s*[:：]`)
	reRespLine      = regexp.MustCompile(`^(责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|协办单位)\s*[:：]`)
	reTeam          = regexp.MustCompile(`^(?:(\d{1,3})\s*[.、]|[（(]([一二三四五六七八九十]{1,3})[)）]\s*[、.]?)\s*([^\s，,。；;：:、]{2,14}?专班)\s*[，,：:（(。.；;]?\s*(?:牵头(?:部门|单位))\s*(?:[（(]([^）)]*)[)）])?\s*[:：]?\s*(.*?)\s*[)）]?\s*[；;。.]?$`)
	reTeamMembers   = regexp.MustCompile(`\s*[；;。，,]?\s*(?:成员单位|成员部门|配合单位|配合部门|成员)\s*[:：]`)
	rePipeSep       = regexp.MustCompile(`^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$`)
	// rePageNumber is a page number left by a PDF or Word conversion: - 2 -, —2—, 第 2 页.
	rePageNumber = regexp.MustCompile(`^(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)$`)
)

const (
	modeNotice = iota
	modePoints
	modeAttachList
	modeAttachment
)

// textState is the reader's place in a text document.
type textState struct {
	mode    int
	section int
	point   *xiezuo.WorkPoint // the point being read, not yet in the plan
	mark    string            // its number as written: 3, （三）
	text    strings.Builder   // its text so far
	resp    strings.Builder   // its responsibility text so far
	respPos xiezuo.Pos
	notice  []string
	// notes is set after a 注：/说明： line and tables after the first table: numbered lines
	// there are notes, not work points.
	notes bool
}

// text reads a document written as offices write them: a notice, sections 一、二、… at any
// heading level or none, numbered work points with their responsible units, the work teams of
// 附件1, and the tables of 附件2 and 附件3 as tab-separated or Markdown pipe rows. Page-break
// damage (a paragraph or a unit name split across blank lines, a word repeated at the break, a
// table header repeated) is mended on the way.
func (p *parser) text(src string) error {
	raw := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	lines := make([]srcLine, len(raw))
	for i, l := range raw {
		lines[i] = srcLine{line: i + 1, text: l}
	}
	return p.textLines(lines)
}

// srcLine is one line of a document as the text reader reads it. A text document gives one per
// line; a Word document (docx.go) one per paragraph and one per table row, its cells already
// split; a PDF (pdf.go) one per line or row it rebuilt from the positioned text.
type srcLine struct {
	line  int      // the number problems report as their line (several srcLines may share one)
	text  string   // the text of a line or paragraph; unused when cells is set
	cells []string // the cells of a table row, already split and cleaned; nil for text
	// merged holds, for a cell that continues a cell merged down from the rows above (Word's
	// vMerge, HTML's rowspan), that cell's text; "" elsewhere. The cell itself reads empty.
	merged []string
	// where names the place as the clerk sees it in the original, for documents that have no
	// lines: “正文第二部分第3段”, “附件2 表格第5行”, “第3页”. Empty for text documents.
	where string
	page  int // the page the document states it is on (a PDF, a Word document's page breaks); 0 when unknown
}

// textLines is text over lines already split (and, for Word and PDF, tables already cut into
// cells).
func (p *parser) textLines(src []srcLine) error {
	var st textState
	lines := make([]string, len(src))
	for i, l := range src {
		lines[i] = l.text
		if l.cells != nil {
			// A row as the tab-separated line it would be in text, so that the scans over
			// lines (usesParenPoints) see where the tables start.
			lines[i] = strings.Join(l.cells, "\t") + "\t\t"
		}
		if l.where != "" || l.page != 0 {
			if p.where == nil {
				p.where = map[int]srcLine{}
			}
			if _, ok := p.where[l.line]; !ok {
				p.where[l.line] = srcLine{where: l.where, page: l.page}
			}
		}
	}
	var table []row
	var tableErr error
	flushTable := func() {
		if len(table) > 0 && tableErr == nil {
			tableErr = p.tables(table)
			table = nil
			st.notes = true
		}
	}
	htmlStart := -1 // first line of an HTML table being read, or -1
	parenPoints := usesParenPoints(lines)
	for i, raw := range lines {
		pos := xiezuo.Pos{Line: src[i].line}
		if tableErr != nil {
			return tableErr
		}
		if err := p.budget.tick(); err != nil {
			return err
		}
		raw = strings.TrimRight(strings.ReplaceAll(raw, "\r", ""), " ")
		if htmlStart < 0 && reHTMLTableOpen.MatchString(raw) {
			htmlStart = i
		}
		if htmlStart >= 0 {
			if reHTMLTableClose.MatchString(raw) || i == len(lines)-1 {
				p.endPoint(&st)
				rows, err := htmlRows(lines[htmlStart:i+1], src[htmlStart].line, p.budget, len(table))
				if err != nil {
					return err
				}
				table = append(table, rows...)
				htmlStart = -1
			}
			continue
		}
		if src[i].cells != nil {
			p.endPoint(&st)
			r := row{pos: pos, cells: src[i].cells, merged: src[i].merged}
			if err := p.budget.row(r, len(table)+1); err != nil {
				return err
			}
			table = append(table, r)
			continue
		}
		if cells, ok := tableCells(raw); ok {
			p.endPoint(&st)
			if cells != nil {
				r := row{pos: pos, cells: cells}
				if err := p.budget.row(r, len(table)+1); err != nil {
					return err
				}
				table = append(table, r)
			}
			continue
		}
		line := cleanInline(raw)
		if line == "" || rePageNumber.MatchString(line) {
			continue // a page number is a page break, like a blank line
		}
		h := stripHeading(line)
		if h == "" {
			continue
		}
		// A line of prose between table rows (a title repeated after a page break, the unit
		// row) does not end the table; a heading of another attachment does.
		if m := reAttachHeading.FindStringSubmatch(squeeze(h)); m != nil && !reAttachList.MatchString(squeeze(h)) {
			flushTable()
			p.endPoint(&st)
			st.mode = modeAttachment
			if m[2] != "" {
				p.heading(m[2], pos)
			}
			continue
		}
		if reAttachList.MatchString(squeeze(h)) {
			p.endPoint(&st)
			st.mode = modeAttachList
			continue
		}
		if st.mode == modeAttachList {
			if reNumbered.MatchString(h) {
				continue
			}
			st.mode = modePoints
		}
		if m := reTeam.FindStringSubmatch(h); m != nil {
			flushTable()
			p.endPoint(&st)
			p.team(m, pos)
			continue
		}
		if st.mode == modeAttachment {
			if p.heading(h, pos) {
				continue
			}
			if strings.Contains(h, "专班") && reNumbered.MatchString(h) {
				p.errorf(pos, "无法识别的工作专班：应写作“1. 干部人才专班，牵头部门：区委组织部；”")
			}
			continue
		}
		flushTable()
		if m := reSection.FindStringSubmatch(h); m != nil && utf8.RuneCountInString(h) <= 60 {
			p.endPoint(&st)
			st.notes = false
			st.mode = modePoints
			st.section = len(p.plan.Sections) + 1
			n := chineseNumber(m[1])
			if n != st.section {
				p.warnf(pos, "部分编号为“%s”，按顺序应为第 %d 部分", m[1], st.section)
			}
			p.plan.Sections = append(p.plan.Sections, xiezuo.Section{Number: st.section, Title: strings.TrimSpace(m[2]), Pos: pos})
			continue
		}
		if reNoteLine.MatchString(h) {
			p.endPoint(&st)
			st.notes = true
		}
		if m := reNumbered.FindStringSubmatch(h); m != nil && !reRespLine.MatchString(h) && !st.notes {
			p.endPoint(&st)
			st.mode = modePoints
			n, _ := strconv.Atoi(m[1])
			st.point = &xiezuo.WorkPoint{Number: n, Section: st.section, Pos: pos}
			st.mark = m[1]
			st.text.WriteString(m[2])
			continue
		}
		if m := reParenNumbered.FindStringSubmatch(h); m != nil && parenPoints && !reTeam.MatchString(h) {
			p.endPoint(&st)
			st.mode = modePoints
			st.point = &xiezuo.WorkPoint{Number: chineseNumber(m[1]), Section: st.section, Pos: pos}
			st.mark = "（" + m[1] + "）"
			st.text.WriteString(m[2])
			continue
		}
		if reRespLine.MatchString(h) {
			if st.point == nil {
				p.warnf(pos, "这一行责任单位前面没有工作要点，已忽略")
				continue
			}
			if st.resp.Len() > 0 {
				st.resp.WriteString("；")
			} else {
				st.respPos = pos
			}
			st.resp.WriteString(h)
			continue
		}
		if st.point != nil {
			if st.resp.Len() == 0 {
				appendBroken(&st.text, h)
				continue
			}
			if respContinues(st.resp.String(), h) {
				appendBroken(&st.resp, h)
				continue
			}
			p.endPoint(&st)
		}
		if p.heading(h, pos) {
			p.bodyText.WriteString(h + "\n")
			if st.mode == modeNotice && strings.HasSuffix(squeeze(h), "工作要点") {
				st.mode = modePoints // the notice ends where the work points' title stands
			}
			continue
		}
		if st.mode == modeNotice {
			st.notice = append(st.notice, h)
		}
		p.bodyText.WriteString(h + "\n")
	}
	flushTable()
	p.endPoint(&st)
	p.plan.Notice = strings.Join(st.notice, "\n")
	return tableErr
}

// usesParenPoints tells whether the work points are numbered （一）（二）… under sections 一、二、
// (as some districts write them) rather than 1. 2. …: the part before the attachments and
// the first table has lines numbered （一） and none numbered 1.
func usesParenPoints(lines []string) bool {
	paren := false
	for _, raw := range lines {
		t := strings.TrimSpace(raw)
		if strings.HasPrefix(t, "|") || strings.Count(raw, "\t") >= 2 || reHTMLTableOpen.MatchString(t) {
			break
		}
		if t == "" || !strings.ContainsAny(t, "0123456789０１２３４５６７８９（(附") {
			continue
		}
		h := squeeze(stripHeading(cleanInline(t)))
		if reAttachHeading.MatchString(h) || reAttachList.MatchString(h) {
			break
		}
		switch {
		case reNumbered.MatchString(h) && !reRespLine.MatchString(h):
			return false
		case reParenNumbered.MatchString(h):
			paren = true
		}
	}
	return paren
}

// respContinues tells whether a line after a responsibility line continues it: a list of
// units split by a page break, not a new paragraph of prose.
func respContinues(resp, line string) bool {
	if strings.HasSuffix(resp, "。") || utf8.RuneCountInString(line) > 120 || strings.Contains(line, "。") {
		return false
	}
	first := strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune("、，,；; ", r) })
	if len(first) == 0 {
		return false
	}
	return strings.ContainsAny(line, "、，,") || xiezuo.LooksLikeUnit(first[0]) || strings.HasSuffix(line, "等")
}

// endPoint closes the work point being read: its responsible units come from its
// responsibility lines or from a bracket of unit names at the end of its text.
func (p *parser) endPoint(st *textState) {
	wp := st.point
	if wp == nil {
		return
	}
	st.point = nil
	resp, respPos := st.resp.String(), st.respPos
	text := strings.TrimSpace(st.text.String())
	st.resp.Reset()
	st.text.Reset()
	if resp == "" {
		if open, close, ok := endBracket(text); ok {
			inner := text[open:close]
			if bracketIsUnits(inner) {
				resp = inner
				respPos = wp.Pos
				start := open - bracketLen(text[:open])
				tail := text[start:]
				text = strings.TrimSpace(text[:start])
				if !strings.HasSuffix(text, "。") && strings.HasSuffix(tail, "。") {
					text += "。"
				}
			}
		}
		if resp == "" {
			// 责任单位：… written at the end of the point's own paragraph.
			if m := reInlineResp.FindStringSubmatchIndex(text); m != nil {
				resp = text[m[2]:m[3]]
				respPos = wp.Pos
				text = strings.TrimSpace(text[:m[2]])
			}
		}
	} else {
		resp = reRespLine.ReplaceAllString(resp, "$0")
	}
	wp.Text = text
	wp.Title = pointTitle(text)
	if resp != "" {
		wp.UnitsPos = respPos
		wp.Units, wp.UnitsOpen = p.responsibilities(stripRespLabel(resp), respPos)
	}
	p.plan.Points = append(p.plan.Points, *wp)
	p.pointMarks = append(p.pointMarks, st.mark)
	p.bodyText.WriteString(text + "\n")
}

// stripRespLabel removes a leading 责任单位： but keeps 牵头单位：/配合单位： labels, which carry roles.
func stripRespLabel(s string) string {
	return regexp.MustCompile(`(^|[；;])\s*(责任单位|责任部门)\s*[:：]\s*`).ReplaceAllString(s, "$1")
}

var reInlineResp = regexp.MustCompile(`(?:^|[。；;！!\s])((?:责任单位|责任部门|牵头单位|牵头部门)\s*[:：][^。]*?)[。.]?$`)

// endBracket finds the bracket that ends a point's text, brackets inside it included
// (…。（区商务局、各乡镇（街道））), and returns where its inside starts and ends.
func endBracket(text string) (open, close int, ok bool) {
	t := strings.TrimRight(text, "。.；; ")
	if !strings.HasSuffix(t, "）") && !strings.HasSuffix(t, ")") {
		return 0, 0, false
	}
	_, size := utf8.DecodeLastRuneInString(t)
	close = len(t) - size
	depth := 0
	for i := len(t); i > 0; {
		r, size := utf8.DecodeLastRuneInString(t[:i])
		i -= size
		switch r {
		case '）', ')':
			depth++
		case '（', '(':
			depth--
			if depth == 0 {
				return i + size, close, true
			}
		}
	}
	return 0, 0, false
}

// bracketLen is the length of the opening bracket that ends s.
func bracketLen(s string) int {
	_, size := utf8.DecodeLastRuneInString(s)
	return size
}

func bracketIsUnits(inner string) bool {
	if strings.Contains(inner, "牵头") || strings.Contains(inner, "责任单位") {
		return true
	}
	names := reUnitSplit.Split(strings.TrimSpace(inner), -1)
	n := 0
	for _, name := range names {
		if name == "" {
			continue
		}
		name = reRoleMark.ReplaceAllString(name, "")
		name = reRoleWord.ReplaceAllString(name, "")
		if !xiezuo.LooksLikeUnit(name) {
			return false
		}
		n++
	}
	return n > 0
}

// pointTitle is the first sentence of a point: 深入学习贯彻中央和本市关于支援合作工作的新精神新部署.
func pointTitle(text string) string {
	if i := strings.IndexAny(text, "。；\n"); i >= 0 {
		text = text[:i]
	}
	return strings.TrimSpace(text)
}

// team reads one work team of 附件1: 2. 产业合作专班，牵头部门（按部门职责…）：区科信局、区农业农村局；
func (p *parser) team(m []string, pos xiezuo.Pos) {
	n, err := strconv.Atoi(m[1])
	if err != nil {
		n = chineseNumber(m[2])
	}
	leads := m[5]
	if loc := reTeamMembers.FindStringIndex(leads); loc != nil {
		leads = leads[:loc[0]] // 成员单位 are members, not leads
	}
	p.addTeam(n, m[3], strings.TrimSpace(m[4]), leads, pos)
}

// addTeam records a work team with its lead units, written as a list of units.
func (p *parser) addTeam(n int, name, note, leads string, pos xiezuo.Pos) {
	t := xiezuo.WorkTeam{Number: n, Name: name, Note: note, Pos: pos}
	if want := len(p.plan.Teams) + 1; n != want {
		p.warnf(pos, "工作专班编号为 %d，按顺序应为 %d", n, want)
	}
	for _, prev := range p.plan.Teams {
		if prev.Name == t.Name {
			p.errorf(pos, "工作专班“%s”重复，%s已列出", t.Name, where(prev.Pos))
			return
		}
	}
	rs, _ := p.responsibilities(leads, pos)
	for _, r := range rs {
		t.Leads = append(t.Leads, r.Unit)
	}
	if len(t.Leads) == 0 {
		p.errorf(pos, "工作专班“%s”没有写明牵头部门", t.Name)
	}
	p.plan.Teams = append(p.plan.Teams, t)
}

func chineseNumber(s string) int {
	digits := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	n, cur := 0, 0
	for _, r := range s {
		if r == '十' {
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
			continue
		}
		cur = digits[r]
	}
	return n + cur
}

var (
	reHTMLTableOpen  = regexp.MustCompile(`(?i)<table\b`)
	reHTMLTableClose = regexp.MustCompile(`(?i)</table>`)
	reHTMLRow        = regexp.MustCompile(`(?is)<tr\b[^>]*>(.*?)</tr>`)
	reHTMLCell       = regexp.MustCompile(`(?is)<t[dh]\b([^>]*)>(.*?)</t[dh]>`)
	reColspan        = regexp.MustCompile(`(?i)colspan\s*=\s*["']?(\d+)`)
	reRowspan        = regexp.MustCompile(`(?i)rowspan\s*=\s*["']?(\d+)`)
)

// htmlRows reads the rows of an HTML table (as converters from Word write them) that spans the
// given lines, the first being line first. A cell spanning columns is followed by empty cells,
// as a worksheet's merged cell is; a cell spanning rows leaves an empty cell in the rows below,
// so their columns stay in place (a blank first cell continues the group above). Each row is
// checked against the budget as the (before+1)th row of its table and on.
func htmlRows(lines []string, first int, b *budget, before int) ([]row, error) {
	text := strings.Join(lines, "\n")
	var rows []row
	var spans []int           // for each column, how many rows below still belong to a cell above
	var spanText []string     // for each column, the text of that cell
	line, counted := first, 0 // line of text[counted]: counted on from the row before, not from the start
	for _, m := range reHTMLRow.FindAllStringSubmatchIndex(text, -1) {
		line += strings.Count(text[counted:m[0]], "\n")
		counted = m[0]
		var cells, merged []string
		fill := func() {
			for len(cells) < len(spans) && spans[len(cells)] > 0 {
				spans[len(cells)]--
				for len(merged) < len(cells) {
					merged = append(merged, "")
				}
				merged = append(merged, spanText[len(cells)])
				cells = append(cells, "")
			}
		}
		for _, c := range reHTMLCell.FindAllStringSubmatch(text[m[2]:m[3]], -1) {
			fill()
			colspan, rowspan := 1, 1
			if sp := reColspan.FindStringSubmatch(c[1]); sp != nil {
				colspan, _ = strconv.Atoi(sp[1])
				colspan = max(1, min(colspan, 64))
			}
			if sp := reRowspan.FindStringSubmatch(c[1]); sp != nil {
				rowspan, _ = strconv.Atoi(sp[1])
				rowspan = max(1, min(rowspan, 1000))
			}
			if len(cells)+colspan > MaxColumns {
				return nil, refuse(xiezuo.Pos{Line: line}, "表格的这一行超过 %d 列", MaxColumns)
			}
			for k := 0; k < colspan; k++ {
				if k == 0 {
					cells = append(cells, cellText(c[2]))
				} else {
					cells = append(cells, "")
				}
				col := len(cells) - 1
				for len(spans) <= col {
					spans = append(spans, 0)
					spanText = append(spanText, "")
				}
				spans[col] = rowspan - 1
				spanText[col] = cells[col]
			}
		}
		fill()
		r := row{pos: xiezuo.Pos{Line: line}, cells: cells, merged: merged}
		if err := b.row(r, before+len(rows)+1); err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// tableCells splits a table row written with tabs (two or more) or as a Markdown pipe row.
// It returns ok with nil cells for a Markdown separator row (|---|---|).
func tableCells(raw string) ([]string, bool) {
	t := strings.TrimSpace(raw)
	if strings.HasPrefix(t, "|") && strings.Count(t, "|") >= 3 {
		if rePipeSep.MatchString(t) {
			return nil, true
		}
		t = strings.TrimPrefix(t, "|")
		t = strings.TrimSuffix(t, "|")
		parts := strings.Split(t, "|")
		for i := range parts {
			parts[i] = cleanInline(parts[i])
		}
		return parts, true
	}
	if strings.Count(raw, "\t") >= 2 {
		parts := strings.Split(raw, "\t")
		for i := range parts {
			parts[i] = cleanInline(parts[i])
		}
		return parts, true
	}
	return nil, false
}
