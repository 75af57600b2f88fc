package xiezuo

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// The formula language of the indicators (考核指标公式). A formula is arithmetic (+ - * /,
// parentheses, numbers) over aggregates of a source of facts:
//
//	count(SOURCE [where COND])          how many facts (0 when none)
//	sum(SOURCE.FIELD [where COND])      the sum of a number field (unknown when no fact reported it)
//	distinct(SOURCE.FIELD [where COND]) how many different values the field takes (0 when none)
//	share(A, B)                         100·A/B, unknown when B is 0 or either is unknown
//
// COND is FIELD op LITERAL (op among = != >= <= > <) or FIELD in ("a", "b"), joined by and/or
// and parentheses; a date field also compares with today, the last day the evaluation counts
// (the earlier of the date asked and the indicator's due date). A source is a register by its kind (meetings, visits, …, with its fields,
// its derived fields and the pseudo-fields date, unit, region and team), projects, funds,
// results or placements (see FormulaSources). Amounts add up in fen and become 万元 only as the value.
// Unknown is not zero: arithmetic over an unknown is unknown.
//
// A formula is parsed once (ParseFormula keeps the parsed forms by text) and evaluated many
// times, for the district and for each team, unit or region, as of several dates.

// SourceField is a field a formula may name: its key, its label, its kind and, for a choice,
// its options.
type SourceField struct {
	Key     string
	Label   string
	Kind    FieldKind
	Options []string
}

// FormulaSource is a source of facts a formula aggregates.
type FormulaSource struct {
	Name   string // count(NAME …)
	Title  string // 会议, 项目, 资金, 项目成效
	Fields []SourceField
	// Which pseudo-fields the facts fill: a team (articles only), a unit, a region.
	HasTeam, HasUnit, HasRegion bool
	index                       map[string]int
	extract                     []extract // a register's: how each field is read from an entry
}

// extract says how a register entry gives a field's value.
type extract struct {
	how  byte // takeValue, takeDay, …
	key  string
	kind FieldKind
	sum  []string // takeSum: the fields added
}

const (
	takeValue byte = iota
	takeDay
	takeUnit
	takeRegion
	takeTeam
	takeOnTime
	takeSum
)

func (s *FormulaSource) field(key string) (int, bool) {
	i, ok := s.index[key]
	return i, ok
}

func (s *FormulaSource) keys() string {
	var ks []string
	for _, f := range s.Fields {
		if f.Label != "" && f.Label != f.Key {
			ks = append(ks, f.Key+"（"+f.Label+"）")
		} else {
			ks = append(ks, f.Key)
		}
	}
	return strings.Join(ks, "、")
}

// Non-register sources.
const (
	SourceProjects = "projects"
	SourceFunds    = "funds"
	SourceResults  = "results"
)

var (
	sourcesOnce sync.Once
	sourcesList []*FormulaSource
	sourcesMap  map[string]*FormulaSource
)

// FormulaSources are the sources formulas may aggregate, registers first in menu order.
func FormulaSources() []*FormulaSource {
	sourcesOnce.Do(buildSources)
	return sourcesList
}

func formulaSource(name string) (*FormulaSource, bool) {
	sourcesOnce.Do(buildSources)
	s, ok := sourcesMap[name]
	return s, ok
}

var yesNo = []string{"是", "否"}

