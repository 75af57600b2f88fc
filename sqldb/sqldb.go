// Package sqldb stores plans on SQLite (a file path, the default) or PostgreSQL (a postgres://
// URL). One SQL text serves both: `$1` placeholders, and only the subset both databases share;
// only the DDL differs, in migrations/sqlite and migrations/postgres, files of the same names.
// Driver errors are translated to *xiezuo.Error once, here, so that no driver text reaches a
// user.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"

	"xiezuo"
	"xiezuo/vault"
)

// DB is a plan store on SQLite or PostgreSQL. It is safe for concurrent use, and several
// processes may share one PostgreSQL database.
type DB struct {
	db *sql.DB
	// writer is the pool write transactions begin on: on SQLite one connection of its own,
	// so that concurrent writers queue in Go instead of sleeping and retrying in SQLite's
	// busy handler (which made a deadline day's p99 hundreds of milliseconds); on
	// PostgreSQL db itself.
	writer  *sql.DB
	dsn     string // as given to Open
	dialect dialect
	now     func() time.Time // imports stamp their documents with it, in UTC
	// machine is the machine's clock when SetClock moved now away from it (serve --today):
	// the audit log keeps the time a write really happened. Nil: now is the machine's.
	machine func() time.Time
	sealer  vault.Sealer // seals personal data; nil when no key is configured
	// auditKey keys the audit log's chain (UseAuditKey); without it every write is refused.
	auditKey []byte
	// auditEmptied is set by UseAuditKey when the log is empty although the database holds
	// accounts or plans (ErrAuditEmptied): no entry is written to it then.
	auditEmptied bool
	// auditUnkeyed is set by UseAuditKey when the log's last entry is not keyed
	// (ErrAuditUnkeyed), until SwitchAuditKey.
	auditUnkeyed bool
	// seal chains the audit entries that writes left waiting (appendAuditDeferred).
	seal *sealer
	// pendingWritten is set once this process left an audit entry waiting: a direct append
	// then chains the waiting ones first.
	pendingWritten atomic.Bool
	// group runs the group commit of the busiest writes on SQLite (inGroup).
	group *committer
	// plans remembers the stored plans' ids for submitPipelined.
	plans planIDs
	// score is the in-memory copy city scorecards read (score_city.go).
	score scoreCache
	// ledger is the copy of fund_transactions in memory (fund_ledger.go).
	ledger ledger
	// pipelinedRuns counts the submissions submitPipelined stored: tests check which way a
	// submission went.
	pipelinedRuns atomic.Int64
}

// dialect holds the little that differs between the databases besides the DDL.
type dialect struct {
	name string // folder of the migrations: "sqlite" or "postgres"
	// lock, when not empty, takes a transaction-scoped lock on the int64 key $1, so that
	// writers of the same thing wait for each other. SQLite needs none: its transactions
	// begin IMMEDIATE, and one writer at a time holds the whole database.
	lock string
	// deferAudit makes the busiest writes leave their audit entry to the sealer
	// (appendAuditDeferred): where writers run at once and the log's lock would make each
	// wait for the commit of the one before.
	deferAudit bool
	// groupCommit makes the busiest writes share their commits (inGroup): where one writer
	// runs at a time and each commit waits for the disk.
	groupCommit bool
	// skipLocked ends a SELECT that claims queue rows: on PostgreSQL the rows another
	// instance has claimed are skipped rather than waited for; SQLite has one writer.
	skipLocked string
	// pipelined stores the usual new report in two round trips (submitPipelined): where
	// each statement is a round trip to another process.
	pipelined bool
}

var (
	sqliteDialect   = dialect{name: "sqlite", groupCommit: true}
	postgresDialect = dialect{name: "postgres", lock: `SELECT pg_advisory_xact_lock($1)`, skipLocked: ` FOR UPDATE SKIP LOCKED`, deferAudit: true, pipelined: true}
)

// postgresConns bounds the connections one instance opens to PostgreSQL, and keeps them open.
const postgresConns = 30

// notPath matches what is an address of some kind rather than a SQLite file's path: a URL, a
// prefix of another tool (sqlite:, file:), a PostgreSQL keyword string.
var notPath = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://|^(?i:sqlite3?|file|mysql|mariadb|sqlserver|oracle):|(^|\s)(host|dbname|user)=`)

