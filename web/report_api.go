package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// Progress reports through the API: a unit's script or an upper platform submits, the office
// reviews. The same rules as the pages: xiezuo.ReportRole says who reports, xiezuo.CheckReport
// what a report may hold, xiezuo.CanReadReport who reads it.

// dutyContext is a duty with what handlers need to decide: its plan, the groups that resolve
// its group names, and the current user's role on it.
type dutyContext struct {
	Key      xiezuo.DutyKey
	District string
	Year     int
	Plan     *xiezuo.Plan
	Duty     xiezuo.PlanDuty
	Groups   xiezuo.Groups
	Role     xiezuo.DutyRole // the current user's (xiezuo.ReportRole)
}

// loadDuty finds the duty id names (point-12, task-3, project-45) in its stored plan: EINVALID
// for a malformed id, ENOTFOUND when there is none, EFORBIDDEN when the user may not read its
// district.
func (s *Server) loadDuty(r *http.Request, id string) (dutyContext, error) {
	key, err := xiezuo.ParseDutyKey(id)
	if err != nil {
		return dutyContext{}, err
	}
	district, year, err := s.duties.get(r.Context(), s.db, key)
	if err != nil {
		return dutyContext{}, err
	}
	u := currentUser(r)
	if !u.CanReadDistrict(district) {
		return dutyContext{}, xiezuo.Errorf(xiezuo.EFORBIDDEN, "%s", u.DistrictRefusal(district, "事项"))
	}
	p, _, err := s.plans.getVersion(r.Context(), district, year)
	if err != nil {
		return dutyContext{}, err
	}
	f, err := s.facts.get(r.Context(), s.db, district, year)
	if err != nil {
		return dutyContext{}, err
	}
	d, ok := xiezuo.FindDuty(p, key)
	if !ok {
		return dutyContext{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %s 的%s", key, key.Kind.Noun())
	}
	return dutyContext{Key: key, District: district, Year: year, Plan: p, Duty: d, Groups: f.groups,
		Role: xiezuo.ReportRole(p, key, u, f.groups)}, nil
}

// dutyPlaces keeps the district and year of the plan each duty belongs to, as sqldb.DutyPlan
// answers them: a duty's row stays in its district's plan of its year (a new version of the
// plan keeps or updates its rows) and its id is never given to another row (AUTOINCREMENT,
// sequences), so an answer found stays true; a duty removed since is not
// in its plan's stored version, and FindDuty refuses it. Only found duties are kept, so a duty
// imported later is seen at once. On a deadline day this saves each submission a query that
// storage makes again in its transaction. Each plan read from the database is learnt whole
// (learn).
type dutyPlaces struct {
	mu sync.Mutex
	m  map[xiezuo.DutyKey]dutyPlace
}

type dutyPlace struct {
	district string
	year     int
}

// mostDutyPlaces bounds the duties kept: past it the map starts again.
const mostDutyPlaces = 200_000

// get returns the district and year of key's plan: from memory, or from db (sqldb.DutyPlan).
func (c *dutyPlaces) get(ctx context.Context, db *sqldb.DB, key xiezuo.DutyKey) (string, int, error) {
	c.mu.Lock()
	p, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return p.district, p.year, nil
	}
	district, year, err := db.DutyPlan(ctx, key)
	if err != nil {
		return "", 0, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= mostDutyPlaces {
		c.m = map[xiezuo.DutyKey]dutyPlace{}
	}
	c.m[key] = dutyPlace{district, year}
	c.mu.Unlock()
	return district, year, nil
}

// learn keeps the plan of every duty of p, a stored plan just read: on a deadline day each
// unit reports on its own projects, so most duties are asked for once, and each would
// otherwise cost a query.
func (c *dutyPlaces) learn(district string, year int, p *xiezuo.Plan) {
	place := dutyPlace{district, year}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(p.Projects)+len(p.Points)+len(p.Tasks) > mostDutyPlaces {
		c.m = map[xiezuo.DutyKey]dutyPlace{}
	}
	for i := range p.Points {
		if id := p.Points[i].ID; id != 0 {
			c.m[xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: id}] = place
		}
	}
	for i := range p.Tasks {
		if id := p.Tasks[i].ID; id != 0 {
			c.m[xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: id}] = place
		}
	}
	for i := range p.Projects {
		if id := p.Projects[i].ID; id != 0 {
			c.m[xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: id}] = place
		}
	}
}

