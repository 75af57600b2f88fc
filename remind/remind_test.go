package remind

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/remind/remindtest"
	"xiezuo/sample"
	"xiezuo/sqldb"
	"xiezuo/sqldb/sqldbtest"
	"xiezuo/vault"
)

// clock is a settable time for the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// forEachDB runs f on a fresh SQLite file and a fresh PostgreSQL database.
func forEachDB(t *testing.T, f func(t *testing.T, db *sqldb.DB)) {
	t.Run("sqlite", func(t *testing.T) { f(t, openDB(t, filepath.Join(t.TempDir(), "x.db"))) })
	t.Run("postgres", func(t *testing.T) { f(t, openDB(t, sqldbtest.PostgresURL(t))) })
}

func openDB(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.UseAuditKey(t.Context(), []byte("xiezuo test audit key, 32 bytes!")); err != nil {
		t.Fatal(err)
	}
	s, err := vault.NewSM4(vault.Keys{ID: 1, Enc: bytes.Repeat([]byte{7}, vault.EncKeySize), Index: bytes.Repeat([]byte{9}, vault.IndexKeySize)})
	if err != nil {
		t.Fatal(err)
	}
	db.SetSealer(s)
	return db
}

// seed stores the 2021 plan, the leading group and an account per unit the test follows.
func seed(t *testing.T, db *sqldb.DB) context.Context {
	t.Helper()
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office"})
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v", err)
	}
	if _, err := db.ImportPlan(ctx, res.Plan, sample.Plan2021); err != nil {
		t.Fatal(err)
	}
	if err := db.SetGroupMembers(ctx, "门头沟区", xiezuo.CatalogueMembers()); err != nil {
		t.Fatal(err)
	}
	for _, u := range []xiezuo.User{
		{Username: "office", Name: "王办公", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}},
		{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}},
		{Username: "renshe", Name: "刘人社", District: "门头沟区", Unit: "区人力社保局", Roles: []string{xiezuo.RoleUnit, xiezuo.RoleTeamLead}},
		{Username: "sysadmin", Name: "孙系统", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleSysAdmin}},
	} {
		u.PasswordAt = time.Now()
		if err := db.CreateUser(ctx, &u, "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$a2V5"); err != nil {
			t.Fatalf("CreateUser(%s) = %v", u.Username, err)
		}
	}
	return ctx
}

