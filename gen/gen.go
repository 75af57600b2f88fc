// Package gen makes realistic synthetic plans of Beijing districts' support-cooperation offices:
// the notice, work points with their responsible units, work teams, the task list and the
// project table with its subtotals, in Chinese as offices write them. Benchmarks and load tests
// use it for plans of any size; every plan it makes passes the checker's rules (subtotals
// consistent, district fund within total investment, months 1–12).
//
// A plan is a function of its Options: the same seed gives the same plan with the same Go
// release (math/rand/v2's PCG stream is fixed; the way its methods draw from it could change).
package gen

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// Options say which plan to make. A zero count takes the size of the 2021 plan of Mentougou
// District (19 work points, 10 work teams, 17 tasks, 3 partner regions, 16 projects); a
// negative count means none. A zero Year is 2021; an empty District is drawn from Districts.
type Options struct {
	Seed     int64
	District string
	Year     int
	Regions  int // partner regions: one per county of the catalogue at most (73 in 2021, 55 later)
	Projects int // projects in all: at least one and at most 99,999 (five-digit 序号) per region
	Points   int // work points, at most 999 (three-digit numbers)
	Tasks    int // rows of the task list
	Teams    int // work teams, at most 16
}

// maxPoints and maxPerRegion are the largest numbers the reader takes for a work point and a
// project's 序号.
const (
	maxPoints    = 999
	maxPerRegion = 99_999
)

// normalize fills defaults and clamps the counts to what the document's numbering allows.
func (o Options) normalize(r *rand.Rand) Options {
	count := func(n, def, most int) int {
		switch {
		case n == 0:
			n = def
		case n < 0:
			n = 0
		}
		return min(n, most)
	}
	if o.Year == 0 {
		o.Year = 2021
	}
	if o.District == "" {
		o.District = Districts[r.IntN(len(Districts))]
	}
	o.Points = count(o.Points, 19, maxPoints)
	o.Teams = count(o.Teams, 10, len(teamTemplates))
	o.Tasks = count(o.Tasks, 17, 1<<30)
	o.Projects = count(o.Projects, 16, 1<<30)
	o.Regions = count(o.Regions, 3, countyCount(o.Year))
	if o.Projects == 0 {
		o.Regions = 0
	}
	o.Regions = min(o.Regions, o.Projects)
	o.Projects = min(o.Projects, o.Regions*maxPerRegion)
	return o
}

func countyCount(year int) int {
	n := 0
	for _, g := range regionGroups {
		if g.until == 0 || year <= g.until {
			n += len(g.counties)
		}
	}
	return n
}

// Plan makes the plan the options describe.
func Plan(o Options) *xiezuo.Plan {
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0x78697a756f)) // "xizuo"
	o = o.normalize(r)
	g := &generator{r: r, o: o, short: strings.TrimSuffix(o.District, "区")}
	p := &xiezuo.Plan{
		Year:     o.Year,
		District: o.District,
		Title:    fmt.Sprintf("%d年%s支援合作工作要点", o.Year, o.District),
		Office:   o.District + "扶贫协作和支援合作工作领导小组办公室",
	}
	p.IssuedOn = xiezuo.NewDate(o.Year, time.Month(3+r.IntN(4)), 1+r.IntN(28))
	p.Notice = strings.Join([]string{
		"各领导小组成员单位、前方挂职干部：",
		fmt.Sprintf("经第%d次区委常委会议审议通过，现将《%s》转发给你们，请结合实际抓好落实，确保%d年各项工作任务高质量完成。",
			100+r.IntN(120), p.Title, o.Year),
	}, "\n")
	g.regions(p)
	g.points(p)
	g.teams(p)
	g.tasks(p)
	g.projects(p)
	p.Units = unitsOf(p)
	return p
}

// generator holds what the parts of one plan share.
type generator struct {
	r     *rand.Rand
	o     Options
	short string // district without 区: 门头沟
	regs  []*region
}

// region is a partner region with the places its projects are named after.
type region struct {
	xiezuo.PartnerRegion
	county   string
	style    *placeStyle
	towns    []string
	villages []string // its poor villages (脱贫村); a project's villages are indexes into it
}

