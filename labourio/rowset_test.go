package labourio

import (
	"math/rand/v2"
	"testing"
)

// rowSet answers as a map does, across its growth, for hashes with equal low bits (long
// probe runs) and the hash 0.
func TestRowSet(t *testing.T) {
	var s rowSet
	want := map[uint64]uint32{}
	r := rand.New(rand.NewPCG(1, 2))
	keys := []uint64{0, 1, 1 << 40, 2 << 40, 3 << 40} // 0 and 1 share a slot key; the rest collide in low bits
	for range 50_000 {
		keys = append(keys, r.Uint64())
	}
	for i := range 3 { // every key three times: the first row is kept
		for j, k := range keys {
			row := uint32(i*len(keys) + j + 2)
			got, dup := s.firstRow(k, row)
			norm := k
			if norm == 0 {
				norm = 1
			}
			first, seen := want[norm]
			if !seen {
				want[norm] = row
			}
			if dup != seen || (seen && got != first) {
				t.Fatalf("firstRow(%#x, %d) = %d, %v; want %d, %v", k, row, got, dup, first, seen)
			}
		}
	}
	if s.n != len(want) {
		t.Errorf("the set holds %d keys, want %d", s.n, len(want))
	}
	var r2 rowSet
	r2.reserve(1_000_000)
	if len(r2.keys) != 1<<21 {
		t.Errorf("reserve(1,000,000) made %d slots, want 2^21", len(r2.keys))
	}
}

func BenchmarkRowSet(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		var s rowSet
		for i := range 1_000_000 {
			s.firstRow(r.Uint64(), uint32(i))
		}
	}
}
