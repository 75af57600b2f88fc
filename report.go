package xiezuo

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DutyProject is a project as a duty: its lead unit (and the cadres of its region) report on it.
const DutyProject DutyKind = "project"

// DutyKey names one duty by its stored id: what reports, reviews, closures and notices attach
// to. Its string form (point-12, task-3, project-45) is the duty's id in URLs and the API.
type DutyKey struct {
	Kind DutyKind
	ID   int64
}

// String is the key as URLs write it.
func (k DutyKey) String() string { return string(k.Kind) + "-" + strconv.FormatInt(k.ID, 10) }

// IsZero reports whether the key names no duty.
func (k DutyKey) IsZero() bool { return k.ID == 0 }

// APIKind is the duty's kind as the API writes it: work_point, task or project.
func (k DutyKind) APIKind() string {
	if k == DutyPoint {
		return "work_point"
	}
	return string(k)
}

// Noun is the kind in words: 工作要点, 任务 or 项目.
func (k DutyKind) Noun() string {
	switch k {
	case DutyPoint:
		return "工作要点"
	case DutyTask:
		return "任务"
	case DutyProject:
		return "项目"
	}
	return "事项"
}

// ParseDutyKey reads a duty id as URLs write it.
func ParseDutyKey(s string) (DutyKey, error) {
	kind, id, ok := strings.Cut(s, "-")
	n, err := strconv.ParseInt(id, 10, 64)
	k := DutyKey{DutyKind(kind), n}
	if !ok || err != nil || n <= 0 || !slices.Contains([]DutyKind{DutyPoint, DutyTask, DutyProject}, k.Kind) {
		return DutyKey{}, Errorf(EINVALID, "事项编号“%s”无效，应如 point-12、task-3、project-45", s)
	}
	return k, nil
}

// ReportState is where a report stands. Done (the unit submitted), approved (the office
// accepted) and locked (a frozen period, a closed duty) are kept apart: the lock is not a
// state of the report but a fact about its period or its duty.
type ReportState string

// Report states.
const (
	ReportDraft     ReportState = "draft"     // saved, not sent
	ReportSubmitted ReportState = "submitted" // sent to the office (or to the lead unit)
	ReportAccepted  ReportState = "accepted"  // the reviewer accepted it
	ReportReturned  ReportState = "returned"  // the reviewer sent it back with a comment
)

// Text is the state in words.
func (s ReportState) Text() string {
	switch s {
	case ReportDraft:
		return "草稿"
	case ReportSubmitted:
		return "已报送"
	case ReportAccepted:
		return "已通过"
	case ReportReturned:
		return "已退回"
	}
	return string(s)
}

// Decision is a reviewer's answer to a submitted version.
type Decision string

// Decisions.
const (
	DecisionAccept Decision = "accept"
	DecisionReturn Decision = "return"
)

// Figure is one typed figure of a report: the value as reported, in the unit of its spec. A
// figure not given is absent from the report ("not reported"), never 0.
type Figure struct {
	Key   string // FigureSpec.Key
	Value int64  // in the spec's unit; money in fen
}

// FigureSpec is a figure a duty asks for: a requirement that has a number (meetings held,
// people trained, money put in), or a project's target columns.
type FigureSpec struct {
	Key    string // stable within the duty: r1, r2 … for requirements; people, employed, villages for projects
	Label  string // what is counted, in words
	Unit   string // 次, 人, 个, 万元, %, 家 …
	Target Num    // the planned figure when the plan states one
}

// Money reports whether the figure is money: typed in 万元, kept in fen.
func (f FigureSpec) Money() bool { return f.Unit == "万元" }

// requirementUnits are the things a requirement may count, each with its measure word: a
// requirement that names a number counts each of them it mentions.
var requirementUnits = []struct {
	re   *regexp.Regexp
	unit string
	what string
}{
	{regexp.MustCompile(`调研|互访|考察`), "次", "调研对接"},
	{regexp.MustCompile(`会议|联席会|座谈`), "次", "召开会议"},
	{regexp.MustCompile(`培训`), "人", "培训人数"},
	{regexp.MustCompile(`就业|劳动力|务工`), "人", "就业人数"},
	{regexp.MustCompile(`资金|投入|捐助|采购`), "万元", "金额"},
	{regexp.MustCompile(`开工`), "%", "开工率"},
	{regexp.MustCompile(`协议`), "个", "签订协议"},
	{regexp.MustCompile(`示范村`), "个", "示范村数"},
	{regexp.MustCompile(`车间|企业`), "家", "企业（车间）数"},
	{regexp.MustCompile(`案例`), "个", "典型案例数"},
	{regexp.MustCompile(`信息|报道`), "篇", "信息篇数"},
}

