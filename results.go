package xiezuo

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// What a project reaches and leaves, as dated facts beside the plan's planned figures: the
// villages it reaches (by their 12-digit codes in the register of package division, so that
// villages across projects are counted distinct), its results (villages reached, people
// reached, poor people employed, jobs created: planned against actual), the assets it leaves
// and whether the office publishes it (公告公示).

// ProjectVillage is a fact about one village a project reaches: added, or removed again.
type ProjectVillage struct {
	ID        int64
	ProjectID int64
	Code      string // 12-digit code of the register; "" for a name the register lacks (a warning, not an error)
	Name      string // as the register writes it, or as the user wrote it when not in the register
	Removed   bool   // a later fact removing the village from the project
	By        string
	At        time.Time
}

// ResultKind names a result figure of a project.
type ResultKind string

// Result figures (planned figures come from the plan's project row).
const (
	ResultVillages     ResultKind = "villages"      // 受益村（个）
	ResultPeople       ResultKind = "people"        // 受益人口（人）
	ResultPoorEmployed ResultKind = "poor_employed" // 带动脱贫人口就业（人）
	ResultJobs         ResultKind = "jobs"          // 新增就业岗位（个）
)

// ProjectResult is a result figure as known on a date; the latest on or before a date applies.
type ProjectResult struct {
	ID        int64
	ProjectID int64
	Kind      ResultKind
	Value     int64
	On        Date
	By        string
	At        time.Time
}

// Asset is what a project leaves behind (帮扶资产). A correction is a new row that supersedes
// the one it corrects (Supersedes); nothing is updated.
type Asset struct {
	ID         int64
	ProjectID  int64
	Kind       string // 经营性资产, 公益性资产, 到户类资产
	Name       string
	Value      Num    // fen
	Quantity   Num    // in Unit
	Unit       string // 个, 座, 亩, 台…
	Owner      string // 村委会, 村集体经济组织…
	HandoverOn Date
	Upkeep     string // who keeps it up (管护责任)
	Supersedes int64  // the row this one corrects; 0 for none
	By         string
	At         time.Time
}

// Publication is the office publishing a project on the public notice pages, or withdrawing it.
type Publication struct {
	ID        int64
	ProjectID int64
	Published bool // false: withdrawn
	By        string
	At        time.Time
}

// VillageKey tells one village from another: its code, or for a village the register lacks, its
// name as written (two such names are one village only when written alike).
func VillageKey(v ProjectVillage) string {
	if v.Code != "" {
		return v.Code
	}
	return "名称:" + v.Name
}

