package gen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/xlsx"
)

// FileName is the name an office gives the document of p: the work points for ".md" (all of the
// plan: 2021年门头沟区支援合作工作要点.md), the project table for ".csv" and ".xlsx"
// (2021年门头沟区支援合作项目计划表.xlsx). The reader takes the year and district from it too.
func FileName(p *xiezuo.Plan, ext string) string {
	if ext == ".md" || ext == ".txt" {
		return fmt.Sprintf("%d年%s支援合作工作要点%s", p.Year, p.District, ext)
	}
	return tableTitle(p) + ext
}

func tableTitle(p *xiezuo.Plan) string {
	return fmt.Sprintf("%d年%s支援合作项目计划表", p.Year, p.District)
}

// Markdown writes p as the office publishes it, in the layout of the 2021 plan: the office's
// heading and covering notice, the work points in their sections with a 责任单位 line after
// each, the list of attachments, the work teams (附件1), the task list as tab-separated rows
// (附件2) and the project table as tab-separated rows with its title and unit (附件3). A part p
// does not have is left out.
func Markdown(p *xiezuo.Plan) []byte {
	var b bytes.Buffer
	b.Grow(4096 + 1024*len(p.Points) + 512*len(p.Tasks) + 900*len(p.Projects))
	line := func(parts ...string) {
		for _, s := range parts {
			b.WriteString(s)
		}
		b.WriteString("\n\n")
	}
	b.WriteString("\n\n")
	line("# ", p.Office)
	line("## 关于转发《", p.Title, "》的通知")
	for _, para := range strings.Split(p.Notice, "\n") {
		if para != "" {
			line(para)
		}
	}
	line(p.Office)
	if !p.IssuedOn.IsZero() {
		line(fmt.Sprintf("%d年%d月%d日", p.IssuedOn.Year, int(p.IssuedOn.Month), p.IssuedOn.Day))
	}
	line("## ", p.Title)
	writePoints(&b, p)

	var attachments []string
	if len(p.Teams) > 0 {
		attachments = append(attachments, teamsTitle(p))
	}
	if len(p.Tasks) > 0 {
		attachments = append(attachments, tasksTitle(p))
	}
	if len(p.Projects) > 0 {
		attachments = append(attachments, tableTitle(p))
	}
	for i, a := range attachments {
		if i == 0 {
			b.WriteString("- 附件：")
		}
		fmt.Fprintf(&b, "%d. %s\n", i+1, a)
	}
	b.WriteString("\n")

	if len(p.Teams) > 0 {
		line("## 附件 1:")
		line("# ", teamsTitle(p))
		line("根据《", p.District, "扶贫协作和支援合作工作领导小组工作规则》，按照国家考核的重点工作领域，对标北京市支援合作工作体系，将领导小组成员单位划分为",
			chineseOrdinal(len(p.Teams)), "个工作专班，明确各专班牵头部门，负责统筹协调本专班工作。")
		line("牵头部门主要负责：研究完善并监督落实本工作专班涉及的相关领域政策措施；统筹做好本专班相关支援合作工作；动员引导本领域相关单位、企业、组织和个人参与我区支援合作事业；统计本工作领域数据、成果，发掘典型经验。")
		for i, t := range p.Teams {
			end := "；"
			if i == len(p.Teams)-1 {
				end = "。"
			}
			lead := "牵头部门"
			if t.Note != "" {
				lead += "（" + t.Note + "）"
			}
			line(fmt.Sprintf("%d. %s，%s：%s%s", t.Number, t.Name, lead, strings.Join(t.Leads, "、"), end))
		}
	}

	if len(p.Tasks) > 0 {
		line("## 附件 2:")
		line("## ", tasksTitle(p))
		writeRow(&b, []string{"工作事项", "任务类别", "任务内容", "责任部门", "完成时限"})
		prevItem := ""
		for _, t := range p.Tasks {
			item := t.WorkItem
			if item == prevItem {
				item = ""
			}
			prevItem = t.WorkItem
			writeRow(&b, []string{item, t.Category, t.Content, unitList(t.Units, t.UnitsOpen), t.Deadline.Text})
		}
		b.WriteString("\n")
	}

	if len(p.Projects) > 0 {
		line("## 附件3:")
		line(tableTitle(p))
		line("(单位:万元)")
		writeRow(&b, xlsx.ProjectsHeader)
		for _, r := range projectRows(p) {
			writeRow(&b, r)
		}
	}
	return b.Bytes()
}

func teamsTitle(p *xiezuo.Plan) string {
	return p.District + "扶贫协作和支援合作工作领导小组工作专班职责"
}

func tasksTitle(p *xiezuo.Plan) string {
	return fmt.Sprintf("%s%d年支援合作工作任务清单", p.District, p.Year)
}

// writePoints writes the sections with their work points; points of no section come first.
func writePoints(b *bytes.Buffer, p *xiezuo.Plan) {
	point := func(wp xiezuo.WorkPoint) {
		fmt.Fprintf(b, "%d. %s\n\n", wp.Number, oneLine(wp.Text))
		if len(wp.Units) > 0 {
			fmt.Fprintf(b, "**责任单位：%s**\n\n", unitList(wp.Units, wp.UnitsOpen))
		}
	}
	known := map[int]bool{}
	for _, s := range p.Sections {
		known[s.Number] = true
	}
	for _, wp := range p.Points {
		if !known[wp.Section] {
			point(wp)
		}
	}
	for _, s := range p.Sections {
		fmt.Fprintf(b, "### %s、%s\n\n", chineseOrdinal(s.Number), s.Title)
		for _, wp := range p.Points {
			if wp.Section == s.Number {
				point(wp)
			}
		}
	}
}

