package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/evidence"
	"xiezuo/sqldb"
	"xiezuo/sqldb/sqldbtest"
	"xiezuo/vault"
)

// xzKeyed runs the command line with the tests' key file named, whatever the database: a
// backup and its restores must share one key file.
func xzKeyed(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		if k == vault.KeyFileEnv {
			return testKeyFile
		}
		return ""
	}
	code = run(t.Context(), args, getenv, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// buildDemo stores what serve --demo stores in the database at dsn, and puts two files in its
// evidence store.
func buildDemo(t *testing.T, dsn string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{getenv: func(k string) string {
		if k == vault.KeyFileEnv {
			return testKeyFile
		}
		return ""
	}, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	ctx := t.Context()
	db, code := openDB(ctx, e, dsn)
	if db == nil {
		t.Fatalf("openDB(%s) = exit %d: %s", dsn, code, errb.String())
	}
	defer db.Close()
	day, _ := xiezuo.ParseDate(demoToday)
	db.SetClock(xiezuo.ClockOn(day, time.Now))
	ctx = sqldb.WithActor(ctx, cliActor(e))
	if _, err := loadSample(ctx, db); err != nil {
		t.Fatalf("loadSample = %v", err)
	}
	steps := []struct {
		name string
		f    func() error
	}{
		{"demoAccounts", func() error { return demoAccounts(ctx, e, db) }},
		{"demoLife", func() error { return demoLife(ctx, e, db) }},
		{"demoHalfYear", func() error { return demoHalfYear(ctx, e, db) }},
		{"demoLabour", func() error { return demoLabour(ctx, e, db) }},
	}
	for _, s := range steps {
		if err := s.f(); err != nil {
			t.Fatalf("%s = %v", s.name, err)
		}
	}
	store, err := evidence.NewStore(evidenceDirOf("", dsn))
	if err != nil {
		t.Fatal(err)
	}
	var files []xiezuo.Evidence
	for i, b := range [][]byte{[]byte("%PDF-1.4 佐证材料一"), bytes.Repeat([]byte{0xff, 0xd8, 0x00, 0x7f}, 5000)} {
		sum, size, err := store.Put(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, xiezuo.Evidence{SHA256: sum, Size: size, Name: []string{"佐证材料一.pdf", "现场照片.jpg"}[i], MIME: []string{"application/pdf", "image/jpeg"}[i]})
	}
	// Both files go with a report waiting for review: the first whose state takes them.
	ro, err := sql.Open("sqlite", "file:"+dsn+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	rows, err := ro.QueryContext(ctx, `SELECT id FROM reports ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if _, err := db.AttachEvidence(ctx, id, files, xiezuo.DefaultEvidenceLimits); err == nil {
			return
		}
	}
	t.Fatalf("no report of the demo's %d took the evidence", len(ids))
}

// evidenceFiles reads every file under dir, by its path under dir.
func evidenceFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatalf("read evidence %s: %v", dir, err)
	}
	return files
}

// backupRows reads the rows of some tables from a backup, each value written as its kind
// and text whatever the database: a boolean as an integer, a date as text, so that
// SQLite's rows and PostgreSQL's compare.
func backupRows(t *testing.T, file string, tables ...string) map[string][]string {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]string{}
	for _, f := range zr.File {
		name, ok := strings.CutPrefix(f.Name, "tables/")
		name = strings.TrimSuffix(name, ".jsonl")
		if !ok || !containsString(tables, name) {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(b)) {
			var vals []map[string]any
			if err := json.Unmarshal([]byte(line), &vals); err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			var row []string
			for _, v := range vals {
				s := "null"
				for k, x := range v {
					switch k {
					case "bool":
						s = "i:0"
						if x == true {
							s = "i:1"
						}
					case "d":
						s = "s:" + string(must(json.Marshal(x)))
					default:
						s = k + ":" + strings.TrimSpace(string(must(json.Marshal(x))))
					}
				}
				row = append(row, s)
			}
			out[name] = append(out[name], strings.Join(row, "|"))
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestBackupRestoreDemo backs up the 2021 demo on SQLite and restores it into a new
// PostgreSQL database and a new SQLite file: the same summary, rows, evidence and a verified
// audit log.
func TestBackupRestoreDemo(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src", "data", "xiezuo.db")
	buildDemo(t, src)
	summaryArgs := []string{"summary", "--json", "--year", "2021", "--district", "门头沟区", "--db"}
	if code, out, errs := xzKeyed(t, "audit", "verify", "--db", src); code != exitOK || !strings.Contains(out, "哈希链完整") {
		t.Fatalf("audit verify (source) = exit %d: %s%s", code, out, errs)
	}
	code, wantSummary, errs := xzKeyed(t, append(summaryArgs, src)...)
	if code != exitOK {
		t.Fatalf("summary (source) = exit %d: %s", code, errs)
	}
	backup := filepath.Join(dir, "backup.zip")
	code, out, errs := xzKeyed(t, "backup", "--db", src, "-o", backup)
	if code != exitOK || !strings.Contains(out, "已备份到") {
		t.Fatalf("backup = exit %d: %s%s", code, out, errs)
	}
	tables := []string{"reports", "report_versions", "report_evidence", "fund_transactions", "audit_log", "users"}
	wantRows := backupRows(t, backup, tables...)
	if len(wantRows["reports"]) == 0 || len(wantRows["fund_transactions"]) == 0 || len(wantRows["report_evidence"]) != 2 {
		t.Fatalf("the demo's backup holds %d reports, %d transactions and %d files with reports: want some of each, and the 2 files",
			len(wantRows["reports"]), len(wantRows["fund_transactions"]), len(wantRows["report_evidence"]))
	}
	wantEvidence := evidenceFiles(t, evidenceDirOf("", src))
	if len(wantEvidence) != 2 {
		t.Fatalf("source evidence = %d files, want 2", len(wantEvidence))
	}
	m, err := sqldb.ReadBackupManifest(backup)
	if err != nil {
		t.Fatal(err)
	}
	var people int64
	for _, tb := range m.Tables {
		if tb.Name == "labour_people" {
			people = tb.Rows
		}
	}
	if people == 0 {
		t.Fatalf("the demo's backup holds no labour_people")
	}

	// An evidence folder that cannot be made (its parent is a file) refuses the restore before
	// the database is written: the same database then takes the restore without --force.
	blocker := filepath.Join(dir, "a-file")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(dir, "first", "data", "xiezuo.db")
	code, out, errs = xzKeyed(t, "restore", "--db", first, "--evidence-dir", filepath.Join(blocker, "evidence"), backup)
	if code == exitOK || !strings.Contains(errs, "不能写入") || !strings.Contains(errs, "未写入任何数据") {
		t.Errorf("restore with an evidence folder that cannot be made = exit %d: %s%s, want refused before writing", code, out, errs)
	}
	// The same where one of the folders the files go to is taken by a file.
	shardDir := filepath.Join(dir, "first-evidence")
	m0, err := sqldb.ReadBackupManifest(backup)
	if err != nil || len(m0.Evidence) == 0 {
		t.Fatalf("manifest = %v, %v; want evidence", m0, err)
	}
	shard := filepath.Join(shardDir, strings.Split(strings.TrimPrefix(m0.Evidence[0].File, "evidence/"), "/")[0])
	if err := os.MkdirAll(shardDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shard, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = xzKeyed(t, "restore", "--db", first, "--evidence-dir", shardDir, backup)
	if code == exitOK || !strings.Contains(errs, "不能写入") || !strings.Contains(errs, "未写入任何数据") {
		t.Errorf("restore with a shard folder taken by a file = exit %d: %s%s, want refused before writing", code, out, errs)
	}
	os.Remove(shard)
	if code, out, errs := xzKeyed(t, "restore", "--db", first, "--evidence-dir", shardDir, backup); code != exitOK {
		t.Errorf("restore again with a good evidence folder = exit %d: %s%s, want it restored (nothing written before)", code, out, errs)
	}

	targets := map[string]string{
		"postgres": sqldbtest.PostgresURL(t),
		"sqlite":   filepath.Join(dir, "dst", "data", "xiezuo.db"),
	}
	for name, dsn := range targets {
		t.Run(name, func(t *testing.T) {
			evDir := filepath.Join(dir, name+"-evidence")
			code, out, errs := xzKeyed(t, "restore", "--db", dsn, "--evidence-dir", evDir, backup)
			if code != exitOK || !strings.Contains(out, "已恢复到") {
				t.Fatalf("restore = exit %d: %s%s", code, out, errs)
			}
			code, got, errs := xzKeyed(t, append(summaryArgs, dsn)...)
			if code != exitOK {
				t.Fatalf("summary (restored) = exit %d: %s", code, errs)
			}
			if diff := cmp.Diff(wantSummary, got); diff != "" {
				t.Errorf("summary after restore (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(wantEvidence, evidenceFiles(t, evDir)); diff != "" {
				t.Errorf("evidence after restore (-before +after):\n%s", diff)
			}
			again := filepath.Join(t.TempDir(), "again.zip")
			if code, out, errs := xzKeyed(t, "backup", "--db", dsn, "--evidence-dir", evDir, "-o", again); code != exitOK {
				t.Fatalf("backup of the restored database = exit %d: %s%s", code, out, errs)
			}
			gotRows := backupRows(t, again, tables...)
			// The restore's own entry follows the restored log: one, not forced.
			var restores []string
			gotRows["audit_log"] = slices.DeleteFunc(gotRows["audit_log"], func(row string) bool {
				if strings.Contains(row, sqldb.AuditRestore) {
					restores = append(restores, row)
					return true
				}
				return false
			})
			if len(restores) != 1 || !strings.Contains(restores[0], `\"forced\":false`) || !strings.Contains(restores[0], "backup.zip") {
				t.Errorf("restore entries after restore = %q, want one naming backup.zip, not forced", restores)
			}
			if diff := cmp.Diff(wantRows, gotRows); diff != "" {
				t.Errorf("rows after restore (-before +after):\n%s", diff)
			}
			m2, err := sqldb.ReadBackupManifest(again)
			if err != nil {
				t.Fatal(err)
			}
			for _, tb := range m2.Tables {
				if tb.Name == "labour_people" && tb.Rows != people {
					t.Errorf("labour_people after restore = %d rows, want %d", tb.Rows, people)
				}
			}
			if name == "postgres" {
				// And back: PostgreSQL's backup restores into SQLite the same.
				back := filepath.Join(t.TempDir(), "data", "xiezuo.db")
				if code, out, errs := xzKeyed(t, "restore", "--db", back, again); code != exitOK {
					t.Fatalf("restore of PostgreSQL's backup into SQLite = exit %d: %s%s", code, out, errs)
				}
				if code, got, errs := xzKeyed(t, append(summaryArgs, back)...); code != exitOK || got != wantSummary {
					t.Errorf("summary after PostgreSQL → SQLite = exit %d: %s%s, want the source's", code, got, errs)
				}
				if diff := cmp.Diff(wantEvidence, evidenceFiles(t, evidenceDirOf("", back))); diff != "" {
					t.Errorf("evidence after PostgreSQL → SQLite (-before +after):\n%s", diff)
				}
				if code, out, errs := xzKeyed(t, "audit", "verify", "--db", back); code != exitOK {
					t.Errorf("audit verify after PostgreSQL → SQLite = exit %d: %s%s", code, out, errs)
				}
			}
			code, out, errs = xzKeyed(t, "audit", "verify", "--db", dsn)
			if code != exitOK || !strings.Contains(out, "哈希链完整") {
				t.Errorf("audit verify after restore = exit %d: %s%s", code, out, errs)
			}
			// A write after the restore takes a new id: PostgreSQL's sequences were reset.
			code, out, errs = xzKeyed(t, "user", "add", "--db", dsn, "--username", "after_restore", "--name", "王五",
				"--district", "门头沟区", "--unit", "领导小组办公室", "--role", "office")
			if code != exitOK {
				t.Errorf("user add after restore = exit %d: %s%s", code, out, errs)
			}
			// The database now holds data: a second restore is refused and changes nothing.
			code, out, errs = xzKeyed(t, "restore", "--db", dsn, "--evidence-dir", evDir, backup)
			if code == exitOK || !strings.Contains(errs, "已有数据") || !strings.Contains(errs, "--force") {
				t.Errorf("restore into a database with data = exit %d: %s%s, want refused naming --force", code, out, errs)
			}
			code, got, _ = xzKeyed(t, append(summaryArgs, dsn)...)
			if code != exitOK || got != wantSummary {
				t.Errorf("summary after a refused restore changed (exit %d)", code)
			}
		})
	}
}

