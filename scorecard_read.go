package xiezuo

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// How a scorecard is read: who reads which rows, the filter of its page, its API and its
// workbook (ScorecardFilter), and its figures in words (a value with its unit, 未报送, the
// target, the trend, the counts of lights). The page, the API and the workbook all ask these,
// so that they say the same.

// ScoreBys are the groupings of a scorecard, in the order its tabs show them.
var ScoreBys = []ScoreBy{ByDimension, ByTeam, ByUnit, ByRegion}

// Name is the grouping in words, as a tab and a sheet name say it.
func (b ScoreBy) Name() string {
	switch b {
	case ByTeam:
		return "按工作专班"
	case ByUnit:
		return "按单位"
	case ByRegion:
		return "按协作地区"
	}
	return "按考核维度"
}

// Heading is the column that names a group of this grouping.
func (b ScoreBy) Heading() string {
	switch b {
	case ByTeam:
		return "工作专班"
	case ByUnit:
		return "单位"
	case ByRegion:
		return "协作地区"
	}
	return "维度"
}

// ParseScoreBy reads a grouping; "" is by dimension.
func ParseScoreBy(s string) (ScoreBy, bool) {
	if s == "" {
		return ByDimension, true
	}
	for _, b := range ScoreBys {
		if string(b) == s {
			return b, true
		}
	}
	return "", false
}

// CanReadWholeScorecard reports whether u reads every row of its district's scorecard: the
// office, the leaders, the team leads (专班牵头部门) and the city office. Anyone else who reads
// plans reads the rows of its own unit only (Scorecard.For).
func (u *User) CanReadWholeScorecard() bool {
	return u.HasAny(RoleOffice, RoleLeader, RoleTeamLead, RoleCityOffice)
}

// ScorecardFilter is what a scorecard is asked for: the day (not after today) and the grouping.
// The page, the API and the workbook read it from the same query parameters.
type ScorecardFilter struct {
	AsOf Date    // zero: today
	By   ScoreBy // never "" once parsed
}

// ParseScorecardFilter reads ?as_of=YYYY-MM-DD and ?by=dimension|team|unit|region, refusing a
// bad value with a message naming the parameter.
func ParseScorecardFilter(q url.Values, today Date) (ScorecardFilter, error) {
	f := ScorecardFilter{By: ByDimension}
	by, err := oneValue(q, "by", "分组（参数 by）")
	if err != nil {
		return ScorecardFilter{}, err
	}
	b, ok := ParseScoreBy(by)
	if !ok {
		return ScorecardFilter{}, Errorf(EINVALID, "分组（参数 by）“%s”无效，应为按考核维度（dimension）、按工作专班（team）、按单位（unit）或按协作地区（region）", by)
	}
	f.By = b
	asOf, err := oneValue(q, "as_of", "查看日期（参数 as_of）")
	if err != nil {
		return ScorecardFilter{}, err
	}
	if asOf != "" {
		d, err := ParseDate(asOf)
		if err != nil {
			return ScorecardFilter{}, Errorf(EINVALID, "查看日期（参数 as_of）“%s”不是日期，应写作 2021-08-31", asOf)
		}
		if !today.IsZero() && DaysBetween(today, d) > 0 {
			return ScorecardFilter{}, Errorf(EINVALID, "查看日期（参数 as_of）%s 晚于今天（%s），只能查看今天及以前", d, today)
		}
		f.AsOf = d
	}
	return f, nil
}

// Values is the filter as query parameters, for links and cache keys (the defaults left out).
func (f ScorecardFilter) Values() url.Values {
	q := url.Values{}
	if !f.AsOf.IsZero() {
		q.Set("as_of", f.AsOf.String())
	}
	if f.By != "" && f.By != ByDimension {
		q.Set("by", string(f.By))
	}
	return q
}

// For is the filter as u may ask it: a user who reads only its unit's rows reads them by unit.
func (f ScorecardFilter) For(u *User) ScorecardFilter {
	if u != nil && !u.CanReadWholeScorecard() {
		f.By = ByUnit
	}
	return f
}

