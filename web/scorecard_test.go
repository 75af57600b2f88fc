package web

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// mtg is 门头沟区 in a query.
var mtg = url.QueryEscape("门头沟区")

// handCard is a scorecard built by hand: one row of each light, a value nothing was reported
// for, a target of the year before, a Per indicator with its parts and what they miss, and
// evidence of every kind.
func handCard() xiezuo.Scorecard {
	m := func(v float64) xiezuo.Measure { return xiezuo.Measure{V: v, Valid: true} }
	one, six := 1.0, 6.0
	return xiezuo.Scorecard{District: "门头沟区", Year: 2021, AsOf: xiezuo.Date{Year: 2021, Month: 8, Day: 28}, By: xiezuo.ByDimension,
		Groups: []xiezuo.ScoreGroup{
			{Name: "组织领导", Rows: []xiezuo.IndicatorScore{
				{Indicator: xiezuo.Indicator{Code: "zzld-01", Name: "区委书记或区长上半年研究部署会议", Dimension: "组织领导",
					Requirement: "区委书记或区长每半年至少召开一次会议", Category: "组织领导", WorkItem: "研究部署", Clause: 1,
					Formula: `count(meetings where kind = "研究部署会议")`, Compare: ">=", Target: &one, Unit: "次", Due: "2021-06-30",
					Units: []string{"区扶贫协作办"}, Missing: "zero", Evidence: "会议纪要"},
					Value: m(2), Target: m(1), Light: xiezuo.ScoreGreen, Trend: m(1),
					Evidence: []xiezuo.EvidenceRef{{Kind: "meetings", ID: 5, Title: "区委常委会研究东西部协作", On: "2021-03-02"}}},
			}},
			{Name: "加强区域协作", Rows: []xiezuo.IndicatorScore{
				{Indicator: xiezuo.Indicator{Code: "jqxz-02", Name: "区级帮扶资金不低于上年", Dimension: "加强区域协作",
					TargetPrior: true, Unit: "万元", Due: "2021-12-31", Units: []string{"区财政局"}},
					Value: m(1100), Target: m(1200), Light: xiezuo.ScoreRed, Trend: m(900),
					Evidence: []xiezuo.EvidenceRef{{Kind: "fund", ID: 9, Title: "拨付 100 万元", On: "2021-05-01", Project: 3},
						{Kind: "fund", ID: 10, Title: "拨付 50 万元", On: "2021-06-01"},
						{Kind: "project", ID: 3, Title: "武川县肉牛养殖", On: "2021-04-01"}}},
			}},
			{Name: "信息宣传", Rows: []xiezuo.IndicatorScore{
				{Indicator: xiezuo.Indicator{Code: "xxxc-01", Name: "各专班典型案例", Dimension: "信息宣传", Compare: ">=",
					Target: &one, Unit: "个", Due: "2021-10-31", Per: "team"},
					Value: m(1), Target: m(1), Light: xiezuo.ScoreYellow,
					Missing: []string{"劳务协作专班：典型案例 0 / 1 个"},
					Parts: []xiezuo.IndicatorScore{
						{Group: "产业协作专班", Value: m(1), Target: m(1), Light: xiezuo.ScoreGreen},
						{Group: "劳务协作专班", Target: m(1), Light: xiezuo.ScoreGrey, Missing: []string{"典型案例 0 / 1 个"}},
					},
					Evidence: []xiezuo.EvidenceRef{{Kind: "articles", ID: 7, Title: "肉牛养殖带富一方", On: "2021-07-01"},
						{Kind: "report", ID: 11, Title: "任务3 7 月进展", On: "2021-07-31", Duty: "task-3"}}},
				{Indicator: xiezuo.Indicator{Code: "xxxc-02", Name: "信息篇数", Dimension: "信息宣传", Target: &six, Unit: "篇"},
					Light: xiezuo.ScoreGrey},
				{Indicator: xiezuo.Indicator{Code: "cxcy-01", Name: "创新做法", Dimension: "信息宣传", Unit: "个"},
					Light: xiezuo.ScoreGrey},
			}},
		}}
}

func handPlan(u *xiezuo.User) *planData {
	return &planData{base: base{Year: 2021, District: "门头沟区", User: u, Title: "考核"}}
}

