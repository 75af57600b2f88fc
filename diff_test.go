package xiezuo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// diffPlan is a small plan with one fact of each kind.
func diffPlan() *Plan {
	return &Plan{
		Year:     2021,
		District: "门头沟区",
		Title:    "2021年门头沟区支援合作工作要点",
		Office:   "门头沟区扶贫协作和支援合作工作领导小组办公室",
		IssuedOn: Date{2021, 6, 18},
		Notice:   "现将工作要点转发给你们。",
		Source:   Source{Name: "plan.md", SHA256: "ab", Kind: "text"},
		Sections: []Section{{Number: 1, Title: "持续提高政治站位", Pos: Pos{Line: 10}}},
		Points: []WorkPoint{{
			Number: 3, Section: 1, Title: "持续帮扶资金项目投入水平", Text: "按照不低于上一年度规模安排帮扶资金。",
			Units: []Responsibility{
				{Unit: "区财政局", Written: "区财政局", Role: RoleLead},
				{Unit: "区科技和信息化局", Written: "区科信局", Role: RoleCooperating},
			},
			UnitsOpen: true,
			Pos:       Pos{Line: 12},
			UnitsPos:  Pos{Line: 13},
		}},
		Teams: []WorkTeam{{Number: 1, Name: "干部人才专班", Leads: []string{"区委组织部"}, Pos: Pos{Line: 50}}},
		Tasks: []Task{
			{Number: 1, WorkItem: "组织领导", Category: "研究部署", Content: "召开会议。", Deadline: Deadline{Text: "10月底前", Dates: []Date{{2021, 10, 31}}}, Pos: Pos{Line: 60}},
			{Number: 2, WorkItem: "组织领导", Category: "研究部署", Content: "再次召开会议。", Pos: Pos{Line: 61}},
		},
		Regions: []PartnerRegion{{Name: "内蒙古武川县", Relation: RelationEastWest}},
		Projects: []Project{
			{Region: "内蒙古武川县", Category: "劳务协作类", CategoryNumber: 3, Number: 6, Name: "武川县稳定就业补贴项目",
				TotalInvestment: Known(112 * FenPerWan), DistrictFund: Known(112 * FenPerWan), Villages: Known(53),
				Period: Period{Text: "2021年6月-2021年9月", Start: YearMonth{2021, 6}, Finish: YearMonth{2021, 9}},
				Pos:    Pos{Line: 5, Sheet: "附件3"}},
			{Region: "内蒙古武川县", Category: "社会事业类", CategoryNumber: 5, Number: 8, Name: "武川县脱贫家庭学生资助项目",
				DistrictFund: Known(4_700_000), Pos: Pos{Line: 7, Sheet: "附件3"}},
		},
		Subtotals: []Subtotal{
			{Level: LevelTotal, Label: "合计", DistrictFund: Known(116_700_000), Pos: Pos{Line: 2}},
			{Level: LevelRegion, Region: "内蒙古武川县", Label: "内蒙古武川县(2个)", Count: Known(2), Pos: Pos{Line: 3}},
			{Level: LevelCategory, Region: "内蒙古武川县", Category: "劳务协作类", Label: "3.劳务协作类(1个)", Count: Known(1), Pos: Pos{Line: 4}},
		},
		Units: []Unit{{Name: "区财政局", Kind: KindDepartment, Known: true}},
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Plan)
		want   []Change
	}{
		{
			name:   "same plan",
			change: func(p *Plan) {},
		},
		{
			name: "provenance only",
			change: func(p *Plan) {
				p.Source = Source{Name: "plan.xlsx", SHA256: "cd", Kind: "xlsx"}
				p.Sections[0].Pos.Line = 11
				p.Points[0].Pos = Pos{Line: 3, Sheet: "工作要点"}
				p.Points[0].UnitsPos.Line = 99
				p.Teams[0].Pos.Line = 51
				p.Tasks[1].Pos.Line = 70
				p.Projects[0].Pos = Pos{Line: 6}
				p.Subtotals[2].Pos.Sheet = "项目"
			},
		},
		{
			name: "units are no content of the plan",
			change: func(p *Plan) {
				p.Units = append(p.Units, Unit{Name: "区科技和信息化局", Kind: KindDepartment, Aliases: []string{"区科信局"}})
			},
		},
		{
			name:   "project fund",
			change: func(p *Plan) { p.Projects[0].DistrictFund = Known(120 * FenPerWan) },
			want: []Change{{Kind: ChangeChanged, Entity: EntityProject, Key: "内蒙古武川县/武川县稳定就业补贴项目",
				Fields: []FieldChange{{Field: "区级帮扶资金", Old: "112", New: "120", Unit: "万元"}}}},
		},
		{
			name: "unknown becomes known and known unknown",
			change: func(p *Plan) {
				p.Projects[1].TotalInvestment = Known(4_750_000)
				p.Projects[1].DistrictFund = Num{}
				p.Projects[0].Villages = Known(0)
			},
			want: []Change{
				{Kind: ChangeChanged, Entity: EntityProject, Key: "内蒙古武川县/武川县稳定就业补贴项目",
					Fields: []FieldChange{{Field: "受益脱贫村", Old: "53", New: "0", Unit: "个"}}},
				{Kind: ChangeChanged, Entity: EntityProject, Key: "内蒙古武川县/武川县脱贫家庭学生资助项目",
					Fields: []FieldChange{
						{Field: "项目总投资", Old: "（空）", New: "4.75", Unit: "万元"},
						{Field: "区级帮扶资金", Old: "4.7", New: "（空）", Unit: "万元"},
					}},
			},
		},
		{
			name: "project renamed at its row, the rest unchanged: the same project",
			change: func(p *Plan) {
				p.Projects[1].Name = "武川县脱贫家庭学生资助项目（二期）"
			},
			want: []Change{
				{Kind: ChangeChanged, Entity: EntityProject, Key: "内蒙古武川县/武川县脱贫家庭学生资助项目（二期）",
					OldKey: "内蒙古武川县/武川县脱贫家庭学生资助项目",
					Fields: []FieldChange{{Field: "名称", Old: "武川县脱贫家庭学生资助项目", New: "武川县脱贫家庭学生资助项目（二期）"}}},
			},
		},
		{
			name: "project added and removed",
			change: func(p *Plan) {
				x := &p.Projects[1]
				x.Name = "武川县道路硬化项目"
				x.Category, x.Content, x.FundUse, x.Benefit, x.Implementer, x.Managers = "基础设施类", "硬化道路", "修路", "出行", "交通局", "王五"
				x.TotalInvestment, x.DistrictFund, x.People, x.Villages = Known(1), Known(1), Known(1), Known(1)
			},
			want: []Change{
				{Kind: ChangeAdded, Entity: EntityProject, Key: "内蒙古武川县/武川县道路硬化项目"},
				{Kind: ChangeRemoved, Entity: EntityProject, Key: "内蒙古武川县/武川县脱贫家庭学生资助项目"},
			},
		},
		{
			name: "project period",
			change: func(p *Plan) {
				p.Projects[0].Period = Period{Text: "2021年7月-2021年9月", Start: YearMonth{2021, 7}, Finish: YearMonth{2021, 9}}
			},
			want: []Change{{Kind: ChangeChanged, Entity: EntityProject, Key: "内蒙古武川县/武川县稳定就业补贴项目",
				Fields: []FieldChange{
					{Field: "开工竣工时间", Old: "2021年6月-2021年9月", New: "2021年7月-2021年9月"},
					{Field: "计划开工", Old: "2021-06", New: "2021-07"},
				}}},
		},
		{
			name: "tasks with the same work item and category are told apart by order",
			change: func(p *Plan) {
				p.Tasks[1].Content = "每季度召开会议。"
				p.Tasks = append(p.Tasks, Task{Number: 3, WorkItem: "组织领导", Category: "研究部署", Content: "第三次会议。"})
			},
			want: []Change{
				{Kind: ChangeChanged, Entity: EntityTask, Key: "组织领导/研究部署（第2个）",
					Fields: []FieldChange{{Field: "任务内容", Old: "再次召开会议。", New: "每季度召开会议。"}}},
				{Kind: ChangeAdded, Entity: EntityTask, Key: "组织领导/研究部署（第3个）"},
			},
		},
		{
			name:   "task removed",
			change: func(p *Plan) { p.Tasks = p.Tasks[:1] },
			want:   []Change{{Kind: ChangeRemoved, Entity: EntityTask, Key: "组织领导/研究部署（第2个）"}},
		},
		{
			name: "task deadline",
			change: func(p *Plan) {
				p.Tasks[0].Deadline = Deadline{Text: "按计划完成"}
			},
			want: []Change{{Kind: ChangeChanged, Entity: EntityTask, Key: "组织领导/研究部署", Fields: []FieldChange{
				{Field: "完成时限", Old: "10月底前", New: "按计划完成"},
				{Field: "完成日期", Old: "2021-10-31", New: "（空）"},
			}}},
		},
		{
			name: "responsible units",
			change: func(p *Plan) {
				p.Points[0].Units[1] = Responsibility{Unit: "区科技和信息化局", Written: "区科技和信息化局", Role: RoleLead, Stated: true}
				p.Points[0].UnitsOpen = false
			},
			want: []Change{{Kind: ChangeChanged, Entity: EntityWorkPoint, Key: "第3条", Fields: []FieldChange{{
				Field: "责任单位",
				Old:   "区财政局（牵头）、区科信局（即区科技和信息化局）等",
				New:   "区财政局（牵头）、区科技和信息化局（写明牵头）",
			}}}},
		},
		{
			name: "notice, section, team, region and subtotal",
			change: func(p *Plan) {
				p.IssuedOn = Date{2021, 6, 20}
				p.Sections[0].Title = "提高政治站位"
				p.Teams[0].Leads = append(p.Teams[0].Leads, "区人力社保局")
				p.Regions[0].Relation = ""
				p.Subtotals[1].Count = Known(3)
			},
			want: []Change{
				{Kind: ChangeChanged, Entity: EntityNotice, Key: "门头沟区2021年",
					Fields: []FieldChange{{Field: "发文日期", Old: "2021-06-18", New: "2021-06-20"}}},
				{Kind: ChangeChanged, Entity: EntitySection, Key: "第1部分",
					Fields: []FieldChange{{Field: "标题", Old: "持续提高政治站位", New: "提高政治站位"}}},
				{Kind: ChangeChanged, Entity: EntityWorkTeam, Key: "干部人才专班",
					Fields: []FieldChange{{Field: "牵头部门", Old: "区委组织部", New: "区委组织部、区人力社保局"}}},
				{Kind: ChangeChanged, Entity: EntityRegion, Key: "内蒙古武川县",
					Fields: []FieldChange{{Field: "协作关系", Old: "东西部协作", New: "（空）"}}},
				{Kind: ChangeChanged, Entity: EntitySubtotal, Key: "内蒙古武川县",
					Fields: []FieldChange{{Field: "项目个数", Old: "2", New: "3", Unit: "个"}}},
			},
		},
		{
			name: "work point renumbered",
			change: func(p *Plan) {
				p.Points[0].Number = 4
			},
			want: []Change{
				{Kind: ChangeAdded, Entity: EntityWorkPoint, Key: "第4条"},
				{Kind: ChangeRemoved, Entity: EntityWorkPoint, Key: "第3条"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := diffPlan(), diffPlan()
			tt.change(new)
			got := Diff(old, new)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Diff(old, new) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffNil(t *testing.T) {
	p := diffPlan()
	want := []Change{
		{Kind: ChangeAdded, Entity: EntityNotice, Key: "门头沟区2021年"},
		{Kind: ChangeAdded, Entity: EntitySection, Key: "第1部分"},
		{Kind: ChangeAdded, Entity: EntityWorkPoint, Key: "第3条"},
		{Kind: ChangeAdded, Entity: EntityWorkTeam, Key: "干部人才专班"},
		{Kind: ChangeAdded, Entity: EntityTask, Key: "组织领导/研究部署"},
		{Kind: ChangeAdded, Entity: EntityTask, Key: "组织领导/研究部署（第2个）"},
		{Kind: ChangeAdded, Entity: EntityRegion, Key: "内蒙古武川县"},
		{Kind: ChangeAdded, Entity: EntityProject, Key: "内蒙古武川县/武川县稳定就业补贴项目"},
		{Kind: ChangeAdded, Entity: EntityProject, Key: "内蒙古武川县/武川县脱贫家庭学生资助项目"},
		{Kind: ChangeAdded, Entity: EntitySubtotal, Key: "合计"},
		{Kind: ChangeAdded, Entity: EntitySubtotal, Key: "内蒙古武川县"},
		{Kind: ChangeAdded, Entity: EntitySubtotal, Key: "内蒙古武川县/劳务协作类"},
	}
	if diff := cmp.Diff(want, Diff(nil, p)); diff != "" {
		t.Errorf("Diff(nil, p) mismatch (-want +got):\n%s", diff)
	}
	removed := Diff(p, nil)
	if len(removed) != len(want) {
		t.Fatalf("Diff(p, nil) = %d changes, want %d", len(removed), len(want))
	}
	for i, c := range removed {
		if c.Kind != ChangeRemoved || c.Key != want[i].Key {
			t.Errorf("Diff(p, nil)[%d] = %v, want 删除 %s「%s」", i, c, want[i].Entity, want[i].Key)
		}
	}
	if got := Diff(nil, nil); got != nil {
		t.Errorf("Diff(nil, nil) = %v, want nil", got)
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"sections", Keys([]Section{{Number: 1}, {Number: 2}, {Number: 1}}), []string{"第1部分", "第2部分", "第1部分（第2个）"}},
		{"work points", Keys([]WorkPoint{{Number: 19}}), []string{"第19条"}},
		{"projects", Keys([]Project{{Region: "甲", Name: "乙"}, {Region: "甲", Name: "乙"}, {Region: "丙", Name: "乙"}}), []string{"甲/乙", "甲/乙（第2个）", "丙/乙"}},
		{"subtotals", Keys([]Subtotal{{Level: LevelTotal, Label: "合计"}, {Level: LevelRegion, Region: "甲"}, {Level: LevelCategory, Region: "甲", Category: "产业合作类"}, {Level: "other", Region: "甲"}}),
			[]string{"合计", "甲", "甲/产业合作类", "other:甲/"}},
		{"none", Keys([]Task(nil)), []string{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("Keys(%s) mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestChangeString(t *testing.T) {
	tests := []struct {
		in   Change
		want string
	}{
		{
			Change{Kind: ChangeChanged, Entity: EntityProject, Key: "内蒙古武川县/武川县稳定就业补贴项目",
				Fields: []FieldChange{{Field: "区级帮扶资金", Old: "112", New: "120", Unit: "万元"}}},
			"修改 项目「内蒙古武川县/武川县稳定就业补贴项目」：区级帮扶资金 112 → 120 万元",
		},
		{
			Change{Kind: ChangeChanged, Entity: EntityProject, Key: "甲/乙", Fields: []FieldChange{
				{Field: "项目总投资", Old: EmptyValue, New: "4.75", Unit: "万元"},
				{Field: "受益脱贫村", Old: EmptyValue, New: EmptyValue, Unit: "个"},
				{Field: "任务内容", Old: "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", New: "短\n文本"},
			}},
			"修改 项目「甲/乙」：项目总投资 （空） → 4.75 万元；受益脱贫村 （空） → （空）；任务内容 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十… → 短 文本",
		},
		{Change{Kind: ChangeAdded, Entity: EntityTask, Key: "组织领导/研究部署"}, "新增 任务「组织领导/研究部署」"},
		{Change{Kind: ChangeRemoved, Entity: EntityWorkPoint, Key: "第3条"}, "删除 工作要点「第3条」"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}
