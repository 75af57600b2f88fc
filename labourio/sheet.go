package labourio

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"xiezuo"
)

// A reader of a workbook's first sheet that scans its XML as bytes. excelize's row iterator
// decodes every cell with encoding/xml's reflection (about 90 µs a row of 12 cells on our
// machines, 90 s for a million rows); this scanner reads the same rows in a few microseconds,
// streaming from the zip entry with flat memory. The shared strings are held in one block of
// memory up to sharedInMemory bytes, the rest in a file of the import's temporary folder: a
// table larger than maxSharedStrings makes open fall back to excelize's iterator, which spills
// it to its temporary folder.

// maxSharedStrings bounds the shared strings' uncompressed XML the scanner reads.
const maxSharedStrings = 128 << 20

// sharedInMemory bounds the shared strings' text held in memory (a variable for the tests): a
// table of a few thousand rows fits, that of a million rows (some 55 MB of text) spills the
// strings past it to a file. In the order the strings first appear, those kept are the header
// and the values rows repeat (regions, sex, education); the rest are mostly read once.
var sharedInMemory = 8 << 20

// errFallback says the scanner cannot read this workbook and excelize should.
var errFallback = errors.New("sheet scanner: fall back to excelize")

// sheetScanner reads rows of a worksheet's XML.
type sheetScanner struct {
	z     *zip.ReadCloser
	rc    io.ReadCloser
	br    *scanBuf
	sst   sharedStrings
	row   int
	cells []string
	done  bool
	est   int
	text  []byte
	cr    *limitReader
	size  uint64 // the sheet's uncompressed XML
	rows  int    // <row> elements read, blank ones included

	inTag  bool     // the last text read ended at a '<'
	sawTag bool     // a tag was read (the XML declaration comes first)
	stack  []string // names of the open elements
	tag    []byte   // the tag read
	cdata  []byte   // the CDATA section read
	val    []byte   // the text token read, decoded (valid until the next read)

	attrs    []attribute // the attributes of the tag read
	prefixed bool        // r, t or s has a prefix
}

// openSheet opens the first worksheet of the workbook at p: errFallback when excelize should
// read it, a refusal (「工作表过大」) when its parts inflate past the bounds. A large shared
// strings table is spilled to a file in folder tmp ("" is the system's), which close removes.
func openSheet(p, tmp string) (*sheetScanner, error) {
	z, err := zip.OpenReader(p)
	if err != nil {
		return nil, errFallback
	}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[f.Name] = f
	}
	sheet := firstSheetPath(files)
	sf := files[sheet]
	if sf == nil {
		z.Close()
		return nil, errFallback
	}
	if sf.UncompressedSize64 > maxSheetBytes {
		z.Close()
		return nil, tooLarge(fmt.Sprintf("工作表解压后 %d MB，最多 %d MB", sf.UncompressedSize64>>20, maxSheetBytes>>20))
	}
	s := &sheetScanner{z: z}
	if f := files["xl/sharedStrings.xml"]; f != nil {
		if f.UncompressedSize64 > maxSharedTotal {
			z.Close()
			return nil, tooLarge(fmt.Sprintf("共享字符串解压后 %d MB，最多 %d MB", f.UncompressedSize64>>20, maxSharedTotal>>20))
		}
		if f.UncompressedSize64 > maxSharedStrings {
			z.Close()
			return nil, errFallback
		}
		if s.sst, err = readSharedStrings(f, tmp); err != nil {
			z.Close()
			if errors.Is(err, errSpill) {
				return nil, err
			}
			return nil, errFallback
		}
	}
	rc, err := sf.Open()
	if err != nil {
		s.sst.close()
		z.Close()
		return nil, errFallback
	}
	s.rc = rc
	s.cr = &limitReader{r: rc}
	s.size = sf.UncompressedSize64
	s.br = newScanBuf(s.cr, 256<<10)
	if head, _ := s.br.Peek(16 << 10); head != nil {
		if m := dimensionRef.FindSubmatch(head); m != nil {
			s.est, _ = strconv.Atoi(string(m[1]))
		}
	}
	return s, nil
}

// firstSheetPath is the zip path of the workbook's first sheet, by workbook.xml and its
// relationships.
func firstSheetPath(files map[string]*zip.File) string {
	const fallback = "xl/worksheets/sheet1.xml"
	wb, rels := files["xl/workbook.xml"], files["xl/_rels/workbook.xml.rels"]
	if wb == nil || rels == nil {
		return fallback
	}
	var w struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var r struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if decodeZip(wb, &w) != nil || decodeZip(rels, &r) != nil || len(w.Sheets) == 0 {
		return fallback
	}
	for _, rel := range r.Rels {
		if rel.ID == w.Sheets[0].ID {
			t := rel.Target
			if strings.HasPrefix(t, "/") {
				return strings.TrimPrefix(t, "/")
			}
			return path.Join("xl", t)
		}
	}
	return fallback
}

