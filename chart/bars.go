package chart

import "math"

// Table is the chart's data: a row per category, a column per series.
func (b Bars) Table() Table {
	return seriesTable(b.Title, column(b.Column, "项目"), b.Unit, b.Categories, b.Series, b.Ref)
}

// axisMax is the end of the value axis: Max when given, else the largest bar (or stack) or
// reference line, rounded up.
func (b Bars) axisMax() float64 {
	if b.Max > 0 {
		return b.Max
	}
	var m float64
	for i := range b.Categories {
		var stack float64
		for _, s := range b.Series {
			v := at(s.Values, i)
			if !v.Known || v.V <= 0 {
				continue
			}
			if b.Stacked {
				stack += v.V
			} else {
				m = math.Max(m, v.V)
			}
		}
		m = math.Max(m, stack)
	}
	if b.Ref != nil {
		m = math.Max(m, b.Ref.Value)
	}
	return niceMax(m)
}

// SVG draws the chart.
func (b Bars) SVG() []byte {
	desc := b.Desc
	if desc == "" {
		desc = summary(b.Title, b.Table())
	}
	if b.Horizontal {
		return b.horizontal(desc)
	}
	return b.vertical(desc)
}

// barTitle is a bar's tooltip: category, series and figure.
func (b Bars) barTitle(cat string, s Series, v Value) string {
	name := cat
	if s.Name != "" && (len(b.Series) > 1 || b.Stacked) {
		name += " · " + s.Name
	}
	return name + "：" + withUnit(v.String(), b.Unit)
}

const unknownFill = `fill="none" stroke="#777777" stroke-width="1" stroke-dasharray="3 2"`

