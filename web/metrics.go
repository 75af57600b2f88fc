package web

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ops holds what /metrics reports of this instance: requests by route pattern, job runs, and
// the audit chain's length read at most every auditLengthTTL. Counters live in this process
// only: each instance is scraped on its own and the collector sums them.
type ops struct {
	start    time.Time
	draining atomic.Bool // set by Drain: /readyz answers 503 from then on

	mu   sync.Mutex
	reqs map[reqKey]*histogram
	jobs map[string]*jobStats

	auditMu  sync.Mutex
	auditAt  time.Time
	auditLen int64
	auditOK  bool
}

// reqKey labels a request: the route table's pattern split into method and path (never the
// path asked for: no IDs, no names, no query), and the status class.
type reqKey struct {
	method, route, class string
}

// latencyBuckets are the upper bounds, in seconds, of the request latency histogram: a page is
// expected within 100 ms, an import or an export within seconds.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is above every bound (+Inf)
	sum    float64
}

type jobStats struct {
	runs, failures uint64
	lastSuccess    time.Time
}

func newOps() *ops {
	return &ops{start: time.Now(), reqs: map[reqKey]*histogram{}, jobs: map[string]*jobStats{}}
}

// auditLengthTTL is how long the audit chain's length is reused: a scrape every few seconds
// costs one indexed read at most this often.
const auditLengthTTL = 5 * time.Second

var statusClasses = [...]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// observe counts one answered request under its route pattern (pattern "" when no route
// matched) and, with Config.AccessLog, logs it: method, pattern, status and duration only.
func (s *Server) observe(r *http.Request, pattern string, status int, d time.Duration) {
	if status == 0 {
		status = http.StatusOK // nothing written: net/http answers 200
	}
	method, route := r.Method, "unmatched"
	if pattern != "" {
		if m, p, ok := strings.Cut(pattern, " "); ok {
			method, route = m, p
		} else {
			route = pattern
		}
	}
	if !slices.Contains([]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}, method) {
		method = "other" // a client's invented method never becomes a label of its own
	}
	class := "other"
	if c := status / 100; c >= 1 && c <= 5 {
		class = statusClasses[c-1]
	}
	k := reqKey{method: method, route: route, class: class}
	s.ops.mu.Lock()
	h := s.ops.reqs[k]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		s.ops.reqs[k] = h
	}
	sec := d.Seconds()
	i, _ := slices.BinarySearch(latencyBuckets, sec) // the first bound ≥ sec; len: +Inf
	h.counts[i]++
	h.sum += sec
	s.ops.mu.Unlock()
	if s.cfg.AccessLog {
		rid, _ := r.Context().Value(ridKey{}).(string)
		s.log.Info("request", "rid", rid, "method", method, "route", route, "status", status, "ms", d.Milliseconds())
	}
}

// RecordJob counts a run of a background job (the sweep, the daily reminders and their
// delivery) for /metrics: err nil is a success.
func (s *Server) RecordJob(job string, err error) {
	s.ops.mu.Lock()
	defer s.ops.mu.Unlock()
	j := s.ops.jobs[job]
	if j == nil {
		j = &jobStats{}
		s.ops.jobs[job] = j
	}
	j.runs++
	if err != nil {
		j.failures++
	} else {
		j.lastSuccess = time.Now()
	}
}

// Drain makes /readyz answer 503 from now on, so that a load balancer sends no new requests
// while the server finishes those in flight (serve calls it before shutting down).
func (s *Server) Drain() { s.ops.draining.Store(true) }

// readyTimeout bounds the query /readyz makes: a database slower than this is not ready.
const readyTimeout = 2 * time.Second

// readyz says whether this instance should get traffic: not shutting down, the database
// answering a query within readyTimeout, and its schema the one this binary expects. /healthz
// stays what it was: the process can serve at all.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	unready := func(msg string) {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, msg+"\n")
	}
	if s.ops.draining.Load() {
		unready("正在停止服务 (shutting down)")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	pending, err := s.db.PendingMigrations(ctx)
	switch {
	case err != nil:
		s.log.Error("readyz", "err", err)
		unready("数据库未在 2 秒内应答 (database not answering)")
	case len(pending) > 0:
		// Which migrations wait tells the schema's age: the log and those who may read
		// /metrics learn them, anyone else only that the schema is behind.
		s.log.Warn("readyz: migrations pending", "migrations", strings.Join(pending, ", "))
		msg := "数据库结构不是最新，请先运行 xiezuo migrate"
		if s.metricsAllowed(r) {
			msg += " (migrations pending: " + strings.Join(pending, ", ") + ")"
		}
		unready(msg)
	default:
		io.WriteString(w, "ready\n")
	}
}

