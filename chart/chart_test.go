package chart

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// node is a parsed SVG element.
type node struct {
	Name     string
	Attr     map[string]string
	Text     string
	Children []*node
}

// parse reads svg as XML, failing the test when it is not well-formed.
func parse(t *testing.T, svg []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				if _, dup := n.Attr[a.Name.Local]; dup {
					t.Fatalf("element %s has attribute %s twice", n.Name, a.Name.Local)
				}
				n.Attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		}
	}
	if root == nil || root.Name != "svg" {
		t.Fatalf("no svg root in %s", svg)
	}
	return root
}

func (n *node) walk(f func(*node)) {
	f(n)
	for _, c := range n.Children {
		c.walk(f)
	}
}

// title is the text of an element's <title> child.
func (n *node) title() string {
	for _, c := range n.Children {
		if c.Name == "title" {
			return c.Text
		}
	}
	return ""
}

func num64(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}

// bars returns the drawn (filled) bars by their tooltip.
func bars(t *testing.T, svg []byte) map[string]*node {
	out := map[string]*node{}
	parse(t, svg).walk(func(n *node) {
		if n.Name == "rect" && n.title() != "" {
			out[n.title()] = n
		}
	})
	return out
}

// checkSafe asserts what every chart must be: well-formed, role="img" with title and desc, a
// viewBox, no style attribute, no script, no external reference, no CSS class.
func checkSafe(t *testing.T, svg []byte) {
	t.Helper()
	root := parse(t, svg)
	if root.Attr["role"] != "img" || root.Attr["viewBox"] == "" || !strings.Contains(root.Attr["font-family"], "sans-serif") {
		t.Errorf("svg root = %v, want role=img, a viewBox and a font-family", root.Attr)
	}
	var hasTitle, hasDesc bool
	for _, c := range root.Children {
		hasTitle = hasTitle || c.Name == "title"
		hasDesc = hasDesc || c.Name == "desc"
	}
	if !hasTitle || !hasDesc {
		t.Errorf("svg lacks <title> or <desc>")
	}
	root.walk(func(n *node) {
		if n.Name == "script" || n.Name == "style" || n.Name == "foreignObject" || n.Name == "image" || n.Name == "use" {
			t.Errorf("svg has <%s>", n.Name)
		}
		for k := range n.Attr {
			if k == "style" || k == "class" || k == "href" || strings.HasPrefix(k, "on") {
				t.Errorf("<%s> has attribute %s", n.Name, k)
			}
		}
	})
	if bytes.Contains(svg, []byte("style=")) || bytes.Contains(svg, []byte("<script")) {
		t.Errorf("svg contains style= or <script")
	}
}

func TestBarsProportional(t *testing.T) {
	for _, horizontal := range []bool{false, true} {
		t.Run(fmt.Sprintf("horizontal=%v", horizontal), func(t *testing.T) {
			b := Bars{Title: "资金", Unit: "万元", Horizontal: horizontal,
				Categories: []string{"武川县", "巴东县"},
				Series: []Series{
					{Name: "计划", Values: []Value{Of(100), Of(50)}},
					{Name: "已下达", Values: []Value{Of(80), {}}},
				}}
			svg := b.SVG()
			checkSafe(t, svg)
			got := bars(t, svg)
			size := func(title string) float64 {
				n, ok := got[title]
				if !ok {
					t.Fatalf("no bar %q among %v", title, keys(got))
				}
				if horizontal {
					return num64(t, n.Attr["width"])
				}
				return num64(t, n.Attr["height"])
			}
			a, c, d := size("武川县 · 计划：100 万元"), size("巴东县 · 计划：50 万元"), size("武川县 · 已下达：80 万元")
			if math.Abs(a/c-2) > 0.02 || math.Abs(a/d-1.25) > 0.02 {
				t.Errorf("bars 100, 50, 80 drawn %v, %v, %v: not proportional", a, c, d)
			}
			// The value not reported is a dashed outline, not a bar of 0.
			u, ok := got["巴东县 · 已下达：未报送 万元"]
			if !ok {
				u, ok = got["巴东县 · 已下达："+Unknown]
			}
			if !ok || u.Attr["fill"] != "none" || u.Attr["stroke-dasharray"] == "" {
				t.Errorf("unknown value drawn as %v (found %v), want a dashed outline", u, ok)
			}
			if !bytes.Contains(svg, []byte("计划")) || !bytes.Contains(svg, []byte("已下达")) {
				t.Errorf("legend lacks the series' names")
			}
		})
	}
}

