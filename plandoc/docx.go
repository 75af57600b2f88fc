package plandoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"xiezuo"
)

// The bounds of a Word document, beside those of limits.go.
const (
	// maxDocumentXML is the most bytes the body of a Word document (word/document.xml) may
	// inflate to. A 200-page plan of 10,000 project rows written by Word is about 40 MB.
	maxDocumentXML = MaxUnzipped
	// maxNesting is the deepest nesting of XML elements read: Word writes tens of levels (a
	// table in a table in a text box), a hostile file thousands.
	maxNesting = 200
)

// readDOCX reads a Word document (.docx) into lines for the text reader: one srcLine per
// paragraph (its automatic numbering written before its text, as the clerk sees it) and one
// per table row (cells split, merged cells filled as htmlRows fills them), each with where it
// is as the clerk sees it.
//
// The zip is opened within bounds (its count of parts, the stated size of each part read and
// of all of them, checked before anything is inflated; archive/zip refuses a part inflating
// past its stated size), any DOCTYPE is refused (no entity is ever expanded), and the body is
// read as a stream of tokens, never built as a tree, with a bound on nesting.
func readDOCX(data []byte, b *budget) ([]srcLine, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法打开 Word 文档：文件已损坏或不是 .docx 格式（.doc 等旧格式请在 Word/WPS 中另存为 .docx）")
	}
	if len(zr.File) > maxParts {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "Word 文档内含 %d 个文件，超过 %d 个的上限：不是普通的 Word 文档", len(zr.File), maxParts)
	}
	files := map[string]*zip.File{}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		files[zipName(zf)] = zf
	}
	mainPart := "word/document.xml"
	var root xmlRels
	if err := readDocxSmall(files, "_rels/.rels", &root); err != nil {
		return nil, err
	}
	for _, r := range root.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			mainPart = partPath("", r.Target)
			break
		}
	}
	doc, ok := files[mainPart]
	if !ok {
		if _, xl := files["xl/workbook.xml"]; xl {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "这个文件是 Excel 工作簿，不是 Word 文档：请把扩展名改为 .xlsx 后再上传")
		}
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法打开 Word 文档：文件中没有正文（%s），不是 .docx 格式", strings.ToValidUTF8(mainPart, "?"))
	}
	if doc.UncompressedSize64 > maxDocumentXML {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "Word 文档的正文解压后有 %d MB，超过 %d MB 的上限：请拆分后再上传", doc.UncompressedSize64>>20, maxDocumentXML>>20)
	}
	// The parts beside the body: found through the body's relationships, or by their usual names.
	parts := map[string]string{
		"styles": "word/styles.xml", "numbering": "word/numbering.xml",
		"footnotes": "word/footnotes.xml", "endnotes": "word/endnotes.xml",
	}
	var rels xmlRels
	dir := path.Dir(mainPart)
	if err := readDocxSmall(files, dir+"/_rels/"+path.Base(mainPart)+".rels", &rels); err != nil {
		return nil, err
	}
	for _, r := range rels.Rels {
		for k := range parts {
			if strings.HasSuffix(r.Type, "/"+k) {
				parts[k] = partPath(dir, r.Target)
			}
		}
	}
	d := &docxDoc{b: b, notes: map[string]string{}}
	var st xmlStyles
	if err := readDocxSmall(files, parts["styles"], &st); err != nil {
		return nil, err
	}
	d.styles = readStyles(&st)
	var nx xmlNumbering
	if err := readDocxSmall(files, parts["numbering"], &nx); err != nil {
		return nil, err
	}
	d.num = readNumbering(&nx)
	for _, k := range []string{"footnotes", "endnotes"} {
		zf, ok := files[parts[k]]
		if !ok {
			continue
		}
		if zf.UncompressedSize64 > MaxPart {
			return nil, docxPartTooLarge(parts[k], zf.UncompressedSize64)
		}
		if err := d.walk(zf, k[:1]); err != nil {
			return nil, err
		}
	}
	if err := d.walk(doc, ""); err != nil {
		return nil, err
	}
	if !d.pageStated {
		for i := range d.out {
			d.out[i].page = 0
		}
	}
	return d.out, nil
}

func docxPartTooLarge(name string, size uint64) error {
	name = strings.ToValidUTF8(name, "?")
	return xiezuo.Errorf(xiezuo.EINVALID, "Word 文档的“%s”解压后有 %.1f MB，超过 %d MB 的上限：请清除多余的格式后再上传", name, float64(size)/(1<<20), MaxPart>>20)
}

