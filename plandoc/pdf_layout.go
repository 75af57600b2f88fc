package plandoc

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"xiezuo"
)

// The layout of a PDF is rebuilt from its positioned words, as a reader sees the page:
//
//   - words on one baseline make a line;
//   - lines repeated at the same place on most pages (a running header, a footer) and page
//     numbers at the top or bottom of a page are dropped;
//   - a run of lines with wide gaps between their words is a table: its columns are the
//     stretches of x that its words cover, found over all its lines (and over the pages it
//     continues on); a line of one narrow piece of text inside it continues a cell;
//   - rows are told apart by the wider gap between them (cell padding, borders) and by a
//     column whose text starts again after it had ended; the header repeated on a new page is
//     dropped, and a row split by a page break is joined back;
//   - the other lines are prose, joined into paragraphs: a line ending short of the right
//     margin ends one; an indented line, a heading or a numbered point, a larger gap or
//     another font size starts one.

// pdfLine is a line of words on one baseline.
type pdfLine struct {
	page           int // 0-based
	words          []pdfWord
	x0, y0, x1, y1 float64
	h              float64 // the height of its text
	multi          bool    // has a gap between words wider than a space: table cells
	region         int     // the table region it belongs to, or -1
}

// tableRegion is a run of lines of one page read as a table, and the table it continues.
type tableRegion struct {
	page        int
	lines       []int // indexes into the page's lines
	h           float64
	x0, x1      float64
	multi       int
	chain       int // index of the first region of the table it belongs to
	first, last bool
}

var (
	rePDFPageNumber = regexp.MustCompile(`^(?:[-—–－]*\s*\d{1,4}\s*[-—–－]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$`)
	reParaStart     = regexp.MustCompile(`^(?:[一二三四五六七八九十]+\s*[、.．]|\d{1,3}\s*[.、．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|附\s*件|(?:责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|注|说明|备注)\s*[:：])`)
)

// layoutPDF rebuilds the lines of a document from the words of its pages.
func layoutPDF(pages []pdfPage, b *budget) ([]srcLine, error) {
	lines := make([][]pdfLine, len(pages))
	for i, p := range pages {
		if err := b.tick(); err != nil {
			return nil, err
		}
		lines[i] = pageLines(i, p.words)
	}
	dropRunning(pages, lines)
	var regions []tableRegion
	for i := range lines {
		regions = findTables(i, lines[i], regions)
	}
	chainTables(lines, regions)
	var out []srcLine
	// where counts as the clerk counts on the printed page: paragraphs, and the rows of a table
	// from its first row on that page (its repeated header included).
	wherePage, paras, rows := 0, 0, 0
	emit := func(l srcLine) error {
		if len(out) >= MaxLines {
			return refuse(xiezuo.Pos{Line: len(out) + 1}, "PDF 重建后超过 %d 行，请拆分后再上传", MaxLines)
		}
		l.line = len(out) + 1
		if l.page != wherePage {
			wherePage, paras, rows = l.page, 0, 0
		}
		if l.cells != nil {
			rows++
			l.where = fmt.Sprintf("第%d页表格第%d行", l.page, rows)
		} else {
			paras++
			rows = 0
			l.where = fmt.Sprintf("第%d页第%d段", l.page, paras)
		}
		out = append(out, l)
		return b.tick()
	}
	pitch := typicalPitch(lines)
	var para strings.Builder
	var paraLine *pdfLine
	paraPage := 0
	flush := func() error {
		if paraLine == nil {
			return nil
		}
		t := para.String()
		para.Reset()
		paraLine = nil
		if len(t) > MaxLineChars && utf8.RuneCountInString(t) > MaxLineChars {
			return refuse(xiezuo.Pos{Line: len(out) + 1}, "第%d页的一段文字超过 %d 个字符", paraPage, MaxLineChars)
		}
		return emit(srcLine{text: t, page: paraPage})
	}
	done := map[int]bool{}
	lefts, rights := map[int]float64{}, map[int]float64{}
	for pi := range lines {
		w := int(math.Round(pages[pi].width))
		l, r := margins(lines[pi])
		if old, ok := lefts[w]; !ok || l < old {
			lefts[w] = l
		}
		if old, ok := rights[w]; !ok || r > old {
			rights[w] = r
		}
	}
	for pi := range lines {
		w := int(math.Round(pages[pi].width))
		left, right := lefts[w], rights[w]
		for li := range lines[pi] {
			l := &lines[pi][li]
			if l.region >= 0 {
				ch := regions[l.region].chain
				if done[ch] {
					continue
				}
				done[ch] = true
				if err := flush(); err != nil {
					return nil, err
				}
				rows := tableRows(lines, regions, ch)
				for _, r := range rows {
					if err := emit(r); err != nil {
						return nil, err
					}
				}
				continue
			}
			text := joinWords(l.words)
			if paraLine != nil && continuesParagraph(paraLine, l, text, left, right, pitch) {
				if lostListComma(para.String(), text) {
					para.WriteString("、")
				}
				appendJoined(&para, text)
			} else {
				if err := flush(); err != nil {
					return nil, err
				}
				para.WriteString(text)
				paraPage = pi + 1
			}
			paraLine = l
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// sanitizeWord makes a word safe to lay out: finite coordinates in order, text without
// control characters; it returns false for a word with no text.
func sanitizeWord(w pdfWord) (pdfWord, bool) {
	for _, v := range []*float64{&w.x0, &w.y0, &w.x1, &w.y1} {
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			return w, false
		}
		*v = math.Max(-1e6, math.Min(1e6, *v))
	}
	if w.x1 < w.x0 {
		w.x0, w.x1 = w.x1, w.x0
	}
	if w.y1 < w.y0 {
		w.y0, w.y1 = w.y1, w.y0
	}
	if w.y1-w.y0 < 0.5 {
		w.y1 = w.y0 + 0.5
	}
	if !utf8.ValidString(w.text) {
		w.text = strings.ToValidUTF8(w.text, "")
	}
	w.text = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, w.text)), " ")
	return w, w.text != ""
}

