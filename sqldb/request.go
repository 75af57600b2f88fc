package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// Kinds of account request.
const (
	RequestGrant = "grant" // give an account privileged roles
	RequestReset = "reset" // reset the password of a privileged account
	// RequestRevoke drops a security or audit administrator's role: Roles are all of the
	// account's roles after approval (xiezuo.RemovalWaits).
	RequestRevoke  = "revoke"
	RequestDisable = "disable" // disable an account holding a security or audit administrator's role
)

// Decisions on an account request.
const (
	DecisionApprove = "approve"
	DecisionReject  = "reject"
)

// Audit actions of account requests.
const (
	AuditAccountRequest = "account.request" // a grant or reset was asked
	AuditAccountDecide  = "account.decide"  // the security administrator approved or rejected it
	AuditAccountHalf    = "account.half"    // the system administrator was shown its half of a password
)

// fieldHalf is the field a password half is sealed under.
const fieldHalf = "account_requests.half"

// AccountRequest is a grant of privileged roles, a reset of a privileged account's password,
// or the removal of a security or audit administrator (revoke, disable), that waits for a security administrator (三员分立). It is a dated fact: asked once, decided
// once, never changed after. RequestedBy and DecidedBy are 0 for the system (the operator on the
// server).
type AccountRequest struct {
	ID              int64
	Kind            string // RequestGrant, RequestReset, RequestRevoke or RequestDisable
	UserID          int64
	Username        string // of the account
	UserName        string // person's name of the account
	Roles           []string
	RequestedBy     int64
	RequestedByName string
	RequestedAt     time.Time
	DecidedBy       int64
	DecidedByName   string
	DecidedAt       time.Time
	Decision        string // "" while pending, DecisionApprove or DecisionReject
	Reason          string
	HalfWaiting     bool // the system administrator's half of a new password waits to be shown
}

// Pending reports whether the request waits for a decision.
func (r *AccountRequest) Pending() bool { return r.Decision == "" }

// RequestFilter selects account requests; zero fields select all.
type RequestFilter struct {
	UserID  int64
	Pending bool // only those waiting for a decision
	// Open: those waiting for a decision or whose system administrator's half waits to be shown.
	Open  bool
	Limit int // at most this many, newest first; 0 for 200
}

// RequestGrant asks that the user hold roles (all of its roles after approval), for a security
// administrator to decide; ctx's actor asks. ECONFLICT when a grant for the user already waits.
func (db *DB) RequestGrant(ctx context.Context, userID int64, roles []string) (*AccountRequest, error) {
	var clean []string
	for _, r := range roles {
		if !slices.Contains(xiezuo.Roles, r) {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "未知角色「%s」，应为 %s 之一", r, strings.Join(xiezuo.Roles, "、"))
		}
		if !slices.Contains(clean, r) {
			clean = append(clean, r)
		}
	}
	if len(clean) == 0 {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "请至少选择一个角色")
	}
	sortRoles(clean)
	return db.newRequest(ctx, RequestGrant, userID, clean)
}

// RequestReset asks that the user's password be reset, for a security administrator to decide.
func (db *DB) RequestReset(ctx context.Context, userID int64) (*AccountRequest, error) {
	return db.newRequest(ctx, RequestReset, userID, nil)
}

func (db *DB) newRequest(ctx context.Context, kind string, userID int64, roles []string) (*AccountRequest, error) {
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(userID, 10))
	if err != nil {
		return nil, translate(fmt.Errorf("request %s: %w", kind, err))
	}
	defer tx.Rollback()
	var username, name string
	err = tx.QueryRowContext(ctx, `SELECT username, name FROM users WHERE id = $1`, userID).Scan(&username, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	} else if err != nil {
		return nil, translate(fmt.Errorf("request %s: %w", kind, err))
	}
	r, err := db.request(ctx, tx, kind, userID, name+"（"+username+"）", roles, db.now().UTC().Truncate(time.Microsecond))
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, translate(fmt.Errorf("request %s: %w", kind, err))
	}
	return r, nil
}

