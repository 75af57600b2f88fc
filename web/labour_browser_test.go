package web

import (
	"bytes"
	"encoding/base64"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// lockedBuffer is a log's output written by the server's goroutines and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// willingCSV writes a willing list as an office keeps it.
func willingCSV(rows [][]string) []byte {
	var b strings.Builder
	b.WriteString("序号,姓名,身份证号码,联系电话,户籍地,是否脱贫户,技能,意向务工地,意向工种,期望月薪,可到岗时间\n")
	for i, r := range rows {
		b.WriteString(strconv.Itoa(i+1) + "," + strings.Join(r, ",") + "\n")
	}
	return []byte(b.String())
}

// waitImport waits on the progress page (which reloads itself each second) for the result.
func (b *browser) waitImport() string {
	b.t.Helper()
	for range 150 {
		done, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector("#labour-result") !== null`))
		if err == nil && done {
			return b.text()
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.t.Fatalf("the import did not end: %s", b.text())
	return ""
}

// fetchBytes downloads a path with the page's session, as the browser's own download would.
func (b *browser) fetchBytes(path string) []byte {
	b.t.Helper()
	s := eval[string](b, `fetch(`+strconv.Quote(path)+`).then(r => { if (!r.ok) throw new Error("HTTP " + r.status); return r.arrayBuffer(); }).then(buf => {
		let s = ""; const a = new Uint8Array(buf);
		for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
		return btoa(s);
	})`)
	out, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b.t.Fatalf("download %s: %v", path, err)
	}
	return out
}

// uploadList uploads a list on its import page and confirms the proposed mapping with mode.
func (b *browser) uploadList(list, path, mode string) string {
	b.t.Helper()
	if status := b.open("/labour/" + list + "/import" + plan2021); status != 200 {
		b.t.Fatalf("GET /labour/%s/import = %d", list, status)
	}
	if status := b.submit("upload "+filepath.Base(path),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"][name="file"]`), []string{path}),
		chromedp.Click(chromedp.CSS(`form[enctype] button[type="submit"]`)),
	); status != 200 || !b.present("#labour-mapping") {
		b.t.Fatalf("upload %s = %d:\n%s", path, status, b.text())
	}
	b.submit("confirm "+filepath.Base(path),
		chromedp.Click(chromedp.CSS(`input[name="mode"][value="`+mode+`"]`)),
		chromedp.Click(chromedp.CSS(`form.labour-preview button[type="submit"]`)),
	)
	return b.waitImport()
}

// scoreLine is the line of the scorecard page naming 转移就业 (the indicator of part C).
func (b *browser) scoreLine() string {
	b.t.Helper()
	if status := b.open("/scorecard" + plan2021); status != 200 {
		b.t.Fatalf("GET /scorecard = %d", status)
	}
	return eval[string](b, `(() => {
		for (const tr of document.querySelectorAll("main tr")) {
			const t = tr.innerText;
			if (t.includes("转移就业") && !t.includes("其中") ) return t.replace(/\s+/g, " ").trim();
		}
		return "";
	})()`)
}

