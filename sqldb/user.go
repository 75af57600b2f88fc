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
	"xiezuo/vault"
)

// Fields of personal data, as the Sealer binds sealed values and indexes to them.
const (
	fieldPhone = "users.phone"
	fieldTOTP  = "users.totp"
)

// Account is a user with the sign-in state stored beside it, which the domain type does not
// carry.
type Account struct {
	xiezuo.User
	FailedCount       int       // password failures (and checks under way) since the last success, unlock or lock
	FactorFailedCount int       // wrong second-factor codes since the last right one, unlock or lock
	LockedUntil       time.Time // zero when never locked; the account is locked while it is after now
}

// Locked reports whether the account is locked at t.
func (a *Account) Locked(t time.Time) bool { return a.LockedUntil.After(t) }

// UserFilter selects users; empty fields select all.
type UserFilter struct {
	District string
	Unit     string
	Role     string
}

// SetSealer gives db the Sealer of personal data. Without one, db refuses to store a phone
// number or a TOTP secret, reads users without their phone, and leaves a stored phone as it is
// when a user is updated. Call it before db is used, not concurrently with its use.
func (db *DB) SetSealer(s vault.Sealer) { db.sealer = s }

// errNoKey is what writing personal data without a Sealer returns.
func errNoKey() error {
	return xiezuo.Errorf(xiezuo.EINVALID, "未配置加密密钥，不能保存个人信息（手机号码、动态口令）：请设置环境变量 %s", vault.KeyFileEnv)
}

// normalizeUsername returns the sign-in name as stored: trimmed and in lower case, so that
// Zhang and zhang are one account.
func normalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// checkUser normalises u in place and checks it can be stored: the rule is xiezuo's
// User.Validate.
func checkUser(u *xiezuo.User) error { return u.Validate() }

// sortRoles puts roles in the order of xiezuo.Roles.
func sortRoles(roles []string) {
	slices.SortFunc(roles, func(a, b string) int {
		return slices.Index(xiezuo.Roles, a) - slices.Index(xiezuo.Roles, b)
	})
}

// sealedPhone is a phone number as stored: sealed, with its blind index; both nil for none.
type sealedPhone struct {
	sealed, index []byte
}

// sealPhone normalises and seals a phone number. It needs the Sealer.
func (db *DB) sealPhone(phone string) (sealedPhone, string, error) {
	if strings.TrimSpace(phone) == "" {
		return sealedPhone{}, "", nil
	}
	p, ok := vault.NormalizePhone(phone)
	if !ok {
		return sealedPhone{}, "", xiezuo.Errorf(xiezuo.EINVALID, "手机号格式不正确，应为 11 位数字，如 13812341234")
	}
	if db.sealer == nil {
		return sealedPhone{}, "", errNoKey()
	}
	sealed, err := db.sealer.Seal([]byte(p), fieldPhone)
	if err != nil {
		return sealedPhone{}, "", fmt.Errorf("seal phone: %w", err)
	}
	return sealedPhone{sealed, db.sealer.Index([]byte(p), fieldPhone)}, p, nil
}

// userRecord is a user as the audit log shows it: the phone masked.
type userRecord struct {
	Username   string   `json:"username"`
	Name       string   `json:"name"`
	District   string   `json:"district"`
	Unit       string   `json:"unit"`
	Roles      []string `json:"roles"`
	Regions    []string `json:"regions,omitempty"`
	Phone      string   `json:"phone,omitempty"`
	Disabled   bool     `json:"disabled"`
	MustChange bool     `json:"must_change"`
}

func recordOf(u *xiezuo.User) userRecord {
	r := userRecord{
		Username: u.Username, Name: u.Name, District: u.District, Unit: u.Unit,
		Roles: u.Roles, Regions: u.Regions, Disabled: u.Disabled, MustChange: u.MustChange,
	}
	if u.Phone != "" {
		r.Phone = vault.MaskPhone(u.Phone)
	}
	return r
}

// userLabel names a user in the audit log: 张三（zhangsan）.
func userLabel(u *xiezuo.User) string { return u.Name + "（" + u.Username + "）" }

// CreateUser stores a new user with the hash of its password (see package password), and sets
// u.ID and u.CreatedAt. The sign-in name is stored trimmed and in lower case; one already
// taken is an ECONFLICT error. A phone number is stored sealed, and needs the Sealer.
func (db *DB) CreateUser(ctx context.Context, u *xiezuo.User, passwordHash string) error {
	_, err := db.createUser(ctx, u, passwordHash, nil)
	return err
}

// CreateUserWithGrant stores a new user as CreateUser does, holding only the roles of u that
// need no approval, and in the same transaction a pending request granting it all of u's roles
// (see RequestGrant), which it returns. u's roles are checked as a whole; after the call u.Roles
// are the roles the account holds now, perhaps none.
func (db *DB) CreateUserWithGrant(ctx context.Context, u *xiezuo.User, passwordHash string) (*AccountRequest, error) {
	return db.createUser(ctx, u, passwordHash, []string{})
}

