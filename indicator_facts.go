package xiezuo

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
	ref                EvidenceRef
	on                 Date // dated facts: the date the period is tested on
	from, to           Date // personnel: the time in post, tested for overlap with the period
	unit, region, team string
	vals               []fv
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
	dated   map[Date]map[string][]*fact
	buckets map[bucketKey]map[string][]*fact
	prior   *scoreState
}

func newScoreState(d *ScoreData) *scoreState {
	s := &scoreState{d: d, canon: map[string]string{}, dated: map[Date]map[string][]*fact{}, buckets: map[bucketKey]map[string][]*fact{}}
	if d.Plan != nil {
		for _, u := range d.Plan.Units {
			s.canon[u.Name] = u.Name
			for _, a := range u.Aliases {
				s.canon[a] = u.Name
			}
		}
	}
	s.buildBase()
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

func (s *scoreState) buildBase() {
	s.base = map[string][]*fact{}
	for i := range s.d.Entries {
		e := &s.d.Entries[i]
		src, ok := formulaSource(string(e.Kind))
		if !ok {
			continue
		}
		spec, _ := RegisterSpecOf(e.Kind)
		f := &fact{on: e.On, unit: s.unitName(e.Unit), region: e.Region, team: e.Team, vals: make([]fv, len(src.Fields))}
		id := e.Entry
		if id == 0 {
			id = e.ID
		}
		title := spec.Title
		for _, k := range entryTitleKeys {
			if v := e.Values[k]; v != "" {
				title = v
				break
			}
		}
		if len([]rune(title)) > 60 {
			title = string([]rune(title)[:60]) + "…"
		}
		f.ref = EvidenceRef{Kind: string(e.Kind), ID: id, Title: title, On: e.On.String()}
		for j, fd := range src.Fields {
			switch fd.Key {
			case "date":
				if _, own := spec.Field("date"); !own {
					f.vals[j] = fv{s: e.On.String(), n: dateNum(e.On), ok: !e.On.IsZero()}
					continue
				}
			case "unit":
				f.vals[j] = fv{s: f.unit, ok: f.unit != ""}
				continue
			case "region":
				f.vals[j] = fv{s: e.Region, ok: e.Region != ""}
				continue
			case "team":
				f.vals[j] = fv{s: e.Team, ok: e.Team != ""}
				continue
			}
			if e.Kind == RegProblem && fd.Key == "on_time" {
				f.vals[j] = fv{s: yes(rectifiedOnTime(e)), ok: true}
				continue
			}
			if d, ok := derived(spec, fd.Key); ok {
				var sum int64
				rep := false
				for _, k := range d.Sum {
					if n := e.Num(k); n.Valid {
						sum += n.V
						rep = true
					}
				}
				f.vals[j] = fv{n: sum, ok: rep}
				continue
			}
			f.vals[j] = typedValue(fd.Kind, e.Values[fd.Key], e.Values[fd.Key] != "")
		}
		if e.Kind == RegPersonnel {
			f.from, _ = ParseDate(e.Values["from"])
			f.to, _ = ParseDate(e.Values["to"])
			if l, err := ParseDate(e.Values["left"]); err == nil && (f.to.IsZero() || l.String() < f.to.String()) {
				f.to = l
			}
		}
		s.base[string(e.Kind)] = append(s.base[string(e.Kind)], f)
	}
	if s.d.Plan == nil {
		return
	}
	src, _ := formulaSource(SourceFunds)
	for i := range s.d.Plan.Projects {
		p := &s.d.Plan.Projects[i]
		for _, t := range s.d.Funds[p.ID] {
			f := &fact{on: t.On, unit: s.unitName(p.LeadUnit), region: p.Region, vals: make([]fv, len(src.Fields))}
			f.ref = EvidenceRef{Kind: "fund", ID: t.ID, Title: p.Name + " " + t.Kind.Text() + " " + FormatWan(t.Amount) + "万元", On: t.On.String()}
			for j, fd := range src.Fields {
				switch fd.Key {
				case "kind":
					f.vals[j] = fv{s: string(t.Kind), ok: true}
				case "source":
					f.vals[j] = fv{s: string(t.Source), ok: t.Source != ""}
				case "amount":
					f.vals[j] = fv{n: t.Amount, ok: true}
				case "date":
					f.vals[j] = fv{s: t.On.String(), n: dateNum(t.On), ok: true}
				case "region":
					f.vals[j] = fv{s: p.Region, ok: p.Region != ""}
				case "category":
					f.vals[j] = fv{s: p.Category, ok: p.Category != ""}
				case "unit":
					f.vals[j] = fv{s: f.unit, ok: f.unit != ""}
				}
			}
			s.base[SourceFunds] = append(s.base[SourceFunds], f)
		}
	}
}

// rectifiedOnTime: a problem marked rectified (or under standing measures) with a completion
// date no later than its deadline.
func rectifiedOnTime(e *RegisterEntry) bool {
	if e.Values["status"] == "整改中" {
		return false
	}
	done, err1 := ParseDate(e.Values["done"])
	dl, err2 := ParseDate(e.Values["deadline"])
	return err1 == nil && err2 == nil && !after(done, dl)
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
		n := (RegisterEntry{Values: map[string]string{"v": s}}).Num("v")
		return fv{n: n.V, ok: n.Valid}
	case FieldDate:
		d, err := ParseDate(s)
		if err != nil {
			return fv{}
		}
		return fv{s: d.String(), n: dateNum(d), ok: true}
	}
	return fv{s: s, ok: true}
}

