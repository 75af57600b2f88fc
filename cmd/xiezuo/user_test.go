package main

import (
	"bytes"
	"crypto/sha256"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/password"
	"xiezuo/sqldb"
)

// xzEnv runs the command line in-process with the environment env and standard input stdin.
func xzEnv(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	base := testGetenv(args)
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return base(k)
	}
	code = run(t.Context(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func openStore(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := useKeys(t.Context(), &env{getenv: testGetenv([]string{dsn}), stderr: io.Discard}, db, dsn); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestUserAdd(t *testing.T) {
	forEachDB(t, func(t *testing.T, dsn string) {
		env := map[string]string{"USER": "alice"}
		add := []string{"user", "add", "--db", dsn, "--username", "Office1", "--name", "王五", "--district", "门头沟区",
			"--unit", "领导小组办公室", "--role", "office,unit"}
		code, out, errs := xzEnv(t, env, "", add...)
		if code != exitOK {
			t.Fatalf("user add = exit %d: %s%s", code, out, errs)
		}
		m := regexp.MustCompile(`初始密码：(\S+)`).FindStringSubmatch(out)
		if m == nil || !strings.Contains(out, "已创建账号 office1（王五，门头沟区领导小组办公室，角色：办公室、成员单位）") {
			t.Fatalf("user add printed:\n%s", out)
		}
		db := openStore(t, dsn)
		a, err := db.AccountByUsername(t.Context(), "office1")
		if err != nil {
			t.Fatal(err)
		}
		hash, err := db.PasswordHash(t.Context(), a.ID)
		if err != nil || !password.Verify(hash, m[1]) {
			t.Errorf("the printed password does not verify against the stored hash (%v)", err)
		}
		if !a.MustChange {
			t.Errorf("MustChange = false for a generated password")
		}
		// The operator's grant is recorded as approved by the system.
		reqs, err := db.AccountRequests(t.Context(), sqldb.RequestFilter{UserID: a.ID})
		if err != nil || len(reqs) != 1 || reqs[0].Decision != sqldb.DecisionApprove || reqs[0].DecidedByName != "系统" {
			t.Errorf("account requests of office1 = %+v, %v; want one approved by the system", reqs, err)
		}

		// A given password: checked by the policy, taken from standard input with -.
		cadre := []string{"user", "add", "--db", dsn, "--username", "cadre1", "--name", "赵六", "--district", "门头沟区",
			"--unit", "前方工作组", "--role", "cadre", "--region", "内蒙古武川县", "--region", "神农架林区"}
		code, _, errs = xzEnv(t, env, "", append(cadre, "--password", "short")...)
		if code != exitUsage || !strings.Contains(errs, "密码至少 10 位") {
			t.Errorf("user add --password short = exit %d: %s", code, errs)
		}
		code, _, errs = xzEnv(t, env, "", append(cadre, "--password", "cadre1-Secret9")...)
		if code != exitUsage || !strings.Contains(errs, "密码不能包含登录名") {
			t.Errorf("user add --password with the name = exit %d: %s", code, errs)
		}
		code, out, errs = xzEnv(t, env, "Wuchuan#2021x\n", append(cadre, "--password", "-")...)
		if code != exitOK || strings.Contains(out, "初始密码") {
			t.Fatalf("user add --password - = exit %d: %s%s", code, out, errs)
		}
		u, err := db.UserByUsername(t.Context(), "cadre1")
		if err != nil {
			t.Fatal(err)
		}
		if u.MustChange || strings.Join(u.Regions, ",") != "内蒙古武川县,神农架林区" {
			t.Errorf("cadre1 = %+v, want no forced change and two regions", u)
		}
		hash, _ = db.PasswordHash(t.Context(), u.ID)
		if !password.Verify(hash, "Wuchuan#2021x") {
			t.Errorf("the password read from standard input does not verify")
		}

		code, _, errs = xzEnv(t, env, "", add...)
		if code != exitError || !strings.Contains(errs, "登录名已被其他账号使用") {
			t.Errorf("user add (taken) = exit %d: %s", code, errs)
		}
		code, _, errs = xzEnv(t, env, "", "user", "add", "--db", dsn, "--username", "x1")
		if code != exitUsage || !strings.Contains(errs, "需要 --username、--name") {
			t.Errorf("user add (missing flags) = exit %d: %s", code, errs)
		}
		code, _, errs = xzEnv(t, env, "", "user", "add", "--db", dsn, "--username", "x1", "--name", "某", "--district", "门头沟区", "--unit", "区财政局", "--role", "root")
		if code != exitUsage || !strings.Contains(errs, "未知角色「root」") {
			t.Errorf("user add --role root = exit %d: %s", code, errs)
		}

		entries, total, err := db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditUserAdd})
		if err != nil || total != 2 {
			t.Fatalf("audit of user add: %d entries, %v; want 2", total, err)
		}
		if e := entries[1]; e.Username != "system" || e.IP != "命令行（alice）" || e.ObjectLabel != "王五（office1）" {
			t.Errorf("audit of user add = %+v, want system from 命令行（alice）", e)
		}
	})
}

func TestUserListAndUnlock(t *testing.T) {
	forEachDB(t, func(t *testing.T, dsn string) {
		for _, args := range [][]string{
			{"--username", "office1", "--name", "王五", "--unit", "领导小组办公室", "--role", "office"},
			{"--username", "finance", "--name", "钱七", "--unit", "区财政局", "--role", "unit"},
		} {
			args = append([]string{"user", "add", "--db", dsn, "--district", "门头沟区", "--password", "Good#Pass2021"}, args...)
			if code, out, errs := xz(t, args...); code != exitOK {
				t.Fatalf("user add = exit %d: %s%s", code, out, errs)
			}
		}
		db := openStore(t, dsn)
		a, err := db.AccountByUsername(t.Context(), "finance")
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := db.BeginSignIn(t.Context(), a.ID, time.Now(), 3, time.Hour); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SignInFailed(t.Context(), a.ID, time.Now(), 3, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		code, out, _ := xz(t, "user", "list", "--db", dsn)
		if code != exitOK || !strings.Contains(out, "office1\t王五\t门头沟区\t领导小组办公室\t办公室\t正常\t—") ||
			!regexp.MustCompile(`finance\t钱七\t门头沟区\t区财政局\t成员单位\t锁定至 \d{4}-\d\d-\d\d \d\d:\d\d`).MatchString(out) ||
			!strings.Contains(out, "共 2 个账号。") {
			t.Errorf("user list = exit %d:\n%s", code, out)
		}
		code, out, _ = xz(t, "user", "list", "--db", dsn, "--role", xiezuo.RoleOffice)
		if code != exitOK || strings.Contains(out, "finance") || !strings.Contains(out, "共 1 个账号。") {
			t.Errorf("user list --role office = exit %d:\n%s", code, out)
		}

		code, out, errs := xz(t, "user", "unlock", "--db", dsn, "--username", "FINANCE")
		if code != exitOK || !strings.Contains(out, "已解除账号 finance 的锁定") {
			t.Errorf("user unlock = exit %d: %s%s", code, out, errs)
		}
		if a, _ := db.AccountByUsername(t.Context(), "finance"); a.Locked(time.Now()) || a.FailedCount != 0 {
			t.Errorf("after user unlock: %+v", a)
		}
		code, out, _ = xz(t, "user", "unlock", "--db", dsn, "--username", "finance")
		if code != exitOK || !strings.Contains(out, "未被锁定") {
			t.Errorf("user unlock (not locked) = exit %d: %s", code, out)
		}
		code, _, errs = xz(t, "user", "unlock", "--db", dsn, "--username", "nobody")
		if code != exitError || !strings.Contains(errs, "账号不存在") {
			t.Errorf("user unlock nobody = exit %d: %s", code, errs)
		}
		code, _, errs = xz(t, "user", "frobnicate")
		if code != exitUsage || !strings.Contains(errs, "未知的 user 子命令") {
			t.Errorf("user frobnicate = exit %d: %s", code, errs)
		}
		if _, total, _ := db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: sqldb.AuditUserUnlock, Username: "system"}); total != 2 {
			t.Errorf("audit of user unlock: %d entries, want 2", total)
		}
	})
}

