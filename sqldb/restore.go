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
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"xiezuo"
)

// RestoreOptions says how Restore writes.
type RestoreOptions struct {
	// Force restores into a database that holds data: its tables are emptied first, in the
	// restore's transaction. The schema must still be the backup's.
	Force bool
	// EvidenceDir is the evidence store the backup's evidence files go to; none when empty.
	EvidenceDir string
	// AuditKey is the audit key (vault.Keys.Audit): it checks the backup's signature
	// (manifest.mac) and keys the restore's own audit entry. Required.
	AuditKey []byte
	// UnsignedOK restores a backup without a signature, as xiezuo wrote before it signed
	// them: nothing then shows that it was not forged.
	UnsignedOK bool
	// KeyFile names where AuditKey came from, for the messages.
	KeyFile string
}

// AuditRestore is the action of the entry every restore appends after the restored log.
const AuditRestore = "backup.restore"

// checkSignature checks the manifest's signature under key: a backup signed under another key,
// or rewritten by somebody without it, is refused; an unsigned one only restores with
// unsignedOK. It reports whether the backup was signed.
func checkSignature(zr *zip.Reader, raw []byte, file string, opt RestoreOptions) (bool, error) {
	keyFile := opt.KeyFile
	if keyFile == "" {
		keyFile = "密钥文件"
	}
	var mf *zip.File
	for _, f := range zr.File {
		if f.Name == manifestMACFile {
			mf = f
		}
	}
	if mf == nil {
		if opt.UnsignedOK {
			return false, nil
		}
		return false, xiezuo.Errorf(xiezuo.EINVALID, "备份文件“%s”没有签名（manifest.mac）：无法确认它未被伪造（旧版本 xiezuo 的备份没有签名）。"+
			"确认备份来源可靠后，可加 --unsigned-ok 恢复；未写入任何数据", file)
	}
	var sig ManifestMAC
	r, err := mf.Open()
	if err == nil {
		err = json.NewDecoder(io.LimitReader(r, 4096)).Decode(&sig)
		r.Close()
	}
	if err != nil {
		return false, xiezuo.Errorf(xiezuo.EINVALID, "备份文件“%s”的签名 manifest.mac 无法读取（%v）；未写入任何数据", file, err)
	}
	want := signManifest(opt.AuditKey, raw)
	if sig.Alg != want.Alg || !hmac.Equal([]byte(sig.MAC), []byte(want.MAC)) {
		if sig.KeyID != want.KeyID {
			return false, xiezuo.Errorf(xiezuo.EINVALID, "备份文件“%s”由编号 %s 的审计密钥签名，而%s（%s）中的审计密钥编号为 %s："+
				"请用备份时的密钥文件（环境变量 XIEZUO_KEY_FILE）恢复；未写入任何数据", file, shownKeyID(sig.KeyID), keyFile, "audit 一行", want.KeyID)
		}
		return false, xiezuo.Errorf(xiezuo.EINVALID, "备份文件“%s”的清单与其签名（HMAC-SM3，审计密钥编号 %s，%s）不符：备份在备份之后被改动或伪造，不能恢复。"+
			"请改用未被改动的备份，并报告安全管理员；未写入任何数据", file, want.KeyID, keyFile)
	}
	return true, nil
}

// shownKeyID is a key id read from a backup, as a message may show it: 16 hex digits (what
// auditKeyID writes), or a placeholder; anything else may be terminal escapes.
func shownKeyID(id string) string {
	if len(id) != 16 {
		return "（无效的密钥标识）"
	}
	for _, c := range id {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return "（无效的密钥标识）"
		}
	}
	return id
}

// openBackup opens the zip at file; a file that is not there is named so.
func openBackup(file, tail string) (*zip.ReadCloser, error) {
	zr, err := zip.OpenReader(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "备份文件“%s”不存在%s", file, tail)
	}
	if err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取备份文件“%s”：不是 xiezuo 备份（zip）文件，或已损坏（%v）%s", file, err, tail)
	}
	return zr, nil
}