// pageLines groups the words of a page into lines, top to bottom, each left to right.
// wholeFigure is a cell's line that is a figure whole (not one cut at its comma: 1,500,).
var wholeFigure = regexp.MustCompile(`^[-+]?[0-9０-９]+([,，][0-9０-９]{3})*([.．][0-9０-９]+)?$`)

// listLabel is a number Word writes automatically before a paragraph (一、 （一） 1. ①),
// followed by a tab: the wide gap after it, on a line of two pieces, is not a table's.
var listLabel = regexp.MustCompile(`^(（[一二三四五六七八九十百零〇\d]+）|\([一二三四五六七八九十百零〇\d]+\)|[一二三四五六七八九十百零〇]+[、．.]|\d+[.．、)）]|[①-⑳]|第[一二三四五六七八九十百零〇\d]+[章节条部分])$`)

func pageLines(page int, raw []pdfWord) []pdfLine {
	words := make([]pdfWord, 0, len(raw))
	for _, w := range raw {
		if w, ok := sanitizeWord(w); ok {
			words = append(words, w)
		}
	}
	sort.SliceStable(words, func(i, j int) bool {
		ci, cj := words[i].y0+words[i].y1, words[j].y0+words[j].y1
		if ci != cj {
			return ci < cj
		}
		return words[i].x0 < words[j].x0
	})
	// A word joins the line whose first word it overlaps by most of its height: measured
	// against that word, not the line grown so far, so that the lines of a cell centred
	// between two lines of its row (half a line lower) do not chain them into one.
	var lines []pdfLine
	var ref pdfWord
	for _, w := range words {
		if n := len(lines); n > 0 {
			l := &lines[n-1]
			overlap := math.Min(ref.y1, w.y1) - math.Max(ref.y0, w.y0)
			if overlap >= 0.6*math.Min(ref.y1-ref.y0, w.y1-w.y0) {
				l.words = append(l.words, w)
				l.y0, l.y1 = math.Min(l.y0, w.y0), math.Max(l.y1, w.y1)
				continue
			}
		}
		ref = w
		lines = append(lines, pdfLine{page: page, words: []pdfWord{w}, y0: w.y0, y1: w.y1, region: -1})
	}
	for i := range lines {
		l := &lines[i]
		sort.SliceStable(l.words, func(a, b int) bool { return l.words[a].x0 < l.words[b].x0 })
		hs := make([]float64, len(l.words))
		l.x0, l.x1 = l.words[0].x0, l.words[0].x1
		for k, w := range l.words {
			hs[k] = w.y1 - w.y0
			l.x0, l.x1 = math.Min(l.x0, w.x0), math.Max(l.x1, w.x1)
		}
		sort.Float64s(hs)
		l.h = hs[len(hs)/2]
		for k := 1; k < len(l.words); k++ {
			if l.words[k].x0-l.words[k-1].x1 >= 0.3*l.h && !(k == 1 && len(l.words) == 2 && listLabel.MatchString(l.words[0].text)) {
				l.multi = true
			}
		}
		if l.multi && textMarks(l.words) {
			// A plan typed as text and printed as it is: a Markdown heading (# 标题) or a
			// pipe row (| 序号 | 项目名称 |) is read as its text, which the text reader knows.
			l.multi = false
		}
	}
	return lines
}

// textMarks tells whether a line printed from a text plan starts with a Markdown heading or
// list mark (#, ##, >, -, *) standing alone, or is a pipe row: its first and last words are |
// and it has at least three.
func textMarks(ws []pdfWord) bool {
	first := ws[0].text
	if strings.Trim(first, "#") == "" || first == ">" || first == "-" || first == "*" {
		return true
	}
	pipes := 0
	for _, w := range ws {
		pipes += strings.Count(w.text, "|")
	}
	return strings.HasPrefix(first, "|") && strings.HasSuffix(ws[len(ws)-1].text, "|") && pipes >= 3
}

