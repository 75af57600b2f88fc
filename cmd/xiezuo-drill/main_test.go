package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestClearError(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   bool
	}{
		{409, `{"error":{"code":"conflict","message":"本单位本月已有关于该事项的报告"}}`, true},
		{503, `{"error":{"code":"unavailable","message":"保存失败：服务器的磁盘空间已满"}}`, true},
		{500, `{"error":{"code":"internal","message":"系统内部错误"}}`, false},
		{422, `{"error":{"code":"invalid","message":"bad date"}}`, false},
		{400, `<html>出错了</html>`, false},
	}
	for _, tt := range tests {
		if got := clearError(tt.status, []byte(tt.body)); got != tt.want {
			t.Errorf("clearError(%d, %s) = %v, want %v", tt.status, tt.body, got, tt.want)
		}
	}
}

func TestRowOK(t *testing.T) {
	good := row{Trials: 2, Acked: 10, Audit: "passed"}
	tests := []struct {
		name string
		r    row
		skip bool
		want bool
	}{
		{"clean", good, false, true},
		{"lost", row{Trials: 2, Acked: 10, Lost: 1, Audit: "passed"}, false, false},
		{"duplicate", row{Trials: 2, Acked: 10, Duplicates: 1, Audit: "passed"}, false, false},
		{"partial", row{Trials: 2, Acked: 10, Partial: 1, Audit: "passed"}, false, false},
		{"500", row{Trials: 2, Acked: 10, ServerErr: 1, Audit: "passed"}, false, false},
		{"audit failed", row{Trials: 2, Acked: 10, Audit: "failed"}, false, false},
		{"audit not run", row{Trials: 2, Acked: 10}, false, false},
		{"failed", row{Trials: 2, Acked: 10, Audit: "passed", Failed: "no write accepted"}, false, false},
		{"nothing acknowledged", row{Trials: 2, Audit: "passed"}, false, false},
		{"no trials", row{Acked: 10, Audit: "passed"}, false, false},
		{"skipped", row{Skipped: "no HA script"}, false, false},
		{"skipped, allowed", row{Skipped: "no HA script"}, true, true},
	}
	for _, tt := range tests {
		if got := tt.r.ok(tt.skip); got != tt.want {
			t.Errorf("%s: row.ok() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestRunUsage: a wrong flag or drill is a usage error (exit 2) before anything runs.
func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{{"--drills", "flood"}, {"--db", "oracle"}, {"--trials", "0"}, {"--nope"}} {
		var out, errb bytes.Buffer
		code, _ := run(context.Background(), args, func(string) string { return "" }, &out, &errb)
		if code != 2 {
			t.Errorf("run(%v) = %d, want 2", args, code)
		}
	}
}

func TestJobsCSV(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(string(jobsCSV("演练企业", 3))), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "演练企业,,岗位000,") {
		t.Errorf("jobsCSV = %q, want a header and 3 rows", lines)
	}
}

// TestJudgeUploads: a register upload is whole or absent; one the client saw succeed is whole.
func TestJudgeUploads(t *testing.T) {
	whole := func(counts map[string]int, name string, k int) {
		for i := range 3 {
			counts[uploadMarker(name, i)] = k
		}
	}
	// u0 acknowledged, whole; u1 not acknowledged, whole (its answer was cut); u2 not
	// acknowledged, partial; u3 not acknowledged, absent; u4 acknowledged, partial (lost and
	// partial); u5 acknowledged, every row twice; u6 acknowledged, absent (lost).
	counts := map[string]int{}
	whole(counts, "u0", 1)
	whole(counts, "u1", 1)
	counts[uploadMarker("u2", 0)] = 1
	counts[uploadMarker("u4", 1)] = 1
	counts[uploadMarker("u4", 2)] = 1
	whole(counts, "u5", 2)
	sent := []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6"}
	acked := []string{"u0", "u4", "u5", "u6"}
	lost, partial, dups := judgeUploads(sent, acked, counts, 3)
	if lost != 2 || partial != 2 || dups != 3 {
		t.Errorf("judgeUploads = lost %d, partial %d, dups %d; want 2, 2, 3", lost, partial, dups)
	}
	counts = map[string]int{}
	whole(counts, "u0", 1)
	if l, p, d := judgeUploads(sent[:2], acked[:1], counts, 3); l+p+d != 0 {
		t.Errorf("whole uploads judged lost %d, partial %d, dups %d", l, p, d)
	}
}

// TestRegisterWorkbook: the workbook has the policies' header and one marked row per row.
func TestRegisterWorkbook(t *testing.T) {
	data, err := registerWorkbook("演练台账sqlite0-1", 3)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "文件名称,印发日期,印发机关,起草单位" || rows[3][0] != "演练台账sqlite0-1-02" {
		t.Errorf("registerWorkbook rows = %q", rows)
	}
}
