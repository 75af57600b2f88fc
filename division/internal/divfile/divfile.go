// Package divfile is the format of division/divisions.gz: the five levels of China's
// statistical division codes (province, city, county, town, village) as columns of small
// integers and one run of names, gzipped. The extraction program writes it and package
// division reads it; nothing else does.
//
// Codes are hierarchical, so a node stores only the digits it adds to its parent's code
// (2, 2, 2, 3 and 3 digits by level), and the nodes of a level are kept in code order, so the
// children of a node are a contiguous run of the next level, given by a child count. After the
// magic line the stream holds, all as unsigned varints:
//
//	the number of nodes of each of the five levels;
//	for levels 0 to 3, each node's number of children;
//	for levels 0 to 4, each node's suffix: the first child's absolute, each next sibling's as
//	  the (positive) difference from the previous one;
//	for levels 0 to 4, each node's name length in bytes;
//
// and then the names' bytes, one after the other. Columns of alike numbers and names of
// villages next to their neighbours compress well: the 2023 edition is 3.3 MB (3,326,242 bytes).
package divfile

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Levels is the number of levels: province, city, county, town, village.
const Levels = 5

// Digits is the number of code digits each level adds to its parent's code.
var Digits = [Levels]int{2, 2, 2, 3, 3}

const magic = "xiezuo-divisions 1\n"

// Level is one level of the table, in code order.
type Level struct {
	// Suffix is the digits each node adds to its parent's code.
	Suffix []uint16
	// NameEnd is where each node's name ends in Table.Names; it starts where the previous node's
	// name ends (the previous level's last name for the first node of a level, 0 for the first
	// province).
	NameEnd []uint32
	// First has one more entry than the level has nodes: the children of node i are the nodes
	// First[i] to First[i+1]-1 of the next level. It is nil for the villages.
	First []uint32
}

// Table is the whole register: pointer-free apart from the slices themselves, so that holding
// it costs the garbage collector almost nothing.
type Table struct {
	Names  string
	Levels [Levels]Level
}

// Len is the number of nodes of level l.
func (t *Table) Len(l int) int { return len(t.Levels[l].Suffix) }

// Name is the name of node i of level l.
func (t *Table) Name(l, i int) string {
	end := t.Levels[l].NameEnd[i]
	var start uint32
	switch {
	case i > 0:
		start = t.Levels[l].NameEnd[i-1]
	case l > 0:
		prev := t.Levels[l-1].NameEnd
		start = prev[len(prev)-1]
	}
	return t.Names[start:end]
}

// Node is a node as the extraction program hands it to Builder.
type Node struct {
	Level  int
	Suffix int
	Name   string
}

// Builder assembles a Table from nodes added in depth-first order (each node right after its
// parent, siblings in increasing suffix order), checking what Decode will check.
type Builder struct {
	levels [Levels]struct {
		suffix []uint16
		names  []string
		first  []uint32
	}
	depth int // level of the last node added, -1 before the first
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{depth: -1} }

// Add appends the next node in depth-first order.
func (b *Builder) Add(n Node) error {
	if n.Level < 0 || n.Level >= Levels {
		return fmt.Errorf("node %q: level %d out of range", n.Name, n.Level)
	}
	if n.Level > b.depth+1 {
		return fmt.Errorf("node %q of level %d has no parent", n.Name, n.Level)
	}
	if max := pow10(Digits[n.Level]); n.Suffix < 0 || n.Suffix >= max {
		return fmt.Errorf("node %q: suffix %d out of range", n.Name, n.Suffix)
	}
	if n.Name == "" || !utf8.ValidString(n.Name) {
		return fmt.Errorf("node with suffix %d of level %d: empty or invalid name", n.Suffix, n.Level)
	}
	lv := &b.levels[n.Level]
	if n.Level > 0 {
		parent := &b.levels[n.Level-1]
		// The parent's child run starts at its First entry; a sibling must have a larger suffix.
		start := parent.first[len(parent.first)-1]
		if uint32(len(lv.suffix)) > start && int(lv.suffix[len(lv.suffix)-1]) >= n.Suffix {
			return fmt.Errorf("node %q: suffix %d not after its previous sibling's", n.Name, n.Suffix)
		}
	} else if len(lv.suffix) > 0 && int(lv.suffix[len(lv.suffix)-1]) >= n.Suffix {
		return fmt.Errorf("province %q: suffix %d not after the previous province's", n.Name, n.Suffix)
	}
	lv.suffix = append(lv.suffix, uint16(n.Suffix))
	lv.names = append(lv.names, n.Name)
	if n.Level < Levels-1 {
		// The new node's children start where the next level stands now.
		lv.first = append(lv.first, uint32(len(b.levels[n.Level+1].suffix)))
	}
	b.depth = n.Level
	return nil
}

// Table returns the table built so far.
func (b *Builder) Table() *Table {
	t := &Table{}
	var names strings.Builder
	for l := range b.levels {
		lv := &b.levels[l]
		out := &t.Levels[l]
		out.Suffix = lv.suffix
		out.NameEnd = make([]uint32, len(lv.names))
		for i, n := range lv.names {
			names.WriteString(n)
			out.NameEnd[i] = uint32(names.Len())
		}
		if l < Levels-1 {
			out.First = append(append([]uint32(nil), lv.first...), uint32(len(b.levels[l+1].suffix)))
		}
	}
	t.Names = names.String()
	return t
}

