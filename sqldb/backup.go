package sqldb

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emmansun/gmsm/sm3"
)

// The backup is one zip, the same whichever database wrote it, so that a backup of SQLite
// restores into PostgreSQL and the reverse:
//
//	manifest.json          BackupManifest: format, schema version, dialect, time, tables, evidence
//	tables/NAME.jsonl      one line per row: a JSON array of typed values in the manifest's column order
//	evidence/aa/bb/SUM     the evidence files, laid out as the evidence store lays them out
//
// A value is null, or an object with one key naming its type: {"i": 12} integer, {"f": 1.5}
// float, {"s": "…"} text, {"b": "base64"} bytes, {"t": "RFC 3339 UTC, nanoseconds"} time,
// {"d": "YYYY-MM-DD"} date, {"bool": true}. The restore converts each to the type of the
// target's column (a boolean of PostgreSQL is an integer 0/1 of SQLite).

// BackupFormat is the version of the backup's layout that this binary writes and reads.
const BackupFormat = 1

// BackupManifest describes a backup: what it holds and the checksums a restore checks.
type BackupManifest struct {
	Format     int               `json:"format"`
	Schema     string            `json:"schema"`     // the last migration applied, e.g. 0021_labour.sql
	Migrations []string          `json:"migrations"` // every migration applied, in order
	Dialect    string            `json:"dialect"`    // sqlite or postgres: where it came from
	At         time.Time         `json:"at"`
	Tables     []BackupTable     `json:"tables"` // in an order that satisfies foreign keys
	Evidence   []BackupEvidence  `json:"evidence"`
	Extra      map[string]string `json:"extra,omitempty"`
}

// BackupTable is one table of a backup.
type BackupTable struct {
	Name    string   `json:"name"`
	File    string   `json:"file"`
	Columns []string `json:"columns"`
	Rows    int64    `json:"rows"`
	SHA256  string   `json:"sha256"` // of the file's bytes
}

// BackupEvidence is one evidence file of a backup.
type BackupEvidence struct {
	File   string `json:"file"` // evidence/aa/bb/SUM
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// migrationsTable is the bookkeeping of migrations: not copied, but checked by a restore.
const migrationsTable = "schema_migrations"

// seededTables are filled by the migrations themselves: a new database holds their rows
// already, and a restore replaces them with the backup's.
var seededTables = map[string]bool{"labour_skill_bits": true}

// BackupStats is what a backup or a restore did.
type BackupStats struct {
	Tables   int
	Rows     int64
	Evidence int
	Schema   string
	Signed   bool // the manifest carries an HMAC-SM3 under the audit key (manifest.mac)
}

// manifestMACFile holds the manifest's signature: a ManifestMAC in JSON.
const manifestMACFile = "manifest.mac"

// ManifestMAC signs the exact bytes of a backup's manifest.json, which holds the SHA-256 of
// every other file: HMAC-SM3 under the audit key of "xiezuo-backup-manifest-v1" and those
// bytes. KeyID names the key without revealing it, so that a refusal can say which key signed.
type ManifestMAC struct {
	Alg   string `json:"alg"` // "hmac-sm3"
	KeyID string `json:"key_id"`
	MAC   string `json:"mac"` // hex
}

const manifestMACVersion = "xiezuo-backup-manifest-v1"

// auditKeyID names an audit key: the first 8 bytes of HMAC-SM3(key, "xiezuo-key-id"), in hex.
func auditKeyID(key []byte) string {
	h := hmac.New(sm3.New, key)
	h.Write([]byte("xiezuo-key-id"))
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func signManifest(key, manifest []byte) ManifestMAC {
	h := hmac.New(sm3.New, key)
	h.Write([]byte(manifestMACVersion))
	h.Write(manifest)
	return ManifestMAC{Alg: "hmac-sm3", KeyID: auditKeyID(key), MAC: hex.EncodeToString(h.Sum(nil))}
}

// Backup writes a consistent copy of the database and of the evidence files under
// evidenceDir (none when it is empty or missing) to w, as a zip. Every table is read inside
// one read-only transaction, which sees one snapshot of the database while writers go on;
// rows are streamed, never held together in memory.
func (db *DB) Backup(ctx context.Context, w io.Writer, evidenceDir string) (BackupStats, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return BackupStats{}, translate(fmt.Errorf("backup: %w", err))
	}
	defer tx.Rollback()
	m := BackupManifest{Format: BackupFormat, Dialect: db.dialect.name, At: db.now().UTC()}
	// The first read fixes SQLite's snapshot: the migrations read first belong to it.
	err = each(ctx, tx, `SELECT name FROM schema_migrations ORDER BY name`, nil, func(rows *sql.Rows) error {
		var n string
		err := rows.Scan(&n)
		m.Migrations = append(m.Migrations, n)
		return err
	})
	if err != nil {
		return BackupStats{}, translate(fmt.Errorf("backup: read migrations: %w", err))
	}
	if len(m.Migrations) > 0 {
		m.Schema = m.Migrations[len(m.Migrations)-1]
	}
	tables, err := db.tablesInOrder(ctx, tx)
	if err != nil {
		return BackupStats{}, translate(fmt.Errorf("backup: list tables: %w", err))
	}
	zw := zip.NewWriter(w)
	st := BackupStats{Schema: m.Schema}
	for _, t := range tables {
		bt, err := db.backupTable(ctx, tx, zw, t)
		if err != nil {
			return st, translate(fmt.Errorf("backup table %s: %w", t, err))
		}
		m.Tables = append(m.Tables, bt)
		st.Tables++
		st.Rows += bt.Rows
	}
	if err := tx.Commit(); err != nil {
		return st, translate(fmt.Errorf("backup: %w", err))
	}
	if evidenceDir != "" {
		ev, err := backupEvidence(zw, evidenceDir)
		if err != nil {
			return st, fmt.Errorf("backup evidence: %w", err)
		}
		m.Evidence = ev
		st.Evidence = len(ev)
	}
	var mb bytes.Buffer
	enc := json.NewEncoder(&mb)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return st, err
	}
	mw, err := zw.Create("manifest.json")
	if err != nil {
		return st, err
	}
	if _, err := mw.Write(mb.Bytes()); err != nil {
		return st, err
	}
	// Signed under the audit key, kept outside the database: a backup rewritten consistently
	// by somebody without the key (an administrator added, the log cut) is refused.
	if db.auditKey != nil {
		sw, err := zw.Create(manifestMACFile)
		if err != nil {
			return st, err
		}
		if err := json.NewEncoder(sw).Encode(signManifest(db.auditKey, mb.Bytes())); err != nil {
			return st, err
		}
		st.Signed = true
	}
	if err := zw.Close(); err != nil {
		return st, fmt.Errorf("backup: %w", err)
	}
	return st, nil
}

