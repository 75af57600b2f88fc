package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	imgcolor "image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// PNG draws an SVG written by this package as a PNG image, scale pixels per viewBox unit, its
// text set in fontTTF (a TrueType or OpenType font with CJK glyphs; nil draws no text). It
// reads the subset the package writes: rect, line, path (M, L, A, Z), circle and text with
// text-anchor, font-size, fill, stroke, stroke-width and stroke-dasharray given as attributes,
// inside g; title and desc are skipped. Word documents and PDF files embed this image, since
// neither takes our SVG as it is.
func PNG(svg []byte, scale float64, fontTTF []byte) ([]byte, error) {
	if scale <= 0 || scale > 16 || math.IsNaN(scale) {
		return nil, fmt.Errorf("chart png: scale %v out of range", scale)
	}
	var fnt *opentype.Font
	if fontTTF != nil {
		f, err := opentype.Parse(fontTTF)
		if err != nil {
			return nil, fmt.Errorf("chart png: font: %w", err)
		}
		fnt = f
	}
	r := &raster{scale: scale, font: fnt, faces: map[float64]font.Face{}}
	defer r.closeFaces()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	// The stack of open elements, each with its attributes, for inherited font-size and fill.
	type open struct {
		name  string
		attrs map[string]string
	}
	var stack []open
	var text *open
	var textBuf strings.Builder
	inherit := func(key string) string {
		for i := len(stack) - 1; i >= 0; i-- {
			if v, ok := stack[i].attrs[key]; ok {
				return v
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("chart png: read svg: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range t.Attr {
				attrs[a.Name.Local] = a.Value
			}
			el := open{name: t.Name.Local, attrs: attrs}
			stack = append(stack, el)
			switch el.name {
			case "svg":
				if r.img != nil {
					return nil, errors.New("chart png: nested svg")
				}
				w, h := num0(attrs["width"]), num0(attrs["height"])
				if vb := strings.Fields(attrs["viewBox"]); len(vb) == 4 {
					w, h = num0(vb[2]), num0(vb[3])
				}
				if w <= 0 || h <= 0 || w*scale > 8000 || h*scale > 8000 {
					return nil, fmt.Errorf("chart png: size %v×%v out of range", w, h)
				}
				r.img = image.NewRGBA(image.Rect(0, 0, int(math.Ceil(w*scale)), int(math.Ceil(h*scale))))
				draw.Draw(r.img, r.img.Bounds(), image.White, image.Point{}, draw.Src)
			case "text":
				e := stack[len(stack)-1]
				text = &e
				text.attrs["font-size"] = firstOf(attrs["font-size"], inherit("font-size"), "12")
				text.attrs["fill"] = firstOf(attrs["fill"], inherit("fill"), "#000000")
				textBuf.Reset()
			default:
				if r.img == nil {
					return nil, errors.New("chart png: not an svg")
				}
				r.shape(el.name, attrs)
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if t.Name.Local == "text" && text != nil {
				r.text(text.attrs, textBuf.String())
				text = nil
			}
		case xml.CharData:
			// Only the text's own characters: not those of a title inside it.
			if text != nil && len(stack) > 0 && stack[len(stack)-1].name == "text" {
				textBuf.Write(t)
			}
		}
	}
	if r.img == nil {
		return nil, errors.New("chart png: not an svg")
	}
	var out bytes.Buffer
	if err := png.Encode(&out, r.img); err != nil {
		return nil, fmt.Errorf("chart png: encode: %w", err)
	}
	return out.Bytes(), nil
}

// PNG draws the chart as a PNG image (see the package's PNG).
func (b Bars) PNG(scale float64, fontTTF []byte) ([]byte, error) { return PNG(b.SVG(), scale, fontTTF) }

// PNG draws the chart as a PNG image (see the package's PNG).
func (l Line) PNG(scale float64, fontTTF []byte) ([]byte, error) { return PNG(l.SVG(), scale, fontTTF) }

// PNG draws the chart as a PNG image (see the package's PNG).
func (d Donut) PNG(scale float64, fontTTF []byte) ([]byte, error) {
	return PNG(d.SVG(), scale, fontTTF)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func num0(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "px")), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

type pt struct{ x, y float64 }

// raster draws shapes in viewBox units onto img, scaled.
type raster struct {
	img   *image.RGBA
	scale float64
	font  *opentype.Font
	faces map[float64]font.Face
}

func (r *raster) closeFaces() {
	for _, f := range r.faces {
		f.Close()
	}
}

// parseColor reads #rgb, #rrggbb, white, black and none (ok false).
func parseColor(s string) (imgcolor.RGBA, bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch s {
	case "", "none", "transparent":
		return imgcolor.RGBA{}, false
	case "white":
		return imgcolor.RGBA{255, 255, 255, 255}, true
	case "black":
		return imgcolor.RGBA{0, 0, 0, 255}, true
	}
	if !strings.HasPrefix(s, "#") {
		return imgcolor.RGBA{}, false
	}
	h := s[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return imgcolor.RGBA{}, false
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return imgcolor.RGBA{}, false
	}
	return imgcolor.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, true
}

// fill paints the closed contours with c; contours of opposite orientation cut holes. Only
// the contours' bounding box is rasterized, which keeps a chart of many shapes fast.
func (r *raster) fill(contours [][]pt, c imgcolor.RGBA) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, ps := range contours {
		if len(ps) < 3 {
			continue
		}
		for _, p := range ps {
			minX, minY = math.Min(minX, p.x*r.scale), math.Min(minY, p.y*r.scale)
			maxX, maxY = math.Max(maxX, p.x*r.scale), math.Max(maxY, p.y*r.scale)
		}
	}
	box := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(r.img.Bounds())
	if box.Empty() {
		return
	}
	z := vector.NewRasterizer(box.Dx(), box.Dy())
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	for _, ps := range contours {
		if len(ps) < 3 {
			continue
		}
		z.MoveTo(float32(ps[0].x*r.scale-ox), float32(ps[0].y*r.scale-oy))
		for _, p := range ps[1:] {
			z.LineTo(float32(p.x*r.scale-ox), float32(p.y*r.scale-oy))
		}
		z.ClosePath()
	}
	z.DrawOp = draw.Over
	z.Draw(r.img, box, image.NewUniform(c), image.Point{})
}

// stroke paints the outline of the polylines, width w, dashed by dash (on, off, …).
func (r *raster) stroke(lines [][]pt, closed bool, c imgcolor.RGBA, w float64, dash []float64) {
	if w <= 0 {
		return
	}
	var contours [][]pt
	for _, ps := range lines {
		if closed && len(ps) > 1 {
			ps = append(ps[:len(ps):len(ps)], ps[0])
		}
		for _, seg := range dashed(ps, dash) {
			for i := 1; i < len(seg); i++ {
				contours = append(contours, oriented(quad(seg[i-1], seg[i], w/2)))
				if i < len(seg)-1 {
					contours = append(contours, oriented(disc(seg[i], w/2)))
				}
			}
		}
	}
	r.fill(contours, c)
}

// quad is the rectangle around the segment a–b, h either side.
func quad(a, b pt, h float64) []pt {
	dx, dy := b.x-a.x, b.y-a.y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return nil
	}
	nx, ny := -dy/l*h, dx/l*h
	return []pt{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}}
}

