package sqldb

import (
	"context"
	"time"
)

// The time of a fact (a report's version, a review, a closure) is the application's now, which
// may differ from the machine's: `serve --today` shows a plan as of a day in its year, the
// generator writes a half year of reports at their dates. The web layer puts its now into each
// request's context with WithFactTime; without one a fact is stamped with the database's clock.
// The audit log always keeps the machine's time: it records when the write really happened.

type factTimeKey struct{}

// WithFactTime returns ctx whose writes date their facts at t.
func WithFactTime(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, factTimeKey{}, t)
}

// factTime is the time the facts written with ctx carry, in UTC, to the microsecond both
// databases keep.
func (db *DB) factTime(ctx context.Context) time.Time {
	t, ok := ctx.Value(factTimeKey{}).(time.Time)
	if !ok || t.IsZero() {
		t = db.now()
	}
	return t.UTC().Truncate(time.Microsecond)
}
