package xiezuo

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ProjectFilter chooses rows of the project table (附件3). The zero filter keeps every row.
// It is the one filter of the project page, its workbook download and the API: Values gives
// its query (for links and for the cache keys of rendered pages), ParseProjectFilter reads it
// back.
type ProjectFilter struct {
	Region   string // 协作地区, as in its subtotal row
	Category string // 项目类别, without its number
	LeadUnit string // 项目牵头单位, canonical name
	Nature   string // 建设性质
}

// projectFilterFields are the filter's query parameters in the order Values writes them, with
// the names a clerk sees in messages. lead_unit is an older name of lead the API accepted.
var projectFilterFields = []struct {
	key, label string
	field      func(*ProjectFilter) *string
	aliases    []string
}{
	{"region", "协作地区", func(f *ProjectFilter) *string { return &f.Region }, nil},
	{"category", "项目类别", func(f *ProjectFilter) *string { return &f.Category }, nil},
	{"lead", "项目牵头单位", func(f *ProjectFilter) *string { return &f.LeadUnit }, []string{"lead_unit"}},
	{"nature", "建设性质", func(f *ProjectFilter) *string { return &f.Nature }, nil},
}

// maxFilterChars bounds one filter value: the longest unit or region name is far shorter.
const maxFilterChars = 200

// ParseProjectFilter reads a filter from a query: region, category, lead (or its older name
// lead_unit) and nature. Other parameters are left to the caller. A value given twice with
// different contents, too long, or holding control characters is refused with a message for the
// user; an empty value is no filter.
func ParseProjectFilter(q url.Values) (ProjectFilter, error) {
	var f ProjectFilter
	for _, fl := range projectFilterFields {
		var got []string
		for _, k := range append([]string{fl.key}, fl.aliases...) {
			for _, v := range q[k] {
				if v = strings.TrimSpace(v); v != "" {
					got = append(got, v)
				}
			}
		}
		if len(got) == 0 {
			continue
		}
		v := got[0]
		for _, o := range got[1:] {
			if o != v {
				return ProjectFilter{}, Errorf(EINVALID, "筛选条件“%s”只能选一个，实为“%s”和“%s”", fl.label, v, o)
			}
		}
		if !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
			return ProjectFilter{}, Errorf(EINVALID, "筛选条件“%s”含有无法识别的字符", fl.label)
		}
		if n := utf8.RuneCountInString(v); n > maxFilterChars {
			return ProjectFilter{}, Errorf(EINVALID, "筛选条件“%s”太长（%d 个字），最多 %d 个字", fl.label, n, maxFilterChars)
		}
		*fl.field(&f) = v
	}
	if u, ok := LookupUnit(f.LeadUnit); ok && f.LeadUnit != "" {
		f.LeadUnit = u.Name // 区农业局 is 区农业农村局: projects keep the catalogue's name
	}
	return f, nil
}

// Values is the filter as a query, with the canonical names only: two filters that differ have
// different Values, so a page cached under one is never served for the other.
func (f ProjectFilter) Values() url.Values {
	q := url.Values{}
	for _, fl := range projectFilterFields {
		if v := *fl.field(&f); v != "" {
			q.Set(fl.key, v)
		}
	}
	return q
}

// String names the filter as a clerk reads it, e.g. 协作地区：神农架林区，建设性质：新建; empty
// for no filter.
func (f ProjectFilter) String() string {
	var parts []string
	for _, ff := range projectFilterFields {
		if v := *ff.field(&f); v != "" {
			parts = append(parts, ff.label+"："+v)
		}
	}
	return strings.Join(parts, "，")
}

// IsZero reports whether the filter keeps every row.
func (f ProjectFilter) IsZero() bool { return f == ProjectFilter{} }

// Match reports whether the filter keeps the project.
func (f ProjectFilter) Match(p Project) bool {
	return (f.Region == "" || p.Region == f.Region) && (f.Category == "" || p.Category == f.Category) &&
		(f.LeadUnit == "" || p.LeadUnit == f.LeadUnit) && (f.Nature == "" || p.Nature == f.Nature)
}

// Villages is what is known of a group's beneficiary villages (受益脱贫村). They are distinct
// counts: a village two projects reach counts once. So a group's figure is exact when the
// document states it for the group shown whole, and otherwise lies between Min and Max.
type Villages struct {
	Min, Max int64
	Open     bool // some row left the figure blank: no upper bound (Max means nothing)
	Known    bool // some row, or the group's stated row, gives a figure
}

