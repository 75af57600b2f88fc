package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"xiezuo"
)

// checkWritable refuses, inside tx, a write made at at on duty of plan planID into a frozen
// month: a new version or a review of report reportID, which belongs to the month it was begun
// in (xiezuo.PlanPeriodOf), or, with reportID 0, a write on the duty itself (a closure), which
// belongs to the month of at. Call it after a new report's row exists (reportID set) and
// before the write's audit entry: when the month is frozen at at and a granted exception
// allows the write (xiezuo.ExceptionAllows), the write is recorded as a use of it (a row of
// freeze_exception_uses); otherwise it returns the ECONFLICT of xiezuo.FrozenError, and the
// caller's transaction, rolled back, stores nothing.
func (db *DB) checkWritable(ctx context.Context, tx *sql.Tx, planID int64, duty xiezuo.DutyKey, reportID int64, at time.Time) error {
	if err := db.freezeLockShared(ctx, tx, planID); err != nil {
		return fmt.Errorf("check period: %w", err)
	}
	fs, err := planFreezes(ctx, tx, planID)
	if err != nil || len(fs) == 0 {
		return err
	}
	var year int
	if err := tx.QueryRowContext(ctx, `SELECT year FROM plans WHERE id = $1`, planID).Scan(&year); err != nil {
		return fmt.Errorf("check period: %w", err)
	}
	begun := at
	if reportID != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT created_at FROM reports WHERE id = $1`, reportID).Scan(&begun); err != nil {
			return fmt.Errorf("check period: %w", err)
		}
	}
	month := xiezuo.PlanPeriodOf(year, begun)
	if _, frozen := xiezuo.Frozen(fs, month, at); !frozen {
		return nil
	}
	xs, err := planExceptions(ctx, tx, planID, year, duty)
	if err != nil {
		return fmt.Errorf("check period: %w", err)
	}
	x, ok := xiezuo.ExceptionAllows(xs, duty, reportID, month, at)
	if !ok {
		return xiezuo.FrozenError(month)
	}
	var used sql.Null[int64]
	if reportID != 0 {
		used = sql.Null[int64]{V: reportID, Valid: true}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO freeze_exception_uses (exception_id, report_id, by_user, at) VALUES ($1, $2, $3, $4)`,
		x.ID, used, ActorFrom(ctx).Username, at); err != nil {
		return fmt.Errorf("use exception %d: %w", x.ID, err)
	}
	return nil
}
