package sqldb

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// reminderFixture stores a plan and three accounts, and returns a task's key of the stored plan.
func reminderFixture(t *testing.T, db *DB) (xiezuo.DutyKey, []xiezuo.User) {
	t.Helper()
	db.SetSealer(testSealer(t))
	content := []byte("v1")
	mustImport(t, db, testPlan("门头沟区", 2021, content), content)
	p := mustLoad(t, db, "门头沟区", 2021)
	if len(p.Tasks) == 0 {
		t.Fatal("the test plan has no task")
	}
	var users []xiezuo.User
	for _, u := range []xiezuo.User{
		{Username: "office", Name: "王办公", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}},
		{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}},
		{Username: "shangwu", Name: "张商务", District: "门头沟区", Unit: "区商务局", Roles: []string{xiezuo.RoleUnit}},
	} {
		u.PasswordAt = time.Now()
		if err := db.CreateUser(t.Context(), &u, testHash); err != nil {
			t.Fatalf("CreateUser(%s) = %v", u.Username, err)
		}
		users = append(users, u)
	}
	return xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: p.Tasks[0].ID}, users
}

// TestReminderChannelsAndSMTP: channel and SMTP settings are dated rows, the latest applying;
// secrets are sealed, kept on a blank entry, never read back by the page's reads nor written to
// the audit log.
func TestReminderChannelsAndSMTP(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office"})
		reminderFixture(t, db)
		c := xiezuo.ReminderChannel{Unit: "区财政局", Enabled: true, Emails: []string{"cz@x.gov.cn"}, DingTalk: "https://oapi.dingtalk.com/robot/send?access_token=tok-9f8e7d", DingTalkSecret: "SECabc"}
		if err := db.SetReminderChannel(ctx, "门头沟区", c, true); err != nil {
			t.Fatalf("SetReminderChannel = %v", err)
		}
		c.DingTalkSecret, c.Emails = "", []string{"cz2@x.gov.cn"}
		if err := db.SetReminderChannel(ctx, "门头沟区", c, true); err != nil { // blank secret: kept
			t.Fatalf("SetReminderChannel = %v", err)
		}
		if err := db.SetReminderChannel(ctx, "门头沟区", xiezuo.ReminderChannel{Unit: "区财政"}, true); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SetReminderChannel(区财政) = %v, want EINVALID", err)
		}
		cs, err := db.ReminderChannels(ctx, "门头沟区")
		if err != nil || len(cs) != 1 {
			t.Fatalf("ReminderChannels = %v, %v; want one", cs, err)
		}
		if got := cs[0]; got.Unit != "区财政局" || !got.HasSecret || got.DingTalkSecret != "" || !cmp.Equal(got.Emails, []string{"cz2@x.gov.cn"}) || got.By != "office" {
			t.Errorf("ReminderChannels[0] = %+v", got)
		}
		full, ok, err := db.reminderChannel(ctx, db.db, "门头沟区", "区财政局")
		if err != nil || !ok || full.DingTalkSecret != "SECabc" {
			t.Errorf("reminderChannel = %+v, %v, %v; want the secret opened", full, ok, err)
		}
		if err := db.SetReminderChannel(ctx, "门头沟区", c, false); err != nil { // blank, not kept: removed
			t.Fatal(err)
		}
		if cs, _ := db.ReminderChannels(ctx, "门头沟区"); cs[0].HasSecret {
			t.Errorf("secret kept after removal")
		}

		s := xiezuo.SMTPSettings{Host: "127.0.0.1", Port: 2525, From: "xiezuo@x.gov.cn", Username: "xz", Password: "smtp-pass-42"}
		if err := db.SetSMTP(ctx, s, true); err != nil {
			t.Fatalf("SetSMTP = %v", err)
		}
		s.Password, s.From = "", "xz2@x.gov.cn"
		if err := db.SetSMTP(ctx, s, true); err != nil {
			t.Fatal(err)
		}
		got, err := db.SMTP(ctx)
		if err != nil || got.From != "xz2@x.gov.cn" || !got.HasPassword || got.Password != "" {
			t.Errorf("SMTP = %+v, %v; want sender xz2@, a password stored and not shown", got, err)
		}
		send, err := db.SMTPForSending(ctx)
		if err != nil || send.Password != "smtp-pass-42" {
			t.Errorf("SMTPForSending = %+v, %v; want the password opened", send, err)
		}
		var sealed []byte
		if err := db.db.QueryRowContext(ctx, `SELECT password FROM smtp_settings ORDER BY id DESC LIMIT 1`).Scan(&sealed); err != nil || strings.Contains(string(sealed), "smtp-pass") {
			t.Errorf("stored password %q, %v: want it sealed", sealed, err)
		}
		entries, _, err := db.SearchAudit(ctx, AuditFilter{Actions: []string{AuditReminderSMTP, AuditReminderChannel}})
		if err != nil || len(entries) != 5 {
			t.Fatalf("audit entries = %d, %v; want 5", len(entries), err)
		}
		for _, e := range entries {
			if strings.Contains(e.After, "smtp-pass") || strings.Contains(e.After, "SECabc") || strings.Contains(e.After, "tok-9f8e7d") {
				t.Errorf("audit entry %s shows a secret: %s", e.Action, e.After)
			}
			if e.Action == AuditReminderChannel && !strings.Contains(e.After, "access_token=***") {
				t.Errorf("audit entry of a channel does not show the robot's address masked: %s", e.After)
			}
		}
	})
}

