package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/xlsx"
)

// The scorecard (考核): a plan year's indicators measured as of a day (xiezuo.Score over
// sqldb's IndicatorSet and ScoreData), on its page /scorecard (tabs by dimension, work team,
// unit and partner region), one indicator's page /scorecard/{code} with its evidence, the
// workbook (?format=xlsx) and the API. Who reads which rows is xiezuo.User.CanReadWholeScorecard
// with xiezuo.Scorecard.For: a unit's users read their unit's rows only.

// scoreLightClasses are the CSS classes of the scorecard's lights.
var scoreLightClasses = map[xiezuo.ScoreLight]string{
	xiezuo.ScoreGreen: "light-green", xiezuo.ScoreYellow: "light-yellow", xiezuo.ScoreRed: "light-red", xiezuo.ScoreGrey: "light-grey",
}

// scoreLightView is a light as the pages show it: its colour and its word.
type scoreLightView struct {
	Name, Class, Word string
}

// scoreLightOf is a row's light, its grey said as 未报送 or 未设目标 (IndicatorScore.LightWord).
func scoreLightOf(s xiezuo.IndicatorScore) scoreLightView {
	v := scoreLight(s.Light)
	v.Word = s.LightWord()
	return v
}

func scoreLight(l xiezuo.ScoreLight) scoreLightView {
	if l == "" {
		l = xiezuo.ScoreGrey
	}
	return scoreLightView{Name: string(l), Class: scoreLightClasses[l], Word: l.Word()}
}

// scorecardData is the page /scorecard.
type scorecardData struct {
	planData
	AsOf, Today string
	Past        bool
	By          xiezuo.ScoreBy
	Whole       bool   // the user reads every row; else its unit's only
	Unit        string // the user's unit, when it reads its rows only
	CanEdit     bool   // the user may edit the year's indicators (the district's office)
	Tabs        []scoreTab
	Summary     xiezuo.LightCounts
	Groups      []scoreGroupView
	XLSX        string // this grouping's workbook
	XLSXAll     string // every grouping's
}

// scoreTab is a tab of the groupings.
type scoreTab struct {
	Name, Href string
	Current    bool
}

// scoreGroupView is a heading of the scorecard with its rows.
type scoreGroupView struct {
	Name   string
	Counts xiezuo.LightCounts
	Rows   []scoreRowView
}

// scoreRowView is an indicator's row (or a part of one) as the pages show it.
type scoreRowView struct {
	Code, Name, Group   string
	Requirement, Clause string
	Value, Target       string
	Unknown             bool // nothing was reported: Value says 未报送
	Light               scoreLightView
	Trend, TrendArrow   string
	Missing             []string
	Parts               []scoreRowView
	Href                string // the indicator's page
	EvidenceHref        string // its evidence on that page
	Evidence            int    // how many facts it counts
}

// scoreRow is an indicator's row for the pages, its parts folded in.
func scoreRow(pd *planData, s xiezuo.IndicatorScore, f xiezuo.ScorecardFilter) scoreRowView {
	v := scoreRowView{
		Code: s.Indicator.Code, Name: s.Indicator.Name, Group: s.Group,
		Requirement: s.Indicator.Requirement, Clause: s.Indicator.ClauseText(),
		Value: s.ValueText(), Target: s.TargetText(), Unknown: s.Unreported(),
		Light: scoreLightOf(s), Trend: s.TrendText(), TrendArrow: s.TrendArrow(),
		Missing: s.Missing, Evidence: len(s.Evidence),
	}
	q := url.Values{}
	if !f.AsOf.IsZero() {
		q.Set("as_of", f.AsOf.String())
	}
	v.Href = "/scorecard/" + url.PathEscape(s.Indicator.Code) + pd.link(q)
	v.EvidenceHref = v.Href + "#evidence"
	for _, p := range s.PartRows() {
		pv := scoreRow(pd, p, f)
		pv.Name = p.Group
		v.Parts = append(v.Parts, pv)
	}
	return v
}

