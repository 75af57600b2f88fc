package xiezuo

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// The root's readers of what users type or import (money, dates, deadlines, ID numbers,
// phones, credit codes, pay words, duty ids) must never panic, must accept only what they
// document, and must read again what they write. bench/fuzz.sh runs these for minutes.

// hasHan reports whether s holds a Chinese character: every message a user sees is Chinese.
func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// calendarDay reports whether d is a day of the calendar.
func calendarDay(d Date) bool {
	t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	return d.Month >= 1 && d.Month <= 12 && t.Day() == d.Day && t.Year() == d.Year
}

// FuzzParseDecimal: an amount read is written back by FormatYuan/FormatWan and read again the
// same; a negative sign is kept.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"12.34", "-0.5", "+1", "1000000.50", ".5", "5.", "1e3", "0.001", "9999999999999999999", "1,234", " 3 ", "-", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, unit := range []int64{FenPerYuan, FenPerWan} {
			v, ok := ParseDecimal(s, unit)
			if !ok {
				continue
			}
			format := FormatYuan
			if unit == FenPerWan {
				format = FormatWan
			}
			w := format(v)
			if whole := strings.TrimPrefix(strings.SplitN(w, ".", 2)[0], "-"); len(whole) > 12 {
				t.Errorf("ParseDecimal(%q, %d) = %d: more than 12 digits before the point", s, unit, v)
			}
			back, ok := ParseDecimal(strings.ReplaceAll(w, ",", ""), unit)
			if !ok || back != v {
				t.Errorf("ParseDecimal(%q, %d) = %d, written %q, read back %d, %v", s, unit, v, w, back, ok)
			}
		}
	})
}

// FuzzParseDates: the dates, deadlines, periods and months clerks type. A date read is a real
// date written back as read; a deadline's dates are real and in order of the text; a period's
// months are months and a refusal says why in Chinese.
func FuzzParseDates(f *testing.F) {
	for _, s := range []string{"2021-06-30", "2021/6/30", "2021.6.30", "2021年6月30日", "2021-02-29", "10月底前", "6月30日前",
		"全年", "6月底前、12月底前", "9月底前开工、12月底前完工", "2022年9月", "11月中旬", "13月底前", "2月30日前",
		"2021年6月-2021年9月", "2022.4-2022.12", "2022年5月至9月", "2021-13", "0000-01-01", "9999-12-31"} {
		f.Add(s, 2021)
	}
	f.Fuzz(func(t *testing.T, s string, year int) {
		if d, err := ParseDate(s); err == nil {
			if back, err := ParseDate(d.String()); err != nil || back != d {
				t.Errorf("ParseDate(%q) = %v, read back %v, %v", s, d, back, err)
			}
		}
		if d, ok := ParseFieldDate(s); ok {
			if !calendarDay(d) {
				t.Errorf("ParseFieldDate(%q) = %v, not a real date", s, d)
			}
			if back, ok := ParseFieldDate(d.String()); !ok || back != d {
				t.Errorf("ParseFieldDate(%q) = %v, read back %v, %v", s, d, back, ok)
			}
		}
		year = 1900 + (year%300+300)%300
		if dl, ok := ParseDeadline(s, year); ok {
			for _, d := range dl.Dates {
				if !calendarDay(d) {
					t.Errorf("ParseDeadline(%q, %d) gives %v, not a real date", s, year, d)
				}
			}
		}
		if p, msg := ParsePeriod(s, year); p == (Period{}) && msg == "" {
			// nothing written: no period, and nothing to refuse
		} else if msg == "" {
			for _, m := range []YearMonth{p.Start, p.Finish} {
				if m.Month < 1 || m.Month > 12 {
					t.Errorf("ParsePeriod(%q, %d) = %+v, month out of 1–12", s, year, p)
				}
			}
		} else if !hasHan(msg) || !utf8.ValidString(msg) {
			t.Errorf("ParsePeriod(%q, %d) refused with %q, not a Chinese message", s, year, msg)
		}
		if m, err := ParseMonth(s); err == nil && (m.Month < 1 || m.Month > 12) {
			t.Errorf("ParseMonth(%q) = %+v", s, m)
		}
	})
}

