package plandoc

import (
	"regexp"
	"strconv"
	"strings"
)

// The styles and automatic numbering of a Word document: what the clerk sees before a
// paragraph's text (1.  （一）  一、) comes from numbering.xml, and whether a paragraph is a
// heading from its style (an outline level, or a name Heading N / 标题 N) as well as from its
// text.

type xmlStyles struct {
	Styles []struct {
		Type    string  `xml:"type,attr"`
		ID      string  `xml:"styleId,attr"`
		Name    xmlVal  `xml:"name"`
		BasedOn xmlVal  `xml:"basedOn"`
		PPr     xmlPPr  `xml:"pPr"`
		Link    *xmlVal `xml:"link"`
	} `xml:"style"`
}

type xmlVal struct {
	Val string `xml:"val,attr"`
}

type xmlPPr struct {
	OutlineLvl *xmlVal `xml:"outlineLvl"`
	NumPr      *struct {
		Ilvl  *xmlVal `xml:"ilvl"`
		NumID *xmlVal `xml:"numId"`
	} `xml:"numPr"`
}

// docxStyle is a paragraph style, its basedOn chain already followed.
type docxStyle struct {
	basedOn string
	outline int // 0 for none, else the heading level 1…9
	numID   string
	ilvl    int
	hasNum  bool
	named   int // heading level from the style's name, 0 for none
}

var reHeadingName = regexp.MustCompile(`(?i)^(?:heading|标题)\s*([1-9])$`)

// readStyles reads the paragraph styles, following basedOn chains (bounded, cycles broken).
func readStyles(x *xmlStyles) map[string]*docxStyle {
	raw := map[string]*docxStyle{}
	for _, s := range x.Styles {
		if s.Type != "" && s.Type != "paragraph" {
			continue
		}
		st := &docxStyle{basedOn: s.BasedOn.Val, ilvl: 0}
		if s.PPr.OutlineLvl != nil {
			if n, err := strconv.Atoi(s.PPr.OutlineLvl.Val); err == nil && n >= 0 && n < 9 {
				st.outline = n + 1
			} else {
				st.outline = -1 // body text: stated, stops the chain
			}
		}
		if np := s.PPr.NumPr; np != nil {
			st.hasNum = true
			if np.NumID != nil {
				st.numID = np.NumID.Val
			}
			if np.Ilvl != nil {
				st.ilvl, _ = strconv.Atoi(np.Ilvl.Val)
			}
		}
		name := strings.TrimSpace(s.Name.Val)
		if m := reHeadingName.FindStringSubmatch(name); m != nil {
			st.named = int(m[1][0] - '0')
		} else if strings.EqualFold(name, "title") || name == "标题" {
			st.named = 1
		}
		raw[s.ID] = st
	}
	out := make(map[string]*docxStyle, len(raw))
	for id, st := range raw {
		r := *st
		seen := 0
		for b := st.basedOn; b != "" && seen < 16; seen++ {
			base, ok := raw[b]
			if !ok {
				break
			}
			if r.outline == 0 {
				r.outline = base.outline
			}
			if !r.hasNum && base.hasNum {
				r.hasNum, r.numID, r.ilvl = true, base.numID, base.ilvl
			}
			if r.named == 0 {
				r.named = base.named
			}
			b = base.basedOn
		}
		out[id] = &r
	}
	return out
}

// headingLevel is the heading level a style gives a paragraph: 0 for body text.
func (s *docxStyle) headingLevel() int {
	if s == nil {
		return 0
	}
	if s.outline > 0 {
		return s.outline
	}
	if s.outline < 0 {
		return 0
	}
	return s.named
}

type xmlNumbering struct {
	Abstract []struct {
		ID   string   `xml:"abstractNumId,attr"`
		Lvls []xmlLvl `xml:"lvl"`
	} `xml:"abstractNum"`
	Nums []struct {
		ID       string `xml:"numId,attr"`
		Abstract xmlVal `xml:"abstractNumId"`
		Override []struct {
			Ilvl  string  `xml:"ilvl,attr"`
			Start *xmlVal `xml:"startOverride"`
			Lvl   *xmlLvl `xml:"lvl"`
		} `xml:"lvlOverride"`
	} `xml:"num"`
}

