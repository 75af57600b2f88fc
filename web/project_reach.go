package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/division"
	"xiezuo/sqldb"
)

// What a project reaches and leaves (issue 9, parts 3 and 4): on the project page, the villages
// it names (resolved in the register of package division within the project's region), its
// results planned against actual, and its assets; a region's results table; the plan's asset
// register with its workbook; and the assets API. Who writes is xiezuo.User.CanEditProject.

// reachRefusal is the message of a write refused for who the user is.
const reachRefusal = "只有办公室、项目牵头单位和联系该地区的挂职干部可以登记项目的受益村、成效和资产"

// villageView is a village a project names.
type villageView struct {
	Code, Name string
	Town       string // its town, from the register
}

// villageAsk is a name the register lacks, with the villages offered instead.
type villageAsk struct {
	Name    string
	Note    string // why nothing could be checked, when the region is not in the register
	Choices []villageView
}

// outcomeLine is a figure planned against actual, as pages show it.
type outcomeLine struct {
	Label, Unit     string
	Planned, Actual string
	Named           bool // the actual villages count the villages named
}

// resultRow is a result figure as reported; By names who reported it, 姓名（单位）.
type resultRow struct {
	Label, Unit string
	Value       int64
	On, By, At  string
}

// assetView is an asset as pages show it.
type assetView struct {
	xiezuo.Asset
	Region, Project, ProjectHref string
	ValueYuan                    string
	At                           string
}

// reachView is the project page's section on villages, results and assets (project_reach.html).
type reachView struct {
	Action      string // the project's path, which the forms post under
	CanEdit     bool
	AsOf        string // the day shown
	Today       string
	Past        bool // the page shows a past day
	Villages    []villageView
	Ask         *villageAsk
	Lines       []outcomeLine
	Results     []resultRow
	Assets      []assetView
	Kinds       []xiezuo.ResultKind
	AssetKinds  []string
	RegionHref  string // the region's results table
	AssetsHref  string // the plan's asset register, filtered to the region
	CountyKnown bool
}

// projectReach gathers the section of project p: its facts read from storage, laid out as of
// ?as_of= (default today).
func (s *Server) projectReach(r *http.Request, pd *planData, p xiezuo.Project) (reachView, error) {
	today := xiezuo.DayOf(s.today())
	asOf, err := xiezuo.ParseAsOf(r.URL.Query(), today)
	if err != nil {
		return reachView{}, err
	}
	day, at := today, s.today()
	if !asOf.IsZero() {
		day, at = asOf, xiezuo.EndOfDay(asOf)
	}
	ctx := r.Context()
	facts, err := s.db.ProjectVillages(ctx, p.ID)
	if err != nil {
		return reachView{}, err
	}
	results, err := s.db.ProjectResults(ctx, p.ID)
	if err != nil {
		return reachView{}, err
	}
	assets, err := s.db.ProjectAssets(ctx, p.ID)
	if err != nil {
		return reachView{}, err
	}
	v := reachView{Action: "/projects/" + strconv.FormatInt(p.ID, 10), CanEdit: pd.User.CanEditProject(pd.District, &p) && asOf.IsZero(),
		AsOf: day.String(), Today: today.String(), Past: !asOf.IsZero(), Kinds: xiezuo.ResultKinds, AssetKinds: xiezuo.AssetKinds,
		RegionHref: "/regions/" + url.PathEscape(p.Region) + "/results" + pd.q(),
		AssetsHref: "/assets" + pd.link(url.Values{"region": {p.Region}})}
	if !asOf.IsZero() {
		v.RegionHref += "&as_of=" + asOf.String()
	}
	current := xiezuo.VillagesAt(facts, at)
	for _, f := range current {
		v.Villages = append(v.Villages, viewOfVillage(f))
	}
	v.Lines = outcomeLines(xiezuo.ProjectOutcome(p, current, results, day))
	names := make([]string, len(results))
	for i, res := range results {
		names[i] = res.By
	}
	who, err := s.lookupPeople(r, names...)
	if err != nil {
		return reachView{}, err
	}
	for i := len(results) - 1; i >= 0; i-- {
		res := results[i]
		if res.At.After(at) {
			continue
		}
		v.Results = append(v.Results, resultRow{res.Kind.Label(), res.Kind.Unit(), res.Value, res.On.String(), who.label(res.By, ""), fmtTime(res.At)})
	}
	for _, a := range xiezuo.AssetsAt(assets, at) {
		v.Assets = append(v.Assets, viewOfAsset(a, p, ""))
	}
	if name := strings.TrimSpace(r.URL.Query().Get("village")); name != "" && v.CanEdit {
		_, _, nearest, note := findVillage(p.Region, name)
		ask := &villageAsk{Name: name, Note: note}
		for _, d := range nearest {
			ask.Choices = append(ask.Choices, villageView{Code: string(d.Code), Name: d.Name, Town: d.ParentName})
		}
		v.Ask = ask
	}
	return v, nil
}

