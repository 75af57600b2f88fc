package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"xiezuo"
)

// APIToken is a token a user made for programs calling the JSON API in its name. Only the
// SHA-256 of its secret is stored, and it is never shown again.
type APIToken struct {
	ID        int64
	UserID    int64
	Name      string // what the user calls it, e.g. 报表脚本
	CreatedAt time.Time
	LastUsed  time.Time // zero when never used; stamped at most once a minute
}

// CreateAPIToken stores a token of the user, by the 32-byte SHA-256 of its secret, and returns
// its id.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string, tokenHash []byte, at time.Time) (int64, error) {
	name = strings.TrimSpace(name)
	switch {
	case len(tokenHash) != 32:
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "API 令牌应以其 SHA-256 摘要保存")
	case name == "":
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "请为 API 令牌起一个名称")
	case utf8.RuneCountInString(name) > 100:
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "API 令牌的名称不能超过 100 个字")
	}
	var id int64
	err := db.changeUser(ctx, userID, AuditAPITokenCreate, func(tx *sql.Tx, e *AuditEntry) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)
			RETURNING id`, userID, name, tokenHash, at.UTC().Truncate(time.Microsecond)).Scan(&id)
		e.ObjectType, e.ObjectID, e.ObjectLabel = "apitoken", strconv.FormatInt(id, 10), name
		e.Detail = "为账号 " + strconv.FormatInt(userID, 10) + " 创建 API 令牌"
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// UserByAPITokenHash returns the user whose token has the hash, and stamps the token's last use
// with at. ENOTFOUND when no token has the hash, EFORBIDDEN when its user is disabled.
func (db *DB) UserByAPITokenHash(ctx context.Context, hash []byte, at time.Time) (*xiezuo.User, error) {
	var id, userID int64
	var last sql.Null[time.Time]
	err := db.db.QueryRowContext(ctx, `SELECT id, user_id, last_used FROM api_tokens WHERE token_hash = $1`, hash).
		Scan(&id, &userID, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "API 令牌无效或已撤销")
	}
	if err != nil {
		return nil, translate(fmt.Errorf("find api token: %w", err))
	}
	u, err := db.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, xiezuo.Errorf(xiezuo.EFORBIDDEN, "账号已停用")
	}
	at = at.UTC().Truncate(time.Microsecond)
	if !last.Valid || last.V.Before(at.Add(-touchEvery)) {
		if _, err := db.db.ExecContext(ctx, `UPDATE api_tokens SET last_used = $2 WHERE id = $1`, id, at); err != nil {
			return nil, translate(fmt.Errorf("stamp api token %d: %w", id, err))
		}
	}
	return u, nil
}

// RevokeAPIToken deletes the user's token id; ENOTFOUND when the user has no such token.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	return db.changeUser(ctx, userID, AuditAPITokenRevoke, func(tx *sql.Tx, e *AuditEntry) error {
		var name string
		err := tx.QueryRowContext(ctx, `DELETE FROM api_tokens WHERE id = $1 AND user_id = $2 RETURNING name`, id, userID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个 API 令牌")
		}
		e.ObjectType, e.ObjectID, e.ObjectLabel = "apitoken", strconv.FormatInt(id, 10), name
		e.Detail = "撤销账号 " + strconv.FormatInt(userID, 10) + " 的 API 令牌"
		return err
	})
}

// APITokens lists the user's tokens in the order they were made.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var ts []APIToken
	err := each(ctx, db.db, `
		SELECT id, user_id, name, created_at, last_used FROM api_tokens
		WHERE user_id = $1 ORDER BY id`, []any{userID},
		func(rows *sql.Rows) error {
			var t APIToken
			var last sql.Null[time.Time]
			if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &last); err != nil {
				return err
			}
			t.CreatedAt = t.CreatedAt.UTC()
			if last.Valid {
				t.LastUsed = last.V.UTC()
			}
			ts = append(ts, t)
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("list api tokens: %w", err))
	}
	return ts, nil
}
