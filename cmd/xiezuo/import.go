package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sqldb"
)

const defaultDB = "data/xiezuo.db"

func dbFlag(e *env, fs interface {
	String(name, value, usage string) *string
}) *string {
	def := defaultDB
	if v := e.getenv("XIEZUO_DB"); v != "" {
		def = v
	}
	return fs.String("db", def, "数据库：SQLite 文件路径或 postgres:// 地址（环境变量 XIEZUO_DB）")
}

func openDB(ctx context.Context, e *env, dsn string) (*sqldb.DB, int) {
	return openDBKeyed(ctx, e, dsn, false)
}

// openDBKeyed opens the database as openDB does; with unkeyed, also one whose audit log's head
// is not keyed (sqldb.ErrAuditUnkeyed), that was emptied (sqldb.ErrAuditEmptied) or whose waiting entries are
// not of the key (sqldb.ErrAuditPendingForeign), for the commands that verify or switch such a log and
// write nothing else.
func openDBKeyed(ctx context.Context, e *env, dsn string, unkeyed bool) (*sqldb.DB, int) {
	return openDBKeyedBy(ctx, e, dsn, unkeyed, sqldb.Open)
}

// openDBKeyedBy is openDBKeyed with the database opened by open (sqldb.Open, or sqldb.OpenAsIs to
// leave its schema as it is).
func openDBKeyedBy(ctx context.Context, e *env, dsn string, unkeyed bool, open func(context.Context, string) (*sqldb.DB, error)) (*sqldb.DB, int) {
	db, err := open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 无法打开数据库“%s”：%v\n", redact(dsn), errorText(err))
		return nil, exitError
	}
	if err := useKeys(ctx, e, db, dsn); errors.Is(err, sqldb.ErrAuditUnkeyed) || errors.Is(err, sqldb.ErrAuditEmptied) ||
		errors.Is(err, sqldb.ErrAuditPendingForeign) {
		if !unkeyed {
			db.Close()
			fmt.Fprintf(e.stderr, "xiezuo: %s\n", errorText(err))
			return nil, exitError
		}
	} else if err != nil {
		db.Close()
		fmt.Fprintf(e.stderr, "xiezuo: 无法读取数据库之外的密钥：%s\n", errorText(err))
		return nil, exitError
	}
	return db, exitOK
}