func keys(m map[string]*node) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestBarsStackedAndRef(t *testing.T) {
	b := Bars{Title: "事项", Stacked: true, Horizontal: true, Unit: "项",
		Categories: []string{"任务"},
		Series:     []Series{{Name: "按时", Color: Green, Values: []Value{Of(30)}}, {Name: "逾期", Color: Red, Values: []Value{Of(10)}}},
		Ref:        &Ref{Value: 20, Label: "参考"}}
	svg := b.SVG()
	checkSafe(t, svg)
	got := bars(t, svg)
	g, r := got["任务 · 按时：30 项"], got["任务 · 逾期：10 项"]
	if g == nil || r == nil {
		t.Fatalf("stacked segments missing: %v", keys(got))
	}
	gw, rw := num64(t, g.Attr["width"]), num64(t, r.Attr["width"])
	if math.Abs(gw/rw-3) > 0.05 {
		t.Errorf("segments 30 and 10 drawn %v and %v", gw, rw)
	}
	if gx, rx := num64(t, g.Attr["x"]), num64(t, r.Attr["x"]); math.Abs(gx+gw-rx) > 0.2 {
		t.Errorf("second segment starts at %v, want at the end of the first %v", rx, gx+gw)
	}
	if g.Attr["fill"] != Green || r.Attr["fill"] != Red {
		t.Errorf("colours %s %s", g.Attr["fill"], r.Attr["fill"])
	}
	if !bytes.Contains(svg, []byte(`stroke-dasharray="6 3"><title>参考</title>`)) {
		t.Errorf("no reference line")
	}
}

func TestBarsRefVertical(t *testing.T) {
	b := Bars{Title: "采购占比", Unit: "%", Max: 100, Categories: []string{"区财政局", "区教委"},
		Series: []Series{{Name: "占比", Values: []Value{Of(45), {}}}}, Ref: &Ref{Value: 30, Label: "30% 要求"}}
	svg := b.SVG()
	checkSafe(t, svg)
	root := parse(t, svg)
	var refY, barTop, base float64
	root.walk(func(n *node) {
		if n.Name == "line" && n.title() == "30% 要求" {
			refY = num64(t, n.Attr["y1"])
		}
		if n.Name == "rect" && n.title() == "区财政局：45%" {
			barTop = num64(t, n.Attr["y"])
			base = barTop + num64(t, n.Attr["height"])
		}
	})
	if refY == 0 || barTop == 0 {
		t.Fatalf("reference line or bar missing in %s", svg)
	}
	// With the axis at 100, the line at 30 sits at 30/45 of the bar's height.
	if got := (base - refY) / (base - barTop); math.Abs(got-30.0/45) > 0.01 {
		t.Errorf("reference at %v of the bar, want %v", got, 30.0/45)
	}
}

func TestBarsZeroAndEmpty(t *testing.T) {
	for _, b := range []Bars{
		{Title: "零", Categories: []string{"甲"}, Series: []Series{{Name: "x", Values: []Value{Of(0)}}}},
		{Title: "空"},
		{Title: "空", Horizontal: true},
		{Title: "未知", Horizontal: true, Stacked: true, Categories: []string{"甲"}, Series: []Series{{Name: "x"}}},
	} {
		svg := b.SVG()
		checkSafe(t, svg)
		if bytes.Contains(svg, []byte("NaN")) || bytes.Contains(svg, []byte("Inf")) {
			t.Errorf("%s: NaN or Inf in %s", b.Title, svg)
		}
	}
}

