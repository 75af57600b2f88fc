package gen

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"xiezuo"
	"xiezuo/division"
)

// Generated labour lists (劳务协作三张清单) for tests and benchmarks: people of the 2021 plan's
// partner regions (武川县, 堆龙德庆区, 神农架林区) living in real towns and villages of the register,
// with valid ID numbers, phones, skills and pay; jobs of Beijing employers with valid credit
// codes. Each row depends only on the seed and its index, so a million rows are written with
// flat memory. With Plant, errors are planted at known rows (LabourGen.Planted).

// LabourCounties are the partner counties of the 2021 plan the generated people come from.
var LabourCounties = []struct{ Code, Region string }{
	{"150125", "内蒙古武川县"},
	{"540103", "西藏拉萨堆龙德庆区"},
	{"429021", "神农架林区"},
}

// LabourRegions are the partner regions of LabourCounties, as the 2021 plan names them.
func LabourRegions() []xiezuo.PartnerRegion {
	var out []xiezuo.PartnerRegion
	for _, c := range LabourCounties {
		out = append(out, xiezuo.PartnerRegion{Name: c.Region})
	}
	return out
}

// LabourGen describes a generated list.
type LabourGen struct {
	List  xiezuo.LabourList
	Rows  int    // data rows
	Seed  uint64 // the same seed gives the same rows
	Plant bool   // plant errors (Planted); needs Rows ≥ 20
	Today xiezuo.Date
	// IDOffset shifts the people's ID numbers, so that two lists share none (0 and 1<<20, say)
	// or share them (the same offset).
	IDOffset int
}

// LabourPlanted is a planted error: the file row, what was planted and the words the row's
// reason must hold.
type LabourPlanted struct {
	Row    int
	Kind   string
	Reason string
}

// Kinds of planted errors.
const (
	PlantCheckChar  = "check"     // an ID number with a wrong check character
	PlantBirth      = "birth"     // an ID number with birth date 19900230
	PlantDuplicate  = "duplicate" // an ID number (a job) that an earlier row has
	PlantPhone      = "phone"     // a phone of the wrong form
	PlantExcel      = "excel"     // an ID number Excel turned into 5.22624E+17
	PlantName       = "name"      // no name (no post for a job)
	PlantCreditCode = "credit"    // a credit code with a wrong check character
	PlantWanted     = "wanted"    // a number wanted that is no number
)

// LabourHeaderRows is how many rows the generated files' header takes (a title and the header).
const LabourHeaderRows = 2

// Title is the title row of the generated list.
func (g LabourGen) Title() string { return "协作地区" + g.List.Title() }

// Header is the header row, worded as offices word it.
func (g LabourGen) Header() []string {
	switch g.List {
	case xiezuo.ListWorkers:
		return []string{"序号", "姓名", "身份证号码", "性别", "联系电话", "户籍地", "是否脱贫户", "技能", "文化程度", "务工单位", "月收入（元/月）", "务工开始时间"}
	case xiezuo.ListWilling:
		return []string{"序号", "姓名", "公民身份号码", "性别", "手机号码", "户籍地", "人员类别", "专业技能", "学历", "意向务工地", "期望月薪", "可外出时间"}
	}
	return []string{"序号", "企业名称", "统一社会信用代码", "招聘岗位", "招聘人数", "工作地点", "薪资待遇", "技能要求", "学历要求", "到岗时间", "截止时间", "联系人", "联系电话", "是否提供食宿", "备注"}
}

// idColumn is the column of the ID number (people) in Header.
const idColumn = 2

// plantAt are the data indexes (0-based) of the planted errors and their kinds.
func (g LabourGen) plantAt() map[int]string {
	if !g.Plant || g.Rows < 20 {
		return nil
	}
	if g.List == xiezuo.ListJobs {
		return map[int]string{2: PlantCreditCode, 5: PlantName, 8: PlantWanted, 11: PlantDuplicate, 14: PlantPhone}
	}
	return map[int]string{2: PlantCheckChar, 5: PlantBirth, 8: PlantDuplicate, 11: PlantPhone, 14: PlantExcel, 17: PlantName}
}

