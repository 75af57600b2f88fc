package xiezuo

import (
	"testing"
	"time"
)

func TestAPITokenExpiry(t *testing.T) {
	made := time.Date(2021, 8, 28, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		days int
		want time.Time
		code string
	}{
		{0, made.AddDate(0, 0, 90), ""},
		{1, made.AddDate(0, 0, 1), ""},
		{365, made.AddDate(0, 0, 365), ""},
		{366, time.Time{}, EINVALID},
		{-1, time.Time{}, EINVALID},
	}
	for _, tt := range tests {
		got, err := APITokenExpiry(made, tt.days)
		if !got.Equal(tt.want) || ErrorCode(err) != tt.code {
			t.Errorf("APITokenExpiry(%v, %d) = %v, %v, want %v, code %q", made, tt.days, got, err, tt.want, tt.code)
		}
	}
}
