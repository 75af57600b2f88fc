package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
)

// TestPeriodsFreezeChain walks the freeze on the pages: a unit reports in July, the office
// freezes July (only once it ticked the confirmation), the unit's new version and the office's
// review are refused and change nothing, the unit asks for an exception (not another unit, not
// without a reason), the office grants it with a reason, the unit's version then goes through;
// the page shows the snapshot, the exception and, as of a day before the freeze, July open.
func TestPeriodsFreezeChain(t *testing.T) {
	e := newEnv(t)
	key := dutyOf(t, e, xiezuo.DutyTask, 13) // led by 区财政局
	office, caizheng, renshe, leader := e.signIn("office"), e.signIn("caizheng"), e.signIn("renshe"), e.signIn("leader")
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	set := func(s string) {
		at, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		*e.clock = at
	}
	countRows := func(table string) int {
		var n int
		reps, err := e.db.DutyReports(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reps {
			if table == "versions" {
				n += len(r.Versions)
			} else {
				n += len(r.Reviews)
			}
		}
		return n
	}

	set("2021-07-20 10:00")
	resp := caizheng.post("/duties/"+key.String()+"/reports", url.Values{"text": {"7月已下达帮扶资金。"}, "action": {"submit"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit report = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	reps, _ := e.db.DutyReports(t.Context(), key)
	if len(reps) != 1 {
		t.Fatalf("reports on %s = %d, want 1", key, len(reps))
	}
	rep := reps[0]
	set("2021-07-22 10:00")
	if resp := office.post("/reports/"+strconv.FormatInt(rep.ID, 10)+"/review", url.Values{"version": {"1"}, "decision": {"return"}, "comment": {"请附拨付凭证"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return report = %d: %s", resp.StatusCode, excerpt(resp.body))
	}

	// Freezing needs the confirmation.
	set("2021-08-02 09:00")
	resp = office.post("/periods/freeze"+q, url.Values{"period": {"2021-07"}, "note": {"7月快照"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(office.follow(resp).body, "请勾选") {
		t.Errorf("freeze without confirmation = %d, want a redirect saying to tick it", resp.StatusCode)
	}
	if fs, _ := e.db.Freezes(t.Context(), "门头沟区", 2021); len(fs) != 0 {
		t.Fatalf("freeze without confirmation stored %v", fs)
	}
	if resp := caizheng.post("/periods/freeze"+q, url.Values{"period": {"2021-07"}, "confirm": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("freeze by a unit = %d, want 403", resp.StatusCode)
	}
	resp = office.post("/periods/freeze"+q, url.Values{"period": {"2021-07"}, "note": {"7月快照"}, "confirm": {"1"}})
	page := office.follow(resp).body
	if !strings.Contains(page, "2021年7月已封存：快照含报告 1 份、版本 1 个、审核 1 次") {
		t.Errorf("freeze answer lacks the snapshot:\n%s", excerpt(page))
	}
	page = office.get("/periods" + q).body
	if !strings.Contains(page, "已封存") || !strings.Contains(page, "数据与封存时一致") || !strings.Contains(page, "7月快照") {
		t.Errorf("/periods lacks the frozen July:\n%s", page)
	}
	if text := noticeText(page); !strings.Contains(text, "由 王办公（领导小组办公室）") || strings.Contains(text, "由 office") {
		t.Errorf("/periods names the freezer by login name, want 王办公（领导小组办公室）:\n%s", text)
	}

	// Refused: the unit's new version and the office's review; nothing stored.
	versions, reviews := countRows("versions"), countRows("reviews")
	set("2021-08-03 09:00")
	resp = caizheng.post("/duties/"+key.String()+"/reports", url.Values{"text": {"7月已下达帮扶资金，附凭证。"}, "action": {"submit"}, "report_id": {strconv.FormatInt(rep.ID, 10)}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(resp.body, "2021年7月已封存，如需修改请申请例外") ||
		!strings.Contains(resp.body, `href="/duties/`+key.String()+`/exception"`) {
		t.Errorf("new version into frozen July = %d, want 409 with the reason:\n%s", resp.StatusCode, excerpt(resp.body))
	}
	if countRows("versions") != versions || countRows("reviews") != reviews {
		t.Errorf("a refused write changed the report")
	}

	// The exception: only a unit answering for the duty asks, on its own reports; a reason is
	// required.
	path := "/duties/" + key.String() + "/exception"
	if resp := leader.post(path, url.Values{"report": {strconv.FormatInt(rep.ID, 10)}, "reason": {"代为申请"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("exception asked by the leader = %d, want 403", resp.StatusCode)
	}
	if resp := renshe.post(path, url.Values{"report": {strconv.FormatInt(rep.ID, 10)}, "reason": {"代为申请"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(resp.body, "没有本单位在该事项上的第 "+strconv.FormatInt(rep.ID, 10)+" 号报告") {
		t.Errorf("exception on another unit's report = %d, want 422 naming it:\n%s", resp.StatusCode, excerpt(resp.body))
	}
	if form := caizheng.get(path); form.StatusCode != http.StatusOK || !strings.Contains(form.body, "报告 "+strconv.FormatInt(rep.ID, 10)+"（2021年7月，已封存）") {
		t.Errorf("exception form = %d, lacks the frozen report:\n%s", form.StatusCode, form.body)
	}
	resp = caizheng.post(path, url.Values{"report": {strconv.FormatInt(rep.ID, 10)}, "reason": {"  "}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "请填写申请理由") {
		t.Errorf("exception without a reason = %d:\n%s", resp.StatusCode, excerpt(resp.body))
	}
	if xs, _ := e.db.FreezeExceptions(t.Context(), "门头沟区", 2021); len(xs) != 0 {
		t.Fatalf("a refused request stored %v", xs)
	}
	resp = caizheng.post(path, url.Values{"report": {strconv.FormatInt(rep.ID, 10)}, "reason": {"补充拨付凭证"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(caizheng.follow(resp).body, "例外申请，等待办公室审批") {
		t.Fatalf("exception request = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	xs, _ := e.db.FreezeExceptions(t.Context(), "门头沟区", 2021)
	if len(xs) != 1 || xs[0].Period.String() != "2021-07" || xs[0].ReportID != rep.ID {
		t.Fatalf("stored exceptions = %+v, want one on report %d in 2021-07", xs, rep.ID)
	}
	id := strconv.FormatInt(xs[0].ID, 10)
	if page := office.get("/periods" + q).body; !strings.Contains(page, "待审批 1 件") || !strings.Contains(page, "补充拨付凭证") {
		t.Errorf("/periods lacks the pending request:\n%s", page)
	}
	if text := noticeText(office.get("/periods" + q).body); !strings.Contains(text, "李财政（区财政局）") || strings.Contains(text, "caizheng") {
		t.Errorf("/periods names the requester by login name, want 李财政（区财政局）:\n%s", text)
	}

	// The office grants it, with a reason; the unit's version goes through.
	resp = office.post("/exceptions/"+id+"/grant"+q, url.Values{"reason": {""}})
	if !strings.Contains(office.follow(resp).body, "请填写审批意见") {
		t.Errorf("grant without a reason did not say so")
	}
	resp = office.post("/exceptions/"+id+"/grant"+q, url.Values{"reason": {"同意补充"}})
	if !strings.Contains(office.follow(resp).body, "已准许第 "+id+" 号例外申请") {
		t.Errorf("grant did not say so")
	}
	set("2021-08-04 09:00")
	resp = caizheng.post("/duties/"+key.String()+"/reports", url.Values{"text": {"7月已下达帮扶资金，附凭证。"}, "action": {"submit"}, "report_id": {strconv.FormatInt(rep.ID, 10)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("new version under the exception = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	if countRows("versions") != versions+1 {
		t.Errorf("versions = %d, want %d", countRows("versions"), versions+1)
	}
	page = office.get("/periods" + q).body
	if !strings.Contains(page, "已据此修改 1 次") || !strings.Contains(page, "封存后有经例外准许的修改") {
		t.Errorf("/periods does not show the use and the changed snapshot:\n%s", page)
	}
	// As of 1 August, July was open and nothing was asked.
	page = office.get("/periods" + q + "&as_of=2021-08-01").body
	row := regexp.MustCompile(`(?s)<tr id="2021-07">.*?</tr>`).FindString(page)
	if !strings.Contains(row, "开放") || strings.Contains(page, "补充拨付凭证") {
		t.Errorf("/periods as of 2021-08-01: July row %q, want 开放 and no request", row)
	}
	// Unfreezing needs a reason.
	resp = office.post("/periods/unfreeze"+q, url.Values{"period": {"2021-07"}, "reason": {""}})
	if !strings.Contains(office.follow(resp).body, "请填写解除封存的理由") {
		t.Errorf("unfreeze without a reason did not say so")
	}
	resp = office.post("/periods/unfreeze"+q, url.Values{"period": {"2021-07"}, "reason": {"考核组要求重新核对"}})
	if !strings.Contains(office.follow(resp).body, "2021年7月已解除封存") {
		t.Errorf("unfreeze did not say so")
	}
}

// TestExceptionBoundToUnit is the attack A-F5: a duty-wide exception asked by one unit and
// granted by the office opens that unit's reports only. Another unit on the same duty still
// cannot write a new version of its own frozen report (through the API, 409, nothing stored);
// the unit that asked can, and the office's review of that version goes through. A request on
// a period that is not frozen as a whole (the year, when only July is) is refused.
func TestExceptionBoundToUnit(t *testing.T) {
	e := newEnv(t)
	key := dutyOf(t, e, xiezuo.DutyTask, 13) // led by 区财政局, 区人力社保局 cooperating
	office, caizheng := e.signIn("office"), e.signIn("caizheng")
	caizhengAPI, rensheAPI := tokenOf(t, e, "caizheng"), tokenOf(t, e, "renshe")
	path := "/api/v1/duties/" + key.String() + "/reports"
	set := func(s string) {
		at, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		*e.clock = at
	}
	idOf := func(r response) string {
		t.Helper()
		m := regexp.MustCompile(`"id":\s*(\d+)`).FindStringSubmatch(r.body)
		if r.StatusCode != http.StatusCreated || m == nil {
			t.Fatalf("submit = %d: %s", r.StatusCode, r.body)
		}
		return m[1]
	}

	set("2021-07-20 10:00")
	mine := idOf(caizhengAPI.call("POST", path, `{"text": "7月已下达帮扶资金。"}`))
	theirs := idOf(rensheAPI.call("POST", path, `{"text": "7月已培训 30 人。"}`))
	// Both returned for more, before the freeze: each unit may then write a new version.
	set("2021-07-22 10:00")
	for _, rv := range []struct {
		c  *client
		id string
	}{{office, mine}, {caizheng, theirs}} {
		if resp := rv.c.post("/reports/"+rv.id+"/review", url.Values{"version": {"1"}, "decision": {"return"}, "comment": {"请补充"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("return report %s = %d: %s", rv.id, resp.StatusCode, excerpt(resp.body))
		}
	}
	set("2021-08-02 09:00")
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	if resp := office.post("/periods/freeze"+q, url.Values{"period": {"2021-07"}, "note": {"7月快照"}, "confirm": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("freeze = %d", resp.StatusCode)
	}

	// The whole year is not frozen: a request on it is refused, nothing stored.
	exc := "/duties/" + key.String() + "/exception"
	resp := caizheng.post(exc, url.Values{"report": {"0"}, "period": {"2021"}, "reason": {"更正全年数据"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "2021年全年未整体封存") {
		t.Errorf("exception on the whole year = %d, want 422 saying it is not frozen as a whole:\n%s", resp.StatusCode, excerpt(resp.body))
	}
	if xs, _ := e.db.FreezeExceptions(t.Context(), "门头沟区", 2021); len(xs) != 0 {
		t.Fatalf("a refused request stored %+v", xs)
	}
	// Naming another unit's report tells nothing of it, not even its month.
	resp = e.signIn("renshe").post(exc, url.Values{"report": {mine}, "reason": {"代为更正"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.body, "没有本单位在该事项上的第 "+mine+" 号报告") ||
		strings.Contains(resp.body, `value="2021-07" selected`) {
		t.Errorf("exception on another unit's report = %d, want 422 without its month:\n%s", resp.StatusCode, excerpt(resp.body))
	}
	resp = caizheng.post(exc, url.Values{"report": {"0"}, "period": {"2021-07"}, "reason": {"补充7月数据"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("exception request = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	xs, _ := e.db.FreezeExceptions(t.Context(), "门头沟区", 2021)
	if len(xs) != 1 {
		t.Fatalf("exceptions = %+v, want one", xs)
	}
	if resp := office.post("/exceptions/"+strconv.FormatInt(xs[0].ID, 10)+"/grant"+q, url.Values{"reason": {"同意"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant = %d", resp.StatusCode)
	}

	set("2021-08-03 09:00")
	versions := countTable(t, e, "versions")
	r := rensheAPI.call("POST", path, `{"text": "7月已培训 45 人。", "report_id": `+theirs+`}`)
	if code, msg := apiErrorOf(t, r); r.StatusCode != http.StatusConflict || msg != "2021年7月已封存，如需修改请申请例外" {
		t.Errorf("another unit's version under 区财政局's exception = %d %s %q, want 409 frozen", r.StatusCode, code, msg)
	}
	if n := countTable(t, e, "versions"); n != versions {
		t.Errorf("report_versions after the refusal = %d, want %d", n, versions)
	}
	r = caizhengAPI.call("POST", path, `{"text": "7月已下达帮扶资金，附凭证。", "report_id": `+mine+`}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("the asking unit's version = %d: %s", r.StatusCode, r.body)
	}
	r = tokenOf(t, e, "office").call("POST", "/api/v1/reports/"+mine+"/review", `{"version": 2, "decision": "accept"}`)
	if r.StatusCode != http.StatusOK {
		t.Errorf("the office's review of the version written under the exception = %d: %s", r.StatusCode, r.body)
	}
}

// TestExceptionNotSelfGranted: the office answers for some work points and asks for an
// exception like a unit; the person who asked cannot grant it: the page offers no form and
// a grant posted anyway is refused with the reason, nothing stored.
func TestExceptionNotSelfGranted(t *testing.T) {
	e := newEnv(t)
	key := dutyOf(t, e, xiezuo.DutyPoint, 1) // 领导小组办公室 leads
	office := e.signIn("office")
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	*e.clock = time.Date(2021, 8, 2, 9, 0, 0, 0, shanghai)
	if resp := office.post("/periods/freeze"+q, url.Values{"period": {"2021-07"}, "confirm": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("freeze = %d", resp.StatusCode)
	}
	resp := office.post("/duties/"+key.String()+"/exception", url.Values{"report": {"0"}, "period": {"2021-07"}, "reason": {"补报7月"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("exception request by the office = %d: %s", resp.StatusCode, excerpt(resp.body))
	}
	xs, _ := e.db.FreezeExceptions(t.Context(), "门头沟区", 2021)
	if len(xs) != 1 {
		t.Fatalf("exceptions = %+v, want one", xs)
	}
	id := strconv.FormatInt(xs[0].ID, 10)
	page := office.get("/periods" + q).body
	if strings.Contains(page, `action="/exceptions/`+id+`/grant`) || !strings.Contains(page, "本人提出，须由办公室其他人员审批") {
		t.Errorf("/periods offers the requester a grant of its own request:\n%s", excerpt(page))
	}
	resp = office.post("/exceptions/"+id+"/grant"+q, url.Values{"reason": {"同意"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(office.follow(resp).body, "不能由本人审批") {
		t.Errorf("self-grant = %d, want a redirect saying it cannot be", resp.StatusCode)
	}
	if xs, _ := e.db.FreezeExceptions(t.Context(), "门头沟区", 2021); xs[0].Decided {
		t.Errorf("a self-grant was stored: %+v", xs[0])
	}
}
