package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xiezuo"
)

// policy is the security policy the security administrator sets; docs/security.md gives each
// value's rule. Values are read from the database, so every instance applies the same policy.
type policy struct {
	MaxFailures int           // failed sign-ins before the account locks
	LockFor     time.Duration // how long it stays locked
	MaxAge      time.Duration // a password older than this must be changed
	Idle        time.Duration // a session idle this long ends
	MFARoles    []string      // roles that must give a second factor
}

// Keys of the policy settings.
const (
	setMaxFailures = "policy.max_failures"
	setLockMinutes = "policy.lock_minutes"
	setMaxAgeDays  = "policy.password_max_age_days"
	setIdleMinutes = "policy.idle_minutes"
	setMFARoles    = "policy.mfa_roles"
)

// defaultPolicy is the policy until the security administrator changes it.
var defaultPolicy = policy{
	MaxFailures: 5,
	LockFor:     30 * time.Minute,
	MaxAge:      90 * 24 * time.Hour,
	Idle:        30 * time.Minute,
	MFARoles:    []string{xiezuo.RoleSysAdmin, xiezuo.RoleSecAdmin, xiezuo.RoleAuditor},
}

// values writes p as the settings that store it, as securitySave reads them from the form.
func (p policy) values() map[string]string {
	return map[string]string{
		setMaxFailures: strconv.Itoa(p.MaxFailures),
		setLockMinutes: strconv.Itoa(int(p.LockFor / time.Minute)),
		setMaxAgeDays:  strconv.Itoa(int(p.MaxAge / (24 * time.Hour))),
		setIdleMinutes: strconv.Itoa(int(p.Idle / time.Minute)),
		setMFARoles:    strings.Join(slices.DeleteFunc(slices.Clone(xiezuo.Roles), func(r string) bool { return !slices.Contains(p.MFARoles, r) }), ","),
	}
}

// policyCache keeps the policy read from the database for a few seconds, so pages do not read
// five settings each; a change reaches every instance within that time.
type policyCache struct {
	mu   sync.Mutex
	at   time.Time
	last policy
	gen  uint64 // counts forgets: a policy read before one is not kept after it
}

const policyTTL = 5 * time.Second

func (s *Server) policy(ctx context.Context) policy {
	// The settings are read outside the lock: a read that waits on the database (a fresh read,
	// markFresh; a failover) holds up no other request.
	s.pol.mu.Lock()
	now := time.Now()
	if !s.pol.at.IsZero() && !readFresh(ctx) && now.Sub(s.pol.at) < policyTTL {
		p := s.pol.last
		s.pol.mu.Unlock()
		return p
	}
	gen := s.pol.gen
	s.pol.mu.Unlock()
	p := defaultPolicy
	if s.cfg.IdleTimeout > 0 {
		p.Idle = s.cfg.IdleTimeout
	}
	read := func(key string, apply func(string)) {
		v, ok, err := s.db.Setting(ctx, key)
		if err != nil {
			s.log.Error("read setting", "key", key, "err", err)
			return
		}
		if ok {
			apply(v)
		}
	}
	minutes := func(v string, min, max int) (time.Duration, bool) {
		n, err := strconv.Atoi(v)
		if err != nil || n < min || n > max {
			return 0, false
		}
		return time.Duration(n) * time.Minute, true
	}
	read(setMaxFailures, func(v string) {
		if n, err := strconv.Atoi(v); err == nil && n >= 3 && n <= 10 {
			p.MaxFailures = n
		}
	})
	read(setLockMinutes, func(v string) {
		if d, ok := minutes(v, 10, 24*60); ok {
			p.LockFor = d
		}
	})
	read(setMaxAgeDays, func(v string) {
		if n, err := strconv.Atoi(v); err == nil && n >= 30 && n <= 365 {
			p.MaxAge = time.Duration(n) * 24 * time.Hour
		}
	})
	read(setIdleMinutes, func(v string) {
		if d, ok := minutes(v, 5, 120); ok {
			p.Idle = d
		}
	})
	read(setMFARoles, func(v string) {
		p.MFARoles = nil
		for _, r := range strings.Split(v, ",") {
			if r = strings.TrimSpace(r); slices.Contains(xiezuo.Roles, r) {
				p.MFARoles = append(p.MFARoles, r)
			}
		}
	})
	s.pol.mu.Lock()
	if gen == s.pol.gen && !now.Before(s.pol.at) {
		s.pol.at, s.pol.last = now, p
	}
	s.pol.mu.Unlock()
	return p
}

// forgetPolicy drops the cached policy after the security administrator changed it.
func (s *Server) forgetPolicy() {
	s.pol.mu.Lock()
	s.pol.at = time.Time{}
	s.pol.gen++
	s.pol.mu.Unlock()
}

// owesFactor reports whether the session still owes an enrolled second factor.
func (sess *session) owesFactor() bool { return sess.next == "/signin/factor" }

// needsFactor reports whether the user must give a second factor: one enrolled, or one required
// of a role the user holds.
func (p policy) needsFactor(u *xiezuo.User) bool {
	return u.TOTPEnabled || u.HasAny(p.MFARoles...)
}

// completeness works out what the session still owes before the user may use the application.
func (s *Server) completeness(ctx context.Context, sess *session) {
	if sess.api {
		return
	}
	p := s.policy(ctx)
	u := sess.user
	// An enrolled factor comes first: until it is given, the password alone may neither change
	// the password nor enrol another factor.
	switch {
	case u.TOTPEnabled && !sess.secondFactor:
		sess.next = "/signin/factor"
	case u.MustChange || (!u.PasswordAt.IsZero() && s.cfg.Now().Sub(u.PasswordAt) > p.MaxAge):
		sess.next = "/password"
	case p.needsFactor(u) && !u.TOTPEnabled:
		sess.next = "/account/factor"
	default:
		sess.complete = true
	}
}
