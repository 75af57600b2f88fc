package xiezuo

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The tables upper platforms ask for (上级平台报表): the city or the national platform sends
// the office a workbook template, with its own header rows, and asks for the district's projects
// (or tasks, or money by region) in it. A PlatformLayout is that template kept as data: the
// workbook's bytes, its sheet, where its header rows and first data row are, and which field of
// the fixed catalogue (LayoutFields) fills each column. The office adds a layout; no release is
// needed. Package xlsx reads a template (ReadLayoutTemplate) and fills it (FillLayoutTemplate)
// with the values FillLayout computes here.

// LayoutKind says what a layout's rows are: one per project, per task, or per partner region.
type LayoutKind string

// Layout kinds.
const (
	LayoutProjects LayoutKind = "projects"
	LayoutTasks    LayoutKind = "tasks"
	LayoutRegions  LayoutKind = "regions"
)

// LayoutKinds lists the kinds, in the order forms offer them.
var LayoutKinds = []LayoutKind{LayoutProjects, LayoutTasks, LayoutRegions}

// Text is the kind as pages name it.
func (k LayoutKind) Text() string {
	switch k {
	case LayoutProjects:
		return "项目（每个项目一行）"
	case LayoutTasks:
		return "任务（每项任务一行）"
	case LayoutRegions:
		return "协作地区资金（每个地区一行）"
	}
	return string(k)
}

// LayoutFieldType is what a field's values are, which decides how a cell is written and checked.
type LayoutFieldType string

// Field types.
const (
	FieldTypeText  LayoutFieldType = "text"
	FieldTypeMoney LayoutFieldType = "money" // 万元, a number
	FieldTypeCount LayoutFieldType = "count" // 个, 人: a whole number
	FieldTypeRate  LayoutFieldType = "rate"  // a fraction (0.45 = 45 %)
	FieldTypeDate  LayoutFieldType = "date"  // YYYY-MM-DD or YYYY年M月, as text
)

// Numeric reports whether the type's values are numbers, summed on a 合计 row.
func (t LayoutFieldType) Numeric() bool {
	return t == FieldTypeMoney || t == FieldTypeCount || t == FieldTypeRate
}

// LayoutField is one field of the catalogue: what a column of a template may be filled with.
type LayoutField struct {
	Key      string
	Label    string // as a header would name it
	Type     LayoutFieldType
	Kinds    []LayoutKind // the kinds of layout it fills a row of
	Synonyms []string     // other header words that mean it, most specific first
	Constant bool         // a cell of the title rows (填报单位, 填报日期), not a column
}

var (
	kProjects = []LayoutKind{LayoutProjects}
	kTasks    = []LayoutKind{LayoutTasks}
	kRegions  = []LayoutKind{LayoutRegions}
	kPR       = []LayoutKind{LayoutProjects, LayoutRegions}
	kAll      = []LayoutKind{LayoutProjects, LayoutTasks, LayoutRegions}
)

