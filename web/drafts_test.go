package web

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// draftYear writes the demo's facts on the 2021 plan up to today: steps, money, a half year of
// reports and a year of registers.
func draftYear(t *testing.T, e *env, today time.Time) {
	t.Helper()
	*e.clock = today
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	users := map[string]string{"领导小组办公室": "office", "区财政局": "caizheng", "区人力社保局": "renshe", "前方挂职干部": "wuchuan"}
	if _, err := gen.WriteLife(ctx, e.db, gen.Life{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: users}); err != nil {
		t.Fatalf("WriteLife = %v", err)
	}
	if _, err := gen.WriteFunds(ctx, e.db, gen.FundsDemo{District: "门头沟区", Year: 2021, Today: today, Seed: 1, By: "office"}); err != nil {
		t.Fatalf("WriteFunds = %v", err)
	}
	if _, err := gen.WriteHalfYear(ctx, e.db, gen.HalfYear{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: users}); err != nil {
		t.Fatalf("WriteHalfYear = %v", err)
	}
	plan, err := e.db.LoadPlan(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteRegisters(ctx, e.db, "门头沟区", gen.RegisterYear(plan, xiezuo.DayOf(today), 1)); err != nil {
		t.Fatalf("WriteRegisters = %v", err)
	}
}

var textareaRE = regexp.MustCompile(`(?s)<textarea name="(b\d+)"[^>]*>(.*?)</textarea>`)

// draftForm is the page's form as a browser would send it.
func draftForm(t *testing.T, body string) url.Values {
	t.Helper()
	f := url.Values{}
	for _, m := range textareaRE.FindAllStringSubmatch(body, -1) {
		f.Set(m[1], html.UnescapeString(m[2]))
	}
	m := regexp.MustCompile(`name="sum" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil || len(f) == 0 {
		t.Fatalf("the drafts page has no form:\n%s", excerpt(body))
	}
	f.Set("sum", m[1])
	return f
}

// TestDraftsPage: the office opens the half-year summary drafted from the data, whose figures
// are the scorecard's and the ledger's for 30 June; edits and saves it twice (versions kept and
// listed, the old one unchanged); a save against a changed base is refused; others get 403.
func TestDraftsPage(t *testing.T) {
	e := newEnv(t)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	draftYear(t, e, today)
	office := e.signIn("office")
	q := plan2021 + "&draft=summary&period=h1"
	r := office.get("/drafts" + q)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /drafts = %d:\n%s", r.StatusCode, excerpt(r.body))
	}
	for _, want := range []string{"门头沟区2021年上半年支援合作工作总结", "数据截至 2021-06-30", "存在的问题", "下一步工作打算", "【待办公室填写】", "<svg", "还没有保存过"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the drafts page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "style=") {
		t.Error("the drafts page has an inline style (the CSP forbids them)")
	}
	// Printing: a print-only copy of the draft holds its text (the form is not printed).
	if i := strings.Index(r.body, `<article class="draft-print" hidden`); i < 0 || !strings.Contains(r.body[i:], "存在的问题") || !strings.Contains(r.body[i:], "</table>") {
		t.Error("the drafts page has no print-only copy of the draft with its headings and tables")
	}
	if !strings.Contains(r.body, "筛选：期间：上半年") || !strings.Contains(r.body, "数据截至：2021-06-30") {
		t.Errorf("the print head does not say 期间：上半年 and the draft's day 2021-06-30:\n%s", excerpt(r.body[strings.Index(r.body, "print-head"):]))
	}
	// The figures are the scorecard's and the ledger's for the end of 30 June.
	ctx := t.Context()
	day := xiezuo.NewDate(2021, 6, 30)
	set, err := e.db.IndicatorSet(ctx, "门头沟区", 2021, xiezuo.EndOfDay(day))
	if err != nil {
		t.Fatal(err)
	}
	data, err := e.db.ScoreData(ctx, "门头沟区", 2021, xiezuo.EndOfDay(day))
	if err != nil {
		t.Fatal(err)
	}
	card := xiezuo.Score(set, data, day, xiezuo.ByDimension)
	page := html.UnescapeString(r.body)
	cited := 0
	for _, row := range card.Rows() {
		if strings.Contains(page, xiezuo.IndicatorProse(row)) {
			cited++
		}
	}
	if cited == 0 {
		t.Error("the summary cites no indicator")
	}
	ledger, err := e.db.PlanFundTxs(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	var alloc, disb int64
	for _, txs := range ledger {
		f := xiezuo.FundsAt(txs, day)
		alloc, disb = alloc+f.Allocated, disb+f.Disbursed
	}
	if alloc == 0 || !strings.Contains(page, "<td>合计</td><td>") || !strings.Contains(page, "<td>"+xiezuo.DraftWan(alloc)+"</td><td>"+xiezuo.DraftWan(disb)+"</td>") {
		t.Errorf("the money table's 合计 is not allocated %s, disbursed %s", xiezuo.FormatWan(alloc), xiezuo.FormatWan(disb))
	}

	// Save an edit: version 1.
	form := draftForm(t, r.body)
	form.Set("b0", "办公室改写的开头一段。")
	s := office.post("/drafts"+q, form)
	if s.StatusCode != http.StatusSeeOther || !strings.Contains(s.Header.Get("Location"), "version=1") {
		t.Fatalf("POST /drafts = %d %s, want 303 to version 1:\n%s", s.StatusCode, s.Header.Get("Location"), excerpt(s.body))
	}
	v1 := office.get(s.Header.Get("Location"))
	if !strings.Contains(v1.body, "办公室改写的开头一段。") || !strings.Contains(v1.body, "第 1 版</strong>：王办公（领导小组办公室）") {
		t.Errorf("version 1 does not show the edit or who saved it:\n%s", excerpt(v1.body))
	}
	if want := "已保存为第 1 版（2021年9月15日保存，数据截至2021年6月30日）"; !strings.Contains(v1.body, want) {
		t.Errorf("the save message is not %q", want)
	}
	if !strings.Contains(v1.body, "还有 1 处待填写") {
		t.Errorf("the page does not warn that 【待办公室填写】 remains before download")
	}
	// Version 2 from version 1, a paragraph emptied (dropped).
	form = draftForm(t, v1.body)
	form.Set("b0", "第二版的开头。")
	s = office.post("/drafts"+q+"&version=1", form)
	if s.StatusCode != http.StatusSeeOther || !strings.Contains(s.Header.Get("Location"), "version=2") {
		t.Fatalf("second POST /drafts = %d %s", s.StatusCode, s.Header.Get("Location"))
	}
	v2 := office.get(s.Header.Get("Location"))
	if !strings.Contains(v2.body, "第二版的开头。") || !strings.Contains(v2.body, ">第 1 版</a>") || !strings.Contains(v2.body, ">第 2 版</a>") {
		t.Errorf("version 2 lacks its edit or the list of versions")
	}
	// The tab (no version, no day) opens the latest saved version; 「按最新数据重新生成」 says it
	// starts a new draft and keeps the versions, and opens the generated one.
	tab := office.get("/drafts" + q)
	if !strings.Contains(tab.body, "第二版的开头。") || !strings.Contains(tab.body, "<strong>第 2 版</strong>") {
		t.Errorf("the tab does not open the latest saved version (2):\n%s", excerpt(tab.body))
	}
	m := regexp.MustCompile(`<a href="([^"]*fresh=1[^"]*)">按最新数据重新生成</a>`).FindStringSubmatch(tab.body)
	if m == nil || !strings.Contains(tab.body, "已保存的各版都保留") {
		t.Fatalf("the page lacks 「按最新数据重新生成」 with fresh=1 and its note")
	}
	if fresh := office.get(html.UnescapeString(m[1])); !strings.Contains(fresh.body, "按数据生成的新稿") || strings.Contains(fresh.body, "第二版的开头。") {
		t.Errorf("「按最新数据重新生成」 does not open a fresh draft")
	}
	if again := office.get("/drafts" + q + "&version=1"); !strings.Contains(again.body, "办公室改写的开头一段。") {
		t.Error("version 1 changed after version 2 was saved")
	}
	// A save against another base: refused, nothing stored.
	form.Set("sum", "000000000000000000000000")
	if s := office.post("/drafts"+q+"&version=1", form); s.StatusCode != http.StatusConflict {
		t.Errorf("POST with a stale base = %d, want 409", s.StatusCode)
	}
	vs, err := e.db.DraftVersions(ctx, sqldb.DraftKey{District: "门头沟区", Year: 2021, Kind: xiezuo.DraftSummary, Period: xiezuo.DraftH1})
	if err != nil || len(vs) != 2 {
		t.Errorf("DraftVersions = %d, %v; want 2", len(vs), err)
	}
	// Bad input: a clear message, not a 500.
	for _, bad := range []string{"&draft=report", "&period=h3", "&as_of=2021-13-01", "&version=x", "&format=doc", "&as_of=2022-01-01"} {
		if r := office.get("/drafts" + plan2021 + bad); r.StatusCode != http.StatusBadRequest && r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("GET /drafts%s = %d, want 400 or 422", bad, r.StatusCode)
		}
	}
	if r := office.get("/drafts" + q + "&version=9"); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET version 9 = %d, want 404", r.StatusCode)
	}
	// Only the office.
	for _, user := range []string{"caizheng", "leader", "wuchuan"} {
		c := e.signIn(user)
		if r := c.get("/drafts" + q); r.StatusCode != http.StatusForbidden {
			t.Errorf("GET /drafts as %s = %d, want 403", user, r.StatusCode)
		}
		if r := c.post("/drafts"+q, form); r.StatusCode != http.StatusForbidden {
			t.Errorf("POST /drafts as %s = %d, want 403", user, r.StatusCode)
		}
	}
}

// TestDraftsAssessmentDownloads: the self-assessment's page, workbook and evidence bundle say
// the scorecard's figures for the same day.
func TestDraftsAssessmentDownloads(t *testing.T) {
	e := newEnv(t)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	draftYear(t, e, today)
	office := e.signIn("office")
	ctx := t.Context()
	day := xiezuo.DayOf(today)
	set, err := e.db.IndicatorSet(ctx, "门头沟区", 2021, today)
	if err != nil {
		t.Fatal(err)
	}
	data, err := e.db.ScoreData(ctx, "门头沟区", 2021, today)
	if err != nil {
		t.Fatal(err)
	}
	rows := xiezuo.AssessmentRows(xiezuo.Score(set, data, day, xiezuo.ByDimension))
	r := office.get("/drafts" + plan2021 + "&draft=assessment")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "门头沟区2021年支援合作工作考核自评报告") {
		t.Fatalf("GET assessment = %d", r.StatusCode)
	}
	page := html.UnescapeString(r.body)
	for _, row := range rows {
		if !strings.Contains(page, "<td>"+row.Value+"</td><td>"+row.Light+"</td>") {
			t.Errorf("the assessment lacks %s: %s %s", row.Code, row.Value, row.Light)
		}
	}
	// The workbook.
	x := office.get("/drafts" + plan2021 + "&draft=assessment&as_of=2021-09-15&format=xlsx")
	if x.StatusCode != http.StatusOK || !strings.Contains(x.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("xlsx = %d %q", x.StatusCode, x.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.GetRows(xlsx.AssessmentSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows)+2 {
		t.Fatalf("自评表 has %d rows, want %d + 2", len(got), len(rows))
	}
	for i, row := range rows {
		if g := got[i+2]; g[2] != row.Name || g[5] != row.Value || g[6] != row.Light {
			t.Errorf("自评表 row %d = %q, want %s %s %s", i+3, g, row.Name, row.Value, row.Light)
		}
	}
	if l, _ := f.GetRows(xlsx.ListSheet); len(l) < 3 {
		t.Errorf("佐证清单 has %d rows", len(l))
	}
	// The bundle.
	z := office.get("/drafts" + plan2021 + "&draft=assessment&as_of=2021-09-15&format=zip")
	if z.StatusCode != http.StatusOK {
		t.Fatalf("zip = %d", z.StatusCode)
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(z.body)), int64(len(z.body)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "清单.xlsx" {
		t.Errorf("first file %q, want 清单.xlsx", zr.File[0].Name)
	}
	folders := map[string]bool{}
	named := 0
	for _, zf := range zr.File {
		if strings.HasSuffix(zf.Name, ".txt") {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if strings.Contains(string(b), "登记人：office") {
				t.Errorf("%s names the login: 登记人：office", zf.Name)
			}
			if strings.Contains(string(b), "登记人：王办公（领导小组办公室）") {
				named++
			}
		}
		if zf.Flags&0x800 == 0 {
			t.Errorf("%s: no UTF-8 flag", zf.Name)
		}
		if dir, _, ok := strings.Cut(zf.Name, "/"); ok {
			folders[dir] = true
		}
	}
	if len(folders) != len(rows) || !folders[rows[0].Folder()] {
		t.Errorf("%d folders, want one per indicator (%d), first %s", len(folders), len(rows), rows[0].Folder())
	}
	if named == 0 {
		t.Error("no .txt of the bundle says who recorded the entry by name and unit")
	}
	if r := office.get("/drafts" + plan2021 + "&draft=summary&format=zip"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("zip of a summary = %d, want 400", r.StatusCode)
	}
}

// TestDraftsWordPDF downloads the drafts as Word and PDF.
func TestDraftsWordPDF(t *testing.T) {
	e := newEnv(t)
	draftYear(t, e, time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai))
	office := e.signIn("office")
	for _, c := range []struct{ q, magic, ext string }{
		{"&draft=summary&period=h1&format=docx", "PK", ".docx"},
		{"&draft=summary&period=h1&format=pdf", "%PDF", ".pdf"},
		{"&draft=assessment&format=docx", "PK", ".docx"},
		{"&draft=assessment&format=pdf", "%PDF", ".pdf"},
	} {
		r := office.get("/drafts" + plan2021 + c.q)
		cd := r.Header.Get("Content-Disposition")
		if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.body, c.magic) || !strings.Contains(cd, "filename*=UTF-8''") || !strings.Contains(cd, url.PathEscape(c.ext)) ||
			!strings.Contains(cd, `filename="门头沟区2021年`) || strings.Contains(cd, "draft") {
			t.Errorf("GET %s = %d, %q, starts %q", c.q, r.StatusCode, cd, r.body[:min(8, len(r.body))])
		}
	}
}

