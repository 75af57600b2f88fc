package sqldb

import (
	"context"
	"database/sql"
	"fmt"
)

// SuperviseVersion names the state of the facts supervision reads beside district's plans: the
// report versions, reviews and closures (rows only ever added, so their largest ids change
// whenever a fact is; a duty deleted with its facts changes its plan's version) and the
// district's cadence. A board laid out from the facts stays true while it is the same, so pages
// keep their lights under it; one query, as cheap as a plan's version.
func (db *DB) SuperviseVersion(ctx context.Context, district string) (string, error) {
	var v, rv, c int64
	var cadence sql.Null[string]
	err := db.db.QueryRowContext(ctx, `SELECT
		(SELECT COALESCE(MAX(id), 0) FROM report_versions),
		(SELECT COALESCE(MAX(id), 0) FROM report_reviews),
		(SELECT COALESCE(MAX(id), 0) FROM duty_closures),
		(SELECT value FROM settings WHERE key = $1)`, cadenceKey(district)).Scan(&v, &rv, &c, &cadence)
	if err != nil {
		return "", translate(fmt.Errorf("supervise version of %s: %w", district, err))
	}
	return fmt.Sprintf("%d.%d.%d.%s", v, rv, c, cadence.V), nil
}
