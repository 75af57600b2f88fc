package web

import (
	"bytes"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// TestTasksWorkbookMatchesTasksPage: on the demo's day (15 September, a half year of reports
// generated as the demo does, the office warning ten days ahead), every task's 进展状态 in the
// workbook of /supervision/tasks.xlsx is the status /tasks shows for it, word for word; where
// /tasks says a report waits to be redone, the 审核 column says whose; and the line under the
// title counts the states /tasks shows and says the supervision page also counts work points
// and projects.
func TestTasksWorkbookMatchesTasksPage(t *testing.T) {
	e := newEnv(t)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	*e.clock = today
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	if err := e.db.SetGroupMembers(ctx, "门头沟区", xiezuo.CatalogueMembers()); err != nil {
		t.Fatal(err)
	}
	c := xiezuo.DefaultCadence()
	c.WarnDays = 10
	if err := e.db.SetCadence(ctx, "门头沟区", c); err != nil {
		t.Fatal(err)
	}
	users := map[string]string{"领导小组办公室": "office", "区财政局": "caizheng", "区人力社保局": "renshe", "前方挂职干部": "wuchuan"}
	if _, err := gen.WriteHalfYear(ctx, e.db, gen.HalfYear{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: users}); err != nil {
		t.Fatalf("WriteHalfYear = %v", err)
	}
	const q = "?year=2021&district=%E9%97%A8%E5%A4%B4%E6%B2%9F%E5%8C%BA"
	office := e.signIn("office")
	page := office.get("/tasks" + q)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /tasks = %d", page.StatusCode)
	}
	// Each row's 序号 and 状态 as /tasks shows them.
	re := regexp.MustCompile(`(?s)<tr><td class="num" data-label="序号">\d+</td>.*?<td[^>]*data-label="状态">(.*?)</td></tr>`)
	var want []string
	for _, m := range re.FindAllStringSubmatch(page.body, -1) {
		want = append(want, html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")))
	}
	if len(want) != 17 {
		t.Fatalf("/tasks shows %d task rows, want 17:\n%s", len(want), excerpt(page.body))
	}
	r := office.get("/supervision/tasks.xlsx" + q)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /supervision/tasks.xlsx = %d:\n%s", r.StatusCode, excerpt(r.body))
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
	if len(rows) != 3+17 {
		t.Fatalf("the workbook has %d rows, want title, note, header and 17 tasks", len(rows))
	}
	count := map[string]int{}
	for i, w := range want {
		row := append(rows[3+i], make([]string, 9)...)
		if row[5] != w {
			t.Errorf("task %d: workbook 进展状态 %q, /tasks 状态 %q", i+1, row[5], w)
		}
		if strings.Contains(w, "被退回，待重报") {
			count["redo"]++
			if !strings.Contains(row[7], "被退回，待重报") && !strings.Contains(row[7], "已退回，待重报") {
				t.Errorf("task %d: /tasks says %q but the workbook's 审核 says %q: it should say whose report waits to be redone", i+1, w, row[7])
			}
		} else if strings.Contains(row[7], "待重报") {
			t.Errorf("task %d: /tasks says %q but the workbook's 审核 says %q", i+1, w, row[7])
		}
		switch {
		case strings.HasPrefix(w, "逾期未报"):
			count["red"]++
		case strings.Contains(w, "到期"):
			count["yellow"]++
		case w == "已销号":
			count["done"]++
		}
	}
	if count["redo"] == 0 || count["done"] == 0 {
		t.Errorf("the demo's day shows %v on /tasks: want returned and closed tasks to compare", count)
	}
	if !strings.HasPrefix(rows[0][0], "2021年门头沟区支援合作工作任务清单（附件2）及进展（截至2021年9月15日）") {
		t.Errorf("title = %q, want 附件2 and 截至2021年9月15日", rows[0][0])
	}
	note := rows[1][0]
	for _, s := range []string{
		"17 项任务", "截至 2021年9月15日", "与平台「任务清单」页相同",
		"逾期未报 " + strconv.Itoa(count["red"]) + " 项", "（临期）" + strconv.Itoa(count["yellow"]) + " 项",
		"被退回待重报 " + strconv.Itoa(count["redo"]) + " 项", "已销号 " + strconv.Itoa(count["done"]) + " 项", "还包括工作要点和项目",
	} {
		if !strings.Contains(note, s) {
			t.Errorf("the line under the title = %q, want it to say %q", note, s)
		}
	}
}
