package plandoc

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"xiezuo"
)

// Columns of the project table (附件3), by the field they fill.
const (
	pcSeq         = "序号"
	pcName        = "项目名称"
	pcNature      = "建设性质"
	pcContent     = "建设规模和建设内容"
	pcTotal       = "项目总投资"
	pcFund        = "区级帮扶资金"
	pcFundUse     = "帮扶资金主要用途"
	pcVillages    = "受益脱贫村"
	pcPeople      = "受益脱贫人口"
	pcEmployed    = "吸纳脱贫人口"
	pcImplementer = "项目实施单位"
	pcManagers    = "项目负责人"
	pcPeriod      = "开工竣工时间"
	pcStart       = "计划开工时间"
	pcFinish      = "计划竣工时间"
	pcBenefit     = "项目效益"
	pcLead        = "项目牵头单位"
	pcRegion      = "协作地区"
	pcCategory    = "项目类别"
)

// projectColumns are the columns of 附件3 in order, with the other headings offices use.
// More specific words come first: 帮扶资金主要用途 before 帮扶资金.
var projectColumns = []struct {
	col   string
	words []string
}{
	{pcSeq, []string{"序号", "编号"}},
	{pcName, []string{"项目名称"}},
	{pcNature, []string{"建设性质", "项目性质", "性质"}},
	{pcContent, []string{"建设规模和建设内容", "建设内容和规模", "建设规模及内容", "建设内容", "建设规模", "项目内容"}},
	{pcFundUse, []string{"帮扶资金主要用途", "资金主要用途", "资金用途", "主要用途"}},
	{pcTotal, []string{"项目总投资", "总投资"}},
	{pcFund, []string{"区级帮扶资金", "区级财政帮扶资金", "帮扶资金", "区级资金", "援助资金", "协作资金"}},
	{pcVillages, []string{"受益脱贫村", "受益脱贫村数", "受益村", "受益村数", "受益贫困村", "受益贫困村数", "带动贫困村", "受益建档立卡贫困村"}},
	{pcPeople, []string{"受益脱贫人口", "受益脱贫人口数", "受益人口", "受益人数", "受益贫困人口", "受益贫困人口数", "受益建档立卡贫困人口", "带贫人数"}},
	{pcEmployed, []string{"吸纳脱贫人口", "吸纳脱贫人口就业", "带动就业", "吸纳就业", "吸纳贫困人口", "吸纳贫困人口就业", "带动贫困人口就业", "带动脱贫人口就业", "带动贫困人口", "带动脱贫人口"}},
	{pcImplementer, []string{"项目实施单位", "实施单位"}},
	{pcManagers, []string{"项目负责人", "负责人"}},
	{pcPeriod, []string{"开工竣工时间", "开竣工时间", "计划开工竣工时间", "计划开竣工时间", "起止时间", "实施期限", "建设期限", "建设周期"}},
	{pcStart, []string{"计划开工时间", "开工时间", "计划开工日期", "开工日期", "计划开工"}},
	{pcFinish, []string{"计划竣工时间", "竣工时间", "计划完工时间", "完工时间", "计划竣工日期", "竣工日期", "计划竣工", "计划完工"}},
	{pcBenefit, []string{"项目效益", "预期效益", "效益"}},
	{pcLead, []string{"项目牵头单位", "区级牵头单位", "牵头单位"}},
	{pcRegion, []string{"协作地区", "受援地区", "地区"}},
	{pcCategory, []string{"项目类别", "项目类型", "类别"}},
}

// standardColumns are the columns every 附件3 has; a missing one is a warning.
var standardColumns = []string{pcSeq, pcName, pcNature, pcContent, pcTotal, pcFund, pcFundUse, pcVillages, pcPeople, pcEmployed, pcImplementer, pcManagers, pcPeriod, pcBenefit, pcLead}

func matchProjectColumn(key string) string {
	for _, c := range projectColumns {
		for _, w := range c.words {
			if key == w {
				return c.col
			}
		}
	}
	// Headings with extra words: 受益脱贫村（个）, 项目总投资合计.
	for _, c := range projectColumns {
		for _, w := range c.words {
			if len([]rune(w)) >= 4 && strings.HasPrefix(key, w) {
				return c.col
			}
		}
	}
	return ""
}

func projectHeader(r row) (map[string]int, string, bool) {
	cols := map[string]int{}
	unit := ""
	moneyGroup := false
	for i, c := range r.cells {
		key, u := headerKey(c)
		key = reCountUnit.ReplaceAllString(key, "")
		if u != "" && unit == "" {
			unit = u
		}
		if moneyGroups[key] {
			moneyGroup = true
		}
		if col := matchProjectColumn(key); col != "" {
			if _, dup := cols[col]; !dup {
				cols[col] = i
			}
		}
	}
	_, hasName := cols[pcName]
	_, hasTotal := cols[pcTotal]
	_, hasFund := cols[pcFund]
	if hasName && (hasTotal || hasFund || moneyGroup) {
		// With only a group heading (资金（万元） above 项目总投资 | 区级帮扶资金), the money
		// columns come from the header's second row.
		return cols, unit, true
	}
	return nil, "", false
}