// TestJobDelivers walks a day: the job stores each person's reminders from the 2021 plan on
// 25 October, once; the worker sends each unit's digest to a real SMTP server and to 企业微信
// and 钉钉 robots (the 钉钉 one checking its signature); a robot failing twice gets the message
// at the third attempt, after the back-off the clock is moved through.
func TestJobDelivers(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := seed(t, db)
		mailSrv := remindtest.StartSMTP(t)
		wecom := remindtest.StartRobot(t, "wecom", "", 0)
		ding := remindtest.StartRobot(t, "dingtalk", "SECtest-secret", 0)
		flaky := remindtest.StartRobot(t, "wecom", "", 2)
		if err := db.SetSMTP(ctx, xiezuo.SMTPSettings{Host: "127.0.0.1", Port: mailSrv.Port(), From: "xiezuo@mtg.gov.cn", Username: "xz", Password: "pw-9"}, false); err != nil {
			t.Fatal(err)
		}
		for _, c := range []xiezuo.ReminderChannel{
			{Unit: "区财政局", Enabled: true, Emails: []string{"cz@mtg.gov.cn", "cz2@mtg.gov.cn"}, DingTalk: ding.URL + "/robot/send?access_token=abc", DingTalkSecret: "SECtest-secret"},
			{Unit: "领导小组办公室", Enabled: true, WeCom: wecom.URL + "/cgi-bin/webhook/send?key=k"},
			{Unit: "区人力社保局", Enabled: true, WeCom: flaky.URL + "/cgi-bin/webhook/send?key=f"},
		} {
			if err := db.SetReminderChannel(ctx, "门头沟区", c, false); err != nil {
				t.Fatal(err)
			}
		}
		clk := &clock{t: time.Date(2021, 10, 25, 9, 0, 0, 0, Shanghai)}
		job := &Job{DB: db, Source: PlanSource(db, 7), Now: clk.now, Instance: "test", Log: slog.New(slog.DiscardHandler), WebhookHosts: []string{"127.0.0.1"}}
		day := job.Today()
		if day != (xiezuo.Date{Year: 2021, Month: 10, Day: 25}) || !job.due(clk.now()) {
			t.Fatalf("Today = %v, due = %v", day, job.due(clk.now()))
		}
		if job.due(time.Date(2021, 10, 25, 8, 29, 0, 0, Shanghai)) {
			t.Error("due at 08:29, want from 08:30")
		}
		res, err := job.RunDay(ctx, day)
		if err != nil || !res.Stored || res.InApp == 0 || res.Deliveries != 4 {
			t.Fatalf("RunDay = %+v, %v; want stored, in-app reminders, 4 deliveries (e-mail, 钉钉, two 企业微信)", res, err)
		}
		if again, err := job.RunDay(ctx, day); err != nil || again.Stored {
			t.Errorf("RunDay again = %+v, %v; want nothing stored", again, err)
		}
		caizheng, _ := db.UserByUsername(ctx, "caizheng")
		sysadmin, _ := db.UserByUsername(ctx, "sysadmin")
		mine, _ := db.UserReminders(ctx, caizheng.ID, 0)
		if len(mine) == 0 {
			t.Fatal("区财政局 has no reminder on 2021-10-25")
		}
		if theirs, _ := db.UserReminders(ctx, sysadmin.ID, 0); len(theirs) != 0 {
			t.Errorf("the system administrator got %d reminders, want none", len(theirs))
		}

		sent, failed, err := job.Deliver(ctx)
		if err != nil || sent != 3 || failed != 1 {
			t.Fatalf("Deliver = %d sent, %d failed, %v; want 3 and 1", sent, failed, err)
		}
		mails := mailSrv.Mail()
		if len(mails) != 1 {
			t.Fatalf("SMTP got %d messages, want 1", len(mails))
		}
		m := mails[0]
		if m.From != "xiezuo@mtg.gov.cn" || strings.Join(m.To, ",") != "cz@mtg.gov.cn,cz2@mtg.gov.cn" || m.Auth != "xz\x00pw-9" ||
			!strings.HasPrefix(m.Subject, "【协作】区财政局 2021-10-25 督办提醒") || !strings.Contains(m.Body, "任务第") {
			t.Errorf("mail = %+v", m)
		}
		if got := ding.Messages(); len(got) != 1 || !strings.Contains(got[0].Title, "区财政局") || got[0].Text != m.Body {
			t.Errorf("钉钉 got %+v (refused %v), want the same digest", got, ding.Refused())
		}
		if got := wecom.Messages(); len(got) != 1 || !strings.Contains(got[0].Content, "领导小组办公室") {
			t.Errorf("企业微信 got %+v (refused %v)", got, wecom.Refused())
		}
		// The flaky robot: failed once, waits a minute; fails again, waits five; then arrives.
		if n, _, _ := job.Deliver(ctx); n != 0 || flaky.Calls() != 1 {
			t.Errorf("retried before its back-off: sent %d, calls %d", n, flaky.Calls())
		}
		clk.add(time.Minute)
		if _, f, _ := job.Deliver(ctx); f != 1 || flaky.Calls() != 2 {
			t.Errorf("second attempt: failed %d, calls %d; want 1, 2", f, flaky.Calls())
		}
		clk.add(4 * time.Minute)
		if n, _, _ := job.Deliver(ctx); n != 0 {
			t.Errorf("third attempt came before 5 minutes")
		}
		clk.add(time.Minute)
		if n, f, err := job.Deliver(ctx); n != 1 || f != 0 || err != nil {
			t.Errorf("third attempt: sent %d failed %d err %v; want sent", n, f, err)
		}
		if got := flaky.Messages(); len(got) != 1 {
			t.Errorf("flaky robot accepted %d messages, want 1", len(got))
		}
		counts, _ := db.DeliveryCounts(ctx, "门头沟区")
		if counts[sqldb.DeliverySent] != 4 || len(counts) != 1 {
			t.Errorf("DeliveryCounts = %v, want 4 sent", counts)
		}
		if v, err := db.VerifyAudit(ctx, sqldb.AuditMark{}); err != nil || !v.OK() {
			t.Errorf("VerifyAudit = %+v, %v", v, err)
		}
	})
}

