package xiezuo

import "time"

// ClockOn returns a clock that reads day at the current time of day of real (Beijing time),
// and runs on from there at real's pace: a fixed offset from real. serve --today gives it to
// the pages and the database, so that a demonstration or a training on a past plan sees that
// plan's lights as on that day, and what is done in it is dated inside that day and after.
func ClockOn(day Date, real func() time.Time) func() time.Time {
	now := real()
	b := now.In(Beijing)
	target := time.Date(day.Year, day.Month, day.Day, b.Hour(), b.Minute(), b.Second(), b.Nanosecond(), Beijing)
	offset := target.Sub(now)
	return func() time.Time { return real().Add(offset) }
}
