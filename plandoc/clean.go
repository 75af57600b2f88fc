package plandoc

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	reSup        = regexp.MustCompile(`(?i)[ \t]*<sup>\s*([^<]*?)\s*</sup>`)
	reSub        = regexp.MustCompile(`(?i)<sub>\s*([^<]*?)\s*</sub>`)
	reBreak      = regexp.MustCompile(`(?i)<br\s*/?>`)
	reTag        = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>`)
	reSpaces     = regexp.MustCompile(`[ \t\x{3000}\x{00a0}]+`)
	superscripts = map[string]string{"2": "²", "3": "³", "1": "¹"}
)

// cleanInline removes the markup that word processors and converters leave in a line: HTML
// tags (<b>, <sup>2</sup> becomes ²), Markdown emphasis, escapes; it folds full-width digits and
// letters to half-width and trims spaces.
func cleanInline(s string) string {
	if strings.Contains(s, "<") {
		s = reSup.ReplaceAllStringFunc(s, func(m string) string {
			inner := reSup.FindStringSubmatch(m)[1]
			if r, ok := superscripts[inner]; ok {
				return r
			}
			return inner
		})
		s = reSub.ReplaceAllString(s, "$1")
		s = reBreak.ReplaceAllString(s, " ")
		s = reTag.ReplaceAllString(s, "")
		s = strings.NewReplacer("&nbsp;", " ", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`).Replace(s)
	}
	if strings.ContainsAny(s, "*_\\") {
		s = strings.NewReplacer("**", "", "__", "", `\*`, "*", `\_`, "_", `\.`, ".", `\-`, "-", `\(`, "(", `\)`, ")", `\[`, "[", `\]`, "]", `\#`, "#", `\|`, "|").Replace(s)
	}
	s = foldWidth(s)
	s = reSpaces.ReplaceAllString(s, " ")
	return strings.TrimSpace(s)
}

// foldWidth turns full-width digits and Latin letters into half-width ones, and a full-width
// full stop after a digit (1．) into '.', so numbers and numbering read alike.
func foldWidth(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevDigit := false
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			r = r - '０' + '0'
		case r == '．' && prevDigit:
			r = '.'
		case r == '﹒' && prevDigit:
			r = '.'
		}
		prevDigit = r >= '0' && r <= '9'
		b.WriteRune(r)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// stripHeading removes heading marks, list markers and quote marks from the start of a line.
func stripHeading(s string) string {
	s = strings.TrimLeft(s, "#> ")
	for _, p := range []string{"- ", "* ", "+ ", "• "} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimSpace(s)
}

// squeeze removes every space: Chinese titles are often written with spaces around numbers.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// reduplicated lists characters that Chinese doubles in real words (人人, 层层, 步步), so that
// a doubled one at a page break is not taken for the repeated word of a break.
const reduplicated = "人常天层步处时事家户个年月日一谢看试想多好大小细实扎踏稳紧点滴方面条款各"

// appendBroken joins to what b holds the next piece of a paragraph that a page break split.
// Where the break repeated a word (…拓展脱 | 脱贫攻坚…), the repetition is dropped; a piece that
// ended a sentence starts a new line. It looks only at the end of what was written, so joining
// the many pieces of a long paragraph stays linear.
func appendBroken(b *strings.Builder, next string) {
	prev := b.String()
	if prev == "" || next == "" {
		b.WriteString(next)
		return
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	if strings.ContainsRune("。！？!?", last) {
		b.WriteString("\n")
		b.WriteString(next)
		return
	}
	var tail []rune // the last runes of prev, at most 6, in order
	for rest := prev; len(tail) < 6 && rest != ""; {
		r, size := utf8.DecodeLastRuneInString(rest)
		tail = append([]rune{r}, tail...)
		rest = rest[:len(rest)-size]
	}
	head := []rune(next[:min(len(next), 6*utf8.UTFMax)])
	for k := min(len(tail), len(head)-1); k >= 1; k-- {
		t, h := tail[len(tail)-k:], head[:k]
		if string(t) != string(h) || !allHan(t) {
			continue
		}
		if k == 1 && strings.ContainsRune(reduplicated, t[0]) {
			break
		}
		b.WriteString(next[len(string(h)):])
		return
	}
	if isASCIIWordEnd(last) {
		if first, _ := utf8.DecodeRuneInString(next); isASCIIWordEnd(first) {
			b.WriteString(" ")
		}
	}
	b.WriteString(next)
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

func isASCIIWordEnd(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// cellText joins the lines of a cell (a wrapped cell of a worksheet, a line break in an HTML
// cell) as a reader would: nothing between two Chinese characters, a space elsewhere.
func cellText(s string) string {
	if !strings.Contains(s, "\n") {
		return cleanInline(s)
	}
	var b strings.Builder
	for i, part := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(part)
			if !unicode.Is(unicode.Han, last) || !unicode.Is(unicode.Han, first) {
				b.WriteString(" ")
			}
		}
		b.WriteString(part)
	}
	return cleanInline(b.String())
}
