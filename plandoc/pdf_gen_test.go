package plandoc

import (
	"context"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The PDF fixtures of testdata/pdf are made from the text plans by LibreOffice: each plan is
// written as HTML (headings, paragraphs, its tables as real tables, the header row repeated
// on each page) and printed to PDF. TestRegenPDF rewrites them when XIEZUO_REGEN_PDF=1.

var (
	reMDHeading = regexp.MustCompile(`^(#{1,6})\s*(.*)$`)
	reMDBold    = regexp.MustCompile(`\*\*(.*?)\*\*`)
	reMDTag     = regexp.MustCompile(`(?i)</?(b|strong|sup|sub|i|em)>`)
)

// planHTML writes a plan in Markdown or text as an HTML page for LibreOffice: # headings as
// headings, tab-separated or pipe rows as tables (a row equal to the table's header, left by a
// page break of the text, is dropped: the header is repeated on each page by the PDF itself),
// other lines as paragraphs. landscape prints the pages across.
func planHTML(md string, landscape bool) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><style>\n")
	if landscape {
		b.WriteString("@page { size: 29.7cm 21cm; margin: 2cm }\n")
	} else {
		b.WriteString("@page { size: 21cm 29.7cm; margin: 2cm }\n")
	}
	b.WriteString("body { font-family: 'LXGW WenKai', 'WenQuanYi Zen Hei'; font-size: 12pt }\n")
	b.WriteString("td, th { font-size: 8pt; vertical-align: top }\n")
	b.WriteString("</style></head><body>\n")
	var header []string
	inTable := false
	closeTable := func() {
		if inTable {
			b.WriteString("</tbody></table>\n")
			inTable = false
			header = nil
		}
	}
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if t == "" {
			// A blank line inside a table (a page break of the text) does not end it.
			if inTable && nextIsRow(lines[i+1:]) {
				continue
			}
			closeTable()
			continue
		}
		cells, ok := tableCells(raw)
		if ok {
			if cells == nil {
				continue // |---|
			}
			cells = rawCells(raw)
			if !inTable {
				b.WriteString("<table border=\"1\" cellspacing=\"0\" cellpadding=\"2\" width=\"100%\"><thead><tr>")
				for _, c := range cells {
					fmt.Fprintf(&b, "<th valign=\"top\">%s</th>", inlineHTML(c))
				}
				b.WriteString("</tr></thead><tbody>\n")
				header, inTable = cells, true
				continue
			}
			if strings.Join(cells, "|") == strings.Join(header, "|") {
				continue
			}
			b.WriteString("<tr>")
			for k := 0; k < len(header) || k < len(cells); k++ {
				c := ""
				if k < len(cells) {
					c = cells[k]
				}
				fmt.Fprintf(&b, "<td valign=\"top\">%s</td>", inlineHTML(c))
			}
			b.WriteString("</tr>\n")
			continue
		}
		closeTable()
		if m := reMDHeading.FindStringSubmatch(t); m != nil {
			// Headings as bold paragraphs of their size: LibreOffice's HTML import puts a
			// page break before a first <h1>.
			size := []int{18, 16, 14, 13, 12, 12}[len(m[1])-1]
			fmt.Fprintf(&b, "<p style=\"font-size: %dpt\"><b>%s</b></p>\n", size, inlineHTML(m[2]))
			continue
		}
		t = strings.TrimPrefix(t, "- ")
		fmt.Fprintf(&b, "<p>%s</p>\n", inlineHTML(t))
	}
	closeTable()
	b.WriteString("</body></html>\n")
	return b.String()
}

