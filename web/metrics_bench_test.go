package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkObserve is what counting a request costs each request (metrics.go).
func BenchmarkObserve(b *testing.B) {
	e := newEnvTB(b)
	r := httptest.NewRequest(http.MethodGet, "/duties/t-13", nil)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e.srv.observe(r, "GET /duties/{id}", http.StatusOK, 3*time.Millisecond)
		}
	})
}

// BenchmarkMetricsScrape writes /metrics with every route of the table counted under three
// status classes: the largest exposition an instance makes.
func BenchmarkMetricsScrape(b *testing.B) {
	e := newEnvTB(b)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, rt := range e.srv.routes {
		for _, st := range []int{200, 404, 500} {
			e.srv.observe(r, rt.pattern, st, time.Millisecond)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		e.srv.writeMetrics(b.Context(), io.Discard)
	}
}
