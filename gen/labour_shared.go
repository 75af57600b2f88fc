package gen

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"
)

// WriteLabourXLSXShared writes the list as Excel and WPS save a workbook: every text cell in
// the shared strings table (xl/sharedStrings.xml), the sheet holding indexes into it. A
// million-row list has about three million unique strings (names, ID numbers, phones), the
// case that costs a reader memory. The parts are written by hand (excelize's StreamWriter
// writes inline strings); the sheet goes through a temporary file, since the table must be
// complete before the sheet is written into the zip after it.
func WriteLabourXLSXShared(path string, g LabourGen) error {
	fail := func(err error) error { return fmt.Errorf("write labour xlsx (shared strings): %w", err) }
	tmp, err := os.CreateTemp("", "xiezuo-sheet-*.xml")
	if err != nil {
		return fail(err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	sheet := bufio.NewWriterSize(tmp, 1<<20)
	index := map[string]int{}
	var table []string
	ref := func(s string) int {
		i, ok := index[s]
		if !ok {
			i = len(table)
			index[s] = i
			table = append(table, s)
		}
		return i
	}
	head := g.Header()
	writeRow := func(row int, cells []string) {
		fmt.Fprintf(sheet, `<row r="%d">`, row)
		for i, c := range cells {
			if c == "" {
				continue
			}
			name, _ := excelize.CoordinatesToCellName(i+1, row)
			fmt.Fprintf(sheet, `<c r="%s" t="s"><v>%d</v></c>`, name, ref(c))
		}
		sheet.WriteString(`</row>`)
	}
	last, _ := excelize.CoordinatesToCellName(len(head), g.Rows+LabourHeaderRows)
	fmt.Fprintf(sheet, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:%s"/><sheetData>`, last)
	writeRow(1, []string{g.Title()})
	writeRow(2, head)
	at := g.plantAt()
	err = g.Each(func(row int, cells []string) error {
		if at[row-LabourHeaderRows-1] == PlantExcel {
			cells = append([]string(nil), cells...)
			cells[idColumn] = "5.22624199001012E+17"
		}
		writeRow(row, cells)
		return nil
	})
	if err != nil {
		return fail(err)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	if err := sheet.Flush(); err != nil {
		return fail(err)
	}
	out, err := os.Create(path)
	if err != nil {
		return fail(err)
	}
	defer out.Close()
	z := zip.NewWriter(out)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
			`</Relationships>`},
	}
	for _, p := range parts {
		w, err := z.Create(p.name)
		if err == nil {
			_, err = io.WriteString(w, p.body)
		}
		if err != nil {
			return fail(err)
		}
	}
	w, err := z.Create("xl/sharedStrings.xml")
	if err != nil {
		return fail(err)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(table), len(table))
	for _, s := range table {
		bw.WriteString(`<si><t>`)
		xml.EscapeText(bw, []byte(s))
		bw.WriteString(`</t></si>`)
	}
	bw.WriteString(`</sst>`)
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	w, err = z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return fail(err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	if _, err := io.Copy(w, tmp); err != nil {
		return fail(err)
	}
	if err := z.Close(); err != nil {
		return fail(err)
	}
	return out.Close()
}
