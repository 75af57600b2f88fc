package labourio

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"

	"xiezuo"
)

// A reader of a workbook's first sheet that scans its XML as bytes. excelize's row iterator
// decodes every cell with encoding/xml's reflection (about 90 µs a row of 12 cells on our
// machines, 90 s for a million rows); this scanner reads the same rows in a few microseconds,
// streaming from the zip entry with flat memory. The shared strings are held in one block of
// memory: a table larger than maxSharedStrings makes open fall back to excelize's iterator,
// which spills it to its temporary folder.

// maxSharedStrings bounds the shared strings' uncompressed XML the scanner reads into memory.
const maxSharedStrings = 128 << 20

// errFallback says the scanner cannot read this workbook and excelize should.
var errFallback = errors.New("sheet scanner: fall back to excelize")

// sheetScanner reads rows of a worksheet's XML.
type sheetScanner struct {
	z     *zip.ReadCloser
	rc    io.ReadCloser
	br    *bufio.Reader
	sst   []string
	row   int
	cells []string
	done  bool
	est   int
	text  []byte
	cr    *countingReader
	size  uint64 // the sheet's uncompressed XML
	rows  int    // rows read
}

// openSheet opens the first worksheet of the workbook at p.
func openSheet(p string) (*sheetScanner, error) {
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
	s := &sheetScanner{z: z}
	if f := files["xl/sharedStrings.xml"]; f != nil {
		if f.UncompressedSize64 > maxSharedStrings {
			z.Close()
			return nil, errFallback
		}
		if s.sst, err = readSharedStrings(f); err != nil {
			z.Close()
			return nil, errFallback
		}
	}
	rc, err := sf.Open()
	if err != nil {
		z.Close()
		return nil, errFallback
	}
	s.rc = rc
	s.cr = &countingReader{r: rc}
	s.size = sf.UncompressedSize64
	s.br = bufio.NewReaderSize(s.cr, 256<<10)
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

// readSharedStrings reads the shared strings: each <si>'s text runs, phonetic runs (<rPh>) left
// out.
func readSharedStrings(f *zip.File) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(bufio.NewReaderSize(rc, 256<<10))
	var (
		out     []string
		cur     strings.Builder
		inSI    bool
		inT     bool
		phonetc int
	)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur.Reset()
			case "rPh":
				phonetc++
			case "t":
				inT = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				inSI = false
				out = append(out, cur.String())
			case "rPh":
				phonetc--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inSI && inT && phonetc == 0 {
				cur.Write(t)
			}
		}
	}
}

// readTo reads up to and excluding the next c, returned in a buffer valid until the next read.
func (s *sheetScanner) readTo(c byte) ([]byte, error) {
	b, err := s.br.ReadSlice(c)
	if err == bufio.ErrBufferFull {
		s.text = append(s.text[:0], b...)
		for err == bufio.ErrBufferFull {
			b, err = s.br.ReadSlice(c)
			s.text = append(s.text, b...)
		}
		b = s.text
	}
	if err != nil {
		return nil, err
	}
	return b[:len(b)-1], nil
}

// tagName is the local name of a tag's text (without its prefix), and the rest.
func tagName(tag []byte) (string, []byte) {
	end := bytes.IndexAny(tag, " \t\r\n/")
	name := tag
	if end >= 0 {
		name = tag[:end]
	}
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	if end < 0 {
		return string(name), nil
	}
	return string(name), tag[end:]
}

// attr is the value of attribute name in a tag's attribute text.
func attr(attrs []byte, name string) []byte {
	for len(attrs) > 0 {
		i := bytes.IndexByte(attrs, '=')
		if i < 0 {
			return nil
		}
		key := bytes.TrimSpace(attrs[:i])
		rest := bytes.TrimLeft(attrs[i+1:], " \t\r\n")
		if len(rest) == 0 {
			return nil
		}
		q := rest[0]
		j := bytes.IndexByte(rest[1:], q)
		if j < 0 {
			return nil
		}
		if string(key) == name {
			return rest[1 : j+1]
		}
		attrs = rest[j+2:]
	}
	return nil
}

// colIndex is the 0-based column of a cell reference (B12 → 1), -1 when it has none.
func colIndex(ref []byte) int {
	n := 0
	i := 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		n = n*26 + int(ref[i]-'A'+1)
	}
	if i == 0 {
		return -1
	}
	return n - 1
}

