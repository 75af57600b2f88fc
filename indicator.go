package xiezuo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The indicators of the assessment (考核指标) as data, their checks and the scoring: each
// indicator's formula (indicator_formula.go) is evaluated over the facts of a ScoreData
// (indicator_facts.go) for the district, and for each work team, unit or partner region when
// the indicator holds per group, as of a date, 30 days before it (the trend) and over the year
// before (a target 不低于上年).
//
// Lights:
//   - grey: no target (none set, or 不低于上年 without the year before stored); or the value is
//     unknown (nothing reported) under missing "fail" before the indicator is due;
//   - green: the value meets the target (≥, or ≤ for an "at most" indicator);
//   - yellow: not met, before the due date;
//   - red: not met on or after the due date; an unknown value under missing "fail" too.
//
// Missing says how an unknown value counts: "zero" as 0, "fail" as above, "pass" as met (a
// group with nothing to measure, e.g. a unit without purchases to share, is not held against).
// A Per indicator's district row counts groups: its value is the groups that met the target,
// its target every group measured (each team of the plan, each unit named, each partner
// region), in 个.

//go:embed indicators2021.json
var indicators2021 []byte

// ShippedIndicators is the set shipped for a plan year (2021: every quantified requirement of
// the task list); nil for a year without one. Each call returns a fresh copy.
func ShippedIndicators(year int) []Indicator {
	if year != 2021 {
		return nil
	}
	shippedOnce.Do(func() {
		if err := json.Unmarshal(indicators2021, &shipped2021); err != nil {
			panic("indicators2021.json: " + err.Error()) // shipped with the binary; a test reads it
		}
	})
	out := make([]Indicator, len(shipped2021))
	for i, in := range shipped2021 {
		in.Units = slices.Clone(in.Units)
		if in.Target != nil {
			t := *in.Target
			in.Target = &t
		}
		out[i] = in
	}
	return out
}

var (
	shippedOnce sync.Once
	shipped2021 []Indicator
)

// The values of Indicator.Per and Indicator.Missing.
const (
	PerTeam   = "team"
	PerUnit   = "unit"
	PerRegion = "region"

	MissingZero = "zero"
	MissingFail = "fail"
	MissingPass = "pass"
)

