package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/password"
	"xiezuo/sqldb"
	"xiezuo/web"
)

const userUsage = `用法：
  xiezuo user add --db 数据库 --username 登录名 --name 姓名 --district 区县 --unit 单位 --role 角色[,角色…] [--region 协作地区[,…]] [--phone 手机号码] [--password 密码|-]
  xiezuo user list --db 数据库 [--district 区县] [--unit 单位] [--role 角色]
  xiezuo user unlock --db 数据库 --username 登录名
  xiezuo user token --db 数据库 --username 登录名 [--label 名称] [--days 天数]`

// runUser manages accounts from the console of the server: the first administrator, and the
// way back in when every administrator is locked out.
func runUser(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, userUsage)
		return exitUsage
	}
	ctx = sqldb.WithActor(ctx, cliActor(e))
	switch args[0] {
	case "add":
		return runUserAdd(ctx, e, args[1:])
	case "list":
		return runUserList(ctx, e, args[1:])
	case "unlock":
		return runUserUnlock(ctx, e, args[1:])
	case "token":
		return runUserToken(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "xiezuo: 未知的 user 子命令“%s”\n%s\n", args[0], userUsage)
	return exitUsage
}

// cliActor is who acts from the command line, for the audit log: the system, run by the
// operating-system user named by USER.
func cliActor(e *env) sqldb.Actor {
	from := "命令行"
	if u := strings.TrimSpace(e.getenv("USER")); u != "" {
		from += "（" + u + "）"
	}
	return sqldb.Actor{Username: "system", IP: from}
}

// listFlag is a flag that may be given several times, each time a list separated by commas.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

func runUserAdd(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "user add", "--db 数据库 --username 登录名 --name 姓名 --district 区县 --unit 单位 --role 角色[,角色…] [--region 协作地区] [--phone 手机号码] [--password 密码|-]")
	dsn := dbFlag(e, fs)
	username := fs.String("username", "", "登录名")
	name := fs.String("name", "", "姓名")
	district := fs.String("district", "", "所属区县，如 门头沟区")
	unit := fs.String("unit", "", "所属单位，如 领导小组办公室")
	var roles, regions listFlag
	fs.Var(&roles, "role", "角色，以逗号分隔："+strings.Join(xiezuo.Roles, ","))
	fs.Var(&regions, "region", "前方挂职干部负责的协作地区，以逗号分隔或重复给出")
	phone := fs.String("phone", "", "手机号码（加密保存，需要密钥文件）")
	pw := fs.String("password", "", "初始密码；不给则生成一个并只显示一次；- 表示从标准输入读一行")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(rest) > 0 || *username == "" || *name == "" || *district == "" || *unit == "" || len(roles) == 0 {
		fmt.Fprintln(e.stderr, "xiezuo: user add 需要 --username、--name、--district、--unit 和 --role")
		fs.Usage()
		return exitUsage
	}
	// The rule the web form and storage apply, checked before anything is asked or opened.
	check := xiezuo.User{Username: *username, Name: *name, District: *district, Unit: *unit, Roles: roles, Regions: regions, Phone: *phone}
	if err := check.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %s\n", xiezuo.ErrorMessage(err))
		return exitUsage
	}
	secret, generated := *pw, false
	switch secret {
	case "":
		secret, generated = password.Generate(), true
	case "-":
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			fmt.Fprintln(e.stderr, "xiezuo: 没有从标准输入读到密码")
			return exitUsage
		}
		secret = strings.TrimRight(line, "\r\n")
	}
	if err := password.Check(secret, strings.TrimSpace(*username)); err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %s\n", xiezuo.ErrorMessage(err))
		return exitUsage
	}
	hash, err := password.Hash(secret)
	if err != nil {
		return fail(e, err)
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	u := &xiezuo.User{
		Username: *username, Name: *name, District: *district, Unit: *unit,
		Roles: roles, Regions: regions, Phone: *phone, MustChange: generated,
	}
	if err := db.CreateUser(ctx, u, hash); err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "已创建账号 %s（%s，%s%s，角色：%s）。\n", u.Username, u.Name, u.District, u.Unit, roleNames(u.Roles))
	// The operator runs this on the server, to make the first accounts before any security
	// administrator exists: privileged roles are recorded as approved by the system, audited
	// (docs/security.md, 三员分立).
	if u.Privileged() {
		if err := db.RecordApprovedGrant(ctx, u.ID, u.Roles, "运维人员在服务器上以 xiezuo user add 建立"); err != nil {
			return fail(e, err)
		}
		fmt.Fprintln(e.stdout, "特权角色由运维人员在服务器上授予，不经安全管理员批准，已记入审计日志。")
	}
	if generated {
		fmt.Fprintf(e.stdout, "初始密码：%s\n", secret)
		fmt.Fprintln(e.stdout, "初始密码只显示这一次：请经安全渠道交给本人，首次登录时须修改。")
	}
	return exitOK
}

