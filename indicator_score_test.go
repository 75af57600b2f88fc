package xiezuo_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"xiezuo"
)

// A small plan: two teams, three units, two regions, two industrial projects.
func scorePlan() *xiezuo.Plan {
	return &xiezuo.Plan{Year: 2021, District: "测试区",
		Teams:   []xiezuo.WorkTeam{{Name: "甲专班", Leads: []string{"区教委"}}, {Name: "乙专班", Leads: []string{"区商务局"}}},
		Regions: []xiezuo.PartnerRegion{{Name: "甲县"}, {Name: "乙县"}},
		Units:   []xiezuo.Unit{{Name: "区教委", Aliases: []string{"区教育委员会"}}, {Name: "区商务局"}, {Name: "领导小组办公室"}},
		Projects: []xiezuo.Project{
			{ID: 1, Region: "甲县", Category: "产业合作类", Name: "甲项目", LeadUnit: "区商务局", DistrictFund: xiezuo.Known(300_000_000), Employed: xiezuo.Known(10),
				Period: xiezuo.Period{Start: xiezuo.YearMonth{Year: 2021, Month: 5}, Finish: xiezuo.YearMonth{Year: 2021, Month: 8}}},
			{ID: 2, Region: "乙县", Category: "产业合作类", Name: "乙项目", LeadUnit: "区教委", DistrictFund: xiezuo.Known(200_000_000), Employed: xiezuo.Known(20),
				Period: xiezuo.Period{Start: xiezuo.YearMonth{Year: 2021, Month: 6}, Finish: xiezuo.YearMonth{Year: 2021, Month: 9}}},
		}}
}

func day(m time.Month, d int) xiezuo.Date { return xiezuo.NewDate(2021, m, d) }

var serial int64

// entry makes a register entry; vals are key=value pairs.
func entry(kind xiezuo.RegisterKind, on xiezuo.Date, unit, region, team string, vals ...string) xiezuo.RegisterEntry {
	serial++
	e := xiezuo.RegisterEntry{ID: serial, Entry: serial, Kind: kind, On: on, Unit: unit, Region: region, Team: team, Values: map[string]string{}}
	for _, kv := range vals {
		k, v, _ := strings.Cut(kv, "=")
		e.Values[k] = v
	}
	return e
}

func target(v float64) *float64 { return &v }

func ind(formula string, t *float64, due string, mods ...func(*xiezuo.Indicator)) xiezuo.Indicator {
	in := xiezuo.Indicator{Code: "t-1", Name: "测试指标", Label: "测试", Dimension: "组织领导", Formula: formula, Compare: ">=", Target: t,
		Unit: "个", Due: due, Missing: "zero"}
	for _, m := range mods {
		m(&in)
	}
	return in
}

func scoreRow(in xiezuo.Indicator, d xiezuo.ScoreData, asOf xiezuo.Date) xiezuo.IndicatorScore {
	return xiezuo.Score([]xiezuo.Indicator{in}, d, asOf, xiezuo.ByDimension).Rows()[0]
}

