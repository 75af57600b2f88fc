package plandoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// layout is what checkZip learns of a workbook before excelize opens it: each sheet entry's part
// (resolved as excelize resolves it), the parts that may be large, and the merged ranges of
// each sheet, read linearly from its part (excelize's GetMergeCells checks every pair of ranges
// for overlap: 50,000 merges took 102 s).
type layout struct {
	sheets []sheetEntry
	merges map[string][]mergeRange // by sheet name
}

type sheetEntry struct{ name, part string }

// mergeRange is a merged range of cells, columns and rows numbered from 1.
type mergeRange struct{ c1, r1, c2, r2 int }

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
}

// zipName is the name under which excelize keeps a part of the zip.
func zipName(zf *zip.File) string { return strings.ReplaceAll(zf.Name, "\\", "/") }

// readSmallPart inflates a part of at most MaxPart (as stated, and as inflated) and unmarshals
// it; a part missing leaves v as it was.
func readSmallPart(files map[string]*zip.File, name string, v any) error {
	zf, ok := files[name]
	if !ok {
		return nil
	}
	if zf.UncompressedSize64 > MaxPart {
		return partTooLarge(name, zf.UncompressedSize64)
	}
	rc, err := zf.Open()
	if err != nil {
		return xiezuo.Errorf(xiezuo.EINVALID, "无法打开工作簿：文件已损坏（“%s”无法解压）", name)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, MaxPart+1))
	if err != nil || len(data) > MaxPart {
		return xiezuo.Errorf(xiezuo.EINVALID, "无法打开工作簿：文件已损坏（“%s”无法解压）", name)
	}
	// Strict Open XML names the relationships otherwise; excelize reads both.
	data = bytes.ReplaceAll(data, []byte("http://purl.oclc.org/ooxml/officeDocument/relationships"), []byte("http://schemas.openxmlformats.org/officeDocument/2006/relationships"))
	if err := xml.Unmarshal(data, v); err != nil {
		return xiezuo.Errorf(xiezuo.EINVALID, "无法打开工作簿：文件已损坏（“%s”不是有效的 XML）", name)
	}
	return nil
}

