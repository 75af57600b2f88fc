package xiezuo

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IndicatorForm is an indicator as the office types it on the indicator editor: every field as
// text, so that a form refused comes back with what was typed. Apply reads it into an
// Indicator; Indicator.Check then checks what only a whole indicator can say (its formula).
type IndicatorForm struct {
	Code, Name, Dimension, Requirement string
	Formula, Compare, Target           string
	TargetPrior                        bool
	Unit, From, Due, Per               string
	Units                              string // 、 or new lines between the units
	Missing, Evidence                  string
	Reason                             string // why it is changed or added (audited)
}

// IndicatorFields are the editor's fields, by form name, with their labels: the messages
// name them, and an error placed beside a field is found by its label.
var IndicatorFields = []struct{ Key, Label string }{
	{"code", "编号"}, {"name", "指标名称"}, {"dimension", "考核维度"}, {"requirement", "要求"},
	{"formula", "计算公式"}, {"compare", "比较方式"}, {"target", "目标值"}, {"unit", "计量单位"},
	{"from", "统计起始日"}, {"due", "截止日期"}, {"per", "考核对象"}, {"units", "责任单位"},
	{"missing", "未报送时"}, {"evidence", "佐证材料"}, {"reason", "修改理由"},
}

// IndicatorFieldLabel is the label of a form field.
func IndicatorFieldLabel(key string) string {
	for _, f := range IndicatorFields {
		if f.Key == key {
			return f.Label
		}
	}
	return key
}

// indicatorFieldWords are shorter words a message may name a field by (Check says 公式, not
// 计算公式), after the labels.
var indicatorFieldWords = []struct{ Key, Word string }{
	{"formula", "公式"}, {"target", "目标"}, {"due", "截止"}, {"from", "起始"}, {"dimension", "维度"},
	{"compare", "比较"}, {"per", "考核对象"}, {"units", "责任单位"}, {"unit", "计量单位"}, {"code", "编号"},
	{"name", "名称"}, {"missing", "未报送时"}, {"reason", "理由"},
}

// IndicatorFieldOf is the form field an error message is about: the field whose label, or
// else whose shorter word, it names first (“目标值”：…), or "" when it names none.
func IndicatorFieldOf(msg string) string {
	first := func(words []struct{ Key, Word string }) string {
		best, at := "", -1
		for _, w := range words {
			if i := strings.Index(msg, w.Word); i >= 0 && (at < 0 || i < at) {
				best, at = w.Key, i
			}
		}
		return best
	}
	var labels []struct{ Key, Word string }
	for _, f := range IndicatorFields {
		labels = append(labels, struct{ Key, Word string }{f.Key, f.Label})
	}
	if k := first(labels); k != "" {
		return k
	}
	return first(indicatorFieldWords)
}

// IndicatorMissingRules are the ways a value nothing was reported for counts, as the editor offers them.
var IndicatorMissingRules = []struct{ Key, Label string }{
	{"", "显示为未报送"}, {"zero", "按 0 计"}, {"fail", "按未达标计"}, {"pass", "不影响达标"},
}

// IndicatorPers are whom a target holds for, as the editor offers them.
var IndicatorPers = []struct{ Key, Label string }{
	{"", "全区"}, {"team", "每个工作专班"}, {"unit", "每个单位"}, {"region", "每个协作地区"},
}

// FormOf is the form of an indicator as stored, for the editor to start from.
func FormOf(in Indicator) IndicatorForm {
	f := IndicatorForm{Code: in.Code, Name: in.Name, Dimension: in.Dimension, Requirement: in.Requirement,
		Formula: in.Formula, Compare: in.Compare, TargetPrior: in.TargetPrior, Unit: in.Unit, From: in.From,
		Due: in.Due, Per: in.Per, Units: strings.Join(in.Units, "、"), Missing: in.Missing, Evidence: in.Evidence}
	if in.Target != nil {
		f.Target = strconv.FormatFloat(*in.Target, 'f', -1, 64)
	}
	return f
}

