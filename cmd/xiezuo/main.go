// Command xiezuo is the work platform of a district's support-cooperation office: it checks
// and imports the year's plan, prints its summary, exports the project table and serves the
// web application. Run `xiezuo help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"xiezuo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes: 0 done; 1 the input has errors (or the work failed); 2 unreadable input or bad usage.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// command is one subcommand of xiezuo.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) int
}

// env is what a command may touch: its arguments' world, passed in rather than global.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"check", "检查计划文件（.md/.txt/.xlsx/.csv），不写入任何数据", runCheck},
		{"import", "导入计划文件：每个文件全部导入或全部不导入，说明哪些已导入；重复导入不产生重复数据", runImport},
		{"summary", "从数据库读出某区某年计划的汇总（与 check 输出相同）", runSummary},
		{"export", "导出表格：export projects 导出项目计划表（附件3格式 .xlsx）；export tasks 导出任务清单（附件2格式，含进展 .xlsx）", runExport},
		{"report", "按数据起草材料：report summary 半年或全年工作总结，report assessment 考核自评（.docx/.pdf，自评还可 .xlsx/.zip）", runReport},
		{"sample", "把内置的 2021 年门头沟区计划导入数据库（示例数据）", runSample},
		{"generate", "生成合成计划（文件或直接写入数据库），供演示与性能评测", runGenerate},
		{"user", "管理账号：user add 新建，user list 列出，user unlock 解除锁定", runUser},
		{"audit", "审计日志：audit verify 校验哈希链，audit head 最新记录，audit search 查询，audit prune 清理，audit key-switch 升级时改用审计密钥（一次）", runAudit},
		{"keys", "密钥文件：keys new 生成，keys audit 加入审计密钥", runKeys},
		{"remind", "运行一次每日督办提醒：生成当天的提醒并发送到期消息（同一天只生成一次）", runRemind},
		{"migrate", "以数据库所有者更新数据库结构，并可授权应用角色（PostgreSQL）", runMigrate},
		{"labour", "劳务协作清单：labour import 导入在京务工人员、有意愿外出务工人员或用工需求清单（.xlsx/.csv）", runLabour},
		{"backup", "备份：在运行中也可把整个数据库（同一时刻）和佐证材料写入一个文件，可恢复到 SQLite 或 PostgreSQL", runBackup},
		{"restore", "恢复：把备份文件写入空数据库（SQLite 或 PostgreSQL，由此从 SQLite 迁移到 PostgreSQL）", runRestore},
		{"serve", "启动 Web 服务（/healthz 健康检查）", runServe},
		{"help", "显示帮助", nil},
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] && c.run != nil {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "xiezuo: 未知命令“%s”，运行 xiezuo help 查看可用命令\n", args[0])
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "xiezuo（协作）：支援合作工作平台")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "用法：xiezuo <命令> [参数]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "命令：")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "数据库：--db 取 SQLite 文件路径（默认 data/xiezuo.db）或 postgres:// 地址。")
	fmt.Fprintln(w, "每个命令的参数：xiezuo <命令> -h")
}

// fail reports an error to the user in Chinese; anything that is not a domain error is shown
// with its full text too, since the command line is the operator's own console.
func fail(e *env, err error) int {
	var de *xiezuo.Error
	if errors.As(err, &de) {
		fmt.Fprintf(e.stderr, "xiezuo: %s\n", de.Message)
		if de.Code == xiezuo.EINVALID {
			return exitUsage
		}
		return exitError
	}
	fmt.Fprintf(e.stderr, "xiezuo: %v\n", err)
	return exitError
}