func buildSources() {
	sourcesMap = map[string]*FormulaSource{}
	add := func(s *FormulaSource) {
		s.index = map[string]int{}
		for i, f := range s.Fields {
			s.index[f.Key] = i
		}
		sourcesList = append(sourcesList, s)
		sourcesMap[s.Name] = s
	}
	for _, spec := range registerSpecs {
		s := &FormulaSource{Name: string(spec.Kind), Title: spec.Title, HasTeam: spec.TeamKey != "", HasUnit: true, HasRegion: spec.RegionKey != ""}
		seen := map[string]bool{}
		for _, f := range spec.Fields {
			s.Fields = append(s.Fields, SourceField{Key: f.Key, Label: f.Label, Kind: f.Kind, Options: f.Options})
			seen[f.Key] = true
		}
		for _, d := range spec.Derived {
			s.Fields = append(s.Fields, SourceField{Key: d.Key, Label: d.Label, Kind: derivedKind(spec, d)})
			seen[d.Key] = true
		}
		if spec.Kind == RegProblem {
			s.Fields = append(s.Fields, SourceField{Key: "on_time", Label: "按时整改", Kind: FieldChoice, Options: yesNo})
		}
		for _, p := range []SourceField{{"date", "日期", FieldDate, nil}, {"unit", "单位", FieldUnit, nil}, {"region", "协作地区", FieldRegion, nil}, {"team", "工作专班", FieldTeam, nil}} {
			if !seen[p.Key] {
				s.Fields = append(s.Fields, p)
			}
		}
		for _, f := range s.Fields {
			x := extract{how: takeValue, key: f.Key, kind: f.Kind}
			_, own := spec.Field(f.Key)
			switch {
			case f.Key == "date" && !own:
				x.how = takeDay
			case f.Key == "unit":
				x.how = takeUnit
			case f.Key == "region":
				x.how = takeRegion
			case f.Key == "team":
				x.how = takeTeam
			case f.Key == "on_time" && spec.Kind == RegProblem:
				x.how = takeOnTime
			}
			if d, ok := derived(spec, f.Key); ok {
				x.how, x.sum = takeSum, d.Sum
			}
			s.extract = append(s.extract, x)
		}
		add(s)
	}
	add(&FormulaSource{Name: SourceProjects, Title: "项目", HasUnit: true, HasRegion: true, Fields: []SourceField{
		{"region", "协作地区", FieldRegion, nil}, {"category", "项目类别", FieldText, nil}, {"nature", "建设性质", FieldText, nil},
		{"lead", "牵头单位", FieldUnit, nil}, {"unit", "牵头单位", FieldUnit, nil},
		{"status", "状态", FieldChoice, []string{string(StatusPlanned), string(StatusStarted), string(StatusCompleted), string(StatusAccepted), string(StatusHandedOver), string(StatusAftercare), string(StatusEvaluated), string(StatusSuspended), string(StatusCancelled)}},
		{"started", "已开工", FieldChoice, yesNo}, {"completed", "已完工", FieldChoice, yesNo},
		{"planned_finish", "计划完工日期", FieldDate, nil}, {"finished_on_time", "按时完工", FieldChoice, yesNo},
		{"fund", "区级帮扶资金", FieldAmount, nil}, {"investment", "项目总投资", FieldAmount, nil},
		{"villages", "受益脱贫村", FieldInt, nil}, {"people", "受益脱贫人口", FieldInt, nil}, {"employed", "吸纳脱贫人口", FieldInt, nil},
		{"date", "日期", FieldDate, nil}, {"team", "工作专班", FieldTeam, nil},
	}})
	add(&FormulaSource{Name: SourceFunds, Title: "资金", HasUnit: true, HasRegion: true, Fields: []SourceField{
		{"kind", "类型", FieldChoice, []string{string(FundAllocation), string(FundDisbursement), string(FundExpenditure)}},
		{"source", "资金来源", FieldChoice, []string{string(SourceDistrict), string(SourceSocial), string(SourceIntegrated), string(SourceSelf)}},
		{"amount", "金额", FieldAmount, nil}, {"date", "日期", FieldDate, nil}, {"region", "协作地区", FieldRegion, nil},
		{"category", "项目类别", FieldText, nil}, {"unit", "牵头单位", FieldUnit, nil}, {"team", "工作专班", FieldTeam, nil},
	}})
	add(&FormulaSource{Name: SourceResults, Title: "项目成效", HasUnit: true, HasRegion: true, Fields: []SourceField{
		{"kind", "成效类型", FieldChoice, []string{string(ResultVillages), string(ResultPeople), string(ResultPoorEmployed), string(ResultJobs)}},
		{"value", "数值", FieldInt, nil}, {"region", "协作地区", FieldRegion, nil}, {"category", "项目类别", FieldText, nil},
		{"unit", "牵头单位", FieldUnit, nil}, {"date", "日期", FieldDate, nil}, {"team", "工作专班", FieldTeam, nil},
	}})
	// Placements (就业, issue 12): each placement current as of the evaluation day; see
	// scoreState.placementFacts.
	add(&FormulaSource{Name: LabourSource, Title: "劳务协作就业", HasRegion: true, Fields: []SourceField{
		{"region", "协作地区", FieldRegion, nil},
		{"poor", "脱贫劳动力", FieldChoice, yesNo}, {"watched", "防止返贫监测对象", FieldChoice, yesNo},
		{"kind", "就业类型", FieldChoice, PlacementKinds}, {"local", "就地就近就业", FieldChoice, yesNo},
		{"stable", "稳定就业3个月以上", FieldChoice, yesNo}, {"months", "已就业月数", FieldInt, nil},
		{"source", "来源", FieldChoice, []string{PlacementFromMatch, PlacementRecorded}},
		{"start", "就业开始日期", FieldDate, nil}, {"end", "就业结束日期", FieldDate, nil}, {"date", "日期", FieldDate, nil},
		{"person", "人员", FieldInt, nil}, {"employer", "就业单位", FieldText, nil},
	}})
}