// TestScorecardView checks the page of a hand-built scorecard: lights as colour and word,
// unknown values, the target of the year before, what is missing, the parts, the trend and the
// links; and that a unit's user sees its rows only.
func TestScorecardView(t *testing.T) {
	e := newEnv(t)
	office := e.users["office"]
	today := xiezuo.Date{Year: 2021, Month: 8, Day: 28}
	d := scorecardView(handPlan(office), handCard(), xiezuo.ScorecardFilter{By: xiezuo.ByDimension}, today)
	if got, want := d.Summary.String(), "达标 1、未达标 1、未到期 1、未报送 2"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	if len(d.Tabs) != 4 || !d.Tabs[0].Current || d.Tabs[1].Href != "/scorecard?by=team&district="+mtg+"&year=2021" {
		t.Errorf("Tabs = %+v", d.Tabs)
	}
	fund := d.Groups[1].Rows[0]
	if fund.Target != "不低于上年（1200 万元）" || fund.Value != "1100 万元" || fund.Light.Word != "未达标" || fund.Light.Class != "light-red" || fund.Trend != "↑（30 天前 900 万元）" {
		t.Errorf("fund row = %+v", fund)
	}
	cases := d.Groups[2].Rows[0]
	wantParts := []string{"产业协作专班 1 个 达标", "劳务协作专班 未报送 未报送"}
	var gotParts []string
	for _, p := range cases.Parts {
		gotParts = append(gotParts, p.Name+" "+p.Value+" "+p.Light.Word)
	}
	if diff := cmp.Diff(wantParts, gotParts); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	if cases.Target != "每个工作专班不少于 1 个" || cases.Light.Word != "未达标（未到期）" {
		t.Errorf("cases row = %+v", cases)
	}
	if got := d.Groups[2].Rows[2]; !got.Unknown || got.Value != "未报送" || got.Target != "未设目标" || got.Light.Word != "未报送" {
		t.Errorf("unknown row = %+v", got)
	}
	_, body, err := e.srv.renderContent("scorecard", d)
	if err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(string(body))
	for _, want := range []string{
		"● 达标 1", "● 未达标 1", "● 未到期 1", "● 未报送 2",
		"<h2>组织领导 <small class=\"muted\">（1 项：达标 1、未达标 0、未到期 0、未报送 0）</small></h2>",
		"区委书记或区长每半年至少召开一次会议", "组织领导 / 研究部署（第 1 项）",
		`data-light="green">● 达标</span>`, `data-light="red">● 未达标</span>`, `data-light="yellow">● 未达标（未到期）</span>`,
		"不低于上年（1200 万元）", "未设目标", "劳务协作专班：典型案例 0 / 1 个", "分项 2 个",
		"↑（30 天前 1 次）", `<a href="/scorecard/zzld-01?district=` + mtg + `&year=2021#evidence">1 条</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("scorecard page lacks %q", want)
		}
	}

	// A unit's user: its rows only, by unit, one tab.
	unit := e.users["caizheng"]
	byUnit := xiezuo.Scorecard{District: "门头沟区", Year: 2021, By: xiezuo.ByUnit, Groups: []xiezuo.ScoreGroup{
		{Name: "区教委", Rows: handCard().Groups[0].Rows}, {Name: "区财政局", Rows: handCard().Groups[1].Rows}}}
	f := xiezuo.ScorecardFilter{By: xiezuo.ByTeam}.For(unit)
	ud := scorecardView(handPlan(unit), byUnit, f, today)
	if ud.Whole || len(ud.Groups) != 1 || ud.Groups[0].Name != "区财政局" || len(ud.Tabs) != 1 || ud.XLSXAll != "" {
		t.Errorf("unit's view = whole %v, groups %+v, tabs %+v, all %q", ud.Whole, ud.Groups, ud.Tabs, ud.XLSXAll)
	}
}

// TestIndicatorScoreView checks one indicator's page: its definition and each evidence item
// linked to its fact by kind.
func TestIndicatorScoreView(t *testing.T) {
	e := newEnv(t)
	pd := handPlan(e.users["office"])
	today := xiezuo.Date{Year: 2021, Month: 8, Day: 28}
	card := handCard()
	q := "?district=" + mtg + "&year=2021"
	var got []scoreEvidenceView
	for _, row := range []xiezuo.IndicatorScore{card.Groups[1].Rows[0], card.Groups[2].Rows[0], card.Groups[0].Rows[0]} {
		got = append(got, indicatorScoreView(pd, row, xiezuo.ScorecardFilter{}, today).Evidence...)
	}
	want := []scoreEvidenceView{
		{"资金记录", "拨付 100 万元", "2021-05-01", "/projects/3" + q},
		{"资金记录", "拨付 50 万元", "2021-06-01", ""},
		{"项目", "武川县肉牛养殖", "2021-04-01", "/projects/3" + q},
		{"信息、典型案例、工作总结", "肉牛养殖带富一方", "2021-07-01", "/registers/articles/7" + q},
		{"进展报告", "任务3 7 月进展", "2021-07-31", "/duties/task-3" + q},
		{"会议", "区委常委会研究东西部协作", "2021-03-02", "/registers/meetings/5" + q},
	}
	if s, ok := xiezuo.RegisterSpecOf(xiezuo.RegArticle); ok {
		want[3].Kind = s.Title
	}
	if s, ok := xiezuo.RegisterSpecOf(xiezuo.RegMeeting); ok {
		want[5].Kind = s.Title
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	d := indicatorScoreView(pd, card.Groups[0].Rows[0], xiezuo.ScorecardFilter{AsOf: xiezuo.Date{Year: 2021, Month: 7, Day: 1}}, today)
	_, body, err := e.srv.renderContent("scorecard_one", d)
	if err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(string(body))
	for _, w := range []string{"2021-07-01 当日结束时", "区委书记或区长每半年至少召开一次会议", `count(meetings where kind = "研究部署会议")`,
		"2021-01-01 至 2021-06-30", "区扶贫协作办", "未报送按 0 计", "会议纪要", "佐证（1 条）", `href="/registers/meetings/5?`} {
		if !strings.Contains(page, w) {
			t.Errorf("indicator page lacks %q", w)
		}
	}
}