// TestRemindSMTPChangeNeedsPassword: the server, port or user name changed with the stored
// password kept is refused (xiezuo.CheckSMTPChange) and nothing is stored; with the password
// typed again, or cleared, it is stored.
func TestRemindSMTPChangeNeedsPassword(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "sysadmin"})
		db.SetSealer(testSealer(t))
		s := xiezuo.SMTPSettings{Host: "smtp.x.gov.cn", Port: 587, From: "xiezuo@x.gov.cn", Username: "xz", Password: "smtp-pass-42"}
		if err := db.SetSMTP(ctx, s, true); err != nil {
			t.Fatalf("SetSMTP = %v", err)
		}
		for _, moved := range []xiezuo.SMTPSettings{
			{Host: "127.0.0.1", Port: 587, From: "xiezuo@x.gov.cn", Username: "xz"},
			{Host: "smtp.x.gov.cn", Port: 6379, From: "xiezuo@x.gov.cn", Username: "xz"},
			{Host: "smtp.x.gov.cn", Port: 587, From: "xiezuo@x.gov.cn", Username: "other"},
		} {
			if err := db.SetSMTP(ctx, moved, true); xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "须重新输入密码") {
				t.Errorf("SetSMTP(%+v) with the password kept = %v, want refused", moved, err)
			}
		}
		var n int
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM smtp_settings`).Scan(&n); err != nil || n != 1 {
			t.Errorf("smtp_settings rows = %d, %v; want 1 (nothing stored when refused)", n, err)
		}
		if got, _ := db.SMTPForSending(ctx); got.Host != "smtp.x.gov.cn" || got.Password != "smtp-pass-42" {
			t.Errorf("SMTP after refusals = %+v", got)
		}
		retyped := xiezuo.SMTPSettings{Host: "smtp2.x.gov.cn", Port: 465, From: "xiezuo@x.gov.cn", Username: "xz", Password: "new-pass"}
		if err := db.SetSMTP(ctx, retyped, true); err != nil {
			t.Errorf("SetSMTP with the password typed = %v", err)
		}
		if err := db.SetSMTP(ctx, xiezuo.SMTPSettings{Host: "smtp3.x.gov.cn", Port: 25, From: "xiezuo@x.gov.cn"}, false); err != nil {
			t.Errorf("SetSMTP with the password cleared = %v", err)
		}
	})
}

// TestRemindChannelURLsSealed: the robots' addresses (their key or access_token is all it takes
// to post to the group) are stored sealed, read masked by the page's list and opened for the
// sender; the masked address sent back by the form keeps the stored one; a row stored before
// the sealing (clear text) is still read.
func TestRemindChannelURLsSealed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office"})
		reminderFixture(t, db)
		wecom, ding := "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wk-5a5a5a", "https://oapi.dingtalk.com/robot/send?access_token=dt-7b7b7b"
		c := xiezuo.ReminderChannel{Unit: "区财政局", Enabled: true, WeCom: wecom, DingTalk: ding}
		if err := db.SetReminderChannel(ctx, "门头沟区", c, true); err != nil {
			t.Fatalf("SetReminderChannel = %v", err)
		}
		var dump strings.Builder
		err := each(ctx, db.db, `SELECT wecom_url, dingtalk_url, wecom_sealed, dingtalk_sealed FROM reminder_channels`, nil, func(rows *sql.Rows) error {
			var a, b string
			var x, y []byte
			err := rows.Scan(&a, &b, &x, &y)
			dump.WriteString(a + b + string(x) + string(y))
			return err
		})
		if err != nil || strings.Contains(dump.String(), "wk-5a5a5a") || strings.Contains(dump.String(), "dt-7b7b7b") {
			t.Errorf("stored channel rows %q, %v: want the robots' keys sealed", dump.String(), err)
		}
		cs, err := db.ReminderChannels(ctx, "门头沟区")
		if err != nil || len(cs) != 1 || cs[0].WeCom != xiezuo.MaskWebhookURL(wecom) || cs[0].DingTalk != xiezuo.MaskWebhookURL(ding) {
			t.Fatalf("ReminderChannels = %+v, %v; want the addresses masked", cs, err)
		}
		full, _, err := db.reminderChannel(ctx, db.db, "门头沟区", "区财政局")
		if err != nil || full.WeCom != wecom || full.DingTalk != ding {
			t.Errorf("reminderChannel = %+v, %v; want the addresses opened", full, err)
		}
		// The form sends the masked addresses back with other changes: the stored ones are kept.
		back := cs[0]
		back.Emails = []string{"cz@x.gov.cn"}
		if err := db.SetReminderChannel(ctx, "门头沟区", back, true); err != nil {
			t.Fatal(err)
		}
		if full, _, err := db.reminderChannel(ctx, db.db, "门头沟区", "区财政局"); err != nil || full.WeCom != wecom || full.DingTalk != ding {
			t.Errorf("after saving the masked form: reminderChannel = %+v, %v; want the stored addresses kept", full, err)
		}
		// A row of before the sealing: clear addresses, no sealed columns.
		if _, err := db.db.ExecContext(ctx, `INSERT INTO reminder_channels (unit_id, enabled, emails, wecom_url, dingtalk_url, set_by, set_at)
			SELECT unit_id, enabled, emails, $1, '', set_by, set_at FROM reminder_channels ORDER BY id DESC LIMIT 1`, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=old-1"); err != nil {
			t.Fatal(err)
		}
		if full, _, err := db.reminderChannel(ctx, db.db, "门头沟区", "区财政局"); err != nil || full.WeCom != "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=old-1" {
			t.Errorf("old row: reminderChannel = %+v, %v", full, err)
		}
		if cs, _ := db.ReminderChannels(ctx, "门头沟区"); len(cs) != 1 || strings.Contains(cs[0].WeCom, "old-1") {
			t.Errorf("old row: ReminderChannels = %+v; want masked", cs)
		}
	})
}

// TestStoreReminderRun: a day is stored once whatever the number of runs; each person's
// reminders and each unit's enabled channels get their rows, in one audited transaction.
func TestStoreReminderRun(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office"})
		duty, users := reminderFixture(t, db)
		if err := db.SetReminderChannel(ctx, "门头沟区", xiezuo.ReminderChannel{Unit: "区财政局", Enabled: true, Emails: []string{"cz@x.gov.cn"}, WeCom: "http://127.0.0.1:1/wecom"}, false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetReminderChannel(ctx, "门头沟区", xiezuo.ReminderChannel{Unit: "区商务局", Enabled: false, Emails: []string{"sw@x.gov.cn"}}, false); err != nil {
			t.Fatal(err)
		}
		rs := []xiezuo.Reminder{
			{Kind: xiezuo.ReminderRed, District: "门头沟区", Unit: "区商务局", Duty: duty, Title: "任务", Text: "逾期", Due: xiezuo.Date{Year: 2021, Month: 8, Day: 31}, Leads: []string{"区财政局"}},
		}
		day := xiezuo.Date{Year: 2021, Month: 9, Day: 15}
		run := ReminderRun{Day: day, Instance: "test", Users: xiezuo.ReminderRecipients(rs, users), Digests: xiezuo.UnitDigests(rs, map[string][]string{"门头沟区": {"领导小组办公室"}})}
		if ran, _ := db.JobRan(ctx, JobRemind, day); ran {
			t.Fatal("JobRan before the run = true")
		}
		res, err := db.StoreReminderRun(ctx, run)
		if err != nil {
			t.Fatalf("StoreReminderRun = %v", err)
		}
		// Three people hear of it; only 区财政局 has channels on: e-mail and 企业微信.
		if want := (RunResult{Stored: true, InApp: 3, Deliveries: 2}); res != want {
			t.Errorf("StoreReminderRun = %+v, want %+v", res, want)
		}
		again, err := db.StoreReminderRun(ctx, run)
		if err != nil || again.Stored || again.InApp != 0 {
			t.Errorf("StoreReminderRun again = %+v, %v; want nothing stored", again, err)
		}
		if ran, _ := db.JobRan(ctx, JobRemind, day); !ran {
			t.Error("JobRan after the run = false")
		}
		mine, err := db.UserReminders(ctx, users[2].ID, 0)
		if err != nil || len(mine) != 1 {
			t.Fatalf("UserReminders = %v, %v", mine, err)
		}
		if r := mine[0]; r.Day != day || r.Reminder.Kind != xiezuo.ReminderRed || r.Reminder.Duty != duty || r.Reminder.Due != rs[0].Due || !r.ReadAt.IsZero() {
			t.Errorf("UserReminders[0] = %+v", r)
		}
		if n, err := db.UnreadReminders(ctx, users[2].ID); n != 1 || err != nil {
			t.Errorf("UnreadReminders = %d, %v; want 1", n, err)
		}
		if n, err := db.MarkRemindersRead(ctx, users[2].ID); n != 1 || err != nil {
			t.Errorf("MarkRemindersRead = %d, %v; want 1", n, err)
		}
		if n, _ := db.UnreadReminders(ctx, users[2].ID); n != 0 {
			t.Errorf("UnreadReminders after reading = %d", n)
		}
		if n, _ := db.UnreadReminders(ctx, users[0].ID); n != 1 {
			t.Errorf("office's UnreadReminders = %d, want 1 (another person's reading leaves it)", n)
		}
		entries, _, _ := db.SearchAudit(ctx, AuditFilter{Action: AuditReminderRun})
		if len(entries) != 1 {
			t.Errorf("reminder.run entries = %d, want 1", len(entries))
		}
		if v, err := db.VerifyAudit(ctx, AuditMark{}); err != nil || !v.OK() {
			t.Errorf("VerifyAudit = %+v, %v", v, err)
		}
	})
}

// TestDeliveryRetries: a failed delivery waits 1 minute, 5, 30, 2 hours, 12 hours, then is
// given up and listed with its error; the office sends it again; a sent one is final.
func TestDeliveryRetries(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office"})
		duty, users := reminderFixture(t, db)
		if err := db.SetReminderChannel(ctx, "门头沟区", xiezuo.ReminderChannel{Unit: "区财政局", Enabled: true, WeCom: "http://127.0.0.1:1/wecom"}, false); err != nil {
			t.Fatal(err)
		}
		rs := []xiezuo.Reminder{{Kind: xiezuo.ReminderDue, District: "门头沟区", Unit: "区财政局", Duty: duty, Title: "任务", Text: "今日"}}
		day := xiezuo.Date{Year: 2021, Month: 9, Day: 15}
		if _, err := db.StoreReminderRun(ctx, ReminderRun{Day: day, Instance: "t", Users: xiezuo.ReminderRecipients(rs, users), Digests: xiezuo.UnitDigests(rs, nil)}); err != nil {
			t.Fatal(err)
		}
		now := time.Now().Add(time.Minute)
		claim := func(at time.Time) []Delivery {
			t.Helper()
			ds, err := db.ClaimDeliveries(ctx, at, 10*time.Minute, 10)
			if err != nil {
				t.Fatalf("ClaimDeliveries = %v", err)
			}
			return ds
		}
		ds := claim(now)
		if len(ds) != 1 || ds[0].Channel != xiezuo.ChannelWeCom || ds[0].Target.WeCom != "http://127.0.0.1:1/wecom" || !strings.Contains(ds[0].Body, "任务") {
			t.Fatalf("ClaimDeliveries = %+v, want the 企业微信 message with its target", ds)
		}
		if again := claim(now); len(again) != 0 {
			t.Errorf("ClaimDeliveries within the lease = %d rows, want 0", len(again))
		}
		id := ds[0].ID
		for i, delay := range []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 12 * time.Hour} {
			if err := db.RecordDelivery(ctx, id, now, errors.New("errcode 310000: sign not match")); err != nil {
				t.Fatalf("RecordDelivery = %v", err)
			}
			if got := claim(now.Add(delay - time.Second)); len(got) != 0 {
				t.Errorf("attempt %d: claimed before its back-off of %v", i+1, delay)
			}
			if got := claim(now.Add(delay)); len(got) != 1 {
				t.Fatalf("attempt %d: not claimed after its back-off of %v", i+1, delay)
			}
			now = now.Add(delay)
		}
		if err := db.RecordDelivery(ctx, id, now, errors.New("errcode 310000: sign not match")); err != nil {
			t.Fatal(err)
		}
		failed, err := db.Deliveries(ctx, DeliveryFilter{District: "门头沟区", State: DeliveryFailed})
		if err != nil || len(failed) != 1 || failed[0].Attempts != 6 || !strings.Contains(failed[0].LastError, "sign not match") || failed[0].Unit != "区财政局" {
			t.Fatalf("failed deliveries = %+v, %v; want one given up after 6 attempts with its error", failed, err)
		}
		if got := claim(now.Add(48 * time.Hour)); len(got) != 0 {
			t.Errorf("a given-up delivery was claimed again")
		}
		if err := db.RetryDelivery(ctx, "昌平区", id, time.Now()); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("RetryDelivery from another district = %v, want ENOTFOUND", err)
		}
		if err := db.RetryDelivery(ctx, "门头沟区", id, time.Now()); err != nil {
			t.Fatalf("RetryDelivery = %v", err)
		}
		got := claim(time.Now().Add(time.Minute))
		if len(got) != 1 || got[0].Attempts != 0 {
			t.Fatalf("after the office's retry: claimed %+v", got)
		}
		if err := db.RecordDelivery(ctx, id, now, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.RetryDelivery(ctx, "门头沟区", id, time.Now()); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("RetryDelivery of a sent message = %v, want ECONFLICT", err)
		}
		counts, _ := db.DeliveryCounts(ctx, "门头沟区")
		if diff := cmp.Diff(map[string]int{DeliverySent: 1}, counts); diff != "" {
			t.Errorf("DeliveryCounts (-want +got):\n%s", diff)
		}
		entries, _, _ := db.SearchAudit(ctx, AuditFilter{Action: AuditReminderSend})
		if len(entries) != 7 {
			t.Errorf("delivery audit entries = %d, want 7 (six failures, one success)", len(entries))
		}
	})
}
