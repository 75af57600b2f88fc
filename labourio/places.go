package labourio

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"xiezuo"
	"xiezuo/division"
)

// maxPlaceCache bounds the resolutions Places keeps; the cache is emptied when full.
const maxPlaceCache = 50_000

// placeResult is a resolution of a place.
type placeResult struct {
	code, name, problem string
}

// Places returns the place and region functions of xiezuo.LabourCheck, built on the register of
// divisions: place reads a division code, a full name (内蒙古自治区呼和浩特市武川县可可以力更镇
// 东官井村) or the county, town and village columns, down to the most precise level it finds
// (a village the register lacks is not a problem: villages merge every year, the town is kept,
// its name followed by the typed village in brackets: …可可以力更镇（填写的“东官井村”不在区划库中）);
// regionOf says which of regions (by their names, 内蒙古武川县) a code lies in. Resolutions are
// cached, so a million rows from a few thousand villages cost a few thousand look-ups. Both are
// safe for concurrent use.
func Places(regions []xiezuo.PartnerRegion) (place func(county, town, village string) (code, name, problem string), regionOf func(code string) string) {
	type regionCode struct{ code, name string }
	var rc []regionCode
	for _, r := range regions {
		if ds, err := division.FindCounty(r.Name); err == nil && len(ds) == 1 {
			rc = append(rc, regionCode{string(ds[0].Code), r.Name})
		}
	}
	regionOf = func(code string) string {
		for _, r := range rc {
			if strings.HasPrefix(code, r.code) {
				return r.name
			}
		}
		return ""
	}
	var mu sync.Mutex
	cache := map[string]placeResult{}
	place = func(county, town, village string) (string, string, string) {
		key := county + "\x1f" + town + "\x1f" + village
		mu.Lock()
		r, ok := cache[key]
		mu.Unlock()
		if ok {
			return r.code, r.name, r.problem
		}
		r = resolve(strings.TrimSpace(county), strings.TrimSpace(town), strings.TrimSpace(village))
		mu.Lock()
		if len(cache) >= maxPlaceCache {
			clear(cache)
		}
		cache[key] = r
		mu.Unlock()
		return r.code, r.name, r.problem
	}
	return place, regionOf
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// resolve finds a place in the register.
func resolve(county, town, village string) placeResult {
	if town == "" && village == "" && allDigits(county) {
		return byCode(county)
	}
	if town == "" && village == "" {
		return byFullName(county)
	}
	if county == "" {
		return placeResult{problem: "未填写县（区）"}
	}
	c, pr := findCounty(county)
	if pr.problem != "" {
		return pr
	}
	return below(c, town, village)
}

// byCode reads a division code of 6, 9 or 12 digits (or padded to 12); a code the register
// lacks is read to its nearest known parent, a county the register lacks (abolished) refused.
func byCode(s string) placeResult {
	if d, ok := division.Lookup(division.Code(s)); ok {
		return placeResult{code: string(d.Code), name: d.FullName()}
	}
	for _, n := range []int{9, 6} {
		if len(s) > n {
			if d, ok := division.Lookup(division.Code(s[:n])); ok {
				return placeResult{code: string(d.Code), name: d.FullName()}
			}
		}
	}
	return placeResult{problem: fmt.Sprintf("行政区划代码 %s 不存在", s)}
}

// findCounty resolves a county's name, refusing one several counties share.
func findCounty(name string) (division.Division, placeResult) {
	ds, err := division.FindCounty(name)
	if err != nil {
		return division.Division{}, placeResult{problem: fmt.Sprintf("找不到区县“%s”，请写区县全称，如“武川县”或“内蒙古武川县”", name)}
	}
	if len(ds) > 1 {
		var names []string
		for _, d := range ds[:min(len(ds), 4)] {
			names = append(names, d.FullName())
		}
		return division.Division{}, placeResult{problem: fmt.Sprintf("“%s”有%d个（%s…），请在前面加上省、市名", name, len(ds), strings.Join(names, "、"))}
	}
	return ds[0], placeResult{}
}

var townKinds = []string{"街道办事处", "街道", "镇", "乡", "苏木"}

func townShort(name string) string {
	for _, k := range townKinds {
		if t, ok := strings.CutSuffix(name, k); ok && t != "" {
			return t
		}
	}
	return name
}

// findTown finds the town of county c that rest begins with (full name first, then without its
// kind), and what follows the town's name.
func findTown(c division.Division, rest string) (division.Division, string, bool) {
	towns := division.Children(c.Code)
	for _, short := range []bool{false, true} {
		best, bestLen := division.Division{}, 0
		for _, t := range towns {
			n := t.Name
			if short {
				n = townShort(n)
			}
			if strings.HasPrefix(rest, n) && len(n) > bestLen {
				best, bestLen = t, len(n)
			}
		}
		if bestLen > 0 {
			return best, strings.TrimSpace(rest[bestLen:]), true
		}
	}
	return division.Division{}, rest, false
}

// below resolves the town and village under county c.
func below(c division.Division, town, village string) placeResult {
	if town == "" {
		if village == "" {
			return placeResult{code: string(c.Code), name: c.FullName()}
		}
		if v, ok, _ := division.FindVillage(c.Code, village); ok {
			return placeResult{code: string(v.Code), name: v.FullName()}
		}
		return unfound(c, village)
	}
	t, rest, ok := findTown(c, town)
	if !ok || rest != "" {
		var names []string
		for _, t := range division.Children(c.Code) {
			names = append(names, t.Name)
		}
		if len(names) > 12 {
			names = append(names[:12], "…")
		}
		return placeResult{problem: fmt.Sprintf("找不到“%s”，%s的乡镇有%s", town, c.Name, strings.Join(names, "、"))}
	}
	if village == "" {
		return placeResult{code: string(t.Code), name: t.FullName()}
	}
	if v, ok, _ := division.FindVillage(t.Code, village); ok {
		return placeResult{code: string(v.Code), name: v.FullName()}
	}
	return unfound(t, village)
}

// unfound is a place whose last part (a village, or what follows a county) the register lacks:
// the code of the place above it, d, and d's name with the text as typed in brackets, so the
// clerk sees on the person's page that the village was not found and the typed words are not
// lost: 内蒙古自治区呼和浩特市武川县可可以力更镇（填写的“东官井村”不在区划库中）.
func unfound(d division.Division, typed string) placeResult {
	return placeResult{code: string(d.Code), name: d.FullName() + "（填写的“" + typed + "”不在区划库中）"}
}

// countyEnds are the characters a county-level name ends with.
const countyEnds = "县区市旗"

// byFullName reads a place written in one cell: a county, optionally preceded by its province
// and city, and followed by a town and a village.
func byFullName(s string) placeResult {
	s = strings.Join(strings.Fields(s), "")
	if s == "" {
		return placeResult{}
	}
	// The longest prefix ending at a county's end character that names one county.
	var cands []int
	for i, r := range s {
		if strings.ContainsRune(countyEnds, r) {
			cands = append(cands, i+utf8.RuneLen(r))
		}
	}
	var firstProblem placeResult
	for k := len(cands) - 1; k >= 0; k-- {
		end := cands[k]
		ds, err := division.FindCounty(s[:end])
		if err != nil {
			continue
		}
		if len(ds) > 1 {
			if firstProblem.problem == "" {
				_, firstProblem = findCounty(s[:end])
			}
			continue
		}
		c := ds[0]
		rest := s[end:]
		if rest == "" {
			return placeResult{code: string(c.Code), name: c.FullName()}
		}
		if t, vrest, ok := findTown(c, rest); ok {
			if vrest == "" {
				return placeResult{code: string(t.Code), name: t.FullName()}
			}
			if v, ok, _ := division.FindVillage(t.Code, vrest); ok {
				return placeResult{code: string(v.Code), name: v.FullName()}
			}
			return unfound(t, vrest)
		}
		if v, ok, _ := division.FindVillage(c.Code, rest); ok {
			return placeResult{code: string(v.Code), name: v.FullName()}
		}
		return unfound(c, rest)
	}
	if firstProblem.problem != "" {
		return firstProblem
	}
	return placeResult{problem: fmt.Sprintf("找不到“%s”所在的区县：请写到区县，如“内蒙古武川县可可以力更镇东官井村”", s)}
}
