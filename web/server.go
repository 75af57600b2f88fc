// Package web is xiezuo's web application and JSON API: server-rendered pages in Chinese for
// the office, its member units, work-team leads, seconded cadres, district leaders and the
// three administrators, and /api/v1 beside them, behind the same permission checks.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"xiezuo"
	"xiezuo/evidence"
	"xiezuo/otp"
	"xiezuo/password"
	"xiezuo/sqldb"
	"xiezuo/vault"
)

// Config is the web application's configuration, passed in by the command that serves it.
type Config struct {
	// Replica, when set, is a PostgreSQL replica the leaders' dashboard and the public pages
	// read from while it lags at most its bound (serve --replica-dsn); nil: the primary.
	Replica *sqldb.Replica
	// SecureCookies sets the Secure flag on cookies even when the request did not arrive over
	// TLS (a TLS-terminating proxy in front). Requests over TLS always get it.
	SecureCookies bool
	// IdleTimeout ends a session nobody used for this long (等保: 登录超时).
	IdleTimeout time.Duration
	// TrustedProxies are the reverse proxies whose X-Real-IP or X-Forwarded-For names the
	// client (serve --trusted-proxy). None by default: the peer's address is the client's.
	TrustedProxies []netip.Prefix
	// Now returns the current time; tests set it.
	Now func() time.Time
	// EvidenceDir is the folder of the evidence store: the files units send with their reports,
	// by SHA-256 (serve --evidence-dir; data/evidence beside the SQLite file by default). Empty:
	// no store, and uploads are refused with a message saying so.
	EvidenceDir string
	// EvidenceLimits bound the files of a report; the zero value is xiezuo.DefaultEvidenceLimits.
	EvidenceLimits xiezuo.EvidenceLimits
	// WebhookHosts are the robot hosts the office may set besides the public 企业微信 and 钉钉
	// ones (serve --webhook-hosts; xiezuo.CheckWebhookURL).
	WebhookHosts []string
	// MetricsToken, when set, lets a scraper read /metrics from another machine with
	// Authorization: Bearer MetricsToken (serve --metrics-token, XIEZUO_METRICS_TOKEN); without
	// it only the loopback address may.
	MetricsToken string
	// AccessLog logs each request answered: method, route pattern, status and duration only
	// (serve --access-log).
	AccessLog bool
}

// Server holds what the handlers share. Nothing in it is state another instance needs: sessions,
// lockouts and the audit log live in the database; the plan cache is checked against the
// database on every use.
type Server struct {
	cfg      Config
	db       *sqldb.DB
	sealer   vault.Sealer
	factor   otp.Factor
	log      *slog.Logger
	tmpl     templates
	static   *assets
	plans    *planCache
	duties   dutyPlaces // the district and year of each duty asked for (dutyPlaces.get)
	frag     *fragments
	pub      *publicPages // the public notice pages' bytes and limits (public.go)
	limit    *limiter
	pol      policyCache
	sessions sessionCache
	facts    factsCache
	boards   boardCache
	derived  derivedMemo
	evidence *evidence.Store // nil without Config.EvidenceDir
	swept    atomic.Int64    // when this instance last swept the evidence store (Unix seconds)
	hashes   *hashSlots
	refused  refusals      // refused requests audited in the last minute
	parses   chan struct{} // documents read at once (importParses)
	labour   chan struct{} // labour lists imported at once in the background (labourRuns, labour_import.go)
	bg       *background   // work that outlives its request: waited for by Finish
	wait     time.Duration // how long an upload waits for its turn (importWait)
	mux      *http.ServeMux
	routes   []route
	access   map[string]access // each route's rule, by pattern: canUse
	ops      *ops              // what /metrics and /readyz report (metrics.go)
}

// planCacheProjects bounds the plans an instance keeps in memory, counted in projects: a city's
// 16 districts × 5 years of a few hundred projects each fit; a province's thousands of plans are
// loaded as they are asked for.
const planCacheProjects = 50_000

// fragmentBytes bounds the rendered tables and lists an instance keeps, gzipped (about ten
// times that much rendered).
const fragmentBytes = 8 << 20

