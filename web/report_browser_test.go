package web

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"xiezuo"
)

// TestBrowserReportChain walks the report chain in the browser: the unit submits from a phone
// (390 px, a photo picked in the file input), the office returns it with a comment, the unit
// reads the comment and submits again from the phone, the office accepts and closes; the
// history shows all of it, and the phone page never scrolls sideways.
func TestBrowserReportChain(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	page := "/duties/" + dutyOf(t, e, xiezuo.DutyTask, 13).String()
	photo := filepath.Join(t.TempDir(), "现场.png")
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var buf bytes.Buffer
	png.Encode(&buf, img)
	if err := os.WriteFile(photo, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	narrow := func(what string) {
		t.Helper()
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
			t.Errorf("%s: the page is %d px wide on a %d px phone", what, w, phoneWidth)
		}
	}

	b.signIn("caizheng", testPassword)
	b.phone()
	if status := b.open(page); status != 200 {
		t.Fatalf("GET %s = %d", page, status)
	}
	narrow("the report form")
	if !b.present(`input[type="file"][name="evidence"][capture="environment"]`) {
		t.Errorf("the form has no camera input")
	}
	b.do("fill the report",
		fill(`textarea[name="text"]`, "已下达帮扶资金，正在拨付。"),
		fill(`input[name="percent"]`, "60"),
		fill(`input[name="fig.r1"]`, "1200"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="evidence"]`), []string{photo}),
	)
	b.shot("report-form-phone")
	status := b.submit("submit the report", chromedp.Click(chromedp.CSS(`button[value="submit"]`)))
	if text := b.text(); status != 200 || !strings.Contains(text, "已报送给办公室，等待审核") || !strings.Contains(text, "第1版 报送") {
		t.Fatalf("after 报送 (%d) the page says:\n%s", status, text)
	}
	narrow("the submitted report")

	b.desktop()
	b.signIn("office", testPassword)
	b.open(page)
	b.do("write the comment", fill(`form.review textarea[name="comment"]`, "请补充资金下达的文号。"))
	status = b.submit("return the report", chromedp.Click(chromedp.CSS(`form.review button[value="return"]`)))
	if text := b.text(); status != 200 || !strings.Contains(text, "已退回") || !strings.Contains(text, "意见：请补充资金下达的文号。") {
		t.Fatalf("after 退回 (%d) the page says:\n%s", status, text)
	}

	b.signIn("caizheng", testPassword)
	b.phone()
	b.open(page)
	if text := b.text(); !strings.Contains(text, "意见：请补充资金下达的文号。") || !strings.Contains(text, "继续修改第1版（已退回）") {
		t.Errorf("the unit's page after the return says:\n%s", text)
	}
	narrow("the returned report")
	// R7: on the phone, a refused submission shows its message at once, where the eye is, and
	// the address is the duty page's again (reload and the switcher read the page).
	b.do("a wrong percent", fill(`input[name="percent"]`, "六十"))
	if status := b.submit("submit the wrong percent", chromedp.Click(chromedp.CSS(`button[value="submit"]`))); status != http.StatusUnprocessableEntity {
		t.Errorf("a wrong percent = %d, want 422", status)
	}
	if p := b.path(); p != page {
		t.Errorf("after a refusal the address is %s, want %s", p, page)
	}
	if !eval[bool](b, `(function () { var r = document.getElementById("report-error").getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()`) {
		t.Errorf("the refusal is not on screen at once")
	}
	b.shot("report-refused-phone")
	b.do("clear the percent", clearField(`input[name="percent"]`))
	b.do("correct the report", fill(`textarea[name="text"]`, "门财〔2021〕12号下达帮扶资金 1200 万元。"))
	status = b.submit("resubmit", chromedp.Click(chromedp.CSS(`button[value="submit"]`)))
	if text := b.text(); status != 200 || !strings.Contains(text, "第2版 报送") {
		t.Fatalf("after resubmitting (%d) the page says:\n%s", status, text)
	}
	b.shot("report-history-phone")

	b.desktop()
	b.signIn("office", testPassword)
	b.open(page)
	b.submit("accept", chromedp.Click(chromedp.CSS(`form.review button[value="accept"]`)))
	status = b.submit("close the duty", chromedp.Click(chromedp.CSS(`form[action$="/close"] button[type="submit"]`)))
	text := b.text()
	if status != 200 || !strings.Contains(text, "已销号") {
		t.Fatalf("after 销号 (%d) the page says:\n%s", status, text)
	}
	for _, step := range []string{"第1版 报送", "第1版 退回", "意见：请补充资金下达的文号。", "第2版 报送", "第2版 审核通过", "销号"} {
		if !strings.Contains(text, step) {
			t.Errorf("the history lacks %q:\n%s", step, text)
		}
	}
	b.shot("report-closed")
}