// LayoutFields is the catalogue of fields the system can fill a template with.
var LayoutFields = []LayoutField{
	{Key: "serial", Label: "序号", Type: FieldTypeCount, Kinds: kAll, Synonyms: []string{"编号", "序"}},
	{Key: "region", Label: "地区", Type: FieldTypeText, Kinds: kPR, Synonyms: []string{"协作地区", "受援地区", "帮扶地区", "县（市、区）", "县区", "结对县", "所在县"}},
	{Key: "name", Label: "项目名称", Type: FieldTypeText, Kinds: kProjects, Synonyms: []string{"名称"}},
	{Key: "category", Label: "类别", Type: FieldTypeText, Kinds: kProjects, Synonyms: []string{"项目类别", "项目类型", "类型"}},
	{Key: "nature", Label: "建设性质", Type: FieldTypeText, Kinds: kProjects, Synonyms: []string{"性质"}},
	{Key: "content", Label: "建设内容", Type: FieldTypeText, Kinds: kProjects, Synonyms: []string{"建设规模和建设内容", "建设规模及内容", "主要内容", "内容"}},
	{Key: "total", Label: "总投资", Type: FieldTypeMoney, Kinds: kPR, Synonyms: []string{"项目总投资", "总投资额", "投资总额", "计划总投资"}},
	{Key: "fund", Label: "区级资金", Type: FieldTypeMoney, Kinds: kPR, Synonyms: []string{"区级帮扶资金", "帮扶资金", "财政援助资金", "援助资金", "协作资金", "资金"}},
	{Key: "villages", Label: "受益村", Type: FieldTypeCount, Kinds: kPR, Synonyms: []string{"受益脱贫村", "受益村数", "带动村"}},
	{Key: "people", Label: "受益人口", Type: FieldTypeCount, Kinds: kPR, Synonyms: []string{"受益脱贫人口", "受益人数", "带动人口", "受益群众"}},
	{Key: "employed", Label: "带动就业", Type: FieldTypeCount, Kinds: kPR, Synonyms: []string{"吸纳脱贫人口", "吸纳就业", "带动脱贫人口就业", "就业人数", "就业"}},
	{Key: "status", Label: "状态", Type: FieldTypeText, Kinds: []LayoutKind{LayoutProjects, LayoutTasks}, Synonyms: []string{"项目状态", "进展情况", "完成情况", "进度", "进展"}},
	{Key: "allocated", Label: "已下达", Type: FieldTypeMoney, Kinds: kPR, Synonyms: []string{"下达资金", "到位资金", "资金到位"}},
	{Key: "disbursed", Label: "已拨付", Type: FieldTypeMoney, Kinds: kPR, Synonyms: []string{"拨付资金", "已拨付资金", "累计拨付", "拨付"}},
	{Key: "rate", Label: "拨付率", Type: FieldTypeRate, Kinds: kPR, Synonyms: []string{"资金拨付率", "支出进度", "拨付进度"}},
	{Key: "start", Label: "开工日期", Type: FieldTypeDate, Kinds: kProjects, Synonyms: []string{"开工时间", "实际开工"}},
	{Key: "plan_start", Label: "计划开工", Type: FieldTypeDate, Kinds: kProjects, Synonyms: []string{"计划开工时间"}},
	{Key: "finish", Label: "完工日期", Type: FieldTypeDate, Kinds: kProjects, Synonyms: []string{"计划完工", "完工时间", "竣工时间", "计划竣工"}},
	{Key: "implementer", Label: "实施单位", Type: FieldTypeText, Kinds: kProjects, Synonyms: []string{"项目实施单位", "建设单位", "实施主体"}},
	{Key: "lead", Label: "牵头单位", Type: FieldTypeText, Kinds: kProjects, Synonyms: []string{"项目牵头单位", "责任单位（北京）", "北京牵头单位"}},
	{Key: "managers", Label: "项目负责人", Type: FieldTypeText, Kinds: kProjects, Synonyms: []string{"负责人"}},
	{Key: "projects", Label: "项目数", Type: FieldTypeCount, Kinds: kRegions, Synonyms: []string{"项目个数", "项目数量"}},
	{Key: "work_item", Label: "工作事项", Type: FieldTypeText, Kinds: kTasks, Synonyms: []string{"事项", "任务名称"}},
	{Key: "task_category", Label: "任务类别", Type: FieldTypeText, Kinds: kTasks, Synonyms: []string{"类别"}},
	{Key: "task_content", Label: "任务内容", Type: FieldTypeText, Kinds: kTasks, Synonyms: []string{"工作任务", "内容"}},
	{Key: "units", Label: "责任单位", Type: FieldTypeText, Kinds: kTasks, Synonyms: []string{"责任部门", "牵头单位"}},
	{Key: "deadline", Label: "完成时限", Type: FieldTypeText, Kinds: kTasks, Synonyms: []string{"时限", "完成时间"}},
	{Key: "reporter", Label: "填报单位", Type: FieldTypeText, Constant: true, Synonyms: []string{"报送单位", "填报部门"}},
	{Key: "reported_on", Label: "填报日期", Type: FieldTypeDate, Constant: true, Synonyms: []string{"报送日期", "填报时间"}},
	{Key: "as_of", Label: "截至日期", Type: FieldTypeDate, Constant: true, Synonyms: []string{"数据截至", "截止日期", "截至"}},
}

