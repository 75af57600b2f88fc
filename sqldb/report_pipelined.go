package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"xiezuo"
)

// On a deadline day thousands of units submit a new report at once. On PostgreSQL each
// statement of a transaction is a round trip between two processes, and on a small machine
// the round trips, not the work, bound how many reports a second are stored: the general path
// (submitReportIn) makes eleven. submitPipelined stores the usual case — a new report, with
// no cites and no files, into a month that is not frozen — in two round trips, sending the
// statements of each half of the transaction together (a pgx batch):
//
//  1. BEGIN; the locks the general path takes, in its order (the Idempotency-Key's, the
//     unit's new report on the duty, the plan's freeze lock shared); one read of the key's
//     stored answer, the duty, the units, the closure, the unit's latest report on the duty
//     with its state, and the new report's id (nextval); the plan's freezes.
//  2. One statement inserting the report, its first version, the key's answer and the waiting
//     audit entry (data-modifying CTEs), which may not wait for a row lock (pipelinedLockWait);
//     COMMIT.
//
// The plan's freeze lock is keyed by the plan's id, which the first round trip can take only
// when the caller names the plan (ReportWrite.District and Year) and this process has seen its
// id before (planIDs); otherwise the lock and the freezes take a round trip of their own
// between the two, once the read has found the plan.
//
// The rules between the two are the root's, as in the general path (xiezuo.ClosedRefusal,
// xiezuo.NewReportRefusal, xiezuo.Frozen). Each read sees what committed before its locks were
// granted: the statements of a batch run one after the other, and under READ COMMITTED each
// takes its snapshot when it starts. Whatever the usual case does not cover — a key already
// used, a unit or a lead unit not stored yet, a frozen month (exceptions), a duty of another
// plan than the caller thought — is rolled back unwritten and left to the general path.

// planRef is a stored plan as callers name it.
type planRef struct {
	district string
	year     int
}

// planIDs remembers the id of each stored plan (district, year) that a submission read, so
// that the next one can take the plan's freeze lock in its first round trip. A plan deleted
// and imported again gets a new id: the read checks the duty's plan against it, and a
// mismatch goes the general way, which remembers the new id.
type planIDs struct{ m sync.Map }

func (p *planIDs) get(r planRef) (int64, bool) {
	v, ok := p.m.Load(r)
	if !ok {
		return 0, false
	}
	return v.(int64), true
}

func (p *planIDs) put(r planRef, id int64) { p.m.Store(r, id) }

// lockID is the int64 key of the advisory lock named key (as db.lock takes it).
func lockID(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int64(h.Sum64())
}

// rollbackWait bounds the rollback of a submission that failed: a connection that does not
// answer by then is closed, and PostgreSQL rolls its transaction back.
const rollbackWait = 5 * time.Second

// errNotPipelined says the usual case does not apply: nothing was written, and the general
// path runs.
var errNotPipelined = errors.New("not the usual case")

// submitPipelined tries in's submission the short way: ok false when it does not apply (and
// nothing was written), else the answer as SubmitReportOnce gives it.
func (db *DB) submitPipelined(ctx context.Context, in ReportWrite, k Idem) (rc ReportReceipt, replayed, ok bool, err error) {
	if !db.dialect.pipelined || in.ReportID != 0 || len(in.Cites) > 0 || len(in.Evidence) > 0 ||
		in.State != xiezuo.ReportSubmitted && in.State != xiezuo.ReportDraft ||
		in.Values.Percent != nil && (*in.Values.Percent < 0 || *in.Values.Percent > 100) {
		return rc, false, false, nil
	}
	c, known := dutyColumns[in.Duty.Kind]
	if !known || in.Duty.ID <= 0 {
		return rc, false, false, nil
	}
	var planID int64 // 0: not known before the read
	if in.District != "" {
		planID, _ = db.plans.get(planRef{in.District, in.Year})
	}
	conn, err := db.writer.Conn(ctx)
	if err != nil {
		return rc, false, true, err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok { // a pool of another driver: the general path serves it
			return errNotPipelined
		}
		pc := sc.Conn()
		defer func() {
			// Whatever happened, the connection goes back to the pool outside a transaction:
			// rolled back, or closed when the rollback does not answer in time.
			if pc.PgConn().TxStatus() != 'I' && !pc.IsClosed() {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackWait)
				defer cancel()
				if _, rerr := pc.Exec(rctx, "rollback"); rerr != nil {
					pc.Close(rctx)
				}
			}
		}()
		var err error
		rc, replayed, err = db.pipelined(ctx, pc, c, planID, in, k)
		return err
	})
	switch {
	case errors.Is(err, errNotPipelined):
		return ReportReceipt{}, false, false, nil
	case err != nil:
		return ReportReceipt{}, false, true, err
	}
	if !replayed {
		db.pipelinedRuns.Add(1)
		db.sealSoon()
	}
	return rc, replayed, true, nil
}