// CheckDSN refuses a database name that is neither a PostgreSQL URL nor a plain path:
// sqlite:x.db, mysql://… or host=… dbname=… would otherwise be taken for a relative path and a
// new, empty SQLite file made there (and a key file beside it). The message does not repeat the
// value: it may hold a password.
func CheckDSN(dsn string) error {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return nil
	}
	if strings.TrimSpace(dsn) == "" {
		return xiezuo.Errorf(xiezuo.EINVALID, "没有指定数据库：请用 --db 或环境变量 XIEZUO_DB 给出 SQLite 文件路径或 postgres:// 地址")
	}
	if notPath.MatchString(dsn) {
		return xiezuo.Errorf(xiezuo.EINVALID, "所给的数据库既不是 SQLite 文件的路径，也不是 postgres:// 或 postgresql:// 地址："+
			"SQLite 请直接写文件路径（如 data/xiezuo.db），不加前缀；PostgreSQL 请写成 postgres://用户@主机:端口/数据库")
	}
	return nil
}

// Open opens the database named by dsn and brings its schema up to date. A dsn starting with
// postgres:// or postgresql:// is a PostgreSQL URL; anything else is the path of a SQLite file,
// created with its folder when missing.
func Open(ctx context.Context, dsn string) (*DB, error) {
	return openTo(ctx, dsn, "")
}

// OpenAsIs opens the database named by dsn as it is, without applying a migration: for reading
// a database to copy it (xiezuo backup), whose schema is the copy's to record, not the
// reader's to change. The database must exist and be one of xiezuo's.
func OpenAsIs(ctx context.Context, dsn string) (*DB, error) {
	isPG := strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
	if !isPG {
		file := strings.TrimPrefix(dsn, "file:")
		if i := strings.IndexByte(file, '?'); i >= 0 {
			file = file[:i]
		}
		if _, err := os.Stat(file); err != nil {
			return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "数据库文件 %s 不存在", file)
		}
	}
	var (
		db  *DB
		err error
	)
	if isPG {
		db, err = open("pgx", dsn, postgresDialect)
	} else {
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	db.dsn = dsn
	if _, err := appliedMigrations(ctx, db.db); err != nil {
		db.writer.Close()
		db.db.Close()
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "这不是 xiezuo 的数据库（没有 schema_migrations 表），或数据库无法读取")
	}
	return db, nil
}