var hasNumber = regexp.MustCompile(`[0-9０-９]|[一二两三四五六七八九十百]+(次|个|名|人|家|篇|批|项)|不低于|不少于|至少|以上`)

// RequirementFigures lists the figures a task asks for: for each requirement that names a number
// or a floor (至少一次, 不低于30%, 每半年一次以上), each thing it counts, in its measure word
// (key r2 for the only figure of requirement 2; r2a, r2b … when it counts several). A task
// without numbered requirements is read as one requirement, its content.
func RequirementFigures(t Task) []FigureSpec {
	reqs := t.Requirements
	if len(reqs) == 0 {
		reqs = []Requirement{{Number: 1, Text: t.Content}}
	}
	var specs []FigureSpec
	for _, r := range reqs {
		if !hasNumber.MatchString(r.Text) {
			continue
		}
		var found []FigureSpec
		for _, u := range requirementUnits {
			if u.re.MatchString(r.Text) {
				found = append(found, FigureSpec{Label: u.what + "（第" + strconv.Itoa(r.Number) + "项要求）", Unit: u.unit})
			}
		}
		for i := range found {
			found[i].Key = "r" + strconv.Itoa(r.Number)
			if len(found) > 1 {
				found[i].Key += string(rune('a' + i))
			}
		}
		specs = append(specs, found...)
	}
	return specs
}

// ProjectFigures lists the figures a project's report asks for: its beneficiaries, the people
// it employed and the villages it reached, against the plan's targets.
func ProjectFigures(p Project) []FigureSpec {
	return []FigureSpec{
		{Key: "people", Label: "带动受益人口", Unit: "人", Target: p.People},
		{Key: "employed", Label: "带动就业人数", Unit: "人", Target: p.Employed},
		{Key: "villages", Label: "受益村数", Unit: "个", Target: p.Villages},
	}
}

// ReportInput is a report as a form or the API sends it, before it is checked: the text, the
// percent (形象进度) when given, and the figures by key as typed (blank or absent: not reported).
type ReportInput struct {
	Text    string
	Percent string
	Figures map[string]string
}

// ReportValues is a checked report: what storage keeps.
type ReportValues struct {
	Text    string
	Percent *int // nil when not reported
	Figures []Figure
}

// MaxReportText is the longest report text, in characters.
const MaxReportText = 5000

// CheckReport checks a report against the figures its duty asks for and returns what storage
// keeps, or an EINVALID error naming each field that is wrong, in words a clerk understands.
func CheckReport(in ReportInput, specs []FigureSpec) (ReportValues, error) {
	var v ReportValues
	var msgs []string
	v.Text = strings.TrimSpace(in.Text)
	switch n := utf8.RuneCountInString(v.Text); {
	case n == 0:
		msgs = append(msgs, "请填写进展情况")
	case n > MaxReportText:
		msgs = append(msgs, fmt.Sprintf("进展情况最多 %d 字，现为 %d 字", MaxReportText, n))
	}
	if HasControl(v.Text) {
		msgs = append(msgs, "进展情况含有不可见的控制字符，请重新输入")
	}
	if p := strings.TrimSuffix(strings.TrimSpace(in.Percent), "%"); p != "" {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		switch {
		case err != nil:
			msgs = append(msgs, fmt.Sprintf("形象进度“%s”不是整数，应为 0 到 100", in.Percent))
		case n < 0 || n > 100:
			msgs = append(msgs, fmt.Sprintf("形象进度 %d%% 超出范围，应为 0 到 100", n))
		default:
			v.Percent = &n
		}
	}
	keys := make([]string, 0, len(in.Figures))
	for k := range in.Figures {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s := strings.TrimSpace(in.Figures[k])
		i := slices.IndexFunc(specs, func(f FigureSpec) bool { return f.Key == k })
		if i < 0 {
			msgs = append(msgs, fmt.Sprintf("本事项没有指标“%s”", k))
			continue
		}
		spec := specs[i]
		if s == "" {
			continue // not reported
		}
		unit := int64(1)
		if spec.Money() {
			unit = FenPerWan
		}
		n, ok := ParseDecimal(strings.ReplaceAll(s, ",", ""), unit)
		switch {
		case !ok && tooLong(strings.ReplaceAll(s, ",", "")):
			msgs = append(msgs, fmt.Sprintf("%s“%s”数值过大", spec.Label, s))
		case !ok || (!spec.Money() && strings.Contains(s, ".")):
			want := "整数"
			if spec.Money() {
				want = "数字（万元，最多六位小数）"
			}
			msgs = append(msgs, fmt.Sprintf("%s“%s”不是%s", spec.Label, s, want))
		case n < 0:
			msgs = append(msgs, fmt.Sprintf("%s不能为负数", spec.Label))
		case spec.Unit == "%" && n > 100:
			msgs = append(msgs, fmt.Sprintf("%s %d%% 超出范围，应为 0 到 100", spec.Label, n))
		default:
			v.Figures = append(v.Figures, Figure{Key: k, Value: n})
		}
	}
	if len(msgs) > 0 {
		return ReportValues{}, Errorf(EINVALID, "%s", strings.Join(msgs, "；"))
	}
	return v, nil
}

