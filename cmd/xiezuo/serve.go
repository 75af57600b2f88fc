package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/auditship"
	"xiezuo/gen"
	"xiezuo/otp"
	"xiezuo/password"
	"xiezuo/remind"
	"xiezuo/sqldb"
	"xiezuo/web"
)

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "serve", "[--addr 地址:端口] [--db 数据库] [--evidence-dir 目录] [--demo] [--today YYYY-MM-DD]")
	dsn := dbFlag(e, fs)
	addr := fs.String("addr", "127.0.0.1:8080", "监听地址")
	demo := fs.Bool("demo", false, "演示模式：使用内置默认数据库，载入 2021 年计划，建立各角色的演示账号")
	secure := fs.Bool("secure-cookies", false, "在 HTTPS 反向代理之后运行时设置，使会话 Cookie 只经 HTTPS 传送")
	proxies := fs.String("trusted-proxy", "", "反向代理的地址段（CIDR，逗号分隔，如 10.0.0.5/32）：只采信这些地址发来的 X-Real-IP / X-Forwarded-For；默认不采信")
	evidenceDir := fs.String("evidence-dir", "", "进展报告佐证材料（照片、PDF、Word、Excel）的存放目录，按内容的 SHA-256 存放；默认为 SQLite 数据库文件旁的 evidence 目录（如 data/evidence），使用 PostgreSQL 时为 data/evidence；多个实例共用一个数据库时须指向同一共享目录")
	todayFlag := fs.String("today", "", "把这一天当作今天（演示、培训用）：时间从该日当前时刻起走，灯色、期限和“不得晚于今天”都按它；--demo 默认 "+demoToday)
	remindAt := fs.String("remind-at", "08:30", "每日督办提醒的时间（北京时间 时:分）；off 关闭。多个实例共用一个数据库时每天只发一次")
	hostsFlag := fs.String("webhook-hosts", "", webhookHostsUsage)
	memLimit := fs.Int("memory-limit", 256, "内存软上限（MiB）：超过时更频繁地回收内存；环境变量 GOMEMLIMIT 优先")
	logFormat := fs.String("log-format", "text", "日志格式：text（默认）或 json（每行一个 JSON 对象，供日志系统采集）；日志不含查询参数和个人信息")
	auditShip := fs.String("audit-ship", "", "把审计记录随写随送到单位的日志系统：syslog+udp://主机:端口、syslog+tcp://主机:端口（RFC 5424，每条一个消息）或 file:/路径/audit.jsonl（JSON 行，按批 fsync，轮转后重新打开）；只写入普通文件（拒绝命名管道、设备与符号链接）；多个实例只由一个发送，TCP 与文件至少送达一次，UDP 尽力而为（可能丢失）；采集端按 seq 与 hash 一起去重（同一 seq 而 hash 不同是恢复备份后的另一条链，不是重复）")
	accessLog := fs.Bool("access-log", false, "记录每个请求：方法、路由模式（不含实际路径和查询参数）、状态码和耗时")
	metricsToken := fs.String("metrics-token", e.getenv("XIEZUO_METRICS_TOKEN"), "允许其他机器以 Authorization: Bearer 令牌 读取 /metrics；默认取环境变量 XIEZUO_METRICS_TOKEN（宜用环境变量，命令行参数他人可见）；未设置时只允许本机（回环地址）读取")
	drainWait := fs.Duration("drain-wait", 0, "停止时先让 /readyz 返回 503 并等待这么久（如 5s，负载均衡摘除本实例），再停止接收新请求")
	stopTimeout := fs.Duration("shutdown-timeout", 10*time.Second, "停止时等待进行中的请求完成的最长时间（systemd 的 TimeoutStopSec 应大于它与 --drain-wait 之和）")
	replicaDSN := fs.String("replica-dsn", "", "PostgreSQL 只读副本（postgres:// 地址，如 HAProxy 的副本端口）：领导驾驶舱和公告公示页面在副本延迟不超过 --replica-max-lag 时从副本读取，否则从主库读取；默认不用副本")
	replicaLag := fs.Duration("replica-max-lag", 5*time.Second, "从副本读取时允许的最大复制延迟（如 5s）；超过或副本无法连接时改读主库")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		return exitUsage
	}
	if *metricsToken != "" && len(strings.TrimSpace(*metricsToken)) < minMetricsToken {
		fmt.Fprintf(e.stderr, "xiezuo serve: /metrics 的令牌（--metrics-token 或 %s）至少 %d 个字符，如 openssl rand -hex 16 生成的；过短的令牌可被猜出\n", "XIEZUO_METRICS_TOKEN", minMetricsToken)
		return exitUsage
	}
	if *replicaDSN != "" && !strings.HasPrefix(*replicaDSN, "postgres://") && !strings.HasPrefix(*replicaDSN, "postgresql://") {
		fmt.Fprintf(e.stderr, "xiezuo serve: --replica-dsn：副本地址须为 postgres:// 开头的 PostgreSQL 地址\n")
		return exitUsage
	}
	trusted, err := parseProxies(*proxies)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo serve: %s\n", errorText(err))
		return exitUsage
	}
	webhookHosts, err := xiezuo.ParseWebhookHosts(*hostsFlag)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo serve: --webhook-hosts：%s\n", errorText(err))
		return exitUsage
	}
	if *demo && !flagSet(fs, "today") {
		*todayFlag = demoToday
	}
	var clock func() time.Time
	if *todayFlag != "" {
		day, err := xiezuo.ParseDate(*todayFlag)
		if err != nil {
			fmt.Fprintf(e.stderr, "xiezuo serve: --today 「%s」不是日期，应如 2021-09-15\n", *todayFlag)
			return exitUsage
		}
		clock = xiezuo.ClockOn(day, time.Now)
	}
	at, remindOn, err := parseRemindAt(*remindAt)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo serve: %s\n", errorText(err))
		return exitUsage
	}
	log, err := newLogger(e.stderr, *logFormat)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo serve: %s\n", errorText(err))
		return exitUsage
	}
	if e.getenv("GOMEMLIMIT") == "" && *memLimit > 0 {
		// A soft limit: the collector works harder near it, so a busy instance stays small
		// on a shared office machine; it never refuses memory.
		debug.SetMemoryLimit(int64(*memLimit) << 20)
	}
	// Temporary folders of workbook reads that a crash of an earlier run left behind.
	sweepTemp(e)
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	sealer, err := openSealer(e, *dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 无法读取个人信息加密密钥：%s\n", errorText(err))
		return exitError
	}
	db.SetSealer(sealer)
	if clock != nil {
		db.SetClock(clock)
		fmt.Fprintf(e.stdout, "今天按 %s 计（--today）：灯色、期限和新记录的日期都以此为准\n", clock().In(xiezuo.Beijing).Format("2006-01-02"))
	}
	ctx = sqldb.WithActor(ctx, cliActor(e))
	if *demo {
		s, err := loadSample(ctx, db)
		if err != nil {
			return fail(e, err)
		}
		printSummary(e.stdout, s)
		if err := demoAccounts(ctx, e, db); err != nil {
			return fail(e, err)
		}
		// The steps first: the money, results, assets and public notice follow them.
		if err := demoLife(ctx, e, db); err != nil {
			return fail(e, err)
		}
		if err := demoHalfYear(ctx, e, db); err != nil {
			return fail(e, err)
		}
		if err := demoLabour(ctx, e, db); err != nil {
			return fail(e, err)
		}
	} else if err := firstAdmin(ctx, e, db); err != nil {
		return fail(e, err)
	}
	var factor otp.Factor = otp.TOTP{}
	if clock != nil {
		factor = machineTimeFactor{factor}
	}
	var replica *sqldb.Replica
	if *replicaDSN != "" {
		if replica, err = sqldb.OpenReplica(ctx, *replicaDSN, *replicaLag); err != nil {
			fmt.Fprintf(e.stderr, "xiezuo serve: --replica-dsn：%s\n", errorText(err))
			return exitUsage
		}
		defer replica.Close()
	}
	srv, err := web.NewServer(web.Config{Replica: replica, SecureCookies: *secure, TrustedProxies: trusted, Now: clock, EvidenceDir: evidenceDirOf(*evidenceDir, *dsn), WebhookHosts: webhookHosts, MetricsToken: *metricsToken, AccessLog: *accessLog}, db, sealer, factor, log)
	if err != nil {
		return fail(e, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: 无法监听 %s：%v\n", *addr, err)
		return exitError
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(e.stdout, "xiezuo 已启动：http://%s/ （健康检查 /healthz，接口说明 /api/openapi.json），按 Ctrl+C 停止\n", ln.Addr())
	sweepCtx, stopSweep := context.WithCancel(ctx)
	sweepDone := make(chan struct{})
	defer func() { stopSweep(); <-sweepDone }() // before the database closes
	go func() {
		defer close(sweepDone)
		// Every minute: imports whose process died are ended (their page stops waiting within
		// two minutes of the crash); every tenth: sessions, uploads and evidence are swept.
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		for n := 1; ; n++ {
			select {
			case <-sweepCtx.Done():
				return
			case <-tick.C:
				host, _ := os.Hostname()
				sweep := sqldb.WithActor(sweepCtx, sqldb.Actor{Username: "system", IP: "定时清理任务 " + host})
				if ended, err := db.EndInterruptedLabourImports(sweep); err != nil && sweepCtx.Err() == nil {
					log.Error("end interrupted imports", "err", err)
				} else if ended > 0 {
					log.Warn("interrupted imports ended", "imports", ended)
				}
				if n%10 != 0 {
					continue
				}
				err := srv.Sweep(sweepCtx)
				if err != nil {
					log.Error("sweep", "err", err)
				}
				if sweepCtx.Err() == nil {
					srv.RecordJob("sweep", err)
				}
			}
		}
	}()
	if *auditShip != "" {
		s, err := auditship.Open(*auditShip)
		if err != nil {
			return fail(e, err)
		}
		s.Close()
		sctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			auditship.Run(sctx, db, *auditShip, time.Second, func(err error) { log.Error("audit ship: failing, tried again every second", "err", err) },
				func() { log.Info("audit ship: working again") })
		}()
		defer func() { stop(); <-done }() // before the database closes
	}
	if remindOn {
		// The daily reminders and their delivery: at the time of day, or at once when it has
		// passed and no instance has run today (a restart catches up); once per day over all
		// instances sharing the database.
		job := &remind.Job{DB: db, Source: remind.PlanSource(db, 0), At: at, Log: log, Now: clock, WebhookHosts: webhookHosts, Ran: srv.RecordJob} // warn days: the office's cadence
		lctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); job.Loop(lctx, time.Minute) }()
		defer func() { stop(); <-done }() // before the database closes
	}
	if err := serveUntil(ctx, hs, ln, srv, *drainWait, *stopTimeout); err != nil {
		fmt.Fprintf(e.stderr, "xiezuo: %v\n", err)
		return exitError
	}
	return exitOK
}

