package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sqldb"
)

// dashYear writes a demo-like year of facts on the 2021 plan up to today: the projects' steps,
// their money, a half year of reports, and the registers' purchases, parks and firms; the group's
// members are the units asked for purchases.
func dashYear(t *testing.T, e *env, today time.Time) {
	t.Helper()
	*e.clock = today
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	users := map[string]string{"领导小组办公室": "office", "区财政局": "caizheng", "区人力社保局": "renshe", "前方挂职干部": "wuchuan"}
	if _, err := gen.WriteLife(ctx, e.db, gen.Life{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: users}); err != nil {
		t.Fatalf("WriteLife = %v", err)
	}
	if _, err := gen.WriteFunds(ctx, e.db, gen.FundsDemo{District: "门头沟区", Year: 2021, Today: today, Seed: 1, By: "office"}); err != nil {
		t.Fatalf("WriteFunds = %v", err)
	}
	if _, err := gen.WriteHalfYear(ctx, e.db, gen.HalfYear{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: users}); err != nil {
		t.Fatalf("WriteHalfYear = %v", err)
	}
	if _, err := gen.WriteReach(ctx, e.db, gen.Reach{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: users}); err != nil {
		t.Fatalf("WriteReach = %v", err)
	}
	if err := e.db.SetGroupMembers(ctx, "门头沟区", []string{"区财政局", "区教委", "区水务局"}); err != nil {
		t.Fatalf("SetGroupMembers = %v", err)
	}
	purchase := func(unit, period string, vals map[string]string) xiezuo.RegisterEntry {
		v := map[string]string{"unit": unit, "period": period}
		for k, x := range vals {
			v[k] = x
		}
		on := xiezuo.Date{Year: 2021, Month: time.June, Day: 30}
		return xiezuo.RegisterEntry{Kind: xiezuo.RegPurchase, Unit: unit, Values: v, On: on}
	}
	at := func(y int, m time.Month, d int) context.Context {
		return sqldb.WithFactTime(ctx, time.Date(y, m, d, 10, 0, 0, 0, shanghai))
	}
	// 区财政局: 40 万元 of 100 万元 by 10 July; 区教委: 5 of 50 by 10 July; 区水务局 nothing.
	if _, err := e.db.WriteRegisterEntries(at(2021, 7, 10), "门头沟区", []xiezuo.RegisterEntry{
		purchase("区财政局", "2021-H1", map[string]string{"food_total": "60000000", "welfare_total": "40000000", "via_832": "30000000", "via_direct": "10000000"}),
		purchase("区教委", "2021-H1", map[string]string{"food_total": "50000000", "via_counter": "5000000"}),
	}); err != nil {
		t.Fatalf("WriteRegisterEntries = %v", err)
	}
	// A unit name that is markup: escaped wherever it shows.
	if _, err := e.db.WriteRegisterEntries(at(2021, 8, 1), "门头沟区", []xiezuo.RegisterEntry{
		purchase("<b>x&y</b>", "2021-07", map[string]string{"food_total": "1000000", "via_other": "500000"}),
	}); err != nil {
		t.Fatalf("WriteRegisterEntries = %v", err)
	}
	if _, err := e.db.WriteRegisterEntries(at(2021, 8, 20), "门头沟区", []xiezuo.RegisterEntry{
		{Kind: xiezuo.RegPark, Region: "内蒙古武川县", Unit: "区农业农村局", On: xiezuo.Date{Year: 2021, Month: 8, Day: 1},
			Values: map[string]string{"kind": "帮扶车间", "name": "车间", "region": "内蒙古武川县", "date": "2021-08-01", "poor_employed": "37", "unit": "区农业农村局"}},
		{Kind: xiezuo.RegFirm, Region: "内蒙古武川县", Unit: "区投资促进局", On: xiezuo.Date{Year: 2021, Month: 8, Day: 2},
			Values: map[string]string{"name": "某公司", "region": "内蒙古武川县", "date": "2021-08-02", "jobs": "12", "unit": "区投资促进局"}},
	}); err != nil {
		t.Fatalf("WriteRegisterEntries = %v", err)
	}
}