// knownMigrations lists the migrations of this binary, by name, in order.
func knownMigrations(dialect string) ([]string, error) {
	names, err := fs.Glob(migrations, path.Join("migrations", dialect, "*.sql"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return baseNames(names), nil
}

// ReadBackupManifest opens the backup at file and checks it whole, writing nothing: its
// manifest, that this binary knows its schema, and the row count and SHA-256 of every table
// file and evidence file.
func ReadBackupManifest(file string) (BackupManifest, error) {
	zr, err := openBackup(file, "")
	if err != nil {
		return BackupManifest{}, err
	}
	defer zr.Close()
	m, _, err := checkBackup(&zr.Reader, file)
	return m, err
}

// checkBackup checks the backup whole but its signature, and returns its manifest and the
// manifest's bytes, which the signature covers.
func checkBackup(zr *zip.Reader, file string) (BackupManifest, []byte, error) {
	m, raw, err := checkBackupFiles(zr, file)
	return m, raw, err
}

func checkBackupFiles(zr *zip.Reader, file string) (m BackupManifest, raw []byte, err error) {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	broken := func(format string, args ...any) error {
		return xiezuo.Errorf(xiezuo.EINVALID, "备份文件“%s”已损坏：%s；未写入任何数据", file, fmt.Sprintf(format, args...))
	}
	mf := files["manifest.json"]
	if mf == nil {
		return m, nil, broken("缺少清单 manifest.json")
	}
	r, err := mf.Open()
	if err != nil {
		return m, nil, broken("清单 manifest.json 无法读取（%v）", err)
	}
	raw, err = io.ReadAll(io.LimitReader(r, maxManifest))
	r.Close()
	if err != nil {
		return m, nil, broken("清单 manifest.json 无法读取（%v）", err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, nil, broken("清单 manifest.json 不是有效的 JSON（%v）", err)
	}
	if m.Format != BackupFormat {
		return m, nil, xiezuo.Errorf(xiezuo.EINVALID, "备份文件“%s”的格式版本是 %d，本程序只能恢复格式 %d：请用生成它的 xiezuo 版本恢复", file, m.Format, BackupFormat)
	}
	known, err := knownMigrations("sqlite")
	if err != nil {
		return m, nil, err
	}
	if len(m.Migrations) == 0 || m.Schema != m.Migrations[len(m.Migrations)-1] {
		return m, nil, broken("清单没有数据库结构版本")
	}
	if len(m.Migrations) > len(known) || !slices.Equal(m.Migrations, known[:len(m.Migrations)]) {
		return m, nil, xiezuo.Errorf(xiezuo.EINVALID, "备份文件“%s”来自更新的 xiezuo 版本（数据库结构 %s），本程序只认识到 %s：请用不低于备份时的 xiezuo 版本恢复；未写入任何数据",
			file, m.Schema, known[len(known)-1])
	}
	for _, t := range m.Tables {
		f := files[t.File]
		if f == nil || t.File != "tables/"+t.Name+".jsonl" {
			return m, nil, broken("缺少表 %s 的数据文件 %s", t.Name, t.File)
		}
		sum, n, err := sumFile(f, true)
		if err != nil {
			return m, nil, broken("表 %s 的数据文件 %s 无法读取（%v）", t.Name, t.File, err)
		}
		if sum != t.SHA256 {
			return m, nil, broken("表 %s 的数据文件 %s 的 SHA-256 与清单不符", t.Name, t.File)
		}
		if n != t.Rows {
			return m, nil, broken("表 %s 的数据文件 %s 有 %d 行，清单记为 %d 行", t.Name, t.File, n, t.Rows)
		}
	}
	for _, e := range m.Evidence {
		f := files[e.File]
		rel, ok := strings.CutPrefix(e.File, "evidence/")
		if f == nil || !ok || !evidenceName(rel) {
			return m, nil, broken("缺少佐证材料文件 %s", e.File)
		}
		sum, _, err := sumFile(f, false)
		if err != nil {
			return m, nil, broken("佐证材料文件 %s 无法读取（%v）", e.File, err)
		}
		if sum != e.SHA256 || int64(f.UncompressedSize64) != e.Size {
			return m, nil, broken("佐证材料文件 %s 的 SHA-256 或大小与清单不符", e.File)
		}
		// The store is addressed by content: a file whose content is not its name would be
		// served for the file of that name.
		if sum != path.Base(rel) {
			return m, nil, broken("佐证材料文件 %s 的内容与文件名（其 SHA-256）不符", e.File)
		}
	}
	return m, raw, nil
}

// sumFile returns the SHA-256 of a file of the zip and, when lines is set, its number of
// lines. Reading it whole also checks the zip's CRC-32.
func sumFile(f *zip.File, lines bool) (string, int64, error) {
	r, err := f.Open()
	if err != nil {
		return "", 0, err
	}
	defer r.Close()
	h := sha256.New()
	var n int64
	if !lines {
		_, err = io.Copy(h, r)
		return hex.EncodeToString(h.Sum(nil)), 0, err
	}
	buf := make([]byte, 64<<10)
	for {
		k, err := r.Read(buf)
		h.Write(buf[:k])
		for _, b := range buf[:k] {
			if b == '\n' {
				n++
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", 0, err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Restore writes the backup at file into the database at dsn: checks the backup whole first
// (nothing is written when it is damaged or from a newer schema), brings a new database to
// the backup's schema, copies every table in one transaction with the same ids, checks the
// row counts against the manifest before it commits, and then applies this binary's newer
// migrations. A database that holds data is refused unless opt.Force. The evidence files go
// to opt.EvidenceDir.
func Restore(ctx context.Context, dsn, file string, opt RestoreOptions) (BackupStats, error) {
	zr, err := openBackup(file, "；未写入任何数据")
	if err != nil {
		return BackupStats{}, err
	}
	defer zr.Close()
	if len(opt.AuditKey) != sm3.Size {
		return BackupStats{}, xiezuo.Errorf(xiezuo.EINVALID, "恢复须有审计密钥（密钥文件中 audit 一行，见 docs/security.md“Audit log”）："+
			"它校验备份的签名，并把这次恢复记入审计日志；未写入任何数据")
	}
	m, raw, err := checkBackup(&zr.Reader, file)
	if err != nil {
		return BackupStats{}, err
	}
	signed, err := checkSignature(&zr.Reader, raw, file, opt)
	if err != nil {
		return BackupStats{}, err
	}
	// A backup whose audit log is empty while it holds accounts or plans had its log emptied
	// (signed by whoever holds the key, or forged unsigned): restored, its history would be
	// gone and verify would pass. The manifest's counts were checked against the files.
	rows := map[string]int64{}
	for _, t := range m.Tables {
		rows[t.Name] = t.Rows
	}
	auditRows := rows["audit_log"]
	if auditRows == 0 && (rows["users"] > 0 || rows["plans"] > 0) {
		return BackupStats{}, xiezuo.Errorf(xiezuo.EINVALID, "备份文件“%s”的审计日志为空，却有 %d 个账号、%d 个计划：审计记录在备份前被删除，"+
			"恢复它会抹去历史，不能恢复。请改用更早的备份，并报告安全管理员；未写入任何数据", file, rows["users"], rows["plans"])
	}
	sum, err := fileSHA256(file)
	if err != nil {
		return BackupStats{}, xiezuo.Errorf(xiezuo.EINVALID, "无法读取备份文件“%s”（%v）；未写入任何数据", file, err)
	}
	st := BackupStats{Schema: m.Schema, Signed: signed}
	if opt.EvidenceDir != "" && len(m.Evidence) > 0 {
		// The evidence folder is tried before the database is written: a restore whose
		// files could not follow would leave a database whose reports point at nothing.
		if err := evidenceRoom(opt.EvidenceDir, m); err != nil {
			return st, err
		}
	}
	db, err := openTo(ctx, dsn, m.Schema)
	if err != nil {
		return st, err
	}
	db.auditKey = bytes.Clone(opt.AuditKey)
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	applied, err := appliedMigrations(ctx, db.db)
	if err != nil {
		return st, translate(fmt.Errorf("restore: %w", err))
	}
	if !slices.Equal(applied, m.Migrations) {
		have := "无"
		if len(applied) > 0 {
			have = applied[len(applied)-1]
		}
		return st, xiezuo.Errorf(xiezuo.EINVALID, "目标数据库的结构（%s）与备份的（%s）不同：请恢复到一个新建的空数据库；未写入任何数据",
			have, m.Schema)
	}
	e := entryFor(ctx, AuditRestore, "database", "", "数据库")
	// The backup's log head (seq:hash) and row count: after a restore the chain goes on from
	// the backup's head, so seqs shipped before come again with other entries; a collector
	// tells them apart by seq and hash, and this entry says where the restored chain forks.
	after := struct {
		File       string `json:"file"`
		SHA256     string `json:"sha256"`
		Forced     bool   `json:"forced"`
		Signed     bool   `json:"signed"`
		Schema     string `json:"schema"`
		BackupAt   string `json:"backup_at"`
		BackupHead string `json:"backup_head"` // seq:hash of the backup's last audit entry, "" when none
		AuditRows  int64  `json:"audit_rows"`  // audit entries in the backup
	}{File: file, SHA256: sum, Forced: opt.Force, Signed: signed, Schema: m.Schema, BackupAt: m.At.UTC().Format(time.RFC3339),
		AuditRows: auditRows}
	e.After = mustJSON(after)
	setHead := func(head string) {
		after.BackupHead = head
		e.After = mustJSON(after)
	}
	e.Detail = fmt.Sprintf("从备份文件 %s（SHA-256 %s，%s，备份于 %s）恢复数据库", file, sum,
		map[bool]string{true: "已签名", false: "未签名，以 --unsigned-ok 恢复"}[signed],
		m.At.In(shanghai).Format("2006-01-02 15:04:05"))
	if opt.Force {
		e.Detail += "；--force：先清空了目标数据库的全部表"
	}
	if err := db.restoreTables(ctx, &zr.Reader, m, opt.Force, e, setHead); err != nil {
		return st, err
	}
	for _, t := range m.Tables {
		st.Tables++
		st.Rows += t.Rows
	}
	db.Close()
	db = nil
	// This binary's migrations newer than the backup.
	db2, err := Open(ctx, dsn)
	if err != nil {
		return st, err
	}
	db2.Close()
	if opt.EvidenceDir != "" {
		n, err := restoreEvidence(&zr.Reader, m, opt.EvidenceDir)
		st.Evidence = n
		if err != nil {
			return st, fmt.Errorf("恢复佐证材料到 %s（数据库已恢复）：%w", opt.EvidenceDir, err)
		}
	}
	return st, nil
}

// restoreTables copies the tables of the backup in one transaction.
//
// The restore's own audit entry, e, is appended in the same transaction after the restored
// log's last entry, so that no restore, forced or not, leaves the log without its trace. A
// restored log whose head is not keyed (a backup from before the audit key) cannot be
// continued until the operator switches it (xiezuo audit key-switch): the restore is refused.
func (db *DB) restoreTables(ctx context.Context, zr *zip.Reader, m BackupManifest, force bool, e *AuditEntry, setHead func(string)) error {
	tx, err := db.begin(ctx, "restore")
	if err != nil {
		return translate(fmt.Errorf("restore: %w", err))
	}
	defer tx.Rollback()
	tables, err := db.tablesInOrder(ctx, tx)
	if err != nil {
		return translate(fmt.Errorf("restore: list tables: %w", err))
	}
	inBackup := map[string]BackupTable{}
	for _, t := range m.Tables {
		inBackup[t.Name] = t
	}
	for _, t := range tables {
		if _, ok := inBackup[t]; !ok {
			return xiezuo.Errorf(xiezuo.EINVALID, "备份里没有目标数据库的表 %s：数据库结构不同，未写入任何数据", t)
		}
	}
	for _, t := range m.Tables {
		if !slices.Contains(tables, t.Name) {
			return xiezuo.Errorf(xiezuo.EINVALID, "目标数据库没有备份里的表 %s：数据库结构不同，未写入任何数据", t.Name)
		}
	}
	var full []string
	for _, t := range tables {
		if seededTables[t] {
			continue
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM `+quoteIdent(t)+` LIMIT 1`).Scan(&one)
		if err == nil {
			full = append(full, t)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return translate(fmt.Errorf("restore: read %s: %w", t, err))
		}
	}
	if len(full) > 0 && !force {
		more := ""
		if len(full) > 3 {
			more = fmt.Sprintf(" 等 %d 个表", len(full))
			full = full[:3]
		}
		return xiezuo.Errorf(xiezuo.ECONFLICT, "目标数据库已有数据（表 %s%s）：恢复只写入空数据库。确要用备份覆盖其中全部数据，请加 --force；未写入任何数据",
			strings.Join(full, "、"), more)
	}
	// No trigger may act on the restore: the refusals of fact tables (a forced restore
	// empties them) and the counts kept by triggers (the backup holds the counts as they were).
	enable, err := db.disableTriggers(ctx, tx, tables)
	if err != nil {
		return translate(fmt.Errorf("restore: disable triggers: %w", err))
	}
	if db.dialect.name == "sqlite" {
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return translate(fmt.Errorf("restore: %w", err))
		}
	}
	for _, t := range slices.Backward(tables) {
		if force || seededTables[t] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+quoteIdent(t)); err != nil {
				return translate(fmt.Errorf("restore: empty %s: %w", t, err))
			}
		}
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	for _, t := range tables {
		bt := inBackup[t]
		if err := db.restoreTable(ctx, tx, files[bt.File], bt); err != nil {
			return err
		}
	}
	for _, t := range tables {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoteIdent(t)).Scan(&n); err != nil {
			return translate(fmt.Errorf("restore: count %s: %w", t, err))
		}
		if n != inBackup[t].Rows {
			return xiezuo.Errorf(xiezuo.EINTERNAL, "恢复后表 %s 有 %d 行，备份清单记为 %d 行：已撤销，未写入任何数据", t, n, inBackup[t].Rows)
		}
	}
	if err := enable(); err != nil {
		return translate(fmt.Errorf("restore: enable triggers: %w", err))
	}
	if db.dialect.name == "postgres" {
		if err := resetSequences(ctx, tx); err != nil {
			return translate(fmt.Errorf("restore: reset sequences: %w", err))
		}
	}
	var headSeq int64
	var headHash string
	switch err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&headSeq, &headHash); {
	case err == nil:
		setHead(fmt.Sprintf("%d:%s", headSeq, headHash))
	case !errors.Is(err, sql.ErrNoRows):
		return translate(fmt.Errorf("restore: audit head: %w", err))
	}
	if err := db.appendChained(ctx, tx, e); err != nil {
		if errors.Is(err, ErrAuditUnkeyed) {
			return xiezuo.Errorf(xiezuo.ECONFLICT, "备份中审计日志的最新记录未用审计密钥链接（旧版本的备份），这次恢复无法记入审计日志。"+
				"请先恢复到一个新建的空数据库，运行一次 xiezuo audit key-switch，再从那里备份、恢复；未写入任何数据")
		}
		return translate(fmt.Errorf("restore: audit: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("restore: %w", err))
	}
	return nil
}

// disableTriggers turns the schema's triggers off inside tx and returns what turns them on
// again, in the same transaction. SQLite has no switch: its triggers are dropped and made
// again from their own text.
func (db *DB) disableTriggers(ctx context.Context, tx *sql.Tx, tables []string) (func() error, error) {
	if db.dialect.name == "postgres" {
		for _, t := range tables {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE `+quoteIdent(t)+` DISABLE TRIGGER USER`); err != nil {
				return nil, err
			}
		}
		return func() error {
			for _, t := range tables {
				if _, err := tx.ExecContext(ctx, `ALTER TABLE `+quoteIdent(t)+` ENABLE TRIGGER USER`); err != nil {
					return err
				}
			}
			return nil
		}, nil
	}
	type trigger struct{ name, text string }
	var triggers []trigger
	err := each(ctx, tx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`, nil, func(rows *sql.Rows) error {
		var t trigger
		err := rows.Scan(&t.name, &t.text)
		triggers = append(triggers, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, t := range triggers {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+quoteIdent(t.name)); err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, t := range triggers {
			if _, err := tx.ExecContext(ctx, t.text); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// resetSequences sets every identity and serial sequence past the largest id restored.
func resetSequences(ctx context.Context, tx *sql.Tx) error {
	type col struct{ table, column string }
	var cols []col
	err := each(ctx, tx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
		ORDER BY table_name, column_name`, nil, func(rows *sql.Rows) error {
		var c col
		err := rows.Scan(&c.table, &c.column)
		cols = append(cols, c)
		return err
	})
	if err != nil {
		return err
	}
	for _, c := range cols {
		q := `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(` + quoteIdent(c.column) + `), 0) + 1, false) FROM ` + quoteIdent(c.table)
		if _, err := tx.ExecContext(ctx, q, quoteIdent(c.table), c.column); err != nil {
			return fmt.Errorf("%s.%s: %w", c.table, c.column, err)
		}
	}
	return nil
}

// value is one value of a row in the backup (see the format in backup.go).
type value struct {
	I    *int64   `json:"i"`
	F    *float64 `json:"f"`
	S    *string  `json:"s"`
	B    *string  `json:"b"`
	T    *string  `json:"t"`
	D    *string  `json:"d"`
	Bool *bool    `json:"bool"`
}

// column kinds of the target, by its type name.
const (
	kindOther = iota
	kindBool
	kindInt
	kindDate
	kindTime
	kindBytes
)

func kindOf(typeName string) int {
	switch strings.ToUpper(typeName) {
	case "BOOL", "BOOLEAN":
		return kindBool
	case "INT", "INT2", "INT4", "INT8", "INTEGER", "BIGINT", "SMALLINT":
		return kindInt
	case "DATE":
		return kindDate
	case "TIMESTAMP", "TIMESTAMPTZ", "DATETIME":
		return kindTime
	case "BYTEA", "BLOB":
		return kindBytes
	}
	return kindOther
}

// convert turns a value of the backup into the argument for a column of kind k.
func convert(v *value, k int, sqlite bool) (any, error) {
	switch {
	case v == nil:
		return nil, nil
	case v.Bool != nil:
		if sqlite || k == kindInt {
			if *v.Bool {
				return int64(1), nil
			}
			return int64(0), nil
		}
		return *v.Bool, nil
	case v.I != nil:
		if k == kindBool && !sqlite {
			return *v.I != 0, nil
		}
		return *v.I, nil
	case v.F != nil:
		return *v.F, nil
	case v.B != nil:
		b, err := base64.StdEncoding.DecodeString(*v.B)
		if err != nil {
			return nil, fmt.Errorf("bytes: %w", err)
		}
		return b, nil
	case v.T != nil:
		t, err := time.Parse(time.RFC3339Nano, *v.T)
		if err != nil {
			return nil, fmt.Errorf("time: %w", err)
		}
		switch k {
		case kindDate:
			return t.Format("2006-01-02"), nil
		case kindTime:
			return t, nil
		}
		if sqlite {
			return t, nil
		}
		return *v.T, nil
	case v.D != nil:
		return *v.D, nil
	case v.S != nil:
		if k == kindBytes {
			return []byte(*v.S), nil
		}
		if k == kindBool && !sqlite {
			return strconv.ParseBool(*v.S)
		}
		return *v.S, nil
	}
	return nil, fmt.Errorf("value without a type")
}

// restoreTable inserts a table's rows, read line by line, in batches.
func (db *DB) restoreTable(ctx context.Context, tx *sql.Tx, f *zip.File, bt BackupTable) error {
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+quoteIdent(bt.Name)+` WHERE 1 = 0`)
	if err != nil {
		return translate(fmt.Errorf("restore %s: %w", bt.Name, err))
	}
	types, err := rows.ColumnTypes()
	rows.Close()
	if err != nil {
		return translate(fmt.Errorf("restore %s: %w", bt.Name, err))
	}
	target := map[string]int{}
	for _, ct := range types {
		target[ct.Name()] = kindOf(ct.DatabaseTypeName())
	}
	kinds := make([]int, len(bt.Columns))
	var quoted []string
	for i, c := range bt.Columns {
		k, ok := target[c]
		if !ok {
			return xiezuo.Errorf(xiezuo.EINVALID, "目标数据库的表 %s 没有备份里的列 %s：数据库结构不同，未写入任何数据", bt.Name, c)
		}
		kinds[i] = k
		quoted = append(quoted, quoteIdent(c))
	}
	if bt.Rows == 0 {
		return nil
	}
	cols := len(bt.Columns)
	// PostgreSQL: a batch per round trip. SQLite has no round trip, and its driver looks each
	// $N up in a list as long as the statement's parameters (quadratic in a large batch).
	batch := max(1, min(200, 30000/cols))
	if db.dialect.name == "sqlite" {
		batch = max(1, min(8, 30000/cols))
	}
	head := `INSERT INTO ` + quoteIdent(bt.Name) + ` (` + strings.Join(quoted, ", ") + `) `
	if db.dialect.name == "postgres" {
		head += `OVERRIDING SYSTEM VALUE `
	}
	head += `VALUES `
	insertText := func(n int) string {
		var b strings.Builder
		b.WriteString(head)
		p := 1
		for r := range n {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "$%d", p)
				p++
			}
			b.WriteByte(')')
		}
		return b.String()
	}
	full := insertText(batch)
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("restore %s: %w", bt.Name, err)
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 1<<20)
	var buf []byte
	args := make([]any, 0, batch*cols)
	n, line := 0, 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		q := full
		if n < batch {
			q = insertText(n)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return translate(fmt.Errorf("restore %s: %w", bt.Name, err))
		}
		args, n = args[:0], 0
		return nil
	}
	sqlite := db.dialect.name == "sqlite"
	for {
		var err error
		buf, err = readLine(br, buf[:0])
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return xiezuo.Errorf(xiezuo.EINVALID, "备份中表 %s 第 %d 行无法读取（%v）：未写入任何数据", bt.Name, line, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var vals []*value
		if err := json.Unmarshal(buf, &vals); err != nil || len(vals) != cols {
			return xiezuo.Errorf(xiezuo.EINVALID, "备份中表 %s 第 %d 行无法读取：未写入任何数据", bt.Name, line)
		}
		for i, v := range vals {
			a, err := convert(v, kinds[i], sqlite)
			if err != nil {
				return xiezuo.Errorf(xiezuo.EINVALID, "备份中表 %s 第 %d 行的列 %s 无法读取（%v）：未写入任何数据", bt.Name, line, bt.Columns[i], err)
			}
			args = append(args, a)
		}
		n++
		if n == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// Bounds of what restore reads of a backup: a line of a table file (a row; the largest, an
// import's sealed bad rows, is under 100 MB as base64) and the manifest.
var (
	maxBackupLine = 128 << 20
	maxManifest   = int64(64 << 20)
)

// readLine appends the next line of br (without its newline) to buf: io.EOF at the end, an
// error past maxBackupLine. It reads in linear time whatever the line's length (bufio.Scanner
// searched its whole growing buffer again after every read).
func readLine(br *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > maxBackupLine {
			return buf, fmt.Errorf("一行超过 %d MB", maxBackupLine>>20)
		}
		switch {
		case err == nil:
			return buf[:len(buf)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(buf) > 0:
			return buf, nil
		default:
			return buf, err
		}
	}
}

// evidenceRoom checks, before a restore writes the database, that the backup's evidence files
// can go into the store at dir: every folder they go to is made and takes a file, and the
// file system has room for those not there yet. A disk that fills meanwhile can still stop
// the files after the database (the message says so); anything found here writes nothing.
func evidenceRoom(dir string, m BackupManifest) error {
	refuse := func(format string, args ...any) error {
		return xiezuo.Errorf(xiezuo.EINVALID, "佐证材料文件夹“%s”"+format+"；未写入任何数据", append([]any{dir}, args...)...)
	}
	var need int64
	tried := map[string]bool{}
	for _, e := range m.Evidence {
		rel := strings.TrimPrefix(e.File, "evidence/")
		if !evidenceName(rel) { // checked by checkBackup: never a path out of dir
			return refuse("：备份中的文件名“%s”无效", e.File)
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if _, err := os.Stat(dst); err == nil {
			continue // there already: the same content, by its name
		}
		need += e.Size
		if sub := filepath.Dir(dst); !tried[sub] {
			tried[sub] = true
			if err := writableDir(sub); err != nil {
				return refuse("不能写入（%v）：请先建好它并让运行 xiezuo 的账号可写", err)
			}
		}
	}
	if free, ok := freeBytes(dir); ok && need > free {
		return refuse("所在磁盘空间不足：佐证材料需要 %.1f MB，只剩 %.1f MB。请先腾出空间", float64(need)/(1<<20), float64(free)/(1<<20))
	}
	return nil
}

// writableDir makes dir if it is missing and checks that a file can be written in it.
func writableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".restore-probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	err = f.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	return err
}

// restoreEvidence writes the backup's evidence files into the store at dir, each through a
// temporary file renamed into place; a file already there (same name, same content) stays.
func restoreEvidence(zr *zip.Reader, m BackupManifest, dir string) (int, error) {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	n := 0
	for _, e := range m.Evidence {
		rel := strings.TrimPrefix(e.File, "evidence/")
		if !evidenceName(rel) { // checked by checkBackup: never a path out of dir
			return n, fmt.Errorf("evidence name %q", e.File)
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if _, err := os.Stat(dst); err == nil {
			n++
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return n, err
		}
		if err := copyOut(files[e.File], dst); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func copyOut(f *zip.File, dst string) error {
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".restore-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// fileSHA256 is the SHA-256 of the file at name, in hex.
func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