// TestDeliveryRefusedShown: a robot that refuses (wrong 加签) and a unit whose channel was
// turned off after the run are failures the office sees with their reason, not silent drops.
func TestDeliveryRefusedShown(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "x.db"))
	ctx := seed(t, db)
	ding := remindtest.StartRobot(t, "dingtalk", "SECright", 0)
	if err := db.SetReminderChannel(ctx, "门头沟区", xiezuo.ReminderChannel{Unit: "区财政局", Enabled: true, DingTalk: ding.URL, DingTalkSecret: "SECwrong", Emails: []string{"cz@mtg.gov.cn"}}, false); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2021, 10, 25, 9, 0, 0, 0, Shanghai)}
	job := &Job{DB: db, Source: PlanSource(db, 7), Now: clk.now, Log: slog.New(slog.DiscardHandler), WebhookHosts: []string{"127.0.0.1"}}
	if res, err := job.RunDay(ctx, job.Today()); err != nil || res.Deliveries != 2 {
		t.Fatalf("RunDay = %+v, %v", res, err)
	}
	// No SMTP server set: the e-mail fails with that reason.
	if _, failed, err := job.Deliver(ctx); failed != 2 || err != nil {
		t.Fatalf("Deliver: failed %d, %v; want 2", failed, err)
	}
	ds, _ := db.Deliveries(ctx, sqldb.DeliveryFilter{District: "门头沟区"})
	reasons := map[string]string{}
	for _, d := range ds {
		reasons[d.Channel] = d.LastError
		if d.State != sqldb.DeliveryPending || d.Attempts != 1 {
			t.Errorf("%s: state %s attempts %d, want pending after 1", d.Channel, d.State, d.Attempts)
		}
	}
	if !strings.Contains(reasons[xiezuo.ChannelDingTalk], "errcode 310000") || !strings.Contains(reasons[xiezuo.ChannelEmail], "未设置 SMTP") {
		t.Errorf("reasons = %v", reasons)
	}
	if strings.Contains(reasons[xiezuo.ChannelDingTalk], "SECwrong") {
		t.Error("the secret shows in the error")
	}
}

func TestDingTalkSign(t *testing.T) {
	// Computed independently: printf '1700000000000\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64
	if got, want := DingTalkSign("1700000000000", "SECabc"), "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM="; got != want {
		t.Errorf("DingTalkSign = %s, want %s", got, want)
	}
}