// metricsAllowed reports whether r may read /metrics: with the bearer token of
// Config.MetricsToken, or from the loopback address directly. A request a proxy forwarded
// (X-Forwarded-For, X-Real-IP, Forwarded) is not taken as local even when the proxy runs on
// this machine: nginx on 127.0.0.1 forwards the whole network's requests.
func (s *Server) metricsAllowed(r *http.Request) bool {
	if tok := s.cfg.MetricsToken; tok != "" {
		if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			// Hashes of equal length: the comparison takes the same time whatever the length.
			a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(tok))
			if subtle.ConstantTimeCompare(a[:], b[:]) == 1 {
				return true
			}
		}
	}
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("X-Real-IP") != "" || r.Header.Get("Forwarded") != "" {
		return false
	}
	// Behind a reverse proxy (serve --trusted-proxy) a loopback peer may be the proxy passing
	// anyone's request on without those headers: only the token opens /metrics then.
	if len(s.cfg.TrustedProxies) > 0 {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// metrics writes the instance's figures in the Prometheus text format 0.0.4. Anyone else is
// answered as for a page that does not exist.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	if !s.metricsAllowed(r) {
		s.errorPage(w, r, http.StatusNotFound, "没有这个页面，请检查网址，或从菜单进入")
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	b := bufio.NewWriter(w)
	defer b.Flush()
	s.writeMetrics(r.Context(), b)
}

func (s *Server) writeMetrics(ctx context.Context, w io.Writer) {
	family := func(name, typ, help string) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	}
	sample := func(name string, labels []string, v float64) {
		fmt.Fprintf(w, "%s%s %s\n", name, labelText(labels), strconv.FormatFloat(v, 'g', -1, 64))
	}

	// Requests.
	s.ops.mu.Lock()
	keys := make([]reqKey, 0, len(s.ops.reqs))
	for k := range s.ops.reqs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b reqKey) int {
		return strings.Compare(a.route+" "+a.method+" "+a.class, b.route+" "+b.method+" "+b.class)
	})
	hists := make([]histogram, len(keys))
	for i, k := range keys {
		h := s.ops.reqs[k]
		hists[i] = histogram{counts: slices.Clone(h.counts), sum: h.sum}
	}
	jobNames := make([]string, 0, len(s.ops.jobs))
	for n := range s.ops.jobs {
		jobNames = append(jobNames, n)
	}
	slices.Sort(jobNames)
	jobs := make([]jobStats, len(jobNames))
	for i, n := range jobNames {
		jobs[i] = *s.ops.jobs[n]
	}
	s.ops.mu.Unlock()

	family("xiezuo_http_requests_total", "counter", "Requests answered, by route pattern, method and status class.")
	for i, k := range keys {
		var n uint64
		for _, c := range hists[i].counts {
			n += c
		}
		sample("xiezuo_http_requests_total", []string{"route", k.route, "method", k.method, "code", k.class}, float64(n))
	}
	family("xiezuo_http_request_duration_seconds", "histogram", "Time to answer a request, by route pattern, method and status class.")
	for i, k := range keys {
		l := []string{"route", k.route, "method", k.method, "code", k.class}
		var cum uint64
		for j, c := range hists[i].counts {
			cum += c
			le := "+Inf"
			if j < len(latencyBuckets) {
				le = strconv.FormatFloat(latencyBuckets[j], 'g', -1, 64)
			}
			sample("xiezuo_http_request_duration_seconds_bucket", append(slices.Clone(l), "le", le), float64(cum))
		}
		sample("xiezuo_http_request_duration_seconds_sum", l, hists[i].sum)
		sample("xiezuo_http_request_duration_seconds_count", l, float64(cum))
	}

	// The database's connection pools.
	pools := s.db.Pools()
	gauge := func(name, help string, v func(p int) float64) {
		family(name, "gauge", help)
		for i, p := range pools {
			sample(name, []string{"pool", p.Name}, v(i))
		}
	}
	gauge("xiezuo_db_max_open_connections", "Bound on the pool's open connections.", func(i int) float64 { return float64(pools[i].MaxOpenConnections) })
	gauge("xiezuo_db_open_connections", "Connections open, in use or idle.", func(i int) float64 { return float64(pools[i].OpenConnections) })
	gauge("xiezuo_db_in_use_connections", "Connections in use.", func(i int) float64 { return float64(pools[i].InUse) })
	gauge("xiezuo_db_idle_connections", "Idle connections.", func(i int) float64 { return float64(pools[i].Idle) })
	family("xiezuo_db_wait_count_total", "counter", "Times a request waited for a connection.")
	for _, p := range pools {
		sample("xiezuo_db_wait_count_total", []string{"pool", p.Name}, float64(p.WaitCount))
	}
	family("xiezuo_db_wait_duration_seconds_total", "counter", "Time spent waiting for a connection.")
	for _, p := range pools {
		sample("xiezuo_db_wait_duration_seconds_total", []string{"pool", p.Name}, p.WaitDuration.Seconds())
	}

	// Background jobs of this instance.
	family("xiezuo_job_runs_total", "counter", "Runs of a background job on this instance.")
	for i, n := range jobNames {
		sample("xiezuo_job_runs_total", []string{"job", n}, float64(jobs[i].runs))
	}
	family("xiezuo_job_failures_total", "counter", "Runs of a background job that failed.")
	for i, n := range jobNames {
		sample("xiezuo_job_failures_total", []string{"job", n}, float64(jobs[i].failures))
	}
	family("xiezuo_job_last_success_timestamp_seconds", "gauge", "Unix time of the job's last successful run on this instance.")
	for i, n := range jobNames {
		if !jobs[i].lastSuccess.IsZero() {
			sample("xiezuo_job_last_success_timestamp_seconds", []string{"job", n}, float64(jobs[i].lastSuccess.UnixMilli())/1000)
		}
	}

	// Caches of this instance.
	caches := []struct {
		name string
		c    *cacheCount
	}{{"plans", &s.plans.count}, {"sessions", &s.sessions.count}, {"fragments", &s.frag.count}}
	family("xiezuo_cache_hits_total", "counter", "Lookups answered from the instance's cache.")
	for _, c := range caches {
		sample("xiezuo_cache_hits_total", []string{"cache", c.name}, float64(c.c.hits.Load()))
	}
	family("xiezuo_cache_misses_total", "counter", "Lookups that read the database.")
	for _, c := range caches {
		sample("xiezuo_cache_misses_total", []string{"cache", c.name}, float64(c.c.misses.Load()))
	}

	// The audit chain.
	if n, ok := s.auditLength(ctx); ok {
		family("xiezuo_audit_chain_length", "gauge", "Sequence number of the audit log's last chained entry (read at most every 5 s).")
		sample("xiezuo_audit_chain_length", nil, float64(n))
	}

	// The process.
	family("xiezuo_up_since_timestamp_seconds", "gauge", "Unix time this instance started.")
	sample("xiezuo_up_since_timestamp_seconds", nil, float64(s.ops.start.Unix()))
	family("xiezuo_draining", "gauge", "1 while the instance shuts down (/readyz answers 503).")
	draining := 0.0
	if s.ops.draining.Load() {
		draining = 1
	}
	sample("xiezuo_draining", nil, draining)
	family("go_goroutines", "gauge", "Goroutines of the process.")
	sample("go_goroutines", nil, float64(runtime.NumGoroutine()))
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	family("go_memstats_heap_alloc_bytes", "gauge", "Bytes of allocated heap objects.")
	sample("go_memstats_heap_alloc_bytes", nil, float64(m.HeapAlloc))
	family("go_memstats_sys_bytes", "gauge", "Bytes obtained from the system.")
	sample("go_memstats_sys_bytes", nil, float64(m.Sys))
}

