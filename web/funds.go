package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// Money of projects (资金台账): the ledger and form on the project page, the funds rollup page
// and its workbook, and the API. Every rule is at the root (xiezuo.CheckFundTx, FundsAt,
// RollupFunds); who records what is xiezuo.FundWriteRefusal (allocations are the office's).

// projectRef is a project found by its stored id, with its plan.
type projectRef struct {
	District string
	Year     int
	Plan     *xiezuo.Plan
	Project  *xiezuo.Project
}

// loadProject finds the project of the path's {id} in its stored plan: ENOTFOUND for a bad or
// unknown id, EFORBIDDEN when the user may not read its district.
func (s *Server) loadProject(r *http.Request) (projectRef, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return projectRef{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为“%s”的项目", r.PathValue("id"))
	}
	district, year, err := s.duties.get(r.Context(), s.db, xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: id})
	if err != nil {
		return projectRef{}, err
	}
	if u := currentUser(r); !u.CanReadDistrict(district) {
		return projectRef{}, xiezuo.Errorf(xiezuo.EFORBIDDEN, "%s", u.DistrictRefusal(district, "项目"))
	}
	p, _, err := s.plans.getVersion(r.Context(), district, year)
	if err != nil {
		return projectRef{}, err
	}
	i, found := p.ProjectIndex(id)
	if !found {
		return projectRef{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年%s的计划中没有编号为 %d 的项目", year, district, id)
	}
	return projectRef{district, year, p, &p.Projects[i]}, nil
}

// fundInput is a transaction as a form or the API sends it: the amount in yuan as a decimal
// string with at most two decimals, the date as YYYY-MM-DD.
type fundInput struct {
	Kind       string `json:"kind"`
	Source     string `json:"source"`
	AmountYuan string `json:"amount_yuan"`
	Date       string `json:"date"`
	Reverses   int64  `json:"reverses,omitempty"`
	Note       string `json:"note,omitempty"`
}

var yuanPattern = regexp.MustCompile(`^-?[0-9]{1,12}(\.[0-9]{1,2})?$`)

// maxFundNote bounds a transaction's note, in characters.
const maxFundNote = 500

// tx reads the input as a transaction of project; EINVALID names what is wrong.
func (in fundInput) tx(project int64) (xiezuo.FundTx, error) {
	t := xiezuo.FundTx{ProjectID: project, Kind: xiezuo.FundKind(strings.TrimSpace(in.Kind)),
		Source: xiezuo.FundSource(strings.TrimSpace(in.Source)), Reverses: in.Reverses, Note: strings.TrimSpace(in.Note)}
	amount := strings.ReplaceAll(strings.TrimSpace(in.AmountYuan), ",", "")
	if !yuanPattern.MatchString(amount) {
		return t, xiezuo.Errorf(xiezuo.EINVALID, "金额“%s”无效：应为以元为单位、最多两位小数的数字，如 12.34", in.AmountYuan)
	}
	t.Amount, _ = xiezuo.ParseDecimal(amount, xiezuo.FenPerYuan)
	d, err := xiezuo.ParseDate(strings.TrimSpace(in.Date))
	if err != nil {
		return t, xiezuo.Errorf(xiezuo.EINVALID, "日期“%s”无效，应如 2021-08-31", in.Date)
	}
	t.On = d
	if in.Reverses < 0 {
		return t, xiezuo.Errorf(xiezuo.EINVALID, "reverses（被冲销的记录编号）应为正整数")
	}
	if n := len([]rune(t.Note)); n > maxFundNote {
		return t, xiezuo.Errorf(xiezuo.EINVALID, "说明太长（%d 个字），最多 %d 个字", n, maxFundNote)
	}
	return t, nil
}

