package sqldb

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

func wan(v int64) xiezuo.Num { return xiezuo.Known(v * xiezuo.FenPerWan) }

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func unit(name string) xiezuo.Unit {
	u, _ := xiezuo.LookupUnit(name)
	return u
}

func lead(name, written string) xiezuo.Responsibility {
	return xiezuo.Responsibility{Unit: name, Written: written, Role: xiezuo.RoleLead}
}

func coop(name, written string) xiezuo.Responsibility {
	return xiezuo.Responsibility{Unit: name, Written: written, Role: xiezuo.RoleCooperating}
}

// testPlan builds a small plan by hand: 2 sections, 2 work points, a work team, 3 tasks (one
// with two deadline dates, one open), 2 partner regions, 3 projects with some unknown
// figures, and their subtotals. Each call returns a fresh plan that shares nothing with others.
func testPlan(district string, year int, content []byte) *xiezuo.Plan {
	return &xiezuo.Plan{
		Year:     year,
		District: district,
		Title:    fmt.Sprintf("%d年%s支援合作工作要点", year, district),
		Office:   district + "扶贫协作和支援合作工作领导小组办公室",
		IssuedOn: xiezuo.Date{Year: year, Month: 6, Day: 18},
		Notice:   "经第190次区委常委会议审议通过，现将工作要点转发给你们，请结合实际抓好落实。",
		Source:   xiezuo.Source{Name: "plan.md", SHA256: digest(content), Kind: "text"},
		Sections: []xiezuo.Section{
			{Number: 1, Title: "持续提高政治站位，强化组织领导和制度建设", Pos: xiezuo.Pos{Line: 20}},
			{Number: 2, Title: "巩固协作地区脱贫成果，有效衔接乡村振兴", Pos: xiezuo.Pos{Line: 40}},
		},
		Points: []xiezuo.WorkPoint{
			{
				Number: 3, Section: 1, Title: "持续帮扶资金项目投入水平", Text: "落实中央和本市有关工作要求，按照不低于上一年度规模安排帮扶资金。",
				Units: []xiezuo.Responsibility{
					lead("区财政局", "区财政局"),
					coop("领导小组办公室", "领导小组办公室"),
					coop("区科技和信息化局", "区科信局"),
					coop("各镇街", "各镇街"),
				},
				UnitsOpen: true,
				Pos:       xiezuo.Pos{Line: 30},
				UnitsPos:  xiezuo.Pos{Line: 32},
			},
			{
				Number: 6, Section: 2, Title: "助力乡村特色产业发展", Text: "将产业合作作为助力巩固拓展脱贫成果、推进乡村振兴的重点。",
				Units: []xiezuo.Responsibility{
					coop("区农业农村局", "区农业局"),
					{Unit: "区商务局", Written: "区商务局", Role: xiezuo.RoleLead, Stated: true},
				},
				Pos:      xiezuo.Pos{Line: 44},
				UnitsPos: xiezuo.Pos{Line: 46},
			},
		},
		Teams: []xiezuo.WorkTeam{{
			Number: 2, Name: "产业合作专班", Note: "按部门职责分别牵头相关领域产业合作工作",
			Leads: []string{"区科技和信息化局", "区农业农村局"},
			Pos:   xiezuo.Pos{Line: 120},
		}},
		Tasks: []xiezuo.Task{
			{
				Number: 1, WorkItem: "组织领导", Category: "研究部署",
				Content: "1. 区委书记或区长每半年召开一次以上会议。 2. 分管领导每半年召开一次以上会议。",
				Requirements: []xiezuo.Requirement{
					{Number: 1, Text: "区委书记或区长每半年召开一次以上会议。"},
					{Number: 2, Text: "分管领导每半年召开一次以上会议。"},
				},
				Units:    []xiezuo.Responsibility{lead("领导小组办公室", "领导小组办公室"), coop("武川县益民种养殖合作社", "武川县益民种养殖合作社")},
				Deadline: xiezuo.Deadline{Text: "6月底前、12月底前", Dates: []xiezuo.Date{{Year: year, Month: 6, Day: 30}, {Year: year, Month: 12, Day: 31}}},
				Pos:      xiezuo.Pos{Line: 140},
			},
			{
				Number: 2, WorkItem: "助推乡村振兴", Category: "干部人才", Content: "选派党政挂职干部和专业技术人才。",
				Units:     []xiezuo.Responsibility{lead("区农业农村局", "区农业农村局")},
				UnitsOpen: true,
				Deadline:  xiezuo.Deadline{Text: "按选派和培训计划完成"},
				Pos:       xiezuo.Pos{Line: 150},
			},
			{
				Number: 3, WorkItem: "信息宣传", Category: "媒体宣传", Content: "积极在各级媒体上刊发新闻报道。",
				Units:    []xiezuo.Responsibility{lead("领导小组办公室", "领导小组办公室")},
				Deadline: xiezuo.Deadline{Text: "10月底前", Dates: []xiezuo.Date{{Year: year, Month: 10, Day: 31}}},
				Pos:      xiezuo.Pos{Line: 160},
			},
		},
		Regions: []xiezuo.PartnerRegion{
			{Name: "内蒙古武川县", Relation: xiezuo.RelationEastWest},
			{Name: "神农架林区", Relation: xiezuo.RelationWaterDiversion},
		},
		Projects: []xiezuo.Project{
			{
				Region: "内蒙古武川县", Category: "产业合作类", CategoryNumber: 1, Number: 1,
				Name: "武川县乡村振兴加工车间援建项目", Nature: "新建", Content: "扶持农村专业合作社和小型加工车间3个。",
				TotalInvestment: wan(30), DistrictFund: wan(30), FundUse: "建设厂房及购置设备。",
				Villages: xiezuo.Known(2), People: xiezuo.Known(127), Employed: xiezuo.Known(40),
				Implementer: "武川县乡村振兴局", Managers: "张三（局长）",
				Period:  xiezuo.Period{Text: "2021年6月-2021年9月", Start: xiezuo.YearMonth{Year: 2021, Month: 6}, Finish: xiezuo.YearMonth{Year: 2021, Month: 9}},
				Benefit: "带动脱贫人口增收。", LeadUnit: "区农业农村局", LeadUnitWritten: "区农业局",
				Pos: xiezuo.Pos{Line: 5, Sheet: "附件3"},
			},
			{
				Region: "内蒙古武川县", Category: "劳务协作类", CategoryNumber: 3, Number: 6,
				Name: "武川县稳定就业补贴项目", Nature: "续建", Content: "对组织招聘活动、岗前技能培训等给予资金支持。",
				TotalInvestment: wan(112), DistrictFund: wan(112), FundUse: "就业培训、就业奖补。",
				Villages:    xiezuo.Known(53),
				Implementer: "武川县人社局", Managers: "李四",
				Period:   xiezuo.Period{Text: "全年"},
				LeadUnit: "区人力社保局", LeadUnitWritten: "区人力社保局",
				Pos: xiezuo.Pos{Line: 7, Sheet: "附件3"},
			},
			{
				Region: "神农架林区", Category: "产业合作类", CategoryNumber: 1, Number: 1,
				Name: "神农架林区高山玫瑰、奇异莓试种项目", Nature: "新建",
				DistrictFund: xiezuo.Known(10_800_000), Villages: xiezuo.Known(1), People: xiezuo.Known(50), Employed: xiezuo.Known(25),
				Period: xiezuo.Period{Text: "2021年4月-2021年5月", Start: xiezuo.YearMonth{Year: 2021, Month: 4}, Finish: xiezuo.YearMonth{Year: 2021, Month: 5}},
				Pos:    xiezuo.Pos{Line: 10, Sheet: "附件3"},
			},
		},
		Subtotals: []xiezuo.Subtotal{
			{Level: xiezuo.LevelTotal, Label: "合计", TotalInvestment: wan(142), DistrictFund: xiezuo.Known(152_800_000), Villages: xiezuo.Known(56), Pos: xiezuo.Pos{Line: 2, Sheet: "附件3"}},
			{Level: xiezuo.LevelRegion, Region: "内蒙古武川县", Label: "内蒙古武川县(2个)", Count: xiezuo.Known(2), TotalInvestment: wan(142), DistrictFund: wan(142), Villages: xiezuo.Known(55), Pos: xiezuo.Pos{Line: 3, Sheet: "附件3"}},
			{Level: xiezuo.LevelCategory, Region: "内蒙古武川县", Category: "产业合作类", CategoryNumber: 1, Label: "1.产业合作类(1个)", Count: xiezuo.Known(1), TotalInvestment: wan(30), DistrictFund: wan(30), Villages: xiezuo.Known(2), People: xiezuo.Known(127), Employed: xiezuo.Known(40), Pos: xiezuo.Pos{Line: 4, Sheet: "附件3"}},
			{Level: xiezuo.LevelCategory, Region: "内蒙古武川县", Category: "劳务协作类", CategoryNumber: 3, Label: "3.劳务协作类(1个)", Count: xiezuo.Known(1), TotalInvestment: wan(112), DistrictFund: wan(112), Villages: xiezuo.Known(53), Pos: xiezuo.Pos{Line: 6, Sheet: "附件3"}},
			{Level: xiezuo.LevelRegion, Region: "神农架林区", Label: "神农架林区(1个)", Count: xiezuo.Known(1), DistrictFund: xiezuo.Known(10_800_000), Villages: xiezuo.Known(1), Pos: xiezuo.Pos{Line: 8, Sheet: "附件3"}},
		},
		Units: []xiezuo.Unit{
			unit("区财政局"),
			unit("领导小组办公室"),
			unit("区科技和信息化局"),
			unit("各镇街"),
			unit("区农业农村局"),
			unit("区商务局"),
			{Name: "武川县益民种养殖合作社", Kind: xiezuo.KindEnterprise},
			unit("区人力社保局"),
		},
	}
}

