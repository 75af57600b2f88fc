package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/xlsx"
)

// storeLastYear stores the 2021 plan again as 2020's with one region's fund raised, so that
// 2021 is lower than 2020 there.
func storeLastYear(t *testing.T, e *env, region string, more int64) {
	t.Helper()
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v", err)
	}
	p := res.Plan
	p.Year = 2020
	for i := range p.Subtotals {
		st := &p.Subtotals[i]
		if (st.Level == xiezuo.LevelRegion && st.Region == region) || st.Level == xiezuo.LevelTotal {
			st.DistrictFund.V += more
		}
	}
	for i := range p.Projects {
		if p.Projects[i].Region == region {
			p.Projects[i].DistrictFund.V += more
			break
		}
	}
	content := append([]byte("2020 "), sample.Plan2021...)
	sum := sha256.Sum256(content)
	p.Source.SHA256 = hex.EncodeToString(sum[:])
	if _, err := e.db.ImportPlan(t.Context(), p, content); err != nil {
		t.Fatalf("ImportPlan(2020) = %v", err)
	}
}

func TestWatchPage(t *testing.T) {
	e := newEnv(t)
	q := "?year=2021&district=" + "%E9%97%A8%E5%A4%B4%E6%B2%9F%E5%8C%BA"
	office := e.signIn("office")
	r := office.get("/watch" + q)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /watch = %d:\n%s", r.StatusCode, r.body)
	}
	for _, want := range []string{
		`data-rule="industrial_start" data-light="green"`, // 28 August: 33 days before 30 September
		"按期开工 0/7 个（0.0%）",
		`data-rule="district_fund" data-light="open"`, xiezuo.NoLastPlan,
		`data-rule="start_month" data-light="red"`, // projects planned to start by July have not
		"已完工 0/16 个（0.0%）",
		"当前 2021-09-30",
		"format=xlsx&amp;live=1",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("GET /watch lacks %q", want)
		}
	}
	// As of 1 October every industrial project is red; a day after today is refused.
	*e.clock = time.Date(2021, 10, 8, 10, 0, 0, 0, shanghai)
	office = e.signIn("office") // the session went idle over the weeks
	r = office.get("/watch" + q + "&as_of=2021-10-01")
	if !strings.Contains(r.body, `data-rule="industrial_start" data-light="red"`) || !strings.Contains(r.body, "以下为 2021-10-01 当日结束时的情况") ||
		strings.Count(r.body, "未开工，已过开工截止日 2021-09-30") != 14 { // in the red list and in the whole list
		t.Errorf("GET /watch?as_of=2021-10-01: want industrial red, 7 projects past 2021-09-30 twice; got %d", strings.Count(r.body, "未开工，已过开工截止日 2021-09-30"))
	}
	if r := office.get("/watch" + q + "&as_of=2021-10-09"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "晚于今天") {
		t.Errorf("GET /watch?as_of=tomorrow = %d, want 400 晚于今天", r.StatusCode)
	}

	// Last year's plan stored: 神农架林区 had 10 万元 more in 2020.
	storeLastYear(t, e, "神农架林区", 10*xiezuo.FenPerWan)
	r = office.get("/watch" + q)
	for _, want := range []string{
		`data-rule="district_fund" data-light="red"`,
		`data-region="神农架林区" data-light="red"`, "比上年少 10 万元",
		`data-region="内蒙古武川县" data-light="green"`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("GET /watch with 2020's plan lacks %q", want)
		}
	}

	for _, who := range []string{"leader", "city"} {
		if r := e.signIn(who).get("/watch" + q); r.StatusCode != http.StatusOK {
			t.Errorf("%s GET /watch = %d, want 200", who, r.StatusCode)
		}
	}
	for _, who := range []string{"caizheng", "renshe", "wuchuan"} {
		if r := e.signIn(who).get("/watch" + q); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s GET /watch = %d, want 403", who, r.StatusCode)
		}
	}
}

