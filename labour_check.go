package xiezuo

// LabourCheck is what checking a row needs besides the row: today (no birth or start in the
// future), the plan's partner regions (to tell the region of a home) and the year.
type LabourCheck struct {
	Today   Date
	Regions []PartnerRegion
	// Place finds a place as a list writes it — a division code, a full name (内蒙古自治区呼和浩特市
	// 武川县可可以力更镇), or the county, town and village columns — in the register of divisions
	// (package division, which the root cannot import): its most precise code and its name, or
	// why not (「“户籍地”：找不到“XX乡”，武川县的乡镇有…」). Nil: places are not resolved.
	Place func(county, town, village string) (code, name, problem string)
	// RegionOf is the partner region (of Regions) a division code lies in, "" when none.
	RegionOf func(code string) string
}

// CheckLabourRow reads the cells of one data row of list l under mapping m into a record, or
// says why it cannot: every problem of the row, each naming the column's label (「“身份证号”：
// 校验位不符，应为X」, 「“身份证号”：被Excel转成了数字（5.22624E+17），后几位已经丢失」). An empty
// row gives a zero record and no problem (the caller passes over it). Messages never hold a
// whole ID number or phone (masked).
func CheckLabourRow(l LabourList, m LabourMapping, cells []string, c LabourCheck) (LabourRecord, []string) {
	return LabourRecord{}, []string{"未实现"}
}

// NormalizeIDNumber returns the ID number (GB 11643-1999) in its normal form (spaces removed,
// lowercase x uppercased) and "" when it is valid, else the reason in words (「应为18位」,
// 「校验位不符」, 「出生日期2019-02-30不存在」, 「被Excel转成了数字…」). today bounds the birth date.
func NormalizeIDNumber(s string, today Date) (string, string) {
	return "", "未实现"
}