// panelOf is the HTML of one panel of the dashboard.
func panelOf(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<section class="dash-panel" id="dash-` + id + `".*?</section>`).FindString(body)
	if m == "" {
		t.Fatalf("dashboard has no panel %q", id)
	}
	return m
}

func TestDashboardPage(t *testing.T) {
	e := newEnv(t)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	dashYear(t, e, today)
	office := e.signIn("office")
	r := office.get("/dashboard" + plan2021)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /dashboard = %d:\n%s", r.StatusCode, excerpt(r.body))
	}
	for _, id := range []string{"funds", "months", "duties", "purchases", "jobs", "gaps"} {
		p := panelOf(t, r.body, id)
		if id != "gaps" && !strings.Contains(p, `<svg xmlns="http://www.w3.org/2000/svg"`) {
			t.Errorf("panel %s has no chart", id)
		}
		if !strings.Contains(p, "截至2021年9月15日") || !strings.Contains(p, `<table class="data dash-table"><caption>`) {
			t.Errorf("panel %s lacks its as-of heading or its table", id)
		}
	}
	if strings.Contains(r.body, "style=") {
		t.Errorf("the dashboard has a style= attribute (the CSP forbids inline styles)")
	}

	// Money: the rollup of the whole ledger as of today.
	ctx := t.Context()
	plan, err := e.db.LoadPlan(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	ledger, err := e.db.PlanFundTxs(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	day := xiezuo.DayOf(today)
	tot := xiezuo.RollupFunds(plan, xiezuo.ProjectFilter{}, ledger, day).Total
	if tot.Disbursed == 0 {
		t.Fatalf("the demo year disbursed nothing")
	}
	funds := panelOf(t, r.body, "funds")
	for _, want := range []string{
		"计划 <strong>" + wan2(tot.Planned.V) + "</strong> 万元",
		"已下达 <strong>" + wan2(tot.Allocated) + "</strong> 万元",
		"已拨付 <strong>" + wan2(tot.Disbursed) + "</strong> 万元",
		"拨付率 <strong>" + tot.DisbursementRate().Percent() + "</strong>",
		"<th scope=\"row\">内蒙古武川县（",
	} {
		if !strings.Contains(funds, want) {
			t.Errorf("funds panel lacks %q", want)
		}
	}
	months := panelOf(t, r.body, "months")
	if n := strings.Count(panelOf(t, r.body, "months"), "<th scope=\"row\">2021-"); n != 18 { // 9 months, on screen and in print
		t.Errorf("months table has %d rows (twice), want 9 × 2", n)
	}
	if !strings.Contains(months, "<th scope=\"row\">2021-09-15</th><td class=\"num\">"+xiezuo.FormatWan(tot.Allocated)+"</td><td class=\"num\">"+xiezuo.FormatWan(tot.Disbursed)+"</td>") {
		t.Errorf("months table's last row is not the total as of today")
	}
	// Every month's end: the ledger's dated transactions cumulated to that day (FundsAt), not
	// the sums of today dated today (the chart was flat at 0 until 15 September).
	grew := false
	for m := time.January; m <= time.September; m++ {
		end := xiezuo.NewDate(2021, m+1, 0)
		if m == time.September {
			end = day
		}
		var at xiezuo.FundFigures
		for _, list := range ledger {
			f := xiezuo.FundsAt(list, end)
			at.Allocated += f.Allocated
			at.Disbursed += f.Disbursed
			at.Spent += f.Spent
		}
		if m < time.September && at.Allocated > 0 {
			grew = true
		}
		want := "<th scope=\"row\">" + end.String() + "</th><td class=\"num\">" + xiezuo.FormatWan(at.Allocated) + "</td><td class=\"num\">" + xiezuo.FormatWan(at.Disbursed) + "</td><td class=\"num\">" + xiezuo.FormatWan(at.Spent) + "</td>"
		if !strings.Contains(months, want) {
			t.Errorf("months table lacks %s", want)
		}
	}
	if !grew {
		t.Errorf("the demo year allocated nothing before September: the month-end check proves nothing")
	}

	// Duties: the board the supervision page shows.
	req := httptest.NewRequest("GET", "/", nil).WithContext(ctx)
	b, _, err := e.srv.loadBoard(req, plan, today)
	if err != nil {
		t.Fatal(err)
	}
	red := len(b.Red())
	if red == 0 {
		t.Errorf("the demo year has no red duty on 15 September")
	}
	duties := panelOf(t, r.body, "duties")
	if !strings.Contains(duties, "逾期 <strong>"+strconv.Itoa(red)+"</strong> 项") || !strings.Contains(duties, "共 <strong>"+strconv.Itoa(len(b.Duties))+"</strong> 项") {
		t.Errorf("duties panel does not show %d red of %d: %s", red, len(b.Duties), excerpt(duties))
	}

	// Purchases: 40 %, 10 %, 50 % (two of three met); the units asked are the scorecard's: the
	// responsible units of gg-06 (各单位采购), of which five did not report — not the group's
	// members (区水务局 is one, not responsible); markup escaped.
	pur := panelOf(t, r.body, "purchases")
	for _, want := range []string{
		`<th scope="row">区财政局</th><td class="num">2021-H1</td><td class="num">100</td><td class="num">40</td><td class="num">40%</td><td class="num">达到</td>`,
		`<th scope="row">区教委</th><td class="num">2021-H1</td><td class="num">50</td><td class="num">5</td><td class="num">10%</td><td class="num">未达到</td>`,
		`<th scope="row">区商务局</th><td class="num"></td><td class="num">未报送</td>`,
		"未报送（5 个）：区商务局、区国资委、区直机关工委、区总工会、区卫生健康委",
		"未报送 <strong>5</strong> 个单位",
		"达到30% <strong>2 / 3</strong> 个单位",
		"总体占比 <strong>" + (xiezuo.Ratio{N: 45500000, D: 151000000}).Percent() + "</strong>",
		"30% 要求",
		"&lt;b&gt;x&amp;y&lt;/b&gt;",
		`href="/registers/purchases?district=`,
	} {
		if !strings.Contains(pur, want) {
			t.Errorf("purchases panel lacks %q", want)
		}
	}
	if strings.Contains(r.body, "<b>x&y</b>") || strings.Contains(pur, "区商务局：0") || strings.Contains(pur, "区水务局") {
		t.Errorf("purchases panel shows markup unescaped, a unit that did not report as 0, or a member not responsible for purchases")
	}

	// Employment: the plan's figure for 武川县 and the registers' 37 and 12.
	jobs := panelOf(t, r.body, "jobs")
	var planned int64
	for _, p := range plan.Projects {
		if p.Region == "内蒙古武川县" && p.Employed.Valid {
			planned += p.Employed.V
		}
	}
	// The projects' results as of today: the latest figure of each project, "≥" when some
	// project reported none.
	results, err := e.db.PlanResults(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	var actual int64
	some, blank := false, false
	for _, p := range plan.Projects {
		if p.Region != "内蒙古武川县" {
			continue
		}
		if n := xiezuo.ResultsAt(results[p.ID], day)[xiezuo.ResultPoorEmployed]; n.Valid {
			actual += n.V
			some = true
		} else {
			blank = true
		}
	}
	if !some {
		t.Fatalf("the demo year reported no employment in 武川县")
	}
	actualText := strconv.FormatInt(actual, 10)
	if blank {
		actualText = "≥" + actualText
	}
	if !regexp.MustCompile(`<th scope="row">内蒙古武川县</th><td class="num">≥?` + strconv.FormatInt(planned, 10) + `</td><td class="num">` + actualText + `</td><td class="num">37</td><td class="num">12</td>`).MatchString(jobs) {
		t.Errorf("jobs panel lacks 武川县 planned %d, actual %s, parks 37, firms 12: %s", planned, actualText, excerpt(jobs))
	}
	// The chart compares the plan with the projects' results only (two series, readable at
	// 1366 px); the registers' jobs are key figures and table columns.
	chartSVG := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindString(jobs)
	if !strings.Contains(chartSVG, "计划吸纳脱贫人口") || !strings.Contains(chartSVG, "项目实际带动") || strings.Contains(chartSVG, "园区车间吸纳脱贫人口") || strings.Contains(chartSVG, "引导企业吸纳就业") {
		t.Errorf("jobs chart does not draw just the plan and the results: %s", chartSVG)
	}
	for _, want := range []string{"园区车间吸纳脱贫人口 <strong>37</strong> 人", "引导企业吸纳就业 <strong>12</strong> 人"} {
		if !strings.Contains(jobs, want) {
			t.Errorf("jobs panel lacks the figure %q", want)
		}
	}

	// The scorecard's gaps: whatever the indicators give; none reads 暂无.
	gaps := panelOf(t, r.body, "gaps")
	if !strings.Contains(gaps, "暂无") && !strings.Contains(gaps, `href="/scorecard/`) {
		t.Errorf("gaps panel neither lists gaps nor says 暂无")
	}
	// Its figures are rounded (to 2 decimals at most), never 81.75018698578909%.
	if m := regexp.MustCompile(`\d\.\d{3,}`).FindString(gaps); m != "" {
		t.Errorf("gaps panel shows an unrounded figure %s", m)
	}

	// As of 30 June: six months, the purchases recorded on 10 July not yet there.
	r = office.get("/dashboard" + plan2021 + "&as_of=2021-06-30")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /dashboard?as_of=2021-06-30 = %d", r.StatusCode)
	}
	if n := strings.Count(panelOf(t, r.body, "months"), "<th scope=\"row\">2021-"); n != 12 {
		t.Errorf("as of 30 June, the months table has %d rows (twice), want 6 × 2", n)
	}
	if p := panelOf(t, r.body, "purchases"); !strings.Contains(p, "暂无单位报送消费帮扶采购") || !strings.Contains(p, "未报送（7 个）") {
		t.Errorf("as of 30 June the purchases panel shows purchases recorded later: %s", excerpt(p))
	}
	if !strings.Contains(r.body, "截至2021年6月30日") || !strings.Contains(r.body, "2021-06-30 当日结束时") {
		t.Errorf("as of 30 June the headings do not say so")
	}
	if r := office.get("/dashboard" + plan2021 + "&as_of=2021-09-16"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "晚于今天") {
		t.Errorf("GET /dashboard?as_of=tomorrow = %d, want 400 晚于今天", r.StatusCode)
	}

	// Who may read it; the home pages' performance block.
	for _, who := range []string{"leader", "city"} {
		if r := e.signIn(who).get("/dashboard" + plan2021); r.StatusCode != http.StatusOK {
			t.Errorf("%s GET /dashboard = %d, want 200", who, r.StatusCode)
		}
	}
	for _, who := range []string{"caizheng", "renshe", "wuchuan", "sysadmin", "auditor"} {
		if r := e.signIn(who).get("/dashboard" + plan2021); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s GET /dashboard = %d, want 403", who, r.StatusCode)
		}
	}
	for who, want := range map[string]bool{"office": true, "leader": true, "caizheng": false, "wuchuan": false} {
		home := e.signIn(who).get("/" + plan2021)
		has := strings.Contains(home.body, "工作成效") && strings.Contains(home.body, `href="/dashboard?`)
		if has != want {
			t.Errorf("%s's home page has the performance block: %v, want %v", who, has, want)
		}
		if want {
			for _, fig := range []string{tot.DisbursementRate().Percent(), ">" + strconv.Itoa(red) + " <small>项</small></div>逾期事项", "消费帮扶采购占比", "考核指标达标"} {
				if !strings.Contains(home.body, fig) {
					t.Errorf("%s's home page block lacks %q", who, fig)
				}
			}
			// Each card opens its page, as far as the role may open it.
			q := `?district=` + url.QueryEscape("门头沟区") + `&amp;year=2021"`
			for route, card := range map[string]string{
				"GET /funds":            `<a class="card" href="/funds` + q + `><div class="figure">` + tot.DisbursementRate().Percent(),
				"GET /supervision":      `<a class="card" href="/supervision` + q + `><div class="figure light-red">` + strconv.Itoa(red),
				"GET /registers/{kind}": `<a class="card" href="/registers/purchases` + q + `>`,
				"GET /scorecard":        `<a class="card" href="/scorecard` + q + `>`,
			} {
				if has := strings.Contains(home.body, card); has != e.srv.canUse(e.users[who], route) {
					t.Errorf("%s's home card %s: link %v, may use %v", who, route, has, !has)
				}
			}
		}
	}
}