// ExactVillages is a figure the document states.
func ExactVillages(n int64) Villages { return Villages{Min: n, Max: n, Known: true} }

// RowVillages is one project's figure, or nothing known when it is blank.
func RowVillages(n Num) Villages {
	if !n.Valid {
		return Villages{Open: true}
	}
	return ExactVillages(n.V)
}

// RowsVillages is what project rows alone admit of their group's villages.
func RowsVillages(ps []Project) Villages {
	rows := make([]Villages, len(ps))
	for i, p := range ps {
		rows[i] = RowVillages(p.Villages)
	}
	return CombineVillages(rows, false)
}

// Exact reports whether the figure is known exactly.
func (v Villages) Exact() bool { return v.Known && !v.Open && v.Min == v.Max }

// Num is the least the figure can be, the one a workbook or a summary writes; unknown when no
// row gives one.
func (v Villages) Num() Num {
	if !v.Known {
		return Num{}
	}
	return Known(v.Min)
}

// String is the figure as a page shows it: 12, 3–7 (between), ≥3 (at least), or empty.
func (v Villages) String() string {
	switch {
	case !v.Known:
		return ""
	case v.Exact():
		return strconv.FormatInt(v.Min, 10)
	case v.Open:
		return "≥" + strconv.FormatInt(v.Min, 10)
	}
	return fmt.Sprintf("%d–%d", v.Min, v.Max)
}

// Admits reports whether a stated figure can be the group's: too few when it is below Min,
// too many when it is above a known Max.
func (v Villages) Admits(stated int64) (tooFew, tooMany bool) {
	return stated < v.Min, !v.Open && stated > v.Max
}

// CombineVillages is the villages rule, in one place: parts that may share villages (the rows
// or categories of one region) give a group at least as many as the largest part and at most
// their sum, max ≤ subtotal ≤ sum; disjoint parts (the regions of a plan, which share no
// village) give exactly their sum.
func CombineVillages(parts []Villages, disjoint bool) Villages {
	var g Villages
	for _, p := range parts {
		if disjoint {
			g.Min += p.Min
		} else {
			g.Min = max(g.Min, p.Min)
		}
		g.Max += p.Max
		g.Open = g.Open || p.Open
		g.Known = g.Known || p.Known
	}
	return g
}

// Sum is one column summed over a group's rows, with how many rows gave a figure.
type Sum struct {
	V     int64
	Given int // rows that gave a figure
	Blank int // rows that left it blank
}

func (s *Sum) add(n Num) {
	if !n.Valid {
		s.Blank++
		return
	}
	s.V += n.V
	s.Given++
}

// Num is the sum, unknown when no row gave a figure.
func (s Sum) Num() Num {
	if s.Given == 0 {
		return Num{}
	}
	return Known(s.V)
}

// Figures are a group's computed figures: money and people summed over its rows, villages
// combined by the villages rule.
type Figures struct {
	TotalInvestment, DistrictFund, People, Employed Sum
	Villages                                        Villages
}

// ProjectGroup is a 合计, region or category row of the project table and the rows under it.
type ProjectGroup struct {
	Level          Level
	Region         string // region and category name the group, as in Subtotal
	Category       string
	CategoryNumber int
	Projects       []Project // the rows shown, in plan order
	Computed       Figures   // from the rows shown (villages from its parts' figures)
	// Whole says every row of the group passes the filter: then Stated is the document's row
	// for it, if it has one, and the group's villages are the stated ones.
	Whole  bool
	Stated *Subtotal
}

// Label is the group's label with its count as the printed table writes it: 合计（16个）,
// 内蒙古武川县（5个）, 1. 产业合作类（3个）.
func (g ProjectGroup) Label() string {
	name := "合计"
	switch g.Level {
	case LevelRegion:
		name = g.Region
	case LevelCategory:
		name = g.Category
	}
	label := fmt.Sprintf("%s（%d个）", name, len(g.Projects))
	if g.Level == LevelCategory && g.CategoryNumber != 0 {
		label = fmt.Sprintf("%d. %s", g.CategoryNumber, label)
	}
	return label
}

// HasRow reports whether the group has a row of its own: a category with neither name nor
// number (projects the plan does not categorise) has none.
func (g ProjectGroup) HasRow() bool {
	return g.Level != LevelCategory || g.Category != "" || g.CategoryNumber != 0
}