func decodeZip(f *zip.File, v any) error {
	if f.UncompressedSize64 > 16<<20 {
		return errFallback
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// Bounds of a workbook read by the scanner, beyond those of any file (MaxRows, MaxColumns,
// MaxCellBytes).
const (
	// MaxSheetRow is Excel's last row: a row numbered beyond it is refused.
	MaxSheetRow = 1_048_576
	// maxSheetBytes bounds the sheet's uncompressed XML, as stated in the zip and as read.
	maxSheetBytes = 2 << 30
	// maxSharedTotal bounds the shared strings' uncompressed XML read by excelize when the
	// table is too large for the scanner (it spills to its temporary folder).
	maxSharedTotal = 1 << 30
	// maxRawText bounds one text run of the sheet's XML (a cell's text as written, entities
	// included) kept while scanning; the rest is read and left out.
	maxRawText = 8*MaxCellBytes + 64
	// maxTag bounds a tag's text (its name and attributes), maxDepth the nesting of elements.
	maxTag   = 64 << 10
	maxDepth = 64
)

// errTooLarge ends a read that passed maxSheetBytes.
var errTooLarge = errors.New("sheet scanner: sheet too large")

// limitReader counts the bytes read and fails past maxSheetBytes.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > maxSheetBytes {
		return n, errTooLarge
	}
	return n, err
}

// tooLarge is the refusal of a sheet beyond the bounds.
func tooLarge(what string) error {
	return xiezuo.Errorf(xiezuo.EINVALID, "工作表过大：%s，请分成几个文件导入", what)
}

// truncCell keeps at most MaxCellBytes of a cell, cut at a rune's start (as bound does).
func truncCell(c string) string {
	if len(c) <= MaxCellBytes {
		return c
	}
	c = c[:MaxCellBytes]
	for !utf8.ValidString(c) {
		c = c[:len(c)-1]
	}
	return c
}

var bstrRe = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

// bstrUnmarshal undoes the _xHHHH_ escapes of text in a workbook, as excelize does.
func bstrUnmarshal(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var out strings.Builder
	cursor := 0
	for _, m := range bstrRe.FindAllStringIndex(s, -1) {
		out.WriteString(s[cursor:m[0]])
		cursor = m[1]
		if s[m[0]:m[1]] == "_x005F_" {
			out.WriteByte('_')
			continue
		}
		v, _ := strconv.Unquote(`"\u` + s[m[0]+2:m[1]-1] + `"`)
		out.WriteString(v)
	}
	out.WriteString(s[cursor:])
	return out.String()
}

// sharedStrings is the shared strings table: the strings one after the other, string i ending
// at ends[i]. A workbook of a million rows has some three million unique strings; as a
// []string they cost a header and an allocation each (over 100 MB of heap the collector
// scans), here four bytes each beside their text, in two allocations without pointers. The
// text's first sharedInMemory bytes (whole strings) are held in text, the rest in file from
// its start: a string in text is returned sharing its memory (text is never changed once
// read), one in the file is copied into a string of its own from win, a window of the file
// read ahead, or read alone when it is behind the window. A sheet uses its new strings in the
// order they first appear, the table's order: a window serves many cells (one read of the
// file a cell costs a microsecond).
type sharedStrings struct {
	text   []byte
	ends   []uint32 // the text is at most maxSharedStrings long: the decoded strings are no longer than their XML
	file   *os.File // the strings past text, nil when all are in text
	w      *bufio.Writer
	size   uint64 // bytes of text so far, in memory and in the file
	win    []byte // the file from offset winOff, reused: the strings returned are copies
	winOff int64
}

// sharedWindow is the size of the window read ahead in the shared strings' file: small enough
// that a sheet using its strings out of order costs a few microseconds a cell.
const sharedWindow = 16 << 10

// errSpill marks a failure of the shared strings' temporary file: the workbook is not at fault.
var errSpill = xiezuo.Errorf(xiezuo.EINTERNAL, "读取工作簿失败：临时文件无法读写")

// spillErr is a failure of the temporary file: the user reads errSpill's message, the log the
// system's.
func spillErr(err error) error { return fmt.Errorf("%w: %w", errSpill, err) }

// len is the number of strings.
func (t *sharedStrings) len() int { return len(t.ends) }

// at is string i (0 ≤ i < len).
func (t *sharedStrings) at(i int) (string, error) {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	end := t.ends[i]
	if start == end {
		return "", nil
	}
	if end <= uint32(len(t.text)) {
		return unsafe.String(&t.text[start], int(end-start)), nil
	}
	off, n := int64(start)-int64(len(t.text)), int64(end-start)
	if off < t.winOff {
		// A string behind the window (a repeat) is read alone: the window stays where the
		// sheet's new strings are.
		b := make([]byte, n)
		if _, err := t.readAt(b, off, n); err != nil {
			return "", err
		}
		return unsafe.String(&b[0], len(b)), nil
	}
	if off+n > t.winOff+int64(len(t.win)) {
		if int(n) > cap(t.win) {
			t.win = make([]byte, 0, max(sharedWindow, int(n)))
		}
		buf := t.win[:cap(t.win)]
		k, err := t.readAt(buf, off, n)
		if err != nil {
			t.win = t.win[:0]
			return "", err
		}
		t.win, t.winOff = buf[:k], off
	}
	return string(t.win[off-t.winOff : off-t.winOff+n]), nil
}