// rewriteZip copies the zip at src to a new file, passing each entry's bytes through change;
// an entry changed to nil is left out.
func rewriteZip(t *testing.T, src string, change func(name string, b []byte) []byte) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dst := filepath.Join(t.TempDir(), "changed.zip")
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		r, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		b = change(e.Name, b)
		if b == nil {
			continue // dropped
		}
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestRestoreRefusesDamagedBackup: a backup with a changed byte, or from a newer schema, is
// refused with what is wrong, and nothing is written.
func TestRestoreRefusesDamagedBackup(t *testing.T) {
	dir := t.TempDir()
	backup := sampleBackup(t, dir)
	// A byte of the zip itself changed inside a table's data: the zip's own check fails.
	raw, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(raw)
	i := bytes.Index(flipped, []byte("tables/projects.jsonl"))
	if i < 0 {
		t.Fatal("no tables/projects.jsonl in the backup")
	}
	flipped[i+len("tables/projects.jsonl")+40] ^= 0x55
	flippedFile := writeFile(t, "flipped.zip", flipped)

	tests := []struct {
		name string
		file string
		has  string
	}{
		{"table file changed", rewriteZip(t, backup, func(name string, b []byte) []byte {
			if name == "tables/projects.jsonl" {
				b = bytes.Replace(b, []byte("武川县"), []byte("武川乡"), 1)
			}
			return b
		}), "表 projects 的数据文件 tables/projects.jsonl 的 SHA-256 与清单不符"},
		{"row removed", rewriteZip(t, backup, func(name string, b []byte) []byte {
			if name == "tables/projects.jsonl" {
				_, b, _ = bytes.Cut(b, []byte("\n"))
			}
			return b
		}), "tables/projects.jsonl"},
		{"byte flipped", flippedFile, "tables/projects.jsonl 无法读取"},
		{"newer schema", rewriteZip(t, backup, func(name string, b []byte) []byte {
			if name == "manifest.json" {
				var m sqldb.BackupManifest
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatal(err)
				}
				m.Migrations = append(m.Migrations, "9999_future.sql")
				m.Schema = "9999_future.sql"
				b = must(json.Marshal(m))
			}
			return b
		}), "来自更新的 xiezuo 版本（数据库结构 9999_future.sql）"},
		{"not a backup", writeFile(t, "plan.zip", []byte("PK not really")), "不是 xiezuo 备份"},
		{"evidence not its name", plantEvidence(t, backup), "的内容与文件名（其 SHA-256）不符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "data", "xiezuo.db")
			code, out, errs := xzKeyed(t, "restore", "--db", dst, tt.file)
			t.Logf("restore %s: %s", tt.name, errs)
			if code == exitOK || !strings.Contains(errs, tt.has) || !strings.Contains(errs, "未写入任何数据") {
				t.Errorf("restore %s = exit %d: %s%s, want refused with %q and 未写入任何数据", tt.name, code, out, errs, tt.has)
			}
			if _, err := os.Stat(filepath.Dir(dst)); !os.IsNotExist(err) {
				t.Errorf("restore %s left %s behind (stat: %v): want nothing written", tt.name, filepath.Dir(dst), err)
			}
		})
	}
}

