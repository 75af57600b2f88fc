package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"xiezuo"
)

// Replica is a PostgreSQL streaming replica that read-only pages may read from, as long as
// it is no further behind the primary than MaxLag. Its lag is read at most once a second;
// when it is too far behind or does not answer, For gives the primary.
type Replica struct {
	db     *DB
	maxLag time.Duration
	now    func() time.Time

	mu      sync.Mutex
	checked time.Time
	fresh   bool
	lag     time.Duration
	err     error
}

// replicaCheckEvery is how long a reading of the replica's lag is trusted.
const replicaCheckEvery = time.Second

// OpenReplica opens the replica at dsn (a postgres:// URL) for reads lagging at most maxLag.
// It applies no migration: the replica follows the primary's schema.
func OpenReplica(ctx context.Context, dsn string, maxLag time.Duration) (*Replica, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "副本地址须为 postgres:// 开头的 PostgreSQL 地址")
	}
	if maxLag <= 0 {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "允许的最大复制延迟须大于 0")
	}
	cfg, err := parseReplicaConfig(dsn)
	if err != nil {
		return nil, err
	}
	pool := openReplicaPool(cfg)
	pool.SetMaxOpenConns(postgresConns / 3)
	pool.SetMaxIdleConns(postgresConns / 3)
	db := wrap(pool, postgresDialect)
	db.dsn = dsn
	return &Replica{db: db, maxLag: maxLag, now: time.Now}, nil
}

// Close closes the replica's connections.
func (r *Replica) Close() error {
	if r == nil {
		return nil
	}
	return r.db.db.Close()
}

// MaxLag is the bound given to OpenReplica.
func (r *Replica) MaxLag() time.Duration { return r.maxLag }

// For returns the replica when it answers and lags at most MaxLag, and primary otherwise
// (also for a nil Replica: serve without --replica-dsn).
func (r *Replica) For(ctx context.Context, primary *DB) *DB {
	if r == nil {
		return primary
	}
	if _, ok, _ := r.Lag(ctx); ok {
		return r.db
	}
	return primary
}

// Lag reads how far the replica is behind (cached for a second), and whether that is within
// MaxLag. A replica that does not answer is not within.
func (r *Replica) Lag(ctx context.Context) (lag time.Duration, fresh bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if !r.checked.IsZero() && now.Sub(r.checked) < replicaCheckEvery {
		return r.lag, r.fresh, r.err
	}
	// A bounded wait: a replica that hangs must not hold pages longer than a fallback would.
	ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	var seconds sql.NullFloat64
	// A standby streaming from its primary with nothing left to replay is not behind, however
	// long ago the last write was; one still replaying is as far behind as the age of the last
	// transaction it replayed. A standby cut off from its primary (no WAL receiver streaming)
	// has replayed all it received and cannot tell how far behind it is, and a server not in
	// recovery is no replica of ours (a misconfigured --replica-dsn, a restored copy): neither
	// is read (NULL: not fresh), and pages read the primary.
	err = r.db.db.QueryRowContext(ctx, `SELECT CASE
		WHEN NOT pg_is_in_recovery() THEN NULL
		WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN NULL
		WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
		ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 END`).Scan(&seconds)
	r.checked = now
	r.err = err
	if err != nil {
		r.lag, r.fresh = 0, false
		r.err = fmt.Errorf("replica lag: %w", err)
		return 0, false, r.err
	}
	if !seconds.Valid { // not a streaming standby, or never replayed anything yet
		r.lag, r.fresh = 0, false
		return 0, false, nil
	}
	r.lag = time.Duration(seconds.Float64 * float64(time.Second))
	r.fresh = r.lag <= r.maxLag
	return r.lag, r.fresh, nil
}
