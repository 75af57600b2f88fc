package labourio

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"xiezuo"
	"xiezuo/gen"
)

// collect is a sink that keeps what it is given.
type collect struct {
	rows     []int
	people   map[string]int // ID number → row
	jobs     int
	progress int
	refuse   map[int]string // rows Add refuses, with the problem
	unplaced []string       // people whose home was not resolved to a village of a partner region
}

func (c *collect) Add(_ context.Context, row int, rec xiezuo.LabourRecord) (string, error) {
	if p, ok := c.refuse[row]; ok {
		return p, nil
	}
	c.rows = append(c.rows, row)
	if rec.Person != nil {
		if c.people == nil {
			c.people = map[string]int{}
		}
		c.people[rec.Person.IDNumber] = row
		if p := rec.Person; p.Region == "" || len(p.HomeCode) != 12 {
			c.unplaced = append(c.unplaced, p.HomeCode+" "+p.HomeName+" "+p.Region)
		}
	}
	if rec.Job != nil {
		c.jobs++
	}
	return "", nil
}

func (c *collect) Progress(read, total int) { c.progress++ }

func checkFor(t *testing.T) xiezuo.LabourCheck {
	t.Helper()
	place, regionOf := Places(gen.LabourRegions())
	return xiezuo.LabourCheck{Today: xiezuo.Date{Year: 2021, Month: 6, Day: 30}, Regions: gen.LabourRegions(), Place: place, RegionOf: regionOf}
}

