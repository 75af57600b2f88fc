package main

import (
	"encoding/json"
	"strings"
	"testing"

	"xiezuo"
)

// TestCheckDOCXWhere: a problem of a Word plan says where the clerk finds it, in the text
// output and in the JSON (where, page: additive fields).
func TestCheckDOCXWhere(t *testing.T) {
	plan := "../../plandoc/testdata/docx/2021-mentougou-broken.docx"
	code, out, errs := xz(t, "check", plan)
	if code != exitError {
		t.Fatalf("check broken.docx = exit %d, stderr %s", code, errs)
	}
	if !strings.Contains(out, "（附件3 表格第2行）：") || !strings.Contains(out, "（附件2 表格第4行）：") {
		t.Errorf("check broken.docx does not say where the problems are:\n%s", out)
	}
	code, out, _ = xz(t, "check", "--json", plan)
	var s xiezuo.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil || code != exitError {
		t.Fatalf("check --json broken.docx = exit %d, %v", code, err)
	}
	if len(s.Errors) == 0 || s.Errors[0].Where == "" {
		t.Errorf("check --json broken.docx: errors %+v, want each with where", s.Errors)
	}
}

func TestAt(t *testing.T) {
	tests := []struct {
		p    xiezuo.Problem
		want string
	}{
		{xiezuo.Problem{Line: 3}, "第3行"},
		{xiezuo.Problem{Line: 3, Sheet: "项目"}, "工作表“项目”第3行"},
		{xiezuo.Problem{Line: 107, Where: "附件3 表格第2行"}, "第107行（附件3 表格第2行）"},
		{xiezuo.Problem{Line: 107, Where: "附件3 表格第2行", Page: 4}, "第107行（附件3 表格第2行，第4页）"},
		{xiezuo.Problem{Line: 9, Page: 2}, "第9行（第2页）"},
	}
	for _, tt := range tests {
		if got := at(tt.p); got != tt.want {
			t.Errorf("at(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}