// moneyGroups are the headings that stand above the money columns in a two-row header.
var moneyGroups = map[string]bool{"资金": true, "投资": true, "资金规模": true, "投资规模": true, "项目资金": true, "资金安排": true, "帮扶资金构成": true, "资金构成": true, "投资情况": true, "资金情况": true}

var reCountUnit = regexp.MustCompile(`[（(]\s*(个|人|户|万元|元|月)\s*[)）]`)

// projectState is the reader's place in the project table.
type projectState struct {
	cols          map[string]int
	headerLen     int
	pendingHeader bool // the row after a header may be the second row of a two-row header
	region        string
	regionPos     xiezuo.Pos
	category      string
	categoryNum   int
	warnedCols    bool
	lastNumber    int
	group         string // relation of the group of regions being read (一、东西部协作), or ""
	// regStart and catStart are the first projects (indexes in plan.Projects) not yet closed by
	// a region or a category subtotal row; a subtotal row placed after its rows (产业合作类小计)
	// sums the rows from there. subStart is the first subtotal row a region's subtotal placed
	// after its rows may still have to name the region of (a category's 小计 before it).
	regStart, catStart, subStart int
	started                      bool // regStart… are set for this table (a sheet starts anew)
	// newCategory: no project read yet in the category open, whose 序号 may restart at 1.
	newCategory bool
}

// hasStartFinish tells whether the table gives the planned start and finish in two columns
// (计划开工时间 | 计划竣工时间) instead of one.
func (s *projectState) hasStartFinish() bool {
	_, a := s.cols[pcStart]
	_, b := s.cols[pcFinish]
	return a || b
}

// periodText is the 开工竣工时间 of a row, or its 计划开工时间 and 计划竣工时间 joined as one range.
func (s *projectState) periodText(get func(string) string) string {
	if t := get(pcPeriod); t != "" || !s.hasStartFinish() {
		return t
	}
	start, finish := get(pcStart), get(pcFinish)
	switch {
	case start == "":
		return finish
	case finish == "":
		return start
	}
	return start + "-" + finish
}

// subHeader takes the second row of a two-row header (资金（万元） above 项目总投资 | 区级帮扶资金).
func (s *projectState) subHeader(r row) bool {
	found := map[string]int{}
	for i, c := range r.cells {
		if c == "" {
			continue
		}
		if _, ok := xiezuo.ParseDecimal(numberText(c), 100); ok {
			return false // figures: a data row
		}
		key, _ := headerKey(c)
		if col := matchProjectColumn(reCountUnit.ReplaceAllString(key, "")); col != "" {
			found[col] = i
		}
	}
	if len(found) < 2 {
		return false
	}
	for col, i := range found {
		s.cols[col] = i
	}
	return true
}

var (
	// A count after a label: （10个）, (2项), （2个项目）.
	reTotalLabel    = regexp.MustCompile(`^(?:[一二三四五六七八九十]+[、.])?(?:全区|全县|全市|区级)?(?:合计|总计|总合计|共计)[:：]?(?:[（(](\d+)(?:个项目|个|项)?[)）])?[:：]?$`)
	reSubtotalLabel = regexp.MustCompile(`^(?:小计)[:：]?(?:[（(](\d+)(?:个项目|个|项)?[)）])?[:：]?$`)
	reCategoryLabel = regexp.MustCompile(`^(?:(\d{1,2})\s*[.、]|[（(]([一二三四五六七八九十]+)[)）]\s*[、.]?)\s*(\S.*?)\s*(?:[（(]\s*(\d+)\s*(?:个项目|个|项)?\s*[)）])?$`)
	reRegionLabel   = regexp.MustCompile(`^(?:([一二三四五六七八九十]+)\s*[、.])?\s*(\S.*?)\s*(?:[（(]\s*(\d+)\s*(?:个项目|个|项)\s*[)）])?$`)
	reCountSuffix   = regexp.MustCompile(`[（(]\s*\d+\s*(?:个项目|个|项)\s*[)）]$`)
	reInteger       = regexp.MustCompile(`^\d+$`)
	reProjectNumber = regexp.MustCompile(`^(?:(\d+)\s*[.、．]?|[（(]\s*(\d+)\s*[)）]|(\d+)\s*[)）])$`)
	reChineseSeq    = regexp.MustCompile(`^(?:([一二三四五六七八九十]{1,3})\s*[、.]?|[（(]([一二三四五六七八九十]{1,3})[)）])$`)
)

// maxSerial is the largest 序号 of a project: no table has more rows than MaxRows.
const maxSerial = MaxRows

// projectNumber reads the 序号 of a project row: 1, 1., 1、, （2）, (2), 2). A number of any
// length is a serial number, so a row numbered 123456 is a project row, not a subtotal; one
// above maxSerial gives 0 and ok, and the caller reports it.
func projectNumber(seq string) (int, bool) {
	m := reProjectNumber.FindStringSubmatch(seq)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1] + m[2] + m[3])
	if err != nil || n > maxSerial {
		return 0, true
	}
	return n, true
}

// placeSuffixes end the names of partner regions; a group label that ends otherwise (产业合作类)
// is a category when a region is open.
var placeSuffixes = []string{"县", "区", "旗", "市", "州", "盟", "乡", "镇", "地区", "自治县", "林区", "自治州", "自治旗"}