func viewOfVillage(f xiezuo.ProjectVillage) villageView {
	vv := villageView{Code: f.Code, Name: f.Name}
	if d, ok := division.Lookup(division.Code(f.Code)); ok && f.Code != "" {
		vv.Town = d.ParentName
	}
	return vv
}

func viewOfAsset(a xiezuo.Asset, p xiezuo.Project, href string) assetView {
	return assetView{Asset: a, Region: p.Region, Project: p.Name, ProjectHref: href, ValueYuan: xiezuo.FormatYuan(a.Value.V), At: fmtTime(a.At)}
}

func outcomeLines(ls []xiezuo.ResultLine) []outcomeLine {
	out := make([]outcomeLine, len(ls))
	for i, l := range ls {
		out[i] = outcomeLine{Label: l.Kind.Label(), Unit: l.Kind.Unit(), Planned: l.Planned.String(), Actual: l.Actual.String(), Named: l.Named}
	}
	return out
}

// findVillage resolves what a user wrote for a village of a project's region: the 12-digit code
// of a village in the region's county, or a name division.FindVillage finds there. Not found, it
// gives up to five villages of the register to offer instead; note says why nothing could be
// checked when the region itself is not a county of the register.
func findVillage(region, text string) (v xiezuo.ProjectVillage, ok bool, nearest []division.Division, note string) {
	text = strings.TrimSpace(text)
	counties, err := division.FindCounty(region)
	if err != nil {
		return xiezuo.ProjectVillage{Name: text}, false, nil, "协作地区“" + region + "”不是区划库中的区县，无法核对村名"
	}
	if len(text) == 12 && strings.Trim(text, "0123456789") == "" {
		if d, found := division.Lookup(division.Code(text)); found && d.Level == division.Village {
			for _, c := range counties {
				if strings.HasPrefix(text, string(c.Code)) {
					return xiezuo.ProjectVillage{Code: string(d.Code), Name: d.Name}, true, nil, ""
				}
			}
			return xiezuo.ProjectVillage{Name: text}, false, nil, "区划代码 " + text + " 是" + d.FullName() + "，不在" + region
		}
		return xiezuo.ProjectVillage{Name: text}, false, nil, "区划库中没有代码为 " + text + " 的村"
	}
	for _, c := range counties {
		match, found, near := division.FindVillage(c.Code, text)
		if found {
			return xiezuo.ProjectVillage{Code: string(match.Code), Name: match.Name}, true, nil, ""
		}
		nearest = append(nearest, near...)
	}
	if len(nearest) > 5 {
		nearest = nearest[:5]
	}
	return xiezuo.ProjectVillage{Name: text}, false, nearest, ""
}

