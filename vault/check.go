package vault

import (
	"strings"
	"time"
	"xiezuo"
)

// chinaTime is Beijing time. China has kept UTC+8 without daylight saving since 1991, so a
// fixed zone serves and no time zone database is needed.
var chinaTime = time.FixedZone("CST", 8*60*60)

// idWeights are the weights of the first 17 characters of an ID number (GB 11643-1999).
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// ValidID reports whether s is a well-formed 18-character citizen ID number (GB 11643-1999):
// 17 digits and a check character that matches them (a lowercase x is accepted), with a birth
// date that exists, is not in the future and is not before 1900. The address code is not
// checked against a list: the counties of old numbers may since have been abolished.
func ValidID(s string) bool { return validID(s, time.Now()) }

// NormalizeID returns the ID number with spaces around it removed and a lowercase x made
// uppercase, and whether it is valid (ValidID). Seal and index the normal form, so that
// lookups find a number however it was typed.
func NormalizeID(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if !ValidID(s) {
		return "", false
	}
	return s, true
}

// validID is ValidID with the current time given.
func validID(s string, now time.Time) bool {
	if len(s) != 18 || !allDigits(s[:17]) {
		return false
	}
	sum := 0
	for i, w := range idWeights {
		sum += int(s[i]-'0') * w
	}
	check := "10X98765432"[sum%11]
	if c := s[17]; c != check && !(c == 'x' && check == 'X') {
		return false
	}
	year, month, day := atoi(s[6:10]), atoi(s[10:12]), atoi(s[12:14])
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, chinaTime)
	if birth.Year() != year || int(birth.Month()) != month || birth.Day() != day {
		return false // such as 0230, which time.Date turns into 2 March
	}
	y, m, d := now.In(chinaTime).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, chinaTime)
	return year >= 1900 && !birth.After(today)
}

// atoi returns the value of a string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// NormalizePhone returns a mainland mobile number as 11 digits, and whether it is one: the
// rule is xiezuo.NormalizePhone.
func NormalizePhone(s string) (string, bool) { return xiezuo.NormalizePhone(s) }

// ValidCreditCode reports whether s is a well-formed unified social credit code (统一社会信用代码,
// GB 32100-2015): the rule is xiezuo.ValidCreditCode.
func ValidCreditCode(s string) bool { return xiezuo.ValidCreditCode(s) }