// fixedNow makes the imports of a test stamp a known time.
func fixedNow(db *DB) time.Time {
	now := time.Date(2021, 6, 20, 2, 30, 0, 123456000, time.UTC)
	db.now = func() time.Time { return now }
	return now
}

func mustImport(t *testing.T, db *DB, p *xiezuo.Plan, content []byte) []xiezuo.Change {
	t.Helper()
	changes, err := db.ImportPlan(t.Context(), p, content)
	if err != nil {
		t.Fatalf("ImportPlan(%s %d) = %v", p.District, p.Year, err)
	}
	return changes
}

func mustLoad(t *testing.T, db *DB, district string, year int) *xiezuo.Plan {
	t.Helper()
	p, err := db.LoadPlan(t.Context(), district, year)
	if err != nil {
		t.Fatalf("LoadPlan(%s, %d) = %v", district, year, err)
	}
	return p
}

// tables lists every table a plan import writes.
var tables = []string{
	"documents", "plans", "units", "unit_aliases", "plan_units", "partner_regions", "plan_regions",
	"sections", "work_points", "work_point_units", "work_teams", "work_team_leads", "tasks",
	"task_requirements", "task_units", "task_deadlines", "projects", "subtotals",
}

// snapshot is what a test compares to tell that the database did not change: the rows of
// each table, by count and id.
type snapshot map[string][]int64

