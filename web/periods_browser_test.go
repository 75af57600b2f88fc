package web

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sqldb"
)

// TestBrowserPeriods walks the freeze in a browser over a generated half year (the demo's): the
// office finds the first half year frozen with its snapshot intact and a unit's request
// waiting, grants it, freezes July after ticking the confirmation; the finance bureau asks for
// an exception from a phone. Screenshots: periods, exception-phone.
func TestBrowserPeriods(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	*e.clock = today
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "test"})
	users := map[string]string{"领导小组办公室": "office", "区财政局": "caizheng", "区人力社保局": "renshe", "前方挂职干部": "wuchuan"}
	if _, err := gen.WriteHalfYear(ctx, e.db, gen.HalfYear{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: users}); err != nil {
		t.Fatalf("WriteHalfYear = %v", err)
	}
	if status := b.signIn("office", testPassword); status != 200 {
		t.Fatalf("sign in office = %d", status)
	}
	if status := b.open("/periods" + plan2021); status != 200 {
		t.Fatalf("GET /periods = %d", status)
	}
	h1 := eval[string](b, `document.getElementById("2021-H1").innerText`)
	if !strings.Contains(h1, "已封存") || !strings.Contains(h1, "数据与封存时一致") || !strings.Contains(h1, "上半年工作总结和考核快照") {
		t.Errorf("the first half year's row reads %q, want it frozen with its snapshot intact", h1)
	}
	if jun := eval[string](b, `document.getElementById("2021-06").innerText`); !strings.Contains(jun, "随2021年上半年封存") || strings.Contains(jun, "确认封存") {
		t.Errorf("June's row reads %q, want it locked through the half year, with nothing to freeze", jun)
	}
	if year := eval[string](b, `document.getElementById("2021").innerText`); strings.Contains(year, "随") || !strings.Contains(year, "确认封存2021年全年") {
		t.Errorf("the year's row reads %q, want it open to freeze (only its first half is frozen)", year)
	}
	xs, err := e.db.FreezeExceptions(t.Context(), "门头沟区", 2021)
	if err != nil || len(xs) != 1 {
		t.Fatalf("FreezeExceptions = %v, %v, want the generated request", xs, err)
	}
	row := "#exception-" + strconv.FormatInt(xs[0].ID, 10)
	b.do("type the office's reason", fill(row+` input[name="reason"]`, "同意更正培训人数"))
	if status := b.submit("grant", chromedp.Click(chromedp.CSS(row+` button[value="grant"]`))); status != 200 {
		t.Fatalf("grant = %d", status)
	}
	if flash := b.text(); !strings.Contains(flash, "已准许第 "+strconv.FormatInt(xs[0].ID, 10)+" 号例外申请") {
		t.Errorf("after the grant the page reads:\n%s", flash)
	}
	// July: the checkbox must be ticked before the browser sends the form.
	b.do("note", fill(`tr[id="2021-07"] input[name="note"]`, "7月快照"))
	b.do("tick", chromedp.Click(chromedp.CSS(`tr[id="2021-07"] input[name="confirm"]`)))
	if status := b.submit("freeze July", chromedp.Click(chromedp.CSS(`tr[id="2021-07"] button[type="submit"]`))); status != 200 {
		t.Fatalf("freeze July = %d", status)
	}
	if text := b.text(); !strings.Contains(text, "2021年7月已封存：快照含报告") {
		t.Errorf("after freezing July the page reads:\n%s", text)
	}
	b.shot("periods")

	// The finance bureau asks from a phone, on the first task it leads.
	if status := b.signIn("caizheng", testPassword); status != 200 {
		t.Fatalf("sign in caizheng = %d", status)
	}
	b.phone()
	defer b.desktop()
	key := dutyOf(t, e, xiezuo.DutyTask, 13)
	if status := b.open("/duties/" + key.String() + "/exception"); status != 200 {
		t.Fatalf("exception form = %d", status)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("the exception form is %d px wide on a %d px phone", w, phoneWidth)
	}
	b.do("reason", fill(`textarea[name="reason"]`, "所报数字有误，需更正"))
	// One of its reports of a frozen month (the generated half year has June's and July's).
	chosen := eval[bool](b, `(() => { const o = [...document.querySelectorAll('select[name="report"] option')].find(o => o.text.includes("已封存")); if (o) { o.selected = true; } return !!o; })()`)
	if !chosen {
		t.Fatalf("the form offers no report of a frozen month:\n%s", b.text())
	}
	b.shot("exception-phone")
	if status := b.submit("ask", chromedp.Click(chromedp.CSS(`form[action$="/exception"] button[type="submit"]`))); status != 200 {
		t.Fatalf("ask for an exception = %d", status)
	}
	if text := b.text(); !strings.Contains(text, "例外申请，等待办公室审批") {
		t.Errorf("after asking the page reads:\n%s", text)
	}
}
