package plandoc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"xiezuo"
	"xiezuo/gen/hostile"
)

// allocated runs f and returns the bytes it allocated: a bound on the memory it can have held.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// refused checks that reading d is refused with an invalid-input error whose message holds
// every one of want, within maxMB of allocations.
func refused(t *testing.T, d hostile.Doc, maxMB uint64, want ...string) {
	t.Helper()
	var err error
	n := allocated(func() { _, err = Parse(d.Name, d.Data) })
	if xiezuo.ErrorCode(err) != xiezuo.EINVALID {
		t.Fatalf("Parse(%s) error = %v, want a refusal", d.Name, err)
	}
	msg := xiezuo.ErrorMessage(err)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("Parse(%s) = %q, want it to say %q", d.Name, msg, w)
		}
	}
	if n > maxMB<<20 {
		t.Errorf("Parse(%s) allocated %d MB, want at most %d MB", d.Name, n>>20, maxMB)
	}
	t.Logf("%s (%d KB): %s; %d MB allocated", d.Name, len(d.Data)>>10, msg, n>>20)
}

// TestZipBomb: a workbook of a few hundred KB whose sheet inflates to 1 GB is refused from its
// directory, before anything is inflated (excelize's default limit was 16 GB).
func TestZipBomb(t *testing.T) {
	d, err := hostile.ZipBomb(1 << 30)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 16, "解压后超过 64 MB")
	assertNoTempLeft(t)
}

// TestWorkbookMillionRows: every row a worksheet can have is refused from the scan of its part,
// naming the sheet, before excelize reads any; 30,000 rows are refused at the row past MaxRows.
func TestWorkbookMillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("makes a 1,048,576-row workbook")
	}
	d, err := hostile.ManyRows(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 64, "工作表“项目计划表”有超过 80000 行")
	if d, err = hostile.ManyRows(30_000); err != nil {
		t.Fatal(err)
	}
	refused(t, d, 200, "工作表“项目计划表”第20001行", "超过 20000 行")
	assertNoTempLeft(t)
}

// TestMarkdownMillionLines: the million-line table is refused at the line past MaxLines; a table
// of more than MaxRows rows within it at its row.
func TestMarkdownMillionLines(t *testing.T) {
	refused(t, hostile.MarkdownTable(1_000_000), 100, "超过 16 MB")
	d := hostile.MarkdownTable(300_000)
	d.Data = []byte(strings.ReplaceAll(string(d.Data), "|区农业农村局|", "|"))
	refused(t, d, 100, "第200001行", "文件超过 200000 行")
	// The table starts on line 5 with its header (a row), then the separator (not a row): its
	// 20001st row is line 20006.
	refused(t, hostile.MarkdownTable(25_000), 300, "第20006行", "表格超过 20000 行")
}

