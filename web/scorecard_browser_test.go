package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"xiezuo"
)

// TestBrowserScorecard drives /scorecard at 1366×768 and on a 390 px phone: the tabs, the date
// picker, and — on a hand-built scorecard rendered by the page's own view and template, since
// the scoring is not merged yet — the lights as colour and word, the folded parts, and a page
// no wider than the screen; then the indicator editor's refusal beside its field on a phone.
// The live scorecard changing with what the office records is TestBrowserRecordsChangeScore.
func TestBrowserScorecard(t *testing.T) {
	e := newEnv(t)
	office := e.users["office"]
	// /hand/scorecard is the page of handCard() as the office reads it; every other path is the
	// application.
	hand := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/hand/scorecard" {
			e.srv.ServeHTTP(w, r)
			return
		}
		pd := &planData{base: base{Title: "考核", Nav: "scorecard", Path: "/scorecard", User: office, Year: 2021, District: "门头沟区",
			Years: []int{2021}, Districts: []string{"门头沟区"}, menu: e.srv.menuFor(office, 2021, "门头沟区")}}
		d := scorecardView(pd, handCard(), xiezuo.ScorecardFilter{By: xiezuo.ByDimension}, xiezuo.DayOf(e.srv.today()))
		e.srv.render(w, r, http.StatusOK, "scorecard", d)
	}))
	t.Cleanup(hand.Close)
	e.ts = hand
	b := newBrowser(t, e)
	b.signIn("office", testPassword)

	if status := b.open("/scorecard" + plan2021); status != 200 {
		t.Fatalf("GET /scorecard = %d", status)
	}
	if !b.present(`input[type="date"][name="as_of"][max="2021-08-28"]`) || !strings.Contains(b.text(), "达标 ") {
		t.Errorf("/scorecard lacks its date picker or summary:\n%s", b.text())
	}
	if status := b.submit("按工作专班", chromedp.Click(chromedp.CSS(`nav.tabs a[href*="by=team"]`))); status != 200 || !strings.Contains(b.path(), "by=team") {
		t.Errorf("the tab 按工作专班 = %d at %s", status, b.path())
	}
	b.do("pick a day", chromedp.SetValue(chromedp.CSS(`input[name="as_of"]`), "2021-06-30"))
	if status := b.submit("查看", chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`))); status != 200 {
		t.Fatalf("查看 = %d", status)
	}
	if p := b.path(); !strings.Contains(p, "as_of=2021-06-30") || !strings.Contains(p, "by=team") || !strings.Contains(b.text(), "2021-06-30 当日结束时") {
		t.Errorf("after picking a day: %s\n%s", p, b.text())
	}

	for _, size := range []struct {
		name  string
		set   func()
		width int
		shot  string
	}{{"desktop", b.desktop, desktopWidth, "scorecard"}, {"phone", b.phone, phoneWidth, "scorecard-phone"}} {
		size.set()
		if status := b.open("/hand/scorecard"); status != 200 {
			t.Fatalf("GET /hand/scorecard = %d", status)
		}
		text := b.text()
		for _, want := range []string{"达标 1", "未达标 1", "未到期 1", "未报送 2", "不低于上年（1200 万元）", "未设目标", "劳务协作专班：典型案例 0 / 1 个"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the scorecard lacks %q", size.name, want)
			}
		}
		if c := eval[string](b, `getComputedStyle(document.querySelector('tr[data-code="jqxz-02"] .light')).color`); c != "rgb(179, 38, 30)" {
			t.Errorf("%s: the red light's colour = %s, want the red of app.css", size.name, c)
		}
		b.do("open the parts", chromedp.Click(chromedp.CSS(`tr[data-code="xxxc-01"] details.parts summary`)))
		if !eval[bool](b, `document.querySelector('tr[data-code="xxxc-01"] details.parts').open`) || !strings.Contains(b.text(), "产业协作专班") {
			t.Errorf("%s: the parts do not open", size.name)
		}
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > size.width {
			t.Errorf("%s: the scorecard is %d px wide, wider than the screen's %d", size.name, w, size.width)
		}
		b.shot(size.shot)
	}

	// Printed, the parts are there without opening them; on a phone a row is a few lines.
	if status := b.open("/hand/scorecard"); status != 200 {
		t.Fatalf("GET /hand/scorecard = %d", status)
	}
	rowHeight := eval[float64](b, `document.querySelector('tr[data-code="jqxz-02"]').getBoundingClientRect().height`)
	if rowHeight > 200 {
		t.Errorf("phone: a scorecard row is %.0f px tall, want a compact row (at most 200)", rowHeight)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if !eval[bool](b, `document.querySelector('tr[data-code="xxxc-01"] details.parts table').checkVisibility()`) {
		t.Errorf("print: the parts of a folded row do not print")
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	// The editor on a phone: a date it cannot read comes back beside its field.
	if status := b.open("/indicators/new" + plan2021); status != 200 {
		t.Fatalf("GET /indicators/new = %d", status)
	}
	b.do("fill the indicator",
		fill(`input[name="code"]`, "zzld-98"),
		fill(`input[name="name"]`, "联席会议次数"),
		fill(`textarea[name="formula"]`, `count(meetings where kind = "联席会议")`),
		fill(`input[name="target"]`, "4"),
		fill(`input[name="due"]`, "2021-13-01"),
		fill(`input[name="reason"]`, "按考核细则增加"))
	if status := b.submit("保存", chromedp.Click(chromedp.CSS(`form#indicator button[type="submit"]`))); status != http.StatusUnprocessableEntity {
		t.Errorf("保存 with a bad date = %d, want 422", status)
	}
	if !strings.Contains(b.text(), "“截止日期”：2021-13-01 不是日期") || eval[string](b, `document.querySelector('input[name="due"]').value`) != "2021-13-01" {
		t.Errorf("the refusal is not beside its field with what was typed:\n%s", b.text())
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("on a phone the indicator form is %d px wide, wider than %d", w, phoneWidth)
	}
	b.shot("indicator-form-phone")
}
