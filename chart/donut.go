package chart

import (
	"math"
	"strconv"
)

// Table is the chart's data: a row per part with its figure and share of the known whole.
func (d Donut) Table() Table {
	t := Table{Caption: d.Title, Columns: []string{column(d.Column, "项目"), unitHead("数值", d.Unit), "占比"}}
	total := d.total()
	for _, p := range d.Parts {
		share := ""
		if p.Value.Known && total > 0 {
			share = percent(p.Value.V / total)
		}
		t.Rows = append(t.Rows, []string{p.Name, p.Value.String(), share})
	}
	return t
}

func (d Donut) total() float64 {
	var t float64
	for _, p := range d.Parts {
		if p.Value.Known && p.Value.V > 0 {
			t += p.Value.V
		}
	}
	return t
}

func percent(f float64) string {
	return strconv.FormatFloat(math.Round(f*1000)/10, 'f', -1, 64) + "%"
}

// SVG draws the ring, each known part an arc in proportion to its share, and the legend beside
// it naming each part with its figure and share (on two lines, name then figure, when a line
// would not fit beside the ring); parts not known are listed as such.
func (d Donut) SVG() []byte {
	desc := d.Desc
	if desc == "" {
		desc = summary(d.Title, d.Table())
	}
	W := d.Width
	if W <= 0 {
		W = 360
	}
	const r, hole = 70.0, 42.0
	rows := len(d.Parts)
	total := d.total()
	// The legend's lines: a part's name and figure on one line, or, when some line does not fit
	// beside the ring (a narrow chart), each part's name over its figure.
	lx := pad + r + 4 + r + 16
	room := float64(W) - lx - 18 - pad
	names, figures := make([]string, rows), make([]string, rows)
	wrap := false
	for i, p := range d.Parts {
		names[i] = p.Name
		figures[i] = withUnit(p.Value.String(), d.Unit)
		if p.Value.Known && total > 0 {
			figures[i] += "（" + percent(p.Value.V/total) + "）"
		}
		wrap = wrap || textWidth(names[i]+" "+figures[i], smallFont) > room
	}
	step := 20.0
	if wrap {
		step = 32
	}
	H := int(math.Max(2*r+2*pad+8, float64(rows)*step+2*pad+8))
	var w svgWriter
	w.open(W, H, d.Title, desc)
	cx, cy := pad+r+4, float64(H)/2
	if total <= 0 {
		w.printf(`<circle cx="%s" cy="%s" r="%s" fill="none" stroke="#cccccc" stroke-width="%s" stroke-dasharray="4 3"/>`, f1(cx), f1(cy), f1((r+hole)/2), f1(r-hole))
	}
	angle := -math.Pi / 2
	for i, p := range d.Parts {
		if !p.Value.Known || p.Value.V <= 0 || total <= 0 {
			continue
		}
		c := p.Color
		if c == "" {
			c = Palette[i%len(Palette)]
		}
		frac := p.Value.V / total
		title := p.Name + "：" + withUnit(p.Value.String(), d.Unit) + "（" + percent(frac) + "）"
		if frac >= 0.9999 {
			w.printf(`<circle cx="%s" cy="%s" r="%s" fill="none" stroke="%s" stroke-width="%s"><title>%s</title></circle>`, f1(cx), f1(cy), f1((r+hole)/2), c, f1(r-hole), esc(title))
			break
		}
		a1 := angle + frac*2*math.Pi
		large := 0
		if frac > 0.5 {
			large = 1
		}
		pt := func(rad, a float64) string { return f1(cx+rad*math.Cos(a)) + " " + f1(cy+rad*math.Sin(a)) }
		w.printf(`<path d="M%sA%s %s 0 %d 1 %sL%sA%s %s 0 %d 0 %sZ" fill="%s" stroke="#ffffff" stroke-width="1"><title>%s</title></path>`,
			pt(r, angle), f1(r), f1(r), large, pt(r, a1), pt(hole, a1), f1(hole), f1(hole), large, pt(hole, angle), c, esc(title))
		angle = a1
	}
	if d.Center != "" {
		w.text(cx, cy+5, "middle", titleFont, "#222222", d.Center, 2*hole-6)
	}
	// The legend: a line per part, or two.
	ly := cy - float64(rows)*step/2 + 14
	for i, p := range d.Parts {
		c := p.Color
		if c == "" {
			c = Palette[i%len(Palette)]
		}
		y := ly + float64(i)*step
		fill := `fill="` + c + `" stroke="#333333" stroke-width="0.5"`
		if !p.Value.Known {
			fill = unknownFill
		}
		w.printf(`<rect x="%s" y="%s" width="12" height="12" %s/>`, f1(lx), f1(y-10), fill)
		if wrap {
			w.text(lx+18, y, "start", smallFont, "#222222", names[i], room)
			w.text(lx+18, y+13, "start", smallFont, "#222222", figures[i], room)
			continue
		}
		w.text(lx+18, y, "start", smallFont, "#222222", names[i]+" "+figures[i], room)
	}
	return w.close()
}
