package gongwen

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"xiezuo/chart"
)

// The page of GB/T 9704-2012, in points: A4, margins top 37 mm, bottom 35 mm, left 28 mm,
// right 26 mm (版心 156 × 225 mm), 22 lines of 28 characters in 3号 (16 pt).
const (
	mm         = 72 / 25.4
	pageW      = 210 * mm
	pageH      = 297 * mm
	marginTop  = 37 * mm
	marginBot  = 35 * mm
	marginLeft = 28 * mm
	marginRite = 26 * mm
	textW      = pageW - marginLeft - marginRite // 156 mm
	landTextW  = pageH - marginLeft - marginRite // 243 mm: a landscape page's text width
	bodySize   = 16.0                            // 3号
	titleSize  = 22.0                            // 2号
	pageNoSize = 14.0                            // 4号
	linePitch  = 28.95                           // 225 mm / 22 lines, fixed
	titlePitch = 35.0
	// footerGap is how far below the 版心 the page number's line sits: 7 mm.
	footerGap = 7 * mm
)

// Font names of Word: the names a Chinese office's machines have, with fallbacks for
// LibreOffice (fontTable.xml's altName).
const (
	fontFangSong = "仿宋_GB2312"
	fontKai      = "楷体_GB2312"
	fontHei      = "黑体"
	fontXBS      = "方正小标宋简体"
	fontSong     = "宋体"
)

// clean makes s safe to write: valid UTF-8, without the control characters XML refuses
// (tabs become spaces; \n is kept for the callers that break lines on it).
func clean(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r == '\n':
			return r
		case r == '\r':
			return -1
		case r < 0x20, r == 0x7F, r >= 0x80 && r < 0xA0, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r < 0xE000:
			return -1
		}
		return r
	}, s)
}

// oneLine is clean(s) with line breaks made spaces, for texts that are one line (a title's
// parts are split by the writers, not by the caller's \n).
func oneLine(s string) string { return strings.ReplaceAll(clean(s), "\n", " ") }

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// cnNumber writes n (1…99, larger in Arabic numerals) in Chinese numerals as 公文 counts
// headings: 一, 十, 十一, 二十三.
func cnNumber(n int) string {
	switch {
	case n <= 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return cnDigits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + cnDigits[n%10]
	case n%10 == 0:
		return cnDigits[n/10] + "十"
	}
	return cnDigits[n/10] + "十" + cnDigits[n%10]
}

// numberer counts headings as 公文 numbers them: a heading's count restarts under each
// heading of a level above it.
type numberer struct{ n [4]int }

// next gives the number written before a heading of level 1…4: 一、 （一） 1. （1）.
func (c *numberer) next(b Block) string {
	lvl := int(b.Kind - Heading1)
	c.n[lvl]++
	for i := lvl + 1; i < 4; i++ {
		c.n[i] = 0
	}
	if b.Number != "" {
		return oneLine(b.Number)
	}
	n := c.n[lvl]
	switch lvl {
	case 0:
		return cnNumber(n) + "、"
	case 1:
		return "（" + cnNumber(n) + "）"
	case 2:
		return strconv.Itoa(n) + "."
	}
	return "（" + strconv.Itoa(n) + "）"
}

// isHeading says whether the kind is one of the four heading levels.
func isHeading(k BlockKind) bool { return k >= Heading1 && k <= Heading4 }

// cell is one cell of a laid-out table: its text, and for a header cell the columns and rows
// it covers (span, rows); a cell covered by another has covered set.
type cell struct {
	text    string
	span    int
	rows    int
	covered bool // inside another cell's span or rows
	below   bool // covered from above (a vertical merge's continuation)
	head    bool // the first column of a continuation (where Word writes its cell)
}

