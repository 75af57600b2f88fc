package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestRegisterTeamLeadTeams: a team lead (区人力社保局, 劳务协作专班) is offered only its team and
// may not fill another team's quota: the form keeps what was typed and says why (422); the
// office picks any team (browser review finding 5).
func TestRegisterTeamLeadTeams(t *testing.T) {
	e := newEnv(t)
	rs := e.signIn("renshe")
	form := rs.get("/registers/articles/new")
	if !strings.Contains(form.body, `<option>劳务协作专班</option>`) || strings.Contains(form.body, `<option>教育帮扶专班</option>`) {
		t.Errorf("the team lead's team select: %s", excerpt(form.body))
	}
	article := url.Values{"kind": {"典型案例"}, "title": {"劳务协作典型案例"}, "team": {"教育帮扶专班"}, "date": {"2021-08-01"}}
	id, resp := postEntry(t, rs, "articles", article)
	if id != 0 || resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "区人力社保局牵头的是劳务协作专班") ||
		!strings.Contains(resp.body, `value="劳务协作典型案例"`) {
		t.Errorf("team lead records for another team = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	article.Set("team", "劳务协作专班")
	if id, resp := postEntry(t, rs, "articles", article); id == 0 {
		t.Errorf("team lead records for its team = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	office := e.signIn("office")
	article.Set("team", "教育帮扶专班")
	article.Set("unit", "区教委")
	article.Del("csrf") // renshe's, set by its posts
	if id, resp := postEntry(t, office, "articles", article); id == 0 {
		t.Errorf("office records for any team = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	api := tokenOf(t, e, "renshe").call("POST", "/api/v1/registers/articles",
		`{"values":{"kind":"典型案例","title":"案例","team":"教育帮扶专班","date":"2021-08-01"}}`)
	if api.StatusCode != http.StatusForbidden || !strings.Contains(api.body, "牵头的是劳务协作专班") {
		t.Errorf("API: team lead records for another team = %d: %s", api.StatusCode, api.body)
	}
}

// TestRegisterCadreRegion: the cadre's forms ask its region (required, only its regions) and fix
// its unit; a meeting without a region comes back in the form with a sentence that reads
// (422), not a 403 page losing what was typed (browser review findings 7 and 17).
func TestRegisterCadreRegion(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("wuchuan")
	for _, kind := range []string{"meetings", "trainings", "visits"} {
		form := c.get("/registers/" + kind + "/new")
		if !strings.Contains(form.body, `<select id="f-region" name="region" required><option value="">请选择</option><option>内蒙古武川县</option></select>`) {
			t.Errorf("%s: the cadre's region select: %s", kind, excerpt(form.body))
		}
		if !strings.Contains(form.body, `<select id="f-unit" name="unit" required><option selected>前方挂职干部</option></select>`) {
			t.Errorf("%s: the cadre's unit is not fixed: %s", kind, excerpt(form.body))
		}
	}
	meeting := url.Values{"kind": {"联席会议"}, "date": {"2021-08-20"}, "title": {"前方联席会议"}, "chair": {"陈干部"}, "unit": {"前方挂职干部"}}
	id, resp := postEntry(t, c, "meetings", meeting)
	if id != 0 || resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "这条“会议”记录没有填写“协作地区”") ||
		!strings.Contains(resp.body, `value="前方联席会议"`) {
		t.Errorf("cadre's meeting without a region = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	meeting.Set("region", "神农架林区")
	if _, resp := postEntry(t, c, "meetings", meeting); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.body, "这条“会议”记录的协作地区是神农架林区，您负责的地区是内蒙古武川县") {
		t.Errorf("cadre's meeting of another region = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	meeting.Set("region", "内蒙古武川县")
	meeting.Set("unit", "区教委")
	if _, resp := postEntry(t, c, "meetings", meeting); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "承办单位应为前方挂职干部") {
		t.Errorf("cadre's meeting for another unit = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	meeting.Set("unit", "前方挂职干部")
	if id, resp := postEntry(t, c, "meetings", meeting); id == 0 {
		t.Errorf("cadre's meeting = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
}

// TestRegisterOfficeUnits: the office chooses any unit on every form; a unit's user its own
// (browser review finding 17).
func TestRegisterOfficeUnits(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	for _, kind := range []string{"purchases", "meetings", "articles"} {
		form := office.get("/registers/" + kind + "/new")
		if !strings.Contains(form.body, `<option>区财政局</option>`) || !strings.Contains(form.body, `<option>区教委</option>`) {
			t.Errorf("%s: the office's unit select lacks units: %s", kind, excerpt(form.body))
		}
	}
	cz := e.signIn("caizheng")
	if form := cz.get("/registers/purchases/new"); !strings.Contains(form.body, `<select id="f-unit" name="unit" required><option selected>区财政局</option></select>`) {
		t.Errorf("the unit's purchase form: %s", excerpt(form.body))
	}
}

// TestRegisterWithdrawReason: a withdrawal without a reason comes back with the message under
// 撤销原因 in the open withdrawal panel (browser review finding 19).
func TestRegisterWithdrawReason(t *testing.T) {
	e := newEnv(t)
	id := registerFixture(t, e)
	office := e.signIn("office")
	path := "/registers/meetings/" + strconv.FormatInt(id, 10)
	resp := office.post(path+"/withdraw", url.Values{"reason": {" "}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("withdrawal without a reason = %d", resp.StatusCode)
	}
	if !strings.Contains(resp.body, `<details class="noprint" id="withdraw" open>`) || strings.Contains(resp.body, `id="correct" open`) {
		t.Errorf("the withdrawal panel is not the one open: %s", excerpt(resp.body))
	}
	i := strings.Index(resp.body, `id="withdraw"`)
	if i < 0 || !strings.Contains(resp.body[i:], "请填写撤销的原因") {
		t.Errorf("the message is not under 撤销原因: %s", excerpt(resp.body))
	}
}