// dropRunning removes running headers and footers: a line of one piece of text among the first
// or last two of a page, in its top or bottom tenth, repeated (digits aside) at the same height
// on more than half the pages, and page numbers at the top or bottom of a page.
func dropRunning(pages []pdfPage, lines [][]pdfLine) {
	type key struct {
		text string
		y    int
	}
	edge := func(ls []pdfLine, i int) bool { return i < 2 || i >= len(ls)-2 }
	norm := func(l pdfLine) key {
		t := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '#'
			}
			return r
		}, joinWords(l.words))
		return key{t, int(math.Round(l.y0 / 4))}
	}
	// A running line stands in the top or bottom tenth of its page (a table's header cell
	// repeated on each page, just below the running header, is not one).
	margin := func(pi int, l pdfLine) bool {
		h := pages[pi].height
		return h <= 0 || l.y1 <= 0.1*h || l.y0 >= 0.9*h
	}
	count := map[key]int{}
	if len(lines) >= 2 {
		for pi, ls := range lines {
			seen := map[key]bool{}
			for i, l := range ls {
				if edge(ls, i) && !l.multi && margin(pi, l) {
					k := norm(l)
					if !seen[k] {
						seen[k] = true
						count[k]++
					}
				}
			}
		}
	}
	for pi, ls := range lines {
		kept := ls[:0:0]
		for i, l := range ls {
			if edge(ls, i) && !l.multi && margin(pi, l) {
				if c := count[norm(l)]; c >= 2 && c*2 > len(lines) {
					continue
				}
			}
			kept = append(kept, l)
		}
		// A page number stands first or last on its page, once the running lines are gone.
		h := pages[pi].height
		number := func(l pdfLine) bool {
			if l.multi && len(l.words) > 3 {
				return false
			}
			if h > 0 && l.y1 >= 0.15*h && l.y0 <= 0.85*h {
				return false
			}
			return rePDFPageNumber.MatchString(joinWords(l.words))
		}
		if len(kept) > 0 && number(kept[len(kept)-1]) {
			kept = kept[:len(kept)-1]
		}
		if len(kept) > 0 && number(kept[0]) {
			kept = kept[1:]
		}
		lines[pi] = kept
	}
}

// findTables marks the runs of lines of a page that are tables and appends them to regions.
func findTables(page int, ls []pdfLine, regions []tableRegion) []tableRegion {
	var cur *tableRegion
	var cover []span
	var prev *pdfLine
	end := func() {
		if cur == nil {
			return
		}
		// A line of one cell just above the first row, closer than a line's height (the
		// first line of a cell centred in a taller header), belongs to the table.
		for first := cur.lines[0]; first > 0; first = cur.lines[0] {
			l, next := &ls[first-1], &ls[first]
			if l.region >= 0 || l.multi || math.Abs(l.h-cur.h) > 0.25*cur.h || next.y0-l.y0 >= 0.75*cur.h ||
				straddles(cover, l, 0.25*cur.h) || crossings(cover, l, 0.25*cur.h) > 1 {
				break
			}
			cur.lines = append([]int{first - 1}, cur.lines...)
		}
		if cur.multi >= 2 {
			idx := len(regions)
			cur.chain = idx
			for _, li := range cur.lines {
				ls[li].region = idx
			}
			regions = append(regions, *cur)
		}
		cur, cover, prev = nil, nil, nil
	}
	for i := range ls {
		l := &ls[i]
		if cur != nil {
			ok := math.Abs(l.h-cur.h) <= 0.25*cur.h && l.y0-prev.y1 <= 3*cur.h
			if ok && !l.multi {
				// One piece of text inside a table continues a cell; a line whose words stand
				// in several columns without crossing the gaps between them is a row whose
				// cells are close together. A line across a gap is prose.
				ok = !straddles(cover, l, 0.25*cur.h) && (crossings(cover, l, 0.25*cur.h) > 1 || l.x1-l.x0 <= 0.8*(cur.x1-cur.x0))
			}
			if !ok {
				end()
			}
		}
		if cur == nil {
			if !l.multi {
				continue
			}
			cur = &tableRegion{page: page, h: l.h, x0: l.x0, x1: l.x1, chain: -1}
		}
		cur.lines = append(cur.lines, i)
		if l.multi {
			cur.multi++
		}
		cur.x0, cur.x1 = math.Min(cur.x0, l.x0), math.Max(cur.x1, l.x1)
		for _, w := range l.words {
			cover = addSpan(cover, span{w.x0, w.x1}, 0.25*cur.h)
		}
		prev = l
		if len(cover) > MaxColumns {
			// No table has so many columns: words strewn over the page. Read as prose, and
			// keep the time of the search bounded.
			cur.multi = 0
			end()
		}
	}
	end()
	return regions
}

// span is a stretch of x covered by words.
type span struct{ x0, x1 float64 }

