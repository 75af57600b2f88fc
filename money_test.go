package xiezuo

import (
	"encoding/json"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in   string
		unit int64
		want int64
		ok   bool
	}{
		{"322.5", FenPerWan, 322_500_000, true},
		{"10.8", FenPerWan, 10_800_000, true},
		{"0.000001", FenPerWan, 1, true},
		{"10.800000000000001", FenPerWan, 10_800_000, true},
		{"1.0000005", FenPerWan, 0, false},
		{"48", FenPerWan, 48_000_000, true},
		{"999999999999", FenPerWan, 999_999_999_999_000_000, true},
		{"1000000000000", FenPerWan, 0, false},
		{"1000000000000.000", FenPerYuan, 0, false},    // more decimals than kept: the same bound (fuzz)
		{"1000000000000.0000001", FenPerWan, 0, false}, // and through the float path
		{"000000000000001.5", FenPerYuan, 150, true},
		{"-5", FenPerWan, -5_000_000, true},
		{"1200000.5", FenPerYuan, 120_000_050, true},
		{"约30", FenPerWan, 0, false},
		{"", FenPerWan, 0, false},
		{".", FenPerWan, 0, false},
		{"1e5", FenPerWan, 0, false},
		{"9999999999999", FenPerWan, 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseDecimal(tt.in, tt.unit)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseDecimal(%q, %d) = %d, %v, want %d, %v", tt.in, tt.unit, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		fen       int64
		wan, yuan string
	}{
		{322_500_000, "322.5", "3225000"},
		{10_800_000, "10.8", "108000"},
		{1, "0.000001", "0.01"},
		{-150, "-0.00015", "-1.5"},
		{0, "0", "0"},
	}
	for _, tt := range tests {
		if got := FormatWan(tt.fen); got != tt.wan {
			t.Errorf("FormatWan(%d) = %s, want %s", tt.fen, got, tt.wan)
		}
		if got := FormatYuan(tt.fen); got != tt.yuan {
			t.Errorf("FormatYuan(%d) = %s, want %s", tt.fen, got, tt.yuan)
		}
	}
}

func TestYuanJSON(t *testing.T) {
	b, err := json.Marshal([]Yuan{Yuan(Known(322_500_000)), Yuan(Known(150)), {}})
	if err != nil || string(b) != "[3225000,1.5,null]" {
		t.Errorf("json.Marshal(yuan) = %s, %v, want [3225000,1.5,null]", b, err)
	}
	var y []Yuan
	if err := json.Unmarshal(b, &y); err != nil || y[0].V != 322_500_000 || y[1].V != 150 || y[2].Valid {
		t.Errorf("json.Unmarshal(%s) = %v, %v", b, y, err)
	}
}