func TestBarsManyAndLongLabels(t *testing.T) {
	var cats []string
	var vals []Value
	for i := range 80 {
		cats = append(cats, fmt.Sprintf("第%d个很长很长很长很长很长的单位名称（含括号）", i))
		vals = append(vals, Of(float64(i)))
	}
	for _, horizontal := range []bool{false, true} {
		b := Bars{Title: "多", Categories: cats, Series: []Series{{Name: "v", Values: vals}}, Horizontal: horizontal}
		svg := b.SVG()
		checkSafe(t, svg)
		root := parse(t, svg)
		var vb [4]float64
		fmt.Sscanf(root.Attr["viewBox"], "%g %g %g %g", &vb[0], &vb[1], &vb[2], &vb[3])
		n := 0
		root.walk(func(e *node) {
			if e.Name == "rect" && e.title() != "" {
				n++
				x, y := num64(t, e.Attr["x"]), num64(t, e.Attr["y"])
				w, h := num64(t, e.Attr["width"]), num64(t, e.Attr["height"])
				if x < 0 || y < 0 || x+w > vb[2]+0.1 || y+h > vb[3]+0.1 || w < 0 || h < 0 {
					t.Errorf("horizontal=%v: bar %q at %v,%v %vx%v outside %v", horizontal, e.title(), x, y, w, h, vb)
				}
			}
			if e.Name == "text" && strings.Contains(e.Text, "（含括号）") {
				t.Errorf("horizontal=%v: long label %q not cut", horizontal, e.Text)
			}
		})
		if n != 80 {
			t.Errorf("horizontal=%v: %d bars, want 80", horizontal, n)
		}
		if horizontal && vb[3] < 80*20 {
			t.Errorf("80 horizontal bars in a height of %v", vb[3])
		}
	}
}

func TestEscaping(t *testing.T) {
	evil := `<script>alert("x")</script> & 'q'`
	charts := map[string][]byte{
		"bars":  Bars{Title: evil, Unit: evil, Categories: []string{evil}, Series: []Series{{Name: evil, Values: []Value{OfText(1, evil)}}}, Ref: &Ref{Value: 1, Label: evil}}.SVG(),
		"hbars": Bars{Title: evil, Horizontal: true, Categories: []string{evil}, Series: []Series{{Name: evil, Values: []Value{Of(1)}}, {Name: "b", Values: []Value{Of(2)}}}}.SVG(),
		"line":  Line{Title: evil, Unit: evil, Points: []string{evil, "2月"}, Series: []Series{{Name: evil, Values: []Value{Of(1), OfText(2, evil)}}}}.SVG(),
		"donut": Donut{Title: evil, Center: evil, Parts: []Part{{Name: evil, Value: Of(1)}, {Name: "b\x00", Value: Value{}}}}.SVG(),
	}
	for name, svg := range charts {
		checkSafe(t, svg)
		if bytes.Contains(svg, []byte("<script")) || bytes.Contains(svg, []byte("\x00")) {
			t.Errorf("%s: not escaped: %s", name, svg)
		}
		if !bytes.Contains(svg, []byte("&lt;script&gt;")) || !bytes.Contains(svg, []byte("&amp;")) {
			t.Errorf("%s: escaped text missing: %s", name, svg)
		}
	}
}

func TestDeterministic(t *testing.T) {
	mk := func() [][]byte {
		return [][]byte{
			Bars{Title: "a", Categories: []string{"x", "y"}, Series: []Series{{Name: "s", Values: []Value{Of(1.234), Of(2)}}}}.SVG(),
			Line{Title: "l", Points: []string{"1月", "2月"}, Series: []Series{{Name: "s", Values: []Value{Of(1), Of(2)}}}}.SVG(),
			Donut{Title: "d", Parts: []Part{{Name: "a", Value: Of(1)}, {Name: "b", Value: Of(3)}}}.SVG(),
		}
	}
	a, b := mk(), mk()
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("chart %d differs between two runs", i)
		}
	}
}

