package vault

import (
	"strings"
	"time"
	"xiezuo"
)

// chinaTime is Beijing time. China has kept UTC+8 without daylight saving since 1991, so a
// fixed zone serves and no time zone database is needed.
var chinaTime = time.FixedZone("CST", 8*60*60)

// ValidID reports whether s is a well-formed 18-character citizen ID number (GB 11643-1999):
// 17 digits and a check character that matches them (a lowercase x is accepted), with a birth
// date that exists, is not in the future and is not before 1900. The address code is not
// checked against a list: the counties of old numbers may since have been abolished. The rule
// is xiezuo.NormalizeIDNumber.
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

// validID is ValidID with the current time given: exactly 18 characters as typed (no inner
// spaces), valid by xiezuo.NormalizeIDNumber.
func validID(s string, now time.Time) bool {
	if len(s) != 18 {
		return false
	}
	_, why := xiezuo.NormalizeIDNumber(s, xiezuo.DateOf(now.In(chinaTime)))
	return why == ""
}

// NormalizePhone returns a mainland mobile number as 11 digits, and whether it is one: the
// rule is xiezuo.NormalizePhone.
func NormalizePhone(s string) (string, bool) { return xiezuo.NormalizePhone(s) }

// ValidCreditCode reports whether s is a well-formed unified social credit code (统一社会信用代码,
// GB 32100-2015): the rule is xiezuo.ValidCreditCode.
func ValidCreditCode(s string) bool { return xiezuo.ValidCreditCode(s) }
