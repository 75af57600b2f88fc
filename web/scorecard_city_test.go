package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sqldb"
)

// TestCityScorecardPage: the city office reads every district's scorecard of a year in one
// table, a row per district with its lights by dimension and its gaps linked to the district's
// own pages; a district's office reads its own district only; a unit, a leader and a cadre
// may not open it; a meeting recorded changes the row at once (the city's copy reads new rows).
func TestCityScorecardPage(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	other := gen.Plan(gen.Options{Seed: 7, District: "房山区", Year: 2021})
	if err := gen.Store(ctx, e.db, other); err != nil {
		t.Fatal(err)
	}
	mtg2021, err := e.db.LoadPlan(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	shipped := len(xiezuo.ShippedIndicators(2021))

	city := e.signIn("city")
	r := city.get("/scorecard/city?year=2021")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("city GET /scorecard/city = %d %s", r.StatusCode, excerpt(r.body))
	}
	for _, want := range []string{"全市考核", `data-district="门头沟区"`, `data-district="房山区"`, "/scorecard?as_of=2021-08-28&amp;district=%E9%97%A8%E5%A4%B4%E6%B2%9F%E5%8C%BA&amp;year=2021", "合计", "组织领导", "信息宣传"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the city's scorecard lacks %q", want)
		}
	}
	// Each district counts every shipped indicator once: "N / 42" in its 合计 cell.
	if n := strings.Count(r.body, "</span> / "+strconv.Itoa(shipped)+" "); n != 2 {
		t.Errorf("%d districts count all %d indicators, want 2:\n%s", n, shipped, r.body[strings.Index(r.body, "<tbody>"):])
	}
	// On the test's today (28 August) no 联席会议 is recorded in 门头沟区: a gap; once recorded it
	// is met and the district's green count grows by one.
	row := func(body, district string) string {
		i := strings.Index(body, `data-district="`+district+`"`)
		j := strings.Index(body[i:], "</tr>")
		return body[i : i+j]
	}
	before := row(r.body, "门头沟区")
	office := sqldb.WithActor(ctx, sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	spec, _ := xiezuo.RegisterSpecOf(xiezuo.RegMeeting)
	entry, problems := xiezuo.CheckEntry(spec, mtg2021, map[string]string{"kind": "联席会议", "date": "2021-08-20", "title": "联席会议", "chair": "周区长", "unit": "领导小组办公室"}, xiezuo.NewDate(2021, 8, 28))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if _, err := e.db.WriteRegisterEntries(office, "门头沟区", []xiezuo.RegisterEntry{entry}); err != nil {
		t.Fatal(err)
	}
	after := row(city.get("/scorecard/city?year=2021").body, "门头沟区")
	if greens(before)+1 != greens(after) {
		t.Errorf("after a 联席会议 the district's row did not gain a green:\nbefore %s\nafter  %s", before, after)
	}
	// As of a day before the meeting it reads as before.
	if past := row(city.get("/scorecard/city?year=2021&as_of=2021-08-19").body, "门头沟区"); greens(past) != greens(before) {
		t.Errorf("as of 19 August the row counts the meeting of the 20th:\n%s", past)
	}

	// A district's office reads its own district only.
	r = e.signIn("office").get("/scorecard/city?year=2021")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `data-district="门头沟区"`) || strings.Contains(r.body, `data-district="房山区"`) || !strings.Contains(r.body, "门头沟区考核") {
		t.Errorf("office GET /scorecard/city = %d, want its own district only", r.StatusCode)
	}
	for _, who := range []string{"caizheng", "leader", "wuchuan"} {
		if r := e.signIn(who).get("/scorecard/city?year=2021"); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s GET /scorecard/city = %d, want 403", who, r.StatusCode)
		}
	}
	if r := city.get("/scorecard/city?year=2021&as_of=2021-13-01"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad as_of = %d, want 400", r.StatusCode)
	}
}

// greens is the count of indicators met that a row of the city's scorecard shows in its 合计.
func greens(row string) int {
	cell := row[strings.Index(row, `data-label="合计">`):]
	const green = `<span class="light light-green">`
	cell = cell[strings.Index(cell, green)+len(green):]
	n, err := strconv.Atoi(cell[:strings.Index(cell, "<")])
	if err != nil {
		return -1
	}
	return n
}
