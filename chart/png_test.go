package chart

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// cjkFont is the CJK font of the tests, or nil (text then is not drawn).
func cjkFont(t *testing.T) []byte {
	t.Helper()
	for _, p := range []string{os.Getenv("XIEZUO_FONT"), "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"} {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return b
		}
	}
	t.Log("no CJK font: text not drawn")
	return nil
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	return img
}

func rgb(img image.Image, x, y int) [3]uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

// TestPNGBarsWhereTheSVGSays finds each bar's rectangle in the SVG and checks that the
// image has the bar's colour inside it and white just beside it.
func TestPNGBarsWhereTheSVGSays(t *testing.T) {
	b := Bars{Title: "资金", Unit: "万元", Categories: []string{"武川县", "科右前旗", "巴东县"},
		Series: []Series{{Name: "区级资金", Values: []Value{Of(1200), Of(800), Of(300)}}}}
	svg := b.SVG()
	const scale = 2
	out, err := b.PNG(scale, cjkFont(t))
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, out)
	if got, want := img.Bounds().Dx(), 600*scale; got != want {
		t.Fatalf("width = %d, want %d", got, want)
	}
	re := regexp.MustCompile(`<rect x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)" fill="#1f5f99">`)
	ms := re.FindAllStringSubmatch(string(svg), -1)
	if len(ms) != 3 {
		t.Fatalf("found %d bars in the SVG, want 3", len(ms))
	}
	blue := [3]uint8{0x1f, 0x5f, 0x99}
	for _, m := range ms {
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		w, _ := strconv.ParseFloat(m[3], 64)
		h, _ := strconv.ParseFloat(m[4], 64)
		cx, cy := int((x+w/2)*scale), int((y+h/2)*scale)
		if got := rgb(img, cx, cy); got != blue {
			t.Errorf("bar at x=%v: centre pixel (%d,%d) = %v, want %v", x, cx, cy, got, blue)
		}
		if got := rgb(img, int((x+1)*scale)+1, int((y+h-1)*scale)); got != blue {
			t.Errorf("bar at x=%v: inner corner = %v, want %v", x, got, blue)
		}
		// Just left of the bar is the background (or a faint grid line), never the bar's colour.
		if got := rgb(img, int(x*scale)-3, cy); got == blue {
			t.Errorf("bar at x=%v: pixel left of it is the bar's colour", x)
		}
		// Above the bar's top, past its figure, is not blue.
		if got := rgb(img, cx, int((y-20)*scale)); got == blue {
			t.Errorf("bar at x=%v: pixel above it is the bar's colour", x)
		}
	}
}

// TestPNGDonutAndLine checks that a donut's ring is painted at its radius and its hole left
// white, and that a line chart's path is drawn between its points.
func TestPNGDonutAndLine(t *testing.T) {
	d := Donut{Title: "占比", Parts: []Part{{Name: "甲", Value: Of(1)}, {Name: "乙", Value: Of(1)}}}
	out, err := d.PNG(2, cjkFont(t))
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, out)
	h := img.Bounds().Dy() / 2
	cx := int((pad + 70 + 4) * 2)
	// The ring's middle at 56 units right of the centre: the first part runs from the top
	// clockwise through the right half, in the first colour.
	if got, want := rgb(img, cx+56*2, h), [3]uint8{0x1f, 0x5f, 0x99}; got != want {
		t.Errorf("right of the ring = %v, want %v", got, want)
	}
	if got, want := rgb(img, cx-56*2, h), [3]uint8{0xe0, 0x8a, 0x1e}; got != want {
		t.Errorf("left of the ring = %v, want %v", got, want)
	}
	if got, want := rgb(img, cx+10, h+10), [3]uint8{255, 255, 255}; got != want {
		t.Errorf("hole = %v, want white", got)
	}
	l := Line{Title: "进度", Points: []string{"1月", "2月"}, Series: []Series{{Name: "完成", Values: []Value{Of(10), Of(10)}}}}
	svg := string(l.SVG())
	m := regexp.MustCompile(`<path d="M([0-9.]+) ([0-9.]+)L([0-9.]+) ([0-9.]+)" fill="none" stroke="#1f5f99"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no line path in %s", svg)
	}
	x1, _ := strconv.ParseFloat(m[1], 64)
	x2, _ := strconv.ParseFloat(m[3], 64)
	y, _ := strconv.ParseFloat(m[2], 64)
	out, err = l.PNG(2, nil)
	if err != nil {
		t.Fatal(err)
	}
	img = decodePNG(t, out)
	if got, want := rgb(img, int((x1+x2)), int(y*2)), [3]uint8{0x1f, 0x5f, 0x99}; got != want {
		t.Errorf("middle of the line = %v, want %v", got, want)
	}
}

func TestPNGBadInput(t *testing.T) {
	for _, in := range []string{"", "<svg", "<rect/>", `<svg viewBox="0 0 100000 10"/>`, "not xml at all"} {
		if _, err := PNG([]byte(in), 1, nil); err == nil {
			t.Errorf("PNG(%q) = nil error, want an error", in)
		}
	}
	if _, err := PNG([]byte(`<svg viewBox="0 0 10 10"/>`), 0, nil); err == nil {
		t.Error("PNG(scale 0) = nil error, want an error")
	}
	if _, err := PNG([]byte(`<svg viewBox="0 0 10 10"/>`), 1, []byte("no font")); err == nil {
		t.Error("PNG(bad font) = nil error, want an error")
	}
}