// Planted lists the planted errors by row, with the words each row's reason holds.
func (g LabourGen) Planted() []LabourPlanted {
	at := g.plantAt()
	var out []LabourPlanted
	for i := 0; i < g.Rows; i++ {
		k, ok := at[i]
		if !ok {
			continue
		}
		p := LabourPlanted{Row: i + LabourHeaderRows + 1, Kind: k}
		switch k {
		case PlantCheckChar:
			p.Reason = "校验位不符"
		case PlantBirth:
			p.Reason = "出生日期1990-02-30不存在"
		case PlantDuplicate:
			p.Reason = fmt.Sprintf("与第%d行", LabourHeaderRows+1)
		case PlantPhone:
			p.Reason = "不是手机号"
		case PlantExcel:
			p.Reason = "单元格被Excel转成了数字"
		case PlantName:
			p.Reason = "未填写"
		case PlantCreditCode:
			p.Reason = "不是有效的统一社会信用代码"
		case PlantWanted:
			p.Reason = "不是人数"
		}
		out = append(out, p)
	}
	return out
}

var (
	labourVillagesOnce sync.Once
	labourVillages     [][]string // per county: the home as a list writes it (武川县可可以力更镇东官井村)
)

// villageHome writes a village of the register as a list writes it: the county, the town and the
// village's name without its committee's ending.
func villageHome(county string, v division.Division) string {
	name := v.Name
	for _, x := range []struct{ suffix, then string }{{"居民委员会", ""}, {"村民委员会", "村"}, {"牧民委员会", ""}, {"委员会", ""}} {
		if t, ok := strings.CutSuffix(name, x.suffix); ok && t != "" {
			name = t
			if !strings.HasSuffix(t, x.then) {
				name += x.then // 红山子村民委员会 → 红山子村, 五家村村民委员会 → 五家村
			}
			break
		}
	}
	return county + v.ParentName + name
}

func loadLabourVillages() {
	labourVillagesOnce.Do(func() {
		for _, c := range LabourCounties {
			d, _ := division.Lookup(division.Code(c.Code))
			var homes []string
			for _, v := range division.Villages(division.Code(c.Code)) {
				homes = append(homes, villageHome(d.Name, v))
			}
			if len(homes) == 0 {
				homes = []string{d.Name}
			}
			labourVillages = append(labourVillages, homes)
		}
	})
}

var (
	surnames    = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
	givenChars  = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕云飞鹏辉斌宇浩凯欣怡子涵梓萱俊峰晨阳扎西卓玛次仁央金多吉巴特尔其其格")
	labourSkill = []string{"电工", "焊工", "厨师", "保洁", "保安", "驾驶", "叉车", "家政", "育婴", "养老护理", "砌筑", "钢筋工", "木工", "缝纫", "电子装配", "仓储", "快递", "餐饮服务", "汽车维修", "美容美发"}
	educations  = []string{"小学", "初中", "初中", "高中", "中专", "大专", "本科"}
	employers   = []string{"物业管理", "餐饮管理", "建筑工程", "家政服务", "物流", "保安服务", "汽车服务", "电子科技", "食品", "酒店管理"}
	beijing     = []string{"北京市门头沟区", "北京市朝阳区", "北京市海淀区", "北京市丰台区", "北京市大兴区", "北京市通州区", "北京市顺义区", "北京市昌平区"}
	wishPlaces  = []string{"北京", "北京", "北京", "省内", "省外", "不限"}
)

// jobCreditCode makes a valid unified social credit code of a Beijing firm from r.
func jobCreditCode(r *rand.Rand) string {
	b := []byte("91110109")
	for len(b) < 17 {
		b = append(b, creditAlphabet[r.IntN(len(creditAlphabet))])
	}
	return string(b) + string(creditCheck(string(b)))
}

// labourDays is the span of birth dates: 1966-01-01 plus up to this many days (to 2001).
const labourDays = 12_800