// auditLength returns the audit chain's length, read from the database at most every
// auditLengthTTL; ok is false when it cannot be read (the family is left out then).
func (s *Server) auditLength(ctx context.Context) (int64, bool) {
	s.ops.auditMu.Lock()
	defer s.ops.auditMu.Unlock()
	if !s.ops.auditAt.IsZero() && time.Since(s.ops.auditAt) < auditLengthTTL {
		return s.ops.auditLen, s.ops.auditOK
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	n, err := s.db.AuditLength(ctx)
	if err != nil {
		s.log.Error("metrics: audit length", "err", err)
	}
	s.ops.auditAt, s.ops.auditLen, s.ops.auditOK = time.Now(), n, err == nil
	return n, err == nil
}

// labelText writes label pairs (name, value, name, value…) as {name="value",…}, escaping the
// values as the format asks.
func labelText(pairs []string) string {
	if len(pairs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(pairs[i])
		b.WriteString(`="`)
		b.WriteString(labelEscaper.Replace(pairs[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// cacheCount counts a cache's lookups for /metrics.
type cacheCount struct {
	hits, misses atomic.Int64
}

// note counts a lookup and returns hit.
func (c *cacheCount) note(hit bool) bool {
	if hit {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return hit
}

// statusWriter remembers the status a handler answered, for observe.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ReadFrom keeps the underlying writer's copy (sendfile for evidence files).
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return io.Copy(w.ResponseWriter, r)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// routeOf is the route pattern of r for logs: never the path asked for, which may hold an ID.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unmatched"
}