// roleNames writes roles by their names on screen: 办公室、成员单位.
func roleNames(roles []string) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = xiezuo.RoleNames[r]
	}
	return strings.Join(names, "、")
}

func runUserList(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "user list", "--db 数据库 [--district 区县] [--unit 单位] [--role 角色]")
	dsn := dbFlag(e, fs)
	var f sqldb.UserFilter
	fs.StringVar(&f.District, "district", "", "只列出该区县的账号")
	fs.StringVar(&f.Unit, "unit", "", "只列出该单位的账号")
	fs.StringVar(&f.Role, "role", "", "只列出有该角色的账号")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		return exitUsage
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	accounts, err := db.Users(ctx, f)
	if err != nil {
		return fail(e, err)
	}
	now := time.Now()
	fmt.Fprintln(e.stdout, "登录名\t姓名\t区县\t单位\t角色\t状态\t最近登录")
	for _, a := range accounts {
		state := "正常"
		switch {
		case a.Disabled:
			state = "已停用"
		case a.Locked(now):
			state = "锁定至 " + a.LockedUntil.In(shanghai).Format("2006-01-02 15:04")
		case a.MustChange:
			state = "须修改密码"
		}
		last := "—"
		if !a.LastSignIn.IsZero() {
			last = a.LastSignIn.In(shanghai).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Username, a.Name, a.District, a.Unit, roleNames(a.Roles), state, last)
	}
	fmt.Fprintf(e.stdout, "共 %d 个账号。\n", len(accounts))
	return exitOK
}

func runUserUnlock(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "user unlock", "--db 数据库 --username 登录名")
	dsn := dbFlag(e, fs)
	username := fs.String("username", "", "登录名")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 || *username == "" {
		if err == nil {
			fmt.Fprintln(e.stderr, "xiezuo: user unlock 需要 --username")
			fs.Usage()
		}
		return exitUsage
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	a, err := db.AccountByUsername(ctx, *username)
	if err != nil {
		return fail(e, err)
	}
	if err := db.Unlock(ctx, a.ID); err != nil {
		return fail(e, err)
	}
	if a.Locked(time.Now()) {
		fmt.Fprintf(e.stdout, "已解除账号 %s 的锁定（原锁定至 %s）。\n", a.Username, a.LockedUntil.In(shanghai).Format("2006-01-02 15:04"))
	} else {
		fmt.Fprintf(e.stdout, "账号 %s 未被锁定；登录失败次数已清零。\n", a.Username)
	}
	return exitOK
}

// shanghai is the time zone times are shown in: China has kept UTC+8 without summer time
// since 1991.
var shanghai = time.FixedZone("CST", 8*3600)

// runUserToken makes an API token for the user and prints it, alone on one line, for a script
// to read; it is shown only this once. It lasts --days days (default 90, at most 365).
func runUserToken(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "user token", "--db 数据库 --username 登录名 [--label 名称] [--days 天数]")
	dsn := dbFlag(e, fs)
	username := fs.String("username", "", "登录名")
	label := fs.String("label", "命令行创建", "令牌的名称，如 统计平台同步")
	days := fs.Int("days", xiezuo.APITokenDays, fmt.Sprintf("有效天数（1 到 %d）", xiezuo.APITokenMaxDays))
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 || *username == "" {
		if err == nil {
			fmt.Fprintln(e.stderr, "xiezuo: user token 需要 --username")
			fs.Usage()
		}
		return exitUsage
	}
	now := time.Now()
	expires, err := xiezuo.APITokenExpiry(now, *days)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %s\n", errorText(err))
		return exitUsage
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	a, err := db.AccountByUsername(ctx, *username)
	if err != nil {
		return fail(e, err)
	}
	token, hash := web.NewAPIToken()
	if _, err := db.CreateAPIToken(ctx, a.ID, *label, hash, now, expires); err != nil {
		return fail(e, err)
	}
	fmt.Fprintln(e.stdout, token)
	return exitOK
}
