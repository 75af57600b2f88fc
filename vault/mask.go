package vault

import (
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
