package sqldb

import (
	"bytes"
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"xiezuo"
)

// Outcomes of an audited event.
const (
	AuditSuccess = "success"
	AuditFailure = "failure"
)

// Actions the storage layer writes to the audit log. The web layer adds its own with
// AppendAudit, such as AuditReveal.
const (
	AuditPlanImport      = "plan.import"
	AuditUserAdd         = "user.add"
	AuditUserUpdate      = "user.update"
	AuditUserPassword    = "user.password"
	AuditUserTOTP        = "user.totp"
	AuditUserUnlock      = "user.unlock"
	AuditSignIn          = "auth.signin"
	AuditSecondFactor    = "auth.totp"
	AuditSessionCreate   = "session.create"
	AuditSessionVerified = "session.second_factor"
	AuditSessionDelete   = "session.delete"
	AuditSessionsRevoke  = "session.revoke_user"
	AuditSessionsExpire  = "session.expire"
	AuditAPITokenCreate  = "apitoken.create"
	AuditAPITokenRevoke  = "apitoken.revoke"
	AuditSettingSet      = "setting.set"
	AuditPrune           = "audit.prune"
	AuditKeyed           = "audit.key"       // the chain switched to HMAC-SM3 under the audit key
	AuditVerify          = "audit.verify"    // the chain was verified, from the command line or the page
	AuditReveal          = "personal.reveal" // a person's full ID number or phone was shown
	AuditContact         = "contact.save"    // a unit's or project's contact person was set
	AuditDenied          = "access.denied"   // a request refused for the user's role
	AuditExport          = "audit.export"    // the log was downloaded
	AuditMembers         = "group.members"   // the leading group's member units were changed
	AuditAssign          = "duty.assign"     // a duty given to 相关成员单位 was assigned to named units
	AuditCoverage        = "coverage.link"   // the office set or removed a task's link to a work point
)

// AuditRetentionDays is how long audit entries are kept at least: six months, as the
// Cybersecurity Law (art. 21) asks of network logs. The database refuses to delete younger ones.
const AuditRetentionDays = 180

const (
	auditLockKey          = "audit log"
	auditDefaultLimit     = 100
	auditMaxLimit         = 1000
	auditCanonicalVersion = "xiezuo-audit-v1"
	auditKeyedVersion     = "xiezuo-audit-v2"
)

// How an entry's hash is made (the chain column).
const (
	chainSM3     = "sm3"      // SM3(prev hash || entry): entries written before the audit key
	chainHMACSM3 = "hmac-sm3" // HMAC-SM3 under the audit key: every entry since
)

// genesisHash is the prev_hash of the first entry ever appended: 32 zero bytes in hex.
var genesisHash = strings.Repeat("00", sm3.Size)

// Actor is who acts: a signed-in user, or the system. The web layer puts it into each
// request's context with WithActor; every write of this package audits it.
type Actor struct {
	UserID   int64 // 0 for the system or someone not signed in
	Username string
	Unit     string
	IP       string // where the request came from; for the command line, "命令行（OS 用户）"
}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor ctx carries; without one, or with no username, the system.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	if a.Username == "" {
		a.Username = "system"
	}
	return a
}

// AuditEntry is one entry of the audit log: who did what to which object, when, from where,
// with what outcome, and the object before and after.
type AuditEntry struct {
	Seq         int64     // position in the log, from 1, without gaps; set by the log
	At          time.Time // UTC, set by the log
	UserID      int64
	Username    string
	Unit        string
	IP          string
	Action      string // e.g. user.add, auth.signin, plan.import: see the Audit… constants
	ObjectType  string // e.g. user, plan, session, setting
	ObjectID    string
	ObjectLabel string // the object as people name it, e.g. 2021年门头沟区
	Before      string // JSON, "" when none
	After       string // JSON, "" when none
	Outcome     string // AuditSuccess (the default) or AuditFailure
	Detail      string
	PrevHash    string // hex hash of the entry before, set by the log
	Hash        string // hex HMAC-SM3(audit key, prev hash || canonical encoding), set by the log
	Chain       string // how Hash is made: "hmac-sm3", or "sm3" (unkeyed) for entries older than the key
}

// AuditFilter selects audit entries; empty fields select all.
type AuditFilter struct {
	Username   string
	Unit       string
	ObjectType string
	ObjectID   string
	Action     string
	Actions    []string  // any of these actions; with Action, both must hold
	District   string    // made by users of this district only (never by the system or an unknown name)
	From, To   time.Time // From ≤ at < To
	Limit      int       // 100 when 0, at most 1000
	Offset     int
}

