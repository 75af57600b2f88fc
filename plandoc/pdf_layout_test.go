package plandoc

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// pagesFromText reads words written one a line as "page x0 y0 x1 y1 text" (page from 1) onto
// A4 pages, as the fuzz test and the tests below give them. Lines that do not fit are skipped.
func pagesFromText(s string, maxWords int) []pdfPage {
	var pages []pdfPage
	n := 0
	for _, line := range strings.Split(s, "\n") {
		f := strings.SplitN(strings.TrimSpace(line), " ", 6)
		if len(f) < 6 {
			continue
		}
		page, err := strconv.Atoi(f[0])
		if err != nil || page < 1 || page > 50 {
			continue
		}
		var v [4]float64
		ok := true
		for i := range v {
			if v[i], err = strconv.ParseFloat(f[i+1], 64); err != nil {
				ok = false
			}
		}
		if !ok {
			continue
		}
		for len(pages) < page {
			pages = append(pages, pdfPage{width: 595, height: 842})
		}
		pages[page-1].words = append(pages[page-1].words, pdfWord{v[0], v[1], v[2], v[3], f[5]})
		if n++; n >= maxWords {
			break
		}
	}
	return pages
}

func layoutText(t *testing.T, s string) []srcLine {
	t.Helper()
	lines, err := layoutPDF(pagesFromText(s, 1<<20), &budget{ctx: context.Background()})
	if err != nil {
		t.Fatalf("layoutPDF error: %v", err)
	}
	return lines
}

// show writes rebuilt lines as text for comparison: a row as its cells between |.
func show(lines []srcLine) []string {
	var out []string
	for _, l := range lines {
		s := "p" + strconv.Itoa(l.page) + " "
		if l.cells != nil {
			s += "|" + strings.Join(l.cells, "|") + "|"
		} else {
			s += l.text
		}
		out = append(out, s)
	}
	return out
}

func TestLayoutParagraphs(t *testing.T) {
	// 12 pt text (boxes 15.6 pt high) on a 20 pt pitch, between x 56.8 and 540.
	words := `
1 200 60 380 80 2023年延庆区支援合作工作要点
1 56.8 100 170 115.6 一、总体要求
1 56.8 120 540 135.6 1、坚持党建引领。深入学习贯彻党的二十大精神，全面落实市委部署，推动各项工作
1 56.8 140 300 155.6 落地见效。
1 56.8 160 300 175.6 责任单位：区委组织部、领导小组办公室
1 80.8 180 540 195.6 各单位要按照分工抓好落实，这一行首行缩进，开始新的一段，并且写满整行的宽度，
1 56.8 200 200 215.6 直到这里结束。
1 56.8 220 100 235.6 Hello
1 56.8 240 535 255.6 world,
1 56.8 260 120 275.6 again
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 2023年延庆区支援合作工作要点",
		"p1 一、总体要求",
		"p1 1、坚持党建引领。深入学习贯彻党的二十大精神，全面落实市委部署，推动各项工作落地见效。",
		"p1 责任单位：区委组织部、领导小组办公室",
		"p1 各单位要按照分工抓好落实，这一行首行缩进，开始新的一段，并且写满整行的宽度，直到这里结束。",
		"p1 Hello",
		"p1 world, again",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF paragraphs (-want +got):\n%s", diff)
	}
}

func TestLayoutRunningHeadersAndPageNumbers(t *testing.T) {
	// Three pages with a running header, a page number at the foot, and a paragraph that
	// runs on from page 1 to page 2.
	var b strings.Builder
	for p := 1; p <= 3; p++ {
		ps := strconv.Itoa(p)
		b.WriteString(ps + " 200 30 400 45.6 门头沟区支援合作工作要点（" + ps + "）\n")
		b.WriteString(ps + " 280 800 310 815.6 -" + ps + "-\n")
	}
	b.WriteString("1 56.8 100 540 115.6 1.深入学习贯彻中央和本市关于支援合作工作的新精神新部署。持续深入学习贯彻\n")
	b.WriteString("1 56.8 120 540 135.6 习近平总书记关于东西部协作和对口支援工作的重要指示，学习领会会议精神，\n")
	b.WriteString("2 56.8 60 300 75.6 提升履职干事能力。\n")
	b.WriteString("2 56.8 80 300 95.6 责任单位：领导小组办公室\n")
	b.WriteString("3 56.8 60 300 75.6 第 3 页 共 3 页\n")
	b.WriteString("3 56.8 100 300 115.6 2.健全完善组织体系和工作机制。\n")
	got := show(layoutText(t, b.String()))
	want := []string{
		"p1 1.深入学习贯彻中央和本市关于支援合作工作的新精神新部署。持续深入学习贯彻习近平总书记关于东西部协作和对口支援工作的重要指示，学习领会会议精神，提升履职干事能力。",
		"p2 责任单位：领导小组办公室",
		"p3 2.健全完善组织体系和工作机制。",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF running headers (-want +got):\n%s", diff)
	}
}

func TestLayoutTable(t *testing.T) {
	// A table of three columns (x 60–100, 110–300, 310–400) in 8 pt text (boxes 10.4 high,
	// pitch 9.5), rows 16 pt apart; the second row's content wraps, the third is split by the
	// page break, and page 2 repeats the header.
	words := `
1 56.8 60 300 75.6 附件2
1 60 100 90 110.4 序号
1 110 100 160 110.4 任务内容
1 310 100 350 110.4 完成时限
1 60 126 66 136.4 1
1 110 126 200 136.4 区委书记调研
1 310 126 350 136.4 8月底前
1 60 152 66 162.4 2
1 110 152 300 162.4 出台推进东西部协作政策文件，落实市
1 110 161.5 250 171.9 级东西部协作规划。
1 310 152 350 162.4 10月底前
1 60 188 66 198.4 3
1 110 188 300 198.4 对国家考核涉及本区的问题，及时制订
1 310 188 340 198.4 6月底
2 60 60 90 70.4 序号
2 110 60 160 70.4 任务内容
2 310 60 350 70.4 完成时限
2 110 86 220 96.4 整改方案。
2 310 86 320 96.4 前
2 60 112 66 122.4 4
2 110 112 290 122.4 Latin words and more
2 110 121.5 200 131.9 wrap here
2 310 112 350 122.4 全年
2 56.8 160 300 175.6 附件3
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 附件2",
		"p1 |序号|任务内容|完成时限|",
		"p1 |1|区委书记调研|8月底前|",
		"p1 |2|出台推进东西部协作政策文件，落实市级东西部协作规划。|10月底前|",
		"p1 |3|对国家考核涉及本区的问题，及时制订整改方案。|6月底前|",
		"p2 |4|Latin words and more wrap here|全年|",
		"p2 附件3",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF table (-want +got):\n%s", diff)
	}
}

