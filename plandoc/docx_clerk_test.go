package plandoc

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// A Word plan written the way a clerk writes one in Word or WPS, not saved from a text file: the
// title centred, sections 一、二 as Heading 1 with automatic Chinese numbering, the points （一）
// numbered by Word and restarting in each section, 责任单位 half bold, a footnote, the 文号 in a
// text box, each 附件 on a new page, 附件3 in a landscape section, tables with their header row
// repeated, the work item merged down (vMerge), region rows merged across the table (gridSpan)
// and a page number field in the footer. clerkDOCX writes it from a text plan, so the text is
// its twin.

var (
	clerkSection = regexp.MustCompile(`^[一二三四五六七八九十]+、`)
	clerkPoint   = regexp.MustCompile(`^(\d+[.．、]\s*|（[一二三四五六七八九十]+）)`)
	clerkAttach  = regexp.MustCompile(`^附件\s*(\d+)\s*[:：]?$`)
)

func clerkEsc(s string) string { return html.EscapeString(s) }

func clerkRun(text string, bold bool) string {
	return clerkRunSize(text, bold, 32)
}

func clerkRunSize(text string, bold bool, size int) string {
	rpr := fmt.Sprintf(`<w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hint="eastAsia"/><w:sz w:val="%d"/></w:rPr>`, size)
	if bold {
		rpr = `<w:rPr><w:rFonts w:eastAsia="黑体" w:hint="eastAsia"/><w:b/><w:sz w:val="32"/></w:rPr>`
	}
	return `<w:r>` + rpr + `<w:t xml:space="preserve">` + clerkEsc(text) + `</w:t></w:r>`
}

func clerkPara(ppr, runs string) string {
	return `<w:p><w:pPr>` + ppr + `</w:pPr>` + runs + `</w:p>`
}

const (
	clerkPortrait  = `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`
	clerkLandscape = `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="851" w:footer="567" w:gutter="0"/></w:sectPr>`
)