// addSpan adds s to the sorted, disjoint spans, merging those closer than tol.
func addSpan(spans []span, s span, tol float64) []span {
	i := sort.Search(len(spans), func(i int) bool { return spans[i].x1+tol >= s.x0 })
	j := i
	for j < len(spans) && spans[j].x0-tol <= s.x1 {
		s.x0, s.x1 = math.Min(s.x0, spans[j].x0), math.Max(s.x1, spans[j].x1)
		j++
	}
	if i == j {
		spans = append(spans, span{})
		copy(spans[i+1:], spans[i:])
		spans[i] = s
		return spans
	}
	spans[i] = s
	return append(spans[:i+1], spans[j:]...)
}

// crossings counts the spans a line's words reach into.
func crossings(spans []span, l *pdfLine, tol float64) int {
	n := 0
	for _, s := range spans {
		if s.x1+tol >= l.x0 && s.x0-tol <= l.x1 {
			n++
		}
	}
	return n
}

// straddles tells whether a word of the line covers a gap between two spans.
func straddles(spans []span, l *pdfLine, tol float64) bool {
	for k := 1; k < len(spans); k++ {
		g0, g1 := spans[k-1].x1, spans[k].x0
		for _, w := range l.words {
			if w.x0 < g0+tol/2 && w.x1 > g1-tol/2 {
				return true
			}
		}
	}
	return false
}

// chainTables joins a table ending a page with the table starting the next, when they stand
// at the same place across: one table continued.
func chainTables(lines [][]pdfLine, regions []tableRegion) {
	for i := range regions {
		r := &regions[i]
		ls := lines[r.page]
		r.first = r.lines[0] == 0
		r.last = r.lines[len(r.lines)-1] == len(ls)-1
	}
	for i := 1; i < len(regions); i++ {
		p, r := &regions[i-1], &regions[i]
		if r.page == p.page+1 && p.last && r.first && math.Abs(r.h-p.h) <= 0.25*p.h &&
			math.Min(p.x1, r.x1)-math.Max(p.x0, r.x0) > 0.5*math.Max(p.x1-p.x0, r.x1-r.x0) {
			r.chain = p.chain
			for _, li := range r.lines {
				lines[r.page][li].region = i
			}
		}
	}
}

// pieces counts the pieces of text of a line: words apart by more than a space.
func pieces(l *pdfLine) int {
	n := 1
	for k := 1; k < len(l.words); k++ {
		if l.words[k].x0-l.words[k-1].x1 >= 0.3*l.h {
			n++
		}
	}
	return n
}

// columnSpans gives the stretches of x a table's words cover: its columns. A cell merged across
// columns (a region or subtotal row's label, Word's gridSpan) would join them into one, so the
// lines with the most pieces are taken first and a word then crossing the gap between two
// columns that other lines' words keep apart is left out; with no such line, it counts as
// before.
func columnSpans(ls []*pdfLine, tol float64) []span {
	order := make([]*pdfLine, len(ls))
	copy(order, ls)
	sort.SliceStable(order, func(i, j int) bool { return len(order[i].words) > len(order[j].words) })
	var spans, skipped []span
	for _, l := range order {
		for _, w := range l.words {
			s := span{w.x0, w.x1}
			if crossesGap(spans, s, tol) || (!overlapsSpan(spans, s, tol) && insideSpan(skipped, s, tol)) {
				// a merged cell's text, or the next line of it standing apart from every
				// column
				skipped = append(skipped, s)
				continue
			}
			spans = addSpan(spans, s, tol)
		}
	}
	if len(spans) == 0 {
		for _, s := range skipped {
			spans = addSpan(spans, s, tol)
		}
		return spans
	}
	// A column is one when at least two different texts stand in it, on a third as many
	// lines as in most columns: a centred header alone over a column of serials set at its
	// left (序号 over 1, 2), even repeated on each page, is not a column of its own, nor a
	// few pieces of wrapped labels, and a merged cell across them joins them as before.
	texts := make([]map[string]bool, len(spans))
	lines := make([]int, len(spans))
	for _, l := range ls {
		seen := -1
		for _, w := range l.words {
			c := (w.x0 + w.x1) / 2
			k := sort.Search(len(spans), func(i int) bool { return spans[i].x1 >= c })
			if k < len(spans) && w.x0 >= spans[k].x0-tol && w.x1 <= spans[k].x1+tol {
				if texts[k] == nil {
					texts[k] = map[string]bool{}
				}
				if len(texts[k]) < 2 {
					texts[k][w.text] = true
				}
				if k != seen {
					lines[k]++
					seen = k
				}
			}
		}
	}
	sorted := append([]int(nil), lines...)
	sort.Ints(sorted)
	few := max(2, sorted[len(sorted)/2]/3)
	weak := func(s span) bool {
		for k := 1; k < len(spans); k++ {
			if s.x0 < spans[k-1].x1+tol/2 && s.x1 > spans[k].x0-tol/2 && (len(texts[k-1]) < 2 || len(texts[k]) < 2 || lines[k-1] < few || lines[k] < few) {
				return true
			}
		}
		return false
	}
	var joined []span
	for _, s := range skipped {
		if weak(s) {
			joined = append(joined, s)
		}
	}
	for _, s := range joined {
		spans = addSpan(spans, s, tol)
	}
	// what no longer crosses a gap (the columns grew after it was left out) counts
	for _, s := range skipped {
		if !crossesGap(spans, s, tol) && overlapsSpan(spans, s, tol) {
			spans = addSpan(spans, s, tol)
		}
	}
	return spans
}