// AppendAudit appends an entry for an event that changes nothing in the database, such as a
// reveal of personal data, a refused request or a failed sign-in with an unknown name. Who
// acted comes from ctx (see WithActor) unless e.Username is set. Writes of this package audit
// themselves, in their own transaction.
func (db *DB) AppendAudit(ctx context.Context, e AuditEntry) error {
	if e.Action == "" {
		return xiezuo.Errorf(xiezuo.EINVALID, "审计记录缺少操作类型")
	}
	for _, j := range []string{e.Before, e.After} {
		if j != "" && !json.Valid([]byte(j)) {
			return xiezuo.Errorf(xiezuo.EINVALID, "审计记录的前后内容应为 JSON")
		}
	}
	if e.Username == "" {
		setActor(&e, ActorFrom(ctx))
	}
	// Where entries wait to be sealed the transaction needs no lock of the log.
	key := auditLockKey
	if db.dialect.deferAudit {
		key = ""
	}
	tx, err := db.begin(ctx, key)
	if err != nil {
		return translate(fmt.Errorf("append audit: %w", err))
	}
	defer tx.Rollback()
	if err := db.appendAudit(ctx, tx, &e); err != nil {
		return translate(fmt.Errorf("append audit: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("append audit: %w", err))
	}
	return nil
}

// setActor writes who acted into e.
func setActor(e *AuditEntry, a Actor) {
	e.UserID, e.Username, e.Unit, e.IP = a.UserID, a.Username, a.Unit, a.IP
}

// entryFor starts an entry of ctx's actor.
func entryFor(ctx context.Context, action, objectType, objectID, label string) *AuditEntry {
	e := &AuditEntry{Action: action, ObjectType: objectType, ObjectID: objectID, ObjectLabel: label}
	setActor(e, ActorFrom(ctx))
	return e
}

// appendAudit appends e inside tx, the transaction of the change it records, so that the
// change and its entry are committed together or not at all.
//
// On PostgreSQL the entry waits in audit_pending (appendAuditPending) and the sealer chains
// it, in a batch, soon after tx commits: no writer takes the log's lock, so audited writers
// of all instances run at once (docs/architecture.md, "Audit at scale"). e's Seq and Hash
// stay empty then. On SQLite, where one writer runs at a time whatever the log does, it is
// chained at once (appendChained), which sets e's Seq, At, PrevHash and Hash.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, e *AuditEntry) error {
	if db.dialect.deferAudit {
		if err := db.appendAuditPending(ctx, tx, e); err != nil {
			return err
		}
		db.sealAfterCommit()
		return nil
	}
	return db.appendChained(ctx, tx, e)
}

// appendChained appends e inside tx as the next entry of the chain, and sets e's Seq, At,
// PrevHash and Hash. Such appends are serialised so that the chain never forks: on
// PostgreSQL by an advisory lock held until tx ends, on SQLite by the IMMEDIATE transaction.
// Call it last in tx, after the change's own locks and writes, so that the lock is held
// briefly and always taken after the others. Only the rare writes that need the entry's
// place at once use it on PostgreSQL: the verification's own entry, the prune's anchor.
func (db *DB) appendChained(ctx context.Context, tx *sql.Tx, e *AuditEntry) error {
	if db.auditKey == nil {
		return errNoAuditKey
	}
	if err := db.lock(ctx, tx, auditLockKey); err != nil {
		return fmt.Errorf("lock audit log: %w", err)
	}
	if e.Outcome == "" {
		e.Outcome = AuditSuccess
	}
	last, prev, err := db.auditHead(ctx, tx)
	if err != nil {
		return err
	}
	// Entries waiting to be sealed (appendAuditPending) were committed before this one: they
	// are chained first, so that the log keeps the order of what happened. Where writes never
	// leave entries waiting (SQLite), the look for them costs a query per write for nothing:
	// verify, search, head and Close still seal any (e.g. a forger's, which verify reports).
	if db.dialect.deferAudit || db.pendingWritten.Load() {
		if _, last, prev, _, err = db.sealAll(ctx, tx, 0, last, prev, 0); err != nil {
			return err
		}
	}
	return db.insertAudit(ctx, tx, e, last, prev)
}

// insertAudit writes e as the keyed entry after the entry last whose hash is prev.
func (db *DB) insertAudit(ctx context.Context, tx *sql.Tx, e *AuditEntry, last int64, prev string) error {
	if e.Outcome == "" {
		e.Outcome = AuditSuccess
	}
	e.Seq = last + 1
	e.At = db.auditNow().UTC().Truncate(time.Microsecond)
	e.PrevHash = prev
	e.Chain = chainHMACSM3
	e.Hash = e.digest(db.auditKey)
	_, err := tx.ExecContext(ctx, `
		INSERT INTO audit_log (seq, at, user_id, username, unit, ip, action, object_type,
			object_id, object_label, before_json, after_json, outcome, detail, prev_hash, hash, chain)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		e.Seq, e.At, e.UserID, e.Username, e.Unit, e.IP, e.Action, e.ObjectType, e.ObjectID,
		e.ObjectLabel, e.Before, e.After, e.Outcome, e.Detail, e.PrevHash, e.Hash, e.Chain)
	if err != nil {
		return fmt.Errorf("append audit entry %d: %w", e.Seq, err)
	}
	return nil
}

// keySwitch is the audit.key entry that follows the last unkeyed entry, last.
func keySwitch(last int64) *AuditEntry {
	return &AuditEntry{Action: AuditKeyed, ObjectType: "audit_log", ObjectLabel: "审计日志",
		Detail: fmt.Sprintf("审计日志哈希链改用 HMAC-SM3（审计密钥）；第 %d 条及以前的记录按原 SM3 规则校验", last)}
}

// errNoAuditKey refuses to write the log without its key: an unkeyed entry would be one
// anybody could forge.
var errNoAuditKey = xiezuo.Errorf(xiezuo.EINVALID, "未配置审计密钥：密钥文件须有 audit 一行（见 docs/security.md“Audit log”）")

// ErrAuditUnkeyed refuses to write, and to serve, while the log's last entry is not keyed:
// a database from before the audit key, until the operator switches it once, or a log
// rewritten by somebody without the key.
var ErrAuditUnkeyed = xiezuo.Errorf(xiezuo.ECONFLICT, "审计日志的最新记录未用审计密钥链接，系统拒绝启动和写入。"+
	"若这是升级前的数据库，请在升级时运行一次 xiezuo audit key-switch --db 数据库（需要密钥文件），只运行这一次；"+
	"若已运行过，说明审计日志被人改写，请用 xiezuo audit verify 核查并报告安全管理员")

// ErrAuditEmptied refuses to write, and to serve, while the audit log is empty in a database
// that already holds an account or a plan: every entry was deleted, and a new chain begun
// from the first entry would hide it.
var ErrAuditEmptied = xiezuo.Errorf(xiezuo.ECONFLICT, "审计日志为空，但数据库中已有账号或计划：审计记录被删除，系统拒绝启动和写入。"+
	"请用 xiezuo audit verify 核查，报告安全管理员，并从备份恢复数据库")

// UseAuditKey gives db the HMAC-SM3 key of the audit log's chain, kept outside the database
// (vault.Keys.Audit). Without a key db refuses every write, since each writes an audit entry.
// When the log's last entry is not keyed it returns ErrAuditUnkeyed, with the key given all
// the same, so that the log can still be verified and switched (SwitchAuditKey); every write
// is refused until then. It never switches by itself: whoever can write the database could
// otherwise rewrite the whole log unkeyed and have the next start bless it. A key that did not
// chain the log's last keyed entries is refused (ErrAuditKeyMismatch), and db keeps no key.
func (db *DB) UseAuditKey(ctx context.Context, key []byte) error {
	if len(key) != sm3.Size {
		return xiezuo.Errorf(xiezuo.EINVALID, "审计密钥应为 %d 字节", sm3.Size)
	}
	db.auditKey = bytes.Clone(key)
	db.auditEmptied, db.auditUnkeyed = false, false
	// One snapshot: another instance's sealer moves entries from audit_pending to audit_log
	// in one transaction, so that the log read empty and the waiting entries read gone, in two
	// reads on either side of it, would look like an emptied log.
	tx, err := db.beginRead(ctx)
	if err != nil {
		return translate(fmt.Errorf("use audit key: %w", err))
	}
	defer tx.Rollback()
	var chain string
	err = tx.QueryRowContext(ctx, `SELECT chain FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&chain)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		state, err := emptyLogState(ctx, tx, key)
		if err != nil {
			return translate(fmt.Errorf("use audit key: %w", err))
		}
		switch state {
		case logYoung:
			// The log's first entries, written by another instance, wait for the sealer.
			db.sealSoon()
			return nil
		case logForeign:
			// The wrong key file, or the log emptied and entries forged: nothing is written
			// either way until the operator has looked (the key stays, for verify).
			db.auditEmptied = true
			return ErrAuditPendingForeign
		case logEmptied:
			db.auditEmptied = true
			return ErrAuditEmptied
		}
		return nil // a fresh log: its first entry is keyed
	case err != nil:
		return translate(fmt.Errorf("use audit key: %w", err))
	case chain != chainHMACSM3:
		db.auditUnkeyed = true
		return ErrAuditUnkeyed
	}
	if ok, err := auditKeyMatches(ctx, tx, key); err != nil {
		db.auditKey = nil
		return translate(fmt.Errorf("use audit key: %w", err))
	} else if !ok {
		db.auditKey = nil // every write is refused: an entry chained under this key breaks the chain
		return ErrAuditKeyMismatch
	}
	// Entries a process left waiting when it died are chained now, not at the next write.
	db.sealSoon()
	return nil
}

