package xiezuo

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func pubAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPublicationAt(t *testing.T) {
	pubs := []Publication{
		{ProjectID: 1, Published: true, At: pubAt("2021-07-01 09:00")},
		{ProjectID: 1, Published: false, At: pubAt("2021-08-01 09:00")},
		{ProjectID: 1, Published: true, At: pubAt("2021-08-10 09:00")},
	}
	tests := []struct {
		name string
		pubs []Publication
		at   time.Time
		want PublicationState
	}{
		{"never", nil, pubAt("2021-09-01 00:00"), PublicationState{}},
		{"before the first", pubs, pubAt("2021-06-30 23:59"), PublicationState{}},
		{"at the first", pubs, pubAt("2021-07-01 09:00"), PublicationState{Published: true, Since: pubAt("2021-07-01 09:00"), First: pubAt("2021-07-01 09:00")}},
		{"withdrawn", pubs, pubAt("2021-08-05 00:00"), PublicationState{Since: pubAt("2021-08-01 09:00"), First: pubAt("2021-07-01 09:00"), Withdrawn: pubAt("2021-08-01 09:00")}},
		{"published again", pubs, pubAt("2021-09-01 00:00"), PublicationState{Published: true, Since: pubAt("2021-08-10 09:00"), First: pubAt("2021-07-01 09:00"), Withdrawn: pubAt("2021-08-01 09:00")}},
		{"a repeat keeps the first date", []Publication{
			{Published: true, At: pubAt("2021-07-01 09:00")}, {Published: true, At: pubAt("2021-07-02 09:00")},
		}, pubAt("2021-09-01 00:00"), PublicationState{Published: true, Since: pubAt("2021-07-01 09:00"), First: pubAt("2021-07-01 09:00")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PublicationAt(tt.pubs, tt.at)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("PublicationAt() mismatch (-want +got):\n%s", diff)
			}
			if PublishedAt(tt.pubs, tt.at) != tt.want.Published {
				t.Errorf("PublishedAt() = %v, want %v", !tt.want.Published, tt.want.Published)
			}
		})
	}
}

func TestPublicationChange(t *testing.T) {
	on := []Publication{{Published: true, At: pubAt("2021-07-01 09:00")}}
	off := append(on[:1:1], Publication{Published: false, At: pubAt("2021-07-02 09:00")})
	now := pubAt("2021-08-01 00:00")
	tests := []struct {
		name    string
		pubs    []Publication
		publish bool
		want    string // error code, "" for none
	}{
		{"publish a new one", nil, true, ""},
		{"withdraw a new one", nil, false, ECONFLICT},
		{"publish again", on, true, ECONFLICT},
		{"withdraw", on, false, ""},
		{"withdraw again", off, false, ECONFLICT},
		{"publish after withdrawing", off, true, ""},
	}
	for _, tt := range tests {
		err := PublicationChange("饮水工程", tt.pubs, tt.publish, now)
		if got := ErrorCode(err); (err == nil) != (tt.want == "") || (err != nil && got != tt.want) {
			t.Errorf("%s: PublicationChange() = %v, want code %q", tt.name, err, tt.want)
		}
	}
}

func TestCanPublish(t *testing.T) {
	tests := []struct {
		u    User
		want bool
	}{
		{User{District: "门头沟区", Roles: []string{RoleOffice}}, true},
		{User{District: "房山区", Roles: []string{RoleOffice}}, false},
		{User{District: "门头沟区", Roles: []string{RoleLeader}}, false},
		{User{District: "门头沟区", Roles: []string{RoleUnit}, Unit: "区财政局"}, false},
		{User{District: "门头沟区", Roles: []string{RoleCadre}, Regions: []string{"内蒙古武川县"}}, false},
		{User{District: "北京市", Roles: []string{RoleCityOffice}}, false},
		{User{District: "门头沟区", Roles: []string{RoleSysAdmin}}, false},
	}
	for _, tt := range tests {
		if got := tt.u.CanPublish("门头沟区"); got != tt.want {
			t.Errorf("User%v.CanPublish(门头沟区) = %v, want %v", tt.u.Roles, got, tt.want)
		}
	}
}

func TestCheckPlanSetting(t *testing.T) {
	tests := []struct {
		name, value string
		ok          bool
	}{
		{SettingComplaintPhone, "010-69842345", true},
		{SettingComplaintPhone, "12345", true},
		{SettingComplaintPhone, "（010）6984 2345转801", true},
		{SettingComplaintPhone, "", true},
		{SettingComplaintPhone, "请拨打办公室", false},
		{SettingComplaintPhone, "123", false},
		{SettingComplaintPhone, "010-1234567890123456789", false},
		{"", "x", false},
		{"industrial_start_by", "2021-09-30", true},
		{"industrial_start_by", "2022-03-31", true},
		{"industrial_start_by", "2019-09-30", false},
		{"industrial_start_by", "9月30日", false},
	}
	for _, tt := range tests {
		err := CheckPlanSetting(tt.name, tt.value, 2021)
		if (err == nil) != tt.ok {
			t.Errorf("CheckPlanSetting(%q, %q) = %v, want ok %v", tt.name, tt.value, err, tt.ok)
		}
	}
}