// clerkDOCX writes text (a plan in the text layout of testdata) as a clerk's Word document.
func clerkDOCX(t testing.TB, text string) []byte {
	t.Helper()
	var b strings.Builder
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	body, list := false, false // past the first section heading; inside the 附件 list
	title, footnote := 0, false
	attach, landscape := 0, false
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		if strings.Contains(raw, "\t") || strings.HasPrefix(strings.TrimSpace(raw), "|") {
			j := i
			var rows [][]string
			for ; j < len(lines); j++ {
				l := lines[j]
				if strings.TrimSpace(l) == "" {
					// blank lines between parts of a table printed over pages
					k := j
					for k < len(lines) && strings.TrimSpace(lines[k]) == "" {
						k++
					}
					if k < len(lines) && (strings.Contains(lines[k], "\t") || strings.HasPrefix(strings.TrimSpace(lines[k]), "|")) {
						j = k - 1
						continue
					}
					break
				}
				if !strings.Contains(l, "\t") && !strings.HasPrefix(strings.TrimSpace(l), "|") {
					break
				}
				rows = append(rows, clerkCells(l))
			}
			b.WriteString(clerkTable(rows, landscape))
			i = j - 1
			continue
		}
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		s = strings.TrimLeft(s, "# ")
		s = strings.TrimSpace(strings.ReplaceAll(s, "**", ""))
		if s == "" {
			continue
		}
		switch {
		case clerkAttach.MatchString(s):
			attach++
			n := clerkAttach.FindStringSubmatch(s)[1]
			if n == "3" && !landscape {
				landscape = true
				// the section before 附件3 ends here, portrait; 附件3 is landscape
				b.WriteString(clerkPara(clerkPortrait, ""))
				b.WriteString(clerkPara(``, clerkRun("附件"+n, true)))
			} else {
				b.WriteString(clerkPara(`<w:pageBreakBefore/>`, clerkRun("附件"+n, true)))
			}
			list = false
		case attach == 0 && clerkSection.MatchString(s):
			body = true
			b.WriteString(clerkPara(`<w:pStyle w:val="Heading1"/>`, clerkRun(clerkSection.ReplaceAllString(s, ""), true)))
		case attach == 0 && body && !list && clerkPoint.MatchString(s):
			b.WriteString(clerkPara(`<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:ind w:firstLine="640"/>`, clerkRun(clerkPoint.ReplaceAllString(s, ""), false)))
		case strings.HasPrefix(s, "责任单位："):
			b.WriteString(clerkPara(`<w:ind w:firstLine="640"/>`, clerkRun("责任单位：", true)+clerkRun(strings.TrimPrefix(s, "责任单位："), false)))
		case strings.HasPrefix(s, "- 附件"):
			list = true
			b.WriteString(clerkPara(`<w:ind w:left="1600" w:hanging="960"/>`, clerkRun(strings.TrimPrefix(s, "- "), false)))
		case title < 3 && attach == 0 && !body && !strings.Contains(s, "。"):
			title++
			runs := clerkRun(s, true)
			if title == 1 {
				// the 文号 in a text box anchored to the first line
				runs += `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>600000</wp:posOffset></wp:positionV><wp:extent cx="5000000" cy="400000"/><wp:wrapTopAndBottom/><wp:docPr id="1" name="文号"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5000000" cy="400000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent>` +
					clerkPara(`<w:jc w:val="center"/>`, clerkRun("门支援合作办发〔2021〕3号", false)) +
					`</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict/></mc:Fallback></mc:AlternateContent></w:r>`
			}
			b.WriteString(clerkPara(`<w:jc w:val="center"/>`, runs))
		default:
			runs := clerkRun(s, false)
			if !footnote && !body && strings.Contains(s, "。") {
				footnote = true
				runs += `<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>`
			}
			b.WriteString(clerkPara(`<w:ind w:firstLine="640"/>`, runs))
		}
	}
	last := clerkPortrait
	if landscape {
		last = clerkLandscape
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" mc:Ignorable="wps"><w:body>` +
		b.String() + last + `</w:body></w:document>`
	return clerkZip(t, doc)
}

func clerkCells(l string) []string {
	var cells []string
	if strings.HasPrefix(strings.TrimSpace(l), "|") {
		l = strings.TrimSpace(l)
		l = strings.TrimSuffix(strings.TrimPrefix(l, "|"), "|")
		cells = strings.Split(l, "|")
	} else {
		cells = strings.Split(l, "\t")
	}
	for i := range cells {
		cells[i] = strings.TrimSpace(strings.ReplaceAll(cells[i], "**", ""))
	}
	return cells
}

