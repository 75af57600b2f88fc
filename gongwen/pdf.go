package gongwen

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

// WritePDF writes d as PDF in the layout WriteDOCX gives it (A4, the GB/T 9704 margins, 3号
// body on 22 lines a page, 2号 title, headings 一、（一）1.（1）, the red header, tables that
// break across pages with their header rows repeated and their cells' text wrapped, charts as
// images, page numbers — N — at the outside edge), set in the font f (FindFont), which fpdf
// embeds as a subset of the glyphs used. The family's bold face is used when f has one; else
// bold text is drawn by stroking the outlines.
func WritePDF(w io.Writer, d Document, f Font) error {
	if f.Regular == nil {
		return ErrNoFont
	}
	p := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", SizeStr: "A4", OrientationStr: "P"})
	p.SetMargins(marginLeft, marginTop, marginRite)
	p.SetAutoPageBreak(false, 0)
	p.SetCreationDate(zipTime)
	p.SetModificationDate(zipTime)
	p.SetCatalogSort(true)
	p.SetProducer("xiezuo", false)
	p.SetTitle(oneLine(d.Title), true)
	p.SetAuthor(oneLine(d.Issuer), true)
	p.AddUTF8FontFromBytes("cjk", "", f.Regular)
	if f.Bold != nil {
		p.AddUTF8FontFromBytes("cjk", "B", f.Bold)
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("gongwen: font %s: %w", f.Path, err)
	}
	x := &pdfw{p: p, bold: f.Bold != nil, fontTTF: f.Regular, widths: map[rune]float64{}}
	p.SetFooterFunc(x.pageNumber)
	x.newPage()
	if err := x.document(d); err != nil {
		return err
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("gongwen: write pdf: %w", err)
	}
	if err := p.Output(w); err != nil {
		return fmt.Errorf("gongwen: write pdf: %w", err)
	}
	return nil
}

// pdfw lays the document out on pages: y is the top of the next line.
type pdfw struct {
	p       *fpdf.Fpdf
	y       float64
	bold    bool // the font has a bold face
	num     numberer
	tables  int
	figures int
	images  int
	fontTTF []byte
	size    float64
	isBold  bool
	color   [3]int
	widths  map[rune]float64 // advance widths at 1 pt, regular face
	bwidths map[rune]float64 // and bold
	// The page: its width, text width and bottom (a landscape table's pages are turned).
	pw, tw, bot float64
	land        bool
}

// tracking is the spacing added after each character, in points: −0.25, as the .docx's
// condensed spacing, puts 28 characters of 3号 on a line of 156 mm.
const tracking = condense / 20.0

func (x *pdfw) newPage() { x.addPage(false) }

// addPage starts a page, turned to landscape when land: the page's width, text width and bottom
// follow it (the footer of the page closed is drawn before they change).
func (x *pdfw) addPage(land bool) {
	if land {
		x.p.AddPageFormat("L", fpdf.SizeType{Wd: pageW, Ht: pageH})
		x.pw, x.tw, x.bot = pageH, landTextW, pageW-marginBot
	} else {
		x.p.AddPageFormat("P", fpdf.SizeType{Wd: pageW, Ht: pageH})
		x.pw, x.tw, x.bot = pageW, textW, pageH-marginBot
	}
	x.land = land
	x.p.RawWriteStr(strconv.FormatFloat(tracking, 'f', 2, 64) + " Tc\n")
	x.y = marginTop
}

// ensure starts a new page unless h more points fit on this one.
func (x *pdfw) ensure(h float64) {
	if x.y+h > x.bot+0.01 && x.y > marginTop+0.01 {
		x.newPage()
	}
}

func (x *pdfw) font(size float64, bold bool) {
	x.size, x.isBold = size, bold
	style := ""
	if bold && x.bold {
		style = "B"
	}
	x.p.SetFont("cjk", style, size)
}

// width is the width of s in the current font.
func (x *pdfw) width(s string) float64 {
	m := x.widths
	if x.isBold && x.bold {
		if x.bwidths == nil {
			x.bwidths = map[rune]float64{}
		}
		m = x.bwidths
	}
	var w float64
	n := 0
	for _, r := range s {
		n++
		v, ok := m[r]
		if !ok {
			size := x.size
			x.p.SetFontSize(1)
			v = x.p.GetStringWidth(string(r))
			x.p.SetFontSize(size)
			m[r] = v
		}
		w += v
	}
	return w*x.size + tracking*float64(n)
}

