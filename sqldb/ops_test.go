package sqldb

import (
	"slices"
	"testing"
)

// TestOpsReads checks what /metrics and /readyz read: the pools, the pending migrations (none
// on a fresh database, the one struck from schema_migrations after), and the audit chain's length
// following the log's head.
func TestOpsReads(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		pools := db.Pools()
		var names []string
		for _, p := range pools {
			names = append(names, p.Name)
			if p.MaxOpenConnections <= 0 {
				t.Errorf("pool %s: MaxOpenConnections = %d, want a bound", p.Name, p.MaxOpenConnections)
			}
		}
		want := []string{"main"}
		if db.Embedded() {
			want = []string{"read", "write"}
		}
		if !slices.Equal(names, want) {
			t.Errorf("Pools() names = %v, want %v", names, want)
		}

		if p, err := db.PendingMigrations(ctx); err != nil || len(p) != 0 {
			t.Fatalf("PendingMigrations() on a fresh database = %v, %v; want none", p, err)
		}
		if _, err := db.db.ExecContext(ctx, `DELETE FROM schema_migrations WHERE name = $1`, "0002_accounts.sql"); err != nil {
			t.Fatal(err)
		}
		if p, err := db.PendingMigrations(ctx); err != nil || !slices.Equal(p, []string{"0002_accounts.sql"}) {
			t.Errorf("PendingMigrations() after striking 0002 = %v, %v; want [0002_accounts.sql]", p, err)
		}

		n0, err := db.AuditLength(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if err := db.SetSetting(ctx, "ops.test", string(rune('a'+i))); err != nil {
				t.Fatal(err)
			}
		}
		seq, _, err := db.AuditHead(ctx) // chains what waits
		if err != nil {
			t.Fatal(err)
		}
		n, err := db.AuditLength(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != seq || n < n0+3 {
			t.Errorf("AuditLength() = %d (before %d), want the head's seq %d, at least 3 more", n, n0, seq)
		}
	})
}