func runImport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "import", "--db 数据库 文件…\n"+
		"先检查全部文件，有错误则什么也不导入；再依次导入：每个文件全部导入或全部不导入，\n"+
		"某个文件导入失败时，说明哪些文件已导入、哪些没有。只含部分内容的文件（如项目计划表工作簿）\n"+
		"只更新它所含的部分，其余保留。")
	dsn := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "以 JSON 输出变更")
	files, err := parseFlags(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(files) == 0 {
		fs.Usage()
		return exitUsage
	}
	// Every file is checked before anything is written: one file with errors stops them all.
	type doc struct {
		name string
		data []byte
		res  *plandoc.Result
	}
	var docs []doc
	bad := false
	sweepTemp(e)
	for _, name := range files {
		data, err := readDocument(name)
		if err != nil {
			fmt.Fprintf(e.stderr, "xiezuo: 无法读取文件“%s”：%s\n", name, osMessage(err))
			return exitUsage
		}
		res, err := plandoc.ParseContext(ctx, name, data)
		if err != nil {
			fmt.Fprintf(e.stderr, "xiezuo: %s：%s\n", name, parseMessage(err))
			return exitUsage
		}
		if !res.OK() {
			bad = true
			fmt.Fprintf(e.stderr, "%s 有 %d 个错误，未导入：\n", name, res.ErrorCount())
			for _, p := range res.Errors {
				fmt.Fprintf(e.stderr, "  %s：%s\n", at(p), p.Message)
			}
			if res.ErrorsOmitted > 0 {
				fmt.Fprintf(e.stderr, "  另有 %d 个错误未列出\n", res.ErrorsOmitted)
			}
		}
		docs = append(docs, doc{name, data, res})
	}
	if bad {
		fmt.Fprintln(e.stderr, "没有导入任何内容：请改正以上错误后重新导入。")
		return exitError
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	ctx = sqldb.WithActor(ctx, cliActor(e))
	// The files are checked against the plans as stored now: an import that another one
	// overtakes in between fails, under its lock, rather than undo the other's changes.
	type planKey struct {
		district string
		year     int
	}
	versions := map[planKey]int64{}
	for _, d := range docs {
		k := planKey{d.res.Plan.District, d.res.Plan.Year}
		if _, ok := versions[k]; ok {
			continue
		}
		v, err := db.PlanVersion(ctx, k.district, k.year)
		if err != nil && xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			fmt.Fprintf(e.stderr, "xiezuo: 没有导入任何内容：%s\n", xiezuo.ErrorMessage(err))
			return exitError
		}
		versions[k] = v
	}
	type report struct {
		File     string   `json:"file"`
		Year     int      `json:"year"`
		District string   `json:"district"`
		Changes  []string `json:"changes"`
		changes  []xiezuo.Change
	}
	var reports []report
	for i, d := range docs {
		k := planKey{d.res.Plan.District, d.res.Plan.Year}
		changes, v, err := db.ImportPlanAt(ctx, d.res.Plan, d.data, versions[k], sqldb.AnyRemovals)
		if err != nil {
			fmt.Fprintf(e.stderr, "xiezuo: 导入“%s”失败，这个文件的内容没有写入数据库：%s\n", d.name, xiezuo.ErrorMessage(err))
			if i > 0 {
				fmt.Fprintln(e.stderr, "已导入的文件：")
				for _, r := range reports {
					fmt.Fprintf(e.stderr, "  %s（%d 处变化）\n", r.File, len(r.Changes))
				}
			}
			if rest := docs[i+1:]; len(rest) > 0 {
				fmt.Fprintln(e.stderr, "未导入的文件：")
				for _, r := range rest {
					fmt.Fprintf(e.stderr, "  %s\n", r.name)
				}
			}
			return exitError
		}
		versions[k] = v
		r := report{File: d.name, Year: d.res.Plan.Year, District: d.res.Plan.District, Changes: []string{}, changes: changes}
		for _, c := range changes {
			r.Changes = append(r.Changes, c.String())
		}
		reports = append(reports, r)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			return fail(e, err)
		}
		return exitOK
	}
	for _, r := range reports {
		if len(r.Changes) == 0 {
			fmt.Fprintf(e.stdout, "%s：%d年%s的计划与数据库中一致，没有变化。\n", r.File, r.Year, r.District)
			continue
		}
		fmt.Fprintf(e.stdout, "%s：已导入%d年%s的计划，%d 处变化：\n", r.File, r.Year, r.District, len(r.Changes))
		printChanges(e, r.changes)
	}
	return exitOK
}

func runSummary(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "summary", "--json --db 数据库 --year 年份 --district 区县")
	dsn := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "输出 JSON（与 check --json 相同）")
	year := fs.Int("year", 0, "年份，如 2021")
	district := fs.String("district", "", "区县，如 门头沟区")
	rest, err := parseFlags(fs, args)
	if err != nil || len(rest) > 0 || *year == 0 || *district == "" {
		if err == nil {
			fmt.Fprintln(e.stderr, "xiezuo: summary 需要 --year 和 --district")
			fs.Usage()
		}
		return exitUsage
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	p, err := db.LoadPlan(ctx, *district, *year)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %s\n", xiezuo.ErrorMessage(err))
		return exitError
	}
	s := xiezuo.Summarize(p)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			return fail(e, err)
		}
		return exitOK
	}
	printSummary(e.stdout, s)
	return exitOK
}

// printChanges lists changes for a person: additions counted by kind of fact (a first import
// adds hundreds), every change and removal on a line of its own.
func printChanges(e *env, changes []xiezuo.Change) {
	var order []string
	added := map[string]int{}
	for _, c := range changes {
		if c.Kind != xiezuo.ChangeAdded {
			continue
		}
		if added[c.Entity] == 0 {
			order = append(order, c.Entity)
		}
		added[c.Entity]++
	}
	for _, entity := range order {
		fmt.Fprintf(e.stdout, "  新增 %s %d 个\n", entity, added[entity])
	}
	for _, c := range changes {
		if c.Kind != xiezuo.ChangeAdded {
			fmt.Fprintf(e.stdout, "  %s\n", c)
		}
	}
}