// sampleBackup loads the sample plan into a new SQLite database under dir and backs it up to
// dir/backup.zip, with the test key file.
func sampleBackup(t *testing.T, dir string) string {
	t.Helper()
	src := filepath.Join(dir, "src", "data", "xiezuo.db")
	if code, out, errs := xzKeyed(t, "sample", "--db", src); code != exitOK {
		t.Fatalf("sample = exit %d: %s%s", code, out, errs)
	}
	backup := filepath.Join(dir, "backup.zip")
	if code, out, errs := xzKeyed(t, "backup", "--db", src, "-o", backup); code != exitOK {
		t.Fatalf("backup = exit %d: %s%s", code, out, errs)
	}
	return backup
}

// TestRestoreWithoutKeyFile: a restore into a new SQLite path without XIEZUO_KEY_FILE and
// without a key file beside it is refused before anything is written: no new key file (a key
// the backup was not made with), no folder, no database.
func TestRestoreWithoutKeyFile(t *testing.T) {
	dir := t.TempDir()
	backup := sampleBackup(t, dir)
	dst := filepath.Join(dir, "new", "data", "xiezuo.db")
	code, out, errs := xzEnv(t, nil, "", "restore", "--db", dst, backup)
	if code == exitOK || !strings.Contains(errs, "XIEZUO_KEY_FILE") || !strings.Contains(errs, "未写入任何数据") {
		t.Errorf("restore without a key file = exit %d: %s%s; want refused naming XIEZUO_KEY_FILE", code, out, errs)
	}
	if _, err := os.Stat(filepath.Dir(dst)); !os.IsNotExist(err) {
		t.Errorf("restore without a key file left %s behind (stat: %v): want nothing written", filepath.Dir(dst), err)
	}
	// With the key file named, the same restore goes through.
	if code, out, errs := xzKeyed(t, "restore", "--db", dst, backup); code != exitOK {
		t.Errorf("restore with the key file = exit %d: %s%s", code, out, errs)
	}
}