func TestLine(t *testing.T) {
	l := Line{Title: "累计拨付", Unit: "万元", Points: []string{"1月", "2月", "3月", "4月"},
		Series: []Series{
			{Name: "下达", Values: []Value{Of(0), Of(100), Of(100), {}}},
			{Name: "拨付", Values: []Value{Of(0), Of(50), Of(75), {}}},
		}}
	svg := l.SVG()
	checkSafe(t, svg)
	root := parse(t, svg)
	var paths []string
	marks := map[string]float64{}
	root.walk(func(n *node) {
		if n.Name == "path" && n.Attr["fill"] == "none" {
			paths = append(paths, n.Attr["d"])
		}
		if n.Name == "g" && n.title() != "" {
			c := n.Children[1]
			switch c.Name {
			case "circle":
				marks[n.title()] = num64(t, c.Attr["cy"])
			case "rect":
				marks[n.title()] = num64(t, c.Attr["y"]) + 3.5
			}
		}
	})
	if len(paths) != 2 || strings.Count(paths[0], "L") != 2 {
		t.Fatalf("paths = %q, want two of three points (April unknown, not drawn)", paths)
	}
	base := marks["1月 · 下达：0 万元"]
	h100 := base - marks["2月 · 下达：100 万元"]
	h50 := base - marks["2月 · 拨付：50 万元"]
	h75 := base - marks["3月 · 拨付：75 万元"]
	if h100 <= 0 || math.Abs(h100/h50-2) > 0.02 || math.Abs(h75/h50-1.5) > 0.02 {
		t.Errorf("heights 100, 50, 75 = %v, %v, %v (marks %v)", h100, h50, h75, marks)
	}
	want := Table{Caption: "累计拨付", Columns: []string{"月份", "下达（万元）", "拨付（万元）"}, Rows: [][]string{
		{"1月", "0", "0"}, {"2月", "100", "50"}, {"3月", "100", "75"}, {"4月", Unknown, Unknown}}}
	if diff := cmp.Diff(want, l.Table()); diff != "" {
		t.Errorf("Table (-want +got):\n%s", diff)
	}
}

func TestDonut(t *testing.T) {
	d := Donut{Title: "事项", Unit: "项", Parts: []Part{
		{Name: "按时", Value: Of(3), Color: Green}, {Name: "逾期", Value: Of(1), Color: Red}, {Name: "不明", Value: Value{}}}}
	svg := d.SVG()
	checkSafe(t, svg)
	want := Table{Caption: "事项", Columns: []string{"项目", "数值（项）", "占比"}, Rows: [][]string{
		{"按时", "3", "75%"}, {"逾期", "1", "25%"}, {"不明", Unknown, ""}}}
	if diff := cmp.Diff(want, d.Table()); diff != "" {
		t.Errorf("Table (-want +got):\n%s", diff)
	}
	var arcs []string
	parse(t, svg).walk(func(n *node) {
		if n.Name == "path" && n.title() != "" {
			arcs = append(arcs, n.title())
		}
	})
	if diff := cmp.Diff([]string{"按时：3 项（75%）", "逾期：1 项（25%）"}, arcs); diff != "" {
		t.Errorf("arcs (-want +got):\n%s", diff)
	}
	// A single part is a whole ring; nothing known is an empty dashed ring.
	for _, one := range []Donut{{Title: "一", Parts: []Part{{Name: "a", Value: Of(5)}}}, {Title: "无", Parts: []Part{{Name: "a"}}}} {
		svg := one.SVG()
		checkSafe(t, svg)
		if !bytes.Contains(svg, []byte("<circle")) {
			t.Errorf("%s: no ring", one.Title)
		}
	}
}