// LookupLayoutField finds a field of the catalogue by its key.
func LookupLayoutField(key string) (LayoutField, bool) {
	for _, f := range LayoutFields {
		if f.Key == key {
			return f, true
		}
	}
	return LayoutField{}, false
}

// LayoutFieldsFor lists the column fields a layout of kind may map, in catalogue order.
func LayoutFieldsFor(kind LayoutKind) []LayoutField {
	var out []LayoutField
	for _, f := range LayoutFields {
		if !f.Constant && f.fills(kind) {
			out = append(out, f)
		}
	}
	return out
}

func (f LayoutField) fills(kind LayoutKind) bool {
	for _, k := range f.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// LayoutColumn is one column of a template: its header text (the header rows' cells joined
// from top to bottom), the field that fills it ("" leaves it blank), and whether the template's
// first data row formats it as text (number format @).
type LayoutColumn struct {
	Col        int // 1-based: A is 1
	Header     string
	Field      string
	TextFormat bool
}

// LayoutCell is a cell of the title rows filled with a constant: 填报单位, 填报日期, 截至日期.
// Text is what the template's cell says; the value is written after its label, e.g.
// 填报单位：门头沟区…, or alone when the cell names no label.
type LayoutCell struct {
	Ref   string // A2
	Field string
	Text  string
}

// PlatformLayout is a template of an upper platform kept as data. Each save is a new version;
// none is overwritten.
type PlatformLayout struct {
	ID          int64
	District    string
	Name        string // 市级东西部协作项目表
	Kind        LayoutKind
	FileName    string
	Template    []byte
	Sheet       string
	HeaderFirst int // 1-based rows of the header, inclusive
	HeaderLast  int
	DataRow     int // the first data row; its style is copied to every row written
	TotalRow    int // a row of the template that reads 合计, or 0
	Columns     []LayoutColumn
	Cells       []LayoutCell
	Version     int
	By          string
	At          time.Time
}

// Bounds of a layout.
const (
	MaxLayoutTemplate = 2 << 20 // bytes of the template workbook
	MaxLayoutColumns  = 60
	MaxLayoutHeader   = 10 // header rows
	MaxLayoutRow      = 40 // the first data row lies within the first 40 rows
	maxLayoutName     = 40
)

// Validate checks a layout before it is saved, and names every problem in words a clerk
// understands: where (which column, which row) and what is wrong.
func (l *PlatformLayout) Validate() error {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	l.Name = strings.TrimSpace(l.Name)
	switch n := utf8.RuneCountInString(l.Name); {
	case n == 0:
		add("请为格式起一个名称，如“市级东西部协作项目表”")
	case n > maxLayoutName:
		add("名称太长（%d 个字），最多 %d 个字", n, maxLayoutName)
	case strings.ContainsFunc(l.Name, unicode.IsControl) || strings.ContainsAny(l.Name, `/\<>`):
		add("名称不能含有 / \\ < > 或控制字符")
	}
	switch l.Kind {
	case LayoutProjects, LayoutTasks, LayoutRegions:
	default:
		add("请选择每行填写的内容：项目、任务或协作地区资金")
	}
	switch {
	case len(l.Template) == 0:
		add("没有模板文件，请上传上级平台下发的 .xlsx 模板")
	case len(l.Template) > MaxLayoutTemplate:
		add("模板文件太大（%.1f MB），最多 %d MB", float64(len(l.Template))/(1<<20), MaxLayoutTemplate>>20)
	}
	if l.Sheet == "" {
		add("请选择模板中要填写的工作表")
	}
	switch {
	case l.HeaderFirst < 1 || l.HeaderLast < l.HeaderFirst:
		add("表头行不对：第%d行至第%d行，应为开始行不大于结束行的正整数", l.HeaderFirst, l.HeaderLast)
	case l.HeaderLast-l.HeaderFirst+1 > MaxLayoutHeader:
		add("表头有 %d 行，最多 %d 行", l.HeaderLast-l.HeaderFirst+1, MaxLayoutHeader)
	}
	switch {
	case l.DataRow == 0:
		add("没有数据行：请指明表头下第一行数据从第几行开始")
	case l.DataRow <= l.HeaderLast:
		add("第一行数据（第%d行）应在表头（至第%d行）之下", l.DataRow, l.HeaderLast)
	case l.DataRow > MaxLayoutRow:
		add("第一行数据在第%d行，应在前 %d 行之内", l.DataRow, MaxLayoutRow)
	}
	if l.TotalRow != 0 && (l.TotalRow <= l.HeaderLast || l.TotalRow == l.DataRow) {
		add("合计行（第%d行）应在表头之下，且不是第一行数据", l.TotalRow)
	}
	if len(l.Columns) > MaxLayoutColumns {
		add("模板有 %d 列，最多 %d 列", len(l.Columns), MaxLayoutColumns)
	}
	seen := map[string]string{}
	mapped := 0
	for _, c := range l.Columns {
		if c.Field == "" {
			continue
		}
		col := ColumnName(c.Col)
		f, ok := LookupLayoutField(c.Field)
		switch {
		case !ok || f.Constant:
			add("第%s列（%s）选的“%s”不是可填写的字段", col, c.Header, c.Field)
			continue
		case !f.fills(l.Kind):
			add("第%s列（%s）的“%s”不能用于%s", col, c.Header, f.Label, l.Kind.Text())
			continue
		}
		mapped++
		if prev, dup := seen[c.Field]; dup {
			add("“%s”对应了两列：第%s列和第%s列，每个字段只能对应一列", f.Label, prev, col)
		} else {
			seen[c.Field] = col
		}
		if f.Type.Numeric() && c.TextFormat {
			add("第%s列（%s）在模板中设为文本格式，填入数字“%s”后无法求和：请改用数值格式，或另选字段", col, c.Header, f.Label)
		}
	}
	if mapped == 0 && len(probs) == 0 {
		add("还没有任何一列对应字段：请至少为一列选择要填写的内容")
	}
	refs := map[string]bool{}
	for _, c := range l.Cells {
		f, ok := LookupLayoutField(c.Field)
		r, row, rok := splitRef(c.Ref)
		switch {
		case !ok || !f.Constant:
			add("单元格 %s 选的“%s”不是标题中可填写的内容（填报单位、填报日期、截至日期）", c.Ref, c.Field)
		case !rok:
			add("单元格“%s”不是有效的单元格位置（如 A2）", c.Ref)
		case row >= l.HeaderFirst && l.HeaderFirst > 0:
			add("单元格 %s 应在表头之上（第%d行之前）", r+strconv.Itoa(row), l.HeaderFirst)
		case refs[c.Ref]:
			add("单元格 %s 填了两次", c.Ref)
		}
		refs[c.Ref] = true
	}
	if len(probs) > 0 {
		return Errorf(EINVALID, "%s", strings.Join(probs, "；"))
	}
	return nil
}

var reLeadBracket = regexp.MustCompile(`^\s*[（(][^）)]*[）)]`)

var reRef = regexp.MustCompile(`^([A-Z]{1,3})([1-9][0-9]{0,5})$`)

func splitRef(ref string) (string, int, bool) {
	m := reRef.FindStringSubmatch(ref)
	if m == nil {
		return "", 0, false
	}
	n, _ := strconv.Atoi(m[2])
	return m[1], n, true
}

// ColumnName is a column's letters: 1 → A, 27 → AA.
func ColumnName(col int) string {
	if col < 1 {
		return "?"
	}
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}

// normHeader is a header's words without spaces, line breaks, units and bracketed notes:
// "总投资\n（万元）" → 总投资.
var reBracket = regexp.MustCompile(`[（(][^）)]*[）)]`)

func normHeader(s string) string {
	s = reBracket.ReplaceAllString(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '：' || r == ':' || r == '*' || r == '＊' {
			return -1
		}
		return r
	}, s)
	return s
}

