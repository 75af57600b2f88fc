package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"xiezuo"
	"xiezuo/sqldb"
)

// callAtOnce sends the same request n times at once and returns the answers.
func callAtOnce(c apiClient, n int, method, path, body string, headers ...string) []response {
	out := make([]response, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = c.call(method, path, body, headers...)
		}()
	}
	wg.Wait()
	return out
}

// TestAPIReviewIdempotency: POST /api/v1/reports/{id}/review takes an Idempotency-Key: eight
// requests at once with one key store one review and all answer its state; the same key and body
// again answer 200 with the first answer though the version is reviewed; the same key with
// another body, even a wrong one, 409 and nothing stored; without a key a second review is 409
// as ever; a key the office gave a report of its own is 409 for a review.
func TestAPIReviewIdempotency(t *testing.T) {
	e := newEnv(t)
	caizheng, office := tokenOf(t, e, "caizheng"), tokenOf(t, e, "office")
	duty := dutyOf(t, e, xiezuo.DutyTask, 13)
	r := caizheng.call("POST", "/api/v1/duties/"+duty.String()+"/reports", `{"text": "资金已下达。"}`)
	var rc struct{ ID int64 }
	if json.Unmarshal([]byte(r.body), &rc); r.StatusCode != http.StatusCreated {
		t.Fatalf("POST report = %d %s", r.StatusCode, r.body)
	}
	review := "/api/v1/reports/" + strconv.FormatInt(rc.ID, 10) + "/review"
	rs := callAtOnce(office, 8, "POST", review, `{"decision": "accept"}`, "Idempotency-Key", "review-1")
	want := `{"id":` + strconv.FormatInt(rc.ID, 10) + `,"state":"accepted","version":1}`
	for i, r := range rs {
		if r.StatusCode != http.StatusOK || strings.TrimSpace(r.body) != want {
			t.Errorf("review #%d with one key = %d %s, want 200 %s", i, r.StatusCode, r.body, want)
		}
	}
	if n := countTable(t, e, "reviews"); n != 1 {
		t.Errorf("reviews after eight requests with one key = %d, want 1", n)
	}
	again := office.call("POST", review, `{ "comment": "", "decision":"accept" }`, "Idempotency-Key", "review-1")
	if again.StatusCode != http.StatusOK || again.body != rs[0].body {
		t.Errorf("replay = %d %s, want 200 %s", again.StatusCode, again.body, rs[0].body)
	}
	for _, body := range []string{`{"decision": "return", "comment": "请补充文号。"}`, `{"decision": "return"}`, `{"decision": "maybe"}`} {
		r := office.call("POST", review, body, "Idempotency-Key", "review-1")
		if code, msg := apiErrorOf(t, r); r.StatusCode != http.StatusConflict || code != xiezuo.ECONFLICT || !strings.Contains(msg, "Idempotency-Key") {
			t.Errorf("same key, body %s = %d %s, want 409 naming the key", body, r.StatusCode, r.body)
		}
	}
	if r := office.call("POST", review, `{"decision": "accept"}`); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "已审核") {
		t.Errorf("second review without a key = %d %s, want 409 已审核", r.StatusCode, r.body)
	}
	if r := office.call("POST", review, `{"decision": "accept"}`, "Idempotency-Key", "a key"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "Idempotency-Key") {
		t.Errorf("review with a key holding a space = %d %s, want 400", r.StatusCode, r.body)
	}
	if n := countTable(t, e, "reviews"); n != 1 {
		t.Errorf("reviews after the refusals = %d, want 1", n)
	}

	// The office reports on work point 1, which it leads, with a key; that key is not a review's.
	point1 := "/api/v1/duties/" + dutyOf(t, e, xiezuo.DutyPoint, 1).String() + "/reports"
	if r := office.call("POST", point1, `{"text": "召开领导小组会议一次。"}`, "Idempotency-Key", "shared-1"); r.StatusCode != http.StatusCreated {
		t.Fatalf("office POST report on work point 1 = %d %s", r.StatusCode, r.body)
	}
	// Its first report accepted, the unit may send another this month.
	r = caizheng.call("POST", "/api/v1/duties/"+duty.String()+"/reports", `{"text": "资金已拨付。"}`)
	if json.Unmarshal([]byte(r.body), &rc); r.StatusCode != http.StatusCreated {
		t.Fatalf("second POST report = %d %s", r.StatusCode, r.body)
	}
	review2 := "/api/v1/reports/" + strconv.FormatInt(rc.ID, 10) + "/review"
	if r := office.call("POST", review2, `{"decision": "accept"}`, "Idempotency-Key", "shared-1"); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "Idempotency-Key") {
		t.Errorf("review with the key of the office's report = %d %s, want 409", r.StatusCode, r.body)
	}
	if n := countTable(t, e, "reviews"); n != 1 {
		t.Errorf("reviews after the reused key = %d, want 1", n)
	}
	if r := office.call("POST", review2, `{"decision": "accept"}`, "Idempotency-Key", "review-2"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"state":"accepted"`) {
		t.Errorf("review with a new key = %d %s, want 200 accepted", r.StatusCode, r.body)
	}
}

// TestAPICloseIdempotency: POST /api/v1/duties/{id}/close takes an Idempotency-Key: eight
// requests at once with one key store one closure and all answer it; {} and {"closed": true}
// are one request; the same key with another body 409 and nothing stored; without a key a
// second closure is 409 as ever; once reopened, the first key still answers its closure.
func TestAPICloseIdempotency(t *testing.T) {
	e := newEnv(t)
	office := tokenOf(t, e, "office")
	duty := dutyOf(t, e, xiezuo.DutyTask, 13)
	closeURL := "/api/v1/duties/" + duty.String() + "/close"
	// closures counts the closure rows and checks that each has its one audit entry.
	closures := func() int {
		t.Helper()
		cs, err := e.db.PlanClosures(t.Context(), "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		if n := countAudit(t, e, sqldb.AuditDutyClose); n != len(cs) {
			t.Errorf("%d closures and %d audit entries of closures, want one each", len(cs), n)
		}
		return len(cs)
	}
	rs := callAtOnce(office, 8, "POST", closeURL, `{}`, "Idempotency-Key", "close-1")
	want := `{"closed":true,"duty":"` + duty.String() + `"}`
	for i, r := range rs {
		if r.StatusCode != http.StatusOK || strings.TrimSpace(r.body) != want {
			t.Errorf("close #%d with one key = %d %s, want 200 %s", i, r.StatusCode, r.body, want)
		}
	}
	if n := closures(); n != 1 {
		t.Errorf("closures after eight requests with one key = %d, want 1", n)
	}
	if r := office.call("POST", closeURL, `{"closed": true}`, "Idempotency-Key", "close-1"); r.StatusCode != http.StatusOK || r.body != rs[0].body {
		t.Errorf("replay = %d %s, want 200 %s", r.StatusCode, r.body, rs[0].body)
	}
	for _, body := range []string{`{"closed": false, "reason": "补充材料"}`, `{"closed": false}`} {
		r := office.call("POST", closeURL, body, "Idempotency-Key", "close-1")
		if code, msg := apiErrorOf(t, r); r.StatusCode != http.StatusConflict || code != xiezuo.ECONFLICT || !strings.Contains(msg, "Idempotency-Key") {
			t.Errorf("same key, body %s = %d %s, want 409 naming the key", body, r.StatusCode, r.body)
		}
	}
	if r := office.call("POST", closeURL, `{}`); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "已销号") {
		t.Errorf("second closure without a key = %d %s, want 409 已销号", r.StatusCode, r.body)
	}
	if n := closures(); n != 1 {
		t.Errorf("closures after the refusals = %d, want 1", n)
	}
	if r := office.call("POST", closeURL, `{"closed": false, "reason": "补充材料"}`, "Idempotency-Key", "reopen-1"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `"closed":false`) {
		t.Fatalf("reopen = %d %s", r.StatusCode, r.body)
	}
	if r := office.call("POST", closeURL, `{}`, "Idempotency-Key", "close-1"); r.StatusCode != http.StatusOK || r.body != rs[0].body {
		t.Errorf("replay once reopened = %d %s, want 200 %s", r.StatusCode, r.body, rs[0].body)
	}
	if n := closures(); n != 2 {
		t.Errorf("closures = %d, want 2 (the closure and the reopening)", n)
	}
}

// TestOpenAPIDecisionIdempotency: the review and the closure document the Idempotency-Key
// header, and answer 200 only (they create no resource of their own).
func TestOpenAPIDecisionIdempotency(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Summary    string
			Parameters []struct{ Name, In string }
			Responses  map[string]any
		}
	}
	if err := json.Unmarshal([]byte(e.anonymous().get("/api/openapi.json").body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/v1/reports/{id}/review", "/api/v1/duties/{id}/close"} {
		op := doc.Paths[p]["post"]
		header := false
		for _, prm := range op.Parameters {
			header = header || (prm.Name == "Idempotency-Key" && prm.In == "header")
		}
		if !header || !strings.Contains(op.Summary, "Idempotency-Key") {
			t.Errorf("POST %s documents no Idempotency-Key: %+v", p, op)
		}
		if _, ok := op.Responses["201"]; ok {
			t.Errorf("POST %s documents 201; it answers 200", p)
		}
	}
}
