package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestNoticeToDoPages: an open supervision notice (督办单) is on the to-do list and the home page
// of whoever it asks something of, linked to its page with its reply date: the unit to sign and
// then to answer, the team's lead unit to press once it is late, the leaders once it is listed
// for them (领导关注), the office once it is answered (待办结) and finished (待销号); not on
// another unit's.
func TestNoticeToDoPages(t *testing.T) {
	e, task9 := noticeEnv(t)
	plan := "?year=2021&district=" + url.QueryEscape("门头沟区")
	office := e.signIn("office")
	resp := office.post("/notices/new"+plan, url.Values{"duty": {task9.String()}, "unit": {"区财政局"}, "subject": {"消费帮扶采购进度滞后"},
		"requirement": {"请说明采购进度。"}, "reply_by": {"2021-09-03"}, "signer": {"王主任"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /notices/new = %d: %s", resp.StatusCode, head(noticeText(resp.body)))
	}
	ns, err := e.db.PlanNotices(t.Context(), "门头沟区", 2021)
	if err != nil || len(ns) != 1 {
		t.Fatalf("PlanNotices = %d, %v", len(ns), err)
	}
	id := strconv.FormatInt(ns[0].ID, 10)
	link := `href="/notices/` + id + `?district=`
	has := func(who string, c *client, path, kind string) {
		t.Helper()
		page := c.get(path + plan)
		text := noticeText(page.body)
		if page.StatusCode != http.StatusOK || !strings.Contains(text, kind) || !strings.Contains(page.body, link) || !strings.Contains(text, "2021-09-03") {
			t.Errorf("%s %s = %d, want the notice %s linked with its reply date:\n%s", who, path, page.StatusCode, kind, head(text))
		}
	}
	hasNot := func(who string, c *client, path string) {
		t.Helper()
		if page := c.get(path + plan); strings.Contains(page.body, link) {
			t.Errorf("%s %s lists the notice:\n%s", who, path, head(noticeText(page.body)))
		}
	}
	unit := e.signIn("caizheng")
	has("区财政局", unit, "/todo", "督办单待签收")
	has("区财政局", unit, "/", "督办单待签收")
	hasNot("区人力社保局", e.signIn("renshe"), "/todo")
	hasNot("office (not answered yet)", office, "/todo")
	if r := unit.post("/notices/"+id+"/sign"+plan, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign = %d", r.StatusCode)
	}
	has("区财政局", unit, "/todo", "督办单待反馈")

	e.setDay(9, 7) // late by 4 days: escalated to 消费帮扶专班 (区商务局), listed for the leaders
	leader, team, unit, office := e.signIn("leader"), e.signIn("shangwu"), e.signIn("caizheng"), e.signIn("office")
	has("leader", leader, "/todo", "领导关注")
	has("leader", leader, "/", "领导关注")
	has("区商务局", team, "/todo", "督办单待督促")
	has("区财政局", unit, "/todo", "已逾期 4 天")

	if r := unit.post("/notices/"+id+"/answer"+plan, url.Values{"text": {"已完成采购 60%"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer = %d", r.StatusCode)
	}
	hasNot("区财政局 (answered)", unit, "/todo")
	hasNot("leader (answered)", leader, "/todo")
	has("office", office, "/todo", "督办单待办结")
	has("office", office, "/", "督办单待办结")
	if r := office.post("/notices/"+id+"/finish"+plan, url.Values{"text": {"同意"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("finish = %d", r.StatusCode)
	}
	has("office", office, "/todo", "督办单待销号")
	if r := office.post("/notices/"+id+"/close"+plan, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("close = %d", r.StatusCode)
	}
	hasNot("office (closed)", office, "/todo")
}
