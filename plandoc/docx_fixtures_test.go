package plandoc

import (
	"context"
	"flag"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/sample"
)

// The Word plans of testdata/docx are made by LibreOffice from the text plans, as an office
// would make them: (a) the text opened and saved as Word, one paragraph per line; (b) an HTML
// twin with real tables (merged cells across and down), headings h1/h2 and <ol> lists, which
// LibreOffice writes with heading styles and numbering.xml; (c) a broken copy of (b) with
// planted errors. Regenerate them with
//
//	go test ./plandoc -run TestDOCXFixtures -docx-update
var docxUpdate = flag.Bool("docx-update", false, "regenerate the Word fixtures of testdata/docx with LibreOffice")

const docxDir = "testdata/docx"

// docxTwins are the text plans made into Word documents: the fixture's base name, its text.
func docxTwins(t *testing.T) map[string]string {
	t.Helper()
	huairou, err := os.ReadFile("testdata/2022-huairou-plan.md")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"2021-mentougou-plan": string(sample.Plan2021),
		"2022-huairou-plan":   string(huairou),
	}
}

// brokenPlan is the 2021 plan with planted problems, each with what it must say.
func brokenPlan() (string, []string) {
	text := string(sample.Plan2021)
	// 1. The region's district fund: 322.5 stated, the projects sum to 322.5.
	text = strings.Replace(text, "内蒙古武川县(10个)\t\t\t\t322.5\t322.5", "内蒙古武川县(10个)\t\t\t\t322.5\t332.5", 1)
	// 2. An unknown unit in the task list.
	text = strings.Replace(text, "\t出台推进东西部协作政策文件，落实市级东西部协作规划和年度工作计划。\t领导小组办公室、", "\t出台推进东西部协作政策文件，落实市级东西部协作规划和年度工作计划。\t区协作推进局、领导小组办公室、", 1)
	// 3. A task without its deadline.
	text = strings.Replace(text, "帮扶资源向乡村振兴重点帮扶县倾斜。\t领导小组成员单位、前方挂职干部等\t10月底前", "帮扶资源向乡村振兴重点帮扶县倾斜。\t领导小组成员单位、前方挂职干部等\t", 1)
	return text, []string{"区级帮扶资金", "区协作推进局", "没有写明完成时限"}
}

// soffice finds LibreOffice for a test: skipped without it, failed without it in CI.
func soffice(t *testing.T) string {
	t.Helper()
	p, err := sofficePath()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("LibreOffice is not installed: %v", err)
		}
		t.Skip("LibreOffice is not installed")
	}
	return p
}

