package main

import (
	"encoding/json"
	"strings"
	"testing"

	"xiezuo/gen/hostile"
	"xiezuo/sample"
)

// TestCheckListsErrorsUpToCap: a table with an error on each of its 3,000 rows lists 200 of
// them, in text and JSON, and counts the rest; the JSON keeps errors: [{line, message}].
func TestCheckListsErrorsUpToCap(t *testing.T) {
	d := hostile.MarkdownTable(3_000)
	path := writeFile(t, d.Name, d.Data)
	code, out, _ := xz(t, "check", path)
	if code != exitError || strings.Count(out, "\n错误 ") != 200 || !strings.Contains(out, "另有 5800 个错误未列出") {
		t.Errorf("check: exit %d, %d errors listed, want 1, 200 and 「另有 5800 个错误未列出」:\n%s", code, strings.Count(out, "\n错误 "), out)
	}
	code, out, _ = xz(t, "check", "--json", path)
	var s struct {
		Errors []struct {
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"errors"`
		ErrorsOmitted int `json:"errors_omitted"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if code != exitError || len(s.Errors) != 200 || s.ErrorsOmitted != 5800 || s.Errors[0].Line == 0 || s.Errors[0].Message == "" {
		t.Errorf("check --json: exit %d, %d errors, %d omitted, first %+v; want 1, 200, 5800", code, len(s.Errors), s.ErrorsOmitted, s.Errors[0])
	}
}

// TestCheckRefusesHostile: the command line refuses the attack's documents with exit code 2
// and a message that says where and what.
func TestCheckRefusesHostile(t *testing.T) {
	bomb, err := hostile.ZipBomb(256 << 20)
	if err != nil {
		t.Fatal(err)
	}
	styles, err := hostile.StylesAsSheet(60 << 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		doc  hostile.Doc
		want string
	}{
		{bomb, "解压后超过 64 MB"},
		{hostile.NUL(), "控制字符 U+0000（空字符）"},
		{hostile.MarkdownTable(1_000_000), "超过 16 MB"},
		{styles, "工作簿的工作表指向“xl/styles.xml”"},
	} {
		code, _, errs := xz(t, "check", writeFile(t, c.doc.Name, c.doc.Data))
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("check %s: exit %d, %q; want 2 and %q", c.doc.Name, code, errs, c.want)
		}
	}
}

// TestCheckWithoutProjectsGivesNoTotals: a document without the project table (the notice,
// the points and the task list only) is not summed as if its projects were worth 0 万元.
func TestCheckWithoutProjectsGivesNoTotals(t *testing.T) {
	text := string(sample.Plan2021)
	text = text[:strings.Index(text, "## 附件3")]
	code, stdout, stderr := xz(t, "check", writeFile(t, "no-projects.md", []byte(text)))
	if code != 0 {
		t.Fatalf("check = %d %s", code, stderr)
	}
	if strings.Contains(stdout, "合计：项目总投资") {
		t.Errorf("check of a plan without projects prints totals:\n%s", stdout)
	}
	if !strings.Contains(stdout, "项目 0 个") {
		t.Errorf("check does not say there are no projects:\n%s", stdout)
	}
}
