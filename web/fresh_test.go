package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestMarkFresh: a change sets the cookie for wroteFor seconds and reads fresh; a page read
// reads fresh only while the browser carries the cookie.
func TestMarkFresh(t *testing.T) {
	s := &Server{}
	tests := []struct {
		method    string
		cookie    string
		wantSet   bool
		wantFresh bool
	}{
		{http.MethodPost, "", true, true},
		{http.MethodPost, "1", true, true},
		{http.MethodGet, "", false, false},
		{http.MethodHead, "", false, false},
		{http.MethodGet, "1", false, true},
		{http.MethodGet, "", false, false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, "/units", nil)
		if tt.cookie != "" {
			r.AddCookie(&http.Cookie{Name: wroteCookie, Value: tt.cookie})
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
			t.Errorf("%s with cookie %q: set %v, fresh %v; want %v, %v", tt.method, tt.cookie, set, readFresh(got.Context()), tt.wantSet, tt.wantFresh)
		}
	}
}
