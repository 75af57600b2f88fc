package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
	"xiezuo/vault"
)

// isPostgres reports whether dsn names a PostgreSQL database.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// loadKeys reads the keys kept outside the database: the key file named by XIEZUO_KEY_FILE;
// for a SQLite database without it, a key file beside the database, made on first use (mode
// 0600). A PostgreSQL deployment must name its key file. A key file without the audit key is
// refused, with how to add one; only the key file made beside a SQLite database has one added
// (and the addition said on stderr), since nobody else manages it.
func loadKeys(e *env, dsn string) (vault.Keys, error) {
	if err := sqldb.CheckDSN(dsn); err != nil {
		return vault.Keys{}, err
	}
	if strings.TrimSpace(e.getenv(vault.KeyFileEnv)) != "" {
		keys, err := vault.LoadKeys(e.getenv)
		if err == nil && keys.Audit == nil {
			return vault.Keys{}, vault.AuditKeyMissing(strings.TrimSpace(e.getenv(vault.KeyFileEnv)))
		}
		return keys, err
	}
	if isPostgres(dsn) {
		return vault.Keys{}, fmt.Errorf("使用 PostgreSQL 时须用环境变量 %s 指定密钥文件（可用 xiezuo keys new 文件 生成）", vault.KeyFileEnv)
	}
	path := besideKeyFile(dsn)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && keyedLog(dsn) {
		// A database whose log is chained under a key it no longer has beside it (a copy, a
		// restore, a key file moved away): a new key would break its chain for good and leave
		// its personal data unreadable.
		return vault.Keys{}, xiezuo.Errorf(xiezuo.EINVALID, "数据库 %s 已有审计日志，但旁边没有它的密钥文件 %s："+
			"请用环境变量 %s 指定该数据库原来的密钥文件，或把它放回数据库旁；不会为已有数据的数据库新建密钥", dsn, path, vault.KeyFileEnv)
	}
	keys, err := vault.LoadOrCreateKeyFile(path)
	if err == nil && keys.Audit == nil {
		if keys, err = vault.AddAuditKey(path); err == nil {
			fmt.Fprintf(e.stderr, "xiezuo: 已在密钥文件 %s 中加入审计密钥 audit（审计日志哈希链的 HMAC-SM3 密钥），请与密钥文件一起备份\n", path)
		}
	}
	return keys, err
}

// keyedLog reports whether the SQLite database file at dsn exists and holds audit entries: it
// was keyed once, and only its own key file will do. Anything unreadable counts as not.
func keyedLog(dsn string) bool {
	if st, err := os.Stat(dsn); err != nil || st.Size() == 0 {
		return false
	}
	db, err := sql.Open("sqlite", "file:"+dsn+"?mode=ro")
	if err != nil {
		return false
	}
	defer db.Close()
	var one int
	return db.QueryRow(`SELECT 1 FROM audit_log LIMIT 1`).Scan(&one) == nil
}

// openSealer loads the keys of personal data (see loadKeys).
func openSealer(e *env, dsn string) (*vault.SM4, error) {
	keys, err := loadKeys(e, dsn)
	if err != nil {
		return nil, err
	}
	return vault.NewSM4(keys)
}

// useKeys gives db the keys from outside the database: the audit key, without which it
// writes nothing, and the sealer of personal data. It returns sqldb.ErrAuditUnkeyed, the keys
// given all the same, when the audit log's head is not keyed, and sqldb.ErrAuditEmptied when
// the log is empty in a database holding accounts or plans: see openDBKeyed.
func useKeys(ctx context.Context, e *env, db *sqldb.DB, dsn string) error {
	keys, err := loadKeys(e, dsn)
	if err != nil {
		return err
	}
	s, err := vault.NewSM4(keys)
	if err != nil {
		return err
	}
	db.SetSealer(s)
	return db.UseAuditKey(ctx, keys.Audit)
}

const keysUsage = `用法：
  xiezuo keys new 文件     生成新的密钥文件（权限 600），含 SM4 加密密钥、HMAC-SM3 索引密钥和审计密钥
  xiezuo keys audit 文件   在已有的密钥文件中加入审计密钥 audit（旧版本生成的密钥文件没有这一行）`

// runKeys makes key files: they are kept outside the database and backed up apart from it.
func runKeys(ctx context.Context, e *env, args []string) int {
	// A file name starting with "-" is an option mistyped (keys new -h), not a file to write.
	if len(args) != 2 || (args[0] != "new" && args[0] != "audit") || strings.HasPrefix(args[1], "-") {
		fmt.Fprintln(e.stderr, keysUsage)
		return exitUsage
	}
	var err error
	if args[0] == "new" {
		_, err = vault.CreateKeyFile(args[1])
	} else {
		_, err = vault.AddAuditKey(args[1])
	}
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "已写入密钥文件 %s（权限 600）；请另行安全备份，丢失后加密的数据无法恢复、审计日志无法校验。\n使用：export %s=%s\n", args[1], vault.KeyFileEnv, args[1])
	return exitOK
}

// besideKeyFile is the key file kept beside a SQLite database when XIEZUO_KEY_FILE names none.
func besideKeyFile(dsn string) string { return filepath.Join(filepath.Dir(dsn), "xiezuo.key") }

// fileExists reports whether path names something on disk.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
