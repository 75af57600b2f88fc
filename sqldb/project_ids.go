package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"xiezuo"
)

// ProjectIDs returns the stored ids of a plan's projects in document order (the order of
// Plan.Projects as LoadPlan reads them), with the plan's version (see PlanVersion) they belong
// to, read together. A project's page is addressed by its id. A plan that is not stored is an
// ENOTFOUND error.
func (db *DB) ProjectIDs(ctx context.Context, district string, year int) (ids []int64, version int64, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, translate(fmt.Errorf("project ids: %w", err))
	}
	defer tx.Rollback()
	var planID int64
	err = tx.QueryRowContext(ctx, `SELECT id, document_id FROM plans WHERE district = $1 AND year = $2`, district, year).Scan(&planID, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有%s%d年的计划", district, year)
	}
	if err != nil {
		return nil, 0, translate(fmt.Errorf("project ids: %w", err))
	}
	err = each(ctx, tx, `SELECT id FROM projects WHERE plan_id = $1 ORDER BY seq`, []any{planID}, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, 0, translate(fmt.Errorf("project ids: %w", err))
	}
	return ids, version, nil
}