// Check refuses an indicator a scorecard cannot measure, naming the field and the reason in
// words a clerk understands (a formula's error names its position).
func (in Indicator) Check(p *Plan) error {
	bad := func(field, format string, args ...any) error {
		return Errorf(EINVALID, "%s：%s", field, fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(in.Code) == "" {
		return bad("编号", "不能为空")
	}
	if strings.ContainsAny(in.Code, " /?#%") || len([]rune(in.Code)) > 20 {
		return bad("编号", "“%s”只能用字母、数字和短横线，不超过20个字符", in.Code)
	}
	if strings.TrimSpace(in.Name) == "" {
		return bad("名称", "不能为空")
	}
	if !slices.Contains(Dimensions, in.Dimension) {
		return bad("考核维度", "“%s”不是考核维度，可选：%s", in.Dimension, strings.Join(Dimensions, "、"))
	}
	if in.Compare != ">=" && in.Compare != "<=" {
		return bad("比较方式", "应为“>=”（不少于目标值）或“<=”（不超过目标值）")
	}
	if in.Target != nil && (math.IsNaN(*in.Target) || math.IsInf(*in.Target, 0) || *in.Target < 0) {
		return bad("目标值", "应为不小于0的数")
	}
	if strings.TrimSpace(in.Unit) == "" {
		return bad("计量单位", "不能为空（如：次、个、篇、人、万元、%%）")
	}
	year := 2021
	if p != nil && p.Year != 0 {
		year = p.Year
	}
	first := NewDate(year, 1, 1)
	from := first
	if in.From != "" {
		d, err := ParseDate(in.From)
		if err != nil {
			return bad("起始日期", "“%s”不是日期（YYYY-MM-DD）", in.From)
		}
		if d.Year != year {
			return bad("起始日期", "%s 不在%d年内", in.From, year)
		}
		from = d
	}
	if in.Due == "" {
		return bad("截止日期", "不能为空")
	}
	due, err := ParseDate(in.Due)
	if err != nil {
		return bad("截止日期", "“%s”不是日期（YYYY-MM-DD）", in.Due)
	}
	if after(first, due) || after(due, NewDate(year+1, 1, 31)) {
		return bad("截止日期", "%s 不在%d年内（最晚可到%d-01-31）", in.Due, year, year+1)
	}
	if after(from, due) {
		return bad("起始日期", "%s 晚于截止日期 %s", from, in.Due)
	}
	switch in.Per {
	case "", PerTeam, PerUnit, PerRegion:
	default:
		return bad("考核对象", "“%s”无效，应为%s", in.Per, orWords(IndicatorPers))
	}
	switch in.Missing {
	case "", MissingZero, MissingFail, MissingPass:
	default:
		return bad("未报送时", "“%s”无效，应为%s", in.Missing, orWords(IndicatorMissingRules))
	}
	f, err := ParseFormula(in.Formula)
	if err != nil {
		return bad("公式", "%s", strings.TrimPrefix(err.Error(), "公式"))
	}
	if in.Per == PerTeam && !sourcesHave(f, "team") {
		return bad("考核对象", "按专班考核的指标只能统计带工作专班的台账（articles）")
	}
	if in.Per == PerRegion && !sourcesHave(f, "region") {
		return bad("考核对象", "按协作地区考核的指标，公式中的台账都须带协作地区")
	}
	if in.Per == PerUnit && len(in.Units) == 0 {
		return bad("责任单位", "按单位考核的指标须列出要考核的单位")
	}
	if p != nil {
		for _, u := range in.Units {
			if _, ok := unitOf(p, u); !ok {
				return bad("责任单位", "“%s”不是本年计划中的单位%s", u, nearUnits(p, u))
			}
		}
	}
	return nil
}

// orWords are the labels of an editor's choices as a message lists them: A、B、C或D.
func orWords(choices []struct{ Key, Label string }) string {
	var ls []string
	for _, c := range choices {
		ls = append(ls, c.Label)
	}
	if len(ls) < 2 {
		return strings.Join(ls, "")
	}
	return strings.Join(ls[:len(ls)-1], "、") + "或" + ls[len(ls)-1]
}

// unitOf finds a unit of the plan by name or alias.
func unitOf(p *Plan, name string) (Unit, bool) {
	for _, u := range p.Units {
		if u.Name == name || slices.Contains(u.Aliases, name) {
			return u, true
		}
	}
	return Unit{}, false
}

// nearUnits names the plan's units sharing at least two characters (besides 区) with a name:
// "，是否为：A、B".
func nearUnits(p *Plan, name string) string {
	var near []string
	for _, u := range p.Units {
		shared := 0
		for _, r := range strings.TrimPrefix(name, "区") {
			if strings.ContainsRune(u.Name, r) {
				shared++
			}
		}
		if shared >= 2 && len(near) < 5 {
			near = append(near, u.Name)
		}
	}
	if len(near) == 0 {
		return ""
	}
	return "，是否为：" + strings.Join(near, "、")
}

// Word is the light in a word, shown beside its colour.
func (l ScoreLight) Word() string {
	switch l {
	case ScoreGreen:
		return "达标"
	case ScoreYellow:
		return "未达标（未到期）"
	case ScoreRed:
		return "未达标"
	}
	return "未报送或未设目标"
}

// LightWord is the row's light in a word, saying which grey it is: 未设目标 when a value is known
// but there is no target to compare it with, 未报送 otherwise; the other colours as Word.
func (s IndicatorScore) LightWord() string {
	if s.Light == ScoreGrey || s.Light == "" {
		if s.Value.Valid && !s.Target.Valid {
			return "未设目标"
		}
		return "未报送"
	}
	return s.Light.Word()
}

// MarshalJSON writes a number rounded to 4 decimals, or null when unknown.
func (m Measure) MarshalJSON() ([]byte, error) {
	if !m.Valid || math.IsNaN(m.V) || math.IsInf(m.V, 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(math.Round(m.V*1e4)/1e4, 'f', -1, 64)), nil
}

// UnmarshalJSON reads a number or null.
func (m *Measure) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*m = Measure{}
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("measure: %w", err)
	}
	*m = Measure{V: v, Valid: true}
	return nil
}

