package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"xiezuo"
)

// API writes that create something take an Idempotency-Key: a client that did not hear the
// answer sends the same request again with the same key, and gets the first answer without a
// second report. The key's row is written in the transaction of what it creates, so a crash
// stores both or neither, and the key's lock makes two requests with one key wait for each
// other: the second finds the first's row and replays it.

// Idem is the Idempotency-Key of one API write, per user.
type Idem struct {
	UserID      int64
	Key         string // as the client sent it; "" for a write without a key
	RequestHash string // hex SHA-256 of what the request asks (method, path, decoded body)
}

// MaxIdemKey is the longest Idempotency-Key accepted, in bytes.
const MaxIdemKey = 200

// CheckIdemKey refuses a key that is too long or holds anything but visible ASCII.
func CheckIdemKey(key string) error {
	if len(key) > MaxIdemKey {
		return xiezuo.Errorf(xiezuo.EINVALID, "Idempotency-Key 最长 %d 个字符", MaxIdemKey)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return xiezuo.Errorf(xiezuo.EINVALID, "Idempotency-Key 只能由可见的 ASCII 字符组成（如 UUID）")
		}
	}
	return nil
}

func (k Idem) lockKey() string { return "idem " + strconv.FormatInt(k.UserID, 10) + " " + k.Key }