// TestScorecardJSON checks the API's shape on a hand-built scorecard: DESIGN.md's fields, value
// null when nothing was reported, evidence with its url, parts.
func TestScorecardJSON(t *testing.T) {
	b, err := json.Marshal(scorecardJSON(handCard()))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Indicators []map[string]any `json:"indicators"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Indicators) != 5 {
		t.Fatalf("indicators = %d, want 5", len(got.Indicators))
	}
	// The answer is what /api/openapi.json documents.
	var v any
	json.Unmarshal(b, &v)
	for _, msg := range conform(v, schemaOf(apiDocs["GET /api/v1/plans/{district}/{year}/scorecard"].response), "") {
		t.Errorf("scorecardJSON: %s", msg)
	}
	for _, k := range []string{"id", "name", "dimension", "target", "value", "light", "evidence", "unit", "due", "trend", "missing", "requirement", "parts"} {
		if _, ok := got.Indicators[0][k]; !ok {
			t.Errorf("indicator lacks %q: %v", k, got.Indicators[0])
		}
	}
	unknown := got.Indicators[4]
	if unknown["id"] != "cxcy-01" || unknown["value"] != nil || unknown["target"] != nil || unknown["light"] != "grey" || unknown["light_word"] != "未报送" {
		t.Errorf("unknown indicator = %v", unknown)
	}
	ev := got.Indicators[0]["evidence"].([]any)[0].(map[string]any)
	if diff := cmp.Diff(map[string]any{"kind": "meetings", "id": 5.0, "title": "区委常委会研究东西部协作", "on": "2021-03-02", "url": "/registers/meetings/5?district=" + mtg + "&year=2021"}, ev); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	parts := got.Indicators[2]["parts"].([]any)
	if p := parts[1].(map[string]any); p["group"] != "劳务协作专班" || p["value"] != nil || p["light"] != "grey" || p["light_word"] != "未报送" {
		t.Errorf("part = %v", p)
	}
}

// TestScorecardPages runs the pages, the workbook and the API end to end over the stored 2021
// plan: a row per shipped indicator on the page and in the API, each indicator's own page.
func TestScorecardPages(t *testing.T) {
	e := newEnv(t)
	q := "?year=2021&district=" + mtg
	office := e.signIn("office")
	for _, by := range []string{"", "&by=team", "&by=unit", "&by=region"} {
		r := office.get("/scorecard" + q + by)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "<h1>考核") || !strings.Contains(r.body, "达标 ") || !strings.Contains(r.body, "按工作专班") {
			t.Errorf("GET /scorecard%s = %d:\n%s", by, r.StatusCode, excerpt(r.body))
		}
	}
	if r := office.get("/scorecard" + q + "&as_of=2021-06-30"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "2021-06-30 当日结束时") {
		t.Errorf("GET /scorecard?as_of=2021-06-30 = %d", r.StatusCode)
	}
	for _, bad := range []string{"&by=town", "&as_of=2021-13-01", "&as_of=2021-09-01"} {
		if r := office.get("/scorecard" + q + bad); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "参数") {
			t.Errorf("GET /scorecard%s = %d, want 400 naming the parameter", bad, r.StatusCode)
		}
	}
	if r := office.get("/scorecard/nosuch" + q); r.StatusCode != http.StatusNotFound || !strings.Contains(r.body, "没有编号为“nosuch”的考核指标") {
		t.Errorf("GET /scorecard/nosuch = %d", r.StatusCode)
	}
	unit := e.signIn("caizheng")
	if r := unit.get("/scorecard" + q + "&by=team"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "只显示本单位（区财政局）负责的考核指标") || strings.Contains(r.body, "按工作专班") {
		t.Errorf("GET /scorecard as a unit = %d:\n%s", r.StatusCode, excerpt(r.body))
	}

	// The workbook: its title, headers and the sheet 佐证.
	r := office.get("/scorecard" + q + "&format=xlsx&sheets=all")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("GET /scorecard?format=xlsx = %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"按考核维度", "按工作专班", "按单位", "按协作地区", "佐证"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if title, _ := f.GetCellValue("按考核维度", "A1"); title != "2021年门头沟区考核指标完成情况（截至 2021-08-28）" {
		t.Errorf("title = %q", title)
	}
	rows, _ := f.GetRows("按工作专班")
	if len(rows) < 2 || !cmp.Equal(rows[1], []string{"工作专班", "维度", "指标", "目标", "完成值", "单位", "状态", "趋势", "尚缺", "佐证"}) {
		t.Errorf("headers by team = %v", rows)
	}

	// The API: the contract's shape, 422 naming a bad parameter, a unit's token by unit.
	api := "/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/scorecard"
	tok := tokenOf(t, e, "office")
	res := tok.call("GET", api+"?as_of=2021-08-01&by=team", "")
	var body struct {
		Indicators []map[string]any `json:"indicators"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(res.body), &body) != nil || body.Indicators == nil {
		t.Errorf("GET %s = %d %s, want {\"indicators\": [...]}", api, res.StatusCode, res.body)
	}
	shipped := xiezuo.ShippedIndicators(2021)
	res = tok.call("GET", api+"?as_of=2021-08-01", "")
	body.Indicators = nil
	if json.Unmarshal([]byte(res.body), &body) != nil || len(body.Indicators) != len(shipped) {
		t.Errorf("GET %s by dimension: %d indicators, want %d", api, len(body.Indicators), len(shipped))
	}
	for _, it := range body.Indicators {
		for _, k := range []string{"id", "name", "dimension", "target", "value", "light", "evidence"} {
			if _, ok := it[k]; !ok {
				t.Errorf("API item %v lacks %q", it["id"], k)
			}
		}
	}
	page := office.get("/scorecard" + q)
	for _, in := range shipped {
		if !strings.Contains(page.body, `/scorecard/`+in.Code) {
			t.Errorf("/scorecard lacks indicator %s (%s)", in.Code, in.Name)
		}
	}
	if r := office.get("/scorecard/" + shipped[0].Code + q); r.StatusCode != http.StatusOK || !strings.Contains(r.body, shipped[0].Name) {
		t.Errorf("GET /scorecard/%s = %d", shipped[0].Code, r.StatusCode)
	}
	for _, bad := range []struct{ q, names string }{{"?by=town", "参数 by"}, {"?as_of=2021-02-30", "参数 as_of"}, {"?as_of=2022-01-01", "参数 as_of"}} {
		res := tok.call("GET", api+bad.q, "")
		var e apiError
		if res.StatusCode != http.StatusUnprocessableEntity || json.Unmarshal([]byte(res.body), &e) != nil || e.Error.Code != xiezuo.EINVALID || !strings.Contains(e.Error.Message, bad.names) {
			t.Errorf("GET %s%s = %d %s, want 422 naming %s", api, bad.q, res.StatusCode, res.body, bad.names)
		}
	}
	if res := tokenOf(t, e, "caizheng").call("GET", api, ""); res.StatusCode != http.StatusOK {
		t.Errorf("GET %s as a unit = %d %s", api, res.StatusCode, res.body)
	}
	if res := tok.call("GET", "/api/v1/plans/"+url.PathEscape("门头沟区")+"/2019/scorecard", ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET scorecard of 2019 = %d, want 404", res.StatusCode)
	}
}

