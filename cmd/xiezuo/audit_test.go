package main

import (
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo/sqldb"
	"xiezuo/vault"

	"github.com/emmansun/gmsm/sm3"
)

// TestAuditVerify verifies the log the commands wrote, then changes an entry behind the
// triggers' back, as a superuser of the database could: verify names it and exits 1.
func TestAuditVerify(t *testing.T) {
	forEachDB(t, func(t *testing.T, dsn string) {
		for _, name := range []string{"office1", "office2", "office3"} {
			code, out, errs := xz(t, "user", "add", "--db", dsn, "--username", name, "--name", "王五", "--district", "门头沟区",
				"--unit", "领导小组办公室", "--role", "unit", "--password", "Good#Pass2021")
			if code != exitOK {
				t.Fatalf("user add = exit %d: %s%s", code, out, errs)
			}
		}
		code, out, errs := xz(t, "audit", "verify", "--db", dsn)
		head := regexp.MustCompile(`最新记录：(4:[0-9a-f]{64})\n`).FindStringSubmatch(out)
		if code != exitOK || !strings.Contains(out, "已校验审计日志 3 条（全部记录，至第 3 条），哈希链完整；本次校验记为第 4 条。") || head == nil {
			t.Fatalf("audit verify = exit %d:\n%s%s", code, out, errs)
		}
		// verify is audited: the log has 4 entries now, and the head printed is the 4th.
		code, out, _ = xz(t, "audit", "verify", "--db", dsn, "--head", head[1])
		// Only the entry after the head the last verification recorded (3) is checked.
		if code != exitOK || !strings.Contains(out, "已校验审计日志 1 条（自上次校验的第 3 条起，全部校验请加 --full，至第 4 条），哈希链完整；本次校验记为第 5 条。") || !strings.Contains(out, "最新记录：5:") {
			t.Errorf("audit verify --head %s = exit %d:\n%s", head[1], code, out)
		}
		if code, out, _ := xz(t, "audit", "head", "--db", dsn); code != exitOK || !strings.HasPrefix(out, "5:") {
			t.Errorf("audit head = exit %d: %s", code, out)
		}
		if code, _, errs := xz(t, "audit", "verify", "--db", dsn, "--head", "5"); code != exitUsage || !strings.Contains(errs, "序号:哈希") {
			t.Errorf("audit verify --head 5 = exit %d: %s", code, errs)
		}

		driver, on := "sqlite", ""
		if strings.HasPrefix(dsn, "postgres") {
			driver, on = "pgx", " ON audit_log"
		}
		raw, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var after2 string
		if err := raw.QueryRowContext(t.Context(), `SELECT after_json FROM audit_log WHERE seq = 2`).Scan(&after2); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(t.Context(), `UPDATE audit_log SET after_json = '{}' WHERE seq = 2`); err == nil {
			t.Fatalf("UPDATE audit_log succeeded with the triggers in place")
		}
		for _, q := range []string{
			`DROP TRIGGER audit_log_no_update` + on,
			`UPDATE audit_log SET after_json = '{"username":"office2","name":"李四"}' WHERE seq = 2`,
		} {
			if _, err := raw.ExecContext(t.Context(), q); err != nil {
				t.Fatalf("%s = %v", q, err)
			}
		}
		// Entry 2 was verified before: only --full reads it again.
		if code, out, _ := xz(t, "audit", "verify", "--db", dsn); code != exitOK {
			t.Errorf("audit verify (entry 2 tampered, incremental) = exit %d:\n%s", code, out)
		}
		code, out, errs = xz(t, "audit", "verify", "--db", dsn, "--full")
		if code != exitError || !strings.Contains(out, "审计日志校验未通过：第 2 条的内容与其哈希不符") {
			t.Errorf("audit verify (tampered) = exit %d:\n%s%s", code, out, errs)
		}
		// The last entries cut: only the head recorded before tells.
		if _, err := raw.ExecContext(t.Context(), `UPDATE audit_log SET after_json = $1 WHERE seq = 2`, after2); err != nil {
			t.Fatal(err)
		}
		code, out, _ = xz(t, "audit", "verify", "--db", dsn)
		if code != exitOK {
			t.Fatalf("audit verify (restored) = exit %d:\n%s", code, out)
		}
		head = regexp.MustCompile(`最新记录：(\d+:[0-9a-f]{64})\n`).FindStringSubmatch(out)
		if _, err := raw.ExecContext(t.Context(), `DROP TRIGGER audit_log_keep_180_days`+on); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(t.Context(), `DELETE FROM audit_log WHERE seq >= 4`); err != nil {
			t.Fatal(err)
		}
		code, out, errs = xz(t, "audit", "verify", "--db", dsn, "--head", head[1])
		if code != exitError || !strings.Contains(out, "审计日志校验未通过：记录的最新记录第 "+strings.Split(head[1], ":")[0]+" 条已不在日志中：日志末尾的记录被删除") {
			t.Errorf("audit verify --head %s (cut) = exit %d:\n%s%s", head[1], code, out, errs)
		}
	})
}