func (b Bars) vertical(desc string) []byte {
	W := b.Width
	if W <= 0 {
		W = defaultWidth
	}
	names, colors := seriesNames(b.Series)
	var w svgWriter
	// Legend first, to know its height.
	var leg svgWriter
	legH := 0.0
	if len(b.Series) > 1 || b.Stacked {
		legH = leg.legend(pad, pad+12, float64(W-2*pad), names, colors, nil)
	}
	top := pad + legH + 24 // the unit's line
	left, right, bottom := 52.0, 12.0, 34.0
	plotH := 220.0
	if b.PlotHeight > 0 {
		plotH = b.PlotHeight
	}
	H := int(math.Ceil(top + plotH + bottom))
	w.open(W, H, b.Title, desc)
	w.b.WriteString(leg.b.String())
	if b.Unit != "" {
		w.printf(`<text x="%s" y="%s" font-size="%d" fill="#444444">单位：%s</text>`, f1(pad), f1(top-12), smallFont, esc(b.Unit))
	}
	plotW := float64(W) - left - right
	max := b.axisMax()
	base := top + plotH
	y := func(v float64) float64 { return base - math.Max(0, math.Min(v, max))/max*plotH }
	for i := 0; i <= 4; i++ {
		v := max * float64(i) / 4
		w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#dddddd" stroke-width="1"/>`, f1(left), f1(y(v)), f1(left+plotW), f1(y(v)))
		w.printf(`<text x="%s" y="%s" text-anchor="end" font-size="%d" fill="#444444">%s</text>`, f1(left-4), f1(y(v)+4), smallFont, num(v))
	}
	n := len(b.Categories)
	slot := plotW / math.Max(1, float64(n))
	for i, cat := range b.Categories {
		x0 := left + slot*float64(i)
		if b.Stacked {
			bw := slot * 0.6
			x := x0 + (slot-bw)/2
			acc := 0.0
			unknown := false
			for j, s := range b.Series {
				v := at(s.Values, i)
				if !v.Known {
					unknown = true
					continue
				}
				if v.V <= 0 {
					continue
				}
				y1, y0 := y(acc+v.V), y(acc)
				w.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
					f1(x), f1(y1), f1(bw), f1(y0-y1), color(s, j), esc(b.barTitle(cat, s, v)))
				acc += v.V
			}
			if acc > 0 && bw >= textWidth(num(acc), smallFont) {
				w.printf(`<text x="%s" y="%s" text-anchor="middle" font-size="%d" fill="#222222">%s</text>`, f1(x+bw/2), f1(y(acc)-3), smallFont, num(acc))
			}
			if unknown {
				w.printf(`<text x="%s" y="%s" text-anchor="middle" font-size="%d" fill="#555555">%s</text>`, f1(x+bw/2), f1(y(acc)-3-float64(smallFont)), smallFont, Unknown)
			}
		} else {
			k := math.Max(1, float64(len(b.Series)))
			bw := slot * 0.8 / k
			for j, s := range b.Series {
				v := at(s.Values, i)
				x := x0 + slot*0.1 + bw*float64(j)
				if !v.Known {
					w.printf(`<rect x="%s" y="%s" width="%s" height="10" %s><title>%s</title></rect>`, f1(x+1), f1(base-10), f1(math.Max(1, bw-2)), unknownFill, esc(b.barTitle(cat, s, v)))
					if bw >= float64(smallFont) {
						w.printf(`<text x="%s" y="%s" text-anchor="middle" font-size="%d" fill="#555555">?</text>`, f1(x+bw/2), f1(base-13), smallFont)
					}
					continue
				}
				h := base - y(v.V)
				w.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
					f1(x+1), f1(base-h), f1(math.Max(1, bw-2)), f1(h), color(s, j), esc(b.barTitle(cat, s, v)))
				if bw >= textWidth(v.String(), smallFont)+2 {
					w.printf(`<text x="%s" y="%s" text-anchor="middle" font-size="%d" fill="#222222">%s</text>`, f1(x+bw/2), f1(base-h-3), smallFont, esc(v.String()))
				}
			}
		}
		size := fontSize
		if slot < 48 {
			size = smallFont
		}
		w.text(x0+slot/2, base+16, "middle", size, "#222222", cat, slot-2)
	}
	w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555555" stroke-width="1"/>`, f1(left), f1(base), f1(left+plotW), f1(base))
	if b.Ref != nil {
		ry := y(b.Ref.Value)
		w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="6 3"><title>%s</title></line>`,
			f1(left), f1(ry), f1(left+plotW), f1(ry), Red, esc(b.Ref.Label))
		w.printf(`<text x="%s" y="%s" text-anchor="end" font-size="%d" fill="%s">%s</text>`, f1(left+plotW), f1(ry-4), smallFont, Red, esc(b.Ref.Label))
	}
	return w.close()
}

func (b Bars) horizontal(desc string) []byte {
	W := b.Width
	if W <= 0 {
		W = defaultWidth
	}
	names, colors := seriesNames(b.Series)
	var leg svgWriter
	legH := 0.0
	if len(b.Series) > 1 || b.Stacked {
		legH = leg.legend(pad, pad+12, float64(W-2*pad), names, colors, nil)
	}
	top := pad + legH + 16
	// The labels' column: as wide as the longest label, at most 30 % of the width.
	labelW := 40.0
	for _, c := range b.Categories {
		labelW = math.Max(labelW, textWidth(c, fontSize)+8)
	}
	labelW = math.Min(labelW, float64(W)*0.3)
	left, right := pad+labelW, 56.0
	k := math.Max(1, float64(len(b.Series)))
	barH := 14.0
	rowH := barH*k + 8
	if b.Stacked {
		barH, rowH = 16, 24
	}
	n := len(b.Categories)
	plotH := rowH * math.Max(1, float64(n))
	H := int(math.Ceil(top + plotH + 24))
	var w svgWriter
	w.open(W, H, b.Title, desc)
	w.b.WriteString(leg.b.String())
	if b.Unit != "" {
		w.printf(`<text x="%s" y="%s" font-size="%d" fill="#444444">单位：%s</text>`, f1(pad), f1(top-4), smallFont, esc(b.Unit))
	}
	plotW := float64(W) - left - right
	max := b.axisMax()
	x := func(v float64) float64 { return left + math.Max(0, math.Min(v, max))/max*plotW }
	bottom := top + plotH
	for i := 0; i <= 4; i++ {
		v := max * float64(i) / 4
		w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#dddddd" stroke-width="1"/>`, f1(x(v)), f1(top), f1(x(v)), f1(bottom))
		w.printf(`<text x="%s" y="%s" text-anchor="middle" font-size="%d" fill="#444444">%s</text>`, f1(x(v)), f1(bottom+14), smallFont, num(v))
	}
	for i, cat := range b.Categories {
		y0 := top + rowH*float64(i) + 4
		w.text(left-6, y0+(rowH-8)/2+4, "end", fontSize, "#222222", cat, labelW-6)
		if b.Stacked {
			acc := 0.0
			unknown := false
			for j, s := range b.Series {
				v := at(s.Values, i)
				if !v.Known {
					unknown = true
					continue
				}
				if v.V <= 0 {
					continue
				}
				w.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
					f1(x(acc)), f1(y0), f1(x(acc+v.V)-x(acc)), f1(barH), color(s, j), esc(b.barTitle(cat, s, v)))
				if x(acc+v.V)-x(acc) >= textWidth(v.String(), smallFont)+4 {
					w.printf(`<text x="%s" y="%s" text-anchor="middle" font-size="%d" fill="#ffffff">%s</text>`,
						f1((x(acc)+x(acc+v.V))/2), f1(y0+barH-4), smallFont, esc(v.String()))
				}
				acc += v.V
			}
			label := num(acc)
			if unknown {
				label += "（部分" + Unknown + "）"
				if acc == 0 {
					label = Unknown
				}
			}
			w.printf(`<text x="%s" y="%s" font-size="%d" fill="#222222">%s</text>`, f1(x(acc)+4), f1(y0+barH-3), smallFont, esc(label))
			continue
		}
		for j, s := range b.Series {
			v := at(s.Values, i)
			yb := y0 + barH*float64(j)
			if !v.Known {
				w.printf(`<rect x="%s" y="%s" width="10" height="%s" %s><title>%s</title></rect>`, f1(left), f1(yb+1), f1(barH-2), unknownFill, esc(b.barTitle(cat, s, v)))
				w.printf(`<text x="%s" y="%s" font-size="%d" fill="#555555">%s</text>`, f1(left+14), f1(yb+barH-3), smallFont, Unknown)
				continue
			}
			w.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>`,
				f1(left), f1(yb+1), f1(x(v.V)-left), f1(barH-2), color(s, j), esc(b.barTitle(cat, s, v)))
			w.printf(`<text x="%s" y="%s" font-size="%d" fill="#222222">%s</text>`, f1(x(v.V)+3), f1(yb+barH-3), smallFont, esc(withUnit(v.String(), b.pointUnit())))
		}
	}
	w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555555" stroke-width="1"/>`, f1(left), f1(top), f1(left), f1(bottom))
	if b.Ref != nil {
		rx := x(b.Ref.Value)
		w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="6 3"><title>%s</title></line>`,
			f1(rx), f1(top-2), f1(rx), f1(bottom), Red, esc(b.Ref.Label))
		w.printf(`<text x="%s" y="%s" text-anchor="middle" font-size="%d" fill="%s">%s</text>`, f1(rx), f1(top-4), smallFont, Red, esc(b.Ref.Label))
	}
	return w.close()
}

// pointUnit is the unit written beside a bar's figure: only % (the axis says the others).
func (b Bars) pointUnit() string {
	if b.Unit == "%" {
		return "%"
	}
	return ""
}