// String writes the measure as pages show it (at most 2 decimals), "—" when unknown.
func (m Measure) String() string {
	if !m.Valid {
		return "—"
	}
	return strconv.FormatFloat(math.Round(m.V*100)/100, 'f', -1, 64)
}

// ScoreEvidenceCap is how many facts a row cites; EvidenceMore counts the others.
const ScoreEvidenceCap = 20

// TrendDays is how far back the trend looks.
const TrendDays = 30

// scorer scores one ScoreData as of a date.
type scorer struct {
	st      *scoreState
	trendSt *scoreState // the facts as recorded by the end of the trend day (st when not known)
	asOf    Date
	year    int
	periods map[periodKey][2]Date
}

// period is an indicator's period: from its From (1 January of the plan year by default) to
// its Due (31 December when unreadable), read once per text.
func (sc *scorer) period(in Indicator, year int) (from, due Date) {
	key := periodKey{in.From, in.Due, year}
	if p, ok := sc.periods[key]; ok {
		return p[0], p[1]
	}
	from = NewDate(year, 1, 1)
	if in.From != "" {
		if d, err := ParseDate(in.From); err == nil {
			from = d
		}
	}
	due = NewDate(year, 12, 31)
	if d, err := ParseDate(in.Due); err == nil {
		due = d
	}
	if sc.periods == nil {
		sc.periods = map[periodKey][2]Date{}
	}
	sc.periods[key] = [2]Date{from, due}
	return from, due
}

type periodKey struct {
	from, due string
	year      int
}

func minDate(a, b Date) Date {
	if after(a, b) {
		return b
	}
	return a
}

func addYears(d Date, n int) Date { return NewDate(d.Year+n, d.Month, d.Day) }

// value evaluates a formula as of day asOf over a group, from the indicator's From to the
// earlier of asOf and its Due.
func (sc *scorer) value(st *scoreState, f *Formula, in Indicator, year int, asOf Date, g groupSel, cites *citeSet) Measure {
	from, due := sc.period(in, year)
	at := minDate(asOf, due)
	if after(from, at) {
		at = NewDate(from.Year, from.Month, from.Day-1) // nothing of the period yet
	}
	m := f.root.eval(&evalCtx{s: st, from: from, at: at, g: g, cites: cites})
	if math.IsNaN(m.v) || math.IsInf(m.v, 0) { // arithmetic past the floats measures nothing
		return Measure{}
	}
	return Measure{V: m.v, Valid: m.ok}
}

// target resolves an indicator's target for a group: 不低于上年 is the same formula over the year
// before (its whole period moved back one year), the set target when the year before is not
// stored or measured nothing.
func (sc *scorer) target(f *Formula, in Indicator, g groupSel) Measure {
	if in.TargetPrior && sc.st.prior != nil {
		py := sc.year - 1
		_, due := sc.period(in, sc.year)
		prior := in
		if in.From != "" {
			if d, err := ParseDate(in.From); err == nil {
				prior.From = addYears(d, -1).String()
			}
		}
		prior.Due = addYears(due, -1).String()
		if m := sc.value(sc.st.prior, f, prior, py, addYears(due, -1), g, nil); m.Valid {
			return m
		}
	}
	if in.Target != nil {
		return Measure{V: *in.Target, Valid: true}
	}
	return Measure{}
}

// light is an indicator's light for a value and a target as of a day.
func light(in Indicator, v, t Measure, asOf, due Date) ScoreLight {
	if !t.Valid {
		return ScoreGrey
	}
	if !v.Valid {
		switch in.Missing {
		case MissingZero:
			v = Measure{V: 0, Valid: true}
		case MissingPass:
			return ScoreGreen
		default:
			if after(due, asOf) {
				return ScoreGrey
			}
			return ScoreRed
		}
	}
	met := v.V >= t.V-1e-9
	if in.Compare == "<=" {
		met = v.V <= t.V+1e-9
	}
	switch {
	case met:
		return ScoreGreen
	case after(due, asOf):
		return ScoreYellow
	}
	return ScoreRed
}