// Villages is the group's villages: as stated when the group is shown whole and the document
// states them, otherwise as computed.
func (g ProjectGroup) Villages() Villages {
	if g.Stated != nil && g.Stated.Villages.Valid {
		return ExactVillages(g.Stated.Villages.V)
	}
	return g.Computed.Villages
}

// Figure returns each figure as the printed table writes it: the stated one where the
// document states it for the group shown whole, the computed one elsewhere; villages the
// least they can be.
func (g ProjectGroup) Figure() (totalInvestment, districtFund, villages, people, employed Num) {
	pick := func(computed Sum, stated func(*Subtotal) Num) Num {
		if g.Stated != nil && stated(g.Stated).Valid {
			return stated(g.Stated)
		}
		return computed.Num()
	}
	return pick(g.Computed.TotalInvestment, func(s *Subtotal) Num { return s.TotalInvestment }),
		pick(g.Computed.DistrictFund, func(s *Subtotal) Num { return s.DistrictFund }),
		g.Villages().Num(),
		pick(g.Computed.People, func(s *Subtotal) Num { return s.People }),
		pick(g.Computed.Employed, func(s *Subtotal) Num { return s.Employed })
}

// RegionGroup is a region's group with its categories, in plan order.
type RegionGroup struct {
	ProjectGroup
	Categories []ProjectGroup
}

// ProjectTable is the project table as a filter shows it: the rows it keeps, grouped by region
// and category in the order the plan first lists them, each group with its figures.
type ProjectTable struct {
	Filter  ProjectFilter
	Total   ProjectGroup
	Regions []RegionGroup
	// Options are the values each filter can take in the plan, in plan order.
	Options struct{ Regions, Categories, LeadUnits, Natures []string }

	// groups finds a group by its subtotal key (see Group).
	groups map[groupKey]*ProjectGroup
}

type groupKey struct {
	level    Level
	region   string
	category string
	number   int
}

func keyOf(level Level, region, category string, number int) groupKey {
	switch level {
	case LevelTotal:
		return groupKey{level: level}
	case LevelRegion:
		return groupKey{level: level, region: region}
	}
	return groupKey{level, region, category, number}
}

// Group finds the group a subtotal row sums (by level, region, category and number), or an
// empty group when no row shown falls in it.
func (t *ProjectTable) Group(st Subtotal) ProjectGroup {
	if st.Level == LevelTotal {
		return t.Total
	}
	if g := t.groups[keyOf(st.Level, st.Region, st.Category, st.CategoryNumber)]; g != nil {
		return *g
	}
	return ProjectGroup{Level: st.Level, Region: st.Region, Category: st.Category, CategoryNumber: st.CategoryNumber}
}

// Rows counts the projects shown.
func (t *ProjectTable) Rows() int { return len(t.Total.Projects) }