// setColor sets the text's colour.
func (x *pdfw) setColor(r, g, b int) {
	x.color = [3]int{r, g, b}
	x.p.SetTextColor(r, g, b)
}

// text writes s with its baseline at y, from x, in the current colour.
func (x *pdfw) text(px, baseline float64, s string) {
	if s == "" {
		return
	}
	if x.isBold && !x.bold {
		x.p.SetTextRenderingMode(2)
		x.p.SetLineWidth(x.size * 0.035)
		x.p.SetDrawColor(x.color[0], x.color[1], x.color[2])
		defer func() {
			x.p.SetTextRenderingMode(0)
			x.p.SetLineWidth(0.5)
			x.p.SetDrawColor(0, 0, 0)
		}()
	}
	x.p.Text(px, baseline, s)
}

// noStart are the characters a line may not start with (they hang at the end of the line
// before instead); noEnd those it may not end with.
const (
	noStart = "，。、；：？！）》」』】〕’”,.;:?!)]…—％%"
	noEnd   = "（《「『【〔‘“([￥$"
)

// wrap breaks s into lines of at most width points in the current font, the first line
// first points shorter (an indent): between any two CJK characters, between words of other
// scripts, punctuation kept off the start of a line.
func (x *pdfw) wrap(s string, width, first float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, x.wrapLine(para, width, first)...)
		first = 0
	}
	return lines
}

func (x *pdfw) wrapLine(s string, width, first float64) []string {
	// Pieces that do not break: a CJK character, or a run of other letters and digits.
	var pieces []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		if isWordRune(rs[i]) {
			for j < len(rs) && isWordRune(rs[j]) && j-i < 40 {
				j++
			}
		}
		pieces = append(pieces, string(rs[i:j]))
		i = j
	}
	var lines []string
	var cur strings.Builder
	curW := 0.0
	avail := width - first
	for i := 0; i < len(pieces); i++ {
		pc := pieces[i]
		pw := x.width(pc)
		if curW+pw > avail+0.01 && cur.Len() > 0 {
			r := []rune(pc)[0]
			switch {
			case strings.ContainsRune(noStart, r):
				// Hang the punctuation at the end of this line.
				cur.WriteString(pc)
				lines = append(lines, cur.String())
				cur.Reset()
				curW = 0
				avail = width
				continue
			default:
				line := cur.String()
				// A line may not end with an opening bracket: carry it down.
				carry := ""
				if lr := []rune(line); len(lr) > 1 && strings.ContainsRune(noEnd, lr[len(lr)-1]) {
					carry = string(lr[len(lr)-1])
					line = string(lr[:len(lr)-1])
				}
				lines = append(lines, line)
				cur.Reset()
				cur.WriteString(carry)
				curW = x.width(carry)
				avail = width
			}
			// A piece wider than a line (a long word) is cut.
			for pw > avail && len([]rune(pc)) > 1 {
				cut := x.fitRunes(pc, avail-curW)
				if cut == "" {
					break
				}
				lines = append(lines, cur.String()+cut)
				cur.Reset()
				curW = 0
				pc = pc[len(cut):]
				pw = x.width(pc)
			}
		}
		cur.WriteString(pc)
		curW += pw
	}
	if cur.Len() > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// fitRunes is the longest start of s at most w wide (one rune at least).
func (x *pdfw) fitRunes(s string, w float64) string {
	acc := 0.0
	for i, r := range s {
		rw := x.width(string(r))
		if acc+rw > w && i > 0 {
			return s[:i]
		}
		acc += rw
	}
	return s
}

func isWordRune(r rune) bool {
	return r < 0x2E80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_' || r == '/' || r == '%')
}

// baseline is where text of size sits in a line of height h starting at top.
func baseline(top, h, size float64) float64 { return top + h/2 + size*0.36 }

