package web

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"xiezuo/otp"
)

// TestMetricsAccess checks who may read /metrics: the loopback address, or anyone with the
// token; anyone else, and a request a proxy on this machine forwarded, gets the same 404 as a
// page that does not exist.
func TestMetricsAccess(t *testing.T) {
	e := newEnv(t)
	e.srv.cfg.MetricsToken = "s3cret-metrics-token"
	notFound := e.anonymous().get("/no/such/page")

	if r := e.anonymous().get("/metrics"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "xiezuo_http_requests_total") {
		t.Errorf("GET /metrics from 127.0.0.1 = %d, want 200 with the figures:\n%s", r.StatusCode, excerpt(r.body))
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-IP", "Forwarded"} {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/metrics", nil)
		req.Header.Set(h, "203.0.113.9")
		if r := e.anonymous().do(req); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET /metrics from 127.0.0.1 with %s = %d, want 404 (a forwarded request)", h, r.StatusCode)
		}
	}

	tests := []struct {
		name, peer, auth string
		want             int
	}{
		{"another machine", "192.0.2.7:40000", "", http.StatusNotFound},
		{"another machine, wrong token", "192.0.2.7:40000", "Bearer s3cret-metrics-tokeN", http.StatusNotFound},
		{"another machine, token as a prefix", "192.0.2.7:40000", "Bearer s3cret", http.StatusNotFound},
		{"another machine, no Bearer", "192.0.2.7:40000", "s3cret-metrics-token", http.StatusNotFound},
		{"another machine, token", "192.0.2.7:40000", "Bearer s3cret-metrics-token", http.StatusOK},
		{"IPv6 elsewhere", "[2001:db8::1]:40000", "", http.StatusNotFound},
		{"IPv6 loopback", "[::1]:40000", "", http.StatusOK},
		{"another machine, a control character", "192.0.2.7:40000", "", http.StatusNotFound},
		{"IPv4-mapped loopback", "[::ffff:127.0.0.1]:40000", "", http.StatusOK},
	}
	for _, tt := range tests {
		target := "/metrics"
		if strings.Contains(tt.name, "control") {
			target += "?x=%00"
		}
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.RemoteAddr = tt.peer
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, req)
		if w.Code != tt.want {
			t.Errorf("%s: GET /metrics = %d, want %d", tt.name, w.Code, tt.want)
		}
		if w.Code == http.StatusNotFound {
			body := w.Body.String()
			if strings.Contains(body, "xiezuo_") || strings.Contains(body, "metrics") {
				t.Errorf("%s: the 404 reveals the metrics:\n%s", tt.name, excerpt(body))
			}
			if excerpt(body) != excerpt(notFound.body) {
				t.Errorf("%s: the 404 differs from a missing page's:\n%s\nwant\n%s", tt.name, excerpt(body), excerpt(notFound.body))
			}
		}
	}

	// Behind a reverse proxy (--trusted-proxy) a loopback peer may be the proxy passing on anyone's
	// request without the forwarding headers: the token alone opens /metrics.
	e.srv.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	for _, tt := range []struct {
		auth string
		want int
	}{{"", http.StatusNotFound}, {"Bearer s3cret-metrics-token", http.StatusOK}} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		req.RemoteAddr = "127.0.0.1:40000"
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, req)
		if w.Code != tt.want {
			t.Errorf("behind a trusted proxy, GET /metrics from the loopback with %q = %d, want %d", tt.auth, w.Code, tt.want)
		}
	}

	e.srv.cfg.MetricsToken = "" // no token set: a Bearer of nothing opens nothing
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "192.0.2.7:40000"
	req.Header.Set("Authorization", "Bearer ")
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, req)
	if w.Code != http.StatusNotFound {
		t.Errorf("no token configured, empty Bearer: GET /metrics = %d, want 404", w.Code)
	}
}

