package plandoc

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/sample"
)

// projectsOf writes the projects as "region/category/number/name/fund in fen" and the summary's
// regions as "region: projects, fund in fen, villages, people, employed", one per line.
func projectsOf(r *Result) string {
	var b strings.Builder
	for _, p := range r.Plan.Projects {
		fmt.Fprintf(&b, "%s/%s/%d/%s/%d\n", p.Region, p.Category, p.Number, p.Name, p.DistrictFund.V)
	}
	for _, reg := range r.Summary().Regions {
		fmt.Fprintf(&b, "%s: %d %d %d %d %d\n", reg.Name, reg.Projects, reg.DistrictFundYuan.V, reg.BeneficiaryVillages, reg.BeneficiaryPeople, reg.EmployedPeople)
	}
	return b.String()
}

func problemsOf(ps []xiezuo.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%d: %s\n", p.Line, p.Message)
	}
	return b.String()
}

// TestProjectTableLayouts reads project tables laid out as other districts and years lay them
// out; each must give the same projects and regions as the plain layout, with no errors.
func TestProjectTableLayouts(t *testing.T) {
	const title = "2024年房山区支援合作项目计划表\n"
	const two = "甲县/产业合作类/1/甲县养殖项目/10000000\n甲县/产业合作类/2/甲县种植项目/20000000\n甲县: 2 30000000 3 30 3\n"
	p1 := projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局")
	p2 := projectLine("2", "甲县种植项目", "新建", "内容", "20", "20", "用途", "2", "20", "2", "乙乡人民政府", "李某", "2024年5月-2024年9月", "效益", "区财政局")
	tests := []struct {
		name, doc, want string
	}{
		{"unit row naming several units (1)", title + "（单位：元、个、人）\n" + projectHead +
			projectLine("甲县（2个）", "", "", "", "300000", "300000", "", "3", "30", "3") +
			projectLine("产业合作类（2个）", "", "", "", "300000", "300000", "", "3", "30", "3") +
			strings.Replace(strings.Replace(p1, "\t10\t10\t", "\t100000\t100000\t", 1), "\t20\t20\t", "\t200000\t200000\t", 1) +
			strings.Replace(p2, "\t20\t20\t", "\t200000\t200000\t", 1), two},
		{"unit row 单位：元，人 (1)", title + "单位：元，人\n" + projectHead +
			projectLine("甲县（1个）", "", "", "", "100000", "100000", "", "1", "10", "1") +
			projectLine("产业合作类（1个）", "", "", "", "100000", "100000", "", "1", "10", "1") +
			strings.Replace(p1, "\t10\t10\t", "\t100000\t100000\t", 1),
			"甲县/产业合作类/1/甲县养殖项目/10000000\n甲县: 1 10000000 1 10 1\n"},
		{"unit row 金额单位 (1)", title + "(金额单位：元)\n" + projectHead +
			projectLine("甲县（1个）", "", "", "", "100000", "100000", "", "1", "10", "1") +
			projectLine("产业合作类（1个）", "", "", "", "100000", "100000", "", "1", "10", "1") +
			strings.Replace(p1, "\t10\t10\t", "\t100000\t100000\t", 1),
			"甲县/产业合作类/1/甲县养殖项目/10000000\n甲县: 1 10000000 1 10 1\n"},
		{"category rows without a number (4)", title + projectHead +
			projectLine("内蒙古宁城县（2个）", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("产业类（2个）", "", "", "", "30", "30", "", "3", "30", "3") + p1 + p2,
			"内蒙古宁城县/产业类/1/甲县养殖项目/10000000\n内蒙古宁城县/产业类/2/甲县种植项目/20000000\n内蒙古宁城县: 2 30000000 3 30 3\n"},
		{"region and category in the name column (5)", title + projectHead +
			projectLine("一", "甲县（2个）", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("（一）", "产业合作类（2个）", "", "", "30", "30", "", "3", "30", "3") + p1 + p2, two},
		{"label-only region and 小计 after the projects (6)", title + projectHead +
			projectLine("一、甲县") + p1 + p2 +
			projectLine("小计（2个）", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("合计（2个）", "", "", "", "30", "30", "", "3", "30", "3"),
			"甲县//1/甲县养殖项目/10000000\n甲县//2/甲县种植项目/20000000\n甲县: 2 30000000 3 30 3\n"},
		{"two-row header in a pipe table (7)", title + "（单位：万元）\n" +
			"| 序号 | 项目名称 | 资金（万元） |  | 受益脱贫村 | 受益脱贫人口 | 吸纳脱贫人口 |\n|---|---|---|---|---|---|---|\n|  |  | 项目总投资 | 区级帮扶资金 |  |  |  |\n" +
			"| 甲县（1个） |  | 10 | 10 | 1 | 10 | 1 |\n| 1 | 甲县养殖项目 | 10 | 10 | 1 | 10 | 1 |\n",
			"甲县//1/甲县养殖项目/10000000\n甲县: 1 10000000 1 10 1\n"},
		{"2019 column names with 贫困 (8)", title + strings.NewReplacer("受益脱贫村", "受益贫困村（个）", "受益脱贫人口", "受益贫困人口（人）", "吸纳脱贫人口", "带动贫困人口就业（人）").Replace(projectHead) +
			projectLine("甲县（1个）", "", "", "", "10", "10", "", "1", "10", "1") + p1,
			"甲县//1/甲县养殖项目/10000000\n甲县: 1 10000000 1 10 1\n"},
		{"HTML rowspan and two-row header (7, 9)", title + "<table>\n" +
			`<tr><td rowspan="2">序号</td><td rowspan="2">项目名称</td><td colspan="2">资金（万元）</td><td rowspan="2">受益脱贫村</td><td rowspan="2">受益脱贫人口</td><td rowspan="2">吸纳脱贫人口</td></tr>` + "\n" +
			"<tr><td>项目总投资</td><td>区级帮扶资金</td></tr>\n" +
			`<tr><td colspan="2">甲县（2个）</td><td>30</td><td>30</td><td>3</td><td>30</td><td>3</td></tr>` + "\n" +
			`<tr><td colspan="2">产业合作类（2个）</td><td>30</td><td>30</td><td>3</td><td>30</td><td>3</td></tr>` + "\n" +
			"<tr><td>1</td><td>甲县养殖项目</td><td>10</td><td>10</td><td>1</td><td>10</td><td>1</td></tr>\n" +
			"<tr><td>2</td><td>甲县种植项目</td><td>20</td><td>20</td><td>2</td><td>20</td><td>2</td></tr>\n</table>\n",
			two},
		{"total and count variants (14)", title + projectHead +
			projectLine("合计：", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("全区总计", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("总计（2个项目）", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("合计(2项)", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("甲县（2个项目）", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("1.产业合作类（2项）", "", "", "", "30", "30", "", "3", "30", "3") + p1 + p2, two},
		{"three-level grouping (15)", title + projectHead +
			projectLine("一、东西部协作（2个）", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("（一）甲县（2个）", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("1.产业合作类（2个）", "", "", "", "30", "30", "", "3", "30", "3") + p1 + p2, two},
		{"start and finish in two columns (16)", title + strings.Replace(projectHead, "开工竣工时间", "计划开工时间\t计划竣工时间", 1) +
			projectLine("甲县（1个）", "", "", "", "10", "10", "", "1", "10", "1") +
			projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月", "2024年9月", "效益", "区财政局"),
			"甲县//1/甲县养殖项目/10000000\n甲县: 1 10000000 1 10 1\n"},
		{"project numbers 1. and （2） (20)", title + projectHead +
			projectLine("甲县（2个）", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("1.产业合作类（2个）", "", "", "", "30", "30", "", "3", "30", "3") +
			strings.Replace(p1, "1\t", "1.\t", 1) + strings.Replace(p2, "2\t", "（2）\t", 1), two},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseText(t, tt.doc)
			if len(r.Errors) != 0 {
				t.Errorf("Parse errors:\n%s", problemsOf(r.Errors))
			}
			if diff := cmp.Diff(tt.want, projectsOf(r)); diff != "" {
				t.Errorf("Parse projects (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPeriodColumns checks that the months of separate start and finish columns are checked.
func TestPeriodColumns(t *testing.T) {
	doc := "2024年房山区支援合作项目计划表\n" + strings.Replace(projectHead, "开工竣工时间", "计划开工时间\t计划竣工时间", 1) +
		projectLine("甲县（1个）", "", "", "", "10", "10", "", "1", "10", "1") +
		projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年9月", "2024年5月", "效益", "区财政局")
	r := parseText(t, doc)
	checkProblems(t, "start after finish", r, []problem{{4, "竣工月份早于开工月份"}})
	if p := r.Plan.Projects[0]; p.Period.Text != "2024年9月-2024年5月" {
		t.Errorf("period text = %q, want both columns", p.Period.Text)
	}
}

// TestHTMLRowspan checks that a cell spanning rows leaves its columns in place in the rows below.
func TestHTMLRowspan(t *testing.T) {
	doc := head + "<table>\n<tr><th>工作事项</th><th>任务类别</th><th>任务内容</th><th>责任部门</th><th>完成时限</th></tr>\n" +
		`<tr><td rowspan="2">组织领导</td><td>研究部署</td><td>研究部署。</td><td>区委办公室</td><td>6月底前</td></tr>` + "\n" +
		"<tr><td>考察对接</td><td>考察对接。</td><td>区政府办公室</td><td>8月底前</td></tr>\n</table>\n"
	r := parseText(t, doc)
	var got []string
	for _, tk := range r.Plan.Tasks {
		got = append(got, tk.WorkItem+"/"+tk.Category+"/"+tk.Deadline.Text+"/"+unitsOf(tk.Units, tk.UnitsOpen))
	}
	want := []string{"组织领导/研究部署/6月底前/区委办公室/lead", "组织领导/考察对接/8月底前/区政府办公室/lead"}
	if diff := cmp.Diff(want, got); diff != "" || len(r.Errors)+len(r.Warnings) != 0 {
		t.Errorf("tasks (-want +got):\n%s\nproblems: %v %v", diff, r.Errors, r.Warnings)
	}
}

// TestDocumentLayouts reads documents written as other districts write them and checks counts,
// units and teams.
func TestDocumentLayouts(t *testing.T) {
	tests := []struct {
		name, doc string
		want      string // points (number: units) | teams (name: leads) | tasks (item/category: units)
	}{
		{"points numbered （一） under sections (2)", "# 2024年平谷区区域协作工作要点\n\n### 一、加强领导\n\n（一）完善机制。坚持统一领导。\n\n责任单位：领导小组办公室\n\n（二）深化互访。召开联席会议。\n\n责任单位：区委办公室、区政府办公室\n",
			"1: 领导小组办公室/lead\n2: 区委办公室/lead 区政府办公室/cooperating\n"},
		{"inline at the end of a paragraph (11)", head + "1. 完善工作机制。健全工作机制。责任单位：领导小组办公室、区财政局。\n",
			"1: 领导小组办公室/lead 区财政局/cooperating\n"},
		{"nested bracket at the end (11)", head + "1. 拓展消费帮扶。组织采购。（区商务局、各乡镇（街道））\n",
			"1: 区商务局/lead 各镇街/cooperating\n"},
		{"comma instead of semicolon (11)", head + "1. 拓展消费帮扶。\n\n牵头单位：区商务局，配合单位：区国资委、区总工会\n",
			"1: 区商务局/lead! 区国资委/cooperating! 区总工会/cooperating!\n"},
		{"role words after names (11)", head + "1. 加强劳务协作。组织招聘。（区人力社保局牵头，各镇街配合）\n",
			"1: 区人力社保局/lead! 各镇街/cooperating!\n"},
		{"teams （一）…专班，牵头部门 (17)", head + "## 附件1\n\n（一）干部人才专班，牵头部门：区委组织部；\n\n（二）产业合作专班，牵头部门：区商务局。\n",
			"干部人才专班: 区委组织部\n产业合作专班: 区商务局\n"},
		{"teams 1．…专班。牵头部门 (17)", head + "附件1\n\n1．干部人才工作专班。牵头部门：区委组织部。\n\n2．产业合作工作专班。牵头部门：区发展改革委、区商务局。\n",
			"干部人才工作专班: 区委组织部\n产业合作工作专班: 区发展改革委 区商务局\n"},
		{"teams with members (17)", head + "附件1\n\n1. 产业合作专班，牵头单位：区发展改革委；成员单位：区财政局、区商务局\n",
			"产业合作专班: 区发展改革委\n"},
		{"teams as a table (17)", head + "附件1\n\n序号\t专班名称\t牵头单位\t成员单位\n1\t产业合作专班\t区农业农村局\t区商务局、区国资委\n2\t劳务协作专班\t区人力社保局\t各镇街\n",
			"产业合作专班: 区农业农村局\n劳务协作专班: 区人力社保局\n"},
		{"task list without 任务类别 (3)", head + "附件1\n\n序号\t工作事项\t任务内容\t责任单位\t完成时限\n1\t组织领导\t研究部署。\t区委办公室\t6月底前\n2\t组织领导\t考察对接。\t区政府办公室\t8月底前\n",
			"组织领导/: 区委办公室/lead\n组织领导/: 区政府办公室/lead\n"},
		{"配合单位 column (12)", head + "附件1\n\n| 工作事项 | 任务类别 | 任务内容 | 牵头单位 | 配合单位 | 完成时限 |\n|---|---|---|---|---|---|\n| 组织领导 | 高层互访 | 调研。 | 区委办公室 | 区政府办公室、领导小组办公室 | 10月底前 |\n",
			"组织领导/高层互访: 区委办公室/lead! 区政府办公室/cooperating! 领导小组办公室/cooperating!\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseText(t, tt.doc)
			var b strings.Builder
			for _, p := range r.Plan.Points {
				fmt.Fprintf(&b, "%d: %s\n", p.Number, unitsOf(p.Units, p.UnitsOpen))
			}
			for _, tm := range r.Plan.Teams {
				fmt.Fprintf(&b, "%s: %s\n", tm.Name, strings.Join(tm.Leads, " "))
			}
			for _, tk := range r.Plan.Tasks {
				fmt.Fprintf(&b, "%s/%s: %s\n", tk.WorkItem, tk.Category, unitsOf(tk.Units, tk.UnitsOpen))
			}
			if diff := cmp.Diff(tt.want, b.String()); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			if len(r.Errors) != 0 {
				t.Errorf("Parse errors:\n%s", problemsOf(r.Errors))
			}
		})
	}
}

// TestTitleAndOffice reads titles and offices named after other kinds of work.
func TestTitleAndOffice(t *testing.T) {
	for _, tt := range []struct{ doc, district, office string }{
		{"2024年平谷区区域协作工作要点\n\n1. 甲。\n\n责任单位：区财政局\n", "平谷区", ""},
		{"2024年平谷区乡村振兴协作工作要点\n\n1. 甲。\n\n责任单位：区财政局\n", "平谷区", ""},
		{"平谷区对口支援和区域协作工作领导小组办公室\n\n2024年平谷区对口支援和区域协作工作要点\n\n1. 甲。\n\n责任单位：区财政局\n", "平谷区", "平谷区对口支援和区域协作工作领导小组办公室"},
	} {
		r, err := Parse("doc.md", []byte(tt.doc))
		if err != nil {
			t.Fatal(err)
		}
		if r.Plan.Year != 2024 || r.Plan.District != tt.district || r.Plan.Office != tt.office || !r.OK() {
			t.Errorf("Parse(%q) = %d %q %q %v, want 2024 %q %q", tt.doc, r.Plan.Year, r.Plan.District, r.Plan.Office, r.Errors, tt.district, tt.office)
		}
	}
}

// TestTablesThatAreNotData checks that a header the reader does not know ends the table before
// it, and that notes tables and sheets are ignored.
func TestTablesThatAreNotData(t *testing.T) {
	doc := "2024年房山区支援合作项目计划表\n" + projectHead +
		projectLine("甲县（1个）", "", "", "", "10", "10", "", "1", "10", "1") +
		projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局") +
		"\n| 序号 | 说明 |\n|---|---|\n| 1 | 受益脱贫村为不重复计算的村数。 |\n| 2 | 金额单位为万元。 |\n" +
		"\n注：\n1. 受益脱贫村为不重复计算的村数。\n2. 金额单位为万元。\n"
	r := parseText(t, doc)
	if len(r.Plan.Projects) != 1 || len(r.Plan.Points) != 0 || !r.OK() {
		t.Errorf("Parse(notes) = %d projects, %d points, errors %v, want 1, 0, none", len(r.Plan.Projects), len(r.Plan.Points), r.Errors)
	}
	doc = "2024年房山区支援合作项目计划表\n" + projectHead +
		projectLine("甲县（1个）", "", "", "", "10", "10", "", "1", "10", "1") +
		projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局") +
		"序号\t名称\t数量\n1\t甲\t2\n"
	r = parseText(t, doc)
	checkProblems(t, "unknown table", r, []problem{{6, "表格没有可识别的表头"}})
}

// TestFigureProblems checks that each wrong figure gives one error at its line and nothing more:
// no "not filled in" after an invalid value, no cascade after a missing cell, and that a period
// in another year than the plan's is questioned.
func TestFigureProblems(t *testing.T) {
	const title = "2024年房山区支援合作项目计划表\n"
	region := projectLine("甲县（2个）", "", "", "", "30", "30", "", "3", "30", "3")
	p2 := projectLine("2", "甲县种植项目", "新建", "内容", "20", "20", "用途", "2", "20", "2", "乙乡人民政府", "李某", "2024年5月-2024年9月", "效益", "区财政局")
	tests := []struct {
		name, doc string
		errors    []problem
		warnings  []problem
	}{
		{"invalid fund (26)", title + projectHead + region +
			projectLine("1", "甲县养殖项目", "新建", "内容", "10", "1O", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局") + p2,
			[]problem{{4, "“区级帮扶资金”应为金额数字（单位：万元），实为“1O”"}}, nil},
		{"invalid and negative counts (26)", title + projectHead + region +
			projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "-8", "10", "三百", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局") + p2,
			[]problem{{4, "“受益脱贫村”不能为负数，实为“-8”"}, {4, "“吸纳脱贫人口”应为数字，实为“三百”"}}, nil},
		{"a missing cell (22)", title + projectHead + region +
			strings.Replace(projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局"), "内容\t", "", 1) + p2,
			[]problem{{4, "这一行只有 14 列，表头有 15 列"}}, nil},
		{"a missing cell, then the region's villages checked (22)", title + projectHead + projectLine("甲县（2个）", "", "", "", "30", "30", "", "9", "30", "3") +
			strings.Replace(projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局"), "新建\t", "", 1) + p2,
			[]problem{{3, "受益脱贫村为 9 个，多于其下项目之和 3 个"}, {4, "这一行只有 14 列，表头有 15 列"}}, nil},
		{"—— and ／ are blanks (24)", title + projectHead + projectLine("甲县（2个）", "", "", "", "30", "30", "", "3", "30", "——") +
			projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "——", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局") +
			strings.Replace(p2, "\t2\t乙乡", "\t／\t乙乡", 1),
			nil, nil},
		{"period in another year (21)", title + projectHead + region +
			projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2023年5月至12月", "效益", "区财政局") + p2,
			nil, []problem{{4, "开工竣工时间“2023年5月至12月”不在计划年度 2024 年内"}}},
		{"short separator rows (18)", title + "| 序号 | 项目名称 | 项目总投资 | 区级帮扶资金 |\n| :-: | - | --: | -: |\n| 甲县（1个） |  | 10 | 10 |\n|-|-|-|-|\n| 1 | 甲县养殖项目 | 10 | 10 |\n",
			nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseText(t, tt.doc)
			checkProblems(t, tt.name, r, tt.errors)
			var warns []problem
			for _, w := range r.Warnings {
				if !strings.Contains(w.Message, "缺少") {
					warns = append(warns, problem{w.Line, w.Message})
				}
			}
			got := &Result{Errors: nil}
			for _, w := range warns {
				got.Errors = append(got.Errors, xiezuo.Problem{Line: w.line, Message: w.has})
			}
			checkProblems(t, tt.name+" warnings", got, tt.warnings)
		})
	}
}

// TestPageNumbers checks that page numbers left by a conversion are dropped like page breaks.
func TestPageNumbers(t *testing.T) {
	for _, pn := range []string{"- 2 -", `\- 2 -`, "—2—", "— 12 —", "第 2 页", "第2页 共5页"} {
		r := parseText(t, head+"1. 巩固拓展脱\n\n"+pn+"\n\n脱贫攻坚成果。\n\n责任单位：区财政局\n")
		if len(r.Plan.Points) != 1 || r.Plan.Points[0].Text != "巩固拓展脱贫攻坚成果。" {
			t.Errorf("Parse(page number %q) points = %+v, want one with the text mended", pn, r.Plan.Points)
		}
	}
}

// layoutFiles are the 2021 plan's project table laid out as other offices lay it out, with
// subtotal rows after their rows (testdata/layouts/README.md says how each is laid out).
var layoutFiles = []string{
	"after-categories.md", "after-all.txt", "region-column.md", "bare-subtotals.md",
	"after-all.csv", "after-all.xlsx", "excel-subtotal.csv", "excel-subtotal.xlsx", "region-column-categories.csv",
	"paren-points.txt",
}

// projectRows writes each project as region/category/number/name/figures, one per line.
func projectRows(r *Result) string {
	var b strings.Builder
	for _, p := range r.Plan.Projects {
		fmt.Fprintf(&b, "%s/%s/%d/%s/%v %v %v %v %v\n", p.Region, p.Category, p.Number, p.Name, p.TotalInvestment, p.DistrictFund, p.Villages, p.People, p.Employed)
	}
	return b.String()
}

// TestSubtotalsAfterRows reads the 2021 plan laid out with its subtotal rows after the rows
// they sum, as Excel's 分类汇总 writes them: each must read with no error and no warning, with
// the projects, totals and regions of the 2021 plan.
func TestSubtotalsAfterRows(t *testing.T) {
	want, err := Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil {
		t.Fatal(err)
	}
	ws := want.Summary()
	for _, file := range layoutFiles {
		t.Run(file, func(t *testing.T) {
			r := parseFile(t, filepath.Join("testdata", "layouts", file))
			s := r.Summary()
			if len(s.Errors) != 0 || len(s.Warnings) != 0 {
				t.Errorf("Parse(%s) errors:\n%swarnings:\n%s", file, problemsOf(s.Errors), problemsOf(s.Warnings))
			}
			if diff := cmp.Diff(ws.Totals, s.Totals); diff != "" {
				t.Errorf("Parse(%s) totals (-2021 plan +got):\n%s", file, diff)
			}
			if diff := cmp.Diff(ws.Regions, s.Regions); diff != "" {
				t.Errorf("Parse(%s) regions (-2021 plan +got):\n%s", file, diff)
			}
			if diff := cmp.Diff(projectRows(want), projectRows(r)); diff != "" {
				t.Errorf("Parse(%s) projects (-2021 plan +got):\n%s", file, diff)
			}
			if ext := filepath.Ext(file); ext == ".md" || ext == ".txt" {
				// The whole plan: its prose, teams and tasks read as in the 2021 plan too.
				got := []int{s.WorkPoints, s.WorkTeams, s.Tasks}
				if diff := cmp.Diff([]int{ws.WorkPoints, ws.WorkTeams, ws.Tasks}, got); diff != "" {
					t.Errorf("Parse(%s) points, teams, tasks (-2021 plan +got):\n%s", file, diff)
				}
				if diff := cmp.Diff(want.Plan.Regions, r.Plan.Regions); diff != "" {
					t.Errorf("Parse(%s) region relations (-2021 plan +got):\n%s", file, diff)
				}
			}
		})
	}
}

// TestSubtotalsAfterRowsBroken plants one mistake in each layout of TestSubtotalsAfterRows:
// a wrong figure in a subtotal row, a wrong count, a project without 序号. Each copy must give
// exactly its planted problem and no other.
func TestSubtotalsAfterRowsBroken(t *testing.T) {
	label := func(cells []string) int {
		for i, c := range cells {
			if reClosing.MatchString(squeeze(c)) || reCountSuffix.MatchString(squeeze(c)) {
				return i
			}
		}
		return -1
	}
	plants := []struct {
		name string
		find func(cells []string, col func(string) int) bool
		edit func(cells []string, col func(string) int)
		// problem is the message wanted at the row edited; under is 其上 or 其下 as the row
		// stands after or before its projects.
		problem func(under string) string
		warning bool
	}{
		{
			name: "wrong fund in the first category subtotal",
			find: func(c []string, col func(string) int) bool {
				return c[col("区级帮扶资金")] == "130" && label(c) >= 0
			},
			edit: func(c []string, col func(string) int) { c[col("区级帮扶资金")] = "131" },
			problem: func(under string) string {
				return "的区级帮扶资金为 131 万元，但" + under + " 4 个项目之和为 130 万元"
			},
		},
		{
			name: "wrong count in the first region subtotal",
			find: func(c []string, col func(string) int) bool {
				return c[col("区级帮扶资金")] == "322.5" && label(c) >= 0
			},
			edit: func(c []string, _ func(string) int) {
				i := label(c)
				if strings.Contains(c[i], "（10个）") {
					c[i] = strings.Replace(c[i], "（10个）", "（11个）", 1)
				} else {
					c[i] += "（11个）"
				}
			},
			problem: func(under string) string { return "写明 11 个项目，" + under + "实际列出 10 个" },
		},
		{
			name: "wrong count in 西藏拉萨堆龙德庆区's first category subtotal",
			find: func(c []string, col func(string) int) bool {
				return c[col("区级帮扶资金")] == "90" && label(c) >= 0
			},
			edit: func(c []string, _ func(string) int) {
				i := label(c)
				if strings.Contains(c[i], "（2个）") {
					c[i] = strings.Replace(c[i], "（2个）", "（3个）", 1)
				} else {
					c[i] += "（3个）"
				}
			},
			problem: func(under string) string { return "写明 3 个项目，" + under + "实际列出 2 个" },
		},
		{
			name: "a project without 序号",
			find: func(c []string, col func(string) int) bool { return c[col("序号")] == "3" },
			edit: func(c []string, col func(string) int) { c[col("序号")] = "" },
			problem: func(string) string {
				return "项目“西乌兰不浪镇红山子村养殖产业扶持项目”没有序号"
			},
			warning: true,
		},
	}
	for _, file := range layoutFiles {
		data, err := os.ReadFile(filepath.Join("testdata", "layouts", file))
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range plants {
			t.Run(file+"/"+pl.name, func(t *testing.T) {
				broken, line, cells := editRow(t, file, data, pl.find, pl.edit)
				switch {
				case broken == nil && file == "region-column-categories.csv" && strings.Contains(pl.name, "region subtotal"):
					t.Skipf("%s has no region subtotal row", file)
				case broken == nil:
					t.Fatalf("%s: no row to plant %s in", file, pl.name)
				}
				under := "其上"
				if i := label(cells); i >= 0 && !reClosing.MatchString(squeeze(cells[i])) {
					under = "其下" // the region row stands before its projects (after-categories.md)
				}
				r, err := Parse(file, broken)
				if err != nil {
					t.Fatal(err)
				}
				var errs, warns []string
				for _, e := range r.Errors {
					errs = append(errs, fmt.Sprintf("%d: %s", e.Line, e.Message))
				}
				for _, w := range r.Warnings {
					warns = append(warns, fmt.Sprintf("%d: %s", w.Line, w.Message))
				}
				got, other := errs, warns
				if pl.warning {
					got, other = warns, errs
				}
				want := fmt.Sprintf("%d: …%s…", line, pl.problem(under))
				if len(got) != 1 || !strings.HasPrefix(got[0], fmt.Sprintf("%d: ", line)) || !strings.Contains(got[0], pl.problem(under)) || len(other) != 0 {
					t.Errorf("Parse(%s with %s) errors = %q, warnings = %q; want only %q", file, pl.name, errs, warns, want)
				}
			})
		}
	}
}

// editRow changes the first table row of a document that find picks, with edit, and returns the
// document, the row's line (or worksheet row) and its cells after the edit; a nil document when
// no row is picked. find and edit get a function giving the column of a heading of the project
// table.
func editRow(t *testing.T, file string, data []byte, find func([]string, func(string) int) bool, edit func([]string, func(string) int)) ([]byte, int, []string) {
	t.Helper()
	var header []string
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("%s: no column %s in %q", file, name, header)
		return -1
	}
	// pick finds the row among rows of cells; each row is padded to the header's width.
	pick := func(rows [][]string) int {
		for i, cells := range rows {
			for len(header) > 0 && len(cells) < len(header) {
				cells = append(cells, "")
				rows[i] = cells
			}
			switch {
			case slices.Contains(cells, "区级帮扶资金"):
				header = cells
			case header != nil && len(cells) >= len(header) && find(cells, col):
				edit(cells, col)
				return i
			}
		}
		return -1
	}
	switch filepath.Ext(file) {
	case ".csv":
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		i := pick(recs)
		if i < 0 {
			return nil, 0, nil
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.WriteAll(recs); err != nil {
			t.Fatal(err)
		}
		return b.Bytes(), i + 1, recs[i]
	case ".xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetName(0)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		before := make([][]string, len(rows))
		for i := range rows {
			before[i] = slices.Clone(rows[i])
		}
		i := pick(rows)
		if i < 0 {
			return nil, 0, nil
		}
		for j, c := range rows[i] {
			if j >= len(before[i]) || c != before[i][j] {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if err := f.SetCellValue(sheet, cell, c); err != nil {
					t.Fatal(err)
				}
			}
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes(), i + 1, rows[i]
	}
	// Text: tab-separated rows, or Markdown pipe rows.
	lines := strings.Split(string(data), "\n")
	rows := make([][]string, len(lines))
	for i, l := range lines {
		switch {
		case strings.Contains(l, "\t"):
			rows[i] = strings.Split(l, "\t")
		case strings.HasPrefix(l, "| "):
			rows[i] = strings.Split(strings.TrimSuffix(strings.TrimPrefix(l, "| "), " |"), " | ")
		}
	}
	i := pick(rows)
	if i < 0 {
		return nil, 0, nil
	}
	if strings.Contains(lines[i], "\t") {
		lines[i] = strings.Join(rows[i], "\t")
	} else {
		lines[i] = "| " + strings.Join(rows[i], " | ") + " |"
	}
	return []byte(strings.Join(lines, "\n")), i + 1, rows[i]
}

// TestClosingRows reads small tables whose subtotal rows come after their rows, written in the
// ways clerks write them, each with the projects and regions it must give and the problems.
func TestClosingRows(t *testing.T) {
	const title = "2024年房山区支援合作项目计划表\n"
	p1 := projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局")
	p2 := projectLine("2", "甲县种植项目", "新建", "内容", "20", "20", "用途", "2", "20", "2", "乙乡人民政府", "李某", "2024年5月-2024年9月", "效益", "区财政局")
	p3 := projectLine("1", "乙县就业项目", "新建", "内容", "5", "5", "用途", "1", "5", "5", "丙乡人民政府", "王某", "2024年5月-2024年9月", "效益", "区人力社保局")
	both := "甲县/产业合作类/1/甲县养殖项目/10000000\n甲县/产业合作类/2/甲县种植项目/20000000\n"
	tests := []struct {
		name, doc, want string
		problems        []problem // errors, then warnings
	}{
		{"region named only in its 小计 row", title + projectHead + p1 + p2 +
			projectLine("产业合作类小计（2个）", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("甲县小计（2个）", "", "", "", "30", "30", "", "3", "30", "3") + p3 +
			projectLine("乙县 小计", "", "", "", "5", "5", "", "1", "5", "5") +
			projectLine("合计（3个）", "", "", "", "35", "35", "", "4", "35", "8"),
			both + "乙县//1/乙县就业项目/5000000\n甲县: 2 30000000 3 30 3\n乙县: 1 5000000 1 5 5\n", nil},
		{"bare 小计 without a count closes the category, then the region", title + projectHead +
			projectLine("一、甲县") + projectLine("（一）产业合作类") + p1 + p2 +
			projectLine("小计", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("小计", "", "", "", "30", "30", "", "2", "30", "3"),
			"甲县/产业合作类/1/甲县养殖项目/10000000\n甲县/产业合作类/2/甲县种植项目/20000000\n甲县: 2 30000000 2 30 3\n", nil},
		{"小计 in 序号, the name in 项目名称", title + projectHead +
			projectLine("甲县（2个）", "", "", "", "30", "30", "", "3", "30", "3") + p1 + p2 +
			projectLine("小计", "产业合作类（2个）", "", "", "30", "30", "", "3", "30", "3"),
			both + "甲县: 2 30000000 3 30 3\n", nil},
		{"category rows before, region 小计 after", title + projectHead +
			projectLine("1.产业合作类（2个）", "", "", "", "30", "30", "", "3", "30", "3") + p1 + p2 +
			projectLine("甲县小计（2个）", "", "", "", "30", "30", "", "3", "30", "3"),
			"甲县/产业合作类/1/甲县养殖项目/10000000\n甲县/产业合作类/2/甲县种植项目/20000000\n甲县: 2 30000000 3 30 3\n", nil},
		{"a category ending in 区 under an open region", title + projectHead +
			projectLine("甲县（2个）", "", "", "", "30", "30", "", "3", "30", "3") + p1 + p2 +
			projectLine("乡村振兴示范区小计（2个）", "", "", "", "30", "30", "", "3", "30", "3"),
			"甲县/乡村振兴示范区/1/甲县养殖项目/10000000\n甲县/乡村振兴示范区/2/甲县种植项目/20000000\n甲县: 2 30000000 3 30 3\n", nil},
		{"wrong category 小计: said once, above", title + projectHead + p1 + p2 +
			projectLine("产业合作类小计（3个）", "", "", "", "31", "30", "", "3", "30", "3") +
			projectLine("甲县小计（2个）", "", "", "", "30", "30", "", "3", "30", "3"),
			both + "甲县: 2 30000000 3 30 3\n",
			[]problem{{5, "“产业合作类小计（3个）”写明 3 个项目，其上实际列出 2 个"}, {5, "项目总投资为 31 万元，但其上 2 个项目之和为 30 万元"}}},
		{"projects no 小计 names", title + projectHead + p1 + p2 +
			projectLine("产业合作类小计（2个）", "", "", "", "30", "30", "", "3", "30", "3") +
			projectLine("合计（2个）", "", "", "", "30", "30", "", "3", "30", "3"),
			"/产业合作类/1/甲县养殖项目/10000000\n/产业合作类/2/甲县种植项目/20000000\n: 2 30000000 3 30 3\n",
			[]problem{{3, "项目“甲县养殖项目”前面没有地区行"}, {4, "项目“甲县种植项目”前面没有地区行"}, {5, "类别行“产业合作类小计（2个）”前面没有地区行"}}},
		{"协作地区 column with the short name under a region row", title + "序号\t协作地区\t" + strings.TrimPrefix(projectHead, "序号\t") +
			"内蒙古甲县（2个）\t\t\t\t\t30\t30\t\t3\t30\t3\n" + strings.Replace(p1, "1\t", "1\t甲县\t", 1) + strings.Replace(p2, "2\t", "2\t甲县\t", 1),
			"内蒙古甲县//1/甲县养殖项目/10000000\n内蒙古甲县//2/甲县种植项目/20000000\n内蒙古甲县: 2 30000000 3 30 3\n", nil},
		{"a bare 小计 with nothing open", title + projectHead + p1 +
			projectLine("小计（1个）", "", "", "", "10", "10", "", "1", "10", "1"),
			"//1/甲县养殖项目/10000000\n: 1 10000000 1 10 1\n",
			[]problem{{3, "前面没有地区行"}, {4, "小计行“小计（1个）”前面没有地区行"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseText(t, tt.doc)
			if diff := cmp.Diff(tt.want, projectsOf(r)); diff != "" {
				t.Errorf("Parse projects (-want +got):\n%s", diff)
			}
			all := &Result{Errors: append(slices.Clone(r.Errors), r.Warnings...)}
			checkProblems(t, tt.name, all, tt.problems)
		})
	}
}

// TestClosingRowsSheets checks that a region's 小计 on one sheet names no project of another.
func TestClosingRowsSheets(t *testing.T) {
	f := excelize.NewFile()
	head := strings.Split(strings.TrimSuffix(projectHead, "\n"), "\t")
	write := func(sheet string, rows ...string) {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		all := append([]string{"2024年房山区支援合作项目计划表", strings.Join(head, "\t")}, rows...)
		for i, l := range all {
			for j, c := range strings.Split(strings.TrimSuffix(l, "\n"), "\t") {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				f.SetCellValue(sheet, cell, c)
			}
		}
	}
	write("Sheet1", projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局"))
	write("乙县", projectLine("1", "乙县就业项目", "新建", "内容", "5", "5", "用途", "1", "5", "5", "丙乡人民政府", "王某", "2024年5月-2024年9月", "效益", "区人力社保局"),
		projectLine("乙县小计（1个）", "", "", "", "5", "5", "", "1", "5", "5"))
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	r, err := Parse("plan.xlsx", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("//1/甲县养殖项目/10000000\n乙县//1/乙县就业项目/5000000\n: 1 10000000 1 10 1\n乙县: 1 5000000 1 5 5\n", projectsOf(r)); diff != "" {
		t.Errorf("Parse projects (-want +got):\n%s", diff)
	}
	if len(r.Errors) != 1 || r.Errors[0].Sheet != "Sheet1" || !strings.Contains(r.Errors[0].Message, "前面没有地区行") {
		t.Errorf("Parse errors = %v, want one: the project of Sheet1 has no region", r.Errors)
	}
}

// TestPointNumbering checks that points numbered within each section (（一）（二） or 1. 2.
// restarting under 一、二) or through the document read without a warning, are numbered in
// order through the document (so stored points never share a number), and that a number
// skipped or repeated within a section is questioned in the document's own numbering.
func TestPointNumbering(t *testing.T) {
	const title = "# 2024年平谷区区域协作工作要点\n\n"
	point := func(mark, text string) string { return mark + text + "。\n\n责任单位：区财政局\n\n" }
	tests := []struct {
		name, doc string
		want      string // section.number of each point
		warnings  []problem
	}{
		{"（一） restarting in each section", title + "一、加强领导\n\n" + point("（一）", "完善机制") + point("（二）", "深化互访") +
			"二、深化协作\n\n" + point("（一）", "产业合作") + point("（二）", "劳务协作") + point("（三）", "消费帮扶"),
			"1.1 1.2 2.3 2.4 2.5", nil},
		{"1. restarting in each section", title + "一、加强领导\n\n" + point("1. ", "完善机制") + point("2. ", "深化互访") +
			"二、深化协作\n\n" + point("1. ", "产业合作") + point("2. ", "劳务协作"),
			"1.1 1.2 2.3 2.4", nil},
		{"1. through the document", title + "一、加强领导\n\n" + point("1. ", "完善机制") + point("2. ", "深化互访") +
			"二、深化协作\n\n" + point("3. ", "产业合作") + point("4. ", "劳务协作"),
			"1.1 1.2 2.3 2.4", nil},
		{"no sections", title + point("1. ", "完善机制") + point("2. ", "深化互访"), "0.1 0.2", nil},
		{"（三） after （一）", title + "一、加强领导\n\n" + point("（一）", "完善机制") + point("（二）", "深化互访") +
			"二、深化协作\n\n" + point("（一）", "产业合作") + point("（三）", "劳务协作"),
			"1.1 1.2 2.3 2.4", []problem{{19, "第二部分的工作要点编号为（三），按顺序应为（二）"}}},
		{"（一） twice", title + "一、加强领导\n\n" + point("（一）", "完善机制") + point("（一）", "深化互访"),
			"1.1 1.2", []problem{{9, "第一部分的工作要点编号为（一），按顺序应为（二）"}}},
		{"a section starting at （三）", title + "一、加强领导\n\n" + point("（一）", "完善机制") +
			"二、深化协作\n\n" + point("（三）", "产业合作"),
			"1.1 2.2", []problem{{11, "第二部分的工作要点编号为（三），按顺序应为（一）"}}},
		{"4. after 2. across sections", title + "一、加强领导\n\n" + point("1. ", "完善机制") + point("2. ", "深化互访") +
			"二、深化协作\n\n" + point("4. ", "产业合作"),
			"1.1 1.2 2.3", []problem{{15, "第二部分的工作要点编号为 4，按顺序应为 3"}}},
		{"3. after 1. restarting", title + "一、加强领导\n\n" + point("1. ", "完善机制") +
			"二、深化协作\n\n" + point("1. ", "产业合作") + point("3. ", "劳务协作"),
			"1.1 2.2 2.3", []problem{{15, "第二部分的工作要点编号为 3，按顺序应为 2"}}},
		{"no units under （二）", title + "一、加强领导\n\n" + point("（一）", "完善机制") + "二、深化协作\n\n" + point("（一）", "产业合作") + "（二）劳务协作。\n\n",
			"1.1 2.2 2.3", []problem{{15, "第二部分的工作要点（二）没有写明责任单位"}}},
		{"no units under 2. restarting", title + "一、加强领导\n\n" + point("1. ", "完善机制") + "二、深化协作\n\n" + point("1. ", "产业合作") + "2. 劳务协作。\n\n",
			"1.1 2.2 2.3", []problem{{15, "第二部分的第 2 条工作要点没有写明责任单位"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseText(t, tt.doc)
			var got []string
			for _, p := range r.Plan.Points {
				got = append(got, fmt.Sprintf("%d.%d", p.Section, p.Number))
			}
			if diff := cmp.Diff(tt.want, strings.Join(got, " ")); diff != "" {
				t.Errorf("Parse points section.number (-want +got):\n%s", diff)
			}
			if len(r.Errors) != 0 {
				t.Errorf("Parse errors:\n%s", problemsOf(r.Errors))
			}
			checkProblems(t, tt.name+" warnings", &Result{Errors: r.Warnings}, tt.warnings)
		})
	}
}

// TestShortRowWarnings checks that a row reported short (cells missing) is not also warned about
// for the cells it lacks, while a cell left blank in a full row still is.
func TestShortRowWarnings(t *testing.T) {
	r := parseFile(t, filepath.Join("testdata", "bad", "2023-yanqing-errors.txt"))
	if len(r.Warnings) != 0 {
		t.Errorf("Parse(2023-yanqing-errors.txt) warnings:\n%swant none: its short row 12 has its error", problemsOf(r.Warnings))
	}
	doc := "2024年房山区支援合作项目计划表\n" + projectHead +
		projectLine("甲县（2个）", "", "", "", "30", "30", "", "3", "30", "3") +
		strings.TrimSuffix(projectLine("1", "甲县养殖项目", "新建", "内容", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某"), "\t\t\t\n") + "\n" +
		projectLine("2", "甲县种植项目", "新建", "内容", "20", "20", "用途", "2", "20", "2", "乙乡人民政府", "李某", "2024年5月-2024年9月", "效益", "")
	r = parseText(t, doc)
	checkProblems(t, "short row", r, []problem{{4, "这一行只有 12 列，表头有 15 列"}})
	checkProblems(t, "short row warnings", &Result{Errors: r.Warnings}, []problem{{5, "项目“甲县种植项目”没有写明项目牵头单位"}})
}

// TestMissingColumns checks that a project table lacking standard columns gets one warning
// naming them all, not one per column.
func TestMissingColumns(t *testing.T) {
	doc := "2024年房山区支援合作项目计划表\n| 序号 | 项目名称 | 项目总投资 | 区级帮扶资金 | 受益脱贫村 | 受益脱贫人口 | 吸纳脱贫人口 | 开工竣工时间 | 项目牵头单位 |\n|---|---|---|---|---|---|---|---|---|\n" +
		"| 甲县（1个） |  | 10 | 10 | 1 | 10 | 1 |  |  |\n| 1 | 甲县养殖项目 | 10 | 10 | 1 | 10 | 1 | 2024年5月-2024年9月 | 区财政局 |\n"
	r := parseText(t, doc)
	want := "4: 项目计划表缺少 6 列：“建设性质”“建设规模和建设内容”“帮扶资金主要用途”“项目实施单位”“项目负责人”“项目效益”（附件3 的标准列）\n"
	if diff := cmp.Diff(want, problemsOf(r.Warnings)); diff != "" || len(r.Errors) != 0 {
		t.Errorf("Parse warnings (-want +got):\n%s\nerrors: %v", diff, r.Errors)
	}
}

// TestTaskStatusColumns checks that the status columns the office adds to the task list
// (xlsx.WriteTasks: 进展状态, 最近报送, 审核, 完成情况) are ignored: the same tasks, nothing else.
func TestTaskStatusColumns(t *testing.T) {
	plain := head + "附件2\n\n工作事项\t任务类别\t任务内容\t责任部门\t完成时限\n组织领导\t研究部署\t研究部署。\t区委办公室\t6月底前\n\t调研对接\t调研对接。\t区政府办公室\t8月底前\n"
	status := head + "附件2\n\n（进展状态、最近报送、审核、完成情况截至 2024-08-31）\n工作事项\t任务类别\t任务内容\t责任部门\t完成时限\t进展状态\t最近报送\t审核\t完成情况\n" +
		"组织领导\t研究部署\t研究部署。\t区委办公室\t6月底前\t已销号\t2024-06-20\t已通过\t6月已召开会议，完成情况良好，责任单位：区财政局。\n" +
		"\t调研对接\t调研对接。\t区政府办公室\t8月底前\t逾期未报\t\t\t\n"
	want, got := parseText(t, plain), parseText(t, status)
	tasks := func(r *Result) string {
		var b strings.Builder
		for _, tk := range r.Plan.Tasks {
			fmt.Fprintf(&b, "%s/%s/%s/%s/%s\n", tk.WorkItem, tk.Category, tk.Content, unitsOf(tk.Units, tk.UnitsOpen), tk.Deadline.Text)
		}
		return b.String()
	}
	if diff := cmp.Diff(tasks(want), tasks(got)); diff != "" {
		t.Errorf("Parse(task list with status columns) tasks (-plain +with status):\n%s", diff)
	}
	if len(got.Errors)+len(got.Warnings) != 0 || len(got.Plan.Units) != len(want.Plan.Units) {
		t.Errorf("Parse(task list with status columns) errors %v, warnings %v, units %d (want %d)", got.Errors, got.Warnings, len(got.Plan.Units), len(want.Plan.Units))
	}
}

// TestProjectNumbers checks that project 序号 run on through a region or restart at 1 in each
// category without a warning, and that a skip or repeat is questioned.
func TestProjectNumbers(t *testing.T) {
	const title = "2024年房山区支援合作项目计划表\n"
	proj := func(n, name, fund string) string {
		return projectLine(n, name, "新建", "内容", fund, fund, "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年5月-2024年9月", "效益", "区财政局")
	}
	region := projectLine("甲县（3个）", "", "", "", "60", "60", "", "3", "30", "3")
	tests := []struct {
		name, doc string
		warnings  []problem
	}{
		{"restarting in each category row", title + projectHead + region +
			projectLine("1.产业合作类（2个）", "", "", "", "30", "30", "", "2", "20", "2") + proj("1", "甲", "10") + proj("2", "乙", "20") +
			projectLine("2.劳务协作类（1个）", "", "", "", "30", "30", "", "1", "10", "1") + proj("1", "丙", "30"), nil},
		{"restarting after each category 小计", title + projectHead + proj("1", "甲", "10") + proj("2", "乙", "20") +
			projectLine("产业合作类小计（2个）", "", "", "", "30", "30", "", "2", "20", "2") + proj("1", "丙", "30") +
			projectLine("劳务协作类小计（1个）", "", "", "", "30", "30", "", "1", "10", "1") +
			projectLine("甲县小计（3个）", "", "", "", "60", "60", "", "3", "30", "3"), nil},
		{"running on", title + projectHead + region +
			projectLine("1.产业合作类（2个）", "", "", "", "30", "30", "", "2", "20", "2") + proj("1", "甲", "10") + proj("2", "乙", "20") +
			projectLine("2.劳务协作类（1个）", "", "", "", "30", "30", "", "1", "10", "1") + proj("3", "丙", "30"), nil},
		{"repeated across categories", title + projectHead + region +
			projectLine("1.产业合作类（2个）", "", "", "", "30", "30", "", "2", "20", "2") + proj("1", "甲", "10") + proj("2", "乙", "20") +
			projectLine("2.劳务协作类（1个）", "", "", "", "30", "30", "", "1", "10", "1") + proj("2", "丙", "30"),
			[]problem{{8, "项目序号为 2，按顺序应为 3"}}},
		{"skipped within a category", title + projectHead + region +
			projectLine("1.产业合作类（3个）", "", "", "", "60", "60", "", "3", "30", "3") + proj("1", "甲", "10") + proj("3", "乙", "20") + proj("4", "丙", "30"),
			[]problem{{6, "项目序号为 3，按顺序应为 2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseText(t, tt.doc)
			if len(r.Errors) != 0 {
				t.Errorf("Parse errors:\n%s", problemsOf(r.Errors))
			}
			checkProblems(t, tt.name+" warnings", &Result{Errors: r.Warnings}, tt.warnings)
		})
	}
}

// TestMergedDownLeadUnit reads a lead unit written once for several projects, its cell merged
// down (HTML rowspan, as Word's vMerge): each project has it, and no warning says it lacks one;
// a figure merged down is not counted twice.
func TestMergedDownLeadUnit(t *testing.T) {
	head := strings.Split(strings.TrimSpace(projectHead), "\t")
	var b strings.Builder
	b.WriteString("2024年房山区支援合作项目计划表\n<table>\n<tr>")
	for _, h := range head {
		b.WriteString("<td>" + h + "</td>")
	}
	b.WriteString("</tr>\n")
	cells := func(cs ...string) {
		b.WriteString("<tr>")
		for _, c := range cs {
			b.WriteString(c)
		}
		b.WriteString("</tr>\n")
	}
	td := func(s string) string { return "<td>" + s + "</td>" }
	cells(td("甲县（2个）"), td(""), td(""), td(""), td("30"), td("30"), td(""), td("2"), td("20"), td("2"), td(""), td(""), td(""), td(""), td(""))
	cells(td("1"), td("甲项目"), td("新建"), td("内容"), td("10"), td("10"), td("用途"), td("1"), td("10"), td("1"), td("甲乡人民政府"), td("张某"), td("2024年5月-2024年9月"), td("效益"), `<td rowspan="2">区财政局</td>`)
	cells(td("2"), td("乙项目"), td("新建"), td("内容"), td("20"), td("20"), td("用途"), td("1"), td("10"), td("1"), td("甲乡人民政府"), td("张某"), td("2024年5月-2024年9月"), td("效益"))
	b.WriteString("</table>\n")
	r := parseText(t, b.String())
	if len(r.Errors)+len(r.Warnings) != 0 {
		t.Fatalf("problems:\n%s\n%s", problemsOf(r.Errors), problemsOf(r.Warnings))
	}
	if len(r.Plan.Projects) != 2 {
		t.Fatalf("projects = %d, want 2", len(r.Plan.Projects))
	}
	for _, pr := range r.Plan.Projects {
		if pr.LeadUnit != "区财政局" {
			t.Errorf("project %s: lead unit %q, want 区财政局 (merged down)", pr.Name, pr.LeadUnit)
		}
	}
}
