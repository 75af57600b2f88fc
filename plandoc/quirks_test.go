package plandoc

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

func parseText(t *testing.T, doc string) *Result {
	t.Helper()
	r, err := Parse("doc.md", []byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return r
}

const head = "# 2024年房山区支援合作工作要点\n\n"

// unitsOf writes a point's units as "unit/role" in order, "…" at the end when open.
func unitsOf(rs []xiezuo.Responsibility, open bool) string {
	var parts []string
	for _, r := range rs {
		s := r.Unit + "/" + string(r.Role)
		if r.Stated {
			s += "!"
		}
		parts = append(parts, s)
	}
	if open {
		parts = append(parts, "…")
	}
	return strings.Join(parts, " ")
}

func TestSections(t *testing.T) {
	doc := head + "### 一、第一部分\n\n1. 甲。\n\n责任单位：区财政局\n\n## **二、第二部分**\n\n2．乙。\n\n责任单位：区商务局\n\n三、第三部分\n\n3、丙。\n\n责任单位：区教委\n\n#### **四、第四部分**\n\n4. 丁。\n\n责任单位：区民政局\n"
	r := parseText(t, doc)
	var got []string
	for _, s := range r.Plan.Sections {
		got = append(got, s.Title)
	}
	if diff := cmp.Diff([]string{"第一部分", "第二部分", "第三部分", "第四部分"}, got); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	var sec []int
	for _, p := range r.Plan.Points {
		sec = append(sec, p.Section)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4}, sec); diff != "" {
		t.Errorf("point sections (-want +got):\n%s", diff)
	}
	if len(r.Errors)+len(r.Warnings) != 0 {
		t.Errorf("problems = %v %v, want none", r.Errors, r.Warnings)
	}
}

func TestNoSections(t *testing.T) {
	r := parseText(t, head+"1. 甲。\n责任单位：区财政局\n2. 乙。\n责任单位：区商务局\n")
	if len(r.Plan.Sections) != 0 || len(r.Plan.Points) != 2 || r.Plan.Points[1].Section != 0 {
		t.Errorf("Parse(no sections) = %d sections, %d points, want 0, 2", len(r.Plan.Sections), len(r.Plan.Points))
	}
}

func TestResponsibilityForms(t *testing.T) {
	tests := []struct {
		name, point, want string
	}{
		{"bold line", "1. 甲。\n\n**责任单位：区财政局、区商务局**\n", "区财政局/lead 区商务局/cooperating"},
		{"bold label", "1. 甲。\n\n**责任单位：**区财政局、区商务局等\n", "区财政局/lead 区商务局/cooperating …"},
		{"plain, half-width colon", "1. 甲。\n\n责任单位:区财政局，区科信局\n", "区财政局/lead 区科技和信息化局/cooperating"},
		{"lead and cooperating", "1. 甲。\n\n牵头单位：区财政局、区商务局；配合单位：区教委、各镇街\n", "区财政局/lead! 区商务局/lead! 区教委/cooperating! 各镇街/cooperating!"},
		{"lead and cooperating on two lines", "1. 甲。\n\n牵头单位：区财政局\n\n配合单位：区教委\n", "区财政局/lead! 区教委/cooperating!"},
		{"bracket at the end", "1. 做好资金保障工作。（区财政局、区教委）\n", "区财政局/lead 区教委/cooperating"},
		{"bracket with 牵头", "1. 做好资金保障工作（牵头单位：区教委；配合单位：区财政局）。\n", "区教委/lead! 区财政局/cooperating!"},
		{"marked lead", "1. 甲。\n\n责任单位：区教委、区财政局（牵头）\n", "区教委/cooperating 区财政局/lead!"},
		{"unit split by a page break", "1. 甲。\n\n**责任单位：区民政局、区科技**\n\n和信息化局、前方挂职干部等\n", "区民政局/lead 区科技和信息化局/cooperating 前方挂职干部/cooperating …"},
		{"list split before a separator", "1. 甲。\n\n责任单位：区人力资源和社会保障局\n\n、前方挂职干部\n", "区人力社保局/lead 前方挂职干部/cooperating"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseText(t, head+tt.point)
			if len(r.Plan.Points) != 1 {
				t.Fatalf("points = %d, want 1", len(r.Plan.Points))
			}
			p := r.Plan.Points[0]
			if got := unitsOf(p.Units, p.UnitsOpen); got != tt.want {
				t.Errorf("units = %q, want %q", got, tt.want)
			}
			if strings.Contains(p.Text, "区财政局") && !strings.Contains(tt.point, "做好") {
				t.Errorf("point text %q kept the units", p.Text)
			}
		})
	}
}