// TestScoreValues: each aggregate, unknown versus 0, periods and lights.
func TestScoreValues(t *testing.T) {
	p := scorePlan()
	entries := []xiezuo.RegisterEntry{
		entry(xiezuo.RegMeeting, day(3, 1), "领导小组办公室", "", "", "kind=联席会议"),
		entry(xiezuo.RegMeeting, day(7, 1), "领导小组办公室", "甲县", "", "kind=联席会议"),
		entry(xiezuo.RegMeeting, xiezuo.NewDate(2020, 12, 30), "领导小组办公室", "", "", "kind=联席会议"), // the year before
		entry(xiezuo.RegDonation, day(2, 1), "区教委", "甲县", "", "donor=甲公司", "donor_kind=企业", "money=1234567"),
		entry(xiezuo.RegDonation, day(4, 1), "区教委", "乙县", "", "donor=甲公司", "donor_kind=企业", "goods=1000000"),
		entry(xiezuo.RegDonation, day(5, 1), "区教委", "乙县", "", "donor=乙协会", "donor_kind=社会组织"), // nothing reported
		entry(xiezuo.RegFirm, day(5, 1), "区商务局", "甲县", "", "name=甲公司"),                        // jobs not reported
		entry(xiezuo.RegPersonnel, xiezuo.NewDate(2020, 7, 1), "区教委", "甲县", "", "direction=选派到协作地区", "kind=党政干部", "from=2020-07-01", "to=2022-06-30"),
		entry(xiezuo.RegPersonnel, xiezuo.NewDate(2019, 7, 1), "区教委", "甲县", "", "direction=选派到协作地区", "kind=党政干部", "from=2019-07-01", "to=2021-06-30", "left=2020-12-01"),
		entry(xiezuo.RegPersonnel, day(11, 1), "区教委", "乙县", "", "direction=选派到协作地区", "kind=教师", "from=2021-11-01", "to=2022-10-31"),
		entry(xiezuo.RegProblem, day(2, 1), "领导小组办公室", "", "", "status=已整改", "deadline=2021-06-30", "done=2021-06-01"),
		entry(xiezuo.RegProblem, day(3, 1), "领导小组办公室", "", "", "status=整改中", "deadline=2021-09-30"),
	}
	steps := map[int64][]xiezuo.ProjectStep{
		1: {{ProjectID: 1, Kind: xiezuo.StepStart, On: day(5, 10)}, {ProjectID: 1, Kind: xiezuo.StepComplete, On: day(8, 20)}},
		2: {{ProjectID: 2, Kind: xiezuo.StepStart, On: day(10, 8)}},
	}
	results := map[int64][]xiezuo.ProjectResult{1: {{ID: 1, ProjectID: 1, Kind: xiezuo.ResultPoorEmployed, Value: 8, On: day(8, 20)}}}
	funds := map[int64][]xiezuo.FundTx{1: {{ID: 7, ProjectID: 1, Kind: xiezuo.FundAllocation, Source: xiezuo.SourceDistrict, Amount: 300_000_000, On: day(6, 1)}}}
	d := xiezuo.ScoreData{Plan: p, Entries: entries, Steps: steps, Results: results, Funds: funds}
	zero, fail, pass := func(in *xiezuo.Indicator) { in.Missing = "zero" }, func(in *xiezuo.Indicator) { in.Missing = "fail" }, func(in *xiezuo.Indicator) { in.Missing = "pass" }
	from := func(s string) func(*xiezuo.Indicator) { return func(in *xiezuo.Indicator) { in.From = s } }
	atMost := func(in *xiezuo.Indicator) { in.Compare = "<=" }
	for _, tc := range []struct {
		name string
		in   xiezuo.Indicator
		asOf xiezuo.Date
		want string // value / target light trend
	}{
		{"count in the year up to the date", ind(`count(meetings where kind = "联席会议")`, target(2), "2021-12-31"), day(12, 31), "2 / 2 green 2"},
		{"count before the date asked: yellow", ind(`count(meetings)`, target(2), "2021-12-31"), day(6, 30), "1 / 2 yellow 1"},
		{"count after due: red", ind(`count(meetings)`, target(2), "2021-06-30"), day(12, 31), "1 / 2 red 1"},
		{"count from a day", ind(`count(meetings)`, target(1), "2021-10-31", from("2021-07-01")), day(6, 30), "0 / 1 yellow 0"},
		{"trend 30 days back", ind(`count(meetings)`, target(2), "2021-12-31"), day(7, 20), "2 / 2 green 1"},
		{"count over none is 0", ind(`count(media)`, target(1), "2021-06-30"), day(12, 31), "0 / 1 red 0"},
		{"sum of amounts in 万元", ind(`sum(donations.money)`, target(1), "2021-12-31"), day(12, 31), "1.23 / 1 green 1.23"},
		{"derived sum", ind(`sum(donations.total)`, target(3), "2021-12-31"), day(12, 31), "2.23 / 3 red 2.23"},
		{"distinct", ind(`distinct(donations.donor)`, target(2), "2021-12-31"), day(12, 31), "2 / 2 green 2"},
		{"sum over nothing reported, zero", ind(`sum(firms.jobs)`, target(5), "2021-06-30", zero), day(12, 31), "— / 5 red —"},
		{"sum over nothing reported, fail before due", ind(`sum(firms.jobs)`, target(5), "2021-12-31", fail), day(6, 30), "— / 5 grey —"},
		{"sum over nothing reported, fail after due", ind(`sum(firms.jobs)`, target(5), "2021-06-30", fail), day(12, 31), "— / 5 red —"},
		{"sum over nothing reported, pass", ind(`sum(firms.jobs)`, target(5), "2021-06-30", pass), day(12, 31), "— / 5 green —"},
		{"no target", ind(`count(meetings)`, nil, "2021-12-31"), day(12, 31), "2 / — grey 2"},
		{"share, unknown denominator", ind(`share(count(firms), sum(firms.jobs))`, target(1), "2021-12-31", fail), day(12, 31), "— / 1 red —"},
		{"arithmetic", ind(`(count(meetings) + 1) * 2 / 3 - 1`, target(1), "2021-12-31"), day(12, 31), "1 / 1 green 1"},
		{"division by zero is unknown", ind(`count(meetings) / count(media)`, target(1), "2021-12-31", fail), day(12, 31), "— / 1 red —"},
		{"personnel overlapping the year", ind(`count(personnel where kind = "党政干部")`, target(1), "2021-12-31"), day(12, 31), "1 / 1 green 1"},
		{"personnel in post by the date", ind(`count(personnel)`, target(2), "2021-12-31"), day(10, 31), "1 / 2 yellow 1"},
		{"problems overdue with today", ind(`count(problems where status = "整改中" and deadline < today)`, target(0), "2021-12-31", atMost), day(9, 30), "0 / 0 green 0"},
		{"problems overdue after their deadline", ind(`count(problems where status = "整改中" and deadline < today)`, target(0), "2021-12-31", atMost), day(10, 1), "1 / 0 yellow 0"},
		{"rectified on time", ind(`share(count(problems where on_time = "是"), count(problems where deadline <= today or on_time = "是"))`, target(100), "2021-06-30", pass), day(6, 30), "100 / 100 green 100"},
		{"projects started by a date", ind(`share(count(projects where started = "是"), count(projects))`, target(100), "2021-09-30"), day(12, 31), "50 / 100 red 50"},
		{"projects finished on time", ind(`count(projects where finished_on_time = "是")`, target(1), "2021-12-31"), day(12, 31), "1 / 1 green 1"},
		{"project status", ind(`count(projects where status = "started")`, target(1), "2021-12-31"), day(12, 31), "1 / 1 green 1"},
		{"project fund in 万元", ind(`sum(projects.fund)`, target(500), "2021-12-31"), day(12, 31), "500 / 500 green 500"},
		{"results against the plan", ind(`share(sum(results.value where kind = "poor_employed"), sum(projects.employed))`, target(100), "2021-12-31"), day(12, 31), "26.67 / 100 red 26.67"},
		{"results as of a date", ind(`sum(results.value)`, target(1), "2021-12-31", fail), day(8, 1), "— / 1 grey —"},
		{"funds", ind(`sum(funds.amount where kind = "allocation" and source = "district")`, target(300), "2021-12-31"), day(12, 31), "300 / 300 green 300"},
		{"funds before their date", ind(`sum(funds.amount)`, target(300), "2021-12-31", zero), day(5, 31), "— / 300 yellow —"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scoreRow(tc.in, d, tc.asOf)
			if got := fmt.Sprintf("%s / %s %s %s", r.Value, r.Target, r.Light, r.Trend); got != tc.want {
				t.Errorf("Score(%s) as of %s = %s, want %s", tc.in.Formula, tc.asOf, got, tc.want)
			}
		})
	}
}