// ErrAuditPendingForeign refuses a key under which none of the entries waiting for the sealer
// was written, while the log has no entry yet: the key file of another database, or entries
// inserted by somebody without the key.
var ErrAuditPendingForeign = xiezuo.Errorf(xiezuo.EINVALID, "审计日志还没有记录，等待封存的审计记录却都不是用这个审计密钥写的："+
	"要么密钥文件不是这个数据库的，要么审计记录被删除、这些记录是伪造的。请先确认使用的是创建这个数据库时的密钥文件（XIEZUO_KEY_FILE），"+
	"再用 xiezuo audit verify 核查，并报告安全管理员；系统拒绝启动和写入")

// emptyLog is what an audit log without an entry is (emptyLogState).
type emptyLog int

const (
	logFresh   emptyLog = iota // nothing held: a new database
	logYoung                   // its first entries wait for the sealer
	logForeign                 // entries wait, none of them made with the key
	logEmptied                 // the database holds what no entry accounts for: entries deleted
)

// emptyLogProbe is how many waiting entries emptyLogState reads at most.
const emptyLogProbe = 10000

// emptyLogState judges, in q's snapshot, an audit log that has no entry. Every account and
// every plan is made in the transaction of its audit entry, so a young log (its first entries
// waiting for the sealer, PostgreSQL) has at least as many waiting entries made with the key
// as the database holds accounts and plans. Fewer mean the log was emptied: waiting entries
// without the key's HMAC do not count, and an honest entry copied and inserted again after
// the log was emptied does not pass the log off as young, unless somebody kept as many of
// them as there are accounts and plans (the shipped copy of the log, auditship, is the check
// against that).
func emptyLogState(ctx context.Context, q interface {
	querier
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, key []byte) (emptyLog, error) {
	var held int64
	for _, table := range []string{"users", "plans"} {
		var n int64
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			return 0, err
		}
		held += n
	}
	waiting, keyed, err := keyedPending(ctx, q, key, emptyLogProbe)
	switch {
	case err != nil:
		return 0, err
	case waiting > 0 && keyed == 0:
		return logForeign, nil
	case held == 0:
		return logFresh, nil
	case keyed >= held:
		return logYoung, nil
	}
	return logEmptied, nil
}