// TestSendMailSTARTTLS: a server offering STARTTLS gets the message over TLS; one whose
// certificate is not trusted gets nothing, the failure saying why, rather than mail in the clear.
func TestSendMailSTARTTLS(t *testing.T) {
	https := httptest.NewTLSServer(http.NotFoundHandler()) // a certificate for 127.0.0.1
	defer https.Close()
	srv := remindtest.StartSMTPTLS(t, https.TLS)
	s := xiezuo.SMTPSettings{Host: "127.0.0.1", Port: srv.Port(), From: "xiezuo@mtg.gov.cn", Username: "xz", Password: "pw"}
	roots := x509.NewCertPool()
	roots.AddCert(https.Certificate())
	if err := sendMail(t.Context(), s, []string{"a@mtg.gov.cn"}, "主题", "正文", &tls.Config{ServerName: "127.0.0.1", RootCAs: roots}); err != nil {
		t.Fatalf("sendMail over STARTTLS = %v", err)
	}
	if got := srv.Mail(); len(got) != 1 || !got[0].TLS || got[0].Subject != "主题" || got[0].Body != "正文" || got[0].Auth != "xz\x00pw" {
		t.Fatalf("received %+v, want one message over TLS", got)
	}
	err := SendMail(t.Context(), s, []string{"a@mtg.gov.cn"}, "主题", "正文") // system roots: the test certificate is not trusted
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("SendMail to an untrusted certificate = %v, want a STARTTLS failure", err)
	}
	if n := len(srv.Mail()); n != 1 {
		t.Errorf("the server got %d messages, want still 1", n)
	}
}

// TestPlanSourceNotices: a notice past its reply date joins the day's reminders, reaching the
// unit, the office and (listed for the leaders) the leader; the run that stores the day records
// each stage of the escalation on the notice as it is sent (the team's lead units, then the
// leaders), dated when sent, once however many days it runs.
func TestPlanSourceNotices(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := seed(t, db)
		leader := xiezuo.User{Username: "leader", Name: "赵区长", District: "门头沟区", Unit: "区政府办公室", Roles: []string{xiezuo.RoleLeader}, PasswordAt: time.Now()}
		if err := db.CreateUser(ctx, &leader, "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$a2V5"); err != nil {
			t.Fatal(err)
		}
		p, err := db.LoadPlan(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		members, _ := db.GroupMembers(ctx, "门头沟区")
		var duty xiezuo.NoticeDuty
		for _, d := range xiezuo.NoticeDuties(p, xiezuo.NewGroups(members, nil)) {
			if d.Key.Kind == xiezuo.DutyTask && slices.Contains(d.Units, "区财政局") {
				duty = d
				break
			}
		}
		if duty.Key.IsZero() {
			t.Fatal("no task of 区财政局")
		}
		n, err := db.IssueNotice(ctx, xiezuo.Notice{District: "门头沟区", Year: 2021, Duty: duty.Key, Unit: "区财政局", Subject: "进度滞后",
			Requirement: "请说明进度", ReplyBy: xiezuo.NewDate(2021, 10, 20), Signer: "王主任"}, time.Date(2021, 10, 10, 9, 0, 0, 0, Shanghai))
		if err != nil {
			t.Fatal(err)
		}
		escalations := func() []xiezuo.NoticeEvent {
			got, _ := db.Notice(ctx, n.ID)
			var es []xiezuo.NoticeEvent
			for _, e := range got.Steps {
				if e.Step == xiezuo.NoticeEscalated {
					es = append(es, e)
				}
			}
			return es
		}
		clk := &clock{t: time.Date(2021, 10, 22, 9, 0, 0, 0, Shanghai)} // 2 days late: the team's lead units
		job := &Job{DB: db, Source: PlanSource(db, 7), Now: clk.now, Instance: "test", Log: slog.New(slog.DiscardHandler), WebhookHosts: []string{"127.0.0.1"}}
		if _, err := job.RunDay(ctx, job.Today()); err != nil {
			t.Fatal(err)
		}
		if got := escalations(); len(got) != 1 || got[0].Text == "区领导（领导关注）" || !got[0].At.Equal(clk.now()) {
			t.Fatalf("escalations recorded on 10-22 = %+v, want the team's stage dated 10-22 09:00", got)
		}
		team := escalations()[0]
		// A second notice, late as well, that no run pressed before it reached the leaders'
		// stage: the run of 10-25 tells the team's lead units and the leaders, and records both.
		n2, err := db.IssueNotice(ctx, xiezuo.Notice{District: "门头沟区", Year: 2021, Duty: duty.Key, Unit: "区财政局", Subject: "再次督促",
			Requirement: "请说明进度", ReplyBy: xiezuo.NewDate(2021, 10, 20), Signer: "王主任"}, time.Date(2021, 10, 23, 9, 0, 0, 0, Shanghai))
		if err != nil {
			t.Fatal(err)
		}
		clk.t = time.Date(2021, 10, 25, 9, 0, 0, 0, Shanghai) // 5 days late: the leaders' (K = 3)
		if _, err := job.RunDay(ctx, job.Today()); err != nil {
			t.Fatal(err)
		}
		got2, _ := db.Notice(ctx, n2.ID)
		var to2 []string
		for _, e := range got2.Steps {
			if e.Step == xiezuo.NoticeEscalated && e.At.Equal(clk.now()) {
				to2 = append(to2, e.Text)
			}
		}
		if len(to2) != 2 || to2[0] != team.Text || to2[1] != "区领导（领导关注）" {
			t.Errorf("escalations of %s first pressed on 10-25 = %q, want the team's stage (%s) then the leaders', dated 10-25", n2.Code(), to2, team.Text)
		}
		for _, who := range []string{"caizheng", "office", "leader"} {
			u, _ := db.UserByUsername(ctx, who)
			rs, _ := db.UserReminders(ctx, u.ID, 0)
			found := false
			for _, r := range rs {
				found = found || r.Reminder.Kind == xiezuo.ReminderNoticeEscalated && strings.Contains(r.Reminder.Title, n.Code())
			}
			if !found {
				t.Errorf("%s has no reminder of %s listed for the leaders: %+v", who, n.Code(), rs)
			}
		}
		if got := escalations(); len(got) != 2 || got[0] != team || got[1].Text != "区领导（领导关注）" || !got[1].At.Equal(clk.now()) {
			t.Errorf("escalations recorded by 10-25 = %+v, want the team's of 10-22 then the leaders' dated 10-25 09:00", got)
		}
		clk.add(24 * time.Hour)
		if res, err := job.RunDay(ctx, job.Today()); err != nil || !res.Stored {
			t.Fatalf("RunDay 10-26 = %+v, %v", res, err)
		}
		if got := escalations(); len(got) != 2 {
			t.Errorf("escalations after 10-26 = %+v, want still two", got)
		}
	})
}