// minMetricsToken is the shortest token /metrics accepts from afar: 16 bytes besides spaces,
// such as 64 random bits in hex, cannot be guessed over the network.
const minMetricsToken = 16

// evidenceDirOf is the folder of the evidence store: the one given, else evidence beside the
// SQLite file, else data/evidence for PostgreSQL.
func evidenceDirOf(flag, dsn string) string {
	switch {
	case flag != "":
		return flag
	case isPostgres(dsn):
		return filepath.Join("data", "evidence")
	}
	return filepath.Join(filepath.Dir(dsn), "evidence")
}

// parseProxies reads the --trusted-proxy list: CIDR ranges, or single addresses, separated by
// commas.
func parseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "--trusted-proxy 的「%s」不是地址或 CIDR 地址段（如 10.0.0.5/32、10.0.0.0/8）", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// demoToday is the day the demo takes as today unless --today says otherwise: inside the
// sample plan's year, after its half-year summary and before most of its deadlines, so that its
// duties show every light.
const demoToday = "2021-09-15"

// machineTimeFactor checks second-factor codes on the machine's clock whatever --today says:
// the authenticator on a phone knows no other day.
type machineTimeFactor struct{ otp.Factor }

// Verify checks code at the machine's time.
func (f machineTimeFactor) Verify(secret []byte, code string, _ time.Time, lastStep int64) (int64, bool) {
	return f.Factor.Verify(secret, code, time.Now(), lastStep)
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// demoPassword is the password of every demo account. Demo accounts are for trying xiezuo on
// one's own machine, never for a real deployment.
const demoPassword = "Xiezuo@2021"

// demoUsers are one account per role, in the 2021 plan's units.
var demoUsers = []xiezuo.User{
	{Username: "office", Name: "王办公", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}},
	{Username: "caizheng", Name: "李财政", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}},
	{Username: "kexin", Name: "赵科信", Unit: "区科技和信息化局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}},
	{Username: "renshe", Name: "刘人社", Unit: "区人力社保局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}},
	{Username: "wuchuan", Name: "陈干部", Unit: "前方挂职干部", Roles: []string{xiezuo.RoleCadre}, Regions: []string{"内蒙古武川县"}},
	{Username: "leader", Name: "周区长", Unit: "区政府办公室", Roles: []string{xiezuo.RoleLeader}},
	{Username: "sysadmin", Name: "孙系统", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleSysAdmin}},
	{Username: "secadmin", Name: "吴安全", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleSecAdmin}},
	{Username: "auditor", Name: "郑审计", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleAuditor}},
	{Username: "city", Name: "何市级", District: "北京市", Unit: "市支援合作办", Roles: []string{xiezuo.RoleCityOffice}},
}

