package web

import (
	"sync"
	"time"
)

// limiter counts attempts per key in fixed windows: a brake on guessing passwords and on
// runaway API clients. It is per instance on purpose: the lockout that matters (per account)
// lives in the database and holds across instances.
type limiter struct {
	now  func() time.Time
	mu   sync.Mutex
	hits map[string]window
}

type window struct {
	start time.Time
	n     int
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, hits: map[string]window{}}
}

// allow records an attempt for key and reports whether it is among the first n of its window:
// windows of length per, fixed, each starting at the first attempt after the one before ended.
// So allow(key, 10, time.Minute) lets 10 attempts through in any minute-long window, and at
// most 20 in any minute (10 at the end of one window, 10 at the start of the next).
func (l *limiter) allow(key string, n int, per time.Duration) bool {
	now := l.now()
	span := per
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hits) > 100_000 {
		for k, w := range l.hits {
			if now.Sub(w.start) > span {
				delete(l.hits, k)
			}
		}
	}
	w := l.hits[key]
	if now.Sub(w.start) > span {
		w = window{start: now}
	}
	w.n++
	l.hits[key] = w
	return w.n <= n
}
