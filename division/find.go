package division

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"xiezuo"
)

// autonomousShort are the short names of the five autonomous regions; the other provinces'
// short names drop 省 or 市.
var autonomousShort = map[string]string{
	"内蒙古自治区":   "内蒙古",
	"广西壮族自治区":  "广西",
	"西藏自治区":    "西藏",
	"宁夏回族自治区":  "宁夏",
	"新疆维吾尔自治区": "新疆",
}

func provinceShort(name string) string {
	if s, ok := autonomousShort[name]; ok {
		return s
	}
	return trimAnySuffix(name, "省", "市")
}

// cityShort drops 市, 地区 or 盟 (拉萨市 → 拉萨); autonomous prefectures keep their full name.
func cityShort(name string) string {
	return trimAnySuffix(name, "市", "地区", "盟")
}

// countyShort drops the county's kind (武川县 → 武川); ones whose kind is longer (自治县,
// 林区) are matched by their full name only.
func countyShort(name string) string {
	if strings.HasSuffix(name, "自治县") || strings.HasSuffix(name, "自治旗") {
		return name
	}
	return trimAnySuffix(name, "县", "区", "市", "旗")
}

func trimAnySuffix(s string, suffixes ...string) string {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) && len(s) > len(x) {
			return s[:len(s)-len(x)]
		}
	}
	return s
}

// clean removes spaces of any width from a name as a document writes it.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// FindCounty resolves a county-level name as plans write it: the county's own name (武川县,
// 堆龙德庆区, 神农架林区), optionally preceded by its province's full or short name and its
// city's full or short name (内蒙古武川县, 西藏拉萨市堆龙德庆区, 湖北神农架林区, 呼和浩特武川县).
// Only when nothing matches is the county's name without its kind tried (武川 → 武川县).
// A name several counties share (朝阳区) gives them all, in code order; a name no county has is
// an ENOTFOUND error.
func FindCounty(name string) ([]Division, error) {
	t, err := load()
	if err != nil {
		return nil, loadErr(err)
	}
	q := clean(name)
	if q == "" {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "区县名称为空")
	}
	for _, short := range []bool{false, true} {
		var found []Division
		t.eachCounty(func(p, c, n node) {
			cn := t.Name(n.l, n.i)
			if short {
				if s := countyShort(cn); s != cn {
					cn = s
				} else {
					return
				}
			}
			rest, ok := strings.CutSuffix(q, cn)
			if !ok {
				return
			}
			if matchPrefix(rest, t.Name(p.l, p.i), t.Name(c.l, c.i)) {
				found = append(found, t.division(n))
			}
		})
		if len(found) > 0 {
			return found, nil
		}
	}
	return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "行政区划中没有区县“%s”：请写区县全称，可在前面加省、市名，如“内蒙古武川县”“西藏拉萨市堆龙德庆区”", name)
}

// matchPrefix reports whether rest, what precedes a county's name, is empty or names its
// province and/or city.
func matchPrefix(rest, province, city string) bool {
	if rest == "" {
		return true
	}
	for _, p := range []string{province, provinceShort(province), ""} {
		r, ok := strings.CutPrefix(rest, p)
		if !ok {
			continue
		}
		if r == "" {
			return true
		}
		if placeholder(city) {
			continue
		}
		if r == city || r == cityShort(city) {
			return true
		}
	}
	return false
}

// eachCounty calls f with every county and its province and city.
func (t *table) eachCounty(f func(p, c, n node)) {
	for pi := 0; pi < t.Len(0); pi++ {
		p := node{0, pi}
		clo, chi := t.children(p)
		for ci := clo; ci < chi; ci++ {
			c := node{1, ci}
			nlo, nhi := t.children(c)
			for ni := nlo; ni < nhi; ni++ {
				f(p, c, node{2, ni})
			}
		}
	}
}

