package vault

import (
	"testing"
	"time"
	"xiezuo"
)

func TestValidID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"11010519491231002X", true},
		{"11010519491231002x", true}, // lowercase x accepted
		{"522624198506153017", true},
		{"110105198002291235", true},  // 29 February of a leap year
		{"110105200002291235", true},  // 2000 is a leap year
		{"110105190001011231", true},  // earliest accepted year
		{"990105194912310024", false}, // check digit of another address code
		{"110105194912310020", false}, // bad check digit
		{"110105194912310021", false}, // bad check digit
		{"11010519491231002Y", false},
		{"110105194902300020", false}, // 30 February, with a right check digit
		{"110105190002291239", false}, // 1900 is not a leap year
		{"110105194913310021", false}, // month 13
		{"110105194900000024", false}, // month and day 00
		{"110105209901010020", false}, // born in the future
		{"110105189912311237", false}, // before 1900
		{"11010519491231002", false},  // 17 characters
		{"11010519491231002X0", false},
		{"110105491231002", false}, // first-generation numbers have no check digit
		{"", false},
		{" 11010519491231002X", false},
		{"１１０１０５１９４９１２３１００２Ｘ", false}, // full-width digits
		{"1101051949123100X2", false},
	}
	for _, tt := range tests {
		if got := ValidID(tt.in); got != tt.want {
			t.Errorf("ValidID(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestValidIDToday checks the boundary of the future against Beijing's date, not UTC's.
func TestValidIDToday(t *testing.T) {
	id := withCheck("11010520240615001") // born 15 June 2024
	tests := []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2024, 6, 14, 15, 59, 59, 0, time.UTC), false}, // 14 June 23:59:59 in Beijing
		{time.Date(2024, 6, 14, 16, 0, 0, 0, time.UTC), true},    // 15 June 00:00 in Beijing
		{time.Date(2024, 6, 15, 23, 59, 0, 0, chinaTime), true},
		{time.Date(2030, 1, 1, 0, 0, 0, 0, chinaTime), true},
	}
	for _, tt := range tests {
		if got := validID(id, tt.now); got != tt.want {
			t.Errorf("validID(%q, %v) = %v, want %v", id, tt.now, got, tt.want)
		}
	}
}

// withCheck appends the check character to the first 17 digits of an ID number.
func withCheck(first17 string) string {
	return first17 + string(xiezuo.IDCheckChar(first17))
}

func TestNormalizeID(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"11010519491231002x", "11010519491231002X", true},
		{" 11010519491231002X\n", "11010519491231002X", true},
		{"110105194912310020", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeID(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("NormalizeID(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"13812341234", "13812341234", true},
		{"138 1234 1234", "13812341234", true},
		{"138-1234-1234", "13812341234", true},
		{"+86 138 1234 1234", "13812341234", true},
		{"+8613812341234", "13812341234", true},
		{"0086-13812341234", "13812341234", true},
		{"19912341234", "19912341234", true},
		{"\u3000138 1234 1234 ", "13812341234", true},
		{"12812341234", "", false},   // second digit 2
		{"10812341234", "", false},   // second digit 0
		{"23812341234", "", false},   // not starting with 1
		{"1381234123", "", false},    // 10 digits
		{"138123412345", "", false},  // 12 digits
		{"8613812341234", "", false}, // 86 without + or 00 is not taken as a prefix
		{"+85213812341234", "", false},
		{"010-12345678", "", false}, // a landline
		{"1381234123a", "", false},
		{"１３８１２３４１２３４", "", false}, // full-width digits
		{"", "", false},
		{"+86", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizePhone(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("NormalizePhone(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestValidCreditCode(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"91350100M000100Y43", true},
		{"91110000802100433B", true},
		{"12110101000000001A", true},
		{"91350100M000100Y42", false}, // bad check character
		{"91350100M000100Y4A", false},
		{"91350100M000100Y4", false}, // 17 characters
		{"91350100M000100Y433", false},
		{"91350100m000100y43", false}, // lowercase
		{"91350100I000100Y43", false}, // I is not in the alphabet
		{"91350100O000100Y43", false}, // nor O
		{"9135010OM000100Y43", false},
		{"", false},
		{"９１３５０１００Ｍ０００１００Ｙ４３", false},
	}
	for _, tt := range tests {
		if got := ValidCreditCode(tt.in); got != tt.want {
			t.Errorf("ValidCreditCode(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
