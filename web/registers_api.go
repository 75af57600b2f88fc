package web

import (
	"net/http"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
)

// The registers in the API: the list (the page's filter), one entry, and a new entry, whose
// amounts are typed in 元 as the money API takes them; every check is xiezuo.CheckEntry's and
// xiezuo.RegisterWriteRefusal's, as for the form.

// apiRegisterEntry is an entry as the API answers it: values as stored, amounts in 元 with two
// decimals.
type apiRegisterEntry struct {
	ID         int64             `json:"id"`
	Kind       string            `json:"kind"`
	Date       string            `json:"date"`
	Unit       string            `json:"unit"`
	Region     string            `json:"region"`
	Team       string            `json:"team"`
	Values     map[string]string `json:"values"`
	RecordedBy string            `json:"recorded_by"`
	RecordedAt string            `json:"recorded_at"`
}

func apiRegisterEntryOf(spec xiezuo.RegisterSpec, e xiezuo.RegisterEntry) apiRegisterEntry {
	out := apiRegisterEntry{ID: e.Entry, Kind: string(e.Kind), Date: e.On.String(), Unit: e.Unit, Region: e.Region, Team: e.Team,
		Values: map[string]string{}, RecordedBy: e.By, RecordedAt: apiTime(e.At)}
	for k, v := range e.Values {
		if spec.IsAmount(k) {
			if n := e.Num(k); n.Valid {
				v = yuanString(n.V)
			}
		}
		out.Values[k] = v
	}
	return out
}

// apiRegisterInput is a new entry as the API takes it.
type apiRegisterInput struct {
	Values map[string]string `json:"values"`
}

// apiRegisterDistrict is the district the request asks for (?district=, the caller's own by
// default) with the plan its entries are checked against (?year=, the latest by default; nil
// when the district has none): EFORBIDDEN when the caller may not read it.
func (s *Server) apiRegisterDistrict(r *http.Request) (string, *xiezuo.Plan, error) {
	u := currentUser(r)
	d := strings.TrimSpace(r.URL.Query().Get("district"))
	if d == "" {
		d = u.District
	}
	if !u.CanReadRegisters(d) {
		return "", nil, xiezuo.Errorf(xiezuo.EFORBIDDEN, "%s", u.DistrictRefusal(d, "工作台账"))
	}
	plans, err := s.plans.plans(r.Context())
	if err != nil {
		return "", nil, err
	}
	want, _ := strconv.Atoi(r.URL.Query().Get("year"))
	year := 0
	for _, p := range plans {
		if p.District == d && (p.Year == want || want == 0 && p.Year > year) {
			year = p.Year
		}
	}
	if year == 0 {
		return d, nil, nil
	}
	p, _, err := s.plans.getVersion(r.Context(), d, year)
	return d, p, err
}

