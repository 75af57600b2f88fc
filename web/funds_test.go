package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/sqldb"
)

// wuchuanProject is the first 2021 project in 内蒙古武川县 (the cadre wuchuan's region) and one
// project of another region.
func wuchuanProject(t *testing.T, e *env) (ours, other xiezuo.Project) {
	t.Helper()
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range p.Projects {
		if pr.Region == "内蒙古武川县" && ours.ID == 0 {
			ours = pr
		}
		if pr.Region != "内蒙古武川县" && pr.LeadUnit != "区财政局" && other.ID == 0 {
			other = pr
		}
	}
	if ours.ID == 0 || other.ID == 0 {
		t.Fatal("the 2021 plan has no project in 内蒙古武川县, or none elsewhere")
	}
	return ours, other
}

func TestAPIFundTransactions(t *testing.T) {
	e := newEnv(t) // today is 2021-08-28
	ours, other := wuchuanProject(t, e)
	cadre, leader, office := tokenOf(t, e, "wuchuan"), tokenOf(t, e, "leader"), tokenOf(t, e, "office")
	path := "/api/v1/projects/" + strconv.FormatInt(ours.ID, 10) + "/transactions"

	resp := office.call("POST", path, `{"kind":"allocation","source":"district","amount_yuan":"1000000.50","date":"2021-07-01","note":"区财政下达"}`, "Idempotency-Key", "alloc-1")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST allocation = %d %s, want 201", resp.StatusCode, resp.body)
	}
	var alloc apiFundTx
	if err := json.Unmarshal([]byte(resp.body), &alloc); err != nil || alloc.ID == 0 || alloc.AmountYuan != "1000000.50" || alloc.Kind != "allocation" ||
		alloc.KindText != "下达" || alloc.SourceText != "区级帮扶资金" || alloc.Date != "2021-07-01" || alloc.By != "office" || alloc.Reverses != nil {
		t.Fatalf("POST allocation answered %s (%v)", resp.body, err)
	}
	// The same key and body, spaced and ordered otherwise, with the amount written otherwise.
	again := office.call("POST", path, `{"date":"2021-07-01", "amount_yuan":"1000000.5","source":"district","kind":"allocation","note":"区财政下达"}`, "Idempotency-Key", "alloc-1")
	if again.StatusCode != http.StatusOK || !strings.Contains(again.body, `"id":`+strconv.FormatInt(alloc.ID, 10)) {
		t.Errorf("POST again with the key = %d %s, want 200 with the first entry", again.StatusCode, again.body)
	}
	if r := office.call("POST", path, `{"kind":"allocation","source":"district","amount_yuan":"2","date":"2021-07-01"}`, "Idempotency-Key", "alloc-1"); r.StatusCode != http.StatusConflict {
		t.Errorf("POST another body with the key = %d %s, want 409", r.StatusCode, r.body)
	}
	if r := office.call("POST", path, `{"kind":"allocation","source":"district","amount_yuan":"x","date":"2021-07-01"}`, "Idempotency-Key", "alloc-1"); r.StatusCode != http.StatusConflict {
		t.Errorf("POST a bad body with the used key = %d %s, want 409", r.StatusCode, r.body)
	}

	tests := []struct {
		name   string
		c      apiClient
		path   string
		body   string
		status int
		msg    string
	}{
		{"future date", cadre, path, `{"kind":"disbursement","source":"district","amount_yuan":"1","date":"2021-08-29"}`, 422, "晚于今天"},
		{"three decimals", cadre, path, `{"kind":"disbursement","source":"district","amount_yuan":"1.234","date":"2021-08-01"}`, 422, "最多两位小数"},
		{"amount as a number", cadre, path, `{"kind":"disbursement","source":"district","amount_yuan":12,"date":"2021-08-01"}`, 422, "amount_yuan"},
		{"bad date", cadre, path, `{"kind":"disbursement","source":"district","amount_yuan":"1","date":"2021-13-01"}`, 422, "日期"},
		{"unknown kind", cadre, path, `{"kind":"gift","source":"district","amount_yuan":"1","date":"2021-08-01"}`, 422, "资金类别"},
		{"disbursed past allocated", cadre, path, `{"kind":"disbursement","source":"district","amount_yuan":"1000000.51","date":"2021-08-01"}`, 422, "超过累计下达"},
		{"negative", cadre, path, `{"kind":"disbursement","source":"district","amount_yuan":"-1","date":"2021-08-01"}`, 422, "负数"},
		{"leader", leader, path, `{"kind":"allocation","source":"district","amount_yuan":"1","date":"2021-08-01"}`, 403, "区领导只查看"},
		{"cadre allocates", cadre, path, `{"kind":"allocation","source":"district","amount_yuan":"1","date":"2021-08-01"}`, 403, "资金下达由办公室登记"},
		{"cadre of another region", cadre, "/api/v1/projects/" + strconv.FormatInt(other.ID, 10) + "/transactions", `{"kind":"allocation","source":"district","amount_yuan":"1","date":"2021-08-01"}`, 403, ""},
		{"no such project", cadre, "/api/v1/projects/99999999/transactions", `{"kind":"allocation","source":"district","amount_yuan":"1","date":"2021-08-01"}`, 404, ""},
		{"unknown field", cadre, path, `{"kind":"allocation","amount":"1"}`, 400, "不认识的字段"},
	}
	for _, tt := range tests {
		r := tt.c.call("POST", tt.path, tt.body)
		if r.StatusCode != tt.status || !strings.Contains(r.body, tt.msg) {
			t.Errorf("%s: POST = %d %s, want %d containing %q", tt.name, r.StatusCode, r.body, tt.status, tt.msg)
		}
	}

	disb := office.call("POST", path, `{"kind":"disbursement","source":"district","amount_yuan":"400000","date":"2021-08-01"}`)
	if disb.StatusCode != http.StatusCreated {
		t.Fatalf("POST disbursement = %d %s", disb.StatusCode, disb.body)
	}
	var d apiFundTx
	json.Unmarshal([]byte(disb.body), &d)
	rev := office.call("POST", path, `{"kind":"disbursement","source":"district","amount_yuan":"-400000.00","date":"2021-08-20","reverses":`+strconv.FormatInt(d.ID, 10)+`,"note":"金额有误"}`)
	if rev.StatusCode != http.StatusCreated || !strings.Contains(rev.body, `"reverses":`+strconv.FormatInt(d.ID, 10)) {
		t.Fatalf("POST reversal = %d %s", rev.StatusCode, rev.body)
	}
	if r := office.call("POST", path, `{"kind":"disbursement","source":"district","amount_yuan":"-400000","date":"2021-08-21","reverses":`+strconv.FormatInt(d.ID, 10)+`}`); r.StatusCode != http.StatusConflict {
		t.Errorf("POST second reversal = %d %s, want 409", r.StatusCode, r.body)
	}
	if r := office.call("POST", path, `{"kind":"disbursement","source":"district","amount_yuan":"250000","date":"2021-08-25"}`); r.StatusCode != http.StatusCreated {
		t.Fatalf("POST disbursement = %d %s", r.StatusCode, r.body)
	}

	// The list, as of today and as of a day when the wrong disbursement stood.
	var list struct {
		Transactions []apiFundTx `json:"transactions"`
	}
	r := leader.call("GET", path, "")
	if err := json.Unmarshal([]byte(r.body), &list); r.StatusCode != 200 || err != nil || len(list.Transactions) != 4 {
		t.Fatalf("GET transactions = %d %s", r.StatusCode, r.body)
	}
	if list.Transactions[1].ReversedBy == nil || !strings.Contains(r.body, `"total":{"allocated_yuan":"1000000.50","disbursed_yuan":"250000.00"`) ||
		!strings.Contains(r.body, `"sources":{"district":{"allocated_yuan":"1000000.50"`) {
		t.Errorf("GET transactions = %s", r.body)
	}
	if !strings.Contains(r.body, `"disbursement_rate":0.25`) || !strings.Contains(r.body, `"spending_rate":0}`) {
		t.Errorf("GET transactions rates: %s", r.body)
	}
	r = leader.call("GET", path+"?as_of=2021-08-10", "")
	if !strings.Contains(r.body, `"disbursed_yuan":"400000.00"`) || !strings.Contains(r.body, `"as_of":"2021-08-10"`) {
		t.Errorf("GET transactions as of 08-10 = %s", r.body)
	}
	if r := leader.call("GET", path+"?as_of=2021-09-01", ""); r.StatusCode != 422 {
		t.Errorf("GET transactions as of a future day = %d, want 422", r.StatusCode)
	}

	// The project started on 2021-08-05: planned as of 08-04, started as of 08-10.
	actx := sqldb.WithFactTime(sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office"}), *e.clock)
	if _, err := e.db.AddProjectStep(actx, xiezuo.ProjectStep{ProjectID: ours.ID, Kind: xiezuo.StepStart, On: xiezuo.Date{Year: 2021, Month: 8, Day: 5}, Note: "开工"}); err != nil {
		t.Fatalf("AddProjectStep = %v", err)
	}
	before := leader.call("GET", "/api/v1/plans/"+url.PathEscape("门头沟区")+"/2021/projects?region="+url.QueryEscape("内蒙古武川县")+"&as_of=2021-08-04", "")
	if !strings.Contains(before.body, `"id":`+strconv.FormatInt(ours.ID, 10)+`,"status":"planned"`) {
		t.Errorf("GET projects as of 08-04: project %d not planned: %s", ours.ID, before.body)
	}
	// The project list carries id, status, disbursed_yuan and disbursement_rate.
	var pl struct {
		Projects []map[string]any `json:"projects"`
	}
	r = leader.call("GET", "/api/v1/plans/"+url.PathEscape("门头沟区")+"/2021/projects?region="+url.QueryEscape("内蒙古武川县")+"&as_of=2021-08-10", "")
	if err := json.Unmarshal([]byte(r.body), &pl); err != nil || len(pl.Projects) == 0 {
		t.Fatalf("GET projects = %d %s", r.StatusCode, r.body)
	}
	var seen bool
	for _, p := range pl.Projects {
		if p["id"] == float64(ours.ID) {
			seen = true
			if p["disbursed_yuan"] != "400000.00" || p["status"] != "started" || p["disbursement_rate"] != 0.4 {
				t.Errorf("project %d in the list as of 08-10 = %v", ours.ID, p)
			}
		} else if p["disbursement_rate"] != nil || p["disbursed_yuan"] != "0.00" {
			t.Errorf("a project with nothing allocated = %v, want rate null", p)
		}
	}
	if !seen {
		t.Errorf("project %d not in the list", ours.ID)
	}
}

