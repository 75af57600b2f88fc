package xiezuo

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProposeMapping(t *testing.T) {
	tests := []struct {
		name    string
		kind    LayoutKind
		headers []string
		want    []string
	}{
		{"the city's project table", LayoutProjects,
			[]string{"序号", "县（市、区）", "项目名称", "项目类别", "建设性质", "资金规模（万元）\n总投资", "资金规模（万元）\n其中：区级资金", "受益情况\n受益村（个）", "受益情况\n受益人口（人）", "受益情况\n带动就业（人）", "项目进展\n状态", "项目进展\n已拨付（万元）", "项目进展\n拨付率", "实施单位", "备注"},
			[]string{"serial", "region", "name", "category", "nature", "total", "fund", "villages", "people", "employed", "status", "disbursed", "rate", "implementer", ""}},
		{"资金 alone is the district's fund; 编号 the serial", LayoutProjects,
			[]string{"编号", "名称", "资金", "开工时间", "计划完工"},
			[]string{"serial", "name", "fund", "start", "finish"}},
		{"a field goes to one column only, the best named", LayoutProjects,
			[]string{"帮扶资金", "区级资金"},
			[]string{"", "fund"}},
		{"spaces, colons and line breaks in headers", LayoutProjects,
			[]string{"项 目 名 称", "总投资\n（万元）", "*建设性质："},
			[]string{"name", "total", "nature"}},
		{"task fields only in a task layout", LayoutTasks,
			[]string{"序号", "工作事项", "任务类别", "任务内容", "责任单位", "完成时限", "完成情况", "项目名称"},
			[]string{"serial", "work_item", "task_category", "task_content", "units", "deadline", "status", ""}},
		{"regions", LayoutRegions,
			[]string{"地区", "项目个数", "财政援助资金（万元）", "已拨付（万元）", "拨付率（%）"},
			[]string{"region", "projects", "fund", "disbursed", "rate"}},
		{"nothing known", LayoutProjects, []string{"", "备注", "联系电话"}, []string{"", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ProposeMapping(tt.kind, tt.headers)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ProposeMapping (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProposeCells(t *testing.T) {
	got := ProposeCells(map[string]string{"A1": "2021年东西部协作项目进展表", "A2": "填报单位（盖章）：          填报日期：", "K2": "数据截至：", "B2": "单位：万元"})
	want := []LayoutCell{{Ref: "A2", Field: "reporter", Text: "填报单位（盖章）：          填报日期："}, {Ref: "K2", Field: "as_of", Text: "数据截至："}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ProposeCells (-want +got):\n%s", diff)
	}
}

func TestLayoutCellText(t *testing.T) {
	vals := map[string]string{"reporter": "门头沟区扶贫协作和支援合作工作领导小组办公室", "reported_on": "2021年9月15日", "as_of": "2021年9月10日"}
	tests := []struct {
		cell LayoutCell
		want string
	}{
		// A cell naming two fields gets both, whichever field it was mapped to.
		{LayoutCell{Field: "reporter", Text: "填报单位：          填报日期："}, "填报单位：门头沟区扶贫协作和支援合作工作领导小组办公室    填报日期：2021年9月15日"},
		{LayoutCell{Field: "reporter", Text: "填报单位（盖章）：__________ 填报日期：    年   月   日"}, "填报单位（盖章）：门头沟区扶贫协作和支援合作工作领导小组办公室    填报日期：2021年9月15日"},
		{LayoutCell{Field: "reported_on", Text: "填报单位（盖章）：   报送日期：   数据截至："}, "填报单位（盖章）：门头沟区扶贫协作和支援合作工作领导小组办公室    报送日期：2021年9月15日    数据截至：2021年9月10日"},
		{LayoutCell{Field: "reporter", Text: "填报单位（盖章）："}, "填报单位（盖章）：门头沟区扶贫协作和支援合作工作领导小组办公室"},
		{LayoutCell{Field: "reported_on", Text: "填报日期"}, "填报日期：2021年9月15日"},
		{LayoutCell{Field: "as_of", Text: "数据截至："}, "数据截至：2021年9月10日"},
		{LayoutCell{Field: "as_of", Text: "（数据截至：    ）单位：万元"}, "（数据截至：2021年9月10日    ）单位：万元"},
		{LayoutCell{Field: "as_of", Text: ""}, "2021年9月10日"},
	}
	for _, tt := range tests {
		if got := cellText(tt.cell, vals); got != tt.want {
			t.Errorf("cellText(%q) = %q, want %q", tt.cell.Text, got, tt.want)
		}
	}
	if got := CellFields(LayoutCell{Field: "reporter", Text: "填报单位（盖章）：   填报日期："}); !cmp.Equal(got, []string{"reporter", "reported_on"}) {
		t.Errorf("CellFields = %v, want reporter and reported_on", got)
	}
}

func validLayout() PlatformLayout {
	return PlatformLayout{Name: "市级东西部协作项目表", Kind: LayoutProjects, Template: []byte("PK"), Sheet: "Sheet1",
		HeaderFirst: 3, HeaderLast: 4, DataRow: 5, TotalRow: 6,
		Columns: []LayoutColumn{{Col: 1, Header: "序号", Field: "serial"}, {Col: 2, Header: "项目名称", Field: "name"}, {Col: 3, Header: "区级资金", Field: "fund"}, {Col: 4, Header: "备注"}},
		Cells:   []LayoutCell{{Ref: "A2", Field: "reporter"}}}
}

func TestPlatformLayoutValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*PlatformLayout)
		want   string // a part of the message; "" for valid
	}{
		{"valid", func(*PlatformLayout) {}, ""},
		{"no name", func(l *PlatformLayout) { l.Name = "  " }, "请为格式起一个名称"},
		{"a slash in the name", func(l *PlatformLayout) { l.Name = "a/b" }, "名称不能含有"},
		{"bad kind", func(l *PlatformLayout) { l.Kind = "people" }, "请选择每行填写的内容"},
		{"no template", func(l *PlatformLayout) { l.Template = nil }, "没有模板文件"},
		{"template too large", func(l *PlatformLayout) { l.Template = make([]byte, MaxLayoutTemplate+1) }, "模板文件太大"},
		{"header upside down", func(l *PlatformLayout) { l.HeaderFirst, l.HeaderLast = 4, 3 }, "表头行不对"},
		{"no data row", func(l *PlatformLayout) { l.DataRow = 0 }, "没有数据行"},
		{"data row in the header", func(l *PlatformLayout) { l.DataRow = 4 }, "第一行数据（第4行）应在表头（至第4行）之下"},
		{"data row far down", func(l *PlatformLayout) { l.DataRow = 41; l.TotalRow = 0 }, "应在前 40 行之内"},
		{"a column mapped twice", func(l *PlatformLayout) { l.Columns[3].Field = "fund" }, "“区级资金”对应了两列：第C列和第D列"},
		{"money in a text column", func(l *PlatformLayout) { l.Columns[2].TextFormat = true }, "第C列（区级资金）在模板中设为文本格式"},
		{"text in a text column is fine", func(l *PlatformLayout) { l.Columns[1].TextFormat = true }, ""},
		{"a task field in a project layout", func(l *PlatformLayout) { l.Columns[3].Field = "work_item" }, "第D列（备注）的“工作事项”不能用于项目"},
		{"an unknown field", func(l *PlatformLayout) { l.Columns[3].Field = "phone" }, "不是可填写的字段"},
		{"nothing mapped", func(l *PlatformLayout) {
			for i := range l.Columns {
				l.Columns[i].Field = ""
			}
		}, "还没有任何一列对应字段"},
		{"a title cell in the header", func(l *PlatformLayout) { l.Cells[0].Ref = "B3" }, "单元格 B3 应在表头之上"},
		{"a bad cell", func(l *PlatformLayout) { l.Cells[0].Ref = "2A" }, "不是有效的单元格位置"},
		{"a column field as a title cell", func(l *PlatformLayout) { l.Cells[0].Field = "fund" }, "不是标题中可填写的内容"},
		{"total row is the data row", func(l *PlatformLayout) { l.TotalRow = 5 }, "合计行（第5行）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := validLayout()
			tt.change(&l)
			err := l.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || ErrorCode(err) != EINVALID):
				t.Errorf("Validate() = %v, want an EINVALID naming %q", err, tt.want)
			}
		})
	}
}

