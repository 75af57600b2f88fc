package xiezuo

import (
	"testing"
	"time"
)

func TestClockOn(t *testing.T) {
	tests := []struct {
		real string // UTC
		day  Date
		want string // Beijing
	}{
		{"2026-11-30T13:35:00Z", Date{2021, 9, 15}, "2021-09-15 21:35"},
		// 20:00 UTC is 04:00 the next day in Beijing: the day given, at 04:00.
		{"2026-11-30T20:00:00Z", Date{2021, 9, 15}, "2021-09-15 04:00"},
		{"2026-03-01T01:00:00Z", Date{2021, 2, 28}, "2021-02-28 09:00"},
	}
	for _, tt := range tests {
		real, err := time.Parse(time.RFC3339, tt.real)
		if err != nil {
			t.Fatal(err)
		}
		now := real
		clock := ClockOn(tt.day, func() time.Time { return now })
		if got := clock().In(Beijing).Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("ClockOn(%s) at %s = %s, want %s", tt.day, tt.real, got, tt.want)
		}
		// It runs on at the real clock's pace, across midnight.
		now = real.Add(5 * time.Hour)
		if got := clock().Sub(ClockOn(tt.day, func() time.Time { return real })()); got != 5*time.Hour {
			t.Errorf("ClockOn(%s) after 5 hours moved %v, want 5h", tt.day, got)
		}
	}
}