// TestManyErrorsListed: a table with an error on each of its 5,000 rows lists 200 errors and
// counts the rest.
func TestManyErrorsListed(t *testing.T) {
	d := hostile.MarkdownTable(5_000)
	res, err := Parse(d.Name, d.Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != MaxListed || res.ErrorsOmitted < 4_800 || res.ErrorCount() != len(res.Errors)+res.ErrorsOmitted {
		t.Errorf("Parse(%s): %d errors listed, %d omitted, want %d listed and at least 4800 omitted", d.Name, len(res.Errors), res.ErrorsOmitted, MaxListed)
	}
	s := res.Summary()
	if len(s.Errors) != MaxListed || s.ErrorsOmitted != res.ErrorsOmitted {
		t.Errorf("Summary: %d errors, %d omitted, want %d and %d", len(s.Errors), s.ErrorsOmitted, MaxListed, res.ErrorsOmitted)
	}
}

// TestSubtotalsLinear: 3,000 projects each followed by a 合计 row. Each 合计 sums every
// project above and below it, so all but the last are wrong; the check stays linear: the old
// one walked (and copied) every project for every 合计, 3,000 × 3,000 rows.
func TestSubtotalsLinear(t *testing.T) {
	d := hostile.Subtotals(3_000)
	var res *Result
	var err error
	n := allocated(func() { res, err = Parse(d.Name, d.Data) })
	if err != nil {
		t.Fatal(err)
	}
	if got := len(res.Plan.Projects); got != 3_000 {
		t.Errorf("Parse(%s): %d projects, want 3000", d.Name, got)
	}
	if got := len(res.Plan.Subtotals); got != 3_000 {
		t.Errorf("Parse(%s): %d subtotals, want 3000", d.Name, got)
	}
	want := `“合计”的项目总投资为 10 万元，但其下 3000 个项目之和为 30000 万元`
	if len(res.Errors) == 0 || !strings.Contains(res.Errors[0].Message, want) {
		t.Errorf("Parse(%s) first error = %v, want %q", d.Name, res.Errors[:min(1, len(res.Errors))], want)
	}
	if n > 200<<20 {
		t.Errorf("Parse(%s) allocated %d MB, want at most 200 MB", d.Name, n>>20)
	}
}

// TestSixDigitSerials: rows numbered 100001… are project rows with a wrong serial number, not
// region subtotals.
func TestSixDigitSerials(t *testing.T) {
	d := hostile.SixDigitSerials(50)
	res, err := Parse(d.Name, d.Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Plan.Subtotals) != 0 || len(res.Plan.Projects) != 50 {
		t.Errorf("Parse(%s): %d subtotals, %d projects, want 0 and 50", d.Name, len(res.Plan.Subtotals), len(res.Plan.Projects))
	}
	for _, pr := range res.Plan.Projects {
		if pr.Number != 0 || pr.Region != "内蒙古武川县" {
			t.Errorf("project %q: number %d, region %q, want 0 and 内蒙古武川县", pr.Name, pr.Number, pr.Region)
			break
		}
	}
	if len(res.Errors) == 0 || !strings.Contains(res.Errors[0].Message, "序号“100001”不是合理的项目序号") || res.Errors[0].Line != 4 {
		t.Errorf("Parse(%s) first error = %+v, want 序号“100001” at line 4", d.Name, res.Errors[:min(1, len(res.Errors))])
	}
}

// TestControlCharacters: a NUL (or another control character) is refused at its line, in text,
// CSV and workbooks.
func TestControlCharacters(t *testing.T) {
	d := hostile.NUL()
	refused(t, d, 16, "第"+strconv.Itoa(d.Line())+"行", "控制字符 U+0000")
	refused(t, hostile.NULCSV(), 16, "第4行", "控制字符 U+0000")
	bell := hostile.Doc{Name: "2021年门头沟区支援合作工作要点.txt", Data: []byte("2021年门头沟区支援合作工作要点\n一、总体要求\n1. 做好\a协作。\n")}
	refused(t, bell, 16, "第3行", "控制字符 U+0007")
	// A NUL within the first 8,000 bytes of an otherwise textual plan is refused at its line too,
	// in UTF-8 and in GBK; a Word document renamed .txt is not text.
	var plan strings.Builder
	plan.WriteString("2021年门头沟区支援合作工作要点\n")
	for i := 2; i < 50; i++ {
		plan.WriteString("做好协作工作。\n")
	}
	plan.WriteString("1. 做好\x00协作。\n")
	refused(t, hostile.Doc{Name: "2021年门头沟区支援合作工作要点.txt", Data: []byte(plan.String())}, 16, "第50行", "控制字符 U+0000")
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(plan.String())
	if err != nil {
		t.Fatal(err)
	}
	refused(t, hostile.Doc{Name: "2021年门头沟区支援合作工作要点.txt", Data: []byte(gbk)}, 16, "第50行", "控制字符 U+0000")
	refused(t, hostile.Doc{Name: "2021年门头沟区支援合作工作要点.txt", Data: []byte("PK\x03\x04\x14\x00\x06\x00word/document.xml")}, 16, "不是文本文件")
	tab := hostile.Doc{Name: "2021年门头沟区支援合作项目计划表.csv", Data: []byte("2021年门头沟区支援合作项目计划表\r\n" + "序号\t项目名称\t项目总投资\t区级帮扶资金\r\n")}
	if _, err := Parse(tab.Name, tab.Data); err != nil {
		t.Errorf("Parse with tabs and CR LF: %v, want no refusal", err)
	}
}

// TestParseContextCancelled: a cancelled read stops with the context's error.
func TestParseContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, d := range []hostile.Doc{hostile.MarkdownTable(5_000), hostile.Subtotals(2_000)} {
		if _, err := ParseContext(ctx, d.Name, d.Data); !errors.Is(err, context.Canceled) {
			t.Errorf("ParseContext(cancelled, %s) error = %v, want context.Canceled", d.Name, err)
		}
	}
	d, err := hostile.ManyRows(2_000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseContext(ctx, d.Name, d.Data); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseContext(cancelled, %s) error = %v, want context.Canceled", d.Name, err)
	}
}