// readAt reads the file at off into b, at least need bytes.
func (t *sharedStrings) readAt(b []byte, off, need int64) (int, error) {
	k, err := t.file.ReadAt(b, off)
	if int64(k) < need {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return k, spillErr(err)
	}
	return k, nil
}

// add appends a string, errFallback if the table would outgrow its offsets; past
// sharedInMemory bytes the strings go to a file created in folder tmp.
func (t *sharedStrings) add(v string, tmp string) error {
	if t.size+uint64(len(v)) > math.MaxUint32 {
		return errFallback
	}
	if t.file == nil && len(t.text)+len(v) > sharedInMemory {
		f, err := os.CreateTemp(tmp, "sharedStrings-*")
		if err != nil {
			return spillErr(err)
		}
		t.file, t.w = f, bufio.NewWriterSize(f, 256<<10)
	}
	if t.w != nil {
		if _, err := t.w.WriteString(v); err != nil {
			return spillErr(err)
		}
	} else {
		t.text = append(t.text, v...)
	}
	t.size += uint64(len(v))
	t.ends = append(t.ends, uint32(t.size))
	return nil
}

// close closes and removes the file, if any.
func (t *sharedStrings) close() {
	if t.file == nil {
		return
	}
	t.file.Close()
	os.Remove(t.file.Name())
	t.file, t.w = nil, nil
}

// readSharedStrings reads the shared strings: each <si>'s <t> and its runs' <t> (<r><t>), the
// way excelize reads them (phonetic runs and other elements left out), each kept to
// MaxCellBytes. Past sharedInMemory bytes the strings go to a file in folder tmp (see
// sharedStrings); on an error it is removed.
func readSharedStrings(f *zip.File, tmp string) (out sharedStrings, err error) {
	rc, err := f.Open()
	if err != nil {
		return sharedStrings{}, err
	}
	defer rc.Close()
	defer func() {
		if err != nil {
			out.close()
			out = sharedStrings{}
		}
	}()
	d := xml.NewDecoder(bufio.NewReaderSize(&limitReader{r: rc}, 256<<10))
	var (
		path  []string // element names inside <si>
		t     string   // the <si>'s own <t>
		runs  strings.Builder
		cur   strings.Builder
		inSI  bool
		count int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if out.w != nil {
				if err := out.w.Flush(); err != nil {
					return out, spillErr(err)
				}
				out.w = nil
			}
			// Both grew by appending: give back their spare room when it is large.
			if cap(out.ends)-len(out.ends) > len(out.ends)/4 {
				out.ends = slices.Clone(out.ends)
			}
			if cap(out.text)-len(out.text) > len(out.text)/4 {
				out.text = slices.Clone(out.text)
			}
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if !inSI {
				if e.Name.Local == "si" {
					inSI, t = true, ""
					runs.Reset()
					path = path[:0]
				}
				continue
			}
			path = append(path, e.Name.Local)
			cur.Reset()
		case xml.EndElement:
			if !inSI {
				continue
			}
			if len(path) == 0 { // </si>
				inSI = false
				count++
				if err := out.add(truncCell(bstrUnmarshal(t+runs.String())), tmp); err != nil {
					return out, err
				}
				continue
			}
			switch strings.Join(path, "/") {
			case "t":
				t = cur.String()
			case "r/t":
				runs.WriteString(cur.String())
			}
			path = path[:len(path)-1]
		case xml.CharData:
			if inSI && (len(path) == 1 && path[0] == "t" || len(path) == 2 && path[0] == "r" && path[1] == "t") {
				if cur.Len() < maxRawText {
					cur.Write(e)
				}
			}
		}
	}
}

// readUntil reads up to and excluding the next c; at most keep bytes are returned (over says
// more were read and left out), in a buffer valid until the next read.
func (s *sheetScanner) readUntil(c byte, keep int) (b []byte, over bool, err error) {
	b, err = s.br.ReadSlice(c)
	if err == bufio.ErrBufferFull || (err == nil && len(b) > keep+1) {
		s.text = append(s.text[:0], b[:min(len(b), keep+1)]...)
		for err == bufio.ErrBufferFull {
			b, err = s.br.ReadSlice(c)
			if room := keep + 1 - len(s.text); room > 0 {
				s.text = append(s.text, b[:min(len(b), room)]...)
			}
		}
		b = s.text
		if len(b) > keep {
			b, over = b[:keep], true
		} else {
			b = b[:len(b)-1]
			return b, false, s.readErr(err)
		}
		return b, over, s.readErr(err)
	}
	if err != nil {
		return nil, false, s.readErr(err)
	}
	return b[:len(b)-1], false, nil
}

