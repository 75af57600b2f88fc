package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

// The readers of what API clients and offices send: the JSON bodies of the report,
// transaction and register APIs, and a register's workbook. They must never panic or answer
// 5xx, and every refusal is the API's error shape with a Chinese message. bench/fuzz.sh runs
// these for minutes.

func chinese(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// FuzzAPIBodies posts bodies to the report, transaction and register APIs of a server over a
// real SQLite, each with a key of its own: the answer is 2xx or a refusal with the usual
// status and {"error": {"code", "message"}} in Chinese; never a 5xx.
func FuzzAPIBodies(f *testing.F) {
	e := newEnvTB(f)
	p, err := e.db.LoadPlan(f.Context(), "门头沟区", 2021)
	if err != nil {
		f.Fatal(err)
	}
	var duty xiezuo.DutyKey
	var project int64
	for _, x := range p.Tasks {
		if x.Number == 13 {
			duty = xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: x.ID}
		}
	}
	for _, pr := range p.Projects {
		if pr.Region == "内蒙古武川县" && project == 0 {
			project = pr.ID
		}
	}
	token := func(user string) string {
		tok := "xz_fuzz_" + user + "_token_0123456789abcdef"
		if _, err := e.db.CreateAPIToken(f.Context(), e.users[user].ID, "fuzz", apiTokenHash(tok), *e.clock, e.clock.AddDate(0, 0, 30)); err != nil {
			f.Fatal(err)
		}
		return tok
	}
	targets := []struct{ path, token string }{
		{"/api/v1/duties/" + duty.String() + "/reports", token("caizheng")},
		{"/api/v1/projects/" + strconv.FormatInt(project, 10) + "/transactions", token("office")},
		{"/api/v1/registers/donations", ""},
		{"/api/v1/registers/meetings", ""},
	}
	targets[2].token, targets[3].token = targets[1].token, targets[1].token
	f.Add(uint8(0), `{"text": "已下达帮扶资金 1200 万元。", "percent": 60, "figures": {"资金": "12.5"}}`)
	f.Add(uint8(0), `{"text": "", "percent": 101, "figures": {"a": [1]}}`)
	f.Add(uint8(1), `{"kind":"allocation","source":"district","amount_yuan":"1000000.50","date":"2021-07-01","note":"区财政下达"}`)
	f.Add(uint8(1), `{"kind":"disbursement","source":"district","amount_yuan":"-0.001","date":"2031-07-01","reverses":-1}`)
	f.Add(uint8(2), `{"values":{"donor":"某某公司","donor_kind":"企业","region":"武川县","date":"2021-05-01","money":"123456.78","unit":"区工商联"}}`)
	f.Add(uint8(3), `{"values":{"date":"2021/6/30","title":"协调会","unit":"区财政局"},"extra":1}`)
	f.Add(uint8(2), `[]`)
	f.Add(uint8(1), `{"kind":1e999}`)
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		tg := targets[int(which)%len(targets)]
		req, _ := http.NewRequest("POST", e.ts.URL+tg.path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tg.token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("fuzz-%d", n.Add(1)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", tg.path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return
		}
		switch resp.StatusCode {
		case 400, 403, 404, 409, 413, 422, 429: // 429: the fuzzer outruns the per-user API limit, answered in words
		default:
			t.Fatalf("POST %s %q = %d %s", tg.path, body, resp.StatusCode, b)
		}
		var ae struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if err := json.Unmarshal(b, &ae); err != nil || ae.Error.Code == "" || !chinese(ae.Error.Message) {
			t.Errorf("POST %s %q = %d %s: not the API's error in Chinese", tg.path, body, resp.StatusCode, b)
		}
	})
}

// FuzzRegisterWorkbook feeds a register's import damaged workbooks: it must never panic, a
// workbook it cannot read is EINVALID in Chinese, every problem is Chinese, and a workbook
// without problems stores as many entries as it counts new and corrected rows.
func FuzzRegisterWorkbook(f *testing.F) {
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		f.Fatalf("parse sample: %v", err)
	}
	p := res.Plan
	office := &xiezuo.User{Username: "office", Name: "王办公", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}}
	today := xiezuo.Date{Year: 2021, Month: 8, Day: 28}
	kinds := []xiezuo.RegisterKind{xiezuo.RegMeeting, xiezuo.RegVisit}
	for i, k := range kinds {
		spec, _ := xiezuo.RegisterSpecOf(k)
		data, err := registerSheet(spec, p, nil, true)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), data)
	}
	f.Add(uint8(0), []byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		spec, _ := xiezuo.RegisterSpecOf(kinds[int(which)%len(kinds)])
		r, problems, err := readRegisterWorkbook(data, spec, p, office, "门头沟区", today, nil, "")
		if err != nil {
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !chinese(xiezuo.ErrorMessage(err)) {
				t.Errorf("readRegisterWorkbook = %v, want EINVALID in Chinese", err)
			}
			return
		}
		for _, pr := range problems {
			if !chinese(pr) {
				t.Errorf("problem %q is not Chinese", pr)
			}
		}
		if len(problems) == 0 && r.New+r.Corrected != len(r.Entries) {
			t.Errorf("%d new and %d corrected rows, %d entries to store", r.New, r.Corrected, len(r.Entries))
		}
	})
}