// createUser stores u; a non-nil grant asks for u's roles in a request, u holding meanwhile those
// that need no approval.
func (db *DB) createUser(ctx context.Context, u *xiezuo.User, passwordHash string, grant []string) (*AccountRequest, error) {
	if err := checkUser(u); err != nil {
		return nil, err
	}
	if grant != nil {
		grant = u.Roles
		u.Roles, _ = xiezuo.GrantNow(nil, grant)
	}
	if !strings.HasPrefix(passwordHash, "$") {
		// A hash in the modular crypt format: never a password in clear by mistake.
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "密码未经哈希，不能保存")
	}
	phone, normal, err := db.sealPhone(u.Phone)
	if err != nil {
		return nil, err
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	tx, err := db.begin(ctx, "users")
	if err != nil {
		return nil, translate(fmt.Errorf("create user: %w", err))
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO users (username, name, district, unit, phone_sealed, phone_index, password_hash,
			password_at, must_change, disabled, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		RETURNING id`,
		u.Username, u.Name, u.District, u.Unit, phone.sealed, phone.index, passwordHash, now,
		u.MustChange, u.Disabled, now).Scan(&id)
	if err != nil {
		return nil, translate(fmt.Errorf("create user %s: %w", u.Username, err))
	}
	if err := writeRolesAndRegions(ctx, tx, id, u, false); err != nil {
		return nil, translate(fmt.Errorf("create user %s: %w", u.Username, err))
	}
	if normal != "" {
		u.Phone = normal
	}
	e := entryFor(ctx, AuditUserAdd, "user", strconv.FormatInt(id, 10), userLabel(u))
	e.After = mustJSON(recordOf(u))
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return nil, translate(fmt.Errorf("create user %s: %w", u.Username, err))
	}
	var req *AccountRequest
	if grant != nil {
		if req, err = db.request(ctx, tx, RequestGrant, id, userLabel(u), grant, now); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, translate(fmt.Errorf("create user %s: %w", u.Username, err))
	}
	u.ID, u.CreatedAt, u.PasswordAt, u.TOTPEnabled, u.LastSignIn = id, now, now, false, time.Time{}
	return req, nil
}

// writeRolesAndRegions stores the roles and regions of user id, replacing those stored.
func writeRolesAndRegions(ctx context.Context, tx *sql.Tx, id int64, u *xiezuo.User, replace bool) error {
	if replace {
		for _, q := range []string{`DELETE FROM user_roles WHERE user_id = $1`, `DELETE FROM user_regions WHERE user_id = $1`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
	}
	for _, r := range u.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, id, r); err != nil {
			return err
		}
	}
	for i, r := range u.Regions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_regions (user_id, seq, region) VALUES ($1, $2, $3)`, id, i+1, r); err != nil {
			return err
		}
	}
	return nil
}

// UpdateUser changes a user's name, unit, roles, partner regions, disabled flag and phone
// number: the fields the edit form has. Its sign-in name, district, password, must-change flag
// and second factor stay as stored, whatever u says, so that an edit made from a stale read
// writes none of them back. An empty phone removes the stored one, and needs the Sealer like a
// new one: without it the stored phone is left as it is. Disabling a user ends its sessions. A
// change is audited with the user before and after, the phone masked.
//
// The roles are decided on those the account holds when the change is written, under its lock:
// dropping a role or adding an unprivileged one takes effect at once; a privileged role added
// waits for the security administrator (see xiezuo.GrantNow) in a grant request of all of u's
// roles, filed in the same transaction and returned, nil when nothing waits. Meanwhile the
// account holds those of u's roles that need no approval or, when none does, keeps its own.
// Dropping the security or audit administrator's role, or disabling an account holding one,
// waits likewise (xiezuo.RemovalWaits): the whole change of roles in a revoke request, the
// disabling in a disable request, the account kept as it is meanwhile; the request returned is
// the revoke or grant when there is one. The last enabled holder is not removed at all
// (ECONFLICT, keepLastAdmins). ECONFLICT when a request of the same kind for the account
// already waits. After the call u is the user as stored.
func (db *DB) UpdateUser(ctx context.Context, u *xiezuo.User) (*AccountRequest, error) {
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(u.ID, 10))
	if err != nil {
		return nil, translate(fmt.Errorf("update user %d: %w", u.ID, err))
	}
	defer tx.Rollback()
	olds, err := db.accounts(ctx, tx, "u.id = $1", []any{u.ID})
	if err != nil {
		return nil, translate(fmt.Errorf("update user %d: %w", u.ID, err))
	}
	if len(olds) == 0 {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	}
	old := olds[0].User
	next := *u
	next.Username, next.District, next.MustChange = old.Username, old.District, old.MustChange
	if err := checkUser(&next); err != nil {
		return nil, err
	}
	wanted := slices.Clone(next.Roles)
	sortRoles(wanted)
	// The last enabled security or audit administrator is not removed, even by approval.
	next.Roles = wanted
	if err := db.keepLastAdmins(ctx, tx, &old, &next); err != nil {
		return nil, err
	}
	now, pending := xiezuo.GrantNow(old.Roles, wanted)
	drops, disables := xiezuo.RemovalWaits(old.Roles, old.Disabled, wanted, next.Disabled)
	kind := RequestGrant
	switch {
	case drops:
		// The whole change of roles waits: the account keeps its own meanwhile.
		kind, pending, next.Roles = RequestRevoke, true, old.Roles
	case pending:
		next.Roles = now
		if len(now) == 0 {
			next.Roles = old.Roles
		}
	}
	if disables {
		next.Disabled = false
	}
	for _, k := range []string{kind, RequestDisable} {
		if (k == kind && !pending) || (k == RequestDisable && !disables) {
			continue
		}
		var waiting int64
		err := tx.QueryRowContext(ctx, `
			SELECT id FROM account_requests WHERE user_id = $1 AND kind = $2 AND decision IS NULL`,
			u.ID, k).Scan(&waiting)
		switch {
		case err == nil:
			return nil, xiezuo.Errorf(xiezuo.ECONFLICT, "账号 %s 已有待安全管理员批准的同类申请（申请 %d），请待其处理后再修改", old.Username, waiting)
		case !errors.Is(err, sql.ErrNoRows):
			return nil, translate(fmt.Errorf("update user %d: %w", u.ID, err))
		}
	}
	// The phone: kept when the same number is given again, so that it is not sealed anew.
	phoneSQL := ""
	var phone sealedPhone
	switch {
	case db.sealer == nil && strings.TrimSpace(u.Phone) != "":
		return nil, errNoKey()
	case db.sealer == nil:
		next.Phone = old.Phone // not read without the Sealer: left as stored
	case strings.TrimSpace(u.Phone) == "":
		next.Phone = ""
		if old.Phone != "" {
			phoneSQL = ", phone_sealed = NULL, phone_index = NULL"
		}
	default:
		var normal string
		if phone, normal, err = db.sealPhone(u.Phone); err != nil {
			return nil, err
		}
		next.Phone = normal
		if normal != old.Phone {
			phoneSQL = ", phone_sealed = $5, phone_index = $6"
		}
	}
	before, after := recordOf(&old), recordOf(&next)
	done := func() {
		*u = next
		u.CreatedAt, u.PasswordAt, u.LastSignIn, u.TOTPEnabled = old.CreatedAt, old.PasswordAt, old.LastSignIn, old.TOTPEnabled
	}
	if phoneSQL != "" || mustJSON(before) != mustJSON(after) {
		if err := db.writeUser(ctx, tx, &old, &next, phoneSQL, phone); err != nil {
			return nil, err
		}
	} else if !pending && !disables {
		done()
		return nil, nil
	}
	var req *AccountRequest
	at := db.now().UTC().Truncate(time.Microsecond)
	if pending {
		if req, err = db.request(ctx, tx, kind, u.ID, userLabel(&next), wanted, at); err != nil {
			return nil, err
		}
	}
	if disables {
		r, err := db.request(ctx, tx, RequestDisable, u.ID, userLabel(&next), nil, at)
		if err != nil {
			return nil, err
		}
		if req == nil {
			req = r
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, translate(fmt.Errorf("update user %d: %w", u.ID, err))
	}
	done()
	return req, nil
}

