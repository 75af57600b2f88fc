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
// belongs to the month of at. An exception opens only the reports of the unit that asked for
// it (xiezuo.ExceptionAllows), whoever writes. Call it after a new report's row exists (reportID set) and
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
	begun, unit, writer := at, "", ""
	if reportID != 0 {
		// The report's own unit and writer, read here rather than passed in, so that every
		// write (a version, evidence, a review) is weighed against the unit (for a cadre, the
		// writer) whose data it changes.
		if err := tx.QueryRowContext(ctx, `SELECT r.created_at, u.name, r.created_by FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.id = $1`,
			reportID).Scan(&begun, &unit, &writer); err != nil {
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
	x, ok := xiezuo.ExceptionAllows(xs, xiezuo.FrozenWrite{Duty: duty, ReportID: reportID, Unit: unit, Writer: writer, Month: month, At: at})
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