// openTo is Open applying the migrations up to the one named last (all when last is empty).
func openTo(ctx context.Context, dsn, last string) (*DB, error) {
	if err := CheckDSN(dsn); err != nil {
		return nil, err
	}
	var (
		db  *DB
		err error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err = openPostgres(dsn)
		if err == nil {
			// database/sql keeps 2 idle connections unless told: under 32 concurrent
			// requests every other query opened a connection (a new server process) and
			// lost pgx's prepared statements with it. A bound keeps several instances
			// within PostgreSQL's max_connections (100 by default: 3 instances of 30).
			db.db.SetMaxOpenConns(postgresConns)
			db.db.SetMaxIdleConns(postgresConns)
		}
	} else {
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	db.dsn = dsn
	if err := db.migrateTo(ctx, last); err != nil {
		db.writer.Close()
		db.db.Close()
		return nil, translate(fmt.Errorf("open database: %w", err))
	}
	return db, nil
}

func openSQLite(file string) (*DB, error) {
	if file == "" {
		return nil, fmt.Errorf("open database: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := restrictFile(file); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// busy_timeout first, so that setting WAL on a busy file waits instead of failing; the
	// driver runs busy_timeout before the other pragmas whatever their order. Writers take
	// the lock when they begin, not at their first write, so that two of them never
	// deadlock upgrading a read lock.
	q := "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db := wrap(openSQLitePool(file+"?"+q), sqliteDialect)
	// Each connection keeps a page cache of its own; SQLite runs one writer at a time and
	// readers need no more connections than cores to keep them busy. A bounded pool keeps a
	// server under load from holding a cache per waiting request.
	n := 2*runtime.NumCPU() + 2
	db.db.SetMaxOpenConns(n)
	db.db.SetMaxIdleConns(n)
	w := openSQLitePool(file + "?" + q)
	// SQLite runs one writer at a time: a second connection would only wait in SQLite.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	db.writer = w
	return db, nil
}

// restrictFile makes the SQLite file readable by its owner only: it holds the users, the audit
// log and sealed personal data. A missing file is created with mode 0600 before SQLite opens it,
// and SQLite gives its -wal and -shm files the mode of the database file; an existing file (and
// its -wal and -shm) readable by others is narrowed to 0600.
func restrictFile(file string) error {
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, name := range []string{file, file + "-wal", file + "-shm"} {
		info, err := os.Stat(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(name, 0o600); err != nil {
				return err
			}
		}
	}
	return nil
}

func open(driver, dsn string, d dialect) (*DB, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return wrap(db, d), nil
}

func wrap(db *sql.DB, d dialect) *DB {
	return &DB{db: db, writer: db, dialect: d, now: time.Now, seal: newSealer(), group: newCommitter()}
}

// Ping reports whether the database answers: what /healthz asks before it says the instance
// can serve.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Close chains the audit entries still waiting, then closes the database.
func (db *DB) Close() error {
	db.stopGroup()
	db.stopSealer()
	db.writer.Close() // on PostgreSQL db.db: closing twice is harmless
	return db.db.Close()
}

//go:embed migrations
var migrations embed.FS

// migrateTo applies, in name order, each migration of the dialect not yet recorded in
// schema_migrations, each in its own transaction. When none is pending it only reads, so that
// an application role that may not change the schema opens a current database; when some
// are pending and the role may not apply them, the error says who must.
// It stops after the migration named last (all of them when last is empty): a restore brings
// a new database to its backup's schema first.
func (db *DB) migrateTo(ctx context.Context, last string) error {
	names, err := fs.Glob(migrations, path.Join("migrations", db.dialect.name, "*.sql"))
	if err != nil {
		return err
	}
	slices.Sort(names)
	if last != "" {
		names = slices.DeleteFunc(names, func(n string) bool { return path.Base(n) > last })
	}
	done := map[string]bool{}
	// A database never migrated has no schema_migrations: every migration is pending then.
	_ = each(ctx, db.db, `SELECT name FROM schema_migrations`, nil, func(rows *sql.Rows) error {
		var n string
		err := rows.Scan(&n)
		done[n] = true
		return err
	})
	var pending []string
	for _, name := range names {
		if !done[path.Base(name)] {
			pending = append(pending, name)
		}
	}
	for _, name := range pending {
		if err := db.migrateFile(ctx, name); err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "42501" { // insufficient privilege
				return xiezuo.Errorf(xiezuo.EINVALID, "数据库结构不是最新（待执行的迁移：%s），当前数据库用户无权修改结构："+
					"请先以表的所有者运行 xiezuo migrate --db postgres://所有者@…，再启动", strings.Join(baseNames(pending), "、"))
			}
			return fmt.Errorf("migration %s: %w", path.Base(name), err)
		}
	}
	return nil
}

// Migrate brings the schema of the database at dsn up to date, as Open does, and returns the
// names of every migration the database now holds (those applied before and those it applied). Run it as the owner of the tables when the application
// runs as a role that may not change them (see GrantApp).
func Migrate(ctx context.Context, dsn string) ([]string, error) {
	db, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	applied, err := appliedMigrations(ctx, db.db)
	if err != nil {
		return nil, translate(fmt.Errorf("migrate: %w", err))
	}
	return applied, nil
}

func baseNames(names []string) []string {
	var b []string
	for _, n := range names {
		b = append(b, path.Base(n))
	}
	return b
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.begin(ctx, "migrate")
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY,
		applied_at TIMESTAMP NOT NULL
	)`
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return err
	}
	var n int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = $1`, path.Base(name)).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	buf, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
		path.Base(name), db.now().UTC())
	if err != nil {
		return err
	}
	return tx.Commit()
}

// begin starts a write transaction holding the lock on key (see dialect.lock).
func (db *DB) begin(ctx context.Context, key string) (*sql.Tx, error) {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if err := db.lock(ctx, tx, key); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

// lock takes, inside tx, the lock on key (see dialect.lock); it is held until tx ends. The
// empty key locks nothing: a write that needs no lock (a new report) says so.
func (db *DB) lock(ctx context.Context, tx *sql.Tx, key string) error {
	if db.dialect.lock == "" || key == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, db.dialect.lock, lockID(key))
	return err
}

// beginRead starts a read-only transaction that sees one snapshot of the database.
func (db *DB) beginRead(ctx context.Context) (*sql.Tx, error) {
	return db.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
}

// Embedded reports whether the database is the embedded SQLite file, whose one writer
// connection a long write holds from others (pages bound such writes).
func (db *DB) Embedded() bool { return db.dialect.name == "sqlite" }

// appliedMigrations are the names of the migrations the database has applied, in order.
func appliedMigrations(ctx context.Context, q querier) ([]string, error) {
	var applied []string
	err := each(ctx, q, `SELECT name FROM schema_migrations ORDER BY name`, nil, func(rows *sql.Rows) error {
		var n string
		err := rows.Scan(&n)
		applied = append(applied, n)
		return err
	})
	return applied, err
}
