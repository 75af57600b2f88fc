package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/remind/remindtest"
	"xiezuo/sqldb"
	"xiezuo/sqldb/sqldbtest"
	"xiezuo/vault"
)

// remindFixture stores the 2021 plan and a unit account in the database at dsn, and points
// 区财政局's and 区人力社保局's 企业微信 robot at robot.
func remindFixture(t *testing.T, dsn, robot string) *sqldb.DB {
	t.Helper()
	if code, _, errs := xz(t, "sample", "--db", dsn); code != exitOK {
		t.Fatalf("sample = exit %d: %s", code, errs)
	}
	for _, u := range [][]string{{"caizheng", "区财政局", "unit"}, {"office", "领导小组办公室", "office"}} {
		if code, _, errs := xz(t, "user", "add", "--db", dsn, "--username", u[0], "--name", "测试", "--district", "门头沟区", "--unit", u[1], "--role", u[2]); code != exitOK {
			t.Fatalf("user add %s = exit %d: %s", u[0], code, errs)
		}
	}
	var errb bytes.Buffer
	db, code := openDB(t.Context(), &env{getenv: testGetenv([]string{dsn}), stderr: &errb}, dsn)
	if db == nil {
		t.Fatalf("openDB = exit %d: %s", code, errb.String())
	}
	t.Cleanup(func() { db.Close() })
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office"})
	if err := db.SetGroupMembers(ctx, "门头沟区", xiezuo.CatalogueMembers()); err != nil {
		t.Fatal(err)
	}
	if robot != "" {
		for _, unit := range []string{"区财政局", "区人力社保局"} {
			if err := db.SetReminderChannel(ctx, "门头沟区", xiezuo.ReminderChannel{Unit: unit, Enabled: true, WeCom: robot}, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	return db
}

func TestRemindCommand(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "x.db")
	robot := remindtest.StartRobot(t, "wecom", "", 0)
	db := remindFixture(t, dsn, robot.URL)
	code, out, errs := xz(t, "remind", "--db", dsn, "--day", "2021-10-25", "--warn-days", "7", "--dry-run")
	if code != exitOK || !strings.Contains(out, "演练") || !strings.Contains(out, "区财政局（") || !strings.Contains(out, "即将到期 任务第") {
		t.Fatalf("remind --dry-run = exit %d\n%s%s", code, out, errs)
	}
	if ran, _ := db.JobRan(t.Context(), sqldb.JobRemind, xiezuo.Date{Year: 2021, Month: 10, Day: 25}); ran || robot.Calls() != 0 {
		t.Fatalf("--dry-run wrote or sent: ran %v, robot calls %d", ran, robot.Calls())
	}
	code, out, errs = xz(t, "remind", "--db", dsn, "--day", "2021-10-25", "--warn-days", "7", "--webhook-hosts", "127.0.0.1")
	if code != exitOK || !strings.Contains(out, "已生成：站内提醒") || !strings.Contains(out, "成功 2 条，失败 0 条") {
		t.Fatalf("remind = exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = xz(t, "remind", "--db", dsn, "--day", "2021-10-25", "--warn-days", "7", "--webhook-hosts", "127.0.0.1")
	if code != exitOK || !strings.Contains(out, "此前已生成") || !strings.Contains(out, "成功 0 条") {
		t.Errorf("remind again = exit %d\n%s", code, out)
	}
	if n := len(robot.Messages()); n != 2 {
		t.Errorf("robot got %d messages, want 2 (one per unit)", n)
	}
	for _, bad := range [][]string{{"--day", "2021-13-01"}, {"--warn-days", "-1"}, {"extra"}, {"--webhook-hosts", "http://robot.local/x"}} {
		if code, _, errs := xz(t, append([]string{"remind", "--db", dsn}, bad...)...); code != exitUsage {
			t.Errorf("remind %v = exit %d (%s), want %d", bad, code, errs, exitUsage)
		}
	}
}

func TestParseRemindAt(t *testing.T) {
	for in, want := range map[string]time.Duration{"08:30": 8*time.Hour + 30*time.Minute, "23:05": 23*time.Hour + 5*time.Minute} {
		if got, on, err := parseRemindAt(in); got != want || !on || err != nil {
			t.Errorf("parseRemindAt(%q) = %v, %v, %v", in, got, on, err)
		}
	}
	if _, on, err := parseRemindAt("off"); on || err != nil {
		t.Errorf("parseRemindAt(off) = %v, %v", on, err)
	}
	if _, _, err := parseRemindAt("8点半"); !strings.Contains(xiezuo.ErrorMessage(err), "应为 时:分") {
		t.Errorf("parseRemindAt(8点半) = %v", err)
	}
}

// TestRemindOncePerDayThreeProcesses starts three processes of this test binary, each running
// `xiezuo remind` for the same day over one PostgreSQL database at the same moment: the day's
// reminders are stored once and each unit's robot hears once.
func TestRemindOncePerDayThreeProcesses(t *testing.T) {
	dsn := sqldbtest.PostgresURL(t)
	robot := remindtest.StartRobot(t, "wecom", "", 0)
	db := remindFixture(t, dsn, robot.URL)
	gate := filepath.Join(t.TempDir(), "go")
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for i := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRemindChildProcess$", "-test.count=1")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.Env = append(os.Environ(), "XIEZUO_REMIND_CHILD="+gate, "XIEZUO_DB="+dsn, vault.KeyFileEnv+"="+testKeyFile, "XIEZUO_CHILD_NO="+string(rune('1'+i)))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, &out)
	}
	if err := os.WriteFile(gate, nil, 0o600); err != nil { // all three go at once
		t.Fatal(err)
	}
	stored, skipped := 0, 0
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("process %d: %v\n%s", i+1, err, outs[i])
		}
		s := outs[i].String()
		switch {
		case strings.Contains(s, "已生成：站内提醒"):
			stored++
		case strings.Contains(s, "此前已生成"):
			skipped++
		default:
			t.Errorf("process %d said neither stored nor skipped:\n%s", i+1, s)
		}
	}
	if stored != 1 || skipped != 2 {
		t.Errorf("%d processes stored the day and %d skipped it, want 1 and 2", stored, skipped)
	}
	if n := len(robot.Messages()); n != 2 {
		t.Errorf("the robot got %d messages, want 2: one per unit, once", n)
	}
	ctx := t.Context()
	office, err := db.UserByUsername(ctx, "office")
	if err != nil {
		t.Fatal(err)
	}
	mine, _ := db.UserReminders(ctx, office.ID, 1000)
	seen := map[xiezuo.DutyKey]bool{}
	for _, r := range mine {
		if seen[r.Reminder.Duty] {
			t.Errorf("the office was told of %s twice", r.Reminder.Duty)
		}
		seen[r.Reminder.Duty] = true
	}
	if len(mine) == 0 {
		t.Error("the office got no reminder")
	}
	entries, _, _ := db.SearchAudit(ctx, sqldb.AuditFilter{Action: sqldb.AuditReminderRun})
	if len(entries) != 1 {
		t.Errorf("reminder.run audit entries = %d, want 1", len(entries))
	}
	if v, err := db.VerifyAudit(ctx, sqldb.AuditMark{}); err != nil || !v.OK() {
		t.Errorf("VerifyAudit = %+v, %v", v, err)
	}
}

// TestRemindChildProcess is one of the three processes of TestRemindOncePerDayThreeProcesses:
// it waits for the gate, then runs `xiezuo remind` with the environment it was given.
func TestRemindChildProcess(t *testing.T) {
	gate := os.Getenv("XIEZUO_REMIND_CHILD")
	if gate == "" {
		t.Skip("run by TestRemindOncePerDayThreeProcesses")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		if _, err := os.Stat(gate); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the gate never opened")
		case <-time.After(5 * time.Millisecond):
		}
	}
	code := run(ctx, []string{"remind", "--day", "2021-10-25", "--warn-days", "7", "--webhook-hosts", "127.0.0.1"}, os.Getenv, strings.NewReader(""), os.Stdout, os.Stderr)
	if code != exitOK {
		t.Fatalf("remind = exit %d", code)
	}
}

