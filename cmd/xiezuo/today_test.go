package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs serve with args on 127.0.0.1:0 and a fresh SQLite file, and returns its
// address and output; the server stops when the test ends.
func startServe(t *testing.T, args ...string) (addr string, out *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	out = &syncBuffer{}
	var errs syncBuffer
	done := make(chan int)
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "x.db")}, args...)
	go func() { done <- run(ctx, args, os.Getenv, strings.NewReader(""), out, &errs) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("serve exit = %d: %s", code, errs.String())
		}
	})
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline) && addr == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatalf("serve printed no address:\n%s%s", out.String(), errs.String())
	}
	return addr, out
}

// signInClient signs username in on the server at addr with the demo password.
func signInClient(t *testing.T, addr, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	body := getBody(t, c, "http://"+addr+"/signin")
	pre := regexp.MustCompile(`name="pre" value="([^"]+)"`).FindStringSubmatch(body)
	if pre == nil {
		t.Fatalf("sign-in page has no form token:\n%s", body)
	}
	resp, err := c.PostForm("http://"+addr+"/signin", url.Values{"username": {username}, "password": {demoPassword}, "pre": {pre[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return c
}

func getBody(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d:\n%s", u, resp.StatusCode, b.String())
	}
	return b.String()
}

// TestServeToday runs serve --today on a day of 2021: the task list shows the lights of that
// day (the 10月底前 tasks are due in 46 days from 15 September, not 已过期), and --today
// without --demo is allowed.
func TestServeToday(t *testing.T) {
	addr, out := startServe(t, "--demo", "--today", "2021-09-15")
	if !strings.Contains(out.String(), "今天按 2021-09-15 计") {
		t.Errorf("serve --today did not say which day it takes as today:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "已生成演示用的督查数据") {
		t.Errorf("serve --demo did not generate the half year:\n%s", out.String())
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz = %v, %v", resp, err)
	}
	resp.Body.Close()
	tasks := getBody(t, signInClient(t, addr, "office"), "http://"+addr+"/tasks")
	// 正常（下次 10月31日） when not yet reported in its period, 本期已报（10月31日 为最后一期）
	// when it was.
	if !strings.Contains(tasks, "正常（下次 10月31日）") && !strings.Contains(tasks, "本期已报（10月31日 为最后一期）") {
		t.Errorf("/tasks as of 2021-09-15 shows no task next due on 31 October (10月底前):\n%s", tasks)
	}
	// --today without --demo is allowed; a day that is not one is refused as bad usage.
	plain, out2 := startServe(t, "--today", "2021-06-30")
	if resp, err := http.Get("http://" + plain + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz (--today without --demo) = %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if !strings.Contains(out2.String(), "今天按 2021-06-30 计") {
		t.Errorf("serve --today 2021-06-30 did not say so:\n%s", out2.String())
	}
	if code, _, errs := xz(t, "serve", "--today", "2021-13-01", "--db", filepath.Join(t.TempDir(), "y.db")); code != exitUsage || !strings.Contains(errs, "2021-13-01") {
		t.Errorf("serve --today 2021-13-01 = exit %d (%s), want %d", code, errs, exitUsage)
	}
}

// TestGenerateReportsUntil writes a generated plan with its supervision facts into a database.
func TestGenerateReportsUntil(t *testing.T) {
	db := filepath.Join(t.TempDir(), "g.db")
	code, out, errs := xz(t, "generate", "--db", db, "--districts", "1", "--years", "2021", "--projects", "12", "--reports-until", "2021-09-15")
	if code != exitOK || !regexp.MustCompile(`进展报告 [1-9]\d* 份`).MatchString(out) {
		t.Errorf("generate --reports-until = exit %d:\n%s%s", code, out, errs)
	}
	if code, _, _ := xz(t, "generate", "-o", t.TempDir(), "--reports-until", "2021-09-15"); code != exitUsage {
		t.Errorf("generate -o --reports-until = exit %d, want %d", code, exitUsage)
	}
}
