package xiezuo

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"xiezuo/gongwen"
)

// AssessmentLightWord is an indicator's light as the self-assessment writes it: 达标, 未达标
// (due and not met), 未到期 (not met, due later), 未报送 or 未设目标 (a grey, IndicatorScore's
// LightWord).
func AssessmentLightWord(s IndicatorScore) string {
	switch s.Light {
	case ScoreGreen:
		return "达标"
	case ScoreRed:
		return "未达标"
	case ScoreYellow:
		return "未到期"
	}
	return s.LightWord()
}

// AssessmentRow is one indicator of the self-assessment: what the scorecard says of it, in
// words, and its evidence.
type AssessmentRow struct {
	Number      int // 1, 2 … over the whole assessment: the evidence bundle's folder number
	Dimension   string
	Code        string
	Name        string
	Requirement string
	Target      string // TargetText
	Value       string // ValueText
	Light       string // AssessmentLightWord
	Shortfall   string // what is still missing, "" when met
	Evidence    []EvidenceRef
	More        int // evidence counted beyond Evidence
	Score       IndicatorScore
}

// EvidenceWhere says where an evidence item is, for the clerk: 会议 · 2021-03-05 · title.
func EvidenceWhere(e EvidenceRef) string {
	s := e.KindName()
	if e.On != "" {
		s += " · " + e.On
	}
	return s + " · " + e.Title
}

// EvidenceText lists a row's evidence on lines, with how many more were counted.
func (r AssessmentRow) EvidenceText() string {
	var lines []string
	for _, e := range r.Evidence {
		lines = append(lines, EvidenceWhere(e))
	}
	if r.More > 0 {
		lines = append(lines, fmt.Sprintf("另有 %d 项", r.More))
	}
	if len(lines) == 0 {
		return "无"
	}
	return strings.Join(lines, "\n")
}

// Folder is the row's folder in the evidence bundle: 01_区委书记或区长上半年研究部署会议, the
// name without characters a file system refuses, at most 40 characters.
func (r AssessmentRow) Folder() string {
	name := strings.Map(func(c rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, c) || unicode.IsControl(c) {
			return '_'
		}
		return c
	}, strings.TrimSpace(r.Name))
	if rs := []rune(name); len(rs) > 40 {
		name = string(rs[:40])
	}
	if name == "" {
		name = r.Code
	}
	return fmt.Sprintf("%02d_%s", r.Number, name)
}

// AssessmentRows lists a scorecard by dimension as the self-assessment's rows, numbered in
// order. The card must be grouped by dimension (Score(…, ByDimension)).
func AssessmentRows(card Scorecard) []AssessmentRow {
	var out []AssessmentRow
	for _, g := range card.Groups {
		for _, s := range g.Rows {
			r := AssessmentRow{Number: len(out) + 1, Dimension: g.Name, Code: s.Indicator.Code, Name: s.Indicator.Name,
				Requirement: s.Indicator.Requirement, Target: s.TargetText(), Value: s.ValueText(),
				Light: AssessmentLightWord(s), Evidence: s.Evidence, More: s.EvidenceMore, Score: s}
			if s.Light != ScoreGreen {
				r.Shortfall = strings.Join(s.Missing, "；")
			}
			out = append(out, r)
		}
	}
	return out
}

// AssessmentTitle is the self-assessment's title: 门头沟区2021年支援合作工作考核自评报告.
func AssessmentTitle(district string, year int) string {
	return fmt.Sprintf("%s%d年支援合作工作考核自评报告", district, year)
}

