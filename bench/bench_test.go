// Package bench measures reading and storing plans: the 2021 plan of Mentougou District as
// published, and a generated plan of 10,000 projects. Run with
//
//	go test ./bench/ -run XXX -bench . -benchmem
//
// The PostgreSQL benchmarks use XIEZUO_TEST_POSTGRES (default: the local server, user postgres),
// where the user may create databases; each import gets a database of its own, dropped after.
// Without a reachable server they are skipped (with CI set, they fail).
package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/plandoc"
	"xiezuo/sqldb"
	"xiezuo/sqldb/sqldbtest"
)

const sample2021 = "../sample/2021-mentougou-plan.md"

// large is the generated plan of 10,000 projects, made once per run.
var large = sync.OnceValues(func() (*xiezuo.Plan, []byte) {
	p := gen.Plan(gen.Options{Seed: 10000, District: "门头沟区", Year: 2021, Regions: 10, Projects: 10000})
	content := gen.Markdown(p)
	p.Source = gen.SourceOf(p, content)
	return p, content
})

// plan2021 reads the 2021 plan as `xiezuo import` does.
func plan2021(b *testing.B) (*xiezuo.Plan, []byte) {
	b.Helper()
	data, err := os.ReadFile(sample2021)
	if err != nil {
		b.Fatal(err)
	}
	res, err := plandoc.Parse(filepath.Base(sample2021), data)
	if err != nil {
		b.Fatal(err)
	}
	if !res.OK() {
		b.Fatalf("%s has errors: %v", sample2021, res.Errors)
	}
	return res.Plan, data
}

func benchCheck(b *testing.B, name string, data []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for range b.N {
		res, err := plandoc.Parse(name, data)
		if err != nil {
			b.Fatal(err)
		}
		if !res.OK() {
			b.Fatalf("Parse(%s): %d errors, first %v", name, len(res.Errors), res.Errors[0])
		}
	}
}

func BenchmarkCheck2021(b *testing.B) {
	data, err := os.ReadFile(sample2021)
	if err != nil {
		b.Fatal(err)
	}
	benchCheck(b, filepath.Base(sample2021), data)
}

func BenchmarkCheck10000(b *testing.B) {
	p, content := large()
	benchCheck(b, gen.FileName(p, ".md"), content)
}

// BenchmarkGenerate10000 makes the plan of 10,000 projects and writes its document, as every
// benchmark over generated plans does before its timer starts.
func BenchmarkGenerate10000(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		p := gen.Plan(gen.Options{Seed: 10000, District: "门头沟区", Year: 2021, Regions: 10, Projects: 10000})
		b.SetBytes(int64(len(gen.Markdown(p))))
	}
}

// opener makes a fresh, empty database for one iteration and returns it with the function that
// disposes of it.
type opener func(b *testing.B, i int) (*sqldb.DB, func())

func sqliteOpener(b *testing.B) opener {
	dir := b.TempDir()
	return func(b *testing.B, i int) (*sqldb.DB, func()) {
		file := filepath.Join(dir, fmt.Sprintf("xiezuo-%d.db", i))
		db, err := sqldb.Open(context.Background(), file)
		if err != nil {
			b.Fatalf("sqldb.Open(sqlite): %v", err)
		}
		useBenchAuditKey(b, db)
		return db, func() {
			db.Close()
			for _, f := range []string{file, file + "-wal", file + "-shm"} {
				os.Remove(f)
			}
		}
	}
}

// postgresOpener creates a database per iteration on the server of XIEZUO_TEST_POSTGRES (dropped
// when the benchmark ends); it skips the benchmark when the server cannot be reached.
func postgresOpener(b *testing.B) opener {
	return func(b *testing.B, i int) (*sqldb.DB, func()) {
		db, err := sqldb.Open(context.Background(), sqldbtest.PostgresURL(b))
		if err != nil {
			b.Fatalf("sqldb.Open(postgres): %v", err)
		}
		useBenchAuditKey(b, db)
		return db, func() { db.Close() }
	}
}

// useBenchAuditKey gives db the audit key every write needs.
func useBenchAuditKey(b *testing.B, db *sqldb.DB) {
	if err := db.UseAuditKey(context.Background(), []byte("xiezuo test audit key, 32 bytes!")); err != nil {
		b.Fatal(err)
	}
}

// benchImport times importing p into a fresh database; making and dropping the database are
// not timed.
func benchImport(b *testing.B, open opener, p *xiezuo.Plan, content []byte) {
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(content)))
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		db, done := open(b, i)
		q := *p
		b.StartTimer()
		changes, err := db.ImportPlan(ctx, &q, content)
		b.StopTimer()
		if err != nil {
			b.Fatalf("ImportPlan: %v", err)
		}
		if len(changes) == 0 {
			b.Fatal("ImportPlan into an empty database changed nothing")
		}
		done()
		b.StartTimer()
	}
}

func BenchmarkImport2021SQLite(b *testing.B) {
	p, data := plan2021(b)
	benchImport(b, sqliteOpener(b), p, data)
}

func BenchmarkImport2021Postgres(b *testing.B) {
	p, data := plan2021(b)
	benchImport(b, postgresOpener(b), p, data)
}

func BenchmarkImport10000SQLite(b *testing.B) {
	p, content := large()
	benchImport(b, sqliteOpener(b), p, content)
}

func BenchmarkImport10000Postgres(b *testing.B) {
	p, content := large()
	benchImport(b, postgresOpener(b), p, content)
}

// benchReimport times importing a plan that is already stored, unchanged: the database reads the
// stored plan, finds no change and writes nothing.
func benchReimport(b *testing.B, open opener) {
	ctx := context.Background()
	p, content := large()
	db, done := open(b, 0)
	defer done()
	q := *p
	if _, err := db.ImportPlan(ctx, &q, content); err != nil {
		b.Fatalf("first ImportPlan: %v", err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(content)))
	b.ResetTimer()
	for range b.N {
		q := *p
		changes, err := db.ImportPlan(ctx, &q, content)
		if err != nil {
			b.Fatalf("ImportPlan: %v", err)
		}
		if len(changes) != 0 {
			b.Fatalf("ImportPlan of the same plan again: %d changes, first %s", len(changes), changes[0])
		}
	}
}

func BenchmarkReimportUnchanged10000SQLite(b *testing.B) {
	benchReimport(b, sqliteOpener(b))
}

func BenchmarkReimportUnchanged10000Postgres(b *testing.B) {
	benchReimport(b, postgresOpener(b))
}

// largeDOCX is the plan of 10,000 projects as a Word document of about 200 pages (gen.PlanDOCX).
var largeDOCX = sync.OnceValues(func() ([]byte, error) {
	p, _ := large()
	return gen.PlanDOCX(p)
})

// BenchmarkCheckDOCX200Pages checks the plan of 10,000 projects written as a Word document of
// 200 pages, its tables as Word tables: the bound is 3 s.
func BenchmarkCheckDOCX200Pages(b *testing.B) {
	data, err := largeDOCX()
	if err != nil {
		b.Fatal(err)
	}
	p, _ := large()
	benchCheck(b, gen.FileName(p, ".docx"), data)
}
