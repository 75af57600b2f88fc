package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSwappedPlanIsSaid: a year or district asked for and not shown is said on the page.
func TestSwappedPlanIsSaid(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	if r := c.get("/plan?year=1999"); !strings.Contains(r.body, "没有1999年的计划，显示的是2021年的计划") {
		t.Errorf("/plan?year=1999 does not say the year shown: %s", excerpt(r.body))
	}
	if r := c.get("/plan?district=" + url.QueryEscape("东城区")); !strings.Contains(r.body, "没有可查看的东城区的计划") {
		t.Errorf("office asking 东城区 is not told: %s", excerpt(r.body))
	}
	if r := c.get("/plan?year=2021"); strings.Contains(r.body, "显示的是") {
		t.Errorf("/plan?year=2021 says a plan was swapped")
	}
}

// TestUnknownPathInChinese: a mistyped address, or a method no route takes, gets the Chinese
// error page, signed in or not, never the mux's English text.
func TestUnknownPathInChinese(t *testing.T) {
	e := newEnv(t)
	for _, c := range []*client{e.anonymous(), e.signIn("caizheng")} {
		for _, r := range []response{c.get("/no/such/page"), c.post("/plan", nil)} {
			if r.StatusCode != http.StatusNotFound || strings.Contains(r.body, "page not found") || !strings.Contains(r.body, "没有这个页面") {
				t.Errorf("unknown path = %d %s, want 404 in Chinese", r.StatusCode, excerpt(r.body))
			}
		}
	}
}
