// Package chart draws charts on the server as SVG: bars (vertical or horizontal, grouped or
// stacked, with an optional reference line), lines (series over the months of a year) and
// donuts (parts of a whole). It uses the standard library only and is pure: the same chart
// gives the same bytes.
//
// The SVG is self-contained, so that the same bytes go into a page, its print, a Word document
// and a PDF: sized by viewBox (it scales to its container), colours and sizes as presentation
// attributes (fill=, stroke=, font-size=; never style= nor a CSS class, which a strict Content
// Security Policy or a word processor would drop), no script and no external reference, text
// in a font-family naming the common CJK fonts and sans-serif, role="img" with a <title> and a
// <desc>. Colours are never the only carrier of meaning: every series is named in the legend,
// bars and points carry their figure, and each chart gives its data as a Table that the page
// shows under it for screen readers and print. A value not reported is drawn as such (未报送),
// never as 0.
package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FontFamily is the font-family of every text: common Chinese fonts of Windows, macOS and
// Linux, then sans-serif.
const FontFamily = "'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','WenQuanYi Micro Hei',sans-serif"

// Unknown is how a value nothing was reported for is written.
const Unknown = "未报送"

// Palette is the default colours of the series, in order: dark enough to print on white and
// told apart in grey.
var Palette = []string{"#1f5f99", "#e08a1e", "#3a8f4b", "#8c3f8f", "#b23b3b", "#5f6b7a", "#2a9d9b", "#9b7a2f"}

// Light colours, for charts of lights (green, yellow, red, open, done).
const (
	Green  = "#2e7d32"
	Yellow = "#d9a300"
	Red    = "#c62828"
	Grey   = "#9e9e9e"
	Blue   = "#4a6fa5"
)

// Value is one figure: V in the chart's unit when Known; Text, when set, is how it is written
// (an exact amount such as 120.5), else the chart writes V.
type Value struct {
	V     float64
	Known bool
	Text  string
}

// Of is a known value.
func Of(v float64) Value { return Value{V: v, Known: true} }

// OfText is a known value written as text.
func OfText(v float64, text string) Value { return Value{V: v, Known: true, Text: text} }

// String writes the value without its unit; Unknown when not known.
func (v Value) String() string {
	if !v.Known {
		return Unknown
	}
	if v.Text != "" {
		return v.Text
	}
	return num(v.V)
}

// Series is a named row of values, one per category (bars) or per point (lines).
type Series struct {
	Name   string
	Color  string // "" for the palette's colour of its place
	Values []Value
}

// Ref is a reference line across the value axis, such as a 30 % share.
type Ref struct {
	Value float64
	Label string // 30% 要求
}

// Table is a chart's data as an HTML table: a caption, the column headings and the rows of
// cells, every figure with its unit or in a column whose heading names it.
type Table struct {
	Caption string
	Columns []string
	Rows    [][]string
}

// Bars is a bar chart: one group of bars per category, one bar per series (grouped), or one
// bar per category with the series stacked.
type Bars struct {
	Title      string // what and as of when
	Desc       string // the figures in a sentence, for screen readers; a summary is made when empty
	Unit       string // 万元, %, 个
	Categories []string
	Series     []Series
	Horizontal bool
	Stacked    bool
	Ref        *Ref
	Max        float64 // the value axis' end; 0: from the data
	// Width is the viewBox's width (default 600); the height follows from the data.
	Width int
	// PlotHeight is the height of a vertical chart's plot (default 220); a horizontal chart's
	// follows from its bars.
	PlotHeight float64
	// Column is the table's heading of the categories (协作地区); "" for 项目.
	Column string
}

// Line is a line chart of series over points (the months of a year).
type Line struct {
	Title, Desc, Unit string
	Points            []string // the x labels: 1月 … 12月
	Series            []Series
	Width             int
	PlotHeight        float64 // the plot's height (default 200)
	Column            string  // the table's heading of the points (月份)
}

// Part is a slice of a donut.
type Part struct {
	Name  string
	Value Value
	Color string
}

// Donut is a ring of parts of a whole.
type Donut struct {
	Title, Desc, Unit string
	Parts             []Part
	Center            string // the text in the hole (e.g. the total)
	Width             int
	Column            string
}

// Geometry.
const (
	defaultWidth = 600
	fontSize     = 12
	smallFont    = 11
	titleFont    = 14
	pad          = 8
)

// svgWriter builds the SVG text.
type svgWriter struct{ b strings.Builder }

func (w *svgWriter) printf(format string, a ...any) { fmt.Fprintf(&w.b, format, a...) }

func (w *svgWriter) open(width, height int, title, desc string) {
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" font-family="%s" font-size="%d">`,
		width, height, width, height, FontFamily, fontSize)
	w.printf(`<title>%s</title><desc>%s</desc>`, esc(title), esc(desc))
	w.printf(`<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`, width, height)
}

func (w *svgWriter) close() []byte {
	w.b.WriteString(`</svg>`)
	return []byte(w.b.String())
}

// text writes a label, cut to max display units with an ellipsis (the whole label as its
// tooltip) when longer.
func (w *svgWriter) text(x, y float64, anchor string, size int, fill, s string, max float64) {
	short := fit(s, size, max)
	w.printf(`<text x="%s" y="%s" text-anchor="%s" font-size="%d" fill="%s">`, f1(x), f1(y), anchor, size, fill)
	if short != s {
		w.printf(`<title>%s</title>`, esc(s))
	}
	w.printf(`%s</text>`, esc(short))
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// esc escapes text for XML, and drops control characters XML does not allow.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return escaper.Replace(s)
}

