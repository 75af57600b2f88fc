package xiezuo

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Checking a register entry: every form, workbook row and API body goes through CheckEntry,
// which turns what was typed into the normal form of register.go's comment, or says in Chinese,
// field by field, what is wrong and what was expected.

// FieldProblem is what is wrong with one field of an entry as typed: the field's key (or the
// key sent when the register has no such field), its label and the message, which names the
// label and what was expected.
type FieldProblem struct {
	Field, Label, Message string
}

// Error is the message.
func (p FieldProblem) Error() string { return p.Message }

// MaxRegisterWan bounds an amount of a register entry, in 万元: 100 亿元, as MaxFundYuan bounds a
// fund transaction; far beyond any entry of a district, it keeps every sum of the registers
// (in int64 fen) far from overflowing.
const MaxRegisterWan = 1_000_000

// Text limits of text fields, in characters.
const (
	MaxRegisterText     = 200
	MaxRegisterLongText = 4000
)

// Cross-field rules of the registers, as data: an end not before its start, a part not above
// its whole (a derived key may be named: the purchases' partner-region amount and their total).
var (
	registerOrder = []struct {
		kind       RegisterKind
		start, end string
	}{
		{RegVisit, "from", "to"}, {RegPersonnel, "from", "to"}, {RegPersonnel, "from", "left"},
		{RegTraining, "from", "to"}, {RegProblem, "found", "deadline"}, {RegProblem, "found", "done"},
	}
	registerPartOf = []struct {
		kind        RegisterKind
		part, whole string
	}{
		{RegFirm, "poor_jobs", "jobs"}, {RegPark, "poor_employed", "employed"}, {RegPurchase, "partner", "base"},
	}
)

// CheckEntry checks the values typed for an entry of spec's register (raw, by field key) and
// returns the entry in normal form, with On (the date of DateKey; a period's last day), Unit,
// Region and Team filled, or the problems found, one per field at most, in the spec's order
// then the cross-field rules. A blank value is "not reported" and absent from Values. Units
// are read through the catalogue and the plan's units, regions and work teams through p;
// dates may not be after today (but for the fields marked Future: a term's end, a deadline)
// nor before HistoryDateFloor of the plan's year.
func CheckEntry(spec RegisterSpec, p *Plan, raw map[string]string, today Date) (RegisterEntry, []FieldProblem) {
	e := RegisterEntry{Kind: spec.Kind, Values: map[string]string{}}
	var probs []FieldProblem
	year := today.Year
	if p != nil && p.Year != 0 {
		year = p.Year
	}
	floor := HistoryDateFloor(year)
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, ok := spec.Field(k); !ok {
			probs = append(probs, FieldProblem{k, k, fmt.Sprintf("“%s”台账没有“%s”这一项", spec.Title, k)})
		}
	}
	for _, f := range spec.Fields {
		v, msg := checkField(f, p, raw[f.Key], today, floor)
		switch {
		case msg != "":
			probs = append(probs, FieldProblem{f.Key, f.Label, msg})
		case v == "" && f.Required:
			probs = append(probs, FieldProblem{f.Key, f.Label, fmt.Sprintf("“%s”必须填写%s", f.Label, expected(f, p, year))})
		case v != "":
			e.Values[f.Key] = v
		}
	}
	bad := func(key string) bool {
		return slices.ContainsFunc(probs, func(p FieldProblem) bool { return p.Field == key })
	}
	for _, o := range registerOrder {
		if o.kind != spec.Kind || bad(o.start) || bad(o.end) {
			continue
		}
		s, sok := e.Values[o.start]
		t, tok := e.Values[o.end]
		if sok && tok && t < s {
			fs, _ := spec.Field(o.start)
			ft, _ := spec.Field(o.end)
			probs = append(probs, FieldProblem{o.end, ft.Label, fmt.Sprintf("“%s”%s 早于“%s”%s：应不早于%s", ft.Label, t, fs.Label, s, fs.Label)})
		}
	}
	for _, o := range registerPartOf {
		if o.kind != spec.Kind || bad(o.part) || bad(o.whole) {
			continue
		}
		part, whole := spec.Value(e, o.part), spec.Value(e, o.whole)
		if part.Valid && whole.Valid && part.V > whole.V {
			lp, lw := spec.LabelOf(o.part), spec.LabelOf(o.whole)
			probs = append(probs, FieldProblem{o.part, lp, fmt.Sprintf("“%s”%s 超过“%s”%s：其中数不能大于总数",
				lp, spec.FormatValue(o.part, part), lw, spec.FormatValue(o.whole, whole))})
		}
	}
	if spec.Kind == RegProblem && e.Values["status"] == "已整改" && e.Values["done"] == "" && !bad("done") {
		probs = append(probs, FieldProblem{"done", "完成日期", "整改状态为“已整改”时须填写“完成日期”（不晚于今天）"})
	}
	if len(probs) > 0 {
		return e, probs
	}
	if spec.DateKey != "" {
		e.On = valueDate(spec, spec.DateKey, e.Values[spec.DateKey])
	}
	e.Unit, e.Region, e.Team = e.Values[spec.UnitKey], e.Values[spec.RegionKey], e.Values[spec.TeamKey]
	return e, nil
}