func (s *sheetScanner) readErr(err error) error {
	if errors.Is(err, errTooLarge) {
		return tooLarge(fmt.Sprintf("解压后超过 %d MB", maxSheetBytes>>20))
	}
	return err
}

// corrupt is the refusal of a sheet the scanner cannot read as excelize would.
func (s *sheetScanner) corrupt(why string) error {
	return xiezuo.Errorf(xiezuo.EINVALID, "工作簿第%d行附近无法读取：%s", max(s.row, 1), why)
}

// token kinds of the sheet's XML.
const (
	tokText = iota
	tokStart
	tokEnd
)

// nextToken reads the next token: text (entities and CDATA decoded, checked as encoding/xml
// checks them), a start tag (name, attributes' text, self-closing) or an end tag. Comments,
// the XML declaration and whitespace-only text between tags are read and left out.
func (s *sheetScanner) nextToken() (kind int, name string, attrs []byte, self bool, err error) {
	if !s.inTag && s.br.r < s.br.w && s.br.buf[s.br.r] == '<' {
		s.br.r++ // no text before the tag: as readUntil reads it
		s.inTag = true
	}
	if !s.inTag {
		raw, over, err := s.readUntil('<', maxRawText)
		if err != nil && err != io.EOF {
			return 0, "", nil, false, err
		}
		s.inTag = err == nil
		if len(raw) > 0 {
			if over { // an entity cut at the end is left out
				if i := bytes.LastIndexByte(raw, '&'); i >= 0 && bytes.IndexByte(raw[i:], ';') < 0 {
					raw = raw[:i]
				}
			}
			if err := s.decodeText(raw, false); err != nil {
				return 0, "", nil, false, err
			}
			return tokText, "", nil, false, nil
		}
		if err == io.EOF {
			return 0, "", nil, false, io.EOF
		}
	}
	s.inTag = false
	// Comments, CDATA and declarations begin with '!' or '?': a tag's name is read at once.
	if head, _ := s.br.Peek(1); len(head) == 1 && (head[0] == '!' || head[0] == '?') {
		kind, again, ok, err := s.markup()
		switch {
		case err != nil:
			return 0, "", nil, false, err
		case again:
			return s.nextToken()
		case ok:
			return kind, "", nil, false, nil
		}
	}
	return s.readTag()
}

// markup reads, after a '<', a comment or the XML declaration (again: the next token is to
// be read) or a CDATA section (ok, a text token); neither again nor ok says it is none of
// these, and the tag is read.
func (s *sheetScanner) markup() (kind int, again, ok bool, err error) {
	head, _ := s.br.Peek(9)
	switch {
	case bytes.HasPrefix(head, []byte("!--")):
		s.br.Discard(3)
		for { // to "-->"; "--" inside a comment is refused, as encoding/xml does
			b, err := s.br.ReadSlice('-')
			for err == bufio.ErrBufferFull {
				b, err = s.br.ReadSlice('-')
			}
			if err != nil {
				return 0, false, true, s.eof(err)
			}
			_ = b
			if n, _ := s.br.Peek(1); len(n) == 1 && n[0] == '-' {
				s.br.Discard(1)
				if n, _ := s.br.Peek(1); len(n) == 1 && n[0] == '>' {
					s.br.Discard(1)
					break
				}
				return 0, false, true, s.corrupt("注释中有“--”")
			}
		}
		return 0, true, false, nil
	case bytes.HasPrefix(head, []byte("![CDATA[")):
		s.br.Discard(8)
		s.cdata = s.cdata[:0]
		for { // to "]]>"
			b, err := s.br.ReadSlice('>')
			for err == bufio.ErrBufferFull {
				if len(s.cdata) < maxRawText {
					s.cdata = append(s.cdata, b...)
				}
				b, err = s.br.ReadSlice('>')
			}
			if err != nil {
				return 0, false, true, s.eof(err)
			}
			if len(s.cdata) < maxRawText || bytes.HasSuffix(b, []byte("]]>")) {
				s.cdata = append(s.cdata, b...)
			}
			if bytes.HasSuffix(s.cdata, []byte("]]>")) {
				break
			}
		}
		if err := s.decodeText(s.cdata[:len(s.cdata)-3], true); err != nil {
			return 0, false, true, err
		}
		return tokText, false, true, nil
	case bytes.HasPrefix(head, []byte("?xml ")) && !s.sawTag:
		b, _, err := s.readUntil('>', maxTag)
		if err != nil {
			return 0, false, true, s.eof(err)
		}
		if !bytes.HasSuffix(b, []byte("?")) {
			return 0, false, true, s.corrupt("XML 声明有误")
		}
		if enc := attrOf(b[4:len(b)-1], "encoding"); enc != nil && !strings.EqualFold(string(enc), "utf-8") {
			return 0, false, true, s.corrupt("不是 UTF-8 编码")
		}
		return 0, true, false, nil
	case len(head) > 0 && (head[0] == '!' || head[0] == '?'):
		return 0, false, true, s.corrupt("含有不支持的 XML 声明")
	}
	return 0, false, false, nil
}

