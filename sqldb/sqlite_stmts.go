package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"

	"modernc.org/sqlite"
)

// database/sql asks the SQLite driver to compile each statement anew, every time it runs: on
// a deadline day a third of the one writer's time went to compiling the same dozen statements
// (sqlite3_prepare_v2). A connection here keeps the statements it compiled and runs them
// again: a statement is reused when it is not in use (its rows closed), else compiled for the
// call as before. SQLite recompiles a kept statement by itself when the schema changes. The
// driver's connection is otherwise used as is.

// mostStmts bounds the statements one connection keeps: queries whose text varies (lists of
// placeholders) are compiled for each call once the bound is reached.
const mostStmts = 256

// stmtConnector opens SQLite connections that keep their statements.
type stmtConnector struct {
	dsn string
	drv *sqlite.Driver
}

// openSQLitePool opens a pool of SQLite connections on dsn that keep their statements.
func openSQLitePool(dsn string) *sql.DB {
	return sql.OpenDB(stmtConnector{dsn: dsn, drv: &sqlite.Driver{}})
}

func (c stmtConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &stmtConn{Conn: conn, kept: map[string]*keptStmt{}}, nil
}

func (c stmtConnector) Driver() driver.Driver { return c.drv }

// stmtConn is a driver connection that keeps its statements. It offers database/sql no
// ExecContext or QueryContext of its own, so that every statement goes through
// PrepareContext, which finds it kept.
type stmtConn struct {
	driver.Conn
	mu   sync.Mutex
	kept map[string]*keptStmt
}

// keptStmt is a statement a connection keeps; busy while database/sql uses it.
type keptStmt struct {
	driver.Stmt
	conn *stmtConn
	busy bool
}

// Close gives the statement back to its connection, which keeps it compiled.
func (s *keptStmt) Close() error {
	s.conn.mu.Lock()
	s.busy = false
	s.conn.mu.Unlock()
	return nil
}

func (s *keptStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *keptStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (c *stmtConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *stmtConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.mu.Lock()
	if s, ok := c.kept[query]; ok && !s.busy {
		s.busy = true
		c.mu.Unlock()
		return s, nil
	}
	keep := len(c.kept) < mostStmts && c.kept[query] == nil
	c.mu.Unlock()
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil || !keep {
		return st, err
	}
	if _, ok := st.(driver.StmtExecContext); !ok {
		return st, nil
	}
	if _, ok := st.(driver.StmtQueryContext); !ok {
		return st, nil
	}
	s := &keptStmt{Stmt: st, conn: c, busy: true}
	c.mu.Lock()
	c.kept[query] = s
	c.mu.Unlock()
	return s, nil
}

// Close finishes the kept statements, then the connection.
func (c *stmtConn) Close() error {
	c.mu.Lock()
	kept := c.kept
	c.kept = nil
	c.mu.Unlock()
	for _, s := range kept {
		s.Stmt.Close()
	}
	return c.Conn.Close()
}

func (c *stmtConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *stmtConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *stmtConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *stmtConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }
