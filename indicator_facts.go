package xiezuo

import (
	"slices"
	"strings"
	"time"
)

// The facts a formula aggregates, built once per ScoreData from its register entries,
// projects, transactions and results, and kept by source (and, for a team, unit or region,
// bucketed once) so that every indicator, group and date reads lists, not the whole data.

// fv is a fact's value of a field: text (choices, dates as YYYY-MM-DD) and a number (integers,
// amounts in fen, dates as YYYYMMDD). ok false: not reported.
type fv struct {
	s     string
	n     int64
	ok    bool
	today bool // a literal "today": the evaluation's last day
}

// fact is one register entry, project, transaction or result, with its values in the order of
// its source's fields.
type fact struct {
	// Where it comes from, for its EvidenceRef (made only for the facts a row cites):
	// 'e' d.Entries[idx], 'f' d.Funds of project idx, transaction sub; 'p' project idx;
	// 'r' project idx, result kind rkind; 'l' placement idx of scoreState.placements.
	origin             byte
	idx, sub           int
	rkind              ResultKind
	on                 Date // dated facts: the date the period is tested on (a project: its start)
	from, to           Date // personnel: the time in post, tested for overlap with the period
	unit, region, team string
	vals               []fv
	mark               int // the citeSet that last took it (dedupe without a map)
}

// groupSel restricts facts to a work team, unit or region; the zero value is the district.
type groupSel struct {
	dim  string // "", "team", "unit" or "region"
	name string
}

type bucketKey struct {
	src, dim string
	at       Date // projects and results depend on the date; zero for the others
}

// scoreState holds the facts of one ScoreData.
type scoreState struct {
	d       *ScoreData
	canon   map[string]string // unit name or alias → canonical name
	base    map[string][]*fact
	dated   map[bucketKey][]*fact // projects and results by day
	ptmpl   [][]fv                // each project's values that do not depend on the day
	buckets map[bucketKey]map[string][]*fact
	prior   *scoreState
	byKind  map[RegisterKind][]int // entry indexes by register, made on first use
	// placements are d.Placements as they stood at d.At (PlacementsAt), made on first use.
	placements    []Placement
	placementsSet bool
	marks         int // citeSets made, for their numbers
}

func newScoreState(d *ScoreData) *scoreState {
	s := &scoreState{d: d, canon: map[string]string{}, base: map[string][]*fact{}, dated: map[bucketKey][]*fact{}, buckets: map[bucketKey]map[string][]*fact{}}
	if d.Plan != nil {
		for _, u := range d.Plan.Units {
			s.canon[u.Name] = u.Name
			for _, a := range u.Aliases {
				s.canon[a] = u.Name
			}
		}
	}
	if d.Prior != nil && d.Prior.Plan != nil {
		s.prior = newScoreState(d.Prior)
	}
	return s
}

func (s *scoreState) unitName(u string) string {
	if c, ok := s.canon[u]; ok {
		return c
	}
	return u
}

// entryTitleKeys are the fields that name an entry in a list of evidence, first found wins.
var entryTitleKeys = []string{"title", "name", "course", "village", "donor", "ours", "problem", "leaders"}

// entryTitle names a register entry in a list of evidence so that it is told from the others:
// its name (the first of entryTitleKeys filled, else its register's title), then its region,
// its period (a register counted by period) and its unit when the name does not say them:
// 区委书记 · 甲县 · 区教委, 消费帮扶采购 · 2021-H1 · 区教委.
func entryTitle(e *RegisterEntry) string {
	spec, _ := RegisterSpecOf(e.Kind)
	name := spec.Title
	for _, k := range entryTitleKeys {
		if v := e.Values[k]; v != "" {
			name = v
			break
		}
	}
	if r := []rune(name); len(r) > 40 {
		name = string(r[:40]) + "…"
	}
	parts := []string{name}
	add := func(v string) {
		if v != "" && !strings.Contains(name, v) && !slices.Contains(parts, v) {
			parts = append(parts, v)
		}
	}
	add(e.Region)
	for _, f := range spec.Fields {
		if f.Key == spec.DateKey && f.Kind == FieldPeriod {
			add(e.Values[f.Key])
		}
	}
	add(e.Unit)
	return strings.Join(parts, " · ")
}