func TestFillLayout(t *testing.T) {
	n := func(v int64) Num { return Num{V: v, Valid: true} }
	p := &Plan{District: "门头沟区", Year: 2021,
		Projects: []Project{
			{ID: 1, Region: "内蒙古武川县", Category: "产业合作类", Name: "甲", TotalInvestment: n(300 * FenPerWan), DistrictFund: n(100 * FenPerWan), Villages: n(2), People: n(50), Period: Period{Start: YearMonth{2021, 5}, Finish: YearMonth{2021, 10}}},
			{ID: 2, Region: "内蒙古武川县", Category: "产业合作类", Name: "乙", TotalInvestment: n(12_345_678), DistrictFund: n(12_345_678), Villages: n(3)},
			{ID: 3, Region: "神农架林区", Category: "劳务协作类", Name: "丙", DistrictFund: n(50 * FenPerWan), People: n(7)},
		},
		Tasks: []Task{{Number: 1, WorkItem: "组织领导", Category: "高层互访", Units: []Responsibility{{Unit: "区委办"}, {Unit: "区政府办"}}, UnitsOpen: true, Deadline: Deadline{Text: "10月底前"}}},
	}
	live := map[int64]LiveFigures{
		1: {Status: StatusStarted, StartedOn: Date{2021, 6, 10}, Allocated: 100 * FenPerWan, Disbursed: 40 * FenPerWan},
		3: {Status: StatusCompleted, Allocated: 50 * FenPerWan, Disbursed: 50 * FenPerWan},
	}
	data := LayoutData{Plan: p, Live: live, TaskStatus: map[int]string{1: "已销号"}, Reporter: "门头沟区支援合作办", AsOf: Date{2021, 9, 15}, Today: Date{2021, 9, 16}}
	num := func(v float64, ty LayoutFieldType) LayoutValue {
		if ty == FieldTypeMoney {
			return lvMoney(int64(v*1e6 + 0.5))
		}
		return LayoutValue{Num: v, IsNum: true, Type: ty}
	}
	txt := func(s string) LayoutValue { return LayoutValue{Text: s, Type: FieldTypeText} }

	cols := func(keys ...string) []LayoutColumn {
		var out []LayoutColumn
		for i, k := range keys {
			out = append(out, LayoutColumn{Col: i + 1, Field: k})
		}
		return out
	}
	l := PlatformLayout{Kind: LayoutProjects, Columns: cols("serial", "name", "fund", "people", "status", "disbursed", "rate", "start", "finish", ""),
		Cells: []LayoutCell{{Ref: "A2", Field: "reporter", Text: "填报单位：   填报日期："}, {Ref: "H2", Field: "reported_on", Text: "填报日期："}, {Ref: "J2", Field: "as_of", Text: ""}}}
	got := FillLayout(l, data)
	blank := func(ty LayoutFieldType) LayoutValue { return LayoutValue{Type: ty} }
	want := LayoutFill{
		Rows: [][]LayoutValue{
			{num(1, FieldTypeCount), txt("甲"), num(100, FieldTypeMoney), num(50, FieldTypeCount), txt("已开工"), num(40, FieldTypeMoney), num(0.4, FieldTypeRate), {Text: "2021-06-10", Type: FieldTypeDate}, {Text: "2021年10月", Type: FieldTypeDate}, {}},
			{num(2, FieldTypeCount), txt("乙"), num(12.345678, FieldTypeMoney), blank(FieldTypeCount), txt("计划"), num(0, FieldTypeMoney), blank(FieldTypeRate), blank(FieldTypeDate), blank(FieldTypeDate), {}},
			{num(3, FieldTypeCount), txt("丙"), num(50, FieldTypeMoney), num(7, FieldTypeCount), txt("已完工"), num(50, FieldTypeMoney), num(1, FieldTypeRate), blank(FieldTypeDate), blank(FieldTypeDate), {}},
		},
		Total: []LayoutValue{{}, {}, num(162.345678, FieldTypeMoney), num(57, FieldTypeCount), {}, num(90, FieldTypeMoney), num(0.6, FieldTypeRate), {}, {}, {}},
		Cells: map[string]string{"A2": "填报单位：门头沟区支援合作办    填报日期：2021年9月16日", "H2": "填报日期：2021年9月16日", "J2": "2021年9月15日"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FillLayout projects (-want +got):\n%s", diff)
	}

	l = PlatformLayout{Kind: LayoutRegions, Columns: cols("region", "projects", "fund", "villages", "disbursed", "rate")}
	got = FillLayout(l, data)
	want = LayoutFill{
		Rows: [][]LayoutValue{
			{txt("内蒙古武川县"), num(2, FieldTypeCount), num(112.345678, FieldTypeMoney), num(3, FieldTypeCount), num(40, FieldTypeMoney), num(0.4, FieldTypeRate)},
			{txt("神农架林区"), num(1, FieldTypeCount), num(50, FieldTypeMoney), blank(FieldTypeCount), num(50, FieldTypeMoney), num(1, FieldTypeRate)},
		},
		Total: []LayoutValue{{}, num(3, FieldTypeCount), num(162.345678, FieldTypeMoney), num(3, FieldTypeCount), num(90, FieldTypeMoney), num(0.6, FieldTypeRate)},
		Cells: map[string]string{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FillLayout regions (-want +got):\n%s", diff)
	}

	l = PlatformLayout{Kind: LayoutTasks, Columns: cols("serial", "work_item", "units", "deadline", "status")}
	got = FillLayout(l, data)
	if diff := cmp.Diff([][]LayoutValue{{num(1, FieldTypeCount), txt("组织领导"), txt("区委办、区政府办等"), txt("10月底前"), txt("已销号")}}, got.Rows); diff != "" {
		t.Errorf("FillLayout tasks (-want +got):\n%s", diff)
	}
}

func TestColumnName(t *testing.T) {
	for col, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 703: "AAA", 0: "?"} {
		if got := ColumnName(col); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", col, got, want)
		}
	}
}

func TestOfficeName(t *testing.T) {
	tests := []struct {
		p    Plan
		want string
	}{
		{Plan{District: "门头沟区", Office: "门头沟区扶贫协作和支援合作工作领导小组办公室"}, "门头沟区扶贫协作和支援合作工作领导小组办公室"},
		{Plan{District: "门头沟区"}, "门头沟区支援合作工作领导小组办公室"},
	}
	for _, tt := range tests {
		if got := OfficeName(&tt.p); got != tt.want {
			t.Errorf("OfficeName(%q, %q) = %q, want %q", tt.p.District, tt.p.Office, got, tt.want)
		}
	}
}
