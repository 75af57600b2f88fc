package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

const sessionCookie = "xz_session"

// session is the signed-in state of a request, read from the database on every request: any
// instance can serve any request.
type session struct {
	hash         string
	user         *xiezuo.User
	csrf         string
	secondFactor bool
	api          bool // signed in with an API token: no cookie, no CSRF
	lastSeen     time.Time
	complete     bool   // password changed if due, second factor given if due
	next         string // where to go to complete the sign-in
	expired      bool   // the session ended for idleness
	refused      string // why an API token was refused
}

type sessionKey struct{}

func sessionFrom(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey{}).(*session)
	return s
}

// currentUser is the signed-in user; handlers behind the guard always have one.
func currentUser(r *http.Request) *xiezuo.User {
	if s := sessionFrom(r); s != nil {
		return s.user
	}
	return nil
}

func sessionComplete(r *http.Request) bool {
	s := sessionFrom(r)
	return s != nil && s.complete
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// clientIP is the address the request came from. X-Real-IP and X-Forwarded-For are read only
// when the peer is one of the configured proxies (Config.TrustedProxies, none by default):
// otherwise anything that reaches the port, a local process included, could write the address
// the audit log keeps. Of X-Forwarded-For, the nearest address that is not itself a trusted
// proxy is taken: the ones to its left were written by the client and prove nothing.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	if real, err := netip.ParseAddr(strings.TrimSpace(r.Header.Get("X-Real-IP"))); err == nil {
		return real.Unmap().String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(a) {
			return a.Unmap().String()
		}
	}
	return host
}

// trusted reports whether a is one of the configured proxies.
func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// actorContext marks the request's context with who acts, so every write audits it.
func actorContext(ctx context.Context, u *xiezuo.User, ip string) context.Context {
	a := sqldb.Actor{IP: ip}
	if u != nil {
		a.UserID, a.Username, a.Unit = u.ID, u.Username, u.Unit
	}
	return sqldb.WithActor(ctx, a)
}

// loadSession reads the session of the request (cookie, or an API token for /api/), ending it
// when it was idle too long.
func (s *Server) loadSession(w http.ResponseWriter, r *http.Request) (*session, error) {
	now := s.cfg.Now()
	if isAPI(r) {
		if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
			// A script sends many requests in a row: its token's user (roles, unit) is kept
			// like a session's (sessionTTL), and every request still asks the database, in
			// one query, whether the token stands (revoked, expired, the user disabled,
			// locked or the password changed take effect at once).
			hash := apiTokenHash(strings.TrimPrefix(auth, "Bearer "))
			key := "api " + string(hash)
			if _, u, ok := s.sessions.get(key); ok {
				err := s.db.CheckAPIToken(r.Context(), hash, u.ID, now)
				if code := xiezuo.ErrorCode(err); code == xiezuo.ENOTFOUND || code == xiezuo.EFORBIDDEN {
					s.sessions.forget(key)
					return &session{refused: xiezuo.ErrorMessage(err)}, nil
				}
				if err != nil {
					return nil, err
				}
				return &session{user: u, api: true, secondFactor: true, complete: !u.MustChange}, nil
			}
			gen := s.sessions.generation()
			u, err := s.db.UserByAPITokenHash(r.Context(), hash, now)
			if code := xiezuo.ErrorCode(err); code == xiezuo.ENOTFOUND || code == xiezuo.EFORBIDDEN {
				// Unknown, revoked or expired token, or its user disabled or locked: not
				// signed in, and told why.
				return &session{refused: xiezuo.ErrorMessage(err)}, nil
			}
			if err != nil {
				return nil, err
			}
			if u.Disabled {
				return nil, nil
			}
			s.sessions.put(key, sqldb.Session{}, u, gen)
			return &session{user: u, api: true, secondFactor: true, complete: !u.MustChange}, nil
		}
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	hash := hashToken(c.Value)
	var sess sqldb.Session
	var u *xiezuo.User
	ok := false
	if !readFresh(r.Context()) {
		sess, u, ok = s.sessions.get(hash)
	}
	if !ok {
		gen := s.sessions.generation()
		var err error
		sess, u, err = s.db.SessionByHash(r.Context(), hash)
		if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
			s.clearCookie(w, r)
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		// Only a session that owes nothing is kept: one that owes its second factor or a new
		// password takes that step on whichever instance a load balancer chose, and the next
		// request, served by another, must see it done at once, not after sessionTTL.
		probe := &session{user: u, secondFactor: sess.SecondFactorDone}
		if s.completeness(r.Context(), probe); probe.complete {
			s.sessions.put(hash, sess, u, gen)
		}
	}
	if u.Disabled || now.Sub(sess.LastSeen) > s.policy(r.Context()).Idle {
		if err := s.db.DeleteSession(r.Context(), hash); err != nil {
			return nil, err
		}
		s.sessions.forget(hash)
		s.clearCookie(w, r)
		return &session{expired: true}, nil
	}
	if now.Sub(sess.LastSeen) > time.Minute {
		if err := s.db.TouchSession(r.Context(), hash, now); err != nil {
			return nil, err
		}
		s.sessions.forget(hash)
	}
	out := &session{hash: hash, user: u, csrf: sess.CSRF, secondFactor: sess.SecondFactorDone, lastSeen: sess.LastSeen}
	return out, nil
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil || s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil || s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
}

