package web

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

// storeYear stores the 2021 plan again as year's.
func storeYear(t *testing.T, e *env, year int) {
	t.Helper()
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v", err)
	}
	p := res.Plan
	p.Year = year
	content := append([]byte(strings.Repeat(" ", year-2020)), sample.Plan2021...)
	sum := sha256.Sum256(content)
	p.Source.SHA256 = hex.EncodeToString(sum[:])
	if _, err := e.db.ImportPlan(t.Context(), p, content); err != nil {
		t.Fatalf("ImportPlan(%d) = %v", year, err)
	}
}

// newIndicator is a valid form of a new indicator for 2021.
func newIndicator() url.Values {
	return url.Values{"code": {"zzld-99"}, "name": {"联席会议次数"}, "dimension": {"组织领导"},
		"requirement": {"每季度召开一次联席会议"}, "formula": {`count(meetings where kind = "联席会议")`},
		"compare": {">="}, "target": {"4"}, "unit": {"次"}, "from": {"2021-01-01"}, "due": {"2021-12-31"},
		"per": {""}, "units": {"领导小组办公室"}, "missing": {"zero"}, "evidence": {"会议纪要"}, "reason": {"按考核细则增加"}}
}

// TestIndicatorForms checks the editor's pages and forms: who may open them, a refusal shown
// beside its field with what was typed (422), a save redirected with its message, an unknown
// code not found.
func TestIndicatorForms(t *testing.T) {
	e := newEnv(t)
	q := "?year=2021&district=" + mtg
	office := e.signIn("office")
	r := office.get("/indicators" + q)
	body := html.UnescapeString(r.body)
	if r.StatusCode != http.StatusOK || !strings.Contains(body, "<h1>考核指标") || !strings.Contains(body, `count(meetings where kind = "联席会议")`) ||
		!strings.Contains(body, `share(sum(purchases.partner), sum(purchases.base))`) || !strings.Contains(body, `count(projects where category = "产业合作类" and started = "是")`) {
		t.Errorf("GET /indicators = %d:\n%s", r.StatusCode, excerpt(r.body))
	}
	if r := e.signIn("caizheng").get("/indicators" + q); r.StatusCode != http.StatusForbidden {
		t.Errorf("GET /indicators as a unit = %d, want 403", r.StatusCode)
	}
	if r := office.get("/indicators/new" + q); r.StatusCode != http.StatusOK || !strings.Contains(r.body, `name="formula"`) || !strings.Contains(r.body, `value="2021-10-31"`) {
		t.Errorf("GET /indicators/new = %d", r.StatusCode)
	}
	for _, tc := range []struct {
		name, field, value, msg string
	}{
		{"bad date", "due", "2021-13-01", "“截止日期”：2021-13-01 不是日期，应写作 2021-10-31"},
		{"other year", "from", "2020-12-01", "“统计起始日”：2020-12-01 不在 2021 年内"},
		{"target", "target", "六", "“目标值”：“六”不是数字"},
		{"no reason", "reason", "", "“修改理由”：必须填写（记入审计日志）"},
	} {
		form := newIndicator()
		form.Set(tc.field, tc.value)
		r := office.post("/indicators"+q, form)
		page := html.UnescapeString(r.body)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: POST /indicators = %d, want 422", tc.name, r.StatusCode)
			continue
		}
		if !strings.Contains(page, `data-field="`+tc.field+`">`+tc.msg+`</span>`) {
			t.Errorf("%s: the form does not show %q beside %s:\n%s", tc.name, tc.msg, tc.field, excerpt(r.body))
		}
		// What was typed comes back.
		for _, typed := range []string{`value="联席会议次数"`, `value="zzld-99"`, `value="` + tc.value + `"`, "每季度召开一次联席会议"} {
			if tc.value == "" && typed == `value=""` {
				continue
			}
			if !strings.Contains(page, typed) {
				t.Errorf("%s: the form lost %s", tc.name, typed)
			}
		}
	}
	// The form's default rule for a value not reported (显示为未报送, "") saves; the prior-year
	// box has its label and says how to give the previous year's figure.
	if r := office.get("/indicators/new" + q); !strings.Contains(r.body, `<label for="target_prior">目标不低于上年</label>`) ||
		!strings.Contains(html.UnescapeString(r.body), "上年计划未录入本系统的，请在“目标值”中填写上年完成数") {
		t.Errorf("the prior-year box lacks its label or help:\n%s", excerpt(r.body))
	}
	dflt := newIndicator()
	dflt.Set("code", "zzld-98")
	dflt.Set("missing", "")
	if r := office.post("/indicators"+q, dflt); r.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /indicators with 未报送时 “显示为未报送” = %d, want 303:\n%s", r.StatusCode, excerpt(r.body))
	}
	prior := newIndicator()
	prior.Set("code", "zzld-97")
	prior.Set("target_prior", "1")
	prior.Set("target", "1200")
	if r := office.post("/indicators"+q, prior); r.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /indicators 不低于上年 with the previous year's figure = %d, want 303:\n%s", r.StatusCode, excerpt(r.body))
	}
	r = office.post("/indicators"+q, newIndicator())
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/indicators?") {
		t.Fatalf("POST /indicators = %d %s, want 303 to /indicators", r.StatusCode, loc)
	} else if page := office.get(loc); !strings.Contains(page.body, "已新增考核指标“联席会议次数”") {
		t.Errorf("after saving, /indicators does not say so:\n%s", excerpt(page.body))
	}
	if r := office.get("/indicators/nosuch/edit" + q); r.StatusCode != http.StatusNotFound || !strings.Contains(r.body, "没有编号为“nosuch”的考核指标") {
		t.Errorf("GET /indicators/nosuch/edit = %d", r.StatusCode)
	}
	if r := office.post("/indicators/nosuch/withdraw"+q, url.Values{"reason": {"重复"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("POST /indicators/nosuch/withdraw = %d, want 404", r.StatusCode)
	}
	if r := office.post("/indicators/copy"+q, url.Values{"from": {"2021"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("POST /indicators/copy from the same year = %d, want 400", r.StatusCode)
	}

	// The form of the stored indicator.
	if _, err := e.srv.findIndicatorIn(t, "门头沟区", 2021, "zzld-99"); err != nil {
		t.Fatalf("the indicator saved is not in the set: %v", err)
	} else {
		r := office.get("/indicators/zzld-99/edit" + q)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, `value="联席会议次数"`) {
			t.Errorf("GET /indicators/zzld-99/edit = %d", r.StatusCode)
		}
		form := newIndicator()
		form.Set("due", "2021-02-30")
		if r := office.post("/indicators/zzld-99"+q, form); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.body), "2021-02-30 不是日期") {
			t.Errorf("POST /indicators/zzld-99 with a bad date = %d", r.StatusCode)
		}
		if r := office.post("/indicators/zzld-99/withdraw"+q, url.Values{"reason": {" "}}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("withdraw without a reason = %d, want 422", r.StatusCode)
		}
	}
}

