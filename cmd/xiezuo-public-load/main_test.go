package main

import (
	"bytes"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestShort runs the load program for a second a phase against a demo server it builds and
// starts on a fresh SQLite file (the demo publishes most of the 2021 projects): both phases
// run, the public pages answer and the signed-in users are measured. It asserts that the
// program works, never speed (docs/benchmarks.md has the figures).
func TestShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts xiezuo")
	}
	dir := t.TempDir()
	bin := dir + "/xiezuo"
	if out, err := exec.Command("go", "build", "-o", bin, "xiezuo/cmd/xiezuo").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var log bytes.Buffer
	srv := exec.Command(bin, "serve", "--demo", "--db", dir+"/x.db", "--addr", addr)
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := http.Get("http://" + addr + "/public/")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo server did not answer /public/ within 60 s: %v\n%s", err, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	var out bytes.Buffer
	args := []string{"-addr", addr, "-pid", "0", "-crowd", "8", "-users", "2", "-duration", "1s", "-rate", "200"}
	if err := run(t.Context(), args, &out); err != nil {
		t.Fatalf("xiezuo-public-load %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	for _, want := range []string{"public paths", "phase 1:", "phase 2:", "signed-in", "public"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// Both phases of the signed-in users and the crowd answered, none with an error.
	if n := strings.Count(out.String(), "other 0, errors 0"); n != 3 {
		t.Errorf("%d of 3 measured lines answered without errors:\n%s", n, out.String())
	}
}