// next reads the next row that has a <row> element: its 1-based number and cells.
func (s *sheetScanner) next() (int, []string, error) {
	if s.done {
		return 0, nil, io.EOF
	}
	s.cells = s.cells[:0]
	var (
		inRow          bool
		col            = -1
		cellType       string
		inV, inT, inIS bool
		phonetic       int
		val            strings.Builder
		hasVal         bool
	)
	for {
		text, err := s.readTo('<')
		if err == io.EOF {
			s.done = true
			if inRow {
				return s.row, s.cells, nil
			}
			return 0, nil, io.EOF
		}
		if err != nil {
			return 0, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿第%d行之后无法读取：文件已损坏", s.row)
		}
		if (inV || (inT && inIS)) && phonetic == 0 && len(text) > 0 {
			val.WriteString(unescape(text))
			hasVal = true
		}
		tag, err := s.readTo('>')
		if err != nil {
			return 0, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿第%d行之后无法读取：文件已损坏", s.row)
		}
		if len(tag) > 0 && (tag[0] == '?' || tag[0] == '!') {
			continue
		}
		end := len(tag) > 0 && tag[0] == '/'
		if end {
			tag = tag[1:]
		}
		self := len(tag) > 0 && tag[len(tag)-1] == '/'
		name, attrs := tagName(tag)
		switch {
		case name == "row" && !end:
			s.rows++
			r, _ := strconv.Atoi(string(attr(attrs, "r")))
			if r > 0 {
				s.row = r
			} else {
				s.row++
			}
			if self {
				return s.row, s.cells, nil
			}
			inRow = true
			col = -1
		case name == "row" && end:
			return s.row, s.cells, nil
		case name == "sheetData" && end:
			s.done = true
			if inRow {
				return s.row, s.cells, nil
			}
			return 0, nil, io.EOF
		case name == "c" && !end:
			if c := colIndex(attr(attrs, "r")); c >= 0 {
				col = c
			} else {
				col++
			}
			cellType = string(attr(attrs, "t"))
			val.Reset()
			hasVal = false
			if self {
				continue
			}
		case name == "c" && end:
			if col >= MaxColumns || !hasVal {
				continue
			}
			v := val.String()
			if cellType == "s" {
				i, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || i < 0 || i >= len(s.sst) {
					v = ""
				} else {
					v = s.sst[i]
				}
			}
			for len(s.cells) <= col {
				s.cells = append(s.cells, "")
			}
			s.cells[col] = v
		case name == "v":
			inV = !end && !self
		case name == "is":
			inIS = !end && !self
		case name == "t":
			inT = !end && !self
		case name == "rPh":
			if !self {
				if end {
					phonetic--
				} else {
					phonetic++
				}
			}
		case name == "f" && !end && !self:
			// A formula's text is not its value: skip to </f>.
			if _, err := s.readTo('<'); err != nil {
				return 0, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿第%d行无法读取：文件已损坏", s.row)
			}
			if _, err := s.readTo('>'); err != nil {
				return 0, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿第%d行无法读取：文件已损坏", s.row)
			}
		}
	}
}

// unescape replaces XML's entities in a text.
func unescape(b []byte) string {
	if bytes.IndexByte(b, '&') < 0 {
		return string(b)
	}
	var out strings.Builder
	for len(b) > 0 {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			out.Write(b)
			break
		}
		out.Write(b[:i])
		b = b[i:]
		j := bytes.IndexByte(b, ';')
		if j < 0 {
			out.Write(b)
			break
		}
		ent := string(b[1:j])
		b = b[j+1:]
		switch ent {
		case "lt":
			out.WriteByte('<')
		case "gt":
			out.WriteByte('>')
		case "amp":
			out.WriteByte('&')
		case "quot":
			out.WriteByte('"')
		case "apos":
			out.WriteByte('\'')
		default:
			var n int64
			var err error
			switch {
			case strings.HasPrefix(ent, "#x"):
				n, err = strconv.ParseInt(ent[2:], 16, 32)
			case strings.HasPrefix(ent, "#"):
				n, err = strconv.ParseInt(ent[1:], 10, 32)
			default:
				err = errFallback
			}
			if err != nil {
				out.WriteString("&" + ent + ";")
			} else {
				out.WriteRune(rune(n))
			}
		}
	}
	return out.String()
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
	return s.z.Close()
}