// baseOf are a register's or the transactions' facts, built on first use: a scorecard whose
// formulas never name a source never reads its entries.
func (s *scoreState) baseOf(name string) []*fact {
	if list, ok := s.base[name]; ok {
		return list
	}
	if s.byKind == nil {
		s.byKind = map[RegisterKind][]int{}
		for i := range s.d.Entries {
			s.byKind[s.d.Entries[i].Kind] = append(s.byKind[s.d.Entries[i].Kind], i)
		}
	}
	var list []*fact
	if name == SourceFunds {
		list = s.fundFacts()
	} else {
		list = s.entryFacts(RegisterKind(name))
	}
	s.base[name] = list
	return list
}

func (s *scoreState) entryFacts(kind RegisterKind) []*fact {
	src, ok := formulaSource(string(kind))
	if !ok {
		return nil
	}
	idx := s.byKind[kind]
	out := make([]*fact, 0, len(idx))
	n := len(src.Fields)
	facts := make([]fact, len(idx))
	block := make([]fv, len(idx)*n)
	for k, i := range idx {
		e := &s.d.Entries[i]
		f := &facts[k]
		*f = fact{on: e.On, unit: s.unitName(e.Unit), region: e.Region, team: e.Team, vals: block[k*n : (k+1)*n : (k+1)*n]}
		f.origin, f.idx = 'e', i
		for j, x := range src.extract {
			switch x.how {
			case takeDay:
				f.vals[j] = fv{n: dateNum(e.On), ok: !e.On.IsZero()}
			case takeUnit:
				f.vals[j] = fv{s: f.unit, ok: f.unit != ""}
			case takeRegion:
				f.vals[j] = fv{s: e.Region, ok: e.Region != ""}
			case takeTeam:
				f.vals[j] = fv{s: e.Team, ok: e.Team != ""}
			case takeOnTime:
				f.vals[j] = fv{s: yes(rectifiedOnTime(e)), ok: true}
			case takeSum:
				var sum int64
				rep := false
				for _, k := range x.sum {
					if n, ok := parseInt(e.Values[k]); ok {
						sum += n
						rep = true
					}
				}
				f.vals[j] = fv{n: sum, ok: rep}
			default:
				v, ok := e.Values[x.key]
				f.vals[j] = typedValue(x.kind, v, ok && v != "")
			}
		}
		if e.Kind == RegPersonnel {
			f.from, _ = parseDay(e.Values["from"])
			f.to, _ = parseDay(e.Values["to"])
			if l, ok := parseDay(e.Values["left"]); ok && (f.to.IsZero() || after(f.to, l)) {
				f.to = l
			}
		}
		out = append(out, f)
	}
	return out
}

func (s *scoreState) fundFacts() []*fact {
	var out []*fact
	if s.d.Plan == nil {
		return nil
	}
	src, _ := formulaSource(SourceFunds)
	for i := range s.d.Plan.Projects {
		p := &s.d.Plan.Projects[i]
		unit := s.unitName(p.LeadUnit)
		for k, t := range s.d.Funds[p.ID] {
			f := &fact{origin: 'f', idx: i, sub: k, on: t.On, unit: unit, region: p.Region, vals: make([]fv, len(src.Fields))}
			for j, fd := range src.Fields {
				switch fd.Key {
				case "kind":
					f.vals[j] = fv{s: string(t.Kind), ok: true}
				case "source":
					f.vals[j] = fv{s: string(t.Source), ok: t.Source != ""}
				case "amount":
					f.vals[j] = fv{n: t.Amount, ok: true}
				case "date":
					f.vals[j] = fv{n: dateNum(t.On), ok: true}
				case "region":
					f.vals[j] = fv{s: p.Region, ok: p.Region != ""}
				case "category":
					f.vals[j] = fv{s: p.Category, ok: p.Category != ""}
				case "unit":
					f.vals[j] = fv{s: f.unit, ok: f.unit != ""}
				}
			}
			out = append(out, f)
		}
	}
	return out
}

// rectifiedOnTime: a problem marked rectified (or under standing measures) with a completion
// date no later than its deadline.
func rectifiedOnTime(e *RegisterEntry) bool {
	if e.Values["status"] == "整改中" {
		return false
	}
	done, ok1 := parseDay(e.Values["done"])
	dl, ok2 := parseDay(e.Values["deadline"])
	return ok1 && ok2 && !after(done, dl)
}

