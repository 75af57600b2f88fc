package remind

import (
	"bufio"
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// fakeServer listens on 127.0.0.1 and answers each line a client sends with the next of
// replies, after greeting with greet; it stands for whatever the SMTP settings point at (a mail
// server that refuses, or another service such as Redis).
func fakeServer(t *testing.T, greet string, replies ...string) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				conn.Write([]byte(greet + "\r\n"))
				r := bufio.NewReader(conn)
				for _, reply := range replies {
					if _, err := r.ReadString('\n'); err != nil {
						return
					}
					conn.Write([]byte(reply + "\r\n"))
				}
				r.ReadString('\n')
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestRemindSMTPFailureCategory: what a delivery's failure shows is a category with the SMTP
// status code, never the far end's words (an office pointing the settings at an internal
// service would read its banner on the deliveries page); the server's log keeps the full error,
// without the password.
func TestRemindSMTPFailureCategory(t *testing.T) {
	ctx := t.Context()
	base := xiezuo.SMTPSettings{Host: "127.0.0.1", From: "xiezuo@mtg.gov.cn", Username: "xz", Password: "pw-secret-1"}
	for _, tt := range []struct {
		name    string
		greet   string
		replies []string
		want    string
		banner  string
	}{
		{"redis", "-ERR unknown command redis_version:7.2.4-banner", nil, "服务器应答异常", "redis_version"},
		{"refused recipient", "220 mail ready", []string{"250 hi", "250 ok", "550 5.1.1 user-list-secret unknown"}, "服务器拒收（SMTP 550）", "user-list-secret"},
		{"auth", "220 mail ready", []string{"250-hi\r\n250 AUTH PLAIN", "535 5.7.8 auth-secret-text"}, "认证失败（SMTP 535）", "auth-secret-text"},
	} {
		s := base
		s.Port = fakeServer(t, tt.greet, tt.replies...)
		if tt.name != "auth" {
			s.Username = ""
		}
		err := SendMail(ctx, s, []string{"a@mtg.gov.cn"}, "主题", "正文")
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), tt.banner) {
			t.Errorf("%s: SendMail = %v, want %q without the server's text", tt.name, err, tt.want)
		}
		if err != nil && !strings.Contains(Detail(err), tt.banner) {
			t.Errorf("%s: Detail = %q, want the server's text for the log", tt.name, Detail(err))
		}
	}
	// Refused at connecting: nothing listens, or the address is link-local (a row stored
	// before the rule, or a name resolving there).
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := base
	s.Port = closed
	if err := SendMail(ctx, s, []string{"a@mtg.gov.cn"}, "主题", "正文"); err == nil || !strings.Contains(err.Error(), "连接失败") || strings.Contains(err.Error(), "refused") {
		t.Errorf("SendMail to a closed port = %v, want 连接失败 only", err)
	}
	s.Host, s.Port = "169.254.169.254", 80
	if err := SendMail(ctx, s, []string{"a@mtg.gov.cn"}, "主题", "正文"); err == nil || !strings.Contains(err.Error(), "链路本地地址") {
		t.Errorf("SendMail to 169.254.169.254 = %v, want refused as link-local", err)
	}

	// Through the job: the page's reason is the category, the log the full error without the
	// password.
	db := openDB(t, filepath.Join(t.TempDir(), "x.db"))
	sctx := seed(t, db)
	s = base
	s.Port, s.Username = fakeServer(t, "-ERR redis_version:7.2.4-banner"), "xz"
	if err := db.SetSMTP(sqldb.WithActor(sctx, sqldb.Actor{Username: "sysadmin"}), s, false); err != nil {
		t.Fatal(err)
	}
	if err := db.SetReminderChannel(sctx, "门头沟区", xiezuo.ReminderChannel{Unit: "区财政局", Enabled: true, Emails: []string{"cz@mtg.gov.cn"}}, false); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	clk := &clock{t: time.Date(2021, 10, 25, 9, 0, 0, 0, Shanghai)}
	job := &Job{DB: db, Source: PlanSource(db, 7), Now: clk.now, Log: slog.New(slog.NewTextHandler(&logged, nil))}
	if _, err := job.RunDay(sctx, job.Today()); err != nil {
		t.Fatal(err)
	}
	if _, failed, err := job.Deliver(sctx); failed != 1 || err != nil {
		t.Fatalf("Deliver: failed %d, %v; want 1", failed, err)
	}
	ds, _ := db.Deliveries(sctx, sqldb.DeliveryFilter{District: "门头沟区"})
	if len(ds) != 1 || !strings.Contains(ds[0].LastError, "服务器应答异常") || strings.Contains(ds[0].LastError, "redis") {
		t.Errorf("deliveries = %+v, want the category only", ds)
	}
	if !strings.Contains(logged.String(), "redis_version") || strings.Contains(logged.String(), "pw-secret-1") {
		t.Errorf("log = %s, want the full error without the password", logged.String())
	}
}

// TestRemindRobotTransportCategory: a robot that cannot be reached shows a category, not the
// resolver's or the dialler's address; the robot's key stays out of the log.
func TestRemindRobotTransportCategory(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	err := PostWeCom(t.Context(), &http.Client{}, "http://"+closed+"/cgi-bin/webhook/send?key=robot-key-3", "正文")
	if err == nil || !strings.Contains(err.Error(), "连接失败") || strings.Contains(err.Error(), "127.0.0.1") || strings.Contains(err.Error(), "dial") {
		t.Errorf("PostWeCom to a closed port = %v, want a category only", err)
	}
	if err != nil && (strings.Contains(Detail(err), "robot-key-3") || !strings.Contains(Detail(err), "127.0.0.1")) {
		t.Errorf("Detail = %q, want the address without the key", Detail(err))
	}
}

// TestRemindRefusedRobotKeyHidden: a stored robot address refused at sending (here over http,
// stored before the rule) is named masked in the failure and the log, never with its key.
func TestRemindRefusedRobotKeyHidden(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "x.db"))
	ctx := seed(t, db)
	if err := db.SetReminderChannel(ctx, "门头沟区", xiezuo.ReminderChannel{Unit: "区财政局", Enabled: true, WeCom: "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=old-key-77"}, false); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	clk := &clock{t: time.Date(2021, 10, 25, 9, 0, 0, 0, Shanghai)}
	job := &Job{DB: db, Source: PlanSource(db, 7), Now: clk.now, Log: slog.New(slog.NewTextHandler(&logged, nil))}
	if _, err := job.RunDay(ctx, job.Today()); err != nil {
		t.Fatal(err)
	}
	if _, failed, err := job.Deliver(ctx); failed != 1 || err != nil {
		t.Fatalf("Deliver: failed %d, %v; want 1", failed, err)
	}
	ds, _ := db.Deliveries(ctx, sqldb.DeliveryFilter{District: "门头沟区"})
	if len(ds) != 1 || !strings.Contains(ds[0].LastError, "key=***") || strings.Contains(ds[0].LastError, "old-key-77") || strings.Contains(logged.String(), "old-key-77") {
		t.Errorf("deliveries = %q, log = %s; want the address masked", ds[0].LastError, logged.String())
	}
}