// guard wraps a route with its access check: the session, the second factor and password change
// when due, the role, CSRF on every POST, and rate limits.
func (s *Server) guard(rt route) http.Handler {
	limit := int64(maxForm)
	tooLarge := ""
	switch {
	case rt.pattern == "POST /import":
		limit = maxUpload
	case rt.pattern == "POST /registers/{kind}/import":
		limit = registerUploadLimit
	case rt.pattern == "POST /layouts/upload":
		limit = layoutUploadLimit
	case rt.pattern == "POST /labour/{list}/import":
		limit, tooLarge = labourUploadLimit, labourTooLarge
	case evidenceRoutes[rt.pattern]:
		limit, tooLarge = s.evidenceBody(), s.evidenceTooLarge()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			// Before anything reads the body.
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if rt.access == accessUnset {
			s.errorPage(w, r, http.StatusForbidden, "没有权限访问此页面")
			return
		}
		if rt.access == accessOps {
			// No session, and no check that could answer otherwise than the handler's 404
			// (metrics.go): whoever may not read the route must not learn it exists.
			rt.handler(w, r)
			return
		}
		if rt.access == accessAnonymous {
			// The public pages read no cookie and no token: the same answer for everyone, and a
			// crowd never reaches the sessions table.
			if _, bad := controlValue(r); bad {
				s.publicError(w, http.StatusBadRequest, xiezuo.ErrorMessage(xiezuo.ErrControl()))
				return
			}
			rt.handler(w, r)
			return
		}
		sess, err := s.loadSession(w, r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if sess != nil && sess.user != nil {
			s.completeness(r.Context(), sess)
			r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess))
		}
		r = r.WithContext(actorContext(r.Context(), currentUser(r), s.clientIP(r)))
		// Facts a request writes (reports, reviews…) carry the application's time (serve --today).
		r = r.WithContext(sqldb.WithFactTime(r.Context(), s.cfg.Now()))
		if r.Method == http.MethodPost {
			// The form is read once the session is known: a file upload (multipart, spilled to
			// temporary files past 8 MB) only from someone signed in, and its files removed when
			// the request ends, whatever copy of the request the handler saw.
			var err error
			multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") && sess != nil && sess.user != nil
			if multipart && evidenceRoutes[rt.pattern] {
				// Files counted while they are read, each against its limit (evidence_form.go).
				var cleanup func()
				r, cleanup, err = s.readEvidenceForm(r)
				defer cleanup()
				if xiezuo.ErrorCode(err) == xiezuo.ETOOLARGE || xiezuo.ErrorCode(err) == xiezuo.EINVALID {
					s.fail(w, r, err)
					return
				}
			} else if multipart && rt.pattern == "POST /labour/{list}/import" {
				// The list's file streamed into the data folder (labour_upload.go).
				var cleanup func()
				r, cleanup, err = s.readLabourUpload(r)
				defer cleanup()
				if code := xiezuo.ErrorCode(err); err != nil && (code == xiezuo.ETOOLARGE || code == xiezuo.EINVALID) {
					s.fail(w, r, err)
					return
				}
			} else if multipart {
				// Past 1 MB a file goes to a temporary file, so uploads waiting their turn hold little memory.
				err = r.ParseMultipartForm(1 << 20)
				defer func() {
					if r.MultipartForm != nil {
						r.MultipartForm.RemoveAll()
					}
				}()
			} else {
				err = r.ParseForm()
			}
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				if tooLarge == "" {
					tooLarge = fmt.Sprintf("提交的内容超过 %d MB：请拆分文件后再上传", limit>>20)
				}
				s.errorPage(w, r, http.StatusRequestEntityTooLarge, tooLarge)
				return
			}
		}
		// One place refuses control characters (NUL among them) in every value a form or a query
		// brings: nothing a person types holds one, and PostgreSQL cannot store NUL.
		if field, bad := controlValue(r); bad {
			if rt.pattern == "POST /signin" {
				s.audit(r.Context(), sqldb.AuditSignIn, "user", "", visible(r.PostFormValue("username")), "failure", "登录名或密码含控制字符，已拒绝")
			}
			// The field's name is the sender's to choose: it is logged only when it looks like
			// one of our forms' names, never what a hostile form put there (a name, an ID number).
			s.log.Info("control character refused", "route", rt.pattern, "field", loggableField(field))
			s.errorPage(w, r, http.StatusBadRequest, xiezuo.ErrorMessage(xiezuo.ErrControl()))
			return
		}
		if isAPI(r) && rt.access != accessPublic && sess != nil && sess.user != nil {
			// Per user, not per address: an office's users share one address behind its NAT.
			if !s.limit.allow("api:"+strconv.FormatInt(sess.user.ID, 10), 1000, 5*time.Second) {
				s.errorPage(w, r, http.StatusTooManyRequests, "请求过于频繁，请稍后再试")
				return
			}
		}
		if rt.access == accessPublic {
			rt.handler(w, r)
			return
		}
		if sess == nil || sess.user == nil {
			if isAPI(r) {
				msg := "请先登录或提供有效的 API 令牌"
				if sess != nil && sess.refused != "" {
					msg = sess.refused
				}
				writeJSONError(w, http.StatusUnauthorized, "unauthorized", msg)
				return
			}
			msg := ""
			if sess != nil && sess.expired {
				msg = "长时间未操作，已自动退出，请重新登录"
			}
			s.redirectSignIn(w, r, msg)
			return
		}
		if r.Method == http.MethodPost && !sess.api && !s.csrfOK(r, sess) {
			s.errorPage(w, r, http.StatusForbidden, "页面已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
			return
		}
		if rt.access != accessPending && !sess.complete {
			if isAPI(r) {
				writeJSONError(w, http.StatusForbidden, xiezuo.EFORBIDDEN, "请先在网页上完成登录（修改初始密码或动态口令）")
				return
			}
			http.Redirect(w, r, sess.next, http.StatusSeeOther)
			return
		}
		if !allowed(rt.access, sess.user) {
			s.auditRefused(r, sess.user)
			s.errorPage(w, r, http.StatusForbidden, "您的角色没有权限使用此功能")
			return
		}
		rt.handler(w, r)
	})
}

