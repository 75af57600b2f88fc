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
	Username  string // the sign-in name of its user
	UserName  string // the name of its user, e.g. 张三
	Name      string // what the user calls it, e.g. 报表脚本
	CreatedAt time.Time
	ExpiresAt time.Time // it is refused from then on
	LastUsed  time.Time // zero when never used; stamped at most once a minute
}

// Expired reports whether the token is refused at t for its age.
func (t *APIToken) Expired(at time.Time) bool { return !at.Before(t.ExpiresAt) }

// expiry is when a token ends: the stored date, or for a token made before tokens had one,
// the default time after it was made.
func expiry(created time.Time, expires sql.Null[time.Time]) time.Time {
	if expires.Valid {
		return expires.V.UTC()
	}
	return created.UTC().AddDate(0, 0, xiezuo.APITokenDays)
}

// CreateAPIToken stores a token of the user, by the 32-byte SHA-256 of its secret, made at at
// and refused from expires on (see xiezuo.APITokenExpiry), and returns its id.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string, tokenHash []byte, at, expires time.Time) (int64, error) {
	name = strings.TrimSpace(name)
	switch {
	case len(tokenHash) != 32:
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "API 令牌应以其 SHA-256 摘要保存")
	case name == "":
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "请为 API 令牌起一个名称")
	case utf8.RuneCountInString(name) > 100:
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "API 令牌的名称不能超过 100 个字")
	case !expires.After(at):
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "API 令牌的有效期应在创建之后")
	}
	at, expires = at.UTC().Truncate(time.Microsecond), expires.UTC().Truncate(time.Microsecond)
	var id int64
	err := db.changeUser(ctx, userID, AuditAPITokenCreate, func(tx *sql.Tx, e *AuditEntry) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, userID, name, tokenHash, at, expires).Scan(&id)
		who := e.ObjectLabel // 姓名（登录名）
		e.ObjectType, e.ObjectID, e.ObjectLabel = "apitoken", strconv.FormatInt(id, 10), name
		e.Detail = "为账号 " + who + " 创建 API 令牌，有效期至 " + expires.In(shanghai).Format("2006-01-02 15:04")
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// UserByAPITokenHash returns the user whose token has the hash, and stamps the token's last use
// with at. ENOTFOUND when no token has the hash; EFORBIDDEN when the token expired, or its user
// is disabled or locked at at. A password change revokes the user's tokens (SetPassword).
func (db *DB) UserByAPITokenHash(ctx context.Context, hash []byte, at time.Time) (*xiezuo.User, error) {
	t, err := db.tokenState(ctx, hash, 0)
	if err != nil {
		return nil, err
	}
	a, err := db.AccountByID(ctx, t.userID)
	if err != nil {
		return nil, err
	}
	t.disabled, t.lockedUntil = a.Disabled, a.LockedUntil
	if err := db.admitToken(ctx, t, at); err != nil {
		return nil, err
	}
	return &a.User, nil
}

// CheckAPIToken is UserByAPITokenHash for a caller that already holds the token's user,
// read a moment ago: it asks, in one query, whether the token is still there, unexpired,
// and its user userID neither disabled nor locked at at (with the same answers), and stamps
// the token's last use. The web layer keeps a token's user for a second or two and asks
// this on every request, so that revocation, expiry, a password change, a disabled or
// locked account take effect at once.
func (db *DB) CheckAPIToken(ctx context.Context, hash []byte, userID int64, at time.Time) error {
	t, err := db.tokenState(ctx, hash, userID)
	if err != nil {
		return err
	}
	return db.admitToken(ctx, t, at)
}

// tokenState is what decides whether a token is let in.
type tokenState struct {
	id, userID    int64
	created       time.Time
	last, expires sql.Null[time.Time]
	disabled      bool
	lockedUntil   time.Time
}

