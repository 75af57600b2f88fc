package gongwen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/image/font/sfnt"
)

// Font is the TrueType font a PDF is set in, and charts' images are drawn with: a font with
// CJK glyphs, as .ttf (fpdf cannot read a .ttc collection).
type Font struct {
	Path    string
	Regular []byte
	// Bold is the bold face when the family has one (LXGW WenKai does); nil: bold text is
	// drawn by stroking the regular face's outlines.
	Bold []byte
}

// Fonts looked for, in order, after XIEZUO_FONT: Debian's fonts-lxgw-wenkai (installed by
// .ci/run), then fonts-droid-fallback.
var fontPaths = []string{
	"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
}

// ErrNoFont is returned by FindFont when no CJK TrueType font is found.
var ErrNoFont = errors.New("找不到中文 TrueType 字体（.ttf）：请安装 Debian 软件包 fonts-lxgw-wenkai（apt-get install fonts-lxgw-wenkai），或以环境变量 XIEZUO_FONT 指定一个含中文字形的 .ttf 字体文件")

// FindFont finds the font to write with: the file named by XIEZUO_FONT, else LXGW WenKai
// (fonts-lxgw-wenkai), else Droid Sans Fallback, else any .ttf under /usr/share/fonts with CJK
// glyphs. A font named by XIEZUO_FONT that cannot be used is an error, not a reason to look
// elsewhere: the administrator asked for it.
func FindFont() (Font, error) {
	if p := os.Getenv("XIEZUO_FONT"); p != "" {
		f, err := LoadFont(p)
		if err != nil {
			return Font{}, fmt.Errorf("XIEZUO_FONT 指定的字体不能使用：%w", err)
		}
		return f, nil
	}
	for _, p := range fontPaths {
		if f, err := LoadFont(p); err == nil {
			return f, nil
		}
	}
	var found Font
	errFound := errors.New("found")
	filepath.WalkDir("/usr/share/fonts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".ttf") {
			return nil
		}
		if f, err := LoadFont(p); err == nil {
			found = f
			return errFound
		}
		return nil
	})
	if found.Regular != nil {
		return found, nil
	}
	return Font{}, ErrNoFont
}

// LoadFont reads the .ttf at path, checking that it has CJK glyphs; a bold face beside it
// (…-Regular.ttf → …-Bold.ttf) is read too.
func LoadFont(path string) (Font, error) {
	if strings.EqualFold(filepath.Ext(path), ".ttc") || strings.EqualFold(filepath.Ext(path), ".otc") {
		return Font{}, fmt.Errorf("%s 是字体集合（.ttc），PDF 写入器只能使用 .ttf 字体", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Font{}, fmt.Errorf("读取字体 %s：%w", path, err)
	}
	if err := hasCJK(b); err != nil {
		return Font{}, fmt.Errorf("字体 %s：%w", path, err)
	}
	f := Font{Path: path, Regular: b}
	if strings.Contains(path, "-Regular.") {
		bp := strings.Replace(path, "-Regular.", "-Bold.", 1)
		if bb, err := os.ReadFile(bp); err == nil && hasCJK(bb) == nil {
			f.Bold = bb
		}
	}
	return f, nil
}

// hasCJK checks that the font is a TrueType font with glyphs for common Chinese characters.
func hasCJK(b []byte) error {
	f, err := sfnt.Parse(b)
	if err != nil {
		return fmt.Errorf("不是可用的 TrueType 字体：%v", err)
	}
	var buf sfnt.Buffer
	for _, r := range "中国办公" {
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			return errors.New("字体中没有中文字形")
		}
	}
	return nil
}