// valueDate is the date a stored value of the field key gives: the date itself, or a period's
// last day.
func valueDate(spec RegisterSpec, key, v string) Date {
	f, _ := spec.Field(key)
	if f.Kind == FieldPeriod {
		y, _ := strconv.Atoi(v[:min(4, len(v))])
		if p, err := ParseReportPeriod(v, y); err == nil {
			return DateOf(p.End().Add(-time.Hour))
		}
		return Date{}
	}
	d, _ := ParseDate(v)
	return d
}

// expected is what a field expects, for the message of a blank required field.
func expected(f RegisterField, p *Plan, year int) string {
	switch f.Kind {
	case FieldChoice, FieldChoices:
		return "，可选：" + strings.Join(f.Options, "、")
	case FieldDate:
		return "，如 " + strconv.Itoa(year) + "-06-30"
	case FieldPeriod:
		return fmt.Sprintf("，如 %d-06（月）、%d-H1（半年）或 %d（全年）", year, year, year)
	case FieldRegion:
		if p != nil && len(p.Regions) > 0 {
			return "，可选：" + strings.Join(RegionNames(p), "、")
		}
	case FieldTeam:
		if p != nil && len(p.Teams) > 0 {
			var names []string
			for _, t := range p.Teams {
				names = append(names, t.Name)
			}
			return "，可选：" + strings.Join(names, "、")
		}
	}
	return ""
}

// RegionNames are the plan's partner regions by name, in plan order.
func RegionNames(p *Plan) []string {
	var out []string
	for _, r := range p.Regions {
		out = append(out, r.Name)
	}
	return out
}

var (
	dateYMD    = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
	excelDay0  = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	intPattern = regexp.MustCompile(`^\d{1,12}$`)
)

// ParseFieldDate reads a date as clerks type it: 2021-06-30, 2021/6/30, 2021.6.30, 2021年6月30日.
// ok is false when it is none of these or the day does not exist. Digits alone are not a date
// (an Excel serial is read only from a numeric or date cell, by ExcelSerialDate).
func ParseFieldDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if y, mo, d, ok := plainYMD(s); ok {
		nd, _, ok := realDate(y, mo, d)
		return nd, ok
	}
	if m := dateYMD.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		nd, _, ok := realDate(y, mo, d)
		return nd, ok
	}
	return Date{}, false
}

// plainYMD reads the usual form of a date without dateYMD's regexp (a million rows pay for it
// twice or thrice): 4 ASCII digits, '-', '/' or '.', 1–2 digits, one of those again, 1–2
// digits, nothing else. ok false says only that this fast path does not read s: dateYMD reads
// the other forms (年月日, spaces), and reads these ones into the same numbers.
func plainYMD(s string) (y, mo, d int, ok bool) {
	if len(s) < 8 || len(s) > 10 {
		return 0, 0, 0, false
	}
	num := func(t string) (int, bool) {
		n := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return 0, false
			}
			n = n*10 + int(t[i]-'0')
		}
		return n, true
	}
	sep := func(c byte) bool { return c == '-' || c == '/' || c == '.' }
	y, ok = num(s[:4])
	if !ok || !sep(s[4]) {
		return 0, 0, 0, false
	}
	rest := s[5:]
	i := 1
	if len(rest) > 1 && !sep(rest[1]) {
		i = 2
	}
	if i >= len(rest) || !sep(rest[i]) {
		return 0, 0, 0, false
	}
	ms, ds := rest[:i], rest[i+1:]
	if len(ds) < 1 || len(ds) > 2 {
		return 0, 0, 0, false
	}
	if mo, ok = num(ms); !ok {
		return 0, 0, 0, false
	}
	if d, ok = num(ds); !ok {
		return 0, 0, 0, false
	}
	return y, mo, d, true
}