// derivedKind is an amount when its parts are amounts, else an integer.
func derivedKind(spec RegisterSpec, d DerivedField) FieldKind {
	for _, k := range d.Sum {
		if f, ok := spec.Field(k); ok && f.Kind == FieldAmount {
			return FieldAmount
		}
	}
	return FieldInt
}

func numericKind(k FieldKind) bool { return k == FieldInt || k == FieldAmount }

// Formula is a parsed formula.
type Formula struct {
	Text string
	root fnode
	// Sources are the sources it aggregates, in order of appearance.
	Sources []string
}

// fnode is a node of a parsed formula.
type fnode interface {
	eval(e *evalCtx) measure
}

// measure is a value that may be unknown.
type measure struct {
	v  float64
	ok bool
}

// formulaErr is a formula's error at a position (1-based, in characters).
func formulaErr(pos int, format string, args ...any) error {
	return Errorf(EINVALID, "公式第%d个字符：%s", pos, fmt.Sprintf(format, args...))
}

// formulaCache keeps parsed formulas by text, at most formulaCacheMax of them (an editor's
// previews of ever new texts must not grow it without end).
var (
	formulaCache    sync.Map // text → cachedParse
	formulaCacheLen atomic.Int64
)

const formulaCacheMax = 10_000

type cachedParse struct {
	f   *Formula
	err error
}

// ParseFormula parses a formula, naming the position of its first error in words a clerk
// understands. Parsed forms are kept by text (not a text too long, which is refused at once):
// parsing the same text again costs a lookup.
func ParseFormula(text string) (*Formula, error) {
	if c, ok := formulaCache.Load(text); ok {
		p := c.(cachedParse)
		return p.f, p.err
	}
	f, err := parseFormula(text)
	if utf8.RuneCountInString(text) <= MaxFormulaLen && formulaCacheLen.Load() < formulaCacheMax { // a text too long is never kept
		if _, loaded := formulaCache.LoadOrStore(text, cachedParse{f, err}); !loaded {
			formulaCacheLen.Add(1)
		}
	}
	return f, err
}

type token struct {
	kind byte // 'n' number, 's' string, 'i' identifier, 'o' operator/punctuation, 0 end
	text string
	num  float64
	pos  int // 1-based rune position
}

