package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// The work registers (工作台账): one set of pages for the fifteen registers of
// xiezuo.RegisterSpecs, built from each spec. Every rule is at the root: xiezuo.CheckEntry (the
// form, the workbook and the API alike), RegisterFilter and RollupRegister (the list, its
// workbook and the API), RegisterWriteRefusal (who records what), RotationWarnings.

// registerSpec is the register of the path's {kind}: ENOTFOUND when there is none.
func registerSpec(r *http.Request) (xiezuo.RegisterSpec, error) {
	spec, ok := xiezuo.RegisterSpecOf(xiezuo.RegisterKind(r.PathValue("kind")))
	if !ok {
		return spec, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有“%s”这个工作台账", r.PathValue("kind"))
	}
	return spec, nil
}

// todayDate is the application's today in Beijing.
func (s *Server) todayDate() xiezuo.Date { return xiezuo.DateOf(s.today()) }

// endOfDay is the last instant of day d in Beijing: the moment an as_of date names.
func endOfDay(d xiezuo.Date) time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 999_999_000, shanghai)
}

// registerEntries are the entries of a district's register as they stood at the end of asOf
// (today's when zero).
func (s *Server) registerEntries(r *http.Request, district string, asOf xiezuo.Date, kinds ...xiezuo.RegisterKind) ([]xiezuo.RegisterEntry, error) {
	at := endOfDay(asOf)
	if !at.IsZero() {
		at = at.UTC() // stored times are UTC
	}
	rows, err := s.db.RegisterRows(r.Context(), district, at, kinds...)
	if err != nil {
		return nil, err
	}
	return xiezuo.EntriesAt(rows, at), nil
}

// registerHref is the path of a register's page under it (sub: "", "new", an entry id…),
// keeping the chosen plan and the query given.
func registerHref(pd *planData, kind xiezuo.RegisterKind, sub string, q url.Values) string {
	p := "/registers/" + string(kind)
	if sub != "" {
		p += "/" + sub
	}
	return p + pd.link(q)
}

// yearFilter is the filter of a plan year's entries.
func yearFilter(year int) url.Values {
	return url.Values{"from": {strconv.Itoa(year) + "-01-01"}, "to": {strconv.Itoa(year) + "-12-31"}}
}

type registerCountView struct {
	Title, Href, NewHref string
	Count                int
}

type registerGroupView struct {
	Name      string
	Registers []registerCountView
}

type registersIndexData struct {
	planData
	Groups    []registerGroupView
	CanRecord bool
}