// reachProject finds the project of the path's {id}, its plan, and checks that the user may
// write its facts; otherwise it has answered (404, or 403 with the refusal audited) and p is nil.
func (s *Server) reachProject(w http.ResponseWriter, r *http.Request, action string) (district string, year int, p *xiezuo.Project) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为“%s”的项目", r.PathValue("id")))
		return "", 0, nil
	}
	district, year, err = s.db.DutyPlan(r.Context(), xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: id})
	if err != nil {
		s.fail(w, r, err)
		return "", 0, nil
	}
	u := currentUser(r)
	if u.District != district && !u.CanReadDistrict(district) {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的项目", id))
		return "", 0, nil
	}
	plan, _, err := s.plans.getVersion(r.Context(), district, year)
	if err != nil {
		s.fail(w, r, err)
		return "", 0, nil
	}
	i, found := plan.ProjectIndex(id)
	if !found {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的项目", id))
		return "", 0, nil
	}
	p = &plan.Projects[i]
	if !u.CanEditProject(district, p) {
		s.audit(r.Context(), action, "project", strconv.FormatInt(id, 10), p.Name, "failure", "无权登记此项目的受益村、成效和资产")
		s.fail(w, r, xiezuo.Errorf(xiezuo.EFORBIDDEN, "%s", reachRefusal))
		return "", 0, nil
	}
	return district, year, p
}

// backToProject answers a form with a redirect to the project's page (its reach section), or
// to the cadres' page at the project when the form came from there (from=cadre), saying what
// became of the form; extra adds query values (the village asked about).
func (s *Server) backToProject(w http.ResponseWriter, r *http.Request, district string, year int, p *xiezuo.Project, err error, ok string, extra url.Values) {
	q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}}
	for k, v := range extra {
		q[k] = v
	}
	switch {
	case err != nil && xiezuo.ErrorCode(err) != xiezuo.EINVALID && xiezuo.ErrorCode(err) != xiezuo.ECONFLICT:
		s.fail(w, r, err)
		return
	case err != nil:
		s.flash(q, xiezuo.ErrorMessage(err), "error")
	case ok != "" && len(extra) > 0:
		s.flash(q, ok, "warn")
	case ok != "":
		s.flash(q, ok, "ok")
	}
	if r.PostFormValue("from") == "cadre" && len(extra) == 0 {
		http.Redirect(w, r, "/cadre?"+q.Encode()+"#project-"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10)+"?"+q.Encode()+"#reach", http.StatusSeeOther)
}

// projectVillageAdd names a village a project reaches: by a code chosen among those offered,
// or by what the user wrote, resolved in the register. A name the register lacks is not
// stored: the page asks again with the nearest names, unless the user keeps it as written
// (keep=1), stored without code.
func (s *Server) projectVillageAdd(w http.ResponseWriter, r *http.Request) {
	district, year, p := s.reachProject(w, r, sqldb.AuditVillageAdd)
	if p == nil {
		return
	}
	text := strings.TrimSpace(r.PostFormValue("name"))
	if code := strings.TrimSpace(r.PostFormValue("code")); code != "" {
		text = code
	}
	if text == "" {
		s.backToProject(w, r, district, year, p, xiezuo.Errorf(xiezuo.EINVALID, "请填写村名或 12 位区划代码"), "", nil)
		return
	}
	v, found, _, note := findVillage(p.Region, text)
	if !found && r.PostFormValue("keep") != "1" {
		msg := "区划库中（" + p.Region + "）没有“" + text + "”，请从下面的相近村名中选择，或按原文保留"
		if note != "" {
			msg = note + "：可以按原文保留"
		}
		s.backToProject(w, r, district, year, p, nil, msg, url.Values{"village": {text}})
		return
	}
	v.ProjectID, v.At = p.ID, s.today()
	saved, err := s.db.SaveProjectVillage(r.Context(), v)
	s.pub.forget() // this instance's public notice shows it at once (public.go)
	msg := "已登记受益村“" + saved.Name + "”"
	if saved.Code == "" {
		msg += "（区划库中没有，按原文保留）"
	}
	s.backToProject(w, r, district, year, p, err, msg, nil)
}

// projectVillageRemove takes a village off a project (a new fact; the earlier ones stay).
func (s *Server) projectVillageRemove(w http.ResponseWriter, r *http.Request) {
	district, year, p := s.reachProject(w, r, sqldb.AuditVillageRemove)
	if p == nil {
		return
	}
	v := xiezuo.ProjectVillage{ProjectID: p.ID, Code: strings.TrimSpace(r.PostFormValue("code")), Name: strings.TrimSpace(r.PostFormValue("name")), Removed: true, At: s.today()}
	saved, err := s.db.SaveProjectVillage(r.Context(), v)
	s.pub.forget() // this instance's public notice shows it at once (public.go)
	s.backToProject(w, r, district, year, p, err, "已移除受益村“"+saved.Name+"”", nil)
}

