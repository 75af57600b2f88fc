package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestMarkFresh: a signed-in browser's change sets the cookie for wroteFor seconds and reads
// fresh; its page reads read fresh only while it carries the cookie; a request without a
// session (a script, an anonymous client sending the cookie itself) never does.
func TestMarkFresh(t *testing.T) {
	s := &Server{}
	tests := []struct {
		method    string
		session   bool
		wrote     bool
		wantSet   bool
		wantFresh bool
	}{
		{http.MethodPost, true, false, true, true},
		{http.MethodPost, true, true, true, true},
		{http.MethodGet, true, false, false, false},
		{http.MethodHead, true, false, false, false},
		{http.MethodGet, true, true, false, true},
		{http.MethodPost, false, false, false, false},
		{http.MethodGet, false, true, false, false},
		{http.MethodPost, false, true, false, false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, "/units", nil)
		if tt.session {
			r.AddCookie(&http.Cookie{Name: sessionCookie, Value: "s"})
		}
		if tt.wrote {
			r.AddCookie(&http.Cookie{Name: wroteCookie, Value: "1"})
		}
		w := httptest.NewRecorder()
		got := s.markFresh(w, r)
		set := false
		for _, c := range w.Result().Cookies() {
			if c.Name == wroteCookie {
				set = true
				if c.MaxAge != wroteFor || !c.HttpOnly || c.Path != "/" {
					t.Errorf("%s: cookie %+v, want Max-Age %d, HttpOnly, Path /", tt.method, c, wroteFor)
				}
			}
		}
		if set != tt.wantSet || readFresh(got.Context()) != tt.wantFresh {
			t.Errorf("%s (session %v, wrote %v): set %v, fresh %v; want %v, %v", tt.method, tt.session, tt.wrote,
				set, readFresh(got.Context()), tt.wantSet, tt.wantFresh)
		}
	}
}
