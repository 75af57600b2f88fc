package xiezuo

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var regPlan = &Plan{Year: 2021, District: "门头沟区",
	Regions: []PartnerRegion{{Name: "内蒙古武川县"}, {Name: "内蒙古察右前旗"}, {Name: "湖北省神农架林区"}},
	Teams:   []WorkTeam{{Name: "教育帮扶专班"}, {Name: "劳务协作专班"}},
	Units:   []Unit{{Name: "妙峰山镇", Kind: KindTown}},
}

var regToday = Date{2021, 8, 28}

func spec(t *testing.T, k RegisterKind) RegisterSpec {
	t.Helper()
	s, ok := RegisterSpecOf(k)
	if !ok {
		t.Fatalf("no spec %s", k)
	}
	return s
}

func TestValidCreditCodeRoot(t *testing.T) {
	for in, want := range map[string]bool{
		"91350100M000100Y43": true, "91350100M000100Y44": false, "91350100m000100Y43": false,
		"91350100M000100Y4": false, "91350100I000100Y43": false, "": false,
	} {
		if got := ValidCreditCode(in); got != want {
			t.Errorf("ValidCreditCode(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseFieldDate(t *testing.T) {
	for in, want := range map[string]string{
		"2021-06-30": "2021-06-30", "2021/6/30": "2021-06-30", "2021.6.30": "2021-06-30", "2021年6月30日": "2021-06-30",
		"2021-6-3": "2021-06-03", "44377": "", "44377.5": "",
		"2021-13-01": "", "2021-02-30": "", "12": "", "abc": "", "30/6/2021": "",
	} {
		d, ok := ParseFieldDate(in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != want {
			t.Errorf("ParseFieldDate(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"44377": "2021-06-30", "44377.5": "2021-06-30", "44440": "2021-09-01", "12": "", "1e5": "", "2021-06-30": ""} {
		d, ok := ExcelSerialDate(in)
		got := ""
		if ok {
			got = d.String()
		}
		if got != want {
			t.Errorf("ExcelSerialDate(%q) = %q, want %q", in, got, want)
		}
	}
	s := RegisterSpec{Title: "t", Fields: []RegisterField{{Key: "date", Label: "会议日期", Kind: FieldDate}}}
	if _, probs := CheckEntry(s, nil, map[string]string{"date": "44440"}, regToday); len(probs) != 1 ||
		!strings.Contains(probs[0].Message, "“会议日期”：44440 是一串数字，不是日期") {
		t.Errorf("digits typed as a date: %v", probs)
	}
}

// TestCheckEntryFields checks every field kind: what it accepts, its normal form, and the words
// of a refusal.
func TestCheckEntryFields(t *testing.T) {
	tests := []struct {
		kind      RegisterKind
		key, in   string
		want      string // the stored value; "" when refused
		wantProbe string // a part of the message when refused
	}{
		{RegMeeting, "date", "2021/6/30", "2021-06-30", ""},
		{RegMeeting, "date", "2021年6月30日", "2021-06-30", ""},
		{RegMeeting, "date", "44377", "", "44377 是一串数字，不是日期"}, // a serial only from a numeric cell (the workbook reader)
		{RegMeeting, "date", "2021-13-01", "", "“会议日期”：2021-13-01 不是日期"},
		{RegMeeting, "date", "2021-09-01", "", "晚于今天"},
		{RegMeeting, "date", "1921-07-01", "", "早于 2016-01-01"},
		{RegPersonnel, "to", "2023-06-30", "2023-06-30", ""}, // a term's end may be ahead
		{RegMeeting, "kind", " 联席会议 ", "联席会议", ""},
		{RegMeeting, "kind", "座谈会", "", "可选：区委书记或区长研究部署会"},
		{RegMeeting, "title", "第一次\x00会议", "", "控制字符"},
		{RegMeeting, "title", strings.Repeat("会", 201), "", "最多 200 个字"},
		{RegMeeting, "topics", strings.Repeat("会", 4000), strings.Repeat("会", 4000), ""},
		{RegMeeting, "unit", "区科信局", "区科技和信息化局", ""},
		{RegMeeting, "unit", "妙峰山镇", "妙峰山镇", ""},
		{RegMeeting, "unit", "各镇街", "", "统称"},
		{RegMeeting, "unit", "区财务局", "", "是否指：区财政局"},
		{RegMeeting, "region", "武川县", "内蒙古武川县", ""},
		{RegMeeting, "region", "内蒙古", "", "可选：内蒙古武川县、内蒙古察右前旗"},
		{RegMeeting, "region", "河北省", "", "不是2021年计划的协作地区"},
		{RegMeeting, "region", "县", "", "不是2021年计划的协作地区"}, // one character names no region
		{RegMeeting, "region", "旗", "", "不是2021年计划的协作地区"},
		{RegMeeting, "region", "湖北省", "湖北省神农架林区", ""},
		{RegMeeting, "region", "神农架林区", "湖北省神农架林区", ""},
		{RegArticle, "team", "教育帮扶", "教育帮扶专班", ""},
		{RegArticle, "team", "教育帮扶专班", "教育帮扶专班", ""},
		{RegArticle, "team", "宣传专班", "", "可选：教育帮扶专班、劳务协作专班"},
		{RegVisit, "people", "12", "12", ""},
		{RegVisit, "people", "12人", "12", ""},
		{RegVisit, "people", "0", "0", ""},
		{RegVisit, "people", "-1", "", "不能为负数"},
		{RegVisit, "people", "1.5", "", "不是整数"},
		{RegDonation, "money", "12.5", "12500000", ""},
		{RegDonation, "money", "0.000001", "1", ""},
		{RegDonation, "money", "10.800000000000001", "10800000", ""},
		{RegDonation, "money", "1.2345678", "", "最多 6 位小数"},
		{RegDonation, "money", "-3", "", "不能为负数"},
		{RegDonation, "money", "十万", "", "不是金额"},
		{RegDonation, "money", "1000000", "1000000000000", ""}, // 100 亿元, the most one entry holds
		{RegDonation, "money", "1000000.000001", "", "超过上限"},
		{RegDonation, "money", "999999999999", "", "超过上限"},           // summed ten times, int64 fen overflows
		{RegFirm, "investment", "4000000000000.0000001", "", "超过上限"}, // read through a float
		{RegFirm, "investment", "4000000000000", "", "超过上限"},         // 13 digits, no decimals: the same words
		{RegFirm, "investment", "0004000000000000.5", "", "超过上限"},
		{RegFirm, "code", "91350100m000100y43", "91350100M000100Y43", ""},
		{RegFirm, "code", "91350100M000100Y44", "", "不是有效的统一社会信用代码"},
		{RegPurchase, "period", "2021-06", "2021-06", ""},
		{RegPurchase, "period", "2021-H1", "2021-H1", ""},
		{RegPurchase, "period", "2021", "2021", ""},
		{RegPurchase, "period", "2021-09", "", "还没有开始"},
		{RegPurchase, "period", "2021-6", "", "不是统计期间"},
	}
	for _, tt := range tests {
		s := spec(t, tt.kind)
		f, _ := s.Field(tt.key)
		got, msg := checkField(f, regPlan, tt.in, regToday, HistoryDateFloor(2021))
		if got != tt.want || (tt.wantProbe == "") != (msg == "") || !strings.Contains(msg, tt.wantProbe) {
			t.Errorf("checkField(%s.%s, %q) = %q, %q; want %q, a message with %q", tt.kind, tt.key, tt.in, got, msg, tt.want, tt.wantProbe)
		}
		if msg != "" && !strings.Contains(msg, f.Label) {
			t.Errorf("checkField(%s.%s, %q) message %q does not name the field %s", tt.kind, tt.key, tt.in, msg, f.Label)
		}
	}
}

// TestCheckEntry checks whole entries: required fields, the cross-field rules, and the entry's
// date, unit, region and team.
func TestCheckEntry(t *testing.T) {
	meeting := map[string]string{"kind": "联席会议", "date": "2021-06-30", "title": "东西部协作联席会议", "chair": "张三（区长）", "region": "武川县", "unit": "区支援合作办"}
	e, probs := CheckEntry(spec(t, RegMeeting), regPlan, meeting, regToday)
	if len(probs) > 0 {
		t.Fatalf("CheckEntry(meeting) = %v", probs)
	}
	if e.On != (Date{2021, 6, 30}) || e.Unit != "领导小组办公室" || e.Region != "内蒙古武川县" || e.Team != "" {
		t.Errorf("CheckEntry(meeting) = on %s unit %s region %s team %s", e.On, e.Unit, e.Region, e.Team)
	}
	if _, ok := e.Values["topics"]; ok {
		t.Errorf("a blank field is stored: %v", e.Values)
	}
	purchase := map[string]string{"unit": "区财政局", "period": "2021-H1", "food_total": "100", "via_832": "20", "via_direct": "15"}
	e, probs = CheckEntry(spec(t, RegPurchase), regPlan, purchase, regToday)
	if len(probs) > 0 || e.On != (Date{2021, 6, 30}) {
		t.Fatalf("CheckEntry(purchase) = %v, %v", e.On, probs)
	}
	s := spec(t, RegPurchase)
	if got := s.Value(e, "partner"); got != Known(35_000_000) {
		t.Errorf("partner = %v, want 35万元", got)
	}
	if got := s.Value(e, "via_other"); got.Valid {
		t.Errorf("via_other = %v, want not reported", got)
	}
	tests := []struct {
		name string
		kind RegisterKind
		raw  map[string]string
		want []string // Field: message part
	}{
		{"required", RegMeeting, map[string]string{"kind": "联席会议"}, []string{"date:“会议日期”必须填写", "title:“会议名称”必须填写", "chair:“主持人”必须填写", "unit:“承办单位”必须填写"}},
		{"unknown key", RegMeeting, map[string]string{"kind": "联席会议", "date": "2021-06-30", "title": "会", "chair": "张三", "unit": "区财政局", "colour": "红"}, []string{"colour:没有“colour”这一项"}},
		{"visit ends before it starts", RegVisit, map[string]string{"direction": "赴协作地区", "level": "其他", "leaders": "张三", "region": "武川县", "from": "2021-06-10", "to": "2021-06-01", "unit": "区财政局"},
			[]string{"to:“结束日期”2021-06-01 早于“开始日期”2021-06-10"}},
		{"training ends before it starts", RegTraining, map[string]string{"course": "培训", "region": "武川县", "from": "2021-06-10", "to": "2021-06-01", "unit": "区财政局"}, []string{"to:早于“开始日期”"}},
		{"personnel", RegPersonnel, map[string]string{"direction": "选派到协作地区", "name": "李四", "kind": "教师", "home_unit": "区教委", "region": "武川县", "from": "2021-03-01", "to": "2021-02-01", "left": "2021-01-01", "unit": "区委组织部"},
			[]string{"to:“期满日期”2021-02-01 早于“起始日期”", "left:“实际离岗日期”2021-01-01 早于“起始日期”"}},
		{"deadline before found", RegProblem, map[string]string{"source": "审计", "problem": "问题", "unit": "区财政局", "found": "2021-05-01", "deadline": "2021-04-01", "status": "整改中"},
			[]string{"deadline:“整改时限”2021-04-01 早于“发现日期”"}},
		{"rectified without a date", RegProblem, map[string]string{"source": "审计", "problem": "问题", "unit": "区财政局", "found": "2021-05-01", "deadline": "2021-09-01", "status": "已整改"},
			[]string{"done:须填写“完成日期”"}},
		{"rectified in the future", RegProblem, map[string]string{"source": "审计", "problem": "问题", "unit": "区财政局", "found": "2021-05-01", "deadline": "2021-09-01", "status": "已整改", "done": "2021-09-01"},
			[]string{"done:晚于今天"}},
		{"partner above the total", RegPurchase, map[string]string{"unit": "区财政局", "period": "2021-06", "food_total": "10", "via_832": "8", "via_direct": "3"},
			[]string{"partner:“采购协作地区产品”11万元 超过“采购总额（分母）”10万元"}},
		{"poor jobs above jobs", RegFirm, map[string]string{"name": "某公司", "code": "91350100M000100Y43", "region": "武川县", "date": "2021-06-01", "jobs": "10", "poor_jobs": "12", "unit": "区商务局"},
			[]string{"poor_jobs:“其中脱贫人口”12人 超过“吸纳就业”10人"}},
		{"poor employed above employed", RegPark, map[string]string{"kind": "帮扶车间", "name": "车间", "region": "武川县", "date": "2021-06-01", "employed": "5", "poor_employed": "6", "unit": "区商务局"},
			[]string{"poor_employed:“其中脱贫人口”6人 超过“吸纳就业”5人"}},
	}
	for _, tt := range tests {
		_, probs := CheckEntry(spec(t, tt.kind), regPlan, tt.raw, regToday)
		if len(probs) != len(tt.want) {
			t.Errorf("%s: CheckEntry = %v, want %d problems %v", tt.name, probs, len(tt.want), tt.want)
			continue
		}
		for i, w := range tt.want {
			field, part, _ := strings.Cut(w, ":")
			if probs[i].Field != field || !strings.Contains(probs[i].Message, part) {
				t.Errorf("%s: problem %d = %+v, want field %s with %q", tt.name, i, probs[i], field, part)
			}
		}
	}
	// Both reported only: a partner amount with no total is no contradiction.
	if _, probs := CheckEntry(s, regPlan, map[string]string{"unit": "区财政局", "period": "2021-06", "via_832": "8"}, regToday); len(probs) > 0 {
		t.Errorf("partner without total: %v", probs)
	}
}

// TestTypedRoundTrip checks that a stored entry typed back (a form's values, a workbook's cells)
// reads to the same values.
func TestTypedRoundTrip(t *testing.T) {
	s := spec(t, RegPurchase)
	e, probs := CheckEntry(s, regPlan, map[string]string{"unit": "区财政局", "period": "2021-H1", "food_total": "100.123456", "via_832": "0"}, regToday)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	raw := map[string]string{}
	for _, f := range s.Fields {
		raw[f.Key] = s.Typed(e, f.Key)
	}
	again, probs := CheckEntry(s, regPlan, raw, regToday)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if diff := cmp.Diff(e.Values, again.Values); diff != "" {
		t.Errorf("typed back (-first +again):\n%s", diff)
	}
}

func TestRegisterFilter(t *testing.T) {
	f, err := ParseRegisterFilter(url.Values{"unit": {"区科信局"}, "from": {"2021/1/1"}, "to": {"2021-06-30"}, "q": {"联席"}}, regToday)
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"unit": {"区科技和信息化局"}, "from": {"2021-01-01"}, "to": {"2021-06-30"}, "q": {"联席"}}
	if diff := cmp.Diff(want, f.Values()); diff != "" {
		t.Errorf("Values (-want +got):\n%s", diff)
	}
	again, _ := ParseRegisterFilter(f.Values(), regToday)
	if again != f {
		t.Errorf("ParseRegisterFilter(Values()) = %+v, want %+v", again, f)
	}
	in := RegisterEntry{Unit: "区科技和信息化局", On: Date{2021, 6, 30}, Values: map[string]string{"title": "东西部协作联席会议"}}
	if !f.Match(in) {
		t.Errorf("Match(%+v) = false", in)
	}
	for _, out := range []RegisterEntry{
		{Unit: "区财政局", On: Date{2021, 6, 30}, Values: map[string]string{"title": "联席会议"}},
		{Unit: "区科技和信息化局", On: Date{2021, 7, 1}, Values: map[string]string{"title": "联席会议"}},
		{Unit: "区科技和信息化局", On: Date{2021, 6, 1}, Values: map[string]string{"title": "专班会议"}},
	} {
		if f.Match(out) {
			t.Errorf("Match(%+v) = true", out)
		}
	}
	for _, bad := range []url.Values{{"from": {"2021-13-01"}}, {"as_of": {"2021-09-01"}}, {"from": {"2021-07-01"}, "to": {"2021-06-01"}}, {"unit": {"a\x00"}}} {
		if _, err := ParseRegisterFilter(bad, regToday); ErrorCode(err) != EINVALID {
			t.Errorf("ParseRegisterFilter(%v) = %v, want EINVALID", bad, err)
		}
	}
}

func TestRollupRegister(t *testing.T) {
	s := spec(t, RegDonation)
	entries := []RegisterEntry{
		{Values: map[string]string{"money": "10000000", "goods": "0"}},
		{Values: map[string]string{"money": "5000000"}},
		{Values: map[string]string{}},
	}
	got := RollupRegister(s, entries)
	want := RegisterRollup{Count: 3, Sums: []RegisterSum{
		{Key: "money", Label: "捐款", Unit: "万元", Amount: true, Sum: 15000000, Reported: 2, Missing: 1},
		{Key: "goods", Label: "捐物折价", Unit: "万元", Amount: true, Sum: 0, Reported: 1, Missing: 2},
		{Key: "total", Label: "捐赠合计", Unit: "万元", Amount: true, Sum: 15000000, Reported: 2, Missing: 1},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RollupRegister (-want +got):\n%s", diff)
	}
	if got := got.Sums[0].Text(); got != "15万元（未报 1 条）" {
		t.Errorf("Text = %q", got)
	}
	if got := (RegisterSum{Missing: 3}).Text(); !strings.Contains(got, "未报") {
		t.Errorf("Text of nothing reported = %q", got)
	}
}

func TestRegisterWriteRefusal(t *testing.T) {
	s := spec(t, RegMeeting)
	art := spec(t, RegArticle)
	pol := spec(t, RegPolicy)
	plan := &Plan{Year: 2021, Teams: []WorkTeam{{Name: "教育帮扶专班", Leads: []string{"区教委"}}, {Name: "科技帮扶专班", Leads: []string{"区科技和信息化局"}},
		{Name: "产业合作专班", Leads: []string{"区科技和信息化局", "区商务局"}}}}
	own := RegisterEntry{Unit: "区财政局", Region: "内蒙古武川县"}
	other := RegisterEntry{Unit: "区教委", Region: "湖北省神农架林区"}
	cadre := User{District: "门头沟区", Unit: "前方挂职干部", Roles: []string{RoleCadre}, Regions: []string{"内蒙古武川县"}}
	kexin := User{District: "门头沟区", Unit: "区科技和信息化局", Roles: []string{RoleUnit, RoleTeamLead}}
	office := User{District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleOffice}}
	caizheng := User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}
	article := func(unit, team string) RegisterEntry { return RegisterEntry{Unit: unit, Team: team} }
	tests := []struct {
		name  string
		u     User
		spec  RegisterSpec
		e     RegisterEntry
		ok    bool
		field string
		msg   string
	}{
		{"office", office, s, other, true, "", ""},
		{"unit own", caizheng, s, own, true, "", ""},
		{"unit other", caizheng, s, other, false, "unit", "承办单位是区教委：区财政局只能登记和修改本单位的记录"},
		{"team lead own", User{District: "门头沟区", Unit: "区教委", Roles: []string{RoleTeamLead}}, s, other, true, "", ""},
		{"cadre region", cadre, s, RegisterEntry{Unit: "前方挂职干部", Region: "内蒙古武川县"}, true, "", ""},
		{"cadre other region", cadre, s, RegisterEntry{Unit: "前方挂职干部", Region: "湖北省神农架林区"}, false, "region",
			"这条“会议”记录的协作地区是湖北省神农架林区，您负责的地区是内蒙古武川县：前方挂职干部只能登记本地区的记录"},
		{"cadre no region", cadre, s, RegisterEntry{Unit: "前方挂职干部"}, false, "region", "这条“会议”记录没有填写“协作地区”：前方挂职干部登记的记录须选择您负责的地区（内蒙古武川县）"},
		{"cadre another unit", cadre, s, RegisterEntry{Unit: "区教委", Region: "内蒙古武川县"}, false, "unit", "承办单位应为前方挂职干部"},
		{"cadre register without region", cadre, pol, RegisterEntry{Unit: "前方挂职干部"}, false, "", "“政策文件”台账没有协作地区"},
		{"cadre any team", cadre, art, RegisterEntry{Unit: "前方挂职干部", Region: "内蒙古武川县", Team: "教育帮扶专班"}, true, "", ""},
		{"team lead its team", kexin, art, article("区科技和信息化局", "科技帮扶专班"), true, "", ""},
		{"team lead its second team", kexin, art, article("区科技和信息化局", "产业合作专班"), true, "", ""},
		{"team lead another team", kexin, art, article("区科技和信息化局", "教育帮扶专班"), false, "team",
			"这条“信息和典型案例”记录的工作专班是教育帮扶专班：区科技和信息化局牵头的是科技帮扶专班、产业合作专班"},
		{"unit leading no team", caizheng, art, article("区财政局", "教育帮扶专班"), true, "", ""},
		{"office any team", office, art, article("区教委", "教育帮扶专班"), true, "", ""},
		{"leader", User{District: "门头沟区", Roles: []string{RoleLeader}}, s, own, false, "", "区领导只查看"},
		{"city", User{District: "北京市", Roles: []string{RoleCityOffice}}, s, own, false, "", "市级办公室"},
		{"other district office", User{District: "房山区", Roles: []string{RoleOffice}}, s, own, false, "", "本区（房山区）"},
		{"admin", User{District: "门头沟区", Roles: []string{RoleSysAdmin}}, s, own, false, "", "三员分立"},
	}
	for _, tt := range tests {
		err := RegisterWriteRefusal(&tt.u, "门头沟区", plan, tt.spec, tt.e)
		if (err == nil) != tt.ok || (err != nil && (ErrorCode(err) != EFORBIDDEN || !strings.Contains(err.Error(), tt.msg))) {
			t.Errorf("%s: RegisterWriteRefusal = %v, want ok %v with %q", tt.name, err, tt.ok, tt.msg)
		}
		if f := RegisterRefusalField(&tt.u, "门头沟区", plan, tt.spec, tt.e); f != tt.field {
			t.Errorf("%s: RegisterRefusalField = %q, want %q", tt.name, f, tt.field)
		}
	}
	if got := RegisterTeamsOf(&kexin, plan); !slices.Equal(got, []string{"科技帮扶专班", "产业合作专班"}) {
		t.Errorf("RegisterTeamsOf(kexin) = %v", got)
	}
	if got := RegisterTeamsOf(&office, plan); got != nil {
		t.Errorf("RegisterTeamsOf(office) = %v, want any", got)
	}
}

func TestRotationWarnings(t *testing.T) {
	person := func(entry int64, name, kind, region, from, to, left string) RegisterEntry {
		v := map[string]string{"direction": "选派到协作地区", "name": name, "kind": kind, "region": region, "from": from, "to": to}
		if left != "" {
			v["left"] = left
		}
		return RegisterEntry{ID: entry, Entry: entry, Kind: RegPersonnel, Values: v}
	}
	entries := []RegisterEntry{
		person(1, "张三", "教师", "内蒙古武川县", "2020-09-01", "2021-09-30", ""),               // 33 days, no successor
		person(2, "李四", "医生", "内蒙古武川县", "2020-09-01", "2021-09-15", ""),               // succeeded by 3
		person(3, "王五", "医生", "内蒙古武川县", "2021-10-10", "2022-09-30", ""),               // starts 25 days after
		person(4, "赵六", "党政干部", "湖北省神农架林区", "2019-07-01", "2021-07-31", ""),           // past, not left
		person(5, "钱七", "党政干部", "湖北省神农架林区", "2019-07-01", "2021-07-31", "2021-07-31"), // left
		person(6, "孙八", "教师", "湖北省神农架林区", "2021-01-01", "2021-12-31", ""),             // beyond 60 days
		person(7, "周九", "教师", "内蒙古察右前旗", "2020-09-01", "2021-09-30", ""),              // another region: no successor of 1
		person(8, "吴十", "护士", "内蒙古察右前旗", "2020-09-01", "2021-10-01", ""),              // successor too late below
		person(9, "郑一", "护士", "内蒙古察右前旗", "2021-11-15", "2022-10-01", ""),
	}
	entries = append(entries, RegisterEntry{ID: 10, Entry: 10, Kind: RegPersonnel, Values: map[string]string{"direction": "协作地区来京", "name": "来京", "kind": "教师", "region": "内蒙古武川县", "from": "2021-01-01", "to": "2021-09-01"}})
	got := RotationWarnings(entries, regToday, 0)
	var names []string
	for _, w := range got {
		names = append(names, w.Name)
	}
	if diff := cmp.Diff([]string{"赵六", "张三", "周九", "吴十"}, names); diff != "" {
		t.Errorf("RotationWarnings (-want +got):\n%s", diff)
	}
	if len(got) == 4 {
		if !got[0].Overdue || !strings.Contains(got[0].Text, "赵六（党政干部，湖北省神农架林区）挂职已于 2021-07-31 期满") {
			t.Errorf("overdue warning = %+v", got[0])
		}
		if !strings.Contains(got[1].Text, "张三（教师，内蒙古武川县）挂职将于 2021-09-30 期满（还有 33 天），尚无接替人员") {
			t.Errorf("warning = %q", got[1].Text)
		}
	}
	if got := RotationWarnings(entries, regToday, 20); len(got) != 1 {
		t.Errorf("RotationWarnings(20 days) = %v, want only the overdue one", got)
	}
}