// TestLayoutTightRows checks rows of one line each in a table without padding (as Word draws
// them: the next row 0.4 pt farther than the next line of a cell) come apart: the first cell
// of the line above could not have wrapped onto the next.
func TestLayoutTightRows(t *testing.T) {
	words := `
1 59.7 192.3 95.7 204.0 序号
1 205.3 192.3 241.3 204.0 项目名称
1 351.0 192.3 387.0 204.0 总投资
1 59.7 203.4 65.1 215.1 1
1 205.3 203.4 341.3 215.1 武川县乡村振兴加工车间援建项目之
1 351.0 203.4 361.8 215.1 30
1 205.3 214.1 241.3 225.8 一期工程
1 59.7 225.2 65.1 236.9 2
1 205.3 225.2 295.3 236.9 玫瑰补植养护项目
1 351.0 225.2 361.8 236.9 30
1 59.7 236.3 65.1 248.0 3
1 205.3 236.3 295.3 248.0 养殖产业扶持项目
1 351.0 236.3 361.8 248.0 20
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 |序号|项目名称|总投资|",
		"p1 |1|武川县乡村振兴加工车间援建项目之一期工程|30|",
		"p1 |2|玫瑰补植养护项目|30|",
		"p1 |3|养殖产业扶持项目|20|",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF tight rows (-want +got):\n%s", diff)
	}
}

// TestLayoutBounds checks a document rebuilt into more lines than a document may have is
// refused with its bound.
func TestLayoutBounds(t *testing.T) {
	pages := make([]pdfPage, 0, MaxLines/40+1)
	for len(pages)*40 <= MaxLines {
		p := pdfPage{width: 595, height: 842}
		for i := 0; i < 40; i++ {
			y := 40 + float64(i)*20
			p.words = append(p.words, pdfWord{56.8, y, 100, y + 15.6, strconv.Itoa(i) + "、行" + string(rune('a'+len(pages)%26))})
		}
		pages = append(pages, p)
	}
	_, err := layoutPDF(pages, &budget{ctx: context.Background()})
	if err == nil || !strings.Contains(err.Error(), "PDF 重建后超过 200000 行") {
		t.Errorf("layoutPDF(%d pages of 40 lines) error = %v, want the MaxLines bound", len(pages), err)
	}
}

// TestLayoutStrewnWords checks words strewn over pages in thousands of columns are laid out in
// bounded time (the search for table columns stops past MaxColumns).
func TestLayoutStrewnWords(t *testing.T) {
	var pages []pdfPage
	for p := 0; p < 20; p++ {
		pg := pdfPage{width: 595, height: 842}
		for i := 0; i < 100; i++ {
			y := 20 + float64(i)*8
			for k := 0; k < 300; k++ {
				x := float64((k*37+i*101)%3000) / 5
				pg.words = append(pg.words, pdfWord{x, y, x + 0.8, y + 6, "字"})
			}
		}
		pages = append(pages, pg)
	}
	start := time.Now()
	_, err := layoutPDF(pages, &budget{ctx: context.Background()})
	t.Logf("layoutPDF(600,000 strewn words) = %v in %v", err, time.Since(start))
	if time.Since(start) > time.Minute {
		t.Errorf("layoutPDF(600,000 strewn words) took %v", time.Since(start))
	}
}

// FuzzPDFLayout feeds the layout rebuild positioned words, one a line as "page x0 y0 x1 y1
// text". It must never panic, and what it gives is bounded by what it was given.
// Run it for minutes with: go test ./plandoc -run XXX -fuzz FuzzPDFLayout -fuzztime 5m
func FuzzPDFLayout(f *testing.F) {
	f.Add("1 60 100 90 110.4 序号\n1 110 100 160 110.4 任务内容\n1 60 126 66 136.4 1\n1 110 126 200 136.4 区委书记调研\n2 60 60 90 70.4 序号\n2 110 60 160 70.4 任务内容\n2 110 86 220 96.4 整改方案。\n")
	f.Add("1 56.8 100 540 115.6 1.深入学习贯彻\n1 56.8 120 540 135.6 习近平总书记\n2 56.8 60 300 75.6 提升能力。\n2 280 800 310 815.6 -2-\n1 280 800 310 815.6 -1-\n")
	f.Add("1 0 0 0 0 x\n1 -5 1e308 NaN 3 y\n1 10 10 5 5 z\n3 1 1 1 1 \x01\n")
	f.Add("1 100 100 90 90 a\n1 100 100 90 90 b\n1 100 100.1 90 90 c\n")
	f.Fuzz(func(t *testing.T, s string) {
		pages := pagesFromText(s, 2000)
		in := 0
		for _, p := range pages {
			for _, w := range p.words {
				in += utf8.RuneCountInString(w.text) + 1
			}
		}
		lines, err := layoutPDF(pages, &budget{ctx: context.Background()})
		if err != nil {
			return
		}
		out := 0
		for i, l := range lines {
			if l.line != i+1 || l.page < 1 || l.page > len(pages) {
				t.Fatalf("line %d: line %d, page %d of %d", i, l.line, l.page, len(pages))
			}
			if len(l.cells) > MaxColumns+1 {
				t.Fatalf("line %d has %d cells", i, len(l.cells))
			}
			out += utf8.RuneCountInString(l.text)
			for _, c := range l.cells {
				out += utf8.RuneCountInString(c)
			}
			if !utf8.ValidString(l.text) {
				t.Fatalf("line %d is not UTF-8", i)
			}
		}
		if out > in {
			t.Fatalf("%d characters out of %d in", out, in)
		}
	})
}

// TestLayoutNumberingTab: Word writes an automatic number (一、 （一） 1.) followed by a tab, so the
// printed label stands a wide gap before its text. That gap is not a table's: the heading and
// the points read as prose, the second line of a point (back at the margin) joining it. Words as
// LibreOffice printed a clerk's Word plan (2023 Yanqing).
func TestLayoutNumberingTab(t *testing.T) {
	words := `
1 172.6 106.6 428.6 127.4 延庆区支援合作工作领导小组办公室
1 111.5 185.4 143.5 206.2 一、
1 150.4 185.4 214.4 206.2 总体要求
1 111.5 207.0 159.5 227.8 （一）
1 185.9 207.0 521.9 227.8 坚持党建引领。深入学习贯彻党的二十大精神。
1 111.5 228.6 399.5 249.4 责任单位：区委组织部、领导小组办公室
1 111.5 250.2 159.5 271.0 （二）
1 185.9 250.2 520.8 271.0 加大资金投入。统筹安排东西部协作湖北省郧
1 79.5 271.8 351.5 292.6 阳区帮扶资金，帮扶资金不低于上年。
1 111.5 293.4 255.5 314.2 责任单位：区财政局
1 111.5 315.0 143.5 335.8 2.
1 185.9 315.0 520.8 335.8 深化消费帮扶。组织预算单位采购协作地区农
1 79.5 336.6 143.5 357.4 副产品。
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 延庆区支援合作工作领导小组办公室",
		"p1 一、总体要求",
		"p1 （一）坚持党建引领。深入学习贯彻党的二十大精神。",
		"p1 责任单位：区委组织部、领导小组办公室",
		"p1 （二）加大资金投入。统筹安排东西部协作湖北省郧阳区帮扶资金，帮扶资金不低于上年。",
		"p1 责任单位：区财政局",
		"p1 2.深化消费帮扶。组织预算单位采购协作地区农副产品。",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF numbered paragraphs (-want +got):\n%s", diff)
	}
}

