package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
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
