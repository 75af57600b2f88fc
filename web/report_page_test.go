package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// follow gets the page a redirect points to.
func (c *client) follow(r response) response {
	c.e.t.Helper()
	if r.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("want a redirect, got %d: %s", r.StatusCode, excerpt(r.body))
	}
	return c.get(r.Header.Get("Location"))
}

// plainText is a page's text without tags, entities decoded, for assertions on what it says.
func plainText(body string) string {
	return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, ""))
}

// TestDutyPageChain walks the chain on the pages: a unit saves a draft and submits, the
// office returns with a comment, the unit sees it and submits a new version, the office
// accepts and closes; the history keeps every step with who and when.
func TestDutyPageChain(t *testing.T) {
	e := newEnv(t)
	duty := dutyOf(t, e, xiezuo.DutyTask, 13)
	page := "/duties/" + duty.String()
	unit, office := e.signIn("caizheng"), e.signIn("office")

	r := unit.get(page)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", page, r.StatusCode)
	}
	for _, want := range []string{`name="text"`, `name="percent"`, `name="fig.r1"`, `金额（第1项要求）（万元）`, `capture="environment"`, `accept="image/*,.pdf,.doc,.docx,.xls,.xlsx"`,
		`value="draft"`, `value="submit"`, "报送给：办公室"} {
		if !strings.Contains(html.UnescapeString(r.body), want) {
			t.Errorf("the unit's duty page lacks %s", want)
		}
	}
	if strings.Contains(r.body, `action="/duties/`+duty.String()+`/close"`) {
		t.Errorf("the unit's duty page offers 销号")
	}

	post := func(c *client, path string, form url.Values) response { return c.post(path, form) }
	r = unit.follow(post(unit, page+"/reports", url.Values{"action": {"draft"}, "text": {"资金正在下达。"}, "fig.r1": {"600"}}))
	if text := plainText(r.body); !strings.Contains(text, "草稿已保存") || !strings.Contains(text, "第1版 保存草稿") {
		t.Errorf("after saving a draft the page says:\n%s", text)
	}
	id := regexp.MustCompile(`name="report_id" value="(\d+)"`).FindStringSubmatch(r.body)
	if id == nil {
		t.Fatalf("the form does not continue the draft")
	}
	r = unit.follow(post(unit, page+"/reports", url.Values{"action": {"submit"}, "report_id": {id[1]}, "text": {"资金已下达。"}, "percent": {"50"}, "fig.r1": {"1200"}}))
	if text := plainText(r.body); !strings.Contains(text, "已报送给办公室，等待审核") || !strings.Contains(text, "第2版 报送") || !strings.Contains(text, "金额（第1项要求） 1200万元") {
		t.Errorf("after submitting the page says:\n%s", text)
	}
	if strings.Contains(r.body, `name="text"`) {
		t.Errorf("the form is offered while the report awaits review")
	}

	// The office returns it: without a comment it is refused and nothing is stored.
	r = office.get(page)
	if !strings.Contains(r.body, `action="/reports/`+id[1]+`/review"`) {
		t.Fatalf("the office's page has no review form:\n%s", excerpt(r.body))
	}
	r = office.follow(post(office, "/reports/"+id[1]+"/review", url.Values{"version": {"2"}, "decision": {"return"}}))
	if !strings.Contains(plainText(r.body), "退回报告须填写意见") {
		t.Errorf("return without a comment: the page says\n%s", plainText(r.body))
	}
	if n := countTable(t, e, "reviews"); n != 0 {
		t.Errorf("a refused return stored %d reviews", n)
	}
	office.follow(post(office, "/reports/"+id[1]+"/review", url.Values{"version": {"2"}, "decision": {"return"}, "comment": {"请写明文号。"}}))

	// The unit sees the comment and continues the report.
	r = unit.get(page)
	text := plainText(r.body)
	if !strings.Contains(text, "第2版 退回") || !strings.Contains(text, "意见：请写明文号。") || !strings.Contains(text, "继续修改第2版（已退回）") ||
		!strings.Contains(text, "退回意见：请写明文号。") {
		t.Errorf("the returned report on the unit's page (R7: the comment repeated above the form):\n%s", text)
	}
	if !strings.Contains(r.body, ">资金已下达。</textarea>") || !strings.Contains(r.body, `name="fig.r1" value="1200"`) {
		t.Errorf("the form is not prefilled with the returned version")
	}
	unit.follow(post(unit, page+"/reports", url.Values{"action": {"submit"}, "report_id": {id[1]}, "text": {"门财〔2021〕12号下达。"}, "percent": {"100"}, "fig.r1": {"1200"}}))
	office.follow(post(office, "/reports/"+id[1]+"/review", url.Values{"version": {"3"}, "decision": {"accept"}}))
	r = office.follow(post(office, page+"/close", url.Values{"closed": {"1"}}))
	text = plainText(r.body)
	if !strings.Contains(text, "已销号") || !strings.Contains(text, "第3版 审核通过") {
		t.Errorf("after closing the page says:\n%s", text)
	}
	// Every step, in order, with who did it.
	steps := []string{"第1版 保存草稿", "第2版 报送", "第2版 退回", "第3版 报送", "第3版 审核通过"}
	last := -1
	for _, s := range steps {
		i := strings.Index(text, s)
		if i < last {
			t.Errorf("history step %q out of order:\n%s", s, text)
		}
		last = i
	}
	// Who, by name and unit, never by sign-in name (R14); the duty by its number, not its key.
	if !strings.Contains(text, "李财政（区财政局）") || !strings.Contains(text, e.users["office"].Name+"（领导小组办公室）") ||
		strings.Contains(text, "caizheng") || strings.Contains(text, "office ·") {
		t.Errorf("history does not say who by name and unit:\n%s", text)
	}
	if !strings.Contains(text, "任务第13项") || strings.Contains(text, "编号 task-") {
		t.Errorf("the page does not number the duty as the plan does")
	}
	// Closed: no form for the unit; the leader reads and edits nothing.
	if r := unit.get(page); strings.Contains(r.body, `name="text"`) {
		t.Errorf("the form is offered on a closed duty")
	}
	leader := e.signIn("leader")
	r = leader.get(page)
	if r.StatusCode != http.StatusOK || strings.Contains(r.body, `name="text"`) || strings.Contains(r.body, "/review\"") || strings.Contains(r.body, "/close\"") || !strings.Contains(plainText(r.body), "第3版 审核通过") {
		t.Errorf("the leader's page = %d; it must show the history and no form", r.StatusCode)
	}
}

