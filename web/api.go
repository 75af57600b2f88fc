package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"xiezuo"
)

// The JSON API: the same data as the pages, behind the same checks. Errors have one shape:
// {"error": {"code", "message"}}.

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	var e apiError
	e.Error.Code, e.Error.Message = code, msg
	writeJSON(w, status, e)
}

// apiPlan loads the plan named in the path.
func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request) *xiezuo.Plan {
	p, _ := s.apiPlanVersion(w, r)
	return p
}

func (s *Server) apiPlanVersion(w http.ResponseWriter, r *http.Request) (*xiezuo.Plan, int64) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "年份“%s”不是数字", r.PathValue("year")))
		return nil, 0
	}
	if !currentUser(r).CanReadDistrict(r.PathValue("district")) {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EFORBIDDEN, "只能查阅本区（%s）的计划", currentUser(r).District))
		return nil, 0
	}
	p, v, err := s.plans.getVersion(r.Context(), r.PathValue("district"), year)
	if err != nil {
		s.fail(w, r, err)
		return nil, 0
	}
	return p, v
}

// cachedJSON answers a list that depends only on the plan's version and the query from the
// fragment cache, building and encoding it once.
//
// filter must hold every value the answer depends on (the list's filter values and its page).
func (s *Server) cachedJSON(w http.ResponseWriter, r *http.Request, name string, filter url.Values, build func(p *xiezuo.Plan) any) {
	p, v := s.apiPlanVersion(w, r)
	if p == nil {
		return
	}
	key := strings.Join([]string{"api", name, p.District, strconv.Itoa(p.Year), strconv.FormatInt(v, 10), filter.Encode()}, "\x00")
	c, ok := s.frag.get(key)
	if !ok {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(build(p)); err != nil {
			s.serverError(w, r, err)
			return
		}
		c = cachedPage{gz: gzipBytes(buf.Bytes())}
		s.frag.put(key, c)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		// Kept gzipped: sent as it is.
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(c.gz)
		return
	}
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	if err := gunzipInto(buf, c.gz); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Write(buf.Bytes())
}

type apiPlanInfo struct {
	District   string `json:"district"`
	Year       int    `json:"year"`
	Title      string `json:"title"`
	Document   string `json:"document"`
	ImportedAt string `json:"imported_at"`
}

func (s *Server) apiPlans(w http.ResponseWriter, r *http.Request) {
	plans, err := s.db.Plans(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	out := []apiPlanInfo{}
	for _, p := range plans {
		if !currentUser(r).CanReadDistrict(p.District) {
			continue
		}
		out = append(out, apiPlanInfo{p.District, p.Year, p.Title, p.Document, p.ImportedAt.UTC().Format("2006-01-02T15:04:05Z")})
	}
	writeJSON(w, http.StatusOK, map[string]any{"plans": out})
}

// apiSummary is the object `xiezuo summary --json` prints.
func (s *Server) apiSummary(w http.ResponseWriter, r *http.Request) {
	p := s.apiPlan(w, r)
	if p == nil {
		return
	}
	writeJSON(w, http.StatusOK, xiezuo.Summarize(p))
}

type apiProject struct {
	ID                  int64        `json:"id"`
	Status              string       `json:"status"`         // from the project's steps as of the date asked (lifecycle)
	DisbursedYuan       string       `json:"disbursed_yuan"` // 累计拨付, yuan as a decimal string, as of the date asked
	DisbursementRate    xiezuo.Ratio `json:"disbursement_rate"`
	Region              string       `json:"region"`
	Category            string       `json:"category"`
	Number              int          `json:"number"`
	Name                string       `json:"name"`
	Nature              string       `json:"nature"`
	Content             string       `json:"content"`
	TotalInvestmentYuan xiezuo.Yuan  `json:"total_investment_yuan"`
	DistrictFundYuan    xiezuo.Yuan  `json:"district_fund_yuan"`
	FundUse             string       `json:"fund_use"`
	Villages            *int64       `json:"beneficiary_villages"`
	People              *int64       `json:"beneficiary_people"`
	Employed            *int64       `json:"employed_people"`
	Implementer         string       `json:"implementing_unit"`
	Managers            string       `json:"persons_in_charge"`
	Period              string       `json:"period"`
	Start               string       `json:"start_month"`
	Finish              string       `json:"finish_month"`
	Benefit             string       `json:"expected_benefit"`
	LeadUnit            string       `json:"lead_unit"`
	Line                int          `json:"line"`
	Sheet               string       `json:"sheet,omitempty"`
}

func ptr(n xiezuo.Num) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.V
	return &v
}

// page reads ?limit= (1–1000, default 100) and ?offset=.
func page(r *http.Request) (limit, offset int) {
	limit, offset = 100, 0
	if v, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && v > 0 {
		limit = min(v, 1000)
	}
	if v, err := strconv.Atoi(r.URL.Query().Get("offset")); err == nil && v > 0 {
		offset = v
	}
	return limit, offset
}

// apiTotals are the figures of the projects a filter keeps, as xiezuo.Rollup computes them for
// the page and the workbook. Villages are distinct counts: the least they can be, and the most
// when the filter cuts a group the document states (null when some row left them blank).
type apiTotals struct {
	TotalInvestmentYuan xiezuo.Yuan `json:"total_investment_yuan"`
	DistrictFundYuan    xiezuo.Yuan `json:"district_fund_yuan"`
	Villages            int64       `json:"beneficiary_villages"`
	VillagesMax         *int64      `json:"beneficiary_villages_max"`
	People              int64       `json:"beneficiary_people"`
	Employed            int64       `json:"employed_people"`
}