// registersPage lists the registers by group with the count of entries dated in the chosen
// plan's year (the plan switcher is the year picker).
func (s *Server) registersPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "registers", "工作台账")
	if pd == nil {
		return
	}
	entries, err := s.registerEntries(r, pd.District, xiezuo.Date{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts := map[xiezuo.RegisterKind]int{}
	for _, e := range entries {
		if e.On.Year == pd.Year {
			counts[e.Kind]++
		}
	}
	d := registersIndexData{planData: *pd, CanRecord: pd.User.CanRecordRegisters(pd.District)}
	for _, spec := range xiezuo.RegisterSpecs() {
		i := slices.IndexFunc(d.Groups, func(g registerGroupView) bool { return g.Name == spec.Group })
		if i < 0 {
			d.Groups = append(d.Groups, registerGroupView{Name: spec.Group})
			i = len(d.Groups) - 1
		}
		d.Groups[i].Registers = append(d.Groups[i].Registers, registerCountView{spec.Title,
			registerHref(pd, spec.Kind, "", yearFilter(pd.Year)), registerHref(pd, spec.Kind, "new", nil), counts[spec.Kind]})
	}
	s.render(w, r, http.StatusOK, "registers", d)
}

type registerListData struct {
	planData
	Spec                       xiezuo.RegisterSpec
	Filter                     xiezuo.RegisterFilter
	FilterText                 string
	From, To, AsOf             string
	Table                      table
	Count                      int
	Sums                       []xiezuo.RegisterSum
	Warnings                   []xiezuo.RotationWarning
	Units, Regions, Teams      []string
	CanRecord                  bool
	Download, NewHref          string
	ImportHref, TemplateHref   string
	IndexHref, ThisYear, Clear string
}

// registerListTable is the list as a table: 编号, the date, the unit, the list's columns.
func registerListTable(pd *planData, spec xiezuo.RegisterSpec, entries []xiezuo.RegisterEntry) table {
	keys := listKeys(spec)
	t := table{Title: spec.Title}
	t.Columns = append(t.Columns, column{Header: "编号"})
	for _, k := range keys {
		unit := spec.UnitOf(k)
		t.Columns = append(t.Columns, column{Header: spec.LabelOf(k), Unit: unit, Num: unit != ""})
	}
	for _, e := range entries {
		row := tableRow{Cells: []cell{linkCell(strconv.FormatInt(e.Entry, 10), registerHref(pd, spec.Kind, strconv.FormatInt(e.Entry, 10), nil))}}
		for _, k := range keys {
			v := spec.Display(e, k)
			if spec.UnitOf(k) != "" {
				row.Cells = append(row.Cells, numCell(v))
			} else {
				row.Cells = append(row.Cells, textCell(v))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// listKeys are the list's columns: the date, the unit, then the spec's ListKeys.
func listKeys(spec xiezuo.RegisterSpec) []string {
	var keys []string
	for _, k := range append([]string{spec.DateKey, spec.UnitKey}, spec.ListKeys...) {
		if k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// registerPlan is what every register page starts from: the chosen plan and the register of
// the path; false when the answer is written (no plan, no such register).
func (s *Server) registerPlan(w http.ResponseWriter, r *http.Request) (*planData, xiezuo.RegisterSpec, bool) {
	pd := s.currentPlan(w, r, "registers", "工作台账")
	if pd == nil {
		return nil, xiezuo.RegisterSpec{}, false
	}
	spec, err := registerSpec(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, xiezuo.RegisterSpec{}, false
	}
	return pd, spec, true
}

// registerListPage is a register's filtered list with its counts and sums (?format=xlsx: the
// workbook, every field, which imports back unchanged), and, for 干部人才, the rotation warnings.
func (s *Server) registerListPage(w http.ResponseWriter, r *http.Request) {
	pd, spec, ok := s.registerPlan(w, r)
	if !ok {
		return
	}
	f, err := xiezuo.ParseRegisterFilter(r.URL.Query(), s.todayDate())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := s.registerEntries(r, pd.District, f.AsOf, spec.Kind)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	entries := f.Filter(all)
	xiezuo.SortRegisterByDate(entries)
	if wantsXLSX(r) {
		s.registerWorkbook(w, r, pd, spec, entries)
		return
	}
	d := registerListData{planData: *pd, Spec: spec, Filter: f, FilterText: f.String(), From: f.From.String(), To: f.To.String(),
		AsOf: f.AsOf.String(), Table: registerListTable(pd, spec, entries), CanRecord: pd.User.CanRecordRegisters(pd.District)}
	d.Title = spec.Title
	roll := xiezuo.RollupRegister(spec, entries)
	d.Count, d.Sums = roll.Count, roll.Sums
	if spec.Kind == xiezuo.RegPersonnel {
		day := f.AsOf
		if day.IsZero() {
			day = s.todayDate()
		}
		d.Warnings = xiezuo.RotationWarnings(all, day, xiezuo.DefaultRotationDays)
	}
	d.Units, d.Regions, d.Teams = registerOptions(pd.Plan, all)
	q := f.Values()
	q.Set("format", "xlsx")
	d.Download = registerHref(pd, spec.Kind, "", q)
	d.NewHref = registerHref(pd, spec.Kind, "new", nil)
	d.ImportHref = registerHref(pd, spec.Kind, "import", nil)
	d.TemplateHref = registerHref(pd, spec.Kind, "template.xlsx", nil)
	d.IndexHref = "/registers" + pd.q()
	d.ThisYear = registerHref(pd, spec.Kind, "", yearFilter(pd.Year))
	d.Clear = registerHref(pd, spec.Kind, "", nil)
	s.render(w, r, http.StatusOK, "register_list", d)
}

// registerOptions are the filter's choices: the units, regions and teams of the plan and of
// the entries.
func registerOptions(p *xiezuo.Plan, entries []xiezuo.RegisterEntry) (units, regions, teams []string) {
	regions = xiezuo.RegionNames(p)
	for _, t := range p.Teams {
		teams = append(teams, t.Name)
	}
	for _, e := range entries {
		units = appendUnique(units, e.Unit)
		regions = appendUnique(regions, e.Region)
		teams = appendUnique(teams, e.Team)
	}
	slices.Sort(units)
	return slices.DeleteFunc(units, func(s string) bool { return s == "" }), slices.DeleteFunc(regions, func(s string) bool { return s == "" }),
		slices.DeleteFunc(teams, func(s string) bool { return s == "" })
}

// registerFieldView is one input of a register's form.
type registerFieldView struct {
	Key, Label, Unit, Help string
	Input                  string // text, textarea, date, number, select, multi
	Value                  string
	Values                 []string // what a multiple choice holds
	Options                []string
	Required, Fixed        bool
	Max, Step              string
	Problem                string
}

type registerFormData struct {
	planData
	Spec       xiezuo.RegisterSpec
	Action     string
	Fields     []registerFieldView
	Problems   []xiezuo.FieldProblem
	Correcting bool // a correction: a reason is asked
	Reason     string
	ReasonErr  string
	// A withdrawal sent back: its reason and message, under 撤销原因 in the open panel.
	WithdrawReason, WithdrawErr string
	ListHref                    string
}

// registerForm builds the form of spec for u with the values typed (by key) and the problems
// found.
func (s *Server) registerForm(pd *planData, spec xiezuo.RegisterSpec, raw map[string]string, probs []xiezuo.FieldProblem) []registerFieldView {
	u := pd.User
	today := s.todayDate().String()
	var out []registerFieldView
	for _, f := range spec.Fields {
		v := registerFieldView{Key: f.Key, Label: f.Label, Unit: f.Unit, Help: f.Help, Value: raw[f.Key], Required: f.Required, Input: "text"}
		switch f.Kind {
		case xiezuo.FieldLongText:
			v.Input = "textarea"
		case xiezuo.FieldDate:
			v.Input = "date"
			if !f.Future {
				v.Max = today
			}
			if d, ok := xiezuo.ParseFieldDate(v.Value); ok {
				v.Value = d.String()
			} else if v.Value != "" {
				v.Input, v.Max = "text", "" // a date input cannot show what is not a date: show what was typed
			}
		case xiezuo.FieldInt:
			v.Input, v.Step = "number", "1"
		case xiezuo.FieldAmount:
			v.Input, v.Step, v.Unit = "number", "0.000001", "万元"
		case xiezuo.FieldChoice:
			v.Input, v.Options = "select", f.Options
		case xiezuo.FieldChoices:
			v.Input, v.Options = "multi", f.Options
			v.Values = strings.Split(v.Value, "、")
		case xiezuo.FieldUnit: // the office any unit; a unit's user its own, a cadre 前方挂职干部 (fixed)
			v.Input = "select"
			if u.Has(xiezuo.RoleOffice) {
				v.Options = xiezuo.CatalogueUnits()
				for _, pu := range pd.Plan.Units {
					if pu.Kind != xiezuo.KindGroup {
						v.Options = appendUnique(v.Options, pu.Name)
					}
				}
				if v.Value == "" {
					v.Value = u.Unit
				}
			} else {
				v.Options, v.Fixed = []string{u.Unit}, true
				v.Value = u.Unit
			}
		case xiezuo.FieldRegion: // a cadre's own regions, required (xiezuo.RegisterWriteRefusal)
			v.Input, v.Options = "select", xiezuo.RegionNames(pd.Plan)
			if cadreOnly(u) && f.Key == spec.RegionKey {
				v.Options, v.Required = u.Regions, true
			}
			if d, msg := regionTyped(pd.Plan, v.Value); msg == "" {
				v.Value = d
			}
		case xiezuo.FieldTeam: // a team lead's own teams (xiezuo.RegisterTeamsOf)
			v.Input = "select"
			if own := xiezuo.RegisterTeamsOf(u, pd.Plan); own != nil && f.Key == spec.TeamKey {
				v.Options = own
			} else {
				for _, t := range pd.Plan.Teams {
					v.Options = append(v.Options, t.Name)
				}
			}
			if v.Value != "" { // 教育帮扶 → 教育帮扶专班, as CheckEntry reads it
				for _, t := range pd.Plan.Teams {
					if t.Name == v.Value || t.Name == v.Value+"专班" {
						v.Value = t.Name
					}
				}
			}
		case xiezuo.FieldPeriod:
			v.Help = f.Help
		}
		if v.Input == "select" && v.Value != "" && !slices.Contains(v.Options, v.Value) {
			v.Options = append([]string{v.Value}, v.Options...) // what was typed stays shown
		}
		for _, p := range probs {
			if p.Field == f.Key {
				v.Problem = p.Message
			}
		}
		out = append(out, v)
	}
	return out
}

// cadreOnly reports whether u records as a cadre (前方挂职干部) and not for a unit.
func cadreOnly(u *xiezuo.User) bool {
	return u.Has(xiezuo.RoleCadre) && !u.HasAny(xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleOffice)
}

// regionTyped is a typed region as CheckEntry reads it (武川县 → 内蒙古武川县), so that a
// select shows it chosen.
func regionTyped(p *xiezuo.Plan, v string) (string, string) {
	e, probs := xiezuo.CheckEntry(xiezuo.RegisterSpec{Fields: []xiezuo.RegisterField{{Key: "r", Kind: xiezuo.FieldRegion}}}, p, map[string]string{"r": v}, xiezuo.Date{})
	if len(probs) > 0 {
		return "", probs[0].Message
	}
	return e.Values["r"], ""
}

// formValues reads a register's fields from a form: a multiple choice joined by 、.
func formValues(r *http.Request, spec xiezuo.RegisterSpec) map[string]string {
	raw := map[string]string{}
	for _, f := range spec.Fields {
		vs := r.PostForm[f.Key]
		if f.Kind == xiezuo.FieldChoices {
			raw[f.Key] = strings.Join(vs, "、")
		} else if len(vs) > 0 {
			raw[f.Key] = vs[0]
		}
	}
	return raw
}

// registerNewPage is the form of a new entry, prefilled from the query (?team=教育帮扶专班&kind=典型案例).
func (s *Server) registerNewPage(w http.ResponseWriter, r *http.Request) {
	if u := currentUser(r); !u.CanRecordRegisters(u.District) {
		s.fail(w, r, xiezuo.RegisterWriteRefusal(u, u.District, nil, xiezuo.RegisterSpec{}, xiezuo.RegisterEntry{}))
		return
	}
	pd, spec, ok := s.registerPlan(w, r)
	if !ok {
		return
	}
	if !pd.User.CanRecordRegisters(pd.District) {
		s.fail(w, r, xiezuo.RegisterWriteRefusal(pd.User, pd.District, pd.Plan, spec, xiezuo.RegisterEntry{}))
		return
	}
	raw := map[string]string{}
	q := r.URL.Query()
	for _, f := range spec.Fields {
		if v := strings.TrimSpace(q.Get(f.Key)); v != "" {
			raw[f.Key] = v
		}
	}
	s.renderRegisterForm(w, r, http.StatusOK, pd, spec, raw, nil)
}

func (s *Server) renderRegisterForm(w http.ResponseWriter, r *http.Request, status int, pd *planData, spec xiezuo.RegisterSpec, raw map[string]string, probs []xiezuo.FieldProblem) {
	d := registerFormData{planData: *pd, Spec: spec, Action: "/registers/" + string(spec.Kind) + pd.q(),
		Fields: s.registerForm(pd, spec, raw, probs), Problems: probs, ListHref: registerHref(pd, spec.Kind, "", nil)}
	d.Title = "登记" + spec.Title
	s.render(w, r, status, "register_form", d)
}

// registerCreate records an entry from the form: bad input comes back with the messages beside
// the fields and what was typed (422); an entry the user may not record is refused (403);
// otherwise it is stored and the browser goes to it.
func (s *Server) registerCreate(w http.ResponseWriter, r *http.Request) {
	pd, spec, ok := s.registerPlan(w, r)
	if !ok {
		return
	}
	u := pd.User
	if !u.CanRecordRegisters(pd.District) {
		s.registerRefused(w, r, spec, xiezuo.RegisterWriteRefusal(u, pd.District, pd.Plan, spec, xiezuo.RegisterEntry{}))
		return
	}
	raw := formValues(r, spec)
	if spec.UnitKey != "" && strings.TrimSpace(raw[spec.UnitKey]) == "" && !u.Has(xiezuo.RoleOffice) {
		raw[spec.UnitKey] = u.Unit // the form fixes a unit's own
	}
	e, probs := xiezuo.CheckEntry(spec, pd.Plan, raw, s.todayDate())
	if len(probs) > 0 {
		s.renderRegisterForm(w, r, http.StatusUnprocessableEntity, pd, spec, raw, probs)
		return
	}
	if err := xiezuo.RegisterWriteRefusal(u, pd.District, pd.Plan, spec, e); err != nil {
		if p, ok := s.refusalProblem(r, pd, spec, e, err); ok {
			s.renderRegisterForm(w, r, http.StatusUnprocessableEntity, pd, spec, raw, []xiezuo.FieldProblem{p})
			return
		}
		s.registerRefused(w, r, spec, err)
		return
	}
	out, err := s.db.WriteRegisterEntries(r.Context(), pd.District, []xiezuo.RegisterEntry{e})
	if p, ok := duplicateProblem(spec, err); ok {
		s.renderRegisterForm(w, r, http.StatusUnprocessableEntity, pd, spec, raw, []xiezuo.FieldProblem{p})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirectRegister(w, r, pd, spec, out[0].Entry, "已登记“"+spec.Title+"”第 "+strconv.FormatInt(out[0].Entry, 10)+" 号记录")
}

// refusalProblem is a refused entry's refusal as the problem of the field it is about (the
// unit, the region, the team), audited as a failure, for the form to show it with what was
// typed (422); false when the refusal is about the user (a 403 page).
func (s *Server) refusalProblem(r *http.Request, pd *planData, spec xiezuo.RegisterSpec, e xiezuo.RegisterEntry, err error) (xiezuo.FieldProblem, bool) {
	key := xiezuo.RegisterRefusalField(pd.User, pd.District, pd.Plan, spec, e)
	if key == "" {
		return xiezuo.FieldProblem{}, false
	}
	action := sqldb.AuditRegisterAdd
	if strings.HasSuffix(r.URL.Path, "/correct") {
		action = sqldb.AuditRegisterCorrect
	}
	s.audit(r.Context(), action, "register", r.PathValue("entry"), spec.Title, "failure", xiezuo.ErrorMessage(err))
	return xiezuo.FieldProblem{Field: key, Label: spec.LabelOf(key), Message: xiezuo.ErrorMessage(err)}, true
}

// duplicateProblem is storage's refusal of a second entry of a natural key (ECONFLICT, naming
// the entry to correct) as the problem of the register's date field, for the form to show it
// with what was typed.
func duplicateProblem(spec xiezuo.RegisterSpec, err error) (xiezuo.FieldProblem, bool) {
	if err == nil || xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || spec.DateKey == "" || !spec.NaturalKeyed() {
		return xiezuo.FieldProblem{}, false
	}
	return xiezuo.FieldProblem{Field: spec.DateKey, Label: spec.LabelOf(spec.DateKey), Message: xiezuo.ErrorMessage(err)}, true
}

// registerRefused answers a refused write (EFORBIDDEN), audited as a failure of the action the
// route asks (an addition, correction, withdrawal or import).
func (s *Server) registerRefused(w http.ResponseWriter, r *http.Request, spec xiezuo.RegisterSpec, err error) {
	action := sqldb.AuditRegisterAdd
	switch {
	case strings.HasSuffix(r.URL.Path, "/correct"):
		action = sqldb.AuditRegisterCorrect
	case strings.HasSuffix(r.URL.Path, "/withdraw"):
		action = sqldb.AuditRegisterWithdraw
	case strings.HasSuffix(r.URL.Path, "/import"):
		action = sqldb.AuditRegisterImport
	}
	s.audit(r.Context(), action, "register", r.PathValue("entry"), spec.Title, "failure", xiezuo.ErrorMessage(err))
	s.fail(w, r, err)
}

func (s *Server) redirectRegister(w http.ResponseWriter, r *http.Request, pd *planData, spec xiezuo.RegisterSpec, entry int64, msg string) {
	q := url.Values{"year": {strconv.Itoa(pd.Year)}, "district": {pd.District}}
	http.Redirect(w, r, "/registers/"+string(spec.Kind)+"/"+strconv.FormatInt(entry, 10)+"?"+s.flash(q, msg, "ok"), http.StatusSeeOther)
}

type registerValueView struct{ Label, Value, Unit string }

type registerHistoryView struct {
	What, Who, When, Reason string
	Values                  []registerValueView
}

type registerEntryData struct {
	planData
	Spec      xiezuo.RegisterSpec
	ID        int64
	Values    []registerValueView
	History   []registerHistoryView
	AsOf      string
	Absent    string // why nothing is shown as of the day asked (not yet recorded, withdrawn)
	Withdrawn string // the withdrawal, when the entry is withdrawn
	CanEdit   bool
	Form      registerFormData
	ListHref  string
}

// registerEntryRows reads the rows of the path's entry of spec's register in the district: the
// entry of another register is not found.
func (s *Server) registerEntryRows(r *http.Request, district string, spec xiezuo.RegisterSpec, id string) ([]xiezuo.RegisterEntry, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为“%s”的%s记录", id, spec.Title)
	}
	rows, err := s.db.RegisterEntryRows(r.Context(), district, n)
	if err != nil {
		return nil, err
	}
	if rows[0].Kind != spec.Kind {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "第 %d 号记录不是“%s”的记录", n, spec.Title)
	}
	return rows, nil
}

// entryValues are an entry's fields and derived figures, as a clerk reads them.
func entryValues(spec xiezuo.RegisterSpec, e xiezuo.RegisterEntry) []registerValueView {
	var out []registerValueView
	for _, f := range spec.Fields {
		v := spec.Display(e, f.Key)
		unit := spec.UnitOf(f.Key)
		if v == "" {
			v, unit = "未填写", ""
		}
		out = append(out, registerValueView{f.Label, v, unit})
	}
	for _, dv := range spec.Derived {
		v := spec.Display(e, dv.Key)
		unit := dv.Unit
		if v == "" {
			v, unit = "未报", ""
		}
		out = append(out, registerValueView{dv.Label, v, unit})
	}
	return out
}

// whoLabel is the author of a row as 姓名（单位）.
func (s *Server) whoLabel(r *http.Request, names map[string]string, row xiezuo.RegisterEntry) string {
	if n, ok := names[row.By]; ok {
		return n
	}
	label := row.By + "（" + row.ByUnit + "）"
	if u, err := s.db.UserByUsername(r.Context(), row.By); err == nil && u.Name != "" {
		label = u.Name + "（" + u.Unit + "）"
	}
	names[row.By] = label
	return label
}

// registerEntryPage shows an entry as it stands (or stood ?as_of=), its history, and the
// correction and withdrawal forms for who may use them.
func (s *Server) registerEntryPage(w http.ResponseWriter, r *http.Request) {
	pd, spec, ok := s.registerPlan(w, r)
	if !ok {
		return
	}
	rows, err := s.registerEntryRows(r, pd.District, spec, r.PathValue("entry"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderRegisterEntry(w, r, http.StatusOK, pd, spec, rows, nil, nil, "", "")
}

func (s *Server) renderRegisterEntry(w http.ResponseWriter, r *http.Request, status int, pd *planData, spec xiezuo.RegisterSpec, rows []xiezuo.RegisterEntry,
	raw map[string]string, probs []xiezuo.FieldProblem, reason, reasonErr string, withdrawing ...bool) {
	_, day, err := s.asOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var at time.Time
	if day != "" {
		asOf, _ := xiezuo.ParseDate(day)
		at = endOfDay(asOf)
	}
	d := registerEntryData{planData: *pd, Spec: spec, ID: rows[0].Entry, AsOf: day, ListHref: registerHref(pd, spec.Kind, "", nil)}
	d.Title = spec.Title + "第 " + strconv.FormatInt(d.ID, 10) + " 号记录"
	names := map[string]string{}
	for i, row := range rows {
		h := registerHistoryView{What: "登记", Who: s.whoLabel(r, names, row), When: fmtTime(row.At), Reason: row.Reason}
		switch {
		case row.Withdrawn:
			h.What = "撤销"
		case i > 0:
			h.What = "更正"
			h.Values = entryValues(spec, row)
		}
		d.History = append(d.History, h)
	}
	latest := rows[len(rows)-1]
	if latest.Withdrawn {
		d.Withdrawn = "已于 " + fmtTime(latest.At) + " 由 " + s.whoLabel(r, names, latest) + " 撤销：" + latest.Reason
	}
	now := xiezuo.EntriesAt(rows, at)
	switch {
	case len(now) == 1:
		d.Values = entryValues(spec, now[0])
	case day != "" && rows[0].At.After(at):
		d.Absent = day + " 时还没有登记这条记录"
	default:
		d.Absent = "这条记录已撤销"
	}
	u := pd.User
	if day == "" && !latest.Withdrawn && xiezuo.RegisterWriteRefusal(u, pd.District, pd.Plan, spec, latest) == nil {
		d.CanEdit = true
		if raw == nil {
			raw = map[string]string{}
			for _, f := range spec.Fields {
				raw[f.Key] = spec.Typed(latest, f.Key)
			}
		}
		d.Form = registerFormData{planData: *pd, Spec: spec, Fields: s.registerForm(pd, spec, raw, probs), Problems: probs, Correcting: true,
			Reason: reason, ReasonErr: reasonErr, Action: "/registers/" + string(spec.Kind) + "/" + strconv.FormatInt(d.ID, 10) + "/correct" + pd.q()}
		if len(withdrawing) > 0 && withdrawing[0] {
			d.Form.Reason, d.Form.ReasonErr, d.Form.WithdrawReason, d.Form.WithdrawErr = "", "", reason, reasonErr
		}
	}
	s.render(w, r, status, "register_entry", d)
}

// registerChange loads what a correction or withdrawal needs: the plan, the register, the
// entry's rows, and whether the user may change it as it stands.
func (s *Server) registerChange(w http.ResponseWriter, r *http.Request) (*planData, xiezuo.RegisterSpec, []xiezuo.RegisterEntry, bool) {
	pd := s.currentPlan(w, r, "registers", "工作台账")
	if pd == nil {
		return nil, xiezuo.RegisterSpec{}, nil, false
	}
	spec, err := registerSpec(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, spec, nil, false
	}
	if !pd.User.CanRecordRegisters(pd.District) {
		s.registerRefused(w, r, spec, xiezuo.RegisterWriteRefusal(pd.User, pd.District, pd.Plan, spec, xiezuo.RegisterEntry{}))
		return nil, spec, nil, false
	}
	rows, err := s.registerEntryRows(r, pd.District, spec, r.PathValue("entry"))
	if err != nil {
		s.fail(w, r, err)
		return nil, spec, nil, false
	}
	latest := rows[len(rows)-1]
	if latest.Withdrawn {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ECONFLICT, "第 %d 号记录已撤销，不能再修改", latest.Entry))
		return nil, spec, nil, false
	}
	if err := xiezuo.RegisterWriteRefusal(pd.User, pd.District, pd.Plan, spec, latest); err != nil {
		s.registerRefused(w, r, spec, err)
		return nil, spec, nil, false
	}
	return pd, spec, rows, true
}

// maxRegisterReason bounds the reason of a correction or withdrawal, in characters.
const maxRegisterReason = 500

// reasonOf reads the form's reason of a change (更正, 撤销): "" and the message when it is
// missing or too long.
func reasonOf(r *http.Request, change string) (string, string) {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	switch n := len([]rune(reason)); {
	case reason == "":
		return "", "请填写" + change + "的原因"
	case n > maxRegisterReason:
		return reason, "原因太长（" + strconv.Itoa(n) + " 个字），最多 " + strconv.Itoa(maxRegisterReason) + " 个字"
	}
	return reason, ""
}

// registerCorrect stores a correction of an entry: a new row with the whole set of values and
// the reason; bad input comes back with its messages (422).
func (s *Server) registerCorrect(w http.ResponseWriter, r *http.Request) {
	pd, spec, rows, ok := s.registerChange(w, r)
	if !ok {
		return
	}
	raw := formValues(r, spec)
	e, probs := xiezuo.CheckEntry(spec, pd.Plan, raw, s.todayDate())
	reason, reasonErr := reasonOf(r, "更正")
	if len(probs) > 0 || reasonErr != "" {
		s.renderRegisterEntry(w, r, http.StatusUnprocessableEntity, pd, spec, rows, raw, probs, reason, reasonErr)
		return
	}
	if err := xiezuo.RegisterWriteRefusal(pd.User, pd.District, pd.Plan, spec, e); err != nil {
		if p, ok := s.refusalProblem(r, pd, spec, e, err); ok {
			s.renderRegisterEntry(w, r, http.StatusUnprocessableEntity, pd, spec, rows, raw, []xiezuo.FieldProblem{p}, reason, "")
			return
		}
		s.registerRefused(w, r, spec, err)
		return
	}
	e.Entry, e.Reason = rows[0].Entry, reason
	_, err := s.db.WriteRegisterEntries(r.Context(), pd.District, []xiezuo.RegisterEntry{e})
	if p, ok := duplicateProblem(spec, err); ok {
		s.renderRegisterEntry(w, r, http.StatusUnprocessableEntity, pd, spec, rows, raw, []xiezuo.FieldProblem{p}, reason, "")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirectRegister(w, r, pd, spec, e.Entry, "已更正第 "+strconv.FormatInt(e.Entry, 10)+" 号记录")
}

// registerWithdraw withdraws an entry, with its reason.
func (s *Server) registerWithdraw(w http.ResponseWriter, r *http.Request) {
	pd, spec, rows, ok := s.registerChange(w, r)
	if !ok {
		return
	}
	reason, reasonErr := reasonOf(r, "撤销")
	if reasonErr != "" {
		s.renderRegisterEntry(w, r, http.StatusUnprocessableEntity, pd, spec, rows, nil, nil, reason, reasonErr, true)
		return
	}
	e := rows[len(rows)-1]
	e.ID, e.Withdrawn, e.Reason, e.At = 0, true, reason, time.Time{}
	if _, err := s.db.WriteRegisterEntries(r.Context(), pd.District, []xiezuo.RegisterEntry{e}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirectRegister(w, r, pd, spec, e.Entry, "已撤销第 "+strconv.FormatInt(e.Entry, 10)+" 号记录")
}

// registerTeamView is a work team's articles and typical cases of the year (the quota of the
// task list: 各专班报送不少于1个典型案例和6篇信息), with the links to list and add them.
type registerTeamView struct {
	Team              string
	Info, Cases       int
	ListHref, NewHref string
	CanRecord         bool
}

// teamArticles counts the articles and typical cases of each team named, dated in the plan's
// year.
func (s *Server) teamArticles(r *http.Request, pd *planData, teams []string) ([]registerTeamView, error) {
	if len(teams) == 0 {
		return nil, nil
	}
	entries, err := s.registerEntries(r, pd.District, xiezuo.Date{}, xiezuo.RegArticle)
	if err != nil {
		return nil, err
	}
	var out []registerTeamView
	for _, t := range teams {
		v := registerTeamView{Team: t, CanRecord: pd.User.CanRecordRegisters(pd.District)}
		for _, e := range entries {
			if e.Team == t && e.On.Year == pd.Year {
				switch e.Values["kind"] {
				case "信息":
					v.Info++
				case "典型案例":
					v.Cases++
				}
			}
		}
		q := yearFilter(pd.Year)
		q.Set("team", t)
		v.ListHref = registerHref(pd, xiezuo.RegArticle, "", q)
		v.NewHref = registerHref(pd, xiezuo.RegArticle, "new", url.Values{"team": {t}})
		out = append(out, v)
	}
	return out, nil
}