// keepLastAdmins refuses (ECONFLICT) a change from old to next that disables, or drops a
// guarded role from, the last enabled account holding that role (xiezuo.LastAdminRefusal).
// The accounts are counted under a lock of their own, so that two such changes of different
// accounts do not each count the other.
func (db *DB) keepLastAdmins(ctx context.Context, tx *sql.Tx, old, next *xiezuo.User) error {
	if xiezuo.LastAdminRefusal(old.Roles, old.Disabled, next.Roles, next.Disabled, nil) == "" {
		return nil // removes no guarded role
	}
	if err := db.lock(ctx, tx, "guarded administrators"); err != nil {
		return translate(fmt.Errorf("update user %d: %w", old.ID, err))
	}
	others := map[string]int{}
	err := each(ctx, tx, `
		SELECT r.role, COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id
		WHERE u.id <> $1 AND u.disabled = $2 AND r.role IN ($3, $4)
		GROUP BY r.role`, []any{old.ID, false, xiezuo.RoleSecAdmin, xiezuo.RoleAuditor},
		func(rows *sql.Rows) error {
			var role string
			var n int
			if err := rows.Scan(&role, &n); err != nil {
				return err
			}
			others[role] = n
			return nil
		})
	if err != nil {
		return translate(fmt.Errorf("update user %d: %w", old.ID, err))
	}
	if why := xiezuo.LastAdminRefusal(old.Roles, old.Disabled, next.Roles, next.Disabled, others); why != "" {
		return xiezuo.Errorf(xiezuo.ECONFLICT, "账号 %s：%s", old.Username, why)
	}
	return nil
}

// writeUser writes the edited fields of next over old in tx, audited; phoneSQL sets the phone
// columns, from phone when it has placeholders.
func (db *DB) writeUser(ctx context.Context, tx *sql.Tx, old, next *xiezuo.User, phoneSQL string, phone sealedPhone) error {
	id := old.ID
	args := []any{id, next.Name, next.Unit, next.Disabled}
	if strings.Contains(phoneSQL, "$5") {
		args = append(args, phone.sealed, phone.index)
	}
	_, err := tx.ExecContext(ctx, `
		UPDATE users SET name = $2, unit = $3, disabled = $4`+phoneSQL+`
		WHERE id = $1`, args...)
	if err != nil {
		return translate(fmt.Errorf("update user %d: %w", id, err))
	}
	if err := writeRolesAndRegions(ctx, tx, id, next, true); err != nil {
		return translate(fmt.Errorf("update user %d: %w", id, err))
	}
	e := entryFor(ctx, AuditUserUpdate, "user", strconv.FormatInt(id, 10), userLabel(next))
	e.Before, e.After = mustJSON(recordOf(old)), mustJSON(recordOf(next))
	if phoneSQL != "" {
		e.Detail = "手机号码已修改"
	}
	if next.Disabled && !old.Disabled {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		if err != nil {
			return translate(fmt.Errorf("update user %d: end sessions: %w", id, err))
		}
		n, _ := res.RowsAffected()
		e.Detail = strings.TrimPrefix(e.Detail+fmt.Sprintf("；账号已停用，结束会话 %d 个", n), "；")
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("update user %d: %w", id, err))
	}
	return nil
}

// UserByID returns the user with the id; ENOTFOUND when there is none.
func (db *DB) UserByID(ctx context.Context, id int64) (*xiezuo.User, error) {
	a, err := db.account(ctx, "u.id = $1", id)
	if err != nil {
		return nil, err
	}
	return &a.User, nil
}

// UserByUsername returns the user with the sign-in name, in any case; ENOTFOUND when there is
// none.
func (db *DB) UserByUsername(ctx context.Context, username string) (*xiezuo.User, error) {
	a, err := db.AccountByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	return &a.User, nil
}

// AccountByUsername returns the user with the sign-in name and its sign-in state: what a
// sign-in needs to tell whether the account is locked. ENOTFOUND when there is none.
func (db *DB) AccountByUsername(ctx context.Context, username string) (*Account, error) {
	return db.account(ctx, "u.username = $1", normalizeUsername(username))
}