// f1 writes a coordinate with one decimal at most.
func f1(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// num writes a figure with two decimals at most.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// textWidth estimates the width of s at size: a CJK character is one em, others about half.
func textWidth(s string, size int) float64 {
	var w float64
	for _, r := range s {
		if r >= 0x2E80 {
			w += 1
		} else {
			w += 0.6
		}
	}
	return w * float64(size)
}

// fit cuts s so that it takes at most max at size, ending it with "…" when cut.
func fit(s string, size int, max float64) string {
	if max <= 0 || textWidth(s, size) <= max {
		return s
	}
	var b strings.Builder
	var w float64
	ell := textWidth("…", size)
	for _, r := range s {
		rw := textWidth(string(r), size)
		if w+rw+ell > max {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

func color(s Series, i int) string {
	if s.Color != "" {
		return s.Color
	}
	return Palette[i%len(Palette)]
}

// niceMax rounds the axis' end up to a round multiple of a power of ten (1, 1.2, 1.5, 2, 2.5, 3,
// 4, 5, 6 or 8), whose quarters are the ticks.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

func withUnit(s, unit string) string {
	if s == Unknown || unit == "" {
		return s
	}
	if unit == "%" {
		return s + "%"
	}
	return s + " " + unit
}

// legend writes the series' names with their colours in a row from (x, y), wrapping within
// width; it returns the height used.
func (w *svgWriter) legend(x, y float64, width float64, names []string, colors []string, marks []string) float64 {
	cx, cy := x, y
	for i, n := range names {
		lw := 16 + textWidth(n, smallFont) + 14
		if cx > x && cx+lw > x+width {
			cx, cy = x, cy+18
		}
		switch {
		case marks != nil && marks[i] != "":
			w.marker(cx+6, cy-4, marks[i], colors[i])
			w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"%s/>`, f1(cx-2), f1(cy-4), f1(cx+14), f1(cy-4), colors[i], dash(i))
		default:
			w.printf(`<rect x="%s" y="%s" width="12" height="12" fill="%s" stroke="#333333" stroke-width="0.5"/>`, f1(cx), f1(cy-10), colors[i])
		}
		w.printf(`<text x="%s" y="%s" font-size="%d" fill="#222222">%s</text>`, f1(cx+18), f1(cy), smallFont, esc(n))
		cx += lw
	}
	return cy - y + 18
}

var markers = []string{"circle", "square", "triangle", "diamond"}

// marker draws a point's mark: each series its own shape, so lines are told apart without colour.
func (w *svgWriter) marker(x, y float64, shape, fill string) {
	switch shape {
	case "square":
		w.printf(`<rect x="%s" y="%s" width="7" height="7" fill="%s"/>`, f1(x-3.5), f1(y-3.5), fill)
	case "triangle":
		w.printf(`<path d="M%s %sL%s %sL%s %sZ" fill="%s"/>`, f1(x), f1(y-4.5), f1(x+4.5), f1(y+3.5), f1(x-4.5), f1(y+3.5), fill)
	case "diamond":
		w.printf(`<path d="M%s %sL%s %sL%s %sL%s %sZ" fill="%s"/>`, f1(x), f1(y-5), f1(x+5), f1(y), f1(x), f1(y+5), f1(x-5), f1(y), fill)
	default:
		w.printf(`<circle cx="%s" cy="%s" r="3.5" fill="%s"/>`, f1(x), f1(y), fill)
	}
}

func dash(i int) string {
	switch i % 3 {
	case 1:
		return ` stroke-dasharray="6 3"`
	case 2:
		return ` stroke-dasharray="2 2"`
	}
	return ""
}

func seriesNames(ss []Series) ([]string, []string) {
	var names, colors []string
	for i, s := range ss {
		names = append(names, s.Name)
		colors = append(colors, color(s, i))
	}
	return names, colors
}

func at(vs []Value, i int) Value {
	if i < len(vs) {
		return vs[i]
	}
	return Value{}
}

func column(c, def string) string {
	if c == "" {
		return def
	}
	return c
}

func unitHead(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + "（" + unit + "）"
}

// seriesTable is the table of a chart of series: a row per category, a column per series.
func seriesTable(title, col, unit string, cats []string, ss []Series, ref *Ref) Table {
	t := Table{Caption: title, Columns: []string{col}}
	for _, s := range ss {
		t.Columns = append(t.Columns, unitHead(s.Name, unit))
	}
	for i, c := range cats {
		row := []string{c}
		for _, s := range ss {
			row = append(row, at(s.Values, i).String())
		}
		t.Rows = append(t.Rows, row)
	}
	if ref != nil {
		t.Caption += "；参考线：" + withUnit(num(ref.Value), unit) + " " + ref.Label
	}
	return t
}

func summary(title string, t Table) string {
	var b strings.Builder
	b.WriteString(title)
	b.WriteString("。")
	for i, row := range t.Rows {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(row[0])
		for j := 1; j < len(row) && j < len(t.Columns); j++ {
			b.WriteString("，")
			b.WriteString(t.Columns[j])
			b.WriteString(" ")
			b.WriteString(row[j])
		}
	}
	if len(t.Rows) == 0 {
		b.WriteString("暂无数据")
	}
	b.WriteString("。")
	return b.String()
}