func TestStripPersonal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"修建蓄水池 2 座", "修建蓄水池 2 座"},
		{"负责人张三 13812345678", "负责人张三 ［号码已隐去］"},
		{"电话 +86 138-1234-5678 联系", "电话 ［号码已隐去］ 联系"},
		{"身份证11010519491231002X", "身份证［号码已隐去］"},
		{"旧证 110105491231002", "旧证 ［号码已隐去］"},
		{"总投资 1500 万元，2021年6月开工", "总投资 1500 万元，2021年6月开工"},
		{"监督电话 010-69842345", "监督电话 010-69842345"},
		// Typed with a Chinese input method in full-width mode, or grouped as people write them.
		{"联系人李四１３８１２３４５６７８", "联系人李四［号码已隐去］"},
		{"电话＋８６ １３８－１２３４－５６７８", "电话［号码已隐去］"},
		{"手机 138.1234.5678", "手机 ［号码已隐去］"},
		{"身份证１１０１０５１９４９１２３１００２Ｘ", "身份证［号码已隐去］"},
		{"身份证 110105 19491231 002X 号", "身份证 ［号码已隐去］ 号"},
		{"修建蓄水池２座", "修建蓄水池２座"},
	}
	for _, tt := range tests {
		if got := StripPersonal(tt.in); got != tt.want {
			t.Errorf("StripPersonal(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPublicNotice(t *testing.T) {
	p := Project{ID: 7, Region: "内蒙古武川县", Category: "产业合作类", Name: "肉牛养殖基地", Nature: "新建",
		Content: "建设牛舍 2 栋，联系人 13900001111", DistrictFund: Num{V: 3_000_000_00, Valid: true},
		Villages: Num{V: 3, Valid: true}, People: Num{V: 120, Valid: true}, Implementer: "武川县农牧局",
		Managers: "王五 13712345678", Period: Period{Text: "2021年6月-2021年11月"}}
	at := pubAt("2021-09-15 12:00")
	villages := []ProjectVillage{
		{ProjectID: 7, Code: "150125100201", Name: "甲村", At: pubAt("2021-07-01 09:00")},
		{ProjectID: 7, Code: "150125100202", Name: "乙村", At: pubAt("2021-07-01 09:00")},
		{ProjectID: 7, Code: "", Name: "丙村", At: pubAt("2021-07-01 09:00")},
		{ProjectID: 7, Code: "150125100202", Name: "乙村", Removed: true, At: pubAt("2021-08-01 09:00")},
		{ProjectID: 7, Code: "150125100203", Name: "丁村", At: pubAt("2021-10-01 09:00")}, // after the day
		{ProjectID: 8, Code: "150125100204", Name: "戊村", At: pubAt("2021-07-01 09:00")}, // another project
	}
	txs := []FundTx{
		{ProjectID: 7, Kind: FundAllocation, Amount: 3_000_000_00, On: Date{2021, 6, 1}},
		{ProjectID: 7, Kind: FundDisbursement, Amount: 1_000_000_00, On: Date{2021, 7, 1}},
		{ID: 3, ProjectID: 7, Kind: FundDisbursement, Amount: 50_000_00, On: Date{2021, 8, 1}},
		{ProjectID: 7, Kind: FundDisbursement, Amount: -50_000_00, On: Date{2021, 8, 2}, Reverses: 3},
		{ProjectID: 7, Kind: FundDisbursement, Amount: 20_000_00, On: Date{2021, 9, 16}}, // after the day
		{ProjectID: 7, Kind: FundExpenditure, Amount: 10_000_00, On: Date{2021, 8, 1}},
	}
	st := PublicationState{Published: true, Since: pubAt("2021-07-01 10:00")}
	got := PublicNotice(p, villages, txs, " 010-69842345 ", st, at)
	want := Disclosure{ProjectID: 7, Name: "肉牛养殖基地", Region: "内蒙古武川县", Category: "产业合作类", Nature: "新建",
		Villages: []string{"甲村", "丙村"}, Content: "建设牛舍 2 栋，联系人 ［号码已隐去］",
		DistrictFund: Num{V: 3_000_000_00, Valid: true}, Disbursed: Num{V: 1_000_000_00, Valid: true},
		VillageCount: Num{V: 2, Valid: true}, People: Num{V: 120, Valid: true}, Implementer: "武川县农牧局",
		Period: "2021年6月-2021年11月", ComplaintPhone: "010-69842345", Published: pubAt("2021-07-01 10:00")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PublicNotice() mismatch (-want +got):\n%s", diff)
	}

	// Nothing recorded: the plan's figures, and disbursement unknown rather than zero.
	got = PublicNotice(p, nil, nil, "", st, at)
	if got.VillageCount != p.Villages || got.Disbursed.Valid || len(got.Villages) != 0 {
		t.Errorf("PublicNotice(no facts) = villages %v %v, disbursed %v; want the plan's 3, none, unknown", got.VillageCount, got.Villages, got.Disbursed)
	}
}