func (in Indicator) label() string {
	if in.Label != "" {
		return in.Label
	}
	return in.Name
}

// missingWords says what is still missing of a row that is not green: 「区教委：典型案例 0 / 1 个」.
func missingWords(in Indicator, group string, v, t Measure, l ScoreLight, unit string) string {
	if l == ScoreGreen {
		return ""
	}
	prefix := ""
	if group != "" {
		prefix = group + "："
	}
	switch {
	case !t.Valid && in.TargetPrior:
		return prefix + in.label() + " 未设目标值（上年数据未录入：由办公室在“考核指标”中填写上年完成数作为目标值）"
	case !t.Valid:
		return prefix + in.label() + " 未设目标值"
	case !v.Valid && in.Missing != MissingZero:
		return prefix + in.label() + " 未报送"
	}
	if !v.Valid {
		v = Measure{V: 0, Valid: true}
	}
	sep := " "
	if unit == "%" {
		sep = ""
	}
	if in.Compare == "<=" {
		return fmt.Sprintf("%s%s %s%s%s，应不超过 %s%s%s", prefix, in.label(), v, sep, unit, t, sep, unit)
	}
	return fmt.Sprintf("%s%s %s / %s%s%s", prefix, in.label(), v, t, sep, unit)
}

// row scores an indicator for one group (the district when g is zero), without its Parts.
func (sc *scorer) row(in Indicator, f *Formula, g groupSel) IndicatorScore {
	_, due := sc.period(in, sc.year)
	cites := sc.st.newCites()
	r := IndicatorScore{Indicator: in, Group: g.name}
	r.Value = sc.value(sc.st, f, in, sc.year, sc.asOf, g, cites)
	r.Trend = sc.value(sc.trendSt, f, in, sc.year, NewDate(sc.asOf.Year, sc.asOf.Month, sc.asOf.Day-TrendDays), g, nil)
	r.Target = sc.target(f, in, g)
	r.Light = light(in, r.Value, r.Target, sc.asOf, due)
	if w := missingWords(in, g.name, r.Value, r.Target, r.Light, in.Unit); w != "" {
		r.Missing = []string{w}
	}
	r.Evidence, r.EvidenceMore = cites.refs(sc.st)
	return r
}

func capEvidence(refs []EvidenceRef) ([]EvidenceRef, int) {
	if len(refs) > ScoreEvidenceCap {
		return refs[:ScoreEvidenceCap], len(refs) - ScoreEvidenceCap
	}
	return refs, 0
}

// groupsOf are the groups a Per indicator measures.
func (sc *scorer) groupsOf(in Indicator) []groupSel {
	p := sc.st.d.Plan
	var out []groupSel
	switch in.Per {
	case PerTeam:
		for _, t := range p.Teams {
			out = append(out, groupSel{"team", t.Name})
		}
	case PerUnit:
		for _, u := range in.Units {
			out = append(out, groupSel{"unit", sc.st.unitName(u)})
		}
	case PerRegion:
		for _, r := range p.Regions {
			out = append(out, groupSel{"region", r.Name})
		}
	}
	return out
}

// district scores an indicator for the district; a Per indicator with a part per group.
func (sc *scorer) district(in Indicator) IndicatorScore {
	f, err := ParseFormula(in.Formula)
	if err != nil {
		return IndicatorScore{Indicator: in, Light: ScoreGrey, Missing: []string{"公式有误：" + err.Error()}}
	}
	if in.Per == "" {
		return sc.row(in, f, groupSel{})
	}
	_, due := sc.period(in, sc.year)
	r := IndicatorScore{Indicator: in}
	var met, metBefore int
	var refs []EvidenceRef
	seen := map[EvidenceRef]bool{}
	trendDay := NewDate(sc.asOf.Year, sc.asOf.Month, sc.asOf.Day-TrendDays)
	for _, g := range sc.groupsOf(in) {
		part := sc.row(in, f, g)
		r.Parts = append(r.Parts, part)
		if part.Light == ScoreGreen {
			met++
		} else {
			r.Missing = append(r.Missing, part.Missing...)
		}
		if light(in, part.Trend, part.Target, trendDay, due) == ScoreGreen {
			metBefore++
		}
		for _, e := range part.Evidence {
			if !seen[e] {
				seen[e] = true
				refs = append(refs, e)
			}
		}
		r.EvidenceMore += part.EvidenceMore
	}
	n := len(r.Parts)
	r.Value = Measure{V: float64(met), Valid: true}
	r.Target = Measure{V: float64(n), Valid: n > 0}
	r.Trend = Measure{V: float64(metBefore), Valid: true}
	unitless := in
	unitless.Compare = ">="
	unitless.Missing = MissingZero
	r.Light = light(unitless, r.Value, r.Target, sc.asOf, due)
	var more int
	r.Evidence, more = capEvidence(refs)
	r.EvidenceMore += more
	return r
}

