package sqldb

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchWriters is how many writers the audited-write benchmarks run at once: the clients of
// the deadline-day benchmark (docs/benchmarks.md, "Deadline day").
const benchWriters = 32

// auditedWrite is a write of the shape every write method has: a row of its own, then the
// audit entry, last, in the same transaction.
func auditedWrite(ctx context.Context, db *DB, i int64, deferred bool) error {
	tx, err := db.begin(ctx, fmt.Sprintf("bench %d", i))
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO bench_writes (n, body) VALUES ($1, $2)`, i, "进展：已完成本月培训 40 人"); err != nil {
		return err
	}
	e := entryFor(ctx, "bench.write", "bench", fmt.Sprint(i), "")
	if deferred {
		if err := db.appendAuditDeferred(ctx, tx, e); err != nil {
			return err
		}
		return db.commitAudited(tx)
	}
	if err := db.appendChained(ctx, tx, e); err != nil {
		return err
	}
	return tx.Commit()
}

// benchAuditedWrites runs b.N audited writes from benchWriters goroutines and reports writes
// per second and the 99th percentile of one write's latency.
func benchAuditedWrites(b *testing.B, db *DB, deferred bool) {
	if _, err := db.db.ExecContext(b.Context(), `CREATE TABLE bench_writes (n BIGINT NOT NULL, body TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	ctx := WithActor(b.Context(), Actor{UserID: 1, Username: "bench"})
	var next atomic.Int64
	lat := make([][]time.Duration, benchWriters)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range benchWriters {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				t0 := time.Now()
				if err := auditedWrite(ctx, db, i, deferred); err != nil {
					b.Error(err)
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "writes/s")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
	v, err := db.VerifyAudit(b.Context(), AuditMark{})
	if err != nil || !v.OK() {
		b.Fatalf("VerifyAudit after the writes = %+v, %v", v, err)
	}
}

// BenchmarkAuditedWriteSQLite measures 32 concurrent writes on SQLite, each chaining its
// audit entry under the log's lock (appendAudit).
func BenchmarkAuditedWriteSQLite(b *testing.B) { benchAuditedWrites(b, openTestSQLite(b), false) }

// BenchmarkAuditedWritePostgres is BenchmarkAuditedWriteSQLite on PostgreSQL.
func BenchmarkAuditedWritePostgres(b *testing.B) { benchAuditedWrites(b, openTestPostgres(b), false) }

// BenchmarkDeferredAuditWriteSQLite measures 32 concurrent writes on SQLite whose audit entry
// waits for the sealer (appendAuditDeferred).
func BenchmarkDeferredAuditWriteSQLite(b *testing.B) {
	benchAuditedWrites(b, openTestSQLite(b), true)
}

// BenchmarkDeferredAuditWritePostgres is BenchmarkDeferredAuditWriteSQLite on PostgreSQL.
func BenchmarkDeferredAuditWritePostgres(b *testing.B) {
	benchAuditedWrites(b, openTestPostgres(b), true)
}