func TestBracketThatIsNotUnits(t *testing.T) {
	r := parseText(t, head+"1. 加强教育帮扶（含职业教育和学前教育）。\n\n责任单位：区教委\n")
	p := r.Plan.Points[0]
	if p.Text != "加强教育帮扶（含职业教育和学前教育）。" || unitsOf(p.Units, p.UnitsOpen) != "区教委/lead" {
		t.Errorf("point = %q %q, want the bracket kept in the text and 区教委 as unit", p.Text, unitsOf(p.Units, p.UnitsOpen))
	}
}

func TestPageBreakDamage(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"paragraph split", "1. 确保进度、质\n\n量、成效。", "确保进度、质量、成效。"},
		{"word repeated", "1. 学习领会全国巩固拓展脱\n\n脱贫攻坚成果同乡村振兴有效衔接精神。", "学习领会全国巩固拓展脱贫攻坚成果同乡村振兴有效衔接精神。"},
		{"two characters repeated", "1. 推进乡村振兴\n\n振兴战略实施。", "推进乡村振兴战略实施。"},
		{"doubled character kept", "1. 动员社会各界人\n\n人参与。", "动员社会各界人人参与。"},
		{"new paragraph after a full stop", "1. 第一句。\n\n第二句。", "第一句。\n第二句。"},
		{"several blank lines", "1. 毫不松懈纠治“四\n\n\n\n风”。", "毫不松懈纠治“四风”。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseText(t, head+tt.body+"\n\n责任单位：区财政局\n")
			if len(r.Plan.Points) != 1 {
				t.Fatalf("points = %d, want 1", len(r.Plan.Points))
			}
			if got := r.Plan.Points[0].Text; got != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTeams(t *testing.T) {
	doc := head + "## 附件 1:\n\n# 工作专班职责\n\n1. 干部人才专班，牵头部门：区委组织部；\n\n2. 产业合作专班，牵头部门（按部门职责分别牵头相关领域产业合作工作）：区科信局、区农业农村局；\n3．统计工作专班，牵头单位：区统计局。\n"
	r := parseText(t, doc)
	want := []xiezuo.WorkTeam{
		{Number: 1, Name: "干部人才专班", Leads: []string{"区委组织部"}, Pos: xiezuo.Pos{Line: 7}},
		{Number: 2, Name: "产业合作专班", Note: "按部门职责分别牵头相关领域产业合作工作", Leads: []string{"区科技和信息化局", "区农业农村局"}, Pos: xiezuo.Pos{Line: 9}},
		{Number: 3, Name: "统计工作专班", Leads: []string{"区统计局"}, Pos: xiezuo.Pos{Line: 10}},
	}
	if diff := cmp.Diff(want, r.Plan.Teams); diff != "" {
		t.Errorf("teams (-want +got):\n%s", diff)
	}
}

func TestTaskTable(t *testing.T) {
	doc := head + "## 附件2\n\n工作事项\t任务类别\t任务内容\t责任部门\t完成时限\n" +
		"组织领导\t研究部署\t1. 甲要求。 2. 乙要求。\t区委办公室、区政府办公室\t10月底前\n" +
		"\n\n工作事项\t任务类别\t任务内容\t责任部门\t完成时限\n" +
		"\t\t3. 丙要求，产业项目9月底100%开工。\t\t\n" +
		"\t调研对接\t调研对接至少一次，8月底前完成。\t区委办公室\t8月底前\n" +
		"资金项目\t资金投入\t1. 不低于2020年完成数。 2. 保持一定增幅。\t区财政局\t6月底前、12月底前\n" +
		"\t干部人才\t选派干部。\t区委组织部\t按选派和培训计划完成\n"
	r := parseText(t, doc)
	if !r.OK() {
		t.Fatalf("errors = %v", r.Errors)
	}
	type task struct {
		Item, Cat string
		Reqs      []string
		Deadline  []string
		Open      bool
		Line      int
	}
	var got []task
	for _, tk := range r.Plan.Tasks {
		x := task{Item: tk.WorkItem, Cat: tk.Category, Open: tk.Deadline.Open(), Line: tk.Pos.Line}
		for _, q := range tk.Requirements {
			x.Reqs = append(x.Reqs, q.Text)
		}
		for _, d := range tk.Deadline.Dates {
			x.Deadline = append(x.Deadline, d.String())
		}
		got = append(got, x)
	}
	want := []task{
		{"组织领导", "研究部署", []string{"甲要求。", "乙要求。", "丙要求，产业项目9月底100%开工。"}, []string{"2024-10-31"}, false, 6},
		{"组织领导", "调研对接", []string{"调研对接至少一次，8月底前完成。"}, []string{"2024-08-31"}, false, 11},
		{"资金项目", "资金投入", []string{"不低于2020年完成数。", "保持一定增幅。"}, []string{"2024-06-30", "2024-12-31"}, false, 12},
		{"资金项目", "干部人才", []string{"选派干部。"}, nil, true, 13},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tasks (-want +got):\n%s", diff)
	}
}

func TestRequirements(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"出台政策文件。", []string{"出台政策文件。"}},
		{"1. 甲。 2. 乙。 3. 丙。", []string{"甲。", "乙。", "丙。"}},
		{"1.甲，投入30.5万元。2.乙。", []string{"甲，投入30.5万元。", "乙。"}},
		{"（1）甲；（2）乙。", []string{"甲；", "乙。"}},
		{"按2. 的要求办理。", []string{"按2. 的要求办理。"}},
		{"1. 不低于2020年。 3. 跳号。", []string{"不低于2020年。 3. 跳号。"}},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range splitRequirements(tt.in) {
			got = append(got, r.Text)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("splitRequirements(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

const projectHead = "序号\t项目名称\t建设性质\t建设规模和建设内容\t项目总投资\t区级帮扶资金\t帮扶资金主要用途\t受益脱贫村\t受益脱贫人口\t吸纳脱贫人口\t项目实施单位\t项目负责人\t开工竣工时间\t项目效益\t项目牵头单位\n"

func projectLine(cells ...string) string {
	for len(cells) < 15 {
		cells = append(cells, "")
	}
	return strings.Join(cells, "\t") + "\n"
}

func TestProjectTableQuirks(t *testing.T) {
	doc := "2024年房山区支援合作项目计划表\n(单位:万元)\n" + projectHead +
		projectLine("<b>合计（3个）</b>", "", "", "", "<b>３５.５</b>", "35.5", "", "3", "30", "3") +
		projectLine("<b>青海省甘德县（2个）</b>", "", "", "", "25.5", "25.5", "", "2", "20", "2") +
		projectLine("<b>1. 产业合作类（2个）</b>", "", "", "", "25.5", "25.5", "", "2", "20", "2") +
		projectLine("1", "甘德县牦牛养殖项目", "新建", "牛舍200m <sup>2</sup>", "10", "10", "用途", "1", "10", "1", "甲乡人民政府", "张某", "2024年6月-2024年9月", "效益", "区农业农村局") +
		projectLine("2", "甘德县光伏项目", "续建", "光伏", "15.5", "15.5", "用途", "1", "10", "1", "乙乡人民政府", "李某", "2024年6-2024年10月", "效益", "区发改委") +
		"\n\n" + projectHead +
		projectLine("<b>河北省丰宁县(1个)</b>", "", "", "", "10", "10", "", "1", "10", "1") +
		projectLine("<b>1．劳务协作类（1个）</b>", "", "", "", "10", "10", "", "1", "10", "1") +
		projectLine("１", "丰宁县就业补贴项目", "新建", "补贴", "10", "10", "用途", "1", "10", "1", "丰宁县人社局", "王某", "2024.4-2024.12", "效益", "区人力社保局")
	r := parseText(t, doc)
	if !r.OK() {
		t.Fatalf("errors = %v", r.Errors)
	}
	type proj struct {
		Region, Category string
		Number           int
		Content          string
		Fund             int64
		Start, Finish    string
		Lead             string
	}
	var got []proj
	for _, p := range r.Plan.Projects {
		got = append(got, proj{p.Region, p.Category, p.Number, p.Content, p.DistrictFund.V, p.Period.Start.String(), p.Period.Finish.String(), p.LeadUnit})
	}
	want := []proj{
		{"青海省甘德县", "产业合作类", 1, "牛舍200m²", 10_000_000, "2024-06", "2024-09", "区农业农村局"},
		{"青海省甘德县", "产业合作类", 2, "光伏", 15_500_000, "2024-06", "2024-10", "区发展改革委"},
		{"河北省丰宁县", "劳务协作类", 1, "补贴", 10_000_000, "2024-04", "2024-12", "区人力社保局"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("projects (-want +got):\n%s", diff)
	}
	var levels []string
	for _, s := range r.Plan.Subtotals {
		levels = append(levels, string(s.Level)+":"+s.Region+":"+s.Category)
	}
	if diff := cmp.Diff([]string{"total::", "region:青海省甘德县:", "category:青海省甘德县:产业合作类", "region:河北省丰宁县:", "category:河北省丰宁县:劳务协作类"}, levels); diff != "" {
		t.Errorf("subtotals (-want +got):\n%s", diff)
	}
	if s := r.Summary(); s.Totals.BeneficiaryVillages != 3 || s.Totals.DistrictFundYuan.V != 35_500_000 {
		t.Errorf("totals = %+v, want 3 villages and 355000 yuan", s.Totals)
	}
}

func TestNumbersWithUnitsAndSeparators(t *testing.T) {
	doc := "2024年房山区支援合作项目计划表\n（单位：元）\n" + projectHead +
		projectLine("青海省甘德县（1个）", "", "", "", "1,200,000", "1,000,000.50", "", "1", "10", "") +
		projectLine("1", "甘德县项目", "新建", "内容", "1,200,000元", "1000000.5", "", "1个", "10人", "", "甲乡人民政府", "张某", "2024年5月至9月", "效益", "区财政局")
	r := parseText(t, doc)
	if !r.OK() {
		t.Fatalf("errors = %v", r.Errors)
	}
	p := r.Plan.Projects[0]
	if p.TotalInvestment.V != 120_000_000 || p.DistrictFund.V != 100_000_050 || p.Villages.V != 1 || p.People.V != 10 || p.Employed.Valid {
		t.Errorf("project figures = %v %v %v %v %v", p.TotalInvestment, p.DistrictFund, p.Villages, p.People, p.Employed)
	}
}

func TestHTMLTable(t *testing.T) {
	doc := "2024年房山区支援合作项目计划表\n（单位：万元）\n<table>\n<tr>" +
		func() string {
			var b strings.Builder
			for _, h := range strings.Split(strings.TrimSuffix(projectHead, "\n"), "\t") {
				b.WriteString("<th>" + h + "</th>")
			}
			return b.String()
		}() + "</tr>\n" +
		"<tr><td colspan=\"4\"><b>青海省甘德县（1个）</b></td><td>10</td><td>10</td><td></td><td>1</td><td>10</td><td>1</td><td colspan=\"5\"></td></tr>\n" +
		"<tr><td>1</td><td>甘德县牦牛\n养殖项目</td><td>新建</td><td>牛舍200m<sup>2</sup></td><td>10</td><td>10</td><td>用途</td><td>1</td><td>10</td><td>1</td><td>甲乡人民政府</td><td>张某</td><td>2024年6月-2024年9月</td><td>效益</td><td>区农业农村局</td></tr>\n" +
		"</table>\n"
	r := parseText(t, doc)
	if !r.OK() || len(r.Plan.Projects) != 1 {
		t.Fatalf("projects = %d, errors %v", len(r.Plan.Projects), r.Errors)
	}
	p := r.Plan.Projects[0]
	if p.Name != "甘德县牦牛养殖项目" || p.Region != "青海省甘德县" || p.Pos.Line != 6 || p.Content != "牛舍200m²" {
		t.Errorf("project = %q %q line %d %q", p.Name, p.Region, p.Pos.Line, p.Content)
	}
}