func yes(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// datedFacts are the projects and results as of day at.
func (s *scoreState) datedFacts(at Date) map[string][]*fact {
	if m, ok := s.dated[at]; ok {
		return m
	}
	m := map[string][]*fact{}
	s.dated[at] = m
	if s.d.Plan == nil {
		return m
	}
	psrc, _ := formulaSource(SourceProjects)
	rsrc, _ := formulaSource(SourceResults)
	for i := range s.d.Plan.Projects {
		p0 := &s.d.Plan.Projects[i]
		steps := s.d.Steps[p0.ID]
		p := AdjustedProject(*p0, steps, at)
		status := StatusAt(steps, at)
		started := firstStepBy(steps, StepStart, at)
		completed := firstStepBy(steps, StepComplete, at)
		var planned Date
		if !p.Period.Finish.IsZero() {
			planned = lastOfMonth(p.Period.Finish)
		}
		isStarted := !started.IsZero() && status != StatusCancelled
		isCompleted := !completed.IsZero() && status != StatusCancelled
		onTime := isCompleted && !planned.IsZero() && completed.String() <= planned.String()
		unit := s.unitName(p.LeadUnit)
		f := &fact{unit: unit, region: p.Region, vals: make([]fv, len(psrc.Fields))}
		f.ref = EvidenceRef{Kind: "project", ID: p.ID, Title: p.Name, On: started.String()}
		for j, fd := range psrc.Fields {
			var v fv
			switch fd.Key {
			case "region":
				v = fv{s: p.Region, ok: p.Region != ""}
			case "category":
				v = fv{s: p.Category, ok: p.Category != ""}
			case "nature":
				v = fv{s: p.Nature, ok: p.Nature != ""}
			case "lead", "unit":
				v = fv{s: unit, ok: unit != ""}
			case "status":
				v = fv{s: string(status), ok: true}
			case "started":
				v = fv{s: yes(isStarted), ok: true}
			case "completed":
				v = fv{s: yes(isCompleted), ok: true}
			case "planned_finish":
				v = fv{s: planned.String(), n: dateNum(planned), ok: !planned.IsZero()}
			case "finished_on_time":
				v = fv{s: yes(onTime), ok: true}
			case "fund":
				v = fv{n: p.DistrictFund.V, ok: p.DistrictFund.Valid}
			case "investment":
				v = fv{n: p.TotalInvestment.V, ok: p.TotalInvestment.Valid}
			case "villages":
				v = fv{n: p.Villages.V, ok: p.Villages.Valid}
			case "people":
				v = fv{n: p.People.V, ok: p.People.Valid}
			case "employed":
				v = fv{n: p.Employed.V, ok: p.Employed.Valid}
			case "date":
				v = fv{s: started.String(), n: dateNum(started), ok: !started.IsZero()}
			}
			f.vals[j] = v
		}
		m[SourceProjects] = append(m[SourceProjects], f)
		rs := s.d.Results[p.ID]
		if len(rs) == 0 {
			continue
		}
		latest := ResultsAt(rs, at)
		for _, k := range []ResultKind{ResultVillages, ResultPeople, ResultPoorEmployed, ResultJobs} {
			n, ok := latest[k]
			if !ok {
				continue
			}
			var on Date
			for _, r := range rs {
				if r.Kind == k && r.On.String() <= at.String() && r.On.String() >= on.String() {
					on = r.On
				}
			}
			rf := &fact{unit: unit, region: p.Region, vals: make([]fv, len(rsrc.Fields))}
			rf.ref = EvidenceRef{Kind: "project", ID: p.ID, Title: p.Name + " " + k.Label(), On: on.String()}
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
					rf.vals[j] = fv{s: on.String(), n: dateNum(on), ok: !on.IsZero()}
				}
			}
			m[SourceResults] = append(m[SourceResults], rf)
		}
	}
	return m
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
	dated := src == SourceProjects || src == SourceResults
	if dated {
		list = s.datedFacts(at)[src]
	} else {
		list = s.base[src]
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
// 2020 to 2022 counts in 2021 and one who left in 2020 does not; projects and results always
// (they are taken as of the period's end).
func (e *evalCtx) inPeriod(src string, f *fact) bool {
	switch src {
	case SourceProjects, SourceResults:
		return true
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
		e.cites.add(f.ref)
	}
}

// citeSet collects the evidence of a value, each fact once.
type citeSet struct {
	refs []EvidenceRef
	seen map[EvidenceRef]bool
}

func (c *citeSet) add(r EvidenceRef) {
	if c.seen == nil {
		c.seen = map[EvidenceRef]bool{}
	}
	if c.seen[r] {
		return
	}
	c.seen[r] = true
	c.refs = append(c.refs, r)
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
