package web

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// cspWatch makes every page the browser opens from now on record its Content Security Policy
// violations in window.__csp (a script the DevTools protocol adds, which the policy does not
// govern), for cspViolations.
func (b *browser) cspWatch() {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || "")));`,
	}); err != nil {
		b.t.Fatalf("watch CSP: %v", err)
	}
}

// cspViolations are the violations the page shown has reported so far.
func (b *browser) cspViolations() []string {
	b.t.Helper()
	// Violations are reported asynchronously: give them a moment.
	return eval[[]string](b, `new Promise(r => setTimeout(() => r(window.__csp || ["no watcher"]), 200))`)
}

// box is an element's place on the screen.
type box struct {
	ID                       string
	Top, Bottom, Left, Right float64
	ChartHeight              float64
}

// TestBrowserDashboard opens the leaders' dashboard over a demo-like year as the district
// leader: at 1366 × 768 the six panels, each with its chart, lie within the screen without
// scrolling; at 390 px they stack in one column without a horizontal scroll; the page reports no
// Content Security Policy violation (charts are inline SVG with presentation attributes, no
// style=); the table under a chart unfolds. Screenshots: dashboard, dashboard-phone.
func TestBrowserDashboard(t *testing.T) {
	e := newEnv(t)
	dashYear(t, e, time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai))
	b := newBrowser(t, e)
	b.cspWatch()
	if status := b.signIn("leader", testPassword); status != 200 {
		t.Fatalf("sign in leader = %d", status)
	}
	if status := b.open("/dashboard" + plan2021); status != 200 {
		t.Fatalf("GET /dashboard = %d", status)
	}
	boxes := func() []box {
		return eval[[]box](b, `Array.from(document.querySelectorAll(".dash-panel")).map(p => {
			const r = p.getBoundingClientRect(), s = p.querySelector("svg");
			return {ID: p.id, Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right, ChartHeight: s ? s.getBoundingClientRect().height : 0};
		})`)
	}
	panels := boxes()
	if len(panels) != 6 {
		t.Fatalf("%d panels, want 6", len(panels))
	}
	vw, vh := eval[float64](b, `window.innerWidth`), eval[float64](b, `window.innerHeight`)
	for _, p := range panels {
		if p.Top < 0 || p.Bottom > vh || p.Left < 0 || p.Right > vw {
			t.Errorf("at %v×%v panel %s lies at %+v: not all on the screen", vw, vh, p.ID, p)
		}
		if p.ID != "dash-gaps" && p.ChartHeight < 120 {
			t.Errorf("panel %s's chart is %v px high, too small to read", p.ID, p.ChartHeight)
		}
	}
	if v := b.cspViolations(); len(v) != 0 {
		t.Errorf("the dashboard violates the CSP: %q", v)
	}
	text := b.text()
	for _, want := range []string{"各协作地区资金", "资金累计下达、拨付、支出", "工作事项进度", "消费帮扶采购占比", "吸纳脱贫人口就业", "考核指标差距", "未报送（5 个）：区商务局、区国资委、区直机关工委、区总工会、区卫生健康委"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dashboard does not read %q", want)
		}
	}
	// The tables are folded on screen and unfold.
	if eval[bool](b, `document.querySelector("#dash-purchases details").open`) || strings.Contains(text, "无法计算") {
		t.Errorf("the purchases table is open on screen")
	}
	b.do("unfold the purchases table", chromedp.Click(chromedp.CSS(`#dash-purchases details summary`)))
	if !strings.Contains(b.text(), "是否达到30%") {
		t.Errorf("the purchases table does not unfold")
	}
	b.do("fold it again", chromedp.Click(chromedp.CSS(`#dash-purchases details summary`)))
	b.shot("dashboard")

	// In print every chart's table shows under it, the folded copies and the form do not.
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	shown := eval[[]bool](b, `Array.from(document.querySelectorAll(".dash-panel")).map(p =>
		p.querySelector(".dash-print table").getClientRects().length > 0 && p.querySelector("details").getClientRects().length == 0)`)
	if len(shown) != 6 || slices.Contains(shown, false) {
		t.Errorf("in print, each panel shows its table and not the folded one: %v", shown)
	}
	if eval[bool](b, `document.querySelector("form.filters").getClientRects().length > 0`) {
		t.Errorf("in print the date form shows")
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	// The watcher works: an inline style set by a script is refused and reported.
	eval[bool](b, `document.body.setAttribute("style", "color: red"), true`)
	if v := b.cspViolations(); len(v) == 0 {
		t.Errorf("the CSP watcher saw no violation of an inline style: the check above proves nothing")
	}

	b.phone()
	if status := b.open("/dashboard" + plan2021); status != 200 {
		t.Fatalf("GET /dashboard on a phone = %d", status)
	}
	panels = boxes()
	vw = eval[float64](b, `window.innerWidth`)
	for i, p := range panels {
		if p.Left != panels[0].Left || p.Right > vw+0.5 {
			t.Errorf("on a phone panel %s lies at %+v, want one column within %v px", p.ID, p, vw)
		}
		if i > 0 && p.Top < panels[i-1].Bottom {
			t.Errorf("on a phone panel %s overlaps the one above", p.ID)
		}
	}
	if sw := eval[float64](b, `document.documentElement.scrollWidth`); sw > vw+0.5 {
		t.Errorf("on a phone the page is %v px wide, more than the screen's %v", sw, vw)
	}
	if v := b.cspViolations(); len(v) != 0 {
		t.Errorf("the dashboard on a phone violates the CSP: %q", v)
	}
	b.shot("dashboard-phone")
	b.desktop()
}