// headerScore is how well header h (normalized, its last part first) names field f: 3 the
// label, 2 a synonym, 1 the label or a synonym within the header; 0 no match.
func headerScore(h string, f LayoutField) int {
	if h == "" {
		return 0
	}
	if h == normHeader(f.Label) {
		return 4
	}
	for _, s := range f.Synonyms {
		if h == normHeader(s) {
			return 3
		}
	}
	if strings.Contains(h, normHeader(f.Label)) {
		return 2
	}
	for _, s := range f.Synonyms {
		if n := normHeader(s); utf8.RuneCountInString(n) >= 2 && strings.Contains(h, n) {
			return 1
		}
	}
	return 0
}

// ProposeMapping proposes a field for each header of a template of kind (headers as the
// columns' header rows read joined by "\n", top to bottom): the field whose label or synonym the
// lowest header row (the most specific words) names best, else the whole header; a field goes
// to one column only, the best-named first, ties to the left. "" where nothing matches.
func ProposeMapping(kind LayoutKind, headers []string) []string {
	fields := LayoutFieldsFor(kind)
	type cand struct{ col, field, score int }
	var cands []cand
	for i, h := range headers {
		parts := strings.Split(h, "\n")
		last := normHeader(parts[len(parts)-1])
		whole := normHeader(strings.Join(parts, ""))
		for j, f := range fields {
			s := headerScore(last, f) * 2
			if w := headerScore(whole, f); w*2-1 > s {
				s = w*2 - 1
			}
			if s > 0 {
				cands = append(cands, cand{i, j, s})
			}
		}
	}
	// Best score first; ties keep header order, then catalogue order.
	for i := 1; i < len(cands); i++ {
		for j := i; j > 0 && cands[j].score > cands[j-1].score; j-- {
			cands[j], cands[j-1] = cands[j-1], cands[j]
		}
	}
	out := make([]string, len(headers))
	used := map[int]bool{}
	for _, c := range cands {
		if out[c.col] != "" || used[c.field] {
			continue
		}
		out[c.col] = fields[c.field].Key
		used[c.field] = true
	}
	return out
}