func lexFormula(text string) ([]token, error) {
	rs := []rune(text)
	var out []token
	for i := 0; i < len(rs); {
		c := rs[i]
		pos := i + 1
		switch {
		case unicode.IsSpace(c):
			i++
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(rs) && rs[i+1] >= '0' && rs[i+1] <= '9':
			j := i
			for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == '.') {
				j++
			}
			v, err := strconv.ParseFloat(string(rs[i:j]), 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				return nil, formulaErr(pos, "“%s”不是数字", string(rs[i:j]))
			}
			if err != nil || v > MaxFormulaNumber {
				return nil, formulaErr(pos, "数字太大（%.20s），最大 %d", string(rs[i:j]), int64(MaxFormulaNumber))
			}
			out = append(out, token{kind: 'n', text: string(rs[i:j]), num: v, pos: pos})
			i = j
		case c == '"' || c == '“' || c == '”' || c == '\'':
			end := c
			if c == '“' {
				end = '”'
			}
			j := i + 1
			for j < len(rs) && rs[j] != end && !(end == '”' && rs[j] == '"') {
				j++
			}
			if j >= len(rs) {
				return nil, formulaErr(pos, "引号没有结束")
			}
			out = append(out, token{kind: 's', text: string(rs[i+1 : j]), pos: pos})
			i = j + 1
		case unicode.IsLetter(c) || c == '_':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' ||
				rs[j] == '-' && j+1 < len(rs) && unicode.IsLetter(rs[j+1])) {
				j++
			}
			out = append(out, token{kind: 'i', text: string(rs[i:j]), pos: pos})
			i = j
		default:
			two := ""
			if i+1 < len(rs) {
				two = string(rs[i : i+2])
			}
			switch two {
			case ">=", "<=", "!=", "==":
				if two == "==" {
					two = "="
				}
				out = append(out, token{kind: 'o', text: two, pos: pos})
				i += 2
				continue
			}
			switch c {
			case '+', '-', '*', '/', '(', ')', ',', '=', '>', '<', '.':
				out = append(out, token{kind: 'o', text: string(c), pos: pos})
			case '（':
				out = append(out, token{kind: 'o', text: "(", pos: pos})
			case '）':
				out = append(out, token{kind: 'o', text: ")", pos: pos})
			case '，':
				out = append(out, token{kind: 'o', text: ",", pos: pos})
			default:
				return nil, formulaErr(pos, "不认识的符号“%c”", c)
			}
			i++
		}
	}
	out = append(out, token{pos: len(rs) + 1})
	return out, nil
}

type fparser struct {
	toks    []token
	i       int
	sources []string
	depth   int // how deep the parser is in parentheses, share( and minus signs
}

// enter goes one level deeper, refusing past MaxFormulaDepth; leave comes back.
func (p *fparser) enter() error {
	p.depth++
	if p.depth > MaxFormulaDepth {
		return formulaErr(p.peek().pos, "括号、share 或负号嵌套太深（超过 %d 层），请简化公式", MaxFormulaDepth)
	}
	return nil
}

func (p *fparser) leave() { p.depth-- }

func (p *fparser) peek() token { return p.toks[p.i] }
func (p *fparser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}
func (p *fparser) is(text string) bool {
	t := p.peek()
	return (t.kind == 'o' || t.kind == 'i') && t.text == text
}

func (p *fparser) expect(text string) error {
	t := p.peek()
	if !p.is(text) {
		return formulaErr(t.pos, "这里应为“%s”，却是%s", text, describe(t))
	}
	p.next()
	return nil
}

func describe(t token) string {
	switch t.kind {
	case 0:
		return "公式的结尾"
	case 's':
		return "“\"" + t.text + "\"”"
	}
	return "“" + t.text + "”"
}