// demoAccounts creates the demo accounts that do not exist yet, turns the second factor off for
// the demo unless a policy was set, and prints the accounts.
func demoAccounts(ctx context.Context, e *env, db *sqldb.DB) error {
	hash, err := password.Hash(demoPassword)
	if err != nil {
		return err
	}
	for _, du := range demoUsers {
		u := du
		if u.District == "" {
			u.District = "门头沟区"
		}
		u.PasswordAt = time.Now()
		if _, err := db.UserByUsername(ctx, u.Username); err == nil {
			continue
		} else if xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			return err
		}
		if err := db.CreateUser(ctx, &u, hash); err != nil {
			return fmt.Errorf("create demo account %s: %w", u.Username, err)
		}
		// The operator seeds the demo on the server: its privileged roles are recorded as
		// approved by the system, audited, so that the accounts are ready to use.
		if u.Privileged() {
			if err := db.RecordApprovedGrant(ctx, u.ID, u.Roles, "演示账号，由运维人员以 serve --demo 建立"); err != nil {
				return fmt.Errorf("approve demo account %s: %w", u.Username, err)
			}
		}
	}
	// The demo's leading group: every department and organisation of the catalogue, which the
	// office then edits on /group/members.
	if members, err := db.GroupMembers(ctx, "门头沟区"); err != nil {
		return err
	} else if len(members) == 0 {
		if err := db.SetGroupMembers(ctx, "门头沟区", xiezuo.CatalogueMembers()); err != nil {
			return fmt.Errorf("seed the demo's leading group: %w", err)
		}
	}
	if _, ok, err := db.Setting(ctx, "policy.mfa_roles"); err != nil {
		return err
	} else if !ok {
		if err := db.SetSetting(ctx, "policy.mfa_roles", ""); err != nil {
			return err
		}
	}
	fmt.Fprintln(e.stdout, "演示账号（密码均为 "+demoPassword+"，仅供本机试用）：")
	for _, u := range demoUsers {
		fmt.Fprintf(e.stdout, "  %-9s %s\n", u.Username, u.Label())
	}
	if v, _, err := db.Setting(ctx, "policy.mfa_roles"); err == nil && v == "" {
		fmt.Fprintln(e.stdout, "演示环境未要求动态口令（第二重认证）；正式使用前请以 secadmin 在“安全策略”中为三员等角色开启。")
	}
	return nil
}

