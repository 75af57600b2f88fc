package sqldb

import (
	"context"
	"fmt"
	"time"
)

// ShipOptions says who ships the audit log to a target, for how long its lease holds, and how
// many entries go in one batch.
type ShipOptions struct {
	Target string           // the target's address, e.g. syslog+tcp://127.0.0.1:514: one cursor per target
	Holder string           // who ships: unique per instance (host, process, random)
	Lease  time.Duration    // how long the lease holds without renewal: another instance takes over after
	Batch  int              // entries per batch; 500 when 0
	Now    func() time.Time // the lease's clock; time.Now when nil
}

// ShipAudit ships, once, the chained entries after target's cursor, in seq order, up to a
// batch, through send, and moves the cursor past them. One instance ships a target at a time:
// it holds a lease in audit_ship, renewed by each call; when its holder stops renewing
// (it died), another instance takes over once the lease has run out. Delivery is at least
// once: entries sent when the holder dies before the cursor moves, or after it lost its lease,
// are sent again; each carries its seq and hash, so a collector drops repeats (same seq and
// same hash; after a restore a seq comes again with another hash, in another chain). held
// tells whether this holder had the lease; shipped, how many entries went.
func (db *DB) ShipAudit(ctx context.Context, o ShipOptions, send func([]AuditEntry) error) (shipped int, held bool, err error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	if o.Batch <= 0 {
		o.Batch = 500
	}
	t := now().UTC()
	if _, err := db.writer.ExecContext(ctx, `INSERT INTO audit_ship (target, seq, holder, lease_until) VALUES ($1, 0, '', $2)
		ON CONFLICT (target) DO NOTHING`, o.Target, t); err != nil {
		return 0, false, translate(fmt.Errorf("ship audit: %w", err))
	}
	res, err := db.writer.ExecContext(ctx, `UPDATE audit_ship SET holder = $2, lease_until = $3
		WHERE target = $1 AND (holder = $2 OR holder = '' OR lease_until < $4)`, o.Target, o.Holder, t.Add(o.Lease), t)
	if err != nil {
		return 0, false, translate(fmt.Errorf("ship audit: %w", err))
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, nil // another instance ships
	}
	// Entries are shipped once chained: what waits is chained first.
	_ = db.sealPending(ctx)
	var cursor int64
	if err := db.db.QueryRowContext(ctx, `SELECT seq FROM audit_ship WHERE target = $1`, o.Target).Scan(&cursor); err != nil {
		return 0, true, translate(fmt.Errorf("ship audit: %w", err))
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`, cursor, o.Batch)
	if err != nil {
		return 0, true, translate(fmt.Errorf("ship audit: %w", err))
	}
	var batch []AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			rows.Close()
			return 0, true, translate(fmt.Errorf("ship audit: %w", err))
		}
		batch = append(batch, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, true, translate(fmt.Errorf("ship audit: %w", err))
	}
	if len(batch) == 0 {
		return 0, true, nil
	}
	if err := send(batch); err != nil {
		return 0, true, fmt.Errorf("ship audit to %s: %w", o.Target, err)
	}
	// Moved only by the holder, and only forward: a holder that lost its lease meanwhile
	// moves nothing (its batch is sent again by the new one).
	if _, err := db.writer.ExecContext(ctx, `UPDATE audit_ship SET seq = $2 WHERE target = $1 AND holder = $3 AND seq < $2`,
		o.Target, batch[len(batch)-1].Seq, o.Holder); err != nil {
		return len(batch), true, translate(fmt.Errorf("ship audit: %w", err))
	}
	return len(batch), true, nil
}

// AuditShipCursor is the seq of the last entry shipped to target, 0 when none.
func (db *DB) AuditShipCursor(ctx context.Context, target string) (int64, error) {
	var seq int64
	err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_ship WHERE target = $1`, target).Scan(&seq)
	return seq, translate(err)
}