// normal is the input as an Idempotency-Key is bound to it: the amount in fen when it reads
// (12.3 and "12.30" alike), the rest as sent, trimmed.
func (in fundInput) normal() any {
	amount := strings.TrimSpace(in.AmountYuan)
	if v, ok := xiezuo.ParseDecimal(amount, xiezuo.FenPerYuan); ok && yuanPattern.MatchString(amount) {
		amount = strconv.FormatInt(v, 10)
	}
	return fundInput{strings.TrimSpace(in.Kind), strings.TrimSpace(in.Source), amount, strings.TrimSpace(in.Date), in.Reverses, strings.TrimSpace(in.Note)}
}

// apiFundTx is a transaction as the API answers it.
type apiFundTx struct {
	ID         int64  `json:"id"`
	ProjectID  int64  `json:"project_id"`
	Kind       string `json:"kind"`
	KindText   string `json:"kind_text"`
	Source     string `json:"source"`
	SourceText string `json:"source_text"`
	AmountYuan string `json:"amount_yuan"`
	Date       string `json:"date"`
	Reverses   *int64 `json:"reverses"`
	ReversedBy *int64 `json:"reversed_by,omitempty"` // in lists: the entry that reversed this one
	Note       string `json:"note"`
	By         string `json:"by"`
	At         string `json:"at"`
}

func apiFundTxOf(t xiezuo.FundTx) apiFundTx {
	out := apiFundTx{ID: t.ID, ProjectID: t.ProjectID, Kind: string(t.Kind), KindText: t.Kind.Text(), Source: string(t.Source),
		SourceText: t.Source.Text(), AmountYuan: yuanString(t.Amount), Date: t.On.String(), Note: t.Note, By: t.By, At: apiTime(t.At)}
	if t.Reverses != 0 {
		r := t.Reverses
		out.Reverses = &r
	}
	return out
}