// overlapsSpan tells whether s reaches into one of the spans.
func overlapsSpan(spans []span, s span, tol float64) bool {
	for _, t := range spans {
		if s.x0 <= t.x1+tol && s.x1 >= t.x0-tol {
			return true
		}
	}
	return false
}

// insideSpan tells whether s lies within one of the spans.
func insideSpan(spans []span, s span, tol float64) bool {
	for _, t := range spans {
		if s.x0 >= t.x0-tol && s.x1 <= t.x1+tol {
			return true
		}
	}
	return false
}

// crossesGap tells whether s covers the whole gap between two spans.
func crossesGap(spans []span, s span, tol float64) bool {
	for k := 1; k < len(spans); k++ {
		if s.x0 < spans[k-1].x1+tol/2 && s.x1 > spans[k].x0-tol/2 {
			return true
		}
	}
	return false
}

// pdfRow is a table row being rebuilt: per column, the lines of its cell.
type pdfRow struct {
	page      int
	cells     [][]string
	bottom    []float64 // per column, the bottom of its last line
	lastX1    []float64 // per column, where its last line ends
	firstW    []float64 // per column, the width of what starts its first line (firstChar)
	right     []float64 // per column, the right edge of its cells (shared by the table's rows)
	merged    []bool    // per column, its cell is merged across the columns after it
	top       float64   // the top of its first line
	y1        float64
	pageStart bool // the first row of a page the table continues on
}

// tableRows rebuilds the rows of the table whose first region is chain.
func tableRows(lines [][]pdfLine, regions []tableRegion, chain int) []srcLine {
	var members []int
	h := regions[chain].h
	var ls []*pdfLine
	for i := chain; i < len(regions); i++ {
		if regions[i].chain != chain {
			continue
		}
		members = append(members, i)
		for _, li := range regions[i].lines {
			ls = append(ls, &lines[regions[i].page][li])
		}
	}
	// The columns are the stretches all words cover, unless a cell merged across columns joined
	// some of them: fewer than the first line of the header shows. Then they are taken
	// without the merged cells (columnSpans).
	var spans []span
	for _, l := range ls {
		for _, w := range l.words {
			spans = addSpan(spans, span{w.x0, w.x1}, 0.25*h)
		}
	}
	if len(ls) > 0 && len(spans) < pieces(ls[0]) {
		if alt := columnSpans(ls, 0.25*h); len(alt) > len(spans) {
			spans = alt
		}
	}
	rows, texts := buildRows(lines, regions, members, spans, h)
	// A column with no header beside one that has one is a gap inside that column's text
	// (spaces aligned by chance in a short table) when the right one of the two is never
	// filled where the left one is empty: the two are one column. Of two such neighbours, the
	// one across the narrower gap (a space is narrower than the padding and border between
	// cells).
	if len(texts) > 1 {
		merged := false
		joinable := func(l, r int) bool {
			for _, t := range texts[1:] {
				if t[r] != "" && t[l] == "" {
					return false
				}
			}
			return true
		}
		for c := min(len(spans), len(texts[0])) - 1; c >= 0; c-- {
			if texts[0][c] != "" || c >= len(spans) {
				continue
			}
			best, gap := -1, math.Inf(1)
			if c > 0 && texts[0][c-1] != "" && joinable(c-1, c) {
				best, gap = c-1, spans[c].x0-spans[c-1].x1
			}
			if c+1 < len(texts[0]) && c+1 < len(spans) && texts[0][c+1] != "" && joinable(c, c+1) && spans[c+1].x0-spans[c].x1 < gap {
				best = c + 1
			}
			if best < 0 {
				continue
			}
			l := min(best, c)
			spans[l].x1 = spans[l+1].x1
			spans = append(spans[:l+1], spans[l+2:]...)
			// Stand-ins for the next tests, until the rows are built again: the merged
			// column holds what either held.
			for _, t := range texts {
				t[l] += t[l+1]
				copy(t[l+1:], t[l+2:])
				t[len(t)-1] = ""
			}
			merged = true
		}
		if merged {
			rows, texts = buildRows(lines, regions, members, spans, h)
		}
	}
	// The header repeated on a page the table continues on is dropped; the row after it, when
	// it has nothing in the table's key column, is the rest of a row the page break split.
	key := keyColumn(rows, texts)
	var out []srcLine
	var lastRow []string
	var last *pdfRow
	for i, r := range rows {
		if r.pageStart && i > 0 && sameRow(texts[i], texts[0]) {
			if i+1 < len(rows) {
				rows[i+1].pageStart = true
			}
			continue
		}
		if r.pageStart && last != nil && continues(r, texts[i], last, lastRow, key, h) {
			for c := range lastRow {
				if texts[i][c] != "" {
					var b strings.Builder
					b.WriteString(lastRow[c])
					appendJoined(&b, texts[i][c])
					lastRow[c] = b.String()
				}
			}
			continue
		}
		out = append(out, srcLine{cells: texts[i], page: r.page})
		lastRow, last = texts[i], r
	}
	return out
}