// TestBrowserLabour: the office imports a willing list with a bad row (refused whole, then its
// good rows taken), downloads the bad rows, corrects and imports them, sees the person, imports
// a jobs list, matches, confirms for the office and the employer, records the placement, and
// the placements' figures and the scorecard change. The plain ID numbers of the test data are
// then nowhere in the database files, the server's log or the downloads (the bad rows'
// workbook holds only the bad row's, as the clerk typed it).
func TestBrowserLabour(t *testing.T) {
	e := newEnv(t)
	var logs lockedBuffer
	e.srv.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b := newBrowser(t, e)
	dir := t.TempDir()

	wuchuan := labourVillage(t, "150125")
	people := [][]string{
		{"王小明", labourIDNumber("150125", "19920415", 11), "13912340001", wuchuan, "是", "电工", "北京", "电工", "5000", "2021-08-01"},
		{"赵小红", labourIDNumber("150125", "19950722", 22), "13912340002", wuchuan, "否", "保洁", "北京", "保洁", "4000", "2021-08-01"},
		{"孙小军", labourIDNumber("150125", "19880101", 33), "13912340003", wuchuan, "是", "焊工", "北京", "焊工", "6000", "2021-08-01"},
	}
	goodBad := labourIDNumber("150125", "19900101", 44)
	badID := goodBad[:17] + map[bool]string{true: "1", false: "2"}[goodBad[17] != '1'] // a wrong check character
	bad := []string{"钱小花", badID, "13912340004", wuchuan, "是", "厨师", "北京", "厨师", "5500", "2021-08-01"}
	ids := []string{people[0][1], people[1][1], people[2][1], goodBad, badID}
	list := filepath.Join(dir, "有意愿外出务工人员.csv")
	if err := os.WriteFile(list, willingCSV(append(append([][]string{}, people...), bad)), 0o644); err != nil {
		t.Fatal(err)
	}

	b.signIn("office", testPassword)
	before := b.scoreLine()

	// Refused whole: the bad row named with its row (5: the header is row 1) and reason.
	text := b.uploadList("willing", list, "refuse")
	if !strings.Contains(text, "整体拒收") || !strings.Contains(text, "第 5 行") || !strings.Contains(text, "新增 0") {
		t.Fatalf("refuse-whole import:\n%s", text)
	}
	// The good rows taken; the bad one to download.
	text = b.uploadList("willing", list, "skip")
	if !strings.Contains(text, "新增 3") || !strings.Contains(text, "错误 1 行") || !b.present("#labour-bad") {
		t.Fatalf("skip-bad import:\n%s", text)
	}
	badHref := eval[string](b, `document.querySelector("#labour-bad").getAttribute("href")`)
	badBook := b.fetchBytes(badHref)
	badText := labourXLSXText(t, string(badBook))
	if !strings.Contains(badText, badID) {
		t.Errorf("the bad rows' workbook lacks the bad row's ID as typed:\n%s", badText)
	}
	for _, id := range ids[:3] {
		if strings.Contains(badText, id) {
			t.Errorf("the bad rows' workbook holds a good row's ID %s…", id[:6])
		}
	}

	// Corrected in the workbook (excelize, as a clerk would in Excel) and imported again.
	x, err := excelize.OpenReader(bytes.NewReader(badBook))
	if err != nil {
		t.Fatal(err)
	}
	sheet := x.GetSheetName(0)
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	fixed := false
	for r, row := range rows {
		for c, v := range row {
			if v == badID {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				x.SetCellStr(sheet, ref, goodBad)
				fixed = true
			}
		}
	}
	if !fixed {
		t.Fatalf("no cell of the bad rows' workbook holds the bad ID")
	}
	corrected := filepath.Join(dir, "错误行-已改正.xlsx")
	if err := x.SaveAs(corrected); err != nil {
		t.Fatal(err)
	}
	x.Close()
	text = b.uploadList("willing", corrected, "refuse")
	if !strings.Contains(text, "导入完成") || !strings.Contains(text, "新增 1") || !strings.Contains(text, "错误 0 行") {
		t.Fatalf("corrected rows' import:\n%s", text)
	}

	// The person corrected is on the list; their page shows the ID masked.
	if status := b.open("/labour/willing" + plan2021); status != 200 || !strings.Contains(b.text(), "钱小花") {
		t.Fatalf("willing list = %d:\n%s", status, b.text())
	}
	b.submit("open 王小明", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#labour-list a")].find(a => a.innerText.includes("王小明")).click()`))
	if !strings.HasPrefix(b.path(), "/labour/people/") || !strings.Contains(b.text(), "武川县") {
		t.Fatalf("person page %s:\n%s", b.path(), b.text())
	}
	personPath := b.path()

	// A jobs list, then matching: the electrician's job for 王小明.
	jobs := filepath.Join(dir, "用工需求.csv")
	if err := os.WriteFile(jobs, jobsCSV([][]string{
		{"北京城建集团有限责任公司", "91350100M000100Y43", "电工", "5", "110109", "6000-8000", "电工", "2021-08-01", "2021-12-31", "刘经理", "13800000001"},
	}), 0o644); err != nil {
		t.Fatal(err)
	}
	if text := b.uploadList("jobs", jobs, "refuse"); !strings.Contains(text, "新增 1") {
		t.Fatalf("jobs import:\n%s", text)
	}
	b.open("/labour/match" + plan2021)
	b.submit("run matching", chromedp.Click(chromedp.CSS(`#labour-run`)))
	row := `[...document.querySelectorAll("#labour-matches tbody tr")].find(tr => tr.innerText.includes("王小明") && tr.innerText.includes("电工"))`
	if !eval[bool](b, row+` !== undefined`) {
		t.Fatalf("no proposal of the electrician's job for 王小明:\n%s", b.text())
	}
	if reasons := eval[string](b, row+`.querySelector(".labour-reasons").innerText`); !strings.Contains(reasons, "电工") {
		t.Errorf("the proposal's reasons do not name the skill: %s", reasons)
	}
	b.submit("office confirms", chromedp.Evaluate[chromedp.Void](row+`.querySelector('button[value="office"]').click()`))
	b.submit("employer confirms", chromedp.Evaluate[chromedp.Void](`(() => { const tr = `+row+`;
		tr.querySelector("details").open = true;
		const f = tr.querySelector('input[name="kind"][value="employer"]').form;
		f.querySelector('input[name="contact"]').value = "刘经理";
		f.querySelector('input[name="how"]').value = "电话";
		f.querySelector("button").click(); })()`))
	if !strings.Contains(b.text(), "双方已确认") {
		t.Fatalf("after both confirmations:\n%s", b.text())
	}
	b.submit("登记就业", chromedp.Evaluate[chromedp.Void](row+`.querySelector("a.button").click()`))
	if v := eval[string](b, `document.querySelector("#pl-employer").value`); v != "北京城建集团有限责任公司" {
		t.Errorf("the placement form is not filled from the match: employer %q", v)
	}
	b.submit("record the placement",
		setField(`#pl-start`, "2021-08-20"),
		fill(`#pl-pay`, "6500"),
		chromedp.Click(chromedp.CSS(`#placement-form button[type="submit"]`)),
	)
	if !strings.Contains(b.text(), "已登记就业") || !b.present("#labour-placements") {
		t.Fatalf("after recording the placement:\n%s", b.text())
	}
	b.open("/labour" + plan2021)
	if text := b.text(); !strings.Contains(text, "转移就业 1 人，其中脱贫劳动力 1 人") {
		t.Errorf("/labour's placements after one:\n%s", text)
	}
	if after := b.scoreLine(); after == before || after == "" {
		t.Errorf("the scorecard's 转移就业 did not change: before %q, after %q", before, after)
	}

	// Nowhere the plain ID numbers: every download, the person's page, the log, the database.
	var leaks []string
	look := func(what string, data []byte) {
		for _, id := range ids {
			if id == badID {
				continue // the clerk's typing, kept only in the bad rows' workbook (checked above)
			}
			if bytes.Contains(data, []byte(id)) {
				leaks = append(leaks, what+": "+id[:6]+"…")
			}
		}
	}
	b.open(personPath)
	look("the person's page", []byte(eval[string](b, `document.documentElement.outerHTML`)))
	look("the willing export", []byte(labourXLSXText(t, string(b.fetchBytes("/labour/willing"+plan2021+"&format=xlsx")))))
	look("the workers export", []byte(labourXLSXText(t, string(b.fetchBytes("/labour/workers"+plan2021+"&format=xlsx")))))
	look("the jobs export", []byte(labourXLSXText(t, string(b.fetchBytes("/labour/jobs"+plan2021+"&format=xlsx")))))
	look("the match page", []byte(eval[string](b, `fetch("/labour/match`+plan2021+`").then(r => r.text())`)))
	look("the server's log", []byte(logs.String()))
	for _, name := range []string{"xiezuo.db", "xiezuo.db-wal", "xiezuo.db-shm"} {
		data, err := os.ReadFile(filepath.Join(e.dir, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		look(name, data)
		if name != "xiezuo.db-shm" && bytes.Contains(data, []byte(badID)) {
			leaks = append(leaks, name+": the bad row's ID")
		}
	}
	if len(leaks) > 0 {
		t.Errorf("plain ID numbers found in:\n%s", strings.Join(leaks, "\n"))
	}
}
