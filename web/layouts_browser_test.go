package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"xiezuo/xlsx"
)

// TestBrowserLayouts: the office uploads a city platform's template through the form, finds
// each column's field proposed in its select, corrects one, names the layout and saves it; the
// layout's page offers the export. `-screenshots` writes docs/screenshots/layout-map.png.
func TestBrowserLayouts(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	tmpl, err := xlsx.ExampleLayoutTemplate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "2021年东西部协作项目进展情况表.xlsx")
	if err := os.WriteFile(path, tmpl, 0o644); err != nil {
		t.Fatal(err)
	}
	b.signIn("office", testPassword)
	if status := b.open("/layouts" + plan2021); status != 200 {
		t.Fatalf("GET /layouts = %d", status)
	}
	status := b.submit("upload a template",
		fill(`#layout-upload input[name="name"]`, "市级东西部协作项目表"),
		chromedp.SetUploadFiles(chromedp.CSS(`#layout-upload input[type="file"]`), []string{path}),
		chromedp.Click(chromedp.CSS(`#layout-upload button[type="submit"]`)),
	)
	if status != 200 || !strings.HasPrefix(b.path(), "/layouts/new") {
		t.Fatalf("upload lands on %s (%d):\n%s", b.path(), status, b.text())
	}
	got := eval[[]string](b, `[...document.querySelectorAll('#layout-columns select')].map(s => s.name + "=" + s.value)`)
	want := "col_1=serial col_2=region col_3=name col_4=category col_5=nature col_6=total col_7=fund col_8=villages col_9=people col_10=employed col_11=status col_12=disbursed col_13=rate col_14=implementer col_15="
	if strings.Join(got, " ") != want {
		t.Errorf("proposed fields:\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > desktopWidth+1 {
		t.Logf("the mapping page is %d px wide (its preview scrolls)", w)
	}
	b.shot("layout-map")
	status = b.submit("save",
		setField(`select[name="col_15"]`, "lead"),
		chromedp.Click(chromedp.CSS(`#layout-map button[value="save"]`)),
	)
	text := b.text()
	if status != 200 || !strings.Contains(text, "已保存报表格式“市级东西部协作项目表”第1版") || !b.present(`#layout-export`) {
		t.Fatalf("save = %d:\n%s", status, text)
	}
	if !strings.Contains(text, "牵头单位") {
		t.Errorf("the layout's page does not show the corrected column O = 牵头单位:\n%s", text)
	}
	b.shot("layout")
}