// buildRows cuts the lines of a table's regions into rows of the columns spans.
func buildRows(lines [][]pdfLine, regions []tableRegion, members []int, spans []span, h float64) ([]*pdfRow, [][]string) {
	ncol := min(len(spans), MaxColumns+1)
	column := func(w pdfWord) int {
		c := (w.x0 + w.x1) / 2
		k := sort.Search(len(spans), func(i int) bool { return spans[i].x1 >= c })
		return min(k, ncol-1)
	}
	// The right edge of each column's cells: halfway to the next column (the border between
	// them), the last one's widest text.
	right := make([]float64, ncol)
	for c := range right {
		right[c] = spans[c].x1
		if c+1 < len(spans) {
			right[c] = (spans[c].x1 + spans[c+1].x0) / 2
		}
	}
	// rightOf is the right edge of the cell a line ending at x ends in: its column's, or for a
	// cell merged across columns, the column it reaches.
	rightOf := func(x float64) float64 {
		return right[min(sort.Search(len(spans), func(i int) bool { return spans[i].x1 >= x }), ncol-1)]
	}
	var rows []*pdfRow
	var headerLines []string // the lines of the table's first row, its header
	headerDone := false
	for mi, ri := range members {
		r := regions[ri]
		var cur *pdfRow
		var prev *pdfLine
		inRegion := 0    // rows begun on this page
		matching := true // the lines of this page so far are those of the header
		for n, li := range r.lines {
			l := &lines[r.page][li]
			parts := make([][]pdfWord, ncol)
			across := -1 // the column of a word merged across columns, for the rest of its text
			merged := make([]bool, ncol)
			for k, w := range l.words {
				c := column(w)
				switch {
				case across >= 0 && w.x0-l.words[k-1].x1 < 0.3*h:
					c = across
				case crossesGap(spans, span{w.x0, w.x1}, 0.25*h):
					// a cell merged across columns: its text is the first column's
					c = min(sort.Search(len(spans), func(i int) bool { return spans[i].x1 >= w.x0 }), ncol-1)
					across = c
					merged[c] = true
				default:
					across = -1
				}
				parts[c] = append(parts[c], w)
			}
			newRow := cur == nil || l.y0-prev.y1 > 0.3*h
			if !newRow {
				// Without a gap between rows (a table without padding), a line starts a row
				// when the columns it shares with the row above start again there: their
				// text had ended above, or the line above could not have wrapped onto this
				// one (its first character would have fitted). Two such columns, more than
				// those that run on, or the first column alone: one column starting again is
				// a new paragraph inside a cell, and a column the row had left empty may be a
				// cell centred in a tall row.
				starts, conts, fresh, figures, first := 0, 0, 0, 0, false
				for c, p := range parts {
					if len(p) > 0 && len(cur.cells[c]) == 0 {
						fresh++
					}
					if len(p) == 0 || len(cur.cells[c]) == 0 {
						continue
					}
					edge := rightOf(cur.lastX1[c])
					if cur.merged[c] && len(l.words) == len(p) {
						// the one piece of text under a cell merged across is the rest of it:
						// how far the merge reaches is not known
						edge = 0
					} else if cur.merged[c] {
						// a cell merged across reaches the column before the next one filled
						next := c + 1
						for next < ncol && len(cur.cells[next]) == 0 {
							next++
						}
						edge = math.Max(edge, right[next-1])
					}
					if l.y0-cur.bottom[c] > 0.5*h || cur.lastX1[c]+firstChar(p[0]) < edge-0.5*h {
						starts++
						first = first || c == 0
					} else if utf8.RuneCountInString(cur.cells[c][len(cur.cells[c])-1]) == 1 && utf8.RuneCountInString(joinWords(p)) <= 2 {
						// a column so narrow it holds a character a line tells nothing
					} else {
						conts++
						if wholeFigure.MatchString(cur.cells[c][len(cur.cells[c])-1]) && wholeFigure.MatchString(joinWords(p)) {
							figures++
						}
					}
				}
				// The first column starting again with text in two columns the row had left
				// empty is a new row too, whatever the figures wrapped above do: a region row
				// merged across the first columns has only figures beside its label.
				// So is the first column starting again when all that seems to run on are
				// figures under figures (rows of one line in narrow columns: 合计, a region, a
				// category, one under the other): a figure is not continued by another.
				newRow = (starts >= 2 && starts > conts) || (first && conts == 0) || (first && fresh >= 2) ||
					(first && conts > 0 && figures == conts)
				// A cell merged across columns under a cell of one column is another row's.
				for c := range parts {
					if merged[c] && len(cur.cells[c]) > 0 && !cur.merged[c] {
						newRow = true
					}
				}
			}
			// The header repeated on a page the table continues on ends where it ended on
			// the first page, whatever follows it.
			if mi > 0 && matching && n == len(headerLines) && len(headerLines) > 0 {
				newRow = true
			}
			if mi > 0 && n < len(headerLines) && squeeze(joinWords(l.words)) != headerLines[n] {
				matching = false
			}
			inHeader := matching && n < len(headerLines)
			if !newRow && mi > 0 && inRegion <= 2 && !inHeader {
				// At the top of a page the table continues on, the rest of a split row
				// fills some columns; a row starting below it in other columns is the next
				// row (cells start at the top of their row).
				for c, p := range parts {
					if len(p) > 0 && len(cur.cells[c]) == 0 && l.y0 > cur.top+0.5*h {
						newRow = true
					}
				}
			}
			if mi == 0 && len(rows) == 1 && newRow {
				headerDone = true
			}
			if newRow {
				cur = &pdfRow{page: r.page + 1, cells: make([][]string, ncol), bottom: make([]float64, ncol), lastX1: make([]float64, ncol), merged: make([]bool, ncol),
					firstW: make([]float64, ncol), right: right, top: l.y0, pageStart: mi > 0 && n == 0}
				rows = append(rows, cur)
				inRegion++
			}
			for c, p := range parts {
				if len(p) > 0 {
					if len(cur.cells[c]) == 0 {
						cur.firstW[c] = firstChar(p[0])
					}
					cur.cells[c] = append(cur.cells[c], joinWords(p))
					cur.merged[c] = cur.merged[c] || merged[c]
					cur.bottom[c] = l.y1
					cur.lastX1[c] = p[len(p)-1].x1
				}
			}
			if mi == 0 && !headerDone {
				headerLines = append(headerLines, squeeze(joinWords(l.words)))
			}
			cur.y1 = l.y1
			prev = l
		}
	}
	texts := make([][]string, len(rows))
	for i, r := range rows {
		texts[i] = make([]string, ncol)
		for c, ls := range r.cells {
			var b strings.Builder
			for _, l := range ls {
				appendJoined(&b, l)
			}
			texts[i][c] = b.String()
		}
	}
	return rows, texts
}

