package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/remind"
	"xiezuo/sqldb"
)

// noticeEnv is the test application with an account of 区商务局, which leads 消费帮扶专班: the
// team a notice on task 9 (消费帮扶, 区财政局 cooperating) escalates to.
func noticeEnv(t *testing.T) (*env, xiezuo.DutyKey) {
	t.Helper()
	e := newEnv(t)
	u := &xiezuo.User{Username: "shangwu", Name: "赵商务", District: "门头沟区", Unit: "区商务局",
		Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}, PasswordAt: *e.clock}
	if err := e.db.CreateUser(t.Context(), u, testHash); err != nil {
		t.Fatal(err)
	}
	e.users[u.Username] = u
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	if p.Tasks[8].Number != 9 || !strings.Contains(p.Tasks[8].Category, "消费") {
		t.Fatalf("task 9 of the 2021 plan is %q", p.Tasks[8].Category)
	}
	return e, xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: p.Tasks[8].ID}
}

// setDay moves the test clock to 10:00 of a day of 2021 in Beijing.
func (e *env) setDay(m time.Month, d int) { *e.clock = time.Date(2021, m, d, 10, 0, 0, 0, shanghai) }

// clone copies a form: post adds the client's CSRF token to the one it is given.
func clone(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// head is the start of a page's text for a failure message.
func head(s string) string {
	if i := strings.Index(s, "<main>"); i >= 0 {
		s = s[i:]
	}
	return s[:min(len(s), 2000)]
}

func noticeText(body string) string { return strings.Join(strings.Fields(stripTags(body)), " ") }

// stripTags drops the markup of a page, leaving what a reader sees (roughly).
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestNoticeChain: the office issues a notice (bad input refused whole), the unit signs and
// answers, the office sends it back, the unit answers again, the office finishes and closes it;
// it escalates while unanswered, to the team's lead unit and then to the leaders, as of any
// date; other units neither see nor act on it.
func TestNoticeChain(t *testing.T) {
	e, task9 := noticeEnv(t)
	ctx := t.Context()
	plan := "?year=2021&district=" + url.QueryEscape("门头沟区")
	good := url.Values{"duty": {task9.String()}, "unit": {"区财政局"}, "subject": {"消费帮扶采购进度滞后"},
		"requirement": {"请说明预算单位采购进度，并提出下一步措施。"}, "reply_by": {"2021-09-03"}, "signer": {"王主任"}}
	office := e.signIn("office")

	page := office.get("/notices/new" + plan + "&duty=" + task9.String())
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, `<option selected>区财政局</option>`) && !strings.Contains(page.body, `<option>区财政局</option>`) {
		t.Fatalf("GET /notices/new?duty=%s = %d, no 区财政局 to choose:\n%s", task9, page.StatusCode, excerpt(page.body))
	}
	for _, tt := range []struct {
		name, field, value, want string
	}{
		{"past", "reply_by", "2021-08-27", "反馈时限 2021-08-27 已过"},
		{"too late", "reply_by", "2022-02-01", "最晚于 2022-01-31 反馈"},
		{"not a date", "reply_by", "九月三日", "不是有效日期"},
		{"not its unit", "unit", "区民政局", "“区民政局”不是该事项的责任单位"},
		{"no subject", "subject", " ", "请填写督办事项"},
		{"no such duty", "duty", "task-999999", "计划中没有事项“task-999999”"},
		{"bad duty", "duty", "9", "事项编号“9”无效"},
	} {
		form := clone(good)
		form.Set(tt.field, tt.value)
		resp := office.post("/notices/new"+plan, form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, tt.want) {
			t.Errorf("%s: POST /notices/new = %d, want 422 saying %q:\n%s", tt.name, resp.StatusCode, tt.want, head(noticeText(resp.body)))
		}
	}
	if ns, _ := e.db.PlanNotices(ctx, "门头沟区", 2021); len(ns) != 0 {
		t.Fatalf("refused notices stored: %d", len(ns))
	}
	if resp := e.signIn("caizheng").post("/notices/new"+plan, clone(good)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /notices/new as a unit = %d, want 403", resp.StatusCode)
	}

	resp := office.post("/notices/new"+plan, clone(good))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/notices/") {
		t.Fatalf("POST /notices/new = %d %s: %s", resp.StatusCode, resp.Header.Get("Location"), excerpt(resp.body))
	}
	ns, err := e.db.PlanNotices(ctx, "门头沟区", 2021)
	if err != nil || len(ns) != 1 {
		t.Fatalf("PlanNotices = %d, %v", len(ns), err)
	}
	n := ns[0]
	id := strconv.FormatInt(n.ID, 10)
	if n.Code() != "门督〔2021〕1号" || n.Unit != "区财政局" || n.Duty != task9 || n.Signer != "王主任" {
		t.Errorf("stored notice %+v", n)
	}
	shown := office.get(resp.Header.Get("Location"))
	if text := noticeText(shown.body); !strings.Contains(text, "已下发给区财政局") || !strings.Contains(text, "下发") || !strings.Contains(text, "2021-08-28 10:00（北京时间） 王办公（领导小组办公室）") || strings.Contains(text, "office（") || !strings.Contains(text, "事项 任务第9项 ") {
		t.Errorf("notice page after issue:\n%s", head(text))
	}

	unit := e.signIn("caizheng")
	list := unit.get("/notices" + plan)
	if !strings.Contains(list.body, "门督〔2021〕1号") || !strings.Contains(list.body, `action="/notices/`+id+`/sign`) {
		t.Errorf("the unit's list lacks the notice or its 签收 button:\n%s", head(noticeText(list.body)))
	}
	other := e.signIn("renshe")
	if l := other.get("/notices" + plan); strings.Contains(l.body, "门督〔2021〕1号") {
		t.Errorf("another unit's list shows the notice")
	}
	if r := other.get("/notices/" + id + plan); r.StatusCode != http.StatusForbidden {
		t.Errorf("GET another unit's notice = %d, want 403", r.StatusCode)
	}
	if r := other.post("/notices/"+id+"/sign"+plan, nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("sign another unit's notice = %d, want 403", r.StatusCode)
	}
	if r := unit.post("/notices/"+id+"/finish"+plan, nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("finish as the unit = %d, want 403", r.StatusCode)
	}
	// Out of order: refused with the reason, nothing written.
	r := unit.post("/notices/"+id+"/answer"+plan, url.Values{"text": {"已推进"}})
	if got := unit.get(r.Header.Get("Location")); !strings.Contains(got.body, "请先签收督办单") {
		t.Errorf("answer before signing: %s", head(noticeText(got.body)))
	}
	if got, _ := e.db.Notice(ctx, n.ID); len(got.Steps) != 1 {
		t.Errorf("refused answer stored a step: %d steps", len(got.Steps))
	}

	// Past the reply deadline, unanswered: escalated to 消费帮扶专班 (区商务局), who sees it.
	e.setDay(9, 4)
	office, unit, team, leader := e.signIn("office"), e.signIn("caizheng"), e.signIn("shangwu"), e.signIn("leader")
	if text := noticeText(team.get("/notices/" + id + plan).body); !strings.Contains(text, "已升级至专班牵头单位（消费帮扶专班：区商务局）") {
		t.Errorf("team lead's view on 9-04:\n%s", head(text))
	}
	if text := noticeText(office.get("/notices" + plan + "&escalated=team").body); !strings.Contains(text, "门督〔2021〕1号") {
		t.Errorf("office's escalated list on 9-04 lacks the notice")
	}
	if text := noticeText(leader.get("/notices" + plan + "&escalated=leaders").body); strings.Contains(text, "门督〔2021〕1号") {
		t.Errorf("leaders' list on 9-04 (one day late) shows the notice")
	}
	// K = 3 days later: listed for the leaders.
	e.setDay(9, 7) // sessions idle for days have ended: sign in again
	leader, unit, office = e.signIn("leader"), e.signIn("caizheng"), e.signIn("office")
	lp := leader.get("/notices" + plan)
	if !strings.Contains(lp.body, `id="leaders"`) || !strings.Contains(noticeText(lp.body), "领导关注") || !strings.Contains(lp.body, "门督〔2021〕1号") {
		t.Errorf("leader's page on 9-07 lacks 领导关注:\n%s", head(noticeText(lp.body)))
	}
	// The day's reminders press the notice: the leaders, the office, the team's lead unit and the
	// unit each find it on /reminders, linked to its duty; the escalation is recorded once.
	job := &remind.Job{DB: e.db, Source: remind.PlanSource(e.db, 7), Now: func() time.Time { return *e.clock }, WebhookHosts: []string{"127.0.0.1"}}
	if res, err := job.RunDay(ctx, job.Today()); err != nil || !res.Stored {
		t.Fatalf("RunDay on 9-07 = %+v, %v", res, err)
	}
	for who, c := range map[string]*client{"leader": leader, "office": office, "caizheng": unit, "shangwu": e.signIn("shangwu")} {
		if body := c.get("/reminders").body; !strings.Contains(body, "督办单门督〔2021〕1号") || !strings.Contains(body, "督办单已升级") ||
			!strings.Contains(body, `href="/duties/`+task9.String()+`"`) {
			t.Errorf("%s's /reminders lacks the notice listed for the leaders: %s", who, excerpt(body))
		}
	}
	// First pressed on 9-07, already listed for the leaders: that day's reminder told the team's
	// lead unit and the leaders, both recorded, dated 9-07; the page shows the stages the rule
	// planned (9-04 the team, 9-07 the leaders) beside what was sent.
	if got, _ := e.db.Notice(ctx, n.ID); len(got.Steps) != 3 || got.Steps[1].Text != "消费帮扶专班牵头单位：区商务局" || got.Steps[2].Text != "区领导（领导关注）" ||
		!got.Steps[1].At.Equal(*e.clock) || !got.Steps[2].At.Equal(*e.clock) {
		t.Errorf("escalations not recorded, each stage once dated when sent: %+v", got.Steps)
	}
	stages := noticeText(office.get("/notices/" + id + plan).body)
	for _, w := range []string{"9月4日 升级至专班牵头单位 消费帮扶专班牵头单位：区商务局 已于 2021-09-07 10:00 发出", "9月7日 列入领导关注 区领导（领导关注） 已于 2021-09-07 10:00 发出"} {
		if !strings.Contains(stages, w) {
			t.Errorf("notice page lacks the stage %q:\n%s", w, head(stages))
		}
	}
	if text := noticeText(office.get("/notices/" + id + plan + "&as_of=2021-09-05").body); !strings.Contains(text, "9月4日 升级至专班牵头单位 消费帮扶专班牵头单位：区商务局 未发出") {
		t.Errorf("notice page as of 9-05 lacks the team's stage not sent:\n%s", head(text))
	}
	// The city office reads the district's notices under the district's name, not as a unit's.
	if body := noticeText(e.signIn("city").get("/notices" + plan).body); !strings.Contains(body, "门头沟区的全部督办单") || strings.Contains(body, "本单位") {
		t.Errorf("city office's /notices heading:\n%s", head(body))
	}
	// As of 9-05 it was only escalated to the team.
	if text := noticeText(leader.get("/notices" + plan + "&escalated=leaders&as_of=2021-09-05").body); strings.Contains(text, "门督〔2021〕1号") {
		t.Errorf("leaders' list as of 9-05 shows the notice")
	}
	if r := leader.get("/notices" + plan + "&as_of=2021-13-01"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "不是有效日期") {
		t.Errorf("as_of=2021-13-01 = %d", r.StatusCode)
	}
	if r := leader.get("/notices" + plan + "&as_of=2021-12-01"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "晚于今天") {
		t.Errorf("as_of in the future = %d", r.StatusCode)
	}

	// The API: the unit sees it, escalated to the leaders; another unit sees none.
	type apiList struct {
		Notices []apiNotice `json:"notices"`
	}
	var got apiList
	body := unit.get("/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/notices").body
	if err := json.Unmarshal([]byte(body), &got); err != nil || len(got.Notices) != 1 || got.Notices[0].Escalation != "leaders" || got.Notices[0].Team != "消费帮扶专班" {
		t.Errorf("API notices as the unit = %v %s", err, body)
	}
	body = e.signIn("renshe").get("/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/notices").body
	if err := json.Unmarshal([]byte(body), &got); err != nil || len(got.Notices) != 0 {
		t.Errorf("API notices as another unit = %v %s", err, body)
	}
	// The API's filters cut the list as the page's do; a bad value is a 400 that names it.
	api := "/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/notices?"
	for q, want := range map[string]int{
		"escalated=leaders": 1, "escalated=team": 1, "state=issued": 1, "state=answered": 0, "state=signed": 0,
		"unit=" + url.QueryEscape("区财政局"): 1, "unit=" + url.QueryEscape("区商务局"): 0,
		"escalated=leaders&as_of=2021-09-05": 0, "escalated=team&as_of=2021-09-05": 1,
	} {
		got = apiList{}
		body := office.get(api + q).body
		if err := json.Unmarshal([]byte(body), &got); err != nil || len(got.Notices) != want {
			t.Errorf("API notices?%s = %d notices (%v), want %d: %s", q, len(got.Notices), err, want, body)
		}
	}
	for q, want := range map[string]string{"state=open": "状态筛选“open”无效", "escalated=1": "升级筛选“1”无效"} {
		if r := office.get(api + q); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, want) {
			t.Errorf("API notices?%s = %d %s, want 400 %q", q, r.StatusCode, r.body, want)
		}
	}

	step := func(c *client, action string, form url.Values, want string) {
		t.Helper()
		r := c.post("/notices/"+id+"/"+action+plan, form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s = %d: %s", action, r.StatusCode, head(noticeText(r.body)))
		}
		if text := noticeText(c.get(r.Header.Get("Location")).body); !strings.Contains(text, want) {
			t.Errorf("after %s the page does not say %q:\n%s", action, want, head(text))
		}
	}
	step(unit, "sign", nil, "已签收")
	step(unit, "sign", nil, "不必重复签收")
	step(unit, "answer", url.Values{"text": {" "}}, "请填写办理情况")
	e.setDay(9, 8)
	office, unit = e.signIn("office"), e.signIn("caizheng")
	step(unit, "answer", url.Values{"text": {"已完成采购 60%"}}, "办理情况已反馈")
	step(office, "close", nil, "须先办结")
	step(office, "return", url.Values{"text": {""}}, "请填写退回意见")
	step(office, "return", url.Values{"text": {"请附采购清单"}}, "已退回补充")
	step(unit, "answer", url.Values{"text": {"已完成采购 100%，清单附后"}}, "办理情况已反馈")
	step(office, "finish", url.Values{"text": {"同意"}}, "已办结")
	step(office, "close", nil, "已销号")
	step(unit, "answer", url.Values{"text": {"再补充"}}, "已销号，不能再反馈")

	final, _ := e.db.Notice(ctx, n.ID)
	var verbs []string
	for _, s := range final.Steps {
		verbs = append(verbs, s.Step.Verb())
	}
	if strings.Join(verbs, " ") != "下发 升级提醒 升级提醒 签收 反馈 退回补充 反馈 办结 销号" {
		t.Errorf("steps %v", verbs)
	}
	// The timeline shows each step with who and when; as of 9-07 the notice was still unanswered.
	text := noticeText(office.get("/notices/" + id + plan).body)
	for _, w := range []string{"签收 2021-09-07 10:00（北京时间） 李财政（区财政局） 李财政", "退回补充 2021-09-08 10:00（北京时间） 王办公（领导小组办公室） 请附采购清单", "已销号"} {
		if !strings.Contains(text, w) {
			t.Errorf("notice page lacks %q:\n%s", w, head(text))
		}
	}
	if text := noticeText(office.get("/notices/" + id + plan + "&as_of=2021-09-06").body); !strings.Contains(text, "待签收") || strings.Contains(text, "已完成采购") {
		t.Errorf("notice as of 9-06:\n%s", head(text))
	}
	printed := office.get("/notices/" + id + plan + "&view=print")
	for _, w := range []string{"督办通知单", "门督〔2021〕1号", "督办单位", "承办单位", "区财政局", "办理要求", "反馈时限", "2021-09-03", "签发人", "王主任", "签收人", "李财政", "办理情况", "已完成采购 100%"} {
		if !strings.Contains(printed.body, w) {
			t.Errorf("printed notice lacks %q", w)
		}
	}
	if strings.Contains(printed.body, `aria-label="主菜单"`) {
		t.Errorf("printed notice carries the menu")
	}
	// The office sets K: a notice 2 days into the team lead's turn is then the leaders'.
	if r := unit.post("/notices/rule"+plan, url.Values{"leader_days": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /notices/rule as a unit = %d, want 403", r.StatusCode)
	}
	r = office.post("/notices/rule"+plan, url.Values{"leader_days": {"45"}})
	if text := noticeText(office.get(r.Header.Get("Location")).body); !strings.Contains(text, "升级天数 45 超出范围") || !strings.Contains(text, "再过 3 天仍未反馈的列入领导关注") {
		t.Errorf("rule of 45 days: %s", head(text))
	}
	r = office.post("/notices/rule"+plan, url.Values{"leader_days": {"1"}})
	if text := noticeText(office.get(r.Header.Get("Location")).body); !strings.Contains(text, "升级规则已保存") || !strings.Contains(text, "再过 1 天仍未反馈的列入领导关注") {
		t.Errorf("rule of 1 day: %s", head(text))
	}
	if text := noticeText(office.get("/notices" + plan + "&escalated=leaders&as_of=2021-09-05").body); !strings.Contains(text, "门督〔2021〕1号") {
		t.Errorf("with K = 1 the leaders' list as of 9-05 lacks the notice")
	}
	if n := countAudit(t, e, sqldb.AuditNoticeIssue); n != 1 {
		t.Errorf("%d audit entries %s, want 1", n, sqldb.AuditNoticeIssue)
	}
	if n := countAudit(t, e, sqldb.AuditNoticeSign); n != 2 { // 区财政局's, and 区人力社保局's refused
		t.Errorf("%d audit entries %s, want 2", n, sqldb.AuditNoticeSign)
	}
	if n := countAudit(t, e, sqldb.AuditNoticeAnswer); n != 2 {
		t.Errorf("%d audit entries %s, want 2", n, sqldb.AuditNoticeAnswer)
	}
}