var errDoctype = xiezuo.Errorf(xiezuo.EINVALID, "Word 文档含有 DOCTYPE 声明：Word 和 WPS 不会写出这样的文件，可能是恶意构造的，已拒绝读取")

// readDocxSmall inflates a part of at most MaxPart and unmarshals it; a part missing leaves v as
// it was. A DOCTYPE is refused before the XML is read.
func readDocxSmall(files map[string]*zip.File, name string, v any) error {
	zf, ok := files[name]
	if !ok {
		return nil
	}
	if zf.UncompressedSize64 > MaxPart {
		return docxPartTooLarge(name, zf.UncompressedSize64)
	}
	rc, err := zf.Open()
	if err != nil {
		return damagedPart(name)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, MaxPart+1))
	if err != nil || len(data) > MaxPart {
		return damagedPart(name)
	}
	if hasDoctype(data) {
		return errDoctype
	}
	data = bytes.ReplaceAll(data, []byte("http://purl.oclc.org/ooxml/officeDocument/relationships"), []byte("http://schemas.openxmlformats.org/officeDocument/2006/relationships"))
	if err := xml.Unmarshal(data, v); err != nil {
		return xiezuo.Errorf(xiezuo.EINVALID, "无法打开 Word 文档：文件已损坏（“%s”不是有效的 XML）", strings.ToValidUTF8(name, "?"))
	}
	return nil
}

func hasDoctype(data []byte) bool {
	i := bytes.Index(data, []byte("<!"))
	for i >= 0 {
		rest := data[i+2:]
		if len(rest) >= 7 && strings.EqualFold(string(rest[:7]), "DOCTYPE") {
			return true
		}
		j := bytes.Index(rest, []byte("<!"))
		if j < 0 {
			return false
		}
		i += 2 + j
	}
	return false
}

func damagedPart(name string) error {
	name = strings.ToValidUTF8(name, "?")
	return xiezuo.Errorf(xiezuo.EINVALID, "无法打开 Word 文档：文件已损坏（“%s”无法解压）", name)
}

// docxDoc is the state of one read.
type docxDoc struct {
	b      *budget
	styles map[string]*docxStyle
	num    *numbering
	notes  map[string]string // "f3" → the text of footnote 3, "e1" → endnote 1
	out    []srcLine

	paraPool   []*docxPara
	cellPool   []*docxCell
	block      int // body blocks (paragraphs and table rows) read
	chars      int // bytes of text written out
	cells      int // cells written out
	page       int // the page of what is being read, from 1
	pageStated bool
	textSince  bool // text was read since the last page break counted
	noteNo     [2]int

	// where the reading is, as the clerk names it
	attach      string // "附件2", or "" before the first attachment
	section     string // "正文“一、总体要求”", or ""
	sawTitle    bool   // the title of the work points was read: what follows is 正文
	paraNo      int    // paragraphs read in the current part
	tables      int    // tables of the whole document
	attachTabls int    // tables of the current attachment
}

// newPara and newCell take a paragraph or a cell from those read before: a 200-page plan
// has 150,000 of them, one at a time open.
func (d *docxDoc) newPara() *docxPara {
	n := len(d.paraPool)
	if n == 0 {
		return &docxPara{}
	}
	p := d.paraPool[n-1]
	d.paraPool = d.paraPool[:n-1]
	*p = docxPara{text: p.text[:0], extra: p.extra[:0], notes: p.notes[:0]}
	return p
}

func (d *docxDoc) newCell() *docxCell {
	n := len(d.cellPool)
	if n == 0 {
		return &docxCell{span: 1}
	}
	c := d.cellPool[n-1]
	d.cellPool = d.cellPool[:n-1]
	*c = docxCell{span: 1, parts: c.parts[:0], notes: c.notes[:0]}
	return c
}

// Kinds of element the walk tells apart (namespaces resolved by prefix).
const (
	nsOther = iota
	nsW
	nsMC
)