// TestLayoutMergedAcross: a region row's label merged across the first columns (Word's
// gridSpan) crosses the gaps between them; those columns are still the table's, the label read
// in the first. Words as LibreOffice printed a clerk's Word plan (2023 Yanqing, 附件3).
func TestLayoutMergedAcross(t *testing.T) {
	words := `
1 56.8 124.0 67.3 137.7 序
1 56.8 139.0 67.3 152.7 号
1 145.7 124.0 156.2 137.7 建
1 145.7 139.0 156.2 152.7 设
1 145.7 154.0 156.2 167.7 性
1 145.7 169.0 156.2 182.7 质
1 56.8 184.5 137.0 198.2 湖北省郧阳区（2
1 139.1 184.5 160.1 198.2 个）
1 175.2 124.0 238.4 137.7 建设规模和建
1 175.2 139.0 206.7 152.7 设内容
1 56.8 215.0 63.5 228.7 1
1 145.7 215.0 156.2 228.7 新
1 145.7 230.0 156.2 243.7 建
1 175.2 215.0 217.2 228.7 香菇大棚
1 145.7 260.5 156.2 274.2 新
1 145.7 275.5 156.2 289.2 建
1 175.2 260.5 217.2 274.2 帮扶车间
1 56.8 260.5 63.5 274.2 2
1 86.4 124.0 128.4 137.7 项目名称
1 86.4 215.0 134.8 228.7 郧阳区香
1 86.4 230.0 134.8 243.7 菇种植项
1 86.4 245.0 96.9 258.7 目
1 86.4 260.5 134.8 274.2 郧阳区就
1 86.4 275.5 134.8 289.2 业帮扶车
1 86.4 290.5 117.9 304.2 间项目
1 249.3 124.0 285.9 137.7 项目总
1 249.3 139.0 270.3 152.7 投资
1 296.7 124.0 330.4 137.7 区级帮
1 296.7 139.0 328.2 152.7 扶资金
1 249.3 184.5 282.7 198.2 1,500,
1 249.3 199.5 269.3 213.2 000
1 249.3 215.0 282.7 228.7 1,000,
1 249.3 230.0 269.3 243.7 000
1 296.7 184.5 330.0 198.2 12000
1 296.7 199.5 310.1 213.2 00
1 296.7 215.0 330.0 228.7 80000
1 296.7 230.0 303.4 243.7 0
1 249.3 260.5 282.6 274.2 50000
1 249.3 275.5 256.0 289.2 0
1 296.7 260.5 330.0 274.2 40000
1 296.7 275.5 303.4 289.2 0
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 |序号|项目名称|建设性质|建设规模和建设内容|项目总投资|区级帮扶资金|",
		"p1 |湖北省郧阳区（2个）||||1,500,000|1200000|",
		"p1 |1|郧阳区香菇种植项目|新建|香菇大棚|1,000,000|800000|",
		"p1 |2|郧阳区就业帮扶车间项目|新建|帮扶车间|500000|400000|",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF table with a row merged across (-want +got):\n%s", diff)
	}
}

// TestLayoutMergedUnderHeader: a region row merged across the first columns just under the
// header of a table without padding is a row of its own, not the header's last line (figures
// under header words, 322.5 wrapped as 32 / 2.5 in a narrow column). Words as LibreOffice
// printed a clerk's Word plan (2021 Mentougou, 附件3).
func TestLayoutMergedUnderHeader(t *testing.T) {
	words := `
1 56.8 124.0 67.3 137.7 序
1 75.4 124.0 117.4 137.7 项目名称
1 131.1 124.0 141.6 137.7 建
1 149.7 124.0 244.2 137.7 建设规模和建设内容
1 261.2 124.0 271.7 137.7 项
1 289.0 124.0 299.5 137.7 区
1 316.9 124.0 400.9 137.7 帮扶资金主要用途
1 428.5 124.0 439.0 137.7 受
1 456.3 124.0 466.8 137.7 受
1 484.2 124.0 494.7 137.7 吸
1 512.0 124.0 522.5 137.7 项
1 524.2 124.0 534.7 137.7 目
1 545.5 124.0 556.0 137.7 项
1 557.1 124.0 567.6 137.7 目
1 568.8 124.0 579.3 137.7 负
1 590.1 124.0 635.1 137.7 开工竣工
1 645.9 124.0 687.9 137.7 项目效益
1 757.5 124.0 768.0 137.7 项
1 56.8 139.0 67.3 152.7 号
1 131.1 139.0 141.6 152.7 设
1 261.2 139.0 271.7 152.7 目
1 289.0 139.0 299.5 152.7 级
1 428.5 139.0 439.0 152.7 益
1 456.3 139.0 466.8 152.7 益
1 484.2 139.0 494.7 152.7 纳
1 512.0 139.0 522.5 152.7 实
1 524.2 139.0 534.7 152.7 施
1 545.5 139.0 566.5 152.7 责人
1 590.1 139.0 611.1 152.7 时间
1 757.5 139.0 768.0 152.7 目
1 131.1 154.0 141.6 167.7 性
1 261.2 154.0 271.7 167.7 总
1 289.0 154.0 299.5 167.7 帮
1 428.5 154.0 439.0 167.7 脱
1 456.3 154.0 466.8 167.7 脱
1 484.2 154.0 494.7 167.7 脱
1 512.0 154.0 533.0 167.7 单位
1 757.5 154.0 768.0 167.7 牵
1 131.1 169.0 141.6 182.7 质
1 261.2 169.0 271.7 182.7 投
1 289.0 169.0 299.5 182.7 扶
1 428.5 169.0 439.0 182.7 贫
1 456.3 169.0 466.8 182.7 贫
1 484.2 169.0 494.7 182.7 贫
1 757.5 169.0 768.0 182.7 头
1 261.2 184.0 271.7 197.7 资
1 289.0 184.0 299.5 197.7 资
1 428.5 184.0 439.0 197.7 村
1 456.3 184.0 466.8 197.7 人
1 484.2 184.0 494.7 197.7 人
1 757.5 184.0 768.0 197.7 单
1 289.0 199.0 299.5 212.7 金
1 456.3 199.0 466.8 212.7 口
1 484.2 199.0 494.7 212.7 口
1 757.5 199.0 768.0 212.7 位
1 56.8 214.5 143.7 228.2 内蒙古武川县（10
1 145.8 214.5 166.8 228.2 个）
1 261.2 214.5 274.6 228.2 32
1 289.0 214.5 302.4 228.2 32
1 428.5 214.5 441.9 228.2 53
1 456.3 214.5 469.7 228.2 34
1 484.2 214.5 497.6 228.2 10
1 261.2 229.5 277.9 243.2 2.5
1 289.0 229.5 305.7 243.2 2.5
1 456.3 229.5 469.7 243.2 82
1 484.2 229.5 497.6 243.2 95
1 56.8 245.0 63.5 258.7 1
1 75.4 245.0 120.4 258.7 武川县乡
1 131.1 245.0 141.6 258.7 新
1 149.7 245.0 250.2 258.7 扶持农村专业合作社
1 261.2 245.0 274.6 258.7 30
1 289.0 245.0 302.4 258.7 30
1 316.9 245.0 354.3 258.7 (1)投入
1 357.2 245.0 370.6 258.7 10
1 373.4 245.0 417.6 258.7 万元资金
1 428.5 245.0 435.2 258.7 1
1 456.3 245.0 469.7 258.7 30
1 484.2 245.0 497.6 258.7 30
1 512.0 245.0 526.9 258.7 (1)
1 545.5 245.0 560.4 258.7 (1)
1 568.9 245.0 579.4 258.7 刘
1 590.1 245.0 616.8 258.7 2021
1 624.7 245.0 635.2 258.7 年
1 645.9 245.0 746.4 258.7 (1)资金用于补贴大青
1 757.5 245.0 768.0 258.7 区
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 |序号|项目名称|建设性质|建设规模和建设内容|项目总投资|区级帮扶资金|帮扶资金主要用途|受益脱贫村|受益脱贫人口|吸纳脱贫人口|项目实施单位|项目负责人|开工竣工时间|项目效益|项目牵头单位|",
		"p1 |内蒙古武川县（10个）||||322.5|322.5||53|3482|1095||||||",
		"p1 |1|武川县乡|新|扶持农村专业合作社|30|30|(1)投入10万元资金|1|30|30|(1)|(1)刘|2021年|(1)资金用于补贴大青|区|",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF region row under the header (-want +got):\n%s", diff)
	}
}