// FuzzIdentifiers: ID numbers, phones and credit codes. A number accepted is accepted again as
// written (normalising is idempotent) and has the documented shape; a refusal's reason is
// Chinese and never holds the whole number.
func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "110105194912310021", "5.22624E+17", "110105 19491231 002X",
		"13912345678", "+86 139-1234-5678", "0086 13912345678", "12912345678", "91350100M000100Y43", "91350100M000100Y44", "ｘ", ""} {
		f.Add(s)
	}
	today := Date{Year: 2021, Month: 8, Day: 28}
	f.Fuzz(func(t *testing.T, s string) {
		n, reason := NormalizeIDNumber(s, today)
		switch {
		case reason == "":
			if len(n) != 18 || strings.IndexFunc(n[:17], func(r rune) bool { return r < '0' || r > '9' }) >= 0 || !strings.ContainsRune("0123456789X", rune(n[17])) {
				t.Errorf("NormalizeIDNumber(%q) = %q, not 17 digits and a check character", s, n)
			}
			if again, why := NormalizeIDNumber(n, today); again != n || why != "" {
				t.Errorf("NormalizeIDNumber(%q) = %q, then %q, %q", s, n, again, why)
			}
		case !hasHan(reason):
			t.Errorf("NormalizeIDNumber(%q) refused with %q, not Chinese", s, reason)
		case len(strings.TrimSpace(s)) >= 15 && strings.Contains(reason, strings.TrimSpace(s)):
			t.Errorf("NormalizeIDNumber(%q): the reason %q holds the whole number", s, reason)
		}
		if p, ok := NormalizePhone(s); ok {
			if len(p) != 11 || p[0] != '1' || p[1] < '3' {
				t.Errorf("NormalizePhone(%q) = %q", s, p)
			}
			if again, ok := NormalizePhone(p); !ok || again != p {
				t.Errorf("NormalizePhone(%q) = %q, then %q, %v", s, p, again, ok)
			}
		}
		if ValidCreditCode(s) && len(s) != 18 {
			t.Errorf("ValidCreditCode(%q) = true for %d bytes", s, len(s))
		}
	})
}

// FuzzPayWords: monthly pay as lists write it, and the poverty words. Pay read is never
// negative and its range is in order; a poverty word read is read again the same.
func FuzzPayWords(f *testing.F) {
	for _, s := range []string{"4500", "4500元", "4,500", "4千", "0.5万", "4000-6000", "4000元以上", "6000以下", "面议", "", "5000/月",
		"6000-4000", "-1", "1e9万", "是", "否", "脱贫户", "监测户"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if lo, hi, ok := ParseMonthlyPay(s); ok {
			if lo < 0 || hi < 0 || (hi > 0 && lo > hi) {
				t.Errorf("ParseMonthlyPay(%q) = %d, %d", s, lo, hi)
			}
		}
		if p, ok := ParsePoor(s); ok {
			if again, ok := ParsePoor(p); !ok || again != p {
				t.Errorf("ParsePoor(%q) = %q, then %q, %v", s, p, again, ok)
			}
		}
	})
}

// FuzzParseDutyKey: the duty ids of URLs. One read is written back by String and read again
// the same; a refusal is the package's error with a Chinese message.
func FuzzParseDutyKey(f *testing.F) {
	for _, k := range []DutyKey{{Kind: DutyTask, ID: 13}, {Kind: DutyProject, ID: 1}, {Kind: DutyPoint, ID: 7}} {
		f.Add(k.String())
	}
	f.Add("task-")
	f.Add("project-99999999999999999999")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseDutyKey(s)
		if err != nil {
			if ErrorCode(err) != EINVALID && ErrorCode(err) != ENOTFOUND || !hasHan(ErrorMessage(err)) {
				t.Errorf("ParseDutyKey(%q) = %v (%s), want the package's error in Chinese", s, err, ErrorCode(err))
			}
			return
		}
		if back, err := ParseDutyKey(k.String()); err != nil || back != k {
			t.Errorf("ParseDutyKey(%q) = %v, written %q, read back %v, %v", s, k, k.String(), back, err)
		}
	})
}