// projectResultAdd records a result figure of a project as of a date, from the project page or
// the cadres' page (from=cadre), which it answers.
func (s *Server) projectResultAdd(w http.ResponseWriter, r *http.Request) {
	district, year, p := s.reachProject(w, r, sqldb.AuditResultAdd)
	if p == nil {
		return
	}
	res, err := resultForm(r)
	if err == nil {
		res.ProjectID, res.At = p.ID, s.today()
		err = xiezuo.CheckResult(res, xiezuo.DayOf(s.today()))
	}
	if err == nil {
		res, err = s.db.AddProjectResult(r.Context(), res)
	}
	s.backToProject(w, r, district, year, p, err, fmt.Sprintf("已登记%s %d%s（%s）", res.Kind.Label(), res.Value, res.Kind.Unit(), res.On), nil)
}

func resultForm(r *http.Request) (xiezuo.ProjectResult, error) {
	kind, err := xiezuo.ParseResultKind(r.PostFormValue("kind"))
	if err != nil {
		return xiezuo.ProjectResult{}, err
	}
	v, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("value")), 10, 64)
	if err != nil {
		return xiezuo.ProjectResult{}, xiezuo.Errorf(xiezuo.EINVALID, "%s应填写整数（%s），实为“%s”", kind.Label(), kind.Unit(), r.PostFormValue("value"))
	}
	on, err := xiezuo.ParseDate(strings.TrimSpace(r.PostFormValue("on")))
	if err != nil {
		return xiezuo.ProjectResult{}, xiezuo.Errorf(xiezuo.EINVALID, "统计日期“%s”无效，应写作 2021-09-30", r.PostFormValue("on"))
	}
	return xiezuo.ProjectResult{Kind: kind, Value: v, On: on}, nil
}

// apiAssetInput is the body of POST /api/v1/projects/{id}/assets, and the asset form's fields.
type apiAssetInput struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	ValueYuan  string `json:"value_yuan"` // a decimal string, at most 2 decimals
	Quantity   int64  `json:"quantity"`
	Unit       string `json:"unit"`
	Owner      string `json:"owner"`
	HandoverOn string `json:"handover_on"` // YYYY-MM-DD
	Upkeep     string `json:"upkeep"`
	Supersedes int64  `json:"supersedes,omitempty"` // the id of the asset record this one corrects
}

// asset reads the input as an asset of project id; a value or date that does not read is
// refused with what to write.
func (in apiAssetInput) asset(id int64) (xiezuo.Asset, error) {
	a := xiezuo.Asset{ProjectID: id, Kind: strings.TrimSpace(in.Kind), Name: in.Name, Unit: in.Unit, Owner: in.Owner, Upkeep: in.Upkeep, Supersedes: in.Supersedes}
	if s := strings.TrimSpace(in.ValueYuan); s != "" {
		_, frac, _ := strings.Cut(s, ".")
		v, ok := xiezuo.ParseDecimal(s, xiezuo.FenPerYuan)
		if !ok || len(frac) > 2 {
			return a, xiezuo.Errorf(xiezuo.EINVALID, "资产价值“%s”应为以元为单位的数字，最多两位小数", in.ValueYuan)
		}
		a.Value = xiezuo.Known(v)
	}
	if in.Quantity != 0 {
		a.Quantity = xiezuo.Known(in.Quantity)
	}
	if s := strings.TrimSpace(in.HandoverOn); s != "" {
		d, err := xiezuo.ParseDate(s)
		if err != nil {
			return a, xiezuo.Errorf(xiezuo.EINVALID, "移交日期“%s”无效，应写作 2021-10-30", in.HandoverOn)
		}
		a.HandoverOn = d
	}
	return a, nil
}

