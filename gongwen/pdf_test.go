package gongwen

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testFont is the font of the PDF tests: missing, the test is skipped, unless CI is set.
func testFont(t testing.TB) Font {
	t.Helper()
	f, err := FindFont()
	if err != nil {
		if os.Getenv("CI") != "" || !errors.Is(err, ErrNoFont) {
			t.Fatalf("FindFont: %v", err)
		}
		t.Skip(err)
	}
	return f
}

func writePDF(t testing.TB, d Document, f Font) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WritePDF(&b, d, f); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	return b.Bytes()
}

func TestWritePDF(t *testing.T) {
	f := testFont(t)
	b := writePDF(t, sampleDocument(), f)
	path := filepath.Join(t.TempDir(), "sample.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, path)
	// Page numbers at the outside edge: right on odd pages, left on even ones.
	for page, right := range map[int]bool{1: true, 2: false, 3: true} {
		bbox := runTool(t, time.Minute, "pdftotext", "-bbox", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), path, "-")
		m := regexp.MustCompile(`xMin="([0-9.]+)" yMin="([0-9.]+)"[^>]*>`+strconv.Itoa(page)+`<`).FindAllStringSubmatch(bbox, -1)
		if len(m) == 0 {
			t.Errorf("page %d: no page number found", page)
			continue
		}
		last := m[len(m)-1]
		x, _ := strconv.ParseFloat(last[1], 64)
		y, _ := strconv.ParseFloat(last[2], 64)
		if right && x < 450 || !right && x > 150 {
			t.Errorf("page %d: page number at x = %.0f, want it at the %s edge", page, x, map[bool]string{true: "right", false: "left"}[right])
		}
		if y < 842-35*mm {
			t.Errorf("page %d: page number at y = %.0f, want it under the text (> %.0f)", page, y, 842-35*mm)
		}
	}
	if os.Getenv("XIEZUO_SCREENSHOTS") != "" {
		screenshot(t, path, "gongwen-sample-pdf")
	}
}

