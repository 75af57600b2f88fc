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

// ManyRows is a workbook whose sheet has rows rows of one number each (1,048,576 is
// every row a worksheet can have).
func ManyRows(rows int) (Doc, error) {
	data, err := workbookWith(func(zw *zip.Writer) error {
		w, err := zw.Create("xl/worksheets/sheet1.xml")
		if err != nil {
			return err
		}
		var b bytes.Buffer
		b.WriteString(sheetHead)
		for i := 1; i <= rows; i++ {
			// Rows and cells without references are numbered in order, as Excel reads them.
			b.WriteString(`<row><c><v>1</v></c></row>`)
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