// AssessmentDraft drafts the self-assessment from a scorecard by dimension as of its day: an
// opening with the lights' counts, then per dimension (一、二、…) a paragraph of its counts and a
// table of its indicators (requirement, target, value, light in words, shortfall, evidence).
func AssessmentDraft(card Scorecard, signature string) gongwen.Document {
	doc := gongwen.Document{
		Title:     AssessmentTitle(card.District, card.Year),
		Mark:      "草稿",
		Signature: signature,
		Date:      DraftChineseDate(card.AsOf),
	}
	if doc.Signature == "" {
		doc.Signature = card.District + "支援合作工作领导小组办公室"
	}
	rows := AssessmentRows(card)
	c := card.Counts()
	opening := fmt.Sprintf("对照%d年考核指标，截至%s，共%d项指标，其中%s。", card.Year, DraftChineseDate(card.AsOf), c.Total(), countsProse(c))
	if a := assessmentAchievements(rows, 4); a != "" {
		opening += "主要成效：" + a + "。"
	}
	opening += "各项指标的完成值均由平台登记的工作台账、项目、资金和进展报告计算，佐证材料逐项列明如下。"
	doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: gongwen.Paragraph, Text: opening})
	for _, g := range card.Groups {
		doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: gongwen.Heading1, Text: g.Name})
		doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: gongwen.Paragraph, Text: fmt.Sprintf("本维度%d项指标，其中%s。", len(g.Rows), countsProse(g.Counts()))})
		t := &gongwen.Table{
			Caption: g.Name + "指标完成情况",
			Header:  [][]string{{"序号", "指标", "考核要求", "目标", "完成值", "状态", "差距", "佐证材料"}},
			Widths:  []float64{0.8, 2.3, 3.3, 1.8, 1.8, 1.6, 2.2, 4},
			// Eight columns: on landscape pages of their own.
			Landscape: true,
		}
		for _, r := range rows {
			if r.Dimension != g.Name {
				continue
			}
			t.Rows = append(t.Rows, []string{strconv.Itoa(r.Number), r.Name, r.Requirement, r.Target, r.Value, r.Light, r.Shortfall, r.EvidenceText()})
		}
		doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: gongwen.TableBlock, Table: t})
	}
	doc.Blocks = append(doc.Blocks, gongwen.Block{Kind: gongwen.Heading1, Text: "存在的问题"},
		gongwen.Block{Kind: gongwen.Paragraph, Text: assessmentProblems(rows, DraftChineseDate(card.AsOf))},
		gongwen.Block{Kind: gongwen.Heading1, Text: "整改措施"},
		gongwen.Block{Kind: gongwen.Paragraph, Text: RemedyPlaceholder})
	return doc
}

// RemedyPlaceholder is the paragraph of the self-assessment's 「整改措施」: the office writes it.
const RemedyPlaceholder = PlaceholderMark + "请针对上述问题写明整改措施、责任单位和完成时限。此段为占位文字，导出前请替换。"

// maxProblems bounds the items of a 「存在的问题」 paragraph.
const maxProblems = 5

// countsProse writes counts by light in prose: 达标20项、未达标3项、未报送5项 (a zero left out).
func countsProse(n LightCounts) string {
	var parts []string
	for _, p := range []struct {
		word string
		n    int
	}{{"达标", n.Green}, {"未达标", n.Red}, {"未到期", n.Yellow}, {"未报送", n.Grey}, {"未设目标", n.NoTarget}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%s%d项", p.word, p.n))
		}
	}
	if len(parts) == 0 {
		return "尚无可评价的指标"
	}
	return strings.Join(parts, "、")
}

// assessmentAchievements names up to n indicators met, with their values: 召开会议完成3次.
func assessmentAchievements(rows []AssessmentRow, n int) string {
	var out []string
	for _, r := range rows {
		if r.Light == "达标" && len(out) < n {
			out = append(out, r.Name+"完成"+noSpaces(r.Value))
		}
	}
	return strings.Join(out, "，")
}

// assessmentProblems is the 「存在的问题」 paragraph: the indicators due and not met, each with
// its value and target, then those not reported, as numbered clauses (一是……；二是……), at most
// maxProblems; without them it says so.
func assessmentProblems(rows []AssessmentRow, day string) string {
	var items, grey []string
	for _, r := range rows {
		switch r.Light {
		case "未达标":
			item := fmt.Sprintf("%s完成%s，目标%s", r.Name, noSpaces(r.Value), noSpaces(r.Target))
			if r.Shortfall != "" {
				item += "，" + noSpaces(r.Shortfall)
			}
			items = append(items, item)
		case "未报送":
			grey = append(grey, "「"+r.Name+"」")
		}
	}
	if len(grey) > 0 {
		g := strings.Join(grey, "、") + fmt.Sprintf("共%d项指标尚未报送完成情况", len(grey))
		if len(grey) > 3 {
			g = strings.Join(grey[:3], "、") + fmt.Sprintf("等%d项指标尚未报送完成情况", len(grey))
		}
		if len(items) >= maxProblems {
			items = append(items[:maxProblems-1], g)
		} else {
			items = append(items, g)
		}
	}
	if len(items) > maxProblems {
		more := len(items) - (maxProblems - 1)
		items = append(items[:maxProblems-1], fmt.Sprintf("另有%d项指标未达标，详见上表", more))
	}
	if len(items) == 0 {
		return "截至" + day + "，没有到期未达标或未报送的指标。"
	}
	return "截至" + day + "，" + OrdinalClauses(items)
}

// EvidenceItem is a file of the evidence bundle for one evidence item: a stored file of a report
// (SHA256 names it in the evidence store) or a text describing a register entry, a project or a
// money entry (Text).
type EvidenceItem struct {
	Name   string
	Text   string
	SHA256 string
}