// ExcelSerialDate reads the value of a numeric or date-formatted workbook cell as the day of its
// Excel serial, possibly with a time of day (44377.5 is 2021-06-30): 1 January 1900 is 1; only
// the days of 1901–2199 are taken, so that a number typed by mistake is not read as a date. A
// text cell's digits are never a serial: the caller asks the cell's type.
func ExcelSerialDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 367 && f < 109575 && !strings.ContainsAny(s, "eE") {
		return DateOf(excelDay0.AddDate(0, 0, int(math.Floor(f)))), true
	}
	return Date{}, false
}

// serialLike is text that would be an Excel serial in a numeric cell: digits typed as text.
var serialLike = regexp.MustCompile(`^\d{3,6}(\.\d+)?$`)

// checkField reads one typed value of field f into its normal form ("" when blank), or says
// what is wrong with it.
func checkField(f RegisterField, p *Plan, typed string, today, floor Date) (string, string) {
	v := strings.TrimSpace(typed)
	if v == "" {
		return "", ""
	}
	if HasControl(v) || !utf8.ValidString(v) {
		return "", fmt.Sprintf("“%s”含有不可见的控制字符，请删除后重新填写", f.Label)
	}
	switch f.Kind {
	case FieldText, FieldLongText:
		limit := MaxRegisterText
		if f.Kind == FieldLongText {
			limit = MaxRegisterLongText
		} else {
			v = strings.Join(strings.Fields(v), " ")
		}
		if n := utf8.RuneCountInString(v); n > limit {
			return "", fmt.Sprintf("“%s”太长（%d 个字），最多 %d 个字", f.Label, n, limit)
		}
		return v, ""
	case FieldDate:
		d, ok := ParseFieldDate(v)
		switch {
		case !ok && serialLike.MatchString(v):
			return "", fmt.Sprintf("“%s”：%s 是一串数字，不是日期：请填写如 %d-06-30 的日期（工作簿中的日期单元格请设为日期格式，不要设为文本）", f.Label, v, today.Year)
		case !ok:
			return "", fmt.Sprintf("“%s”：%s 不是日期，应如 %d-06-30", f.Label, v, today.Year)
		case dateAfter(floor, d):
			return "", fmt.Sprintf("“%s”：%s 早于 %s，请核对年份", f.Label, d, floor)
		case !f.Future && dateAfter(d, today):
			return "", fmt.Sprintf("“%s”：%s 晚于今天（%s），不能登记未来的日期", f.Label, d, today)
		case f.Future && d.Year > today.Year+10:
			return "", fmt.Sprintf("“%s”：%s 过于遥远，请核对年份", f.Label, d)
		}
		return d.String(), ""
	case FieldInt:
		n := strings.TrimSuffix(strings.ReplaceAll(v, ",", ""), f.Unit)
		n = strings.TrimSuffix(strings.TrimSpace(n), ".0")
		if strings.HasPrefix(n, "-") {
			return "", fmt.Sprintf("“%s”：%s 不能为负数", f.Label, v)
		}
		if !intPattern.MatchString(n) {
			what := "整数"
			if f.Unit != "" {
				what = f.Unit + "数（整数）"
			}
			return "", fmt.Sprintf("“%s”：%s 不是整数，应填写%s，如 12", f.Label, v, what)
		}
		i, _ := strconv.ParseInt(n, 10, 64)
		return strconv.FormatInt(i, 10), ""
	case FieldAmount:
		n := strings.TrimSpace(strings.TrimSuffix(strings.ReplaceAll(v, ",", ""), "万元"))
		fen, ok := ParseDecimal(n, FenPerWan) // more than 6 decimals only as a workbook's binary noise

		switch {
		case !ok && tooManyDigits(n):
			// A number with more than 12 digits before the point: past the bound whatever its unit.
			return "", fmt.Sprintf("“%s”：%s万元 超过上限（%d 万元，即 %d 亿元），请核对金额及其单位", f.Label, n, MaxRegisterWan, MaxRegisterWan/10_000)
		case !ok:
			return "", fmt.Sprintf("“%s”：%s 不是金额，应填写以万元为单位、最多 6 位小数的数字，如 12.5", f.Label, v)
		case fen < 0:
			return "", fmt.Sprintf("“%s”：%s 不能为负数", f.Label, v)
		case fen > MaxRegisterWan*FenPerWan:
			return "", fmt.Sprintf("“%s”：%s万元 超过上限（%d 万元，即 %d 亿元），请核对金额及其单位", f.Label, FormatWan(fen), MaxRegisterWan, MaxRegisterWan/10_000)
		}
		return strconv.FormatInt(fen, 10), ""
	case FieldChoice:
		if slices.Contains(f.Options, v) {
			return v, ""
		}
		return "", fmt.Sprintf("“%s”：“%s”不是可选项，可选：%s", f.Label, v, strings.Join(f.Options, "、"))
	case FieldChoices:
		picked := map[string]bool{}
		for _, o := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("、,，;；", r) }) {
			o = strings.TrimSpace(o)
			if !slices.Contains(f.Options, o) {
				return "", fmt.Sprintf("“%s”：“%s”不是可选项，可选：%s", f.Label, o, strings.Join(f.Options, "、"))
			}
			picked[o] = true
		}
		var out []string
		for _, o := range f.Options {
			if picked[o] {
				out = append(out, o)
			}
		}
		return strings.Join(out, "、"), ""
	case FieldUnit:
		return checkUnit(f, p, v)
	case FieldRegion:
		return checkRegion(f, p, v)
	case FieldTeam:
		return checkTeam(f, p, v)
	case FieldCreditCode:
		c := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
		if !ValidCreditCode(c) {
			return "", fmt.Sprintf("“%s”：%s 不是有效的统一社会信用代码（18 位，末位校验码须相符），请核对", f.Label, v)
		}
		return c, ""
	case FieldPeriod:
		y, err := strconv.Atoi(v[:min(4, len(v))])
		if err != nil {
			y = today.Year
		}
		pr, err := ParseReportPeriod(v, y)
		if err != nil {
			return "", fmt.Sprintf("“%s”：%s 不是统计期间，应如 %d-06（月）、%d-H1（半年）或 %d（全年）", f.Label, v, today.Year, today.Year, today.Year)
		}
		start := DateOf(pr.Start())
		if dateAfter(start, today) {
			return "", fmt.Sprintf("“%s”：%s 还没有开始，不能登记未来的期间", f.Label, pr.Text())
		}
		if dateAfter(floor, start) {
			return "", fmt.Sprintf("“%s”：%s 早于 %s，请核对年份", f.Label, pr.Text(), floor)
		}
		return pr.String(), ""
	}
	return "", fmt.Sprintf("“%s”的类型 %s 无法识别", f.Label, f.Kind)
}