// readTag reads a start or end tag after its '<'.
func (s *sheetScanner) readTag() (kind int, name string, attrs []byte, self bool, err error) {
	s.sawTag = true
	// A tag: to the '>' outside quotes.
	s.tag = s.tag[:0]
	var quote byte
	for {
		b, err := s.br.ReadSlice('>')
		for err == bufio.ErrBufferFull {
			s.tag = append(s.tag, b...)
			if len(s.tag) > maxTag {
				return 0, "", nil, false, s.corrupt("标签过长")
			}
			b, err = s.br.ReadSlice('>')
		}
		if err != nil {
			return 0, "", nil, false, s.eof(err)
		}
		from := len(s.tag)
		s.tag = append(s.tag, b...)
		if len(s.tag) > maxTag {
			return 0, "", nil, false, s.corrupt("标签过长")
		}
		for _, c := range s.tag[from:] {
			switch {
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
			case c == quote:
				quote = 0
			}
		}
		if quote == 0 {
			break
		}
	}
	tag := s.tag[:len(s.tag)-1]
	end := len(tag) > 0 && tag[0] == '/'
	if end {
		tag = tag[1:]
	}
	self = !end && len(tag) > 0 && tag[len(tag)-1] == '/'
	if self {
		tag = tag[:len(tag)-1]
	}
	i := 0
	for i < len(tag) && !isSpace(tag[i]) {
		i++
	}
	if !validName(tag[:i]) {
		return 0, "", nil, false, s.corrupt("标签名有误")
	}
	name = internName(tag[:i])
	attrs = tag[i:]
	if end {
		if len(bytes.TrimSpace(attrs)) > 0 {
			return 0, "", nil, false, s.corrupt("结束标签有误")
		}
		if len(s.stack) == 0 || s.stack[len(s.stack)-1] != name {
			return 0, "", nil, false, s.corrupt("标签不配对")
		}
		s.stack = s.stack[:len(s.stack)-1]
		return tokEnd, name, nil, false, nil
	}
	if err := s.checkAttrs(attrs); err != nil {
		return 0, "", nil, false, err
	}
	if !self {
		if len(s.stack) >= maxDepth {
			return 0, "", nil, false, s.corrupt("元素嵌套过深")
		}
		s.stack = append(s.stack, name)
	}
	return tokStart, name, attrs, self, nil
}

func (s *sheetScanner) eof(err error) error {
	if err == io.EOF {
		return s.corrupt("文件不完整")
	}
	return s.readErr(err)
}

// colon is the index of the first ':' in a name, -1 when none: a loop, as names are short
// (strings.IndexByte costs more for them).
func colon[T ~string | ~[]byte](name T) int {
	for i := 0; i < len(name); i++ {
		if name[i] == ':' {
			return i
		}
	}
	return -1
}

// validName reports whether b is an XML name of ASCII letters, digits, '_', '-', '.' and at most
// one ':' (the names of a worksheet; others are refused).
func validName(b []byte) bool {
	if len(b) == 0 || !(b[0] >= 'a' && b[0] <= 'z' || b[0] >= 'A' && b[0] <= 'Z' || b[0] == '_') {
		return false
	}
	colons := 0
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9', c == '-', c == '.':
		case c == ':' && i > 0 && i < len(b)-1:
			colons++
		default:
			return false
		}
	}
	return colons <= 1
}

