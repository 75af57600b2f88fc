package plandoc

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"xiezuo/gen/hostile"
)

// FuzzDOCX feeds the Word reader damaged documents: a whole .docx (input starting with PK), or
// else the body of one (word/document.xml) beside fixed styles, numbering and footnotes. It must
// never panic, every line must be a body block within the bounds, what it writes out is bound by
// what it read, and every problem names a line it wrote.
// Run it for minutes with: go test ./plandoc -run XXX -fuzz FuzzDOCX -fuzztime 5m
func FuzzDOCX(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(docxDir, "*.docx"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		if len(data) < 8<<10 {
			f.Add(data)
		}
		// The body alone, cut to a size the mutator can work on.
		if body := zipPart(data, "word/document.xml"); body != nil {
			f.Add(body[:min(len(body), 6<<10)])
		}
	}
	f.Add([]byte(hostile.DocxHead + numbered("1", 0, "甲") + numbered("1", 1, "乙") + numbered("4", 0, "丙") + hostile.DocxTail))
	f.Add([]byte(hostile.DocxHead + `<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/><w:vMerge/></w:tcPr><w:p><w:r><w:t>甲</w:t><w:br/><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` + hostile.DocxTail))
	f.Add([]byte(hostile.DocxHead + `<w:p><w:r><w:t>锚</w:t><w:footnoteReference w:id="1"/></w:r><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p/></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>` + hostile.DocxTail))
	f.Add([]byte(hostile.DocxHead + `<w:p><w:ins><w:r><w:t>&lt;&#x4E00;&amp;</w:t></w:r></w:ins><w:del><w:r><w:delText>x</w:delText></w:r></w:del><![CDATA[&x]]><!-- c --></w:p>` + hostile.DocxTail))
	f.Fuzz(func(t *testing.T, in []byte) {
		data := in
		if !bytes.HasPrefix(in, []byte("PK")) {
			var err error
			data, err = hostile.DocxWith(map[string]string{
				"word/document.xml":  string(in),
				"word/numbering.xml": numberingXML,
				"word/styles.xml":    stylesXML,
				"word/footnotes.xml": footnotes,
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
		}
		lines, err := readDOCX(data, &budget{ctx: context.Background()})
		if err != nil {
			if msg := err.Error(); !utf8.ValidString(msg) {
				t.Errorf("refusal is not UTF-8: %q", msg)
			}
			return
		}
		out := 0
		prev := 0
		for _, l := range lines {
			if l.line < prev || l.line < 1 || l.line > MaxLines {
				t.Fatalf("line %d after %d", l.line, prev)
			}
			prev = l.line
			out += len(l.text) + 16*len(l.cells)
			for _, c := range l.cells {
				out += len(c)
			}
			if !utf8.ValidString(l.where) {
				t.Errorf("where %q is not UTF-8", l.where)
			}
		}
		if out > 64*len(data)+1<<20 {
			t.Errorf("%d bytes written out of a %d-byte document", out, len(data))
		}
		res, err := Parse("fuzz.docx", data)
		if err != nil {
			if msg := err.Error(); !utf8.ValidString(msg) {
				t.Errorf("refusal is not UTF-8: %q", msg)
			}
			return
		}
		for _, p := range append(res.Errors, res.Warnings...) {
			if p.Line < 1 || (p.Line > prev && p.Line != 1) {
				t.Errorf("problem at line %d of a %d-block document: %s", p.Line, prev, p.Message)
			}
		}
	})
}

// zipPart returns a part of a zip, or nil.
func zipPart(data []byte, name string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	for _, zf := range zr.File {
		if strings.EqualFold(zf.Name, name) {
			rc, err := zf.Open()
			if err != nil {
				return nil
			}
			defer rc.Close()
			b, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
			return b
		}
	}
	return nil
}