// TestScorePerGroup: a Per indicator's parts and district row, what is missing in words, and
// the scorecards by team, unit and region.
func TestScorePerGroup(t *testing.T) {
	p := scorePlan()
	var entries []xiezuo.RegisterEntry
	for i := range 6 {
		entries = append(entries, entry(xiezuo.RegArticle, day(time.Month(2+i), 1), "区教委", "", "甲专班", "kind=信息"))
	}
	for i := range 4 {
		entries = append(entries, entry(xiezuo.RegArticle, day(time.Month(2+i), 2), "区商务局", "", "乙专班", "kind=信息"))
	}
	entries = append(entries,
		entry(xiezuo.RegPurchase, day(6, 30), "区教委", "", "", "food_total=1000000", "via_832=300000"),
		entry(xiezuo.RegPurchase, day(6, 30), "区商务局", "", "", "food_total=1000000", "via_direct=200000"),
		entry(xiezuo.RegVisit, day(5, 1), "领导小组办公室", "甲县", "", "direction=赴协作地区"),
		entry(xiezuo.RegMeeting, day(5, 1), "领导小组办公室", "乙县", "", "kind=联席会议"),
	)
	d := xiezuo.ScoreData{Plan: p, Entries: entries}
	set := []xiezuo.Indicator{
		ind(`count(articles where kind = "信息")`, target(6), "2021-10-31", func(in *xiezuo.Indicator) {
			in.Code, in.Per, in.Label, in.Unit, in.Dimension = "xx-02", "team", "信息", "篇", "信息宣传"
		}),
		ind(`share(sum(purchases.partner), sum(purchases.base))`, target(30), "2021-12-31", func(in *xiezuo.Indicator) {
			in.Code, in.Per, in.Label, in.Unit, in.Units, in.Missing = "gg-06", "unit", "采购占比", "%", []string{"区教育委员会", "区商务局", "领导小组办公室"}, "pass"
		}),
		ind(`count(visits)`, target(1), "2021-08-31", func(in *xiezuo.Indicator) { in.Code, in.Per, in.Label, in.Unit = "zzld-05", "region", "调研", "次" }),
		ind(`count(meetings)`, target(1), "2021-08-31", func(in *xiezuo.Indicator) {
			in.Code, in.Label, in.Unit, in.Units = "zzld-06", "联席会议", "次", []string{"区商务局"}
		}),
	}
	card := xiezuo.Score(set, d, day(9, 1), xiezuo.ByDimension)
	rows := map[string]xiezuo.IndicatorScore{}
	for _, r := range card.Rows() {
		rows[r.Indicator.Code] = r
	}
	check := func(code, want string, missing ...string) {
		t.Helper()
		r := rows[code]
		if got := fmt.Sprintf("%s / %s %s", r.Value, r.Target, r.Light); got != want {
			t.Errorf("%s = %s, want %s", code, got, want)
		}
		if fmt.Sprint(r.Missing) != fmt.Sprint(missing) {
			t.Errorf("%s missing %q, want %q", code, r.Missing, missing)
		}
	}
	check("xx-02", "1 / 2 yellow", "乙专班：信息 4 / 6 篇")
	check("gg-06", "2 / 3 yellow", "区商务局：采购占比 20 / 30%")
	check("zzld-05", "1 / 2 red", "乙县：调研 0 / 1 次")
	check("zzld-06", "1 / 1 green")
	if parts := rows["gg-06"].Parts; len(parts) != 3 || parts[0].Group != "区教委" || parts[0].Value.String() != "30" || parts[2].Light != xiezuo.ScoreGreen {
		t.Errorf("gg-06 parts %+v", parts)
	}
	if n := len(rows["xx-02"].Evidence); n != 10 {
		t.Errorf("xx-02 evidence: %d, want 10", n)
	}

	names := func(c xiezuo.Scorecard) string {
		var out []string
		for _, g := range c.Groups {
			var codes []string
			for _, r := range g.Rows {
				codes = append(codes, r.Indicator.Code+":"+r.Value.String()+":"+string(r.Light))
			}
			out = append(out, g.Name+"="+strings.Join(codes, ","))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		by   xiezuo.ScoreBy
		want string
	}{
		{xiezuo.ByDimension, "组织领导=gg-06:2:yellow,zzld-05:1:red,zzld-06:1:green 信息宣传=xx-02:1:yellow"},
		// A team reads the district rows of the per-unit indicators its lead answers for; a unit
		// the parts of the teams it leads (TestScoreByUnitAndTeamKeepsPerIndicators).
		{xiezuo.ByTeam, "甲专班=xx-02:6:green,gg-06:2:yellow 乙专班=xx-02:4:yellow,gg-06:2:yellow,zzld-06:1:green"},
		{xiezuo.ByUnit, "区教委=xx-02:6:green,gg-06:30:green 区商务局=xx-02:4:yellow,gg-06:20:yellow,zzld-06:1:green 领导小组办公室=gg-06:—:green"},
		{xiezuo.ByRegion, "甲县=zzld-05:1:green,zzld-06:0:grey 乙县=zzld-05:0:red,zzld-06:1:grey"},
	} {
		if got := names(xiezuo.Score(set, d, day(9, 1), tc.by)); got != tc.want {
			t.Errorf("Score by %s = %s, want %s", tc.by, got, tc.want)
		}
	}
	region := xiezuo.Score(set, d, day(9, 1), xiezuo.ByRegion).Groups[0].Rows[1]
	if region.Note == "" || region.Target.Valid {
		t.Errorf("a district-wide indicator's region row: note %q, target %v", region.Note, region.Target)
	}
}

// TestScoreTargetPrior: 不低于上年 takes the same formula over the year before, the whole
// period moved back a year; without the year before, the set target or none.
func TestScoreTargetPrior(t *testing.T) {
	p := scorePlan()
	prior := &xiezuo.Plan{Year: 2020, District: "测试区", Units: p.Units, Regions: p.Regions}
	old := []xiezuo.RegisterEntry{
		entry(xiezuo.RegDonation, xiezuo.NewDate(2020, 3, 1), "区教委", "甲县", "", "money=5000000"),
		entry(xiezuo.RegDonation, xiezuo.NewDate(2020, 12, 1), "区教委", "甲县", "", "money=5000000"), // after the due date moved back
	}
	now := []xiezuo.RegisterEntry{entry(xiezuo.RegDonation, day(3, 1), "区教委", "甲县", "", "money=6000000")}
	in := ind(`sum(donations.money)`, nil, "2021-10-31", func(in *xiezuo.Indicator) { in.TargetPrior, in.Unit = true, "万元" })
	d := xiezuo.ScoreData{Plan: p, Entries: now, Prior: &xiezuo.ScoreData{Plan: prior, Entries: old}}
	r := scoreRow(in, d, day(12, 31))
	if got := fmt.Sprintf("%s / %s %s", r.Value, r.Target, r.Light); got != "6 / 5 green" {
		t.Errorf("with the year before: %s, want 6 / 5 green", got)
	}
	d.Prior = nil
	if r := scoreRow(in, d, day(12, 31)); r.Light != xiezuo.ScoreGrey || r.Target.Valid {
		t.Errorf("without the year before nor a target: %s %v", r.Light, r.Target)
	}
	in.Target = target(7)
	if r := scoreRow(in, d, day(12, 31)); fmt.Sprintf("%s / %s %s", r.Value, r.Target, r.Light) != "6 / 7 red" {
		t.Errorf("without the year before, the set target: %s / %s %s", r.Value, r.Target, r.Light)
	}
}

// TestScoreEvidenceCap: a row cites at most ScoreEvidenceCap facts and counts the others.
func TestScoreEvidenceCap(t *testing.T) {
	var entries []xiezuo.RegisterEntry
	for range 25 {
		entries = append(entries, entry(xiezuo.RegMedia, day(3, 1), "领导小组办公室", "", "", "title=报道"))
	}
	r := scoreRow(ind(`count(media)`, target(1), "2021-12-31"), xiezuo.ScoreData{Plan: scorePlan(), Entries: entries}, day(12, 31))
	if len(r.Evidence) != xiezuo.ScoreEvidenceCap || r.EvidenceMore != 5 || r.Evidence[0].Kind != "media" || r.Evidence[0].Title != "报道 · 领导小组办公室" {
		t.Errorf("evidence %d + %d more, first %+v", len(r.Evidence), r.EvidenceMore, r.Evidence[0])
	}
}

// TestMeasureJSON: a number with at most 4 decimals, or null.
func TestMeasureJSON(t *testing.T) {
	b, _ := json.Marshal([]xiezuo.Measure{{V: 1.23456789, Valid: true}, {V: 30, Valid: true}, {}})
	if string(b) != "[1.2346,30,null]" {
		t.Errorf("json.Marshal = %s", b)
	}
	var m []xiezuo.Measure
	if err := json.Unmarshal(b, &m); err != nil || !m[0].Valid || m[2].Valid {
		t.Errorf("json.Unmarshal = %v %v", m, err)
	}
}

// TestIndicatorCheck: each refusal names its field.
func TestIndicatorCheck(t *testing.T) {
	p := scorePlan()
	good := ind(`count(meetings)`, target(1), "2021-10-31", func(in *xiezuo.Indicator) { in.Units = []string{"区教育委员会"} })
	if err := good.Check(p); err != nil {
		t.Fatalf("Check(good) = %v", err)
	}
	for _, tc := range []struct {
		mod  func(*xiezuo.Indicator)
		want string
	}{
		{func(in *xiezuo.Indicator) { in.Name = " " }, "名称：不能为空"},
		{func(in *xiezuo.Indicator) { in.Dimension = "宣传" }, "考核维度：“宣传”不是考核维度"},
		{func(in *xiezuo.Indicator) { in.Compare = ">" }, "比较方式"},
		{func(in *xiezuo.Indicator) { in.Target = target(-1) }, "目标值"},
		{func(in *xiezuo.Indicator) { in.Unit = "" }, "计量单位"},
		{func(in *xiezuo.Indicator) { in.Due = "2021-13-01" }, "截止日期：“2021-13-01”不是日期"},
		{func(in *xiezuo.Indicator) { in.Due = "2022-02-01" }, "截止日期：2022-02-01 不在2021年内"},
		{func(in *xiezuo.Indicator) { in.Due = "2022-01-31" }, ""},
		{func(in *xiezuo.Indicator) { in.From = "2021-11-01" }, "起始日期：2021-11-01 晚于截止日期"},
		{func(in *xiezuo.Indicator) { in.From = "2020-12-01" }, "起始日期：2020-12-01 不在2021年内"},
		{func(in *xiezuo.Indicator) { in.Per = "town" }, "考核对象"},
		{func(in *xiezuo.Indicator) { in.Per = "team" }, "考核对象：按专班考核的指标只能统计带工作专班的台账"},
		{func(in *xiezuo.Indicator) { in.Per = "region"; in.Formula = "count(policies)" }, "考核对象：按协作地区考核"},
		{func(in *xiezuo.Indicator) { in.Per = "unit"; in.Units = nil }, "责任单位：按单位考核的指标须列出要考核的单位"},
		// The editor's default (显示为未报送) saves; a bad rule is refused in words, no codes.
		{func(in *xiezuo.Indicator) { in.Missing = "" }, ""},
		{func(in *xiezuo.Indicator) { in.Missing = "never" }, "未报送时：“never”无效，应为显示为未报送、按 0 计、按未达标计或不影响达标"},
		{func(in *xiezuo.Indicator) { in.Per = "town" }, "考核对象：“town”无效，应为全区、每个工作专班、每个单位或每个协作地区"},
		{func(in *xiezuo.Indicator) { in.Formula = "count(meeting)" }, "可用：meetings（会议）、"},
		{func(in *xiezuo.Indicator) { in.Formula = "count(meetings where kind = 1)" }, "公式：第29个字符：会议类型没有“1”这个选项"},
		{func(in *xiezuo.Indicator) { in.Units = []string{"区商务委"} }, "责任单位：“区商务委”不是本年计划中的单位，是否为：区商务局"},
	} {
		in := good
		tc.mod(&in)
		err := in.Check(p)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("Check = %v, want %q", err, tc.want)
		}
	}
}