// tableLayout is a table ready to write: its columns, header and body as cells.
type tableLayout struct {
	cols    int
	widths  []float64 // fractions of the table's width, summing to 1
	header  [][]cell
	rows    [][]string
	numeric []bool
	total   map[int]bool
	size    float64 // font size in points: 14 (4号) or 12 (小四), 10.5 when very wide
	width   float64 // the text width it is laid out on: a portrait or a landscape page's
}

// layoutTable lays out t: rows padded to the widest, the header's merged cells (a cell equal
// to its left neighbour in the same row joins it; a cell equal to the one above it, over the
// same columns, joins it downwards), the widths and the font size that fits.
func layoutTable(t *Table) tableLayout {
	var l tableLayout
	l.width = textW
	if t.Landscape {
		l.width = landTextW
	}
	for _, r := range t.Header {
		l.cols = max(l.cols, len(r))
	}
	for _, r := range t.Rows {
		l.cols = max(l.cols, len(r))
	}
	if l.cols == 0 {
		l.cols = 1
	}
	pad := func(r []string) []string {
		out := make([]string, l.cols)
		for i := range out {
			if i < len(r) {
				out[i] = clean(r[i])
			}
		}
		return out
	}
	for _, r := range t.Rows {
		l.rows = append(l.rows, pad(r))
	}
	// The header: spans across, then down.
	for ri, r := range t.Header {
		r = pad(r)
		row := make([]cell, l.cols)
		for c := 0; c < l.cols; c++ {
			if c > 0 && r[c] == r[c-1] && r[c] != "" {
				// Find the span's start.
				s := c - 1
				for row[s].covered {
					s--
				}
				row[s].span++
				row[c] = cell{text: r[c], covered: true}
				continue
			}
			row[c] = cell{text: r[c], span: 1, rows: 1}
		}
		if ri > 0 {
			for c := 0; c < l.cols; c++ {
				if row[c].covered || row[c].text == "" {
					continue
				}
				// The origin above over the same columns.
				up := ri - 1
				for up >= 0 && l.header[up][c].below {
					up--
				}
				if up < 0 {
					continue
				}
				o := l.header[up][c]
				if o.covered || o.text != row[c].text || o.span != row[c].span {
					continue
				}
				l.header[up][c].rows++
				for k := c; k < c+row[c].span; k++ {
					row[k] = cell{text: row[c].text, covered: true, below: true, span: row[c].span, head: k == c}
				}
			}
		}
		l.header = append(l.header, row)
	}
	// Numeric and total.
	l.numeric = make([]bool, l.cols)
	copy(l.numeric, t.Numeric)
	l.total = t.Total
	// Widths: as given, else from the texts (the longest line of each column, between 2 and
	// 14 characters wide), numbers being half as wide as characters.
	text := make([]float64, l.cols)
	for i := range text {
		text[i] = 2
	}
	measure := func(c int, s string) {
		for _, line := range strings.Split(s, "\n") {
			text[c] = max(text[c], min(14, ems(line)))
		}
	}
	for _, r := range l.rows {
		for c, s := range r {
			measure(c, s)
		}
	}
	for _, r := range l.header {
		for c, h := range r {
			if !h.covered && h.span == 1 {
				measure(c, h.text)
			}
		}
	}
	// The size: 4号 when the texts fit their columns at it, else 小四, else 五号 for very wide
	// tables.
	need := 0.0
	for _, v := range text {
		need += v + 0.6 // the cell's margins
	}
	switch {
	case need*14 <= l.width:
		l.size = 14
	case l.cols <= 9:
		l.size = 12
	default:
		l.size = 10.5
	}
	l.widths = columnWidths(l, text, t.Widths)
	return l
}