// ErrAuditKeyMismatch refuses a key that did not chain the database's audit log: entries
// chained under it would break the chain for good (a restored database started with a new
// key file, or the key file of another database).
var ErrAuditKeyMismatch = xiezuo.Errorf(xiezuo.EINVALID, "审计密钥不是这个数据库的：审计日志最新的记录不是用它链接的。"+
	"请使用创建这个数据库时的密钥文件（XIEZUO_KEY_FILE）；未写入任何数据")

// auditKeyProbe is how many of the last keyed entries auditKeyMatches tries.
const auditKeyProbe = 8

// auditKeyMatches reports whether key made the hash of one of the last auditKeyProbe keyed
// entries of the log (true when there is none). One is enough: an entry changed at the end
// is VerifyAudit's to report, a wrong key matches none.
func auditKeyMatches(ctx context.Context, q querier, key []byte) (bool, error) {
	tried, match := 0, false
	err := each(ctx, q, `SELECT `+auditColumns+` FROM audit_log WHERE chain = $1 ORDER BY seq DESC LIMIT $2`,
		[]any{chainHMACSM3, auditKeyProbe}, func(rows *sql.Rows) error {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			tried++
			match = match || hmac.Equal([]byte(e.digest(key)), []byte(e.Hash))
			return nil
		})
	return match || tried == 0, err
}