// projectAssetAdd registers an asset of a project, or corrects one (supersedes).
func (s *Server) projectAssetAdd(w http.ResponseWriter, r *http.Request) {
	district, year, p := s.reachProject(w, r, sqldb.AuditAssetAdd)
	if p == nil {
		return
	}
	in := apiAssetInput{Kind: r.PostFormValue("kind"), Name: r.PostFormValue("name"), ValueYuan: r.PostFormValue("value_yuan"),
		Unit: r.PostFormValue("unit"), Owner: r.PostFormValue("owner"), HandoverOn: r.PostFormValue("handover_on"), Upkeep: r.PostFormValue("upkeep")}
	var err error
	if q := strings.TrimSpace(r.PostFormValue("quantity")); q != "" {
		if in.Quantity, err = strconv.ParseInt(q, 10, 64); err != nil {
			err = xiezuo.Errorf(xiezuo.EINVALID, "资产数量应为整数，实为“%s”", q)
		}
	}
	if sup := strings.TrimSpace(r.PostFormValue("supersedes")); sup != "" && err == nil {
		if in.Supersedes, err = strconv.ParseInt(sup, 10, 64); err != nil {
			err = xiezuo.Errorf(xiezuo.EINVALID, "要更正的资产记录编号“%s”无效", sup)
		}
	}
	var a xiezuo.Asset
	if err == nil {
		a, _, err = s.saveAsset(r, in, p.ID, sqldb.Idem{})
	}
	msg := "已登记资产“" + a.Name + "”"
	if a.Supersedes != 0 {
		msg = fmt.Sprintf("已更正资产记录 %d：新记录 %d", a.Supersedes, a.ID)
	}
	s.backToProject(w, r, district, year, p, err, msg, nil)
}

// saveAsset checks the input against today and stores it under k (no key for the form). A
// key used already answers its first asset (replayed), or ECONFLICT for another request, even
// when the input is wrong, as for transactions.
func (s *Server) saveAsset(r *http.Request, in apiAssetInput, project int64, k sqldb.Idem) (xiezuo.Asset, bool, error) {
	a, err := in.asset(project)
	a.At = s.today()
	if err == nil {
		err = xiezuo.CheckAsset(a, xiezuo.DayOf(s.today()))
	}
	if err != nil {
		var stored xiezuo.Asset
		if found, ierr := s.db.IdemStored(r.Context(), k, &stored); ierr != nil || found {
			return stored, found, ierr
		}
		return a, false, err
	}
	return s.db.AddAssetOnce(r.Context(), a, k)
}

// apiAsset is an asset as the API answers it.
type apiAsset struct {
	ID         int64       `json:"id"`
	ProjectID  int64       `json:"project_id"`
	Project    string      `json:"project"`
	Region     string      `json:"region"`
	Kind       string      `json:"kind"`
	Name       string      `json:"name"`
	ValueYuan  xiezuo.Yuan `json:"value_yuan"`
	Quantity   int64       `json:"quantity"`
	Unit       string      `json:"unit"`
	Owner      string      `json:"owner"`
	HandoverOn string      `json:"handover_on"`
	Upkeep     string      `json:"upkeep"`
	Supersedes *int64      `json:"supersedes"`
	By         string      `json:"by"`
	RecordedAt string      `json:"recorded_at"`
}

func apiAssetOf(a xiezuo.Asset, p xiezuo.Project) apiAsset {
	out := apiAsset{ID: a.ID, ProjectID: a.ProjectID, Project: p.Name, Region: p.Region, Kind: a.Kind, Name: a.Name,
		ValueYuan: xiezuo.Yuan(a.Value), Quantity: a.Quantity.V, Unit: a.Unit, Owner: a.Owner, HandoverOn: a.HandoverOn.String(),
		Upkeep: a.Upkeep, By: a.By, RecordedAt: a.At.UTC().Format(time.RFC3339)}
	if a.Supersedes != 0 {
		sup := a.Supersedes
		out.Supersedes = &sup
	}
	return out
}