// TestRestoreOlderBackup: a backup from an older schema (made here by leaving out the last
// migration and its tables) restores into a new database brought to that schema, which is
// then migrated to this binary's.
func TestRestoreOlderBackup(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src", "data", "xiezuo.db")
	if code, out, errs := xzKeyed(t, "sample", "--db", src); code != exitOK {
		t.Fatalf("sample = exit %d: %s%s", code, out, errs)
	}
	summaryArgs := []string{"summary", "--json", "--year", "2021", "--district", "门头沟区", "--db"}
	_, want, _ := xzKeyed(t, append(summaryArgs, src)...)
	backup := filepath.Join(dir, "backup.zip")
	if code, out, errs := xzKeyed(t, "backup", "--db", src, "-o", backup); code != exitOK {
		t.Fatalf("backup = exit %d: %s%s", code, out, errs)
	}
	const last = "0022_audit_ship.sql"
	older := rewriteZip(t, backup, func(name string, b []byte) []byte {
		if name == "tables/audit_ship.jsonl" || name == "manifest.mac" {
			return nil // an older backup: without the shipping cursor's table, and unsigned
		}
		if name == "manifest.json" {
			var m sqldb.BackupManifest
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if m.Schema != last {
				t.Fatalf("backup schema = %s, want %s (update this test with the migrations)", m.Schema, last)
			}
			m.Migrations = m.Migrations[:len(m.Migrations)-1]
			m.Schema = m.Migrations[len(m.Migrations)-1]
			var kept []sqldb.BackupTable
			for _, tb := range m.Tables {
				if tb.Name != "audit_ship" {
					kept = append(kept, tb)
				}
			}
			m.Tables = kept
			b = must(json.Marshal(m))
		}
		return b
	})
	dst := filepath.Join(t.TempDir(), "data", "xiezuo.db")
	code, out, errs := xzKeyed(t, "restore", "--db", dst, older)
	if code != exitError || !strings.Contains(errs, "--unsigned-ok") || !strings.Contains(errs, "未写入任何数据") {
		t.Fatalf("restore of an unsigned backup = exit %d: %s%s, want refused naming --unsigned-ok", code, out, errs)
	}
	code, out, errs = xzKeyed(t, "restore", "--db", dst, "--unsigned-ok", older)
	if code != exitOK || !strings.Contains(out, "0021_") || !strings.Contains(errs, "警告") || !strings.Contains(errs, "没有签名") {
		t.Fatalf("restore of a 0020 backup = exit %d: %s%s", code, out, errs)
	}
	if code, got, errs := xzKeyed(t, append(summaryArgs, dst)...); code != exitOK || got != want {
		t.Errorf("summary after restoring an older backup = exit %d: %s%s, want the source's", code, got, errs)
	}
	again := filepath.Join(t.TempDir(), "again.zip")
	if code, out, errs := xzKeyed(t, "backup", "--db", dst, "-o", again); code != exitOK {
		t.Fatalf("backup = exit %d: %s%s", code, out, errs)
	}
	m, err := sqldb.ReadBackupManifest(again)
	if err != nil || m.Schema != last {
		t.Errorf("schema after restoring an older backup = %q, %v; want %s (migrated up)", m.Schema, err, last)
	}
	// A database already at a newer schema than the backup is refused.
	code, _, errs = xzKeyed(t, "restore", "--db", src, "--unsigned-ok", older)
	if code == exitOK || !strings.Contains(errs, "结构") {
		t.Errorf("restore of a 0020 backup into a 0021 database = exit %d: %s, want refused naming the schema", code, errs)
	}
}

