package vault

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// KeyFileEnv is the environment variable that names the key file.
const KeyFileEnv = "XIEZUO_KEY_FILE"

// maxKeyFileSize bounds what is read from a key file: a real one is a few hundred bytes.
const maxKeyFileSize = 64 << 10

// LoadKeys reads the key file named by the environment variable XIEZUO_KEY_FILE. Keys are kept
// outside the database so that a copy of the database alone reveals no personal data.
//
// The key file is text, one setting a line, # starting a comment:
//
//	id=1
//	enc=<32 hex digits: the SM4 key>
//	index=<64 hex digits: the HMAC-SM3 index key>
//	old.<id>=<32 hex digits: an older SM4 key, kept to open values sealed with it>
//	audit=<64 hex digits: the HMAC-SM3 key of the audit log's chain>
//
// audit may be missing from key files made before it existed: Keys.Audit is then nil, and
// whoever writes the audit log must refuse to start (see AuditKeyMissing) or add one with
// AddAuditKey.
// On Unix the file must not be open to the group or to others (chmod 600).
func LoadKeys(getenv func(string) string) (Keys, error) {
	path := strings.TrimSpace(getenv(KeyFileEnv))
	if path == "" {
		return Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "未设置环境变量 %s：请把它设为密钥文件的路径（密钥文件保存在数据库之外）", KeyFileEnv)
	}
	return loadKeyFile(path)
}

// loadKeyFile opens, checks and parses a key file.
func loadKeyFile(path string) (Keys, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "找不到密钥文件 %s", path)
	}
	if err != nil {
		return Keys{}, fmt.Errorf("open key file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Keys{}, fmt.Errorf("stat key file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "密钥文件 %s 不是普通文件", path)
	}
	// Windows has no Unix permission bits: os reports 0666 or 0444 for every file there.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "密钥文件 %s 的权限为 %04o，同组或其他用户可以访问；请执行 chmod 600 %s 后重试", path, info.Mode().Perm(), path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return Keys{}, fmt.Errorf("read key file: %w", err)
	}
	if len(data) > maxKeyFileSize {
		return Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "密钥文件 %s 过大，不像是密钥文件", path)
	}
	return parseKeyFile(path, data)
}

// parseKeyFile parses the text of a key file; path only names the file in messages.
func parseKeyFile(path string, data []byte) (Keys, error) {
	var k Keys
	var haveID bool
	seen := map[string]int{}  // setting → line where it was set
	oldLine := map[byte]int{} // old key id → line where it was set
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF") // a byte order mark left by a Windows editor
		}
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		bad := func(format string, args ...any) error {
			return xiezuo.Errorf(xiezuo.EINVALID, "密钥文件 %s 第 %d 行：%s", path, n, fmt.Sprintf(format, args...))
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			return Keys{}, bad("应为“名称=值”的形式")
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if prev, dup := seen[name]; dup {
			return Keys{}, bad("%s 重复设置（第 %d 行已设置）", name, prev)
		}
		seen[name] = n
		switch {
		case name == "id":
			id, err := strconv.ParseUint(value, 10, 8)
			if err != nil {
				return Keys{}, bad("id 应为 0 到 255 的整数，实际为 %q", value)
			}
			k.ID, haveID = byte(id), true
		case name == "enc":
			key, err := decodeKey(value, EncKeySize)
			if err != nil {
				return Keys{}, bad("enc %v", err)
			}
			k.Enc = key
		case name == "index":
			key, err := decodeKey(value, IndexKeySize)
			if err != nil {
				return Keys{}, bad("index %v", err)
			}
			k.Index = key
		case name == "audit":
			key, err := decodeKey(value, AuditKeySize)
			if err != nil {
				return Keys{}, bad("audit %v", err)
			}
			k.Audit = key
		case strings.HasPrefix(name, "old."):
			id, err := strconv.ParseUint(strings.TrimPrefix(name, "old."), 10, 8)
			if err != nil {
				return Keys{}, bad("%s：旧密钥编号应为 0 到 255 的整数", name)
			}
			key, err := decodeKey(value, EncKeySize)
			if err != nil {
				return Keys{}, bad("%s %v", name, err)
			}
			if k.Old == nil {
				k.Old = map[byte][]byte{}
			}
			if _, dup := k.Old[byte(id)]; dup {
				return Keys{}, bad("旧密钥编号 %d 重复", id)
			}
			k.Old[byte(id)] = key
			oldLine[byte(id)] = n
		default:
			return Keys{}, bad("不认识的设置 %q（可用：id、enc、index、audit、old.<编号>）", name)
		}
	}
	if err := sc.Err(); err != nil {
		return Keys{}, fmt.Errorf("read key file: %w", err)
	}
	var missing []string
	if !haveID {
		missing = append(missing, "id")
	}
	if k.Enc == nil {
		missing = append(missing, "enc")
	}
	if k.Index == nil {
		missing = append(missing, "index")
	}
	if len(missing) > 0 {
		return Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "密钥文件 %s 缺少 %s", path, strings.Join(missing, "、"))
	}
	if _, ok := k.Old[k.ID]; ok {
		return Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "密钥文件 %s 第 %d 行：旧密钥编号 %d 与当前密钥编号相同", path, oldLine[k.ID], k.ID)
	}
	return k, nil
}

