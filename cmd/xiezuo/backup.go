package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"xiezuo/sqldb"
	"xiezuo/vault"
)

// runBackup writes a consistent copy of a running database and its evidence files to one
// file, readable by restore into SQLite or PostgreSQL.
func runBackup(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "backup", "--db 数据库 -o 备份文件.zip [--evidence-dir 目录]\n"+
		"在一个只读事务中读出全部表（运行中也可备份，得到同一时刻的数据），连同佐证材料写入一个 zip 文件；\n"+
		"备份不含密钥文件：恢复后须用同一密钥文件才能读取加密的个人信息、校验审计日志。")
	dsn := dbFlag(e, fs)
	out := fs.String("o", "", "备份文件（.zip）")
	evidenceDir := fs.String("evidence-dir", "", "佐证材料目录；默认同 serve：SQLite 数据库文件旁的 evidence 目录，PostgreSQL 为 data/evidence")
	if rest, err := parseFlags(fs, args); err != nil || len(rest) > 0 || *out == "" {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	// The audit key signs the backup's manifest: a restore refuses one rewritten without it.
	// A log that may not be written to (unkeyed or emptied) is still backed up, signed. The
	// database is opened as it is: a backup records its schema, it does not migrate it first.
	db, code := openDBKeyedBy(ctx, e, *dsn, true, sqldb.OpenAsIs)
	if db == nil {
		return code
	}
	defer db.Close()
	// Written beside the target and renamed when whole: a failed backup leaves no file that
	// looks like one.
	if err := os.MkdirAll(filepath.Dir(*out), 0o700); err != nil {
		return fail(e, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".backup-*")
	if err != nil {
		return fail(e, err)
	}
	defer os.Remove(tmp.Name())
	st, err := db.Backup(ctx, tmp, evidenceDirOf(*evidenceDir, *dsn))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), *out)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo backup: 备份未完成，没有写出 %s：%s\n", *out, errorText(err))
		return exitError
	}
	fmt.Fprintf(e.stdout, "已备份到 %s：%d 个表 %d 行，佐证材料 %d 个文件（数据库结构 %s），清单已用审计密钥签名（HMAC-SM3）。\n"+
		"备份不含密钥文件：请把密钥文件另行安全保管，恢复时使用同一密钥文件。\n", *out, st.Tables, st.Rows, st.Evidence, st.Schema)
	return exitOK
}

// runRestore writes a backup into an empty database, SQLite or PostgreSQL.
func runRestore(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "restore", "--db 数据库 [--force] [--unsigned-ok] [--evidence-dir 目录] 备份文件.zip\n"+
		"先完整校验备份（签名、行数与 SHA-256），再在一个事务中写入空数据库（保持原有编号），并把这次恢复记入审计日志；\n"+
		"已有数据的数据库须加 --force。须用备份时的密钥文件（环境变量 XIEZUO_KEY_FILE）：它校验备份清单的签名。")
	dsn := dbFlag(e, fs)
	force := fs.Bool("force", false, "目标数据库已有数据时，先清空全部表再恢复（同一事务；数据库结构须与备份相同）")
	unsignedOK := fs.Bool("unsigned-ok", false, "也恢复没有签名的备份（旧版本 xiezuo 生成）：无法确认它未被伪造，只在确认来源可靠时使用")
	evidenceDir := fs.String("evidence-dir", "", "佐证材料目录；默认同 serve：SQLite 数据库文件旁的 evidence 目录，PostgreSQL 为 data/evidence")
	rest, err := parseFlags(fs, args)
	if err != nil || len(rest) != 1 {
		if err == nil {
			fs.Usage()
		}
		return exitUsage
	}
	if beside := besideKeyFile(*dsn); strings.TrimSpace(e.getenv(vault.KeyFileEnv)) == "" && !isPostgres(*dsn) && !fileExists(beside) {
		// loadKeys would make a new key file beside the new database: a key the backup was not
		// signed with and its personal data not sealed with. A restore never makes a key.
		fmt.Fprintf(e.stderr, "xiezuo restore: 恢复须用备份时的密钥文件：请用环境变量 %s 指定它，或把它放到数据库旁（%s）；未写入任何数据\n", vault.KeyFileEnv, beside)
		return exitError
	}
	keys, err := loadKeys(e, *dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo restore: 无法读取数据库之外的密钥：%s；未写入任何数据\n", errorText(err))
		return exitError
	}
	keyFile := strings.TrimSpace(e.getenv(vault.KeyFileEnv))
	if keyFile == "" {
		keyFile = besideKeyFile(*dsn)
	}
	ctx = sqldb.WithActor(ctx, cliActor(e))
	st, err := sqldb.Restore(ctx, *dsn, rest[0], sqldb.RestoreOptions{Force: *force, EvidenceDir: evidenceDirOf(*evidenceDir, *dsn),
		AuditKey: keys.Audit, UnsignedOK: *unsignedOK, KeyFile: "密钥文件 " + keyFile})
	if err == nil && !st.Signed {
		fmt.Fprintf(e.stderr, "xiezuo restore: 警告：备份文件 %s 没有签名，因加了 --unsigned-ok 仍已恢复：无法确认它未被伪造，请核对其中的账号与审计日志。\n", rest[0])
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "xiezuo restore: %s\n", errorText(err))
		return exitError
	}
	fmt.Fprintf(e.stdout, "已恢复到 %s：%d 个表 %d 行，佐证材料 %d 个文件（数据库结构 %s），行数与校验和与备份清单一致。\n"+
		"这次恢复已记入审计日志。请使用备份时的密钥文件（环境变量 XIEZUO_KEY_FILE）运行，并用 xiezuo audit verify 校验审计日志。\n", redact(*dsn), st.Tables, st.Rows, st.Evidence, st.Schema)
	return exitOK
}
