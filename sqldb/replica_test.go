package sqldb

import (
	"testing"
	"time"
)

// TestReplicaNotAStandby checks that a --replica-dsn naming a server that is not a standby (a
// misconfiguration, a restored copy: here an ordinary database) is never taken as a fresh
// replica: its data may be as old as anything, so pages read the primary.
func TestReplicaNotAStandby(t *testing.T) {
	primary := openTestPostgres(t)
	rep, err := OpenReplica(t.Context(), primary.dsn, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	if lag, fresh, err := rep.Lag(t.Context()); fresh || err != nil {
		t.Errorf("Lag of a server not in recovery = %s, fresh %v, %v; want not fresh", lag, fresh, err)
	}
	if got := rep.For(t.Context(), primary); got != primary {
		t.Errorf("For with a replica that is no standby did not give the primary")
	}
}