// TestScoreAt: a scorecard as of a day reads the facts recorded by the end of that day in
// China.
func TestScoreAt(t *testing.T) {
	at := xiezuo.ScoreAt(xiezuo.NewDate(2021, 6, 30))
	if want := time.Date(2021, 6, 30, 15, 59, 59, 999999999, time.UTC); !at.Equal(want) {
		t.Errorf("ScoreAt(2021-06-30) = %s, want %s", at, want)
	}
}

// TestScoreRowUnit: a Per indicator's district row counts groups.
func TestScoreRowUnit(t *testing.T) {
	in := ind(`count(articles)`, target(1), "2021-12-31", func(in *xiezuo.Indicator) { in.Per, in.Unit = "team", "篇" })
	r := scoreRow(in, xiezuo.ScoreData{Plan: scorePlan()}, day(12, 31))
	if r.Unit() != "个" || r.Parts[0].Unit() != "篇" {
		t.Errorf("units %s and %s, want 个 and 篇", r.Unit(), r.Parts[0].Unit())
	}
}

// TestScoreTrendAsRecorded: the trend (the value TrendDays before the day asked) counts what was
// recorded by then, as the scorecard of that day did: not an entry recorded later though dated
// before, nor a later correction (ScoreData.Rows, the register rows up to At).
func TestScoreTrendAsRecorded(t *testing.T) {
	p := scorePlan()
	at := func(m time.Month, d int) time.Time { return time.Date(2021, m, d, 10, 0, 0, 0, time.UTC) }
	late := entry(xiezuo.RegArticle, day(7, 1), "区教委", "甲县", "甲专班", "kind=典型案例")
	late.At = at(8, 25) // recorded after the trend day (1 August), dated before
	early := entry(xiezuo.RegArticle, day(7, 2), "区教委", "甲县", "甲专班", "kind=信息")
	early.At = at(7, 2)
	fixed := early
	fixed.ID, fixed.Values, fixed.At = 1000, map[string]string{"kind": "典型案例"}, at(8, 20) // corrected after the trend day
	rows := []xiezuo.RegisterEntry{early, late, fixed}
	asOf := day(8, 31)
	d := xiezuo.ScoreData{Plan: p, Rows: rows, Entries: xiezuo.EntriesAt(rows, xiezuo.ScoreAt(asOf)), At: xiezuo.ScoreAt(asOf)}
	r := scoreRow(ind(`count(articles where kind = "典型案例")`, target(2), "2021-12-31"), d, asOf)
	if r.Value.String() != "2" || r.Trend.String() != "0" {
		t.Errorf("typical cases as of %s: %v, trend %v; want 2, trend 0 (nothing recorded as a case by 1 August)", asOf, r.Value, r.Trend)
	}
	info := scoreRow(ind(`count(articles where kind = "信息")`, target(1), "2021-12-31"), d, asOf)
	if info.Value.String() != "0" || info.Trend.String() != "1" {
		t.Errorf("articles as of %s: %v, trend %v; want 0, trend 1 (the article stood as 信息 on 1 August)", asOf, info.Value, info.Trend)
	}
}