// tokenState reads the token with the hash; with userID, also its user's state, and the token
// must be that user's.
func (db *DB) tokenState(ctx context.Context, hash []byte, userID int64) (tokenState, error) {
	var t tokenState
	var err error
	if userID == 0 {
		err = db.db.QueryRowContext(ctx, `SELECT id, user_id, created_at, expires_at, last_used FROM api_tokens WHERE token_hash = $1`, hash).
			Scan(&t.id, &t.userID, &t.created, &t.expires, &t.last)
	} else {
		var locked sql.Null[time.Time]
		err = db.db.QueryRowContext(ctx, `SELECT t.id, t.user_id, t.created_at, t.expires_at, t.last_used, u.disabled, u.locked_until
			FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.user_id = $2`, hash, userID).
			Scan(&t.id, &t.userID, &t.created, &t.expires, &t.last, &t.disabled, &locked)
		t.lockedUntil = locked.V
	}
	if errors.Is(err, sql.ErrNoRows) {
		return t, xiezuo.Errorf(xiezuo.ENOTFOUND, "API 令牌无效或已撤销")
	}
	if err != nil {
		return t, translate(fmt.Errorf("find api token: %w", err))
	}
	return t, nil
}

// admitToken is the one rule of a token's use at at: unexpired, its user neither disabled nor
// locked; then its last use is stamped (at most once per touchEvery).
func (db *DB) admitToken(ctx context.Context, t tokenState, at time.Time) error {
	if !at.Before(expiry(t.created, t.expires)) {
		return xiezuo.Errorf(xiezuo.EFORBIDDEN, "API 令牌已于 %s 过期，请新建令牌", expiry(t.created, t.expires).In(shanghai).Format("2006-01-02 15:04"))
	}
	if t.disabled {
		return xiezuo.Errorf(xiezuo.EFORBIDDEN, "账号已停用")
	}
	if t.lockedUntil.After(at) {
		return xiezuo.Errorf(xiezuo.EFORBIDDEN, "账号已锁定，锁定期间 API 令牌不可用")
	}
	at = at.UTC().Truncate(time.Microsecond)
	if !t.last.Valid || t.last.V.Before(at.Add(-touchEvery)) {
		if _, err := db.db.ExecContext(ctx, `UPDATE api_tokens SET last_used = $2 WHERE id = $1`, t.id, at); err != nil {
			return translate(fmt.Errorf("stamp api token %d: %w", t.id, err))
		}
	}
	return nil
}

// RevokeAPIToken deletes the user's token id; ENOTFOUND when the user has no such token.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id int64) error {
	return db.changeUser(ctx, userID, AuditAPITokenRevoke, func(tx *sql.Tx, e *AuditEntry) error {
		var name string
		err := tx.QueryRowContext(ctx, `DELETE FROM api_tokens WHERE id = $1 AND user_id = $2 RETURNING name`, id, userID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个 API 令牌")
		}
		who := e.ObjectLabel // 姓名（登录名）
		e.ObjectType, e.ObjectID, e.ObjectLabel = "apitoken", strconv.FormatInt(id, 10), name
		e.Detail = "撤销账号 " + who + " 的 API 令牌"
		return err
	})
}

// RevokeAnyAPIToken deletes token id whoever made it: what the security administrator does.
// ENOTFOUND when there is no such token. It is audited like RevokeAPIToken, with ctx's actor.
func (db *DB) RevokeAnyAPIToken(ctx context.Context, id int64) error {
	var userID int64
	err := db.db.QueryRowContext(ctx, `SELECT user_id FROM api_tokens WHERE id = $1`, id).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个 API 令牌")
	}
	if err != nil {
		return translate(fmt.Errorf("revoke api token %d: %w", id, err))
	}
	return db.RevokeAPIToken(ctx, userID, id)
}

// APITokens lists the user's tokens in the order they were made.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	return db.apiTokens(ctx, "t.user_id = $1", []any{userID})
}

// AllAPITokens lists every user's tokens, by user and in the order they were made: what the
// security administrator reviews.
func (db *DB) AllAPITokens(ctx context.Context) ([]APIToken, error) {
	return db.apiTokens(ctx, "1 = 1", nil)
}

func (db *DB) apiTokens(ctx context.Context, cond string, args []any) ([]APIToken, error) {
	var ts []APIToken
	err := each(ctx, db.db, `
		SELECT t.id, t.user_id, u.username, u.name, t.name, t.created_at, t.expires_at, t.last_used
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE `+cond+` ORDER BY u.username, t.id`, args,
		func(rows *sql.Rows) error {
			var t APIToken
			var last, expires sql.Null[time.Time]
			if err := rows.Scan(&t.ID, &t.UserID, &t.Username, &t.UserName, &t.Name, &t.CreatedAt, &expires, &last); err != nil {
				return err
			}
			t.CreatedAt = t.CreatedAt.UTC()
			t.ExpiresAt = expiry(t.CreatedAt, expires)
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