// scorecardView is the page of card as user u reads it, on the plan of pd, as asked by f (its
// day: today when zero).
func scorecardView(pd *planData, card xiezuo.Scorecard, f xiezuo.ScorecardFilter, today xiezuo.Date) scorecardData {
	d := scorecardData{planData: *pd, Today: today.String(), By: f.By}
	d.Title = "考核"
	d.AsOf, d.Past = today.String(), false
	if !f.AsOf.IsZero() && f.AsOf != today {
		d.AsOf, d.Past = f.AsOf.String(), true
	}
	u := pd.User
	d.Whole = u == nil || u.CanReadWholeScorecard()
	if !d.Whole {
		d.Unit = u.Unit
	}
	d.CanEdit = u != nil && u.Has(xiezuo.RoleOffice) && u.CanWriteDistrict(pd.District)
	card = card.For(u)
	for _, b := range xiezuo.ScoreBys {
		if !d.Whole && b != xiezuo.ByUnit {
			continue
		}
		tf := f
		tf.By = b
		d.Tabs = append(d.Tabs, scoreTab{Name: b.Name(), Href: "/scorecard" + pd.link(tf.Values()), Current: b == f.By})
	}
	d.Summary = card.Counts()
	for _, g := range card.Groups {
		gv := scoreGroupView{Name: g.Name, Counts: g.Counts()}
		for _, r := range g.Rows {
			gv.Rows = append(gv.Rows, scoreRow(pd, r, f))
		}
		d.Groups = append(d.Groups, gv)
	}
	x := f.Values()
	x.Set("format", "xlsx")
	d.XLSX = "/scorecard" + pd.link(x)
	if d.Whole {
		x.Set("sheets", "all")
		d.XLSXAll = "/scorecard" + pd.link(x)
	}
	return d
}

// scoreDay is the day f asks for: today when it asks none.
func (s *Server) scoreDay(f xiezuo.ScorecardFilter) xiezuo.Date {
	if f.AsOf.IsZero() {
		return xiezuo.DayOf(s.today())
	}
	return f.AsOf
}

// scorecardOf measures the plan year's indicators as they stood at the end of day (now, for
// today), grouped by by.
func (s *Server) scorecardOf(r *http.Request, district string, year int, day xiezuo.Date, by xiezuo.ScoreBy) (xiezuo.Scorecard, error) {
	ctx := r.Context()
	at := xiezuo.EndOfDay(day)
	if now := s.cfg.Now(); now.Before(at) {
		at = now
	}
	set, err := s.db.IndicatorSet(ctx, district, year, at)
	if err != nil {
		return xiezuo.Scorecard{}, err
	}
	data, err := s.db.ScoreData(ctx, district, year, at)
	if err != nil {
		return xiezuo.Scorecard{}, err
	}
	if data.Plan == nil {
		return xiezuo.Scorecard{District: district, Year: year, AsOf: day, By: by}, nil
	}
	return xiezuo.Score(set, data, day, by), nil
}

// scorecardFilter reads the request's filter, as the user may ask it.
func (s *Server) scorecardFilter(r *http.Request) (xiezuo.ScorecardFilter, error) {
	f, err := xiezuo.ParseScorecardFilter(r.URL.Query(), xiezuo.DayOf(s.today()))
	if err != nil {
		return f, err
	}
	return f.For(currentUser(r)), nil
}

// scorecardPage shows the scorecard as of ?as_of=, grouped by ?by=, or sends it as a workbook
// (?format=xlsx; &sheets=all for every grouping).
func (s *Server) scorecardPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "scorecard", "考核")
	if pd == nil {
		return
	}
	f, err := s.scorecardFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	day := s.scoreDay(f)
	if r.URL.Query().Get("format") == "xlsx" {
		s.scorecardWorkbook(w, r, pd, f, day)
		return
	}
	card, err := s.scorecardOf(r, pd.District, pd.Year, day, f.By)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "scorecard", scorecardView(pd, card, f, xiezuo.DayOf(s.today())))
}

// scorecardWorkbook sends the scorecard as a workbook: the grouping asked, or every grouping
// with &sheets=all (those who read the whole scorecard), and the sheet 佐证.
func (s *Server) scorecardWorkbook(w http.ResponseWriter, r *http.Request, pd *planData, f xiezuo.ScorecardFilter, day xiezuo.Date) {
	u := currentUser(r)
	bys := []xiezuo.ScoreBy{f.By}
	if r.URL.Query().Get("sheets") == "all" && u.CanReadWholeScorecard() {
		bys = xiezuo.ScoreBys
	}
	var cards []xiezuo.Scorecard
	for _, by := range bys {
		c, err := s.scorecardOf(r, pd.District, pd.Year, day, by)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cards = append(cards, c.For(u))
	}
	var buf bytes.Buffer
	href := func(e xiezuo.EvidenceRef) string { return planHref(evidenceHref(e), pd.Year, pd.District) }
	if err := xlsx.WriteScorecard(&buf, href, cards...); err != nil {
		s.serverError(w, r, err)
		return
	}
	name := strconv.Itoa(pd.Year) + "年" + pd.District + "考核指标（截至" + day.String() + "）.xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Write(buf.Bytes())
}

