package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRedactPlain: a database URL's password is shown as ***, not URL-encoded (%2A%2A%2A).
func TestRedactPlain(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://postgres:s3cret@127.0.0.1:5432/xiezuo?sslmode=disable": "postgres://postgres:***@127.0.0.1:5432/xiezuo?sslmode=disable",
		"postgres://postgres@127.0.0.1/xiezuo":                             "postgres://postgres@127.0.0.1/xiezuo",
		"data/xiezuo.db":                                                   "data/xiezuo.db",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRestoreMissingFile: restore of a backup file that is not there says so.
func TestRestoreMissingFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.zip")
	code, _, errs := xzKeyed(t, "restore", "--db", filepath.Join(dir, "data", "xiezuo.db"), missing)
	if code != exitError || !strings.Contains(errs, "备份文件“"+missing+"”不存在") || strings.Contains(errs, "no such file") {
		t.Errorf("restore of a missing file = %d, %q; want refused naming it missing", code, errs)
	}
}

// TestServeRefusesFIFOShip: serve refuses a FIFO as its audit-ship file at its start, in
// Chinese, rather than hanging on it (and then on shutdown) for ever.
func TestServeRefusesFIFOShip(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "audit.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := xz(t, "serve", "--db", filepath.Join(dir, "data", "xiezuo.db"), "--addr", "127.0.0.1:0", "--audit-ship", "file:"+fifo)
	if code != exitError || !strings.Contains(errs, "审计日志外送文件“"+fifo+"”") {
		t.Errorf("serve --audit-ship file:FIFO = exit %d:\n%s%s", code, out, errs)
	}
}