// metricLine is one sample of the text format: name{labels} value.
var metricLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$`)
var labelPair = regexp.MustCompile(`^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)`)

type metricSample struct {
	name   string
	labels map[string]string
	value  float64
}

// parseMetrics reads the text format strictly: every line a # HELP or # TYPE comment or a
// sample, every sample of a family declared by # TYPE before it.
func parseMetrics(t *testing.T, text string) []metricSample {
	t.Helper()
	var out []metricSample
	typed := map[string]string{}
	if !strings.HasSuffix(text, "\n") {
		t.Errorf("the exposition does not end with a line break")
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			f := strings.Fields(line)
			if len(f) < 3 || (f[1] != "HELP" && f[1] != "TYPE") {
				t.Errorf("line %d: comment %q is neither HELP nor TYPE", i+1, line)
				continue
			}
			if f[1] == "TYPE" {
				if len(f) != 4 || !slices.Contains([]string{"counter", "gauge", "histogram", "summary", "untyped"}, f[3]) {
					t.Errorf("line %d: bad TYPE %q", i+1, line)
				}
				if _, dup := typed[f[2]]; dup {
					t.Errorf("line %d: family %s declared twice", i+1, f[2])
				}
				typed[f[2]] = f[3]
			}
			continue
		}
		m := metricLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d: %q is not name{labels} value", i+1, line)
			continue
		}
		v, err := strconv.ParseFloat(m[4], 64)
		if err != nil {
			t.Errorf("line %d: value %q: %v", i+1, m[4], err)
		}
		s := metricSample{name: m[1], labels: map[string]string{}, value: v}
		rest := m[3]
		for rest != "" {
			p := labelPair.FindStringSubmatch(rest)
			if p == nil {
				t.Errorf("line %d: labels %q do not parse", i+1, m[3])
				break
			}
			s.labels[p[1]] = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n").Replace(p[2])
			rest = rest[len(p[0]):]
		}
		family := s.name
		for _, suf := range []string{"_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(s.name, suf); ok && typed[base] == "histogram" {
				family = base
			}
		}
		if _, ok := typed[family]; !ok {
			t.Errorf("line %d: sample of %s before its # TYPE", i+1, s.name)
		}
		out = append(out, s)
	}
	return out
}

func labelKey(l map[string]string, skip string) string {
	var k []string
	for n, v := range l {
		if n != skip {
			k = append(k, n+"="+v)
		}
	}
	slices.Sort(k)
	return strings.Join(k, ",")
}

// TestMetricsFormat reads /metrics after known traffic and checks the format (every line, the
// histograms' buckets cumulative with _count the +Inf bucket), the counts by route pattern, and
// that no label carries what the paths asked for held.
func TestMetricsFormat(t *testing.T) {
	e := newEnv(t)
	anon := e.anonymous()
	for range 3 {
		anon.get("/healthz")
	}
	office := e.signIn("office")
	office.get("/units/" + url.PathEscape("区财政局"))
	office.get("/units/" + url.PathEscape("区财政局"))
	anon.get("/labour/people/11010519491231002X?phone=13912345678")
	anon.get("/no/such/13912345678")
	e.srv.RecordJob("sweep", nil)
	e.srv.RecordJob("sweep", errors.New("disk full"))
	e.srv.RecordJob("remind_delivery", nil)

	r := anon.get("/metrics")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %d", r.StatusCode)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type = %q, want text/plain; version=0.0.4", ct)
	}
	samples := parseMetrics(t, r.body)

	find := func(name string, labels ...string) (float64, bool) {
		for _, s := range samples {
			if s.name != name {
				continue
			}
			ok := true
			for i := 0; i+1 < len(labels); i += 2 {
				ok = ok && s.labels[labels[i]] == labels[i+1]
			}
			if ok {
				return s.value, true
			}
		}
		return 0, false
	}
	wants := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"xiezuo_http_requests_total", []string{"route", "/healthz", "method", "GET", "code", "2xx"}, 3},
		{"xiezuo_http_requests_total", []string{"route", "/units/{name}", "method", "GET", "code", "2xx"}, 2},
		{"xiezuo_http_requests_total", []string{"route", "/labour/people/{id}", "method", "GET", "code", "3xx"}, 1},
		{"xiezuo_http_requests_total", []string{"route", "unmatched", "method", "GET", "code", "4xx"}, 1},
		{"xiezuo_http_request_duration_seconds_count", []string{"route", "/healthz", "method", "GET", "code", "2xx"}, 3},
		{"xiezuo_job_runs_total", []string{"job", "sweep"}, 2},
		{"xiezuo_job_failures_total", []string{"job", "sweep"}, 1},
		{"xiezuo_job_failures_total", []string{"job", "remind_delivery"}, 0},
		{"xiezuo_db_max_open_connections", []string{"pool", "write"}, 1},
		{"xiezuo_draining", nil, 0},
	}
	for _, w := range wants {
		if got, ok := find(w.name, w.labels...); !ok || got != w.want {
			t.Errorf("%s%v = %v (found %v), want %v", w.name, w.labels, got, ok, w.want)
		}
	}
	if ts, ok := find("xiezuo_job_last_success_timestamp_seconds", "job", "sweep"); !ok || time.Since(time.Unix(int64(ts), 0)) > time.Minute {
		t.Errorf("xiezuo_job_last_success_timestamp_seconds{job=sweep} = %v (found %v), want about now", ts, ok)
	}
	if n, ok := find("xiezuo_cache_hits_total", "cache", "sessions"); !ok || n < 1 {
		t.Errorf("xiezuo_cache_hits_total{cache=sessions} = %v (found %v), want the signed-in requests' hits", n, ok)
	}
	for _, c := range []string{"plans", "fragments"} {
		if _, ok := find("xiezuo_cache_misses_total", "cache", c); !ok {
			t.Errorf("no xiezuo_cache_misses_total{cache=%s}", c)
		}
	}
	head, _, err := e.db.AuditHead(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := find("xiezuo_audit_chain_length"); !ok || n < 1 || int64(n) > head {
		t.Errorf("xiezuo_audit_chain_length = %v (found %v), want 1…%d (the head's seq)", n, ok, head)
	}

	// No label holds what a path or a query held.
	for _, s := range samples {
		for _, v := range s.labels {
			for _, secret := range []string{"11010519491231002X", "13912345678", "区财政局", "?"} {
				if strings.Contains(v, secret) {
					t.Errorf("%s has a label %q holding %q", s.name, v, secret)
				}
			}
		}
	}

	// Histograms: per series, le rising to +Inf, counts cumulative, _count the +Inf bucket.
	type series struct {
		les    []float64
		counts []float64
	}
	buckets := map[string]*series{}
	counts := map[string]float64{}
	for _, s := range samples {
		switch s.name {
		case "xiezuo_http_request_duration_seconds_bucket":
			k := labelKey(s.labels, "le")
			le, err := strconv.ParseFloat(s.labels["le"], 64) // "+Inf" parses
			if err != nil {
				t.Errorf("bucket le %q: %v", s.labels["le"], err)
			}
			if buckets[k] == nil {
				buckets[k] = &series{}
			}
			buckets[k].les = append(buckets[k].les, le)
			buckets[k].counts = append(buckets[k].counts, s.value)
		case "xiezuo_http_request_duration_seconds_count":
			counts[labelKey(s.labels, "")] = s.value
		}
	}
	if len(buckets) < 4 {
		t.Errorf("%d histogram series, want at least the 4 routes requested", len(buckets))
	}
	for k, s := range buckets {
		if !slices.IsSorted(s.les) || s.les[len(s.les)-1] != inf() {
			t.Errorf("%s: le %v not rising to +Inf", k, s.les)
		}
		if !slices.IsSorted(s.counts) {
			t.Errorf("%s: buckets %v not cumulative", k, s.counts)
		}
		if c, ok := counts[k]; !ok || c != s.counts[len(s.counts)-1] {
			t.Errorf("%s: _count = %v (found %v), want the +Inf bucket %v", k, c, ok, s.counts[len(s.counts)-1])
		}
	}
}

// TestLoggableField checks which field names the log may hold: our forms' shapes pass, a name
// that could carry a person's data does not.
func TestLoggableField(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"username", "username"},
		{"amount_yuan", "amount_yuan"},
		{"row-12.value", "row-12.value"},
		{"", "(other field)"},
		{"11010519491231002X", "(other field)"},
		{"p13912345678", "(other field)"},
		{"a12345", "(other field)"},
		{"Name", "(other field)"},
		{"张三", "(other field)"},
		{"x\x00y", "(other field)"},
		{strings.Repeat("a", 41), "(other field)"},
	} {
		if got := loggableField(c.in); got != c.want {
			t.Errorf("loggableField(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func inf() float64 { v, _ := strconv.ParseFloat("+Inf", 64); return v }

// TestReadyz checks the readiness answer: 200 when the database answers with its schema
// current; 503 with the reason when a migration is pending, when the database does not answer,
// and from the moment the server drains, whatever else holds.
func TestReadyz(t *testing.T) {
	e := newEnv(t)
	c := e.anonymous()
	check := func(when string, want int, words string) {
		t.Helper()
		r := c.get("/readyz")
		if r.StatusCode != want || !strings.Contains(r.body, words) {
			t.Errorf("%s: GET /readyz = %d %q, want %d with %q", when, r.StatusCode, r.body, want, words)
		}
	}
	check("a current database", http.StatusOK, "ready")

	// Another connection to the same file strikes a migration from the record, as a database
	// an older release migrated looks to a newer binary.
	raw, err := sql.Open("sqlite", filepath.Join(e.dir, "xiezuo.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var at string
	if err := raw.QueryRow(`SELECT applied_at FROM schema_migrations WHERE name = '0002_accounts.sql'`).Scan(&at); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE name = '0002_accounts.sql'`); err != nil {
		t.Fatal(err)
	}
	check("a migration pending", http.StatusServiceUnavailable, "0002_accounts.sql")
	// Anyone who may not read /metrics (here a request forwarded from another machine) learns
	// that the schema is behind, not which migrations wait.
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/readyz", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	if r := c.do(req); r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.body, "数据库结构不是最新") || strings.Contains(r.body, "0002") {
		t.Errorf("a migration pending, asked from afar: GET /readyz = %d %q, want 503 without the migration's name", r.StatusCode, r.body)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('0002_accounts.sql', $1)`, at); err != nil {
		t.Fatal(err)
	}
	check("the migration back", http.StatusOK, "ready")
	if r := c.get("/healthz"); r.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", r.StatusCode)
	}

	e.srv.Drain()
	check("draining", http.StatusServiceUnavailable, "正在停止服务")
	if r := c.get("/healthz"); r.StatusCode != http.StatusOK {
		t.Errorf("draining: GET /healthz = %d, want 200 (the process still serves what is in flight)", r.StatusCode)
	}

	e2 := newEnv(t)
	e2.db.Close()
	r := e2.anonymous().get("/readyz")
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.body, "数据库") {
		t.Errorf("database closed: GET /readyz = %d %q, want 503 naming the database", r.StatusCode, r.body)
	}
}

// TestAccessLogNoPersonalData serves requests whose paths and queries hold an ID number and a
// phone number with the JSON access log on, and checks that each request is logged as JSON by
// its route pattern and that neither number appears anywhere in the log.
func TestAccessLogNoPersonalData(t *testing.T) {
	e := newEnv(t)
	var buf logBuffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	srv, err := NewServer(Config{Now: func() time.Time { return *e.clock }, AccessLog: true}, e.db, e.sealer, otp.TOTP{}, log)
	if err != nil {
		t.Fatal(err)
	}
	const id, phone = "11010519491231002X", "13912345678"
	paths := []string{
		"/labour/people/" + id + "?id_number=" + id + "&phone=" + phone,
		"/labour/workers?q=" + phone + "&id=" + id,
		"/public/?q=" + id,
		"/signin?next=/labour/people/" + id,
		"/" + phone,
		"/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/duties?as_of=" + phone,
		"/readyz?x=" + id,
	}
	for _, p := range paths {
		req := httptest.NewRequest(http.MethodGet, p, nil)
		req.Header.Set("Authorization", "Bearer "+phone)
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	// A control character in a form is logged too (web/auth.go).
	req := httptest.NewRequest(http.MethodPost, "/signin?phone="+phone, strings.NewReader("username=a%00"+id))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	srv.ServeHTTP(httptest.NewRecorder(), req)
	// So is a field whose name the sender chose: a person's ID number or phone as the name.
	for _, name := range []string{id, "p" + phone, "张三" + id} {
		req = httptest.NewRequest(http.MethodPost, "/signin", strings.NewReader(url.QueryEscape(name)+"=a%00b"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}

	out := buf.String()
	for _, secret := range []string{id, phone, "1391234", "1101051949"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
	routes := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		if rec["msg"] == "request" {
			routes[rec["route"].(string)] = true
		}
	}
	for _, want := range []string{"/labour/people/{id}", "/labour/{list}", "/public/{$}", "/signin", "unmatched", "/api/v1/plans/{district}/{year}/duties", "/readyz"} {
		if !routes[want] {
			t.Errorf("no request logged under %q; logged: %v", want, routes)
		}
	}
}

// logBuffer is a buffer handlers may write from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