// Bounds of a formula: its length in characters, how deep parentheses, share( and minus signs
// nest, and its numbers. The shipped formulas are under 200 characters, 3 deep; the bounds are
// the root's (the editor's form caps the text at 1000 characters, other writers of versions do
// not), and keep a formula from costing seconds of parsing and scoring or a deep recursion.
const (
	MaxFormulaLen    = 2000
	MaxFormulaDepth  = 20
	MaxFormulaNumber = 1e12
)

func parseFormula(text string) (*Formula, error) {
	if strings.TrimSpace(text) == "" {
		return nil, Errorf(EINVALID, "公式不能为空")
	}
	if n := utf8.RuneCountInString(text); n > MaxFormulaLen {
		return nil, Errorf(EINVALID, "公式太长（%d 个字符），最多 %d 个字符", n, MaxFormulaLen)
	}
	toks, err := lexFormula(text)
	if err != nil {
		return nil, err
	}
	p := &fparser{toks: toks}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != 0 {
		return nil, formulaErr(t.pos, "多余的%s", describe(t))
	}
	return &Formula{Text: text, root: root, Sources: p.sources}, nil
}

type binNode struct {
	op   byte
	l, r fnode
}

func (n binNode) eval(e *evalCtx) measure {
	a, b := n.l.eval(e), n.r.eval(e)
	if !a.ok || !b.ok {
		return measure{}
	}
	switch n.op {
	case '+':
		return measure{a.v + b.v, true}
	case '-':
		return measure{a.v - b.v, true}
	case '*':
		return measure{a.v * b.v, true}
	}
	if b.v == 0 {
		return measure{}
	}
	return measure{a.v / b.v, true}
}

type numNode float64

func (n numNode) eval(*evalCtx) measure { return measure{float64(n), true} }

type shareNode struct{ a, b fnode }

func (n shareNode) eval(e *evalCtx) measure {
	a, b := n.a.eval(e), n.b.eval(e)
	if !a.ok || !b.ok || b.v == 0 {
		return measure{}
	}
	return measure{100 * a.v / b.v, true}
}

func (p *fparser) expr() (fnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.is("+") || p.is("-") {
		op := p.next().text[0]
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = binNode{op, l, r}
	}
	return l, nil
}

func (p *fparser) term() (fnode, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.is("*") || p.is("/") {
		op := p.next().text[0]
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = binNode{op, l, r}
	}
	return l, nil
}

func (p *fparser) unary() (fnode, error) {
	if p.is("-") {
		p.next()
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return binNode{'-', numNode(0), x}, nil
	}
	return p.primary()
}

var aggregates = []string{"count", "sum", "distinct", "share"}

func (p *fparser) primary() (fnode, error) {
	t := p.peek()
	switch {
	case t.kind == 'n':
		p.next()
		return numNode(t.num), nil
	case p.is("("):
		p.next()
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		return x, p.expect(")")
	case t.kind == 'i':
		if !slices.Contains(aggregates, t.text) {
			return nil, formulaErr(t.pos, "没有“%s”这个函数，可用：count、sum、distinct、share", t.text)
		}
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		if t.text == "share" {
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expect(","); err != nil {
				return nil, err
			}
			b, err := p.expr()
			if err != nil {
				return nil, err
			}
			return shareNode{a, b}, p.expect(")")
		}
		n, err := p.aggregate(t.text)
		if err != nil {
			return nil, err
		}
		return n, p.expect(")")
	}
	return nil, formulaErr(t.pos, "这里应为数字、括号或 count、sum、distinct、share，却是%s", describe(t))
}

