package main

import (
	"context"
	"fmt"
	"strings"

	"xiezuo/sqldb"
)

// runMigrate brings the schema up to date as the owner of the tables, and with --app-role
// grants the role the application runs as what it needs and no more (docs/security.md). serve
// and the other commands migrate too when they may; with PostgreSQL and an application role
// that may not, they refuse and name this command.
func runMigrate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "migrate", "--db 数据库 [--app-role 角色]")
	dsn := dbFlag(e, fs)
	app := fs.String("app-role", "", "PostgreSQL：授权给运行应用的角色（只能读写数据、追加审计日志，不能修改结构）")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		return exitUsage
	}
	applied, err := sqldb.Migrate(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 无法更新数据库“%s”的结构：%s\n", redact(*dsn), errorText(err))
		return exitError
	}
	fmt.Fprintf(e.stdout, "数据库结构已是最新：%s\n", strings.Join(applied, "、"))
	if *app == "" {
		return exitOK
	}
	db, err := sqldb.Open(ctx, *dsn)
	if err != nil {
		return fail(e, err)
	}
	defer db.Close()
	if err := db.GrantApp(ctx, *app); err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "已授权角色 %s：读写数据表，审计日志只能查询和追加，不能修改结构或停用触发器。\n", *app)
	return exitOK
}
