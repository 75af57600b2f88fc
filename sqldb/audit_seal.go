package sqldb

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// The busiest writes (progress reports on a deadline day) do not chain their audit entry
// themselves. appendAudit takes the audit log's lock and holds it until its transaction
// commits, so on PostgreSQL every audited write waits for the commit of the one before: the
// chain, not the database, sets the pace (docs/benchmarks.md, "Deadline day"). Such writes
// call appendAuditDeferred instead: the entry is written, in the write's own transaction,
// into audit_pending with an HMAC-SM3 under the audit key over its content and a random ref,
// and the sealer chains whatever waits, in batches, under the lock, in one transaction per
// batch. Nothing of what VerifyAudit proves is given up:
//   - a waiting entry is committed with its change or not at all, like a chained one, and
//     survives a crash: the next seal (another instance's, the next start's, a verify) chains
//     it;
//   - one inserted by somebody without the key does not verify and is never sealed;
//     VerifyAudit reports it;
//   - a waiting entry cannot be changed, and leaves audit_pending only into audit_log, whose
//     unique ref column names it: it cannot be dropped, nor sealed twice (replayed);
//   - once sealed it is an ordinary entry of the chain, keyed and numbered without gaps.
//
// A waiting entry is no more exposed than the newest chained ones: deleting the end of the
// log behind the triggers' back is found only against a head recorded outside the database
// (AuditMark), and VerifyAudit seals what waits before it reports the head to record.

const (
	auditPendingVersion = "xiezuo-audit-pending-v1"
	sealBatch           = 256              // entries chained per statement
	sealMaxBatches      = 16               // batches per transaction of the sealer
	sealIdle            = 2 * time.Second  // how often the sealer looks for entries left by a crash
	sealCloseTimeout    = 10 * time.Second // how long Close waits for the last seal
	sealPoll            = 2 * time.Millisecond
	sealActive          = time.Second // how long the sealer looks often after an entry was written
)

// sealer runs the background seal of one DB: woken by writes that left entries waiting, and
// every sealIdle for entries that another instance left when it died.
type sealer struct {
	once sync.Once // starts the goroutine
	halt sync.Once // stops it
	wake chan struct{}
	stop chan struct{}
	done chan struct{}
	// nudges counts entries written by transactions not known to have committed
	// (sealAfterCommit): the sealer looks again shortly while it grows.
	nudges atomic.Int64
}

