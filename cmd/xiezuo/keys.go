package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"xiezuo/sqldb"
	"xiezuo/vault"
)

// openSealer loads the keys of personal data from outside the database: the key file named by
// XIEZUO_KEY_FILE; for a SQLite database without it, a key file beside the database, made on
// first use (mode 0600). A PostgreSQL deployment must name its key file.
func openSealer(e *env, dsn string) (*vault.SM4, error) {
	var keys vault.Keys
	var err error
	switch {
	case strings.TrimSpace(e.getenv(vault.KeyFileEnv)) != "":
		keys, err = vault.LoadKeys(e.getenv)
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		return nil, fmt.Errorf("使用 PostgreSQL 时须用环境变量 %s 指定密钥文件（可用 xiezuo keys new 文件 生成）", vault.KeyFileEnv)
	default:
		path := filepath.Join(filepath.Dir(dsn), "xiezuo.key")
		keys, err = vault.LoadOrCreateKeyFile(path)
	}
	if err != nil {
		return nil, err
	}
	return vault.NewSM4(keys)
}

// openDBWithKeys opens the database with the sealer of personal data.
func openDBWithKeys(e *env, db *sqldb.DB, dsn string) error {
	s, err := openSealer(e, dsn)
	if err != nil {
		return err
	}
	db.SetSealer(s)
	return nil
}

// runKeys manages key files: `keys new FILE` writes a new key file readable by its owner only.
func runKeys(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "new" {
		fmt.Fprintln(e.stderr, "用法：xiezuo keys new 文件    生成新的密钥文件（权限 600，已存在时不覆盖）")
		return exitUsage
	}
	fs := flag.NewFlagSet("keys new", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "用法：xiezuo keys new 文件")
		return exitUsage
	}
	path := fs.Arg(0)
	if _, err := vault.CreateKeyFile(path); err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "已生成密钥文件 %s（权限 600）。请另行安全备份：丢失后加密的个人信息无法恢复。\n使用：export %s=%s\n", path, vault.KeyFileEnv, path)
	return exitOK
}
