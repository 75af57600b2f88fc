package sqldb

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"xiezuo"
)

// sqliteIndexes are the names of the SQLite indexes of table q sees.
func sqliteIndexes(t *testing.T, ctx context.Context, q querier, table string) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	err := each(ctx, q, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $1`, []any{table},
		func(rows *sql.Rows) error {
			var name string
			if err := rows.Scan(&name); err != nil {
				return err
			}
			got[name] = true
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// A large import on SQLite drops the phone and name indexes inside its transaction and builds
// them again when it ends; readers keep them all along, a refused import leaves them, and the
// rows written by the pipelined writer are all there, found by phone and by name.
func TestLabourImportDefersIndexes(t *testing.T) {
	db := openTestSQLite(t)
	db.SetSealer(testSealer(t))
	ctx := labourCtx(t)
	defer func(after, rows int) { labourDeferAfter, labourDeferRows = after, rows }(labourDeferAfter, labourDeferRows)
	labourDeferAfter, labourDeferRows = 1000, 2000
	const n = 3000

	run := func(district string, skipBad bool, bad bool) (LabourImportResult, bool) {
		imp, err := db.BeginLabourImport(ctx, LabourImportOptions{District: district, List: xiezuo.ListWorkers,
			FileName: "名单.xlsx", SkipBad: skipBad})
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			p := genPerson(i)
			if prob, err := imp.Add(ctx, i+2, xiezuo.LabourRecord{Person: &p}); err != nil || prob != "" {
				t.Fatalf("Add(%d) = %q, %v", i, prob, err)
			}
			imp.Progress(i+1, n)
		}
		// Once the writer has written past labourDeferAfter, the import's transaction no longer
		// has the phone index while other connections still do.
		if err := imp.drain(ctx); err != nil {
			t.Fatal(err)
		}
		inTx := sqliteIndexes(t, ctx, imp.tx, "labour_entries")["labour_entries_phone_idx"]
		if !sqliteIndexes(t, ctx, db.db, "labour_entries")["labour_entries_phone_idx"] {
			t.Errorf("a reader lost labour_entries_phone_idx during the import")
		}
		var errs []xiezuo.LabourRowError
		if bad {
			errs = []xiezuo.LabourRowError{{Row: n + 2, Message: "第3002行“身份证号”：校验码不对"}}
		}
		res, err := imp.Finish(ctx, errs, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res, inTx
	}

	res, inTx := run("门头沟区", false, true)
	if res.State != "refused" || inTx {
		t.Fatalf("refused import: state %q, phone index in its transaction %v; want refused, dropped", res.State, inTx)
	}
	for _, table := range []string{"labour_entries", "labour_people"} {
		got := sqliteIndexes(t, ctx, db.db, table)
		for _, name := range labourDeferredIndexes {
			if strings.HasPrefix(name, table) && !got[name] {
				t.Errorf("after a refused import %s has no %s", table, name)
			}
		}
	}
	res, _ = run("门头沟区", false, false)
	if res.State != "done" || res.Added != n {
		t.Fatalf("import = %+v, want done with %d added", res, n)
	}
	for _, table := range []string{"labour_entries", "labour_people"} {
		got := sqliteIndexes(t, ctx, db.db, table)
		for _, name := range labourDeferredIndexes {
			if strings.HasPrefix(name, table) && !got[name] {
				t.Errorf("after the import %s has no %s", table, name)
			}
		}
	}
	want := genPerson(2345)
	for _, q := range []string{want.Phone, want.IDNumber} {
		page, err := db.LabourPeople(ctx, LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers, Q: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Rows) != 1 || page.Rows[0].Name != want.Name {
			t.Errorf("LabourPeople(Q=%s) = %+v, want %s", q[:3], page.Rows, want.Name)
		}
	}
	var plan string
	err := each(ctx, db.db, `EXPLAIN QUERY PLAN SELECT id FROM labour_entries WHERE phone_index = x'00'`, nil,
		func(rows *sql.Rows) error {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return err
			}
			plan += detail
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "labour_entries_phone_idx") {
		t.Errorf("a phone search's plan %q does not use the rebuilt index", plan)
	}
}

// A small import never drops an index.
func TestLabourImportSmallKeepsIndexes(t *testing.T) {
	db := openTestSQLite(t)
	db.SetSealer(testSealer(t))
	ctx := labourCtx(t)
	imp, err := db.BeginLabourImport(ctx, LabourImportOptions{District: "门头沟区", List: xiezuo.ListWilling})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1200 {
		p := genPerson(i)
		if _, err := imp.Add(ctx, i+2, xiezuo.LabourRecord{Person: &p}); err != nil {
			t.Fatal(err)
		}
		imp.Progress(i+1, 1200)
	}
	if err := imp.drain(ctx); err != nil {
		t.Fatal(err)
	}
	if !sqliteIndexes(t, ctx, imp.tx, "labour_entries")["labour_entries_phone_idx"] || len(imp.deferred) > 0 {
		t.Errorf("an import of 1,200 rows dropped %v", imp.deferred)
	}
	if _, err := imp.Finish(ctx, nil, nil); err != nil {
		t.Fatal(err)
	}
}
