package xiezuo

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// The columns of the three lists and how offices word their headers.

// LabourField is a column of a list: its key (stable: the mapping, storage, the bad-rows
// workbook), the label pages and workbooks write, the other ways offices word it, whether a row
// needs it, and whether it is personal data (sealed, masked).
type LabourField struct {
	Key      string
	Label    string
	Aliases  []string
	Required bool
	Personal bool
	Unit     string // 元/月, 人 …
	Help     string
}

// Keys of the lists' fields. People's lists share the first block; the home is either one
// column (FieldHome: a code or a full name) or three (county, town, village).
const (
	LFName         = "name"
	LFIDNumber     = "id_number"
	LFSex          = "sex"
	LFBirth        = "birth"
	LFPhone        = "phone"
	LFHome         = "home"
	LFHomeCounty   = "home_county"
	LFHomeTown     = "home_town"
	LFHomeVillage  = "home_village"
	LFPoor         = "poor"
	LFSkills       = "skills"
	LFEducation    = "education"
	LFEmployer     = "employer"
	LFEmployerCode = "employer_code"
	LFWorkPlace    = "work_place"
	LFPost         = "post"
	LFIncome       = "income"
	LFSince        = "since"
	LFWishPlace    = "wish_place"
	LFWishPost     = "wish_post"
	LFWishPay      = "wish_pay"
	LFAvailable    = "available"

	// The jobs' list (LFEmployer, LFPost, LFSkills, LFEducation shared).
	LFCreditCode   = "credit_code"
	LFWanted       = "wanted"
	LFPlace        = "place"
	LFPay          = "pay"
	LFStart        = "start"
	LFEnd          = "end"
	LFContact      = "contact"
	LFContactPhone = "contact_phone"
	LFBoard        = "board"
	LFNote         = "note"
)

var personFields = []LabourField{
	{Key: LFName, Label: "姓名", Aliases: []string{"劳动力姓名", "人员姓名", "务工人员姓名", "名字"}, Required: true},
	{Key: LFIDNumber, Label: "身份证号", Aliases: []string{"身份证号码", "公民身份号码", "证件号码", "身份证", "身份证件号码", "居民身份证号码", "居民身份证号"}, Required: true, Personal: true, Help: "18位，末位可为X；请把该列设为文本"},
	{Key: LFSex, Label: "性别", Help: "可不填：由身份证号得出，填写时须一致"},
	{Key: LFBirth, Label: "出生日期", Aliases: []string{"出生年月", "出生年月日"}, Help: "可不填：由身份证号得出，填写时须一致"},
	{Key: LFPhone, Label: "联系电话", Aliases: []string{"手机号", "手机号码", "联系方式", "电话", "电话号码", "本人电话", "本人联系电话"}, Personal: true, Help: "11位手机号"},
	{Key: LFHome, Label: "户籍地", Aliases: []string{"户籍所在地", "户籍地址", "家庭住址", "户籍地（县乡村）", "家庭地址", "户口所在地"}, Help: "写到村，如 武川县可可以力更镇东官井村，或行政区划代码"},
	{Key: LFHomeCounty, Label: "县（区）", Aliases: []string{"县区", "县", "区县", "县（市、区）", "县（市区）", "所在县", "户籍县"}},
	{Key: LFHomeTown, Label: "乡（镇）", Aliases: []string{"乡镇", "乡", "镇", "乡（镇、街道）", "乡镇（街道）", "所在乡镇", "苏木（乡镇）"}},
	{Key: LFHomeVillage, Label: "村", Aliases: []string{"村（社区）", "行政村", "村社区", "所在村", "村（居）", "嘎查村", "村名"}},
	{Key: LFPoor, Label: "是否脱贫人口", Aliases: []string{"脱贫户", "人员类别", "是否建档立卡", "是否建档立卡贫困户", "是否脱贫户", "户类型", "是否脱贫劳动力", "人员属性"}, Help: "是、否、脱贫户、监测户（边缘易致贫、脱贫不稳定、突发严重困难）"},
	{Key: LFSkills, Label: "技能", Aliases: []string{"专业技能", "掌握技能", "技能特长", "职业技能", "技能情况"}, Help: "多项以顿号分隔：电工、焊工"},
	{Key: LFEducation, Label: "文化程度", Aliases: []string{"学历"}},
}

