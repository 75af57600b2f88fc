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
	src := filepath.Join(dir, "plan.html")
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

func TestDumpPDFDebug(t *testing.T) {
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
}