// decodeKey decodes size bytes written as hex digits. Its errors complete a sentence that
// begins with the setting's name.
func decodeKey(s string, size int) ([]byte, error) {
	if len(s) != 2*size {
		return nil, fmt.Errorf("应为 %d 位十六进制数字，实际为 %d 个字符", 2*size, len(s))
	}
	key, err := hex.DecodeString(s)
	if err != nil {
		return nil, errors.New("含有十六进制数字（0-9、a-f）以外的字符")
	}
	return key, nil
}

// CreateKeyFile writes a new key file with random keys and id 1, readable by its owner only
// (mode 0600). It refuses to overwrite an existing file: losing a key file loses every value
// sealed with it.
func CreateKeyFile(path string) (Keys, error) {
	k, err := createKeyFile(path)
	if errors.Is(err, fs.ErrExist) {
		return Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "密钥文件 %s 已存在，不会覆盖", path)
	}
	return k, err
}

// LoadOrCreateKeyFile loads the key file at path, or creates it first when there is none. It
// is meant for demonstrations and first starts; production sets XIEZUO_KEY_FILE to a file made
// and backed up by the security administrator.
func LoadOrCreateKeyFile(path string) (Keys, error) {
	k, err := createKeyFile(path)
	if errors.Is(err, fs.ErrExist) {
		return loadKeyFile(path)
	}
	return k, err
}

// createKeyFile is CreateKeyFile with the error of an existing file left as it is.
func createKeyFile(path string) (Keys, error) {
	k := Keys{ID: 1, Enc: make([]byte, EncKeySize), Index: make([]byte, IndexKeySize), Audit: make([]byte, AuditKeySize)}
	for _, b := range [][]byte{k.Enc, k.Index, k.Audit} {
		if _, err := rand.Read(b); err != nil {
			return Keys{}, fmt.Errorf("create key file: %w", err)
		}
	}
	text := fmt.Sprintf(`# xiezuo 个人信息加密密钥，创建于 %s。
# enc：SM4 加密密钥；index：HMAC-SM3 索引密钥；audit：审计日志哈希链的 HMAC-SM3 密钥。
# 此文件须保存在数据库之外，权限 600，并另行安全备份：丢失后加密的数据无法恢复。
# 更换加密密钥：把当前的 enc 改写为 old.<当前 id>=…，再写入新的 id 和 enc。
# index 不能更换（更换后须重建全部索引）；audit 不能更换（更换后此前的审计记录无法校验）。
id=%d
enc=%x
index=%x
audit=%x
`, time.Now().UTC().Format(time.RFC3339), k.ID, k.Enc, k.Index, k.Audit)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Keys{}, fmt.Errorf("create key file: %w", err)
	}
	_, err = f.WriteString(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return Keys{}, fmt.Errorf("write key file: %w", err)
	}
	return k, nil
}

// AuditKeyMissing is the error for a key file without an audit key: it says how to add one.
func AuditKeyMissing(path string) error {
	return xiezuo.Errorf(xiezuo.EINVALID, "密钥文件 %s 缺少审计密钥 audit（审计日志哈希链的 HMAC-SM3 密钥，%d 位十六进制数字）："+
		"请执行 xiezuo keys audit %s 追加一行 audit=…，或手工追加（如 echo \"audit=$(openssl rand -hex %d)\" >> %s），"+
		"并与密钥文件一起备份；此后不能更换", path, 2*AuditKeySize, path, AuditKeySize, path)
}

// AddAuditKey appends a new random audit key to the key file at path, which must have none,
// and returns the keys it now holds. The file's other lines are kept as they are.
func AddAuditKey(path string) (Keys, error) {
	k, err := loadKeyFile(path)
	if err != nil {
		return Keys{}, err
	}
	if k.Audit != nil {
		return Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "密钥文件 %s 已有审计密钥 audit，不会覆盖", path)
	}
	k.Audit = make([]byte, AuditKeySize)
	if _, err := rand.Read(k.Audit); err != nil {
		return Keys{}, fmt.Errorf("add audit key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return Keys{}, fmt.Errorf("add audit key: %w", err)
	}
	_, err = fmt.Fprintf(f, "\n# 审计日志哈希链的 HMAC-SM3 密钥，追加于 %s；不能更换。\naudit=%x\n", time.Now().UTC().Format(time.RFC3339), k.Audit)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Keys{}, fmt.Errorf("add audit key: %w", err)
	}
	return k, nil
}
