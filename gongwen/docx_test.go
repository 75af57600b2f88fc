package gongwen

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func writeDOCX(t *testing.T, d Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteDOCX(&b, d); err != nil {
		t.Fatalf("WriteDOCX: %v", err)
	}
	return b.Bytes()
}

// parts reads every part of the .docx, checking that each XML part is well formed.
func parts(t *testing.T, docx []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatalf("the .docx is not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		out[f.Name] = b
		if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
				}
			}
		}
	}
	return out
}

func TestWriteDOCXParts(t *testing.T) {
	d := sampleDocument()
	b := writeDOCX(t, d)
	if again := writeDOCX(t, d); !bytes.Equal(b, again) {
		t.Error("WriteDOCX(same document) gave different bytes")
	}
	p := parts(t, b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
		"word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml", "word/footer2.xml",
		"word/media/chart1.png", "word/media/chart2.png", "word/media/chart3.png"} {
		if p[name] == nil {
			t.Errorf("part %s missing", name)
		}
	}
	doc := string(p["word/document.xml"])
	for _, want := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`,
		`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`,
		`<w:footerReference w:type="even" r:id="rIdFooterEven"/>`,
		`<w:tblHeader/>`, `<w:gridSpan w:val="2"/>`, `<w:vMerge w:val="restart"/>`, `<w:vMerge/>`,
		`>一、主要工作进展<`, `>（一）加强组织领导<`, `>1.召开领导小组会议<`, `>（1）研究部署年度任务<`, `>（二）推进项目建设<`,
		`>（甲）做好考核准备<`, `>二、存在的问题<`, `>表1 2021年各协作地区项目资金情况（单位：万元）<`, `>图1 各协作地区区级资金（万元）<`,
		`>区支援合作工作领导小组：<`, `>附件：1．2021年门头沟区东西部协作项目计划表<`, `>2021年7月15日<`,
		`w:color="FF0000"`, `<w:br w:type="page"/>`, `r:embed="rIdImg3"`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if s := string(p["word/settings.xml"]); !strings.Contains(s, "<w:evenAndOddHeaders/>") {
		t.Error("settings.xml lacks evenAndOddHeaders")
	}
	if s := string(p["word/footer2.xml"]); !strings.Contains(s, `<w:jc w:val="left"/>`) || !strings.Contains(s, `w:instr=" PAGE "`) {
		t.Errorf("footer2.xml (even pages) = %s, want the page number on the left", s)
	}
	styles := string(p["word/styles.xml"])
	for _, want := range []string{`w:eastAsia="仿宋_GB2312"`, `w:eastAsia="方正小标宋简体"`, `w:eastAsia="黑体"`, `w:eastAsia="楷体_GB2312"`,
		`<w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/>`, `<w:sz w:val="32"/>`, `<w:sz w:val="44"/>`, `<w:ind w:firstLine="640"/>`} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
	// Numeric cells right, total rows bold.
	if !regexp.MustCompile(`<w:jc w:val="right"/></w:pPr><w:r><w:rPr><w:b/><w:bCs/><w:sz w:val="\d+"/><w:szCs w:val="\d+"/></w:rPr><w:t xml:space="preserve">1140\.00<`).MatchString(doc) {
		t.Error("the first subtotal's figure is not right-aligned and bold")
	}
}

func TestWriteDOCXHostile(t *testing.T) {
	b := writeDOCX(t, hostileDocument())
	p := parts(t, b)
	doc := string(p["word/document.xml"])
	if strings.Contains(doc, "<w:p>&amp;") || strings.Contains(doc, "\x00") || strings.Contains(doc, "\x1b") {
		t.Error("document.xml holds an unescaped string or a control character")
	}
	if !strings.Contains(doc, "&lt;w:p&gt;&amp;amp;&#34;") && !strings.Contains(doc, "&lt;w:p&gt;&amp;amp;&quot;") {
		t.Errorf("the hostile text is not escaped as expected")
	}
	if !strings.Contains(doc, ">无数据<") {
		t.Error("an empty table is not written as 无数据")
	}
	if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("XIEZUO_SLOW") == "" && testing.Short() {
		return
	}
	// LibreOffice opens it.
	dir := t.TempDir()
	path := filepath.Join(dir, "hostile.docx")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	pdf := sofficePDF(t, path)
	text := squash(runTool(t, time.Minute, "pdftotext", "-layout", pdf, "-"))
	if !strings.Contains(text, "长段落文字，长段落文字") || !strings.Contains(text, "结束") {
		t.Errorf("LibreOffice's text of the hostile document lacks its paragraphs: %.300s", text)
	}
}

// TestWriteDOCXLibreOffice opens the sample with LibreOffice, converts it to PDF and reads
// the PDF's text and size back.
func TestWriteDOCXLibreOffice(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sample.docx")
	if err := os.WriteFile(path, writeDOCX(t, sampleDocument()), 0o644); err != nil {
		t.Fatal(err)
	}
	pdf := sofficePDF(t, path)
	checkPDF(t, pdf)
	if os.Getenv("XIEZUO_SCREENSHOTS") != "" {
		screenshot(t, pdf, "gongwen-sample-docx")
	}
}

// checkPDF checks a PDF of the sample: A4, 3 pages or more, the title, the headings with
// their numbers, the table's cells (on two pages, its header repeated), the page numbers.
func checkPDF(t *testing.T, pdf string) {
	t.Helper()
	info := runTool(t, time.Minute, "pdfinfo", pdf)
	if !regexp.MustCompile(`Page size:\s+595(\.\d+)? x 841\.\d+ pts \(A4\)`).MatchString(info) {
		t.Errorf("pdfinfo: page size is not A4:\n%s", info)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil || len(m[1]) == 1 && m[1][0] < '3' {
		t.Errorf("pdfinfo: want 3 pages or more:\n%s", info)
	}
	// Both reading orders: -layout keeps a line's cells together, the default keeps a cell's
	// lines together.
	raw := runTool(t, time.Minute, "pdftotext", pdf, "-")
	text := squash(raw) + "\n" + squash(runTool(t, time.Minute, "pdftotext", "-layout", pdf, "-"))
	for _, want := range []string{
		"门头沟区支援合作工作领导小组办公室", "门支合办〔2021〕12号", "门头沟区2021年上半年支援合作工作总结",
		"一、主要工作进展", "（一）加强组织领导", "1.召开领导小组会议", "（1）研究部署年度任务", "二、存在的问题", "三、下半年工作安排",
		"表12021年各协作地区项目资金情况", "项目01：肉牛养殖基地", "内蒙古科右前旗小计", "1140.00", "项目59",
		"图1各协作地区区级资金", "2021年7月15日", "抄送：市支援合作办",
		"—1—", "—2—", "—3—",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	// The table's header is repeated: 区级资金 on at least two pages.
	pages := strings.Split(raw, "\f")
	n := 0
	for _, p := range pages {
		if strings.Contains(squash(p), "区级资金") && strings.Contains(squash(p), "项目") {
			n++
		}
	}
	if n < 2 {
		t.Errorf("the table's header is on %d pages, want 2 or more (repeated)", n)
	}
	// The body's left edge: 28 mm = 79.4 pt.
	bbox := runTool(t, time.Minute, "pdftotext", "-bbox", "-f", "2", "-l", "2", pdf, "-")
	if left := edge(bbox, "xMin", false); left < 77 || left > 82 {
		t.Errorf("the body's left edge on page 2 is at %.1f pt, want ≈ 79.4 (28 mm)", left)
	}
	// The first line's glyphs sit in the first line under the 37 mm (104.9 pt) margin, and
	// nothing passes the right margin (26 mm: 521.6 pt).
	if top := edge(bbox, "yMin", false); top < 104 || top > 118 {
		t.Errorf("the body's top on page 2 is at %.1f pt, want within the first line under 104.9 (37 mm)", top)
	}
	if right := edge(bbox, "xMax", true); right > 522 {
		t.Errorf("the body's right edge on page 2 is at %.1f pt, want ≤ 521.6 (26 mm)", right)
	}
}

// edge is the smallest (or, largest, the largest) value of attribute attr of the words
// pdftotext -bbox lists.
func edge(bbox, attr string, largest bool) float64 {
	v := 1e9
	if largest {
		v = -1e9
	}
	for _, m := range regexp.MustCompile(attr+`="([0-9.]+)"`).FindAllStringSubmatch(bbox, -1) {
		if f, err := strconv.ParseFloat(m[1], 64); err == nil && (largest && f > v || !largest && f < v) {
			v = f
		}
	}
	return v
}

// screenshot saves the first page of the PDF as docs/screenshots/NAME.png at 60 dpi.
func screenshot(t *testing.T, pdf, name string) {
	t.Helper()
	dir := t.TempDir()
	runTool(t, time.Minute, "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, filepath.Join(dir, name))
	b, err := os.ReadFile(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "screenshots", name+".png"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWriteDOCXLandscape: a Landscape table sits in a landscape section of its own (a section
// break before it and after it), its grid as wide as a landscape page's text; the body's last
// section is portrait.
func TestWriteDOCXLandscape(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, landscapeDocument()); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			doc = string(b)
		}
	}
	if n := strings.Count(doc, "<w:sectPr>"); n != 3 {
		t.Errorf("%d sections, want 3 (before, the table's, after)", n)
	}
	land := strings.Index(doc, `w:orient="landscape"`)
	tbl := strings.Index(doc, "<w:tbl>")
	if land < 0 || tbl < 0 || land < tbl || strings.LastIndex(doc, `w:orient="landscape"`) != land {
		t.Errorf("the landscape section does not end right after the table")
	}
	if want := fmt.Sprintf(`<w:tblW w:w="%d"`, tw(landTextW)); !strings.Contains(doc, want) {
		t.Errorf("the table is not as wide as a landscape page's text (%s)", want)
	}
	if !strings.HasSuffix(strings.TrimSuffix(doc, "</w:body></w:document>"), `<w:pgSz w:w="11906" w:h="16838"/>`+doc[strings.LastIndex(doc, "<w:pgMar"):strings.LastIndex(doc, "</w:sectPr>")]+"</w:sectPr>") {
		t.Errorf("the body's last section is not portrait")
	}
}