// person makes data row i of a list of people.
func (g LabourGen) person(i int, r *rand.Rand) []string {
	loadLabourVillages()
	ci := r.IntN(len(LabourCounties))
	county := LabourCounties[ci].Code
	// Unique per index: the birth day runs through a permutation of the span, the sequence
	// number's upper digits count the passes.
	k := i + g.IDOffset
	day := (k * 7919) % labourDays
	seq := (k/labourDays)%500*2 + r.IntN(2)
	birth := xiezuo.NewDate(1966, 1, 1+day)
	first17 := fmt.Sprintf("%s%04d%02d%02d%03d", county, birth.Year, int(birth.Month), birth.Day, seq)
	id := first17 + string(xiezuo.IDCheckChar(first17))
	sex := "女"
	if seq%2 == 1 {
		sex = "男"
	}
	name := string(surnames[r.IntN(len(surnames))]) + string(givenChars[r.IntN(len(givenChars))])
	if r.IntN(3) > 0 {
		name += string(givenChars[r.IntN(len(givenChars))])
	}
	phone := fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))
	homes := labourVillages[ci]
	home := homes[r.IntN(len(homes))]
	poor := []string{"是", "否", "否", "脱贫户", "监测户", "否"}[r.IntN(6)]
	n := 1 + r.IntN(3)
	var skills []string
	for j := 0; j < n; j++ {
		s := labourSkill[r.IntN(len(labourSkill))]
		if !contains(skills, s) {
			skills = append(skills, s)
		}
	}
	edu := educations[r.IntN(len(educations))]
	today := g.today()
	row := []string{strconv.Itoa(i + 1), name, id, sex, phone, home, poor, strings.Join(skills, "、"), edu}
	if g.List == xiezuo.ListWorkers {
		since := xiezuo.NewDate(today.Year-r.IntN(4), time.Month(1+r.IntN(12)), 1+r.IntN(28))
		if dateAfterGen(since, today) {
			since = xiezuo.NewDate(today.Year-1, since.Month, since.Day)
		}
		row = append(row, "北京"+employers[r.IntN(len(employers))]+"有限公司", strconv.Itoa(3000+100*r.IntN(60)), since.String())
	} else {
		avail := xiezuo.NewDate(today.Year, today.Month+time.Month(r.IntN(6)), 1+r.IntN(28))
		row = append(row, wishPlaces[r.IntN(len(wishPlaces))], strconv.Itoa(3000+500*r.IntN(10)), avail.String())
	}
	return row
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func dateAfterGen(a, b xiezuo.Date) bool {
	return a.Year*10000+int(a.Month)*100+a.Day > b.Year*10000+int(b.Month)*100+b.Day
}

func (g LabourGen) today() xiezuo.Date {
	if g.Today.IsZero() {
		return xiezuo.Date{Year: 2021, Month: 6, Day: 30}
	}
	return g.Today
}

// job makes data row i of the jobs' list.
func (g LabourGen) job(i int, r *rand.Rand) []string {
	today := g.today()
	code := jobCreditCode(r)
	emp := "北京" + string(surnames[r.IntN(len(surnames))]) + string(givenChars[r.IntN(len(givenChars))]) + employers[r.IntN(len(employers))] + "有限公司"
	n := 1 + r.IntN(2)
	var skills []string
	for j := 0; j < n; j++ {
		s := labourSkill[r.IntN(len(labourSkill))]
		if !contains(skills, s) {
			skills = append(skills, s)
		}
	}
	lo := 3000 + 500*r.IntN(8)
	pay := fmt.Sprintf("%d-%d", lo, lo+1000+500*r.IntN(4))
	if r.IntN(5) == 0 {
		pay = fmt.Sprintf("%d元以上", lo)
	}
	start := xiezuo.NewDate(today.Year, today.Month+time.Month(r.IntN(3)), 1+r.IntN(28))
	end := xiezuo.NewDate(start.Year, start.Month+time.Month(3+r.IntN(6)), start.Day)
	contact := string(surnames[r.IntN(len(surnames))]) + []string{"经理", "先生", "女士", "主管"}[r.IntN(4)]
	phone := fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))
	board := []string{"包吃住", "包住", "包吃", "不提供"}[r.IntN(4)]
	return []string{strconv.Itoa(i + 1), emp, code, skills[0], strconv.Itoa(1 + r.IntN(30)), beijing[r.IntN(len(beijing))], pay,
		strings.Join(skills, "、"), educations[r.IntN(3)], start.String(), end.String(), contact, phone, board, ""}
}