// clerkTable writes rows as a Word table: the header row repeated on each page (a repeated header
// row in the text is dropped), a row whose first two cells are empty continues the row above (a
// row split over pages), the first column merged down over empty cells, a region row merged
// across the table.
func clerkTable(rows [][]string, landscape bool) string {
	if len(rows) == 0 {
		return ""
	}
	head := rows[0]
	width := len(head)
	var kept [][]string
	for i, r := range rows {
		if strings.Trim(strings.Join(r, ""), "-: ") == "" {
			continue // a Markdown table's rule
		}
		if i > 0 && strings.Join(r, "|") == strings.Join(head, "|") {
			continue
		}
		if i > 0 && len(kept) > 1 && len(r) > 2 && r[0] == "" && r[1] == "" && strings.TrimSpace(strings.Join(r, "")) != "" {
			prev := kept[len(kept)-1]
			for c := 2; c < len(r) && c < len(prev); c++ {
				if r[c] != "" {
					prev[c] += "\n" + r[c]
				}
			}
			continue
		}
		kept = append(kept, r[:min(width, len(r))])
	}
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>`)
	// column widths as a clerk drags them: by how much each column holds
	total := 8844
	if landscape {
		total = 14570
	}
	weights, sum := make([]int, width), 0
	for c := range width {
		n, k := 0, 0
		for _, r := range kept[1:] {
			if c < len(r) && r[c] != "" {
				n += len([]rune(r[c]))
				k++
			}
		}
		// the header on two lines at most, long texts wrapping, figures on one line
		w := (len([]rune(kept[0][c])) + 1) / 2 * 5
		if k > 0 {
			w = max(w, min(n/k, 30)*2)
		}
		weights[c] = max(w, 10)
		sum += w
	}
	cols := make([]int, width)
	for c := range width {
		cols[c] = total * weights[c] / sum
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, cols[c])
	}
	tcW := func(from, span int) string {
		w := 0
		for c := from; c < from+span && c < width; c++ {
			w += cols[c]
		}
		return fmt.Sprintf(`<w:tcW w:w="%d" w:type="dxa"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	cellPara := func(text string) string {
		var p strings.Builder
		for _, line := range strings.Split(text, "\n") {
			p.WriteString(`<w:p><w:pPr><w:spacing w:line="300" w:lineRule="exact"/></w:pPr>` + clerkRunSize(line, false, 21) + `</w:p>`)
		}
		return p.String()
	}
	for i, r := range kept {
		b.WriteString(`<w:tr>`)
		if i == 0 {
			b.WriteString(`<w:trPr><w:tblHeader/></w:trPr>`)
		}
		from := 0
		if i > 0 && clerkNumbered(kept, i) && r[0] != "" && strings.Trim(r[0], "0123456789") != "" {
			// a region or subtotal row: its label merged across the empty cells after it
			span := 1
			for span < len(r) && r[span] == "" {
				span++
			}
			if span > 1 {
				fmt.Fprintf(&b, `<w:tc><w:tcPr>%s<w:gridSpan w:val="%d"/></w:tcPr>%s</w:tc>`, tcW(0, span), span, cellPara(r[0]))
				from = span
			}
		}
		for c, v := range r {
			if c < from {
				continue
			}
			props := ""
			if c == 0 && i > 0 && !clerkNumbered(kept, i) {
				switch {
				case v == "":
					props = `<w:vMerge/>`
				case i+1 < len(kept) && kept[i+1][0] == "":
					props = `<w:vMerge w:val="restart"/>`
				}
			}
			b.WriteString(`<w:tc><w:tcPr>` + tcW(c, 1) + props + `</w:tcPr>` + cellPara(v) + `</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	return b.String()
}

// clerkNumbered says whether the table's first column holds serial numbers (a project table):
// those cells are never merged.
func clerkNumbered(rows [][]string, _ int) bool {
	return len(rows) > 0 && strings.Contains(rows[0][0], "序号")
}

func clerkZip(t testing.TB, doc string) []byte {
	t.Helper()
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	parts := []struct{ name, text string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ` + w + `><w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:pPr><w:jc w:val="both"/></w:pPr><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:pPr><w:keepNext/><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/><w:ind w:firstLine="640"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="a3"><w:name w:val="footnote text"/><w:basedOn w:val="a"/><w:rPr><w:sz w:val="18"/></w:rPr></w:style></w:styles>`},
		{"word/numbering.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering ` + w + `><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`},
		{"word/footnotes.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes ` + w + `><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="a3"/></w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 会议于2021年5月召开。</w:t></w:r></w:p></w:footnote></w:footnotes>`},
		{"word/footer1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr ` + w + `><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`},
		{"word/document.xml", doc},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		f, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(p.text)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestClerkWrite writes the clerk's Word plans to XIEZUO_CLERK_DIR (to print them, or open them).
func TestClerkWrite(t *testing.T) {
	dir := os.Getenv("XIEZUO_CLERK_DIR")
	if dir == "" {
		t.Skip("XIEZUO_CLERK_DIR not set")
	}
	for _, src := range clerkSources {
		text, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		if err := os.WriteFile(filepath.Join(dir, name+".docx"), clerkDOCX(t, string(text)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var clerkSources = []string{
	"testdata/layouts/after-categories.md",
	"testdata/layouts/paren-points.txt",
	"testdata/2022-huairou-plan.md",
	"testdata/2023-yanqing-plan.txt",
	"testdata/bad/2022-huairou-errors.md",
	"testdata/bad/2023-yanqing-errors.txt",
}

// TestClerkDOCX: the plans and their broken copies written as a clerk writes them in Word read
// as their text: the same summary, the same errors and warnings (a row typed short stays
// short in a Word table too).
func TestClerkDOCX(t *testing.T) {
	for _, src := range clerkSources {
		t.Run(filepath.Base(src), func(t *testing.T) {
			text, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Parse(filepath.Base(src), text)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse("plan.docx", clerkDOCX(t, string(text)))
			if err != nil {
				t.Fatalf("Parse(plan.docx): %v", err)
			}
			if diff := cmp.Diff(figures(want.Summary()), figures(got.Summary())); diff != "" {
				t.Errorf("summary (-text +docx):\n%s", diff)
			}
			norm := func(ps []xiezuo.Problem) []string {
				var out []string
				for _, m := range messages(ps) {
					out = append(out, reLineRef.ReplaceAllString(rePlaceRef.ReplaceAllString(strings.ReplaceAll(m, "．", "."), "与第N行的"), "第N行"))
				}
				return out
			}
			if diff := cmp.Diff(norm(want.Errors), norm(got.Errors)); diff != "" {
				t.Errorf("errors (-text +docx):\n%s", diff)
			}
			if diff := cmp.Diff(norm(want.Warnings), norm(got.Warnings)); diff != "" {
				t.Errorf("warnings (-text +docx):\n%s", diff)
			}
			for _, p := range append(got.Errors, got.Warnings...) {
				if p.Where == "" || p.Line < 1 {
					t.Errorf("problem %+v: want a line and where", p)
				}
			}
		})
	}
}

// TestClerkPDF: the clerk's Word plans printed to PDF by LibreOffice (testdata/pdf/clerk-*.pdf:
// numbered headings and points with Word's tab after the number, region, category and 合计
// rows merged across the first columns, rows without padding, 附件3 landscape) read as their
// text. A row typed short prints with empty cells (the one error a PDF cannot give). The 2021
// plan in its two layouts too: a task row split at a page break in every cell, the 附件 list
// wrapped under its text, 、 left out at a bold line's end.
func TestClerkPDF(t *testing.T) {
	needPdftotext(t)
	for _, src := range clerkSources {
		name := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			pdf, err := os.ReadFile(filepath.Join("testdata", "pdf", "clerk-"+name+".pdf"))
			if err != nil {
				t.Fatal(err)
			}
			checkPDFReading(t, filepath.Base(src), text, name+".pdf", pdf,
				"项目“郧阳区就业帮扶车间项目”这一行只有 11 列，表头有 15 列：可能漏了单元格或分隔符",
				"项目“郧阳区就业帮扶车间项目”没有写明项目牵头单位")
		})
	}
}

// TestPlaceInMessages: a message naming another line names it as the clerk finds it in the Word
// or PDF document, not by an ordinal the clerk cannot see.
func TestPlaceInMessages(t *testing.T) {
	text, err := os.ReadFile("testdata/bad/2022-huairou-errors.md")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse("plan.docx", clerkDOCX(t, string(text)))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range res.Errors {
		if strings.HasPrefix(p.Message, "年份为 2021 年") {
			found = true
			if want := "年份为 2021 年，与通知第2段的 2022 年不一致"; p.Message != want {
				t.Errorf("message = %q, want %q", p.Message, want)
			}
		}
	}
	if !found {
		t.Errorf("errors %v: want the year that differs", res.Errors)
	}
}
