package web

import (
	"context"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

// The browser tests drive Debian's headless Chromium against newEnv's server, as a person
// would: typing into forms, clicking buttons, uploading files. They run with `go test ./web`;
// `go test ./web -run Browser -screenshots` also writes the pictures of docs/screenshots.

var screenshots = flag.Bool("screenshots", false, "write the browser tests' screenshots to docs/screenshots")

// chromiumPath is where Debian's chromium package puts the browser (.ci/run installs it).
const chromiumPath = "/usr/bin/chromium"

// browserTimeout bounds each browser test, browser start included.
const browserTimeout = 60 * time.Second

// Screen sizes of the screenshots: an office PC and a cadre's phone.
const (
	desktopWidth, desktopHeight = 1366, 768
	phoneWidth, phoneHeight     = 390, 844
	// shotMaxHeight cuts very long pages so that a picture stays a few hundred kilobytes.
	shotMaxHeight = 2000
)

// browser is one headless Chromium with one tab, at the desktop size.
type browser struct {
	t   *testing.T
	e   *env
	ctx context.Context
}

// newBrowser starts Chromium for a test. Without a browser the test is skipped, unless CI is
// set: there a missing browser is a failure, since .ci/run installs it.
func newBrowser(t *testing.T, e *env) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no browser at %s (apt-get install chromium fonts-wqy-zenhei); CI makes this a failure", chromiumPath)
		}
		t.Fatalf("CI is set and there is no browser at %s: %v", chromiumPath, err)
	}
	// The profile folder is made first so that it is removed last, after the browser has
	// exited (cleanups run in reverse order).
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), browserTimeout)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"), // Accept-Language; the controls' own words too where chromium-l10n is installed
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(desktopWidth, desktopHeight),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	b := &browser{t: t, e: e, ctx: bctx}
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(desktopWidth, desktopHeight)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

// do runs actions and fails the test on an error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page of the test server and returns its HTTP status.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.e.ts.URL+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// submit runs actions that load a new page (a click on a button, a script that submits a
// form), waits for it, and returns its HTTP status after redirects.
func (b *browser) submit(what string, actions ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return resp.Status
}

// eval evaluates a script in the page and returns its result.
func eval[T any](b *browser, script string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](script, awaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", script, err)
	}
	return v
}

func awaitPromise(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }

// text is what the page's main part shows, as a person reads it.
func (b *browser) text() string {
	b.t.Helper()
	return eval[string](b, `document.querySelector("main").innerText`)
}

// path is the path and query of the page shown, decoded.
func (b *browser) path() string {
	b.t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatal(err)
	}
	if u.RawQuery == "" {
		return u.Path
	}
	q, _ := url.QueryUnescape(u.RawQuery)
	return u.Path + "?" + q
}

// present reports whether a CSS selector matches an element of the page, without waiting.
func (b *browser) present(css string) bool {
	b.t.Helper()
	return eval[bool](b, `document.querySelector(`+strconv.Quote(css)+`) !== null`)
}

// fill replaces the value of a form field by typing.
func fill(css, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(clearField(css), chromedp.SendKeys(chromedp.CSS(css), value))
}

// clearField empties a form field, firing no event. (chromedp.SetValue cannot set "": the
// empty argument reaches the page as undefined.)
func clearField(css string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.querySelector(` + strconv.Quote(css) + `).value = ""`)
}

// signIn signs a user in through the form, as a person would, from a browser with no session.
func (b *browser) signIn(username, password string) int64 {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		b.t.Fatal(err)
	}
	if status := b.open("/signin"); status != 200 {
		b.t.Fatalf("GET /signin = %d", status)
	}
	return b.typeSignIn(username, password)
}

// typeSignIn fills the sign-in form shown and clicks 登录.
func (b *browser) typeSignIn(username, password string) int64 {
	b.t.Helper()
	return b.submit("sign in as "+username,
		fill(`input[name="username"]`, username),
		fill(`input[name="password"]`, password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type="submit"]`)),
	)
}

