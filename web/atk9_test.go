package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestAPIAssetIdempotency: POST /api/v1/projects/{id}/assets takes an Idempotency-Key as every
// API write that creates something: the same key and body again answer 200 with the first
// asset and store nothing; the same key with another body 409; a key used on another route 409.
func TestAPIAssetIdempotency(t *testing.T) {
	e := newEnv(t)
	a, _ := reachProjects(t, e)
	api := tokenOf(t, e, "office")
	path := "/api/v1/projects/" + strconv.FormatInt(a.ID, 10) + "/assets"
	body := `{"kind": "经营性资产", "name": "肉牛养殖圈舍", "value_yuan": "100000.50", "quantity": 2, "unit": "座", "owner": "红山子村集体经济合作社", "handover_on": "2021-08-10", "upkeep": "合作社负责管护"}`
	first := api.call(http.MethodPost, path, body, "Idempotency-Key", "asset-1")
	if first.StatusCode != http.StatusCreated {
		t.Fatalf("POST asset = %d %s, want 201", first.StatusCode, first.body)
	}
	id := first.body[:strings.Index(first.body, ",")]
	again := api.call(http.MethodPost, path, body, "Idempotency-Key", "asset-1")
	if again.StatusCode != http.StatusOK || !strings.HasPrefix(again.body, id+",") {
		t.Errorf("POST again with the key = %d %s, want 200 with %s", again.StatusCode, again.body, id)
	}
	other := strings.Replace(body, "100000.50", "90000", 1)
	if r := api.call(http.MethodPost, path, other, "Idempotency-Key", "asset-1"); r.StatusCode != http.StatusConflict {
		t.Errorf("POST another body with the key = %d %s, want 409", r.StatusCode, r.body)
	}
	if r := api.call(http.MethodPost, path, strings.Replace(body, "2021-08-10", "2021-13-10", 1), "Idempotency-Key", "asset-1"); r.StatusCode != http.StatusConflict {
		t.Errorf("POST a bad body with the used key = %d %s, want 409", r.StatusCode, r.body)
	}
	tx := `{"kind":"allocation","source":"district","amount_yuan":"1","date":"2021-08-01"}`
	if r := api.call(http.MethodPost, "/api/v1/projects/"+strconv.FormatInt(a.ID, 10)+"/transactions", tx, "Idempotency-Key", "asset-1"); r.StatusCode != http.StatusConflict {
		t.Errorf("POST a transaction with the asset's key = %d %s, want 409", r.StatusCode, r.body)
	}
	if r := api.call(http.MethodPost, path, body, "Idempotency-Key", "bad key"); r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusBadRequest {
		t.Errorf("POST with a key holding a space = %d %s, want 400 or 422", r.StatusCode, r.body)
	}
	as, err := e.db.ProjectAssets(t.Context(), a.ID)
	if err != nil || len(as) != 1 {
		t.Errorf("stored assets = %d (%v), want 1", len(as), err)
	}
}

// TestFactDateFloorWeb: a transaction, step, result or asset dated with a wrong year is
// refused through the API (422) and the forms, with the message naming the earliest day, and
// nothing is stored.
func TestFactDateFloorWeb(t *testing.T) {
	e := newEnv(t)
	a, _ := reachProjects(t, e)
	api := tokenOf(t, e, "office")
	id := strconv.FormatInt(a.ID, 10)
	for _, c := range []struct{ path, body, want string }{
		{"/transactions", `{"kind":"allocation","source":"district","amount_yuan":"1","date":"0021-08-01"}`, "早于 2020-01-01"},
		{"/transactions", `{"kind":"allocation","source":"district","amount_yuan":"1","date":"0000-08-01"}`, "早于 2020-01-01"},
		{"/steps", `{"kind":"start","date":"1921-07-01"}`, "早于 2016-01-01"},
		{"/assets", `{"kind": "经营性资产", "name": "圈舍", "value_yuan": "1", "quantity": 1, "unit": "座", "owner": "村委会", "handover_on": "0001-08-10", "upkeep": "村委会"}`, "早于 2016-01-01"},
	} {
		r := api.call(http.MethodPost, "/api/v1/projects/"+id+c.path, c.body)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, c.want) {
			t.Errorf("POST %s %s = %d %s, want 422 containing %q", c.path, c.body, r.StatusCode, r.body, c.want)
		}
	}
	office := e.signIn("office")
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	r := office.post("/projects/"+id+"/transactions"+q, url.Values{"kind": {"disbursement"}, "source": {"district"}, "amount_yuan": {"1"}, "date": {"0001-01-01"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("POST transaction form = %d, want 303", r.StatusCode)
	} else if page := office.get(r.Header.Get("Location")); !strings.Contains(page.body, "早于 2020-01-01") {
		t.Errorf("the project page after a transaction dated 0001-01-01 does not say why it was refused: %s %s", r.Header.Get("Location"), excerpt(page.body))
	}
	r = office.post(reachPath(a, "/results"), url.Values{"kind": {"people"}, "value": {"5"}, "on": {"1021-01-01"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("POST result form = %d, want 303", r.StatusCode)
	} else if page := office.get(r.Header.Get("Location")); !strings.Contains(page.body, "早于 2016-01-01") {
		t.Errorf("the project page after a result dated 1021-01-01 does not say why it was refused")
	}
	txs, _ := e.db.FundTxs(t.Context(), a.ID)
	steps, _ := e.db.ProjectSteps(t.Context(), a.ID)
	rs, _ := e.db.ProjectResults(t.Context(), a.ID)
	as, _ := e.db.ProjectAssets(t.Context(), a.ID)
	if len(txs)+len(steps)+len(rs)+len(as) != 0 {
		t.Errorf("refused writes stored %d transactions, %d steps, %d results, %d assets", len(txs), len(steps), len(rs), len(as))
	}
}