func takeSnapshot(t *testing.T, db *DB) snapshot {
	t.Helper()
	s := snapshot{}
	for _, table := range tables {
		// Child tables have no id of their own: their parent id and position stand for it.
		key := "id"
		switch table {
		case "plan_units", "plan_regions":
			key = "plan_id * 1000000 + seq"
		case "work_point_units":
			key = "work_point_id * 1000000 + seq"
		case "work_team_leads":
			key = "work_team_id * 1000000 + seq"
		case "task_requirements", "task_units", "task_deadlines":
			key = "task_id * 1000000 + seq"
		}
		var ids []int64
		err := each(t.Context(), db.db, "SELECT "+key+" FROM "+table+" ORDER BY 1", nil, func(rows *sql.Rows) error {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			return nil
		})
		if err != nil {
			t.Fatalf("snapshot %s: %v", table, err)
		}
		s[table] = ids
	}
	return s
}

func TestImportPlanRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		content := []byte("# 2021年门头沟区支援合作工作要点\n")
		p := testPlan("门头沟区", 2021, content)
		changes := mustImport(t, db, p, content)
		if diff := cmp.Diff(xiezuo.Diff(nil, p), changes); diff != "" {
			t.Errorf("ImportPlan(new plan) changes mismatch (-want +got):\n%s", diff)
		}
		got := mustLoad(t, db, "门头沟区", 2021)
		if diff := cmp.Diff(p, got.WithoutIDs()); diff != "" {
			t.Errorf("LoadPlan(ImportPlan(p)) mismatch (-want +got):\n%s", diff)
		}
		if d := xiezuo.Diff(p, got); len(d) != 0 {
			t.Errorf("Diff(p, LoadPlan) = %v, want none", d)
		}
		// Facts carry their stored ids, one apiece.
		ids := map[int64]bool{}
		for _, x := range got.Projects {
			ids[x.ID] = true
		}
		for _, x := range got.Points {
			ids[-x.ID] = true
		}
		if ids[0] || len(ids) != len(got.Projects)+len(got.Points) {
			t.Errorf("LoadPlan: projects and work points without distinct ids: %v", ids)
		}
		for _, x := range got.Projects {
			if x.RegionID == 0 || (x.LeadUnit != "") != (x.LeadUnitID != 0) {
				t.Errorf("LoadPlan: project %s without the id of its region or lead unit", x.Name)
			}
		}
		for _, r := range got.Points[0].Units {
			if r.UnitID == 0 {
				t.Errorf("LoadPlan: work point unit %s without id", r.Unit)
			}
		}
		for _, u := range got.Units {
			if u.ID == 0 {
				t.Errorf("LoadPlan: unit %s without id", u.Name)
			}
		}
		for _, r := range got.Regions {
			if r.ID == 0 {
				t.Errorf("LoadPlan: region %s without id", r.Name)
			}
		}
		if diff := cmp.Diff(xiezuo.Summarize(p), xiezuo.Summarize(got)); diff != "" {
			t.Errorf("Summarize(LoadPlan) mismatch (-want +got):\n%s", diff)
		}
		var stored []byte
		if err := db.db.QueryRowContext(t.Context(), `SELECT content FROM documents`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if string(stored) != string(content) {
			t.Errorf("stored document = %q, want %q", stored, content)
		}
	})
}

