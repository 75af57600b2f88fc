package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"xiezuo"
	"xiezuo/vault"
)

// LabourPlacements reads every placement row of a district recorded up to at (the zero time:
// all), pay left sealed (0), for the indicators (xiezuo.CurrentPlacements makes them current).
// Each row carries the person's name masked (vault.MaskName), for the scorecard's evidence; no
// ID number, phone or pay is read.
func (db *DB) LabourPlacements(ctx context.Context, district string, at time.Time) ([]xiezuo.Placement, error) {
	where, args := `p.district = $1`, []any{district}
	if !at.IsZero() {
		where += ` AND p.at <= $2`
		args = append(args, at)
	}
	ps, err := loadPlacementFacts(ctx, db.db, where, args...)
	if err != nil {
		return nil, translate(fmt.Errorf("placements of %s: %w", district, err))
	}
	return ps, nil
}

// loadPlacementFacts reads the placement rows matching where (over labour_placements p), in id
// order.
func loadPlacementFacts(ctx context.Context, q querier, where string, args ...any) ([]xiezuo.Placement, error) {
	var out []xiezuo.Placement
	err := each(ctx, q, `SELECT p.id, p.district, p.person_id, p.job_id, p.match_id, p.employer, p.credit_code, p.post,
		p.place_code, p.start_on, p.end_on, p.poor, p.home_code, p.region, p.source, p.supersedes, p.withdrawn, p.reason,
		p.by_user, p.at, pe.name
		FROM labour_placements p JOIN labour_people pe ON pe.id = p.person_id
		WHERE `+where+` ORDER BY p.id`, args, func(rows *sql.Rows) error {
		var p xiezuo.Placement
		var job, match, supersedes sql.Null[int64]
		var name string
		if err := rows.Scan(&p.ID, &p.District, &p.PersonID, &job, &match, &p.Employer, &p.CreditCode, &p.Post,
			&p.PlaceCode, &p.Start, &p.End, &p.Poor, &p.HomeCode, &p.Region, &p.Source, &supersedes, &p.Withdrawn, &p.Reason,
			&p.RecordedBy, &p.RecordedAt, &name); err != nil {
			return err
		}
		p.JobID, p.MatchID, p.Supersedes = job.V, match.V, supersedes.V
		p.RecordedAt = p.RecordedAt.UTC()
		p.Name = vault.MaskName(name)
		out = append(out, p)
		return nil
	})
	return out, err
}