// lines writes the lines in size at the pitch from the current y, aligned ("L", "C", "R") in
// the text's width less the indents; indent applies to the first line.
func (x *pdfw) lines(ls []string, size, pitch float64, align string, first, left, right float64) {
	for i, l := range ls {
		x.ensure(pitch)
		ind := left
		if i == 0 {
			ind += first
		}
		px := marginLeft + ind
		switch align {
		case "C":
			px = marginLeft + left + (x.tw-left-right-x.width(l))/2
		case "R":
			px = marginLeft + x.tw - right - x.width(l)
		case "J":
			// Justified as Word sets the body: every line but the last fills the measure, the
			// difference (a half-width figure, a hung comma) spread over its characters.
			if n := utf8.RuneCountInString(l); i < len(ls)-1 && n > 1 {
				extra := x.tw - ind - right - (x.width(l) - tracking)
				if d := extra / float64(n-1); math.Abs(d) < size/3 {
					x.p.RawWriteStr(strconv.FormatFloat(tracking+d, 'f', 3, 64) + " Tc\n")
					x.text(px, baseline(x.y, pitch, size), l)
					x.p.RawWriteStr(strconv.FormatFloat(tracking, 'f', 2, 64) + " Tc\n")
					x.y += pitch
					continue
				}
			}
		}
		x.text(px, baseline(x.y, pitch, size), l)
		x.y += pitch
	}
}

// para writes a paragraph: size, bold, alignment, first-line indent, left and right indents.
func (x *pdfw) para(s string, size float64, bold bool, pitch float64, align string, first, left, right float64) {
	x.font(size, bold)
	x.lines(x.wrap(s, x.tw-left-right, first), size, pitch, align, first, left, right)
}

func (x *pdfw) document(d Document) error {
	if d.Mark != "" {
		x.para(oneLine(d.Mark), bodySize, true, linePitch, "L", 0, 0, 0)
	}
	if d.Issuer != "" {
		x.y += 35*mm - linePitch
		size := issuerSize(oneLine(d.Issuer))
		x.setColor(255, 0, 0)
		x.para(oneLine(d.Issuer), size, true, size*1.25, "C", 0, 0, 0)
		x.setColor(0, 0, 0)
		x.y += 2 * linePitch
		if d.Number != "" {
			x.para(oneLine(d.Number), bodySize, false, linePitch, "C", 0, 0, 0)
		} else {
			x.y += linePitch
		}
		// The red line 4 mm under the number, as wide as the text.
		x.p.SetDrawColor(255, 0, 0)
		x.p.SetLineWidth(1.5)
		x.p.Line(marginLeft, x.y+4*mm-8, marginLeft+x.tw, x.y+4*mm-8)
		x.p.SetDrawColor(0, 0, 0)
		x.p.SetLineWidth(0.5)
	} else if d.Number != "" {
		x.para(oneLine(d.Number), bodySize, false, linePitch, "C", 0, 0, 0)
	}
	if d.Title != "" {
		if d.Issuer != "" || d.Number != "" {
			x.y += 2 * linePitch
		}
		x.para(clean(d.Title), titleSize, true, titlePitch, "C", 0, 0, 0)
	}
	if d.Recipient != "" {
		x.y += linePitch
		x.para(oneLine(d.Recipient)+"：", bodySize, false, linePitch, "L", 0, 0, 0)
	}
	for _, b := range d.Blocks {
		// A landscape table starts on a landscape page; what follows it, on a portrait one.
		land := b.Kind == TableBlock && b.Table != nil && b.Table.Landscape
		if land != x.land && (land || b.Kind != PageBreak) {
			x.addPage(land)
		}
		if err := x.block(b); err != nil {
			return err
		}
	}
	if x.land {
		x.newPage()
	}
	if len(d.Attachments) > 0 {
		x.y += linePitch
		x.font(bodySize, false)
		label := "附件："
		left := 2*bodySize + x.width(label)
		for i, a := range d.Attachments {
			text := oneLine(a)
			if len(d.Attachments) > 1 {
				text = strconv.Itoa(i+1) + "．" + text
			}
			if i == 0 {
				x.para(label+text, bodySize, false, linePitch, "L", -x.width(label), left, 0)
				continue
			}
			x.para(text, bodySize, false, linePitch, "L", 0, left, 0)
		}
	}
	if d.Signature != "" || d.Date != "" {
		date := arabicDate(oneLine(d.Date))
		sigR, dateR := signatureIndents(oneLine(d.Signature), date)
		x.ensure(4 * linePitch)
		if x.y > marginTop+0.01 {
			x.y += 2 * linePitch
		}
		if d.Signature != "" {
			x.para(oneLine(d.Signature), bodySize, false, linePitch, "R", 0, 0, sigR)
		}
		if d.Date != "" {
			x.para(date, bodySize, false, linePitch, "R", 0, 0, dateR)
		}
	}
	if d.Footer != "" {
		x.y += 2 * linePitch
		x.font(pageNoSize, false)
		ls := x.wrap(clean(d.Footer), x.tw-2*pageNoSize, 0)
		h := float64(len(ls))*pageNoSize*1.6 + 8
		x.ensure(h)
		x.p.SetLineWidth(0.7)
		x.p.Line(marginLeft, x.y, marginLeft+x.tw, x.y)
		x.y += 4
		x.lines(ls, pageNoSize, pageNoSize*1.6, "L", 0, pageNoSize, pageNoSize)
		x.y += 4
		x.p.Line(marginLeft, x.y, marginLeft+x.tw, x.y)
		x.p.SetLineWidth(0.5)
	}
	return nil
}