// request stores a pending request in tx, audited.
func (db *DB) request(ctx context.Context, tx *sql.Tx, kind string, userID int64, label string, roles []string, at time.Time) (*AccountRequest, error) {
	actor := ActorFrom(ctx)
	r := &AccountRequest{Kind: kind, UserID: userID, Roles: roles, RequestedBy: actor.UserID, RequestedAt: at}
	err := tx.QueryRowContext(ctx, `
		INSERT INTO account_requests (kind, user_id, roles, requested_by, requested_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		kind, userID, strings.Join(roles, ","), nullID(actor.UserID), at).Scan(&r.ID)
	if err != nil {
		return nil, translate(fmt.Errorf("request %s: %w", kind, err))
	}
	e := entryFor(ctx, AuditAccountRequest, "user", strconv.FormatInt(userID, 10), label)
	e.Detail = fmt.Sprintf("申请 %d：%s，待安全管理员批准", r.ID, requestWhat(kind, roles))
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return nil, translate(fmt.Errorf("request %s: %w", kind, err))
	}
	return r, nil
}

// requestWhat says in words what a request asks.
func requestWhat(kind string, roles []string) string {
	switch kind {
	case RequestReset:
		return "重置密码"
	case RequestDisable:
		return "停用账号（安全管理员或审计管理员）"
	}
	var names []string
	for _, r := range roles {
		names = append(names, xiezuo.RoleNames[r])
	}
	if kind == RequestRevoke {
		return "取消安全管理员或审计管理员角色，改为 " + strings.Join(names, "、")
	}
	return "授予角色 " + strings.Join(names, "、")
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// RecordApprovedGrant records that the system (the operator on the server: seeding, `xiezuo
// user add`) gave the user its roles, approved at once; the user already holds them. It is
// audited like any request and decision.
func (db *DB) RecordApprovedGrant(ctx context.Context, userID int64, roles []string, reason string) error {
	return db.changeUser(ctx, userID, AuditAccountDecide, func(tx *sql.Tx, e *AuditEntry) error {
		now := db.now().UTC().Truncate(time.Microsecond)
		var id int64
		err := tx.QueryRowContext(ctx, `
			INSERT INTO account_requests (kind, user_id, roles, requested_at, decided_at, decision, reason)
			VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING id`,
			RequestGrant, userID, strings.Join(roles, ","), now, DecisionApprove, reason).Scan(&id)
		e.Detail = fmt.Sprintf("申请 %d：%s，由系统批准（%s）", id, requestWhat(RequestGrant, roles), reason)
		return err
	})
}

// Decision is a security administrator's decision on a request.
type Decision struct {
	Approve bool
	Reason  string
	// PasswordHash is the hash of a new password, and Half the half of it the system
	// administrator is to hand over (stored sealed until shown): used when the approval sets a
	// password — a reset, or a grant to an account that held no privileged role.
	PasswordHash string
	Half         string
}

// DecideRequest records ctx's actor's decision on request id and, on approval, applies it: a
// grant or a revoke gives the account the roles asked (a grant also a new password, must be
// changed, when the account held no privileged role before); a disable disables the account
// and ends its sessions; neither a revoke nor a disable removes the last enabled security or
// audit administrator (ECONFLICT, as in UpdateUser); a reset sets the new password, to be
// changed at next sign-in, and ends the account's sessions. An enrolled second factor stays. It
// reports whether a password was set. Refused, EFORBIDDEN, when the actor asked for it or it
// concerns the actor's own account; ECONFLICT when it was decided already. Audited.
func (db *DB) DecideRequest(ctx context.Context, id int64, d Decision) (passwordSet bool, err error) {
	actor := ActorFrom(ctx)
	d.Reason = strings.TrimSpace(d.Reason)
	switch {
	case actor.UserID == 0:
		return false, xiezuo.Errorf(xiezuo.EFORBIDDEN, "须由安全管理员批准")
	case d.Reason == "":
		return false, xiezuo.Errorf(xiezuo.EINVALID, "请填写批准或驳回的理由")
	}
	r, err := db.AccountRequestByID(ctx, id)
	if err != nil {
		return false, err
	}
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(r.UserID, 10))
	if err != nil {
		return false, translate(fmt.Errorf("decide request %d: %w", id, err))
	}
	defer tx.Rollback()
	if r, err = db.requestIn(ctx, tx, id); err != nil {
		return false, err
	}
	switch {
	case !r.Pending():
		return false, xiezuo.Errorf(xiezuo.ECONFLICT, "申请 %d 已于 %s 处理", id, r.DecidedAt.In(shanghai).Format("2006-01-02 15:04"))
	case r.RequestedBy == actor.UserID:
		return false, xiezuo.Errorf(xiezuo.EFORBIDDEN, "不能批准或驳回自己提出的申请")
	case r.UserID == actor.UserID:
		return false, xiezuo.Errorf(xiezuo.EFORBIDDEN, "不能批准或驳回关于自己账号的申请")
	}
	olds, err := db.accounts(ctx, tx, "u.id = $1", []any{r.UserID})
	if err != nil || len(olds) == 0 {
		return false, translate(fmt.Errorf("decide request %d: read user: %w", id, err))
	}
	old := olds[0].User
	now := db.now().UTC().Truncate(time.Microsecond)
	decision := DecisionReject
	e := entryFor(ctx, AuditAccountDecide, "user", strconv.FormatInt(r.UserID, 10), userLabel(&old))
	e.Detail = fmt.Sprintf("驳回申请 %d（%s）：%s", id, requestWhat(r.Kind, r.Roles), d.Reason)
	if d.Approve {
		decision = DecisionApprove
		e.Detail = fmt.Sprintf("批准申请 %d（%s）：%s", id, requestWhat(r.Kind, r.Roles), d.Reason)
		next := old
		switch r.Kind {
		case RequestRevoke:
			next.Roles = r.Roles
		case RequestDisable:
			next.Disabled = true
		}
		if err := db.keepLastAdmins(ctx, tx, &old, &next); err != nil {
			return false, err
		}
		if r.Kind == RequestDisable {
			for _, q := range []string{`UPDATE users SET disabled = $2 WHERE id = $1`, `DELETE FROM sessions WHERE user_id = $1`, `DELETE FROM api_tokens WHERE user_id = $1`} {
				args := []any{r.UserID}
				if strings.Contains(q, "$2") {
					args = append(args, true)
				}
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return false, translate(fmt.Errorf("decide request %d: %w", id, err))
				}
			}
			e.Before, e.After = mustJSON(recordOf(&old)), mustJSON(recordOf(&next))
		}
		if r.Kind == RequestGrant || r.Kind == RequestRevoke {
			if err := xiezuo.CheckRoles(r.Roles, old.District); err != nil {
				return false, err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1`, r.UserID); err != nil {
				return false, translate(fmt.Errorf("decide request %d: %w", id, err))
			}
			for _, role := range r.Roles {
				if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, r.UserID, role); err != nil {
					return false, translate(fmt.Errorf("decide request %d: %w", id, err))
				}
			}
			next.Roles = r.Roles
			e.Before, e.After = mustJSON(recordOf(&old)), mustJSON(recordOf(&next))
		}
		passwordSet = r.Kind == RequestReset || (r.Kind == RequestGrant && !old.Privileged())
		if passwordSet {
			if err := db.setHalves(ctx, tx, r, d, now); err != nil {
				return false, err
			}
			e.Detail += "；已生成新密码（双人控制：安全管理员、系统管理员各持一半），首次登录须修改"
		}
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE account_requests SET decided_by = $2, decided_at = $3, decision = $4, reason = $5
		WHERE id = $1 AND decision IS NULL`, id, actor.UserID, now, decision, d.Reason)
	if err != nil {
		return false, translate(fmt.Errorf("decide request %d: %w", id, err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, xiezuo.Errorf(xiezuo.ECONFLICT, "申请 %d 已处理", id)
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return false, translate(fmt.Errorf("decide request %d: %w", id, err))
	}
	if err := tx.Commit(); err != nil {
		return false, translate(fmt.Errorf("decide request %d: %w", id, err))
	}
	return passwordSet, nil
}

// setHalves sets the new password of r's account and keeps the system administrator's half
// sealed; the account's sessions end. The second factor is left as it is.
func (db *DB) setHalves(ctx context.Context, tx *sql.Tx, r *AccountRequest, d Decision, now time.Time) error {
	if !strings.HasPrefix(d.PasswordHash, "$") || d.Half == "" {
		return xiezuo.Errorf(xiezuo.EINVALID, "缺少新密码，不能批准")
	}
	if db.sealer == nil {
		return errNoKey()
	}
	sealed, err := db.sealer.Seal([]byte(d.Half), fieldHalf)
	if err != nil {
		return fmt.Errorf("seal half: %w", err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE users SET password_hash = $2, password_at = $3, must_change = $4, failed_count = 0, locked_until = NULL WHERE id = $1`,
			[]any{r.UserID, d.PasswordHash, now, true}},
		{`DELETE FROM sessions WHERE user_id = $1`, []any{r.UserID}},
		{`DELETE FROM api_tokens WHERE user_id = $1`, []any{r.UserID}},
		{`INSERT INTO account_request_halves (request_id, half_sealed) VALUES ($1, $2)`, []any{r.ID, sealed}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return translate(fmt.Errorf("decide request %d: %w", r.ID, err))
		}
	}
	return nil
}

// TakeHalf returns the system administrator's half of the password request id set, once: it is
// deleted as it is read, and the showing audited. ENOTFOUND when there is none (not approved, no
// password set, or shown already).
func (db *DB) TakeHalf(ctx context.Context, id int64) (string, error) {
	r, err := db.AccountRequestByID(ctx, id)
	if err != nil {
		return "", err
	}
	if db.sealer == nil {
		return "", errNoKey()
	}
	var half []byte
	err = db.changeUser(ctx, r.UserID, AuditAccountHalf, func(tx *sql.Tx, e *AuditEntry) error {
		var sealed []byte
		err := tx.QueryRowContext(ctx, `SELECT half_sealed FROM account_request_halves WHERE request_id = $1`, id).Scan(&sealed)
		if errors.Is(err, sql.ErrNoRows) {
			return xiezuo.Errorf(xiezuo.ENOTFOUND, "申请 %d 没有待交付的密码后半段（未批准，或已显示过）", id)
		} else if err != nil {
			return err
		}
		if half, err = db.sealer.Open(sealed, fieldHalf); err != nil {
			return fmt.Errorf("open half: %w", err)
		}
		e.Detail = fmt.Sprintf("申请 %d：系统管理员查看新密码的后半段（只显示一次）", id)
		_, err = tx.ExecContext(ctx, `DELETE FROM account_request_halves WHERE request_id = $1`, id)
		return err
	})
	if err != nil {
		return "", err
	}
	return string(half), nil
}

// AccountRequestByID returns the request; ENOTFOUND when there is none.
func (db *DB) AccountRequestByID(ctx context.Context, id int64) (*AccountRequest, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("find request %d: %w", id, err))
	}
	defer tx.Rollback()
	return db.requestIn(ctx, tx, id)
}

func (db *DB) requestIn(ctx context.Context, q querier, id int64) (*AccountRequest, error) {
	rs, err := db.requests(ctx, q, "r.id = $1", []any{id}, 1)
	if err != nil {
		return nil, translate(fmt.Errorf("find request %d: %w", id, err))
	}
	if len(rs) == 0 {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这项申请")
	}
	return &rs[0], nil
}

// AccountRequests lists the requests f selects, newest first.
func (db *DB) AccountRequests(ctx context.Context, f RequestFilter) ([]AccountRequest, error) {
	var where []string
	var args []any
	if f.UserID != 0 {
		args = append(args, f.UserID)
		where = append(where, "r.user_id = $1")
	}
	if f.Pending {
		where = append(where, "r.decision IS NULL")
	}
	if f.Open {
		where = append(where, "(r.decision IS NULL OR EXISTS (SELECT 1 FROM account_request_halves h WHERE h.request_id = r.id))")
	}
	cond := "1 = 1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("list requests: %w", err))
	}
	defer tx.Rollback()
	rs, err := db.requests(ctx, tx, cond, args, f.Limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list requests: %w", err))
	}
	return rs, nil
}

func (db *DB) requests(ctx context.Context, q querier, cond string, args []any, limit int) ([]AccountRequest, error) {
	var out []AccountRequest
	err := each(ctx, q, `
		SELECT r.id, r.kind, r.user_id, u.username, u.name, r.roles, r.requested_by, COALESCE(rb.name, ''),
			r.requested_at, r.decided_by, COALESCE(dd.name, ''), r.decided_at, COALESCE(r.decision, ''), r.reason,
			EXISTS (SELECT 1 FROM account_request_halves h WHERE h.request_id = r.id)
		FROM account_requests r
		JOIN users u ON u.id = r.user_id
		LEFT JOIN users rb ON rb.id = r.requested_by
		LEFT JOIN users dd ON dd.id = r.decided_by
		WHERE `+cond+`
		ORDER BY r.id DESC
		LIMIT `+strconv.Itoa(limit), args,
		func(rows *sql.Rows) error {
			var r AccountRequest
			var roles string
			var by, decider sql.NullInt64
			var decided sql.Null[time.Time]
			if err := rows.Scan(&r.ID, &r.Kind, &r.UserID, &r.Username, &r.UserName, &roles, &by, &r.RequestedByName,
				&r.RequestedAt, &decider, &r.DecidedByName, &decided, &r.Decision, &r.Reason, &r.HalfWaiting); err != nil {
				return err
			}
			if roles != "" {
				r.Roles = strings.Split(roles, ",")
			}
			r.RequestedBy, r.DecidedBy = by.Int64, decider.Int64
			r.RequestedAt = r.RequestedAt.UTC()
			if decided.Valid {
				r.DecidedAt = decided.V.UTC()
			}
			if r.RequestedByName == "" {
				r.RequestedByName = "系统"
			}
			if r.DecidedByName == "" && r.Decision != "" {
				r.DecidedByName = "系统"
			}
			out = append(out, r)
			return nil
		})
	return out, err
}