// holdsData reports whether the database holds any account or any plan: its audit log, if
// it is empty then, was emptied (ErrAuditEmptied).
func holdsData(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (bool, error) {
	for _, table := range []string{"users", "plans"} {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 AS one FROM `+table+` LIMIT 1) AS t`).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// SwitchAuditKey appends the audit.key entry from which the chain of a log written before the
// audit key is keyed, and returns it. The operator runs it once, when upgrading (xiezuo audit
// key-switch); it is refused when any entry is keyed already, or when the log is empty.
func (db *DB) SwitchAuditKey(ctx context.Context) (AuditEntry, error) {
	if db.auditKey == nil {
		return AuditEntry{}, errNoAuditKey
	}
	tx, err := db.begin(ctx, auditLockKey)
	if err != nil {
		return AuditEntry{}, translate(fmt.Errorf("switch audit key: %w", err))
	}
	defer tx.Rollback()
	var keyed int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE chain = $1`, chainHMACSM3).Scan(&keyed); err != nil {
		return AuditEntry{}, translate(fmt.Errorf("switch audit key: %w", err))
	}
	if keyed > 0 {
		return AuditEntry{}, xiezuo.Errorf(xiezuo.ECONFLICT, "审计日志已有 %d 条用审计密钥链接的记录，不能再切换（切换只在升级时运行一次）；"+
			"若最新记录未用密钥链接，说明审计日志被人改写，请用 xiezuo audit verify 核查", keyed)
	}
	var last int64
	var prev string
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		if held, err := holdsData(ctx, tx); err != nil {
			return AuditEntry{}, translate(fmt.Errorf("switch audit key: %w", err))
		} else if held {
			return AuditEntry{}, ErrAuditEmptied
		}
		return AuditEntry{}, xiezuo.Errorf(xiezuo.EINVALID, "审计日志为空，无需切换：第一条记录就会用审计密钥链接")
	}
	if err != nil {
		return AuditEntry{}, translate(fmt.Errorf("switch audit key: %w", err))
	}
	sw := keySwitch(last)
	setActor(sw, ActorFrom(ctx))
	if err := db.insertAudit(ctx, tx, sw, last, prev); err != nil {
		return AuditEntry{}, translate(fmt.Errorf("switch audit key: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return AuditEntry{}, translate(fmt.Errorf("switch audit key: %w", err))
	}
	db.auditUnkeyed = false
	return *sw, nil
}

// digest computes the entry's hash: HMAC-SM3 under key (for a "hmac-sm3" entry; plain SM3
// for the "sm3" entries written before the key) over the previous hash's 32 bytes followed
// by the canonical encoding of every field but the hashes, each field as its 4-byte
// big-endian length and its UTF-8 bytes, the time as 2006-01-02T15:04:05.000000Z. A prev
// hash that is not 64 hex digits is hashed as its text, so that it never verifies.
func (e *AuditEntry) digest(key []byte) string {
	h, version := sm3.New(), auditCanonicalVersion
	if e.Chain != chainSM3 {
		h, version = hmac.New(sm3.New, key), auditKeyedVersion
	}
	if prev, err := hex.DecodeString(e.PrevHash); err == nil && len(prev) == sm3.Size {
		h.Write(prev)
	} else {
		h.Write([]byte("invalid:" + e.PrevHash))
	}
	e.writeFields(h, version, strconv.FormatInt(e.Seq, 10))
	return hex.EncodeToString(h.Sum(nil))
}

// writeFields writes to h the canonical encoding of version, id and the entry's fields but
// the seq and hashes: each as its 4-byte big-endian length and its UTF-8 bytes, the time as
// 2006-01-02T15:04:05.000000Z.
func (e *AuditEntry) writeFields(h io.Writer, version, id string) {
	var n [4]byte
	for _, f := range []string{
		version,
		id,
		e.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		strconv.FormatInt(e.UserID, 10),
		e.Username, e.Unit, e.IP, e.Action, e.ObjectType, e.ObjectID, e.ObjectLabel,
		e.Before, e.After, e.Outcome, e.Detail,
	} {
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
}

const auditColumns = `seq, at, user_id, username, unit, ip, action, object_type, object_id,
	object_label, before_json, after_json, outcome, detail, prev_hash, hash, chain`

func scanAudit(rows *sql.Rows) (AuditEntry, error) {
	var e AuditEntry
	err := rows.Scan(&e.Seq, &e.At, &e.UserID, &e.Username, &e.Unit, &e.IP, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.ObjectLabel, &e.Before, &e.After, &e.Outcome, &e.Detail,
		&e.PrevHash, &e.Hash, &e.Chain)
	e.At = e.At.UTC()
	return e, err
}

// SearchAudit returns the entries f selects, newest first, and how many it selects in all.
func (db *DB) SearchAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	for _, c := range []struct {
		column, value string
	}{
		{"username", f.Username}, {"unit", f.Unit}, {"object_type", f.ObjectType},
		{"object_id", f.ObjectID}, {"action", f.Action},
	} {
		if c.value != "" {
			add(c.column+" = $%d", c.value)
		}
	}
	if len(f.Actions) > 0 {
		var in []string
		for _, a := range f.Actions {
			args = append(args, a)
			in = append(in, fmt.Sprintf("$%d", len(args)))
		}
		where = append(where, "action IN ("+strings.Join(in, ", ")+")")
	}
	if f.District != "" {
		add("user_id IN (SELECT id FROM users WHERE district = $%d)", f.District)
	}
	if !f.From.IsZero() {
		add("at >= $%d", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < $%d", f.To.UTC())
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = auditDefaultLimit
	case limit > auditMaxLimit:
		limit = auditMaxLimit
	}
	offset := max(f.Offset, 0)

	// Entries waiting to be chained are shown once chained; a refused seal (see VerifyAudit)
	// does not keep the log from being read.
	_ = db.sealPending(ctx)
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, translate(fmt.Errorf("search audit: %w", err))
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log `+cond, args...).Scan(&total); err != nil {
		return nil, 0, translate(fmt.Errorf("search audit: %w", err))
	}
	var entries []AuditEntry
	n := len(args)
	err = each(ctx, tx, fmt.Sprintf(`SELECT %s FROM audit_log %s ORDER BY seq DESC LIMIT $%d OFFSET $%d`,
		auditColumns, cond, n+1, n+2), append(args, limit, offset),
		func(rows *sql.Rows) error {
			e, err := scanAudit(rows)
			entries = append(entries, e)
			return err
		})
	if err != nil {
		return nil, 0, translate(fmt.Errorf("search audit: %w", err))
	}
	return entries, total, nil
}

// pruneAnchor is the After of an audit.prune entry: it vouches for the first entry left.
type pruneAnchor struct {
	Before    time.Time `json:"before"`
	Deleted   int64     `json:"deleted"`
	Through   int64     `json:"through"`             // seq of the last entry deleted
	ThroughAt time.Time `json:"through_at,omitzero"` // its time: before Before
	Hash      string    `json:"hash"`                // its hash: the prev_hash of the first entry left
}

// AuditMark names one entry of the log by its seq and hash, as `audit verify` prints the
// head: "seq:hash". Kept outside the database, it tells later whether entries were cut from
// the end or the chain rewritten up to it.
type AuditMark struct {
	Seq  int64
	Hash string
}

// String writes m as "seq:hash".
func (m AuditMark) String() string { return strconv.FormatInt(m.Seq, 10) + ":" + m.Hash }

// ParseAuditMark reads "seq:hash" as String writes it.
func ParseAuditMark(s string) (AuditMark, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if b, herr := hex.DecodeString(hash); !ok || err != nil || n < 1 || herr != nil || len(b) != sm3.Size {
		return AuditMark{}, xiezuo.Errorf(xiezuo.EINVALID, "审计日志的最新记录应写作“序号:哈希”（如 1234:%s），与上次校验打印的相同", genesisHash)
	}
	return AuditMark{Seq: n, Hash: strings.ToLower(hash)}, nil
}

// AuditVerification is what VerifyAudit found.
type AuditVerification struct {
	Checked  int       // entries checked
	FirstBad int64     // seq of the first entry that is wrong, 0 when none is
	Problem  string    // why FirstBad is wrong, in Chinese; "" when none is
	Head     AuditMark // the last entry of the log
	Pending  int       // entries still waiting to be chained (appendAuditDeferred), each checked
	// From is the entry an incremental verification started from: the head the last
	// successful verification recorded, in its keyed audit.verify entry (VerifyAuditIncremental).
	// Zero when every entry was checked.
	From AuditMark
	// Full is set when every entry was checked; AuditVerified records it ("full": true).
	Full bool
	// FailedBefore is the seq of the failed audit.verify entry recorded after the last
	// successful one, which made an incremental verification check every entry; 0 if none.
	FailedBefore int64
}

// OK reports whether the log verified.
func (v AuditVerification) OK() bool { return v.FirstBad == 0 }

// VerifyAudit recomputes the hash chain from the first entry kept and reports the first entry
// that is wrong: an entry whose content no longer matches its hash, or whose prev_hash is not
// the hash of the entry before it, or that follows a gap in the numbering (an entry deleted
// before it). Entries are keyed (HMAC-SM3 under the audit key) from the first keyed entry on;
// unkeyed ones are accepted only before it, and a log without any keyed entry does not verify,
// since anyone could have written it. The first entry kept must be the first ever appended, or
// the first after a PruneAudit, whose entry vouches for it and may only have deleted entries
// older than AuditRetentionDays at its time. When want is not zero, the entry want.Seq must
// still be there with want.Hash: entries cut from the end are found so.
func (db *DB) VerifyAudit(ctx context.Context, want AuditMark) (AuditVerification, error) {
	return db.verifyAudit(ctx, want, false)
}

// VerifyAuditIncremental is VerifyAudit from the head the last successful verification
// recorded: the After of the last audit.verify entry whose outcome is success. That entry is
// keyed and lies in the part checked, so nobody without the key can forge it to skip entries.
// It checks that the recorded head is still there with its hash, every entry after it (link,
// numbering, keying, content), the first entry kept (the log's start or a prune's anchor),
// every prune anchor, the entries waiting, and want wherever it lies. Without such an entry,
// or when the recorded head is no longer in the log (pruned since), it checks every entry.
func (db *DB) VerifyAuditIncremental(ctx context.Context, want AuditMark) (AuditVerification, error) {
	return db.verifyAudit(ctx, want, true)
}

// verifiedHead is the head recorded by the last audit.verify entry of q's snapshot, and that
// entry's seq, when it succeeded; a zero mark when there is none to start from. When the last
// one failed (tampering found, by a full verification say), failed is its seq: every entry is
// checked again, not only those after the last success.
func verifiedHead(ctx context.Context, q *sql.Tx) (m AuditMark, seq, failed int64, err error) {
	var after, outcome string
	err = q.QueryRowContext(ctx, `SELECT seq, outcome, after_json FROM audit_log WHERE action = $1 ORDER BY seq DESC LIMIT 1`,
		AuditVerify).Scan(&seq, &outcome, &after)
	if errors.Is(err, sql.ErrNoRows) {
		return AuditMark{}, 0, 0, nil
	}
	if err != nil {
		return AuditMark{}, 0, 0, err
	}
	if outcome != AuditSuccess {
		return AuditMark{}, 0, seq, nil
	}
	var rec struct {
		Head string `json:"head"`
	}
	if json.Unmarshal([]byte(after), &rec) != nil {
		return AuditMark{}, 0, 0, nil
	}
	m, err = ParseAuditMark(rec.Head)
	if err != nil || m.Seq >= seq {
		return AuditMark{}, 0, 0, nil // checked in full: the entry's hash will say whether it was forged
	}
	return m, seq, 0, nil
}

func (db *DB) verifyAudit(ctx context.Context, want AuditMark, incremental bool) (AuditVerification, error) {
	var v AuditVerification
	if db.auditKey == nil {
		return v, errNoAuditKey
	}
	// What waits is chained first, so that the head printed covers it. A seal refused (an
	// unkeyed or emptied log) leaves it waiting: the checks below report why.
	_ = db.sealPending(ctx)
	tx, err := db.beginRead(ctx)
	if err != nil {
		return v, translate(fmt.Errorf("verify audit: %w", err))
	}
	defer tx.Rollback()
	type anchor struct {
		pruneAnchor
		seq int64
		at  time.Time
	}
	anchors := map[int64]anchor{} // through → anchor
	err = each(ctx, tx, `SELECT seq, at, after_json FROM audit_log WHERE action = $1`, []any{AuditPrune},
		func(rows *sql.Rows) error {
			var a anchor
			var s string
			if err := rows.Scan(&a.seq, &a.at, &s); err != nil {
				return err
			}
			if json.Unmarshal([]byte(s), &a.pruneAnchor) == nil {
				anchors[a.Through] = a
			}
			return nil
		})
	if err != nil {
		return v, translate(fmt.Errorf("verify audit: %w", err))
	}
	bad := func(seq int64, format string, args ...any) {
		if v.FirstBad == 0 {
			v.FirstBad, v.Problem = seq, fmt.Sprintf(format, args...)
		}
	}
	var prev *AuditEntry
	var keyed bool
	var first int64 // seq of the first entry kept
	wantSeen := false
	if incremental {
		base, _, failed, err := verifiedHead(ctx, tx)
		if err != nil {
			return v, translate(fmt.Errorf("verify audit: %w", err))
		}
		v.FailedBefore = failed
		var head AuditEntry
		if base.Seq > 0 {
			err = each(ctx, tx, `SELECT `+auditColumns+` FROM audit_log WHERE seq = $1`, []any{base.Seq},
				func(rows *sql.Rows) error {
					head, err = scanAudit(rows)
					return err
				})
			if err != nil {
				return v, translate(fmt.Errorf("verify audit: %w", err))
			}
		}
		switch {
		case base.Seq == 0, head.Seq == 0:
			// Nothing verified before, the last verification failed, or its head pruned
			// since: every entry is checked.
		case head.Hash != base.Hash:
			bad(base.Seq, "第 %d 条的哈希与上次校验记录的（%s）不符：已校验的记录被改写", base.Seq, base)
		case head.Chain != chainHMACSM3 || head.digest(db.auditKey) != head.Hash:
			bad(base.Seq, "第 %d 条（上次校验的最新记录）的内容与其哈希不符：被改动，或审计密钥不对", base.Seq)
		default:
			v.From = base
		}
	}
	if v.From.Seq > 0 {
		// The start of the log, which the full pass checks at its first entry.
		var e AuditEntry
		err := tx.QueryRowContext(ctx, `SELECT seq, prev_hash FROM audit_log ORDER BY seq LIMIT 1`).Scan(&e.Seq, &e.PrevHash)
		if err != nil {
			return v, translate(fmt.Errorf("verify audit: %w", err))
		}
		first = e.Seq
		if a, ok := anchors[e.Seq-1]; e.Seq == 1 && e.PrevHash != genesisHash {
			bad(e.Seq, "第 1 条不是日志的开头")
		} else if e.Seq > 1 && (!ok || e.PrevHash != a.Hash) {
			bad(e.Seq, "第 %d 条之前的记录被删除，且没有审计清理记录为其作证", e.Seq)
		}
		// Every prune's anchor, which the full pass checks where it is used.
		for _, a := range anchors {
			if a.Before.After(a.at.AddDate(0, 0, -AuditRetentionDays)) || !a.ThroughAt.IsZero() && !a.ThroughAt.Before(a.Before) {
				bad(a.seq, "审计清理记录（第 %d 条）删除了未满 %d 天的记录", a.seq, AuditRetentionDays)
			}
		}
		// want before the part checked is looked up by itself.
		if want.Seq > 0 && want.Seq <= v.From.Seq {
			var hash string
			err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, want.Seq).Scan(&hash)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if want.Seq >= first {
					bad(want.Seq, "记录的最新记录第 %d 条不在日志中", want.Seq)
				}
			case err != nil:
				return v, translate(fmt.Errorf("verify audit: %w", err))
			case hash != want.Hash:
				bad(want.Seq, "第 %d 条的哈希与记录的最新记录（%s）不符：此后的记录被改写", want.Seq, want)
			default:
				wantSeen = true
			}
		}
		// The head verified before is the link the entries after it must continue.
		prev = &AuditEntry{Seq: v.From.Seq, Hash: v.From.Hash}
		keyed = true
		v.Head = v.From
	}
	err = each(ctx, tx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > $1 ORDER BY seq`, []any{v.From.Seq},
		func(rows *sql.Rows) error {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			v.Head = AuditMark{e.Seq, e.Hash}
			if e.Seq == want.Seq {
				wantSeen = true
				if e.Hash != want.Hash {
					bad(e.Seq, "第 %d 条的哈希与记录的最新记录（%s）不符：此后的记录被改写", e.Seq, want)
				}
			}
			if v.FirstBad != 0 {
				return nil
			}
			v.Checked++
			switch {
			case prev != nil:
				if e.Seq != prev.Seq+1 || e.PrevHash != prev.Hash {
					bad(e.Seq, "第 %d 条与前一条（第 %d 条）接不上：其间的记录被删除或改动", e.Seq, prev.Seq)
				}
			case e.Seq == 1:
				first = 1
				if e.PrevHash != genesisHash {
					bad(e.Seq, "第 1 条不是日志的开头")
				}
			default:
				first = e.Seq
				a, ok := anchors[e.Seq-1]
				switch {
				case !ok || e.PrevHash != a.Hash:
					bad(e.Seq, "第 %d 条之前的记录被删除，且没有审计清理记录为其作证", e.Seq)
				case a.Before.After(a.at.AddDate(0, 0, -AuditRetentionDays)),
					!a.ThroughAt.IsZero() && !a.ThroughAt.Before(a.Before):
					bad(e.Seq, "审计清理记录（第 %d 条）删除了未满 %d 天的记录", a.seq, AuditRetentionDays)
				}
			}
			switch {
			case e.Action == AuditKeyed && (keyed || e.Chain != chainHMACSM3):
				bad(e.Seq, "第 %d 条是多余的审计密钥切换记录：切换只有一次，且在第一条用密钥链接的记录处", e.Seq)
			case e.Action == AuditKeyed && prev == nil && e.Seq == 1:
				bad(e.Seq, "第 1 条是审计密钥切换记录，而它之前没有未用密钥的记录")
			case e.Chain == chainHMACSM3 && !keyed && prev != nil && e.Action != AuditKeyed:
				bad(e.Seq, "第 %d 条之前的记录未用审计密钥链接，而其间没有审计密钥切换记录", e.Seq)
			case e.Chain != chainHMACSM3 && keyed:
				bad(e.Seq, "第 %d 条未用审计密钥链接，而它之前已有用密钥链接的记录", e.Seq)
			}
			if e.Chain == chainHMACSM3 {
				keyed = true
			}
			if e.digest(db.auditKey) != e.Hash {
				bad(e.Seq, "第 %d 条的内容与其哈希不符：被改动，或审计密钥不对", e.Seq)
			}
			prev = &e
			return nil
		})
	if err != nil {
		return v, translate(fmt.Errorf("verify audit: %w", err))
	}
	switch {
	case v.FirstBad != 0:
	case (v.Checked > 0 || v.From.Seq > 0) && !keyed:
		bad(first, "没有一条记录用审计密钥链接：整条链可能被改写")
	case want.Seq > v.Head.Seq:
		bad(want.Seq, "记录的最新记录第 %d 条已不在日志中：日志末尾的记录被删除（日志现只到第 %d 条）", want.Seq, v.Head.Seq)
	case want.Seq > 0 && !wantSeen && want.Seq >= first:
		bad(want.Seq, "记录的最新记录第 %d 条不在日志中", want.Seq)
	}
	v.Full = v.From.Seq == 0
	if err := db.checkPending(ctx, tx, &v); err != nil {
		return v, translate(fmt.Errorf("verify audit: %w", err))
	}
	if v.Checked == 0 && v.Head.Seq == 0 && v.From.Seq == 0 {
		v.Head.Hash = genesisHash
		held, err := holdsData(ctx, tx)
		if err != nil {
			return v, translate(fmt.Errorf("verify audit: %w", err))
		}
		if held && v.FirstBad == 0 {
			bad(1, "审计日志为空，但数据库中已有账号或计划：审计记录被删除")
		}
	}
	return v, nil
}

// AuditHead returns the seq and hash of the last entry of the log, 0 and the genesis hash
// when it is empty: kept outside the database, they tell later whether entries were deleted
// from the end.
func (db *DB) AuditHead(ctx context.Context) (seq int64, hash string, err error) {
	_ = db.sealPending(ctx) // the head is the last entry chained: what waits is chained first
	err = db.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, genesisHash, nil
	}
	if err != nil {
		return 0, "", translate(fmt.Errorf("audit head: %w", err))
	}
	return seq, hash, nil
}