// rawCells splits a row as tableCells does, keeping the inline marks (bold, superscripts).
func rawCells(raw string) []string {
	t := strings.TrimSpace(raw)
	if strings.HasPrefix(t, "|") {
		t = strings.TrimSuffix(strings.TrimPrefix(t, "|"), "|")
		parts := strings.Split(t, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	parts := strings.Split(raw, "\t")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

func nextIsRow(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		_, ok := tableCells(l)
		return ok
	}
	return false
}

// inlineHTML escapes text, keeping the few inline tags the plans hold and turning **bold**
// into <b>.
func inlineHTML(s string) string {
	var tags []string
	s = reMDTag.ReplaceAllStringFunc(s, func(tag string) string {
		tags = append(tags, strings.ToLower(tag))
		return fmt.Sprintf("\x00%d\x00", len(tags)-1)
	})
	s = html.EscapeString(s)
	s = reMDBold.ReplaceAllString(s, "<b>$1</b>")
	for i, tag := range tags {
		s = strings.Replace(s, fmt.Sprintf("\x00%d\x00", i), tag, 1)
	}
	return s
}

// sofficePDF prints an HTML page to PDF with LibreOffice, in a profile of its own so parallel
// runs do not collide, within two minutes.
func sofficePDF(t *testing.T, htmlText string) []byte {
	t.Helper()
	return sofficePDFFilter(t, htmlText, "pdf:writer_pdf_Export")
}

// sofficePDFFilter is sofficePDF with the export filter (and its options) given.
func sofficePDFFilter(t *testing.T, htmlText, filter string) []byte {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	dir := t.TempDir()
	ext := ".html"
	if strings.HasPrefix(htmlText, "<?xml") {
		ext = ".fodt"
	}
	src := filepath.Join(dir, "plan"+ext)
	if err := os.WriteFile(src, []byte(htmlText), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", filter, "--outdir", dir, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "plan.pdf"))
	if err != nil {
		t.Fatalf("soffice wrote no PDF: %v", err)
	}
	return data
}

// TestDumpPDF prints the lines the PDF reader rebuilds from a PDF and the problems found, to
// look into a PDF that reads wrong: XIEZUO_PDF_DUMP=plan.pdf go test ./plandoc -run TestDumpPDF -v
func TestDumpPDF(t *testing.T) {
	src := os.Getenv("XIEZUO_PDF_DUMP")
	if src == "" {
		t.Skip()
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := readPDF(context.Background(), data, &budget{ctx: context.Background()})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.cells != nil {
			fmt.Printf("%d p%d ROW %q\n", l.line, l.page, l.cells)
		} else {
			fmt.Printf("%d p%d %s\n", l.line, l.page, l.text)
		}
	}
	r, err := Parse(src, data)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Summary()
	fmt.Println(s.Year, s.District, s.WorkPoints, s.WorkTeams, s.Tasks, s.Projects, s.Regions)
	for _, p := range s.Errors {
		fmt.Println("ERR", p)
	}
	for _, p := range s.Warnings {
		fmt.Println("WARN", p)
	}
}

// reCellPoint is where a point 2. 3. … starts inside a cell: the paragraph breaks of a cell
// written as paragraphs.
var reCellPoint = regexp.MustCompile(`\s\d{1,2}\.\s`)

var reMDInlineTag = regexp.MustCompile(`(?i)</?(strong|sup|sub|i|em)>`)

// planFODT writes a plan as a LibreOffice flat document laid out as offices print their
// documents (公文): justified paragraphs with a first-line indent of two characters, a running
// header and a page number “- N -” at the foot of each page, the attachments on landscape
// pages, tables with their header row repeated on each page and rows split at page breaks;
// with cellParagraphs, the points 1. 2. … of a cell are paragraphs of their own.
func planFODT(md, running string, cellParagraphs bool) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="WenKai" svg:font-family="'WenQuanYi Zen Hei'"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:text-align="justify" style:punctuation-wrap="simple"/><style:text-properties style:font-name="WenKai" style:font-name-asian="WenKai" fo:font-size="14pt" style:font-size-asian="14pt"/></style:default-style>
</office:styles>
<office:automatic-styles>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-indent="28pt" fo:text-align="justify" fo:margin-top="0pt" fo:margin-bottom="0pt" fo:line-height="26pt" style:punctuation-wrap="simple"/></style:style>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="12pt"/><style:text-properties fo:font-size="20pt" style:font-size-asian="20pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="Head" style:family="paragraph"><style:paragraph-properties fo:text-indent="28pt" fo:line-height="26pt"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="Annex" style:family="paragraph" style:master-page-name="Across"><style:paragraph-properties fo:text-align="start"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="Cell" style:family="paragraph"><style:paragraph-properties fo:text-align="start" fo:text-indent="0pt"/><style:text-properties fo:font-size="9pt" style:font-size-asian="9pt"/></style:style>
<style:style style:name="Small" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="10pt" style:font-size-asian="10pt"/></style:style>
<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="25.7cm" table:align="margins"/></style:style>
<style:style style:name="TC" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.08cm" style:vertical-align="top"/></style:style>
<style:page-layout style:name="Down"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.6cm" fo:margin-right="2.6cm" style:print-orientation="portrait"/><style:header-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.5cm"/></style:footer-style></style:page-layout>
<style:page-layout style:name="AcrossL"><style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm" style:print-orientation="landscape"/><style:header-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.5cm"/></style:footer-style></style:page-layout>
</office:automatic-styles>
<office:master-styles>
`)
	for _, m := range []struct{ name, layout string }{{"Standard", "Down"}, {"Across", "AcrossL"}} {
		fmt.Fprintf(&b, `<style:master-page style:name="%s" style:page-layout-name="%s"><style:header><text:p text:style-name="Small">%s</text:p></style:header><style:footer><text:p text:style-name="Small">- <text:page-number text:select-page="current">1</text:page-number> -</text:p></style:footer></style:master-page>`+"\n", m.name, m.layout, html.EscapeString(running))
	}
	b.WriteString("</office:master-styles>\n<office:body><office:text>\n")
	inline := func(s string) string {
		s = reMDInlineTag.ReplaceAllString(s, "")
		s = strings.NewReplacer("<b>", "**", "</b>", "**", "<B>", "**", "</B>", "**").Replace(s)
		s = html.EscapeString(s)
		return reMDBold.ReplaceAllString(s, `<text:span text:style-name="B">$1</text:span>`)
	}
	var header []string
	inTable := false
	closeTable := func() {
		if inTable {
			b.WriteString("</table:table>\n")
			inTable, header = false, nil
		}
	}
	row := func(cells []string, n int) {
		b.WriteString("<table:table-row>")
		for k := 0; k < n; k++ {
			c := ""
			if k < len(cells) {
				c = cells[k]
			}
			// Points 1. 2. … of a cell as paragraphs of their own, as Word users write them.
			var ps strings.Builder
			parts := []string{c}
			if cellParagraphs {
				parts = nil
				start := 0
				for _, m := range reCellPoint.FindAllStringIndex(c, -1) {
					parts = append(parts, c[start:m[0]])
					start = m[0]
				}
				parts = append(parts, c[start:])
			}
			for _, part := range parts {
				fmt.Fprintf(&ps, `<text:p text:style-name="Cell">%s</text:p>`, inline(strings.TrimSpace(part)))
			}
			fmt.Fprintf(&b, `<table:table-cell table:style-name="TC" office:value-type="string">%s</table:table-cell>`, ps.String())
		}
		b.WriteString("</table:table-row>\n")
	}
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	annex := false
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if t == "" {
			if inTable && nextIsRow(lines[i+1:]) {
				continue
			}
			closeTable()
			continue
		}
		if cells, ok := tableCells(raw); ok {
			if cells == nil {
				continue
			}
			cells = rawCells(raw)
			if !inTable {
				fmt.Fprintf(&b, `<table:table table:name="T%d" table:style-name="Tbl"><table:table-column table:number-columns-repeated="%d"/><table:table-header-rows>`, i, len(cells))
				row(cells, len(cells))
				b.WriteString("</table:table-header-rows>\n")
				header, inTable = cells, true
				continue
			}
			if strings.Join(cells, "|") == strings.Join(header, "|") {
				continue
			}
			row(cells, len(header))
			continue
		}
		closeTable()
		style := "Body"
		if m := reMDHeading.FindStringSubmatch(t); m != nil {
			t = m[2]
			style = "Head"
			if len(m[1]) <= 2 {
				style = "Title"
			}
		}
		t = strings.TrimPrefix(t, "- ")
		if !annex && reAttachHeading.MatchString(squeeze(cleanInline(t))) && !reAttachList.MatchString(squeeze(cleanInline(t))) {
			style, annex = "Annex", true
		}
		fmt.Fprintf(&b, "<text:p text:style-name=\"%s\">%s</text:p>\n", style, inline(t))
	}
	closeTable()
	b.WriteString("</office:text></office:body></office:document>\n")
	return b.String()
}
