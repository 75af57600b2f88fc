package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/labourio"
	"xiezuo/sqldb"
)

// runLabour runs the labour lists' subcommands: labour import.
func runLabour(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(e.stderr, "用法：xiezuo labour import --db 数据库 --district 区 --list workers|willing|jobs [--skip-bad] [--json] [--bad-rows 错误行.xlsx] 文件")
		return exitUsage
	}
	return runLabourImport(ctx, e, args[1:])
}

// labourImportJSON is what --json prints.
type labourImportJSON struct {
	Rows     int                     `json:"rows"`
	Imported int                     `json:"imported"`
	Errors   []xiezuo.LabourRowError `json:"errors"`
}

// runLabourImport imports one of the three lists from a .xlsx or .csv file: without --skip-bad
// a file with any bad row is refused whole (exit 1); with it the good rows are stored.
func runLabourImport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "labour import", "--db 数据库 --district 区 --list workers|willing|jobs [--skip-bad] [--json] [--bad-rows 错误行.xlsx] 文件\n"+
		"导入劳务协作三张清单之一（.xlsx 或 .csv，UTF-8 或 GBK）。有错误行时默认整个文件不导入；\n"+
		"加 --skip-bad 则导入正确的行。--bad-rows 把错误行写成工作簿，改正后可重新导入。")
	dsn := dbFlag(e, fs)
	district := fs.String("district", "", "区，如 门头沟区")
	list := fs.String("list", "", "清单：workers 在京务工人员，willing 有意愿外出务工人员，jobs 用工需求")
	skipBad := fs.Bool("skip-bad", false, "跳过错误行，导入正确的行")
	asJSON := fs.Bool("json", false, `以 JSON 输出 {"rows","imported","errors":[{"row","message"}]}`)
	badOut := fs.String("bad-rows", "", "把错误行写入此 .xlsx 文件")
	memLimit := fs.Int("memory-limit", 128, "内存软上限（MiB）：超过时更频繁地回收内存；环境变量 GOMEMLIMIT 优先")
	files, err := parseFlags(fs, args)
	if err != nil {
		return exitUsage
	}
	// The import's own memory is flat (the reader's set of the file's IDs, one batch, the
	// division register): a soft limit makes the collector return what it read instead of
	// letting the heap double, and keeps a million-row import under 300 MB with SQLite's
	// page cache (docs/benchmarks.md).
	if e.getenv("GOMEMLIMIT") == "" && *memLimit > 0 {
		debug.SetMemoryLimit(int64(*memLimit) << 20)
	}
	l, ok := xiezuo.ParseLabourList(*list)
	if len(files) != 1 || !ok || strings.TrimSpace(*district) == "" {
		if !ok && *list != "" {
			fmt.Fprintf(e.stderr, "xiezuo: 没有“%s”这个清单，应为 workers、willing 或 jobs\n", *list)
		}
		fs.Usage()
		return exitUsage
	}
	path := files[0]
	if labourio.Kind(path) == "" {
		fmt.Fprintf(e.stderr, "xiezuo: %s：只能导入 .xlsx 或 .csv 文件\n", path)
		return exitUsage
	}
	top, err := labourio.Top(path, 20)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %s：%s\n", path, errorText(err))
		return exitUsage
	}
	m, doubts := xiezuo.ProposeLabourMapping(l, top)
	if err := m.Check(l); err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %s：无法确定各列的含义，未导入：\n", path)
		for _, d := range doubts {
			fmt.Fprintf(e.stderr, "  %s\n", d)
		}
		return exitUsage
	}
	for _, d := range doubts {
		fmt.Fprintf(e.stderr, "提示：%s\n", d)
	}

	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	ctx = sqldb.WithActor(ctx, cliActor(e))
	regions, err := districtRegions(ctx, db, *district)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %s\n", errorText(err))
		return exitError
	}
	if regions == nil {
		fmt.Fprintf(e.stderr, "提示：数据库中没有%s的计划，人员的协作地区无法确定\n", *district)
	}
	place, regionOf := labourio.Places(regions)
	check := xiezuo.LabourCheck{Today: xiezuo.DateOf(time.Now().In(chinaTime)), Regions: regions, Place: place, RegionOf: regionOf}

	imp, err := db.BeginLabourImport(ctx, sqldb.LabourImportOptions{
		District: *district, List: l, FileName: filepath.Base(path), Mapping: m, SkipBad: *skipBad, FileChecked: true,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 未导入：%s\n", errorText(err))
		return exitError
	}
	sink := &cliSink{LabourImport: imp, p: newProgress(e.stderr)}
	res, err := labourio.Import(ctx, path, l, m, check, sink)
	sink.p.done()
	if err != nil {
		imp.Abort(ctx, "读取文件失败")
		fmt.Fprintf(e.stderr, "xiezuo: 未导入：%s\n", errorText(err))
		if xiezuo.ErrorCode(err) == xiezuo.EINVALID {
			return exitUsage
		}
		return exitError
	}
	out, err := imp.Finish(ctx, res.Errors, res.BadWorkbook)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 未导入：%s\n", errorText(err))
		return exitError
	}
	if *badOut != "" && res.BadWorkbook != nil {
		if err := os.WriteFile(*badOut, res.BadWorkbook, 0o600); err != nil {
			fmt.Fprintf(e.stderr, "xiezuo: 无法写入错误行文件“%s”：%s\n", *badOut, osMessage(err))
		}
	}
	refused := out.State == "refused"
	if *asJSON {
		errs := out.Errors
		if errs == nil {
			errs = []xiezuo.LabourRowError{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.Encode(labourImportJSON{Rows: out.Rows, Imported: out.Imported(), Errors: errs})
	} else {
		printLabourResult(e.stdout, l, out, res, refused)
	}
	if refused {
		return exitError
	}
	return exitOK
}

// chinaTime is Beijing time (UTC+8, no daylight saving).
var chinaTime = time.FixedZone("CST", 8*3600)

// districtRegions are the partner regions of the district's latest stored plan; nil when the
// database holds no plan of the district.
func districtRegions(ctx context.Context, db *sqldb.DB, district string) ([]xiezuo.PartnerRegion, error) {
	plans, err := db.Plans(ctx)
	if err != nil {
		return nil, err
	}
	year := 0
	for _, p := range plans {
		if p.District == district && p.Year > year {
			year = p.Year
		}
	}
	if year == 0 {
		return nil, nil
	}
	p, err := db.LoadPlan(ctx, district, year)
	if err != nil {
		return nil, err
	}
	if p.Regions == nil {
		return []xiezuo.PartnerRegion{}, nil
	}
	return p.Regions, nil
}

func printLabourResult(w io.Writer, l xiezuo.LabourList, out sqldb.LabourImportResult, res labourio.Result, refused bool) {
	if refused {
		fmt.Fprintf(w, "%s：读取 %d 行，其中 %d 个错误，整个文件未导入（加 --skip-bad 可只导入正确的行）。\n", l.Title(), out.Rows, len(out.Errors))
	} else {
		fmt.Fprintf(w, "%s：读取 %d 行，导入 %d 行（新增 %d，更新 %d，未变 %d）", l.Title(), out.Rows, out.Imported(), out.Added, out.Updated, out.Unchanged)
		if len(out.Errors) > 0 {
			fmt.Fprintf(w, "，%d 个错误未导入", len(out.Errors))
		}
		fmt.Fprintln(w, "。")
	}
	for _, e := range out.Errors {
		fmt.Fprintf(w, "  第%d行：%s\n", e.Row, e.Message)
	}
	if res.ErrorsOmitted > 0 {
		fmt.Fprintf(w, "  另有 %d 行有错误未列出\n", res.ErrorsOmitted)
	}
}

// cliSink is the storage's import with the progress shown on the command line.
type cliSink struct {
	*sqldb.LabourImport
	p *progress
}

func (s *cliSink) Progress(read, total int) {
	s.LabourImport.Progress(read, total)
	s.p.show(read, total)
}

// progress writes 「已读 120000 行（12%）」 to stderr: rewritten in place with \r on a terminal,
// a line every 10 % otherwise.
type progress struct {
	w        io.Writer
	terminal bool
	lastTen  int
	shown    bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, lastTen: -1}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) show(read, total int) {
	text := fmt.Sprintf("已读 %d 行", read)
	pct := -1
	if total > 0 {
		pct = min(100, read*100/total)
		text += fmt.Sprintf("（%d%%）", pct)
	}
	if p.terminal {
		fmt.Fprintf(p.w, "\r%s   ", text)
		p.shown = true
		return
	}
	if pct >= 0 && pct/10 > p.lastTen {
		p.lastTen = pct / 10
		fmt.Fprintln(p.w, text)
	}
}

func (p *progress) done() {
	if p.terminal && p.shown {
		fmt.Fprintln(p.w)
	}
}
