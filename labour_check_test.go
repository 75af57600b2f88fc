package xiezuo

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// idWith appends the check character to 17 digits.
func idWith(first17 string) string { return first17 + string(IDCheckChar(first17)) }

func TestNormalizeIDNumber(t *testing.T) {
	today := Date{2021, time.June, 30}
	good := idWith("15012519900101123") // 武川县, 1990-01-01, 男
	badCheck := good[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", good[17])+1)%11])
	tests := []struct {
		in, want, why string
	}{
		{"11010519491231002X", "11010519491231002X", ""},
		{"11010519491231002x", "11010519491231002X", ""},
		{" 110105 19491231 002X ", "11010519491231002X", ""},
		{"１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", ""},
		{good, good, ""},
		{"'" + good, good, ""},
		// An address code that no longer exists is not refused.
		{idWith("99999919800101001"), idWith("99999919800101001"), ""},
		{badCheck, "", "校验位不符（150***********" + badCheck[14:] + "），请核对"},
		{idWith("15012519900230123"), "", "出生日期1990-02-30不存在"},
		{idWith("15012518990101123"), "", "出生日期1899-01-01早于1900年"},
		{idWith("15012520300101123"), "", "出生日期2030-01-01晚于今天"},
		{"5.22624E+17", "", "单元格被Excel转成了数字（5.22624E+17），后几位已经丢失，请把该列设为文本后重新填写"},
		{"5.22624199001011E+17", "", "单元格被Excel转成了数字（5.22624E+17），后几位已经丢失，请把该列设为文本后重新填写"},
		{"522624199001011000", "", "单元格被Excel转成了数字（5.22624E+17），后几位已经丢失，请把该列设为文本后重新填写"},
		{"150125900101123", "", "是15位的第一代身份证号，请填写18位的第二代身份证号"},
		{"1501251990010112", "", "应为18位（现为16位）"},
		{"15012519900101123Y", "", "应为17位数字加1位数字或X"},
		{"", "", "未填写"},
	}
	for _, tt := range tests {
		got, why := NormalizeIDNumber(tt.in, today)
		if got != tt.want || why != tt.why {
			t.Errorf("NormalizeIDNumber(%q) = %q, %q, want %q, %q", tt.in, got, why, tt.want, tt.why)
		}
		if why != "" && len(tt.in) == 18 && strings.Contains(why, tt.in) {
			t.Errorf("NormalizeIDNumber(%q): reason %q holds the whole number", tt.in, why)
		}
	}
}

func TestIDBirthSex(t *testing.T) {
	b, s := IDBirthSex("11010519491231002X")
	if b != (Date{1949, time.December, 31}) || s != "女" {
		t.Errorf("IDBirthSex = %v, %s, want 1949-12-31, 女", b, s)
	}
	b, s = IDBirthSex(idWith("15012519900101123"))
	if b != (Date{1990, time.January, 1}) || s != "男" {
		t.Errorf("IDBirthSex = %v, %s, want 1990-01-01, 男", b, s)
	}
}

func TestParseMonthlyPay(t *testing.T) {
	tests := []struct {
		in     string
		lo, hi int64
		ok     bool
	}{
		{"4500", 450000, 450000, true},
		{"4500元", 450000, 450000, true},
		{"4,500", 450000, 450000, true},
		{"4千", 400000, 400000, true},
		{"0.5万", 500000, 500000, true},
		{"4000-6000", 400000, 600000, true},
		{"4000～6000元", 400000, 600000, true},
		{"4千-6千", 400000, 600000, true},
		{"4000元以上", 400000, 0, true},
		{"6000以下", 0, 600000, true},
		{"5000元/月", 500000, 500000, true},
		{"面议", 0, 0, true},
		{"", 0, 0, true},
		{"6000-4000", 0, 0, false},
		{"很多", 0, 0, false},
		{"-300", 0, 0, false},
	}
	for _, tt := range tests {
		lo, hi, ok := ParseMonthlyPay(tt.in)
		if lo != tt.lo || hi != tt.hi || ok != tt.ok {
			t.Errorf("ParseMonthlyPay(%q) = %d, %d, %v, want %d, %d, %v", tt.in, lo, hi, ok, tt.lo, tt.hi, tt.ok)
		}
	}
}

func TestParsePoor(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"是", PoorLifted, true}, {"脱贫户", PoorLifted, true}, {"脱贫人口", PoorLifted, true}, {"建档立卡户", PoorLifted, true},
		{"监测户", PoorWatched, true}, {"边缘易致贫户", PoorWatched, true}, {"脱贫不稳定户", PoorWatched, true}, {"突发严重困难户", PoorWatched, true},
		{"否", "", true}, {"一般农户", "", true}, {"", "", true},
		{"也许", "", false},
	}
	for _, tt := range tests {
		got, ok := ParsePoor(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParsePoor(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSplitSkills(t *testing.T) {
	got := SplitSkills("电工、焊工，厨师,保洁/驾驶；电工; 叉车 无")
	want := []string{"电工", "焊工", "厨师", "保洁", "驾驶", "叉车"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("SplitSkills (-want +got):\n%s", d)
	}
}

// testCheck is a LabourCheck whose places are a tiny register.
func testCheck() LabourCheck {
	return LabourCheck{
		Today:   Date{2021, time.June, 30},
		Regions: []PartnerRegion{{Name: "内蒙古武川县"}},
		Place: func(county, town, village string) (string, string, string) {
			switch county + town + village {
			case "武川县":
				return "150125", "内蒙古自治区呼和浩特市武川县", ""
			case "武川县可可以力更镇", "内蒙古武川县可可以力更镇":
				return "150125100", "内蒙古自治区呼和浩特市武川县可可以力更镇", ""
			case "北京市门头沟区":
				return "110109", "北京市门头沟区", ""
			}
			return "", "", "找不到“" + county + town + village + "”"
		},
		RegionOf: func(code string) string {
			if strings.HasPrefix(code, "150125") {
				return "内蒙古武川县"
			}
			return ""
		},
	}
}

func TestCheckLabourRowWilling(t *testing.T) {
	id := idWith("15012519900101123")
	m := LabourMapping{HeaderRows: 1,
		Headers: []string{"序号", "姓名", "身份证号码", "性别", "手机号", "户籍地", "是否脱贫户", "技能", "期望月薪", "可到岗时间", "意向务工地"},
		Columns: []string{"", LFName, LFIDNumber, LFSex, LFPhone, LFHome, LFPoor, LFSkills, LFWishPay, LFAvailable, LFWishPlace}}
	rec, problems := CheckLabourRow(ListWilling, m, []string{"1", " 张三 ", id, "男", "138 1234 5678", "武川县可可以力更镇", "脱贫户", "电工、焊工", "4000-6000", "2021-09-01", "北京"}, testCheck())
	if len(problems) > 0 {
		t.Fatalf("CheckLabourRow: problems %q", problems)
	}
	want := &LabourPerson{IDNumber: id, Name: "张三", Sex: "男", Birth: Date{1990, time.January, 1}, Phone: "13812345678",
		HomeCode: "150125100", HomeName: "内蒙古自治区呼和浩特市武川县可可以力更镇", Region: "内蒙古武川县", Poor: PoorLifted,
		Skills: []string{"电工", "焊工"}, WishPay: 400000, Available: Date{2021, time.September, 1}, WishPlace: "北京"}
	if d := cmp.Diff(want, rec.Person); d != "" {
		t.Errorf("CheckLabourRow person (-want +got):\n%s", d)
	}
	// A blank row is passed over.
	rec, problems = CheckLabourRow(ListWilling, m, []string{"12", "", "", ""}, testCheck())
	if rec.Person != nil || problems != nil {
		t.Errorf("CheckLabourRow(blank) = %+v, %q, want nothing", rec, problems)
	}
}

func TestCheckLabourRowProblems(t *testing.T) {
	id := idWith("15012519900101123")
	m := LabourMapping{HeaderRows: 1,
		Headers: []string{"姓名", "身份证号", "性别", "出生日期", "联系电话", "县（区）", "乡（镇）", "村", "是否脱贫人口", "月收入", "务工开始时间", "单位统一社会信用代码"},
		Columns: []string{LFName, LFIDNumber, LFSex, LFBirth, LFPhone, LFHomeCounty, LFHomeTown, LFHomeVillage, LFPoor, LFIncome, LFSince, LFEmployerCode}}
	row := func(mod func([]string)) []string {
		r := []string{"李四", id, "男", "1990-01-01", "13812345678", "武川县", "可可以力更镇", "", "否", "5000", "2021-03-01", "91350100M000100Y43"}
		mod(r)
		return r
	}
	tests := []struct {
		name  string
		cells []string
		want  []string
	}{
		{"good", row(func([]string) {}), nil},
		{"missing name", row(func(r []string) { r[0] = "" }), []string{"“姓名”：未填写"}},
		{"bad check", row(func(r []string) { r[1] = id[:17] + "0" }), []string{"“身份证号”：校验位不符（150***********1230），请核对"}},
		{"excel", row(func(r []string) { r[1] = "5.22624E+17" }), []string{"“身份证号”：单元格被Excel转成了数字（5.22624E+17），后几位已经丢失，请把该列设为文本后重新填写"}},
		{"sex differs", row(func(r []string) { r[2] = "女" }), []string{"“性别”：填写为女，与身份证号（150***********" + id[14:] + "）所示的男不符"}},
		{"birth differs", row(func(r []string) { r[3] = "1990-01-02" }), []string{"“出生日期”：填写为1990-01-02，与身份证号所示的1990-01-01不符"}},
		{"birth month", row(func(r []string) { r[3] = "1990年1月" }), nil},
		{"phone", row(func(r []string) { r[4] = "0471-1234567" }), []string{"“联系电话”：**********67 不是手机号，应为以1开头的11位数字，如 138 0000 0000"}},
		{"phone from a number", row(func(r []string) { r[4] = "1.3812345678E10" }), nil},
		{"town", row(func(r []string) { r[6] = "某某乡" }), []string{"“乡（镇）”：找不到“武川县某某乡”"}},
		{"county", row(func(r []string) { r[5] = "火星县" }), []string{"“县（区）”：找不到“火星县可可以力更镇”"}},
		{"poor", row(func(r []string) { r[8] = "也许" }), []string{"“是否脱贫人口”：“也许”无法识别，应为是、否、脱贫户或监测户（边缘易致贫、脱贫不稳定、突发严重困难）"}},
		{"income", row(func(r []string) { r[9] = "很多" }), []string{"“月收入”：“*多”不是金额，应填写元/月的金额，如 4500、4千或0.5万"}},
		{"income range", row(func(r []string) { r[9] = "4000-6000" }), []string{"“月收入”：“*******00”不是金额，应填写元/月的金额，如 4500、4千或0.5万"}},
		{"since future", row(func(r []string) { r[10] = "2021-07-01" }), []string{"“务工开始时间”：2021-07-01 晚于今天（2021-06-30）"}},
		{"since serial", row(func(r []string) { r[10] = "44256" }), nil},
		{"since text", row(func(r []string) { r[10] = "去年" }), []string{"“务工开始时间”：“去年”不是日期，应如 2021-06-30"}},
		{"credit code", row(func(r []string) { r[11] = "91350100M000100Y44" }), []string{"“单位统一社会信用代码”：91350100M000100Y44 不是有效的统一社会信用代码（18位，末位校验码须相符）"}},
		{"ID in the name and the date columns", row(func(r []string) { r[0] = id; r[10] = id }), []string{"“姓名”：“****************" + id[16:] + "”不像姓名", "“务工开始时间”：“150***********" + id[14:] + "”不是日期，应如 2021-06-30"}},
		{"several", row(func(r []string) { r[0] = ""; r[4] = "123" }), []string{"“姓名”：未填写", "“联系电话”：**3 不是手机号，应为以1开头的11位数字，如 138 0000 0000"}},
	}
	for _, tt := range tests {
		_, got := CheckLabourRow(ListWorkers, m, tt.cells, testCheck())
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: CheckLabourRow problems (-want +got):\n%s", tt.name, d)
		}
		for _, p := range got {
			if strings.Contains(p, id) || strings.Contains(p, "13812345678") {
				t.Errorf("%s: problem %q holds a whole ID number or phone", tt.name, p)
			}
		}
	}
}

func TestCheckLabourRowJob(t *testing.T) {
	m := LabourMapping{HeaderRows: 2,
		Headers: []string{"企业名称", "统一社会信用代码", "招聘岗位", "招聘人数", "工作地点", "薪资待遇", "任职要求", "到岗时间", "截止时间", "联系人", "联系电话", "是否提供食宿"},
		Columns: []string{LFEmployer, LFCreditCode, LFPost, LFWanted, LFPlace, LFPay, LFSkills, LFStart, LFEnd, LFContact, LFContactPhone, LFBoard}}
	cells := []string{"北京某物业公司", "91350100M000100Y43", "保洁员", "12人", "北京市门头沟区", "4000元以上", "保洁", "2021-07-01", "2021-12-31", "王经理", "13912345678", "包吃住"}
	rec, problems := CheckLabourRow(ListJobs, m, cells, testCheck())
	if len(problems) > 0 {
		t.Fatalf("CheckLabourRow(job): %q", problems)
	}
	want := &LabourJob{Employer: "北京某物业公司", CreditCode: "91350100M000100Y43", Post: "保洁员", Wanted: 12, PlaceCode: "110109", PlaceName: "北京市门头沟区",
		PayMin: 400000, Skills: []string{"保洁"}, Start: Date{2021, 7, 1}, End: Date{2021, 12, 31}, Contact: "王经理", ContactPhone: "13912345678", Board: "包吃住"}
	if d := cmp.Diff(want, rec.Job); d != "" {
		t.Errorf("CheckLabourRow job (-want +got):\n%s", d)
	}
	cells[3], cells[5], cells[8] = "0", "六千", "2021-06-01"
	_, problems = CheckLabourRow(ListJobs, m, cells, testCheck())
	want2 := []string{"“招聘人数”：0 应至少为1", "“薪资待遇”：“六千”不是月薪，应如 4500、4000-6000 或 4000元以上（元/月）", "“截止时间”：2021-06-01 早于到岗时间 2021-07-01"}
	if d := cmp.Diff(want2, problems); d != "" {
		t.Errorf("CheckLabourRow(bad job) (-want +got):\n%s", d)
	}
}

func TestExcelDamagedID(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"5.22624199001011E+17", "5.22624E+17", true},
		{"5.22624E+17", "5.22624E+17", true},
		{"522624199001011000", "5.22624E+17", true},
		{"522624199001011000.0", "5.22624E+17", true},
		{"110105194912310020", "", false}, // a real number ending in 0020
		{"11010519491231002X", "", false},
		{"", "", false},
	} {
		if got, ok := ExcelDamagedID(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ExcelDamagedID(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// A cadre imports the people of its own regions only: a person of another place is a bad row
// that says why; the cadre's own region passes.
func TestCheckLabourRowScope(t *testing.T) {
	m := LabourMapping{HeaderRows: 1, Headers: []string{"姓名", "身份证号", "户籍地"}, Columns: []string{LFName, LFIDNumber, LFHome}}
	c := testCheck()
	c.Scope = []string{"内蒙古武川县"}
	for _, tc := range []struct {
		home string
		want string // "" no problem
	}{
		{"武川县可可以力更镇", ""},
		{"北京市门头沟区", "北京市门头沟区不在您负责的协作地区（内蒙古武川县）内"},
		{"", "未填写或无法识别不在您负责的协作地区"},
	} {
		_, problems := CheckLabourRow(ListWilling, m, []string{"张三", idWith("15012519900101123"), tc.home}, c)
		got := strings.Join(problems, "；")
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("home %q: problems %q, want %q", tc.home, got, tc.want)
		}
	}
	c.Scope = nil
	if _, problems := CheckLabourRow(ListWilling, m, []string{"张三", idWith("15012519900101123"), "北京市门头沟区"}, c); len(problems) > 0 {
		t.Errorf("without a scope: problems %q", problems)
	}
}