// columnWidths are the columns' fractions of the table's width at l.size: each column gets at
// least its minimum — a header of up to four characters on one line, the widest figure of a
// numeric column unbroken, two characters otherwise — and the room left is shared in proportion
// to what the texts (text, in characters) or the given weights ask beyond that minimum.
func columnWidths(l tableLayout, text, given []float64) []float64 {
	avail := l.width/l.size - 0.6*float64(l.cols) // characters of text across, less the cells' margins
	least := make([]float64, l.cols)
	for c := range least {
		least[c] = 2
	}
	for _, r := range l.header {
		for c, h := range r {
			if !h.covered && h.span == 1 {
				for _, line := range strings.Split(h.text, "\n") {
					least[c] = max(least[c], min(4, ems(line)))
				}
			}
		}
	}
	for _, r := range l.rows {
		for c, s := range r {
			if l.numeric[c] {
				for _, line := range strings.Split(s, "\n") {
					least[c] = max(least[c], ems(line)+0.3)
				}
			}
		}
	}
	want := make([]float64, l.cols)
	copy(want, text)
	if len(given) > 0 {
		var g float64
		for i := range want {
			want[i] = 1
			if i < len(given) && given[i] > 0 {
				want[i] = given[i]
			}
			g += want[i]
		}
		for i := range want {
			want[i] *= avail / g
		}
	}
	var sumWant, sumLeast, extra float64
	for c := range want {
		want[c] = max(want[c], least[c])
		sumWant += want[c]
		sumLeast += least[c]
		extra += want[c] - least[c]
	}
	w := want
	if sumWant > avail && sumLeast < avail && extra > 0 {
		w = make([]float64, l.cols)
		for c := range w {
			w[c] = least[c] + (want[c]-least[c])*(avail-sumLeast)/extra
		}
	} else if sumWant > avail {
		w = least // wider than the page even at the least: in proportion to it
	}
	var sum float64
	for _, v := range w {
		sum += v + 0.6
	}
	out := make([]float64, l.cols)
	for i, v := range w {
		out[i] = (v + 0.6) / sum // the text and the cell's margins
	}
	return out
}

// ems is the width of s in characters: a CJK character is one, others about a half.
func ems(s string) float64 {
	var w float64
	for _, r := range s {
		if r >= 0x2E80 || utf8.RuneLen(r) > 2 {
			w++
		} else {
			w += 0.55
		}
	}
	return w
}

// chartOf is the chart of a ChartBlock: its SVG's PNG, its title, its width in viewBox units
// and its data table; ok false when no chart is set.
type chartInfo struct {
	svg   []byte
	title string
	table chart.Table
	png   []byte
	w, h  float64 // the image's size on the page, in points
}

func chartOf(b Block) (chartInfo, bool) {
	var c chartInfo
	switch {
	case b.Bars != nil:
		c.svg, c.title, c.table = b.Bars.SVG(), b.Bars.Title, b.Bars.Table()
	case b.Line != nil:
		c.svg, c.title, c.table = b.Line.SVG(), b.Line.Title, b.Line.Table()
	case b.Donut != nil:
		c.svg, c.title, c.table = b.Donut.SVG(), b.Donut.Title, b.Donut.Table()
	default:
		return c, false
	}
	return c, true
}

// chartScale is the pixels per viewBox unit of a chart's image: 3 (about 300 dpi on the page).
const chartScale = 3

// render draws the chart's image and sizes it on the page: a 600-unit-wide chart takes the
// text's width, narrower ones in proportion, a tall one shrunk to fit a page. A very tall
// chart (hundreds of bars) is drawn at fewer pixels per unit, so that its image stays within
// chart.PNG's bounds.
func (c *chartInfo) render(fontTTF []byte) error {
	vw, vh := viewBox(c.svg)
	scale := float64(chartScale)
	if m := max(vw, vh); m*scale > 7900 {
		scale = 7900 / m
	}
	p, err := chart.PNG(c.svg, scale, fontTTF)
	if err != nil {
		return err
	}
	c.png = p
	k := textW / 600
	c.w, c.h = vw*k, vh*k
	if c.w > textW {
		c.h, c.w = c.h*textW/c.w, textW
	}
	if maxH := pageH - marginTop - marginBot - 3*linePitch; c.h > maxH {
		c.w, c.h = c.w*maxH/c.h, maxH
	}
	return nil
}