// TestRemindDryRunLists: the dry run lists every kind of recipient the real run reaches — the
// units' channels, and in the application the units' people, the office and the district's
// leaders (a notice long past its reply date is listed for the leaders) — by name, in Chinese.
func TestRemindDryRunLists(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "x.db")
	db := remindFixture(t, dsn, "")
	if code, _, errs := xz(t, "user", "add", "--db", dsn, "--username", "leader", "--name", "张区长", "--district", "门头沟区", "--unit", "区政府办公室", "--role", "leader"); code != exitOK {
		t.Fatalf("user add leader = exit %d: %s", code, errs)
	}
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office"})
	p, err := db.LoadPlan(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2021, 9, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	n := xiezuo.Notice{District: "门头沟区", Year: 2021, Duty: xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: p.Tasks[8].ID}, Unit: "区财政局",
		Subject: "消费帮扶采购进度滞后", Requirement: "请说明进度", ReplyBy: xiezuo.NewDate(2021, 9, 20), Signer: "王主任"}
	if _, err := db.IssueNotice(ctx, n, at); err != nil {
		t.Fatal(err)
	}
	code, out, errs := xz(t, "remind", "--db", dsn, "--day", "2021-10-25", "--dry-run")
	if code != exitOK {
		t.Fatalf("remind --dry-run = exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"区财政局（", "区领导 张区长（区政府办公室）", "办公室 测试（领导小组办公室）", "单位 测试（区财政局）", "门督〔2021〕1号"} {
		if !strings.Contains(out, want) {
			t.Errorf("remind --dry-run lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "leader") || strings.Contains(out, "caizheng") {
		t.Errorf("remind --dry-run shows sign-in names:\n%s", out)
	}
}
