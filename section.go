package xiezuo

import "strconv"

// Heading is the section's heading as the document writes it: 一、持续提高政治站位…; the title
// alone when the section has no number.
func (s Section) Heading() string {
	if s.Number <= 0 {
		return s.Title
	}
	return ChineseNumeral(s.Number) + "、" + s.Title
}

// ChineseNumeral writes n (1 to 99) as documents number their parts: 一, 十, 十二, 二十一. Other
// numbers are written in digits.
func ChineseNumeral(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n >= 1 && n <= 9:
		return digits[n]
	case n == 10:
		return "十"
	case n > 10 && n < 20:
		return "十" + digits[n%10]
	case n >= 20 && n <= 99:
		s := digits[n/10] + "十"
		if n%10 != 0 {
			s += digits[n%10]
		}
		return s
	}
	return strconv.Itoa(n)
}
