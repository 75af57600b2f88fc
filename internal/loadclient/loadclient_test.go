package loadclient

import "testing"

func TestPct(t *testing.T) {
	v := []float64{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, tt := range []struct{ p, want float64 }{{0, 1}, {50, 5}, {90, 9}, {99, 9}, {100, 10}} {
		if got := Pct(v, tt.p); got != tt.want {
			t.Errorf("Pct(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if got := Pct(nil, 99); got != 0 {
		t.Errorf("Pct(nil) = %v, want 0", got)
	}
	if v[0] != 5 {
		t.Errorf("Pct sorted its argument in place")
	}
}