// yuanString writes fen as yuan with two decimals: "12.30", "-5.00".
func yuanString(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// apiFundFigures are cumulative amounts as the API answers them.
type apiFundFigures struct {
	AllocatedYuan    string       `json:"allocated_yuan"`
	DisbursedYuan    string       `json:"disbursed_yuan"`
	SpentYuan        string       `json:"spent_yuan"`
	DisbursementRate xiezuo.Ratio `json:"disbursement_rate"` // 拨付率, 0–1; null when nothing was allocated
	SpendingRate     xiezuo.Ratio `json:"spending_rate"`     // 支出率, 0–1; null when nothing was disbursed
}

func apiFundFiguresOf(f xiezuo.FundFigures) apiFundFigures {
	return apiFundFigures{yuanString(f.Allocated), yuanString(f.Disbursed), yuanString(f.Spent), f.DisbursementRate(), f.SpendingRate()}
}

// apiFundTotals are a project's amounts as of a date, in total and per source (by its API name).
type apiFundTotals struct {
	AsOf    string         `json:"as_of"`
	Total   apiFundFigures `json:"total"`
	Sources struct {
		District   apiFundFigures `json:"district"`
		Social     apiFundFigures `json:"social"`
		Integrated apiFundFigures `json:"integrated"`
		Self       apiFundFigures `json:"self"`
	} `json:"sources"`
}

func apiFundTotalsOf(t xiezuo.FundTotals, asOf xiezuo.Date) apiFundTotals {
	out := apiFundTotals{AsOf: asOf.String(), Total: apiFundFiguresOf(t.FundFigures)}
	out.Sources.District = apiFundFiguresOf(t.Source(xiezuo.SourceDistrict))
	out.Sources.Social = apiFundFiguresOf(t.Source(xiezuo.SourceSocial))
	out.Sources.Integrated = apiFundFiguresOf(t.Source(xiezuo.SourceIntegrated))
	out.Sources.Self = apiFundFiguresOf(t.Source(xiezuo.SourceSelf))
	return out
}

// asOfDate reads ?as_of= as a date (today without it); a date after today is refused.
func (s *Server) asOfDate(r *http.Request) (xiezuo.Date, error) {
	_, day, err := s.asOf(r)
	if err != nil {
		return xiezuo.Date{}, err
	}
	if day == "" {
		return xiezuo.DateOf(s.today()), nil
	}
	return xiezuo.ParseDate(day)
}

// apiFundTxs lists a project's transactions with its totals as of ?as_of= (default today).
func (s *Server) apiFundTxs(w http.ResponseWriter, r *http.Request) {
	pr, err := s.loadProject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	asOf, err := s.asOfDate(r)
	if err != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	}
	txs, err := s.db.FundTxs(r.Context(), pr.Project.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reversedBy := map[int64]int64{}
	for _, t := range txs {
		if t.Reverses != 0 {
			reversedBy[t.Reverses] = t.ID
		}
	}
	list := []apiFundTx{}
	for _, t := range txs {
		a := apiFundTxOf(t)
		if by, ok := reversedBy[t.ID]; ok {
			a.ReversedBy = &by
		}
		list = append(list, a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"project_id": pr.Project.ID, "transactions": list,
		"totals": apiFundTotalsOf(xiezuo.FundsAt(txs, asOf), asOf)})
}

// fundRefusal is why the user may not record a transaction of kind (as sent) of the project
// (xiezuo.FundWriteRefusal; an empty kind asks whether it may write the project's money at
// all), audited as a failure; nil when it may.
func (s *Server) fundRefusal(r *http.Request, pr projectRef, kind string) error {
	err := xiezuo.FundWriteRefusal(currentUser(r), pr.District, pr.Project, xiezuo.FundKind(strings.TrimSpace(kind)))
	if err != nil {
		s.audit(r.Context(), sqldb.AuditFundAdd, "project", strconv.FormatInt(pr.Project.ID, 10), pr.Project.Name, "failure", xiezuo.ErrorMessage(err))
	}
	return err
}

// apiFundTxCreate records a transaction of a project: 201 with the stored entry; the same
// Idempotency-Key and body again answer 200 with it; a refused entry is 422 (ECONFLICT for an
// entry reversed already: 409); a kind the caller may not record (an allocation but for the
// office) 403, before any key is looked at.
func (s *Server) apiFundTxCreate(w http.ResponseWriter, r *http.Request) {
	pr, err := s.loadProject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	// Who may not write the project's money at all is refused before its body is read; who may
	// not write this kind, once the body names it.
	if err := s.fundRefusal(r, pr, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	var in fundInput
	if !s.decodeJSON(w, r, &in) {
		return
	}
	if err := s.fundRefusal(r, pr, in.Kind); err != nil {
		s.fail(w, r, err)
		return
	}
	idem := sqldb.Idem{UserID: u.ID, Key: r.Header.Get("Idempotency-Key"), RequestHash: requestHash(r, in.normal())}
	if err := sqldb.CheckIdemKey(idem.Key); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := in.tx(pr.Project.ID)
	if err != nil {
		// A used key is answered whatever the body, as for reports.
		var stored xiezuo.FundTx
		if found, ierr := s.db.IdemStored(r.Context(), idem, &stored); ierr != nil || found {
			if ierr != nil {
				s.fail(w, r, ierr)
				return
			}
			writeJSON(w, http.StatusOK, apiFundTxOf(stored))
			return
		}
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	}
	out, replayed, err := s.db.AddFundTxOnce(r.Context(), t, idem)
	s.pub.forget() // this instance's public notice shows it at once (public.go)
	switch {
	case xiezuo.ErrorCode(err) == xiezuo.EINVALID:
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, apiFundTxOf(out))
}

// liveProject is what the project list adds to the plan's columns: the status from the
// project's steps and the money from its transactions, as of a date.
type liveProject struct {
	Status xiezuo.ProjectStatus
	Funds  xiezuo.FundTotals
}

// liveProjects reads the status (xiezuo.StatusAt of its steps) and money of every project of a
// plan as of asOf, in two queries.
func (s *Server) liveProjects(r *http.Request, p *xiezuo.Plan, asOf xiezuo.Date) (map[int64]liveProject, error) {
	txs, err := s.db.PlanFundSums(r.Context(), p.District, p.Year, asOf)
	if err != nil {
		return nil, err
	}
	steps, err := s.db.PlanSteps(r.Context(), p.District, p.Year)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]liveProject, len(p.Projects))
	for _, pr := range p.Projects {
		out[pr.ID] = liveProject{Status: xiezuo.StatusAt(steps[pr.ID], asOf), Funds: xiezuo.FundsAt(txs[pr.ID], asOf)}
	}
	return out, nil
}