// demoHalfYear writes, on the demo's first start and after the projects' steps (demoLife), the
// projects' money, then a generated half year of reports, reviews, closures and notices on the
// 2021 plan up to the demo's today, so that a newcomer finds a realistic mix of lights and each
// demo unit something to do, then the villages, results and assets and the public notice. A
// database that already holds reports is left as it is.
func demoHalfYear(ctx context.Context, e *env, db *sqldb.DB) error {
	// The projects' money (gen/funds.go): written once, whatever the reports.
	fs, err := gen.WriteFunds(ctx, db, gen.FundsDemo{District: "门头沟区", Year: 2021, Today: db.Now(), Seed: 1, By: demoWriters()["领导小组办公室"]})
	if err != nil {
		return fmt.Errorf("generate the demo's fund transactions: %w", err)
	}
	if fs.Transactions > 0 {
		fmt.Fprintf(e.stdout, "已生成演示用的项目资金记录 %d 笔（其中冲销 %d 笔）\n", fs.Transactions, fs.Reversals)
	}
	rs, err := db.PlanReports(ctx, "门头沟区", 2021)
	if err != nil || len(rs) > 0 {
		return err
	}
	// The demo office warns ten days ahead rather than the default three, so that on the demo's
	// day (15 September, ten days before the monthly report of the 25th) the duties not yet
	// reported show yellow beside the green, red and closed ones.
	c := xiezuo.DefaultCadence()
	c.WarnDays = 10
	if err := db.SetCadence(ctx, "门头沟区", c); err != nil {
		return err
	}
	stats, err := gen.WriteHalfYear(ctx, db, gen.HalfYear{District: "门头沟区", Year: 2021, Today: db.Now(), Seed: 1, Users: demoWriters()})
	if err != nil {
		return fmt.Errorf("generate the demo's half year: %w", err)
	}
	fmt.Fprintf(e.stdout, "已生成演示用的督查数据：进展报告 %d 份（%d 个版本，审核 %d 次，其中退回 %d 次），销号 %d 项，督办单 %d 份\n",
		stats.Reports, stats.Versions, stats.Reviews, stats.Returned, stats.Closures, stats.Notices)
	reach, err := gen.WriteReach(ctx, db, gen.Reach{District: "门头沟区", Year: 2021, Today: db.Now(), Seed: 1, Users: demoWriters()})
	if err != nil {
		return fmt.Errorf("generate the demo's villages, results and assets: %w", err)
	}
	fmt.Fprintf(e.stdout, "已生成演示用的项目成效数据：受益村 %d 个，成效数据 %d 条，帮扶资产 %d 项\n", reach.Villages, reach.Results, reach.Assets)
	pub, err := gen.WritePublic(ctx, db, "门头沟区", 2021, db.Now())
	if err != nil {
		return fmt.Errorf("generate the demo's public notice: %w", err)
	}
	fmt.Fprintf(e.stdout, "已生成演示用的公告公示：公示中项目 %d 个，已撤回 %d 个（/public/）\n", pub.Published, pub.Withdrawn)
	return demoRegisters(ctx, e, db)
}

