package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		if code != exitOK || !strings.Contains(out, "审计日志共 3 条，哈希链完整。") || !strings.Contains(out, "最新一条为第 3 条，哈希 ") {
			t.Fatalf("audit verify = exit %d:\n%s%s", code, out, errs)
		}
		// verify is audited: the log has 4 entries now.
		code, out, _ = xz(t, "audit", "verify", "--db", dsn)
		if code != exitOK || !strings.Contains(out, "审计日志共 4 条，哈希链完整。") {
			t.Errorf("audit verify (again) = exit %d:\n%s", code, out)
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
		code, out, errs = xz(t, "audit", "verify", "--db", dsn)
		if code != exitError || !strings.Contains(out, "审计日志第 2 条被改动或删除") {
			t.Errorf("audit verify (tampered) = exit %d:\n%s%s", code, out, errs)
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