// checkUnit reads a unit by its name or an alias, through the catalogue and the plan's units.
func checkUnit(f RegisterField, p *Plan, v string) (string, string) {
	u, ok := LookupUnit(v)
	if ok && u.Kind != KindGroup {
		return u.Name, ""
	}
	if ok {
		return "", fmt.Sprintf("“%s”：“%s”是统称，不是一个单位，请填写具体单位", f.Label, u.Name)
	}
	if p != nil {
		for _, pu := range p.Units {
			if pu.Kind != KindGroup && (pu.Name == u.Name || slices.Contains(pu.Aliases, u.Name)) {
				return pu.Name, ""
			}
		}
	}
	if near := NearUnits(v); len(near) > 0 {
		return "", fmt.Sprintf("“%s”：单位目录中没有“%s”，是否指：%s？", f.Label, u.Name, strings.Join(near, "、"))
	}
	return "", fmt.Sprintf("“%s”：单位目录中没有“%s”，请填写单位的规范名称", f.Label, u.Name)
}

// checkRegion reads a partner region of the plan by its name, or by a part of two characters
// or more that begins or ends only that region's name (武川县 or 湖北省 for 内蒙古武川县 and
// 湖北省神农架林区; not 县 alone, which names no region though one ends with it).
func checkRegion(f RegisterField, p *Plan, v string) (string, string) {
	if p == nil || len(p.Regions) == 0 {
		return "", fmt.Sprintf("“%s”：本区还没有导入计划，没有可选的协作地区", f.Label)
	}
	var found []string
	for _, r := range p.Regions {
		if r.Name == v {
			return r.Name, ""
		}
		if utf8.RuneCountInString(v) >= 2 && (strings.HasSuffix(r.Name, v) || strings.HasPrefix(r.Name, v)) {
			found = append(found, r.Name)
		}
	}
	if len(found) == 1 {
		return found[0], ""
	}
	return "", fmt.Sprintf("“%s”：“%s”不是%d年计划的协作地区，可选：%s", f.Label, v, p.Year, strings.Join(RegionNames(p), "、"))
}

