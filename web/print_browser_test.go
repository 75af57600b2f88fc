package web

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// pdfInfo is what poppler's pdfinfo says of a PDF: its pages and the first page's size in points.
func pdfInfo(t *testing.T, file string) (pages int, w, h float64) {
	t.Helper()
	out, err := exec.Command("pdfinfo", file).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v\n%s", file, err, out)
	}
	if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out); m != nil {
		pages, _ = strconv.Atoi(string(m[1]))
	}
	m := regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+) pts`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s gives no page size:\n%s", file, out)
	}
	w, _ = strconv.ParseFloat(string(m[1]), 64)
	h, _ = strconv.ParseFloat(string(m[2]), 64)
	return pages, w, h
}

// pdfPageText is the text of page n of a PDF, by poppler's pdftotext, with the spaces it puts
// between characters of a table cell removed.
func pdfPageText(t *testing.T, file string, n int) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), "-raw", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext %s page %d: %v\n%s", file, n, err, out)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// TestBrowserPrintTables prints every table page of the office to PDF in Chromium, with the
// page's own CSS page size (print.css), and reads the PDFs with poppler: each page is A4 —
// landscape where the page's table opts in with print-wide, portrait otherwise; the print head
// names the page, the plan, the filter in words, the as-of date and the printing date; the menu
// and the account links are not printed; every page is numbered at its foot (第 N 页，共 M 页);
// and where the table runs over a page its header is printed again on page 2. `-screenshots` writes the first page of a few as
// docs/screenshots/print-*.png (pdftoppm -r 50).
func TestBrowserPrintTables(t *testing.T) {
	for _, tool := range []string{"pdfinfo", "pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "" {
				t.Skipf("no %s (apt-get install poppler-utils); CI makes this a failure", tool)
			}
			t.Fatalf("CI is set and there is no %s", tool)
		}
	}
	e := newEnv(t)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	dashYear(t, e, today)
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	var entries []xiezuo.RegisterEntry // the registers dashYear leaves empty
	for _, en := range gen.RegisterYear(plan, xiezuo.DateOf(today), 1) {
		if en.Kind != xiezuo.RegPurchase && en.Kind != xiezuo.RegPark && en.Kind != xiezuo.RegFirm {
			entries = append(entries, en)
		}
	}
	if err := gen.WriteRegistersBy(ctx, e.db, "门头沟区", entries, nil, "office"); err != nil {
		t.Fatalf("WriteRegistersBy = %v", err)
	}
	tmpl, err := xlsx.ExampleLayoutTemplate()
	if err != nil {
		t.Fatal(err)
	}
	ti, err := xlsx.ReadLayoutTemplate(tmpl, xiezuo.LayoutProjects, "", 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	layout := xiezuo.PlatformLayout{District: "门头沟区", Name: "市级东西部协作项目表", Kind: xiezuo.LayoutProjects, FileName: "模板.xlsx", Template: tmpl, Sheet: ti.Sheet,
		HeaderFirst: ti.HeaderFirst, HeaderLast: ti.HeaderLast, DataRow: ti.DataRow, TotalRow: ti.TotalRow, Columns: ti.Columns}
	if err := e.db.SaveLayout(ctx, &layout); err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		path   string
		wide   bool
		header string // a column header of the page's table, as pdftotext reads it
		filter string // the filter in words in the print head ("" for none)
		long   bool   // the table runs over at least two pages
		shot   string
	}{
		{"/projects" + plan2021 + "&view=print", true, "项目名称", "", true, "print-projects"},
		{"/projects" + plan2021 + "&region=" + "%E5%86%85%E8%92%99%E5%8F%A4%E6%AD%A6%E5%B7%9D%E5%8E%BF", true, "项目名称", "协作地区：内蒙古武川县", false, ""},
		{"/tasks" + plan2021, true, "工作事项", "", true, ""},
		{"/supervision" + plan2021 + "&as_of=2021-08-31", true, "牵头单位", "", true, "print-supervision"},
		{"/funds" + plan2021, false, "累计拨付", "", false, ""},
		{"/scorecard" + plan2021, true, "完成值", "", true, "print-scorecard"},
		{"/registers/meetings" + plan2021, false, "会议名称", "", false, ""},
		{"/registers/trainings" + plan2021, false, "", "", false, ""},
		{"/notices" + plan2021, true, "承办单位", "", false, ""},
		{"/assets" + plan2021, true, "", "", false, ""},
		// The rules' table ends on page 1; the projects' tables under it run over and repeat their header.
		{"/watch" + plan2021, false, "协作地区", "", false, ""},
		{"/todo" + plan2021, false, "", "", false, ""},
		{"/layouts" + plan2021, false, "每行填写", "", false, ""},
		{"/layouts/" + strconv.FormatInt(layout.ID, 10) + plan2021, false, "表头", "", false, ""},
	}
	dir := t.TempDir()
	var b *browser
	for i, p := range pages {
		if i%5 == 0 {
			// A browser of its own for every five pages: each browser's time is bounded
			// (browserTimeout), and printing takes seconds a page on a busy machine.
			b = newBrowser(t, e)
			if status := b.signIn("office", testPassword); status != 200 {
				t.Fatalf("sign in office = %d", status)
			}
		}
		if status := b.open(p.path); status != 200 {
			t.Errorf("GET %s = %d", p.path, status)
			continue
		}
		n, pdf := b.pdfPages()
		file := filepath.Join(dir, fmt.Sprintf("page%d.pdf", i))
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		count, w, h := pdfInfo(t, file)
		if count != n {
			t.Errorf("%s: pdfinfo counts %d pages, the PDF's objects %d", p.path, count, n)
		}
		portrait := w > 590 && w < 600 && h > 837 && h < 847
		landscape := h > 590 && h < 600 && w > 837 && w < 847
		switch {
		case p.wide && !landscape:
			t.Errorf("%s prints on %.0f × %.0f pt, want A4 landscape 842 × 595", p.path, w, h)
		case !p.wide && !portrait:
			t.Errorf("%s prints on %.0f × %.0f pt, want A4 portrait 595 × 842", p.path, w, h)
		}
		first := pdfPageText(t, file, 1)
		for _, want := range []string{"打印日期：2021-09-15", "门头沟区", "2021年"} {
			if !strings.Contains(first, want) {
				t.Errorf("%s: page 1 lacks %q of the print head:\n%.600s", p.path, want, first)
			}
		}
		asOf := "数据截至：2021-09-15"
		if strings.Contains(p.path, "as_of=2021-08-31") {
			asOf = "数据截至：2021-08-31"
		}
		if !strings.Contains(first, asOf) {
			t.Errorf("%s: page 1 lacks %q", p.path, asOf)
		}
		if p.filter != "" && !strings.Contains(first, "筛选："+p.filter) {
			t.Errorf("%s: page 1 lacks the filter in words %q", p.path, p.filter)
		}
		for i := 1; i <= count; i++ {
			text := first
			if i > 1 {
				text = pdfPageText(t, file, i)
			}
			if num := fmt.Sprintf("第%d页，共%d页", i, count); !strings.Contains(text, num) {
				t.Errorf("%s: page %d has no page number %q at its foot", p.path, i, num)
			}
			for _, nav := range []string{"改密码", "动态口令", "API令牌", "退出", "支援合作工作平台", "导入计划"} {
				if strings.Contains(text, nav) {
					t.Errorf("%s: page %d prints the menu's or account's %q", p.path, i, nav)
				}
			}
		}
		if p.header != "" && !strings.Contains(first, p.header) {
			t.Errorf("%s: page 1 lacks the table's header %q", p.path, p.header)
		}
		if p.long && count < 2 {
			t.Errorf("%s prints on %d page, want the table to run over 2 at least", p.path, count)
		}
		if count >= 2 && p.header != "" {
			if second := pdfPageText(t, file, 2); !strings.Contains(second, p.header) {
				t.Errorf("%s: page 2 does not repeat the table's header %q:\n%.400s", p.path, p.header, second)
			}
		}
		t.Logf("%s: %d pages of %.0f × %.0f pt", p.path, count, w, h)
		if p.shot != "" && *screenshots {
			out := filepath.Join("..", "docs", "screenshots", p.shot)
			if msg, err := exec.Command("pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", file, out).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v\n%s", err, msg)
			}
		}
	}
}