// TestUserToken: user token prints a token alone on one line, stored for the user with its
// label and the days asked for; days beyond the bound are refused.
func TestUserToken(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "x.db")
	if code, out, errs := xz(t, "user", "add", "--db", dsn, "--district", "门头沟区", "--password", "Good#Pass2021",
		"--username", "finance", "--name", "钱七", "--unit", "区财政局", "--role", "unit"); code != exitOK {
		t.Fatalf("user add = exit %d: %s%s", code, out, errs)
	}
	code, out, errs := xz(t, "user", "token", "--db", dsn, "--username", "finance", "--label", "统计平台同步", "--days", "30")
	if code != exitOK || !regexp.MustCompile(`^xz_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Fatalf("user token = exit %d: %q %s", code, out, errs)
	}
	db := openStore(t, dsn)
	a, err := db.AccountByUsername(t.Context(), "finance")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := db.APITokens(t.Context(), a.ID)
	if err != nil || len(tokens) != 1 || tokens[0].Name != "统计平台同步" || tokens[0].ExpiresAt.Sub(tokens[0].CreatedAt) != 30*24*time.Hour {
		t.Errorf("tokens = %+v, %v, want one 统计平台同步 for 30 days", tokens, err)
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(out)))
	if u, err := db.UserByAPITokenHash(t.Context(), sum[:], time.Now()); err != nil || u.Username != "finance" {
		t.Errorf("the printed token finds %v, %v, want finance", u, err)
	}
	if code, _, errs := xz(t, "user", "token", "--db", dsn, "--username", "finance", "--days", "400"); code != exitUsage || !strings.Contains(errs, "365") {
		t.Errorf("user token --days 400 = exit %d: %s", code, errs)
	}
}
