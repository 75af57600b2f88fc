package web

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"xiezuo"
)

// lifeWalkStep is one step of the browser's walk through a project's life: who records it, from
// which page (the cadres' phone page or the project page), and what it records. Steps of other
// kinds (money paid, assets) join the walk as rows of their own.
type lifeWalkStep struct {
	user  string // sign-in name
	who   string // 姓名（单位） as the page shows who recorded it
	phone bool   // from /cadre at 390 px, else from the project page on a desktop
	kind  xiezuo.StepKind
	date  string
	note  string
	photo bool // with a photo picked in the camera input
}

// TestBrowserProjectLife: the region's cadre (from the phone page) and the office (from the
// project page) walk one 2021 project from start to evaluation; after each step the project
// page shows the status and every step so far with its date and who recorded it; the phone
// page never scrolls sideways.
func TestBrowserProjectLife(t *testing.T) {
	e := newEnv(t) // today is 2021-08-28
	b := newBrowser(t, e)
	p := lifeProject(t, e, "内蒙古武川县")
	page := "/projects/" + strconv.FormatInt(p.ID, 10) + plan2021
	photo := filepath.Join(t.TempDir(), "开工现场.png")
	img := image.NewRGBA(image.Rect(0, 0, 240, 160)) // a sky over a field, to look like a site photo
	for y := range 160 {
		for x := range 240 {
			c := color.RGBA{90, 150, 220, 255}
			if y > 90 {
				c = color.RGBA{uint8(60 + x/6), 140, 50, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	if err := os.WriteFile(photo, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cadre, office := "陈干部（前方挂职干部）", "王办公（领导小组办公室）"
	walk := []lifeWalkStep{
		{"wuchuan", cadre, true, xiezuo.StepStart, "2021-05-20", "车间厂房破土动工", true},
		{"wuchuan", cadre, true, xiezuo.StepComplete, "2021-07-20", "厂房和设备安装完成", false},
		{"office", office, false, xiezuo.StepAccept, "2021-08-02", "县乡村振兴局组织竣工验收，合格", false},
		{"office", office, false, xiezuo.StepHandover, "2021-08-10", "厂房和设备移交村集体经济合作社", false},
		{"office", office, false, xiezuo.StepAftercare, "2021-08-15", "村委会落实管护责任人", false},
		{"office", office, false, xiezuo.StepEvaluate, "2021-08-27", "绩效自评：带动脱贫人口就业 40 人", false},
	}
	signedIn := ""
	for i, w := range walk {
		if signedIn != w.user {
			b.desktop()
			b.signIn(w.user, testPassword)
			signedIn = w.user
		}
		form := "form.step-form"
		if w.phone {
			b.phone()
			if status := b.open("/cadre" + plan2021); status != 200 {
				t.Fatalf("GET /cadre = %d", status)
			}
			form = "#project-" + strconv.FormatInt(p.ID, 10) + " form.step-form"
			b.do("open the form", chromedp.Click(chromedp.CSS("#project-"+strconv.FormatInt(p.ID, 10)+" details summary")))
			if !b.present(form + ` input[type="file"][accept="image/*"][capture="environment"]`) {
				t.Errorf("the phone form has no camera input")
			}
		} else {
			b.desktop()
			b.open(page)
		}
		actions := []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.CSS(form+` select[name="kind"]`), string(w.kind)),
			chromedp.SetValue(chromedp.CSS(form+` input[name="date"]`), w.date),
			fill(form+` textarea[name="note"]`, w.note),
		}
		if w.photo {
			actions = append(actions, chromedp.SetUploadFiles(chromedp.CSS(form+` input[name="evidence"]`), []string{photo}))
		}
		b.do("fill "+string(w.kind), actions...)
		if i == 0 {
			b.shot("cadre-phone")
			if wd := eval[int](b, `document.documentElement.scrollWidth`); wd > phoneWidth {
				t.Errorf("/cadre is %d px wide on a %d px phone", wd, phoneWidth)
			}
		}
		status := b.submit("record "+string(w.kind), chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)))
		if text := b.text(); status != 200 || !strings.Contains(text, "已登记“"+p.Name+"”"+w.kind.Text()) {
			t.Fatalf("after %s (%d) the page says:\n%s", w.kind, status, text)
		}
		b.desktop()
		b.open(page)
		text := eval[string](b, `document.querySelector("#life").innerText`)
		for _, done := range walk[:i+1] {
			if !strings.Contains(text, done.kind.Text()+" "+done.date) || !strings.Contains(text, done.who) || !strings.Contains(text, done.note) {
				t.Errorf("after %s the project page lacks %s %s by %s:\n%s", w.kind, done.kind.Text(), done.date, done.who, text)
			}
		}
		want := xiezuo.StatusAt([]xiezuo.ProjectStep{{Kind: xiezuo.StepStart}, {Kind: xiezuo.StepComplete}, {Kind: xiezuo.StepAccept},
			{Kind: xiezuo.StepHandover}, {Kind: xiezuo.StepAftercare}, {Kind: xiezuo.StepEvaluate}}[:i+1], xiezuo.Date{Year: 2021, Month: 8, Day: 28})
		if got := eval[string](b, `document.querySelector("#life .status").dataset.status`); got != string(want) {
			t.Errorf("after %s the status is %s, want %s", w.kind, got, want)
		}
	}
	walkMoneyAndAsset(t, b, page)
	b.open(page)
	if !b.present(`#life ul.evidence img`) {
		t.Errorf("the start's photo is not shown on the project page")
	}
	src := eval[string](b, `document.querySelector("#life ul.evidence img").getAttribute("src")`)
	if got := eval[string](b, `fetch(`+strconv.Quote(src)+`).then(r => r.status + " " + r.headers.get("Content-Type"))`); got != "200 image/png" {
		t.Errorf("GET %s from the page = %s, want 200 image/png", src, got)
	}
	b.do("load the photos", chromedp.Evaluate[chromedp.Void](`Promise.all([...document.querySelectorAll("#life ul.evidence img")].map(i => { i.loading = "eager"; return i.decode().catch(() => {}); }))`, awaitPromise))
	if b.present(`#life form.step-form`) {
		t.Errorf("an evaluated project still offers a form")
	}
	b.do("scroll to the life", chromedp.Evaluate[chromedp.Void](`document.querySelector("#life").scrollIntoView()`))
	b.shot("project-life")
	b.phone()
	b.signIn("wuchuan", testPassword)
	b.open("/cadre" + plan2021)
	if wd := eval[int](b, `document.documentElement.scrollWidth`); wd > phoneWidth {
		t.Errorf("/cadre is %d px wide on a %d px phone", wd, phoneWidth)
	}
}

// walkMoneyAndAsset records, as the office on the project page, the money of the walked
// project — an allocation entered wrong, its reversal, the allocation again and a payment —
// and the asset it leaves; the ledger, its sums and the asset list show each.
func walkMoneyAndAsset(t *testing.T, b *browser, page string) {
	t.Helper()
	b.desktop()
	b.open(page)
	openAll := chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#funds details, #reach details").forEach(d => d.open = true)`)
	money := func(kind, amount, date, note, want string) {
		t.Helper()
		f := "#funds form.stacked"
		b.do("fill "+kind+" "+amount, openAll,
			chromedp.SetValue(chromedp.CSS(f+` select[name="kind"]`), kind),
			chromedp.SetValue(chromedp.CSS(f+` select[name="source"]`), "district"),
			fill(f+` input[name="amount_yuan"]`, amount),
			chromedp.SetValue(chromedp.CSS(f+` input[name="date"]`), date),
			fill(f+` input[name="note"]`, note))
		status := b.submit("record "+kind, chromedp.Click(chromedp.CSS(f+` button[type="submit"]`)))
		if text := b.text(); status != 200 || !strings.Contains(text, want) {
			t.Fatalf("after the %s of %s 元 (%d) the page lacks %q:\n%s", kind, amount, status, want, text)
		}
	}
	money("allocation", "300000", "2021-05-10", "门扶办〔2021〕5号（金额有误）", "已登记区级帮扶资金下达 300000 元")
	row := eval[string](b, `document.querySelector("#fund-ledger tbody tr").id`)
	f := "#" + row + " form"
	b.do("fill the reversal", openAll, fill(f+` input[name="note"]`, "金额录错，冲销重录"))
	if status := b.submit("reverse", chromedp.Click(chromedp.CSS(f+` button[type="submit"]`))); status != 200 || !strings.Contains(b.text(), "已冲销记录") {
		t.Fatalf("after the reversal (%d) the page says:\n%s", status, b.text())
	}
	money("allocation", "280000", "2021-05-10", "门扶办〔2021〕5号", "已登记区级帮扶资金下达 280000 元")
	money("disbursement", "200000", "2021-06-01", "首笔拨付", "已登记区级帮扶资金拨付 200000 元")
	ledger := eval[string](b, `document.querySelector("#funds").innerText`)
	for _, want := range []string{"冲销", "28", "20", "71.43%"} {
		if !strings.Contains(ledger, want) {
			t.Errorf("the ledger lacks %q:\n%s", want, ledger)
		}
	}
	a := `#reach form[action*="/assets"]`
	b.do("fill the asset", openAll,
		chromedp.SetValue(chromedp.CSS(a+` select[name="kind"]`), "经营性资产"),
		fill(a+` input[name="name"]`, "乡村振兴加工车间厂房"),
		fill(a+` input[name="value_yuan"]`, "280000"),
		fill(a+` input[name="quantity"]`, "1"),
		fill(a+` input[name="unit"]`, "座"),
		fill(a+` input[name="owner"]`, "村股份经济合作社"),
		chromedp.SetValue(chromedp.CSS(a+` input[name="handover_on"]`), "2021-08-10"),
		fill(a+` input[name="upkeep"]`, "村委会指定专人管护，每季度巡查"))
	if status := b.submit("record the asset", chromedp.Click(chromedp.CSS(a+` button[type="submit"]`))); status != 200 {
		t.Fatalf("recording the asset answered %d", status)
	}
	if reach := eval[string](b, `document.querySelector("#reach").innerText`); !strings.Contains(reach, "乡村振兴加工车间厂房") || !strings.Contains(reach, "村股份经济合作社") || !strings.Contains(reach, "2021-08-10") {
		t.Errorf("the project page's assets lack the asset:\n%s", reach)
	}
}

// TestBrowserPhoneMenu: on a phone the header folds the menu behind 菜单, so that a page's own
// content starts near the top; the button opens it, and a wide screen shows it as before.
func TestBrowserPhoneMenu(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	b.phone()
	b.signIn("wuchuan", testPassword)
	b.open("/cadre" + plan2021)
	visible := func() bool {
		return eval[bool](b, `document.querySelector("header nav").getBoundingClientRect().height > 0`)
	}
	if top := eval[float64](b, `document.querySelector("main").getBoundingClientRect().top`); top > 120 {
		t.Errorf("on a %d px phone the page's content starts %.0f px down, want at most 120", phoneWidth, top)
	}
	if visible() {
		t.Errorf("the menu is unfolded on a phone before 菜单 is pressed")
	}
	b.do("open the menu", chromedp.Click(chromedp.CSS(`label.menu-button`)))
	if !visible() || !strings.Contains(eval[string](b, `document.querySelector("header nav").innerText`), "前方填报") {
		t.Errorf("菜单 does not open the menu")
	}
	b.desktop()
	b.open("/cadre" + plan2021)
	if !visible() || b.present(`label.menu-button:not([hidden])`) && eval[bool](b, `getComputedStyle(document.querySelector("label.menu-button")).display !== "none"`) {
		t.Errorf("on a wide screen the menu is not shown as before")
	}
}
