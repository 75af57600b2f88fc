package xiezuo

import (
	"database/sql"
	"math"
	"strconv"
	"strings"
)

// Money units as documents write them: one 万元 is 1,000,000 fen, one 元 is 100 fen.
const (
	FenPerYuan = 100
	FenPerWan  = 1_000_000
)

// Num is a number that may be unknown: a blank cell is "not reported", never zero.
type Num = sql.Null[int64]

// Known returns a known Num.
func Known(v int64) Num { return Num{V: v, Valid: true} }

// ParseDecimal reads a non-negative or negative decimal number written in unit and returns it
// in fen, where unit is FenPerWan or FenPerYuan. It is exact for up to log10(unit) decimals;
// longer fractions (binary noise from workbooks, 10.800000000000001) are accepted only when
// they are within a thousandth of a fen of a whole fen.
func ParseDecimal(s string, unit int64) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return 0, false
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	// At most 12 digits before the point, however many after: 10^12 万元 is past every bound
	// the checks set, and summing such amounts stays within int64 fen.
	if len(strings.TrimLeft(intPart, "0")) > 12 {
		return 0, false
	}
	decimals := len(strconv.FormatInt(unit, 10)) - 1
	if len(frac) > decimals {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false
		}
		v := f * float64(unit)
		r := math.Round(v)
		if math.Abs(v-r) > 1e-3+math.Abs(v)*1e-12 || math.Abs(r) > 1<<62 {
			return 0, false
		}
		if neg {
			r = -r
		}
		return int64(r), true
	}
	frac += strings.Repeat("0", decimals-len(frac))
	ip, _ := strconv.ParseInt("0"+intPart, 10, 64)
	fp, _ := strconv.ParseInt("0"+frac, 10, 64)
	v := ip*unit + fp
	if neg {
		v = -v
	}
	return v, true
}

// FormatWan writes fen as 万元 with no trailing zeros: 3225000_00 fen → "322.5".
func FormatWan(fen int64) string { return formatScaled(fen, FenPerWan) }

// FormatYuan writes fen as 元 with no trailing zeros.
func FormatYuan(fen int64) string { return formatScaled(fen, FenPerYuan) }

func formatScaled(fen, unit int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	ip, fp := fen/unit, fen%unit
	if fp == 0 {
		return sign + strconv.FormatInt(ip, 10)
	}
	digits := len(strconv.FormatInt(unit, 10)) - 1
	f := strconv.FormatInt(fp, 10)
	f = strings.Repeat("0", digits-len(f)) + f
	return sign + strconv.FormatInt(ip, 10) + "." + strings.TrimRight(f, "0")
}

// Yuan is an amount in fen that marshals to JSON as a number of yuan (check --json reports yuan).
// Unknown amounts marshal as null.
type Yuan Num

// MarshalJSON writes the amount in yuan, exactly.
func (y Yuan) MarshalJSON() ([]byte, error) {
	if !y.Valid {
		return []byte("null"), nil
	}
	return []byte(FormatYuan(y.V)), nil
}

// UnmarshalJSON reads an amount in yuan.
func (y *Yuan) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*y = Yuan{}
		return nil
	}
	v, ok := ParseDecimal(s, FenPerYuan)
	if !ok {
		return Errorf(EINVALID, "金额 %s 不是数字", s)
	}
	*y = Yuan(Known(v))
	return nil
}
