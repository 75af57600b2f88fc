package web

import (
	"context"
	"sync"
	"time"
)

// background is the work a request starts and does not wait for (the labour imports): a
// stopping server waits for it (Finish), and cuts it when the time to stop has run out, its
// transaction rolled back, rather than leave it to die with the process.
type background struct {
	mu       sync.Mutex
	running  int
	idle     chan struct{} // closed when running falls to 0 while stopping
	stopping bool
	cut      context.Context // ended when Finish's time has run out
	cutNow   context.CancelFunc
}

func newBackground() *background {
	b := &background{}
	b.cut, b.cutNow = context.WithCancel(context.Background())
	return b
}

// context is the context of work that will outlive its request: it keeps parent's values (the
// actor), not its cancellation, and ends when Finish cuts the work. release ends it; call it when
// the work is not run after all (run calls it when the work returns).
func (b *background) context(parent context.Context) (ctx context.Context, release func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	stop := context.AfterFunc(b.cut, cancel)
	return ctx, func() { stop(); cancel() }
}

// run runs f(ctx) in its own goroutine, waited for by Finish, then release. Work run once Finish
// has begun (a request that outlived the server's shutdown timeout) runs at once in the caller's
// goroutine with ctx already ended: it rolls back and tries to record itself as stopped (the
// database may be closing by then; a row left running is ended by the minute's sweep of the next
// start) rather than run on.
func (b *background) run(ctx context.Context, release func(), f func(ctx context.Context)) {
	b.mu.Lock()
	if b.stopping {
		b.mu.Unlock()
		b.cutNow()
		release()
		f(ctx)
		return
	}
	b.running++
	b.mu.Unlock()
	go func() {
		defer b.done()
		defer release()
		f(ctx)
	}()
}

func (b *background) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.running--
	if b.running == 0 && b.idle != nil {
		close(b.idle)
		b.idle = nil
	}
}

// Finish waits for the background work until ctx ends, then cuts what still runs and waits
// for it to end (a rollback and its row written: quick, and bounded by cutWait in case the
// database no longer answers). It reports whether everything finished on its own.
func (b *background) Finish(ctx context.Context) bool {
	b.mu.Lock()
	b.stopping = true
	if b.running == 0 {
		b.mu.Unlock()
		return true
	}
	idle := make(chan struct{})
	b.idle = idle
	b.mu.Unlock()
	select {
	case <-idle:
		return true
	case <-ctx.Done():
	}
	b.cutNow()
	select {
	case <-idle:
	case <-time.After(cutWait):
	}
	return false
}

// cutWait bounds the wait for cut work to end: its rollback, and its row written within
// sqldb's own bound of 10 s.
const cutWait = 15 * time.Second

// cutShort reports whether the background work was cut by a stopping server.
func (b *background) cutShort() bool { return b.cut.Err() != nil }

// Finish waits for the work started in the background (labour imports) until ctx ends, then cuts
// what still runs, its transactions rolled back and its imports marked as stopped, and waits for
// that. It reports whether everything finished on its own. Call it after the HTTP server has
// stopped taking requests, before the database closes.
func (s *Server) Finish(ctx context.Context) bool { return s.bg.Finish(ctx) }
