package xiezuo

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// The fast paths of ParseFieldDate, ParseMonthlyPay and labourRow.text read what the regexps
// and strings.ContainsAny they skip read: these tests compare them with those on texts drawn
// from the characters that matter.

// fastPathTexts are random texts of the characters dates, pays and spaces are written with.
func fastPathTexts(n int) []string {
	alphabet := []string{"0", "1", "2", "9", "3", "0", "-", "/", ".", ",", " ", "  ", "年", "月", "日", "\t", "\u3000", "\u00a0", "\n", "元", "万", "k", "以上", "至", "~", "x", "\v", "\f", "\r"}
	r := rand.New(rand.NewPCG(1, 2))
	out := []string{"2021-06-30", "2021-6-3", "2021/06/30", "2021.6.30", "2021-06-30 ", "2021-13-01", "2021-02-29", "2020-02-29", "0000-00-00", "2021--06", "2021-006-1", "4500", "4,500", "4500.50", ",", ".", "..", "0", "00", "99999999999999999999", "4500.001", "1.2.3"}
	for len(out) < n {
		var b strings.Builder
		for k := r.IntN(12); k >= 0; k-- {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		out = append(out, b.String())
	}
	for y := 1999; y < 2031; y += 7 {
		for m := 0; m < 14; m++ {
			for d := 0; d < 33; d += 4 {
				out = append(out, strconv.Itoa(y)+"-"+strconv.Itoa(m)+"/"+strconv.Itoa(d), strconv.Itoa(y)+"."+strconv.Itoa(m)+"."+strconv.Itoa(d))
			}
		}
	}
	return out
}

func TestParseFieldDateFastPath(t *testing.T) {
	slow := func(s string) (Date, bool) {
		s = strings.TrimSpace(s)
		if m := dateYMD.FindStringSubmatch(s); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			nd, _, ok := realDate(y, mo, d)
			return nd, ok
		}
		return Date{}, false
	}
	for _, s := range fastPathTexts(200_000) {
		d, ok := ParseFieldDate(s)
		wd, wok := slow(s)
		if d != wd || ok != wok {
			t.Errorf("ParseFieldDate(%q) = %v, %v, want %v, %v", s, d, ok, wd, wok)
		}
	}
}

func TestParseMonthlyPayFastPath(t *testing.T) {
	for _, s := range fastPathTexts(200_000) {
		if !payDigits(strings.TrimSpace(s)) {
			continue
		}
		lo, hi, ok := ParseMonthlyPay(s)
		// What the regexp payOne reads when the fast path is not taken.
		var wlo, whi int64
		wok := false
		if m := payOne.FindStringSubmatch(strings.TrimSpace(s)); m != nil && m[2] == "" {
			if v, vok := ParseDecimal(strings.ReplaceAll(m[1], ",", ""), FenPerYuan); vok && v >= 0 {
				wlo, whi, wok = v, v, true
			}
		} else {
			t.Fatalf("payOne does not read %q", s)
		}
		if lo != wlo || hi != whi || ok != wok {
			t.Errorf("ParseMonthlyPay(%q) = %d, %d, %v, want %d, %d, %v", s, lo, hi, ok, wlo, whi, wok)
		}
	}
}

func TestSpacesToJoin(t *testing.T) {
	for _, s := range fastPathTexts(200_000) {
		want := strings.ContainsAny(s, "\t\n\r\v\f\u3000\u00a0") || strings.Contains(s, "  ")
		if got := spacesToJoin(s); got != want {
			t.Errorf("spacesToJoin(%q) = %v, want %v", s, got, want)
		}
	}
}