// ProposeCells finds the title cells (text keyed by cell reference, the rows above the header)
// that name a constant: 填报单位, 填报日期, 截至日期. A cell naming two (填报单位：… 填报日期：…)
// gets the first; the office may correct it.
func ProposeCells(title map[string]string) []LayoutCell {
	var out []LayoutCell
	for ref, text := range title {
		t := normHeader(text)
		for _, f := range LayoutFields {
			if !f.Constant {
				continue
			}
			hit := strings.Contains(t, f.Label)
			for _, s := range f.Synonyms {
				hit = hit || strings.Contains(t, normHeader(s))
			}
			if hit {
				out = append(out, LayoutCell{Ref: ref, Field: f.Key, Text: text})
				break
			}
		}
	}
	sortCells(out)
	return out
}

func sortCells(cs []LayoutCell) {
	less := func(a, b LayoutCell) bool {
		ca, ra, _ := splitRef(a.Ref)
		cb, rb, _ := splitRef(b.Ref)
		if ra != rb {
			return ra < rb
		}
		if len(ca) != len(cb) {
			return len(ca) < len(cb)
		}
		return ca < cb
	}
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && less(cs[j], cs[j-1]); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// LayoutValue is one cell to write: a number (money in 万元, a count, a rate as a fraction), a
// text, or blank (unknown is blank, never 0).
type LayoutValue struct {
	Text  string
	Num   float64
	IsNum bool
	Type  LayoutFieldType
	Fen   int64 // money: the exact amount, which sums are made of
}

// Blank reports whether the cell is left empty.
func (v LayoutValue) Blank() bool { return !v.IsNum && v.Text == "" }

// LayoutData is what a layout is filled from: the plan, each project's live figures as of a day
// (PlanLiveFigures), each task's state in words as of that day (by task number), the unit that
// reports, and the days.
type LayoutData struct {
	Plan       *Plan
	Live       map[int64]LiveFigures
	TaskStatus map[int]string
	Reporter   string
	AsOf       Date
	Today      Date
}

// LayoutFill is a filled layout: the rows from the first data row, the 合计 row's values (nil
// for a text column, the label cell kept as the template has it), and the title cells' texts.
type LayoutFill struct {
	Rows  [][]LayoutValue // one per project, task or region; one value per Columns entry
	Total []LayoutValue
	Cells map[string]string
}

func lvMoney(fen int64) LayoutValue {
	return LayoutValue{Num: float64(fen) / float64(FenPerWan), IsNum: true, Type: FieldTypeMoney, Fen: fen}
}

func lvMoneyNum(n Num) LayoutValue {
	if !n.Valid {
		return LayoutValue{Type: FieldTypeMoney}
	}
	return lvMoney(n.V)
}

func lvCount(n Num) LayoutValue {
	if !n.Valid {
		return LayoutValue{Type: FieldTypeCount}
	}
	return LayoutValue{Num: float64(n.V), IsNum: true, Type: FieldTypeCount}
}

func lvText(s string) LayoutValue { return LayoutValue{Text: s, Type: FieldTypeText} }

func lvRate(allocated, disbursed int64) LayoutValue {
	if allocated <= 0 {
		return LayoutValue{Type: FieldTypeRate}
	}
	return LayoutValue{Num: float64(disbursed) / float64(allocated), IsNum: true, Type: FieldTypeRate}
}

func lvMonth(ym YearMonth) LayoutValue {
	if ym.IsZero() {
		return LayoutValue{Type: FieldTypeDate}
	}
	return LayoutValue{Text: fmt.Sprintf("%d年%d月", ym.Year, ym.Month), Type: FieldTypeDate}
}

func lvDay(d Date) LayoutValue {
	if d.IsZero() {
		return LayoutValue{Type: FieldTypeDate}
	}
	return LayoutValue{Text: d.String(), Type: FieldTypeDate}
}

// FillLayout computes the cells of a layout from the data: one row per project (plan order),
// per task, or per partner region; the 合计 row sums money and counts over the rows (villages,
// distinct counts, as the plan's 合计 states them; a rate over the summed money); the title
// cells say the reporting unit and the days.
func FillLayout(l PlatformLayout, d LayoutData) LayoutFill {
	fill := LayoutFill{Cells: map[string]string{}}
	p := d.Plan
	table := Rollup(p, ProjectFilter{})
	cols := l.Columns
	row := func(get func(key string, serial int) LayoutValue, serial int) []LayoutValue {
		vals := make([]LayoutValue, len(cols))
		for i, c := range cols {
			if c.Field == "" {
				continue
			}
			vals[i] = get(c.Field, serial)
		}
		return vals
	}
	var allocated, disbursed int64
	switch l.Kind {
	case LayoutProjects:
		for i, pr := range table.Total.Projects {
			lv := d.Live[pr.ID]
			allocated += lv.Allocated
			disbursed += lv.Disbursed
			fill.Rows = append(fill.Rows, row(func(key string, serial int) LayoutValue {
				return projectValue(key, serial, pr, lv)
			}, i+1))
		}
	case LayoutTasks:
		for i, t := range p.Tasks {
			fill.Rows = append(fill.Rows, row(func(key string, serial int) LayoutValue {
				return taskValue(key, serial, t, d.TaskStatus[t.Number])
			}, i+1))
		}
	case LayoutRegions:
		for i, g := range table.Regions {
			var a, b int64
			for _, pr := range g.Projects {
				a += d.Live[pr.ID].Allocated
				b += d.Live[pr.ID].Disbursed
			}
			allocated += a
			disbursed += b
			fill.Rows = append(fill.Rows, row(func(key string, serial int) LayoutValue {
				return groupValue(key, serial, g.ProjectGroup, g.Region, a, b)
			}, i+1))
		}
	}
	// The 合计 row: sums of the rows' numbers; villages and rates as their rules say.
	fill.Total = make([]LayoutValue, len(cols))
	for i, c := range cols {
		f, _ := LookupLayoutField(c.Field)
		switch {
		case c.Field == "serial" || !f.Type.Numeric() || l.Kind == LayoutTasks:
		case c.Field == "villages":
			fill.Total[i] = groupValue("villages", 0, table.Total, "", 0, 0)
		case c.Field == "rate":
			fill.Total[i] = lvRate(allocated, disbursed)
		default:
			var sum float64
			var fen int64
			given := false
			for _, r := range fill.Rows {
				if r[i].IsNum {
					sum += r[i].Num
					fen += r[i].Fen
					given = true
				}
			}
			switch {
			case given && f.Type == FieldTypeMoney:
				fill.Total[i] = lvMoney(fen)
			case given:
				fill.Total[i] = LayoutValue{Num: sum, IsNum: true, Type: f.Type}
			}
		}
		if c.Field == "projects" && l.Kind == LayoutRegions {
			fill.Total[i] = LayoutValue{Num: float64(len(table.Total.Projects)), IsNum: true, Type: FieldTypeCount}
		}
	}
	vals := map[string]string{"reporter": d.Reporter, "reported_on": dateWords(d.Today), "as_of": dateWords(d.AsOf)}
	for _, c := range l.Cells {
		fill.Cells[c.Ref] = cellText(c, vals)
	}
	return fill
}

// OfficeName is the district's office as documents name it: as the plan's document names its
// issuing office (门头沟区扶贫协作和支援合作工作领导小组办公室), else the district's
// 支援合作工作领导小组办公室. The drafts sign with it and the layouts' 填报单位 says it.
func OfficeName(p *Plan) string {
	if p.Office != "" {
		return p.Office
	}
	return p.District + "支援合作工作领导小组办公室"
}

func dateWords(d Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

// cellText fills a title cell: after each label of a title field the cell names (填报单位,
// 填报日期, 截至日期 or a synonym), the field's value from vals (by field key), keeping what the
// cell says before, between and after them; the blank the template left for a value (spaces,
// underscores, a date's 「年 月 日」) is replaced. 「填报单位（盖章）：     填报日期：」 becomes
// 「填报单位（盖章）：门头沟区…办公室    填报日期：2021年9月15日」. A cell naming no label gets its own
// field's value alone.
func cellText(c LayoutCell, vals map[string]string) string {
	labels := cellLabels(c.Text)
	if len(labels) == 0 {
		return vals[c.Field]
	}
	var b strings.Builder
	b.WriteString(c.Text[:labels[0].start])
	for i, lb := range labels {
		next := len(c.Text)
		if i+1 < len(labels) {
			next = labels[i+1].start
		}
		end := lb.end
		if m := reLeadBracket.FindString(c.Text[end:next]); m != "" {
			end += len(m) // 填报单位（盖章）：
		}
		b.WriteString(c.Text[lb.start:end])
		b.WriteString("：")
		b.WriteString(vals[lb.field])
		rest := strings.TrimLeft(c.Text[end:next], "：: \u3000")
		if f, _ := LookupLayoutField(lb.field); f.Type == FieldTypeDate {
			rest = reDateBlank.ReplaceAllString(rest, "")
		}
		rest = strings.TrimLeftFunc(rest, isBlank)
		if i+1 < len(labels) || rest != "" {
			b.WriteString("    ")
		}
		b.WriteString(strings.TrimRightFunc(rest, isBlank))
	}
	return b.String()
}

// reDateBlank is the blank a template leaves for a date: 「    年   月   日」.
var reDateBlank = regexp.MustCompile(`^[\s_\x{3000}]*(?:\d{4})?[\s_\x{3000}]*年[\s_\x{3000}]*月[\s_\x{3000}]*日`)

func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '_' || r == '\u3000' }

// cellLabel is a title field's label in a cell's text, at bytes start:end.
type cellLabel struct {
	field      string
	start, end int
}

// cellLabels finds the labels of title fields a cell's text names, in reading order; where
// labels overlap (截至 in 数据截至) the longest at the earliest place is taken.
func cellLabels(text string) []cellLabel {
	var out []cellLabel
	for i := 0; i < len(text); {
		best := cellLabel{}
		for _, f := range LayoutFields {
			if !f.Constant {
				continue
			}
			for _, label := range append([]string{f.Label}, f.Synonyms...) {
				if strings.HasPrefix(text[i:], label) && len(label) > best.end-best.start {
					best = cellLabel{field: f.Key, start: i, end: i + len(label)}
				}
			}
		}
		if best.field != "" {
			out = append(out, best)
			i = best.end
			continue
		}
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	return out
}

// CellFields are the keys of the title fields a cell fills: each one its text names, in reading
// order, or its own field when it names none.
func CellFields(c LayoutCell) []string {
	var out []string
	for _, lb := range cellLabels(c.Text) {
		if !slices.Contains(out, lb.field) {
			out = append(out, lb.field)
		}
	}
	if len(out) == 0 && c.Field != "" {
		out = append(out, c.Field)
	}
	return out
}

func projectValue(key string, serial int, pr Project, lv LiveFigures) LayoutValue {
	switch key {
	case "serial":
		return LayoutValue{Num: float64(serial), IsNum: true, Type: FieldTypeCount}
	case "region":
		return lvText(pr.Region)
	case "name":
		return lvText(pr.Name)
	case "category":
		return lvText(pr.Category)
	case "nature":
		return lvText(pr.Nature)
	case "content":
		return lvText(pr.Content)
	case "total":
		return lvMoneyNum(pr.TotalInvestment)
	case "fund":
		return lvMoneyNum(pr.DistrictFund)
	case "villages":
		return lvCount(pr.Villages)
	case "people":
		return lvCount(pr.People)
	case "employed":
		return lvCount(pr.Employed)
	case "status":
		s := lv.Status
		if s == "" {
			s = StatusPlanned
		}
		return lvText(s.Text())
	case "allocated":
		return lvMoney(lv.Allocated)
	case "disbursed":
		return lvMoney(lv.Disbursed)
	case "rate":
		return lvRate(lv.Allocated, lv.Disbursed)
	case "start":
		return lvDay(lv.StartedOn)
	case "plan_start":
		return lvMonth(pr.Period.Start)
	case "finish":
		return lvMonth(pr.Period.Finish)
	case "implementer":
		return lvText(pr.Implementer)
	case "lead":
		return lvText(pr.LeadUnit)
	case "managers":
		return lvText(pr.Managers)
	}
	return LayoutValue{}
}

func taskValue(key string, serial int, t Task, status string) LayoutValue {
	switch key {
	case "serial":
		return LayoutValue{Num: float64(serial), IsNum: true, Type: FieldTypeCount}
	case "work_item":
		return lvText(t.WorkItem)
	case "task_category":
		return lvText(t.Category)
	case "task_content":
		return lvText(t.Content)
	case "units":
		var names []string
		for _, u := range t.Units {
			names = append(names, u.Unit)
		}
		s := strings.Join(names, "、")
		if t.UnitsOpen {
			s += "等"
		}
		return lvText(s)
	case "deadline":
		return lvText(t.Deadline.Text)
	case "status":
		return lvText(status)
	}
	return LayoutValue{}
}

func groupValue(key string, serial int, g ProjectGroup, region string, allocated, disbursed int64) LayoutValue {
	tot, fund, _, people, employed := g.Figure()
	switch key {
	case "serial":
		return LayoutValue{Num: float64(serial), IsNum: true, Type: FieldTypeCount}
	case "region":
		return lvText(region)
	case "projects":
		return LayoutValue{Num: float64(len(g.Projects)), IsNum: true, Type: FieldTypeCount}
	case "total":
		return lvMoneyNum(tot)
	case "fund":
		return lvMoneyNum(fund)
	case "villages":
		v := g.Villages()
		if !v.Known {
			return LayoutValue{Type: FieldTypeCount}
		}
		// A range (rows cut or left blank) cannot be one number: the least it can be, as the
		// printed table writes it.
		return LayoutValue{Num: float64(v.Min), IsNum: true, Type: FieldTypeCount}
	case "people":
		return lvCount(people)
	case "employed":
		return lvCount(employed)
	case "allocated":
		return lvMoney(allocated)
	case "disbursed":
		return lvMoney(disbursed)
	case "rate":
		return lvRate(allocated, disbursed)
	}
	return LayoutValue{}
}
