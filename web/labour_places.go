package web

import (
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/division"
	"xiezuo/sqldb"
)

// Places in words on the labour pages: a place code shown by its name, a place typed by its
// name resolved to its code (package division), the towns of the partner regions for the
// list's filter.

// labourPlaceName is the full name of a division code (北京市昌平区), the code itself when the
// register does not know it (a code that no longer exists is not refused).
func labourPlaceName(code string) string {
	if code == "" {
		return ""
	}
	d, ok := division.Lookup(division.Code(code))
	if !ok {
		return code
	}
	return d.FullName()
}

// labourResolvePlace reads a place as typed: a division code (6, 9 or 12 digits) or a county's
// name (北京市昌平区, 武川县); the code, or the problem in words.
func labourResolvePlace(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "请填写工作地，如 北京市昌平区、武川县，或行政区划代码 110114"
	}
	if placeCode.MatchString(s) {
		return s, ""
	}
	found, err := division.FindCounty(s)
	switch {
	case err != nil || len(found) == 0:
		return "", "找不到工作地“" + s + "”：请写区县全称，可在前面加省、市名，如 北京市昌平区、内蒙古武川县，或填行政区划代码"
	case len(found) > 1:
		var names []string
		for _, d := range found {
			names = append(names, d.FullName())
		}
		return "", "“" + s + "”有 " + strconv.Itoa(len(found)) + " 个区县（" + strings.Join(names, "、") + "），请加上省、市名"
	}
	return string(found[0].Code), ""
}

// labourTown is a town of a partner region's county, for the list's filter.
type labourTown struct{ Code, Name string }

// labourTowns are the towns of the counties of the regions named (内蒙古武川县 …), each named
// with its county (武川县哈乐镇).
func labourTowns(regions []string) []labourTown {
	var out []labourTown
	for _, r := range regions {
		counties, err := division.FindCounty(r)
		if err != nil || len(counties) != 1 {
			continue
		}
		for _, t := range division.Children(counties[0].Code) {
			out = append(out, labourTown{string(t.Code), counties[0].Name + t.Name})
		}
	}
	return out
}

// labourTownCode reads the town filter as typed: a code as it is; a name (哈乐镇, 武川县哈乐镇)
// the code of the one town of the regions it names, "" when none or several do.
func labourTownCode(typed string, towns []labourTown) string {
	typed = strings.TrimSpace(typed)
	if typed == "" || placeCode.MatchString(typed) {
		return typed
	}
	code := ""
	for _, t := range towns {
		if t.Name == typed || strings.HasSuffix(t.Name, typed) {
			if code != "" && code != t.Code {
				return "-" // several: nothing matches until the county is said
			}
			code = t.Code
		}
	}
	if code == "" {
		return "-"
	}
	return code
}

// labourTownFilter resolves the filter's town as typed (kept in the links) to its code.
func labourTownFilter(ld *labourData, f *sqldb.LabourFilter) (typed string, towns []labourTown) {
	typed = f.Town
	if f.List == xiezuo.ListJobs {
		return typed, nil
	}
	towns = labourTowns(labourRegionOptions(ld))
	f.Town = labourTownCode(typed, towns)
	return typed, towns
}

// labourPlaceInput is a place code as a form shows it to be typed again: its name when the name
// reads back to the code (a county), else the code.
func labourPlaceInput(code string) string {
	name := labourPlaceName(code)
	if c, problem := labourResolvePlace(name); problem == "" && c == code {
		return name
	}
	return code
}
