package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"xiezuo/sqldb"
)

const auditUsage = `用法：
  xiezuo audit verify --db 数据库 [--head 序号:哈希] [--full]   （校验哈希链：自上次校验起的新记录，--full 校验全部；--head 为上次校验打印的最新记录）
  xiezuo audit head --db 数据库                        （打印最新记录“序号:哈希”，请每天记在数据库之外）
  xiezuo audit search --db 数据库 [--user 登录名] [--unit 单位] [--action 操作] [--object 对象类型] [--id 对象编号] [--from 2021-06-01] [--to 2021-06-30] [--limit 100]
  xiezuo audit prune --db 数据库 --before 2021-01-01   （只能清理 180 天以前的记录；PostgreSQL 上须以表的所有者运行）
  xiezuo audit key-switch --db 数据库                  （升级时运行一次：旧版本的审计日志从此改用审计密钥链接）`

// runAudit verifies and searches the audit log. Both are audited themselves: reading the log
// is an act of the audit administrator that the log keeps.
func runAudit(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, auditUsage)
		return exitUsage
	}
	ctx = sqldb.WithActor(ctx, cliActor(e))
	switch args[0] {
	case "verify":
		return runAuditVerify(ctx, e, args[1:])
	case "head":
		return runAuditHead(ctx, e, args[1:])
	case "search":
		return runAuditSearch(ctx, e, args[1:])
	case "prune":
		return runAuditPrune(ctx, e, args[1:])
	case "key-switch":
		return runAuditKeySwitch(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "xiezuo: 未知的 audit 子命令“%s”\n%s\n", args[0], auditUsage)
	return exitUsage
}

func runAuditVerify(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "audit verify", "--db 数据库 [--head 序号:哈希] [--full]")
	dsn := dbFlag(e, fs)
	full := fs.Bool("full", false, "校验全部记录；默认只校验上次成功校验（其记录在链中，用审计密钥链接）之后的记录")
	headText := fs.String("head", "", "上次校验打印的最新记录（序号:哈希）：比对它，以发现末尾的记录被删除或整条链被改写")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		return exitUsage
	}
	var want sqldb.AuditMark
	if *headText != "" {
		m, err := sqldb.ParseAuditMark(*headText)
		if err != nil {
			return fail(e, err)
		}
		want = m
	}
	// A log whose head is not keyed is verified all the same (it fails), but nothing is
	// written to it.
	db, code := openDBKeyed(ctx, e, *dsn, true)
	if db == nil {
		return code
	}
	defer db.Close()
	verify := db.VerifyAuditIncremental
	if *full {
		verify = db.VerifyAudit
	}
	v, err := verify(ctx, want)
	if err != nil {
		return fail(e, err)
	}
	entry, err := db.AuditVerified(ctx, v, want)
	if err != nil && !((errors.Is(err, sqldb.ErrAuditUnkeyed) || errors.Is(err, sqldb.ErrAuditEmptied)) && !v.OK()) {
		return fail(e, err)
	}
	if !v.OK() {
		fmt.Fprintf(e.stdout, "审计日志校验未通过：%s。\n", v.Problem)
		if err != nil {
			fmt.Fprintf(e.stdout, "%s。\n", errorText(err))
			return exitError
		}
	} else {
		from := "全部记录"
		if v.FailedBefore > 0 && !*full {
			from = fmt.Sprintf("全部记录：第 %d 条记录的上次校验未通过，故全部校验", v.FailedBefore)
		}
		if v.From.Seq > 0 {
			from = fmt.Sprintf("自上次校验的第 %d 条起，全部校验请加 --full", v.From.Seq)
		}
		fmt.Fprintf(e.stdout, "已校验审计日志 %d 条（%s，至第 %d 条），哈希链完整；本次校验记为第 %d 条。\n", v.Checked, from, v.Head.Seq, entry.Seq)
	}
	// The head after this verify's own entry: what the next verify is given with --head.
	fmt.Fprintf(e.stdout, "最新记录：%s\n请把它记在数据库之外（每天一次），下次用 xiezuo audit verify --head %s 比对，以发现末尾记录被删除或日志被改写。\n",
		entry, entry)
	if !v.OK() {
		return exitError
	}
	return exitOK
}

// runAuditKeySwitch switches the audit log of a database from before the audit key to the
// keyed chain: run once by the operator when upgrading, never by the application itself, so
// that a log rewritten without the key is not blessed by the next start.
func runAuditKeySwitch(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "audit key-switch", "--db 数据库\n升级时运行一次：此前的审计记录仍按原 SM3 规则校验，此后的记录用审计密钥（HMAC-SM3）链接。\n已有用审计密钥链接的记录时拒绝运行。")
	dsn := dbFlag(e, fs)
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		return exitUsage
	}
	db, code := openDBKeyed(ctx, e, *dsn, true)
	if db == nil {
		return code
	}
	defer db.Close()
	sw, err := db.SwitchAuditKey(ctx)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "已切换审计日志：第 %d 条及以前的记录按原 SM3 规则校验，第 %d 条（审计密钥切换记录）起用审计密钥链接。\n"+
		"此命令只在升级时运行一次；请随即运行 xiezuo audit verify --db 数据库 校验，并记下它打印的最新记录。\n", sw.Seq-1, sw.Seq)
	return exitOK
}