// idemLookup reads the answer stored for k inside tx, which holds k's lock: found is false
// when the key is new; ECONFLICT when the key was used for another request.
func idemLookup(ctx context.Context, tx *sql.Tx, k Idem) (response []byte, found bool, err error) {
	var hash, body string
	err = tx.QueryRowContext(ctx, `SELECT request_hash, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
		k.UserID, k.Key).Scan(&hash, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if hash != k.RequestHash {
		return nil, false, xiezuo.Errorf(xiezuo.ECONFLICT, "Idempotency-Key“%s”已用于内容不同的请求；新的请求请换一个键", k.Key)
	}
	return []byte(body), true, nil
}

// IdemAnswered looks k up before its request is checked: the stored receipt when k was used for
// the same request (found true), ECONFLICT when it was used for another, found false when k
// is new (or "", or its first request was refused and stored nothing). A used key is answered
// as used whatever the new body holds, so that a client learns it reused a key even when the
// body it sent is wrong. SubmitReportOnce looks again under the key's lock.
func (db *DB) IdemAnswered(ctx context.Context, k Idem) (rc ReportReceipt, found bool, err error) {
	found, err = db.IdemStored(ctx, k, &rc)
	return rc, found, err
}

// IdemStored is IdemAnswered for any write: it decodes the first answer stored for k into v (a
// pointer to what that write answers: a report's receipt, a fund transaction).
func (db *DB) IdemStored(ctx context.Context, k Idem, v any) (found bool, err error) {
	if k.Key == "" {
		return false, nil
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return false, translate(fmt.Errorf("idempotency key: %w", err))
	}
	defer tx.Rollback()
	stored, found, err := idemLookup(ctx, tx, k)
	if err != nil || !found {
		return false, translate(err)
	}
	if err := json.Unmarshal(stored, v); err != nil {
		return false, fmt.Errorf("stored answer of key %q: %w", k.Key, err)
	}
	return true, nil
}

// idemStore stores the answer of k's first request inside its transaction.
func (db *DB) idemStore(ctx context.Context, tx *sql.Tx, k Idem, status int, response []byte) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, k.UserID, k.Key, k.RequestHash, status, string(response), db.now().UTC())
	return err
}

// SubmitReportOnce is SubmitReport under an Idempotency-Key: the first request with k stores
// the report and the key together and answers its receipt; the same key with the same request
// answers that receipt again (replayed true) and stores nothing; the same key with another
// request is ECONFLICT. Without a key it is SubmitReport. On SQLite the submissions of a
// deadline day share their commits (inGroup).
func (db *DB) SubmitReportOnce(ctx context.Context, in ReportWrite, k Idem) (rc ReportReceipt, replayed bool, err error) {
	if k.Key != "" {
		if err := CheckIdemKey(k.Key); err != nil {
			return rc, false, err
		}
	}
	if rc, replayed, ok, err := db.submitPipelined(ctx, in, k); ok {
		if err != nil {
			return ReportReceipt{}, false, translate(fmt.Errorf("submit report: %w", err))
		}
		return rc, replayed, nil
	}
	write := func(ctx context.Context, tx *sql.Tx) error {
		var err error
		rc, replayed, err = db.submitReportIn(ctx, tx, in, k)
		return err
	}
	if db.dialect.groupCommit {
		if err := db.inGroup(ctx, write); err != nil {
			return ReportReceipt{}, false, translate(fmt.Errorf("submit report: %w", err))
		}
		return rc, replayed, nil
	}
	lock := submitLockKey(in)
	if k.Key != "" {
		lock = k.lockKey()
	}
	tx, err := db.begin(ctx, lock)
	if err != nil {
		return rc, false, translate(fmt.Errorf("submit report: %w", err))
	}
	defer tx.Rollback()
	if err := write(ctx, tx); err != nil {
		return ReportReceipt{}, false, translate(fmt.Errorf("submit report: %w", err))
	}
	if replayed {
		return rc, true, nil
	}
	if err := db.commitAudited(tx); err != nil {
		return ReportReceipt{}, false, translate(fmt.Errorf("submit report: %w", err))
	}
	return rc, false, nil
}

// submitReportIn does a submission's work inside tx, which holds k's lock when k has a key
// (else the lock of submitLockKey): the key's stored answer when there is one, else the
// report, the key's row and the audit entry, last. The caller commits.
func (db *DB) submitReportIn(ctx context.Context, tx *sql.Tx, in ReportWrite, k Idem) (ReportReceipt, bool, error) {
	var rc ReportReceipt
	if k.Key != "" {
		stored, found, err := idemLookup(ctx, tx, k)
		if err != nil {
			return rc, false, err
		}
		if found {
			if err := json.Unmarshal(stored, &rc); err != nil {
				return rc, false, fmt.Errorf("stored answer of key %q: %w", k.Key, err)
			}
			return rc, true, nil
		}
		if err := db.lock(ctx, tx, submitLockKey(in)); err != nil {
			return rc, false, err
		}
	}
	rc, e, err := db.submitReport(ctx, tx, in)
	if err != nil {
		return ReportReceipt{}, false, err
	}
	if k.Key != "" {
		if err := db.idemStore(ctx, tx, k, 201, []byte(mustJSON(rc))); err != nil {
			return ReportReceipt{}, false, err
		}
		e.Detail = "Idempotency-Key: " + k.Key
	}
	// Deadline days bring thousands of these at once: on PostgreSQL the entry waits for the
	// sealer instead of holding the audit log's lock through the commit (audit_seal.go).
	if err := db.appendAuditDeferred(ctx, tx, e); err != nil {
		return ReportReceipt{}, false, err
	}
	return rc, false, nil
}

// submitLockKey is the lock a submission takes: the duty's report lock for a new version of
// a report, which must be numbered after the one before and not race a review of it; for a
// new report, the lock of the unit's (or the writer's) new report on the duty, so that two
// submissions at once cannot both begin the month's report (xiezuo.NewReportRefusal), while on
// a deadline day the units reporting on one duty do not wait for each other's commits.
func submitLockKey(in ReportWrite) string {
	if in.ReportID == 0 {
		return "report new " + in.Duty.String() + " " + in.Unit + " " + in.Writer
	}
	return reportLockKey(in.Duty)
}

// IdemKeep is how long an Idempotency-Key's answer is kept: a client retries within minutes
// or, after an outage, the next day; a month is far beyond both. The daily reminder run
// prunes older keys (PruneIdemKeys).
const IdemKeep = 30 * 24 * time.Hour

// PruneIdemKeys deletes the keys whose answer was stored before before (by the database's
// clock, as idemStore dates them) and returns how many. What they created stays: only the
// replay of a request that old is lost, and it would be refused anyway where a rule forbids a
// second one (one report a unit, duty and month).
func (db *DB) PruneIdemKeys(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.writer.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, before.UTC())
	if err != nil {
		return 0, translate(fmt.Errorf("prune idempotency keys: %w", err))
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// writeOnce runs a write that answers out, in a transaction that holds lock, under the
// Idempotency-Key k. Without a key: check, then write. With one, under k's lock: the answer
// stored for k when there is one (replayed true, nothing written), ECONFLICT when k was used for
// another request, else check, lock and write, with k's row storing out (answered with status).
// check refuses what the request asks before anything is read, so that a used key is answered
// whatever the body holds; write does the work inside tx and returns its answer and its audit
// entry, appended last (naming the key) in the same transaction. what prefixes the errors.
func writeOnce[T any](ctx context.Context, db *DB, what, lock string, k Idem, status int, check func() error,
	write func(tx *sql.Tx) (T, *AuditEntry, error)) (out T, replayed bool, err error) {
	var zero T
	fail := func(err error) (T, bool, error) { return zero, false, translate(fmt.Errorf("%s: %w", what, err)) }
	first := lock
	if k.Key == "" {
		if err := check(); err != nil {
			return zero, false, err
		}
	} else {
		if err := CheckIdemKey(k.Key); err != nil {
			return zero, false, err
		}
		first = k.lockKey()
	}
	tx, err := db.begin(ctx, first)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	if k.Key != "" {
		stored, found, err := idemLookup(ctx, tx, k)
		if err != nil {
			return fail(err)
		}
		if found {
			if err := json.Unmarshal(stored, &out); err != nil {
				return zero, false, fmt.Errorf("stored answer of key %q: %w", k.Key, err)
			}
			return out, true, nil
		}
		if err := check(); err != nil {
			return zero, false, err
		}
		if err := db.lock(ctx, tx, lock); err != nil {
			return fail(err)
		}
	}
	out, e, err := write(tx)
	if err != nil {
		return fail(err)
	}
	if k.Key != "" {
		if err := db.idemStore(ctx, tx, k, status, []byte(mustJSON(out))); err != nil {
			return fail(err)
		}
		e.Detail = "Idempotency-Key: " + k.Key
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return out, false, nil
}