type xmlLvl struct {
	Ilvl    string    `xml:"ilvl,attr"`
	Start   *xmlVal   `xml:"start"`
	NumFmt  xmlVal    `xml:"numFmt"`
	Text    *xmlVal   `xml:"lvlText"`
	Restart *xmlVal   `xml:"lvlRestart"`
	IsLgl   *struct{} `xml:"isLgl"`
	Suff    *xmlVal   `xml:"suff"`
}

// numLevel is one level of a list: how its number is written.
type numLevel struct {
	start   int
	format  string
	text    string
	restart int // restart after a level up to this one (1-based) is used; 0: never; -1: default
	legal   bool
	suffix  string
}

const numLevels = 9

// numbering is the lists of a document and their counters as the document is read.
type numbering struct {
	abstract map[string]*[numLevels]numLevel
	nums     map[string]*docxNum
	counts   map[string]*[numLevels]int // by abstract list: the current number of each level, 0 before the first
}

type docxNum struct {
	abstract string
	levels   [numLevels]*numLevel // overrides, nil where the abstract's level holds
	starts   [numLevels]int       // startOverride, 0 for none
	used     [numLevels]bool
}

func toLevel(l xmlLvl) numLevel {
	n := numLevel{start: 1, format: l.NumFmt.Val, restart: -1}
	if n.format == "" {
		n.format = "decimal"
	}
	if l.Start != nil {
		if v, err := strconv.Atoi(l.Start.Val); err == nil && v >= 0 && v < 1_000_000 {
			n.start = v
		}
	}
	if l.Text != nil {
		n.text = l.Text.Val
	}
	if l.Restart != nil {
		if v, err := strconv.Atoi(l.Restart.Val); err == nil && v >= 0 {
			n.restart = v
		}
	}
	n.legal = l.IsLgl != nil
	n.suffix = "tab"
	if l.Suff != nil {
		n.suffix = l.Suff.Val
	}
	return n
}

func readNumbering(x *xmlNumbering) *numbering {
	nb := &numbering{abstract: map[string]*[numLevels]numLevel{}, nums: map[string]*docxNum{}, counts: map[string]*[numLevels]int{}}
	for _, a := range x.Abstract {
		var lv [numLevels]numLevel
		for i := range lv {
			lv[i] = numLevel{start: 1, format: "decimal", restart: -1, suffix: "tab", text: "%" + strconv.Itoa(i+1) + "."}
		}
		for _, l := range a.Lvls {
			i, err := strconv.Atoi(l.Ilvl)
			if err != nil || i < 0 || i >= numLevels {
				continue
			}
			lv[i] = toLevel(l)
		}
		nb.abstract[a.ID] = &lv
	}
	for _, n := range x.Nums {
		dn := &docxNum{abstract: n.Abstract.Val}
		for _, o := range n.Override {
			i, err := strconv.Atoi(o.Ilvl)
			if err != nil || i < 0 || i >= numLevels {
				continue
			}
			if o.Lvl != nil {
				l := toLevel(*o.Lvl)
				dn.levels[i] = &l
			}
			if o.Start != nil {
				if v, err := strconv.Atoi(o.Start.Val); err == nil && v >= 0 && v < 1_000_000 {
					dn.starts[i] = v + 1 // stored plus one, so 0 means none
				}
			}
		}
		nb.nums[n.ID] = dn
	}
	return nb
}

