package sqldb

import (
	"database/sql"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// TestContactsSurviveRename: a re-import that renames a project (same row of the same region,
// most columns equal) keeps its id, and so its contact; the unit's contact stays too.
func TestContactsSurviveRename(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		db.SetSealer(testSealer(t))
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		before := mustLoad(t, db, "门头沟区", 2021)
		project := before.Projects[1]
		if err := db.SaveContact(ctx, Contact{District: "门头沟区", Subject: ProjectSubject(project.ID), Label: project.Name, Name: "王五", Phone: "13812341234"}); err != nil {
			t.Fatalf("SaveContact(project) = %v", err)
		}
		unitID, err := db.UnitID(ctx, "门头沟区", "区财政局")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SaveContact(ctx, Contact{District: "门头沟区", Subject: UnitSubject(unitID), Label: "区财政局", Name: "赵六", Phone: "13900001111"}); err != nil {
			t.Fatalf("SaveContact(unit) = %v", err)
		}
		// Another district's project is not this district's to name.
		if err := db.SaveContact(ctx, Contact{District: "延庆区", Subject: ProjectSubject(project.ID), Name: "钱七", Phone: "13812341234"}); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("SaveContact(another district's project) = %v, want %s", err, xiezuo.ENOTFOUND)
		}

		content = []byte("v2")
		p := testPlan("门头沟区", 2021, content)
		p.Projects[1].Name = "武川县稳定就业补贴项目（二期）"
		p.Projects[1].DistrictFund = wan(120)
		changes := mustImport(t, db, p, content)
		var renamed bool
		for _, c := range changes {
			if c.Entity == xiezuo.EntityProject {
				if c.Kind != xiezuo.ChangeChanged || c.OldKey != "内蒙古武川县/武川县稳定就业补贴项目" {
					t.Errorf("ImportPlan(renamed) change = %v, want the project changed, renamed from its old key", c)
				}
				renamed = true
			}
		}
		if !renamed {
			t.Errorf("ImportPlan(renamed) = %v, want the rename among the changes", changes)
		}
		after := mustLoad(t, db, "门头沟区", 2021)
		if got := after.Projects[1]; got.ID != project.ID || got.Name != "武川县稳定就业补贴项目（二期）" {
			t.Fatalf("renamed project = %d %s, want id %d kept", got.ID, got.Name, project.ID)
		}
		contacts, err := db.ProjectContacts(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		if c, ok := contacts[project.ID]; !ok || c.Name != "王五" || c.Phone != "13812341234" {
			t.Errorf("ProjectContacts after the rename = %+v, want 王五's kept on project %d", contacts, project.ID)
		}
		if c, err := db.Contact(ctx, "门头沟区", UnitSubject(unitID)); err != nil || c.Name != "赵六" {
			t.Errorf("Contact(unit) after the re-import = %+v, %v, want 赵六's", c, err)
		}

		// A project the whole table no longer lists goes, and its contact with it.
		content = []byte("v3")
		p = testPlan("门头沟区", 2021, content)
		p.Projects = append(p.Projects[:1], p.Projects[2:]...)
		mustImport(t, db, p, content)
		contacts, err = db.ProjectContacts(ctx, "门头沟区", 2021)
		if err != nil || len(contacts) != 0 {
			t.Errorf("ProjectContacts after the project's deletion = %v, %v, want none", contacts, err)
		}
	})
}

