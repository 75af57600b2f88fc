package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserDrafts opens the half-year summary as the office: no Content Security Policy
// violation (charts are inline SVG), the first paragraph edited in its textarea and saved through
// the form becomes version 1 and shows in the list; on a phone the page is one column without a
// horizontal scroll. Screenshots: drafts, drafts-phone.
func TestBrowserDrafts(t *testing.T) {
	e := newEnv(t)
	draftYear(t, e, time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai))
	b := newBrowser(t, e)
	b.cspWatch()
	if status := b.signIn("office", testPassword); status != 200 {
		t.Fatalf("sign in office = %d", status)
	}
	if status := b.open("/drafts" + plan2021 + "&draft=summary&period=h1"); status != 200 {
		t.Fatalf("GET /drafts = %d", status)
	}
	if v := b.cspViolations(); len(v) != 0 {
		t.Errorf("the drafts page violates the CSP: %q", v)
	}
	if n := eval[int](b, `document.querySelectorAll(".draft-chart svg").length`); n != 2 {
		t.Errorf("%d charts shown, want 2", n)
	}
	b.shot("drafts")
	b.do("edit the opening", fill(`textarea[name="b0"]`, "浏览器中修改的开头。"))
	if status := b.submit("save", chromedp.Click(chromedp.CSS(`#draft-form button[type="submit"]`))); status != 200 {
		t.Fatalf("save = %d", status)
	}
	text := b.text()
	if !strings.Contains(text, "已保存为第 1 版") || !strings.Contains(text, "第 1 版：王办公（领导小组办公室）") {
		t.Errorf("after saving the page reads:\n%s", text[:min(600, len(text))])
	}
	if got := eval[string](b, `document.querySelector('textarea[name="b0"]').value`); got != "浏览器中修改的开头。" {
		t.Errorf("version 1's opening = %q", got)
	}
	// Printed: the draft's text as paragraphs (the form's textareas are not printed).
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed := eval[string](b, `(() => { const a = document.querySelector(".draft-print"); return a && a.offsetHeight > 200 ? a.innerText : ""; })()`)
	if !strings.Contains(printed, "浏览器中修改的开头。") || !strings.Contains(printed, "存在的问题") {
		t.Errorf("printed, the draft reads %q, want its text", printed[:min(300, len(printed))])
	}
	if shown := eval[bool](b, `getComputedStyle(document.querySelector(".draft-layout")).display !== "none"`); shown {
		t.Error("printed, the editing form is shown")
	}
	b.shot("drafts-print")
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	b.phone()
	if status := b.open("/drafts" + plan2021 + "&draft=summary&period=h1&version=1"); status != 200 {
		t.Fatalf("GET version 1 on a phone = %d", status)
	}
	vw := eval[float64](b, `window.innerWidth`)
	if vw > phoneWidth {
		// A phone widens its layout viewport to content wider than the screen.
		t.Errorf("on a phone the layout is %v px wide, wider than the screen's %d", vw, phoneWidth)
	}
	if sw := eval[float64](b, `document.documentElement.scrollWidth`); sw > vw+0.5 {
		t.Errorf("on a phone the page is %v px wide, more than the screen's %v", sw, vw)
	}
	if right := eval[float64](b, `Math.max(...Array.from(document.querySelectorAll("#draft-form > *, .draft-versions, h1")).map(x => x.getBoundingClientRect().right))`); right > vw+0.5 {
		t.Errorf("on a phone the draft reaches %v px, beyond the screen's %v", right, vw)
	}
	if eval[bool](b, `(() => { const f = document.querySelector("#draft-form").getBoundingClientRect(), a = document.querySelector(".draft-versions").getBoundingClientRect(); return a.top < f.bottom; })()`) {
		t.Error("on a phone the versions are not under the draft")
	}
	if v := b.cspViolations(); len(v) != 0 {
		t.Errorf("the drafts page on a phone violates the CSP: %q", v)
	}
	b.shot("drafts-phone")
	b.desktop()
}