func TestWatchHomeAndMenu(t *testing.T) {
	e := newEnv(t)
	for who, want := range map[string]bool{"office": true, "leader": true, "caizheng": false, "wuchuan": false} {
		r := e.signIn(who).get("/")
		if got := strings.Contains(r.body, `<ul class="watch-home">`); got != want {
			t.Errorf("%s's home shows the watched rules: %v, want %v", who, got, want)
		}
		if got := strings.Contains(r.body, ">重点监测</a>"); got != want {
			t.Errorf("%s's menu has 重点监测: %v, want %v", who, got, want)
		}
	}
}

func TestLiveProjectsWorkbook(t *testing.T) {
	e := newEnv(t)
	r := e.signIn("caizheng").get("/projects?year=2021&district=%E9%97%A8%E5%A4%B4%E6%B2%9F%E5%8C%BA&format=xlsx&live=1&as_of=2021-08-01&region=%E7%A5%9E%E5%86%9C%E6%9E%B6%E6%9E%97%E5%8C%BA")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET live workbook = %d:\n%s", r.StatusCode, r.body)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "2021-08-01") {
		t.Errorf("Content-Disposition = %q, want the day in the name", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(xlsx.ProjectsSheet)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[1][0], "截至 2021-08-01") || strings.Join(rows[2][15:], "|") != "项目状态|开工日期|已拨付资金|拨付率" {
		t.Errorf("live workbook head = %q / %q", rows[1], rows[2])
	}
	// 神农架林区: its row, two category rows and two projects, both 计划 with nothing paid.
	planned := 0
	for _, row := range rows[3:] {
		if len(row) > 15 && row[15] == "计划" {
			planned++
		}
	}
	if planned != 2 {
		t.Errorf("live workbook of 神农架林区 has %d projects 计划, want 2", planned)
	}
	if r := e.signIn("caizheng").get("/projects?year=2021&district=%E9%97%A8%E5%A4%B4%E6%B2%9F%E5%8C%BA&format=xlsx&live=1&as_of=2021-13-01"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("GET live workbook with a bad day = %d, want 400", r.StatusCode)
	}
}

// TestWatchSettings: the office sets the industrial projects' start day on /watch; the page
// then shows it; a day outside the plan's year is refused with its reason and changes nothing;
// a unit may not set it.
func TestWatchSettings(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	form := url.Values{"year": {"2021"}, "district": {"门头沟区"}, "industrial_start_by": {"2021-08-31"}}
	r := office.post("/watch/settings", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /watch/settings = %d %s", r.StatusCode, excerpt(r.body))
	}
	page := office.get("/watch?year=2021&district=" + url.QueryEscape("门头沟区"))
	if !strings.Contains(page.body, `value="2021-08-31"`) || !strings.Contains(page.body, "当前 2021-08-31") {
		t.Errorf("/watch after the setting does not show 2021-08-31: %s", excerpt(page.body))
	}
	form.Set("industrial_start_by", "2019-09-30")
	r = office.post("/watch/settings", form)
	if loc := r.Header.Get("Location"); !strings.Contains(loc, "kind=error") {
		t.Errorf("a day outside the year: Location %q, want an error message", loc)
	}
	if by, err := e.db.IndustrialStartBy(t.Context(), "门头沟区", 2021, time.Now()); err != nil || by.String() != "2021-08-31" {
		t.Errorf("IndustrialStartBy after a refused change = %v, %v; want 2021-08-31", by, err)
	}
	unit := e.signIn("caizheng")
	if r := unit.post("/watch/settings", form); r.StatusCode != http.StatusForbidden {
		t.Errorf("a unit's POST /watch/settings = %d, want 403", r.StatusCode)
	}
}

// TestProjectsPageLiveLink: the project table offers the download with live columns, keeping
// its filter, and the link answers a workbook.
func TestProjectsPageLiveLink(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	page := office.get("/projects?year=2021&district=" + url.QueryEscape("门头沟区") + "&region=" + url.QueryEscape("内蒙古武川县")).body
	m := regexp.MustCompile(`href="(/projects\?[^"]*live=1[^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("/projects has no live download link")
	}
	link := html.UnescapeString(m[1])
	if !strings.Contains(link, "region=") || !strings.Contains(link, "format=xlsx") {
		t.Errorf("live link %q does not keep the filter", link)
	}
	r := office.get(link)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("GET %s = %d %s", link, r.StatusCode, r.Header.Get("Content-Type"))
	}
}
