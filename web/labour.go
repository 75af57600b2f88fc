package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/sqldb"
	"xiezuo/vault"
)

// Labour cooperation (劳务协作): the three lists of the chosen district, a person's page, the
// placements. Every handler starts from labourPlan, which asks xiezuo.LabourRefusal of the
// chosen district and plan (403 with its words otherwise), and reads people only within
// xiezuo.LabourRegions (a cadre sees the people of its own regions). Personal data comes from
// storage masked; names are masked here for whoever may not reveal (leaders, the city office).

// labourData is what every labour page shares: the chosen plan and what the user may do.
type labourData struct {
	planData
	CanWrite, CanReveal bool
	Regions             []string // the user's scope (xiezuo.LabourRegions): nil all
	Lists               []labourListLink
}

type labourListLink struct {
	Key, Title, Short, Href string
	Count                   int
}

// labourPlan loads the chosen plan and checks that the user may do a with its district's lists;
// nil when the answer is written.
func (s *Server) labourPlan(w http.ResponseWriter, r *http.Request, a xiezuo.LabourAction, title string) *labourData {
	pd := s.currentPlan(w, r, "labour", title)
	if pd == nil {
		return nil
	}
	if msg := xiezuo.LabourRefusal(pd.User, pd.District, pd.Plan, a); msg != "" {
		s.errorPage(w, r, http.StatusForbidden, msg)
		return nil
	}
	d := &labourData{planData: *pd, Regions: xiezuo.LabourRegions(pd.User)}
	d.CanWrite = xiezuo.LabourRefusal(pd.User, pd.District, pd.Plan, xiezuo.LabourWrite) == ""
	d.CanReveal = xiezuo.LabourRefusal(pd.User, pd.District, pd.Plan, xiezuo.LabourReveal) == ""
	for _, l := range xiezuo.LabourLists {
		d.Lists = append(d.Lists, labourListLink{Key: string(l), Title: l.Title(), Short: l.Short(), Href: "/labour/" + string(l) + pd.link(nil)})
	}
	return d
}

// labourMenu reports whether the menu shows 劳务协作 to u for the plan chosen: the rule of
// LabourRead, whose labour units are those of the plan.
func (s *Server) labourMenu(u *xiezuo.User, year int, district string) bool {
	var p *xiezuo.Plan
	if year != 0 {
		// The menu has no request context; the plan cache answers from memory once warm.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		p, _, _ = s.plans.getVersion(ctx, district, year)
	}
	return xiezuo.LabourRefusal(u, district, p, xiezuo.LabourRead) == ""
}

// labourHref is a labour path keeping the chosen plan, with the filter values given.
func (d *labourData) href(path string, q url.Values) string { return path + d.link(q) }

// maskName is the name as the user may see it: whole for those who may reveal.
func (d *labourData) maskName(name string) string {
	if d.CanReveal {
		return name
	}
	return vault.MaskName(name)
}

// labourListOf is the list of the path's {list}: ENOTFOUND when there is none.
func labourListOf(r *http.Request) (xiezuo.LabourList, error) {
	l, ok := xiezuo.ParseLabourList(r.PathValue("list"))
	if !ok {
		return "", xiezuo.Errorf(xiezuo.ENOTFOUND, "没有“%s”这个清单（应为 jobs、workers 或 willing）", r.PathValue("list"))
	}
	return l, nil
}

// pathID reads the path's {id} as a positive number: ENOTFOUND otherwise.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "找不到编号为“%s”的记录", r.PathValue("id"))
	}
	return id, nil
}

// placementCounts are the indicators' counts of the placements standing at a day.
type placementCounts struct {
	Total, Poor, Local, Stable int
}

// labourPlacementCounts counts the district's placements standing at today, by the rules of
// the root (CurrentPlacements, PlacementKind, StableAt): the figures the scorecard counts.
func (s *Server) labourPlacementCounts(ctx context.Context, district string, regions []string, today xiezuo.Date) (placementCounts, error) {
	all, err := s.db.LabourPlacements(ctx, district, time.Time{})
	if err != nil {
		return placementCounts{}, err
	}
	var c placementCounts
	for _, p := range xiezuo.CurrentPlacements(all, today) {
		if regions != nil && !slices.Contains(regions, p.Region) {
			continue // a cadre counts the people of its own regions
		}
		c.Total++
		if p.Poor == xiezuo.PoorLifted {
			c.Poor++
		}
		if xiezuo.PlacementKind(p.HomeCode, p.PlaceCode) == xiezuo.PlaceLocal {
			c.Local++
		}
		if p.StableAt(today) {
			c.Stable++
		}
	}
	return c, nil
}

