package gen

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strings"

	"xiezuo"
)

// rowsPerPage is how many table rows or paragraphs PlanDOCX puts on a page: a page of A4 in
// landscape holds about fifty short rows of the project table.
const rowsPerPage = 50

// PlanDOCX writes p as a Word document, the document Markdown writes with its tables as real
// Word tables (one row per row, cells in paragraphs), its headings in heading styles, and a
// page break recorded every rowsPerPage blocks as Word records where it laid out its pages
// (w:lastRenderedPageBreak). Each line of the Markdown is one paragraph or one table row, so a
// problem is at the same line in both.
func PlanDOCX(p *xiezuo.Plan) ([]byte, error) {
	md := Markdown(p)
	var body bytes.Buffer
	body.Grow(len(md) * 2)
	body.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	blocks, inTable := 0, false
	run := func(text string) {
		body.WriteString(`<w:r>`)
		if blocks > 0 && blocks%rowsPerPage == 0 {
			body.WriteString(`<w:lastRenderedPageBreak/>`)
		}
		body.WriteString(`<w:t xml:space="preserve">`)
		xml.EscapeText(&body, []byte(text))
		body.WriteString(`</w:t></w:r>`)
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(md), "\n"), "\n") {
		if strings.Count(line, "\t") >= 2 {
			if !inTable {
				body.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>`)
				inTable = true
			}
			body.WriteString(`<w:tr>`)
			for _, c := range strings.Split(line, "\t") {
				body.WriteString(`<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p>`)
				if c != "" {
					run(c)
				}
				body.WriteString(`</w:p></w:tc>`)
			}
			body.WriteString(`</w:tr>`)
			blocks++
			continue
		}
		if inTable {
			body.WriteString(`</w:tbl>`)
			inTable = false
		}
		level := len(line) - len(strings.TrimLeft(line, "#"))
		body.WriteString(`<w:p>`)
		if level > 0 {
			body.WriteString(`<w:pPr><w:pStyle w:val="Heading` + string(rune('0'+min(level, 9))) + `"/></w:pPr>`)
			line = strings.TrimSpace(line[level:])
		}
		if line != "" {
			run(line)
		}
		body.WriteString(`</w:p>`)
		blocks++
	}
	if inTable {
		body.WriteString(`</w:tbl>`)
	}
	body.WriteString(`<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr></w:body></w:document>`)

	var styles strings.Builder
	styles.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>`)
	for i := 1; i <= 9; i++ {
		n := string(rune('0' + i))
		styles.WriteString(`<w:style w:type="paragraph" w:styleId="Heading` + n + `"><w:name w:val="heading ` + n + `"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="` + string(rune('0'+i-1)) + `"/></w:pPr></w:style>`)
	}
	styles.WriteString(`</w:styles>`)

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, part := range []struct{ name, text string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"word/styles.xml", styles.String()},
		{"word/document.xml", body.String()},
	} {
		w, err := zw.Create(part.name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(part.text)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
