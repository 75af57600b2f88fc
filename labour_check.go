package xiezuo

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// LabourCheck is what checking a row needs besides the row: today (no birth or start in the
// future), the plan's partner regions (to tell the region of a home) and the year.
type LabourCheck struct {
	Today   Date
	Regions []PartnerRegion
	// Place finds a place as a list writes it — a division code, a full name (内蒙古自治区呼和浩特市
	// 武川县可可以力更镇), or the county, town and village columns — in the register of divisions
	// (package division, which the root cannot import): its most precise code and its name, or
	// why not (「“户籍地”：找不到“XX乡”，武川县的乡镇有…」). Nil: places are not resolved.
	// A village the register lacks (villages merge every year) does not refuse the row, and a
	// row check has no warnings: the home is the town (its code), and the name is the town's
	// followed by the typed village in brackets — 内蒙古自治区呼和浩特市武川县可可以力更镇（填写的
	// “东官井村”不在区划库中）— so the clerk reads on the person's page what was not found and the
	// typed words are kept. A name never carries a division code (the code is HomeCode).
	Place func(county, town, village string) (code, name, problem string)
	// RegionOf is the partner region (of Regions) a division code lies in, "" when none.
	RegionOf func(code string) string
	// Scope, when not nil, are the only partner regions whose people the importer may list (a
	// cadre's regions, LabourRegions): a person whose home lies in none of them is a bad row, so
	// that a cadre cannot add or change another region's people.
	Scope []string
}

// Bounds of a row's values.
const (
	MaxLabourText = 200     // characters of a text cell
	MaxLabourPay  = 200_000 // 元 a month: more is a unit mistaken (分, 年薪)
	MaxLabourWant = 100_000 // people wanted by one job
)