// convertWith runs LibreOffice on src with its own profile and returns the converted file.
func convertWith(t *testing.T, bin, src, to string) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", to, "--outdir", dir, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to %s %s: %v\n%s", to, src, err, out)
	}
	ext, _, _ := strings.Cut(to, ":")
	out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))+"."+ext)
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("soffice made no %s: %v", out, err)
	}
	return out
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDOCXFixtures regenerates the Word fixtures with -docx-update, and otherwise checks they
// are all there.
func TestDOCXFixtures(t *testing.T) {
	names := []string{}
	for name := range docxTwins(t) {
		names = append(names, name+".docx", name+"-tables.docx")
	}
	names = append(names, "2021-mentougou-broken.docx")
	if !*docxUpdate {
		for _, n := range names {
			if _, err := os.Stat(filepath.Join(docxDir, n)); err != nil {
				t.Errorf("fixture %s missing (go test ./plandoc -run TestDOCXFixtures -docx-update): %v", n, err)
			}
		}
		return
	}
	bin := soffice(t)
	if err := os.MkdirAll(docxDir, 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for name, text := range docxTwins(t) {
		// (a) The text opened in LibreOffice as text and saved as Word.
		copyFile(t, convertWith(t, bin, write(name+".txt", text), "docx"), filepath.Join(docxDir, name+".docx"))
		// (b) Its HTML twin.
		h := htmlTwin(text)
		if err := os.WriteFile(filepath.Join(docxDir, name+"-tables.html"), []byte(h), 0o644); err != nil {
			t.Fatal(err)
		}
		copyFile(t, convertWith(t, bin, write(name+"-tables.html", h), "docx:MS Word 2007 XML"), filepath.Join(docxDir, name+"-tables.docx"))
	}
	broken, _ := brokenPlan()
	h := htmlTwin(broken)
	if err := os.WriteFile(filepath.Join(docxDir, "2021-mentougou-broken.html"), []byte(h), 0o644); err != nil {
		t.Fatal(err)
	}
	copyFile(t, convertWith(t, bin, write("2021-mentougou-broken.html", h), "docx:MS Word 2007 XML"), filepath.Join(docxDir, "2021-mentougou-broken.docx"))
}

var reSubtotalCell = regexp.MustCompile(`[（(]\d+个[)）]|^合计|小计`)

// htmlTwin writes a text plan as the HTML a clerk's Word document would be: headings as h1–h3,
// sections 一、 as h2, numbered work points as <ol start=N> lists whose numbers Word computes,
// tables as <table> with a work item spanning its tasks (rowspan) and subtotal rows' names
// spanning the empty columns after them (colspan).
func htmlTwin(text string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>plan</title></head><body>\n")
	var table [][]string
	flush := func() {
		if len(table) == 0 {
			return
		}
		writeHTMLTable(&b, table)
		table = nil
	}
	for _, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if cells, ok := tableCells(raw); ok {
			if cells != nil {
				table = append(table, cells)
			}
			continue
		}
		flush()
		line := cleanInline(raw)
		if line == "" {
			continue
		}
		level := len(line) - len(strings.TrimLeft(line, "#"))
		h := stripHeading(line)
		switch m := reNumbered.FindStringSubmatch(h); {
		case level > 0:
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", min(level, 3), html.EscapeString(h), min(level, 3))
		case reSection.MatchString(h) && len([]rune(h)) <= 60:
			fmt.Fprintf(&b, "<h2>%s</h2>\n", html.EscapeString(h))
		case m != nil:
			fmt.Fprintf(&b, "<ol start=\"%s\"><li>%s</li></ol>\n", m[1], html.EscapeString(m[2]))
		default:
			fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(h))
		}
	}
	flush()
	b.WriteString("</body></html>\n")
	return b.String()
}

func writeHTMLTable(b *strings.Builder, rows [][]string) {
	b.WriteString("<table border=\"1\">\n")
	spanItem := len(rows[0]) > 0 && rows[0][0] == "工作事项"
	// rowspan[i] is how many rows the first cell of row i spans; -1 for a row it is spanned over.
	rowspan := make([]int, len(rows))
	for i := range rows {
		rowspan[i] = 1
	}
	if spanItem {
		for i := 1; i < len(rows); i++ {
			if rows[i][0] == "" {
				continue
			}
			for j := i + 1; j < len(rows) && len(rows[j]) > 0 && rows[j][0] == ""; j++ {
				rowspan[i]++
				rowspan[j] = -1
			}
		}
	}
	for i, r := range rows {
		b.WriteString("<tr>")
		for k := 0; k < len(r); k++ {
			c := r[k]
			if k == 0 && rowspan[i] < 0 {
				continue
			}
			attrs := ""
			if k == 0 && rowspan[i] > 1 {
				attrs += fmt.Sprintf(" rowspan=\"%d\"", rowspan[i])
			}
			if k == 0 && reSubtotalCell.MatchString(c) {
				span := 1
				for k+span < len(r) && r[k+span] == "" && k+span < 4 {
					span++
				}
				if span > 1 {
					attrs += fmt.Sprintf(" colspan=\"%d\"", span)
					k += span - 1
				}
			}
			tag := "td"
			if i == 0 {
				tag = "th"
			}
			fmt.Fprintf(b, "<%s%s>%s</%s>", tag, attrs, html.EscapeString(c), tag)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>\n")
}

// problemKeys are the line and message of each problem, for comparing documents whose lines
// are the same.
func problemKeys(ps []xiezuo.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d: %s", p.Line, p.Message))
	}
	return out
}

func messages(ps []xiezuo.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Message)
	}
	sort.Strings(out)
	return out
}

// figures is a summary without its file name, errors and warnings.
func figures(s xiezuo.Summary) xiezuo.Summary {
	s.File, s.Errors, s.Warnings = "", nil, nil
	return s
}

