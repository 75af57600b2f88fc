package hostile

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
)

// The hostile Word documents (issue 11): a body inflating past its bound, a billion laughs, a
// 10,000-level nesting, millions of empty paragraphs.

const (
	docxTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
	// DocxHead and DocxTail open and close the body of a Word document.
	DocxHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>`
	DocxTail = `</w:body></w:document>`
)

// DocxWith writes a Word document of the given parts (name → text) beside its content types and
// relationships; body, when not nil, writes word/document.xml itself.
func DocxWith(parts map[string]string, body func(*zip.Writer) error) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	all := map[string]string{"[Content_Types].xml": docxTypes, "_rels/.rels": docxRels}
	for k, v := range parts {
		all[k] = v
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels"} {
		if err := writePart(zw, name, all[name]); err != nil {
			return nil, err
		}
		delete(all, name)
	}
	for name, text := range all {
		if err := writePart(zw, name, text); err != nil {
			return nil, err
		}
	}
	if body != nil {
		if err := body(zw); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writePart(zw *zip.Writer, name, text string) error {
	w, err := zw.Create(name)
	if err != nil {
		return err
	}
	_, err = w.Write([]byte(text))
	return err
}

// DocxBomb is a Word document of about 1 KB per MB whose body inflates to about inflated bytes
// of paragraphs, its true size in the zip's directory.
func DocxBomb(inflated int64) (Doc, error) {
	data, err := DocxWith(nil, func(zw *zip.Writer) error {
		return bombPart(zw, "word/document.xml", DocxHead, `<w:p><w:r><w:t>支援合作</w:t></w:r></w:p>`, DocxTail, inflated)
	})
	return Doc{Name: "2021年门头沟区支援合作工作要点-解压炸弹.docx", Data: data}, err
}

// DocxLaughs is the billion laughs: a DOCTYPE whose entities expand to 10⁹ copies of a word.
func DocxLaughs() (Doc, error) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<!DOCTYPE w:document [` + "\n" + `<!ENTITY lol "lol">` + "\n")
	for i := 1; i <= 9; i++ {
		prev := "lol"
		if i > 1 {
			prev = fmt.Sprintf("lol%d", i-1)
		}
		b.WriteString(fmt.Sprintf(`<!ENTITY lol%d "%s">`+"\n", i, strings.Repeat("&"+prev+";", 10)))
	}
	b.WriteString(`]>` + "\n" + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`)
	data, err := DocxWith(map[string]string{"word/document.xml": b.String()}, nil)
	return Doc{Name: "2021年门头沟区支援合作工作要点-实体炸弹.docx", Data: data}, err
}

// DocxNesting is a Word document whose body nests depth elements in one another.
func DocxNesting(depth int) (Doc, error) {
	body := DocxHead + "<w:p>" + strings.Repeat("<w:ins>", depth) + "<w:r><w:t>深</w:t></w:r>" + strings.Repeat("</w:ins>", depth) + "</w:p>" + DocxTail
	data, err := DocxWith(map[string]string{"word/document.xml": body}, nil)
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作工作要点-%d层嵌套.docx", depth), Data: data}, err
}

// DocxParagraphs is a Word document of n empty paragraphs (six bytes each).
func DocxParagraphs(n int) (Doc, error) {
	data, err := DocxWith(nil, func(zw *zip.Writer) error {
		return bombPart(zw, "word/document.xml", DocxHead, `<w:p/>`, DocxTail, int64(n)*6)
	})
	return Doc{Name: fmt.Sprintf("2021年门头沟区支援合作工作要点-%d个空段.docx", n), Data: data}, err
}
