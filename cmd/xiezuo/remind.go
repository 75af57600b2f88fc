package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/remind"
	"xiezuo/sqldb"
)

// runRemind runs the daily reminder job once: the day's reminders stored (unless another run
// stored that day already, on this or another instance), then every message due sent.
func runRemind(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "remind", "--db 数据库 [--day YYYY-MM-DD] [--dry-run] [--warn-days N] [--webhook-hosts 主机,主机]\n"+
		"运行一次每日督办提醒：按计划找出今日到期、即将到期（黄灯）、已逾期（红灯）的事项，\n"+
		"写入各人的站内提醒，并向各单位设置的电子邮件、企业微信、钉钉机器人发送；\n"+
		"同一天只发一次（多个实例同时运行也只有一个发出），之后发送到期的待发消息（含失败重试）。")
	dsn := dbFlag(e, fs)
	dayFlag := fs.String("day", "", "提醒哪一天（默认今天，北京时间）")
	dry := fs.Bool("dry-run", false, "只列出将发出的提醒，不写入、不发送")
	warn := fs.Int("warn-days", 0, "到期前几天亮黄灯（0：按办公室设置的报送频次，默认 3 天）")
	hostsFlag := fs.String("webhook-hosts", "", webhookHostsUsage)
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	if *warn < 0 || *warn > 60 {
		fmt.Fprintf(e.stderr, "xiezuo remind: --warn-days 应为 0 到 60 的整数，现为 %d\n", *warn)
		return exitUsage
	}
	hosts, err := xiezuo.ParseWebhookHosts(*hostsFlag)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo remind: --webhook-hosts：%s\n", errorText(err))
		return exitUsage
	}
	db, code := openDB(ctx, e, *dsn)
	if db == nil {
		return code
	}
	defer db.Close()
	job := &remind.Job{DB: db, Source: remind.PlanSource(db, *warn), WebhookHosts: hosts}
	day := job.Today()
	if *dayFlag != "" {
		d, err := xiezuo.ParseDate(*dayFlag)
		if err != nil {
			fmt.Fprintf(e.stderr, "xiezuo remind: --day “%s”不是日期，应如 2021-10-25\n", *dayFlag)
			return exitUsage
		}
		day = d
	}
	ctx = sqldb.WithActor(ctx, cliActor(e))
	if *dry {
		run, err := job.Prepare(ctx, day)
		if err != nil {
			return fail(e, err)
		}
		fmt.Fprintf(e.stdout, "%s 的督办提醒（演练，未写入、未发送）：站内提醒 %d 条，涉及单位 %d 个\n", day, len(run.Users), len(run.Digests))
		fmt.Fprintln(e.stdout, "各单位的消息（邮件、企业微信、钉钉）：")
		for _, d := range run.Digests {
			fmt.Fprintf(e.stdout, "  %s（%d 项）\n", d.Unit, len(d.Reminders))
			for _, r := range d.Reminders {
				fmt.Fprintf(e.stdout, "    %s %s\n", r.Kind.Text(), r.Title)
			}
		}
		if err := printInApp(ctx, e, db, run.Users); err != nil {
			return fail(e, err)
		}
		return exitOK
	}
	res, err := job.RunDay(ctx, day)
	if err != nil {
		return fail(e, err)
	}
	if res.Stored {
		fmt.Fprintf(e.stdout, "%s 的督办提醒已生成：站内提醒 %d 条，待发消息 %d 条\n", day, res.InApp, res.Deliveries)
	} else {
		fmt.Fprintf(e.stdout, "%s 的督办提醒此前已生成（每天只生成一次），本次未重复生成\n", day)
	}
	sent, failed, err := job.Deliver(ctx)
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "发送：成功 %d 条，失败 %d 条（失败的按 1 分钟、5 分钟、30 分钟、2 小时、12 小时重试，办公室可在“提醒发送记录”查看）\n", sent, failed)
	return exitOK
}

// parseRemindAt reads serve's --remind-at: HH:MM in Beijing time, or off.
func parseRemindAt(s string) (at time.Duration, on bool, err error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "关闭" {
		return 0, false, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false, xiezuo.Errorf(xiezuo.EINVALID, "--remind-at “%s”应为 时:分（北京时间，如 08:30），或 off 关闭每日提醒", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, true, nil
}

// recipientKinds orders the people a dry run lists, by the role that makes a reminder reach
// them (xiezuo.ReminderReaches): the office, the leaders, front-line cadres, then the units.
var recipientKinds = []string{xiezuo.RoleOffice, xiezuo.RoleLeader, xiezuo.RoleCadre, xiezuo.RoleTeamLead, xiezuo.RoleUnit}

// printInApp lists the in-app reminders of a dry run by person, as the real run stores them:
// each recipient's kind, name and unit (the sign-in name stays out), then their reminders.
func printInApp(ctx context.Context, e *env, db *sqldb.DB, urs []xiezuo.UserReminder) error {
	accounts, err := db.Users(ctx, sqldb.UserFilter{})
	if err != nil {
		return err
	}
	byName := map[string]xiezuo.User{}
	for _, a := range accounts {
		byName[a.Username] = a.User
	}
	kindOf := func(u xiezuo.User) int {
		for i, k := range recipientKinds {
			if u.Has(k) {
				return i
			}
		}
		return len(recipientKinds)
	}
	var order []string
	mine := map[string][]xiezuo.Reminder{}
	for _, ur := range urs {
		if _, ok := mine[ur.Username]; !ok {
			order = append(order, ur.Username)
		}
		mine[ur.Username] = append(mine[ur.Username], ur.Reminder)
	}
	slices.SortStableFunc(order, func(a, b string) int { return kindOf(byName[a]) - kindOf(byName[b]) })
	counts := make([]int, len(recipientKinds)+1)
	for _, n := range order {
		counts[kindOf(byName[n])]++
	}
	var parts []string
	for i, k := range recipientKinds {
		if counts[i] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 人", xiezuo.RoleNames[k], counts[i]))
		}
	}
	fmt.Fprintf(e.stdout, "站内提醒（按人）：%s\n", strings.Join(parts, "，"))
	for _, n := range order {
		u := byName[n]
		kind := "用户"
		if i := kindOf(u); i < len(recipientKinds) {
			kind = xiezuo.RoleNames[recipientKinds[i]]
		}
		fmt.Fprintf(e.stdout, "  %s %s（%s）（%d 项）\n", kind, u.Name, u.Unit, len(mine[n]))
		for _, r := range mine[n] {
			fmt.Fprintf(e.stdout, "    %s %s\n", r.Kind.Text(), r.Title)
		}
	}
	return nil
}