// For keeps of c what u may read: all of it for those who read the whole scorecard
// (CanReadWholeScorecard); for anyone else the group of its own unit (c by unit), or, in a
// card grouped otherwise, the rows for which its unit is responsible or which measure it (a
// part of its own), with only its unit's part; a Per indicator's row then cites only that
// part's evidence and missing texts (another unit's are not the reader's to see).
func (c Scorecard) For(u *User) Scorecard {
	if u != nil && u.CanReadWholeScorecard() {
		return c
	}
	unit := ""
	if u != nil {
		unit = u.Unit
	}
	out := c
	out.Groups = nil
	for _, g := range c.Groups {
		if c.By == ByUnit {
			if g.Name == unit {
				out.Groups = append(out.Groups, g)
			}
			continue
		}
		var rows []IndicatorScore
		for _, row := range g.Rows {
			var parts []IndicatorScore
			for _, p := range row.Parts {
				if p.Group == unit {
					parts = append(parts, p)
				}
			}
			if !responsible(row.Indicator, unit) && len(parts) == 0 {
				continue
			}
			row.Parts = parts
			if row.Indicator.Per != "" && len(parts) > 0 {
				// A Per row's evidence and missing texts are its parts': the unit reads its own.
				row.Evidence, row.EvidenceMore, row.Missing = nil, 0, nil
				for _, p := range parts {
					row.Evidence = append(row.Evidence, p.Evidence...)
					row.EvidenceMore += p.EvidenceMore
					row.Missing = append(row.Missing, p.Missing...)
				}
			}
			rows = append(rows, row)
		}
		if len(rows) > 0 {
			out.Groups = append(out.Groups, ScoreGroup{Name: g.Name, Rows: rows})
		}
	}
	return out
}

func responsible(in Indicator, unit string) bool {
	if unit == "" {
		return false
	}
	for _, u := range in.Units {
		if u == unit {
			return true
		}
	}
	return false
}

// LightCounts counts a scorecard's rows by light. Grey counts the grey rows counted by Add;
// AddRow, which knows the row, splits its greys: Grey those with nothing reported (未报送),
// NoTarget those reported without a target (未设目标, IndicatorScore.LightWord).
type LightCounts struct {
	Green, Red, Yellow, Grey int
	NoTarget                 int
}

// AddRow counts one row, its grey as 未报送 (Grey) or 未设目标 (NoTarget).
func (n *LightCounts) AddRow(s IndicatorScore) {
	if (s.Light == ScoreGrey || s.Light == "") && s.LightWord() == "未设目标" {
		n.NoTarget++
		return
	}
	n.Add(s.Light)
}

// Add counts one light.
func (n *LightCounts) Add(l ScoreLight) {
	switch l {
	case ScoreGreen:
		n.Green++
	case ScoreRed:
		n.Red++
	case ScoreYellow:
		n.Yellow++
	default:
		n.Grey++
	}
}

// Total is the number of rows counted.
func (n LightCounts) Total() int { return n.Green + n.Red + n.Yellow + n.Grey + n.NoTarget }

// String is the counts as the summary says them: 达标 3、未达标 1、未到期 2、未报送 4, and
// 、未设目标 1 when a row has no target.
func (n LightCounts) String() string {
	s := fmt.Sprintf("达标 %d、未达标 %d、未到期 %d、未报送 %d", n.Green, n.Red, n.Yellow, n.Grey)
	if n.NoTarget > 0 {
		s += fmt.Sprintf("、未设目标 %d", n.NoTarget)
	}
	return s
}

// Counts counts a group's rows by light.
func (g ScoreGroup) Counts() LightCounts {
	var n LightCounts
	for _, r := range g.Rows {
		n.AddRow(r)
	}
	return n
}

// Counts counts every row of a scorecard by light.
func (c Scorecard) Counts() LightCounts {
	var n LightCounts
	for _, g := range c.Groups {
		for _, r := range g.Rows {
			n.AddRow(r)
		}
	}
	return n
}