func (x *pdfw) block(b Block) error {
	switch {
	case b.Kind == Paragraph:
		for _, line := range strings.Split(clean(b.Text), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			x.para(line, bodySize, false, linePitch, "J", 2*bodySize, 0, 0)
		}
	case isHeading(b.Kind):
		n := x.num.next(b)
		x.ensure(2 * linePitch) // with the first line of what follows
		bold := b.Kind == Heading1 || b.Kind == Heading3
		x.para(n+oneLine(b.Text), bodySize, bold, linePitch, "L", 2*bodySize, 0, 0)
	case b.Kind == TableBlock:
		if b.Table == nil {
			return nil
		}
		x.tables++
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
		x.images++
		name := "chart" + strconv.Itoa(x.images)
		x.p.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(c.png))
		capH := 14 * 1.8
		x.ensure(c.h + capH + 6)
		x.p.ImageOptions(name, marginLeft+(x.tw-c.w)/2, x.y, c.w, c.h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		x.y += c.h + 4
		x.para(caption("图", x.figures, c.title), 14, true, capH, "C", 0, 0, 0)
		if b.WithTable {
			x.table(tableOfChart(c.table), "")
		}
	case b.Kind == PageBreak:
		if x.y > marginTop+0.01 {
			x.newPage()
		}
	}
	return nil
}

// pageNumber writes — N — in 4号 7 mm under the text, one character in from the outside edge:
// right on odd pages, left on even pages.
func (x *pdfw) pageNumber() {
	size, bold := x.size, x.isBold
	x.font(pageNoSize, false)
	// The dashes and the number are placed with a gap of half a character each side, not
	// with a space: a narrow space (the text's tracking) read as none on some pages, so that
	// the number read 「—1—」 there and 「— 10 —」 elsewhere.
	dash, n := "—", strconv.Itoa(x.p.PageNo())
	gap := pageNoSize / 2
	wd, wn := x.width(dash), x.width(n)
	w := 2*wd + wn + 2*gap
	px := x.pw - marginRite - pageNoSize - w
	if x.p.PageNo()%2 == 0 {
		px = marginLeft + pageNoSize
	}
	y := x.bot + footerGap + pageNoSize*0.85
	x.p.SetTextColor(0, 0, 0)
	x.p.Text(px, y, dash)
	x.p.Text(px+wd+gap, y, n)
	x.p.Text(px+wd+gap+wn+gap, y, dash)
	x.font(size, bold)
}

// Table geometry.
const (
	cellPadX = 3.0
	cellPadY = 2.5
)

