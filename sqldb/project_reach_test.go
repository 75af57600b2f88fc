package sqldb

import (
	"strconv"
	"testing"
	"time"

	"xiezuo"
)

// reachFixture imports a plan with projects on db and returns the stored plan and the clock's
// day, 2021-09-15 by the database's clock.
func reachFixture(t *testing.T, db *DB) *xiezuo.Plan {
	t.Helper()
	db.now = func() time.Time { return time.Date(2021, 9, 15, 2, 0, 0, 0, time.UTC) }
	content := []byte("reach")
	mustImport(t, db, testPlan("门头沟区", 2021, content), content)
	p := mustLoad(t, db, "门头沟区", 2021)
	if len(p.Projects) < 2 {
		t.Fatalf("test plan has %d projects, want 2 or more", len(p.Projects))
	}
	return p
}

// auditCount counts the audit entries of an action on project id.
func auditCount(t *testing.T, db *DB, action string, id int64) int {
	t.Helper()
	es, _, err := db.SearchAudit(t.Context(), AuditFilter{Action: action, ObjectType: "project", ObjectID: strconv.FormatInt(id, 10), Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestProjectVillages: villages are added and removed by new rows, each with its audit entry;
// adding one twice or removing one not named is refused and writes nothing; the plan-wide read
// gives every project's facts, and the distinct count across projects counts a village once.
func TestProjectVillages(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		p := reachFixture(t, db)
		ctx := WithActor(t.Context(), Actor{Username: "wuchuan", Unit: "前方挂职干部"})
		a, b := p.Projects[0].ID, p.Projects[1].ID
		t0 := time.Date(2021, 9, 1, 1, 0, 0, 0, time.UTC)
		add := func(id int64, code, name string, at time.Time) error {
			_, err := db.SaveProjectVillage(ctx, xiezuo.ProjectVillage{ProjectID: id, Code: code, Name: name, At: at})
			return err
		}
		for _, v := range []struct {
			id         int64
			code, name string
			at         time.Time
		}{
			{a, "150125102207", "红山子村民委员会", t0},
			{a, "150125101205", "根根渠村民委员会", t0.Add(time.Hour)},
			{a, "", "新合村", t0.Add(2 * time.Hour)},
			{b, "150125102207", "红山子村民委员会", t0.Add(3 * time.Hour)},
		} {
			if err := add(v.id, v.code, v.name, v.at); err != nil {
				t.Fatalf("SaveProjectVillage(%s) = %v", v.name, err)
			}
		}
		if err := add(a, "150125102207", "红山子村", t0.Add(4*time.Hour)); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("adding 红山子 twice = %v, want ECONFLICT", err)
		}
		if err := add(a, "", "", t0); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("adding no name = %v, want EINVALID", err)
		}
		if err := add(999999, "", "新合村", t0); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("adding to no project = %v, want ENOTFOUND", err)
		}
		removed, err := db.SaveProjectVillage(ctx, xiezuo.ProjectVillage{ProjectID: a, Code: "150125101205", Name: "根根渠", Removed: true, At: t0.Add(5 * time.Hour)})
		if err != nil || removed.Name != "根根渠村民委员会" || removed.By != "wuchuan" {
			t.Fatalf("removing 根根渠 = %+v, %v; want the stored name and the actor", removed, err)
		}
		if _, err := db.SaveProjectVillage(ctx, xiezuo.ProjectVillage{ProjectID: a, Name: "新合", Removed: true}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("removing a name not named = %v, want ECONFLICT", err)
		}
		facts, err := db.ProjectVillages(t.Context(), a)
		if err != nil || len(facts) != 4 {
			t.Fatalf("ProjectVillages = %d facts, %v; want 4 (3 added, 1 removed)", len(facts), err)
		}
		if n := auditCount(t, db, AuditVillageAdd, a) + auditCount(t, db, AuditVillageRemove, a); n != 4 {
			t.Errorf("audit entries of project a = %d, want 4", n)
		}
		all, err := db.PlanVillages(t.Context(), "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2021, 9, 15, 0, 0, 0, 0, time.UTC)
		if got := xiezuo.DistinctVillages(xiezuo.VillagesAt(all[a], now), xiezuo.VillagesAt(all[b], now)); got != 2 {
			t.Errorf("distinct villages of a and b = %d, want 2 (红山子 once, 新合村)", got)
		}
		before := t0.Add(4 * time.Hour)
		if got := len(xiezuo.VillagesAt(all[a], before)); got != 3 {
			t.Errorf("villages of a as of before the removal = %d, want 3", got)
		}
	})
}