// PerUnitWord is the unit of a Per indicator's district row: groups.
const PerUnitWord = "个"

// Unit is the unit the row's value and target are in: the indicator's, or PerUnitWord for a
// Per indicator's district row (which counts groups).
func (r IndicatorScore) Unit() string {
	if r.Indicator.Per != "" && r.Group == "" {
		return PerUnitWord
	}
	return r.Indicator.Unit
}

// Score measures a set of indicators as of a date (the end of that day), grouped as asked:
// by dimension (in Dimensions order, each indicator's district row, a Per indicator with its
// Parts); by team (the team's own parts of Per-team indicators, then the district rows of the
// other indicators whose responsible units include one of the team's lead units); by unit (the
// unit's parts of Per-unit indicators, the parts of the teams it leads of Per-team indicators it
// is not responsible for as a whole, then the district rows of the indicators it is responsible
// for); by region (the region's parts
// of Per-region indicators, then each district-wide indicator whose sources all carry a region,
// its value restricted to the region, with no target nor light of its own: the row's Note says
// so). Groups without rows are left out.
func Score(set []Indicator, d ScoreData, asOf Date, by ScoreBy) Scorecard {
	card := Scorecard{AsOf: asOf, By: by}
	if d.Plan == nil {
		return card
	}
	card.District, card.Year = d.Plan.District, d.Plan.Year
	sc := &scorer{st: newScoreState(&d), asOf: asOf, year: d.Plan.Year}
	sc.trendSt = sc.st
	if td, ok := d.recordedBy(ScoreAt(NewDate(asOf.Year, asOf.Month, asOf.Day-TrendDays))); ok {
		sc.trendSt = newScoreState(&td)
	}
	rows := make([]IndicatorScore, len(set))
	for i, in := range set {
		rows[i] = sc.district(in)
	}
	add := func(name string, rs []IndicatorScore) {
		if len(rs) > 0 {
			card.Groups = append(card.Groups, ScoreGroup{Name: name, Rows: rs})
		}
	}
	partOf := func(r IndicatorScore, name string) (IndicatorScore, bool) {
		for _, p := range r.Parts {
			if p.Group == name {
				return p, true
			}
		}
		return IndicatorScore{}, false
	}
	responsible := func(in Indicator, units []string) bool {
		for _, u := range in.Units {
			if slices.Contains(units, sc.st.unitName(u)) {
				return true
			}
		}
		return false
	}
	switch by {
	case ByTeam:
		for _, t := range d.Plan.Teams {
			var rs []IndicatorScore
			leads := make([]string, len(t.Leads))
			for i, l := range t.Leads {
				leads[i] = sc.st.unitName(l)
			}
			for _, r := range rows {
				if r.Indicator.Per == PerTeam {
					if p, ok := partOf(r, t.Name); ok {
						rs = append(rs, p)
					}
				} else if responsible(r.Indicator, leads) {
					rs = append(rs, r) // district-wide, or per unit or region: its district row
				}
			}
			add(t.Name, rs)
		}
	case ByUnit:
		for _, u := range d.Plan.Units {
			var rs []IndicatorScore
			// The teams the unit leads: it answers for their parts of per-team indicators
			// (区教委：典型案例 0 / 1 个).
			var led []string
			for _, t := range d.Plan.Teams {
				for _, l := range t.Leads {
					if sc.st.unitName(l) == u.Name {
						led = append(led, t.Name)
					}
				}
			}
			for _, r := range rows {
				switch {
				case r.Indicator.Per == PerUnit:
					if p, ok := partOf(r, u.Name); ok {
						rs = append(rs, p)
					}
				case r.Indicator.Per == PerTeam && len(led) > 0 && !responsible(r.Indicator, []string{u.Name}):
					for _, t := range led {
						if p, ok := partOf(r, t); ok {
							rs = append(rs, p)
						}
					}
				case responsible(r.Indicator, []string{u.Name}):
					rs = append(rs, r) // district-wide, or per team or region: its district row
				}
			}
			add(u.Name, rs)
		}
	case ByRegion:
		for _, reg := range d.Plan.Regions {
			var rs []IndicatorScore
			for i, r := range rows {
				in := set[i]
				switch in.Per {
				case PerRegion:
					if p, ok := partOf(r, reg.Name); ok {
						rs = append(rs, p)
					}
				case "":
					f, err := ParseFormula(in.Formula)
					if err != nil || !sourcesHave(f, "region") {
						continue
					}
					g := groupSel{"region", reg.Name}
					cites := sc.st.newCites()
					part := IndicatorScore{Indicator: in, Group: reg.Name, Light: ScoreGrey,
						Value: sc.value(sc.st, f, in, sc.year, asOf, g, cites),
						Trend: sc.value(sc.trendSt, f, in, sc.year, NewDate(asOf.Year, asOf.Month, asOf.Day-TrendDays), g, nil),
						Note:  "目标按全区考核，不分地区；此为本地区的数值，不单独亮灯"}
					part.Evidence, part.EvidenceMore = cites.refs(sc.st)
					rs = append(rs, part)
				}
			}
			add(reg.Name, rs)
		}
	default:
		card.By = ByDimension
		for _, dim := range Dimensions {
			var rs []IndicatorScore
			for _, r := range rows {
				if r.Indicator.Dimension == dim {
					rs = append(rs, r)
				}
			}
			add(dim, rs)
		}
		var other []IndicatorScore
		for _, r := range rows {
			if !slices.Contains(Dimensions, r.Indicator.Dimension) {
				other = append(other, r)
			}
		}
		add("其他", other)
	}
	return card
}