// table writes the caption, the table and its notes. Rows break across pages between rows (a
// row taller than a page is cut between lines); every page the table runs on starts with its
// header rows.
func (x *pdfw) table(t *Table, capt string) {
	l := layoutTable(t)
	if len(l.rows) == 0 && len(l.header) == 0 {
		l.rows = [][]string{{"无数据"}}
	}
	size := l.size
	lineH := size * 1.3
	colX := make([]float64, l.cols+1)
	colX[0] = marginLeft
	for i, f := range l.widths {
		colX[i+1] = colX[i] + f*x.tw
	}
	spanW := func(c, n int) float64 { return colX[min(c+n, l.cols)] - colX[c] }
	// The header's cells as lines, and the rows' heights.
	x.font(size, true)
	type hcell struct {
		lines []string
		r, c  int
		cell
	}
	var hcells []hcell
	heights := make([]float64, len(l.header))
	for r, row := range l.header {
		for c, h := range row {
			if h.covered {
				continue
			}
			hc := hcell{lines: x.wrap(h.text, spanW(c, h.span)-2*cellPadX, 0), r: r, c: c, cell: h}
			hcells = append(hcells, hc)
			if h.rows == 1 {
				heights[r] = max(heights[r], float64(len(hc.lines))*lineH+2*cellPadY)
			}
		}
	}
	for _, hc := range hcells {
		need := float64(len(hc.lines))*lineH + 2*cellPadY
		have := 0.0
		for k := hc.r; k < hc.r+hc.rows; k++ {
			have += heights[k]
		}
		if need > have {
			heights[hc.r+hc.rows-1] += need - have
		}
	}
	headerH := 0.0
	for _, h := range heights {
		headerH += h
	}
	if headerH > (x.bot-marginTop)/2 {
		headerH = 0 // a header this tall is written once, not repeated
	}
	drawHeader := func() {
		x.font(size, true)
		x.p.SetLineWidth(0.5)
		for _, hc := range hcells {
			top := x.y
			for k := 0; k < hc.r; k++ {
				top += heights[k]
			}
			h := 0.0
			for k := hc.r; k < hc.r+hc.rows; k++ {
				h += heights[k]
			}
			w := spanW(hc.c, hc.span)
			x.p.Rect(colX[hc.c], top, w, h, "D")
			ty := top + (h-float64(len(hc.lines))*lineH)/2
			for i, s := range hc.lines {
				x.text(colX[hc.c]+(w-x.width(s))/2, baseline(ty+float64(i)*lineH, lineH, size), s)
			}
		}
		for _, h := range heights {
			x.y += h
		}
	}
	// The caption stays with the header and the first row.
	x.font(14, true)
	capLines := []string{}
	if capt != "" {
		capLines = x.wrap(capt, x.tw, 0)
	}
	capH := float64(len(capLines)) * 14 * 1.6
	x.ensure(capH + headerH + lineH + 2*cellPadY)
	if capt != "" {
		x.lines(capLines, 14, 14*1.6, "C", 0, 0, 0)
	}
	drawHeader()
	for ri, row := range l.rows {
		bold := l.total[ri]
		x.font(size, bold)
		cells := make([][]string, l.cols)
		n := 1
		for c, s := range row {
			cells[c] = x.wrap(s, spanW(c, 1)-2*cellPadX, 0)
			n = max(n, len(cells[c]))
		}
		for n > 0 {
			h := float64(n)*lineH + 2*cellPadY
			fits := x.y+h <= x.bot+0.01
			fitsFresh := marginTop+headerH+h <= x.bot
			if !fits && fitsFresh {
				x.newPage()
				drawHeader()
				x.font(size, bold)
				continue
			}
			// Lines that fit here (all when the row fits, else as many as the page holds).
			k := n
			if !fits {
				k = int((x.bot - x.y - 2*cellPadY) / lineH)
				if k < 1 {
					x.newPage()
					drawHeader()
					x.font(size, bold)
					continue
				}
			}
			h = float64(k)*lineH + 2*cellPadY
			for c := range cells {
				w := spanW(c, 1)
				x.p.Rect(colX[c], x.y, w, h, "D")
				take := min(k, len(cells[c]))
				for i, s := range cells[c][:take] {
					px := colX[c] + cellPadX
					if c < len(l.numeric) && l.numeric[c] {
						px = colX[c] + w - cellPadX - x.width(s)
					}
					x.text(px, baseline(x.y+cellPadY+float64(i)*lineH, lineH, size), s)
				}
				cells[c] = cells[c][take:]
			}
			x.y += h
			n -= k
			if n > 0 {
				x.newPage()
				drawHeader()
				x.font(size, bold)
			}
		}
	}
	x.y += 4
	if t.Notes != "" {
		x.para(clean(t.Notes), 12, false, 12*1.5, "L", 0, 0, 0)
	}
	x.y += 6
}
