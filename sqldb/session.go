package sqldb

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"xiezuo"
)

// Session is a signed-in browser. Sessions live in the database, so that any instance serves
// any request. A session is found by the SHA-256 of its token, in hex: the token itself, which
// only the browser holds, is never stored.
type Session struct {
	TokenHash        string // hex SHA-256 of the session token, 64 digits
	UserID           int64
	CSRF             string // the token forms of the session carry
	SecondFactorDone bool   // the second factor (TOTP) has been checked
	IP               string
	UserAgent        string
	CreatedAt        time.Time
	LastSeen         time.Time
}

// touchEvery is how stale last_seen may be before TouchSession writes it again.
const touchEvery = time.Minute

// checkTokenHash refuses anything but 64 hex digits, so that a token is never stored in clear
// by mistake.
func checkTokenHash(h string) error {
	if b, err := hex.DecodeString(h); err != nil || len(b) != 32 {
		return xiezuo.Errorf(xiezuo.EINVALID, "会话标识应为令牌的 SHA-256 十六进制摘要")
	}
	return nil
}

// sessionObject names a session in the audit log by the start of its hash: enough to follow
// it, useless to take it over.
func sessionObject(hash string) string { return hash[:16] }

// CreateSession stores a new session; times left zero are now. It is audited as the user's
// own, from the session's address.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	if err := checkTokenHash(s.TokenHash); err != nil {
		return err
	}
	if s.CSRF == "" {
		return xiezuo.Errorf(xiezuo.EINVALID, "会话缺少 CSRF 令牌")
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	if s.CreatedAt.IsZero() {
		s.CreatedAt = now
	}
	if s.LastSeen.IsZero() {
		s.LastSeen = s.CreatedAt
	}
	s.UserAgent = truncateRunes(s.UserAgent, 512)
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(s.UserID, 10))
	if err != nil {
		return translate(fmt.Errorf("create session: %w", err))
	}
	defer tx.Rollback()
	e := entryFor(ctx, AuditSessionCreate, "session", sessionObject(s.TokenHash), "")
	if err := authEntry(ctx, tx, s.UserID, e); errors.Is(err, sql.ErrNoRows) {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	} else if err != nil {
		return translate(fmt.Errorf("create session: %w", err))
	}
	if e.IP == "" {
		e.IP = s.IP
	}
	e.Detail = "浏览器：" + s.UserAgent
	_, err = tx.ExecContext(ctx, `
		INSERT INTO sessions (token_hash, user_id, csrf, second_factor, ip, user_agent, created_at, last_seen)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.TokenHash, s.UserID, s.CSRF, s.SecondFactorDone, s.IP, s.UserAgent,
		s.CreatedAt.UTC().Truncate(time.Microsecond), s.LastSeen.UTC().Truncate(time.Microsecond))
	if err != nil {
		return translate(fmt.Errorf("create session: %w", err))
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("create session: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("create session: %w", err))
	}
	return nil
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// SessionByHash returns the session with the token hash and its user; ENOTFOUND when there is
// none. It does not judge the session: the caller checks its age, its idleness, its second
// factor and whether the user is disabled.
func (db *DB) SessionByHash(ctx context.Context, hash string) (Session, *xiezuo.User, error) {
	var s Session
	err := db.db.QueryRowContext(ctx, `
		SELECT token_hash, user_id, csrf, second_factor, ip, user_agent, created_at, last_seen
		FROM sessions WHERE token_hash = $1`, hash).Scan(
		&s.TokenHash, &s.UserID, &s.CSRF, &s.SecondFactorDone, &s.IP, &s.UserAgent, &s.CreatedAt, &s.LastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "会话已失效，请重新登录")
	}
	if err != nil {
		return Session{}, nil, translate(fmt.Errorf("find session: %w", err))
	}
	s.CreatedAt, s.LastSeen = s.CreatedAt.UTC(), s.LastSeen.UTC()
	u, err := db.UserByID(ctx, s.UserID)
	if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
		return Session{}, nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "会话已失效，请重新登录")
	}
	if err != nil {
		return Session{}, nil, err
	}
	return s, u, nil
}

// TouchSession records that the session was used at at. It writes only when the stored time
// is a minute old or more, so that calling it on every request costs one indexed update that
// mostly changes nothing. It is not audited, and a missing session is no error.
func (db *DB) TouchSession(ctx context.Context, hash string, at time.Time) error {
	at = at.UTC().Truncate(time.Microsecond)
	_, err := db.db.ExecContext(ctx, `UPDATE sessions SET last_seen = $2 WHERE token_hash = $1 AND last_seen < $3`,
		hash, at, at.Add(-touchEvery))
	if err != nil {
		return translate(fmt.Errorf("touch session: %w", err))
	}
	return nil
}

// SetSessionSecondFactor records that the session passed its second factor; ENOTFOUND when
// there is no such session.
func (db *DB) SetSessionSecondFactor(ctx context.Context, hash string) error {
	if err := checkTokenHash(hash); err != nil {
		return err
	}
	return db.changeSessions(ctx, AuditSessionVerified, sessionObject(hash),
		`UPDATE sessions SET second_factor = $2 WHERE token_hash = $1 RETURNING user_id`, []any{hash, true},
		func(n int64, e *AuditEntry) error {
			if n == 0 {
				return xiezuo.Errorf(xiezuo.ENOTFOUND, "会话已失效，请重新登录")
			}
			e.Detail = "通过第二因素认证"
			return nil
		})
}

// DeleteSession ends a session: sign-out. Ending a session that is gone is no error.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	if err := checkTokenHash(hash); err != nil {
		return err
	}
	return db.changeSessions(ctx, AuditSessionDelete, sessionObject(hash),
		`DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id`, []any{hash},
		func(n int64, e *AuditEntry) error {
			if n == 0 {
				return errNothing
			}
			e.Detail = "退出登录"
			return nil
		})
}

// DeleteUserSessions ends every session of the user, as after a password reset or when an
// account is taken over, and returns how many it ended.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	var ended int64
	var username, name string
	err := db.db.QueryRowContext(ctx, `SELECT username, name FROM users WHERE id = $1`, userID).Scan(&username, &name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, translate(fmt.Errorf("delete sessions of user %d: %w", userID, err))
	}
	err = db.changeSessions(ctx, AuditSessionsRevoke, "",
		`DELETE FROM sessions WHERE user_id = $1 RETURNING user_id`, []any{userID},
		func(n int64, e *AuditEntry) error {
			ended = n
			if n == 0 {
				return errNothing
			}
			e.ObjectType, e.ObjectID = "user", strconv.FormatInt(userID, 10)
			if username != "" {
				e.ObjectLabel = name + "（" + username + "）"
			}
			e.Detail = fmt.Sprintf("结束该账号的全部会话 %d 个", n)
			return nil
		})
	return ended, err
}

// DeleteIdleSessions ends the sessions last seen before before, and returns how many it ended.
// Instances may call it at once: each session is ended once.
func (db *DB) DeleteIdleSessions(ctx context.Context, before time.Time) (int64, error) {
	var ended int64
	err := db.changeSessions(ctx, AuditSessionsExpire, "",
		`DELETE FROM sessions WHERE last_seen < $1 RETURNING user_id`, []any{before.UTC()},
		func(n int64, e *AuditEntry) error {
			ended = n
			if n == 0 {
				return errNothing
			}
			e.Detail = fmt.Sprintf("结束 %s 之后未再使用的会话 %d 个", before.In(shanghai).Format("2006-01-02 15:04:05"), n)
			return nil
		})
	return ended, err
}

// errNothing tells changeSessions that nothing changed: nothing to audit, no error.
var errNothing = errors.New("nothing changed")

// changeSessions runs query, which returns the user_id of each session it changes, and the
// audit entry done completes from the number of sessions changed, in one transaction. A
// single session's entry is the user's own when nobody is signed in.
func (db *DB) changeSessions(ctx context.Context, action, object, query string, args []any, done func(n int64, e *AuditEntry) error) error {
	tx, err := db.begin(ctx, "sessions")
	if err != nil {
		return translate(fmt.Errorf("%s: %w", action, err))
	}
	defer tx.Rollback()
	var users []int64
	err = each(ctx, tx, query, args, func(rows *sql.Rows) error {
		var id int64
		users = append(users, id)
		return rows.Scan(&users[len(users)-1])
	})
	if err != nil {
		return translate(fmt.Errorf("%s: %w", action, err))
	}
	e := entryFor(ctx, action, "session", object, "")
	switch err := done(int64(len(users)), e); {
	case errors.Is(err, errNothing):
		return nil
	case err != nil:
		return err
	}
	if object != "" && len(users) == 1 {
		if err := authEntry(ctx, tx, users[0], e); err != nil {
			return translate(fmt.Errorf("%s: %w", action, err))
		}
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("%s: %w", action, err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("%s: %w", action, err))
	}
	return nil
}
