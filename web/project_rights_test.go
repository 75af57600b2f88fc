package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestAllocationIsTheOffices: a cadre (who may record payments and spending of its region's
// projects) may not post an allocation (下达) nor reverse one, through the API or the forms:
// 403 with the reason, nothing written; its forms offer no allocation and no reversal of one;
// the office still allocates and its forms offer it.
func TestAllocationIsTheOffices(t *testing.T) {
	e := newEnv(t) // today is 2021-08-28
	ours, _ := wuchuanProject(t, e)
	id := strconv.FormatInt(ours.ID, 10)
	path := "/api/v1/projects/" + id + "/transactions"
	cadre, office := tokenOf(t, e, "wuchuan"), tokenOf(t, e, "office")
	stored := func() int {
		t.Helper()
		txs, err := e.db.FundTxs(t.Context(), ours.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(txs)
	}

	r := cadre.call("POST", path, `{"kind":"allocation","source":"district","amount_yuan":"480000","date":"2021-07-01"}`, "Idempotency-Key", "cadre-alloc")
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "资金下达由办公室登记") {
		t.Errorf("cadre POST allocation = %d %s, want 403 with the reason", r.StatusCode, r.body)
	}
	if n := stored(); n != 0 {
		t.Fatalf("a refused allocation stored %d entries", n)
	}
	r = office.call("POST", path, `{"kind":"allocation","source":"district","amount_yuan":"480000","date":"2021-07-01"}`)
	var alloc apiFundTx
	if r.StatusCode != http.StatusCreated || json.Unmarshal([]byte(r.body), &alloc) != nil {
		t.Fatalf("office POST allocation = %d %s, want 201", r.StatusCode, r.body)
	}
	rev := `{"kind":"allocation","source":"district","amount_yuan":"-480000","date":"2021-08-01","reverses":` + strconv.FormatInt(alloc.ID, 10) + `}`
	if r := cadre.call("POST", path, rev); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "资金下达由办公室登记") {
		t.Errorf("cadre POST reversal of an allocation = %d %s, want 403", r.StatusCode, r.body)
	}
	// Sent as another kind, the reversal is not the allocation's opposite: refused too.
	if r := cadre.call("POST", path, strings.Replace(rev, `"allocation"`, `"disbursement"`, 1)); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("cadre POST reversal of an allocation as a disbursement = %d %s, want 422", r.StatusCode, r.body)
	}
	if r := cadre.call("POST", path, `{"kind":"disbursement","source":"district","amount_yuan":"200000","date":"2021-07-05"}`); r.StatusCode != http.StatusCreated {
		t.Errorf("cadre POST disbursement = %d %s, want 201", r.StatusCode, r.body)
	}
	if n := stored(); n != 2 {
		t.Fatalf("stored %d entries, want 2 (the office's allocation, the cadre's payment)", n)
	}

	// The forms: the cadre's project page offers 拨付 and 支出 only, and no reversal of the
	// allocation; a posted allocation or reversal of one is 403.
	c := e.signIn("wuchuan")
	page := c.get(projectPath(ours.ID, "")).body
	form := page[strings.Index(page, "登记资金往来"):]
	if strings.Contains(form, `<option value="allocation">`) || !strings.Contains(form, `<option value="disbursement">`) {
		t.Errorf("the cadre's ledger form offers an allocation, or no payment")
	}
	if strings.Contains(page, `name="reverses" value="`+strconv.FormatInt(alloc.ID, 10)+`"`) {
		t.Errorf("the cadre's ledger offers to reverse the office's allocation")
	}
	post := "/projects/" + id + "/transactions?year=2021&district=" + url.QueryEscape("门头沟区")
	if r := c.post(post, url.Values{"kind": {"allocation"}, "source": {"district"}, "amount_yuan": {"1"}, "date": {"2021-08-01"}}); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "资金下达由办公室登记") {
		t.Errorf("cadre form allocation = %d, want 403 with the reason: %s", r.StatusCode, excerpt(r.body))
	}
	if r := c.post(post, url.Values{"reverses": {strconv.FormatInt(alloc.ID, 10)}, "kind": {"allocation"}, "source": {"district"}, "amount_yuan": {"-480000"}, "date": {"2021-08-01"}, "note": {"记错"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("cadre form reversal of the allocation = %d, want 403", r.StatusCode)
	}
	if n := stored(); n != 2 {
		t.Fatalf("refused forms stored entries: %d, want 2", n)
	}
	if cp := c.get("/cadre?year=2021&district=" + url.QueryEscape("门头沟区")).body; strings.Contains(cp, `value="allocation"`) {
		t.Errorf("/cadre offers an allocation")
	}
	op := e.signIn("office").get(projectPath(ours.ID, "")).body
	if !strings.Contains(op, `<option value="allocation">`) || !strings.Contains(op, `name="reverses" value="`+strconv.FormatInt(alloc.ID, 10)+`"`) {
		t.Errorf("the office's ledger form lacks the allocation or its reversal")
	}
}

// TestAdjustmentIsTheOffices: a cadre may not record an adjustment (调整, approved with a
// 批复文号), through the API or the form: 403 with the reason, nothing written; neither its
// project page nor /cadre offers the adjustment or its fields; the office's page does.
func TestAdjustmentIsTheOffices(t *testing.T) {
	e := newEnv(t)
	p := lifeProject(t, e, "内蒙古武川县")
	api := "/api/v1/projects/" + strconv.FormatInt(p.ID, 10) + "/steps"
	adjust := `{"kind":"adjust","date":"2021-08-10","reason":"增建冷库","document":"门协办〔2021〕5号","new_district_fund_yuan":"200000.00"}`
	if r := tokenOf(t, e, "wuchuan").call("POST", api, adjust); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "由办公室登记") {
		t.Errorf("cadre POST adjust = %d %s, want 403 with the reason", r.StatusCode, excerpt(r.body))
	}
	c := e.signIn("wuchuan")
	r := c.postFormFiles(stepPath(p.ID), url.Values{"kind": {"adjust"}, "date": {"2021-08-10"}, "reason": {"增建冷库"},
		"document": {"门协办〔2021〕5号"}, "new_total_wan": {"999.5"}}, nil, nil)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "由办公室登记") {
		t.Errorf("cadre form adjust = %d, want 403 with the reason: %s", r.StatusCode, excerpt(r.body))
	}
	if n := len(stepsOf(t, e, p.ID)); n != 0 {
		t.Fatalf("refused adjustments stored %d steps", n)
	}
	for _, path := range []string{projectPath(p.ID, ""), "/cadre?year=2021&district=" + url.QueryEscape("门头沟区")} {
		body := c.get(path).body
		if !strings.Contains(body, "登记下一步") || strings.Contains(body, `<option value="adjust"`) || strings.Contains(body, `name="new_total_wan"`) || strings.Contains(body, `name="document"`) {
			t.Errorf("the cadre's %s: want the step form without the adjustment", path)
		}
	}
	if body := e.signIn("office").get(projectPath(p.ID, "")).body; !strings.Contains(body, `<option value="adjust"`) || !strings.Contains(body, `name="new_total_wan"`) {
		t.Errorf("the office's project page does not offer the adjustment")
	}
	if r := tokenOf(t, e, "office").call("POST", api, adjust); r.StatusCode != http.StatusCreated {
		t.Errorf("office POST adjust = %d %s, want 201", r.StatusCode, excerpt(r.body))
	}
}