// findIndicatorIn is the indicator of code in a year's set now, for tests.
func (s *Server) findIndicatorIn(t *testing.T, district string, year int, code string) (xiezuo.Indicator, error) {
	set, err := s.db.IndicatorSet(t.Context(), district, year, s.cfg.Now())
	if err != nil {
		return xiezuo.Indicator{}, err
	}
	for _, in := range set {
		if in.Code == code {
			return in, nil
		}
	}
	return xiezuo.Indicator{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "no %s", code)
}

// TestIndicatorsChangeScorecard is "changing a target or adding an indicator for 2022 in the
// web page changes the scorecard without a deploy", end to end: a 2022 plan, its set started
// from 2021's, an indicator added, a target changed, each seen on /scorecard?year=2022.
func TestIndicatorsChangeScorecard(t *testing.T) {
	e := newEnv(t)
	storeYear(t, e, 2022)
	q := "?year=2022&district=" + mtg
	office := e.signIn("office")
	r := office.get("/indicators" + q)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "2022年") {
		t.Fatalf("GET /indicators?year=2022 = %d", r.StatusCode)
	}
	if !strings.Contains(r.body, "以 2021 年指标为基础") {
		t.Errorf("/indicators?year=2022 does not offer 2021's set:\n%s", excerpt(r.body))
	}
	if r := office.post("/indicators/copy"+q, url.Values{"from": {"2021"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /indicators/copy = %d %s", r.StatusCode, excerpt(r.body))
	}
	if card := office.get("/scorecard" + q); !strings.Contains(card.body, "联席会议") {
		t.Errorf("the 2022 scorecard lacks the indicators copied from 2021")
	}
	form := newIndicator()
	form.Set("code", "zzld-2022")
	form.Set("name", "二〇二二年联席会议")
	form.Set("from", "2022-01-01")
	form.Set("due", "2022-12-31")
	if r := office.post("/indicators"+q, form); r.StatusCode != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "year=2022") {
		t.Fatalf("POST /indicators (2022) = %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	card := office.get("/scorecard" + q)
	if card.StatusCode != http.StatusOK {
		t.Fatalf("GET /scorecard?year=2022 = %d", card.StatusCode)
	}
	if _, err := e.srv.findIndicatorIn(t, "门头沟区", 2022, "zzld-2022"); err != nil {
		t.Fatalf("the 2022 indicator added is not in the set: %v", err)
	}
	if !strings.Contains(card.body, "二〇二二年联席会议") || !strings.Contains(card.body, "不少于 4 次") {
		t.Errorf("the 2022 scorecard lacks the indicator added:\n%s", excerpt(card.body))
	}
	form.Set("target", "6")
	form.Set("reason", "目标提高")
	if r := office.post("/indicators/zzld-2022"+q, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /indicators/zzld-2022 = %d", r.StatusCode)
	}
	if card := office.get("/scorecard" + q); !strings.Contains(card.body, "不少于 6 次") {
		t.Errorf("the 2022 scorecard does not show the changed target")
	}
	if r := office.post("/indicators/zzld-2022/withdraw"+q, url.Values{"reason": {"与 zzld-01 重复"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw = %d", r.StatusCode)
	}
	if card := office.get("/scorecard" + q); strings.Contains(card.body, "二〇二二年联席会议") {
		t.Errorf("the 2022 scorecard still shows the withdrawn indicator")
	}
}