func TestFundPages(t *testing.T) {
	e := newEnv(t)
	ours, other := wuchuanProject(t, e)
	cadre := e.signIn("wuchuan")
	page := "/projects/" + strconv.FormatInt(ours.ID, 10) + "?year=2021&district=" + url.QueryEscape("门头沟区")
	if body := cadre.get(page).body; !strings.Contains(body, "资金台账") || !strings.Contains(body, "登记资金往来") {
		t.Fatalf("project page of the cadre has no ledger form")
	}
	post := "/projects/" + strconv.FormatInt(ours.ID, 10) + "/transactions"
	clerk := e.signIn("office") // allocations are the office's
	r := clerk.post(post, url.Values{"kind": {"allocation"}, "source": {"social"}, "amount_yuan": {"500000"}, "date": {"2021-07-01"}, "note": {"社会捐赠"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST form = %d %s", r.StatusCode, r.body)
	}
	body := clerk.follow(r).body
	for _, want := range []string{"已登记社会帮扶资金下达 500000 元", "社会帮扶资金", "50", "社会捐赠", "冲销这笔 500000 元"} {
		if !strings.Contains(body, want) {
			t.Errorf("project page after the form lacks %q", want)
		}
	}
	r = cadre.post(post, url.Values{"kind": {"disbursement"}, "source": {"social"}, "amount_yuan": {"600000"}, "date": {"2021-07-02"}})
	if body := cadre.follow(r).body; !strings.Contains(body, "超过累计下达") {
		t.Errorf("a refused form shows no reason")
	}
	txs, _ := e.db.FundTxs(t.Context(), ours.ID)
	if len(txs) != 1 {
		t.Fatalf("stored %d entries, want 1", len(txs))
	}
	r = clerk.post(post, url.Values{"reverses": {strconv.FormatInt(txs[0].ID, 10)}, "kind": {"allocation"}, "source": {"social"}, "amount_yuan": {"-500000"}, "date": {"2021-08-28"}, "note": {"记错项目"}})
	if body := clerk.follow(r).body; !strings.Contains(body, "已冲销记录") || !strings.Contains(body, "已被") {
		t.Errorf("the reversal does not show")
	}
	// Others may read but not write.
	leader := e.signIn("leader")
	if body := leader.get(page).body; !strings.Contains(body, "资金台账") || strings.Contains(body, "登记资金往来") || strings.Contains(body, "冲销这笔") {
		t.Errorf("the leader's project page offers the form")
	}
	if r := leader.post(post, url.Values{"kind": {"allocation"}, "source": {"social"}, "amount_yuan": {"1"}, "date": {"2021-07-01"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("leader POST = %d, want 403", r.StatusCode)
	}
	if r := cadre.post("/projects/"+strconv.FormatInt(other.ID, 10)+"/transactions", url.Values{"kind": {"allocation"}, "source": {"social"}, "amount_yuan": {"1"}, "date": {"2021-07-01"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("cadre POST on another region's project = %d, want 403", r.StatusCode)
	}

	// The rollup page and its workbook.
	office := tokenOf(t, e, "office")
	path := "/api/v1/projects/" + strconv.FormatInt(ours.ID, 10) + "/transactions"
	office.call("POST", path, `{"kind":"allocation","source":"district","amount_yuan":"300000","date":"2021-07-01"}`)
	office.call("POST", path, `{"kind":"disbursement","source":"district","amount_yuan":"100000","date":"2021-08-01"}`)
	rollup := leader.get("/funds?year=2021&district=" + url.QueryEscape("门头沟区"))
	if rollup.StatusCode != 200 {
		t.Fatalf("GET /funds = %d %s", rollup.StatusCode, rollup.body)
	}
	for _, want := range []string{"资金拨付使用情况", "内蒙古武川县", "33.33%", "区级帮扶资金", "下载 Excel"} {
		if !strings.Contains(rollup.body, want) {
			t.Errorf("GET /funds lacks %q", want)
		}
	}
	asOf := leader.get("/funds?year=2021&district=" + url.QueryEscape("门头沟区") + "&as_of=2021-07-15")
	if strings.Contains(asOf.body, "33.33%") || !strings.Contains(asOf.body, "截至 2021-07-15") {
		t.Errorf("GET /funds as of 07-15 shows the disbursement of 08-01")
	}
	wb := leader.get("/funds?year=2021&district=" + url.QueryEscape("门头沟区") + "&format=xlsx&region=" + url.QueryEscape("内蒙古武川县"))
	if wb.StatusCode != 200 || !strings.Contains(wb.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET /funds?format=xlsx = %d %v", wb.StatusCode, wb.Header)
	}
	f, err := excelize.OpenReader(strings.NewReader(wb.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("资金拨付使用情况")
	if err != nil || len(rows) < 4 {
		t.Fatalf("workbook rows = %v, %v", rows, err)
	}
	if rows[1][0] != "项目分组" || rows[1][4] != "累计拨付（万元）" || !strings.HasPrefix(rows[2][0], "合计") || rows[2][3] != "30" || rows[2][4] != "10" {
		t.Errorf("workbook = %v", rows[:3])
	}
}

// TestCadreMoneyForm: the cadre pays money from the phone page (/cadre): the form is there,
// the payment is stored and the cadre is sent back to the phone page with the message; a
// payment above what was allocated comes back with its reason and stores nothing.
func TestCadreMoneyForm(t *testing.T) {
	e := newEnv(t)
	ours, _ := wuchuanProject(t, e)
	cadre := e.signIn("wuchuan")
	page := cadre.get("/cadre?year=2021&district=" + url.QueryEscape("门头沟区"))
	action := "/projects/" + strconv.FormatInt(ours.ID, 10) + "/transactions"
	if !strings.Contains(page.body, `action="`+action) || !strings.Contains(page.body, "登记拨付") {
		t.Fatalf("/cadre has no payment form for project %d", ours.ID)
	}
	alloc := url.Values{"kind": {"allocation"}, "source": {"district"}, "amount_yuan": {"300000"}, "date": {"2021-07-01"}}
	if r := e.signIn("office").post(action, alloc); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("allocation = %d %s", r.StatusCode, excerpt(r.body))
	}
	pay := url.Values{"from": {"cadre"}, "kind": {"disbursement"}, "source": {"district"}, "amount_yuan": {"200000"}, "date": {"2021-07-05"}, "note": {"首笔拨付"}}
	r := cadre.post(action, pay)
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/cadre?") {
		t.Fatalf("payment from /cadre = %d, Location %q; want 303 back to /cadre", r.StatusCode, loc)
	}
	if body := cadre.follow(r).body; !strings.Contains(body, "已登记区级帮扶资金拨付 200000 元") {
		t.Errorf("/cadre after the payment shows no message: %s", excerpt(body))
	}
	pay.Set("amount_yuan", "900000")
	if body := cadre.follow(cadre.post(action, pay)).body; !strings.Contains(body, "超过累计下达") {
		t.Errorf("a payment above the allocation shows no reason on /cadre")
	}
	if txs, _ := e.db.FundTxs(t.Context(), ours.ID); len(txs) != 2 {
		t.Errorf("stored %d entries, want 2 (allocation and the first payment)", len(txs))
	}
}

// TestProjectLedgerAsOf: the project page as of a past day lists and sums only the money
// dated by then, says so, and offers no form.
func TestProjectLedgerAsOf(t *testing.T) {
	e := newEnv(t)
	ours, _ := wuchuanProject(t, e)
	office := e.signIn("office")
	post := "/projects/" + strconv.FormatInt(ours.ID, 10) + "/transactions"
	for _, f := range []url.Values{
		{"kind": {"allocation"}, "source": {"district"}, "amount_yuan": {"100000"}, "date": {"2021-07-01"}},
		{"kind": {"allocation"}, "source": {"district"}, "amount_yuan": {"20000"}, "date": {"2021-08-10"}},
	} {
		if r := office.post(post, f); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %v = %d %s", f, r.StatusCode, excerpt(r.body))
		}
	}
	page := "/projects/" + strconv.FormatInt(ours.ID, 10) + "?year=2021&district=" + url.QueryEscape("门头沟区")
	past := office.get(page + "&as_of=2021-07-15").body
	i := strings.Index(past, `id="funds"`)
	if i < 0 {
		t.Fatal("no funds section")
	}
	section := past[i:min(len(past), i+6000)]
	if !strings.Contains(section, "截至 2021-07-15") || !strings.Contains(section, ">10<") || strings.Contains(section, "2021-08-10") || strings.Contains(section, "登记资金往来") || strings.Contains(section, "冲销这笔") {
		t.Errorf("the ledger as of 2021-07-15 should show 10 万元, no August entry and no form: %s", excerpt(section))
	}
	if now := office.get(page).body; !strings.Contains(now, ">12<") || !strings.Contains(now, "2021-08-10") {
		t.Errorf("the ledger today should show 12 万元 and the August entry")
	}
}