// AccountByID returns the user with the id and its sign-in state; ENOTFOUND when there is none.
func (db *DB) AccountByID(ctx context.Context, id int64) (*Account, error) {
	return db.account(ctx, "u.id = $1", id)
}

// UserByPhone returns the user with the phone number, found by its blind index, which needs
// the Sealer; ENOTFOUND when there is none.
func (db *DB) UserByPhone(ctx context.Context, phone string) (*xiezuo.User, error) {
	p, ok := vault.NormalizePhone(phone)
	if !ok {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "手机号格式不正确，应为 11 位数字，如 13812341234")
	}
	if db.sealer == nil {
		return nil, errNoKey()
	}
	a, err := db.account(ctx, "u.phone_index = $1", db.sealer.Index([]byte(p), fieldPhone))
	if err != nil {
		return nil, err
	}
	return &a.User, nil
}

// Users lists the users f selects, with their sign-in state, in the order they were created.
func (db *DB) Users(ctx context.Context, f UserFilter) ([]Account, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.District != "" {
		add("u.district = $%d", f.District)
	}
	if f.Unit != "" {
		add("u.unit = $%d", f.Unit)
	}
	if f.Role != "" {
		add("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = $%d)", f.Role)
	}
	cond := "1 = 1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("list users: %w", err))
	}
	defer tx.Rollback()
	accounts, err := db.accounts(ctx, tx, cond, args)
	if err != nil {
		return nil, translate(fmt.Errorf("list users: %w", err))
	}
	return accounts, nil
}

// account reads the one user cond selects.
func (db *DB) account(ctx context.Context, cond string, arg any) (*Account, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("find user: %w", err))
	}
	defer tx.Rollback()
	as, err := db.accounts(ctx, tx, cond, []any{arg})
	if err != nil {
		return nil, translate(fmt.Errorf("find user: %w", err))
	}
	if len(as) == 0 {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	}
	return &as[0], nil
}

// accounts reads the users that cond, a condition on users u, selects, with their roles and
// regions: three queries whatever their number.
func (db *DB) accounts(ctx context.Context, q querier, cond string, args []any) ([]Account, error) {
	var as []Account
	index := map[int64]int{}
	err := each(ctx, q, `
		SELECT u.id, u.username, u.name, u.district, u.unit, u.phone_sealed, u.disabled,
			u.must_change, u.totp_sealed IS NOT NULL, u.created_at, u.password_at, u.last_sign_in,
			u.failed_count, u.locked_until, u.factor_failed_count
		FROM users u
		WHERE `+cond+`
		ORDER BY u.id`, args,
		func(rows *sql.Rows) error {
			var a Account
			var phone []byte
			var last, locked sql.Null[time.Time]
			err := rows.Scan(&a.ID, &a.Username, &a.Name, &a.District, &a.Unit, &phone, &a.Disabled,
				&a.MustChange, &a.TOTPEnabled, &a.CreatedAt, &a.PasswordAt, &last, &a.FailedCount, &locked, &a.FactorFailedCount)
			if err != nil {
				return err
			}
			a.CreatedAt, a.PasswordAt = a.CreatedAt.UTC(), a.PasswordAt.UTC()
			if last.Valid {
				a.LastSignIn = last.V.UTC()
			}
			if locked.Valid {
				a.LockedUntil = locked.V.UTC()
			}
			if phone != nil && db.sealer != nil {
				p, err := db.sealer.Open(phone, fieldPhone)
				if err != nil {
					return fmt.Errorf("open phone of user %d: %w", a.ID, err)
				}
				a.Phone = string(p)
			}
			index[a.ID] = len(as)
			as = append(as, a)
			return nil
		})
	if err != nil || len(as) == 0 {
		return as, err
	}
	err = each(ctx, q, `
		SELECT r.user_id, r.role FROM user_roles r
		WHERE r.user_id IN (SELECT u.id FROM users u WHERE `+cond+`)`, args,
		func(rows *sql.Rows) error {
			var id int64
			var role string
			if err := rows.Scan(&id, &role); err != nil {
				return err
			}
			a := &as[index[id]]
			a.Roles = append(a.Roles, role)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read roles: %w", err)
	}
	err = each(ctx, q, `
		SELECT r.user_id, r.region FROM user_regions r
		WHERE r.user_id IN (SELECT u.id FROM users u WHERE `+cond+`)
		ORDER BY r.user_id, r.seq`, args,
		func(rows *sql.Rows) error {
			var id int64
			var region string
			if err := rows.Scan(&id, &region); err != nil {
				return err
			}
			a := &as[index[id]]
			a.Regions = append(a.Regions, region)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read regions: %w", err)
	}
	for i := range as {
		sortRoles(as[i].Roles)
	}
	return as, nil
}

// PasswordHash returns the stored hash of the user's password; ENOTFOUND when there is no such
// user.
func (db *DB) PasswordHash(ctx context.Context, id int64) (string, error) {
	var hash string
	err := db.db.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	}
	if err != nil {
		return "", translate(fmt.Errorf("read password hash of user %d: %w", id, err))
	}
	return hash, nil
}

// SetPassword stores a new password hash set at at. mustChange asks the user to change it at
// next sign-in: set it when an administrator sets the password. The user's API tokens are
// revoked with it: a token made under the old password does not outlive it. The audit entry
// says whether the user changed its own password or someone reset it, never the hash. Other
// sessions of the user are left: end them with DeleteUserSessions when that is wanted.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string, mustChange bool, at time.Time) error {
	if !strings.HasPrefix(hash, "$") {
		return xiezuo.Errorf(xiezuo.EINVALID, "密码未经哈希，不能保存")
	}
	return db.changeUser(ctx, id, AuditUserPassword, func(tx *sql.Tx, e *AuditEntry) error {
		return setPassword(ctx, tx, e, id, hash, mustChange, at)
	})
}

