package web

import (
	"bytes"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// TestTasksWorkbook: the office's supervision page links 「下载任务清单（含进展）」 for the day it
// shows; the workbook has the plan's task columns and the status columns, the report made shows
// on its task, and xiezuo check reads it back as the plan's 17 tasks with no error and no
// warning. Units and team leads neither see the link nor may take the workbook.
func TestTasksWorkbook(t *testing.T) {
	e := newEnv(t)
	// Task 13, reported by 区财政局 to the office on 20 August.
	u := e.users["caizheng"]
	ctx := sqldb.WithFactTime(sqldb.WithActor(t.Context(), sqldb.Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit}), time.Date(2021, 8, 20, 10, 0, 0, 0, shanghai))
	if _, err := e.db.SubmitReport(ctx, sqldb.ReportWrite{Duty: dutyOf(t, e, xiezuo.DutyTask, 13), Unit: u.Unit, State: xiezuo.ReportSubmitted,
		Values: xiezuo.ReportValues{Text: "已下达帮扶资金。"}}); err != nil {
		t.Fatal(err)
	}
	const q = "?year=2021&district=%E9%97%A8%E5%A4%B4%E6%B2%9F%E5%8C%BA"
	office := e.signIn("office")
	page := office.get("/supervision" + q)
	m := regexp.MustCompile(`<a href="(/supervision/tasks\.xlsx[^"]*)">下载任务清单（含进展）</a>`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("the office's supervision page has no link 下载任务清单（含进展）:\n%s", excerpt(page.body))
	}
	r := office.get(html.UnescapeString(m[1]))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d:\n%s", m[1], r.StatusCode, excerpt(r.body))
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "2021-08-28") {
		t.Errorf("Content-Disposition = %q, want the day in the name", cd)
	}
	res, err := plandoc.Parse("任务清单.xlsx", []byte(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Plan.Tasks) != 17 || len(res.Errors) != 0 || len(res.Warnings) != 0 {
		t.Errorf("Parse(task workbook) = %d tasks, errors %v, warnings %v; want 17, none, none", len(res.Plan.Tasks), res.Errors, res.Warnings)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(xlsx.TasksSheet)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[2], "|"); got != "工作事项|任务类别|任务内容|责任部门|完成时限|进展状态|最近报送|审核|完成情况" {
		t.Errorf("header = %s", got)
	}
	task13 := append(rows[3+12], make([]string, 9)...)
	if task13[1] != "资金项目" || task13[6] != "2021-08-20" || task13[7] != "待审核" {
		t.Errorf("task 13's row = %q, want 资金项目 reported, 待审核", task13[:9])
	}
	words := regexp.MustCompile(`^(已销号|无报送日期|已按期报送，待销号|逾期未报（.+）|\d+ 天后到期（.+）|今天到期（.+）|已报（被退回.+）|本期已报（.+）|正常（下次 .+）)$`)
	for _, row := range rows[3:] {
		row = append(row, make([]string, 9)...)
		if !words.MatchString(row[5]) {
			t.Errorf("进展状态 %q of %s/%s is not a word of supervision", row[5], row[0], row[1])
		}
	}

	// A past day: the link carries it, the workbook is as of then.
	page = office.get("/supervision" + q + "&as_of=2021-07-01")
	if !regexp.MustCompile(`href="/supervision/tasks\.xlsx\?[^"]*as_of=2021-07-01">下载任务清单（含进展）`).MatchString(page.body) {
		t.Errorf("the supervision page of 2021-07-01 links no workbook of that day")
	}
	if r := office.get("/supervision/tasks.xlsx" + q + "&as_of=2021-07-01"); r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), "2021-07-01") {
		t.Errorf("GET the workbook of 2021-07-01 = %d %q", r.StatusCode, r.Header.Get("Content-Disposition"))
	}
	if r := office.get("/supervision/tasks.xlsx" + q + "&as_of=2021-13-01"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("GET the workbook of 2021-13-01 = %d, want 400", r.StatusCode)
	}
	if r := e.signIn("leader").get("/supervision/tasks.xlsx" + q); r.StatusCode != http.StatusOK {
		t.Errorf("leader GET the workbook = %d, want 200", r.StatusCode)
	}
	for _, who := range []string{"renshe", "caizheng", "wuchuan"} {
		c := e.signIn(who)
		if r := c.get("/supervision/tasks.xlsx" + q); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s GET the workbook = %d, want 403", who, r.StatusCode)
		}
		if p := c.get("/supervision" + q); strings.Contains(p.body, "下载任务清单（含进展）") {
			t.Errorf("%s's supervision page links the workbook", who)
		}
	}
}