// writerOf is the writer a report of u on key belongs to (xiezuo.ReportsByWriter), or "".
func writerOf(u *xiezuo.User, key xiezuo.DutyKey) string {
	if xiezuo.ReportsByWriter(u, key) {
		return u.Username
	}
	return ""
}

// notOurs refuses a report on a duty the user's unit does not answer for, and audits it.
func (s *Server) notOurs(r *http.Request, dc dutyContext) error {
	s.audit(r.Context(), sqldb.AuditReportSave, "report", dc.Key.String(), dc.Duty.Title, "failure", "这不是本单位的事项")
	return xiezuo.Errorf(xiezuo.EFORBIDDEN, "这不是本单位的事项：%s 的责任单位中没有%s", dc.Duty.Title, currentUser(r).Unit)
}

// apiReportInput is the body of POST /api/v1/duties/{id}/reports. percent and each figure
// may be a number or a numeric string; null or absent is "not reported".
type apiReportInput struct {
	Text     string                     `json:"text"`
	Percent  json.RawMessage            `json:"percent,omitempty"`
	Figures  map[string]json.RawMessage `json:"figures,omitempty"`
	ReportID int64                      `json:"report_id,omitempty"` // a new version of this report (a draft or returned one)
	Cites    []int64                    `json:"cites,omitempty"`     // a lead unit's: the cooperating units' reports it gathers
}

// normal is the body as an Idempotency-Key is bound to it: each value as the report reads it
// (10 and "10" alike, null and absent alike), cites in order; a value of the wrong type kept as
// sent. Spacing and key order never count (JSON encoding sorts the figures).
func (in apiReportInput) normal() any {
	norm := func(raw json.RawMessage) string {
		if v, ok := scalar(raw); ok {
			return strings.TrimSpace(v)
		}
		return "raw:" + string(bytes.TrimSpace(raw))
	}
	figs := map[string]string{}
	for k, raw := range in.Figures {
		if v := norm(raw); v != "" {
			figs[k] = v
		}
	}
	cites := slices.Clone(in.Cites)
	slices.Sort(cites)
	return struct {
		Text     string
		Percent  string
		Figures  map[string]string
		ReportID int64
		Cites    []int64
	}{in.Text, norm(in.Percent), figs, in.ReportID, slices.Compact(cites)}
}

// scalar reads a JSON number, string or null as the text a form would carry.
func scalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", true
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err == nil
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		return string(raw), true
	}
	return "", false
}

// reportInput is the body as xiezuo.CheckReport takes it; EINVALID names a value of the wrong
// JSON type.
func (in apiReportInput) reportInput() (xiezuo.ReportInput, error) {
	out := xiezuo.ReportInput{Text: in.Text, Figures: map[string]string{}}
	var msgs []string
	if p, ok := scalar(in.Percent); ok {
		out.Percent = p
	} else {
		msgs = append(msgs, "percent（形象进度）应为 0 到 100 的数字或 null")
	}
	for k, raw := range in.Figures {
		if v, ok := scalar(raw); ok {
			out.Figures[k] = v
		} else {
			msgs = append(msgs, fmt.Sprintf("figures.%s 应为数字、数字字符串或 null", k))
		}
	}
	if len(msgs) > 0 {
		return out, xiezuo.Errorf(xiezuo.EINVALID, "%s", strings.Join(msgs, "；"))
	}
	return out, nil
}

// decodeJSON reads the request's JSON body into v, refusing unknown fields: false when it
// answered the error.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooBig):
		writeJSONError(w, http.StatusRequestEntityTooLarge, xiezuo.EINVALID, fmt.Sprintf("请求内容超过 %d MB", tooBig.Limit>>20))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		writeJSONError(w, http.StatusBadRequest, xiezuo.EINVALID, "请求中有不认识的字段 "+strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, fmt.Sprintf("字段 %s 的类型不对（应为%s）", te.Field, jsonTypeName(te.Type.Kind().String())))
			return false
		}
		writeJSONError(w, http.StatusBadRequest, xiezuo.EINVALID, "请求内容不是有效的 JSON 对象")
	}
	return false
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "字符串"
	case "int", "int64", "int32":
		return "整数"
	case "float64":
		return "数字"
	case "slice":
		return "数组"
	case "map", "struct":
		return "对象"
	case "bool":
		return "true 或 false"
	}
	return kind
}