// recordedBy is the data as it stood at moment at, before d.At: the entries of d.Rows then
// (EntriesAt), the steps, money and results recorded by then. ok is false when d has no Rows
// or at is not before d.At (d itself then).
func (d ScoreData) recordedBy(at time.Time) (ScoreData, bool) {
	if d.Rows == nil || !d.At.IsZero() && !at.Before(d.At) {
		return d, false
	}
	out := d
	out.Rows, out.At = nil, at
	out.Entries = EntriesAt(d.Rows, at)
	out.Steps = KeptBy(d.Steps, at, func(s ProjectStep) time.Time { return s.At })
	out.Funds = KeptBy(d.Funds, at, func(t FundTx) time.Time { return t.At })
	out.Results = KeptBy(d.Results, at, func(r ProjectResult) time.Time { return r.At })
	return out, true
}

// KeptBy keeps of each list the items recorded up to at (when gives an item's time); lists
// left empty are dropped. Storage reads facts as of a moment with it too.
func KeptBy[T any](m map[int64][]T, at time.Time, when func(T) time.Time) map[int64][]T {
	if m == nil {
		return nil
	}
	out := make(map[int64][]T, len(m))
	for id, list := range m {
		var keep []T
		for _, x := range list {
			if !when(x).After(at) {
				keep = append(keep, x)
			}
		}
		if len(keep) > 0 {
			out[id] = keep
		}
	}
	return out
}

// ScoreAt is the moment a scorecard as of a day reads the stored facts: the end of that day
// in China (00:00 of the next day, Asia/Shanghai, in UTC).
func ScoreAt(asOf Date) time.Time {
	return time.Date(asOf.Year, asOf.Month, asOf.Day+1, 0, 0, 0, 0, cst).UTC().Add(-time.Nanosecond)
}

// Rows are every row of a scorecard, in order (for a workbook or the API).
func (c Scorecard) Rows() []IndicatorScore {
	var out []IndicatorScore
	for _, g := range c.Groups {
		out = append(out, g.Rows...)
	}
	return out
}
