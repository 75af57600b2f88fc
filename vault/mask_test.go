package vault

import "testing"

func TestMask(t *testing.T) {
	tests := []struct {
		name string
		mask func(string) string
		in   string
		want string
	}{
		{"MaskID", MaskID, "110105194912310020", "110***********0020"},
		{"MaskID", MaskID, "11010519491231002X", "110***********002X"},
		{"MaskID", MaskID, "11010519491231002x", "110***********002x"},
		{"MaskID", MaskID, "110105491231002", "110*********002"}, // first generation, 15 digits
		{"MaskID", MaskID, "1101051949123100", "**************00"},
		{"MaskID", MaskID, "11010519491231002Y", "****************2Y"},
		{"MaskID", MaskID, "A12345678", "*******78"},
		{"MaskID", MaskID, "１１０１０５１９４９１２３１００２Ｘ", "****************２Ｘ"},
		{"MaskID", MaskID, "abc", "**c"},
		{"MaskID", MaskID, "12", "*2"},
		{"MaskID", MaskID, "1", "*"},
		{"MaskID", MaskID, "", ""},

		{"MaskPhone", MaskPhone, "13812341234", "138****1234"},
		{"MaskPhone", MaskPhone, "+86 138-1234-1234", "138****1234"},
		{"MaskPhone", MaskPhone, "010-12345678", "**********78"},
		{"MaskPhone", MaskPhone, "12345", "***45"},
		{"MaskPhone", MaskPhone, "1", "*"},
		{"MaskPhone", MaskPhone, "", ""},

		{"MaskName", MaskName, "张三", "张*"},
		{"MaskName", MaskName, "欧阳修", "欧**"},
		{"MaskName", MaskName, "买买提·艾力", "买*****"},
		{"MaskName", MaskName, "李", "*"},
		{"MaskName", MaskName, "Li Lei", "L*****"},
		{"MaskName", MaskName, "\xff\xfe", "**"},
		{"MaskName", MaskName, "", ""},

		{"MaskNumbersInText", MaskNumbersInText, "李经理 13911112222", "李经理 139****2222"},
		{"MaskNumbersInText", MaskNumbersInText, "李经理13911112222电话确认", "李经理139****2222电话确认"},
		{"MaskNumbersInText", MaskNumbersInText, "电话 139-1111-2222，身份证110105194912310020", "电话 139****2222，身份证110***********0020"},
		{"MaskNumbersInText", MaskNumbersInText, "139 1111 2222", "139****2222"},
		{"MaskNumbersInText", MaskNumbersInText, "证号11010519491231002X或110105491231002", "证号110***********002X或110*********002"},
		{"MaskNumbersInText", MaskNumbersInText, "2021-09-15 月薪5000元，工号12345678901234567890", "2021-09-15 月薪5000元，工号12345678901234567890"},
		{"MaskNumbersInText", MaskNumbersInText, "座机 01012345678", "座机 *********78"},
		{"MaskNumbersInText", MaskNumbersInText, "", ""},

		{"MaskOther", MaskOther, "6222021234567890", "**************90"},
		{"MaskOther", MaskOther, "北京市东城区", "****城区"},
		{"MaskOther", MaskOther, "abcd", "**cd"},
		{"MaskOther", MaskOther, "abc", "**c"},
		{"MaskOther", MaskOther, "ab", "*b"},
		{"MaskOther", MaskOther, "a", "*"},
		{"MaskOther", MaskOther, "", ""},
	}
	for _, tt := range tests {
		if got := tt.mask(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
