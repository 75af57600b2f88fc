package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeysNew: the command named by the message of a PostgreSQL start without a key file
// exists, makes a key file the server accepts, and never overwrites one.
func TestKeysNew(t *testing.T) {
	if _, err := openSealer(&env{getenv: func(string) string { return "" }}, "postgres://127.0.0.1/x"); err == nil || !strings.Contains(err.Error(), "xiezuo keys new") {
		t.Fatalf("openSealer(PostgreSQL without a key file) = %v; want an error that names xiezuo keys new", err)
	}
	path := filepath.Join(t.TempDir(), "xiezuo.key")
	code, stdout, stderr := xz(t, "keys", "new", path)
	if code != 0 || !strings.Contains(stdout, path) {
		t.Fatalf("keys new = %d, %q, %q; want 0 and the path", code, stdout, stderr)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode of the new key file = %04o, want 0600", info.Mode().Perm())
	}
	before, _ := os.ReadFile(path)

	// An option mistyped as the file (keys new -h) is shown the usage, and writes no file.
	for _, arg := range []string{"-h", "--help"} {
		dir := t.TempDir()
		t.Chdir(dir)
		if code, _, stderr := xz(t, "keys", "new", arg); code != exitUsage || !strings.Contains(stderr, "xiezuo keys new 文件") {
			t.Errorf("keys new %s = %d, %q; want the usage", arg, code, stderr)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("keys new %s wrote %v", arg, ents)
		}
	}

	// The new file is one the commands accept.
	db := filepath.Join(t.TempDir(), "x.db")
	var out, errb strings.Builder
	getenv := func(k string) string {
		if k == "XIEZUO_KEY_FILE" {
			return path
		}
		return ""
	}
	if code := run(t.Context(), []string{"sample", "--db", db}, getenv, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("sample with the new key file = %d, %s", code, errb.String())
	}

	code, _, stderr = xz(t, "keys", "new", path)
	if code == 0 || !strings.Contains(stderr, "已存在") {
		t.Errorf("keys new over an existing file = %d, %q; want a refusal", code, stderr)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("keys new changed an existing key file")
	}
	if code, _, _ := xz(t, "keys"); code != 2 {
		t.Errorf("keys without new = %d, want 2", code)
	}
}

// TestNoNewKeyBesideKeyedDatabase checks that a SQLite database whose audit log exists, found
// without its key file beside it, is refused rather than given a new key (which would break
// its chain for good and leave its personal data unreadable), and that no key file is made.
func TestNoNewKeyBesideKeyedDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	if code, _, stderr := xz(t, "sample", "--db", db); code != exitOK {
		t.Fatalf("sample = %d: %s", code, stderr)
	}
	key := filepath.Join(dir, "xiezuo.key")
	if err := os.Rename(key, filepath.Join(dir, "moved.key")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"audit", "verify", "--db", db}, {"summary", "--db", db, "--year", "2021", "--district", "门头沟区"}} {
		code, _, stderr := xz(t, args...)
		if code == exitOK || !strings.Contains(stderr, "原来的密钥文件") {
			t.Errorf("%v without its key file = %d, %q; want a refusal naming the key file", args, code, stderr)
		}
		if _, err := os.Stat(key); !os.IsNotExist(err) {
			t.Fatalf("%v made a new key file beside a keyed database (%v)", args, err)
		}
	}
	// A new database still gets its key file made on first use.
	fresh := filepath.Join(t.TempDir(), "new.db")
	if code, _, stderr := xz(t, "sample", "--db", fresh); code != exitOK {
		t.Fatalf("sample into a new database = %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(fresh), "xiezuo.key")); err != nil {
		t.Errorf("no key file beside a new database: %v", err)
	}
}