// pipelined is submitPipelined's transaction on pc, which it leaves committed, or in a
// transaction that the caller rolls back. planID is the id of the plan in names (in.District,
// in.Year), 0 when not known: the plan's freeze lock and freezes are then taken and read in a
// round trip of their own, once the read has found the duty's plan.
func (db *DB) pipelined(ctx context.Context, pc *pgx.Conn, c struct{ table, column, name string }, planID int64, in ReportWrite, k Idem) (ReportReceipt, bool, error) {
	var rc ReportReceipt
	actor, now := ActorFrom(ctx), db.factTime(ctx)
	b := &pgx.Batch{}
	b.Queue("begin")
	locks := []any{lockID(submitLockKey(in))}
	if k.Key != "" {
		locks = []any{lockID(k.lockKey()), locks[0]}
	}
	lockSQL := `SELECT pg_advisory_xact_lock($1)`
	if len(locks) == 2 {
		lockSQL += `, pg_advisory_xact_lock($2)`
	}
	if planID != 0 {
		locks = append(locks, lockID(freezeLockKey(planID)))
		lockSQL += `, pg_advisory_xact_lock_shared($` + strconv.Itoa(len(locks)) + `)`
	}
	b.Queue(lockSQL, locks...)
	unit := `(SELECT u.id FROM units u WHERE u.district = pl.district AND u.name = $2)`
	writer := ""
	if in.Writer != "" {
		writer = ` AND r.created_by = $6`
	}
	b.Queue(`SELECT d.plan_id, pl.district, pl.year, d.number, d.`+c.name+`, `+unit+`,
			(SELECT u.id FROM units u WHERE u.district = pl.district AND u.name = $3),
			(SELECT cl.closed FROM duty_closures cl WHERE cl.`+c.column+` = d.id ORDER BY cl.id DESC LIMIT 1),
			lr.id, lr.created_at, lv.state, lv.decision,
			nextval(pg_get_serial_sequence('reports', 'id')),
			ik.request_hash
		FROM `+c.table+` d JOIN plans pl ON pl.id = d.plan_id
		LEFT JOIN LATERAL (SELECT r.id, r.created_at FROM reports r
			WHERE r.unit_id = `+unit+` AND r.`+c.column+` = d.id`+writer+` ORDER BY r.id DESC LIMIT 1) lr ON true
		LEFT JOIN LATERAL (SELECT v.state, rv.decision FROM report_versions v
			LEFT JOIN report_reviews rv ON rv.report_id = v.report_id AND rv.version = v.version
			WHERE v.report_id = lr.id ORDER BY v.version DESC LIMIT 1) lv ON true
		LEFT JOIN idempotency_keys ik ON ik.user_id = $4 AND ik.key = $5
		WHERE d.id = $1`, append([]any{in.Duty.ID, in.Unit, in.ToUnit, k.UserID, k.Key}, optional(in.Writer)...)...)
	if planID != 0 {
		b.Queue(freezesSQL, planID)
	}

	var (
		w                    dutyWrite
		number               int
		name                 string
		unitID, toID, lastID sql.Null[int64]
		closed               sql.Null[bool]
		lastAt               sql.Null[time.Time]
		lastState, decision  sql.Null[string]
		id                   int64
		keyHash              sql.Null[string]
		fs                   []xiezuo.Freeze
	)
	br := pc.SendBatch(ctx, b)
	read := func() error {
		if _, err := br.Exec(); err != nil { // begin
			return err
		}
		if _, err := br.Exec(); err != nil { // the locks
			return err
		}
		err := br.QueryRow().Scan(&w.PlanID, &w.District, &w.Year, &number, &name, &unitID, &toID, &closed,
			&lastID, &lastAt, &lastState, &decision, &id, &keyHash)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNotPipelined // no such duty: the general path says so
		}
		if err != nil || planID == 0 {
			return err
		}
		fs, err = readFreezes(br)
		return err
	}
	err := read()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rc, false, err
	}
	switch {
	case keyHash.Valid, // the key was used: the general path replays or refuses it
		planID != 0 && w.PlanID != planID,             // another plan than the lock's
		!unitID.Valid, in.ToUnit != "" && !toID.Valid: // a unit stored on first use
		return rc, false, errNotPipelined
	case closed.V:
		return rc, false, xiezuo.ClosedRefusal()
	}
	db.plans.put(planRef{w.District, w.Year}, w.PlanID)
	if planID == 0 {
		// The plan's freeze lock, after the locks of the general path as there.
		b = &pgx.Batch{}
		b.Queue(`SELECT pg_advisory_xact_lock_shared($1)`, lockID(freezeLockKey(w.PlanID)))
		b.Queue(freezesSQL, w.PlanID)
		br = pc.SendBatch(ctx, b)
		_, err := br.Exec()
		if err == nil {
			fs, err = readFreezes(br)
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return rc, false, err
		}
	}
	if lastID.Valid {
		state := xiezuo.ReportState(lastState.V)
		switch xiezuo.Decision(decision.V) {
		case xiezuo.DecisionAccept:
			state = xiezuo.ReportAccepted
		case xiezuo.DecisionReturn:
			state = xiezuo.ReportReturned
		}
		if err := xiezuo.NewReportRefusal(lastID.V, lastAt.V.UTC(), state, now); err != nil {
			return rc, false, err
		}
	}
	if _, frozen := xiezuo.Frozen(fs, xiezuo.PlanPeriodOf(w.Year, now), now); frozen {
		return rc, false, errNotPipelined // an exception may open it: the general path weighs it
	}

	w.Label = dutyLabel(in.Duty.Kind, w.Year, number, name)
	figures, percent := versionValues(in.Values)
	rc = ReportReceipt{ID: id, State: in.State, Version: 1}
	e := saveEntry(ctx, in, w.Label, id, 1, in.ToUnit, figures, nil, nil)
	args := []any{id, w.PlanID, in.Duty.ID, unitID.V, toID, actor.Username, now,
		string(in.State), in.Values.Text, percent, mustJSON(figures), "[]"}
	key := ""
	if k.Key != "" {
		e.Detail = "Idempotency-Key: " + k.Key
		args = append(args, k.UserID, k.Key, k.RequestHash, 201, mustJSON(rc), db.now().UTC())
		key = `, k AS (INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at)
			VALUES ($13, $14, $15, $16, $17, $18))`
	}
	audit, err := db.pendingArgs(e)
	if err != nil {
		return rc, false, err
	}
	n := len(args)
	args = append(args, audit...)
	b = &pgx.Batch{}
	b.Queue(`SET LOCAL lock_timeout = '` + strconv.Itoa(int(pipelinedLockWait/time.Millisecond)) + `ms'`)
	b.Queue(`WITH r AS (INSERT INTO reports (id, plan_id, `+c.column+`, unit_id, to_unit_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id),
		v AS (INSERT INTO report_versions (report_id, version, state, text, percent, figures, cites, by_user, at)
			SELECT r.id, 1, $8, $9, $10, $11, $12, $6, $7 FROM r)`+key+`,
		a AS (INSERT INTO audit_pending `+pendingColumns+` VALUES `+placeholders(n+1, len(audit))+`)
		SELECT id FROM r`, args...)
	b.Queue("commit")
	br = pc.SendBatch(ctx, b)
	_, err = br.Exec() // lock_timeout
	if err == nil {
		err = br.QueryRow().Scan(&id)
	}
	if err == nil {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available
		return rc, false, errNotPipelined // the insert would wait: the general way waits
	}
	if err == nil && pc.PgConn().TxStatus() != 'I' {
		err = fmt.Errorf("report %d: the transaction did not commit", id)
	}
	return rc, false, err
}