// setPassword stores a password hash in tx and revokes the user's API tokens; e says so.
func setPassword(ctx context.Context, tx *sql.Tx, e *AuditEntry, id int64, hash string, mustChange bool, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2, password_at = $3, must_change = $4 WHERE id = $1`,
		id, hash, at.UTC().Truncate(time.Microsecond), mustChange)
	e.Detail = "管理员重置密码"
	if ActorFrom(ctx).UserID == id {
		e.Detail = "本人修改密码"
	}
	if mustChange {
		e.Detail += "，下次登录须修改"
	}
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		e.Detail += fmt.Sprintf("，撤销 API 令牌 %d 个", n)
	}
	return nil
}

// ResetPassword is an administrator's reset of user id's password: it stores hash, set at at,
// to be changed at next sign-in, revokes the user's API tokens and ends its sessions. Whether
// the reset may be made at once is decided under the account's lock, on the roles it holds and
// the requests waiting then (xiezuo's User.ResetNeedsApproval): a privileged account, or one
// whose grant of a privileged role waits, is refused with ErrResetNeedsApproval, and its reset
// must be asked with RequestReset. Audited.
func (db *DB) ResetPassword(ctx context.Context, id int64, hash string, at time.Time) error {
	if !strings.HasPrefix(hash, "$") {
		return xiezuo.Errorf(xiezuo.EINVALID, "密码未经哈希，不能保存")
	}
	return db.changeUser(ctx, id, AuditUserPassword, func(tx *sql.Tx, e *AuditEntry) error {
		as, err := db.accounts(ctx, tx, "u.id = $1", []any{id})
		if err != nil {
			return err
		}
		var n int
		err = tx.QueryRowContext(ctx, `
			SELECT COUNT(*) FROM account_requests WHERE user_id = $1 AND kind = $2 AND decision IS NULL`,
			id, RequestGrant).Scan(&n)
		if err != nil {
			return err
		}
		if as[0].ResetNeedsApproval(n > 0) {
			return ErrResetNeedsApproval
		}
		if err := setPassword(ctx, tx, e, id, hash, true, at); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			e.Detail += fmt.Sprintf("，结束会话 %d 个", n)
		}
		return nil
	})
}

// ErrResetNeedsApproval is ResetPassword's refusal of an account whose reset waits for the
// security administrator.
var ErrResetNeedsApproval = xiezuo.Errorf(xiezuo.EFORBIDDEN, "该账号担任或正在申请特权角色，重置密码须经安全管理员批准")

// changeUser runs change on user id in a transaction of its own, and appends the audit entry
// change completes, of ctx's actor, about the user. ENOTFOUND when there is no such user.
func (db *DB) changeUser(ctx context.Context, id int64, action string, change func(tx *sql.Tx, e *AuditEntry) error) error {
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(id, 10))
	if err != nil {
		return translate(fmt.Errorf("%s %d: %w", action, id, err))
	}
	defer tx.Rollback()
	var username, name string
	err = tx.QueryRowContext(ctx, `SELECT username, name FROM users WHERE id = $1`, id).Scan(&username, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	}
	if err != nil {
		return translate(fmt.Errorf("%s %d: %w", action, id, err))
	}
	e := entryFor(ctx, action, "user", strconv.FormatInt(id, 10), name+"（"+username+"）")
	if err := change(tx, e); err != nil {
		return translate(fmt.Errorf("%s %d: %w", action, id, err))
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("%s %d: %w", action, id, err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("%s %d: %w", action, id, err))
	}
	return nil
}

// authEntry makes e, an entry about the account itself, the account's own: at sign-in nobody
// is signed in yet, and the account is who acts. The address is ctx's.
func authEntry(ctx context.Context, tx *sql.Tx, id int64, e *AuditEntry) error {
	var username, unit string
	if err := tx.QueryRowContext(ctx, `SELECT username, unit FROM users WHERE id = $1`, id).Scan(&username, &unit); err != nil {
		return err
	}
	if ActorFrom(ctx).UserID == 0 {
		e.UserID, e.Username, e.Unit = id, username, unit
	}
	e.ObjectLabel = username
	return nil
}

// SetTOTP stores the user's TOTP secret, sealed; an empty secret turns TOTP off. A new secret
// starts with no step used. It needs the Sealer.
func (db *DB) SetTOTP(ctx context.Context, id int64, secret []byte) error {
	var sealed []byte
	if len(secret) > 0 {
		if db.sealer == nil {
			return errNoKey()
		}
		var err error
		if sealed, err = db.sealer.Seal(secret, fieldTOTP); err != nil {
			return fmt.Errorf("seal totp secret: %w", err)
		}
	}
	return db.changeUser(ctx, id, AuditUserTOTP, func(tx *sql.Tx, e *AuditEntry) error {
		e.Detail = "启用动态口令"
		if sealed == nil {
			e.Detail = "停用动态口令"
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET totp_sealed = $2, totp_last_step = 0 WHERE id = $1`, id, sealed)
		return err
	})
}

// TOTPSecret returns the user's TOTP secret and the last time step used to sign in (0 when
// none). It needs the Sealer; ENOTFOUND when the user has none.
func (db *DB) TOTPSecret(ctx context.Context, id int64) ([]byte, int64, error) {
	var sealed []byte
	var step int64
	err := db.db.QueryRowContext(ctx, `SELECT totp_sealed, totp_last_step FROM users WHERE id = $1`, id).Scan(&sealed, &step)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	case err != nil:
		return nil, 0, translate(fmt.Errorf("read totp secret of user %d: %w", id, err))
	case sealed == nil:
		return nil, 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "该账号未启用动态口令")
	case db.sealer == nil:
		return nil, 0, errNoKey()
	}
	secret, err := db.sealer.Open(sealed, fieldTOTP)
	if err != nil {
		return nil, 0, fmt.Errorf("open totp secret of user %d: %w", id, err)
	}
	return secret, step, nil
}