func TestAuditSearch(t *testing.T) {
	dsn := t.TempDir() + "/data/xiezuo.db"
	code, out, errs := xzEnv(t, map[string]string{"USER": "bob"}, "", "user", "add", "--db", dsn, "--username", "office1", "--name", "王五",
		"--district", "门头沟区", "--unit", "领导小组办公室", "--role", "unit", "--password", "Good#Pass2021")
	if code != exitOK {
		t.Fatalf("user add = exit %d: %s%s", code, out, errs)
	}
	code, out, errs = xz(t, "audit", "search", "--db", dsn, "--user", "system", "--from", "2021-06-01")
	if code != exitOK {
		t.Fatalf("audit search = exit %d: %s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "序号\t时间\t用户") || lines[2] != "共 1 条。" {
		t.Fatalf("audit search printed:\n%s", out)
	}
	cells := strings.Split(lines[1], "\t")
	if len(cells) != 9 || cells[0] != "1" || cells[2] != "system" || cells[4] != "命令行（bob）" || cells[5] != "user.add" ||
		cells[6] != "user 1 王五（office1）" || cells[7] != "成功" {
		t.Errorf("audit search row = %q", cells)
	}
	// The search itself was audited; a search that ends before the first entry finds nothing.
	code, out, _ = xz(t, "audit", "search", "--db", dsn, "--to", "2021-06-30")
	if code != exitOK || !strings.Contains(out, "共 0 条。") {
		t.Errorf("audit search --to 2021-06-30 = exit %d:\n%s", code, out)
	}
	code, out, _ = xz(t, "audit", "search", "--db", dsn, "--action", "audit.search")
	if code != exitOK || !strings.Contains(out, "共 2 条。") || !strings.Contains(out, "查询条件：用户 system，起始日期 2021-06-01；共 1 条") {
		t.Errorf("audit search --action audit.search = exit %d:\n%s", code, out)
	}
	for _, args := range [][]string{{"audit", "search", "--db", dsn, "--from", "2021/06/01"}, {"audit"}, {"audit", "erase"}} {
		if code, _, _ := xz(t, args...); code != exitUsage {
			t.Errorf("xiezuo %v = exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestAuditPruneRefusesYoungEntries(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	if code, _, errs := xz(t, "sample", "--db", db); code != exitOK {
		t.Fatalf("sample = %d: %s", code, errs)
	}
	code, _, errs := xz(t, "audit", "prune", "--db", db, "--before", time.Now().AddDate(0, 0, -10).Format(time.DateOnly))
	if code == exitOK || !strings.Contains(errs, "180") {
		t.Errorf("prune of 10-day-old entries = exit %d: %s, want a refusal naming 180 days", code, errs)
	}
	code, out, errs := xz(t, "audit", "prune", "--db", db, "--before", time.Now().AddDate(0, 0, -200).Format(time.DateOnly))
	if code != exitOK || !strings.Contains(out, "0 条") {
		t.Errorf("prune of 200-day-old entries = exit %d: %s%s", code, out, errs)
	}
	if code, out, _ := xz(t, "audit", "verify", "--db", db); code != exitOK || !strings.Contains(out, "哈希链完整") {
		t.Errorf("verify after prune = exit %d: %s", code, out)
	}
}

// A key file named by XIEZUO_KEY_FILE without the audit key is refused, saying how to add one;
// the key file made beside a SQLite database gets one added; keys audit adds it.
func TestAuditKeyMissing(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "named.key")
	legacy := "id=1\nenc=000102030405060708090a0b0c0d0e0f\nindex=101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f\n"
	if err := os.WriteFile(keyFile, []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	dsn := filepath.Join(dir, "data", "xiezuo.db")
	env := map[string]string{vault.KeyFileEnv: keyFile}
	code, _, errs := xzEnv(t, env, "", "audit", "verify", "--db", dsn)
	if code != exitError || !strings.Contains(errs, "缺少审计密钥 audit") || !strings.Contains(errs, "xiezuo keys audit "+keyFile) {
		t.Errorf("audit verify with a key file without audit = exit %d: %s", code, errs)
	}
	if code, out, errs := xz(t, "keys", "audit", keyFile); code != exitOK {
		t.Fatalf("keys audit = exit %d: %s%s", code, out, errs)
	}
	if code, out, errs := xzEnv(t, env, "", "audit", "verify", "--db", dsn); code != exitOK {
		t.Errorf("audit verify after keys audit = exit %d: %s%s", code, out, errs)
	}

	beside := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(beside, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(beside, "xiezuo.key"), []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := xz(t, "audit", "verify", "--db", filepath.Join(beside, "xiezuo.db"))
	if code != exitOK || !strings.Contains(errs, "已在密钥文件") {
		t.Errorf("audit verify with the SQLite key file without audit = exit %d: %s%s", code, out, errs)
	}
}

// migrate applies the migrations and grants an application role on PostgreSQL only.
func TestMigrate(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "m.db")
	code, out, errs := xz(t, "migrate", "--db", dsn)
	if code != exitOK || !strings.Contains(out, "0006_audit_key.sql") {
		t.Errorf("migrate = exit %d: %s%s", code, out, errs)
	}
	if code, _, errs := xz(t, "migrate", "--db", dsn, "--app-role", "xiezuo_app"); code != exitUsage || !strings.Contains(errs, "PostgreSQL") {
		t.Errorf("migrate --app-role on SQLite = exit %d: %s", code, errs)
	}
}

// unkeyedDigest is the SM3 of an entry under the rule of the log before the audit key: what
// anyone who reads sqldb/audit.go can compute without the key.
func unkeyedDigest(e sqldb.AuditEntry) string {
	h := sm3.New()
	prev, _ := hex.DecodeString(e.PrevHash)
	h.Write(prev)
	var n [4]byte
	for _, f := range []string{
		"xiezuo-audit-v1", strconv.FormatInt(e.Seq, 10), e.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		strconv.FormatInt(e.UserID, 10), e.Username, e.Unit, e.IP, e.Action, e.ObjectType, e.ObjectID,
		e.ObjectLabel, e.Before, e.After, e.Outcome, e.Detail,
	} {
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rewriteUnkeyed does what the owner of the database can without the key: delete entry 2,
// renumber those after it, and rewrite the whole log as an unkeyed chain.
func rewriteUnkeyed(t *testing.T, dsn string) {
	t.Helper()
	driver, on := "sqlite", ""
	if strings.HasPrefix(dsn, "postgres") {
		driver, on = "pgx", " ON audit_log"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER audit_log_no_update` + on, `DROP TRIGGER audit_log_keep_180_days` + on,
		`DELETE FROM audit_log WHERE seq = 2`, `UPDATE audit_log SET seq = seq - 1 WHERE seq > 2`} {
		if _, err := raw.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s = %v", q, err)
		}
	}
	db, err := sqldb.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, _, err := db.SearchAudit(t.Context(), sqldb.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	prev := strings.Repeat("00", 32)
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		e.PrevHash = prev
		e.Hash = unkeyedDigest(e)
		prev = e.Hash
		if _, err := raw.ExecContext(t.Context(), `UPDATE audit_log SET chain = 'sm3', prev_hash = $1, hash = $2 WHERE seq = $3`,
			e.PrevHash, e.Hash, e.Seq); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditRewrittenUnkeyedRefused: the whole log rewritten unkeyed, an entry deleted, is not
// blessed by the next start: serve and writes refuse, naming key-switch, and verify fails
// without --head. key-switch, run once by the operator as when upgrading a database from
// before the key, keys it; a second run is refused.
func TestAuditRewrittenUnkeyedRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, dsn string) {
		for _, name := range []string{"office1", "office2", "office3"} {
			if code, out, errs := xz(t, "user", "add", "--db", dsn, "--username", name, "--name", "王五", "--district", "门头沟区",
				"--unit", "领导小组办公室", "--role", "unit", "--password", "Good#Pass2021"); code != exitOK {
				t.Fatalf("user add = exit %d: %s%s", code, out, errs)
			}
		}
		rewriteUnkeyed(t, dsn)
		code, out, errs := xz(t, "audit", "verify", "--db", dsn)
		if code != exitError || !strings.Contains(out, "没有一条记录用审计密钥链接") || strings.Contains(out, "哈希链完整") {
			t.Errorf("audit verify (rewritten) = exit %d:\n%s%s", code, out, errs)
		}
		code, out, errs = xz(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
		if code != exitError || !strings.Contains(errs, "xiezuo audit key-switch --db") || !strings.Contains(errs, "升级时") {
			t.Errorf("serve (rewritten) = exit %d:\n%s%s", code, out, errs)
		}
		code, out, errs = xz(t, "user", "add", "--db", dsn, "--username", "office4", "--name", "王五", "--district", "门头沟区",
			"--unit", "领导小组办公室", "--role", "unit", "--password", "Good#Pass2021")
		if code != exitError || !strings.Contains(errs, "key-switch") {
			t.Errorf("user add (rewritten) = exit %d:\n%s%s", code, out, errs)
		}
		if code, out, _ := xz(t, "audit", "head", "--db", dsn); !strings.HasPrefix(out, "2:") {
			t.Errorf("audit head = exit %d: %s, want the 2 rewritten entries and nothing appended", code, out)
		}

		code, out, errs = xz(t, "audit", "key-switch", "--db", dsn)
		if code != exitOK || !strings.Contains(out, "第 2 条及以前的记录按原 SM3 规则校验，第 3 条") {
			t.Fatalf("audit key-switch = exit %d:\n%s%s", code, out, errs)
		}
		if code, out, errs := xz(t, "audit", "verify", "--db", dsn); code != exitOK {
			t.Errorf("audit verify (switched) = exit %d:\n%s%s", code, out, errs)
		}
		code, out, errs = xz(t, "audit", "key-switch", "--db", dsn)
		if code == exitOK || !strings.Contains(errs, "不能再切换") {
			t.Errorf("audit key-switch (twice) = exit %d:\n%s%s", code, out, errs)
		}
	})
}

// TestAuditWipedRefused: every audit entry deleted behind the triggers' back in a database
// that holds accounts. verify fails naming the deletion; serve, writes and key-switch refuse.
func TestAuditWipedRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, dsn string) {
		if code, out, errs := xz(t, "user", "add", "--db", dsn, "--username", "office1", "--name", "王五", "--district", "门头沟区",
			"--unit", "领导小组办公室", "--role", "unit", "--password", "Good#Pass2021"); code != exitOK {
			t.Fatalf("user add = exit %d: %s%s", code, out, errs)
		}
		driver, on := "sqlite", ""
		if strings.HasPrefix(dsn, "postgres") {
			driver, on = "pgx", " ON audit_log"
		}
		raw, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		for _, q := range []string{`DROP TRIGGER audit_log_no_update` + on, `DROP TRIGGER audit_log_keep_180_days` + on, `DELETE FROM audit_log`} {
			if _, err := raw.ExecContext(t.Context(), q); err != nil {
				t.Fatalf("%s = %v", q, err)
			}
		}
		code, out, errs := xz(t, "audit", "verify", "--db", dsn)
		if code != exitError || !strings.Contains(out, "审计日志为空，但数据库中已有账号或计划：审计记录被删除") || strings.Contains(out, "哈希链完整") {
			t.Errorf("audit verify (wiped) = exit %d:\n%s%s", code, out, errs)
		}
		code, out, errs = xz(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
		if code != exitError || !strings.Contains(errs, "审计记录被删除") {
			t.Errorf("serve (wiped) = exit %d:\n%s%s", code, out, errs)
		}
		code, out, errs = xz(t, "user", "add", "--db", dsn, "--username", "office2", "--name", "王五", "--district", "门头沟区",
			"--unit", "领导小组办公室", "--role", "unit", "--password", "Good#Pass2021")
		if code != exitError || !strings.Contains(errs, "审计记录被删除") {
			t.Errorf("user add (wiped) = exit %d:\n%s%s", code, out, errs)
		}
		code, out, errs = xz(t, "audit", "key-switch", "--db", dsn)
		if code == exitOK || !strings.Contains(errs, "审计记录被删除") {
			t.Errorf("audit key-switch (wiped) = exit %d:\n%s%s", code, out, errs)
		}
		if code, out, _ := xz(t, "audit", "head", "--db", dsn); !strings.HasPrefix(out, "0:") {
			t.Errorf("audit head = exit %d: %s, want nothing appended", code, out)
		}
	})
}