func disc(c pt, rad float64) []pt {
	n := 16
	ps := make([]pt, n)
	for i := range ps {
		a := 2 * math.Pi * float64(i) / float64(n)
		ps[i] = pt{c.x + rad*math.Cos(a), c.y + rad*math.Sin(a)}
	}
	return ps
}

// oriented returns ps turning one way (positive area), so that overlapping pieces of one
// stroke add up rather than cancel.
func oriented(ps []pt) []pt {
	var a float64
	for i := range ps {
		j := (i + 1) % len(ps)
		a += ps[i].x*ps[j].y - ps[j].x*ps[i].y
	}
	if a < 0 {
		for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
			ps[i], ps[j] = ps[j], ps[i]
		}
	}
	return ps
}

// dashed cuts the polyline into its dashes; no dash pattern gives it whole.
func dashed(ps []pt, dash []float64) [][]pt {
	total := 0.0
	for _, d := range dash {
		total += d
	}
	if len(dash) == 0 || total <= 0 {
		return [][]pt{ps}
	}
	if len(dash)%2 == 1 {
		dash = append(dash, dash...)
	}
	var out [][]pt
	idx, left, on := 0, dash[0], true
	var cur []pt
	if len(ps) > 0 {
		cur = []pt{ps[0]}
	}
	for i := 1; i < len(ps); i++ {
		a, b := ps[i-1], ps[i]
		segL := math.Hypot(b.x-a.x, b.y-a.y)
		pos := 0.0
		for segL-pos > left {
			pos += left
			t := pos / segL
			p := pt{a.x + (b.x-a.x)*t, a.y + (b.y-a.y)*t}
			if on {
				cur = append(cur, p)
				out = append(out, cur)
				cur = nil
			} else {
				cur = []pt{p}
			}
			on = !on
			idx = (idx + 1) % len(dash)
			left = dash[idx]
			if left <= 0 {
				left = 1e-3
			}
		}
		left -= segL - pos
		if on {
			cur = append(cur, b)
		} else {
			cur = []pt{b}
		}
	}
	if on && len(cur) > 1 {
		out = append(out, cur)
	}
	return out
}