func (p *fparser) aggregate(fn string) (fnode, error) {
	t := p.next()
	if t.kind != 'i' {
		return nil, formulaErr(t.pos, "这里应为台账或数据来源的名称，却是%s", describe(t))
	}
	src, ok := formulaSource(t.text)
	if !ok {
		var names []string
		for _, s := range FormulaSources() {
			names = append(names, s.Name+"（"+s.Title+"）")
		}
		return nil, formulaErr(t.pos, "没有“%s”这个台账，可用：%s", t.text, strings.Join(names, "、"))
	}
	if !slices.Contains(p.sources, src.Name) {
		p.sources = append(p.sources, src.Name)
	}
	n := &aggNode{fn: fn, src: src, field: -1}
	if fn != "count" {
		if err := p.expect("."); err != nil {
			return nil, err
		}
		ft := p.next()
		i, ok := src.field(ft.text)
		if ft.kind != 'i' || !ok {
			return nil, formulaErr(ft.pos, "%s没有“%s”这个字段，可用：%s", src.Title, ft.text, src.keys())
		}
		if fn == "sum" && !numericKind(src.Fields[i].Kind) {
			return nil, formulaErr(ft.pos, "“%s”（%s）不是数字，不能求和", ft.text, src.Fields[i].Label)
		}
		n.field = i
		n.amount = src.Fields[i].Kind == FieldAmount
	} else if p.is(".") {
		return nil, formulaErr(p.peek().pos, "count 数的是记录条数，不带字段；求和用 sum，数不同值用 distinct")
	}
	if p.is("where") {
		p.next()
		c, err := p.cond(src)
		if err != nil {
			return nil, err
		}
		n.cond = c
	}
	return n, nil
}

// cond is a compiled condition over a fact.
type cond func(e *evalCtx, f *fact) bool

func (p *fparser) cond(src *FormulaSource) (cond, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	l, err := p.andCond(src)
	if err != nil {
		return nil, err
	}
	for p.is("or") {
		p.next()
		r, err := p.andCond(src)
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(e *evalCtx, f *fact) bool { return a(e, f) || b(e, f) }
	}
	return l, nil
}

func (p *fparser) andCond(src *FormulaSource) (cond, error) {
	l, err := p.atom(src)
	if err != nil {
		return nil, err
	}
	for p.is("and") {
		p.next()
		r, err := p.atom(src)
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(e *evalCtx, f *fact) bool { return a(e, f) && b(e, f) }
	}
	return l, nil
}