// villagesUnder calls f with every village under n (a county or a town) and its town.
func (t *table) villagesUnder(n node, f func(town, v node)) {
	switch n.l {
	case 2:
		lo, hi := t.children(n)
		for ti := lo; ti < hi; ti++ {
			t.villagesUnder(node{3, ti}, f)
		}
	case 3:
		lo, hi := t.children(n)
		for vi := lo; vi < hi; vi++ {
			f(n, node{4, vi})
		}
	}
}

// Villages lists the villages of a county (or of a town), in code order; each carries its town
// as Parent and ParentName. It is nil for a code that is not a county or town of the register.
func Villages(county Code) []Division {
	t, err := load()
	if err != nil {
		return nil
	}
	n, ok := t.find(string(county))
	if !ok {
		return nil
	}
	var out []Division
	t.villagesUnder(n, func(_, v node) { out = append(out, t.division(v)) })
	return out
}

// committeeSuffixes are the endings of the register's village names that say which committee
// it is, longest first; kindSuffixes say what kind of place it is.
var (
	committeeSuffixes = []string{"村民委员会", "居民委员会", "牧民委员会", "村委会", "居委会", "牧委会", "委员会"}
	kindSuffixes      = []string{"社区", "嘎查", "村", "居"}
	townSuffixes      = []string{"街道办事处", "街道", "镇", "乡", "苏木"}
)

// villageCore is a village name without its committee ending and then without its kind:
// 红山子村民委员会, 红山子村 and 红山子 are all 红山子; 白莲村村民委员会 and 白莲村 are 白莲;
// 东官井社区居民委员会 and 东官井社区 are 东官井. A name that would be left empty stays whole.
func villageCore(name string) string {
	core, _ := villageKey(name)
	return core
}

// villageKey is villageCore and the kind the name says, if it says one: 村 for a village
// (村, 嘎查, 村民委员会, 村委会, 牧民委员会), 居 for a neighbourhood (社区, 居, 居民委员会, 居委会),
// "" for a bare name.
func villageKey(name string) (core, kind string) {
	s := name
	for _, x := range committeeSuffixes {
		if r, ok := strings.CutSuffix(s, x); ok && r != "" {
			s = r
			kind = kindOf(x)
			break
		}
	}
	for _, x := range kindSuffixes {
		if r, ok := strings.CutSuffix(s, x); ok && r != "" {
			s = r
			if kind == "" {
				kind = kindOf(x)
			}
			break
		}
	}
	return s, kind
}

func kindOf(suffix string) string {
	switch suffix {
	case "居民委员会", "居委会", "社区", "居":
		return "居"
	case "委员会":
		return ""
	}
	return "村"
}