// TestSweepTemp: folders of reads of processes that no longer run are removed; this process's
// are kept.
func TestSweepTemp(t *testing.T) {
	dir, err := tempDir()
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	dead := filepath.Join(TempRoot(), "999999999-crashed")
	if err := os.MkdirAll(filepath.Join(dead, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dead, "sub", "excelize-1"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := SweepTemp(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("SweepTemp left %s (stat: %v)", dead, err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("SweepTemp removed this process's %s: %v", dir, err)
	}
}

// assertNoTempLeft checks that no read of this process left its temporary folder.
func assertNoTempLeft(t *testing.T) {
	t.Helper()
	entries, _ := os.ReadDir(TempRoot())
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), strconv.Itoa(os.Getpid())+"-") {
			t.Errorf("temporary folder %s left after the read", e.Name())
		}
	}
}

// TestWorkbookEscapes: _xHHHH_ escapes past 10,000 in a workbook, or a string past 64 KB, are
// refused before excelize reads them (it unescapes a string in time growing with its escapes
// times its length: 80,000 in one cell took 8 s); 9,000 escapes are read.
func TestWorkbookEscapes(t *testing.T) {
	d, err := hostile.Escapes(20_000)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 16, "超过 10000 个转义字符")
	d, err = hostile.LongCell(300 << 10)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 16, "有一段文本超过 64 KB")
	d, err = hostile.Escapes(9_000)
	if err != nil {
		t.Fatal(err)
	}
	n := allocated(func() { _, err = Parse(d.Name, d.Data) })
	if err != nil || n > 64<<20 {
		t.Errorf("Parse(%s) = %v, %d MB allocated; want a read within 64 MB", d.Name, err, n>>20)
	}
}

// TestWorkbookMerges: merged ranges are read linearly and bounded: per sheet, per range, and a
// sheet part named by two sheet entries is refused (excelize's overlap check of every pair of
// ranges took 102 s for 50,000 two-row merges; 1,000 merges down a whole column, 7.8 s; 300
// merges under 50 entries, 529 s).
func TestWorkbookMerges(t *testing.T) {
	for _, tc := range []struct {
		make func() (hostile.Doc, error)
		want []string
	}{
		{func() (hostile.Doc, error) { return hostile.Merges(50_000, 2) }, []string{"工作表“项目计划表”", "超过 5000 处"}},
		{func() (hostile.Doc, error) { return hostile.TallMerges(1_000) }, []string{"工作表“项目计划表”", "C2:C1048576", "跨 1048575 行 1 列", "超过 100000 个单元格"}},
		{func() (hostile.Doc, error) { return hostile.SharedSheet(50, 300) }, []string{"“任务1”和“任务2”指向同一份内容"}},
	} {
		d, err := tc.make()
		if err != nil {
			t.Fatal(err)
		}
		refused(t, d, 64, tc.want...)
	}
	assertNoTempLeft(t)
	// 1,000 merges are read, and a merged work item fills the rows it spans.
	d, err := hostile.Merges(1_000, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(d.Name, d.Data); err != nil {
		t.Errorf("Parse(%s) = %v, want a read", d.Name, err)
	}
}

// TestWorkbookMergesCancelled: a cancelled read of a workbook of many merges stops with the
// context's error.
func TestWorkbookMergesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d, err := hostile.Merges(4_000, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseContext(ctx, d.Name, d.Data); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseContext(cancelled, %s) error = %v, want context.Canceled", d.Name, err)
	}
}