// phone switches to a phone's screen; desktop switches back.
func (b *browser) phone() {
	b.t.Helper()
	b.do("phone size", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
}

func (b *browser) desktop() {
	b.t.Helper()
	b.do("desktop size", chromedp.EmulateViewport(desktopWidth, desktopHeight))
}

// shot writes docs/screenshots/name.png when the tests run with -screenshots: the page at the
// current screen's width, down to its end or shotMaxHeight.
func (b *browser) shot(name string) {
	b.t.Helper()
	if !*screenshots {
		return
	}
	png, err := chromedp.Run(b.ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, t, cdppage.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		w, h := float64(m.CSSLayoutViewport.ClientWidth), min(m.CSSContentSize.Height, shotMaxHeight)
		res, err := cdp.Call(ctx, t, cdppage.CaptureScreenshot, cdppage.CaptureScreenshotParams{
			Format:                cdppage.CaptureScreenshotFormatPng,
			Clip:                  &cdppage.Viewport{Width: w, Height: h, Scale: 1},
			CaptureBeyondViewport: new(true),
			FromSurface:           new(true),
		})
		return res.Data, err
	})
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// plan2021 is the query that chooses the 2021 plan newEnv imports.
var plan2021 = "?year=2021&district=" + url.QueryEscape("门头沟区")

// figure is the number shown on the office's home page in the card labelled label.
func (b *browser) figure(label string) string {
	b.t.Helper()
	return eval[string](b, `(() => {
		for (const c of document.querySelectorAll(".grid .card")) {
			const f = c.querySelector(".figure");
			if (f && c.innerText.trim().endsWith(`+strconv.Quote(label)+`)) return f.innerText.trim();
		}
		return "";
	})()`)
}

// TestBrowserSignIn: a unit and the office sign in through the form and each sees its home.
func TestBrowserSignIn(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)

	if status := b.open("/"); status != 200 || !strings.HasPrefix(b.path(), "/signin") {
		t.Fatalf("GET / signed out shows %s (%d), want the sign-in page", b.path(), status)
	}
	b.shot("signin")

	if status := b.typeSignIn("caizheng", testPassword); status != 200 || b.path() != "/" {
		t.Fatalf("unit sign-in lands on %s (%d), want / with 200", b.path(), status)
	}
	text := b.text()
	for _, want := range []string{"我的职责", "区财政局", "消费帮扶", "资金项目"} {
		if !strings.Contains(text, want) {
			t.Errorf("unit home lacks %q:\n%s", want, text)
		}
	}
	// Every task of the 2021 plan that names 区财政局 is in the duties table, and no other.
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, task := range plan.Tasks {
		if xiezuo.UnitRole(task.Units, xiezuo.DutyRef{Kind: xiezuo.DutyTask, Number: task.Number}, "区财政局", xiezuo.Groups{}) != xiezuo.DutyNone {
			want = append(want, task.Category)
		}
	}
	got := eval[[]string](b, `[...document.querySelectorAll("main table tbody tr")].filter(r => r.querySelector('td[data-label="任务类别"]')).map(r => r.querySelector('td[data-label="任务类别"]').innerText.trim())`)
	if len(want) < 2 {
		t.Errorf("the 2021 plan names 区财政局 in %d tasks, want 消费帮扶 and 资金项目 at least", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unit home's task categories (-plan +page):\n%s", diff)
	}
	b.shot("home-unit")
	b.phone()
	b.shot("home-unit-phone")
	b.desktop()

	if status := b.signIn("office", testPassword); status != 200 || b.path() != "/" {
		t.Fatalf("office sign-in lands on %s (%d)", b.path(), status)
	}
	text = b.text()
	if strings.Contains(text, "我的职责") {
		t.Errorf("office home shows a unit's duties")
	}
	if got := b.figure("区级帮扶资金"); got != "560.5 万元" {
		t.Errorf("office home: 区级帮扶资金 = %q, want 560.5 万元", got)
	}
	for _, region := range []string{"内蒙古武川县", "西藏拉萨堆龙德庆区", "神农架林区"} {
		if !strings.Contains(text, region) {
			t.Errorf("office home lacks the region %s", region)
		}
	}
	b.shot("home-office")
}

// TestBrowserLockout: five wrong passwords lock the account, and the right one is then refused.
func TestBrowserLockout(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	b.open("/signin")
	for i := 1; i <= 4; i++ {
		status := b.typeSignIn("caizheng", "Wrong#password1")
		if text := b.text(); status != 401 || !strings.Contains(text, "用户名或密码错误") {
			t.Fatalf("wrong password #%d = %d, page says:\n%s", i, status, text)
		}
		// The form keeps the name typed, so a person only retypes the password.
		if v := eval[string](b, `document.querySelector('input[name="username"]').value`); v != "caizheng" {
			t.Errorf("after a wrong password the name field holds %q", v)
		}
	}
	status := b.typeSignIn("caizheng", "Wrong#password1")
	if text := b.text(); status != 401 || !strings.Contains(text, "连续输错 5 次账号将锁定 30 分钟") {
		t.Fatalf("5th wrong password = %d, page says:\n%s", status, text)
	}
	if a, _ := e.db.AccountByUsername(t.Context(), "caizheng"); !a.Locked(*e.clock) {
		t.Fatalf("not locked after 5 wrong passwords: %+v", a)
	}
	// The right password gets the same answer while locked: it confirms no guess.
	status = b.typeSignIn("caizheng", testPassword)
	if text := b.text(); status != 401 || !strings.Contains(text, "如已锁定") || b.path() != "/signin" {
		t.Fatalf("right password while locked = %d at %s, page says:\n%s", status, b.path(), text)
	}
	if status := b.open("/"); !strings.HasPrefix(b.path(), "/signin") {
		t.Errorf("after the refused sign-in GET / shows %s (%d), want the sign-in page", b.path(), status)
	}
}

// TestBrowserUnitEditsOnlyItsOwn: 区财政局 sees 区教委's page without the contact form, and a
// POST made from inside its page anyway is refused with 403; on its own page it saves.
func TestBrowserUnitEditsOnlyItsOwn(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	b.signIn("caizheng", testPassword)

	other := "/units/" + url.PathEscape("区教委")
	if status := b.open(other + plan2021); status != 200 {
		t.Fatalf("GET another unit's page = %d", status)
	}
	if b.present(`form[action*="/contact"]`) || strings.Contains(b.text(), "保存联系人") {
		t.Errorf("another unit's page shows the contact form")
	}
	// A fetch with the page's own CSRF token: only the permission check can refuse it.
	type answer struct {
		Status int    `json:"status"`
		Body   string `json:"body"`
	}
	fetched := eval[answer](b, `(async () => {
		const body = new URLSearchParams({csrf: document.querySelector('input[name="csrf"]').value, name: "张三", phone: "13812341234"});
		const r = await fetch(`+strconv.Quote(other+"/contact"+plan2021)+`, {method: "POST", body});
		return {status: r.status, body: await r.text()};
	})()`)
	// The refusal is the permission check's, not the CSRF check's.
	if fetched.Status != 403 || !strings.Contains(fetched.Body, "只能修改本单位的联系人") {
		t.Errorf("fetch POST to another unit's contact = %d %s, want 403 只能修改本单位的联系人", fetched.Status, excerpt(fetched.Body))
	}
	// A form built by script and submitted as a browser would.
	status := int(b.submit("submit a crafted form", chromedp.Evaluate[chromedp.Void](`(() => {
		const f = document.createElement("form");
		f.method = "post";
		f.action = `+strconv.Quote(other+"/contact"+plan2021)+`;
		for (const [k, v] of [["csrf", document.querySelector('input[name="csrf"]').value], ["name", "张三"], ["phone", "13812341234"]]) {
			const i = document.createElement("input");
			i.type = "hidden"; i.name = k; i.value = v;
			f.appendChild(i);
		}
		document.body.appendChild(f);
		f.submit();
	})()`)))
	if text := b.text(); status != 403 || !strings.Contains(text, "只能修改本单位的联系人") {
		t.Errorf("crafted form to another unit's contact = %d, page says:\n%s", status, text)
	}
	b.open(other + plan2021)
	if text := b.text(); !strings.Contains(text, "尚未登记联系人") || strings.Contains(text, "张三") {
		t.Errorf("another unit's contact changed by refused POSTs:\n%s", text)
	}

	own := "/units/" + url.PathEscape("区财政局")
	b.open(own + plan2021)
	if !b.present(`form[action*="/contact"] input[name="phone"]`) {
		t.Fatalf("own unit page lacks the contact form:\n%s", b.text())
	}
	status = int(b.submit("save the contact",
		fill(`form[action*="/contact"] input[name="name"]`, "张三"),
		fill(`form[action*="/contact"] input[name="phone"]`, "138 1234 1234"),
		chromedp.Click(chromedp.CSS(`form[action*="/contact"] button[type="submit"]`)),
	))
	text := b.text()
	if status != 200 || !strings.Contains(text, "联系人已保存") || !strings.Contains(text, "张三") || !strings.Contains(text, "138****1234") {
		t.Errorf("save own contact = %d, page says:\n%s", status, text)
	}
	if strings.Contains(text, "13812341234") {
		t.Errorf("own unit page shows the phone unmasked")
	}
	b.shot("unit")
}

// TestBrowserImport: the office uploads a plan with errors and sees each at its line with
// nothing imported; then a corrected plan, its differences, confirms, and sees the new total.
func TestBrowserImport(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	b.signIn("office", testPassword)

	const row = "武川县乡村振兴加工车间援建项目\t新建\t扶持农村专业合作社和小型加工车间3个,以支持其扩大生产带动村民尤其是脱贫人口增收。\t"
	plan := string(sample.Plan2021)
	if !strings.Contains(plan, row+"30\t30\t") {
		t.Fatal("the 2021 sample no longer holds the project this test changes")
	}
	// The district fund made larger than the total investment: 31 > 30.
	bad := []byte(strings.Replace(plan, row+"30\t30\t", row+"30\t31\t", 1))
	// Corrected: the project grows to 40, and so do its subtotals.
	good := strings.Replace(plan, row+"30\t30\t", row+"40\t40\t", 1)
	good = strings.Replace(good, "内蒙古武川县(10个)\t\t\t\t322.5\t322.5\t", "内蒙古武川县(10个)\t\t\t\t332.5\t332.5\t", 1)
	good = strings.Replace(good, "1.产业合作类(4个)\t\t\t\t130\t130\t", "1.产业合作类(4个)\t\t\t\t140\t140\t", 1)
	dir := t.TempDir()
	badPath, goodPath := filepath.Join(dir, "2021-plan-errors.md"), filepath.Join(dir, "2021-plan.md")
	if err := os.WriteFile(badPath, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goodPath, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := plandoc.Parse(filepath.Base(badPath), bad)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]string
	fundError := false
	for _, p := range res.Errors {
		want = append(want, []string{"第" + strconv.Itoa(p.Line) + "行", p.Message})
		fundError = fundError || strings.Contains(p.Message, "大于项目总投资")
	}
	if !fundError {
		t.Fatalf("plandoc finds no error in the changed plan: %v", res.Errors)
	}

	upload := func(path string) int64 {
		t.Helper()
		b.open("/import" + plan2021)
		return b.submit("upload "+filepath.Base(path),
			chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"][name="file"]`), []string{path}),
			chromedp.Click(chromedp.CSS(`form[action="/import"] button[type="submit"]`)),
		)
	}
	status := upload(badPath)
	got := eval[[][]string](b, `[...document.querySelectorAll("tr.problem-error")].map(r => [...r.cells].map(c => c.innerText.trim()))`)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors shown (-plandoc +page):\n%s", diff)
	}
	text := b.text()
	if status != 422 || !regexp.MustCompile(`未导入|没有导入`).MatchString(text) || strings.Contains(text, "确认导入") {
		t.Errorf("upload with errors = %d, page says:\n%s", status, text)
	}
	b.shot("import-errors")
	b.open("/" + plan2021)
	if got := b.figure("区级帮扶资金"); got != "560.5 万元" {
		t.Errorf("after the refused upload 区级帮扶资金 = %q, want 560.5 万元 unchanged", got)
	}

	if status := upload(goodPath); status != 200 {
		t.Fatalf("upload corrected plan = %d:\n%s", status, b.text())
	}
	changes := eval[[]string](b, `[...document.querySelectorAll("ul.changes li")].map(li => li.innerText)`)
	found := false
	for _, c := range changes {
		found = found || strings.Contains(c, "武川县乡村振兴加工车间援建项目") && strings.Contains(c, "30 → 40")
	}
	if !found {
		t.Errorf("differences shown lack the project's 30 → 40: %q", changes)
	}
	if !b.present(`form[action="/import/confirm"] button[type="submit"]`) {
		t.Fatalf("no 确认导入 button:\n%s", b.text())
	}
	b.shot("import-diff")
	status = b.submit("confirm the import", chromedp.Click(chromedp.CSS(`form[action="/import/confirm"] button[type="submit"]`)))
	if text := b.text(); status != 200 || b.path() == "/import" || !strings.Contains(text, "已导入2021年门头沟区的计划") {
		t.Errorf("confirm = %d at %s, page says:\n%s", status, b.path(), text)
	}
	if got := b.figure("区级帮扶资金"); got != "570.5 万元" {
		t.Errorf("home after the import: 区级帮扶资金 = %q, want 570.5 万元", got)
	}
}