// TestDraftsAsOfToday: the draft as of today counts the entries dated today, as /funds does,
// even when the clock is earlier in the day than the time they were recorded (the demo's
// facts are recorded at 10:00; the reviewer looked before that).
func TestDraftsAsOfToday(t *testing.T) {
	e := newEnv(t)
	draftYear(t, e, time.Date(2021, 9, 15, 18, 0, 0, 0, shanghai))
	*e.clock = time.Date(2021, 9, 15, 8, 0, 0, 0, shanghai)
	day := xiezuo.NewDate(2021, 9, 15)
	ledger, err := e.db.PlanFundTxs(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	var alloc, disb, spent int64
	onDay := 0
	for _, txs := range ledger {
		for _, tx := range txs {
			if tx.On == day {
				onDay++
			}
		}
		f := xiezuo.FundsAt(txs, day)
		alloc, disb, spent = alloc+f.Allocated, disb+f.Disbursed, spent+f.Spent
	}
	if onDay == 0 {
		t.Fatal("the demo ledger has no entry dated 2021-09-15: the test would prove nothing")
	}
	office := e.signIn("office")
	r := office.get("/drafts" + plan2021 + "&draft=summary&period=year")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /drafts = %d:\n%s", r.StatusCode, excerpt(r.body))
	}
	page := html.UnescapeString(r.body)
	if want := "<td>" + xiezuo.DraftWan(alloc) + "</td><td>" + xiezuo.DraftWan(disb) + "</td><td>" + xiezuo.DraftWan(spent) + "</td>"; !strings.Contains(page, want) {
		t.Errorf("the money table's 合计 is not the ledger's for 2021-09-15 (%d entries that day): want %s", onDay, want)
	}
	funds := office.get("/funds" + plan2021 + "&as_of=2021-09-15")
	if funds.StatusCode != http.StatusOK || !strings.Contains(funds.body, xiezuo.FormatWan(disb)) {
		t.Errorf("/funds for 2021-09-15 does not show disbursed %s", xiezuo.FormatWan(disb))
	}
}