// label advances the counters of list numID at level ilvl and returns the number the clerk
// sees before the paragraph, with what follows it (a space for a tab or a space), or "".
func (nb *numbering) label(numID string, ilvl int) string {
	if nb == nil || numID == "" || numID == "0" {
		return ""
	}
	dn, ok := nb.nums[numID]
	if !ok {
		return ""
	}
	abs, ok := nb.abstract[dn.abstract]
	if !ok {
		return ""
	}
	ilvl = max(0, min(ilvl, numLevels-1))
	level := func(i int) numLevel {
		if dn.levels[i] != nil {
			return *dn.levels[i]
		}
		return abs[i]
	}
	counts := nb.counts[dn.abstract]
	if counts == nil {
		counts = new([numLevels]int)
		nb.counts[dn.abstract] = counts
	}
	lv := level(ilvl)
	switch {
	case !dn.used[ilvl] && dn.starts[ilvl] > 0:
		counts[ilvl] = dn.starts[ilvl] - 1 // restarted by this list (Word's 重新开始编号)
	case counts[ilvl] == 0:
		counts[ilvl] = lv.start
	default:
		counts[ilvl]++
	}
	dn.used[ilvl] = true
	for k := ilvl + 1; k < numLevels; k++ {
		r := level(k).restart
		if r < 0 {
			r = k
		}
		if ilvl < r {
			counts[k] = 0
		}
	}
	if lv.format == "bullet" || lv.format == "none" || lv.text == "" {
		return ""
	}
	var b strings.Builder
	t := lv.text
	for i := 0; i < len(t); i++ {
		if t[i] == '%' && i+1 < len(t) && t[i+1] >= '1' && t[i+1] <= '9' {
			k := int(t[i+1] - '1')
			n := counts[k]
			if n == 0 {
				n = level(k).start
			}
			f := level(k).format
			if lv.legal {
				f = "decimal"
			}
			b.WriteString(formatNumber(n, f))
			i++
			continue
		}
		b.WriteByte(t[i])
	}
	s := strings.TrimSpace(b.String())
	if s == "" {
		return ""
	}
	if lv.suffix != "nothing" {
		s += " "
	}
	return s
}

var (
	hanDigits   = []rune("〇一二三四五六七八九")
	legalDigits = []rune("零壹贰叁肆伍陆柒捌玖")
	heavenly    = []rune("甲乙丙丁戊己庚辛壬癸")
	zodiac      = []rune("子丑寅卯辰巳午未申酉戌亥")
)

// formatNumber writes n as a list level of format f writes it.
func formatNumber(n int, f string) string {
	switch f {
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "koreanCounting", "ideographLegalTraditional":
		return hanCount(n, hanDigits, "十百千", "零")
	case "chineseLegalSimplified":
		return hanCount(n, legalDigits, "拾佰仟", "零")
	case "ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand":
		var b strings.Builder
		for _, c := range strconv.Itoa(n) {
			b.WriteRune(hanDigits[c-'0'])
		}
		return b.String()
	case "ideographTraditional":
		if n >= 1 && n <= len(heavenly) {
			return string(heavenly[n-1])
		}
	case "ideographZodiac":
		if n >= 1 && n <= len(zodiac) {
			return string(zodiac[n-1])
		}
	case "upperLetter", "lowerLetter":
		if n >= 1 {
			c := rune('A' + (n-1)%26)
			s := strings.Repeat(string(c), (n-1)/26+1)
			if f == "lowerLetter" {
				s = strings.ToLower(s)
			}
			return s
		}
	case "upperRoman", "lowerRoman":
		if n >= 1 && n < 4000 {
			s := roman(n)
			if f == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	case "decimalZero":
		if n < 10 {
			return "0" + strconv.Itoa(n)
		}
	case "decimalFullWidth", "decimalFullWidth2":
		var b strings.Builder
		for _, c := range strconv.Itoa(n) {
			b.WriteRune(c - '0' + '０')
		}
		return b.String()
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalEnclosedParen":
		if n >= 1 && n <= 20 {
			return string(rune('⑴' + n - 1))
		}
	case "decimalEnclosedFullstop":
		if n >= 1 && n <= 20 {
			return string(rune('⒈' + n - 1))
		}
	}
	return strconv.Itoa(n)
}

// hanCount writes n in Chinese counting: 一 … 十, 十一, 二十一, 一百零一.
func hanCount(n int, digits []rune, units, zero string) string {
	if n <= 0 || n >= 10000 {
		return strconv.Itoa(n)
	}
	u := []rune(units)
	var b strings.Builder
	parts := []int{n / 1000, n / 100 % 10, n / 10 % 10, n % 10}
	pending := false
	started := false
	for i, d := range parts {
		if d == 0 {
			if started {
				pending = true
			}
			continue
		}
		if pending {
			b.WriteString(zero)
			pending = false
		}
		place := 3 - i
		if !(place == 1 && d == 1 && !started) { // 十一, not 一十一
			b.WriteRune(digits[d])
		}
		if place > 0 {
			b.WriteRune(u[place-1])
		}
		started = true
	}
	return b.String()
}

func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
