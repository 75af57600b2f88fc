package web

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"xiezuo"
	"xiezuo/sqldb"
)

// setField sets a form field's value by script, as a date picker or a select would.
func setField(css, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.querySelector(` + strconv.Quote(css) + `).value = ` + strconv.Quote(value))
}

// pdfPages prints the page shown to PDF with its own CSS page size and counts the pages.
func (b *browser) pdfPages() (int, []byte) {
	b.t.Helper()
	pdf, err := chromedp.Run(b.ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PreferCSSPageSize: new(true), PrintBackground: new(true)})
		return res.Data, err
	})
	if err != nil {
		b.t.Fatalf("print to PDF: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		b.t.Fatalf("print to PDF gave no PDF (%d bytes)", len(pdf))
	}
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)), pdf
}

// TestBrowserNotice walks a 督办单 through a browser: the office issues it; days pass with no
// answer and it escalates to the work team's lead unit, then onto the leaders' list; the unit
// signs and answers on a phone; the office sends the answer back, the unit answers again, the
// office finishes and closes it; the printed 督办单 is one A4 page.
func TestBrowserNotice(t *testing.T) {
	e, task9 := noticeEnv(t)
	b := newBrowser(t, e)
	plan := "?year=2021&district=" + url.QueryEscape("门头沟区")

	b.signIn("office", testPassword)
	// On a phone the form fits the screen: the duty's long title in its select scrolls nothing sideways.
	b.phone()
	if status := b.open("/notices/new" + plan + "&duty=" + task9.String()); status != 200 {
		t.Fatalf("GET /notices/new on a phone = %d", status)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("on a phone /notices/new?duty=%s is %d px wide, wider than the screen's %d", task9, w, phoneWidth)
	}
	if right := eval[int](b, `Math.ceil(document.querySelector('select[name="duty"]').getBoundingClientRect().right)`); right > phoneWidth {
		t.Errorf("on a phone the duty select ends at %d px, beyond the screen's %d", right, phoneWidth)
	}
	b.shot("notice-new-phone")
	b.desktop()
	if status := b.open("/notices/new" + plan + "&duty=" + task9.String()); status != 200 {
		t.Fatalf("GET /notices/new = %d", status)
	}
	status := b.submit("issue a notice",
		setField(`select[name="unit"]`, "区财政局"),
		fill(`input[name="subject"]`, "消费帮扶采购进度滞后"),
		fill(`textarea[name="requirement"]`, "请说明本单位预算单位采购脱贫地区农副产品的进度，并提出下一步措施。"),
		setField(`input[name="reply_by"]`, "2021-09-03"),
		fill(`input[name="signer"]`, "王主任"),
		chromedp.Click(chromedp.CSS(`form.notice-form button[type="submit"]`)),
	)
	text := b.text()
	if status != 200 || !strings.Contains(text, "门督〔2021〕1号 已下发给区财政局") {
		t.Fatalf("issue = %d, page says:\n%s", status, text)
	}
	b.shot("notice-issued")
	ns, err := e.db.PlanNotices(t.Context(), "门头沟区", 2021)
	if err != nil || len(ns) != 1 {
		t.Fatalf("PlanNotices = %d, %v", len(ns), err)
	}
	id := strconv.FormatInt(ns[0].ID, 10)

	// The reply deadline passes unanswered: the team's lead unit sees it escalated to it.
	e.setDay(9, 4)
	b.signIn("shangwu", testPassword)
	b.open("/notices" + plan)
	if text := b.text(); !strings.Contains(text, "门督〔2021〕1号") || !strings.Contains(text, "已升级至专班牵头单位（消费帮扶专班）") {
		t.Errorf("team lead's list on 9-04:\n%s", text)
	}
	b.shot("notices-team-lead")
	// Three days more: on the leaders' list.
	e.setDay(9, 7)
	b.signIn("leader", testPassword)
	b.open("/notices" + plan)
	if !b.present(`#leaders`) || !strings.Contains(eval[string](b, `document.querySelector("#leaders + p + .scroll").innerText`), "门督〔2021〕1号") {
		t.Errorf("leader's page on 9-07 has no 领导关注 list with the notice:\n%s", b.text())
	}
	b.shot("notices-leaders")

	// The unit, on a phone: signs, then answers.
	b.phone()
	b.signIn("caizheng", testPassword)
	b.open("/notices" + plan)
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("the unit's list is %d px wide on a %d px phone", w, phoneWidth)
	}
	b.shot("notices-unit-phone")
	b.submit("sign", chromedp.Click(chromedp.CSS(`form[action^="/notices/`+id+`/sign"] button`)))
	if text := b.text(); !strings.Contains(text, "已签收") {
		t.Fatalf("after 签收 the page says:\n%s", text)
	}
	b.open("/notices/" + id + plan + "#answer")
	b.submit("answer",
		fill(`#answer textarea[name="text"]`, "已完成采购 60 万元，占全年计划的 60%。"),
		chromedp.Click(chromedp.CSS(`#answer button[type="submit"]`)),
	)
	if text := b.text(); !strings.Contains(text, "办理情况已反馈") {
		t.Fatalf("after 反馈 the page says:\n%s", text)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("the notice page is %d px wide on a %d px phone", w, phoneWidth)
	}
	b.shot("notice-answered-phone")

	// The office sends it back; the unit answers again; the office finishes and closes it.
	b.desktop()
	e.setDay(9, 8)
	b.signIn("office", testPassword)
	b.open("/notices/" + id + plan)
	b.submit("return", fill(`form[action^="/notices/`+id+`/return"] input[name="text"]`, "请附采购清单"),
		chromedp.Click(chromedp.CSS(`form[action^="/notices/`+id+`/return"] button`)))
	if text := b.text(); !strings.Contains(text, "已退回补充") {
		t.Fatalf("after 退回 the page says:\n%s", text)
	}
	b.signIn("caizheng", testPassword)
	b.open("/notices/" + id + plan)
	b.submit("answer again", fill(`#answer textarea[name="text"]`, "已完成采购 100 万元，采购清单见附件。"),
		chromedp.Click(chromedp.CSS(`#answer button[type="submit"]`)))
	b.signIn("office", testPassword)
	b.open("/notices/" + id + plan)
	b.submit("finish", chromedp.Click(chromedp.CSS(`form[action^="/notices/`+id+`/finish"] button`)))
	b.submit("close", chromedp.Click(chromedp.CSS(`form[action^="/notices/`+id+`/close"] button`)))
	text = b.text()
	for _, w := range []string{"已销号", "下发", "签收", "反馈", "退回补充", "办结", "销号", "请附采购清单", "（北京时间）"} {
		if !strings.Contains(text, w) {
			t.Errorf("closed notice's page lacks %q:\n%s", w, text)
		}
	}
	b.shot("notice-closed")

	// The printed 督办单: one A4 page, whatever its texts.
	b.open("/notices/" + id + plan + "&view=print")
	if text := eval[string](b, `document.body.innerText`); !strings.Contains(text, "督办通知单") || !strings.Contains(text, "李财政") {
		t.Errorf("print view says:\n%s", text)
	}
	b.shot("notice-print")
	if n, _ := b.pdfPages(); n != 1 {
		t.Errorf("the printed 督办单 has %d pages, want 1", n)
	}

	// The longest texts the forms take still print on one page, cut with a note.
	long := ns[0]
	long.Subject = strings.Repeat("督", xiezuo.MaxNoticeSubject)
	long.Requirement = strings.Repeat("要求写得很长。\n", xiezuo.MaxNoticeRequirement/8)
	long.Signer = strings.Repeat("王", xiezuo.MaxNoticeSigner)
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	n2, err := e.db.IssueNotice(ctx, long, *e.clock)
	if err != nil {
		t.Fatal(err)
	}
	unit := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "caizheng", Unit: "区财政局"})
	if _, err := e.db.SignNotice(unit, n2.ID, strings.Repeat("李", xiezuo.MaxNoticeSigner), *e.clock); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.AnswerNotice(unit, n2.ID, strings.Repeat("办理情况。", xiezuo.MaxNoticeAnswer/5), *e.clock); err != nil {
		t.Fatal(err)
	}
	b.open("/notices/" + strconv.FormatInt(n2.ID, 10) + plan + "&view=print")
	if text := eval[string](b, `document.body.innerText`); !strings.Contains(text, "全文共 5000 字") {
		t.Errorf("print view of a long answer does not say it is cut:\n%s", text)
	}
	if n, _ := b.pdfPages(); n != 1 {
		t.Errorf("the printed 督办单 with the longest texts has %d pages, want 1", n)
	}
	// The count can tell more than one page: the task list prints on several.
	b.open("/tasks" + plan)
	if n, _ := b.pdfPages(); n < 2 {
		t.Errorf("the task list prints on %d pages, want several (is the page count right?)", n)
	}
}