func derived(spec RegisterSpec, key string) (DerivedField, bool) {
	for _, d := range spec.Derived {
		if d.Key == key {
			return d, true
		}
	}
	return DerivedField{}, false
}

// typedValue reads a stored register value as its kind.
func typedValue(k FieldKind, s string, ok bool) fv {
	if !ok {
		return fv{}
	}
	switch k {
	case FieldInt, FieldAmount:
		n, ok := parseInt(s)
		return fv{n: n, ok: ok}
	case FieldDate:
		d, ok := parseDay(s)
		return fv{n: dateNum(d), ok: ok}
	}
	return fv{s: s, ok: true}
}

func yes(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// datedFacts are the projects or the results as of day at, built on first use. Two days with
// the same steps (results) dated by them give the same facts: they are made once.
func (s *scoreState) datedFacts(src string, at Date) []*fact {
	key := bucketKey{src: src, at: at}
	if list, ok := s.dated[key]; ok {
		return list
	}
	var list []*fact
	if src == LabourSource {
		list = s.placementFacts(at)
		s.dated[key] = list
		return list
	}
	if s.d.Plan != nil {
		n := dateNum(at)
		by := 0
		if src == SourceProjects {
			for _, st := range s.d.Steps {
				for i := range st {
					if dateNum(st[i].On) <= n {
						by++
					}
				}
			}
		} else {
			for _, rs := range s.d.Results {
				for i := range rs {
					if dateNum(rs[i].On) <= n {
						by++
					}
				}
			}
		}
		same := bucketKey{src: src, dim: "facts dated by", at: Date{Year: by}}
		var ok bool
		if list, ok = s.dated[same]; !ok {
			if src == SourceProjects {
				list = s.projectFacts(at)
			} else {
				list = s.resultFacts(at)
			}
			s.dated[same] = list
		}
	}
	s.dated[key] = list
	return list
}

// projectTemplates are each project's values that do not depend on the date, made once.
func (s *scoreState) projectTemplates() [][]fv {
	if s.ptmpl != nil {
		return s.ptmpl
	}
	psrc, _ := formulaSource(SourceProjects)
	n := len(psrc.Fields)
	block := make([]fv, len(s.d.Plan.Projects)*n)
	s.ptmpl = make([][]fv, len(s.d.Plan.Projects))
	set := func(vals []fv, key string, v fv) { vals[psrc.index[key]] = v }
	for i := range s.d.Plan.Projects {
		p := &s.d.Plan.Projects[i]
		vals := block[i*n : (i+1)*n : (i+1)*n]
		unit := s.unitName(p.LeadUnit)
		var planned Date
		if !p.Period.Finish.IsZero() {
			planned = lastOfMonth(p.Period.Finish)
		}
		set(vals, "region", fv{s: p.Region, ok: p.Region != ""})
		set(vals, "category", fv{s: p.Category, ok: p.Category != ""})
		set(vals, "nature", fv{s: p.Nature, ok: p.Nature != ""})
		set(vals, "lead", fv{s: unit, ok: unit != ""})
		set(vals, "unit", fv{s: unit, ok: unit != ""})
		set(vals, "planned_finish", fv{n: dateNum(planned), ok: !planned.IsZero()})
		set(vals, "villages", fv{n: p.Villages.V, ok: p.Villages.Valid})
		set(vals, "people", fv{n: p.People.V, ok: p.People.Valid})
		set(vals, "employed", fv{n: p.Employed.V, ok: p.Employed.Valid})
		s.ptmpl[i] = vals
	}
	return s.ptmpl
}

func (s *scoreState) projectFacts(at Date) []*fact {
	psrc, _ := formulaSource(SourceProjects)
	tmpl := s.projectTemplates()
	n := len(psrc.Fields)
	ps := s.d.Plan.Projects
	facts := make([]fact, len(ps))
	block := make([]fv, len(ps)*n)
	out := make([]*fact, len(ps))
	ix := psrc.index
	for i := range ps {
		p0 := &ps[i]
		steps := s.d.Steps[p0.ID]
		fund, investment := p0.DistrictFund, p0.TotalInvestment
		if len(steps) > 0 {
			p := AdjustedProject(*p0, steps, at)
			fund, investment = p.DistrictFund, p.TotalInvestment
		}
		status := StatusAt(steps, at)
		started := firstStepBy(steps, StepStart, at)
		completed := firstStepBy(steps, StepComplete, at)
		planned := tmpl[i][ix["planned_finish"]]
		isStarted := !started.IsZero() && status != StatusCancelled
		isCompleted := !completed.IsZero() && status != StatusCancelled
		onTime := isCompleted && planned.ok && dateNum(completed) <= planned.n
		vals := block[i*n : (i+1)*n : (i+1)*n]
		copy(vals, tmpl[i])
		vals[ix["status"]] = fv{s: string(status), ok: true}
		vals[ix["started"]] = fv{s: yes(isStarted), ok: true}
		vals[ix["completed"]] = fv{s: yes(isCompleted), ok: true}
		vals[ix["finished_on_time"]] = fv{s: yes(onTime), ok: true}
		vals[ix["fund"]] = fv{n: fund.V, ok: fund.Valid}
		vals[ix["investment"]] = fv{n: investment.V, ok: investment.Valid}
		vals[ix["date"]] = fv{n: dateNum(started), ok: !started.IsZero()}
		f := &facts[i]
		*f = fact{origin: 'p', idx: i, on: started, unit: vals[ix["unit"]].s, region: p0.Region, vals: vals}
		out[i] = f
	}
	return out
}

var resultKinds = []ResultKind{ResultVillages, ResultPeople, ResultPoorEmployed, ResultJobs}

func (s *scoreState) resultFacts(at Date) []*fact {
	rsrc, _ := formulaSource(SourceResults)
	var out []*fact
	for i := range s.d.Plan.Projects {
		p := &s.d.Plan.Projects[i]
		rs := s.d.Results[p.ID]
		if len(rs) == 0 {
			continue
		}
		unit := s.unitName(p.LeadUnit)
		latest := ResultsAt(rs, at)
		for _, k := range resultKinds {
			n, ok := latest[k]
			if !ok {
				continue
			}
			var on Date
			for _, r := range rs {
				if r.Kind == k && !after(r.On, at) && !after(on, r.On) {
					on = r.On
				}
			}
			rf := &fact{origin: 'r', idx: i, rkind: k, on: on, unit: unit, region: p.Region, vals: make([]fv, len(rsrc.Fields))}
			for j, fd := range rsrc.Fields {
				switch fd.Key {
				case "kind":
					rf.vals[j] = fv{s: string(k), ok: true}
				case "value":
					rf.vals[j] = fv{n: n.V, ok: n.Valid}
				case "region":
					rf.vals[j] = fv{s: p.Region, ok: p.Region != ""}
				case "category":
					rf.vals[j] = fv{s: p.Category, ok: p.Category != ""}
				case "unit":
					rf.vals[j] = fv{s: unit, ok: unit != ""}
				case "date":
					rf.vals[j] = fv{n: dateNum(on), ok: !on.IsZero()}
				}
			}
			out = append(out, rf)
		}
	}
	return out
}

// firstStepBy is the day of the first step of kind k dated by d; zero when none.
func firstStepBy(steps []ProjectStep, k StepKind, d Date) Date {
	var out Date
	for _, s := range steps {
		if s.Kind == k && !after(s.On, d) && (out.IsZero() || after(out, s.On)) {
			out = s.On
		}
	}
	return out
}

// factsOf are a source's facts (as of at for projects and results), of a group when asked.
func (s *scoreState) factsOf(src string, at Date, g groupSel) []*fact {
	var list []*fact
	dated := src == SourceProjects || src == SourceResults || src == LabourSource
	if dated {
		list = s.datedFacts(src, at)
	} else {
		list = s.baseOf(src)
		at = Date{}
	}
	if g.dim == "" {
		return list
	}
	key := bucketKey{src, g.dim, at}
	b, ok := s.buckets[key]
	if !ok {
		b = map[string][]*fact{}
		for _, f := range list {
			var name string
			switch g.dim {
			case "team":
				name = f.team
			case "unit":
				name = f.unit
			case "region":
				name = f.region
			}
			if name != "" {
				b[name] = append(b[name], f)
			}
		}
		s.buckets[key] = b
	}
	return b[g.name]
}

// evalCtx is one evaluation of a formula: the facts of a state, a period, a group.
type evalCtx struct {
	s        *scoreState
	from, at Date // the period counted: [from, at]
	g        groupSel
	cites    *citeSet // nil: evidence is not collected
}

func (e *evalCtx) facts(src string) []*fact { return e.s.factsOf(src, e.at, e.g) }

// inPeriod says whether a fact counts in the period: a register entry or a transaction when
// its date lies in it; a seconded person when the time in post (from to the earlier of 期满
// and 实际离岗, open-ended when neither is known) overlaps it at all, so a cadre in post from
// 2020 to 2022 counts in 2021 and one who left in 2020 does not; a placement likewise when it
// started by the period's end and had not ended before its first day; projects and results
// always (they are taken as of the period's end).
func (e *evalCtx) inPeriod(src string, f *fact) bool {
	switch src {
	case SourceProjects, SourceResults:
		return true
	case LabourSource:
		// A placement counts in a period when it started by the period's end and had not
		// ended before the period began.
		return !after(f.on, e.at) && (f.to.IsZero() || !after(e.from, f.to))
	case string(RegPersonnel):
		from := f.from
		if from.IsZero() {
			from = f.on
		}
		if after(from, e.at) {
			return false
		}
		return f.to.IsZero() || !after(e.from, f.to)
	}
	return !after(e.from, f.on) && !after(f.on, e.at)
}

// resolve turns the literal today into the evaluation's last day.
func (e *evalCtx) resolve(v fv) fv {
	if v.today {
		return fv{n: dateNum(e.at), ok: true}
	}
	return v
}

func (e *evalCtx) cite(f *fact) {
	if e.cites != nil {
		e.cites.add(f)
	}
}

// citeSet collects the facts a value counts, each once, in the order counted. Each set has a
// number of its own (scoreState.marks); a fact remembers the last set that took it.
type citeSet struct {
	facts []*fact
	id    int
}

func (s *scoreState) newCites() *citeSet {
	s.marks++
	return &citeSet{id: s.marks}
}

func (c *citeSet) add(f *fact) {
	if f.mark == c.id {
		return
	}
	f.mark = c.id
	c.facts = append(c.facts, f)
}

// refs are the evidence of the first ScoreEvidenceCap facts, and how many more there are.
func (c *citeSet) refs(s *scoreState) ([]EvidenceRef, int) {
	n := min(len(c.facts), ScoreEvidenceCap)
	out := make([]EvidenceRef, n)
	for i, f := range c.facts[:n] {
		out[i] = s.refOf(f)
	}
	return out, len(c.facts) - n
}

// refOf is a fact's evidence: what it is, its id, a title and its date.
func (s *scoreState) refOf(f *fact) EvidenceRef {
	switch f.origin {
	case 'e':
		e := &s.d.Entries[f.idx]
		id := e.Entry
		if id == 0 {
			id = e.ID
		}
		title := entryTitle(e)
		return EvidenceRef{Kind: string(e.Kind), ID: id, Title: title, On: dayText(e.On)}
	case 'f':
		p := &s.d.Plan.Projects[f.idx]
		t := s.d.Funds[p.ID][f.sub]
		return EvidenceRef{Kind: "fund", ID: t.ID, Title: p.Name + " " + t.Kind.Text() + " " + FormatWan(t.Amount) + "万元", On: dayText(t.On)}
	case 'r':
		p := &s.d.Plan.Projects[f.idx]
		return EvidenceRef{Kind: "project", ID: p.ID, Title: p.Name + " " + f.rkind.Label(), On: dayText(f.on)}
	case 'l':
		p := &s.placements[f.idx]
		return EvidenceRef{Kind: "placement", ID: p.ID, Title: placementTitle(p), On: dayText(p.Start), Person: p.PersonID}
	}
	p := &s.d.Plan.Projects[f.idx]
	return EvidenceRef{Kind: "project", ID: p.ID, Title: p.Name, On: dayText(f.on)}
}

// sourcesHave reports whether every source of a formula fills a pseudo-field.
func sourcesHave(f *Formula, dim string) bool {
	for _, name := range f.Sources {
		s, _ := formulaSource(name)
		switch dim {
		case "region":
			if !s.HasRegion {
				return false
			}
		case "team":
			if !s.HasTeam {
				return false
			}
		}
	}
	return len(f.Sources) > 0
}

// after reports whether a is later than b (the zero Date is earliest), without formatting.
func after(a, b Date) bool { return dateNum(a) > dateNum(b) }

// dayText writes YYYY-MM-DD ("" for the zero Date) without fmt, for the many evidence dates.
func dayText(d Date) string {
	if d.IsZero() {
		return ""
	}
	if d.Year < 1000 || d.Year > 9999 {
		return d.String()
	}
	b := make([]byte, 10)
	y, m, dd := d.Year, int(d.Month), d.Day
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4], b[5], b[6], b[7] = '-', byte('0'+m/10), byte('0'+m%10), '-'
	b[8], b[9] = byte('0'+dd/10), byte('0'+dd%10)
	return string(b)
}