var workerFields = []LabourField{
	{Key: LFEmployer, Label: "务工单位", Aliases: []string{"就业单位", "工作单位", "务工单位名称", "就业单位名称", "用工单位"}},
	{Key: LFEmployerCode, Label: "单位统一社会信用代码", Aliases: []string{"统一社会信用代码", "信用代码", "社会信用代码", "务工单位统一社会信用代码"}},
	{Key: LFWorkPlace, Label: "务工地点", Aliases: []string{"就业地点", "工作地点", "务工地", "就业地", "务工所在地"}},
	{Key: LFPost, Label: "从事工种", Aliases: []string{"工种", "岗位", "从事岗位", "就业岗位", "务工岗位"}},
	{Key: LFIncome, Label: "月收入", Aliases: []string{"月工资", "收入", "月均收入", "月收入（元）", "务工收入"}, Personal: true, Unit: "元/月"},
	{Key: LFSince, Label: "务工开始时间", Aliases: []string{"外出务工时间", "就业时间", "务工时间", "开始务工时间", "入职时间", "到岗时间"}},
}

var willingFields = []LabourField{
	{Key: LFWishPlace, Label: "意向务工地", Aliases: []string{"意向地点", "期望工作地", "意向务工地点", "意向就业地", "期望务工地", "意向地区"}, Help: "北京、省内、省外、不限，或地名"},
	{Key: LFWishPost, Label: "意向工种", Aliases: []string{"意向岗位", "期望岗位", "求职意向", "期望工种"}},
	{Key: LFWishPay, Label: "期望月薪", Aliases: []string{"期望工资", "期望收入", "期望薪资", "期望月收入", "意向工资"}, Unit: "元/月"},
	{Key: LFAvailable, Label: "可到岗时间", Aliases: []string{"可外出时间", "可外出务工时间", "可就业时间", "到岗时间"}},
}

var jobFields = []LabourField{
	{Key: LFEmployer, Label: "用工单位", Aliases: []string{"企业名称", "单位名称", "用人单位", "招聘单位", "用工单位名称", "用工企业"}, Required: true},
	{Key: LFCreditCode, Label: "统一社会信用代码", Aliases: []string{"信用代码", "社会信用代码", "单位统一社会信用代码"}},
	{Key: LFPost, Label: "岗位", Aliases: []string{"岗位名称", "招聘岗位", "工种", "需求岗位", "用工岗位"}, Required: true},
	{Key: LFWanted, Label: "需求人数", Aliases: []string{"招聘人数", "用工人数", "需求数量", "人数", "岗位数"}, Required: true, Unit: "人"},
	{Key: LFPlace, Label: "工作地点", Aliases: []string{"工作地址", "工作地", "用工地点"}},
	{Key: LFPay, Label: "月薪", Aliases: []string{"薪资待遇", "工资待遇", "薪酬", "月工资", "工资", "薪资"}, Unit: "元/月", Help: "如 4500、4000-6000、4000元以上"},
	{Key: LFSkills, Label: "技能要求", Aliases: []string{"任职要求", "岗位要求", "技能"}},
	{Key: LFEducation, Label: "学历要求", Aliases: []string{"学历", "文化程度要求", "文化程度"}},
	{Key: LFStart, Label: "到岗时间", Aliases: []string{"开始时间", "上岗时间"}},
	{Key: LFEnd, Label: "截止时间", Aliases: []string{"招聘截止日期", "截止日期", "招聘截止时间"}},
	{Key: LFContact, Label: "联系人", Aliases: []string{"单位联系人", "企业联系人"}},
	{Key: LFContactPhone, Label: "联系电话", Aliases: []string{"联系方式", "电话", "联系人电话", "手机号", "手机号码"}, Personal: true},
	{Key: LFBoard, Label: "食宿", Aliases: []string{"是否提供食宿", "食宿情况", "食宿待遇"}, Help: "包吃住、包住、包吃、不提供"},
	{Key: LFNote, Label: "备注", Aliases: []string{"说明"}},
}

// LabourFields are the columns of list l, in the order a template workbook writes them.
func LabourFields(l LabourList) []LabourField {
	switch l {
	case ListWorkers:
		return slices.Concat(personFields, workerFields)
	case ListWilling:
		return slices.Concat(personFields, willingFields)
	case ListJobs:
		return slices.Clone(jobFields)
	}
	return nil
}

// LabourFieldOf finds the field of list l with key; ok false for a key the list lacks.
func LabourFieldOf(l LabourList, key string) (LabourField, bool) {
	for _, f := range LabourFields(l) {
		if f.Key == key {
			return f, true
		}
	}
	return LabourField{}, false
}

// homeSplit are the keys of a home written in three columns.
var homeSplit = []string{LFHomeCounty, LFHomeTown, LFHomeVillage}

// LabourMapping says which field each column of a file holds: Columns[i] is the key of the
// field of column i ("" ignored). HeaderRows is how many rows the header takes from the top of
// the file (titles above it and a two-row header included), so data starts at row
// HeaderRows+1.
type LabourMapping struct {
	HeaderRows int      `json:"header_rows"`
	Headers    []string `json:"headers"` // each column's header as read (a two-row header joined: 户籍地-乡镇)
	Columns    []string `json:"columns"`
}