// apiProjectAssetCreate registers (or corrects) an asset of a project: 201 with the asset; a
// body that does not do 422, someone who may not write the project's facts 403, nothing stored.
func (s *Server) apiProjectAssetCreate(w http.ResponseWriter, r *http.Request) {
	_, _, p := s.reachProject(w, r, sqldb.AuditAssetAdd)
	if p == nil {
		return
	}
	var in apiAssetInput
	if !s.decodeJSON(w, r, &in) {
		return
	}
	idem := sqldb.Idem{UserID: currentUser(r).ID, Key: r.Header.Get("Idempotency-Key"), RequestHash: requestHash(r, in)}
	if err := sqldb.CheckIdemKey(idem.Key); err != nil {
		s.fail(w, r, err)
		return
	}
	a, replayed, err := s.saveAsset(r, in, p.ID, idem)
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
	writeJSON(w, status, apiAssetOf(a, *p))
}

// planAssets is the asset register of a plan as the filter shows it, each asset with its
// project, in the plan's order of projects then as recorded.
func (s *Server) planAssets(r *http.Request, p *xiezuo.Plan, f xiezuo.AssetFilter) ([]assetView, error) {
	rows, err := s.db.PlanAssets(r.Context(), p.District, p.Year)
	if err != nil {
		return nil, err
	}
	byID := map[int64]int{}
	for i, pr := range p.Projects {
		byID[pr.ID] = i
	}
	current := xiezuo.AssetsAt(rows, f.At(s.today()))
	slices.SortStableFunc(current, func(a, b xiezuo.Asset) int { return byID[a.ProjectID] - byID[b.ProjectID] })
	var out []assetView
	for _, a := range current {
		i, ok := byID[a.ProjectID]
		if !ok || !f.Match(a, p.Projects[i].Region) {
			continue
		}
		out = append(out, viewOfAsset(a, p.Projects[i], ""))
	}
	return out, nil
}