// Rollup lays out the project table as the filter shows it. Money, people and employed people
// are sums of the rows shown. Villages follow CombineVillages: a category's from its rows, a
// region's from its categories, the 合计 from the regions. A group shown whole takes the figures
// its document states (Stated); a group the filter cuts has only the computed ones. It runs in
// time linear in the rows and subtotal rows, however hostile the document.
func Rollup(plan *Plan, f ProjectFilter) ProjectTable {
	t := ProjectTable{Filter: f, Total: ProjectGroup{Level: LevelTotal}, groups: map[groupKey]*ProjectGroup{}}
	// How many rows of the whole plan each group has, to tell a group shown whole.
	all := map[groupKey]int{}
	seen := map[string]bool{}
	option := func(list *[]string, kind, v string) {
		if v != "" && !seen[kind+"\x00"+v] {
			seen[kind+"\x00"+v] = true
			*list = append(*list, v)
		}
	}
	regionIndex := map[string]int{}
	type catAt struct{ region, cat int }
	catIndex := map[groupKey]catAt{}
	for _, p := range plan.Projects {
		rk, ck := keyOf(LevelRegion, p.Region, "", 0), keyOf(LevelCategory, p.Region, p.Category, p.CategoryNumber)
		all[keyOf(LevelTotal, "", "", 0)]++
		all[rk]++
		all[ck]++
		option(&t.Options.Regions, "r", p.Region)
		option(&t.Options.Categories, "c", p.Category)
		option(&t.Options.LeadUnits, "l", p.LeadUnit)
		option(&t.Options.Natures, "n", p.Nature)
		if !f.Match(p) {
			continue
		}
		ri, ok := regionIndex[p.Region]
		if !ok {
			ri = len(t.Regions)
			regionIndex[p.Region] = ri
			t.Regions = append(t.Regions, RegionGroup{ProjectGroup: ProjectGroup{Level: LevelRegion, Region: p.Region}})
		}
		reg := &t.Regions[ri]
		at, ok := catIndex[ck]
		if !ok {
			at = catAt{ri, len(reg.Categories)}
			catIndex[ck] = at
			reg.Categories = append(reg.Categories, ProjectGroup{Level: LevelCategory, Region: p.Region, Category: p.Category, CategoryNumber: p.CategoryNumber})
		}
		c := &reg.Categories[at.cat]
		for _, g := range []*ProjectGroup{&t.Total, &reg.ProjectGroup, c} {
			g.Projects = append(g.Projects, p)
			g.Computed.TotalInvestment.add(p.TotalInvestment)
			g.Computed.DistrictFund.add(p.DistrictFund)
			g.Computed.People.add(p.People)
			g.Computed.Employed.add(p.Employed)
		}
	}
	stated := indexStated(plan.Subtotals)
	whole := func(g *ProjectGroup) {
		g.Whole = len(g.Projects) == all[keyOf(g.Level, g.Region, g.Category, g.CategoryNumber)]
		if g.Whole {
			g.Stated = stated.find(g)
		}
		if g.Level != LevelTotal {
			t.groups[keyOf(g.Level, g.Region, g.Category, g.CategoryNumber)] = g
		}
	}
	regionVillages := make([]Villages, 0, len(t.Regions))
	for i := range t.Regions {
		reg := &t.Regions[i]
		catVillages := make([]Villages, 0, len(reg.Categories))
		for j := range reg.Categories {
			c := &reg.Categories[j]
			c.Computed.Villages = RowsVillages(c.Projects)
			whole(c)
			catVillages = append(catVillages, c.Villages())
		}
		reg.Computed.Villages = CombineVillages(catVillages, false)
		whole(&reg.ProjectGroup)
		regionVillages = append(regionVillages, reg.Villages())
	}
	t.Total.Computed.Villages = CombineVillages(regionVillages, true)
	whole(&t.Total)
	if len(plan.Projects) == 0 {
		t.Total.Whole = false // an empty plan has no group to state
		t.Total.Stated = nil
	}
	return t
}

// statedIndex finds the document's subtotal rows by the group they sum.
type statedIndex struct {
	byKey  map[groupKey]*Subtotal
	byName map[[2]string]*Subtotal // category rows by region and name, for a number one side lacks
}

func indexStated(ss []Subtotal) statedIndex {
	x := statedIndex{byKey: map[groupKey]*Subtotal{}, byName: map[[2]string]*Subtotal{}}
	for i := range ss {
		s := &ss[i]
		k := keyOf(s.Level, s.Region, s.Category, s.CategoryNumber)
		x.byKey[k] = s // a group stated twice: the last row holds
		if s.Level == LevelCategory && s.Category != "" && x.byName[[2]string{s.Region, s.Category}] == nil {
			x.byName[[2]string{s.Region, s.Category}] = s
		}
	}
	return x
}

func (x statedIndex) find(g *ProjectGroup) *Subtotal {
	if s := x.byKey[keyOf(g.Level, g.Region, g.Category, g.CategoryNumber)]; s != nil {
		return s
	}
	if g.Level == LevelCategory && g.Category != "" {
		// The number may be missing on one side (a reader that did not see it); the name decides.
		return x.byName[[2]string{g.Region, g.Category}]
	}
	return nil
}

// StatedShown is the document's subtotal rows of the groups shown whole: a filtered download
// keeps them, and computes the others from its rows.
func (t *ProjectTable) StatedShown() []Subtotal {
	var out []Subtotal
	add := func(g *ProjectGroup) {
		if g.Stated != nil {
			out = append(out, *g.Stated)
		}
	}
	add(&t.Total)
	for i := range t.Regions {
		add(&t.Regions[i].ProjectGroup)
		for j := range t.Regions[i].Categories {
			add(&t.Regions[i].Categories[j])
		}
	}
	return out
}
