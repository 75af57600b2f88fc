package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestShort runs the program with small documents against a server it builds and starts on
// SQLite: every document gets an answer, /healthz answers throughout, no temporary folder is
// left, and a crash's leftovers are removed at the next start.
func TestShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts xiezuo")
	}
	var out bytes.Buffer
	if err := run(t.Context(), []string{"-short"}, &out); err != nil {
		t.Fatalf("xiezuo-hostile -short: %v\n%s", err, out.String())
	}
	for _, want := range []string{"解压后超过 64 MB", "有超过 80000 行", "超过 5000 处", "指向同一份内容", "超过 4 MB 的上限", "超过 2000000 个", "控制字符", "另有 5800 个错误未列出", "temporary folders of reads left after the uploads: 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("xiezuo-hostile -short output lacks %q:\n%s", want, out.String())
		}
	}
}