func TestWritePDFHostile(t *testing.T) {
	f := testFont(t)
	b := writePDF(t, hostileDocument(), f)
	path := filepath.Join(t.TempDir(), "hostile.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	text := squash(runTool(t, time.Minute, "pdftotext", path, "-"))
	for _, want := range []string{"<w:p>&amp;", "长段落文字，长段落文字", "结束", "无数据"} {
		if !strings.Contains(text, want) {
			t.Errorf("the hostile PDF's text lacks %q", want)
		}
	}
	if strings.ContainsAny(text, "\x00\x01\x1b") {
		t.Error("the hostile PDF's text holds control characters")
	}
}

func TestWritePDFNoFont(t *testing.T) {
	if err := WritePDF(&bytes.Buffer{}, sampleDocument(), Font{}); !errors.Is(err, ErrNoFont) {
		t.Errorf("WritePDF(no font) = %v, want ErrNoFont", err)
	}
	if !strings.Contains(ErrNoFont.Error(), "fonts-lxgw-wenkai") {
		t.Errorf("ErrNoFont = %q, want it to name the Debian package", ErrNoFont)
	}
	t.Setenv("XIEZUO_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
	if _, err := FindFont(); err == nil || !strings.Contains(err.Error(), ".ttc") {
		t.Errorf("FindFont(XIEZUO_FONT=.ttc) = %v, want an error naming .ttc", err)
	}
	t.Setenv("XIEZUO_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
	if _, err := FindFont(); err == nil || !strings.Contains(err.Error(), "中文字形") {
		t.Errorf("FindFont(XIEZUO_FONT=DejaVuSans) = %v, want an error: no CJK glyphs", err)
	}
}

// twentyPages is the sample with its body written twice: 20 pages.
func twentyPages() Document {
	d := sampleDocument()
	d.Blocks = append(d.Blocks, d.Blocks...)
	for range 8 {
		d.Blocks = append(d.Blocks, d.Blocks[0])
	}
	return d
}

// TestWritePDFTwentyPages writes a 20-page document and checks that the font is embedded as
// a subset: the file is far smaller than the font. It logs the time and the size (figures in
// docs/benchmarks.md; timed assertions do not belong in tests).
func TestWritePDFTwentyPages(t *testing.T) {
	f := testFont(t)
	start := time.Now()
	b := writePDF(t, twentyPages(), f)
	took := time.Since(start)
	path := filepath.Join(t.TempDir(), "twenty.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	info := runTool(t, time.Minute, "pdfinfo", path)
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil || m[1] != "20" {
		t.Errorf("pdfinfo: want 20 pages:\n%s", info)
	}
	if len(b) > len(f.Regular)/10 {
		t.Errorf("the PDF is %d bytes, the font %d: the font is not subset", len(b), len(f.Regular))
	}
	// fpdf subsets without tagging the name (XXXXXX+): pdffonts says "emb yes, sub no".
	fonts := runTool(t, time.Minute, "pdffonts", path)
	if !regexp.MustCompile(`(?m)^utf8cjk\s+CID TrueType\s+Identity-H\s+yes`).MatchString(fonts) {
		t.Errorf("pdffonts lists no embedded CJK font:\n%s", fonts)
	}
	t.Logf("20 pages with %s: %v, %d bytes (font file %d bytes)", filepath.Base(f.Path), took.Round(time.Millisecond), len(b), len(f.Regular))
}

func BenchmarkWritePDFTwentyPages(b *testing.B) {
	f := testFont(b)
	d := twentyPages()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WritePDF(&buf, d, f); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

func BenchmarkWriteDOCXTwentyPages(b *testing.B) {
	f := testFont(b)
	d := twentyPages()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteDOCXFont(&buf, d, f); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/docx")
}

// landscapeDocument has a wide table marked Landscape between two paragraphs.
func landscapeDocument() Document {
	t := &Table{Caption: "宽表", Header: [][]string{{"序号", "指标", "考核要求", "目标", "完成值", "状态", "差距", "佐证材料"}}, Landscape: true}
	for i := range 30 {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), "召开会议", "区委书记或区长每半年召开一次以上会议研究部署支援合作工作。", "不少于 2 次", "3次", "达标", "", "会议 · 2021-03-12 · 研究部署会"})
	}
	return Document{Title: "横排表格", Blocks: []Block{
		{Kind: Paragraph, Text: "表格之前的一段。"},
		{Kind: TableBlock, Table: t},
		{Kind: Paragraph, Text: "表格之后的一段。"},
	}}
}

// TestWritePDFLandscape: a Landscape table is on landscape pages of its own, the text before and
// after it on portrait ones, each page numbered.
func TestWritePDFLandscape(t *testing.T) {
	b := writePDF(t, landscapeDocument(), testFont(t))
	path := filepath.Join(t.TempDir(), "land.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	info := runTool(t, time.Minute, "pdfinfo", "-f", "1", "-l", "9", path)
	sizes := regexp.MustCompile(`Page +\d+ size: +([0-9.]+) x ([0-9.]+)`).FindAllStringSubmatch(info, -1)
	if len(sizes) < 3 {
		t.Fatalf("%d pages, want at least 3:\n%s", len(sizes), info)
	}
	landscape := func(s []string) bool {
		w, _ := strconv.ParseFloat(s[1], 64)
		h, _ := strconv.ParseFloat(s[2], 64)
		return w > h
	}
	if landscape(sizes[0]) || !landscape(sizes[1]) || landscape(sizes[len(sizes)-1]) {
		t.Errorf("page sizes %q: want portrait, landscape …, portrait", sizes)
	}
	text := runTool(t, time.Minute, "pdftotext", "-f", "2", "-l", "2", "-layout", path, "-")
	for _, want := range []string{"序号", "考核要求", "完成值", "佐证材料"} {
		if !strings.Contains(text, want) {
			t.Errorf("the landscape page lacks the header %q on one line:\n%.800s", want, text)
		}
	}
}

// TestWritePDFPageNumbers: every page number reads 「— N —」, one form on odd and even pages.
func TestWritePDFPageNumbers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "twenty.pdf")
	if err := os.WriteFile(path, writePDF(t, twentyPages(), testFont(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, page := range []int{1, 2, 9, 10, 11} {
		text := runTool(t, time.Minute, "pdftotext", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-layout", path, "-")
		if want := "— " + strconv.Itoa(page) + " —"; !strings.Contains(text, want) {
			lines := strings.Split(strings.TrimRight(text, "\n\f "), "\n")
			t.Errorf("page %d's number reads %q, want %q", page, strings.TrimSpace(lines[len(lines)-1]), want)
		}
	}
}