type labourImportRow struct {
	sqldb.LabourImportStatus
	Href, ListTitle string
}

type labourIndexData struct {
	labourData
	Placements placementCounts
	Imports    []labourImportRow
	MatchHref  string
}

// labourPage is the district's three lists with their counts, the recent imports and the
// placements so far.
func (s *Server) labourPage(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourRead, "劳务协作")
	if ld == nil {
		return
	}
	ctx := r.Context()
	d := labourIndexData{labourData: *ld, MatchHref: ld.href("/labour/match", nil)}
	for i, l := range xiezuo.LabourLists {
		f := sqldb.LabourFilter{District: d.District, List: l, Regions: d.Regions, Page: 1, PerPage: 1}
		if l == xiezuo.ListJobs {
			p, err := s.db.LabourJobs(ctx, f)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			d.Lists[i].Count = p.Total
			continue
		}
		p, err := s.db.LabourPeople(ctx, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Lists[i].Count = p.Total
	}
	c, err := s.labourPlacementCounts(ctx, d.District, d.Regions, s.todayDate())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Placements = c
	imps, err := s.db.LabourImports(ctx, d.District, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, im := range imps {
		if d.Regions != nil && !labourImportBy(im.By, d.User.Username) {
			continue // a cadre's own imports: another's may hold any region's people
		}
		d.Imports = append(d.Imports, labourImportRow{im, ld.href("/labour/imports/"+strconv.FormatInt(im.ID, 10), nil), im.List.Short()})
	}
	var users []*string
	for i := range d.Imports {
		users = append(users, &d.Imports[i].By)
	}
	if err := s.labourNameUsers(r, users...); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "labour", d)
}

