package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestAtk10PerUnitEvidence: a unit reading a per-unit indicator's page (/scorecard/gg-06, each
// budget unit's purchase share) sees its own purchases as evidence, not another unit's
// entries (their links, titles and what they still miss).
func TestAtk10PerUnitEvidence(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	edu, resp := postEntry(t, office, "purchases", url.Values{"unit": {"区教委"}, "period": {"2021-06"}, "food_total": {"10"}, "via_832": {"1"}})
	if edu == 0 {
		t.Fatalf("POST purchase = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	fin, resp := postEntry(t, office, "purchases", url.Values{"unit": {"区财政局"}, "period": {"2021-06"}, "food_total": {"10"}, "via_832": {"5"}})
	if fin == 0 {
		t.Fatalf("POST purchase = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	eduHref, finHref := "/registers/purchases/"+strconv.FormatInt(edu, 10)+"?", "/registers/purchases/"+strconv.FormatInt(fin, 10)+"?"
	if page := office.get("/scorecard/gg-06"); page.StatusCode != http.StatusOK || !strings.Contains(page.body, eduHref) || !strings.Contains(page.body, finHref) {
		t.Fatalf("office /scorecard/gg-06 = %d, want both purchases: %s", page.StatusCode, excerpt(page.body))
	}
	page := e.signIn("caizheng").get("/scorecard/gg-06")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, finHref) {
		t.Fatalf("区财政局 /scorecard/gg-06 = %d, want its purchase: %s", page.StatusCode, excerpt(page.body))
	}
	if strings.Contains(page.body, eduHref) || strings.Contains(page.body, "区教委：") {
		t.Errorf("区财政局 reads 区教委's purchase or its missing text on /scorecard/gg-06")
	}
}