// NewServer returns the web application as an http.Handler. sealer protects personal data and
// the enrolment of second factors; factor is the second factor users give at sign-in.
func NewServer(cfg Config, db *sqldb.DB, sealer vault.Sealer, factor otp.Factor, log *slog.Logger) (*Server, error) {
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.EvidenceLimits == (xiezuo.EvidenceLimits{}) {
		cfg.EvidenceLimits = xiezuo.DefaultEvidenceLimits
	}
	var store *evidence.Store
	if cfg.EvidenceDir != "" {
		var err error
		if store, err = evidence.NewStore(cfg.EvidenceDir); err != nil {
			return nil, err
		}
	}
	a, err := loadAssets()
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	t, err := loadTemplates(a)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		db:       db,
		sealer:   sealer,
		factor:   factor,
		log:      log,
		tmpl:     t,
		static:   a,
		evidence: store,
		plans:    newPlanCache(db, planCacheProjects),
		frag:     newFragments(fragmentBytes),
		pub:      newPublicPages(),
		limit:    newLimiter(time.Now),
		hashes:   &hashSlots{ch: make(chan struct{}, runtime.NumCPU())},
		parses:   make(chan struct{}, importParses),
		labour:   make(chan struct{}, labourRuns),
		wait:     importWait,
		mux:      http.NewServeMux(),
		ops:      newOps(),
		bg:       newBackground(),
	}
	s.plans.loaded = s.duties.learn
	s.routes = s.routeTable()
	s.access = map[string]access{}
	for _, rt := range s.routes {
		s.access[rt.pattern] = rt.access
		s.mux.Handle(rt.pattern, s.guard(rt))
	}
	s.mux.HandleFunc("GET /static/", s.static.serve)
	return s, nil
}

// ServeHTTP adds the headers every answer carries and turns a panic into an error page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	w = sw
	_, pattern := s.mux.Handler(r)
	// Counted after the panic's error page below, under the route's pattern (metrics.go).
	defer func() { s.observe(r, pattern, sw.status, time.Since(start)) }()
	rid := requestID()
	r = r.WithContext(context.WithValue(r.Context(), ridKey{}, rid))
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Request-Id", rid)
	if r.TLS != nil {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	defer func() {
		if v := recover(); v != nil {
			s.serverError(w, r, fmt.Errorf("panic: %v", v))
		}
	}()
	if pattern == "" {
		// No route: the mux would answer in English ("404 page not found", or 405).
		s.errorPage(w, r, http.StatusNotFound, "没有这个页面，请检查网址，或从菜单进入")
		return
	}
	r = s.markFresh(w, r)
	s.mux.ServeHTTP(w, r)
}

type ridKey struct{}

func requestID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// serverError logs the full error with the request ID and shows the user a page with only the
// request ID: driver and system messages never reach users.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	rid, _ := r.Context().Value(ridKey{}).(string)
	if sqldb.Unavailable(err) {
		// A PostgreSQL failover: the request was not acknowledged and may be sent again.
		s.log.Warn("database unavailable", "rid", rid, "route", routeOf(r), "err", err)
		w.Header().Set("Retry-After", "5")
		s.errorPage(w, r, http.StatusServiceUnavailable, xiezuo.ErrorMessage(sqldb.ErrFailover))
		return
	}
	s.log.Error("request failed", "rid", rid, "route", routeOf(r), "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, "系统内部错误，请稍后再试；如仍出错，请把编号 "+rid+" 告诉管理员。")
}

// fail answers a domain error with its code's status and its Chinese message; anything else is a
// server error.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	err = failoverError(err)
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.serverError(w, r, err)
		return
	}
	s.errorPage(w, r, status, xiezuo.ErrorMessage(err))
}

// reader is the database read-only pages read: the replica when one is configured and fresh
// enough, else the primary. Only reads that may be a few seconds stale use it; a browser that
// has just written reads the primary (markFresh).
func (s *Server) reader(ctx context.Context) *sqldb.DB {
	if readFresh(ctx) {
		return s.db
	}
	return s.cfg.Replica.For(ctx, s.db)
}