func TestImportPlanTwice(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		content := []byte("plan v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		before := takeSnapshot(t, db)

		if changes := mustImport(t, db, testPlan("门头沟区", 2021, content), content); changes != nil {
			t.Errorf("ImportPlan(same plan again) = %v, want no changes", changes)
		}
		// The same plan from another file (another name, other bytes) changes nothing either.
		other := []byte("plan v1, as a workbook")
		p := testPlan("门头沟区", 2021, other)
		p.Source = xiezuo.Source{Name: "plan.xlsx", SHA256: digest(other), Kind: "xlsx"}
		p.Projects[0].Pos = xiezuo.Pos{Line: 99, Sheet: "项目"}
		if changes := mustImport(t, db, p, other); changes != nil {
			t.Errorf("ImportPlan(same plan, other file) = %v, want no changes", changes)
		}
		if diff := cmp.Diff(before, takeSnapshot(t, db)); diff != "" {
			t.Errorf("rows after importing the same plan again mismatch (-before +after):\n%s", diff)
		}
		if got := mustLoad(t, db, "门头沟区", 2021).Source.Name; got != "plan.md" {
			t.Errorf("LoadPlan().Source.Name = %q, want the first document, plan.md", got)
		}
	})
}

func TestImportPlanChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		v1 := []byte("plan v1")
		mustImport(t, db, testPlan("门头沟区", 2021, v1), v1)
		projectIDs := map[string]int64{}
		err := each(ctx, db.db, `SELECT name, id FROM projects`, nil, func(rows *sql.Rows) error {
			var name string
			var id int64
			err := rows.Scan(&name, &id)
			projectIDs[name] = id
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var taskID int64
		if err := db.db.QueryRowContext(ctx, `SELECT id FROM tasks WHERE category = '研究部署'`).Scan(&taskID); err != nil {
			t.Fatal(err)
		}

		v2 := []byte("plan v2")
		p := testPlan("门头沟区", 2021, v2)
		p.Source.Name = "plan-v2.md"
		p.Projects[1].DistrictFund = wan(120)
		p.Projects = append(p.Projects, xiezuo.Project{
			Region: "神农架林区", Category: "劳务协作类", CategoryNumber: 2, Number: 2,
			Name: "神农架林区稳岗就业项目", Nature: "新建", DistrictFund: wan(48),
			Period:   xiezuo.Period{Text: "2021年5月-2021年12月", Start: xiezuo.YearMonth{Year: 2021, Month: 5}, Finish: xiezuo.YearMonth{Year: 2021, Month: 12}},
			LeadUnit: "区人力社保局", LeadUnitWritten: "区人社局",
			Pos: xiezuo.Pos{Line: 12, Sheet: "附件3"},
		})
		p.Tasks = p.Tasks[:2]
		p.Tasks[0].Requirements[1].Text = "分管领导每季度召开一次以上会议。"
		p.Tasks[0].Deadline = xiezuo.Deadline{Text: "12月底前", Dates: []xiezuo.Date{{Year: 2021, Month: 12, Day: 31}}}
		p.Points[0].Units = p.Points[0].Units[:2]
		p.Points[0].UnitsOpen = false
		// Provenance that moved is no change, but is stored.
		for i := range p.Sections {
			p.Sections[i].Pos.Line += 3
		}
		p.Projects[0].Pos.Line = 6

		changes := mustImport(t, db, p, v2)
		want := []xiezuo.Change{
			{Kind: "changed", Entity: "工作要点", Key: "第3条", Fields: []xiezuo.FieldChange{{
				Field: "责任单位",
				Old:   "区财政局（牵头）、领导小组办公室、区科信局（即区科技和信息化局）、各镇街等",
				New:   "区财政局（牵头）、领导小组办公室",
			}}},
			{Kind: "changed", Entity: "任务", Key: "组织领导/研究部署", Fields: []xiezuo.FieldChange{
				{Field: "具体要求", Old: "1. 区委书记或区长每半年召开一次以上会议。；2. 分管领导每半年召开一次以上会议。", New: "1. 区委书记或区长每半年召开一次以上会议。；2. 分管领导每季度召开一次以上会议。"},
				{Field: "完成时限", Old: "6月底前、12月底前", New: "12月底前"},
				{Field: "完成日期", Old: "2021-06-30、2021-12-31", New: "2021-12-31"},
			}},
			{Kind: "removed", Entity: "任务", Key: "信息宣传/媒体宣传"},
			{Kind: "changed", Entity: "项目", Key: "内蒙古武川县/武川县稳定就业补贴项目", Fields: []xiezuo.FieldChange{
				{Field: "区级帮扶资金", Old: "112", New: "120", Unit: "万元"},
			}},
			{Kind: "added", Entity: "项目", Key: "神农架林区/神农架林区稳岗就业项目"},
		}
		if diff := cmp.Diff(want, changes); diff != "" {
			t.Errorf("ImportPlan(changed plan) changes mismatch (-want +got):\n%s", diff)
		}
		if got, want := changes[3].String(), "修改 项目「内蒙古武川县/武川县稳定就业补贴项目」：区级帮扶资金 112 → 120 万元"; got != want {
			t.Errorf("Change.String() = %q, want %q", got, want)
		}

		got := mustLoad(t, db, "门头沟区", 2021)
		if diff := cmp.Diff(p, got.WithoutIDs()); diff != "" {
			t.Errorf("LoadPlan(after changes) mismatch (-want +got):\n%s", diff)
		}
		for name, id := range projectIDs {
			var got int64
			if err := db.db.QueryRowContext(ctx, `SELECT id FROM projects WHERE name = $1`, name).Scan(&got); err != nil {
				t.Fatalf("project %s: %v", name, err)
			}
			if got != id {
				t.Errorf("id of project %s = %d after import, want %d (kept)", name, got, id)
			}
		}
		var gotTaskID int64
		if err := db.db.QueryRowContext(ctx, `SELECT id FROM tasks WHERE category = '研究部署'`).Scan(&gotTaskID); err != nil {
			t.Fatal(err)
		}
		if gotTaskID != taskID {
			t.Errorf("id of changed task = %d, want %d (kept)", gotTaskID, taskID)
		}
		// Every fact now points at the second document.
		var docID int64
		if err := db.db.QueryRowContext(ctx, `SELECT id FROM documents WHERE name = 'plan-v2.md'`).Scan(&docID); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"sections", "work_points", "work_teams", "tasks", "projects", "subtotals"} {
			var n int
			if err := db.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE document_id <> $1", docID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d rows of %s point at an older document, want 0", n, table)
			}
		}
		var docs int
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents`).Scan(&docs); err != nil {
			t.Fatal(err)
		}
		if docs != 2 {
			t.Errorf("documents = %d, want 2 (every imported document is kept)", docs)
		}
	})
}

func TestImportPlanFailureWritesNothing(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(p *xiezuo.Plan)
	}{
		// Units are written after the document and the plan row.
		{"unit kind", func(p *xiezuo.Plan) { p.Units[2].Kind = "ministry" }},
		// Subtotals are written last of all.
		{"subtotal level", func(p *xiezuo.Plan) { p.Subtotals[4].Level = "province" }},
		{"responsibility role", func(p *xiezuo.Plan) { p.Tasks[1].Units[0].Role = "" }},
	}
	forEachDB(t, func(t *testing.T, db *DB) {
		for _, tt := range tests {
			bad := []byte("broken plan")
			p := testPlan("门头沟区", 2020, bad)
			tt.spoil(p)
			if _, err := db.ImportPlan(t.Context(), p, bad); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
				t.Errorf("%s: ImportPlan(new broken plan) = %v, want an %s error", tt.name, err, xiezuo.EINVALID)
			}
			for table, ids := range takeSnapshot(t, db) {
				if len(ids) != 0 {
					t.Errorf("%s: %s has %d rows after a failed import into an empty database, want 0", tt.name, table, len(ids))
				}
			}
		}

		content := []byte("plan v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		before := takeSnapshot(t, db)
		loaded := mustLoad(t, db, "门头沟区", 2021)
		for _, tt := range tests {
			bad := []byte("broken plan")
			p := testPlan("门头沟区", 2021, bad)
			p.Projects[0].TotalInvestment = wan(31) // a change, so that the import writes
			p.Projects = append(p.Projects, xiezuo.Project{Region: "神农架林区", Name: "新项目"})
			tt.spoil(p)
			_, err := db.ImportPlan(t.Context(), p, bad)
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID {
				t.Errorf("%s: ImportPlan(broken plan) = %v, want an %s error", tt.name, err, xiezuo.EINVALID)
			}
			if msg := xiezuo.ErrorMessage(err); !strings.HasPrefix(msg, "保存失败：") || strings.Contains(strings.ToLower(msg), "constraint") {
				t.Errorf("%s: ErrorMessage(ImportPlan(broken plan)) = %q, want a message for users", tt.name, msg)
			}
			if diff := cmp.Diff(before, takeSnapshot(t, db)); diff != "" {
				t.Errorf("%s: rows after a failed import mismatch (-before +after):\n%s", tt.name, diff)
			}
			if diff := cmp.Diff(loaded, mustLoad(t, db, "门头沟区", 2021)); diff != "" {
				t.Errorf("%s: LoadPlan after a failed import mismatch (-before +after):\n%s", tt.name, diff)
			}
		}
	})
}

func TestImportPlanAliasConflict(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		content := []byte("plan 2021")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		before := takeSnapshot(t, db)

		// In 2022 the office names another unit 区科信局.
		next := []byte("plan 2022")
		p := testPlan("门头沟区", 2022, next)
		p.Units = append(p.Units, xiezuo.Unit{Name: "区科学技术协会", Kind: xiezuo.KindSocial, Aliases: []string{"区科信局"}})
		_, err := db.ImportPlan(t.Context(), p, next)
		if xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("ImportPlan(alias of another unit) = %v, want an %s error", err, xiezuo.ECONFLICT)
		}
		if want := "单位别名「区科信局」已是「区科技和信息化局」的别名，不能再作为「区科学技术协会」的别名"; xiezuo.ErrorMessage(err) != want {
			t.Errorf("ErrorMessage(ImportPlan(alias of another unit)) = %q, want %q", xiezuo.ErrorMessage(err), want)
		}
		if diff := cmp.Diff(before, takeSnapshot(t, db)); diff != "" {
			t.Errorf("rows after a failed import mismatch (-before +after):\n%s", diff)
		}
	})
}

func TestLoadPlanNotFound(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		content := []byte("plan")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		for _, tt := range []struct {
			district string
			year     int
		}{{"门头沟区", 2022}, {"延庆区", 2021}} {
			p, err := db.LoadPlan(t.Context(), tt.district, tt.year)
			if p != nil || xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
				t.Errorf("LoadPlan(%s, %d) = %v, %v, want nil, an %s error", tt.district, tt.year, p, err, xiezuo.ENOTFOUND)
			}
			if msg, want := xiezuo.ErrorMessage(err), fmt.Sprintf("没有%s%d年的计划", tt.district, tt.year); msg != want {
				t.Errorf("ErrorMessage(LoadPlan(%s, %d)) = %q, want %q", tt.district, tt.year, msg, want)
			}
		}
	})
}

func TestPlansSideBySide(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		now := fixedNow(db)
		a21, a22, b21 := []byte("门头沟 2021"), []byte("门头沟 2022"), []byte("延庆 2021")
		pa21 := testPlan("门头沟区", 2021, a21)
		pa22 := testPlan("门头沟区", 2022, a22)
		pa22.Source.Name = "plan-2022.md"
		pa22.Projects[0].DistrictFund = wan(40)
		pa22.Regions[1].Relation = ""
		pb21 := testPlan("延庆区", 2021, b21)
		pb21.Source.Name = "yanqing.md"
		// Another district calls its own units by other names.
		pb21.Units[2].Aliases = []string{"区科委"}
		pb21.Points[0].Units[2].Written = "区科委"
		pb21.Projects = pb21.Projects[:1]

		mustImport(t, db, pb21, b21)
		mustImport(t, db, pa22, a22)
		mustImport(t, db, pa21, a21)

		for _, want := range []*xiezuo.Plan{pa21, pa22, pb21} {
			got := mustLoad(t, db, want.District, want.Year)
			if diff := cmp.Diff(want, got.WithoutIDs()); diff != "" {
				t.Errorf("LoadPlan(%s, %d) mismatch (-want +got):\n%s", want.District, want.Year, diff)
			}
		}
		infos, err := db.Plans(t.Context())
		if err != nil {
			t.Fatalf("Plans() = %v", err)
		}
		wantInfos := []PlanInfo{
			{District: "延庆区", Year: 2021, Title: pb21.Title, Document: "yanqing.md", ImportedAt: now},
			{District: "门头沟区", Year: 2021, Title: pa21.Title, Document: "plan.md", ImportedAt: now},
			{District: "门头沟区", Year: 2022, Title: pa22.Title, Document: "plan-2022.md", ImportedAt: now},
		}
		if diff := cmp.Diff(wantInfos, infos); diff != "" {
			t.Errorf("Plans() mismatch (-want +got):\n%s", diff)
		}
		var n int
		if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM units WHERE name = '区财政局'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("units named 区财政局 = %d, want 2 (one per district)", n)
		}
		if changes := mustImport(t, db, testPlan("门头沟区", 2021, a21), a21); changes != nil {
			t.Errorf("ImportPlan(门头沟区 2021 again) = %v, want no changes", changes)
		}
	})
}

func TestImportPlanLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 10,000 projects")
	}
	forEachDB(t, func(t *testing.T, db *DB) {
		content := []byte("large plan")
		p := largePlan(content, 10_000)
		mustImport(t, db, p, content)
		got := mustLoad(t, db, p.District, p.Year)
		if diff := cmp.Diff(xiezuo.Summarize(p), xiezuo.Summarize(got)); diff != "" {
			t.Errorf("Summarize(LoadPlan(large plan)) mismatch (-want +got):\n%s", diff)
		}
		if d := xiezuo.Diff(p, got); len(d) != 0 {
			t.Errorf("Diff(p, LoadPlan(large plan)) has %d changes, want none; first: %v", len(d), d[0])
		}
	})
}

// largePlan is testPlan with n projects, for timing imports.
func largePlan(content []byte, n int) *xiezuo.Plan {
	p := testPlan("门头沟区", 2021, content)
	base := p.Projects
	p.Projects = nil
	for i := range n {
		pr := base[i%len(base)]
		pr.Name = fmt.Sprintf("%s-%05d", pr.Name, i)
		pr.Number = i + 1
		pr.Pos.Line = i + 5
		p.Projects = append(p.Projects, pr)
	}
	return p
}

func BenchmarkImportPlan(b *testing.B) {
	content := []byte("large plan")
	p := largePlan(content, 10_000)
	for b.Loop() {
		b.StopTimer()
		db := openTestSQLite(b)
		b.StartTimer()
		if _, err := db.ImportPlan(b.Context(), p, content); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadPlan(b *testing.B) {
	content := []byte("large plan")
	p := largePlan(content, 10_000)
	db := openTestSQLite(b)
	if _, err := db.ImportPlan(b.Context(), p, content); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := db.LoadPlan(b.Context(), p.District, p.Year); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImportPlanConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		const n = 4
		content := []byte("plan")
		results := make(chan error, n)
		changed := make(chan bool, n)
		for range n {
			go func() {
				changes, err := db.ImportPlan(t.Context(), testPlan("门头沟区", 2021, content), content)
				changed <- len(changes) > 0
				results <- err
			}()
		}
		imports := 0
		for range n {
			if err := <-results; err != nil {
				t.Errorf("ImportPlan(concurrently) = %v", err)
			}
			if <-changed {
				imports++
			}
		}
		if imports != 1 {
			t.Errorf("%d of %d concurrent imports of one plan changed it, want 1", imports, n)
		}
		var docs int
		if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM documents`).Scan(&docs); err != nil {
			t.Fatal(err)
		}
		if docs != 1 {
			t.Errorf("documents = %d after concurrent imports of one plan, want 1", docs)
		}
	})
}