// Row makes data row i (0-based) of the list with its planted error, if any. The row is fresh
// (the caller may keep it).
func (g LabourGen) Row(i int) []string {
	r := rand.New(rand.NewPCG(g.Seed, uint64(i)+0x9e3779b97f4a7c15))
	var row []string
	if g.List == xiezuo.ListJobs {
		row = g.job(i, r)
	} else {
		row = g.person(i, r)
	}
	switch g.plantAt()[i] {
	case PlantCheckChar:
		id := row[idColumn]
		c := strings.IndexByte("0123456789X", id[17])
		row[idColumn] = id[:17] + string("0123456789X"[(c+1)%11])
	case PlantBirth:
		first17 := row[idColumn][:6] + "19900230" + row[idColumn][14:17]
		row[idColumn] = first17 + string(xiezuo.IDCheckChar(first17))
	case PlantDuplicate:
		first := g.Row(0)
		if g.List == xiezuo.ListJobs {
			copy(row[1:4], first[1:4])
			row[5] = first[5]
		} else {
			copy(row[1:4], first[1:4]) // the same person (name, ID number, sex) again
		}
	case PlantPhone:
		if g.List == xiezuo.ListJobs {
			row[12] = "010-1234"
		} else {
			row[4] = "1381234567"
		}
	case PlantExcel:
		row[idColumn] = "5.22624E+17"
	case PlantName:
		if g.List == xiezuo.ListJobs {
			row[3] = ""
		} else {
			row[1] = ""
		}
	case PlantCreditCode:
		c := row[2]
		k := strings.IndexByte(creditAlphabet, c[17])
		row[2] = c[:17] + string(creditAlphabet[(k+1)%len(creditAlphabet)])
	case PlantWanted:
		row[4] = "若干"
	}
	return row
}

// Each calls fn with the file row and the cells of every data row, in order.
func (g LabourGen) Each(fn func(row int, cells []string) error) error {
	for i := 0; i < g.Rows; i++ {
		if err := fn(i+LabourHeaderRows+1, g.Row(i)); err != nil {
			return err
		}
	}
	return nil
}

// WriteLabourXLSX writes the list as a workbook with excelize's StreamWriter (flat memory for a
// million rows): a title row, the header, the data rows as text cells — but the planted
// Excel-damaged ID number, written as the number Excel makes of it.
func WriteLabourXLSX(path string, g LabourGen) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("write labour xlsx: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return fmt.Errorf("write labour xlsx: %w", err)
	}
	if err := sw.SetRow("A1", []any{g.Title()}); err != nil {
		return fmt.Errorf("write labour xlsx: %w", err)
	}
	head := g.Header()
	hv := make([]any, len(head))
	for i, h := range head {
		hv[i] = h
	}
	if err := sw.SetRow("A2", hv); err != nil {
		return fmt.Errorf("write labour xlsx: %w", err)
	}
	at := g.plantAt()
	vals := make([]any, len(head))
	err = g.Each(func(row int, cells []string) error {
		for i, c := range cells {
			vals[i] = excelize.Cell{StyleID: text, Value: c}
		}
		if at[row-LabourHeaderRows-1] == PlantExcel {
			vals[idColumn] = 522624199001011234.0
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, vals[:len(cells)])
	})
	if err != nil {
		return fmt.Errorf("write labour xlsx: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write labour xlsx: %w", err)
	}
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("write labour xlsx: %w", err)
	}
	return nil
}

// WriteLabourCSV writes the list as CSV, in UTF-8 (with a BOM, as Excel writes it) or GBK.
func WriteLabourCSV(path string, g LabourGen, gbk bool) error {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write labour csv: %w", err)
	}
	defer out.Close()
	bw := bufio.NewWriterSize(out, 1<<16)
	var w io.Writer = bw
	if gbk {
		w = simplifiedchinese.GBK.NewEncoder().Writer(bw)
	} else {
		bw.WriteString("\ufeff")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{g.Title()}); err != nil {
		return fmt.Errorf("write labour csv: %w", err)
	}
	if err := cw.Write(g.Header()); err != nil {
		return fmt.Errorf("write labour csv: %w", err)
	}
	if err := g.Each(func(_ int, cells []string) error { return cw.Write(cells) }); err != nil {
		return fmt.Errorf("write labour csv: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write labour csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write labour csv: %w", err)
	}
	return out.Close()
}