// demoRegisters writes, on the demo's first start, the work registers of 2021 up to the demo's
// today (gen.RegisterYear): meetings, visits, agreements, pairings, seconded people, trainings,
// articles, purchases, donations, firms, parks, villages and problems, each recorded by its
// unit's demo account where it has one, else by the office, so that the scorecard (/scorecard)
// and the dashboard (/dashboard) show a year in progress with its gaps. A district whose
// registers hold entries is left as it is.
func demoRegisters(ctx context.Context, e *env, db *sqldb.DB) error {
	rows, err := db.RegisterRows(ctx, "门头沟区", time.Time{})
	if err != nil || len(rows) > 0 {
		return err
	}
	p, err := db.LoadPlan(ctx, "门头沟区", 2021)
	if err != nil {
		return err
	}
	entries := gen.RegisterYear(p, xiezuo.DayOf(db.Now()), 1)
	if err := gen.WriteRegistersBy(ctx, db, "门头沟区", entries, demoWriters(), demoWriters()["领导小组办公室"]); err != nil {
		return fmt.Errorf("generate the demo's registers: %w", err)
	}
	fmt.Fprintf(e.stdout, "已生成演示用的工作台账 %d 条（会议、调研、协议、结对、干部人才、培训、信息、采购、捐赠、企业、园区车间、示范村、问题整改）\n", len(entries))
	return nil
}