// TestDashboardGaps renders the gaps panel of a scorecard as the dashboard shows it: red before
// yellow, each linked to its indicator's page with value and target in their units, 未报送 for
// a value nothing was reported for; an empty scorecard reads 暂无.
func TestDashboardGaps(t *testing.T) {
	e := newEnv(t)
	m := func(v float64) xiezuo.Measure { return xiezuo.Measure{V: v, Valid: true} }
	sc := xiezuo.Scorecard{Groups: []xiezuo.ScoreGroup{{Name: "信息宣传", Rows: []xiezuo.IndicatorScore{
		{Indicator: xiezuo.Indicator{Code: "xxxc-01", Name: "各专班典型案例", Unit: "个", Compare: ">="}, Light: xiezuo.ScoreYellow, Value: m(0), Target: m(1), Missing: []string{"区教委：典型案例 0 / 1 个"}},
		{Indicator: xiezuo.Indicator{Code: "zzld-01", Name: "区委书记或区长研究部署<会议>", Unit: "次", Compare: ">="}, Light: xiezuo.ScoreRed, Target: m(1)},
		{Indicator: xiezuo.Indicator{Code: "gg-01", Name: "采购占比", Unit: "%", Compare: ">="}, Light: xiezuo.ScoreGreen, Value: m(35), Target: m(30)},
		{Indicator: xiezuo.Indicator{Code: "zj-03", Name: "资金拨付率", Unit: "%", Compare: ">="}, Light: xiezuo.ScoreYellow, Value: m(81.75018698578909), Target: m(90)},
	}}}}
	pd := &planData{Plan: &xiezuo.Plan{District: "门头沟区", Year: 2021}}
	pd.Year, pd.District = 2021, "门头沟区"
	d := dashboardData{planData: *pd, AsOf: "2021-09-15", Today: "2021-09-15",
		Panels: []dashPanel{gapsPanel(pd, sc, xiezuo.Date{Year: 2021, Month: 9, Day: 15}), gapsPanel(pd, xiezuo.Scorecard{}, xiezuo.Date{Year: 2021, Month: 9, Day: 15})}}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/dashboard", nil)
	e.srv.render(rec, req, http.StatusOK, "dashboard", d)
	body := rec.Body.String()
	red := strings.Index(body, `data-indicator="zzld-01" data-light="red"`)
	yellow := strings.Index(body, `data-indicator="xxxc-01" data-light="yellow"`)
	if red < 0 || yellow < 0 || red > yellow {
		t.Errorf("gaps not listed red then yellow (red at %d, yellow at %d)", red, yellow)
	}
	for _, want := range []string{
		`href="/scorecard/zzld-01?district=`, "区委书记或区长研究部署&lt;会议&gt;</a>：未报送（目标：不少于 1 次）",
		`href="/scorecard/xxxc-01?district=`, "：0 个（目标：不少于 1 个）", "区教委：典型案例 0 / 1 个",
		"达标 <strong>1 / 4</strong> 项", "未达标 <strong>1</strong> 项", "资金拨付率</a>：81.75%（目标：不少于 90%）",
		"未达标的指标：暂无", "暂无考核指标数据",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("gaps panel lacks %q", want)
		}
	}
	if strings.Contains(body, "gg-01") {
		t.Errorf("a met indicator is listed among the gaps")
	}
}
