package gen

import (
	"path/filepath"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
	"xiezuo/sqldb"
)

// TestWriteReach: on the 2021 plan the projects name the villages their texts name (红山子,
// 根根渠, 大路耗, 南巴), report results dated up to the day, and the industrial and public
// projects completed by then (their steps written first) leave assets; a second run adds
// nothing.
func TestWriteReach(t *testing.T) {
	db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "xiezuo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	useTestAuditKey(t, db)
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, xiezuo.Beijing)
	db.SetClock(func() time.Time { return today })
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{Username: "test"})
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !res.OK() {
		t.Fatalf("parse sample: %v", err)
	}
	if _, err := db.ImportPlan(ctx, res.Plan, sample.Plan2021); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteLife(ctx, db, Life{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: demoUsers}); err != nil {
		t.Fatal(err)
	}
	o := Reach{District: "门头沟区", Year: 2021, Today: today, Seed: 1, Users: demoUsers}
	st, err := WriteReach(ctx, db, o)
	if err != nil {
		t.Fatalf("WriteReach = %v", err)
	}
	if st.Villages == 0 || st.Results == 0 || st.Assets == 0 {
		t.Fatalf("WriteReach stored %+v, want villages, results and assets", st)
	}
	p, err := db.LoadPlan(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := db.PlanVillages(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, pr := range p.Projects {
		for _, v := range vs[pr.ID] {
			codes[v.Code] = pr.Name
		}
	}
	t.Logf("stored %+v; villages %v", st, codes)
	for code, project := range map[string]string{
		"150125102207": "西乌兰不浪镇红山子村养殖产业扶持项目",
		"150125101205": "武川县哈乐镇根根渠村玫瑰补植养护项目",
		"540103102203": "堆龙德庆区村级卫生室标准化建设项目",
	} {
		if codes[code] != project {
			t.Errorf("village %s is under %q, want %q", code, codes[code], project)
		}
	}
	rs, err := db.PlanResults(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range rs {
		for _, r := range list {
			if xiezuo.DaysBetween(xiezuo.NewDate(2021, 9, 15), r.On) > 0 || r.At.After(today) {
				t.Errorf("result %+v is dated after the day", r)
			}
		}
	}
	as, err := db.PlanAssets(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if err := a.Validate(); err != nil || a.At.After(today) {
			t.Errorf("asset %+v: %v", a, err)
		}
	}
	again, err := WriteReach(ctx, db, o)
	if err != nil || again != (ReachStats{}) {
		t.Errorf("WriteReach again = %+v, %v; want nothing stored", again, err)
	}
}

// TestWriteReachCommitteeOf: committeeOf names the owner of an asset from a village of the register with its
// committee suffix once, whatever suffix the register wrote.
func TestWriteReachCommitteeOf(t *testing.T) {
	for in, want := range map[string]string{
		"红山子村民委员会":   "红山子村委会",
		"桃坪村委会":      "桃坪村委会",
		"八股地村":       "八股地村委会",
		"南巴":         "南巴村委会",
		"东嘎居委会":      "东嘎居委会",
		"东官井社区居民委员会": "东官井社区居委会",
		"德吉康萨社区":     "德吉康萨社区居委会",
	} {
		if got := committeeOf(in); got != want {
			t.Errorf("committeeOf(%q) = %q, want %q", in, got, want)
		}
	}
}