// VillagesAt is the set of villages a project reaches at instant at: its facts recorded up to
// then, in the order they were recorded, each adding or removing a village. The set is in the
// order the villages were (last) added.
func VillagesAt(facts []ProjectVillage, at time.Time) []ProjectVillage {
	fs := slices.Clone(facts)
	slices.SortStableFunc(fs, func(a, b ProjectVillage) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	var set []ProjectVillage
	for _, f := range fs {
		if f.At.After(at) {
			break
		}
		k := VillageKey(f)
		set = slices.DeleteFunc(set, func(v ProjectVillage) bool { return VillageKey(v) == k })
		if !f.Removed {
			set = append(set, f)
		}
	}
	return set
}

// DistinctVillages counts the villages of several sets (the current sets of several projects)
// once each: the same village under two projects is one village.
func DistinctVillages(sets ...[]ProjectVillage) int {
	seen := map[string]bool{}
	for _, s := range sets {
		for _, v := range s {
			seen[VillageKey(v)] = true
		}
	}
	return len(seen)
}

// ResultKinds are the result figures in the order pages show them.
var ResultKinds = []ResultKind{ResultVillages, ResultPeople, ResultPoorEmployed, ResultJobs}

// Label is the figure's name as the plan's table writes it.
func (k ResultKind) Label() string {
	switch k {
	case ResultVillages:
		return "受益村"
	case ResultPeople:
		return "受益人口"
	case ResultPoorEmployed:
		return "带动脱贫人口就业"
	case ResultJobs:
		return "新增就业岗位"
	}
	return string(k)
}

// Unit is the figure's unit: 个 or 人.
func (k ResultKind) Unit() string {
	if k == ResultVillages || k == ResultJobs {
		return "个"
	}
	return "人"
}

// ParseResultKind reads a result kind by its code (villages, people, poor_employed, jobs).
func ParseResultKind(s string) (ResultKind, error) {
	k := ResultKind(strings.TrimSpace(s))
	if slices.Contains(ResultKinds, k) {
		return k, nil
	}
	return "", Errorf(EINVALID, "成效指标“%s”无效，应为 villages（受益村）、people（受益人口）、poor_employed（带动脱贫人口就业）或 jobs（新增就业岗位）", s)
}

// CheckResult checks a result figure before it is stored: a known kind, a value of zero or more
// and a date no later than today.
func CheckResult(r ProjectResult, today Date) error {
	if _, err := ParseResultKind(string(r.Kind)); err != nil {
		return err
	}
	switch {
	case r.Value < 0:
		return Errorf(EINVALID, "%s不能为负数（填写的是 %d）", r.Kind.Label(), r.Value)
	case r.Value > 100_000_000:
		return Errorf(EINVALID, "%s %d%s 不可信，请核对", r.Kind.Label(), r.Value, r.Kind.Unit())
	case r.On.IsZero():
		return Errorf(EINVALID, "请填写%s的统计日期", r.Kind.Label())
	case !today.IsZero() && DaysBetween(today, r.On) > 0:
		return Errorf(EINVALID, "%s的统计日期 %s 晚于今天（%s）", r.Kind.Label(), r.On, today)
	}
	return nil
}

// ResultsAt is each result figure as known on day d: the latest dated on or before d (of two on
// the same day, the one recorded last). A figure never reported is missing from the map, never
// 0: the map's zero Num is "not reported".
func ResultsAt(rs []ProjectResult, d Date) map[ResultKind]Num {
	type best struct {
		on   Date
		at   time.Time
		id   int64
		seen bool
	}
	out := map[ResultKind]Num{}
	latest := map[ResultKind]best{}
	for _, r := range rs {
		if r.On.IsZero() || DaysBetween(d, r.On) > 0 {
			continue
		}
		b := latest[r.Kind]
		if b.seen {
			if c := DaysBetween(b.on, r.On); c < 0 || (c == 0 && (r.At.Before(b.at) || (r.At.Equal(b.at) && r.ID < b.id))) {
				continue
			}
		}
		latest[r.Kind] = best{r.On, r.At, r.ID, true}
		out[r.Kind] = Known(r.Value)
	}
	return out
}

// ResultLine is one figure of a project or a region: planned (from the plan's project rows)
// beside actual (from the dated results, or the villages named).
type ResultLine struct {
	Kind    ResultKind
	Planned Villages // an exact figure for one project; a range for a region's villages
	Actual  Villages
	// Named says the actual villages are the distinct count of the villages named (part of it,
	// for a region where some projects only reported a figure).
	Named bool
}

// planned is a project's planned figure of kind k: the plan's row has none for jobs.
func planned(p Project, k ResultKind) Num {
	switch k {
	case ResultVillages:
		return p.Villages
	case ResultPeople:
		return p.People
	case ResultPoorEmployed:
		return p.Employed
	}
	return Num{}
}

// ProjectOutcome is a project's figures, planned against actual, on day d: villages is the set
// it reaches then (VillagesAt), results its dated figures. The villages reached are the number
// of villages named when any are, else the reported figure.
func ProjectOutcome(p Project, villages []ProjectVillage, results []ProjectResult, d Date) []ResultLine {
	return RegionOutcome([]Project{p}, map[int64][]ProjectVillage{p.ID: villages}, map[int64][]ProjectResult{p.ID: results}, d, nil)
}

// RegionOutcome is the figures of several projects (a region's, or a plan's) on day d, planned
// against actual. villages holds each project's current set (VillagesAt), results each
// project's dated figures, by project id. People, employed and jobs are sums of what was
// reported: unknown when no project reported, "at least" when some did not. Villages are distinct: the villages named by
// all projects are counted once each; a project that names none but reported a figure adds
// that figure as a range (at least the largest, at most the sum: the same village may be under
// two projects), and one that did neither leaves the figure open ("at least"). stated, when not nil, is the plan's own planned villages for the group (a
// region's subtotal row); otherwise the planned villages are combined from the rows.
func RegionOutcome(ps []Project, villages map[int64][]ProjectVillage, results map[int64][]ProjectResult, d Date, stated *Villages) []ResultLine {
	lines := make([]ResultLine, len(ResultKinds))
	var named [][]ProjectVillage
	var reported []Villages
	for i, k := range ResultKinds {
		lines[i].Kind = k
		var plan []Villages
		var sum Sum
		for _, p := range ps {
			plan = append(plan, RowVillages(planned(p, k)))
			now := ResultsAt(results[p.ID], d)
			if k == ResultVillages {
				if vs := villages[p.ID]; len(vs) > 0 {
					named = append(named, vs)
				} else {
					reported = append(reported, RowVillages(now[k]))
				}
				continue
			}
			sum.add(now[k])
		}
		if k == ResultJobs {
			lines[i].Planned = Villages{} // the plan's table has no planned jobs
		} else if k == ResultVillages && stated != nil {
			lines[i].Planned = *stated
		} else if k == ResultVillages {
			lines[i].Planned = CombineVillages(plan, false)
		} else {
			lines[i].Planned = sumVillages(plan)
		}
		if k == ResultVillages {
			parts := reported
			if len(named) > 0 {
				lines[i].Named = true
				parts = append([]Villages{ExactVillages(int64(DistinctVillages(named...)))}, parts...)
			}
			lines[i].Actual = CombineVillages(parts, false)
			continue
		}
		lines[i].Actual = Villages{Min: sum.V, Max: sum.V, Known: sum.Given > 0, Open: sum.Blank > 0}
	}
	return lines
}

// sumVillages adds figures that are not distinct counts (people): exact when every row gave
// one, at least the sum of those given otherwise.
func sumVillages(parts []Villages) Villages {
	g := CombineVillages(parts, true)
	if g.Open {
		g.Max = g.Min
	}
	return g
}

// AssetKinds are the kinds of asset a project leaves (帮扶资产的类别).
var AssetKinds = []string{"经营性资产", "公益性资产", "到户类资产"}

// Limits of an asset's texts, in characters.
const (
	maxAssetName = 100
	maxAssetText = 200
)

// Validate checks an asset before it is stored, every field with a message saying what to
// write: a kind of AssetKinds, a name, a value in yuan above zero, a whole quantity above zero
// with its unit, the owner (村委会, 村集体经济组织…), the handover date and who keeps it up.
func (a Asset) Validate() error {
	text := func(label, v string, limit int) error {
		switch n := utf8.RuneCountInString(v); {
		case strings.TrimSpace(v) == "":
			return Errorf(EINVALID, "请填写资产的%s", label)
		case n > limit:
			return Errorf(EINVALID, "资产的%s太长（%d 个字），最多 %d 个字", label, n, limit)
		case !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl):
			return Errorf(EINVALID, "资产的%s含有无法识别的字符", label)
		}
		return nil
	}
	if !slices.Contains(AssetKinds, a.Kind) {
		return Errorf(EINVALID, "资产类别“%s”无效，应为经营性资产、公益性资产或到户类资产", a.Kind)
	}
	if err := text("名称", a.Name, maxAssetName); err != nil {
		return err
	}
	switch {
	case !a.Value.Valid:
		return Errorf(EINVALID, "请填写资产“%s”的价值（元）", a.Name)
	case a.Value.V <= 0:
		return Errorf(EINVALID, "资产“%s”的价值应大于 0 元", a.Name)
	case !a.Quantity.Valid:
		return Errorf(EINVALID, "请填写资产“%s”的数量", a.Name)
	case a.Quantity.V <= 0:
		return Errorf(EINVALID, "资产“%s”的数量应为大于 0 的整数", a.Name)
	}
	if err := text("计量单位（个、座、亩、台…）", a.Unit, 10); err != nil {
		return err
	}
	if err := text("产权归属（如村委会、村集体经济组织）", a.Owner, maxAssetText); err != nil {
		return err
	}
	if a.HandoverOn.IsZero() {
		return Errorf(EINVALID, "请填写资产“%s”的移交日期", a.Name)
	}
	return text("管护责任（由谁管护、如何管护）", a.Upkeep, maxAssetText)
}