func parseDocFile(t *testing.T, name string) *Result {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(name, data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return res
}

// TestDOCXTextTwin: a text plan saved as Word by LibreOffice (one paragraph per line, tables as
// tab-separated paragraphs) reads exactly as the text: the same summary, the same errors and
// warnings at the same lines.
func TestDOCXTextTwin(t *testing.T) {
	for name, text := range docxTwins(t) {
		t.Run(name, func(t *testing.T) {
			want, err := Parse(name+".md", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			got := parseDocFile(t, filepath.Join(docxDir, name+".docx"))
			if diff := cmp.Diff(figures(want.Summary()), figures(got.Summary())); diff != "" {
				t.Errorf("summary of %s.docx differs from its text (-text +docx):\n%s", name, diff)
			}
			if diff := cmp.Diff(problemKeys(want.Errors), problemKeys(got.Errors)); diff != "" {
				t.Errorf("errors (-text +docx):\n%s", diff)
			}
			if diff := cmp.Diff(problemKeys(want.Warnings), problemKeys(got.Warnings)); diff != "" {
				t.Errorf("warnings (-text +docx):\n%s", diff)
			}
			if got.Plan.Source.Kind != KindDOCX {
				t.Errorf("Source.Kind = %q, want %q", got.Plan.Source.Kind, KindDOCX)
			}
		})
	}
}

// TestDOCXTables: the HTML twins, with real tables, merged cells, automatic numbering and
// headings by style, read with the same summary as their text and no error or warning.
func TestDOCXTables(t *testing.T) {
	for name, text := range docxTwins(t) {
		t.Run(name, func(t *testing.T) {
			want, err := Parse(name+".md", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			got := parseDocFile(t, filepath.Join(docxDir, name+"-tables.docx"))
			if diff := cmp.Diff(figures(want.Summary()), figures(got.Summary())); diff != "" {
				t.Errorf("summary of %s-tables.docx differs from its text (-text +docx):\n%s", name, diff)
			}
			if len(got.Errors)+len(got.Warnings) > 0 {
				t.Errorf("%s-tables.docx: errors %v, warnings %v, want none", name, got.Errors, got.Warnings)
			}
			if diff := cmp.Diff(want.Plan.Points, got.Plan.Points, cmpIgnorePos); diff != "" {
				t.Errorf("work points (-text +docx):\n%s", diff)
			}
			if diff := cmp.Diff(want.Plan.Tasks, got.Plan.Tasks, cmpIgnorePos); diff != "" {
				t.Errorf("tasks (-text +docx):\n%s", diff)
			}
		})
	}
}

var cmpIgnorePos = cmp.FilterPath(func(p cmp.Path) bool {
	return p.Last().Type() == reflectPos
}, cmp.Ignore())

// TestDOCXBroken: the broken copy gives exactly its planted problems, the same as its text, each
// named where the clerk finds it in the Word document.
func TestDOCXBroken(t *testing.T) {
	text, planted := brokenPlan()
	want, err := Parse("broken.md", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	got := parseDocFile(t, filepath.Join(docxDir, "2021-mentougou-broken.docx"))
	all := append(append([]xiezuo.Problem{}, got.Errors...), got.Warnings...)
	if len(all) != len(planted) {
		t.Errorf("broken.docx: %d problems, want the %d planted: %v", len(all), len(planted), all)
	}
	for _, w := range planted {
		found := false
		for _, p := range all {
			if strings.Contains(p.Message, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("broken.docx: no problem says %q: %v", w, all)
		}
	}
	if diff := cmp.Diff(messages(want.Errors), messages(got.Errors)); diff != "" {
		t.Errorf("errors (-text +docx):\n%s", diff)
	}
	if diff := cmp.Diff(messages(want.Warnings), messages(got.Warnings)); diff != "" {
		t.Errorf("warnings (-text +docx):\n%s", diff)
	}
	wantWhere := map[string]string{
		"区级帮扶资金":   "附件3 表格第2行",
		"区协作推进局":   "附件2 表格第4行",
		"没有写明完成时限": "附件2 第2个表格第3行",
	}
	for _, p := range all {
		for w, where := range wantWhere {
			if strings.Contains(p.Message, w) && p.Where != where {
				t.Errorf("problem %q is at %q, want %q", p.Message, p.Where, where)
			}
		}
	}
}

// TestDOC: a Word plan saved as .doc by LibreOffice is converted back and reads the same; the
// temporary folder is gone afterwards.
func TestDOC(t *testing.T) {
	bin := soffice(t)
	src := filepath.Join(t.TempDir(), "2022-huairou-plan.docx")
	copyFile(t, filepath.Join(docxDir, "2022-huairou-plan-tables.docx"), src)
	doc := convertWith(t, bin, src, "doc:MS Word 97")
	want := parseDocFile(t, src)
	got := parseDocFile(t, doc)
	if diff := cmp.Diff(figures(want.Summary()), figures(got.Summary())); diff != "" {
		t.Errorf(".doc differs from .docx (-docx +doc):\n%s", diff)
	}
	if len(got.Errors)+len(got.Warnings) > 0 {
		t.Errorf(".doc: errors %v, warnings %v", got.Errors, got.Warnings)
	}
	if got.Plan.Source.Kind != KindDOC {
		t.Errorf("Source.Kind = %q, want %q", got.Plan.Source.Kind, KindDOC)
	}
	// The same .doc named .wps, and a .docx named .doc, read alike.
	data, _ := os.ReadFile(doc)
	if res, err := Parse("plan.wps", data); err != nil || res.Summary().Projects != want.Summary().Projects {
		t.Errorf("Parse(plan.wps) = %v, %v", res, err)
	}
	docx, _ := os.ReadFile(src)
	if res, err := Parse("plan.doc", docx); err != nil || res.Plan.Source.Kind != KindDOCX {
		t.Errorf("Parse(a .docx named plan.doc) = %v, %v, want it read as .docx", res, err)
	}
	assertNoTempLeft(t)
}

// TestDOCWithoutLibreOffice: without LibreOffice a .doc is refused with what to do.
func TestDOCWithoutLibreOffice(t *testing.T) {
	t.Setenv("XIEZUO_SOFFICE", filepath.Join(t.TempDir(), "no-soffice"))
	_, err := Parse("plan.doc", []byte(oleMagic+"rest of an old Word file"))
	want := "服务器未安装 LibreOffice，无法读取 .doc/.wps；请在 Word/WPS 中另存为 .docx 后上传"
	if xiezuo.ErrorMessage(err) != want {
		t.Errorf("Parse(plan.doc) = %v, want %q", err, want)
	}
}

// TestDOCDamaged: a damaged .doc is refused with a message, and nothing is left behind.
func TestDOCDamaged(t *testing.T) {
	soffice(t)
	// LibreOffice reads what it cannot take for Word as text: the result is refused, or read
	// as a document without a plan.
	res, err := Parse("plan.doc", []byte(oleMagic+strings.Repeat("\x00garbage", 100)))
	switch {
	case err != nil && (xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "plan.doc")):
		t.Errorf("Parse(damaged plan.doc) = %v, want a refusal naming the file", err)
	case err == nil && res.OK():
		t.Errorf("Parse(damaged plan.doc) read a plan without errors: %+v", res.Summary())
	}
	assertNoTempLeft(t)
}

var reflectPos = reflect.TypeOf(xiezuo.Pos{})

// TestDOCTimeout: a conversion that does not finish is stopped at the timeout, with every
// process it started, and its folder removed.
func TestDOCTimeout(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	script := filepath.Join(dir, "soffice")
	// A LibreOffice that starts a child of its own and never finishes.
	body := "#!/bin/sh\nsleep 300 &\necho $! > " + pidFile + "\nwait\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XIEZUO_SOFFICE", script)
	old := convertTimeout
	convertTimeout = time.Second
	defer func() { convertTimeout = old }()
	start := time.Now()
	_, err := Parse("plan.doc", []byte(oleMagic+"x"))
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Parse(plan.doc) took %v, want it stopped after about 1 s", took)
	}
	if msg := xiezuo.ErrorMessage(err); !strings.Contains(msg, "超过 1 秒仍未完成") {
		t.Errorf("Parse(plan.doc) = %v, want the timeout said", err)
	}
	if data, err := os.ReadFile(pidFile); err != nil {
		t.Errorf("the fake LibreOffice did not start: %v", err)
	} else {
		// The kill is sent when Parse returns; on a busy machine the child takes a moment to
		// die: it must be gone (or a zombie) within a few seconds, not after its 300.
		pid := strings.TrimSpace(string(data))
		running := func() bool {
			stat, err := os.ReadFile("/proc/" + pid + "/stat")
			return err == nil && !strings.Contains(string(stat), ") Z ")
		}
		for wait := time.Now(); running() && time.Since(wait) < 5*time.Second; {
			time.Sleep(20 * time.Millisecond)
		}
		if running() {
			t.Errorf("the conversion's child %s is still running", pid)
		}
	}
	assertNoTempLeft(t)
}