// level is the last character of the county's name, what its people call it: 县, 区, 市, 旗.
func (reg *region) level() string {
	rs := []rune(reg.county)
	return string(rs[len(rs)-1])
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

// between returns a number in [lo, hi].
func (g *generator) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

// regions draws the partner regions: first an East-West county, then a paired-assistance one,
// then a water-diversion one, as Beijing's districts have them, then any others.
func (g *generator) regions(p *xiezuo.Plan) {
	type cand struct {
		g      *regionGroup
		county string
	}
	var first, rest [][]cand // first: one list per relation in the usual order
	order := []string{xiezuo.RelationEastWest, xiezuo.RelationPaired, xiezuo.RelationWaterDiversion}
	first = make([][]cand, len(order))
	for i := range regionGroups {
		rg := &regionGroups[i]
		if rg.until != 0 && g.o.Year > rg.until {
			continue
		}
		for _, c := range rg.counties {
			k := slices.Index(order, rg.relation)
			if k >= 0 {
				first[k] = append(first[k], cand{rg, c})
			} else {
				rest = append(rest, []cand{{rg, c}})
			}
		}
	}
	var pool []cand
	for _, l := range first {
		g.r.Shuffle(len(l), func(i, j int) { l[i], l[j] = l[j], l[i] })
	}
	// One of each relation first, then the others shuffled.
	var others []cand
	for _, l := range first {
		if len(l) > 0 {
			pool = append(pool, l[0])
			others = append(others, l[1:]...)
		}
	}
	for _, l := range rest {
		others = append(others, l...)
	}
	g.r.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	pool = append(pool, others...)
	for _, c := range pool[:g.o.Regions] {
		reg := &region{
			PartnerRegion: xiezuo.PartnerRegion{Name: c.g.prefix + c.county, Relation: c.g.relation},
			county:        c.county,
			style:         c.g.style,
		}
		towns := slices.Clone(c.g.style.towns)
		g.r.Shuffle(len(towns), func(i, j int) { towns[i], towns[j] = towns[j], towns[i] })
		reg.towns = towns[:g.between(4, len(towns))]
		var names []string
		for _, pre := range c.g.style.prefixes {
			for _, suf := range c.g.style.suffixes {
				names = append(names, pre+suf)
			}
		}
		g.r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
		reg.villages = names[:min(len(names), g.between(15, 140))]
		g.regs = append(g.regs, reg)
		p.Regions = append(p.Regions, reg.PartnerRegion)
	}
}

// regionsSentence names every partner region after its relation, the way the 2021 plan does
// (统筹安排东西部协作内蒙古武川县、对口支援西藏拉萨堆龙德庆区和南水北调对口协作神农架林区帮扶资金),
// so that a reader can tell each region's relation from the words just before its name.
func (g *generator) regionsSentence() string {
	if len(g.regs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("统筹安排")
	for i, reg := range g.regs {
		switch {
		case i == 0:
		case i == len(g.regs)-1:
			b.WriteString("和")
		default:
			b.WriteString("、")
		}
		b.WriteString(reg.Relation + reg.Name)
	}
	b.WriteString("帮扶资金。")
	return b.String()
}

func (g *generator) hasRelation(rel string) bool {
	for _, reg := range g.regs {
		if reg.Relation == rel {
			return true
		}
	}
	return false
}

// responsibilities writes a list of responsible units: the template's, some cooperating ones
// left out now and then, some written by another name. The first named leads.
func (g *generator) responsibilities(units []string, open, vary bool) ([]xiezuo.Responsibility, bool) {
	var rs []xiezuo.Responsibility
	for i, name := range units {
		if name == zgc {
			if g.o.District != "门头沟区" {
				continue
			}
			name = "中关村门头沟园服务中心"
		}
		if vary && i > 0 && len(units) > 3 && g.r.IntN(8) == 0 {
			continue
		}
		written := name
		if a, ok := aliases[name]; ok && g.r.IntN(6) == 0 {
			written = a
		}
		u, _ := xiezuo.LookupUnit(written)
		if slices.ContainsFunc(rs, func(r xiezuo.Responsibility) bool { return r.Unit == u.Name }) {
			continue
		}
		role := xiezuo.RoleCooperating
		if len(rs) == 0 {
			role = xiezuo.RoleLead
		}
		rs = append(rs, xiezuo.Responsibility{Unit: u.Name, Written: written, Role: role})
	}
	return rs, open
}

// points writes the work points in up to six sections.
func (g *generator) points(p *xiezuo.Plan) {
	n := g.o.Points
	if n == 0 {
		// Without work points the notice is the only prose that can name the regions'
		// relations.
		if rs := g.regionsSentence(); rs != "" {
			p.Notice += "\n本年度" + rs
		}
		return
	}
	nsec := min(n, len(sections))
	for s := range nsec {
		title := sections[s]
		if s == 2 && !g.hasRelation(xiezuo.RelationWaterDiversion) {
			title = sectionThreeWithoutWater
		}
		p.Sections = append(p.Sections, xiezuo.Section{Number: s + 1, Title: title})
	}
	bySection := make([][]pointTemplate, len(sections))
	for _, t := range pointTemplates {
		bySection[t.section-1] = append(bySection[t.section-1], t)
	}
	// Share the points out among the sections as the templates are, the first getting more.
	per := make([]int, nsec)
	for i := range n {
		per[i%nsec]++
	}
	// Rebalance towards the sections with more templates: sections 1 and 2 hold most points.
	if nsec == len(sections) && n >= 19 {
		extra := n - 19
		per = []int{5 + extra/2, 7 + extra - extra/2, 1, 2, 2, 2}
	}
	regionsSaid := false
	number := 0
	for s, k := range per {
		pool := bySection[s]
		for j := range k {
			t := pool[j%len(pool)]
			number++
			body := make([]string, 0, len(t.body)+1)
			dropped := false
			for _, sentence := range t.body {
				switch {
				case sentence == regionsMark:
					if rs := g.regionsSentence(); rs != "" && !regionsSaid {
						body = append(body, rs)
						regionsSaid = true
					}
				case len(t.body) > 2 && !dropped && g.r.IntN(5) == 0:
					// leave a sentence out now and then
					dropped = true
				default:
					body = append(body, strings.ReplaceAll(sentence, "{d}", g.short))
				}
			}
			if j >= len(pool) && len(g.regs) > 0 {
				reg := g.regs[(j-len(pool))%len(g.regs)]
				body = append(body, "重点做好与"+reg.Name+"的相关工作。")
			}
			title := t.title
			if s == 2 && j == 0 && !g.hasRelation(xiezuo.RelationWaterDiversion) {
				title = "巩固拓展对口支援工作成果"
			}
			text := title + "。" + strings.Join(body, "")
			units, open := g.responsibilities(t.units, t.open || g.r.IntN(6) == 0, true)
			p.Points = append(p.Points, xiezuo.WorkPoint{
				Number:    number,
				Section:   s + 1,
				Title:     title,
				Text:      text,
				Units:     units,
				UnitsOpen: open,
			})
		}
	}
	if !regionsSaid && len(g.regs) > 0 {
		wp := &p.Points[0]
		wp.Text += g.regionsSentence()
	}
}

// teams writes the work teams of 附件1.
func (g *generator) teams(p *xiezuo.Plan) {
	for i, t := range teamTemplates[:g.o.Teams] {
		rs, _ := g.responsibilities(t.leads, false, false)
		team := xiezuo.WorkTeam{Number: i + 1, Name: t.name, Note: t.note}
		for _, r := range rs {
			team.Leads = append(team.Leads, r.Unit)
		}
		p.Teams = append(p.Teams, team)
	}
}

// tasks writes the task list of 附件2: the year's tasks, then tasks for each partner region.
func (g *generator) tasks(p *xiezuo.Plan) {
	prev := strconv.Itoa(g.o.Year - 1)
	for i := range g.o.Tasks {
		var t taskTemplate
		county := ""
		if i < len(taskTemplates) {
			t = taskTemplates[i]
		} else {
			k := i - len(taskTemplates)
			t = regionTaskTemplates[k%len(regionTaskTemplates)]
			if len(g.regs) > 0 {
				county = g.regs[(k/len(regionTaskTemplates))%len(g.regs)].county
			} else {
				county = "协作地区"
			}
		}
		fill := strings.NewReplacer("{prev}", prev, "{county}", county).Replace
		task := xiezuo.Task{Number: i + 1, WorkItem: t.item, Category: fill(t.category)}
		var content []string
		for k, req := range t.reqs {
			text := fill(req)
			task.Requirements = append(task.Requirements, xiezuo.Requirement{Number: k + 1, Text: text})
			if len(t.reqs) > 1 {
				text = strconv.Itoa(k+1) + ". " + text
			}
			content = append(content, text)
		}
		task.Content = strings.Join(content, " ")
		task.Units, task.UnitsOpen = g.responsibilities(t.units, t.open, true)
		d, ok := xiezuo.ParseDeadline(t.deadline, g.o.Year)
		if !ok {
			panic("gen: bad deadline " + t.deadline)
		}
		task.Deadline = d
		p.Tasks = append(p.Tasks, task)
	}
}

// villageSet is a set of a region's villages by index.
type villageSet []uint64

func newVillageSet(n int) villageSet { return make(villageSet, (n+63)/64) }

func (s villageSet) add(i int) { s[i/64] |= 1 << (i % 64) }

func (s villageSet) union(o villageSet) {
	for i := range s {
		s[i] |= o[i]
	}
}

func (s villageSet) count() int64 {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return int64(n)
}

// projects writes the project table of 附件3: projects shared out among the regions, each
// region's grouped by category, with a subtotal row for every region and category and a total
// row when there is more than one region.
func (g *generator) projects(p *xiezuo.Plan) {
	if len(g.regs) == 0 {
		return
	}
	// Share the projects out: the first region (the East-West partner) gets the most.
	counts := make([]int, len(g.regs))
	for i := range counts {
		counts[i] = 1
	}
	weights := make([]int, len(g.regs))
	total := 0
	for i := range weights {
		weights[i] = 2 + g.r.IntN(4)
		if i == 0 {
			weights[i] += 4
		}
		total += weights[i]
	}
	for range g.o.Projects - len(g.regs) {
		x, i := g.r.IntN(total), 0
		for ; x >= weights[i]; i++ {
			x -= weights[i]
		}
		for counts[i] >= maxPerRegion {
			i = (i + 1) % len(counts)
		}
		counts[i]++
	}
	var (
		subtotals []xiezuo.Subtotal
		all       xiezuo.Subtotal
	)
	all.Level = xiezuo.LevelTotal
	for ri, reg := range g.regs {
		cats := g.drawCategories(counts[ri])
		rs := xiezuo.Subtotal{Level: xiezuo.LevelRegion, Region: reg.Name, Count: xiezuo.Known(int64(counts[ri]))}
		rs.Label = fmt.Sprintf("%s(%d个)", reg.Name, counts[ri])
		zero(&rs)
		regionVillages := newVillageSet(len(reg.villages))
		names := map[string]bool{}
		number := 0
		var rows []xiezuo.Subtotal
		catNumber := 0
		for ci := range categories {
			if cats[ci] == 0 {
				continue
			}
			c := &categories[ci]
			catNumber++
			cs := xiezuo.Subtotal{
				Level: xiezuo.LevelCategory, Region: reg.Name, Category: c.name, CategoryNumber: catNumber,
				Count: xiezuo.Known(int64(cats[ci])),
				Label: fmt.Sprintf("%d.%s(%d个)", catNumber, c.name, cats[ci]),
			}
			zero(&cs)
			catVillages := newVillageSet(len(reg.villages))
			for range cats[ci] {
				number++
				pr, vs := g.project(reg, c, names)
				pr.Number, pr.CategoryNumber = number, catNumber
				catVillages.union(vs)
				addTo(&cs, pr)
				p.Projects = append(p.Projects, pr)
			}
			cs.Villages = xiezuo.Known(catVillages.count())
			regionVillages.union(catVillages)
			rows = append(rows, cs)
		}
		for _, cs := range rows {
			addSub(&rs, cs)
		}
		rs.Villages = xiezuo.Known(regionVillages.count())
		addSub(&all, rs)
		// Regions share no village: the total's villages are the sum of the regions'.
		all.Villages = xiezuo.Known(all.Villages.V + rs.Villages.V)
		subtotals = append(subtotals, rs)
		subtotals = append(subtotals, rows...)
	}
	if len(g.regs) > 1 {
		all.Count = xiezuo.Known(int64(len(p.Projects)))
		all.Label = fmt.Sprintf("合计(%d个)", len(p.Projects))
		subtotals = append([]xiezuo.Subtotal{all}, subtotals...)
	}
	p.Subtotals = subtotals
}

func zero(s *xiezuo.Subtotal) {
	s.TotalInvestment, s.DistrictFund = xiezuo.Known(0), xiezuo.Known(0)
	s.Villages, s.People, s.Employed = xiezuo.Known(0), xiezuo.Known(0), xiezuo.Known(0)
}

func addTo(s *xiezuo.Subtotal, pr xiezuo.Project) {
	s.TotalInvestment.V += pr.TotalInvestment.V
	s.DistrictFund.V += pr.DistrictFund.V
	s.People.V += pr.People.V
	s.Employed.V += pr.Employed.V
}

func addSub(s *xiezuo.Subtotal, c xiezuo.Subtotal) {
	s.TotalInvestment = xiezuo.Known(s.TotalInvestment.V + c.TotalInvestment.V)
	s.DistrictFund = xiezuo.Known(s.DistrictFund.V + c.DistrictFund.V)
	s.People = xiezuo.Known(s.People.V + c.People.V)
	s.Employed = xiezuo.Known(s.Employed.V + c.Employed.V)
	if !s.Villages.Valid {
		s.Villages = xiezuo.Known(0)
	}
}

// drawCategories shares n projects among the categories by weight; industry comes first.
func (g *generator) drawCategories(n int) []int {
	counts := make([]int, len(categories))
	total := 0
	for _, c := range categories {
		total += c.weight
	}
	for range n {
		x := g.r.IntN(total)
		for i, c := range categories {
			if x < c.weight {
				counts[i]++
				break
			}
			x -= c.weight
		}
	}
	return counts
}

// wan draws an amount of money in [lo, hi] 万元, written with no, one or two decimals, in fen.
func (g *generator) wan(lo, hi int) int64 {
	whole := int64(g.between(lo, hi))
	fen := whole * xiezuo.FenPerWan
	switch x := g.r.IntN(10); {
	case x < 3 && whole < int64(hi):
		fen += int64(1+g.r.IntN(9)) * xiezuo.FenPerWan / 10
	case x < 5 && whole < int64(hi):
		fen += int64(1+g.r.IntN(99)) * xiezuo.FenPerWan / 100
	}
	return fen
}

// project draws one project of category c in region reg, with a name not yet in names, and
// returns it with the set of villages it benefits.
func (g *generator) project(reg *region, c *category, names map[string]bool) (xiezuo.Project, villageSet) {
	s := &c.subjects[g.r.IntN(len(c.subjects))]
	nv := len(reg.villages)
	vi := g.r.IntN(nv)
	town := reg.towns[vi%len(reg.towns)]
	village := reg.villages[vi]
	item := ""
	if len(s.items) > 0 {
		item = g.pick(s.items)
	}
	// Villages reached: one (and now and then its neighbours), some of a township, or many of
	// the county's: a county-wide programme often reaches every poor village.
	vs := newVillageSet(nv)
	var k int
	switch s.scope {
	case scopeVillage:
		k = 1
		if g.r.IntN(5) == 0 {
			k = g.between(2, 4)
		}
	case scopeTown:
		k = g.between(2, min(12, nv))
	default:
		k = nv
		if g.r.IntN(3) == 0 {
			k = g.between(nv/3, nv)
		}
	}
	k = min(max(k, 1), nv)
	vs.add(vi)
	for _, j := range g.r.Perm(nv)[:k] {
		if vs.count() >= int64(k) {
			break
		}
		vs.add(j)
	}
	people := g.between(c.people[0], c.people[1])
	if s.scope == scopeCounty && g.r.IntN(2) == 0 {
		people = g.between(c.people[0], c.people[1]*2)
	}
	employed := people * g.between(c.employed[0], c.employed[1]) / 100
	fund := g.wan(c.fund[0], c.fund[1])
	total := fund
	if g.r.IntN(10) < 3 {
		// Co-funded by the county or a firm.
		total += g.wan(1, c.fund[1])
	}
	subj := strings.ReplaceAll(s.name, "{item}", item)
	var name string
	for try := 0; ; try++ {
		switch {
		case try == 0 && s.scope == scopeVillage:
			name = reg.county + town + village + subj + "项目"
		case try == 0 && s.scope == scopeTown:
			name = reg.county + town + subj + "项目"
		case try == 0:
			name = reg.county + subj + "项目"
		case try == 1:
			name = fmt.Sprintf("%s%d年%s项目", reg.county, g.o.Year, subj)
		case try == 2 && s.scope != scopeCounty:
			name = reg.county + town + village + subj + "项目"
		default:
			name = fmt.Sprintf("%s%s%s项目（%s期）", reg.county, town, subj, chineseOrdinal(try))
		}
		if !names[name] {
			break
		}
	}
	names[name] = true
	fill := strings.NewReplacer(
		"{county}", reg.county, "{level}", reg.level(), "{town}", town, "{village}", village, "{item}", item,
		"{people}", strconv.Itoa(people), "{employed}", strconv.Itoa(employed),
		"{n}", strconv.Itoa(g.between(2, 200)),
	).Replace
	start := g.between(3, 9)
	if g.r.IntN(3) > 0 {
		start = g.between(5, 6)
	}
	finish := g.between(start+1, 12)
	if start == 12 {
		finish = 12
	}
	lead := g.pick(c.leads)
	if g.r.IntN(3) > 0 {
		lead = c.leads[0]
	}
	leadUnit, _ := xiezuo.LookupUnit(lead)
	implementer, managers := g.implementer(reg, c, town)
	nature := "新建"
	if g.r.IntN(5) == 0 {
		nature = "续建"
	}
	pr := xiezuo.Project{
		Region:          reg.Name,
		Category:        c.name,
		Name:            name,
		Nature:          nature,
		Content:         fill(s.content),
		TotalInvestment: xiezuo.Known(total),
		DistrictFund:    xiezuo.Known(fund),
		FundUse:         fill(s.use),
		Villages:        xiezuo.Known(vs.count()),
		People:          xiezuo.Known(int64(people)),
		Employed:        xiezuo.Known(int64(employed)),
		Implementer:     implementer,
		Managers:        managers,
		Period: xiezuo.Period{
			Text:   fmt.Sprintf("%d年%d月-%d年%d月", g.o.Year, start, g.o.Year, finish),
			Start:  xiezuo.YearMonth{Year: g.o.Year, Month: start},
			Finish: xiezuo.YearMonth{Year: g.o.Year, Month: finish},
		},
		Benefit:         fill(s.benefit),
		LeadUnit:        leadUnit.Name,
		LeadUnitWritten: lead,
	}
	return pr, vs
}

// implementer names the unit that carries a project out in the partner region and its persons
// in charge, masked as offices publish them: 王某某（书记）李某某（镇长）.
func (g *generator) implementer(reg *region, c *category, town string) (string, string) {
	person := func() string { return g.pick(reg.style.surnames) + "某某" }
	if c.implementer == "town" {
		head := "镇长"
		if strings.HasSuffix(town, "乡") {
			head = "乡长"
		}
		return town + "人民政府", person() + "（书记）" + person() + "（" + head + "）"
	}
	var bureau, title string
	switch c.implementer {
	case "bureau":
		switch g.r.IntN(3) {
		case 0:
			bureau, title = "教育局", "局长"
		case 1:
			bureau, title = "卫健委", "主任"
		default:
			bureau, title = "民政局", "局长"
		}
	default:
		bureau, title = c.implementer, c.title
	}
	// The title names the level of the county: 县人社局局长, 区卫健委主任, 旗残联理事长.
	return reg.county + bureau, person() + "（" + reg.level() + bureau + title + "）"
}

func chineseOrdinal(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n-10]
	case n < 100:
		return digits[n/10] + "十" + digits[n%10]
	}
	return strconv.Itoa(n)
}

// unitsOf lists every unit the plan names, in the order a reader of its document meets them:
// the work points', the work teams', the tasks', then the projects' lead units.
func unitsOf(p *xiezuo.Plan) []xiezuo.Unit {
	var units []xiezuo.Unit
	seen := map[string]bool{}
	add := func(written string) {
		u, _ := xiezuo.LookupUnit(written)
		if u.Name == "" || seen[u.Name] {
			return
		}
		seen[u.Name] = true
		units = append(units, u)
	}
	for _, wp := range p.Points {
		for _, r := range wp.Units {
			add(r.Written)
		}
	}
	for _, t := range p.Teams {
		for _, l := range t.Leads {
			add(l)
		}
	}
	for _, t := range p.Tasks {
		for _, r := range t.Units {
			add(r.Written)
		}
	}
	for _, pr := range p.Projects {
		add(pr.LeadUnitWritten)
	}
	return units
}
