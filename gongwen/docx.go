package gongwen

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// WriteDOCX writes d as a Word document (.docx) in the layout of GB/T 9704-2012: A4, margins
// 37/35/28/26 mm, the body in 3号 仿宋_GB2312 on a grid of 22 lines of 28 characters, the
// title in 2号 方正小标宋简体, headings 一、（一）1.（1） in 黑体, 楷体, bold 仿宋 and 仿宋, the red
// header when Issuer is set, tables with their captions and repeated header rows, charts as
// images, and page numbers — 1 — at the outside edge. The bytes depend on d only (fixed times
// in the zip), so that the same document gives the same file. Charts need a CJK font to draw
// their labels (FindFont); a document without charts needs none.
func WriteDOCX(w io.Writer, d Document) error {
	var f Font
	if needsFont(d) {
		var err error
		if f, err = FindFont(); err != nil {
			return err
		}
	}
	return WriteDOCXFont(w, d, f)
}

// WriteDOCXFont is WriteDOCX with the font the charts' images are drawn with given.
func WriteDOCXFont(w io.Writer, d Document, f Font) error {
	x := &docx{fontTTF: f.Regular}
	if err := x.document(d); err != nil {
		return err
	}
	return x.write(w, d)
}

// condense is the characters' spacing, in twips, that puts 28 characters of 3号 on a line
// of 156 mm (15.75 pt each). docGrid's charSpace would say the same to Word, but LibreOffice
// lays such a grid out with far fewer characters a line.
const condense = -5

// twips of a length in points.
func tw(pt float64) int { return int(math.Round(pt * 20)) }

// Lengths in twips used by the writer.
var (
	twLine    = tw(linePitch) // 579
	twChar    = tw(bodySize)  // 320: one character of the body
	twTextW   = tw(textW)     // 8844
	twTitleLn = tw(titlePitch)
)

type media struct {
	name string
	data []byte
}