// TestRobotNoSSRF: the robot client follows no redirect, the failure keeps the status and the
// robot's errcode/errmsg but never the body, and a stored robot address whose host is not
// allowed (stored before the allow-list, or struck from it) is refused at sending, nothing sent.
func TestRobotNoSSRF(t *testing.T) {
	var inner int
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner++
		w.Write([]byte(`{"errcode":0,"errmsg":"ok","secret":"metadata-credentials"}`))
	}))
	defer internal.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, internal.URL+"/latest/meta-data", http.StatusTemporaryRedirect)
	}))
	defer redirecting.Close()
	chatty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`<html>internal admin console: password=hunter2</html>`))
	}))
	defer chatty.Close()
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"errcode":93000,"errmsg":"invalid webhook url","extra":"body-secret"}`))
	}))
	defer refusing.Close()

	ctx := t.Context()
	err := PostWeCom(ctx, &http.Client{}, redirecting.URL+"/cgi-bin/webhook/send?key=k", "正文")
	if err == nil || !strings.Contains(err.Error(), "HTTP 307") || inner != 0 {
		t.Errorf("redirect: %v, internal server called %d times; want a failure with the status and no call", err, inner)
	}
	err = PostWeCom(ctx, &http.Client{}, chatty.URL+"/x", "正文")
	if err == nil || !strings.Contains(err.Error(), "HTTP 403") || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "console") {
		t.Errorf("403 with a body = %v, want the status only", err)
	}
	err = PostWeCom(ctx, &http.Client{}, refusing.URL+"/x", "正文")
	if err == nil || !strings.Contains(err.Error(), "errcode 93000：invalid webhook url") || strings.Contains(err.Error(), "body-secret") {
		t.Errorf("refusal = %v, want errcode and errmsg only", err)
	}
	err = PostWeCom(ctx, &http.Client{}, internal.URL+"/x", "正文") // 200 with errcode 0: accepted, body not echoed
	if err != nil {
		t.Errorf("a 200 errcode 0 = %v", err)
	}

	// A channel stored pointing at 127.0.0.1: refused at sending without the operator's list.
	db := openDB(t, filepath.Join(t.TempDir(), "x.db"))
	sctx := seed(t, db)
	robot := remindtest.StartRobot(t, "wecom", "", 0)
	if err := db.SetReminderChannel(sctx, "门头沟区", xiezuo.ReminderChannel{Unit: "区财政局", Enabled: true, WeCom: robot.URL + "/cgi-bin/webhook/send?key=k"}, false); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2021, 10, 25, 9, 0, 0, 0, Shanghai)}
	job := &Job{DB: db, Source: PlanSource(db, 7), Now: clk.now, Log: slog.New(slog.DiscardHandler)}
	if res, err := job.RunDay(sctx, job.Today()); err != nil || res.Deliveries != 1 {
		t.Fatalf("RunDay = %+v, %v", res, err)
	}
	if sent, failed, err := job.Deliver(sctx); sent != 0 || failed != 1 || err != nil || robot.Calls() != 0 {
		t.Fatalf("Deliver to an unlisted host: sent %d failed %d %v, robot called %d times; want refused", sent, failed, err, robot.Calls())
	}
	ds, _ := db.Deliveries(sctx, sqldb.DeliveryFilter{District: "门头沟区"})
	if len(ds) != 1 || !strings.Contains(ds[0].LastError, "不在允许的机器人主机之列") {
		t.Errorf("deliveries = %+v", ds)
	}
}

// TestRunDayPrunesKeys: the run that stores a day deletes the answers of Idempotency-Keys
// older than sqldb.IdemKeep, and keeps newer ones.
func TestRunDayPrunesKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := seed(t, db)
		caizheng, _ := db.UserByUsername(ctx, "caizheng")
		uctx := sqldb.WithActor(t.Context(), sqldb.Actor{UserID: caizheng.ID, Username: "caizheng", Unit: "区财政局"})
		p, err := db.LoadPlan(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		for i, at := range []time.Time{time.Date(2021, 8, 1, 2, 0, 0, 0, time.UTC), time.Date(2021, 10, 20, 2, 0, 0, 0, time.UTC)} {
			db.SetClock(func() time.Time { return at })
			w := sqldb.ReportWrite{Duty: xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: p.Points[i].ID}, Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "进展"}}
			if _, _, err := db.SubmitReportOnce(uctx, w, sqldb.Idem{UserID: caizheng.ID, Key: "k" + strconv.Itoa(i), RequestHash: "h"}); err != nil {
				t.Fatalf("report %d: %v", i, err)
			}
		}
		clk := &clock{t: time.Date(2021, 10, 25, 9, 0, 0, 0, Shanghai)}
		db.SetClock(clk.now)
		job := &Job{DB: db, Source: PlanSource(db, 7), Now: clk.now, Instance: "test", Log: slog.New(slog.DiscardHandler)}
		if res, err := job.RunDay(ctx, job.Today()); err != nil || !res.Stored {
			t.Fatalf("RunDay = %+v, %v", res, err)
		}
		if _, found, err := db.IdemAnswered(t.Context(), sqldb.Idem{UserID: caizheng.ID, Key: "k0", RequestHash: "h"}); err != nil || found {
			t.Errorf("the August key is still answered after the October run: %v, %v", found, err)
		}
		if _, found, err := db.IdemAnswered(t.Context(), sqldb.Idem{UserID: caizheng.ID, Key: "k1", RequestHash: "h"}); err != nil || !found {
			t.Errorf("the key of five days ago was pruned: %v, %v", found, err)
		}
	})
}