// requestHash is what an Idempotency-Key is bound to: the method, the path and the body as
// decoded (so spacing and key order do not count).
func requestHash(r *http.Request, body any) string {
	b, _ := json.Marshal(body)
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.Path)
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// apiReportCreate submits a report on a duty the caller's unit answers for: 201 with the
// receipt; the same Idempotency-Key and body again answer 200 with the first receipt.
func (s *Server) apiReportCreate(w http.ResponseWriter, r *http.Request) {
	dc, err := s.loadDuty(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if dc.Role == xiezuo.DutyNone {
		s.fail(w, r, s.notOurs(r, dc))
		return
	}
	var in apiReportInput
	if !s.decodeJSON(w, r, &in) {
		return
	}
	u := currentUser(r)
	idem := sqldb.Idem{UserID: u.ID, Key: r.Header.Get("Idempotency-Key"), RequestHash: requestHash(r, in.normal())}
	if err := sqldb.CheckIdemKey(idem.Key); err != nil {
		s.fail(w, r, err)
		return
	}
	input, err := in.reportInput()
	var vals xiezuo.ReportValues
	if err == nil {
		vals, err = xiezuo.CheckReport(input, dc.Duty.Figures)
	}
	if err != nil {
		// A used key is answered whatever the body: its first answer again, or 409 for another
		// body, even one that would be refused (A-F17); an unused key stays free. A valid body
		// is looked up under the key's lock in SubmitReportOnce, one round trip fewer.
		if rc, found, ierr := s.db.IdemAnswered(r.Context(), idem); ierr != nil || found {
			if ierr != nil {
				s.fail(w, r, ierr)
				return
			}
			writeJSON(w, http.StatusOK, rc)
			return
		}
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	}
	rc, replayed, err := s.db.SubmitReportOnce(r.Context(), sqldb.ReportWrite{
		Duty: dc.Key, Unit: u.Unit, ToUnit: xiezuo.ReportRoute(dc.Role, dc.Duty.Leads(dc.Groups)),
		ReportID: in.ReportID, Writer: writerOf(u, dc.Key), State: xiezuo.ReportSubmitted, Values: vals, Cites: in.Cites,
		District: dc.District, Year: dc.Year,
	}, idem)
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
	writeJSON(w, status, rc)
}

// apiReport is a report as the API answers it: its state now and every version and review.
type apiReport struct {
	ID          int64              `json:"id"`
	Duty        string             `json:"duty"`
	Unit        string             `json:"unit"`
	ToUnit      *string            `json:"to_unit"` // the lead unit it went to; null for the office
	State       string             `json:"state"`
	Version     int                `json:"version"`
	SubmittedAt *string            `json:"submitted_at"`
	Versions    []apiReportVersion `json:"versions"`
	Reviews     []apiReview        `json:"reviews"`
}

type apiReportVersion struct {
	Version int                    `json:"version"`
	State   string                 `json:"state"`
	Text    string                 `json:"text"`
	Percent *int                   `json:"percent"`
	Figures map[string]json.Number `json:"figures"` // in each figure's unit (money in 万元); absent: not reported
	Cites   []int64                `json:"cites"`
	By      string                 `json:"by"`
	At      string                 `json:"at"`
	// Evidence are the files sent with this version (evidence.go).
	Evidence []apiEvidence `json:"evidence"`
}

type apiReview struct {
	Version  int    `json:"version"`
	Decision string `json:"decision"`
	Comment  string `json:"comment"`
	By       string `json:"by"`
	At       string `json:"at"`
}

// latest is a time after every fact: a report's state now, whatever the application's today.
var latest = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func apiTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func apiReportOf(rep *xiezuo.Report, specs []xiezuo.FigureSpec) apiReport {
	state, version, _ := rep.StateAt(latest)
	out := apiReport{ID: rep.ID, Duty: rep.Duty.String(), Unit: rep.Unit, State: string(state), Version: version,
		Versions: []apiReportVersion{}, Reviews: []apiReview{}}
	if rep.ToUnit != "" {
		out.ToUnit = &rep.ToUnit
	}
	if at := rep.SubmittedAt(latest); !at.IsZero() {
		s := apiTime(at)
		out.SubmittedAt = &s
	}
	for _, v := range rep.Versions {
		av := apiReportVersion{Version: v.Version, State: string(v.State), Text: v.Values.Text, Percent: v.Values.Percent,
			Figures: map[string]json.Number{}, Cites: v.Cites, By: v.By, At: apiTime(v.At)}
		if av.Cites == nil {
			av.Cites = []int64{}
		}
		for _, f := range v.Values.Figures {
			spec := xiezuo.FigureSpec{Key: f.Key}
			for _, sp := range specs {
				if sp.Key == f.Key {
					spec = sp
				}
			}
			av.Figures[f.Key] = json.Number(xiezuo.FormatFigure(spec, f.Value))
		}
		out.Versions = append(out.Versions, av)
	}
	for _, rv := range rep.Reviews {
		out.Reviews = append(out.Reviews, apiReview{rv.Version, string(rv.Decision), rv.Comment, rv.By, apiTime(rv.At)})
	}
	return out
}

// reportID reads the {id} of a report's path.
func reportID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "报告编号“%s”无效，应为正整数", r.PathValue("id"))
	}
	return id, nil
}

