package xiezuo

import "strings"

// creditAlphabet is the alphabet of unified social credit codes: digits and the capital
// letters without I, O, Z, S and V, so that no character is mistaken for another.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// ValidCreditCode reports whether s is a well-formed unified social credit code (统一社会信用代码,
// GB 32100-2015): 18 characters of the code's alphabet, capital letters only, the last one
// the check character of the first 17 (weights 3^(i-1) mod 31, check (31 − Σ mod 31) mod 31).
// 91350100M000100Y43 is valid.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, s[i])
		if v < 0 {
			return false
		}
		sum += v * w
		w = w * 3 % 31
	}
	return s[17] == creditAlphabet[(31-sum%31)%31]
}