func dashArray(s string) []float64 {
	var out []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		if v := num0(f); v > 0 {
			out = append(out, v)
		}
	}
	return out
}

// paint fills and strokes a shape given as contours, with the attributes' colours (fill black
// when not given, as SVG says; no stroke when not given).
func (r *raster) paint(attrs map[string]string, contours [][]pt, closed bool) {
	fill, hasFill := attrs["fill"]
	if !hasFill {
		fill = "#000000"
	}
	if c, ok := parseColor(fill); ok && closed {
		r.fill(contours, c)
	}
	if c, ok := parseColor(attrs["stroke"]); ok {
		w := 1.0
		if s, ok := attrs["stroke-width"]; ok {
			w = num0(s)
		}
		r.stroke(contours, closed, c, w, dashArray(attrs["stroke-dasharray"]))
	}
}

func (r *raster) shape(name string, a map[string]string) {
	switch name {
	case "rect":
		x, y, w, h := num0(a["x"]), num0(a["y"]), num0(a["width"]), num0(a["height"])
		if w <= 0 || h <= 0 {
			return
		}
		r.paint(a, [][]pt{{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}}, true)
	case "line":
		ps := []pt{{num0(a["x1"]), num0(a["y1"])}, {num0(a["x2"]), num0(a["y2"])}}
		if c, ok := parseColor(a["stroke"]); ok {
			w := 1.0
			if s, ok := a["stroke-width"]; ok {
				w = num0(s)
			}
			r.stroke([][]pt{ps}, false, c, w, dashArray(a["stroke-dasharray"]))
		}
	case "circle":
		cx, cy, rad := num0(a["cx"]), num0(a["cy"]), num0(a["r"])
		if rad <= 0 {
			return
		}
		n := int(math.Max(24, rad*r.scale))
		ps := make([]pt, n)
		for i := range ps {
			t := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
			ps[i] = pt{cx + rad*math.Cos(t), cy + rad*math.Sin(t)}
		}
		r.paint(a, [][]pt{ps}, true)
	case "path":
		contours, closed := pathPoints(a["d"], r.scale)
		// A path with fill="none" is a line; any other is a closed shape (SVG fills open paths
		// as if closed).
		if f, ok := a["fill"]; ok && f == "none" {
			r.paint(a, contours, closed)
			return
		}
		r.paint(a, contours, true)
	}
}

