package sqldb

import (
	"context"
	"time"

	"xiezuo"
)

// STUB of the contract of issue 10, replaced by the indicators' helper.

// IndicatorSet is a district's indicators of a plan year as they stood at a moment: the shipped
// set of the year overlaid by the office's versions (the latest per code; a withdrawn code is
// left out), in dimension order.
func (db *DB) IndicatorSet(ctx context.Context, district string, year int, at time.Time) ([]xiezuo.Indicator, error) {
	return xiezuo.ShippedIndicators(year), nil
}

// SaveIndicator stores a new version of an indicator (a new code adds one), checked, with its
// audit entry.
func (db *DB) SaveIndicator(ctx context.Context, district string, year int, in xiezuo.Indicator, reason string) error {
	return nil
}

// WithdrawIndicator removes an indicator from a year's set (a version marking it withdrawn).
func (db *DB) WithdrawIndicator(ctx context.Context, district string, year int, code, reason string) error {
	return nil
}

// CopyIndicators starts a year's set from another year's (dates moved by the years between);
// it refuses when the year has indicators of its own already. It returns how many it copied.
func (db *DB) CopyIndicators(ctx context.Context, district string, from, to int) (int, error) {
	return 0, nil
}

// ScoreData loads what a plan year's scorecard measures, as it stood at a moment.
func (db *DB) ScoreData(ctx context.Context, district string, year int, at time.Time) (xiezuo.ScoreData, error) {
	p, err := db.LoadPlan(ctx, district, year)
	if err != nil {
		return xiezuo.ScoreData{}, err
	}
	return xiezuo.ScoreData{Plan: p, At: at}, nil
}