// continues tells whether row r, the first on a page the table continues on, is the rest of
// the row prev the page break split: every cell it fills was filled in prev to within three
// lines of prev's last line (widow and orphan control leaves a cell's part short), and it
// leaves the key column empty, or the key cell itself was split.
func continues(r *pdfRow, texts []string, prev *pdfRow, prevTexts []string, key int, h float64) bool {
	n, pn := 0, 0
	for c, t := range texts {
		if t == "" {
			continue
		}
		n++
		if c >= len(prevTexts) || prevTexts[c] == "" || prev.bottom[c] < prev.y1-3*h {
			return false
		}
	}
	for _, t := range prevTexts {
		if t != "" {
			pn++
		}
	}
	if n == 0 {
		return false
	}
	if texts[key] == "" {
		return true
	}
	// The key cell itself split (“4.残疾人帮扶（1” / “个）”): fewer cells, or every cell it
	// fills cut at prev's very last line (a row split in all its cells, its narrow key column
	// too: 消/费 | 帮/扶), and the key text above could have wrapped onto this one.
	if n == pn {
		for c, t := range texts {
			if t != "" && prev.bottom[c] < prev.y1-0.5*h {
				return false
			}
		}
	} else if n > pn {
		return false
	}
	return prev.lastX1[key]+r.firstW[key] >= prev.right[key]-0.5*h
}

// firstChar is the width of what had to fit on the line above for a word not to wrap: its
// first character with the opening marks before it and the closing marks after it (a line
// neither starts with ） nor ends with （), a Latin word or number whole. Widths are
// estimated as a CJK character one unit, a Latin one half.
func firstChar(w pdfWord) float64 {
	rs := []rune(w.text)
	units := func(rs []rune) float64 {
		u := 0.0
		for _, r := range rs {
			if r < 0x2e80 {
				u += 0.5
			} else {
				u++
			}
		}
		return u
	}
	total := units(rs)
	if total == 0 {
		return 0
	}
	k := 0
	for k < len(rs) && strings.ContainsRune(openMarks, rs[k]) {
		k++
	}
	if k < len(rs) && rs[k] < 0x80 && (unicode.IsLetter(rs[k]) || unicode.IsDigit(rs[k])) {
		for k < len(rs) && rs[k] < 0x80 && (unicode.IsLetter(rs[k]) || unicode.IsDigit(rs[k]) || rs[k] == '.' || rs[k] == '-') {
			k++
		}
	} else if k < len(rs) {
		k++
	}
	closed := k
	for k < len(rs) && strings.ContainsRune(closeMarks, rs[k]) {
		k++
	}
	// 棚、20栋: a number after the marks is kept with them (LibreOffice wraps them together).
	if k > closed {
		for k < len(rs) && rs[k] < 0x80 && (unicode.IsLetter(rs[k]) || unicode.IsDigit(rs[k])) {
			k++
		}
	}
	return (w.x1 - w.x0) * units(rs[:k]) / total
}