// idWeights are the weights of the first 17 characters of an ID number (GB 11643-1999).
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// IDCheckChar is the check character (GB 11643-1999) of the first 17 digits of an ID number.
func IDCheckChar(first17 string) byte {
	sum := 0
	for i, w := range idWeights {
		sum += int(first17[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

// excelNumber is an ID number Excel read as a number and shows in scientific notation.
var excelNumber = regexp.MustCompile(`^\d(\.\d+)?[eE]\+?\d{1,2}$`)

// NormalizeIDNumber returns the ID number (GB 11643-1999) in its normal form (spaces removed,
// lowercase x uppercased) and "" when it is valid, else the reason in words (「应为18位」,
// 「校验位不符」, 「出生日期2019-02-30不存在」, 「被Excel转成了数字…」). today bounds the birth date.
// The address code is not checked against the register: the counties of old numbers may since
// have been abolished. A reason never holds the whole number (masked).
func NormalizeIDNumber(s string, today Date) (string, string) {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\u3000', '\'', '\u00a0':
			return -1
		case 'ｘ', 'Ｘ':
			return 'X'
		}
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s))
	if s == "" {
		return "", "未填写"
	}
	if strings.ContainsAny(s, "eE") && excelNumber.MatchString(s) { // the regexp needs an e
		return "", fmt.Sprintf("单元格被Excel转成了数字（%s），后几位已经丢失，请把该列设为文本后重新填写", excelShown(s))
	}
	if strings.HasSuffix(s, ".0") && allASCIIDigits(strings.TrimSuffix(s, ".0")) {
		s = strings.TrimSuffix(s, ".0")
	}
	switch {
	case len(s) == 15 && allASCIIDigits(s):
		return "", "是15位的第一代身份证号，请填写18位的第二代身份证号"
	case len(s) != 18:
		return "", fmt.Sprintf("应为18位（现为%d位）", utf8.RuneCountInString(s))
	case !allASCIIDigits(s[:17]) || !(s[17] == 'X' || isASCIIDigit(s[17])):
		return "", "应为17位数字加1位数字或X"
	}
	if c := IDCheckChar(s[:17]); c != s[17] {
		if strings.HasSuffix(s, "000") {
			// 18 digits read back from a number: Excel keeps 15 significant digits.
			return "", fmt.Sprintf("单元格被Excel转成了数字（%s），后几位已经丢失，请把该列设为文本后重新填写", excelShown(s))
		}
		return "", fmt.Sprintf("校验位不符（%s），请核对", maskIDNumber(s))
	}
	y, _ := strconv.Atoi(s[6:10])
	mo, _ := strconv.Atoi(s[10:12])
	d, _ := strconv.Atoi(s[12:14])
	birth, _, ok := realDate(y, mo, d)
	switch {
	case !ok:
		return "", fmt.Sprintf("出生日期%s-%s-%s不存在", s[6:10], s[10:12], s[12:14])
	case y < 1900:
		return "", fmt.Sprintf("出生日期%s早于1900年", birth)
	case !today.IsZero() && dateAfter(birth, today):
		return "", fmt.Sprintf("出生日期%s晚于今天", birth)
	}
	return s, ""
}

// ExcelDamagedID reports whether an ID number cell is one Excel turned into a number (the
// scientific form 5.22624199001011E+17, or the 18 digits read back from it ending in 000 and
// failing the check character), and how Excel shows such a cell: 5.22624E+17. The bad rows'
// workbook writes the cell so, as the clerk saw it, not as digits that look like a real number.
func ExcelDamagedID(cell string) (string, bool) {
	s := strings.TrimSpace(cell)
	if excelNumber.MatchString(s) {
		return excelShown(s), true
	}
	s = strings.TrimSuffix(s, ".0")
	if len(s) == 18 && allASCIIDigits(s) && strings.HasSuffix(s, "000") && IDCheckChar(s[:17]) != s[17] {
		return excelShown(s), true
	}
	return "", false
}

// IDBirthSex are the birth date and sex an ID number in normal form says.
func IDBirthSex(id string) (Date, string) {
	if len(id) != 18 {
		return Date{}, ""
	}
	y, _ := strconv.Atoi(id[6:10])
	mo, _ := strconv.Atoi(id[10:12])
	d, _ := strconv.Atoi(id[12:14])
	sex := "女"
	if (id[16]-'0')%2 == 1 {
		sex = "男"
	}
	return Date{y, time.Month(mo), d}, sex
}

// excelShown is a number as Excel shows it in a General cell: 6 significant digits.
func excelShown(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	t := strconv.FormatFloat(f, 'E', 5, 64)
	// 5.22624E+17: Go writes E+17 already; trim zeros of the mantissa as Excel does.
	mant, exp, _ := strings.Cut(t, "E")
	if strings.Contains(mant, ".") {
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
	}
	return mant + "E" + exp
}

// maskIDNumber masks an ID number for a message as vault.MaskID does (which the root cannot
// import): 522***********1234, first 3 and last 4, so the birth date printed beside it does not
// give the number back.
func maskIDNumber(s string) string {
	if len(s) == 18 {
		return s[:3] + "***********" + s[14:]
	}
	return maskMiddle(s)
}

// maskPhone masks a phone for a message: 138****1234.
func maskPhone(s string) string {
	if len(s) == 11 {
		return s[:3] + "****" + s[7:]
	}
	return maskMiddle(s)
}

// maskMiddle masks all but the last two characters of a value of unknown shape.
func maskMiddle(s string) string {
	r := []rune(s)
	keep := min(2, len(r)/2)
	return strings.Repeat("*", len(r)-keep) + string(r[len(r)-keep:])
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// labourRow reads a row's cells by field key and gathers its problems.
type labourRow struct {
	l        LabourList
	m        LabourMapping
	cells    []string
	problems []string
}

// get is the trimmed cell of field key, "" when no column holds it.
func (r *labourRow) get(key string) string {
	i := r.m.Column(key)
	if i < 0 || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// label is the column's header as the file wrote it, else the field's label.
func (r *labourRow) label(key string) string {
	if i := r.m.Column(key); i >= 0 && i < len(r.m.Headers) && strings.TrimSpace(r.m.Headers[i]) != "" {
		return strings.TrimSpace(r.m.Headers[i])
	}
	f, _ := LabourFieldOf(r.l, key)
	return f.Label
}

func (r *labourRow) fail(key, format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf("“%s”：", r.label(key))+fmt.Sprintf(format, args...))
}

// text reads a text field: one line, no control characters, bounded.
func (r *labourRow) text(key string) string {
	v := r.get(key)
	if v == "" {
		return ""
	}
	if !utf8.ValidString(v) || HasControl(v) {
		r.fail(key, "含有不可见的控制字符，请删除后重新填写")
		return ""
	}
	if spacesToJoin(v) {
		v = strings.Join(strings.Fields(v), " ")
	}
	if n := utf8.RuneCountInString(v); n > MaxLabourText {
		r.fail(key, "太长（%d个字），最多%d个字", n, MaxLabourText)
		return ""
	}
	return v
}

// spacesToJoin reports whether v holds a space strings.Fields would join differently: \t \n \r
// \v \f, U+3000, U+00A0 or two spaces in a row. One pass over the bytes (strings.ContainsAny
// decodes runes).
func spacesToJoin(v string) bool {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == ' ':
			if i+1 < len(v) && v[i+1] == ' ' {
				return true
			}
		case c == '\t', c == '\n', c == '\r', c == '\v', c == '\f':
			return true
		case c == 0xC2: // U+00A0 is C2 A0
			if i+1 < len(v) && v[i+1] == 0xA0 {
				return true
			}
		case c == 0xE3: // U+3000 is E3 80 80
			if i+2 < len(v) && v[i+1] == 0x80 && v[i+2] == 0x80 {
				return true
			}
		}
	}
	return false
}