// UseTOTPStep records that the user signed in at at with the TOTP code of time step step, and
// starts the count of wrong codes again. A step at or before the last one used is refused,
// EFORBIDDEN, so that a code is never accepted twice, even by two instances at once; so is any
// code while the account is locked at at (the lock is checked in the same statement that
// takes the step, so a lock set meanwhile by another attempt holds). Refusals are audited.
func (db *DB) UseTOTPStep(ctx context.Context, id int64, step int64, at time.Time) error {
	at = at.UTC().Truncate(time.Microsecond)
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(id, 10))
	if err != nil {
		return translate(fmt.Errorf("use totp step: %w", err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `
		UPDATE users SET totp_last_step = $2, factor_failed_count = 0
		WHERE id = $1 AND totp_last_step < $2 AND totp_sealed IS NOT NULL
			AND (locked_until IS NULL OR locked_until <= $3)`, id, step, at)
	if err != nil {
		return translate(fmt.Errorf("use totp step: %w", err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(fmt.Errorf("use totp step: %w", err))
	}
	e := entryFor(ctx, AuditSecondFactor, "user", strconv.FormatInt(id, 10), "")
	if err := authEntry(ctx, tx, id, e); errors.Is(err, sql.ErrNoRows) {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	} else if err != nil {
		return translate(fmt.Errorf("use totp step: %w", err))
	}
	var refused error
	if n == 0 {
		until, err := lockedUntil(ctx, tx, id, at)
		if err != nil {
			return translate(fmt.Errorf("use totp step: %w", err))
		}
		e.Outcome, e.Detail = AuditFailure, "动态口令重复使用或未启用，已拒绝"
		refused = xiezuo.Errorf(xiezuo.EFORBIDDEN, "该动态口令已使用过，请等待下一个口令")
		if !until.IsZero() {
			e.Detail = "动态口令正确，但账号已锁定至 " + until.In(shanghai).Format("2006-01-02 15:04") + "，已拒绝"
			refused = errLocked(until)
		}
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("use totp step: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("use totp step: %w", err))
	}
	return refused
}

// lockedUntil returns until when user id is locked at at, zero when it is not.
func lockedUntil(ctx context.Context, tx *sql.Tx, id int64, at time.Time) (time.Time, error) {
	var locked sql.Null[time.Time]
	if err := tx.QueryRowContext(ctx, `SELECT locked_until FROM users WHERE id = $1`, id).Scan(&locked); err != nil {
		return time.Time{}, err
	}
	if locked.Valid && locked.V.After(at) {
		return locked.V.UTC(), nil
	}
	return time.Time{}, nil
}

// errLocked is the refusal of anything an account does while it is locked.
func errLocked(until time.Time) error {
	return xiezuo.Errorf(xiezuo.EFORBIDDEN, "账号已锁定至 %s", until.In(shanghai).Format("2006-01-02 15:04"))
}

// BeginSignIn reserves a password check of user id at at, before the password is checked, so
// that attempts sent together cannot all be checked against a lock read before any of them
// failed. It returns until when the account is locked, and then the password must not be
// checked; zero lets the check go ahead, and the caller must end it with SignInFailed or
// SignInSucceeded.
//
// A reserved check counts as a failure until it succeeds: when maxFailures checks are already
// counted (failed, or under way), the next attempt locks the account for lockFor. maxFailures
// 0 never locks. A refusal is audited; an attempt let through is audited by the call that
// ends it, with its outcome, so that each attempt has one entry.
func (db *DB) BeginSignIn(ctx context.Context, id int64, at time.Time, maxFailures int, lockFor time.Duration) (time.Time, error) {
	return db.beginCheck(ctx, id, at, maxFailures, lockFor, signInCheck)
}

// BeginPasswordCheck reserves a check of the user's own password when it changes it (the
// "old password" of the password page), counted with the sign-in's password failures: see
// BeginSignIn. End it with PasswordCheckFailed or PasswordCheckSucceeded. A refusal is audited.
func (db *DB) BeginPasswordCheck(ctx context.Context, id int64, at time.Time, maxFailures int, lockFor time.Duration) (time.Time, error) {
	return db.beginCheck(ctx, id, at, maxFailures, lockFor, changeCheck)
}

// passwordCheck is what a password is checked for, and how the audit log says so.
type passwordCheck struct {
	action   string // of the audit entry
	failed   string // a wrong password, and the count: "%s，连续第 %d 次"
	what     string // what was tried: 登录, 修改密码
	wrongPwd string // 密码错误, 原密码错误
}

var (
	signInCheck = passwordCheck{action: AuditSignIn, failed: "登录失败（密码错误", what: "登录", wrongPwd: "密码错误"}
	changeCheck = passwordCheck{action: AuditUserPassword, failed: "修改密码失败（原密码错误", what: "修改密码", wrongPwd: "原密码错误"}
)

func (db *DB) beginCheck(ctx context.Context, id int64, at time.Time, maxFailures int, lockFor time.Duration, c passwordCheck) (time.Time, error) {
	at = at.UTC().Truncate(time.Microsecond)
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(id, 10))
	if err != nil {
		return time.Time{}, translate(fmt.Errorf("begin sign in: %w", err))
	}
	defer tx.Rollback()
	var count int
	var locked sql.Null[time.Time]
	err = tx.QueryRowContext(ctx, `SELECT failed_count, locked_until FROM users WHERE id = $1`, id).Scan(&count, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	}
	if err != nil {
		return time.Time{}, translate(fmt.Errorf("begin sign in: %w", err))
	}
	e := entryFor(ctx, c.action, "user", strconv.FormatInt(id, 10), "")
	e.Outcome = AuditFailure
	var until time.Time
	switch {
	case locked.Valid && locked.V.After(at):
		until = locked.V.UTC()
		e.Detail = c.what + "：账号已锁定至 " + until.In(shanghai).Format("2006-01-02 15:04") + "，未核对密码"
		if c == signInCheck {
			e.Detail = "账号已锁定至 " + until.In(shanghai).Format("2006-01-02 15:04") + "，未核对密码"
		}
	case maxFailures > 0 && count >= maxFailures:
		until = at.Add(lockFor)
		e.Detail = fmt.Sprintf("连续 %d 次%s未成功（含核对中的），账号锁定至 %s，未核对密码", count, c.what, until.In(shanghai).Format("2006-01-02 15:04"))
		_, err = tx.ExecContext(ctx, `UPDATE users SET failed_count = 0, factor_failed_count = 0, locked_until = $2 WHERE id = $1`, id, until)
	default:
		_, err = tx.ExecContext(ctx, `UPDATE users SET failed_count = failed_count + 1, locked_until = NULL WHERE id = $1`, id)
	}
	if err != nil {
		return time.Time{}, translate(fmt.Errorf("begin sign in: %w", err))
	}
	if !until.IsZero() {
		if err := authEntry(ctx, tx, id, e); err != nil {
			return time.Time{}, translate(fmt.Errorf("begin sign in: %w", err))
		}
		if err := db.appendAudit(ctx, tx, e); err != nil {
			return time.Time{}, translate(fmt.Errorf("begin sign in: %w", err))
		}
	}
	if err := tx.Commit(); err != nil {
		return time.Time{}, translate(fmt.Errorf("begin sign in: %w", err))
	}
	return until, nil
}

// SignInFailed records that the password check BeginSignIn reserved failed at at, and returns
// until when the account is locked, zero when it is not. The check is already counted: when
// the count (failures and checks under way) reaches maxFailures, the account locks for lockFor
// and the count starts again; failures while it is locked do not lengthen the lock.
// maxFailures 0 never locks. The failure is audited.
func (db *DB) SignInFailed(ctx context.Context, id int64, at time.Time, maxFailures int, lockFor time.Duration) (time.Time, error) {
	return db.checkFailed(ctx, id, at, maxFailures, lockFor, signInCheck)
}

// PasswordCheckFailed records that the check BeginPasswordCheck reserved failed at at, as
// SignInFailed does: it counts toward the lock. Audited.
func (db *DB) PasswordCheckFailed(ctx context.Context, id int64, at time.Time, maxFailures int, lockFor time.Duration) (time.Time, error) {
	return db.checkFailed(ctx, id, at, maxFailures, lockFor, changeCheck)
}

func (db *DB) checkFailed(ctx context.Context, id int64, at time.Time, maxFailures int, lockFor time.Duration, c passwordCheck) (time.Time, error) {
	at = at.UTC().Truncate(time.Microsecond)
	var lockedUntil time.Time
	err := db.check(ctx, id, c.action, func(tx *sql.Tx, e *AuditEntry) error {
		var count int
		var locked sql.Null[time.Time]
		var disabled bool
		err := tx.QueryRowContext(ctx, `SELECT failed_count, locked_until, disabled FROM users WHERE id = $1`, id).Scan(&count, &locked, &disabled)
		if err != nil {
			return err
		}
		e.Outcome = AuditFailure
		defer func() {
			if disabled {
				e.Detail += "（账号已停用）"
			}
		}()
		if locked.Valid && locked.V.After(at) {
			lockedUntil = locked.V.UTC()
			e.Detail = c.failed + "）：账号已锁定至 " + lockedUntil.In(shanghai).Format("2006-01-02 15:04")
			return nil
		}
		count = max(count, 1)
		e.Detail = fmt.Sprintf("%s，连续第 %d 次）", c.failed, count)
		if maxFailures > 0 && count >= maxFailures {
			lockedUntil = at.Add(lockFor)
			e.Detail = fmt.Sprintf("%s，连续 %d 次%s失败，账号锁定至 %s", c.wrongPwd, count, c.what, lockedUntil.In(shanghai).Format("2006-01-02 15:04"))
			_, err = tx.ExecContext(ctx, `UPDATE users SET failed_count = 0, factor_failed_count = 0, locked_until = $2 WHERE id = $1`, id, lockedUntil)
		}
		return err
	})
	if err != nil {
		return time.Time{}, err
	}
	return lockedUntil, nil
}

// SignInSucceeded records that the password check BeginSignIn reserved succeeded at at: the
// password failure count starts again (the count of wrong second-factor codes does not) and
// the last sign-in is stamped. When the account is locked at at — attempts checked meanwhile
// locked it — or disabled, nothing changes and the sign-in is refused, EFORBIDDEN: a locked
// account refuses even the right password. Either is audited.
func (db *DB) SignInSucceeded(ctx context.Context, id int64, at time.Time) error {
	at = at.UTC().Truncate(time.Microsecond)
	var refused error
	err := db.check(ctx, id, AuditSignIn, func(tx *sql.Tx, e *AuditEntry) error {
		e.Detail = "登录成功"
		res, err := tx.ExecContext(ctx, `
			UPDATE users SET failed_count = 0, locked_until = NULL, last_sign_in = $2
			WHERE id = $1 AND disabled = $3 AND (locked_until IS NULL OR locked_until <= $2)`, id, at, false)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		until, err := lockedUntil(ctx, tx, id, at)
		if err != nil {
			return err
		}
		e.Outcome = AuditFailure
		if until.IsZero() {
			e.Detail = "密码正确，但账号已停用，拒绝登录"
			refused = xiezuo.Errorf(xiezuo.EFORBIDDEN, "账号已停用，请联系系统管理员")
			return nil
		}
		e.Detail = "密码正确，但账号已锁定至 " + until.In(shanghai).Format("2006-01-02 15:04") + "，拒绝登录"
		refused = errLocked(until)
		return nil
	})
	if err != nil {
		return err
	}
	return refused
}

// FactorFailed records a wrong second-factor code of the user at at, and returns until when the
// account is locked, zero when it is not. Wrong codes are counted on their own, so that a right
// password does not start their count again: the maxFailures-th in a row locks the account for
// lockFor and ends its sessions still waiting for a code. maxFailures 0 never locks. It is
// audited.
func (db *DB) FactorFailed(ctx context.Context, id int64, at time.Time, maxFailures int, lockFor time.Duration) (time.Time, error) {
	at = at.UTC().Truncate(time.Microsecond)
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(id, 10))
	if err != nil {
		return time.Time{}, translate(fmt.Errorf("factor failed: %w", err))
	}
	defer tx.Rollback()
	e := entryFor(ctx, AuditSecondFactor, "user", strconv.FormatInt(id, 10), "")
	if err := authEntry(ctx, tx, id, e); errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	} else if err != nil {
		return time.Time{}, translate(fmt.Errorf("factor failed: %w", err))
	}
	e.Outcome = AuditFailure
	var count int
	var locked sql.Null[time.Time]
	err = tx.QueryRowContext(ctx, `SELECT factor_failed_count, locked_until FROM users WHERE id = $1`, id).Scan(&count, &locked)
	if err != nil {
		return time.Time{}, translate(fmt.Errorf("factor failed: %w", err))
	}
	var until time.Time
	switch {
	case locked.Valid && locked.V.After(at):
		until = locked.V.UTC()
		e.Detail = "动态口令错误：账号已锁定至 " + until.In(shanghai).Format("2006-01-02 15:04")
	case maxFailures > 0 && count+1 >= maxFailures:
		until = at.Add(lockFor)
		_, err = tx.ExecContext(ctx, `UPDATE users SET failed_count = 0, factor_failed_count = 0, locked_until = $2 WHERE id = $1`, id, until)
		if err != nil {
			return time.Time{}, translate(fmt.Errorf("factor failed: %w", err))
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND second_factor = $2`, id, false)
		if err != nil {
			return time.Time{}, translate(fmt.Errorf("factor failed: %w", err))
		}
		n, _ := res.RowsAffected()
		e.Detail = fmt.Sprintf("连续 %d 次动态口令错误，账号锁定至 %s，结束未完成登录的会话 %d 个", count+1, until.In(shanghai).Format("2006-01-02 15:04"), n)
	default:
		e.Detail = fmt.Sprintf("动态口令错误（连续第 %d 次）", count+1)
		if _, err := tx.ExecContext(ctx, `UPDATE users SET factor_failed_count = $2 WHERE id = $1`, id, count+1); err != nil {
			return time.Time{}, translate(fmt.Errorf("factor failed: %w", err))
		}
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return time.Time{}, translate(fmt.Errorf("factor failed: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return time.Time{}, translate(fmt.Errorf("factor failed: %w", err))
	}
	return until, nil
}

// PasswordCheckSucceeded records that the check BeginPasswordCheck reserved succeeded at at:
// the password failure count starts again. When the account is locked at at — checks made
// meanwhile locked it — nothing changes and the change is refused, EFORBIDDEN, audited: a locked
// account refuses even the right old password. A success is not audited here: the change of
// password that follows is.
func (db *DB) PasswordCheckSucceeded(ctx context.Context, id int64, at time.Time) error {
	at = at.UTC().Truncate(time.Microsecond)
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(id, 10))
	if err != nil {
		return translate(fmt.Errorf("password check: %w", err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `
		UPDATE users SET failed_count = 0, locked_until = NULL
		WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)`, id, at)
	if err != nil {
		return translate(fmt.Errorf("password check: %w", err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return translate(fmt.Errorf("password check: %w", err))
	} else if n > 0 {
		return translate(tx.Commit())
	}
	until, err := lockedUntil(ctx, tx, id, at)
	if errors.Is(err, sql.ErrNoRows) {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	} else if err != nil {
		return translate(fmt.Errorf("password check: %w", err))
	}
	e := entryFor(ctx, AuditUserPassword, "user", strconv.FormatInt(id, 10), "")
	if err := authEntry(ctx, tx, id, e); err != nil {
		return translate(fmt.Errorf("password check: %w", err))
	}
	e.Outcome = AuditFailure
	e.Detail = "原密码正确，但账号已锁定至 " + until.In(shanghai).Format("2006-01-02 15:04") + "，拒绝修改密码"
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("password check: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("password check: %w", err))
	}
	return errLocked(until)
}

// check runs change on the sign-in state of user id, audited under action as the account's own
// doing.
func (db *DB) check(ctx context.Context, id int64, action string, change func(tx *sql.Tx, e *AuditEntry) error) error {
	tx, err := db.begin(ctx, "user "+strconv.FormatInt(id, 10))
	if err != nil {
		return translate(fmt.Errorf("sign in: %w", err))
	}
	defer tx.Rollback()
	e := entryFor(ctx, action, "user", strconv.FormatInt(id, 10), "")
	if err := authEntry(ctx, tx, id, e); errors.Is(err, sql.ErrNoRows) {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "账号不存在")
	} else if err != nil {
		return translate(fmt.Errorf("sign in: %w", err))
	}
	if err := change(tx, e); err != nil {
		return translate(fmt.Errorf("sign in: %w", err))
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("sign in: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("sign in: %w", err))
	}
	return nil
}

// Unlock ends the lock of an account and starts its failure count again.
func (db *DB) Unlock(ctx context.Context, id int64) error {
	return db.changeUser(ctx, id, AuditUserUnlock, func(tx *sql.Tx, e *AuditEntry) error {
		e.Detail = "解除锁定"
		_, err := tx.ExecContext(ctx, `UPDATE users SET failed_count = 0, factor_failed_count = 0, locked_until = NULL WHERE id = $1`, id)
		return err
	})
}