var indicatorCode = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// Apply reads the form over base (the indicator as stored; the zero Indicator for a new one)
// into the indicator to save, for a plan year. It refuses, by form field, what it cannot read:
// a blank name, a date not written YYYY-MM-DD or outside the year, a target that is not a
// number, an unknown comparison, dimension, rule or per, and a change without its reason. The
// fields it does not edit (the task and clause) are kept from base.
func (f IndicatorForm) Apply(base Indicator, year int) (Indicator, map[string]string) {
	errs := map[string]string{}
	bad := func(key, format string, args ...any) {
		if _, ok := errs[key]; !ok {
			errs[key] = "“" + IndicatorFieldLabel(key) + "”：" + fmt.Sprintf(format, args...)
		}
	}
	text := func(key, v string, max int, required bool) string {
		v = strings.TrimSpace(v)
		switch {
		case v == "" && required:
			bad(key, "必须填写")
		case utf8.RuneCountInString(v) > max:
			bad(key, "最多 %d 个字，现有 %d 个", max, utf8.RuneCountInString(v))
		case strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
			bad(key, "含有无法识别的字符")
		}
		return v
	}
	in := base
	if base.Code == "" {
		in.Code = strings.TrimSpace(f.Code)
		switch {
		case !indicatorCode.MatchString(in.Code):
			bad("code", "“%s”无效，应为小写字母、数字和连字符，如 zzld-03", in.Code)
		case in.Code == "new" || in.Code == "copy": // the editor's own pages
			bad("code", "“%s”是保留字，请换一个编号", in.Code)
		}
	}
	in.Name = text("name", f.Name, 100, true)
	in.Requirement = text("requirement", f.Requirement, 2000, false)
	in.Formula = text("formula", f.Formula, 1000, true)
	in.Evidence = text("evidence", f.Evidence, 200, false)
	in.Unit = text("unit", f.Unit, 10, false)
	in.Dimension = strings.TrimSpace(f.Dimension)
	if !slices.Contains(Dimensions, in.Dimension) {
		bad("dimension", "“%s”不是考核维度，应为 %s 之一", in.Dimension, strings.Join(Dimensions, "、"))
	}
	in.Compare = strings.TrimSpace(f.Compare)
	if in.Compare == "" {
		in.Compare = ">="
	}
	if in.Compare != ">=" && in.Compare != "<=" {
		bad("compare", "“%s”无效，应为 >=（不少于）或 <=（不超过）", in.Compare)
	}
	in.TargetPrior = f.TargetPrior
	in.Target = nil
	if t := strings.TrimSpace(f.Target); t != "" {
		v, err := strconv.ParseFloat(t, 64)
		switch {
		case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
			bad("target", "“%s”不是数字", t)
		case v < 0:
			bad("target", "%s 不能为负数", t)
		default:
			in.Target = &v
		}
	}
	date := func(key, v string) string {
		v = strings.TrimSpace(v)
		if v == "" {
			return ""
		}
		d, err := ParseDate(v)
		if err != nil {
			bad(key, "%s 不是日期，应写作 %d-10-31", v, year)
			return v
		}
		if d.Year != year {
			bad(key, "%s 不在 %d 年内", d, year)
		}
		return d.String()
	}
	in.From = date("from", f.From)
	in.Due = date("due", f.Due)
	if in.Due == "" {
		bad("due", "必须填写，如 %d-10-31", year)
	}
	if _, ok := errs["from"]; !ok && in.From != "" && in.Due != "" && errs["due"] == "" && in.From > in.Due {
		bad("from", "%s 晚于截止日期 %s", in.From, in.Due)
	}
	in.Per = strings.TrimSpace(f.Per)
	if !slices.ContainsFunc(IndicatorPers, func(p struct{ Key, Label string }) bool { return p.Key == in.Per }) {
		bad("per", "“%s”无效", in.Per)
	}
	in.Missing = strings.TrimSpace(f.Missing)
	if !slices.ContainsFunc(IndicatorMissingRules, func(p struct{ Key, Label string }) bool { return p.Key == in.Missing }) {
		bad("missing", "“%s”无效", in.Missing)
	}
	in.Units = nil
	for _, u := range strings.FieldsFunc(f.Units, func(r rune) bool { return strings.ContainsRune("、,，;；\n\r", r) }) {
		if u = strings.TrimSpace(u); u != "" && !slices.Contains(in.Units, u) {
			in.Units = append(in.Units, u)
		}
	}
	if text("reason", f.Reason, 500, true) == "" {
		errs["reason"] = "“修改理由”：必须填写（记入审计日志）"
	}
	if len(errs) == 0 {
		errs = nil
	}
	return in, errs
}