// pipelinedLockWait is how long the insert of the short way may wait for a row lock (a key
// another transaction is inserting, a duty row being deleted). The insert and the commit are
// sent together, and PostgreSQL runs the commit once the insert is done whatever the caller
// did meanwhile: had the insert waited, a caller that gave up (its context ended) would be
// answered an error for a report stored after all. Past this wait the insert fails and the
// submission goes the general way, whose commit is sent only once its insert answered.
const pipelinedLockWait = time.Millisecond

// freezesSQL reads a plan's freezes as planFreezes does.
const freezesSQL = `SELECT f.id, pl.year, f.period, f.frozen, f.note, f.reports, f.versions, f.reviews, f.digest, f.by_user, f.at
	FROM period_freezes f JOIN plans pl ON pl.id = f.plan_id WHERE f.plan_id = $1 ORDER BY f.id`

// readFreezes reads the answer of freezesSQL, the next in br.
func readFreezes(br pgx.BatchResults) ([]xiezuo.Freeze, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var fs []xiezuo.Freeze
	for rows.Next() {
		f, err := scanFreeze(rows.Scan)
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	return fs, rows.Err()
}

// optional is the arguments a query takes only when s is set.
func optional(s string) []any {
	if s == "" {
		return nil
	}
	return []any{s}
}

// placeholders is ($from, …, $from+n-1).
func placeholders(from, n int) string {
	b := []byte("(")
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(from+i), 10)
	}
	return string(append(b, ')'))
}