// FindVillage finds a village of a county (or of a town) by its name as a plan writes it. It
// tries, in this order, and stops at the first step that finds something:
//
//  1. the register's name exactly (红山子村民委员会);
//  2. a name beginning with one of the county's towns, full or without 镇/乡/街道/苏木
//     (西乌兰不浪镇红山子村, 古荣南巴村): the rest is matched within that town as in step 3;
//  3. the name without its committee ending and kind (红山子村, 红山子, 东官井社区 → see
//     villageKey) against the register's names reduced the same way, where the kinds agree
//     when both names say one (红花坪村 is 红花坪村委会, not 红花坪居委会; 社区 and 居委会 are
//     one kind).
//
// One village found is the match (ok true). Several (黑沙图村 is in three towns of 武川县) is
// not a match: nearest lists them all, so that the clerk adds the town. Nothing found gives, as
// nearest, up to five villages by similarity: the fewest rune edits (insertions, deletions,
// substitutions) between the two reduced names, then the most characters in common, then the
// same town if the name named one, then code order; a village sharing no character is never
// offered. A name the register lacks is a warning for the caller to show with those names,
// never an error: villages merge and are renamed every year.
func FindVillage(county Code, name string) (match Division, ok bool, nearest []Division) {
	t, err := load()
	if err != nil {
		return Division{}, false, nil
	}
	scope, found := t.find(string(county))
	if !found || scope.l < 2 || scope.l > 3 {
		return Division{}, false, nil
	}
	q := clean(name)
	if q == "" {
		return Division{}, false, nil
	}
	type entry struct {
		town, v node
		core    string
		kind    string
	}
	var all []entry
	t.villagesUnder(scope, func(town, v node) {
		core, kind := villageKey(t.Name(v.l, v.i))
		all = append(all, entry{town, v, core, kind})
	})
	result := func(hits []entry) (Division, bool, []Division) {
		if len(hits) == 1 {
			return t.division(hits[0].v), true, nil
		}
		out := make([]Division, len(hits))
		for k, h := range hits {
			out[k] = t.division(h.v)
		}
		return Division{}, false, out
	}

	// 1. The register's name.
	var hits []entry
	for _, e := range all {
		if t.Name(e.v.l, e.v.i) == q {
			hits = append(hits, e)
		}
	}
	if len(hits) > 0 {
		return result(hits)
	}

	// 2. A town's name first, then the village within that town.
	type townPart struct {
		town node
		rest string
	}
	var towns []townPart
	seen := map[int]bool{}
	for _, e := range all {
		if seen[e.town.i] {
			continue
		}
		seen[e.town.i] = true
		tn := t.Name(e.town.l, e.town.i)
		for _, prefix := range []string{tn, trimAnySuffix(tn, townSuffixes...)} {
			if rest, ok := strings.CutPrefix(q, prefix); ok && rest != "" {
				towns = append(towns, townPart{e.town, rest})
				break
			}
		}
	}
	for _, tp := range towns {
		core, kind := villageKey(tp.rest)
		for _, e := range all {
			if e.town == tp.town && (t.Name(e.v.l, e.v.i) == tp.rest || e.core == core && sameKind(kind, e.kind)) {
				hits = append(hits, e)
			}
		}
	}
	if len(hits) > 0 {
		return result(hits)
	}

	// 3. The reduced names.
	core, kind := villageKey(q)
	for _, e := range all {
		if e.core == core && sameKind(kind, e.kind) {
			hits = append(hits, e)
		}
	}
	if len(hits) > 0 {
		return result(hits)
	}

	// Nothing: the nearest names. When the name began with a town, its rest is what is
	// compared, and that town's villages come first among equals.
	type scored struct {
		e        entry
		dist     int
		shared   int
		sameTown bool
	}
	var cands []scored
	for _, e := range all {
		best := scored{e: e, dist: -1}
		try := func(query string, town node, named bool) {
			qc := villageCore(query)
			sh := sharedRunes(qc, e.core)
			if sh == 0 {
				return
			}
			d := editDistance(qc, e.core)
			same := named && town == e.town
			if best.dist < 0 || d < best.dist || d == best.dist && (sh > best.shared || sh == best.shared && same && !best.sameTown) {
				best = scored{e, d, sh, same}
			}
		}
		try(q, node{}, false)
		for _, tp := range towns {
			try(tp.rest, tp.town, true)
		}
		if best.dist >= 0 {
			cands = append(cands, best)
		}
	}
	sort.SliceStable(cands, func(a, b int) bool {
		x, y := cands[a], cands[b]
		if x.dist != y.dist {
			return x.dist < y.dist
		}
		if x.shared != y.shared {
			return x.shared > y.shared
		}
		return x.sameTown && !y.sameTown
	})
	if len(cands) > 5 {
		cands = cands[:5]
	}
	for _, c := range cands {
		nearest = append(nearest, t.division(c.e.v))
	}
	return Division{}, false, nearest
}

// sameKind reports whether a name of kind q (maybe "") may be a village of kind v.
func sameKind(q, v string) bool { return q == "" || v == "" || q == v }

// editDistance is the Levenshtein distance between a and b counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// sharedRunes counts the characters a and b have in common, each as often as both have it.
func sharedRunes(a, b string) int {
	if utf8.RuneCountInString(a) > utf8.RuneCountInString(b) {
		a, b = b, a
	}
	counts := map[rune]int{}
	for _, r := range a {
		counts[r]++
	}
	n := 0
	for _, r := range b {
		if counts[r] > 0 {
			counts[r]--
			n++
		}
	}
	return n
}