// readableReport loads the report of the path with its duty as the user sees it
// (xiezuo.VisibleReport: another unit's drafts left out); ENOTFOUND, as for no report at all,
// when the user may not read it, so that an id tells nothing.
func (s *Server) readableReport(r *http.Request) (xiezuo.Report, dutyContext, error) {
	id, err := reportID(r)
	if err != nil {
		return xiezuo.Report{}, dutyContext{}, err
	}
	rep, err := s.db.Report(r.Context(), id)
	if err != nil {
		return xiezuo.Report{}, dutyContext{}, err
	}
	notFound := xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的报告", id)
	dc, err := s.loadDuty(r, rep.Duty.String())
	if xiezuo.ErrorCode(err) == xiezuo.EFORBIDDEN {
		return xiezuo.Report{}, dutyContext{}, notFound
	}
	if err != nil {
		return xiezuo.Report{}, dutyContext{}, err
	}
	vis, ok := xiezuo.VisibleReport(currentUser(r), dc.Plan, dc.Groups, &rep)
	if !ok {
		return xiezuo.Report{}, dutyContext{}, notFound
	}
	return vis, dc, nil
}

// apiReportGet answers one report with its versions and reviews.
func (s *Server) apiReportGet(w http.ResponseWriter, r *http.Request) {
	rep, dc, err := s.readableReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := apiReportOf(&rep, dc.Duty.Figures)
	es, err := s.db.ReportEvidence(r.Context(), rep.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	withEvidence(&out, es)
	writeJSON(w, http.StatusOK, out)
}

// apiDutyReports lists the reports on a duty the user may read: every one for the office, the
// leaders and team leads; a unit answering for the duty sees its own and those sent to it.
func (s *Server) apiDutyReports(w http.ResponseWriter, r *http.Request) {
	dc, err := s.loadDuty(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	if !xiezuo.CanListReports(u, dc.Plan, dc.Groups, dc.Key, dc.Role) {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EFORBIDDEN, "这不是本单位的事项，不能查阅其报告"))
		return
	}
	reps, err := s.db.DutyReports(r.Context(), dc.Key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	es, err := s.db.DutyEvidence(r.Context(), dc.Key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []apiReport{}
	for i := range reps {
		if vis, ok := xiezuo.VisibleReport(u, dc.Plan, dc.Groups, &reps[i]); ok {
			a := apiReportOf(&vis, dc.Duty.Figures)
			withEvidence(&a, es)
			out = append(out, a)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": out})
}

// apiReviewInput is the body of POST /api/v1/reports/{id}/review. version is the version
// reviewed, the latest when absent; a version that is no longer the latest is refused.
type apiReviewInput struct {
	Decision string `json:"decision"`
	Comment  string `json:"comment"`
	Version  int    `json:"version,omitempty"`
}

// normal is the body as an Idempotency-Key is bound to it: the comment as the review stores it
// (trimmed); an absent version stays absent (the latest when the first request came).
func (in apiReviewInput) normal() any {
	return apiReviewInput{Decision: in.Decision, Comment: strings.TrimSpace(in.Comment), Version: in.Version}
}

// apiReportReview records the reviewer's decision on a report sent to it: 200 with the report's
// new state; the same Idempotency-Key and body again answer the first result, stored nothing.
func (s *Server) apiReportReview(w http.ResponseWriter, r *http.Request) {
	rep, dc, err := s.readableReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	if !u.CanReview(dc.District, rep.ToUnit) {
		s.fail(w, r, reviewRefusal(rep))
		return
	}
	var in apiReviewInput
	if !s.decodeJSON(w, r, &in) {
		return
	}
	idem := sqldb.Idem{UserID: u.ID, Key: r.Header.Get("Idempotency-Key"), RequestHash: requestHash(r, in.normal())}
	if err := sqldb.CheckIdemKey(idem.Key); err != nil {
		s.fail(w, r, err)
		return
	}
	d := xiezuo.Decision(in.Decision)
	if d != xiezuo.DecisionAccept && d != xiezuo.DecisionReturn {
		// A used key is answered whatever the body, as for reports; ReviewReportOnce looks a
		// key up before it checks the comment.
		var rc sqldb.ReportReceipt
		if found, ierr := s.db.IdemStored(r.Context(), idem, &rc); ierr != nil || found {
			if ierr != nil {
				s.fail(w, r, ierr)
				return
			}
			writeJSON(w, http.StatusOK, rc)
			return
		}
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, "decision 应为 accept（通过）或 return（退回）")
		return
	}
	version := in.Version
	if version == 0 {
		version = rep.Versions[len(rep.Versions)-1].Version
	}
	rc, _, err := s.db.ReviewReportOnce(r.Context(), rep.ID, version, d, in.Comment, idem)
	switch {
	case xiezuo.ErrorCode(err) == xiezuo.EINVALID:
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rc)
}

// reviewRefusal says who reviews rep instead.
func reviewRefusal(rep xiezuo.Report) error {
	if rep.ToUnit != "" {
		return xiezuo.Errorf(xiezuo.EFORBIDDEN, "该报告是报送给%s的，由%s审核并汇总", rep.ToUnit, rep.ToUnit)
	}
	return xiezuo.Errorf(xiezuo.EFORBIDDEN, "报送给办公室的报告由本区办公室审核")
}

// apiCloseInput is the body of POST /api/v1/duties/{id}/close: closed false reopens, with a
// reason.
type apiCloseInput struct {
	Closed *bool  `json:"closed,omitempty"`
	Reason string `json:"reason,omitempty"` // required only to reopen
}

// closed is what the body asks: to close unless closed is false.
func (in apiCloseInput) closed() bool { return in.Closed == nil || *in.Closed }

// normal is the body as an Idempotency-Key is bound to it: {} and {"closed": true} alike, the
// reason trimmed as the closure stores it.
func (in apiCloseInput) normal() any {
	return struct {
		Closed bool
		Reason string
	}{in.closed(), strings.TrimSpace(in.Reason)}
}

// apiDutyClose closes a duty (销号) or reopens it: the office of its district. The same
// Idempotency-Key and body again answer the first result and store nothing.
func (s *Server) apiDutyClose(w http.ResponseWriter, r *http.Request) {
	dc, err := s.loadDuty(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in apiCloseInput
	if !s.decodeJSON(w, r, &in) {
		return
	}
	u := currentUser(r)
	if !u.CanClose(dc.District) {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EFORBIDDEN, "只有本区办公室可以销号"))
		return
	}
	idem := sqldb.Idem{UserID: u.ID, Key: r.Header.Get("Idempotency-Key"), RequestHash: requestHash(r, in.normal())}
	if err := sqldb.CheckIdemKey(idem.Key); err != nil {
		s.fail(w, r, err)
		return
	}
	out, _, err := s.db.CloseDutyOnce(r.Context(), dc.Key, in.closed(), in.Reason, idem)
	switch {
	case xiezuo.ErrorCode(err) == xiezuo.EINVALID:
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