// evidenceHref is the page of an evidence item's fact, without the plan's query: a register
// entry's (/registers/{kind}/{id}), a project's or the project of a money entry
// (/projects/{id}), the duty a report was written on (/duties/{id}); "" when it has none.
func evidenceHref(e xiezuo.EvidenceRef) string {
	id := strconv.FormatInt(e.ID, 10)
	switch e.Kind {
	case "project":
		return "/projects/" + id
	case "fund":
		if e.Project != 0 {
			return "/projects/" + strconv.FormatInt(e.Project, 10)
		}
		return ""
	case "placement":
		if e.Person != 0 {
			return "/labour/people/" + strconv.FormatInt(e.Person, 10)
		}
		return ""
	case "report":
		if e.Duty != "" {
			return "/duties/" + url.PathEscape(e.Duty)
		}
		return ""
	}
	if _, ok := xiezuo.RegisterSpecOf(xiezuo.RegisterKind(e.Kind)); ok {
		return "/registers/" + e.Kind + "/" + id
	}
	return ""
}

// planHref is the page path h with the query of the plan of year and district (a fact's page
// reads the plan it belongs to, so that a link of 2021 still opens once a 2022 plan exists);
// "" for "".
func planHref(h string, year int, district string) string {
	if h == "" {
		return ""
	}
	return h + "?" + url.Values{"year": {strconv.Itoa(year)}, "district": {district}}.Encode()
}

// scoreEvidenceView is an evidence item as the indicator's page lists it.
type scoreEvidenceView struct {
	Kind, Title, On, Href string
}

// indicatorScoreData is the page /scorecard/{code}.
type indicatorScoreData struct {
	planData
	AsOf, Today string
	Past        bool
	Indicator   xiezuo.Indicator
	Row         scoreRowView
	Period      string
	MissingRule string
	Per         string
	Units       string
	Evidence    []scoreEvidenceView
	Back        string
	// ShowFormula: the reader edits the indicators (the office), who alone reads the formula;
	// the others read the requirement and the evidence asked for.
	ShowFormula bool
}

// indicatorScoreView is the page of one indicator's score s.
func indicatorScoreView(pd *planData, s xiezuo.IndicatorScore, f xiezuo.ScorecardFilter, today xiezuo.Date) indicatorScoreData {
	in := s.Indicator
	d := indicatorScoreData{planData: *pd, Today: today.String(), AsOf: today.String(), Indicator: in,
		Row: scoreRow(pd, s, f), Period: in.PeriodText(pd.Year), MissingRule: in.MissingRuleText(),
		Per: in.PerText(), Units: strings.Join(in.Units, "、")}
	if !f.AsOf.IsZero() && f.AsOf != today {
		d.AsOf, d.Past = f.AsOf.String(), true
	}
	d.Title = "考核指标：" + in.Name
	d.ShowFormula = pd.User != nil && pd.User.Has(xiezuo.RoleOffice)
	if d.Units == "" {
		d.Units = "未写明"
	}
	for _, e := range s.Evidence {
		ev := scoreEvidenceView{Kind: e.KindName(), Title: e.Title, On: e.On}
		if h := evidenceHref(e); h != "" {
			ev.Href = h + pd.q()
		}
		d.Evidence = append(d.Evidence, ev)
	}
	back := f
	back.By = ""
	d.Back = "/scorecard" + pd.link(back.Values()) + "#" + in.Code
	return d
}

// indicatorScorePage shows one indicator as of ?as_of=: its requirement, formula, period,
// responsible units, value, target and light, its parts and its evidence.
func (s *Server) indicatorScorePage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "scorecard", "考核")
	if pd == nil {
		return
	}
	f, err := xiezuo.ParseScorecardFilter(r.URL.Query(), xiezuo.DayOf(s.today()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	card, err := s.scorecardOf(r, pd.District, pd.Year, s.scoreDay(f), xiezuo.ByDimension)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	find := func(c xiezuo.Scorecard) (xiezuo.IndicatorScore, bool) {
		for _, g := range c.Groups {
			for _, row := range g.Rows {
				if row.Indicator.Code == code {
					return row, true
				}
			}
		}
		return xiezuo.IndicatorScore{}, false
	}
	if _, ok := find(card); !ok {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年没有编号为“%s”的考核指标", pd.Year, code))
		return
	}
	row, ok := find(card.For(pd.User))
	if !ok {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EFORBIDDEN, "只能查看本单位（%s）负责的考核指标", pd.User.Unit))
		return
	}
	s.render(w, r, http.StatusOK, "scorecard_one", indicatorScoreView(pd, row, f, xiezuo.DayOf(s.today())))
}