// Column is the index of the column holding key, -1 when none does.
func (m LabourMapping) Column(key string) int {
	return slices.Index(m.Columns, key)
}

// headerKey is a header reduced for comparison: no spaces, no stars or required marks,
// parentheses and colons made half-width.
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '*', r == '＊', r == ':', r == '：', r == '★':
			continue
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// withoutParens is a header without its parenthesised parts: 期望收入(元/月) → 期望收入.
func withoutParens(s string) string {
	for {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+j+1:]
	}
}

// labourNames maps each reduced label and alias of list l to its field key.
func labourNames(l LabourList) map[string]string {
	names := map[string]string{}
	for _, f := range LabourFields(l) {
		for _, n := range append([]string{f.Label}, f.Aliases...) {
			k := headerKey(n)
			if _, ok := names[k]; !ok {
				names[k] = f.Key
			}
			if p := withoutParens(k); p != "" {
				if _, ok := names[p]; !ok {
					names[p] = f.Key
				}
			}
		}
	}
	return names
}

// matchHeader finds the field a header names: the header itself, then without its
// parenthesised unit, then (for a joined two-row header 户籍地-县（区）) its lower part and its
// upper part.
func matchHeader(names map[string]string, h string) string {
	k := headerKey(h)
	if k == "" {
		return ""
	}
	try := []string{k, withoutParens(k)}
	if up, low, ok := strings.Cut(k, "-"); ok {
		try = append(try, low, withoutParens(low), up, withoutParens(up))
	}
	for _, t := range try {
		if key, ok := names[t]; ok && t != "" {
			return key
		}
	}
	return ""
}

// maxHeaderScan is how many rows from the top are searched for the header.
const maxHeaderScan = 20

// ProposeLabourMapping reads the top rows of a file (at most the first 20) and proposes a
// mapping: where the header is and which field each column holds, by the labels and aliases.
// Problems are the proposal's doubts in words (a required field not found, a column read as a
// field twice) for the preview page; Check refuses what cannot be imported.
func ProposeLabourMapping(l LabourList, top [][]string) (LabourMapping, []string) {
	names := labourNames(l)
	if len(top) > maxHeaderScan {
		top = top[:maxHeaderScan]
	}
	// The header row is the one whose cells name the most fields; titles above it (one
	// merged cell) and a 填报单位 line name one at most.
	// When no row names two fields (a short list: 序号 and 姓名, 姓名 and 手机), the first row
	// naming one field among two or more written cells is the header (a title is one cell),
	// with or without data rows under it.
	best, bestScore, single := -1, 1, -1
	for i, row := range top {
		score, written := 0, 0
		seen := map[string]bool{}
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				written++
			}
			if k := matchHeader(names, c); k != "" && !seen[k] {
				seen[k] = true
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
		if score == 1 && written >= 2 && single < 0 {
			single = i
		}
	}
	if best < 0 {
		best = single
	}
	if best < 0 {
		return LabourMapping{}, []string{fmt.Sprintf("在前%d行中找不到表头：表头应含有“%s”等列名", maxHeaderScan, strings.Join(requiredLabels(l), "”“"))}
	}
	head := top[best]
	width := len(head)
	headers := make([]string, width)
	// Cells merged across a two-row header are blank but the first: the upper row's text runs
	// on to the right over the lower row's cells.
	upper := ""
	for i, c := range head {
		c = strings.TrimSpace(c)
		headers[i] = c
	}
	rows := 1
	if best+1 < len(top) && isSubHeader(names, head, top[best+1]) {
		low := top[best+1]
		if len(low) > width {
			width = len(low)
			headers = append(headers, make([]string, width-len(headers))...)
		}
		for i := 0; i < width; i++ {
			var u, w string
			if i < len(head) {
				u = strings.TrimSpace(head[i])
			}
			if i < len(low) {
				w = strings.TrimSpace(low[i])
			}
			switch {
			case u != "":
				upper = u
			case w != "":
				u = upper
			}
			switch {
			case u != "" && w != "" && matchHeader(names, w) != "" && matchHeader(names, u) == matchHeader(names, w):
				headers[i] = w
			case u != "" && w != "":
				headers[i] = u + "-" + w
			case w != "":
				headers[i] = w
			default:
				headers[i] = u
			}
		}
		rows = 2
	}
	// A hint row under the header (the template's: every cell in parentheses) is header too.
	if n := best + rows; n < len(top) && isHintRow(top[n]) {
		rows++
	}
	m := LabourMapping{HeaderRows: best + rows, Headers: headers, Columns: make([]string, width)}
	var doubts []string
	taken := map[string]int{}
	for i, h := range headers {
		k := matchHeader(names, h)
		if k == "" {
			if h != "" && !ignoredHeader(h) {
				doubts = append(doubts, fmt.Sprintf("第%d列“%s”不是%s的列，将不导入", i+1, h, l.Title()))
			}
			continue
		}
		if j, ok := taken[k]; ok {
			f, _ := LabourFieldOf(l, k)
			doubts = append(doubts, fmt.Sprintf("第%d列“%s”和第%d列“%s”都像是“%s”：只取第%d列，请确认", j+1, headers[j], i+1, h, f.Label, j+1))
			continue
		}
		taken[k] = i
		m.Columns[i] = k
	}
	if err := m.Check(l); err != nil {
		doubts = append(doubts, ErrorMessage(err))
	}
	return m, doubts
}