// TestWorkbookPartBombs: a styles.xml or a drawing inflating to 60 MB is refused from the
// directory, before anything is inflated (they took 1.46 GB and 204 MB).
func TestWorkbookPartBombs(t *testing.T) {
	d, err := hostile.StylesBomb(60 << 20)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 16, "“xl/styles.xml”解压后有 60.0 MB", "超过 4 MB 的上限")
	d, err = hostile.DrawingBomb(60 << 20)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 16, "“xl/drawings/drawing1.xml”解压后有 60.0 MB", "超过 4 MB 的上限")
	assertNoTempLeft(t)
}

// TestWorkbookPartRoles: a part's bound goes by its own name, whatever relationship points at
// it. A sheet entry whose worksheet relationship points at a styles.xml of 60 MB (a 198 KB
// upload) was bound as a worksheet, by MaxUnzipped only, while excelize parsed it whole as the
// styles (715 MB, 15 s); a shared strings relationship pointing at styles.xml or the theme
// lifted its bound to 8 MB; a part under two roles is refused.
func TestWorkbookPartRoles(t *testing.T) {
	t.Run("styles as a sheet", func(t *testing.T) {
		d, err := hostile.StylesAsSheet(60 << 20)
		if err != nil {
			t.Fatal(err)
		}
		refused(t, d, 16, "工作表指向“xl/styles.xml”", "xl/worksheets/", "另存")
	})
	for _, target := range []string{"styles.xml", "theme/theme1.xml"} {
		t.Run("shared strings at "+target, func(t *testing.T) {
			d, err := hostile.SharedStringsAt(target, 6<<20)
			if err != nil {
				t.Fatal(err)
			}
			refused(t, d, 16, "共享文本表指向“xl/"+target+"”", "另存")
		})
	}
	t.Run("two roles", func(t *testing.T) {
		d, err := hostile.TwoRoles()
		if err != nil {
			t.Fatal(err)
		}
		refused(t, d, 16, "“xl/worksheets/sheet1.xml”同时被当作工作表和样式")
	})
	assertNoTempLeft(t)
}

// TestWorkbookXFDRows: rows of one blank cell in column XFD are counted (each is read as
// 16,384 cells; a million took 22 s), and so are rows of one empty cell.
func TestWorkbookXFDRows(t *testing.T) {
	d, err := hostile.XFDRows(50_000, " ")
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 400, "工作表“项目计划表”第123行", "超过 2000000 个")
	d, err = hostile.XFDRows(1<<20, "")
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 64, "工作表“项目计划表”有超过 80000 行")
	assertNoTempLeft(t)
}

// TestTempRootOwner: a temporary folder made first by another user, or open to others, is not
// used as is: one of ours is closed to 0700, another's is left for a private folder.
func TestTempRootOwner(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	root := TempRoot()
	if err := os.Mkdir(root, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(root, 0o777); err != nil {
		t.Fatal(err)
	}
	dir, err := tempDir()
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(dir)
	if fi, err := os.Stat(root); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("tempDir left %s with mode %v (%v), want 0700", root, fi.Mode().Perm(), err)
	}
	if os.Getuid() != 0 {
		t.Skip("giving the folder to another user needs root")
	}
	if err := os.Chown(root, 12345, 12345); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(root, 0o777); err != nil {
		t.Fatal(err)
	}
	dir, err = tempDir()
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if filepath.Dir(dir) == root {
		t.Errorf("tempDir() = %s, inside %s owned by another user; want a private folder", dir, root)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("tempDir() = %s with mode %v (%v), want 0700", dir, fi.Mode().Perm(), err)
	}
}