// CheckAsset is Validate, then the handover date: no later than today.
func CheckAsset(a Asset, today Date) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if DaysBetween(today, a.HandoverOn) > 0 {
		return Errorf(EINVALID, "资产“%s”的移交日期 %s 晚于今天（%s）", a.Name, a.HandoverOn, today)
	}
	return nil
}

// AssetsAt is the asset register at instant at: the rows recorded up to then that no row
// recorded up to then supersedes, handed over on or before at's day, in the order they were
// recorded.
func AssetsAt(as []Asset, at time.Time) []Asset {
	superseded := map[int64]bool{}
	for _, a := range as {
		if a.Supersedes != 0 && !a.At.After(at) {
			superseded[a.Supersedes] = true
		}
	}
	day := DayOf(at)
	var out []Asset
	for _, a := range as {
		if !a.At.After(at) && !superseded[a.ID] && DaysBetween(day, a.HandoverOn) <= 0 {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b Asset) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// AssetFilter chooses assets of a plan: by the region of their project, their kind and their
// owner, as of a day. The zero filter keeps every asset as of today.
type AssetFilter struct {
	Region string
	Kind   string
	Owner  string
	AsOf   Date // zero: today
}

// ParseAssetFilter reads ?region=&kind=&owner=&as_of= ; a day after today is refused.
func ParseAssetFilter(q url.Values, today Date) (AssetFilter, error) {
	var f AssetFilter
	for _, fl := range []struct {
		key, label string
		v          *string
	}{{"region", "协作地区", &f.Region}, {"kind", "资产类别", &f.Kind}, {"owner", "产权归属", &f.Owner}} {
		v, err := oneValue(q, fl.key, fl.label)
		if err != nil {
			return AssetFilter{}, err
		}
		*fl.v = v
	}
	if f.Kind != "" && !slices.Contains(AssetKinds, f.Kind) {
		return AssetFilter{}, Errorf(EINVALID, "资产类别“%s”无效，应为经营性资产、公益性资产或到户类资产", f.Kind)
	}
	d, err := ParseAsOf(q, today)
	if err != nil {
		return AssetFilter{}, err
	}
	f.AsOf = d
	return f, nil
}

// ParseAsOf reads ?as_of=YYYY-MM-DD: the zero Date when absent; a day after today is refused.
func ParseAsOf(q url.Values, today Date) (Date, error) {
	v, err := oneValue(q, "as_of", "查看日期")
	if err != nil || v == "" {
		return Date{}, err
	}
	d, err := ParseDate(v)
	if err != nil {
		return Date{}, Errorf(EINVALID, "查看日期“%s”无效，应写作 2021-08-31", v)
	}
	if !today.IsZero() && DaysBetween(today, d) > 0 {
		return Date{}, Errorf(EINVALID, "查看日期 %s 晚于今天（%s），只能查看今天及以前", d, today)
	}
	return d, nil
}

// Values is the filter as a query, for links.
func (f AssetFilter) Values() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"region": f.Region, "kind": f.Kind, "owner": f.Owner, "as_of": f.AsOf.String()} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// At is the instant the filter shows: the end of its day, or now.
func (f AssetFilter) At(now time.Time) time.Time {
	if f.AsOf.IsZero() {
		return now
	}
	return EndOfDay(f.AsOf)
}

// Match reports whether the filter keeps an asset of a project of region.
func (f AssetFilter) Match(a Asset, region string) bool {
	return (f.Region == "" || f.Region == region) && (f.Kind == "" || f.Kind == a.Kind) &&
		(f.Owner == "" || strings.Contains(a.Owner, f.Owner))
}

// CheckProjectVillage checks a village fact before it is stored: a name (as the register writes
// it, or as the user wrote it), a code of 12 digits or none.
func CheckProjectVillage(v ProjectVillage) error {
	name := strings.TrimSpace(v.Name)
	switch n := utf8.RuneCountInString(name); {
	case name == "":
		return Errorf(EINVALID, "请填写村名")
	case n > 60:
		return Errorf(EINVALID, "村名太长（%d 个字），最多 60 个字", n)
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		return Errorf(EINVALID, "村名含有无法识别的字符")
	}
	if v.Code != "" && (len(v.Code) != 12 || strings.Trim(v.Code, "0123456789") != "") {
		return Errorf(EINVALID, "村的区划代码“%s”应为 12 位数字", v.Code)
	}
	return nil
}