// tablesInOrder lists the tables of the schema (not the migrations' bookkeeping) so that a
// table comes after the tables its foreign keys refer to; among the tables free to come,
// by name.
func (db *DB) tablesInOrder(ctx context.Context, q querier) ([]string, error) {
	var names []string
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`
	if db.dialect.name == "postgres" {
		list = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	err := each(ctx, q, list, nil, func(rows *sql.Rows) error {
		var n string
		err := rows.Scan(&n)
		if n != migrationsTable {
			names = append(names, n)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	refs := map[string]map[string]bool{} // table → tables it refers to
	add := func(from, to string) {
		if from == to {
			return // rows of one table are written in key order
		}
		if refs[from] == nil {
			refs[from] = map[string]bool{}
		}
		refs[from][to] = true
	}
	if db.dialect.name == "postgres" {
		err = each(ctx, q, `SELECT DISTINCT tc.table_name, ccu.table_name
			FROM information_schema.table_constraints tc
			JOIN information_schema.constraint_column_usage ccu
				ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
			WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`, nil,
			func(rows *sql.Rows) error {
				var from, to string
				err := rows.Scan(&from, &to)
				add(from, to)
				return err
			})
	} else {
		for _, n := range names {
			err = each(ctx, q, `SELECT "table" FROM pragma_foreign_key_list($1)`, []any{n}, func(rows *sql.Rows) error {
				var to string
				err := rows.Scan(&to)
				add(n, to)
				return err
			})
			if err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, err
	}
	var order []string
	done := map[string]bool{}
	for len(order) < len(names) {
		progress := false
		for _, n := range names {
			if done[n] {
				continue
			}
			ready := true
			for to := range refs[n] {
				if !done[to] && slices.Contains(names, to) {
					ready = false
					break
				}
			}
			if ready {
				order = append(order, n)
				done[n] = true
				progress = true
			}
		}
		if !progress { // a cycle: the rest by name (SQLite defers its foreign keys)
			for _, n := range names {
				if !done[n] {
					order = append(order, n)
					done[n] = true
				}
			}
		}
	}
	return order, nil
}

// primaryKey lists the columns of table's primary key, in key order.
func (db *DB) primaryKey(ctx context.Context, q querier, table string) ([]string, error) {
	var cols []string
	query := `SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk`
	if db.dialect.name == "postgres" {
		query = `SELECT kcu.column_name FROM information_schema.table_constraints tc
			JOIN information_schema.key_column_usage kcu
				ON kcu.constraint_name = tc.constraint_name AND kcu.constraint_schema = tc.constraint_schema
			WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() AND tc.table_name = $1
			ORDER BY kcu.ordinal_position`
	}
	err := each(ctx, q, query, []any{table}, func(rows *sql.Rows) error {
		var c string
		err := rows.Scan(&c)
		cols = append(cols, c)
		return err
	})
	return cols, err
}

func (db *DB) backupTable(ctx context.Context, tx *sql.Tx, zw *zip.Writer, table string) (BackupTable, error) {
	bt := BackupTable{Name: table, File: "tables/" + table + ".jsonl"}
	pk, err := db.primaryKey(ctx, tx, table)
	if err != nil {
		return bt, err
	}
	query := `SELECT * FROM ` + quoteIdent(table)
	if len(pk) > 0 {
		var q []string
		for _, c := range pk {
			q = append(q, quoteIdent(c))
		}
		query += ` ORDER BY ` + strings.Join(q, ", ")
	}
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return bt, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return bt, err
	}
	isDate := make([]bool, len(types))
	for i, ct := range types {
		bt.Columns = append(bt.Columns, ct.Name())
		isDate[i] = strings.EqualFold(ct.DatabaseTypeName(), "DATE")
	}
	fw, err := zw.Create(bt.File)
	if err != nil {
		return bt, err
	}
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(fw, h), 64<<10)
	vals := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	line := make([]json.RawMessage, len(types))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return bt, err
		}
		for i, v := range vals {
			line[i], err = encodeValue(v, isDate[i])
			if err != nil {
				return bt, fmt.Errorf("column %s: %w", bt.Columns[i], err)
			}
		}
		b, err := json.Marshal(line)
		if err != nil {
			return bt, err
		}
		bw.Write(b)
		if err := bw.WriteByte('\n'); err != nil {
			return bt, err
		}
		bt.Rows++
	}
	if err := rows.Err(); err != nil {
		return bt, err
	}
	if err := bw.Flush(); err != nil {
		return bt, err
	}
	bt.SHA256 = hex.EncodeToString(h.Sum(nil))
	return bt, nil
}

// encodeValue writes one value of a row with its type (see the format above).
func encodeValue(v any, date bool) (json.RawMessage, error) {
	var o any
	switch x := v.(type) {
	case nil:
		return json.RawMessage("null"), nil
	case int64:
		o = map[string]int64{"i": x}
	case float64:
		o = map[string]float64{"f": x}
	case bool:
		o = map[string]bool{"bool": x}
	case string:
		if !utf8.ValidString(x) {
			// JSON would replace the bad bytes: kept as bytes instead, lossless.
			o = map[string]string{"b": base64.StdEncoding.EncodeToString([]byte(x))}
			break
		}
		o = map[string]string{"s": x}
	case []byte:
		o = map[string]string{"b": base64.StdEncoding.EncodeToString(x)}
	case time.Time:
		if date {
			o = map[string]string{"d": x.Format("2006-01-02")}
		} else {
			o = map[string]string{"t": x.UTC().Format(time.RFC3339Nano)}
		}
	default:
		return nil, fmt.Errorf("value of type %T", v)
	}
	return json.Marshal(o)
}

// backupEvidence copies the evidence store's files into zw under evidence/.
func backupEvidence(zw *zip.Writer, dir string) ([]BackupEvidence, error) {
	var out []BackupEvidence
	// A store reached through a symbolic link is walked where it is (WalkDir does not follow a
	// link at its root, and the backup held no evidence at all).
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !evidenceName(rel) {
			return nil // temp files of writes under way, anything not of the store
		}
		f, err := os.Open(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // swept meanwhile
			}
			return err
		}
		defer f.Close()
		zf, err := zw.CreateHeader(&zip.FileHeader{Name: "evidence/" + rel, Method: zip.Store})
		if err != nil {
			return err
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(zf, h), f)
		if err != nil {
			return err
		}
		out = append(out, BackupEvidence{File: "evidence/" + rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	})
	return out, err
}

// evidenceName reports whether rel is the path of a file of the evidence store: aa/bb/SUM,
// SUM being 64 lowercase hex digits starting with aa and bb.
func evidenceName(rel string) bool {
	parts := strings.Split(rel, "/")
	if len(parts) != 3 {
		return false
	}
	sum := parts[2]
	if len(sum) != 64 || parts[0] != sum[:2] || parts[1] != sum[2:4] {
		return false
	}
	_, err := hex.DecodeString(sum)
	return err == nil && strings.ToLower(sum) == sum
}