// TestMigrationAttachesContactsByID: 0007 moves the contacts of 0003, named by subject
// strings, to the units and projects they name; those naming nothing stay apart.
func TestMigrationAttachesContactsByID(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		plan := mustLoad(t, db, "门头沟区", 2021)
		// Back to the schema before 0007, with contacts named by subject.
		blob := "BLOB"
		if db.dialect.name == "postgres" {
			blob = "BYTEA"
		}
		for _, q := range []string{
			`DROP TABLE contacts`,
			`DROP TABLE contacts_unattached`,
			`DELETE FROM schema_migrations WHERE name = '0007_identity.sql'`,
			`CREATE TABLE contacts (district TEXT NOT NULL, subject TEXT NOT NULL, name TEXT NOT NULL,
				phone_sealed ` + blob + ` NOT NULL, phone_index ` + blob + ` NOT NULL, updated_by TEXT NOT NULL,
				updated_at TIMESTAMP NOT NULL, PRIMARY KEY (district, subject))`,
			`CREATE INDEX contacts_phone_index_idx ON contacts (phone_index)`,
		} {
			if _, err := db.db.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		for _, c := range []struct{ subject, name string }{
			{"unit/区财政局", "甲"},
			{"project/2021/内蒙古武川县/武川县稳定就业补贴项目", "乙"},
			{"project/2020/内蒙古武川县/武川县稳定就业补贴项目", "丙"},
			{"unit/没有的单位", "丁"},
		} {
			_, err := db.db.ExecContext(ctx, `INSERT INTO contacts VALUES ($1, $2, $3, $4, $5, 'admin', $6)`,
				"门头沟区", c.subject, c.name, []byte{1}, []byte{2}, fixedNow(db))
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.migrateFile(ctx, "migrations/"+db.dialect.name+"/0007_identity.sql"); err != nil {
			t.Fatalf("migrate 0007 = %v", err)
		}
		unitID, err := db.UnitID(ctx, "门头沟区", "区财政局")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		err = each(ctx, db.db, `SELECT COALESCE(unit_id, 0), COALESCE(project_id, 0), name FROM contacts`, nil, func(rows *sql.Rows) error {
			var u, p int64
			var name string
			if err := rows.Scan(&u, &p, &name); err != nil {
				return err
			}
			got[name] = Subject{UnitID: u, ProjectID: p}.String()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"甲": UnitSubject(unitID).String(), "乙": ProjectSubject(plan.Projects[1].ID).String()}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("contacts after 0007 mismatch (-want +got):\n%s", diff)
		}
		var left []string
		err = each(ctx, db.db, `SELECT name FROM contacts_unattached ORDER BY name`, nil, func(rows *sql.Rows) error {
			left = append(left, "")
			return rows.Scan(&left[len(left)-1])
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 2 {
			t.Errorf("contacts_unattached after 0007 = %v, want 丙 and 丁", left)
		}
	})
}

// TestImportPlanAtConfirmsRemovals: an import checked with another count of deletions than it
// would make writes nothing; a partial project table deletes nothing.
func TestImportPlanAtConfirmsRemovals(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		v, err := db.PlanVersion(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		// The project table alone, whole (合计 and every region), without its second project.
		content = []byte("v2")
		p := testPlan("门头沟区", 2021, content)
		p.Sections, p.Points, p.Teams, p.Tasks = nil, nil, nil, nil
		p.Projects = append(p.Projects[:1:1], p.Projects[2:]...)
		pv, err := db.PreviewImport(ctx, testPlanOnlyProjects(p))
		if err != nil || pv.Version != v || pv.Coverage != xiezuo.CoversAllProjects || pv.Removals() != 1 {
			t.Fatalf("PreviewImport(whole table less a project) = %+v, %v; want 1 removal at version %d", pv, err, v)
		}
		if _, _, err := db.ImportPlanAt(ctx, testPlanOnlyProjects(p), content, v, 0); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("ImportPlanAt(1 removal, 0 confirmed) = %v, want %s", err, xiezuo.ECONFLICT)
		}
		if got := mustLoad(t, db, "门头沟区", 2021); len(got.Projects) != 3 || len(got.Points) == 0 {
			t.Fatalf("after a refused import: %d projects, %d work points; want 3 and the points kept", len(got.Projects), len(got.Points))
		}
		// Only 神农架林区's rows, no 合计: nothing deleted, the work points kept.
		q := testPlanOnlyProjects(p)
		q.Projects = q.Projects[1:]
		q.Subtotals = q.Subtotals[4:]
		if _, _, err := db.ImportPlanAt(ctx, q, content, v, 0); err != nil {
			t.Fatalf("ImportPlanAt(one region's rows) = %v", err)
		}
		if got := mustLoad(t, db, "门头沟区", 2021); len(got.Projects) != 3 || len(got.Subtotals) != 5 || len(got.Points) == 0 {
			t.Errorf("after one region's rows: %d projects, %d subtotals, %d points; want 3, 5 and the points kept", len(got.Projects), len(got.Subtotals), len(got.Points))
		}
	})
}

// testPlanOnlyProjects is a copy of p's project table alone, as a workbook holds it.
func testPlanOnlyProjects(p *xiezuo.Plan) *xiezuo.Plan {
	q := *p
	q.Sections, q.Points, q.Teams, q.Tasks = nil, nil, nil, nil
	q.Title, q.Office, q.Notice, q.IssuedOn = "", "", "", xiezuo.Date{}
	q.Projects = append([]xiezuo.Project(nil), p.Projects...)
	q.Subtotals = append([]xiezuo.Subtotal(nil), p.Subtotals...)
	q.Source.SHA256 = ""
	return &q
}