// TestDonutLegendWraps: in a narrow ring (the dashboard's 300 px) a legend line too long for the
// room beside the ring goes on two lines, its name then its figure, never cut with "…".
func TestDonutLegendWraps(t *testing.T) {
	d := Donut{Title: "考核指标", Unit: "项", Width: 300, Parts: []Part{
		{Name: "未达标（已到期）", Value: Of(5), Color: Red}, {Name: "未达标（未到期）", Value: Of(8), Color: Yellow},
		{Name: "达标", Value: Of(27), Color: Green}, {Name: "未报送或未设目标", Value: Of(2), Color: Grey}}}
	svg := d.SVG()
	checkSafe(t, svg)
	var texts []string
	parse(t, svg).walk(func(n *node) {
		if n.Name == "text" {
			texts = append(texts, n.Text)
		}
	})
	all := strings.Join(texts, "|")
	if strings.Contains(all, "…") {
		t.Errorf("the legend is cut: %q", texts)
	}
	for _, want := range []string{"未达标（未到期）|8 项（19%）", "达标|27 项（64.3%）", "未报送或未设目标|2 项（4.8%）"} {
		if !strings.Contains(all, want) {
			t.Errorf("the legend lacks %q on two lines: %q", want, texts)
		}
	}
	// Wide enough, a part is one line.
	d.Width = 600
	if svg := d.SVG(); !bytes.Contains(svg, []byte(">达标 27 项（64.3%）</text>")) {
		t.Errorf("a wide ring's legend is not one line a part")
	}
}

func TestBarsTable(t *testing.T) {
	b := Bars{Title: "资金", Unit: "万元", Column: "协作地区", Categories: []string{"甲", "乙"},
		Series: []Series{{Name: "计划", Values: []Value{OfText(1.5, "1.5"), Of(2)}}, {Name: "拨付", Values: []Value{{}, Of(0)}}},
		Ref:    &Ref{Value: 1, Label: "线"}}
	want := Table{Caption: "资金；参考线：1 万元 线", Columns: []string{"协作地区", "计划（万元）", "拨付（万元）"},
		Rows: [][]string{{"甲", "1.5", Unknown}, {"乙", "2", "0"}}}
	if diff := cmp.Diff(want, b.Table()); diff != "" {
		t.Errorf("Table (-want +got):\n%s", diff)
	}
}

func TestBarsStackedVertical(t *testing.T) {
	b := Bars{Title: "事项", Stacked: true, Unit: "项", Categories: []string{"任务", "项目"},
		Series: []Series{{Name: "按时", Values: []Value{Of(30), Of(0)}}, {Name: "逾期", Values: []Value{Of(10), {}}}}}
	svg := b.SVG()
	checkSafe(t, svg)
	got := bars(t, svg)
	g, r := got["任务 · 按时：30 项"], got["任务 · 逾期：10 项"]
	if g == nil || r == nil {
		t.Fatalf("stacked segments missing: %v", keys(got))
	}
	gh, rh := num64(t, g.Attr["height"]), num64(t, r.Attr["height"])
	if math.Abs(gh/rh-3) > 0.05 {
		t.Errorf("segments 30 and 10 drawn %v and %v high", gh, rh)
	}
	// The second segment sits on the first.
	if gy, ry := num64(t, g.Attr["y"]), num64(t, r.Attr["y"]); math.Abs(ry+rh-gy) > 0.2 {
		t.Errorf("second segment ends at %v, want at the top of the first %v", ry+rh, gy)
	}
	if _, ok := got["项目 · 按时：0 项"]; ok {
		t.Errorf("a segment of 0 is drawn")
	}
	if !bytes.Contains(svg, []byte(">"+Unknown+"<")) {
		t.Errorf("the unknown segment of 项目 is not said")
	}
}