// runAuditHead prints the last entry of the log, to be recorded outside the database.
func runAuditHead(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "audit head", "--db 数据库")
	dsn := dbFlag(e, fs)
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		return exitUsage
	}
	db, code := openDBKeyed(ctx, e, *dsn, true)
	if db == nil {
		return code
	}
	defer db.Close()
	seq, hash, err := db.AuditHead(ctx)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintln(e.stdout, sqldb.AuditMark{Seq: seq, Hash: hash})
	return exitOK
}

func runAuditSearch(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "audit search", "--db 数据库 [--user 登录名] [--unit 单位] [--action 操作] [--object 对象类型] [--id 对象编号] [--from 日期] [--to 日期] [--limit 条数]")
	dsn := dbFlag(e, fs)
	var f sqldb.AuditFilter
	fs.StringVar(&f.Username, "user", "", "操作人的登录名（命令行与系统操作为 system）")
	fs.StringVar(&f.Unit, "unit", "", "操作人的单位")
	fs.StringVar(&f.Action, "action", "", "操作，如 user.add、auth.signin、plan.import")
	fs.StringVar(&f.ObjectType, "object", "", "对象类型，如 user、plan、session")
	fs.StringVar(&f.ObjectID, "id", "", "对象编号")
	from := fs.String("from", "", "起始日期（含），如 2021-06-01，北京时间")
	to := fs.String("to", "", "截止日期（含），如 2021-06-30，北京时间")
	fs.IntVar(&f.Limit, "limit", 100, "最多显示的条数（不超过 1000），从最新的起")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		return exitUsage
	}
	for _, d := range []struct {
		text string
		t    *time.Time
		next bool // the day after: --to includes its date
	}{{*from, &f.From, false}, {*to, &f.To, true}} {
		if d.text == "" {
			continue
		}
		day, err := time.ParseInLocation("2006-01-02", d.text, shanghai)
		if err != nil {
			fmt.Fprintf(e.stderr, "xiezuo: 日期“%s”应写作 2021-06-01\n", d.text)
			return exitUsage
		}
		if d.next {
			day = day.AddDate(0, 0, 1)
		}
		*d.t = day
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	entries, total, err := db.SearchAudit(ctx, f)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintln(e.stdout, "序号\t时间\t用户\t单位\t来源\t操作\t对象\t结果\t说明")
	for _, x := range entries {
		object := strings.TrimSpace(strings.Join([]string{x.ObjectType, x.ObjectID, x.ObjectLabel}, " "))
		outcome := "成功"
		if x.Outcome == sqldb.AuditFailure {
			outcome = "失败"
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.Seq, x.At.In(shanghai).Format("2006-01-02 15:04:05"),
			x.Username, dash(x.Unit), dash(x.IP), x.Action, dash(object), outcome, dash(oneLine(x.Detail)))
	}
	if len(entries) < total {
		fmt.Fprintf(e.stdout, "共 %d 条，显示最新的 %d 条。\n", total, len(entries))
	} else {
		fmt.Fprintf(e.stdout, "共 %d 条。\n", total)
	}
	err = db.AppendAudit(ctx, sqldb.AuditEntry{
		Action: "audit.search", ObjectType: "audit_log", ObjectLabel: "审计日志",
		Detail: fmt.Sprintf("查询条件：%s；共 %d 条", describeFilter(f, *from, *to), total),
	})
	if err != nil {
		return fail(e, err)
	}
	return exitOK
}

// dash shows an empty cell as —.
func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// oneLine keeps a row of the table on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// describeFilter writes the conditions of a search for the audit log.
func describeFilter(f sqldb.AuditFilter, from, to string) string {
	var parts []string
	for _, c := range []struct{ name, value string }{
		{"用户", f.Username}, {"单位", f.Unit}, {"操作", f.Action}, {"对象类型", f.ObjectType},
		{"对象编号", f.ObjectID}, {"起始日期", from}, {"截止日期", to},
	} {
		if c.value != "" {
			parts = append(parts, c.name+" "+c.value)
		}
	}
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, "，")
}

// runAuditPrune deletes entries older than a date, which must be at least 180 days ago (the
// cybersecurity law's six months); the chain still verifies from the first entry kept.
func runAuditPrune(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "audit prune", "--db 数据库 --before 日期")
	dsn := dbFlag(e, fs)
	before := fs.String("before", "", "删除这一天（北京时间）以前的记录，如 2021-01-01")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 || *before == "" {
		fmt.Fprintln(e.stderr, "xiezuo: audit prune 需要 --before 日期")
		return exitUsage
	}
	day, err := time.ParseInLocation(time.DateOnly, *before, shanghai)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 日期“%s”应写作 2021-01-01\n", *before)
		return exitUsage
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	n, err := db.PruneAudit(ctx, day)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "已删除 %s 以前的审计记录 %d 条。\n", *before, n)
	return exitOK
}
