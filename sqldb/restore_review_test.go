package sqldb

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xiezuo"
)

// backupOf writes a signed backup of db and returns its bytes.
func backupOf(t *testing.T, db *DB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if st, err := db.Backup(t.Context(), &buf, ""); err != nil || !st.Signed {
		t.Fatalf("Backup = %+v, %v; want signed", st, err)
	}
	return buf.Bytes()
}

// signZip signs the manifest of the zip at path with key, as `xiezuo backup` would, and
// returns the new zip's path.
func signZip(t *testing.T, path string, key []byte) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	var manifest []byte
	for _, f := range zr.File {
		if f.Name == manifestMACFile {
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
		if f.Name == "manifest.json" {
			manifest = b
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	mac, _ := json.Marshal(signManifest(key, manifest))
	w, _ := zw.Create(manifestMACFile)
	w.Write(mac)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "signed.zip")
	if err := os.WriteFile(out, zb.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRestoreRefusesEmptiedLog: a backup whose audit log was emptied while it holds accounts
// and plans is refused, signed (by the key's holder) or unsigned (forged, with UnsignedOK),
// and writes nothing: restored, its verify would pass on a history laundered.
func TestRestoreRefusesEmptiedLog(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		store2021(t, db)
		mustCreateUser(t, db, testUser("office1", "office"))
		mustSeal(t, db)
		emptied := forgeBackup(t, backupOf(t, db), func(m *BackupManifest, files map[string][]byte) {
			for i, tb := range m.Tables {
				if tb.Name == "audit_log" {
					files[tb.File] = nil
					m.Tables[i].Rows, m.Tables[i].SHA256 = 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
				}
			}
		}, true)
		signed := signZip(t, emptied, testAuditKey)
		dir := t.TempDir()
		for _, tc := range []struct {
			name, file string
			opt        RestoreOptions
		}{
			{"signed", signed, RestoreOptions{AuditKey: testAuditKey}},
			{"unsigned", emptied, RestoreOptions{AuditKey: testAuditKey, UnsignedOK: true}},
		} {
			target := filepath.Join(dir, tc.name, "xiezuo.db")
			_, err := Restore(t.Context(), target, tc.file, tc.opt)
			msg := xiezuo.ErrorMessage(err)
			if err == nil || !strings.Contains(msg, "审计日志为空") || !strings.HasSuffix(msg, "未写入任何数据") {
				t.Errorf("Restore(%s, emptied log) = %v, want refused, ending 未写入任何数据", tc.name, err)
			}
			if _, err := os.Stat(target); err == nil {
				if n := rowsIn(t, target, "users"); n != 0 {
					t.Errorf("Restore(%s) wrote %d users", tc.name, n)
				}
			}
		}
		// The same backup, its log whole, signed again: restores (the signing is sound).
		whole := signZip(t, forgeBackup(t, backupOf(t, db), func(*BackupManifest, map[string][]byte) {}, true), testAuditKey)
		if _, err := Restore(t.Context(), filepath.Join(dir, "whole", "xiezuo.db"), whole, RestoreOptions{AuditKey: testAuditKey}); err != nil {
			t.Errorf("Restore(whole, re-signed) = %v", err)
		}
	})
}

// TestRestoreEntryNamesBackupHead: the restore's entry records the backup's log head
// (seq:hash) and its number of entries, so that the fork of the chain after a restore, where
// seqs come again with other hashes, is named in the log itself.
func TestRestoreEntryNamesBackupHead(t *testing.T) {
	db := openTestSQLite(t)
	store2021(t, db)
	mustSeal(t, db)
	seq, hash, err := db.AuditHead(t.Context())
	if err != nil || seq == 0 {
		t.Fatalf("AuditHead = %d, %v", seq, err)
	}
	file := filepath.Join(t.TempDir(), "backup.zip")
	if err := os.WriteFile(file, backupOf(t, db), 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "xiezuo.db")
	if _, err := Restore(t.Context(), target, file, RestoreOptions{AuditKey: testAuditKey}); err != nil {
		t.Fatal(err)
	}
	rdb, err := Open(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if err := rdb.UseAuditKey(t.Context(), testAuditKey); err != nil {
		t.Fatal(err)
	}
	entries, _, err := rdb.SearchAudit(t.Context(), AuditFilter{Action: AuditRestore})
	if err != nil || len(entries) != 1 {
		t.Fatalf("restore entries = %d, %v", len(entries), err)
	}
	var after struct {
		BackupHead string `json:"backup_head"`
		AuditRows  int64  `json:"audit_rows"`
	}
	if err := json.Unmarshal([]byte(entries[0].After), &after); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%d:%s", seq, hash); after.BackupHead != want || after.AuditRows != seq {
		t.Errorf("restore entry's after = %s; want backup_head %s, audit_rows %d", entries[0].After, want, seq)
	}
	if entries[0].Seq != seq+1 {
		t.Errorf("restore entry seq = %d, want %d", entries[0].Seq, seq+1)
	}
}

// TestRestoreMessages: a missing backup file is named missing; a key id in manifest.mac
// that is not 16 hex digits (terminal escapes) is never printed.
func TestRestoreMessages(t *testing.T) {
	db := openTestSQLite(t)
	store2021(t, db)
	mustSeal(t, db)
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.zip")
	_, err := Restore(t.Context(), filepath.Join(dir, "a", "xiezuo.db"), missing, RestoreOptions{AuditKey: testAuditKey})
	if msg := xiezuo.ErrorMessage(err); !strings.Contains(msg, "不存在") || strings.Contains(msg, "不是 xiezuo") || strings.Contains(msg, "no such") {
		t.Errorf("Restore(missing) = %q, want the file named missing", msg)
	}
	if _, err := ReadBackupManifest(missing); !strings.Contains(xiezuo.ErrorMessage(err), "不存在") {
		t.Errorf("ReadBackupManifest(missing) = %v, want the file named missing", err)
	}
	b := backupOf(t, db)
	for _, id := range []string{"\x1b[2J\x1b[31mevil", "0123456789abcdeg", "0123456789abcdef0"} {
		evil := forgeBackup(t, b, func(_ *BackupManifest, files map[string][]byte) {
			var sig ManifestMAC
			json.Unmarshal(files[manifestMACFile], &sig)
			sig.KeyID = id
			files[manifestMACFile], _ = json.Marshal(sig)
		}, false)
		_, err := Restore(t.Context(), filepath.Join(dir, "b", "xiezuo.db"), evil, RestoreOptions{AuditKey: bytes.Repeat([]byte{7}, 32)})
		if msg := xiezuo.ErrorMessage(err); !strings.Contains(msg, "（无效的密钥标识）") || strings.Contains(msg, id) {
			t.Errorf("Restore(key id %q) = %q, want （无效的密钥标识）", id, msg)
		}
	}
	// A well-formed id is still named.
	other := bytes.Repeat([]byte{7}, 32)
	good := forgeBackup(t, b, func(*BackupManifest, map[string][]byte) {}, false)
	_, err = Restore(t.Context(), filepath.Join(dir, "c", "xiezuo.db"), good, RestoreOptions{AuditKey: other})
	if msg := xiezuo.ErrorMessage(err); !strings.Contains(msg, auditKeyID(testAuditKey)) {
		t.Errorf("Restore(another key) = %q, want the backup's key id %s", msg, auditKeyID(testAuditKey))
	}
}
