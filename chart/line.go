package chart

import (
	"math"
	"slices"
	"strings"
)

// lastLabel is the figure written at a series' last point.
type lastLabel struct {
	x, y          float64
	anchor, color string
	text          string
}

// Table is the chart's data: a row per point, a column per series.
func (l Line) Table() Table {
	return seriesTable(l.Title, column(l.Column, "月份"), l.Unit, l.Points, l.Series, nil)
}

// SVG draws the chart: each series a line through its known values (a value not known breaks
// the line: nothing is drawn there, never 0), each point marked with its series' shape.
func (l Line) SVG() []byte {
	desc := l.Desc
	if desc == "" {
		desc = summary(l.Title, l.Table())
	}
	W := l.Width
	if W <= 0 {
		W = defaultWidth
	}
	names, colors := seriesNames(l.Series)
	marks := make([]string, len(l.Series))
	for i := range marks {
		marks[i] = markers[i%len(markers)]
	}
	var leg svgWriter
	legH := leg.legend(pad, pad+12, float64(W-2*pad), names, colors, marks)
	top := pad + legH + 24
	left, right, bottom := 52.0, 16.0, 28.0
	plotH := 200.0
	if l.PlotHeight > 0 {
		plotH = l.PlotHeight
	}
	H := int(math.Ceil(top + plotH + bottom))
	var w svgWriter
	w.open(W, H, l.Title, desc)
	w.b.WriteString(leg.b.String())
	if l.Unit != "" {
		w.printf(`<text x="%s" y="%s" font-size="%d" fill="#444444">单位：%s</text>`, f1(pad), f1(top-12), smallFont, esc(l.Unit))
	}
	var max float64
	for _, s := range l.Series {
		for _, v := range s.Values {
			if v.Known {
				max = math.Max(max, v.V)
			}
		}
	}
	max = niceMax(max)
	plotW := float64(W) - left - right
	base := top + plotH
	n := len(l.Points)
	step := plotW / math.Max(1, float64(n-1))
	if n == 1 {
		step = 0
	}
	x := func(i int) float64 {
		if n == 1 {
			return left + plotW/2
		}
		return left + step*float64(i)
	}
	y := func(v float64) float64 { return base - math.Max(0, math.Min(v, max))/max*plotH }
	for i := 0; i <= 4; i++ {
		v := max * float64(i) / 4
		w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#dddddd" stroke-width="1"/>`, f1(left), f1(y(v)), f1(left+plotW), f1(y(v)))
		w.printf(`<text x="%s" y="%s" text-anchor="end" font-size="%d" fill="#444444">%s</text>`, f1(left-4), f1(y(v)+4), smallFont, num(v))
	}
	labelW := plotW / math.Max(1, float64(n))
	for i, p := range l.Points {
		w.text(x(i), base+16, "middle", smallFont, "#222222", p, math.Max(labelW, 2*float64(smallFont)))
	}
	w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555555" stroke-width="1"/>`, f1(left), f1(base), f1(left+plotW), f1(base))
	var lasts []lastLabel
	for j, s := range l.Series {
		c := color(s, j)
		// One path of segments: a value not known ends a segment.
		var d strings.Builder
		pen := false
		for i := range l.Points {
			v := at(s.Values, i)
			if !v.Known {
				pen = false
				continue
			}
			if pen {
				d.WriteString("L")
			} else {
				d.WriteString("M")
			}
			d.WriteString(f1(x(i)) + " " + f1(y(v.V)))
			pen = true
		}
		if d.Len() > 0 {
			w.printf(`<path d="%s" fill="none" stroke="%s" stroke-width="2"%s/>`, d.String(), c, dash(j))
		}
		for i, p := range l.Points {
			v := at(s.Values, i)
			if !v.Known {
				continue
			}
			w.printf(`<g><title>%s</title>`, esc(p+" · "+s.Name+"："+withUnit(v.String(), l.Unit)))
			w.marker(x(i), y(v.V), marks[j], c)
			w.b.WriteString(`</g>`)
		}
		// The last known value is written at its point (placed below, apart from the others).
		for i := len(l.Points) - 1; i >= 0; i-- {
			if v := at(s.Values, i); v.Known {
				anchor := "end"
				if i == 0 {
					anchor = "start"
				}
				lasts = append(lasts, lastLabel{x(i), y(v.V) - 7, anchor, c, v.String()})
				break
			}
		}
	}
	// Labels too close to each other are moved apart, the lower ones down.
	slices.SortStableFunc(lasts, func(a, b lastLabel) int { return int(a.y*10) - int(b.y*10) })
	for i := 1; i < len(lasts); i++ {
		if lasts[i].y < lasts[i-1].y+float64(smallFont)+1 {
			lasts[i].y = lasts[i-1].y + float64(smallFont) + 1
		}
	}
	for _, lb := range lasts {
		w.printf(`<text x="%s" y="%s" text-anchor="%s" font-size="%d" fill="%s">%s</text>`, f1(lb.x), f1(lb.y), lb.anchor, smallFont, lb.color, esc(lb.text))
	}
	return w.close()
}
