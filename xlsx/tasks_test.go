package xlsx

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

// taskKey is what the task list's reader must give back for a task: its plan columns.
func taskKey(tk xiezuo.Task) string {
	var units []string
	for _, u := range tk.Units {
		units = append(units, u.Unit+"/"+string(u.Role))
	}
	var reqs []string
	for _, r := range tk.Requirements {
		reqs = append(reqs, r.Text)
	}
	return strings.Join([]string{tk.WorkItem, tk.Category, strings.Join(reqs, "|"), strings.Join(units, " "), tk.Deadline.Text}, " ¦ ")
}

// TestWriteTasks writes the 2021 plan's task list with status columns made up for three tasks,
// reads the cells back, and reads the workbook back as a plan: the same tasks, nothing else,
// no error and no warning.
func TestWriteTasks(t *testing.T) {
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v %v", err, res.Errors)
	}
	p := res.Plan
	for i := range p.Tasks {
		p.Tasks[i].ID = int64(i + 1)
	}
	submitted := time.Date(2021, 7, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	long := strings.Repeat("已召开会议研究部署。", 20)
	table := TaskTable{AsOf: xiezuo.NewDate(2021, 8, 31), Progress: []xiezuo.TaskProgress{
		{Task: &p.Tasks[0], State: xiezuo.DutyState{Light: xiezuo.Light{Color: xiezuo.LightGreen, Days: 61}, Next: xiezuo.NewDate(2021, 10, 31), Returned: true},
			Last: &xiezuo.ReportRef{Unit: "区委办公室", State: xiezuo.ReportAccepted, SubmittedAt: submitted}, Accepted: long, Redo: []string{"区政府办公室"}},
		{Task: &p.Tasks[1], State: xiezuo.DutyState{Light: xiezuo.Light{Color: xiezuo.LightRed}, Missed: xiezuo.NewDate(2021, 8, 31)}},
		{Task: &p.Tasks[4], State: xiezuo.DutyState{Light: xiezuo.Light{Color: xiezuo.LightDone}},
			Last: &xiezuo.ReportRef{State: xiezuo.ReportSubmitted, SubmittedAt: submitted}, Accepted: "整改到位。"},
	}}
	var buf bytes.Buffer
	if err := WriteTasks(&buf, p, table); err != nil {
		t.Fatalf("WriteTasks() = %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(TasksSheet)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), 3+len(p.Tasks); got != want {
		t.Fatalf("WriteTasks wrote %d rows, want %d (title, day, header, %d tasks)", got, want, len(p.Tasks))
	}
	pad := func(r []string) []string { return append(r, make([]string, 9-len(r))...) }
	if rows[0][0] != "2021年门头沟区支援合作工作任务清单（附件2）及进展（截至2021年8月31日）" {
		t.Errorf("title = %q, want it to name 附件2 and the day", rows[0][0])
	}
	for _, w := range []string{"附件2 任务清单的 17 项任务", "截至 2021年8月31日", "与平台「任务清单」页相同", "逾期未报 1 项", "临期）0 项", "被退回待重报 1 项", "已销号 1 项", "还包括工作要点和项目"} {
		if !strings.Contains(rows[1][0], w) {
			t.Errorf("the line under the title = %q, want it to say %q", rows[1][0], w)
		}
	}
	if diff := cmp.Diff(append(append([]string{}, TasksHeader...), TaskStatusHeader...), rows[2]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	want := [][]string{
		{"组织领导", "研究部署", p.Tasks[0].Content, "区委办公室、区政府办公室、领导小组办公室", "10月底前", "已报（被退回，待重报；下次 10月31日）", "2021-07-20", "已通过；区政府办公室的报告被退回，待重报", string([]rune(long)[:ProgressChars]) + "…"},
		{"", "调研对接", p.Tasks[1].Content, "区委办公室、区政府办公室、领导小组办公室、领导小组相关成员单位、前方挂职干部", "8月底前", "逾期未报（应于 8月31日 前报送）", "", "", ""},
		{"", "政策文件", p.Tasks[2].Content, "领导小组办公室、领导小组相关成员单位、前方挂职干部等", "10月底前", "", "", "", ""},
	}
	for i, w := range want {
		if diff := cmp.Diff(w, pad(rows[3+i])); diff != "" {
			t.Errorf("row %d (-want +got):\n%s", 4+i, diff)
		}
	}
	if got := pad(rows[7])[5:8]; !cmp.Equal(got, []string{"已销号", "2021-07-20", "待审核"}) {
		t.Errorf("row 8 status = %q, want 已销号 2021-07-20 待审核", got)
	}
	merges, err := f.GetMergeCells(TasksSheet)
	if err != nil {
		t.Fatal(err)
	}
	var merged []string
	for _, m := range merges {
		merged = append(merged, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	// 组织领导 spans the first five tasks; 助力巩固拓展脱贫攻坚成果 the next four.
	for _, m := range []string{"A4:A8", "A9:A12"} {
		if !strings.Contains(strings.Join(merged, " "), m) {
			t.Errorf("merged cells = %v, want %s", merged, m)
		}
	}

	back, err := plandoc.Parse("任务清单.xlsx", buf.Bytes())
	if err != nil {
		t.Fatalf("Parse(task list) = %v", err)
	}
	if len(back.Errors) != 0 || len(back.Warnings) != 0 {
		t.Errorf("Parse(task list) errors %v, warnings %v, want none", back.Errors, back.Warnings)
	}
	if back.Plan.Year != 2021 || back.Plan.District != "门头沟区" || len(back.Plan.Points)+len(back.Plan.Projects) != 0 {
		t.Errorf("Parse(task list) = %d %s, %d points, %d projects", back.Plan.Year, back.Plan.District, len(back.Plan.Points), len(back.Plan.Projects))
	}
	var wantTasks, gotTasks []string
	for _, tk := range p.Tasks {
		wantTasks = append(wantTasks, taskKey(tk))
	}
	for _, tk := range back.Plan.Tasks {
		gotTasks = append(gotTasks, taskKey(tk))
	}
	if diff := cmp.Diff(wantTasks, gotTasks); diff != "" {
		t.Errorf("tasks read back (-plan +workbook):\n%s", diff)
	}
}

// TestUnitsText checks that responsible units are written as the reader takes them back.
func TestUnitsText(t *testing.T) {
	for _, tt := range []struct {
		rs   []xiezuo.Responsibility
		open bool
		want string
	}{
		{[]xiezuo.Responsibility{{Unit: "区科技和信息化局", Written: "区科信局", Role: xiezuo.RoleLead}, {Unit: "区商务局", Written: "区商务局", Role: xiezuo.RoleCooperating}}, true, "区科信局、区商务局等"},
		{[]xiezuo.Responsibility{{Unit: "区商务局", Written: "区商务局", Role: xiezuo.RoleCooperating, Stated: true}, {Unit: "区财政局", Written: "区财政局", Role: xiezuo.RoleLead, Stated: true}}, false, "区商务局、区财政局（牵头）"},
		{nil, true, ""},
	} {
		if got := unitsText(tt.rs, tt.open); got != tt.want {
			t.Errorf("unitsText(%v, %v) = %q, want %q", tt.rs, tt.open, got, tt.want)
		}
	}
}

// TestTasksLibreOffice converts the task list of the 2021 plan with its status columns to PDF
// with LibreOffice, as an office opens and prints it, and reads the text of the first page back;
// with -screenshots it writes docs/screenshots/tasks-live.png.
func TestTasksLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("soffice is not installed")
		}
		t.Fatalf("soffice is not installed (CI is set): %v", err)
	}
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("Parse(sample) = %v, %v", err, res.Errors)
	}
	p := res.Plan
	oct31, sep3 := xiezuo.NewDate(2021, 10, 31), xiezuo.NewDate(2021, 9, 3)
	states := []xiezuo.DutyState{
		{Light: xiezuo.Light{Color: xiezuo.LightGreen, Days: 61}, Next: oct31, Met: true},
		{Light: xiezuo.Light{Color: xiezuo.LightGreen, Days: 61}, Next: oct31},
		{Light: xiezuo.Light{Color: xiezuo.LightYellow, Days: 3}, Next: sep3},
		{Light: xiezuo.Light{Color: xiezuo.LightRed}, Missed: xiezuo.NewDate(2021, 8, 25)},
		{Light: xiezuo.Light{Color: xiezuo.LightDone}},
	}
	var progress []xiezuo.TaskProgress
	for i := range p.Tasks {
		p.Tasks[i].ID = int64(i + 1)
		tp := xiezuo.TaskProgress{Task: &p.Tasks[i], State: states[i%len(states)]}
		if i%5 != 3 {
			tp.Last = &xiezuo.ReportRef{State: []xiezuo.ReportState{xiezuo.ReportAccepted, xiezuo.ReportSubmitted, xiezuo.ReportReturned}[i%3],
				SubmittedAt: time.Date(2021, 8, 1+i, 10, 0, 0, 0, time.UTC)}
			tp.Accepted = "8月进展：本月召开专题推进会，对接协作地区需求，落实分工；完成阶段性工作，相关材料已归档。"
		}
		progress = append(progress, tp)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "tasks-live.xlsx")
	if err := WriteTasksFile(in, p, TaskTable{AsOf: xiezuo.NewDate(2021, 8, 31), Progress: progress}); err != nil {
		t.Fatalf("WriteTasksFile() = %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+filepath.Join(dir, "home"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf = %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "tasks-live.pdf")
	if data, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("soffice wrote no PDF: %v", err)
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.CommandContext(ctx, pdftotext, "-f", "1", "-l", "1", "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext = %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), "")
		for _, want := range []string{"2021年门头沟区支援合作工作任务清单", "截至2021年8月31日", "进展状态", "完成情况", "研究部署", "逾期未报", "待审核"} {
			if !strings.Contains(text, want) {
				t.Errorf("the first printed page has no %q:\n%s", want, out)
			}
		}
	}
	if !wantScreenshots() {
		return
	}
	prefix := filepath.Join(dir, "page")
	if out, err := exec.CommandContext(ctx, "pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm = %v\n%s", err, out)
	}
	png, err := os.ReadFile(prefix + ".png")
	if err != nil {
		t.Fatalf("pdftoppm wrote no picture: %v", err)
	}
	shot := filepath.Join("..", "docs", "screenshots", "tasks-live.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatalf("write %s: %v", shot, err)
	}
}