// TestLayoutNarrowColumnRows: in a table without padding, a column so narrow it holds a
// character a line (任务类别 wrapped 研/究/部/署) seems to run on into the next row; it tells
// nothing, and the row under a work item merged down (vMerge, the first column empty) is a row.
// Words as LibreOffice printed a clerk's Word plan (2021 Mentougou, 附件2).
func TestLayoutNarrowColumnRows(t *testing.T) {
	words := `
1 79.5 150.6 103.6 164.3 工作
1 114.4 150.6 124.9 164.3 任
1 143.5 150.6 185.5 164.3 任务内容
1 318.1 150.6 360.1 164.3 责任部门
1 492.6 150.6 503.1 164.3 完
1 79.5 165.6 100.5 179.3 事项
1 114.4 165.6 124.9 179.3 务
1 492.6 165.6 503.1 179.3 成
1 114.4 180.6 124.9 194.3 类
1 492.6 180.6 503.1 194.3 时
1 114.4 195.6 124.9 209.3 别
1 492.6 195.6 503.1 209.3 限
1 79.5 211.1 103.6 224.8 组织
1 114.4 211.1 124.9 224.8 研
1 143.5 211.1 153.5 224.8 1.
1 157.3 211.1 306.9 224.8 区委书记或区长每半年召开一次
1 318.1 211.1 481.8 224.8 区委办公室、区政府办公室、领导
1 492.6 211.1 506.0 224.8 10
1 79.5 226.1 100.5 239.8 领导
1 114.4 226.1 124.9 239.8 究
1 143.5 226.1 307.2 239.8 以上会议研究部署支援合作工作。
1 318.1 226.1 370.6 239.8 小组办公室
1 492.6 226.1 503.1 239.8 月
1 114.4 241.1 124.9 254.8 部
1 143.5 241.1 153.5 254.8 2.
1 157.3 241.1 306.9 254.8 分管领导每半年召开一次以上会
1 492.6 241.1 503.1 254.8 底
1 114.4 256.1 124.9 269.8 署
1 143.5 256.1 269.5 269.8 议协调推进支援合作工作。
1 492.6 256.1 503.1 269.8 前
1 114.4 271.6 124.9 285.3 调
1 143.5 271.6 153.5 285.3 1.
1 157.3 271.6 306.9 285.3 区委书记或区长到协作地区每年
1 318.1 271.6 481.8 285.3 区委办公室、区政府办公室、领导
1 492.6 271.6 499.3 285.3 8
1 114.4 286.6 124.9 300.3 研
1 143.5 286.6 307.3 300.3 调研对接至少一次，召开至少一次
1 318.1 286.6 481.9 300.3 小组办公室、领导小组相关成员单
1 492.6 286.6 503.1 300.3 月
1 114.4 301.6 124.9 315.3 对
1 143.5 301.6 203.3 315.3 联席会议，8
1 205.5 301.6 269.0 315.3 月底前完成。
1 272.5 301.6 282.5 315.3 2.
1 286.1 301.6 307.2 315.3 深入
1 318.1 301.6 402.1 315.3 位、前方挂职干部
1 492.6 301.6 503.1 315.3 底
1 114.4 316.6 124.9 330.3 接
1 143.5 316.6 307.3 330.3 到乡镇村、脱贫户、项目点开展调
1 492.6 316.6 503.1 330.3 前
1 143.5 331.6 185.5 345.3 研对接。
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 |工作事项|任务类别|任务内容|责任部门|完成时限|",
		"p1 |组织领导|研究部署|1.区委书记或区长每半年召开一次以上会议研究部署支援合作工作。2.分管领导每半年召开一次以上会议协调推进支援合作工作。|区委办公室、区政府办公室、领导小组办公室|10月底前|",
		"p1 ||调研对接|1.区委书记或区长到协作地区每年调研对接至少一次，召开至少一次联席会议，8月底前完成。2.深入到乡镇村、脱贫户、项目点开展调研对接。|区委办公室、区政府办公室、领导小组办公室、领导小组相关成员单位、前方挂职干部|8月底前|",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF rows beside a narrow column (-want +got):\n%s", diff)
	}
}

// TestLayoutHangingIndent: an item of the 附件 list wrapped under its text (Word's hanging
// indent, deeper than the line it continues) is one paragraph, so the list's next items stay
// the list's. Words as LibreOffice printed a clerk's Word plan (2021 Mentougou, page 9).
func TestLayoutHangingIndent(t *testing.T) {
	words := `
1 79.5 344.2 520.6 365.0 工会、团区委、区妇联、区残联、区文联、区红十字会、前方
1 79.5 365.8 159.5 386.6 挂职干部等
1 111.5 387.4 175.5 408.2 附件：1.
1 181.0 387.4 520.8 408.2 门头沟区扶贫协作和支援合作工作领导小组工作
1 159.5 409.0 223.5 429.8 专班职责
1 111.5 430.6 126.8 451.4 2.
1 131.9 430.6 195.9 451.4 门头沟区
1 200.7 430.6 241.4 451.4 2021
1 246.5 430.6 422.5 451.4 年支援合作工作任务清单
1 111.5 452.2 126.8 473.0 3.
1 131.8 452.2 172.5 473.0 2021
1 177.7 452.2 401.7 473.0 年门头沟区支援合作项目计划表
1 111.5 473.8 521.1 494.6 一个段落正好写满一行，末字落在右边距上，一二三四五六
1 111.5 495.4 255.5 516.2 下一段首行缩进两字
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 工会、团区委、区妇联、区残联、区文联、区红十字会、前方挂职干部等",
		"p1 附件：1.门头沟区扶贫协作和支援合作工作领导小组工作专班职责",
		"p1 2.门头沟区2021年支援合作工作任务清单",
		"p1 3. 2021年门头沟区支援合作项目计划表",
		"p1 一个段落正好写满一行，末字落在右边距上，一二三四五六",
		"p1 下一段首行缩进两字",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF hanging indent (-want +got):\n%s", diff)
	}
}