// subtotalRows reads the 合计 and subtotal rows of the project table: label → 区级帮扶资金.
func (b *browser) subtotalRows() map[string]string {
	b.t.Helper()
	rows := eval[[][]string](b, `[...document.querySelectorAll("table.data tr.total, table.data tr.subtotal")].map(r => [r.cells[0].innerText.trim(), r.cells[2].innerText.trim() /* the label spans the first columns: 项目总投资, then 区级帮扶资金 */])`)
	m := map[string]string{}
	for _, r := range rows {
		m[r[0]] = r[1]
	}
	return m
}

// TestBrowserProjectTotals: the project table's 合计 and region rows, whole and filtered by the
// drop-down (which reloads the page by script) and by the 筛选 button; and printing on A4.
func TestBrowserProjectTotals(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	b.signIn("leader", testPassword)
	if status := b.open("/projects" + plan2021); status != 200 {
		t.Fatalf("GET /projects = %d", status)
	}
	rows := b.subtotalRows()
	for label, want := range map[string]string{"合计（16个）": "560.5", "内蒙古武川县（10个）": "322.5", "西藏拉萨堆龙德庆区（4个）": "168", "神农架林区（2个）": "70"} {
		if rows[label] != want {
			t.Errorf("project table row %s: 区级帮扶资金 = %q, want %q (rows %v)", label, rows[label], want, rows)
		}
	}
	// The long texts are on each project's page: a row is as tall as its short columns.
	if h := eval[int](b, `document.documentElement.scrollHeight`); h > 3000 {
		t.Errorf("at %d px the project table of 16 projects is %d px tall, want at most 3000", desktopWidth, h)
	}
	b.shot("projects")
	b.phone()
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("on a phone the project table page is %d px wide, wider than the screen's %d", w, phoneWidth)
	}
	if right := eval[int](b, `Math.ceil(document.querySelector("table.data tr.total").cells[2].getBoundingClientRect().right)`); right > phoneWidth {
		t.Errorf("on a phone the 合计's 区级帮扶资金 ends at %d px, beyond the screen's %d", right, phoneWidth)
	}
	b.shot("projects-phone")
	b.desktop()

	// Choosing a region reloads the page by script.
	b.submit("choose a region", chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.querySelector('form.filters select[name="region"]');
		s.value = "神农架林区";
		s.dispatchEvent(new Event("change"));
	})()`))
	if p := b.path(); !strings.Contains(p, "region=神农架林区") {
		t.Errorf("choosing a region shows %s", p)
	}
	rows = b.subtotalRows()
	if rows["合计（2个）"] != "70" || len(rows) != 4 { // 合计, the region, its two categories
		t.Errorf("rows filtered by 神农架林区: %v, want 合计（2个） 70 and one region", rows)
	}
	if v := eval[string](b, `document.querySelector('select[name="region"]').value`); v != "神农架林区" {
		t.Errorf("region drop-down after reload = %q", v)
	}
	// Back to every region, with the button.
	b.submit("filter with the button",
		clearField(`form.filters select[name="region"]`),
		chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)),
	)
	if rows := b.subtotalRows(); rows["合计（16个）"] != "560.5" {
		t.Errorf("after 筛选 with 全部: %v", rows)
	}
	if status := b.open("/projects" + plan2021 + "&region=" + url.QueryEscape("神农架林区")); status != 200 || b.subtotalRows()["合计（2个）"] != "70" {
		t.Errorf("?region=神农架林区: %d %v", status, b.subtotalRows())
	}

	// Printed on A4: the menu and filters are hidden, every column of 附件3 fits the page's
	// width, and the PDF is A4 landscape.
	b.open("/projects" + plan2021 + "&view=print")
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if hidden := eval[bool](b, `getComputedStyle(document.querySelector("header.top")).display === "none" && getComputedStyle(document.querySelector("form.filters")).display === "none"`); !hidden {
		t.Errorf("print style shows the menu or the filters")
	}
	b.do("A4 width", chromedp.EmulateViewport(1032, 700)) // 297 mm less app.css's 2 × 12 mm margins, at 96 dpi
	b.shot("projects-print")
	if cut := eval[[]string](b, cutColumns); len(cut) > 0 {
		t.Errorf("printed on A4 the project table loses the columns %q", cut)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	b.desktop()
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("PrintToPDF returned no PDF")
	}
	pages := regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)
	box := regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`).FindSubmatch(pdf)
	if len(pages) == 0 || box == nil {
		t.Fatalf("PDF has %d pages and media box %q", len(pages), box)
	}
	w, _ := strconv.ParseFloat(string(box[1]), 64)
	h, _ := strconv.ParseFloat(string(box[2]), 64)
	if w < 835 || w > 848 || h < 589 || h > 601 {
		t.Errorf("PDF page is %.1f × %.1f pt, want A4 landscape 841.9 × 595.3", w, h)
	}
	t.Logf("the project table prints on %d A4 pages", len(pages))
}