// TestDutyPageBadInput: bad values come back on the page with a clear message and what was
// typed, and store nothing; a report on another unit's duty is refused.
func TestDutyPageBadInput(t *testing.T) {
	e := newEnv(t)
	duty := dutyOf(t, e, xiezuo.DutyTask, 13)
	page := "/duties/" + duty.String()
	unit := e.signIn("caizheng")
	for _, c := range []struct {
		name string
		form url.Values
		want string
	}{
		{"percent 140", url.Values{"text": {"资金已下达。"}, "percent": {"140"}}, "形象进度 140% 超出范围，应为 0 到 100"},
		{"figure abc", url.Values{"text": {"资金已下达。"}, "fig.r1": {"abc"}}, "金额（第1项要求）“abc”不是数字"},
		{"empty text", url.Values{"text": {"  "}, "percent": {"10"}}, "请填写进展情况"},
	} {
		c.form.Set("action", "submit")
		r := unit.post(page+"/reports", c.form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(plainText(r.body), c.want) {
			t.Errorf("%s: POST = %d, page says:\n%s", c.name, r.StatusCode, plainText(r.body))
		}
		if v := c.form.Get("percent"); v != "" && !strings.Contains(r.body, `name="percent" value="`+v+`"`) {
			t.Errorf("%s: the percent typed is not kept", c.name)
		}
	}
	task7 := "/duties/" + dutyOf(t, e, xiezuo.DutyTask, 7).String()
	r := unit.post(task7+"/reports", url.Values{"action": {"submit"}, "text": {"代报。"}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(plainText(r.body), "这不是本单位的事项") {
		t.Errorf("report on another unit's duty = %d:\n%s", r.StatusCode, plainText(r.body))
	}
	if r := unit.get(task7); strings.Contains(r.body, `name="text"`) {
		t.Errorf("another unit's duty page offers the report form")
	}
	if n := countTable(t, e, "reports"); n != 0 {
		t.Errorf("refused reports stored %d", n)
	}
	// A unit cannot review its own report, nor close.
	_, rep := reportFixture(t, e)
	if r := unit.post("/reports/"+strconv.FormatInt(rep.ID, 10)+"/review", url.Values{"version": {"1"}, "decision": {"accept"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a unit reviews its report = %d", r.StatusCode)
	}
	if r := unit.post(page+"/close", url.Values{"closed": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a unit closes a duty = %d", r.StatusCode)
	}
	if n := countTable(t, e, "reviews"); n != 0 {
		t.Errorf("refused reviews stored %d", n)
	}
}

// TestDutyPageAsOf: the page shows a duty as of a past day from the dated facts: what was
// submitted and reviewed by then, nothing after, and no form.
func TestDutyPageAsOf(t *testing.T) {
	e := newEnv(t)
	duty := dutyOf(t, e, xiezuo.DutyTask, 13)
	u := e.users["caizheng"]
	at := func(actor string, month time.Month, day int) context.Context {
		return sqldb.WithFactTime(sqldb.WithActor(t.Context(), sqldb.Actor{Username: actor}), time.Date(2021, month, day, 2, 0, 0, 0, time.UTC))
	}
	write := sqldb.ReportWrite{Duty: duty, Unit: u.Unit, State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "七月进展。"}}
	rep, err := e.db.SubmitReport(at("caizheng", 7, 10), write)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ReviewReport(at("office", 7, 12), rep.ID, 1, xiezuo.DecisionReturn, "请补充。"); err != nil {
		t.Fatal(err)
	}
	write.ReportID, write.Values.Text = rep.ID, "八月补充。"
	if _, err := e.db.SubmitReport(at("caizheng", 8, 20), write); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ReviewReport(at("office", 8, 25), rep.ID, 2, xiezuo.DecisionAccept, ""); err != nil {
		t.Fatal(err)
	}
	c := e.signIn("caizheng")
	page := "/duties/" + duty.String()
	for _, tt := range []struct {
		asOf      string
		want, not []string
	}{
		{"2021-07-01", []string{"还没有报告"}, []string{"七月进展"}},
		{"2021-07-11", []string{"第1版 报送", "七月进展", "已报送"}, []string{"退回", "八月补充"}},
		{"2021-08-21", []string{"第1版 退回", "第2版 报送", "八月补充"}, []string{"审核通过"}},
		{"", []string{"第2版 审核通过"}, nil},
	} {
		path := page
		if tt.asOf != "" {
			path += "?as_of=" + tt.asOf
		}
		r := c.get(path)
		text := plainText(r.body)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, r.StatusCode)
		}
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("GET %s lacks %q", path, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(text, w) {
				t.Errorf("GET %s shows %q, which came later", path, w)
			}
		}
		if tt.asOf != "" && strings.Contains(r.body, `name="text"`) {
			t.Errorf("GET %s offers the report form on a past day", path)
		}
	}
	if r := c.get(page + "?as_of=2021-13-01"); r.StatusCode != http.StatusBadRequest || !strings.Contains(plainText(r.body), "“2021-13-01”不是有效日期") {
		t.Errorf("GET as_of=2021-13-01 = %d", r.StatusCode)
	}
}

// TestDutyPageLeadGathers: a cooperating unit reports to the lead unit, which reviews it on the
// page and gathers it in its own report to the office (a checkbox that cites it); the office
// reads both and reviews only the lead unit's.
func TestDutyPageLeadGathers(t *testing.T) {
	e := newEnv(t)
	duty := dutyOf(t, e, xiezuo.DutyTask, 13) // 区财政局 leads, 区人力社保局 cooperates
	page := "/duties/" + duty.String()
	coop, lead, office := e.signIn("renshe"), e.signIn("caizheng"), e.signIn("office")

	r := coop.get(page)
	if !strings.Contains(plainText(r.body), "报送给：区财政局") || !strings.Contains(plainText(r.body), "本单位作为配合单位，应于") {
		t.Errorf("the cooperating unit's form does not go to the lead unit:\n%s", plainText(r.body))
	}
	coop.follow(coop.post(page+"/reports", url.Values{"action": {"submit"}, "text": {"就业补贴资金已拨付。"}}))
	reps, err := e.db.DutyReports(t.Context(), duty)
	if err != nil || len(reps) != 1 || reps[0].ToUnit != "区财政局" {
		t.Fatalf("the cooperating unit's report = %+v, %v; want one sent to 区财政局", reps, err)
	}
	id := strconv.FormatInt(reps[0].ID, 10)
	if r := office.get(page); strings.Contains(r.body, `action="/reports/`+id+`/review"`) {
		t.Errorf("the office may review a report sent to the lead unit")
	}
	if r := office.post("/reports/"+id+"/review", url.Values{"version": {"1"}, "decision": {"accept"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("the office reviews a report sent to the lead unit = %d, want 403", r.StatusCode)
	}
	r = lead.get(page)
	if !strings.Contains(r.body, `action="/reports/`+id+`/review"`) || !strings.Contains(r.body, `name="cite" value="`+id+`"`) {
		t.Fatalf("the lead unit's page lacks the review form or the cite checkbox:\n%s", excerpt(r.body))
	}
	lead.follow(lead.post("/reports/"+id+"/review", url.Values{"version": {"1"}, "decision": {"accept"}}))
	r = lead.follow(lead.post(page+"/reports", url.Values{"action": {"submit"}, "text": {"汇总：资金全部下达。"}, "cite": {id}}))
	if text := plainText(r.body); !strings.Contains(text, "汇总了报告 "+id) || !strings.Contains(text, "第1版 审核通过") {
		t.Errorf("the lead unit's report does not cite the cooperating unit's:\n%s", text)
	}
	r = office.get(page)
	if strings.Count(r.body, `class="card report"`) != 2 || strings.Count(r.body, `/review"`) != 1 {
		t.Errorf("the office sees %d reports and %d review forms, want 2 and 1", strings.Count(r.body, `class="card report"`), strings.Count(r.body, `/review"`))
	}
}