// pathPoints reads the commands M, L, A, Z (absolute, as the package writes them) into
// polylines, arcs cut into short segments.
func pathPoints(d string, scale float64) ([][]pt, bool) {
	toks := pathTokens(d)
	var out [][]pt
	var cur []pt
	closed := false
	var cmd byte
	i := 0
	next := func() float64 {
		if i >= len(toks) {
			return 0
		}
		v := num0(toks[i])
		i++
		return v
	}
	for i < len(toks) {
		t := toks[i]
		if len(t) == 1 && strings.Contains("MLAZmlaz", t) {
			cmd = t[0]
			i++
			if cmd == 'Z' || cmd == 'z' {
				closed = true
				if len(cur) > 0 {
					out = append(out, cur)
				}
				cur = nil
			}
			continue
		}
		switch cmd {
		case 'M':
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = []pt{{next(), next()}}
			cmd = 'L'
		case 'L':
			cur = append(cur, pt{next(), next()})
		case 'A':
			rx, _, _ := next(), next(), next()
			large, sweep := next() != 0, next() != 0
			to := pt{next(), next()}
			if len(cur) == 0 {
				cur = []pt{to}
				continue
			}
			cur = append(cur, arc(cur[len(cur)-1], to, rx, large, sweep, scale)...)
		default:
			i++ // an unknown command's argument
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, closed
}

func pathTokens(d string) []string {
	var toks []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			toks = append(toks, b.String())
			b.Reset()
		}
	}
	for _, r := range d {
		switch {
		case strings.ContainsRune("MLAZmlaz", r):
			flush()
			toks = append(toks, string(r))
		case r == ' ' || r == ',' || r == '\n' || r == '\t':
			flush()
		case r == '-' && b.Len() > 0:
			flush()
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	flush()
	return toks
}

// arc gives the points of a circular arc of radius rad from a to b (SVG's endpoint form),
// without a.
func arc(a, b pt, rad float64, large, sweep bool, scale float64) []pt {
	dx, dy := b.x-a.x, b.y-a.y
	d := math.Hypot(dx, dy)
	if d == 0 || rad <= 0 {
		return []pt{b}
	}
	rad = math.Max(rad, d/2)
	// The centre is on the perpendicular bisector, on the side given by the flags.
	h := math.Sqrt(math.Max(0, rad*rad-d*d/4))
	mx, my := (a.x+b.x)/2, (a.y+b.y)/2
	ux, uy := -dy/d, dx/d
	sign := 1.0
	if large == sweep {
		sign = -1
	}
	cx, cy := mx+sign*h*ux, my+sign*h*uy
	t0 := math.Atan2(a.y-cy, a.x-cx)
	t1 := math.Atan2(b.y-cy, b.x-cx)
	dt := t1 - t0
	if sweep && dt < 0 {
		dt += 2 * math.Pi
	} else if !sweep && dt > 0 {
		dt -= 2 * math.Pi
	}
	n := int(math.Max(4, math.Abs(dt)*rad*scale/2))
	ps := make([]pt, 0, n)
	for i := 1; i <= n; i++ {
		t := t0 + dt*float64(i)/float64(n)
		ps = append(ps, pt{cx + rad*math.Cos(t), cy + rad*math.Sin(t)})
	}
	ps[len(ps)-1] = b
	return ps
}

func (r *raster) face(size float64) font.Face {
	if f, ok := r.faces[size]; ok {
		return f
	}
	f, err := opentype.NewFace(r.font, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	r.faces[size] = f
	return f
}

// text writes s with its baseline at y, anchored at x by text-anchor.
func (r *raster) text(a map[string]string, s string) {
	if r.font == nil || r.img == nil {
		return
	}
	s = strings.TrimSpace(s)
	size := num0(a["font-size"])
	if s == "" || size <= 0 || size > 200 {
		return
	}
	c, ok := parseColor(a["fill"])
	if !ok {
		return
	}
	face := r.face(size * r.scale)
	if face == nil {
		return
	}
	dr := font.Drawer{Dst: r.img, Src: image.NewUniform(c), Face: face}
	w := float64(dr.MeasureString(s)) / 64
	x := num0(a["x"]) * r.scale
	switch a["text-anchor"] {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	y := num0(a["y"]) * r.scale
	dr.Dot = fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}
	dr.DrawString(s)
}