// TestLayoutRowAcrossPagesAllCells: a row the page break split in every cell, its narrow key
// column (任务类别, a character a line: 消/费 | 帮/扶) and 完成时限 (10/月 | 底/前) too, is one
// row. Words as LibreOffice printed a clerk's Word plan (2021 Mentougou, 附件2 pages 11–12).
func TestLayoutRowAcrossPagesAllCells(t *testing.T) {
	words := `
1 79.5 150.6 103.6 164.3 工作
1 114.4 150.6 124.9 164.3 任
1 143.5 150.6 185.5 164.3 任务内容
1 318.1 150.6 360.1 164.3 责任部门
1 492.6 150.6 503.1 164.3 完
1 79.5 165.6 100.5 179.3 事项
1 114.4 165.6 124.9 179.3 务
1 492.6 165.6 503.1 179.3 成
1 114.4 180.6 124.9 194.3 类
1 492.6 180.6 503.1 194.3 时
1 114.4 195.6 124.9 209.3 别
1 492.6 195.6 503.1 209.3 限
1 114.4 211.1 124.9 224.8 倾
1 143.5 211.1 307.3 224.8 帮扶资源向乡村振兴重点帮扶县倾
1 318.1 211.1 481.8 224.8 领导小组成员单位、前方挂职干部
1 492.6 211.1 506.0 224.8 10
1 114.4 226.1 124.9 239.8 斜
1 143.5 226.1 164.5 239.8 斜。
1 318.1 226.1 328.6 239.8 等
1 492.6 226.1 503.1 239.8 月
1 114.4 241.1 124.9 254.8 支
1 492.6 241.1 503.1 254.8 底
1 114.4 256.1 124.9 269.8 持
1 492.6 256.1 503.1 269.8 前
1 114.4 271.6 124.9 285.3 消
1 143.5 271.6 307.3 285.3 完善区消费扶贫分中心服务功能。
1 318.1 271.6 481.9 285.3 区商务局、区国资委、区财政局、
1 492.6 271.6 506.0 285.3 10
1 114.4 286.6 124.9 300.3 费
1 143.5 286.6 307.3 300.3 组织区内预算单位、鼓励引导区属
1 318.1 286.6 328.6 300.3 区
1 329.8 286.6 340.3 300.3 直
1 341.6 286.6 469.5 300.3 机关工委、区总工会、区
1 470.8 286.6 481.3 300.3 教
1 492.6 286.6 503.1 300.3 月
2 79.5 107.4 103.6 121.1 工作
2 114.4 107.4 124.9 121.1 任
2 143.5 107.4 185.5 121.1 任务内容
2 318.1 107.4 360.1 121.1 责任部门
2 492.6 107.4 503.1 121.1 完
2 79.5 122.4 100.5 136.1 事项
2 114.4 122.4 124.9 136.1 务
2 492.6 122.4 503.1 136.1 成
2 114.4 137.4 124.9 151.1 类
2 492.6 137.4 503.1 151.1 时
2 114.4 152.4 124.9 166.1 别
2 492.6 152.4 503.1 166.1 限
2 114.4 167.9 124.9 181.6 帮
2 143.5 167.9 260.0 181.6 国企继续通过预留不低于
2 262.7 167.9 307.2 181.6 30%的采
2 318.1 167.9 481.9 181.6 委、区卫生健康委、各镇街、前方
2 492.6 167.9 503.1 181.6 底
2 114.4 182.9 124.9 196.6 扶
2 143.5 182.9 307.3 196.6 购份额采购脱贫地区农副产品。深
2 318.1 182.9 370.6 196.6 挂职干部等
2 492.6 182.9 503.1 196.6 前
2 143.5 197.9 307.2 211.6 化消费帮扶“七进”活动。打造农副
2 143.5 212.9 217.0 226.6 产品供应基地。
2 79.5 228.4 90.0 242.1 加
2 93.1 228.4 103.6 242.1 强
2 114.4 228.4 124.9 242.1 共
2 143.5 228.4 201.0 242.1 引导共建产
2 202.2 228.4 224.5 242.1 业园
2 225.7 228.4 294.9 242.1 区，援建扶贫
2 296.2 228.4 306.7 242.1 车
2 318.1 228.4 328.6 242.1 区
2 329.8 228.4 352.1 242.1 科技
2 353.3 228.4 363.8 242.1 和
2 365.1 228.4 387.3 242.1 信息
2 388.6 228.4 434.3 242.1 化局、区
2 435.6 228.4 469.6 242.1 农业农
2 470.8 228.4 481.3 242.1 村
2 492.6 228.4 506.0 242.1 10
2 79.5 243.4 103.6 257.1 区域
2 114.4 243.4 124.9 257.1 建
2 143.5 243.4 290.5 257.1 间，积极吸纳当地劳动力就业。
2 318.1 243.4 481.9 257.1 局、区国资委、中关村门头沟园服
2 492.6 243.4 503.1 257.1 月
2 79.5 258.4 100.5 272.1 协作
2 114.4 258.4 124.9 272.1 产
2 318.1 258.4 481.8 272.1 务中心、区工商联、前方挂职干部
2 492.6 258.4 503.1 272.1 底
2 114.4 273.4 124.9 287.1 业
2 318.1 273.4 328.6 287.1 等
2 492.6 273.4 503.1 287.1 前
2 114.4 288.4 124.9 302.1 园
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 |工作事项|任务类别|任务内容|责任部门|完成时限|",
		"p1 ||倾斜支持|帮扶资源向乡村振兴重点帮扶县倾斜。|领导小组成员单位、前方挂职干部等|10月底前|",
		"p1 ||消费帮扶|完善区消费扶贫分中心服务功能。组织区内预算单位、鼓励引导区属国企继续通过预留不低于30%的采购份额采购脱贫地区农副产品。深化消费帮扶“七进”活动。打造农副产品供应基地。|区商务局、区国资委、区财政局、区直机关工委、区总工会、区教委、区卫生健康委、各镇街、前方挂职干部等|10月底前|",
		"p2 |加强区域协作|共建产业园|引导共建产业园区，援建扶贫车间，积极吸纳当地劳动力就业。|区科技和信息化局、区农业农村局、区国资委、中关村门头沟园服务中心、区工商联、前方挂职干部等|10月底前|",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF row split in every cell (-want +got):\n%s", diff)
	}
}

// TestLayoutLostListComma: LibreOffice may leave out the 、 it hangs past the right margin (a
// bold 责任单位 line): between two lines that end and start with a unit of the catalogue, whose
// names joined are none, the 、 is put back. Words as LibreOffice printed a clerk's Word plan
// (2021 Mentougou, page 3); the last paragraph is a made-up control.
func TestLayoutLostListComma(t *testing.T) {
	words := `
1 79.5 430.6 191.5 451.4 及时落地落实。
1 111.5 452.2 520.9 473.0 责任单位：区委办公室、区政府办公室、领导小组办公室
1 79.5 473.8 351.5 494.6 领导小组相关成员单位、前方挂职干部
1 111.5 495.4 520.9 516.2 组织镇街、村（社区）、学校、医院、企业开展结对帮扶，区教委
1 79.5 517.0 351.5 537.8 牵头做好教育帮扶，区卫生健康委负责医疗帮扶。
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 及时落地落实。",
		"p1 责任单位：区委办公室、区政府办公室、领导小组办公室、领导小组相关成员单位、前方挂职干部",
		"p1 组织镇街、村（社区）、学校、医院、企业开展结对帮扶，区教委牵头做好教育帮扶，区卫生健康委负责医疗帮扶。",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF lost 、 (-want +got):\n%s", diff)
	}
}