// tooLong reports whether s is written as a number whose whole part has more digits than a
// figure holds (ParseDecimal takes at most 12): "92233720368547.75" is a number too large, not
// something else than a number.
func tooLong(s string) bool {
	s = strings.TrimLeft(strings.TrimSpace(s), "+-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || strings.Trim(whole+frac, "0123456789") != "" {
		return false
	}
	return len(strings.TrimLeft(whole, "0")) > 12
}

// ReportRoute says to whom a unit's report on a duty goes: the lead unit's and a member unit's
// to the office (toUnit ""), a cooperating unit's to the duty's first lead unit, which gathers
// and cites it in its own report to the office. leads are the duty's lead units.
func ReportRoute(role DutyRole, leads []string) (toUnit string) {
	if role == DutyCooperate && len(leads) > 0 {
		return leads[0]
	}
	return ""
}

// CanReview reports whether u may review a report sent to toUnit ("" for the office) in
// district: the office reviews what comes to it, a lead unit what its cooperating units send.
func (u *User) CanReview(district, toUnit string) bool {
	if u.District != district {
		return false
	}
	if toUnit == "" {
		return u.Has(RoleOffice)
	}
	return u.Unit == toUnit && u.HasAny(RoleUnit, RoleTeamLead, RoleOffice)
}

// CanClose reports whether u may close a duty (销号) in district: the office only.
func (u *User) CanClose(district string) bool { return u.District == district && u.Has(RoleOffice) }

// ReportVersion is one version of a report: a dated fact, never overwritten.
type ReportVersion struct {
	Version int
	State   ReportState // ReportDraft or ReportSubmitted: what the unit did
	Values  ReportValues
	Cites   []int64 // the cooperating units' reports a lead unit's report gathers
	By      string
	At      time.Time
}

// Review is a reviewer's decision on one submitted version: a dated fact.
type Review struct {
	Version  int
	Decision Decision
	Comment  string
	By       string
	At       time.Time
}

// Report is a unit's report on a duty with its versions and reviews, oldest first.
type Report struct {
	ID       int64
	Duty     DutyKey
	Unit     string // the reporting unit
	ToUnit   string // the lead unit it goes to; "" for the office
	By       string // who began it (its first version's writer): a cadre's report is its own (OwnReport)
	Versions []ReportVersion
	Reviews  []Review
}

// StateAt is the report's state at t and the version it refers to: the latest version at or
// before t, accepted or returned when a review of that version came at or before t. ok is
// false when the report did not exist yet.
func (r *Report) StateAt(t time.Time) (state ReportState, version int, ok bool) {
	var at time.Time
	for _, v := range r.Versions {
		if v.At.After(t) {
			break
		}
		state, version, at, ok = v.State, v.Version, v.At, true
	}
	if !ok || state != ReportSubmitted {
		return state, version, ok
	}
	for _, rv := range r.Reviews {
		if rv.Version == version && !rv.At.After(t) && !rv.At.Before(at) {
			if rv.Decision == DecisionAccept {
				state = ReportAccepted
			} else {
				state = ReportReturned
			}
		}
	}
	return state, version, ok
}

// SubmittedAt is when the report's latest version at or before t was submitted (zero when it
// was a draft or did not exist).
func (r *Report) SubmittedAt(t time.Time) time.Time {
	var at time.Time
	for _, v := range r.Versions {
		if v.At.After(t) {
			break
		}
		if v.State == ReportSubmitted {
			at = v.At
		} else {
			at = time.Time{}
		}
	}
	return at
}

// Closure is the office closing a duty (销号), or reopening it: a dated fact; the latest at a
// date applies.
type Closure struct {
	Duty   DutyKey
	Closed bool
	Reason string
	By     string
	At     time.Time
}

// ClosedAt reports whether the duty is closed at t by the closures given (any order).
func ClosedAt(cs []Closure, t time.Time) bool {
	var last time.Time
	closed := false
	for _, c := range cs {
		if !c.At.After(t) && !c.At.Before(last) {
			last, closed = c.At, c.Closed
		}
	}
	return closed
}
