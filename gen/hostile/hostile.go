// Package hostile makes the documents of the attack pass on the readers (等保 level 3 audit):
// a workbook whose parts inflate to gigabytes, a workbook of a million rows, a Markdown table of
// a million lines, a CSV that made the subtotal check quadratic, six-digit serial numbers, a NUL
// byte. The plandoc tests and cmd/xiezuo-hostile read them; it uses the standard library only.
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strings"
)

// Doc is one hostile document: the name it is uploaded under and its bytes.
type Doc struct {
	Name string
	Data []byte
}

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`
	rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="项目计划表" sheetId="1" r:id="rId1"/></sheets></workbook>`
	workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`
	sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
)

// workbookWith writes a workbook of one sheet; sheet writes the sheet's part into the zip.
func workbookWith(sheet func(*zip.Writer) error) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, part := range []struct{ name, text string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"xl/workbook.xml", workbook},
		{"xl/_rels/workbook.xml.rels", workbookRels},
	} {
		w, err := zw.Create(part.name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(part.text)); err != nil {
			return nil, err
		}
	}
	if err := sheet(zw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// deflated compresses text as deflate blocks that end on a byte boundary and refer to nothing
// before them, so copies of it can be put one after another in one deflate stream.
func deflated(text []byte, final bool) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(text)
	if final {
		w.Close()
	} else {
		w.Flush()
	}
	return buf.Bytes()
}

// ZipBomb is a workbook of about 1 KB per MB of inflated size whose one sheet inflates to about
// inflated bytes: the same run of rows repeated, written as raw deflate by hand so that making
// it costs only a CRC over the inflated bytes. Its directory states the true sizes (a reader
// that checks them can refuse it before inflating anything).
func ZipBomb(inflated int64) (Doc, error) {
	const chunk = 1 << 20
	rowText := `<row><c t="inlineStr"><is><t>1</t></is></c></row>`
	one := []byte(strings.Repeat(rowText, chunk/len(rowText)))
	head, tail := []byte(sheetHead), []byte(sheetTail)
	n := max(1, (inflated-int64(len(head)+len(tail)))/int64(len(one)))
	var comp bytes.Buffer
	comp.Write(deflated(head, false))
	block := deflated(one, false)
	crc := crc32.Update(0, crc32.IEEETable, head)
	for range n {
		comp.Write(block)
		crc = crc32.Update(crc, crc32.IEEETable, one)
	}
	comp.Write(deflated(tail, true))
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	size := uint64(len(head)+len(tail)) + uint64(n)*uint64(len(one))
	data, err := workbookWith(func(zw *zip.Writer) error {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: size,
		})
		if err != nil {
			return err
		}
		_, err = w.Write(comp.Bytes())
		return err
	})
	return Doc{Name: "2021年门头沟区支援合作项目计划表-解压炸弹.xlsx", Data: data}, err
}

// streamSheet writes xl/worksheets/sheet1.xml of rows rows, row i written by row, a megabyte
// at a time, so that a sheet of a million rows is never held whole.
func streamSheet(zw *zip.Writer, rows int, row func(b *bytes.Buffer, i int)) error {
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString(sheetHead)
	for i := 1; i <= rows; i++ {
		row(&b, i)
		if b.Len() > 1<<20 {
			if _, err := w.Write(b.Bytes()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	b.WriteString(sheetTail)
	_, err = w.Write(b.Bytes())
	return err
}

// ManyRows is a workbook whose sheet has rows rows of one number each (1,048,576 is
// every row a worksheet can have).
func ManyRows(rows int) (Doc, error) {
	data, err := workbookWith(func(zw *zip.Writer) error {
		return streamSheet(zw, rows, func(b *bytes.Buffer, _ int) {
			// Rows and cells without references are numbered in order, as Excel reads them.
			b.WriteString(`<row><c><v>1</v></c></row>`)
		})
	})
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%d行.xlsx", rows), Data: data}, err
}

// tableHeader is the header of a project table as Markdown.
const tableHeader = "| 序号 | 项目名称 | 建设性质 | 建设内容 | 项目总投资 | 区级帮扶资金 | 项目实施单位 |\n|---|---|---|---|---|---|---|\n"

// MarkdownTable is a plan whose project table has lines rows, each with an error (a fund that
// is not a number), as the attack's million-line table that made a 387 MB error page.
func MarkdownTable(lines int) Doc {
	var b strings.Builder
	b.WriteString("2021年门头沟区支援合作项目计划表\n\n（单位：万元）\n\n")
	b.WriteString(tableHeader)
	b.WriteString("|一|内蒙古武川县||||||\n")
	for i := 1; i <= lines; i++ {
		fmt.Fprintf(&b, "|%d|项目%d|新建|建设|十|五|区农业农村局|\n", i, i)
	}
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%d行.md", lines), Data: []byte(b.String())}
}

// csvHeader is the header of a project table as CSV.
const csvHeader = "序号,项目名称,建设性质,建设内容,项目总投资,区级帮扶资金,受益脱贫人口,项目实施单位\n"

// Subtotals is a CSV project table of projects projects, each followed by a 合计 row: every
// total row sums every project, which the subtotal check did by walking all of them for each
// (quadratic: 1.3 MB took over 100 s of CPU).
func Subtotals(projects int) Doc {
	var b strings.Builder
	b.WriteString("2021年门头沟区支援合作项目计划表\n")
	b.WriteString(csvHeader)
	b.WriteString("一,内蒙古武川县,,,,,,\n")
	for i := 1; i <= projects; i++ {
		fmt.Fprintf(&b, "%d,项目%d,新建,建设,10,5,1,区农业农村局\n", i, i)
		fmt.Fprintf(&b, ",合计,,,%d,%d,%d,\n", 10*i, 5*i, i)
	}
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%d个合计.csv", projects), Data: []byte(b.String())}
}

// SixDigitSerials is a CSV project table whose projects are numbered from 100001: each row was
// taken for a region's subtotal row.
func SixDigitSerials(projects int) Doc {
	var b strings.Builder
	b.WriteString("2021年门头沟区支援合作项目计划表\n")
	b.WriteString(csvHeader)
	b.WriteString("一,内蒙古武川县,,,,,,\n")
	for i := 1; i <= projects; i++ {
		fmt.Fprintf(&b, "%d,项目%d,,,10,5,1,\n", 100000+i, i)
	}
	return Doc{Name: "2021年门头沟区支援合作项目计划表-六位序号.csv", Data: []byte(b.String())}
}

// NUL is a Markdown plan with a NUL byte in a project's name past the first 8,000 bytes (all
// that was looked at), as passed `check` and then failed the PostgreSQL import with an internal
// error. Line tells on which line the NUL stands.
func NUL() Doc {
	var b strings.Builder
	b.WriteString("2021年门头沟区支援合作项目计划表\n\n")
	for range 100 {
		b.WriteString(strings.Repeat("说明", 20) + "。\n")
	}
	b.WriteString("\n")
	b.WriteString(tableHeader)
	b.WriteString("|一|内蒙古武川县（1个）||||10|5||\n")
	b.WriteString("|1|项目\x00一|新建|建设|10|5|区农业农村局|\n")
	return Doc{Name: "2021年门头沟区支援合作项目计划表-空字符.md", Data: []byte(b.String())}
}

// Line is the line of the document's first NUL byte, or 0.
func (d Doc) Line() int {
	i := bytes.IndexByte(d.Data, 0)
	if i < 0 {
		return 0
	}
	return bytes.Count(d.Data[:i], []byte("\n")) + 1
}

// NULCSV is NUL as a CSV project table, the NUL on line 4.
func NULCSV() Doc {
	return Doc{Name: "2021年门头沟区支援合作项目计划表-空字符.csv", Data: []byte("2021年门头沟区支援合作项目计划表\n" + csvHeader +
		"一,内蒙古武川县,,,,,,\n1,项目\x00一,新建,建设,10,5,1,区农业农村局\n")}
}

// WideTable is a Markdown project table at the reader's bounds: rows rows of cols columns of
// about cellBytes bytes each, every figure valid (the most a document may make the reader hold).
func WideTable(rows, cols, cellBytes int) Doc {
	var b strings.Builder
	b.WriteString("2021年门头沟区支援合作项目计划表\n\n")
	b.WriteString("| 序号 | 项目名称 | 建设性质 | 建设内容 | 项目总投资 | 区级帮扶资金 | 项目实施单位 |")
	for i := 7; i < cols; i++ {
		fmt.Fprintf(&b, " 备用%d |", i)
	}
	b.WriteString("\n|---|\n|一|内蒙古武川县||||||\n")
	fill := strings.Repeat("建", max(1, cellBytes/3))
	for i := 1; i < rows; i++ {
		fmt.Fprintf(&b, "|%d|项目%d%s|新建|%s|10|5|区农业农村局|", i, i, fill, fill)
		for j := 7; j < cols; j++ {
			b.WriteString(fill + "|")
		}
		b.WriteString("\n")
	}
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%d行%d列.md", rows, cols), Data: []byte(b.String())}
}

// SharedStrings is a workbook whose shared string table is n one-character strings (17 bytes
// of XML each, which excelize holds parsed at many times that), and whose sheet uses each once,
// cols to a row.
func SharedStrings(n, cols int) (Doc, error) {
	data, err := workbookWith(func(zw *zip.Writer) error {
		w, err := zw.Create("xl/sharedStrings.xml")
		if err != nil {
			return err
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, n, n)
		for range n {
			b.WriteString("<si><t>a</t></si>")
		}
		b.WriteString("</sst>")
		if _, err := w.Write(b.Bytes()); err != nil {
			return err
		}
		b.Reset()
		if w, err = zw.Create("xl/worksheets/sheet1.xml"); err != nil {
			return err
		}
		b.WriteString(sheetHead)
		for i := 0; i < n; {
			b.WriteString("<row>")
			for j := 0; j < cols && i < n; j, i = j+1, i+1 {
				fmt.Fprintf(&b, `<c t="s"><v>%d</v></c>`, i)
			}
			b.WriteString("</row>")
		}
		b.WriteString(sheetTail)
		_, err = w.Write(b.Bytes())
		return err
	})
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%d个共享文本.xlsx", n), Data: data}, err
}

// Escapes is a workbook of n escaped characters (_x0041_, "A"), 1,000 to a cell, one cell to a
// row: excelize unescapes a string by appending to it one escape at a time, so its cost grows
// with the square of the escapes in one string (80,000 in one cell took 8 s).
func Escapes(n int) (Doc, error) {
	var b strings.Builder
	for left := n; left > 0; left -= 1000 {
		b.WriteString(`<row><c t="inlineStr"><is><t>` + strings.Repeat("_x0041_", min(left, 1000)) + `</t></is></c></row>`)
	}
	return sheetOf(b.String(), fmt.Sprintf("%d个转义", n))
}

// LongCell is a workbook whose one cell is n letters.
func LongCell(n int) (Doc, error) {
	return sheetOf(`<row><c t="inlineStr"><is><t>`+strings.Repeat("a", n)+`</t></is></c></row>`, fmt.Sprintf("%d字节的单元格", n))
}

func sheetOf(rows, what string) (Doc, error) {
	data, err := workbookWith(func(zw *zip.Writer) error {
		w, err := zw.Create("xl/worksheets/sheet1.xml")
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(sheetHead + rows + sheetTail))
		return err
	})
	return Doc{Name: "2021年门头沟区支援合作项目计划表-" + what + ".xlsx", Data: data}, err
}

// part is one file of a workbook.
type part struct{ name, text string }

// workbookOf writes a workbook of the standard parts, where parts of the same name replace
// them, and the other parts added.
func workbookOf(parts []part, raw func(*zip.Writer) error) ([]byte, error) {
	base := []part{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"xl/workbook.xml", workbook},
		{"xl/_rels/workbook.xml.rels", workbookRels},
	}
	for _, p := range parts {
		replaced := false
		for i := range base {
			if base[i].name == p.name {
				base[i], replaced = p, true
			}
		}
		if !replaced {
			base = append(base, p)
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range base {
		w, err := zw.Create(p.name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p.text)); err != nil {
			return nil, err
		}
	}
	if raw != nil {
		if err := raw(zw); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// taskSheet is a task list's sheet: its header, rows rows of tasks, then the merges.
func taskSheet(rows int, merges []string) string {
	var b strings.Builder
	b.WriteString(sheetHead)
	b.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>工作事项</t></is></c><c r="B1" t="inlineStr"><is><t>任务内容</t></is></c><c r="C1" t="inlineStr"><is><t>完成时限</t></is></c></row>`)
	for i := 2; i <= rows+1; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="B%d" t="inlineStr"><is><t>任务%d</t></is></c></row>`, i, i, i)
	}
	b.WriteString(`</sheetData><mergeCells count="` + fmt.Sprint(len(merges)) + `">`)
	for _, m := range merges {
		b.WriteString(`<mergeCell ref="` + m + `"/>`)
	}
	b.WriteString(`</mergeCells></worksheet>`)
	return b.String()
}

// Merges is a task list whose column A has n merged ranges of span rows each, one under the
// other: excelize's GetMergeCells checks every pair of ranges for overlap (50,000 two-row merges,
// 256 KB, took 102 s).
func Merges(n, span int) (Doc, error) {
	merges := make([]string, n)
	for i := range merges {
		merges[i] = fmt.Sprintf("A%d:A%d", 2+i*span, 1+(i+1)*span)
	}
	data, err := workbookOf([]part{{"xl/worksheets/sheet1.xml", taskSheet(min(n*span, 100), merges)}}, nil)
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作工作要点-%d处合并.xlsx", n), Data: data}, err
}

// TallMerges is a task list with n merged ranges each spanning a column from row 2 to the last
// row of a worksheet: filling one down visited each of its million rows (1,000 of them, 6.8 KB,
// took 7.8 s).
func TallMerges(n int) (Doc, error) {
	merges := make([]string, n)
	for i := range merges {
		merges[i] = fmt.Sprintf("C%d:C1048576", 2+i%50)
	}
	data, err := workbookOf([]part{{"xl/worksheets/sheet1.xml", taskSheet(50, merges)}}, nil)
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作工作要点-%d处整列合并.xlsx", n), Data: data}, err
}

// SharedSheet is a workbook whose entries sheet entries all point at one sheet of merges merged
// ranges: excelize reads the part once per entry (300 merges under 50 entries took 529 s).
func SharedSheet(entries, merges int) (Doc, error) {
	var wb strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	for i := 1; i <= entries; i++ {
		fmt.Fprintf(&wb, `<sheet name="任务%d" sheetId="%d" r:id="rId1"/>`, i, i)
	}
	wb.WriteString(`</sheets></workbook>`)
	ms := make([]string, merges)
	for i := range ms {
		ms[i] = fmt.Sprintf("A%d:A%d", 2+2*i, 3+2*i)
	}
	data, err := workbookOf([]part{{"xl/workbook.xml", wb.String()}, {"xl/worksheets/sheet1.xml", taskSheet(100, ms)}}, nil)
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作工作要点-%d个表项.xlsx", entries), Data: data}, err
}

// bombPart writes a part of about size bytes, unit repeated between head and tail, as raw
// deflate made by hand (cheap to make whatever its size), its true size in the directory.
func bombPart(zw *zip.Writer, name, head, unit, tail string, size int64) error {
	const chunk = 1 << 20
	one := []byte(strings.Repeat(unit, max(1, chunk/len(unit))))
	n := max(1, (size-int64(len(head)+len(tail)))/int64(len(one)))
	var comp bytes.Buffer
	comp.Write(deflated([]byte(head), false))
	block := deflated(one, false)
	crc := crc32.Update(0, crc32.IEEETable, []byte(head))
	for range n {
		comp.Write(block)
		crc = crc32.Update(crc, crc32.IEEETable, one)
	}
	comp.Write(deflated([]byte(tail), true))
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64:   uint64(comp.Len()),
		UncompressedSize64: uint64(len(head)+len(tail)) + uint64(n)*uint64(len(one)),
	})
	if err != nil {
		return err
	}
	_, err = w.Write(comp.Bytes())
	return err
}

const oneRow = `<row r="1"><c r="A1" t="inlineStr"><is><t>1</t></is></c></row>`

// StylesBomb is a workbook whose styles.xml inflates to about size bytes of cell formats
// (60 MB in a 163 KB workbook made excelize take 1.46 GB).
func StylesBomb(size int64) (Doc, error) {
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`
	data, err := workbookOf([]part{{"xl/_rels/workbook.xml.rels", rels}, {"xl/worksheets/sheet1.xml", sheetHead + oneRow + sheetTail}}, func(zw *zip.Writer) error {
		return bombPart(zw, "xl/styles.xml",
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>`,
			`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`, `</cellXfs></styleSheet>`, size)
	})
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%dMB样式.xlsx", size>>20), Data: data}, err
}

// DrawingBomb is a workbook whose sheet's drawing inflates to about size bytes (60 MB made
// excelize hold 204 MB).
func DrawingBomb(size int64) (Doc, error) {
	sheet := sheetHead + oneRow + `</sheetData><drawing r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></worksheet>`
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/></Relationships>`
	data, err := workbookOf([]part{{"xl/worksheets/sheet1.xml", sheet}, {"xl/worksheets/_rels/sheet1.xml.rels", rels}}, func(zw *zip.Writer) error {
		return bombPart(zw, "xl/drawings/drawing1.xml",
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">`,
			`<xdr:absoluteAnchor><xdr:pos x="0" y="0"/><xdr:ext cx="1" cy="1"/><xdr:clientData/></xdr:absoluteAnchor>`, `</xdr:wsDr>`, size)
	})
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%dMB图形.xlsx", size>>20), Data: data}, err
}

// XFDRows is a workbook whose sheet has rows rows of one cell in column XFD, the last column,
// holding value (a space, or nothing): each row is read, and with a space as 16,384 cells; none
// was counted, as empty (a million took 22 s).
func XFDRows(rows int, value string) (Doc, error) {
	data, err := workbookOf(nil, func(zw *zip.Writer) error {
		return streamSheet(zw, rows, func(b *bytes.Buffer, i int) {
			if value == "" {
				fmt.Fprintf(b, `<row r="%d"><c r="XFD%d"/></row>`, i, i)
			} else {
				fmt.Fprintf(b, `<row r="%d"><c r="XFD%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c></row>`, i, i, value)
			}
		})
	})
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%d行XFD.xlsx", rows), Data: data}, err
}

// TextRows is a workbook of rows rows of one 100-letter text each: within every bound, and
// inflating past the 2 MB excelize holds in memory (to a temporary file) from 19,000 rows.
func TextRows(rows int) (Doc, error) {
	var b strings.Builder
	text := strings.Repeat("a", 100)
	for range rows {
		b.WriteString(`<row><c t="inlineStr"><is><t>` + text + `</t></is></c></row>`)
	}
	return sheetOf(b.String(), fmt.Sprintf("%d行文本", rows))
}

const stylesHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts>`

// StylesAsSheet is a workbook whose second sheet entry, "S2", has a worksheet relationship
// pointing at styles.xml, which inflates to about size bytes of fonts: the part was bound as a
// worksheet (MaxUnzipped only) while excelize still parsed it whole as the styles (60 MB in a
// 198 KB upload: 715 MB and 15 s).
func StylesAsSheet(size int64) (Doc, error) {
	wb := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="项目计划表" sheetId="1" r:id="rId1"/><sheet name="S2" sheetId="2" r:id="rId3"/></sheets></workbook>`
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="styles.xml"/></Relationships>`
	data, err := workbookOf([]part{{"xl/workbook.xml", wb}, {"xl/_rels/workbook.xml.rels", rels}, {"xl/worksheets/sheet1.xml", sheetHead + oneRow + sheetTail}}, func(zw *zip.Writer) error {
		return bombPart(zw, "xl/styles.xml", stylesHead, `<font><sz val="11"/><name val="宋体"/></font>`, `</fonts></styleSheet>`, size)
	})
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%dMB样式当工作表.xlsx", size>>20), Data: data}, err
}

// SharedStringsAt is a workbook whose shared strings relationship points at target (relative
// to xl/: "styles.xml" or "theme/theme1.xml"), a part of about size bytes that excelize parses
// whole under its own name: the relationship lifted its bound from MaxPart to MaxSharedStrings.
func SharedStringsAt(target string, size int64) (Doc, error) {
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="` + target + `"/></Relationships>`
	head, unit, tail := stylesHead, `<font><sz val="11"/><name val="宋体"/></font>`, `</fonts></styleSheet>`
	if strings.Contains(target, "theme") {
		head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office"><a:themeElements><a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri"/>`
		unit, tail = `<a:font script="Hans" typeface="宋体"/>`, `</a:majorFont></a:fontScheme></a:themeElements></a:theme>`
	}
	data, err := workbookOf([]part{{"xl/_rels/workbook.xml.rels", rels}, {"xl/worksheets/sheet1.xml", sheetHead + oneRow + sheetTail}}, func(zw *zip.Writer) error {
		return bombPart(zw, "xl/"+target, head, unit, tail, size)
	})
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作项目计划表-%dMB共享文本指向%s.xlsx", size>>20, target), Data: data}, err
}

// TwoRoles is a workbook whose sheet's part is also the target of a styles relationship.
func TwoRoles() (Doc, error) {
	rels := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="worksheets/sheet1.xml"/></Relationships>`
	data, err := workbookOf([]part{{"xl/_rels/workbook.xml.rels", rels}, {"xl/worksheets/sheet1.xml", sheetHead + oneRow + sheetTail}}, nil)
	return Doc{Name: "2021年门头沟区支援合作项目计划表-一份内容两种角色.xlsx", Data: data}, err
}
