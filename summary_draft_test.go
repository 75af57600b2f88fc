package xiezuo_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/gongwen"
)

func TestDraftDay(t *testing.T) {
	today := xiezuo.NewDate(2021, 9, 15)
	for _, c := range []struct {
		year   int
		p      xiezuo.DraftPeriod
		asked  xiezuo.Date
		want   xiezuo.Date
		errHas string
	}{
		{2021, xiezuo.DraftH1, xiezuo.Date{}, xiezuo.NewDate(2021, 6, 30), ""},
		{2021, xiezuo.DraftYear, xiezuo.Date{}, today, ""}, // the year's end not reached: today
		{2021, xiezuo.DraftYear, xiezuo.NewDate(2021, 8, 1), xiezuo.NewDate(2021, 8, 1), ""},
		{2021, xiezuo.DraftH1, xiezuo.NewDate(2021, 10, 1), xiezuo.Date{}, "晚于今天"},
		{2021, xiezuo.DraftH1, xiezuo.NewDate(2020, 12, 31), xiezuo.Date{}, "早于2021年"},
	} {
		got, err := xiezuo.DraftDay(c.year, c.p, c.asked, today)
		if c.errHas != "" {
			if err == nil || !strings.Contains(xiezuo.ErrorMessage(err), c.errHas) {
				t.Errorf("DraftDay(%d, %s, %s) = %v, %v; want an error saying %s", c.year, c.p, c.asked, got, err, c.errHas)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("DraftDay(%d, %s, %s) = %v, %v; want %v", c.year, c.p, c.asked, got, err, c.want)
		}
	}
	if _, err := xiezuo.ParseDraftPeriod("h2"); err == nil || !strings.Contains(xiezuo.ErrorMessage(err), "h1（上半年）") {
		t.Errorf("ParseDraftPeriod(h2) = %v, want an error naming h1 and year", err)
	}
	if _, err := xiezuo.ParseDraftKind("report"); err == nil {
		t.Error("ParseDraftKind(report) = nil error")
	}
}

func TestShortReport(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"已召开会议。", 10, "已召开会议。"},
		{"  已召开\n会议  ", 10, "已召开 会议"},
		{"第一句话说完了。第二句话还很长很长很长", 10, "第一句话说完了。"},
		{"没有句号的一段很长很长的文字，继续写下去", 10, "没有句号的一段很长很……"},
	} {
		if got := xiezuo.ShortReport(c.in, c.max); got != c.want {
			t.Errorf("ShortReport(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

// draftFacts is the 2021 fixture with ids on the points and tasks, the shipped indicators and
// one accepted report on work point 3 (its text, unit and a figure).
func draftFacts(t *testing.T) xiezuo.DraftFacts {
	d := fixture2021(t)
	d.At = xiezuo.EndOfDay(xiezuo.NewDate(2021, 6, 30))
	for i := range d.Plan.Points {
		d.Plan.Points[i].ID = int64(100 + i)
	}
	for i := range d.Plan.Tasks {
		d.Plan.Tasks[i].ID = int64(200 + i)
	}
	pt := d.Plan.Points[2]
	at := time.Date(2021, 6, 10, 10, 0, 0, 0, xiezuo.Beijing)
	r := xiezuo.Report{ID: 1, Duty: xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: pt.ID}, Unit: "区财政局", By: "caizheng",
		Versions: []xiezuo.ReportVersion{{Version: 1, State: xiezuo.ReportSubmitted, By: "caizheng", At: at,
			Values: xiezuo.ReportValues{Text: "区级财政安排帮扶资金6000万元，已全部下达。资金使用情况良好，" + strings.Repeat("后续说明，", 60)}}},
		Reviews: []xiezuo.Review{{Version: 1, Decision: xiezuo.DecisionAccept, By: "office", At: at.Add(time.Hour)}}}
	return xiezuo.DraftFacts{Score: d, Set: xiezuo.ShippedIndicators(2021), Reports: []xiezuo.Report{r}, Cadence: xiezuo.DefaultCadence()}
}

// docText is every text of a document: headings, paragraphs and table cells.
func docText(doc gongwen.Document) string {
	var b strings.Builder
	for _, bl := range doc.Blocks {
		b.WriteString(bl.Text + "\n")
		if bl.Table != nil {
			for _, r := range bl.Table.Rows {
				b.WriteString(strings.Join(r, "|") + "\n")
			}
		}
	}
	return b.String()
}

// TestSummaryDraft2021 drafts the half-year summary of the 2021 fixture and checks its parts and
// that its figures are the scorecard's, the ledger's and the lifecycle's for the same day.
func TestSummaryDraft2021(t *testing.T) {
	f := draftFacts(t)
	day := xiezuo.NewDate(2021, 6, 30)
	doc := xiezuo.SummaryDraft(f, xiezuo.DraftH1, day)
	if doc.Title != "门头沟区2021年上半年支援合作工作总结" {
		t.Errorf("title = %q", doc.Title)
	}
	var h1 []string
	for _, b := range doc.Blocks {
		if b.Kind == gongwen.Heading1 {
			h1 = append(h1, b.Text)
		}
	}
	if want := len(f.Score.Plan.Sections) + 3; len(h1) != want || h1[len(h1)-2] != "存在的问题" || h1[len(h1)-1] != "下一步工作打算" {
		t.Errorf("headings = %q, want the %d sections then 资金和项目情况, 存在的问题, 下一步工作打算", h1, len(f.Score.Plan.Sections))
	}
	text := docText(doc)
	// The accepted report, shortened, with its unit.
	if !strings.Contains(text, "区财政局报告：区级财政安排帮扶资金6000万元，已全部下达。") || strings.Contains(text, strings.Repeat("后续说明，", 40)) {
		t.Errorf("the accepted report is not there shortened:\n%s", text)
	}
	if !strings.Contains(text, xiezuo.NextStepsPlaceholder) {
		t.Error("no placeholder for 下一步工作打算")
	}
	if !strings.Contains(text, "逾期未报送进展") {
		t.Error("存在的问题 does not list the overdue duties")
	}
	// Figure 1: the money table's 合计 is FundsAt of the ledger.
	var all xiezuo.FundTotals
	for _, txs := range f.Score.Funds {
		for _, tx := range xiezuo.FundTxsBy(txs, day) {
			all.Add(tx)
		}
	}
	var money, stages *gongwen.Table
	charts := 0
	for _, b := range doc.Blocks {
		if b.Table != nil && strings.Contains(b.Table.Caption, "帮扶资金") {
			money = b.Table
		}
		if b.Table != nil && strings.Contains(b.Table.Caption, "项目进展") {
			stages = b.Table
		}
		if b.Kind == gongwen.ChartBlock {
			charts++
		}
	}
	if money == nil || stages == nil || charts != 2 {
		t.Fatalf("tables money %v, stages %v, %d charts; want both tables and 2 charts", money != nil, stages != nil, charts)
	}
	tot := money.Rows[len(money.Rows)-1]
	if tot[0] != "合计" || tot[2] != xiezuo.DraftWan(all.Allocated) || tot[3] != xiezuo.DraftWan(all.Disbursed) || tot[4] != xiezuo.DraftWan(all.Spent) {
		t.Errorf("money 合计 = %q, want allocated %s, disbursed %s, spent %s", tot, xiezuo.DraftWan(all.Allocated), xiezuo.DraftWan(all.Disbursed), xiezuo.DraftWan(all.Spent))
	}
	if money.Notes != xiezuo.DraftWanNote {
		t.Errorf("money table's note = %q, want %q", money.Notes, xiezuo.DraftWanNote)
	}
	// Figure 2: projects started by the day, by StatusAt.
	started := 0
	for _, p := range f.Score.Plan.Projects {
		if st := xiezuo.StatusAt(f.Score.Steps[p.ID], day); st != xiezuo.StatusPlanned && st != xiezuo.StatusCancelled {
			started++
		}
	}
	if !strings.Contains(text, "已开工（含已完工）"+strconv.Itoa(started)+"个") {
		t.Errorf("the opening does not say 已开工 %d 个", started)
	}
	st := stages.Rows[len(stages.Rows)-1]
	if st[1] != strconv.Itoa(len(f.Score.Plan.Projects)) {
		t.Errorf("stages 合计 = %q, want %d projects", st, len(f.Score.Plan.Projects))
	}
	// Figure 3: each indicator cited says the scorecard's value and target in prose, once.
	card := xiezuo.Score(f.Set, f.Score, day, xiezuo.ByDimension)
	cited := 0
	for _, r := range card.Rows() {
		if n := strings.Count(text, xiezuo.IndicatorProse(r)); n > 0 {
			cited++
			if n > 1 {
				t.Errorf("the summary says %q %d times, want once", xiezuo.IndicatorProse(r), n)
			}
		}
	}
	if cited == 0 {
		t.Error("no indicator cited in the work points")
	}
	// Prose, not a dump: no spaces around figures, no template leftovers, each paragraph once,
	// 存在的问题 as at most five numbered clauses without the summary's own indicator.
	spaced := regexp.MustCompile(`[^\x00-\x7f] [0-9]|[0-9] [^\x00-\x7f]`)
	seen := map[string]bool{}
	var problems string
	for i, b := range doc.Blocks {
		if b.Kind != gongwen.Paragraph {
			continue
		}
		if m := spaced.FindString(b.Text); m != "" {
			t.Errorf("paragraph %d has a space around a figure (%q): %s", i, m, b.Text)
		}
		for _, bad := range []string{"目标 未设目标", "目标未设目标", "，未报送", "报送数据：", "（第"} {
			if strings.Contains(b.Text, bad) {
				t.Errorf("paragraph %d has the leftover %q: %s", i, bad, b.Text)
			}
		}
		if seen[b.Text] && !strings.HasSuffix(b.Text, "尚无审核通过的进展报告。") {
			t.Errorf("paragraph %d repeats an earlier one: %s", i, b.Text)
		}
		seen[b.Text] = true
		if i > 0 && doc.Blocks[i-1].Text == "存在的问题" {
			problems = b.Text
		}
	}
	if !strings.Contains(problems, "一是") || strings.Contains(problems, "六是") || strings.Contains(problems, "工作总结") {
		t.Errorf("存在的问题 = %q, want at most five numbered clauses without the summary's own indicator", problems)
	}
}

func TestAssessmentDraft2021(t *testing.T) {
	f := draftFacts(t)
	day := xiezuo.NewDate(2021, 12, 31)
	f.Score.At = xiezuo.EndOfDay(day)
	card := xiezuo.Score(f.Set, f.Score, day, xiezuo.ByDimension)
	doc := xiezuo.AssessmentDraft(card, "")
	if doc.Title != "门头沟区2021年支援合作工作考核自评报告" {
		t.Errorf("title = %q", doc.Title)
	}
	rows := xiezuo.AssessmentRows(card)
	if len(rows) != len(card.Rows()) || len(rows) == 0 {
		t.Fatalf("%d rows, want %d", len(rows), len(card.Rows()))
	}
	tables := 0
	i := 0
	for _, b := range doc.Blocks {
		if b.Table == nil {
			continue
		}
		tables++
		for _, cells := range b.Table.Rows {
			r := rows[i]
			want := []string{strconv.Itoa(i + 1), r.Score.Indicator.Name, r.Score.Indicator.Requirement, r.Score.TargetText(), r.Score.ValueText(), r.Light}
			for j, w := range want {
				if cells[j] != w {
					t.Errorf("row %d cell %d = %q, want %q", i+1, j, cells[j], w)
				}
			}
			i++
		}
	}
	for _, b := range doc.Blocks {
		if b.Table != nil && !b.Table.Landscape {
			t.Errorf("table %q is not landscape (eight columns)", b.Table.Caption)
		}
	}
	if tables != len(card.Groups) {
		t.Errorf("%d tables, want one per dimension (%d)", tables, len(card.Groups))
	}
	words := map[string]bool{}
	for _, r := range rows {
		words[r.Light] = true
		switch r.Score.Light {
		case xiezuo.ScoreGreen:
			if r.Light != "达标" || r.Shortfall != "" {
				t.Errorf("%s green reads %q, shortfall %q", r.Code, r.Light, r.Shortfall)
			}
		case xiezuo.ScoreRed:
			if r.Light != "未达标" {
				t.Errorf("%s red reads %q", r.Code, r.Light)
			}
		}
		if !strings.HasPrefix(r.Folder(), strconv.Itoa(r.Number/10)) || strings.ContainsAny(r.Folder(), `/\:*?"<>|`) {
			t.Errorf("folder %q", r.Folder())
		}
		for _, e := range r.Evidence {
			if e.Kind != "report" && len(xiezuo.DescribeEvidence(f.Score, e, nil)) != 1 {
				t.Errorf("%s: no description of evidence %+v", r.Code, e)
			}
		}
	}
	if !words["达标"] || !words["未达标"] {
		t.Errorf("light words %v, want 达标 and 未达标 among them", words)
	}
	// The narrative: an opening with the counts in prose and achievements; 存在的问题 as at most
	// five numbered clauses naming the 未报送 ones; 整改措施 left to the office.
	c := card.Counts()
	opening := doc.Blocks[0].Text
	if want := fmt.Sprintf("共%d项指标，其中达标%d项", c.Total(), c.Green); !strings.Contains(opening, want) || !strings.Contains(opening, "主要成效：") {
		t.Errorf("the opening %q lacks %q and 主要成效", opening, want)
	}
	var problems, remedy string
	for i, b := range doc.Blocks {
		if b.Kind == gongwen.Heading1 && i+1 < len(doc.Blocks) {
			switch b.Text {
			case "存在的问题":
				problems = doc.Blocks[i+1].Text
			case "整改措施":
				remedy = doc.Blocks[i+1].Text
			}
		}
	}
	if !strings.Contains(problems, "一是") || strings.Contains(problems, "六是") {
		t.Errorf("存在的问题 = %q, want numbered clauses, at most five", problems)
	}
	if c.Grey > 0 && !strings.Contains(problems, "尚未报送") {
		t.Errorf("存在的问题 = %q does not say %d indicators are 未报送", problems, c.Grey)
	}
	if strings.Contains(problems, " ") {
		t.Errorf("存在的问题 has spaces around figures: %q", problems)
	}
	if !strings.HasPrefix(remedy, xiezuo.PlaceholderMark) {
		t.Errorf("整改措施 = %q, want the placeholder for the office", remedy)
	}
}

func TestDraftWan(t *testing.T) {
	for _, c := range []struct {
		fen  int64
		want string
	}{
		{0, "0.00"},
		{339_063_429, "339.06"},
		{258_765_037, "258.77"},
		{5_000, "0.01"}, // half a 0.01 万元: up
		{4_999, "0.00"}, // just under half: down
		{195_806_971, "195.81"},
		{560_500_000, "560.50"},
		{-5_000, "-0.01"}, // away from zero
		{-4_999, "0.00"},  // no "-0.00"
		{1_000_000, "1.00"},
	} {
		if got := xiezuo.DraftWan(c.fen); got != c.want {
			t.Errorf("DraftWan(%d) = %q, want %q", c.fen, got, c.want)
		}
	}
}

func TestDraftPlaceholders(t *testing.T) {
	doc := gongwen.Document{Blocks: []gongwen.Block{
		{Kind: gongwen.Paragraph, Text: xiezuo.NextStepsPlaceholder},
		{Kind: gongwen.Paragraph, Text: "已改写的一段。"},
		{Kind: gongwen.TableBlock, Table: &gongwen.Table{Rows: [][]string{{"整改措施", "【待办公室填写】"}, {"x", "y"}}}},
	}}
	if got := xiezuo.DraftPlaceholders(doc); got != 2 {
		t.Errorf("DraftPlaceholders = %d, want 2", got)
	}
	doc.Blocks = doc.Blocks[1:2]
	if got := xiezuo.DraftPlaceholders(doc); got != 0 {
		t.Errorf("DraftPlaceholders(filled) = %d, want 0", got)
	}
}

func TestOrdinalClauses(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"会议未开。"}, "一是会议未开。"},
		{[]string{"会议未开", "资金拨付慢；", "项目未开工"}, "一是会议未开；二是资金拨付慢；三是项目未开工。"},
	} {
		if got := xiezuo.OrdinalClauses(c.in); got != c.want {
			t.Errorf("OrdinalClauses(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