// FormatMeasure writes a figure in its unit without trailing zeros, at most two decimals
// (12、0.35、1234.5); "" when it is unknown.
func FormatMeasure(m Measure) string {
	if !m.Valid || math.IsNaN(m.V) || math.IsInf(m.V, 0) {
		return ""
	}
	v := math.Round(m.V*100) / 100
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// withUnit writes a figure and its unit: 12 次, 35%, 1200 万元.
func withUnit(v, unit string) string {
	switch unit {
	case "":
		return v
	case "%":
		return v + "%"
	}
	return v + " " + unit
}

// ValueText is the value with its unit, or 未报送 when nothing was reported; a Per indicator's
// district row counts its groups: 4 / 7 个单位达标.
func (s IndicatorScore) ValueText() string {
	if s.IsPerRow() {
		met, all := FormatMeasure(s.Value), FormatMeasure(s.Target)
		if met == "" {
			met = "0"
		}
		if all == "" {
			return "没有可考核的" + perGroupWords[s.Indicator.Per]
		}
		return met + " / " + all + " 个" + perGroupWords[s.Indicator.Per] + "达标"
	}
	if !s.Value.Valid && s.Light == ScoreGreen && s.Indicator.Missing == "pass" {
		return "无应计记录" // nothing to measure counts as met (未报送不影响达标): not a contradiction
	}
	return MeasureText(s.Value, s.Indicator.Unit)
}

// Unreported reports whether the row's value reads 未报送 (ValueText): nothing was reported and
// it is neither a per-group row nor met for having nothing to measure.
func (s IndicatorScore) Unreported() bool {
	return !s.IsPerRow() && !s.Value.Valid && !(s.Light == ScoreGreen && s.Indicator.Missing == "pass")
}

// IsPerRow reports whether s is a Per indicator's district row, whose value counts the groups
// that met the target (Value) of the groups measured (Target), in PerUnitWord; the target each
// group holds is PartTarget.
func (s IndicatorScore) IsPerRow() bool { return s.Indicator.Per != "" && s.Group == "" }

// PartTarget is the target each group of a Per indicator holds, in the indicator's unit: the
// first part's resolved target, else the indicator's own; not valid when there is none. For any
// other row it is the row's Target.
func (s IndicatorScore) PartTarget() Measure {
	if !s.IsPerRow() {
		return s.Target
	}
	for _, p := range s.Parts {
		if p.Target.Valid {
			return p.Target
		}
	}
	if s.Indicator.Target != nil {
		return Measure{V: *s.Indicator.Target, Valid: true}
	}
	return Measure{}
}

// Rounded is the measure rounded to n decimals (as the API and the workbook write it).
func (m Measure) Rounded(n int) Measure {
	if !m.Valid || math.IsNaN(m.V) || math.IsInf(m.V, 0) {
		return Measure{}
	}
	p := math.Pow(10, float64(n))
	v := math.Round(m.V*p) / p
	if v == 0 {
		v = 0
	}
	return Measure{V: v, Valid: true}
}

// MeasureText is a figure with its unit (12 次, 35%, 1200 万元), or 未报送 when it is unknown.
func MeasureText(m Measure, unit string) string {
	v := FormatMeasure(m)
	if v == "" {
		return "未报送"
	}
	return withUnit(v, unit)
}

// perWords is who a Per indicator's target holds for.
var perWords = map[string]string{"team": "每个工作专班", "unit": "每个单位", "region": "每个协作地区"}

// perGroupWords name the groups a Per indicator counts.
var perGroupWords = map[string]string{"team": "工作专班", "unit": "单位", "region": "协作地区"}

// TargetText is the target in words: 不少于 6 篇 (≥) or 不超过 2 个 (≤), 不低于上年（1200 万元）
// for a target of the year before, 未设目标 when there is none; a Per indicator's says for whom
// the target holds (每个工作专班不少于 1 篇) unless it is a group's own row.
func (s IndicatorScore) TargetText() string {
	in := s.Indicator
	who := ""
	target := s.Target
	if s.Group == "" {
		who = perWords[in.Per]
		target = s.PartTarget()
	}
	if in.TargetPrior {
		if s.IsPerRow() {
			return who + "不低于上年"
		}
		prior := FormatMeasure(target)
		if prior == "" {
			return who + "不低于上年（上年未报送）"
		}
		return who + "不低于上年（" + withUnit(prior, in.Unit) + "）"
	}
	t := FormatMeasure(target)
	if t == "" {
		return "未设目标"
	}
	word := "不少于 "
	if in.Compare == "<=" {
		word = "不超过 "
	}
	return who + word + withUnit(t, in.Unit)
}

// TrendArrow is the direction since the value 30 days before: ↑, ↓ or →; "" when either is
// unknown.
func (s IndicatorScore) TrendArrow() string {
	if !s.Value.Valid || !s.Trend.Valid {
		return ""
	}
	now, then := math.Round(s.Value.V*100), math.Round(s.Trend.V*100)
	switch {
	case now > then:
		return "↑"
	case now < then:
		return "↓"
	}
	return "→"
}

// TrendText is the trend as a row says it: ↑（30 天前 3 篇）, or 30 天前未报送.
func (s IndicatorScore) TrendText() string {
	then := FormatMeasure(s.Trend)
	if then == "" {
		return "30 天前未报送"
	}
	if s.IsPerRow() {
		return strings.TrimSpace(s.TrendArrow() + "（30 天前 " + then + " 个达标）")
	}
	return strings.TrimSpace(s.TrendArrow() + "（30 天前 " + withUnit(then, s.Indicator.Unit) + "）")
}

// PeriodText is the period an indicator counts, in words: 2021-01-01 至 2021-06-30.
func (in Indicator) PeriodText(year int) string {
	from := in.From
	if from == "" {
		from = strconv.Itoa(year) + "-01-01"
	}
	if in.Due == "" {
		return from + " 起"
	}
	return from + " 至 " + in.Due
}

// MissingRuleText is how an indicator counts a value nothing was reported for, in words.
func (in Indicator) MissingRuleText() string {
	switch in.Missing {
	case "zero":
		return "未报送按 0 计"
	case "fail":
		return "未报送按未达标计"
	case "pass":
		return "未报送不影响达标"
	}
	return "未报送时显示为未报送，到期仍未报送按未达标计"
}

// PerText is who an indicator's target holds for, in words.
func (in Indicator) PerText() string {
	if w, ok := perWords[in.Per]; ok {
		return w
	}
	return "全区"
}

// ClauseText names the task and clause an indicator measures: 组织领导 / 研究部署（第 2 项）.
func (in Indicator) ClauseText() string {
	var parts []string
	for _, s := range []string{in.Category, in.WorkItem} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	t := strings.Join(parts, " / ")
	if in.Clause > 0 {
		t += fmt.Sprintf("（第 %d 项）", in.Clause)
	}
	return t
}

// KindName is the kind of an evidence item in words: the register's title (会议), 项目, 资金记录,
// 进展报告 or 就业.
func (e EvidenceRef) KindName() string {
	switch e.Kind {
	case "project":
		return "项目"
	case "fund":
		return "资金记录"
	case "report":
		return "进展报告"
	case "placement":
		return "就业"
	}
	if s, ok := RegisterSpecOf(RegisterKind(e.Kind)); ok {
		return s.Title
	}
	return e.Kind
}

// ScorecardTitle is the title of a scorecard's workbook and print: the year, the district and
// the day.
func (c Scorecard) Title() string {
	return fmt.Sprintf("%d年%s考核指标完成情况（截至 %s）", c.Year, c.District, c.AsOf)
}

// PartRows are a Per indicator's parts (each team, unit or region with its own value and
// light), each carrying the indicator it measures when the part does not.
func (s IndicatorScore) PartRows() []IndicatorScore {
	parts := make([]IndicatorScore, len(s.Parts))
	for i, p := range s.Parts {
		if p.Indicator.Code == "" {
			p.Indicator = s.Indicator
		}
		parts[i] = p
	}
	return parts
}