// unitList writes responsible units as documents do: A、B、C等, with 牵头/配合 where the plan
// says it explicitly.
func unitList(rs []xiezuo.Responsibility, open bool) string {
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteString("、")
		}
		name := r.Written
		if name == "" {
			name = r.Unit
		}
		b.WriteString(name)
		if r.Stated {
			switch r.Role {
			case xiezuo.RoleLead:
				b.WriteString("（牵头）")
			case xiezuo.RoleCooperating:
				b.WriteString("（配合）")
			}
		}
	}
	if open {
		b.WriteString("等")
	}
	return b.String()
}

// oneLine keeps a text on one line of the document, and one cell of a tab-separated row.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\t\r\n") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\t' || r == '\r' || r == '\n' }), " ")
}

func writeRow(b *bytes.Buffer, cells []string) {
	for i, c := range cells {
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(oneLine(c))
	}
	b.WriteByte('\n')
}

// projectRows are the rows of the project table below its header, in document order: the total
// row, then each region's row, and within it each category's row followed by its projects.
// Subtotal figures are those p states.
func projectRows(p *xiezuo.Plan) [][]string {
	type catKey struct {
		region, name string
		number       int
	}
	var total *xiezuo.Subtotal
	regions := map[string]*xiezuo.Subtotal{}
	cats := map[catKey]*xiezuo.Subtotal{}
	for i := range p.Subtotals {
		s := &p.Subtotals[i]
		switch s.Level {
		case xiezuo.LevelTotal:
			total = s
		case xiezuo.LevelRegion:
			regions[s.Region] = s
		case xiezuo.LevelCategory:
			cats[catKey{s.Region, s.Category, s.CategoryNumber}] = s
		}
	}
	rows := make([][]string, 0, len(p.Projects)+len(p.Subtotals))
	if total != nil {
		rows = append(rows, subtotalRow(total))
	}
	var region string
	var cat catKey
	first := true
	for i := range p.Projects {
		pr := &p.Projects[i]
		k := catKey{pr.Region, pr.Category, pr.CategoryNumber}
		if first || pr.Region != region {
			if s := regions[pr.Region]; s != nil {
				rows = append(rows, subtotalRow(s))
			}
		}
		if first || k != cat {
			if s := cats[k]; s != nil {
				rows = append(rows, subtotalRow(s))
			}
		}
		first, region, cat = false, pr.Region, k
		rows = append(rows, projectRow(pr))
	}
	return rows
}

func subtotalRow(s *xiezuo.Subtotal) []string {
	label := s.Label
	if label == "" {
		name := s.Region
		switch s.Level {
		case xiezuo.LevelTotal:
			name = "合计"
		case xiezuo.LevelCategory:
			name = s.Category
			if s.CategoryNumber > 0 {
				name = strconv.Itoa(s.CategoryNumber) + "." + name
			}
		}
		label = name
		if s.Count.Valid {
			label = fmt.Sprintf("%s(%d个)", name, s.Count.V)
		}
	}
	return []string{label, "", "", "", wan(s.TotalInvestment), wan(s.DistrictFund), "",
		count(s.Villages), count(s.People), count(s.Employed), "", "", "", "", ""}
}

func projectRow(pr *xiezuo.Project) []string {
	number := ""
	if pr.Number > 0 {
		number = strconv.Itoa(pr.Number)
	}
	lead := pr.LeadUnitWritten
	if lead == "" {
		lead = pr.LeadUnit
	}
	return []string{number, pr.Name, pr.Nature, pr.Content, wan(pr.TotalInvestment), wan(pr.DistrictFund),
		pr.FundUse, count(pr.Villages), count(pr.People), count(pr.Employed), pr.Implementer, pr.Managers,
		pr.Period.Text, pr.Benefit, lead}
}

func wan(n xiezuo.Num) string {
	if !n.Valid {
		return ""
	}
	return xiezuo.FormatWan(n.V)
}

func count(n xiezuo.Num) string {
	if !n.Valid {
		return ""
	}
	return strconv.FormatInt(n.V, 10)
}

// CSV writes the project table of p alone, as offices save it from a spreadsheet: a title row,
// the unit row, the header, then the rows as in Markdown.
func CSV(p *xiezuo.Plan) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	// Writes to a bytes.Buffer do not fail, and every record is valid.
	_ = w.Write([]string{tableTitle(p)})
	_ = w.Write([]string{"(单位:万元)"})
	_ = w.Write(xlsx.ProjectsHeader)
	for _, r := range projectRows(p) {
		_ = w.Write(r)
	}
	w.Flush()
	return b.Bytes()
}

// Workbook writes the project table of p as the office's workbook (xlsx.WriteProjects).
func Workbook(p *xiezuo.Plan) ([]byte, error) {
	var b bytes.Buffer
	if err := xlsx.WriteProjects(&b, p); err != nil {
		return nil, fmt.Errorf("workbook of %d年%s: %w", p.Year, p.District, err)
	}
	return b.Bytes(), nil
}