// DescribeEvidence is the bundle's file for an evidence item of a register entry, a project, a
// money entry or a placement (without personal data) as the scorecard's data d holds them: a .txt listing its fields as the list pages
// show them. A report's files come from the evidence store (the caller's); an item d does not
// hold gives none. who names the people who recorded entries (username → 「姓名（单位）」, as
// sqldb.Writers gives them, as reports show who submitted); a username it lacks is written as is.
func DescribeEvidence(d ScoreData, e EvidenceRef, who map[string]string) []EvidenceItem {
	var b strings.Builder
	line := func(label, v string) {
		if v != "" {
			b.WriteString(label + "：" + v + "\r\n")
		}
	}
	name := cleanFileName(e.KindName() + "_" + e.Title)
	switch e.Kind {
	case "project", "fund":
		if d.Plan == nil {
			return nil
		}
		id := e.ID
		if e.Kind == "fund" {
			id = e.Project
			for pid, txs := range d.Funds {
				for _, t := range txs {
					if t.ID == e.ID {
						id = pid
						line("资金记录", fmt.Sprintf("%s %s %s万元（%s）", t.On, t.Kind.Text(), FormatWan(t.Amount), t.Source.Text()))
					}
				}
			}
		}
		for _, p := range d.Plan.Projects {
			if p.ID != id {
				continue
			}
			line("项目名称", p.Name)
			line("协作地区", p.Region)
			line("项目类别", p.Category)
			line("建设性质", p.Nature)
			line("建设内容", p.Content)
			if p.DistrictFund.Valid {
				line("区级帮扶资金", FormatWan(p.DistrictFund.V)+"万元")
			}
			line("实施单位", p.Implementer)
			line("状态（截至佐证日期）", StatusAt(d.Steps[p.ID], DayOf(d.At)).Text())
			for _, s := range d.Steps[p.ID] {
				line("步骤", s.On.String()+" "+s.Kind.Text()+" "+s.Note)
			}
		}
	case "placement":
		// Personal data stays out: the name as read (masked), never the ID number, phone or pay.
		for _, p := range d.Placements {
			if p.ID != e.ID {
				continue
			}
			line("就业记录", fmt.Sprint(p.ID))
			line("姓名", p.Name)
			line("就业单位", p.Employer)
			line("统一社会信用代码", p.CreditCode)
			line("岗位", p.Post)
			line("就业类型", PlacementKind(p.HomeCode, p.PlaceCode))
			line("工作地行政区划代码", p.PlaceCode)
			line("开始日期", p.Start.String())
			line("结束日期", p.End.String())
			line("人员类别", p.Poor)
			line("协作地区", p.Region)
			src := "在人员页登记"
			if p.Source == PlacementFromMatch {
				src = "人岗匹配经确认"
			}
			line("来源", src)
			by := p.RecordedBy
			if n, ok := who[by]; ok && n != "" {
				by = n
			}
			line("登记人", by)
			if !p.RecordedAt.IsZero() {
				line("登记时间", p.RecordedAt.In(Beijing).Format("2006-01-02 15:04"))
			}
			break
		}
	default:
		spec, ok := RegisterSpecOf(RegisterKind(e.Kind))
		if !ok {
			return nil
		}
		for _, en := range d.Entries {
			if en.Kind != spec.Kind || (en.Entry != e.ID && en.ID != e.ID) {
				continue
			}
			line("台账", spec.Title)
			line("编号", fmt.Sprint(e.ID))
			for _, f := range spec.Fields {
				if v := spec.Display(en, f.Key); v != "" {
					u := f.Unit
					if f.Kind == FieldAmount {
						u = "万元"
					}
					if u != "" && !strings.HasSuffix(v, u) {
						v += u
					}
					line(f.Label, v)
				}
			}
			by := en.By
			if n, ok := who[by]; ok && n != "" {
				by = n
			}
			line("登记人", by)
			line("登记时间", en.At.In(Beijing).Format("2006-01-02 15:04"))
			break
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return []EvidenceItem{{Name: name + ".txt", Text: b.String()}}
}

// EntryRecorders are the usernames who recorded d's register entries, for DescribeEvidence's who.
func EntryRecorders(d ScoreData) []string {
	var out []string
	for _, en := range d.Entries {
		out = append(out, en.By)
	}
	return out
}

// cleanFileName keeps a name usable as a file name: no separators or characters a file system
// refuses, at most 60 characters.
func cleanFileName(s string) string {
	s = strings.Map(func(c rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, c) || unicode.IsControl(c) {
			return '_'
		}
		return c
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60])
	}
	return s
}
