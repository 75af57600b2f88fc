package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"xiezuo/sqldb/sqldbtest"
)

// BenchmarkAuditScale measures, on PostgreSQL, audited writes (AppendAudit: a transaction
// holding only its entry, so that the log's cost is what is measured) with 1, 8 and 32
// writers spread over 3 handles (3 instances), before (every entry chained under the log's
// lock) and after (entries wait for the sealer), on a log of XIEZUO_AUDIT_ENTRIES entries
// (1,000,000 by default; .ci/run uses 2000); then full and incremental verification.
// XIEZUO_AUDIT_SCALE_DB names a database kept between runs, so that the log is filled once.
//
//	XIEZUO_AUDIT_SCALE_DB=postgres://postgres@127.0.0.1:5432/xiezuo_au_scale?sslmode=disable \
//	  go test -run '^$' -bench AuditScale -benchtime 1x -timeout 60m ./sqldb
func BenchmarkAuditScale(b *testing.B) {
	url := os.Getenv("XIEZUO_AUDIT_SCALE_DB")
	if url == "" {
		url = sqldbtest.PostgresURL(b)
	}
	entries := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("XIEZUO_AUDIT_ENTRIES")); err == nil {
		entries = n
	}
	per := 3 * time.Second
	if d, err := time.ParseDuration(os.Getenv("XIEZUO_AUDIT_SECONDS")); err == nil {
		per = d
	}
	ctx := context.Background()
	var dbs []*DB
	for range 3 {
		db, err := Open(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.UseAuditKey(ctx, testAuditKey); err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		dbs = append(dbs, db)
	}
	start := time.Now()
	added, err := fillAuditLog(ctx, dbs[0], int64(entries))
	if err != nil {
		b.Fatal(err)
	}
	var total int64
	dbs[0].db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&total)
	b.Logf("log: %d entries (%d added in %v)", total, added, time.Since(start).Round(time.Millisecond))
	for _, mode := range []string{"before", "after"} {
		for _, db := range dbs {
			db.dialect.deferAudit = mode == "after"
		}
		for _, writers := range []int{1, 8, 32} {
			var mu sync.Mutex
			var lat []time.Duration
			var wg sync.WaitGroup
			deadline := time.Now().Add(per)
			t0 := time.Now()
			for w := range writers {
				db := dbs[w%len(dbs)]
				wg.Go(func() {
					var mine []time.Duration
					for i := 0; time.Now().Before(deadline); i++ {
						s := time.Now()
						if err := db.AppendAudit(ctx, AuditEntry{Action: "bench.scale", ObjectType: "bench", ObjectID: fmt.Sprint(w, "-", i)}); err != nil {
							b.Error(err)
							return
						}
						mine = append(mine, time.Since(s))
					}
					mu.Lock()
					lat = append(lat, mine...)
					mu.Unlock()
				})
			}
			wg.Wait()
			elapsed := time.Since(t0)
			for _, db := range dbs {
				if err := db.sealPending(ctx); err != nil {
					b.Fatal(err)
				}
			}
			slices.Sort(lat)
			if len(lat) == 0 {
				b.Fatal("no writes")
			}
			b.Logf("%s writers=%d: %d writes, %.0f appends/s, p50 %v, p99 %v (sealed within %v of the end)", mode, writers, len(lat),
				float64(len(lat))/elapsed.Seconds(), lat[len(lat)/2].Round(10*time.Microsecond),
				lat[len(lat)*99/100].Round(10*time.Microsecond), time.Since(t0.Add(elapsed)).Round(time.Millisecond))
		}
	}
	actx := WithActor(ctx, Actor{Username: "auditor"})
	t0 := time.Now()
	v, err := dbs[0].VerifyAudit(actx, AuditMark{})
	if err != nil || !v.OK() {
		b.Fatalf("VerifyAudit = %+v, %v", v, err)
	}
	b.Logf("full verify: %d entries in %v", v.Checked, time.Since(t0).Round(time.Millisecond))
	if _, err := dbs[0].AuditVerified(actx, v, AuditMark{}); err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		if err := dbs[i%3].AppendAudit(ctx, AuditEntry{Action: "bench.after", ObjectID: fmt.Sprint(i)}); err != nil {
			b.Fatal(err)
		}
	}
	t0 = time.Now()
	v, err = dbs[0].VerifyAuditIncremental(actx, AuditMark{})
	if err != nil || !v.OK() || v.From.Seq == 0 {
		b.Fatalf("VerifyAuditIncremental = %+v, %v", v, err)
	}
	b.Logf("incremental verify: %d entries after %d in %v", v.Checked, v.From.Seq, time.Since(t0).Round(time.Millisecond))
	if _, err := dbs[0].AuditVerified(actx, v, AuditMark{}); err != nil {
		b.Fatal(err)
	}
}

// fillAuditLog appends keyed entries, chained properly, until the log holds n, by COPY.
func fillAuditLog(ctx context.Context, db *DB, n int64) (int64, error) {
	if err := db.sealPending(ctx); err != nil {
		return 0, err
	}
	var count int64
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&count); err != nil {
		return 0, err
	}
	if count >= n {
		return 0, nil
	}
	last, prev := int64(0), genesisHash
	err := db.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && err != sql.ErrNoRows {
		return 0, err
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	at := time.Now().UTC().Truncate(time.Microsecond)
	var added int64
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		for added < n-count {
			var rows [][]any
			for range min(50_000, n-count-added) {
				e := AuditEntry{Seq: last + 1, At: at, UserID: 7, Username: "office1", Unit: "领导小组办公室", IP: "10.0.0.7",
					Action: "report.submit", ObjectType: "report", ObjectID: strconv.FormatInt(last+1, 10), ObjectLabel: "2021年门头沟区",
					After: `{"percent":40,"text":"已完成本月培训 40 人"}`, Outcome: AuditSuccess, PrevHash: prev, Chain: chainHMACSM3}
				e.Hash = e.digest(db.auditKey)
				var r [16]byte
				rand.Read(r[:])
				rows = append(rows, []any{e.Seq, e.At, e.UserID, e.Username, e.Unit, e.IP, e.Action, e.ObjectType, e.ObjectID,
					e.ObjectLabel, e.Before, e.After, e.Outcome, e.Detail, e.PrevHash, e.Hash, e.Chain, hex.EncodeToString(r[:])})
				last, prev = e.Seq, e.Hash
			}
			if _, err := c.CopyFrom(ctx, pgx.Identifier{"audit_log"}, []string{"seq", "at", "user_id", "username", "unit", "ip",
				"action", "object_type", "object_id", "object_label", "before_json", "after_json", "outcome", "detail",
				"prev_hash", "hash", "chain", "ref"}, pgx.CopyFromRows(rows)); err != nil {
				return err
			}
			added += int64(len(rows))
		}
		return nil
	})
	return added, err
}