// failoverError gives a failure of the database's availability (sqldb.Unavailable) the
// message users read: 数据库正在切换，请稍后重试 (503), never a bare 500.
// A full disk where files are kept (the evidence store, uploads) is said as the database's
// full disk is: nothing was saved, 503.
func failoverError(err error) error {
	if xiezuo.ErrorCode(err) != xiezuo.EINTERNAL {
		return err
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("%w: %w", xiezuo.Errorf(xiezuo.EUNAVAILABLE, sqldb.DiskFullMessage), err)
	}
	if sqldb.Unavailable(err) {
		return fmt.Errorf("%w: %w", sqldb.ErrFailover, err)
	}
	return err
}

// statusOf is the one place that maps error codes to HTTP statuses.
func statusOf(err error) int {
	switch xiezuo.ErrorCode(err) {
	case xiezuo.ENOTFOUND:
		return http.StatusNotFound
	case xiezuo.EINVALID:
		return http.StatusBadRequest
	case xiezuo.ECONFLICT:
		return http.StatusConflict
	case xiezuo.EFORBIDDEN:
		return http.StatusForbidden
	case xiezuo.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case xiezuo.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

type errorData struct {
	base
	Status  int
	Message string
	Back    string // the page to go back to, for an upload refused as too large
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if isAPI(r) {
		writeJSONError(w, status, codeOf(status), msg)
		return
	}
	d := errorData{Status: status, Message: msg, Back: safeNext(r.URL.Path)}
	d.base = s.baseFor(r, "")
	d.Title = "出错了"
	switch status {
	case http.StatusRequestEntityTooLarge:
		d.Title = "文件过大"
	case http.StatusUnauthorized:
		d.Title = "请先登录"
	case http.StatusConflict:
		d.Title = "操作冲突"
	case http.StatusServiceUnavailable:
		d.Title = "系统繁忙"
	case http.StatusNotFound:
		d.Title = "找不到页面"
	case http.StatusForbidden:
		d.Title = "没有权限"
	case http.StatusBadRequest:
		d.Title = "请求有误"
	case http.StatusTooManyRequests:
		d.Title = "操作过于频繁"
	case http.StatusInternalServerError:
		d.Title = "系统错误"
	}
	s.render(w, r, status, "error", d)
}

func codeOf(status int) string {
	switch status {
	case http.StatusNotFound:
		return xiezuo.ENOTFOUND
	case http.StatusBadRequest:
		return xiezuo.EINVALID
	case http.StatusConflict:
		return xiezuo.ECONFLICT
	case http.StatusForbidden, http.StatusUnauthorized:
		return xiezuo.EFORBIDDEN
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusRequestEntityTooLarge:
		return xiezuo.ETOOLARGE
	case http.StatusServiceUnavailable:
		return xiezuo.EUNAVAILABLE
	}
	return xiezuo.EINTERNAL
}

// planCache keeps plans this instance loaded, checked against the database's version of each at
// most versionTTL apart, so an import on another instance is seen within it (at once by the
// browser that made it, markFresh). It holds plans up to a number of projects in all, dropping
// the least recently used beyond it.
type planCache struct {
	gen    uint64 // counts forgets: a version read before one is not trusted after it
	db     *sqldb.DB
	max    int // projects held at most
	mu     sync.Mutex
	held   int
	byID   map[planKey]*cachedPlan
	list   []sqldb.PlanInfo
	listAt time.Time
	// loaded, when set, is told of each plan read from the database (dutyPlaces.learn).
	loaded func(district string, year int, p *xiezuo.Plan)
	count  cacheCount // a hit is a plan answered without loading it
}

type planKey struct {
	district string
	year     int
}

type cachedPlan struct {
	version int64
	plan    *xiezuo.Plan
	used    time.Time
	checked time.Time // when version was last read from the database
}

func newPlanCache(db *sqldb.DB, maxProjects int) *planCache {
	return &planCache{db: db, max: maxProjects, byID: map[planKey]*cachedPlan{}}
}

// versionTTL is how long a plan's version read from the database is trusted: an import on
// another instance shows here within it; on this instance at once.
const versionTTL = time.Second

// getVersion returns the stored plan and its version; callers must not change the plan.
func (c *planCache) getVersion(ctx context.Context, district string, year int) (*xiezuo.Plan, int64, error) {
	k := planKey{district, year}
	c.mu.Lock()
	if cp, ok := c.byID[k]; ok && !readFresh(ctx) && time.Since(cp.checked) < versionTTL {
		cp.used = time.Now()
		c.mu.Unlock()
		c.count.note(true)
		return cp.plan, cp.version, nil
	}
	gen := c.gen
	c.mu.Unlock()
	v, err := c.db.PlanVersion(ctx, district, year)
	if err != nil {
		return nil, 0, err
	}
	c.mu.Lock()
	if cp, ok := c.byID[k]; ok && cp.version == v {
		cp.used = time.Now()
		if gen == c.gen {
			cp.checked = time.Now()
		}
		c.mu.Unlock()
		c.count.note(true)
		return cp.plan, v, nil
	}
	c.mu.Unlock()
	c.count.note(false)
	p, err := c.db.LoadPlan(ctx, district, year)
	if err != nil {
		return nil, 0, err
	}
	if c.loaded != nil {
		c.loaded(district, year, p)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.byID[k]; ok {
		c.held -= len(old.plan.Projects) + 1
	}
	checked := time.Now()
	if gen != c.gen {
		checked = time.Time{} // read before a forget: check again next time
	}
	c.byID[k] = &cachedPlan{version: v, plan: p, used: time.Now(), checked: checked}
	c.held += len(p.Projects) + 1
	for c.held > c.max && len(c.byID) > 1 {
		var oldest planKey
		var at time.Time
		for key, cp := range c.byID {
			if key != k && (at.IsZero() || cp.used.Before(at)) {
				oldest, at = key, cp.used
			}
		}
		c.held -= len(c.byID[oldest].plan.Projects) + 1
		delete(c.byID, oldest)
	}
	return p, v, nil
}

// listTTL is how long the list of stored plans (for the year and district switcher) is kept; a
// newly imported plan appears in other instances' switchers within it.
const listTTL = 2 * time.Second

// plans lists the stored plans.
func (c *planCache) plans(ctx context.Context) ([]sqldb.PlanInfo, error) {
	c.mu.Lock()
	if !c.listAt.IsZero() && !readFresh(ctx) && time.Since(c.listAt) < listTTL {
		list := c.list
		c.mu.Unlock()
		return list, nil
	}
	c.mu.Unlock()
	list, err := c.db.Plans(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.list, c.listAt = list, time.Now()
	c.mu.Unlock()
	return list, nil
}

// forget drops the list of plans and every version checked, after an import on this instance,
// so its pages show the new plan at once.
func (c *planCache) forget() {
	c.mu.Lock()
	c.listAt = time.Time{}
	c.gen++
	for _, cp := range c.byID {
		cp.checked = time.Time{}
	}
	c.mu.Unlock()
}

// hashSlots lets one password hash run per core at a time: each takes 19 MiB. checked counts
// the passwords checked, so that a test can tell every sign-in answer cost the same work.
type hashSlots struct {
	ch      chan struct{}
	checked atomic.Int64
}

// verifyPassword checks a password against its hash, waiting for a free core: argon2id takes
// 19 MiB each, so hashes run one per core and a flood of sign-ins queues instead of taking
// the server's memory. It gives up when the request ends.
func (s *Server) verifyPassword(ctx context.Context, hash, pw string) (bool, error) {
	select {
	case s.hashes.ch <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-s.hashes.ch }()
	s.hashes.checked.Add(1)
	return password.Verify(hash, pw), nil
}

// hashPassword hashes a new password under the same limit.
func (s *Server) hashPassword(ctx context.Context, pw string) (string, error) {
	select {
	case s.hashes.ch <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s.hashes.ch }()
	return password.Hash(pw)
}

// Sweep removes what nobody will use again: sessions idle past the policy's timeout and
// uploads never confirmed within a day. Any instance may run it, as often as it likes.
func (s *Server) Sweep(ctx context.Context) error {
	now := s.cfg.Now()
	s.sweepLabourUploads() // personal data as sent: kept labourUploadKeep at the most, whatever else fails
	if _, err := s.db.DeleteIdleSessions(ctx, now.Add(-s.policy(ctx).Idle)); err != nil {
		return fmt.Errorf("sweep sessions: %w", err)
	}
	if _, err := s.db.DeleteOldUploads(ctx, now.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("sweep uploads: %w", err)
	}
	return s.sweepEvidence(ctx)
}