// date reads a date field: typed as clerks type it, or an Excel serial from a numeric cell.
// future says whether a date after today makes sense.
func (r *labourRow) date(key string, today Date, future bool) Date {
	v := r.get(key)
	if v == "" {
		return Date{}
	}
	d, ok := ParseFieldDate(v)
	if !ok {
		d, ok = ParseFieldDate(strings.NewReplacer("年", "-", "月", "-", "日", "").Replace(v))
	}
	if !ok {
		d, ok = ExcelSerialDate(v)
	}
	if !ok {
		if ym, okm := yearMonth(v); okm {
			d, ok = ym, true
		}
	}
	switch {
	case !ok:
		r.fail(key, "“%s”不是日期，应如 %d-06-30", v, max(today.Year, 2021))
		return Date{}
	case d.Year < 1950:
		r.fail(key, "%s 早于1950年，请核对年份", d)
		return Date{}
	case !future && !today.IsZero() && dateAfter(d, today):
		r.fail(key, "%s 晚于今天（%s）", d, today)
		return Date{}
	case future && !today.IsZero() && d.Year > today.Year+10:
		r.fail(key, "%s 过于遥远，请核对年份", d)
		return Date{}
	}
	return d
}

var ymPattern = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$`)

// yearMonth reads 2021-06 or 2021年6月 as the first day of the month.
func yearMonth(s string) (Date, bool) {
	m := ymPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Date{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _, ok := realDate(y, mo, 1)
	return d, ok
}

// phone reads a phone field: a mobile number (a numeric cell's 1.38123E+10 is read back when
// whole).
func (r *labourRow) phone(key string) string {
	v := r.get(key)
	if v == "" {
		return ""
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && strings.ContainsAny(v, "eE.") && f == math.Trunc(f) && f < 1e11 {
		v = strconv.FormatInt(int64(f), 10)
	}
	p, ok := NormalizePhone(v)
	if !ok {
		r.fail(key, "%s 不是手机号，应为以1开头的11位数字，如 138 0000 0000", maskMiddle(v))
		return ""
	}
	return p
}

var (
	payRange = regexp.MustCompile(`^([0-9.,]+)\s*(元|千|k|K|万)?\s*(?:-|~|～|—|至|到|－)\s*([0-9.,]+)\s*(元|千|k|K|万)?$`)
	payOne   = regexp.MustCompile(`^([0-9.,]+)\s*(元|千|k|K|万)?$`)
)

// ParseMonthlyPay reads a monthly pay as lists write it, in 元 unless said: 4500, 4500元,
// 4,500, 4千, 0.5万, a range 4000-6000, 4000元以上 (lo only), 6000以下 (hi only); 面议 and
// blank are not said. lo and hi are fen (0 not said); ok false when it is none of these.
func ParseMonthlyPay(s string) (lo, hi int64, ok bool) {
	s = strings.TrimSpace(s)
	for _, x := range []string{"/月", "每月", "元/月", "／月"} {
		if t, cut := strings.CutSuffix(s, x); cut {
			s = strings.TrimSpace(t)
			if x != "元/月" {
				s = strings.TrimSuffix(s, "元")
			} else {
				s += "元"
			}
		}
	}
	s = strings.TrimPrefix(s, "月薪")
	if payDigits(s) { // 4500, 4,500.50: what payOne reads with no unit, without the regexps
		v, ok := ParseDecimal(strings.ReplaceAll(s, ",", ""), FenPerYuan)
		if !ok || v < 0 {
			return 0, 0, false
		}
		return v, v, true
	}
	switch s {
	case "", "面议", "-", "—", "/", "无":
		return 0, 0, true
	}
	above, below := false, false
	for _, x := range []string{"以上", "起", "及以上"} {
		if t, cut := strings.CutSuffix(s, x); cut {
			s, above = strings.TrimSpace(t), true
			break
		}
	}
	for _, x := range []string{"以下", "以内"} {
		if t, cut := strings.CutSuffix(s, x); cut {
			s, below = strings.TrimSpace(t), true
			break
		}
	}
	amount := func(num, unit string) (int64, bool) {
		num = strings.ReplaceAll(num, ",", "")
		scale := int64(FenPerYuan)
		switch unit {
		case "千", "k", "K":
			scale = 1000 * FenPerYuan
		case "万":
			scale = 10_000 * FenPerYuan
		}
		v, ok := ParseDecimal(num, FenPerYuan)
		if !ok || v < 0 {
			return 0, false
		}
		if scale != FenPerYuan {
			v = v * (scale / FenPerYuan)
		}
		return v, true
	}
	if m := payRange.FindStringSubmatch(s); m != nil && !above && !below {
		u1, u2 := m[2], m[4]
		if u1 == "" || u1 == "元" {
			u1 = u2
		}
		a, ok1 := amount(m[1], u1)
		b, ok2 := amount(m[3], u2)
		if !ok1 || !ok2 || a > b {
			return 0, 0, false
		}
		return a, b, true
	}
	if m := payOne.FindStringSubmatch(s); m != nil {
		v, ok := amount(m[1], m[2])
		if !ok {
			return 0, 0, false
		}
		switch {
		case above:
			return v, 0, true
		case below:
			return 0, v, true
		}
		return v, v, true
	}
	return 0, 0, false
}

// payDigits reports whether s is one or more of 0-9 . , and nothing else: none of the words
// ParseMonthlyPay looks for, not a range, a single amount in 元 (payOne with no unit).
func payDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return s != ""
}

// pay reads a monthly pay of a person (one amount: a range gives its lower end for a wish).
func (r *labourRow) pay(key string, rangeOK bool) int64 {
	v := r.get(key)
	if v == "" {
		return 0
	}
	lo, hi, ok := ParseMonthlyPay(v)
	if !ok || (!rangeOK && lo != hi && lo != 0 && hi != 0) {
		what := "元/月的金额，如 4500、4千或0.5万"
		if rangeOK {
			what += "，或 4000-6000"
		}
		r.fail(key, "“%s”不是金额，应填写%s", r.maskPersonal(key, v), what)
		return 0
	}
	p := lo
	if p == 0 {
		p = hi
	}
	if p > MaxLabourPay*FenPerYuan {
		r.fail(key, "%s元/月超过上限（%d元/月），请核对单位", FormatYuan(p), MaxLabourPay)
		return 0
	}
	return p
}

// maskPersonal hides the value of a personal field in a message.
func (r *labourRow) maskPersonal(key, v string) string {
	if f, ok := LabourFieldOf(r.l, key); ok && f.Personal {
		return maskMiddle(v)
	}
	return v
}

// ParsePoor reads a person's poor flag as lists write it: PoorLifted, PoorWatched or "" (not
// poor, or not said); ok false for a word none of these.
func ParsePoor(s string) (string, bool) {
	s = headerKey(s)
	switch s {
	case "", "否", "非", "无", "一般户", "一般农户", "非脱贫户", "非脱贫人口", "不是", "N", "n", "0", "普通农户":
		return "", true
	case "是", "Y", "y", "1", "脱贫户", "脱贫人口", "脱贫劳动力", "建档立卡", "建档立卡户", "建档立卡贫困户", "贫困户", "已脱贫", "脱贫户(建档立卡)", "是(脱贫户)":
		return PoorLifted, true
	case "监测户", "监测对象", "防止返贫监测对象", "边缘易致贫", "边缘易致贫户", "脱贫不稳定", "脱贫不稳定户", "突发严重困难", "突发严重困难户", "三类户", "边缘户":
		return PoorWatched, true
	}
	if strings.Contains(s, "监测") || strings.Contains(s, "边缘") || strings.Contains(s, "不稳定") || strings.Contains(s, "突发") {
		return PoorWatched, true
	}
	if strings.Contains(s, "脱贫") || strings.Contains(s, "建档立卡") {
		return PoorLifted, true
	}
	return "", false
}

// SplitSkills splits a skills cell on 、，,/；; and spaces, dropping blanks and repeats.
func SplitSkills(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、，,/；;　 \t\n", r)
	}) {
		p = strings.TrimSpace(p)
		if p == "" || p == "无" {
			continue
		}
		dup := false
		for _, o := range out {
			if o == p {
				dup = true
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

// place resolves a place column (or the three home columns) through c.Place.
func (r *labourRow) place(c LabourCheck, key, county, town, village string, lenient bool) (string, string) {
	if county == "" && town == "" && village == "" {
		return "", ""
	}
	whole := strings.Join([]string{county, town, village}, "")
	if c.Place == nil {
		return "", whole
	}
	code, name, problem := c.Place(county, town, village)
	if problem != "" {
		if lenient {
			return "", whole
		}
		if strings.HasPrefix(problem, "“") {
			r.problems = append(r.problems, problem)
		} else {
			r.fail(key, "%s", problem)
		}
		return "", ""
	}
	return code, name
}

// CheckLabourRow reads the cells of one data row of list l under mapping m into a record, or
// says why it cannot: every problem of the row, each naming the column's label (「“身份证号”：
// 校验位不符，应为X」, 「“身份证号”：被Excel转成了数字（5.22624E+17），后几位已经丢失」). An empty
// row gives a zero record and no problem (the caller passes over it). Messages never hold a
// whole ID number or phone (masked).
func CheckLabourRow(l LabourList, m LabourMapping, cells []string, c LabourCheck) (LabourRecord, []string) {
	empty := true
	for i, v := range cells {
		if i < len(m.Columns) && m.Columns[i] != "" && strings.TrimSpace(v) != "" {
			empty = false
			break
		}
	}
	if empty {
		return LabourRecord{}, nil
	}
	r := &labourRow{l: l, m: m, cells: cells}
	if l == ListJobs {
		j := checkJob(r, c)
		if len(r.problems) > 0 {
			return LabourRecord{}, maskNumbers(r.problems)
		}
		return LabourRecord{Job: j}, nil
	}
	if !l.OfPeople() {
		return LabourRecord{}, []string{fmt.Sprintf("没有“%s”这个清单", string(l))}
	}
	p := checkPerson(r, c)
	if len(r.problems) > 0 {
		return LabourRecord{}, maskNumbers(r.problems)
	}
	return LabourRecord{Person: p}, nil
}

// longNumber is a run of digits as long as a phone or an ID number.
var longNumber = regexp.MustCompile(`\d{11,17}[\dXx]?`)

// maskNumbers masks, in problems that echo what was typed, any run of digits as long as a
// phone or an ID number (typed in the wrong column, say): a message never holds one whole.
func maskNumbers(problems []string) []string {
	for i, p := range problems {
		problems[i] = longNumber.ReplaceAllStringFunc(p, func(n string) string {
			if len(n) == 18 {
				return maskIDNumber(n)
			}
			return maskMiddle(n)
		})
	}
	return problems
}

func checkPerson(r *labourRow, c LabourCheck) *LabourPerson {
	p := &LabourPerson{}
	p.Name = r.text(LFName)
	if p.Name == "" && r.get(LFName) == "" {
		r.fail(LFName, "未填写")
	} else if p.Name != "" && (utf8.RuneCountInString(p.Name) > 30 || strings.ContainsFunc(p.Name, func(x rune) bool { return x >= '0' && x <= '9' })) {
		r.fail(LFName, "“%s”不像姓名", maskMiddle(p.Name))
	}
	if raw := r.get(LFIDNumber); raw == "" {
		r.fail(LFIDNumber, "未填写")
	} else if id, why := NormalizeIDNumber(raw, c.Today); why != "" {
		r.fail(LFIDNumber, "%s", why)
	} else {
		p.IDNumber = id
		p.Birth, p.Sex = IDBirthSex(id)
		if s := r.get(LFSex); s != "" {
			s = strings.TrimSuffix(strings.TrimSuffix(s, "性"), "的")
			if s != "男" && s != "女" {
				r.fail(LFSex, "“%s”应为男或女", s)
			} else if s != p.Sex {
				r.fail(LFSex, "填写为%s，与身份证号（%s）所示的%s不符", s, maskIDNumber(id), p.Sex)
			}
		}
		if r.get(LFBirth) != "" {
			b := r.date(LFBirth, c.Today, false)
			if !b.IsZero() && b != p.Birth {
				// A birth typed as a month (1990-01) agrees with a day of it.
				if !(b.Day == 1 && b.Year == p.Birth.Year && b.Month == p.Birth.Month && yearMonthOnly(r.get(LFBirth))) {
					r.fail(LFBirth, "填写为%s，与身份证号所示的%s不符", b, p.Birth)
				}
			}
		}
	}
	p.Phone = r.phone(LFPhone)
	if v := r.get(LFPoor); v != "" {
		poor, ok := ParsePoor(v)
		if !ok {
			r.fail(LFPoor, "“%s”无法识别，应为是、否、脱贫户或监测户（边缘易致贫、脱贫不稳定、突发严重困难）", v)
		}
		p.Poor = poor
	}
	p.Skills = SplitSkills(r.text(LFSkills))
	p.Education = r.text(LFEducation)
	if r.m.Column(LFHome) >= 0 {
		p.HomeCode, p.HomeName = r.place(c, LFHome, r.text(LFHome), "", "", false)
	} else {
		p.HomeCode, p.HomeName = r.homeSplit(c)
	}
	if p.HomeCode != "" && c.RegionOf != nil {
		p.Region = c.RegionOf(p.HomeCode)
	}
	if c.Scope != nil && !slices.Contains(c.Scope, p.Region) {
		where := p.HomeName
		if where == "" {
			where = "未填写或无法识别"
		}
		r.fail(LFHome, "%s不在您负责的协作地区（%s）内，请交由领导小组办公室导入", where, strings.Join(c.Scope, "、"))
	}
	switch r.l {
	case ListWorkers:
		p.Employer = r.text(LFEmployer)
		if v := r.get(LFEmployerCode); v != "" {
			code := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
			if !ValidCreditCode(code) {
				r.fail(LFEmployerCode, "%s 不是有效的统一社会信用代码（18位，末位校验码须相符）", v)
			} else {
				p.EmployerCode = code
			}
		}
		if w := r.text(LFWorkPlace); w != "" {
			p.WorkPlace, _ = r.place(c, LFWorkPlace, w, "", "", true)
		}
		p.Post = r.text(LFPost)
		p.Income = r.pay(LFIncome, false)
		p.Since = r.date(LFSince, c.Today, false)
	case ListWilling:
		p.WishPlace = r.text(LFWishPlace)
		p.WishPost = r.text(LFWishPost)
		p.WishPay = r.pay(LFWishPay, true)
		p.Available = r.date(LFAvailable, c.Today, true)
	}
	return p
}

// homeSplit resolves a home written in the three columns, a problem named by the column it is
// about: the county's when the county is not found, else the town's.
func (r *labourRow) homeSplit(c LabourCheck) (string, string) {
	county, town, village := r.text(LFHomeCounty), r.text(LFHomeTown), r.text(LFHomeVillage)
	if county == "" && town == "" && village == "" {
		return "", ""
	}
	if c.Place == nil {
		return "", county + town + village
	}
	code, name, problem := c.Place(county, town, village)
	if problem == "" {
		return code, name
	}
	key := LFHomeCounty
	if county != "" && town != "" && r.m.Column(LFHomeTown) >= 0 {
		if _, _, p := c.Place(county, "", ""); p == "" {
			key = LFHomeTown
		}
	}
	if strings.HasPrefix(problem, "“") {
		r.problems = append(r.problems, problem)
	} else {
		r.fail(key, "%s", problem)
	}
	return "", ""
}

func yearMonthOnly(s string) bool {
	_, ok := yearMonth(s)
	return ok
}

func checkJob(r *labourRow, c LabourCheck) *LabourJob {
	j := &LabourJob{}
	j.Employer = r.text(LFEmployer)
	if r.get(LFEmployer) == "" {
		r.fail(LFEmployer, "未填写")
	}
	if v := r.get(LFCreditCode); v != "" {
		code := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
		if !ValidCreditCode(code) {
			r.fail(LFCreditCode, "%s 不是有效的统一社会信用代码（18位，末位校验码须相符）", v)
		} else {
			j.CreditCode = code
		}
	}
	j.Post = r.text(LFPost)
	if r.get(LFPost) == "" {
		r.fail(LFPost, "未填写")
	}
	if v := r.get(LFWanted); v == "" {
		r.fail(LFWanted, "未填写")
	} else {
		n := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(strings.ReplaceAll(v, ",", ""), "人")), ".0"), "名")
		w, err := strconv.Atoi(strings.TrimSpace(n))
		switch {
		case err != nil:
			r.fail(LFWanted, "“%s”不是人数，应填写整数，如 12", v)
		case w < 1:
			r.fail(LFWanted, "%d 应至少为1", w)
		case w > MaxLabourWant:
			r.fail(LFWanted, "%d 超过上限（%d人），请核对", w, MaxLabourWant)
		default:
			j.Wanted = w
		}
	}
	if pl := r.text(LFPlace); pl != "" {
		j.PlaceCode, j.PlaceName = r.place(c, LFPlace, pl, "", "", true)
		if j.PlaceName == "" {
			j.PlaceName = pl
		}
	}
	if v := r.get(LFPay); v != "" {
		lo, hi, ok := ParseMonthlyPay(v)
		switch {
		case !ok:
			r.fail(LFPay, "“%s”不是月薪，应如 4500、4000-6000 或 4000元以上（元/月）", v)
		case lo > MaxLabourPay*FenPerYuan || hi > MaxLabourPay*FenPerYuan:
			r.fail(LFPay, "超过上限（%d元/月），请核对单位", MaxLabourPay)
		default:
			j.PayMin, j.PayMax = lo, hi
		}
	}
	j.Skills = SplitSkills(r.text(LFSkills))
	j.Education = r.text(LFEducation)
	j.Start = r.date(LFStart, c.Today, true)
	j.End = r.date(LFEnd, c.Today, true)
	if !j.Start.IsZero() && !j.End.IsZero() && dateAfter(j.Start, j.End) {
		r.fail(LFEnd, "%s 早于到岗时间 %s", j.End, j.Start)
	}
	j.Contact = r.text(LFContact)
	j.ContactPhone = r.phone(LFContactPhone)
	if b := r.text(LFBoard); b != "" {
		switch b {
		case "包吃住", "提供食宿", "是", "食宿全包", "包食宿":
			j.Board = "包吃住"
		case "包住", "提供住宿", "仅住宿":
			j.Board = "包住"
		case "包吃", "提供餐食", "仅餐食", "包餐":
			j.Board = "包吃"
		case "不提供", "否", "无", "不包":
			j.Board = "不提供"
		default:
			j.Board = b
		}
	}
	j.Note = r.text(LFNote)
	return j
}
