package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

// PlacementPays opens the monthly pay (fen) of a person's placements in a district, by
// placement id; a placement without pay is absent. Placements are read with their pay sealed
// (loadPlacements): the person's page asks for it to say a pay was given and to keep it when a
// correction leaves it blank. Pages never show the amount without a reveal.
func (db *DB) PlacementPays(ctx context.Context, district string, personID int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	err := each(ctx, db.db, `SELECT id, pay_sealed FROM labour_placements WHERE district = $1 AND person_id = $2 AND pay_sealed IS NOT NULL`,
		[]any{district, personID}, func(rows *sql.Rows) error {
			var id int64
			var sealed []byte
			if err := rows.Scan(&id, &sealed); err != nil {
				return err
			}
			v, err := db.openLabour(sealed, fieldLabourPay)
			if err != nil {
				return err
			}
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n != 0 {
				out[id] = n
			}
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("placement pays: %w", err))
	}
	return out, nil
}