// allowed is the role check of a route.
func allowed(a access, u *xiezuo.User) bool {
	switch a {
	case accessPublic, accessAnonymous, accessPending, accessSignedIn:
		return true
	case accessOffice:
		return u.Has(xiezuo.RoleOffice)
	case accessSysAdmin:
		return u.CanManageUsers()
	case accessSecAdmin:
		return u.CanSetPolicy()
	case accessAudit:
		return u.CanReadAudit()
	case accessAccounts:
		return u.CanManageUsers() || u.CanApproveAccounts()
	case accessSupervise:
		return u.CanSupervise()
	case accessWatch:
		return u.CanWatch()
	case accessCadre:
		return u.Has(xiezuo.RoleCadre)
	case accessCityFunds:
		return u.CanReadCityFunds()
	case accessDashboard:
		return u.CanDashboard()
	case accessLabour:
		return u.HasAny(xiezuo.RoleOffice, xiezuo.RoleLeader, xiezuo.RoleCityOffice, xiezuo.RoleCadre, xiezuo.RoleUnit, xiezuo.RoleTeamLead)
	}
	return false
}

// maxForm is the largest form body other than an upload.
const maxForm = 1 << 20

func (s *Server) csrfOK(r *http.Request, sess *session) bool {
	token := r.Header.Get("X-CSRF-Token")
	if token == "" {
		token = r.PostFormValue("csrf")
	}
	return sess.csrf != "" && subtle.ConstantTimeCompare([]byte(token), []byte(sess.csrf)) == 1
}

