package vault

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

const (
	encHex   = "000102030405060708090a0b0c0d0e0f"
	indexHex = "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
	oldHex   = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
)

func TestParseKeyFile(t *testing.T) {
	enc, index, old := unhex(t, encHex), unhex(t, indexHex), unhex(t, oldHex)
	tests := []struct {
		name string
		text string
		want Keys
	}{
		{
			"plain",
			"id=1\nenc=" + encHex + "\nindex=" + indexHex + "\n",
			Keys{ID: 1, Enc: enc, Index: index},
		},
		{
			"comments, blank lines, spaces, CRLF, capitals, byte order mark, old keys",
			"\uFEFF# 密钥\r\n\r\n  id = 3   # 当前\r\nenc=" + strings.ToUpper(encHex) + "\r\nindex=" + indexHex + "\r\nold.1=" + oldHex + "\r\nold.2 = " + encHex + "\r\n",
			Keys{ID: 3, Enc: enc, Index: index, Old: map[byte][]byte{1: old, 2: enc}},
		},
		{
			"id 0 and no final newline",
			"enc=" + encHex + "\nindex=" + indexHex + "\nid=0",
			Keys{ID: 0, Enc: enc, Index: index},
		},
	}
	for _, tt := range tests {
		got, err := parseKeyFile("k", []byte(tt.text))
		if err != nil {
			t.Errorf("%s: parseKeyFile error: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: parseKeyFile mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestParseKeyFileErrors(t *testing.T) {
	head := "id=1\nenc=" + encHex + "\nindex=" + indexHex + "\n"
	tests := []struct {
		text string
		want string
	}{
		{"", "密钥文件 k 缺少 id、enc、index"},
		{"# 只有注释\n", "密钥文件 k 缺少 id、enc、index"},
		{"id=1\nindex=" + indexHex + "\n", "密钥文件 k 缺少 enc"},
		{"id=1\nenc=" + encHex + "\n", "密钥文件 k 缺少 index"},
		{"enc=" + encHex + "\nindex=" + indexHex + "\n", "密钥文件 k 缺少 id"},
		{"id=1\n" + encHex + "\n", "密钥文件 k 第 2 行：应为“名称=值”的形式"},
		{"id=256\n", "密钥文件 k 第 1 行：id 应为 0 到 255 的整数，实际为 \"256\""},
		{"id=-1\n", "密钥文件 k 第 1 行：id 应为 0 到 255 的整数，实际为 \"-1\""},
		{"id=\n", "密钥文件 k 第 1 行：id 应为 0 到 255 的整数，实际为 \"\""},
		{"\n\nid=1\nenc=" + encHex[2:] + "\n", "密钥文件 k 第 4 行：enc 应为 32 位十六进制数字，实际为 30 个字符"},
		{"id=1\nenc=" + encHex + "00\n", "密钥文件 k 第 2 行：enc 应为 32 位十六进制数字，实际为 34 个字符"},
		{"id=1\nenc=" + strings.Repeat("g", 32) + "\n", "密钥文件 k 第 2 行：enc 含有十六进制数字（0-9、a-f）以外的字符"},
		{"id=1\nindex=" + encHex + "\n", "密钥文件 k 第 2 行：index 应为 64 位十六进制数字，实际为 32 个字符"},
		{head + "id=2\n", "密钥文件 k 第 4 行：id 重复设置（第 1 行已设置）"},
		{head + "old.x=" + oldHex + "\n", "密钥文件 k 第 4 行：old.x：旧密钥编号应为 0 到 255 的整数"},
		{head + "old.2=" + indexHex + "\n", "密钥文件 k 第 4 行：old.2 应为 32 位十六进制数字，实际为 64 个字符"},
		{head + "old.2=" + oldHex + "\nold.02=" + oldHex + "\n", "密钥文件 k 第 5 行：旧密钥编号 2 重复"},
		{head + "\nold.1=" + oldHex + "\n", "密钥文件 k 第 5 行：旧密钥编号 1 与当前密钥编号相同"},
		{head + "key=1\n", "密钥文件 k 第 4 行：不认识的设置 \"key\"（可用：id、enc、index、audit、old.<编号>）"},
	}
	for _, tt := range tests {
		_, err := parseKeyFile("k", []byte(tt.text))
		if err == nil || err.Error() != tt.want {
			t.Errorf("parseKeyFile(%q) error = %v, want %s", tt.text, err, tt.want)
		}
		if code := xiezuo.ErrorCode(err); code != xiezuo.EINVALID {
			t.Errorf("parseKeyFile(%q) error code = %q, want %q", tt.text, code, xiezuo.EINVALID)
		}
	}
}

// getenv returns a getenv that knows only XIEZUO_KEY_FILE.
func getenv(path string) func(string) string {
	return func(name string) string {
		if name == KeyFileEnv {
			return path
		}
		return ""
	}
}

func TestCreateAndLoadKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "xiezuo.key")
	created, err := CreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID != 1 || len(created.Enc) != EncKeySize || len(created.Index) != IndexKeySize {
		t.Errorf("CreateKeyFile keys = id %d, %d-byte enc, %d-byte index; want id 1, 16 and 32 bytes", created.ID, len(created.Enc), len(created.Index))
	}
	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("CreateKeyFile mode = %04o, want 0600", perm)
		}
	}
	loaded, err := LoadKeys(getenv(path))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, loaded); diff != "" {
		t.Errorf("LoadKeys(created file) mismatch (-created +loaded):\n%s", diff)
	}
	if _, err := NewSM4(loaded); err != nil {
		t.Errorf("NewSM4(loaded keys) error: %v", err)
	}

	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = CreateKeyFile(path)
	if want := "密钥文件 " + path + " 已存在，不会覆盖"; err == nil || err.Error() != want {
		t.Errorf("CreateKeyFile(existing file) error = %v, want %s", err, want)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("CreateKeyFile changed an existing key file")
	}

	again, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, again); diff != "" {
		t.Errorf("LoadOrCreateKeyFile(existing file) mismatch (-created +loaded):\n%s", diff)
	}
}

func TestLoadOrCreateKeyFileCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.key")
	created, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, loaded); diff != "" {
		t.Errorf("LoadOrCreateKeyFile twice mismatch (-first +second):\n%s", diff)
	}
	other, err := LoadOrCreateKeyFile(filepath.Join(t.TempDir(), "other.key"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other.Enc, created.Enc) || bytes.Equal(other.Index, created.Index) {
		t.Error("two new key files have the same keys")
	}
}

func TestLoadKeysErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.key")
	tests := []struct {
		name string
		env  string
		want string
	}{
		{"unset", "", "未设置环境变量 XIEZUO_KEY_FILE：请把它设为密钥文件的路径（密钥文件保存在数据库之外）"},
		{"blank", "  ", "未设置环境变量 XIEZUO_KEY_FILE：请把它设为密钥文件的路径（密钥文件保存在数据库之外）"},
		{"missing", missing, "找不到密钥文件 " + missing},
		{"directory", dir, "密钥文件 " + dir + " 不是普通文件"},
	}
	for _, tt := range tests {
		_, err := LoadKeys(getenv(tt.env))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: LoadKeys error = %v, want %s", tt.name, err, tt.want)
		}
		if code := xiezuo.ErrorCode(err); code != xiezuo.EINVALID {
			t.Errorf("%s: LoadKeys error code = %q, want %q", tt.name, code, xiezuo.EINVALID)
		}
	}
}

func TestLoadKeysRefusesOpenPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits on Windows")
	}
	text := "id=1\nenc=" + encHex + "\nindex=" + indexHex + "\n"
	for _, perm := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602, 0o610} {
		path := filepath.Join(t.TempDir(), "xiezuo.key")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, perm); err != nil {
			t.Fatal(err)
		}
		_, err := LoadKeys(getenv(path))
		want := "chmod 600 " + path
		if err == nil || !strings.Contains(err.Error(), want) || xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("LoadKeys(file with mode %04o) error = %v, want an invalid error saying %q", perm, err, want)
		}
	}
	for _, perm := range []os.FileMode{0o600, 0o400} {
		path := filepath.Join(t.TempDir(), "xiezuo.key")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, perm); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadKeys(getenv(path)); err != nil {
			t.Errorf("LoadKeys(file with mode %04o) error = %v, want nil", perm, err)
		}
	}
}

// A key file made before the audit key loads without one; AddAuditKey adds it once, keeping
// the other keys; a made key file has one.
func TestAuditKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.key")
	if err := os.WriteFile(path, []byte("id=1\nenc="+encHex+"\nindex="+indexHex+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := loadKeyFile(path)
	if err != nil || k.Audit != nil {
		t.Fatalf("loadKeyFile(without audit) = %v, %v; want no audit key", k, err)
	}
	added, err := AddAuditKey(path)
	if err != nil || len(added.Audit) != AuditKeySize {
		t.Fatalf("AddAuditKey = %v, %v", added, err)
	}
	again, err := loadKeyFile(path)
	if err != nil || !bytes.Equal(again.Audit, added.Audit) || !bytes.Equal(again.Enc, k.Enc) || !bytes.Equal(again.Index, k.Index) {
		t.Errorf("loadKeyFile(after AddAuditKey) = %v, %v; want the same keys and the added audit key", again, err)
	}
	if _, err := AddAuditKey(path); !strings.Contains(xiezuo.ErrorMessage(err), "已有审计密钥") {
		t.Errorf("AddAuditKey(again) = %v, want a refusal", err)
	}
	made, err := CreateKeyFile(filepath.Join(t.TempDir(), "new.key"))
	if err != nil || len(made.Audit) != AuditKeySize {
		t.Errorf("CreateKeyFile = %v, %v; want an audit key", made, err)
	}
	if msg := xiezuo.ErrorMessage(AuditKeyMissing(path)); !strings.Contains(msg, "缺少审计密钥 audit") || !strings.Contains(msg, "xiezuo keys audit "+path) {
		t.Errorf("AuditKeyMissing = %s", msg)
	}
	if _, err := parseKeyFile("k", []byte("id=1\nenc="+encHex+"\nindex="+indexHex+"\naudit=00\n")); !strings.Contains(xiezuo.ErrorMessage(err), "audit 应为 64 位十六进制数字") {
		t.Errorf("parseKeyFile(short audit) = %v", err)
	}
}
