package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"xiezuo"
)

// The city's scorecards (全市考核): for the city office every district, for a district's office
// its own (User.CanReadCityFunds, CanReadDistrict), one plan year measured as of ?as_of= by
// dimension, a row per district with its lights in each dimension and the gaps that most
// threaten it (xiezuo.CitySummary), each linked to the district's own scorecard. The facts come
// from sqldb.CityScoreData, the city's copy kept in memory (docs/benchmarks.md: the full city
// in under 100 ms once loaded).

// cityScorePageData is the page's data.
type cityScorePageData struct {
	base
	Scope, AsOf, Today string
	PlanYear           int
	Years              []int
	Dims               []string
	Rows               []cityScoreRowView
	Total              cityScoreRowView
}

// cityScoreRowView is a district's row as the page shows it.
type cityScoreRowView struct {
	District, Href string
	Dims           []xiezuo.LightCounts
	All            xiezuo.LightCounts
	Gaps           []cityGapView
}

// cityGapView is one gap named in a district's row.
type cityGapView struct {
	Name, Href, Light, Word string
}

// cityScorecardPage shows the city's scorecards of ?year= as of ?as_of=.
func (s *Server) cityScorecardPage(w http.ResponseWriter, r *http.Request) {
	b := s.baseFor(r, "cityscore")
	b.Title = "全市考核"
	u := currentUser(r)
	today := xiezuo.DayOf(s.today())
	f, err := xiezuo.ParseScorecardFilter(r.URL.Query(), today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	day := s.scoreDay(f)
	infos, err := s.db.Plans(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	year := b.Year
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil {
		year = y
	}
	var districts []string
	var years []int
	for _, p := range infos {
		if !u.CanReadDistrict(p.District) {
			continue
		}
		if !slices.Contains(years, p.Year) {
			years = append(years, p.Year)
		}
		if p.Year == year && !slices.Contains(districts, p.District) {
			districts = append(districts, p.District)
		}
	}
	slices.Sort(years)
	slices.Sort(districts)
	if len(districts) == 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有可查看的%d年计划", year))
		return
	}
	at := xiezuo.EndOfDay(day)
	if now := s.cfg.Now(); now.Before(at) {
		at = now
	}
	if day == today {
		at = time.Time{} // now: the copy as it stands
	}
	data, err := s.db.CityScoreData(r.Context(), districts, []int{year}, at)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cards := make([]xiezuo.Scorecard, 0, len(data))
	for _, d := range data {
		if d.Data.Plan == nil {
			continue
		}
		cards = append(cards, xiezuo.Score(d.Set, d.Data, day, xiezuo.ByDimension))
	}
	rows, total := xiezuo.CitySummary(cards)
	d := cityScorePageData{base: b, AsOf: day.String(), Today: today.String(), PlanYear: year, Years: years, Dims: xiezuo.Dimensions}
	d.Scope = "全市"
	if !u.Has(xiezuo.RoleCityOffice) {
		d.Scope = u.District
	}
	for _, row := range rows {
		q := url.Values{"district": {row.District}, "year": {strconv.Itoa(year)}, "as_of": {d.AsOf}}
		v := cityScoreRowView{District: row.District, Href: "/scorecard?" + q.Encode(), Dims: row.Dims, All: row.All}
		for _, g := range row.Gaps {
			v.Gaps = append(v.Gaps, cityGapView{Name: g.Indicator.Name, Href: "/scorecard/" + url.PathEscape(g.Indicator.Code) + "?" + q.Encode(),
				Light: scoreLightClasses[g.Light], Word: g.LightWord()})
		}
		d.Rows = append(d.Rows, v)
	}
	d.Total = cityScoreRowView{District: total.District, Dims: total.Dims, All: total.All}
	s.render(w, r, http.StatusOK, "scorecard_city", d)
}
