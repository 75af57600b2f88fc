// Package loadclient is what the load programs (cmd/xiezuo-load, cmd/xiezuo-public-load,
// cmd/xiezuo-deadline) share: signing in to a running xiezuo as a browser does, and the
// percentiles of measured latencies.
package loadclient

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"time"
)

var rePre = regexp.MustCompile(`name="pre" value="([^"]+)"`)

// SignIn signs in to the server at base as user with password pw, through transport t, and
// returns a client holding the session cookie. A sign-in the server does not complete (a wrong
// password, a second factor or a password change asked) is an error naming where it stopped.
func SignIn(base string, t http.RoundTripper, user, pw string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Transport: t, Jar: jar, Timeout: 30 * time.Second}
	resp, err := hc.Get(base + "/signin")
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := rePre.FindSubmatch(b)
	if m == nil {
		return nil, errors.New("no sign-in form")
	}
	resp, err = hc.PostForm(base+"/signin", url.Values{"username": {user}, "password": {pw}, "pre": {string(m[1])}})
	if err != nil {
		return nil, err
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	switch resp.Request.URL.Path {
	case "/signin", "/signin/factor", "/password":
		return nil, fmt.Errorf("sign in as %s not completed (%s): %.200s", user, resp.Request.URL.Path, b)
	}
	return hc, nil
}

// Pct is the p-th percentile (0–100) of v, nearest rank below; 0 for no values.
func Pct(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[int(float64(len(s)-1)*p/100)]
}