// labourFilterOf reads a list's filter from the query: region, town, poor, skill, status, q,
// page.
func labourFilterOf(q url.Values, district string, l xiezuo.LabourList, regions []string) sqldb.LabourFilter {
	f := sqldb.LabourFilter{District: district, List: l, Regions: regions, PerPage: 50}
	get := func(k string, max int) string {
		v := strings.TrimSpace(q.Get(k))
		if len([]rune(v)) > max {
			v = string([]rune(v)[:max])
		}
		return v
	}
	f.Region, f.Town, f.Skill, f.Status, f.Q = get("region", 100), get("town", 50), get("skill", 50), get("status", 50), get("q", 100)
	switch p := q.Get("poor"); p {
	case xiezuo.PoorLifted, xiezuo.PoorWatched, "否":
		f.Poor = p
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	if f.Page < 1 {
		f.Page = 1
	}
	if f.Page > 100_000 {
		f.Page = 100_000
	}
	return f
}

// values is the filter as a link's query (the page left out).
func labourFilterValues(f sqldb.LabourFilter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"region": f.Region, "town": f.Town, "poor": f.Poor, "skill": f.Skill, "status": f.Status, "q": f.Q} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// labourOption is a choice of a filter: the value the query carries, the word shown.
type labourOption struct{ Value, Label string }

type labourCountLink struct {
	Label, Href string
	N           int
	On          bool
}

type labourListData struct {
	labourData
	List                       xiezuo.LabourList
	Filter                     sqldb.LabourFilter
	Table                      table
	Total                      int
	ByStatus, ByRegion, ByPoor []labourCountLink
	RegionOptions              []string
	PoorOptions                []labourOption
	Prev, Next, Clear          string
	LastHref                   string // a page beyond the last: the link to the last
	Towns                      []labourTown
	TownTyped                  string
	Page, Pages                int
	Download, ExportAction     string
	ImportHref, TemplateHref   string
	IndexHref                  string
}

// labourListPage is a list filtered, with its counts and pages; ?format=xlsx: the masked
// workbook of every entry the filter selects.
func (s *Server) labourListPage(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourRead, "劳务协作")
	if ld == nil {
		return
	}
	l, err := labourListOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := labourFilterOf(r.URL.Query(), ld.District, l, ld.Regions)
	typedTown, towns := labourTownFilter(ld, &f)
	if wantsXLSX(r) {
		s.labourWorkbook(w, r, ld, f, false)
		return
	}
	d := labourListData{labourData: *ld, List: l, Filter: f, RegionOptions: labourRegionOptions(ld),
		PoorOptions: []labourOption{{xiezuo.PoorLifted, xiezuo.PoorLifted}, {xiezuo.PoorWatched, xiezuo.PoorWatched}, {"否", xiezuo.PoorNone}}}
	d.Title = l.Title()
	d.Towns, d.TownTyped = towns, typedTown
	q := labourFilterValues(f)
	if typedTown != "" {
		q.Set("town", typedTown) // the links keep the name typed
	}
	base := "/labour/" + string(l)
	if l == xiezuo.ListJobs {
		p, err := s.db.LabourJobs(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Total, d.Table = p.Total, labourJobsTable(p.Rows)
	} else {
		p, err := s.db.LabourPeople(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Total, d.Table = p.Total, labourPeopleTable(ld, l, p.Rows)
		counts := func(cs []sqldb.LabourCount, key, cur string) []labourCountLink {
			var out []labourCountLink
			for _, c := range cs {
				label := c.Value
				switch {
				case key == "poor" && c.Value == "否":
					label = xiezuo.PoorNone
				case key == "poor":
					label = xiezuo.PoorLabel(c.Value)
				case label == "":
					label = "（未填）"
				}
				value := c.Value
				if key == "poor" && value == "" {
					value = "否" // storage's word for 一般农户 in a filter
				}
				out = append(out, labourCountLink{label, ld.href(base, withValue(q, key, value)), c.N, value != "" && value == cur})
			}
			return out
		}
		d.ByStatus, d.ByRegion, d.ByPoor = counts(p.ByStatus, "status", f.Status), counts(p.ByRegion, "region", f.Region), counts(p.ByPoor, "poor", f.Poor)
	}
	per := f.PerPage
	d.Page, d.Pages = f.Page, (d.Total+per-1)/per
	if d.Page > 1 {
		d.Prev = ld.href(base, withValue(q, "page", strconv.Itoa(d.Page-1)))
	}
	if d.Page < d.Pages {
		d.Next = ld.href(base, withValue(q, "page", strconv.Itoa(d.Page+1)))
	}
	if d.Pages > 0 && d.Page > d.Pages {
		d.LastHref = ld.href(base, withValue(q, "page", strconv.Itoa(d.Pages)))
		d.Prev = ""
	}
	d.Clear = ld.href(base, nil)
	d.Download = ld.href(base, withValue(q, "format", "xlsx"))
	d.ExportAction = ld.href(base+"/export", q)
	d.ImportHref = ld.href(base+"/import", nil)
	d.TemplateHref = ld.href(base+"/template.xlsx", nil)
	d.IndexHref = ld.href("/labour", nil)
	s.render(w, r, http.StatusOK, "labour_list", d)
}

// labourBirthYear is the year of a birth date (1982年), "" when unknown: what a page shows
// beside a masked ID number.
func labourBirthYear(d xiezuo.Date) string {
	if d.IsZero() {
		return ""
	}
	return strconv.Itoa(d.Year) + "年"
}

// withValue is q with key set to v (removed when v is "").
func withValue(q url.Values, key, v string) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = slices.Clone(vs)
	}
	if v == "" {
		out.Del(key)
	} else {
		out.Set(key, v)
	}
	return out
}

// labourPeopleColumns are the columns of a list of people: on the page and in its workbook.
var labourPeopleColumns = []string{"姓名", "身份证号", "性别", "出生年份", "手机号", "户籍地", "协作地区", "人员类别", "技能", "文化程度", "状态"}