// partPath resolves a relationship's target as excelize does: relative to the folder of the
// part that holds it, or from the root when it starts with a slash.
func partPath(dir, target string) string {
	target = strings.ReplaceAll(target, "\\", "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(dir+"/"+target), "/")
}

// sharedStringsPart is the one part excelize reads as the shared string table, whatever the
// relationships say (it matches the name without regard to case).
const sharedStringsPart = "xl/sharedStrings.xml"

// isSheetPart tells whether a part may be a worksheet: an XML part in xl/worksheets/ (not in
// a folder below it, such as its relationships in xl/worksheets/_rels/). Only a worksheet may
// pass MaxPart, so a relationship naming any other part a worksheet (styles.xml, which excelize
// parses whole as the styles whatever points at it) would lift its bound.
func isSheetPart(p string) bool {
	return path.Dir(p) == "xl/worksheets" && strings.EqualFold(path.Ext(p), ".xml")
}

// roleName names in Chinese what a relationship of the workbook makes of its target.
func roleName(relType string) string {
	switch {
	case strings.HasSuffix(relType, "/worksheet"):
		return "工作表"
	case strings.HasSuffix(relType, "/sharedStrings"):
		return "共享文本表"
	case strings.HasSuffix(relType, "/styles"):
		return "样式"
	case strings.HasSuffix(relType, "/theme"):
		return "主题"
	}
	return "“" + path.Base(relType) + "”"
}

func notPlainWorkbook(format string, args ...any) error {
	return xiezuo.Errorf(xiezuo.EINVALID, "%s，不是普通的工作簿：请在 Excel 或 WPS 中另存后再上传", fmt.Sprintf(format, args...))
}

// readLayout reads the workbook's sheet entries and the parts they point at, and refuses two
// entries pointing at the same part: excelize would read the part once per entry (one sheet of
// 300 merges named by 50 entries took 529 s). The bound of a part goes by its own name, never by
// what a relationship calls it: a worksheet relationship must point into xl/worksheets/, a
// shared strings one at xl/sharedStrings.xml, and no part may be the target of two kinds of
// relationship. small gets the parts that must stay within MaxPart even if named as pictures:
// every target of the workbook's relationships but its sheets and shared strings. Every part read here was checked against MaxPart before.
func readLayout(files map[string]*zip.File) (lay *layout, small map[string]bool, err error) {
	var root xmlRels
	if err := readSmallPart(files, "_rels/.rels", &root); err != nil {
		return nil, nil, err
	}
	wbPath := "xl/workbook.xml"
	for _, r := range root.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			wbPath = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	dir := path.Dir(wbPath)
	relsPath := strings.TrimPrefix(dir+"/_rels/"+path.Base(wbPath)+".rels", "./")
	small = map[string]bool{wbPath: true, relsPath: true}
	var wb xmlWorkbook
	if err := readSmallPart(files, wbPath, &wb); err != nil {
		return nil, nil, err
	}
	var rels xmlRels
	if err := readSmallPart(files, relsPath, &rels); err != nil {
		return nil, nil, err
	}
	if len(wb.Sheets) > MaxSheets {
		return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿有 %d 个工作表，超过 %d 个的上限", len(wb.Sheets), MaxSheets)
	}
	targets := map[string]string{} // relationship id → part
	roles := map[string]string{}   // part → the type of the first relationship pointing at it
	for _, r := range rels.Rels {
		p := partPath(dir, r.Target)
		if first, ok := roles[p]; ok && roleName(first) != roleName(r.Type) {
			return nil, nil, notPlainWorkbook("工作簿的“%s”同时被当作%s和%s", p, roleName(first), roleName(r.Type))
		}
		roles[p] = r.Type
		switch {
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			if !strings.EqualFold(p, sharedStringsPart) {
				return nil, nil, notPlainWorkbook("工作簿的共享文本表指向“%s”，而不是 %s", p, sharedStringsPart)
			}
		case strings.HasSuffix(r.Type, "/worksheet"):
			if !isSheetPart(p) {
				return nil, nil, notPlainWorkbook("工作簿的工作表指向“%s”，不在 xl/worksheets/ 文件夹中", p)
			}
			targets[r.ID] = p
		default:
			small[p] = true
		}
	}
	lay = &layout{merges: map[string][]mergeRange{}}
	byPart := map[string]string{} // part → the first sheet pointing at it
	for _, s := range wb.Sheets {
		p, ok := targets[s.ID]
		if !ok {
			continue
		}
		if first, dup := byPart[p]; dup {
			return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿的工作表“%s”和“%s”指向同一份内容（%s），不是普通的工作簿：请在 Excel 或 WPS 中另存后再上传", first, s.Name, p)
		}
		byPart[p] = s.Name
		lay.sheets = append(lay.sheets, sheetEntry{name: s.Name, part: p})
	}
	return lay, small, nil
}

func partTooLarge(name string, size uint64) error {
	return xiezuo.Errorf(xiezuo.EINVALID, "工作簿的“%s”解压后有 %.1f MB，超过 %d MB 的上限（样式、图形、批注等每一项最多 %d MB）：请清除多余的格式和图形，或另存为 .csv 后再上传", name, float64(size)/(1<<20), MaxPart>>20, MaxPart>>20)
}

// mayBeLarge tells whether a part other than a sheet or the shared strings may pass MaxPart:
// pictures and embedded files, which excelize keeps as bytes and never parses, unless the
// workbook's relationships point at them as something else.
func mayBeLarge(name string, small map[string]bool) bool {
	if small[name] {
		return false
	}
	lower := strings.ToLower(name)
	return strings.HasPrefix(lower, "xl/media/") || strings.HasPrefix(lower, "xl/embeddings/")
}

// mergeScan collects the merged ranges of one sheet from the tags of its part, and counts its
// rows and cells, empty ones included: excelize reads each of them, and a million rows of one
// empty cell in column XFD took 22 s.
type mergeScan struct {
	sheet  string
	ranges []mergeRange
	rows   int
	total  *int // merged ranges of the whole workbook
	cells  *int // cells of the whole workbook
}

// tag looks at one tag of the sheet's part (its text between < and >, cut at 256 bytes).
func (m *mergeScan) tag(t []byte) error {
	name := t
	if i := bytes.IndexAny(name, " \t\r\n/"); i >= 0 {
		name = name[:i]
	}
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	switch string(name) {
	case "row":
		m.rows++
		if m.rows > maxRowsWithCells {
			return xiezuo.Errorf(xiezuo.EINVALID, "工作表“%s”有超过 %d 行（空白但带格式的行也算），超过上限：请删除多余的行后再上传", m.sheet, maxRowsWithCells)
		}
		return nil
	case "c":
		*m.cells++
		if *m.cells > maxRawCells {
			return xiezuo.Errorf(xiezuo.EINVALID, "工作簿的单元格连同空白但带格式的单元格超过 %d 个（到工作表“%s”为止），请删除多余的行和列后再上传", maxRawCells, m.sheet)
		}
		return nil
	case "mergeCell":
	default:
		return nil
	}
	*m.total++
	if len(m.ranges) >= MaxMerges {
		return xiezuo.Errorf(xiezuo.EINVALID, "工作表“%s”的合并单元格超过 %d 处，超过上限：请取消多余的合并后再上传", m.sheet, MaxMerges)
	}
	if *m.total > MaxMergesTotal {
		return xiezuo.Errorf(xiezuo.EINVALID, "工作簿的合并单元格共超过 %d 处（到工作表“%s”为止），超过上限：请取消多余的合并后再上传", MaxMergesTotal, m.sheet)
	}
	ref := attr(t, "ref")
	first, last, ok := strings.Cut(ref, ":")
	if !ok {
		return nil
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(first)
	c2, r2, err2 := excelize.CellNameToCoordinates(last)
	if err1 != nil || err2 != nil {
		return nil
	}
	c1, c2 = min(c1, c2), max(c1, c2)
	r1, r2 = min(r1, r2), max(r1, r2)
	if span := (r2 - r1 + 1) * (c2 - c1 + 1); span > MaxMergeSpan {
		return xiezuo.Errorf(xiezuo.EINVALID, "工作表“%s”的合并单元格 %s 跨 %d 行 %d 列，超过 %d 个单元格的上限：请取消这处合并后再上传", m.sheet, ref, r2-r1+1, c2-c1+1, MaxMergeSpan)
	}
	m.ranges = append(m.ranges, mergeRange{c1: c1, r1: r1, c2: c2, r2: r2})
	return nil
}

// attr returns the value of the attribute named name in a tag's text, or "".
func attr(t []byte, name string) string {
	for i := 0; ; {
		k := bytes.Index(t[i:], []byte(name+"="))
		if k < 0 {
			return ""
		}
		k += i
		v := k + len(name) + 1
		if (k == 0 || t[k-1] == ' ' || t[k-1] == '\t' || t[k-1] == '\n' || t[k-1] == '\r') && v < len(t) && (t[v] == '"' || t[v] == '\'') {
			if end := bytes.IndexByte(t[v+1:], t[v]); end >= 0 {
				return string(t[v+1 : v+1+end])
			}
			return ""
		}
		i = v
	}
}
