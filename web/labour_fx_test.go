package web

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/sqldb"
)

// The browser review's findings on the labour pages, each as it was seen.

// TestLabourBirthBesideMask: beside a masked ID number a page or a masked workbook shows the
// birth year only (the whole date would give back the hidden digits); the whole date after a
// reveal of the ID number and in the unmasked export.
func TestLabourBirthBesideMask(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	wu := strconv.FormatInt(f.wuchuanID, 10)
	const whole, year = "1990-03-07", "1990年"
	for _, who := range []string{"office", "leader", "city"} {
		c := e.signIn(who)
		for what, body := range map[string]string{
			"the list":          c.get("/labour/workers" + plan2021).body,
			"the person page":   c.get("/labour/people/" + wu + plan2021).body,
			"the masked export": labourXLSXText(t, c.get("/labour/workers"+plan2021+"&format=xlsx").body),
		} {
			if strings.Contains(body, whole) || strings.Contains(body, "19900307") {
				t.Errorf("%s: %s shows the whole birth date beside the masked ID", who, what)
			}
			if !strings.Contains(body, year) {
				t.Errorf("%s: %s lacks the birth year %s", who, what, year)
			}
		}
	}
	office := e.signIn("office")
	if r := office.post("/labour/people/"+wu+"/reveal"+plan2021, url.Values{"field": {"id_number"}}); !strings.Contains(r.body, whole+"生") {
		t.Errorf("after a reveal of the ID number the person page lacks the whole birth date")
	}
	if r := office.post("/labour/people/"+wu+"/reveal"+plan2021, url.Values{"field": {"phone"}}); strings.Contains(r.body, whole) {
		t.Errorf("a reveal of the phone shows the whole birth date")
	}
	full := office.post("/labour/workers/export"+plan2021, url.Values{"full": {"1"}})
	if !strings.Contains(labourXLSXText(t, full.body), whole) {
		t.Errorf("the unmasked export lacks the whole birth date")
	}
}

