package vault

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaskID masks an ID number for screens as DESIGN.md writes it: an 18-character number keeps
// its first 3 and last 4 characters (110***********0020), a 15-digit number of the first
// generation its first 3 and last 3 (110*********002). The 6-digit address code and the
// birth date stay hidden: a list shows the birth date beside the mask, and a mask that kept
// the address code would give the whole number back with it. Anything else is masked as
// MaskOther does.
func MaskID(s string) string {
	switch {
	case len(s) == 18 && allDigits(s[:17]) && (isDigit(s[17]) || s[17] == 'X' || s[17] == 'x'):
		return s[:3] + strings.Repeat("*", 11) + s[14:]
	case len(s) == 15 && allDigits(s):
		return s[:3] + strings.Repeat("*", 9) + s[12:]
	}
	return MaskOther(s)
}

// MaskPhone masks a mobile phone number for screens: 138****1234. The number is normalised
// first, so "+86 138-1234-1234" is shown as 138****1234 too. Anything that is not a mobile
// number is masked as MaskOther does.
func MaskPhone(s string) string {
	if p, ok := NormalizePhone(s); ok {
		return p[:3] + "****" + p[7:]
	}
	return MaskOther(s)
}

// MaskName masks a person's name for screens: the first character stays and each other
// character becomes *, so 张三 is shown as 张* and 欧阳修 as 欧**. A name of one character is
// masked entirely.
func MaskName(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= 1 {
		return strings.Repeat("*", n)
	}
	first, size := utf8.DecodeRuneInString(s)
	if first == utf8.RuneError && size <= 1 {
		return strings.Repeat("*", n) // not text: show none of it
	}
	return string(first) + strings.Repeat("*", n-1)
}

// MaskOther masks a value of unknown shape: every character becomes * except the last two,
// and never more than half of the characters are shown, so a short value shows little.
func MaskOther(s string) string {
	r := []rune(s)
	keep := min(2, len(r)/2)
	return strings.Repeat("*", len(r)-keep) + string(r[len(r)-keep:])
}

// groupedPhone is a mobile number written in groups of 3, 4 and 4 digits, not inside a longer
// run of digits; group 1 is the number.
var groupedPhone = regexp.MustCompile(`(?:^|[^0-9])(1[0-9]{2}[- ][0-9]{4}[- ][0-9]{4})(?:$|[^0-9])`)

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// allDigits reports whether s is made of ASCII digits only; "" is.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// MaskNumbersInText masks, in free text a clerk typed (a confirmation's note, a placement's
// reason), every run of ASCII digits that may be a phone or an ID number: a run of 11 digits
// as MaskPhone does (李经理 13911112222 → 李经理 139****2222), a run of 15 to 18 characters (17
// digits and a final X count as 18) as MaskID does. Shorter runs (dates, amounts) and longer
// ones (account numbers are not ours to judge) are left as typed. A mobile number written in
// groups (139 1111 2222, 139-1111-2222) is masked too.
func MaskNumbersInText(s string) string {
	if ms := groupedPhone.FindAllStringSubmatchIndex(s, -1); ms != nil {
		var g strings.Builder
		last := 0
		for _, m := range ms {
			g.WriteString(s[last:m[2]])
			g.WriteString(MaskPhone(s[m[2]:m[3]]))
			last = m[3]
		}
		s = g.String() + s[last:]
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x') {
			j++
		}
		run := s[i:j]
		switch {
		case len(run) == 11:
			b.WriteString(MaskPhone(run))
		case len(run) >= 15 && len(run) <= 18:
			b.WriteString(MaskID(run))
		default:
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}
