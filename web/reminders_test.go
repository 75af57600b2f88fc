package web

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/remind"
	"xiezuo/remind/remindtest"
	"xiezuo/sqldb"
)

// TestReminderPages walks the office's settings (bad input refused with its reason, nothing
// stored; secrets never shown back), a day of the job, each user's list with the unread count in
// the layout, and the deliveries page where a failure shows with its error and is sent again.
func TestReminderPages(t *testing.T) {
	e := newEnv(t)
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office"})
	if err := e.db.SetGroupMembers(ctx, "门头沟区", xiezuo.CatalogueMembers()); err != nil {
		t.Fatal(err)
	}
	office := e.signIn("office")
	if resp := office.get("/reminders/settings"); resp.StatusCode != http.StatusOK || !strings.Contains(resp.body, "各单位的提醒渠道") {
		t.Fatalf("GET /reminders/settings = %d", resp.StatusCode)
	}
	robot := remindtest.StartRobot(t, "dingtalk", "SECweb", 100) // fails every time
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"unit": {"区财政局"}, "enabled": {"1"}, "emails": {"bad"}}, "电子邮件地址“bad”格式不正确"},
		{url.Values{"unit": {"区财政局"}, "enabled": {"1"}, "wecom": {"ftp://qyapi.weixin.qq.com/x"}}, "企业微信机器人地址应以 https:// 开头"},
		{url.Values{"unit": {"区财政局"}, "enabled": {"1"}, "dingtalk": {"http://169.254.169.254/latest/meta-data"}}, "主机“169.254.169.254”不在允许的机器人主机之列"},
		{url.Values{"unit": {"区财政局"}, "enabled": {"1"}, "wecom": {"http://localhost:6379/"}}, "主机“localhost”不在允许的机器人主机之列"},
		{url.Values{"unit": {"区财政"}, "enabled": {"1"}}, "不是单位目录中的单位"},
		{url.Values{"enabled": {"1"}}, "请选择单位"},
	} {
		resp := office.post("/reminders/settings/unit", tt.form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, tt.want) || !strings.Contains(resp.body, `id="channel-error"`) {
			t.Errorf("POST /reminders/settings/unit %v = %d, want 422 with %q beside the form: %s", tt.form, resp.StatusCode, tt.want, excerpt(resp.body))
		}
		for _, field := range []string{"emails", "wecom", "dingtalk"} { // what was typed is kept
			if v := tt.form.Get(field); v != "" && !strings.Contains(resp.body, html.EscapeString(v)) {
				t.Errorf("POST /reminders/settings/unit %v: the page lost the typed %s %q", tt.form, field, v)
			}
		}
	}
	if cs, _ := e.db.ReminderChannels(ctx, "门头沟区"); len(cs) != 0 {
		t.Fatalf("refused forms stored %v", cs)
	}
	resp := office.post("/reminders/settings/unit", url.Values{"unit": {"领导小组办公室"}, "enabled": {"1"}, "dingtalk": {robot.URL}, "dingtalk_secret": {"SECweb"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /reminders/settings/unit = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	sys := e.signIn("sysadmin") // the mail server is the whole server's: the system administrator sets it
	if resp := sys.post("/reminders/settings/smtp", url.Values{"host": {"smtp.mtg.gov.cn"}, "port": {"99999"}, "from": {"caizheng-at-example"}, "username": {"xz-typed"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.body, "端口“99999”应为 1 到 65535 的整数") || !strings.Contains(resp.body, "发件人地址“caizheng-at-example”格式不正确") || !strings.Contains(resp.body, `id="smtp-error"`) ||
		!strings.Contains(resp.body, `value="99999"`) || !strings.Contains(resp.body, `value="smtp.mtg.gov.cn"`) || !strings.Contains(resp.body, `value="caizheng-at-example"`) || !strings.Contains(resp.body, `value="xz-typed"`) {
		t.Errorf("POST smtp with a bad port and sender = %d, want 422 with both reasons and the values kept: %s", resp.StatusCode, excerpt(resp.body))
	}
	if resp := office.post("/reminders/settings/unit", url.Values{"unit": {"区财政局"}, "enabled": {"1"}, "emails": {"caizheng-at-example, ok@mtg.gov.cn"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.body, "caizheng-at-example, ok@mtg.gov.cn</textarea>") || !strings.Contains(resp.body, "<option selected>区财政局</option>") {
		t.Errorf("POST unit with a bad address = %d, want 422 with the addresses and the unit kept: %s", resp.StatusCode, excerpt(resp.body))
	}
	if resp := sys.post("/reminders/settings/smtp", url.Values{"host": {"127.0.0.1"}, "port": {"2525"}, "from": {"x@mtg.gov.cn"}, "username": {"xz"}, "password": {"pw-web-1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST smtp = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	page := office.get("/reminders/settings").body
	if !strings.Contains(page, "已设置（加签）") || !strings.Contains(page, "电子邮件提醒：已设置") || strings.Contains(page, "SECweb") || strings.Contains(page, "pw-web-1") {
		t.Errorf("settings page: want the channel and SMTP shown without their secrets")
	}
	if page := sys.get("/reminders/smtp").body; !strings.Contains(page, "127.0.0.1:2525") || strings.Contains(page, "pw-web-1") {
		t.Errorf("SMTP page: want the server shown without the password")
	}

	// A day of the job, on the application's clock (2021-08-28).
	job := &remind.Job{DB: e.db, Source: remind.PlanSource(e.db, 7), Now: func() time.Time { return *e.clock }, WebhookHosts: []string{"127.0.0.1"}}
	res, err := job.RunDay(t.Context(), job.Today())
	if err != nil || !res.Stored || res.Deliveries != 1 {
		t.Fatalf("RunDay = %+v, %v", res, err)
	}
	mine, _ := e.db.UserReminders(t.Context(), e.users["office"].ID, 0)
	if len(mine) == 0 {
		t.Fatal("the office has no reminder on 2021-08-28")
	}
	list := office.get("/reminders").body
	for _, r := range mine {
		if !strings.Contains(list, r.Reminder.Title) {
			t.Errorf("/reminders lacks %q", r.Reminder.Title)
		}
	}
	if !strings.Contains(list, `提醒<span class="tag missing">`) {
		t.Error("the layout shows no unread count")
	}
	if sys := e.signIn("sysadmin").get("/reminders").body; !strings.Contains(sys, "没有提醒") {
		t.Error("the system administrator has reminders")
	}
	if resp := office.post("/reminders/read", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /reminders/read = %d", resp.StatusCode)
	}
	if n, _ := e.db.UnreadReminders(t.Context(), e.users["office"].ID); n != 0 {
		t.Errorf("unread after reading = %d", n)
	}

	// The robot refuses: the failure is listed with its reason, and can be sent again.
	if _, failed, err := job.Deliver(t.Context()); failed != 1 || err != nil {
		t.Fatalf("Deliver: failed %d, %v", failed, err)
	}
	ds, _ := e.db.Deliveries(t.Context(), sqldb.DeliveryFilter{District: "门头沟区"})
	if len(ds) != 1 {
		t.Fatalf("deliveries = %v", ds)
	}
	dpage := office.get("/reminders/deliveries").body
	if !strings.Contains(dpage, "机器人返回 HTTP 502") || !strings.Contains(dpage, "钉钉机器人") {
		t.Errorf("/reminders/deliveries does not show the failure: %s", excerpt(dpage))
	}
	if resp := office.get("/reminders/deliveries?state=bogus"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("GET deliveries?state=bogus = %d, want 400", resp.StatusCode)
	}
	if resp := office.post("/reminders/deliveries/"+strconv.FormatInt(ds[0].ID, 10)+"/retry", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("POST retry = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	ds, _ = e.db.Deliveries(t.Context(), sqldb.DeliveryFilter{District: "门头沟区"})
	if ds[0].State != sqldb.DeliveryPending || ds[0].Attempts != 0 {
		t.Errorf("after retry: %s, %d attempts; want pending, 0", ds[0].State, ds[0].Attempts)
	}
	if resp := e.signIn("caizheng").post("/reminders/deliveries/"+strconv.FormatInt(ds[0].ID, 10)+"/retry", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a unit's retry = %d, want 403", resp.StatusCode)
	}
}
