package sqldb

import (
	"testing"

	"xiezuo"
)

func TestProjectIDs(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		content := []byte("# 2021年门头沟区支援合作工作要点\n")
		p := testPlan("门头沟区", 2021, content)
		if len(p.Projects) == 0 {
			t.Fatal("testPlan has no projects")
		}
		mustImport(t, db, p, content)
		ids, version, err := db.ProjectIDs(t.Context(), p.District, p.Year)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != len(p.Projects) {
			t.Fatalf("ProjectIDs = %d ids, want %d", len(ids), len(p.Projects))
		}
		want, err := db.PlanVersion(t.Context(), p.District, p.Year)
		if err != nil {
			t.Fatal(err)
		}
		if version != want {
			t.Errorf("ProjectIDs version = %d, want %d", version, want)
		}
		for i, id := range ids {
			var name string
			if err := db.db.QueryRowContext(t.Context(), `SELECT name FROM projects WHERE id = $1`, id).Scan(&name); err != nil {
				t.Fatal(err)
			}
			if name != p.Projects[i].Name {
				t.Errorf("project %d: id %d names %q, want %q", i, id, name, p.Projects[i].Name)
			}
		}
		if _, _, err := db.ProjectIDs(t.Context(), p.District, p.Year+1); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("ProjectIDs(no plan) error = %v, want not found", err)
		}
	})
}