const (
	openMarks  = "（([{“‘《〈「『【〔"
	closeMarks = "）)]}”’》〉」』】〕，。、；：！？,.;:!?%"
)

// keyColumn is the leftmost column filled in the most rows that do not start a page: the
// column (序号, 任务类别) every row writes in its first line.
func keyColumn(rows []*pdfRow, texts [][]string) int {
	best, bestN := 0, -1
	if len(texts) == 0 {
		return 0
	}
	for c := range texts[0] {
		n := 0
		for i, t := range texts {
			if !rows[i].pageStart && t[c] != "" {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best
}

func sameRow(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if squeeze(a[i]) != squeeze(b[i]) {
			return false
		}
	}
	return true
}

// typicalPitch is the most common distance between the tops of two prose lines one after the
// other on a page, of text of the same size.
func typicalPitch(lines [][]pdfLine) float64 {
	count := map[int]int{}
	best, bestN := 0, 0
	for _, ls := range lines {
		for i := 1; i < len(ls); i++ {
			a, b := ls[i-1], ls[i]
			if a.region >= 0 || b.region >= 0 || math.Abs(a.h-b.h) > 0.1*a.h {
				continue
			}
			d := int(math.Round((b.y0 - a.y0) * 2))
			if d <= 0 {
				continue
			}
			count[d]++
			if count[d] > bestN || (count[d] == bestN && d < best) {
				best, bestN = d, count[d]
			}
		}
	}
	return float64(best) / 2
}

// margins are the left and right edges of a page's prose.
func margins(ls []pdfLine) (left, right float64) {
	left, right = math.Inf(1), math.Inf(-1)
	for _, l := range ls {
		right = math.Max(right, l.x1)
		if l.region >= 0 {
			continue
		}
		left, right = math.Min(left, l.x0), math.Max(right, l.x1)
	}
	return left, right
}

// continuesParagraph tells whether line l continues the paragraph whose last line is p.
func continuesParagraph(p, l *pdfLine, text string, left, right, pitch float64) bool {
	if math.Abs(l.h-p.h) > 0.2*p.h {
		return false
	}
	if reParaStart.MatchString(stripHeading(cleanInline(text))) || strings.HasPrefix(text, "|") || strings.HasPrefix(text, "#") {
		return false
	}
	// A line set deeper than the full line above it, which starts at the paragraph indent or
	// the margin, is that paragraph's hanging indent (an item of the 附件 list wrapped under its
	// text: 附件：1. …⏎专班职责); a new paragraph starts no deeper than the line above.
	hanging := p.x0 <= left+2.5*p.h && l.x0 > p.x0+0.5*l.h && l.x0 <= p.x0+6*l.h
	if p.x1 < right-1.8*p.h || (l.x0 > left+0.8*l.h && !hanging) {
		return false
	}
	if l.page == p.page {
		d := l.y0 - p.y0
		limit := 1.6 * p.h
		if pitch > 0 && math.Abs(pitch-d) <= 0.5*p.h {
			limit = pitch * 1.15
		}
		return d > 0 && d <= limit
	}
	return l.page == p.page+1
}

// joinWords writes the words of a line as text: a space only between two Latin words apart.
func joinWords(ws []pdfWord) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 && latinEnd(b.String()) && latinStart(w.text) && w.x0-ws[i-1].x1 > 0.1*(w.y1-w.y0) {
			b.WriteByte(' ')
		}
		b.WriteString(w.text)
	}
	return b.String()
}

// appendJoined appends the next line of a paragraph or cell: CJK lines joined as they are,
// Latin words with a space.
// lostListComma tells whether a 、 went missing where a paragraph's line ends and the next
// begins: LibreOffice may leave out the 、 it hangs past the right margin (seen on a bold
// 责任单位 line), so a list of units runs on as 领导小组办公室领导小组相关成员单位. It did when the
// line ends with a unit of the catalogue and the next starts with one, and the two names
// joined are none.
func lostListComma(text, next string) bool {
	const seps = "、：:，,；;（("
	tail := text
	if i := strings.LastIndexAny(text, seps); i >= 0 {
		_, n := utf8.DecodeRuneInString(text[i:])
		tail = text[i+n:]
	}
	head := next
	if i := strings.IndexAny(next, seps); i >= 0 {
		head = next[:i]
	}
	if tail == "" || head == "" || strings.HasSuffix(tail, "等") {
		return false
	}
	if _, ok := xiezuo.LookupUnit(tail); !ok {
		return false
	}
	if _, ok := xiezuo.LookupUnit(head); !ok {
		return false
	}
	_, ok := xiezuo.LookupUnit(tail + head)
	return !ok
}

func appendJoined(b *strings.Builder, next string) {
	r, _ := utf8.DecodeRuneInString(next)
	if b.Len() > 0 && latinEnd(b.String()) && r < 0x80 && unicode.IsLetter(r) {
		b.WriteByte(' ')
	}
	b.WriteString(next)
}

func latinEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r < 0x2e80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(",.;:)%", r))
}

func latinStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r < 0x2e80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
