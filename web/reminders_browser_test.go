package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"xiezuo"
	"xiezuo/remind"
	"xiezuo/sqldb"
)

// TestBrowserReminders: at a phone's width the office sets a unit's 钉钉 robot through the
// form (no sideways scrolling), the day's reminders are generated, and the office reads them,
// the unread count beside its name.
func TestBrowserReminders(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office"})
	if err := e.db.SetGroupMembers(ctx, "门头沟区", xiezuo.CatalogueMembers()); err != nil {
		t.Fatal(err)
	}
	if status := b.signIn("office", testPassword); status != 200 {
		t.Fatalf("sign in = %d", status)
	}
	b.phone()
	defer b.desktop()
	if status := b.open("/reminders/settings?unit=" + "区财政局"); status != 200 {
		t.Fatalf("GET /reminders/settings = %d", status)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("settings page is %d px wide at a phone's %d", w, phoneWidth)
	}
	status := b.submit("save a unit's channel",
		chromedp.SetValue(`form[action="/reminders/settings/unit"] select[name="unit"]`, "区财政局"),
		fill(`input[name="dingtalk"]`, "https://oapi.dingtalk.com/robot/send?access_token=demo"),
		fill(`input[name="dingtalk_secret"]`, "SECdemo"),
		fill(`textarea[name="emails"]`, "czj@mtg.gov.cn"),
		chromedp.Click(chromedp.CSS(`form[action="/reminders/settings/unit"] button[type="submit"]`)),
	)
	if text := b.text(); status != 200 || !strings.Contains(text, "区财政局的提醒渠道已保存") || !strings.Contains(text, "czj@mtg.gov.cn") || strings.Contains(text, "SECdemo") {
		t.Fatalf("after saving: %d\n%s", status, text)
	}
	b.shot("reminder-settings")

	job := &remind.Job{DB: e.db, Source: remind.PlanSource(e.db, 7), Now: func() time.Time { return *e.clock }, WebhookHosts: []string{"127.0.0.1"}}
	if res, err := job.RunDay(t.Context(), job.Today()); err != nil || !res.Stored {
		t.Fatalf("RunDay = %+v, %v", res, err)
	}
	if status := b.open("/reminders"); status != 200 {
		t.Fatalf("GET /reminders = %d", status)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("reminders page is %d px wide at a phone's %d", w, phoneWidth)
	}
	if !b.present(`header .who .tag.missing`) || !strings.Contains(b.text(), "已逾期") {
		t.Errorf("no unread count or no overdue reminder:\n%s", b.text())
	}
	b.shot("reminders")
}
