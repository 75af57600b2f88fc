package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"xiezuo"
)

// Setting returns the value of a setting of the security policy, and whether it is set.
func (db *DB) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, translate(fmt.Errorf("read setting %s: %w", key, err))
	}
	return v, true, nil
}

// Settings returns every setting that is set.
func (db *DB) Settings(ctx context.Context) (map[string]string, error) {
	m := map[string]string{}
	err := each(ctx, db.db, `SELECT key, value FROM settings`, nil, func(rows *sql.Rows) error {
		var k, v string
		err := rows.Scan(&k, &v)
		m[k] = v
		return err
	})
	if err != nil {
		return nil, translate(fmt.Errorf("read settings: %w", err))
	}
	return m, nil
}

// SetSetting sets a setting of the security policy. A change is audited with the value before
// and after; setting the value it has changes nothing.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.setSetting(ctx, key, value, entryFor(ctx, AuditSettingSet, "setting", key, key))
}

// setSetting sets a setting, audited by e (its action and object; the values before and after
// are filled in here).
func (db *DB) setSetting(ctx context.Context, key, value string, e *AuditEntry) error {
	key = strings.TrimSpace(key)
	if key == "" {
		return xiezuo.Errorf(xiezuo.EINVALID, "设置项缺少名称")
	}
	tx, err := db.begin(ctx, "settings")
	if err != nil {
		return translate(fmt.Errorf("set setting %s: %w", key, err))
	}
	defer tx.Rollback()
	var old sql.Null[string]
	err = tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return translate(fmt.Errorf("set setting %s: %w", key, err))
	}
	if old.Valid && old.V == value {
		return nil
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, db.now().UTC().Truncate(time.Microsecond))
	if err != nil {
		return translate(fmt.Errorf("set setting %s: %w", key, err))
	}
	if old.Valid {
		e.Before = mustJSON(old.V)
	}
	e.After = mustJSON(value)
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("set setting %s: %w", key, err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("set setting %s: %w", key, err))
	}
	return nil
}
