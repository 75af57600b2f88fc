package sqldb

import (
	"context"
	"time"

	"xiezuo"
)

// LabourPlacements reads every placement row of a district recorded up to at (the zero time:
// all), pay left sealed (0), for the indicators (xiezuo.CurrentPlacements makes them current).
func (db *DB) LabourPlacements(ctx context.Context, district string, at time.Time) ([]xiezuo.Placement, error) {
	return nil, errLabourTODO
}
