package sqldb

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode"

	"xiezuo"
)

// The readers of what comes from outside the database: the audit mark an operator types, and
// a backup file given to restore (its zip, its manifest, its lines and their values). They
// must never panic, stay within their bounds, and refuse with the package's Chinese errors.
// bench/fuzz.sh runs them for minutes.

func isChineseInvalid(err error) bool {
	return xiezuo.ErrorCode(err) == xiezuo.EINVALID &&
		strings.IndexFunc(xiezuo.ErrorMessage(err), func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// FuzzParseAuditMark: a mark read is written back by String and read again the same.
func FuzzParseAuditMark(f *testing.F) {
	f.Add("1234:" + strings.Repeat("ab", 32))
	f.Add(" 1:" + strings.Repeat("AB", 32) + "\n")
	f.Add("0:" + strings.Repeat("00", 32))
	f.Add("-1:" + strings.Repeat("00", 31))
	f.Add("9223372036854775808:x")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseAuditMark(s)
		if err != nil {
			if !isChineseInvalid(err) {
				t.Errorf("ParseAuditMark(%q) = %v, want EINVALID in Chinese", s, err)
			}
			return
		}
		if m.Seq < 1 || len(m.Hash) != 64 || m.Hash != strings.ToLower(m.Hash) {
			t.Errorf("ParseAuditMark(%q) = %+v", s, m)
		}
		if back, err := ParseAuditMark(m.String()); err != nil || back != m {
			t.Errorf("ParseAuditMark(%q) = %+v, written %q, read back %+v, %v", s, m, m.String(), back, err)
		}
	})
}

// backupSeed is a small well-formed backup: the manifest of this binary's schema, one table
// of two rows and one evidence file.
func backupSeed(tb testing.TB, rows string, evidence []byte) []byte {
	known, err := knownMigrations("sqlite")
	if err != nil {
		tb.Fatal(err)
	}
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	es := sum(evidence)
	ef := "evidence/" + es[:2] + "/" + es[2:4] + "/" + es
	m := BackupManifest{Format: BackupFormat, Schema: known[len(known)-1], Migrations: known, Dialect: "sqlite",
		Tables:   []BackupTable{{Name: "units", File: "tables/units.jsonl", Columns: []string{"id", "name"}, Rows: int64(strings.Count(rows, "\n")), SHA256: sum([]byte(rows))}},
		Evidence: []BackupEvidence{{File: ef, Size: int64(len(evidence)), SHA256: es}}}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range map[string][]byte{"manifest.json": backupJSON(json.Marshal(m)), "tables/units.jsonl": []byte(rows), ef: evidence} {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func backupJSON(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// FuzzBackupManifest: whatever zip restore is given, its check refuses it with EINVALID in
// Chinese or accepts a manifest whose every table and file it found and summed.
func FuzzBackupManifest(f *testing.F) {
	good := backupSeed(f, `[{"i":1},{"s":"区财政局"}]`+"\n"+`[{"i":2},{"s":"区科信局"}]`+"\n", []byte("%PDF-1.4\n%%EOF\n"))
	if _, _, err := checkBackup(mustZip(f, good), "seed.zip"); err != nil {
		f.Fatalf("the seed backup is refused: %v", err)
	}
	f.Add(good)
	f.Add(backupSeed(f, "", []byte{}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return // ReadBackupManifest answers this one itself, in Chinese
		}
		m, _, err := checkBackup(zr, "fuzz.zip")
		if err != nil {
			if !isChineseInvalid(err) {
				t.Errorf("checkBackup = %v, want EINVALID in Chinese", err)
			}
			return
		}
		names := map[string]bool{}
		for _, f := range zr.File {
			names[f.Name] = true
		}
		for _, tb := range m.Tables {
			if !names[tb.File] {
				t.Errorf("accepted a manifest naming %s, not in the zip", tb.File)
			}
		}
		for _, e := range m.Evidence {
			if !names[e.File] || !strings.HasSuffix(e.File, e.SHA256) {
				t.Errorf("accepted evidence %+v", e)
			}
		}
	})
}

func mustZip(tb testing.TB, data []byte) *zip.Reader {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	return zr
}

// FuzzBackupLines: a table file is read back line by line exactly as written (the lines and
// their newlines give the file again), and each line's values convert for every column kind
// without a panic.
func FuzzBackupLines(f *testing.F) {
	f.Add([]byte(`[{"i":1},{"s":"区财政局"},{"b":"AAEC"},{"t":"2021-06-30T08:00:00Z"},{"d":"12.50"},{"bool":true},null,{"f":1.5}]` + "\n"))
	f.Add([]byte("[{\"s\":\"a\"}]\n[{\"t\":\"x\"}]\n\n[{}]"))
	f.Add([]byte(`[{"b":"!!"},{"s":"maybe"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReaderSize(bytes.NewReader(data), 16) // small, so that lines span reads
		var back []byte
		var buf []byte
		for n := 0; ; n++ {
			line, err := readLine(br, buf[:0])
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("readLine: %v", err)
			}
			if n > len(data) {
				t.Fatalf("more lines than bytes")
			}
			back = append(append(back, line...), '\n')
			buf = line
			var vals []*value
			if json.Unmarshal(line, &vals) != nil {
				continue
			}
			for _, v := range vals {
				for k := kindOther; k <= kindBytes; k++ {
					convert(v, k, true)
					convert(v, k, false)
				}
			}
		}
		want := data
		if len(data) > 0 && data[len(data)-1] != '\n' {
			want = append(bytes.Clone(data), '\n')
		}
		if !bytes.Equal(back, want) {
			t.Errorf("lines read = %q, want %q", back, want)
		}
	})
}