// docx gathers the body of word/document.xml and the images it refers to.
type docx struct {
	b       strings.Builder
	media   []media
	num     numberer
	tables  int
	figures int
	fontTTF []byte
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// esc escapes text for XML after cleaning it of what XML refuses.
func esc(s string) string { return xmlEscaper.Replace(clean(s)) }

// rpr is a run's properties: the font (its Word name for ASCII and Chinese), the size in
// points (0: the style's), bold, colour ("": the style's).
func rpr(font string, size float64, bold bool, color string) string {
	var b strings.Builder
	b.WriteString("<w:rPr>")
	if font != "" {
		fmt.Fprintf(&b, `<w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s" w:cs="%[1]s" w:hint="eastAsia"/>`, font)
	}
	if bold {
		b.WriteString(`<w:b/><w:bCs/>`)
	}
	if color != "" {
		fmt.Fprintf(&b, `<w:color w:val="%s"/>`, color)
	}
	if size > 0 {
		fmt.Fprintf(&b, `<w:sz w:val="%[1]d"/><w:szCs w:val="%[1]d"/>`, int(math.Round(size*2)))
	}
	b.WriteString("</w:rPr>")
	return b.String()
}

// run writes text as a run, line breaks (\n) as breaks.
func run(props, text string) string {
	var b strings.Builder
	for i, line := range strings.Split(clean(text), "\n") {
		b.WriteString("<w:r>")
		b.WriteString(props)
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		fmt.Fprintf(&b, `<w:t xml:space="preserve">%s</w:t></w:r>`, xmlEscaper.Replace(line))
	}
	return b.String()
}

// para writes a paragraph of the style with the further paragraph properties and runs.
func (x *docx) para(style, ppr string, runs ...string) {
	x.b.WriteString("<w:p><w:pPr>")
	if style != "" {
		fmt.Fprintf(&x.b, `<w:pStyle w:val="%s"/>`, style)
	}
	x.b.WriteString(ppr)
	x.b.WriteString("</w:pPr>")
	for _, r := range runs {
		x.b.WriteString(r)
	}
	x.b.WriteString("</w:p>")
}

func spacing(beforeTw int) string {
	return fmt.Sprintf(`<w:spacing w:before="%d"/>`, beforeTw)
}

func (x *docx) document(d Document) error {
	if d.Mark != "" {
		x.para("", `<w:ind w:firstLine="0"/><w:jc w:val="left"/>`, run(rpr(fontHei, bodySize, false, ""), oneLine(d.Mark)))
	}
	if d.Issuer != "" {
		size := issuerSize(oneLine(d.Issuer))
		x.para("Issuer", fmt.Sprintf(`<w:spacing w:before="%d" w:line="%d" w:lineRule="exact"/>`, tw(35*mm-linePitch), tw(size*1.25)),
			run(rpr("", size, false, ""), oneLine(d.Issuer)))
		// The number two lines below the issuer, the red line 4 mm under it.
		x.para("DocNumber", fmt.Sprintf(`<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="%d" w:color="FF0000"/></w:pBdr>%s`, 11, spacing(2*twLine)), // 11 pt: 4 mm
			run("", oneLine(d.Number)))
	} else if d.Number != "" {
		x.para("DocNumber", "", run("", oneLine(d.Number)))
	}
	if d.Title != "" {
		before := 0
		if d.Issuer != "" || d.Number != "" {
			before = 2 * twLine
		}
		x.para("Title", spacing(before), run("", d.Title))
	}
	if d.Recipient != "" {
		x.para("", spacing(twLine)+`<w:ind w:firstLine="0"/><w:jc w:val="left"/>`, run("", oneLine(d.Recipient)+"："))
	}
	for _, b := range d.Blocks {
		if err := x.block(b); err != nil {
			return err
		}
	}
	if len(d.Attachments) > 0 {
		label := "附件："
		hang := 3 * twChar
		for i, a := range d.Attachments {
			text := oneLine(a)
			if len(d.Attachments) > 1 {
				text = strconv.Itoa(i+1) + "．" + text
			}
			ppr := fmt.Sprintf(`<w:ind w:left="%d"/>`, 2*twChar+hang)
			if i == 0 {
				ppr = spacing(twLine) + fmt.Sprintf(`<w:ind w:left="%d" w:hanging="%d"/>`, 2*twChar+hang, hang)
				text = label + text
			}
			x.para("", ppr+`<w:jc w:val="left"/>`, run("", text))
		}
	}
	if d.Signature != "" || d.Date != "" {
		date := arabicDate(oneLine(d.Date))
		sigR, dateR := signatureIndents(oneLine(d.Signature), date)
		before := 2 * twLine
		if d.Signature != "" {
			x.para("", spacing(before)+fmt.Sprintf(`<w:ind w:right="%d" w:firstLine="0"/><w:jc w:val="right"/>`, tw(sigR)), run("", oneLine(d.Signature)))
			before = 0
		}
		if d.Date != "" {
			x.para("", spacing(before)+fmt.Sprintf(`<w:ind w:right="%d" w:firstLine="0"/><w:jc w:val="right"/>`, tw(dateR)), run("", date))
		}
	}
	if d.Footer != "" {
		x.para("", fmt.Sprintf(`<w:pBdr><w:top w:val="single" w:sz="8" w:space="4" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:space="4" w:color="000000"/></w:pBdr>%s<w:ind w:left="%d" w:right="%d" w:firstLine="0"/><w:jc w:val="left"/>`, spacing(2*twLine), tw(pageNoSize), tw(pageNoSize)),
			run(rpr("", pageNoSize, false, ""), d.Footer))
	}
	return nil
}

func (x *docx) block(b Block) error {
	switch {
	case b.Kind == Paragraph:
		for _, line := range strings.Split(clean(b.Text), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			x.para("", "", run("", line))
		}
	case isHeading(b.Kind):
		n := x.num.next(b)
		lvl := int(b.Kind-Heading1) + 1
		x.para("Heading"+strconv.Itoa(lvl), "", run("", n+oneLine(b.Text)))
	case b.Kind == TableBlock:
		if b.Table == nil {
			return nil
		}
		x.tables++
		if b.Table.Landscape {
			// A section of its own: the paragraph before ends the portrait section, the one
			// after ends the landscape one (Word keeps a section's properties in its last
			// paragraph).
			x.b.WriteString(`<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>` + sectPr(false) + `</w:pPr></w:p>`)
			x.table(b.Table, caption("表", x.tables, b.Table.Caption))
			x.b.WriteString(`<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>` + sectPr(true) + `</w:pPr></w:p>`)
			return nil
		}
		x.table(b.Table, caption("表", x.tables, b.Table.Caption))
	case b.Kind == ChartBlock:
		c, ok := chartOf(b)
		if !ok {
			return nil
		}
		if err := c.render(x.fontTTF); err != nil {
			return fmt.Errorf("gongwen: chart %q: %w", c.title, err)
		}
		x.figures++
		name := fmt.Sprintf("chart%d.png", x.figures)
		x.media = append(x.media, media{name, c.png})
		x.image(len(x.media), name, c.w, c.h)
		x.para("Caption", "", run("", caption("图", x.figures, c.title)))
		if b.WithTable {
			x.table(tableOfChart(c.table), "")
		}
	case b.Kind == PageBreak:
		x.b.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
	}
	return nil
}

// image writes an inline picture of w × h points, the relationship rIdImgN.
func (x *docx) image(n int, name string, w, h float64) {
	cx, cy := int(math.Round(w*12700)), int(math.Round(h*12700))
	x.para("Figure", "", fmt.Sprintf(`<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%[1]d" cy="%[2]d"/><wp:docPr id="%[3]d" name="图%[3]d"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="%[3]d" name="%[4]s"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg%[3]d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%[1]d" cy="%[2]d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`,
		cx, cy, n, name))
}

// table writes the caption, the table and its notes.
func (x *docx) table(t *Table, capt string) {
	l := layoutTable(t)
	if capt != "" {
		x.para("TableCaption", "", run("", capt))
	}
	widths := make([]int, l.cols)
	sum := 0
	for i, f := range l.widths {
		widths[i] = int(math.Round(f * float64(tw(l.width))))
		sum += widths[i]
	}
	widths[l.cols-1] += tw(l.width) - sum
	fmt.Fprintf(&x.b, `<w:tbl><w:tblPr><w:tblStyle w:val="GongwenTable"/><w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`, tw(l.width))
	for _, w := range widths {
		fmt.Fprintf(&x.b, `<w:gridCol w:w="%d"/>`, w)
	}
	x.b.WriteString("</w:tblGrid>")
	spanW := func(c, n int) int {
		s := 0
		for k := c; k < c+n && k < len(widths); k++ {
			s += widths[k]
		}
		return s
	}
	size := rpr("", l.size, false, "")
	bold := rpr("", l.size, true, "")
	cellPara := func(jc, props, text string) string {
		return fmt.Sprintf(`<w:p><w:pPr><w:pStyle w:val="TableText"/><w:jc w:val="%s"/></w:pPr>%s</w:p>`, jc, run(props, text))
	}
	for _, row := range l.header {
		x.b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
		for c, h := range row {
			switch {
			case h.below && h.head:
				fmt.Fprintf(&x.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:gridSpan w:val="%d"/><w:vMerge/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p></w:tc>`, spanW(c, h.span), h.span)
			case h.covered:
			default:
				vm := ""
				if h.rows > 1 {
					vm = `<w:vMerge w:val="restart"/>`
				}
				fmt.Fprintf(&x.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:gridSpan w:val="%d"/>%s<w:vAlign w:val="center"/></w:tcPr>%s</w:tc>`,
					spanW(c, h.span), h.span, vm, cellPara("center", bold, h.text))
			}
		}
		x.b.WriteString("</w:tr>")
	}
	rows := l.rows
	if len(rows) == 0 && len(l.header) == 0 {
		rows = [][]string{{"无数据"}}
		l.cols = 1
		widths = []int{twTextW}
	}
	for i, row := range rows {
		x.b.WriteString("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
		props := size
		if l.total[i] {
			props = bold
		}
		for c, s := range row {
			jc := "left"
			if c < len(l.numeric) && l.numeric[c] {
				jc = "right"
			}
			fmt.Fprintf(&x.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>%s</w:tc>`, spanW(c, 1), cellPara(jc, props, s))
		}
		x.b.WriteString("</w:tr>")
	}
	x.b.WriteString("</w:tbl>")
	if t.Notes != "" {
		x.para("TableNote", "", run("", t.Notes))
	}
}

const (
	nsW   = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	nsR   = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	nsAll = nsW + ` ` + nsR + ` xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`
	xmlHd = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// zipTime is the time of every file in the zip, so that the bytes depend on the document only.
var zipTime = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

func (x *docx) write(w io.Writer, d Document) error {
	z := zip.NewWriter(w)
	put := func(name, content string, data []byte) error {
		method := zip.Deflate
		if data != nil {
			method = zip.Store // PNG is compressed already
		}
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: zipTime})
		if err != nil {
			return err
		}
		if data == nil {
			data = []byte(content)
		}
		_, err = f.Write(data)
		return err
	}
	var ct, rels strings.Builder
	ct.WriteString(xmlHd + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`)
	rels.WriteString(xmlHd + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>`)
	for i, m := range x.media {
		fmt.Fprintf(&rels, `<Relationship Id="rIdImg%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/%s"/>`, i+1, m.name)
	}
	rels.WriteString(`</Relationships>`)
	sect := sectPr(false)
	doc := xmlHd + `<w:document ` + nsAll + `><w:body>` + x.b.String() + sect + `</w:body></w:document>`
	title := esc(oneLine(d.Title))
	core := xmlHd + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + title + `</dc:title><dc:creator>` + esc(oneLine(d.Issuer)) + `</dc:creator></cp:coreProperties>`
	app := xmlHd + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>xiezuo</Application></Properties>`
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", ct.String()},
		{"_rels/.rels", xmlHd + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`},
		{"docProps/core.xml", core},
		{"docProps/app.xml", app},
		{"word/document.xml", doc},
		{"word/_rels/document.xml.rels", rels.String()},
		{"word/styles.xml", stylesXML()},
		{"word/settings.xml", xmlHd + `<w:settings ` + nsW + `><w:defaultTabStop w:val="` + strconv.Itoa(twChar*2) + `"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`},
		{"word/fontTable.xml", fontTableXML()},
		{"word/footer1.xml", footerXML("right")},
		{"word/footer2.xml", footerXML("left")},
	}
	for _, p := range parts {
		if err := put(p.name, p.content, nil); err != nil {
			return fmt.Errorf("gongwen: write docx: %w", err)
		}
	}
	for _, m := range x.media {
		if err := put("word/media/"+m.name, "", m.data); err != nil {
			return fmt.Errorf("gongwen: write docx: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("gongwen: write docx: %w", err)
	}
	return nil
}

// sectPr is a section's properties: A4, portrait or turned to landscape (a wide table's pages),
// the margins, the footers (odd pages right, even pages left), the grid.
func sectPr(land bool) string {
	size := `<w:pgSz w:w="11906" w:h="16838"/>`
	top, right, bottom, left := marginTop, marginRite, marginBot, marginLeft
	if land {
		size = `<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>`
	}
	return fmt.Sprintf(`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>%s<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/><w:docGrid w:type="lines" w:linePitch="%d"/></w:sectPr>`,
		size, tw(top), tw(right), tw(bottom), tw(left), tw(bottom-footerGap-pageNoSize*1.2), twLine)
}

// footerXML is a footer with the page number — N — in 4号 宋体, one character in from the edge
// on the side given.
func footerXML(side string) string {
	return xmlHd + `<w:ftr ` + nsW + ` ` + nsR + `><w:p><w:pPr><w:pStyle w:val="Footer"/><w:ind w:` + side + `="` + strconv.Itoa(tw(pageNoSize)) + `"/><w:jc w:val="` + side + `"/></w:pPr>` +
		run("", "— ") + `<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>` + run("", " —") + `</w:p></w:ftr>`
}

// fontTableXML names the fonts with the names LibreOffice and machines without the GB2312
// fonts know them by.
func fontTableXML() string {
	fonts := []struct{ name, alt, family string }{
		{fontFangSong, "仿宋", "modern"},
		{fontKai, "楷体", "modern"},
		{fontHei, "SimHei", "modern"},
		{fontXBS, "宋体", "roman"},
		{fontSong, "SimSun", "auto"},
	}
	var b strings.Builder
	b.WriteString(xmlHd + `<w:fonts ` + nsW + `>`)
	for _, f := range fonts {
		fmt.Fprintf(&b, `<w:font w:name="%s"><w:altName w:val="%s"/><w:charset w:val="86"/><w:family w:val="%s"/><w:pitch w:val="variable"/></w:font>`, f.name, f.alt, f.family)
	}
	b.WriteString(`</w:fonts>`)
	return b.String()
}

// stylesXML defines the document's styles: the body (Normal) and the 公文's other elements.
func stylesXML() string {
	fonts := func(f string) string {
		return fmt.Sprintf(`<w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s" w:cs="%[1]s" w:hint="eastAsia"/>`, f)
	}
	sz := func(pt float64) string { return fmt.Sprintf(`<w:sz w:val="%[1]d"/><w:szCs w:val="%[1]d"/>`, int(pt*2)) }
	exact := func(t int) string {
		return fmt.Sprintf(`<w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/>`, t)
	}
	single := `<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>`
	firstLine := fmt.Sprintf(`<w:ind w:firstLine="%d"/>`, 2*twChar)
	style := func(id, name, pPr, rPr string, extra string) string {
		return fmt.Sprintf(`<w:style w:type="paragraph" w:customStyle="1" w:styleId="%s"><w:name w:val="%s"/><w:basedOn w:val="Normal"/>%s<w:pPr>%s</w:pPr><w:rPr>%s</w:rPr></w:style>`, id, name, extra, pPr, rPr)
	}
	heading := func(n int, font string, bold bool) string {
		b := ""
		if bold {
			b = `<w:b/><w:bCs/>`
		}
		return fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Heading%[1]d"><w:name w:val="heading %[1]d"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/>%[2]s<w:outlineLvl w:val="%[3]d"/></w:pPr><w:rPr>%[4]s%[5]s</w:rPr></w:style>`,
			n, firstLine, n-1, fonts(font), b)
	}
	var b strings.Builder
	b.WriteString(xmlHd + `<w:styles ` + nsW + `>`)
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr>` + fonts(fontFangSong) + `<w:spacing w:val="` + strconv.Itoa(condense) + `"/>` + sz(bodySize) + `<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>` + exact(twLine) + `</w:pPr></w:pPrDefault></w:docDefaults>`)
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/>` + firstLine + `<w:jc w:val="both"/></w:pPr><w:rPr>` + fonts(fontFangSong) + sz(bodySize) + `</w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>`)
	b.WriteString(`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0" w:line="` + strconv.Itoa(twTitleLn) + `" w:lineRule="exact"/><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>` + fonts(fontXBS) + sz(titleSize) + `</w:rPr></w:style>`)
	for i, h := range []struct {
		font string
		bold bool
	}{{fontHei, false}, {fontKai, false}, {fontFangSong, true}, {fontFangSong, false}} {
		b.WriteString(heading(i+1, h.font, h.bold))
	}
	b.WriteString(style("Issuer", "发文机关标志", `<w:ind w:firstLine="0"/><w:jc w:val="center"/>`, fonts(fontXBS)+`<w:color w:val="FF0000"/>`, ""))
	b.WriteString(style("DocNumber", "发文字号", `<w:ind w:firstLine="0"/><w:jc w:val="center"/>`, "", ""))
	b.WriteString(style("TableCaption", "表题", `<w:keepNext/><w:ind w:firstLine="0"/><w:jc w:val="center"/>`, fonts(fontHei)+sz(14), ""))
	b.WriteString(style("Caption", "图题", `<w:ind w:firstLine="0"/><w:jc w:val="center"/>`, fonts(fontHei)+sz(14), ""))
	b.WriteString(style("Figure", "图", `<w:keepNext/>`+single+`<w:ind w:firstLine="0"/><w:jc w:val="center"/>`, "", ""))
	b.WriteString(style("TableText", "表格文字", single+`<w:ind w:firstLine="0"/>`, sz(14), ""))
	b.WriteString(style("TableNote", "表注", `<w:snapToGrid w:val="0"/><w:spacing w:before="60" w:after="120" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="left"/>`, sz(12), ""))
	b.WriteString(style("Footer", "footer", single+`<w:ind w:firstLine="0"/>`, fonts(fontSong)+sz(pageNoSize), ""))
	b.WriteString(`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	b.WriteString(`<w:style w:type="table" w:customStyle="1" w:styleId="GongwenTable"><w:name w:val="公文表格"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	b.WriteString(`</w:styles>`)
	return b.String()
}
