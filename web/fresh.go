package web

import (
	"context"
	"net/http"
)

// Read your own writes across instances. Behind a load balancer the page after a change may be
// served by another instance, whose copies of plans, facts, sessions, the security policy and
// public pages' versions it trusts for their bounds (versionTTL, factsTTL, listTTL, sessionTTL,
// policyTTL, publicVersionTTL). A browser that sent a change carries wroteCookie for wroteFor,
// the longest of those bounds, and every instance reads what its pages show from the database
// meanwhile: whoever made a change sees it on the next page, whichever instance serves it;
// everybody else within the bound (docs/architecture.md, "Several instances behind a load
// balancer").
const (
	wroteCookie = "xiezuo_wrote"
	wroteFor    = 5 // seconds: policyTTL, the longest bound
)

type freshKey struct{}

// markFresh sets wroteCookie on the answer to a change of a signed-in browser (any method but
// GET and HEAD, on a route, whatever its outcome: a refused change may have been half seen),
// and marks the request's context as one that must not be answered from an instance's copies
// when it is such a change or its browser made one in the last wroteFor seconds. Only a
// request with a session cookie counts: a script with a token, or an anonymous client sending
// wroteCookie itself, reads the copies as everybody else does.
func (s *Server) markFresh(w http.ResponseWriter, r *http.Request) *http.Request {
	if c, err := r.Cookie(sessionCookie); err != nil || c.Value == "" {
		return r
	}
	change := r.Method != http.MethodGet && r.Method != http.MethodHead
	if change {
		http.SetCookie(w, &http.Cookie{
			Name: wroteCookie, Value: "1", Path: "/", MaxAge: wroteFor, HttpOnly: true,
			Secure: r.TLS != nil || s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
		})
	} else if c, err := r.Cookie(wroteCookie); err != nil || c.Value == "" {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), freshKey{}, true))
}

// readFresh reports whether ctx's request must read from the database, not from copies kept
// for a bound (markFresh).
func readFresh(ctx context.Context) bool {
	v, _ := ctx.Value(freshKey{}).(bool)
	return v
}