// writeList writes g as kind (xlsx, csv, gbk) into a temporary folder.
func writeList(t *testing.T, g gen.LabourGen, kind string) string {
	t.Helper()
	dir := t.TempDir()
	var path string
	var err error
	switch kind {
	case "xlsx":
		path = filepath.Join(dir, "list.xlsx")
		err = gen.WriteLabourXLSX(path, g)
	case "csv":
		path = filepath.Join(dir, "list.csv")
		err = gen.WriteLabourCSV(path, g, false)
	case "gbk":
		path = filepath.Join(dir, "list-gbk.csv")
		err = gen.WriteLabourCSV(path, g, true)
	}
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportPlanted(t *testing.T) {
	for _, l := range xiezuo.LabourLists {
		for _, kind := range []string{"xlsx", "csv", "gbk"} {
			t.Run(string(l)+"-"+kind, func(t *testing.T) {
				g := gen.LabourGen{List: l, Rows: 300, Seed: 3, Plant: true, Today: xiezuo.Date{Year: 2021, Month: 6, Day: 30}}
				path := writeList(t, g, kind)
				top, err := Top(path, 20)
				if err != nil {
					t.Fatal(err)
				}
				m, doubts := xiezuo.ProposeLabourMapping(l, top)
				if err := m.Check(l); err != nil {
					t.Fatalf("mapping refused: %v (doubts %q)", err, doubts)
				}
				if m.HeaderRows != gen.LabourHeaderRows {
					t.Errorf("HeaderRows = %d, want %d", m.HeaderRows, gen.LabourHeaderRows)
				}
				sink := &collect{}
				res, err := Import(context.Background(), path, l, m, checkFor(t), sink)
				if err != nil {
					t.Fatal(err)
				}
				if res.Rows != g.Rows {
					t.Errorf("Rows = %d, want %d", res.Rows, g.Rows)
				}
				planted := g.Planted()
				if len(res.Errors) != len(planted) {
					t.Errorf("%d bad rows, want %d: %+v", len(res.Errors), len(planted), res.Errors)
				}
				byRow := map[int]string{}
				for _, e := range res.Errors {
					byRow[e.Row] = e.Message
				}
				for _, p := range planted {
					msg, ok := byRow[p.Row]
					if !ok {
						t.Errorf("planted %s at row %d not reported", p.Kind, p.Row)
						continue
					}
					if !strings.Contains(msg, p.Reason) || !strings.HasPrefix(msg, "“") && p.Kind != gen.PlantDuplicate {
						t.Errorf("row %d (%s): %q, want it to hold %q", p.Row, p.Kind, msg, p.Reason)
					}
				}
				if got, want := len(sink.rows), g.Rows-len(planted); got != want {
					t.Errorf("%d rows reached the sink, want %d (every good row)", got, want)
				}
				if len(sink.unplaced) > 0 {
					t.Errorf("%d people not placed in a village of a partner region, e.g. %q", len(sink.unplaced), sink.unplaced[0])
				}
				// Nothing a message says holds an ID number whole.
				for _, e := range res.Errors {
					for id := range sink.people {
						if strings.Contains(e.Message, id) {
							t.Errorf("row %d: message holds an ID number: %q", e.Row, e.Message)
						}
					}
				}
				checkBadWorkbook(t, res, planted, g)
			})
		}
	}
}

// checkBadWorkbook reads the bad rows' workbook back: the header, each bad row's cells as
// text and its reason.
func checkBadWorkbook(t *testing.T, res Result, planted []gen.LabourPlanted, g gen.LabourGen) {
	t.Helper()
	if res.BadWorkbook == nil {
		t.Fatal("no bad rows' workbook")
	}
	f, err := excelize.OpenReader(bytes.NewReader(res.BadWorkbook))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(planted)+1 {
		t.Fatalf("bad rows' workbook has %d rows, want %d", len(rows), len(planted)+1)
	}
	head := rows[0]
	if head[len(head)-1] != ErrorColumn || head[2] != g.Header()[1] {
		t.Errorf("bad rows' header = %q", head)
	}
	for i, p := range planted {
		r := rows[i+1]
		want := g.Row(p.Row - gen.LabourHeaderRows - 1)
		if r[0] != itoa(p.Row) {
			t.Errorf("bad row %d: row number cell %q", p.Row, r[0])
		}
		if g.List != xiezuo.ListJobs && p.Kind != gen.PlantExcel && r[3] != want[2] {
			t.Errorf("bad row %d: ID cell %q, want %q as typed", p.Row, r[3], want[2])
		}
		if g.List != xiezuo.ListJobs && p.Kind == gen.PlantExcel && r[3] != "5.22624E+17" {
			t.Errorf("bad row %d: Excel-damaged ID cell %q, want 5.22624E+17 as Excel showed it", p.Row, r[3])
		}
		if !strings.Contains(r[len(r)-1], p.Reason) {
			t.Errorf("bad row %d: reason %q", p.Row, r[len(r)-1])
		}
		c, _ := excelize.CoordinatesToCellName(4, i+2)
		if s, _ := f.GetCellStyle(f.GetSheetList()[0], c); s == 0 {
			t.Errorf("bad row %d: ID cell has no text style", p.Row)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestImportCorrectedBadRows(t *testing.T) {
	// The bad rows' workbook, corrected, imports again.
	l := xiezuo.ListWorkers
	g := gen.LabourGen{List: l, Rows: 40, Seed: 9, Plant: true}
	path := writeList(t, g, "xlsx")
	top, _ := Top(path, 20)
	m, _ := xiezuo.ProposeLabourMapping(l, top)
	res, err := Import(context.Background(), path, l, m, checkFor(t), &collect{})
	if err != nil || res.BadWorkbook == nil {
		t.Fatalf("Import = %v, %v", res.Errors, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.xlsx")
	f, err := excelize.OpenReader(bytes.NewReader(res.BadWorkbook))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	rows, _ := f.GetRows(sheet)
	// Correct each row by the generator's clean row of the same index.
	clean := g
	clean.Plant = false
	for i := 1; i < len(rows); i++ {
		var n int
		for _, c := range rows[i][0] {
			n = n*10 + int(c-'0')
		}
		want := clean.Row(n - gen.LabourHeaderRows - 1)
		for j, v := range want {
			c, _ := excelize.CoordinatesToCellName(j+2, i+1)
			f.SetCellStr(sheet, c, v)
		}
	}
	if err := f.SaveAs(bad); err != nil {
		t.Fatal(err)
	}
	top, err = Top(bad, 20)
	if err != nil {
		t.Fatal(err)
	}
	m2, doubts := xiezuo.ProposeLabourMapping(l, top)
	if len(doubts) > 0 {
		t.Errorf("bad rows' workbook mapping doubts: %q", doubts)
	}
	sink := &collect{}
	res, err = Import(context.Background(), bad, l, m2, checkFor(t), sink)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 || len(sink.rows) != len(g.Planted()) {
		t.Errorf("corrected bad rows: errors %+v, %d imported, want none and %d", res.Errors, len(sink.rows), len(g.Planted()))
	}
}

func TestImportSinkProblemAndCancel(t *testing.T) {
	l := xiezuo.ListWilling
	g := gen.LabourGen{List: l, Rows: 2000, Seed: 5}
	path := writeList(t, g, "csv")
	top, _ := Top(path, 20)
	m, _ := xiezuo.ProposeLabourMapping(l, top)
	sink := &collect{refuse: map[int]string{10: "“身份证号”：已登记为另一人"}}
	res, err := Import(context.Background(), path, l, m, checkFor(t), sink)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].Row != 10 || res.Errors[0].Message != "“身份证号”：已登记为另一人" {
		t.Errorf("Errors = %+v, want row 10 from the sink", res.Errors)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Import(ctx, path, l, m, checkFor(t), &collect{}); err != context.Canceled {
		t.Errorf("Import(cancelled) = %v, want context.Canceled", err)
	}
}

func TestImportRefusesFiles(t *testing.T) {
	dir := t.TempDir()
	m := xiezuo.LabourMapping{HeaderRows: 1, Columns: []string{xiezuo.LFName, xiezuo.LFIDNumber}}
	doc := filepath.Join(dir, "list.doc")
	os.WriteFile(doc, []byte("x"), 0o644)
	broken := filepath.Join(dir, "list.xlsx")
	os.WriteFile(broken, []byte("not a zip"), 0o644)
	for _, p := range []string{doc, broken, filepath.Join(dir, "missing.csv")} {
		_, err := Import(context.Background(), p, xiezuo.ListWorkers, m, xiezuo.LabourCheck{}, &collect{})
		if xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("Import(%s) = %v, want EINVALID", filepath.Base(p), err)
		}
	}
	// The mapping is checked first.
	_, err := Import(context.Background(), doc, xiezuo.ListWorkers, xiezuo.LabourMapping{}, xiezuo.LabourCheck{}, &collect{})
	if err == nil || !strings.Contains(xiezuo.ErrorMessage(err), "缺少必填列") {
		t.Errorf("Import(empty mapping) = %v", err)
	}
}

func TestTemplate(t *testing.T) {
	for _, l := range xiezuo.LabourLists {
		b, err := Template(l)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "t.xlsx")
		os.WriteFile(path, b, 0o644)
		top, err := Top(path, 20)
		if err != nil {
			t.Fatal(err)
		}
		m, doubts := xiezuo.ProposeLabourMapping(l, top)
		if len(doubts) > 0 || m.HeaderRows != 3 {
			t.Errorf("Template(%s): mapping %+v, doubts %q", l, m, doubts)
		}
		for i, f := range TemplateFields(l) {
			if m.Columns[i] != f.Key {
				t.Errorf("Template(%s): column %d read as %q, want %q", l, i+1, m.Columns[i], f.Key)
			}
		}
	}
}

func TestPlaces(t *testing.T) {
	place, regionOf := Places(gen.LabourRegions())
	tests := []struct {
		county, town, village string
		wantPrefix, problem   string
	}{
		{"150125", "", "", "150125", ""},
		{"内蒙古自治区呼和浩特市武川县可可以力更镇", "", "", "150125100", ""},
		{"武川县", "可可以力更镇", "", "150125100", ""},
		{"武川县", "可可以力更", "", "150125100", ""},
		{"北京市门头沟区", "", "", "110109", ""},
		{"武川县", "某某乡", "", "", "找不到“某某乡”，武川县的乡镇有"},
		{"火星县", "", "", "", "找不到"},
		{"朝阳区", "", "", "", "有2个"},
	}
	for _, tt := range tests {
		code, _, problem := place(tt.county, tt.town, tt.village)
		if !strings.HasPrefix(code, tt.wantPrefix) || (tt.wantPrefix == "" && code != "") || !strings.Contains(problem, tt.problem) || (tt.problem == "" && problem != "") {
			t.Errorf("place(%q, %q, %q) = %q, %q, want %q…, %q", tt.county, tt.town, tt.village, code, problem, tt.wantPrefix, tt.problem)
		}
	}
	if r := regionOf("150125100201"); r != "内蒙古武川县" {
		t.Errorf("regionOf(武川县的村) = %q", r)
	}
	if r := regionOf("110109"); r != "" {
		t.Errorf("regionOf(门头沟区) = %q, want none", r)
	}
}

// CSV in UTF-8 without a BOM, with a BOM, and in GBK read the same.
func TestTopCSVEncodings(t *testing.T) {
	dir := t.TempDir()
	text := "姓名,身份证号\n张三,11010519491231002X\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(text)
	want := [][]string{{"姓名", "身份证号"}, {"张三", "11010519491231002X"}}
	for name, data := range map[string]string{"utf8.csv": text, "bom.csv": "\ufeff" + text, "gbk.csv": gbk} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(data), 0o644)
		got, err := Top(p, 5)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("Top(%s) (-want +got):\n%s", name, d)
		}
	}
}

// TestImportRefusesMixedEncoding: a CSV read as UTF-8 (by its BOM, or by its head) whose rows
// are not UTF-8 is refused, naming the row and column, rather than carrying bytes PostgreSQL
// refuses into the lists (found by FuzzRows).
func TestImportRefusesMixedEncoding(t *testing.T) {
	dir := t.TempDir()
	m := xiezuo.LabourMapping{HeaderRows: 1, Columns: []string{xiezuo.LFName, xiezuo.LFIDNumber}}
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("张三")
	head := "姓名,身份证号\n" + strings.Repeat("李四,11010519491231002X\n", 3000) // beyond the 64 KiB the encoding is told from
	for _, tc := range []struct{ name, data, want string }{
		{"bom", "\xef\xbb\xbf姓名,身份证号\n" + gbk + ",11010519491231002X\n", "第2行第1列"},
		{"late", head + "王五," + gbk + "\n", "第" + strconv.Itoa(strings.Count(head, "\n")+1) + "行第2列"},
	} {
		p := filepath.Join(dir, tc.name+".csv")
		os.WriteFile(p, []byte(tc.data), 0o644)
		_, err := Import(context.Background(), p, xiezuo.ListWorkers, m, xiezuo.LabourCheck{}, &collect{})
		if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), tc.want) {
			t.Errorf("Import(%s) = %v, want EINVALID naming %s", tc.name, err, tc.want)
		}
	}
}