// checkTeam reads a work team of the plan by its name, with or without 专班.
func checkTeam(f RegisterField, p *Plan, v string) (string, string) {
	if p == nil || len(p.Teams) == 0 {
		return "", fmt.Sprintf("“%s”：本区还没有导入计划，没有可选的工作专班", f.Label)
	}
	var names []string
	for _, t := range p.Teams {
		if t.Name == v || strings.TrimSuffix(t.Name, "专班") == strings.TrimSuffix(strings.TrimSuffix(v, "工作专班"), "专班") {
			return t.Name, ""
		}
		names = append(names, t.Name)
	}
	return "", fmt.Sprintf("“%s”：“%s”不是%d年计划的工作专班，可选：%s", f.Label, v, p.Year, strings.Join(names, "、"))
}

// Value is a number field's or derived field's value in an entry (amounts in fen): a derived
// field is the sum of its parts that were reported, and not reported when none was.
func (s RegisterSpec) Value(e RegisterEntry, key string) Num {
	for _, d := range s.Derived {
		if d.Key == key {
			var sum Num
			for _, k := range d.Sum {
				if n := e.Num(k); n.Valid {
					sum = Known(sum.V + n.V)
				}
			}
			return sum
		}
	}
	return e.Num(key)
}

// LabelOf is the label of a field or derived field (the key when there is none).
func (s RegisterSpec) LabelOf(key string) string {
	if f, ok := s.Field(key); ok {
		return f.Label
	}
	for _, d := range s.Derived {
		if d.Key == key {
			return d.Label
		}
	}
	return key
}

// UnitOf is the unit a field's or derived field's number is shown in: 万元 for amounts.
func (s RegisterSpec) UnitOf(key string) string {
	if f, ok := s.Field(key); ok {
		if f.Kind == FieldAmount {
			return "万元"
		}
		return f.Unit
	}
	for _, d := range s.Derived {
		if d.Key == key {
			return d.Unit
		}
	}
	return ""
}

// IsAmount reports whether key is an amount (a FieldAmount, or a derived sum of amounts).
func (s RegisterSpec) IsAmount(key string) bool {
	if f, ok := s.Field(key); ok {
		return f.Kind == FieldAmount
	}
	for _, d := range s.Derived {
		if d.Key == key && len(d.Sum) > 0 {
			return s.IsAmount(d.Sum[0])
		}
	}
	return false
}

// FormatValue writes a number of key with its unit: 12.5万元, 30人; "" when not reported.
func (s RegisterSpec) FormatValue(key string, n Num) string {
	if !n.Valid {
		return ""
	}
	if s.IsAmount(key) {
		return FormatWan(n.V) + "万元"
	}
	return strconv.FormatInt(n.V, 10) + s.UnitOf(key)
}

// Display is a field's or derived field's value in an entry as a clerk reads it (amounts in
// 万元, without the unit; a period in words); "" when not reported.
func (s RegisterSpec) Display(e RegisterEntry, key string) string {
	f, ok := s.Field(key)
	if !ok {
		n := s.Value(e, key)
		if !n.Valid {
			return ""
		}
		if s.IsAmount(key) {
			return FormatWan(n.V)
		}
		return strconv.FormatInt(n.V, 10)
	}
	v, has := e.Values[key]
	if !has {
		return ""
	}
	switch f.Kind {
	case FieldAmount:
		if n := e.Num(key); n.Valid {
			return FormatWan(n.V)
		}
	case FieldPeriod:
		y, _ := strconv.Atoi(v[:min(4, len(v))])
		if p, err := ParseReportPeriod(v, y); err == nil {
			return p.Text()
		}
	}
	return v
}

// Typed is a field's stored value as it is typed back into a form or a workbook (amounts in
// 万元, periods as 2021-06): CheckEntry reads it back to the same value.
func (s RegisterSpec) Typed(e RegisterEntry, key string) string {
	f, ok := s.Field(key)
	v, has := e.Values[key]
	if !ok || !has {
		return ""
	}
	if f.Kind == FieldAmount {
		if n := e.Num(key); n.Valid {
			return FormatWan(n.V)
		}
	}
	return v
}

// plainDecimal is a number as ParseDecimal reads it, of any length.
var plainDecimal = regexp.MustCompile(`^[+-]?[0-9]*\.?[0-9]*$`)

// tooManyDigits reports whether n is a plain number with more than the 12 digits before the
// point that ParseDecimal reads.
func tooManyDigits(n string) bool {
	whole, _, _ := strings.Cut(strings.TrimLeft(n, "+-"), ".")
	return plainDecimal.MatchString(n) && len(strings.TrimLeft(whole, "0")) > 12
}
