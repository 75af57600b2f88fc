package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"xiezuo"
)

// TestBrowserSupervision: the office picks a past day on the supervision page and the lights
// change; the leader reads the red list and the rates first; a unit reads its to-do list and its
// calendar on a phone without scrolling sideways.
func TestBrowserSupervision(t *testing.T) {
	e := newEnv(t) // today is 2021-08-28
	p := e.stored()
	point3 := keyOf(xiezuo.DutyPoint, p.Points[2].ID)
	e.seedReport(point3, "区财政局", "", "caizheng", at("2021-07-20", "10:00"))
	e.seedReport(point3, "区人力社保局", "区财政局", "renshe", at("2021-08-10", "10:00"))
	e.seedReport(keyOf(xiezuo.DutyTask, p.Tasks[6].ID), "区人力社保局", "", "renshe", at("2021-08-12", "10:00"))
	b := newBrowser(t, e)
	narrow := func(what string) {
		t.Helper()
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
			t.Errorf("%s: the page is %d px wide on a %d px phone", what, w, phoneWidth)
		}
	}
	lightOf := func(id string) string {
		return eval[string](b, `(document.getElementById("`+id+`")||{dataset:{}}).dataset.light||""`)
	}

	b.signIn("office", testPassword)
	if status := b.open("/supervision" + plan2021); status != 200 {
		t.Fatalf("GET /supervision = %d", status)
	}
	if l := lightOf(point3.String()); l != "red" {
		t.Errorf("point 3 today = %q, want red (August not reported)", l)
	}
	b.shot("supervision-office")
	b.do("pick 24 July", chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name="as_of"]').value = "2021-07-24"`))
	b.submit("show 24 July", chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)))
	if l := lightOf(point3.String()); l != "green" || !strings.Contains(b.text(), "以下为 2021-07-24 当日结束时的情况") {
		t.Errorf("point 3 as of 24 July = %q, want green, and the page saying the day", l)
	}

	b.signIn("leader", testPassword)
	b.open("/supervision" + plan2021)
	text := b.text()
	if i, j := strings.Index(text, "逾期未报清单"), strings.Index(text, "按责任单位"); i < 0 || j < 0 {
		t.Errorf("the leader's page lacks the red list or the rates per unit")
	}
	b.shot("supervision-leader")

	b.signIn("caizheng", testPassword)
	b.phone()
	b.open("/todo" + plan2021)
	if text := b.text(); !strings.Contains(text, "待审核") || !strings.Contains(text, "逾期未报") {
		t.Errorf("区财政局's to-do on the phone lacks the report to review or its overdue duties:\n%s", text)
	}
	narrow("the to-do list")
	b.shot("todo-phone")
	b.open("/calendar" + plan2021 + "&month=2021-09")
	if text := b.text(); !strings.Contains(text, "2021-09-25") || !strings.Contains(text, "待报送") {
		t.Errorf("区财政局's September calendar on the phone lacks the 25th:\n%s", text)
	}
	narrow("the calendar")
	b.shot("calendar-phone")
	b.desktop()
	b.open("/calendar" + plan2021 + "&month=2021-08")
	b.shot("calendar-desktop")
}
