package main

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/xlsx"
)

// keywordPassword is the password of a PostgreSQL keyword string, quoted or not.
var keywordPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// redact hides the password of a database URL or keyword string before it is shown.
func redact(dsn string) string {
	// A keyword string (host=… password=…): the password's value hidden.
	dsn = keywordPassword.ReplaceAllString(dsn, "${1}***")
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		// String would escape the stars (%2A%2A%2A): a placeholder of letters, then ***.
		u.User = url.UserPassword(u.User.Username(), "xiezuoredacted")
		return strings.Replace(u.String(), ":xiezuoredacted@", ":***@", 1)
	}
	return u.String()
}

func runExport(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 && args[0] == "tasks" {
		return runExportTasks(ctx, e, args[1:])
	}
	if len(args) == 0 || args[0] != "projects" {
		fmt.Fprintln(e.stderr, "用法：xiezuo export projects --db 数据库 --year 年份 --district 区县 [--live [--as-of YYYY-MM-DD]] -o 文件.xlsx")
		fmt.Fprintln(e.stderr, "　　或 xiezuo export tasks --db 数据库 --year 年份 --district 区县 [--as-of YYYY-MM-DD] -o 文件.xlsx")
		return exitUsage
	}
	fs := newFlags(e, "export projects", "--db 数据库 --year 年份 --district 区县 [--live [--as-of YYYY-MM-DD]] -o 文件.xlsx")
	dsn := dbFlag(e, fs)
	year := fs.Int("year", 0, "年份，如 2021")
	district := fs.String("district", "", "区县，如 门头沟区")
	out := fs.String("o", "", "输出文件（.xlsx）")
	live := fs.Bool("live", false, "加上动态列：项目状态、开工日期、已拨付资金（万元）、拨付率")
	asOfFlag := fs.String("as-of", "", "动态列截至的日期 YYYY-MM-DD（默认今天，须与 --live 同用）")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return exitUsage
	}
	if len(rest) > 0 || *year == 0 || *district == "" || *out == "" {
		fmt.Fprintln(e.stderr, "xiezuo: export projects 需要 --year、--district 和 -o")
		fs.Usage()
		return exitUsage
	}
	if !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		fmt.Fprintln(e.stderr, "xiezuo: 输出文件应以 .xlsx 结尾")
		return exitUsage
	}
	asOf := xiezuo.DayOf(time.Now())
	if *asOfFlag != "" {
		if !*live {
			fmt.Fprintln(e.stderr, "xiezuo: --as-of 只用于 --live（动态列截至的日期）")
			return exitUsage
		}
		d, err := xiezuo.ParseDate(*asOfFlag)
		if err != nil {
			fmt.Fprintf(e.stderr, "xiezuo: --as-of「%s」不是日期，应如 2021-09-30\n", *asOfFlag)
			return exitUsage
		}
		if xiezuo.DaysBetween(asOf, d) > 0 {
			fmt.Fprintf(e.stderr, "xiezuo: --as-of %s 晚于今天（%s），只能截至今天及以前\n", d, asOf)
			return exitUsage
		}
		asOf = d
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
	if *live {
		figures, err := db.PlanLiveFigures(ctx, *district, *year, asOf)
		if err != nil {
			fmt.Fprintf(e.stderr, "xiezuo: %s\n", xiezuo.ErrorMessage(err))
			return exitError
		}
		if err := xlsx.WriteProjectsLiveFile(*out, p, xlsx.Live{AsOf: asOf, Projects: figures}); err != nil {
			fmt.Fprintf(e.stderr, "xiezuo: 写入“%s”失败：%v\n", *out, err)
			return exitError
		}
		fmt.Fprintf(e.stdout, "已导出 %d年%s项目计划表（%d 个项目，动态列截至 %s）到 %s\n", p.Year, p.District, len(p.Projects), asOf, *out)
		return exitOK
	}
	if err := xlsx.WriteProjectsFile(*out, p); err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 写入“%s”失败：%v\n", *out, err)
		return exitError
	}
	fmt.Fprintf(e.stdout, "已导出 %d年%s项目计划表（%d 个项目）到 %s\n", p.Year, p.District, len(p.Projects), *out)
	return exitOK
}

// runExportTasks writes the task list (附件2) with its status columns as of a day: xiezuo export
// tasks --db DB --year Y --district D [--as-of YYYY-MM-DD] -o FILE.xlsx.
func runExportTasks(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "export tasks", "--db 数据库 --year 年份 --district 区县 [--as-of YYYY-MM-DD] -o 文件.xlsx")
	dsn := dbFlag(e, fs)
	year := fs.Int("year", 0, "年份，如 2021")
	district := fs.String("district", "", "区县，如 门头沟区")
	out := fs.String("o", "", "输出文件（.xlsx）")
	asOfFlag := fs.String("as-of", "", "进展截至的日期 YYYY-MM-DD（默认今天）")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(rest) > 0 || *year == 0 || *district == "" || *out == "" {
		fmt.Fprintln(e.stderr, "xiezuo: export tasks 需要 --year、--district 和 -o")
		fs.Usage()
		return exitUsage
	}
	if !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		fmt.Fprintln(e.stderr, "xiezuo: 输出文件应以 .xlsx 结尾")
		return exitUsage
	}
	now := time.Now()
	asOf, at := xiezuo.DayOf(now), now
	if *asOfFlag != "" {
		d, err := xiezuo.ParseDate(*asOfFlag)
		if err != nil {
			fmt.Fprintf(e.stderr, "xiezuo: --as-of「%s」不是日期，应如 2021-08-31\n", *asOfFlag)
			return exitUsage
		}
		if xiezuo.DaysBetween(asOf, d) > 0 {
			fmt.Fprintf(e.stderr, "xiezuo: --as-of %s 晚于今天（%s），只能截至今天及以前\n", d, asOf)
			return exitUsage
		}
		if d != asOf {
			asOf, at = d, xiezuo.EndOfDay(d) // a past day as it stood when it ended
		}
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "xiezuo: %s\n", xiezuo.ErrorMessage(err))
		return exitError
	}
	p, err := db.LoadPlan(ctx, *district, *year)
	if err != nil {
		return fail(err)
	}
	members, err := db.GroupMembers(ctx, *district)
	if err != nil {
		return fail(err)
	}
	as, err := db.Assignments(ctx, *district, *year)
	if err != nil {
		return fail(err)
	}
	cadence, err := db.Cadence(ctx, *district)
	if err != nil {
		return fail(err)
	}
	reports, err := db.PlanReports(ctx, *district, *year)
	if err != nil {
		return fail(err)
	}
	closures, err := db.PlanClosures(ctx, *district, *year)
	if err != nil {
		return fail(err)
	}
	b := xiezuo.Supervise(p, xiezuo.NewGroups(members, as), cadence, reports, closures, at)
	table := xlsx.TaskTable{AsOf: asOf, Progress: xiezuo.TasksProgress(&b, reports)}
	if err := xlsx.WriteTasksFile(*out, p, table); err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 写入“%s”失败：%v\n", *out, err)
		return exitError
	}
	fmt.Fprintf(e.stdout, "已导出 %d年%s任务清单（%d 项任务，进展截至 %s）到 %s\n", p.Year, p.District, len(p.Tasks), asOf, *out)
	return exitOK
}
