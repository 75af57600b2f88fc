package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestCityFundsPage checks the city's funds rollup (the rows of several districts and years are
// TestRollupFundsCity's; the test server holds one plan): the city office reads every district, a
// district's office its own, others may not open it; as of a date; and its workbook.
func TestCityFundsPage(t *testing.T) {
	e := newEnv(t)
	office := tokenOf(t, e, "office")
	ours, _ := wuchuanProject(t, e)
	path := "/api/v1/projects/" + strconv.FormatInt(ours.ID, 10) + "/transactions"
	office.call("POST", path, `{"kind":"allocation","source":"district","amount_yuan":"300000","date":"2021-07-01"}`)
	office.call("POST", path, `{"kind":"disbursement","source":"district","amount_yuan":"100000","date":"2021-08-01"}`)

	city := e.signIn("city")
	r := city.get("/funds/city")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("city GET /funds/city = %d %s", r.StatusCode, r.body)
	}
	for _, want := range []string{"全市资金拨付使用情况", "合计（", "内蒙古武川县（", "1 个区县", "33.33%", "下载 Excel"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("city GET /funds/city lacks %q", want)
		}
	}
	if asOf := city.get("/funds/city?as_of=2021-07-15"); strings.Contains(asOf.body, "33.33%") || !strings.Contains(asOf.body, "截至 2021-07-15") {
		t.Errorf("GET /funds/city as of 07-15 shows the disbursement of 08-01")
	}
	if r := e.signIn("office").get("/funds/city"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "门头沟区资金拨付使用情况") || !strings.Contains(r.body, "33.33%") {
		t.Errorf("office GET /funds/city = %d, want its district's rollup", r.StatusCode)
	}
	if r := e.signIn("leader").get("/funds/city"); r.StatusCode != http.StatusForbidden {
		t.Errorf("leader GET /funds/city = %d, want 403", r.StatusCode)
	}
	wb := city.get("/funds/city?format=xlsx&region=" + url.QueryEscape("内蒙古武川县"))
	if wb.StatusCode != http.StatusOK || !strings.Contains(wb.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("GET /funds/city?format=xlsx = %d %v", wb.StatusCode, wb.Header)
	}
	f, err := excelize.OpenReader(strings.NewReader(wb.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("资金拨付使用情况")
	if err != nil || len(rows) < 4 || !strings.HasPrefix(rows[2][0], "合计") || rows[2][3] != "30" || rows[2][4] != "10" {
		t.Errorf("workbook rows = %v, %v", rows, err)
	}
}
