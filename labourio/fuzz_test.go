package labourio

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/gen"
)

var (
	fuzzBaseOnce sync.Once
	fuzzBase     []byte // a workbook made by excelize, with shared strings
	fuzzBaseErr  error
)

// fuzzWorkbook writes a workbook made by excelize whose sheet1.xml is sheet, into dir.
func fuzzWorkbook(dir string, sheet []byte) (string, error) {
	fuzzBaseOnce.Do(func() {
		f := excelize.NewFile()
		defer f.Close()
		f.SetCellStr("Sheet1", "A1", "甲")
		f.SetCellStr("Sheet1", "A2", "_x0041_ 乙")
		f.SetCellStr("Sheet1", "A3", "  丙 & <丁>  ")
		f.SetCellRichText("Sheet1", "A4", []excelize.RichTextRun{{Text: "王"}, {Text: "五", Font: &excelize.Font{Bold: true}}})
		var buf bytes.Buffer
		if fuzzBaseErr = f.Write(&buf); fuzzBaseErr == nil {
			fuzzBase = buf.Bytes()
		}
	})
	if fuzzBaseErr != nil {
		return "", fuzzBaseErr
	}
	zr, err := zip.NewReader(bytes.NewReader(fuzzBase), int64(len(fuzzBase)))
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		w, err := zw.Create(e.Name)
		if err != nil {
			return "", err
		}
		if e.Name == "xl/worksheets/sheet1.xml" {
			w.Write(sheet)
			continue
		}
		rc, err := e.Open()
		if err != nil {
			return "", err
		}
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	p := filepath.Join(dir, "f.xlsx")
	return p, os.WriteFile(p, out.Bytes(), 0o600)
}

// sheetData is the text inside <sheetData> of a workbook's first sheet.
func sheetData(t testing.TB, p string) string {
	z, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, e := range z.File {
		if e.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, _ := e.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		s := string(b)
		i, j := strings.Index(s, "<sheetData>"), strings.Index(s, "</sheetData>")
		if i < 0 || j < i {
			return ""
		}
		return s[i+len("<sheetData>") : j]
	}
	return ""
}

// FuzzSheetScanner: for a sheet whose <sheetData> holds the fuzz input, the scanner and
// excelize's iterator (as openXLSX reads it, cells bounded) read the same rows, or the scanner
// refuses the file.
func FuzzSheetScanner(f *testing.F) {
	seeds := []string{
		`<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c><!-- a > <c r="B1" t="inlineStr"><is><t>隐藏</t></is></c> --></row>`,
		`<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[张三]]></t></is></c></row>`,
		`<row r="1"><c r="A1" t="b"><v>1</v></c></row>`,
		`<row r="1"><c r="A1" t="inlineStr" x="a>b"><is><t>乙</t></is></c></row>`,
		`<row r="1"><c r="c1" t="inlineStr"><is><t>丙</t></is></c></row>`,
		`<row r='1'><c r='B1' t='inlineStr'><is><t>丁</t></is></c></row>`,
		`<row r="1"><c r="A1" t="inlineStr"><is><t>&#0;戊&#xD800;</t></is></c></row>`,
		`<row r="50000000"><c r="A50000000" t="inlineStr"><is><t>x</t></is></c></row>`,
		`<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>3</v></c></row><row/><row><c><v>3.5</v></c><c t="str"><f>A1</f><v>x</v></c></row>`,
		`<row r="2"><c r="B2" t="inlineStr"><is><r><t>王</t></r><r><rPr><b/></rPr><t>五</t></r><rPh><t>ワン</t></rPh></is></c><c r="AB2"><v>&lt;&amp;&#x4E2D;</v></c></row>`,
		`<row r="3" spans="1:2"><c r="A3" s="1" t="s"><v> 2 </v></c></row><row r="7"><c r="A7" t="e"><v>#N/A</v></c></row>`,
		`<row><c t="inlineStr"><is><t xml:space="preserve">  a` + "\r\n" + `b  </t></is></c></row>`,
	}
	dir := f.TempDir()
	for i, g := range []gen.LabourGen{{List: xiezuo.ListWorkers, Rows: 6, Seed: 7, Plant: true}, {List: xiezuo.ListJobs, Rows: 4, Seed: 8}} {
		p := filepath.Join(dir, fmt.Sprintf("g%d.xlsx", i))
		if err := gen.WriteLabourXLSX(p, g); err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, sheetData(f, p))
	}
	tmpl, _ := Template(xiezuo.ListWilling)
	p := filepath.Join(dir, "t.xlsx")
	os.WriteFile(p, tmpl, 0o600)
	seeds = append(seeds, sheetData(f, p))
	for _, s := range seeds {
		f.Add(s)
	}
	// The shared strings after the first (甲) are read from the table's file.
	defer func(n int) { sharedInMemory = n }(sharedInMemory)
	sharedInMemory = len("甲")
	f.Fuzz(func(t *testing.T, data string) {
		if len(data) > 64<<10 {
			t.Skip()
		}
		// The input as the rows, as a cell's inline text and as a value with a shared string:
		// the second and third try the text's entities, characters and CDATA in depth.
		for _, body := range []string{
			data,
			`<row r="2"><c r="B2" t="inlineStr"><is><t>` + data + `</t></is></c><c r="C2" t="s"><v>1</v></c></row>`,
			`<row><c><v>` + data + `</v></c><c t="s"><v>0</v></c></row>`,
		} {
			checkScanner(t, body)
		}
	})
}

// checkScanner checks that the scanner reads a sheet whose <sheetData> holds body as excelize
// does, or refuses it.
func checkScanner(t *testing.T, data string) {
	{
		sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + ns + data + `</sheetData></worksheet>`
		p, err := fuzzWorkbook(t.TempDir(), []byte(sheet))
		if err != nil {
			t.Fatal(err)
		}
		// A read that does not end is a failure too (the fuzzer does not time executions out).
		type read struct {
			rows map[int][]string
			err  error
		}
		done := make(chan read, 1)
		go func() {
			rows, err := scanAll(p)
			done <- read{rows, err}
		}()
		var r read
		select {
		case r = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("the scanner did not end\nsheet: %q", data)
		}
		got, err := r.rows, r.err
		if os.Getenv("FUZZ_DEBUG") != "" {
			t.Logf("scanner %v %v", flat(got), err)
		}
		if err != nil {
			if !strings.Contains(err.Error(), "无法读取") && !strings.Contains(err.Error(), "工作表过大") {
				t.Fatalf("scanner refused with %q, want a message that says 无法读取 or 工作表过大", err)
			}
			return
		}
		go func() {
			rows, err := excelizeAll(p, t.TempDir())
			done <- read{rows, err}
		}()
		select {
		case r = <-done:
		case <-time.After(20 * time.Second):
			t.Skipf("excelize did not end (the scanner read %v)", flat(got))
		}
		want, xerr := r.rows, r.err
		if xerr != nil {
			t.Fatalf("scanner read %v, excelize refused: %v\nsheet: %q", got, xerr, data)
		}
		if g, w := fmt.Sprintf("%q", flat(got)), fmt.Sprintf("%q", flat(want)); g != w {
			t.Fatalf("scanner read %s, excelize %s\nsheet: %q", g, w, data)
		}
	}
}

// flat lists rows in order as "row: cells".
func flat(m map[int][]string) []string {
	var out []string
	for r := 1; len(out) < len(m) && r <= MaxSheetRow; r++ {
		if c, ok := m[r]; ok {
			out = append(out, fmt.Sprintf("%d: %q", r, c))
		}
	}
	return out
}
