package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
	"xiezuo/sqldb/sqldbtest"
	"xiezuo/xlsx"
)

// TestConcurrentImportsLoseNothing: a project workbook and a full plan imported at once, each
// with a change of its own. Each import that reports success keeps its change in the final
// plan, unless a later document restated that part: the full plan's work point edit always
// stays, and the workbook's project edit stays when the workbook came last. An import that
// would have lost the other's update fails and says so. Several rounds on each database: the
// race does not show every time.
func TestConcurrentImportsLoseNothing(t *testing.T) {
	const oldText, newText = "健全完善组织体系和工作机制。", "健全完善组织体系和工作机制（并发修改）。"
	text := string(sample.Plan2021)
	if !strings.Contains(text, oldText) {
		t.Fatal("the work point text is not in the plan")
	}
	plan := writeFile(t, "2021-mentougou-plan.md", sample.Plan2021)
	full := writeFile(t, "2021-full.md", []byte(strings.Replace(text, oldText, newText, 1)))
	res, err := plandoc.Parse("plan.md", sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("Parse(2021 plan) = %v", err)
	}
	res.Plan.Projects[0].Managers = "并发负责人"
	workbook := filepath.Join(t.TempDir(), "projects.xlsx")
	if err := xlsx.WriteProjectsFile(workbook, res.Plan); err != nil {
		t.Fatal(err)
	}
	// Each takes the subtest's t: a PostgreSQL that cannot be reached skips the subtest, not
	// its parent from inside it.
	dsns := map[string]func(t *testing.T, i int) string{
		"sqlite": func(t *testing.T, i int) string {
			return filepath.Join(t.TempDir(), "data", fmt.Sprintf("xiezuo-%d.db", i))
		},
		"postgres": func(t *testing.T, _ int) string { return sqldbtest.PostgresURL(t) },
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			for i := range 5 {
				dsn := dsns[engine](t, i)
				if code, out, errs := xz(t, "import", "--db", dsn, plan); code != exitOK {
					t.Fatalf("import = exit %d:\n%s%s", code, out, errs)
				}
				files := []string{full, workbook}
				codes := make([]int, 2)
				errs := make([]string, 2)
				var wg sync.WaitGroup
				for j, f := range files {
					wg.Add(1)
					go func() {
						defer wg.Done()
						var out, eb bytes.Buffer
						args := []string{"import", "--db", dsn, f}
						codes[j] = run(t.Context(), args, testGetenv(args), strings.NewReader(""), &out, &eb)
						errs[j] = eb.String()
					}()
				}
				wg.Wait()
				db, err := sqldb.Open(t.Context(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				p, err := db.LoadPlan(t.Context(), "门头沟区", 2021)
				db.Close()
				if err != nil {
					t.Fatal(err)
				}
				if codes[0] != exitOK && codes[1] != exitOK {
					t.Fatalf("round %d: both imports failed:\n%s\n%s", i, errs[0], errs[1])
				}
				for j := range files {
					if codes[j] != exitOK && !strings.Contains(errs[j], "其他人导入") {
						t.Errorf("round %d: import of %s failed without saying why: %s", i, filepath.Base(files[j]), errs[j])
					}
				}
				if codes[0] == exitOK && !strings.Contains(p.Points[1].Text+p.Points[1].Title, "并发修改") {
					t.Errorf("round %d: the full plan's import succeeded, but its work point edit is lost (stored last: %s)", i, p.Source.Name)
				}
				if codes[1] == exitOK && filepath.Base(p.Source.Name) == filepath.Base(workbook) && p.Projects[0].Managers != "并发负责人" {
					t.Errorf("round %d: the workbook was stored last, but its project edit is lost", i)
				}
			}
		})
	}
}

// TestImportSeveralFilesSaysWhichWereStored: when the second of three files fails to be
// stored, the command says the first was stored and the second and third were not; the first
// stays stored, the second left nothing behind.
func TestImportSeveralFilesSaysWhichWereStored(t *testing.T) {
	text := string(sample.Plan2021)
	plan := writeFile(t, "2021-mentougou-plan.md", sample.Plan2021)
	first := writeFile(t, "first.md", []byte(strings.Replace(text, "健全完善组织体系和工作机制。", "健全完善组织体系和工作机制（第一份）。", 1)))
	refused := writeFile(t, "refused.md", []byte(strings.Replace(text, "健全完善组织体系和工作机制。", "健全完善组织体系和工作机制（第二份）。", 1)))
	third := writeFile(t, "third.md", []byte(strings.Replace(text, "健全完善组织体系和工作机制。", "健全完善组织体系和工作机制（第三份）。", 1)))
	dsn := filepath.Join(t.TempDir(), "data", "xiezuo.db")
	if code, out, errs := xz(t, "import", "--db", dsn, plan); code != exitOK {
		t.Fatalf("import = exit %d:\n%s%s", code, out, errs)
	}
	// The database refuses to record the import of refused.md, as a full disk would.
	raw, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`CREATE TRIGGER refuse BEFORE INSERT ON audit_log WHEN NEW.detail LIKE '%refused.md%'
		BEGIN SELECT RAISE(ABORT, 'refused'); END`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := xz(t, "import", "--db", dsn, first, refused, third)
	if code != exitError {
		t.Errorf("import of three files, the second refused = exit %d, want %d", code, exitError)
	}
	_, stored, _ := strings.Cut(errs, "已导入的文件")
	_, notStored, _ := strings.Cut(errs, "未导入的文件")
	if !strings.Contains(errs, "导入“"+refused+"”失败") || !strings.Contains(stored, first) || !strings.Contains(notStored, third) || strings.Contains(notStored, first) || strings.Contains(errs, "数据库未作任何改动") {
		t.Errorf("import of three files, the second refused, says:\n%s%s", out, errs)
	}
	db, err := sqldb.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Points[1].Title + p.Points[1].Text; !strings.Contains(got, "第一份") {
		t.Errorf("work point after the import = %q, want the first file's edit", got)
	}
}