// TestScoreEvidenceTitles: each evidence item names its entry, not only its register or its
// leader: a visit its leader, region and unit; a purchase its unit and period.
func TestScoreEvidenceTitles(t *testing.T) {
	p := scorePlan()
	d := xiezuo.ScoreData{Plan: p, Entries: []xiezuo.RegisterEntry{
		entry(xiezuo.RegVisit, day(3, 2), "区教委", "甲县", "", "leaders=区委书记", "level=区委书记或区长", "region=甲县", "unit=区教委"),
		entry(xiezuo.RegVisit, day(4, 2), "区商务局", "乙县", "", "leaders=区委书记", "level=区委书记或区长", "region=乙县", "unit=区商务局"),
		entry(xiezuo.RegPurchase, day(6, 30), "区教委", "", "", "unit=区教委", "period=2021-H1", "food_total=100", "via_832=30"),
	}}
	visits := scoreRow(ind(`count(visits)`, target(1), "2021-10-31"), d, day(9, 15))
	var titles []string
	for _, e := range visits.Evidence {
		titles = append(titles, e.Title)
	}
	if strings.Join(titles, "|") != "区委书记 · 甲县 · 区教委|区委书记 · 乙县 · 区商务局" {
		t.Errorf("visits' evidence titles = %q, want leader, region and unit each", titles)
	}
	buys := scoreRow(ind(`count(purchases)`, target(1), "2021-10-31"), d, day(9, 15))
	if len(buys.Evidence) != 1 || buys.Evidence[0].Title != "消费帮扶采购 · 2021-H1 · 区教委" {
		t.Errorf("purchase's evidence = %+v, want 消费帮扶采购 · 2021-H1 · 区教委", buys.Evidence)
	}
}
