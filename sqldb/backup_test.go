package sqldb

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"xiezuo"
)

// tableRows counts the rows of every table (but the migrations' bookkeeping).
func tableRows(t *testing.T, db *DB) map[string]int64 {
	t.Helper()
	tables, err := db.tablesInOrder(t.Context(), db.db)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, tb := range tables {
		var n int64
		if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM `+quoteIdent(tb)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[tb] = n
	}
	return counts
}

// TestSeededTables: a new database holds rows only in the tables restore knows the
// migrations fill (seededTables), which it replaces rather than counting as data.
func TestSeededTables(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		var filled []string
		for tb, n := range tableRows(t, db) {
			if n > 0 {
				filled = append(filled, tb)
			}
		}
		slices.Sort(filled)
		var want []string
		for tb := range seededTables {
			want = append(want, tb)
		}
		slices.Sort(want)
		if !slices.Equal(filled, want) {
			t.Errorf("tables with rows in a new database = %v, want seededTables %v", filled, want)
		}
	})
}

// TestTablesInOrder: every table comes after the tables its foreign keys refer to.
func TestTablesInOrder(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		order, err := db.tablesInOrder(t.Context(), db.db)
		if err != nil {
			t.Fatal(err)
		}
		pos := map[string]int{}
		for i, tb := range order {
			pos[tb] = i
		}
		for _, want := range [][2]string{{"plans", "documents"}, {"reports", "users"}, {"report_versions", "reports"}, {"labour_entries", "labour_people"}} {
			if pos[want[0]] <= pos[want[1]] {
				t.Errorf("tablesInOrder: %s at %d, before %s at %d", want[0], pos[want[0]], want[1], pos[want[1]])
			}
		}
		if slices.Contains(order, migrationsTable) {
			t.Errorf("tablesInOrder lists %s", migrationsTable)
		}
	})
}

// backupCounts reads from a backup the rows of job_runs whose job is "pair" and the rows of
// labour_skill_bits below zero.
func backupCounts(t *testing.T, b []byte) (runs, bits int) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != "tables/job_runs.jsonl" && f.Name != "tables/labour_skill_bits.jsonl" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			var vals []*value
			if err := json.Unmarshal([]byte(line), &vals); err != nil {
				t.Fatal(err)
			}
			switch {
			case f.Name == "tables/job_runs.jsonl" && vals[0].S != nil && *vals[0].S == "pair":
				runs++
			case f.Name == "tables/labour_skill_bits.jsonl" && *vals[0].I < 0:
				bits++
			}
		}
	}
	return runs, bits
}

// TestBackupUnderWrites: a backup taken while a writer adds pairs of rows to two tables (one
// read early, one read late, each pair in one transaction) holds whole pairs only: every
// table is read in one snapshot.
func TestBackupUnderWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		store2021(t, db)
		ctx, cancel := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		var werr error
		pairs := make(chan int, 1000)
		wg.Add(1)
		go func() {
			defer wg.Done()
			day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
			for k := 1; ctx.Err() == nil; k++ {
				tx, err := db.writer.BeginTx(ctx, nil)
				if err != nil {
					if ctx.Err() == nil { // not the end the test asked for
						werr = err
					}
					return
				}
				_, err = tx.ExecContext(ctx, `INSERT INTO job_runs (job, day, instance, started_at) VALUES ('pair', $1, 'test', $2)`,
					day.AddDate(0, 0, k).Format("2006-01-02"), time.Now().UTC())
				if err == nil {
					_, err = tx.ExecContext(ctx, `INSERT INTO labour_skill_bits (mask) VALUES ($1)`, -k)
				}
				if err == nil {
					err = tx.Commit()
				} else {
					tx.Rollback()
				}
				if err != nil {
					if ctx.Err() == nil {
						werr = err
					}
					return
				}
				select {
				case pairs <- k:
				default:
				}
			}
		}()
		<-pairs // the writer is running
		var last int
		for i := range 3 {
			var buf bytes.Buffer
			if _, err := db.Backup(t.Context(), &buf, ""); err != nil {
				cancel()
				wg.Wait()
				t.Fatalf("Backup #%d = %v", i, err)
			}
			runs, bits := backupCounts(t, buf.Bytes())
			if runs != bits {
				t.Errorf("Backup #%d under writes: %d job_runs and %d labour_skill_bits of the pairs, want equal", i, runs, bits)
			}
			last = runs
		}
		cancel()
		wg.Wait()
		if werr != nil {
			t.Fatalf("writer: %v", werr)
		}
		if last == 0 {
			t.Errorf("the last backup holds no pair: the writer did not run alongside")
		}
	})
}

// TestRestoreForce: a restore into a database holding data is refused (ECONFLICT) and changes
// nothing; with Force the database becomes the backup again, audit log included.
func TestRestoreForce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		store2021(t, db)
		mustSeal(t, db) // the rows compared below are those of the chain, not of entries waiting
		file := filepath.Join(t.TempDir(), "backup.zip")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Backup(t.Context(), f, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		want := tableRows(t, db)
		other := []byte("另一份计划")
		mustImport(t, db, testPlan("延庆区", 2021, other), other)
		changed := tableRows(t, db)
		if changed["plans"] != want["plans"]+1 {
			t.Fatalf("plans after a second import = %d, want %d", changed["plans"], want["plans"]+1)
		}
		_, err = Restore(t.Context(), db.dsn, file, RestoreOptions{AuditKey: testAuditKey})
		if xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || !strings.Contains(xiezuo.ErrorMessage(err), "--force") {
			t.Fatalf("Restore into a database with data = %v, want ECONFLICT naming --force", err)
		}
		if got := tableRows(t, db); fmt.Sprint(got) != fmt.Sprint(changed) {
			t.Errorf("a refused restore changed the rows: %v, want %v", got, changed)
		}
		st, err := Restore(t.Context(), db.dsn, file, RestoreOptions{Force: true, AuditKey: testAuditKey})
		if err != nil {
			t.Fatalf("Restore(Force) = %v", err)
		}
		mustSeal(t, db)
		want["audit_log"]++ // the restore's own entry
		if got := tableRows(t, db); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("rows after Restore(Force) = %v, want %v", got, want)
		}
		// The forced restore left its entry, after the restored log: who, which file, its
		// SHA-256, forced.
		sum, err := fileSHA256(file)
		if err != nil {
			t.Fatal(err)
		}
		entries, _, err := db.SearchAudit(t.Context(), AuditFilter{Action: AuditRestore})
		if err != nil || len(entries) != 1 {
			t.Fatalf("restore entries = %d, %v; want 1", len(entries), err)
		}
		if e := entries[0]; !strings.Contains(e.After, `"forced":true`) || !strings.Contains(e.After, sum) ||
			!strings.Contains(e.After, "backup.zip") || !strings.Contains(e.Detail, "--force") {
			t.Errorf("restore entry = %+v, want the file, its SHA-256 %s and forced", e, sum)
		}
		if st.Rows == 0 || st.Tables != len(want) {
			t.Errorf("Restore(Force) = %+v, want %d tables and some rows", st, len(want))
		}
		v, err := db.VerifyAudit(t.Context(), AuditMark{})
		if err != nil || !v.OK() {
			t.Errorf("VerifyAudit after Restore(Force) = %+v, %v", v, err)
		}
		// The refusals of the audit log are back after the restore.
		if _, err := db.db.ExecContext(t.Context(), `UPDATE audit_log SET action = 'x'`); err == nil {
			t.Errorf("UPDATE audit_log after Restore(Force) succeeded: its trigger is gone")
		}
	})
}

// TestBackupValues: every kind of value a row holds comes back from the backup's encoding
// as the argument the restore binds, into either database.
func TestBackupValues(t *testing.T) {
	at := time.Date(2021, 9, 15, 2, 3, 4, 123456789, time.UTC)
	tests := []struct {
		in     any
		date   bool
		kind   int
		sqlite bool
		want   any
	}{
		{nil, false, kindInt, true, nil},
		{int64(-9007199254740993), false, kindInt, false, int64(-9007199254740993)},
		{1.25, false, kindOther, false, 1.25},
		{"门头沟区", false, kindOther, false, "门头沟区"},
		{"bad \xff byte", false, kindOther, true, []byte("bad \xff byte")},
		{[]byte{0, 1, 254, 255}, false, kindBytes, false, []byte{0, 1, 254, 255}},
		{at, false, kindTime, false, at},
		{at, true, kindOther, true, "2021-09-15"},            // a PostgreSQL DATE into SQLite's TEXT
		{"2021-09-15", false, kindDate, false, "2021-09-15"}, // SQLite's text into a DATE
		{true, false, kindInt, true, int64(1)},               // a PostgreSQL boolean into SQLite
		{int64(0), false, kindBool, false, false},            // SQLite's 0 into a BOOLEAN
		{false, false, kindBool, false, false},
	}
	for _, tt := range tests {
		raw, err := encodeValue(tt.in, tt.date)
		if err != nil {
			t.Fatalf("encodeValue(%#v) = %v", tt.in, err)
		}
		var v *value
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("encodeValue(%#v) = %s, not JSON: %v", tt.in, raw, err)
		}
		got, err := convert(v, tt.kind, tt.sqlite)
		if err != nil || fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", tt.want) {
			t.Errorf("convert(encodeValue(%#v)) = %#v, %v; want %#v (encoded %s)", tt.in, got, err, tt.want, raw)
		}
	}
}

// TestRestoreForgedBackup: a backup rewritten consistently by somebody without the audit key
// (an administrator added to users, its SHA-256 and row count put in the manifest) is refused
// and writes nothing; so is one whose signature was removed, unless UnsignedOK; and one
// restored under another key names both keys.
func TestRestoreForgedBackup(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		store2021(t, db)
		mustCreateUser(t, db, testUser("office1", "office"))
		mustSeal(t, db)
		dir := t.TempDir()
		file := filepath.Join(dir, "backup.zip")
		var buf bytes.Buffer
		st, err := db.Backup(t.Context(), &buf, "")
		if err != nil || !st.Signed {
			t.Fatalf("Backup = %+v, %v; want signed", st, err)
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		// The forger's zip: one more users row, the manifest made consistent with it.
		forged := forgeBackup(t, buf.Bytes(), func(m *BackupManifest, files map[string][]byte) {
			for i, tb := range m.Tables {
				if tb.Name != "users" {
					continue
				}
				lines := bytes.SplitAfter(files[tb.File], []byte("\n"))
				row := bytes.Replace(lines[0], []byte("office1"), []byte("forged1"), 1)
				row = bytes.Replace(row, []byte(`[{"i":`), []byte(`[{"i":99`), 1)
				files[tb.File] = append(files[tb.File], row...)
				sum := sha256.Sum256(files[tb.File])
				m.Tables[i].SHA256, m.Tables[i].Rows = hex.EncodeToString(sum[:]), tb.Rows+1
			}
		}, false)
		unsigned := forgeBackup(t, buf.Bytes(), func(*BackupManifest, map[string][]byte) {}, true)
		target := filepath.Join(dir, "new", "xiezuo.db")
		for _, tc := range []struct {
			name, file string
			opt        RestoreOptions
			want       string
		}{
			{"forged", forged, RestoreOptions{AuditKey: testAuditKey}, "签名"},
			{"unsigned", unsigned, RestoreOptions{AuditKey: testAuditKey}, "--unsigned-ok"},
			{"another key", file, RestoreOptions{AuditKey: bytes.Repeat([]byte{7}, 32)}, auditKeyID(testAuditKey)},
			{"no key", file, RestoreOptions{}, "审计密钥"},
		} {
			_, err := Restore(t.Context(), target, tc.file, tc.opt)
			if msg := xiezuo.ErrorMessage(err); err == nil || !strings.Contains(msg, "未写入任何数据") || !strings.Contains(msg, tc.want) {
				t.Errorf("Restore(%s) = %v, want refused naming %s and 未写入任何数据", tc.name, err, tc.want)
			}
		}
		if _, err := os.Stat(target); err == nil {
			if n := rowsIn(t, target, "users"); n != 0 {
				t.Errorf("refused restores wrote %d users", n)
			}
		}
		st, err = Restore(t.Context(), target, unsigned, RestoreOptions{AuditKey: testAuditKey, UnsignedOK: true})
		if err != nil || st.Signed {
			t.Fatalf("Restore(unsigned, UnsignedOK) = %+v, %v; want restored, unsigned", st, err)
		}
	})
}

// forgeBackup rewrites the backup zip b as somebody without the key would: change edits the
// manifest and the files; the manifest is written again, and its signature kept (or dropped).
func forgeBackup(t *testing.T, b []byte, change func(*BackupManifest, map[string][]byte), dropMAC bool) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
	}
	var m BackupManifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	change(&m, files)
	if files["manifest.json"], err = json.MarshalIndent(m, "", "  "); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "forged.zip")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for _, n := range names {
		if dropMAC && n == manifestMACFile {
			continue
		}
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, zb.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// rowsIn counts the rows of table in the SQLite file at path.
func rowsIn(t *testing.T, path, table string) int {
	t.Helper()
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return countWhere(t, db, `SELECT COUNT(*) FROM `+table)
}
