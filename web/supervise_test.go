package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// seedReport stores a report of unit on duty, submitted at when (Asia/Shanghai), as the unit's
// user would through the report page.
func (e *env) seedReport(duty xiezuo.DutyKey, unit, toUnit, by string, when time.Time) xiezuo.Report {
	e.t.Helper()
	ctx := sqldb.WithFactTime(sqldb.WithActor(e.t.Context(), sqldb.Actor{Username: by, Unit: unit}), when)
	r, err := e.db.SubmitReport(ctx, sqldb.ReportWrite{Duty: duty, Unit: unit, ToUnit: toUnit, State: xiezuo.ReportSubmitted,
		Values: xiezuo.ReportValues{Text: "按计划推进"}})
	if err != nil {
		e.t.Fatalf("SubmitReport(%s by %s) = %v", duty, unit, err)
	}
	return r
}

// stored is the 2021 plan as stored, with its ids.
func (e *env) stored() *xiezuo.Plan {
	e.t.Helper()
	p, err := e.db.LoadPlan(e.t.Context(), "门头沟区", 2021)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func keyOf(kind xiezuo.DutyKind, id int64) xiezuo.DutyKey { return xiezuo.DutyKey{Kind: kind, ID: id} }

var rowLight = regexp.MustCompile(`<tr id="((?:point|task|project)-\d+)" data-light="(\w+)">`)

// lightsOn is each duty's light on a supervision page.
func lightsOn(body string) map[string]string {
	m := map[string]string{}
	for _, x := range rowLight.FindAllStringSubmatch(body, -1) {
		m[x[1]] = x[2]
	}
	return m
}

func at(d string, hm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", d+" "+hm, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// TestSupervisionPage: the office sees each of the 2021 plan's 19 work points, 17 tasks and 16
// projects with its light; as_of shows another day's lights from the same facts; the leader
// reads the red list and the rates first; a team lead its team's duties; a unit is refused.
func TestSupervisionPage(t *testing.T) {
	e := newEnv(t) // today is 2021-08-28
	p := e.stored()
	point3, task2 := keyOf(xiezuo.DutyPoint, p.Points[2].ID), keyOf(xiezuo.DutyTask, p.Tasks[1].ID)
	if p.Points[2].Number != 3 || p.Tasks[1].Deadline.Text != "8月底前" {
		t.Fatalf("plan order changed: point %d, task deadline %q", p.Points[2].Number, p.Tasks[1].Deadline.Text)
	}
	e.seedReport(point3, "区财政局", "", "caizheng", at("2021-07-20", "10:00"))

	office := e.signIn("office")
	page := office.get("/supervision")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /supervision = %d: %s", page.StatusCode, excerpt(page.body))
	}
	lights := lightsOn(page.body)
	kinds := map[string]int{}
	for id := range lights {
		kinds[id[:strings.Index(id, "-")]]++
	}
	if kinds["point"] != 19 || kinds["task"] != 17 || kinds["project"] != 16 {
		t.Errorf("office's supervision page shows %v, want 19 points, 17 tasks, 16 projects", kinds)
	}
	// Today (28 August): point 3's August report is missing (due the 25th); task 2 is due on the
	// 31st, within 3 days; the tasks due in October are green.
	want := map[string]string{point3.String(): "red", task2.String(): "yellow", keyOf(xiezuo.DutyTask, p.Tasks[0].ID).String(): "green"}
	for id, w := range want {
		if lights[id] != w {
			t.Errorf("today %s is %q, want %q", id, lights[id], w)
		}
	}
	for _, word := range []string{"区财政局", "已报送", "● 逾期", "● 临期", "报送频次"} {
		if !strings.Contains(page.body, word) {
			t.Errorf("supervision page lacks %q", word)
		}
	}
	// As of 24 July: point 3 had its July report, task 2 was a month away.
	july := lightsOn(office.get("/supervision?as_of=2021-07-24").body)
	if july[point3.String()] != "green" || july[task2.String()] != "green" {
		t.Errorf("as of 2021-07-24 point 3 is %q and task 2 %q, want green and green", july[point3.String()], july[task2.String()])
	}
	// As of 20 June nothing had passed: nothing is red.
	for id, l := range lightsOn(office.get("/supervision?as_of=2021-06-20").body) {
		if l == "red" || l == "done" {
			t.Errorf("as of 2021-06-20 %s is %s", id, l)
		}
	}
	if r := office.get("/supervision?as_of=2021-09-01"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "晚于今天") {
		t.Errorf("as_of after today = %d %s, want 400 saying so", r.StatusCode, excerpt(r.body))
	}
	if r := office.get("/supervision?light=purple"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("light=purple = %d, want 400", r.StatusCode)
	}
	reds := lightsOn(office.get("/supervision?light=red").body)
	if len(reds) == 0 || reds[task2.String()] != "" {
		t.Errorf("light=red shows %d duties, task 2 among them: %v", len(reds), reds[task2.String()] != "")
	}
	for id, l := range reds {
		if l != "red" {
			t.Errorf("light=red shows %s %s", id, l)
		}
	}
	unit := lightsOn(office.get("/supervision?unit=" + url.QueryEscape("区委宣传部")).body)
	if _, ok := unit[point3.String()]; ok || unit[keyOf(xiezuo.DutyPoint, p.Points[17].ID).String()] == "" {
		t.Errorf("unit=区委宣传部 shows %d duties, point 3 among them: %v, point 18 not", len(unit), ok)
	}

	// A notice issued on task 2 on 27 August is open on its row; not as of 20 August.
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	if _, err := e.db.IssueNotice(ctx, xiezuo.Notice{District: "门头沟区", Year: 2021, Duty: task2, Unit: "区委办公室", Subject: "调研对接进展",
		Requirement: "请于8月31日前报送调研对接情况", ReplyBy: xiezuo.Date{Year: 2021, Month: 8, Day: 31}, Signer: "王办公"}, at("2021-08-27", "09:00")); err != nil {
		t.Fatal(err)
	}
	rowOfKey := func(body, id string) string {
		i := strings.Index(body, `<tr id="`+id+`"`)
		if i < 0 {
			return ""
		}
		return body[i : i+strings.Index(body[i:], "</tr>")]
	}
	if row := rowOfKey(office.get("/supervision").body, task2.String()); !strings.Contains(row, "未办结 1 件") || !strings.Contains(row, "duty="+task2.String()) {
		t.Errorf("task 2's row lacks its open notice or the link to issue one: %s", row)
	}
	if row := rowOfKey(office.get("/supervision?as_of=2021-08-20").body, task2.String()); strings.Contains(row, "未办结") || strings.Contains(row, "发督办单") {
		t.Errorf("task 2's row as of 20 August shows a notice issued on the 27th, or offers to issue one in the past: %s", row)
	}

	// The leader: the red list and the rates come before the list of duties.
	leader := e.signIn("leader").get("/supervision").body
	if i, j := strings.Index(leader, "逾期未报清单"), strings.Index(leader, "<h2>事项</h2>"); i < 0 || j < 0 || i > j || !strings.Contains(leader, "按责任单位") {
		t.Errorf("leader's page: red list at %d, duties at %d, want the red list (and rates) first", i, j)
	}
	if strings.Contains(leader, `action="/supervision/cadence`) || strings.Contains(leader, "发督办单") {
		t.Errorf("leader's page offers the cadence form or to issue a notice")
	}
	// A team lead (区人力社保局 leads 劳务协作专班): its team's duties only.
	renshe := lightsOn(e.signIn("renshe").get("/supervision").body)
	if len(renshe) == 0 || len(renshe) >= len(lights) {
		t.Errorf("team lead sees %d of %d duties", len(renshe), len(lights))
	}
	if _, ok := renshe[point3.String()]; ok {
		t.Errorf("team lead of 劳务协作专班 sees point 3 (led by 区财政局)")
	}
	if r := e.signIn("caizheng").get("/supervision"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a unit's GET /supervision = %d, want 403", r.StatusCode)
	}
}

// TestCadenceForm: the office sets the cadence; a bad one is refused with the reason and changes
// nothing; the warning days move the yellow light; a unit may not set it.
func TestCadenceForm(t *testing.T) {
	e := newEnv(t)
	p := e.stored()
	task2 := keyOf(xiezuo.DutyTask, p.Tasks[1].ID).String()
	office := e.signIn("office")
	r := office.post("/supervision/cadence", url.Values{"report_day": {"25"}, "cooperate_day": {"15"}, "warn_days": {"40"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("bad cadence = %d, want a redirect back with the reason", r.StatusCode)
	}
	if back := office.get(r.Header.Get("Location")); !strings.Contains(back.body, "提前提醒天数“40”应为 0 到 30") {
		t.Errorf("page after a bad cadence lacks the reason: %s", excerpt(back.body))
	}
	if c, _ := e.db.Cadence(t.Context(), "门头沟区"); c != xiezuo.DefaultCadence() {
		t.Errorf("cadence after a refused change = %v, want the default", c)
	}
	if l := lightsOn(office.get("/supervision").body)[task2]; l != "yellow" {
		t.Fatalf("task 2 three days before its date = %s, want yellow", l)
	}
	r = office.post("/supervision/cadence", url.Values{"report_day": {"20"}, "cooperate_day": {"10"}, "warn_days": {"0"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cadence = %d", r.StatusCode)
	}
	if c, _ := e.db.Cadence(t.Context(), "门头沟区"); c != (xiezuo.Cadence{ReportDay: 20, CooperateDay: 10, WarnDays: 0}) {
		t.Errorf("cadence = %v after setting 20/10/0", c)
	}
	page := office.get("/supervision").body
	if l := lightsOn(page)[task2]; l != "green" {
		t.Errorf("task 2 three days before its date with no warning days = %s, want green", l)
	}
	if !strings.Contains(page, "每月20日") {
		t.Errorf("supervision page does not show the new report day")
	}
	if r := e.signIn("caizheng").post("/supervision/cadence", url.Values{"report_day": {"20"}, "cooperate_day": {"10"}, "warn_days": {"3"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a unit setting the cadence = %d, want 403", r.StatusCode)
	}
}

// apiDutiesOf decodes the API's list of duties.
func apiDutiesOf(t *testing.T, r response) []map[string]any {
	t.Helper()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET duties = %d %s", r.StatusCode, r.body)
	}
	var out struct {
		Duties []map[string]any `json:"duties"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Duties
}

// TestDutiesAPI: GET /api/v1/plans/{district}/{year}/duties answers DESIGN.md's fields; the
// office gets every duty, a unit its own only (also with its token), a cadre its region's
// projects; as_of changes the lights; another district is refused.
func TestDutiesAPI(t *testing.T) {
	e := newEnv(t)
	p := e.stored()
	point3 := keyOf(xiezuo.DutyPoint, p.Points[2].ID)
	rep := e.seedReport(point3, "区财政局", "", "caizheng", at("2021-07-20", "10:00"))
	path := "/api/v1/plans/" + url.PathEscape("门头沟区") + "/2021/duties"

	all := apiDutiesOf(t, e.signIn("office").get(path))
	if len(all) != 19+17+16 {
		t.Errorf("office's duties = %d, want 52", len(all))
	}
	byID := map[string]map[string]any{}
	for _, d := range all {
		byID[d["id"].(string)] = d
		for _, f := range []string{"id", "kind", "title", "lead", "due", "light", "last_report"} {
			if _, ok := d[f]; !ok {
				t.Errorf("duty %v lacks %q", d["id"], f)
			}
		}
		if k := d["kind"].(string); k != "work_point" && k != "task" && k != "project" {
			t.Errorf("duty %v kind %q", d["id"], k)
		}
		if _, err := xiezuo.ParseDutyKey(d["id"].(string)); err != nil {
			t.Errorf("duty id %v is not a duty key", d["id"])
		}
	}
	d3 := byID[point3.String()]
	if d3 == nil {
		t.Fatalf("no %s among the office's duties", point3)
	}
	due := d3["due"].([]any)
	if len(due) != 7 || due[0] != "2021-06-25" || due[6] != "2021-12-25" || d3["light"] != "red" || d3["lead"] != false {
		t.Errorf("point 3 = due %v light %v lead %v, want monthly 2021-06-25…2021-12-25, red, not the office's lead", due, d3["light"], d3["lead"])
	}
	last, _ := d3["last_report"].(map[string]any)
	if last == nil || last["id"] != float64(rep.ID) || last["state"] != "submitted" || last["submitted_at"] != "2021-07-20T02:00:00Z" {
		t.Errorf("point 3 last_report = %v, want report %d submitted at 2021-07-20T02:00:00Z", last, rep.ID)
	}
	if byID[keyOf(xiezuo.DutyPoint, p.Points[0].ID).String()]["lead"] != true {
		t.Errorf("point 1 (领导小组办公室 leads) lead = false for the office")
	}
	if d := byID[keyOf(xiezuo.DutyTask, p.Tasks[4].ID).String()]; d["last_report"] != nil {
		t.Errorf("task 5 last_report = %v, want null", d["last_report"])
	}
	july := apiDutiesOf(t, e.signIn("office").get(path+"?as_of=2021-07-24"))
	for _, d := range july {
		if d["id"] == point3.String() && d["light"] != "green" {
			t.Errorf("point 3 as of 2021-07-24 = %v, want green", d["light"])
		}
	}

	// 区财政局 gets only the duties it answers for, each with its own light.
	g := xiezuo.NewGroups(nil, nil)
	if m, err := e.db.GroupMembers(t.Context(), "门头沟区"); err == nil {
		g = xiezuo.NewGroups(m, nil)
	}
	mineWant := map[string]bool{}
	for _, d := range xiezuo.PlanDuties(p) {
		for _, part := range xiezuo.DutyUnits(d, g) {
			if part.Unit == "区财政局" {
				mineWant[d.Key.String()] = true
			}
		}
	}
	c := e.signIn("caizheng")
	mine := apiDutiesOf(t, c.get(path))
	if len(mine) != len(mineWant) || len(mine) == 0 {
		t.Errorf("区财政局's duties = %d, want %d", len(mine), len(mineWant))
	}
	for _, d := range mine {
		if !mineWant[d["id"].(string)] {
			t.Errorf("区财政局 is given %v, which it does not answer for", d["id"])
		}
		if d["id"] == point3.String() && (d["lead"] != true || d["light"] != "red") {
			t.Errorf("区财政局's point 3 = lead %v light %v, want true, red", d["lead"], d["light"])
		}
	}
	page := c.post("/account/tokens", url.Values{"name": {"督办同步"}})
	tok := regexp.MustCompile(`<code>(xz_[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(page.body)
	if tok == nil {
		t.Fatalf("no token: %s", excerpt(page.body))
	}
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path+"?unit="+url.QueryEscape("区人力社保局"), nil)
	req.Header.Set("Authorization", "Bearer "+tok[1])
	for _, d := range apiDutiesOf(t, e.anonymous().do(req)) {
		if !mineWant[d["id"].(string)] {
			t.Errorf("区财政局's token asking for 区人力社保局's duties gets %v", d["id"])
		}
	}
	// The cadre of 内蒙古武川县: its 10 projects, and the work points and tasks naming 前方挂职干部.
	cadre := apiDutiesOf(t, e.signIn("wuchuan").get(path))
	if n := slices.IndexFunc(cadre, func(d map[string]any) bool { return d["kind"] == "project" }); n < 0 || len(cadre)-n != 10 {
		t.Errorf("cadre's duties = %d, want its region's 10 projects among them", len(cadre))
	}
	if r := c.get("/api/v1/plans/" + url.PathEscape("房山区") + "/2021/duties"); r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, `"error"`) {
		t.Errorf("another district's duties = %d %s, want 403", r.StatusCode, r.body)
	}
	if r := c.get(path + "?as_of=2021-02-30"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "查看日期") {
		t.Errorf("as_of=2021-02-30 = %d %s, want 400 naming the date", r.StatusCode, r.body)
	}
}

// TestToDoAndCalendar: a lead unit reviews what its cooperating unit sent, a unit resubmits what
// was returned, both see their duties' lights; the calendar lays out September's due dates.
func TestToDoAndCalendar(t *testing.T) {
	e := newEnv(t)
	p := e.stored()
	point3 := keyOf(xiezuo.DutyPoint, p.Points[2].ID)
	rep := e.seedReport(point3, "区人力社保局", "区财政局", "renshe", at("2021-08-10", "10:00"))
	task7 := keyOf(xiezuo.DutyTask, p.Tasks[6].ID)
	r7 := e.seedReport(task7, "区人力社保局", "", "renshe", at("2021-08-12", "10:00"))
	ctx := sqldb.WithFactTime(sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"}), at("2021-08-13", "09:00"))
	if _, err := e.db.ReviewReport(ctx, r7.ID, 1, xiezuo.DecisionReturn, "请补充就业人数"); err != nil {
		t.Fatal(err)
	}

	cz := e.signIn("caizheng").get("/todo")
	if cz.StatusCode != http.StatusOK || !strings.Contains(cz.body, "待审核") || !strings.Contains(cz.body, "区人力社保局 的报告") {
		t.Errorf("区财政局's to-do = %d, want 区人力社保局's report to review: %s", cz.StatusCode, excerpt(cz.body))
	}
	if !strings.Contains(cz.body, "逾期未报") || !strings.Contains(cz.body, "本单位的事项") {
		t.Errorf("区财政局's to-do lacks its red duties or its list of duties")
	}
	// 区财政局's list of its duties holds its own only.
	g := xiezuo.NewGroups(nil, nil)
	if m, err := e.db.GroupMembers(t.Context(), "门头沟区"); err == nil {
		g = xiezuo.NewGroups(m, nil)
	}
	own := map[string]bool{}
	for _, d := range xiezuo.PlanDuties(p) {
		for _, part := range xiezuo.DutyUnits(d, g) {
			if part.Unit == "区财政局" {
				own[d.Key.String()] = true
			}
		}
	}
	rows := regexp.MustCompile(`<tr id="mine-([a-z]+-\d+)"`).FindAllStringSubmatch(cz.body, -1)
	if len(rows) != len(own) {
		t.Errorf("区财政局's to-do lists %d duties of its own, want %d", len(rows), len(own))
	}
	for _, m := range rows {
		if !own[m[1]] {
			t.Errorf("区财政局's to-do lists %s, which it does not answer for", m[1])
		}
	}
	rs := e.signIn("renshe").get("/todo").body
	if !strings.Contains(rs, "退回待重报") || !strings.Contains(rs, "/duties/"+task7.String()) {
		t.Errorf("区人力社保局's to-do lacks the returned report on task 7")
	}
	if strings.Contains(rs, "待审核") {
		t.Errorf("区人力社保局's to-do asks it to review")
	}
	_ = rep
	// As of 5 August the report to review had not come yet.
	if early := e.signIn("caizheng").get("/todo?as_of=2021-08-05").body; strings.Contains(early, "待审核") {
		t.Errorf("as of 2021-08-05 区财政局 has a report to review that came on 10 August")
	}

	cal := e.signIn("caizheng").get("/calendar?month=2021-09")
	if cal.StatusCode != http.StatusOK || !strings.Contains(cal.body, "2021年9月") || !strings.Contains(cal.body, `<span class="date">2021-09-25</span>`) {
		t.Fatalf("calendar of September = %d: %s", cal.StatusCode, excerpt(cal.body))
	}
	if !strings.Contains(cal.body, "待报送") || !strings.Contains(cal.body, "/duties/"+point3.String()) {
		t.Errorf("September's calendar of 区财政局 lacks point 3 due on the 25th")
	}
	aug := e.signIn("caizheng").get("/calendar?month=2021-08").body
	if !strings.Contains(aug, "逾期未报") {
		t.Errorf("August's calendar of 区财政局 shows no missed date")
	}
	if r := e.signIn("caizheng").get("/calendar?month=2021-13"); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "月份“2021-13”无效") {
		t.Errorf("month=2021-13 = %d, want 400 naming it", r.StatusCode)
	}
	if r := e.signIn("office").get("/calendar"); r.StatusCode != http.StatusOK || !strings.Contains(r.body, "2021年8月") {
		t.Errorf("office's calendar = %d, want this month (August 2021)", r.StatusCode)
	}
}

// TestTaskPageLights: the task list, a unit's page and the home page show each task's light from
// the facts: a task reported on or closed never turns red, one not reported does, and a report
// changes the cached page at once.
func TestTaskPageLights(t *testing.T) {
	e := newEnv(t)
	p := e.stored()
	task1, task2 := keyOf(xiezuo.DutyTask, p.Tasks[0].ID), keyOf(xiezuo.DutyTask, p.Tasks[1].ID)
	ctx := sqldb.WithFactTime(sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"}), at("2021-08-20", "09:00"))
	if err := e.db.CloseDuty(ctx, task1, true, "已召开专题会议研究部署"); err != nil {
		t.Fatal(err)
	}
	office := e.signIn("office")
	tasks := office.get("/tasks").body
	if !strings.Contains(tasks, "已销号") || !strings.Contains(tasks, "3 天后到期（8月31日）") || strings.Contains(tasks, "已过期") {
		t.Errorf("task list on 28 August lacks task 1 closed or task 2 due in 3 days: %s", excerpt(tasks))
	}
	*e.clock = at("2021-09-05", "10:00")
	office = e.signIn("office") // a week later: a new session
	tasks = office.get("/tasks").body
	if !strings.Contains(tasks, "逾期未报（应于 8月31日 前报送）") || !strings.Contains(tasks, "已销号") {
		t.Errorf("task list on 5 September lacks task 2 overdue, or task 1 closed")
	}
	if home := office.get("/").body; !strings.Contains(home, "/duties/"+task2.String()) {
		t.Errorf("home page on 5 September does not list task 2 as overdue")
	}
	// 区委办公室 reports late, on 5 September: task 2 is no longer red, at once.
	e.seedReport(task2, "区委办公室", "", "quweiban", at("2021-09-05", "09:00"))
	tasks = office.get("/tasks").body
	if strings.Contains(tasks, "逾期未报（应于 8月31日 前报送）") || !strings.Contains(tasks, "已按期报送，待销号") {
		t.Errorf("task list after the late report still shows task 2 red: %s", excerpt(tasks))
	}
	unit := office.get("/units/" + url.PathEscape("区委办公室")).body
	if !strings.Contains(unit, "已销号") || !strings.Contains(unit, "已按期报送，待销号") {
		t.Errorf("区委办公室's page lacks its tasks' lights")
	}
}
