package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// On SQLite every commit waits for the disk (WAL, synchronous FULL), and one writer runs at a
// time: on a deadline day the submissions would queue for one disk flush each. The group
// committer runs the writes it is given one after the other in one transaction, each inside a
// savepoint of its own, and commits them together with one flush: a write that fails rolls
// back to its savepoint alone, and none is answered before the commit that stores it. While
// one group commits the next gathers, so a lone write waits for nobody and a crowd shares
// its flushes. PostgreSQL commits concurrent transactions together by itself (group commit
// of its WAL) and needs none of this.

// groupMax bounds the writes of one transaction: a failing commit fails no more than these.
const groupMax = 128

// committer runs the group commit of one DB.
type committer struct {
	once sync.Once // starts the goroutine
	halt sync.Once // stops it
	reqs chan *groupReq
	stop chan struct{}
	done chan struct{}
}

type groupReq struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

func newCommitter() *committer {
	return &committer{reqs: make(chan *groupReq), stop: make(chan struct{}), done: make(chan struct{})}
}

// errClosed answers writes given after Close.
var errClosed = fmt.Errorf("database closed")

// inGroup runs fn inside a transaction of the group committer and returns once that
// transaction committed (nil) or fn's error, or the commit's. fn runs on the committer's
// goroutine with the writer's transaction: it must not begin another. It is given ctx's
// values without its cancellation: once begun, a write runs to its end, so that a client
// leaving cannot interrupt the statements of the connection the group shares (it is then
// stored unanswered, as any write whose answer is lost; an Idempotency-Key finds it again).
func (db *DB) inGroup(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	g := db.group
	g.once.Do(func() { go db.runGroup() })
	r := &groupReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.done:
		return errClosed
	}
	// Waited for even when ctx ends meanwhile: fn may be stored, and the caller must not
	// answer before it knows.
	return <-r.done
}

func (db *DB) runGroup() {
	g := db.group
	defer close(g.done)
	for {
		var first *groupReq
		select {
		case first = <-g.reqs:
		case <-g.stop:
			return
		}
		db.commitGroup(first)
	}
}

// commitGroup runs first and whatever else is waiting, up to groupMax, in one transaction.
func (db *DB) commitGroup(first *groupReq) {
	g := db.group
	batch := []*groupReq{first}
	errs := []error{nil}
	// The transaction is not bound to any one request's context: one client giving up must
	// not roll back the others' writes.
	tx, err := db.writer.BeginTx(context.Background(), nil)
	if err != nil {
		first.done <- err
		return
	}
	run := func(i int) {
		r := batch[i]
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			return
		}
		ctx := context.WithoutCancel(r.ctx)
		if _, err := tx.ExecContext(ctx, `SAVEPOINT group_write`); err != nil {
			errs[i] = err
			return
		}
		err := protect(func() error { return r.fn(ctx, tx) })
		if err != nil {
			errs[i] = err
			_, _ = tx.ExecContext(context.Background(), `ROLLBACK TO group_write`)
		}
		if _, rerr := tx.ExecContext(context.Background(), `RELEASE group_write`); rerr != nil && errs[i] == nil {
			errs[i] = rerr
		}
	}
	run(0)
gather:
	for len(batch) < groupMax {
		select {
		case r := <-g.reqs:
			batch = append(batch, r)
			errs = append(errs, nil)
			run(len(batch) - 1)
		default:
			break gather
		}
	}
	err = tx.Commit()
	for i, r := range batch {
		switch {
		case errs[i] != nil:
			r.done <- errs[i]
		default:
			r.done <- err
		}
	}
}

// protect runs fn, turning a panic into an error: one bad write must not stop the committer
// and leave every later writer waiting.
func protect(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write panicked: %v", p)
		}
	}()
	return fn()
}

// stopGroup stops the group committer, if it was started, after the group under way.
func (db *DB) stopGroup() {
	g := db.group
	g.halt.Do(func() {
		started := true
		g.once.Do(func() { started = false; close(g.done) })
		if started {
			close(g.stop)
		}
	})
	<-g.done
}
