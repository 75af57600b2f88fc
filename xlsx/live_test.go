package xlsx

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

// `go test ./xlsx -run LibreOffice -screenshots` (or XIEZUO_SCREENSHOTS=1) writes
// docs/screenshots/projects-live.png, the first printed page of the live project table.
var screenshots = flag.Bool("screenshots", false, "write docs/screenshots/projects-live.png")

func wantScreenshots() bool { return *screenshots || os.Getenv("XIEZUO_SCREENSHOTS") == "1" }

// liveOf numbers the plan's projects 1, 2, … as storage would, and gives some of them live
// figures: 1 started and half paid, 2 cancelled, 4 completed with nothing allocated.
func liveOf(p *xiezuo.Plan) xiezuo.Date {
	for i := range p.Projects {
		p.Projects[i].ID = int64(i + 1)
	}
	return xiezuo.Date{Year: 2021, Month: 9, Day: 30}
}

var testLive = map[int64]xiezuo.LiveFigures{
	1: {Status: xiezuo.StatusStarted, StartedOn: xiezuo.Date{Year: 2021, Month: 6, Day: 10}, Allocated: 30 * xiezuo.FenPerWan, Disbursed: 12 * xiezuo.FenPerWan},
	2: {Status: xiezuo.StatusCancelled},
	4: {Status: xiezuo.StatusCompleted, StartedOn: xiezuo.Date{Year: 2021, Month: 5, Day: 2}, Disbursed: 3_500_000},
}

func TestWriteProjectTableLive(t *testing.T) {
	p := testPlan(t)
	asOf := liveOf(p)
	var plain, live bytes.Buffer
	pt := xiezuo.Rollup(p, xiezuo.ProjectFilter{})
	if err := WriteProjectTable(&plain, p, pt); err != nil {
		t.Fatalf("WriteProjectTable() = %v", err)
	}
	if err := WriteProjectTableLive(&live, p, pt, Live{AsOf: asOf, Projects: testLive}); err != nil {
		t.Fatalf("WriteProjectTableLive() = %v", err)
	}
	read := func(b *bytes.Buffer) [][]string {
		f, err := excelize.OpenReader(b)
		if err != nil {
			t.Fatalf("OpenReader() = %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows(ProjectsSheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("GetRows() = %v", err)
		}
		for i, r := range rows {
			rows[i] = append(r, make([]string, numLiveCols-len(r))...)
		}
		return rows
	}
	pr, lr := read(&plain), read(&live)
	if len(pr) != len(lr) {
		t.Fatalf("live table has %d rows, the plain one %d", len(lr), len(pr))
	}
	// Every row keeps the 15 columns of 附件3; only the unit row names the day.
	for i := range pr {
		if i == 1 {
			continue
		}
		if diff := cmp.Diff(pr[i][:numCols], lr[i][:numCols]); diff != "" {
			t.Errorf("row %d of the 15 columns (-plain +live):\n%s", i+1, diff)
		}
	}
	if got, want := lr[1][0], "(单位:万元；项目状态、开工日期、已拨付资金、拨付率截至 2021-09-30)"; got != want {
		t.Errorf("unit row = %q, want %q", got, want)
	}
	if diff := cmp.Diff(LiveHeader, lr[2][numCols:]); diff != "" {
		t.Errorf("live header (-want +got):\n%s", diff)
	}
	// The rows: 合计, 武川 region, 产业合作类, project 1, project 2, 残疾人帮扶, project 3,
	// 堆龙德庆 region, 产业合作类, project 4, project 5.
	want := [][]string{
		{"", "", "15.5", "0.516666666666666"}, // 合计: 12 + 3.5 disbursed over the 30 allocated
		{"", "", "12", "0.4"},                 // 武川
		{"", "", "12", "0.4"},                 // 产业合作类
		{"已开工", "2021-06-10", "12", "0.4"},    // 1
		{"已取消", "", "0", ""},                  // 2: nothing allocated, no rate
		{"", "", "0", ""},                     // 残疾人帮扶
		{"计划", "", "0", ""},                   // 3
		{"", "", "3.5", ""},                   // 堆龙德庆
		{"", "", "3.5", ""},                   // 产业合作类
		{"已完工", "2021-05-02", "3.5", ""},      // 4
		{"计划", "", "0", ""},                   // 5
	}
	var got [][]string
	for _, r := range lr[3 : 3+len(want)] {
		got = append(got, r[numCols:])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("live columns (-want +got):\n%s", diff)
	}
}

// TestLiveProjectTableLibreOffice converts the live table of the 2021 plan to PDF with
// LibreOffice, as an office opens and prints it.
func TestLiveProjectTableLibreOffice(t *testing.T) {
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
	asOf := liveOf(p)
	live := map[int64]xiezuo.LiveFigures{}
	for i, pr := range p.Projects {
		if i%3 == 2 || !pr.DistrictFund.Valid {
			continue
		}
		live[pr.ID] = xiezuo.LiveFigures{Status: xiezuo.StatusStarted, StartedOn: xiezuo.Date{Year: 2021, Month: 6, Day: 1 + i},
			Allocated: pr.DistrictFund.V, Disbursed: pr.DistrictFund.V / int64(2+i%4) / 10_000 * 10_000}
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "projects-live.xlsx")
	if err := WriteProjectsLiveFile(in, p, Live{AsOf: asOf, Projects: live}); err != nil {
		t.Fatalf("WriteProjectsLiveFile() = %v", err)
	}
	home := filepath.Join(dir, "home")
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+home)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf = %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "projects-live.pdf"))
	if err != nil {
		t.Fatalf("soffice wrote no PDF: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 10_000 {
		t.Fatalf("PDF of %d bytes beginning %q, want a PDF of the table", len(pdf), pdf[:min(len(pdf), 8)])
	}
	if !wantScreenshots() {
		return
	}
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Fatalf("pdftoppm (poppler-utils) is needed for the screenshot: %v", err)
	}
	prefix := filepath.Join(dir, "page")
	if out, err := exec.CommandContext(ctx, pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
		filepath.Join(dir, "projects-live.pdf"), prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm = %v\n%s", err, out)
	}
	png, err := os.ReadFile(prefix + ".png")
	if err != nil {
		t.Fatalf("pdftoppm wrote no picture: %v", err)
	}
	shot := filepath.Join("..", "docs", "screenshots", "projects-live.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatalf("write %s: %v", shot, err)
	}
	fmt.Println("wrote", shot)
}