// attribute is one attribute of the tag read: its local name and value (entities decoded).
type attribute struct {
	key, val []byte
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func trimSpaceLeft(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

func trimSpaceRight(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// checkAttrs reads a tag's attributes into s.attrs, checked as encoding/xml would read them:
// name="value" or name='value', separated by white space, values without '<' and with valid
// entities; a name twice is refused (excelize reads some by the first, some by the last).
// s.prefixed says whether r, t or s has a prefix (x:r), which excelize reads by its local name.
func (s *sheetScanner) checkAttrs(a []byte) error {
	s.attrs = s.attrs[:0]
	s.prefixed = false
	for {
		trimmed := trimSpaceLeft(a)
		if len(trimmed) == 0 {
			return nil
		}
		if len(trimmed) == len(a) {
			return s.corrupt("属性有误")
		}
		a = trimmed
		eq := bytes.IndexByte(a, '=')
		if eq < 0 {
			return s.corrupt("属性有误")
		}
		key := trimSpaceRight(a[:eq])
		if !validName(key) {
			return s.corrupt("属性有误")
		}
		if i := colon(key); i >= 0 {
			key = key[i+1:]
			switch string(key) {
			case "r", "t", "s": // x14ac:dyDescent, which Excel writes on rows, is none of these
				s.prefixed = true
			}
		}
		rest := trimSpaceLeft(a[eq+1:])
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return s.corrupt("属性有误")
		}
		j := bytes.IndexByte(rest[1:], rest[0])
		if j < 0 {
			return s.corrupt("属性有误")
		}
		v := rest[1 : j+1]
		if !plainText(v) {
			if bytes.IndexByte(v, '<') >= 0 {
				return s.corrupt("属性有误")
			}
			d, err := xmlText(v, false)
			if err != nil {
				return s.corrupt("属性有误")
			}
			v = []byte(d)
		}
		for _, at := range s.attrs {
			if bytes.Equal(at.key, key) {
				return s.corrupt("属性重复")
			}
		}
		s.attrs = append(s.attrs, attribute{key, v})
		a = rest[j+2:]
	}
}

// attr is the value of attribute name of the tag read, nil when absent.
func (s *sheetScanner) attr(name string) []byte {
	for _, at := range s.attrs {
		if string(at.key) == name {
			return at.val
		}
	}
	return nil
}

// attrOf is the value of attribute name in an attribute text (the XML declaration's).
func attrOf(attrs []byte, name string) []byte {
	var found []byte
	for len(attrs) > 0 {
		i := bytes.IndexByte(attrs, '=')
		if i < 0 {
			break
		}
		key := bytes.TrimSpace(attrs[:i])
		rest := trimSpaceLeft(attrs[i+1:])
		if len(rest) == 0 {
			break
		}
		q := rest[0]
		j := bytes.IndexByte(rest[1:], q)
		if j < 0 {
			break
		}
		if string(key) == name {
			found = rest[1 : j+1]
		}
		attrs = rest[j+2:]
	}
	return found
}

// decodeText decodes a text token into s.val (valid until the next read), checked.
func (s *sheetScanner) decodeText(raw []byte, cdata bool) error {
	if cleanText(raw, cdata) {
		s.val = raw
		return nil
	}
	v, err := xmlText(raw, cdata)
	if err != nil {
		return s.corrupt(err.Error())
	}
	s.val = []byte(v)
	return nil
}

// cleanText reports whether a text is itself once read: UTF-8 of characters XML allows,
// without '&' (outside CDATA) or '\r'.
func cleanText(b []byte, cdata bool) bool {
	high := false
	for _, c := range b {
		switch {
		case c >= 0x80:
			high = true
		case c == '&':
			if !cdata {
				return false
			}
		case c < 0x20 && c != '\t' && c != '\n':
			return false
		}
	}
	if !high {
		return true
	}
	if !utf8.Valid(b) {
		return false
	}
	// U+FFFE and U+FFFF begin with EF, rare in Chinese text (E4–E9).
	return bytes.IndexByte(b, 0xEF) < 0 || !bytes.Contains(b, []byte("\xEF\xBF\xBE")) && !bytes.Contains(b, []byte("\xEF\xBF\xBF"))
}

// xmlText decodes a text of XML as encoding/xml does: "\r\n" and "\r" read as "\n", the five
// named entities and character references (of characters XML allows) decoded; an invalid
// character, an unknown entity or a '&' without ';' is an error. CDATA is taken as it is.
func xmlText(b []byte, cdata bool) (string, error) {
	if plainText(b) {
		return string(b), nil
	}
	var out strings.Builder
	for len(b) > 0 {
		c := b[0]
		switch {
		case c == '\r':
			out.WriteByte('\n')
			b = b[1:]
			if len(b) > 0 && b[0] == '\n' {
				b = b[1:]
			}
			continue
		case c == '&' && !cdata:
			j := bytes.IndexByte(b, ';')
			if j < 0 {
				return "", errors.New("“&”后没有“;”")
			}
			r, ok := entity(string(b[1:j]))
			if !ok {
				return "", errors.New("不认识的字符引用 " + strconv.Quote(string(b[:j+1])))
			}
			out.WriteRune(r)
			b = b[j+1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 || !xmlChar(r) {
			return "", errors.New("含有 XML 不允许的字符")
		}
		out.Write(b[:n])
		b = b[n:]
	}
	return out.String(), nil
}

// plainText reports whether b is printable ASCII without '&': its text is itself.
func plainText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x80 || c == '&' {
			return false
		}
	}
	return true
}

// internName is a tag's name (or a cell's type) as a string, without allocating for the names
// of a worksheet's rows and cells and the types of its cells.
func internName(b []byte) string {
	if len(b) == 1 {
		switch b[0] {
		case 'c':
			return "c"
		case 'v':
			return "v"
		case 't':
			return "t"
		case 'r':
			return "r"
		case 'f':
			return "f"
		}
	}
	switch string(b) {
	case "row":
		return "row"
	case "c":
		return "c"
	case "v":
		return "v"
	case "is":
		return "is"
	case "t":
		return "t"
	case "r":
		return "r"
	case "f":
		return "f"
	case "sheetData":
		return "sheetData"
	case "inlineStr": // the cell types (attribute t) too
		return "inlineStr"
	case "s":
		return "s"
	case "str":
		return "str"
	case "n":
		return "n"
	case "b":
		return "b"
	case "e":
		return "e"
	}
	return string(b)
}

// entity is the character of an entity's name (lt, #65, #x41).
func entity(name string) (rune, bool) {
	switch name {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	var (
		n   uint64
		err error
	)
	switch {
	case strings.HasPrefix(name, "#x"):
		n, err = strconv.ParseUint(name[2:], 16, 32)
	case strings.HasPrefix(name, "#"):
		n, err = strconv.ParseUint(name[1:], 10, 32)
	default:
		return 0, false
	}
	if err != nil || len(name) < 2 || name[1] == '+' || name[1] == 'x' && len(name) > 2 && name[2] == '+' || !xmlChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// xmlChar reports whether XML 1.0 allows r.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// unescape decodes a text of XML (entities, character references), an error for one
// encoding/xml refuses.
func unescape(b []byte) (string, error) { return xmlText(b, false) }

// cellRef is the 0-based column and 1-based row of a cell reference (B12 → 1, 12), letters of
// either case; ok is false for one excelize refuses or reads otherwise.
func cellRef(ref []byte) (col, row int, ok bool) {
	i := 0
	for ; i < len(ref) && i < 4; i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a'+1)
		default:
			goto digits
		}
	}
digits:
	if i == 0 || col > 16384 || i == len(ref) || len(ref)-i > 7 || ref[i] == '0' {
		return 0, 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		row = row*10 + int(c-'0')
	}
	if row > MaxSheetRow {
		return 0, 0, false
	}
	return col - 1, row, true
}

// positive is a row number of attribute r: 1 to MaxSheetRow, digits only.
func positive(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 7 || b[0] == '0' {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n <= MaxSheetRow
}

// next reads the next row that has a <row> element: its 1-based number and cells. It reads a
// row as excelize's iterator does (RawCellValue) or refuses the sheet: rows under <sheetData>
// numbered upwards to MaxSheetRow, cells of a row left to right, a cell's value by its type
// (<v>, the inline <is> of t="inlineStr", the shared string of t="s"), each kept to
// MaxCellBytes.
func (s *sheetScanner) next() (int, []string, error) {
	if s.done {
		return 0, nil, io.EOF
	}
	s.cells = s.cells[:0]
	var (
		inRow     bool
		rowDepth  int
		col       = -1
		cellDepth = -1 // depth of the open <c>
		cellType  string
		hasF      bool
		v, isT    strings.Builder
		runs      strings.Builder
		runT      string
		hasIS     bool
		nV, nIS   int
		nIST, nRT int
		vDepth    = -1
		isDepth   = -1
		rDepth    = -1
		tDepth    = -1 // the <t> whose text is kept, in <is> or its <r>
		tIn       *strings.Builder
		runTB     strings.Builder
	)
	for {
		kind, name, _, self, err := s.nextToken()
		if err == io.EOF {
			if len(s.stack) > 0 {
				return 0, nil, s.corrupt("文件不完整")
			}
			s.done = true
			return 0, nil, io.EOF
		}
		if err != nil {
			return 0, nil, err
		}
		depth := len(s.stack) // after the token: a start tag is on the stack
		local := name
		if i := colon(name); i >= 0 {
			local = name[i+1:]
		}
		switch kind {
		case tokText:
			switch {
			case vDepth >= 0 && depth == vDepth:
				if v.Len() < maxRawText {
					v.Write(s.val)
				}
			case tDepth >= 0 && depth == tDepth && tIn != nil:
				if tIn.Len() < maxRawText {
					tIn.Write(s.val)
				}
			}
			continue
		case tokStart:
			parent := ""
			if n := len(s.stack) - 1; !self && n >= 1 {
				parent = s.stack[n-1]
			} else if self && len(s.stack) > 0 {
				parent = s.stack[len(s.stack)-1]
			}
			if i := colon(parent); i >= 0 {
				parent = parent[i+1:]
			}
			switch {
			case local == "row":
				if parent != "sheetData" {
					return 0, nil, s.corrupt("行不在 sheetData 中")
				}
				if s.prefixed {
					return 0, nil, s.corrupt("行的属性有误")
				}
				s.rows++
				if r := s.attr("r"); r != nil {
					n, ok := positive(r)
					if !ok {
						return 0, nil, tooLarge(fmt.Sprintf("行号“%s”不是 1 到 %d 之间的数", truncCell(string(r)), MaxSheetRow))
					}
					if n <= s.row {
						return 0, nil, s.corrupt(fmt.Sprintf("行号 %d 不在第%d行之后", n, s.row))
					}
					s.row = n
				} else {
					s.row++
				}
				if s.row > MaxSheetRow || s.rows > MaxSheetRow {
					return 0, nil, tooLarge(fmt.Sprintf("超过 %d 行", MaxSheetRow))
				}
				if self {
					return s.row, s.cells, nil
				}
				inRow, rowDepth, col = true, depth, -1
			case local == "c":
				if !inRow || parent != "row" || depth-1 != rowDepth && !self || self && depth != rowDepth {
					return 0, nil, s.corrupt("单元格不在行中")
				}
				if s.prefixed {
					return 0, nil, s.corrupt("单元格的属性有误")
				}
				if r := s.attr("r"); r != nil {
					c, _, ok := cellRef(r)
					if !ok {
						return 0, nil, s.corrupt(fmt.Sprintf("单元格位置“%s”有误", truncCell(string(r))))
					}
					if c <= col {
						return 0, nil, s.corrupt(fmt.Sprintf("单元格 %s 不在前一单元格之后", r))
					}
					col = c
				} else {
					col++
				}
				if sv := s.attr("s"); sv != nil {
					if n, err := strconv.Atoi(string(sv)); err != nil || n < 0 {
						return 0, nil, s.corrupt("单元格样式有误")
					}
				}
				cellType = internName(s.attr("t"))
				v.Reset()
				isT.Reset()
				runs.Reset()
				hasF, hasIS = false, false
				nV, nIS, nIST, nRT = 0, 0, 0, 0
				vDepth, isDepth, rDepth, tDepth, tIn = -1, -1, -1, -1, nil
				if self {
					continue
				}
				cellDepth = depth
			case cellDepth >= 0 && depth == cellDepth+1 || self && cellDepth >= 0 && depth == cellDepth:
				switch local {
				case "v":
					if nV++; nV > 1 {
						return 0, nil, s.corrupt("单元格有两个值")
					}
					if !self {
						vDepth = depth
					}
				case "f":
					hasF = true
				case "is":
					if nIS++; nIS > 1 {
						return 0, nil, s.corrupt("单元格有两个文本")
					}
					hasIS = true
					if !self {
						isDepth = depth
					}
				}
			case isDepth >= 0 && (depth == isDepth+1 || self && depth == isDepth):
				switch local {
				case "t":
					if nIST++; nIST > 1 {
						return 0, nil, s.corrupt("单元格文本有两个 t")
					}
					if !self {
						tDepth, tIn = depth, &isT
					}
				case "r":
					if !self {
						rDepth, nRT, runT = depth, 0, ""
					}
				}
			case rDepth >= 0 && local == "t" && (depth == rDepth+1 || self && depth == rDepth):
				if nRT++; nRT > 1 {
					return 0, nil, s.corrupt("单元格文本有两个 t")
				}
				if !self {
					runTB.Reset()
					tDepth, tIn = depth, &runTB
				}
			}
		case tokEnd:
			d := depth + 1 // depth of the element that ended
			switch {
			case d == tDepth:
				if tIn == &runTB {
					runT = runTB.String()
				}
				tDepth, tIn = -1, nil
			case d == rDepth:
				runs.WriteString(runT)
				rDepth = -1
			case d == isDepth:
				isDepth = -1
			case d == vDepth:
				vDepth = -1
			case d == cellDepth:
				cellDepth = -1
				val, err := s.value(cellType, v.String(), hasIS, isT.String()+runs.String())
				if err != nil {
					return 0, nil, err
				}
				_ = hasF
				if col >= MaxColumns || val == "" {
					continue
				}
				for len(s.cells) <= col {
					s.cells = append(s.cells, "")
				}
				s.cells[col] = truncCell(val)
			case inRow && d == rowDepth:
				return s.row, s.cells, nil
			case local == "sheetData":
				s.done = true
				return 0, nil, io.EOF
			}
		}
	}
}

// value is a cell's value as excelize reads it with RawCellValue.
func (s *sheetScanner) value(typ, v string, hasIS bool, is string) (string, error) {
	switch typ {
	case "s":
		if v == "" {
			return "", nil
		}
		i, _ := strconv.Atoi(strings.TrimSpace(v))
		if i < 0 || i >= s.sst.len() {
			return "", s.corrupt(fmt.Sprintf("共享字符串 %s 不存在", truncCell(v)))
		}
		return s.sst.at(i)
	case "inlineStr":
		if hasIS {
			return bstrUnmarshal(is), nil
		}
	}
	return v, nil
}

// total is the last row the sheet's <dimension> says, else an estimate from the bytes read
// so far (StreamWriter writes the dimension A1).
func (s *sheetScanner) total() int {
	if s.est > 1 {
		return s.est
	}
	if s.rows < 100 || s.cr.n == 0 {
		return 0
	}
	return int(float64(s.size) / float64(s.cr.n) * float64(s.rows))
}

func (s *sheetScanner) close() error {
	s.rc.Close()
	s.sst.close()
	return s.z.Close()
}
