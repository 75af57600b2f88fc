package gen

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sqldb"
)

const defaultTestPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// forEachDB runs f on a fresh SQLite file and on a fresh PostgreSQL database of its own, dropped
// afterwards. Without a reachable PostgreSQL the second half is skipped, or fails when CI is set.
func forEachDB(t *testing.T, f func(t *testing.T, db *sqldb.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "xiezuo.db"))
		if err != nil {
			t.Fatalf("sqldb.Open(sqlite) = %v", err)
		}
		t.Cleanup(func() { db.Close() })
		useTestAuditKey(t, db)
		f(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("XIEZUO_TEST_POSTGRES")
		if dsn == "" {
			dsn = defaultTestPostgres
		}
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatalf("sql.Open(pgx) = %v", err)
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		if err := admin.PingContext(ctx); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("PostgreSQL unreachable: %v", err)
			}
			t.Skipf("PostgreSQL unreachable (set XIEZUO_TEST_POSTGRES): %v", err)
		}
		b := make([]byte, 8)
		rand.Read(b)
		name := "xiezuo_gen_" + hex.EncodeToString(b) // generated: safe to splice into DDL
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			t.Fatalf("CREATE DATABASE: %v", err)
		}
		defer func() {
			if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
				t.Errorf("DROP DATABASE %s: %v", name, err)
			}
		}()
		u, _ := url.Parse(dsn)
		u.Path = "/" + name
		db, err := sqldb.Open(t.Context(), u.String())
		if err != nil {
			t.Fatalf("sqldb.Open(postgres) = %v", err)
		}
		defer db.Close()
		useTestAuditKey(t, db)
		f(t, db)
	})
}

// useTestAuditKey gives db the audit key every write needs.
func useTestAuditKey(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if err := db.UseAuditKey(t.Context(), []byte("xiezuo test audit key, 32 bytes!")); err != nil {
		t.Fatal(err)
	}
}

func TestStore(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		plans := []*xiezuo.Plan{
			Plan(Options{Seed: 1, District: "门头沟区", Year: 2021}),
			Plan(Options{Seed: 2, District: "门头沟区", Year: 2022, Regions: 4, Projects: 60}),
			Plan(Options{Seed: 3, District: "怀柔区", Year: 2021, Regions: 5, Projects: 200}),
		}
		if err := Store(ctx, db, plans...); err != nil {
			t.Fatalf("Store: %v", err)
		}
		for _, p := range plans {
			got, err := db.LoadPlan(ctx, p.District, p.Year)
			if err != nil {
				t.Fatalf("LoadPlan(%s, %d): %v", p.District, p.Year, err)
			}
			if diff := cmp.Diff(xiezuo.Summarize(p), xiezuo.Summarize(got), ignoreSummaryFile); diff != "" {
				t.Errorf("summary of LoadPlan(%s, %d) differs (-stored +loaded):\n%s", p.District, p.Year, diff)
			}
			opts := cmp.Options{cmpopts.IgnoreTypes(xiezuo.Pos{}, xiezuo.Source{}), cmpopts.EquateEmpty()}
			if diff := cmp.Diff(p, got.WithoutIDs(), opts); diff != "" {
				t.Errorf("LoadPlan(%s, %d) differs from the plan stored (-stored +loaded):\n%s", p.District, p.Year, diff)
			}
			// Importing the document Store wrote, read back as `xiezuo import` reads it,
			// changes nothing: the document says all the plan says.
			content := Markdown(p)
			res, err := plandoc.Parse(FileName(p, ".md"), content)
			if err != nil || !res.OK() {
				t.Fatalf("Parse(Markdown(p)) = %v, %v", err, res.Errors)
			}
			changes, err := db.ImportPlan(ctx, res.Plan, content)
			if err != nil {
				t.Fatalf("ImportPlan(parsed document): %v", err)
			}
			for _, c := range changes {
				t.Errorf("ImportPlan(parsed document) changed: %s", c)
			}
		}
	})
}