func (p *fparser) atom(src *FormulaSource) (cond, error) {
	if p.is("(") {
		p.next()
		c, err := p.cond(src)
		if err != nil {
			return nil, err
		}
		return c, p.expect(")")
	}
	ft := p.next()
	i, ok := src.field(ft.text)
	if ft.kind != 'i' || !ok {
		if ft.kind != 'i' {
			return nil, formulaErr(ft.pos, "这里应为字段名，却是%s", describe(ft))
		}
		return nil, formulaErr(ft.pos, "%s没有“%s”这个字段，可用：%s", src.Title, ft.text, src.keys())
	}
	field := src.Fields[i]
	if p.is("in") {
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		var vals []fv
		for {
			v, err := p.literal(field)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
			if !p.is(",") {
				break
			}
			p.next()
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return func(e *evalCtx, f *fact) bool {
			for _, v := range vals {
				if match(field.Kind, f.vals[i], "=", e.resolve(v)) {
					return true
				}
			}
			return false
		}, nil
	}
	op := p.peek()
	switch op.text {
	case "=", "!=", ">=", "<=", ">", "<":
	default:
		return nil, formulaErr(op.pos, "这里应为比较符号（= != >= <= > <）或 in，却是%s", describe(op))
	}
	if op.kind != 'o' {
		return nil, formulaErr(op.pos, "这里应为比较符号（= != >= <= > <）或 in，却是%s", describe(op))
	}
	p.next()
	v, err := p.literal(field)
	if err != nil {
		return nil, err
	}
	return func(e *evalCtx, f *fact) bool { return match(field.Kind, f.vals[i], op.text, e.resolve(v)) }, nil
}

// literal reads a literal for a field, typed as the field is.
func (p *fparser) literal(field SourceField) (fv, error) {
	neg := false
	if p.is("-") {
		p.next()
		neg = true
	}
	t := p.next()
	switch {
	case numericKind(field.Kind):
		s := t.text
		if neg {
			s = "-" + s
		}
		if t.kind != 'n' && t.kind != 's' {
			return fv{}, formulaErr(t.pos, "“%s”（%s）要和数字比较，却是%s", field.Key, field.Label, describe(t))
		}
		if field.Kind == FieldAmount {
			fen, ok := ParseDecimal(strings.TrimPrefix(s, "-"), FenPerWan)
			if !ok {
				return fv{}, formulaErr(t.pos, "“%s”不是金额（万元）", s)
			}
			if neg {
				fen = -fen
			}
			return fv{n: fen, ok: true}, nil
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fv{}, formulaErr(t.pos, "“%s”不是整数", s)
		}
		return fv{n: v, ok: true}, nil
	case neg || t.kind != 's' && t.kind != 'n' && !(t.kind == 'i' && t.text == "today" && field.Kind == FieldDate):
		return fv{}, formulaErr(t.pos, "这里应为带引号的值，如 \"是\"，却是%s", describe(t))
	case field.Kind == FieldDate && t.kind == 'i' && t.text == "today":
		return fv{today: true, ok: true}, nil
	case field.Kind == FieldDate:
		d, err := ParseDate(t.text)
		if err != nil {
			return fv{}, formulaErr(t.pos, "“%s”不是日期（YYYY-MM-DD）", t.text)
		}
		return fv{s: d.String(), n: dateNum(d), ok: true}, nil
	case (field.Kind == FieldChoice || field.Kind == FieldChoices) && len(field.Options) > 0:
		if !slices.Contains(field.Options, t.text) {
			return fv{}, formulaErr(t.pos, "%s没有“%s”这个选项，可用：%s", field.Label, t.text, strings.Join(field.Options, "、"))
		}
	}
	return fv{s: t.text, ok: true}, nil
}

func dateNum(d Date) int64 { return int64(d.Year*10000 + int(d.Month)*100 + d.Day) }

// match compares a fact's value with a literal. An unreported value matches only !=.
func match(k FieldKind, a fv, op string, b fv) bool {
	if !a.ok {
		return op == "!="
	}
	var c int
	switch {
	case numericKind(k) || k == FieldDate:
		c = cmpInt(a.n, b.n)
	case k == FieldChoices && (op == "=" || op == "!="):
		has := slices.Contains(strings.Split(a.s, "、"), b.s)
		return has == (op == "=")
	default:
		c = strings.Compare(a.s, b.s)
	}
	switch op {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case ">=":
		return c >= 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c < 0
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// aggNode is count, sum or distinct over a source.
type aggNode struct {
	fn     string
	src    *FormulaSource
	field  int
	amount bool
	cond   cond
}

func (n *aggNode) eval(e *evalCtx) measure {
	var count int64
	var sum int64
	reported := false
	var seen map[string]bool
	if n.fn == "distinct" {
		seen = map[string]bool{}
	}
	for _, f := range e.facts(n.src.Name) {
		if !e.inPeriod(n.src.Name, f) || n.cond != nil && !n.cond(e, f) {
			continue
		}
		switch n.fn {
		case "count":
			count++
			e.cite(f)
		case "sum":
			if v := f.vals[n.field]; v.ok {
				sum += v.n
				reported = true
				e.cite(f)
			}
		case "distinct":
			if v := f.vals[n.field]; v.ok {
				key := v.s
				if key == "" {
					key = strconv.FormatInt(v.n, 10)
				}
				seen[key] = true
				e.cite(f)
			}
		}
	}
	switch n.fn {
	case "count":
		return measure{float64(count), true}
	case "distinct":
		return measure{float64(len(seen)), true}
	}
	if !reported {
		return measure{}
	}
	if n.amount {
		return measure{float64(sum) / FenPerWan, true}
	}
	return measure{float64(sum), true}
}