// Encode writes t, gzipped at the best compression and without a time in the header, so that the
// same source gives the same bytes.
func Encode(w io.Writer, t *Table) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(magic)
	var buf [16]byte
	put := func(v uint64) {
		n := binary.PutUvarint(buf[:], v)
		bw.Write(buf[:n])
	}
	for l := range t.Levels {
		put(uint64(t.Len(l)))
	}
	for l := 0; l < Levels-1; l++ {
		first := t.Levels[l].First
		for i := 0; i+1 < len(first); i++ {
			put(uint64(first[i+1] - first[i]))
		}
	}
	for l := range t.Levels {
		suffix := t.Levels[l].Suffix
		for i, s := range suffix {
			if i > 0 && !startsRun(t, l, i) {
				put(uint64(s - suffix[i-1]))
			} else {
				put(uint64(s))
			}
		}
	}
	var start uint32
	for l := range t.Levels {
		for _, end := range t.Levels[l].NameEnd {
			put(uint64(end - start))
			start = end
		}
	}
	bw.WriteString(t.Names)
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// startsRun reports whether node i of level l is the first child of its parent.
func startsRun(t *Table, l, i int) bool {
	if l == 0 {
		return i == 0
	}
	first := t.Levels[l-1].First
	// Parents with no children share a First value, so look for any parent starting at i.
	lo, hi := 0, len(first)-1
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if first[m] < uint32(i) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(first)-1 && first[lo] == uint32(i)
}

// ErrFormat is returned, wrapped, for a stream that is not a valid table.
var ErrFormat = errors.New("divisions: bad format")

// maxNodes bounds each level so that a damaged count cannot ask for gigabytes.
const maxNodes = 4 << 20

// Decode reads a table written by Encode, checking every count, suffix and length.
func Decode(r io.Reader) (*Table, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	br := bufio.NewReaderSize(zr, 64<<10)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, fmt.Errorf("%w: not a divisions file", ErrFormat)
	}
	var rerr error
	get := func(max uint64) uint64 {
		if rerr != nil {
			return 0
		}
		v, err := binary.ReadUvarint(br)
		if err != nil {
			rerr = fmt.Errorf("%w: %v", ErrFormat, err)
			return 0
		}
		if v > max {
			rerr = fmt.Errorf("%w: value %d over %d", ErrFormat, v, max)
			return 0
		}
		return v
	}
	t := &Table{}
	var counts [Levels]int
	for l := range counts {
		counts[l] = int(get(maxNodes))
		t.Levels[l].Suffix = make([]uint16, counts[l])
		t.Levels[l].NameEnd = make([]uint32, counts[l])
	}
	if rerr == nil && counts[0] == 0 {
		return nil, fmt.Errorf("%w: no provinces", ErrFormat)
	}
	for l := 0; l < Levels-1 && rerr == nil; l++ {
		first := make([]uint32, counts[l]+1)
		for i := 0; i < counts[l]; i++ {
			first[i+1] = first[i] + uint32(get(uint64(counts[l+1])))
		}
		if rerr == nil && int(first[counts[l]]) != counts[l+1] {
			return nil, fmt.Errorf("%w: level %d has %d children, level %d has %d nodes", ErrFormat, l, first[counts[l]], l+1, counts[l+1])
		}
		t.Levels[l].First = first
	}
	for l := 0; l < Levels && rerr == nil; l++ {
		max := uint64(pow10(Digits[l]) - 1)
		suffix := t.Levels[l].Suffix
		var runs []uint32 // starts of the sibling runs of this level
		if l > 0 {
			runs = t.Levels[l-1].First
		}
		next := 0 // index into runs of the next run start not yet passed
		for i := range suffix {
			first := i == 0
			for l > 0 && next < len(runs) && runs[next] <= uint32(i) {
				if runs[next] == uint32(i) {
					first = true
				}
				next++
			}
			if first {
				suffix[i] = uint16(get(max))
				continue
			}
			d := get(max)
			if rerr == nil && (d == 0 || uint64(suffix[i-1])+d > max) {
				return nil, fmt.Errorf("%w: level %d node %d: suffix step %d", ErrFormat, l, i, d)
			}
			suffix[i] = suffix[i-1] + uint16(d)
		}
	}
	var total uint64
	for l := 0; l < Levels && rerr == nil; l++ {
		ends := t.Levels[l].NameEnd
		for i := range ends {
			n := get(1 << 10)
			if rerr == nil && n == 0 {
				return nil, fmt.Errorf("%w: level %d node %d: empty name", ErrFormat, l, i)
			}
			total += n
			if total > 1<<31 {
				return nil, fmt.Errorf("%w: names too long", ErrFormat)
			}
			ends[i] = uint32(total)
		}
	}
	if rerr != nil {
		return nil, rerr
	}
	var names strings.Builder
	names.Grow(int(total))
	if _, err := io.CopyN(&names, br, int64(total)); err != nil {
		return nil, fmt.Errorf("%w: names: %v", ErrFormat, err)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the names", ErrFormat)
	}
	t.Names = names.String()
	if !utf8.ValidString(t.Names) {
		return nil, fmt.Errorf("%w: names are not UTF-8", ErrFormat)
	}
	for l := range t.Levels {
		for _, end := range t.Levels[l].NameEnd {
			if int(end) < len(t.Names) && !utf8.RuneStart(t.Names[end]) {
				return nil, fmt.Errorf("%w: a name ends inside a character", ErrFormat)
			}
		}
	}
	return t, nil
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}
