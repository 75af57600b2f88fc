package web

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// printSizes is what printFontScript measures in a page laid out for print: the font size in
// points of the table cells (base), and the largest and smallest size of any text inside the
// tables, with where the largest is; and the cells of the class nowrap whose text runs over
// more than one line.
type printSizes struct {
	Base, Max, Min float64
	MaxAt          string
	Wrapped        []string
}

// printFontScript measures the tables of class data of the page as it is laid out for print
// (the caller emulates print media at the width of the printed page).
const printFontScript = `(() => {
  const pt = el => parseFloat(getComputedStyle(el).fontSize) * 0.75;
  const tables = [...document.querySelectorAll("main table.data")].filter(t => !t.parentElement.closest("table.data"));
  const cells = tables.flatMap(t => [...t.querySelectorAll(":scope > tbody > tr > td")]);
  const base = cells.length ? pt(cells[0]) : 0;
  let max = 0, min = 1000, maxAt = "";
  for (const t of tables) {
    const walk = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || el.closest("thead") || !el.getClientRects().length) continue;
      const s = pt(el);
      if (s > max) { max = s; maxAt = el.tagName.toLowerCase() + "." + el.className + " 「" + n.textContent.trim().slice(0, 20) + "」"; }
      min = Math.min(min, s);
    }
  }
  const wrapped = [];
  for (const td of document.querySelectorAll("main table.data td.nowrap")) {
    const r = document.createRange();
    r.selectNodeContents(td);
    const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
    if (lines.size > 1 && !td.querySelector("br")) wrapped.push(td.textContent.trim());
  }
  return {Base: base, Max: max, Min: min, MaxAt: maxAt, Wrapped: wrapped};
})()`

// TestBrowserPrintFonts prints /scorecard and /supervision as the office does, on the demo's
// day, and checks what the browser review found: one base size for the tables' text (10 pt),
// secondary text (a requirement under its indicator, who reported and when, a notice's state)
// smaller than it, never larger, and not under 7 pt; short columns (类别) on one line; and a page
// number 「第 N 页，共 M 页」 at the foot of every printed page, read back from the PDF with
// pdftotext. The scorecard prints its 2021 indicators on fewer pages than the 13 of the review.
func TestBrowserPrintFonts(t *testing.T) {
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "" {
				t.Skipf("no %s (apt-get install poppler-utils); CI makes this a failure", tool)
			}
			t.Fatalf("CI is set and there is no %s", tool)
		}
	}
	e := newEnv(t)
	dashYear(t, e, time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai))
	b := newBrowser(t, e)
	if status := b.signIn("office", testPassword); status != 200 {
		t.Fatalf("sign in office = %d", status)
	}
	dir := t.TempDir()
	for _, p := range []struct {
		path     string
		maxPages int
	}{
		{"/scorecard" + plan2021, 9}, // 8 before the four labour indicators of issue 12
		{"/supervision" + plan2021, 0},
	} {
		if status := b.open(p.path); status != 200 {
			t.Fatalf("GET %s = %d", p.path, status)
		}
		if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		b.do("A4 landscape width", chromedp.EmulateViewport(1032, 740)) // 297 mm less 2 × 12 mm margins, at 96 dpi
		s := eval[printSizes](b, printFontScript)
		t.Logf("%s printed: tables at %.1f pt, text from %.1f to %.1f pt (largest: %s)", p.path, s.Base, s.Min, s.Max, s.MaxAt)
		if s.Base < 9.5 || s.Base > 10.5 {
			t.Errorf("%s: the tables print at %.1f pt, want one base size of about 10 pt", p.path, s.Base)
		}
		if s.Max > s.Base+0.05 {
			t.Errorf("%s: text inside the tables prints at %.1f pt, larger than the tables' %.1f pt: %s", p.path, s.Max, s.Base, s.MaxAt)
		}
		if s.Min < 7 {
			t.Errorf("%s: text inside the tables prints at %.1f pt, under 7 pt", p.path, s.Min)
		}
		if len(s.Wrapped) > 0 {
			t.Errorf("%s: short columns wrap on paper: %q", p.path, s.Wrapped)
		}
		if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
			t.Fatal(err)
		}
		b.desktop()

		n, pdf := b.pdfPages()
		file := filepath.Join(dir, fmt.Sprintf("print%d.pdf", n))
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		count, _, _ := pdfInfo(t, file)
		t.Logf("%s prints on %d pages", p.path, count)
		if p.maxPages > 0 && count > p.maxPages {
			t.Errorf("%s prints on %d pages, want %d at most", p.path, count, p.maxPages)
		}
		for i := 1; i <= count; i++ {
			want := "第" + strconv.Itoa(i) + "页，共" + strconv.Itoa(count) + "页"
			if text := pdfPageText(t, file, i); !strings.Contains(text, want) {
				t.Errorf("%s: printed page %d has no page number %q:\n%.300s", p.path, i, want, text)
			}
		}
	}
}