// apiRegisterEntries lists a register's entries as the filter keeps them.
func (s *Server) apiRegisterEntries(w http.ResponseWriter, r *http.Request) {
	district, _, err := s.apiRegisterDistrict(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	spec, err := registerSpec(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := xiezuo.ParseRegisterFilter(r.URL.Query(), s.todayDate())
	if err != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	}
	all, err := s.registerEntries(r, district, f.AsOf, spec.Kind)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list := []apiRegisterEntry{}
	for _, e := range f.Filter(all) {
		list = append(list, apiRegisterEntryOf(spec, e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": list})
}

// apiRegisterEntry answers one entry as it stands (or stood, ?as_of=).
func (s *Server) apiRegisterEntry(w http.ResponseWriter, r *http.Request) {
	district, _, err := s.apiRegisterDistrict(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	spec, err := registerSpec(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.registerEntryRows(r, district, spec, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, day, err := s.asOf(r)
	if err != nil {
		writeJSONError(w, http.StatusUnprocessableEntity, xiezuo.EINVALID, xiezuo.ErrorMessage(err))
		return
	}
	var asOf xiezuo.Date
	if day != "" {
		asOf, _ = xiezuo.ParseDate(day)
	}
	now := xiezuo.EntriesAt(rows, endOfDay(asOf))
	if len(now) == 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "第 %d 号记录已撤销或当时尚未登记", rows[0].Entry))
		return
	}
	writeJSON(w, http.StatusOK, apiRegisterEntryOf(spec, now[0]))
}

// apiFieldError is a refused field: {"error": {"code", "message", "field"}}.
type apiFieldError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

func writeFieldError(w http.ResponseWriter, p xiezuo.FieldProblem) {
	var e apiFieldError
	e.Error.Code, e.Error.Message, e.Error.Field = xiezuo.EINVALID, p.Message, p.Field
	writeJSON(w, http.StatusUnprocessableEntity, e)
}

// apiRegisterCreate records an entry: 201 with it; a refused field 422 naming it; a caller
// who may not record it 403; the same Idempotency-Key and body again answer 200 with the
// first entry, another body with that key 409.
func (s *Server) apiRegisterCreate(w http.ResponseWriter, r *http.Request) {
	district, plan, err := s.apiRegisterDistrict(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	spec, err := registerSpec(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	if !u.CanRecordRegisters(district) {
		s.registerRefused(w, r, spec, xiezuo.RegisterWriteRefusal(u, district, plan, spec, xiezuo.RegisterEntry{}))
		return
	}
	var in apiRegisterInput
	if !s.decodeJSON(w, r, &in) {
		return
	}
	idem := sqldb.Idem{UserID: u.ID, Key: r.Header.Get("Idempotency-Key"), RequestHash: requestHash(r, in)}
	if err := sqldb.CheckIdemKey(idem.Key); err != nil {
		s.fail(w, r, err)
		return
	}
	raw := map[string]string{}
	for k, v := range in.Values {
		if spec.IsAmount(k) && strings.TrimSpace(v) != "" {
			amount := strings.ReplaceAll(strings.TrimSpace(v), ",", "")
			fen, ok := xiezuo.ParseDecimal(amount, xiezuo.FenPerYuan)
			if !yuanPattern.MatchString(amount) || !ok {
				writeFieldError(w, xiezuo.FieldProblem{Field: k, Label: spec.LabelOf(k),
					Message: "“" + spec.LabelOf(k) + "”：" + v + " 不是金额，应为以元为单位、最多两位小数的数字，如 12.34"})
				return
			}
			if fen < 0 {
				writeFieldError(w, xiezuo.FieldProblem{Field: k, Label: spec.LabelOf(k), Message: "“" + spec.LabelOf(k) + "”：" + v + " 不能为负数"})
				return
			}
			v = xiezuo.FormatWan(fen)
		}
		raw[k] = v
	}
	if spec.UnitKey != "" && strings.TrimSpace(raw[spec.UnitKey]) == "" && !u.Has(xiezuo.RoleOffice) {
		raw[spec.UnitKey] = u.Unit
	}
	e, probs := xiezuo.CheckEntry(spec, plan, raw, s.todayDate())
	if len(probs) > 0 {
		var stored xiezuo.RegisterEntry // a used key is answered whatever the body, as for reports
		if found, ierr := s.db.IdemStored(r.Context(), idem, &stored); ierr != nil || found {
			if ierr != nil {
				s.fail(w, r, ierr)
				return
			}
			writeJSON(w, http.StatusOK, apiRegisterEntryOf(spec, stored))
			return
		}
		writeFieldError(w, probs[0])
		return
	}
	if err := xiezuo.RegisterWriteRefusal(u, district, plan, spec, e); err != nil {
		s.registerRefused(w, r, spec, err)
		return
	}
	out, replayed, err := s.db.WriteRegisterEntryOnce(r.Context(), district, e, idem)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, apiRegisterEntryOf(spec, out))
}