// viewBox reads the width and height of the SVG's viewBox (package chart writes one).
func viewBox(svg []byte) (float64, float64) {
	m := viewBoxRe.FindSubmatch(svg)
	if m == nil {
		return 600, 300
	}
	w, _ := strconv.ParseFloat(string(m[1]), 64)
	h, _ := strconv.ParseFloat(string(m[2]), 64)
	return max(w, 1), max(h, 1)
}

var viewBoxRe = regexp.MustCompile(`viewBox="0 0 ([0-9.]+) ([0-9.]+)"`)

// tableOfChart is a chart's data as a table of the body.
func tableOfChart(t chart.Table) *Table {
	tb := &Table{Header: [][]string{t.Columns}, Rows: t.Rows, Numeric: make([]bool, len(t.Columns))}
	for i := 1; i < len(t.Columns); i++ {
		tb.Numeric[i] = true
	}
	return tb
}

// caption gives a table's or a figure's caption with its number: as given when it starts with
// the label and a digit (表1 …), else the label and n before it.
func caption(label string, n int, s string) string {
	s = oneLine(s)
	if rest, ok := strings.CutPrefix(s, label); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return s
	}
	if s == "" {
		return label + strconv.Itoa(n)
	}
	return label + strconv.Itoa(n) + " " + s
}

// needsFont says whether writing d needs a font file (its charts are drawn as images).
func needsFont(d Document) bool {
	for _, b := range d.Blocks {
		if b.Kind == ChartBlock {
			if _, ok := chartOf(b); ok {
				return true
			}
		}
	}
	return false
}

// issuerSize is the 发文机关标志's size: at most 36 pt, smaller so that it fits on one line.
func issuerSize(s string) float64 {
	n := ems(s)
	if n == 0 {
		return 36
	}
	return min(36, float64(int(textW*0.95/n)))
}

// signatureIndents gives the right indents, in points, of the signature and the date: the
// date four characters from the right edge, the signature centred over it.
func signatureIndents(sig, date string) (float64, float64) {
	sw, dw := ems(sig)*bodySize, ems(date)*bodySize
	dateR := 4 * bodySize
	sigR := dateR + (dw-sw)/2
	if sigR < 0 {
		dateR -= sigR
		sigR = 0
	}
	return sigR, dateR
}

var cnDigit = map[rune]int{'〇': 0, '零': 0, 'O': 0, '○': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// arabicDate writes a date given in Chinese numerals in Arabic ones, as GB/T 9704 asks of the
// 成文日期: 二〇二一年七月十五日 → 2021年7月15日. Anything else is returned as it is.
func arabicDate(s string) string {
	m := cnDateRe.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	year := ""
	for _, r := range m[2] {
		year += strconv.Itoa(cnDigit[r])
	}
	month, ok1 := cnSmall(m[3])
	day, ok2 := cnSmall(m[4])
	if !ok1 || !ok2 {
		return s
	}
	return m[1] + year + "年" + strconv.Itoa(month) + "月" + strconv.Itoa(day) + "日" + m[5]
}

var cnDateRe = regexp.MustCompile(`^(.*?)([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日(.*)$`)

// cnSmall reads a number from 1 to 99 in Chinese numerals (十五, 二十三).
func cnSmall(s string) (int, bool) {
	rs := []rune(s)
	n := 0
	switch {
	case len(rs) == 1 && rs[0] == '十':
		n = 10
	case len(rs) == 1:
		n = cnDigit[rs[0]]
	case len(rs) == 2 && rs[0] == '十':
		n = 10 + cnDigit[rs[1]]
	case len(rs) == 2 && rs[1] == '十':
		n = cnDigit[rs[0]] * 10
	case len(rs) == 3 && rs[1] == '十':
		n = cnDigit[rs[0]]*10 + cnDigit[rs[2]]
	default:
		return 0, false
	}
	return n, n > 0
}