// labourPersonCells are a person's cells; the birth date whole only in an unmasked export
// (full): beside a masked ID number it would give back the digits the mask hides.
func labourPersonCells(row sqldb.LabourPersonRow, name string, full bool) []string {
	birth := labourBirthYear(row.Birth)
	if full {
		birth = row.Birth.String()
	}
	return []string{name, row.IDMasked, row.Sex, birth, row.Phone, row.HomeName, row.Region, xiezuo.PoorLabel(row.Poor),
		strings.Join(row.Skills, "、"), row.Education, row.Status}
}

// labourDetailKeys are the list's other fields a row carries, in the list's order.
func labourDetailKeys(l xiezuo.LabourList) []xiezuo.LabourField {
	shown := []string{"name", "id_number", "sex", "birth", "phone", "home", "home_county", "home_town", "home_village", "poor", "skills", "education"}
	var out []xiezuo.LabourField
	for _, f := range xiezuo.LabourFields(l) {
		if !slices.Contains(shown, f.Key) {
			out = append(out, f)
		}
	}
	return out
}

func labourPeopleTable(ld *labourData, l xiezuo.LabourList, rows []sqldb.LabourPersonRow) table {
	t := table{Title: l.Title(), Cards: true}
	for _, h := range labourPeopleColumns {
		t.Columns = append(t.Columns, column{Header: h})
	}
	for _, row := range rows {
		cells := labourPersonCells(row, ld.maskName(row.Name), false)
		tr := tableRow{Cells: []cell{linkCell(cells[0], ld.href("/labour/people/"+strconv.FormatInt(row.PersonID, 10), nil))}}
		for _, c := range cells[1:] {
			tr.Cells = append(tr.Cells, textCell(c))
		}
		t.Rows = append(t.Rows, tr)
	}
	return t
}

// labourJobColumns are the columns of the jobs' list.
var labourJobColumns = []string{"用工单位", "统一社会信用代码", "岗位", "需求人数", "已就业", "尚缺", "工作地", "月薪（元）", "技能要求", "学历要求", "到岗日期", "截止日期", "联系人", "联系电话"}

func labourJobCells(j sqldb.LabourJobRow) []string {
	pay := ""
	switch {
	case j.Job.PayMin > 0 && j.Job.PayMax > 0 && j.Job.PayMax != j.Job.PayMin:
		pay = xiezuo.FormatYuan(j.Job.PayMin) + "–" + xiezuo.FormatYuan(j.Job.PayMax)
	case j.Job.PayMin > 0:
		pay = xiezuo.FormatYuan(j.Job.PayMin)
	case j.Job.PayMax > 0:
		pay = xiezuo.FormatYuan(j.Job.PayMax)
	}
	place := j.Job.PlaceName
	if place == "" {
		place = labourPlaceName(j.Job.PlaceCode)
	}
	return []string{j.Job.Employer, j.Job.CreditCode, j.Job.Post, strconv.Itoa(j.Job.Wanted), strconv.Itoa(j.Placed), strconv.Itoa(j.Open),
		place, pay, strings.Join(j.Job.Skills, "、"), j.Job.Education, j.Job.Start.String(), j.Job.End.String(), j.Job.Contact,
		vault.MaskPhone(j.Job.ContactPhone)}
}

func labourJobsTable(rows []sqldb.LabourJobRow) table {
	t := table{Title: xiezuo.ListJobs.Title(), Cards: true}
	for _, h := range labourJobColumns {
		t.Columns = append(t.Columns, column{Header: h})
	}
	for _, row := range rows {
		var tr tableRow
		for _, c := range labourJobCells(row) {
			tr.Cells = append(tr.Cells, textCell(c))
		}
		t.Rows = append(t.Rows, tr)
	}
	return t
}

// labourExport is the workbook asked for by POST: unmasked when the box 「含完整身份证号和手机号」
// is ticked, which only LabourReveal may (storage audits it), else masked as the GET download.
func (s *Server) labourExport(w http.ResponseWriter, r *http.Request) {
	full := r.PostFormValue("full") != ""
	a := xiezuo.LabourRead
	if full {
		a = xiezuo.LabourReveal
	}
	ld := s.labourPlan(w, r, a, "劳务协作")
	if ld == nil {
		return
	}
	l, err := labourListOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := labourFilterOf(r.URL.Query(), ld.District, l, ld.Regions)
	labourTownFilter(ld, &f)
	s.labourWorkbook(w, r, ld, f, full)
}

