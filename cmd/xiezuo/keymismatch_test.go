package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xiezuo/vault"
)

// TestKeyMismatchRefused: a database whose audit log was chained under one key file, given
// another (a restored database started with a new key file), is refused by serve and by audit
// verify, naming XIEZUO_KEY_FILE, and nothing is written; with its own key file it verifies.
func TestKeyMismatchRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	if code, _, stderr := xz(t, "sample", "--db", db); code != exitOK {
		t.Fatalf("sample = %d: %s", code, stderr)
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if code, _, stderr := xz(t, "keys", "new", other); code != exitOK {
		t.Fatalf("keys new = %d: %s", code, stderr)
	}
	getenv := func(k string) string {
		if k == vault.KeyFileEnv {
			return other
		}
		return ""
	}
	for _, args := range [][]string{
		{"audit", "verify", "--db", db},
		{"serve", "--db", db, "--addr", "127.0.0.1:0"},
	} {
		// A regression would serve: the timeout ends it, and the test fails on its exit code.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		var out, errs strings.Builder
		code := run(ctx, args, getenv, strings.NewReader(""), &out, &errs)
		cancel()
		if code == exitOK || !strings.Contains(errs.String(), "审计密钥不是这个数据库的") || !strings.Contains(errs.String(), "XIEZUO_KEY_FILE") {
			t.Errorf("%s with another database's key file = exit %d: %s%s; want refused, naming XIEZUO_KEY_FILE", args[0], code, out.String(), errs.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "xiezuo.key")); err != nil {
		t.Fatal(err)
	}
	// Its own key file (beside it): nothing was chained under the other key, the log verifies.
	if code, out, errs := xz(t, "audit", "verify", "--db", db, "--full"); code != exitOK || !strings.Contains(out, "哈希链完整") {
		t.Errorf("audit verify with its own key file = exit %d: %s%s", code, out, errs)
	}
}
