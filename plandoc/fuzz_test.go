package plandoc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"xiezuo/sample"
)

// FuzzParse feeds the reader damaged documents. It must never panic, every problem must name a
// line inside the document, and a document it accepts must give consistent figures.
// Run it for minutes with: go test ./plandoc -run XXX -fuzz FuzzParse -fuzztime 5m
func FuzzParse(f *testing.F) {
	// The whole 2021 plan is too large a seed for the fuzzer's mutator; its project table's
	// first region and the task list's continued row carry its quirks.
	plan := string(sample.Plan2021)
	f.Add(plan[strings.Index(plan, "## 附件3"):strings.Index(plan, "2.消费帮扶类")])
	f.Add(plan[strings.Index(plan, "## 附件 2"):strings.Index(plan, "打造乡村振兴示范村")])
	f.Add(plan[:strings.Index(plan, "3. 持续帮扶")])
	for _, dir := range []string{"testdata", "testdata/bad"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.*"))
		for _, name := range files {
			if data, err := os.ReadFile(name); err == nil {
				f.Add(string(data))
			}
		}
	}
	f.Add("# 2021年门头沟区支援合作工作要点\n一、甲\n1. 乙（区财政局）\n")
	f.Fuzz(func(t *testing.T, doc string) {
		r, err := Parse("fuzz.md", []byte(doc))
		if err != nil {
			return
		}
		lines := strings.Count(doc, "\n") + 1
		for _, p := range append(r.Errors, r.Warnings...) {
			if p.Line < 1 || p.Line > lines {
				t.Errorf("problem at line %d of a %d-line document: %s", p.Line, lines, p.Message)
			}
			if !utf8.ValidString(p.Message) {
				t.Errorf("problem message is not UTF-8: %q", p.Message)
			}
		}
		s := r.Summary()
		n := 0
		for _, reg := range s.Regions {
			n += reg.Projects
		}
		if n != s.Projects {
			t.Errorf("regions hold %d projects, summary says %d", n, s.Projects)
		}
		for _, pr := range r.Plan.Projects {
			if pr.Period.Start.Month < 0 || pr.Period.Start.Month > 12 {
				t.Errorf("project %q has month %d", pr.Name, pr.Period.Start.Month)
			}
		}
	})
}