// TestLabourPoorWord: one word for a person neither 脱贫人口 nor 监测对象 — in the table, the
// filter, the counts and the person page; the filter still selects them.
func TestLabourPoorWord(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	office := e.signIn("office")
	list := office.get("/labour/workers" + plan2021)
	for _, want := range []string{`<option value="否">一般农户</option>`, `>一般农户 1</a>`, `data-label="人员类别">一般农户</td>`} {
		if !strings.Contains(list.body, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	only := office.get("/labour/workers" + plan2021 + "&poor=" + url.QueryEscape("否"))
	if !strings.Contains(only.body, f.shennong.Name) || strings.Contains(only.body, f.wuchuan.Name) {
		t.Errorf("the filter 一般农户 does not select the one person who is")
	}
	if !strings.Contains(only.body, `<option value="否" selected>一般农户</option>`) {
		t.Errorf("the filter 一般农户 is not shown chosen")
	}
	p := office.get("/labour/people/" + strconv.FormatInt(f.shennongID, 10) + plan2021)
	if !strings.Contains(p.body, "<dt>人员类别</dt><dd>一般农户</dd>") {
		t.Errorf("the person page lacks 人员类别 一般农户")
	}
}

// TestLabourMatchRunWords: a run counts proposals (条推荐), not jobs: 451 proposals over 40 jobs.
func TestLabourMatchRunWords(t *testing.T) {
	got := labourMatchRunMessage(179, 451)
	if !strings.Contains(got, "451 条推荐") || strings.Contains(got, "个岗位") {
		t.Errorf("labourMatchRunMessage(179, 451) = %q, want 451 条推荐", got)
	}
}

// TestLabourBadRowsOfOthers: a cadre may not download the bad rows' workbook of an import by
// someone else (it holds the full data of every region's people); the office and the cadre's
// own may.
func TestLabourBadRowsOfOthers(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	office := e.signIn("office")
	bad := f.shennong
	bad.Name, bad.ID = "王五", bad.ID[:17]+"0"
	if bad.ID == f.shennong.ID {
		bad.ID = bad.ID[:17] + "1"
	}
	id, page := labourImport(t, office, "workers", "错误.csv", workersCSV([]labourTestPerson{f.wuchuan, bad}), "skip")
	path := "/labour/imports/" + strconv.FormatInt(id, 10)
	if !strings.Contains(page.body, "bad.xlsx") {
		t.Fatalf("the import with a bad row offers no workbook: %s", excerpt(page.body))
	}
	if r := office.get(path + "/bad.xlsx" + plan2021); r.StatusCode != 200 {
		t.Errorf("office bad.xlsx = %d, want 200", r.StatusCode)
	}
	cadre := e.signIn("wuchuan")
	if r := cadre.get(path + "/bad.xlsx" + plan2021); r.StatusCode != 403 {
		t.Errorf("cadre downloads the office's bad rows = %d, want 403", r.StatusCode)
	}
	if r := cadre.get(path + plan2021); strings.Contains(r.body, "bad.xlsx") {
		t.Errorf("the cadre's progress page offers the office's bad rows")
	}
	// The office's overview says what 转移就业 counts.
	if r := office.get("/labour" + plan2021); !strings.Contains(r.body, "转移就业计的是登记的就业") {
		t.Errorf("/labour does not say what 转移就业 counts")
	}
}

// TestLabourPageBeyondLast: ?page=99 of a list of one page says 没有这一页 with a link to the
// last, not an empty table under "第 99 页".
func TestLabourPageBeyondLast(t *testing.T) {
	e := newEnv(t)
	newLabourFixture(t, e)
	r := e.signIn("office").get("/labour/workers" + plan2021 + "&page=99")
	if r.StatusCode != 200 || !strings.Contains(r.body, "没有这一页：共 1 页") || strings.Contains(r.body, "第 99 页") {
		t.Errorf("page 99 of 1 = %d: %s", r.StatusCode, excerpt(r.body))
	}
}

// labourTestMatch imports a job and stores a proposal of it to the fixture's 武川 person; its id.
func labourTestMatch(t *testing.T, e *env, f labourFixture) int64 {
	t.Helper()
	office := e.signIn("office")
	labourImport(t, office, "jobs", "岗位.csv", jobsCSV([][]string{
		{"北京城建集团有限责任公司", "91350100M000100Y43", "电工", "5", "110114", "6000-8000", "电工", "2021-08-01", "2021-12-31", "刘经理", "13800000001"},
	}), "refuse")
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	jobs, err := e.db.LabourJobs(ctx, sqldb.LabourFilter{District: "门头沟区", Page: 1, PerPage: 10})
	if err != nil || len(jobs.Rows) == 0 {
		t.Fatalf("LabourJobs = %+v, %v", jobs, err)
	}
	people, err := e.db.LabourPeople(ctx, sqldb.LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers, Page: 1, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	var entry int64
	for _, p := range people.Rows {
		if p.PersonID == f.wuchuanID {
			entry = p.EntryID
		}
	}
	if _, err := e.db.SaveLabourMatches(ctx, "门头沟区", []xiezuo.MatchProposal{{EntryID: entry, PersonID: f.wuchuanID, JobID: jobs.Rows[0].ID, Score: 80, Reasons: []string{"技能相符：电工"}}}); err != nil {
		t.Fatal(err)
	}
	ms, err := e.db.LabourMatches(ctx, "门头沟区", "", 0, 0)
	if err != nil || len(ms) != 1 {
		t.Fatalf("LabourMatches = %+v, %v", ms, err)
	}
	return ms[0].ID
}

// TestLabourConfirmRefused: an employer's confirmation without a contact, a decline without a
// reason: 422, the match shown again with the message beside the field and what was typed.
func TestLabourConfirmRefused(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	id := labourTestMatch(t, e, f)
	office := e.signIn("office")
	path := "/labour/matches/" + strconv.FormatInt(id, 10) + "/confirm" + plan2021
	r := office.post(path, url.Values{"kind": {"employer"}, "contact": {""}, "how": {"微信确认"}})
	if r.StatusCode != 422 || !strings.Contains(r.body, `value="微信确认"`) || !strings.Contains(r.body, `<span class="problem">请填写用工单位联系人的姓名</span>`) ||
		!strings.Contains(r.body, `id="match-`+strconv.FormatInt(id, 10)+`"`) {
		t.Errorf("employer confirm without a contact = %d, want 422 with the match, the message and 微信确认: %s", r.StatusCode, excerpt(r.body))
	}
	r = office.post(path, url.Values{"kind": {"decline"}, "reason": {"  "}})
	if r.StatusCode != 422 || !strings.Contains(r.body, `<span class="problem">请填写放弃的原因`) || !strings.Contains(r.body, "<details class=\"noprint\" open>") {
		t.Errorf("decline without a reason = %d, want 422 with the form open and the message: %s", r.StatusCode, excerpt(r.body))
	}
	if r := office.post(path, url.Values{"kind": {"decline"}, "reason": {"本人不愿意"}}); r.StatusCode != 303 {
		t.Errorf("decline with a reason = %d, want 303", r.StatusCode)
	}
}

// TestLabourMatchPages: /labour/match opens on 待处理 with the count of each state, shows 50 a
// page with a pager, and 全部 on asking.
func TestLabourMatchPages(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	id := labourTestMatch(t, e, f)
	office := e.signIn("office")
	page := office.get("/labour/match" + plan2021)
	if !strings.Contains(page.body, `<option selected>待处理</option>`) || !strings.Contains(page.body, `aria-current="true">待处理 1</a>`) ||
		!strings.Contains(page.body, ">待确认 1</a>") || !strings.Contains(page.body, "全部 1</a>") {
		t.Errorf("/labour/match does not open on 待处理 with the counts: %s", excerpt(page.body))
	}
	// Confirmed by the office, it stays on the first view for the employer's confirmation.
	office.post("/labour/matches/"+strconv.FormatInt(id, 10)+"/confirm"+plan2021, url.Values{"kind": {"office"}})
	if p := office.get("/labour/match" + plan2021); !strings.Contains(p.body, `id="match-`+strconv.FormatInt(id, 10)+`"`) || !strings.Contains(p.body, ">办公室已确认 1</a>") {
		t.Errorf("a match the office confirmed leaves the first view")
	}
	office.post("/labour/matches/"+strconv.FormatInt(id, 10)+"/confirm"+plan2021, url.Values{"kind": {"decline"}, "reason": {"本人不愿意"}})
	page = office.get("/labour/match" + plan2021)
	if strings.Contains(page.body, `id="match-`) || !strings.Contains(page.body, "已放弃 1</a>") {
		t.Errorf("/labour/match on 待处理 shows a declined match or lacks the count of 已放弃")
	}
	if all := office.get("/labour/match" + plan2021 + "&state="); !strings.Contains(all.body, `id="match-`+strconv.FormatInt(id, 10)+`"`) {
		t.Errorf("/labour/match?state= (全部) lacks the declined match")
	}
	if r := office.get("/labour/match" + plan2021 + "&state=&page=9"); !strings.Contains(r.body, "没有这一页：共 1 页") {
		t.Errorf("/labour/match page 9 of 1 does not say 没有这一页")
	}
}

// TestLabourPlacementPayKept: a pay typed on the placement form is kept (sealed): the record
// says it was given, and a correction that leaves the pay blank keeps it.
func TestLabourPlacementPayKept(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	office := e.signIn("office")
	wu := strconv.FormatInt(f.wuchuanID, 10)
	path := "/labour/people/" + wu + "/placements" + plan2021
	if r := office.post(path, url.Values{"employer": {"北京城建集团有限责任公司"}, "post": {"电工"}, "place": {"110109"}, "start": {"2021-05-01"}, "pay": {"5000"}}); r.StatusCode != 303 {
		t.Fatalf("placement = %d: %s", r.StatusCode, excerpt(r.body))
	}
	page := office.get("/labour/people/" + wu + plan2021)
	if !strings.Contains(page.body, "已填写（已隐藏）") {
		t.Errorf("the placement's record does not say a pay was given")
	}
	pays, err := e.db.PlacementPays(t.Context(), "门头沟区", f.wuchuanID)
	if err != nil || len(pays) != 1 {
		t.Fatalf("PlacementPays = %v, %v", pays, err)
	}
	var first int64
	for id, fen := range pays {
		first = id
		if fen != 500000 {
			t.Errorf("pay stored = %d fen, want 500000", fen)
		}
	}
	if r := office.post(path, url.Values{"supersedes": {strconv.FormatInt(first, 10)}, "employer": {"北京城建集团有限责任公司"}, "post": {"高级电工"},
		"place": {"110109"}, "start": {"2021-05-01"}, "pay": {""}, "reason": {"岗位更正"}}); r.StatusCode != 303 {
		t.Fatalf("correction = %d: %s", r.StatusCode, excerpt(r.body))
	}
	pays, _ = e.db.PlacementPays(t.Context(), "门头沟区", f.wuchuanID)
	if len(pays) != 2 {
		t.Errorf("after a correction with the pay left blank, pays = %v, want the pay kept on the new record", pays)
	}
	for _, fen := range pays {
		if fen != 500000 {
			t.Errorf("a pay became %d fen", fen)
		}
	}
}

// TestLabourCadreOverview: a cadre's /labour counts the placements of its regions only, lists
// its own imports only, and its list filter offers its regions only.
func TestLabourCadreOverview(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	office := e.signIn("office")
	sn := strconv.FormatInt(f.shennongID, 10)
	if r := office.post("/labour/people/"+sn+"/placements"+plan2021, url.Values{"employer": {"北京住总集团有限责任公司"}, "post": {"焊工"}, "place": {"110105"}, "start": {"2021-05-01"}}); r.StatusCode != 303 {
		t.Fatalf("placement = %d: %s", r.StatusCode, excerpt(r.body))
	}
	if r := office.get("/labour" + plan2021); !strings.Contains(r.body, "转移就业 <strong>1</strong> 人") || !strings.Contains(r.body, "在京务工人员.csv") {
		t.Errorf("office /labour lacks the placement or its import: %s", labourFigures(r.body))
	}
	cadre := e.signIn("wuchuan")
	r := cadre.get("/labour" + plan2021)
	if !strings.Contains(r.body, "转移就业 <strong>0</strong> 人") {
		t.Errorf("wuchuan's /labour counts a 神农架 placement: %s", labourFigures(r.body))
	}
	if strings.Contains(r.body, "在京务工人员.csv") {
		t.Errorf("wuchuan's /labour lists the office's import")
	}
	list := cadre.get("/labour/workers" + plan2021)
	if strings.Contains(list.body, "<option>神农架林区</option>") || !strings.Contains(list.body, "<option>内蒙古武川县</option>") {
		t.Errorf("wuchuan's region filter offers other regions or lacks its own")
	}
}

// TestLabourAuditKeysNamed: the keys of the labour audit entries' before/after (imports, runs,
// confirmations, placements, exports) have Chinese names on the audit page.
func TestLabourAuditKeysNamed(t *testing.T) {
	for _, k := range []string{"list", "file", "state", "rows", "added", "updated", "unchanged", "bad", "run", "proposals", "kind", "note",
		"job", "person", "match", "employer", "post", "place", "start", "end", "poor", "supersedes", "withdrawn", "reason", "pay_given",
		"region", "town", "skill", "status", "regions", "district"} {
		if fieldNames[k] == "" {
			t.Errorf("audit key %q has no Chinese name", k)
		}
	}
	if got := strings.Join(changeLines("", `{"poor":"","town":"","added":3}`), " "); strings.Contains(got, "poor") || strings.Contains(got, "added") {
		t.Errorf("changeLines shows raw keys: %s", got)
	}
}

// TestLabourRecordedByNames: who imported a list is named 姓名（单位）, not by the sign-in name.
func TestLabourRecordedByNames(t *testing.T) {
	e := newEnv(t)
	newLabourFixture(t, e)
	r := e.signIn("office").get("/labour" + plan2021)
	if strings.Contains(r.body, "<td>office（") || !strings.Contains(r.body, "（领导小组办公室）</td>") {
		t.Errorf("/labour names the importer by the sign-in name: %s", labourFigures(r.body))
	}
}

// TestLabourPlacesInWords: the placement form takes a place by its name (北京市昌平区), the
// record shows the name, and the list's town filter offers the towns of the partner regions and
// finds by a town's name.
func TestLabourPlacesInWords(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	office := e.signIn("office")
	wu := strconv.FormatInt(f.wuchuanID, 10)
	if r := office.post("/labour/people/"+wu+"/placements"+plan2021, url.Values{"employer": {"北京城建集团有限责任公司"}, "post": {"电工"}, "place": {"北京市昌平区"}, "start": {"2021-05-01"}}); r.StatusCode != 303 {
		t.Fatalf("placement at 北京市昌平区 = %d: %s", r.StatusCode, excerpt(r.body))
	}
	page := office.get("/labour/people/" + wu + plan2021)
	if !strings.Contains(page.body, "<td>北京市昌平区</td>") || strings.Contains(page.body, "<td>110114</td>") {
		t.Errorf("the placement table does not show 北京市昌平区 by its name")
	}
	list := office.get("/labour/workers" + plan2021)
	if !strings.Contains(list.body, `<datalist id="labour-towns">`) || !strings.Contains(list.body, `<option value="武川县可可以力更镇">`) {
		t.Errorf("the town filter does not offer the towns of 武川县")
	}
	town := f.wuchuan.Home[:9]
	var name string
	for _, tw := range labourTowns([]string{"内蒙古武川县"}) {
		if tw.Code == town {
			name = tw.Name
		}
	}
	if name == "" {
		t.Fatalf("no town %s among 武川县's", town)
	}
	short := strings.TrimPrefix(name, "武川县")
	found := office.get("/labour/workers" + plan2021 + "&town=" + url.QueryEscape(short))
	if !strings.Contains(found.body, f.wuchuan.Name) || strings.Contains(found.body, f.shennong.Name) {
		t.Errorf("the town filter %s does not find the person of that town", short)
	}
}

// TestLabourPreviewMasksDigits: a preview's cell with 7 digits or more that is no valid phone or
// ID number (1381234560, ten digits) is masked too.
func TestLabourPreviewMasksDigits(t *testing.T) {
	for in, want := range map[string]string{
		"1381234560":      "********60",
		"电话 1381234560 转": "电话 ********60 转",
		"13912345678":     "139****5678",
		"123456":          "123456",
		"5.22624E+17":     "5.22624E+17",
	} {
		if got := maskCell(in); got != want {
			t.Errorf("maskCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLabourRevealIncome: the income revealed is the amount of the list (6000 元/月), not a
// hundredth of it.
func TestLabourRevealIncome(t *testing.T) {
	e := newEnv(t)
	f := newLabourFixture(t, e)
	r := e.signIn("office").post("/labour/people/"+strconv.FormatInt(f.wuchuanID, 10)+"/reveal"+plan2021, url.Values{"field": {"income"}})
	if r.StatusCode != 200 || !strings.Contains(r.body, "</strong>6000 元/月") {
		t.Errorf("income revealed = %d: %s", r.StatusCode, excerpt(r.body[strings.Index(r.body, "<main"):]))
	}
}