const (
	wordNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	wordStrictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	mcNS         = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// container is where the paragraphs being read go.
const (
	inBody = iota
	inCell
	inTextBox
	inNote
)

type docxPara struct {
	text       []byte
	style      string
	numID      string
	ilvl       int
	hasNum     bool // the paragraph states its list (numId)
	hasIlvl    bool // the paragraph states its level
	outline    int  // from the paragraph's own outlineLvl: 0 none, -1 body text, else level
	where      int  // container
	page       int
	extra      []srcLine // text boxes anchored in it: read after it
	notes      []string  // its footnotes: read after it (or before the units' bracket ending it)
	breakAfter bool
	anchor     *docxPara // for a paragraph of a text box: the paragraph it is anchored in
	cell       *docxCell // for a paragraph of a cell
}

type docxCell struct {
	parts  []string
	span   int
	vmerge bool // a continued vertical merge: read as an empty cell
	nested bool // the last part is rows of a table in the cell
	notes  []string
}

type docxTable struct {
	where      int       // container of the table
	anchor     *docxPara // for a table in a text box
	cell       *docxCell // for a table in a cell: its rows are flattened into it
	rows       int
	row        []string
	rowPage    int
	notes      []string
	label      string // 附件2 表格, 第3个表格
	before     int    // gridBefore of the row
	rowDeleted bool   // the row is deleted with changes tracked
	width      int    // cells of the row before
	// above is, per column, the text of the cell that starts a vertical merge (vMerge restart)
	// or of the last cell, and merged the row's cells continuing a merge: their text.
	above  []string
	merged []string
}

type frame struct {
	ns    int
	local string
	skip  bool
}

// walk reads one part: the body (note == "") or the footnotes ("f") or endnotes ("e").
func (d *docxDoc) walk(zf *zip.File, note string) error {
	rc, err := zf.Open()
	if err != nil {
		return damagedPart(zf.Name)
	}
	defer rc.Close()
	z := newXMLTokenizer(io.LimitReader(rc, int64(maxDocumentXML)+1))
	name := strings.ToValidUTF8(zf.Name, "?") // for messages
	tokens := 0
	prefixes := map[string]int{"w": nsW, "mc": nsMC}
	var (
		stack   []frame
		skip    int // depth at which a skipped element started, 0 when reading
		paras   []*docxPara
		tables  []*docxTable
		cells   []*docxCell
		conts   = []int{inBody}
		anchors []*docxPara // for each open text box, the paragraph it is anchored in
		alts    []bool      // for each open mc:AlternateContent, whether a branch was taken
		inText  bool
		hidden  bool // the run being read is hidden text
		noteID  string
		noteB   strings.Builder
	)
	if note != "" {
		conts[0] = inNote
	}
	if d.page == 0 {
		d.page = 1
	}
	cur := func() *docxPara {
		if len(paras) == 0 {
			return nil
		}
		return paras[len(paras)-1]
	}
	parent := func(n int) frame { // n = 1: the parent of the element on top
		if len(stack) > n {
			return stack[len(stack)-1-n]
		}
		return frame{}
	}
	for {
		if tokens++; tokens%(1<<16) == 0 {
			if err := d.b.ctx.Err(); err != nil {
				return err
			}
		}
		err := z.next()
		if errors.Is(err, io.EOF) {
			break
		}
		switch {
		case errors.Is(err, errXMLDoctype):
			return errDoctype
		case errors.Is(err, errXMLToken):
			return xiezuo.Errorf(xiezuo.EINVALID, "无法读取 Word 文档：“%s”中有一段超过 %d KB 的文字或标记，不是普通的 Word 文档", name, maxToken>>10)
		case errors.Is(err, errXMLSyntax):
			return xiezuo.Errorf(xiezuo.EINVALID, "无法读取 Word 文档：“%s”不是有效的 XML，文件已损坏", name)
		case err != nil:
			return xiezuo.Errorf(xiezuo.EINVALID, "无法读取 Word 文档：“%s”无法解压，文件已损坏", name)
		}
		switch z.kind {
		case tokStart:
			if len(stack) >= maxNesting {
				return xiezuo.Errorf(xiezuo.EINVALID, "Word 文档的“%s”嵌套超过 %d 层，不是 Word 或 WPS 保存的普通文档，已拒绝读取", name, maxNesting)
			}
			for _, a := range z.attrs {
				if a.prefix == "xmlns" || (a.prefix == "" && a.local == "xmlns") {
					p := a.local
					if a.prefix == "" {
						p = ""
					}
					switch string(a.raw) {
					case wordNS, wordStrictNS:
						prefixes[p] = nsW
					case mcNS:
						prefixes[p] = nsMC
					default:
						prefixes[p] = nsOther
					}
				}
			}
			f := frame{ns: prefixes[z.prefix], local: z.local}
			if skip > 0 {
				stack = append(stack, f)
				continue
			}
			stack = append(stack, f)
			if f.ns == nsMC {
				switch f.local {
				case "AlternateContent":
					alts = append(alts, false)
				case "Choice", "Fallback":
					// One branch of the alternatives, the first: the others say the same again.
					if len(alts) == 0 || alts[len(alts)-1] {
						skip = len(stack)
					} else {
						alts[len(alts)-1] = true
					}
				}
				continue
			}
			if f.ns != nsW {
				continue
			}
			switch f.local {
			case "del", "moveFrom":
				if parent(1).local == "trPr" && len(tables) > 0 {
					tables[len(tables)-1].rowDeleted = true // a row deleted with changes tracked
				}
				skip = len(stack)
			case "delText", "instrText", "delInstrText", "fldData", "tblPr", "tblGrid", "tblPrEx", "commentReference", "annotationRef", "footnoteRef", "endnoteRef", "separator", "continuationSeparator",
				// the properties before a tracked change (a numbering since removed…) and the
				// pronunciation written over characters (ruby)
				"pPrChange", "rPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange", "numberingChange", "rt":
				skip = len(stack)
			case "sectPr":
				// A section ends with the paragraph whose properties hold it, and the next one
				// starts on a new page unless it is continuous. The body's last section is the
				// document's end.
				if parent(1).local == "pPr" && cur() != nil && note == "" {
					cur().breakAfter = true
				} else {
					skip = len(stack)
				}
			case "type":
				if parent(1).local == "sectPr" && cur() != nil && z.attr("val") == "continuous" {
					cur().breakAfter = false
				}
			case "footnote", "endnote":
				if note != "" {
					noteID = z.attr("id")
					noteB.Reset()
					if typ := z.attr("type"); typ != "" && typ != "normal" {
						skip = len(stack)
					}
				}
			case "p":
				p := d.newPara()
				p.where, p.page = conts[len(conts)-1], d.page
				switch p.where {
				case inTextBox:
					p.anchor = anchors[len(anchors)-1]
				case inCell:
					p.cell = cells[len(cells)-1]
				}
				paras = append(paras, p)
			case "pStyle":
				if p := cur(); p != nil && parent(1).local == "pPr" {
					p.style = z.attr("val")
				}
			case "numId":
				if p := cur(); p != nil && parent(2).local == "pPr" {
					p.numID, p.hasNum = z.attr("val"), true
				}
			case "ilvl":
				if p := cur(); p != nil && parent(2).local == "pPr" {
					p.ilvl, _ = strconv.Atoi(z.attr("val"))
					p.hasIlvl = true
				}
			case "outlineLvl":
				if p := cur(); p != nil && parent(1).local == "pPr" {
					if n, err := strconv.Atoi(z.attr("val")); err == nil && n >= 0 && n < 9 {
						p.outline = n + 1
					} else {
						p.outline = -1
					}
				}
			case "pageBreakBefore":
				if p := cur(); p != nil && parent(1).local == "pPr" && onOff(z) && note == "" {
					d.breakPage()
					p.page = d.page
				}
			case "r":
				hidden = false
			case "vanish":
				// Hidden text (字体：隐藏) is not what the clerk reads.
				if parent(1).local == "rPr" && parent(2).local == "r" && onOff(z) {
					hidden = true
				}
			case "t":
				inText = parent(1).local == "r" && !hidden
			case "tab", "ptab":
				if parent(1).local == "r" && !hidden {
					d.write(cur(), "\t")
				}
			case "br", "cr":
				if parent(1).local != "r" {
					break
				}
				if z.attr("type") == "page" {
					if note == "" {
						d.breakPage()
					}
					break
				}
				d.write(cur(), "\n")
			case "noBreakHyphen":
				d.write(cur(), "-")
			case "lastRenderedPageBreak":
				if note == "" && d.textSince {
					d.breakPage()
				}
			case "footnoteReference", "endnoteReference":
				kind, word := "f", "脚注"
				if f.local == "endnoteReference" {
					kind, word = "e", "尾注"
				}
				if text, ok := d.notes[kind+z.attr("id")]; ok && note == "" && cur() != nil {
					i := 0
					if kind == "e" {
						i = 1
					}
					d.noteNo[i]++
					if d.chars += len(text); d.chars > maxDocumentXML {
						return refuse(xiezuo.Pos{Line: d.block + 1}, "Word 文档的文字（连同每处引用的脚注）超过 %d MB，请拆分后再上传", maxDocumentXML>>20)
					}
					n := fmt.Sprintf("%s%d：%s", word, d.noteNo[i], text)
					if !strings.Contains(n, "。") {
						n += "。" // a line with a full stop is prose: never a point, a heading or units
					}
					p := cur()
					if p.cell != nil {
						p.cell.notes = append(p.cell.notes, n)
					} else {
						p.notes = append(p.notes, n)
					}
				}
			case "txbxContent":
				conts = append(conts, inTextBox)
				anchors = append(anchors, cur())
			case "tbl":
				tb := &docxTable{where: conts[len(conts)-1]}
				switch tb.where {
				case inBody:
					d.tables++
					d.attachTabls++
					switch {
					case d.attach != "" && d.attachTabls > 1:
						tb.label = fmt.Sprintf("%s 第%d个表格", d.attach, d.attachTabls)
					case d.attach != "":
						tb.label = d.attach + " 表格"
					default:
						tb.label = fmt.Sprintf("第%d个表格", d.tables)
					}
				case inTextBox:
					tb.anchor = anchors[len(anchors)-1]
				case inCell:
					tb.cell = cells[len(cells)-1]
				}
				tables = append(tables, tb)
			case "tr":
				if len(tables) > 0 {
					tb := tables[len(tables)-1]
					tb.row = make([]string, 0, tb.width)
					tb.notes, tb.before, tb.rowDeleted = nil, 0, false
					tb.rowPage = d.page
				}
			case "gridBefore":
				if len(tables) > 0 && parent(1).local == "trPr" {
					n, _ := strconv.Atoi(z.attr("val"))
					tables[len(tables)-1].before = max(0, min(n, MaxColumns))
				}
			case "tc":
				if len(tables) > 0 {
					tb := tables[len(tables)-1]
					for ; tb.before > 0; tb.before-- {
						tb.row = append(tb.row, "")
					}
				}
				cells = append(cells, d.newCell())
				conts = append(conts, inCell)
			case "gridSpan":
				if len(cells) > 0 && parent(1).local == "tcPr" {
					n, _ := strconv.Atoi(z.attr("val"))
					cells[len(cells)-1].span = max(1, min(n, MaxColumns))
				}
			case "vMerge":
				if len(cells) > 0 && parent(1).local == "tcPr" {
					if v := z.attr("val"); v == "" || v == "continue" {
						cells[len(cells)-1].vmerge = true
					}
				}
			}
		case tokEnd:
			if len(stack) == 0 {
				return xiezuo.Errorf(xiezuo.EINVALID, "无法读取 Word 文档：“%s”不是有效的 XML，文件已损坏", name)
			}
			f := stack[len(stack)-1]
			if f.local != z.local || f.ns != prefixes[z.prefix] {
				return xiezuo.Errorf(xiezuo.EINVALID, "无法读取 Word 文档：“%s”不是有效的 XML（标记没有正确结束），文件已损坏", name)
			}
			stack = stack[:len(stack)-1]
			if skip > 0 {
				if len(stack)+1 == skip {
					skip = 0
				}
				continue
			}
			if f.ns == nsMC {
				if f.local == "AlternateContent" && len(alts) > 0 {
					alts = alts[:len(alts)-1]
				}
				continue
			}
			if f.ns != nsW {
				continue
			}
			switch f.local {
			case "t":
				inText = false
			case "footnote", "endnote":
				if note != "" && noteID != "" {
					d.notes[note+noteID] = strings.TrimSpace(noteB.String())
				}
				noteID = ""
			case "p":
				if len(paras) == 0 {
					break
				}
				p := paras[len(paras)-1]
				paras = paras[:len(paras)-1]
				if p.where == inNote {
					if noteB.Len() > 0 {
						noteB.WriteString(" ")
					}
					noteB.WriteString(strings.Join(strings.Fields(string(p.text)), " "))
					d.paraPool = append(d.paraPool, p)
					if noteB.Len() > 4*MaxLineChars {
						return xiezuo.Errorf(xiezuo.EINVALID, "Word 文档的一条脚注超过 %d 个字符", MaxLineChars)
					}
					break
				}
				if err := d.endPara(p); err != nil {
					return err
				}
				d.paraPool = append(d.paraPool, p)
			case "txbxContent":
				conts = conts[:len(conts)-1]
				anchors = anchors[:len(anchors)-1]
			case "tc":
				if len(cells) == 0 || len(tables) == 0 {
					break
				}
				c := cells[len(cells)-1]
				cells = cells[:len(cells)-1]
				conts = conts[:len(conts)-1]
				tb := tables[len(tables)-1]
				text := ""
				col := len(tb.row)
				if !c.vmerge {
					text = joinCell(c.parts)
				}
				for len(tb.above) < col+c.span && len(tb.above) < MaxColumns+1 {
					tb.above = append(tb.above, "")
				}
				if c.vmerge {
					if col < len(tb.above) && tb.above[col] != "" {
						for len(tb.merged) < col {
							tb.merged = append(tb.merged, "")
						}
						tb.merged = append(tb.merged, tb.above[col])
					}
				} else if col < len(tb.above) {
					tb.above[col] = text
				}
				tb.row = append(tb.row, text)
				for k := 1; k < c.span; k++ {
					tb.row = append(tb.row, "")
				}
				tb.notes = append(tb.notes, c.notes...)
				d.cellPool = append(d.cellPool, c)
				if len(tb.row) > MaxColumns {
					return refuse(xiezuo.Pos{Line: d.block + 1}, "表格的这一行超过 %d 列", MaxColumns)
				}
			case "tr":
				if len(tables) == 0 {
					break
				}
				if err := d.endRow(tables[len(tables)-1]); err != nil {
					return err
				}
			case "tbl":
				if len(tables) > 0 {
					tables = tables[:len(tables)-1]
				}
			}
		case tokText:
			if inText && skip == 0 {
				text, err := z.text()
				if err != nil {
					return xiezuo.Errorf(xiezuo.EINVALID, "无法读取 Word 文档：“%s”不是有效的 XML，文件已损坏", name)
				}
				d.write(cur(), text)
			}
		}
		if p := cur(); p != nil && len(p.text) > 4*MaxLineChars {
			return refuse(xiezuo.Pos{Line: d.block + 1}, "这一段超过 %d 个字符，请分段后再上传", MaxLineChars)
		}
	}
	if len(stack) != 0 {
		return xiezuo.Errorf(xiezuo.EINVALID, "无法读取 Word 文档：“%s”不完整，文件已损坏", name)
	}
	return nil
}

// onOff reads a toggle property: <w:b/>, <w:b w:val="true"/>, off with "false" or "0".
func onOff(z *xmlTokenizer) bool {
	v := z.attr("val")
	return v != "false" && v != "0" && v != "off"
}

func (d *docxDoc) write(p *docxPara, s string) {
	if p == nil {
		return
	}
	p.text = append(p.text, s...)
	if strings.TrimSpace(s) != "" {
		d.textSince = true
	}
}

// breakPage counts a page break the document states.
func (d *docxDoc) breakPage() {
	d.page++
	d.pageStated = true
	d.textSince = false
}

// emit adds a body block (a paragraph or a table row) and returns its line.
func (d *docxDoc) emit(lines ...srcLine) error {
	d.block++
	if d.block > MaxLines {
		return refuse(xiezuo.Pos{Line: d.block}, "Word 文档超过 %d 段（段落和表格行合计，空段也算），请拆分后再上传", MaxLines)
	}
	if err := d.b.tick(); err != nil {
		return err
	}
	for _, l := range lines {
		l.line = d.block
		// A footnote is written after each paragraph that refers to it, and a merged cell
		// stands for many: what the document says is bound apart from its size.
		d.chars += len(l.text)
		for _, c := range l.cells {
			d.chars += len(c)
		}
		d.cells += len(l.cells)
		if d.chars > maxDocumentXML {
			return refuse(xiezuo.Pos{Line: d.block}, "Word 文档的文字（连同每处引用的脚注）超过 %d MB，请拆分后再上传", maxDocumentXML>>20)
		}
		if d.cells > MaxCells {
			return refuse(xiezuo.Pos{Line: d.block}, "文件的单元格总数超过 %d 个（所有表格合计），请拆分后再上传", MaxCells)
		}
		if k := controlChar(l.text); k >= 0 {
			return refuse(xiezuo.Pos{Line: d.block}, "含有不可见的控制字符 %s，请删除后再上传", controlName(l.text[k]))
		}
		d.out = append(d.out, l)
	}
	return nil
}

// endPara writes a paragraph where it belongs: a body line, a cell's text, or after the
// paragraph a text box is anchored in.
func (d *docxDoc) endPara(p *docxPara) error {
	text := string(p.text)
	st := d.styles[p.style]
	// A paragraph's numbering, or its style's; a level stated alone takes the style's list.
	numID, ilvl := p.numID, p.ilvl
	if !p.hasNum && st != nil && st.hasNum {
		numID = st.numID
		if !p.hasIlvl {
			ilvl = st.ilvl
		}
	}
	label := ""
	if numID != "" {
		label = d.num.label(numID, ilvl)
	}
	level := st.headingLevel()
	if p.outline > 0 {
		level = p.outline
	} else if p.outline < 0 {
		level = 0
	}
	switch p.where {
	case inCell:
		if p.cell != nil {
			if label+text == "" && p.cell.nested {
				return nil // the empty paragraph Word puts after a table in a cell
			}
			p.cell.nested = false
			p.cell.parts = append(p.cell.parts, label+text)
			for _, x := range p.extra {
				p.cell.parts = append(p.cell.parts, x.text)
			}
		}
		return nil
	case inTextBox:
		lines := placeNotes(paraLines(label+text, 0), p.notes)
		lines = append(lines, p.extra...)
		if a := p.anchor; a != nil {
			if a.cell != nil {
				for _, l := range lines {
					a.cell.parts = append(a.cell.parts, l.text)
				}
			} else {
				a.extra = append(a.extra, lines...)
			}
		}
		return nil // a text box outside any paragraph: nowhere a clerk reads it
	}
	lines := paraLines(label+text, level)
	where := d.placePara(label+text, level)
	lines = placeNotes(lines, p.notes)
	for i := range lines {
		lines[i].where, lines[i].page = where, p.page
	}
	for _, x := range p.extra {
		x.where, x.page = where, p.page
		lines = append(lines, x)
	}
	if err := d.emit(lines...); err != nil {
		return err
	}
	if p.breakAfter {
		d.breakPage()
	}
	return nil
}

// paraLines cuts a paragraph at its soft line breaks (each a line as the clerk sees it) and
// marks a heading by style as a Markdown heading, which the text reader takes as it takes text.
func paraLines(text string, level int) []srcLine {
	parts := strings.Split(text, "\n")
	lines := make([]srcLine, 0, len(parts))
	for i, s := range parts {
		s = trimIndentTabs(s)
		if i == 0 && level > 0 && strings.TrimSpace(s) != "" {
			s = strings.Repeat("#", min(level, 6)) + " " + strings.TrimLeft(s, " \t")
		}
		lines = append(lines, srcLine{text: s})
	}
	return lines
}

// placeNotes puts the footnotes of a paragraph after it as lines of their own, or, when the
// paragraph ends with a bracket of units (a work point's responsible units), just before that
// bracket, so the units still end the point.
func placeNotes(lines []srcLine, notes []string) []srcLine {
	if len(notes) == 0 {
		return lines
	}
	last := &lines[len(lines)-1]
	if open, close, ok := endBracket(last.text); ok && bracketIsUnits(last.text[open:close]) {
		start := open - bracketLen(last.text[:open])
		last.text = last.text[:start] + strings.Join(notes, "") + last.text[start:]
		return lines
	}
	for _, n := range notes {
		lines = append(lines, srcLine{text: n})
	}
	return lines
}

// trimIndentTabs drops the tabs that indent a line of prose; a line with tabs between its
// words is a row of a table typed with tabs, kept whole (its first cells may be empty).
func trimIndentTabs(s string) string {
	rest := strings.TrimLeft(s, "\t")
	if len(rest) != len(s) && !strings.Contains(rest, "\t") {
		return rest
	}
	return s
}

// placePara names where a body paragraph is, as the clerk finds it: 通知第2段, 正文开头第1段,
// 正文“一、总体要求”第3段, 附件2第4段.
func (d *docxDoc) placePara(text string, level int) string {
	s := squeeze(cleanInline(stripHeading(strings.ReplaceAll(text, "\n", " "))))
	if s == "" {
		return ""
	}
	if m := reAttachHeading.FindStringSubmatch(s); m != nil && !reAttachList.MatchString(s) {
		n := m[1]
		if n[0] < '0' || n[0] > '9' {
			n = strconv.Itoa(chineseNumber(n))
		}
		d.attach, d.paraNo, d.attachTabls = "附件"+n, 0, 0
		return d.attach + "标题"
	}
	if d.attach == "" {
		if reSection.MatchString(s) && utf8.RuneCountInString(s) <= 60 || level > 0 && d.sawTitle {
			d.section, d.paraNo = "正文“"+shortTitle(s)+"”", 0
			return d.section + "标题"
		}
		if !d.sawTitle && strings.HasSuffix(s, "工作要点") && !strings.HasPrefix(s, "关于") && !strings.Contains(s, "《") {
			d.sawTitle, d.paraNo = true, 0
			return "正文标题"
		}
	}
	d.paraNo++
	switch {
	case d.attach != "":
		return fmt.Sprintf("%s第%d段", d.attach, d.paraNo)
	case d.section != "":
		return fmt.Sprintf("%s第%d段", d.section, d.paraNo)
	case d.sawTitle:
		return fmt.Sprintf("正文开头第%d段", d.paraNo)
	}
	return fmt.Sprintf("通知第%d段", d.paraNo)
}

// shortTitle keeps the first 20 characters of a heading.
func shortTitle(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

// endRow writes a table row: a body row is a line of its own with its cells; a row of a table
// inside a cell is joined into that cell's text; a row of a table in a text box follows the
// paragraph the text box is anchored in.
func (d *docxDoc) endRow(tb *docxTable) error {
	if tb.rowDeleted {
		tb.row, tb.notes = nil, nil
		return nil
	}
	tb.rows++
	row, merged := tb.row, tb.merged
	tb.row, tb.merged = nil, nil
	tb.width = min(len(row), MaxColumns)
	switch tb.where {
	case inCell:
		if tb.cell != nil {
			var filled []string
			for _, c := range row {
				if c != "" {
					filled = append(filled, c)
				}
			}
			if len(filled) > 0 {
				// The rows of a table in a cell read one after the other, apart.
				text := strings.Join(filled, " ")
				if c := tb.cell; c.nested && len(c.parts) > 0 {
					c.parts[len(c.parts)-1] += " " + text
				} else {
					c.parts = append(c.parts, text)
				}
				tb.cell.nested = true
			}
			tb.cell.notes = append(tb.cell.notes, tb.notes...)
		}
		return nil
	case inTextBox:
		line := srcLine{cells: row}
		if a := tb.anchor; a != nil && a.cell == nil {
			a.extra = append(a.extra, line)
			return nil
		}
		if a := tb.anchor; a != nil && a.cell != nil {
			a.cell.parts = append(a.cell.parts, strings.Join(row, " "))
		}
		return nil
	case inNote:
		return nil
	}
	where := fmt.Sprintf("%s第%d行", tb.label, tb.rows)
	lines := []srcLine{{cells: row, merged: merged, where: where, page: tb.rowPage}}
	for _, n := range tb.notes {
		lines = append(lines, srcLine{text: n, where: where, page: tb.rowPage})
	}
	return d.emit(lines...)
}

// joinCell joins the paragraphs and line breaks of a cell as the clerk reads them: a list of
// units one per line is a list (区委办公室、区政府办公室), a word wrapped by hand is one word,
// anything else is separated by a space.
func joinCell(parts []string) string {
	var lines []string
	for _, p := range parts {
		for _, l := range strings.Split(p, "\n") {
			l = strings.TrimSpace(strings.ReplaceAll(l, "\t", " "))
			if l != "" {
				lines = append(lines, l)
			}
		}
	}
	if len(lines) == 0 {
		return ""
	}
	if len(lines) == 1 && plainText(lines[0]) {
		return lines[0]
	}
	var b strings.Builder
	b.WriteString(lines[0])
	for _, l := range lines[1:] {
		prev := b.String()
		last, _ := utf8.DecodeLastRuneInString(prev)
		first, _ := utf8.DecodeRuneInString(l)
		switch {
		case unicode.Is(unicode.Han, last) && unicode.Is(unicode.Han, first):
			if xiezuo.LooksLikeUnit(lastPiece(prev)) && xiezuo.LooksLikeUnit(firstPiece(l)) {
				b.WriteString("、")
			}
		case last == '、' || last == '，' || last == '；':
		default:
			b.WriteString(" ")
		}
		b.WriteString(l)
	}
	return cleanInline(b.String())
}

func lastPiece(s string) string {
	if i := strings.LastIndexAny(s, "、，,；; "); i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		return s[i+size:]
	}
	return s
}

func firstPiece(s string) string {
	if i := strings.IndexAny(s, "、，,；; "); i >= 0 {
		return s[:i]
	}
	return s
}

// plainText tells whether s, trimmed, is as cleanInline would leave it: no markup, no run of
// spaces, no full-width digit or letter. Most cells are, and skip its regular expressions.
func plainText(s string) bool {
	prevSpace := false
	for _, r := range s {
		switch {
		case r == '<' || r == '*' || r == '_' || r == '\\' || r == '\t' || r == '\u3000' || r == '\u00a0':
			return false
		case r >= '\uff00' && r <= '\uffef':
			return false
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return true
}
