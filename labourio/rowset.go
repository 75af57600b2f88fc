package labourio

// rowSet maps the 64-bit hash of an ID number (or a job's key) to the file row that first had
// it: open addressing with linear probing over two flat arrays, 12 bytes a slot. A Go map of
// the same took about 40 bytes an entry at a million rows (its groups, its growth), a tenth of
// an import's memory; this one holds a million in 24 MiB. A hash of 0 is stored as 1 (a
// slot's key 0 means empty): a false duplicate of two IDs whose hashes are 0 and 1 is as
// likely as any other collision of 64-bit hashes.
type rowSet struct {
	keys []uint64
	rows []uint32
	n    int
}

// firstRow returns the row recorded for h, or records row for it.
func (s *rowSet) firstRow(h uint64, row uint32) (uint32, bool) {
	if h == 0 {
		h = 1
	}
	if 4*(s.n+1) > 3*len(s.keys) {
		s.grow()
	}
	mask := uint64(len(s.keys) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s.keys[i] {
		case h:
			return s.rows[i], true
		case 0:
			s.keys[i], s.rows[i] = h, row
			s.n++
			return 0, false
		}
	}
}

// reserve makes room for n entries without growing.
func (s *rowSet) reserve(n int) {
	for 4*n > 3*len(s.keys) {
		s.grow()
	}
}

func (s *rowSet) grow() {
	size := max(1024, 2*len(s.keys))
	old, oldRows := s.keys, s.rows
	s.keys, s.rows = make([]uint64, size), make([]uint32, size)
	mask := uint64(size - 1)
	for j, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for s.keys[i] != 0 {
			i = (i + 1) & mask
		}
		s.keys[i], s.rows[i] = h, oldRows[j]
	}
}
