package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"xiezuo"
)

// ErrFailover is what a user is told when PostgreSQL cannot take the request because its
// primary is changing (Patroni's failover or switchover) or is unreachable for a moment.
var ErrFailover = xiezuo.Errorf(xiezuo.EUNAVAILABLE, "数据库正在切换，请稍后重试")

// openPostgres opens a pool that drops the connections a failover leaves behind:
//   - a connection whose server died: pgx closes it on the network error, and database/sql
//     discards a closed one (pgx's IsValid and ResetSession answer driver.ErrBadConn); an idle
//     one is pinged before reuse when it rested over a second;
//   - a connection to a node that is now a standby (reached through HAProxy in the seconds
//     before its check marks the node down, or a primary demoted without a restart): it would
//     fail every write with SQLSTATE 25006 for ever. PostgreSQL 14+ reports in_hot_standby on
//     every connection, so ResetSession drops such a connection before reuse, without a round
//     trip.
func openPostgres(dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pool := stdlib.OpenDB(*cfg, stdlib.OptionResetSession(dropStandby))
	return wrap(pool, postgresDialect), nil
}

// dropStandby refuses a pooled connection to a server in hot standby.
func dropStandby(_ context.Context, c *pgx.Conn) error {
	if c.PgConn().ParameterStatus("in_hot_standby") == "on" {
		return driver.ErrBadConn
	}
	return nil
}

// Unavailable reports whether err is a failure of the database's availability rather than of
// the request: the connection was lost or refused, the server is shutting down or starting,
// or it is a standby refusing a write (SQLSTATE 25006, read_only_sql_transaction). Such a
// request was not acknowledged; the same request after the failover may succeed.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var e *xiezuo.Error
	if errors.As(err, &e) {
		return e.Code == xiezuo.EUNAVAILABLE
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "25006", // read_only_sql_transaction: a standby
			"57P01", // admin_shutdown
			"57P02", // crash_shutdown
			"57P03", // cannot_connect_now: starting or in recovery
			"53300": // too_many_connections, while clients reconnect at once
			return true
		}
		// Class 08: connection exception.
		return len(pe.Code) == 5 && pe.Code[:2] == "08"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF),
		// The connection died during the statement (the server restarted or failed over): what
		// it did is unknown, and the client is told to try again (a keyed retry is safe).
		errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	// pgconn says so of a failure before anything was sent: the server did not see it.
	return pgconn.SafeToRetry(err)
}

func parseReplicaConfig(dsn string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open replica: %w", err)
	}
	return cfg, nil
}

// openReplicaPool opens a pool on a replica: its connections stay on a standby (no
// dropStandby), and they are read-only.
func openReplicaPool(cfg *pgx.ConnConfig) *sql.DB {
	return stdlib.OpenDB(*cfg)
}