// parseInt reads a stored integer (an amount in fen) without allocating.
func parseInt(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseDay reads a stored YYYY-MM-DD date without allocating; false when it is not one.
func parseDay(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	y, ok1 := parseInt(s[:4])
	m, ok2 := parseInt(s[5:7])
	d, ok3 := parseInt(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	day := Date{int(y), time.Month(m), int(d)}
	if NewDate(day.Year, day.Month, day.Day) != day {
		return Date{}, false
	}
	return day, true
}

// currentPlacements are the placements as they stood at the data's moment, made once.
func (s *scoreState) currentPlacements() []Placement {
	if !s.placementsSet {
		s.placements = PlacementsAt(s.d.Placements, s.d.At)
		s.placementsSet = true
	}
	return s.placements
}

// placementFacts are the placements current at the data's moment with their values as of day
// at (stable and months depend on it): one fact per placement, dated by its start, in post
// from its start to its end for the period's test.
func (s *scoreState) placementFacts(at Date) []*fact {
	ps := s.currentPlacements()
	src, _ := formulaSource(LabourSource)
	n := len(src.Fields)
	facts := make([]fact, len(ps))
	block := make([]fv, len(ps)*n)
	out := make([]*fact, len(ps))
	for i := range ps {
		p := &ps[i]
		f := &facts[i]
		*f = fact{origin: 'l', idx: i, on: p.Start, from: p.Start, to: p.End, region: p.Region, vals: block[i*n : (i+1)*n : (i+1)*n]}
		kind := placementKindOf(*p)
		for j, fd := range src.Fields {
			switch fd.Key {
			case "region":
				f.vals[j] = fv{s: p.Region, ok: p.Region != ""}
			case "poor":
				f.vals[j] = fv{s: placementFlag(*p, PoorLifted), ok: true}
			case "watched":
				f.vals[j] = fv{s: placementFlag(*p, PoorWatched), ok: true}
			case "kind":
				f.vals[j] = fv{s: kind, ok: kind != ""}
			case "local":
				f.vals[j] = fv{s: yes(kind == PlaceLocal), ok: kind != ""}
			case "stable":
				f.vals[j] = fv{s: yes(p.StableAt(at)), ok: true}
			case "months":
				f.vals[j] = fv{n: int64(p.MonthsAt(at)), ok: !p.Start.IsZero()}
			case "source":
				f.vals[j] = fv{s: p.Source, ok: p.Source != ""}
			case "start", "date":
				f.vals[j] = fv{n: dateNum(p.Start), ok: !p.Start.IsZero()}
			case "end":
				f.vals[j] = fv{n: dateNum(p.End), ok: !p.End.IsZero()}
			case "person":
				f.vals[j] = fv{n: p.PersonID, ok: p.PersonID != 0}
			case "employer":
				f.vals[j] = fv{s: p.Employer, ok: p.Employer != ""}
			}
		}
		out[i] = f
	}
	return out
}

// placementTitle names a placement in a list of evidence: the person's masked name, the
// employer and the start (张* · 北京某物业公司 · 2021-10-01).
func placementTitle(p *Placement) string {
	parts := make([]string, 0, 3)
	for _, v := range []string{p.Name, p.Employer, dayText(p.Start)} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return "就业"
	}
	return strings.Join(parts, " · ")
}