func newSealer() *sealer {
	return &sealer{wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// appendAuditDeferred appends e inside tx, the transaction of the change it records, for the
// busiest writes; commit tx with commitAudited. On PostgreSQL the entry waits to be chained
// (appendAuditPending), so that concurrent writers do not wait for each other's commits. On
// SQLite, which runs one writer at a time whatever the log does, it is chained at once
// (appendAudit): waiting would only add the sealer's writes to the one writer's work.
func (db *DB) appendAuditDeferred(ctx context.Context, tx *sql.Tx, e *AuditEntry) error {
	if !db.dialect.deferAudit {
		return db.appendChained(ctx, tx, e)
	}
	return db.appendAuditPending(ctx, tx, e)
}

// appendAuditPending writes e inside tx as an entry waiting to be chained: it takes no lock.
// e's Seq and Hash stay empty: they are given when the entry is sealed.
func (db *DB) appendAuditPending(ctx context.Context, tx *sql.Tx, e *AuditEntry) error {
	args, err := db.pendingArgs(e)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_pending `+pendingColumns+` VALUES `+pendingValues, args...); err != nil {
		return fmt.Errorf("append waiting audit entry: %w", err)
	}
	return nil
}

// The columns of a waiting audit entry, and their placeholders in pendingArgs's order.
const (
	pendingColumns = `(ref, at, user_id, username, unit, ip, action, object_type, object_id, object_label, before_json, after_json, outcome, detail, mac)`
	pendingValues  = `($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`
)

// pendingArgs dates e and returns the values of its audit_pending row, keyed by its random
// ref (pendingColumns), or why no entry may be written.
func (db *DB) pendingArgs(e *AuditEntry) ([]any, error) {
	db.pendingWritten.Store(true)
	switch {
	case db.auditKey == nil:
		return nil, errNoAuditKey
	case db.auditEmptied:
		return nil, ErrAuditEmptied
	case db.auditUnkeyed:
		return nil, ErrAuditUnkeyed
	}
	if e.Outcome == "" {
		e.Outcome = AuditSuccess
	}
	e.At = db.auditNow().UTC().Truncate(time.Microsecond)
	var b [16]byte
	rand.Read(b[:])
	ref := hex.EncodeToString(b[:])
	return []any{ref, e.At, e.UserID, e.Username, e.Unit, e.IP, e.Action, e.ObjectType, e.ObjectID,
		e.ObjectLabel, e.Before, e.After, e.Outcome, e.Detail, e.pendingMAC(db.auditKey, ref)}, nil
}

// commitAudited commits tx, whose audit entry waits (appendAuditDeferred), and wakes the
// sealer.
func (db *DB) commitAudited(tx *sql.Tx) error {
	if err := tx.Commit(); err != nil {
		return err
	}
	db.sealSoon()
	return nil
}

// sealAfterCommit wakes the sealer for an entry whose transaction commits later (appendAudit
// does not see the commit): the sealer seals at once and then looks again every few
// milliseconds while such entries keep coming (sealActive), so that an entry is chained
// within milliseconds of its commit, in a batch with its neighbours.
func (db *DB) sealAfterCommit() {
	db.seal.nudges.Add(1)
	db.sealSoon()
}

// sealSoon wakes the sealer, starting it on first use.
func (db *DB) sealSoon() {
	s := db.seal
	s.once.Do(func() { go db.runSealer() })
	select {
	case s.wake <- struct{}{}:
	default: // already woken: the coming seal takes this entry too
	}
}

// runSealer seals until Close. A failed seal is tried again at the next wake or tick: the
// entries wait in the database meanwhile, and VerifyAudit reports what cannot be sealed.
func (db *DB) runSealer() {
	s := db.seal
	defer close(s.done)
	tick := time.NewTicker(sealIdle)
	defer tick.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-s.stop
		cancel()
	}()
	// again fires while entries of transactions not yet seen committed may wait: every
	// sealPoll while they keep coming, less and less often once they stop, until sealActive
	// after the last.
	again := time.NewTimer(time.Hour)
	again.Stop()
	var seen int64
	var lastNudge time.Time
	poll := sealPoll
	for {
		select {
		case <-s.stop:
			return
		case <-s.wake:
		case <-again.C:
		case <-tick.C:
		}
		_ = db.sealPending(ctx)
		now := time.Now()
		if n := s.nudges.Load(); n != seen {
			seen, lastNudge, poll = n, now, sealPoll
		} else {
			poll = min(2*poll, sealActive/4)
		}
		if now.Sub(lastNudge) < sealActive {
			again.Reset(poll)
		}
	}
}

// stopSealer stops the background sealer, if it was started, and seals what is left.
func (db *DB) stopSealer() {
	db.haltSealer()
	if db.auditKey != nil {
		ctx, cancel := context.WithTimeout(context.Background(), sealCloseTimeout)
		defer cancel()
		_ = db.sealPending(ctx)
	}
}

// haltSealer stops the background sealer, if it was started, and keeps it from starting.
func (db *DB) haltSealer() {
	s := db.seal
	s.halt.Do(func() {
		started := true
		s.once.Do(func() { started = false; close(s.done) })
		if started {
			close(s.stop)
		}
	})
	<-s.done
}

// sealPending chains every entry waiting in audit_pending, a transaction at a time under the
// audit log's lock.
func (db *DB) sealPending(ctx context.Context) error {
	if db.auditKey == nil {
		return errNoAuditKey
	}
	// Looked at without the lock first: an idle tick must not take SQLite's write lock.
	var one int
	err := db.db.QueryRowContext(ctx, `SELECT 1 FROM audit_pending LIMIT 1`).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return translate(fmt.Errorf("seal audit: %w", err))
	}
	// Each seal goes on from the last entry the one before read: entries it left (forged,
	// replayed) are not read again, so that a run of them longer than a seal's batches
	// cannot keep the loop at the same place for ever while honest entries behind it wait.
	var after int64
	for {
		next, more, err := db.sealOnce(ctx, after)
		if err != nil || !more {
			return err
		}
		after = next
	}
}

// sealOnce seals up to sealMaxBatches batches of the entries waiting whose id follows after,
// in one transaction; it returns the id of the last entry read, and whether some may be left.
func (db *DB) sealOnce(ctx context.Context, after int64) (lastID int64, more bool, err error) {
	tx, err := db.begin(ctx, auditLockKey)
	if err != nil {
		return after, false, translate(fmt.Errorf("seal audit: %w", err))
	}
	defer tx.Rollback()
	last, prev, err := db.auditHead(ctx, tx)
	if err != nil {
		return after, false, err
	}
	if last == 0 {
		// The log's first entries: only when those waiting account for what the database
		// holds (emptyLogState), so that a log emptied while this instance ran, and entries
		// copied back into audit_pending, are not begun again as a new chain.
		if state, err := emptyLogState(ctx, tx, db.auditKey); err != nil {
			return after, false, translate(fmt.Errorf("seal audit: %w", err))
		} else if state == logEmptied {
			return after, false, ErrAuditEmptied
		}
	}
	if lastID, _, _, more, err = db.sealAll(ctx, tx, after, last, prev, sealMaxBatches); err != nil {
		return after, false, translate(fmt.Errorf("seal audit: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return after, false, translate(fmt.Errorf("seal audit: %w", err))
	}
	return lastID, more, nil
}

// auditHead reads, in tx holding the audit log's lock, the seq and hash of the entry the next
// one follows; it refuses a log that is not to be continued (emptied, or its head unkeyed).
func (db *DB) auditHead(ctx context.Context, tx *sql.Tx) (int64, string, error) {
	var last int64
	prev, chain := genesisHash, chainHMACSM3
	err := tx.QueryRowContext(ctx, `SELECT seq, hash, chain FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev, &chain)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("read audit log head: %w", err)
	}
	if err != nil && db.auditEmptied {
		return 0, "", ErrAuditEmptied
	}

	if chain != chainHMACSM3 {
		// Never switched here: a log whose head is unkeyed is either one from before the key,
		// switched once by the operator (SwitchAuditKey), or one rewritten by somebody
		// without the key, which a switch must not bless.
		return 0, "", ErrAuditUnkeyed
	}
	return last, prev, nil
}

// sealBatch chains, after the entry last whose hash is prev, up to sealBatch waiting entries
// whose id follows after, in the order they were written, and removes them from
// audit_pending. An entry without the audit key's HMAC, or whose ref was sealed before, is
// left where it is, for VerifyAudit to report: somebody without the key inserted it. It
// returns how many entries it read, the id of the last one, and the new head.
func (db *DB) sealBatch(ctx context.Context, tx *sql.Tx, after, last int64, prev string) (read int, lastID, head int64, headHash string, err error) {
	type waiting struct {
		id     int64
		ref    string
		mac    string
		sealed bool
		e      AuditEntry
	}
	var batch []waiting
	err = each(ctx, tx, `SELECT p.id, p.ref, p.mac, p.at, p.user_id, p.username, p.unit, p.ip, p.action,
			p.object_type, p.object_id, p.object_label, p.before_json, p.after_json, p.outcome, p.detail,
			(SELECT COUNT(*) FROM audit_log l WHERE l.ref = p.ref)
		FROM audit_pending p WHERE p.id > $1 ORDER BY p.id LIMIT $2`, []any{after, sealBatch},
		func(rows *sql.Rows) error {
			var w waiting
			var sealed int
			e := &w.e
			err := rows.Scan(&w.id, &w.ref, &w.mac, &e.At, &e.UserID, &e.Username, &e.Unit, &e.IP,
				&e.Action, &e.ObjectType, &e.ObjectID, &e.ObjectLabel, &e.Before, &e.After, &e.Outcome, &e.Detail, &sealed)
			e.At = e.At.UTC()
			w.sealed = sealed > 0
			batch = append(batch, w)
			return err
		})
	if err != nil || len(batch) == 0 {
		return 0, after, last, prev, err
	}
	var values, ids []string
	var args []any
	for i := range batch {
		w := &batch[i]
		if w.sealed || !hmac.Equal([]byte(w.e.pendingMAC(db.auditKey, w.ref)), []byte(w.mac)) {
			continue
		}
		e := &w.e
		e.Seq, e.PrevHash, e.Chain = last+1, prev, chainHMACSM3
		e.Hash = e.digest(db.auditKey)
		last, prev = e.Seq, e.Hash
		var ph []string
		for _, v := range []any{e.Seq, e.At, e.UserID, e.Username, e.Unit, e.IP, e.Action, e.ObjectType,
			e.ObjectID, e.ObjectLabel, e.Before, e.After, e.Outcome, e.Detail, e.PrevHash, e.Hash, e.Chain, w.ref} {
			args = append(args, v)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		values = append(values, "("+strings.Join(ph, ", ")+")")
		ids = append(ids, strconv.FormatInt(w.id, 10)) // integers read from the table: safe to splice
	}
	lastID = batch[len(batch)-1].id
	if len(values) == 0 {
		return len(batch), lastID, last, prev, nil
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO audit_log (seq, at, user_id, username, unit, ip, action, object_type,
			object_id, object_label, before_json, after_json, outcome, detail, prev_hash, hash, chain, ref)
		VALUES `+strings.Join(values, ", "), args...)
	if err != nil {
		return 0, after, head, headHash, fmt.Errorf("seal %d audit entries: %w", len(values), err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_pending WHERE id IN (`+strings.Join(ids, ", ")+`)`); err != nil {
		return 0, after, head, headHash, fmt.Errorf("remove sealed audit entries: %w", err)
	}
	return len(batch), lastID, last, prev, nil
}

// sealAll chains, in tx holding the audit log's lock, every waiting entry whose id follows
// after, after the entry last whose hash is prev, up to maxBatches batches (0: no limit). It
// returns the id of the last waiting entry read, the new head and whether entries may be left.
func (db *DB) sealAll(ctx context.Context, tx *sql.Tx, after, last int64, prev string, maxBatches int) (int64, int64, string, bool, error) {
	for i := 0; maxBatches == 0 || i < maxBatches; i++ {
		n, id, l, p, err := db.sealBatch(ctx, tx, after, last, prev)
		if err != nil {
			return after, last, prev, false, err
		}
		after, last, prev = id, l, p
		if n < sealBatch {
			return after, last, prev, false, nil
		}
	}
	return after, last, prev, true, nil
}

// pendingMAC is the HMAC-SM3 under key of a waiting entry: its ref and every field the
// chain's digest covers but the seq and the hashes, which it gets when sealed.
func (e *AuditEntry) pendingMAC(key []byte, ref string) string {
	h := hmac.New(sm3.New, key)
	e.writeFields(h, auditPendingVersion, ref)
	return hex.EncodeToString(h.Sum(nil))
}

// keyedPending counts the first limit entries waiting for the sealer, and those of them that
// carry the HMAC of key.
func keyedPending(ctx context.Context, q querier, key []byte, limit int) (waiting, keyed int64, err error) {
	err = each(ctx, q, `SELECT ref, mac, at, user_id, username, unit, ip, action, object_type, object_id,
			object_label, before_json, after_json, outcome, detail
		FROM audit_pending ORDER BY id LIMIT $1`, []any{limit},
		func(rows *sql.Rows) error {
			var ref, mac string
			var e AuditEntry
			if err := rows.Scan(&ref, &mac, &e.At, &e.UserID, &e.Username, &e.Unit, &e.IP, &e.Action,
				&e.ObjectType, &e.ObjectID, &e.ObjectLabel, &e.Before, &e.After, &e.Outcome, &e.Detail); err != nil {
				return err
			}
			e.At = e.At.UTC()
			waiting++
			if hmac.Equal([]byte(e.pendingMAC(key, ref)), []byte(mac)) {
				keyed++
			}
			return nil
		})
	return waiting, keyed, err
}

// checkPending reports, in VerifyAudit's snapshot, the entries still waiting that the sealer
// would refuse: forged (no HMAC of the key) or replayed (a ref sealed before).
func (db *DB) checkPending(ctx context.Context, tx *sql.Tx, v *AuditVerification) error {
	return each(ctx, tx, `SELECT p.id, p.ref, p.mac, p.at, p.user_id, p.username, p.unit, p.ip, p.action,
			p.object_type, p.object_id, p.object_label, p.before_json, p.after_json, p.outcome, p.detail,
			(SELECT l.seq FROM audit_log l WHERE l.ref = p.ref)
		FROM audit_pending p ORDER BY p.id`, nil,
		func(rows *sql.Rows) error {
			var id int64
			var ref, mac string
			var sealed sql.Null[int64]
			var e AuditEntry
			if err := rows.Scan(&id, &ref, &mac, &e.At, &e.UserID, &e.Username, &e.Unit, &e.IP, &e.Action,
				&e.ObjectType, &e.ObjectID, &e.ObjectLabel, &e.Before, &e.After, &e.Outcome, &e.Detail, &sealed); err != nil {
				return err
			}
			e.At = e.At.UTC()
			v.Pending++
			switch {
			case v.FirstBad != 0:
			case !hmac.Equal([]byte(e.pendingMAC(db.auditKey, ref)), []byte(mac)):
				v.FirstBad = v.Head.Seq + 1
				v.Problem = fmt.Sprintf("待封存的审计记录（编号 %d，%s）不是用审计密钥写入的：被伪造或改动", id, e.Action)
			case sealed.Valid:
				v.FirstBad = v.Head.Seq + 1
				v.Problem = fmt.Sprintf("待封存的审计记录（编号 %d）与已封存的第 %d 条相同：被重放", id, sealed.V)
			}
			return nil
		})
}