// projectFundsView is the funds section of the project page.
type projectFundsView struct {
	ProjectID int64
	Q         string // the query that keeps the plan
	CanEdit   bool
	Today     string
	AsOf      string // the day shown (?as_of=); "" for today
	Entries   []fundEntryView
	Totals    []fundFiguresView // one per source with money, then 合计
	Kinds     []fundOption
	Sources   []fundOption
}

type fundOption struct{ Value, Text string }

type fundEntryView struct {
	ID             int64
	Date           string
	Kind, Source   string
	Wan, Yuan      string
	Note           string
	By, At         string
	Reverses       int64
	ReversedBy     int64
	CanReverse     bool
	KindV, SourceV string
	Negated        string // the amount of its reversal, in yuan
}

type fundFiguresView struct {
	Name                        string
	Allocated, Disbursed, Spent string // 万元
	DisbursementRate            string
	SpendingRate                string
}

func fundFiguresViewOf(name string, f xiezuo.FundFigures) fundFiguresView {
	return fundFiguresView{name, xiezuo.FormatWan(f.Allocated), xiezuo.FormatWan(f.Disbursed), xiezuo.FormatWan(f.Spent),
		orDash(f.DisbursementRate().Percent()), orDash(f.SpendingRate().Percent())}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// fundOptions are the form's choices: the kinds given (those the user may record) and every source.
func fundOptions(may []xiezuo.FundKind) (kinds, sources []fundOption) {
	for _, k := range may {
		kinds = append(kinds, fundOption{string(k), k.Text()})
	}
	for _, s := range xiezuo.FundSources {
		sources = append(sources, fundOption{string(s), s.Text()})
	}
	return kinds, sources
}

// projectFunds builds the funds section of project p's page.
func (s *Server) projectFunds(r *http.Request, pd *planData, p *xiezuo.Project) (projectFundsView, error) {
	txs, err := s.db.FundTxs(r.Context(), p.ID)
	if err != nil {
		return projectFundsView{}, err
	}
	// As of ?as_of=, the ledger lists the entries dated by then and sums them; entries are
	// never changed, so this is the ledger as it stood that day. The form is today's only.
	_, day, err := s.asOf(r)
	if err != nil {
		return projectFundsView{}, err
	}
	var asOf xiezuo.Date
	if day != "" {
		if asOf, err = xiezuo.ParseDate(day); err != nil {
			return projectFundsView{}, err
		}
	}
	txs = xiezuo.FundTxsBy(txs, asOf)
	u := currentUser(r)
	may := xiezuo.FundKindsFor(u, pd.District, p)
	v := projectFundsView{ProjectID: p.ID, Q: pd.link(nil), CanEdit: len(may) > 0 && day == "", Today: xiezuo.DateOf(s.today()).String(), AsOf: day}
	v.Kinds, v.Sources = fundOptions(may)
	var names []string
	for _, t := range txs {
		names = append(names, t.By)
	}
	who, err := s.lookupPeople(r, names...)
	if err != nil {
		return projectFundsView{}, err
	}
	reversedBy := map[int64]int64{}
	for _, t := range txs {
		if t.Reverses != 0 {
			reversedBy[t.Reverses] = t.ID
		}
	}
	for _, t := range txs {
		e := fundEntryView{ID: t.ID, Date: t.On.String(), Kind: t.Kind.Text(), Source: t.Source.Text(),
			Wan: xiezuo.FormatWan(t.Amount), Yuan: xiezuo.FormatYuan(t.Amount), Note: t.Note, By: who.label(t.By, ""), At: fmtTime(t.At),
			Reverses: t.Reverses, ReversedBy: reversedBy[t.ID], KindV: string(t.Kind), SourceV: string(t.Source), Negated: xiezuo.FormatYuan(-t.Amount)}
		e.CanReverse = v.CanEdit && slices.Contains(may, t.Kind) && t.Reverses == 0 && e.ReversedBy == 0
		v.Entries = append(v.Entries, e)
	}
	tot := xiezuo.FundsAt(txs, asOf)
	for _, src := range xiezuo.FundSources {
		if f := tot.Source(src); !f.IsZero() {
			v.Totals = append(v.Totals, fundFiguresViewOf(src.Text(), f))
		}
	}
	if len(txs) > 0 {
		v.Totals = append(v.Totals, fundFiguresViewOf("合计", tot.FundFigures))
	}
	return v, nil
}

// projectFundSave records a transaction from the project page's form (or a reversal from a
// ledger row's button), then shows the page again with what happened.
func (s *Server) projectFundSave(w http.ResponseWriter, r *http.Request) {
	pr, err := s.loadProject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.fundRefusal(r, pr, r.PostFormValue("kind")); err != nil {
		s.errorPage(w, r, http.StatusForbidden, xiezuo.ErrorMessage(err))
		return
	}
	in := fundInput{Kind: r.PostFormValue("kind"), Source: r.PostFormValue("source"), AmountYuan: r.PostFormValue("amount_yuan"),
		Date: r.PostFormValue("date"), Note: r.PostFormValue("note")}
	if v := strings.TrimSpace(r.PostFormValue("reverses")); v != "" {
		in.Reverses, _ = strconv.ParseInt(v, 10, 64)
		if in.Reverses <= 0 {
			in.Reverses = -1
		}
	}
	t, err := in.tx(pr.Project.ID)
	var saved xiezuo.FundTx
	if err == nil {
		saved, err = s.db.AddFundTx(r.Context(), t)
		s.pub.forget() // this instance's public notice shows it at once (public.go)
	}
	q := url.Values{"year": {strconv.Itoa(pr.Year)}, "district": {pr.District}}
	switch code := xiezuo.ErrorCode(err); {
	case code == xiezuo.EINVALID || code == xiezuo.ECONFLICT:
		s.flash(q, xiezuo.ErrorMessage(err), "error")
	case err != nil:
		s.fail(w, r, err)
		return
	case saved.Reverses != 0:
		s.flash(q, fmt.Sprintf("已冲销记录 %d（冲销记录 %d）", saved.Reverses, saved.ID), "ok")
	default:
		s.flash(q, fmt.Sprintf("已登记%s%s %s 元（%s）", saved.Source.Text(), saved.Kind.Text(), xiezuo.FormatYuan(saved.Amount), saved.On), "ok")
	}
	if r.PostFormValue("from") == "cadre" { // the cadres' phone page: back to it
		http.Redirect(w, r, "/cadre?"+q.Encode()+"#project-"+strconv.FormatInt(pr.Project.ID, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/projects/"+strconv.FormatInt(pr.Project.ID, 10)+"?"+q.Encode()+"#funds", http.StatusSeeOther)
}

// fundsPageData is the funds rollup page (资金拨付使用情况).
type fundsPageData struct {
	planData
	Filter     xiezuo.ProjectFilter
	Options    struct{ Regions, Categories, LeadUnits, Natures []string }
	AsOf       string
	AllYears   bool
	Rows       []fundRowView
	Sources    []fundFiguresView
	Download   string
	YearsLink  string
	Count      int
	FilterText string
}

type fundRowView struct {
	Class, Label string
	Planned      string // 万元
	fundFiguresView
}

func fundRowOf(g xiezuo.FundGroup, class string) fundRowView {
	planned := ""
	if n := g.Planned.Num(); n.Valid {
		planned = xiezuo.FormatWan(n.V)
	}
	return fundRowView{class, g.Label(), planned, fundFiguresViewOf(g.Label(), g.FundFigures)}
}

// fundsRows lays the rollup out: 合计, the years (over several plans), then each region above
// its categories.
func fundsRows(t xiezuo.FundTable) []fundRowView {
	rows := []fundRowView{fundRowOf(t.Total, "total")}
	for _, y := range t.Years {
		rows = append(rows, fundRowOf(y, "subtotal"))
	}
	for _, reg := range t.Regions {
		rows = append(rows, fundRowOf(reg.FundGroup, "subtotal"))
		for _, c := range reg.Categories {
			rows = append(rows, fundRowOf(c, ""))
		}
	}
	return rows
}

// fundsPage shows the funds rollup of the chosen plan (or, with ?years=all, of every year of
// its district) as of ?as_of=, filtered as the project table is; ?format=xlsx downloads it.
func (s *Server) fundsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "funds", "资金拨付使用情况")
	if pd == nil {
		return
	}
	f, err := xiezuo.ParseProjectFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	asOf, err := s.asOfDate(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all := r.URL.Query().Get("years") == "all"
	plans := []*xiezuo.Plan{pd.Plan}
	if all {
		if plans, err = s.districtPlans(r, pd.District); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	txs := map[int64][]xiezuo.FundTx{}
	for _, p := range plans {
		m, err := s.db.PlanFundSums(r.Context(), p.District, p.Year, asOf)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for id, list := range m {
			txs[id] = list
		}
	}
	t := xiezuo.RollupFundsYears(plans, f, txs, asOf)
	if r.URL.Query().Get("format") == "xlsx" {
		s.fundsWorkbook(w, r, pd, t, all)
		return
	}
	d := fundsPageData{planData: *pd, Filter: f, AsOf: asOf.String(), AllYears: all, Rows: fundsRows(t), Count: t.Total.Projects, FilterText: f.String()}
	d.Options = xiezuo.Rollup(pd.Plan, xiezuo.ProjectFilter{}).Options
	for _, src := range xiezuo.FundSources {
		d.Sources = append(d.Sources, fundFiguresViewOf(src.Text(), t.Total.Source(src)))
	}
	q := f.Values()
	q.Set("as_of", asOf.String())
	if all {
		q.Set("years", "all")
	}
	q.Set("format", "xlsx")
	d.Download = "/funds" + pd.link(q)
	q.Del("format")
	if all {
		q.Del("years")
	} else {
		q.Set("years", "all")
	}
	d.YearsLink = "/funds" + pd.link(q)
	s.render(w, r, http.StatusOK, "funds", d)
}

// districtPlans loads every stored plan of district, oldest year first.
func (s *Server) districtPlans(r *http.Request, district string) ([]*xiezuo.Plan, error) {
	infos, err := s.db.Plans(r.Context())
	if err != nil {
		return nil, err
	}
	var years []int
	for _, p := range infos {
		if p.District == district {
			years = append(years, p.Year)
		}
	}
	slices.Sort(years)
	var out []*xiezuo.Plan
	for _, y := range years {
		p, _, err := s.plans.getVersion(r.Context(), district, y)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// fundsWorkbook sends the rollup as a workbook with Chinese headers.
func (s *Server) fundsWorkbook(w http.ResponseWriter, r *http.Request, pd *planData, t xiezuo.FundTable, all bool) {
	title := fmt.Sprintf("%d年%s帮扶资金拨付使用情况", pd.Year, pd.District)
	if all {
		title = fmt.Sprintf("%s历年帮扶资金拨付使用情况", pd.District)
	}
	if !t.Filter.IsZero() {
		title += "（" + t.Filter.String() + "）"
	}
	title += "（截至" + t.AsOf.String() + "）"
	var buf bytes.Buffer
	if err := xlsx.WriteFundTable(&buf, title, t); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(title+".xlsx"))
	w.Write(buf.Bytes())
}