// apiPlanAssets lists a plan's assets as of ?as_of=, filtered by region, kind and owner.
func (s *Server) apiPlanAssets(w http.ResponseWriter, r *http.Request) {
	p := s.apiPlan(w, r)
	if p == nil {
		return
	}
	f, err := xiezuo.ParseAssetFilter(r.URL.Query(), xiezuo.DayOf(s.today()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views, err := s.planAssets(r, p, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := map[int64]int{}
	for n, pr := range p.Projects {
		i[pr.ID] = n
	}
	out := []apiAsset{}
	for _, v := range views {
		out = append(out, apiAssetOf(v.Asset, p.Projects[i[v.ProjectID]]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"assets": out})
}

// assetColumns are the columns of the asset register, on the page and in its workbook.
var assetColumns = []column{
	{Header: "协作地区"}, {Header: "项目名称"}, {Header: "资产类别"}, {Header: "资产名称"},
	{Header: "资产价值", Unit: "元", Num: true}, {Header: "数量", Num: true}, {Header: "计量单位"},
	{Header: "产权归属"}, {Header: "移交日期"}, {Header: "管护责任"}, {Header: "记录编号", Num: true},
}

type assetsData struct {
	planData
	Filter  xiezuo.AssetFilter
	Regions []string
	Kinds   []string
	Table   table
	Count   int
	Total   string // the value of the assets shown, in 万元
	AsOf    string
	Today   string
	XLSX    string
}

// assetsTitle names the register: the district, the year, the filter and the day.
func assetsTitle(district string, year int, f xiezuo.AssetFilter, day xiezuo.Date) string {
	title := fmt.Sprintf("%d年%s支援合作帮扶资产台账", year, district)
	var parts []string
	for _, v := range []string{f.Region, f.Kind, f.Owner} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) > 0 {
		title += "（" + strings.Join(parts, "，") + "）"
	}
	return title + "（截至" + day.String() + "）"
}

// assetsPage lists the plan's assets (帮扶资产台账) by region, kind and owner as of a day, for
// the asset checks of the task list; ?format=xlsx downloads it.
func (s *Server) assetsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "assets", "帮扶资产")
	if pd == nil {
		return
	}
	today := xiezuo.DayOf(s.today())
	f, err := xiezuo.ParseAssetFilter(r.URL.Query(), today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views, err := s.planAssets(r, pd.Plan, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	day := today
	if !f.AsOf.IsZero() {
		day = f.AsOf
	}
	d := assetsData{planData: *pd, Filter: f, Kinds: xiezuo.AssetKinds, Count: len(views), AsOf: day.String(), Today: today.String()}
	for _, reg := range pd.Plan.Regions {
		d.Regions = append(d.Regions, reg.Name)
	}
	d.Table = table{Title: "帮扶资产台账", Columns: assetColumns}
	var total int64
	for _, v := range views {
		total += v.Value.V
		d.Table.Rows = append(d.Table.Rows, tableRow{Cells: []cell{
			textCell(v.Region), linkCell(v.Project, projectHref(pd, v.ProjectID)), textCell(v.Kind), textCell(v.Name),
			numCell(v.ValueYuan), numCell(strconv.FormatInt(v.Quantity.V, 10)), textCell(v.Unit),
			textCell(v.Owner), textCell(v.HandoverOn.String()), textCell(v.Upkeep), numCell(strconv.FormatInt(v.ID, 10)),
		}})
	}
	d.Total = xiezuo.FormatWan(total)
	if len(views) > 0 {
		d.Table.Rows = append(d.Table.Rows, tableRow{Class: "total", Cells: []cell{textCell(fmt.Sprintf("合计（%d项）", len(views))),
			textCell(""), textCell(""), textCell(""), numCell(xiezuo.FormatYuan(total)), textCell(""), textCell(""), textCell(""), textCell(""), textCell(""), textCell("")}})
	}
	title := assetsTitle(pd.District, pd.Year, f, day)
	if wantsXLSX(r) {
		d.Table.Title = "帮扶资产台账"
		s.writeXLSX(w, r, d.Table, title)
		return
	}
	q := f.Values()
	q.Set("format", "xlsx")
	d.XLSX = "/assets" + pd.link(q)
	d.Title = title
	s.render(w, r, http.StatusOK, "assets", d)
}

// regionResultRow is a project of a region's results table.
type regionResultRow struct {
	Name, Href string
	Lines      []outcomeLine
}

type regionResultsData struct {
	planData
	Region   string
	AsOf     string
	Today    string
	Kinds    []xiezuo.ResultKind
	Total    []outcomeLine
	Projects []regionResultRow
	Back     string
}

// regionResultsPage is a region's results, planned against actual, per project and in total
// (villages counted distinct across the region's projects), as of ?as_of=.
func (s *Server) regionResultsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "regions", "成效")
	if pd == nil {
		return
	}
	name := r.PathValue("name")
	if !slices.ContainsFunc(pd.Plan.Regions, func(reg xiezuo.PartnerRegion) bool { return reg.Name == name }) {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年%s的计划中没有协作地区“%s”", pd.Year, pd.District, name))
		return
	}
	today := xiezuo.DayOf(s.today())
	asOf, err := xiezuo.ParseAsOf(r.URL.Query(), today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	day, at := today, s.today()
	if !asOf.IsZero() {
		day, at = asOf, xiezuo.EndOfDay(asOf)
	}
	facts, err := s.db.PlanVillages(r.Context(), pd.District, pd.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	results, err := s.db.PlanResults(r.Context(), pd.District, pd.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := regionResultsData{planData: *pd, Region: name, AsOf: day.String(), Today: today.String(), Kinds: xiezuo.ResultKinds, Back: regionHref(pd, name)}
	t := xiezuo.Rollup(pd.Plan, xiezuo.ProjectFilter{Region: name})
	current := map[int64][]xiezuo.ProjectVillage{}
	for _, p := range t.Total.Projects {
		current[p.ID] = xiezuo.VillagesAt(facts[p.ID], at)
		d.Projects = append(d.Projects, regionResultRow{Name: p.Name, Href: projectHref(pd, p.ID),
			Lines: outcomeLines(xiezuo.ProjectOutcome(p, current[p.ID], results[p.ID], day))})
	}
	var stated *xiezuo.Villages
	if len(t.Regions) == 1 {
		v := t.Regions[0].Villages()
		stated = &v
	}
	d.Total = outcomeLines(xiezuo.RegionOutcome(t.Total.Projects, current, results, day, stated))
	d.Title = name + "项目成效"
	s.render(w, r, http.StatusOK, "region_results", d)
}