// labourWorkbook streams the list the filter selects as a workbook (excelize's StreamWriter:
// memory stays flat whatever the list's length), masked unless reveal.
func (s *Server) labourWorkbook(w http.ResponseWriter, r *http.Request, ld *labourData, f sqldb.LabourFilter, reveal bool) {
	ctx := r.Context()
	x := excelize.NewFile()
	defer x.Close()
	sheet := f.List.Short()
	x.SetSheetName("Sheet1", sheet)
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	textStyle, _ := x.NewStyle(&excelize.Style{NumFmt: 49})
	row := 1
	write := func(vals []string) error {
		cells := make([]any, len(vals))
		for i, v := range vals {
			cells[i] = excelize.Cell{StyleID: textStyle, Value: v}
		}
		ref, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(ref, cells)
	}
	title := fmt.Sprintf("%s%s（%s）", ld.District, f.List.Title(), map[bool]string{true: "含完整个人信息", false: "个人信息已隐藏"}[reveal])
	if err := write([]string{title}); err != nil {
		s.fail(w, r, err)
		return
	}
	if f.List == xiezuo.ListJobs {
		if err := write(labourJobColumns); err != nil {
			s.fail(w, r, err)
			return
		}
		f.PerPage = 500
		for f.Page = 1; ; f.Page++ {
			p, err := s.db.LabourJobs(ctx, f)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			for _, j := range p.Rows {
				if err := write(labourJobCells(j)); err != nil {
					s.fail(w, r, err)
					return
				}
			}
			if len(p.Rows) < f.PerPage || f.Page*f.PerPage >= p.Total {
				break
			}
		}
	} else {
		details := labourDetailKeys(f.List)
		head := slices.Clone(labourPeopleColumns)
		for _, d := range details {
			head = append(head, d.Label)
		}
		if err := write(head); err != nil {
			s.fail(w, r, err)
			return
		}
		err := s.db.EachLabourPerson(ctx, f, reveal, func(p sqldb.LabourPersonRow) error {
			name := p.Name
			if !reveal {
				name = ld.maskName(name)
			}
			vals := labourPersonCells(p, name, reveal)
			for _, d := range details {
				vals = append(vals, p.Details[d.Key])
			}
			return write(vals)
		})
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := sw.Flush(); err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("%s-%s-%s.xlsx", ld.District, f.List.Short(), s.todayDate())
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	if err := x.Write(w); err != nil {
		s.log.Error("labour export write", "list", f.List, "err", err)
	}
}

// labourRegionOptions are the regions the list's filter offers: the plan's, or a cadre's own.
func labourRegionOptions(ld *labourData) []string {
	all := xiezuo.RegionNames(ld.Plan)
	if ld.Regions == nil {
		return all
	}
	var out []string
	for _, r := range all {
		if slices.Contains(ld.Regions, r) {
			out = append(out, r)
		}
	}
	return out
}

// labourNameUsers turns the sign-in names the labour records keep (a match's, a confirmation's,
// a placement's, an import's "office（领导小组办公室）") into people's names, 姓名（单位）, as the
// other pages show who recorded a fact.
func (s *Server) labourNameUsers(r *http.Request, ptrs ...*string) error {
	names := make([]string, 0, len(ptrs))
	units := make([]string, len(ptrs))
	for i, p := range ptrs {
		user, unit, _ := strings.Cut(*p, "（")
		units[i] = strings.TrimSuffix(unit, "）")
		names = append(names, user)
	}
	who, err := s.lookupPeople(r, names...)
	if err != nil {
		return err
	}
	for i, p := range ptrs {
		if names[i] != "" {
			*p = who.label(names[i], units[i])
		}
	}
	return nil
}

// labourMatchUsers are the fields naming who proposed and confirmed the matches (their events
// copied, so that the storage rows stay as read).
func labourMatchUsers(ms []labourMatchView) []*string {
	var out []*string
	for i := range ms {
		out = append(out, &ms[i].By)
		ms[i].Events = slices.Clone(ms[i].Events)
		for j := range ms[i].Events {
			out = append(out, &ms[i].Events[j].By)
		}
	}
	return out
}
