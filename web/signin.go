package web

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"xiezuo"
	"xiezuo/password"
	"xiezuo/sqldb"
)

type signInData struct {
	base
	Username string
	Next     string
	Error    string
	Pre      string // the sign-in form's CSRF token, also in a cookie (double submit)
}

const preCookie = "xz_pre"

// preToken returns the token that ties the sign-in form to the browser that asked for it, so
// another site cannot sign a browser in to an account of its choosing.
func (s *Server) preToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	t := newToken()
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: t, Path: "/signin", HttpOnly: true,
		Secure: r.TLS != nil || s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	return t
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.Error("healthz", "err", err)
		http.Error(w, "数据库不可用", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	if sessionComplete(r) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	d := signInData{base: s.baseFor(r, ""), Next: safeNext(r.URL.Query().Get("next")), Pre: s.preToken(w, r)}
	d.Title = "登录"
	d.Flash, d.FlashKind = s.flashFrom(r)
	s.render(w, r, http.StatusOK, "signin", d)
}

// safeNext keeps a return address only when it is a path on this site.
func safeNext(next string) string {
	for _, r := range next {
		// Browsers drop tabs and line breaks from addresses and read \ as /, so /\t/evil.com
		// would become //evil.com: refuse them all.
		if r < 0x20 || r == 0x7f || r == '\\' {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return ""
	}
	return next
}

// dummyHash is checked when the account is not to be checked (no such name, or locked), so
// that every refusal costs the same argon2 work as a wrong password and none tells which names
// exist. It is made at the first sign-in, not when the package loads: every other command
// would pay for it.
var dummyHash = sync.OnceValue(func() string {
	h, err := password.Hash("xiezuo-no-such-user-Aa1!")
	if err != nil {
		panic(fmt.Sprintf("hash the dummy password: %v", err))
	}
	return h
})

// signInRefused is the one answer to an unknown name, a wrong password, a disabled account
// with a wrong password, and a locked account whatever the password: the same status, text
// and work, so that the answer tells nothing about the account. The audit log keeps the
// true reason.
func signInRefused(pol policy) string {
	return fmt.Sprintf("用户名或密码错误。连续输错 %d 次账号将锁定 %d 分钟；如已锁定，请稍后再试或联系系统管理员。",
		pol.MaxFailures, int(pol.LockFor.Minutes()))
}

// signIn checks the password. Each check is reserved in the database before the password is
// hashed, and failures lock the account after the policy's number; each attempt is audited.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ip := s.clientIP(r)
	username := strings.TrimSpace(r.PostFormValue("username"))
	pw := r.PostFormValue("password")
	d := signInData{base: s.baseFor(r, ""), Username: username, Next: safeNext(r.PostFormValue("next")), Pre: s.preToken(w, r)}
	d.Title = "登录"
	again := func(status int, msg string) {
		d.Error = msg
		s.render(w, r, status, "signin", d)
	}
	if c, err := r.Cookie(preCookie); err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("pre"))) != 1 {
		again(http.StatusBadRequest, "登录页面已过期，请重新输入用户名和密码")
		return
	}
	if !s.limit.allow("signin:"+ip, 60, time.Minute) || !s.limit.allow("signin:"+ip+":"+strings.ToLower(username), 10, time.Minute) {
		again(http.StatusTooManyRequests, "登录尝试过于频繁，请一分钟后再试")
		return
	}
	if username == "" || pw == "" {
		again(http.StatusBadRequest, "请输入用户名和密码")
		return
	}
	now := s.cfg.Now()
	pol := s.policy(ctx)
	refused := func() { again(http.StatusUnauthorized, signInRefused(pol)) }
	acct, err := s.db.AccountByUsername(ctx, username)
	if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
		if _, err := s.verifyPassword(ctx, dummyHash(), pw); err != nil {
			return
		}
		s.audit(ctx, sqldb.AuditSignIn, "user", "", username, "failure", "用户名不存在")
		refused()
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	u := &acct.User
	// The check is reserved in the database before the password is hashed: attempts sent
	// together are counted as they arrive, not after each waited for a hash.
	if until, err := s.db.BeginSignIn(ctx, u.ID, now, pol.MaxFailures, pol.LockFor); err != nil {
		s.serverError(w, r, err)
		return
	} else if !until.IsZero() {
		// Locked (audited by BeginSignIn): the password is not checked, the work is done.
		if _, err := s.verifyPassword(ctx, dummyHash(), pw); err != nil {
			return
		}
		refused()
		return
	}
	hash, err := s.db.PasswordHash(ctx, u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ok, err := s.verifyPassword(ctx, hash, pw)
	if err != nil {
		// The request ended before its check: the reserved check counts as a failure.
		if _, err := s.db.SignInFailed(context.WithoutCancel(ctx), u.ID, now, pol.MaxFailures, pol.LockFor); err != nil {
			s.log.Error("record abandoned sign-in", "user", u.ID, "err", err)
		}
		return
	}
	if !ok {
		if _, err := s.db.SignInFailed(ctx, u.ID, now, pol.MaxFailures, pol.LockFor); err != nil {
			s.serverError(w, r, err)
			return
		}
		refused()
		return
	}
	// The right password: refused still when the account locked meanwhile; a disabled account
	// is named only now.
	if err := s.db.SignInSucceeded(ctx, u.ID, now); xiezuo.ErrorCode(err) == xiezuo.EFORBIDDEN {
		if a, err := s.db.AccountByID(ctx, u.ID); err == nil && a.Disabled && !a.Locked(now) {
			again(http.StatusForbidden, "账号已停用，请联系系统管理员")
			return
		}
		refused()
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	token := newToken()
	sess := sqldb.Session{TokenHash: hashToken(token), UserID: u.ID, CSRF: newToken(), IP: ip, UserAgent: truncate(r.UserAgent(), 200), CreatedAt: now, LastSeen: now}
	if err := s.db.CreateSession(ctx, sess); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setCookie(w, r, token)
	state := &session{user: u}
	s.completeness(ctx, state)
	switch {
	case !state.complete && state.owesFactor() && d.Next != "":
		// The page asked for before signing in is kept for after the code.
		http.Redirect(w, r, state.next+"?"+url.Values{"next": {d.Next}}.Encode(), http.StatusSeeOther)
	case !state.complete:
		http.Redirect(w, r, state.next, http.StatusSeeOther)
	case d.Next != "":
		http.Redirect(w, r, d.Next, http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	sess := sessionFrom(r)
	if err := s.db.DeleteSession(r.Context(), sess.hash); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.forget(sess.hash)
	s.clearCookie(w, r)
	http.Redirect(w, r, "/signin?"+s.flash(nil, "已退出登录", "warn"), http.StatusSeeOther)
}

// audit appends an audit entry for what is not itself a database change (sign-in, reveal).
// The actor comes from ctx. A failure to audit is logged: the request it records already
// happened.
func (s *Server) audit(ctx context.Context, action, objectType, objectID, label, outcome, detail string) {
	e := sqldb.AuditEntry{Action: action, ObjectType: objectType, ObjectID: objectID, ObjectLabel: label, Outcome: outcome, Detail: detail}
	if err := s.db.AppendAudit(ctx, e); err != nil {
		s.log.Error("append audit", "action", action, "err", err)
	}
}

type factorData struct {
	base
	Next    string // where to go after the code
	Error   string
	Factor  string
	Secret  string       // base32, for typing into an authenticator
	QR      template.URL // data: URI of the enrolment QR code, made here and safe
	Sealed  string       // the pending secret, sealed, carried by the form
	Require bool
}

func (s *Server) factorPage(w http.ResponseWriter, r *http.Request) {
	d := factorData{base: s.baseFor(r, ""), Factor: s.factor.Name(), Next: safeNext(r.URL.Query().Get("next"))}
	d.Title = "动态口令"
	s.render(w, r, http.StatusOK, "factor", d)
}

// factorCheck checks the second factor of the sign-in; a code is accepted once only.
func (s *Server) factorCheck(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sess := sessionFrom(r)
	u := sess.user
	d := factorData{base: s.baseFor(r, ""), Factor: s.factor.Name(), Next: safeNext(r.PostFormValue("next"))}
	d.Title = "动态口令"
	if !s.limit.allow("factor:"+strconv.FormatInt(u.ID, 10), 10, 10*time.Second) {
		d.Error = "尝试过于频繁，请稍后再试"
		s.render(w, r, http.StatusTooManyRequests, "factor", d)
		return
	}
	now := s.cfg.Now()
	lockedOut := func() {
		s.db.DeleteSession(ctx, sess.hash)
		s.sessions.forget(sess.hash)
		s.clearCookie(w, r)
		http.Redirect(w, r, "/signin?"+s.flash(nil, "连续输错，账号已锁定，请稍后再试或联系系统管理员解锁", "warn"), http.StatusSeeOther)
	}
	if acct, err := s.db.AccountByID(ctx, u.ID); err != nil {
		s.fail(w, r, err)
		return
	} else if acct.Locked(now) {
		lockedOut()
		return
	}
	secret, last, err := s.db.TOTPSecret(ctx, u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	step, ok := s.factor.Verify(secret, strings.TrimSpace(r.PostFormValue("code")), now, last)
	if ok {
		// Refused when another attempt locked the account meanwhile.
		err = s.db.UseTOTPStep(ctx, u.ID, step, now)
		ok = err == nil
	}
	if !ok {
		// Counted apart from the password failures, so that a right password does not start
		// the count of wrong codes again.
		pol := s.policy(ctx)
		until, err := s.db.FactorFailed(ctx, u.ID, now, pol.MaxFailures, pol.LockFor)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if now.Before(until) {
			lockedOut()
			return
		}
		d.Error = "动态口令不正确或已使用过，请输入验证器上显示的最新 6 位数字"
		s.render(w, r, http.StatusUnauthorized, "factor", d)
		return
	}
	if err := s.db.SetSessionSecondFactor(ctx, sess.hash); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.forget(sess.hash)
	if d.Next != "" {
		http.Redirect(w, r, d.Next, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// enrolPage shows a new secret for an authenticator app. The secret is not stored until the
// user proves with a code that the app has it; meanwhile the form carries it sealed.
func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request) {
	if sessionFrom(r).owesFactor() {
		http.Redirect(w, r, "/signin/factor", http.StatusSeeOther)
		return
	}
	s.showEnrol(w, r, http.StatusOK, "")
}

func (s *Server) showEnrol(w http.ResponseWriter, r *http.Request, status int, msg string) {
	u := currentUser(r)
	secret, err := s.factor.NewSecret()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sealed, err := s.sealer.Seal(secret, enrolField(u))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	uri := s.factor.EnrolURI("协作平台", u.Username, secret)
	png, err := qrcode.Encode(uri, qrcode.Medium, 220)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := factorData{base: s.baseFor(r, ""), Factor: s.factor.Name(), Error: msg,
		Secret: base32Spaced(secret), QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		Sealed: base64.RawURLEncoding.EncodeToString(sealed), Require: s.policy(r.Context()).needsFactor(u)}
	d.Title = "绑定动态口令"
	s.render(w, r, status, "enrol", d)
}

func enrolField(u *xiezuo.User) string { return "enrol.totp." + strconv.FormatInt(u.ID, 10) }

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sess := sessionFrom(r)
	u := sess.user
	if sess.owesFactor() {
		// Replacing an enrolled factor needs that factor first.
		s.errorPage(w, r, http.StatusForbidden, "请先输入已绑定的动态口令，再更换验证器")
		return
	}
	sealed, err := base64.RawURLEncoding.DecodeString(r.PostFormValue("sealed"))
	if err != nil {
		s.showEnrol(w, r, http.StatusBadRequest, "页面已过期，请用新的二维码重新绑定")
		return
	}
	secret, err := s.sealer.Open(sealed, enrolField(u))
	if err != nil {
		s.showEnrol(w, r, http.StatusBadRequest, "页面已过期，请用新的二维码重新绑定")
		return
	}
	step, ok := s.factor.Verify(secret, strings.TrimSpace(r.PostFormValue("code")), s.cfg.Now(), 0)
	if !ok {
		s.showEnrol(w, r, http.StatusBadRequest, "动态口令不正确：请扫描下面的新二维码，再输入验证器显示的 6 位数字")
		return
	}
	if err := s.db.SetTOTP(ctx, u.ID, secret); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.db.UseTOTPStep(ctx, u.ID, step, s.cfg.Now()); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.db.SetSessionSecondFactor(ctx, sess.hash); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.forget(sess.hash)
	http.Redirect(w, r, "/?"+s.flash(nil, "动态口令已绑定，今后登录时需输入", "ok"), http.StatusSeeOther)
}

func base32Spaced(secret []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	var b strings.Builder
	var buf, bits uint
	n := 0
	for _, c := range secret {
		buf = buf<<8 | uint(c)
		bits += 8
		for bits >= 5 {
			if n > 0 && n%4 == 0 {
				b.WriteByte(' ')
			}
			b.WriteByte(alphabet[(buf>>(bits-5))&31])
			bits -= 5
			n++
		}
	}
	if bits > 0 {
		b.WriteByte(alphabet[(buf<<(5-bits))&31])
	}
	return b.String()
}

type passwordData struct {
	base
	Error  string
	Reason string
	Min    int
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	if sessionFrom(r).owesFactor() {
		http.Redirect(w, r, "/signin/factor", http.StatusSeeOther)
		return
	}
	d := passwordData{base: s.baseFor(r, ""), Min: password.MinLength}
	d.Title = "修改密码"
	u := currentUser(r)
	switch {
	case u.MustChange:
		d.Reason = "这是管理员设置的初始密码，请先修改为只有您知道的密码。"
	case s.cfg.Now().Sub(u.PasswordAt) > s.policy(r.Context()).MaxAge:
		d.Reason = fmt.Sprintf("密码已使用超过 %d 天，请修改。", int(s.policy(r.Context()).MaxAge.Hours()/24))
	}
	s.render(w, r, http.StatusOK, "password", d)
}

func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sess := sessionFrom(r)
	u := sess.user
	if sess.owesFactor() {
		s.errorPage(w, r, http.StatusForbidden, "请先输入动态口令，再修改密码")
		return
	}
	if !s.limit.allow("password:"+strconv.FormatInt(u.ID, 10), 10, 10*time.Second) {
		s.errorPage(w, r, http.StatusTooManyRequests, "尝试过于频繁，请稍后再试")
		return
	}
	d := passwordData{base: s.baseFor(r, ""), Min: password.MinLength}
	d.Title = "修改密码"
	again := func(msg string) {
		d.Error = msg
		s.render(w, r, http.StatusBadRequest, "password", d)
	}
	old, pw, pw2 := r.PostFormValue("old"), r.PostFormValue("new"), r.PostFormValue("confirm")
	// The old password is checked as at sign-in: wrong ones count toward the lock, and a locked
	// account refuses even the right one (each refusal audited by storage).
	now, pol := s.cfg.Now(), s.policy(ctx)
	locked := func(until time.Time) {
		d.Error = fmt.Sprintf("原密码连续输错次数过多，账号已锁定至 %s，请稍后再试或联系系统管理员", until.In(shanghai).Format("2006-01-02 15:04"))
		s.render(w, r, http.StatusForbidden, "password", d)
	}
	if until, err := s.db.BeginPasswordCheck(ctx, u.ID, now, pol.MaxFailures, pol.LockFor); err != nil {
		s.serverError(w, r, err)
		return
	} else if !until.IsZero() {
		locked(until)
		return
	}
	hash, err := s.db.PasswordHash(ctx, u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ok, err := s.verifyPassword(ctx, hash, old)
	if err != nil {
		// The request ended before its check: the reserved check counts as a failure.
		if _, err := s.db.PasswordCheckFailed(context.WithoutCancel(ctx), u.ID, now, pol.MaxFailures, pol.LockFor); err != nil {
			s.log.Error("record abandoned password check", "user", u.ID, "err", err)
		}
		return
	}
	if !ok {
		until, err := s.db.PasswordCheckFailed(ctx, u.ID, now, pol.MaxFailures, pol.LockFor)
		switch {
		case err != nil:
			s.serverError(w, r, err)
		case !until.IsZero():
			locked(until)
		default:
			again(fmt.Sprintf("原密码不正确。连续输错 %d 次账号将锁定 %d 分钟", pol.MaxFailures, int(pol.LockFor.Minutes())))
		}
		return
	}
	if err := s.db.PasswordCheckSucceeded(ctx, u.ID, now); xiezuo.ErrorCode(err) == xiezuo.EFORBIDDEN {
		a, err := s.db.AccountByID(ctx, u.ID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		locked(a.LockedUntil)
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	if pw != pw2 {
		again("两次输入的新密码不一致")
		return
	}
	if pw == old {
		again("新密码不能与原密码相同")
		return
	}
	if err := password.Check(pw, u.Username); err != nil {
		again(xiezuo.ErrorMessage(err))
		return
	}
	newHash, err := s.hashPassword(ctx, pw)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.db.SetPassword(ctx, u.ID, newHash, false, s.cfg.Now()); err != nil {
		s.serverError(w, r, err)
		return
	}
	// A new password ends every other session of the account; this browser gets a new one.
	if _, err := s.db.DeleteUserSessions(ctx, u.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.forgetAll()
	token := newToken()
	now = s.cfg.Now()
	next := sqldb.Session{TokenHash: hashToken(token), UserID: u.ID, CSRF: newToken(), SecondFactorDone: sess.secondFactor,
		IP: s.clientIP(r), UserAgent: truncate(r.UserAgent(), 200), CreatedAt: now, LastSeen: now}
	if err := s.db.CreateSession(ctx, next); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setCookie(w, r, token)
	http.Redirect(w, r, "/?"+s.flash(nil, "密码已修改", "ok"), http.StatusSeeOther)
}
