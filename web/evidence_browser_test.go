package web

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"xiezuo"
)

// scene is a photo of something: a sky over a field, 480×360, as a phone's camera would send
// it (smaller).
func scene() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 480, 360))
	for y := range 360 {
		for x := range 480 {
			c := color.RGBA{uint8(90 + y/4), uint8(150 + x/8), 230, 255}
			if y > 220 {
				c = color.RGBA{uint8(60 + x/10), uint8(140 + (y-220)/2), 60, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// TestBrowserEvidence: on a phone a unit reports with a photo taken by its camera (the file
// input asks for the camera); the page fits the screen, shows the photo and when it was taken;
// the office sees it in the report's history on its PC.
func TestBrowserEvidence(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	key := dutyOf(t, e, xiezuo.DutyTask, 13)
	photo := filepath.Join(t.TempDir(), "IMG_20210820_090500.jpg")
	if err := os.WriteFile(photo, exifJPEG(t, scene(), "2021:08:20 09:05:00"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.signIn("caizheng", testPassword)
	b.phone()
	if status := b.open("/duties/" + key.String()); status != 200 {
		t.Fatalf("GET duty page = %d", status)
	}
	if c := eval[string](b, `document.querySelector('input[name="evidence"]').getAttribute("capture")`); c != "environment" {
		t.Errorf("the file input's capture = %q, want environment (the camera)", c)
	}
	b.do("fill the report",
		fill(`textarea[name="text"]`, "8月20日拨付帮扶资金 500 万元，现场照片见附件。"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="evidence"]`), []string{photo}))
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("on a phone the report form is %d px wide, wider than the screen's %d", w, phoneWidth)
	}
	if status := b.submit("报送", chromedp.Click(chromedp.CSS(`form.report-form button[value="submit"]`))); status != 200 {
		t.Fatalf("报送 = %d", status)
	}
	text := b.text()
	for _, want := range []string{"IMG_20210820_090500.jpg", "拍摄时间 2021-08-20 09:05", "JPEG 图片"} {
		if !strings.Contains(text, want) {
			t.Errorf("after 报送 the page lacks %q:\n%s", want, text)
		}
	}
	// The picture is served to its reader and shown (not blocked, not downloaded).
	if w := eval[int](b, `new Promise(r => { const i = document.querySelector("ul.evidence img"); if (!i) return r(-1); i.loading = "eager"; if (i.complete) return r(i.naturalWidth); i.onload = () => r(i.naturalWidth); i.onerror = () => r(0); })`); w != 480 {
		t.Errorf("the photo shows %d px wide, want its 480", w)
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > phoneWidth {
		t.Errorf("on a phone the duty page with its photo is %d px wide, wider than %d", w, phoneWidth)
	}
	b.shot("evidence-phone")

	b.desktop()
	b.signIn("office", testPassword)
	if status := b.open("/duties/" + key.String()); status != 200 {
		t.Fatalf("GET duty page as office = %d", status)
	}
	if !strings.Contains(b.text(), "拍摄时间 2021-08-20 09:05") {
		t.Errorf("the office does not see the photo's capture time")
	}
	b.shot("evidence-office")
}