// TestProjectResultsAndAssets: results are dated rows read back as of a day; assets are
// validated, corrected by rows that supersede them (once), and read back plan-wide.
func TestProjectResultsAndAssets(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		p := reachFixture(t, db)
		ctx := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		id := p.Projects[0].ID
		for _, r := range []xiezuo.ProjectResult{
			{ProjectID: id, Kind: xiezuo.ResultPeople, Value: 100, On: xiezuo.NewDate(2021, 7, 31)},
			{ProjectID: id, Kind: xiezuo.ResultPeople, Value: 130, On: xiezuo.NewDate(2021, 8, 31)},
			{ProjectID: id, Kind: xiezuo.ResultJobs, Value: 0, On: xiezuo.NewDate(2021, 8, 31)},
		} {
			if _, err := db.AddProjectResult(ctx, r); err != nil {
				t.Fatalf("AddProjectResult(%+v) = %v", r, err)
			}
		}
		if _, err := db.AddProjectResult(ctx, xiezuo.ProjectResult{ProjectID: id, Kind: xiezuo.ResultPeople, Value: 1, On: xiezuo.NewDate(2021, 9, 16)}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("a result dated tomorrow = %v, want EINVALID", err)
		}
		rs, err := db.PlanResults(t.Context(), "门头沟区", 2021)
		if err != nil || len(rs[id]) != 3 {
			t.Fatalf("PlanResults = %v, %v; want 3 rows", rs, err)
		}
		got := xiezuo.ResultsAt(rs[id], xiezuo.NewDate(2021, 8, 1))
		if got[xiezuo.ResultPeople] != xiezuo.Known(100) || got[xiezuo.ResultJobs].Valid {
			t.Errorf("ResultsAt(08-01) = %v, want people 100 and jobs not reported", got)
		}
		if got := xiezuo.ResultsAt(rs[id], xiezuo.NewDate(2021, 9, 1)); got[xiezuo.ResultPeople] != xiezuo.Known(130) || got[xiezuo.ResultJobs] != xiezuo.Known(0) {
			t.Errorf("ResultsAt(09-01) = %v, want people 130 and jobs 0", got)
		}
		if n := auditCount(t, db, AuditResultAdd, id); n != 3 {
			t.Errorf("result audit entries = %d, want 3", n)
		}

		farm := xiezuo.Asset{ProjectID: id, Kind: "经营性资产", Name: "标准化养殖场", Value: xiezuo.Known(50 * xiezuo.FenPerWan), Quantity: xiezuo.Known(1),
			Unit: "座", Owner: "大路耗村委会", HandoverOn: xiezuo.NewDate(2021, 9, 10), Upkeep: "村委会管护，租金归村集体"}
		a1, err := db.AddAsset(ctx, farm)
		if err != nil {
			t.Fatalf("AddAsset = %v", err)
		}
		bad := farm
		bad.Owner = ""
		if _, err := db.AddAsset(ctx, bad); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("AddAsset(no owner) = %v, want EINVALID", err)
		}
		fix := farm
		fix.Value, fix.Supersedes = xiezuo.Known(48*xiezuo.FenPerWan), a1.ID
		a2, err := db.AddAsset(ctx, fix)
		if err != nil {
			t.Fatalf("AddAsset(correction) = %v", err)
		}
		if _, err := db.AddAsset(ctx, fix); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("correcting a corrected row again = %v, want ECONFLICT", err)
		}
		other := fix
		other.ProjectID, other.Supersedes = p.Projects[1].ID, a2.ID
		if _, err := db.AddAsset(ctx, other); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("correcting another project's asset = %v, want ENOTFOUND", err)
		}
		as, err := db.PlanAssets(t.Context(), "门头沟区", 2021)
		if err != nil || len(as) != 2 {
			t.Fatalf("PlanAssets = %d rows, %v; want 2", len(as), err)
		}
		if as[0].HandoverOn != farm.HandoverOn || as[0].Value != farm.Value || as[1].Supersedes != a1.ID || as[0].By != "office" {
			t.Errorf("PlanAssets read back %+v", as)
		}
		now := xiezuo.AssetsAt(as, time.Date(2021, 9, 15, 12, 0, 0, 0, time.UTC))
		if len(now) != 1 || now[0].ID != a2.ID || now[0].Value.V != 48*xiezuo.FenPerWan {
			t.Errorf("AssetsAt(now) = %+v, want the correction only", now)
		}
		if n := auditCount(t, db, AuditAssetAdd, id) + auditCount(t, db, AuditAssetCorrect, id); n != 2 {
			t.Errorf("asset audit entries = %d, want 2", n)
		}
	})
}