// plantEvidence is the backup with an evidence file whose content is not its name (the
// store's address), listed in the manifest with the content's true checksum and size: a
// self-consistent backup that would serve other bytes for a real file.
func plantEvidence(t *testing.T, src string) string {
	t.Helper()
	content := []byte("planted")
	sum := sha256.Sum256(content)
	name := strings.Repeat("ab", 32)
	file := "evidence/" + name[:2] + "/" + name[2:4] + "/" + name
	changed := rewriteZip(t, src, func(entry string, b []byte) []byte {
		if entry != "manifest.json" {
			return b
		}
		var m sqldb.BackupManifest
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		m.Evidence = append(m.Evidence, sqldb.BackupEvidence{File: file, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content))})
		return must(json.Marshal(m))
	})
	out := filepath.Join(t.TempDir(), "planted.zip")
	zr, err := zip.OpenReader(changed)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		if err := zw.Copy(e); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create(file)
	if err == nil {
		_, err = w.Write(content)
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBackupAsIs checks that backup reads a database as it is: it applies no migration to the
// database it copies (its manifest records the schema found), and it creates no database where
// none is.
func TestBackupAsIs(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src", "xiezuo.db")
	if code, out, errs := xzKeyed(t, "sample", "--db", src); code != exitOK {
		t.Fatalf("sample = exit %d: %s%s", code, out, errs)
	}
	raw, err := sql.Open("sqlite", src)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var last string
	if err := raw.QueryRow(`SELECT MAX(name) FROM schema_migrations`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE name = $1`, last); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.zip")
	if code, out, errs := xzKeyed(t, "backup", "--db", src, "-o", backup); code != exitOK {
		t.Fatalf("backup = exit %d: %s%s", code, out, errs)
	}
	m, err := sqldb.ReadBackupManifest(backup)
	if err != nil || m.Schema == last || len(m.Migrations) == 0 {
		t.Errorf("backup's schema = %q, %v; want the one before %s, as the database holds", m.Schema, err, last)
	}
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM schema_migrations WHERE name = $1`, last).Scan(&n); err != nil || n != 0 {
		t.Errorf("after backup, %s is recorded %d times (%v): backup migrated its source", last, n, err)
	}

	missing := filepath.Join(dir, "none", "xiezuo.db")
	if code, _, errs := xzKeyed(t, "backup", "--db", missing, "-o", filepath.Join(dir, "b2.zip")); code == exitOK || !strings.Contains(errs, "不存在") {
		t.Errorf("backup of a missing database = exit %d, %q; want an error that it does not exist", code, errs)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("backup of a missing database created it (%v)", err)
	}
}
