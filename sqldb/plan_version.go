package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"xiezuo"
)

// PlanVersion returns a number that changes whenever the stored plan of a district for a year
// changes (the document that last changed it), so a reader can keep a plan it loaded until
// it does. A plan that is not stored is an ENOTFOUND error.
func (db *DB) PlanVersion(ctx context.Context, district string, year int) (int64, error) {
	var v int64
	err := db.db.QueryRowContext(ctx, `SELECT document_id FROM plans WHERE district = $1 AND year = $2`, district, year).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有%s%d年的计划", district, year)
	}
	if err != nil {
		return 0, translate(fmt.Errorf("plan version: %w", err))
	}
	return v, nil
}
