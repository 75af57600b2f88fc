package remind

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"xiezuo/sqldb"
)

// TestLoopTellsRuns checks the hook /metrics counts job runs by: the instance that stores the
// day reports remind_day once, a second instance sharing the database does not (the day was
// stored), and each pass over the outbox reports remind_delivery.
func TestLoopTellsRuns(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := seed(t, db)
		clk := &clock{t: time.Date(2021, 10, 25, 9, 0, 0, 0, Shanghai)}
		loop := func(instance string) []string {
			var mu sync.Mutex
			var got []string
			lctx, stop := context.WithCancel(ctx)
			job := &Job{DB: db, Source: PlanSource(db, 7), Now: clk.now, Instance: instance, Log: slog.New(slog.DiscardHandler),
				Ran: func(job string, err error) {
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						job += " failed: " + err.Error()
					}
					got = append(got, job)
					if len(got) >= 3 {
						stop()
					}
				}}
			done := make(chan struct{})
			go func() { defer close(done); job.Loop(lctx, 5*time.Millisecond) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("%s: Loop did not report three runs in 30 s", instance)
			}
			stop()
			mu.Lock()
			defer mu.Unlock()
			return got
		}
		if got, want := loop("a")[:3], []string{"remind_day", "remind_delivery", "remind_delivery"}; !slices.Equal(got, want) {
			t.Errorf("first instance's runs = %v, want %v", got, want)
		}
		if got, want := loop("b")[:3], []string{"remind_delivery", "remind_delivery", "remind_delivery"}; !slices.Equal(got, want) {
			t.Errorf("second instance's runs = %v, want %v (the day was stored by the first)", got, want)
		}
	})
}
