package xiezuo

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLabourFields(t *testing.T) {
	for _, l := range LabourLists {
		fields := LabourFields(l)
		if len(fields) == 0 {
			t.Fatalf("LabourFields(%s) is empty", l)
		}
		keys := map[string]bool{}
		names := map[string]string{}
		for _, f := range fields {
			if keys[f.Key] {
				t.Errorf("LabourFields(%s): key %s twice", l, f.Key)
			}
			keys[f.Key] = true
			for _, n := range append([]string{f.Label}, f.Aliases...) {
				if k, ok := names[headerKey(n)]; ok && k != f.Key {
					t.Errorf("LabourFields(%s): %q names both %s and %s", l, n, k, f.Key)
				}
				names[headerKey(n)] = f.Key
			}
		}
		if len(requiredLabels(l)) == 0 {
			t.Errorf("LabourFields(%s): nothing required", l)
		}
	}
}

func TestProposeLabourMapping(t *testing.T) {
	tests := []struct {
		name       string
		list       LabourList
		top        [][]string
		wantRows   int
		wantCols   []string
		wantHeads  []string
		wantDoubts []string
	}{
		{
			name: "title, 填报单位 and a one-row header",
			list: ListWilling,
			top: [][]string{
				{"武川县有意愿外出务工人员清单"},
				{"填报单位：武川县人力资源和社会保障局", "", "", "填报日期：2021年6月"},
				{"序号", "姓名", "公民身份号码", "联系方式", "家庭住址", "是否建档立卡", "技能特长", "学历", "期望工作地", "期望收入（元/月）", "可外出时间"},
				{"1", "张三", "150125199001011234", "13812345678", "武川县", "是", "电工", "初中", "北京", "5000", "2021-07-01"},
			},
			wantRows: 3,
			wantCols: []string{"", LFName, LFIDNumber, LFPhone, LFHome, LFPoor, LFSkills, LFEducation, LFWishPlace, LFWishPay, LFAvailable},
		},
		{
			name: "two-row header with merged cells",
			list: ListWorkers,
			top: [][]string{
				{"在京务工人员清单"},
				{"序号", "姓名", "身份证号", "户籍地", "", "", "务工单位", "月收入（元）", "外出务工时间"},
				{"", "", "", "县（区）", "乡（镇）", "村", "", "", ""},
				{"1", "李四", "150125199001011234", "武川县", "可可以力更镇", "东官井村", "某公司", "5000", "2021-01-01"},
			},
			wantRows:  3,
			wantCols:  []string{"", LFName, LFIDNumber, LFHomeCounty, LFHomeTown, LFHomeVillage, LFEmployer, LFIncome, LFSince},
			wantHeads: []string{"序号", "姓名", "身份证号", "户籍地-县（区）", "户籍地-乡（镇）", "户籍地-村", "务工单位", "月收入（元）", "外出务工时间"},
		},
		{
			name: "the template's hint row",
			list: ListJobs,
			top: [][]string{
				{"在京单位用工需求清单"},
				{"用工单位", "统一社会信用代码", "岗位", "需求人数", "月薪"},
				{"（必填）", "（选填）", "（必填）", "（必填；单位：人）", "（单位：元/月；如 4500、4000-6000、4000元以上）"},
				{"某公司", "91350100M000100Y43", "电工", "3", "5000"},
			},
			wantRows: 3,
			wantCols: []string{LFEmployer, LFCreditCode, LFPost, LFWanted, LFPay},
		},
		{
			name: "unknown column and one twice",
			list: ListJobs,
			top: [][]string{
				{"企业名称", "岗位名称", "招聘人数", "工种", "福利"},
			},
			wantRows: 1,
			wantCols: []string{LFEmployer, LFPost, LFWanted, "", ""},
			wantDoubts: []string{
				"第2列“岗位名称”和第4列“工种”都像是“岗位”：只取第2列，请确认",
				"第5列“福利”不是在京单位用工需求清单的列，将不导入",
			},
		},
		{
			name:       "a required field missing",
			list:       ListWorkers,
			top:        [][]string{{"姓名", "电话", "技能"}},
			wantRows:   1,
			wantCols:   []string{LFName, LFPhone, LFSkills},
			wantDoubts: []string{"缺少必填列“身份证号”（也可写作“身份证号码”“公民身份号码”“证件号码”）"},
		},
		{
			name:       "no header",
			list:       ListWorkers,
			top:        [][]string{{"清单"}, {"1", "2"}},
			wantDoubts: []string{"在前20行中找不到表头：表头应含有“姓名”“身份证号”等列名"},
		},
	}
	for _, tt := range tests {
		m, doubts := ProposeLabourMapping(tt.list, tt.top)
		if m.HeaderRows != tt.wantRows {
			t.Errorf("%s: HeaderRows = %d, want %d", tt.name, m.HeaderRows, tt.wantRows)
		}
		if d := cmp.Diff(tt.wantCols, m.Columns); d != "" {
			t.Errorf("%s: Columns (-want +got):\n%s", tt.name, d)
		}
		if tt.wantHeads != nil {
			if d := cmp.Diff(tt.wantHeads, m.Headers); d != "" {
				t.Errorf("%s: Headers (-want +got):\n%s", tt.name, d)
			}
		}
		if d := cmp.Diff(tt.wantDoubts, doubts); d != "" {
			t.Errorf("%s: doubts (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestLabourMappingCheck(t *testing.T) {
	tests := []struct {
		m    LabourMapping
		l    LabourList
		want string
	}{
		{LabourMapping{Columns: []string{LFName, LFIDNumber}}, ListWorkers, ""},
		{LabourMapping{Columns: []string{LFName}}, ListWorkers, "缺少必填列“身份证号”"},
		{LabourMapping{Columns: []string{LFName, LFIDNumber, LFName}}, ListWorkers, "第1列和第3列都对应“姓名”，只能有一列"},
		{LabourMapping{Columns: []string{LFName, LFIDNumber, "salary"}}, ListWorkers, "第3列：在京务工人员清单没有“salary”这一列"},
		{LabourMapping{Columns: []string{LFName, LFIDNumber, LFHome, LFHomeTown}}, ListWorkers, "请只保留一种写法"},
		{LabourMapping{Columns: []string{LFName, LFIDNumber, LFWishPay}}, ListWorkers, "没有“wish_pay”这一列"},
		{LabourMapping{Columns: []string{LFEmployer, LFPost, LFWanted}}, ListJobs, ""},
		{LabourMapping{Columns: []string{LFEmployer, LFPost, LFWanted}}, "lists", "没有“lists”这个清单"},
	}
	for _, tt := range tests {
		err := tt.m.Check(tt.l)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v.Check(%s) = %v, want nil", tt.m.Columns, tt.l, err)
		case tt.want != "" && (err == nil || !strings.Contains(ErrorMessage(err), tt.want) || ErrorCode(err) != EINVALID):
			t.Errorf("%v.Check(%s) = %v, want EINVALID with %q", tt.m.Columns, tt.l, err, tt.want)
		}
	}
}