func placeLike(name string) bool {
	for _, suf := range placeSuffixes {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

// relationGroup tells whether a label names a kind of cooperation (一、东西部协作（3个）) that
// groups the regions below it, and which.
func relationGroup(name string) string {
	name = strings.TrimSuffix(strings.TrimSuffix(name, "工作"), "地区")
	for _, rw := range relationWords {
		if name == rw.word {
			return rw.relation
		}
	}
	return ""
}

func (p *parser) projectRow(r row) {
	s := &p.projects
	get := func(col string) string {
		i, ok := s.cols[col]
		if !ok {
			return ""
		}
		return r.cell(i)
	}
	if !s.warnedCols {
		s.warnedCols = true
		// One warning for the table, however many columns it lacks.
		var missing []string
		for _, c := range standardColumns {
			if _, ok := s.cols[c]; !ok {
				if c == pcPeriod && s.hasStartFinish() {
					continue
				}
				missing = append(missing, "“"+c+"”")
			}
		}
		switch len(missing) {
		case 0:
		case 1:
			p.warnf(r.pos, "项目计划表缺少%s列", missing[0])
		default:
			p.warnf(r.pos, "项目计划表缺少 %d 列：%s（附件3 的标准列）", len(missing), strings.Join(missing, ""))
		}
	}
	if !s.started {
		// Rows of an earlier sheet are never closed by this one's subtotal rows.
		s.started = true
		s.regStart, s.catStart, s.subStart = len(p.plan.Projects), len(p.plan.Projects), len(p.plan.Subtotals)
	}
	seq, name := get(pcSeq), get(pcName)
	num, numbered := projectNumber(seq)
	projectish := get(pcNature) != "" || get(pcContent) != "" || get(pcImplementer) != ""
	if !projectish && !(numbered && name != "" && !isLabel(name)) {
		if c, ok := s.closingRow(r); ok {
			p.closeGroup(r, get, c)
			return
		}
	}
	if reg := squeeze(get(pcRegion)); reg != "" && !sameRegion(s.region, reg) {
		// A new region, named in the 协作地区 column; 武川县 under 内蒙古武川县 is the same.
		s.openRegion(reg, r.pos, len(p.plan.Projects), len(p.plan.Subtotals))
	}
	if numbered && num == 0 && strings.Trim(seq, "0（）().、． ") != "" {
		p.errorf(r.pos, "序号“%s”不是合理的项目序号（应为 1 到 %d 之间的整数）", seq, maxSerial)
	}
	if cat := get(pcCategory); cat != "" && numbered {
		before := s.category
		if m := reCategoryLabel.FindStringSubmatch(cat); m != nil {
			s.categoryNum, _ = strconv.Atoi(m[1])
			s.category = m[3]
		} else {
			s.category, s.categoryNum = cat, 0
		}
		s.newCategory = s.newCategory || s.category != before
	}
	switch {
	case numbered && name != "" && (projectish || !isLabel(name)):
		p.project(r, get, num)
		return
	case seq == "" && name != "" && !isLabel(name) && (get(pcNature) != "" || get(pcContent) != ""):
		p.warnf(r.pos, "项目“%s”没有序号", name)
		p.project(r, get, 0)
		return
	}
	label := seq
	switch {
	case label == "" || (numbered && name == ""):
		label = name
	case name != "" && numbered:
		label = strconv.Itoa(num) + "." + name // 1 | 产业合作类（2个）
	case name != "" && reChineseSeq.MatchString(seq):
		if m := reChineseSeq.FindStringSubmatch(seq); m[1] != "" {
			label = m[1] + "、" + name // 一 | 内蒙古宁城县（1个）
		} else {
			label = "（" + m[2] + "）" + name // （一） | 产业合作类（1个）
		}
	}
	if label == "" {
		label = firstFilled(r)
	}
	label = squeeze(label)
	if reNoteLine.MatchString(label) && !hasFigures(r, s.cols) {
		// 注：… below the table (as a filtered download writes it): a note, not a row.
		return
	}
	st := xiezuo.Subtotal{Label: label, Pos: r.pos}
	openRegion := func(name string) {
		s.openRegion(name, r.pos, len(p.plan.Projects), len(p.plan.Subtotals))
		if s.group != "" {
			p.groupRelation[name] = s.group
		}
	}
	switch {
	case reTotalLabel.MatchString(label):
		m := reTotalLabel.FindStringSubmatch(label)
		st.Level = xiezuo.LevelTotal
		st.Count = countOf(m[1])
	case reSubtotalLabel.MatchString(label):
		// 小计 after the rows it sums, in a column other than 序号 and 项目名称.
		m := reSubtotalLabel.FindStringSubmatch(label)
		p.closeGroup(r, get, closing{label: label, count: countOf(m[1])})
		return
	case reCategoryLabel.MatchString(label) && !reInteger.MatchString(label):
		m := reCategoryLabel.FindStringSubmatch(label)
		n := 0
		if m[1] != "" {
			n, _ = strconv.Atoi(m[1])
		} else {
			n = chineseNumber(m[2])
		}
		if placeLike(m[3]) {
			// （一）内蒙古阿尔山市（3个） under 一、东西部协作: a region.
			openRegion(m[3])
			st.Level, st.Region = xiezuo.LevelRegion, m[3]
			st.Count = countOf(m[4])
			break
		}
		// Without a region open, the region may be named by its 小计 row after its rows
		// (内蒙古武川县小计); checkProjects reports a category that none names.
		s.category, s.categoryNum = m[3], n
		s.catStart, s.newCategory = len(p.plan.Projects), true
		st.Level, st.Region, st.Category, st.CategoryNumber = xiezuo.LevelCategory, s.region, m[3], n
		st.Count = countOf(m[4])
	default:
		m := reRegionLabel.FindStringSubmatch(label)
		if m == nil {
			p.errorf(r.pos, "无法识别这一行：项目行应有数字序号和项目名称；小计行应写作“合计”、地区“内蒙古武川县（10个）”或类别“1. 产业合作类（4个）”")
			return
		}
		name := m[2]
		if rel := relationGroup(name); rel != "" {
			// 一、东西部协作（3个）: the regions below it have this relation; its figures are
			// those of its regions, each checked on its own row.
			s.group = rel
			s.region, s.category, s.categoryNum = "", "", 0
			return
		}
		if m[3] == "" && !hasFigures(r, s.cols) {
			if placeLike(name) {
				openRegion(name) // 一、内蒙古宁城县 with its 小计 after its projects
				return
			}
			p.errorf(r.pos, "无法识别这一行：项目行应有数字序号和项目名称；小计行应写作“合计”、地区“内蒙古武川县（10个）”或类别“1. 产业合作类（4个）”")
			return
		}
		if s.region != "" && !placeLike(name) {
			// 产业扶贫类（2个） without a number, under an open region: a category.
			s.category, s.categoryNum = name, 0
			s.catStart, s.newCategory = len(p.plan.Projects), true
			st.Level, st.Region, st.Category = xiezuo.LevelCategory, s.region, name
			st.Count = countOf(m[3])
			break
		}
		openRegion(name)
		st.Level, st.Region = xiezuo.LevelRegion, name
		st.Count = countOf(m[3])
	}
	st.TotalInvestment = p.money(r, get(pcTotal), pcTotal)
	st.DistrictFund = p.money(r, get(pcFund), pcFund)
	st.Villages = p.count(r, get(pcVillages), pcVillages)
	st.People = p.count(r, get(pcPeople), pcPeople)
	st.Employed = p.count(r, get(pcEmployed), pcEmployed)
	p.plan.Subtotals = append(p.plan.Subtotals, st)
}

func isLabel(s string) bool {
	s = squeeze(s)
	return reTotalLabel.MatchString(s) || reSubtotalLabel.MatchString(s) || reCountSuffix.MatchString(s) || reClosing.MatchString(s)
}

func hasFigures(r row, cols map[string]int) bool {
	for _, c := range []string{pcTotal, pcFund, pcVillages, pcPeople, pcEmployed} {
		if i, ok := cols[c]; ok && r.cell(i) != "" {
			return true
		}
	}
	return false
}

func countOf(s string) xiezuo.Num {
	if s == "" {
		return xiezuo.Num{}
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return xiezuo.Known(n)
}

var natures = map[string]bool{"新建": true, "续建": true, "改建": true, "扩建": true, "改扩建": true, "新建续建": true, "维修": true, "修缮": true, "购置": true, "其他": true, "提升": true, "运营": true}

func (p *parser) project(r row, get func(string) string, n int) {
	s := &p.projects
	short := s.headerLen > 0 && len(r.cells) < s.headerLen && r.pos.Sheet == ""
	// cut tells whether a column lies past the cells of a row reported short: its cell is
	// missing, not left blank, and the error for the row says so already.
	cells, reported := len(r.cells), short
	cut := func(col string) bool {
		i, ok := s.cols[col]
		return reported && ok && i >= cells
	}
	realigned := false
	if short {
		p.errorf(r.pos, "项目“%s”这一行只有 %d 列，表头有 %d 列：可能漏了单元格或分隔符", get(pcName), len(r.cells), s.headerLen)
		if !shifted(get) {
			short = false // the cells missing are after the figures, which are in place
		} else if r2, ok := s.realign(r); ok {
			// The missing cell is one of the texts before the figures: the figures, now in
			// their columns, are read and checked with the others.
			r, short, realigned = r2, false, true
			get = func(col string) string {
				i, ok := s.cols[col]
				if !ok {
					return ""
				}
				return r.cell(i)
			}
		}
	}
	pr := xiezuo.Project{
		Region:         s.region,
		Category:       s.category,
		CategoryNumber: s.categoryNum,
		Number:         n,
		Name:           get(pcName),
		Nature:         get(pcNature),
		Content:        get(pcContent),
		FundUse:        get(pcFundUse),
		Implementer:    get(pcImplementer),
		Managers:       get(pcManagers),
		Benefit:        get(pcBenefit),
		Pos:            r.pos,
	}
	if short && shifted(get) {
		// A cell is missing before the figures, so they are in the wrong columns: one error
		// for the row, none for what its shifted cells seem to say.
		for _, col := range []string{pcTotal, pcFund, pcVillages, pcPeople, pcEmployed} {
			p.invalid[cellKey{r.pos, col}] = true
		}
		p.plan.Projects = append(p.plan.Projects, pr)
		return
	}
	// 序号 run on through a region, or restart at 1 in each category (as some districts number).
	restart := s.newCategory && n == 1
	s.newCategory = false
	if n > 0 && s.lastNumber > 0 && n != s.lastNumber+1 && !restart {
		p.warnf(r.pos, "项目序号为 %d，按顺序应为 %d", n, s.lastNumber+1)
	}
	if n > 0 {
		s.lastNumber = n
	} else if s.lastNumber > 0 {
		s.lastNumber++ // a row without 序号 takes its place: the next row's number is not questioned for it
	}
	if pr.Nature != "" && !natures[pr.Nature] && !realigned {
		p.warnf(r.pos, "建设性质“%s”不是常见写法（新建、续建、改扩建等）", pr.Nature)
	}
	pr.TotalInvestment = p.money(r, get(pcTotal), pcTotal)
	pr.DistrictFund = p.money(r, get(pcFund), pcFund)
	pr.Villages = p.count(r, get(pcVillages), pcVillages)
	pr.People = p.count(r, get(pcPeople), pcPeople)
	pr.Employed = p.count(r, get(pcEmployed), pcEmployed)
	if pr.TotalInvestment.Valid && pr.DistrictFund.Valid && pr.DistrictFund.V > pr.TotalInvestment.V {
		p.errorf(r.pos, "项目“%s”的区级帮扶资金 %s 大于项目总投资 %s", pr.Name, p.showMoney(pr.DistrictFund.V), p.showMoney(pr.TotalInvestment.V))
	}
	if !pr.DistrictFund.Valid && !p.invalid[cellKey{r.pos, pcFund}] && !cut(pcFund) {
		p.warnf(r.pos, "项目“%s”未填写区级帮扶资金，按“未填报”处理（不计为 0）", pr.Name)
	}
	period, msg := xiezuo.ParsePeriod(s.periodText(get), p.yearOr())
	if msg != "" {
		p.errorf(r.pos, "项目“%s”的%s", pr.Name, msg)
	}
	pr.Period = period
	if y := p.plan.Year; msg == "" && y != 0 && !period.Start.IsZero() && (period.Finish.Year < y || period.Start.Year > y) {
		p.warnf(r.pos, "项目“%s”的开工竣工时间“%s”不在计划年度 %d 年内，请核对年份", pr.Name, period.Text, y)
	}
	lead := get(pcLead)
	if i, ok := s.cols[pcLead]; ok && lead == "" {
		// One lead unit written once for several projects, its cell merged down.
		lead = r.mergedText(i)
	}
	if lead != "" {
		pr.LeadUnitWritten = xiezuo.NormalizeUnitName(lead)
		pr.LeadUnit = p.unit(lead, r.pos)
	} else if _, ok := s.cols[pcLead]; ok && !cut(pcLead) {
		p.warnf(r.pos, "项目“%s”没有写明项目牵头单位", pr.Name)
	}
	p.plan.Projects = append(p.plan.Projects, pr)
}

// checkProjects checks what only the whole table tells: every project and category row has a
// region (it may be named by a subtotal row after the rows), and no project is listed twice
// under one region.
func (p *parser) checkProjects() {
	for _, pr := range p.plan.Projects {
		if pr.Region == "" {
			p.errorf(pr.Pos, "项目“%s”前面没有地区行，不知道属于哪个协作地区：请在上面加一行，如“内蒙古武川县（10个）”，或在这个地区的项目之后加小计行，如“内蒙古武川县小计（10个）”", pr.Name)
			continue
		}
		key := pr.Region + "\x00" + pr.Name
		if prev, dup := p.seen[key]; dup {
			p.errorf(pr.Pos, "项目“%s”在“%s”下重复出现，%s已有同名项目", pr.Name, pr.Region, where(prev))
		} else {
			p.seen[key] = pr.Pos
		}
	}
	for _, st := range p.plan.Subtotals {
		if st.Level == xiezuo.LevelCategory && st.Region == "" {
			p.errorf(st.Pos, "类别行“%s”前面没有地区行：应先写地区，如“内蒙古武川县（10个）”，或在这个地区的项目之后加小计行，如“内蒙古武川县小计（10个）”", st.Label)
		}
	}
}

// openRegion starts the rows of a region named before them (a region row, or a new name in
// the 协作地区 column): projects is the number of projects read so far, subtotals of subtotal rows.
func (s *projectState) openRegion(name string, pos xiezuo.Pos, projects, subtotals int) {
	s.region, s.regionPos = name, pos
	s.category, s.categoryNum = "", 0
	s.lastNumber = 0
	s.regStart, s.catStart, s.subStart = projects, projects, subtotals
}

// closing is a subtotal row placed after the rows it sums, as Excel's 分类汇总 writes it.
type closing struct {
	label  string // as written, the cells that say it joined
	name   string // the group it closes (产业合作类, 内蒙古武川县), or "" for a bare 小计
	number int    // a number written before the name (1.产业合作类小计), or 0
	count  xiezuo.Num
}

var (
	// reClosing is a cell that names the group it closes: 产业合作类小计（3个）, 内蒙古武川县 小计,
	// 1.产业合作类小计, 武川县 汇总 (Excel's 分类汇总), 小计（3个）, 小计.
	reClosing = regexp.MustCompile(`^(.*?)\s*(?:小\s*计|汇\s*总)\s*[:：]?\s*(?:[（(]\s*(\d+)\s*(?:个项目|个|项)?\s*[)）])?\s*[:：]?$`)
	// reGroupNumber is the number before a group's name: 1. , （一）, 一、.
	reGroupNumber = regexp.MustCompile(`^(?:(\d{1,2})\s*[.、．]|[（(]([一二三四五六七八九十]{1,3})[)）]\s*[、.]?|([一二三四五六七八九十]{1,3})\s*[、.．])\s*`)
)

// closingRow tells whether a row is a subtotal row after its rows, and which group it names.
// The label is a cell of 序号, 项目名称, 协作地区 or 项目类别 that ends in 小计 (or 汇总); a bare 小计
// in 序号 or 项目名称 takes its name from the other of the two (武川县 | 小计（10个）, 小计 | 产业合作类).
func (s *projectState) closingRow(r row) (closing, bool) {
	cell := func(col string) string {
		if i, ok := s.cols[col]; ok {
			return squeeze(r.cell(i))
		}
		return ""
	}
	var named, bare string
	for _, col := range []string{pcSeq, pcName, pcRegion, pcCategory} {
		m := reClosing.FindStringSubmatch(cell(col))
		if m == nil || utf8.RuneCountInString(m[1]) > 40 {
			continue
		}
		if m[1] != "" && named == "" {
			named = cell(col)
		} else if m[1] == "" && bare == "" && (col == pcSeq || col == pcName) {
			bare = col
		}
	}
	var c closing
	switch {
	case named != "":
		m := reClosing.FindStringSubmatch(named)
		c = closing{label: named, name: m[1], count: countOf(m[2])}
	case bare != "":
		label := cell(bare)
		m := reClosing.FindStringSubmatch(label)
		c = closing{label: label, count: countOf(m[2])}
		other := cell(pcName)
		if bare == pcName {
			other = cell(pcSeq)
		}
		if _, numbered := projectNumber(other); other != "" && !numbered {
			if bare == pcName {
				c.label = other + label
			} else {
				c.label = label + other
			}
			if m := reCountSuffix.FindStringIndex(other); m != nil {
				if !c.count.Valid {
					c.count = countOf(reInteger.FindString(strings.Trim(other[m[0]:], "（()）个项目 ")))
				}
				other = other[:m[0]]
			}
			c.name = other
		}
	default:
		return closing{}, false
	}
	if m := reGroupNumber.FindStringSubmatch(c.name); m != nil {
		c.name = strings.TrimSpace(c.name[len(m[0]):])
		switch {
		case m[1] != "":
			c.number, _ = strconv.Atoi(m[1])
		case m[2] != "":
			c.number = chineseNumber(m[2])
		default:
			c.number = chineseNumber(m[3])
		}
	}
	return c, true
}

// sameRegion tells whether two names of a region name the same one: 内蒙古武川县 and 武川县.
func sameRegion(a, b string) bool {
	if utf8.RuneCountInString(a) < 2 || utf8.RuneCountInString(b) < 2 {
		return a == b
	}
	return a == b || strings.HasSuffix(a, b) || strings.HasSuffix(b, a)
}

// closeGroup reads a subtotal row placed after the rows it sums. It closes the region or the
// category its label names, or, bare (小计), the innermost one open: the category, else the
// region. Rows that had no region or category (because none was named above them) take the
// one it names, and so do category subtotal rows that had no region; then the group is closed,
// and the rows below start a new one.
func (p *parser) closeGroup(r row, get func(string) string, c closing) {
	s := &p.projects
	projects := p.plan.Projects
	region := false
	switch {
	case c.name == "":
		if s.category == "" && s.region == "" {
			p.errorf(r.pos, "小计行“%s”前面没有地区行，不知道是哪个协作地区的小计：请写明地区，如“内蒙古武川县小计（10个）”", c.label)
			return
		}
		region = s.category == ""
	case c.name == s.category:
	case s.region != "":
		// Under a region known from a row above or the 协作地区 column, a name that is not
		// the region's is a category's, whatever it ends with (乡村振兴示范区).
		region = sameRegion(s.region, c.name)
	default:
		region = placeLike(c.name)
	}
	st := xiezuo.Subtotal{Label: c.label, Count: c.count, Pos: r.pos}
	if region {
		name := c.name
		if s.region != "" {
			name = s.region
		}
		for i := s.regStart; i < len(projects); i++ {
			if projects[i].Region == "" {
				projects[i].Region = name
			}
		}
		for i := s.subStart; i < len(p.plan.Subtotals); i++ {
			if sub := &p.plan.Subtotals[i]; sub.Level == xiezuo.LevelCategory && sub.Region == "" {
				sub.Region = name
			}
		}
		if s.group != "" {
			p.groupRelation[name] = s.group
		}
		st.Level, st.Region = xiezuo.LevelRegion, name
	} else {
		name, number := c.name, c.number
		if name == "" {
			name, number = s.category, s.categoryNum
		}
		if number == 0 {
			// The number the rows were given by a row above them (1. 产业合作类) or the column.
			for _, pr := range projects[s.catStart:] {
				if pr.Category == name {
					number = pr.CategoryNumber
					break
				}
			}
		}
		for i := s.catStart; i < len(projects); i++ {
			if projects[i].Category == "" && projects[i].CategoryNumber == 0 {
				projects[i].Category, projects[i].CategoryNumber = name, number
			}
		}
		st.Level, st.Region, st.Category, st.CategoryNumber = xiezuo.LevelCategory, s.region, name, number
	}
	st.TotalInvestment = p.money(r, get(pcTotal), pcTotal)
	st.DistrictFund = p.money(r, get(pcFund), pcFund)
	st.Villages = p.count(r, get(pcVillages), pcVillages)
	st.People = p.count(r, get(pcPeople), pcPeople)
	st.Employed = p.count(r, get(pcEmployed), pcEmployed)
	p.plan.Subtotals = append(p.plan.Subtotals, st)
	s.category, s.categoryNum = "", 0
	s.catStart, s.newCategory = len(projects), true
	if region {
		s.region = ""
		s.lastNumber = 0
		s.regStart, s.subStart = len(projects), len(p.plan.Subtotals)
	}
}

var (
	reThousands = regexp.MustCompile(`^\d{1,3}(,\d{3})+(\.\d+)?$`)
)

// number reads a number cell: blank is unknown; 1,000 and a trailing unit are accepted.
func numberText(s string, units ...string) string {
	s = squeeze(foldWidth(s))
	for _, u := range units {
		s = strings.TrimSuffix(s, u)
	}
	if reThousands.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	s = strings.TrimSuffix(s, ".")
	return s
}

// shifted tells whether a figure of a row is not a number, as when a cell before it is missing.
func shifted(get func(string) string) bool {
	for _, col := range []string{pcTotal, pcFund, pcVillages, pcPeople, pcEmployed} {
		v := get(col)
		if blankCell(v) {
			continue
		}
		if _, ok := xiezuo.ParseDecimal(numberText(v, "万元", "元", "个", "人", "户", "村"), 100); !ok {
			return true
		}
	}
	return false
}

// realign puts the figures of a row that lacks cells back in their columns, by adding empty
// cells before them where that makes every figure a number and the period a period. Of such
// places, the one that leaves the fewest figures blank is taken, the latest of those: the
// missing cell is most often a text just before the figures.
func (s *projectState) realign(r row) (row, bool) {
	missing := s.headerLen - len(r.cells)
	first := len(r.cells)
	for _, col := range []string{pcTotal, pcFund, pcVillages, pcPeople, pcEmployed} {
		if i, ok := s.cols[col]; ok {
			first = min(first, i)
		}
	}
	best, bestFilled := row{}, -1
	for k := first; k >= 1; k-- {
		cells := make([]string, 0, s.headerLen)
		cells = append(cells, r.cells[:min(k, len(r.cells))]...)
		for range missing {
			cells = append(cells, "")
		}
		if k < len(r.cells) {
			cells = append(cells, r.cells[k:]...)
		}
		r2 := row{pos: r.pos, cells: cells}
		get := func(col string) string {
			if i, ok := s.cols[col]; ok {
				return r2.cell(i)
			}
			return ""
		}
		if shifted(get) {
			continue
		}
		if _, msg := xiezuo.ParsePeriod(s.periodText(get), 2000); msg != "" {
			continue
		}
		filled := 0
		for _, col := range []string{pcTotal, pcFund, pcVillages, pcPeople, pcEmployed} {
			if !blankCell(get(col)) {
				filled++
			}
		}
		if filled > bestFilled {
			best, bestFilled = r2, filled
		}
	}
	return best, bestFilled >= 0
}

// cellKey names a cell of the project table by its row and column.
type cellKey struct {
	pos xiezuo.Pos
	col string
}

// blankCell tells whether a figure cell says nothing: empty, or a dash or slash put for "none".
func blankCell(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "-", "—", "——", "－", "–", "--", "/", "／", "\\":
		return true
	}
	return false
}

func (p *parser) money(r row, s, col string) xiezuo.Num {
	if blankCell(s) {
		return xiezuo.Num{}
	}
	unitName := "万元"
	if p.wanUnit == xiezuo.FenPerYuan {
		unitName = "元"
	}
	t := numberText(s, "万元", "元")
	v, ok := xiezuo.ParseDecimal(t, p.wanUnit)
	if !ok {
		p.errorf(r.pos, "“%s”应为金额数字（单位：%s），实为“%s”", col, unitName, s)
		p.invalid[cellKey{r.pos, col}] = true
		return xiezuo.Num{}
	}
	if v < 0 {
		p.errorf(r.pos, "“%s”不能为负数，实为“%s”", col, s)
		p.invalid[cellKey{r.pos, col}] = true
		return xiezuo.Num{}
	}
	return xiezuo.Known(v)
}

func (p *parser) count(r row, s, col string) xiezuo.Num {
	if blankCell(s) {
		return xiezuo.Num{}
	}
	t := numberText(s, "个", "人", "户", "村")
	// Workbooks store whole numbers as 30 or 30.0.
	t = strings.TrimSuffix(t, ".0")
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		p.invalid[cellKey{r.pos, col}] = true
		if _, ferr := strconv.ParseFloat(t, 64); ferr == nil {
			p.errorf(r.pos, "“%s”应为整数，实为“%s”", col, s)
			return xiezuo.Num{}
		}
		p.errorf(r.pos, "“%s”应为数字，实为“%s”", col, s)
		return xiezuo.Num{}
	}
	if v < 0 {
		p.errorf(r.pos, "“%s”不能为负数，实为“%s”", col, s)
		p.invalid[cellKey{r.pos, col}] = true
		return xiezuo.Num{}
	}
	return xiezuo.Known(v)
}

// figureCols are the summed figures of a subtotal row, in the order checkSubtotals reads them.
var figureCols = [4]string{pcTotal, pcFund, pcPeople, pcEmployed}

// checkSubtotals checks every total, region and category row against the projects below it,
// as xiezuo.Rollup adds them up: money, beneficiary people and employed people are sums; the
// count is the number of rows; villages are distinct counts, so the subtotal must be one the
// rows admit (xiezuo.CombineVillages). Rollup adds the projects up once, by group, so the check
// is linear in the rows however many subtotal rows there are.
func (p *parser) checkSubtotals() {
	if len(p.plan.Subtotals) == 0 {
		return
	}
	t := xiezuo.Rollup(p.plan, xiezuo.ProjectFilter{})
	// Groups with a figure already reported invalid: their sum cannot be checked.
	var invalid map[string]*[4]bool
	if len(p.invalid) > 0 {
		invalid = map[string]*[4]bool{}
		for _, pr := range p.plan.Projects {
			for i, col := range figureCols {
				if !p.invalid[cellKey{pr.Pos, col}] {
					continue
				}
				for _, k := range []string{groupKey(xiezuo.LevelTotal, "", "", 0), groupKey(xiezuo.LevelRegion, pr.Region, "", 0), groupKey(xiezuo.LevelCategory, pr.Region, pr.Category, pr.CategoryNumber)} {
					if invalid[k] == nil {
						invalid[k] = &[4]bool{}
					}
					invalid[k][i] = true
				}
			}
		}
	}
	for _, st := range p.plan.Subtotals {
		g := t.Group(st)
		bad := invalid[groupKey(st.Level, st.Region, st.Category, st.CategoryNumber)]
		label := st.Label
		// A row before its projects sums those below it (其下); a 小计 after them, those above.
		under, below := "其下", "下"
		if reClosing.MatchString(squeeze(label)) {
			under, below = "其上", "上面"
		}
		if st.Count.Valid && st.Count.V != int64(len(g.Projects)) {
			p.errorf(st.Pos, "“%s”写明 %d 个项目，%s实际列出 %d 个", label, st.Count.V, under, len(g.Projects))
		}
		sums := [4]xiezuo.Sum{g.Computed.TotalInvestment, g.Computed.DistrictFund, g.Computed.People, g.Computed.Employed}
		for i, stated := range [4]xiezuo.Num{st.TotalInvestment, st.DistrictFund, st.People, st.Employed} {
			name, money := figureCols[i], i < 2
			if !stated.Valid || bad != nil && bad[i] {
				continue // the invalid cell is reported already; the sum cannot be checked
			}
			sum, unknown := sums[i].V, sums[i].Blank
			show := func(v int64) string {
				if money {
					return p.showMoney(v)
				}
				return strconv.FormatInt(v, 10) + " 人"
			}
			switch {
			case unknown > 0 && sum > stated.V:
				p.errorf(st.Pos, "“%s”的%s为 %s，小于%s已填项目之和 %s", label, name, show(stated.V), under, show(sum))
			case unknown > 0:
				p.warnf(st.Pos, "“%s”%s有 %d 个项目未填写%s，无法核对小计 %s", label, below, unknown, name, show(stated.V))
			case sum != stated.V:
				p.errorf(st.Pos, "“%s”的%s为 %s，但%s %d 个项目之和为 %s", label, name, show(stated.V), under, len(g.Projects), show(sum))
			}
		}
		if st.Villages.Valid {
			rows := xiezuo.RowsVillages(g.Projects)
			switch tooFew, tooMany := rows.Admits(st.Villages.V); {
			case tooFew:
				p.errorf(st.Pos, "“%s”的受益脱贫村为 %d 个，少于%s单个项目的最大值 %d 个（小计是不重复的村数，不能小于任何一个项目）", label, st.Villages.V, under, rows.Min)
			case tooMany:
				p.errorf(st.Pos, "“%s”的受益脱贫村为 %d 个，多于%s项目之和 %d 个（同一个村只能计一次，小计不能超过各项目之和）", label, st.Villages.V, under, rows.Max)
			}
		}
	}
}

// groupKey names the projects a subtotal row sums: all of them, a region's, or a category's.
func groupKey(level xiezuo.Level, region, category string, number int) string {
	switch level {
	case xiezuo.LevelTotal:
		return "t"
	case xiezuo.LevelRegion:
		return "r\x00" + region
	}
	return "c\x00" + region + "\x00" + category + "\x00" + strconv.Itoa(number)
}

func (p *parser) showMoney(fen int64) string {
	if p.wanUnit == xiezuo.FenPerYuan {
		return xiezuo.FormatYuan(fen) + " 元"
	}
	return xiezuo.FormatWan(fen) + " 万元"
}