// PruneAudit deletes the oldest entries, those before before, and returns how many it
// deleted. Entries are kept at least AuditRetentionDays: a later before is refused. Only a
// run of entries from the start is deleted, so the chain stays whole, and an audit.prune
// entry records the hash of the last entry deleted, from which VerifyAudit starts.
func (db *DB) PruneAudit(ctx context.Context, before time.Time) (int64, error) {
	limit := db.auditNow().UTC().AddDate(0, 0, -AuditRetentionDays)
	if before.After(limit) {
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "审计日志至少保存 %d 天（六个月），只能删除 %s 之前的记录",
			AuditRetentionDays, limit.In(shanghai).Format("2006-01-02"))
	}
	// The entries waiting are chained first: the prune counts and anchors on the chain.
	if err := db.sealPending(ctx); err != nil {
		return 0, err
	}
	tx, err := db.begin(ctx, auditLockKey)
	if err != nil {
		return 0, translate(fmt.Errorf("prune audit: %w", err))
	}
	defer tx.Rollback()
	// The first entry to keep: the first at or after before, or none when all are older.
	var keep sql.Null[int64]
	if err := tx.QueryRowContext(ctx, `SELECT MIN(seq) FROM audit_log WHERE at >= $1`, before.UTC()).Scan(&keep); err != nil {
		return 0, translate(fmt.Errorf("prune audit: %w", err))
	}
	q := `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`
	args := []any{}
	if keep.Valid {
		q = `SELECT seq, hash FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT 1`
		args = append(args, keep.V)
	}
	a := pruneAnchor{Before: before.UTC()}
	err = tx.QueryRowContext(ctx, strings.Replace(q, "seq, hash", "seq, at, hash", 1), args...).Scan(&a.Through, &a.ThroughAt, &a.Hash)
	a.ThroughAt = a.ThroughAt.UTC()
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, translate(fmt.Errorf("prune audit: %w", err))
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM audit_log WHERE seq <= $1`, a.Through)
	if err != nil {
		return 0, translate(fmt.Errorf("prune audit: %w", err))
	}
	if a.Deleted, err = res.RowsAffected(); err != nil {
		return 0, translate(fmt.Errorf("prune audit: %w", err))
	}
	e := entryFor(ctx, AuditPrune, "audit_log", "", "审计日志")
	e.After = mustJSON(a)
	e.Detail = fmt.Sprintf("删除 %s 之前的审计记录 %d 条", before.In(shanghai).Format("2006-01-02"), a.Deleted)
	if err := db.appendChained(ctx, tx, e); err != nil {
		return 0, translate(fmt.Errorf("prune audit: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return 0, translate(fmt.Errorf("prune audit: %w", err))
	}
	return a.Deleted, nil
}

// shanghai is the time zone dates are shown in: China has kept UTC+8 without summer time
// since 1991.
var shanghai = time.FixedZone("CST", 8*3600)

// mustJSON encodes v, which is one of this package's own record types: it cannot fail.
func mustJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("encode %T: %v", v, err))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// AuditVerified appends the audit.verify entry of a verification v against want, and returns
// the head after it: what the next verification is given.
func (db *DB) AuditVerified(ctx context.Context, v AuditVerification, want AuditMark) (AuditMark, error) {
	e := AuditEntry{Action: AuditVerify, ObjectType: "audit_log", ObjectLabel: "审计日志", Outcome: AuditSuccess}
	against := ""
	if want.Seq > 0 {
		against = "，比对记录的最新记录 " + want.String()
	}
	if v.From.Seq > 0 {
		against += fmt.Sprintf("（增量：自上次校验的第 %d 条起）", v.From.Seq)
	}
	if v.Full {
		against += "（全部校验）"
		if v.FailedBefore > 0 {
			against += fmt.Sprintf("（第 %d 条记录的校验未通过，故全部校验）", v.FailedBefore)
		}
	}
	if v.OK() {
		e.Detail = fmt.Sprintf("校验 %d 条%s，哈希链完整；最新一条 %s", v.Checked, against, v.Head)
	} else {
		e.Outcome = AuditFailure
		e.Detail = fmt.Sprintf("校验 %d 条%s，未通过：%s", v.Checked, against, v.Problem)
	}
	e.After = mustJSON(struct {
		Checked  int    `json:"checked"`
		FirstBad int64  `json:"first_bad,omitempty"`
		Head     string `json:"head"`
		Expected string `json:"expected,omitempty"`
		From     string `json:"from,omitempty"` // the head of the verification this one continued
		Full     bool   `json:"full,omitempty"` // every entry was checked
	}{v.Checked, v.FirstBad, v.Head.String(), map[bool]string{true: want.String()}[want.Seq > 0],
		map[bool]string{true: v.From.String()}[v.From.Seq > 0], v.Full})
	tx, err := db.begin(ctx, auditLockKey)
	if err != nil {
		return AuditMark{}, translate(fmt.Errorf("audit verify: %w", err))
	}
	defer tx.Rollback()
	setActor(&e, ActorFrom(ctx))
	if err := db.appendChained(ctx, tx, &e); err != nil {
		return AuditMark{}, translate(fmt.Errorf("audit verify: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return AuditMark{}, translate(fmt.Errorf("audit verify: %w", err))
	}
	return AuditMark{Seq: e.Seq, Hash: e.Hash}, nil
}