// apiScore is an indicator's row of the API's scorecard: DESIGN.md's contract (id, name,
// dimension, target, value, light, evidence) and what the page shows beside them.
type apiScore struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Dimension string   `json:"dimension"`
	Target    *float64 `json:"target"`
	Value     *float64 `json:"value"`
	Light     string   `json:"light"`
	// LightWord is the light in words as the page says it, telling a grey 未报送 from 未设目标.
	LightWord string             `json:"light_word"`
	Evidence  []apiScoreEvidence `json:"evidence"`
	Group     string             `json:"group,omitempty"`
	Unit      string             `json:"unit"`
	// PartTarget and PartUnit: a Per indicator's district row counts groups (value: the groups
	// that met their target, target: the groups measured, unit 个); each group's own target is
	// part_target in part_unit (30 and "%": 每个单位不少于 30%). Absent on any other row.
	PartTarget  *float64       `json:"part_target,omitempty"`
	PartUnit    string         `json:"part_unit,omitempty"`
	Due         string         `json:"due"`
	Trend       *float64       `json:"trend"`
	Missing     []string       `json:"missing"`
	Requirement string         `json:"requirement"`
	Parts       []apiScorePart `json:"parts"`
}

// apiScorePart is a Per indicator's value for one team, unit or region.
type apiScorePart struct {
	Group  string   `json:"group"`
	Target *float64 `json:"target"`
	Value  *float64 `json:"value"`
	Unit   string   `json:"unit"`
	Light  string   `json:"light"`
	// LightWord as the indicator's.
	LightWord string   `json:"light_word"`
	Missing   []string `json:"missing"`
}

// apiScoreEvidence is a fact an indicator counts, with the path of its page.
type apiScoreEvidence struct {
	Kind  string `json:"kind"`
	ID    int64  `json:"id"`
	Title string `json:"title"`
	On    string `json:"on"`
	URL   string `json:"url"`
}

// measurePtr is a figure as the API writes it: rounded to 4 decimals (as Measure's JSON), nil
// when unknown.
func measurePtr(m xiezuo.Measure) *float64 {
	m = m.Rounded(4)
	if !m.Valid {
		return nil
	}
	v := m.V
	return &v
}

func lightName(l xiezuo.ScoreLight) string {
	if l == "" {
		return string(xiezuo.ScoreGrey)
	}
	return string(l)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// scorecardJSON is the API's answer for card; an evidence url carries the plan's year and
// district.
func scorecardJSON(card xiezuo.Scorecard) map[string][]apiScore {
	out := []apiScore{}
	for _, g := range card.Groups {
		for _, r := range g.Rows {
			a := apiScore{ID: r.Indicator.Code, Name: r.Indicator.Name, Dimension: r.Indicator.Dimension,
				Target: measurePtr(r.Target), Value: measurePtr(r.Value), Light: lightName(r.Light), LightWord: r.LightWord(),
				Evidence: []apiScoreEvidence{}, Group: r.Group, Unit: r.Unit(), Due: r.Indicator.Due,
				Trend: measurePtr(r.Trend), Missing: orEmpty(r.Missing), Requirement: r.Indicator.Requirement,
				Parts: []apiScorePart{}}
			if r.IsPerRow() {
				a.PartTarget, a.PartUnit = measurePtr(r.PartTarget()), r.Indicator.Unit
			}
			if card.By != xiezuo.ByDimension && a.Group == "" {
				a.Group = g.Name
			}
			for _, e := range r.Evidence {
				a.Evidence = append(a.Evidence, apiScoreEvidence{Kind: e.Kind, ID: e.ID, Title: e.Title, On: e.On, URL: planHref(evidenceHref(e), card.Year, card.District)})
			}
			for _, p := range r.Parts {
				a.Parts = append(a.Parts, apiScorePart{Group: p.Group, Target: measurePtr(p.Target), Value: measurePtr(p.Value), Unit: r.Indicator.Unit,
					Light: lightName(p.Light), LightWord: p.LightWord(), Missing: orEmpty(p.Missing)})
			}
			out = append(out, a)
		}
	}
	return map[string][]apiScore{"indicators": out}
}

// apiScorecard answers GET /api/v1/plans/{district}/{year}/scorecard[?as_of=][&by=]: the
// scorecard as the page shows it to the caller (a unit's token: its unit's rows, by unit); a
// bad by or as_of is 422 naming the parameter.
func (s *Server) apiScorecard(w http.ResponseWriter, r *http.Request) {
	p := s.apiPlan(w, r)
	if p == nil {
		return
	}
	f, err := s.scorecardFilter(r)
	if err != nil {
		if xiezuo.ErrorCode(err) == xiezuo.EINVALID {
			writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	card, err := s.scorecardOf(r, p.District, p.Year, s.scoreDay(f), f.By)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, scorecardJSON(card.For(currentUser(r))))
}
