package web

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"xiezuo"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// The city's funds rollup (全市资金拨付使用情况): every district's plans of every year the user
// may read (the city office all, a district's office its own), by district, year, partner region
// and category, as of ?as_of=, from the ledger kept in memory (sqldb.FundTotalsAt) through the
// one rollup at the root (xiezuo.RollupFundTotals); ?format=xlsx downloads it.

// cityFundsPageData is the page's data.
type cityFundsPageData struct {
	base
	Filter        xiezuo.ProjectFilter
	Options       struct{ Regions, Categories []string }
	AsOf          string
	Scope         string // 全市 (every district) or the one district read
	DistrictCount int
	Rows          []fundRowView
	Sources       []fundFiguresView
	Download      string
	Count         int
	FilterText    string
}

// readablePlans loads every stored plan of the districts u may read, by district then year.
func (s *Server) readablePlans(r *http.Request, u *xiezuo.User) ([]*xiezuo.Plan, error) {
	infos, err := s.db.Plans(r.Context())
	if err != nil {
		return nil, err
	}
	infos = slices.DeleteFunc(slices.Clone(infos), func(p sqldb.PlanInfo) bool { return !u.CanReadDistrict(p.District) })
	slices.SortFunc(infos, func(a, b sqldb.PlanInfo) int {
		return cmp.Or(cmp.Compare(a.District, b.District), cmp.Compare(a.Year, b.Year))
	})
	var out []*xiezuo.Plan
	for _, info := range infos {
		p, _, err := s.plans.getVersion(r.Context(), info.District, info.Year)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// cityFundsRows lays the city's rollup out: 合计, the districts, the years, then each region
// above its categories.
func cityFundsRows(t xiezuo.FundTable) []fundRowView {
	rows := []fundRowView{fundRowOf(t.Total, "total")}
	for _, d := range t.Districts {
		rows = append(rows, fundRowOf(d, "subtotal"))
	}
	rest := fundsRows(t) // 合计, years, regions and categories
	return append(rows, rest[1:]...)
}

// cityFundsPage shows the rollup; ?format=xlsx downloads it.
func (s *Server) cityFundsPage(w http.ResponseWriter, r *http.Request) {
	b := s.baseFor(r, "cityfunds")
	b.Title = "全市资金拨付使用情况"
	u := currentUser(r)
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
	plans, err := s.readablePlans(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	totals, err := s.db.FundTotalsAt(r.Context(), asOf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := xiezuo.RollupFundTotals(plans, f, totals, asOf)
	d := cityFundsPageData{base: b, Filter: f, AsOf: asOf.String(), Rows: cityFundsRows(t), Count: t.Total.Projects, FilterText: f.String()}
	districts := map[string]bool{}
	regions, categories := map[string]bool{}, map[string]bool{}
	for _, p := range plans {
		districts[p.District] = true
		for _, pr := range p.Projects {
			if !regions[pr.Region] {
				regions[pr.Region] = true
				d.Options.Regions = append(d.Options.Regions, pr.Region)
			}
			if pr.Category != "" && !categories[pr.Category] {
				categories[pr.Category] = true
				d.Options.Categories = append(d.Options.Categories, pr.Category)
			}
		}
	}
	d.DistrictCount = len(districts)
	d.Scope = "全市"
	if !u.Has(xiezuo.RoleCityOffice) {
		d.Scope = u.District
	}
	title := fmt.Sprintf("%s帮扶资金拨付使用情况", d.Scope)
	if !f.IsZero() {
		title += "（" + f.String() + "）"
	}
	title += "（截至" + asOf.String() + "）"
	if r.URL.Query().Get("format") == "xlsx" {
		var buf bytes.Buffer
		if err := xlsx.WriteFundTable(&buf, title, t); err != nil {
			s.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(title+".xlsx"))
		w.Write(buf.Bytes())
		return
	}
	for _, src := range xiezuo.FundSources {
		d.Sources = append(d.Sources, fundFiguresViewOf(src.Text(), t.Total.Source(src)))
	}
	q := f.Values()
	q.Set("as_of", asOf.String())
	q.Set("format", "xlsx")
	d.Download = "/funds/city?" + q.Encode()
	s.render(w, r, http.StatusOK, "funds_city", d)
}