// ignoredHeader is a column every list may have and none imports: the row's number.
func ignoredHeader(h string) bool {
	switch headerKey(h) {
	case "序号", "编号", "No.", "NO", "No", "#", "错误原因", "原文件行号":
		return true
	}
	return false
}

// isHintRow reports whether a row is a hint row: every non-blank cell in parentheses.
func isHintRow(row []string) bool {
	n := 0
	for _, c := range row {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !(strings.HasPrefix(c, "（") && strings.HasSuffix(c, "）")) && !(strings.HasPrefix(c, "(") && strings.HasSuffix(c, ")")) {
			return false
		}
		n++
	}
	return n > 0
}

// isSubHeader reports whether row low, under header row head, is the lower row of a two-row
// header: it names a field in a column, or holds text under a merged cell of head, and has
// nothing that looks like data (digits).
func isSubHeader(names map[string]string, head, low []string) bool {
	named := false
	for i, c := range low {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if strings.ContainsFunc(c, unicode.IsDigit) {
			return false
		}
		if matchHeader(names, c) != "" {
			named = true
		}
		// Text under a non-blank head cell that names a field by itself is data, not header.
		if i < len(head) && strings.TrimSpace(head[i]) != "" && matchHeader(names, head[i]) != "" && matchHeader(names, c) == "" && !blankRight(head, i) {
			return false
		}
	}
	return named
}

// blankRight reports whether the cell right of head[i] is blank (head[i] is a merged cell).
func blankRight(head []string, i int) bool {
	return i+1 < len(head) && strings.TrimSpace(head[i+1]) == ""
}

func requiredLabels(l LabourList) []string {
	var out []string
	for _, f := range LabourFields(l) {
		if f.Required {
			out = append(out, f.Label)
		}
	}
	return out
}

// Check says what keeps m from importing list l: a required field no column holds, a field two
// columns hold, an unknown key. The error is EINVALID with the message for the page.
func (m LabourMapping) Check(l LabourList) error {
	fields := LabourFields(l)
	if fields == nil {
		return Errorf(EINVALID, "没有“%s”这个清单：应为 jobs、workers 或 willing", string(l))
	}
	var problems []string
	seen := map[string]int{}
	for i, k := range m.Columns {
		if k == "" {
			continue
		}
		f, ok := LabourFieldOf(l, k)
		if !ok {
			problems = append(problems, fmt.Sprintf("第%d列：%s没有“%s”这一列", i+1, l.Title(), k))
			continue
		}
		if j, dup := seen[k]; dup {
			problems = append(problems, fmt.Sprintf("第%d列和第%d列都对应“%s”，只能有一列", j+1, i+1, f.Label))
			continue
		}
		seen[k] = i
	}
	for _, f := range fields {
		if f.Required {
			if _, ok := seen[f.Key]; !ok {
				problems = append(problems, fmt.Sprintf("缺少必填列“%s”（也可写作%s）", f.Label, quoteJoin(f.Aliases, 3)))
			}
		}
	}
	if _, whole := seen[LFHome]; whole {
		for _, k := range homeSplit {
			if _, ok := seen[k]; ok {
				f, _ := LabourFieldOf(l, k)
				problems = append(problems, fmt.Sprintf("户籍地已有一列“户籍地”，又有分列的“%s”：请只保留一种写法", f.Label))
				break
			}
		}
	}
	if m.HeaderRows < 0 {
		problems = append(problems, "表头行数不能为负")
	}
	if len(problems) > 0 {
		return Errorf(EINVALID, "%s", strings.Join(problems, "；"))
	}
	return nil
}

// quoteJoin writes up to n names as “a”“b”“c”.
func quoteJoin(names []string, n int) string {
	if len(names) == 0 {
		return "无其他写法"
	}
	return "“" + strings.Join(names[:min(n, len(names))], "”“") + "”"
}
