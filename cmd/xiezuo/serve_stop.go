package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"xiezuo"
)

// drainer is told, before the server stops taking requests, to make /readyz answer 503
// (web.Server.Drain), and after, to finish the work its requests left running in the background
// (web.Server.Finish: labour imports), cut when the time runs out.
type drainer interface {
	Drain()
	Finish(ctx context.Context) bool
}

// serveUntil serves on ln until ctx ends (SIGINT, SIGTERM), then stops gracefully: /readyz
// turns 503 first, drainWait gives a load balancer time to see it and send no more, then the
// listener closes and the requests in flight, then the work they left in the background, get up
// to timeout to finish. It returns nil after a graceful stop, and the error that ended serving
// otherwise (including in-flight requests or background work cut at the timeout).
func serveUntil(ctx context.Context, hs *http.Server, ln net.Listener, d drainer, drainWait, timeout time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	d.Drain()
	if drainWait > 0 {
		time.Sleep(drainWait)
	}
	stop, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := hs.Shutdown(stop); err != nil {
		hs.Close()
		d.Finish(stop)
		return fmt.Errorf("停止服务时仍有请求未在 %s 内完成，已强制断开：%w", timeout, err)
	}
	if !d.Finish(stop) {
		return fmt.Errorf("停止服务时仍有后台导入未在 %s 内完成，已撤销（导入记录标为失败，可重新导入）", timeout)
	}
	return nil
}

// newLogger is the server's logger in the format --log-format names: text (the default) or
// JSON, one object a line, for a collector.
func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, xiezuo.Errorf(xiezuo.EINVALID, "--log-format 只能是 text 或 json，不是「%s」", format)
}