// TestLayoutTextMarks: a plan typed as Markdown and printed as it is keeps its heading marks
// and pipe rows as text (which the text reader knows), not as two-column tables. Words as
// LibreOffice printed the 2021 plan's .md opened as text.
func TestLayoutTextMarks(t *testing.T) {
	words := `
1 56.8 78.3 62.8 91.3 #
1 68.8 78.3 288.8 91.3 门头沟区扶贫协作和支援合作工作领导小组办公室
1 56.8 101.0 68.8 114.0 ##
1 74.8 101.0 148.8 114.0 关于转发《2021
1 150.8 101.0 290.8 114.0 年门头沟区支援合作工作要点》
1 296.8 101.0 326.8 114.0 的通知
1 56.8 123.7 62.8 136.7 |
1 68.8 123.7 92.8 136.7 序号
1 98.8 123.7 104.8 136.7 |
1 110.8 123.7 158.8 136.7 项目名称
1 164.8 123.7 170.8 136.7 |
1 56.8 146.4 62.8 159.4 |
1 68.8 146.4 74.8 159.4 1
1 98.8 146.4 104.8 159.4 |
1 110.8 146.4 158.8 159.4 甲项目
1 164.8 146.4 170.8 159.4 |
`
	got := show(layoutText(t, words))
	want := []string{
		"p1 #门头沟区扶贫协作和支援合作工作领导小组办公室",
		"p1 ##关于转发《2021年门头沟区支援合作工作要点》的通知",
		"p1 |序号|项目名称|",
		"p1 |1|甲项目|",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("layoutPDF text marks (-want +got):\n%s", diff)
	}
}
