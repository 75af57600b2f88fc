package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

type fakeDrainer struct {
	drained atomic.Bool
	work    time.Duration // how long the background work takes to finish
}

func (d *fakeDrainer) Drain() { d.drained.Store(true) }

// Finish waits for work like web.Server.Finish: true when it ended within ctx.
func (d *fakeDrainer) Finish(ctx context.Context) bool {
	select {
	case <-time.After(d.work):
		return true
	case <-ctx.Done():
		return false
	}
}

// TestServeUntilFinishesInFlight cancels serve's context (what SIGTERM does) while a slow
// request is in flight: /readyz turns 503 during the drain wait, the slow request still ends
// with 200 and its whole body, serveUntil returns nil, and no new connection is taken after.
// A request slower than the shutdown timeout is cut, and serveUntil says so.
func TestServeUntilFinishesInFlight(t *testing.T) {
	start := func(t *testing.T, slow, drainWait, timeout time.Duration, work ...time.Duration) (base string, started chan struct{}, cancel func(), result chan error) {
		d := &fakeDrainer{}
		if len(work) > 0 {
			d.work = work[0]
		}
		started = make(chan struct{}, 1)
		mux := http.NewServeMux()
		mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
			started <- struct{}{}
			time.Sleep(slow)
			io.WriteString(w, "done")
		})
		mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
			if d.drained.Load() {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancelCtx := context.WithCancel(t.Context())
		result = make(chan error, 1)
		hs := &http.Server{Handler: mux}
		go func() { result <- serveUntil(ctx, hs, ln, d, drainWait, timeout) }()
		return "http://" + ln.Addr().String(), started, cancelCtx, result
	}
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

	t.Run("in flight finishes", func(t *testing.T) {
		base, started, cancel, result := start(t, 800*time.Millisecond, 300*time.Millisecond, 5*time.Second)
		type answer struct {
			status int
			body   string
			err    error
		}
		slow := make(chan answer, 1)
		go func() {
			resp, err := fresh.Get(base + "/slow")
			if err != nil {
				slow <- answer{err: err}
				return
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			slow <- answer{resp.StatusCode, string(b), err}
		}()
		<-started
		cancel()
		time.Sleep(100 * time.Millisecond) // within the drain wait
		if resp, err := fresh.Get(base + "/readyz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("GET /readyz while draining = %v, %v; want 503", resp, err)
		} else {
			resp.Body.Close()
		}
		a := <-slow
		if a.err != nil || a.status != http.StatusOK || a.body != "done" {
			t.Errorf("the request in flight at SIGTERM = %d %q, %v; want 200 \"done\"", a.status, a.body, a.err)
		}
		select {
		case err := <-result:
			if err != nil {
				t.Errorf("serveUntil = %v, want nil after a graceful stop", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("serveUntil did not return")
		}
		if resp, err := fresh.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			t.Errorf("a new connection after the stop was answered %d, want refused", resp.StatusCode)
		}
	})

	t.Run("background work cut at the timeout", func(t *testing.T) {
		base, started, cancel, result := start(t, 0, 0, 200*time.Millisecond, 5*time.Second)
		if resp, err := fresh.Get(base + "/slow"); err == nil {
			resp.Body.Close()
		}
		<-started
		cancel()
		select {
		case err := <-result:
			if err == nil || !strings.Contains(err.Error(), "后台导入") {
				t.Errorf("serveUntil with background work past the timeout = %v, want an error saying it was cut", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("serveUntil did not return at its timeout")
		}
	})

	t.Run("cut at the timeout", func(t *testing.T) {
		base, started, cancel, result := start(t, 3*time.Second, 0, 200*time.Millisecond)
		go func() {
			if resp, err := fresh.Get(base + "/slow"); err == nil {
				resp.Body.Close()
			}
		}()
		<-started
		cancel()
		select {
		case err := <-result:
			if err == nil || !strings.Contains(err.Error(), "未在") {
				t.Errorf("serveUntil with a request past the timeout = %v, want an error saying so", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("serveUntil did not return at its timeout")
		}
	})
}

// TestServeJSONLog runs serve with --log-format json --access-log, sends requests whose paths
// and queries hold an ID number and a phone, and reads its log: JSON lines, the requests under
// their route patterns, neither number anywhere. A wrong --log-format is a usage error.
func TestServeJSONLog(t *testing.T) {
	if code, _, errs := xz(t, "serve", "--log-format", "xml", "--db", filepath.Join(t.TempDir(), "x.db")); code != exitUsage || !strings.Contains(errs, "--log-format") {
		t.Errorf("serve --log-format xml = exit %d: %s", code, errs)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	var out, errs syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--log-format", "json", "--access-log", "--remind-at", "off", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "x.db")},
			os.Getenv, strings.NewReader(""), &out, &errs)
	}()
	addr := ""
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && addr == ""; time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("serve printed no address:\n%s%s", out.String(), errs.String())
	}
	const id, phone = "11010519491231002X", "13912345678"
	for _, p := range []string{"/healthz?phone=" + phone, "/labour/people/" + id + "?id=" + id, "/readyz", "/metrics", "/" + phone} {
		resp, err := http.Get("http://" + addr + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if p == "/readyz" && resp.StatusCode != http.StatusOK {
			t.Errorf("GET /readyz = %d, want 200", resp.StatusCode)
		}
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exit = %d: %s", code, errs.String())
	}
	log := errs.String()
	for _, secret := range []string{id, phone} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %s:\n%s", secret, log)
		}
	}
	routes := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		if rec["msg"] == "request" {
			routes[rec["route"].(string)] = true
		}
	}
	for _, want := range []string{"/healthz", "/labour/people/{id}", "/readyz", "/metrics", "unmatched"} {
		if !routes[want] {
			t.Errorf("no request logged under %s: %v\n%s", want, routes, log)
		}
	}
}

// TestServeShortMetricsToken checks that serve refuses a /metrics token short enough to guess,
// from the flag or the environment, before it opens anything.
func TestServeShortMetricsToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if code, _, stderr := xz(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--metrics-token", "abc              "); code != exitUsage || !strings.Contains(stderr, "至少 16 个字符") {
		t.Errorf("serve --metrics-token abc = %d, %q; want the usage error naming 16 characters", code, stderr)
	}
	var out, errb strings.Builder
	getenv := func(k string) string {
		if k == "XIEZUO_METRICS_TOKEN" {
			return "x"
		}
		return ""
	}
	if code := run(t.Context(), []string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, getenv, strings.NewReader(""), &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "XIEZUO_METRICS_TOKEN") {
		t.Errorf("serve with XIEZUO_METRICS_TOKEN=x = %d, %q; want the usage error", code, errb.String())
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("serve refused for its token still made %s (%v)", db, err)
	}
}
