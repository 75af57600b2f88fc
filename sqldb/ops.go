package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"slices"
)

// Pool is the state of one connection pool, for /metrics.
type Pool struct {
	Name string // "read" and "write" on SQLite (the writer has one connection of its own); "main" on PostgreSQL
	sql.DBStats
}

// Pools returns the state of the database's connection pools, without a query.
func (db *DB) Pools() []Pool {
	if db.writer == db.db {
		return []Pool{{Name: "main", DBStats: db.db.Stats()}}
	}
	return []Pool{{Name: "read", DBStats: db.db.Stats()}, {Name: "write", DBStats: db.writer.Stats()}}
}

// PendingMigrations returns the names of the migrations this binary holds that the database
// has not recorded, in order: none when the schema is current. It is one query, so that a
// readiness check learns in one round trip both that the database answers and that its schema
// is the one this binary expects (an instance of a newer release before `xiezuo migrate` ran).
func (db *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	names, err := fs.Glob(migrations, path.Join("migrations", db.dialect.name, "*.sql"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	done := map[string]bool{}
	err = each(ctx, db.db, `SELECT name FROM schema_migrations`, nil, func(rows *sql.Rows) error {
		var n string
		err := rows.Scan(&n)
		done[n] = true
		return err
	})
	if err != nil {
		return nil, translate(fmt.Errorf("pending migrations: %w", err))
	}
	var pending []string
	for _, name := range names {
		if !done[path.Base(name)] {
			pending = append(pending, path.Base(name))
		}
	}
	return pending, nil
}

// AuditLength returns the sequence number of the audit log's last chained entry (0 when
// empty): the chain's length counted from its start, pruned entries included. One read of the
// primary key's last entry, cheap at any size; it chains nothing (AuditHead does).
func (db *DB) AuditLength(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	if err := db.db.QueryRowContext(ctx, `SELECT MAX(seq) FROM audit_log`).Scan(&seq); err != nil {
		return 0, translate(fmt.Errorf("audit length: %w", err))
	}
	return seq.Int64, nil
}