func (s *Server) redirectSignIn(w http.ResponseWriter, r *http.Request, msg string) {
	q := url.Values{}
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		q.Set("next", r.URL.RequestURI())
	}
	if msg != "" {
		s.flash(q, msg, "warn")
	}
	target := "/signin"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func apiTokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return sum[:]
}

// sessionTTL is how long an instance trusts a session it read from the database: a sign-out, a
// disabled account or a changed role on another instance takes effect here within it. On this
// instance such changes forget the session at once.
const sessionTTL = 2 * time.Second

// sessionCache keeps sessions read from the database for sessionTTL, so a busy page does not
// read its session and user on every request.
type sessionCache struct {
	mu  sync.Mutex
	m   map[string]cachedSession
	gen uint64 // counts forgets, so a read that began before one is not kept after it
	// count counts lookups for /metrics.
	count cacheCount
}

type cachedSession struct {
	sess sqldb.Session
	user *xiezuo.User
	at   time.Time
}

func (c *sessionCache) get(hash string) (sqldb.Session, *xiezuo.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !c.count.note(ok && time.Since(e.at) <= sessionTTL) {
		return sqldb.Session{}, nil, false
	}
	return e.sess, e.user, true
}

// generation is taken before reading a session from the database and given back to put.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps a session read from the database, unless something was forgotten since the read
// began (gen): the read may predate the change that made it forget.
func (c *sessionCache) put(hash string, sess sqldb.Session, u *xiezuo.User, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) > 50_000 {
		c.m = map[string]cachedSession{}
	}
	c.m[hash] = cachedSession{sess, u, time.Now()}
}

func (c *sessionCache) forget(hash string) {
	c.mu.Lock()
	delete(c.m, hash)
	c.gen++
	c.mu.Unlock()
}

// forgetAll drops every session kept, after a change to accounts on this instance (a disabled
// user, a reset password): other instances see it within sessionTTL.
func (c *sessionCache) forgetAll() {
	c.mu.Lock()
	c.m = nil
	c.gen++
	c.mu.Unlock()
}

// controlValue reports whether a name or value of r's query or form holds a control character
// (xiezuo.HasControl), and the name of the first such field.
func controlValue(r *http.Request) (string, bool) {
	forms := []url.Values{r.URL.Query(), r.PostForm}
	if r.MultipartForm != nil {
		forms = append(forms, r.MultipartForm.Value)
	}
	for _, f := range forms {
		for k, vs := range f {
			if xiezuo.HasControl(k) || slices.ContainsFunc(vs, xiezuo.HasControl) {
				return k, true
			}
		}
	}
	return "", false
}

// loggableField is a form field's name as the log may hold it: the name when it is shaped like
// our forms' own (ASCII lower-case words, at most 40 characters and 4 digits), else a
// placeholder, so that a sender cannot put a person's name, ID number or phone into the log
// through a field's name.
func loggableField(name string) string {
	digits := 0
	ok := name != "" && len(name) <= 40 && name[0] >= 'a' && name[0] <= 'z'
	for i := 0; ok && i < len(name); i++ {
		switch c := name[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z', c == '_', c == '-', c == '.':
		default:
			ok = false
		}
	}
	if !ok || digits > 4 {
		return "(other field)"
	}
	return name
}

// visible is s with its control characters shown as U+FFFD, fit for the log and the audit log.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		if xiezuo.HasControl(string(r)) {
			return '\uFFFD'
		}
		return r
	}, s)
}