// TestScorecardPerRowAPIAndRoles: a Per indicator's row says how many groups met their own
// target (4 / 7 个单位达标, 每个单位不少于 30%) on the page and in the API (value and target
// count groups in 个, part_target and part_unit are each group's), figures are rounded,
// evidence urls carry the plan, a row reported without a target is 未设目标 in the summary, and
// the formula is the office's only.
func TestScorecardPerRowAPIAndRoles(t *testing.T) {
	e := newEnv(t)
	m := func(v float64) xiezuo.Measure { return xiezuo.Measure{V: v, Valid: true} }
	thirty := 30.0
	buy := xiezuo.Indicator{Code: "gg-03", Name: "各单位采购协作地区产品比例", Dimension: "巩固拓展脱贫攻坚成果", Compare: ">=",
		Target: &thirty, Unit: "%", Due: "2021-12-31", Per: "unit", Formula: `share(sum(purchases.partner), sum(purchases.base))`}
	card := xiezuo.Scorecard{District: "门头沟区", Year: 2021, AsOf: xiezuo.Date{Year: 2021, Month: 9, Day: 15}, By: xiezuo.ByDimension,
		Groups: []xiezuo.ScoreGroup{{Name: "巩固拓展脱贫攻坚成果", Rows: []xiezuo.IndicatorScore{
			{Indicator: buy, Value: m(4), Target: m(7), Light: xiezuo.ScoreYellow,
				Parts:    []xiezuo.IndicatorScore{{Group: "区教委", Value: m(28.000000000000004), Target: m(30), Light: xiezuo.ScoreYellow}},
				Evidence: []xiezuo.EvidenceRef{{Kind: "purchases", ID: 4, Title: "消费帮扶采购 · 2021-H1 · 区教委", On: "2021-06-30"}}},
			{Indicator: xiezuo.Indicator{Code: "x-1", Name: "创新做法", Dimension: "巩固拓展脱贫攻坚成果", Unit: "个"}, Value: m(3), Light: xiezuo.ScoreGrey},
		}}}}
	office := e.users["office"]
	d := scorecardView(handPlan(office), card, xiezuo.ScorecardFilter{By: xiezuo.ByDimension}, card.AsOf)
	row := d.Groups[0].Rows[0]
	if row.Value != "4 / 7 个单位达标" || row.Target != "每个单位不少于 30%" || row.Parts[0].Value != "28%" {
		t.Errorf("per-unit row: value %q target %q part %q; want 4 / 7 个单位达标, 每个单位不少于 30%%, 28%%", row.Value, row.Target, row.Parts[0].Value)
	}
	if d.Summary.Grey != 0 || d.Summary.NoTarget != 1 {
		t.Errorf("summary %+v, want the row without a target as 未设目标", d.Summary)
	}
	var page bytes.Buffer
	if err := e.srv.tmpl["scorecard"].ExecuteTemplate(&page, "content", d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "● 未设目标 1") {
		t.Errorf("summary lacks 未设目标 1")
	}

	b, _ := json.Marshal(scorecardJSON(card))
	var raw struct {
		Indicators []map[string]any `json:"indicators"`
	}
	json.Unmarshal(b, &raw)
	it := raw.Indicators[0]
	if it["value"] != 4.0 || it["target"] != 7.0 || it["unit"] != "个" || it["part_target"] != 30.0 || it["part_unit"] != "%" {
		t.Errorf("API per-unit row = %v; want value 4, target 7, unit 个, part_target 30, part_unit %%", it)
	}
	if s := string(b); strings.Contains(s, "28.000000000000004") || !strings.Contains(s, `"value":28`) {
		t.Errorf("API part value not rounded: %s", s)
	}
	if u := it["evidence"].([]any)[0].(map[string]any)["url"]; u != "/registers/purchases/4?district="+mtg+"&year=2021" {
		t.Errorf("evidence url = %v, want it with the plan", u)
	}
	if _, ok := raw.Indicators[1]["part_target"]; ok {
		t.Errorf("part_target on a district-wide row: %v", raw.Indicators[1])
	}

	// The formula: the office reads it; a unit reads the requirement and the evidence asked.
	one := indicatorScoreView(handPlan(office), card.Groups[0].Rows[0], xiezuo.ScorecardFilter{}, card.AsOf)
	unit := indicatorScoreView(handPlan(e.users["caizheng"]), card.Groups[0].Rows[0], xiezuo.ScorecardFilter{}, card.AsOf)
	for _, tc := range []struct {
		d    indicatorScoreData
		want bool
	}{{one, true}, {unit, false}} {
		var buf bytes.Buffer
		if err := e.srv.tmpl["scorecard_one"].ExecuteTemplate(&buf, "content", tc.d); err != nil {
			t.Fatal(err)
		}
		if has := strings.Contains(buf.String(), "计算方法"); has != tc.want {
			t.Errorf("%s reads the formula: %v, want %v", tc.d.User.Username, has, tc.want)
		}
	}
}