// cutColumns lists the headers of the page's first table that lie beyond the right edge of the
// page's main part, where they cannot be seen without scrolling, and cannot be printed.
const cutColumns = `(() => {
	const right = document.querySelector("main").getBoundingClientRect().right;
	return [...document.querySelectorAll("table.data thead th")].filter(th => th.getBoundingClientRect().right > right + 1).map(th => th.innerText.trim());
})()`

// TestBrowserPages opens the other main pages as the role that uses them, checks each shows
// its heading without an error, and takes their screenshots.
func TestBrowserPages(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	pages := []struct {
		user, path, heading, shot string
	}{
		{"office", "/plan" + plan2021, "工作要点", "plan"},
		{"office", "/plan/coverage" + plan2021, "责任覆盖", "coverage"},
		{"office", "/tasks" + plan2021, "任务清单", "tasks"},
		{"office", "/regions/" + url.PathEscape("内蒙古武川县") + plan2021, "内蒙古武川县", "region"},
		{"sysadmin", "/admin/users", "用户管理", "users"},
		{"auditor", "/admin/audit", "审计日志", "audit"},
	}
	signedIn := ""
	for _, p := range pages {
		if p.user != signedIn {
			if status := b.signIn(p.user, testPassword); status != 200 {
				t.Fatalf("sign in %s = %d", p.user, status)
			}
			signedIn = p.user
		}
		status := b.open(p.path)
		h1 := eval[string](b, `(document.querySelector("h1") || {innerText: ""}).innerText`)
		if status != 200 || !strings.Contains(h1, p.heading) {
			t.Errorf("%s as %s = %d with heading %q, want %q", p.path, p.user, status, h1, p.heading)
			continue
		}
		b.shot(p.shot)
	}
}
