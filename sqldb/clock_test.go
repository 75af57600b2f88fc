package sqldb

import (
	"context"
	"testing"
	"time"
)

// TestAuditKeepsMachineTime checks that a database whose clock is moved to a day of the sample
// year (serve --today) dates its facts by that clock and its audit entries by the machine's: the
// log records when a write really happened.
func TestAuditKeepsMachineTime(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		useTestAuditKey(t, db)
		today := time.Date(2021, 9, 15, 10, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return today })
		if got := db.Now(); !got.Equal(today) {
			t.Fatalf("Now() = %v after SetClock, want %v", got, today)
		}
		before := time.Now().Add(-time.Minute)
		if err := db.SetSetting(ctx, "test.clock", "1"); err != nil {
			t.Fatal(err)
		}
		es, _, err := db.SearchAudit(ctx, AuditFilter{Limit: 1})
		if err != nil || len(es) != 1 {
			t.Fatalf("SearchAudit = %v, %v", es, err)
		}
		if es[0].At.Before(before) {
			t.Errorf("audit entry dated %v under SetClock(2021-09-15), want the machine's time (after %v)", es[0].At, before)
		}
	})
}