// demoLife writes, on the demo's first start, the steps of the 2021 projects up to the demo's
// today (gen.WriteLife): most started, several completed, one accepted, one suspended, one
// adjusted. A plan whose projects already have steps is left as it is.
func demoLife(ctx context.Context, e *env, db *sqldb.DB) error {
	steps, err := db.PlanSteps(ctx, "门头沟区", 2021)
	if err != nil || len(steps) > 0 {
		return err
	}
	st, err := gen.WriteLife(ctx, db, gen.Life{District: "门头沟区", Year: 2021, Today: db.Now(), Seed: 1, Users: demoWriters()})
	if err != nil {
		return fmt.Errorf("generate the demo's project steps: %w", err)
	}
	fmt.Fprintf(e.stdout, "已生成演示用的项目进展：步骤 %d 个（已开工 %d、已完工 %d、已验收 %d、已移交资产 %d、暂停 %d、未开工 %d 个项目）\n", st.Steps,
		st.Statuses[xiezuo.StatusStarted], st.Statuses[xiezuo.StatusCompleted], st.Statuses[xiezuo.StatusAccepted],
		st.Statuses[xiezuo.StatusHandedOver], st.Statuses[xiezuo.StatusSuspended], st.Statuses[xiezuo.StatusPlanned])
	return nil
}

// demoWriters names, for each unit of a demo account that reports or reviews, the account that
// writes for it.
func demoWriters() map[string]string {
	m := map[string]string{}
	for _, u := range demoUsers {
		if u.District == "" && u.HasAny(xiezuo.RoleOffice, xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre) && m[u.Unit] == "" {
			m[u.Unit] = u.Username
		}
	}
	return m
}

// firstAdmin creates the first system administrator when the database has no account, and
// prints its one-time password.
func firstAdmin(ctx context.Context, e *env, db *sqldb.DB) error {
	users, err := db.Users(ctx, sqldb.UserFilter{})
	if err != nil || len(users) > 0 {
		return err
	}
	pw, hash, err := password.NewInitial()
	if err != nil {
		return err
	}
	u := &xiezuo.User{Username: "admin", Name: "系统管理员", District: "未设置", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleSysAdmin}, MustChange: true, PasswordAt: time.Now()}
	if err := db.CreateUser(ctx, u, hash); err != nil {
		return err
	}
	if err := db.RecordApprovedGrant(ctx, u.ID, u.Roles, "第一个系统管理员，由 serve 在没有任何账号时建立"); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已建立第一个系统管理员账号 admin，初始密码 %s（只显示这一次，首次登录须修改）\n", pw)
	return nil
}

// webhookHostsUsage explains --webhook-hosts, which serve and remind share.
const webhookHostsUsage = "督办提醒机器人允许的其他主机（逗号分隔的主机名或 IP，不含 http:// 和端口），如封闭网络内的机器人中转或政务微信服务器；" +
	"默认只允许公网的 qyapi.weixin.qq.com（企业微信）和 oapi.dingtalk.com（钉钉），且须 https；列出的主机也可用 http"