// apiProjects lists the projects a filter keeps (the page's filter names; lead_unit is an older
// name of lead), a page of them at a time, with their totals, each with its status and money as
// of ?as_of= (default today).
func (s *Server) apiProjects(w http.ResponseWriter, r *http.Request) {
	f, err := xiezuo.ParseProjectFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	asOf, err := s.asOfDate(r)
	if err != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	}
	limit, offset := page(r)
	p := s.apiPlan(w, r)
	if p == nil {
		return
	}
	// Status and money change with every step and transaction: the list is built for each
	// request (two queries for the plan), not kept in the fragment cache.
	live, err := s.liveProjects(r, p, asOf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, projectList(xiezuo.Rollup(p, f), limit, offset, live))
}

func projectList(t xiezuo.ProjectTable, limit, offset int, live map[int64]liveProject) any {
	all := []apiProject{}
	for _, pr := range t.Total.Projects {
		lp := live[pr.ID]
		status := lp.Status
		if status == "" {
			status = xiezuo.StatusPlanned
		}
		all = append(all, apiProject{pr.ID, string(status), yuanString(lp.Funds.Disbursed), lp.Funds.DisbursementRate(),
			pr.Region, pr.Category, pr.Number, pr.Name, pr.Nature, pr.Content,
			xiezuo.Yuan(pr.TotalInvestment), xiezuo.Yuan(pr.DistrictFund), pr.FundUse, ptr(pr.Villages), ptr(pr.People), ptr(pr.Employed),
			pr.Implementer, pr.Managers, pr.Period.Text, pr.Period.Start.String(), pr.Period.Finish.String(), pr.Benefit, pr.LeadUnit, pr.Pos.Line, pr.Pos.Sheet})
	}
	c, v := t.Total.Computed, t.Total.Villages()
	totals := apiTotals{xiezuo.Yuan(xiezuo.Known(c.TotalInvestment.V)), xiezuo.Yuan(xiezuo.Known(c.DistrictFund.V)), v.Min, nil, c.People.V, c.Employed.V}
	if !v.Open {
		totals.VillagesMax = &v.Max
	}
	return map[string]any{"total": len(all), "offset": offset, "totals": totals, "projects": window2(all, offset, limit)}
}

func window2[T any](all []T, offset, limit int) []T {
	if offset >= len(all) {
		return []T{}
	}
	return all[offset:min(len(all), offset+limit)]
}

type apiUnit struct {
	Unit    string `json:"unit"`
	Written string `json:"written"`
	Role    string `json:"role"`
}

func apiUnits(rs []xiezuo.Responsibility) []apiUnit {
	out := []apiUnit{}
	for _, r := range rs {
		out = append(out, apiUnit{r.Unit, r.Written, string(r.Role)})
	}
	return out
}

type apiTask struct {
	Number       int                  `json:"number"`
	WorkItem     string               `json:"work_item"`
	Category     string               `json:"category"`
	Content      string               `json:"content"`
	Requirements []xiezuo.Requirement `json:"requirements"`
	Units        []apiUnit            `json:"units"`
	Deadline     string               `json:"deadline"`
	DueDates     []string             `json:"due_dates"`
	Line         int                  `json:"line"`
}

func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request) {
	limit, offset := page(r)
	key := pick(r, "unit")
	key.Set("limit", strconv.Itoa(limit))
	key.Set("offset", strconv.Itoa(offset))
	s.cachedJSON(w, r, "tasks", key, func(p *xiezuo.Plan) any { return taskList(r, p) })
}

func taskList(r *http.Request, p *xiezuo.Plan) any {
	unit := r.URL.Query().Get("unit")
	var all []apiTask
	for _, t := range p.Tasks {
		// The API answers from the plan alone: units named in it (the office's membership and
		// assignments reach the pages).
		if unit != "" && xiezuo.UnitRole(t.Units, xiezuo.DutyRef{Kind: xiezuo.DutyTask, Number: t.Number}, unit, xiezuo.Groups{}) == xiezuo.DutyNone {
			continue
		}
		due := []string{}
		for _, d := range t.Deadline.Dates {
			due = append(due, d.String())
		}
		all = append(all, apiTask{t.Number, t.WorkItem, t.Category, t.Content, t.Requirements, apiUnits(t.Units), t.Deadline.Text, due, t.Pos.Line})
	}
	limit, offset := page(r)
	return map[string]any{"total": len(all), "offset": offset, "tasks": window2(all, offset, limit)}
}

type apiPoint struct {
	Number    int       `json:"number"`
	Section   int       `json:"section"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Units     []apiUnit `json:"units"`
	UnitsOpen bool      `json:"units_open"`
	Line      int       `json:"line"`
}

func (s *Server) apiPoints(w http.ResponseWriter, r *http.Request) {
	p := s.apiPlan(w, r)
	if p == nil {
		return
	}
	out := []apiPoint{}
	for _, wp := range p.Points {
		out = append(out, apiPoint{wp.Number, wp.Section, wp.Title, wp.Text, apiUnits(wp.Units), wp.UnitsOpen, wp.Pos.Line})
	}
	writeJSON(w, http.StatusOK, map[string]any{"points": out})
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	regions := u.Regions
	if regions == nil {
		regions = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"username": u.Username, "name": u.Name, "district": u.District, "unit": u.Unit, "roles": u.Roles, "regions": regions})
}

// apiNotFound answers any other /api/ path in the API's error shape.
func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	writeJSONError(w, http.StatusNotFound, xiezuo.ENOTFOUND, "没有这个接口，接口说明见 /api/openapi.json")
}

// acceptsGzip reports whether the client takes gzip: listed in Accept-Encoding, and not with q=0.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}
